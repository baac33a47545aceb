/**
 * Quote request handlers of the simulated OpenD (Qot_*): subscriptions and
 * push registration, the real-time getters (which need a subscription on the
 * same connection), history K-lines with their quota and page cursor, static
 * data, snapshots, plates and market states; plus the wire order book,
 * broker queue and ticker the server's pushes reuse.
 *
 * @module
 */
import { KL_TYPE, SUB_TYPE, type SubTypeName } from "../gateway/enums.ts";
import type { S2C } from "../gateway/proto/codec.ts";
import { Qot_Common_PlateSetType, type Qot_Common_Security } from "../gateway/proto/messages.ts";
import { marketOfQotMarket } from "../gateway/symbols.ts";
import { fail, phaseState, resolve, rule } from "./_handler_common.ts";
import { type BarPeriod, lookbackMs } from "./bars.ts";
import { type Rehab, rehabOfWire } from "./corporate_actions.ts";
import {
  HK_BROKERS,
  plateBySymbolOf,
  securityByCode,
  SIM_PLATES,
  SIM_SECURITIES,
  type SimSecurity,
} from "./catalog.ts";
import { formatInstant, type SimMarket, utcOf as utcOfMarket } from "./clock.ts";
import type { HandlerTable, SimContext } from "./handlers.ts";
import type { SimSession } from "./session.ts";
import { basicQotOf, klineOf, securityOf, snapshotOf, staticInfoOf } from "./wire.ts";

/** Pair key of a (security, subtype). */
function pairKey(security: SimSecurity, subType: SubTypeName): string {
  return `${security.symbol}|${subType}`;
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

function rehabOf(rehabType: number): Rehab {
  return rehabOfWire(rehabType) ?? fail(`Unknown rehabType ${rehabType}`);
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

/** The quote handlers, by protocol. */
export const QUOTE_HANDLERS: HandlerTable = {
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
      rehab: rehabOf(c2s.rehabType),
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
    const bars = ctx.market.bars(security, period, from, end, max + 1, { rehab: rehabOf(c2s.rehabType) });
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
