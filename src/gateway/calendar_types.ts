/**
 * Trading days, IPOs, code changes and rehab factors as the rest of the code
 * sees them: the enums of their protocols by name, and the domain records
 * (symbols as "MARKET.CODE", dates as market-local "YYYY-MM-DD", 64-bit
 * counts as numbers: share counts stay far below 2^53).
 *
 * @module
 */
import { EnumMap } from "./enums.ts";
import {
  Qot_Common_CompanyAct,
  Qot_Common_TradeDateMarket,
  Qot_Common_TradeDateType,
  Qot_GetCodeChange_CodeChangeType,
  Qot_GetCodeChange_TimeFilterType,
} from "./proto/messages.ts";

/** Calendar market of Qot_RequestTradeDate (`Qot_Common.TradeDateMarket`; NT = Northbound, ST = Southbound Connect). */
export const TRADE_DATE_MARKET = new EnumMap("trade_date_market", {
  HK: Qot_Common_TradeDateMarket.HK,
  US: Qot_Common_TradeDateMarket.US,
  CN: Qot_Common_TradeDateMarket.CN,
  NT: Qot_Common_TradeDateMarket.NT,
  ST: Qot_Common_TradeDateMarket.ST,
  JP_FUTURE: Qot_Common_TradeDateMarket.JP_Future,
  SG_FUTURE: Qot_Common_TradeDateMarket.SG_Future,
  SG: Qot_Common_TradeDateMarket.SG,
  MY: Qot_Common_TradeDateMarket.MY,
  JP: Qot_Common_TradeDateMarket.JP,
});
/** A calendar market name. */
export type TradeDateMarketName = (typeof TRADE_DATE_MARKET.names)[number];

/** How a day trades (`Qot_Common.TradeDateType`): the whole day, or only the morning or afternoon. */
export const TRADE_DATE_TYPE = new EnumMap("trade_date_type", {
  WHOLE: Qot_Common_TradeDateType.Whole,
  MORNING: Qot_Common_TradeDateType.Morning,
  AFTERNOON: Qot_Common_TradeDateType.Afternoon,
});
/** A trade date type name. */
export type TradeDateTypeName = (typeof TRADE_DATE_TYPE.names)[number];

/** Kind of a code change (`Qot_GetCodeChange.CodeChangeType`). */
export const CODE_CHANGE_TYPE = new EnumMap("code_change_type", {
  GEM_TO_MAIN: Qot_GetCodeChange_CodeChangeType.GemToMain,
  UNPAID: Qot_GetCodeChange_CodeChangeType.Unpaid,
  CHANGE_LOT: Qot_GetCodeChange_CodeChangeType.ChangeLot,
  SPLIT: Qot_GetCodeChange_CodeChangeType.Split,
  JOINT: Qot_GetCodeChange_CodeChangeType.Joint,
  JOINT_SPLIT: Qot_GetCodeChange_CodeChangeType.JointSplit,
  SPLIT_JOINT: Qot_GetCodeChange_CodeChangeType.SplitJoint,
  OTHER: Qot_GetCodeChange_CodeChangeType.Other,
});
/** A code change type name. */
export type CodeChangeTypeName = (typeof CODE_CHANGE_TYPE.names)[number];

/** Which date of a code change a time filter reads (`Qot_GetCodeChange.TimeFilterType`). */
export const CODE_CHANGE_TIME = new EnumMap("code_change_time", {
  PUBLIC: Qot_GetCodeChange_TimeFilterType.Public,
  EFFECTIVE: Qot_GetCodeChange_TimeFilterType.Effective,
  END: Qot_GetCodeChange_TimeFilterType.End,
});
/** A code change time filter name. */
export type CodeChangeTimeName = (typeof CODE_CHANGE_TIME.names)[number];

/** One trading day. */
export interface TradingDay {
  /** "YYYY-MM-DD", market-local. */
  date: string;
  type: TradeDateTypeName | `UNKNOWN_${number}`;
}

/** An HK IPO's terms. */
export interface HkIpoInfo {
  priceMin: number;
  priceMax: number;
  /** Final offer price; undefined until it is fixed. */
  listPrice?: number;
  lotSize: number;
  /** Cash for one lot at the top of the range, fees included. */
  entrancePrice: number;
  /** True while subscriptions are open (false: waiting to list). */
  subscribing: boolean;
  applyEnd?: string;
}

/** A US IPO's terms. */
export interface UsIpoInfo {
  priceMin: number;
  priceMax: number;
  issueSize: number;
}

/** An A-share IPO's terms. */
export interface CnIpoInfo {
  applyCode: string;
  issueSize: number;
  onlineIssueSize: number;
  applyUpperLimit: number;
  applyLimitMarketValue: number;
  ipoPrice: number;
  ipoPriceEstimated: boolean;
  industryPe: number;
  issuePe: number;
  /** Percent: 0.05 means 0.05 %. */
  winningRatio: number;
  winningRatioEstimated: boolean;
  applyDate?: string;
  winningDate?: string;
  hasWon: boolean;
  winningNumbers: { group: string; numbers: string }[];
}

/** One IPO. */
export interface Ipo {
  symbol: string;
  name: string;
  listDate?: string;
  hk?: HkIpoInfo;
  us?: UsIpoInfo;
  cn?: CnIpoInfo;
}

/** One code change or temporary code. */
export interface CodeChange {
  type: CodeChangeTypeName | `UNKNOWN_${number}`;
  symbol: string;
  related: string;
  publicDate?: string;
  effectiveDate?: string;
  endDate?: string;
}

/** Filters of a code change query; all optional. */
export interface CodeChangeQuery {
  symbols?: string[];
  types?: CodeChangeTypeName[];
  /** Keep records whose `field` date lies in [begin, end] ("YYYY-MM-DD"). */
  time?: { field: CodeChangeTimeName; begin?: string; end?: string };
}

/** Corporate actions a rehab row carries (`Qot_Common.CompanyAct` bits). */
export const COMPANY_ACTS = {
  SPLIT: Qot_Common_CompanyAct.Split,
  JOIN: Qot_Common_CompanyAct.Join,
  BONUS: Qot_Common_CompanyAct.Bonus,
  TRANSFER: Qot_Common_CompanyAct.Transfer,
  ALLOT: Qot_Common_CompanyAct.Allot,
  ADD: Qot_Common_CompanyAct.Add,
  DIVIDEND: Qot_Common_CompanyAct.Dividend,
  SP_DIVIDEND: Qot_Common_CompanyAct.SPDividend,
  SPIN_OFF: Qot_Common_CompanyAct.SpinOff,
} as const;
/** A corporate action name. */
export type CompanyActName = keyof typeof COMPANY_ACTS;

/** One ex-date's adjustment factors: adjusted = price × A + B. */
export interface RehabFactor {
  /** Ex-date, "YYYY-MM-DD". */
  exDate: string;
  actions: CompanyActName[];
  forwardA: number;
  forwardB: number;
  backwardA: number;
  backwardB: number;
  /** "1:5" for a split of one share into five. */
  split?: string;
  /** "5:1" for five shares joined into one. */
  join?: string;
  /** "10:3" for three bonus shares per ten. */
  bonus?: string;
  /** "10:3" for three shares transferred from reserves per ten. */
  transfer?: string;
  /** "10:2@6.3": two rights shares per ten at 6.3. */
  allot?: string;
  /** "10:2@6.3": two additional shares per ten at 6.3. */
  add?: string;
  /** Spin-off ratio "base:ert". */
  spinOff?: string;
  /** Cash dividend per share. */
  dividend?: number;
  specialDividend?: number;
}
