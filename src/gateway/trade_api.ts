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
import { onPushOf } from "./_push.ts";
import { filterConditions, toFill, toFunds, toOrder, toPosition } from "./_trade_convert.ts";
import type { OpenDClient } from "./client.ts";
import {
  ACC_STATUS,
  ACC_TYPE,
  CURRENCY,
  type CurrencyName,
  MODIFY_ORDER_OP,
  ORDER_STATUS,
  ORDER_TYPE,
  type OrderStatusName,
  type OrderTypeName,
  SECURITY_FIRM,
  type SecurityFirmName,
  SESSION,
  SIM_ACC_TYPE,
  TIME_IN_FORCE,
  TRAIL_TYPE,
  TRD_ENV,
  TRD_MARKET,
  TRD_SIDE,
} from "./enums.ts";
import { GatewayUnavailableError, OpenDError } from "./errors.ts";
import { parseUint64 } from "./ids.ts";
import type { C2S, S2C } from "./proto/codec.ts";
import type { Common_PacketID, Trd_Common_TrdHeader } from "./proto/messages.ts";
import { parseSymbol } from "./symbols.ts";
import type {
  Account,
  FillUpdate,
  Funds,
  MaxTradeQuantities,
  ModifyOrderInput,
  Order,
  OrderFill,
  OrderUpdate,
  PlacedOrder,
  PlaceOrderInput,
  Position,
  TradeFilter,
  TradeTarget,
} from "./trade_types.ts";

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

/** OpenD wants at least 20 ms between order writes; keep a margin. */
const WRITE_SPACING_MS = 25;
/** How long a shared write turn is held at most: past the request timeout, a dead holder's turn frees itself. */
const SHARED_TURN_HOLD_MS = 15_000;
/** How long a write waits for a shared turn before it is refused (nothing sent). */
const SHARED_TURN_WAIT_MS = 10_000;
/** A pacing refusal (the request was refused, so nothing was placed) is resent after a wait at most this often. */
const PACING_RESENDS = 3;

/**
 * OpenD's refusal of a write that came too soon after another. The simulator's text; OpenD's own is not
 * documented, so only this one is resent.
 */
const PACING_REFUSAL = /requests must be at least \d+ ms apart/;

/**
 * OpenD's write spacing shared with other processes on the same OpenD (replicas of futu-mcp): one write in
 * flight among them, the next one `spacingMs` after its reply.
 */
export interface SharedPacing {
  /**
   * Takes the turn for `owner`, held until {@link release} or for `holdMs`: resolves to 0 when taken, -1 while
   * another write is in flight, or the ms to wait before asking again.
   */
  acquire(owner: string, spacingMs: number, holdMs: number): Promise<number>;
  /** The owner's write was answered (or failed): the turn is free. */
  release(owner: string): Promise<void>;
}

/** See the module documentation. */
export class TradeApi {
  readonly #client: OpenDClient;
  #pushAccIds: string[] = [];
  #writeGate: Promise<void> = Promise.resolve();
  #lastWriteAt = 0;
  #shared: SharedPacing | undefined;

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

  /** Paces order writes with every other process that shares `pacing` (replicas on the same OpenD). */
  sharePacing(pacing: SharedPacing): void {
    this.#shared = pacing;
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
    for (let resend = 0;; resend++) {
      await this.#pace();
      const owner = this.#shared ? await this.#sharedTurn(protocol) : undefined;
      try {
        return await this.#client.requestWrite(protocol, build);
      } catch (err) {
        // Refused for coming too soon (by a process that does not share the pacing): nothing was placed.
        if (!(err instanceof OpenDError && PACING_REFUSAL.test(err.retMsg)) || resend >= PACING_RESENDS) throw err;
      } finally {
        this.#lastWriteAt = Math.max(this.#lastWriteAt, Date.now());
        if (owner) await this.#shared?.release(owner).catch(() => {}); // a turn not freed frees itself
      }
    }
  }

  /** Waits for the shared write turn; refuses the write (nothing sent) when the turn cannot be had. */
  async #sharedTurn(protocol: string): Promise<string> {
    const owner = crypto.randomUUID();
    const deadline = Date.now() + SHARED_TURN_WAIT_MS;
    for (;;) {
      const wait = await this.#shared!.acquire(owner, WRITE_SPACING_MS, SHARED_TURN_HOLD_MS);
      if (wait === 0) return owner;
      if (Date.now() + Math.max(wait, 0) > deadline) {
        throw new GatewayUnavailableError(
          `${protocol} was not sent: no turn among the replicas sharing this OpenD's write pacing within ` +
            `${SHARED_TURN_WAIT_MS / 1000} s`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, wait > 0 ? wait : 2));
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

  /**
   * Cancels every order of the account in `target.market`, or in every market it trades when the market is
   * left out (header market 0, as the SDK sends it). Not supported by paper trading. Never re-sent.
   */
  async cancelAllOrders(target: Omit<TradeTarget, "market"> & { market?: TradeTarget["market"] }): Promise<void> {
    const market = target.market === undefined ? 0 : TRD_MARKET.toWire(target.market);
    const c2s = {
      header: { trdEnv: TRD_ENV.toWire(target.env), accID: parseUint64(target.accId, "acc_id"), trdMarket: market },
      orderID: "0",
      modifyOrderOp: MODIFY_ORDER_OP.toWire("CANCEL"),
      forAll: true,
      trdMarket: market === 0 ? undefined : market,
    };
    await this.#paced("Trd_ModifyOrder", (packetID) => ({ packetID, ...c2s }));
  }

  /** Order pushes (`Trd_UpdateOrder`). */
  onOrderUpdate(handler: (update: OrderUpdate) => void): () => void {
    return onPushOf(this.#client, "Trd_UpdateOrder", handler, (s2c) => [{
      accId: s2c.header.accID,
      env: TRD_ENV.fromWire(s2c.header.trdEnv),
      market: TRD_MARKET.fromWire(s2c.header.trdMarket),
      order: toOrder(s2c.order),
    }]);
  }

  /** Fill pushes (`Trd_UpdateOrderFill`, real accounts only). */
  onFill(handler: (update: FillUpdate) => void): () => void {
    return onPushOf(this.#client, "Trd_UpdateOrderFill", handler, (s2c) => [{
      accId: s2c.header.accID,
      env: TRD_ENV.fromWire(s2c.header.trdEnv),
      market: TRD_MARKET.fromWire(s2c.header.trdMarket),
      fill: toFill(s2c.orderFill),
    }]);
  }
}
