/**
 * The research toolset through a spawned futu-mcp over stdio and the MCP
 * SDK's client: every tool called, each result validated against its listed
 * output schema, the content checked against the simulated market and the
 * quote tools, bad arguments named.
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { spawnValidated } from "../helpers/mcp.ts";
import { FUNDAMENTAL_TOOLS } from "../../src/tools/fundamentals.ts";
import { securityBySymbol } from "../../src/sim/catalog.ts";

type Cell = string | number | boolean | null;
type Table = { columns: string[]; rows: Cell[][] };
const SIM = ["--gateway", "sim", "--sim-clock", "2026-11-26T10:30:00+08:00"];

/** The column of a table, by name. */
const column = (t: Table, name: string) => t.rows.map((r) => r[t.columns.indexOf(name)]);

Deno.test("research tools over stdio: every tool, valid results, bad arguments named", async () => {
  await using mcp = await spawnValidated([...SIM, "--toolsets", "research,quote"]);
  const { tools, call, failure, called } = mcp;
  const names = new Set(tools.map((t) => t.name));
  for (const tool of FUNDAMENTAL_TOOLS) assert(names.has(tool.name), `${tool.name} listed`);
  for (const tool of tools.filter((t) => FUNDAMENTAL_TOOLS.some((f) => f.name === t.name))) {
    assert((tool.description ?? "").length <= 520, `${tool.name}: description ${tool.description?.length} chars`);
  }
  const apple = securityBySymbol("US.AAPL")!;
  const quote = await call<{ quotes: { symbol: string; price: number }[] }>("futu_get_quote", { symbol: "US.AAPL" });

  // Company: the profile's market cap at the quoted price; an executive from the list has a background.
  const profile = await call<{ symbol: string; item_list: Table }>("futu_get_company", { symbol: "US.AAPL" });
  assertEquals(profile.symbol, "US.AAPL");
  const item = (name: string) => profile.item_list.rows.find((r) => r[0] === name)![1] as string;
  assertEquals(item("Company Name"), apple.name);
  const price = quote.quotes[0].price;
  assertEquals(Number(item("Price")), price, "the profile's price is the quote's");
  assertEquals(Number(item("Market Cap")), Math.round(price * apple.sharesOutstanding! * 100) / 100);
  const execs = await call<{ director_list: Table }>("futu_get_company", { symbol: "US.AAPL", view: "executives" });
  const leader = column(execs.director_list, "leader_name")[0] as string;
  const background = await call<{ brief_background: string }>("futu_get_company", {
    symbol: "US.AAPL",
    view: "executive_background",
    executive: leader,
  });
  assert(background.brief_background.startsWith(leader));
  const efficiency = await call<{ item_list: Table }>("futu_get_company", {
    symbol: "HK.00700",
    view: "efficiency",
    period: "ANNUAL",
  });
  assert(column(efficiency.item_list, "financial_type").every((t) => t === "ANNUAL"));

  // Financials: statement lines by field id; the annual net income is EPS × shares.
  const income = await call<{ structure_list: Table; report_list: { period_text: string; item_list: Table }[] }>(
    "futu_get_financials",
    { symbol: "US.AAPL", period: "ANNUAL", max_count: 2 },
  );
  const idOf = (name: string) =>
    column(income.structure_list, "field_id")[column(income.structure_list, "display_name").indexOf(name)];
  const line = (name: string) => {
    const items = income.report_list[0].item_list;
    return column(items, "data")[column(items, "field_id").indexOf(idOf(name))] as number;
  };
  assert(
    Math.abs(line("Net Income") - line("Basic EPS") * apple.sharesOutstanding!) < apple.sharesOutstanding! * 0.001,
  );
  const mix = await call<{ breakdown_list: { type: string; item_list: Table }[]; screen_date_list: Table }>(
    "futu_get_financials",
    { symbol: "US.AAPL", statement: "revenue_breakdown" },
  );
  assertEquals(mix.breakdown_list.map((b) => b.type), ["PRODUCT", "REGION"]);
  const date = column(mix.screen_date_list, "date")[2] as number;
  const older = await call<{ period: string }>("futu_get_financials", {
    symbol: "US.AAPL",
    statement: "revenue_breakdown",
    date,
    period: column(mix.screen_date_list, "financial_type")[2],
  });
  assertEquals(older.period, column(mix.screen_date_list, "period_text")[2]);

  // Earnings reactions, analyst views, valuation, corporate actions, search.
  const history = await call<{ detail_list: { is_current: boolean; schedule_info_list: Table }[] }>(
    "futu_get_earnings_reaction",
    { symbol: "US.NVDA" },
  );
  assert(history.detail_list[0].is_current && history.detail_list[0].schedule_info_list.rows.length > 5);
  const move = await call<{ detail_list: unknown[] }>("futu_get_earnings_reaction", {
    symbol: "US.NVDA",
    view: "move",
    max_count: 3,
  });
  assertEquals(move.detail_list.length, 3);
  const consensus = await call<{ total: number; buy: number; hold: number; sell: number; rating: string }>(
    "futu_get_analyst_ratings",
    { symbol: "US.AAPL" },
  );
  assert(Math.abs(consensus.buy + consensus.hold + consensus.sell - 100) < 0.05 && consensus.total > 0);
  assert(["BUY", "HOLD", "SELL"].includes(consensus.rating));
  await call("futu_get_analyst_ratings", { symbol: "US.AAPL", view: "summary", by: "analyst", max_count: 3 });
  await call("futu_get_analyst_ratings", { symbol: "HK.00700", view: "morningstar" });
  const changes = await call<{ data_list: Table; all_count: number }>("futu_get_analyst_ratings", {
    view: "changes",
    change_type: "downgrade",
  });
  assert(column(changes.data_list, "security").every((s) => String(s).startsWith("US.")));
  const detail = await call<{ view: string; trend: { current_value: number } }>("futu_get_valuation", {
    symbol: "US.AAPL",
  });
  assertEquals(detail.view, "detail");
  assertEquals(detail.trend.current_value, Math.round((price / apple.eps!) * 100) / 100);
  const plate = await call<{ view: string; stock_list: Table }>("futu_get_valuation", {
    symbol: "US.BK2001",
    sort_by: "valuation",
  });
  assertEquals(plate.view, "constituents");
  const values = column(plate.stock_list, "valuation_val") as number[];
  assertEquals(values, [...values].sort((a, b) => a - b));
  const dividends = await call<{ dividend_list: Table }>("futu_get_corporate_actions", { symbol: "US.AAPL" });
  assert(column(dividends.dividend_list, "ex_date").includes("2026/11/09"));
  await call("futu_get_corporate_actions", { symbol: "HK.00700", kind: "buybacks", max_count: 3 });
  const splits = await call<{ split_item_list: Table }>("futu_get_corporate_actions", {
    symbol: "US.TSLA",
    kind: "splits",
  });
  assertEquals(column(splits.split_item_list, "rate"), ["1:3", "1:5"]);
  const found = await call<{ symbols: string[] }>("futu_search_securities", { keyword: "nvidia" });
  assertEquals(found.symbols[0], "US.NVDA");

  // Bad arguments are refused, naming the argument.
  const missing = await failure("futu_get_company", { symbol: "US.AAPL", view: "executive_background" });
  assert(missing.error.includes("executive"), missing.error);
  const unknown = await failure("futu_get_company", { symbol: "US.NOPE" });
  assert(unknown.error.includes("NOPE"), unknown.error);
  const badStatement = await failure("futu_get_financials", { symbol: "US.AAPL", statement: "profit" });
  assert(badStatement.error.includes("statement"), badStatement.error);
  const badPeriod = await failure("futu_get_financials", {
    symbol: "US.AAPL",
    statement: "revenue_breakdown",
    period: "QUARTERLY_ANNUAL",
  });
  assert(badPeriod.error.includes("period"), badPeriod.error);
  const tooMany = await failure("futu_get_earnings_reaction", { symbol: "US.AAPL", view: "move", max_count: 51 });
  assert(tooMany.error.includes("max_count"), tooMany.error);
  const changesWithSymbol = await failure("futu_get_analyst_ratings", { symbol: "US.AAPL", view: "changes" });
  assert(changesWithSymbol.error.includes("symbol"), changesWithSymbol.error);
  const badMetric = await failure("futu_get_valuation", { symbol: "US.AAPL", metric: "EV" });
  assert(badMetric.error.includes("metric"), badMetric.error);
  const badKind = await failure("futu_get_corporate_actions", { symbol: "US.AAPL", kind: "mergers" });
  assert(badKind.error.includes("kind"), badKind.error);
  const emptySearch = await failure("futu_search_securities", { keyword: "" });
  assert(emptySearch.error.includes("keyword"), emptySearch.error);

  for (const tool of FUNDAMENTAL_TOOLS) assert(called.has(tool.name), `${tool.name} called`);
});
