/**
 * Idempotency for trade writes: the first call with a key runs; any repeat
 * within the window gets the first call's outcome (success, refusal or
 * unknown outcome) and never runs the write again.
 *
 * @example
 * ```ts
 * import { IdempotencyCache } from "./idempotency.ts";
 * const cache = new IdempotencyCache<string>(90_000);
 * const first = await cache.run("k1", "fingerprint", () => Promise.resolve("order 1"));
 * const again = await cache.run("k1", "fingerprint", () => Promise.resolve("order 2")); // "order 1", replayed
 * ```
 *
 * With a shared state ({@link SharedIdempotency}) the record lives there, so a
 * retry that reaches another replica is answered from it: the outcome once the
 * first call recorded it, after waiting while it runs; a first call that never
 * records one (its replica stopped mid-write) makes the retry an unknown
 * outcome, never a second write.
 *
 * @module
 */
import { type GatewayError, TradeOutcomeUnknownError } from "../gateway/mod.ts";
import type { IdempotencyStore, StoredOutcome } from "../state/store.ts";

/** A key reused with different arguments. */
export class IdempotencyConflictError extends Error {
  override name = "IdempotencyConflictError";
}

/** The outcome of {@link IdempotencyCache.run}. */
export interface IdempotentOutcome<T> {
  value: T;
  /** True when this is a repeat answered from the cache. */
  replayed: boolean;
}

interface Entry<T> {
  fingerprint: string;
  expiresAt: number;
  outcome: Promise<T>;
}

/** Runs a write at most once per key within a window. */
export interface Idempotency<T> {
  readonly windowMs: number;
  /**
   * Runs `action` once per key within the window. A repeat with the same fingerprint returns (or rethrows) the
   * first outcome, even while the first call is still running; a different fingerprint is a conflict.
   */
  run(key: string, fingerprint: string, action: () => Promise<T>): Promise<IdempotentOutcome<T>>;
  /** Whether a call would be answered from the record: "none", "same" (a replay) or "conflict". */
  peek(key: string, fingerprint: string): Promise<"none" | "same" | "conflict">;
}

function conflict(key: string, windowMs: number): IdempotencyConflictError {
  return new IdempotencyConflictError(
    `idempotency_key ${JSON.stringify(key)} was already used within ${windowMs / 1000} s ` +
      "for a different request; use a new key for a new order",
  );
}

/** The failure of a write, replayed from another replica's record: its kind and message. */
export class ReplayedFailure extends Error {
  override name = "ReplayedFailure";
  constructor(
    /** The original error's class name, e.g. "OpenDError". */
    readonly original: string,
    message: string,
  ) {
    super(message);
  }
}

/** An outcome as JSON: OpenD's own message for its refusals. */
function stored(outcome: { value: unknown } | { error: unknown }): StoredOutcome {
  if ("value" in outcome) return { ok: true, value: outcome.value };
  const err = outcome.error as Partial<GatewayError> & { retMsg?: string };
  const name = err instanceof ReplayedFailure ? err.original : String(err?.name ?? "Error");
  return { ok: false, error: { name, code: String(err?.code ?? ""), message: err?.retMsg || String(err?.message) } };
}

/** See the module documentation. */
export class IdempotencyCache<T> implements Idempotency<T> {
  readonly #entries = new Map<string, Entry<T>>();

  constructor(readonly windowMs: number, readonly now: () => number = () => Date.now()) {}

  async run(key: string, fingerprint: string, action: () => Promise<T>): Promise<IdempotentOutcome<T>> {
    this.#prune();
    const existing = this.#entries.get(key);
    if (existing) {
      if (existing.fingerprint !== fingerprint) throw conflict(key, this.windowMs);
      return { value: await existing.outcome, replayed: true };
    }
    const outcome = action();
    this.#entries.set(key, { fingerprint, expiresAt: this.now() + this.windowMs, outcome });
    return { value: await outcome, replayed: false };
  }

  peek(key: string, fingerprint: string): Promise<"none" | "same" | "conflict"> {
    this.#prune();
    const existing = this.#entries.get(key);
    if (!existing) return Promise.resolve("none");
    return Promise.resolve(existing.fingerprint === fingerprint ? "same" : "conflict");
  }

  #prune(): void {
    const now = this.now();
    for (const [key, entry] of this.#entries) if (entry.expiresAt <= now) this.#entries.delete(key);
  }
}

/**
 * Idempotency through a shared store. The first call claims the key, runs and records its outcome; a repeat on
 * any replica gets the recorded outcome, waiting (polling every `pollMs`) while the first one runs, for at most
 * `waitMs`. A repeat on the replica that runs the write shares its promise, as in {@link IdempotencyCache}.
 */
export class SharedIdempotency<T> implements Idempotency<T> {
  readonly #store: IdempotencyStore;
  readonly #local: IdempotencyCache<T>;
  readonly #pollMs: number;
  readonly #waitMs: number;

  constructor(
    store: IdempotencyStore,
    readonly windowMs: number,
    options: { pollMs?: number; waitMs?: number; now?: () => number } = {},
  ) {
    this.#store = store;
    this.#local = new IdempotencyCache(windowMs, options.now);
    this.#pollMs = options.pollMs ?? 50;
    this.#waitMs = options.waitMs ?? 30_000;
  }

  async run(key: string, fingerprint: string, action: () => Promise<T>): Promise<IdempotentOutcome<T>> {
    if ((await this.#local.peek(key, fingerprint)) !== "none") return this.#local.run(key, fingerprint, action);
    // Claimed before anything is sent: without the store, nothing is.
    const claim = await this.#store.claim(key, fingerprint, this.windowMs);
    if (claim === "claimed") {
      return this.#local.run(key, fingerprint, async () => {
        let outcome: StoredOutcome;
        try {
          const value = await action();
          outcome = stored({ value });
          return value;
        } catch (error) {
          outcome = stored({ error });
          throw error;
        } finally {
          // Unrecorded, a repeat elsewhere waits and then answers an unknown outcome: never a second write.
          await this.#store.settle(key, fingerprint, outcome!).catch(() => {});
        }
      });
    }
    if (claim.fingerprint !== fingerprint) throw conflict(key, this.windowMs);
    const deadline = Date.now() + this.#waitMs;
    let record = claim;
    while (record.state === "running") {
      if (Date.now() > deadline) {
        throw new TradeOutcomeUnknownError(
          "the write with this idempotency_key",
          `its first call has recorded no outcome within ${this.#waitMs / 1000} s: it may still be running, ` +
            "or the replica that ran it stopped",
        );
      }
      await new Promise((resolve) => setTimeout(resolve, this.#pollMs));
      const now = await this.#store.get(key);
      if (!now) {
        throw new TradeOutcomeUnknownError(
          "the write with this idempotency_key",
          "its record expired before its first call recorded an outcome",
        );
      }
      record = now;
    }
    if (record.outcome.ok) return { value: record.outcome.value as T, replayed: true };
    throw new ReplayedFailure(record.outcome.error.name, record.outcome.error.message);
  }

  async peek(key: string, fingerprint: string): Promise<"none" | "same" | "conflict"> {
    const local = await this.#local.peek(key, fingerprint);
    if (local !== "none") return local;
    const record = await this.#store.get(key);
    if (!record) return "none";
    return record.fingerprint === fingerprint ? "same" : "conflict";
  }
}
