/**
 * The options, warrants and futures tools over MCP: a spawned futu-mcp on the
 * embedded simulator, every tool called, each result validated against its
 * published output schema by the SDK's validator, and bad arguments refused
 * naming the field.
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { spawnValidated } from "../helpers/mcp.ts";

type Json = Record<string, unknown>;

Deno.test("options, warrants and futures tools: results match their schemas and the market", async () => {
  await using mcp = await spawnValidated([
    ...["--gateway", "sim", "--sim-clock", "2026-11-26T10:30:00+08:00"],
    ...["--toolsets", "options,warrants,futures"],
  ]);
  const { tools, call, failure } = mcp;
  assertEquals(tools.map((t) => t.name), [
    "futu_get_option_expiration_date",
    "futu_get_option_chain",
    "futu_get_warrant",
    "futu_get_reference",
    "futu_get_future_info",
  ]);

  const expiries = await call("futu_get_option_expiration_date", { symbol: "HK.700" });
  assertEquals(expiries.columns, ["expiry", "days_to_expiry", "cycle"]);
  assertEquals((expiries.rows as unknown[][])[0], ["2026-11-27", 1, "MONTH"]);

  // Default: the nearest expiry, priced.
  const nearest = await call("futu_get_option_chain", { symbol: "HK.00700" });
  const rows = nearest.rows as (string | number | null)[][];
  assert(rows.length > 10 && rows.every((r) => r[0] === "2026-11-27"), `${rows.length} rows`);
  assertEquals(nearest.contracts, rows.length * 2);
  const spot = nearest.spot as number;
  for (const r of rows) {
    const [, strike, , callPrice, , callDelta, , , putPrice, , putDelta] = r as number[];
    assert(callPrice > 0 && putPrice > 0 && callDelta >= 0 && callDelta <= 1 && putDelta <= 0 && putDelta >= -1);
    // At a day to expiry, the in-the-money side is worth about its intrinsic value.
    if (strike < spot * 0.95) assert(Math.abs(callPrice - (spot - strike)) < spot * 0.01, `call ${strike}`);
  }
  const filtered = await call("futu_get_option_chain", {
    symbol: "US.AAPL",
    begin: "2026-12-01",
    end: "2027-02-28",
    type: "call",
    strike_min: 200,
    strike_max: 260,
    delta_min: 0.2,
    delta_max: 0.8,
  });
  const kept = filtered.rows as (string | number | null)[][];
  assert(new Set(kept.map((r) => r[0])).size > 3, "expiries across three 30-day windows");
  assert(kept.every((r) => (r[1] as number) >= 200 && (r[1] as number) <= 260 && r[7] === null));
  assert(kept.every((r) => (r[5] as number) >= 0.2 && (r[5] as number) <= 0.8), "delta filter");
  const bare = await call("futu_get_option_chain", { symbol: "US.TSLA", expiry: "2026-12-18", quotes: false });
  assertEquals(bare.columns, ["expiry", "strike", "call", "put"]);
  assert((bare.rows as string[][]).every((r) => /^US\.TSLA261218C\d+$/.test(r[2]) && r[3].includes("P")));
  // TSLA trades far above its catalog base price; its chain lists strikes around the price all the same.
  const tslaStrikes = (bare.rows as number[][]).map((r) => r[1]);
  assert(tslaStrikes.length > 20 && tslaStrikes[0] < 650 && tslaStrikes.at(-1)! > 850, tslaStrikes.join());

  const page = await call("futu_get_warrant", { symbol: "HK.00700", sort_by: "premium", ascending: true, num: 4 });
  assertEquals([page.all_count, page.last_page, page.next_offset], [10, false, 4]);
  const premiums = (page.rows as number[][]).map((r) => r[9]);
  assertEquals(premiums, [...premiums].sort((a, b) => a - b));
  const bulls = await call("futu_get_warrant", { type: ["BULL"], issuer: ["SG"], max_count: 200 });
  assert((bulls.rows as string[][]).every((r) => r[3] === "BULL" && r[4] === "SG") && bulls.all_count === 3);

  const related = await call("futu_get_reference", { symbol: "HK.09988" });
  assertEquals((related.rows as string[][]).length, 9);
  assertEquals(new Set((related.rows as string[][]).map((r) => r[2])), new Set(["CALL", "PUT", "BULL", "BEAR"]));
  const months = await call("futu_get_reference", { symbol: "HK.HSImain", reference_type: "future" });
  assertEquals((months.rows as string[][]).map((r) => r[0]), ["HK.HSI2611", "HK.HSI2612", "HK.HSI2703", "HK.HSI2706"]);

  const info = await call("futu_get_future_info", { symbols: ["HK.HSImain"] });
  const [hsi] = info.futures as Json[];
  assertEquals([hsi.contract_size, hsi.tick, hsi.current_contract, hsi.underlying], [50, 1, "HK.HSI2611", "HK.800000"]);

  // Bad arguments: refused before OpenD is asked, naming the field.
  const bad = async (name: string, args: Json, field: string) => {
    const err = await failure(name, args);
    assertEquals(err.code, "invalid_arguments", JSON.stringify(err));
    assert(err.error.includes(field), `${name}: "${err.error}" should name ${field}`);
  };
  await bad("futu_get_option_chain", { symbol: "US.AAPL", expiry: "2027-02-30" }, "expiry");
  await bad("futu_get_option_chain", { symbol: "US.AAPL", begin: "2027-01-01", end: "2026-12-01" }, "end");
  await bad("futu_get_option_chain", { symbol: "US.AAPL", type: "straddle" }, "type");
  await bad("futu_get_warrant", { max_count: 201 }, "max_count");
  await bad("futu_get_warrant", { issuer: ["XX"] }, "issuer");
  await bad("futu_get_reference", { symbol: "HK.00700", type: "option" }, "type");
  // OpenD's refusals come back as they are.
  const notFuture = await failure("futu_get_future_info", { symbols: ["HK.00700"] });
  assertEquals([notFuture.code, notFuture.error], ["opend_error", "HK.00700 is not a futures contract"]);
});
