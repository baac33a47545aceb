/** The public surface of the tools: snapshots, invariants, and the cost of tools/list. */
import { assert, assertEquals } from "../helpers/assert.ts";
import { toolSnapshot } from "../../scripts/update_tool_snapshot.ts";
import { ALL_TOOLS, selectTools } from "../../src/tools/inventory.ts";
import { describeTool } from "../../src/mcp/server.ts";
import { TOOLSETS } from "../../src/tools/tool.ts";

Deno.test("every tool schema matches its snapshot (run `deno task snapshot:update` after a deliberate change)", () => {
  const committed = Deno.readTextFileSync(new URL("./__snapshots__/tools.json", import.meta.url));
  const current = toolSnapshot();
  if (committed !== current) {
    const before = JSON.parse(committed) as { name: string }[];
    const after = JSON.parse(current) as { name: string }[];
    const changed = after.filter((t) => JSON.stringify(t) !== JSON.stringify(before.find((b) => b.name === t.name)))
      .map((t) => t.name);
    throw new Error(`tool schemas changed: ${changed.join(", ") || "tools added or removed"}`);
  }
});

Deno.test("tool invariants: unique futu_ names, a toolset, a scope, and scopes consistent with annotations", () => {
  const names = ALL_TOOLS.map((t) => t.name);
  assertEquals(new Set(names).size, names.length);
  for (const tool of ALL_TOOLS) {
    assert(/^futu_[a-z_]+$/.test(tool.name), tool.name);
    assert((TOOLSETS as readonly string[]).includes(tool.toolset), tool.name);
    const read = tool.scope === "qot:read" || tool.scope === "acc:read";
    assertEquals(
      tool.annotations.readOnlyHint,
      read,
      `${tool.name}: read scopes and read-only annotations go together`,
    );
    if (read) assertEquals(tool.annotations.destructiveHint, false);
    assert(tool.description.length <= 500, `${tool.name}: description under 500 characters`);
  }
  assertEquals(selectTools({ readOnly: true }).length, 16);
  assertEquals(selectTools({ toolsets: ["push"] }).map((t) => t.name), ["futu_watch_quotes", "futu_watch_orders"]);
  assertEquals(selectTools({ toolsets: ["trade"] }).map((t) => t.name), [
    "futu_place_order",
    "futu_modify_order",
    "futu_cancel_order",
    "futu_unlock_trade",
  ]);
});

Deno.test("tools/list stays lean: under 24 KiB for the 20 default tools", () => {
  const tools = selectTools();
  assertEquals(tools.length, 20);
  const bytes = new TextEncoder().encode(JSON.stringify({ tools: tools.map(describeTool) })).length;
  assert(bytes < 24 * 1024, `tools/list is ${bytes} bytes`);
});
