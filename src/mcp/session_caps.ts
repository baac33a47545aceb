/**
 * The caps on live HTTP sessions: in all and per owner (API key). A session
 * holds its place from the moment its initialize is admitted, so a burst of
 * concurrent initializes cannot overshoot a cap while the first are still
 * being answered; a place is given back when the session closes, or when the
 * initialize made no session.
 *
 * @module
 */
/** Which cap refused a new session. */
export type SessionCap = "global" | "per_key";

/** See the module documentation. */
export class SessionCaps {
  readonly global: number;
  readonly perOwner: number;
  #total = 0;
  readonly #byOwner = new Map<string, number>();

  constructor(global: number, perOwner: number) {
    this.global = global;
    this.perOwner = perOwner;
  }

  /** Takes a place for a new session of `owner`, or names the cap that refuses it. */
  reserve(owner: string): SessionCap | undefined {
    const mine = this.#byOwner.get(owner) ?? 0;
    if (mine >= this.perOwner) return "per_key";
    if (this.#total >= this.global) return "global";
    this.#byOwner.set(owner, mine + 1);
    this.#total++;
    return undefined;
  }

  /** Gives back a place of `owner`. */
  release(owner: string): void {
    const mine = this.#byOwner.get(owner) ?? 0;
    if (mine <= 0) return;
    // The entry goes with its last session: a churn of one-off keys must not grow the map.
    if (mine === 1) this.#byOwner.delete(owner);
    else this.#byOwner.set(owner, mine - 1);
    this.#total--;
  }
}
