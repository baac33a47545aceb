/**
 * What the simulated OpenD measures of itself for GetDelayStatistics:
 *
 * - requests: wall time from a request's arrival to its reply being written
 *   (handler, rate limit and any fault stall included), per protocol. The
 *   simulator answers everything itself, so there is no network leg;
 * - quote pushes: for each trade print a price or ticker push carried, how
 *   long after the print (market clock) the push went out, and how long the
 *   push took to build and write (wall time). The print is the market event;
 *   the simulated exchange and OpenD are one process, so the server-to-OpenD
 *   leg is zero. First pushes replay cached data and are not counted;
 * - orders: each placement's reply time, and how long after the reply
 *   (market clock) the order reached the exchange (SUBMITTED).
 *
 * Samples are kept for the most recent {@link MAX_SAMPLES} pushes and
 * {@link MAX_ORDERS} orders; request figures are totals since start.
 *
 * @module
 */
import { protoIdOf, type RequestProtocol } from "../gateway/proto/codec.ts";

/** Quote pushes the simulator measures. */
export type PushKind = "PRICE" | "TICKER";

/** One quote push sample, ms. */
export interface PushSample {
  kind: PushKind;
  /** Market event (the print) to the push being built: market clock. */
  eventToTick: number;
  /** Building and writing the push: wall clock. */
  build: number;
}

/** Request totals of one protocol. */
export interface RequestTotals {
  protoId: number;
  count: number;
  totalMs: number;
}

/** One placed order. */
export interface OrderSample {
  orderId: string;
  /** Request arrival to reply, wall ms. */
  replyMs: number;
  /** Reply to SUBMITTED, market ms; undefined while the order waits to be submitted. */
  submitMs?: number;
}

/** Push samples kept. */
export const MAX_SAMPLES = 10_000;
/** Orders kept. */
export const MAX_ORDERS = 1_000;

const AT_EXCHANGE = new Set(["SUBMITTED", "FILLED_PART", "FILLED_ALL"]);

interface Pending {
  protocol: RequestProtocol;
  started: number;
  orderId?: string;
}

interface OrderRecord {
  replyMs: number;
  repliedAt: number;
}

/** See the module documentation. */
export class DelayLog {
  readonly #now: () => number;
  readonly #pending = new Map<number, Pending>();
  readonly #requests = new Map<number, RequestTotals>();
  readonly #pushes: PushSample[] = [];
  readonly #orders = new Map<string, OrderRecord>();
  /** First time each order was seen at the exchange, market ms. */
  readonly #submitted = new Map<string, number>();
  /** Last print sequence a session's price push carried, by session and pair. */
  readonly #lastPrint = new Map<string, bigint>();

  /** `now` is the market clock. */
  constructor(now: () => number) {
    this.#now = now;
  }

  /** A request arrived on a session (a session handles one request at a time). */
  received(session: number, protocol: RequestProtocol): void {
    this.#pending.set(session, { protocol, started: performance.now() });
  }

  /** The handler answered; a placement's order id is noted for its reply. */
  handled(session: number, s2c: unknown): void {
    const pending = this.#pending.get(session);
    if (pending?.protocol !== "Trd_PlaceOrder") return;
    const orderId = (s2c as { orderID?: unknown }).orderID;
    if (typeof orderId === "string") pending.orderId = orderId;
  }

  /** The session's reply is being written. */
  answered(session: number): void {
    const pending = this.#pending.get(session);
    if (!pending) return;
    this.#pending.delete(session);
    const ms = performance.now() - pending.started;
    const protoId = protoIdOf(pending.protocol);
    const totals = this.#requests.get(protoId) ?? { protoId, count: 0, totalMs: 0 };
    totals.count++;
    totals.totalMs += ms;
    this.#requests.set(protoId, totals);
    if (pending.orderId !== undefined) {
      this.#orders.set(pending.orderId, { replyMs: ms, repliedAt: this.#now() });
      if (this.#orders.size > MAX_ORDERS) this.#forgetOldestOrder();
    }
  }

  /** A session closed: its request will never be answered. */
  closed(session: number): void {
    this.#pending.delete(session);
    for (const key of [...this.#lastPrint.keys()]) if (key.startsWith(`${session}|`)) this.#lastPrint.delete(key);
  }

  /** An order's status changed. */
  orderStatus(orderId: string, status: string): void {
    if (!AT_EXCHANGE.has(status) || this.#submitted.has(orderId)) return;
    this.#submitted.set(orderId, this.#now());
    // Orders whose reply was never written (dropped by a fault) are never forgotten otherwise.
    if (this.#submitted.size > 2 * MAX_ORDERS) this.#submitted.delete(this.#submitted.keys().next().value!);
  }

  /**
   * A price push went out (`started`: wall ms when it began to be built). It
   * is a sample when it carries a print the session's last price push did not.
   */
  pricePushed(
    session: number,
    pair: string,
    latest: { atMs: number; sequence: bigint } | undefined,
    started: number,
    first: boolean,
  ): void {
    if (!latest) return;
    const key = `${session}|${pair}`;
    const previous = this.#lastPrint.get(key);
    this.#lastPrint.set(key, latest.sequence);
    if (first || previous === latest.sequence) return;
    this.#sample("PRICE", [latest.atMs], started);
  }

  /** A ticker push went out with these prints. */
  tickerPushed(prints: readonly { atMs: number }[], started: number, first: boolean): void {
    if (!first) this.#sample("TICKER", prints.map((p) => p.atMs), started);
  }

  /** Push samples, oldest first. */
  pushes(): readonly PushSample[] {
    return this.#pushes;
  }

  /** Request totals by protocol, in protocol order. */
  requests(): RequestTotals[] {
    return [...this.#requests.values()].sort((a, b) => a.protoId - b.protoId);
  }

  /** Placed orders, oldest first. */
  orders(): OrderSample[] {
    return [...this.#orders].map(([orderId, o]) => {
      const at = this.#submitted.get(orderId);
      return { orderId, replyMs: o.replyMs, submitMs: at === undefined ? undefined : Math.max(0, at - o.repliedAt) };
    });
  }

  #sample(kind: PushKind, events: number[], started: number): void {
    const tick = this.#now();
    const build = performance.now() - started;
    for (const at of events) this.#pushes.push({ kind, eventToTick: Math.max(0, tick - at), build });
    if (this.#pushes.length > MAX_SAMPLES) this.#pushes.splice(0, this.#pushes.length - MAX_SAMPLES);
  }

  #forgetOldestOrder(): void {
    const [oldest] = this.#orders.keys();
    this.#orders.delete(oldest);
    this.#submitted.delete(oldest);
  }
}
