/**
 * The watchlist toolset through a spawned futu-mcp over stdio and the MCP
 * SDK's client: every tool called, each result validated against its listed
 * output schema with the SDK's own validator, the content checked, bad
 * arguments named; writes hidden in legacy mode without --enable-trading,
 * and refused to an API key without watchlist:write.
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { dataOf, errorOf, spawnStdio, spawnValidated } from "../helpers/mcp.ts";
import { tempDir } from "../helpers/tmp.ts";
import { eventually } from "../helpers/sim.ts";
import { generateKey, writeKeysFile } from "../../src/access/keys.ts";
import { WATCHLIST_TOOLS } from "../../src/tools/watchlist.ts";

type Json = Record<string, unknown>;
const SIM = ["--gateway", "sim", "--sim-clock", "2026-11-26T10:30:00+08:00"];
const READS = [
  "futu_get_user_security_group",
  "futu_get_user_security",
  "futu_get_price_reminder",
  "futu_watch_reminders",
];

Deno.test("watchlist tools over stdio: every tool, results valid against their output schemas, bad arguments named", async () => {
  await using mcp = await spawnValidated([...SIM, "--toolsets", "watchlist", "--enable-trading"]);
  const { client, tools, call, failure, called } = mcp;
  const pushes: Json[] = [];
  client.fallbackNotificationHandler = (n) => {
    const params = n.params as Json | undefined;
    if (n.method === "notifications/message" && params?.logger === "futu_push") pushes.push(params.data as Json);
    return Promise.resolve();
  };
  assertEquals(tools.map((t) => t.name), WATCHLIST_TOOLS.map((t) => t.name));
  const byName = new Map(tools.map((t) => [t.name, t]));
  assertEquals(byName.get("futu_modify_user_security")!.annotations, {
    readOnlyHint: false,
    destructiveHint: true,
    idempotentHint: true,
    openWorldHint: true,
  });
  assertEquals(byName.get("futu_set_price_reminder")!.annotations?.idempotentHint, false);
  for (const name of READS) assertEquals(byName.get(name)!.annotations?.readOnlyHint, true);

  const groups = await call("futu_get_user_security_group", {});
  assertEquals(groups.columns, ["name", "type"]);
  assertEquals((groups.rows as string[][]).map((r) => r[0]), [
    "All",
    "HK",
    "US",
    "CN",
    "Options",
    "Tech",
    "HK Blue Chips",
  ]);
  const custom = await call("futu_get_user_security_group", { group_type: "custom" });
  assertEquals(custom.rows, [["Tech", "CUSTOM"], ["HK Blue Chips", "CUSTOM"]]);

  const tech = await call("futu_get_user_security", { group_name: "Tech" });
  assertEquals(tech.columns, ["symbol", "name", "type", "lot_size"]);
  assertEquals((tech.rows as unknown[][]).map((r) => r[0]), ["US.AAPL", "US.NVDA", "HK.00700"]);

  const added = await call("futu_modify_user_security", { group: "Tech", op: "add", symbols: ["hk.09988", "US.AAPL"] });
  assertEquals([added.changed, added.unchanged], [["HK.09988"], ["US.AAPL"]]);
  assertEquals(added.securities, ["US.AAPL", "US.NVDA", "HK.00700", "HK.09988"]);
  const moved = await call("futu_modify_user_security", { group: "Tech", op: "MOVE_OUT", symbols: ["HK.00700"] });
  assertEquals(moved.changed, ["HK.00700"]);
  const all = await call("futu_get_user_security", { group: "All" });
  assert((all.rows as unknown[][]).some((r) => r[0] === "HK.00700"), "MOVE_OUT keeps it in All");

  const set = await call("futu_set_price_reminder", {
    symbol: "HK.00700",
    op: "ADD",
    reminder_type: "PRICE_UP",
    value: 999.12345,
    note: "far",
  });
  assert(/^\d{19}$/.test(set.key as string), `a 64-bit key as a string: ${set.key}`);
  assertEquals(set.reminders, [{
    symbol: "HK.00700",
    key: set.key,
    type: "PRICE_UP",
    value: 999.123,
    freq: "ONCE_A_DAY",
    enabled: true,
    note: "far",
    sessions: ["OPEN"],
  }]);
  const disabled = await call("futu_set_price_reminder", { symbol: "HK.00700", op: "disable", key: set.key });
  assertEquals((disabled.reminders as Json[])[0].enabled, false);
  const byMarket = await call("futu_get_price_reminder", { market: "HK" });
  assertEquals((byMarket.reminders as Json[]).map((r) => r.key), [set.key]);
  const cleared = await call("futu_set_price_reminder", { symbol: "HK.00700", op: "DEL_ALL" });
  assertEquals([cleared.key, cleared.reminders], [null, []]);
  assertEquals((await call("futu_get_price_reminder", { symbol: "HK.00700" })).reminders, []);

  // Fired reminders reach the session that watches them, as futu_push notifications.
  assertEquals(await call("futu_watch_reminders", {}), { watching: true });
  const met = await call("futu_set_price_reminder", {
    symbol: "HK.09988",
    op: "ADD",
    reminder_type: "PRICE_UP",
    value: 1,
    freq: "ONCE",
    note: "now",
  });
  await eventually(() => pushes.length > 0, 5000, "the reminder push");
  const push = pushes[0] as { type: string; symbol: string; data: Json };
  assertEquals([push.type, push.symbol], ["reminder", "HK.09988"]);
  assertEquals([push.data.key, push.data.type, push.data.setValue, push.data.note], [met.key, "PRICE_UP", 1, "now"]);
  assert((push.data.price as number) > 1 && push.data.curValue === push.data.price, JSON.stringify(push.data));
  assertEquals(push.data.content, "Price rose to 1.000");
  assertEquals(await call("futu_watch_reminders", { stop: true }), { watching: false });
  assertEquals([...called].sort(), WATCHLIST_TOOLS.map((t) => t.name).sort(), "every tool was called");

  // Bad arguments name the field; OpenD's refusals come back as opend_error with its text.
  const noKey = await failure("futu_set_price_reminder", { symbol: "HK.00700", op: "DEL" });
  assertEquals(noKey.code, "invalid_arguments");
  assert(noKey.error.includes("key: op DEL needs the key"), noKey.error);
  const noValue = await failure("futu_set_price_reminder", {
    symbol: "HK.00700",
    op: "ADD",
    reminder_type: "PRICE_UP",
  });
  assert(noValue.error.includes("value: op ADD needs value"), noValue.error);
  const keyOnAll = await failure("futu_set_price_reminder", { symbol: "HK.00700", op: "DEL_ALL", key: "1" });
  assert(keyOnAll.error.includes("key: op DEL_ALL takes no key"), keyOnAll.error);
  const badType = await failure("futu_set_price_reminder", {
    symbol: "HK.00700",
    op: "ADD",
    reminder_type: "UP",
    value: 1,
  });
  assert(badType.error.includes("reminder_type: expected one of PRICE_UP"), badType.error);
  const both = await failure("futu_get_price_reminder", { symbol: "HK.00700", market: "HK" });
  assert(both.error.includes('exactly one of "symbol" or "market"'), both.error);
  const badOp = await failure("futu_modify_user_security", { group: "Tech", op: "REMOVE", symbols: ["HK.00700"] });
  assert(badOp.error.includes("op: expected one of ADD, DEL, MOVE_OUT"), badOp.error);
  const system = await failure("futu_modify_user_security", { group: "HK", op: "ADD", symbols: ["HK.00700"] });
  assertEquals(system.code, "opend_error");
  assert(system.error.includes('System group "HK" cannot be modified'), system.error);
  const missing = await failure("futu_get_user_security", { group: "Nope" });
  assert(missing.error.includes('Group "Nope" does not exist'), missing.error);
  const gone = await failure("futu_set_price_reminder", { symbol: "HK.00700", op: "ENABLE", key: set.key });
  assert(gone.error.includes(`Price reminder ${set.key} does not exist`), gone.error);
});

Deno.test("legacy mode without --enable-trading offers the watchlist reads only", async () => {
  await using mcp = await spawnStdio([...SIM, "--toolsets", "watchlist"]);
  const { tools } = await mcp.client.listTools();
  assertEquals(tools.map((t) => t.name), READS);
});

Deno.test("with API keys, a key without watchlist:write reads but cannot change the watchlist", async () => {
  const dir = await tempDir("watchlist-keys");
  const reader = generateKey({ id: "reader", scopes: ["qot:read"] });
  const editor = generateKey({ id: "editor", scopes: ["qot:read", "watchlist:write"] });
  await writeKeysFile(`${dir}/keys.json`, [reader.record, editor.record]);
  await using mcp = await spawnStdio(
    [...SIM, "--toolsets", "watchlist", "--keys-file", `${dir}/keys.json`, "--state-dir", `${dir}/state`],
    { FUTU_MCP_API_KEY: reader.plaintext },
  );
  const { client } = mcp;
  assertEquals((await client.listTools()).tools.length, WATCHLIST_TOOLS.length);
  const change = { group: "Tech", op: "ADD", symbols: ["HK.09988"] };
  const refused = errorOf(await client.callTool({ name: "futu_modify_user_security", arguments: change }));
  assertEquals(refused.code, "unauthorized");
  assert(refused.error.includes("watchlist:write"), refused.error);
  const reminder = { symbol: "HK.00700", op: "ADD", reminder_type: "PRICE_UP", value: 999 };
  const refusedReminder = errorOf(await client.callTool({ name: "futu_set_price_reminder", arguments: reminder }));
  assertEquals(refusedReminder.code, "unauthorized");
  const tech = dataOf<Json>(await client.callTool({ name: "futu_get_user_security", arguments: { group: "Tech" } }));
  assertEquals((tech.rows as unknown[][]).some((r) => r[0] === "HK.09988"), false, "the refused change wrote nothing");

  const done = dataOf<Json>(
    await client.callTool({ name: "futu_modify_user_security", arguments: { ...change, api_key: editor.plaintext } }),
  );
  assertEquals(done.changed, ["HK.09988"]);
});
