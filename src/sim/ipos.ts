/**
 * The simulated new-listing calendar: two IPOs a week in each of HK, the US
 * and the A-share market (listing on the first trading day from Tuesday and
 * from Thursday), drawn from fixed name pools by hash of (seed, week, slot),
 * so a seed and clock always give the same list. The list holds the IPOs
 * that have not listed yet (today's included), over the next three weeks.
 *
 * The dates around a listing follow each market's practice, counted in the
 * market's trading days (holidays skipped): HK subscriptions close three
 * trading days before listing and the offer price is fixed the day after;
 * A-share subscription is eight trading days before listing and the lottery
 * result two days after it, when the winning numbers are published.
 *
 * @module
 */
import { type DayNumber, isTradingDay, localTime, type SimMarket } from "./clock.ts";
import { hash32 } from "./_price_model.ts";

/** The HK-specific terms. */
export interface HkIpoTerms {
  priceMin: number;
  priceMax: number;
  /** Final offer price; 0 until it is fixed. */
  listPrice: number;
  lotSize: number;
  /** Cash for one lot at the top of the range, with brokerage and levies. */
  entrancePrice: number;
  /** True while subscriptions are open. */
  subscribing: boolean;
  applyEndDay: DayNumber;
}

/** The US-specific terms. */
export interface UsIpoTerms {
  priceMin: number;
  priceMax: number;
  issueSize: number;
}

/** The A-share-specific terms. */
export interface CnIpoTerms {
  applyCode: string;
  issueSize: number;
  onlineIssueSize: number;
  /** Most shares one account may apply for. */
  applyUpperLimit: number;
  /** Market value (CNY) an account needs to apply for the upper limit. */
  applyLimitMarketValue: number;
  /** True until the issue price is fixed (the day before subscription). */
  estimatedPrice: boolean;
  ipoPrice: number;
  industryPeRate: number;
  issuePeRate: number;
  /** Percent (0.03 = 0.03 %). */
  winningRatio: number;
  /** True until the lottery result is out. */
  estimatedWinningRatio: boolean;
  applyDay: DayNumber;
  winningDay: DayNumber;
  hasWon: boolean;
  winningNumbers: { name: string; info: string }[];
}

/** One upcoming listing. */
export interface SimIpo {
  market: SimMarket;
  code: string;
  name: string;
  listDay: DayNumber;
  hk?: HkIpoTerms;
  us?: UsIpoTerms;
  cn?: CnIpoTerms;
}

/** IPO markets: the A-share list covers SH and SZ together. */
export type IpoMarket = "HK" | "US" | "CN";

const HK_NAMES = [
  "SKYLINE ROBOTICS",
  "HARBOUR BIOTECH-B",
  "JADE LOGISTICS",
  "LOTUS CONSUMER",
  "PEARL RIVER ENERGY",
  "KOWLOON AI-W",
  "VICTORIA HEALTH",
  "PEAK SEMICON",
];
const US_NAMES: [string, string][] = [
  ["CBLT", "Cobalt Analytics Inc."],
  ["NWTX", "Northwind Therapeutics Inc."],
  ["HLXQ", "Helix Quantum Corp."],
  ["MRDP", "Meridian Payments Inc."],
  ["SMMT", "Summit Foods Holdings Inc."],
  ["ARBC", "Arbor Cloud Inc."],
  ["RDWF", "Redwood Fusion Corp."],
  ["LMNO", "Lumen Orbital Inc."],
];
const CN_NAMES = ["华芯科技", "瑞康医药", "东方储能", "中科精工", "海川新材", "天启智能", "金陵汽配", "云帆数据"];

/** How many weeks ahead the list reaches: at most eight listings, so the name pools do not repeat. */
const WEEKS_AHEAD = 3;
/** Listing weekdays of the two weekly slots (Tuesday, Thursday). */
const SLOT_WEEKDAYS = [2, 4];
const MARKET_SALT: Record<IpoMarket, number> = { HK: 11, US: 12, CN: 13 };

/** The trading day `n` trading days after (n > 0) or before (n < 0) `day`. */
function shiftTradingDays(market: SimMarket, day: DayNumber, n: number): DayNumber {
  let d = day;
  for (let left = Math.abs(n); left > 0;) {
    d += Math.sign(n);
    if (isTradingDay(market, d)) left--;
  }
  return d;
}

function atOrAfterTradingDay(market: SimMarket, day: DayNumber): DayNumber {
  let d = day;
  while (!isTradingDay(market, d)) d++;
  return d;
}

/** Uniform [0, 1) for a slot and a field. */
function draw(seed: number, week: number, slot: number, field: number): number {
  return hash32(seed ^ 0x1b0, week, slot, field) / 4_294_967_296;
}

function round(value: number, step: number): number {
  return Math.round(Math.round(value / step) * step * 1e6) / 1e6;
}

/** The IPOs of a market not yet listed at `nowMs`, by listing date. */
export function upcomingIpos(seed: number, market: IpoMarket, nowMs: number): SimIpo[] {
  const calendarMarket: SimMarket = market === "CN" ? "SH" : market;
  const today = localTime(calendarMarket, nowMs).day;
  const week = Math.floor((today + 3) / 7);
  const out: SimIpo[] = [];
  for (let w = week - 1; w <= week + WEEKS_AHEAD; w++) {
    const monday = w * 7 - 3;
    SLOT_WEEKDAYS.forEach((weekday, i) => {
      const slot = MARKET_SALT[market] * 10 + i;
      const listDay = atOrAfterTradingDay(calendarMarket, monday + weekday - 1);
      if (listDay < today || listDay > today + WEEKS_AHEAD * 7) return;
      out.push(makeIpo(seed, market, { week: w, slot, nameIndex: w * 2 + i }, listDay, today));
    });
  }
  return out.sort((a, b) => a.listDay - b.listDay || a.code.localeCompare(b.code));
}

interface Slot {
  week: number;
  slot: number;
  /** Names rotate through the pools, one per slot. */
  nameIndex: number;
}

function makeIpo(seed: number, market: IpoMarket, at: Slot, listDay: DayNumber, today: DayNumber): SimIpo {
  const u = (field: number) => draw(seed, at.week, at.slot, field);
  const named = <T>(pool: readonly T[]) => pool[((at.nameIndex % pool.length) + pool.length) % pool.length];
  if (market === "HK") {
    const priceMin = round(3 + u(2) * 60, 0.05);
    const priceMax = round(priceMin * (1.05 + u(3) * 0.2), 0.05);
    const lots = [100, 200, 250, 400, 500, 1000, 2000];
    const lotSize = lots[Math.floor(u(1) * lots.length)];
    const applyEndDay = shiftTradingDays("HK", listDay, -3);
    const priced = today > applyEndDay;
    return {
      market: "HK",
      code: String(2000 + Math.floor(u(4) * 7000)).padStart(5, "0"),
      name: named(HK_NAMES),
      listDay,
      hk: {
        priceMin,
        priceMax,
        listPrice: priced ? round(priceMin + (priceMax - priceMin) * u(5), 0.05) : 0,
        lotSize,
        // One lot at the top of the range plus 1 % brokerage, the SFC and AFRC levies and the trading fee.
        entrancePrice: Math.round(priceMax * lotSize * 1.0100850 * 100) / 100,
        subscribing: !priced,
        applyEndDay,
      },
    };
  }
  if (market === "US") {
    const [code, name] = named(US_NAMES);
    const priceMin = Math.round(8 + u(2) * 22);
    return {
      market: "US",
      code,
      name,
      listDay,
      us: { priceMin, priceMax: priceMin + 2, issueSize: (5 + Math.floor(u(3) * 25)) * 1_000_000 },
    };
  }
  const sh = u(6) < 0.5;
  const star = u(7) < 0.4;
  const serial = String(Math.floor(u(4) * 1000)).padStart(3, "0");
  const code = sh ? (star ? `688${serial}` : `603${serial}`) : (star ? `301${serial}` : `001${serial}`);
  const issueSize = (20 + Math.floor(u(3) * 80)) * 1_000_000;
  const onlineIssueSize = Math.round(issueSize * 0.25 / 500) * 500;
  const applyUpperLimit = Math.max(500, Math.floor(onlineIssueSize / 1000 / 500) * 500);
  const applyDay = shiftTradingDays("SH", listDay, -8);
  const winningDay = shiftTradingDays("SH", applyDay, 2);
  const hasWon = today >= winningDay;
  const issuePeRate = round(12 + u(8) * 30, 0.01);
  const winningRatio = round(0.02 + u(9) * 0.06, 0.0001);
  return {
    market: sh ? "SH" : "SZ",
    code,
    name: named(CN_NAMES),
    listDay,
    cn: {
      applyCode: sh ? (star ? `787${serial}` : `732${serial}`) : code,
      issueSize,
      onlineIssueSize,
      applyUpperLimit,
      // 10 000 CNY of holdings entitle an account to apply for 1 000 shares (SH) or 500 shares (SZ).
      applyLimitMarketValue: applyUpperLimit * (sh ? 10 : 20),
      estimatedPrice: today < shiftTradingDays("SH", applyDay, -1),
      ipoPrice: round(8 + u(10) * 40, 0.01),
      industryPeRate: round(issuePeRate * (1.1 + u(11) * 0.6), 0.01),
      issuePeRate,
      winningRatio,
      estimatedWinningRatio: !hasWon,
      applyDay,
      winningDay,
      hasWon,
      winningNumbers: hasWon
        ? [
          { name: '末"四"位数', info: `${1000 + Math.floor(u(12) * 9000)},${1000 + Math.floor(u(13) * 9000)}` },
          { name: '末"五"位数', info: String(10_000 + Math.floor(u(14) * 90_000)) },
        ]
        : [],
    },
  };
}
