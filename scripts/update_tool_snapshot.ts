/**
 * Rewrites the snapshot of every tool's public surface (name, description,
 * input and output schemas, annotations). The test fails when a tool changes
 * until this is run on purpose and the diff is reviewed.
 *
 *   deno task snapshot:update
 *
 * @module
 */
import { ALL_TOOLS } from "../src/tools/inventory.ts";
import { describeTool } from "../src/mcp/server.ts";

/** The snapshot text of the current tools. */
export function toolSnapshot(): string {
  return JSON.stringify(ALL_TOOLS.map(describeTool), null, 2) + "\n";
}

if (import.meta.main) {
  const path = new URL("../tests/mcp/__snapshots__/tools.json", import.meta.url);
  Deno.writeTextFileSync(path, toolSnapshot());
  console.log(`wrote ${path.pathname}`);
}
