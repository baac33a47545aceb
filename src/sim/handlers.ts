/**
 * Request handlers of the simulated OpenD: one function per protocol, from
 * the decoded C2S to the S2C, raising {@link SimReplyError} with OpenD-style
 * messages for business errors.
 *
 * @module
 */
import {
  KL_TYPE,
  MODIFY_ORDER_OP,
  ORDER_STATUS,
  ORDER_TYPE,
  SUB_TYPE,
  type SubTypeName,
  TIME_IN_FORCE,
  TRAIL_TYPE,
  TRD_ENV,
  TRD_MARKET,
  TRD_SIDE,
  type TrdMarketName,
} from "../gateway/enums.ts";
import type { C2S, RequestProtocol, S2C } from "../gateway/proto/codec.ts";
import {
  Common_ProgramStatusType,
  Qot_Common_PlateSetType,
  Qot_Common_QotMarketState,
  type Qot_Common_Security,
  type Trd_Common_TrdFilterConditions,
  type Trd_Common_TrdHeader,
} from "../gateway/proto/messages.ts";
import { marketOfQotMarket, marketOfSecMarket } from "../gateway/symbols.ts";
import {
  HK_BROKERS,
  plateBySymbolOf,
  securityByCode,
  SIM_PLATES,
  SIM_SECURITIES,
  type SimSecurity,
} from "./catalog.ts";
import { formatInstant, marketPhase, type SimMarket, utcOf as utcOfMarket } from "./clock.ts";
import { type BarPeriod, lookbackMs, type MarketData } from "./market.ts";
import type { HistoryQuota, SubscriptionBook } from "./subscriptions.ts";
import { SimRuleError } from "./subscriptions.ts";
import { DropRequest, SimReplyError, type SimSession } from "./session.ts";
import { currencyOf, isOpen, type SimAccount, type SimOrder, type TradingEngine } from "./trading.ts";
import { basicQotOf, fillOf, klineOf, orderOf, secMarketOf, securityOf, snapshotOf, staticInfoOf } from "./wire.ts";

/** The OpenD state handlers work on. */
export interface SimContext {
  readonly market: MarketData;
  readonly trading: TradingEngine;
  readonly subscriptions: SubscriptionBook;
  readonly historyQuota: HistoryQuota;
  readonly sessions: ReadonlySet<SimSession>;
  /** What to do with a replayed PacketID: drop silently (like OpenD) or answer with an error. */
  readonly replayPolicy: "drop" | "error";
  /** Pushes the current data of a registered pair once (isFirstPush). */
  pushNow(session: SimSession, pair: string): void;
  /** Runs the trading engine soon (market orders fill right after they are acknowledged). */
  scheduleStep(): void;
}

/** A handler of one protocol. */
export type Handler<P extends RequestProtocol> = (
  ctx: SimContext,
  session: SimSession,
  c2s: C2S<P>,
  serialNo: number,
) => S2C<P>;

type HandlerTable = { [P in RequestProtocol]?: Handler<P> };

/** Pair key of a (security, subtype). */
export function pairKey(security: SimSecurity, subType: SubTypeName): string {
  return `${security.symbol}|${subType}`;
}

function fail(message: string): never {
  throw new SimReplyError(message);
}

function resolve(security: Qot_Common_Security | undefined): SimSecurity {
  if (!security) fail("security is required");
  const market = marketOfQotMarket(security.market);
  const found = market && (market === "HK" || market === "US" || market === "SH" || market === "SZ")
    ? securityByCode(market, security.code)
    : undefined;
  if (!found) fail(`Unknown stock ${market ?? `market ${security.market}`}.${security.code}`);
  return found;
}

function subTypeName(value: number): SubTypeName {
  const name = SUB_TYPE.fromWire(value);
  if (!SUB_TYPE.has(name)) fail(`Unknown subType ${value}`);
  return name;
}

function periodOf(klType: number): BarPeriod {
  const name = KL_TYPE.fromWire(klType);
  if (!KL_TYPE.has(name)) fail(`Unknown klType ${klType}`);
  return name;
}

function requireSubscription(session: SimSession, ctx: SimContext, security: SimSecurity, subType: SubTypeName) {
  if (!ctx.subscriptions.holds(session.number, pairKey(security, subType))) {
    fail(`${security.symbol} is not subscribed to ${subType} on this connection; subscribe first (Qot_Sub)`);
  }
}

function checkSubscribable(security: SimSecurity, subType: SubTypeName): void {
  if (subType === "BROKER" && security.market !== "HK") {
    fail(`${security.symbol}: broker queues exist only for HK securities`);
  }
  if (security.kind === "index" && (subType === "ORDER_BOOK" || subType === "BROKER" || subType === "TICKER")) {
    fail(`${security.symbol} is an index and has no ${subType} data`);
  }
}

function phaseState(market: SimMarket, ms: number): number {
  const state = marketPhase(market, ms).state;
  const table: Record<string, number> = {
    CLOSED: Qot_Common_QotMarketState.Closed,
    AUCTION: Qot_Common_QotMarketState.Auction,
    WAITING_OPEN: Qot_Common_QotMarketState.WaitingOpen,
    MORNING: Qot_Common_QotMarketState.Morning,
    REST: Qot_Common_QotMarketState.Rest,
    AFTERNOON: Qot_Common_QotMarketState.Afternoon,
    PRE_MARKET_BEGIN: Qot_Common_QotMarketState.PreMarketBegin,
    AFTER_HOURS_BEGIN: Qot_Common_QotMarketState.AfterHoursBegin,
    AFTER_HOURS_END: Qot_Common_QotMarketState.AfterHoursEnd,
  };
  return table[state];
}

/** Next-page cursor of RequestHistoryKL: the start of the next bar, opaque to clients. */
function encodeCursor(startMs: number): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ v: 1, next: startMs }));
}

function decodeCursor(bytes: Uint8Array): number {
  try {
    const cursor = JSON.parse(new TextDecoder().decode(bytes));
    if (cursor.v === 1 && Number.isFinite(cursor.next)) return cursor.next;
  } catch { /* fall through */ }
  fail("Invalid nextReqKey");
}

function parseRequestTime(market: SimMarket, text: string, what: string, endOfDay: boolean): number {
  const trimmed = text.trim();
  const full = /^\d{4}-\d{2}-\d{2}$/.test(trimmed) ? `${trimmed} ${endOfDay ? "23:59:59" : "00:00:00"}` : trimmed;
  const match = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(full);
  if (!match) fail(`Invalid ${what} ${JSON.stringify(text)}: expected "YYYY-MM-DD HH:MM:SS"`);
  const [, y, mo, d] = match.map(Number);
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) fail(`Invalid ${what} ${JSON.stringify(text)}`);
  const day = Math.floor(date.getTime() / 86_400_000);
  const minutes = Number(match[4]) * 60 + Number(match[5]) + Number(match[6]) / 60;
  return utcOfMarket(market, day, minutes);
}

// ---- trade helpers -------------------------------------------------------------------------

function accountOf(ctx: SimContext, header: Trd_Common_TrdHeader | undefined, checkMarket = true): SimAccount {
  if (!header) fail("header is required");
  const env = TRD_ENV.fromWire(header.trdEnv);
  if (!TRD_ENV.has(env)) fail(`Invalid trdEnv ${header.trdEnv}`);
  const market = TRD_MARKET.fromWire(header.trdMarket);
  if (checkMarket && !TRD_MARKET.has(market)) fail(`Invalid trdMarket ${header.trdMarket}`);
  try {
    return ctx.trading.account(header.accID, env, checkMarket ? market as TrdMarketName : undefined);
  } catch (err) {
    if (err instanceof SimRuleError) fail(err.message);
    throw err;
  }
}

function headerMarket(header: Trd_Common_TrdHeader): TrdMarketName {
  return TRD_MARKET.fromWire(header.trdMarket) as TrdMarketName;
}

function rule<T>(action: () => T): T {
  try {
    return action();
  } catch (err) {
    if (err instanceof SimRuleError) fail(err.message);
    throw err;
  }
}

function securityForTrade(code: string, secMarket: number | undefined, trdMarket: TrdMarketName): SimSecurity {
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

/** Applies `TrdFilterConditions` (AND of codes, ids and orderIDExs) to orders or fills. */
function filterTrades<T>(
  items: T[],
  filter: Trd_Common_TrdFilterConditions | undefined,
  orderOf: (item: T) => SimOrder,
  idOf: (item: T) => bigint,
): T[] {
  if (!filter) return items;
  const codes = new Set(filter.codeList ?? []);
  const ids = new Set((filter.idList ?? []).map((id) => BigInt(id)));
  const idExs = new Set(filter.orderIDExList ?? []);
  return items.filter((item) => {
    const order = orderOf(item);
    if (codes.size > 0 && !codes.has(order.security.code)) return false;
    if (ids.size > 0 && !ids.has(idOf(item))) return false;
    if (idExs.size > 0 && !idExs.has(order.orderIdEx)) return false;
    return true;
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

// ---- the table -----------------------------------------------------------------------------

/** Every request handler, by protocol. */
export const HANDLERS: HandlerTable = {
  KeepAlive: (ctx) => ({ time: String(Math.floor(ctx.market.clock.now() / 1000)) }),

  GetGlobalState: (ctx, session) => {
    const now = ctx.market.clock.now();
    return {
      marketHK: phaseState("HK", now),
      marketUS: phaseState("US", now),
      marketSH: phaseState("SH", now),
      marketSZ: phaseState("SZ", now),
      marketHKFuture: phaseState("HK", now),
      qotLogined: true,
      trdLogined: true,
      serverVer: 1001,
      serverBuildNo: 1,
      time: String(Math.floor(now / 1000)),
      localTime: now / 1000,
      programStatus: { type: Common_ProgramStatusType.Ready },
      connID: session.connId.toString(),
    };
  },

  Qot_Sub: (ctx, session, c2s) => {
    if (c2s.isUnsubAll) {
      const pairs = ctx.subscriptions.pairsOf(session.number);
      rule(() => ctx.subscriptions.unsubscribe(session.number, pairs));
      session.pushes.clear();
      return {};
    }
    const securities = (c2s.securityList ?? []).map(resolve);
    const subTypes = (c2s.subTypeList ?? []).map(subTypeName);
    if (securities.length === 0 || subTypes.length === 0) fail("securityList and subTypeList must not be empty");
    const pairs: string[] = [];
    for (const security of securities) {
      for (const subType of subTypes) {
        if (c2s.isSubOrUnSub) checkSubscribable(security, subType);
        pairs.push(pairKey(security, subType));
      }
    }
    if (c2s.isSubOrUnSub) {
      rule(() => ctx.subscriptions.subscribe(session.number, pairs));
      if (c2s.isRegOrUnRegPush === true) {
        const rehabTypes = c2s.regPushRehabTypeList?.length ? c2s.regPushRehabTypeList : [1];
        for (const pair of pairs) session.pushes.set(pair, { rehabTypes });
        if (c2s.isFirstPush ?? true) { for (const pair of pairs) ctx.pushNow(session, pair); }
      } else if (c2s.isRegOrUnRegPush === false) {
        for (const pair of pairs) session.pushes.delete(pair);
      }
    } else {
      rule(() => ctx.subscriptions.unsubscribe(session.number, pairs));
      for (const pair of pairs) session.pushes.delete(pair);
    }
    return {};
  },

  Qot_RegQotPush: (ctx, session, c2s) => {
    const securities = (c2s.securityList ?? []).map(resolve);
    const subTypes = (c2s.subTypeList ?? []).map(subTypeName);
    for (const security of securities) {
      for (const subType of subTypes) {
        const pair = pairKey(security, subType);
        if (!c2s.isRegOrUnReg) {
          session.pushes.delete(pair);
          continue;
        }
        if (!ctx.subscriptions.holds(session.number, pair)) {
          fail(`${security.symbol} is not subscribed to ${subType}; pushes can only be registered for subscriptions`);
        }
        session.pushes.set(pair, { rehabTypes: c2s.rehabTypeList?.length ? c2s.rehabTypeList : [1] });
        if (c2s.isFirstPush ?? true) ctx.pushNow(session, pair);
      }
    }
    return {};
  },

  Qot_GetSubInfo: (ctx, session, c2s) => {
    const sessions = c2s.isReqAllConn ? [...ctx.sessions] : [session];
    return {
      connSubInfoList: sessions.map((s) => {
        const bySubType = new Map<string, Qot_Common_Security[]>();
        const pairs = ctx.subscriptions.pairsOf(s.number);
        for (const pair of pairs) {
          const [symbol, subType] = pair.split("|");
          const [market, code] = symbol.split(".");
          const list = bySubType.get(subType) ?? [];
          list.push(securityOf(securityByCode(market as SimMarket, code)!));
          bySubType.set(subType, list);
        }
        return {
          subInfoList: [...bySubType].map(([subType, securityList]) => ({
            subType: SUB_TYPE.toWire(subType as SubTypeName),
            securityList,
          })),
          usedQuota: pairs.length,
          isOwnConnData: s === session,
        };
      }),
      totalUsedQuota: ctx.subscriptions.used(),
      remainQuota: ctx.subscriptions.remaining(),
    };
  },

  Qot_GetBasicQot: (ctx, session, c2s) => {
    const securities = (c2s.securityList ?? []).map(resolve);
    for (const s of securities) requireSubscription(session, ctx, s, "QUOTE");
    return { basicQotList: securities.map((s) => basicQotOf(ctx.market, s)) };
  },

  Qot_GetKL: (ctx, session, c2s) => {
    const security = resolve(c2s.security);
    const period = periodOf(c2s.klType);
    if (!(c2s.reqNum > 0 && c2s.reqNum <= 1000)) fail(`reqNum must be between 1 and 1000, got ${c2s.reqNum}`);
    requireSubscription(session, ctx, security, period);
    const now = ctx.market.clock.now();
    const bars = ctx.market.bars(security, period, now - lookbackMs(period, c2s.reqNum), now, c2s.reqNum, {
      fromEnd: true,
    });
    return { security: securityOf(security), name: security.name, klList: bars.map((b) => klineOf(security, b)) };
  },

  Qot_RequestHistoryKL: (ctx, _session, c2s) => {
    const security = resolve(c2s.security);
    const period = periodOf(c2s.klType);
    const begin = parseRequestTime(security.market, c2s.beginTime, "beginTime", false);
    const end = parseRequestTime(security.market, c2s.endTime, "endTime", true);
    if (begin > end) fail(`beginTime ${c2s.beginTime} is after endTime ${c2s.endTime}`);
    if (c2s.maxAckKLNum !== undefined && c2s.maxAckKLNum <= 0) {
      fail(`maxAckKLNum must be positive, got ${c2s.maxAckKLNum}`);
    }
    const firstPage = !c2s.nextReqKey?.length;
    if (firstPage) rule(() => ctx.historyQuota.use(security.symbol));
    const from = firstPage ? begin : decodeCursor(c2s.nextReqKey!);
    const max = c2s.maxAckKLNum ?? 100_000;
    const bars = ctx.market.bars(security, period, from, end, max + 1);
    const page = bars.slice(0, max);
    const fields = c2s.needKLFieldsFlag === undefined ? 0 : Number(c2s.needKLFieldsFlag);
    return {
      security: securityOf(security),
      name: security.name,
      klList: page.map((b) => klineOf(security, b, fields)),
      nextReqKey: bars.length > max ? encodeCursor(bars[max].startMs) : undefined,
    };
  },

  Qot_RequestHistoryKLQuota: (ctx, _session, c2s) => {
    const detail = ctx.historyQuota.detail();
    return {
      usedQuota: detail.length,
      remainQuota: Math.max(0, ctx.historyQuota.quota - detail.length),
      detailList: c2s.bGetDetail
        ? detail.map((d) => {
          const [market, code] = d.symbol.split(".");
          const security = securityByCode(market as SimMarket, code)!;
          return {
            security: securityOf(security),
            name: security.name,
            requestTime: formatInstant(security.market, d.at).slice(0, 19),
            requestTimeStamp: String(Math.floor(d.at / 1000)),
          };
        })
        : [],
    };
  },

  Qot_GetRT: (ctx, session, c2s) => {
    const security = resolve(c2s.security);
    requireSubscription(session, ctx, security, "RT_DATA");
    return {
      security: securityOf(security),
      name: security.name,
      rtList: ctx.market.timeShare(security).map((p) => ({
        time: p.time,
        minute: p.minute,
        isBlank: false,
        price: p.price,
        lastClosePrice: p.lastClose,
        avgPrice: Math.round(p.avgPrice * 1000) / 1000,
        volume: String(p.volume),
        turnover: Math.round(p.turnover * 100) / 100,
      })),
    };
  },

  Qot_GetTicker: (ctx, session, c2s) => {
    const security = resolve(c2s.security);
    if (!(c2s.maxRetNum > 0 && c2s.maxRetNum <= 1000)) {
      fail(`maxRetNum must be between 1 and 1000, got ${c2s.maxRetNum}`);
    }
    requireSubscription(session, ctx, security, "TICKER");
    return {
      security: securityOf(security),
      name: security.name,
      tickerList: ctx.market.latestPrints(security, c2s.maxRetNum).map((p) => tickerOf(p)),
    };
  },

  Qot_GetOrderBook: (ctx, session, c2s) => {
    const security = resolve(c2s.security);
    if (!(c2s.num > 0 && c2s.num <= 10)) fail(`num must be between 1 and 10, got ${c2s.num}`);
    requireSubscription(session, ctx, security, "ORDER_BOOK");
    return orderBookOf(ctx, security, c2s.num);
  },

  Qot_GetBroker: (ctx, session, c2s) => {
    const security = resolve(c2s.security);
    requireSubscription(session, ctx, security, "BROKER");
    return brokerOf(ctx, security);
  },

  Qot_GetStaticInfo: (ctx, _session, c2s) => {
    if (c2s.securityList?.length) {
      return { staticInfoList: c2s.securityList.map(resolve).map((s) => staticInfoOf(ctx.market, s)) };
    }
    const market = c2s.market === undefined ? undefined : marketOfQotMarket(c2s.market);
    if (!market) fail("Either securityList or market is required");
    const list = SIM_SECURITIES.filter((s) => s.market === market).map((s) => staticInfoOf(ctx.market, s))
      .filter((info) => c2s.secType === undefined || c2s.secType === 0 || info.basic.secType === c2s.secType);
    return { staticInfoList: list };
  },

  Qot_GetSecuritySnapshot: (ctx, _session, c2s) => {
    const list = c2s.securityList ?? [];
    if (list.length === 0) fail("securityList must not be empty");
    if (list.length > 400) fail(`At most 400 securities per snapshot request, got ${list.length}`);
    return { snapshotList: list.map(resolve).map((s) => snapshotOf(ctx.market, s)) };
  },

  Qot_GetPlateSet: (_ctx, _session, c2s) => {
    const market = marketOfQotMarket(c2s.market);
    if (!market) fail(`Unknown market ${c2s.market}`);
    const setType = c2s.plateSetType;
    const typeValue = (t: string) =>
      t === "INDUSTRY"
        ? Qot_Common_PlateSetType.Industry
        : t === "REGION"
        ? Qot_Common_PlateSetType.Region
        : Qot_Common_PlateSetType.Concept;
    return {
      plateInfoList: SIM_PLATES.filter((p) => p.market === market)
        .filter((p) => setType === Qot_Common_PlateSetType.All || typeValue(p.setType) === setType)
        .map((p) => ({
          plate: { market: c2s.market, code: p.code },
          name: p.name,
          plateType: typeValue(p.setType),
        })),
    };
  },

  Qot_GetPlateSecurity: (ctx, _session, c2s) => {
    const market = marketOfQotMarket(c2s.plate.market);
    const plate = plateBySymbolOf(`${market}.${c2s.plate.code}`);
    if (!plate) fail(`Unknown plate ${market ?? c2s.plate.market}.${c2s.plate.code}`);
    const securities = plate.constituents.map((symbol) => {
      const [m, code] = symbol.split(".");
      return securityByCode(m as SimMarket, code)!;
    });
    return { staticInfoList: securities.map((s) => staticInfoOf(ctx.market, s)) };
  },

  Qot_GetMarketState: (ctx, _session, c2s) => {
    const now = ctx.market.clock.now();
    return {
      marketInfoList: (c2s.securityList ?? []).map(resolve).map((s) => ({
        security: securityOf(s),
        name: s.name,
        marketState: phaseState(s.market, now),
      })),
    };
  },

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
      const name = ["", "HKD", "USD", "CNH"][c2s.currency];
      if (!name) fail(`Unsupported currency ${c2s.currency}`);
      return name as "HKD" | "USD" | "CNH";
    })();
    const f = rule(() => ctx.trading.funds(account, currency));
    const code = (c: string) => ({ HKD: 1, USD: 2, CNH: 3 } as Record<string, number>)[c] ?? 0;
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
        currency: code(f.currency),
        availableFunds: round2(f.avlWithdrawalCash),
        unrealizedPL: round2(f.unrealizedPL),
        realizedPL: round2(f.realizedPL),
        maxPowerShort: round2(f.maxPowerShort),
        netCashPower: round2(f.cash - f.frozenCash),
        cashInfoList: f.cashByCurrency.map((c) => ({
          currency: code(c.currency),
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
            currency: ({ HKD: 1, USD: 2, CNH: 3 } as Record<string, number>)[currencyOf(position.security)],
            trdMarket: c2s.header.trdMarket,
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
        maxCashAndMarginBuy: account.spec.accType === "MARGIN" ? q.cashBuy * 2 : q.cashBuy,
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
      ctx.trading.todayOrders(account, headerMarket(c2s.header)),
      c2s.filterConditions,
      (o) => o,
      (o) => o.orderId,
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
      rule(() => ctx.trading.historyOrders(account, headerMarket(c2s.header), beginTime, endTime)),
      c2s.filterConditions,
      (o) => o,
      (o) => o.orderId,
    ).filter((o) => statuses.size === 0 || statuses.has(ORDER_STATUS.toWire(o.status)));
    return { header: c2s.header, orderList: orders.map(orderOf) };
  },

  Trd_GetOrderFillList: (ctx, _session, c2s) => {
    const account = accountOf(ctx, c2s.header);
    if (account.spec.env === "SIMULATE") {
      fail("Paper trading does not support fills (deals); read the order's fill quantity and average price instead");
    }
    const fills = filterTrades(
      ctx.trading.todayFills(account, headerMarket(c2s.header)),
      c2s.filterConditions,
      (f) => f.order,
      (f) => f.fillId,
    );
    return { header: c2s.header, orderFillList: fills.map(fillOf) };
  },

  Trd_GetHistoryOrderFillList: (ctx, _session, c2s) => {
    const account = accountOf(ctx, c2s.header);
    if (account.spec.env === "SIMULATE") fail("Paper trading does not support fills (deals)");
    const { beginTime, endTime } = c2s.filterConditions;
    if (!beginTime || !endTime) fail("filterConditions.beginTime and endTime are required for history queries");
    const fills = filterTrades(
      rule(() => ctx.trading.historyFills(account, headerMarket(c2s.header), beginTime, endTime)),
      c2s.filterConditions,
      (f) => f.order,
      (f) => f.fillId,
    );
    return { header: c2s.header, orderFillList: fills.map(fillOf) };
  },

  Trd_PlaceOrder: (ctx, session, c2s, serialNo) => {
    checkPacketId(ctx, session, c2s, serialNo);
    const account = accountOf(ctx, c2s.header);
    const trdMarket = headerMarket(c2s.header);
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
      const market = c2s.trdMarket === undefined ? undefined : TRD_MARKET.fromWire(c2s.trdMarket) as TrdMarketName;
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

/** Wire ticker of a print. */
export function tickerOf(
  p: { time: string; sequence: bigint; price: number; volume: number; direction: string; atMs: number },
) {
  return {
    time: p.time,
    sequence: p.sequence.toString(),
    dir: p.direction === "ASK" ? 2 : p.direction === "BID" ? 1 : 3,
    price: p.price,
    volume: String(p.volume),
    turnover: Math.round(p.price * p.volume * 100) / 100,
    type: 1,
    pushDataType: 1,
    timestamp: p.atMs / 1000,
    recvTime: p.atMs / 1000,
  };
}

/** Wire order book of a security. */
export function orderBookOf(ctx: SimContext, security: SimSecurity, depth: number): S2C<"Qot_GetOrderBook"> {
  const book = ctx.market.orderBook(security, depth);
  const level = (l: { price: number; volume: number; orders: number }) => ({
    price: l.price,
    volume: String(l.volume),
    orederCount: l.orders,
  });
  const now = formatInstant(security.market, ctx.market.clock.now());
  return {
    security: securityOf(security),
    name: security.name,
    orderBookAskList: book.asks.map(level),
    orderBookBidList: book.bids.map(level),
    svrRecvTimeBid: now,
    svrRecvTimeAsk: now,
  };
}

/** Wire broker queue of an HK security. */
export function brokerOf(ctx: SimContext, security: SimSecurity): S2C<"Qot_GetBroker"> {
  const queue = ctx.market.brokerQueue(security, HK_BROKERS);
  const entry = (b: { id: number; name: string; pos: number }) => ({ id: String(b.id), name: b.name, pos: b.pos });
  return {
    security: securityOf(security),
    name: security.name,
    brokerAskList: queue.asks.map(entry),
    brokerBidList: queue.bids.map(entry),
  };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** True for K-line subtypes. */
export function isKLineSubType(subType: SubTypeName): subType is BarPeriod {
  return subType.startsWith("K_");
}
