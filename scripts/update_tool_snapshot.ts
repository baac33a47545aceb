/**
 * Rewrites the snapshot of every tool's public surface (name, description,
 * input and output schemas, annotations): one file per tool,
 * `tests/mcp/__toolsnaps__/<tool name>.json`, and removes the files of tools
 * that no longer exist. The test fails when a tool changes, is added or is
 * removed until this is run on purpose and the diff is reviewed.
 *
 *   deno task snapshot:update
 *
 * @module
 */
import { ALL_TOOLS } from "../src/tools/inventory.ts";
import { describeTool } from "../src/mcp/server.ts";

/** Where the snapshots live. */
export const TOOLSNAPS_DIR = new URL("../tests/mcp/__toolsnaps__/", import.meta.url);

/** The snapshot text of each current tool, by tool name, in listing order. */
export function toolSnapshots(): Map<string, string> {
  return new Map(ALL_TOOLS.map((tool) => [tool.name, JSON.stringify(describeTool(tool), null, 2) + "\n"]));
}

/** How the snapshots in a folder differ from the current tools (all empty: they match). */
export interface SnapshotDrift {
  /** Tools whose schema differs from their snapshot. */
  changed: string[];
  /** Tools without a snapshot file. */
  missing: string[];
  /** Snapshot files of tools that no longer exist (names without `.json`). */
  orphaned: string[];
}

/** The tool names that have a snapshot file in `dir` (`<name>.json`). */
function snapshotNames(dir: URL): string[] {
  const names: string[] = [];
  try {
    for (const entry of Deno.readDirSync(dir)) {
      if (entry.isFile && entry.name.endsWith(".json")) names.push(entry.name.slice(0, -".json".length));
    }
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
  return names.sort();
}

/** Compares the snapshots in `dir` with the current tools. */
export function snapshotDrift(dir: URL = TOOLSNAPS_DIR, current = toolSnapshots()): SnapshotDrift {
  const stored = new Set(snapshotNames(dir));
  const drift: SnapshotDrift = { changed: [], missing: [], orphaned: [] };
  for (const [name, text] of current) {
    if (!stored.has(name)) drift.missing.push(name);
    else if (Deno.readTextFileSync(new URL(`${name}.json`, dir)) !== text) drift.changed.push(name);
  }
  drift.orphaned = [...stored].filter((name) => !current.has(name));
  return drift;
}

/** A one-line description of a drift, or undefined when there is none. */
export function describeDrift(drift: SnapshotDrift): string | undefined {
  const parts = [
    drift.changed.length > 0 ? `schema changed: ${drift.changed.join(", ")}` : "",
    drift.missing.length > 0 ? `no snapshot for tool: ${drift.missing.join(", ")}` : "",
    drift.orphaned.length > 0 ? `snapshot without a tool: ${drift.orphaned.join(", ")}` : "",
  ].filter((p) => p !== "");
  return parts.length > 0 ? parts.join("; ") : undefined;
}

/** Writes every tool's snapshot into `dir` and removes the snapshots of tools that no longer exist. */
export function writeToolSnapshots(
  dir: URL = TOOLSNAPS_DIR,
  current = toolSnapshots(),
): { written: string[]; removed: string[] } {
  Deno.mkdirSync(dir, { recursive: true });
  const removed = snapshotNames(dir).filter((name) => !current.has(name));
  for (const name of removed) Deno.removeSync(new URL(`${name}.json`, dir));
  for (const [name, text] of current) Deno.writeTextFileSync(new URL(`${name}.json`, dir), text);
  return { written: [...current.keys()], removed };
}

if (import.meta.main) {
  const { written, removed } = writeToolSnapshots();
  console.log(`wrote ${written.length} tool snapshots to ${TOOLSNAPS_DIR.pathname}`);
  for (const name of removed) console.log(`removed ${name}.json (no such tool)`);
}
