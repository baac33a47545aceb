/**
 * Corporate actions of the simulated stocks (cash and special dividends,
 * splits, bonus shares) and the price adjustment they imply.
 *
 * Each action's forward factors turn a price from before its ex-date into
 * the basis after it: `after = before × A + B`, with `A = 1 / m` and
 * `B = −cash / m`, where `m` is how many shares one share becomes (5 for a
 * 1-to-5 split, 1.3 for 10-bonus-3) and `cash` the dividends per share; the
 * backward factors are the inverse (`A = m`, `B = cash`). A forward-adjusted
 * K-line applies, in date order, the actions after its day up to today; a
 * backward-adjusted one undoes, latest first, the actions up to its day.
 * Qot_RequestRehab serves exactly these factors.
 *
 * The price model's path is on the basis after every action in the table
 * (the catalog's `basePrice` is today's level); the traded (unadjusted) price
 * before an ex-date is that path taken back through the later actions'
 * backward factors, so the raw price drops by the dividend on the ex-date,
 * and the forward-adjusted history is the model's continuous path.
 *
 * @module
 */
import { REHAB_TYPE, type RehabTypeName } from "../gateway/enums.ts";
import type { SimSecurity } from "./catalog.ts";
import { type DayNumber, utcOf } from "./clock.ts";

/** One corporate action, as an exchange announces it. */
export interface CorporateAction {
  /** Market-local ex-date, "YYYY-MM-DD". */
  exDate: string;
  /** Cash dividend per share. */
  dividend?: number;
  /** Special dividend per share. */
  specialDividend?: number;
  /** `base` shares become `ert` (1-to-5 split: base 1, ert 5). */
  split?: { base: number; ert: number };
  /** `ert` bonus shares for every `base` held (10-bonus-3: base 10, ert 3). */
  bonus?: { base: number; ert: number };
}

/** `after = before × a + b`. */
export interface Affine {
  a: number;
  b: number;
}

/** A corporate action with its day and factors resolved. */
export interface ResolvedAction extends CorporateAction {
  exDay: DayNumber;
  /** UTC instant of the local midnight that starts the ex-date. */
  exMs: number;
  forward: Affine;
  backward: Affine;
}

/**
 * The actions by symbol, oldest first. The dividends of the twelve months to
 * late November 2026 add up to each stock's `dividendTTM` in the catalog.
 */
const ACTIONS: Readonly<Record<string, readonly CorporateAction[]>> = {
  "HK.00700": [
    { exDate: "2023-05-19", dividend: 2.4 },
    { exDate: "2024-05-17", dividend: 3.4 },
    { exDate: "2025-05-16", dividend: 4.5 },
    { exDate: "2026-05-15", dividend: 3.4 },
  ],
  "HK.09988": [
    { exDate: "2024-06-13", dividend: 0.58, specialDividend: 0.19 },
    { exDate: "2025-06-12", dividend: 0.5, specialDividend: 0.25 },
    { exDate: "2026-06-11", dividend: 0.55, specialDividend: 0.25 },
  ],
  "US.AAPL": [
    { exDate: "2020-08-31", split: { base: 1, ert: 4 } },
    { exDate: "2025-02-10", dividend: 0.25 },
    { exDate: "2025-05-12", dividend: 0.25 },
    { exDate: "2025-08-11", dividend: 0.25 },
    { exDate: "2025-11-10", dividend: 0.25 },
    { exDate: "2026-02-09", dividend: 0.25 },
    { exDate: "2026-05-11", dividend: 0.25 },
    { exDate: "2026-08-10", dividend: 0.25 },
    { exDate: "2026-11-09", dividend: 0.25 },
  ],
  "US.TSLA": [
    { exDate: "2020-08-31", split: { base: 1, ert: 5 } },
    { exDate: "2022-08-25", split: { base: 1, ert: 3 } },
  ],
  "US.NVDA": [
    { exDate: "2021-07-20", split: { base: 1, ert: 4 } },
    { exDate: "2024-06-10", split: { base: 1, ert: 10 } },
    { exDate: "2025-12-04", dividend: 0.01 },
    { exDate: "2026-03-11", dividend: 0.01 },
    { exDate: "2026-06-10", dividend: 0.01 },
    { exDate: "2026-09-10", dividend: 0.01 },
  ],
  "SH.600519": [
    { exDate: "2024-06-19", dividend: 30.876 },
    { exDate: "2025-06-26", dividend: 27.673 },
    { exDate: "2026-06-25", dividend: 30.9 },
  ],
  "SZ.000001": [
    { exDate: "2023-06-14", dividend: 0.285 },
    { exDate: "2024-06-14", dividend: 0.719 },
    { exDate: "2025-06-12", dividend: 0.362 },
    { exDate: "2026-06-12", dividend: 0.72 },
  ],
};

const IDENTITY: Affine = { a: 1, b: 0 };

/** `outer(inner(p))`. */
function compose(outer: Affine, inner: Affine): Affine {
  return { a: outer.a * inner.a, b: outer.a * inner.b + outer.b };
}

/** How many shares one share becomes. */
function shareMultiple(action: CorporateAction): number {
  const split = action.split ? action.split.ert / action.split.base : 1;
  const bonus = action.bonus ? 1 + action.bonus.ert / action.bonus.base : 1;
  return split * bonus;
}

const resolved = new Map<string, readonly ResolvedAction[]>();

/** The corporate actions of a security, oldest first (none for indices and derivatives). */
export function actionsOf(security: SimSecurity): readonly ResolvedAction[] {
  let list = resolved.get(security.symbol);
  if (!list) {
    list = (ACTIONS[security.symbol] ?? []).map((action) => {
      const exDay = Math.floor(Date.parse(`${action.exDate}T00:00:00Z`) / 86_400_000);
      const m = shareMultiple(action);
      const cash = (action.dividend ?? 0) + (action.specialDividend ?? 0);
      return {
        ...action,
        exDay,
        exMs: utcOf(security.market, exDay, 0),
        forward: { a: 1 / m, b: cash === 0 ? 0 : -cash / m },
        backward: { a: m, b: cash },
      };
    });
    resolved.set(security.symbol, list);
  }
  return list;
}

/** The traded price at `ms` of a model price: the model path taken back through the actions after `ms`. */
export function rawPrice(security: SimSecurity, ms: number, modelPrice: number): number {
  const actions = actionsOf(security);
  let price = modelPrice;
  for (let i = actions.length - 1; i >= 0 && actions[i].exMs > ms; i--) {
    price = actions[i].backward.a * price + actions[i].backward.b;
  }
  return price;
}

/** A price adjustment (`Qot_Common.RehabType`). */
export type Rehab = RehabTypeName;

/** The adjustment a wire `RehabType` names; undefined for an unknown one. */
export function rehabOfWire(wire: number): Rehab | undefined {
  const name = REHAB_TYPE.fromWire(wire);
  return REHAB_TYPE.has(name) ? name : undefined;
}

/** The adjustment of a price traded on local `day`, as of local `today`. */
export function adjustmentOn(security: SimSecurity, day: DayNumber, rehab: Rehab, today: DayNumber): Affine {
  let adjustment = IDENTITY;
  if (rehab === "NONE") return adjustment;
  const actions = actionsOf(security);
  if (rehab === "FORWARD") {
    for (const action of actions) {
      if (action.exDay > day && action.exDay <= today) adjustment = compose(action.forward, adjustment);
    }
    return adjustment;
  }
  for (let i = actions.length - 1; i >= 0; i--) {
    if (actions[i].exDay <= day) adjustment = compose(actions[i].backward, adjustment);
  }
  return adjustment;
}

/** True for the adjustment that changes nothing. */
export function isIdentity(adjustment: Affine): boolean {
  return adjustment.a === 1 && adjustment.b === 0;
}

/** Applies an adjustment to a price (to 6 decimals, removing binary noise). */
export function adjust(adjustment: Affine, price: number): number {
  if (isIdentity(adjustment)) return price;
  return Math.round((adjustment.a * price + adjustment.b) * 1e6) / 1e6;
}
