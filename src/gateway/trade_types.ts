/**
 * What the typed trade calls return and take: accounts, funds, positions,
 * orders and fills, order inputs and query filters, and the order and fill
 * pushes, as plain data with ids as decimal strings and enums by name.
 *
 * @module
 */
import type {
  CurrencyName,
  ModifyOrderOpName,
  OrderStatusName,
  OrderTypeName,
  SecurityFirmName,
  SessionName,
  TimeInForceName,
  TrailTypeName,
  TrdEnvName,
  TrdMarketName,
  TrdSideName,
} from "./enums.ts";

/** The account a trade call addresses. */
export interface TradeTarget {
  /** Account id (uint64) as a decimal string. */
  accId: string;
  env: TrdEnvName;
  market: TrdMarketName;
}

/** A trading account (`Trd_Common.TrdAcc`). */
export interface Account {
  accId: string;
  env: TrdEnvName;
  /** Markets this account may trade. */
  markets: TrdMarketName[];
  accType?: string;
  cardNum?: string;
  uniCardNum?: string;
  securityFirm?: SecurityFirmName;
  simAccType?: string;
  status?: string;
}

/** Account funds (`Trd_Common.Funds`), in `currency`. */
export interface Funds {
  currency?: CurrencyName;
  power: number;
  totalAssets: number;
  cash: number;
  marketVal: number;
  frozenCash: number;
  debtCash: number;
  avlWithdrawalCash: number;
  availableFunds?: number;
  unrealizedPL?: number;
  realizedPL?: number;
  maxPowerShort?: number;
  netCashPower?: number;
  cashByCurrency: { currency: CurrencyName; cash: number; availableBalance?: number }[];
}

/** A position (`Trd_Common.Position`). */
export interface Position {
  positionId: string;
  symbol: string;
  name: string;
  side: string;
  qty: number;
  canSellQty: number;
  price: number;
  costPrice?: number;
  val: number;
  plVal: number;
  plRatio?: number;
  currency?: CurrencyName;
  todayPlVal?: number;
  unrealizedPL?: number;
  realizedPL?: number;
}

/** An order (`Trd_Common.Order`). */
export interface Order {
  /** Numeric order id (uint64) as a string. */
  orderId: string;
  /** OpenD's string order id, what the Python SDK shows. */
  orderIdEx: string;
  symbol: string;
  name: string;
  side: TrdSideName | `UNKNOWN_${number}`;
  orderType: OrderTypeName | `UNKNOWN_${number}`;
  status: OrderStatusName | `UNKNOWN_${number}`;
  qty: number;
  price?: number;
  fillQty?: number;
  fillAvgPrice?: number;
  createTime: string;
  updateTime: string;
  lastErrMsg?: string;
  timeInForce?: string;
  auxPrice?: number;
  trailType?: string;
  trailValue?: number;
  trailSpread?: number;
  currency?: CurrencyName;
  market?: TrdMarketName;
  session?: string;
  remark?: string;
  fillOutsideRTH?: boolean;
}

/** A fill (`Trd_Common.OrderFill`). */
export interface OrderFill {
  fillId: string;
  fillIdEx: string;
  orderId?: string;
  orderIdEx?: string;
  symbol: string;
  name: string;
  side: string;
  qty: number;
  price: number;
  createTime: string;
  counterBrokerId?: number;
  counterBrokerName?: string;
  status?: string;
}

/** Maximum quantities for an order. */
export interface MaxTradeQuantities {
  maxCashBuy: number;
  maxCashAndMarginBuy?: number;
  maxPositionSell: number;
  maxSellShort?: number;
  maxBuyBack?: number;
}

/** What to buy or sell. Prices are in the security's currency. */
export interface PlaceOrderInput {
  symbol: string;
  side: TrdSideName;
  orderType: OrderTypeName;
  qty: number;
  /** Limit price; required for limit-style orders. */
  price?: number;
  /** Trigger price of stop / if-touched orders. */
  auxPrice?: number;
  trailType?: TrailTypeName;
  trailValue?: number;
  trailSpread?: number;
  timeInForce?: TimeInForceName;
  fillOutsideRTH?: boolean;
  session?: SessionName;
  remark?: string;
  /** Snap the price to a valid tick within ±`adjustLimit` (a ratio, e.g. 0.01). */
  adjustPrice?: boolean;
  adjustLimit?: number;
}

/** Identifiers of a placed order. */
export interface PlacedOrder {
  orderId: string;
  orderIdEx?: string;
}

/** A change to an order: `orderId` (numeric) or `orderIdEx` names it. */
export interface ModifyOrderInput {
  orderId?: string;
  orderIdEx?: string;
  op: ModifyOrderOpName;
  /** New quantity (op NORMAL). */
  qty?: number;
  /** New price (op NORMAL). */
  price?: number;
  auxPrice?: number;
  trailType?: TrailTypeName;
  trailValue?: number;
  trailSpread?: number;
}

/** Filter of order and fill queries. */
export interface TradeFilter {
  symbols?: string[];
  /** Numeric ids (orders or fills). */
  ids?: string[];
  orderIdExs?: string[];
  /** "YYYY-MM-DD HH:MM:SS" (required for history queries). */
  begin?: string;
  end?: string;
}

/** An order update push, with the account it belongs to. */
export interface OrderUpdate {
  accId: string;
  env: TrdEnvName | `UNKNOWN_${number}`;
  market: TrdMarketName | `UNKNOWN_${number}`;
  order: Order;
}

/** A fill push, with the account it belongs to. */
export interface FillUpdate {
  accId: string;
  env: TrdEnvName | `UNKNOWN_${number}`;
  market: TrdMarketName | `UNKNOWN_${number}`;
  fill: OrderFill;
}
