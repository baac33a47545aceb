/**
 * The fundamentals protocols through `gateway.insight` against the simulator
 * over TCP: every protocol round-tripped, checked against the market the
 * simulator trades (market cap = price × shares to the cent, P/E = price /
 * EPS, dividends and splits = the rehab factors, earnings reactions = the
 * daily K-lines around the earnings reports' dates, statements adding up to
 * the catalog's EPS), cross-references honoured (field ids, executives,
 * analyst uids, screen dates), requests refused the way OpenD refuses them,
 * and the same seed giving the same replies.
 */
import { assert, assertEquals, assertRejects } from "../helpers/assert.ts";
import { connect, startSim } from "../helpers/sim.ts";
import { type Gateway, OpenDError } from "../../src/gateway/mod.ts";
import { formatSymbol, toSecurity } from "../../src/gateway/symbols.ts";
import { securityBySymbol, SIM_PLATES } from "../../src/sim/catalog.ts";
import { earningsReports } from "../../src/sim/earnings.ts";

const AAPL = toSecurity("US.AAPL");
const TODAY = "2026-11-26";

const near = (a: number, b: number, tolerance: number, what: string) =>
  assert(Math.abs(a - b) <= tolerance, `${what}: ${a} vs ${b} (±${tolerance})`);

async function price(gateway: Gateway, symbol: string): Promise<number> {
  return (await gateway.quote.getSnapshot([symbol]))[0].curPrice;
}

const refused = (fn: () => Promise<unknown>, includes: string) => assertRejects(fn, OpenDError, includes);

Deno.test("company: profile at the current price, executives the background accepts, efficiency per head", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const g = gateway.insight;
  const apple = securityBySymbol("US.AAPL")!;
  const profile = await g.get("Qot_GetCompanyProfile", { security: AAPL });
  const item = (name: string) => profile.itemList!.find((i) => i.name === name)!.value!;
  assertEquals(item("Company Name"), apple.name);
  assertEquals(item("Listing Date"), apple.listDate);
  assertEquals(item("Listing Market"), "US");
  const p = await price(gateway, "US.AAPL");
  const [snapshot] = await gateway.quote.getSnapshot(["US.AAPL"]);
  assertEquals(Number(item("Market Cap")), Math.round(p * apple.sharesOutstanding! * 100) / 100);
  near(Number(item("Market Cap")), snapshot.equity!.issuedMarketVal, 0.01, "market cap = the snapshot's market value");
  assertEquals(item("P/E (TTM)"), (p / apple.eps!).toFixed(2));
  assertEquals(item("P/B"), (p / apple.netAssetPerShare!).toFixed(2));
  assertEquals(item("Dividend Yield (TTM)"), `${(apple.dividendTTM! / p * 100).toFixed(2)}%`);

  const { directorList } = await g.get("Qot_GetCompanyExecutives", { security: AAPL });
  assert(directorList!.length >= 5);
  assertEquals(item("Chairman"), directorList![0].leaderName);
  assertEquals(item("Chief Executive Officer"), directorList![1].leaderName);
  for (const d of directorList!) {
    assert(d.beginDateStr! >= apple.listDate && d.beginDateStr! < TODAY, d.beginDateStr);
    const { briefBackground } = await g.get("Qot_GetCompanyExecutiveBackground", {
      security: AAPL,
      leaderName: d.leaderName,
    });
    assert(briefBackground!.startsWith(d.leaderName!), briefBackground);
    assert(briefBackground!.includes(d.positionName!), briefBackground);
  }
  await refused(
    () => g.get("Qot_GetCompanyExecutiveBackground", { security: AAPL, leaderName: "Tim Nobody" }),
    "Tim Nobody",
  );
  await refused(() => g.get("Qot_GetCompanyExecutiveBackground", { security: AAPL }), "leaderName");
  await refused(() => g.get("Qot_GetCompanyProfile", { security: toSecurity("HK.800000") }), "stocks only");
  await refused(() => g.get("Qot_GetCompanyProfile", { security: toSecurity("US.NOPE") }), "NOPE");

  // Efficiency: per-head figures × headcount give back the statements' revenue and net income.
  const annual = await g.get("Qot_GetCompanyOperationalEfficiency", { security: AAPL, financialType: 7, num: 2 });
  const income = await g.get("Qot_GetFinancialsStatements", {
    security: AAPL,
    statementType: 1,
    financialType: 7,
    num: 2,
  });
  annual.itemList!.forEach((e, i) => {
    const report = income.reportList![i];
    assertEquals(e.periodText, report.periodText);
    const field = (id: string) => report.itemList!.find((x) => x.fieldId === id)!.data!;
    near(e.incomePerCapita! * Number(e.employeeNum), field("1001"), Number(e.employeeNum) * 0.01, "revenue");
    near(e.netProfitPerCapita! * Number(e.employeeNum), field("1008"), Number(e.employeeNum) * 0.01, "net income");
  });
  const first = await g.get("Qot_GetCompanyOperationalEfficiency", { security: AAPL, num: 3 });
  const second = await g.get("Qot_GetCompanyOperationalEfficiency", { security: AAPL, num: 3, nextKey: first.nextKey });
  const all = await g.get("Qot_GetCompanyOperationalEfficiency", { security: AAPL, num: 6 });
  assertEquals([...first.itemList!, ...second.itemList!], all.itemList);
  await refused(() => g.get("Qot_GetCompanyOperationalEfficiency", { security: AAPL, num: 51 }), "num");
  await refused(
    () => g.get("Qot_GetCompanyOperationalEfficiency", { security: AAPL, financialType: 10 }),
    "financialType",
  );
});

type Report = { itemList?: { fieldId?: string; data?: number }[] };
const b2 = (r: Report, id: string) => r.itemList!.find((i) => i.fieldId === id)!.data!;
const eps = (r: Report) => b2(r, "1009");
const net = (r: Report) => b2(r, "1008");

Deno.test("statements: field ids match, quarters add up to the catalog EPS, balance sheets balance, currencies convert", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const g = gateway.insight;
  for (const symbol of ["US.AAPL", "HK.00700", "SH.600519"]) {
    const stock = securityBySymbol(symbol)!;
    const security = toSecurity(symbol);
    const quarters = await g.get("Qot_GetFinancialsStatements", {
      security,
      statementType: 1,
      financialType: 9,
      num: 8,
    });
    const ids = quarters.structureList!.map((s) => s.fieldId);
    for (const r of quarters.reportList!) {
      assertEquals(r.itemList!.map((i) => i.fieldId), ids, "structure ids = item ids");
    }
    const last4 = quarters.reportList!.slice(0, 4);
    near(last4.reduce((s, r) => s + eps(r), 0), stock.eps!, 0.005, `${symbol}: four quarters' EPS = catalog eps`);
    for (const r of quarters.reportList!) {
      near(net(r), eps(r) * stock.sharesOutstanding!, stock.sharesOutstanding! * 0.0006, "net income = EPS × shares");
    }
    // The newest quarter is the latest earnings report released by now (the calendar's dates).
    const released = earningsReports(stock, "2025-01-01", TODAY).filter((r) => r.date < TODAY).at(-1)!;
    assertEquals(quarters.reportList![0].periodText, released.periodText);
    assert(quarters.reportList!.every((r, i, a) => i === 0 || a[i - 1].dateTimeStr! > r.dateTimeStr!), "newest first");

    const annual = await g.get("Qot_GetFinancialsStatements", { security, financialType: 7, num: 1 });
    const fy = annual.reportList![0];
    assertEquals(fy.financialType, 7);
    const fyQuarters = quarters.reportList!.filter((r) => r.fiscalYear === fy.fiscalYear);
    if (fyQuarters.length === 4) {
      near(eps(fy), fyQuarters.reduce((s, r) => s + eps(r), 0), 0.0011, "annual EPS = its quarters'");
      near(net(fy), fyQuarters.reduce((s, r) => s + net(r), 0), 2, "annual net income = its quarters'");
    }
    const balance = await g.get("Qot_GetFinancialsStatements", { security, statementType: 2, num: 1 });
    const b = (id: string) => balance.reportList![0].itemList!.find((i) => i.fieldId === id)!.data!;
    assertEquals(b("2003"), b("2005") + b("2006"), "assets = liabilities + equity");
  }
  const usd = await g.get("Qot_GetFinancialsStatements", { security: AAPL, num: 1 });
  const balanceNow =
    (await g.get("Qot_GetFinancialsStatements", { security: AAPL, statementType: 2, num: 1 })).reportList![0];
  const cny = await g.get("Qot_GetFinancialsStatements", { security: AAPL, num: 1, currencyCode: "CNY" });
  assertEquals(cny.reportList![0].currencyCode, "CNY");
  near(cny.reportList![0].itemList![0].data!, usd.reportList![0].itemList![0].data! * 7.2, 1, "revenue in CNY at 7.2");
  const page1 = await g.get("Qot_GetFinancialsStatements", { security: AAPL, num: 2 });
  const page2 = await g.get("Qot_GetFinancialsStatements", { security: AAPL, num: 2, nextKey: page1.nextKey });
  const both = await g.get("Qot_GetFinancialsStatements", { security: AAPL, num: 4 });
  assertEquals([...page1.reportList!, ...page2.reportList!], both.reportList);
  // Enum values outside the proto's enum never reach OpenD (proto2 drops them), so only members are refused.
  const indicators = await g.get("Qot_GetFinancialsStatements", { security: AAPL, statementType: 4, num: 1 });
  const roe = indicators.reportList![0].itemList!.find((i) => i.fieldId === "4004")!.data!;
  const quarterNet = net(usd.reportList![0]);
  near(roe, (quarterNet / b2(balanceNow, "2006")) * 100, 0.01, "ROE = net income / equity");
  await refused(() => g.get("Qot_GetFinancialsStatements", { security: AAPL, currencyCode: "XYZ" }), "currencyCode");
  await refused(() => g.get("Qot_GetFinancialsStatements", { security: AAPL, nextKey: "abc" }), "nextKey");

  // Revenue breakdown: the parts add up to the period's revenue; a screen date round-trips.
  const latest = await g.get("Qot_GetFinancialsRevenueBreakdown", { security: AAPL });
  assert(latest.screenDateList!.length > 3);
  const pick = latest.screenDateList![3];
  const chosen = await g.get("Qot_GetFinancialsRevenueBreakdown", {
    security: AAPL,
    date: pick.date,
    financialType: pick.financialType,
  });
  assertEquals(chosen.period, pick.periodText);
  assertEquals(chosen.screenDateList, []);
  const statements = await g.get("Qot_GetFinancialsStatements", { security: AAPL, financialType: 0, num: 50 });
  const revenue = statements.reportList!.find((r) => r.periodText === pick.periodText)!.itemList![0].data!;
  for (const group of chosen.breakdownList!) {
    assertEquals(group.itemList!.reduce((s, i) => s + i.mainOperIncome!, 0), revenue, `type ${group.type} adds up`);
    near(group.itemList!.reduce((s, i) => s + i.ratio!, 0), 100, 0.05, "shares add up to 100 %");
  }
  await refused(() => g.get("Qot_GetFinancialsRevenueBreakdown", { security: AAPL, date: 12345 }), "screenDateList");
  await refused(
    () => g.get("Qot_GetFinancialsRevenueBreakdown", { security: AAPL, financialType: 10 }),
    "financialType",
  );
});

Deno.test("earnings reactions: release days from the earnings reports, prices from the daily K-lines", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const g = gateway.insight;
  const security = toSecurity("US.NVDA");
  const stock = securityBySymbol("US.NVDA")!;
  const move = await g.get("Qot_GetFinancialsEarningsPriceMove", { security, periodCount: 4 });
  const history = await g.get("Qot_GetFinancialsEarningsPriceHistory", { security });
  assertEquals(move.detailList!.length, 4);
  const reports = earningsReports(stock, "2025-01-01", TODAY).filter((r) => r.date < TODAY).reverse();
  for (const [i, cycle] of move.detailList!.entries()) {
    assertEquals(cycle.periodText, reports[i].periodText, "newest first, the earnings reports' periods");
    const rows = cycle.itemList!;
    const release = rows[cycle.priceInfoIndex!];
    assertEquals(release.tradingDayStr, cycle.pubTradingDayStr);
    assert(cycle.pubTradingDayStr! >= reports[i].date, "the first trading day at or after the release");
    const kl = await gateway.quote.requestHistoryKL("US.NVDA", "K_DAY", {
      begin: rows[0].tradingDayStr!,
      end: rows.at(-1)!.tradingDayStr!,
    });
    assertEquals(kl.klines.map((k) => k.time.slice(0, 10)), rows.map((r) => r.tradingDayStr));
    rows.forEach((r, k) => {
      assertEquals([r.openPrice, r.highestPrice, r.lowestPrice, r.closePrice], [
        kl.klines[k].open,
        kl.klines[k].high,
        kl.klines[k].low,
        kl.klines[k].close,
      ]);
      assert(r.optionIV! > 0 && r.optionHV! > 0);
    });
    // The price history shows the same release with closes by trading-day offset.
    const h = history.detailList![i];
    assertEquals(h.pubTradingDayStr, cycle.pubTradingDayStr);
    assertEquals(h.isCurrent, i === 0);
    assertEquals(h.priceInfo!.closePrice, release.closePrice);
    assertEquals(h.priceInfo!.volume, kl.klines[cycle.priceInfoIndex!].volume);
    for (const s of h.scheduleInfoList!) assertEquals(s.closePrice, rows[cycle.priceInfoIndex! + s.delta!].closePrice);
    assertEquals(h.pubTimeStr!.slice(0, 10), reports[i].date);
    assert(h.predictVolaRatioNewest! > 0 && h.optionIVCrush! > 0);
  }
  await refused(() => g.get("Qot_GetFinancialsEarningsPriceMove", { security, periodCount: 0 }), "periodCount");
  await refused(
    () => g.get("Qot_GetFinancialsEarningsPriceHistory", { security: toSecurity("HK.28123") }),
    "stocks only",
  );
});

Deno.test("analysts: the consensus counts the summary's latest ratings; changes are consecutive ratings", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const g = gateway.insight;
  for (const symbol of ["US.AAPL", "HK.00700"]) {
    const security = toSecurity(symbol);
    const c = await g.get("Qot_GetResearchAnalystConsensus", { security });
    const shares = [c.buy, c.hold, c.sell, c.strongBuy ?? 0, c.underperform ?? 0];
    near(shares.reduce((a, b) => a! + b!, 0)!, 100, 0.05, `${symbol}: shares add up`);
    for (const s of shares) {
      near((s! * c.total!) / 100, Math.round((s! * c.total!) / 100), 0.01, "shares are whole counts");
    }
    assert(c.lowest! <= c.average! && c.average! <= c.highest!);
    const p = await price(gateway, symbol);
    assert(c.average! > p * 0.6 && c.average! < p * 1.5, `average target ${c.average} near ${p}`);
    assertEquals(symbol === "US.AAPL", c.strongBuy === undefined, "US: buy/hold/sell only");
    const summary = await g.get("Qot_GetResearchRatingSummary", { security, num: 20 });
    const latest = summary.instRatingSummaryList!.map((row) => row.ratingItemList![0])
      .filter((r) => r.recommendationDateStr! >= "2026-08-28");
    assertEquals(latest.length, c.total, "the consensus counts the last three months' latest ratings");
    assertEquals(Math.max(...latest.map((r) => r.targetPrice!)), c.highest);
    assertEquals(Math.min(...latest.map((r) => r.targetPrice!)), c.lowest);
    // One institution's detail lists the same ratings as its summary row.
    const row = summary.instRatingSummaryList![0];
    const detail = await g.get("Qot_GetResearchRatingSummary", {
      security,
      uid: row.institutionInfo!.institutionUid,
      num: 5,
    });
    assertEquals(detail.instRatingDetail!.ratingItemList, row.ratingItemList!.slice(0, 5));
    const analystUid = row.ratingItemList![0].analystUid!;
    const analyst = await g.get("Qot_GetResearchRatingSummary", { security, ratingDimensionType: 2, uid: analystUid });
    assertEquals(analyst.analystRatingDetail!.analystInfo!.analystUid, analystUid);
    await refused(() => g.get("Qot_GetResearchRatingSummary", { security, uid: "999" }), "999");
  }
  await refused(() => g.get("Qot_GetResearchRatingSummary", { security: AAPL, num: 21 }), "num");

  const m = await g.get("Qot_GetResearchMorningstarReport", { security: AAPL });
  const ratio = (await price(gateway, "US.AAPL")) / m.fairValue!;
  assertEquals(m.starRating, ratio <= 0.8 ? 5 : ratio <= 0.92 ? 4 : ratio <= 1.08 ? 3 : ratio <= 1.25 ? 2 : 1);
  assert(m.bullSay!.length > 0 && m.bearSay!.length > 0);

  // Rating changes: US-wide, newest first, each one consecutive ratings in a stock's summary.
  for (const changeType of [1, 2, 3]) {
    const changes = await g.get("Qot_GetRatingChange", { market: 11, changeType, count: 20 });
    assert(changes.allCount! >= changes.dataList!.length);
    const dates = changes.dataList!.map((d) => d.recommendationDate!);
    assertEquals(dates, [...dates].sort().reverse());
    for (const d of changes.dataList!) {
      if (changeType === 1) assert(d.rating! > d.lastRating!);
      if (changeType === 2) assert(d.rating! < d.lastRating!);
      if (changeType === 3) assertEquals(d.lastRating, 0);
      assert(d.security!.market === 11);
    }
  }
  const up = await g.get("Qot_GetRatingChange", { market: 11, count: 20 });
  assert(up.dataList!.length > 0, "some upgrades in the last six months");
  const change = up.dataList![0];
  const rows = await g.get("Qot_GetResearchRatingSummary", { security: change.security!, num: 20 });
  const row = rows.instRatingSummaryList!.find((r) => r.institutionInfo!.institutionName === change.institutionName)!;
  const at = row.ratingItemList!.findIndex((r) => r.recommendationDateStr === change.recommendationDate);
  assertEquals(row.ratingItemList![at].targetPrice, change.targetPrice);
  assertEquals(row.ratingItemList![at + 1].recommendationDateStr, change.lastRecommendationDate);
  if (up.allCount! > 2) {
    const first = await g.get("Qot_GetRatingChange", { market: 11, count: 2 });
    const next = await g.get("Qot_GetRatingChange", { market: 11, count: 2, page: first.nextPage });
    assertEquals(next.dataList![0], up.dataList![2]);
  }
  await refused(() => g.get("Qot_GetRatingChange", { market: 1 }), "US market only");
  await refused(() => g.get("Qot_GetRatingChange", { market: 11, changeType: 4 }), "changeType");
  await refused(() => g.get("Qot_GetRatingChange", { market: 11, count: 21 }), "count");
});

Deno.test("valuation: multiples and market caps at the current price, plates over their catalog members", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const g = gateway.insight;
  const apple = securityBySymbol("US.AAPL")!;
  const p = await price(gateway, "US.AAPL");
  const pe = await g.get("Qot_GetValuationDetail", { security: AAPL });
  assertEquals(pe.valuationType, 1);
  assertEquals(pe.trend!.currentValue, Math.round((p / apple.eps!) * 100) / 100);
  const history = pe.trend!.historicalItems!;
  assert(history.length > 20 && history.length <= 60);
  assert(pe.trend!.valuationPercentile! >= 0 && pe.trend!.valuationPercentile! <= 100);
  assert(pe.trend!.avgMinus1Stddev! < pe.trend!.averageValue! && pe.trend!.averageValue! < pe.trend!.avgPlus1Stddev!);
  const plate = SIM_PLATES.find((x) => x.setType === "INDUSTRY" && x.constituents.includes("US.AAPL"))!;
  assertEquals(formatSymbol(pe.plateDistribution!.plate!), plate.symbol);
  for (const s of pe.plateDistribution!.stockItems!) {
    const symbol = formatSymbol(s.security!);
    const stock = securityBySymbol(symbol)!;
    assertEquals(s.marketCap, Math.round((await price(gateway, symbol)) * stock.sharesOutstanding! * 100) / 100);
  }
  assertEquals(pe.marketDistribution!.total, 3, "the US stocks of the catalog");
  const pb = await g.get("Qot_GetValuationDetail", { security: AAPL, valuationType: 2, intervalType: 1 });
  assertEquals(pb.trend!.currentValue, Math.round((p / apple.netAssetPerShare!) * 100) / 100);
  assertEquals(pb.profitGrowthRate, undefined, "no growth aggregate for PB");
  const index = await g.get("Qot_GetValuationDetail", { security: toSecurity("HK.800000") });
  assert(index.trend!.currentValue! > 0 && index.plateDistribution === undefined);
  await refused(() => g.get("Qot_GetValuationDetail", { security: toSecurity("HK.28123") }), "warrant");

  const mag7 = SIM_PLATES.find((x) => x.symbol === "US.BK2001")!;
  const list = await g.get("Qot_GetValuationPlateStockList", { security: toSecurity(mag7.symbol) });
  assertEquals(list.count, mag7.constituents.length);
  assertEquals(new Set(list.stockList!.map((s) => formatSymbol(s.security!))), new Set(mag7.constituents));
  const caps = list.stockList!.map((s) => s.marketCap!);
  assertEquals(caps, [...caps].sort((a, b) => a - b), "ascending market cap by default");
  for (const s of list.stockList!) {
    const symbol = formatSymbol(s.security!);
    const stock = securityBySymbol(symbol)!;
    const q = await price(gateway, symbol);
    assertEquals(s.valuationVal, Math.round((q / stock.eps!) * 100) / 100);
    assertEquals(s.marketCap, Math.round(q * stock.sharesOutstanding! * 100) / 100);
  }
  const byValue = await g.get("Qot_GetValuationPlateStockList", {
    security: toSecurity("HK.800000"),
    sortId: 52,
    sortType: 1,
    num: 2,
  });
  const values = byValue.stockList!.map((s) => s.valuationVal!);
  assertEquals(values, [...values].sort((a, b) => b - a));
  assert(byValue.plateList!.length > 0, "an index lists its constituents' plates");
  const rest = await g.get("Qot_GetValuationPlateStockList", {
    security: toSecurity("HK.800000"),
    sortId: 52,
    sortType: 1,
    num: 50,
    nextKey: byValue.nextKey,
  });
  assertEquals(rest.stockList!.length, byValue.count! - 2);
  await refused(() => g.get("Qot_GetValuationPlateStockList", { security: AAPL }), "neither a plate nor an index");
  await refused(
    () => g.get("Qot_GetValuationPlateStockList", { security: toSecurity(mag7.symbol), sortId: 10 }),
    "sortId",
  );
});

Deno.test("corporate actions: dividends and splits are the rehab factors; HK buybacks trade inside the day's range", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const g = gateway.insight;
  for (const symbol of ["US.AAPL", "HK.09988", "SH.600519", "US.NVDA"]) {
    const rehab = await gateway.calendar.rehab(symbol);
    const { dividendList } = await g.get("Qot_GetCorporateActionsDividends", { security: toSecurity(symbol) });
    const withCash = rehab.filter((r) => r.dividend !== undefined || r.specialDividend !== undefined).reverse();
    assertEquals(dividendList!.map((d) => d.exDate!.replaceAll("/", "-")), withCash.map((r) => r.exDate));
    dividendList!.forEach((d, i) => {
      const r = withCash[i];
      const cash = (r.dividend ?? 0) + (r.specialDividend ?? 0);
      const cn = symbol.startsWith("SH.");
      assert(
        d.statement!.includes((cn ? cash * 10 : r.dividend ?? r.specialDividend!).toFixed(2).replace(/0$/, "")),
        d.statement,
      );
      assert(d.pubDate! < d.exDate! && d.exDate! <= d.dividendPayableDate!);
    });
    const splits = await g.get("Qot_GetCorporateActionsStockSplits", { security: toSecurity(symbol) });
    const rehabSplits = rehab.filter((r) => r.split !== undefined).reverse();
    assertEquals(splits.splitItemList!.map((s) => [s.exDateStr, s.rate]), rehabSplits.map((r) => [r.exDate, r.split]));
  }
  const nvda = await g.get("Qot_GetCorporateActionsStockSplits", { security: toSecurity("US.NVDA") });
  assertEquals(nvda.splitItemList![0].sharesAfterEffect, securityBySymbol("US.NVDA")!.sharesOutstanding);

  const tencent = securityBySymbol("HK.00700")!;
  const hk = await g.get("Qot_GetCorporateActionsBuybacks", { security: toSecurity("HK.00700"), num: 5 });
  assert(hk.hkBuyBackList!.length > 0 && hk.aBuyBackList!.length === 0);
  for (const b of hk.hkBuyBackList!) {
    const kl = await gateway.quote.requestHistoryKL("HK.00700", "K_DAY", {
      begin: b.endDateStr!,
      end: b.endDateStr!,
      rehab: "NONE",
    });
    assertEquals([b.highPrice, b.lowPrice], [kl.klines[0].high, kl.klines[0].low], "the day's traded range");
    const avg = b.buyBackMoney! / Number(b.buyBackSum);
    assert(avg >= b.lowPrice! && avg <= b.highPrice!);
    near(b.percentage!, (Number(b.buyBackSum) / tencent.sharesOutstanding!) * 100, 0.0001, "percentage of shares");
    assert(b.publDateStr! > b.endDateStr! && b.publDateStr! <= TODAY);
  }
  const next = await g.get("Qot_GetCorporateActionsBuybacks", {
    security: toSecurity("HK.00700"),
    num: 5,
    nextKey: hk.nextKey,
  });
  assert(next.hkBuyBackList![0].endDateStr! < hk.hkBuyBackList!.at(-1)!.endDateStr!);
  const a = await g.get("Qot_GetCorporateActionsBuybacks", { security: toSecurity("SH.600519") });
  assert(a.aBuyBackList!.length > 0 && a.aBuyBackList!.every((x) => x.advanceDateStr! <= TODAY));
  const us = await g.get("Qot_GetCorporateActionsBuybacks", { security: AAPL });
  assertEquals([us.hkBuyBackList, us.aBuyBackList, us.nextKey], [[], [], "-1"]);
  await refused(() => g.get("Qot_GetCorporateActionsBuybacks", { security: AAPL, num: 0 }), "num");
  await refused(() => g.get("Qot_GetCorporateActionsDividends", { security: toSecurity("HK.800000") }), "stocks only");
});

Deno.test("search matches catalog codes and names case-insensitively, exact code first", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const g = gateway.insight;
  const aapl = await g.get("Qot_GetSearchQuote", { keyword: "aapl" });
  assertEquals(
    formatSymbol({ market: aapl.search_quote_list![0].market!, code: aapl.search_quote_list![0].code! }),
    "US.AAPL",
  );
  assertEquals(aapl.search_quote_list![0].sec_type, 3);
  const tencent = await g.get("Qot_GetSearchQuote", { keyword: "TenCent", max_count: 3 });
  assertEquals(tencent.search_quote_list!.length, 3);
  assert(tencent.search_quote_list!.every((q) => q.name!.toLowerCase().includes("tencent")));
  assertEquals(tencent.search_quote_list![0].code, "00700", "the stock before its warrants (name prefix, then code)");
  const watched = new Set((await gateway.watchlist.getSecurities("All")).map((s) => s.symbol));
  for (const q of tencent.search_quote_list!) {
    assertEquals(q.is_watched, watched.has(formatSymbol({ market: q.market!, code: q.code! })));
  }
  const plate = await g.get("Qot_GetSearchQuote", { keyword: "semiconductor" });
  assertEquals(plate.search_quote_list!.map((q) => [q.code, q.sec_type]), [["BK2999", 7]]);
  assertEquals((await g.get("Qot_GetSearchQuote", { keyword: "zzzz" })).search_quote_list, []);
  await refused(() => g.get("Qot_GetSearchQuote", { keyword: " " }), "keyword");
  await refused(() => g.get("Qot_GetSearchQuote", { keyword: "a", max_count: 0 }), "max_count");
});

Deno.test("the same seed gives the same fundamentals", async () => {
  await using one = await startSim();
  await using two = await startSim();
  await using a = await connect(one);
  await using b = await connect(two);
  const ask = (gateway: Gateway) =>
    Promise.all([
      gateway.insight.get("Qot_GetCompanyExecutives", { security: AAPL }),
      gateway.insight.get("Qot_GetFinancialsStatements", { security: AAPL, statementType: 3, num: 3 }),
      gateway.insight.get("Qot_GetResearchRatingSummary", { security: AAPL }),
      gateway.insight.get("Qot_GetRatingChange", { market: 11, changeType: 2 }),
      gateway.insight.get("Qot_GetResearchMorningstarReport", { security: AAPL }),
      gateway.insight.get("Qot_GetCorporateActionsBuybacks", { security: toSecurity("HK.00700") }),
      gateway.insight.get("Qot_GetValuationDetail", { security: toSecurity("HK.00700"), valuationType: 3 }),
    ]);
  assertEquals(await ask(a), await ask(b));
});
