/**
 * The flow and screen toolsets through a spawned futu-mcp over stdio and the
 * MCP SDK's client: every tool called, each result validated against its
 * listed output schema with the SDK's own validator, the content checked
 * against the other tools' data, bad arguments named.
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { spawnValidated } from "../helpers/mcp.ts";
import { RESEARCH_TOOLS } from "../../src/tools/research.ts";

type Json = Record<string, unknown>;
type Table = { columns: string[]; rows: (string | number | null)[][] };
const SIM = ["--gateway", "sim", "--sim-clock", "2026-11-26T10:30:00+08:00"];

Deno.test("flow and screen tools over stdio: every tool, valid results that agree with the quote tools, bad arguments named", async () => {
  await using mcp = await spawnValidated([...SIM, "--toolsets", "flow,screen,quote"]);
  const { tools, call, failure, called } = mcp;
  const names = new Set(tools.map((t) => t.name));
  for (const tool of RESEARCH_TOOLS) assert(names.has(tool.name), `${tool.name} listed`);
  for (const tool of tools.filter((t) => RESEARCH_TOOLS.some((r) => r.name === t.name))) {
    assertEquals(tool.annotations?.readOnlyHint, true, tool.name);
  }

  // Distribution: in + out is the day's turnover as the quote reports it.
  const dist = await call<Table & { total_in: number; total_out: number }>("futu_get_capital_distribution", {
    symbol: "HK.00700",
  });
  assertEquals(dist.rows.map((r) => r[0]), ["super", "big", "mid", "small"]);
  const quote = await call<{ quotes: { turnover: number }[] }>("futu_get_quote", { symbol: "HK.00700" });
  assert(Math.abs(dist.total_in + dist.total_out - quote.quotes[0].turnover) < 0.1, "in + out = turnover");

  // Intraday flow: cumulative; its last net is the distribution's.
  const intraday = await call<Table & { last_valid_time: string }>("futu_get_capital_flow", { code: "HK.00700" });
  assertEquals(intraday.columns, ["time", "net", "super", "big", "mid", "small"]);
  const rt = await call<Table>("futu_get_rt", { symbol: "HK.00700" });
  assertEquals(intraday.rows.map((r) => r[0]), rt.rows.map((r) => r[0]), "a row per minute of the time share");
  assertEquals(intraday.last_valid_time, intraday.rows.at(-1)![0]);
  assert(Math.abs((intraday.rows.at(-1)![1] as number) - (dist.total_in - dist.total_out)) < 0.1);

  const daily = await call<Table>("futu_get_capital_flow", {
    symbol: "HK.00700",
    period: "day",
    begin: "2026-11-02",
    end: "2026-11-26",
  });
  assertEquals(daily.columns, ["time", "net", "main", "super", "big", "mid", "small"]);
  assertEquals(daily.rows.length, 19, "the trading days from 2 to 26 November");
  for (const r of daily.rows) assert(Math.abs((r[2] as number) - ((r[3] as number) + (r[4] as number))) < 0.02);

  // Holding changes: a US stock's holders; max_count caps the rows, total counts them all.
  const holders = await call<Table & { total: number }>("futu_get_holding_change", {
    symbol: "US.NVDA",
    holder_type: "fund",
    max_count: 5,
  });
  assertEquals(holders.columns, ["time", "holder", "shares", "pct_of_shares", "change", "change_pct"]);
  assertEquals(holders.rows.length, 5);
  assert(holders.total > 5);
  const ranged = await call<Table & { total: number }>("futu_get_holding_change", {
    symbol: "US.NVDA",
    holder: "FUND",
    begin: "2026-01-01",
    end: "2026-06-30",
  });
  assert(ranged.rows.every((r) => (r[0] as string) >= "2026-01-01" && (r[0] as string) <= "2026-06-30 23:59:59"));
  assert(ranged.total > 0 && ranged.total < holders.total);

  // The screener agrees with the snapshot tool on the values it filters.
  const screen = await call<Table & { all_count: number; last_page: boolean; next_offset?: number }>(
    "futu_get_stock_filter",
    {
      market: "hk",
      filters: [{ field: "pe_annual", min: 10, max: 30, sort: "ASC" }, { field: "CHANGE_RATE", days: 5 }],
      max_count: 2,
    },
  );
  assertEquals(screen.columns, ["symbol", "name", "PE_ANNUAL", "CHANGE_RATE_5D"]);
  assertEquals(screen.rows.length, 2);
  assert(screen.all_count > 2 && !screen.last_page && screen.next_offset === 2, JSON.stringify(screen));
  const symbols = screen.rows.map((r) => r[0] as string);
  const snapshots = await call<{ snapshots: { symbol: string; pe: number }[] }>("futu_get_snapshot", { symbols });
  // The simulated clock runs, so the price behind each P/E moves a little between the two calls (milliseconds to a
  // second apart on a loaded machine): the same value within 1 %.
  assertEquals(snapshots.snapshots.map((s) => s.symbol), symbols);
  screen.rows.forEach((row, i) => {
    const pe = snapshots.snapshots[i].pe;
    assert(Math.abs((row[2] as number) - pe) <= 0.01 * Math.abs(pe), `${row[0]}: screen P/E ${row[2]}, snapshot ${pe}`);
  });
  assert((screen.rows[0][2] as number) <= (screen.rows[1][2] as number), "ascending P/E");
  const rest = await call<Table & { last_page: boolean }>("futu_get_stock_filter", {
    market: "HK",
    filters: [{ field: "PE_ANNUAL", min: 10, max: 30, sort: "asc" }],
    begin: 2,
  });
  assertEquals(rest.rows.length, screen.all_count - 2);
  assert(rest.last_page);

  // Owner plates agree with the plate tools.
  const owners = await call<Table>("futu_get_owner_plate", { symbols: ["HK.00700", "HK.00941"] });
  assertEquals(owners.columns, ["symbol", "plate", "name", "type"]);
  for (const [symbol, plate] of owners.rows) {
    const members = await call<Table>("futu_plate_stocks", { plate });
    assert(members.rows.some((m) => m[0] === symbol), `${symbol} in ${plate}`);
  }
  assert(owners.rows.some((r) => r[0] === "HK.00941" && r[1] === "HK.BK1583"));
  const byPlate = await call<Table & { all_count: number }>("futu_get_stock_filter", {
    market: "HK",
    plate: "HK.BK1583",
  });
  assertEquals(byPlate.rows.map((r) => r[0]), ["HK.00005", "HK.00941"]);

  assertEquals(
    [...called].filter((n) => RESEARCH_TOOLS.some((t) => t.name === n)).sort(),
    RESEARCH_TOOLS.map((t) => t.name).sort(),
  );

  // Bad arguments name the field; what the simulator cannot compute says so.
  const unknownField = await failure("futu_get_stock_filter", { market: "HK", filters: [{ field: "PRICE_X" }] });
  assertEquals(unknownField.code, "invalid_arguments");
  assert(
    unknownField.error.includes("filters.0.field") && unknownField.error.includes("PE_ANNUAL"),
    unknownField.error,
  );
  const noDays = await failure("futu_get_stock_filter", { market: "HK", filters: [{ field: "TURNOVER", min: 1 }] });
  assert(noDays.error.includes("filters.0.days"), noDays.error);
  const twoSorts = await failure("futu_get_stock_filter", {
    market: "HK",
    filters: [{ field: "CUR_PRICE", sort: "asc" }, { field: "PB_RATE", sort: "desc" }],
  });
  assert(twoSorts.error.includes("only one filter may sort"), twoSorts.error);
  const unsupported = await failure("futu_get_stock_filter", { market: "US", filters: [{ field: "PS_TTM", max: 5 }] });
  assert(unsupported.error.includes("PS_TTM") && unsupported.error.includes("not supported"), unsupported.error);
  const intradayRange = await failure("futu_get_capital_flow", { symbol: "HK.00700", begin: "2026-11-01" });
  assertEquals(intradayRange.code, "invalid_arguments");
  assert(intradayRange.error.includes("begin"), intradayRange.error);
  const badHolder = await failure("futu_get_holding_change", { symbol: "US.AAPL", holder: "BANK" });
  assert(badHolder.error.includes("holder") && badHolder.error.includes("INSTITUTE"), badHolder.error);
  const hk = await failure("futu_get_holding_change", { symbol: "HK.00700" });
  assert(hk.error.includes("US stocks only"), hk.error);
  const index = await failure("futu_get_capital_distribution", { symbol: "HK.800000" });
  assert(index.error.includes("no capital flow"), index.error);
});
