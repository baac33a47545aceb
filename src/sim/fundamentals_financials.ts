/**
 * The financial statements of the simulated companies, one quarter at a
 * time, built on the earnings reports of `earnings.ts`: a quarter's net
 * income is its reported EPS × the catalog's shares outstanding, so four
 * quarters' EPS add up to the catalog's trailing `eps` and the annual net
 * income to `eps × sharesOutstanding`. Revenue, costs, tax, cash flows and
 * the balance sheet follow from each company's standing proportions
 * (`_fundamentals_profiles.ts`) with a small deterministic per-quarter
 * variation; equity is the catalog's `netAssetPerShare × sharesOutstanding`
 * as of the third quarter of 2026, growing 1 % a quarter; dividends paid are
 * the cash dividends of `corporate_actions.ts` whose ex-date falls in the
 * quarter. Figures are restated on today's share basis (after splits).
 *
 * A period is a single quarter (Q1–Q4), a cumulative one (Q6 = H1, Q9 =
 * nine months) or the fiscal year (fiscal years are calendar years); it is
 * published with the earnings release of its last quarter, before the open
 * (07:00) or after the close (16:30) of the release day.
 *
 * @module
 */
import { Qot_Common_F10Type } from "../gateway/proto/messages.ts";
import { fail, round } from "./_handler_common.ts";
import { dayOf, jitter } from "./_fundamentals_common.ts";
import { factsOf } from "./_fundamentals_profiles.ts";
import type { SimSecurity } from "./catalog.ts";
import { utcOf } from "./clock.ts";
import { actionsOf } from "./corporate_actions.ts";
import { type EarningsReport, earningsReport } from "./earnings.ts";

/** Wire `F10Type` of a period: 1–4 single quarters, 5 Q6, 6 Q9, 7 annual. */
export type PeriodKind = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** What a figure is, for currency conversion and rounding. */
type Unit = "money" | "perShare" | "shares" | "percent";

/** One line of a statement. */
export interface FieldDef {
  id: number;
  key: string;
  name: string;
  unit: Unit;
}

const f = (id: number, key: string, name: string, unit: Unit = "money"): FieldDef => ({ id, key, name, unit });

/** The lines of each statement (`Qot_Common.FinancialStatementsType`), with stable field ids. */
export const STATEMENT_FIELDS: Readonly<Record<number, readonly FieldDef[]>> = {
  1: [
    f(1001, "revenue", "Total Revenue"),
    f(1002, "costOfRevenue", "Cost of Revenue"),
    f(1003, "grossProfit", "Gross Profit"),
    f(1004, "operatingExpenses", "Operating Expenses"),
    f(1005, "operatingIncome", "Operating Income"),
    f(1006, "pretaxIncome", "Income Before Tax"),
    f(1007, "incomeTax", "Income Tax"),
    f(1008, "netIncome", "Net Income"),
    f(1009, "eps", "Basic EPS", "perShare"),
    f(1010, "dilutedEps", "Diluted EPS", "perShare"),
    f(1011, "shares", "Weighted Average Shares", "shares"),
  ],
  2: [
    f(2001, "cash", "Cash and Equivalents"),
    f(2002, "currentAssets", "Total Current Assets"),
    f(2003, "totalAssets", "Total Assets"),
    f(2004, "currentLiabilities", "Total Current Liabilities"),
    f(2005, "totalLiabilities", "Total Liabilities"),
    f(2006, "equity", "Total Equity"),
    f(2007, "shares", "Shares Outstanding", "shares"),
  ],
  3: [
    f(3001, "operatingCashFlow", "Net Cash from Operating Activities"),
    f(3002, "capex", "Capital Expenditure"),
    f(3003, "investingCashFlow", "Net Cash from Investing Activities"),
    f(3004, "dividendsPaid", "Dividends Paid"),
    f(3005, "financingCashFlow", "Net Cash from Financing Activities"),
    f(3006, "freeCashFlow", "Free Cash Flow"),
    f(3007, "netChangeInCash", "Net Change in Cash"),
  ],
  4: [
    f(4001, "eps", "EPS", "perShare"),
    f(4002, "bookValuePerShare", "Book Value per Share", "perShare"),
    f(4003, "revenuePerShare", "Revenue per Share", "perShare"),
    f(4004, "roe", "Return on Equity (%)", "percent"),
    f(4005, "grossMargin", "Gross Margin (%)", "percent"),
    f(4006, "operatingMargin", "Operating Margin (%)", "percent"),
    f(4007, "netMargin", "Net Margin (%)", "percent"),
    f(4008, "debtToAssets", "Debt to Assets (%)", "percent"),
  ],
};

/** One quarter's figures. */
export interface QuarterFigures {
  fiscalYear: number;
  quarter: number;
  report: EarningsReport;
  /** Flows (summed over a period) and balances (taken at its end). */
  flows: Record<string, number>;
  balances: Record<string, number>;
}

const FLOW_KEYS = [
  "revenue",
  "costOfRevenue",
  "grossProfit",
  "operatingExpenses",
  "operatingIncome",
  "pretaxIncome",
  "incomeTax",
  "netIncome",
  "operatingCashFlow",
  "capex",
  "investingCashFlow",
  "dividendsPaid",
  "financingCashFlow",
  "freeCashFlow",
  "netChangeInCash",
] as const;

/** The quarter number Q3 2026 has in {@link quarterNumber}: the catalog's balance-sheet figures are as of then. */
const ANCHOR_QUARTER = 2026 * 4 + 2;
/** Employees in the catalog's facts are as of Q4 2025. */
const EMPLOYEE_ANCHOR = 2025 * 4 + 3;

function quarterNumber(fiscalYear: number, quarter: number): number {
  return fiscalYear * 4 + quarter - 1;
}

/** Cash dividends per share × shares on the ex-date basis, of the ex-dates in a quarter. */
function dividendsIn(security: SimSecurity, fiscalYear: number, quarter: number): number {
  const from = Date.UTC(fiscalYear, (quarter - 1) * 3, 1);
  const to = Date.UTC(fiscalYear, quarter * 3, 1);
  const actions = actionsOf(security);
  let total = 0;
  actions.forEach((action, i) => {
    const at = action.exDay * 86_400_000;
    const cash = (action.dividend ?? 0) + (action.specialDividend ?? 0);
    if (at < from || at >= to || cash === 0) return;
    // Shares then: today's shares taken back through the later actions' share multiples.
    let shares = security.sharesOutstanding ?? 0;
    for (const later of actions.slice(i + 1)) shares *= later.forward.a;
    total += cash * shares;
  });
  return Math.round(total);
}

const quarterCache = new Map<string, QuarterFigures>();

/** The figures of one fiscal quarter of a stock. */
export function quarterFigures(
  seed: number,
  security: SimSecurity,
  fiscalYear: number,
  quarter: number,
): QuarterFigures {
  const key = `${seed}|${security.symbol}|${fiscalYear}|${quarter}`;
  const known = quarterCache.get(key);
  if (known) return known;
  const facts = factsOf(security);
  const j = (name: string) => jitter(seed, security.symbol, fiscalYear, quarter, name);
  const report = earningsReport(security, fiscalYear, quarter);
  const shares = security.sharesOutstanding ?? 0;
  const netIncome = Math.round(report.epsActual * shares);
  const revenue = Math.round(netIncome / (facts.netMargin * (1 + 0.05 * j("margin"))));
  const grossProfit = Math.round(revenue * facts.grossMargin * (1 + 0.02 * j("gross")));
  const pretaxIncome = Math.round(netIncome / (1 - facts.taxRate));
  const operatingIncome = Math.round(pretaxIncome * (1 + 0.03 * j("operating")));
  const operatingCashFlow = Math.round(netIncome * (1.2 + 0.15 * j("ocf")));
  const capex = -Math.round(revenue * facts.capexRatio * (1 + 0.1 * j("capex")));
  const investingCashFlow = capex - Math.round(revenue * 0.02 * (1 + j("investing")));
  const dividendsPaid = -dividendsIn(security, fiscalYear, quarter);
  const financingCashFlow = dividendsPaid - Math.round(revenue * 0.03 * (1 + j("financing")));
  const n = quarterNumber(fiscalYear, quarter);
  const equity = Math.round((security.netAssetPerShare ?? 0) * shares * 1.01 ** (n - ANCHOR_QUARTER));
  const totalAssets = Math.round(equity / facts.equityRatio);
  const cash = Math.round(totalAssets * facts.cashRatio * (1 + 0.05 * j("cash")));
  const totalLiabilities = totalAssets - equity;
  const figures: QuarterFigures = {
    fiscalYear,
    quarter,
    report,
    flows: {
      revenue,
      costOfRevenue: revenue - grossProfit,
      grossProfit,
      operatingExpenses: grossProfit - operatingIncome,
      operatingIncome,
      pretaxIncome,
      incomeTax: pretaxIncome - netIncome,
      netIncome,
      operatingCashFlow,
      capex,
      investingCashFlow,
      dividendsPaid,
      financingCashFlow,
      freeCashFlow: operatingCashFlow + capex,
      netChangeInCash: operatingCashFlow + investingCashFlow + financingCashFlow,
    },
    balances: {
      cash,
      currentAssets: cash + Math.round(totalAssets * 0.15),
      totalAssets,
      currentLiabilities: Math.round(totalLiabilities * 0.45),
      totalLiabilities,
      equity,
      shares,
      employees: Math.round(facts.employees * 1.03 ** ((n - EMPLOYEE_ANCHOR) / 4) * (1 + 0.01 * j("staff"))),
    },
  };
  if (quarterCache.size > 20_000) quarterCache.clear();
  quarterCache.set(key, figures);
  return figures;
}

/** A reporting period: a quarter, a cumulative quarter or a fiscal year. */
export interface Period {
  fiscalYear: number;
  kind: PeriodKind;
  /** "2026/Q3", "2026/Q6", "2026/FY". */
  periodText: string;
  /** Last day of the period, "YYYY-MM-DD". */
  endDate: string;
  /** The earnings report that publishes it (its last quarter's). */
  report: EarningsReport;
  /** When it is published (epoch ms). */
  publishedMs: number;
  quarters: QuarterFigures[];
  /** Every figure of every statement, by key, in the stock's own currency. */
  values: Record<string, number>;
}

/** The quarters a period kind covers. */
function quartersOf(kind: PeriodKind): number[] {
  if (kind <= 4) return [kind];
  return kind === 5 ? [1, 2] : kind === 6 ? [1, 2, 3] : [1, 2, 3, 4];
}

function periodText(fiscalYear: number, kind: PeriodKind): string {
  return `${fiscalYear}/${kind <= 4 ? `Q${kind}` : kind === 5 ? "Q6" : kind === 6 ? "Q9" : "FY"}`;
}

/** When an earnings report is out: 07:00 before the open, 16:30 after the close, market-local. */
export function publishedMsOf(security: SimSecurity, report: EarningsReport): number {
  return utcOf(security.market, dayOf(report.date), report.session === "BEFORE_OPEN" ? 7 * 60 : 16 * 60 + 30);
}

const periodCache = new Map<string, Period>();

/** One period of a stock. */
export function periodOf(seed: number, security: SimSecurity, fiscalYear: number, kind: PeriodKind): Period {
  const key = `${seed}|${security.symbol}|${fiscalYear}|${kind}`;
  const known = periodCache.get(key);
  if (known) return known;
  if (periodCache.size > 20_000) periodCache.clear();
  const period = buildPeriod(seed, security, fiscalYear, kind);
  periodCache.set(key, period);
  return period;
}

function buildPeriod(seed: number, security: SimSecurity, fiscalYear: number, kind: PeriodKind): Period {
  const quarters = quartersOf(kind).map((q) => quarterFigures(seed, security, fiscalYear, q));
  const last = quarters.at(-1)!;
  const values: Record<string, number> = {};
  for (const key of FLOW_KEYS) values[key] = quarters.reduce((sum, q) => sum + q.flows[key], 0);
  Object.assign(values, last.balances);
  const shares = last.balances.shares;
  values.eps = round(quarters.reduce((sum, q) => sum + q.report.epsActual, 0), 3);
  values.dilutedEps = round(values.netIncome / (shares * 1.004), 3);
  values.bookValuePerShare = round(values.equity / shares, 2);
  values.revenuePerShare = round(values.revenue / shares, 2);
  values.roe = round((values.netIncome / values.equity) * 100, 2);
  values.grossMargin = round((values.grossProfit / values.revenue) * 100, 2);
  values.operatingMargin = round((values.operatingIncome / values.revenue) * 100, 2);
  values.netMargin = round((values.netIncome / values.revenue) * 100, 2);
  values.debtToAssets = round((values.totalLiabilities / values.totalAssets) * 100, 2);
  const month = quarters.length === 1 ? last.quarter * 3 : quarters.length * 3;
  return {
    fiscalYear,
    kind,
    periodText: periodText(fiscalYear, kind),
    endDate: new Date(Date.UTC(fiscalYear, month, 0)).toISOString().slice(0, 10),
    report: last.report,
    publishedMs: publishedMsOf(security, last.report),
    quarters,
    values,
  };
}

/** The period before one: the prior quarter for single quarters, none for cumulative ones. */
export function previousQuarterOf(seed: number, security: SimSecurity, period: Period): Period | undefined {
  if (period.kind > 4) return undefined;
  return period.kind === 1
    ? periodOf(seed, security, period.fiscalYear - 1, 4)
    : periodOf(seed, security, period.fiscalYear, (period.kind - 1) as PeriodKind);
}

/** Change in percent (2 decimals); undefined without a base. */
export function changePct(value: number, base: number | undefined): number | undefined {
  if (base === undefined || base === 0) return undefined;
  return round(((value - base) / Math.abs(base)) * 100, 2);
}

/** The period kinds an `F10Type` filter selects; `allowed` are the wire values the protocol supports. */
export function kindsOf(financialType: number | undefined, fallback: number, allowed: readonly number[]): PeriodKind[] {
  const type = financialType ?? fallback;
  if (!allowed.includes(type)) {
    fail(`Unsupported financialType ${type}: this request supports ${allowed.join(", ")}`);
  }
  switch (type) {
    case Qot_Common_F10Type.Unknown:
      return [1, 2, 3, 4, 5, 6, 7];
    case Qot_Common_F10Type.Quarterly:
      return [1, 2, 3, 4];
    case Qot_Common_F10Type.QuarterlyAnnual:
      return [1, 2, 3, 4, 7];
    case Qot_Common_F10Type.MulQuarterly:
      return [1, 5, 6, 7];
    default:
      return [type as PeriodKind];
  }
}

/** The first fiscal year with statements: ten years back, not before the first full year listed. */
function firstFiscalYear(security: SimSecurity, nowMs: number): number {
  return Math.max(Number(security.listDate.slice(0, 4)) + 1, new Date(nowMs).getUTCFullYear() - 10);
}

/** The published periods of these kinds, newest first (of one end date, the longer period first). */
export function publishedPeriods(
  seed: number,
  security: SimSecurity,
  nowMs: number,
  kinds: readonly PeriodKind[],
): Period[] {
  const out: Period[] = [];
  const lastYear = new Date(nowMs).getUTCFullYear();
  for (let year = lastYear; year >= firstFiscalYear(security, nowMs); year--) {
    for (const kind of [...kinds].sort((a, b) => b - a)) {
      const period = periodOf(seed, security, year, kind);
      if (period.publishedMs <= nowMs) out.push(period);
    }
  }
  return out.sort((a, b) => b.endDate.localeCompare(a.endDate) || b.kind - a.kind);
}

/** A figure in the reply's currency (money and per-share figures converted, the rest as they are). */
export function converted(field: FieldDef, value: number, factor: number): number {
  if (field.unit === "money") return Math.round(value * factor);
  if (field.unit === "perShare") return round(value * factor, 3);
  return value;
}
