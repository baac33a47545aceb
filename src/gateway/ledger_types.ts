/**
 * What the ledger calls return and take: history filters, order fees, cash
 * flows and margin ratios, as plain data (ids as decimal strings, enums by
 * name, ratios in percent as OpenD reports them).
 *
 * @module
 */
import type { CurrencyName, OrderStatusName, TrdMarketName } from "./enums.ts";

/** Filter of the history order and fill queries (AND of every field given). */
export interface HistoryFilter {
  /** "YYYY-MM-DD" or "YYYY-MM-DD HH:MM:SS", market-local. */
  begin: string;
  end: string;
  symbols?: string[];
  /** Numeric order ids (orders) or fill ids (fills). */
  ids?: string[];
  /** Only this trading market (default: every market of the account). */
  market?: TrdMarketName;
  /** Orders only: these statuses. */
  statuses?: OrderStatusName[];
}

/** One charge of an order (`Trd_Common.OrderFeeItem`). */
export interface FeeItem {
  title: string;
  value: number;
}

/** The fees of an order (`Trd_Common.OrderFee`). */
export interface OrderFee {
  orderIdEx: string;
  total: number;
  items: FeeItem[];
}

/** Direction of a cash flow (`Trd_FlowSummary.TrdCashFlowDirection`). */
export type CashFlowDirection = "IN" | "OUT";

/** One cash flow of an account (`Trd_FlowSummary.FlowSummaryInfo`). */
export interface CashFlow {
  id: string;
  clearingDate: string;
  settlementDate?: string;
  currency?: CurrencyName;
  type: string;
  direction?: CashFlowDirection;
  /** Signed: negative leaves the account. */
  amount: number;
  remark?: string;
}

/** Margin terms of a security (`Trd_GetMarginRatio.MarginRatioInfo`), ratios in percent. */
export interface MarginRatio {
  symbol: string;
  longPermit?: boolean;
  shortPermit?: boolean;
  shortPoolRemain?: number;
  /** Annual borrow rate, percent. */
  shortFeeRate?: number;
  alertLong?: number;
  alertShort?: number;
  imLong?: number;
  imShort?: number;
  mcmLong?: number;
  mcmShort?: number;
  mmLong?: number;
  mmShort?: number;
}
