/**
 * Dividend ranks of the simulated OpenD, from the corporate actions
 * (`corporate_actions.ts`) and the catalog: yield TTM = the catalog's
 * `dividendTTM` / the current price (as the snapshot's `dividendRatioTTM`);
 * the five-year average yield = the mean, over the last five full calendar
 * years with dividends on record, of the year's cash dividends over the
 * current price; distribution frequency from the number of cash dividends in
 * the last twelve months (1 annual, 2 semi-annual, 3–5 quarterly, 6+ monthly;
 * not reported for HK, as OpenD); consecutive growth years = how many full
 * years in a row paid more than the year before (both years on record);
 * payout ratio LFY = the last full year's dividends over trailing EPS; the
 * next payable date projected one dividend interval after the last ex-date.
 *
 * The SOE rank ("破净高股息国央企") ranges over the catalog's state-owned
 * enterprises (China Mobile HK.00941, Kweichow Moutai SH.600519) with the
 * server's default conditions PB ≤ 1, yield TTM ≥ 5% and PE ≥ 0 when the
 * request has no filters; a filter list replaces those conditions.
 *
 * @module
 */
import {
  Qot_GetDividendRank_DividendRankType,
  Qot_GetDividendRank_IndicatorType,
  Qot_GetDividendRank_SortField,
  Qot_GetHighDividendSOERank_IndicatorType,
  Qot_GetHighDividendSOERank_SortField,
} from "../gateway/proto/messages.ts";
import { fail, round } from "./_handler_common.ts";
import { securityBySymbol, type SimSecurity } from "./catalog.ts";
import { localTime } from "./clock.ts";
import { actionsOf } from "./corporate_actions.ts";
import type { Handler } from "./handlers.ts";
import {
  changeOver,
  checkInterval,
  countOf,
  dailyBars,
  enumOf,
  figuresOf,
  industryOf,
  inInterval,
  isSimMarket,
  offsetOf,
  rankMarket,
  sortBy,
  type StockFigures,
  stocksOf,
} from "./rankings.ts";
import { securityOf } from "./wire.ts";

const DAY_MS = 86_400_000;

/** A stock's dividend record as of a day. */
export interface DividendFacts {
  yieldTTM?: number;
  avgYield5Y?: number;
  /** 1 annual, 2 semi-annual, 3 quarterly, 4 monthly. */
  frequency?: number;
  growYears: number;
  dividendsTTM: number;
  payoutRatioLFY?: number;
  nextPayableDate?: string;
  /** Days from today to `nextPayableDate`. */
  nextPayableInDays?: number;
}

function addMonths(day: number, months: number): number {
  const d = new Date(day * DAY_MS);
  return Math.floor(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, d.getUTCDate()) / DAY_MS);
}

/** The dividend facts of a stock at the market's now. */
export function dividendFacts(figures: StockFigures, now: number): DividendFacts {
  const security = figures.security;
  const today = localTime(security.market, now).day;
  const year = new Date(today * DAY_MS).getUTCFullYear();
  const cash = actionsOf(security).filter((a) => a.exDay <= today && (a.dividend || a.specialDividend));
  const byYear = new Map<number, number>();
  for (const a of cash) {
    const y = Number(a.exDate.slice(0, 4));
    byYear.set(y, (byYear.get(y) ?? 0) + (a.dividend ?? 0) + (a.specialDividend ?? 0));
  }
  const fullYears = [1, 2, 3, 4, 5].map((back) => year - back).filter((y) => byYear.has(y));
  const avgYield5Y = fullYears.length > 0 && figures.price > 0
    ? round(fullYears.reduce((s, y) => s + byYear.get(y)!, 0) / fullYears.length / figures.price * 100, 3)
    : undefined;
  let growYears = 0;
  for (let y = year - 1; byYear.has(y) && byYear.has(y - 1) && byYear.get(y)! > byYear.get(y - 1)!; y--) growYears++;
  const lastYear = cash.filter((a) => a.exDay > today - 365).length;
  const frequency = lastYear === 0 ? undefined : lastYear === 1 ? 1 : lastYear === 2 ? 2 : lastYear <= 5 ? 3 : 4;
  const last = cash.at(-1);
  let next: number | undefined;
  if (last && frequency) {
    next = last.exDay;
    while (next <= today) next = addMonths(next, [12, 6, 3, 1][frequency - 1]);
  }
  const lfy = byYear.get(year - 1);
  return {
    yieldTTM: figures.dividendYield,
    avgYield5Y,
    frequency: security.market === "HK" ? undefined : frequency,
    growYears,
    dividendsTTM: security.dividendTTM ?? 0,
    payoutRatioLFY: lfy && security.eps ? round(lfy / security.eps * 100, 2) : undefined,
    nextPayableDate: next === undefined ? undefined : new Date(next * DAY_MS).toISOString().slice(0, 10),
    nextPayableInDays: next === undefined ? undefined : next - today,
  };
}

/** Qot_GetDividendRank. */
export const dividendRank: Handler<"Qot_GetDividendRank"> = (ctx, _session, c2s) => {
  const market = rankMarket(c2s.market, ["HK", "US", "MY", "SG", "JP"]);
  const rankType = enumOf(c2s.rankType, Qot_GetDividendRank_DividendRankType, "rankType");
  if (rankType === undefined || rankType === 0) fail("rankType is required: HighYield (1) or DividendGrowth (2)");
  const sortField = enumOf(c2s.sortField, Qot_GetDividendRank_SortField, "sortField") ?? 0;
  const count = countOf(c2s.count, 10, 300);
  const T = Qot_GetDividendRank_IndicatorType;
  for (const f of c2s.filterList ?? []) {
    if (enumOf(f.indicatorType, T, "indicatorType") === T.Unknown) {
      fail("filterList: indicatorType must not be Unknown (0)");
    }
    checkInterval(f.indicatorValue?.valueInterval, "filterList");
  }
  const now = ctx.market.clock.now();
  const growth = rankType === Qot_GetDividendRank_DividendRankType.DividendGrowth;
  const rows = (isSimMarket(market) ? stocksOf(market) : []).filter((s) => (s.dividendTTM ?? 0) > 0).map((s) => {
    const figures = figuresOf(ctx.market, s);
    return { security: s, figures, facts: dividendFacts(figures, now) };
  }).filter((r) => !growth || r.facts.growYears > 0).filter((r) =>
    (c2s.filterList ?? []).every((f) => {
      const v = r.facts;
      if (f.indicatorType === T.DistributionFrequency) {
        const wanted = (f.indicatorValue?.valueList ?? []).map(Number);
        return wanted.length === 0 || (v.frequency !== undefined && wanted.includes(v.frequency));
      }
      const value = {
        [T.DividendYieldTTM]: v.yieldTTM,
        [T.AvgDividendYield5Y]: v.avgYield5Y,
        [T.DividendGrowYear]: v.growYears,
        [T.DividendsTTM]: v.dividendsTTM,
        [T.PayoutRatioLFY]: v.payoutRatioLFY,
        [T.NextPayableDate]: v.nextPayableInDays,
        [T.Price]: r.figures.price,
        [T.MarketCap]: r.figures.marketCap,
      }[f.indicatorType];
      return inInterval(value, f.indicatorValue?.valueInterval);
    })
  );
  const S = Qot_GetDividendRank_SortField;
  const key = (r: (typeof rows)[number]): number | undefined => {
    switch (sortField) {
      case S.Unknown:
        return growth ? r.facts.growYears : r.facts.yieldTTM;
      case S.DividendYieldTTM:
        return r.facts.yieldTTM;
      case S.AvgDividendYield5Y:
        return r.facts.avgYield5Y;
      case S.DistributionFrequency:
        return r.facts.frequency;
      case S.DividendGrowYear:
        return r.facts.growYears;
      case S.DividendsTTM:
        return r.facts.dividendsTTM;
      case S.PayoutRatioLFY:
        return r.facts.payoutRatioLFY;
      case S.Price:
        return r.figures.price;
      case S.MarketCap:
        return r.figures.marketCap;
      case S.ChangeRate:
        return r.figures.changeRatio;
      default:
        return r.figures.changeAmount;
    }
  };
  sortBy(rows, key);
  return {
    dataList: rows.slice(0, count).map(({ security, figures, facts }) => ({
      security: securityOf(security),
      name: security.name,
      industry: industryOf(security),
      curPrice: figures.price,
      changeRate: figures.changeRatio,
      changeAmount: figures.changeAmount,
      marketCap: figures.marketCap,
      dividendYieldTTM: facts.yieldTTM,
      avgDividendYield5Y: facts.avgYield5Y,
      distributionFrequency: facts.frequency,
      dividendGrowYear: facts.growYears,
      dividendsTTM: facts.dividendsTTM,
      payoutRatioLFY: facts.payoutRatioLFY,
      nextPayableDate: facts.nextPayableDate,
    })),
  };
};

/** The catalog's state-owned enterprises (the "特估国企" concept the SOE rank draws from). */
export const SOE_SYMBOLS: readonly string[] = ["HK.00941", "SH.600519"];

/** Qot_GetHighDividendSOERank. */
export const highDividendSoeRank: Handler<"Qot_GetHighDividendSOERank"> = (ctx, _session, c2s) => {
  const S = Qot_GetHighDividendSOERank_SortField;
  const T = Qot_GetHighDividendSOERank_IndicatorType;
  const sortField = enumOf(c2s.sortField, S, "sortField") ?? S.Unknown;
  if (c2s.sortDir !== undefined && c2s.sortDir !== 0 && c2s.sortDir !== 1) fail(`Unknown sortDir ${c2s.sortDir}`);
  const offset = offsetOf(c2s.offset);
  const count = countOf(c2s.count, 50, 200);
  for (const f of c2s.filterList ?? []) {
    if (enumOf(f.indicatorType, T, "indicatorType") === T.Unknown) {
      fail("filterList: indicatorType must not be Unknown (0)");
    }
    checkInterval(f.indicatorValue, "filterList");
  }
  const rows = SOE_SYMBOLS.map((symbol) => securityBySymbol(symbol)!).map((security: SimSecurity) => {
    const figures = figuresOf(ctx.market, security);
    return { security, figures, bars: dailyBars(ctx.market, security, 260) };
  }).filter(({ figures: f }) => {
    const filters = c2s.filterList ?? [];
    if (filters.length === 0) {
      return (f.pb ?? Infinity) <= 1 && (f.dividendYield ?? 0) >= 5 && (f.peTTM ?? -1) >= 0;
    }
    return filters.every((i) =>
      inInterval(
        {
          [T.Price]: f.price,
          [T.MarketCap]: f.marketCap,
          [T.PE]: f.peTTM,
          [T.DividendYieldTTM]: f.dividendYield,
          [T.ChangeRatio]: f.changeRatio,
        }[i.indicatorType],
        i.indicatorValue,
      )
    );
  });
  const key = (f: StockFigures) =>
    ({
      [S.DividendYieldTTM]: f.dividendYield,
      [S.PB]: f.pb,
      [S.PeTTM]: f.peTTM,
      [S.Price]: f.price,
      [S.ChangeRatio]: f.changeRatio,
    })[sortField] ?? f.marketCap;
  sortBy(rows, (r) => key(r.figures), c2s.sortDir === 1);
  return {
    dataList: rows.slice(offset, offset + count).map(({ security, figures: f, bars }) => ({
      security: securityOf(security),
      name: security.name,
      industry: industryOf(security),
      curPrice: f.price,
      changeRatio: f.changeRatio,
      turnover: f.turnover,
      volume: String(f.volume),
      marketCap: f.marketCap,
      peTTM: f.peTTM,
      pb: f.pb,
      dividendYieldTTM: f.dividendYield,
      turnoverRatio: f.turnoverRatio,
      changeRate5D: changeOver(bars, 5),
      changeRate10D: changeOver(bars, 10),
      changeRate20D: changeOver(bars, 20),
      changeRate60D: changeOver(bars, 60),
      changeRate120D: changeOver(bars, 120),
      changeRate250D: changeOver(bars, 250),
    })),
    allCount: rows.length,
  };
};
