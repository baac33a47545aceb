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
 * trading day of the month. Strikes lie on a fixed grid around the
 * underlying's base price (±60 %, the chain's step); a chain lists those
 * within ±25 % of the underlying's previous close, as exchanges list strikes
 * around the price.
 *
 * @module
 */
import type { SimSecurity } from "./catalog.ts";
import { type DayNumber, isTradingDay, localTime, type SimMarket, tradingDayAtOrBefore } from "./clock.ts";
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
/** The grid reaches this far either side of the base price. */
const GRID_REACH = 0.6;
/** A chain lists the strikes this far either side of the reference price. */
const LISTED_REACH = 0.25;

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

/** The strikes of an underlying's grid, lowest first. */
function strikesOf(underlying: SimSecurity): number[] {
  const terms = underlying.chain;
  if (!terms) return [];
  const step = terms.strikeStep;
  const centre = Math.round(underlying.basePrice / step) * step;
  const reach = Math.ceil(GRID_REACH * underlying.basePrice / step);
  const out: number[] = [];
  for (let k = -reach; k <= reach; k++) {
    const strike = Math.round((centre + k * step) * 1000) / 1000;
    if (strike > 0) out.push(strike);
  }
  return out;
}

/** The strikes a chain lists around a reference price (the underlying's previous close), lowest first. */
export function listedStrikes(underlying: SimSecurity, reference: number): number[] {
  return strikesOf(underlying).filter((k) => Math.abs(k / reference - 1) <= LISTED_REACH);
}

/** OpenD's code of a contract: root, YYMMDD, C or P, strike × 1000. */
export function optionCode(root: string, expiry: DayNumber, callPut: "CALL" | "PUT", strike: number): string {
  const ymd = isoOf(expiry).slice(2).replaceAll("-", "");
  return `${root}${ymd}${callPut === "CALL" ? "C" : "P"}${Math.round(strike * 1000)}`;
}

/** A deterministic, unique catalog number for a generated contract. */
function contractNumber(chainNumber: number, expiry: DayNumber, strikeIndex: number, callPut: "CALL" | "PUT"): number {
  return 1_000_000_000 + chainNumber * 50_000_000 + (expiry - dayOf(FIRST_YEAR, 1, 1)) * 1000 + strikeIndex * 2 +
    (callPut === "CALL" ? 0 : 1);
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
  const strikes = strikesOf(underlying);
  const strikeIndex = strikes.indexOf(strike);
  if (strikeIndex < 0) return undefined;
  const callPut = cp === "C" ? "CALL" : "PUT";
  const terms = underlying.chain!;
  const expiryDate = isoOf(expiry);
  const moneyness = Math.log(strike / underlying.basePrice);
  // A mild smile: wings trade richer than the money, puts richer than calls.
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
  return { security, number: contractNumber(chainNumber, expiry, strikeIndex, callPut) };
}

/** The contracts of one listed expiry around a reference price, by strike: the call and the put. */
export function contractsAt(
  underlying: SimSecurity,
  expiry: Expiry,
  reference: number,
  resolve: (code: string) => SimSecurity | undefined,
): { strike: number; call: SimSecurity; put: SimSecurity }[] {
  const root = underlying.chain?.root;
  if (!root) return [];
  return listedStrikes(underlying, reference).map((strike) => ({
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
