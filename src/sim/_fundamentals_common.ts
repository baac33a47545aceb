/**
 * What the fundamentals handlers share (private to src/sim): the stock a
 * request names, market-local days and their wire timestamps, reporting
 * currencies and the fixed exchange rates the simulator converts them at,
 * OpenD-style paging (`nextKey` offsets, "-1" for no more), and the name
 * pools the generated people and institutions are drawn from.
 *
 * @module
 */
import type { Qot_Common_Security } from "../gateway/proto/messages.ts";
import { fail, resolve } from "./_handler_common.ts";
import type { SimSecurity } from "./catalog.ts";
import { type DayNumber, formatDay, localTime, type SimMarket, utcOf } from "./clock.ts";
import { SeededRandom } from "./seeded_random.ts";
import { pageSlice } from "./_paging.ts";

export const DAY_MS = 86_400_000;

/** The catalog stock a request names; fails for unknown securities and for ones that are not stocks. */
export function stockOf(wire: Qot_Common_Security | undefined, what = "Company data"): SimSecurity {
  const security = resolve(wire);
  if (security.kind !== "stock") fail(`${what} covers stocks only; ${security.symbol} is a ${security.kind}`);
  return security;
}

/** Day number of "YYYY-MM-DD". */
export function dayOf(text: string): DayNumber {
  return Math.floor(Date.parse(`${text}T00:00:00Z`) / DAY_MS);
}

/** Seconds of the market-local midnight starting a day. */
export function daySeconds(market: SimMarket, day: DayNumber | string): number {
  return Math.floor(utcOf(market, typeof day === "string" ? dayOf(day) : day, 0) / 1000);
}

/** The market-local day of an instant. */
export function localDay(market: SimMarket, ms: number): DayNumber {
  return localTime(market, ms).day;
}

/** "YYYY-MM-DD" today in the security's market. */
export function todayText(security: SimSecurity, nowMs: number): string {
  return formatDay(localDay(security.market, nowMs));
}

/** A deterministic stream for one fact of one simulated OpenD (seed) about one subject. */
export function randomOf(seed: number, ...parts: readonly (string | number)[]): SeededRandom {
  return new SeededRandom(seed, "fundamentals", ...parts);
}

/** A uniform number in [-1, 1) of one fact. */
export function jitter(seed: number, ...parts: readonly (string | number)[]): number {
  return randomOf(seed, ...parts).next() * 2 - 1;
}

/** Units of a currency per US dollar (fixed rates of the simulated market). */
const PER_USD: Readonly<Record<string, number>> = {
  USD: 1,
  HKD: 7.8,
  CNY: 7.2,
  SGD: 1.35,
  JPY: 150,
  CAD: 1.36,
  AUD: 1.52,
};

/** Display names of the currencies, as `currencyInfo` shows them. */
export const CURRENCY_NAMES: Readonly<Record<string, string>> = {
  USD: "US Dollar",
  HKD: "Hong Kong Dollar",
  CNY: "Renminbi",
  SGD: "Singapore Dollar",
  JPY: "Japanese Yen",
  CAD: "Canadian Dollar",
  AUD: "Australian Dollar",
};

/** The currency a stock reports and trades in. */
export function listingCurrency(security: SimSecurity): string {
  return security.market === "US" ? "USD" : security.market === "HK" ? "HKD" : "CNY";
}

/**
 * The currency a reply is in and the factor from the stock's own currency to it: the request's
 * `currencyCode` (ISO 4217, one of those OpenD lists) or, without one, the stock's own.
 */
export function currencyOf(security: SimSecurity, code: string | undefined): { code: string; factor: number } {
  const own = listingCurrency(security);
  if (code === undefined || code === "") return { code: own, factor: 1 };
  const upper = code.trim().toUpperCase();
  if (!(upper in PER_USD)) {
    fail(`Unsupported currencyCode ${JSON.stringify(code)}: expected one of ${Object.keys(PER_USD).join(", ")}`);
  }
  return { code: upper, factor: PER_USD[upper] / PER_USD[own] };
}

/** Checks a page size against the proto's range; undefined gives the default. */
export function pageSize(num: number | undefined, max: number, fallback = 10, field = "num"): number {
  if (num === undefined) return fallback;
  if (!Number.isInteger(num) || num < 1 || num > max) fail(`${field} must be 1 to ${max}, got ${num}`);
  return num;
}

/** One page of `items` from the offset a `nextKey` carries ("" or none: the first page). */
export function page<T>(
  items: readonly T[],
  nextKey: string | undefined,
  num: number | undefined,
  max = 50,
  field = "nextKey",
): { items: T[]; nextKey: string } {
  const size = pageSize(num, max);
  let offset = 0;
  if (nextKey !== undefined && nextKey !== "") {
    if (!/^\d{1,9}$/.test(nextKey)) {
      fail(`Invalid ${field} ${JSON.stringify(nextKey)}: pass the one the last page returned`);
    }
    offset = Number(nextKey);
    if (offset > items.length) fail(`Invalid ${field} ${JSON.stringify(nextKey)}: beyond the last page`);
  }
  const { items: slice, next } = pageSlice(items, offset, size, "-1");
  return { items: slice, nextKey: next };
}

export const FIRST_NAMES = [
  "Alex",
  "Maria",
  "Wei",
  "Priya",
  "James",
  "Yuki",
  "Olivia",
  "Daniel",
  "Hannah",
  "Marcus",
  "Sofia",
  "Kenji",
  "Laura",
  "Ethan",
  "Mei",
  "Robert",
  "Anika",
  "Thomas",
  "Grace",
  "Victor",
] as const;

export const LAST_NAMES = [
  "Chan",
  "Lopez",
  "Zhang",
  "Nair",
  "Miller",
  "Sato",
  "Brown",
  "Wong",
  "Fischer",
  "Okafor",
  "Rossi",
  "Tanaka",
  "Kowalski",
  "Liu",
  "Bennett",
  "Haddad",
  "Lindqvist",
  "Reyes",
  "Cheung",
  "Novak",
] as const;
