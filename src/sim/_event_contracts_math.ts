/**
 * The random machinery of the simulated event contracts (private to src/sim):
 * integer hashes of (seed, key, indices), a Brownian path on [0, 1] built by
 * dyadic midpoint refinement (so its value at any instant costs one descent,
 * and every granularity sees the same path), a random measure built the same
 * way (the traded volume: cumulative volume at any instant in one descent,
 * bars of any size add up), and the normal distribution function.
 *
 * Nothing here is drawn from a stateful generator: every value is a pure
 * function of its key and position, which is what makes every reply of the
 * family deterministic and mutually consistent.
 *
 * @module
 */

/** A 32-bit hash of a string (FNV-1a). */
export function hashText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A 32-bit hash of integers (murmur3-style mixing). */
export function hashInts(...values: readonly number[]): number {
  let h = 0x9747b28c;
  for (const value of values) {
    let k = Math.imul(value | 0, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A uniform number in [0, 1) keyed by integers. */
export function unit(...values: readonly number[]): number {
  return hashInts(...values) / 4_294_967_296;
}

/** A standard normal number keyed by integers (Box–Muller). */
export function gauss(...values: readonly number[]): number {
  const u1 = (hashInts(...values, 1) + 1) / 4_294_967_297;
  const u2 = hashInts(...values, 2) / 4_294_967_296;
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** Levels of dyadic refinement: 2^22 cells, finer than a minute over eight years. */
export const DEPTH = 22;

function clampUnit(tau: number): number {
  return tau <= 0 ? 0 : tau >= 1 ? 1 : tau;
}

/**
 * A standard Brownian motion W on [0, 1] with W(0) = 0, keyed by `key`: W(1) is drawn first, then every
 * midpoint given its ends (a Brownian bridge), down to {@link DEPTH} levels; linear within the finest cell.
 */
export function brownian(key: number, tau: number): number {
  const t = clampUnit(tau);
  let lo = 0, hi = 1, wLo = 0, wHi = gauss(key, 0, 0);
  let index = 0;
  for (let level = 1; level <= DEPTH; level++) {
    const mid = (lo + hi) / 2;
    const wMid = (wLo + wHi) / 2 + Math.sqrt((hi - lo) / 4) * gauss(key, level, index);
    if (t < mid) {
      hi = mid;
      wHi = wMid;
      index = 2 * index;
    } else {
      lo = mid;
      wLo = wMid;
      index = 2 * index + 1;
    }
  }
  return hi === lo ? wLo : wLo + (wHi - wLo) * ((t - lo) / (hi - lo));
}

/**
 * The distribution function F of a random probability measure on [0, 1], keyed by `key`: every dyadic
 * cell passes a share in [0.3, 0.7] of its mass to its left half; uniform within the finest cell.
 * F(0) = 0, F(1) = 1, F is increasing, so mass(a, b) = F(b) − F(a) adds up over any partition.
 */
export function measure(key: number, tau: number): number {
  const t = clampUnit(tau);
  if (t === 1) return 1;
  let lo = 0, width = 1, mass = 1, below = 0, index = 0;
  for (let level = 1; level <= DEPTH; level++) {
    const left = mass * (0.3 + 0.4 * unit(key, level, index, 7));
    width /= 2;
    if (t < lo + width) {
      mass = left;
      index = 2 * index;
    } else {
      below += left;
      mass -= left;
      lo += width;
      index = 2 * index + 1;
    }
  }
  return below + mass * ((t - lo) / width);
}

/** The standard normal distribution function (Abramowitz–Stegun 7.1.26, |error| < 1.5e-7). */
export function normalCdf(x: number): number {
  if (x === Infinity) return 1;
  if (x === -Infinity) return 0;
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-z * z);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}
