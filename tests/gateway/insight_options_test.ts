/**
 * Options analytics through the Gateway against the simulator over TCP:
 * every protocol of the family round-tripped, with what it shares with the
 * market model checked (IVs and prices equal to the option snapshots, HV
 * from the daily closes, exercise probabilities from Black–Scholes and
 * monotonic in strike, strategy payoffs from the legs' prices, ranks sorted,
 * statistics that add up, alerts that are kept, 0DTE on expiry days only),
 * bad requests refused with OpenD-style messages, and determinism.
 */
import { assert, assertEquals, assertRejects } from "../helpers/assert.ts";
import { connect, startSim, US_MORNING } from "../helpers/sim.ts";
import type { Gateway } from "../../src/gateway/mod.ts";
import { OpenDError } from "../../src/gateway/mod.ts";
import { toSecurity } from "../../src/gateway/symbols.ts";
import { earningsReports } from "../../src/sim/earnings.ts";
import { securityBySymbol } from "../../src/sim/catalog.ts";

const near = (a: number, b: number, tolerance: number, what: string) =>
  assert(Math.abs(a - b) <= tolerance, `${what}: ${a} vs ${b} (±${tolerance})`);
/** Friday 2026-11-20 10:30 in New York: a monthly expiry day. */
const US_FRIDAY = Date.parse("2026-11-20T15:30:00Z");
const US_SECURITY = 1;
const BUY = 1;
const SELL = 2;

/** The nearest expiry's listed strikes of an underlying and its spot. */
async function chainOf(gateway: Gateway, owner: string) {
  const [expiry] = await gateway.derivatives.getOptionExpirations(owner);
  const [chain] = await gateway.derivatives.getOptionChain(owner, { begin: expiry.date, end: expiry.date });
  const [stock] = await gateway.quote.getSnapshot([owner]);
  const strikes = chain.options.map((o) => o.strike);
  const atm = strikes.reduce((best, k) => Math.abs(k - stock.curPrice) < Math.abs(best - stock.curPrice) ? k : best);
  const at = (k: number, side: "call" | "put") => chain.options.find((o) => o.strike === k)![side]!.symbol;
  return { expiry: expiry.date, strikes, atm, at, spot: stock.curPrice };
}

function normalCdf(x: number): number {
  // Numerical integration of the density (Simpson), independent of the simulator's approximation.
  const n = 2000;
  const lo = -10;
  const h = (x - lo) / n;
  let sum = 0;
  for (let i = 0; i <= n; i++) {
    const t = lo + i * h;
    const w = i === 0 || i === n ? 1 : i % 2 ? 4 : 2;
    sum += w * Math.exp(-t * t / 2);
  }
  return sum * h / 3 / Math.sqrt(2 * Math.PI);
}

Deno.test("volatility: IV is the at-the-money contract's snapshot IV, HV is the annualised stdev of daily closes", async () => {
  await using sim = await startSim({ at: US_MORNING });
  await using gateway = await connect(sim);
  const chain = await chainOf(gateway, "US.AAPL");
  const [atm] = await gateway.quote.getSnapshot([chain.at(chain.atm, "call")]);
  const iv = atm.option!.impliedVolatility;

  const vol = await gateway.insight.get("Qot_GetOptionVolatility", { security: toSecurity("US.AAPL") });
  const today = vol.itemList![0];
  assertEquals(today.impliedVolatility, iv, "today's IV is the ATM contract's");
  assertEquals(vol.itemList!.length, vol.itemList!.filter((i) => i.timestampStr! > "2026-10-25").length, "a month");
  assert(vol.itemList!.every((v, i, all) => i === 0 || v.timestampStr! < all[i - 1].timestampStr!), "newest first");

  // HV(30): the sample stdev of 30 daily log returns of the forward-adjusted closes, × √252, in percent.
  const klines = (await gateway.quote.requestHistoryKL("US.AAPL", "K_DAY", {
    begin: "2026-09-01",
    end: "2026-11-25",
    rehab: "FORWARD",
  })).klines;
  const closes = klines.slice(-31).map((k) => k.close!);
  const returns = closes.slice(1).map((c, i) => Math.log(c / closes[i]));
  const mean = returns.reduce((s, r) => s + r, 0) / returns.length;
  const hv = Math.sqrt(returns.reduce((s, r) => s + (r - mean) ** 2, 0) / (returns.length - 1) * 252) * 100;
  near(today.historyVolatility!, hv, 0.05, "HV(30)");
  near(today.volatilityPremium!, today.impliedVolatility! - today.historyVolatility!, 0.002, "premium = IV − HV");
  const hv10 = await gateway.insight.get("Qot_GetOptionVolatility", {
    security: toSecurity("US.AAPL"),
    queryTimePeriod: 1,
    hvTimePeriod: 10,
  });
  assert(hv10.itemList!.length <= 5 && hv10.itemList!.length >= 3, "a week of sessions");
  assert(hv10.itemList![0].historyVolatility !== today.historyVolatility, "the HV window is the request's");

  const overview = await gateway.insight.get("Qot_GetOptionUnderlyingOverview", {
    ownerList: [toSecurity("US.AAPL"), toSecurity("HK.00700")],
  });
  const [aapl, tencent] = overview.underlyingDataList!;
  assertEquals(aapl.iv, iv);
  assertEquals(aapl.hvList!.find((h) => h.timeRange === 1)!.hv, today.historyVolatility);
  assert(aapl.ivRank! >= 0 && aapl.ivRank! <= 100 && aapl.ivPercentile! >= 0 && aapl.ivPercentile! <= 100);
  assertEquals(tencent.code, "00700");

  const history = await gateway.insight.get("Qot_GetOptionUnderlyingHisVolatility", {
    owner: toSecurity("US.AAPL"),
    beginTime: "2026-11-01",
    endTime: "2026-11-25",
  });
  assertEquals(history.volatilityList![0].iv, iv);
  assertEquals(history.volatilityList![0].underlyingPrice, chain.spot);
  const closeOf = new Map(
    (await gateway.quote.requestHistoryKL("US.AAPL", "K_DAY", {
      begin: "2026-11-01",
      end: "2026-11-24",
      rehab: "NONE",
    }))
      .klines
      .map((k) => [k.time.slice(0, 10), k.close]),
  );
  for (const v of history.volatilityList!.slice(1)) assertEquals(v.underlyingPrice, closeOf.get(v.time), v.time);

  await assertRejects(
    () => gateway.insight.get("Qot_GetOptionVolatility", { security: toSecurity("US.AAPL"), hvTimePeriod: 300 }),
    OpenDError,
    "hvTimePeriod",
  );
  await assertRejects(
    () => gateway.insight.get("Qot_GetOptionVolatility", { security: toSecurity("HK.00005") }),
    OpenDError,
    "no listed options",
  );
});

Deno.test("exercise probability is Black–Scholes N(d2), in percent, falling with the strike for calls", async () => {
  await using sim = await startSim({ at: US_MORNING });
  await using gateway = await connect(sim);
  const chain = await chainOf(gateway, "US.NVDA");
  const i = chain.strikes.indexOf(chain.atm);
  const [low, high] = [chain.strikes[i - 2], chain.strikes[i + 2]];
  const probability = async (symbol: string) =>
    (await gateway.insight.get("Qot_GetOptionExerciseProbability", { security: toSecurity(symbol) })).itemList!;
  const lowCall = await probability(chain.at(low, "call"));
  const highCall = await probability(chain.at(high, "call"));
  const lowPut = await probability(chain.at(low, "put"));
  const highPut = await probability(chain.at(high, "put"));
  assert(lowCall[0].strikeProbability! > highCall[0].strikeProbability!, "calls: lower strike, likelier");
  assert(lowPut[0].strikeProbability! < highPut[0].strikeProbability!, "puts: higher strike, likelier");
  for (const p of [lowCall, highCall, lowPut, highPut].flat()) {
    assert(p.strikeProbability! > 0 && p.strikeProbability! < 100, `${p.strikeProbability} in (0, 100)`);
  }
  assertEquals(lowCall[0].securityPrice, chain.spot);
  // N(d2) with the snapshot's IV, the model's 4 % rate and the minutes to expiry (16:00 UTC of the expiry date).
  const [snap] = await gateway.quote.getSnapshot([chain.at(high, "call")]);
  const sigma = snap.option!.impliedVolatility / 100;
  const years = (Date.parse(`${chain.expiry}T16:00:00Z`) - Math.floor(US_MORNING / 60_000) * 60_000) /
    (525_600 * 60_000);
  const d2 = (Math.log(chain.spot / high) + (0.04 - sigma * sigma / 2) * years) / (sigma * Math.sqrt(years));
  near(highCall[0].strikeProbability!, normalCdf(d2) * 100, 0.01, "N(d2)");
  near(highCall[0].strikeProbability! + highPut[0].strikeProbability!, 100, 0.002, "call + put = 100 %");
  assert(highCall.length > 1 && highCall.every((p, k, all) => k === 0 || p.timestampStr! < all[k - 1].timestampStr!));
  await assertRejects(
    () => gateway.insight.get("Qot_GetOptionExerciseProbability", { security: toSecurity("US.NVDA") }),
    OpenDError,
    "not an option",
  );
});

Deno.test("option quotes and strategy analysis price from the legs' simulated quotes", async () => {
  await using sim = await startSim({ at: US_MORNING });
  await using gateway = await connect(sim);
  const chain = await chainOf(gateway, "US.AAPL");
  const i = chain.strikes.indexOf(chain.atm);
  const [k1, k2] = [chain.strikes[i], chain.strikes[i + 1]];
  const [c1, c2] = [chain.at(k1, "call"), chain.at(k2, "call")];
  const [s1, s2] = await gateway.quote.getSnapshot([c1, c2]);

  const [q1] =
    (await gateway.insight.get("Qot_GetOptionQuote", { multi_legs: [{ security: toSecurity(c1), side: BUY }] }))
      .optionQuoteList!;
  assertEquals(q1.price, s1.curPrice);
  assertEquals(q1.IV, s1.option!.impliedVolatility);
  assertEquals(q1.delta, s1.option!.delta);
  assertEquals(q1.open_interest, s1.option!.openInterest);
  assertEquals(Number(q1.vol), s1.volume);
  assertEquals(q1.pre_close, s1.lastClosePrice);
  near(q1.intrinsic_value! + q1.time_value!, q1.price!, 0.0011, "intrinsic + time value = price");
  assertEquals(q1.breakeven_point, [Math.round((k1 + s1.curPrice) * 1000) / 1000]);

  const spread = [{ security: toSecurity(c1), side: BUY, qtyRatio: 1 }, {
    security: toSecurity(c2),
    side: SELL,
    qtyRatio: 1,
  }];
  const debit = s1.curPrice - s2.curPrice;
  const [combo] = (await gateway.insight.get("Qot_GetOptionQuote", { multi_legs: spread })).optionQuoteList!;
  near(combo.price!, debit, 0.0011, "combo price = net debit per share");
  const analysis = await gateway.insight.get("Qot_GetOptionStrategyAnalysis", { multi_legs: spread });
  assertEquals(analysis.option_strategy, 4, "a vertical spread");
  assert(analysis.name.startsWith("Bull Call Spread AAPL"), analysis.name);
  near(analysis.max_loss!, debit * 100, 0.011, "max loss = net debit × contract size");
  near(analysis.max_profit!, (k2 - k1 - debit) * 100, 0.011, "max profit = (width − debit) × contract size");
  assertEquals(analysis.breakeven_points!.length, 1);
  near(analysis.breakeven_points![0], k1 + debit, 0.002, "break-even = lower strike + debit");
  assert(analysis.prob_of_profit! > 0 && analysis.prob_of_profit! < 100);
  near(analysis.delta!, (s1.option!.delta - s2.option!.delta) * 100, 0.2, "share-equivalent delta");

  const naked = await gateway.insight.get("Qot_GetOptionStrategyAnalysis", {
    multi_legs: [{ security: toSecurity(c1), side: SELL }],
  });
  assertEquals(naked.max_loss, 9_999_999, "a short call's loss is unbounded");
  near(naked.max_profit!, s1.curPrice * 100, 0.011, "its profit is the premium");

  // Every listable strategy type: its first combination analyses back to that type and code.
  for (const type of [1, 2, 4, 6, 7, 8, 9, 11, 13, 14, 15, 16]) {
    const list = await gateway.insight.get("Qot_GetOptionStrategy", {
      owner: toSecurity("US.AAPL"),
      option_strategy: type,
      expire_time: chain.expiry,
    });
    assert(list.strategyList!.length > 0, `type ${type} has combinations`);
    const first = list.strategyList![0];
    const back = await gateway.insight.get("Qot_GetOptionStrategyAnalysis", { multi_legs: first.multi_legs });
    assertEquals(back.option_strategy, type, `type ${type} classifies back`);
    assertEquals(back.code, first.code);
  }
  const step = securityBySymbol("US.AAPL")!.chain!.strikeStep;
  const widths = await gateway.insight.get("Qot_GetOptionStrategySpread", {
    owner: toSecurity("US.AAPL"),
    option_strategy: 14,
    expire_time: chain.expiry,
  });
  assertEquals(widths.spreadList!.slice(0, 2), [step, 2 * step]);
  const narrow = await gateway.insight.get("Qot_GetOptionStrategy", {
    owner: toSecurity("US.AAPL"),
    option_strategy: 4,
    expire_time: chain.expiry,
    spread: step,
    option_type: 2,
    strike_price: k1,
  });
  assert(narrow.strategyList!.length > 0);
  for (const s of narrow.strategyList!) assert(s.name.startsWith("Bear Put Spread"), s.name);

  await assertRejects(
    () => gateway.insight.get("Qot_GetOptionStrategySpread", { owner: toSecurity("US.AAPL"), option_strategy: 16 }),
    OpenDError,
    "far_expire_time",
  );
  await assertRejects(
    () => gateway.insight.get("Qot_GetOptionStrategy", { owner: toSecurity("US.AAPL"), option_strategy: 100 }),
    OpenDError,
    "not a listable",
  );
  await assertRejects(
    () =>
      gateway.insight.get("Qot_GetOptionQuote", {
        multi_legs: [{ security: toSecurity(c1) }, { security: toSecurity(chainOfTencent) }],
      }),
    OpenDError,
    "more than one underlying",
  );
  await assertRejects(() => gateway.insight.get("Qot_GetOptionQuote", { multi_legs: [] }), OpenDError, "multi_legs");
});
const chainOfTencent = "HK.00700";

Deno.test("statistics add up; ranks are sorted and agree with the overview and the contracts' quotes", async () => {
  await using sim = await startSim({ at: US_MORNING });
  await using gateway = await connect(sim);
  const today = "2026-11-25";
  const his = async (owner: string) => (await gateway.insight.get("Qot_GetOptionUnderlyingHisStatistic", {
    owner: toSecurity(owner),
    beginTime: "2026-06-01",
    endTime: today,
  }));
  const stats = await Promise.all(["US.AAPL", "US.TSLA", "US.NVDA"].map(his));
  for (const s of stats) {
    assertEquals(s.statisticList!.length, 60, "one page of 60 sessions");
    assert(s.nextPageKey && s.nextPageKey.length > 0, "more pages");
    const d = s.statisticList![0];
    assertEquals(d.time, today);
    assertEquals(Number(d.optionVolume), Number(d.callVolume) + Number(d.putVolume));
    // Every chain lists strikes around its price, TSLA's too though it trades far above its catalog base price.
    assert(Number(d.callVolume) > 0 && Number(d.callOpenInterest) > 0, s.code);
    near(d.putCallVolumeRatio!, Number(d.putVolume) / Number(d.callVolume), 0.0001, "P/C ratio");
  }
  const next = await gateway.insight.get("Qot_GetOptionUnderlyingHisStatistic", {
    owner: toSecurity("US.AAPL"),
    beginTime: "2026-06-01",
    endTime: today,
    nextPageKey: stats[0].nextPageKey,
  });
  assert(next.statisticList![0].time < stats[0].statisticList!.at(-1)!.time, "the next page is older");
  assertEquals(next.statisticList!.at(-1)!.time >= "2026-06-01", true);

  const market = await gateway.insight.get("Qot_GetOptionMarketStatistic", {
    optionMarket: US_SECURITY,
    dataType: 0,
    beginTime: today,
    endTime: today,
  });
  const [day] = market.statisticList!;
  assertEquals(Number(day.callValue), stats.reduce((s, x) => s + Number(x.statisticList![0].callVolume), 0));
  assertEquals(Number(day.putValue), stats.reduce((s, x) => s + Number(x.statisticList![0].putVolume), 0));
  const oi = await gateway.insight.get("Qot_GetOptionMarketStatistic", {
    optionMarket: US_SECURITY,
    dataType: 1,
    beginTime: today,
    endTime: today,
  });
  assertEquals(
    Number(oi.statisticList![0].callValue),
    stats.reduce((s, x) => s + Number(x.statisticList![0].callOpenInterest), 0),
  );
  const overview = await gateway.insight.get("Qot_GetOptionUnderlyingOverview", { ownerList: [toSecurity("US.AAPL")] });
  assertEquals(overview.underlyingDataList![0].callOpenInterest, stats[0].statisticList![0].callOpenInterest);

  const rank = await gateway.insight.get("Qot_GetOptionUnderlyingRank", { optionMarket: US_SECURITY, sortType: 7 });
  assertEquals(rank.allCount, 3);
  const ivs = rank.rankList!.map((r) => r.iv).filter((v) => v !== undefined);
  assert(ivs.every((v, i) => i === 0 || v! <= ivs[i - 1]!), "sorted by IV, descending");
  assertEquals(ivs.length, 3, "every underlying has an at-the-money IV (TSLA's chain follows its price)");
  const aapl = rank.rankList!.find((r) => r.owner.code === "AAPL")!;
  assertEquals(aapl.iv, overview.underlyingDataList![0].iv);
  assertEquals(aapl.totalVolume, stats[0].statisticList![0].optionVolume);
  const [snap] = await gateway.quote.getSnapshot(["US.AAPL"]);
  assertEquals(aapl.price, snap.curPrice);
  near(aapl.marketCap!, snap.curPrice * securityBySymbol("US.AAPL")!.sharesOutstanding!, 1, "market cap");
  const paged = await gateway.insight.get("Qot_GetOptionUnderlyingRank", {
    optionMarket: US_SECURITY,
    sortType: 7,
    count: 2,
  });
  assertEquals(paged.rankList!.length, 2);
  const rest = await gateway.insight.get("Qot_GetOptionUnderlyingRank", {
    optionMarket: US_SECURITY,
    sortType: 7,
    count: 2,
    page: paged.nextPage,
  });
  assertEquals(
    [...paged.rankList!, ...rest.rankList!].map((r) => r.owner.code),
    rank.rankList!.map((r) => r.owner.code),
  );
  const indexMarket = await gateway.insight.get("Qot_GetOptionUnderlyingRank", { optionMarket: 2, sortType: 1 });
  assertEquals(indexMarket.rankList ?? [], [], "no index options in the catalog");

  const options = await gateway.insight.get("Qot_GetOptionRank", {
    optionMarket: US_SECURITY,
    sortType: 1,
    count: 10,
    filterList: [{ indicatorType: 9, indicatorValue: { valueList: ["1"] } }],
  });
  assertEquals(options.rankList!.length, 10);
  assert(options.rankList!.every((r) => r.optionType === 1), "calls only");
  assert(options.rankList!.every((r, i, all) => i === 0 || Number(r.volume) <= Number(all[i - 1].volume)), "by volume");
  const top = options.rankList![0];
  const [topSnap] = await gateway.quote.getSnapshot([`US.${top.option.code}`]);
  assertEquals(Number(top.volume), topSnap.volume, "the contract's own volume");
  assertEquals(top.iv, topSnap.option!.impliedVolatility);
  assertEquals(top.openInterest, String(topSnap.option!.openInterest));

  await assertRejects(
    () => gateway.insight.get("Qot_GetOptionUnderlyingRank", { optionMarket: US_SECURITY, sortType: 99 }),
    OpenDError,
    "sortType",
  );
  await assertRejects(
    () => gateway.insight.get("Qot_GetOptionRank", { optionMarket: US_SECURITY, sortType: 1, count: 500 }),
    OpenDError,
    "count",
  );
  await assertRejects(
    () =>
      gateway.insight.get("Qot_GetOptionMarketStatistic", {
        optionMarket: 9,
        dataType: 0,
        beginTime: today,
        endTime: today,
      }),
    OpenDError,
    "optionMarket",
  );
  await assertRejects(
    () =>
      gateway.insight.get("Qot_GetOptionUnderlyingHisVolatility", {
        owner: toSecurity("US.AAPL"),
        beginTime: "2026-11-30",
        endTime: "2026-11-01",
      }),
    OpenDError,
    "after endTime",
  );
});

Deno.test("unusual activity follows the model; alerts are kept per user and validated", async () => {
  await using sim = await startSim({ at: US_MORNING });
  await using gateway = await connect(sim);
  const events = await gateway.insight.get("Qot_GetOptionEvent", { optionMarket: US_SECURITY, count: 300 });
  assert(events.allCount! > 0 && events.eventList!.length === events.allCount);
  const nowSeconds = US_MORNING / 1000;
  for (const e of events.eventList!) {
    assert(e.fillTimestamp! <= nowSeconds, "no event from the future");
    assert(e.fillTime!.startsWith("2026-11-25"), e.fillTime);
    const bullish = (e.optionType === 1) === (e.tickerType === 1);
    assertEquals(e.sentiment, e.tickerType === 3 ? 3 : bullish ? 2 : 1, "sentiment from side and type");
    near(e.turnover!, e.price! * Number(e.volume) * 100, 0.01, "turnover = price × size × 100");
  }
  assert(events.eventList!.every((e, i, all) => i === 0 || e.fillTimestamp! <= all[i - 1].fillTimestamp!));
  const first = events.eventList![0];
  const [snap] = await gateway.quote.getSnapshot([`US.${first.option!.code}`]);
  assertEquals(first.iv, snap.option!.impliedVolatility, "the contract's IV");
  const calls = await gateway.insight.get("Qot_GetOptionEvent", {
    optionMarket: US_SECURITY,
    count: 5,
    filterList: [
      { indicatorType: 201, indicatorValue: { valueList: ["1"] } },
      { indicatorType: 306, indicatorValue: { valueList: ["2"] } },
    ],
    sort: { indicatorType: 302, isAsc: false },
  });
  assert(calls.allCount! > events.eventList!.filter((e) => e.optionType === 1).length, "three sessions hold more");
  assert(
    calls.eventList!.every((e, i, all) =>
      e.optionType === 1 && (i === 0 || Number(e.volume) <= Number(all[i - 1].volume))
    ),
  );
  assert(calls.nextPage !== "");
  await assertRejects(
    () => gateway.insight.get("Qot_GetOptionEvent", { optionMarket: US_SECURITY }),
    OpenDError,
    "count",
  );

  const set = (operType: number, alertList: object[]) =>
    gateway.insight.get("Qot_SetOptionEventAlert", { operType, alertList });
  const list = () => gateway.insight.get("Qot_GetOptionEventAlert", { count: 50 });
  assertEquals((await list()).allCount, 0);
  await set(1, [{
    underlying: toSecurity("US.AAPL"),
    optionType: 1,
    sizeRange: { filterMin: { value: 500, includes: true } },
    note: "AAPL calls",
  }]);
  await set(1, [{ optionMarket: US_SECURITY, note: "all US" }]);
  let alerts = (await list()).alertList!;
  assertEquals(alerts.map((a) => a.note), ["all US", "AAPL calls"], "newest first");
  assert(alerts.every((a) => a.enable === true && a.key !== undefined));
  await set(3, [{ key: alerts[1].key, underlying: toSecurity("US.AAPL"), note: "AAPL any" }]);
  await set(5, [{ key: alerts[0].key }]);
  alerts = (await list()).alertList!;
  assertEquals(alerts.map((a) => [a.note, a.enable]), [["all US", false], ["AAPL any", true]]);
  await set(2, [{ key: alerts[0].key }]);
  assertEquals((await list()).alertList!.map((a) => a.note), ["AAPL any"]);
  await assertRejects(
    () => set(1, [{ optionMarket: 1, underlying: toSecurity("US.AAPL") }]),
    OpenDError,
    "exactly one",
  );
  await assertRejects(() => set(1, [{ optionMarket: 1, note: "x".repeat(21) }]), OpenDError, "note");
  await assertRejects(
    () => set(1, [{ optionMarket: 1, earningsDateBegin: "2026-12-01" }]),
    OpenDError,
    "earningsDateBegin and earningsDateEnd",
  );
  await assertRejects(() => set(1, [{ watchlistGroupName: "Nope" }]), OpenDError, "watchlist group");
  await assertRejects(() => set(2, [{ key: "123" }]), OpenDError, "no option event alert");
  await set(1, [{ watchlistGroupName: "Tech" }]);
  await set(6, []);
  assertEquals((await list()).allCount, 0);
});

Deno.test("0DTE lists the chains expiring today, and their contracts; none on other days", async () => {
  await using sim = await startSim({ at: US_FRIDAY });
  await using gateway = await connect(sim);
  const screen = await gateway.insight.get("Qot_GetOptionZeroDteScreener", { optionMarket: US_SECURITY });
  // Every US chain has a weekly expiring on Friday (TSLA's strikes follow its drifted price too).
  assertEquals(screen.itemList!.map((i) => i.owner.code).sort(), ["AAPL", "NVDA", "TSLA"]);
  assert(screen.itemList!.every((i) => i.iv! > 0), "each with an at-the-money IV");
  const aapl = screen.itemList!.find((i) => i.owner.code === "AAPL")!;
  const [expiry] = await gateway.derivatives.getOptionExpirations("US.AAPL");
  assertEquals(expiry.date, "2026-11-20");
  assertEquals(expiry.daysToExpiry, 0);
  const contracts = await gateway.insight.get("Qot_GetOptionZeroDteContract", {
    owner: aapl.owner,
    strikeDateTimestamp: aapl.chainInfo!.strikeDateTimestamp!,
    chainInfo: aapl.chainInfo!,
    sortType: 3,
  });
  assert(contracts.itemList!.length > 10);
  assert(contracts.itemList!.every((c) => c.option.code.startsWith("AAPL261120")), "today's expiry only");
  assert(contracts.itemList!.every((c, i, all) => i === 0 || c.iv! <= all[i - 1].iv!), "by IV");
  const c = contracts.itemList![0];
  const [snap] = await gateway.quote.getSnapshot([`US.${c.option.code}`]);
  assertEquals(c.optionPrice, snap.curPrice);
  assertEquals(c.iv, snap.option!.impliedVolatility);
  near(c.buyProfitProbability! + c.sellProfitProbability!, 100, 0.011, "buy + sell = 100 %");
  await assertRejects(
    () =>
      gateway.insight.get("Qot_GetOptionZeroDteContract", {
        owner: aapl.owner,
        strikeDateTimestamp: String(Number(aapl.chainInfo!.strikeDateTimestamp) + 7 * 86_400),
        chainInfo: { ...aapl.chainInfo!, strikeDateTimestamp: undefined },
      }),
    OpenDError,
    "expir",
  );
  await assertRejects(
    () => gateway.insight.get("Qot_GetOptionZeroDteScreener", { optionMarket: 3 }),
    OpenDError,
    "not supported",
  );
  sim.clock.set(US_MORNING);
  const wednesday = await gateway.insight.get("Qot_GetOptionZeroDteScreener", { optionMarket: US_SECURITY });
  assertEquals(wednesday.itemList ?? [], [], "nothing expires on a Wednesday");
});

Deno.test("earnings and seller screeners follow the earnings calendar and the contracts' quotes", async () => {
  await using sim = await startSim({ at: US_MORNING });
  await using gateway = await connect(sim);
  const earnings = await gateway.insight.get("Qot_GetOptionEarningsScreener", { optionMarket: US_SECURITY });
  assertEquals(earnings.allCount, 3);
  assert(
    earnings.itemList!.every((e, i, all) => i === 0 || e.earningsTime! >= all[i - 1].earningsTime!),
    "soonest first",
  );
  for (const e of earnings.itemList!) {
    const [next] = earningsReports(securityBySymbol(`US.${e.owner.code}`)!, "2026-11-25", "2027-03-31");
    assertEquals(e.earningsTime, next.date, `${e.owner.code} next report`);
    assertEquals(e.earningsQuarter, `${next.fiscalYear}Q${next.quarter}`);
    if (e.iv !== undefined) assert(e.expectedMoveRatio! > 0 && e.expectedMoveRatio! < 80, `${e.expectedMoveRatio}`);
    else assertEquals(e.expectedMoveRatio, undefined, "no chain, no straddle");
  }

  const sellers = await gateway.insight.get("Qot_GetOptionSellerScreener", {
    optionMarket: US_SECURITY,
    sellerType: 1,
  });
  assert(sellers.itemList!.length > 0);
  for (const s of sellers.itemList!) {
    assertEquals(s.optionType, 1, "covered calls sell calls");
    assert(s.strikePrice! > s.stockPrice!, "out of the money");
    near(s.annualizedReturn!, s.intervalReturn! * 365 / Math.max(1, s.leftDays!), 0.01, "annualised");
    near(s.premium!, s.optionPrice! * 100, 0.01, "premium = price × 100");
  }
  assert(sellers.itemList!.every((s, i, all) => i === 0 || s.annualizedReturn! <= all[i - 1].annualizedReturn!));
  const [snap] = await gateway.quote.getSnapshot([`US.${sellers.itemList![0].option.code}`]);
  assertEquals(sellers.itemList![0].optionPrice, snap.curPrice);
  const puts = await gateway.insight.get("Qot_GetOptionSellerScreener", {
    optionMarket: US_SECURITY,
    sellerType: 2,
    sortType: 3,
    isAsc: true,
  });
  assert(puts.itemList!.every((s) => s.optionType === 2 && s.strikePrice! < s.stockPrice!));
  await assertRejects(
    () => gateway.insight.get("Qot_GetOptionSellerScreener", { optionMarket: US_SECURITY, sellerType: 0 }),
    OpenDError,
    "sellerType",
  );
});

Deno.test("options analytics replies are deterministic: the same seed gives the same data", async () => {
  const replies = async () => {
    await using sim = await startSim({ at: US_MORNING, seed: 7 });
    await using gateway = await connect(sim);
    return [
      await gateway.insight.get("Qot_GetOptionVolatility", { security: toSecurity("US.TSLA") }),
      await gateway.insight.get("Qot_GetOptionEvent", { optionMarket: US_SECURITY, count: 20 }),
      await gateway.insight.get("Qot_GetOptionUnderlyingRank", { optionMarket: US_SECURITY, sortType: 1 }),
    ];
  };
  const [a, b] = [await replies(), await replies()];
  assertEquals(JSON.stringify(a), JSON.stringify(b));
});
