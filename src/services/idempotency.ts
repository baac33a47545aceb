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
 * @module
 */

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

/** See the module documentation. */
export class IdempotencyCache<T> {
  readonly #entries = new Map<string, Entry<T>>();

  constructor(readonly windowMs: number, readonly now: () => number = () => Date.now()) {}

  /**
   * Runs `action` once per key within the window. A repeat with the same
   * fingerprint returns (or rethrows) the first outcome, even while the first
   * call is still running; a different fingerprint is a conflict.
   */
  async run(key: string, fingerprint: string, action: () => Promise<T>): Promise<IdempotentOutcome<T>> {
    this.#prune();
    const existing = this.#entries.get(key);
    if (existing) {
      if (existing.fingerprint !== fingerprint) {
        throw new IdempotencyConflictError(
          `idempotency_key ${JSON.stringify(key)} was already used within ${this.windowMs / 1000} s ` +
            "for a different request; use a new key for a new order",
        );
      }
      return { value: await existing.outcome, replayed: true };
    }
    const outcome = action();
    this.#entries.set(key, { fingerprint, expiresAt: this.now() + this.windowMs, outcome });
    return { value: await outcome, replayed: false };
  }

  /** Whether a call would be answered from the cache: "none", "same" (a replay) or "conflict". */
  peek(key: string, fingerprint: string): "none" | "same" | "conflict" {
    this.#prune();
    const existing = this.#entries.get(key);
    if (!existing) return "none";
    return existing.fingerprint === fingerprint ? "same" : "conflict";
  }

  #prune(): void {
    const now = this.now();
    for (const [key, entry] of this.#entries) if (entry.expiresAt <= now) this.#entries.delete(key);
  }
}
