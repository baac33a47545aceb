/**
 * Movers, hot list and period-change ranks of the simulated OpenD, computed
 * from the simulated market: the catalog's stocks of the market asked for,
 * their figures from the basic quote (`rankings.ts`), sorted, ranked and paged
 * as the request asks, `allCount` counting every stock that passed the
 * filters. The US extended-hours ranks use the derived extended-hours prices
 * of `rankings_extended_hours.ts`. Hot-list heat: trade heat is the stock's share of
 * its market's turnover (percent), search and news heat are drawn per stock
 * and trading day (a pure function of the seed), the average heat is their
 * mean, and each change is against the previous trading day.
 *
 * @module
 */
import {
  Qot_GetHotList_HotListSortField,
  Qot_GetHotList_IndicatorType,
  Qot_GetPeriodChangeRank_IndicatorType,
  Qot_GetPeriodChangeRank_PeriodType,
  type Qot_GetTopMoversRank_Indicator,
  Qot_GetTopMoversRank_IndicatorType,
  type Qot_OptionCommon_Interval,
} from "../gateway/proto/messages.ts";
import { fail, round } from "./_handler_common.ts";
import type { SimSecurity } from "./catalog.ts";
import { type ExtendedQuote, extendedQuote, type ExtendedSession } from "./rankings_extended_hours.ts";
import { SeededRandom } from "./seeded_random.ts";
import type { Handler } from "./handlers.ts";
import type { MarketData } from "./market.ts";
import {
  changeOver,
  checkInterval,
  countOf,
  dailyBars,
  enumOf,
  figuresOf,
  fiveMinuteChange,
  inInterval,
  matchesPriceFilter,
  offsetOf,
  rankMarket,
  sortBy,
  type StockFigures,
  stocksOf,
  volumeRatioOf,
  yearToDate,
} from "./rankings.ts";
import type { SimMarket } from "./clock.ts";
import { securityOf } from "./wire.ts";

const RANK_MARKETS = ["HK", "US"] as const;

function sortDirOf(value: number | undefined): boolean {
  if (value !== undefined && value !== 0 && value !== 1) fail(`Unknown sortDir ${value}`);
  return value === 1;
}

/** Whether a stock passes a movers filter list (Price / MarketCap / PE, all must hold). */
function passesMovers(
  market: MarketData,
  figures: StockFigures,
  filters: readonly Qot_GetTopMoversRank_Indicator[] | undefined,
  price = figures.price,
): boolean {
  for (const f of filters ?? []) {
    checkInterval(f.indicatorValue, "filterList");
    switch (enumOf(f.indicatorType, Qot_GetTopMoversRank_IndicatorType, "indicatorType")) {
      case Qot_GetTopMoversRank_IndicatorType.Price:
        if (!matchesPriceFilter(market, { ...figures, price }, f.priceFilter)) return false;
        break;
      case Qot_GetTopMoversRank_IndicatorType.MarketCap:
        if (!inInterval(figures.marketCap, f.indicatorValue)) return false;
        break;
      case Qot_GetTopMoversRank_IndicatorType.PE:
        if (!inInterval(figures.peTTM, f.indicatorValue)) return false;
        break;
      default:
        fail("filterList: indicatorType must not be Unknown (0)");
    }
  }
  return true;
}

function page<T>(rows: T[], offset: number | undefined, count: number | undefined): T[] {
  const from = offsetOf(offset);
  return rows.slice(from, from + countOf(count, 50, 200));
}

/** Qot_GetTopMoversRank: the market's stocks by today's change. */
export const topMovers: Handler<"Qot_GetTopMoversRank"> = (ctx, _session, c2s) => {
  const market = rankMarket(c2s.market, RANK_MARKETS) as SimMarket;
  const ascending = sortDirOf(c2s.sortDir);
  const rows = stocksOf(market).map((s) => figuresOf(ctx.market, s))
    .filter((f) => passesMovers(ctx.market, f, c2s.filterList));
  sortBy(rows, (f) => f.changeRatio, ascending);
  return {
    dataList: page(rows, c2s.offset, c2s.count).map((f) => ({
      security: securityOf(f.security),
      name: f.security.name,
      curPrice: f.price,
      changeRatio: f.changeRatio,
      changeAmount: f.changeAmount,
      turnover: f.turnover,
      volume: String(f.volume),
      turnoverRatio: f.turnoverRatio,
      peTTM: f.peTTM,
      amplitude: f.amplitude,
      marketCap: f.marketCap,
      volumeRatio: volumeRatioOf(ctx.market, f.security, dailyBars(ctx.market, f.security, 6)),
    })),
    allCount: rows.length,
  };
};

/** The US stocks ranked by one extended-hours session's change. */
function extendedRank(
  market: MarketData,
  session: ExtendedSession,
  c2s: { sortDir?: number; offset?: number; count?: number; filterList?: Qot_GetTopMoversRank_Indicator[] },
): { rows: { security: SimSecurity; figures: StockFigures; ext: ExtendedQuote }[]; allCount: number } {
  const ascending = sortDirOf(c2s.sortDir);
  const rows = stocksOf("US").map((security) => ({
    security,
    figures: figuresOf(market, security),
    ext: extendedQuote(market, security, session),
  })).filter((r) => passesMovers(market, r.figures, c2s.filterList, r.ext.price));
  sortBy(rows, (r) => r.ext.changeRatio, ascending);
  return { rows: page(rows, c2s.offset, c2s.count), allCount: rows.length };
}

/** Qot_GetUSPreMarketRank. */
export const preMarketRank: Handler<"Qot_GetUSPreMarketRank"> = (ctx, _session, c2s) => {
  const { rows, allCount } = extendedRank(ctx.market, "PRE_MARKET", c2s);
  return {
    dataList: rows.map(({ security, figures, ext }) => ({
      security: securityOf(security),
      name: security.name,
      preMarketPrice: ext.price,
      preMarketChangeRatio: ext.changeRatio,
      preMarketChangeAmount: ext.changeAmount,
      preMarketTurnover: ext.turnover,
      preMarketVolume: String(ext.volume),
      closePrice: ext.base,
      changeRatio: figures.changeRatio,
      changeAmount: figures.changeAmount,
    })),
    allCount,
  };
};

/** Qot_GetUSAfterHoursRank. */
export const afterHoursRank: Handler<"Qot_GetUSAfterHoursRank"> = (ctx, _session, c2s) => {
  const { rows, allCount } = extendedRank(ctx.market, "AFTER_HOURS", c2s);
  return {
    dataList: rows.map(({ security, figures, ext }) => ({
      security: securityOf(security),
      name: security.name,
      afterHoursPrice: ext.price,
      afterHoursChangeRatio: ext.changeRatio,
      afterHoursChangeAmount: ext.changeAmount,
      afterHoursTurnover: ext.turnover,
      afterHoursVolume: String(ext.volume),
      closePrice: ext.base,
      changeRatio: figures.changeRatio,
      changeAmount: figures.changeAmount,
    })),
    allCount,
  };
};

/** Qot_GetUSOvernightRank. */
export const overnightRank: Handler<"Qot_GetUSOvernightRank"> = (ctx, _session, c2s) => {
  const { rows, allCount } = extendedRank(ctx.market, "OVERNIGHT", c2s);
  return {
    dataList: rows.map(({ security, figures, ext }) => ({
      security: securityOf(security),
      name: security.name,
      overnightPrice: ext.price,
      overnightChangeRatio: ext.changeRatio,
      overnightChangeAmount: ext.changeAmount,
      overnightTurnover: ext.turnover,
      overnightVolume: String(ext.volume),
      closePrice: ext.base,
      changeRatio: figures.changeRatio,
      changeAmount: figures.changeAmount,
    })),
    allCount,
  };
};

/** One stock's heat on the hot list. */
export interface Heat {
  trade: number;
  search: number;
  news: number;
  average: number;
  tradeChange: number;
  searchChange: number;
  newsChange: number;
  averageChange: number;
}

/** The heat of a market's stocks today and its change since the previous trading day. */
export function heatOf(market: MarketData, stocks: readonly SimSecurity[]): Map<SimSecurity, Heat> {
  const bars = new Map(stocks.map((s) => [s, dailyBars(market, s, 2)]));
  const turnoverOn = (back: number) => {
    const total = stocks.reduce((sum, s) => sum + (bars.get(s)!.at(-1 - back)?.turnover ?? 0), 0);
    return (s: SimSecurity) => total > 0 ? 100 * (bars.get(s)!.at(-1 - back)?.turnover ?? 0) / total : 0;
  };
  const [today, yesterday] = [turnoverOn(0), turnoverOn(1)];
  const drawn = (s: SimSecurity, kind: string, back: number) => {
    const day = bars.get(s)!.at(-1 - back)?.time.slice(0, 10) ?? "";
    return new SeededRandom(market.seed, "heat", kind, s.symbol, day).real(5, 95, 2);
  };
  const out = new Map<SimSecurity, Heat>();
  for (const s of stocks) {
    const trade = round(today(s), 2);
    const search = drawn(s, "search", 0);
    const news = drawn(s, "news", 0);
    const [tradeBefore, searchBefore, newsBefore] = [
      round(yesterday(s), 2),
      drawn(s, "search", 1),
      drawn(s, "news", 1),
    ];
    const average = round((trade + search + news) / 3, 2);
    const averageBefore = round((tradeBefore + searchBefore + newsBefore) / 3, 2);
    out.set(s, {
      trade,
      search,
      news,
      average,
      tradeChange: round(trade - tradeBefore, 2),
      searchChange: round(search - searchBefore, 2),
      newsChange: round(news - newsBefore, 2),
      averageChange: round(average - averageBefore, 2),
    });
  }
  return out;
}

/** Qot_GetHotList. */
export const hotList: Handler<"Qot_GetHotList"> = (ctx, _session, c2s) => {
  const market = rankMarket(c2s.market, RANK_MARKETS) as SimMarket;
  const field = enumOf(c2s.sortField, Qot_GetHotList_HotListSortField, "sortField") ?? 0;
  const ascending = sortDirOf(c2s.sortDir);
  const stocks = stocksOf(market);
  const heat = heatOf(ctx.market, stocks);
  const rows = stocks.map((s) => ({ security: s, figures: figuresOf(ctx.market, s), heat: heat.get(s)! }))
    .filter((r) =>
      (c2s.filterList ?? []).every((f) => {
        checkInterval(f.indicatorValue, "filterList");
        if (enumOf(f.indicatorType, Qot_GetHotList_IndicatorType, "indicatorType") !== 1) {
          fail("filterList: indicatorType must be MarketCap (1)");
        }
        return inInterval(r.figures.marketCap, f.indicatorValue);
      })
    );
  const key = {
    [Qot_GetHotList_HotListSortField.TradeHeat]: (h: Heat) => h.trade,
    [Qot_GetHotList_HotListSortField.SearchHeat]: (h: Heat) => h.search,
    [Qot_GetHotList_HotListSortField.NewsHeat]: (h: Heat) => h.news,
  }[field] ?? ((h: Heat) => h.average);
  sortBy(rows, (r) => key(r.heat), ascending);
  return {
    dataList: page(rows, c2s.offset, c2s.count).map(({ security, figures, heat: h }) => {
      const news = new SeededRandom(ctx.market.seed, "hot-news", security.symbol, figures.lastClose).next() < 0.5;
      const move = `${figures.changeRatio >= 0 ? "up" : "down"} ${Math.abs(figures.changeRatio).toFixed(2)}%`;
      return {
        security: securityOf(security),
        name: security.name,
        tradeHeat: h.trade,
        tradeHeatChange: h.tradeChange,
        searchHeat: h.search,
        searchHeatChange: h.searchChange,
        newsHeat: h.news,
        newsHeatChange: h.newsChange,
        averageHeat: h.average,
        averageHeatChange: h.averageChange,
        newsInfo: news
          ? {
            newsType: 2,
            title: `${security.name} ${move} on turnover of ${figures.turnover.toFixed(0)}`,
            newsUrl: `https://news.futunn.com/sim/${security.market.toLowerCase()}-${security.code.toLowerCase()}`,
          }
          : { newsType: 1, title: `${security.name} ${move}: traders discuss the move` },
      };
    }),
    allCount: rows.length,
  };
};

/** How many trading days back each period change goes (undefined: not a day count). */
const PERIOD_DAYS: Readonly<Record<number, number>> = {
  [Qot_GetPeriodChangeRank_PeriodType["5Day"]]: 5,
  [Qot_GetPeriodChangeRank_PeriodType["20Day"]]: 20,
  [Qot_GetPeriodChangeRank_PeriodType["60Day"]]: 60,
  [Qot_GetPeriodChangeRank_PeriodType["120Day"]]: 120,
  [Qot_GetPeriodChangeRank_PeriodType["250Day"]]: 250,
};

/** Qot_GetPeriodChangeRank: changes over N trading days from the forward-adjusted daily closes. */
export const periodChangeRank: Handler<"Qot_GetPeriodChangeRank"> = (ctx, _session, c2s) => {
  const market = rankMarket(c2s.market, RANK_MARKETS) as SimMarket;
  const period = enumOf(c2s.periodType, Qot_GetPeriodChangeRank_PeriodType, "periodType") ??
    Qot_GetPeriodChangeRank_PeriodType["5Min"];
  if (period === Qot_GetPeriodChangeRank_PeriodType.Unknown) fail("periodType must not be Unknown (0)");
  const ascending = sortDirOf(c2s.sortDir);
  const T = Qot_GetPeriodChangeRank_IndicatorType;
  const rows = stocksOf(market).map((security) => {
    const f = figuresOf(ctx.market, security);
    const bars = dailyBars(ctx.market, security, 280);
    const item = {
      security: securityOf(security),
      name: security.name,
      curPrice: f.price,
      changeRatio: f.changeRatio,
      turnover: f.turnover,
      volume: String(f.volume),
      marketCap: f.marketCap,
      changeRate5Min: fiveMinuteChange(ctx.market, security),
      changeRate5D: changeOver(bars, 5),
      changeRate10D: changeOver(bars, 10),
      changeRate20D: changeOver(bars, 20),
      changeRate60D: changeOver(bars, 60),
      changeRate120D: changeOver(bars, 120),
      changeRate250D: changeOver(bars, 250),
      changeRateYTD: yearToDate(ctx.market, security, bars),
      peTTM: f.peTTM,
      pb: f.pb,
      turnoverRatio: f.turnoverRatio,
      volumeRatio: volumeRatioOf(ctx.market, security, bars),
      amplitude: f.amplitude,
    };
    const change = period === Qot_GetPeriodChangeRank_PeriodType["5Min"]
      ? item.changeRate5Min
      : period === Qot_GetPeriodChangeRank_PeriodType["1Day"]
      ? item.changeRatio
      : period === Qot_GetPeriodChangeRank_PeriodType.YTD
      ? item.changeRateYTD
      : changeOver(bars, PERIOD_DAYS[period]);
    const values: Record<number, number | undefined> = {
      [T.Price]: f.price,
      [T.MarketCap]: f.marketCap,
      [T.ChangeRatio]: change,
      [T.Volume]: f.volume,
      [T.Turnover]: f.turnover,
      [T.PE]: f.peTTM,
      [T.PB]: f.pb,
      [T.TurnoverRatio]: f.turnoverRatio,
      [T.VolumeRatio]: item.volumeRatio,
      [T.Amplitude]: f.amplitude,
    };
    return { security, item, change, values };
  }).filter((r) =>
    (c2s.filterList ?? []).every((f: { indicatorType: number; indicatorValue?: Qot_OptionCommon_Interval }) => {
      checkInterval(f.indicatorValue, "filterList");
      const type = enumOf(f.indicatorType, T, "indicatorType");
      if (type === T.Unknown) fail("filterList: indicatorType must not be Unknown (0)");
      return inInterval(r.values[type!], f.indicatorValue);
    })
  );
  sortBy(rows, (r) => r.change, ascending);
  return { dataList: page(rows, c2s.offset, c2s.count).map((r) => r.item), allCount: rows.length };
};
