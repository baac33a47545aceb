/**
 * The simulated broker's accounts: the documented account table
 * ({@link DEFAULT_ACCOUNTS}), the records an account keeps (cash, positions,
 * orders, fills) and their valuation — funds, sellable positions and the
 * largest order an account can afford, on margin at each security's initial
 * ratio (`margin.ts`) — at the simulator's fixed exchange rates (1 USD = 7.8 HKD,
 * 1 CNH = 1.08 HKD), and the cash flows that explain the cash: deposits, trades
 * and their fees (`fees.ts`).
 *
 * Documented accounts:
 *
 * | acc id | env | markets | cash |
 * |---|---|---|---|
 * | 281756479345015383 | REAL, margin (Futu HK) | HK, US, HKCC | 1 000 000 HKD, 100 000 USD; 500 HK.00700 |
 * | 9007199254740993 | REAL, cash (Futu Inc) | US | 50 000 USD; 20 US.AAPL |
 * | 6234567 | SIMULATE | HK | 1 000 000 HKD |
 * | 6234568 | SIMULATE | US | 1 000 000 USD |
 * | 6234569 | SIMULATE | CN | 1 000 000 CNH |
 *
 * @module
 */
import type {
  CurrencyName,
  OrderStatusName,
  OrderTypeName,
  TimeInForceName,
  TrailTypeName,
  TrdEnvName,
  TrdMarketName,
  TrdSideName,
} from "../gateway/enums.ts";
import { currencyOfMarket } from "../gateway/enums.ts";
import { securityByCode, type SimSecurity } from "./catalog.ts";
import { type DayNumber, isTradingDay, localTime, type SimMarket } from "./clock.ts";
import type { FeeItem } from "./fees.ts";
import { marginTermsOf } from "./margin.ts";
import type { MarketData } from "./market.ts";
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

/** What an order is for: asked for when placed, kept by the order. */
export interface OrderTerms {
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
}

/** An order. */
export interface SimOrder extends OrderTerms {
  orderId: bigint;
  orderIdEx: string;
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
  /** Fees charged so far (real accounts), by item. */
  fees: FeeItem[];
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

/** One movement of an account's cash: signed (negative = out), in its currency. */
export interface SimCashFlow {
  id: bigint;
  atMs: number;
  /** Market-local clearing (trade) and settlement days. */
  clearingDay: DayNumber;
  settlementDay: DayNumber;
  currency: CurrencyName;
  /** "Deposit", "Stock Buy", "Stock Sell", or a fee item's title. */
  type: string;
  amount: number;
  remark: string;
}

/** Trading days from trade to settlement: T+2 in Hong Kong, T+1 in the US and for Connect A-share cash. */
const SETTLEMENT_LAG: Record<SimMarket, number> = { HK: 2, US: 1, SH: 1, SZ: 1 };

/** Records a change of an account's cash (and makes it), dated in `market`'s local calendar. */
export function moveCash(
  account: SimAccount,
  flow: {
    id: bigint;
    atMs: number;
    market: SimMarket;
    currency: CurrencyName;
    type: string;
    amount: number;
    remark: string;
  },
): void {
  const clearingDay = localTime(flow.market, flow.atMs).day;
  let settlementDay = clearingDay;
  for (let n = 0; n < SETTLEMENT_LAG[flow.market];) if (isTradingDay(flow.market, ++settlementDay)) n++;
  account.cash.set(flow.currency, (account.cash.get(flow.currency) ?? 0) + flow.amount);
  account.cashFlows.push({
    id: flow.id,
    atMs: flow.atMs,
    clearingDay,
    settlementDay,
    currency: flow.currency,
    type: flow.type,
    amount: flow.amount,
    remark: flow.remark,
  });
}

/** A simulated account and its state. */
export interface SimAccount {
  spec: SimAccountSpec;
  accId: bigint;
  cash: Map<CurrencyName, number>;
  positions: Map<string, SimPosition>;
  orders: SimOrder[];
  fills: SimFill[];
  /** Every change of `cash`, oldest first: their sum per currency is the cash. */
  cashFlows: SimCashFlow[];
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

const OPEN_STATUSES: ReadonlySet<OrderStatusName> = new Set([
  "WAITING_SUBMIT",
  "SUBMITTING",
  "SUBMITTED",
  "FILLED_PART",
]);

/** True while an order can still fill or be changed. */
export function isOpen(order: SimOrder): boolean {
  return OPEN_STATUSES.has(order.status);
}

/** The trading markets a security can be traded in. */
export function tradingMarketsOf(security: SimSecurity): TrdMarketName[] {
  if (security.market === "HK") return ["HK"];
  if (security.market === "US") return ["US"];
  return ["CN", "HKCC"];
}

/** Contract multiplier of a security: an option's contract size, else 1. */
export function multiplierOf(security: SimSecurity): number {
  return security.kind === "option" ? security.contractSize ?? 100 : 1;
}

/**
 * A fresh account of a spec: its cash, deposited at `openedMs` (each currency dated in its home market), and
 * its positions at their cost.
 */
export function openAccount(spec: SimAccountSpec, openedMs: number, nextCashFlowId: () => bigint): SimAccount {
  const accId = BigInt(spec.accId);
  const account: SimAccount = {
    spec,
    accId,
    cash: new Map(),
    positions: new Map(),
    orders: [],
    fills: [],
    cashFlows: [],
  };
  for (const [currency, amount] of Object.entries(spec.cash) as [CurrencyName, number][]) {
    moveCash(account, {
      id: nextCashFlowId(),
      atMs: openedMs,
      market: currency === "USD" ? "US" : currency === "CNH" ? "SH" : "HK",
      currency,
      type: "Deposit",
      amount,
      remark: `opening deposit of ${amount} ${currency}`,
    });
  }
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
  return account;
}

/** Funds of an account, in `currency` (default: the account's base currency), at current prices. */
export function fundsOf(
  market: MarketData,
  account: SimAccount,
  currency: CurrencyName = account.spec.baseCurrency,
): SimFunds {
  let cash = 0;
  for (const [c, amount] of account.cash) cash += convert(amount, c, currency);
  let marketVal = 0;
  let unrealizedPL = 0;
  let realizedPL = 0;
  for (const p of account.positions.values()) {
    const price = market.currentPrice(p.security);
    const value = p.qty * price * multiplierOf(p.security);
    marketVal += convert(value, currencyOf(p.security), currency);
    unrealizedPL += convert(value - p.cost, currencyOf(p.security), currency);
    realizedPL += convert(p.realizedPL, currencyOf(p.security), currency);
  }
  const frozenCash = frozenOf(market, account, currency);
  const free = cash - frozenCash;
  const margin = account.spec.accType === "MARGIN";
  const excess = margin ? excessLiquidity(market, account, currency) : 0;
  return {
    currency,
    // Like OpenD's: approximations at a 50 % initial ratio (60 % short); Trd_GetMaxTrdQtys has the exact figure.
    power: margin ? Math.max(0, excess / 0.5) : Math.max(0, free),
    totalAssets: cash + marketVal,
    cash,
    marketVal,
    frozenCash,
    debtCash: Math.max(0, -cash),
    avlWithdrawalCash: Math.max(0, free),
    unrealizedPL,
    realizedPL,
    maxPowerShort: margin ? Math.max(0, excess / 0.6) : 0,
    cashByCurrency: [...account.cash].map(([c, amount]) => ({ currency: c, cash: amount })),
  };
}

/**
 * What a margin account can still commit, in `currency`: cash less what open buys hold, plus the loan value of
 * its long positions, less the margin its shorts need, each at the security's initial ratio.
 */
export function excessLiquidity(market: MarketData, account: SimAccount, currency: CurrencyName): number {
  let excess = -frozenOf(market, account, currency);
  for (const [c, amount] of account.cash) excess += convert(amount, c, currency);
  for (const p of account.positions.values()) {
    if (p.qty === 0) continue;
    const terms = marginTermsOf(p.security, account.spec.accType);
    const value = Math.abs(p.qty) * market.currentPrice(p.security) * multiplierOf(p.security);
    const inCurrency = convert(value, currencyOf(p.security), currency);
    excess += p.qty > 0 ? inCurrency * (1 - terms.imLong / 100) : -inCurrency * (1 + terms.imShort / 100);
  }
  return excess;
}

/**
 * The most an account can spend on `security` now (in its currency): free cash for a cash account, the excess
 * liquidity at the security's initial long ratio for a margin account (free cash when it is not marginable).
 */
export function buyingPowerFor(market: MarketData, account: SimAccount, security: SimSecurity): number {
  const currency = currencyOf(security);
  const funds = fundsOf(market, account, currency);
  const free = Math.max(0, funds.cash - funds.frozenCash);
  const terms = marginTermsOf(security, account.spec.accType);
  if (!terms.longPermit) return free;
  return Math.max(free, excessLiquidity(market, account, currency) / (terms.imLong / 100));
}

/** The most a margin account can sell short of `security` now, in its currency (0 when it cannot). */
export function shortPowerFor(market: MarketData, account: SimAccount, security: SimSecurity): number {
  const terms = marginTermsOf(security, account.spec.accType);
  if (!terms.shortPermit) return 0;
  return Math.max(0, excessLiquidity(market, account, currencyOf(security)) / (terms.imShort / 100));
}

/** Cash held back by an account's open buy orders, in `currency`. */
function frozenOf(market: MarketData, account: SimAccount, currency: CurrencyName): number {
  let frozen = 0;
  for (const o of account.orders) {
    if (!isOpen(o) || (o.side !== "BUY" && o.side !== "BUY_BACK")) continue;
    const price = o.price ?? market.currentPrice(o.security);
    frozen += convert((o.qty - o.fillQty) * price * multiplierOf(o.security), currencyOf(o.security), currency);
  }
  return frozen;
}

/** Quantity of a position committed to open sell orders. */
export function pendingSell(account: SimAccount, security: SimSecurity, except?: SimOrder): number {
  let qty = 0;
  for (const o of account.orders) {
    if (o !== except && isOpen(o) && o.security === security && o.side === "SELL") qty += o.qty - o.fillQty;
  }
  return qty;
}

/** Positions of an account (optionally of one trading market), with what can be sold now and the current price. */
export function positionsOf(
  market: MarketData,
  account: SimAccount,
  trdMarket?: TrdMarketName,
): { position: SimPosition; canSellQty: number; price: number }[] {
  return [...account.positions.values()]
    .filter((p) => p.qty !== 0 && (!trdMarket || tradingMarketsOf(p.security).includes(trdMarket)))
    .map((position) => ({
      position,
      canSellQty: Math.max(0, position.qty - pendingSell(account, position.security)),
      price: market.currentPrice(position.security),
    }));
}

/** Largest quantities for an order at a price: with cash only, with margin, from the position, short. */
export function maxQuantitiesOf(
  market: MarketData,
  account: SimAccount,
  security: SimSecurity,
  price: number,
): { cashBuy: number; marginBuy: number; positionSell: number; sellShort: number } {
  const lot = Math.max(1, security.lotSize);
  const funds = fundsOf(market, account, currencyOf(security));
  const unit = price * multiplierOf(security);
  const cashAvailable = Math.max(0, funds.cash - funds.frozenCash);
  const roundLots = (n: number) => Math.max(0, Math.floor(n / lot + 1e-9) * lot);
  const position = account.positions.get(security.symbol);
  const terms = marginTermsOf(security, account.spec.accType);
  const ownShort = Math.max(0, -(position?.qty ?? 0));
  return {
    cashBuy: unit > 0 ? roundLots(cashAvailable / unit) : 0,
    marginBuy: unit > 0 ? roundLots(buyingPowerFor(market, account, security) / unit) : 0,
    positionSell: Math.max(0, (position?.qty ?? 0) - pendingSell(account, security)),
    sellShort: unit > 0
      ? Math.min(roundLots(shortPowerFor(market, account, security) / unit), roundLots(terms.shortPool - ownShort))
      : 0,
  };
}
