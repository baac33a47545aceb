/**
 * The exchange holiday calendars of the simulated markets: which weekdays an
 * exchange is closed, and which it trades only in the morning. `clock.ts`
 * asks this file whether a day trades, so bars, ticks, market states and
 * order matching all follow the same calendar.
 *
 * - US (NYSE/Nasdaq): computed for every year from the NYSE rules (New Year's
 *   Day, Martin Luther King Jr. Day, Washington's Birthday, Good Friday,
 *   Memorial Day, Juneteenth from 2022, Independence Day, Labor Day,
 *   Thanksgiving, Christmas; a Saturday holiday is observed on the Friday
 *   before, a Sunday one on the Monday after, except New Year's Day on a
 *   Saturday), plus the one-off closures since 2025 (the national day of
 *   mourning of 2025-01-09). Early closes (13:00): 3 July before an
 *   Independence Day on Tuesday to Friday, the day after Thanksgiving, and
 *   24 December when it is a trading weekday.
 * - HK (HKEX) and CN (SSE/SZSE): the lunar holidays need tables, held for
 *   2025–2027; other years trade every weekday. HK half days (morning
 *   session only): the eves of Christmas, New Year and the Lunar New Year.
 *   CN has no half days; its 2027 closures are projected from the statutory
 *   holidays (the State Council's 2027 arrangement is not in the table).
 *
 * @module
 */
import type { DayNumber, SimMarket } from "./clock.ts";

/** How a day trades: the whole day, or only the morning (`Qot_Common.TradeDateType`). */
export type TradeDayType = "WHOLE" | "MORNING";

/** The calendars the simulator holds: SH and SZ share the CN calendar. */
export type CalendarMarket = "HK" | "US" | "CN";

/** The calendar a market follows. */
export function calendarOf(market: SimMarket): CalendarMarket {
  return market === "SH" || market === "SZ" ? "CN" : market;
}

/** Years whose HK and CN holidays the tables hold. */
export const TABLED_YEARS = { first: 2025, last: 2027 } as const;

const HK_CLOSED = [
  // 2025
  "2025-01-01",
  "2025-01-29",
  "2025-01-30",
  "2025-01-31",
  "2025-04-04",
  "2025-04-18",
  "2025-04-21",
  "2025-05-01",
  "2025-05-05",
  "2025-07-01",
  "2025-10-01",
  "2025-10-07",
  "2025-10-29",
  "2025-12-25",
  "2025-12-26",
  // 2026
  "2026-01-01",
  "2026-02-17",
  "2026-02-18",
  "2026-02-19",
  "2026-04-03",
  "2026-04-06",
  "2026-04-07",
  "2026-05-01",
  "2026-05-25",
  "2026-06-19",
  "2026-07-01",
  "2026-10-01",
  "2026-10-19",
  "2026-12-25",
  "2026-12-28",
  // 2027
  "2027-01-01",
  "2027-02-08",
  "2027-02-09",
  "2027-03-26",
  "2027-03-29",
  "2027-04-05",
  "2027-05-13",
  "2027-06-09",
  "2027-07-01",
  "2027-09-16",
  "2027-10-01",
  "2027-10-08",
  "2027-12-27",
];

const HK_HALF_DAYS = [
  "2025-01-28",
  "2025-12-24",
  "2025-12-31",
  "2026-02-16",
  "2026-12-24",
  "2026-12-31",
  "2027-02-05",
  "2027-12-24",
  "2027-12-31",
];

const CN_CLOSED = [
  // 2025
  "2025-01-01",
  "2025-01-28",
  "2025-01-29",
  "2025-01-30",
  "2025-01-31",
  "2025-02-03",
  "2025-02-04",
  "2025-04-04",
  "2025-05-01",
  "2025-05-02",
  "2025-05-05",
  "2025-06-02",
  "2025-10-01",
  "2025-10-02",
  "2025-10-03",
  "2025-10-06",
  "2025-10-07",
  "2025-10-08",
  // 2026
  "2026-01-01",
  "2026-01-02",
  "2026-02-16",
  "2026-02-17",
  "2026-02-18",
  "2026-02-19",
  "2026-02-20",
  "2026-02-23",
  "2026-04-06",
  "2026-05-01",
  "2026-05-04",
  "2026-05-05",
  "2026-06-19",
  "2026-09-25",
  "2026-10-01",
  "2026-10-02",
  "2026-10-05",
  "2026-10-06",
  "2026-10-07",
  // 2027 (projected)
  "2027-01-01",
  "2027-02-05",
  "2027-02-08",
  "2027-02-09",
  "2027-02-10",
  "2027-02-11",
  "2027-02-12",
  "2027-04-05",
  "2027-05-03",
  "2027-05-04",
  "2027-05-05",
  "2027-06-09",
  "2027-09-15",
  "2027-10-01",
  "2027-10-04",
  "2027-10-05",
  "2027-10-06",
  "2027-10-07",
];

/** NYSE closures the rules do not give. */
const US_SPECIAL_CLOSED = ["2025-01-09"];

const DAY_MS = 86_400_000;

function dayOf(text: string): DayNumber {
  return Math.floor(Date.parse(`${text}T00:00:00Z`) / DAY_MS);
}

function dayOfDate(year: number, month: number, date: number): DayNumber {
  return Math.floor(Date.UTC(year, month - 1, date) / DAY_MS);
}

function weekdayOf(day: DayNumber): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** The `n`th (1-based; -1 = last) `weekday` of a month. */
function nthWeekday(year: number, month: number, weekday: number, n: number): DayNumber {
  if (n < 0) {
    const last = dayOfDate(year, month + 1, 0);
    return last - ((weekdayOf(last) - weekday + 7) % 7);
  }
  const first = dayOfDate(year, month, 1);
  return first + ((weekday - weekdayOf(first) + 7) % 7) + (n - 1) * 7;
}

/** Easter Sunday (Gregorian, anonymous algorithm). */
function easter(year: number): DayNumber {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const date = ((h + l - 7 * m + 114) % 31) + 1;
  return dayOfDate(year, month, date);
}

/** A fixed-date holiday moved off the weekend as the NYSE observes it. */
function observed(day: DayNumber): DayNumber {
  const weekday = weekdayOf(day);
  return weekday === 6 ? day - 1 : weekday === 0 ? day + 1 : day;
}

interface YearCalendar {
  closed: Set<DayNumber>;
  morningOnly: Set<DayNumber>;
}

function usYear(year: number): YearCalendar {
  const closed = new Set<DayNumber>();
  const newYear = dayOfDate(year, 1, 1);
  // New Year's Day on a Saturday is not observed on the Friday before (that Friday ends the previous year).
  if (weekdayOf(newYear) !== 6) closed.add(observed(newYear));
  closed.add(nthWeekday(year, 1, 1, 3));
  closed.add(nthWeekday(year, 2, 1, 3));
  closed.add(easter(year) - 2);
  closed.add(nthWeekday(year, 5, 1, -1));
  if (year >= 2022) closed.add(observed(dayOfDate(year, 6, 19)));
  closed.add(observed(dayOfDate(year, 7, 4)));
  closed.add(nthWeekday(year, 9, 1, 1));
  const thanksgiving = nthWeekday(year, 11, 4, 4);
  closed.add(thanksgiving);
  closed.add(observed(dayOfDate(year, 12, 25)));
  for (const text of US_SPECIAL_CLOSED) if (text.startsWith(`${year}-`)) closed.add(dayOf(text));
  const morningOnly = new Set<DayNumber>([thanksgiving + 1]);
  const julyFourth = dayOfDate(year, 7, 4);
  if (weekdayOf(julyFourth) >= 2 && weekdayOf(julyFourth) <= 5) morningOnly.add(julyFourth - 1);
  const christmasEve = dayOfDate(year, 12, 24);
  if (weekdayOf(christmasEve) >= 1 && weekdayOf(christmasEve) <= 5 && !closed.has(christmasEve)) {
    morningOnly.add(christmasEve);
  }
  return { closed, morningOnly };
}

function tabled(closed: readonly string[], morningOnly: readonly string[], year: number): YearCalendar {
  const inYear = (list: readonly string[]) => new Set(list.filter((t) => t.startsWith(`${year}-`)).map(dayOf));
  return { closed: inYear(closed), morningOnly: inYear(morningOnly) };
}

const years = new Map<string, YearCalendar>();

function yearCalendar(market: CalendarMarket, year: number): YearCalendar {
  const key = `${market}|${year}`;
  let calendar = years.get(key);
  if (!calendar) {
    calendar = market === "US"
      ? usYear(year)
      : market === "HK"
      ? tabled(HK_CLOSED, HK_HALF_DAYS, year)
      : tabled(CN_CLOSED, [], year);
    years.set(key, calendar);
  }
  return calendar;
}

/** How a market trades on a local calendar day, or undefined when it is closed (weekends included). */
export function tradeDayType(market: SimMarket, day: DayNumber): TradeDayType | undefined {
  const weekday = weekdayOf(day);
  if (weekday === 0 || weekday === 6) return undefined;
  const calendar = yearCalendar(calendarOf(market), new Date(day * DAY_MS).getUTCFullYear());
  if (calendar.closed.has(day)) return undefined;
  return calendar.morningOnly.has(day) ? "MORNING" : "WHOLE";
}
