/**
 * Earnings reports of the simulated stocks: one per fiscal quarter (calendar
 * quarters), released a stock-specific 20–44 days after the quarter ends,
 * before the open or after the close. Reported EPS spreads the catalog's
 * trailing EPS over the four quarters with a surprise against the estimate,
 * so the last four reported quarters add up to the catalog's `eps`. The
 * earnings calendar, the financial statements and the earnings price
 * reaction all read these, so they agree with one another.
 *
 * @example
 * ```ts
 * import { securityBySymbol } from "./catalog.ts";
 * import { earningsReports } from "./earnings.ts";
 * const reports = earningsReports(securityBySymbol("US.AAPL")!, "2026-01-01", "2026-12-31");
 * ```
 *
 * @module
 */
import { hash32 } from "./_price_model.ts";
import { securityIndex, type SimSecurity } from "./catalog.ts";
import { round } from "./_handler_common.ts";

/** One quarter's report. */
export interface EarningsReport {
  /** Market-local release date, "YYYY-MM-DD". */
  date: string;
  /** Released before the open or after the close of `date`. */
  session: "BEFORE_OPEN" | "AFTER_CLOSE";
  fiscalYear: number;
  /** 1–4. */
  quarter: number;
  /** "2026/Q3" */
  periodText: string;
  /** The last day of the fiscal quarter, "YYYY-MM-DD". */
  periodEnd: string;
  /** The consensus EPS estimate. */
  epsEstimate: number;
  /** The reported EPS (also given for a future report: the simulator knows it; callers show it only once released). */
  epsActual: number;
  /** Surprise against the estimate, in percent. */
  surprisePct: number;
}

const DAY_MS = 86_400_000;
/** EPS shares per quarter, summing to 1 (a mild seasonality). */
const QUARTER_SHARES = [0.23, 0.24, 0.25, 0.28] as const;

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The report of one fiscal quarter of a stock. */
export function earningsReport(security: SimSecurity, fiscalYear: number, quarter: number): EarningsReport {
  const index = securityIndex(security);
  const lag = 20 + (hash32(index, 7, 0, 0) % 25);
  const periodEndMs = Date.UTC(fiscalYear, quarter * 3, 0);
  let releaseMs = periodEndMs + lag * DAY_MS;
  const weekday = new Date(releaseMs).getUTCDay();
  if (weekday === 0) releaseMs += DAY_MS;
  if (weekday === 6) releaseMs += 2 * DAY_MS;
  const h = hash32(index, fiscalYear, quarter, 11);
  const eps = security.eps ?? 1;
  const actual = round(eps * QUARTER_SHARES[quarter - 1], 3);
  const surprisePct = round(((h % 2001) / 100) - 8, 2);
  const estimate = round(actual / (1 + surprisePct / 100), 3);
  return {
    date: day(releaseMs),
    session: hash32(index, 7, 1, 0) % 2 === 0 ? "BEFORE_OPEN" : "AFTER_CLOSE",
    fiscalYear,
    quarter,
    periodText: `${fiscalYear}/Q${quarter}`,
    periodEnd: day(periodEndMs),
    epsEstimate: estimate,
    epsActual: actual,
    surprisePct: estimate === 0 ? 0 : round((actual / estimate - 1) * 100, 2),
  };
}

/** The reports of a stock released from `from` to `to` ("YYYY-MM-DD", inclusive), in date order. */
export function earningsReports(security: SimSecurity, from: string, to: string): EarningsReport[] {
  if (security.kind !== "stock") return [];
  const out: EarningsReport[] = [];
  const firstYear = Number(from.slice(0, 4)) - 1;
  const lastYear = Number(to.slice(0, 4));
  for (let year = firstYear; year <= lastYear; year++) {
    for (let q = 1; q <= 4; q++) {
      const report = earningsReport(security, year, q);
      if (report.date >= from && report.date <= to) out.push(report);
    }
  }
  return out;
}
