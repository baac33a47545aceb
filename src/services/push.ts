/**
 * Pushes for subscribers (WebSocket clients, MCP sessions): quote pushes for
 * the (symbol, type) pairs a subscriber asked for, order and fill pushes for
 * its accounts. Every push passes a filter at dispatch that re-checks the
 * subscriber's right to see it, whatever was checked when it subscribed.
 *
 * @example
 * ```ts
 * // const hub = new PushHub(gateway, market, (subscriber, push) => Promise.resolve(true));
 * // await hub.watchQuotes({ id: "ws-1", caller: "bot", send: console.log }, ["HK.00700"], ["QUOTE"]);
 * ```
 *
 * @module
 */
import type { Gateway, SubTypeName } from "../gateway/types.ts";
import type { MarketDataService } from "./market_data.ts";

/** Where a subscriber's pushes go. */
export interface PushChannel {
  /** Unique per connection or session. */
  readonly id: string;
  /** The key (id) the channel belongs to. */
  readonly caller: string;
  send(push: PushMessage): void;
}

/** A push as subscribers receive it. */
export type PushMessage =
  | { type: "quote" | "kline" | "ticker" | "orderbook" | "rt" | "broker"; symbol: string; data: unknown }
  | { type: "order" | "fill"; acc_id: string; env: string; market: string; data: unknown }
  | { type: "reminder"; symbol: string; data: unknown };

/** Decides, at dispatch, whether a channel may receive a push. */
export type PushFilter = (channel: PushChannel, push: PushMessage) => Promise<boolean>;

interface Subscriber {
  channel: PushChannel;
  pairs: Set<string>;
  accounts: Set<string>;
  /** Fired price reminders: OpenD pushes them to every connection, so no subscription is made. */
  reminders: boolean;
}

/** See the module documentation. */
export class PushHub {
  readonly #gateway: Gateway;
  readonly #market: MarketDataService;
  readonly #filter: PushFilter;
  readonly #subscribers = new Map<string, Subscriber>();
  #accountSync: Promise<void> = Promise.resolve();

  constructor(gateway: Gateway, market: MarketDataService, filter: PushFilter) {
    this.#gateway = gateway;
    this.#market = market;
    this.#filter = filter;
    const q = gateway.quote;
    q.onBasicQuote((data) => this.#dispatchQuote(`${data.symbol}|QUOTE`, { type: "quote", symbol: data.symbol, data }));
    q.onTicker((data) => this.#dispatchQuote(`${data.symbol}|TICKER`, { type: "ticker", symbol: data.symbol, data }));
    q.onOrderBook((data) =>
      this.#dispatchQuote(`${data.symbol}|ORDER_BOOK`, { type: "orderbook", symbol: data.symbol, data })
    );
    q.onRT((data) => this.#dispatchQuote(`${data.symbol}|RT_DATA`, { type: "rt", symbol: data.symbol, data }));
    q.onBroker((data) => this.#dispatchQuote(`${data.symbol}|BROKER`, { type: "broker", symbol: data.symbol, data }));
    q.onKLine((data) =>
      this.#dispatchQuote(`${data.symbol}|${data.klType}`, { type: "kline", symbol: data.symbol, data })
    );
    gateway.trade.onOrderUpdate((u) =>
      this.#dispatchTrade(u.accId, { type: "order", acc_id: u.accId, env: u.env, market: u.market, data: u.order })
    );
    gateway.trade.onFill((u) =>
      this.#dispatchTrade(u.accId, { type: "fill", acc_id: u.accId, env: u.env, market: u.market, data: u.fill })
    );
    gateway.watchlist.onPriceReminder((data) => {
      for (const s of this.#subscribers.values()) {
        if (s.reminders) this.#deliver(s.channel, { type: "reminder", symbol: data.symbol, data });
      }
    });
  }

  #subscriber(channel: PushChannel): Subscriber {
    let s = this.#subscribers.get(channel.id);
    if (!s) this.#subscribers.set(channel.id, s = { channel, pairs: new Set(), accounts: new Set(), reminders: false });
    return s;
  }

  /** Quote pushes of these pairs for the channel. */
  async watchQuotes(channel: PushChannel, symbols: string[], subTypes: SubTypeName[]): Promise<void> {
    const subscriber = this.#subscriber(channel);
    for (const subType of subTypes) {
      await this.#market.pin(symbols, subType);
      for (const symbol of symbols) subscriber.pairs.add(`${symbol}|${subType}`);
    }
  }

  /** Stops quote pushes of these pairs (or all) for the channel. */
  async unwatchQuotes(channel: PushChannel, symbols?: string[], subTypes?: SubTypeName[]): Promise<void> {
    const subscriber = this.#subscribers.get(channel.id);
    if (!subscriber) return;
    for (const pair of [...subscriber.pairs]) {
      const [symbol, subType] = pair.split("|") as [string, SubTypeName];
      if ((symbols && !symbols.includes(symbol)) || (subTypes && !subTypes.includes(subType))) continue;
      subscriber.pairs.delete(pair);
      await this.#market.unpin([symbol], subType);
    }
  }

  /** Order and fill pushes of these accounts for the channel. */
  watchAccounts(channel: PushChannel, accIds: string[]): Promise<void> {
    const subscriber = this.#subscriber(channel);
    for (const id of accIds) subscriber.accounts.add(id);
    return this.#syncAccounts();
  }

  /** Stops order and fill pushes of these accounts (or all). */
  unwatchAccounts(channel: PushChannel, accIds?: string[]): Promise<void> {
    const subscriber = this.#subscribers.get(channel.id);
    if (!subscriber) return Promise.resolve();
    for (const id of accIds ?? [...subscriber.accounts]) subscriber.accounts.delete(id);
    return this.#syncAccounts();
  }

  /** Fired price reminders for the channel (on), or no more (off); returns whether it now gets them. */
  watchReminders(channel: PushChannel, on: boolean): boolean {
    const subscriber = on ? this.#subscriber(channel) : this.#subscribers.get(channel.id);
    if (subscriber) subscriber.reminders = on;
    return subscriber?.reminders ?? false;
  }

  /** What a channel watches. */
  watching(channel: PushChannel): { pairs: string[]; accounts: string[] } {
    const s = this.#subscribers.get(channel.id);
    return { pairs: [...(s?.pairs ?? [])], accounts: [...(s?.accounts ?? [])] };
  }

  /** Forgets every channel of a connection or session (ids `<session>:<key>`) when it ends. */
  async removeSession(sessionId: string): Promise<void> {
    const gone = [...this.#subscribers.values()].filter((s) => s.channel.id.startsWith(`${sessionId}:`));
    if (gone.length === 0) return;
    for (const subscriber of gone) {
      await this.unwatchQuotes(subscriber.channel).catch(() => {});
      this.#subscribers.delete(subscriber.channel.id);
    }
    await this.#syncAccounts().catch(() => {});
  }

  /** OpenD's account push list is the union of what every subscriber watches (SubAccPush replaces it). */
  #syncAccounts(): Promise<void> {
    const run = this.#accountSync.catch(() => {}).then(() => {
      const union = new Set<string>();
      for (const s of this.#subscribers.values()) for (const id of s.accounts) union.add(id);
      return this.#gateway.trade.subAccPush([...union]);
    });
    this.#accountSync = run;
    return run;
  }

  #dispatchQuote(pair: string, push: PushMessage): void {
    for (const s of this.#subscribers.values()) if (s.pairs.has(pair)) this.#deliver(s.channel, push);
  }

  #dispatchTrade(accId: string, push: PushMessage): void {
    for (const s of this.#subscribers.values()) if (s.accounts.has(accId)) this.#deliver(s.channel, push);
  }

  #deliver(channel: PushChannel, push: PushMessage): void {
    this.#filter(channel, push).then((allowed) => {
      if (allowed) channel.send(push);
    }).catch(() => {/* a failed check drops the push */});
  }
}
