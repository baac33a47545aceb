/**
 * What the options, warrants and futures calls take and return, as plain
 * data (symbols as "HK.00700", enums by name, percentages as OpenD gives
 * them: 20 means 20 %), and the enum maps of their protocols.
 *
 * @module
 */
import { EnumMap } from "./enums.ts";
import {
  Qot_Common_ExpirationCycle,
  Qot_Common_Issuer,
  Qot_Common_OptionType,
  Qot_Common_SortField,
  Qot_Common_WarrantStatus,
  Qot_Common_WarrantType,
  Qot_GetOptionChain_OptionCondType,
  Qot_GetReference_ReferenceType,
} from "./proto/messages.ts";
import type { StaticInfo } from "./quote_types.ts";

function enumMap<const T extends Record<string, number>>(label: string, table: T): EnumMap<keyof T & string> {
  return new EnumMap(label, table);
}

/** Option type (`Qot_Common.OptionType`). */
export const OPTION_TYPE = enumMap("option type", {
  CALL: Qot_Common_OptionType.Call,
  PUT: Qot_Common_OptionType.Put,
});
/** "CALL" or "PUT". */
export type OptionTypeName = (typeof OPTION_TYPE.names)[number];

/** In or out of the money (`Qot_GetOptionChain.OptionCondType`). */
export const OPTION_CONDITION = enumMap("moneyness", {
  ITM: Qot_GetOptionChain_OptionCondType.WithIn,
  OTM: Qot_GetOptionChain_OptionCondType.Outside,
});
/** "ITM" or "OTM". */
export type OptionConditionName = (typeof OPTION_CONDITION.names)[number];

/** Expiry cycle (`Qot_Common.ExpirationCycle`). */
export const EXPIRY_CYCLE = enumMap("expiry cycle", {
  UNKNOWN: Qot_Common_ExpirationCycle.Unknown,
  WEEK: Qot_Common_ExpirationCycle.Week,
  MONTH: Qot_Common_ExpirationCycle.Month,
  MONTH_END: Qot_Common_ExpirationCycle.MonthEnd,
  QUARTER: Qot_Common_ExpirationCycle.Quarter,
  WEEK_MON: Qot_Common_ExpirationCycle.WeekMon,
  WEEK_TUE: Qot_Common_ExpirationCycle.WeekTue,
  WEEK_WED: Qot_Common_ExpirationCycle.WeekWed,
  WEEK_THU: Qot_Common_ExpirationCycle.WeekThu,
  WEEK_FRI: Qot_Common_ExpirationCycle.WeekFri,
});

/** Warrant type (`Qot_Common.WarrantType`) by the names traders use. */
export const WARRANT_KIND = enumMap("warrant type", {
  CALL: Qot_Common_WarrantType.Buy,
  PUT: Qot_Common_WarrantType.Sell,
  BULL: Qot_Common_WarrantType.Bull,
  BEAR: Qot_Common_WarrantType.Bear,
  INLINE: Qot_Common_WarrantType.InLine,
});
/** A warrant type name. */
export type WarrantKindName = (typeof WARRANT_KIND.names)[number];

const { Unknow: _unknownIssuer, ...ISSUERS } = Qot_Common_Issuer;
/** Warrant issuer (`Qot_Common.Issuer`): "SG", "GS", "HS", "JP", "UB", "BI", "CT", "MB"… */
export const WARRANT_ISSUER = enumMap("issuer", ISSUERS);
/** An issuer code. */
export type WarrantIssuerName = (typeof WARRANT_ISSUER.names)[number];

/** Warrant status (`Qot_Common.WarrantStatus`). */
export const WARRANT_STATUS = enumMap("warrant status", {
  NORMAL: Qot_Common_WarrantStatus.Normal,
  SUSPEND: Qot_Common_WarrantStatus.Suspend,
  STOP_TRADE: Qot_Common_WarrantStatus.StopTrade,
  PENDING_LISTING: Qot_Common_WarrantStatus.PendingListing,
});
/** A warrant status name. */
export type WarrantStatusName = (typeof WARRANT_STATUS.names)[number];

/** What a warrant list can be sorted by (the `Qot_Common.SortField` values Qot_GetWarrant takes). */
export const WARRANT_SORT = enumMap("sort field", {
  CODE: Qot_Common_SortField.Code,
  PRICE: Qot_Common_SortField.CurPrice,
  CHANGE_RATE: Qot_Common_SortField.ChangeRate,
  VOLUME: Qot_Common_SortField.Volume,
  TURNOVER: Qot_Common_SortField.Turnover,
  SCORE: Qot_Common_SortField.Score,
  PREMIUM: Qot_Common_SortField.Premium,
  LEVERAGE: Qot_Common_SortField.Leverage,
  EFFECTIVE_LEVERAGE: Qot_Common_SortField.EffectiveLeverage,
  DELTA: Qot_Common_SortField.Delta,
  IMPLIED_VOLATILITY: Qot_Common_SortField.ImpliedVolatility,
  STRIKE: Qot_Common_SortField.StrikePrice,
  BREAK_EVEN: Qot_Common_SortField.BreakEvenPoint,
  MATURITY: Qot_Common_SortField.MaturityTime,
  LIST_DATE: Qot_Common_SortField.ListTime,
  IN_OUT_MONEY: Qot_Common_SortField.InOutMoney,
  RECOVERY_PRICE: Qot_Common_SortField.RecoveryPrice,
  STREET_RATE: Qot_Common_SortField.StreetRate,
  ISSUER: Qot_Common_SortField.Issuer,
  STATUS: Qot_Common_SortField.Status,
});
/** A warrant sort field name. */
export type WarrantSortName = (typeof WARRANT_SORT.names)[number];

/** Related securities (`Qot_GetReference.ReferenceType`). */
export const REFERENCE_TYPE = enumMap("reference type", {
  WARRANT: Qot_GetReference_ReferenceType.Warrant,
  FUTURE: Qot_GetReference_ReferenceType.Future,
});
/** "WARRANT" or "FUTURE". */
export type ReferenceTypeName = (typeof REFERENCE_TYPE.names)[number];

/** A listed option expiry. */
export interface OptionExpiry {
  /** "YYYY-MM-DD". */
  date: string;
  /** Negative once expired. */
  daysToExpiry: number;
  cycle?: string;
}

/** A `[min, max]` bound; either side may be open. */
export interface Bound {
  min?: number;
  max?: number;
}

/** OpenD's option chain filters (`Qot_GetOptionChain.DataFilter`). */
export interface OptionDataFilter {
  /** Percent. */
  impliedVolatility?: Bound;
  delta?: Bound;
  gamma?: Bound;
  vega?: Bound;
  theta?: Bound;
  rho?: Bound;
  openInterest?: Bound;
  netOpenInterest?: Bound;
  volume?: Bound;
}

/** What an option chain request asks for: expiries in [begin, end] (≤ 30 days apart on OpenD). */
export interface OptionChainQuery {
  /** "YYYY-MM-DD". */
  begin: string;
  end: string;
  type?: OptionTypeName;
  condition?: OptionConditionName;
  filter?: OptionDataFilter;
}

/** One strike of a chain: its call and put, those the filters kept. */
export interface OptionPair {
  strike: number;
  call?: StaticInfo;
  put?: StaticInfo;
}

/** The contracts of one expiry. */
export interface OptionChainExpiry {
  /** "YYYY-MM-DD". */
  expiry: string;
  options: OptionPair[];
}

/** What a warrant list request asks for: filters, sorting, one page. */
export interface WarrantQuery {
  /** The underlying (absent: all warrants). */
  owner?: string;
  types?: WarrantKindName[];
  issuers?: WarrantIssuerName[];
  status?: WarrantStatusName;
  /** true: in the money; false: out of the money. */
  inTheMoney?: boolean;
  /** "YYYY-MM-DD" range of maturity. */
  maturityFrom?: string;
  maturityTo?: string;
  price?: Bound;
  strike?: Bound;
  /** Percent. */
  premium?: Bound;
  leverage?: Bound;
  sortBy: WarrantSortName;
  ascending: boolean;
  /** First row of the page (0-based). */
  offset: number;
  /** Rows per page, ≤ 200. */
  count: number;
}

/** One warrant of a list (`Qot_GetWarrant.WarrantData`). */
export interface Warrant {
  symbol: string;
  name: string;
  owner: string;
  type: string;
  issuer: string;
  status: string;
  price: number;
  lastClose: number;
  /** Percent. */
  changeRate: number;
  bid: number;
  ask: number;
  volume: number;
  turnover: number;
  strike: number;
  recoveryPrice?: number;
  conversionRatio: number;
  lotSize: number;
  /** "YYYY-MM-DD". */
  maturity: string;
  lastTradeDate: string;
  listDate: string;
  /** Percent. */
  premium: number;
  breakEven: number;
  leverage: number;
  effectiveLeverage: number;
  /** Percent. */
  impliedVolatility?: number;
  delta?: number;
  /** Percent in (+) or out of (−) the money. */
  inOutMoney: number;
  /** CBBCs: percent from the underlying to the call price. */
  priceRecoveryRatio?: number;
  /** Percent of the issue held by the public. */
  streetRate: number;
  score: number;
}

/** One page of a warrant list. */
export interface WarrantPage {
  /** Rows matching the filters, across pages. */
  allCount: number;
  lastPage: boolean;
  warrants: Warrant[];
}

/** A futures contract's terms (`Qot_GetFutureInfo.FutureInfo`). */
export interface FutureInfo {
  symbol: string;
  name: string;
  /** Absent for main (continuous) contracts. */
  lastTradeDate?: string;
  owner?: string;
  ownerOther: string;
  exchange: string;
  contractType: string;
  contractSize: number;
  contractSizeUnit: string;
  currency: string;
  tick: number;
  tickUnit: string;
  quoteUnit?: string;
  /** Sessions, "HH:MM-HH:MM" in the exchange's time zone. */
  tradingHours: string[];
  timeZone: string;
  specUrl: string;
  /** Main contracts: the contract month they stand for now. */
  origin?: string;
}
