/**
 * Trade request handlers of the simulated OpenD (Trd_*): accounts and the
 * unlock, funds, positions and maximum quantities, today's and history
 * orders and fills, and the two writes (place, modify) with their PacketID
 * anti-replay check. The business rules are the trading engine's (`trading.ts`).
 *
 * @module
 */
import {
  CURRENCY,
  MODIFY_ORDER_OP,
  ORDER_STATUS,
  ORDER_TYPE,
  TIME_IN_FORCE,
  TRAIL_TYPE,
  TRD_ENV,
  TRD_MARKET,
  TRD_SIDE,
  type TrdMarketName,
} from "../gateway/enums.ts";
import type { Trd_Common_TrdFilterConditions, Trd_Common_TrdHeader } from "../gateway/proto/messages.ts";
import { marketOfSecMarket } from "../gateway/symbols.ts";
import { fail, rule } from "./_handler_common.ts";
import { currencyOf, isOpen, type SimAccount, type SimOrder, tradingMarketsOf } from "./accounts.ts";
import { securityByCode, type SimSecurity } from "./catalog.ts";
import { parseLocal, type SimMarket } from "./clock.ts";
import type { HandlerTable, SimContext } from "./handlers.ts";
import { DropRequest, type SimSession } from "./session.ts";
import { SimRuleError } from "./subscriptions.ts";
import { fillOf, orderOf, secMarketOf } from "./wire.ts";

/**
 * The account a header names. A header market of 0 (what the SDK sends when no market is given) names no
 * market: accepted by every request but an order placement, which needs one.
 */
export function accountOf(
  ctx: SimContext,
  header: Trd_Common_TrdHeader | undefined,
  requireMarket = false,
): SimAccount {
  if (!header) fail("header is required");
  const env = TRD_ENV.fromWire(header.trdEnv);
  if (!TRD_ENV.has(env)) fail(`Invalid trdEnv ${header.trdEnv}`);
  const market = TRD_MARKET.fromWire(header.trdMarket);
  const named = header.trdMarket !== 0 || requireMarket;
  if (named && !TRD_MARKET.has(market)) fail(`Invalid trdMarket ${header.trdMarket}`);
  try {
    return ctx.trading.account(header.accID, env, named ? market as TrdMarketName : undefined);
  } catch (err) {
    if (err instanceof SimRuleError) fail(err.message);
    throw err;
  }
}

/** The market a header names, undefined for 0 (none). */
function headerMarket(header: Trd_Common_TrdHeader): TrdMarketName | undefined {
  return header.trdMarket === 0 ? undefined : TRD_MARKET.fromWire(header.trdMarket) as TrdMarketName;
}

/**
 * The market an order or fill query keeps: `filterConditions.filterMarket` when set, else every market of the
 * account (a universal account's orders are one list, whatever market the header names).
 */
function filterMarketOf(filter: Trd_Common_TrdFilterConditions | undefined): TrdMarketName | undefined {
  if (!filter?.filterMarket) return undefined;
  const market = TRD_MARKET.fromWire(filter.filterMarket);
  if (!TRD_MARKET.has(market)) fail(`Invalid filterConditions.filterMarket ${filter.filterMarket}`);
  return market;
}

function securityForTrade(
  code: string,
  secMarket: number | undefined,
  trdMarket: TrdMarketName | undefined,
): SimSecurity {
  let market: SimMarket | undefined;
  if (secMarket !== undefined && secMarket !== 0) {
    const prefix = marketOfSecMarket(secMarket);
    if (prefix !== "HK" && prefix !== "US" && prefix !== "SH" && prefix !== "SZ") {
      fail(`Unsupported secMarket ${secMarket}`);
    }
    market = prefix;
  } else if (trdMarket === "HK" || trdMarket === "US") {
    market = trdMarket;
  }
  const security = market ? securityByCode(market, code) : securityByCode("SH", code) ?? securityByCode("SZ", code);
  if (!security) fail(`Unknown stock code ${code}`);
  return security;
}

/**
 * Applies `TrdFilterConditions` (AND of codes, ids, orderIDExs and the begin/end time, market-local) to orders
 * or fills; `filterMarket` is applied by the caller.
 */
function filterTrades<T>(
  items: T[],
  filter: Trd_Common_TrdFilterConditions | undefined,
  orderOf: (item: T) => SimOrder,
  idOf: (item: T) => bigint,
  atOf: (item: T) => number,
): T[] {
  if (!filter) return items;
  const codes = new Set(filter.codeList ?? []);
  const ids = new Set((filter.idList ?? []).map((id) => BigInt(id)));
  const idExs = new Set(filter.orderIDExList ?? []);
  const bound = (text: string | undefined, market: SimMarket, end: boolean) => {
    if (!text) return end ? Infinity : -Infinity;
    try {
      return parseLocal(market, end && text.trim().length <= 10 ? `${text.trim()} 23:59:59.999` : text);
    } catch (err) {
      fail(`filterConditions.${end ? "endTime" : "beginTime"}: ${(err as Error).message}`);
    }
  };
  return items.filter((item) => {
    const order = orderOf(item);
    if (codes.size > 0 && !codes.has(order.security.code)) return false;
    if (ids.size > 0 && !ids.has(idOf(item))) return false;
    if (idExs.size > 0 && !idExs.has(order.orderIdEx)) return false;
    const at = atOf(item);
    const market = order.security.market;
    return at >= bound(filter.beginTime, market, false) && at <= bound(filter.endTime, market, true);
  });
}

function checkPacketId(
  ctx: SimContext,
  session: SimSession,
  c2s: { packetID: { connID: string; serialNo: number } },
  serialNo: number,
) {
  if (BigInt(c2s.packetID.connID) !== session.connId) {
    fail(`PacketID.connID ${c2s.packetID.connID} does not belong to this connection`);
  }
  if (c2s.packetID.serialNo !== serialNo) {
    fail(`PacketID.serialNo ${c2s.packetID.serialNo} differs from the packet header's serial ${serialNo}`);
  }
  if (c2s.packetID.serialNo <= session.lastWriteSerial) {
    if (ctx.replayPolicy === "drop") throw new DropRequest("replayed PacketID");
    fail(`Replayed PacketID: serial ${c2s.packetID.serialNo} is not above ${session.lastWriteSerial}`);
  }
  session.lastWriteSerial = c2s.packetID.serialNo;
}

/** The trade handlers, by protocol. */
export const TRADE_HANDLERS: HandlerTable = {
  Trd_GetAccList: (ctx, _session, c2s) => ({
    accList: ctx.trading.accounts
      .filter(() => c2s.trdCategory === undefined || c2s.trdCategory === 0 || c2s.trdCategory === 1)
      .map((a) => ({
        trdEnv: TRD_ENV.toWire(a.spec.env),
        accID: a.accId.toString(),
        trdMarketAuthList: a.spec.markets.map((m) => TRD_MARKET.toWire(m)),
        accType: a.spec.accType === "MARGIN" ? 2 : 1,
        cardNum: a.spec.cardNum,
        securityFirm: a.spec.securityFirm === "FUTU_SECURITIES" ? 1 : 2,
        simAccType: a.spec.env === "SIMULATE" ? 1 : undefined,
        uniCardNum: a.spec.cardNum,
        accStatus: 0,
        accRole: 1,
      })),
  }),

  Trd_UnlockTrade: (ctx, _session, c2s) => {
    if (c2s.unlock) rule(() => ctx.trading.unlock(c2s.pwdMD5));
    else ctx.trading.lock();
    return {};
  },

  Trd_SubAccPush: (ctx, session, c2s) => {
    const ids = (c2s.accIDList ?? []).map((id) => BigInt(id));
    for (const id of ids) {
      if (!ctx.trading.accounts.some((a) => a.accId === id)) fail(`Account ${id} does not exist`);
    }
    session.accPush = new Set(ids);
    return {};
  },

  Trd_GetFunds: (ctx, _session, c2s) => {
    const account = accountOf(ctx, c2s.header);
    const currency = c2s.currency === undefined || c2s.currency === 0 ? account.spec.baseCurrency : (() => {
      const name = CURRENCY.fromWire(c2s.currency);
      // The currencies the simulator's fixed rates know.
      if (name !== "HKD" && name !== "USD" && name !== "CNH") fail(`Unsupported currency ${c2s.currency}`);
      return name;
    })();
    const f = rule(() => ctx.trading.funds(account, currency));
    return {
      header: c2s.header,
      funds: {
        power: round2(f.power),
        totalAssets: round2(f.totalAssets),
        cash: round2(f.cash),
        marketVal: round2(f.marketVal),
        frozenCash: round2(f.frozenCash),
        debtCash: round2(f.debtCash),
        avlWithdrawalCash: round2(f.avlWithdrawalCash),
        currency: CURRENCY.toWire(f.currency),
        availableFunds: round2(f.avlWithdrawalCash),
        unrealizedPL: round2(f.unrealizedPL),
        realizedPL: round2(f.realizedPL),
        maxPowerShort: round2(f.maxPowerShort),
        netCashPower: round2(f.cash - f.frozenCash),
        cashInfoList: f.cashByCurrency.map((c) => ({
          currency: CURRENCY.toWire(c.currency),
          cash: round2(c.cash),
          availableBalance: round2(c.cash),
        })),
      },
    };
  },

  Trd_GetPositionList: (ctx, _session, c2s) => {
    const account = accountOf(ctx, c2s.header);
    const codes = new Set(c2s.filterConditions?.codeList ?? []);
    return {
      header: c2s.header,
      positionList: ctx.trading.positions(account, headerMarket(c2s.header))
        .filter(({ position }) => codes.size === 0 || codes.has(position.security.code))
        .map(({ position, canSellQty, price }) => {
          const multiplier = position.security.kind === "option" ? position.security.contractSize ?? 100 : 1;
          const val = position.qty * price * multiplier;
          const costPrice = position.qty !== 0 ? position.cost / position.qty / multiplier : 0;
          const plVal = val - position.cost;
          return {
            positionID: position.positionId.toString(),
            positionSide: position.qty >= 0 ? 0 : 1,
            code: position.security.code,
            name: position.security.name,
            qty: Math.abs(position.qty),
            canSellQty,
            price,
            costPrice: round3(costPrice),
            val: round2(val),
            plVal: round2(plVal),
            plRatio: position.cost !== 0 ? round3(plVal / Math.abs(position.cost) * 100) : 0,
            secMarket: secMarketOf(position.security.market),
            unrealizedPL: round2(plVal),
            realizedPL: round2(position.realizedPL),
            currency: CURRENCY.toWire(currencyOf(position.security)),
            trdMarket: TRD_MARKET.toWire(
              tradingMarketsOf(position.security).find((m) => account.spec.markets.includes(m)) ??
                account.spec.markets[0],
            ),
            dilutedCostPrice: round3(costPrice),
            averageCostPrice: round3(costPrice),
          };
        }),
    };
  },

  Trd_GetMaxTrdQtys: (ctx, _session, c2s) => {
    const account = accountOf(ctx, c2s.header);
    const security = securityForTrade(c2s.code, c2s.secMarket, headerMarket(c2s.header));
    const price = c2s.price > 0 ? c2s.price : ctx.market.currentPrice(security);
    const q = ctx.trading.maxQuantities(account, security, price);
    return {
      header: c2s.header,
      maxTrdQtys: {
        maxCashBuy: q.cashBuy,
        maxCashAndMarginBuy: q.marginBuy,
        maxPositionSell: q.positionSell,
        maxSellShort: q.sellShort,
        maxBuyBack: 0,
      },
    };
  },

  Trd_GetOrderList: (ctx, _session, c2s) => {
    const account = accountOf(ctx, c2s.header);
    const statuses = new Set(c2s.filterStatusList ?? []);
    const orders = filterTrades(
      ctx.trading.todayOrders(account, filterMarketOf(c2s.filterConditions)),
      c2s.filterConditions,
      (o) => o,
      (o) => o.orderId,
      (o) => o.createdMs,
    )
      .filter((o) => statuses.size === 0 || statuses.has(ORDER_STATUS.toWire(o.status)));
    return { header: c2s.header, orderList: orders.map(orderOf) };
  },

  Trd_GetHistoryOrderList: (ctx, _session, c2s) => {
    const account = accountOf(ctx, c2s.header);
    const { beginTime, endTime } = c2s.filterConditions;
    if (!beginTime || !endTime) fail("filterConditions.beginTime and endTime are required for history queries");
    const statuses = new Set(c2s.filterStatusList ?? []);
    const orders = filterTrades(
      rule(() => ctx.trading.historyOrders(account, filterMarketOf(c2s.filterConditions), beginTime, endTime)),
      c2s.filterConditions,
      (o) => o,
      (o) => o.orderId,
      (o) => o.createdMs,
    ).filter((o) => statuses.size === 0 || statuses.has(ORDER_STATUS.toWire(o.status)));
    return { header: c2s.header, orderList: orders.map(orderOf) };
  },

  Trd_GetOrderFillList: (ctx, _session, c2s) => {
    const account = accountOf(ctx, c2s.header);
    if (account.spec.env === "SIMULATE") {
      fail("Paper trading does not support fills (deals); read the order's fill quantity and average price instead");
    }
    const fills = filterTrades(
      ctx.trading.todayFills(account, filterMarketOf(c2s.filterConditions)),
      c2s.filterConditions,
      (f) => f.order,
      (f) => f.fillId,
      (f) => f.atMs,
    );
    return { header: c2s.header, orderFillList: fills.map(fillOf) };
  },

  Trd_GetHistoryOrderFillList: (ctx, _session, c2s) => {
    const account = accountOf(ctx, c2s.header);
    if (account.spec.env === "SIMULATE") fail("Paper trading does not support fills (deals)");
    const { beginTime, endTime } = c2s.filterConditions;
    if (!beginTime || !endTime) fail("filterConditions.beginTime and endTime are required for history queries");
    const fills = filterTrades(
      rule(() => ctx.trading.historyFills(account, filterMarketOf(c2s.filterConditions), beginTime, endTime)),
      c2s.filterConditions,
      (f) => f.order,
      (f) => f.fillId,
      (f) => f.atMs,
    );
    return { header: c2s.header, orderFillList: fills.map(fillOf) };
  },

  Trd_PlaceOrder: (ctx, session, c2s, serialNo) => {
    checkPacketId(ctx, session, c2s, serialNo);
    const account = accountOf(ctx, c2s.header, true);
    const trdMarket = headerMarket(c2s.header)!;
    const security = securityForTrade(c2s.code, c2s.secMarket, trdMarket);
    const side = TRD_SIDE.fromWire(c2s.trdSide);
    if (!TRD_SIDE.has(side)) fail(`Invalid trdSide ${c2s.trdSide}`);
    const type = ORDER_TYPE.fromWire(c2s.orderType);
    if (!ORDER_TYPE.has(type)) fail(`Invalid orderType ${c2s.orderType}`);
    const tif = TIME_IN_FORCE.fromWire(c2s.timeInForce ?? 0);
    if (!TIME_IN_FORCE.has(tif)) fail(`Invalid timeInForce ${c2s.timeInForce}`);
    const trailType = c2s.trailType === undefined || c2s.trailType === 0
      ? undefined
      : TRAIL_TYPE.fromWire(c2s.trailType);
    if (trailType !== undefined && !TRAIL_TYPE.has(trailType)) fail(`Invalid trailType ${c2s.trailType}`);
    const order = rule(() =>
      ctx.trading.placeOrder({
        account,
        trdMarket,
        security,
        side,
        type,
        qty: c2s.qty,
        price: type === "MARKET" ? undefined : c2s.price,
        auxPrice: c2s.auxPrice,
        trailType,
        trailValue: c2s.trailValue,
        trailSpread: c2s.trailSpread,
        timeInForce: tif,
        fillOutsideRTH: c2s.fillOutsideRTH ?? false,
        session: c2s.session,
        remark: c2s.remark,
        adjustPrice: c2s.adjustPrice,
        adjustLimit: c2s.adjustSideAndLimit,
      })
    );
    ctx.scheduleStep();
    return { header: c2s.header, orderID: order.orderId.toString(), orderIDEx: order.orderIdEx };
  },

  Trd_ModifyOrder: (ctx, session, c2s, serialNo) => {
    checkPacketId(ctx, session, c2s, serialNo);
    const account = accountOf(ctx, c2s.header);
    const op = MODIFY_ORDER_OP.fromWire(c2s.modifyOrderOp);
    if (!MODIFY_ORDER_OP.has(op)) fail(`Invalid modifyOrderOp ${c2s.modifyOrderOp}`);
    if (c2s.forAll) {
      if (op !== "CANCEL") fail("forAll supports only the CANCEL operation");
      // No market (absent or 0, as the SDK sends without one): every market of the account.
      const market = c2s.trdMarket ? TRD_MARKET.fromWire(c2s.trdMarket) : undefined;
      if (market !== undefined && !TRD_MARKET.has(market)) fail(`Invalid trdMarket ${c2s.trdMarket}`);
      rule(() => ctx.trading.cancelAll(account, market));
      return { header: c2s.header, orderID: "0" };
    }
    const order = rule(() => ctx.trading.findOrder(account, BigInt(c2s.orderID), c2s.orderIDEx));
    const trailType = c2s.trailType === undefined || c2s.trailType === 0
      ? undefined
      : TRAIL_TYPE.fromWire(c2s.trailType);
    rule(() =>
      ctx.trading.modifyOrder(order, {
        op,
        qty: c2s.qty,
        price: c2s.price,
        auxPrice: c2s.auxPrice,
        trailType: trailType && TRAIL_TYPE.has(trailType) ? trailType : undefined,
        trailValue: c2s.trailValue,
        trailSpread: c2s.trailSpread,
      })
    );
    if (op === "NORMAL" && isOpen(order)) ctx.scheduleStep();
    return { header: c2s.header, orderID: order.orderId.toString(), orderIDEx: order.orderIdEx };
  },
};

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
