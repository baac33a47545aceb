/**
 * 64-bit ids (accounts, orders, fills, connections) as decimal strings.
 * A JS number can't hold every uint64, so ids never travel as numbers.
 *
 * @example
 * ```ts
 * import { parseUint64 } from "./ids.ts";
 * parseUint64("281756479345015383", "acc_id"); // "281756479345015383"
 * parseUint64(12345, "acc_id"); // "12345"
 * ```
 *
 * @module
 */

/** An id that is not an unsigned 64-bit integer. */
export class IdError extends Error {
  override name = "IdError";
}

const MAX_UINT64 = (1n << 64n) - 1n;

/**
 * Validates a uint64 id and returns its canonical decimal string. Numbers are
 * accepted only when they are safe integers: a larger number has already lost
 * precision, so it is refused rather than silently changed.
 */
export function parseUint64(value: string | number | bigint, what: string): string {
  let big: bigint;
  if (typeof value === "bigint") {
    big = value;
  } else if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) {
      throw new IdError(
        `${what} ${value} is not exact as a number (ids above 2^53 lose precision): pass it as a string`,
      );
    }
    big = BigInt(value);
  } else {
    const text = value.trim();
    if (!/^\d{1,20}$/.test(text)) throw new IdError(`${what} ${JSON.stringify(value)} is not a decimal integer id`);
    big = BigInt(text);
  }
  if (big < 0n || big > MAX_UINT64) throw new IdError(`${what} ${value} is outside the unsigned 64-bit range`);
  return big.toString();
}
