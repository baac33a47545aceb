/**
 * What the capital-flow, holder, stock-filter and owner-plate calls take and
 * return, and the enums of their protocols by name (SDK names: "INTRADAY",
 * "INSTITUTE", "PE_ANNUAL", "CHANGE_RATE", "NET_PROFIT", …).
 *
 * @module
 */
import { derivedEnum, EnumMap } from "./enums.ts";
import {
  Qot_Common_HolderCategory,
  Qot_Common_PeriodType,
  Qot_StockFilter_AccumulateField,
  Qot_StockFilter_FinancialField,
  Qot_StockFilter_FinancialQuarter,
  Qot_StockFilter_StockField,
} from "./proto/messages.ts";
import type { MarketPrefix } from "./symbols.ts";
import type { Plate } from "./quote_types.ts";

/** Capital flow period (`Qot_Common.PeriodType`). */
export const PERIOD_TYPE = new EnumMap("period", {
  INTRADAY: Qot_Common_PeriodType.INTRADAY,
  DAY: Qot_Common_PeriodType.DAY,
  WEEK: Qot_Common_PeriodType.WEEK,
  MONTH: Qot_Common_PeriodType.MONTH,
});
/** A capital flow period name. */
export type PeriodTypeName = (typeof PERIOD_TYPE.names)[number];

/** Holder category of holding changes (`Qot_Common.HolderCategory`; the SDK's `StockHolder`). */
export const HOLDER_CATEGORY = new EnumMap("holder", {
  INSTITUTE: Qot_Common_HolderCategory.Agency,
  FUND: Qot_Common_HolderCategory.Fund,
  EXECUTIVE: Qot_Common_HolderCategory.SeniorManager,
});
/** A holder category name. */
export type HolderCategoryName = (typeof HOLDER_CATEGORY.names)[number];

/** The named members of a filter enum (without its Unknown, value 0), with SDK spellings where they differ. */
function fieldMap(label: string, generated: Record<string, number>, names: Record<string, string> = {}) {
  const skip = Object.keys(generated).filter((key) => generated[key] === 0);
  return derivedEnum(label, generated, { skip, names, acronyms: true });
}

/** Simple stock fields (`Qot_StockFilter.StockField`): filtered on today's values. */
export const STOCK_FIELD = fieldMap("stock field", Qot_StockFilter_StockField, {
  ChangeRate5min: "CHANGE_RATE_5MIN",
  PSTTM: "PS_TTM",
  PCFTTM: "PCF_TTM",
});

/** Fields accumulated over the last `days` trading days (`Qot_StockFilter.AccumulateField`). */
export const ACCUMULATE_FIELD = fieldMap("accumulate field", Qot_StockFilter_AccumulateField);

/** Financial fields of a report period (`Qot_StockFilter.FinancialField`). */
export const FINANCIAL_FIELD = fieldMap("financial field", Qot_StockFilter_FinancialField, {
  ROATTM: "ROA_TTM",
  EBITTTM: "EBIT_TTM",
});

/** Report period of a financial filter (`Qot_StockFilter.FinancialQuarter`). */
export const FINANCIAL_QUARTER = new EnumMap("quarter", {
  ANNUAL: Qot_StockFilter_FinancialQuarter.Annual,
  FIRST_QUARTER: Qot_StockFilter_FinancialQuarter.FirstQuarter,
  INTERIM: Qot_StockFilter_FinancialQuarter.Interim,
  THIRD_QUARTER: Qot_StockFilter_FinancialQuarter.ThirdQuarter,
  MOST_RECENT_QUARTER: Qot_StockFilter_FinancialQuarter.MostRecentQuarter,
});
/** A report period name. */
export type FinancialQuarterName = (typeof FINANCIAL_QUARTER.names)[number];

/** Which of the filter enums a field name belongs to. */
export type FilterKind = "base" | "accumulate" | "financial";

/** The kind of a stock filter field name, or undefined when no enum has it. */
export function filterKindOf(field: string): FilterKind | undefined {
  if (STOCK_FIELD.has(field)) return "base";
  if (ACCUMULATE_FIELD.has(field)) return "accumulate";
  if (FINANCIAL_FIELD.has(field)) return "financial";
  return undefined;
}

/** One point of a capital flow series: net inflows (inflow − outflow) in the security's currency. */
export interface CapitalFlowItem {
  /** Market-local "YYYY-MM-DD HH:MM:SS": the minute (intraday) or the period's first day. */
  time: string;
  timestamp?: number;
  /** All orders. */
  inFlow: number;
  /** Super + big orders (history periods only). */
  mainInFlow?: number;
  superInFlow?: number;
  bigInFlow?: number;
  midInFlow?: number;
  smallInFlow?: number;
}

/** A capital flow series (`Qot_GetCapitalFlow`). Intraday values are cumulative since the open. */
export interface CapitalFlowSeries {
  symbol: string;
  period: PeriodTypeName;
  items: CapitalFlowItem[];
  /** Intraday: the last minute with data. */
  lastValidTime?: string;
}

/** Today's turnover by order size and direction (`Qot_GetCapitalDistribution`). */
export interface CapitalDistribution {
  symbol: string;
  inSuper: number;
  inBig: number;
  inMid: number;
  inSmall: number;
  outSuper: number;
  outBig: number;
  outMid: number;
  outSmall: number;
  updateTime?: string;
}

/** One disclosed change of a major holder's position (`Qot_Common.ShareHoldingChange`). */
export interface HoldingChange {
  holder: string;
  /** Shares held after the change. */
  holdingQty: number;
  /** Percent of the shares outstanding. */
  holdingRatio: number;
  changeQty: number;
  /** Percent of the holder's previous position. */
  changeRatio: number;
  /** Publication time, market-local "YYYY-MM-DD HH:MM:SS". */
  time: string;
  timestamp?: number;
}

/** One condition (and/or display column) of a stock screen. */
export interface StockFilterCondition {
  /** A name of STOCK_FIELD, ACCUMULATE_FIELD or FINANCIAL_FIELD. */
  field: string;
  /** Inclusive bounds; neither means the field is only shown (or sorted on). */
  min?: number;
  max?: number;
  sort?: "ASC" | "DESC";
  /** Accumulate fields: over the last `days` trading days. */
  days?: number;
  /** Financial fields: the report period (default ANNUAL). */
  quarter?: FinancialQuarterName;
}

/** A stock screen (`Qot_StockFilter`). */
export interface StockFilterQuery {
  /** SH and SZ both mean the A-share market. */
  market: MarketPrefix;
  /** Only constituents of this plate, e.g. "HK.BK1910". */
  plate?: string;
  conditions: StockFilterCondition[];
  /** Index of the first result (0-based). */
  begin: number;
  /** Results per page (≤ 200). */
  num: number;
}

/** One field value of a screened stock. */
export interface StockFilterValue {
  field: string;
  value: number;
  days?: number;
  quarter?: FinancialQuarterName | `UNKNOWN_${number}`;
}

/** One page of screened stocks. */
export interface StockFilterResult {
  allCount: number;
  lastPage: boolean;
  stocks: { symbol: string; name: string; values: StockFilterValue[] }[];
}

/** The plates a security belongs to (`Qot_GetOwnerPlate`). */
export interface OwnerPlates {
  symbol: string;
  name?: string;
  plates: Plate[];
}
