/**
 * Options analytics (volatility, exercise probability, quotes, strategies,
 * statistics and ranks, option events, 0DTE, earnings and seller screeners):
 * the simulated OpenD's handlers. Every protocol of the family is modelled
 * on the simulated market; nothing here is generated from the shape alone.
 *
 * - Volatility (Qot_GetOptionVolatility, Qot_GetOptionUnderlyingHisVolatility,
 *   Qot_GetOptionUnderlyingOverview): implied volatility is the IV of the
 *   at-the-money contract, which is what the option chain and snapshot show
 *   for that contract; historical volatility is the annualised standard
 *   deviation of the daily log returns of the simulated (forward-adjusted)
 *   closes; IV rank and percentile are over the last 252 trading days
 *   (`options_analytics.ts`).
 * - Exercise probability: Black–Scholes N(d2) for calls, N(−d2) for puts,
 *   with the contract's IV, the model's 4 % rate and its time to expiry, at
 *   each of the last 30 sessions' closes and now, in percent.
 * - Statistics (Qot_GetOptionUnderlyingHisStatistic, Qot_GetOptionMarketStatistic):
 *   open interest sums the listed contracts' open interest; option volume is
 *   modelled from the stock's simulated volume and split into calls and puts
 *   by the day's move. History reaches a year and a month back.
 * - Ranks (Qot_GetOptionUnderlyingRank, Qot_GetOptionRank): computed over the
 *   catalog's optionable stocks of the option market, and over their
 *   contracts on the two nearest expiries (volumes of the contracts' own
 *   prints, as their quotes show them), sorted, filtered and paged.
 * - Quotes, strategies, events and alerts: `options_analytics_trading.ts`;
 *   0DTE, earnings and seller screeners: `options_analytics_screeners.ts`.
 *
 * The catalog lists no index options, so the index option markets (US_Index,
 * HK_Index) answer with empty lists.
 *
 * @module
 */
import {
  Qot_Common_OptionImpvolStatusType as ImpvolStatus,
  Qot_Common_OptionVolatilityTimePeriodType as Period,
  type Qot_GetOptionRank_OptionRankItem,
  type Qot_GetOptionUnderlyingRank_UnderlyingRankItem,
  Qot_OptionCommon_OptionRankType as OptionRankType,
  Qot_OptionCommon_OptionStatisticDataType as StatisticType,
  Qot_OptionCommon_UnderlyingRankSortType as UnderlyingSort,
} from "../gateway/proto/messages.ts";
import { fail, resolve, round } from "./_handler_common.ts";
import { countIn, filterOf, type Indicator, pageOf, sortedBy } from "./_options_analytics_filters.ts";
import type { SimSecurity } from "./catalog.ts";
import { formatDay, localTime, sessionsOn, utcOf } from "./clock.ts";
import type { HandlerTable } from "./handlers.ts";
import type { MarketData } from "./market.ts";
import {
  dayOfText,
  dayStamp,
  exerciseProbability,
  hvAt,
  openInterestOf,
  requireChain,
  requireOption,
  seriesIndexOf,
  seriesOf,
  type UnderlyingNow,
  underlyingOn,
  underlyingsOf,
} from "./options_analytics.ts";
import { figuresOf, greeksOf, optionTypeOf, sessionOf, universeOf } from "./options_analytics_contracts.ts";
import { SCREENER_HANDLERS } from "./options_analytics_screeners.ts";
import { TRADING_HANDLERS } from "./options_analytics_trading.ts";
import { securityOf } from "./wire.ts";

/** Calendar days each `OptionVolatilityTimePeriodType` looks back. */
const PERIOD_DAYS: Readonly<Record<number, number>> = {
  [Period.Week]: 7,
  [Period.Month]: 30,
  [Period.Quarter]: 91,
  [Period.HalfYear]: 182,
  [Period.Year]: 365,
};
/** Trading days of one page of a daily statistics or volatility history. */
const HISTORY_PAGE = 60;
/** Sessions the exercise probability history covers. */
const PROBABILITY_DAYS = 30;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The days of a history request, newest first, one page from its `nextPageKey` (the next end date as text). */
function historyPage<T extends { day: number }>(
  days: readonly T[],
  c2s: { beginTime: string; endTime: string; nextPageKey?: Uint8Array },
): { page: T[]; nextPageKey?: Uint8Array } {
  const begin = dayOfText(c2s.beginTime, "beginTime");
  let end = dayOfText(c2s.endTime, "endTime");
  if (begin > end) fail(`beginTime ${c2s.beginTime} is after endTime ${c2s.endTime}`);
  if (c2s.nextPageKey && c2s.nextPageKey.length > 0) {
    const key = dayOfText(decoder.decode(c2s.nextPageKey), "nextPageKey");
    if (key < begin || key > end) fail("nextPageKey does not belong to this beginTime and endTime");
    end = key;
  }
  const wanted = days.filter((d) => d.day >= begin && d.day <= end).reverse();
  const page = wanted.slice(0, HISTORY_PAGE);
  const rest = wanted[HISTORY_PAGE];
  return { page, nextPageKey: rest ? encoder.encode(formatDay(rest.day)) : undefined };
}

/** The series index of the request's trading date (default: the latest session). */
function tradingIndex(
  market: MarketData,
  underlying: SimSecurity,
  tradingDate: string | undefined,
): number | undefined {
  if (tradingDate === undefined || tradingDate === "") return undefined;
  const index = seriesIndexOf(market, underlying, dayOfText(tradingDate, "tradingDate"));
  if (index === undefined) fail(`tradingDate ${tradingDate} is not one of the last year's trading days`);
  return index;
}

/** The open interest of one day of an underlying's series (the latest: as its contracts' snapshots show it). */
function dayOpenInterest(market: MarketData, underlying: SimSecurity, index: number): { call: number; put: number } {
  const days = seriesOf(market, underlying).days;
  if (index === days.length - 1) {
    const now = underlyingOn(market, underlying, index);
    return { call: now.callOpenInterest, put: now.putOpenInterest };
  }
  const d = days[index];
  return openInterestOf(market, underlying, d.day, d.price, d.previousClose);
}

function ratio(a: number, b: number): number | undefined {
  return b > 0 ? round(a / b, 4) : undefined;
}

/** Sort keys of `UnderlyingRankSortType`. */
const UNDERLYING_SORT: Readonly<Record<number, (u: UnderlyingNow) => number | undefined>> = {
  [UnderlyingSort.Volume]: (u) => u.callVolume + u.putVolume,
  [UnderlyingSort.VolumeRatio]: (u) => ratio(u.putVolume, u.callVolume),
  [UnderlyingSort.OpenInterest]: (u) => u.callOpenInterest + u.putOpenInterest,
  [UnderlyingSort.OpenInterestRatio]: (u) => ratio(u.putOpenInterest, u.callOpenInterest),
  [UnderlyingSort.Price]: (u) => u.price,
  [UnderlyingSort.PriceChange]: (u) => u.changeRate,
  [UnderlyingSort.IV]: (u) => u.iv,
  [UnderlyingSort.IVChange]: (u) => u.ivChange,
  [UnderlyingSort.HV]: (u) => u.hv,
  [UnderlyingSort.HVChange]: (u) => u.hvChange,
  [UnderlyingSort.IVRank]: (u) => u.ivRank,
  [UnderlyingSort.IVPercentile]: (u) => u.ivPercentile,
  [UnderlyingSort.MarketCap]: (u) => u.marketCap,
};

type UnderlyingRow = UnderlyingNow & { security: SimSecurity };

const range = <R>(get: (row: R) => number | undefined): Indicator<R> => ({ kind: "range", get });

/** `UnderlyingRankIndicatorType` readers (StockCategory: the catalog's optionable stocks are equities, 1). */
const UNDERLYING_FILTERS: Readonly<Record<number, Indicator<UnderlyingRow>>> = {
  1: { kind: "securities", get: (u) => [u.security.symbol] },
  2: { kind: "exact", get: () => [0, 1] },
  3: range((u) => u.callVolume + u.putVolume),
  4: range((u) => u.callOpenInterest + u.putOpenInterest),
  5: range((u) => u.iv),
  6: range((u) => u.hv),
  7: range((u) => u.ivRank),
  8: range((u) => u.ivPercentile),
  9: range((u) => u.ivChange),
  10: range((u) => u.hvChange),
  11: range((u) => percentRatio(u.putVolume, u.callVolume)),
  12: range((u) => percentRatio(u.putOpenInterest, u.callOpenInterest)),
  13: range((u) => u.marketCap),
};

function percentRatio(a: number, b: number): number | undefined {
  return b > 0 ? round(a / b * 100, 2) : undefined;
}

/** One contract of the option rank. */
interface OptionRow {
  item: Qot_GetOptionRank_OptionRankItem;
  option: SimSecurity;
  underlying: UnderlyingNow & { security: SimSecurity };
  leftDays: number;
  inTheMoney: boolean;
}

function optionRow(market: MarketData, option: SimSecurity, underlying: OptionRow["underlying"]): OptionRow {
  const f = figuresOf(market, option);
  const s = sessionOf(market, option);
  const m = f.metrics;
  const cs = m.contractSize;
  const change = m.openInterest - f.previousOpenInterest;
  const item: Qot_GetOptionRank_OptionRankItem = {
    option: securityOf(option),
    name: option.name,
    optionType: optionTypeOf(option),
    oiIncrement: String(Math.max(0, change)),
    oiDecrement: String(Math.max(0, -change)),
    oiMarketCapIncrement: round(Math.max(0, change) * m.price * cs, 2),
    oiMarketCapDecrement: round(Math.max(0, -change) * m.price * cs, 2),
    volume: String(s.volume),
    turnover: s.turnover,
    openInterest: String(m.openInterest),
    openInterestMarketCap: round(m.openInterest * m.price * cs, 2),
    iv: m.impliedVolatility,
    optionPrice: m.price,
    changeRate: f.changeRate,
    midPrice: round((f.bid + f.ask) / 2, 3),
    bidPrice: f.bid,
    bidVolume: String(f.bidVolume),
    askPrice: f.ask,
    askVolume: String(f.askVolume),
    ...greeksOf(m),
  };
  const k = option.strike!;
  return {
    item,
    option,
    underlying,
    leftDays: m.daysToExpiry,
    inTheMoney: option.callPut === "CALL" ? m.spot > k : m.spot < k,
  };
}

/** Sort keys of `OptionRankType`. */
const OPTION_SORT: Readonly<Record<number, (r: OptionRow) => number | undefined>> = {
  [OptionRankType.Volume]: (r) => Number(r.item.volume),
  [OptionRankType.Turnover]: (r) => r.item.turnover,
  [OptionRankType.OI]: (r) => Number(r.item.openInterest),
  [OptionRankType.OIIncrement]: (r) => Number(r.item.oiIncrement),
  [OptionRankType.OIDecrement]: (r) => Number(r.item.oiDecrement),
  [OptionRankType.OIMarketCap]: (r) => r.item.openInterestMarketCap,
  [OptionRankType.OIMarketCapIncrement]: (r) => r.item.oiMarketCapIncrement,
  [OptionRankType.OIMarketCapDecrement]: (r) => r.item.oiMarketCapDecrement,
  [OptionRankType.ChangeRate]: (r) => r.item.changeRate,
  [OptionRankType.IV]: (r) => r.item.iv,
};

/** `OptionRankIndicatorType` readers. */
const OPTION_FILTERS: Readonly<Record<number, Indicator<OptionRow>>> = {
  1: { kind: "exact", get: () => [0, 1] },
  2: range((r) => r.underlying.marketCap),
  3: { kind: "securities", get: (r) => [r.underlying.security.symbol] },
  4: range((r) => r.underlying.iv),
  5: range((r) => r.underlying.hv),
  6: range((r) => r.underlying.ivRank),
  7: range((r) => r.underlying.ivPercentile),
  8: range((r) => r.item.iv),
  9: { kind: "exact", get: (r) => r.item.optionType },
  10: range((r) => r.leftDays),
  11: { kind: "exact", get: (r) => r.inTheMoney ? 1 : 0 },
  12: range((r) => Number(r.item.volume)),
  13: range((r) => Number(r.item.openInterest)),
  14: range((r) => r.item.delta),
  15: range((r) => r.item.gamma),
  16: range((r) => r.item.theta),
  17: range((r) => r.item.vega),
  18: range((r) => r.item.rho),
};

function underlyingItem(u: UnderlyingRow): Qot_GetOptionUnderlyingRank_UnderlyingRankItem {
  return {
    owner: securityOf(u.security),
    name: u.security.name,
    totalVolume: String(u.callVolume + u.putVolume),
    totalOpenInterest: String(u.callOpenInterest + u.putOpenInterest),
    volumeRatio: percentRatio(u.putVolume, u.callVolume),
    openInterestRatio: percentRatio(u.putOpenInterest, u.callOpenInterest),
    iv: u.iv,
    ivRank: u.ivRank,
    ivPercentile: u.ivPercentile,
    price: u.price,
    changeRate: u.changeRate,
    ivChange: u.ivChange,
    hv: u.hv,
    hvChange: u.hvChange,
    marketCap: u.marketCap,
  };
}

/** The handlers of this family, by protocol. */
export const OPTIONS_ANALYTICS_HANDLERS: HandlerTable = {
  Qot_GetOptionVolatility: (ctx, _session, c2s) => {
    const underlying = requireChain(resolve(c2s.security));
    const period = c2s.queryTimePeriod === undefined || c2s.queryTimePeriod === Period.Unknown
      ? Period.Month
      : c2s.queryTimePeriod;
    const lookback = PERIOD_DAYS[period];
    if (lookback === undefined) fail(`Unknown queryTimePeriod ${c2s.queryTimePeriod}: expected 1–5 (Week…Year)`);
    const window = c2s.hvTimePeriod ?? 30;
    if (!Number.isInteger(window) || window < 5 || window > 250) {
      fail(`hvTimePeriod must be 5–250 trading days, got ${c2s.hvTimePeriod}`);
    }
    const { days, adjusted } = seriesOf(ctx.market, underlying);
    const latest = days[days.length - 1].day;
    const items = days.map((d, i) => ({ d, hv: hvAt(adjusted, i, window) }))
      .filter(({ d }) => d.day > latest - lookback && d.iv !== undefined).reverse().map(({ d, hv }) => ({
        timestamp: String(dayStamp(underlying, d.day)),
        timestampStr: d.date,
        impliedVolatility: d.iv,
        historyVolatility: hv,
        volatilityPremium: hv === undefined ? undefined : round(d.iv! - hv, 3),
      }));
    const average = items.length
      ? round(items.reduce((s, i) => s + i.impliedVolatility!, 0) / items.length, 3)
      : undefined;
    const current = items[0];
    const iv = current?.impliedVolatility ?? 0;
    const hv = current?.historyVolatility ?? iv;
    const status = iv > hv * 1.1
      ? ImpvolStatus.ImpvolOvervalued
      : iv < hv * 0.9
      ? ImpvolStatus.ImpvolUndervalued
      : ImpvolStatus.ImpvolFluctuating;
    const word = status === ImpvolStatus.ImpvolOvervalued
      ? "rich to"
      : status === ImpvolStatus.ImpvolUndervalued
      ? "cheap to"
      : "in line with";
    return {
      itemList: items,
      averageImpvol: average,
      impvolStatus: status,
      analysis: `${underlying.code} implied volatility ${iv.toFixed(2)}% is ${word} its ${window}-day historical ` +
        `volatility ${hv.toFixed(2)}% (premium ${(iv - hv).toFixed(2)} points); ` +
        `the ${lookback}-day average IV is ${(average ?? iv).toFixed(2)}%.`,
    };
  },

  Qot_GetOptionExerciseProbability: (ctx, _session, c2s) => {
    const option = requireOption(resolve(c2s.security));
    const market = ctx.market;
    const now = market.clock.now();
    const underlying = market.underlyingOf(option);
    const days = seriesOf(market, underlying).days;
    const listed = Math.round(Date.parse(`${option.listDate}T00:00:00Z`) / 86_400_000);
    const points = days.slice(-PROBABILITY_DAYS).filter((d) => d.day >= listed).map((d, i, all) => {
      const last = i === all.length - 1;
      const sessions = sessionsOn(underlying.market, d.day);
      const closeMs = last ? now : utcOf(underlying.market, d.day, sessions.at(-1)?.[1] ?? 16 * 60);
      return {
        timestamp: String(dayStamp(underlying, d.day)),
        timestampStr: d.date,
        securityPrice: d.price,
        strikeProbability: exerciseProbability(option, d.price, closeMs),
      };
    });
    return { itemList: points.reverse() };
  },

  Qot_GetOptionUnderlyingHisStatistic: (ctx, _session, c2s) => {
    const underlying = requireChain(resolve(c2s.owner));
    const days = seriesOf(ctx.market, underlying).days.map((d, index) => ({ ...d, index }));
    const { page, nextPageKey } = historyPage(days, c2s);
    return {
      owner: securityOf(underlying),
      code: underlying.code,
      name: underlying.name,
      statisticList: page.map((d) => {
        const oi = dayOpenInterest(ctx.market, underlying, d.index);
        return {
          time: d.date,
          timestamp: dayStamp(underlying, d.day),
          optionVolume: String(d.callVolume + d.putVolume),
          callVolume: String(d.callVolume),
          putVolume: String(d.putVolume),
          putCallVolumeRatio: ratio(d.putVolume, d.callVolume),
          optionOpenInterest: String(oi.call + oi.put),
          callOpenInterest: String(oi.call),
          putOpenInterest: String(oi.put),
          putCallOpenInterestRatio: ratio(oi.put, oi.call),
          underlyingPrice: d.price,
        };
      }),
      nextPageKey,
    };
  },

  Qot_GetOptionMarketStatistic: (ctx, _session, c2s) => {
    const underlyings = underlyingsOf(c2s.optionMarket);
    if (c2s.dataType !== StatisticType.Volume && c2s.dataType !== StatisticType.OpenInterest) {
      fail(`Unknown dataType ${c2s.dataType}: expected 0 (Volume) or 1 (OpenInterest)`);
    }
    const byDay = new Map<number, { day: number; stamp: number }>();
    for (const u of underlyings) {
      for (const d of seriesOf(ctx.market, u).days) {
        if (!byDay.has(d.day)) byDay.set(d.day, { day: d.day, stamp: dayStamp(u, d.day) });
      }
    }
    const days = [...byDay.values()].sort((a, b) => a.day - b.day);
    const { page, nextPageKey } = historyPage(days, c2s);
    const statisticList = page.map((entry) => {
      let call = 0;
      let put = 0;
      for (const u of underlyings) {
        const series = seriesOf(ctx.market, u).days;
        const index = series.findIndex((d) => d.day === entry.day);
        if (index < 0) continue;
        if (c2s.dataType === StatisticType.Volume) {
          call += series[index].callVolume;
          put += series[index].putVolume;
        } else {
          const oi = dayOpenInterest(ctx.market, u, index);
          call += oi.call;
          put += oi.put;
        }
      }
      return {
        time: formatDay(entry.day),
        timestamp: entry.stamp,
        callValue: String(call),
        putValue: String(put),
        totalValue: String(call + put),
        ratio: ratio(put, call),
      };
    });
    return { optionMarket: c2s.optionMarket, dataType: c2s.dataType, statisticList, nextPageKey };
  },

  Qot_GetOptionUnderlyingOverview: (ctx, _session, c2s) => {
    const owners = c2s.ownerList ?? [];
    if (owners.length === 0) fail("ownerList must name at least one underlying");
    if (owners.length > 500) fail(`ownerList holds at most 500 underlyings, got ${owners.length}`);
    return {
      underlyingDataList: owners.map((wire) => {
        const u = requireChain(resolve(wire));
        const now = underlyingOn(ctx.market, u);
        return {
          owner: securityOf(u),
          code: u.code,
          name: u.name,
          callVolume: String(now.callVolume),
          putVolume: String(now.putVolume),
          callOpenInterest: String(now.callOpenInterest),
          putOpenInterest: String(now.putOpenInterest),
          iv: now.iv,
          ivRank: now.ivRank,
          ivPercentile: now.ivPercentile,
          hvList: now.hvList.map((h) => ({ timeRange: h.range, hv: h.hv, hvPercentile: h.percentile })),
          preIV: now.preIv,
        };
      }),
    };
  },

  Qot_GetOptionUnderlyingHisVolatility: (ctx, _session, c2s) => {
    const underlying = requireChain(resolve(c2s.owner));
    const { page, nextPageKey } = historyPage(seriesOf(ctx.market, underlying).days, c2s);
    return {
      owner: securityOf(underlying),
      code: underlying.code,
      name: underlying.name,
      volatilityList: page.map((d) => ({
        time: d.date,
        timestamp: dayStamp(underlying, d.day),
        iv: d.iv,
        hv: d.hv,
        underlyingPrice: d.price,
      })),
      nextPageKey,
    };
  },

  Qot_GetOptionUnderlyingRank: (ctx, _session, c2s) => {
    const underlyings = underlyingsOf(c2s.optionMarket);
    const sortKey = UNDERLYING_SORT[c2s.sortType];
    if (!sortKey) fail(`Unknown sortType ${c2s.sortType}: expected an UnderlyingRankSortType (1–13)`);
    const count = countIn(c2s.count, 1, 200, 200);
    const keep = filterOf(c2s.filterList, UNDERLYING_FILTERS, "filterList");
    const rows: UnderlyingRow[] = underlyings.map((u) => ({
      ...underlyingOn(ctx.market, u, tradingIndex(ctx.market, u, c2s.tradingDate)),
      security: u,
    }));
    const kept = sortedBy(rows.filter(keep), sortKey, c2s.isAsc ?? false, (r) => r.security.symbol);
    const { rows: page, nextPage } = pageOf(kept, c2s.page, count);
    const day = rows[0]?.day;
    return {
      optionMarket: c2s.optionMarket,
      sortType: c2s.sortType,
      tradingDate: day === undefined ? undefined : formatDay(day),
      tradingTimestamp: day === undefined ? undefined : dayStamp(rows[0].security, day),
      rankList: page.map(underlyingItem),
      nextPage,
      allCount: kept.length,
    };
  },

  Qot_GetOptionRank: (ctx, _session, c2s) => {
    const underlyings = underlyingsOf(c2s.optionMarket);
    const sortKey = OPTION_SORT[c2s.sortType];
    if (!sortKey) fail(`Unknown sortType ${c2s.sortType}: expected an OptionRankType (1–10)`);
    const count = countIn(c2s.count, 1, 200, 200);
    const keep = filterOf(c2s.filterList, OPTION_FILTERS, "filterList");
    const now = ctx.market.clock.now();
    if (c2s.tradingDate && underlyings[0]) {
      const latest = localTime(underlyings[0].market, ctx.market.lastTradeInstant(underlyings[0].market, now)).day;
      if (dayOfText(c2s.tradingDate, "tradingDate") !== latest) {
        fail(
          `tradingDate ${c2s.tradingDate}: the simulator ranks contracts on the latest session (${
            formatDay(latest)
          }) only`,
        );
      }
    }
    const rows = underlyings.flatMap((u) => {
      const figures = { ...underlyingOn(ctx.market, u), security: u };
      return universeOf(ctx.market, u).map((o) => optionRow(ctx.market, o, figures));
    });
    const kept = sortedBy(rows.filter(keep), sortKey, c2s.isAsc ?? false, (r) => r.option.code);
    const { rows: page, nextPage } = pageOf(kept, c2s.page, count);
    const first = underlyings[0];
    const day = first ? seriesOf(ctx.market, first).days.at(-1)!.day : undefined;
    return {
      optionMarket: c2s.optionMarket,
      sortType: c2s.sortType,
      tradingDate: day === undefined ? undefined : formatDay(day),
      tradingTimestamp: day === undefined ? undefined : dayStamp(first, day),
      rankList: page.map((r) => r.item),
      nextPage,
      allCount: kept.length,
    };
  },

  ...TRADING_HANDLERS,
  ...SCREENER_HANDLERS,
};
