/**
 * The order rules of the simulated broker (private to src/sim): which order
 * types and sides an account may use, quantity (lot and position), price
 * (tick, trigger and trail) and buying-power checks, with OpenD-style
 * {@link SimRuleError} messages.
 *
 * @module
 */
import { LIMIT_PRICE_ORDER_TYPES, TRAILING_ORDER_TYPES, TRIGGER_PRICE_ORDER_TYPES } from "../gateway/enums.ts";
import type { OrderTypeName, TrdSideName } from "../gateway/enums.ts";
import {
  buyingPowerFor,
  currencyOf,
  multiplierOf,
  pendingSell,
  shortPowerFor,
  type SimAccount,
  type SimOrder,
  tradingMarketsOf,
} from "./accounts.ts";
import type { SimSecurity } from "./catalog.ts";
import { type MarketPhase, marketPhase } from "./clock.ts";
import type { MarketData } from "./market.ts";
import { SimRuleError } from "./subscriptions.ts";
import { isOnTick, roundToTick, tickSize } from "./ticks.ts";
import type { ModifyRequest, OrderRequest } from "./trading.ts";

const PAPER_ORDER_TYPES: ReadonlySet<OrderTypeName> = new Set(["NORMAL", "MARKET"]);
const SUPPORTED_ORDER_TYPES: ReadonlySet<OrderTypeName> = new Set([
  "NORMAL",
  "MARKET",
  "ABSOLUTE_LIMIT",
  "STOP",
  "STOP_LIMIT",
  "MARKET_IF_TOUCHED",
  "LIMIT_IF_TOUCHED",
  "TRAILING_STOP",
  "TRAILING_STOP_LIMIT",
]);
// A trigger or a trail holds the order back until the market reaches it.
export const triggeredLater = (type: OrderTypeName) =>
  TRIGGER_PRICE_ORDER_TYPES.has(type) || TRAILING_ORDER_TYPES.has(type);

/**
 * Checks a new order as OpenD would, in OpenD's order of checks; returns its
 * limit price (snapped when asked) and the market phase at `now`.
 */
export function checkNewOrder(
  request: OrderRequest,
  market: MarketData,
  unlocked: boolean,
  now: number,
): { price: number | undefined; phase: MarketPhase } {
  const { account, security } = request;
  const env = account.spec.env;
  if (env === "REAL" && !unlocked) {
    throw new SimRuleError("Please unlock trade first (Trd_UnlockTrade): real trading is locked");
  }
  if (!tradingMarketsOf(security).includes(request.trdMarket)) {
    throw new SimRuleError(`${security.symbol} does not trade in market ${request.trdMarket}`);
  }
  if (security.kind === "index") throw new SimRuleError(`${security.symbol} is an index and cannot be traded`);
  if (!SUPPORTED_ORDER_TYPES.has(request.type)) {
    throw new SimRuleError(`Order type ${request.type} is not supported by the simulator`);
  }
  if (env === "SIMULATE" && !PAPER_ORDER_TYPES.has(request.type)) {
    throw new SimRuleError(`Paper trading supports only limit (NORMAL) and MARKET orders, not ${request.type}`);
  }
  if ((request.side === "SELL_SHORT" || request.side === "BUY_BACK") && security.market !== "US") {
    throw new SimRuleError(`Short selling is not supported for ${security.symbol}`);
  }
  if (request.timeInForce !== "DAY" && env === "SIMULATE") {
    throw new SimRuleError("Paper trading supports only DAY orders");
  }
  checkQuantity(security, request.side, request.qty, account);
  const price = checkPrices(request);
  const phase = marketPhase(security.market, now);
  const isMarketType = request.type === "MARKET";
  if (isMarketType && !phase.trading) {
    throw new SimRuleError(
      `Market closed: ${security.market} is ${phase.state}; market orders are accepted only during trading hours`,
    );
  }
  checkFunds(market, account, security, request.side, request.qty, price, undefined);
  if (request.remark && new TextEncoder().encode(request.remark).length > 64) {
    throw new SimRuleError("remark is longer than 64 bytes");
  }
  return { price, phase };
}

/** Checks an order quantity: positive, whole, in lots (odd lots only to close a non-HK position), and sellable. */
export function checkQuantity(
  security: SimSecurity,
  side: TrdSideName,
  qty: number,
  account: SimAccount,
  existing?: SimOrder,
): void {
  if (!Number.isFinite(qty) || qty <= 0) throw new SimRuleError(`Invalid quantity ${qty}: must be positive`);
  if (!Number.isInteger(qty)) throw new SimRuleError(`Invalid quantity ${qty}: must be a whole number`);
  const lot = Math.max(1, security.lotSize);
  const oddLotSell = security.market !== "HK" && side === "SELL" &&
    qty === (account.positions.get(security.symbol)?.qty ?? -1);
  if (qty % lot !== 0 && !oddLotSell) {
    throw new SimRuleError(`Quantity ${qty} is not a multiple of the lot size ${lot} of ${security.symbol}`);
  }
  if (side === "SELL") {
    const position = account.positions.get(security.symbol)?.qty ?? 0;
    const available = position - pendingSell(account, security, existing) + (existing?.fillQty ?? 0);
    if (qty > available) {
      throw new SimRuleError(
        `Insufficient position: ${available} ${security.symbol} can be sold, the order needs ${qty}`,
      );
    }
  }
}

/** Validates prices; returns the limit price (snapped when asked). */
export function checkPrices(
  request: OrderRequest | (ModifyRequest & { security: SimSecurity; type: OrderTypeName }),
): number | undefined {
  const { security, type } = request;
  const positive = (v: number | undefined, what: string) => {
    if (v !== undefined && (!Number.isFinite(v) || v <= 0)) {
      throw new SimRuleError(`Invalid ${what} ${v}: must be a positive number`);
    }
  };
  positive(request.price, "price");
  positive(request.auxPrice, "aux price");
  let price = request.price;
  if (LIMIT_PRICE_ORDER_TYPES.has(type)) {
    if (price === undefined) throw new SimRuleError(`A ${type} order needs a price`);
    if (!isOnTick(security, price)) {
      const adjust = "adjustPrice" in request && request.adjustPrice;
      const snapped = roundToTick(security, price);
      const limit = ("adjustLimit" in request ? request.adjustLimit : undefined) ?? 0;
      if (!adjust || Math.abs(snapped - price) / price > Math.abs(limit)) {
        throw new SimRuleError(
          `Price ${price} is not a valid price step for ${security.symbol} (step ${
            tickSize(security, price)
          } at this level)`,
        );
      }
      price = snapped;
    }
  } else if (type === "MARKET" || type === "STOP" || type === "MARKET_IF_TOUCHED" || type === "TRAILING_STOP") {
    price = undefined;
  }
  if (
    (type === "STOP" || type === "STOP_LIMIT" || type === "MARKET_IF_TOUCHED" || type === "LIMIT_IF_TOUCHED") &&
    request.auxPrice === undefined
  ) {
    throw new SimRuleError(`A ${type} order needs a trigger price (auxPrice)`);
  }
  if (type === "TRAILING_STOP" || type === "TRAILING_STOP_LIMIT") {
    if (request.trailType === undefined || request.trailValue === undefined || !(request.trailValue > 0)) {
      throw new SimRuleError(`A ${type} order needs trailType and a positive trailValue`);
    }
    if (type === "TRAILING_STOP_LIMIT" && request.trailSpread === undefined) {
      throw new SimRuleError("A TRAILING_STOP_LIMIT order needs trailSpread");
    }
  }
  return price;
}

/**
 * Checks buying power (or short-selling power) for `qty` more at `price`, net of what `existing` already holds:
 * the security's own margin power, the same figure `Trd_GetMaxTrdQtys` divides.
 */
export function checkFunds(
  market: MarketData,
  account: SimAccount,
  security: SimSecurity,
  side: TrdSideName,
  qty: number,
  price: number | undefined,
  existing: SimOrder | undefined,
): void {
  if (side !== "BUY" && side !== "BUY_BACK" && side !== "SELL_SHORT") return;
  const unitPrice = price ?? market.orderBook(security, 1).asks[0]?.price ??
    market.currentPrice(security);
  const currency = currencyOf(security);
  const needed = qty * unitPrice * multiplierOf(security);
  const released = existing
    ? (existing.qty - existing.fillQty) * (existing.price ?? unitPrice) * multiplierOf(security)
    : 0;
  const available =
    (side === "SELL_SHORT" ? shortPowerFor(market, account, security) : buyingPowerFor(market, account, security)) +
    released;
  if (needed > available + 1e-6) {
    throw new SimRuleError(
      `Insufficient buying power: the order needs ${needed.toFixed(2)} ${currency}, ${
        available.toFixed(2)
      } ${currency} available`,
    );
  }
}
