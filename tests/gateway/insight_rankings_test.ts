/**
 * The rankings family through `gateway.insight` against the simulator over
 * TCP: every protocol round-tripped; ranks computed from the simulated market
 * (changes equal to the snapshots', sorted, paged, filtered, counted
 * honestly), extended-hours sessions against the closes they trade from,
 * period changes from the daily K-lines, short volume within volume,
 * dividend yields and earnings beats from the corporate actions and reports,
 * breadth that adds up, industrial-chain ids that cross-reference; bad
 * requests refused; same seed, same replies.
 */
import { assert, assertEquals, assertRejects } from "../helpers/assert.ts";
import { connect, HK_MORNING, startSim } from "../helpers/sim.ts";
import { OpenDError } from "../../src/gateway/mod.ts";
import { formatSymbol } from "../../src/gateway/symbols.ts";
import { securityBySymbol, SIM_PLATES, SIM_SECURITIES } from "../../src/sim/catalog.ts";
import { earningsReport, earningsReports } from "../../src/sim/earnings.ts";

const round = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d;
const changeOf = (cur: number, last: number) => round((cur / last - 1) * 100, 3);
const symbols = (list: { security: { market: number; code: string } }[] | undefined) =>
  (list ?? []).map((i) => formatSymbol(i.security));
const stocksOf = (market: string) => SIM_SECURITIES.filter((s) => s.kind === "stock" && s.market === market);
const isSorted = (values: number[], ascending = false) =>
  values.every((v, i) => i === 0 || (ascending ? values[i - 1] <= v : values[i - 1] >= v));
/** Wednesday 2026-11-25 in New York: 08:00 (pre-market), 17:30 (after hours); Tuesday 22:00 (overnight). */
const US_PRE = Date.parse("2026-11-25T13:00:00Z");
const US_AFTER = Date.parse("2026-11-25T22:30:00Z");
const US_OVERNIGHT = Date.parse("2026-11-25T03:00:00Z");

Deno.test("top movers: every HK stock ranked by the snapshot's change, paged and filtered", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const g = gateway.insight;
  const all = await g.get("Qot_GetTopMoversRank", { market: 1, count: 200 });
  const hk = stocksOf("HK");
  assertEquals(all.allCount, hk.length);
  assertEquals(new Set(symbols(all.dataList)), new Set(hk.map((s) => s.symbol)));
  const snapshots = new Map((await gateway.quote.getSnapshot(hk.map((s) => s.symbol))).map((s) => [s.symbol, s]));
  for (const item of all.dataList!) {
    const symbol = formatSymbol(item.security);
    const snap = snapshots.get(symbol)!;
    assertEquals(item.curPrice, snap.curPrice, symbol);
    assertEquals(item.changeRatio, changeOf(snap.curPrice, snap.lastClosePrice), `${symbol} change`);
    assertEquals(Number(item.volume), snap.volume, `${symbol} volume`);
    assertEquals(item.marketCap, round(securityBySymbol(symbol)!.sharesOutstanding! * snap.curPrice, 2));
    assert(item.volumeRatio! > 0, `${symbol} volume ratio`);
  }
  assert(isSorted(all.dataList!.map((i) => i.changeRatio!)), "gainers first");
  const losers = await g.get("Qot_GetTopMoversRank", { market: 1, sortDir: 1, count: 200 });
  assertEquals(symbols(losers.dataList), symbols(all.dataList).reverse());
  const page = await g.get("Qot_GetTopMoversRank", { market: 1, offset: 2, count: 3 });
  assertEquals(symbols(page.dataList), symbols(all.dataList).slice(2, 5));
  assertEquals(page.allCount, hk.length, "allCount counts every match, not the page");

  const big = 1.5e12;
  const filtered = await g.get("Qot_GetTopMoversRank", {
    market: 1,
    count: 200,
    filterList: [
      { indicatorType: 2, indicatorValue: { filterMin: { value: big, includes: true } } },
      { indicatorType: 1, priceFilter: 3 },
    ],
  });
  const expected = all.dataList!.filter((i) => i.marketCap! >= big && i.curPrice! > 10 && i.curPrice! <= 100);
  assertEquals(symbols(filtered.dataList), symbols(expected));
  assertEquals(filtered.allCount, expected.length);
  assert(expected.length > 0 && expected.length < hk.length, "the filter selects some");

  const us = await g.get("Qot_GetTopMoversRank", { market: 11 });
  assertEquals(new Set(symbols(us.dataList)), new Set(stocksOf("US").map((s) => s.symbol)));
});

Deno.test("extended hours: US ranks move from the close each session trades against", async () => {
  await using sim = await startSim({ at: US_PRE });
  await using gateway = await connect(sim);
  const g = gateway.insight;
  const us = stocksOf("US").map((s) => s.symbol);
  const prefix = {
    Qot_GetUSPreMarketRank: "preMarket",
    Qot_GetUSAfterHoursRank: "afterHours",
    Qot_GetUSOvernightRank: "overnight",
  } as const;
  const check = async (protocol: keyof typeof prefix) => {
    const snapshots = new Map((await gateway.quote.getSnapshot(us)).map((s) => [s.symbol, s]));
    const reply = await g.get(protocol, {});
    assertEquals(reply.allCount, us.length);
    const rows = (reply.dataList ?? []).map((i) => {
      const field = (name: string) => (i as unknown as Record<string, unknown>)[`${prefix[protocol]}${name}`];
      return {
        symbol: formatSymbol(i.security),
        price: field("Price") as number,
        change: field("ChangeRatio") as number,
        amount: field("ChangeAmount") as number,
        volume: Number(field("Volume")),
        turnover: field("Turnover") as number,
        item: i,
      };
    });
    for (const r of rows) {
      const snap = snapshots.get(r.symbol)!;
      // Outside the regular session the quote's last price is the close the session trades from.
      assertEquals(r.item.closePrice, snap.curPrice, `${protocol} ${r.symbol} base close`);
      assertEquals(r.change, changeOf(r.price, r.item.closePrice!), `${protocol} ${r.symbol} change`);
      assertEquals(r.amount, round(r.price - r.item.closePrice!, 4));
      assertEquals(r.item.changeRatio, changeOf(snap.curPrice, snap.lastClosePrice), "regular change");
      assert(r.volume > 0 && r.turnover > 0, `${protocol} ${r.symbol} traded`);
    }
    assert(isSorted(rows.map((r) => r.change)), `${protocol} sorted`);
    return rows;
  };
  const early = await check("Qot_GetUSPreMarketRank");
  sim.clock.advance(30 * 60_000);
  const later = await check("Qot_GetUSPreMarketRank");
  for (const r of later) {
    assert(r.volume > early.find((e) => e.symbol === r.symbol)!.volume, "pre-market volume grows as it trades");
  }
  sim.clock.set(US_AFTER);
  await check("Qot_GetUSAfterHoursRank");
  sim.clock.set(US_OVERNIGHT);
  await check("Qot_GetUSOvernightRank");
});

Deno.test("hot list and period change: heat from turnover shares, changes from the daily K-lines", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const g = gateway.insight;
  const hot = await g.get("Qot_GetHotList", { market: 1, count: 200 });
  assertEquals(hot.allCount, stocksOf("HK").length);
  const items = hot.dataList!;
  const tradeTotal = items.reduce((s, i) => s + i.tradeHeat!, 0);
  assert(Math.abs(tradeTotal - 100) < 0.05, `trade heat shares add up to 100: ${tradeTotal}`);
  for (const i of items) assert(Math.abs(i.averageHeat! - (i.tradeHeat! + i.searchHeat! + i.newsHeat!) / 3) < 0.01);
  assert(isSorted(items.map((i) => i.averageHeat!)), "by average heat");
  const bySearch = await g.get("Qot_GetHotList", { market: 1, sortField: 2, sortDir: 1 });
  assert(isSorted(bySearch.dataList!.map((i) => i.searchHeat!), true), "search heat ascending");

  const period = await g.get("Qot_GetPeriodChangeRank", { market: 1, periodType: 4, count: 200 });
  assert(isSorted(period.dataList!.map((i) => i.changeRate20D!)), "sorted by the 20-day change");
  const tencent = period.dataList!.find((i) => i.security.code === "00700")!;
  const series = await gateway.quote.requestHistoryKL("HK.00700", "K_DAY", {
    begin: "2026-09-01",
    end: "2026-11-26",
    rehab: "FORWARD",
  });
  const closes = series.klines.map((k) => k.close!);
  const last = closes.length - 1;
  assertEquals(tencent.changeRate5D, changeOf(closes[last], closes[last - 5]), "5-day change from the K-lines");
  assertEquals(tencent.changeRate20D, changeOf(closes[last], closes[last - 20]), "20-day change from the K-lines");
  const [snap] = await gateway.quote.getSnapshot(["HK.00700"]);
  assertEquals(tencent.changeRatio, changeOf(snap.curPrice, snap.lastClosePrice));
  const byDay = await g.get("Qot_GetPeriodChangeRank", { market: 1, periodType: 2, sortDir: 1 });
  assert(isSorted(byDay.dataList!.map((i) => i.changeRatio!), true), "1-day losers first");
  const narrowed = await g.get("Qot_GetPeriodChangeRank", {
    market: 1,
    periodType: 4,
    filterList: [{ indicatorType: 3, indicatorValue: { filterMin: { value: 0, includes: false } } }],
  });
  assertEquals(narrowed.allCount, period.dataList!.filter((i) => i.changeRate20D! > 0).length, "change filter");
});

Deno.test("short selling: short volume within the day's K-line volume; dividends from the corporate actions", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const g = gateway.insight;
  const short = await g.get("Qot_GetShortSellingRank", { count: 35 });
  assertEquals(short.allCount, stocksOf("US").length, "US by default");
  for (const i of short.dataList!) {
    const symbol = formatSymbol(i.security);
    assert(Number(i.shortNumber) <= Number(i.volume) && Number(i.shortNumber) > 0, `${symbol} short ≤ volume`);
    assertEquals(i.shortRatio, round(Number(i.shortNumber) / Number(i.volume) * 100, 2));
    // The last complete US day before the HK morning of the 26th is the 25th.
    const [day] = (await gateway.quote.requestHistoryKL(symbol, "K_DAY", {
      begin: "2026-11-25",
      end: "2026-11-25",
      rehab: "NONE",
    })).klines;
    assertEquals(Number(i.volume), day.volume, `${symbol} volume is the day's`);
    assertEquals(i.closePrice, day.close);
  }
  assert(isSorted(short.dataList!.map((i) => Number(i.shortNumberChange))), "by short change");
  const tech = await g.get("Qot_GetShortSellingRank", { plateList: [{ market: 11, code: "BK2999" }] });
  assertEquals(symbols(tech.dataList), ["US.NVDA"], "plate constituents only");

  const dividend = await g.get("Qot_GetDividendRank", { market: 1, rankType: 1, count: 300 });
  const payers = stocksOf("HK").filter((s) => (s.dividendTTM ?? 0) > 0);
  assertEquals(new Set(symbols(dividend.dataList)), new Set(payers.map((s) => s.symbol)));
  const snapshots = await gateway.quote.getSnapshot(payers.map((s) => s.symbol));
  for (const i of dividend.dataList!) {
    const snap = snapshots.find((s) => s.symbol === formatSymbol(i.security))!;
    assertEquals(i.dividendYieldTTM, snap.equity!.dividendRatioTTM, "yield = dividendTTM / price, as the snapshot");
    assertEquals(i.dividendsTTM, snap.equity!.dividendTTM);
  }
  assert(isSorted(dividend.dataList!.map((i) => i.dividendYieldTTM!)), "by yield");
  const tencent = dividend.dataList!.find((i) => i.security.code === "00700")!;
  // Tencent paid 2.4 (2023), 3.4 (2024), 4.5 (2025): two years of growth to the last full year.
  assertEquals(tencent.dividendGrowYear, 2);
  assertEquals(tencent.distributionFrequency, undefined, "not reported for HK");
  const growth = await g.get("Qot_GetDividendRank", { market: 1, rankType: 2 });
  assertEquals(symbols(growth.dataList), ["HK.00700"], "only growing payers");
  const us = await g.get("Qot_GetDividendRank", { market: 11, rankType: 1, sortField: 3 });
  assertEquals(us.dataList!.find((i) => i.security.code === "AAPL")!.distributionFrequency, 3, "quarterly");

  const soe = await g.get("Qot_GetHighDividendSOERank", {});
  assertEquals(soe.allCount, 0, "no catalog SOE is below book with a 5% yield");
  const soeAll = await g.get("Qot_GetHighDividendSOERank", {
    filterList: [{ indicatorType: 4, indicatorValue: { filterMin: { value: 1, includes: true } } }],
  });
  assertEquals(new Set(symbols(soeAll.dataList)), new Set(["HK.00941", "SH.600519"]));
  assert(isSorted(soeAll.dataList!.map((i) => i.marketCap!)), "by market cap");
});

Deno.test("earnings beats are the reports' surprises; a fiscal year adds up its quarters", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const g = gateway.insight;
  const beats = await g.get("Qot_GetEarningsBeatRank", { market: 11, beatType: 1 });
  const day = 86_400_000;
  const latest = new Map(stocksOf("US").map((s) => [s.symbol, earningsReports(s, "2025-01-01", "2026-11-25").at(-1)!]));
  assert(beats.dataList!.length > 0, "some US stock beat in the last 30 days");
  for (const i of beats.dataList!) {
    const last = latest.get(formatSymbol(i.security))!;
    assertEquals([i.actual, i.estimate, i.beatRatio, i.releasedDate, i.term], [
      last.epsActual,
      last.epsEstimate,
      last.surprisePct,
      last.date,
      last.periodText,
    ], "the latest report's surprise");
    assert(last.surprisePct > 0 && Date.parse(last.date) >= HK_MORNING - 31 * day, "defaults: recent beats");
  }
  const clearly = [...latest].filter(([, r]) => r.surprisePct > 0 && Date.parse(r.date) >= HK_MORNING - 29 * day);
  for (const [symbol] of clearly) assert(symbols(beats.dataList).includes(symbol), `${symbol} listed`);
  assertEquals(beats.allCount, beats.dataList!.length);
  const annual = await g.get("Qot_GetEarningsBeatRank", {
    market: 11,
    beatType: 1,
    term: 3,
    filterList: [{ indicatorType: 1, indicatorValue: { filterMin: { value: -100, includes: true } } }],
    sortField: 1,
  });
  assertEquals(annual.allCount, stocksOf("US").length);
  assert(isSorted(annual.dataList!.map((i) => i.beatRatio!)), "by beat ratio");
  const aapl = annual.dataList!.find((i) => i.security.code === "AAPL")!;
  const fy = Number(aapl.term!.slice(0, 4));
  const quarters = [1, 2, 3, 4].map((q) => earningsReport(securityBySymbol("US.AAPL")!, fy, q));
  assertEquals(aapl.term, `${fy}/FY`);
  assertEquals(aapl.actual, round(quarters.reduce((s, r) => s + r.epsActual, 0), 3), "annual EPS = its quarters");
  const everything = [{ indicatorType: 1, indicatorValue: { filterMin: { value: -100, includes: true } } }];
  const revenue = await g.get("Qot_GetEarningsBeatRank", { market: 1, beatType: 2, filterList: everything });
  assertEquals(revenue.allCount, stocksOf("HK").length);
  for (const i of revenue.dataList!) {
    assert(i.actual! > 0 && i.estimate! > 0, "revenue figures");
    assertEquals(i.beatRatio, round((i.actual! / i.estimate! - 1) * 100, 2));
  }
});

Deno.test("breadth: cap-weighted plate changes, counts that add up; industrial-chain ids cross-reference", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const g = gateway.insight;
  const heat = await g.get("Qot_GetHeatMapData", { market: 1, plateType: 1 });
  const concepts = SIM_PLATES.filter((p) => p.market === "HK" && p.setType === "CONCEPT");
  assertEquals(heat.allCount, concepts.length);
  for (const p of heat.plateDataList!) {
    const plate = SIM_PLATES.find((x) => x.code === p.plate!.code)!;
    const snaps = await gateway.quote.getSnapshot(plate.constituents);
    const shares = (symbol: string) => securityBySymbol(symbol)!.sharesOutstanding!;
    const now = snaps.reduce((s, x) => s + shares(x.symbol) * x.curPrice, 0);
    const before = snaps.reduce((s, x) => s + shares(x.symbol) * x.lastClosePrice, 0);
    assertEquals(p.changeRate, round((now / before - 1) * 100, 3), `${plate.symbol} cap-weighted change`);
    assertEquals(p.riseCount! + p.fallCount! + p.equalCount!, plate.constituents.length);
    assertEquals(p.riseCount, snaps.filter((x) => x.curPrice > x.lastClosePrice).length);
  }
  assert(isSorted(heat.plateDataList!.map((p) => p.changeRate!)), "by change");
  const first = await g.get("Qot_GetHeatMapData", { market: 1, plateType: 1, count: 1 });
  assertEquals(first.nextPage, "1");
  const second = await g.get("Qot_GetHeatMapData", { market: 1, plateType: 1, count: 1, page: first.nextPage });
  assertEquals(second.plateDataList![0].plate, heat.plateDataList![1].plate, "the cursor pages on");
  assertEquals(second.nextPage, "");

  const hk = await g.get("Qot_GetRiseFallDistribution", { market: 1 });
  const total = (r: typeof hk) => r.rangeList!.reduce((s, x) => s + x.stockCount!, 0);
  assertEquals(total(hk), stocksOf("HK").length, "every HK stock in one bucket");
  const snaps = await gateway.quote.getSnapshot(stocksOf("HK").map((s) => s.symbol));
  const small = snaps.filter((s) =>
    changeOf(s.curPrice, s.lastClosePrice) > 0 && changeOf(s.curPrice, s.lastClosePrice) <= 3
  );
  assertEquals(hk.rangeList!.find((r) => r.leftBorder === 0 && r.rightBorder === 3)!.stockCount, small.length);
  const plate = await g.get("Qot_GetRiseFallDistribution", { security: { market: 1, code: "BK1300" } });
  assertEquals(total(plate), 5);
  assertEquals(plate.plate, { market: 1, code: "BK1300" });
  const sh = await g.get("Qot_GetRiseFallDistribution", { market: 21 });
  assertEquals(sh.rangeList![0].type, 1, "A-shares list limit-up first");
  assertEquals(total(sh), 1);

  const chains = await g.get("Qot_GetIndustrialChainList", { market: 11 });
  assert(chains.allCount! > 0 && chains.nextPage === "");
  for (const c of chains.dataList!) {
    assert(c.relationSecurityList!.some((s) => s.market === 11), `${c.name} has a US member`);
    assertEquals(Number(c.stocksNum), c.relationSecurityList!.length);
    const detail = await g.get("Qot_GetIndustrialChainDetail", { chainId: c.chainId! });
    assertEquals([detail.chainId, detail.name], [c.chainId, c.name]);
    const members = new Set<string>();
    for (const node of detail.nodeList!.filter((n) => n.plateId)) {
      const related = await g.get("Qot_GetIndustrialChainByPlate", { plateId: node.plateId! });
      assert(related.relatedChainList!.some((r) => r.chainId === c.chainId), "the plate's chains include this one");
      const info = await g.get("Qot_GetIndustrialPlateInfo", { plateId: node.plateId! });
      assert(info.summary!.length > 0);
      const stocks = await g.get("Qot_GetIndustrialPlateStock", { plateId: node.plateId! });
      for (const s of stocks.stockList!) members.add(formatSymbol(s.security!));
    }
    const all = await g.get("Qot_GetIndustrialPlateStock", { chainId: c.chainId!, sortField: 0, ascend: true });
    assertEquals(new Set(all.stockList!.map((s) => formatSymbol(s.security!))), members, "chain = its plates' stocks");
    assertEquals(new Set(c.relationSecurityList!.map(formatSymbol)), members);
  }
  const ai = await g.get("Qot_GetIndustrialPlateStock", { chainId: "1001", marketList: [11], count: 1 });
  assertEquals([ai.allCount, ai.page, ai.stockList!.length], [2, "1", 1], "market filter and paging");
  const aiNext = await g.get("Qot_GetIndustrialPlateStock", { chainId: "1001", marketList: [11], page: ai.page });
  assertEquals([aiNext.stockList!.length, aiNext.page], [1, undefined]);
  const keyword = await g.get("Qot_GetIndustrialChainList", { market: 1, keyword: "bank" });
  assertEquals(keyword.dataList!.map((c) => c.chainId), ["1005"]);
});

Deno.test("bad ranking requests are refused with OpenD-style messages", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const g = gateway.insight;
  const refused = async (call: () => Promise<unknown>, includes: string) => {
    const err = await assertRejects(call, OpenDError);
    assert(String(err.message).includes(includes), `${err.message} mentions ${includes}`);
  };
  await refused(() => g.get("Qot_GetTopMoversRank", { market: 21 }), "market 21");
  await refused(() => g.get("Qot_GetTopMoversRank", { market: 1, count: 201 }), "count");
  await refused(() => g.get("Qot_GetTopMoversRank", { market: 1, offset: -1 }), "offset");
  await refused(() => g.get("Qot_GetUSPreMarketRank", { sortDir: 7 }), "sortDir");
  await refused(() => g.get("Qot_GetUSAfterHoursRank", { filterList: [{ indicatorType: 9 }] }), "indicatorType");
  await refused(
    () => g.get("Qot_GetUSOvernightRank", { filterList: [{ indicatorType: 1, priceFilter: 9 }] }),
    "priceFilter",
  );
  await refused(() => g.get("Qot_GetHotList", { market: 1, sortField: 9 }), "sortField");
  await refused(() => g.get("Qot_GetPeriodChangeRank", { market: 1, periodType: 0 }), "periodType");
  await refused(
    () =>
      g.get("Qot_GetPeriodChangeRank", {
        market: 1,
        filterList: [{
          indicatorType: 1,
          indicatorValue: { filterMin: { value: 5, includes: true }, filterMax: { value: 1, includes: true } },
        }],
      }),
    "filterMin",
  );
  await refused(() => g.get("Qot_GetShortSellingRank", { count: 36 }), "count");
  await refused(() => g.get("Qot_GetShortSellingRank", { plateList: [{ market: 11, code: "BK0000" }] }), "BK0000");
  await refused(() => g.get("Qot_GetDividendRank", { market: 1, rankType: 0 }), "rankType");
  await refused(() => g.get("Qot_GetDividendRank", { market: 21, rankType: 1 }), "market");
  await refused(() => g.get("Qot_GetHighDividendSOERank", { count: 0 }), "count");
  await refused(() => g.get("Qot_GetEarningsBeatRank", { market: 1, beatType: 4 }), "beatType");
  await refused(() => g.get("Qot_GetHeatMapData", { market: 1, page: "next" }), "page");
  await refused(() => g.get("Qot_GetHeatMapData", { market: 1, plateType: 5 }), "plateType");
  await refused(() => g.get("Qot_GetRiseFallDistribution", {}), "market");
  await refused(() => g.get("Qot_GetRiseFallDistribution", { security: { market: 1, code: "00700" } }), "plate");
  await refused(() => g.get("Qot_GetIndustrialChainList", { market: 1, count: 51 }), "count");
  await refused(() => g.get("Qot_GetIndustrialChainDetail", { chainId: "9999" }), "chainId 9999");
  await refused(() => g.get("Qot_GetIndustrialChainByPlate", { plateId: "1" }), "plateId 1");
  await refused(() => g.get("Qot_GetIndustrialPlateInfo", { plateId: "1001" }), "plateId 1001");
  await refused(() => g.get("Qot_GetIndustrialPlateStock", {}), "plateId or chainId");
});

Deno.test("rankings are deterministic: two simulators with one seed give equal replies", async () => {
  await using a = await startSim({ seed: 7 });
  await using b = await startSim({ seed: 7 });
  await using ga = await connect(a);
  await using gb = await connect(b);
  const both = async <T>(f: (g: typeof ga) => Promise<T>) => assertEquals(await f(ga), await f(gb));
  await both((g) => g.insight.get("Qot_GetTopMoversRank", { market: 1 }));
  await both((g) => g.insight.get("Qot_GetUSOvernightRank", {}));
  await both((g) => g.insight.get("Qot_GetHotList", { market: 11 }));
  await both((g) => g.insight.get("Qot_GetShortSellingRank", { market: 1 }));
  await both((g) => g.insight.get("Qot_GetHeatMapData", { market: 1 }));
  await both((g) => g.insight.get("Qot_GetEarningsBeatRank", { market: 11, beatType: 3, filterList: [] }));
  await both((g) => g.insight.get("Qot_GetIndustrialChainList", { market: 1 }));
  await using other = await startSim({ seed: 8 });
  await using go = await connect(other);
  const hot = (g: typeof ga) => g.insight.get("Qot_GetHotList", { market: 11 });
  assert(JSON.stringify(await hot(go)) !== JSON.stringify(await hot(ga)), "another seed, other heat");
});
