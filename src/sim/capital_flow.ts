/**
 * Capital flow of the simulated market, derived from its trade prints (the
 * same prints `Qot_GetTicker` serves and minute bars add up): each print's
 * turnover (price × volume) is an inflow when the buyer was the aggressor and
 * an outflow when the seller was, by the tick test — a print above the one
 * before is a buy (the ticker's ASK), below a sell (BID), at the same price
 * it keeps the side of the last move; the day's first print is judged against
 * the open. Its size class is its volume against the security's typical
 * print: super ≥ 2×, big ≥ 1×, mid ≥ 0.4×, small below. So a day's in + out
 * is its turnover, every minute's is that minute's turnover, and history
 * periods sum whole days.
 *
 * @module
 */
import { type Bar, type BarPeriod, periodKeyOf, periodStart } from "./bars.ts";
import type { SimSecurity } from "./catalog.ts";
import { type DayNumber, isTradingDay, localTime } from "./clock.ts";
import type { MarketData } from "./market.ts";
import { PriceModel } from "./_price_model.ts";

/** Size classes, largest first. */
export const FLOW_CLASSES = ["super", "big", "mid", "small"] as const;
/** A size class. */
export type FlowClass = (typeof FLOW_CLASSES)[number];

/** Turnover by size class and direction. */
export interface FlowTotals {
  in: Record<FlowClass, number>;
  out: Record<FlowClass, number>;
}

/** One minute's running totals since the open. */
export interface MinuteFlow {
  bar: Bar;
  cumulative: FlowTotals;
}

/** One history period's totals. */
export interface PeriodFlow {
  /** First trading day of the period that has data. */
  day: DayNumber;
  totals: FlowTotals;
}

/** Complete days kept (per model) so that repeated history requests stay cheap. */
const DAY_CACHE_LIMIT = 4000;

function zero(): FlowTotals {
  return { in: { super: 0, big: 0, mid: 0, small: 0 }, out: { super: 0, big: 0, mid: 0, small: 0 } };
}

function copy(t: FlowTotals): FlowTotals {
  return { in: { ...t.in }, out: { ...t.out } };
}

function add(into: FlowTotals, t: FlowTotals): void {
  for (const c of FLOW_CLASSES) {
    into.in[c] += t.in[c];
    into.out[c] += t.out[c];
  }
}

/** The size class of a print of `volume` shares. */
export function flowClassOf(security: SimSecurity, volume: number): FlowClass {
  const ratio = volume / security.tradeSize;
  return ratio >= 2 ? "super" : ratio >= 1 ? "big" : ratio >= 0.4 ? "mid" : "small";
}

/** Net inflow (in − out) of a class, or of all classes. */
export function netOf(t: FlowTotals, c?: FlowClass): number {
  if (c !== undefined) return t.in[c] - t.out[c];
  return FLOW_CLASSES.reduce((s, k) => s + t.in[k] - t.out[k], 0);
}

/** Capital flow over one simulated market. */
export class CapitalFlowModel {
  readonly #market: MarketData;
  /** The market's own price model, rebuilt from its seed: the prints are a pure function of (seed, security, minute). */
  readonly #model: PriceModel;
  readonly #days = new Map<string, FlowTotals>();

  constructor(market: MarketData) {
    this.#market = market;
    this.#model = new PriceModel(market.seed);
  }

  /** Walks a day's prints up to `asOfMs`, calling `onMinute` after each minute bar with the running totals. */
  #walk(security: SimSecurity, day: DayNumber, asOfMs: number, onMinute?: (m: MinuteFlow) => void): FlowTotals {
    const totals = zero();
    const bars = this.#market.minuteBars(security, day, asOfMs);
    if (bars.length === 0) return totals;
    let previous = bars[0].open;
    let side: "in" | "out" = "in";
    for (const bar of bars) {
      this.#model.forEachPrint(security, bar.startMs / 60_000, asOfMs, (_at, price, volume) => {
        if (price !== previous) side = price > previous ? "in" : "out";
        previous = price;
        totals[side][flowClassOf(security, volume)] += price * volume;
      });
      onMinute?.({ bar, cumulative: copy(totals) });
    }
    return totals;
  }

  /** A day's totals as of `asOfMs` (complete days are cached). */
  day(security: SimSecurity, day: DayNumber, asOfMs: number): FlowTotals {
    const complete = localTime(security.market, asOfMs).day > day;
    const key = `${security.symbol}|${day}`;
    const cached = complete ? this.#days.get(key) : undefined;
    if (cached) return cached;
    const totals = this.#walk(security, day, asOfMs);
    if (complete) {
      if (this.#days.size >= DAY_CACHE_LIMIT) this.#days.delete(this.#days.keys().next().value!);
      this.#days.set(key, totals);
    }
    return totals;
  }

  /** Each minute of a day up to `asOfMs`, with the totals since the open. */
  minutes(security: SimSecurity, day: DayNumber, asOfMs: number): MinuteFlow[] {
    const out: MinuteFlow[] = [];
    this.#walk(security, day, asOfMs, (m) => out.push(m));
    return out;
  }

  /**
   * Totals per day, week or month over the trading days from `firstDay` to
   * `lastDay` (widened to the start of the first week or month, like K-lines),
   * none before the listing or after `asOfMs`.
   */
  periods(
    security: SimSecurity,
    period: "K_DAY" | "K_WEEK" | "K_MON",
    firstDay: DayNumber,
    lastDay: DayNumber,
    asOfMs: number,
  ): PeriodFlow[] {
    const keyOf = periodKeyOf(period as BarPeriod);
    const listed = Math.floor(Date.parse(`${security.listDate}T00:00:00Z`) / 86_400_000);
    const today = localTime(security.market, asOfMs).day;
    const groups = new Map<string, PeriodFlow>();
    for (let d = Math.max(periodStart(period, firstDay), listed); d <= Math.min(lastDay, today); d++) {
      if (!isTradingDay(security.market, d)) continue;
      if (this.#market.minuteBars(security, d, asOfMs).length === 0) continue;
      const key = keyOf(d);
      let group = groups.get(key);
      if (!group) {
        group = { day: d, totals: zero() };
        groups.set(key, group);
      }
      add(group.totals, this.day(security, d, asOfMs));
    }
    return [...groups.values()];
  }
}

const models = new WeakMap<MarketData, CapitalFlowModel>();

/** The capital flow model of a market (one per market, so its day cache is shared). */
export function capitalFlowOf(market: MarketData): CapitalFlowModel {
  let model = models.get(market);
  if (!model) {
    model = new CapitalFlowModel(market);
    models.set(market, model);
  }
  return model;
}
