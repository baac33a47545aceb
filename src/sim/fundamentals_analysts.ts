/**
 * The sell-side coverage of the simulated stocks (generated, but one book
 * every analyst reply reads, so they agree): sixteen fictional institutions
 * with two analysts each; per seed and stock, about two thirds of them cover
 * it, each through one analyst, from a coverage start on. Every 25–110 days
 * the analyst rates the stock Buy, Hold or Sell (a sticky random walk) with a
 * target price set against the simulated traded price of that day: Buy
 * 8–35 % above, Hold −5–10 %, Sell 5–30 % below. The sequences run on a
 * fixed calendar, so moving the clock only reveals more of them.
 *
 * The consensus is the latest rating of each institution over the last three
 * months (counts, shares and target range from exactly those ratings);
 * outside the US, a Buy with a target ≥ 25 % above the price of its day
 * counts as Strong Buy and a Sell with one less than 12 % below as
 * Underperform. Rating changes are consecutive ratings of one institution
 * that differ (upgrades, downgrades) and coverage starts (new ratings).
 *
 * @module
 */
import { DAY_MS, dayOf, FIRST_NAMES, LAST_NAMES, localDay, randomOf } from "./_fundamentals_common.ts";
import type { SimSecurity } from "./catalog.ts";
import { formatDay, utcOf } from "./clock.ts";
import type { MarketData } from "./market.ts";
import { round } from "./_handler_common.ts";

/** A rating as the book keeps it (Qot_Common.ResearchRatingType numbers). */
export const SELL = 1;
export const HOLD = 3;
export const BUY = 4;
const LEVELS = [SELL, HOLD, BUY] as const;

export const INSTITUTIONS = [
  "Meridian Securities",
  "Harbour Capital Markets",
  "Summit Equity Research",
  "Granite Street Partners",
  "Lotus Securities",
  "Crescent Bay Capital",
  "Sterling Hill Research",
  "Kestrel Securities",
  "Horizon Point Securities",
  "Northgate Capital",
  "Bluewater Research",
  "Ironwood Partners",
  "Silverline Markets",
  "Cedar & Finch",
  "Aurora Equity",
  "Tidewater Advisors",
] as const;

/** A research house. */
export interface Institution {
  uid: string;
  name: string;
  index: number;
}

/** An analyst of one house. */
export interface Analyst {
  uid: string;
  name: string;
  institution: Institution;
  /** Success rate over all coverage, percent. */
  successRate: number;
  /** Excess return over the market, percent. */
  excessReturn: number;
  stars: number;
}

/** One rating of one stock. */
export interface Rating {
  analyst: Analyst;
  level: number;
  /** Target over the price of the day, minus 1. */
  upside: number;
  /** The target price (NaN until {@link priced}). */
  targetPrice: number;
  /** The traded price the target was set against (NaN until {@link priced}). */
  priceThen: number;
  /** Market-local day, "YYYY-MM-DD". */
  date: string;
}

/** One house's coverage of one stock: its ratings, oldest first. */
export interface Coverage {
  institution: Institution;
  analyst: Analyst;
  ratings: Rating[];
}

/** The last day the rating sequences are laid out to. */
const HORIZON = dayOf("2030-12-31");
const FIRST = dayOf("2016-01-04");

function institutionOf(index: number): Institution {
  return { uid: String(10_000 + index * 37), name: INSTITUTIONS[index], index };
}

function analystOf(seed: number, institution: Institution, k: number): Analyst {
  const random = randomOf(seed, "analyst", institution.index, k);
  const successRate = random.real(40, 76, 2);
  return {
    uid: String(500_000 + institution.index * 10 + k),
    name: `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`,
    institution,
    successRate,
    excessReturn: random.real(-5, 15, 2),
    stars: Math.min(5, Math.max(0, Math.round(((successRate - 40) / 7) * 2) / 2)),
  };
}

/** Every analyst of the book. */
export function allAnalysts(seed: number): Analyst[] {
  return INSTITUTIONS.flatMap((_, i) => [0, 1].map((k) => analystOf(seed, institutionOf(i), k)));
}

const bookCache = new Map<string, Coverage[]>();

/** The full coverage of a stock (every rating to the book's horizon; callers cut at today). */
function fullCoverage(seed: number, security: SimSecurity): Coverage[] {
  const key = `${seed}|${security.symbol}`;
  const known = bookCache.get(key);
  if (known) return known;
  const stockBias = randomOf(seed, security.symbol, "bias").real(0.35, 0.7, 3);
  const out: Coverage[] = [];
  INSTITUTIONS.forEach((_, i) => {
    const random = randomOf(seed, security.symbol, "coverage", i);
    if (random.next() > 0.66) return;
    const institution = institutionOf(i);
    const analyst = analystOf(seed, institution, random.int(0, 1));
    let day = random.next() < 0.7 ? FIRST + random.int(0, 60) : dayOf("2019-01-01") + random.int(0, 2850);
    let level = random.next() < stockBias ? BUY : random.next() < 0.75 ? HOLD : SELL;
    const ratings: Rating[] = [];
    while (day <= HORIZON) {
      const move = random.next();
      if (ratings.length > 0 && move > 0.7) {
        const at = LEVELS.indexOf(level as typeof LEVELS[number]);
        const up = move > 0.7 + 0.3 * (1 - stockBias);
        level = LEVELS[Math.max(0, Math.min(2, at + (up ? 1 : -1)))];
      }
      const upside = level === BUY
        ? random.real(0.08, 0.35, 4)
        : level === HOLD
        ? random.real(-0.05, 0.1, 4)
        : random.real(-0.3, -0.05, 4);
      ratings.push({ analyst, level, upside, targetPrice: NaN, priceThen: NaN, date: formatDay(day) });
      day += random.int(25, 110);
    }
    out.push({ institution, analyst, ratings });
  });
  if (bookCache.size > 500) bookCache.clear();
  bookCache.set(key, out);
  return out;
}

/** Sets a rating's target from the traded price at the end of its day, or now for today's (once). */
export function priced(market: MarketData, security: SimSecurity, rating: Rating): Rating {
  if (!Number.isNaN(rating.priceThen)) return rating;
  const endOfDay = utcOf(security.market, dayOf(rating.date), 23 * 60);
  const now = market.clock.now();
  const priceThen = market.priceAt(security, Math.min(now, endOfDay));
  const done = { priceThen, targetPrice: round(priceThen * (1 + rating.upside), 2) };
  // A rating of a day still running is priced afresh each time (the book is shared by every sim of a seed).
  return endOfDay > now ? { ...rating, ...done } : Object.assign(rating, done);
}

/** The coverage of a stock as of `nowMs`: houses with at least one rating by then, ratings newest first (the latest priced). */
export function coverageOf(seed: number, market: MarketData, security: SimSecurity, nowMs: number): Coverage[] {
  const today = formatDay(localDay(security.market, nowMs));
  return fullCoverage(seed, security)
    .map((c) => ({ ...c, ratings: c.ratings.filter((r) => r.date <= today).reverse() }))
    .filter((c) => c.ratings.length > 0)
    .map((c) => ({ ...c, ratings: [priced(market, security, c.ratings[0]), ...c.ratings.slice(1)] }))
    .sort((a, b) => b.ratings[0].date.localeCompare(a.ratings[0].date) || a.institution.index - b.institution.index);
}

/** Consensus counts over the last three months, by Qot_Common.ResearchRatingType number. */
export interface Consensus {
  counts: Record<number, number>;
  total: number;
  ratings: Rating[];
}

/** The latest rating of each house within 90 days of today, with the five-level counts. */
export function consensusOf(
  seed: number,
  market: MarketData,
  security: SimSecurity,
  nowMs: number,
): Consensus {
  const since = formatDay(localDay(security.market, nowMs) - 90);
  const ratings = coverageOf(seed, market, security, nowMs).map((c) => c.ratings[0]).filter((r) => r.date >= since);
  const counts: Record<number, number> = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 };
  for (const r of ratings) {
    let level = r.level;
    if (security.market !== "US" && level === BUY && r.upside >= 0.25) level = 5;
    if (security.market !== "US" && level === SELL && r.upside > -0.12) level = 2;
    counts[level]++;
  }
  return { counts, total: ratings.length, ratings };
}

/** A rating change of a stock (for Qot_GetRatingChange). */
export interface RatingChange {
  security: SimSecurity;
  institution: Institution;
  rating: Rating;
  previous?: Rating;
  /** 1 upgrade, 2 downgrade, 3 new rating. */
  changeType: number;
}

/** The rating changes of a stock dated within `days` of today, newest first. */
export function ratingChangesOf(
  seed: number,
  market: MarketData,
  security: SimSecurity,
  nowMs: number,
  days: number,
): RatingChange[] {
  const since = formatDay(localDay(security.market, nowMs) - days);
  const out: RatingChange[] = [];
  for (const c of coverageOf(seed, market, security, nowMs)) {
    c.ratings.forEach((rating, i) => {
      if (rating.date < since) return;
      const previous = c.ratings[i + 1];
      const changeType = !previous ? 3 : rating.level > previous.level ? 1 : rating.level < previous.level ? 2 : 0;
      if (changeType === 0) return;
      out.push({
        security,
        institution: c.institution,
        rating: priced(market, security, rating),
        previous: previous && priced(market, security, previous),
        changeType,
      });
    });
  }
  return out;
}

/** How an analyst's past calls on a stock did, a year on (or to today): success rate and mean return, percent. */
export function trackRecord(
  market: MarketData,
  security: SimSecurity,
  coverage: Coverage,
  nowMs: number,
): { successRate: number; avgReturn: number } | undefined {
  const cutoff = nowMs - 90 * DAY_MS;
  const calls = coverage.ratings.slice(0, 12).filter((r) => utcOf(security.market, dayOf(r.date), 0) <= cutoff);
  if (calls.length === 0) return undefined;
  let wins = 0;
  let sum = 0;
  for (const call of calls) {
    const r = priced(market, security, call);
    const thenMs = utcOf(security.market, dayOf(r.date), 23 * 60);
    const later = market.priceAt(security, Math.min(nowMs, thenMs + 365 * DAY_MS));
    const ret = later / r.priceThen - 1;
    const signed = r.level === SELL ? -ret : ret;
    if (r.level === HOLD ? Math.abs(ret) < 0.1 : signed > 0) wins++;
    sum += signed;
  }
  return { successRate: round((wins / calls.length) * 100, 2), avgReturn: round((sum / calls.length) * 100, 2) };
}
