/**
 * The price model behind the simulated market (private to src/sim): a
 * primary security's log-price is a sum of smooth value-noise octaves whose
 * amplitudes scale like a random walk with its volatility; within a minute
 * the price moves through five knots; warrants and options are priced from
 * their underlying with Black–Scholes. The path is on the basis after the
 * last tabled corporate action; before a dividend or split the traded price
 * is the path taken back through it (`corporate_actions.ts`). Everything is a
 * pure function of (seed, security, time); calendars and aggregation live in
 * `market.ts`.
 *
 * @module
 */
import { securityBySymbol, securityIndex, type SimSecurity } from "./catalog.ts";
import { rawPrice } from "./corporate_actions.ts";
import { roundToTick } from "./ticks.ts";

const MINUTES_PER_YEAR = 525_600;
const FAST_PERIODS = [1, 4, 16, 64, 256];
const SLOW_PERIODS = [1024, 4096, 16_384, 65_536, 262_144, 1_048_576];
/** Segments of a minute's path (five knots). */
const KNOTS = 4;

/** A 32-bit hash of four integers. */
export function hash32(a: number, b: number, c: number, d: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ b, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16) ^ c, 0x27d4eb2f);
  h = Math.imul(h ^ (h >>> 15) ^ d, 0x165667b1);
  h ^= h >>> 16;
  return h >>> 0;
}

function normalCdf(x: number): number {
  // Abramowitz–Stegun 7.1.26
  const t = 1 / (1 + 0.3275911 * Math.abs(x) / Math.SQRT2);
  const y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t *
      Math.exp(-x * x / 2);
  return x >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}

/** Black–Scholes price and greeks. */
export interface OptionValue {
  price: number;
  delta: number;
  gamma: number;
  vega: number;
  theta: number;
  rho: number;
}

const RISK_FREE_RATE = 0.04;

/** Black–Scholes value of a European option. */
function blackScholes(
  callPut: "CALL" | "PUT",
  spot: number,
  strike: number,
  years: number,
  volatility: number,
): OptionValue {
  const t = Math.max(years, 1 / MINUTES_PER_YEAR);
  const sqrtT = Math.sqrt(t);
  const d1 = (Math.log(spot / strike) + (RISK_FREE_RATE + volatility * volatility / 2) * t) / (volatility * sqrtT);
  const d2 = d1 - volatility * sqrtT;
  const pdf = Math.exp(-d1 * d1 / 2) / Math.sqrt(2 * Math.PI);
  const discount = Math.exp(-RISK_FREE_RATE * t);
  const gamma = pdf / (spot * volatility * sqrtT);
  const vega = spot * pdf * sqrtT / 100;
  if (callPut === "CALL") {
    return {
      price: spot * normalCdf(d1) - strike * discount * normalCdf(d2),
      delta: normalCdf(d1),
      gamma,
      vega,
      theta: (-spot * pdf * volatility / (2 * sqrtT) - RISK_FREE_RATE * strike * discount * normalCdf(d2)) / 365,
      rho: strike * t * discount * normalCdf(d2) / 100,
    };
  }
  return {
    price: strike * discount * normalCdf(-d2) - spot * normalCdf(-d1),
    delta: normalCdf(d1) - 1,
    gamma,
    vega,
    theta: (-spot * pdf * volatility / (2 * sqrtT) + RISK_FREE_RATE * strike * discount * normalCdf(-d2)) / 365,
    rho: -strike * t * discount * normalCdf(-d2) / 100,
  };
}

/** Prices of the simulated securities along their deterministic paths, with the caches that make them cheap. */
export class PriceModel {
  readonly #seed: number;

  /** `seed` must already be a 32-bit integer. */
  constructor(seed: number) {
    this.#seed = seed;
  }

  /** Uniform [0, 1) for (security, a, b). */
  uniform(security: SimSecurity, a: number, b: number): number {
    return hash32(this.#seed, securityIndex(security) * 7919 + 17, a | 0, (b | 0) ^ Math.floor(a / 4_294_967_296)) /
      4_294_967_296;
  }

  #lattice(security: SimSecurity, octave: number, index: number): number {
    return hash32(
          this.#seed ^ 0x5bd1e995,
          securityIndex(security) * 31 + octave,
          index | 0,
          Math.floor(index / 4_294_967_296),
        ) /
        2_147_483_648 - 1;
  }

  #noise(security: SimSecurity, octave: number, x: number): number {
    const i = Math.floor(x);
    const f = x - i;
    const s = f * f * (3 - 2 * f);
    return this.#lattice(security, octave, i) * (1 - s) + this.#lattice(security, octave, i + 1) * s;
  }

  #slowCache = new Map<number, number>();
  /** Recently computed knot prices: each minute's bar, prints and neighbours reuse them. */
  readonly #knotCache: { security: SimSecurity | undefined; minute: number; price: number }[] = Array.from(
    { length: 4 },
    () => ({ security: undefined, minute: NaN, price: 0 }),
  );
  #knotCursor = 0;

  /** The slow octaves, sampled on an hourly lattice (and cached: they dominate the cost). */
  #slow(security: SimSecurity, hour: number): number {
    const key = hour * 64 + securityIndex(security);
    const cached = this.#slowCache.get(key);
    if (cached !== undefined) return cached;
    let sum = 0;
    for (let k = 0; k < SLOW_PERIODS.length; k++) {
      const period = SLOW_PERIODS[k];
      sum += security.volatility * Math.sqrt(period / MINUTES_PER_YEAR) *
        this.#noise(security, 100 + k, (hour * 60) / period);
    }
    if (this.#slowCache.size > 200_000) this.#slowCache.clear();
    this.#slowCache.set(key, sum);
    return sum;
  }

  /** Traded price of a primary security (stock or index) at a minute boundary, unrounded. */
  #knotPrice(security: SimSecurity, minute: number): number {
    for (const entry of this.#knotCache) {
      if (entry.minute === minute && entry.security === security) return entry.price;
    }
    let log = Math.log(security.basePrice);
    for (let k = 0; k < FAST_PERIODS.length; k++) {
      const period = FAST_PERIODS[k];
      log += security.volatility * Math.sqrt(period / MINUTES_PER_YEAR) * this.#noise(security, k, minute / period);
    }
    const hour = Math.floor(minute / 60);
    const f = (minute - hour * 60) / 60;
    log += this.#slow(security, hour) * (1 - f) + this.#slow(security, hour + 1) * f;
    const price = rawPrice(security, minute * 60_000, Math.exp(log));
    const slot = this.#knotCache[this.#knotCursor];
    this.#knotCursor = (this.#knotCursor + 1) % this.#knotCache.length;
    slot.security = security;
    slot.minute = minute;
    slot.price = price;
    return price;
  }

  /** The five knots of a primary security's path in epoch minute `m`. */
  knots(security: SimSecurity, m: number): number[] {
    const open = this.#knotPrice(security, m);
    const close = this.#knotPrice(security, m + 1);
    const wiggle = security.volatility * Math.sqrt(1 / MINUTES_PER_YEAR) * 1.5;
    const knots = [open];
    for (let q = 1; q < KNOTS; q++) {
      const base = open + (close - open) * q / KNOTS;
      knots.push(base * (1 + (this.uniform(security, m, q) * 2 - 1) * wiggle));
    }
    knots.push(close);
    return knots;
  }

  /** Unrounded price of a primary security at an instant. */
  primaryAt(security: SimSecurity, ms: number): number {
    return interpolate(this.knots(security, Math.floor(ms / 60_000)), ms);
  }

  /** Value of a derivative given its underlying's price, with time to expiry fixed per minute. */
  derivativeValue(security: SimSecurity, underlyingPrice: number, ms: number): OptionValue {
    const expiryMs = Date.parse(`${security.expiry}T16:00:00Z`);
    const minuteMs = Math.floor(ms / 60_000) * 60_000;
    const years = (expiryMs - minuteMs) / (MINUTES_PER_YEAR * 60_000);
    if (security.kind === "warrant") {
      const value = blackScholes(security.callPut!, underlyingPrice, security.strike!, years, 0.35);
      const ratio = security.conversionRatio ?? 1;
      return { ...value, price: value.price / ratio };
    }
    return blackScholes(security.callPut!, underlyingPrice, security.strike!, years, security.volatility);
  }

  /** The underlying of a warrant or option. */
  underlying(security: SimSecurity): SimSecurity {
    const underlying = securityBySymbol(security.underlying!);
    if (!underlying) throw new Error(`${security.symbol}: unknown underlying ${security.underlying}`);
    return underlying;
  }

  derivativePrice(security: SimSecurity, underlyingPrice: number, ms: number): number {
    return Math.max(0.01, this.derivativeValue(security, underlyingPrice, ms).price);
  }

  /** Minute bar (epoch minute `m`) OHLC, unrounded, up to `untilMs` when the minute is still running. */
  minuteOhlc(security: SimSecurity, m: number, untilMs = Infinity): [number, number, number, number] {
    const primary = security.kind === "warrant" || security.kind === "option" ? this.underlying(security) : security;
    let knots = this.knots(primary, m);
    const endMs = (m + 1) * 60_000;
    if (untilMs < endMs) {
      const pos = (untilMs / 60_000 - m) * KNOTS;
      const last = Math.floor(pos);
      const current = this.primaryAt(primary, untilMs);
      knots = [...knots.slice(0, last + 1), current];
    }
    if (primary !== security) {
      const at = m * 60_000;
      knots = knots.map((p) => this.derivativePrice(security, p, at));
    }
    let high = -Infinity;
    let low = Infinity;
    for (const k of knots) {
      if (k > high) high = k;
      if (k < low) low = k;
    }
    return [knots[0], high, low, knots[knots.length - 1]];
  }

  /**
   * Visits the prints of epoch minute `m` up to `untilMs`: count, times and
   * sizes are hash-drawn, prices follow the path.
   */
  forEachPrint(
    security: SimSecurity,
    m: number,
    untilMs: number,
    visit: (atMs: number, price: number, volume: number, index: number) => void,
  ): void {
    const count = 2 + Math.floor(this.uniform(security, m, 50) * 9);
    const lot = Math.max(1, security.lotSize);
    const primary = security.kind === "warrant" || security.kind === "option" ? this.underlying(security) : security;
    const knots = this.knots(primary, m);
    for (let i = 0; i < count; i++) {
      const atMs = m * 60_000 + Math.floor(((i + this.uniform(security, m, 60 + i)) / count) * 60_000);
      if (atMs > untilMs) break;
      let price = interpolate(knots, atMs);
      if (primary !== security) price = this.derivativePrice(security, price, m * 60_000);
      price = roundToTick(security, price);
      const size = security.tradeSize * -Math.log(1 - this.uniform(security, m, 80 + i) * 0.95);
      visit(atMs, price, Math.max(lot, Math.round(size / lot) * lot), i);
    }
  }
}

/** Price at `ms` on the piecewise-linear path through a minute's knots. */
function interpolate(knots: number[], ms: number): number {
  const t = ms / 60_000;
  const pos = (t - Math.floor(t)) * KNOTS;
  const i = Math.min(KNOTS - 1, Math.floor(pos));
  return knots[i] + (knots[i + 1] - knots[i]) * (pos - i);
}
