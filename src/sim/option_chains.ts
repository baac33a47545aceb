/**
 * The simulated option chains: which contracts exist on an underlying, coded
 * the way OpenD codes them (`AAPL270115C250000`: root, expiry YYMMDD, C/P,
 * strike × 1000), and which of them are listed at an instant. Nothing is
 * hand-listed: a contract is a pure function of its underlying's chain terms
 * and its code, so any code of the grid resolves in every quote call.
 *
 * Expiries follow the exchanges' rules on the simulator's trading calendar:
 * US monthlies on the third Friday (Thursday when that Friday is a holiday),
 * US weeklies on the other Fridays; HK stock options on the second-to-last
 * trading day of the month. Strikes lie on the chain's step (every positive
 * multiple of it resolves). An expiry lists, as exchanges do, the strikes
 * within ±25 % of the underlying's previous close on the day it is listed, and
 * from each later trading day on adds those within ±25 % of that day's
 * previous close, so a strike once listed stays listed until the expiry
 * (`chainStrikes`). The closes are the simulated market's, so the chain is a
 * pure function of (seed, underlying, day). `listedStrikes` gives the strikes
 * within ±25 % of one price: around the previous close, the near-the-money
 * strikes every listed expiry lists.
 *
 * @module
 */
import type { SimSecurity } from "./catalog.ts";
import {
  type DayNumber,
  isTradingDay,
  localTime,
  previousTradingDay,
  sessionsOn,
  type SimMarket,
  tradingDayAtOrBefore,
  utcOf,
} from "./clock.ts";
import type { MarketData } from "./market.ts";
import { hash32 } from "./_price_model.ts";

/** The option terms of an underlying that has a chain. */
export interface ChainTerms {
  /** The code root of its options: "AAPL", or HKATS' "TCH" for Tencent. */
  root: string;
  /** Shares per contract. */
  contractSize: number;
  /** Distance between strikes. */
  strikeStep: number;
  /** Weekly expiries besides the monthlies (US). */
  weeklies: boolean;
}

/** How a listed expiry recurs (`Qot_Common.ExpirationCycle`). */
export type ExpiryCycle = "WEEK" | "MONTH";

/** A listed expiry. */
export interface Expiry {
  day: DayNumber;
  /** "YYYY-MM-DD". */
  date: string;
  cycle: ExpiryCycle;
}

/** Expiries of the generated grid exist from this year to the last. */
const FIRST_YEAR = 2024;
const LAST_YEAR = 2030;
/** How far ahead each cycle is listed. */
const LISTED_MONTHLIES = { US: 8, HK: 6 } as const;
const LISTED_WEEKLY_DAYS = 35;
/** Log-moneyness beyond which the smile is flat. */
const MAX_SMILE_MONEYNESS = 0.35;
/** Strikes resolve up to this many steps (contract numbers leave room for them). */
const MAX_STRIKE_STEPS = 4_999;
/** A chain lists the strikes this far either side of the reference price. */
const LISTED_REACH = 0.25;
/** Catalog numbers per expiry day: two per strike step. */
const NUMBERS_PER_DAY = 2 * (MAX_STRIKE_STEPS + 1);

const CODE = /^([A-Z]{1,6})(\d{2})(\d{2})(\d{2})([CP])(\d{1,9})$/;

function dayOf(year: number, month: number, date: number): DayNumber {
  return Math.floor(Date.UTC(year, month - 1, date) / 86_400_000);
}

function isoOf(day: DayNumber): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/** Weekday of a day number, 0 = Sunday. */
function weekday(day: DayNumber): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** The monthly expiry of a market in a month. */
function monthlyExpiry(market: SimMarket, year: number, month: number): DayNumber {
  if (market === "US") {
    const first = dayOf(year, month, 1);
    const thirdFriday = first + ((5 - weekday(first) + 7) % 7) + 14;
    return tradingDayAtOrBefore(market, thirdFriday);
  }
  const last = tradingDayAtOrBefore(market, dayOf(year, month + 1, 1) - 1);
  return tradingDayAtOrBefore(market, last - 1);
}

/** The listed expiries of an underlying on a local day, soonest first. */
export function listedExpiries(underlying: SimSecurity, today: DayNumber): Expiry[] {
  const terms = underlying.chain;
  if (!terms) return [];
  const market = underlying.market;
  const out: Expiry[] = [];
  const date = new Date(today * 86_400_000);
  let year = date.getUTCFullYear();
  let month = date.getUTCMonth() + 1;
  const monthlies = new Set<DayNumber>();
  const wanted = market === "US" ? LISTED_MONTHLIES.US : LISTED_MONTHLIES.HK;
  while (monthlies.size < wanted && year <= LAST_YEAR) {
    const day = monthlyExpiry(market, year, month);
    if (day >= today) monthlies.add(day);
    month++;
    if (month > 12) [year, month] = [year + 1, 1];
  }
  for (const day of monthlies) out.push({ day, date: isoOf(day), cycle: "MONTH" });
  if (terms.weeklies) {
    for (let day = today; day <= today + LISTED_WEEKLY_DAYS; day++) {
      if (weekday(day) !== 5) continue;
      const expiry = tradingDayAtOrBefore(market, day);
      if (expiry < today || monthlies.has(expiry) || isMonthly(market, expiry)) continue;
      out.push({ day: expiry, date: isoOf(expiry), cycle: "WEEK" });
    }
  }
  return out.filter((e) => new Date(e.day * 86_400_000).getUTCFullYear() <= LAST_YEAR).sort((a, b) => a.day - b.day);
}

function isMonthly(market: SimMarket, day: DayNumber): boolean {
  const date = new Date(day * 86_400_000);
  return monthlyExpiry(market, date.getUTCFullYear(), date.getUTCMonth() + 1) === day;
}

/** Whether a day is an expiry of the grid (monthly, or weekly where the chain has weeklies). */
function isExpiry(underlying: SimSecurity, day: DayNumber): ExpiryCycle | undefined {
  const year = new Date(day * 86_400_000).getUTCFullYear();
  if (year < FIRST_YEAR || year > LAST_YEAR || !isTradingDay(underlying.market, day)) return undefined;
  if (isMonthly(underlying.market, day)) return "MONTH";
  if (!underlying.chain?.weeklies) return undefined;
  // A weekly expires on its Friday, or the trading day before when that Friday is a holiday.
  for (let friday = day; friday <= day + 4; friday++) {
    if (weekday(friday) === 5) return tradingDayAtOrBefore(underlying.market, friday) === day ? "WEEK" : undefined;
  }
  return undefined;
}

/** The steps (strike ÷ step) of the strikes within ±25 % of `low` … `high`, lowest first. */
function stepsAround(step: number, low: number, high: number): [number, number] {
  const first = Math.max(1, Math.ceil(low * (1 - LISTED_REACH) / step - 1e-9));
  const last = Math.min(MAX_STRIKE_STEPS, Math.floor(high * (1 + LISTED_REACH) / step + 1e-9));
  return [first, last];
}

function strikesOfSteps(step: number, [first, last]: [number, number]): number[] {
  const out: number[] = [];
  for (let k = first; k <= last; k++) out.push(Math.round(k * step * 1000) / 1000);
  return out;
}

/**
 * The strikes within ±25 % of a reference price, lowest first. Around the
 * underlying's previous close these are the near-the-money strikes every
 * listed expiry lists (`chainStrikes` lists each expiry's wings besides).
 */
export function listedStrikes(underlying: SimSecurity, reference: number): number[] {
  const terms = underlying.chain;
  if (!terms || !(reference > 0)) return [];
  return strikesOfSteps(terms.strikeStep, stepsAround(terms.strikeStep, reference, reference));
}

/** The local day an expiry is first listed on (`listedExpiries`' rules). */
export function listingDay(underlying: SimSecurity, expiry: Expiry): DayNumber {
  const market = underlying.market;
  if (expiry.cycle === "WEEK") {
    let friday = expiry.day;
    while (weekday(friday) !== 5) friday++;
    return friday - LISTED_WEEKLY_DAYS;
  }
  const date = new Date(expiry.day * 86_400_000);
  const ahead = market === "US" ? LISTED_MONTHLIES.US : LISTED_MONTHLIES.HK;
  const months = date.getUTCFullYear() * 12 + date.getUTCMonth() - ahead;
  return monthlyExpiry(market, Math.floor(months / 12), (months % 12) + 1) + 1;
}

/** Per market data: an underlying's daily closes by day, and listed strike ranges by (expiry, day). */
const CLOSES = new WeakMap<MarketData, Map<string, Map<DayNumber, number>>>();
const RANGES = new WeakMap<MarketData, Map<string, [number, number]>>();

/** The close of a trading day as the market reports it (the price at the end of its last session). */
function closeOf(market: MarketData, underlying: SimSecurity, day: DayNumber): number {
  let bySymbol = CLOSES.get(market);
  if (!bySymbol) CLOSES.set(market, bySymbol = new Map());
  let closes = bySymbol.get(underlying.symbol);
  if (!closes) bySymbol.set(underlying.symbol, closes = new Map());
  let close = closes.get(day);
  if (close === undefined) {
    const end = sessionsOn(underlying.market, day).at(-1)![1];
    close = market.priceAt(underlying, utcOf(underlying.market, day, end));
    if (closes.size > 20_000) closes.clear();
    closes.set(day, close);
  }
  return close;
}

/**
 * The strikes an expiry lists on local day `today`, lowest first: those
 * within ±25 % of the previous close of every trading day from its listing
 * day to today (none before it is listed or after it expires). A strike
 * listed once stays listed until the expiry; today's strikes contain
 * `listedStrikes` of the previous close.
 */
export function chainStrikes(market: MarketData, underlying: SimSecurity, expiry: Expiry, today: DayNumber): number[] {
  const terms = underlying.chain;
  const listed = listingDay(underlying, expiry);
  if (!terms || today < listed || today > expiry.day) return [];
  const key = `${underlying.symbol}|${expiry.day}|${today}`;
  let ranges = RANGES.get(market);
  if (!ranges) RANGES.set(market, ranges = new Map());
  let range = ranges.get(key);
  if (!range) {
    let low = Infinity;
    let high = -Infinity;
    for (let day = previousTradingDay(underlying.market, today);; day = previousTradingDay(underlying.market, day)) {
      const close = closeOf(market, underlying, day);
      if (close < low) low = close;
      if (close > high) high = close;
      // The close before the listing day is the first one the expiry's strikes are listed around.
      if (day < listed) break;
    }
    range = stepsAround(terms.strikeStep, low, high);
    if (ranges.size > 5_000) ranges.clear();
    ranges.set(key, range);
  }
  return strikesOfSteps(terms.strikeStep, range);
}

/** OpenD's code of a contract: root, YYMMDD, C or P, strike × 1000. */
export function optionCode(root: string, expiry: DayNumber, callPut: "CALL" | "PUT", strike: number): string {
  const ymd = isoOf(expiry).slice(2).replaceAll("-", "");
  return `${root}${ymd}${callPut === "CALL" ? "C" : "P"}${Math.round(strike * 1000)}`;
}

/** A deterministic, unique catalog number for a generated contract. */
function contractNumber(chainNumber: number, expiry: DayNumber, strikeSteps: number, callPut: "CALL" | "PUT"): number {
  return 1_000_000_000 + chainNumber * 40_000_000 + (expiry - dayOf(FIRST_YEAR, 1, 1)) * NUMBERS_PER_DAY +
    strikeSteps * 2 + (callPut === "CALL" ? 0 : 1);
}

/**
 * The contract a code names on one of `underlyings`' chains, or undefined when
 * the code is not on a grid. `number` is its catalog number (see `securityIndex`).
 */
export function contractOf(
  market: SimMarket,
  code: string,
  underlyings: readonly SimSecurity[],
): { security: SimSecurity; number: number } | undefined {
  const match = CODE.exec(code);
  if (!match) return undefined;
  const [, root, yy, mm, dd, cp, strikeText] = match;
  const chainNumber = underlyings.findIndex((u) => u.market === market && u.chain?.root === root);
  if (chainNumber < 0) return undefined;
  const underlying = underlyings[chainNumber];
  const expiry = dayOf(2000 + Number(yy), Number(mm), Number(dd));
  if (isoOf(expiry) !== `20${yy}-${mm}-${dd}`) return undefined;
  const cycle = isExpiry(underlying, expiry);
  if (!cycle) return undefined;
  const strike = Number(strikeText) / 1000;
  const terms = underlying.chain!;
  const steps = Math.round(strike / terms.strikeStep);
  if (steps < 1 || steps > MAX_STRIKE_STEPS || Math.round(steps * terms.strikeStep * 1000) !== Number(strikeText)) {
    return undefined;
  }
  const callPut = cp === "C" ? "CALL" : "PUT";
  const expiryDate = isoOf(expiry);
  // A mild smile: wings trade richer than the money, puts richer than calls. It is a property of the
  // contract (the same for every seed), measured from the catalog's base price, and flat beyond ±35 %
  // log-moneyness as far wings are, so a chain listed after the price has drifted far from that base
  // (TSLA's, ~2× its base at the test clocks) keeps a plausible level instead of a runaway wing.
  const moneyness = Math.max(
    -MAX_SMILE_MONEYNESS,
    Math.min(MAX_SMILE_MONEYNESS, Math.log(strike / underlying.basePrice)),
  );
  const volatility = Math.round(underlying.volatility * (1 + 1.2 * moneyness * moneyness - 0.15 * moneyness) * 10_000) /
    10_000;
  const listDays = cycle === "WEEK" ? 35 : new Date(expiry * 86_400_000).getUTCMonth() === 0 ? 800 : 280;
  const security: SimSecurity = {
    symbol: `${market}.${code}`,
    market,
    code,
    name: `${root} ${expiryDate.slice(2).replaceAll("-", "")} ${strike.toFixed(2)}${cp}`,
    kind: "option",
    lotSize: 1,
    basePrice: 0,
    volatility,
    tradeSize: market === "US" ? 8 : 5,
    listDate: isoOf(expiry - listDays),
    underlying: underlying.symbol,
    callPut,
    strike,
    expiry: expiryDate,
    contractSize: terms.contractSize,
    expiryCycle: cycle,
  };
  return { security, number: contractNumber(chainNumber, expiry, steps, callPut) };
}

/** The contracts of one listed expiry around a reference price, by strike: the call and the put. */
export function contractsAt(
  underlying: SimSecurity,
  expiry: Expiry,
  reference: number,
  resolve: (code: string) => SimSecurity | undefined,
): { strike: number; call: SimSecurity; put: SimSecurity }[] {
  return pairsOf(underlying, expiry, listedStrikes(underlying, reference), resolve);
}

/** The contracts an expiry's chain lists on local day `today` (`chainStrikes`), by strike: the call and the put. */
export function chainContracts(
  market: MarketData,
  underlying: SimSecurity,
  expiry: Expiry,
  today: DayNumber,
  resolve: (code: string) => SimSecurity | undefined,
): { strike: number; call: SimSecurity; put: SimSecurity }[] {
  return pairsOf(underlying, expiry, chainStrikes(market, underlying, expiry, today), resolve);
}

function pairsOf(
  underlying: SimSecurity,
  expiry: Expiry,
  strikes: number[],
  resolve: (code: string) => SimSecurity | undefined,
): { strike: number; call: SimSecurity; put: SimSecurity }[] {
  const root = underlying.chain?.root;
  if (!root) return [];
  return strikes.map((strike) => ({
    strike,
    call: resolve(optionCode(root, expiry.day, "CALL", strike))!,
    put: resolve(optionCode(root, expiry.day, "PUT", strike))!,
  }));
}

/**
 * Open interest of a contract on a trading day: largest at the money and in the
 * near expiries, drawn per (seed, contract, day).
 */
export function openInterest(
  seed: number,
  contractNumber: number,
  option: SimSecurity,
  spot: number,
  ms: number,
): number {
  const day = localTime(option.market, ms).day;
  const moneyness = Math.log(option.strike! / spot);
  const weight = Math.exp(-(moneyness * moneyness) / (2 * 0.08 * 0.08));
  const u = hash32(seed, contractNumber | 0, day, 0x0e1) / 4_294_967_296;
  const scale = option.market === "US" ? 40_000 : 6_000;
  return Math.round(scale * (0.05 + weight) * (0.6 + 0.8 * u));
}

/** Days from a local day to an expiry date, negative once expired. */
export function daysToExpiry(today: DayNumber, expiry: string): number {
  return Math.round(Date.parse(`${expiry}T00:00:00Z`) / 86_400_000) - today;
}
