/**
 * The series of the simulated event contracts (private to src/sim): the
 * categories and tags, the teams, and the twelve series with their calendars
 * (when each occurrence opens and closes, US Eastern) and the shape of each
 * occurrence's event: its latent X (start x0, spread σ at the open), the
 * outcome intervals of X its contracts pay on, titles, the expiration value's
 * wording and a typical traded volume. See `event_contracts.ts`.
 *
 * @module
 */
import { Qot_Common_EC_Frequency, Qot_Common_EC_MilestoneType } from "../gateway/proto/messages.ts";
import { hashText, normalCdf, unit } from "./_event_contracts_math.ts";
import { dayOf, et, lastDayOfMonth, money, readable, secondSunday, weekday, ymd } from "./_event_contracts_calendar.ts";
import { MONTH_NAMES } from "./_macro_time.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A top-level category and its tags. */
export interface EcCategory {
  category: string;
  name: string;
  tags: readonly string[];
}

/** The categories, in display order. */
export const EC_CATEGORIES: readonly EcCategory[] = [
  { category: "ECONOMICS", name: "Economics", tags: ["INFLATION", "FED", "JOBS"] },
  { category: "POLITICS", name: "Politics", tags: ["ELECTIONS", "CONGRESS"] },
  { category: "SPORTS", name: "Sports", tags: ["FOOTBALL", "SOCCER", "BASKETBALL"] },
  { category: "CRYPTO", name: "Crypto", tags: ["BTC", "ETH"] },
  { category: "WEATHER", name: "Weather", tags: ["TEMPERATURE"] },
];

/** One occurrence of a series on the calendar. */
export interface Occurrence {
  /** US Eastern day number of the close (or of the kickoff for games). */
  day: number;
  slot: number;
  openMs: number;
  closeMs: number;
  /** Kickoff of a game (its milestone's start). */
  startMs?: number;
}

/** An outcome: the interval (lo, hi] of the event's latent X that makes it YES. */
export interface EcOutcome {
  suffix: string;
  label: string;
  lo: number;
  hi: number;
}

export interface EventShape {
  code: string;
  name: string;
  subName: string;
  x0: number;
  sigma: number;
  mutuallyExclusive: boolean;
  outcomes: EcOutcome[];
  /** How X(close) reads (the expiration value). */
  format(x: number): string;
  /** The contract's title. */
  title(outcome: EcOutcome): string;
  /** Typical lifetime volume of one contract. */
  volume: number;
}

/** A series. */
export interface EcSeries {
  code: string;
  name: string;
  category: string;
  tags: readonly string[];
  frequency: number;
  competition?: string;
  scope?: string;
  milestoneType?: number;
  canCloseEarly: boolean;
  /** Listed this far ahead of now. */
  horizonMs: number;
  /** Listed this far back (closed events included); a week when not set. */
  lookbackMs?: number;
  occurrencesOn(day: number): Occurrence[];
  shape(random: (n: number) => number, occurrence: Occurrence, stamp: string): EventShape;
}

/** Inverse of the normal distribution function, by bisection (for bucket boundaries). */
function normalQuantile(p: number): number {
  let lo = -8, hi = 8;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (normalCdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** A ladder of "above k" contracts. */
function ladder(strikes: number[], suffix: (k: number) => string, label: (k: number) => string): EcOutcome[] {
  return strikes.map((k) => ({ suffix: suffix(k), label: label(k), lo: k, hi: Infinity }));
}

/** Mutually exclusive buckets between boundaries (first from −∞, last to +∞). */
function buckets(bounds: number[], items: { suffix: string; label: string }[]): EcOutcome[] {
  return items.map((item, i) => ({
    ...item,
    lo: i === 0 ? -Infinity : bounds[i - 1],
    hi: i === bounds.length ? Infinity : bounds[i],
  }));
}

// ---- teams ----

const NFL = [
  ["KC", "Kansas City"],
  ["BUF", "Buffalo"],
  ["PHI", "Philadelphia"],
  ["SF", "San Francisco"],
  ["DAL", "Dallas"],
  ["BAL", "Baltimore"],
  ["DET", "Detroit"],
  ["MIA", "Miami"],
  ["CIN", "Cincinnati"],
  ["GB", "Green Bay"],
  ["LAR", "Los Angeles R"],
  ["PIT", "Pittsburgh"],
  ["SEA", "Seattle"],
  ["HOU", "Houston"],
  ["MIN", "Minnesota"],
  ["NYJ", "New York J"],
] as const;
const EPL = [
  ["ARS", "Arsenal"],
  ["MCI", "Manchester City"],
  ["LIV", "Liverpool"],
  ["CHE", "Chelsea"],
  ["TOT", "Tottenham"],
  ["MUN", "Manchester United"],
  ["NEW", "Newcastle"],
  ["AVL", "Aston Villa"],
  ["BHA", "Brighton"],
  ["WHU", "West Ham"],
] as const;
const NBA = [
  ["BOS", "Boston"],
  ["NYK", "New York"],
  ["MIL", "Milwaukee"],
  ["CLE", "Cleveland"],
  ["DEN", "Denver"],
  ["LAL", "Los Angeles L"],
  ["GSW", "Golden State"],
  ["PHX", "Phoenix"],
  ["DAL", "Dallas"],
  ["OKC", "Oklahoma City"],
] as const;

type Team = readonly [string, string];

/** `n` distinct teams for a day, drawn by a shuffle keyed by the series and day. */
function teamsOf(teams: readonly Team[], key: number, n: number): Team[] {
  const pool = [...teams];
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(unit(key, i) * (i + 1));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, n);
}

function game(
  teams: readonly Team[],
  seriesCode: string,
  slots: readonly [number, number][],
  durationMs: number,
  openBeforeMs: number,
): Pick<EcSeries, "occurrencesOn"> & { matchup(day: number, slot: number): [Team, Team] } {
  const key = hashText(seriesCode);
  return {
    matchup(day, slot) {
      const picked = teamsOf(teams, key ^ day, 2 * slots.length);
      return [picked[2 * slot], picked[2 * slot + 1]];
    },
    occurrencesOn(day) {
      return slots.map(([h, m], slot) => {
        const startMs = et(day, h, m);
        return { day, slot, startMs, openMs: startMs - openBeforeMs, closeMs: startMs + durationMs };
      });
    },
  };
}

const nfl = game(NFL, "KXNFLGAME", [[13, 0], [16, 25]], 3.5 * HOUR, 6 * DAY);
const epl = game(EPL, "KXEPLGAME", [[7, 30], [10, 0]], 2 * HOUR, 6 * DAY);
const nba = game(NBA, "KXNBAGAME", [[19, 30]], 3 * HOUR, 2 * DAY);

function gameShape(
  matchup: [Team, Team],
  competition: string,
  stamp: string,
  seriesCode: string,
  x0: number,
  sigma: number,
  tie: boolean,
  volume: number,
): EventShape {
  const [away, home] = matchup;
  const items = [{ suffix: away[0], label: away[1] }, ...(tie ? [{ suffix: "TIE", label: "Tie" }] : []), {
    suffix: home[0],
    label: home[1],
  }];
  return {
    code: `${seriesCode}-${stamp}${away[0]}${home[0]}`,
    name: `${away[1]} at ${home[1]}`,
    subName: `${competition} game`,
    x0,
    sigma,
    mutuallyExclusive: true,
    outcomes: buckets(tie ? [-0.5, 0.5] : [0], items),
    format: (x) => (tie && Math.abs(x) <= 0.5 ? "Tie" : x > (tie ? 0.5 : 0) ? home[1] : away[1]),
    title: (
      o,
    ) => (o.suffix === "TIE" ? `${away[1]} vs ${home[1]}: tie?` : `${away[1]} at ${home[1]}: ${o.label} wins?`),
    volume,
  };
}

/** The series, in display order. */
export const EC_SERIES: readonly EcSeries[] = [
  {
    code: "KXCPIYOY",
    name: "US CPI inflation, year over year",
    category: "ECONOMICS",
    tags: ["INFLATION"],
    frequency: Qot_Common_EC_Frequency.Monthly,
    canCloseEarly: false,
    horizonMs: 62 * DAY,
    lookbackMs: 62 * DAY,
    occurrencesOn(day) {
      const { y, m, d } = ymd(day);
      if (d !== 13) return [];
      return [{ day, slot: 0, openMs: et(dayOf(y, m - 1, 13), 8, 30), closeMs: et(day, 8, 30) }];
    },
    shape(random, occ, stamp) {
      const { y, m } = ymd(occ.day);
      const reported = m === 1 ? `${MONTH_NAMES[11]} ${y - 1}` : `${MONTH_NAMES[m - 2]} ${y}`;
      const center = Math.round((2.4 + 0.8 * random(1)) * 10) / 10;
      const strikes = [-3, -2, -1, 0, 1, 2, 3].map((i) => Math.round((center + i / 10) * 10) / 10);
      return {
        code: `KXCPIYOY-${stamp}`,
        name: `CPI inflation for ${reported}`,
        subName: `Year-over-year CPI, released ${MONTH_NAMES[m - 1].slice(0, 3)} 13 08:30 ET`,
        x0: center + (random(2) - 0.5) * 0.1,
        sigma: 0.25,
        mutuallyExclusive: false,
        outcomes: ladder(strikes, (k) => `T${k.toFixed(1)}`, (k) => `Above ${k.toFixed(1)}%`),
        format: (x) => `${x.toFixed(2)}%`,
        title: (o) => `CPI inflation for ${reported} above ${o.lo.toFixed(1)}%?`,
        volume: 300_000,
      };
    },
  },
  {
    code: "KXFEDDECISION",
    name: "Fed interest rate decision",
    category: "ECONOMICS",
    tags: ["FED"],
    frequency: Qot_Common_EC_Frequency.Custom,
    canCloseEarly: false,
    horizonMs: 100 * DAY,
    lookbackMs: 90 * DAY,
    occurrencesOn(day) {
      const anchor = dayOf(2026, 1, 28);
      if (((day - anchor) % 42 + 42) % 42 !== 0) return [];
      return [{ day, slot: 0, openMs: et(day - 42, 14), closeMs: et(day, 14) }];
    },
    shape(random, _occ, stamp) {
      return {
        code: `KXFEDDECISION-${stamp}`,
        name: "Fed decision on the federal funds target rate",
        subName: "FOMC statement, 14:00 ET",
        x0: -22 + 28 * random(1),
        sigma: 14,
        mutuallyExclusive: true,
        outcomes: buckets([-37.5, -12.5, 12.5], [
          { suffix: "C50", label: "Cut 50bp or more" },
          { suffix: "C25", label: "Cut 25bp" },
          { suffix: "H0", label: "Hold" },
          { suffix: "H25", label: "Hike 25bp or more" },
        ]),
        format: (
          x,
        ) => (x <= -37.5 ? "Cut 50bp or more" : x <= -12.5 ? "Cut 25bp" : x <= 12.5 ? "Hold" : "Hike 25bp or more"),
        title: (o) => `Fed decision: ${o.label}?`,
        volume: 1_500_000,
      };
    },
  },
  {
    code: "KXJOBLESS",
    name: "Initial jobless claims",
    category: "ECONOMICS",
    tags: ["JOBS"],
    frequency: Qot_Common_EC_Frequency.Weekly,
    canCloseEarly: false,
    horizonMs: 21 * DAY,
    lookbackMs: 15 * DAY,
    occurrencesOn(day) {
      return weekday(day) === 4 ? [{ day, slot: 0, openMs: et(day - 7, 8, 30), closeMs: et(day, 8, 30) }] : [];
    },
    shape(random, _occ, stamp) {
      const center = Math.round((215 + 25 * random(1)) / 5) * 5;
      return {
        code: `KXJOBLESS-${stamp}`,
        name: "Initial jobless claims this week",
        subName: "Department of Labor, Thursday 08:30 ET",
        x0: center + (random(2) - 0.5) * 4,
        sigma: 10,
        mutuallyExclusive: false,
        outcomes: ladder([-10, -5, 0, 5, 10].map((i) => center + i), (k) => `T${k}`, (k) => `Above ${k}K`),
        format: (x) => `${Math.round(x)}K`,
        title: (o) => `Initial jobless claims above ${o.lo}K?`,
        volume: 80_000,
      };
    },
  },
  {
    code: "KXPRESPARTY",
    name: "Presidential election winner (party)",
    category: "POLITICS",
    tags: ["ELECTIONS"],
    frequency: Qot_Common_EC_Frequency.OneOff,
    canCloseEarly: false,
    horizonMs: 10 * 365 * DAY,
    occurrencesOn(day) {
      return day === dayOf(2028, 11, 7)
        ? [{ day, slot: 0, openMs: et(dayOf(2025, 1, 20), 12), closeMs: et(day, 23) }]
        : [];
    },
    shape(random, _occ, stamp) {
      return {
        code: `KXPRESPARTY-${stamp}`,
        name: "2028 presidential election: winning party",
        subName: "Called on election night, 23:00 ET",
        x0: -2 + 4 * random(1),
        sigma: 5,
        mutuallyExclusive: true,
        outcomes: buckets([0], [{ suffix: "R", label: "Republican" }, { suffix: "D", label: "Democratic" }]),
        format: (x) => (x > 0 ? "Democratic" : "Republican"),
        title: (o) => `Will the ${o.label} party win the 2028 presidential election?`,
        volume: 12_000_000,
      };
    },
  },
  {
    code: "KXSHUTDOWN",
    name: "Government shutdown this month",
    category: "POLITICS",
    tags: ["CONGRESS"],
    frequency: Qot_Common_EC_Frequency.Monthly,
    canCloseEarly: true,
    horizonMs: 62 * DAY,
    lookbackMs: 62 * DAY,
    occurrencesOn(day) {
      const { y, m } = ymd(day);
      if (day !== lastDayOfMonth(y, m)) return [];
      return [{ day, slot: 0, openMs: et(lastDayOfMonth(y, m - 1), 23, 59), closeMs: et(day, 23, 59) }];
    },
    shape(random, occ, stamp) {
      const { y, m } = ymd(occ.day);
      return {
        code: `KXSHUTDOWN-${stamp}`,
        name: `Government shutdown in ${MONTH_NAMES[m - 1]} ${y}`,
        subName: "A lapse in appropriations before month end",
        x0: -1.3 + 0.8 * random(1),
        sigma: 0.9,
        mutuallyExclusive: false,
        outcomes: [{ suffix: "YES", label: "Shutdown", lo: 0, hi: Infinity }],
        format: (x) => (x > 0 ? "Shutdown" : "No shutdown"),
        title: () => `Will the federal government shut down in ${MONTH_NAMES[m - 1]} ${y}?`,
        volume: 150_000,
      };
    },
  },
  {
    code: "KXNFLGAME",
    name: "Pro Football game winner",
    category: "SPORTS",
    tags: ["FOOTBALL"],
    frequency: Qot_Common_EC_Frequency.Weekly,
    competition: "Pro Football",
    scope: "Game",
    milestoneType: Qot_Common_EC_MilestoneType.FootballGame,
    canCloseEarly: true,
    horizonMs: 14 * DAY,
    occurrencesOn: (day) => (weekday(day) === 0 ? nfl.occurrencesOn(day) : []),
    shape: (random, occ, stamp) =>
      gameShape(
        nfl.matchup(occ.day, occ.slot),
        "Pro Football",
        stamp,
        "KXNFLGAME",
        (random(1) - 0.45) * 12,
        13,
        false,
        400_000,
      ),
  },
  {
    code: "KXSB",
    name: "Pro Football champion",
    category: "SPORTS",
    tags: ["FOOTBALL"],
    frequency: Qot_Common_EC_Frequency.Annual,
    competition: "Pro Football",
    scope: "Future",
    canCloseEarly: false,
    horizonMs: 400 * DAY,
    lookbackMs: 400 * DAY,
    occurrencesOn(day) {
      const { y, m } = ymd(day);
      if (m !== 2 || day !== secondSunday(y, 2)) return [];
      return [{ day, slot: 0, openMs: et(secondSunday(y - 1, 2), 22), closeMs: et(day, 22) }];
    },
    shape(random, _occ, stamp) {
      const teams = teamsOf(NFL, hashText("KXSB") ^ Math.floor(random(9) * 1e9), 8);
      const weights = teams.map((_, i) => 0.4 + random(10 + i));
      const total = weights.reduce((a, b) => a + b, 0);
      let cumulative = 0;
      const bounds = weights.slice(0, -1).map((w) => normalQuantile((cumulative += w) / total));
      const outcomes = buckets(bounds, teams.map(([suffix, label]) => ({ suffix, label })));
      return {
        code: `KXSB-${stamp}`,
        name: "Pro Football champion",
        subName: "Championship game, second Sunday of February",
        x0: 0,
        sigma: 1,
        mutuallyExclusive: true,
        outcomes,
        format: (x) => outcomes.find((o) => x > o.lo && x <= o.hi)!.label,
        title: (o) => `Will ${o.label} win the Pro Football championship?`,
        volume: 2_000_000,
      };
    },
  },
  {
    code: "KXEPLGAME",
    name: "EPL game result",
    category: "SPORTS",
    tags: ["SOCCER"],
    frequency: Qot_Common_EC_Frequency.Weekly,
    competition: "EPL",
    scope: "Game",
    milestoneType: Qot_Common_EC_MilestoneType.SoccerTournamentMultiLeg,
    canCloseEarly: true,
    horizonMs: 14 * DAY,
    occurrencesOn: (day) => (weekday(day) === 6 ? epl.occurrencesOn(day) : []),
    shape: (random, occ, stamp) =>
      gameShape(epl.matchup(occ.day, occ.slot), "EPL", stamp, "KXEPLGAME", (random(1) - 0.4) * 1.6, 1.6, true, 200_000),
  },
  {
    code: "KXNBAGAME",
    name: "Pro Basketball game winner",
    category: "SPORTS",
    tags: ["BASKETBALL"],
    frequency: Qot_Common_EC_Frequency.Daily,
    competition: "Pro Basketball (M)",
    scope: "Game",
    milestoneType: Qot_Common_EC_MilestoneType.BasketballGame,
    canCloseEarly: true,
    horizonMs: 3 * DAY,
    lookbackMs: 3 * DAY,
    occurrencesOn: (day) => nba.occurrencesOn(day),
    shape: (random, occ, stamp) =>
      gameShape(
        nba.matchup(occ.day, occ.slot),
        "Pro Basketball (M)",
        stamp,
        "KXNBAGAME",
        (random(1) - 0.45) * 10,
        12,
        false,
        250_000,
      ),
  },
  cryptoSeries("KXBTCD", "Bitcoin", "BTC", 80_000, 40_000, 1000, 0.025, 600_000),
  cryptoSeries("KXETHD", "Ethereum", "ETH", 2_500, 2_000, 50, 0.035, 250_000),
  {
    code: "KXHIGHNY",
    name: "Highest temperature in New York City",
    category: "WEATHER",
    tags: ["TEMPERATURE"],
    frequency: Qot_Common_EC_Frequency.Daily,
    canCloseEarly: false,
    horizonMs: 2 * DAY,
    lookbackMs: 3 * DAY,
    occurrencesOn: (day) => [{ day, slot: 0, openMs: et(day - 1, 10), closeMs: et(day, 23, 59) }],
    shape(random, occ, stamp) {
      const start = dayOf(ymd(occ.day).y, 1, 1);
      const seasonal = 55 - 22 * Math.cos((2 * Math.PI * (occ.day - start - 20)) / 365.25);
      const c = Math.round(seasonal + (random(1) - 0.5) * 8);
      const items = [
        { suffix: `LE${c - 5}`, label: `${c - 5}° or below` },
        ...[-4, -2, 0, 2].map((i) => ({ suffix: `B${c + i}`, label: `${c + i}° to ${c + i + 1}°` })),
        { suffix: `GE${c + 4}`, label: `${c + 4}° or above` },
      ];
      return {
        code: `KXHIGHNY-${stamp}`,
        name: `Highest temperature in NYC on ${readable(occ.day)}`,
        subName: "Central Park, NWS daily climate report",
        x0: c + (random(2) - 0.5) * 2,
        sigma: 3.5,
        mutuallyExclusive: true,
        outcomes: buckets([c - 4.5, c - 2.5, c - 0.5, c + 1.5, c + 3.5], items),
        format: (x) => `${Math.round(x)}°F`,
        title: (o) => `NYC high temperature ${o.label}?`,
        volume: 30_000,
      };
    },
  },
];

function cryptoSeries(
  code: string,
  asset: string,
  tag: string,
  base: number,
  range: number,
  step: number,
  vol: number,
  volume: number,
): EcSeries {
  return {
    code,
    name: `${asset} price at 5 pm ET`,
    category: "CRYPTO",
    tags: [tag],
    frequency: Qot_Common_EC_Frequency.Daily,
    canCloseEarly: false,
    horizonMs: 1 * DAY,
    lookbackMs: 3 * DAY,
    occurrencesOn: (day) => [{ day, slot: 0, openMs: et(day - 1, 17), closeMs: et(day, 17) }],
    shape(random, occ, stamp) {
      const center = Math.round((base + range * random(1)) / step) * step;
      const date = readable(occ.day);
      return {
        code: `${code}-${stamp}17`,
        name: `${asset} price on ${date} at 5 pm ET`,
        subName: `${tag}/USD index at 17:00 ET`,
        x0: center + (random(2) - 0.5) * step,
        sigma: center * vol,
        mutuallyExclusive: false,
        outcomes: ladder(
          [-4, -3, -2, -1, 0, 1, 2, 3, 4].map((i) => center + i * step),
          (k) => `T${k}`,
          (k) => `Above ${money(k)}`,
        ),
        format: (x) => money(Math.round(x * 100) / 100),
        title: (o) => `${asset} above ${money(o.lo)} at 5 pm ET on ${date}?`,
        volume,
      };
    },
  };
}
