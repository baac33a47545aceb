/**
 * The calendar of the simulated event contracts (private to src/sim): US
 * Eastern day numbers, Kalshi-style date stamps ("26DEC13"), and the time
 * formats the event contract protocols use (US Eastern "yyyy-MM-dd HH:mm:ss",
 * UTC ISO 8601).
 *
 * @module
 */
import { MONTH_NAMES } from "./_macro_time.ts";
import { formatInstant, localTime, utcOf } from "./clock.ts";

const DAY = 86_400_000;

export const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"] as const;

export function ymd(day: number): { y: number; m: number; d: number } {
  const date = new Date(day * DAY);
  return { y: date.getUTCFullYear(), m: date.getUTCMonth() + 1, d: date.getUTCDate() };
}

export function dayOf(y: number, m: number, d: number): number {
  return Math.floor(Date.UTC(y, m - 1, d) / DAY);
}

export function weekday(day: number): number {
  return ((day + 4) % 7 + 7) % 7;
}

/** "26DEC13" */
export function stampOf(day: number): string {
  const { y, m, d } = ymd(day);
  return `${String(y % 100).padStart(2, "0")}${MONTHS[m - 1]}${String(d).padStart(2, "0")}`;
}

/** The day of a "26DEC13" stamp, or undefined. */
export function dayOfStamp(stamp: string): number | undefined {
  const match = /^(\d{2})([A-Z]{3})(\d{2})/.exec(stamp);
  if (!match) return undefined;
  const month = MONTHS.indexOf(match[2] as (typeof MONTHS)[number]);
  const d = Number(match[3]);
  if (month < 0 || d < 1 || d > 31) return undefined;
  const day = dayOf(2000 + Number(match[1]), month + 1, d);
  return ymd(day).d === d ? day : undefined;
}

export function et(day: number, hour: number, minute = 0): number {
  return utcOf("US", day, hour * 60 + minute);
}

/** The US Eastern day of an instant. */
export function etDay(ms: number): number {
  return localTime("US", ms).day;
}

/** "YYYY-MM-DD HH:MM:SS" in US Eastern time. */
export function etText(ms: number): string {
  return formatInstant("US", ms).slice(0, 19);
}

/** UTC ISO 8601 without milliseconds ("2026-11-29T18:00:00Z"). */
export function utcIso(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

export function secondSunday(year: number, month: number): number {
  const first = dayOf(year, month, 1);
  return first + ((7 - weekday(first)) % 7) + 7;
}

export function lastDayOfMonth(y: number, m: number): number {
  return dayOf(y, m + 1, 0);
}

/** "Dec 13, 2026" */
export function readable(day: number): string {
  const { y, m, d } = ymd(day);
  return `${MONTH_NAMES[m - 1].slice(0, 3)} ${d}, ${y}`;
}

export function money(n: number): string {
  return `$${n.toLocaleString("en-US")}`;
}
