/**
 * Options, warrants and futures: what the tools use of OpenD. An option chain
 * read takes the nearest expiry when no date is given, splits a long expiry
 * range into the 30-day windows OpenD allows, keeps a strike range, and can
 * price every contract from one snapshot request per 400 contracts, reporting
 * each request done and stopping between them when the caller cancels.
 *
 * @module
 */
import {
  type FutureInfo,
  type Gateway,
  type OptionChainExpiry,
  type OptionConditionName,
  type OptionDataFilter,
  type OptionExpiry,
  type OptionTypeName,
  parseSymbol,
  type ReferenceTypeName,
  type Snapshot,
  type StaticInfo,
  type WarrantPage,
  type WarrantQuery,
} from "../gateway/types.ts";
import { afterRequest, type LongRead, throwIfCancelled } from "../gateway/long_read.ts";

/** Longest expiry range OpenD answers in one option chain request. */
const CHAIN_WINDOW_DAYS = 30;
/**
 * Longest expiry range one chain read covers: 10 windows of 31 days, because OpenD answers at most 10 option chain
 * requests per 30 s (a year, 12 windows, would be refused at its 11th).
 */
export const MAX_CHAIN_DAYS = 309;
/** Symbols per snapshot request. */
const SNAPSHOT_BATCH = 400;

/** What a chain read asks for; the tools check the dates (end after begin, at most {@link MAX_CHAIN_DAYS} apart). */
export interface ChainRequest {
  /** One expiry, "YYYY-MM-DD"; or a range with begin/end; neither: the nearest expiry. */
  expiry?: string;
  begin?: string;
  end?: string;
  type?: OptionTypeName;
  condition?: OptionConditionName;
  strikeMin?: number;
  strikeMax?: number;
  filter?: OptionDataFilter;
  /** Price each contract (snapshots). */
  quotes: boolean;
}

/** A chain with, when asked, a snapshot of each contract and of the underlying. */
export interface PricedChain {
  symbol: string;
  /** The underlying's last price (with quotes). */
  spot?: number;
  expiries: OptionChainExpiry[];
  /** Snapshots by contract symbol (with quotes). */
  quotes: Map<string, Snapshot>;
}

const DAY_MS = 86_400_000;

function dayOf(date: string): number {
  return Math.round(Date.parse(`${date.slice(0, 10)}T00:00:00Z`) / DAY_MS);
}

function isoOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Options, warrants and futures. */
export class DerivativesService {
  readonly #gateway: Gateway;

  constructor(gateway: Gateway) {
    this.#gateway = gateway;
  }

  /** Listed option expiries of an underlying. */
  expirations(symbol: string): Promise<OptionExpiry[]> {
    return this.#gateway.derivatives.getOptionExpirations(parseSymbol(symbol).symbol);
  }

  /**
   * An option chain (see {@link ChainRequest}): one request per 30-day window, then one snapshot request per 400
   * contracts. `read` hears of each request done (of those planned so far) and stops the chain between requests.
   */
  async chain(symbol: string, request: ChainRequest, read: LongRead = {}): Promise<PricedChain> {
    const owner = parseSymbol(symbol).symbol;
    let begin = request.expiry ?? request.begin;
    let end = request.expiry ?? request.end;
    if (begin === undefined) {
      const next = (await this.expirations(owner)).find((e) => e.daysToExpiry >= 0);
      if (!next) return { symbol: owner, expiries: [], quotes: new Map() };
      begin = end = next.date;
    }
    end ??= isoOf(dayOf(begin) + CHAIN_WINDOW_DAYS);
    const first = dayOf(begin);
    const last = Math.min(dayOf(end), first + MAX_CHAIN_DAYS);
    const windows = Math.floor((last - first) / (CHAIN_WINDOW_DAYS + 1)) + 1;
    const expiries: OptionChainExpiry[] = [];
    for (let from = first, done = 0; from <= last; from += CHAIN_WINDOW_DAYS + 1) {
      const to = Math.min(last, from + CHAIN_WINDOW_DAYS);
      throwIfCancelled(read.signal);
      expiries.push(
        ...await this.#gateway.derivatives.getOptionChain(owner, {
          begin: isoOf(from),
          end: isoOf(to),
          type: request.type,
          condition: request.condition,
          filter: request.filter,
        }),
      );
      afterRequest(read, ++done, windows, `option chain, expiries to ${isoOf(to)}`);
    }
    for (const expiry of expiries) {
      expiry.options = expiry.options.filter((o) =>
        (request.strikeMin === undefined || o.strike >= request.strikeMin) &&
        (request.strikeMax === undefined || o.strike <= request.strikeMax)
      );
    }
    const nonEmpty = expiries.filter((e) => e.options.length > 0);
    if (!request.quotes) return { symbol: owner, expiries: nonEmpty, quotes: new Map() };
    const contracts = nonEmpty.flatMap((e) => e.options.flatMap((o) => [o.call, o.put]))
      .filter((c): c is StaticInfo => c !== undefined).map((c) => c.symbol);
    const wanted = [owner, ...contracts];
    const quotes = new Map<string, Snapshot>();
    const batches = Math.ceil(wanted.length / SNAPSHOT_BATCH);
    for (let i = 0; i < wanted.length; i += SNAPSHOT_BATCH) {
      throwIfCancelled(read.signal);
      const batch = wanted.slice(i, i + SNAPSHOT_BATCH);
      for (const s of await this.#gateway.quote.getSnapshot(batch)) quotes.set(s.symbol, s);
      afterRequest(
        read,
        windows + i / SNAPSHOT_BATCH + 1,
        windows + batches,
        `option chain, ${i + batch.length} of ${wanted.length} snapshots`,
      );
    }
    return { symbol: owner, spot: quotes.get(owner)?.curPrice, expiries: nonEmpty, quotes };
  }

  /** One page of warrants. */
  warrants(query: WarrantQuery): Promise<WarrantPage> {
    return this.#gateway.derivatives.getWarrants({
      ...query,
      owner: query.owner === undefined ? undefined : parseSymbol(query.owner).symbol,
    });
  }

  /** A stock's warrants, or a main futures contract's contract months. */
  related(symbol: string, type: ReferenceTypeName): Promise<StaticInfo[]> {
    return this.#gateway.derivatives.getReference(parseSymbol(symbol).symbol, type);
  }

  /** Futures contract terms. */
  futureInfo(symbols: string[]): Promise<FutureInfo[]> {
    return this.#gateway.derivatives.getFutureInfo(symbols.map((s) => parseSymbol(s).symbol));
  }
}
