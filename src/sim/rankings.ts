/**
 * What the simulator's ranking protocols share (the rankings family, see
 * `handlers_rankings.ts`): the population a rank ranges over (the catalog's
 * stocks of a market), each stock's quote figures taken from the very
 * basic quote the quote handlers serve (so a rank's price, change, volume and
 * turnover equal `Qot_GetSecuritySnapshot`'s at the same clock), changes over
 * N trading days from the forward-adjusted daily bars the K-line handler
 * serves, the filter intervals (`Qot_OptionCommon.Interval`), market checks,
 * paging and sorting. Nothing here is generated.
 *
 * @module
 */
import type { Qot_OptionCommon_Interval } from "../gateway/proto/messages.ts";
import { marketOfQotMarket } from "../gateway/symbols.ts";
import { fail, round } from "./_handler_common.ts";
import type { Bar } from "./bars.ts";
import { SIM_PLATES, SIM_SECURITIES, type SimSecurity } from "./catalog.ts";
import { localTime, sessionsOn, type SimMarket } from "./clock.ts";
import type { MarketData } from "./market.ts";
import { basicQotOf } from "./wire.ts";

/** A price's change from a base: percent to 3 decimals (0 without a base) and amount to 4. */
export function changeFrom(price: number, base: number): { changeRatio: number; changeAmount: number } {
  return { changeRatio: base ? round((price / base - 1) * 100, 3) : 0, changeAmount: round(price - base, 4) };
}

/** The catalog's stocks of a market (indices, warrants, options and futures are not ranked). */
export function stocksOf(market: SimMarket): SimSecurity[] {
  return SIM_SECURITIES.filter((s) => s.kind === "stock" && s.market === market);
}

/** Where the industry of a stock comes from when no INDUSTRY plate of the catalog lists it. */
const INDUSTRY_FALLBACK: Readonly<Record<string, string>> = {
  "HK.00005": "Banks",
  "HK.00941": "Telecommunications",
  "HK.03690": "Internet & Software",
  "HK.01810": "Consumer Electronics",
};

/** The industry of a stock: its INDUSTRY plate's name. */
export function industryOf(security: SimSecurity): string {
  const plate = SIM_PLATES.find((p) => p.setType === "INDUSTRY" && p.constituents.includes(security.symbol));
  return plate?.name ?? INDUSTRY_FALLBACK[security.symbol] ?? "Other";
}

/** A stock's figures at the simulated now, as its basic quote and snapshot report them. */
export interface StockFigures {
  security: SimSecurity;
  price: number;
  lastClose: number;
  /** Percent, as futu_get_quote's change_pct: ((price / lastClose) − 1) × 100 to 3 decimals. */
  changeRatio: number;
  changeAmount: number;
  open: number;
  high: number;
  low: number;
  volume: number;
  turnover: number;
  /** Percent of shares outstanding traded today. */
  turnoverRatio: number;
  /** Percent: (high − low) / lastClose. */
  amplitude: number;
  /** Shares outstanding × price. */
  marketCap: number;
  /** Price / trailing EPS; undefined without earnings. */
  peTTM?: number;
  pb?: number;
  /** Percent: dividendTTM / price. */
  dividendYield?: number;
}

/** The figures of a stock now (the basic quote's numbers). */
export function figuresOf(market: MarketData, security: SimSecurity): StockFigures {
  const q = basicQotOf(market, security);
  const price = q.curPrice;
  const lastClose = q.lastClosePrice;
  const shares = security.sharesOutstanding ?? 0;
  return {
    security,
    price,
    lastClose,
    ...changeFrom(price, lastClose),
    open: q.openPrice,
    high: q.highPrice,
    low: q.lowPrice,
    volume: Number(q.volume),
    turnover: q.turnover,
    turnoverRatio: q.turnoverRate ?? 0,
    amplitude: q.amplitude ?? 0,
    marketCap: round(shares * price, 2),
    peTTM: security.eps ? round(price / security.eps, 3) : undefined,
    pb: security.netAssetPerShare ? round(price / security.netAssetPerShare, 3) : undefined,
    dividendYield: security.dividendTTM ? round(security.dividendTTM / price * 100, 3) : undefined,
  };
}

/** The latest `count` daily bars of a stock (the current trading day last once it has traded). */
export function dailyBars(market: MarketData, security: SimSecurity, count: number, forward = true): Bar[] {
  const now = market.clock.now();
  const span = Math.ceil(count * 1.5 + 12) * 86_400_000;
  return market.bars(security, "K_DAY", now - span, now, count, {
    fromEnd: true,
    rehab: forward ? "FORWARD" : "NONE",
  });
}

/** Percent change from the close `n` bars before the last to the last bar's close (undefined without history). */
export function changeOver(bars: readonly Bar[], n: number, last = bars.length - 1): number | undefined {
  const base = bars[last - n];
  const close = bars[last];
  return base && close && base.close > 0 ? round((close.close / base.close - 1) * 100, 3) : undefined;
}

/**
 * Volume ratio: today's volume per traded minute over the average volume per minute of the five
 * trading days before.
 */
export function volumeRatioOf(market: MarketData, security: SimSecurity, bars: readonly Bar[]): number | undefined {
  const now = market.clock.now();
  const day = market.currentTradingDay(security.market, now);
  const previous = bars.slice(-6, -1);
  if (previous.length === 0) return undefined;
  const sessionMinutes = sessionsOn(security.market, day).reduce((sum, [from, to]) => sum + to - from, 0);
  const elapsed = market.minuteBars(security, day, now).length;
  const today = bars.at(-1)!;
  const average = previous.reduce((sum, b) => sum + b.volume, 0) / previous.length / sessionMinutes;
  return elapsed > 0 && average > 0 ? round(today.volume / elapsed / average, 2) : undefined;
}

/** Change over the last five trading minutes, percent (the last five of the session when closed). */
export function fiveMinuteChange(market: MarketData, security: SimSecurity): number {
  const now = market.clock.now();
  const at = market.lastTradeInstant(security.market, now);
  const before = market.priceAt(security, at - 5 * 60_000);
  return before > 0 ? round((market.priceAt(security, at) / before - 1) * 100, 3) : 0;
}

/** Percent change from the last close of the previous calendar year (forward-adjusted bars). */
export function yearToDate(market: MarketData, security: SimSecurity, bars: readonly Bar[]): number | undefined {
  const year = new Date(localTime(security.market, market.clock.now()).day * 86_400_000).getUTCFullYear();
  const first = bars.findIndex((b) => Number(b.time.slice(0, 4)) >= year);
  return first > 0 ? changeOver(bars, bars.length - 1 - (first - 1)) : undefined;
}

/** The simulated market of a wire `QotMarket`, if it is one of `allowed`; fails otherwise. */
export function rankMarket(wire: number | undefined, allowed: readonly string[], what = "market"): string {
  const market = wire === undefined ? undefined : marketOfQotMarket(wire);
  if (wire === undefined) fail(`${what} is required`);
  if (!market || !allowed.includes(market)) {
    fail(`${what} ${wire} is not supported here: one of ${allowed.join(", ")}`);
  }
  return market;
}

/** The markets the simulator lists securities in. */
export function isSimMarket(market: string): market is SimMarket {
  return market === "HK" || market === "US" || market === "SH" || market === "SZ";
}

/** True when `value` lies in a wire interval (an absent bound does not limit; an absent value fails a bounded one). */
export function inInterval(value: number | undefined, interval: Qot_OptionCommon_Interval | undefined): boolean {
  if (!interval) return true;
  const { filterMin: min, filterMax: max } = interval;
  if (min === undefined && max === undefined) return true;
  if (value === undefined || !Number.isFinite(value)) return false;
  if (min && (min.includes ? value < min.value : value <= min.value)) return false;
  if (max && (max.includes ? value > max.value : value >= max.value)) return false;
  return true;
}

/** Checks a wire interval's bounds are ordered. */
export function checkInterval(interval: Qot_OptionCommon_Interval | undefined, what: string): void {
  const min = interval?.filterMin?.value;
  const max = interval?.filterMax?.value;
  if (min !== undefined && max !== undefined && min > max) fail(`${what}: filterMin ${min} is above filterMax ${max}`);
}

/** A request's count: its default when absent, failed outside [1, max]. */
export function countOf(count: number | undefined, fallback: number, max: number, what = "count"): number {
  if (count === undefined) return fallback;
  if (!Number.isInteger(count) || count < 1 || count > max) fail(`${what} must be between 1 and ${max}, got ${count}`);
  return count;
}

/** A request's offset: 0 when absent, failed when negative. */
export function offsetOf(offset: number | undefined): number {
  if (offset === undefined) return 0;
  if (!Number.isInteger(offset) || offset < 0) fail(`offset must be 0 or more, got ${offset}`);
  return offset;
}

/** An enum value of a request, checked against the values the protocol defines. */
export function enumOf(value: number | undefined, members: Record<string, number>, what: string): number | undefined {
  if (value === undefined) return undefined;
  if (!Object.values(members).includes(value)) fail(`Unknown ${what} ${value}`);
  return value;
}

/** A page cursor of the page-string protocols: the offset it stands for ("" or absent: the first page). */
export function pageOffset(page: string | undefined): number {
  if (page === undefined || page === "") return 0;
  if (!/^[0-9]{1,6}$/.test(page)) fail(`Invalid page ${JSON.stringify(page)}: pass the nextPage of the previous reply`);
  return Number(page);
}

/**
 * Sorts by a key (descending unless `ascending`; rows without the key last), ties by symbol, so
 * ranks are stable.
 */
export function sortBy<T extends { security: SimSecurity }>(
  rows: T[],
  key: (row: T) => number | undefined,
  ascending = false,
): T[] {
  return rows.sort((a, b) => {
    const x = key(a);
    const y = key(b);
    if (x === undefined || y === undefined) {
      if (x === y) return a.security.symbol < b.security.symbol ? -1 : 1;
      return x === undefined ? 1 : -1;
    }
    if (x !== y) return ascending ? x - y : y - x;
    return a.security.symbol < b.security.symbol ? -1 : 1;
  });
}

/** Whether a stock's price matches a movers' `PriceFilter` (5: within 5% of the 52-week high, 6: of the low). */
export function matchesPriceFilter(market: MarketData, figures: StockFigures, filter: number | undefined): boolean {
  const p = figures.price;
  switch (filter ?? 0) {
    case 0:
      return true;
    case 1:
      return p < 1;
    case 2:
      return p >= 1 && p <= 10;
    case 3:
      return p > 10 && p <= 100;
    case 4:
      return p > 100;
    case 5:
      return p >= market.highLow(figures.security, 365).high * 0.95;
    case 6:
      return p <= market.highLow(figures.security, 365).low * 1.05;
    default:
      fail(`Unknown priceFilter ${filter}`);
  }
}
