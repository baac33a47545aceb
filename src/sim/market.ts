/**
 * Deterministic market data. Every price, bar, print and book level is a pure
 * function of (seed, security, time), so the same seed and clock give the
 * same data on every machine, and history of any depth is computed on demand.
 *
 * The price path itself (value-noise octaves, five knots per minute,
 * Black–Scholes for derivatives) is in `_price_model.ts`; this file lays it
 * over the trading calendar: a minute bar's high and low are the extreme
 * knots, so every observed price lies inside its bar; trade prints are drawn
 * inside each minute and their volumes add up to the bar's volume; longer
 * bars aggregate minute bars exactly (period arithmetic in `bars.ts`, price
 * steps in `ticks.ts`). Order book and broker queue are drawn around the
 * current price.
 *
 * @module
 */
import { securityIndex, type SimSecurity } from "./catalog.ts";
import {
  type DayNumber,
  formatLocal,
  isTradingDay,
  localTime,
  marketPhase,
  previousTradingDay,
  sessionsOn,
  type SimClock,
  type SimMarket,
  tradingDayAtOrBefore,
  utcOf,
} from "./clock.ts";
import {
  type Bar,
  type BarPeriod,
  groupMinutes,
  historyStart,
  INTRADAY_MINUTES,
  periodKeyOf,
  periodStart,
} from "./bars.ts";
import { hash32, type OptionValue, PriceModel } from "./_price_model.ts";
import { adjust, adjustmentOn, type Affine, isIdentity, type Rehab } from "./corporate_actions.ts";
import { roundToTick, tickSize } from "./ticks.ts";

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

/** Deterministic data of the simulated securities. */
export class MarketData {
  readonly seed: number;
  readonly clock: SimClock;
  readonly #model: PriceModel;
  readonly #days = new Map<string, DayData>();
  readonly #dailies = new Map<string, DailyAggregate>();

  constructor(seed: number, clock: SimClock) {
    this.seed = seed | 0;
    this.clock = clock;
    this.#model = new PriceModel(this.seed);
  }

  /** Value of a derivative given its underlying's price, with time to expiry fixed per minute. */
  derivativeValue(security: SimSecurity, underlyingPrice: number, ms: number): OptionValue {
    return this.#model.derivativeValue(security, underlyingPrice, ms);
  }

  /** The underlying of a warrant or option. */
  underlyingOf(security: SimSecurity): SimSecurity {
    return this.#model.underlying(security);
  }

  /** Last price of a security at an instant (rounded to tick). Outside trading hours: the last close. */
  priceAt(security: SimSecurity, ms: number): number {
    const anchor = this.lastTradeInstant(security.market, ms);
    const primary = security.kind === "warrant" || security.kind === "option"
      ? this.#model.underlying(security)
      : security;
    let price = this.#model.primaryAt(primary, anchor);
    if (primary !== security) price = this.#model.derivativePrice(security, price, anchor);
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
      if (isTradingDay(market, day)) {
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
      for (const [from, to] of sessionsOn(market, day)) {
        const sessionStart = utcOf(market, day, from);
        for (let m = from; m < to; m++) {
          grid.starts.push(sessionStart + (m - from) * 60_000);
          grid.ends.push(m + 1);
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

  /** Volume and turnover of the prints of epoch minute `m` up to `untilMs`. */
  #minuteVolume(security: SimSecurity, m: number, untilMs = Infinity): [number, number] {
    let volume = 0;
    let turnover = 0;
    this.#model.forEachPrint(security, m, untilMs, (_at, price, size) => {
      volume += size;
      turnover += size * price;
    });
    return [volume, turnover * (security.kind === "option" ? security.contractSize ?? 1 : 1)];
  }

  /** The prints of epoch minute `m` up to `untilMs`. */
  #printsOfMinute(security: SimSecurity, m: number, untilMs = Infinity): Print[] {
    const prints: Print[] = [];
    let previous = NaN;
    this.#model.forEachPrint(security, m, untilMs, (atMs, price, volume, i) => {
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
      const [o, h, l, c] = this.#model.minuteOhlc(security, m);
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
    if (!isTradingDay(security.market, day)) return [];
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
    const [o, h, l, c] = this.#model.minuteOhlc(security, m, asOfMs);
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
    const previous = this.#daily(security, previousTradingDay(security.market, today), ms);
    return previous?.close ?? this.priceAt(security, ms);
  }

  /** The trading day a quote at `ms` belongs to (today once the session opened, else the last one). */
  currentTradingDay(market: SimMarket, ms: number): DayNumber {
    const { day } = localTime(market, ms);
    const starts = this.#minuteStarts(market, day);
    if (starts.length > 0 && starts[0] <= ms) return day;
    return previousTradingDay(market, day);
  }

  /** Today's aggregate (open, high, low, volume…) as of `ms`, or the last session's. */
  sessionSummary(security: SimSecurity, ms: number): DailyAggregate {
    const day = this.currentTradingDay(security.market, ms);
    return this.#daily(security, day, ms)!;
  }

  /** The earliest instant history reaches for a period. */
  historyStart(security: SimSecurity, period: BarPeriod, asOfMs: number): number {
    return historyStart(security.listDate, period, asOfMs);
  }

  /**
   * Bars of a period whose start lies in [fromMs, toMs], at most `limit`,
   * oldest first. `fromEnd` takes the latest `limit` bars instead of the first.
   * `rehab` adjusts prices for corporate actions (default: as traded); days
   * are adjusted before they make up weeks or months, so a week across an
   * ex-date is on one basis. Volumes stay as traded.
   */
  bars(
    security: SimSecurity,
    period: BarPeriod,
    fromMs: number,
    toMs: number,
    limit: number,
    options: { fromEnd?: boolean; rehab?: Rehab } = {},
  ): Bar[] {
    const asOf = this.clock.now();
    const today = localTime(security.market, asOf).day;
    const adjustmentOf = (day: DayNumber) => adjustmentOn(security, day, options.rehab ?? "NONE", today);
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
      for (let d = firstDay; d <= lastDay; d++) if (isTradingDay(security.market, d)) days.push(d);
      if (options.fromEnd) days.reverse();
      for (const day of days) {
        const adjustment = adjustmentOf(day);
        const dayBars = groupMinutes(this.minuteBars(security, day, asOf), minutes).filter(inRange)
          .map((bar) => adjustBar(bar, adjustment));
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
      for (let d = widenedFirst; d <= lastDay; d++) if (isTradingDay(security.market, d)) days.push(d);
      for (const day of days) {
        const traded = this.#daily(security, day, asOf);
        if (!traded) continue;
        const daily = adjustBar(traded, adjustmentOf(day));
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
      chosen[0].lastClose = this.#closeBefore(security, period, chosen[0].startMs, adjustmentOf);
    }
    return chosen;
  }

  #closeBefore(
    security: SimSecurity,
    period: BarPeriod,
    startMs: number,
    adjustmentOf: (day: DayNumber) => Affine,
  ): number | undefined {
    const day = localTime(security.market, startMs).day;
    if (INTRADAY_MINUTES[period]) {
      const previous = this.#lastMinutes(security.market, startMs - 1, 1)[0];
      if (previous === undefined) return undefined;
      const close = roundToTick(security, this.#model.minuteOhlc(security, previous / 60_000)[3]);
      return adjust(adjustmentOf(localTime(security.market, previous).day), close);
    }
    const before = tradingDayAtOrBefore(security.market, periodStart(period, day) - 1);
    const close = this.#daily(security, before, this.clock.now())?.close;
    return close === undefined ? undefined : adjust(adjustmentOf(before), close);
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
      const askVolume = lot * (1 + Math.floor(this.#model.uniform(security, bucket, 200 + level) * 40));
      const bidVolume = lot * (1 + Math.floor(this.#model.uniform(security, bucket, 300 + level) * 40));
      asks.push({
        price: ask,
        volume: askVolume,
        orders: 1 + Math.floor(this.#model.uniform(security, bucket, 400 + level) * 15),
      });
      if (bid > 0) {
        bids.push({
          price: bid,
          volume: bidVolume,
          orders: 1 + Math.floor(this.#model.uniform(security, bucket, 500 + level) * 15),
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
        const count = 2 + Math.floor(this.#model.uniform(security, bucket, salt + pos) * 3);
        const first = Math.floor(this.#model.uniform(security, bucket, salt + pos * 10) * brokers.length);
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

/** A bar's prices adjusted (a copy; volumes as traded). */
function adjustBar<B extends { open: number; high: number; low: number; close: number; lastClose?: number }>(
  bar: B,
  adjustment: Affine,
): B {
  if (isIdentity(adjustment)) return bar;
  return {
    ...bar,
    open: adjust(adjustment, bar.open),
    high: adjust(adjustment, bar.high),
    low: adjust(adjustment, bar.low),
    close: adjust(adjustment, bar.close),
  };
}
