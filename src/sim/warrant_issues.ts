/**
 * The simulated HK warrants and CBBCs (callable bull/bear contracts): a fixed,
 * generated set per underlying — calls and puts from several issuers at
 * strikes around the underlying's base price, bulls and bears with their
 * call (recovery) price inside the strike, expiries spread over 2027–28.
 * Codes follow HKEX's ranges (derivative warrants 1xxxx–2xxxx, CBBCs
 * 5xxxx–6xxxx). Prices come from the price model (Black–Scholes on the
 * underlying, which for a deep in-the-money CBBC is close to its intrinsic
 * value); inline warrants are not simulated.
 *
 * @module
 */
import type { SimSecurity } from "./catalog.ts";

/** The kinds of warrant the simulator issues. */
export type SimWarrantType = "CALL" | "PUT" | "BULL" | "BEAR";

interface Issue {
  type: SimWarrantType;
  issuer: string;
  /** Strike (calls, puts) or call price (CBBCs) over the base price. */
  level: number;
  expiry: string;
}

const ISSUES: readonly Issue[] = [
  { type: "CALL", issuer: "SG", level: 1.05, expiry: "2027-03-30" },
  { type: "CALL", issuer: "GS", level: 1.15, expiry: "2027-09-29" },
  { type: "CALL", issuer: "HS", level: 1.3, expiry: "2028-03-30" },
  { type: "PUT", issuer: "JP", level: 0.95, expiry: "2027-04-29" },
  { type: "PUT", issuer: "UB", level: 0.85, expiry: "2027-12-30" },
  { type: "BULL", issuer: "BI", level: 0.9, expiry: "2027-05-28" },
  { type: "BULL", issuer: "SG", level: 0.85, expiry: "2028-01-27" },
  { type: "BEAR", issuer: "CT", level: 1.1, expiry: "2027-06-29" },
  { type: "BEAR", issuer: "HS", level: 1.15, expiry: "2027-11-29" },
];

/** The underlyings that have warrants: short name for warrant names, conversion ratio, lot. */
const OWNERS: Readonly<Record<string, { short: string; ratio: number; lot: number }>> = {
  "HK.00700": { short: "TENCENT", ratio: 100, lot: 10_000 },
  "HK.09988": { short: "ALIBABA", ratio: 10, lot: 5_000 },
  "HK.800000": { short: "HSI", ratio: 10_000, lot: 10_000 },
};

/** Days between listing and expiry. */
const LISTED_DAYS = 600;

const SUFFIX: Record<SimWarrantType, string> = { CALL: "C", PUT: "P", BULL: "R", BEAR: "X" };

/** Price levels rounded as issuers set them. */
function level(owner: SimSecurity, x: number): number {
  const step = owner.basePrice >= 5000 ? 100 : owner.basePrice >= 200 ? 2 : 0.5;
  return Math.round(owner.basePrice * x / step) * step;
}

/** The warrants of the catalog's HK underlyings, in a fixed order. */
export function issueWarrants(catalog: readonly SimSecurity[]): SimSecurity[] {
  const out: SimSecurity[] = [];
  let ownerNumber = 0;
  for (const owner of catalog) {
    const terms = OWNERS[owner.symbol];
    if (!terms) continue;
    ISSUES.forEach((issue, i) => {
      const cbbc = issue.type === "BULL" || issue.type === "BEAR";
      const code = String((cbbc ? 61_000 : 21_000) + ownerNumber * 500 + i * 17);
      const recovery = cbbc ? level(owner, issue.level) : undefined;
      // A CBBC's strike lies beyond its call price, away from the money.
      const strike = cbbc
        ? level(owner, issue.level * (issue.type === "BULL" ? 0.97 : 1.03))
        : level(owner, issue.level);
      const yymm = issue.expiry.slice(2, 7).replace("-", "");
      out.push({
        symbol: `HK.${code}`,
        market: "HK",
        code,
        name: `${terms.short} ${issue.issuer} ${yymm}${SUFFIX[issue.type]}`,
        kind: "warrant",
        lotSize: terms.lot,
        basePrice: 0,
        // The price model prices every warrant at one volatility of its own (35 %).
        volatility: 0,
        tradeSize: terms.lot * 20,
        listDate: new Date(Date.parse(`${issue.expiry}T00:00:00Z`) - LISTED_DAYS * 86_400_000).toISOString().slice(
          0,
          10,
        ),
        underlying: owner.symbol,
        callPut: issue.type === "CALL" || issue.type === "BULL" ? "CALL" : "PUT",
        strike,
        expiry: issue.expiry,
        conversionRatio: terms.ratio,
        warrantType: issue.type,
        issuer: issue.issuer,
        recoveryPrice: recovery,
        issueSize: (cbbc ? 80_000_000 : 200_000_000) + i * 10_000_000,
      });
    });
    ownerNumber++;
  }
  return out;
}
