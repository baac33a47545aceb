/**
 * Typed quote calls over OpenD: symbols as "HK.00700", enums by name, numbers
 * as numbers, 64-bit ids as strings. It also remembers every subscription it
 * made so that the client can replay them after a reconnect.
 *
 * @example
 * ```ts
 * import { OpenDClient } from "./client.ts";
 * import { QuoteApi } from "./quote_api.ts";
 * const client = await OpenDClient.connect({ gateway: "127.0.0.1:11111" });
 * const quote = new QuoteApi(client);
 * await quote.subscribe(["HK.00700"], ["QUOTE"]);
 * const [tencent] = await quote.getBasicQot(["HK.00700"]);
 * console.log(tencent.curPrice);
 * ```
 *
 * @module
 */
import type { OpenDClient } from "./client.ts";
import type { OpenDConnection } from "./connection.ts";
import {
  KL_TYPE,
  type KLTypeName,
  MARKET_STATE,
  PLATE_SET_TYPE,
  type PlateSetTypeName,
  REHAB_TYPE,
  type RehabTypeName,
  SECURITY_TYPE,
  SESSION,
  type SessionName,
  SUB_TYPE,
  type SubTypeName,
  TICKER_DIRECTION,
  WARRANT_TYPE,
} from "./enums.ts";
import type {
  Qot_Common_BasicQot,
  Qot_Common_KLine,
  Qot_Common_OrderBook,
  Qot_Common_PreAfterMarketData,
  Qot_Common_SecurityStaticInfo,
  Qot_Common_Ticker,
  Qot_Common_TimeShare,
  Qot_GetSecuritySnapshot_Snapshot,
  Qot_Sub_C2S,
} from "./proto/messages.ts";
import { formatSymbol, type MarketPrefix, parseSymbol, qotMarketOf, toSecurity } from "./symbols.ts";

/** Real-time quote of one security (`Qot_Common.BasicQot`). */
export interface BasicQuote {
  symbol: string;
  name?: string;
  curPrice: number;
  openPrice: number;
  highPrice: number;
  lowPrice: number;
  lastClosePrice: number;
  volume: number;
  turnover: number;
  turnoverRate: number;
  amplitude: number;
  priceSpread: number;
  isSuspended: boolean;
  /** Market-local "YYYY-MM-DD HH:MM:SS". */
  updateTime: string;
  updateTimestamp?: number;
  listTime: string;
  preMarket?: ExtendedHoursQuote;
  afterMarket?: ExtendedHoursQuote;
}

/** US pre/after-market figures. */
export interface ExtendedHoursQuote {
  price?: number;
  highPrice?: number;
  lowPrice?: number;
  volume?: number;
  turnover?: number;
  changeVal?: number;
  changeRate?: number;
  amplitude?: number;
}

/** One candle. Absent fields were not requested or not available. */
export interface KLine {
  /** Market-local "YYYY-MM-DD HH:MM:SS". */
  time: string;
  open?: number;
  high?: number;
  low?: number;
  close?: number;
  lastClose?: number;
  volume?: number;
  turnover?: number;
  turnoverRate?: number;
  pe?: number;
  changeRate?: number;
  timestamp?: number;
}

/** Candles of one security. */
export interface KLineSeries {
  symbol: string;
  name?: string;
  klType: KLTypeName;
  rehab: RehabTypeName;
  klines: KLine[];
  /** Opaque key of the next page (history requests), base64. Absent on the last page. */
  nextPageKey?: string;
}

/** One level of the order book. */
export interface BookLevel {
  price: number;
  volume: number;
  orderCount: number;
}

/** Order book of one security. */
export interface OrderBookSnapshot {
  symbol: string;
  name?: string;
  asks: BookLevel[];
  bids: BookLevel[];
  svrRecvTimeBid?: string;
  svrRecvTimeAsk?: string;
}

/** One trade print. */
export interface Tick {
  time: string;
  /** Sequence number (64-bit) as a string. */
  sequence: string;
  direction: string;
  price: number;
  volume: number;
  turnover: number;
  timestamp?: number;
}

/** Trade prints of one security. */
export interface TickerSeries {
  symbol: string;
  name?: string;
  ticks: Tick[];
}

/** One point of the intraday time series. */
export interface RtPoint {
  time: string;
  minute: number;
  price?: number;
  lastClosePrice?: number;
  avgPrice?: number;
  volume?: number;
  turnover?: number;
  timestamp?: number;
}

/** Intraday series of one security. */
export interface RtSeries {
  symbol: string;
  name?: string;
  points: RtPoint[];
}

/** Static information of a security. */
export interface StaticInfo {
  symbol: string;
  /** Futu's 64-bit security id, as a string. */
  id: string;
  name: string;
  lotSize: number;
  secType: string;
  listTime: string;
  delisting?: boolean;
  warrant?: { type: string; owner: string };
  option?: { type: string; owner: string; strikeTime: string; strikePrice: number; suspended: boolean };
  future?: { lastTradeTime: string; isMainContract: boolean };
}

/** Market snapshot of a security (`Qot_GetSecuritySnapshot`). */
export interface Snapshot {
  symbol: string;
  name?: string;
  secType: string;
  isSuspended: boolean;
  lotSize: number;
  priceSpread: number;
  updateTime: string;
  curPrice: number;
  openPrice: number;
  highPrice: number;
  lowPrice: number;
  lastClosePrice: number;
  volume: number;
  turnover: number;
  turnoverRate: number;
  amplitude?: number;
  avgPrice?: number;
  askPrice?: number;
  bidPrice?: number;
  askVol?: number;
  bidVol?: number;
  highest52WeeksPrice?: number;
  lowest52WeeksPrice?: number;
  highestHistoryPrice?: number;
  lowestHistoryPrice?: number;
  volumeRatio?: number;
  bidAskRatio?: number;
  equity?: {
    issuedShares: number;
    issuedMarketVal: number;
    outstandingShares: number;
    outstandingMarketVal: number;
    peRate: number;
    pbRate: number;
    peTTMRate: number;
    earningsPershare: number;
    netAssetPershare: number;
    dividendTTM?: number;
    dividendRatioTTM?: number;
  };
  warrant?: {
    warrantType: string;
    owner: string;
    strikePrice: number;
    maturityTime: string;
    conversionRate: number;
    premium: number;
    impliedVolatility: number;
    delta: number;
    leverage?: number;
  };
  option?: {
    type: string;
    owner: string;
    strikeTime: string;
    strikePrice: number;
    contractSize: number;
    openInterest: number;
    impliedVolatility: number;
    premium: number;
    delta: number;
    gamma: number;
    vega: number;
    theta: number;
    rho: number;
  };
  index?: { raiseCount: number; fallCount: number; equalCount: number };
}

/** One entry of the HK broker queue. */
export interface BrokerEntry {
  /** Broker id (64-bit) as a string. */
  id: string;
  name: string;
  /** Queue position (level). */
  pos: number;
}

/** HK broker queue of a security. */
export interface BrokerQueue {
  symbol: string;
  name?: string;
  asks: BrokerEntry[];
  bids: BrokerEntry[];
}

/** A plate (sector). */
export interface Plate {
  /** Plate code as a symbol, e.g. "HK.BK1001". */
  plate: string;
  name: string;
  plateType?: string;
}

/** Market state of a security. */
export interface MarketStateInfo {
  symbol: string;
  name: string;
  state: string;
}

/** Subscriptions as OpenD reports them. */
export interface SubscriptionInfo {
  totalUsedQuota: number;
  remainQuota: number;
  connections: {
    usedQuota: number;
    isOwnConnection: boolean;
    subscriptions: { subType: string; symbols: string[] }[];
  }[];
}

/** Usage of the 30-day history K-line quota. */
export interface HistoryKLQuota {
  usedQuota: number;
  remainQuota: number;
  detail: { symbol: string; name?: string; requestTime: string }[];
}

/** Options of {@link QuoteApi.subscribe}. */
export interface SubscribeOptions {
  /** Also register pushes for these pairs. Default true, like the SDK. */
  push?: boolean;
  /** Push the current data once right after registering. Default true. */
  firstPush?: boolean;
  /** US pre/post-market data for K-line, RT and ticker. */
  extendedTime?: boolean;
  session?: SessionName;
}

/** Options of {@link QuoteApi.requestHistoryKL}. */
export interface HistoryKLOptions {
  /** "YYYY-MM-DD" or "YYYY-MM-DD HH:MM:SS", market-local. */
  begin: string;
  end: string;
  rehab?: RehabTypeName;
  /** Rows per page (≤ 1000). */
  maxPerPage?: number;
  /** Key returned by the previous page. */
  pageKey?: string;
  extendedTime?: boolean;
}

interface TrackedSubscription {
  symbol: string;
  subType: SubTypeName;
  push: boolean;
  extendedTime: boolean;
  session?: SessionName;
}

const SUB_BATCH = 100;

function num(value: string | number | undefined): number | undefined {
  return value === undefined ? undefined : Number(value);
}

function preAfter(data: Qot_Common_PreAfterMarketData | undefined): ExtendedHoursQuote | undefined {
  if (!data) return undefined;
  return {
    price: data.price,
    highPrice: data.highPrice,
    lowPrice: data.lowPrice,
    volume: num(data.volume),
    turnover: data.turnover,
    changeVal: data.changeVal,
    changeRate: data.changeRate,
    amplitude: data.amplitude,
  };
}

/** Converts a wire `BasicQot`. */
export function toBasicQuote(q: Qot_Common_BasicQot): BasicQuote {
  return {
    symbol: formatSymbol(q.security),
    name: q.name,
    curPrice: q.curPrice,
    openPrice: q.openPrice,
    highPrice: q.highPrice,
    lowPrice: q.lowPrice,
    lastClosePrice: q.lastClosePrice,
    volume: Number(q.volume),
    turnover: q.turnover,
    turnoverRate: q.turnoverRate,
    amplitude: q.amplitude,
    priceSpread: q.priceSpread,
    isSuspended: q.isSuspended,
    updateTime: q.updateTime,
    updateTimestamp: q.updateTimestamp,
    listTime: q.listTime,
    preMarket: preAfter(q.preMarket),
    afterMarket: preAfter(q.afterMarket),
  };
}

/** Converts wire K-lines, dropping blank rows. */
export function toKLines(list: Qot_Common_KLine[] | undefined): KLine[] {
  const out: KLine[] = [];
  for (const k of list ?? []) {
    if (k.isBlank) continue;
    out.push({
      time: k.time,
      open: k.openPrice,
      high: k.highPrice,
      low: k.lowPrice,
      close: k.closePrice,
      lastClose: k.lastClosePrice,
      volume: num(k.volume),
      turnover: k.turnover,
      turnoverRate: k.turnoverRate,
      pe: k.pe,
      changeRate: k.changeRate,
      timestamp: k.timestamp,
    });
  }
  return out;
}

function toLevels(list: Qot_Common_OrderBook[] | undefined): BookLevel[] {
  return (list ?? []).map((l) => ({ price: l.price, volume: Number(l.volume), orderCount: l.orederCount }));
}

/** Converts wire ticks. */
export function toTicks(list: Qot_Common_Ticker[] | undefined): Tick[] {
  return (list ?? []).map((t) => ({
    time: t.time,
    sequence: t.sequence,
    direction: TICKER_DIRECTION.fromWire(t.dir),
    price: t.price,
    volume: Number(t.volume),
    turnover: t.turnover,
    timestamp: t.timestamp,
  }));
}

/** Converts wire time-share points, dropping blank ones. */
export function toRtPoints(list: Qot_Common_TimeShare[] | undefined): RtPoint[] {
  const out: RtPoint[] = [];
  for (const p of list ?? []) {
    if (p.isBlank) continue;
    out.push({
      time: p.time,
      minute: p.minute,
      price: p.price,
      lastClosePrice: p.lastClosePrice,
      avgPrice: p.avgPrice,
      volume: num(p.volume),
      turnover: p.turnover,
      timestamp: p.timestamp,
    });
  }
  return out;
}

function toStaticInfo(info: Qot_Common_SecurityStaticInfo): StaticInfo {
  const b = info.basic;
  return {
    symbol: formatSymbol(b.security),
    id: b.id,
    name: b.name,
    lotSize: b.lotSize,
    secType: SECURITY_TYPE.fromWire(b.secType),
    listTime: b.listTime,
    delisting: b.delisting,
    warrant: info.warrantExData
      ? { type: WARRANT_TYPE.fromWire(info.warrantExData.type), owner: formatSymbol(info.warrantExData.owner) }
      : undefined,
    option: info.optionExData
      ? {
        type: info.optionExData.type === 1 ? "CALL" : info.optionExData.type === 2 ? "PUT" : "UNKNOWN",
        owner: formatSymbol(info.optionExData.owner),
        strikeTime: info.optionExData.strikeTime,
        strikePrice: info.optionExData.strikePrice,
        suspended: info.optionExData.suspend,
      }
      : undefined,
    future: info.futureExData
      ? { lastTradeTime: info.futureExData.lastTradeTime, isMainContract: info.futureExData.isMainContract }
      : undefined,
  };
}

function toSnapshot(s: Qot_GetSecuritySnapshot_Snapshot): Snapshot {
  const b = s.basic;
  const e = s.equityExData;
  const w = s.warrantExData;
  const o = s.optionExData;
  return {
    symbol: formatSymbol(b.security),
    name: b.name,
    secType: SECURITY_TYPE.fromWire(b.type),
    isSuspended: b.isSuspend,
    lotSize: b.lotSize,
    priceSpread: b.priceSpread,
    updateTime: b.updateTime,
    curPrice: b.curPrice,
    openPrice: b.openPrice,
    highPrice: b.highPrice,
    lowPrice: b.lowPrice,
    lastClosePrice: b.lastClosePrice,
    volume: Number(b.volume),
    turnover: b.turnover,
    turnoverRate: b.turnoverRate,
    amplitude: b.amplitude,
    avgPrice: b.avgPrice,
    askPrice: b.askPrice,
    bidPrice: b.bidPrice,
    askVol: num(b.askVol),
    bidVol: num(b.bidVol),
    highest52WeeksPrice: b.highest52WeeksPrice,
    lowest52WeeksPrice: b.lowest52WeeksPrice,
    highestHistoryPrice: b.highestHistoryPrice,
    lowestHistoryPrice: b.lowestHistoryPrice,
    volumeRatio: b.volumeRatio,
    bidAskRatio: b.bidAskRatio,
    equity: e
      ? {
        issuedShares: Number(e.issuedShares),
        issuedMarketVal: e.issuedMarketVal,
        outstandingShares: Number(e.outstandingShares),
        outstandingMarketVal: e.outstandingMarketVal,
        peRate: e.peRate,
        pbRate: e.pbRate,
        peTTMRate: e.peTTMRate,
        earningsPershare: e.earningsPershare,
        netAssetPershare: e.netAssetPershare,
        dividendTTM: e.dividendTTM,
        dividendRatioTTM: e.dividendRatioTTM,
      }
      : undefined,
    warrant: w
      ? {
        warrantType: WARRANT_TYPE.fromWire(w.warrantType),
        owner: formatSymbol(w.owner),
        strikePrice: w.strikePrice,
        maturityTime: w.maturityTime,
        conversionRate: w.conversionRate,
        premium: w.premium,
        impliedVolatility: w.impliedVolatility,
        delta: w.delta,
        leverage: w.leverage,
      }
      : undefined,
    option: o
      ? {
        type: o.type === 1 ? "CALL" : o.type === 2 ? "PUT" : "UNKNOWN",
        owner: formatSymbol(o.owner),
        strikeTime: o.strikeTime,
        strikePrice: o.strikePrice,
        contractSize: o.contractSize,
        openInterest: o.openInterest,
        impliedVolatility: o.impliedVolatility,
        premium: o.premium,
        delta: o.delta,
        gamma: o.gamma,
        vega: o.vega,
        theta: o.theta,
        rho: o.rho,
      }
      : undefined,
    index: s.indexExData
      ? {
        raiseCount: s.indexExData.raiseCount,
        fallCount: s.indexExData.fallCount,
        equalCount: s.indexExData.equalCount,
      }
      : undefined,
  };
}

function base64(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    throw new Error(`invalid page key ${JSON.stringify(text)}: not base64`);
  }
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** See the module documentation. */
export class QuoteApi {
  readonly #client: OpenDClient;
  readonly #tracked = new Map<string, TrackedSubscription>();

  constructor(client: OpenDClient) {
    this.#client = client;
    client.onReconnect((connection) => this.#replay(connection));
  }

  /** Subscriptions this client holds, as (symbol, subType) pairs. */
  get subscriptions(): { symbol: string; subType: SubTypeName; push: boolean }[] {
    return [...this.#tracked.values()].map(({ symbol, subType, push }) => ({ symbol, subType, push }));
  }

  /** Subscribes (and by default registers pushes for) every symbol × subType pair. */
  async subscribe(symbols: string[], subTypes: SubTypeName[], options: SubscribeOptions = {}): Promise<void> {
    const parsed = symbols.map((s) => parseSymbol(s));
    const push = options.push ?? true;
    await this.#client.request("Qot_Sub", {
      securityList: parsed.map(toSecurity),
      subTypeList: subTypes.map((t) => SUB_TYPE.toWire(t)),
      isSubOrUnSub: true,
      isRegOrUnRegPush: push,
      isFirstPush: options.firstPush ?? true,
      extendedTime: options.extendedTime,
      session: options.session === undefined ? undefined : SESSION.toWire(options.session),
    });
    for (const p of parsed) {
      for (const subType of subTypes) {
        this.#tracked.set(`${p.symbol}|${subType}`, {
          symbol: p.symbol,
          subType,
          push,
          extendedTime: options.extendedTime ?? false,
          session: options.session,
        });
      }
    }
  }

  /** Unsubscribes pairs. OpenD refuses within 60 s of subscribing. */
  async unsubscribe(symbols: string[], subTypes: SubTypeName[]): Promise<void> {
    const parsed = symbols.map((s) => parseSymbol(s));
    await this.#client.request("Qot_Sub", {
      securityList: parsed.map(toSecurity),
      subTypeList: subTypes.map((t) => SUB_TYPE.toWire(t)),
      isSubOrUnSub: false,
      isRegOrUnRegPush: false,
    });
    for (const p of parsed) for (const subType of subTypes) this.#tracked.delete(`${p.symbol}|${subType}`);
  }

  /** Drops every subscription of this connection. */
  async unsubscribeAll(): Promise<void> {
    await this.#client.request("Qot_Sub", { isSubOrUnSub: false, isUnsubAll: true });
    this.#tracked.clear();
  }

  /** Registers or unregisters pushes for already subscribed pairs. */
  async registerPush(symbols: string[], subTypes: SubTypeName[], register: boolean): Promise<void> {
    const parsed = symbols.map((s) => parseSymbol(s));
    await this.#client.request("Qot_RegQotPush", {
      securityList: parsed.map(toSecurity),
      subTypeList: subTypes.map((t) => SUB_TYPE.toWire(t)),
      isRegOrUnReg: register,
      isFirstPush: false,
    });
    for (const p of parsed) {
      for (const subType of subTypes) {
        const tracked = this.#tracked.get(`${p.symbol}|${subType}`);
        if (tracked) tracked.push = register;
      }
    }
  }

  /** Subscriptions and quota as OpenD reports them. */
  async getSubInfo(allConnections = false): Promise<SubscriptionInfo> {
    const s2c = await this.#client.request("Qot_GetSubInfo", { isReqAllConn: allConnections });
    return {
      totalUsedQuota: s2c.totalUsedQuota,
      remainQuota: s2c.remainQuota,
      connections: (s2c.connSubInfoList ?? []).map((c) => ({
        usedQuota: c.usedQuota,
        isOwnConnection: c.isOwnConnData,
        subscriptions: (c.subInfoList ?? []).map((i) => ({
          subType: SUB_TYPE.fromWire(i.subType),
          symbols: (i.securityList ?? []).map(formatSymbol),
        })),
      })),
    };
  }

  /** Real-time quotes; each symbol needs a QUOTE subscription. */
  async getBasicQot(symbols: string[]): Promise<BasicQuote[]> {
    const s2c = await this.#client.request("Qot_GetBasicQot", { securityList: symbols.map(toSecurity) });
    return (s2c.basicQotList ?? []).map(toBasicQuote);
  }

  /** Snapshots (no subscription needed; ≤ 400 symbols per call). */
  async getSnapshot(symbols: string[]): Promise<Snapshot[]> {
    const s2c = await this.#client.request("Qot_GetSecuritySnapshot", { securityList: symbols.map(toSecurity) });
    return (s2c.snapshotList ?? []).map(toSnapshot);
  }

  /** The latest `count` (≤ 1000) candles; needs a subscription of that K-line type. */
  async getKL(
    symbol: string,
    klType: KLTypeName,
    count: number,
    rehab: RehabTypeName = "FORWARD",
  ): Promise<KLineSeries> {
    const s2c = await this.#client.request("Qot_GetKL", {
      rehabType: REHAB_TYPE.toWire(rehab),
      klType: KL_TYPE.toWire(klType),
      security: toSecurity(symbol),
      reqNum: count,
    });
    return { symbol: formatSymbol(s2c.security), name: s2c.name, klType, rehab, klines: toKLines(s2c.klList) };
  }

  /** One page of history candles (uses the 30-day history quota; no subscription needed). */
  async requestHistoryKL(symbol: string, klType: KLTypeName, options: HistoryKLOptions): Promise<KLineSeries> {
    const rehab = options.rehab ?? "FORWARD";
    const s2c = await this.#client.request("Qot_RequestHistoryKL", {
      rehabType: REHAB_TYPE.toWire(rehab),
      klType: KL_TYPE.toWire(klType),
      security: toSecurity(symbol),
      beginTime: withTime(options.begin, "00:00:00"),
      endTime: withTime(options.end, "23:59:59"),
      maxAckKLNum: options.maxPerPage,
      nextReqKey: options.pageKey === undefined ? undefined : fromBase64(options.pageKey),
      extendedTime: options.extendedTime,
    });
    return {
      symbol: formatSymbol(s2c.security),
      name: s2c.name,
      klType,
      rehab,
      klines: toKLines(s2c.klList),
      nextPageKey: s2c.nextReqKey && s2c.nextReqKey.length > 0 ? base64(s2c.nextReqKey) : undefined,
    };
  }

  /**
   * Fetches history candles across pages until `maxCount` rows or the end.
   * `onPage` reports progress (rows so far).
   */
  async requestHistoryKLAll(
    symbol: string,
    klType: KLTypeName,
    options: Omit<HistoryKLOptions, "pageKey"> & { maxCount?: number; onPage?: (rows: number) => void },
  ): Promise<KLineSeries> {
    const maxCount = options.maxCount ?? Infinity;
    let pageKey: string | undefined;
    let result: KLineSeries | undefined;
    do {
      const remaining = maxCount - (result?.klines.length ?? 0);
      const page = await this.requestHistoryKL(symbol, klType, {
        ...options,
        pageKey,
        maxPerPage: Math.min(options.maxPerPage ?? 1000, remaining),
      });
      if (result) result.klines.push(...page.klines);
      else result = { ...page, klines: [...page.klines] };
      result.nextPageKey = page.nextPageKey;
      pageKey = page.nextPageKey;
      options.onPage?.(result.klines.length);
    } while (pageKey !== undefined && result.klines.length < maxCount);
    return result;
  }

  /** Usage of the 30-day history K-line quota. */
  async getHistoryKLQuota(detail = false): Promise<HistoryKLQuota> {
    const s2c = await this.#client.request("Qot_RequestHistoryKLQuota", { bGetDetail: detail });
    return {
      usedQuota: s2c.usedQuota,
      remainQuota: s2c.remainQuota,
      detail: (s2c.detailList ?? []).map((d) => ({
        symbol: formatSymbol(d.security),
        name: d.name,
        requestTime: d.requestTime,
      })),
    };
  }

  /** Order book up to `depth` (≤ 10) levels; needs an ORDER_BOOK subscription. */
  async getOrderBook(symbol: string, depth = 10): Promise<OrderBookSnapshot> {
    const s2c = await this.#client.request("Qot_GetOrderBook", { security: toSecurity(symbol), num: depth });
    return {
      symbol: formatSymbol(s2c.security),
      name: s2c.name,
      asks: toLevels(s2c.orderBookAskList),
      bids: toLevels(s2c.orderBookBidList),
      svrRecvTimeBid: s2c.svrRecvTimeBid,
      svrRecvTimeAsk: s2c.svrRecvTimeAsk,
    };
  }

  /** The latest `count` (≤ 1000) trade prints; needs a TICKER subscription. */
  async getTicker(symbol: string, count: number): Promise<TickerSeries> {
    const s2c = await this.#client.request("Qot_GetTicker", { security: toSecurity(symbol), maxRetNum: count });
    return { symbol: formatSymbol(s2c.security), name: s2c.name, ticks: toTicks(s2c.tickerList) };
  }

  /** Today's intraday series; needs an RT_DATA subscription. */
  async getRT(symbol: string): Promise<RtSeries> {
    const s2c = await this.#client.request("Qot_GetRT", { security: toSecurity(symbol) });
    return { symbol: formatSymbol(s2c.security), name: s2c.name, points: toRtPoints(s2c.rtList) };
  }

  /** Static information of securities. */
  async getStaticInfo(symbols: string[]): Promise<StaticInfo[]> {
    const s2c = await this.#client.request("Qot_GetStaticInfo", { securityList: symbols.map(toSecurity) });
    return (s2c.staticInfoList ?? []).map(toStaticInfo);
  }

  /** Static information of every security of a market, optionally of one type (e.g. "EQTY"). */
  async listSecurities(market: MarketPrefix, secType?: string): Promise<StaticInfo[]> {
    const s2c = await this.#client.request("Qot_GetStaticInfo", {
      market: qotMarketOf(market),
      secType: secType === undefined ? undefined : SECURITY_TYPE.toWire(SECURITY_TYPE.parse(secType)),
    });
    return (s2c.staticInfoList ?? []).map(toStaticInfo);
  }

  /** HK broker queue; needs a BROKER subscription. */
  async getBroker(symbol: string): Promise<BrokerQueue> {
    const s2c = await this.#client.request("Qot_GetBroker", { security: toSecurity(symbol) });
    const entries = (list: typeof s2c.brokerAskList) =>
      (list ?? []).map((b) => ({ id: b.id, name: b.name, pos: b.pos }));
    return {
      symbol: formatSymbol(s2c.security),
      name: s2c.name,
      asks: entries(s2c.brokerAskList),
      bids: entries(s2c.brokerBidList),
    };
  }

  /** Plates of a market. */
  async getPlateSet(market: MarketPrefix, plateSetType: PlateSetTypeName = "ALL"): Promise<Plate[]> {
    const s2c = await this.#client.request("Qot_GetPlateSet", {
      market: qotMarketOf(market),
      plateSetType: PLATE_SET_TYPE.toWire(plateSetType),
    });
    return (s2c.plateInfoList ?? []).map((p) => ({
      plate: formatSymbol(p.plate),
      name: p.name,
      plateType: p.plateType === undefined ? undefined : PLATE_SET_TYPE.fromWire(p.plateType),
    }));
  }

  /** Constituents of a plate, e.g. "HK.BK1001". */
  async getPlateSecurity(plate: string): Promise<StaticInfo[]> {
    const s2c = await this.#client.request("Qot_GetPlateSecurity", { plate: toSecurity(plate) });
    return (s2c.staticInfoList ?? []).map(toStaticInfo);
  }

  /** Market state of each security's market. */
  async getMarketState(symbols: string[]): Promise<MarketStateInfo[]> {
    const s2c = await this.#client.request("Qot_GetMarketState", { securityList: symbols.map(toSecurity) });
    return (s2c.marketInfoList ?? []).map((m) => ({
      symbol: formatSymbol(m.security),
      name: m.name,
      state: MARKET_STATE.fromWire(m.marketState),
    }));
  }

  /** Quote pushes (`Qot_UpdateBasicQot`). Returns the unsubscribe function. */
  onBasicQuote(handler: (quote: BasicQuote) => void): () => void {
    return this.#client.onPush("Qot_UpdateBasicQot", (s2c) => {
      for (const q of s2c.basicQotList ?? []) handler(toBasicQuote(q));
    });
  }

  /** K-line pushes (`Qot_UpdateKL`). */
  onKLine(handler: (series: KLineSeries) => void): () => void {
    return this.#client.onPush("Qot_UpdateKL", (s2c) =>
      handler({
        symbol: formatSymbol(s2c.security),
        name: s2c.name,
        klType: KL_TYPE.parse(s2c.klType),
        rehab: REHAB_TYPE.parse(s2c.rehabType),
        klines: toKLines(s2c.klList),
      }));
  }

  /** Ticker pushes (`Qot_UpdateTicker`). */
  onTicker(handler: (series: TickerSeries) => void): () => void {
    return this.#client.onPush(
      "Qot_UpdateTicker",
      (s2c) => handler({ symbol: formatSymbol(s2c.security), name: s2c.name, ticks: toTicks(s2c.tickerList) }),
    );
  }

  /** Order book pushes (`Qot_UpdateOrderBook`). */
  onOrderBook(handler: (book: OrderBookSnapshot) => void): () => void {
    return this.#client.onPush("Qot_UpdateOrderBook", (s2c) =>
      handler({
        symbol: formatSymbol(s2c.security),
        name: s2c.name,
        asks: toLevels(s2c.orderBookAskList),
        bids: toLevels(s2c.orderBookBidList),
      }));
  }

  /** Intraday pushes (`Qot_UpdateRT`). */
  onRT(handler: (series: RtSeries) => void): () => void {
    return this.#client.onPush(
      "Qot_UpdateRT",
      (s2c) => handler({ symbol: formatSymbol(s2c.security), name: s2c.name, points: toRtPoints(s2c.rtList) }),
    );
  }

  /** Broker queue pushes (`Qot_UpdateBroker`). */
  onBroker(handler: (queue: BrokerQueue) => void): () => void {
    return this.#client.onPush("Qot_UpdateBroker", (s2c) =>
      handler({
        symbol: formatSymbol(s2c.security),
        name: s2c.name,
        asks: (s2c.brokerAskList ?? []).map((b) => ({ id: b.id, name: b.name, pos: b.pos })),
        bids: (s2c.brokerBidList ?? []).map((b) => ({ id: b.id, name: b.name, pos: b.pos })),
      }));
  }

  /** Re-subscribes everything after a reconnect, 100 securities per request like the SDK. */
  async #replay(connection: OpenDConnection): Promise<void> {
    const groups = new Map<string, { request: Omit<Qot_Sub_C2S, "securityList">; symbols: string[] }>();
    for (const t of this.#tracked.values()) {
      const key = `${t.subType}|${t.push}|${t.extendedTime}|${t.session ?? ""}`;
      let group = groups.get(key);
      if (!group) {
        group = {
          request: {
            subTypeList: [SUB_TYPE.toWire(t.subType)],
            isSubOrUnSub: true,
            isRegOrUnRegPush: t.push,
            isFirstPush: true,
            extendedTime: t.extendedTime,
            session: t.session === undefined ? undefined : SESSION.toWire(t.session),
          },
          symbols: [],
        };
        groups.set(key, group);
      }
      group.symbols.push(t.symbol);
    }
    const failures: string[] = [];
    for (const group of groups.values()) {
      for (let i = 0; i < group.symbols.length; i += SUB_BATCH) {
        const batch = group.symbols.slice(i, i + SUB_BATCH);
        try {
          await connection.request("Qot_Sub", { ...group.request, securityList: batch.map(toSecurity) });
        } catch (err) {
          const subType = SUB_TYPE.fromWire(group.request.subTypeList![0]);
          for (const symbol of batch) this.#tracked.delete(`${symbol}|${subType}`);
          failures.push(`${subType} ${batch.join(",")}: ${(err as Error).message}`);
        }
      }
    }
    if (failures.length > 0) throw new Error(`could not re-subscribe ${failures.join("; ")}`);
  }
}

function withTime(date: string, time: string): string {
  const text = date.trim();
  return /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text} ${time}` : text;
}
