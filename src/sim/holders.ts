/**
 * Major holders of the simulated US stocks and their disclosed changes
 * (`Qot_GetHoldingChangeList`). Holders are fictional; which of them hold a
 * stock, their starting stakes, when they file and by how much each filing
 * changes their position are hash-drawn from (seed, security, holder), walked
 * forward from 2022-01-01, so a filing never changes once published and the
 * clock only decides which ones are out yet. Institutions and funds file
 * quarterly (30–50 days after the quarter), executives in about a quarter of
 * the months.
 *
 * @module
 */
import type { SimSecurity } from "./catalog.ts";
import { formatLocal, localTime, utcOf } from "./clock.ts";
import { securityIndex } from "./catalog.ts";
import { hash32 } from "./_price_model.ts";

/** Holder categories as OpenD numbers them (`Qot_Common.HolderCategory`). */
export type HolderCategory = 1 | 2 | 3;

/** One published change. */
export interface HoldingFiling {
  holder: string;
  /** Publication instant. */
  atMs: number;
  /** Market-local "YYYY-MM-DD HH:MM:SS". */
  time: string;
  holdingQty: number;
  /** Percent of shares outstanding. */
  holdingRatio: number;
  changeQty: number;
  /** Percent of the previous position. */
  changeRatio: number;
}

const HOLDERS: Record<HolderCategory, readonly string[]> = {
  1: [
    "Harbour Bridge Asset Management",
    "Northwind Capital Partners",
    "Granite Peak Investors",
    "Bluewater Pension Trust",
    "Meridian Global Advisors",
    "Silverline Sovereign Fund",
  ],
  2: [
    "Pacific Growth Equity Fund",
    "Evergreen Total Market Index Trust",
    "Summit Technology Fund",
    "Lighthouse Dividend Fund",
    "Atlas Large Cap ETF",
    "Crescent Value Fund",
  ],
  3: [
    "A. Morgan (Chief Executive Officer)",
    "L. Chen (Chief Financial Officer)",
    "R. Patel (Director)",
    "S. Okafor (Chief Operating Officer)",
  ],
};

/** Starting stake range per category, as fractions of shares outstanding. */
const STAKE: Record<HolderCategory, [number, number]> = { 1: [0.005, 0.06], 2: [0.001, 0.015], 3: [0.00001, 0.002] };
/** Change per filing range per category (fraction of the position). */
const CHANGE: Record<HolderCategory, [number, number]> = { 1: [-0.25, 0.3], 2: [-0.2, 0.25], 3: [-0.5, 0.2] };

const ORIGIN_YEAR = 2022;
const DAY_MS = 86_400_000;

function dayOf(year: number, month: number, date: number): number {
  return Math.floor(Date.UTC(year, month, date) / DAY_MS);
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Holding changes of one stock's holders of one category, published at or before `nowMs`, newest first. */
export function holdingFilings(
  seed: number,
  security: SimSecurity,
  category: HolderCategory,
  nowMs: number,
): HoldingFiling[] {
  const shares = security.sharesOutstanding ?? 0;
  const index = securityIndex(security);
  const uniform = (holder: number, a: number, b: number) =>
    hash32(seed ^ 0x484f4c44, index * 16 + category, holder * 4096 + a, b) / 4_294_967_296;
  const today = localTime(security.market, nowMs).day;
  const filings: HoldingFiling[] = [];
  const candidates = HOLDERS[category];
  // Two thirds of the candidates (a hash-drawn choice) hold any given stock.
  const holding = new Set(
    candidates.map((_, holder) => holder).sort((a, b) => uniform(a, 0, 1) - uniform(b, 0, 1))
      .slice(0, candidates.length - Math.floor(candidates.length / 3)),
  );
  candidates.forEach((name, holder) => {
    if (!holding.has(holder)) return;
    const [lo, hi] = STAKE[category];
    let qty = Math.round(shares * (lo + (hi - lo) * uniform(holder, 0, 2)));
    const [down, up] = CHANGE[category];
    const months = category === 3 ? 1 : 3;
    for (let step = 0;; step++) {
      const monthIndex = step * months;
      const year = ORIGIN_YEAR + Math.floor(monthIndex / 12);
      const month = monthIndex % 12;
      const periodEnd = dayOf(year, month + months, 0);
      const day = category === 3
        ? dayOf(year, month, 1 + Math.floor(uniform(holder, step, 3) * 28))
        : periodEnd + 30 + Math.floor(uniform(holder, step, 3) * 21);
      if (day > today) break;
      // Executives file in about a quarter of the months; institutions and funds skip a few quarters.
      if (uniform(holder, step, 4) > (category === 3 ? 0.25 : 0.85)) continue;
      const change = Math.round(qty * (down + (up - down) * uniform(holder, step, 5)));
      if (change === 0) continue;
      const minute = 16 * 60 + 5 + Math.floor(uniform(holder, step, 6) * 120);
      const atMs = utcOf(security.market, day, minute);
      if (atMs > nowMs) break;
      const before = qty;
      qty += change;
      filings.push({
        holder: name,
        atMs,
        time: formatLocal(day, minute),
        holdingQty: qty,
        holdingRatio: shares > 0 ? round(qty / shares * 100, 4) : 0,
        changeQty: change,
        changeRatio: round(change / before * 100, 3),
      });
    }
  });
  return filings.sort((a, b) => b.atMs - a.atMs || a.holder.localeCompare(b.holder));
}
