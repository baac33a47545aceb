/**
 * Trading in the simulated event contracts: quotes, order books, trade prints,
 * volume and K-lines, all read off one contract's fair probability path (see
 * `event_contracts.ts`), so the replies agree with one another:
 *
 * - the YES quote of a minute is its fair probability in cents with a 1–3 cent
 *   spread; the NO side mirrors it (NO bid = 1 − YES ask, NO ask = 1 − YES bid,
 *   same sizes), prices in dollars within [0.01, 0.99], tick 0.01;
 * - the traded volume is a random measure over the contract's life (so
 *   cumulative volume at any instant costs one descent and bars of any size
 *   add up); each minute's volume is split into 1–3 prints at that minute's
 *   YES ask (a YES buyer) or YES bid (a NO buyer), yes + no price = 1;
 * - the snapshot's last price and time are the last print's; a trade-price
 *   K-line's close is its bar's last print, so the last bar closes at the
 *   snapshot price; an order-book K-line (OrderBookYes) follows the YES bid.
 *
 * Trading runs from the open to the close; before, there is no book and no
 * print; after, the book is empty and the last print stays. Day-bar highs and
 * lows are sampled from one minute per hour; minute and hour bars are exact.
 *
 * @module
 */
import { Common_PredSide } from "../gateway/proto/messages.ts";
import { measure, unit } from "./_event_contracts_math.ts";
import { type EcContract, etDay, etText, fairProbability } from "./event_contracts.ts";
import { utcOf } from "./clock.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A YES quote in cents with its sizes. */
export interface EcQuote {
  bid: number;
  ask: number;
  bidSize: number;
  askSize: number;
}

/** One trade print. */
export interface EcPrint {
  ms: number;
  /** YES price in cents. */
  yes: number;
  volume: number;
  side: number;
  sequence: number;
}

/** A K-line bar, prices in cents. */
export interface EcBar {
  startMs: number;
  endMs: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** K-line periods event contracts have. */
export type EcPeriod = "1m" | "60m" | "day";

/** Dollars of a price in cents. */
export function dollars(cents: number): number {
  return Math.round(cents) / 100;
}

function floorMinute(ms: number): number {
  return Math.floor(ms / MINUTE) * MINUTE;
}

function trading(contract: EcContract, minuteMs: number): boolean {
  return minuteMs >= contract.event.openMs && minuteMs < contract.event.closeMs;
}

function levelSize(contract: EcContract, minute: number, side: number, level: number): number {
  const u = unit(contract.key, minute, side, level, 3);
  return Math.round(10 + 4000 * u * u) + level * 25;
}

/** The YES quote of the minute containing `ms`, while the contract trades. */
export function quoteAt(contract: EcContract, ms: number): EcQuote | undefined {
  const minuteMs = floorMinute(ms);
  if (!trading(contract, minuteMs)) return undefined;
  const p = fairProbability(contract, minuteMs);
  const minute = minuteMs / MINUTE;
  const u = unit(contract.key, minute, 1);
  const spread = u < 0.55 ? 1 : u < 0.85 ? 2 : 3;
  const bid = Math.min(99 - spread, Math.max(1, Math.round(100 * p - spread / 2)));
  return {
    bid,
    ask: bid + spread,
    bidSize: levelSize(contract, minute, 0, 0),
    askSize: levelSize(contract, minute, 1, 0),
  };
}

/** A book level in cents. */
export interface EcLevel {
  price: number;
  size: number;
}

/** The YES book of the minute containing `ms`: bids falling and asks rising one cent a level, at most `levels` each. */
export function bookAt(contract: EcContract, ms: number, levels: number): { bids: EcLevel[]; asks: EcLevel[] } {
  const quote = quoteAt(contract, ms);
  if (!quote) return { bids: [], asks: [] };
  const minute = floorMinute(ms) / MINUTE;
  const bids: EcLevel[] = [];
  const asks: EcLevel[] = [];
  for (let i = 0; i < levels; i++) {
    if (quote.bid - i >= 1) bids.push({ price: quote.bid - i, size: levelSize(contract, minute, 0, i) });
    if (quote.ask + i <= 99) asks.push({ price: quote.ask + i, size: levelSize(contract, minute, 1, i) });
  }
  return { bids, asks };
}

/** Lifetime volume of a contract. */
function lifetimeVolume(contract: EcContract): number {
  const event = contract.event;
  return Math.round(event.volume * (0.4 + 1.2 * unit(contract.key, 11)) / Math.sqrt(event.contracts.length));
}

/** Volume of the prints before the minute boundary `minuteMs` (the whole life's measure up to it). */
function volumeBeforeMinute(contract: EcContract, minuteMs: number): number {
  const { openMs, closeMs } = contract.event;
  const tau = (minuteMs - openMs) / (closeMs - openMs);
  return Math.floor(lifetimeVolume(contract) * measure(contract.key, tau));
}

/** The prints of one minute (all of it, whatever the clock says). */
export function printsInMinute(contract: EcContract, minuteMs: number): EcPrint[] {
  if (!trading(contract, minuteMs)) return [];
  const volume = volumeBeforeMinute(contract, minuteMs + MINUTE) - volumeBeforeMinute(contract, minuteMs);
  if (volume <= 0) return [];
  const quote = quoteAt(contract, minuteMs)!;
  const minute = minuteMs / MINUTE;
  const n = Math.min(volume, 1 + Math.floor(3 * unit(contract.key, minute, 5)));
  const prints: EcPrint[] = [];
  for (let i = 0; i < n; i++) {
    const second = Math.floor(((i + unit(contract.key, minute, 6, i)) * 60) / n);
    const yesBuyer = unit(contract.key, minute, 8, i) < 0.5;
    prints.push({
      ms: minuteMs + second * 1000,
      yes: yesBuyer ? quote.ask : quote.bid,
      volume: Math.floor(volume / n) + (i < volume % n ? 1 : 0),
      side: yesBuyer ? Common_PredSide.Yes : Common_PredSide.No,
      sequence: minute * 4 + i,
    });
  }
  return prints;
}

/** Volume traded before `ms`, as of `nowMs`. */
export function volumeBefore(contract: EcContract, ms: number, nowMs: number): number {
  const end = Math.min(ms, nowMs + 1, contract.event.closeMs);
  if (end <= contract.event.openMs) return 0;
  const minuteMs = floorMinute(end);
  let volume = volumeBeforeMinute(contract, minuteMs);
  for (const p of printsInMinute(contract, minuteMs)) if (p.ms < end) volume += p.volume;
  return volume;
}

/** The latest `count` prints at or before `nowMs`, oldest first. */
export function latestPrints(contract: EcContract, nowMs: number, count: number): EcPrint[] {
  const end = Math.min(nowMs + 1, contract.event.closeMs);
  const out: EcPrint[] = [];
  for (let m = floorMinute(end - 1); m >= contract.event.openMs && out.length < count; m -= MINUTE) {
    const prints = printsInMinute(contract, m).filter((p) => p.ms < end);
    for (let i = prints.length - 1; i >= 0 && out.length < count; i--) out.push(prints[i]);
  }
  return out.reverse();
}

/** The prints after `afterMs` up to `nowMs`, oldest first (the latest `max` of them when there are more). */
export function printsBetween(contract: EcContract, afterMs: number, nowMs: number, max: number): EcPrint[] {
  const end = Math.min(nowMs + 1, contract.event.closeMs);
  const first = Math.max(contract.event.openMs, floorMinute(afterMs));
  const out: EcPrint[] = [];
  for (let m = floorMinute(end - 1); m >= first && out.length < max; m -= MINUTE) {
    const prints = printsInMinute(contract, m).filter((p) => p.ms > afterMs && p.ms < end);
    for (let i = prints.length - 1; i >= 0 && out.length < max; i--) out.push(prints[i]);
  }
  return out.reverse();
}

// ---- K-lines ----

/** The start of the bar containing `ms`. */
export function barStart(period: EcPeriod, ms: number): number {
  if (period === "1m") return floorMinute(ms);
  if (period === "60m") return Math.floor(ms / HOUR) * HOUR;
  return utcOf("US", etDay(ms), 0);
}

/** The end of the bar starting at `startMs`. */
export function barEnd(period: EcPeriod, startMs: number): number {
  if (period === "1m") return startMs + MINUTE;
  if (period === "60m") return startMs + HOUR;
  return utcOf("US", etDay(startMs) + 1, 0);
}

/** The time key of a bar: its end for minute and hour bars, its date at 00:00:00 for day bars (US Eastern). */
export function barKey(period: EcPeriod, bar: EcBar): string {
  return period === "day" ? etText(bar.startMs) : etText(bar.endMs);
}

/** The minutes whose data a bar reads: all of them for minute and hour bars, one an hour plus the ends for day bars. */
function sampleMinutes(period: EcPeriod, from: number, to: number): number[] {
  const out: number[] = [];
  const step = period === "day" ? HOUR : MINUTE;
  for (let m = from; m < to; m += step) out.push(m);
  const last = floorMinute(to - 1);
  if (out[out.length - 1] !== last) out.push(last);
  return out;
}

/**
 * The bar of `period` starting at `startMs` as of `nowMs`: trade prices (the YES side, or NO = 100 − YES),
 * or the YES bid with `orderBook`; undefined when the contract did not trade (or quote) in it.
 */
export function barAt(
  contract: EcContract,
  period: EcPeriod,
  startMs: number,
  nowMs: number,
  side: number,
  orderBook: boolean,
): EcBar | undefined {
  const endMs = barEnd(period, startMs);
  const from = Math.max(startMs, contract.event.openMs);
  const to = Math.min(endMs, nowMs + 1, contract.event.closeMs);
  if (from >= to) return undefined;
  const volume = volumeBefore(contract, endMs, nowMs) - volumeBefore(contract, startMs, nowMs);
  const prices: number[] = [];
  if (orderBook) {
    for (const m of sampleMinutes(period, floorMinute(from), to)) {
      const quote = quoteAt(contract, m);
      if (quote) prices.push(quote.bid);
    }
  } else {
    const inBar = (p: EcPrint) => p.ms >= from && p.ms < to;
    const first = firstPrint(contract, floorMinute(from), to, inBar);
    if (!first) return undefined;
    const last = lastPrint(contract, floorMinute(from), to, inBar)!;
    prices.push(first.yes);
    for (const m of sampleMinutes(period, floorMinute(from), to)) {
      for (const p of printsInMinute(contract, m)) if (inBar(p)) prices.push(p.yes);
    }
    prices.push(last.yes);
  }
  if (prices.length === 0) return undefined;
  const flip = side === Common_PredSide.No && !orderBook;
  const price = (cents: number) => (flip ? 100 - cents : cents);
  const converted = prices.map(price);
  return {
    startMs,
    endMs,
    open: converted[0],
    close: converted[converted.length - 1],
    high: Math.max(...converted),
    low: Math.min(...converted),
    volume,
  };
}

function firstPrint(contract: EcContract, from: number, to: number, keep: (p: EcPrint) => boolean) {
  for (let m = from; m < to; m += MINUTE) {
    const found = printsInMinute(contract, m).find(keep);
    if (found) return found;
  }
  return undefined;
}

function lastPrint(contract: EcContract, from: number, to: number, keep: (p: EcPrint) => boolean) {
  for (let m = floorMinute(to - 1); m >= from; m -= MINUTE) {
    const found = printsInMinute(contract, m).filter(keep).at(-1);
    if (found) return found;
  }
  return undefined;
}

/** The latest `count` bars up to `nowMs`, oldest first (bars without trades left out). */
export function latestBars(
  contract: EcContract,
  period: EcPeriod,
  nowMs: number,
  count: number,
  side: number,
  orderBook: boolean,
): EcBar[] {
  const out: EcBar[] = [];
  const last = Math.min(nowMs, contract.event.closeMs - 1);
  for (let start = barStart(period, last); out.length < count; start = barStart(period, start - 1)) {
    if (barEnd(period, start) <= contract.event.openMs) break;
    const bar = barAt(contract, period, start, nowMs, side, orderBook);
    if (bar) out.push(bar);
  }
  return out.reverse();
}

/** Bars starting in [fromMs, toMs] as of `nowMs`, oldest first, at most `max`. */
export function barsBetween(
  contract: EcContract,
  period: EcPeriod,
  fromMs: number,
  toMs: number,
  nowMs: number,
  max: number,
  side: number,
  orderBook: boolean,
): EcBar[] {
  const out: EcBar[] = [];
  const end = Math.min(toMs, nowMs, contract.event.closeMs - 1);
  let start = barStart(period, Math.max(fromMs, contract.event.openMs));
  if (start < fromMs) start = barEnd(period, start);
  for (; start <= end && out.length < max; start = barEnd(period, start)) {
    const bar = barAt(contract, period, start, nowMs, side, orderBook);
    if (bar) out.push(bar);
  }
  return out;
}
