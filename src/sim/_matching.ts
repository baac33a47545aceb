/**
 * Order matching of the simulated broker (private to src/sim): day-order
 * expiry at the close, submission at the open, stop / if-touched / trailing
 * triggers, and fills against the touch of the simulated order book — limit
 * orders up to the liquidity there, market orders at once — with their effect
 * on cash and positions, and the fees a real account pays (`fees.ts`), each
 * recorded as a cash flow.
 *
 * @module
 */
import { LIMIT_PRICE_ORDER_TYPES, type OrderStatusName } from "../gateway/enums.ts";
import { currencyOf, isOpen, moveCash, multiplierOf, type SimFill, type SimOrder } from "./accounts.ts";
import { orderFees } from "./fees.ts";
import { type DayNumber, isTradingDay, localTime, marketPhase, sessionsOn, type SimMarket, utcOf } from "./clock.ts";
import type { MarketData } from "./market.ts";
import { roundToTick } from "./ticks.ts";

/** What matching needs from the engine that owns the orders. */
export interface MatchingHost {
  readonly market: MarketData;
  /** Takes the next fill id. */
  nextFillId(): bigint;
  /** Takes the next cash flow id. */
  nextCashFlowId(): bigint;
  /** Sets an order's status (and reports the change). */
  setStatus(order: SimOrder, status: OrderStatusName): void;
  /** Reports a change to an order. */
  touch(order: SimOrder): void;
  /** Reports a fill. */
  onFill(fill: SimFill): void;
}

const COUNTER_BROKERS = [
  { id: 1096, name: "Goldman Sachs (Asia) Securities" },
  { id: 6996, name: "China Investment Information Services" },
  { id: 5338, name: "J.P. Morgan Broking (Hong Kong)" },
];

/** Advances one open order against the market at `now`. */
export function advance(order: SimOrder, now: number, host: MatchingHost): void {
  const market = host.market;
  const security = order.security;
  if (order.timeInForce === "DAY" && now >= sessionEnd(security.market, order.day)) {
    order.lastErrMsg = "Day order expired at the close";
    host.setStatus(order, order.fillQty > 0 ? "CANCELLED_PART" : "CANCELLED_ALL");
    return;
  }
  const phase = marketPhase(security.market, now);
  if (!phase.trading) return;
  if (order.status === "WAITING_SUBMIT") host.setStatus(order, "SUBMITTED");
  const last = market.currentPrice(security);
  const buying = order.side === "BUY" || order.side === "BUY_BACK";
  let limit = LIMIT_PRICE_ORDER_TYPES.has(order.type) ? order.price : undefined;
  if (!order.triggered) {
    const trigger = triggerPrice(order, last, buying);
    const fires = order.type === "STOP" || order.type === "STOP_LIMIT" || order.type.startsWith("TRAILING")
      ? (buying ? last >= trigger : last <= trigger)
      : (buying ? last <= trigger : last >= trigger);
    if (!fires) return;
    order.triggered = true;
    if (order.type === "TRAILING_STOP_LIMIT") {
      order.price = roundToTick(
        security,
        buying ? trigger + (order.trailSpread ?? 0) : trigger - (order.trailSpread ?? 0),
      );
    }
    host.touch(order);
  }
  if (order.type === "TRAILING_STOP_LIMIT") limit = order.price;
  const book = market.orderBook(security, 1);
  const touch = buying ? book.asks[0] : book.bids[0];
  if (!touch) return;
  const remaining = order.qty - order.fillQty;
  if (limit === undefined) {
    fillOrder(host, order, remaining, touch.price, now);
    return;
  }
  const crosses = buying ? touch.price <= limit : touch.price >= limit;
  if (!crosses) return;
  const lot = Math.max(1, security.lotSize);
  const liquidity = Math.max(lot, Math.floor(touch.volume / lot) * lot);
  fillOrder(
    host,
    order,
    Math.min(remaining, liquidity),
    buying ? Math.min(limit, touch.price) : Math.max(limit, touch.price),
    now,
  );
}

/** The trigger price of a stop, if-touched or trailing order (a trailing order's extreme moves with `last`). */
function triggerPrice(order: SimOrder, last: number, buying: boolean): number {
  if (!order.type.startsWith("TRAILING")) return order.auxPrice!;
  order.trailExtreme = buying ? Math.min(order.trailExtreme ?? last, last) : Math.max(order.trailExtreme ?? last, last);
  const extreme = order.trailExtreme;
  const offset = order.trailType === "RATIO" ? extreme * (order.trailValue ?? 0) / 100 : order.trailValue ?? 0;
  return buying ? extreme + offset : extreme - offset;
}

/** Fills `qty` of an order at `price`: cash, fees, position, fill record, status. */
function fillOrder(host: MatchingHost, order: SimOrder, qty: number, price: number, now: number): void {
  if (qty <= 0) return;
  const account = order.account;
  const security = order.security;
  const multiplier = multiplierOf(security);
  const currency = currencyOf(security);
  const signed = order.side === "BUY" || order.side === "BUY_BACK" ? qty : -qty;
  const fillId = host.nextFillId();
  const fillIdEx = `FTF${String(fillId % 10_000_000_000n).padStart(10, "0")}`;
  const flow = (type: string, amount: number, remark: string) =>
    moveCash(account, {
      id: host.nextCashFlowId(),
      atMs: now,
      market: security.market,
      currency,
      type,
      amount,
      remark,
    });
  const what = `${order.side} ${qty} ${security.symbol} @ ${price}, order ${order.orderIdEx}, fill ${fillIdEx}`;
  flow(signed > 0 ? "Stock Buy" : "Stock Sell", -signed * price * multiplier, what);
  let position = account.positions.get(security.symbol);
  if (!position) {
    position = {
      positionId: account.accId * 1000n + BigInt(account.positions.size + 1),
      security,
      qty: 0,
      cost: 0,
      realizedPL: 0,
    };
    account.positions.set(security.symbol, position);
  }
  const opening = position.qty === 0 || Math.sign(position.qty) === Math.sign(signed);
  if (opening) {
    position.cost += signed * price * multiplier;
  } else {
    const closing = Math.min(Math.abs(signed), Math.abs(position.qty));
    const averageCost = position.cost / position.qty;
    const closedCost = averageCost * closing * Math.sign(position.qty);
    position.realizedPL += (price * multiplier * closing * Math.sign(position.qty)) - closedCost;
    position.cost -= closedCost;
    if (Math.abs(signed) > closing) position.cost = (signed + position.qty) * price * multiplier;
  }
  position.qty += signed;
  if (position.qty === 0) position.cost = 0;
  order.fillQty += qty;
  order.fillValue += qty * price;
  chargeFees(order, flow, what);
  const broker = COUNTER_BROKERS[Number(fillId % BigInt(COUNTER_BROKERS.length))];
  const fill: SimFill = {
    fillId,
    fillIdEx,
    order,
    qty,
    price,
    atMs: now,
    counterBrokerId: broker.id,
    counterBrokerName: broker.name,
  };
  account.fills.push(fill);
  host.setStatus(order, order.fillQty >= order.qty ? "FILLED_ALL" : "FILLED_PART");
  host.onFill(fill);
  if (order.timeInForce === "IOC" && isOpen(order)) {
    host.setStatus(order, "CANCELLED_PART");
  }
}

/**
 * Charges what the order's fees grew by with this fill: minimums and caps are per order, so each item is
 * recomputed over all its fills and only the difference is taken.
 */
function chargeFees(
  order: SimOrder,
  flow: (type: string, amount: number, remark: string) => void,
  what: string,
): void {
  const now = orderFees(order);
  for (const item of now) {
    const before = order.fees.find((f) => f.title === item.title)?.value ?? 0;
    const delta = Math.round((item.value - before) * 100) / 100;
    if (delta > 0) flow(item.title, -delta, what);
  }
  order.fees = now;
}

/** End of the last regular session of a market-local trading day (12:00 or 13:00 on a half day). */
function sessionEnd(market: SimMarket, day: DayNumber): number {
  const sessions = sessionsOn(market, day);
  return utcOf(market, day, sessions[sessions.length - 1][1]);
}

/** The trading day an order placed at `ms` belongs to: today until the close, else the next trading day. */
export function orderDay(market: SimMarket, ms: number): DayNumber {
  const { day } = localTime(market, ms);
  if (isTradingDay(market, day) && ms < sessionEnd(market, day)) return day;
  let d = day + 1;
  while (!isTradingDay(market, d)) d++;
  return d;
}
