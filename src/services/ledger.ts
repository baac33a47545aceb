/**
 * Order history, cash flow, margin, fees and tradable quantities: what the
 * tools use of OpenD. Order fees are asked for by numeric order id, what every
 * other tool shows.
 *
 * @module
 */
import type {
  CashFlow,
  CashFlowDirection,
  Gateway,
  HistoryFilter,
  MarginRatio,
  MaxTradeQuantities,
  Order,
  OrderFee,
  OrderFill,
  OrderTypeName,
  TradeTarget,
} from "../gateway/mod.ts";
import { AccountError } from "./accounts.ts";

/** How far back a numeric order id is looked for. */
const FEE_LOOKBACK_DAYS = 90;

/** "YYYY-MM-DD" of an instant, `days` earlier, in UTC (a day of margin either side is harmless for a range). */
function dateBefore(now: number, days: number): string {
  return new Date(now - days * 86_400_000).toISOString().slice(0, 10);
}

/** Order history, cash flow, margin, fees and tradable quantities. */
export class LedgerService {
  readonly #gateway: Gateway;

  constructor(gateway: Gateway) {
    this.#gateway = gateway;
  }

  /** Orders created in a range. */
  historyOrders(target: TradeTarget, filter: HistoryFilter): Promise<Order[]> {
    return this.#gateway.ledger.historyOrders(target, filter);
  }

  /** Fills in a range (real accounts). */
  historyFills(target: TradeTarget, filter: HistoryFilter): Promise<OrderFill[]> {
    return this.#gateway.ledger.historyFills(target, filter);
  }

  /** Cash flows cleared on a day (real accounts). */
  cashFlows(target: TradeTarget, clearingDate: string, direction?: CashFlowDirection): Promise<CashFlow[]> {
    return this.#gateway.ledger.cashFlows(target, clearingDate, direction);
  }

  /** Margin terms of securities for the account. */
  marginRatios(target: TradeTarget, symbols: string[]): Promise<MarginRatio[]> {
    return this.#gateway.ledger.marginRatios(target, symbols);
  }

  /** The largest buy, margin buy, sell and short sell of a security at a price. */
  maxQuantities(
    target: TradeTarget,
    query: { symbol: string; orderType: OrderTypeName; price: number },
  ): Promise<MaxTradeQuantities> {
    return this.#gateway.trade.getMaxTrdQtys(target, query);
  }

  /**
   * Fees of orders by numeric order id, in the order asked. OpenD keys fees by the string id, so each order is
   * looked up among today's orders, then those of the last 90 days.
   */
  async orderFees(
    target: TradeTarget,
    orderIds: string[],
    now = Date.now(),
  ): Promise<(OrderFee & { orderId: string })[]> {
    const byId = new Map<string, Order>();
    for (const o of await this.#gateway.trade.getOrders(target, { filter: { ids: orderIds } })) byId.set(o.orderId, o);
    const missing = orderIds.filter((id) => !byId.has(id));
    if (missing.length > 0) {
      const older = await this.historyOrders(target, {
        begin: dateBefore(now, FEE_LOOKBACK_DAYS),
        end: dateBefore(now, -1),
        ids: missing,
      });
      for (const o of older) byId.set(o.orderId, o);
    }
    const unknown = orderIds.filter((id) => !byId.has(id));
    if (unknown.length > 0) {
      throw new AccountError(
        `order ${unknown.join(", ")} is not among the orders of ${target.env} account ${target.accId} of the last ` +
          `${FEE_LOOKBACK_DAYS} days; check futu_get_history_orders`,
      );
    }
    const fees = await this.#gateway.ledger.orderFees(target, orderIds.map((id) => byId.get(id)!.orderIdEx));
    const numericOf = new Map([...byId.values()].map((o) => [o.orderIdEx, o.orderId]));
    return fees.map((f) => ({ ...f, orderId: numericOf.get(f.orderIdEx) ?? "0" }));
  }
}
