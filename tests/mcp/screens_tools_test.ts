/**
 * The screen and indicator tools through a spawned futu-mcp over stdio: every
 * tool called, each result validated against its listed output schema, the
 * content checked against the quote tools where they overlap (snapshot
 * prices and market caps, K-lines recomputed into the indicator), bad
 * arguments refused by name.
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { spawnValidated } from "../helpers/mcp.ts";
import { SCREEN_TOOLS } from "../../src/tools/screens.ts";

type Cell = string | number | boolean | null;
type Table = { columns: string[]; rows: Cell[][] };
const SIM = ["--gateway", "sim", "--sim-clock", "2026-11-26T10:30:00+08:00"];

Deno.test("screen and indicator tools over stdio: every tool, valid results, content as the quote tools show it", async () => {
  await using mcp = await spawnValidated([...SIM, "--toolsets", "screen,options-analytics,technicals,quote"]);
  const { tools, call, failure, called } = mcp;
  const names = new Set(tools.map((t) => t.name));
  for (const tool of SCREEN_TOOLS) assert(names.has(tool.name), `${tool.name} listed`);

  // Stocks: every row meets the bound, values as the snapshot shows them.
  const stocks = await call<Table & { all_count: number; last_page: number }>("futu_screen_stocks", {
    market: "HK",
    filters: [{ property: "market_cap", min: 1.5e12 }],
    fields: ["industry"],
    sort: { property: "change_pct", direction: "desc" },
  });
  assertEquals(stocks.columns, ["code", "name", "market_cap", "change_pct", "industry"]);
  assertEquals(stocks.all_count, stocks.rows.length);
  assert(stocks.rows.length >= 2, `${stocks.rows.length} rows`);
  const symbols = stocks.rows.map((r) => r[0] as string);
  const snaps = await call<{ snapshots: { symbol: string; price: number; market_cap: number }[] }>(
    "futu_get_snapshot",
    { symbols },
  );
  for (const row of stocks.rows) {
    const snap = snaps.snapshots.find((s) => s.symbol === row[0])!;
    assertEquals(row[2], snap.market_cap, `${row[0]} market cap`);
    assert((row[2] as number) >= 1.5e12);
  }
  const changes = stocks.rows.map((r) => r[3] as number);
  assertEquals(changes, [...changes].sort((a, b) => b - a), "sorted by change_pct, descending");
  // Valuation and the day's trading: bounds hold, values as the snapshot shows them, sorted as asked.
  const valued = await call<Table>("futu_screen_stocks", {
    market: "HK",
    filters: [{ property: "pe_ttm", min: 0.01, max: 40 }, { property: "dividend_yield", min: 0.001 }],
    fields: ["pe", "pb", "avg_volume", "avg_turnover"],
    sort: { property: "dividend_yield", direction: "desc" },
  });
  assertEquals(valued.columns, ["code", "name", "pe_ttm", "dividend_yield", "pe", "pb", "avg_volume", "avg_turnover"]);
  assert(valued.rows.length >= 2, `${valued.rows.length} valued rows`);
  const valuedSnaps = await call<{
    snapshots: {
      symbol: string;
      pe: number;
      pb: number;
      dividend_yield_pct?: number;
      volume: number;
      turnover: number;
    }[];
  }>("futu_get_snapshot", { symbols: valued.rows.map((r) => r[0] as string) });
  for (const [code, , peTtm, dividend, pe, pb, volume, turnover] of valued.rows) {
    const snap = valuedSnaps.snapshots.find((s) => s.symbol === code)!;
    assert((peTtm as number) >= 0.01 && (peTtm as number) <= 40 && (dividend as number) >= 0.001, `${code} bounds`);
    assertEquals([pe, pb, volume, turnover], [snap.pe, snap.pb, snap.volume, snap.turnover], `${code} values`);
    assert(Math.abs((dividend as number) * 100 - snap.dividend_yield_pct!) < 1e-9, `${code} dividend yield`);
  }
  const yields = valued.rows.map((r) => r[3] as number);
  assertEquals(yields, [...yields].sort((a, b) => b - a), "sorted by dividend_yield, descending");
  const cheap = await call<Table & { all_count: number }>("futu_screen_stocks", {
    market: "HK",
    filters: [{ property: "pb", max: 2 }],
    sort: { property: "pb", direction: "asc" },
  });
  const allHk = await call<Table & { all_count: number }>("futu_screen_stocks", {
    market: "HK",
    fields: ["pb"],
    page_count: 300,
  });
  const expectedCheap = allHk.rows.filter((r) => (r[2] as number) <= 2).map((r) => r[0]);
  assert(expectedCheap.length > 0 && expectedCheap.length < allHk.rows.length, "pb ≤ 2 splits the HK stocks");
  assertEquals(cheap.rows.map((r) => r[0]).sort(), expectedCheap.sort());
  const pbs = cheap.rows.map((r) => r[2] as number);
  assertEquals(pbs, [...pbs].sort((a, b) => a - b), "sorted by pb, ascending");
  const paged = await call<Table & { next_page_from?: number }>("futu_screen_stocks", {
    market: "HK",
    plates: ["HK.BK1099"],
    page_count: 2,
  });
  assertEquals([paged.rows.length, paged.next_page_from], [2, 2]);

  const warrants = await call<{ market: string; all_count: number; warrants: Table }>("futu_screen_warrants", {
    underlyings: ["HK.00700"],
    types: ["CALL", "PUT"],
    sort: { field: "price", direction: "asc" },
  });
  assert(warrants.all_count > 0);
  const owner = warrants.warrants.columns.indexOf("owner_security");
  const type = warrants.warrants.columns.indexOf("warrant_type");
  assert(warrants.warrants.rows.every((r) => r[owner] === "HK.00700" && (r[type] === 1 || r[type] === 2)));

  const options = await call<{ all_count: number; data_list: { security: string; delta: number }[] }>(
    "futu_screen_options",
    { underlyings: ["US.AAPL"], filters: [{ factor: "DELTA", min: 0.3, max: 0.5 }], page_count: 5 },
  );
  assert(options.all_count > 0 && options.data_list.length > 0);
  assert(options.data_list.every((o) => o.security.startsWith("US.AAPL") && o.delta >= 0.3 && o.delta <= 0.5));

  const list = await call<{ indicator_list: { my_lang: { short_name: string } }[] }>("futu_list_indicators", {});
  assertEquals(list.indicator_list.map((e) => e.my_lang.short_name), ["MA", "EMA", "MACD", "RSI", "BOLL", "KDJ"]);

  // The indicator from the same candles futu_get_kline shows.
  const kline = await call<Table>("futu_get_kline", { symbol: "HK.00700", max_count: 30 });
  const ma = await call<Table & { calc_id: string }>("futu_calc_indicator", {
    symbol: "HK.00700",
    indicator: "ma",
    max_count: 30,
    inputs: [3],
  });
  assertEquals(ma.columns, ["time", "MA"]);
  assertEquals(ma.rows.map((r) => r[0]), kline.rows.map((r) => r[0]));
  const closes = kline.rows.map((r) => r[kline.columns.indexOf("close")] as number);
  assertEquals(ma.rows.slice(0, 2).map((r) => r[1]), [null, null]);
  ma.rows.slice(2).forEach((r, i) => {
    const expected = (closes[i] + closes[i + 1] + closes[i + 2]) / 3;
    assert(Math.abs((r[1] as number) - expected) < 1e-9, `MA(3) at ${r[0]}: ${r[1]} vs ${expected}`);
  });
  const macd = await call<Table>("futu_calc_indicator", {
    symbol: "US.AAPL",
    indicator: "MACD",
    begin: "2026-06-01",
    end: "2026-11-25",
  });
  assertEquals(macd.columns, ["time", "DIF", "DEA", "MACD"]);

  // Bad arguments, named.
  const market = await failure("futu_screen_stocks", { market: "XX" });
  assert(market.error.includes("market"), market.error);
  const property = await failure("futu_screen_stocks", { market: "HK", filters: [{ property: "beta", min: 1 }] });
  assert(property.error.includes("property"), property.error);
  const bounds = await failure("futu_screen_stocks", {
    market: "HK",
    filters: [{ property: "price", min: 9, max: 1 }],
  });
  assert(bounds.error.includes("min"), bounds.error);
  const factor = await failure("futu_screen_options", { filters: [{ factor: "DELTA", min: 0.1, values: [1] }] });
  assert(factor.error.includes("values"), factor.error);
  const price = await failure("futu_screen_warrants", { min_price: 2, max_price: 1 });
  assert(price.error.includes("min_price"), price.error);
  const exact = await failure("futu_list_indicators", { exact: true });
  assert(exact.error.includes("exact"), exact.error);
  const unknown = await failure("futu_calc_indicator", { symbol: "US.AAPL", indicator: "NOPE" });
  assert(unknown.error.includes("NOPE"), unknown.error);
  const count = await failure("futu_calc_indicator", { symbol: "US.AAPL", indicator: "MA", max_count: 5000 });
  assert(count.error.includes("max_count"), count.error);

  for (const tool of SCREEN_TOOLS) assert(called.has(tool.name), `${tool.name} called`);
});
