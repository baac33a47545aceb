/**
 * OpenD enums by name. The names are the ones the official Python SDK uses
 * ("BUY", "NORMAL", "K_DAY", "FILLED_ALL", …); the numbers come from the
 * generated protobuf enums, never typed by hand.
 *
 * @example
 * ```ts
 * import { KL_TYPE, TRD_SIDE } from "./enums.ts";
 * TRD_SIDE.toWire("BUY"); // 1
 * KL_TYPE.fromWire(2); // "K_DAY"
 * KL_TYPE.parse("k_day"); // "K_DAY" (names are case-insensitive; integers accepted too)
 * ```
 *
 * @module
 */
import {
  Common_Session,
  Qot_Common_KLType,
  Qot_Common_PlateSetType,
  Qot_Common_QotMarketState,
  Qot_Common_RehabType,
  Qot_Common_SecurityType,
  Qot_Common_SubType,
  Qot_Common_TickerDirection,
  Qot_Common_WarrantType,
  Trd_Common_Currency,
  Trd_Common_ModifyOrderOp,
  Trd_Common_OrderFillStatus,
  Trd_Common_OrderStatus,
  Trd_Common_OrderType,
  Trd_Common_PositionSide,
  Trd_Common_SecurityFirm,
  Trd_Common_SimAccType,
  Trd_Common_TimeInForce,
  Trd_Common_TrailType,
  Trd_Common_TrdAccStatus,
  Trd_Common_TrdAccType,
  Trd_Common_TrdEnv,
  Trd_Common_TrdMarket,
  Trd_Common_TrdSide,
} from "./proto/messages.ts";

/** A value that is not a valid member of an enum. */
export class EnumValueError extends Error {
  override name = "EnumValueError";
}

/** A bidirectional map between enum names and wire numbers. */
export class EnumMap<N extends string> {
  /** Every name, in declaration order. */
  readonly names: readonly N[];
  readonly #toWire: Map<N, number>;
  readonly #fromWire = new Map<number, N>();
  readonly #byUpper = new Map<string, N>();

  constructor(readonly label: string, table: Record<N, number>) {
    this.names = Object.keys(table) as N[];
    this.#toWire = new Map(Object.entries(table) as [N, number][]);
    for (const name of this.names) {
      const wire = table[name];
      if (!this.#fromWire.has(wire)) this.#fromWire.set(wire, name);
      this.#byUpper.set(name.toUpperCase(), name);
    }
  }

  /** Wire number of a name. */
  toWire(name: N): number {
    return this.#toWire.get(name)!;
  }

  /** Name of a wire number; unknown numbers come back as `"UNKNOWN_<n>"` rather than being lost. */
  fromWire(wire: number): N | `UNKNOWN_${number}` {
    return this.#fromWire.get(wire) ?? `UNKNOWN_${wire}`;
  }

  /** True when the name is a member. */
  has(name: string): name is N {
    return this.#toWire.has(name as N);
  }

  /**
   * Accepts a name (case-insensitive, `-` or space for `_`) or its wire
   * integer; throws {@link EnumValueError} listing the valid names otherwise.
   */
  parse(value: string | number): N {
    if (typeof value === "number") {
      const name = Number.isInteger(value) ? this.#fromWire.get(value) : undefined;
      if (name !== undefined) return name;
    } else {
      const name = this.#byUpper.get(value.trim().toUpperCase().replace(/[- ]/g, "_"));
      if (name !== undefined) return name;
      if (/^-?\d+$/.test(value.trim())) return this.parse(Number(value.trim()));
    }
    throw new EnumValueError(
      `invalid ${this.label} ${JSON.stringify(value)}: expected one of ${this.names.join(", ")}`,
    );
  }
}

function enumMap<const T extends Record<string, number>>(label: string, table: T): EnumMap<keyof T & string> {
  return new EnumMap(label, table);
}

/** How {@link derivedEnum} names a generated enum's members. */
export interface DerivedEnumOptions {
  /** Generated keys to leave out (e.g. an "Unknown" member). */
  skip?: readonly string[];
  /** Names to use instead of the derived ones (the SDK's spelling), by generated key. */
  names?: Readonly<Record<string, string>>;
  /**
   * Split a run of capitals before a word as a word too ("EBITMargin" → "EBIT_MARGIN" rather than
   * "EBITMARGIN"). Off for the enums whose names were published before this option existed.
   */
  acronyms?: boolean;
}

/**
 * The SCREAMING_SNAKE_CASE name of a generated enum key ("PreMarketBegin" → "PRE_MARKET_BEGIN";
 * with `acronyms`, "EBITMargin" → "EBIT_MARGIN").
 */
export function enumMemberName(key: string, acronyms: boolean): string {
  const words = acronyms ? key.replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2") : key;
  return words.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();
}

/**
 * An enum map from a generated enum, its names in SCREAMING_SNAKE_CASE ("PreMarketBegin" →
 * "PRE_MARKET_BEGIN"); of two keys with one name, the first wins.
 */
export function derivedEnum<N extends string = string>(
  label: string,
  generated: Record<string, number>,
  options: DerivedEnumOptions = {},
): EnumMap<N> {
  const table: Record<string, number> = {};
  for (const [key, value] of Object.entries(generated)) {
    if (options.skip?.includes(key)) continue;
    const name = options.names?.[key] ?? enumMemberName(key, options.acronyms ?? false);
    if (!(name in table)) table[name] = value;
  }
  return new EnumMap(label, table as Record<N, number>);
}

const derived = (label: string, generated: Record<string, number>) => derivedEnum(label, generated);

/** K-line period (`Qot_Common.KLType`). */
export const KL_TYPE = enumMap("kl_type", {
  K_1M: Qot_Common_KLType["1Min"],
  K_3M: Qot_Common_KLType["3Min"],
  K_5M: Qot_Common_KLType["5Min"],
  K_10M: Qot_Common_KLType["10Min"],
  K_15M: Qot_Common_KLType["15Min"],
  K_30M: Qot_Common_KLType["30Min"],
  K_60M: Qot_Common_KLType["60Min"],
  K_120M: Qot_Common_KLType["120Min"],
  K_180M: Qot_Common_KLType["180Min"],
  K_240M: Qot_Common_KLType["240Min"],
  K_DAY: Qot_Common_KLType.Day,
  K_WEEK: Qot_Common_KLType.Week,
  K_MON: Qot_Common_KLType.Month,
  K_QUARTER: Qot_Common_KLType.Quarter,
  K_YEAR: Qot_Common_KLType.Year,
});
/** A K-line period name. */
export type KLTypeName = (typeof KL_TYPE.names)[number];

/** Quote subscription type (`Qot_Common.SubType`). Note that its numbers differ from KLType's. */
export const SUB_TYPE = enumMap("sub_type", {
  QUOTE: Qot_Common_SubType.Basic,
  ORDER_BOOK: Qot_Common_SubType.OrderBook,
  TICKER: Qot_Common_SubType.Ticker,
  RT_DATA: Qot_Common_SubType.RT,
  BROKER: Qot_Common_SubType.Broker,
  K_1M: Qot_Common_SubType.KL_1Min,
  K_3M: Qot_Common_SubType.KL_3Min,
  K_5M: Qot_Common_SubType.KL_5Min,
  K_10M: Qot_Common_SubType.KL_10Min,
  K_15M: Qot_Common_SubType.KL_15Min,
  K_30M: Qot_Common_SubType.KL_30Min,
  K_60M: Qot_Common_SubType.KL_60Min,
  K_120M: Qot_Common_SubType.KL_120Min,
  K_180M: Qot_Common_SubType.KL_180Min,
  K_240M: Qot_Common_SubType.KL_240Min,
  K_DAY: Qot_Common_SubType.KL_Day,
  K_WEEK: Qot_Common_SubType.KL_Week,
  K_MON: Qot_Common_SubType.KL_Month,
  K_QUARTER: Qot_Common_SubType.KL_Qurater,
  K_YEAR: Qot_Common_SubType.KL_Year,
  ORDER_BOOK_ODD: Qot_Common_SubType.OrderBook_Odd,
});
/** A subscription type name. */
export type SubTypeName = (typeof SUB_TYPE.names)[number];

/** Price adjustment (`Qot_Common.RehabType`). */
export const REHAB_TYPE = enumMap("rehab_type", {
  NONE: Qot_Common_RehabType.None,
  FORWARD: Qot_Common_RehabType.Forward,
  BACKWARD: Qot_Common_RehabType.Backward,
});
/** A price adjustment name. */
export type RehabTypeName = (typeof REHAB_TYPE.names)[number];

/** Market state (`Qot_Common.QotMarketState`), e.g. "MORNING", "CLOSED", "PRE_MARKET_BEGIN". */
export const MARKET_STATE = derived("market_state", Qot_Common_QotMarketState);

/** Security type (`Qot_Common.SecurityType`), e.g. "EQTY", "INDEX", "WARRANT", "DRVT". */
export const SECURITY_TYPE = derived("security_type", Qot_Common_SecurityType);

/** Warrant type (`Qot_Common.WarrantType`). */
export const WARRANT_TYPE = derived("warrant_type", Qot_Common_WarrantType);

/** Ticker direction (`Qot_Common.TickerDirection`). */
export const TICKER_DIRECTION = enumMap("ticker_direction", {
  UNKNOWN: Qot_Common_TickerDirection.Unknown,
  BID: Qot_Common_TickerDirection.Bid,
  ASK: Qot_Common_TickerDirection.Ask,
  NEUTRAL: Qot_Common_TickerDirection.Neutral,
});

/** Plate set type (`Qot_Common.PlateSetType`). */
export const PLATE_SET_TYPE = enumMap("plate_set_type", {
  ALL: Qot_Common_PlateSetType.All,
  INDUSTRY: Qot_Common_PlateSetType.Industry,
  REGION: Qot_Common_PlateSetType.Region,
  CONCEPT: Qot_Common_PlateSetType.Concept,
  OTHER: Qot_Common_PlateSetType.Other,
});
/** A plate set type name. */
export type PlateSetTypeName = (typeof PLATE_SET_TYPE.names)[number];

/** Trading environment (`Trd_Common.TrdEnv`). */
export const TRD_ENV = enumMap("env", {
  SIMULATE: Trd_Common_TrdEnv.Simulate,
  REAL: Trd_Common_TrdEnv.Real,
});
/** "SIMULATE" or "REAL". */
export type TrdEnvName = (typeof TRD_ENV.names)[number];

/** Trading market (`Trd_Common.TrdMarket`). */
export const TRD_MARKET = enumMap("trd_market", {
  HK: Trd_Common_TrdMarket.HK,
  US: Trd_Common_TrdMarket.US,
  CN: Trd_Common_TrdMarket.CN,
  HKCC: Trd_Common_TrdMarket.HKCC,
  FUTURES: Trd_Common_TrdMarket.Futures,
  SG: Trd_Common_TrdMarket.SG,
  CRYPTO: Trd_Common_TrdMarket.Crypto,
  AU: Trd_Common_TrdMarket.AU,
  FUTURES_SIMULATE_HK: Trd_Common_TrdMarket.Futures_Simulate_HK,
  FUTURES_SIMULATE_US: Trd_Common_TrdMarket.Futures_Simulate_US,
  FUTURES_SIMULATE_SG: Trd_Common_TrdMarket.Futures_Simulate_SG,
  FUTURES_SIMULATE_JP: Trd_Common_TrdMarket.Futures_Simulate_JP,
  JP: Trd_Common_TrdMarket.JP,
  MY: Trd_Common_TrdMarket.MY,
  CA: Trd_Common_TrdMarket.CA,
  HK_FUND: Trd_Common_TrdMarket.HK_Fund,
  US_FUND: Trd_Common_TrdMarket.US_Fund,
});
/** A trading market name. */
export type TrdMarketName = (typeof TRD_MARKET.names)[number];

/** Order side (`Trd_Common.TrdSide`). */
export const TRD_SIDE = enumMap("side", {
  BUY: Trd_Common_TrdSide.Buy,
  SELL: Trd_Common_TrdSide.Sell,
  SELL_SHORT: Trd_Common_TrdSide.SellShort,
  BUY_BACK: Trd_Common_TrdSide.BuyBack,
});
/** An order side name. */
export type TrdSideName = (typeof TRD_SIDE.names)[number];

/** Order type (`Trd_Common.OrderType`). */
export const ORDER_TYPE = enumMap("order_type", {
  NORMAL: Trd_Common_OrderType.Normal,
  MARKET: Trd_Common_OrderType.Market,
  ABSOLUTE_LIMIT: Trd_Common_OrderType.AbsoluteLimit,
  AUCTION: Trd_Common_OrderType.Auction,
  AUCTION_LIMIT: Trd_Common_OrderType.AuctionLimit,
  SPECIAL_LIMIT: Trd_Common_OrderType.SpecialLimit,
  SPECIAL_LIMIT_ALL: Trd_Common_OrderType.SpecialLimit_All,
  STOP: Trd_Common_OrderType.Stop,
  STOP_LIMIT: Trd_Common_OrderType.StopLimit,
  MARKET_IF_TOUCHED: Trd_Common_OrderType.MarketifTouched,
  LIMIT_IF_TOUCHED: Trd_Common_OrderType.LimitifTouched,
  TRAILING_STOP: Trd_Common_OrderType.TrailingStop,
  TRAILING_STOP_LIMIT: Trd_Common_OrderType.TrailingStopLimit,
  TWAP: Trd_Common_OrderType.TWAP_MARKET,
  TWAP_LIMIT: Trd_Common_OrderType.TWAP_LIMIT,
  VWAP: Trd_Common_OrderType.VWAP_MARKET,
  VWAP_LIMIT: Trd_Common_OrderType.VWAP_LIMIT,
});
/** An order type name. */
export type OrderTypeName = (typeof ORDER_TYPE.names)[number];

/** The order types whose `price` is a limit price (required, and what the order is worth). */
export const LIMIT_PRICE_ORDER_TYPES: ReadonlySet<OrderTypeName> = new Set([
  "NORMAL",
  "ABSOLUTE_LIMIT",
  "STOP_LIMIT",
  "LIMIT_IF_TOUCHED",
  "SPECIAL_LIMIT",
  "SPECIAL_LIMIT_ALL",
  "AUCTION_LIMIT",
  "TWAP_LIMIT",
  "VWAP_LIMIT",
]);

/** The order types triggered when the market reaches `aux_price` (required for them). */
export const TRIGGER_PRICE_ORDER_TYPES: ReadonlySet<OrderTypeName> = new Set([
  "STOP",
  "STOP_LIMIT",
  "MARKET_IF_TOUCHED",
  "LIMIT_IF_TOUCHED",
]);

/** The order types triggered by a trail (`trail_type`, `trail_value`). */
export const TRAILING_ORDER_TYPES: ReadonlySet<OrderTypeName> = new Set(["TRAILING_STOP", "TRAILING_STOP_LIMIT"]);

/** Order status (`Trd_Common.OrderStatus`). */
export const ORDER_STATUS = enumMap("order_status", {
  UNSUBMITTED: Trd_Common_OrderStatus.Unsubmitted,
  UNKNOWN: Trd_Common_OrderStatus.Unknown,
  WAITING_SUBMIT: Trd_Common_OrderStatus.WaitingSubmit,
  SUBMITTING: Trd_Common_OrderStatus.Submitting,
  SUBMIT_FAILED: Trd_Common_OrderStatus.SubmitFailed,
  TIMEOUT: Trd_Common_OrderStatus.TimeOut,
  SUBMITTED: Trd_Common_OrderStatus.Submitted,
  FILLED_PART: Trd_Common_OrderStatus.Filled_Part,
  FILLED_ALL: Trd_Common_OrderStatus.Filled_All,
  CANCELLING_PART: Trd_Common_OrderStatus.Cancelling_Part,
  CANCELLING_ALL: Trd_Common_OrderStatus.Cancelling_All,
  CANCELLED_PART: Trd_Common_OrderStatus.Cancelled_Part,
  CANCELLED_ALL: Trd_Common_OrderStatus.Cancelled_All,
  FAILED: Trd_Common_OrderStatus.Failed,
  DISABLED: Trd_Common_OrderStatus.Disabled,
  DELETED: Trd_Common_OrderStatus.Deleted,
  FILL_CANCELLED: Trd_Common_OrderStatus.FillCancelled,
});
/** An order status name. */
export type OrderStatusName = (typeof ORDER_STATUS.names)[number];

/** Order modification (`Trd_Common.ModifyOrderOp`). */
export const MODIFY_ORDER_OP = enumMap("op", {
  NORMAL: Trd_Common_ModifyOrderOp.Normal,
  CANCEL: Trd_Common_ModifyOrderOp.Cancel,
  DISABLE: Trd_Common_ModifyOrderOp.Disable,
  ENABLE: Trd_Common_ModifyOrderOp.Enable,
  DELETE: Trd_Common_ModifyOrderOp.Delete,
});
/** A modify operation name. */
export type ModifyOrderOpName = (typeof MODIFY_ORDER_OP.names)[number];

/** Time in force (`Trd_Common.TimeInForce`). */
export const TIME_IN_FORCE = enumMap("time_in_force", {
  DAY: Trd_Common_TimeInForce.DAY,
  GTC: Trd_Common_TimeInForce.GTC,
  IOC: Trd_Common_TimeInForce.IOC,
  GTD: Trd_Common_TimeInForce.GTD,
});
/** A time-in-force name. */
export type TimeInForceName = (typeof TIME_IN_FORCE.names)[number];

/** Trailing stop type (`Trd_Common.TrailType`). */
export const TRAIL_TYPE = enumMap("trail_type", {
  RATIO: Trd_Common_TrailType.Ratio,
  AMOUNT: Trd_Common_TrailType.Amount,
});
/** A trail type name. */
export type TrailTypeName = (typeof TRAIL_TYPE.names)[number];

/** Trading session (`Common.Session`). */
export const SESSION = enumMap("session", {
  NONE: Common_Session.NONE,
  RTH: Common_Session.RTH,
  ETH: Common_Session.ETH,
  ALL: Common_Session.ALL,
  OVERNIGHT: Common_Session.OVERNIGHT,
});
/** A session name. */
export type SessionName = (typeof SESSION.names)[number];

/** Currency (`Trd_Common.Currency`). */
export const CURRENCY = enumMap("currency", {
  UNKNOWN: Trd_Common_Currency.Unknown,
  HKD: Trd_Common_Currency.HKD,
  USD: Trd_Common_Currency.USD,
  CNH: Trd_Common_Currency.CNH,
  JPY: Trd_Common_Currency.JPY,
  SGD: Trd_Common_Currency.SGD,
  AUD: Trd_Common_Currency.AUD,
  CAD: Trd_Common_Currency.CAD,
  MYR: Trd_Common_Currency.MYR,
  NZD: Trd_Common_Currency.NZD,
});
/** A currency name. */
export type CurrencyName = (typeof CURRENCY.names)[number];

const MARKET_CURRENCY: Readonly<Record<string, CurrencyName>> = {
  HK: "HKD",
  HK_FUTURE: "HKD",
  US: "USD",
  SH: "CNH",
  SZ: "CNH",
  SG: "SGD",
  JP: "JPY",
  AU: "AUD",
  MY: "MYR",
  CA: "CAD",
};

/** The currency a market's securities trade in (by symbol prefix: "HK" → HKD), undefined for FX and crypto. */
export function currencyOfMarket(market: string): CurrencyName | undefined {
  return MARKET_CURRENCY[market];
}

/** Position side (`Trd_Common.PositionSide`). */
export const POSITION_SIDE = enumMap("position_side", {
  LONG: Trd_Common_PositionSide.Long,
  SHORT: Trd_Common_PositionSide.Short,
  UNKNOWN: Trd_Common_PositionSide.Unknown,
});

/** Fill status (`Trd_Common.OrderFillStatus`). */
export const ORDER_FILL_STATUS = enumMap("fill_status", {
  OK: Trd_Common_OrderFillStatus.OK,
  CANCELLED: Trd_Common_OrderFillStatus.Cancelled,
  CHANGED: Trd_Common_OrderFillStatus.Changed,
  PAYOUT: Trd_Common_OrderFillStatus.Payout,
});

/** Account type (`Trd_Common.TrdAccType`). */
export const ACC_TYPE = derived("acc_type", Trd_Common_TrdAccType);

/** Paper account type (`Trd_Common.SimAccType`). */
export const SIM_ACC_TYPE = derived("sim_acc_type", Trd_Common_SimAccType);

/** Account status (`Trd_Common.TrdAccStatus`). */
export const ACC_STATUS = derived("acc_status", Trd_Common_TrdAccStatus);

/** Broker entity (`Trd_Common.SecurityFirm`). */
export const SECURITY_FIRM = enumMap("security_firm", {
  UNKNOWN: Trd_Common_SecurityFirm.Unknown,
  FUTU_SECURITIES: Trd_Common_SecurityFirm.FutuSecurities,
  FUTU_INC: Trd_Common_SecurityFirm.FutuInc,
  FUTU_SG: Trd_Common_SecurityFirm.FutuSG,
  FUTU_AU: Trd_Common_SecurityFirm.FutuAU,
  FUTU_CA: Trd_Common_SecurityFirm.FutuCA,
  FUTU_MY: Trd_Common_SecurityFirm.FutuMY,
  FUTU_JP: Trd_Common_SecurityFirm.FutuJP,
});
/** A broker entity name. */
export type SecurityFirmName = (typeof SECURITY_FIRM.names)[number];
