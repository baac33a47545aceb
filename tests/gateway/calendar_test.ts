/**
 * Trading days, IPOs, code changes and rehab factors through `Gateway`
 * against the simulator over TCP, checked against the market the simulator
 * trades: holidays have no bars and a closed market, half days end at noon
 * (HK) or 13:00 (US), orders placed on a holiday wait for the next trading
 * day, and the rehab factors are exactly what adjusted K-lines apply.
 */
import { assert, assertEquals, assertRejects } from "../helpers/assert.ts";
import { connect, eventually, PAPER_US, startSim } from "../helpers/sim.ts";
import { OpenDError, type RehabFactor } from "../../src/gateway/mod.ts";

const THANKSGIVING_NY_1030 = Date.parse("2026-11-26T15:30:00Z");

Deno.test("trading days leave out weekends and each exchange's holidays; half days are MORNING", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const days = async (...args: Parameters<typeof gateway.calendar.tradingDays>) =>
    (await gateway.calendar.tradingDays(...args)).map((d) => `${d.date}${d.type === "WHOLE" ? "" : ` ${d.type}`}`);

  assertEquals(await days("US", "2026-11-23", "2026-11-30"), [
    "2026-11-23",
    "2026-11-24",
    "2026-11-25",
    "2026-11-27 MORNING", // the day after Thanksgiving closes at 13:00
    "2026-11-30",
  ]);
  assertEquals(await days("HK", "2026-12-21", "2026-12-31"), [
    "2026-12-21",
    "2026-12-22",
    "2026-12-23",
    "2026-12-24 MORNING",
    "2026-12-29", // 25 December and the first weekday after it (the 28th) are holidays
    "2026-12-30",
    "2026-12-31 MORNING",
  ]);
  assertEquals(await days("CN", "2026-09-24", "2026-10-09"), [
    "2026-09-24",
    "2026-09-28", // the 25th is Mid-Autumn Festival
    "2026-09-29",
    "2026-09-30",
    "2026-10-08", // National Day week
    "2026-10-09",
  ]);
  assertEquals(await days("HK", "2026-02-13", "2026-02-20"), ["2026-02-13", "2026-02-16 MORNING", "2026-02-20"]);
  assertEquals(
    await days("CN", "2026-02-13", "2026-02-24", "SH.600519"),
    ["2026-02-13", "2026-02-24"],
    "a security's market wins over market (Spring Festival)",
  );
  // NYSE's published counts: 250 sessions in 2025 (the 2025-01-09 day of mourning included), 251 in 2026.
  assertEquals((await gateway.calendar.tradingDays("US", "2025-01-01", "2025-12-31")).length, 250);
  assertEquals((await gateway.calendar.tradingDays("US", "2026-01-01", "2026-12-31")).length, 251);
  assertEquals(
    (await gateway.calendar.tradingDays("US", "2027-01-01", "2027-12-31")).filter((d) => d.type === "MORNING")
      .map((d) => d.date),
    ["2027-11-26"],
    "2027: Christmas falls on a Saturday, so the 24th is a holiday, not a half day",
  );
  await assertRejects(
    () => gateway.calendar.tradingDays("SG", "2026-11-02", "2026-11-06"),
    OpenDError,
    "no trading calendar",
  );
  await assertRejects(
    () => gateway.calendar.tradingDays("US", "2026-11-06", "2026-11-02"),
    OpenDError,
    "after endTime",
  );
});

function assertAlmostEquals(actual: number, expected: number, tolerance: number, message = ""): void {
  assert(Math.abs(actual - expected) <= tolerance, `${message}: ${actual} is not within ${tolerance} of ${expected}`);
}

Deno.test("the market follows the calendar: no bars on a holiday, a closed market, short half days", async () => {
  await using sim = await startSim({ at: Date.parse("2026-12-31T10:00:00Z") });
  await using gateway = await connect(sim);
  const trading = (await gateway.calendar.tradingDays("US", "2026-11-20", "2026-12-04")).map((d) => d.date);
  const daily = await gateway.quote.requestHistoryKL("US.AAPL", "K_DAY", { begin: "2026-11-20", end: "2026-12-04" });
  assertEquals(daily.klines.map((k) => k.time.slice(0, 10)), trading, "daily bars exist exactly on trading days");
  const minutes = async (symbol: string, day: string) =>
    (await gateway.quote.requestHistoryKL(symbol, "K_1M", { begin: day, end: day })).klines.map((k) => k.time);
  assertEquals(await minutes("US.AAPL", "2026-11-26"), [], "no minute bars on Thanksgiving");
  const halfDay = await minutes("US.AAPL", "2026-11-27");
  assertEquals([halfDay.length, halfDay.at(-1)], [210, "2026-11-27 13:00:00"], "09:30-13:00");
  const hkHalfDay = await minutes("HK.00700", "2026-12-24");
  assertEquals([hkHalfDay.length, hkHalfDay.at(-1)], [150, "2026-12-24 12:00:00"], "the morning session only");
  assertEquals(await minutes("SH.600519", "2026-10-05"), [], "National Day week");

  sim.clock.set(THANKSGIVING_NY_1030);
  const [state] = await gateway.quote.getMarketState(["US.AAPL"]);
  assertEquals(state.state, "CLOSED", "10:30 on Thanksgiving");
  sim.clock.set(Date.parse("2026-11-27T18:30:00Z"));
  assertEquals((await gateway.quote.getMarketState(["US.AAPL"]))[0].state, "AFTER_HOURS_BEGIN", "13:30 on a half day");
});

Deno.test("an order placed on a holiday waits for the next trading day", async () => {
  await using sim = await startSim({ at: THANKSGIVING_NY_1030 });
  await using gateway = await connect(sim);
  await assertRejects(
    () => gateway.trade.placeOrder(PAPER_US, { symbol: "US.AAPL", side: "BUY", orderType: "MARKET", qty: 1 }),
    OpenDError,
    "Market closed",
  );
  const placed = await gateway.trade.placeOrder(PAPER_US, {
    symbol: "US.AAPL",
    side: "BUY",
    orderType: "NORMAL",
    qty: 1,
    price: 1,
  });
  const status = async () =>
    (await gateway.trade.getOrders(PAPER_US)).find((o) => o.orderId === placed.orderId)!.status;
  assertEquals(await status(), "WAITING_SUBMIT");
  sim.clock.set(Date.parse("2026-11-27T14:31:00Z")); // Friday 09:31 in New York
  await eventually(async () => (await status()) === "SUBMITTED", 3000, "submission at the next open");
  sim.clock.set(Date.parse("2026-11-27T18:01:00Z")); // 13:01: the half day has closed
  await eventually(async () => (await status()) === "CANCELLED_ALL", 3000, "expiry at the early close");
});

/** A price of a day adjusted by the rehab rows the way OpenD documents: each row's price × A + B, in date order. */
function adjusted(rows: RehabFactor[], day: string, price: number, today: string, rehab: "FORWARD" | "BACKWARD") {
  let p = price;
  if (rehab === "FORWARD") {
    for (const r of rows) if (r.exDate > day && r.exDate <= today) p = p * r.forwardA + r.forwardB;
  } else {
    for (const r of [...rows].reverse()) if (r.exDate <= day) p = p * r.backwardA + r.backwardB;
  }
  return p;
}

Deno.test("rehab factors are exactly what adjusted K-lines apply; the traded price drops on ex-dates", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const today = "2026-11-26";
  const apple = await gateway.calendar.rehab("US.AAPL");
  assertEquals(apple[0], {
    exDate: "2020-08-31",
    actions: ["SPLIT"],
    forwardA: 0.25,
    forwardB: 0,
    backwardA: 4,
    backwardB: 0,
    split: "1:4",
    join: undefined,
    bonus: undefined,
    transfer: undefined,
    allot: undefined,
    add: undefined,
    spinOff: undefined,
    dividend: undefined,
    specialDividend: undefined,
  });
  assert(apple.slice(1).every((r) => r.actions.join() === "DIVIDEND" && r.dividend === 0.25 && r.forwardB === -0.25));

  for (const symbol of ["US.AAPL", "US.TSLA", "HK.00700", "SH.600519"]) {
    const rows = await gateway.calendar.rehab(symbol);
    // Around the 2020 and 2022 splits, and the last year's dividends.
    const windows = [["2020-08-17", "2020-09-11"], ["2022-08-15", "2022-09-02"], ["2025-10-01", today]];
    const series = async (rehab: "NONE" | "FORWARD" | "BACKWARD") => {
      const bars = [];
      for (const [begin, end] of windows) {
        bars.push(...(await gateway.quote.requestHistoryKL(symbol, "K_DAY", { begin, end, rehab })).klines);
      }
      return bars;
    };
    const [none, forward, backward] = [await series("NONE"), await series("FORWARD"), await series("BACKWARD")];
    assertEquals(forward.length, none.length);
    for (let i = 0; i < none.length; i += 3) {
      const day = none[i].time.slice(0, 10);
      assertAlmostEquals(forward[i].close!, adjusted(rows, day, none[i].close!, today, "FORWARD"), 1e-5, day);
      assertAlmostEquals(backward[i].close!, adjusted(rows, day, none[i].close!, today, "BACKWARD"), 1e-5, day);
    }
    assertEquals(forward.at(-1)!.close, none.at(-1)!.close, `${symbol}: today's prices are on today's basis`);
  }

  // Tesla's 1-to-3 split of 2022-08-25: the traded price falls to a third, the forward-adjusted one does not move.
  const around = async (rehab: "NONE" | "FORWARD") =>
    (await gateway.quote.requestHistoryKL("US.TSLA", "K_DAY", { begin: "2022-08-24", end: "2022-08-25", rehab }))
      .klines.map((k) => [k.close!, k.open!]);
  const [[closeBefore], [, openAfter]] = await around("NONE");
  assertAlmostEquals(openAfter / closeBefore, 1 / 3, 0.02);
  const [[fwdBefore], [, fwdAfter]] = await around("FORWARD");
  assertAlmostEquals(fwdAfter / fwdBefore, 1, 0.06);

  // The dividends of the last twelve months are the snapshot's trailing dividend.
  const [tencent] = await gateway.quote.getSnapshot(["HK.00700"]);
  const ttm = (await gateway.calendar.rehab("HK.00700")).filter((r) => r.exDate > "2025-11-26")
    .reduce((sum, r) => sum + (r.dividend ?? 0), 0);
  assertAlmostEquals(tencent.equity!.dividendTTM!, ttm, 1e-9);
  assertEquals(await gateway.calendar.rehab("HK.800000"), [], "an index has no corporate actions");
});

Deno.test("IPO lists: upcoming listings on trading days, with each market's dates in order", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const today = "2026-11-26";
  const hkDays = new Set((await gateway.calendar.tradingDays("HK", today, "2027-01-31")).map((d) => d.date));
  const hk = await gateway.calendar.ipoList("HK");
  assert(hk.length >= 4, `${hk.length} HK IPOs`);
  for (const ipo of hk) {
    assert(ipo.symbol.startsWith("HK.") && hkDays.has(ipo.listDate!), `${ipo.symbol} lists on ${ipo.listDate}`);
    const terms = ipo.hk!;
    assert(terms.priceMin < terms.priceMax && terms.applyEnd! < ipo.listDate!);
    assertEquals(terms.subscribing, terms.applyEnd! >= today);
    assertEquals(terms.listPrice === undefined, terms.subscribing, "the offer price is fixed after subscriptions");
    assertAlmostEquals(terms.entrancePrice, terms.priceMax * terms.lotSize * 1.010085, 0.01);
  }
  assertEquals(new Set(hk.map((i) => i.name)).size, hk.length, "no name twice");
  const us = await gateway.calendar.ipoList("US");
  assert(us.length >= 4 && us.every((i) => i.us!.issueSize > 0 && i.us!.priceMax > i.us!.priceMin));
  const cn = await gateway.calendar.ipoList("SH");
  assertEquals(await gateway.calendar.ipoList("SZ"), cn, "SH and SZ give the one A-share list");
  for (const ipo of cn) {
    const terms = ipo.cn!;
    assert(/^(SH|SZ)\.\d{6}$/.test(ipo.symbol));
    assert(terms.applyDate! < terms.winningDate! && terms.winningDate! < ipo.listDate!, JSON.stringify(ipo));
    assertEquals(terms.hasWon, terms.winningDate! <= today);
    assertEquals(terms.winningNumbers.length > 0, terms.hasWon);
  }
  assert(cn.some((i) => i.cn!.hasWon) && cn.some((i) => !i.cn!.hasWon), "lotteries both done and pending");
  assertEquals(await gateway.calendar.ipoList("HK"), hk, "the same clock gives the same list");
  await using other = await startSim({ seed: 7 });
  await using otherGateway = await connect(other);
  assert(JSON.stringify(await otherGateway.calendar.ipoList("HK")) !== JSON.stringify(hk), "another seed, other IPOs");
  await assertRejects(() => gateway.calendar.ipoList("SG"), OpenDError, "no IPO list");
});

Deno.test("code changes filter by code, type and date", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const all = await gateway.calendar.codeChanges();
  assertEquals(all.map((c) => c.type), ["GEM_TO_MAIN", "SPLIT", "JOINT", "CHANGE_LOT", "UNPAID"]);
  assertEquals(all[0].endDate, undefined, "a move to the Main Board has no end");
  assert(all.slice(1).every((c) => c.publicDate! < c.effectiveDate! && c.effectiveDate! < c.endDate!));
  const byRelated = await gateway.calendar.codeChanges({ symbols: ["HK.2977"] });
  assertEquals(byRelated.map((c) => [c.symbol, c.related]), [["HK.01357", "HK.02977"]]);
  assertEquals((await gateway.calendar.codeChanges({ types: ["SPLIT", "JOINT"] })).length, 2);
  const effective = await gateway.calendar.codeChanges({
    time: { field: "EFFECTIVE", begin: "2026-11-01", end: "2026-12-31" },
  });
  assertEquals(effective.map((c) => c.type), ["JOINT", "CHANGE_LOT", "UNPAID"]);
  const ending = await gateway.calendar.codeChanges({ time: { field: "END", end: "2026-11-30" } });
  assertEquals(ending.map((c) => c.type), ["SPLIT"], "records without an end date do not match an END filter");
});
