/**
 * The macro and news protocols through the Gateway against the simulator
 * over TCP: earnings calendars that are the simulator's earnings reports
 * (reported EPS only once released, market cap = price × shares), dividend
 * calendars that are the rehab factors' dividends, an economic calendar that
 * agrees with the macro histories and pages, FedWatch odds adding up to 100%
 * around the Fed path the rate history shows, a 19-dot plot, no
 * suspensions, news about what the simulator did; every kind of bad request
 * refused; the same seed giving the same replies.
 */
import { assert, assertEquals, assertRejects } from "../helpers/assert.ts";
import { connect, startSim } from "../helpers/sim.ts";
import { OpenDError } from "../../src/gateway/mod.ts";
import { formatSymbol, toSecurity } from "../../src/gateway/symbols.ts";
import { INSIGHT_FAMILIES, type InsightApi } from "../../src/gateway/insight_api.ts";
import { securityBySymbol, SIM_SECURITIES } from "../../src/sim/catalog.ts";
import { earningsReports } from "../../src/sim/earnings.ts";

const NOW = Date.parse("2026-11-26T02:30:00Z");
const US = 11;
const HK = 1;
const US_INDICATOR = { unemployment: "200001", cpi: "200004", fedFunds: "200010" } as const;

async function refused(what: string, request: () => Promise<unknown>, includes: string) {
  const error = await assertRejects(request, OpenDError);
  assert(error.message.includes(includes), `${what}: ${error.message}`);
}

Deno.test("earnings calendar: the simulator's reports, reported EPS once released, cap = price × shares", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const g = gateway.insight;
  const past = await g.get("Qot_GetEarningsCalendar", { market: US, beginDate: "2026-10-20", endDate: "2026-10-27" });
  const expected = SIM_SECURITIES.filter((s) => s.kind === "stock" && s.market === "US")
    .flatMap((s) => earningsReports(s, "2026-10-20", "2026-10-27").map((r) => ({ s, r })));
  assert(expected.length >= 2, "the window holds reports");
  assertEquals(past.itemList!.length, expected.length);
  const snapshots = await gateway.quote.getSnapshot(expected.map((e) => e.s.symbol));
  for (const { s, r } of expected) {
    const item = past.itemList!.find((i) => formatSymbol(i.security) === s.symbol)!;
    assertEquals(item.earningsDate, r.date);
    assertEquals(item.pubType, r.session === "BEFORE_OPEN" ? 1 : 2);
    assertEquals(item.periodText, `${r.fiscalYear}Q${r.quarter}`);
    const [eps] = item.estimateList!;
    assertEquals([eps.estimateType, eps.predictValue, eps.actualValue, eps.currency], [
      1,
      r.epsEstimate,
      r.epsActual,
      "USD",
    ]);
    assert(item.earningsTimestamp! * 1000 < NOW);
    const price = snapshots.find((q) => q.symbol === s.symbol)!.curPrice;
    assertEquals(item.price, price);
    assertEquals(item.marketCap, Math.round(price * s.sharesOutstanding! * 100) / 100, "cap to the cent");
    // The at-the-money IV of an optionable stock (every chain lists strikes around its price); none without options.
    if (s.symbol === "US.AAPL") assert(item.iv! > 10 && item.iv! < 60, `AAPL iv ${item.iv}`);
    else if (s.chain) assert(item.iv! > 0 && item.iv! < 200, `${s.symbol} iv ${item.iv}`);
    else assertEquals(item.iv, undefined, s.symbol);
  }
  const caps = past.itemList!.map((i) => i.marketCap!);
  assertEquals(caps, [...caps].sort((a, b) => b - a), "Hot: largest market cap first");

  // Not yet released: the estimate only.
  const future = await g.get("Qot_GetEarningsCalendar", { market: US, beginDate: "2027-01-20", endDate: "2027-01-27" });
  assert(future.itemList!.length >= 1);
  for (const item of future.itemList!) {
    assertEquals(item.estimateList![0].actualValue, undefined, `${item.security.code} not yet reported`);
    assert(item.earningsTimestamp! * 1000 > NOW);
  }
  // Filters (AND): after the close only.
  const after = await g.get("Qot_GetEarningsCalendar", {
    market: US,
    beginDate: "2026-10-20",
    endDate: "2026-10-27",
    filterList: [{ indicatorType: 1, indicatorValue: { valueList: ["2"] } }],
  });
  assertEquals(
    after.itemList!.map((i) => i.security.code),
    expected.filter((e) => e.r.session === "AFTER_CLOSE").map((e) => e.s.code),
  );
  // Above the smallest cap, open below: that one left out.
  const smallest = Math.min(...caps);
  const cap = await g.get("Qot_GetEarningsCalendar", {
    market: US,
    beginDate: "2026-10-20",
    endDate: "2026-10-27",
    filterList: [{
      indicatorType: 9,
      indicatorValue: { valueInterval: { filterMin: { value: smallest, includes: false } } },
    }],
  });
  assertEquals(cap.itemList!.map((i) => i.marketCap), caps.filter((c) => c > smallest));
  // Default: today only (no report on 2026-11-26 in HK).
  assertEquals((await g.get("Qot_GetEarningsCalendar", { market: HK })).itemList, []);

  await refused(
    "8-day span",
    () => g.get("Qot_GetEarningsCalendar", { market: US, beginDate: "2026-10-01", endDate: "2026-10-09" }),
    "7 days",
  );
  await refused(
    "reversed",
    () => g.get("Qot_GetEarningsCalendar", { market: US, beginDate: "2026-10-09", endDate: "2026-10-01" }),
    "after",
  );
  await refused("market", () => g.get("Qot_GetEarningsCalendar", { market: 81 }), "market 81");
  await refused("date", () => g.get("Qot_GetEarningsCalendar", { market: US, beginDate: "2026-13-01" }), "beginDate");
  await refused("sort", () => g.get("Qot_GetEarningsCalendar", { market: US, sortType: 99 }), "sortType");
  await refused(
    "filter",
    () => g.get("Qot_GetEarningsCalendar", { market: US, filterList: [{ indicatorType: 42 }] }),
    "filterList",
  );
});

Deno.test("dividend calendar: the rehab factors' dividends on their ex-dates", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const g = gateway.insight;
  for (const symbol of ["US.AAPL", "HK.00700", "HK.09988"]) {
    const security = securityBySymbol(symbol)!;
    const factors = (await gateway.calendar.rehab(symbol)).filter((f) => f.dividend || f.specialDividend);
    assert(factors.length > 0);
    for (const factor of factors.slice(-3)) {
      const day = await g.get("Qot_GetDividendCalendar", {
        market: symbol.startsWith("US") ? US : HK,
        date: factor.exDate,
      });
      const item = day.itemList!.find((i) => formatSymbol(i.security) === symbol)!;
      assert(item, `${symbol} on ${factor.exDate}`);
      assertEquals(item.exDate, factor.exDate);
      assertEquals(item.name, security.name);
      const currency = symbol.startsWith("US") ? "USD" : "HKD";
      assert(item.statement!.includes(`${currency} ${factor.dividend!.toFixed(2)} per share`), item.statement);
      if (factor.specialDividend) {
        assert(item.statement!.includes(`special dividend ${currency} ${factor.specialDividend.toFixed(2)}`));
      }
      assert(item.recordDate! >= factor.exDate && item.dividendPayableDate! > factor.exDate);
      assertEquals(day.allCount, day.itemList!.length);
    }
  }
  // A day without an ex-date lists none; paging.
  assertEquals((await g.get("Qot_GetDividendCalendar", { market: US, date: "2026-11-10" })).itemList, []);
  const paged = await g.get("Qot_GetDividendCalendar", { market: US, date: "2026-11-09", dataFrom: 1, count: 5 });
  assertEquals([paged.itemList, paged.allCount], [[], 1]);
  assertEquals((await g.get("Qot_GetDividendCalendar", { market: 41, date: "2026-11-09" })).allCount, 0, "JP: none");
  await refused("market", () => g.get("Qot_GetDividendCalendar", { market: 21, date: "2026-06-25" }), "market 21");
  await refused("date", () => g.get("Qot_GetDividendCalendar", { market: US, date: "2026/11/09" }), "date");
  await refused(
    "dataFrom",
    () => g.get("Qot_GetDividendCalendar", { market: US, date: "2026-11-09", dataFrom: -1 }),
    "dataFrom",
  );
});

Deno.test("macro indicators and the economic calendar agree; pages join up", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const g = gateway.insight;
  const list = await g.get("Qot_GetMacroIndicatorList", { region: 2 });
  const [all, ...categories] = list.indicatorList!;
  assertEquals(all.categoryName, "All");
  const ids = all.indicatorList!.map((i) => i.indicatorId);
  assert(ids.includes(US_INDICATOR.cpi) && ids.includes(US_INDICATOR.fedFunds));
  assertEquals(categories.flatMap((c) => c.indicatorList!.map((i) => i.indicatorId)).sort(), [...ids].sort());

  const cpi = await g.get("Qot_GetMacroIndicatorHistory", { indicatorId: US_INDICATOR.cpi, maxCount: 30 });
  assertEquals(cpi.indicatorId, US_INDICATOR.cpi);
  const points = cpi.dataList!;
  assertEquals(points.length, 30);
  for (let i = 0; i < points.length; i++) {
    const p = points[i];
    assertEquals(p.unitType, 1, "percent");
    assert(p.value! > -5 && p.value! < 15, `plausible CPI ${p.value}`);
    if (i + 1 < points.length) {
      assert(p.dataTime! > points[i + 1].dataTime!, "newest first");
      assertEquals(p.previousValue, points[i + 1].value, "previous is the period before");
    }
  }
  assert(Date.parse(`${points[0].releaseTime!.replace(" ", "T")}-05:00`) <= NOW, "released before now");
  const before = await g.get("Qot_GetMacroIndicatorHistory", {
    indicatorId: US_INDICATOR.cpi,
    time: "2025-12-31",
    maxCount: 3,
  });
  assertEquals(before.dataList!.map((p) => p.dataTime), ["2025-12-31", "2025-11-30", "2025-10-31"]);

  // The calendar's US CPI releases are the history's points.
  const month = points[1];
  const releaseDay = month.releaseTime!.slice(0, 10);
  const events = await g.get("Qot_GetEconomicCalendar", {
    beginDate: releaseDay,
    endDate: releaseDay,
    marketList: [US],
  });
  const event = events.itemList!.find((e) => e.title === "United States CPI YoY")!;
  assert(event, `CPI on ${releaseDay}`);
  assertEquals([event.actual, event.consensus, event.previous, event.star, event.country], [
    `${month.value!.toFixed(1)}%`,
    `${month.predictValue!.toFixed(1)}%`,
    `${month.previousValue!.toFixed(1)}%`,
    3,
    "United States",
  ]);

  // Future events have no actual; HIGH only; pages join up to the whole.
  const upcoming = await g.get("Qot_GetEconomicCalendar", {
    beginDate: "2026-12-01",
    endDate: "2026-12-31",
    count: 100,
  });
  assert(upcoming.itemList!.length > 20);
  for (const e of upcoming.itemList!) {
    if (e.timestamp! * 1000 > NOW) assertEquals(e.actual, undefined, e.title);
    else assert(e.actual !== undefined, e.title);
  }
  const times = upcoming.itemList!.map((e) => e.timestamp!);
  assertEquals(times, [...times].sort((a, b) => a - b), "in time order");
  const high = await g.get("Qot_GetEconomicCalendar", {
    beginDate: "2026-12-01",
    endDate: "2026-12-31",
    importance: 3,
    count: 100,
  });
  assert(high.itemList!.length > 0 && high.itemList!.every((e) => e.star === 3));
  const pages = [];
  let nextPage: string | undefined;
  do {
    const page = await g.get("Qot_GetEconomicCalendar", {
      beginDate: "2026-12-01",
      endDate: "2026-12-31",
      count: 7,
      nextPage,
    });
    pages.push(...page.itemList!);
    nextPage = page.hasMore ? page.nextPage : undefined;
  } while (nextPage);
  assertEquals(pages, upcoming.itemList);

  await refused("region", () => g.get("Qot_GetMacroIndicatorList", { region: 9 }), "region");
  await refused("id", () => g.get("Qot_GetMacroIndicatorHistory", { indicatorId: "999" }), "indicatorId");
  await refused(
    "maxCount",
    () => g.get("Qot_GetMacroIndicatorHistory", { indicatorId: US_INDICATOR.cpi, maxCount: 1001 }),
    "maxCount",
  );
  await refused(
    "time",
    () => g.get("Qot_GetMacroIndicatorHistory", { indicatorId: US_INDICATOR.cpi, time: "soon" }),
    "time",
  );
  await refused("count", () => g.get("Qot_GetEconomicCalendar", { beginDate: "2026-12-01", count: 101 }), "count");
  await refused(
    "marketList",
    () => g.get("Qot_GetEconomicCalendar", { beginDate: "2026-12-01", marketList: [22] }),
    "marketList",
  );
  await refused(
    "range",
    () => g.get("Qot_GetEconomicCalendar", { beginDate: "2026-12-02", endDate: "2026-12-01" }),
    "after",
  );
  await refused("beginDate", () => g.get("Qot_GetEconomicCalendar", { beginDate: "" }), "beginDate");
  await refused(
    "nextPage",
    () => g.get("Qot_GetEconomicCalendar", { beginDate: "2026-12-01", nextPage: "x" }),
    "nextPage",
  );
});

Deno.test("FedWatch: odds add up to 100% around the rate path; 19 dots a year; current rate from the history", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const g = gateway.insight;
  const fed = await g.get("Qot_GetMacroIndicatorHistory", { indicatorId: US_INDICATOR.fedFunds, maxCount: 1 });
  const upper = fed.dataList![0].value!;
  const watch = await g.get("Qot_GetFedWatchTargetRate", {});
  const meetings = watch.meetingList!;
  assert(meetings.length >= 6);
  assert(meetings[0].meetingDate > "2026-11-26");
  assertEquals(meetings.map((m) => m.meetingDate), meetings.map((m) => m.meetingDate).sort(), "nearest first");
  for (const m of meetings) {
    const total = m.targetRateList!.reduce((s, r) => s + r.probability, 0);
    assert(Math.abs(total - 100) < 1e-9, `${m.meetingDate} adds up to ${total}`);
    const lows = m.targetRateList!.map((r) => Number(r.targetRange.split("%")[0]));
    assertEquals(lows, [...lows].sort((a, b) => a - b), "low to high");
    for (const r of m.targetRateList!) assert(/^\d+\.\d\d% ~ \d+\.\d\d%$/.test(r.targetRange), r.targetRange);
  }
  // The next meeting is priced within 50 bp of the current range.
  const likeliest = meetings[0].targetRateList!.reduce((a, b) => (b.probability > a.probability ? b : a));
  assert(
    Math.abs(Number(likeliest.targetRange.split(" ~ ")[1].replace("%", "")) - upper) <= 0.5,
    likeliest.targetRange,
  );

  const dots = await g.get("Qot_GetFedWatchDotPlot", {});
  assertEquals(dots.currentRate, upper - 0.125, "the current range's midpoint");
  const years = dots.yearList!;
  assertEquals(years.map((y) => y.year), [2026, 2027, 2028, 2029], "September's projections reach three years out");
  for (const y of years) {
    assertEquals(y.dotList!.reduce((s, d) => s + d.voteCount, 0), 19);
    const medians = y.dotList!.filter((d) => d.isMedian);
    assertEquals(medians.map((d) => d.rate), [y.medianRate]);
    const sorted = y.dotList!.flatMap((d) => Array(d.voteCount).fill(d.rate) as number[]);
    assertEquals(sorted[9], y.medianRate, "the tenth of nineteen dots");
    assert(y.dotList!.every((d) => d.rate > 0 && d.rate < 8));
  }
});

Deno.test("suspensions: none in the simulated market; requests checked", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const g = gateway.insight;
  const s2c = await g.get("Qot_GetSuspend", {
    securityList: [toSecurity("HK.00700"), toSecurity("US.AAPL")],
    beginTime: "2026-01-01",
    endTime: "2026-11-26 16:00:00",
  });
  assertEquals(s2c.SecuritySuspendList!.map((s) => [formatSymbol(s.security), s.suspendList]), [
    ["HK.00700", []],
    ["US.AAPL", []],
  ]);
  await refused(
    "unknown",
    () =>
      g.get("Qot_GetSuspend", {
        securityList: [toSecurity("US.NOPE")],
        beginTime: "2026-01-01",
        endTime: "2026-02-01",
      }),
    "NOPE",
  );
  await refused(
    "empty",
    () => g.get("Qot_GetSuspend", { securityList: [], beginTime: "2026-01-01", endTime: "2026-02-01" }),
    "securityList",
  );
  await refused(
    "order",
    () =>
      g.get("Qot_GetSuspend", {
        securityList: [toSecurity("US.AAPL")],
        beginTime: "2026-03-01",
        endTime: "2026-02-01",
      }),
    "after",
  );
  await refused(
    "format",
    () => g.get("Qot_GetSuspend", { securityList: [toSecurity("US.AAPL")], beginTime: "March", endTime: "2026-02-01" }),
    "beginTime",
  );
});

Deno.test("news: about what the simulator did, matching the keyword, newest first, before now", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const g = gateway.insight;
  const apple = await g.get("Qot_GetSearchNews", { keyword: "AAPL", max_count: 50 });
  const items = apple.search_news_list!;
  assert(items.length >= 5);
  const times = items.map((n) => Number(n.publish_time));
  assertEquals(times, [...times].sort((a, b) => b - a), "newest first");
  for (const n of items) {
    assert(Number(n.publish_time) * 1000 <= NOW, n.title);
    assert(n.title!.includes("Apple") && n.related_securities!.includes("AAPL.US"), n.title);
  }
  // The Q3 result is the earnings report's.
  const [q3] = earningsReports(securityBySymbol("US.AAPL")!, "2026-10-01", "2026-10-31");
  const result = items.find((n) => n.title!.includes(`${q3.fiscalYear} Q${q3.quarter} EPS`))!;
  assert(
    result.title!.includes(`USD ${q3.epsActual.toFixed(2)}`) &&
      result.title!.includes(`USD ${q3.epsEstimate.toFixed(2)}`),
    result.title,
  );
  assertEquals(new Date(Number(result.publish_time) * 1000).toISOString().slice(0, 10), q3.date);

  assertEquals((await g.get("Qot_GetSearchNews", { keyword: "AAPL", max_count: 3 })).search_news_list!.length, 3);
  const ratings = await g.get("Qot_GetSearchNews", { keyword: "apple", news_sub_type: 3, max_count: 50 });
  assert(ratings.search_news_list!.length > 0 && ratings.search_news_list!.every((n) => n.news_sub_type === 3));
  const notice = await g.get("Qot_GetSearchNews", { keyword: "Apple dividend", news_sub_type: 2 });
  assert(notice.search_news_list!.some((n) => n.title!.includes("ex-date 2026-11-09")), "the November dividend notice");
  const fed = await g.get("Qot_GetSearchNews", { keyword: "fed" });
  assert(fed.search_news_list!.length > 0 && fed.search_news_list!.every((n) => n.title!.includes("Fed")));
  assertEquals((await g.get("Qot_GetSearchNews", { keyword: "zzzz" })).search_news_list, []);
  await refused("keyword", () => g.get("Qot_GetSearchNews", { keyword: " " }), "keyword");
  await refused("sub type", () => g.get("Qot_GetSearchNews", { keyword: "apple", news_sub_type: 7 }), "news_sub_type");
});

/** One request of every protocol of the family. */
async function everyReply(g: InsightApi): Promise<unknown[]> {
  return [
    await g.get("Qot_GetEarningsCalendar", { market: US, beginDate: "2026-10-20", endDate: "2026-10-27" }),
    await g.get("Qot_GetDividendCalendar", { market: US, date: "2026-11-09" }),
    await g.get("Qot_GetEconomicCalendar", { beginDate: "2026-11-01", endDate: "2026-11-30" }),
    await g.get("Qot_GetMacroIndicatorList", { region: 8 }),
    await g.get("Qot_GetMacroIndicatorHistory", { indicatorId: US_INDICATOR.unemployment }),
    await g.get("Qot_GetFedWatchTargetRate", {}),
    await g.get("Qot_GetFedWatchDotPlot", {}),
    await g.get("Qot_GetSuspend", {
      securityList: [toSecurity("HK.00700")],
      beginTime: "2026-01-01",
      endTime: "2026-02-01",
    }),
    await g.get("Qot_GetSearchNews", { keyword: "Tencent" }),
  ];
}

Deno.test("macro family: the same seed gives the same replies, another seed other macro data", async () => {
  assertEquals(INSIGHT_FAMILIES.macro.length, 9, "every protocol below");
  await using a = await startSim({ seed: 7 });
  await using b = await startSim({ seed: 7 });
  await using c = await startSim({ seed: 8 });
  await using ga = await connect(a);
  await using gb = await connect(b);
  await using gc = await connect(c);
  const [ra, rb, rc] = [await everyReply(ga.insight), await everyReply(gb.insight), await everyReply(gc.insight)];
  assertEquals(ra, rb);
  assert(JSON.stringify(ra[4]) !== JSON.stringify(rc[4]), "the generated series depend on the seed");
});
