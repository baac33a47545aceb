/**
 * The options-analytics toolset through a spawned futu-mcp over stdio and the
 * MCP SDK's client: every tool called, each result validated against its
 * listed output schema, the content checked against the option chain and
 * snapshot tools, an alert set and seen in the alerts view, bad arguments
 * refused naming the argument.
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { spawnValidated } from "../helpers/mcp.ts";
import { OPTIONS_ANALYTICS_TOOLS } from "../../src/tools/options_analytics.ts";

type Cell = string | number | boolean | null;
type Table = { columns: string[]; rows: Cell[][] };
/** Friday 2026-11-20, 10:30 in New York: the US trades and options expire today. */
const SIM = ["--gateway", "sim", "--sim-clock", "2026-11-20T10:30:00-05:00"];

const column = (t: Table, name: string) => t.rows.map((r) => r[t.columns.indexOf(name)]);
const cell = (t: Table, row: number, name: string) => t.rows[row][t.columns.indexOf(name)];

Deno.test("options analytics tools over stdio: every tool, valid results, consistent with the chain, bad arguments named", async () => {
  await using mcp = await spawnValidated([...SIM, "--toolsets", "options-analytics,quote,options", "--enable-trading"]);
  const { tools, call, failure, called } = mcp;
  const names = new Set(tools.map((t) => t.name));
  for (const tool of OPTIONS_ANALYTICS_TOOLS) assert(names.has(tool.name), `${tool.name} listed`);

  // The at-the-money call of AAPL's nearest expiry, as the chain shows it.
  const chain = await call<{ spot: number; columns: string[]; rows: Cell[][] }>("futu_get_option_chain", {
    symbol: "US.AAPL",
  });
  const strikes = column(chain, "strike") as number[];
  const atmRow = strikes.reduce(
    (best, k, i) => Math.abs(k - chain.spot) < Math.abs(strikes[best] - chain.spot) ? i : best,
    0,
  );
  const atmCall = cell(chain, atmRow, "call") as string;
  const nextCall = cell(chain, atmRow + 1, "call") as string;
  const expiry = cell(chain, atmRow, "expiry") as string;

  const summary = await call<{ view: string; item_list: Table; impvol_status: string; analysis: string }>(
    "futu_get_option_volatility",
    { symbol: "US.AAPL" },
  );
  assertEquals(summary.view, "summary");
  assertEquals(cell(summary.item_list, 0, "implied_volatility"), cell(chain, atmRow, "call_iv"), "ATM IV = chain IV");
  assert(["IMPVOL_FLUCTUATING", "IMPVOL_OVERVALUED", "IMPVOL_UNDERVALUED"].includes(summary.impvol_status));
  const history = await call<{ volatility_list: Table; next_page_key: string | null }>("futu_get_option_volatility", {
    symbol: "US.AAPL",
    view: "history",
    begin: "2026-11-01",
    end: "2026-11-20",
  });
  assertEquals(cell(history.volatility_list, 0, "iv"), cell(chain, atmRow, "call_iv"));
  assertEquals(history.next_page_key, null);
  const overview = await call<{ underlying_data_list: { iv: number; hv_list: Table }[] }>(
    "futu_get_option_volatility",
    { symbol: "US.AAPL", view: "overview" },
  );
  assertEquals(overview.underlying_data_list[0].iv, cell(chain, atmRow, "call_iv"));
  const stats = await call<{ statistic_list: Table; next_page_key: string | null }>("futu_get_option_volatility", {
    symbol: "US.AAPL",
    view: "statistics",
    begin: "2026-01-01",
    end: "2026-11-20",
  });
  assertEquals(stats.statistic_list.rows.length, 60);
  assert(stats.next_page_key !== null, "a key to the next page");
  const older = await call<{ statistic_list: Table }>("futu_get_option_volatility", {
    symbol: "US.AAPL",
    view: "statistics",
    begin: "2026-01-01",
    end: "2026-11-20",
    next_page_key: stats.next_page_key,
  });
  assert((cell(older.statistic_list, 0, "time") as string) < (cell(stats.statistic_list, 59, "time") as string));

  // Without begin/end: the 30 days to OpenD's (the simulator's) today, newest first.
  const market = await call<{ statistic_list: Table }>("futu_get_option_market_statistic", {
    market: "US_SECURITY",
    data: "open_interest",
  });
  assertEquals(cell(market.statistic_list, 0, "time"), "2026-11-20");
  assert((column(market.statistic_list, "time").at(-1) as string) >= "2026-10-21");
  assert(Number(cell(market.statistic_list, 0, "call_value")) > 0);

  const probability = await call<{ item_list: Table }>("futu_get_exercise_probability", { symbol: atmCall });
  const p = cell(probability.item_list, 0, "strike_probability") as number;
  assert(p > 0 && p < 100, `${p}`);

  const quote = await call<{ option_quote_list: { price: number; iv: number; delta: number }[] }>(
    "futu_get_option_quote",
    {
      legs: [{ symbol: atmCall }],
    },
  );
  const [snapshot] = (await call<{ snapshots: { price: number; option: { impliedVolatility: number } }[] }>(
    "futu_get_snapshot",
    { symbols: [atmCall] },
  )).snapshots;
  // The simulated clock runs: the two calls are a few milliseconds apart.
  assert(Math.abs(quote.option_quote_list[0].price - snapshot.price) <= 0.01 * snapshot.price + 0.002, "price");
  assertEquals(quote.option_quote_list[0].iv, snapshot.option.impliedVolatility);

  const spread = [{ symbol: atmCall }, { symbol: nextCall, side: "SELL" }];
  // The spread's debit as the chain prices it now. The simulated clock runs and this 0DTE spread is nearly
  // delta one (its debit moves about a cent a second at this clock), so it is read right before and after
  // the analysis rather than taken from the chain above, which is a second or more older.
  const debitNow = async () => {
    const legs = await call<{ columns: string[]; rows: Cell[][] }>("futu_get_option_chain", {
      symbol: "US.AAPL",
      expiry,
      strike_min: strikes[atmRow],
      strike_max: strikes[atmRow + 1],
    });
    assertEquals(column(legs, "call"), [atmCall, nextCall]);
    return (cell(legs, 0, "call_price") as number) - (cell(legs, 1, "call_price") as number);
  };
  const before = await debitNow();
  const analysis = await call<{ option_strategy: number; max_loss: number; breakeven_points: number[] }>(
    "futu_analyze_option_strategy",
    { view: "analysis", legs: spread },
  );
  const after = await debitNow();
  assertEquals(analysis.option_strategy, 4);
  assert(
    analysis.max_loss > Math.min(before, after) * 100 - 1 && analysis.max_loss < Math.max(before, after) * 100 + 1,
    `max loss ${analysis.max_loss} = debit ${before} … ${after} × 100`,
  );
  const listed = await call<{ total: number; strategy_list: { name: string; multi_legs: Table }[] }>(
    "futu_analyze_option_strategy",
    { symbol: "US.AAPL", strategy: "IRON_CONDOR", expiry, limit: 3 },
  );
  assertEquals(listed.strategy_list.length, 3);
  assert(listed.total >= 3 && listed.strategy_list[0].name.startsWith("Iron Condor AAPL"));
  const widths = await call<{ spread_list: number[] }>("futu_analyze_option_strategy", {
    view: "spread",
    symbol: "US.AAPL",
    strategy: "SPREAD",
    expiry,
  });
  assert(widths.spread_list.length > 0);

  const ranked = await call<{ rank_list: Table; all_count: number }>("futu_get_option_rank", {
    market: "US_SECURITY",
    sort_by: "IV_RANK",
  });
  assertEquals(ranked.all_count, 3);
  const hot = await call<{ rank_list: Table }>("futu_get_option_rank", {
    of: "options",
    market: "US_SECURITY",
    sort_by: "OI",
    option_type: "PUT",
    count: 5,
  });
  assert(column(hot.rank_list, "option_type").every((t) => t === 2), "puts only");
  const oi = column(hot.rank_list, "open_interest").map(Number);
  assert(oi.every((v, i) => i === 0 || v <= oi[i - 1]), "by open interest");

  const activity = await call<{ event_list: { volume: string }[]; all_count: number }>("futu_get_option_events", {
    market: "US_SECURITY",
    days: 2,
    min_volume: 500,
    sort_by: "volume",
  });
  const sizes = activity.event_list.map((e) => Number(e.volume));
  assert(
    sizes.length > 0 && sizes.every((v, i) => v >= 500 && (i === 0 || v <= sizes[i - 1])),
    "big trades, biggest first",
  );

  type Alert = { key: string; note: string; enable: boolean; option_type: number };
  const added = await call<{ key: string; alert_list: Alert[] }>("futu_set_option_event_alert", {
    op: "ADD",
    symbol: "US.AAPL",
    option_type: "CALL",
    min_size: 500,
    note: "AAPL calls",
  });
  assert(/^\d+$/.test(added.key));
  const alerts = await call<{ alert_list: Alert[] }>("futu_get_option_events", { view: "alerts" });
  assertEquals(alerts.alert_list.map((a) => [a.key, a.note, a.enable, a.option_type]), [[
    added.key,
    "AAPL calls",
    true,
    1,
  ]]);
  const disabled = await call<{ alert_list: Alert[] }>("futu_set_option_event_alert", {
    op: "DISABLE",
    key: added.key,
  });
  assertEquals(disabled.alert_list.map((a) => a.enable), [false]);

  const zeroDte = await call<{ item_list: { owner: string; chain_info: { product_code: string } }[] }>(
    "futu_find_option_ideas",
    { kind: "zero_dte" },
  );
  assert(zeroDte.item_list.some((i) => i.owner === "US.AAPL" && i.chain_info.product_code === "AAPL"));
  const contracts = await call<{ item_list: Table }>("futu_find_option_ideas", {
    kind: "zero_dte_contracts",
    symbol: "US.AAPL",
    sort_by: "VOLUME",
  });
  assert(column(contracts.item_list, "option").every((o) => String(o).startsWith("US.AAPL261120")), "expiring today");
  const earnings = await call<{ item_list: Table }>("futu_find_option_ideas", { kind: "earnings" });
  assert(earnings.item_list.rows.length > 0);
  const sellers = await call<{ item_list: Table }>("futu_find_option_ideas", {
    kind: "seller",
    strategy: "cash_secured_put",
    count: 5,
  });
  assert(sellers.item_list.rows.length > 0 && column(sellers.item_list, "option_type").every((t) => t === 2));

  // Bad arguments are refused naming the argument.
  const refusals: [string, Record<string, unknown>, string][] = [
    ["futu_get_option_volatility", { symbol: "US.AAPL", hv_days: 2 }, "hv_days"],
    ["futu_get_option_volatility", { symbol: "HK.00005" }, "no listed options"],
    ["futu_get_option_market_statistic", { market: "MARS" }, "market"],
    ["futu_get_exercise_probability", { symbol: "US.AAPL" }, "not an option"],
    ["futu_get_option_quote", { legs: [] }, "legs"],
    ["futu_analyze_option_strategy", { view: "analysis" }, "legs"],
    ["futu_analyze_option_strategy", { symbol: "US.AAPL" }, "strategy"],
    ["futu_get_option_rank", { market: "US_SECURITY", sort_by: "TURNOVER" }, "sort_by"],
    ["futu_get_option_events", { days: 9 }, "days"],
    ["futu_set_option_event_alert", { op: "ADD", market: "US_SECURITY", symbol: "US.AAPL" }, "market"],
    ["futu_set_option_event_alert", { op: "DELETE" }, "key"],
    ["futu_find_option_ideas", { kind: "seller" }, "strategy"],
  ];
  for (const [name, args, word] of refusals) {
    const refused = await failure(name, args);
    assert(refused.error.includes(word), `${name}: ${refused.error}`);
  }

  for (const tool of OPTIONS_ANALYTICS_TOOLS) assert(called.has(tool.name), `${tool.name} called`);
});
