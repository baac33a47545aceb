/**
 * The shared state in Redis (`--state redis://host:port/db`, `rediss://` for
 * TLS): usage and reservations, idempotency records, confirmation tokens, the
 * halt and OpenD's write pacing, under one namespace per deployment. Each
 * decision is one Lua script, atomic in Redis.
 *
 * Fails closed: while Redis cannot be reached, every call fails at once with
 * {@link StateUnavailableError} (no queue of commands waiting for it), so trade
 * writes are refused and nothing is sent; reads do not use it. The client
 * reconnects by itself. A command whose reply is lost is never re-sent by the
 * client: a script that may have run is not run twice.
 *
 * @example
 * ```ts
 * import { RedisState } from "./redis.ts";
 * const state = await RedisState.connect({ url: "redis://127.0.0.1:6379/0", namespace: "desk1", log: console.error });
 * await state.halt.set("maintenance");
 * await state.close();
 * ```
 *
 * @module
 */
import { createHash } from "node:crypto";
import { isIP } from "node:net";
import type { Redis, RedisOptions } from "ioredis";
import type { SharedPacing } from "../gateway/trade_api.ts";
import { errorMessage } from "../version.ts";
import { utcDay } from "./local.ts";
import { CLAIM, COMMIT, PACE_ACQUIRE, PACE_RELEASE, RESERVE } from "./_scripts.ts";
import {
  type HaltStore,
  type IdempotencyRecord,
  type IdempotencyStore,
  type Reservation,
  RESERVATION_TTL_MS,
  type ReserveVerdict,
  type SharedState,
  StateUnavailableError,
  type StoredOutcome,
  type TokenStore,
  type UsageFigures,
  type UsageStore,
} from "./store.ts";

/** How long a day's usage and a commit's marker are kept: past the UTC day in every time zone. */
const DAY_TTL_MS = 2 * 86_400_000;
/** A command that takes longer fails (the store counts as unavailable for it). */
const COMMAND_TIMEOUT_MS = 2_000;

/** Where the shared state lives and how to reach it. */
export interface RedisStateOptions {
  /** `redis://[user@]host:port[/db]` or `rediss://…` (TLS). A password in the URL is refused: see `password`. */
  url: string;
  /** From FUTU_STATE_PASSWORD or a file, never the command line. */
  password?: string;
  /** PEM of the CA that signed the server's certificate (TLS). */
  tlsCa?: string;
  /** Prefix of every key: one per deployment sharing a Redis (its replicas share one OpenD's pacing). */
  namespace: string;
  log: (message: string) => void;
}

/** A `--state` URL that cannot be used (the message says why). */
export class StateUrlError extends Error {
  override name = "StateUrlError";
}

/** The parts of a `--state` URL. */
export function parseStateUrl(url: string): { tls: boolean; host: string; port: number; db: number; user?: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new StateUrlError(`--state ${JSON.stringify(url)} is not a URL: use redis://host:port/db`);
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") {
    throw new StateUrlError(`--state must be redis://host:port/db or rediss://… (TLS), not ${parsed.protocol}//…`);
  }
  if (parsed.password) {
    throw new StateUrlError(
      "--state must not hold the Redis password (it would show in ps and in shell history): " +
        "put it in FUTU_STATE_PASSWORD or in a file named by --state-password-file",
    );
  }
  const db = parsed.pathname.replace(/^\//, "") || "0";
  if (!/^\d{1,2}$/.test(db)) throw new StateUrlError(`--state: the database must be a number, not ${db}`);
  const host = parsed.hostname.replace(/^\[|\]$/g, "");
  if (!host) throw new StateUrlError("--state names no host: use redis://host:port/db");
  return {
    tls: parsed.protocol === "rediss:",
    host,
    port: parsed.port ? Number(parsed.port) : 6379,
    db: Number(db),
    user: parsed.username ? decodeURIComponent(parsed.username) : undefined,
  };
}

/** The `host:port` a `--state` URL connects to, as Deno's net permission names it. */
export function stateAddress(url: string): string {
  const { host, port } = parseStateUrl(url);
  return `${host.includes(":") ? `[${host}]` : host}:${port}`;
}

/** A Redis reply that is not what the script returns: the store is not ours, or was changed under us. */
function malformed(what: string, reply: unknown): never {
  throw new StateUnavailableError(`unexpected reply from Redis to ${what}: ${JSON.stringify(reply)?.slice(0, 100)}`);
}

function sha1(text: string): string {
  return createHash("sha1").update(text).digest("hex");
}

function parseRecord(text: string, what: string): IdempotencyRecord {
  try {
    const record = JSON.parse(text) as IdempotencyRecord;
    if (typeof record.fingerprint === "string" && (record.state === "running" || record.state === "done")) {
      return record;
    }
  } catch {
    // reported below
  }
  return malformed(what, text);
}

/** See the module documentation. */
export class RedisState implements SharedState {
  readonly description: string;
  readonly usage: UsageStore;
  readonly idempotency: IdempotencyStore;
  readonly tokens: TokenStore;
  readonly halt: HaltStore;
  readonly pacing: SharedPacing;
  readonly #redis: Redis;
  readonly #ns: string;
  #up = false;

  private constructor(redis: Redis, description: string, namespace: string) {
    this.#redis = redis;
    this.description = description;
    this.#ns = namespace;
    this.usage = this.#usageStore();
    this.idempotency = this.#idempotencyStore();
    this.tokens = {
      put: (token, record, ttlMs) =>
        this.#call("a confirmation token", async (r) => {
          await r.set(`${this.#ns}:ct:${token}`, record, "PX", 2 * ttlMs);
        }),
      take: (token) =>
        this.#call("a confirmation token", async (r) => (await r.getdel(`${this.#ns}:ct:${token}`)) ?? undefined),
    };
    this.halt = {
      get: () => this.#call("the kill switch", async (r) => (await r.get(`${this.#ns}:halt`)) ?? undefined),
      set: (reason) =>
        this.#call("the kill switch", async (r) => {
          if (reason === undefined) await r.del(`${this.#ns}:halt`);
          else await r.set(`${this.#ns}:halt`, reason);
        }),
    };
    const last = `${this.#ns}:pace:{opend}:last`;
    const busy = `${this.#ns}:pace:{opend}:busy`;
    this.pacing = {
      acquire: async (owner, spacingMs, holdMs) => {
        const reply = await this.#script("OpenD's write pacing", PACE_ACQUIRE, [last, busy], [
          owner,
          spacingMs,
          holdMs,
        ]);
        return typeof reply === "number" ? reply : malformed("the pacing script", reply);
      },
      release: async (owner) => {
        await this.#script("OpenD's write pacing", PACE_RELEASE, [last, busy], [owner]);
      },
    };
  }

  /**
   * Connects. A Redis that cannot be reached now is not fatal: futu-mcp serves reads, refuses writes, and the
   * client keeps reconnecting (each change is logged once).
   */
  static async connect(options: RedisStateOptions): Promise<RedisState> {
    const { tls, host, port, db, user } = parseStateUrl(options.url);
    const description = `${options.url} (namespace ${options.namespace})`;
    const { Redis } = await import("ioredis");
    const settings: RedisOptions = {
      host,
      port,
      db,
      username: user,
      password: options.password,
      // SNI names a host, never an address (an IP is checked against the certificate's IP entries instead).
      tls: tls ? { servername: isIP(host) ? undefined : host, ca: options.tlsCa } : undefined,
      lazyConnect: true,
      // Fail closed and at once while disconnected, rather than queueing writes' state changes for later.
      enableOfflineQueue: false,
      // A script whose reply was lost may have run: never run it again.
      autoResendUnfulfilledCommands: false,
      maxRetriesPerRequest: 0,
      commandTimeout: COMMAND_TIMEOUT_MS,
      connectTimeout: COMMAND_TIMEOUT_MS,
      retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
      // The password stays out of every error ioredis builds.
      showFriendlyErrorStack: false,
    };
    const redis = new Redis(settings);
    const state = new RedisState(redis, description, options.namespace);
    let up: boolean | undefined;
    redis.on("ready", () => {
      if (up !== true) options.log(`futu-mcp: shared state: connected to ${description}`);
      up = state.#up = true;
    });
    const down = (why: string) => {
      state.#up = false;
      if (up !== false) {
        options.log(
          `futu-mcp: shared state: ${description} unavailable (${why}): trade writes are refused until it is ` +
            "back; reads go on",
        );
      }
      up = false;
    };
    // A refused connection is an error; a server that goes away mid-connection only closes it.
    redis.on("error", (err: Error) => down(errorMessage(err)));
    redis.on("close", () => down("connection closed"));
    await redis.connect().catch(() => {}); // reported by the error event; the client keeps retrying
    return state;
  }

  get up(): boolean {
    return this.#up;
  }

  /** Waits until Redis answers (for tools and tests that need it up). */
  async ping(): Promise<void> {
    await this.#call("a ping", (r) => r.ping());
  }

  async close(): Promise<void> {
    // Our own disconnection is not an outage to report.
    this.#redis.removeAllListeners();
    this.#redis.on("error", () => {});
    this.#redis.disconnect(false);
    await Promise.resolve();
  }

  async #call<T>(what: string, run: (redis: Redis) => Promise<T>): Promise<T> {
    try {
      return await run(this.#redis);
    } catch (err) {
      if (err instanceof StateUnavailableError) throw err;
      throw new StateUnavailableError(
        `the shared state (${this.description}) cannot be used for ${what}: ${errorMessage(err)}`,
      );
    }
  }

  /** Runs a script by its hash, loading it on first use (NOSCRIPT) — Redis runs it atomically. */
  #script(what: string, script: string, keys: string[], args: (string | number)[]): Promise<unknown> {
    return this.#call(what, async (r) => {
      const sha = sha1(script);
      try {
        return await r.evalsha(sha, keys.length, ...keys, ...args);
      } catch (err) {
        if (!/NOSCRIPT/.test(errorMessage(err))) throw err;
        return await r.eval(script, keys.length, ...keys, ...args);
      }
    });
  }

  #usageKeys(keyId: string, at: number): [string, string, string] {
    // The hash tag keeps one key's data in one slot (a Redis Cluster runs a script only on one slot's keys).
    const base = `${this.#ns}:usage:{${keyId}}`;
    return [`${base}:orders`, `${base}:day:${utcDay(at)}`, `${base}:pending`];
  }

  #usageStore(): UsageStore {
    const run = async (keyId: string, r: Reservation, mode: "reserve" | "check"): Promise<[string, UsageFigures]> => {
      const reply = await this.#script("the limits", RESERVE, this.#usageKeys(keyId, r.at), [
        r.id,
        r.at,
        r.value ?? "",
        r.currency ?? "",
        r.maxOrdersPerMinute ?? "",
        r.maxDailyValue ?? "",
        RESERVATION_TTL_MS,
        mode,
      ]);
      if (!Array.isArray(reply) || reply.length !== 3) malformed("the limits script", reply);
      const [verdict, count, used] = reply as [unknown, unknown, unknown];
      const figures = { ordersLastMinute: Number(count), dailyUsed: Number(used) };
      if (typeof verdict !== "string" || !Number.isFinite(figures.ordersLastMinute + figures.dailyUsed)) {
        malformed("the limits script", reply);
      }
      return [verdict, figures];
    };
    return {
      figures: async (keyId, now, currency) => (await run(keyId, { id: "", at: now, currency }, "check"))[1],
      reserve: async (keyId, reservation): Promise<ReserveVerdict> => {
        const [verdict, figures] = await run(keyId, reservation, "reserve");
        if (verdict === "ok") return { ok: true };
        if (verdict === "rate" || verdict === "daily") return { ok: false, limit: verdict, figures };
        return malformed("the limits script", verdict);
      },
      commit: async (keyId, r) => {
        const keys = this.#usageKeys(keyId, r.at);
        await this.#script("the limits", COMMIT, [...keys, `${this.#ns}:usage:{${keyId}}:done:${r.id}`], [
          r.id,
          r.at,
          r.value ?? "",
          r.currency ?? "",
          DAY_TTL_MS,
        ]);
      },
      release: async (keyId, id) => {
        await this.#call("the limits", (redis) => redis.hdel(this.#usageKeys(keyId, 0)[2], id));
      },
    };
  }

  #idempotencyStore(): IdempotencyStore {
    // Hashed: the key holds the caller's id and a client-chosen string.
    const keyOf = (key: string) => `${this.#ns}:idem:${createHash("sha256").update(key).digest("hex")}`;
    return {
      claim: async (key, fingerprint, ttlMs) => {
        const running: IdempotencyRecord = { fingerprint, state: "running" };
        const reply = await this.#script("idempotency", CLAIM, [keyOf(key)], [JSON.stringify(running), ttlMs]);
        if (reply === "") return "claimed";
        return typeof reply === "string" ? parseRecord(reply, "idempotency") : malformed("idempotency", reply);
      },
      settle: async (key, fingerprint, outcome: StoredOutcome) => {
        const done: IdempotencyRecord = { fingerprint, state: "done", outcome };
        await this.#call("idempotency", (r) => r.set(keyOf(key), JSON.stringify(done), "KEEPTTL", "XX"));
      },
      get: async (key) => {
        const text = await this.#call("idempotency", (r) => r.get(keyOf(key)));
        return text === null ? undefined : parseRecord(text, "idempotency");
      },
    };
  }
}
