/**
 * The macro, news and suspension tools through a spawned futu-mcp over stdio
 * and the MCP SDK's client: every tool called, each result validated
 * against its listed output schema, the content checked against the quote
 * and rehab tools and the simulator's earnings reports, bad arguments named.
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { spawnValidated } from "../helpers/mcp.ts";
import { MACRO_TOOLS } from "../../src/tools/macro.ts";
import { securityBySymbol } from "../../src/sim/catalog.ts";
import { earningsReports } from "../../src/sim/earnings.ts";

type Cell = string | number | boolean | null;
type Table = { columns: string[]; rows: Cell[][] };
const SIM = ["--gateway", "sim", "--sim-clock", "2026-11-26T10:30:00+08:00"];

function column(table: Table, name: string): Cell[] {
  const i = table.columns.indexOf(name);
  assert(i >= 0, `column ${name} in ${table.columns}`);
  return table.rows.map((r) => r[i]);
}

Deno.test("macro tools over stdio: every tool, valid results, consistent with quotes and rehab, bad arguments named", async () => {
  await using mcp = await spawnValidated([...SIM, "--toolsets", "macro,news,calendar,quote"]);
  const { tools, call, failure, called } = mcp;
  const names = new Set(tools.map((t) => t.name));
  for (const tool of MACRO_TOOLS) assert(names.has(tool.name), `${tool.name} listed`);

  // Earnings: a month for one symbol (four OpenD windows), the report's EPS, cap = quote × shares.
  type EarningsItem = {
    security: string;
    earnings_date: string;
    price: number;
    market_cap: number;
    estimate_list: Table;
  };
  const earnings = await call<{ total: number; item_list: EarningsItem[] }>("futu_get_earnings_calendar", {
    symbol: "US.AAPL",
    begin: "2026-10-01",
    end: "2026-10-31",
  });
  const [report] = earningsReports(securityBySymbol("US.AAPL")!, "2026-10-01", "2026-10-31");
  assertEquals(earnings.total, 1);
  const [aapl] = earnings.item_list;
  assertEquals([aapl.security, aapl.earnings_date], ["US.AAPL", report.date]);
  assertEquals(column(aapl.estimate_list, "predict_value"), [report.epsEstimate]);
  assertEquals(column(aapl.estimate_list, "actual_value"), [report.epsActual]);
  // The US is closed at this hour: the price stands still between the two calls.
  const quote = await call<{ quotes: { price: number }[] }>("futu_get_quote", { symbols: ["US.AAPL"] });
  const price = quote.quotes[0].price;
  assertEquals(aapl.price, price, "the quote's price");
  assertEquals(aapl.market_cap, Math.round(price * securityBySymbol("US.AAPL")!.sharesOutstanding! * 100) / 100);
  const market = await call<{ total: number; item_list: EarningsItem[] }>("futu_get_earnings_calendar", {
    market: "HK",
    begin: "2026-11-01",
    end: "2026-11-14",
    max_count: 2,
  });
  assert(market.total > 2 && market.item_list.length === 2, "max_count caps the rows, total counts them all");

  // Dividends: the rehab factors' ex-dates.
  const dividends = await call<{ total: number; item_list: Table }>("futu_get_dividend_calendar", {
    market: "US",
    begin: "2026-11-09",
    end: "2026-11-13",
  });
  assertEquals(column(dividends.item_list, "security"), ["US.AAPL"]);
  const rehab = await call<{ columns: string[]; rows: Cell[][] }>("futu_get_rehab", { symbol: "US.AAPL" });
  const exDates = rehab.rows.map((r) => r[rehab.columns.indexOf("ex_date")]);
  assert(exDates.includes(column(dividends.item_list, "ex_date")[0]), "a rehab ex-date");

  // Economic calendar pages; macro list and history; FedWatch.
  const first = await call<{ item_list: Table; next_page: string; has_more: boolean }>("futu_get_economic_calendar", {
    begin: "2026-12-01",
    end: "2026-12-31",
    markets: ["US", "CN"],
    max_count: 5,
  });
  assert(first.has_more && first.item_list.rows.length === 5);
  assert(column(first.item_list, "country").every((c) => c === "United States" || c === "China"));
  const second = await call<{ item_list: Table }>("futu_get_economic_calendar", {
    begin: "2026-12-01",
    end: "2026-12-31",
    markets: ["US", "CN"],
    max_count: 5,
    next_page: first.next_page,
  });
  assert(
    column(second.item_list, "timestamp")[0]! >= column(first.item_list, "timestamp")[4]!,
    "the next page follows",
  );
  const high = await call<{ item_list: Table }>("futu_get_economic_calendar", {
    begin: "2026-12-01",
    end: "2026-12-10",
    importance: "high",
  });
  assert(column(high.item_list, "star").every((s) => s === 3));

  const list = await call<{ view: string; indicator_list: { category_name: string; indicator_list: Table }[] }>(
    "futu_get_macro_indicator",
    { region: "US" },
  );
  assertEquals(list.view, "list");
  const all = list.indicator_list.find((c) => c.category_name === "All")!;
  const cpiId = column(
    all.indicator_list,
    "indicator_id",
  )[column(all.indicator_list, "name").indexOf("CPI YoY")] as string;
  const history = await call<{ view: string; indicator_id: string; data_list: Table }>("futu_get_macro_indicator", {
    indicator_id: cpiId,
    max_count: 12,
  });
  assertEquals([history.view, history.indicator_id, history.data_list.rows.length], ["history", cpiId, 12]);
  assertEquals(column(history.data_list, "unit_type")[0], 1, "percent");

  const odds = await call<{ view: string; meeting_list: { meeting_date: string; target_rate_list: Table }[] }>(
    "futu_get_fed_watch",
  );
  assertEquals(odds.view, "target_rate");
  for (const m of odds.meeting_list) {
    const total = (column(m.target_rate_list, "probability") as number[]).reduce((s, p) => s + p, 0);
    assert(Math.abs(total - 100) < 1e-9, `${m.meeting_date}: ${total}`);
  }
  const dots = await call<{ view: string; current_rate: number; year_list: { year: number; dot_list: Table }[] }>(
    "futu_get_fed_watch",
    { view: "dot_plot" },
  );
  assert(dots.current_rate > 0 && dots.year_list.length >= 3);
  for (const y of dots.year_list) {
    assertEquals((column(y.dot_list, "vote_count") as number[]).reduce((s, v) => s + v, 0), 19);
  }

  // Suspensions: none.
  const suspended = await call<{ security_suspend_list: { security: string; suspend_list?: Table }[] }>(
    "futu_get_suspensions",
    { symbols: ["HK.00700", "US.AAPL"], begin: "2026-01-01", end: "2026-11-26" },
  );
  assertEquals(suspended.security_suspend_list.map((s) => s.security), ["HK.00700", "US.AAPL"]);
  assert(suspended.security_suspend_list.every((s) => (s.suspend_list?.rows ?? []).length === 0));

  // News about a symbol and a keyword: every item related to it and titled with the word.
  type News = { title: string; news_sub_type: number; related_securities: string[]; publish_time: string };
  const news = await call<{ keyword: string; search_news_list: News[] }>("futu_search_news", {
    symbol: "US.AAPL",
    keyword: "EPS",
    max_count: 20,
  });
  assertEquals(news.keyword, "AAPL EPS");
  assert(news.search_news_list.length >= 1);
  for (const n of news.search_news_list) {
    assert(n.title.includes("EPS") && n.related_securities.includes("AAPL.US"), n.title);
  }
  const ratings = await call<{ search_news_list: News[] }>("futu_search_news", { keyword: "Tencent", kind: "RATING" });
  assert(ratings.search_news_list.length > 0);
  assert(ratings.search_news_list.every((n) => n.news_sub_type === 3 && n.title.includes("TENCENT")));

  // Bad arguments, named.
  const bad: [string, Record<string, unknown>, string][] = [
    ["futu_get_earnings_calendar", { begin: "2026-10-01" }, "market"],
    ["futu_get_earnings_calendar", { market: "US", begin: "2026-10-01", end: "2026-12-01" }, "end"],
    ["futu_get_earnings_calendar", { market: "HK", symbol: "US.AAPL" }, "symbol"],
    ["futu_get_dividend_calendar", { symbol: "SH.600519", begin: "2026-06-25" }, "symbol"],
    ["futu_get_dividend_calendar", { market: "US", begin: "2026-11-01", end: "2026-11-30" }, "end"],
    ["futu_get_economic_calendar", { begin: "2026-12-01", markets: ["XX"] }, "markets"],
    ["futu_get_economic_calendar", { begin: "2026-12-01", max_count: 500 }, "max_count"],
    ["futu_get_macro_indicator", {}, "indicator_id"],
    ["futu_get_macro_indicator", { region: "US", max_count: 5 }, "indicator_id"],
    ["futu_get_fed_watch", { view: "minutes" }, "view"],
    ["futu_get_suspensions", { symbols: ["HK.00700"], begin: "2026-02-01", end: "2026-01-01" }, "end"],
    ["futu_search_news", {}, "keyword"],
    ["futu_search_news", { keyword: "x", kind: "GOSSIP" }, "kind"],
  ];
  for (const [name, args, field] of bad) {
    const { error } = await failure(name, args);
    assert(error.includes(field), `${name} ${JSON.stringify(args)}: ${error}`);
  }
  const unknown = await failure("futu_get_macro_indicator", { indicator_id: "123" });
  assert(unknown.error.includes("123"), unknown.error);

  for (const tool of MACRO_TOOLS) assert(called.has(tool.name), `${tool.name} called`);
});
