/**
 * The calendar toolset over MCP stdio against the embedded simulator: every
 * tool called, each result validated against its listed output schema with
 * the SDK's validator, the content checked against the other tools (candles
 * on trading days only, rehab factors that turn raw candles into adjusted
 * ones), and bad arguments refused naming the field.
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { spawnValidated } from "../helpers/mcp.ts";
import { CALENDAR_TOOLS } from "../../src/tools/calendar.ts";

type Json = Record<string, unknown>;
type Table = { columns: string[]; rows: (string | number | null)[][] };
const SIM = ["--gateway", "sim", "--sim-clock", "2026-11-26T10:30:00+08:00"];

Deno.test("calendar tools: trading days, IPOs, code changes and rehab factors", async (t) => {
  await using mcp = await spawnValidated([...SIM, "--toolsets", "quote,calendar"]);
  const { tools, call, failure, called } = mcp;
  for (const tool of CALENDAR_TOOLS) {
    assert(tools.some((listed) => listed.name === tool.name), `${tool.name} is listed`);
  }

  await t.step("trading days: holidays left out, half days MORNING; candles only on trading days", async () => {
    type Days = Table & { market: string; trading_days: number; half_days: number; end: string };
    const us = await call<Days>("futu_get_trading_days", { market: "US", begin: "2026-11-23", end: "2026-11-30" });
    assertEquals(us.rows, [
      ["2026-11-23", "WHOLE"],
      ["2026-11-24", "WHOLE"],
      ["2026-11-25", "WHOLE"],
      ["2026-11-27", "MORNING"],
      ["2026-11-30", "WHOLE"],
    ]);
    assertEquals([us.trading_days, us.half_days], [5, 1]);
    // Independence Day, observed on Friday 3 July 2026: no candle either.
    const july = { begin: "2026-06-29", end: "2026-07-08" };
    const candles = await call<Table>("futu_get_kline", { symbol: "US.AAPL", ...july, max_count: 10 });
    const julyDays = await call<Days>("futu_get_trading_days", { market: "US", ...july });
    assertEquals(julyDays.trading_days, 7);
    assertEquals(candles.rows.map((r) => String(r[0]).slice(0, 10)), julyDays.rows.map((r) => r[0]));
    const bySymbol = await call<Days>("futu_get_trading_days", { symbol: "SZ.000001", begin: "2026-09-21" });
    assertEquals([bySymbol.market, bySymbol.end], ["CN", "2026-10-21"], "the symbol's calendar; end = begin + 30 days");
    assert(!bySymbol.rows.some((r) => String(r[0]) >= "2026-10-01" && String(r[0]) <= "2026-10-07"), "National Day");
    const byNumber = await call<Days>("futu_get_trading_days", { market: 1, begin: "2026-12-24", end: "2026-12-24" });
    assertEquals([byNumber.market, byNumber.rows], ["HK", [["2026-12-24", "MORNING"]]]);
  });

  await t.step("IPO list per market, with the market's own terms", async () => {
    type Ipos = { market: string; ipos: Json[] };
    const hk = await call<Ipos>("futu_get_ipo_list", { market: "HK" });
    assert(hk.ipos.length > 0);
    for (const ipo of hk.ipos) {
      assert(String(ipo.symbol).startsWith("HK.") && String(ipo.list_date) >= "2026-11-26", JSON.stringify(ipo));
      assert((ipo.lot_size as number) > 0 && (ipo.entrance_fee as number) > 0 && ipo.apply_code === undefined);
    }
    const us = await call<Ipos>("futu_get_ipo_list", { market: 11 });
    assertEquals(us.market, "US");
    assert(us.ipos.every((i) => (i.issue_size as number) > 0 && i.lot_size === undefined));
    const cn = await call<Ipos>("futu_get_ipo_list", { market: "sz" });
    assert(cn.ipos.every((i) => typeof i.apply_code === "string" && typeof i.has_won === "boolean"));
    assert(cn.ipos.some((i) => Array.isArray(i.winning_numbers)), "a published lottery result");
  });

  await t.step("code changes, filtered", async () => {
    const all = await call<Table>("futu_get_code_change");
    assertEquals(all.columns, ["type", "symbol", "related", "public", "effective", "end"]);
    assertEquals(all.rows.length, 5);
    const splits = await call<Table>("futu_get_code_change", { symbols: ["HK.01357"], types: ["split"] });
    assertEquals(splits.rows, [["SPLIT", "HK.01357", "HK.02977", "2026-10-05", "2026-10-20", "2026-11-10"]]);
    const december = await call<Table>("futu_get_code_change", { begin: "2026-12-01", end: "2026-12-31" });
    assertEquals(december.rows.map((r) => r[0]), ["CHANGE_LOT", "UNPAID"], "by effective date, the default");
  });

  await t.step("rehab factors turn the raw candles into the adjusted ones", async () => {
    const rehab = await call<Table & { symbol: string }>("futu_get_rehab", { symbol: "US.TSLA" });
    assertEquals(rehab.rows.map((r) => [r[0], r[1], r[2], r[5]]), [
      ["2020-08-31", "SPLIT", "split 1:5", 0.2],
      ["2022-08-25", "SPLIT", "split 1:3", 1 / 3],
    ]);
    const range = { symbol: "US.TSLA", begin: "2022-08-22", end: "2022-08-26", max_count: 10 };
    const raw = await call<Table>("futu_get_kline", { ...range, rehab: "NONE" });
    const forward = await call<Table>("futu_get_kline", { ...range, rehab: "FORWARD" });
    const close = raw.columns.indexOf("close");
    for (const [i, row] of raw.rows.entries()) {
      // Before 2022-08-25 the 1:3 split applies (the 2020 one is older than these days).
      const factor = String(row[0]) < "2022-08-25" ? 1 / 3 : 1;
      const expected = (row[close] as number) * factor;
      assert(Math.abs((forward.rows[i][close] as number) - expected) < 1e-5, `${row[0]}: ${forward.rows[i][close]}`);
    }
    const dividends = await call<Table>("futu_get_rehab", { symbol: "HK.00700" });
    assert(dividends.rows.every((r) => r[1] === "DIVIDEND" && r[5] === 1 && r[6] === -(r[3] as number)));
  });

  await t.step("bad arguments are refused naming the field", async () => {
    const neither = await failure("futu_get_trading_days", { begin: "2026-11-02" });
    assertEquals(neither.code, "invalid_arguments");
    assert(neither.error.includes("market"), neither.error);
    const date = await failure("futu_get_trading_days", { market: "HK", begin: "2026-02-30" });
    assert(date.error.includes("begin"), date.error);
    const order = await failure("futu_get_trading_days", { market: "HK", begin: "2026-11-30", end: "2026-11-02" });
    assert(order.error.includes("end"), order.error);
    const market = await failure("futu_get_ipo_list", { market: "XX" });
    assert(market.error.includes("market: expected one of HK, US, SH, SZ"), market.error);
    const type = await failure("futu_get_code_change", { types: ["MERGE"] });
    assert(type.error.includes("types"), type.error);
    const field = await failure("futu_get_code_change", { time_field: "END" });
    assert(field.error.includes("time_field"), field.error);
    const noCalendar = await failure("futu_get_trading_days", { market: "SG", begin: "2026-11-02" });
    assertEquals(noCalendar.code, "opend_error");
    assert(noCalendar.error.includes("no trading calendar"), noCalendar.error);
    const symbol = await failure("futu_get_rehab", { symbol: "US.NOPE" });
    assertEquals(symbol.code, "opend_error");
  });

  assertEquals([...called].filter((n) => CALENDAR_TOOLS.some((t) => t.name === n)).sort(), [
    "futu_get_code_change",
    "futu_get_ipo_list",
    "futu_get_rehab",
    "futu_get_trading_days",
  ]);
});
