/**
 * Typed trade calls over OpenD. Account and order ids are decimal strings end
 * to end. Writes carry a PacketID and are never re-sent: a write whose reply
 * is lost fails with `TradeOutcomeUnknownError`.
 *
 * @example
 * ```ts
 * import { OpenDClient } from "./client.ts";
 * import { TradeApi } from "./trade_api.ts";
 * const client = await OpenDClient.connect({ gateway: "127.0.0.1:11111" });
 * const trade = new TradeApi(client);
 * const [acc] = (await trade.getAccList()).filter((a) => a.env === "SIMULATE");
 * const target = { accId: acc.accId, env: acc.env, market: acc.markets[0] };
 * const placed = await trade.placeOrder(target, {
 *   symbol: "HK.00700", side: "BUY", orderType: "NORMAL", qty: 100, price: 400,
 * });
 * ```
 *
 * @module
 */
import type { OpenDClient } from "./client.ts";
import {
  ACC_STATUS,
  ACC_TYPE,
  CURRENCY,
  type CurrencyName,
  MODIFY_ORDER_OP,
  type ModifyOrderOpName,
  ORDER_FILL_STATUS,
  ORDER_STATUS,
  ORDER_TYPE,
  type OrderStatusName,
  type OrderTypeName,
  POSITION_SIDE,
  SECURITY_FIRM,
  type SecurityFirmName,
  SESSION,
  type SessionName,
  SIM_ACC_TYPE,
  TIME_IN_FORCE,
  type TimeInForceName,
  TRAIL_TYPE,
  type TrailTypeName,
  TRD_ENV,
  TRD_MARKET,
  TRD_SIDE,
  type TrdEnvName,
  type TrdMarketName,
  type TrdSideName,
} from "./enums.ts";
import { parseUint64 } from "./ids.ts";
import type { C2S, S2C } from "./proto/codec.ts";
import type {
  Common_PacketID,
  Trd_Common_Funds,
  Trd_Common_Order,
  Trd_Common_OrderFill,
  Trd_Common_Position,
  Trd_Common_TrdFilterConditions,
  Trd_Common_TrdHeader,
} from "./proto/messages.ts";
import { formatTradeSymbol, parseSymbol } from "./symbols.ts";

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

/** An order field that is not a finite, non-negative number. */
export class OrderValueError extends Error {
  override name = "OrderValueError";
}

function header(target: TradeTarget): Trd_Common_TrdHeader {
  return {
    trdEnv: TRD_ENV.toWire(target.env),
    accID: parseUint64(target.accId, "acc_id"),
    trdMarket: TRD_MARKET.toWire(target.market),
  };
}

function finite(value: number | undefined, what: string, options: { positive?: boolean } = {}): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || (options.positive && value === 0)) {
    throw new OrderValueError(
      `${what} must be a finite ${options.positive ? "positive" : "non-negative"} number, got ${value}`,
    );
  }
  return value;
}

function filterConditions(filter: TradeFilter | undefined): Trd_Common_TrdFilterConditions | undefined {
  if (!filter) return undefined;
  return {
    codeList: filter.symbols?.map((s) => parseSymbol(s).code),
    idList: filter.ids?.map((id) => parseUint64(id, "id")),
    orderIDExList: filter.orderIdExs,
    beginTime: filter.begin,
    endTime: filter.end,
  };
}

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

function toPosition(p: Trd_Common_Position): Position {
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

function toFunds(f: Trd_Common_Funds): Funds {
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

/** OpenD wants at least 20 ms between order writes; keep a margin. */
const WRITE_SPACING_MS = 25;

/** See the module documentation. */
export class TradeApi {
  readonly #client: OpenDClient;
  #pushAccIds: string[] = [];
  #writeGate: Promise<void> = Promise.resolve();
  #lastWriteAt = 0;

  constructor(client: OpenDClient) {
    this.#client = client;
    client.onReconnect(async (connection) => {
      if (this.#pushAccIds.length > 0) {
        await connection.request("Trd_SubAccPush", { accIDList: this.#pushAccIds });
      }
    });
  }

  /** Accounts this OpenD login can trade, real and simulated. */
  async getAccList(): Promise<Account[]> {
    const s2c = await this.#client.request("Trd_GetAccList", { userID: "0", needGeneralSecAccount: true });
    return (s2c.accList ?? []).map((a) => ({
      accId: a.accID,
      env: TRD_ENV.parse(a.trdEnv),
      markets: (a.trdMarketAuthList ?? []).flatMap((m) => {
        const name = TRD_MARKET.fromWire(m);
        return TRD_MARKET.has(name) ? [name] : [];
      }),
      accType: a.accType === undefined ? undefined : ACC_TYPE.fromWire(a.accType),
      cardNum: a.cardNum,
      uniCardNum: a.uniCardNum,
      securityFirm: a.securityFirm === undefined ? undefined : SECURITY_FIRM.parse(a.securityFirm),
      simAccType: a.simAccType === undefined ? undefined : SIM_ACC_TYPE.fromWire(a.simAccType),
      status: a.accStatus === undefined ? undefined : ACC_STATUS.fromWire(a.accStatus),
    }));
  }

  /**
   * Unlocks (or locks) real trading for the whole OpenD. Takes the MD5 of the
   * trade password, never the password itself.
   */
  async unlockTrade(unlock: boolean, pwdMD5?: string, securityFirm?: SecurityFirmName): Promise<void> {
    if (unlock && !/^[0-9a-f]{32}$/.test(pwdMD5 ?? "")) {
      throw new Error("unlocking needs the lower-case hex MD5 of the trade password");
    }
    await this.#client.request("Trd_UnlockTrade", {
      unlock,
      pwdMD5: unlock ? pwdMD5 : undefined,
      securityFirm: securityFirm === undefined ? undefined : SECURITY_FIRM.toWire(securityFirm),
    });
  }

  /** Receives order and fill pushes for exactly these accounts (replaces the previous list). */
  async subAccPush(accIds: string[]): Promise<void> {
    const ids = accIds.map((id) => parseUint64(id, "acc_id"));
    await this.#client.request("Trd_SubAccPush", { accIDList: ids });
    this.#pushAccIds = ids;
  }

  /** Accounts whose pushes this client receives. */
  get pushAccounts(): readonly string[] {
    return this.#pushAccIds;
  }

  /** Funds of an account. */
  async getFunds(target: TradeTarget, options: { refresh?: boolean; currency?: CurrencyName } = {}): Promise<Funds> {
    const s2c = await this.#client.request("Trd_GetFunds", {
      header: header(target),
      refreshCache: options.refresh,
      currency: options.currency === undefined ? undefined : CURRENCY.toWire(options.currency),
    });
    if (!s2c.funds) throw new Error("OpenD returned no funds for this account");
    return toFunds(s2c.funds);
  }

  /** Positions of an account. */
  async getPositions(
    target: TradeTarget,
    options: { symbols?: string[]; refresh?: boolean } = {},
  ): Promise<Position[]> {
    const s2c = await this.#client.request("Trd_GetPositionList", {
      header: header(target),
      filterConditions: filterConditions({ symbols: options.symbols }),
      refreshCache: options.refresh,
    });
    return (s2c.positionList ?? []).map(toPosition);
  }

  /** Largest buy and sell quantities for an order at a price. */
  async getMaxTrdQtys(
    target: TradeTarget,
    query: { symbol: string; orderType: OrderTypeName; price: number },
  ): Promise<MaxTradeQuantities> {
    const parsed = parseSymbol(query.symbol);
    const s2c = await this.#client.request("Trd_GetMaxTrdQtys", {
      header: header(target),
      orderType: ORDER_TYPE.toWire(query.orderType),
      code: parsed.code,
      secMarket: parsed.secMarket,
      price: finite(query.price, "price")!,
    });
    const q = s2c.maxTrdQtys;
    if (!q) throw new Error("OpenD returned no quantities");
    return {
      maxCashBuy: q.maxCashBuy,
      maxCashAndMarginBuy: q.maxCashAndMarginBuy,
      maxPositionSell: q.maxPositionSell,
      maxSellShort: q.maxSellShort,
      maxBuyBack: q.maxBuyBack,
    };
  }

  /** Today's orders, optionally filtered. */
  async getOrders(
    target: TradeTarget,
    options: { filter?: TradeFilter; statuses?: OrderStatusName[]; refresh?: boolean } = {},
  ): Promise<Order[]> {
    const s2c = await this.#client.request("Trd_GetOrderList", {
      header: header(target),
      filterConditions: filterConditions(options.filter),
      filterStatusList: options.statuses?.map((s) => ORDER_STATUS.toWire(s)),
      refreshCache: options.refresh,
    });
    return (s2c.orderList ?? []).map(toOrder);
  }

  /** Today's fills (real accounts; paper trading has none). */
  async getOrderFills(
    target: TradeTarget,
    options: { filter?: TradeFilter; refresh?: boolean } = {},
  ): Promise<OrderFill[]> {
    const s2c = await this.#client.request("Trd_GetOrderFillList", {
      header: header(target),
      filterConditions: filterConditions(options.filter),
      refreshCache: options.refresh,
    });
    return (s2c.orderFillList ?? []).map(toFill);
  }

  /** Orders between `begin` and `end`. */
  async getHistoryOrders(
    target: TradeTarget,
    filter: TradeFilter & { begin: string; end: string },
    statuses?: OrderStatusName[],
  ): Promise<Order[]> {
    const s2c = await this.#client.request("Trd_GetHistoryOrderList", {
      header: header(target),
      filterConditions: filterConditions(filter)!,
      filterStatusList: statuses?.map((s) => ORDER_STATUS.toWire(s)),
    });
    return (s2c.orderList ?? []).map(toOrder);
  }

  /** Fills between `begin` and `end`. */
  async getHistoryOrderFills(
    target: TradeTarget,
    filter: TradeFilter & { begin: string; end: string },
  ): Promise<OrderFill[]> {
    const s2c = await this.#client.request("Trd_GetHistoryOrderFillList", {
      header: header(target),
      filterConditions: filterConditions(filter)!,
    });
    return (s2c.orderFillList ?? []).map(toFill);
  }

  /** Waits for this client's turn to send an order write, spaced as OpenD requires. */
  #pace(): Promise<void> {
    const turn = this.#writeGate.then(async () => {
      const wait = this.#lastWriteAt + WRITE_SPACING_MS - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      this.#lastWriteAt = Date.now();
    });
    this.#writeGate = turn;
    return turn;
  }

  /**
   * Sends an order write in its turn. The spacing also counts from the reply:
   * OpenD measures the gap when it processes a request, which can be later than
   * the send, so spacing only the sends could land two writes too close.
   */
  async #paced<P extends "Trd_PlaceOrder" | "Trd_ModifyOrder">(
    protocol: P,
    build: (packetID: Common_PacketID) => C2S<P>,
  ): Promise<S2C<P>> {
    await this.#pace();
    try {
      return await this.#client.requestWrite(protocol, build);
    } finally {
      this.#lastWriteAt = Math.max(this.#lastWriteAt, Date.now());
    }
  }

  /** Places an order. Never re-sent; see the module documentation. */
  async placeOrder(target: TradeTarget, order: PlaceOrderInput): Promise<PlacedOrder> {
    const parsed = parseSymbol(order.symbol);
    const qty = finite(order.qty, "qty", { positive: true })!;
    const c2s = {
      header: header(target),
      trdSide: TRD_SIDE.toWire(order.side),
      orderType: ORDER_TYPE.toWire(order.orderType),
      code: parsed.code,
      secMarket: parsed.secMarket,
      qty,
      price: finite(order.price, "price"),
      auxPrice: finite(order.auxPrice, "aux_price"),
      trailType: order.trailType === undefined ? undefined : TRAIL_TYPE.toWire(order.trailType),
      trailValue: finite(order.trailValue, "trail_value"),
      trailSpread: finite(order.trailSpread, "trail_spread"),
      timeInForce: order.timeInForce === undefined ? undefined : TIME_IN_FORCE.toWire(order.timeInForce),
      fillOutsideRTH: order.fillOutsideRTH,
      session: order.session === undefined ? undefined : SESSION.toWire(order.session),
      remark: order.remark,
      adjustPrice: order.adjustPrice,
      adjustSideAndLimit: finite(order.adjustLimit, "adjust_limit"),
    };
    const s2c = await this.#paced("Trd_PlaceOrder", (packetID) => ({ packetID, ...c2s }));
    if (s2c.orderID === undefined) throw new Error("OpenD accepted the order but returned no order id");
    return { orderId: s2c.orderID, orderIdEx: s2c.orderIDEx };
  }

  /** Modifies, cancels, disables, enables or deletes an order. Never re-sent. */
  async modifyOrder(target: TradeTarget, change: ModifyOrderInput): Promise<PlacedOrder> {
    if (change.orderId === undefined && change.orderIdEx === undefined) {
      throw new Error("modifying an order needs its order id");
    }
    const c2s = {
      header: header(target),
      orderID: change.orderId === undefined ? "0" : parseUint64(change.orderId, "order_id"),
      orderIDEx: change.orderId === undefined ? change.orderIdEx : undefined,
      modifyOrderOp: MODIFY_ORDER_OP.toWire(change.op),
      qty: finite(change.qty, "qty", { positive: true }),
      price: finite(change.price, "price"),
      auxPrice: finite(change.auxPrice, "aux_price"),
      trailType: change.trailType === undefined ? undefined : TRAIL_TYPE.toWire(change.trailType),
      trailValue: finite(change.trailValue, "trail_value"),
      trailSpread: finite(change.trailSpread, "trail_spread"),
    };
    const s2c = await this.#paced("Trd_ModifyOrder", (packetID) => ({ packetID, ...c2s }));
    return { orderId: s2c.orderID, orderIdEx: s2c.orderIDEx };
  }

  /** Cancels every order of the account (not supported by paper trading). Never re-sent. */
  async cancelAllOrders(target: TradeTarget): Promise<void> {
    const c2s = {
      header: header(target),
      orderID: "0",
      modifyOrderOp: MODIFY_ORDER_OP.toWire("CANCEL"),
      forAll: true,
      trdMarket: TRD_MARKET.toWire(target.market),
    };
    await this.#paced("Trd_ModifyOrder", (packetID) => ({ packetID, ...c2s }));
  }

  /** Order pushes (`Trd_UpdateOrder`). */
  onOrderUpdate(handler: (update: OrderUpdate) => void): () => void {
    return this.#client.onPush("Trd_UpdateOrder", (s2c) =>
      handler({
        accId: s2c.header.accID,
        env: TRD_ENV.fromWire(s2c.header.trdEnv),
        market: TRD_MARKET.fromWire(s2c.header.trdMarket),
        order: toOrder(s2c.order),
      }));
  }

  /** Fill pushes (`Trd_UpdateOrderFill`, real accounts only). */
  onFill(handler: (update: FillUpdate) => void): () => void {
    return this.#client.onPush("Trd_UpdateOrderFill", (s2c) =>
      handler({
        accId: s2c.header.accID,
        env: TRD_ENV.fromWire(s2c.header.trdEnv),
        market: TRD_MARKET.fromWire(s2c.header.trdMarket),
        fill: toFill(s2c.orderFill),
      }));
  }
}
