/**
 * What the simulator reports about an option or a warrant at the clock's now,
 * computed once for every message that carries it (basic quote, snapshot,
 * option chain filters, warrant lists): Black–Scholes value and Greeks from
 * the underlying's simulated price, premium, break-even, leverage, open
 * interest, street figures and status.
 *
 * @module
 */
import { securityIndex, type SimSecurity } from "./catalog.ts";
import { localTime } from "./clock.ts";
import type { MarketData } from "./market.ts";
import { daysToExpiry, openInterest } from "./option_chains.ts";
import { hash32, type OptionValue } from "./_price_model.ts";

/** The volatility the price model prices every warrant at. */
export const WARRANT_VOLATILITY = 0.35;

/** An option's figures at an instant. */
export interface OptionMetrics {
  price: number;
  spot: number;
  value: OptionValue;
  /** Percent. */
  impliedVolatility: number;
  /** Percent: how far the underlying must move to break even at expiry. */
  premium: number;
  openInterest: number;
  /** HK options: net open interest (long minus short of the market's customers). */
  netOpenInterest?: number;
  daysToExpiry: number;
  contractSize: number;
}

/** An option's figures now. */
export function optionMetrics(market: MarketData, option: SimSecurity): OptionMetrics {
  const now = market.clock.now();
  const spot = market.currentPrice(market.underlyingOf(option));
  const price = market.priceAt(option, now);
  const value = market.derivativeValue(option, spot, now);
  const strike = option.strike!;
  const call = option.callPut === "CALL";
  const breakEven = call ? strike + price : strike - price;
  const oi = openInterest(market.seed, securityIndex(option), option, spot, now);
  const net = option.market === "HK"
    ? Math.round(oi * (hash32(market.seed, securityIndex(option) | 0, 0x2e7, 1) / 4_294_967_296 - 0.5))
    : undefined;
  return {
    price,
    spot,
    value,
    impliedVolatility: round3(option.volatility * 100),
    premium: round3((call ? breakEven - spot : spot - breakEven) / spot * 100),
    openInterest: oi,
    netOpenInterest: net,
    daysToExpiry: daysToExpiry(localTime(option.market, now).day, option.expiry!),
    contractSize: option.contractSize ?? 100,
  };
}

/** `Qot_Common.WarrantStatus` names the simulator uses. */
export type WarrantStatusName = "NORMAL" | "STOP_TRADE" | "PENDING_LISTING";

/** A warrant's figures at an instant. */
export interface WarrantMetrics {
  price: number;
  spot: number;
  value: OptionValue;
  /** Percent. */
  premium: number;
  breakEven: number;
  leverage: number;
  effectiveLeverage: number;
  /** Percent in (+) or out of (−) the money. */
  inOutMoney: number;
  /** CBBCs: percent from the underlying to the call price. */
  priceRecoveryRatio?: number;
  streetRate: number;
  streetVol: number;
  lastTradeDate: string;
  status: WarrantStatusName;
  /** 0–100: cheap leverage scores high, a large premium low. */
  score: number;
}

/** HK warrants stop trading four trading days before expiry; the simulator counts calendar weekdays. */
function lastTradeDateOf(expiry: string): string {
  let day = Math.round(Date.parse(`${expiry}T00:00:00Z`) / 86_400_000);
  for (let n = 0; n < 4;) {
    day--;
    const weekday = (((day + 4) % 7) + 7) % 7;
    if (weekday >= 1 && weekday <= 5) n++;
  }
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/** A warrant's figures now. */
export function warrantMetrics(market: MarketData, warrant: SimSecurity): WarrantMetrics {
  const now = market.clock.now();
  const spot = market.currentPrice(market.underlyingOf(warrant));
  const price = market.priceAt(warrant, now);
  const value = market.derivativeValue(warrant, spot, now);
  const ratio = warrant.conversionRatio ?? 1;
  const strike = warrant.strike!;
  const up = warrant.callPut === "CALL";
  const breakEven = up ? strike + price * ratio : strike - price * ratio;
  const leverage = spot / (price * ratio);
  const today = localTime("HK", now).day;
  const lastTradeDate = lastTradeDateOf(warrant.expiry!);
  const recovery = warrant.recoveryPrice;
  const called = recovery !== undefined && (up ? spot <= recovery : spot >= recovery);
  const todayIso = new Date(today * 86_400_000).toISOString().slice(0, 10);
  const status: WarrantStatusName = todayIso < warrant.listDate
    ? "PENDING_LISTING"
    : called || todayIso > lastTradeDate
    ? "STOP_TRADE"
    : "NORMAL";
  const streetRate = round3(2 + 58 * hash32(market.seed, securityIndex(warrant), today, 0x57e) / 4_294_967_296);
  const premium = round3((up ? breakEven - spot : spot - breakEven) / spot * 100);
  const effectiveLeverage = leverage * Math.abs(value.delta);
  return {
    price,
    spot,
    value,
    premium,
    breakEven: round3(breakEven),
    leverage: round3(leverage),
    effectiveLeverage: round3(effectiveLeverage),
    inOutMoney: round3((up ? spot - strike : strike - spot) / strike * 100),
    priceRecoveryRatio: recovery === undefined
      ? undefined
      : round3((up ? spot - recovery : recovery - spot) / recovery * 100),
    streetRate,
    streetVol: Math.round((warrant.issueSize ?? 0) * streetRate / 100),
    lastTradeDate,
    status,
    score: round3(Math.max(0, Math.min(100, 40 + 12 * Math.log(Math.max(1, effectiveLeverage)) - Math.abs(premium)))),
  };
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
