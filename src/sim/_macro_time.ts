/**
 * Calendar arithmetic the macro and news handlers share (private to src/sim):
 * days as "YYYY-MM-DD", the instant of a wall time in any IANA time zone
 * (the macro calendars cover regions the simulated exchanges do not), and the
 * checks OpenD applies to the date strings of a request.
 *
 * @module
 */
import { fail } from "./_handler_common.ts";

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The time zone the simulated OpenD host runs in: dates a request gives without a market are read in it. */
export const HOST_TIME_ZONE = "Asia/Hong_Kong";

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The UTC offset of a time zone at an instant, in minutes. */
function offsetMinutes(timeZone: string, utcMs: number): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(utcMs))) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return Math.round((asUtc - Math.floor(utcMs / 1000) * 1000) / 60_000);
}

/** The instant of a wall time (`minute` after midnight of `day`) in a time zone (DST-aware). */
export function zonedUtc(timeZone: string, day: string, minute: number): number {
  const guess = Date.parse(`${day}T00:00:00Z`) + minute * 60_000;
  let utc = guess - offsetMinutes(timeZone, guess) * 60_000;
  utc = guess - offsetMinutes(timeZone, utc) * 60_000;
  return utc;
}

/** The local day ("YYYY-MM-DD") of an instant in a time zone. */
export function zonedDay(timeZone: string, utcMs: number): string {
  return isoDate(utcMs + offsetMinutes(timeZone, utcMs) * 60_000);
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
