/**
 * The system toolset over MCP stdio against the embedded simulator: every
 * tool called, each result validated against its listed output schema with
 * the SDK's validator, the content checked against what the other tools did
 * (futu-mcp's own auto-subscriptions, the history it fetched), and bad
 * arguments refused naming the field.
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { spawnValidated } from "../helpers/mcp.ts";
import { SYSTEM_TOOLS } from "../../src/tools/system.ts";

type Json = Record<string, unknown>;
type Table = { columns: string[]; rows: (string | number | null)[][] };
const SIM = ["--gateway", "sim", "--sim-clock", "2026-11-26T10:30:00+08:00"];

Deno.test("system tools: market and global state, subscriptions, quotas, user and delays", async (t) => {
  await using mcp = await spawnValidated([...SIM, "--toolsets", "quote,system"]);
  const { tools, call, failure, called } = mcp;
  for (const tool of SYSTEM_TOOLS) assert(tools.some((listed) => listed.name === tool.name), `${tool.name} is listed`);

  await t.step("market and global state at 10:30 in Hong Kong", async () => {
    const states = await call<Table>("futu_get_market_state", { symbols: ["HK.00700", "US.AAPL"] });
    assertEquals(states.columns, ["symbol", "name", "state"]);
    assertEquals(states.rows.map((r) => [r[0], r[2]]), [["HK.00700", "MORNING"], ["US.AAPL", "AFTER_HOURS_END"]]);
    const global = await call<{ markets: Record<string, string>; server_time: string; program_status: string }>(
      "futu_get_global_state",
    );
    assertEquals([global.markets.HK, global.markets.SH, global.markets.US], ["MORNING", "MORNING", "AFTER_HOURS_END"]);
    assertEquals(global.server_time, "2026-11-26T02:30:00.000Z");
    assertEquals(global.program_status, "READY");
  });

  await t.step("subscriptions list what futu-mcp subscribed by itself; the user's quota is OpenD's", async () => {
    await call("futu_get_quote", { symbols: ["HK.00700", "US.AAPL"] });
    await call("futu_get_orderbook", { symbol: "HK.00700" });
    type Subs = {
      used: number;
      remaining: number;
      quota: number;
      connections: { own: boolean; used: number; subscriptions: { sub_type: string; symbols: string[] }[] }[];
    };
    const subs = await call<Subs>("futu_query_subscription");
    assertEquals(subs.used, 3);
    assertEquals(subs.connections.length, 1);
    const [own] = subs.connections;
    assertEquals(own.own, true);
    assertEquals(own.subscriptions.map((s) => [s.sub_type, s.symbols.sort()]).sort(), [
      ["ORDER_BOOK", ["HK.00700"]],
      ["QUOTE", ["HK.00700", "US.AAPL"]],
    ]);
    const all = await call<Subs>("futu_query_subscription", { all_connections: true });
    assertEquals(all.quota, subs.quota);
    const user = await call<{ sub_quota: number; history_kl_quota: number; user_id: string; qot_rights: Json }>(
      "futu_get_user_info",
    );
    assertEquals(user.sub_quota, subs.quota);
    assertEquals(user.user_id, "10086001");
    assertEquals(user.qot_rights.HK, "LEVEL2");

    await call("futu_get_kline", { symbol: "SH.600519", kl_type: "K_DAY", begin: "2026-10-01", end: "2026-11-01" });
    const quota = await call<{ used: number; quota: number; detail?: Table }>("futu_get_history_kl_quota", {
      detail: true,
    });
    assertEquals(quota.used, 1);
    assertEquals(quota.quota, user.history_kl_quota);
    assertEquals(quota.detail?.rows.map((r) => r[0]), ["SH.600519"]);
    const brief = await call<{ detail?: Table }>("futu_get_history_kl_quota");
    assertEquals(brief.detail, undefined);
  });

  await t.step("delay statistics count the requests futu-mcp made", async () => {
    const stats = await call<{ push_stage: string; pushes: { type: string }[]; requests: Table; orders: Table }>(
      "futu_get_delay_statistics",
    );
    assertEquals(stats.push_stage, "SR2CS");
    assertEquals(stats.pushes.map((p) => p.type), ["PRICE", "TICKER"]);
    const byProtocol = new Map(stats.requests.rows.map((r) => [r[1], r]));
    const basicQot = byProtocol.get("Qot_GetBasicQot")!;
    assertEquals(basicQot[2], 1, "one futu_get_quote call");
    assert(typeof basicQot[3] === "number" && basicQot[3] >= 0);
    assertEquals(byProtocol.get("Qot_GetMarketState")?.[2], 1);
    const only = await call<{ pushes: unknown[]; requests: Table }>("futu_get_delay_statistics", {
      types: ["req_reply"],
      push_stage: "SR2SS",
      segments: [10, 100, -1],
    });
    assertEquals(only.pushes, []);
    assert(only.requests.rows.length > 0);
  });

  await t.step("bad arguments are refused naming the field", async () => {
    const symbol = await failure("futu_get_market_state", { symbols: ["0700"] });
    assertEquals(symbol.code, "invalid_arguments");
    assert(symbol.error.includes("symbols"), symbol.error);
    const stage = await failure("futu_get_delay_statistics", { push_stage: "SR2XX" });
    assert(stage.error.includes("push_stage: expected one of SR2SS"), stage.error);
    const segment = await failure("futu_get_delay_statistics", { segments: [6000] });
    assert(segment.error.includes("segments"), segment.error);
    const granularity = await failure("futu_get_delay_statistics", { segments: [120] });
    assertEquals(granularity.code, "opend_error");
    assert(granularity.error.includes("multiple of 50"), granularity.error);
    const unknown = await failure("futu_get_user_info", { verbose: true });
    assert(unknown.error.includes('unknown field "verbose"'), unknown.error);
  });

  assertEquals(
    [...called].filter((n) => n.startsWith("futu_") && SYSTEM_TOOLS.some((t) => t.name === n)).sort(),
    [
      ...SYSTEM_TOOLS.map((tool) => tool.name),
    ].sort(),
  );
});
