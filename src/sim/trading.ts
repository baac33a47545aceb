/**
 * The simulated broker: accounts, funds, positions, orders and fills, driven
 * by the deterministic market. Limit orders fill when the simulated price
 * crosses them, up to the liquidity at the touch (so large orders fill in
 * parts); market orders fill at once; stop, if-touched and trailing orders
 * trigger on the simulated price. Real-environment orders need OpenD to be
 * unlocked with the MD5 of the configured trade password.
 *
 * Documented accounts (see {@link DEFAULT_ACCOUNTS}):
 *
 * | acc id | env | markets | cash |
 * |---|---|---|---|
 * | 281756479345015383 | REAL, margin (Futu HK) | HK, US, HKCC | 1 000 000 HKD, 100 000 USD; 500 HK.00700 |
 * | 9007199254740993 | REAL, cash (Futu Inc) | US | 50 000 USD; 20 US.AAPL |
 * | 6234567 | SIMULATE | HK | 1 000 000 HKD |
 * | 6234568 | SIMULATE | US | 1 000 000 USD |
 * | 6234569 | SIMULATE | CN | 1 000 000 CNH |
 *
 * Simplifications: no fees, fixed exchange rates (1 USD = 7.8 HKD,
 * 1 CNH = 1.08 HKD), no corporate actions.
 *
 * @module
 */
import type {
  CurrencyName,
  ModifyOrderOpName,
  OrderStatusName,
  OrderTypeName,
  TimeInForceName,
  TrailTypeName,
  TrdEnvName,
  TrdMarketName,
  TrdSideName,
} from "../gateway/enums.ts";
import {
  currencyOfMarket,
  LIMIT_PRICE_ORDER_TYPES,
  TRAILING_ORDER_TYPES,
  TRIGGER_PRICE_ORDER_TYPES,
} from "../gateway/enums.ts";
import { securityByCode, type SimSecurity } from "./catalog.ts";
import {
  type DayNumber,
  formatInstant,
  isTradingDay,
  localTime,
  marketPhase,
  parseLocal,
  sessionsOf,
  type SimClock,
  type SimMarket,
  utcOf,
} from "./clock.ts";
import { isOnTick, type MarketData, roundToTick, tickSize } from "./market.ts";
import { SimRuleError } from "./subscriptions.ts";

/** Definition of a simulated account. */
export interface SimAccountSpec {
  accId: string;
  env: TrdEnvName;
  markets: TrdMarketName[];
  securityFirm: "FUTU_SECURITIES" | "FUTU_INC";
  accType: "CASH" | "MARGIN";
  cardNum?: string;
  baseCurrency: CurrencyName;
  cash: Partial<Record<CurrencyName, number>>;
  positions?: { symbol: string; qty: number; costPrice: number }[];
}

/** The documented accounts. */
export const DEFAULT_ACCOUNTS: readonly SimAccountSpec[] = [
  {
    accId: "281756479345015383",
    env: "REAL",
    markets: ["HK", "US", "HKCC"],
    securityFirm: "FUTU_SECURITIES",
    accType: "MARGIN",
    cardNum: "1001100520000001",
    baseCurrency: "HKD",
    cash: { HKD: 1_000_000, USD: 100_000 },
    positions: [{ symbol: "HK.00700", qty: 500, costPrice: 380 }],
  },
  {
    accId: "9007199254740993",
    env: "REAL",
    markets: ["US"],
    securityFirm: "FUTU_INC",
    accType: "CASH",
    cardNum: "2002200620000002",
    baseCurrency: "USD",
    cash: { USD: 50_000 },
    positions: [{ symbol: "US.AAPL", qty: 20, costPrice: 190 }],
  },
  {
    accId: "6234567",
    env: "SIMULATE",
    markets: ["HK"],
    securityFirm: "FUTU_SECURITIES",
    accType: "MARGIN",
    baseCurrency: "HKD",
    cash: { HKD: 1_000_000 },
  },
  {
    accId: "6234568",
    env: "SIMULATE",
    markets: ["US"],
    securityFirm: "FUTU_INC",
    accType: "MARGIN",
    baseCurrency: "USD",
    cash: { USD: 1_000_000 },
  },
  {
    accId: "6234569",
    env: "SIMULATE",
    markets: ["CN"],
    securityFirm: "FUTU_SECURITIES",
    accType: "CASH",
    baseCurrency: "CNH",
    cash: { CNH: 1_000_000 },
  },
];

const HKD_PER: Record<string, number> = { HKD: 1, USD: 7.8, CNH: 1.08 };

/** Converts an amount between currencies at the simulator's fixed rates. */
export function convert(amount: number, from: CurrencyName, to: CurrencyName): number {
  if (from === to) return amount;
  const a = HKD_PER[from];
  const b = HKD_PER[to];
  if (a === undefined || b === undefined) throw new SimRuleError(`currency ${from} → ${to} is not supported`);
  return amount * a / b;
}

/** Currency a security trades in. */
export function currencyOf(security: SimSecurity): CurrencyName {
  return currencyOfMarket(security.market)!; // every simulated market has one
}

/** A position. Short positions have negative quantity. */
export interface SimPosition {
  positionId: bigint;
  security: SimSecurity;
  qty: number;
  /** Total cost of the position (qty × average cost). */
  cost: number;
  realizedPL: number;
}

/** An order. */
export interface SimOrder {
  orderId: bigint;
  orderIdEx: string;
  account: SimAccount;
  security: SimSecurity;
  trdMarket: TrdMarketName;
  side: TrdSideName;
  type: OrderTypeName;
  qty: number;
  price?: number;
  auxPrice?: number;
  trailType?: TrailTypeName;
  trailValue?: number;
  trailSpread?: number;
  timeInForce: TimeInForceName;
  fillOutsideRTH: boolean;
  session?: number;
  remark?: string;
  status: OrderStatusName;
  fillQty: number;
  fillValue: number;
  createdMs: number;
  updatedMs: number;
  /** Market-local trading day of creation. */
  day: DayNumber;
  lastErrMsg?: string;
  /** Stop / if-touched / trailing orders: whether the trigger fired. */
  triggered: boolean;
  /** Trailing orders: best price seen since placement. */
  trailExtreme?: number;
}

/** A fill. */
export interface SimFill {
  fillId: bigint;
  fillIdEx: string;
  order: SimOrder;
  qty: number;
  price: number;
  atMs: number;
  counterBrokerId: number;
  counterBrokerName: string;
}

/** A simulated account and its state. */
export interface SimAccount {
  spec: SimAccountSpec;
  accId: bigint;
  cash: Map<CurrencyName, number>;
  positions: Map<string, SimPosition>;
  orders: SimOrder[];
  fills: SimFill[];
}

/** Funds of an account in one currency. */
export interface SimFunds {
  currency: CurrencyName;
  power: number;
  totalAssets: number;
  cash: number;
  marketVal: number;
  frozenCash: number;
  debtCash: number;
  avlWithdrawalCash: number;
  unrealizedPL: number;
  realizedPL: number;
  maxPowerShort: number;
  cashByCurrency: { currency: CurrencyName; cash: number }[];
}

/** What a new order asks for. */
export interface OrderRequest {
  account: SimAccount;
  trdMarket: TrdMarketName;
  security: SimSecurity;
  side: TrdSideName;
  type: OrderTypeName;
  qty: number;
  price?: number;
  auxPrice?: number;
  trailType?: TrailTypeName;
  trailValue?: number;
  trailSpread?: number;
  timeInForce: TimeInForceName;
  fillOutsideRTH: boolean;
  session?: number;
  remark?: string;
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

const OPEN_STATUSES: ReadonlySet<OrderStatusName> = new Set([
  "WAITING_SUBMIT",
  "SUBMITTING",
  "SUBMITTED",
  "FILLED_PART",
]);
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
const triggeredLater = (type: OrderTypeName) => TRIGGER_PRICE_ORDER_TYPES.has(type) || TRAILING_ORDER_TYPES.has(type);

/** True while an order can still fill or be changed. */
export function isOpen(order: SimOrder): boolean {
  return OPEN_STATUSES.has(order.status);
}

/** The trading market a security belongs to for an account of `env`. */
function tradingMarketsOf(security: SimSecurity): TrdMarketName[] {
  if (security.market === "HK") return ["HK"];
  if (security.market === "US") return ["US"];
  return ["CN", "HKCC"];
}

const COUNTER_BROKERS = [
  { id: 1096, name: "Goldman Sachs (Asia) Securities" },
  { id: 6996, name: "China Investment Information Services" },
  { id: 5338, name: "J.P. Morgan Broking (Hong Kong)" },
];

/** See the module documentation. */
export class TradingEngine {
  readonly #options: TradingOptions;
  readonly #accounts = new Map<bigint, SimAccount>();
  #unlocked = false;
  #nextOrderId = 7_000_000_000_000_000_001n;
  #nextFillId = 8_100_000_000_000_000_001n;

  constructor(options: TradingOptions) {
    this.#options = options;
    for (const spec of options.accounts ?? DEFAULT_ACCOUNTS) {
      const accId = BigInt(spec.accId);
      const account: SimAccount = {
        spec,
        accId,
        cash: new Map(Object.entries(spec.cash) as [CurrencyName, number][]),
        positions: new Map(),
        orders: [],
        fills: [],
      };
      for (const p of spec.positions ?? []) {
        const [market, code] = p.symbol.split(".");
        const security = securityByCode(market as SimMarket, code);
        if (!security) throw new Error(`account ${spec.accId}: unknown security ${p.symbol}`);
        account.positions.set(security.symbol, {
          positionId: accId * 1000n + BigInt(account.positions.size + 1),
          security,
          qty: p.qty,
          cost: p.qty * p.costPrice,
          realizedPL: 0,
        });
      }
      this.#accounts.set(accId, account);
    }
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
    let cash = 0;
    for (const [c, amount] of account.cash) cash += convert(amount, c, currency);
    let marketVal = 0;
    let unrealizedPL = 0;
    let realizedPL = 0;
    for (const p of account.positions.values()) {
      const price = this.#options.market.currentPrice(p.security);
      const value = p.qty * price * this.#multiplier(p.security);
      marketVal += convert(value, currencyOf(p.security), currency);
      unrealizedPL += convert(value - p.cost, currencyOf(p.security), currency);
      realizedPL += convert(p.realizedPL, currencyOf(p.security), currency);
    }
    const frozenCash = this.#frozen(account, currency);
    const leverage = account.spec.accType === "MARGIN" ? 2 : 1;
    const free = cash - frozenCash;
    return {
      currency,
      power: Math.max(0, free * leverage + (leverage > 1 ? Math.max(0, marketVal) * 0.5 : 0)),
      totalAssets: cash + marketVal,
      cash,
      marketVal,
      frozenCash,
      debtCash: Math.max(0, -cash),
      avlWithdrawalCash: Math.max(0, free),
      unrealizedPL,
      realizedPL,
      maxPowerShort: account.spec.accType === "MARGIN" ? Math.max(0, free) : 0,
      cashByCurrency: [...account.cash].map(([c, amount]) => ({ currency: c, cash: amount })),
    };
  }

  #multiplier(security: SimSecurity): number {
    return security.kind === "option" ? security.contractSize ?? 100 : 1;
  }

  #frozen(account: SimAccount, currency: CurrencyName): number {
    let frozen = 0;
    for (const o of account.orders) {
      if (!isOpen(o) || (o.side !== "BUY" && o.side !== "BUY_BACK")) continue;
      const price = o.price ?? this.#options.market.currentPrice(o.security);
      frozen += convert((o.qty - o.fillQty) * price * this.#multiplier(o.security), currencyOf(o.security), currency);
    }
    return frozen;
  }

  /** Quantity of a position committed to open sell orders. */
  #pendingSell(account: SimAccount, security: SimSecurity, except?: SimOrder): number {
    let qty = 0;
    for (const o of account.orders) {
      if (o !== except && isOpen(o) && o.security === security && o.side === "SELL") qty += o.qty - o.fillQty;
    }
    return qty;
  }

  /** Positions, with what can be sold now. */
  positions(
    account: SimAccount,
    market?: TrdMarketName,
  ): { position: SimPosition; canSellQty: number; price: number }[] {
    return [...account.positions.values()]
      .filter((p) => p.qty !== 0 && (!market || tradingMarketsOf(p.security).includes(market)))
      .map((position) => ({
        position,
        canSellQty: Math.max(0, position.qty - this.#pendingSell(account, position.security)),
        price: this.#options.market.currentPrice(position.security),
      }));
  }

  /** Orders of the current trading day (and open orders of earlier days), newest last. */
  todayOrders(account: SimAccount, market?: TrdMarketName): SimOrder[] {
    const now = this.#options.clock.now();
    return account.orders.filter((o) =>
      (!market || o.trdMarket === market) &&
      (isOpen(o) || o.day === this.#options.market.currentTradingDay(o.security.market, now))
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

  /** Largest quantities for an order at a price. */
  maxQuantities(
    account: SimAccount,
    security: SimSecurity,
    price: number,
  ): { cashBuy: number; positionSell: number; sellShort: number } {
    const lot = Math.max(1, security.lotSize);
    const funds = this.funds(account, currencyOf(security));
    const unit = price * this.#multiplier(security);
    const cashAvailable = Math.max(0, funds.cash - funds.frozenCash);
    const roundLots = (n: number) => Math.max(0, Math.floor(n / lot) * lot);
    const position = account.positions.get(security.symbol);
    return {
      cashBuy: unit > 0 ? roundLots(cashAvailable / unit) : 0,
      positionSell: Math.max(0, (position?.qty ?? 0) - this.#pendingSell(account, security)),
      sellShort: security.market === "US" && account.spec.accType === "MARGIN" && unit > 0
        ? roundLots(funds.maxPowerShort / unit)
        : 0,
    };
  }

  /** Places an order after OpenD's checks; throws {@link SimRuleError} with OpenD-style text. */
  placeOrder(request: OrderRequest): SimOrder {
    const { account, security } = request;
    const now = this.#options.clock.now();
    const env = account.spec.env;
    if (env === "REAL" && !this.#unlocked) {
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
    this.#checkQuantity(security, request.side, request.qty, account);
    const price = this.#checkPrices(request);
    const phase = marketPhase(security.market, now);
    const isMarketType = request.type === "MARKET";
    if (isMarketType && !phase.trading) {
      throw new SimRuleError(
        `Market closed: ${security.market} is ${phase.state}; market orders are accepted only during trading hours`,
      );
    }
    this.#checkFunds(account, security, request.side, request.qty, price, undefined);
    if (request.remark && new TextEncoder().encode(request.remark).length > 64) {
      throw new SimRuleError("remark is longer than 64 bytes");
    }
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
    };
    account.orders.push(order);
    this.#emit(order);
    this.#setStatus(order, phase.trading ? "SUBMITTED" : "WAITING_SUBMIT");
    return order;
  }

  #checkQuantity(
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
      const available = position - this.#pendingSell(account, security, existing) + (existing?.fillQty ?? 0);
      if (qty > available) {
        throw new SimRuleError(
          `Insufficient position: ${available} ${security.symbol} can be sold, the order needs ${qty}`,
        );
      }
    }
  }

  /** Validates prices; returns the limit price (snapped when asked). */
  #checkPrices(
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

  #checkFunds(
    account: SimAccount,
    security: SimSecurity,
    side: TrdSideName,
    qty: number,
    price: number | undefined,
    existing: SimOrder | undefined,
  ): void {
    if (side !== "BUY" && side !== "BUY_BACK" && side !== "SELL_SHORT") return;
    const unitPrice = price ?? this.#options.market.orderBook(security, 1).asks[0]?.price ??
      this.#options.market.currentPrice(security);
    const currency = currencyOf(security);
    const needed = qty * unitPrice * this.#multiplier(security);
    const funds = this.funds(account, currency);
    const released = existing
      ? (existing.qty - existing.fillQty) * (existing.price ?? unitPrice) * this.#multiplier(security)
      : 0;
    const available = (side === "SELL_SHORT" ? funds.maxPowerShort : funds.power) + released;
    if (needed > available + 1e-6) {
      throw new SimRuleError(
        `Insufficient buying power: the order needs ${needed.toFixed(2)} ${currency}, ${
          available.toFixed(2)
        } ${currency} available`,
      );
    }
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
        this.#checkQuantity(order.security, order.side, qty, order.account, order);
        const price = this.#checkPrices({
          ...request,
          security: order.security,
          type: order.type,
          price: request.price ?? order.price,
        });
        this.#checkFunds(order.account, order.security, order.side, qty - order.fillQty, price, order);
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

  /** Cancels every open order of an account in a market (real accounts only). */
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
        this.#advance(order, now);
      }
    }
  }

  #advance(order: SimOrder, now: number): void {
    const market = this.#options.market;
    const security = order.security;
    if (order.timeInForce === "DAY" && now >= sessionEnd(security.market, order.day)) {
      order.lastErrMsg = "Day order expired at the close";
      this.#setStatus(order, order.fillQty > 0 ? "CANCELLED_PART" : "CANCELLED_ALL");
      return;
    }
    const phase = marketPhase(security.market, now);
    if (!phase.trading) return;
    if (order.status === "WAITING_SUBMIT") this.#setStatus(order, "SUBMITTED");
    const last = market.currentPrice(security);
    const buying = order.side === "BUY" || order.side === "BUY_BACK";
    let limit = LIMIT_PRICE_ORDER_TYPES.has(order.type) ? order.price : undefined;
    if (!order.triggered) {
      const trigger = this.#triggerPrice(order, last, buying);
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
      this.#touch(order);
    }
    if (order.type === "TRAILING_STOP_LIMIT") limit = order.price;
    const book = market.orderBook(security, 1);
    const touch = buying ? book.asks[0] : book.bids[0];
    if (!touch) return;
    const remaining = order.qty - order.fillQty;
    if (limit === undefined) {
      this.#fill(order, remaining, touch.price, now);
      return;
    }
    const crosses = buying ? touch.price <= limit : touch.price >= limit;
    if (!crosses) return;
    const lot = Math.max(1, security.lotSize);
    const liquidity = Math.max(lot, Math.floor(touch.volume / lot) * lot);
    this.#fill(
      order,
      Math.min(remaining, liquidity),
      buying ? Math.min(limit, touch.price) : Math.max(limit, touch.price),
      now,
    );
  }

  #triggerPrice(order: SimOrder, last: number, buying: boolean): number {
    if (!order.type.startsWith("TRAILING")) return order.auxPrice!;
    order.trailExtreme = buying
      ? Math.min(order.trailExtreme ?? last, last)
      : Math.max(order.trailExtreme ?? last, last);
    const extreme = order.trailExtreme;
    const offset = order.trailType === "RATIO" ? extreme * (order.trailValue ?? 0) / 100 : order.trailValue ?? 0;
    return buying ? extreme + offset : extreme - offset;
  }

  #fill(order: SimOrder, qty: number, price: number, now: number): void {
    if (qty <= 0) return;
    const account = order.account;
    const security = order.security;
    const multiplier = this.#multiplier(security);
    const currency = currencyOf(security);
    const signed = order.side === "BUY" || order.side === "BUY_BACK" ? qty : -qty;
    account.cash.set(currency, (account.cash.get(currency) ?? 0) - signed * price * multiplier);
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
    const broker = COUNTER_BROKERS[Number(this.#nextFillId % BigInt(COUNTER_BROKERS.length))];
    const fill: SimFill = {
      fillId: this.#nextFillId,
      fillIdEx: `FTF${String(this.#nextFillId % 10_000_000_000n).padStart(10, "0")}`,
      order,
      qty,
      price,
      atMs: now,
      counterBrokerId: broker.id,
      counterBrokerName: broker.name,
    };
    this.#nextFillId++;
    account.fills.push(fill);
    this.#setStatus(order, order.fillQty >= order.qty ? "FILLED_ALL" : "FILLED_PART");
    this.#options.onFill?.(fill);
    if (order.timeInForce === "IOC" && isOpen(order)) {
      this.#setStatus(order, "CANCELLED_PART");
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

/** End of the last regular session of a market-local day. */
function sessionEnd(market: SimMarket, day: DayNumber): number {
  const sessions = sessionsOf(market);
  return utcOf(market, day, sessions[sessions.length - 1][1]);
}

/** The trading day an order placed at `ms` belongs to: today until the close, else the next weekday. */
function orderDay(market: SimMarket, ms: number): DayNumber {
  const { day } = localTime(market, ms);
  if (isTradingDay(day) && ms < sessionEnd(market, day)) return day;
  let d = day + 1;
  while (!isTradingDay(d)) d++;
  return d;
}
