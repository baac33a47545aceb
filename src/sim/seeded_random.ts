/**
 * A deterministic stream of numbers from seed parts, for the simulated data
 * that has no market behind it (analyst coverage, macro series, news, heat):
 * the same seed and request give the same data.
 *
 * @example
 * ```ts
 * import { SeededRandom } from "./seeded_random.ts";
 * const random = new SeededRandom(42, "Qot_GetHotList", "US");
 * const heat = random.real(0, 100);
 * ```
 *
 * @module
 */

/** A deterministic stream of numbers in [0, 1) from seed parts (mulberry32 over an FNV-1a hash). */
export class SeededRandom {
  #state: number;

  constructor(...parts: readonly (string | number)[]) {
    let h = 0x811c9dc5;
    for (const ch of parts.map(String).join("\u0000")) {
      h ^= ch.codePointAt(0)!;
      h = Math.imul(h, 0x01000193);
    }
    this.#state = h >>> 0;
  }

  /** The next number in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** A number in [lo, hi) rounded to `digits` decimals. */
  real(lo: number, hi: number, digits = 2): number {
    const f = 10 ** digits;
    return Math.round((lo + this.next() * (hi - lo)) * f) / f;
  }

  /** One of the items. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
}
