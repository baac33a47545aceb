/**
 * The simulator's clock and market calendar. Market data is a function of the
 * clock, so a fixed start time and seed reproduce the same session.
 *
 * Trading days are Monday to Friday in each market's time zone less the
 * exchange's holidays (`holidays.ts`); on a half day only the morning trades
 * (HK until 12:00, the US until 13:00, its after-hours until 17:00). This
 * file is the one place that decides whether and when a day trades. Regular
 * sessions (local time):
 *
 * | market | sessions | time zone |
 * |---|---|---|
 * | HK | 09:30–12:00, 13:00–16:00 (auction 09:00–09:20) | Asia/Hong_Kong |
 * | US | 09:30–16:00 (pre-market 04:00, after-hours until 20:00) | America/New_York |
 * | SH, SZ | 09:30–11:30, 13:00–15:00 (auction 09:15–09:25) | Asia/Shanghai |
 *
 * @example
 * ```ts
 * import { ManualClock, marketPhase } from "./clock.ts";
 * const clock = new ManualClock(Date.parse("2026-11-26T02:00:00Z")); // 10:00 in Hong Kong
 * marketPhase("HK", clock.now()).state; // "MORNING"
 * ```
 *
 * @module
 */
import { tradeDayType } from "./holidays.ts";

/** Source of simulated time, in epoch milliseconds. */
export interface SimClock {
  now(): number;
}

/** The machine's clock. */
export const systemClock: SimClock = { now: () => Date.now() };

/** Time that starts at `startMs` and runs `speed` times faster than real time. */
export class OffsetClock implements SimClock {
  readonly #startMs: number;
  readonly #realStart: number;
  readonly #speed: number;

  constructor(startMs: number, speed = 1) {
    if (!Number.isFinite(startMs)) throw new Error("clock start must be a valid time");
    if (!(speed > 0) || !Number.isFinite(speed)) throw new Error(`clock speed must be positive, got ${speed}`);
    this.#startMs = startMs;
    this.#speed = speed;
    this.#realStart = performance.now();
  }

  now(): number {
    return this.#startMs + (performance.now() - this.#realStart) * this.#speed;
  }
}

/** Time that moves only when told to: for tests. */
export class ManualClock implements SimClock {
  #now: number;

  constructor(startMs: number) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  /** Moves time forward. */
  advance(ms: number): void {
    if (ms < 0) throw new Error("a manual clock only moves forward");
    this.#now += ms;
  }

  /** Jumps to a time. */
  set(ms: number): void {
    this.#now = ms;
  }
}

/** Markets the simulator trades. */
export type SimMarket = "HK" | "US" | "SH" | "SZ";

interface MarketCalendar {
  timeZone: string;
  /** Regular sessions as [start, end) minutes after local midnight. */
  sessions: readonly [number, number][];
}

const HOUR = 60;
const CALENDARS: Record<SimMarket, MarketCalendar> = {
  HK: { timeZone: "Asia/Hong_Kong", sessions: [[9 * HOUR + 30, 12 * HOUR], [13 * HOUR, 16 * HOUR]] },
  US: { timeZone: "America/New_York", sessions: [[9 * HOUR + 30, 16 * HOUR]] },
  SH: { timeZone: "Asia/Shanghai", sessions: [[9 * HOUR + 30, 11 * HOUR + 30], [13 * HOUR, 15 * HOUR]] },
  SZ: { timeZone: "Asia/Shanghai", sessions: [[9 * HOUR + 30, 11 * HOUR + 30], [13 * HOUR, 15 * HOUR]] },
};

/** IANA time zone of a market. */
function timeZoneOf(market: SimMarket): string {
  return CALENDARS[market].timeZone;
}

/** End of the morning session on a half day, minutes after local midnight. */
const HALF_DAY_CLOSE: Record<SimMarket, number> = {
  HK: 12 * HOUR,
  US: 13 * HOUR,
  SH: 11 * HOUR + 30,
  SZ: 11 * HOUR + 30,
};

/** The sessions of a market on a local day in minutes after local midnight: none when it does not trade. */
export function sessionsOn(market: SimMarket, day: DayNumber): readonly [number, number][] {
  const type = tradeDayType(market, day);
  if (type === undefined) return [];
  const sessions = CALENDARS[market].sessions;
  if (type === "WHOLE") return sessions;
  return [[sessions[0][0], Math.min(sessions[0][1], HALF_DAY_CLOSE[market])]];
}

/** A calendar date, e.g. 2026-11-26, as days since 1970-01-01. */
export type DayNumber = number;

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

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

/** Local wall time parts of an instant in a time zone. */
export interface LocalTime {
  day: DayNumber;
  /** Minutes after local midnight (fractional). */
  minute: number;
  /** 0 Sunday … 6 Saturday. */
  weekday: number;
}

const offsetCache = new Map<string, number>();

/** UTC offset of an IANA time zone at an instant, in minutes (cached per hour). */
export function zoneOffsetMinutes(timeZone: string, utcMs: number): number {
  const hourKey = `${timeZone}|${Math.floor(utcMs / 3_600_000)}`;
  const cached = offsetCache.get(hourKey);
  if (cached !== undefined) return cached;
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(utcMs))) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  const offset = Math.round((asUtc - Math.floor(utcMs / 1000) * 1000) / 60_000);
  if (offsetCache.size > 10_000) offsetCache.clear();
  offsetCache.set(hourKey, offset);
  return offset;
}

/** Local date and time of an instant in a market. */
export function localTime(market: SimMarket, utcMs: number): LocalTime {
  const localMs = utcMs + zoneOffsetMinutes(timeZoneOf(market), utcMs) * 60_000;
  const day = Math.floor(localMs / DAY_MS);
  return { day, minute: (localMs - day * DAY_MS) / 60_000, weekday: (((day + 4) % 7) + 7) % 7 };
}

/** The instant of a local wall time in a market (DST-aware). */
export function utcOf(market: SimMarket, day: DayNumber, minute: number): number {
  return zonedUtcOf(timeZoneOf(market), day, minute);
}

/** The instant of a wall time (`minute` after midnight of `day`) in any IANA time zone (DST-aware). */
export function zonedUtcOf(timeZone: string, day: DayNumber, minute: number): number {
  const guess = day * DAY_MS + minute * 60_000;
  let utc = guess - zoneOffsetMinutes(timeZone, guess) * 60_000;
  utc = guess - zoneOffsetMinutes(timeZone, utc) * 60_000;
  return utc;
}

/** True when a market trades on a local day: a weekday that is not one of its exchange's holidays. */
export function isTradingDay(market: SimMarket, day: DayNumber): boolean {
  return tradeDayType(market, day) !== undefined;
}

/** The trading day of a market at or before `day`. */
export function tradingDayAtOrBefore(market: SimMarket, day: DayNumber): DayNumber {
  let d = day;
  while (!isTradingDay(market, d)) d--;
  return d;
}

/** The trading day of a market before `day`. */
export function previousTradingDay(market: SimMarket, day: DayNumber): DayNumber {
  return tradingDayAtOrBefore(market, day - 1);
}

/** "YYYY-MM-DD" of a day number. */
export function formatDay(day: DayNumber): string {
  let text = dayTexts.get(day);
  if (text === undefined) {
    text = new Date(day * DAY_MS).toISOString().slice(0, 10);
    if (dayTexts.size > 50_000) dayTexts.clear();
    dayTexts.set(day, text);
  }
  return text;
}

const dayTexts = new Map<DayNumber, string>();

/** Day number of "YYYY-MM-DD". */
function parseDay(text: string): DayNumber {
  const ms = Date.parse(`${text}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(ms)) throw new Error(`invalid date ${JSON.stringify(text)}`);
  return Math.floor(ms / DAY_MS);
}

/** "YYYY-MM-DD HH:MM:SS" of a local day and minute. */
export function formatLocal(day: DayNumber, minute: number): string {
  const totalSeconds = Math.floor(minute * 60 + 1e-6);
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  return `${formatDay(day)} ${pad(h)}:${pad(m)}:${pad(s)}`;
}

/** Market-local "YYYY-MM-DD HH:MM:SS.mmm" of an instant. */
export function formatInstant(market: SimMarket, utcMs: number): string {
  const { day, minute } = localTime(market, utcMs);
  const ms = Math.floor((utcMs % 1000 + 1000) % 1000);
  return `${formatLocal(day, minute)}.${String(ms).padStart(3, "0")}`;
}

/** Parses a market-local "YYYY-MM-DD[ HH:MM[:SS]]" into an instant. */
export function parseLocal(market: SimMarket, text: string): number {
  const match = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/.exec(text.trim());
  if (!match) throw new Error(`invalid time ${JSON.stringify(text)}: expected "YYYY-MM-DD HH:MM:SS"`);
  const day = parseDay(match[1]);
  const minute = Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0) + Number(match[4] ?? 0) / 60;
  return utcOf(market, day, minute);
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/** `QotMarketState` names the simulator reports. */
export type PhaseState =
  | "CLOSED"
  | "AUCTION"
  | "WAITING_OPEN"
  | "MORNING"
  | "REST"
  | "AFTERNOON"
  | "PRE_MARKET_BEGIN"
  | "AFTER_HOURS_BEGIN"
  | "AFTER_HOURS_END";

/** Where a market is in its day. */
export interface MarketPhase {
  state: PhaseState;
  /** True during continuous trading of the regular session. */
  trading: boolean;
  local: LocalTime;
}

/** The phase of a market at an instant. */
export function marketPhase(market: SimMarket, utcMs: number): MarketPhase {
  const local = localTime(market, utcMs);
  const m = local.minute;
  const phase = (state: PhaseState, trading = false): MarketPhase => ({ state, trading, local });
  const sessions = sessionsOn(market, local.day);
  if (sessions.length === 0) return phase("CLOSED");
  if (market === "US") {
    const [[open, close]] = sessions;
    // After-hours trading runs four hours past the close (until 17:00 on a half day).
    if (m >= 4 * HOUR && m < open) return phase("PRE_MARKET_BEGIN");
    if (m >= open && m < close) return phase("AFTERNOON", true);
    if (m >= close && m < close + 4 * HOUR) return phase("AFTER_HOURS_BEGIN");
    if (m >= close + 4 * HOUR) return phase("AFTER_HOURS_END");
    return phase("CLOSED");
  }
  const [[morningStart, morningEnd], [afternoonStart, afternoonEnd] = [morningEnd, morningEnd]] = sessions;
  const auctionStart = market === "HK" ? 9 * HOUR : 9 * HOUR + 15;
  const auctionEnd = market === "HK" ? 9 * HOUR + 20 : 9 * HOUR + 25;
  if (m >= auctionStart && m < auctionEnd) return phase("AUCTION");
  if (m >= auctionEnd && m < morningStart) return phase("WAITING_OPEN");
  if (m >= morningStart && m < morningEnd) return phase("MORNING", true);
  if (m >= morningEnd && m < afternoonStart) return phase("REST");
  if (m >= afternoonStart && m < afternoonEnd) return phase("AFTERNOON", true);
  return phase("CLOSED");
}
