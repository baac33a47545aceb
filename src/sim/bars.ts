/**
 * K-line periods and calendar arithmetic over bars: which periods are
 * intraday, how far history reaches, how daily bars group into weeks, months,
 * quarters and years, and how minute bars group into longer intraday bars.
 *
 * @module
 */
import type { DayNumber } from "./clock.ts";

/** One bar. Times are market-local "YYYY-MM-DD HH:MM:SS". */
export interface Bar {
  time: string;
  /** Start instant of the bar (epoch ms). */
  startMs: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  turnover: number;
  /** Close of the bar before, when known. */
  lastClose?: number;
}

/** K-line periods the simulator serves, in SDK names. */
export type BarPeriod =
  | "K_1M"
  | "K_3M"
  | "K_5M"
  | "K_10M"
  | "K_15M"
  | "K_30M"
  | "K_60M"
  | "K_120M"
  | "K_180M"
  | "K_240M"
  | "K_DAY"
  | "K_WEEK"
  | "K_MON"
  | "K_QUARTER"
  | "K_YEAR";

/** Length in minutes of each intraday period. */
export const INTRADAY_MINUTES: Partial<Record<BarPeriod, number>> = {
  K_1M: 1,
  K_3M: 3,
  K_5M: 5,
  K_10M: 10,
  K_15M: 15,
  K_30M: 30,
  K_60M: 60,
  K_120M: 120,
  K_180M: 180,
  K_240M: 240,
};

/** How far back history goes. */
const MINUTE_HISTORY_DAYS = 730;
/** How far back daily and longer bars go. */
const DAILY_HISTORY_DAYS = 3653;

/** The earliest instant history reaches for a period (as of `asOfMs`, not before the listing). */
export function historyStart(listDate: string, period: BarPeriod, asOfMs: number): number {
  const days = INTRADAY_MINUTES[period] ? MINUTE_HISTORY_DAYS : DAILY_HISTORY_DAYS;
  const listed = Date.parse(`${listDate}T00:00:00Z`);
  return Math.max(listed, asOfMs - days * 86_400_000);
}

/** Groups minute bars by `size`, restarting at each session (so HK 60-minute bars end 10:30, 11:30, 12:00, 14:00…). */
export function groupMinutes(bars: Bar[], size: number): Bar[] {
  if (size === 1) return bars;
  const out: Bar[] = [];
  let group: Bar[] = [];
  const flush = () => {
    if (group.length === 0) return;
    const last = group[group.length - 1];
    out.push({
      time: last.time,
      startMs: group[0].startMs,
      open: group[0].open,
      high: Math.max(...group.map((b) => b.high)),
      low: Math.min(...group.map((b) => b.low)),
      close: last.close,
      volume: group.reduce((s, b) => s + b.volume, 0),
      turnover: group.reduce((s, b) => s + b.turnover, 0),
    });
    group = [];
  };
  for (const bar of bars) {
    const previous = group[group.length - 1];
    if (group.length === size || (previous && bar.startMs !== previous.startMs + 60_000)) flush();
    group.push(bar);
  }
  flush();
  return out;
}

/** Key of the period a day belongs to (daily and longer periods). */
export function periodKeyOf(period: BarPeriod): (day: DayNumber) => string {
  switch (period) {
    case "K_DAY":
      return (day) => String(day);
    case "K_WEEK":
      return (day) => String(Math.floor((day + 3) / 7));
    case "K_MON":
      return (day) => new Date(day * 86_400_000).toISOString().slice(0, 7);
    case "K_QUARTER":
      return (day) => {
        const d = new Date(day * 86_400_000);
        return `${d.getUTCFullYear()}Q${Math.floor(d.getUTCMonth() / 3)}`;
      };
    case "K_YEAR":
      return (day) => String(new Date(day * 86_400_000).getUTCFullYear());
    default:
      throw new Error(`${period} is not a daily-or-longer period`);
  }
}

/** First calendar day of the period containing `day`. */
export function periodStart(period: BarPeriod, day: DayNumber): DayNumber {
  const d = new Date(day * 86_400_000);
  switch (period) {
    case "K_WEEK":
      return day - ((((day + 3) % 7) + 7) % 7);
    case "K_MON":
      return Math.floor(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / 86_400_000);
    case "K_QUARTER":
      return Math.floor(Date.UTC(d.getUTCFullYear(), Math.floor(d.getUTCMonth() / 3) * 3, 1) / 86_400_000);
    case "K_YEAR":
      return Math.floor(Date.UTC(d.getUTCFullYear(), 0, 1) / 86_400_000);
    default:
      return day;
  }
}

/** A calendar span that surely holds the latest `count` bars of a period. */
export function lookbackMs(period: BarPeriod, count: number): number {
  const minutes = INTRADAY_MINUTES[period];
  let days: number;
  if (minutes) days = Math.ceil((count * minutes) / 240) * 1.6 + 7;
  else if (period === "K_DAY") days = count * 1.5 + 10;
  else if (period === "K_WEEK") days = count * 7 + 14;
  else if (period === "K_MON") days = count * 31 + 62;
  else if (period === "K_QUARTER") days = count * 92 + 92;
  else days = count * 366 + 366;
  return Math.ceil(days) * 86_400_000;
}
