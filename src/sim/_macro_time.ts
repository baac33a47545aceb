/**
 * Calendar arithmetic the macro, news and event contract handlers share
 * (private to src/sim): days as "YYYY-MM-DD", month names, the instant of a
 * wall time in any IANA time zone (the macro calendars cover regions the
 * simulated exchanges do not; the zone arithmetic is `clock.ts`'s), and the
 * checks OpenD applies to the date strings of a request.
 *
 * @module
 */
import { fail } from "./_handler_common.ts";
import { zonedUtcOf, zoneOffsetMinutes } from "./clock.ts";

const DAY_MS = 86_400_000;

/** The time zone the simulated OpenD host runs in: dates a request gives without a market are read in it. */
export const HOST_TIME_ZONE = "Asia/Hong_Kong";

/** English month names, January first. */
export const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
] as const;

/** The instant of a wall time (`minute` after midnight of `day`) in a time zone (DST-aware). */
export function zonedUtc(timeZone: string, day: string, minute: number): number {
  return zonedUtcOf(timeZone, Date.parse(`${day}T00:00:00Z`) / DAY_MS, minute);
}

/** The local day ("YYYY-MM-DD") of an instant in a time zone. */
export function zonedDay(timeZone: string, utcMs: number): string {
  return isoDate(utcMs + zoneOffsetMinutes(timeZone, utcMs) * 60_000);
}

/** "YYYY-MM-DD" of a UTC instant. */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** `day` moved by `days`. */
export function addDays(day: string, days: number): string {
  return isoDate(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS);
}

/** Whole days from `from` to `to`. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** 0 Sunday … 6 Saturday. */
export function weekdayOf(day: string): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay();
}

/** `day`, or the Monday after it when it falls on a weekend. */
export function weekdayOnOrAfter(day: string): string {
  const weekday = weekdayOf(day);
  return weekday === 6 ? addDays(day, 2) : weekday === 0 ? addDays(day, 1) : day;
}

/** The last day of a month (`month` 1–12). */
export function monthEnd(year: number, month: number): string {
  return isoDate(Date.UTC(year, month, 0));
}

/** The `n`-th (1-based; -1 the last) `weekday` of a month. */
export function nthWeekday(year: number, month: number, weekday: number, n: number): string {
  if (n < 0) {
    const last = monthEnd(year, month);
    return addDays(last, -((weekdayOf(last) - weekday + 7) % 7));
  }
  const first = isoDate(Date.UTC(year, month - 1, 1));
  return addDays(first, (weekday - weekdayOf(first) + 7) % 7 + 7 * (n - 1));
}

/** True for a real calendar date "YYYY-MM-DD". */
export function isDate(text: string): boolean {
  const ms = Date.parse(`${text}T00:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(ms) && isoDate(ms) === text;
}

/** The date a request field gives; fails naming the field when it is not "yyyy-MM-dd". */
export function requestDate(field: string, text: string | undefined): string {
  if (text === undefined || text === "") fail(`${field} is required`);
  if (!isDate(text)) fail(`${field} ${JSON.stringify(text)} is not a date "yyyy-MM-dd"`);
  return text;
}

/** Fails unless `begin` is on or before `end`, naming the fields. */
export function orderedRange(beginField: string, begin: string, endField: string, end: string): void {
  if (begin > end) fail(`${beginField} ${begin} is after ${endField} ${end}`);
}
