/**
 * How the simulated stocks traded around their earnings releases (modelled):
 * the releases are those of `earnings.ts` (the dates the earnings calendar
 * lists), published before the open or after the close; the prices are the
 * simulated daily K-lines, forward-adjusted like Qot_RequestHistoryKL's
 * default, five trading days either side of the release's trading day (the
 * first one at or after the release date). Historical volatility is the
 * annualised standard deviation of the 20 daily log returns up to each day.
 * For stocks with listed options, implied volatility is the stock's model
 * volatility, rising up to 40 % into the release and falling back once the
 * market has traded on it (the IV crush); the expected move is that
 * pre-release IV over one trading day (× 1.6, the event premium).
 *
 * @module
 */
import type {
  Qot_GetFinancialsEarningsPriceHistory_C2S,
  Qot_GetFinancialsEarningsPriceHistory_PriceHistoryOnEarningsDays,
  Qot_GetFinancialsEarningsPriceHistory_S2C,
  Qot_GetFinancialsEarningsPriceMove_C2S,
  Qot_GetFinancialsEarningsPriceMove_S2C,
} from "../gateway/proto/messages.ts";
import { Qot_Common_EarningsPubTimeType } from "../gateway/proto/messages.ts";
import { fail, round } from "./_handler_common.ts";
import { dayOf, daySeconds, localDay, stockOf } from "./_fundamentals_common.ts";
import type { Bar } from "./bars.ts";
import type { SimSecurity } from "./catalog.ts";
import { formatDay, formatLocal, localTime, utcOf } from "./clock.ts";
import { type EarningsReport, earningsReports } from "./earnings.ts";
import { publishedMsOf } from "./fundamentals_financials.ts";
import type { SimContext } from "./handlers.ts";

/** Trading days either side of the release's trading day. */
export const WINDOW = 5;
/** Daily returns the historical volatility is measured over. */
const HV_DAYS = 20;
/** Releases the price history lists. */
const HISTORY_CYCLES = 12;

/** The stock's published earnings reports, newest first, at most `count`. */
function publishedReports(security: SimSecurity, nowMs: number, count: number): EarningsReport[] {
  const year = new Date(nowMs).getUTCFullYear();
  const today = formatDay(localDay(security.market, nowMs));
  return earningsReports(security, `${year - 13}-01-01`, today)
    .filter((r) => publishedMsOf(security, r) <= nowMs && r.date >= security.listDate)
    .reverse()
    .slice(0, count);
}

/** One release with the daily bars around it. */
interface Cycle {
  report: EarningsReport;
  /** The bars from WINDOW trading days before the release's trading day to WINDOW after (fewer near today). */
  rows: Bar[];
  /** Index in `rows` of the release's trading day; -1 without bars. */
  at: number;
  hv: number[];
  /** Implied volatility per row, for stocks with listed options. */
  iv?: number[];
}

function hvAt(bars: readonly Bar[], index: number): number | undefined {
  if (index < HV_DAYS) return undefined;
  const returns: number[] = [];
  for (let i = index - HV_DAYS + 1; i <= index; i++) returns.push(Math.log(bars[i].close / bars[i - 1].close));
  const mean = returns.reduce((a, b) => a + b, 0) / returns.length;
  const variance = returns.reduce((a, r) => a + (r - mean) ** 2, 0) / (returns.length - 1);
  return round(Math.sqrt(variance * 252) * 100, 2);
}

function cycleOf(ctx: SimContext, security: SimSecurity, report: EarningsReport): Cycle {
  const day = dayOf(report.date);
  const bars = ctx.market.bars(
    security,
    "K_DAY",
    utcOf(security.market, day - 60, 0),
    utcOf(security.market, day + 20, 0),
    200,
    { rehab: "FORWARD" },
  );
  const index = bars.findIndex((b) => b.startMs >= utcOf(security.market, day, 0));
  if (index < 0) return { report, rows: [], at: -1, hv: [] };
  const first = Math.max(0, index - WINDOW);
  const rows = bars.slice(first, index + WINDOW + 1);
  const at = index - first;
  const hv = rows.map((_, i) => hvAt(bars, first + i) ?? 0);
  if (!security.chain) return { report, rows, at, hv };
  // The first trading day that trades on the news: the release day itself before the open, the next one after the close.
  const event = report.session === "BEFORE_OPEN" ? at : at + 1;
  const base = security.volatility * 100;
  const iv = rows.map((_, i) =>
    round(i < event ? base * (1 + 0.4 * Math.max(0, 1 - (event - 1 - i) / (WINDOW + 1))) : base * 0.97, 2)
  );
  return { report, rows, at, hv, iv };
}

function countOf(periodCount: number | undefined): number {
  if (periodCount === undefined) return 10;
  if (!Number.isInteger(periodCount) || periodCount < 1 || periodCount > 50) {
    fail(`periodCount must be 1 to 50, got ${periodCount}`);
  }
  return periodCount;
}

function pubTypeOf(report: EarningsReport): number {
  return report.session === "BEFORE_OPEN"
    ? Qot_Common_EarningsPubTimeType.PreMarket
    : Qot_Common_EarningsPubTimeType.AfterMarket;
}

function tradingDayOf(security: SimSecurity, bar: Bar) {
  const day = localTime(security.market, bar.startMs).day;
  return { tradingDay: String(daySeconds(security.market, day)), tradingDayStr: formatDay(day) };
}

/** Qot_GetFinancialsEarningsPriceMove. */
export function earningsPriceMove(
  ctx: SimContext,
  c2s: Qot_GetFinancialsEarningsPriceMove_C2S,
): Qot_GetFinancialsEarningsPriceMove_S2C {
  const security = stockOf(c2s.security, "Earnings price moves");
  const count = countOf(c2s.periodCount);
  const cycles = publishedReports(security, ctx.market.clock.now(), count).map((r) => cycleOf(ctx, security, r))
    .filter((c) => c.at >= 0);
  return {
    detailList: cycles.map((c) => ({
      fiscalYear: c.report.fiscalYear,
      financialType: c.report.quarter,
      periodText: c.report.periodText,
      ...(() => {
        const { tradingDay, tradingDayStr } = tradingDayOf(security, c.rows[c.at]);
        return { pubTradingDay: tradingDay, pubTradingDayStr: tradingDayStr };
      })(),
      pubType: pubTypeOf(c.report),
      priceInfoIndex: c.at,
      itemList: c.rows.map((bar, i) => ({
        ...tradingDayOf(security, bar),
        closePrice: bar.close,
        openPrice: bar.open,
        highestPrice: bar.high,
        lowestPrice: bar.low,
        lastClosePrice: bar.lastClose,
        optionIV: c.iv?.[i],
        optionHV: c.hv[i] || undefined,
      })),
    })),
  };
}

/** Qot_GetFinancialsEarningsPriceHistory. */
export function earningsPriceHistory(
  ctx: SimContext,
  c2s: Qot_GetFinancialsEarningsPriceHistory_C2S,
): Qot_GetFinancialsEarningsPriceHistory_S2C {
  const security = stockOf(c2s.security, "Earnings price history");
  const cycles = publishedReports(security, ctx.market.clock.now(), HISTORY_CYCLES)
    .map((r) => cycleOf(ctx, security, r)).filter((c) => c.at >= 0);
  const detailList = cycles.map((c, index): Qot_GetFinancialsEarningsPriceHistory_PriceHistoryOnEarningsDays => {
    const bar = c.rows[c.at];
    const published = publishedMsOf(security, c.report);
    const local = localTime(security.market, published);
    const { tradingDay, tradingDayStr } = tradingDayOf(security, bar);
    const event = c.report.session === "BEFORE_OPEN" ? c.at : c.at + 1;
    const ivBefore = c.iv?.[event - 1];
    const ivAfter = c.iv?.[event];
    const ratio = ivBefore === undefined ? undefined : round((ivBefore / Math.sqrt(252)) * 1.6, 2);
    const closeBefore = c.rows[event - 1]?.close;
    const crush = ivBefore !== undefined && ivAfter !== undefined ? round(ivBefore - ivAfter, 2) : undefined;
    return {
      fiscalYear: c.report.fiscalYear,
      financialType: c.report.quarter,
      periodText: c.report.periodText,
      isCurrent: index === 0,
      pubTradingDay: tradingDay,
      pubTradingDayStr: tradingDayStr,
      pubTime: String(Math.floor(published / 1000)),
      pubTimeStr: formatLocal(local.day, local.minute),
      pubType: pubTypeOf(c.report),
      predictVolaRatioNewest: ratio,
      predictVolaRatioHighest: ratio === undefined ? undefined : round(ratio * 1.15, 2),
      predictVolaValNewest: ratio === undefined || !closeBefore ? undefined : round((ratio / 100) * closeBefore, 3),
      predictVolaValHighest: ratio === undefined || !closeBefore
        ? undefined
        : round((ratio * 1.15 / 100) * closeBefore, 3),
      optionIVCrush: crush,
      optionStrikeDateIVCrush: crush === undefined ? undefined : round(crush * 1.3, 2),
      priceInfo: {
        tradingDay,
        tradingDayStr,
        closePrice: bar.close,
        openPrice: bar.open,
        highestPrice: bar.high,
        lowestPrice: bar.low,
        lastClosePrice: bar.lastClose,
        volume: bar.volume,
      },
      scheduleInfoList: c.rows.map((row, i) => ({ delta: i - c.at, closePrice: row.close })),
    };
  });
  return { detailList };
}
