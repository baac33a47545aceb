/**
 * The simulated OpenD: a TCP server speaking the OpenD protocol, runnable
 * standalone (`futucli sim`) or embedded in a process and in tests. Embedded
 * in futu-mcp (`--gateway sim`) it serves the same frames over an in-process
 * pipe instead ({@link SimOptions.transport}), so no network grant is needed.
 *
 * @example
 * ```ts
 * import { SimServer } from "./server.ts";
 * const sim = await SimServer.start({ port: 0 });
 * console.log(`OpenD simulator on ${sim.address}`);
 * await sim.close();
 * ```
 *
 * @module
 */
import { checkReplyDomain } from "./_reply_domain.ts";
import { md5Hex, RsaKey } from "../gateway/crypto.ts";
import { DEFAULT_MAX_BODY_LENGTH } from "../gateway/frame.ts";
import { type ByteLink, linkPair } from "../gateway/link.ts";
import type { ProtocolName, RequestProtocol } from "../gateway/proto/codec.ts";
import { Notify_GtwEventType, Notify_NotifyType } from "../gateway/proto/messages.ts";
import { securityBySymbol } from "./catalog.ts";
import { type SimClock, systemClock } from "./clock.ts";
import { type BarPeriod, lookbackMs } from "./bars.ts";
import { type Rehab, rehabOfWire } from "./corporate_actions.ts";
import { type Handler, HANDLERS, type SimContext } from "./handlers.ts";
import { brokerOf, orderBookOf, tickerOf } from "./handlers_quote.ts";
import { firePriceReminders } from "./handlers_watchlist.ts";
import { pushEventContracts } from "./_event_contracts_subscriptions.ts";
import { fireOptionEventAlerts } from "./options_analytics_events.ts";
import { MarketData } from "./market.ts";
import { OPEND_RATE_LIMITS, RateLimiter } from "./rate_limit.ts";
import { type SessionHost, SimReplyError, SimSession } from "./session.ts";
import { HistoryQuota, SubscriptionBook } from "./subscriptions.ts";
import { DelayLog } from "./delay_stats.ts";
import { DEFAULT_ACCOUNTS, type SimAccountSpec, type SimFill, type SimOrder } from "./accounts.ts";
import { TradingEngine } from "./trading.ts";
import { basicQotOf, fillOf, klineOf, orderOf, securityOf } from "./wire.ts";
import { KL_TYPE, type SubTypeName, TRD_ENV, TRD_MARKET } from "../gateway/enums.ts";

/** Options of {@link SimServer.start}. */
export interface SimOptions {
  /** "tcp" (the default) listens on host:port; "in-process" accepts only links from {@link SimServer.dial}. */
  transport?: "tcp" | "in-process";
  /** Listen host. Default 127.0.0.1. */
  host?: string;
  /** Listen port; 0 picks a free one. Default 11111. */
  port?: number;
  /** Seed of the deterministic market. Default 42. */
  seed?: number;
  /** Market clock. Default: the system clock. */
  clock?: SimClock;
  /** OpenD's RSA private key (PEM); when set, clients must encrypt. */
  rsaKeyPem?: string;
  /** keepAliveInterval returned by InitConnect, seconds. Default 10. */
  keepAliveIntervalSec?: number;
  /** Close a connection without KeepAlive for this long. Default 30 000 ms. */
  idleTimeoutMs?: number;
  /** Subscription quota (OpenD tiers: 100, 300, 1000, 2000). Default 100. */
  subscriptionQuota?: number;
  /** History K-line quota (securities per 30 days). Default 100. */
  historyQuota?: number;
  /** How long a subscription must be held before it can be released. Default 60 000 ms. */
  minSubscriptionMs?: number;
  /** Enforce OpenD's per-protocol rate limits. Default true. */
  rateLimits?: boolean;
  /** The trade password that unlocks real trading. Default "123456". */
  tradePassword?: string;
  /** Accounts; default {@link DEFAULT_ACCOUNTS}. */
  accounts?: readonly SimAccountSpec[];
  /** Replayed PacketIDs: dropped without reply (OpenD's behaviour, the default) or answered with an error. */
  replayPolicy?: "drop" | "error";
  /** Period of quote pushes and order matching. Default 1000 ms. */
  tickMs?: number;
  /** Largest accepted frame body. */
  maxBodyLength?: number;
  /** Log lines (default: none). */
  log?: (message: string) => void;
}

type Corruption = "sha1" | "magic" | "body" | "oversize";

/**
 * The research families' push hooks, run in this order on every tick after the classic pushes: each pushes what
 * the clock's advance changed for its own alerts or subscriptions (option events matching the user's alerts;
 * event contract books, tickers and K-lines).
 */
const FAMILY_PUSHES: readonly { family: string; push: (ctx: SimContext) => void }[] = [
  { family: "option event", push: fireOptionEventAlerts },
  { family: "event contract", push: pushEventContracts },
];

/** Test hooks that make the simulator misbehave on purpose. */
export interface SimFaults {
  /** Closes every client connection abruptly. */
  dropConnections(): void;
  /** Holds every reply (of the given protocols, or all) until {@link SimFaults.resumeReplies}. */
  stallReplies(protocols?: ProtocolName[]): void;
  /** Releases held replies. */
  resumeReplies(): void;
  /** Damages the next frame the simulator sends. */
  corruptNextFrame(kind: Corruption): void;
  /** Processes the next request of `protocol` but never replies. */
  dropNextReply(protocol: ProtocolName): void;
  /** Processes the next request of `protocol`, then closes the connection instead of replying. */
  closeBeforeNextReply(protocol: ProtocolName): void;
}

/** See the module documentation. */
export class SimServer implements SimContext {
  readonly market: MarketData;
  readonly trading: TradingEngine;
  readonly subscriptions: SubscriptionBook;
  readonly historyQuota: HistoryQuota;
  readonly delays: DelayLog;
  readonly sessions = new Set<SimSession>();
  readonly replayPolicy: "drop" | "error";
  readonly faults: SimFaults;
  readonly #options: SimOptions;
  readonly #rsaKey?: RsaKey;
  readonly #limiter: RateLimiter;
  readonly #host: SessionHost;
  #listener: Deno.TcpListener | undefined;
  /** In-process transport: whether {@link SimServer.dial} is answered (false while restarting or closed). */
  #accepting = false;
  #acceptLoop: Promise<void> = Promise.resolve();
  #ticker: ReturnType<typeof setInterval> | undefined;
  #stepTimer: ReturnType<typeof setTimeout> | undefined;
  #port: number;
  #stall: { protocols?: Set<string>; release: Promise<void>; resolve: () => void } | undefined;
  #corruptions: Corruption[] = [];
  #dropReplies = new Set<string>();
  #closeReplies = new Set<string>();
  #requestCount = 0;
  readonly #requestListeners = new Set<(protocol: RequestProtocol) => void>();

  private constructor(options: SimOptions) {
    this.#options = options;
    const clock = options.clock ?? systemClock;
    this.market = new MarketData(options.seed ?? 42, clock);
    this.#rsaKey = options.rsaKeyPem ? RsaKey.fromPem(options.rsaKeyPem) : undefined;
    this.subscriptions = new SubscriptionBook(options.subscriptionQuota ?? 100, options.minSubscriptionMs ?? 60_000);
    this.historyQuota = new HistoryQuota(options.historyQuota ?? 100);
    this.delays = new DelayLog(() => this.market.clock.now());
    this.replayPolicy = options.replayPolicy ?? "drop";
    this.#limiter = new RateLimiter(options.rateLimits === false ? {} : OPEND_RATE_LIMITS);
    this.#port = options.port ?? 11111;
    this.trading = new TradingEngine({
      market: this.market,
      clock,
      tradePasswordMd5: md5Hex(options.tradePassword ?? "123456"),
      accounts: options.accounts ?? DEFAULT_ACCOUNTS,
      onOrder: (order) => this.#pushOrder(order),
      onFill: (fill) => this.#pushFill(fill),
    });
    this.faults = this.#makeFaults();
    this.#host = this.#makeHost();
  }

  /** Starts listening. */
  static start(options: SimOptions = {}): Promise<SimServer> {
    const server = new SimServer(options);
    server.#listen();
    server.#ticker = setInterval(() => server.#tick(), options.tickMs ?? 1000);
    return Promise.resolve(server);
  }

  /** "host:port" the simulator listens on ("in-process" for the in-process transport). */
  get address(): string {
    if (this.#options.transport === "in-process") return "in-process";
    const host = this.#options.host ?? "127.0.0.1";
    return `${host.includes(":") ? `[${host}]` : host}:${this.#port}`;
  }

  /** The port the simulator listens on. */
  get port(): number {
    return this.#port;
  }

  /** True when clients must use the RSA/AES handshake. */
  get encrypted(): boolean {
    return this.#rsaKey !== undefined;
  }

  /** Requests handled so far. */
  get requestCount(): number {
    return this.#requestCount;
  }

  /**
   * Test hook: `listener` hears the protocol of each request as it arrives, before it is handled (a fault it sets,
   * such as {@link SimFaults.stallReplies}, applies to that request's reply). Returns the function that removes it.
   */
  onRequest(listener: (protocol: RequestProtocol) => void): () => void {
    this.#requestListeners.add(listener);
    return () => this.#requestListeners.delete(listener);
  }

  /** Sends a system notification to connections that asked for them (recvNotify). */
  notify(kind: "KickedOut" | "ConnStatus"): void {
    for (const session of this.sessions) {
      if (!session.recvNotify) continue;
      if (kind === "KickedOut") {
        session.push("Notify", {
          type: Notify_NotifyType.GtwEvent,
          event: { eventType: Notify_GtwEventType.KickedOut, desc: "Your account logged in elsewhere" },
        });
      } else {
        session.push("Notify", {
          type: Notify_NotifyType.ConnStatus,
          connectStatus: { qotLogined: true, trdLogined: true },
        });
      }
    }
  }

  /**
   * Restarts OpenD: every connection closes, subscriptions and the unlock are
   * forgotten; accounts, orders and the market stay (they live at the broker).
   */
  async restart(downtimeMs = 0): Promise<void> {
    await this.#stopListening();
    this.subscriptions.reset();
    this.trading.resetSession();
    this.#limiter.reset();
    if (downtimeMs > 0) await new Promise((resolve) => setTimeout(resolve, downtimeMs));
    this.#listen();
  }

  /** Stops the simulator (`await using sim = await SimServer.start()` calls this). */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Stops the simulator. */
  async close(): Promise<void> {
    clearInterval(this.#ticker);
    clearTimeout(this.#stepTimer);
    this.faults.resumeReplies();
    await this.#stopListening();
  }

  /** Opens an in-process link to the simulator, as a client's connect would (in-process transport only). */
  dial(): Promise<ByteLink> {
    if (this.#options.transport !== "in-process") {
      return Promise.reject(new Error(`the simulator listens on ${this.address}: connect over TCP`));
    }
    if (!this.#accepting) return Promise.reject(new Deno.errors.ConnectionRefused("the simulator is not running"));
    const [client, server] = linkPair();
    const session = new SimSession(server, this.#host, "in-process");
    this.sessions.add(session);
    this.#log(`session ${session.number} (in-process)`);
    return Promise.resolve(client);
  }

  #listen(): void {
    if (this.#options.transport === "in-process") {
      this.#accepting = true;
      this.#log("serving in-process links");
      return;
    }
    const hostname = this.#options.host ?? "127.0.0.1";
    this.#listener = Deno.listen({ hostname, port: this.#port, transport: "tcp" });
    this.#port = (this.#listener.addr as Deno.NetAddr).port;
    this.#log(`listening on ${this.address}${this.#rsaKey ? " (RSA/AES)" : ""}`);
    const listener = this.#listener;
    this.#acceptLoop = (async () => {
      try {
        for await (const conn of listener) {
          const addr = conn.remoteAddr as Deno.NetAddr;
          const session = new SimSession(conn, this.#host, `${addr.hostname}:${addr.port}`);
          this.sessions.add(session);
          this.#log(`session ${session.number} from ${session.remote}`);
        }
      } catch (err) {
        if (!(err instanceof Deno.errors.BadResource)) this.#log(`accept failed: ${(err as Error).message}`);
      }
    })();
  }

  async #stopListening(): Promise<void> {
    this.#accepting = false;
    try {
      this.#listener?.close();
    } catch { /* already closed */ }
    this.#listener = undefined;
    await this.#acceptLoop;
    const sessions = [...this.sessions];
    for (const session of sessions) session.close("simulator stopped");
    await Promise.all(sessions.map((s) => s.done));
  }

  #makeHost(): SessionHost {
    return {
      rsaKey: this.#rsaKey,
      keepAliveIntervalSec: this.#options.keepAliveIntervalSec ?? 10,
      maxBodyLength: this.#options.maxBodyLength ?? DEFAULT_MAX_BODY_LENGTH,
      handle: (session, protocol, c2s, serialNo) => {
        this.delays.received(session.number, protocol);
        const s2c = this.#handle(session, protocol, c2s, serialNo);
        this.delays.handled(session.number, s2c);
        return s2c;
      },
      now: () => Date.now(),
      beforeReply: async (session, protocol) => {
        const decision = await this.#beforeReply(protocol);
        if (decision === "send") this.delays.answered(session.number);
        return decision;
      },
      takeCorruption: () => this.#corruptions.shift(),
      onClosed: (session) => {
        this.sessions.delete(session);
        this.subscriptions.release(session.number);
        this.delays.closed(session.number);
      },
      log: (message) => this.#log(message),
    };
  }

  #log(message: string): void {
    this.#options.log?.(message);
  }

  #handle(session: SimSession, protocol: RequestProtocol, c2s: unknown, serialNo: number): unknown {
    this.#requestCount++;
    for (const listener of this.#requestListeners) listener(protocol);
    const limited = this.#limiter.check(protocol, c2s);
    if (limited) throw new SimReplyError(limited);
    const handler = HANDLERS[protocol] as Handler<RequestProtocol> | undefined;
    if (!handler) throw new SimReplyError(`Unsupported protocol ${protocol}`);
    const s2c = handler(this, session, c2s as never, serialNo);
    checkReplyDomain(protocol, s2c);
    return s2c;
  }

  async #beforeReply(protocol: ProtocolName): Promise<"send" | "drop" | "close"> {
    if (this.#dropReplies.delete(protocol)) return "drop";
    if (this.#closeReplies.delete(protocol)) return "close";
    const stall = this.#stall;
    if (stall && (!stall.protocols || stall.protocols.has(protocol))) await stall.release;
    return "send";
  }

  #makeFaults(): SimFaults {
    return {
      dropConnections: () => {
        for (const session of [...this.sessions]) session.close("fault: dropped");
      },
      stallReplies: (protocols) => {
        if (this.#stall) return;
        let resolve!: () => void;
        const release = new Promise<void>((r) => resolve = r);
        this.#stall = { protocols: protocols ? new Set(protocols) : undefined, release, resolve };
      },
      resumeReplies: () => {
        this.#stall?.resolve();
        this.#stall = undefined;
      },
      corruptNextFrame: (kind) => {
        this.#corruptions.push(kind);
      },
      dropNextReply: (protocol) => {
        this.#dropReplies.add(protocol);
      },
      closeBeforeNextReply: (protocol) => {
        this.#closeReplies.add(protocol);
      },
    };
  }

  scheduleStep(): void {
    if (this.#stepTimer !== undefined) return;
    this.#stepTimer = setTimeout(() => {
      this.#stepTimer = undefined;
      this.trading.step();
    }, 0);
  }

  #tick(): void {
    const now = Date.now();
    const idle = this.#options.idleTimeoutMs ?? 30_000;
    for (const session of [...this.sessions]) {
      if (now - session.lastHeartbeatMs > idle) session.close(`no KeepAlive for ${idle} ms`);
    }
    try {
      this.trading.step();
    } catch (err) {
      this.#log(`trading step failed: ${(err as Error).stack}`);
    }
    try {
      firePriceReminders(this);
    } catch (err) {
      this.#log(`price reminders failed: ${(err as Error).stack}`);
    }
    for (const session of this.sessions) {
      for (const pair of session.pushes.keys()) {
        try {
          this.#pushPair(session, pair, false);
        } catch (err) {
          this.#log(`push ${pair} failed: ${(err as Error).message}`);
        }
      }
    }
    for (const { family, push } of FAMILY_PUSHES) {
      try {
        push(this);
      } catch (err) {
        this.#log(`${family} pushes failed: ${(err as Error).message}`);
      }
    }
  }

  pushNow(session: SimSession, pair: string): void {
    // After the reply: OpenD acknowledges the subscription before the first push.
    queueMicrotask(() => {
      try {
        this.#pushPair(session, pair, true);
      } catch (err) {
        this.#log(`first push ${pair} failed: ${(err as Error).message}`);
      }
    });
  }

  /** Pushes a registered pair's data if it changed since the last push (or always when `force`). */
  #pushPair(session: SimSession, pair: string, force: boolean): void {
    const registration = session.pushes.get(pair);
    if (!registration || session.closed) return;
    const [symbol, subType] = pair.split("|") as [string, SubTypeName];
    const security = securityBySymbol(symbol);
    if (!security) return;
    const changed = (signature: string) => {
      if (!force && registration.last === signature) return false;
      registration.last = signature;
      return true;
    };
    switch (subType) {
      case "QUOTE": {
        const started = performance.now();
        const q = basicQotOf(this.market, security);
        if (changed(`${q.curPrice}|${q.volume}|${q.updateTime}`)) {
          session.push("Qot_UpdateBasicQot", { basicQotList: [q] });
          this.delays.pricePushed(session.number, pair, this.market.latestPrints(security, 1)[0], started, force);
        }
        return;
      }
      case "ORDER_BOOK": {
        const book = orderBookOf(this, security, 10);
        if (changed(JSON.stringify([book.orderBookAskList?.[0], book.orderBookBidList?.[0]]))) {
          session.push("Qot_UpdateOrderBook", book);
        }
        return;
      }
      case "TICKER": {
        const started = performance.now();
        const prints = registration.lastSequence === undefined
          ? this.market.latestPrints(security, force ? 10 : 1)
          : this.market.printsSince(security, registration.lastSequence);
        if (prints.length === 0 && !force) return;
        if (prints.length > 0) registration.lastSequence = prints[prints.length - 1].sequence;
        session.push("Qot_UpdateTicker", {
          security: securityOf(security),
          name: security.name,
          tickerList: prints.map((p) => tickerOf(p)),
        });
        this.delays.tickerPushed(prints, started, force);
        return;
      }
      case "RT_DATA": {
        const points = this.market.timeShare(security);
        const last = points[points.length - 1];
        if (!last || !changed(`${last.time}|${last.volume}`)) return;
        session.push("Qot_UpdateRT", {
          security: securityOf(security),
          name: security.name,
          rtList: [{
            time: last.time,
            minute: last.minute,
            isBlank: false,
            price: last.price,
            lastClosePrice: last.lastClose,
            avgPrice: Math.round(last.avgPrice * 1000) / 1000,
            volume: String(last.volume),
            turnover: Math.round(last.turnover * 100) / 100,
          }],
        });
        return;
      }
      case "BROKER": {
        const queue = brokerOf(this, security);
        if (changed(JSON.stringify(queue.brokerAskList?.slice(0, 2)))) session.push("Qot_UpdateBroker", queue);
        return;
      }
      case "ORDER_BOOK_ODD":
        return;
      default: {
        const period = subType as BarPeriod;
        const now = this.market.clock.now();
        const latest = (rehab?: Rehab) =>
          this.market.bars(security, period, now - lookbackMs(period, 1), now, 1, { fromEnd: true, rehab })[0];
        const bar = latest();
        if (!bar || !changed(`${bar.time}|${bar.close}|${bar.volume}`)) return;
        for (const rehabType of registration.rehabTypes) {
          const rehab = rehabOfWire(rehabType);
          if (!rehab) continue;
          session.push("Qot_UpdateKL", {
            rehabType,
            klType: KL_TYPE.toWire(period),
            security: securityOf(security),
            name: security.name,
            klList: [klineOf(security, latest(rehab))],
          });
        }
      }
    }
  }

  #pushOrder(order: SimOrder): void {
    this.delays.orderStatus(order.orderId.toString(), order.status);
    const header = {
      trdEnv: TRD_ENV.toWire(order.account.spec.env),
      accID: order.account.accId.toString(),
      trdMarket: TRD_MARKET.toWire(order.trdMarket),
    };
    for (const session of this.sessions) {
      if (session.accPush.has(order.account.accId)) session.push("Trd_UpdateOrder", { header, order: orderOf(order) });
    }
  }

  #pushFill(fill: SimFill): void {
    // Paper trading has no fill pushes.
    if (fill.order.account.spec.env !== "REAL") return;
    const header = {
      trdEnv: TRD_ENV.toWire("REAL"),
      accID: fill.order.account.accId.toString(),
      trdMarket: TRD_MARKET.toWire(fill.order.trdMarket),
    };
    for (const session of this.sessions) {
      if (session.accPush.has(fill.order.account.accId)) {
        session.push("Trd_UpdateOrderFill", { header, orderFill: fillOf(fill) });
      }
    }
  }
}
