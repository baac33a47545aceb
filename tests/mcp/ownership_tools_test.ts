/**
 * The ownership toolset through a spawned futu-mcp over stdio and the MCP
 * SDK's client: every tool called, each result validated against its listed
 * output schema, ids from one view accepted by the next, the content checked
 * against the quote tools (closes, volumes, turnover), bad arguments named.
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { spawnValidated } from "../helpers/mcp.ts";
import { OWNERSHIP_TOOLS } from "../../src/tools/ownership.ts";

type Cell = string | number | boolean | null;
type Table = { columns: string[]; rows: Cell[][] };
/** Wednesday 2026-11-25 10:30 in New York: the US trades, HK has closed for the day. */
const SIM = ["--gateway", "sim", "--sim-clock", "2026-11-25T10:30:00-05:00"];

/** The rows of a table as records. */
function records(table: Table): Record<string, Cell>[] {
  return table.rows.map((row) => Object.fromEntries(table.columns.map((c, i) => [c, row[i]])));
}

const near = (a: number, b: number, tolerance: number, what: string) =>
  assert(Math.abs(a - b) <= tolerance, `${what}: ${a} vs ${b} (±${tolerance})`);

Deno.test("ownership tools over stdio: every tool, valid results, ids that chain, bad arguments named", async () => {
  await using mcp = await spawnValidated([...SIM, "--toolsets", "ownership,quote"]);
  const { tools, call, failure, called } = mcp;
  const names = new Set(tools.map((t) => t.name));
  for (const tool of OWNERSHIP_TOOLS) assert(names.has(tool.name), `${tool.name} listed`);

  // Shareholders: the overview's top holder, its history, the quarter's changes.
  type Static = { static_date_str: string; item_list: Table };
  const overview = await call<{ main_holder_info_list: Static[]; holding_period_list: Table }>(
    "futu_get_shareholders",
    { symbol: "US.AAPL" },
  );
  const top = records(overview.main_holder_info_list[0].item_list)[0];
  const periods = records(overview.holding_period_list);
  assertEquals(periods[0].period_text, "2026/Q3");
  const history = await call<{ item_list: Table }>("futu_get_shareholders", {
    symbol: "US.AAPL",
    view: "holder",
    holder_id: String(top.holder_id),
  });
  const entries = records(history.item_list);
  assertEquals(entries[0].holder_pct, top.holder_pct);
  assertEquals(entries[0].name, top.name);
  const earlier = await call<{ item_list: Table }>("futu_get_shareholders", {
    symbol: "US.AAPL",
    view: "holder",
    period_id: String(periods[1].period_id),
    holder_type: "TRADITIONAL_INVESTMENT_MANAGER",
  });
  assert(records(earlier.item_list).every((r) => r.period_text === periods[1].period_text));
  const increases = await call<{ item_list: Table }>("futu_get_shareholders", {
    symbol: "US.AAPL",
    view: "changes",
    change: "INCREASE",
    num: 20,
  });
  const rows = records(increases.item_list);
  assert(rows.length > 0 && rows.every((r) => Number(r.share_change_num) > 0));
  const institutional = await call<{ item_list: Table; next_key: string }>("futu_get_shareholders", {
    symbol: "US.AAPL",
    view: "institutional",
    num: 4,
  });
  assertEquals(institutional.item_list.rows.length, 4);
  assertEquals(institutional.next_key, "4");

  // Insiders: each holds what its latest trade left.
  const insiders = await call<{ item_list: Table; insider_total_count: number }>("futu_get_insiders", {
    symbol: "US.AAPL",
  });
  const insider = records(insiders.item_list)[0];
  assertEquals(insiders.insider_total_count, insiders.item_list.rows.length);
  const trades = await call<{ item_list: Table }>("futu_get_insiders", {
    symbol: "US.AAPL",
    view: "trades",
    holder_id: insider.holder_id as string,
    num: 5,
  });
  const trade = records(trades.item_list)[0];
  assertEquals(trade.security_holder_quantity, insider.holder_quantity);
  assertEquals(trade.name, insider.name);

  // Institutions: an id from the list opens its profile, industries, changes and holdings, which add up.
  const list = await call<{ data_list: Table; currency: string }>("futu_get_institutions", { num: 5 });
  assertEquals(list.currency, "USD");
  const institution = records(list.data_list)[0];
  const id = String(institution.institution_id);
  const profile = await call<{ institution_id: string; institution_name: string }>("futu_get_institutions", {
    view: "profile",
    institution_id: id,
  });
  assertEquals([profile.institution_id, profile.institution_name], [id, institution.institution_name]);
  const holdings = await call<{ data_list: Table }>("futu_get_institutions", { view: "holdings", institution_id: id });
  near(
    records(holdings.data_list).reduce((s, r) => s + (r.holding_value as number), 0),
    institution.position_value as number,
    0.05,
    "holdings add up to the position value",
  );
  const industries = await call<{ data_list: Table }>("futu_get_institutions", {
    view: "distribution",
    institution_id: id,
  });
  near(
    records(industries.data_list).reduce((s, r) => s + (r.portfolio_pct as number), 0),
    100,
    0.001,
    "industries add up to 100 %",
  );
  await call("futu_get_institutions", { view: "holding_changes", institution_id: id, change: "increase" });
  const hk = await call<{ currency: string; market: string }>("futu_get_institutions", { market: "HK" });
  assertEquals([hk.market, hk.currency], ["HK", "HKD"]);

  // ARK: positions valued at the last close the quote shows.
  const ark = await call<{ data_list: Table }>("futu_get_ark_holdings", {});
  const positions = records(ark.data_list);
  assert(positions.length > 0);
  const quotes = await call<{ quotes: { symbol: string; last_close: number }[] }>("futu_get_quote", {
    symbols: positions.map((p) => p.security as string),
  });
  for (const p of positions) {
    const close = quotes.quotes.find((q) => q.symbol === p.security)!.last_close;
    near(p.market_value as number, Number(p.shares) * close, 0.01, `${p.security} at the last close`);
  }
  await call("futu_get_ark_holdings", { view: "trades", change: "decrease", cycle: "30d" });
  await call("futu_get_ark_holdings", { view: "fund", change: "increase", cycle: "10d", sort: "shares_change" });
  const stock = await call<{ symbol: string; dynamic_type: number }>("futu_get_ark_holdings", {
    view: "stock",
    symbol: "us.tsla",
  });
  assertEquals(stock.symbol, "US.TSLA");

  // Short selling: the day's volume is the candle's.
  const daily = await call<{ us_item_list: Table }>("futu_get_short_interest", {
    symbol: "US.AAPL",
    view: "daily_volume",
    num: 3,
  });
  const day = records(daily.us_item_list)[0];
  const candles = await call<{ columns: string[]; rows: Cell[][] }>("futu_get_kline", {
    symbol: "US.AAPL",
    begin: day.timestamp_str as string,
    end: day.timestamp_str as string,
    rehab: "NONE",
  });
  const candle = records(candles)[0];
  assertEquals(Number(day.volume), candle.volume);
  assert(Number(day.total_shares_short) <= Number(day.volume));
  const interest = await call<{ us_item_list: Table }>("futu_get_short_interest", { symbol: "US.TSLA" });
  for (const r of records(interest.us_item_list)) {
    near(r.days_to_cover as number, Number(r.shares_short) / Number(r.avg_daily_share_volume), 0.005, "days to cover");
  }

  // Top brokers: inside the day's range and turnover as the quote shows them.
  const brokers = await call<{ broker_list: Table; is_real_time: boolean }>("futu_get_top_brokers", {
    symbol: "HK.00700",
  });
  assert(brokers.is_real_time);
  const [quote] = (await call<{ quotes: { turnover: number; high: number; low: number }[] }>("futu_get_quote", {
    symbol: "HK.00700",
  })).quotes;
  const list10 = records(brokers.broker_list);
  assert(list10.reduce((s, b) => s + (b.total_turnover as number), 0) <= quote.turnover);
  for (const b of list10) assert((b.avg_price as number) >= quote.low && (b.avg_price as number) <= quote.high);
  assert(list10.every((b) => (b.buy_sell_type === "NET_BUY") === Number(b.net_vol) > 0));
  const yesterday = await call<{ is_real_time: boolean; broker_list: Table }>("futu_get_top_brokers", {
    symbol: "HK.00700",
    days_before: 1,
  });
  assertEquals(yesterday.is_real_time, false);

  // Bad arguments are refused naming the argument; bad ids by the server.
  const cases: [string, Record<string, unknown>, string][] = [
    ["futu_get_shareholders", { symbol: "US.AAPL", num: 5 }, "num"],
    ["futu_get_shareholders", { symbol: "US.AAPL", view: "changes", sort: "shares" }, "sort"],
    ["futu_get_shareholders", { symbol: "US.AAPL", view: "holder", holder_type: "BANKERS" }, "holder_type"],
    ["futu_get_shareholders", { symbol: "US.AAPL", view: "holder", holder_id: "1" }, "holderId"],
    ["futu_get_shareholders", { symbol: "US.AAPL", view: "holder", holder_id: 1 }, "holder_id"],
    ["futu_get_shareholders", { symbol: "US.AAPL", view: "changes", num: 51 }, "num"],
    ["futu_get_insiders", { symbol: "US.AAPL", num: 30 }, "num"],
    ["futu_get_insiders", { symbol: "US.AAPL", holder_id: "1" }, "holder_id"],
    ["futu_get_institutions", { view: "profile" }, "institution_id"],
    ["futu_get_institutions", { view: "profile", institution_id: "5" }, "institutionId"],
    ["futu_get_institutions", { view: "profile", institution_id: "4294967296" }, "institution_id"],
    ["futu_get_institutions", { market: "SH" }, "market"],
    ["futu_get_institutions", { view: "holdings", institution_id: id, sort: "position_value" }, "sort"],
    ["futu_get_ark_holdings", { view: "stock" }, "symbol"],
    ["futu_get_ark_holdings", { view: "trades", change: "position" }, "change"],
    ["futu_get_ark_holdings", { cycle: "5d" }, "cycle"],
    ["futu_get_short_interest", { symbol: "SH.600519" }, "HK and US"],
    ["futu_get_top_brokers", { symbol: "HK.00700", days_before: 300 }, "days_before"],
    ["futu_get_top_brokers", { symbol: "US.AAPL" }, "HK stocks"],
  ];
  for (const [tool, args, named] of cases) {
    const { error } = await failure(tool, args);
    assert(error.includes(named), `${tool} ${JSON.stringify(args)}: ${error}`);
  }

  for (const tool of OWNERSHIP_TOOLS) assert(called.has(tool.name), `${tool.name} called`);
});
