/**
 * The simulated broker: {@link TradingEngine} keeps the accounts and runs
 * their orders against the deterministic market. Limit orders fill when the
 * simulated price crosses them, up to the liquidity at the touch (so large
 * orders fill in parts); market orders fill at once; stop, if-touched and
 * trailing orders trigger on the simulated price. Real-environment orders
 * need OpenD to be unlocked with the MD5 of the configured trade password.
 *
 * The accounts and their valuation are in `accounts.ts` (the documented
 * account table is its {@link DEFAULT_ACCOUNTS}); the order rules in
 * `_order_rules.ts`; matching and fills in `_matching.ts`.
 *
 * Real accounts pay fees on their fills (`fees.ts`); every change of cash —
 * the opening deposits, trades, fees — is a cash flow of the account.
 *
 * Simplifications: fixed exchange rates (1 USD = 7.8 HKD, 1 CNH = 1.08 HKD),
 * no interest, no corporate actions; paper accounts pay no fees.
 *
 * @module
 */
import type {
  CurrencyName,
  ModifyOrderOpName,
  OrderStatusName,
  TrailTypeName,
  TrdEnvName,
  TrdMarketName,
} from "../gateway/enums.ts";
import {
  DEFAULT_ACCOUNTS,
  fundsOf,
  isOpen,
  maxQuantitiesOf,
  openAccount,
  type OrderTerms,
  positionsOf,
  type SimAccount,
  type SimAccountSpec,
  type SimCashFlow,
  type SimFill,
  type SimFunds,
  type SimOrder,
  type SimPosition,
} from "./accounts.ts";
import type { SimSecurity } from "./catalog.ts";
import { formatInstant, localTime, parseLocal, type SimClock, type SimMarket } from "./clock.ts";
import type { MarketData } from "./market.ts";
import { advance, type MatchingHost, orderDay } from "./_matching.ts";
import { checkFunds, checkNewOrder, checkPrices, checkQuantity, triggeredLater } from "./_order_rules.ts";
import { SimRuleError } from "./subscriptions.ts";

/** What a new order asks for: its terms, and whether an off-tick price may be snapped. */
export interface OrderRequest extends OrderTerms {
  adjustPrice?: boolean;
  adjustLimit?: number;
}

/** A change to an order. */
export interface ModifyRequest {
  op: ModifyOrderOpName;
  qty?: number;
  price?: number;
  auxPrice?: number;
  trailType?: TrailTypeName;
  trailValue?: number;
  trailSpread?: number;
}

/** Options of {@link TradingEngine}. */
export interface TradingOptions {
  market: MarketData;
  clock: SimClock;
  /** MD5 (lower-case hex) of the trade password that unlocks real trading. */
  tradePasswordMd5: string;
  accounts?: readonly SimAccountSpec[];
  /** Called on every order status change. */
  onOrder?: (order: SimOrder) => void;
  /** Called on every fill. */
  onFill?: (fill: SimFill) => void;
}

/** See the module documentation. */
export class TradingEngine {
  readonly #options: TradingOptions;
  readonly #accounts = new Map<bigint, SimAccount>();
  readonly #matching: MatchingHost;
  #unlocked = false;
  #nextOrderId = 7_000_000_000_000_000_001n;
  #nextFillId = 8_100_000_000_000_000_001n;
  #nextCashFlowId = 9_100_000_000_000_000_001n;

  constructor(options: TradingOptions) {
    this.#options = options;
    const openedMs = options.clock.now();
    for (const spec of options.accounts ?? DEFAULT_ACCOUNTS) {
      const account = openAccount(spec, openedMs, () => this.#nextCashFlowId++);
      this.#accounts.set(account.accId, account);
    }
    this.#matching = {
      market: options.market,
      nextFillId: () => this.#nextFillId++,
      nextCashFlowId: () => this.#nextCashFlowId++,
      setStatus: (order, status) => this.#setStatus(order, status),
      touch: (order) => this.#touch(order),
      onFill: (fill) => this.#options.onFill?.(fill),
    };
  }

  /** True when real trading is unlocked (for the whole OpenD). */
  get unlocked(): boolean {
    return this.#unlocked;
  }

  /** Every account. */
  get accounts(): SimAccount[] {
    return [...this.#accounts.values()];
  }

  /** Unlocks real trading; the MD5 must match the configured password. */
  unlock(pwdMD5: string | undefined): void {
    if (!pwdMD5) throw new SimRuleError("Unlock needs pwdMD5 (the MD5 of the trade password)");
    if (pwdMD5.toLowerCase() !== this.#options.tradePasswordMd5) {
      throw new SimRuleError("Trade password incorrect. Note: the trade password is not the login password.");
    }
    this.#unlocked = true;
  }

  /** Locks real trading again. */
  lock(): void {
    this.#unlocked = false;
  }

  /** Forgets the unlock (OpenD restart); accounts and orders live at the broker and stay. */
  resetSession(): void {
    this.#unlocked = false;
  }

  /**
   * The account a request names, checked against its environment and market.
   * `market` undefined skips the market check.
   */
  account(accId: string, env: TrdEnvName, market?: TrdMarketName): SimAccount {
    let id: bigint;
    try {
      id = BigInt(accId);
    } catch {
      throw new SimRuleError(`Invalid account id ${accId}`);
    }
    const account = this.#accounts.get(id);
    if (!account) throw new SimRuleError(`Account ${accId} does not exist`);
    if (account.spec.env !== env) {
      throw new SimRuleError(
        `Account ${accId} is a ${account.spec.env} account; the request's trdEnv is ${env}`,
      );
    }
    if (market !== undefined && !account.spec.markets.includes(market)) {
      throw new SimRuleError(
        `Account ${accId} cannot trade market ${market} (authorised: ${account.spec.markets.join(", ")})`,
      );
    }
    return account;
  }

  /** Funds of an account, in `currency` (default: the account's base currency). */
  funds(account: SimAccount, currency: CurrencyName = account.spec.baseCurrency): SimFunds {
    return fundsOf(this.#options.market, account, currency);
  }

  /** Positions, with what can be sold now. */
  positions(
    account: SimAccount,
    market?: TrdMarketName,
  ): { position: SimPosition; canSellQty: number; price: number }[] {
    return positionsOf(this.#options.market, account, market);
  }

  /**
   * Orders of the current trading day (and open orders of earlier days), newest
   * last. An order placed after the close is for the next session (a later
   * `day`): like OpenD's today's list it stays listed once done — cancelled,
   * filled or failed — instead of vanishing until its session.
   */
  todayOrders(account: SimAccount, market?: TrdMarketName): SimOrder[] {
    const now = this.#options.clock.now();
    return account.orders.filter((o) =>
      (!market || o.trdMarket === market) &&
      (isOpen(o) || o.day >= this.#options.market.currentTradingDay(o.security.market, now))
    );
  }

  /** Fills of the current trading day. */
  todayFills(account: SimAccount, market?: TrdMarketName): SimFill[] {
    const now = this.#options.clock.now();
    return account.fills.filter((f) =>
      (!market || f.order.trdMarket === market) &&
      localTime(f.order.security.market, f.atMs).day ===
        this.#options.market.currentTradingDay(f.order.security.market, now)
    );
  }

  /** Orders created between two market-local times. */
  historyOrders(account: SimAccount, market: TrdMarketName | undefined, begin: string, end: string): SimOrder[] {
    return account.orders.filter((o) =>
      (!market || o.trdMarket === market) && this.#within(o.security.market, o.createdMs, begin, end)
    );
  }

  /** Fills between two market-local times. */
  historyFills(account: SimAccount, market: TrdMarketName | undefined, begin: string, end: string): SimFill[] {
    return account.fills.filter((f) =>
      (!market || f.order.trdMarket === market) && this.#within(f.order.security.market, f.atMs, begin, end)
    );
  }

  #within(market: SimMarket, atMs: number, begin: string, end: string): boolean {
    const from = begin ? parseLocal(market, begin) : -Infinity;
    const to = end ? parseLocal(market, end.length <= 10 ? `${end} 23:59:59` : end) : Infinity;
    return atMs >= from && atMs <= to;
  }

  /** Cash flows of an account cleared on a market-local day, oldest first. */
  cashFlows(account: SimAccount, clearingDay: number): SimCashFlow[] {
    return account.cashFlows.filter((f) => f.clearingDay === clearingDay);
  }

  /** Largest quantities for an order at a price. */
  maxQuantities(
    account: SimAccount,
    security: SimSecurity,
    price: number,
  ): { cashBuy: number; marginBuy: number; positionSell: number; sellShort: number } {
    return maxQuantitiesOf(this.#options.market, account, security, price);
  }

  /** Places an order after OpenD's checks; throws {@link SimRuleError} with OpenD-style text. */
  placeOrder(request: OrderRequest): SimOrder {
    const { account, security } = request;
    const now = this.#options.clock.now();
    const { price, phase } = checkNewOrder(request, this.#options.market, this.#unlocked, now);
    const orderId = this.#nextOrderId++;
    const order: SimOrder = {
      orderId,
      orderIdEx: `FT${formatInstant(security.market, now).slice(0, 10).replaceAll("-", "")}${
        String(orderId % 100_000_000n).padStart(8, "0")
      }`,
      account,
      security,
      trdMarket: request.trdMarket,
      side: request.side,
      type: request.type,
      qty: request.qty,
      price,
      auxPrice: request.auxPrice,
      trailType: request.trailType,
      trailValue: request.trailValue,
      trailSpread: request.trailSpread,
      timeInForce: request.timeInForce,
      fillOutsideRTH: request.fillOutsideRTH,
      session: request.session,
      remark: request.remark,
      status: "SUBMITTING",
      fillQty: 0,
      fillValue: 0,
      createdMs: now,
      updatedMs: now,
      day: orderDay(security.market, now),
      triggered: !triggeredLater(request.type),
      trailExtreme: request.type.startsWith("TRAILING") ? this.#options.market.currentPrice(security) : undefined,
      fees: [],
    };
    account.orders.push(order);
    this.#emit(order);
    this.#setStatus(order, phase.trading ? "SUBMITTED" : "WAITING_SUBMIT");
    return order;
  }

  /** Applies a modification; throws {@link SimRuleError} when OpenD would refuse it. */
  modifyOrder(order: SimOrder, request: ModifyRequest): void {
    const env = order.account.spec.env;
    if (env === "REAL" && !this.#unlocked) {
      throw new SimRuleError("Please unlock trade first (Trd_UnlockTrade): real trading is locked");
    }
    if (env === "SIMULATE" && request.op !== "NORMAL" && request.op !== "CANCEL") {
      throw new SimRuleError(`Paper trading supports only NORMAL and CANCEL modifications, not ${request.op}`);
    }
    switch (request.op) {
      case "NORMAL": {
        if (!isOpen(order)) throw new SimRuleError(`Order ${order.orderId} is ${order.status} and cannot be modified`);
        const qty = request.qty ?? order.qty;
        if (qty < order.fillQty) {
          throw new SimRuleError(`New quantity ${qty} is below the filled quantity ${order.fillQty}`);
        }
        checkQuantity(order.security, order.side, qty, order.account, order);
        const price = checkPrices({
          ...request,
          security: order.security,
          type: order.type,
          price: request.price ?? order.price,
        });
        checkFunds(this.#options.market, order.account, order.security, order.side, qty - order.fillQty, price, order);
        order.qty = qty;
        order.price = price;
        if (request.auxPrice !== undefined) order.auxPrice = request.auxPrice;
        if (request.trailType !== undefined) order.trailType = request.trailType;
        if (request.trailValue !== undefined) order.trailValue = request.trailValue;
        if (request.trailSpread !== undefined) order.trailSpread = request.trailSpread;
        if (order.fillQty >= order.qty) this.#setStatus(order, "FILLED_ALL");
        else this.#touch(order);
        return;
      }
      case "CANCEL":
        if (!isOpen(order) && order.status !== "DISABLED") {
          throw new SimRuleError(`Order ${order.orderId} is ${order.status} and cannot be cancelled`);
        }
        this.#setStatus(order, order.fillQty > 0 ? "CANCELLING_PART" : "CANCELLING_ALL");
        this.#setStatus(order, order.fillQty > 0 ? "CANCELLED_PART" : "CANCELLED_ALL");
        return;
      case "DISABLE":
        if (!isOpen(order)) throw new SimRuleError(`Order ${order.orderId} is ${order.status} and cannot be disabled`);
        this.#setStatus(order, "DISABLED");
        return;
      case "ENABLE":
        if (order.status !== "DISABLED") throw new SimRuleError(`Order ${order.orderId} is not disabled`);
        this.#setStatus(order, order.fillQty > 0 ? "FILLED_PART" : "SUBMITTED");
        return;
      case "DELETE":
        if (isOpen(order)) {
          throw new SimRuleError(`Order ${order.orderId} is still ${order.status}; cancel it before deleting`);
        }
        this.#setStatus(order, "DELETED");
        return;
    }
  }

  /** Cancels every open order of an account in a market, or in all its markets (real accounts only). */
  cancelAll(account: SimAccount, market: TrdMarketName | undefined): number {
    if (account.spec.env === "SIMULATE") throw new SimRuleError("Paper trading does not support cancelling all orders");
    if (!this.#unlocked) throw new SimRuleError("Please unlock trade first (Trd_UnlockTrade): real trading is locked");
    let count = 0;
    for (const order of account.orders) {
      if ((isOpen(order) || order.status === "DISABLED") && (!market || order.trdMarket === market)) {
        this.modifyOrder(order, { op: "CANCEL" });
        count++;
      }
    }
    return count;
  }

  /** An order of an account by numeric id or by orderIDEx. */
  findOrder(account: SimAccount, orderId: bigint, orderIdEx?: string): SimOrder {
    const order = account.orders.find((o) => orderId !== 0n ? o.orderId === orderId : o.orderIdEx === orderIdEx);
    if (!order) {
      throw new SimRuleError(
        `Order ${orderId !== 0n ? orderId : orderIdEx} does not exist in account ${account.accId}`,
      );
    }
    return order;
  }

  /** Advances every open order against the market: submission at the open, triggers, fills, expiry. */
  step(): void {
    const now = this.#options.clock.now();
    for (const account of this.#accounts.values()) {
      for (const order of account.orders) {
        if (!isOpen(order)) continue;
        advance(order, now, this.#matching);
      }
    }
  }

  #touch(order: SimOrder): void {
    order.updatedMs = this.#options.clock.now();
    this.#emit(order);
  }

  #setStatus(order: SimOrder, status: OrderStatusName): void {
    order.status = status;
    this.#touch(order);
  }

  #emit(order: SimOrder): void {
    this.#options.onOrder?.(order);
  }
}
