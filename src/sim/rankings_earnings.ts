/**
 * The earnings-beat rank of the simulated OpenD, from the quarterly reports
 * of `earnings.ts` (the ones the earnings calendar and statements show): a
 * report counts once released (before the open or after the close of its
 * date). EPS surprises are the reports' own. The simulated companies report
 * quarterly, so terms Latest, LatestQuarter and All give the latest quarter;
 * LatestHalf (the latest Q2 or Q4, "2026/H1") and LatestAnnual (the latest
 * Q4, "2026/FY") add up their quarters' actuals and estimates. Revenue and EBIT are derived from
 * the reported EPS (net income = EPS × shares outstanding; revenue = net
 * income over a stock-specific net margin of 10–35%; EBIT = net income / 0.8)
 * with their own deterministic surprises (revenue −4…+6%, EBIT −8…+12%).
 * The first-day reaction is the daily change (forward-adjusted K-line) of the
 * first session after the release.
 *
 * @module
 */
import {
  Qot_GetEarningsBeatRank_BeatTerm,
  Qot_GetEarningsBeatRank_BeatType,
  Qot_GetEarningsBeatRank_IndicatorType,
  Qot_GetEarningsBeatRank_SortField,
} from "../gateway/proto/messages.ts";
import { fail, round } from "./_handler_common.ts";
import { hash32 } from "./_price_model.ts";
import { securityIndex, type SimSecurity } from "./catalog.ts";
import { isTradingDay, sessionsOn, utcOf } from "./clock.ts";
import { type EarningsReport, earningsReport, earningsReports } from "./earnings.ts";
import type { Handler } from "./handlers.ts";
import type { MarketData } from "./market.ts";
import {
  checkInterval,
  countOf,
  enumOf,
  figuresOf,
  industryOf,
  inInterval,
  isSimMarket,
  rankMarket,
  sortBy,
  stocksOf,
} from "./rankings.ts";
import { securityOf } from "./wire.ts";

const DAY_MS = 86_400_000;

function dayOf(text: string): number {
  return Math.floor(Date.parse(`${text}T00:00:00Z`) / DAY_MS);
}

/** The instant a report is out: an hour before the open, or half an hour after the close, of its date. */
export function releaseInstant(security: SimSecurity, report: EarningsReport): number {
  const day = dayOf(report.date);
  const sessions = sessionsOn(security.market, day);
  const open = sessions[0]?.[0] ?? 9 * 60 + 30;
  const close = sessions.at(-1)?.[1] ?? 16 * 60;
  return utcOf(security.market, day, report.session === "BEFORE_OPEN" ? open - 60 : close + 30);
}

/** One beat figure of one period. */
interface Beat {
  report: EarningsReport;
  term: string;
  actual: number;
  estimate: number;
  yoy?: number;
}

/** Actual and estimate of one quarter for a beat type. */
function quarterFigures(security: SimSecurity, report: EarningsReport, beatType: number): [number, number] {
  if (beatType === Qot_GetEarningsBeatRank_BeatType.EPS) return [report.epsActual, report.epsEstimate];
  const index = securityIndex(security);
  const netIncome = report.epsActual * (security.sharesOutstanding ?? 0);
  const h = hash32(index, report.fiscalYear, report.quarter, beatType === 2 ? 17 : 19);
  if (beatType === Qot_GetEarningsBeatRank_BeatType.REVENUE) {
    const margin = 0.1 + (hash32(index, 13, 0, 0) % 2500) / 10_000;
    const surprise = (h % 1001) / 100 - 4;
    const actual = netIncome / margin;
    return [Math.round(actual), Math.round(actual / (1 + surprise / 100))];
  }
  const surprise = (h % 2001) / 100 - 8;
  const actual = netIncome / 0.8;
  return [Math.round(actual), Math.round(actual / (1 + surprise / 100))];
}

/** The figures of a period ending with `last` (`quarters` quarters long). */
function periodFigures(security: SimSecurity, last: EarningsReport, quarters: number, beatType: number): Beat {
  const parts: EarningsReport[] = [];
  for (let i = 0; i < quarters; i++) {
    const q0 = last.fiscalYear * 4 + last.quarter - 1 - i;
    parts.push(earningsReport(security, Math.floor(q0 / 4), (q0 % 4) + 1));
  }
  const sum = (reports: EarningsReport[], which: 0 | 1) =>
    reports.reduce((s, r) => s + quarterFigures(security, r, beatType)[which], 0);
  const digits = beatType === Qot_GetEarningsBeatRank_BeatType.EPS ? 3 : 0;
  const yearBefore = parts.map((r) => earningsReport(security, r.fiscalYear - 1, r.quarter));
  const term = quarters === 1
    ? last.periodText
    : quarters === 2
    ? `${last.fiscalYear}/H${last.quarter / 2}`
    : `${last.fiscalYear}/FY`;
  return {
    report: last,
    term,
    actual: round(sum(parts, 0), digits),
    estimate: round(sum(parts, 1), digits),
    yoy: round(sum(yearBefore, 0), digits),
  };
}

/** The latest released period of the requested term, if any. */
function latestBeat(security: SimSecurity, now: number, term: number, beatType: number): Beat | undefined {
  const to = new Date(now + DAY_MS).toISOString().slice(0, 10);
  const from = new Date(now - 800 * DAY_MS).toISOString().slice(0, 10);
  const released = earningsReports(security, from, to).filter((r) => releaseInstant(security, r) <= now);
  const T = Qot_GetEarningsBeatRank_BeatTerm;
  const pick = (quarters: number[]) => released.filter((r) => quarters.includes(r.quarter)).at(-1);
  if (term === T.LatestHalf) {
    const last = pick([2, 4]);
    return last && periodFigures(security, last, 2, beatType);
  }
  if (term === T.LatestAnnual) {
    const last = pick([4]);
    return last && periodFigures(security, last, 4, beatType);
  }
  const last = released.at(-1);
  return last && periodFigures(security, last, 1, beatType);
}

/** The change of the first session after a release, percent (undefined until it has traded). */
function reactionOf(market: MarketData, security: SimSecurity, report: EarningsReport): number | undefined {
  let day = dayOf(report.date) + (report.session === "AFTER_CLOSE" ? 1 : 0);
  while (!isTradingDay(security.market, day)) day++;
  const midnight = utcOf(security.market, day, 0);
  if (midnight > market.clock.now()) return undefined;
  const [bar] = market.bars(security, "K_DAY", midnight, midnight, 1, { rehab: "FORWARD" });
  return bar?.lastClose ? round((bar.close / bar.lastClose - 1) * 100, 3) : undefined;
}

/** Qot_GetEarningsBeatRank. */
export const earningsBeatRank: Handler<"Qot_GetEarningsBeatRank"> = (ctx, _session, c2s) => {
  const market = rankMarket(c2s.market, ["HK", "US", "SG", "JP"]);
  const beatType = enumOf(c2s.beatType, Qot_GetEarningsBeatRank_BeatType, "beatType");
  if (!beatType) fail("beatType is required: EPS (1), REVENUE (2) or EBIT (3)");
  const term = enumOf(c2s.term, Qot_GetEarningsBeatRank_BeatTerm, "term") ?? Qot_GetEarningsBeatRank_BeatTerm.All;
  const sortField = enumOf(c2s.sortField, Qot_GetEarningsBeatRank_SortField, "sortField") ?? 0;
  const count = countOf(c2s.count, 30, 300);
  const I = Qot_GetEarningsBeatRank_IndicatorType;
  for (const f of c2s.filterList ?? []) {
    if (enumOf(f.indicatorType, I, "indicatorType") === I.Unknown) {
      fail("filterList: indicatorType must not be Unknown (0)");
    }
    checkInterval(f.indicatorValue, "filterList");
  }
  const now = ctx.market.clock.now();
  const filters = c2s.filterList?.length ? c2s.filterList : [
    { indicatorType: I.BeatRatio, indicatorValue: { filterMin: { value: 0, includes: false } } },
    {
      indicatorType: I.ReleasedDate,
      indicatorValue: { filterMin: { value: Math.floor((now - 30 * DAY_MS) / 1000), includes: true } },
    },
  ];
  const rows = (isSimMarket(market) ? stocksOf(market) : []).flatMap((security) => {
    const beat = latestBeat(security, now, term, beatType);
    if (!beat) return [];
    const figures = figuresOf(ctx.market, security);
    const beatRatio = beat.estimate ? round((beat.actual / beat.estimate - 1) * 100, 2) : undefined;
    const released = Math.floor(releaseInstant(security, beat.report) / 1000);
    const values: Record<number, number | undefined> = {
      [I.BeatRatio]: beatRatio,
      [I.ReleasedDate]: released,
      [I.MarketCap]: figures.marketCap,
      [I.Price]: figures.price,
      [I.PeTTM]: figures.peTTM,
    };
    if (!filters.every((f) => inInterval(values[f.indicatorType], f.indicatorValue))) return [];
    const item = {
      security: securityOf(security),
      name: security.name,
      industry: industryOf(security),
      curPrice: figures.price,
      lastClosePrice: figures.lastClose,
      changeRate: figures.changeRatio,
      marketCap: figures.marketCap,
      peTTM: figures.peTTM,
      dividendsTTM: figures.dividendYield,
      releasedDate: beat.report.date,
      beatRatio,
      actual: beat.actual,
      estimate: beat.estimate,
      yoy: beat.yoy,
      yoyGrowth: beat.yoy ? round((beat.actual / beat.yoy - 1) * 100, 2) : undefined,
      earningDayChg: reactionOf(ctx.market, security, beat.report),
      term: beat.term,
      detailPostPeriod: beat.report.session === "BEFORE_OPEN" ? 1 : 2,
    };
    return [{ security, item, released }];
  });
  const S = Qot_GetEarningsBeatRank_SortField;
  const key = (r: (typeof rows)[number]) =>
    ({
      [S.BeatRatio]: r.item.beatRatio,
      [S.EarningDayChg]: r.item.earningDayChg,
      [S.ReleasedDate]: r.released,
      [S.Actual]: r.item.actual,
      [S.Estimate]: r.item.estimate,
      [S.Yoy]: r.item.yoy,
      [S.YoyGrowth]: r.item.yoyGrowth,
      [S.PeTTM]: r.item.peTTM,
      [S.DividendsTTM]: r.item.dividendsTTM,
      [S.Price]: r.item.curPrice,
      [S.ChangeRate]: r.item.changeRate,
    })[sortField] ?? r.item.marketCap;
  sortBy(rows, key);
  return { dataList: rows.slice(0, count).map((r) => r.item), allCount: rows.length };
};
