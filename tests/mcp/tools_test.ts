/** The public surface of the tools: snapshots, invariants, and the cost of tools/list. */
import { assert, assertEquals, assertThrows } from "../helpers/assert.ts";
import { tempDir } from "../helpers/tmp.ts";
import { pathToFileURL } from "node:url";
import {
  describeDrift,
  snapshotDrift,
  TOOLSNAPS_DIR,
  toolSnapshots,
  writeToolSnapshots,
} from "../../scripts/update_tool_snapshot.ts";
import { ALL_TOOLS, selectTools } from "../../src/tools/inventory.ts";
import { describeTool } from "../../src/mcp/server.ts";
import { type Tool, TOOLSETS } from "../../src/tools/tool.ts";

/** Throws naming every tool whose snapshot in `dir` is stale, missing or orphaned. */
function assertSnapshotsMatch(dir: URL, current?: Map<string, string>): void {
  const drift = describeDrift(snapshotDrift(dir, current));
  if (drift) {
    throw new Error(`tool snapshots in ${dir.pathname} are stale (${drift}): run \`deno task snapshot:update\``);
  }
}

Deno.test("every tool schema matches its snapshot in __toolsnaps__/ (run `deno task snapshot:update` after a deliberate change)", () => {
  assertEquals([...toolSnapshots().keys()], ALL_TOOLS.map((t) => t.name), "one snapshot per tool");
  assertSnapshotsMatch(TOOLSNAPS_DIR);
  for (const tool of ALL_TOOLS) {
    const stored = JSON.parse(Deno.readTextFileSync(new URL(`${tool.name}.json`, TOOLSNAPS_DIR)));
    assertEquals(stored, JSON.parse(JSON.stringify(describeTool(tool))), `${tool.name}.json is its describeTool()`);
  }
});

Deno.test("the snapshot check names a changed schema, a tool without a snapshot and a snapshot without a tool", async () => {
  const dir = pathToFileURL(`${await Deno.realPath(await tempDir("toolsnaps"))}/`);
  const current = toolSnapshots();
  assertEquals(writeToolSnapshots(dir, current).removed, []);
  assertSnapshotsMatch(dir, current);

  const changed = new Map(current);
  changed.set("futu_ping", current.get("futu_ping")!.replace("Gateway health", "Gateway wealth"));
  const renamed = new Map([...changed].filter(([name]) => name !== "futu_get_rt"));
  renamed.set("futu_get_intraday", current.get("futu_get_rt")!);
  assertEquals(snapshotDrift(dir, renamed), {
    changed: ["futu_ping"],
    missing: ["futu_get_intraday"],
    orphaned: ["futu_get_rt"],
  });
  const error = assertThrows(() => assertSnapshotsMatch(dir, renamed), Error, "schema changed: futu_ping");
  assert(error.message.includes("no snapshot for tool: futu_get_intraday"), error.message);
  assert(error.message.includes("snapshot without a tool: futu_get_rt"), error.message);

  // snapshot:update writes the new surface and removes the file of the tool that is gone.
  assertEquals(writeToolSnapshots(dir, renamed).removed, ["futu_get_rt"]);
  assertSnapshotsMatch(dir, renamed);
  assert(
    !(await Deno.stat(new URL("futu_get_rt.json", dir)).then(() => true, () => false)),
    "futu_get_rt.json removed",
  );
  assert(Deno.readTextFileSync(new URL("futu_ping.json", dir)).includes("Gateway wealth"));
  await Deno.remove(dir, { recursive: true });
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
  assertEquals(selectTools({ readOnly: true }).length, 18);
  assertEquals(selectTools({ toolsets: ["push"] }).map((t) => t.name), ["futu_watch_quotes", "futu_watch_orders"]);
  assertEquals(selectTools({ toolsets: ["trade"] }).map((t) => t.name), [
    "futu_preview_order",
    "futu_place_order",
    "futu_modify_order",
    "futu_cancel_order",
    "futu_cancel_all_order",
    "futu_unlock_trade",
  ]);
});

Deno.test("tools/list stays lean: the default listing under 16 KiB; every toolset's, schemas and all, measured", () => {
  const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).length;
  const listing = (tools: Tool[], outputSchema: boolean) => ({
    tools: tools.map((tool) => describeTool(tool, { outputSchema })),
  });
  const standard = bytes(listing(selectTools(), false));
  // 19,350 bytes before descriptions said each thing once (account defaults in futu_list_accounts, the
  // idempotency key and confirmation token on futu_place_order) and input schemas lost additionalProperties.
  assert(standard < 16 * 1024, `the default tools/list is ${standard} bytes`);
  // --output-schemas adds each tool's result schema: more bytes on the wire, none a model reads in the clients
  // that pass only names, descriptions and input schemas (Claude Code, Gemini CLI).
  assert(bytes(listing(selectTools(), true)) > standard);
  // Beyond the default, toolsets are opt-in and meant to be enabled one at a time (--toolsets, or
  // futu_enable_toolset with --dynamic-toolsets): each stays small enough to enable on its own.
  for (const toolset of TOOLSETS) {
    const size = bytes(listing(selectTools({ toolsets: [toolset] }), false));
    assert(size < 18 * 1024, `tools/list of toolset ${toolset} is ${size} bytes`);
  }
  const everything = bytes(listing([...ALL_TOOLS], false));
  assert(everything < 120 * 1024, `tools/list with --toolsets all is ${everything} bytes`);
});
