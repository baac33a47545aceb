/**
 * Wire ↔ domain conversions of the trade calls (private to src/gateway):
 * OpenD's `Trd_Common` orders, fills, positions and funds to the plain data
 * of `trade_types.ts`, and a {@link TradeFilter} to `TrdFilterConditions`.
 *
 * @module
 */
import {
  CURRENCY,
  type CurrencyName,
  ORDER_FILL_STATUS,
  ORDER_STATUS,
  ORDER_TYPE,
  POSITION_SIDE,
  SESSION,
  TIME_IN_FORCE,
  TRAIL_TYPE,
  TRD_MARKET,
  TRD_SIDE,
} from "./enums.ts";
import { parseUint64 } from "./ids.ts";
import type {
  Trd_Common_Funds,
  Trd_Common_Order,
  Trd_Common_OrderFill,
  Trd_Common_Position,
  Trd_Common_TrdFilterConditions,
} from "./proto/messages.ts";
import { formatTradeSymbol, parseSymbol } from "./symbols.ts";
import type { Funds, Order, OrderFill, Position, TradeFilter } from "./trade_types.ts";

/** The wire filter of a query filter. */
export function filterConditions(filter: TradeFilter | undefined): Trd_Common_TrdFilterConditions | undefined {
  if (!filter) return undefined;
  return {
    codeList: filter.symbols?.map((s) => parseSymbol(s).code),
    idList: filter.ids?.map((id) => parseUint64(id, "id")),
    orderIDExList: filter.orderIdExs,
    beginTime: filter.begin,
    endTime: filter.end,
  };
}

/** The currency name of a wire value, undefined when unknown. */
function currencyName(value: number | undefined): CurrencyName | undefined {
  if (value === undefined) return undefined;
  const name = CURRENCY.fromWire(value);
  return CURRENCY.has(name) ? name : undefined;
}

/** Converts a wire order. */
export function toOrder(o: Trd_Common_Order): Order {
  const market = o.trdMarket === undefined ? undefined : TRD_MARKET.fromWire(o.trdMarket);
  return {
    orderId: o.orderID,
    orderIdEx: o.orderIDEx,
    symbol: formatTradeSymbol(o.code, o.secMarket),
    name: o.name,
    side: TRD_SIDE.fromWire(o.trdSide),
    orderType: ORDER_TYPE.fromWire(o.orderType),
    status: ORDER_STATUS.fromWire(o.orderStatus),
    qty: o.qty,
    price: o.price,
    fillQty: o.fillQty,
    fillAvgPrice: o.fillAvgPrice,
    createTime: o.createTime,
    updateTime: o.updateTime,
    lastErrMsg: o.lastErrMsg || undefined,
    timeInForce: o.timeInForce === undefined ? undefined : TIME_IN_FORCE.fromWire(o.timeInForce),
    auxPrice: o.auxPrice,
    trailType: o.trailType === undefined || o.trailType === 0 ? undefined : TRAIL_TYPE.fromWire(o.trailType),
    trailValue: o.trailValue,
    trailSpread: o.trailSpread,
    currency: currencyName(o.currency),
    market: market && TRD_MARKET.has(market) ? market : undefined,
    session: o.session === undefined ? undefined : SESSION.fromWire(o.session),
    remark: o.remark || undefined,
    fillOutsideRTH: o.fillOutsideRTH,
  };
}

/** Converts a wire fill. */
export function toFill(f: Trd_Common_OrderFill): OrderFill {
  return {
    fillId: f.fillID,
    fillIdEx: f.fillIDEx,
    orderId: f.orderID,
    orderIdEx: f.orderIDEx,
    symbol: formatTradeSymbol(f.code, f.secMarket),
    name: f.name,
    side: TRD_SIDE.fromWire(f.trdSide),
    qty: f.qty,
    price: f.price,
    createTime: f.createTime,
    counterBrokerId: f.counterBrokerID,
    counterBrokerName: f.counterBrokerName,
    status: f.status === undefined ? undefined : ORDER_FILL_STATUS.fromWire(f.status),
  };
}

/** Converts a wire position. */
export function toPosition(p: Trd_Common_Position): Position {
  return {
    positionId: p.positionID,
    symbol: formatTradeSymbol(p.code, p.secMarket),
    name: p.name,
    side: POSITION_SIDE.fromWire(p.positionSide),
    qty: p.qty,
    canSellQty: p.canSellQty,
    price: p.price,
    costPrice: p.costPrice,
    val: p.val,
    plVal: p.plVal,
    plRatio: p.plRatio,
    currency: currencyName(p.currency),
    todayPlVal: p.td_plVal,
    unrealizedPL: p.unrealizedPL,
    realizedPL: p.realizedPL,
  };
}

/** Converts wire funds. */
export function toFunds(f: Trd_Common_Funds): Funds {
  return {
    currency: currencyName(f.currency),
    power: f.power,
    totalAssets: f.totalAssets,
    cash: f.cash,
    marketVal: f.marketVal,
    frozenCash: f.frozenCash,
    debtCash: f.debtCash,
    avlWithdrawalCash: f.avlWithdrawalCash,
    availableFunds: f.availableFunds,
    unrealizedPL: f.unrealizedPL,
    realizedPL: f.realizedPL,
    maxPowerShort: f.maxPowerShort,
    netCashPower: f.netCashPower,
    cashByCurrency: (f.cashInfoList ?? []).flatMap((c) => {
      const currency = currencyName(c.currency);
      return currency ? [{ currency, cash: c.cash ?? 0, availableBalance: c.availableBalance }] : [];
    }),
  };
}
