/**
 * What the ownership handlers read from the simulated market (private to
 * src/sim): the daily bar of a trading day, the trading days before a day,
 * and the request checks the ownership protocols share (counts, paging keys,
 * stocks). Nothing here is generated.
 *
 * @module
 */
import type { Bar } from "./bars.ts";
import type { SimSecurity } from "./catalog.ts";
import { type DayNumber, isTradingDay, localTime, previousTradingDay, sessionsOn, utcOf } from "./clock.ts";
import type { MarketData } from "./market.ts";
import { fail } from "./_handler_common.ts";
import { ownedStock } from "./ownership.ts";

/** The daily bar (as traded) of a trading day, if the day has traded by now. */
export function dayBar(market: MarketData, security: SimSecurity, day: DayNumber): Bar | undefined {
  const start = utcOf(security.market, day, 0);
  return market.bars(security, "K_DAY", start, start, 1)[0];
}

/** The daily bars of the trading days from `fromDay` on (as of now), oldest first. */
export function dayBars(market: MarketData, security: SimSecurity, fromDay: DayNumber): Bar[] {
  return market.bars(security, "K_DAY", utcOf(security.market, fromDay, 0), market.clock.now(), 100_000);
}

/** The local day of a bar. */
export function barDay(security: SimSecurity, bar: Bar): DayNumber {
  return localTime(security.market, bar.startMs).day;
}

/** The `count` trading days ending with `day` (if it trades), oldest first. */
export function tradingDaysTo(market: SimSecurity["market"], day: DayNumber, count: number): DayNumber[] {
  const days: DayNumber[] = [];
  for (let d = day; days.length < count; d--) if (isTradingDay(market, d)) days.unshift(d);
  return days;
}

/** Seconds of a local midnight. */
export function midnightSeconds(security: SimSecurity, day: DayNumber): number {
  return utcOf(security.market, day, 0) / 1000;
}

/** A request's page size: `undefined` or 0 is the default, values outside [min, max] fail naming the field. */
export function pageSize(value: number | undefined, field: string, min: number, max: number, fallback: number): number {
  if (value === undefined || value === 0) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) fail(`${field} must be between ${min} and ${max}`);
  return value;
}

/** The offset a paging key stands for ("" or absent: the first page; "-1": past the end). */
export function pageOffset(key: string | undefined, field: string): number {
  if (key === undefined || key === "") return 0;
  if (key === "-1") return Number.MAX_SAFE_INTEGER;
  if (!/^\d{1,9}$/.test(key)) fail(`${field} ${JSON.stringify(key)} is not a paging key this server returned`);
  return Number(key);
}

/** The stock a request names, which must be one the ownership data covers. */
export function ownedOrFail(security: SimSecurity, what: string): SimSecurity {
  if (!ownedStock(security)) fail(`${security.symbol} is not a stock: no ${what} data`);
  return security;
}

/** Checks an optional enum-valued int32 field against its members. */
export function enumOrFail(value: number | undefined, field: string, members: readonly number[]): void {
  if (value !== undefined && !members.includes(value)) fail(`${field} ${value} is not one of ${members.join(", ")}`);
}

/** Sorts by a key, descending unless `ascending`; ties by `tie` ascending. */
export function sortBy<T>(items: T[], key: (item: T) => number, ascending: boolean, tie: (item: T) => number): T[] {
  return items.sort((a, b) => (ascending ? key(a) - key(b) : key(b) - key(a)) || tie(a) - tie(b));
}

/** The last trading day whose session has ended at `nowMs`. */
export function lastCompleteDay(market: MarketData, security: SimSecurity, nowMs: number): DayNumber {
  const day = market.currentTradingDay(security.market, nowMs);
  const sessions = sessionsOn(security.market, day);
  const end = utcOf(security.market, day, sessions[sessions.length - 1][1]);
  return nowMs >= end ? day : previousTradingDay(security.market, day);
}
