/**
 * Parsing of the simulator's command-line options, shared by `futucli sim`
 * and `futu-mcp --gateway sim`.
 *
 * @module
 */
import { OffsetClock, type SimClock, systemClock } from "./clock.ts";

/** Builds the simulator clock from `--clock <time>` and `--clock-speed <x>`. */
export function simClockFrom(start: string | undefined, speed: string | number | undefined): SimClock {
  const rate = speed === undefined ? 1 : Number(speed);
  if (!(rate > 0) || !Number.isFinite(rate)) {
    throw new Error(`invalid --clock-speed ${speed}: expected a positive number`);
  }
  if (start === undefined) {
    return rate === 1 ? systemClock : new OffsetClock(Date.now(), rate);
  }
  const ms = Date.parse(start);
  if (Number.isNaN(ms)) {
    throw new Error(`invalid --clock ${JSON.stringify(start)}: expected an ISO time such as 2026-11-26T10:00:00+08:00`);
  }
  return new OffsetClock(ms, rate);
}

/** A demo time at which HK, SH and SZ are trading: Thursday 2026-11-26 10:30 in Hong Kong. */
export const DEMO_CLOCK_START = "2026-11-26T10:30:00+08:00";
