/**
 * State kept by one process: usage counters in memory, optionally persisted
 * to a file in the state directory (rewritten atomically, 0600, on every
 * commit, so that a restart cannot reset a daily cap), and confirmation
 * tokens in memory. Reservations of writes in flight live in memory: they end
 * with the process, whose writes end with it.
 *
 * @example
 * ```ts
 * import { MemoryUsageStore } from "./local.ts";
 * const usage = new MemoryUsageStore();
 * const at = Date.now();
 * await usage.reserve("bot", { id: "w1", at, value: 1000, currency: "HKD", maxDailyValue: 5000 }); // { ok: true }
 * await usage.commit("bot", { id: "w1", at, value: 1000, currency: "HKD" });
 * ```
 *
 * @module
 */
import { errorMessage } from "../version.ts";
import {
  type Reservation,
  RESERVATION_TTL_MS,
  type ReserveVerdict,
  type TokenStore,
  type UsageFigures,
  type UsageStore,
} from "./store.ts";

/** Committed usage of one key (the file's format, version 1). */
interface KeyUsage {
  /** Epoch ms of recent order writes (the last minute is enough). */
  orders: number[];
  /** UTC day ("YYYY-MM-DD") the values belong to. */
  day: string;
  /** Committed order value today, per currency. */
  values: Record<string, number>;
}

/** The UTC day of an instant. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** A usage file that cannot be trusted: the server refuses to start rather than forget caps. */
export class UsageStoreError extends Error {
  override name = "UsageStoreError";
}

function normalise(usage: KeyUsage | undefined, now: number): KeyUsage {
  const today = utcDay(now);
  if (!usage) return { orders: [], day: today, values: {} };
  return {
    orders: usage.orders.filter((t) => t > now - 60_000 && t <= now + 60_000),
    day: today,
    values: usage.day === today ? usage.values : {},
  };
}

/** Usage in memory only: for tests, and for servers without a state directory. */
export class MemoryUsageStore implements UsageStore {
  protected readonly usage = new Map<string, KeyUsage>();
  /** Writes in flight, per key, by reservation id. */
  readonly #pending = new Map<string, Map<string, Reservation>>();

  #inFlight(keyId: string, now: number): Reservation[] {
    const pending = this.#pending.get(keyId);
    if (!pending) return [];
    for (const [id, r] of pending) if (r.at <= now - RESERVATION_TTL_MS) pending.delete(id);
    return [...pending.values()];
  }

  figures(keyId: string, now: number, currency?: string): Promise<UsageFigures> {
    return Promise.resolve(this.#figures(keyId, now, currency));
  }

  #figures(keyId: string, now: number, currency?: string): UsageFigures {
    const usage = normalise(this.usage.get(keyId), now);
    const inFlight = this.#inFlight(keyId, now);
    const pendingValue = inFlight.filter((r) => r.currency === currency).reduce((s, r) => s + (r.value ?? 0), 0);
    return {
      ordersLastMinute: usage.orders.filter((t) => t > now - 60_000).length + inFlight.length,
      dailyUsed: (currency === undefined ? 0 : usage.values[currency] ?? 0) + pendingValue,
    };
  }

  reserve(keyId: string, reservation: Reservation): Promise<ReserveVerdict> {
    const figures = this.#figures(keyId, reservation.at, reservation.currency);
    const verdict = decide(reservation, figures);
    if (verdict.ok) {
      const pending = this.#pending.get(keyId) ?? new Map<string, Reservation>();
      pending.set(reservation.id, reservation);
      this.#pending.set(keyId, pending);
    }
    return Promise.resolve(verdict);
  }

  commit(keyId: string, reservation: Reservation): Promise<void> {
    this.#pending.get(keyId)?.delete(reservation.id);
    const current = normalise(this.usage.get(keyId), reservation.at);
    current.orders.push(reservation.at);
    if (reservation.value !== undefined && reservation.value > 0 && reservation.currency !== undefined) {
      current.values[reservation.currency] = (current.values[reservation.currency] ?? 0) + reservation.value;
    }
    this.usage.set(keyId, current);
    return this.persist();
  }

  release(keyId: string, id: string): Promise<void> {
    this.#pending.get(keyId)?.delete(id);
    return Promise.resolve();
  }

  /** Saves the committed usage (nothing to do in memory). */
  protected persist(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * The rule both stores apply (the Redis script mirrors it): the rate counts every write in the last minute and in
 * flight; the daily cap counts today's committed and in-flight value in the write's currency.
 */
export function decide(reservation: Reservation, figures: UsageFigures): ReserveVerdict {
  if (
    reservation.maxOrdersPerMinute !== undefined && figures.ordersLastMinute + 1 > reservation.maxOrdersPerMinute
  ) {
    return { ok: false, limit: "rate", figures };
  }
  if (
    reservation.maxDailyValue !== undefined && reservation.value !== undefined &&
    figures.dailyUsed + Math.max(0, reservation.value) > reservation.maxDailyValue
  ) {
    return { ok: false, limit: "daily", figures };
  }
  return { ok: true };
}

/** Usage persisted in a JSON file, rewritten atomically on every commit. */
export class FileUsageStore extends MemoryUsageStore {
  readonly #path: string;
  readonly #write: (path: string, text: string) => Promise<void>;
  #writes: Promise<void> = Promise.resolve();

  private constructor(path: string, write: (path: string, text: string) => Promise<void>) {
    super();
    this.#path = path;
    this.#write = write;
  }

  /**
   * Opens (or creates) the store; a corrupt file is an error, never silently reset. `write` replaces the file
   * atomically with owner-only permissions.
   */
  static async open(path: string, write: (path: string, text: string) => Promise<void>): Promise<FileUsageStore> {
    const store = new FileUsageStore(path, write);
    let text: string | undefined;
    try {
      text = await Deno.readTextFile(path);
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound)) {
        throw new UsageStoreError(`${path}: cannot read the usage counters: ${errorMessage(err)}`);
      }
    }
    if (text !== undefined) {
      let data: { version?: number; keys?: Record<string, KeyUsage> };
      try {
        data = JSON.parse(text);
      } catch (err) {
        throw new UsageStoreError(
          `${path}: corrupt usage counters (${(err as Error).message}); refusing to start with unknown usage`,
        );
      }
      if (data.version !== 1 || typeof data.keys !== "object" || data.keys === null) {
        throw new UsageStoreError(`${path}: unrecognised usage counters; refusing to start with unknown usage`);
      }
      for (const [id, usage] of Object.entries(data.keys)) {
        if (!Array.isArray(usage.orders) || typeof usage.day !== "string" || typeof usage.values !== "object") {
          throw new UsageStoreError(`${path}: corrupt usage counters for key "${id}"`);
        }
        store.usage.set(id, usage);
      }
    }
    return store;
  }

  protected override async persist(): Promise<void> {
    const text = JSON.stringify({ version: 1, keys: Object.fromEntries(this.usage) }) + "\n";
    const write = this.#writes.catch(() => {}).then(() => this.#write(this.#path, text));
    this.#writes = write;
    await write;
  }
}

/**
 * Confirmation tokens in memory, at most `max` outstanding (the oldest go first). A token is kept until taken or
 * until `ttlMs` after its expiry, so that its redemption can say "expired" rather than "unknown".
 */
export class MemoryTokenStore implements TokenStore {
  readonly #tokens = new Map<string, { record: string; dropAt: number }>();

  constructor(readonly max = 10_000, readonly now: () => number = () => Date.now()) {}

  put(token: string, record: string, ttlMs: number): Promise<void> {
    const now = this.now();
    for (const [t, entry] of this.#tokens) {
      if (entry.dropAt <= now || this.#tokens.size >= this.max) this.#tokens.delete(t);
    }
    this.#tokens.set(token, { record, dropAt: now + 2 * ttlMs });
    return Promise.resolve();
  }

  take(token: string): Promise<string | undefined> {
    const entry = this.#tokens.get(token);
    this.#tokens.delete(token);
    return Promise.resolve(entry?.record);
  }
}
