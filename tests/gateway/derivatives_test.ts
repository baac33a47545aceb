/**
 * Options, warrants and futures through the gateway against the simulator
 * over real TCP: expiries by the exchanges' rules, chains whose contracts
 * quote like any security and price at Black–Scholes of the underlying,
 * OpenD's chain and warrant filters really applied, warrant sorting and
 * paging, references and futures terms.
 */
import { assert, assertEquals, assertRejects } from "../helpers/assert.ts";
import { connect, HK_MORNING, startSim } from "../helpers/sim.ts";
import { OpenDError } from "../../src/gateway/mod.ts";

/** Wednesday 2026-11-25 10:30 in New York: the US trades (Thursday is Thanksgiving). */
const US_OPEN = Date.parse("2026-11-25T15:30:00Z");

/** Black–Scholes of a European option (the simulator's rate: 4 %). */
function blackScholes(call: boolean, spot: number, strike: number, years: number, vol: number): number {
  const cdf = (x: number) => {
    const t = 1 / (1 + 0.3275911 * Math.abs(x) / Math.SQRT2);
    const y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
        t * Math.exp(-x * x / 2);
    return x >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
  };
  const d1 = (Math.log(spot / strike) + (0.04 + vol * vol / 2) * years) / (vol * Math.sqrt(years));
  const d2 = d1 - vol * Math.sqrt(years);
  const disc = Math.exp(-0.04 * years);
  return call ? spot * cdf(d1) - strike * disc * cdf(d2) : strike * disc * cdf(-d2) - spot * cdf(-d1);
}

function assertAlmostEquals(actual: number, expected: number, tolerance: number, what = ""): void {
  assert(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} is not within ${tolerance} of ${expected}`);
}

function yearsTo(expiry: string, nowMs: number): number {
  const minute = Math.floor(nowMs / 60_000) * 60_000;
  return (Date.parse(`${expiry}T16:00:00Z`) - minute) / (525_600 * 60_000);
}

Deno.test("option expiries follow the exchanges' rules: US weeklies and third-Friday monthlies, HK second-to-last trading day", async () => {
  await using sim = await startSim({ at: US_OPEN });
  await using gateway = await connect(sim);
  const us = await gateway.derivatives.getOptionExpirations("US.AAPL");
  assertEquals(us.slice(0, 6).map((e) => [e.date, e.cycle]), [
    ["2026-11-27", "WEEK"],
    ["2026-12-04", "WEEK"],
    ["2026-12-11", "WEEK"],
    ["2026-12-18", "MONTH"],
    ["2026-12-24", "WEEK"], // Friday the 25th is Christmas: the weekly expires on Thursday
    ["2027-01-15", "MONTH"],
  ]);
  assertEquals(us[0].daysToExpiry, 2);
  const hk = await gateway.derivatives.getOptionExpirations("HK.00700");
  assertEquals(hk.map((e) => e.date), [
    "2026-11-27",
    "2026-12-30",
    "2027-01-28",
    "2027-02-25",
    "2027-03-30",
    "2027-04-29",
  ]);
  assert(hk.every((e) => e.cycle === "MONTH"));
  const err = await assertRejects(() => gateway.derivatives.getOptionExpirations("SH.600519"), OpenDError);
  assertEquals(err.retMsg, "SH.600519 has no listed options");
});

Deno.test("strikes follow the price: a drifted TSLA lists strikes around it, and a listed contract stays listed to expiry", async () => {
  await using sim = await startSim({ at: US_OPEN });
  await using gateway = await connect(sim);
  const chainOf = async () =>
    (await gateway.derivatives.getOptionChain("US.TSLA", { begin: "2026-12-18", end: "2026-12-18" }))[0];
  const [tsla] = await gateway.quote.getSnapshot(["US.TSLA"]);
  assert(tsla.curPrice > 600, `TSLA has drifted far above its catalog base of 330 (${tsla.curPrice})`);
  let previous = new Set<string>();
  // From the test clock to the expiry day, across a holiday and a weekend.
  for (
    const at of [
      "2026-11-25T15:30:00Z",
      "2026-11-27T15:00:00Z",
      "2026-11-30T20:00:00Z",
      "2026-12-10T15:00:00Z",
      "2026-12-18T15:00:00Z",
    ]
  ) {
    sim.clock.set(Date.parse(at));
    const chain = await chainOf();
    const [{ curPrice }] = await gateway.quote.getSnapshot(["US.TSLA"]);
    const strikes = chain.options.map((o) => o.strike);
    assert(strikes[0] < curPrice * 0.85 && strikes.at(-1)! > curPrice * 1.15, `${at}: strikes bracket ${curPrice}`);
    const atm = chain.options.reduce((b, o) => Math.abs(o.strike - curPrice) < Math.abs(b.strike - curPrice) ? o : b);
    assert(Math.abs(atm.strike - curPrice) <= 5, `${at}: an at-the-money strike`);
    const [snap] = await gateway.quote.getSnapshot([atm.call!.symbol]);
    assert(snap.option!.impliedVolatility > 0 && snap.curPrice > 0, `${at}: the ATM call quotes with an IV`);
    const listed = new Set(chain.options.flatMap((o) => [o.call!.symbol, o.put!.symbol]));
    for (const symbol of previous) assert(listed.has(symbol), `${symbol} still listed at ${at}`);
    previous = listed;
  }
  sim.clock.set(Date.parse("2026-12-21T15:00:00Z"));
  assertEquals(await gateway.derivatives.getOptionChain("US.TSLA", { begin: "2026-12-18", end: "2026-12-18" }), []);
});

Deno.test("a chain's contracts are securities: static, snapshot and quote agree, and prices are Black–Scholes of the underlying", async () => {
  await using sim = await startSim({ at: US_OPEN });
  await using gateway = await connect(sim);
  const [expiry] = await gateway.derivatives.getOptionChain("US.AAPL", { begin: "2027-01-15", end: "2027-01-15" });
  assertEquals(expiry.expiry, "2027-01-15");
  const strikes = expiry.options.map((o) => o.strike);
  const [{ lastClosePrice }] = await gateway.quote.getSnapshot(["US.AAPL"]);
  // Strikes every $5, none missing, within 25 % of every close since the expiry was listed (the day after the
  // May 2026 monthly, around that day's close): the previous close's ±25 % and the wings the price has traded to.
  assert(strikes.every((k, i) => k % 5 === 0 && (i === 0 || k - strikes[i - 1] === 5)), strikes.join());
  const closes = (await gateway.quote.requestHistoryKLAll("US.AAPL", "K_DAY", {
    begin: "2026-05-15",
    end: "2026-11-24",
    rehab: "NONE",
  })).klines.map((k) => k.close ?? NaN);
  assertEquals(closes.at(-1), lastClosePrice);
  const [low, high] = [Math.min(...closes) * 0.75, Math.max(...closes) * 1.25];
  assert(strikes[0] >= low && strikes[0] - 5 < low, `lowest ${strikes[0]}, lowest close × 0.75 ${low}`);
  assert(
    strikes.at(-1)! <= high && strikes.at(-1)! + 5 > high,
    `highest ${strikes.at(-1)}, highest close × 1.25 ${high}`,
  );
  assert(strikes[0] <= lastClosePrice * 0.75 + 5 && strikes.at(-1)! >= lastClosePrice * 1.25 - 5);
  const pair = expiry.options.find((o) => o.strike === 250)!;
  assertEquals(pair.call!.symbol, "US.AAPL270115C250000", "the catalog's hand-listed contract is on the grid");
  assertEquals(pair.put!.symbol, "US.AAPL270115P250000");
  assertEquals(pair.put!.option, {
    type: "PUT",
    owner: "US.AAPL",
    strikeTime: "2027-01-15",
    strikePrice: 250,
    suspended: false,
  });

  const symbols = expiry.options.flatMap((o) => [o.call!.symbol, o.put!.symbol]);
  const [spotSnap, ...snaps] = await gateway.quote.getSnapshot(["US.AAPL", ...symbols]);
  const spot = spotSnap.curPrice;
  const now = sim.clock.now();
  for (const s of snaps) {
    const o = s.option!;
    const fair = blackScholes(
      o.type === "CALL",
      spot,
      o.strikePrice,
      yearsTo(o.strikeTime, now),
      o.impliedVolatility / 100,
    );
    // The simulator prices on the unrounded underlying and rounds to the tick.
    assertAlmostEquals(s.curPrice, Math.max(0.01, fair), 0.01 + Math.abs(o.delta) * 0.005 + 1e-9, s.symbol);
    assertEquals(o.contractSize, 100);
    assert(o.openInterest > 0, s.symbol);
  }
  // Put–call parity at each strike, within the ticks of the two prices.
  for (const [i, pairOf] of expiry.options.entries()) {
    const call = snaps[2 * i].curPrice;
    const put = snaps[2 * i + 1].curPrice;
    if (call <= 0.01 || put <= 0.01) continue;
    const parity = spot - pairOf.strike * Math.exp(-0.04 * yearsTo("2027-01-15", now));
    assertAlmostEquals(call - put, parity, 0.05, `parity at ${pairOf.strike}`);
  }

  // The basic quote of an option carries its strike, contract size and Greeks (issue item 4), equal to the snapshot's.
  await gateway.quote.subscribe(["US.AAPL270115C250000"], ["QUOTE"]);
  const [quote] = await gateway.quote.getBasicQot(["US.AAPL270115C250000"]);
  const snap = snaps[symbols.indexOf("US.AAPL270115C250000")].option!;
  assertEquals(quote.option, {
    strikePrice: 250,
    contractSize: 100,
    openInterest: snap.openInterest,
    impliedVolatility: snap.impliedVolatility,
    premium: snap.premium,
    delta: snap.delta,
    gamma: snap.gamma,
    vega: snap.vega,
    theta: snap.theta,
    rho: snap.rho,
    netOpenInterest: undefined,
    expiryDateDistance: 51,
  });
  const [info] = await gateway.quote.getStaticInfo(["US.TSLA261204C330000"]);
  assertEquals([info.secType, info.option?.strikeTime, info.option?.owner], ["DRVT", "2026-12-04", "US.TSLA"]);
  await assertRejects(() => gateway.quote.getStaticInfo(["US.AAPL270115C252500"]), OpenDError, "Unknown stock");
});

Deno.test("HK option chains: HKATS roots, per-underlying contract sizes, net open interest", async () => {
  await using sim = await startSim({ at: HK_MORNING });
  await using gateway = await connect(sim);
  const [tencent] = await gateway.derivatives.getOptionChain("HK.00700", { begin: "2026-12-01", end: "2026-12-31" });
  assertEquals(tencent.expiry, "2026-12-30");
  assert(tencent.options.some((o) => o.call?.symbol === "HK.TCH261230C420000"));
  const [alibaba] = await gateway.derivatives.getOptionChain("HK.09988", { begin: "2026-12-30", end: "2026-12-30" });
  const code = alibaba.options.find((o) => o.strike === 85)!.call!.symbol;
  assertEquals(code, "HK.ALB261230C85000");
  const [tch, alb] = await gateway.quote.getSnapshot(["HK.TCH261230C420000", code]);
  assertEquals([tch.option!.contractSize, alb.option!.contractSize], [100, 500]);
  assertEquals(tch.option!.owner, "HK.00700");
});

Deno.test("chain filters are applied: type, moneyness, Greeks, IV, open interest; at most 30 days per request", async () => {
  await using sim = await startSim({ at: US_OPEN });
  await using gateway = await connect(sim);
  const range = { begin: "2027-01-15", end: "2027-01-15" };
  const calls = await gateway.derivatives.getOptionChain("US.AAPL", { ...range, type: "CALL" });
  assert(calls[0].options.every((o) => o.call && !o.put));
  const [spot] = await gateway.quote.getSnapshot(["US.AAPL"]);
  const itm = await gateway.derivatives.getOptionChain("US.AAPL", { ...range, type: "PUT", condition: "ITM" });
  assert(itm[0].options.length > 0 && itm[0].options.every((o) => o.strike > spot.curPrice), "ITM puts");
  const filtered = await gateway.derivatives.getOptionChain("US.AAPL", {
    ...range,
    type: "CALL",
    filter: { delta: { min: 0.3, max: 0.7 }, openInterest: { min: 1 } },
  });
  const kept = filtered[0].options.map((o) => o.call!.symbol);
  assert(kept.length > 0 && kept.length < calls[0].options.length, `${kept.length} kept`);
  for (const s of await gateway.quote.getSnapshot(kept)) {
    assert(s.option!.delta >= 0.3 && s.option!.delta <= 0.7, `${s.symbol} delta ${s.option!.delta}`);
  }
  const err = await assertRejects(
    () => gateway.derivatives.getOptionChain("US.AAPL", { begin: "2027-01-01", end: "2027-03-01" }),
    OpenDError,
  );
  assertEquals(err.retMsg, "The expiry range of an option chain is at most 30 days, got 59");
});

Deno.test("warrants: OpenD's filters, sorting and paging applied; figures consistent with the underlying", async () => {
  await using sim = await startSim({ at: HK_MORNING });
  await using gateway = await connect(sim);
  const base = { sortBy: "CODE", ascending: true, offset: 0, count: 200 } as const;
  const all = await gateway.derivatives.getWarrants(base);
  assertEquals(all.allCount, 28, "9 per underlying on three underlyings, and HK.28123");
  assertEquals(all.lastPage, true);
  const tencent = await gateway.derivatives.getWarrants({ ...base, owner: "HK.00700" });
  assertEquals(tencent.allCount, 10);
  assert(tencent.warrants.every((w) => w.owner === "HK.00700"));
  const [spot] = await gateway.quote.getSnapshot(["HK.00700"]);
  for (const w of tencent.warrants) {
    const up = w.type === "CALL" || w.type === "BULL";
    const breakEven = up ? w.strike + w.price * w.conversionRatio : w.strike - w.price * w.conversionRatio;
    assertAlmostEquals(w.breakEven, breakEven, 0.001, w.symbol);
    assertAlmostEquals(w.leverage, spot.curPrice / (w.price * w.conversionRatio), 0.001, w.symbol);
    assertAlmostEquals(
      w.premium,
      (up ? breakEven - spot.curPrice : spot.curPrice - breakEven) / spot.curPrice * 100,
      0.001,
    );
    assert(w.effectiveLeverage <= w.leverage + 1e-9, w.symbol);
    if (w.type === "BULL" || w.type === "BEAR") {
      assert(w.recoveryPrice !== undefined && w.impliedVolatility === undefined && w.delta === undefined, w.symbol);
    } else {
      assertEquals(w.impliedVolatility, 35);
      assert(w.type === "CALL" ? w.delta! > 0 : w.delta! < 0, w.symbol);
    }
  }

  const cbbc = await gateway.derivatives.getWarrants({ ...base, types: ["BULL", "BEAR"], issuers: ["HS", "CT"] });
  assertEquals(cbbc.warrants.map((w) => `${w.type} ${w.issuer}`).sort(), [
    "BEAR CT",
    "BEAR CT",
    "BEAR CT",
    "BEAR HS",
    "BEAR HS",
    "BEAR HS",
  ]);
  const cheap = await gateway.derivatives.getWarrants({ ...base, price: { max: 0.3 }, leverage: { min: 10 } });
  assert(cheap.warrants.length > 0 && cheap.warrants.every((w) => w.price <= 0.3 && w.leverage >= 10));
  const itm = await gateway.derivatives.getWarrants({ ...base, inTheMoney: true });
  assert(itm.warrants.length > 0 && itm.warrants.every((w) => w.inOutMoney > 0));
  const late = await gateway.derivatives.getWarrants({ ...base, maturityFrom: "2028-01-01" });
  assert(late.warrants.length > 0 && late.warrants.every((w) => w.maturity >= "2028-01-01"));

  const byPremium = await gateway.derivatives.getWarrants({ ...base, sortBy: "PREMIUM", ascending: false });
  const premiums = byPremium.warrants.map((w) => w.premium);
  assertEquals(premiums, [...premiums].sort((a, b) => b - a));
  const first = await gateway.derivatives.getWarrants({ ...base, sortBy: "PREMIUM", ascending: false, count: 10 });
  const second = await gateway.derivatives.getWarrants({
    ...base,
    sortBy: "PREMIUM",
    ascending: false,
    offset: 10,
    count: 10,
  });
  assertEquals([first.allCount, first.lastPage, second.lastPage], [28, false, false]);
  assertEquals(
    [...first.warrants, ...second.warrants].map((w) => w.symbol),
    byPremium.warrants.slice(0, 20).map((w) => w.symbol),
  );
  const err = await assertRejects(() => gateway.derivatives.getWarrants({ ...base, count: 201 }), OpenDError);
  assertEquals(err.retMsg, "num must be between 1 and 200, got 201");
});

Deno.test("references: a stock's warrants, a main contract's months; futures terms and quotes", async () => {
  await using sim = await startSim({ at: HK_MORNING });
  await using gateway = await connect(sim);
  const warrants = await gateway.derivatives.getReference("HK.00700", "WARRANT");
  assertEquals(warrants.length, 10);
  assert(warrants.every((w) => w.secType === "WARRANT" && w.warrant?.owner === "HK.00700"));
  assertEquals(new Set(warrants.map((w) => w.warrant!.type)), new Set(["BUY", "SELL", "BULL", "BEAR"]));
  assertEquals(await gateway.derivatives.getReference("US.AAPL", "WARRANT"), []);

  const months = await gateway.derivatives.getReference("HK.HSImain", "FUTURE");
  assertEquals(months.map((m) => [m.symbol, m.future?.lastTradeTime, m.secType]), [
    ["HK.HSI2611", "2026-11-27", "FUTURE"],
    ["HK.HSI2612", "2026-12-30", "FUTURE"],
    ["HK.HSI2703", "2027-03-30", "FUTURE"],
    ["HK.HSI2706", "2027-06-29", "FUTURE"],
  ]);
  const err = await assertRejects(() => gateway.derivatives.getReference("HK.00700", "FUTURE"), OpenDError);
  assert(err.retMsg.includes("not a main futures contract"), err.retMsg);

  const [main, month] = await gateway.derivatives.getFutureInfo(["HK.HSImain", "HK.HSI2612"]);
  assertEquals(main, {
    symbol: "HK.HSImain",
    name: "HSI MAIN",
    lastTradeDate: undefined,
    owner: "HK.800000",
    ownerOther: "HSI",
    exchange: "HKFE",
    contractType: "Index Futures",
    contractSize: 50,
    contractSizeUnit: "HKD/point",
    currency: "HKD",
    tick: 1,
    tickUnit: "point",
    quoteUnit: "point",
    tradingHours: ["09:30-12:00", "13:00-16:00"],
    timeZone: "Asia/Hong_Kong",
    specUrl: main.specUrl,
    origin: "HK.HSI2611",
  });
  assertEquals(month.lastTradeDate, "2026-12-30");
  await assertRejects(() => gateway.derivatives.getFutureInfo(["HK.00700"]), OpenDError, "is not a futures contract");

  // Futures quote like any security: whole index points, the spot month on the main contract's path.
  const [a, b] = await gateway.quote.getSnapshot(["HK.HSImain", "HK.HSI2611"]);
  assertEquals(a.secType, "FUTURE");
  assertEquals(a.curPrice, b.curPrice);
  assertEquals(a.curPrice, Math.round(a.curPrice));
  assertEquals(a.priceSpread, 1);
});
