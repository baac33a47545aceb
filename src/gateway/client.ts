/**
 * The OpenD client: one logical link that reconnects with capped exponential
 * backoff and jitter, replays what the connection must remember (quote
 * subscriptions, account pushes) through reconnect hooks, and dispatches pushes
 * to subscribers. Requests sent on a connection that drops fail at once with a
 * retryable error; trade writes fail as "outcome unknown" and are never re-sent.
 *
 * @example
 * ```ts
 * import { OpenDClient } from "./client.ts";
 * const client = await OpenDClient.connect({ gateway: "127.0.0.1:11111" });
 * const off = client.onPush("Qot_UpdateBasicQot", (s2c) => console.log(s2c.basicQotList));
 * await client.request("GetGlobalState", { userID: "0" });
 * off();
 * await client.close();
 * ```
 *
 * @module
 */
import { type ConnectionOptions, OpenDConnection, type PushMessage } from "./connection.ts";
import { GatewayClosedError, GatewayUnavailableError } from "./errors.ts";
import type { C2S, PushProtocol, RequestProtocol, S2C } from "./proto/codec.ts";
import type { Common_PacketID } from "./proto/messages.ts";

/** A `host:port` gateway address. */
export interface GatewayAddress {
  host: string;
  port: number;
}

/** Parses `"host:port"`, `"[::1]:port"` or `":port"` (host defaults to 127.0.0.1; port 0 means "any free port" for listeners). */
export function parseHostPort(text: string, what = "address"): GatewayAddress {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(text.trim());
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65535) {
    throw new Error(`invalid ${what} ${JSON.stringify(text)}: expected host:port, e.g. 127.0.0.1:11111`);
  }
  return { host: match[1] ?? (match[2] || "127.0.0.1"), port };
}

/** Reconnection policy. */
export interface ReconnectOptions {
  /** First delay after a failure. Default 500 ms. */
  initialDelayMs?: number;
  /** Cap on the delay. Default 30 000 ms. */
  maxDelayMs?: number;
  /** Random spread, as a fraction of the delay (0.2 = ±20 %). Default 0.2. */
  jitter?: number;
}

/** Options of {@link OpenDClient}. */
export interface OpenDClientOptions
  extends Omit<ConnectionOptions, "host" | "port" | "onPush" | "onClose" | "initialSerial"> {
  /** Where OpenD listens: "host:port" or an address. */
  gateway: string | GatewayAddress;
  /** Reconnection policy, or `false` to stay down after a disconnect. */
  reconnect?: ReconnectOptions | false;
}

/** Link state. */
export type ClientState = "connecting" | "ready" | "reconnecting" | "closed";

/** What {@link OpenDClient.onStateChange} listeners receive. */
export interface StateChange {
  state: ClientState;
  /** The connection's id once ready. */
  connId?: string;
  /** Why the link went down, when it did. */
  error?: Error;
  /** Delay before the next attempt, when reconnecting. */
  retryInMs?: number;
}

/** Runs on every new connection after the first, before requests may use it. */
export type ReconnectHook = (connection: OpenDConnection) => Promise<void>;

type Timer = ReturnType<typeof setTimeout>;

type PushHandler = (s2c: never) => void;

/** See the module documentation. */
export class OpenDClient {
  readonly address: GatewayAddress;
  readonly #options: OpenDClientOptions;
  readonly #pushHandlers = new Map<PushProtocol, Set<PushHandler>>();
  readonly #stateListeners = new Set<(change: StateChange) => void>();
  readonly #reconnectHooks = new Set<ReconnectHook>();
  readonly #requestListeners = new Set<(protocol: string, seconds: number, ok: boolean) => void>();
  #state: ClientState = "connecting";
  #connection: OpenDConnection | undefined;
  #everConnected = false;
  #attempt = 0;
  #lastError: Error | undefined;
  #nextAttemptAt = 0;
  #retryTimer: Timer | undefined;
  #waiters = new Set<() => void>();
  #connectsInFlight: Promise<void> | undefined;
  #reconnects = 0;

  constructor(options: OpenDClientOptions) {
    this.#options = options;
    this.address = typeof options.gateway === "string"
      ? parseHostPort(options.gateway, "gateway address")
      : options.gateway;
  }

  /**
   * Connects and waits for the first InitConnect; throws the connection error
   * if it fails (the client is then closed). Reconnects after later drops.
   */
  static async connect(options: OpenDClientOptions): Promise<OpenDClient> {
    const client = new OpenDClient(options);
    try {
      await client.#attemptConnect(false);
    } catch (err) {
      await client.close();
      throw err;
    }
    return client;
  }

  /** Starts connecting in the background, retrying until it succeeds. */
  start(): this {
    if (!this.#connectsInFlight && !this.#connection && this.#state !== "closed") {
      this.#attemptConnect(true).catch(() => {/* reported through state and retried */});
    }
    return this;
  }

  /** The current state. */
  get state(): ClientState {
    return this.#state;
  }

  /** The live connection, if any. */
  get connection(): OpenDConnection | undefined {
    return this.#connection;
  }

  /** How many times the link was re-established after a drop. */
  get reconnectCount(): number {
    return this.#reconnects;
  }

  /** The last connection failure, if any. */
  get lastError(): Error | undefined {
    return this.#lastError;
  }

  /** Subscribes to a push protocol. Returns the unsubscribe function. */
  onPush<P extends PushProtocol>(protocol: P, handler: (s2c: S2C<P>) => void): () => void {
    let handlers = this.#pushHandlers.get(protocol);
    if (!handlers) this.#pushHandlers.set(protocol, handlers = new Set());
    handlers.add(handler as PushHandler);
    return () => handlers.delete(handler as PushHandler);
  }

  /** Observes state changes. Returns the unsubscribe function. */
  onStateChange(listener: (change: StateChange) => void): () => void {
    this.#stateListeners.add(listener);
    return () => this.#stateListeners.delete(listener);
  }

  /** Observes every request: protocol, duration in seconds, and whether it succeeded. */
  onRequest(listener: (protocol: string, seconds: number, ok: boolean) => void): () => void {
    this.#requestListeners.add(listener);
    return () => this.#requestListeners.delete(listener);
  }

  /** Registers a hook that replays per-connection state after a reconnect. */
  onReconnect(hook: ReconnectHook): () => void {
    this.#reconnectHooks.add(hook);
    return () => this.#reconnectHooks.delete(hook);
  }

  /** Sends a read request on the current connection (waiting for one that is being set up). */
  request<P extends RequestProtocol>(
    protocol: P,
    c2s: C2S<P>,
    options: { timeoutMs?: number } = {},
  ): Promise<S2C<P>> {
    return this.#timed(protocol, async () => (await this.#ready(protocol)).request(protocol, c2s, options));
  }

  /**
   * Sends a trade write with a PacketID. Never re-sent: if the connection
   * drops after sending, the call fails with `TradeOutcomeUnknownError`.
   */
  requestWrite<P extends RequestProtocol>(
    protocol: P,
    build: (packetID: Common_PacketID) => C2S<P>,
    options: { timeoutMs?: number } = {},
  ): Promise<S2C<P>> {
    return this.#timed(protocol, async () => (await this.#ready(protocol)).requestWrite(protocol, build, options));
  }

  async #timed<T>(protocol: string, send: () => Promise<T>): Promise<T> {
    if (this.#requestListeners.size === 0) return send();
    const started = performance.now();
    let ok = false;
    try {
      const result = await send();
      ok = true;
      return result;
    } finally {
      const seconds = (performance.now() - started) / 1000;
      for (const listener of this.#requestListeners) listener(protocol, seconds, ok);
    }
  }

  /** Waits until the link is ready; rejects after `timeoutMs` or if the client closes. */
  async waitReady(timeoutMs: number): Promise<void> {
    if (this.#state === "ready") return;
    if (this.#state === "closed") throw new GatewayClosedError();
    let timer: Timer | undefined;
    let wake!: () => void;
    const woken = new Promise<void>((resolve) => wake = resolve);
    this.#waiters.add(wake);
    try {
      await Promise.race([
        woken,
        new Promise<void>((resolve) => timer = setTimeout(resolve, timeoutMs)),
      ]);
    } finally {
      clearTimeout(timer);
      this.#waiters.delete(wake);
    }
    // Re-read: the state changed while waiting.
    if (this.state === "closed") throw new GatewayClosedError();
    if (this.state !== "ready") throw this.#unavailable("connect");
  }

  /** Closes the link for good (`await using`). */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Closes the link for good. */
  async close(): Promise<void> {
    if (this.#state === "closed") return;
    this.#setState({ state: "closed" });
    clearTimeout(this.#retryTimer);
    const connection = this.#connection;
    this.#connection = undefined;
    await connection?.close();
    await this.#connectsInFlight?.catch(() => {});
    this.#wakeWaiters();
  }

  async #ready(protocol: string): Promise<OpenDConnection> {
    if (this.#state === "ready" && this.#connection?.isOpen) return this.#connection;
    if (this.#state === "closed") throw new GatewayClosedError();
    if (!this.#connectsInFlight) throw this.#unavailable(protocol);
    // A connection attempt is under way: wait for it rather than failing a request that may succeed.
    const timeout = (this.#options.connectTimeoutMs ?? 20_000) + 1000;
    await this.waitReady(timeout).catch(() => {});
    if (this.state === "ready" && this.#connection?.isOpen) return this.#connection;
    throw this.state === "closed" ? new GatewayClosedError() : this.#unavailable(protocol);
  }

  #unavailable(protocol: string): GatewayUnavailableError {
    const { host, port } = this.address;
    const why = this.#lastError ? `: ${this.#lastError.message}` : "";
    const retry = this.#nextAttemptAt > Date.now()
      ? `; retrying in ${Math.ceil((this.#nextAttemptAt - Date.now()) / 1000)} s`
      : "";
    return new GatewayUnavailableError(`${protocol}: not connected to OpenD at ${host}:${port}${why}${retry}`);
  }

  #attemptConnect(retryOnFailure: boolean): Promise<void> {
    const attempt = this.#connectOnce().catch((err: Error) => {
      this.#lastError = err;
      if (retryOnFailure) this.#scheduleRetry(err);
      throw err;
    }).finally(() => {
      this.#connectsInFlight = undefined;
    });
    this.#connectsInFlight = attempt;
    return attempt;
  }

  async #connectOnce(): Promise<void> {
    const { reconnect: _reconnect, gateway: _gateway, ...connectionOptions } = this.#options;
    // The connection may close before `open` returns (a broken stream right after InitConnect).
    let opened: OpenDConnection | undefined;
    const connection = opened = await OpenDConnection.open({
      ...connectionOptions,
      host: this.address.host,
      port: this.address.port,
      onPush: (push) => this.#dispatchPush(push),
      onClose: (reason) => opened && this.#onConnectionLost(opened, reason),
    });
    if (this.#state === "closed") {
      await connection.close();
      throw new GatewayClosedError();
    }
    const isReconnect = this.#everConnected;
    this.#everConnected = true;
    this.#connection = connection;
    if (isReconnect) {
      this.#reconnects++;
      for (const hook of this.#reconnectHooks) {
        try {
          await hook(connection);
        } catch (err) {
          this.#options.onWarning?.(`replaying state after reconnect failed: ${(err as Error).message}`);
        }
      }
    }
    if (!connection.isOpen) {
      this.#connection = undefined;
      throw new GatewayUnavailableError(
        `connection to OpenD lost while setting it up: ${connection.closeReason?.message ?? "closed"}`,
      );
    }
    this.#attempt = 0;
    this.#lastError = undefined;
    this.#setState({ state: "ready", connId: connection.connId });
    this.#wakeWaiters();
  }

  #onConnectionLost(connection: OpenDConnection, reason: Error): void {
    // Before "ready", #connectOnce notices the dead connection and fails the attempt itself.
    if (this.#connection !== connection || this.#state !== "ready") return;
    this.#connection = undefined;
    this.#lastError = reason;
    if (this.#options.reconnect === false) {
      this.#setState({ state: "closed", error: reason });
      this.#wakeWaiters();
      return;
    }
    this.#scheduleRetry(reason);
  }

  #scheduleRetry(error: Error): void {
    if (this.#state === "closed" || this.#options.reconnect === false) return;
    const policy = this.#options.reconnect ?? {};
    const initial = policy.initialDelayMs ?? 500;
    const max = policy.maxDelayMs ?? 30_000;
    const jitter = policy.jitter ?? 0.2;
    const base = Math.min(max, initial * 2 ** this.#attempt);
    const delay = Math.max(0, Math.round(base * (1 + jitter * (Math.random() * 2 - 1))));
    this.#attempt++;
    this.#nextAttemptAt = Date.now() + delay;
    this.#setState({ state: "reconnecting", error, retryInMs: delay });
    this.#wakeWaiters();
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => {
      if (this.#state !== "closed") this.#attemptConnect(true).catch(() => {});
    }, delay);
  }

  #dispatchPush(push: PushMessage): void {
    const handlers = this.#pushHandlers.get(push.protocol);
    if (!handlers) return;
    for (const handler of handlers) {
      try {
        handler(push.s2c as never);
      } catch (err) {
        this.#options.onWarning?.(`${push.protocol} push handler failed: ${(err as Error).message}`);
      }
    }
  }

  #setState(change: StateChange): void {
    this.#state = change.state;
    for (const listener of this.#stateListeners) {
      try {
        listener(change);
      } catch { /* a listener's failure must not break the link */ }
    }
  }

  #wakeWaiters(): void {
    for (const wake of this.#waiters) wake();
  }
}
