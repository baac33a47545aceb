/**
 * Option contracts as the options analytics replies show them (private to
 * src/sim): one contract's figures at now — its simulated price, session
 * (open, high, low, volume and turnover of its own trade prints), order
 * book, IV and greeks from `optionMetrics`, exactly what its basic quote and
 * snapshot report — and the contract universe the rankings and screeners
 * scan: each underlying's contracts on its nearest listed expiries. A
 * contract's session sums its minute prints, which costs a few milliseconds,
 * so figures are cached per simulated minute.
 *
 * @module
 */
import { securityByCode, securityIndex, type SimSecurity } from "./catalog.ts";
import { localTime, previousTradingDay, utcOf } from "./clock.ts";
import { type OptionMetrics, optionMetrics } from "./derivative_metrics.ts";
import type { MarketData } from "./market.ts";
import { contractsAt, listedExpiries, openInterest } from "./option_chains.ts";
import { exerciseProbability } from "./options_analytics.ts";
import { round } from "./_handler_common.ts";

/** How many of an underlying's nearest expiries the rankings and screeners scan. */
export const UNIVERSE_EXPIRIES = 2;

/** One contract's figures at now. */
export interface ContractFigures {
  option: SimSecurity;
  underlying: SimSecurity;
  metrics: OptionMetrics;
  previousClose: number;
  /** Percent. */
  changeRate: number;
  bid: number;
  ask: number;
  bidVolume: number;
  askVolume: number;
  /** The previous trading day's open interest. */
  previousOpenInterest: number;
  /** Percent, N(d2) / N(−d2). */
  exerciseProbability: number;
}

/** A contract's session so far (its own prints). */
export interface ContractSession {
  open: number;
  high: number;
  low: number;
  volume: number;
  turnover: number;
}

const FIGURES = new WeakMap<MarketData, Map<string, ContractFigures>>();
const SESSIONS = new WeakMap<MarketData, Map<string, ContractSession>>();

function cacheOf<T>(store: WeakMap<MarketData, Map<string, T>>, market: MarketData): Map<string, T> {
  let cache = store.get(market);
  if (!cache) store.set(market, cache = new Map());
  if (cache.size > 20_000) cache.clear();
  return cache;
}

/** A contract's figures at now (the same as its basic quote and snapshot). */
export function figuresOf(market: MarketData, option: SimSecurity): ContractFigures {
  const now = market.clock.now();
  const key = `${option.symbol}|${Math.floor(now / 1000)}`;
  const cache = cacheOf(FIGURES, market);
  const known = cache.get(key);
  if (known) return known;
  const metrics = optionMetrics(market, option);
  const underlying = market.underlyingOf(option);
  const previousClose = market.previousClose(option, now);
  const book = market.orderBook(option, 1);
  const yesterday = previousTradingDay(option.market, localTime(option.market, now).day);
  const figures: ContractFigures = {
    option,
    underlying,
    metrics,
    previousClose,
    changeRate: previousClose ? round((metrics.price / previousClose - 1) * 100, 3) : 0,
    bid: book.bids[0]?.price ?? 0,
    ask: book.asks[0]?.price ?? 0,
    bidVolume: book.bids[0]?.volume ?? 0,
    askVolume: book.asks[0]?.volume ?? 0,
    previousOpenInterest: openInterest(
      market.seed,
      securityIndex(option),
      option,
      market.previousClose(underlying, now),
      utcOf(option.market, yesterday, 12 * 60),
    ),
    exerciseProbability: exerciseProbability(option, metrics.spot, now),
  };
  cache.set(key, figures);
  return figures;
}

/** A contract's session so far: open, high, low, volume and turnover of its prints (as its quote shows them). */
export function sessionOf(market: MarketData, option: SimSecurity): ContractSession {
  const now = market.clock.now();
  const key = `${option.symbol}|${Math.floor(now / 1000)}`;
  const cache = cacheOf(SESSIONS, market);
  const known = cache.get(key);
  if (known) return known;
  const s = market.sessionSummary(option, now);
  const session = {
    open: s.open,
    high: s.high,
    low: s.low,
    volume: Math.round(s.volume),
    turnover: round(s.turnover, 2),
  };
  cache.set(key, session);
  return session;
}

/** The contracts of an underlying's nearest `expiries` listed expiries, around its previous close. */
export function universeOf(market: MarketData, underlying: SimSecurity, expiries = UNIVERSE_EXPIRIES): SimSecurity[] {
  const now = market.clock.now();
  const today = localTime(underlying.market, now).day;
  const reference = market.previousClose(underlying, now);
  const resolve = (code: string) => securityByCode(underlying.market, code);
  return listedExpiries(underlying, today).slice(0, expiries).flatMap((expiry) =>
    contractsAt(underlying, expiry, reference, resolve).flatMap(({ call, put }) => [call, put])
  );
}

/** Greeks as the quotes round them. */
export function greeksOf(m: OptionMetrics): { delta: number; gamma: number; vega: number; theta: number; rho: number } {
  return {
    delta: round(m.value.delta, 3),
    gamma: round(m.value.gamma, 3),
    vega: round(m.value.vega, 3),
    theta: round(m.value.theta, 3),
    rho: round(m.value.rho, 3),
  };
}

/** Break-even price at expiry of buying a contract at `price`. */
export function breakEvenOf(option: SimSecurity, price: number): number {
  return round(option.callPut === "CALL" ? option.strike! + price : option.strike! - price, 3);
}

/** `Qot_Common.OptionType` of a contract. */
export function optionTypeOf(option: SimSecurity): number {
  return option.callPut === "CALL" ? 1 : 2;
}
