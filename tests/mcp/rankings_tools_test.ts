/**
 * The rankings toolset through a spawned futu-mcp over stdio and the MCP
 * SDK's client: every tool called, each result validated against its listed
 * output schema, ranks checked against futu_get_quote, ids from one view
 * accepted by the next, bad arguments refused naming the argument.
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { spawnValidated } from "../helpers/mcp.ts";
import { RANKING_TOOLS } from "../../src/tools/rankings.ts";

type Cell = string | number | boolean | null;
type Table = { columns: string[]; rows: Cell[][] };
const SIM = ["--gateway", "sim", "--sim-clock", "2026-11-26T10:30:00+08:00"];
const column = (t: Table, name: string) => t.rows.map((r) => r[t.columns.indexOf(name)]);

Deno.test("rankings tools over stdio: every tool, valid results, quotes agree, bad arguments named", async () => {
  await using mcp = await spawnValidated([...SIM, "--toolsets", "rankings,quote"]);
  const { tools, call, failure, called } = mcp;
  const names = new Set(tools.map((t) => t.name));
  for (const tool of RANKING_TOOLS) assert(names.has(tool.name), `${tool.name} listed`);

  // Top movers: the same change as futu_get_quote, for every stock listed.
  const movers = await call<{ data_list: Table; all_count: number; session: string }>("futu_get_top_movers", {
    market: "HK",
  });
  assertEquals(movers.session, "regular");
  const listed = column(movers.data_list, "security") as string[];
  assertEquals(listed.length, movers.all_count);
  const quotes = await call<{ quotes: { symbol: string; change_pct: number }[] }>("futu_get_quote", {
    symbols: listed,
  });
  const changes = column(movers.data_list, "change_ratio") as number[];
  listed.forEach((symbol, i) => {
    assertEquals(changes[i], quotes.quotes.find((q) => q.symbol === symbol)!.change_pct, `${symbol} change`);
  });
  assert(changes.every((c, i) => i === 0 || changes[i - 1] >= c), "gainers first");
  const losers = await call<{ data_list: Table }>("futu_get_top_movers", {
    market: "HK",
    direction: "losers",
    max_count: 2,
  });
  assertEquals(column(losers.data_list, "security"), listed.slice(-2).reverse());
  const pre = await call<{ data_list: Table }>("futu_get_top_movers", { session: "pre_market", price: "ABOVE_100" });
  assert((column(pre.data_list, "pre_market_price") as number[]).every((p) => p > 100), "price filter");
  await call("futu_get_top_movers", { session: "after_hours" });
  await call("futu_get_top_movers", { session: "overnight", filters: [{ field: "MARKET_CAP", min: 1e12 }] });

  // Hot-list rows nest a news item, so they render as records, not a table.
  const hot = await call<{ data_list: { trade_heat: number; news_info: { title: string } }[] }>("futu_get_hot_list", {
    market: "US",
    sort: "TRADE",
  });
  const heat = hot.data_list.map((r) => r.trade_heat);
  assert(hot.data_list.every((r) => r.news_info.title.length > 0), "a headline each");
  assert(heat.every((h, i) => i === 0 || heat[i - 1] >= h), "by trade heat");

  const period = await call<{ data_list: Table; period: string }>("futu_get_period_change_rank", {
    market: "US",
    period: "20_DAY",
    filters: [{ field: "PRICE", min: 1 }],
  });
  assertEquals(period.period, "20_DAY");
  const twenty = column(period.data_list, "change_rate20_d") as number[];
  assert(twenty.length === 3 && twenty.every((c, i) => i === 0 || twenty[i - 1] >= c), "by the 20-day change");

  const dividends = await call<{ data_list: Table }>("futu_get_dividend_rank", { market: "HK" });
  const yields = column(dividends.data_list, "dividend_yield_ttm") as number[];
  const prices = column(dividends.data_list, "cur_price") as number[];
  const dividendTTM = column(dividends.data_list, "dividends_ttm") as number[];
  yields.forEach((y, i) => assertEquals(y, Math.round(dividendTTM[i] / prices[i] * 100 * 1000) / 1000, "yield"));
  const soe = await call<{ data_list: Table; all_count: number }>("futu_get_dividend_rank", {
    kind: "high_dividend_soe",
    filters: [{ field: "DIVIDEND_YIELD_TTM", min: 0 }],
  });
  assertEquals(soe.all_count, 2);

  const beats = await call<{ data_list: Table; all_count: number }>("futu_get_earnings_beat_rank", {
    market: "US",
    term: "LATEST_ANNUAL",
    filters: [{ field: "BEAT_RATIO", min: -100 }],
    sort: "BEAT_RATIO",
  });
  assertEquals(beats.all_count, 3);
  assert((column(beats.data_list, "term") as string[]).every((t) => t.endsWith("/FY")));

  const short = await call<{ data_list: Table }>("futu_get_short_selling_rank", { sort: "SHORT_RATIO" });
  const volume = column(short.data_list, "volume").map(Number);
  column(short.data_list, "short_number").map(Number).forEach((s, i) => assert(s <= volume[i], "short ≤ volume"));

  const map = await call<{ plate_data_list: Table; all_count: number }>("futu_get_market_breadth", {
    market: "HK",
    plate_type: "CONCEPT",
  });
  assertEquals(map.all_count, 2);
  const breadth = await call<{ stock_count: number; range_list: Table }>("futu_get_market_breadth", {
    view: "rise_fall",
    market: "HK",
  });
  assertEquals(breadth.stock_count, listed.length, "every HK stock counted once");
  const plate = await call<{ stock_count: number; plate: string }>("futu_get_market_breadth", {
    view: "rise_fall",
    plate: "HK.BK1910",
  });
  assertEquals([plate.plate, plate.stock_count], ["HK.BK1910", 2]);

  // Chain rows list their related stocks, so they render as records.
  type Chain = { chain_id: string; name: string; relation_security_list: string[] };
  const chains = await call<{ data_list: Chain[] }>("futu_get_industrial_chain", { market: "US" });
  const chainId = chains.data_list[0].chain_id;
  assert(chains.data_list.every((c) => c.relation_security_list.some((s) => s.startsWith("US."))));
  const detail = await call<{ node_list: Table; name: string }>("futu_get_industrial_chain", {
    view: "detail",
    chain_id: chainId,
  });
  assertEquals(detail.name, chains.data_list[0].name);
  const plateId = column(detail.node_list, "plate_id").find((p) => p !== null) as string;
  const related = await call<{ related_chain_list: Table }>("futu_get_industrial_chain", {
    view: "by_plate",
    plate_id: plateId,
  });
  assert(column(related.related_chain_list, "chain_id").includes(chainId));
  const info = await call<{ summary: string }>("futu_get_industrial_chain", { view: "plate_info", plate_id: plateId });
  assert(info.summary.length > 0);
  const members = await call<{ stock_list: Table; all_count: number }>("futu_get_industrial_chain", {
    view: "plate_stocks",
    chain_id: chainId,
    markets: ["US"],
  });
  assert(
    members.all_count > 0 && (column(members.stock_list, "security") as string[]).every((s) => s.startsWith("US.")),
  );

  // Bad arguments are refused, naming the argument.
  const named = async (tool: string, args: Record<string, unknown>, name: string) => {
    const { error } = await failure(tool, args);
    assert(error.includes(name), `${tool} ${JSON.stringify(args)}: ${error}`);
  };
  await named("futu_get_top_movers", { market: "HK", session: "pre_market" }, "market");
  await named("futu_get_top_movers", { market: "HK", max_count: 500 }, "max_count");
  await named("futu_get_hot_list", { market: "SH" }, "market");
  await named("futu_get_period_change_rank", { market: "US", period: "10_YEAR" }, "period");
  await named("futu_get_period_change_rank", { market: "US", filters: [{ field: "PE", min: 9, max: 1 }] }, "min");
  await named("futu_get_dividend_rank", {}, "market");
  await named("futu_get_dividend_rank", { kind: "high_dividend_soe", sort: "PAYOUT_RATIO_LFY" }, "sort");
  await named(
    "futu_get_earnings_beat_rank",
    { market: "US", released_from: "2026-12-01", released_to: "2026-11-01" },
    "released_from",
  );
  await named("futu_get_short_selling_rank", { max_count: 36 }, "max_count");
  await named("futu_get_short_selling_rank", { plates: ["US.BK0000"] }, "BK0000");
  await named("futu_get_market_breadth", { view: "rise_fall" }, "market");
  await named("futu_get_market_breadth", { market: "HK", page: "next" }, "page");
  await named("futu_get_industrial_chain", { view: "detail" }, "chain_id");
  await named("futu_get_industrial_chain", { view: "detail", chain_id: "9999" }, "9999");
  await named("futu_get_industrial_chain", { view: "plate_info", plate_id: "abc" }, "plate_id");

  for (const tool of RANKING_TOOLS) assert(called.has(tool.name), `${tool.name} called`);
});
