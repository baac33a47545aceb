/**
 * Margin terms of the simulated broker per security (`Trd_GetMarginRatio`'s
 * MarginRatioInfo), from the security's kind and volatility: the calmer the
 * stock, the lower its initial margin. Ratios are in percent of the
 * position's value, as OpenD reports them (25 = 25 %), ordered
 * initial > alert > margin call > maintenance. Only stocks are marginable;
 * only US stocks can be sold short (the simulator's short-selling rule), with
 * a borrow pool from the shares outstanding and a borrow rate rising with
 * volatility. A cash account may do neither.
 *
 * The same initial ratios decide the account's margin buying power
 * (`accounts.ts`), so the largest margin buy `Trd_GetMaxTrdQtys` reports is
 * exactly what the order check accepts.
 *
 * @module
 */
import type { SimSecurity } from "./catalog.ts";

/** Margin terms of a security (ratios in percent). */
export interface MarginTerms {
  longPermit: boolean;
  shortPermit: boolean;
  /** Shares left to borrow (0 when not shortable). */
  shortPool: number;
  /** Annual borrow rate, percent. */
  shortFeeRate: number;
  imLong: number;
  alertLong: number;
  mcmLong: number;
  mmLong: number;
  imShort: number;
  alertShort: number;
  mcmShort: number;
  mmShort: number;
}

const round2 = (value: number) => Math.round(value * 100) / 100;

/** Initial long margin by volatility band; non-stocks must be paid in full. */
function initialLong(security: SimSecurity): number {
  if (security.kind !== "stock") return 100;
  const vol = security.volatility;
  if (vol <= 0.25) return 25;
  if (vol <= 0.35) return 30;
  if (vol <= 0.5) return 40;
  return 50;
}

/** The margin terms of a security, for a margin (or cash) account. */
export function marginTermsOf(security: SimSecurity, accType: "CASH" | "MARGIN"): MarginTerms {
  const margin = accType === "MARGIN";
  const imLong = initialLong(security);
  const marginable = security.kind === "stock";
  const shortable = marginable && security.market === "US";
  const imShort = marginable ? Math.min(100, imLong + 10) : 100;
  // Below the initial ratio: a warning, then a margin call, then forced liquidation at maintenance.
  const ladder = (im: number) => ({
    alert: round2(im * 0.9),
    mcm: round2(im * 0.85),
    mm: round2(im * 0.75),
  });
  const long = ladder(imLong);
  const short = ladder(imShort);
  return {
    longPermit: margin && marginable,
    shortPermit: margin && shortable,
    shortPool: shortable ? Math.floor((security.sharesOutstanding ?? 100_000_000) * 0.0001) : 0,
    shortFeeRate: shortable ? round2(0.25 + security.volatility * 10) : 0,
    imLong,
    alertLong: long.alert,
    mcmLong: long.mcm,
    mmLong: long.mm,
    imShort,
    alertShort: short.alert,
    mcmShort: short.mcm,
    mmShort: short.mm,
  };
}
