/**
 * Financial statements and revenue breakdown of the simulated OpenD, read
 * from the financial model of `fundamentals_financials.ts` (modelled, not
 * generated): each report lists every line of its statement, with field ids
 * that the reply's `structureList` names, year-on-year changes against the
 * same period a year before and quarter-on-quarter ones for single quarters.
 * The revenue breakdown splits a period's total revenue over the company's
 * segments and regions (shares varying slightly per period); the parts add
 * up to the income statement's revenue of that period.
 *
 * @module
 */
import type {
  Qot_GetFinancialsRevenueBreakdown_C2S,
  Qot_GetFinancialsRevenueBreakdown_S2C,
  Qot_GetFinancialsStatements_C2S,
  Qot_GetFinancialsStatements_S2C,
} from "../gateway/proto/messages.ts";
import { Qot_Common_FinancialStatementsType, Qot_Common_RevenueBreakdownType } from "../gateway/proto/messages.ts";
import { fail, round } from "./_handler_common.ts";
import { CURRENCY_NAMES, currencyOf, daySeconds, jitter, page, stockOf } from "./_fundamentals_common.ts";
import { factsOf } from "./_fundamentals_profiles.ts";
import type { SimSecurity } from "./catalog.ts";
import {
  changePct,
  converted,
  kindsOf,
  type Period,
  periodOf,
  previousQuarterOf,
  publishedPeriods,
  STATEMENT_FIELDS,
} from "./fundamentals_financials.ts";
import type { SimContext } from "./handlers.ts";

/** `financialType` values Qot_GetFinancialsStatements supports (0–7, 9–11). */
const STATEMENT_TYPES = [0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11] as const;
/** `financialType` values Qot_GetFinancialsRevenueBreakdown supports (0–7, 9). */
const BREAKDOWN_TYPES = [0, 1, 2, 3, 4, 5, 6, 7, 9] as const;

/** The accounting standards a stock's market reports under. */
function standardsOf(security: SimSecurity): string {
  if (security.market === "US") return "US GAAP";
  if (security.market === "HK") return "International Financial Reporting Standards";
  return "China Accounting Standards for Business Enterprises";
}

/** Qot_GetFinancialsStatements. */
export function financialStatements(
  ctx: SimContext,
  c2s: Qot_GetFinancialsStatements_C2S,
): Qot_GetFinancialsStatements_S2C {
  const security = stockOf(c2s.security, "Financial statements");
  const statement = c2s.statementType || Qot_Common_FinancialStatementsType.Income;
  const fields = STATEMENT_FIELDS[statement];
  if (!fields) {
    fail(
      `Unsupported statementType ${statement}: expected 1 (income), 2 (balance sheet), 3 (cash flow) or 4 (key indicators)`,
    );
  }
  const kinds = kindsOf(c2s.financialType, 10, STATEMENT_TYPES);
  const currency = currencyOf(security, c2s.currencyCode);
  const seed = ctx.market.seed;
  const periods = publishedPeriods(seed, security, ctx.market.clock.now(), kinds);
  const { items, nextKey } = page(periods, c2s.nextKey, c2s.num);
  const reportList = items.map((period) => {
    const yearBefore = periodOf(seed, security, period.fiscalYear - 1, period.kind);
    const quarterBefore = previousQuarterOf(seed, security, period);
    return {
      dateTime: String(daySeconds(security.market, period.endDate)),
      dateTimeStr: period.endDate,
      fiscalYear: period.fiscalYear,
      financialType: period.kind,
      periodText: period.periodText,
      itemList: fields.map((field) => ({
        fieldId: String(field.id),
        data: converted(field, period.values[field.key], currency.factor),
        yoy: changePct(period.values[field.key], yearBefore.values[field.key]),
        qoq: quarterBefore ? changePct(period.values[field.key], quarterBefore.values[field.key]) : undefined,
      })),
      currencyInfo: CURRENCY_NAMES[currency.code],
      accountingStandards: standardsOf(security),
      auditorReport: period.kind === 7 ? "Unqualified opinion" : "Unaudited",
      currencyCode: currency.code,
    };
  });
  return {
    structureList: reportList.length === 0 ? [] : fields.map((f) => ({ fieldId: String(f.id), displayName: f.name })),
    reportList,
    nextKey,
  };
}

/** Splits `total` over weighted parts; the last part takes the rounding remainder so the parts add up. */
function split(total: number, parts: readonly (readonly [string, number])[], vary: (name: string) => number) {
  const weights = parts.map(([name, share]) => share * (1 + 0.06 * vary(name)));
  const sum = weights.reduce((a, b) => a + b, 0);
  let left = total;
  return parts.map(([name], i) => {
    const income = i === parts.length - 1 ? left : Math.round((total * weights[i]) / sum);
    left -= income;
    return { name, mainOperIncome: income, ratio: round((income / total) * 100, 2) };
  });
}

/** Qot_GetFinancialsRevenueBreakdown. */
export function revenueBreakdown(
  ctx: SimContext,
  c2s: Qot_GetFinancialsRevenueBreakdown_C2S,
): Qot_GetFinancialsRevenueBreakdown_S2C {
  const security = stockOf(c2s.security, "Revenue breakdown");
  const kinds = kindsOf(c2s.financialType, 0, BREAKDOWN_TYPES);
  const currency = currencyOf(security, c2s.currencyCode);
  const seed = ctx.market.seed;
  const periods = publishedPeriods(seed, security, ctx.market.clock.now(), kinds);
  let period: Period | undefined = periods[0];
  if (c2s.date) {
    period = periods.find((p) => daySeconds(security.market, p.endDate) === c2s.date);
    if (!period) fail(`Unknown date ${c2s.date}: pass a date from screenDateList (with its financialType)`);
  }
  const facts = factsOf(security);
  const revenue = period ? Math.round(period.values.revenue * currency.factor) : 0;
  const vary = (dimension: string) => (name: string) =>
    jitter(seed, security.symbol, period!.fiscalYear, period!.kind, dimension, name);
  const listScreenDates = !c2s.date && (c2s.financialType === undefined);
  return {
    period: period?.periodText ?? "",
    breakdownList: period
      ? [
        { type: Qot_Common_RevenueBreakdownType.Product, itemList: split(revenue, facts.products, vary("product")) },
        { type: Qot_Common_RevenueBreakdownType.Region, itemList: split(revenue, facts.regions, vary("region")) },
      ]
      : [],
    currencyCode: currency.code,
    screenDateList: listScreenDates
      ? periods.slice(0, 12).map((p) => ({
        date: daySeconds(security.market, p.endDate),
        periodText: p.periodText,
        financialType: p.kind,
      }))
      : [],
  };
}
