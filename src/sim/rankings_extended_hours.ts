/**
 * US extended-hours trading of the simulated stocks: pre-market (04:00–09:30
 * New York time), after hours (the close to four hours after it) and
 * overnight (20:00 the evening before a trading day to 04:00 on it). The
 * price model (`market.ts`) has regular sessions only, so these prices are
 * derived, deterministically, from the regular session: each session starts
 * at the close it moves against (the previous trading day's close for the
 * pre-market and overnight sessions, the day's own close after hours) and
 * walks in five-minute steps (log-normal, at 60% of the stock's regular
 * volatility, a pure function of seed, stock, session and day), rounded to
 * the price step; each step trades 2–10 typical prints. A session reports its
 * latest state: the one in progress, else the last one that ran.
 *
 * @module
 */
import { type SimSecurity } from "./catalog.ts";
import { type DayNumber, isTradingDay, localTime, previousTradingDay, sessionsOn, utcOf } from "./clock.ts";
import { SeededRandom } from "./seeded_random.ts";
import type { MarketData } from "./market.ts";
import { roundToTick } from "./ticks.ts";
import { round } from "./_handler_common.ts";
import { changeFrom } from "./rankings.ts";

/** A US extended-hours session. */
export type ExtendedSession = "PRE_MARKET" | "AFTER_HOURS" | "OVERNIGHT";

/** A stock's state in an extended-hours session. */
export interface ExtendedQuote {
  /** The trading day the session belongs to (overnight: the day it leads into). */
  day: DayNumber;
  /** The close the session moves against. */
  base: number;
  price: number;
  /** Percent against `base`. */
  changeRatio: number;
  changeAmount: number;
  volume: number;
  turnover: number;
}

const STEP_MINUTES = 5;
const STEP_MS = STEP_MINUTES * 60_000;

/** The session's window [start, end) in UTC ms and its trading day, the latest that has started by `now`. */
function windowOf(session: ExtendedSession, now: number): { day: DayNumber; start: number; end: number } {
  const today = localTime("US", now).day;
  for (let day = today + 1; day > today - 15; day--) {
    if (!isTradingDay("US", day)) continue;
    const [[open, close]] = sessionsOn("US", day);
    const window = session === "PRE_MARKET"
      ? { start: utcOf("US", day, 4 * 60), end: utcOf("US", day, open) }
      : session === "AFTER_HOURS"
      ? { start: utcOf("US", day, close), end: utcOf("US", day, close + 4 * 60) }
      : { start: utcOf("US", day - 1, 20 * 60), end: utcOf("US", day, 4 * 60) };
    if (window.start <= now) return { day, ...window };
  }
  throw new Error("no US trading day in the last two weeks");
}

/** The close of a complete trading day (as traded: the daily K-line's close). */
function closeOf(market: MarketData, security: SimSecurity, day: DayNumber): number {
  const midnight = utcOf("US", day, 0);
  const [bar] = market.bars(security, "K_DAY", midnight, midnight, 1, { rehab: "NONE" });
  return bar?.close ?? market.previousClose(security, market.clock.now());
}

function normal(random: SeededRandom): number {
  const u = Math.max(random.next(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.next());
}

/** A US stock's latest (or running) extended-hours session at the clock's now. */
export function extendedQuote(market: MarketData, security: SimSecurity, session: ExtendedSession): ExtendedQuote {
  const now = market.clock.now();
  const { day, start, end } = windowOf(session, now);
  const base = session === "AFTER_HOURS"
    ? closeOf(market, security, day)
    : closeOf(market, security, previousTradingDay("US", day));
  const elapsed = Math.max(0, Math.min(now, end) - start);
  const steps = Math.floor(elapsed / STEP_MS);
  const random = new SeededRandom(market.seed, "extended", security.symbol, session, day);
  const sigma = security.volatility * Math.sqrt(STEP_MINUTES / (252 * 390)) * 0.6;
  let log = 0;
  let price = base;
  let volume = 0;
  let turnover = 0;
  for (let k = 0; k < steps; k++) {
    log += sigma * normal(random);
    price = roundToTick(security, base * Math.exp(log));
    const size = Math.round(security.tradeSize * (2 + 8 * random.next()));
    volume += size;
    turnover += size * price;
  }
  return {
    day,
    base,
    price,
    ...changeFrom(price, base),
    volume,
    turnover: round(turnover, 2),
  };
}
