/**
 * Rankings and market breadth (movers, hot lists, period change, dividend and
 * earnings ranks, heat map, rise/fall distribution, industrial chains): the
 * simulated OpenD's handlers. Every one is modelled on the simulated market;
 * none is generated from the protocol's shape.
 *
 * - Ranks range over the catalog's stocks of the requested market (indices,
 *   warrants, options and futures are not ranked). Price, change, volume,
 *   turnover, turnover rate, amplitude, PE and PB are the basic quote's, so
 *   they equal Qot_GetSecuritySnapshot's and futu_get_quote's at the same
 *   clock; market cap = shares outstanding × price; ranks are sorted as asked
 *   (ties by symbol), paged by offset/count or page cursor, and `allCount`
 *   counts every stock that passed the filters. Filters (`filterList`) are
 *   applied as the protocol defines them (all must hold). The simulated
 *   catalog is small: a rank lists what exists (`rankings.ts`).
 * - Top movers: today's change. Pre-market, after-hours and overnight ranks
 *   cover the US stocks only (their requests name no market); the price model
 *   has regular sessions only, so their prices are derived deterministically
 *   from the regular closes (`rankings_extended_hours.ts`).
 * - Period change: N-day changes from the forward-adjusted daily K-lines the
 *   K-line handler serves (the 1-day change is the quote's); hot list: trade
 *   heat from turnover shares, search/news heat drawn per day
 *   (`rankings_movers.ts`).
 * - Dividend ranks from the corporate actions and `dividendTTM` (yield =
 *   dividendTTM / price), the SOE rank over the catalog's state-owned
 *   enterprises (`rankings_dividends.ts`); earnings beats from the quarterly
 *   reports of `earnings.ts` (`rankings_earnings.ts`); short selling with a
 *   daily short volume ≤ the day's volume (`rankings_short.ts`).
 * - Heat map: the catalog's plates, market-cap weighted; rise/fall
 *   distribution: change buckets whose counts add up to the stocks counted
 *   (`rankings_breadth.ts`).
 * - Industrial chains: a fixed structure whose members are catalog stocks
 *   (`rankings_chains.ts`).
 *
 * @module
 */
import type { HandlerTable } from "./handlers.ts";
import {
  industrialChainByPlate,
  industrialChainDetail,
  industrialChainList,
  industrialPlateInfo,
  industrialPlateStock,
} from "./rankings_chains.ts";
import { heatMap, riseFallDistribution } from "./rankings_breadth.ts";
import { dividendRank, highDividendSoeRank } from "./rankings_dividends.ts";
import { earningsBeatRank } from "./rankings_earnings.ts";
import {
  afterHoursRank,
  hotList,
  overnightRank,
  periodChangeRank,
  preMarketRank,
  topMovers,
} from "./rankings_movers.ts";
import { shortSellingRank } from "./rankings_short.ts";

/** The rankings handlers. */
export const RANKING_HANDLERS: HandlerTable = {
  Qot_GetTopMoversRank: topMovers,
  Qot_GetUSPreMarketRank: preMarketRank,
  Qot_GetUSAfterHoursRank: afterHoursRank,
  Qot_GetUSOvernightRank: overnightRank,
  Qot_GetHotList: hotList,
  Qot_GetPeriodChangeRank: periodChangeRank,
  Qot_GetShortSellingRank: shortSellingRank,
  Qot_GetDividendRank: dividendRank,
  Qot_GetHighDividendSOERank: highDividendSoeRank,
  Qot_GetEarningsBeatRank: earningsBeatRank,
  Qot_GetHeatMapData: heatMap,
  Qot_GetRiseFallDistribution: riseFallDistribution,
  Qot_GetIndustrialChainList: industrialChainList,
  Qot_GetIndustrialChainDetail: industrialChainDetail,
  Qot_GetIndustrialChainByPlate: industrialChainByPlate,
  Qot_GetIndustrialPlateInfo: industrialPlateInfo,
  Qot_GetIndustrialPlateStock: industrialPlateStock,
};
