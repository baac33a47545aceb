/**
 * Deterministic market data. Every price, bar, print and book level is a pure
 * function of (seed, security, time), so the same seed and clock give the
 * same data on every machine, and history of any depth is computed on demand.
 *
 * The model: a stock's log-price is a sum of smooth value-noise octaves whose
 * amplitudes scale like a random walk with the security's volatility, so the
 * path looks like a market at every scale from minutes to years. Within a
 * minute the price moves through five knots; a minute bar's high and low are
 * the extreme knots, so every observed price lies inside its bar. Trade prints
 * are drawn inside each minute and their volumes add up to the bar's volume.
 * Longer bars aggregate minute bars exactly. Derivatives are priced from their
 * underlying with Black–Scholes.
 *
 * @module
 */
import { securityBySymbol, securityIndex, type SimSecurity } from "./catalog.ts";
import {
  type DayNumber,
  formatLocal,
  isTradingDay,
  localTime,
  marketPhase,
  previousTradingDay,
  sessionsOf,
  type SimClock,
  type SimMarket,
  tradingDayAtOrBefore,
  utcOf,
} from "./clock.ts";

/** One bar. Times are market-local "YYYY-MM-DD HH:MM:SS". */
export interface Bar {
  time: string;
  /** Start instant of the bar (epoch ms). */
  startMs: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  turnover: number;
  /** Close of the bar before, when known. */
  lastClose?: number;
}

/** K-line periods the simulator serves, in SDK names. */
export type BarPeriod =
  | "K_1M"
  | "K_3M"
  | "K_5M"
  | "K_10M"
  | "K_15M"
  | "K_30M"
  | "K_60M"
  | "K_120M"
  | "K_180M"
  | "K_240M"
  | "K_DAY"
  | "K_WEEK"
  | "K_MON"
  | "K_QUARTER"
  | "K_YEAR";

const INTRADAY_MINUTES: Partial<Record<BarPeriod, number>> = {
  K_1M: 1,
  K_3M: 3,
  K_5M: 5,
  K_10M: 10,
  K_15M: 15,
  K_30M: 30,
  K_60M: 60,
  K_120M: 120,
  K_180M: 180,
  K_240M: 240,
};

/** One trade print. */
export interface Print {
  atMs: number;
  time: string;
  /** Deterministic sequence number. */
  sequence: bigint;
  price: number;
  volume: number;
  direction: "BID" | "ASK" | "NEUTRAL";
}

/** One order book level. */
export interface Level {
  price: number;
  volume: number;
  orders: number;
}

/** One point of the intraday series. */
export interface RtPointData {
  time: string;
  /** Minutes after local midnight. */
  minute: number;
  price: number;
  avgPrice: number;
  volume: number;
  turnover: number;
  lastClose: number;
}

/** How far back history goes. */
export const MINUTE_HISTORY_DAYS = 730;
/** How far back daily and longer bars go. */
export const DAILY_HISTORY_DAYS = 3653;

const MINUTES_PER_YEAR = 525_600;
const FAST_PERIODS = [1, 4, 16, 64, 256];
const SLOW_PERIODS = [1024, 4096, 16_384, 65_536, 262_144, 1_048_576];
const KNOTS = 4;
const DAY_CACHE_LIMIT = 600;

interface DayData {
  day: DayNumber;
  /** Start instant of each trading minute. */
  startMs: Float64Array;
  /** Local minute-of-day at which each minute ends (bar label). */
  endMinute: Int32Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  turnover: Float64Array;
}

interface DailyAggregate {
  day: DayNumber;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  turnover: number;
}

/** HK price spread table: [upper bound, tick]. */
const HK_SPREADS: [number, number][] = [
  [0.25, 0.001],
  [0.5, 0.005],
  [10, 0.01],
  [20, 0.02],
  [100, 0.05],
  [200, 0.1],
  [500, 0.2],
  [1000, 0.5],
  [2000, 1],
  [5000, 2],
  [Infinity, 5],
];

/** Minimum price step of a security at a price level. */
export function tickSize(security: SimSecurity, price: number): number {
  if (security.kind === "index") return 0.01;
  if (security.market === "HK") {
    for (const [upper, tick] of HK_SPREADS) if (price < upper) return tick;
  }
  if (security.market === "US" && price < 1) return 0.0001;
  return 0.01;
}

/** Rounds a price to the nearest valid tick. */
export function roundToTick(security: SimSecurity, price: number): number {
  const tick = tickSize(security, price);
  // Ticks have at most 4 decimals: scaling by 1e6 removes the binary noise of `n * tick`.
  return Math.round(Math.round(price / tick) * tick * 1e6) / 1e6;
}

/** True when a price is on the tick grid. */
export function isOnTick(security: SimSecurity, price: number): boolean {
  return Math.abs(roundToTick(security, price) - price) < 1e-9 * Math.max(1, price);
}

function hash32(a: number, b: number, c: number, d: number): number {
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
export function blackScholes(
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

/** Deterministic data of the simulated securities. */
export class MarketData {
  readonly seed: number;
  readonly clock: SimClock;
  readonly #days = new Map<string, DayData>();
  readonly #dailies = new Map<string, DailyAggregate>();

  constructor(seed: number, clock: SimClock) {
    this.seed = seed | 0;
    this.clock = clock;
  }

  /** Uniform [0, 1) for (security, a, b). */
  #uniform(security: SimSecurity, a: number, b: number): number {
    return hash32(this.seed, securityIndex(security) * 7919 + 17, a | 0, (b | 0) ^ Math.floor(a / 4_294_967_296)) /
      4_294_967_296;
  }

  #lattice(security: SimSecurity, octave: number, index: number): number {
    return hash32(
          this.seed ^ 0x5bd1e995,
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

  /** Price of a primary security (stock or index) at a minute boundary, unrounded. */
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
    const price = Math.exp(log);
    const slot = this.#knotCache[this.#knotCursor];
    this.#knotCursor = (this.#knotCursor + 1) % this.#knotCache.length;
    slot.security = security;
    slot.minute = minute;
    slot.price = price;
    return price;
  }

  /** The five knots of a primary security's path in epoch minute `m`. */
  #knots(security: SimSecurity, m: number): number[] {
    const open = this.#knotPrice(security, m);
    const close = this.#knotPrice(security, m + 1);
    const wiggle = security.volatility * Math.sqrt(1 / MINUTES_PER_YEAR) * 1.5;
    const knots = [open];
    for (let q = 1; q < KNOTS; q++) {
      const base = open + (close - open) * q / KNOTS;
      knots.push(base * (1 + (this.#uniform(security, m, q) * 2 - 1) * wiggle));
    }
    knots.push(close);
    return knots;
  }

  /** Unrounded price of a primary security at an instant. */
  #primaryAt(security: SimSecurity, ms: number): number {
    return interpolate(this.#knots(security, Math.floor(ms / 60_000)), ms);
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
  underlyingOf(security: SimSecurity): SimSecurity {
    return this.#underlying(security);
  }

  #underlying(security: SimSecurity): SimSecurity {
    const underlying = securityBySymbol(security.underlying!);
    if (!underlying) throw new Error(`${security.symbol}: unknown underlying ${security.underlying}`);
    return underlying;
  }

  #derivativePrice(security: SimSecurity, underlyingPrice: number, ms: number): number {
    return Math.max(0.01, this.derivativeValue(security, underlyingPrice, ms).price);
  }

  /** Minute bar (epoch minute `m`) OHLC, unrounded, up to `untilMs` when the minute is still running. */
  #minuteOhlc(security: SimSecurity, m: number, untilMs = Infinity): [number, number, number, number] {
    const primary = security.kind === "warrant" || security.kind === "option" ? this.#underlying(security) : security;
    let knots = this.#knots(primary, m);
    const endMs = (m + 1) * 60_000;
    if (untilMs < endMs) {
      const pos = (untilMs / 60_000 - m) * KNOTS;
      const last = Math.floor(pos);
      const current = this.#primaryAt(primary, untilMs);
      knots = [...knots.slice(0, last + 1), current];
    }
    if (primary !== security) {
      const at = m * 60_000;
      knots = knots.map((p) => this.#derivativePrice(security, p, at));
    }
    let high = -Infinity;
    let low = Infinity;
    for (const k of knots) {
      if (k > high) high = k;
      if (k < low) low = k;
    }
    return [knots[0], high, low, knots[knots.length - 1]];
  }

  /** Last price of a security at an instant (rounded to tick). Outside trading hours: the last close. */
  priceAt(security: SimSecurity, ms: number): number {
    const anchor = this.lastTradeInstant(security.market, ms);
    const primary = security.kind === "warrant" || security.kind === "option" ? this.#underlying(security) : security;
    let price = this.#primaryAt(primary, anchor);
    if (primary !== security) price = this.#derivativePrice(security, price, anchor);
    return roundToTick(security, price);
  }

  /** The current price. */
  currentPrice(security: SimSecurity): number {
    return this.priceAt(security, this.clock.now());
  }

  /** `ms` while the market trades, otherwise the end of the last trading minute. */
  lastTradeInstant(market: SimMarket, ms: number): number {
    if (marketPhase(market, ms).trading) return ms;
    const minutes = this.#lastMinutes(market, ms, 1);
    return minutes.length > 0 ? minutes[0] + 60_000 - 1 : ms;
  }

  /** Start instants of the last `count` trading minutes at or before `ms` (latest first). */
  #lastMinutes(market: SimMarket, ms: number, count: number): number[] {
    const out: number[] = [];
    let day = localTime(market, ms).day;
    for (let guard = 0; out.length < count && guard < 30; guard++) {
      if (isTradingDay(day)) {
        const starts = this.#minuteStarts(market, day);
        for (let i = starts.length - 1; i >= 0 && out.length < count; i--) if (starts[i] <= ms) out.push(starts[i]);
      }
      day--;
    }
    return out;
  }

  #minuteStartsCache = new Map<string, { starts: number[]; ends: number[] }>();

  #minuteGrid(market: SimMarket, day: DayNumber): { starts: number[]; ends: number[] } {
    const key = `${market}|${day}`;
    let grid = this.#minuteStartsCache.get(key);
    if (!grid) {
      grid = { starts: [], ends: [] };
      if (isTradingDay(day)) {
        for (const [from, to] of sessionsOf(market)) {
          const sessionStart = utcOf(market, day, from);
          for (let m = from; m < to; m++) {
            grid.starts.push(sessionStart + (m - from) * 60_000);
            grid.ends.push(m + 1);
          }
        }
      }
      if (this.#minuteStartsCache.size > 4000) this.#minuteStartsCache.clear();
      this.#minuteStartsCache.set(key, grid);
    }
    return grid;
  }

  #minuteStarts(market: SimMarket, day: DayNumber): number[] {
    return this.#minuteGrid(market, day).starts;
  }

  /**
   * Visits the prints of epoch minute `m` up to `untilMs`: count, times and
   * sizes are hash-drawn, prices follow the path.
   */
  #forEachPrint(
    security: SimSecurity,
    m: number,
    untilMs: number,
    visit: (atMs: number, price: number, volume: number, index: number) => void,
  ): void {
    const count = 2 + Math.floor(this.#uniform(security, m, 50) * 9);
    const lot = Math.max(1, security.lotSize);
    const primary = security.kind === "warrant" || security.kind === "option" ? this.#underlying(security) : security;
    const knots = this.#knots(primary, m);
    for (let i = 0; i < count; i++) {
      const atMs = m * 60_000 + Math.floor(((i + this.#uniform(security, m, 60 + i)) / count) * 60_000);
      if (atMs > untilMs) break;
      let price = interpolate(knots, atMs);
      if (primary !== security) price = this.#derivativePrice(security, price, m * 60_000);
      price = roundToTick(security, price);
      const size = security.tradeSize * -Math.log(1 - this.#uniform(security, m, 80 + i) * 0.95);
      visit(atMs, price, Math.max(lot, Math.round(size / lot) * lot), i);
    }
  }

  /** Volume and turnover of the prints of epoch minute `m` up to `untilMs`. */
  #minuteVolume(security: SimSecurity, m: number, untilMs = Infinity): [number, number] {
    let volume = 0;
    let turnover = 0;
    this.#forEachPrint(security, m, untilMs, (_at, price, size) => {
      volume += size;
      turnover += size * price;
    });
    return [volume, turnover * (security.kind === "option" ? security.contractSize ?? 1 : 1)];
  }

  /** The prints of epoch minute `m` up to `untilMs`. */
  #printsOfMinute(security: SimSecurity, m: number, untilMs = Infinity): Print[] {
    const prints: Print[] = [];
    let previous = NaN;
    this.#forEachPrint(security, m, untilMs, (atMs, price, volume, i) => {
      const direction = Number.isNaN(previous) || price === previous ? "NEUTRAL" : price > previous ? "ASK" : "BID";
      previous = price;
      prints.push({ atMs, time: "", sequence: BigInt(m) * 100n + BigInt(i), price, volume, direction });
    });
    return prints;
  }

  #dayData(security: SimSecurity, day: DayNumber): DayData {
    const key = `${securityIndex(security)}|${day}`;
    const cached = this.#days.get(key);
    if (cached) {
      this.#days.delete(key);
      this.#days.set(key, cached);
      return cached;
    }
    const grid = this.#minuteGrid(security.market, day);
    const n = grid.starts.length;
    const data: DayData = {
      day,
      startMs: Float64Array.from(grid.starts),
      endMinute: Int32Array.from(grid.ends),
      open: new Float64Array(n),
      high: new Float64Array(n),
      low: new Float64Array(n),
      close: new Float64Array(n),
      volume: new Float64Array(n),
      turnover: new Float64Array(n),
    };
    for (let i = 0; i < n; i++) {
      const m = grid.starts[i] / 60_000;
      const [o, h, l, c] = this.#minuteOhlc(security, m);
      data.open[i] = roundToTick(security, o);
      data.high[i] = roundToTick(security, h);
      data.low[i] = roundToTick(security, l);
      data.close[i] = roundToTick(security, c);
      [data.volume[i], data.turnover[i]] = this.#minuteVolume(security, m);
    }
    if (this.#days.size >= DAY_CACHE_LIMIT) this.#days.delete(this.#days.keys().next().value!);
    this.#days.set(key, data);
    return data;
  }

  /** The minute bars of a trading day up to `asOfMs` (the last one partial while it runs). */
  minuteBars(security: SimSecurity, day: DayNumber, asOfMs: number): Bar[] {
    if (!isTradingDay(day)) return [];
    const data = this.#dayData(security, day);
    const bars: Bar[] = [];
    for (let i = 0; i < data.startMs.length; i++) {
      const start = data.startMs[i];
      if (start > asOfMs) break;
      const running = start + 60_000 > asOfMs;
      let bar: Bar = {
        time: formatLocal(day, data.endMinute[i]),
        startMs: start,
        open: data.open[i],
        high: data.high[i],
        low: data.low[i],
        close: data.close[i],
        volume: data.volume[i],
        turnover: data.turnover[i],
      };
      if (running) bar = this.#runningMinute(security, day, start, asOfMs, data.endMinute[i]);
      bars.push(bar);
      if (running) break;
    }
    return bars;
  }

  #runningMinute(security: SimSecurity, day: DayNumber, start: number, asOfMs: number, endMinute: number): Bar {
    const m = start / 60_000;
    const [o, h, l, c] = this.#minuteOhlc(security, m, asOfMs);
    const [volume, turnover] = this.#minuteVolume(security, m, asOfMs);
    return {
      time: formatLocal(day, endMinute),
      startMs: start,
      open: roundToTick(security, o),
      high: roundToTick(security, h),
      low: roundToTick(security, l),
      close: roundToTick(security, c),
      volume,
      turnover,
    };
  }

  /** Daily aggregate of a trading day as of `asOfMs` (undefined before the day's first trade). */
  #daily(security: SimSecurity, day: DayNumber, asOfMs: number): DailyAggregate | undefined {
    const key = `${securityIndex(security)}|${day}`;
    const cached = this.#dailies.get(key);
    if (cached) return cached;
    const grid = this.#minuteGrid(security.market, day);
    if (grid.starts.length === 0 || grid.starts[0] > asOfMs) return undefined;
    const complete = grid.starts[grid.starts.length - 1] + 60_000 <= asOfMs;
    if (!complete) {
      const bars = this.minuteBars(security, day, asOfMs);
      return {
        day,
        open: bars[0].open,
        high: Math.max(...bars.map((b) => b.high)),
        low: Math.min(...bars.map((b) => b.low)),
        close: bars[bars.length - 1].close,
        volume: bars.reduce((s, b) => s + b.volume, 0),
        turnover: bars.reduce((s, b) => s + b.turnover, 0),
      };
    }
    const data = this.#dayData(security, day);
    const n = data.open.length;
    let high = -Infinity;
    let low = Infinity;
    let volume = 0;
    let turnover = 0;
    for (let i = 0; i < n; i++) {
      if (data.high[i] > high) high = data.high[i];
      if (data.low[i] < low) low = data.low[i];
      volume += data.volume[i];
      turnover += data.turnover[i];
    }
    const aggregate = { day, open: data.open[0], high, low, close: data.close[n - 1], volume, turnover };
    this.#dailies.set(key, aggregate);
    return aggregate;
  }

  /** Close of the trading day before the one in progress (or the last complete one) at `ms`. */
  previousClose(security: SimSecurity, ms: number): number {
    const today = this.currentTradingDay(security.market, ms);
    const previous = this.#daily(security, previousTradingDay(today), ms);
    return previous?.close ?? this.priceAt(security, ms);
  }

  /** The trading day a quote at `ms` belongs to (today once the session opened, else the last one). */
  currentTradingDay(market: SimMarket, ms: number): DayNumber {
    const { day } = localTime(market, ms);
    const starts = this.#minuteStarts(market, day);
    if (starts.length > 0 && starts[0] <= ms) return day;
    return previousTradingDay(day);
  }

  /** Today's aggregate (open, high, low, volume…) as of `ms`, or the last session's. */
  sessionSummary(security: SimSecurity, ms: number): DailyAggregate {
    const day = this.currentTradingDay(security.market, ms);
    return this.#daily(security, day, ms)!;
  }

  /** The earliest instant history reaches for a period. */
  historyStart(security: SimSecurity, period: BarPeriod, asOfMs: number): number {
    const days = INTRADAY_MINUTES[period] ? MINUTE_HISTORY_DAYS : DAILY_HISTORY_DAYS;
    const listed = Date.parse(`${security.listDate}T00:00:00Z`);
    return Math.max(listed, asOfMs - days * 86_400_000);
  }

  /**
   * Bars of a period whose start lies in [fromMs, toMs], at most `limit`,
   * oldest first. `fromEnd` takes the latest `limit` bars instead of the first.
   */
  bars(
    security: SimSecurity,
    period: BarPeriod,
    fromMs: number,
    toMs: number,
    limit: number,
    options: { fromEnd?: boolean } = {},
  ): Bar[] {
    const asOf = this.clock.now();
    const start = Math.max(fromMs, this.historyStart(security, period, asOf));
    const end = Math.min(toMs, asOf);
    if (start > end || limit <= 0) return [];
    const firstDay = localTime(security.market, start).day;
    const lastDay = localTime(security.market, end).day;
    const minutes = INTRADAY_MINUTES[period];
    const collected: Bar[] = [];
    const inRange = (b: Bar) => b.startMs >= start && b.startMs <= end;
    if (minutes) {
      const days: DayNumber[] = [];
      for (let d = firstDay; d <= lastDay; d++) if (isTradingDay(d)) days.push(d);
      if (options.fromEnd) days.reverse();
      for (const day of days) {
        const dayBars = this.#groupMinutes(this.minuteBars(security, day, asOf), minutes).filter(inRange);
        if (options.fromEnd) collected.unshift(...dayBars);
        else collected.push(...dayBars);
        if (collected.length >= limit + 1) break;
      }
    } else {
      const periodKey = periodKeyOf(period);
      const groups = new Map<string, Bar>();
      const order: string[] = [];
      const days: DayNumber[] = [];
      // Periods must aggregate whole weeks/months: widen to the start of the first period.
      const widenedFirst = periodStart(period, firstDay);
      for (let d = widenedFirst; d <= lastDay; d++) if (isTradingDay(d)) days.push(d);
      for (const day of days) {
        const daily = this.#daily(security, day, asOf);
        if (!daily) continue;
        const key = periodKey(day);
        const existing = groups.get(key);
        if (!existing) {
          groups.set(key, {
            time: formatLocal(day, 0),
            startMs: utcOf(security.market, day, 0),
            open: daily.open,
            high: daily.high,
            low: daily.low,
            close: daily.close,
            volume: daily.volume,
            turnover: daily.turnover,
          });
          order.push(key);
        } else {
          existing.high = Math.max(existing.high, daily.high);
          existing.low = Math.min(existing.low, daily.low);
          existing.close = daily.close;
          existing.volume += daily.volume;
          existing.turnover += daily.turnover;
        }
      }
      for (const key of order) {
        const bar = groups.get(key)!;
        if (
          bar.startMs >= utcOf(security.market, periodStart(period, localTime(security.market, start).day), 0) &&
          bar.startMs <= end
        ) collected.push(bar);
      }
    }
    let previousClose: number | undefined;
    for (const bar of collected) {
      bar.lastClose = previousClose;
      previousClose = bar.close;
    }
    const chosen = options.fromEnd ? collected.slice(-limit) : collected.slice(0, limit);
    if (chosen.length > 0 && chosen[0].lastClose === undefined) {
      chosen[0].lastClose = this.#closeBefore(security, period, chosen[0].startMs);
    }
    return chosen;
  }

  #closeBefore(security: SimSecurity, period: BarPeriod, startMs: number): number | undefined {
    const day = localTime(security.market, startMs).day;
    if (INTRADAY_MINUTES[period]) {
      const previous = this.#lastMinutes(security.market, startMs - 1, 1)[0];
      return previous === undefined
        ? undefined
        : roundToTick(security, this.#minuteOhlc(security, previous / 60_000)[3]);
    }
    const before = tradingDayAtOrBefore(periodStart(period, day) - 1);
    return this.#daily(security, before, this.clock.now())?.close;
  }

  /** Groups minute bars by `size`, restarting at each session (so HK 60-minute bars end 10:30, 11:30, 12:00, 14:00…). */
  #groupMinutes(bars: Bar[], size: number): Bar[] {
    if (size === 1) return bars;
    const out: Bar[] = [];
    let group: Bar[] = [];
    const flush = () => {
      if (group.length === 0) return;
      const last = group[group.length - 1];
      out.push({
        time: last.time,
        startMs: group[0].startMs,
        open: group[0].open,
        high: Math.max(...group.map((b) => b.high)),
        low: Math.min(...group.map((b) => b.low)),
        close: last.close,
        volume: group.reduce((s, b) => s + b.volume, 0),
        turnover: group.reduce((s, b) => s + b.turnover, 0),
      });
      group = [];
    };
    for (const bar of bars) {
      const previous = group[group.length - 1];
      if (group.length === size || (previous && bar.startMs !== previous.startMs + 60_000)) flush();
      group.push(bar);
    }
    flush();
    return out;
  }

  /** The latest `count` trade prints at or before now, oldest first. */
  latestPrints(security: SimSecurity, count: number): Print[] {
    const now = this.clock.now();
    const out: Print[] = [];
    const minutes = this.#lastMinutes(security.market, now, 600);
    for (const start of minutes) {
      const prints = this.#printsOfMinute(security, start / 60_000, now);
      out.unshift(...prints);
      if (out.length >= count) break;
    }
    const chosen = out.slice(-count);
    for (const p of chosen) {
      const local = localTime(security.market, p.atMs);
      p.time = formatLocal(local.day, local.minute);
    }
    return chosen;
  }

  /** Prints with a sequence above `afterSequence` (for pushes), oldest first. */
  printsSince(security: SimSecurity, afterSequence: bigint, max = 100): Print[] {
    return this.latestPrints(security, max).filter((p) => p.sequence > afterSequence);
  }

  /** Today's (or the last session's) intraday series up to now. */
  timeShare(security: SimSecurity): RtPointData[] {
    const now = this.clock.now();
    const day = this.currentTradingDay(security.market, now);
    const lastClose = this.previousClose(security, now);
    let volume = 0;
    let turnover = 0;
    return this.minuteBars(security, day, now).map((bar) => {
      volume += bar.volume;
      turnover += bar.turnover;
      const local = localTime(security.market, bar.startMs + 60_000);
      return {
        time: bar.time,
        minute: Math.round(local.minute),
        price: bar.close,
        avgPrice: volume > 0 ? turnover / volume : bar.close,
        volume: bar.volume,
        turnover: bar.turnover,
        lastClose,
      };
    });
  }

  /** The order book around the current price; volumes change every 3 seconds. */
  orderBook(security: SimSecurity, depth: number): { asks: Level[]; bids: Level[] } {
    const now = this.clock.now();
    const price = this.priceAt(security, now);
    const bucket = Math.floor(now / 3000);
    const tick = tickSize(security, price);
    const lot = Math.max(1, security.lotSize);
    const asks: Level[] = [];
    const bids: Level[] = [];
    let bid = price;
    let ask = roundToTick(security, price + tick);
    for (let level = 0; level < depth; level++) {
      const askVolume = lot * (1 + Math.floor(this.#uniform(security, bucket, 200 + level) * 40));
      const bidVolume = lot * (1 + Math.floor(this.#uniform(security, bucket, 300 + level) * 40));
      asks.push({
        price: ask,
        volume: askVolume,
        orders: 1 + Math.floor(this.#uniform(security, bucket, 400 + level) * 15),
      });
      if (bid > 0) {
        bids.push({
          price: bid,
          volume: bidVolume,
          orders: 1 + Math.floor(this.#uniform(security, bucket, 500 + level) * 15),
        });
      }
      ask = roundToTick(security, ask + tickSize(security, ask));
      bid = roundToTick(security, bid - tickSize(security, Math.max(0, bid - tick)));
    }
    return { asks, bids };
  }

  /** HK broker queue: brokers at the first levels of each side; rotates every 3 seconds. */
  brokerQueue(security: SimSecurity, brokers: readonly { id: number; name: string }[]) {
    const bucket = Math.floor(this.clock.now() / 3000);
    const side = (salt: number) => {
      const out: { id: number; name: string; pos: number }[] = [];
      for (let pos = 1; pos <= 3; pos++) {
        const count = 2 + Math.floor(this.#uniform(security, bucket, salt + pos) * 3);
        const first = Math.floor(this.#uniform(security, bucket, salt + pos * 10) * brokers.length);
        for (let i = 0; i < count; i++) out.push({ ...brokers[(first + i * 5) % brokers.length], pos });
      }
      return out;
    };
    return { asks: side(600), bids: side(700) };
  }

  /** Highest and lowest daily prices over the last `days` calendar days. */
  highLow(security: SimSecurity, days: number): { high: number; low: number } {
    const now = this.clock.now();
    const bars = this.bars(security, "K_DAY", now - days * 86_400_000, now, 100_000);
    let high = -Infinity;
    let low = Infinity;
    for (const b of bars) {
      if (b.high > high) high = b.high;
      if (b.low < low) low = b.low;
    }
    return bars.length > 0 ? { high, low } : { high: 0, low: 0 };
  }

  /** A stable 64-bit id for a security. */
  securityId(security: SimSecurity): bigint {
    return 50_000_000_000_000n + BigInt(hash32(this.seed, securityIndex(security), 1, 2)) * 1000n +
      BigInt(securityIndex(security));
  }
}

/** Price at `ms` on the piecewise-linear path through a minute's knots. */
function interpolate(knots: number[], ms: number): number {
  const t = ms / 60_000;
  const pos = (t - Math.floor(t)) * KNOTS;
  const i = Math.min(KNOTS - 1, Math.floor(pos));
  return knots[i] + (knots[i + 1] - knots[i]) * (pos - i);
}

function periodKeyOf(period: BarPeriod): (day: DayNumber) => string {
  switch (period) {
    case "K_DAY":
      return (day) => String(day);
    case "K_WEEK":
      return (day) => String(Math.floor((day + 3) / 7));
    case "K_MON":
      return (day) => new Date(day * 86_400_000).toISOString().slice(0, 7);
    case "K_QUARTER":
      return (day) => {
        const d = new Date(day * 86_400_000);
        return `${d.getUTCFullYear()}Q${Math.floor(d.getUTCMonth() / 3)}`;
      };
    case "K_YEAR":
      return (day) => String(new Date(day * 86_400_000).getUTCFullYear());
    default:
      throw new Error(`${period} is not a daily-or-longer period`);
  }
}

/** First calendar day of the period containing `day`. */
function periodStart(period: BarPeriod, day: DayNumber): DayNumber {
  const d = new Date(day * 86_400_000);
  switch (period) {
    case "K_WEEK":
      return day - ((((day + 3) % 7) + 7) % 7);
    case "K_MON":
      return Math.floor(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / 86_400_000);
    case "K_QUARTER":
      return Math.floor(Date.UTC(d.getUTCFullYear(), Math.floor(d.getUTCMonth() / 3) * 3, 1) / 86_400_000);
    case "K_YEAR":
      return Math.floor(Date.UTC(d.getUTCFullYear(), 0, 1) / 86_400_000);
    default:
      return day;
  }
}

/** True for intraday periods. */
export function isIntraday(period: BarPeriod): boolean {
  return INTRADAY_MINUTES[period] !== undefined;
}

/** A calendar span that surely holds the latest `count` bars of a period. */
export function lookbackMs(period: BarPeriod, count: number): number {
  const minutes = INTRADAY_MINUTES[period];
  let days: number;
  if (minutes) days = Math.ceil((count * minutes) / 240) * 1.6 + 7;
  else if (period === "K_DAY") days = count * 1.5 + 10;
  else if (period === "K_WEEK") days = count * 7 + 14;
  else if (period === "K_MON") days = count * 31 + 62;
  else if (period === "K_QUARTER") days = count * 92 + 92;
  else days = count * 366 + 366;
  return Math.ceil(days) * 86_400_000;
}
