/**
 * The simulated Federal Reserve: FOMC meetings, the federal funds target
 * range they set, what the market prices for the coming meetings (FedWatch)
 * and the participants' projections (the dot plot).
 *
 * Modelled, not copied from history: meetings follow the Fed's usual
 * pattern (eight a year, the decision at 14:00 New York time on the
 * Wednesday of the meeting: the last Wednesday of January, April, July and
 * October, the third of March, June and September, the second of December).
 * From 5.25%–5.50% at the January 2024 meeting, each meeting holds, cuts or
 * hikes by 25 bp, drawn from the sim seed with odds that pull the rate
 * towards a 3% neutral level, so the path is a pure function of the seed.
 * FedWatch prices each upcoming meeting around the range the path will
 * reach there (the market is mostly right), wider the further out; each
 * meeting's probabilities are in hundredths of a percent and add up to
 * exactly 100. The dot plot is the one of the last meeting with projections
 * (March, June, September, December) at or before now: 19 dots a year for
 * that year and the next two (three from the September meeting on), their
 * median the path's year-end midpoint give or take an eighth, the dots
 * spreading wider for later years. The macro indicator "Fed funds target
 * rate", the economic calendar's rate decisions and the news all read this
 * path.
 *
 * @module
 */
import { SeededRandom } from "./seeded_random.ts";
import { nthWeekday, zonedUtc } from "./_macro_time.ts";

/** One FOMC meeting. */
export interface FomcMeeting {
  /** The decision day, "YYYY-MM-DD" (New York). */
  date: string;
  /** The decision instant (14:00 New York). */
  decisionMs: number;
  /** Whether the meeting publishes projections (the dot plot). */
  projections: boolean;
}

/** A target range in percent, e.g. 4.25–4.50. */
export interface TargetRange {
  lower: number;
  upper: number;
}

/** The meeting months and which Wednesday of the month decides (-1: the last). */
const MEETINGS: readonly { month: number; nth: number }[] = [
  { month: 1, nth: -1 },
  { month: 3, nth: 3 },
  { month: 4, nth: -1 },
  { month: 6, nth: 3 },
  { month: 7, nth: -1 },
  { month: 9, nth: 3 },
  { month: 10, nth: -1 },
  { month: 12, nth: 2 },
];
const PROJECTION_MONTHS = new Set([3, 6, 9, 12]);
const FIRST_YEAR = 2024;
const START_LOWER = 5.25;
const NEUTRAL = 3;
const STEP = 0.25;
const PARTICIPANTS = 19;

/** The meetings of a year, in date order. */
export function meetingsOf(year: number): FomcMeeting[] {
  return MEETINGS.map(({ month, nth }) => {
    const date = nthWeekday(year, month, 3, nth);
    return { date, decisionMs: zonedUtc("America/New_York", date, 14 * 60), projections: PROJECTION_MONTHS.has(month) };
  });
}

const paths = new Map<number, number[]>();

/** The lower bound the path reaches at meeting number `index` (0: January 2024). */
function lowerAt(seed: number, index: number): number {
  let path = paths.get(seed);
  if (!path) {
    path = [START_LOWER];
    paths.set(seed, path);
  }
  while (path.length <= index) {
    const before = path[path.length - 1];
    const gap = before - NEUTRAL;
    const random = new SeededRandom(seed, "fomc", path.length);
    const pCut = Math.min(0.55, Math.max(0.04, 0.18 + 0.14 * gap));
    const pHike = Math.min(0.4, Math.max(0.03, 0.08 - 0.1 * gap));
    const u = random.next();
    const move = u < pCut ? -STEP : u < pCut + pHike ? STEP : 0;
    path.push(Math.max(0, before + move));
  }
  return path[index];
}

function rangeOf(lower: number): TargetRange {
  return { lower, upper: lower + STEP };
}

/** "4.25% ~ 4.50%" */
export function rangeText(range: TargetRange): string {
  return `${range.lower.toFixed(2)}% ~ ${range.upper.toFixed(2)}%`;
}

/** Every meeting from January 2024 to the end of `lastYear`, with its number on the path. */
function meetingsThrough(lastYear: number): (FomcMeeting & { index: number })[] {
  const out: (FomcMeeting & { index: number })[] = [];
  for (let year = FIRST_YEAR; year <= lastYear; year++) {
    for (const meeting of meetingsOf(year)) out.push({ ...meeting, index: out.length });
  }
  return out;
}

/** A meeting with the target range it decided (or will decide). */
export interface FomcDecision extends FomcMeeting {
  range: TargetRange;
  previous: TargetRange;
}

/** The decisions of the meetings from January 2024 through `lastYear` (future ones included: the path is known). */
export function fomcDecisions(seed: number, lastYear: number): FomcDecision[] {
  return meetingsThrough(lastYear).map((m) => ({
    date: m.date,
    decisionMs: m.decisionMs,
    projections: m.projections,
    range: rangeOf(lowerAt(seed, m.index)),
    previous: rangeOf(lowerAt(seed, Math.max(0, m.index - 1))),
  }));
}

function yearOf(ms: number): number {
  return new Date(ms).getUTCFullYear();
}

/** The target range in force at `ms`: the last decision at or before it. */
export function targetRangeAt(seed: number, ms: number): TargetRange {
  const decided = fomcDecisions(seed, yearOf(ms)).filter((d) => d.decisionMs <= ms);
  return decided.at(-1)?.range ?? rangeOf(START_LOWER);
}

/** One meeting's market-implied distribution: ranges from low to high, probabilities in percent summing to 100. */
export interface MeetingOdds {
  date: string;
  odds: { range: TargetRange; probability: number }[];
}

/** The FedWatch odds of the next `count` meetings after `ms`. */
export function fedWatchOdds(seed: number, ms: number, count = 8): MeetingOdds[] {
  const upcoming = fomcDecisions(seed, yearOf(ms) + 2).filter((d) => d.decisionMs > ms).slice(0, count);
  return upcoming.map((meeting, i) => {
    const random = new SeededRandom(seed, "fedwatch", meeting.date, Math.floor(ms / 86_400_000));
    // Spread in 25 bp steps: tight for the next meeting, wider further out; the centre leans a little.
    const sigma = 0.3 + 0.28 * i;
    const lean = (random.next() - 0.5) * 0.5 * Math.min(1, i / 2 + 0.3);
    const weights: { lower: number; weight: number }[] = [];
    for (let k = -6; k <= 6; k++) {
      const lower = meeting.range.lower + k * STEP;
      if (lower < 0) continue;
      weights.push({ lower, weight: Math.exp(-((k - lean) ** 2) / (2 * sigma * sigma)) });
    }
    const total = weights.reduce((s, w) => s + w.weight, 0);
    // In hundredths of a percent; what rounds below 0.01% is left out; the largest takes the rounding rest.
    const kept = weights
      .map((w) => ({ lower: w.lower, bp: Math.round((w.weight / total) * 10_000) }))
      .filter((w) => w.bp > 0);
    const rest = 10_000 - kept.reduce((s, w) => s + w.bp, 0);
    const largest = kept.reduce((best, w) => (w.bp > best.bp ? w : best), kept[0]);
    largest.bp += rest;
    return {
      date: meeting.date,
      odds: kept.map((w) => ({ range: rangeOf(w.lower), probability: w.bp / 100 })),
    };
  });
}

/** One year of the dot plot: dots by rate (low to high) and the median. */
export interface DotPlotYear {
  year: number;
  dots: { rate: number; votes: number; median: boolean }[];
  median: number;
}

/** The dot plot published at or before `ms`: its meeting and years. */
export function dotPlot(seed: number, ms: number): { meeting: string; years: DotPlotYear[] } {
  const decisions = fomcDecisions(seed, yearOf(ms) + 4);
  const published = decisions.filter((d) => d.projections && d.decisionMs <= ms).at(-1) ?? decisions[1];
  const year = Number(published.date.slice(0, 4));
  const horizon = Number(published.date.slice(5, 7)) >= 9 ? 3 : 2;
  const random = new SeededRandom(seed, "dotplot", published.date);
  const years: DotPlotYear[] = [];
  for (let y = year; y <= year + horizon; y++) {
    const yearEnd = decisions.filter((d) => Number(d.date.slice(0, 4)) === y).at(-1)!;
    const mid = yearEnd.range.lower + STEP / 2;
    const median = Math.max(0.125, eighth(mid + (random.int(-1, 1) * 0.125)));
    const spread = y - year;
    const rates = [median];
    for (let i = 0; i < (PARTICIPANTS - 1) / 2; i++) {
      rates.push(Math.max(0.125, median - STEP * random.int(0, 1 + spread)));
      rates.push(median + STEP * random.int(0, 1 + spread));
    }
    const votes = new Map<number, number>();
    for (const rate of rates) votes.set(rate, (votes.get(rate) ?? 0) + 1);
    const dots = [...votes.entries()].sort((a, b) => a[0] - b[0])
      .map(([rate, count]) => ({ rate, votes: count, median: rate === median }));
    years.push({ year: y, dots, median });
  }
  return { meeting: published.date, years };
}

function eighth(rate: number): number {
  return Math.round(rate * 8) / 8;
}
