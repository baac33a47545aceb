/**
 * Macro and news: the simulated OpenD's handlers of the earnings, dividend
 * and economic calendars, macro indicators, FedWatch, suspensions and news
 * search. Every request is checked as the proto comments state (required
 * fields, dates "yyyy-MM-dd", the 7-day earnings window, page sizes) and
 * refused with a message naming the field.
 *
 * Modelled on the simulated market:
 * - Qot_GetEarningsCalendar: the reports of `earnings.ts` of the catalog
 *   stocks released in the window (dates, sessions, EPS estimates, reported
 *   EPS only once released before now), price and market cap from the price
 *   model (see `_macro_calendars.ts`). Sorted by real-time market cap for
 *   Hot and RtMarketCap, by previous-close market cap for MarketCap, by
 *   at-the-money IV for IV; filters on session, estimate type, market caps,
 *   IV, and the watchlist or positions of the simulated user.
 * - Qot_GetDividendCalendar: the cash dividends of `corporate_actions.ts`
 *   going ex on the date (the ones Qot_RequestRehab's factors carry).
 * - Qot_GetSuspend: the simulated market suspends nothing, so every
 *   security is listed with no suspension days; unknown securities fail.
 * - Qot_GetSearchNews: headlines from the simulator's own earnings,
 *   dividends, Fed decisions and macro releases, plus generated rating notes
 *   (see `news.ts`).
 *
 * Generated, but coherent (a pure function of the sim seed): the macro
 * series (`macro_indicators.ts`), which the indicator list, an indicator's
 * history and the economic calendar share, and the Fed path with its
 * FedWatch odds and dot plot (`macro_fed.ts`).
 *
 * @module
 */
import {
  Qot_Common_QotMarket,
  type Qot_Common_Security,
  Qot_GetEconomicCalendar_Importance,
  Qot_GetMacroIndicatorHistory_MacroDataUnitType,
  Qot_GetSearchNews_NewsSubType,
} from "../gateway/proto/messages.ts";
import { fail, resolve } from "./_handler_common.ts";
import { parseLocal, type SimMarket } from "./clock.ts";
import type { Handler, HandlerTable } from "./handlers.ts";
import { dividendItems } from "./_macro_calendars.ts";
import { earningsCalendar } from "./_macro_earnings.ts";
import { dotPlot, fedWatchOdds, rangeText, targetRangeAt } from "./macro_fed.ts";
import {
  formatMacroValue,
  MACRO_INDICATORS,
  macroIndicator,
  type MacroRegionName,
  macroReleases,
  REGIONS,
} from "./macro_indicators.ts";
import { type NewsKind, searchNews } from "./news.ts";
import { addDays, HOST_TIME_ZONE, isDate, orderedRange, requestDate, zonedDay, zonedUtc } from "./_macro_time.ts";

const Q = Qot_Common_QotMarket;

/** Dividend calendar markets (proto: HK, US, MY, SG, JP) and the catalog's market of each. */
const DIVIDEND_MARKETS = new Map<number, SimMarket | undefined>([
  [Q.HK_Security, "HK"],
  [Q.US_Security, "US"],
  [Q.MY_Security, undefined],
  [Q.SG_Security, undefined],
  [Q.JP_Security, undefined],
]);

/** Economic calendar markets (proto: HK, US, CNSH, SG, JP, AU, MY, CA) and their regions. */
const ECONOMIC_MARKETS = new Map<number, MacroRegionName>([
  [Q.HK_Security, "HK"],
  [Q.US_Security, "US"],
  [Q.CNSH_Security, "CN"],
  [Q.SG_Security, "SG"],
  [Q.JP_Security, "JP"],
  [Q.AU_Security, "AU"],
  [Q.MY_Security, "MY"],
  [Q.CA_Security, "CA"],
]);

/** `Qot_GetMacroIndicatorList.MacroRegion` values. */
const REGION_BY_WIRE = new Map<number, MacroRegionName>(
  Object.entries(REGIONS).map(([name, r]) => [r.id, name as MacroRegionName]),
);
const UNIT = Qot_GetMacroIndicatorHistory_MacroDataUnitType;
const UNIT_TYPE = { PERCENT: UNIT.Percent, VALUE: UNIT.Value, INDEX: UNIT.Index } as const;
const KIND = Qot_GetSearchNews_NewsSubType;
const NEWS_KINDS: Readonly<Record<number, NewsKind | undefined>> = {
  [KIND.ALL]: undefined,
  [KIND.NEWS]: "NEWS",
  [KIND.NOTICE]: "NOTICE",
  [KIND.RATING]: "RATING",
};
const ECONOMIC_PAGE = { default: 50, max: 100 } as const;
const HISTORY_COUNT = { default: 100, max: 1000 } as const;
const NEWS_MAX = 100;

function lastYear(nowMs: number, ...days: string[]): number {
  return Math.max(new Date(nowMs).getUTCFullYear() + 1, ...days.map((d) => Number(d.slice(0, 4))));
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/** "yyyy-MM-dd HH:mm:ss" of an instant in a time zone. */
function zonedDateTime(timeZone: string, ms: number): string {
  const day = zonedDay(timeZone, ms);
  const seconds = Math.round((ms - zonedUtc(timeZone, day, 0)) / 1000);
  return `${day} ${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;
}

function optionalCount(field: string, value: number | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1 || value > max) fail(`${field} ${value} is out of range 1-${max}`);
  return value;
}

const dividendCalendar: Handler<"Qot_GetDividendCalendar"> = (_ctx, _session, c2s) => {
  if (!DIVIDEND_MARKETS.has(c2s.market)) fail(`market ${c2s.market} is not supported: HK, US, MY, SG or JP`);
  const date = requestDate("date", c2s.date);
  const from = c2s.dataFrom ?? 0;
  if (!Number.isInteger(from) || from < 0) fail(`dataFrom ${from} is negative`);
  if (c2s.count !== undefined && (!Number.isInteger(c2s.count) || c2s.count < 0)) {
    fail(`count ${c2s.count} is negative`);
  }
  const market = DIVIDEND_MARKETS.get(c2s.market);
  const all = market ? dividendItems(market, date) : [];
  const itemList = c2s.count ? all.slice(from, from + c2s.count) : all.slice(from);
  return { itemList, allCount: all.length };
};

const economicCalendar: Handler<"Qot_GetEconomicCalendar"> = (ctx, _session, c2s) => {
  const begin = requestDate("beginDate", c2s.beginDate);
  const end = c2s.endDate === undefined || c2s.endDate === "" ? begin : requestDate("endDate", c2s.endDate);
  orderedRange("beginDate", begin, "endDate", end);
  const regions = new Set<MacroRegionName>();
  for (const market of c2s.marketList ?? []) {
    const region = ECONOMIC_MARKETS.get(market);
    if (!region) fail(`marketList: market ${market} is not supported: HK, US, CNSH, SG, JP, AU, MY or CA`);
    regions.add(region);
  }
  const importance = c2s.importance ?? Qot_GetEconomicCalendar_Importance.All;
  if (!Object.values(Qot_GetEconomicCalendar_Importance).includes(importance as 0)) {
    fail(`importance ${importance} is not an Importance`);
  }
  const count = optionalCount("count", c2s.count, ECONOMIC_PAGE.default, ECONOMIC_PAGE.max);
  const offset = c2s.nextPage ? Number(c2s.nextPage) : 0;
  if (!Number.isInteger(offset) || offset < 0) fail(`nextPage ${JSON.stringify(c2s.nextPage)} is not a page mark`);
  const now = ctx.market.clock.now();
  const fromMs = zonedUtc(HOST_TIME_ZONE, begin, 0);
  const toMs = zonedUtc(HOST_TIME_ZONE, addDays(end, 1), 0);
  const events: { ms: number; star: number; title: string; item: Record<string, unknown> }[] = [];
  for (const indicator of MACRO_INDICATORS) {
    if (regions.size > 0 && !regions.has(indicator.region)) continue;
    if (importance !== Qot_GetEconomicCalendar_Importance.All && indicator.star !== importance) continue;
    const releases = macroReleases(ctx.market.seed, indicator, lastYear(now, end));
    releases.forEach((r, i) => {
      if (r.releaseMs < fromMs || r.releaseMs >= toMs) return;
      const previousKnown = i > 0 && releases[i - 1].releaseMs <= now;
      const released = r.releaseMs <= now;
      // A consensus forms in the fortnight before a release.
      const consensusKnown = released || r.releaseMs - now <= 14 * 86_400_000;
      events.push({
        ms: r.releaseMs,
        star: indicator.star,
        title: indicator.title,
        item: {
          title: indicator.title,
          timestamp: r.releaseMs / 1000,
          country: indicator.country,
          star: indicator.star,
          ...(previousKnown ? { previous: formatMacroValue(indicator, r.previous) } : {}),
          ...(consensusKnown ? { consensus: formatMacroValue(indicator, r.consensus) } : {}),
          ...(released ? { actual: formatMacroValue(indicator, r.value) } : {}),
        },
      });
    });
  }
  events.sort((a, b) => a.ms - b.ms || b.star - a.star || a.title.localeCompare(b.title));
  const page = events.slice(offset, offset + count);
  const hasMore = offset + count < events.length;
  return { itemList: page.map((e) => e.item), nextPage: hasMore ? String(offset + count) : "", hasMore };
};

function regionOf(wire: number): MacroRegionName {
  const region = REGION_BY_WIRE.get(wire);
  if (!region) fail(`region ${wire} is not a MacroRegion`);
  return region;
}

const macroIndicatorList: Handler<"Qot_GetMacroIndicatorList"> = (_ctx, _session, c2s) => {
  const region = regionOf(c2s.region);
  const indicators = MACRO_INDICATORS.filter((i) => i.region === region);
  const info = (i: (typeof indicators)[number]) => ({ indicatorId: String(i.id), name: i.name });
  const categories = [...new Set(indicators.map((i) => i.category))];
  return {
    indicatorList: [
      { categoryName: "All", indicatorList: indicators.map(info) },
      ...categories.map((c) => ({
        categoryName: c,
        indicatorList: indicators.filter((i) => i.category === c).map(info),
      })),
    ],
  };
};

const macroIndicatorHistory: Handler<"Qot_GetMacroIndicatorHistory"> = (ctx, _session, c2s) => {
  const id = Number(c2s.indicatorId);
  const indicator = Number.isSafeInteger(id) ? macroIndicator(id) : undefined;
  if (!indicator) fail(`Unknown indicatorId ${c2s.indicatorId}`);
  const until = c2s.time === undefined || c2s.time === "" ? undefined : requestDate("time", c2s.time);
  const maxCount = optionalCount("maxCount", c2s.maxCount, HISTORY_COUNT.default, HISTORY_COUNT.max);
  const now = ctx.market.clock.now();
  const released = macroReleases(ctx.market.seed, indicator, lastYear(now))
    .filter((r) => r.releaseMs <= now && (until === undefined || r.period <= until));
  return {
    indicatorId: String(indicator.id),
    dataList: released.slice(-maxCount).reverse().map((r) => ({
      dataTime: r.period,
      releaseTime: zonedDateTime(indicator.timeZone, r.releaseMs),
      value: r.value,
      predictValue: r.consensus,
      previousValue: r.previous,
      unitType: UNIT_TYPE[indicator.unit],
    })),
  };
};

const fedWatchTargetRate: Handler<"Qot_GetFedWatchTargetRate"> = (ctx) => ({
  meetingList: fedWatchOdds(ctx.market.seed, ctx.market.clock.now()).map((m) => ({
    meetingDate: m.date,
    targetRateList: m.odds.map((o) => ({ targetRange: rangeText(o.range), probability: o.probability })),
  })),
});

const fedWatchDotPlot: Handler<"Qot_GetFedWatchDotPlot"> = (ctx) => {
  const now = ctx.market.clock.now();
  const current = targetRangeAt(ctx.market.seed, now);
  return {
    yearList: dotPlot(ctx.market.seed, now).years.map((y) => ({
      year: y.year,
      dotList: y.dots.map((d) => ({ rate: d.rate, voteCount: d.votes, isMedian: d.median })),
      medianRate: y.median,
    })),
    currentRate: (current.lower + current.upper) / 2,
  };
};

/** A suspension request's time: "yyyy-MM-dd" or "yyyy-MM-dd HH:mm:ss". */
function suspendTime(field: string, text: string | undefined): number {
  if (text === undefined || text === "") fail(`${field} is required`);
  if (!isDate(text.slice(0, 10))) fail(`${field} ${JSON.stringify(text)} is not a time "yyyy-MM-dd[ HH:mm:ss]"`);
  try {
    return parseLocal("HK", text);
  } catch {
    fail(`${field} ${JSON.stringify(text)} is not a time "yyyy-MM-dd[ HH:mm:ss]"`);
  }
}

const suspend: Handler<"Qot_GetSuspend"> = (_ctx, _session, c2s) => {
  const list: Qot_Common_Security[] = c2s.securityList ?? [];
  if (list.length === 0) fail("securityList is required");
  for (const security of list) resolve(security);
  const begin = suspendTime("beginTime", c2s.beginTime);
  const end = suspendTime("endTime", c2s.endTime);
  if (begin > end) fail(`beginTime ${c2s.beginTime} is after endTime ${c2s.endTime}`);
  // The simulated market suspends nothing: every security traded on each of its trading days.
  return { SecuritySuspendList: list.map((security) => ({ security, suspendList: [] })) };
};

const searchNewsHandler: Handler<"Qot_GetSearchNews"> = (ctx, _session, c2s) => {
  if (c2s.keyword === undefined || c2s.keyword.trim() === "") fail("keyword is required");
  const maxCount = optionalCount("max_count", c2s.max_count, 10, NEWS_MAX);
  const subType = c2s.news_sub_type ?? KIND.ALL;
  if (!(subType in NEWS_KINDS)) fail(`news_sub_type ${subType} is not a NewsSubType`);
  const found = searchNews(ctx.market, c2s.keyword, NEWS_KINDS[subType]).slice(0, maxCount);
  const wireKind = { NEWS: KIND.NEWS, NOTICE: KIND.NOTICE, RATING: KIND.RATING } as const;
  return {
    search_news_list: found.map((n) => ({
      title: n.title,
      news_sub_type: wireKind[n.kind],
      source: n.source,
      publish_time: String(Math.floor(n.publishMs / 1000)),
      view_count: String(n.viewCount),
      related_securities: n.related,
      url: n.url,
    })),
  };
};

/** The macro handlers. */
export const MACRO_HANDLERS: HandlerTable = {
  Qot_GetEarningsCalendar: earningsCalendar,
  Qot_GetDividendCalendar: dividendCalendar,
  Qot_GetEconomicCalendar: economicCalendar,
  Qot_GetMacroIndicatorList: macroIndicatorList,
  Qot_GetMacroIndicatorHistory: macroIndicatorHistory,
  Qot_GetFedWatchTargetRate: fedWatchTargetRate,
  Qot_GetFedWatchDotPlot: fedWatchDotPlot,
  Qot_GetSuspend: suspend,
  Qot_GetSearchNews: searchNewsHandler,
};
