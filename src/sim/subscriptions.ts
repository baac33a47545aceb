/**
 * OpenD's quote subscription rules and the history K-line quota, shared by
 * every connection of one OpenD:
 *
 * - each (security, subtype) pair costs one unit of the subscription quota,
 *   however many connections hold it, until the last one lets go;
 * - a pair can be unsubscribed only once it has been held for a minute; a
 *   connection that closes earlier keeps its units until the minute ends;
 * - the history K-line quota counts distinct securities over 30 days.
 *
 * @module
 */

/** A refusal by OpenD's rules; its message is OpenD's retMsg. */
export class SimRuleError extends Error {
  override name = "SimRuleError";
}

/** A (security, subtype) pair, e.g. "HK.00700|QUOTE". */
export type PairKey = string;

/** The OpenD-wide subscription book. */
export class SubscriptionBook {
  readonly #holders = new Map<PairKey, Map<number, number>>();
  readonly #lingering = new Map<PairKey, number[]>();

  constructor(
    readonly quota: number,
    readonly minHoldMs: number,
    readonly now: () => number = () => Date.now(),
  ) {}

  /** Units in use: pairs held by a connection, or by a closed one whose minute is not over. */
  used(): number {
    const now = this.now();
    const pairs = new Set(this.#holders.keys());
    for (const [pair, releases] of this.#lingering) {
      const live = releases.filter((t) => t > now);
      if (live.length === 0) this.#lingering.delete(pair);
      else {
        this.#lingering.set(pair, live);
        pairs.add(pair);
      }
    }
    return pairs.size;
  }

  /** Units left. */
  remaining(): number {
    return Math.max(0, this.quota - this.used());
  }

  /** True when the session holds the pair. */
  holds(session: number, pair: PairKey): boolean {
    return this.#holders.get(pair)?.has(session) ?? false;
  }

  /** Pairs the session holds. */
  pairsOf(session: number): PairKey[] {
    const out: PairKey[] = [];
    for (const [pair, holders] of this.#holders) if (holders.has(session)) out.push(pair);
    return out;
  }

  /** Subscribes all pairs or none: refuses when the new units exceed the quota. */
  subscribe(session: number, pairs: PairKey[]): void {
    const used = this.used();
    const lingering = new Set(this.#lingering.keys());
    const fresh = new Set(pairs.filter((p) => !this.#holders.has(p) && !lingering.has(p)));
    if (used + fresh.size > this.quota) {
      throw new SimRuleError(
        `Subscription quota exceeded: ${fresh.size} new subscription(s) requested, ${
          this.quota - used
        } of ${this.quota} left. ` +
          "Unsubscribe (at least 1 minute after subscribing) to free quota.",
      );
    }
    const now = this.now();
    for (const pair of pairs) {
      let holders = this.#holders.get(pair);
      if (!holders) this.#holders.set(pair, holders = new Map());
      if (!holders.has(session)) holders.set(session, now);
    }
  }

  /** Unsubscribes pairs; refuses all if any was subscribed less than a minute ago. */
  unsubscribe(session: number, pairs: PairKey[]): void {
    const now = this.now();
    for (const pair of pairs) {
      const since = this.#holders.get(pair)?.get(session);
      if (since !== undefined && now - since < this.minHoldMs) {
        const wait = Math.ceil((since + this.minHoldMs - now) / 1000);
        throw new SimRuleError(
          `Unsubscribe failed: ${pair.replace("|", " ")} was subscribed less than ${
            this.minHoldMs / 1000
          } s ago; retry in ${wait} s`,
        );
      }
    }
    for (const pair of pairs) this.#drop(session, pair);
  }

  /** Releases a closed session's pairs; early ones keep their unit until their minute ends. */
  release(session: number): void {
    for (const [pair, holders] of [...this.#holders]) {
      const since = holders.get(session);
      if (since === undefined) continue;
      if (this.now() - since < this.minHoldMs) {
        const list = this.#lingering.get(pair) ?? [];
        list.push(since + this.minHoldMs);
        this.#lingering.set(pair, list);
      }
      this.#drop(session, pair);
    }
  }

  /** Forgets everything (OpenD restart). */
  reset(): void {
    this.#holders.clear();
    this.#lingering.clear();
  }

  #drop(session: number, pair: PairKey): void {
    const holders = this.#holders.get(pair);
    if (!holders) return;
    holders.delete(session);
    if (holders.size === 0) this.#holders.delete(pair);
  }
}

const THIRTY_DAYS = 30 * 86_400_000;

/** The 30-day history K-line quota: one unit per distinct security. */
export class HistoryQuota {
  readonly #used = new Map<string, number>();

  constructor(readonly quota: number, readonly now: () => number = () => Date.now()) {}

  #prune(): void {
    const cutoff = this.now() - THIRTY_DAYS;
    for (const [symbol, at] of this.#used) if (at <= cutoff) this.#used.delete(symbol);
  }

  /** Counts a request for a security; repeats within 30 days are free. */
  use(symbol: string): void {
    this.#prune();
    if (this.#used.has(symbol)) return;
    if (this.#used.size >= this.quota) {
      throw new SimRuleError(
        `History K-line quota exhausted: ${this.quota} securities in the last 30 days; ${symbol} is not among them`,
      );
    }
    this.#used.set(symbol, this.now());
  }

  /** Securities counted, with when they were first requested. */
  detail(): { symbol: string; at: number }[] {
    this.#prune();
    return [...this.#used].map(([symbol, at]) => ({ symbol, at }));
  }

  /** Forgets everything. */
  reset(): void {
    this.#used.clear();
  }
}
