/**
 * Market data for the surfaces: every read subscribes what OpenD needs first,
 * keeps track of the subscription quota, and when the quota runs short
 * releases the least recently used subscriptions that OpenD allows to be
 * released (held for at least a minute).
 *
 * @example
 * ```ts
 * import { Gateway } from "../gateway/mod.ts";
 * import { MarketDataService } from "./market_data.ts";
 * const market = new MarketDataService(await Gateway.connect({ gateway: "127.0.0.1:11111" }));
 * const [quote] = await market.quotes(["HK.00700"]); // subscribes QUOTE on first use
 * ```
 *
 * @module
 */
import {
  type BasicQuote,
  type BrokerQueue,
  type Gateway,
  type HistoryKLOptions,
  type KLineSeries,
  type KLTypeName,
  type MarketPrefix,
  type MarketStateInfo,
  OpenDError,
  type OrderBookSnapshot,
  parseSymbol,
  type Plate,
  type PlateSetTypeName,
  type RehabTypeName,
  type RtSeries,
  type Snapshot,
  type StaticInfo,
  type SubscriptionInfo,
  type SubTypeName,
  type TickerSeries,
} from "../gateway/types.ts";
import { throwIfCancelled } from "../gateway/long_read.ts";

/** The quota is full and nothing can be released yet. */
export class QuotaExhaustedError extends Error {
  override name = "QuotaExhaustedError";
}

/** Options of {@link MarketDataService}. */
export interface MarketDataOptions {
  /** How long OpenD makes a subscription stay before it can be released. Default 60 000 ms. */
  minHoldMs?: number;
  now?: () => number;
}

/** Largest `max_count` of one history request across pages. */
export const MAX_HISTORY_ROWS = 10_000;

function pairKey(symbol: string, subType: SubTypeName): string {
  return `${symbol}|${subType}`;
}

/** See the module documentation. */
export class MarketDataService {
  readonly #gateway: Gateway;
  readonly #minHoldMs: number;
  readonly #now: () => number;
  /** Pairs this service subscribed: when, and when last read. */
  readonly #held = new Map<string, { symbol: string; subType: SubTypeName; since: number; lastUsed: number }>();
  /** Pairs with pushes registered for subscribers, and how many want each: never released. */
  readonly #pins = new Map<string, number>();
  #lock: Promise<unknown> = Promise.resolve();

  constructor(gateway: Gateway, options: MarketDataOptions = {}) {
    this.#gateway = gateway;
    this.#minHoldMs = options.minHoldMs ?? 60_000;
    this.#now = options.now ?? (() => Date.now());
  }

  /** Real-time quotes (subscribes QUOTE). */
  quotes(symbols: string[]): Promise<BasicQuote[]> {
    const normalised = symbols.map((s) => parseSymbol(s).symbol);
    return this.#read(normalised, "QUOTE", () => this.#gateway.quote.getBasicQot(normalised));
  }

  /** Order book, `depth` ≤ 10 levels (subscribes ORDER_BOOK). */
  orderBook(symbol: string, depth: number): Promise<OrderBookSnapshot> {
    const s = parseSymbol(symbol).symbol;
    return this.#read([s], "ORDER_BOOK", () => this.#gateway.quote.getOrderBook(s, depth));
  }

  /** Latest trade prints, `count` ≤ 1000 (subscribes TICKER). */
  ticker(symbol: string, count: number): Promise<TickerSeries> {
    const s = parseSymbol(symbol).symbol;
    return this.#read([s], "TICKER", () => this.#gateway.quote.getTicker(s, count));
  }

  /** Today's intraday series (subscribes RT_DATA). */
  timeShare(symbol: string): Promise<RtSeries> {
    const s = parseSymbol(symbol).symbol;
    return this.#read([s], "RT_DATA", () => this.#gateway.quote.getRT(s));
  }

  /** HK broker queue (subscribes BROKER). */
  brokers(symbol: string): Promise<BrokerQueue> {
    const s = parseSymbol(symbol).symbol;
    return this.#read([s], "BROKER", () => this.#gateway.quote.getBroker(s));
  }

  /** The latest `count` ≤ 1000 candles (subscribes the K-line type). */
  latestKlines(symbol: string, klType: KLTypeName, count: number, rehab: RehabTypeName): Promise<KLineSeries> {
    const s = parseSymbol(symbol).symbol;
    return this.#read([s], klType, () => this.#gateway.quote.getKL(s, klType, count, rehab));
  }

  /**
   * Candles between two dates across pages, up to `maxCount` (history quota, no subscription); with `pageKey`,
   * that one page. `onPage` reports rows so far; an aborted `signal` stops before the next page.
   */
  async historyKlines(
    symbol: string,
    klType: KLTypeName,
    options: Omit<HistoryKLOptions, "maxPerPage"> & {
      maxCount: number;
      onPage?: (rows: number) => void;
      signal?: AbortSignal;
    },
  ): Promise<KLineSeries> {
    const s = parseSymbol(symbol).symbol;
    const { maxCount, onPage, signal, ...request } = options;
    if (request.pageKey !== undefined) {
      throwIfCancelled(signal);
      return await this.#gateway.quote.requestHistoryKL(s, klType, {
        ...request,
        maxPerPage: Math.min(1000, maxCount),
      });
    }
    return await this.#gateway.quote.requestHistoryKLAll(s, klType, {
      ...request,
      maxCount,
      maxPerPage: Math.min(1000, maxCount),
      onPage,
      signal,
    });
  }

  /** Snapshots (no subscription). */
  snapshots(symbols: string[]): Promise<Snapshot[]> {
    return this.#gateway.quote.getSnapshot(symbols.map((s) => parseSymbol(s).symbol));
  }

  /** Static information (no subscription). */
  staticInfo(symbols: string[]): Promise<StaticInfo[]> {
    return this.#gateway.quote.getStaticInfo(symbols.map((s) => parseSymbol(s).symbol));
  }

  /** Plates of a market. */
  plates(market: MarketPrefix, type: PlateSetTypeName): Promise<Plate[]> {
    return this.#gateway.quote.getPlateSet(market, type);
  }

  /** Constituents of a plate. */
  plateStocks(plate: string): Promise<StaticInfo[]> {
    return this.#gateway.quote.getPlateSecurity(parseSymbol(plate).symbol);
  }

  /** Market state of securities. */
  marketStates(symbols: string[]): Promise<MarketStateInfo[]> {
    return this.#gateway.quote.getMarketState(symbols.map((s) => parseSymbol(s).symbol));
  }

  /** Subscribes with pushes registered, and keeps the pairs until {@link MarketDataService.unpin}. */
  async pin(symbols: string[], subType: SubTypeName): Promise<void> {
    const normalised = symbols.map((s) => parseSymbol(s).symbol);
    await this.#ensure(normalised, subType);
    const fresh = normalised.filter((s) => (this.#pins.get(pairKey(s, subType)) ?? 0) === 0);
    if (fresh.length > 0) await this.#gateway.quote.registerPush(fresh, [subType], true);
    for (const s of normalised) this.#pins.set(pairKey(s, subType), (this.#pins.get(pairKey(s, subType)) ?? 0) + 1);
  }

  /** Undoes one {@link MarketDataService.pin}; the last one unregisters the pushes. */
  async unpin(symbols: string[], subType: SubTypeName): Promise<void> {
    const done: string[] = [];
    for (const s of symbols.map((x) => parseSymbol(x).symbol)) {
      const key = pairKey(s, subType);
      const count = (this.#pins.get(key) ?? 0) - 1;
      if (count > 0) this.#pins.set(key, count);
      else if (this.#pins.delete(key)) done.push(s);
    }
    if (done.length > 0) await this.#gateway.quote.registerPush(done, [subType], false);
  }

  /** OpenD's view of subscriptions and quota. */
  subscriptionInfo(): Promise<SubscriptionInfo> {
    return this.#gateway.quote.getSubInfo();
  }

  /**
   * Ensures the subscription, then reads. If OpenD says the pair is not
   * subscribed (a replay after a reconnect can fail), subscribes again and
   * retries once: reads are safe to repeat.
   */
  async #read<T>(symbols: string[], subType: SubTypeName, read: () => Promise<T>): Promise<T> {
    await this.#ensure(symbols, subType);
    try {
      return await read();
    } catch (err) {
      if (!(err instanceof OpenDError) || !/not subscribed/i.test(err.retMsg)) throw err;
      for (const s of symbols) this.#held.delete(pairKey(s, subType));
      await this.#ensure(symbols, subType);
      return await read();
    }
  }

  /** Serialised: concurrent calls must not race on the quota. */
  #ensure(symbols: string[], subType: SubTypeName): Promise<void> {
    const run = this.#lock.then(() => this.#ensureNow(symbols, subType));
    this.#lock = run.catch(() => {});
    return run;
  }

  async #ensureNow(symbols: string[], subType: SubTypeName): Promise<void> {
    const now = this.#now();
    const live = new Set(this.#gateway.quote.subscriptions.map((s) => pairKey(s.symbol, s.subType)));
    for (const [key] of this.#held) if (!live.has(key)) this.#held.delete(key);
    const missing = symbols.filter((s) => !live.has(pairKey(s, subType)));
    for (const s of symbols) {
      const held = this.#held.get(pairKey(s, subType));
      if (held) held.lastUsed = now;
    }
    if (missing.length === 0) return;
    try {
      await this.#gateway.quote.subscribe(missing, [subType], { push: false });
    } catch (err) {
      if (!(err instanceof OpenDError) || !/quota/i.test(err.retMsg)) throw err;
      await this.#release(missing.length, new Set(symbols.map((s) => pairKey(s, subType))));
      await this.#gateway.quote.subscribe(missing, [subType], { push: false });
    }
    for (const s of missing) this.#held.set(pairKey(s, subType), { symbol: s, subType, since: now, lastUsed: now });
  }

  /** Frees at least `needed` units by releasing the least recently used releasable pairs. */
  async #release(needed: number, keep: Set<string>): Promise<void> {
    const info = await this.#gateway.quote.getSubInfo();
    const shortBy = needed - info.remainQuota;
    if (shortBy <= 0) return;
    const now = this.#now();
    const candidates = [...this.#held.entries()]
      .filter(([key, h]) => !keep.has(key) && !this.#pins.has(key) && now - h.since >= this.#minHoldMs)
      .sort((a, b) => a[1].lastUsed - b[1].lastUsed);
    if (candidates.length < shortBy) {
      const waiting = [...this.#held.values()].filter((h) => now - h.since < this.#minHoldMs);
      const soonest = waiting.length > 0
        ? Math.ceil((Math.min(...waiting.map((h) => h.since)) + this.#minHoldMs - now) / 1000)
        : undefined;
      throw new QuotaExhaustedError(
        `subscription quota full: ${info.totalUsedQuota} used, ${info.remainQuota} left, ${needed} needed; ` +
          `${candidates.length} subscription(s) can be released now` +
          (soonest !== undefined ? `, more in ${soonest} s (OpenD holds subscriptions for a minute)` : "") +
          ". Ask for fewer symbols or retry later.",
      );
    }
    const chosen = candidates.slice(0, shortBy);
    const bySubType = new Map<SubTypeName, string[]>();
    for (const [, h] of chosen) bySubType.set(h.subType, [...(bySubType.get(h.subType) ?? []), h.symbol]);
    for (const [subType, list] of bySubType) {
      await this.#gateway.quote.unsubscribe(list, [subType]);
      for (const s of list) this.#held.delete(pairKey(s, subType));
    }
  }
}
