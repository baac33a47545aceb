/**
 * Price steps of the simulated securities: the HK spread table, US sub-dollar
 * ticks and one cent elsewhere. Orders are validated against these and every
 * simulated price is rounded to them.
 *
 * @module
 */
import type { SimSecurity } from "./catalog.ts";

/** HK price spread table: [upper bound, tick]. */
const HK_SPREADS: [number, number][] = [
  [0.25, 0.001],
  [0.5, 0.005],
  [10, 0.01],
  [20, 0.02],
  [100, 0.05],
  [200, 0.1],
  [500, 0.2],
  [1000, 0.5],
  [2000, 1],
  [5000, 2],
  [Infinity, 5],
];

/** Minimum price step of a security at a price level. */
export function tickSize(security: SimSecurity, price: number): number {
  if (security.kind === "index") return 0.01;
  if (security.priceStep !== undefined) return security.priceStep;
  if (security.market === "HK") {
    for (const [upper, tick] of HK_SPREADS) if (price < upper) return tick;
  }
  if (security.market === "US" && price < 1) return 0.0001;
  return 0.01;
}

/** Rounds a price to the nearest valid tick. */
export function roundToTick(security: SimSecurity, price: number): number {
  const tick = tickSize(security, price);
  // Ticks have at most 4 decimals: scaling by 1e6 removes the binary noise of `n * tick`.
  return Math.round(Math.round(price / tick) * tick * 1e6) / 1e6;
}

/** True when a price is on the tick grid. */
export function isOnTick(security: SimSecurity, price: number): boolean {
  return Math.abs(roundToTick(security, price) - price) < 1e-9 * Math.max(1, price);
}
