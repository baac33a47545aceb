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
import { onPushOf } from "./_push.ts";
import {
  base64,
  fromBase64,
  toBasicQuote,
  toBrokerQueue,
  toKLines,
  toLevels,
  toRtSeries,
  toSnapshot,
  toStaticInfo,
  toTickerSeries,
} from "./_quote_convert.ts";
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
} from "./enums.ts";
import { afterRequest, throwIfCancelled } from "./long_read.ts";
import type { Qot_Sub_C2S } from "./proto/messages.ts";
import type {
  BasicQuote,
  BrokerQueue,
  HistoryKLOptions,
  HistoryKLQuota,
  KLineSeries,
  MarketStateInfo,
  OrderBookSnapshot,
  Plate,
  RtSeries,
  Snapshot,
  StaticInfo,
  SubscribeOptions,
  SubscriptionInfo,
  TickerSeries,
} from "./quote_types.ts";
import { formatSymbol, type MarketPrefix, parseSymbol, qotMarketOf, toSecurity } from "./symbols.ts";

interface TrackedSubscription {
  symbol: string;
  subType: SubTypeName;
  push: boolean;
  extendedTime: boolean;
  session?: SessionName;
}

const SUB_BATCH = 100;

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
   * `onPage` reports progress (rows so far); an aborted `signal` stops the
   * loop (an `AbortError`) before the next page is asked for, and drops a page
   * that arrives after it.
   */
  async requestHistoryKLAll(
    symbol: string,
    klType: KLTypeName,
    options: Omit<HistoryKLOptions, "pageKey"> & {
      maxCount?: number;
      onPage?: (rows: number) => void;
      signal?: AbortSignal;
    },
  ): Promise<KLineSeries> {
    const { maxCount = Infinity, onPage, signal, ...request } = options;
    let pageKey: string | undefined;
    let result: KLineSeries | undefined;
    do {
      throwIfCancelled(signal);
      const remaining = maxCount - (result?.klines.length ?? 0);
      const page = await this.requestHistoryKL(symbol, klType, {
        ...request,
        pageKey,
        maxPerPage: Math.min(request.maxPerPage ?? 1000, remaining),
      });
      if (result) result.klines.push(...page.klines);
      else result = { ...page, klines: [...page.klines] };
      result.nextPageKey = page.nextPageKey;
      pageKey = page.nextPageKey;
      afterRequest({ signal, progress: onPage }, result.klines.length);
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
    return toTickerSeries(s2c);
  }

  /** Today's intraday series; needs an RT_DATA subscription. */
  async getRT(symbol: string): Promise<RtSeries> {
    const s2c = await this.#client.request("Qot_GetRT", { security: toSecurity(symbol) });
    return toRtSeries(s2c);
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
    return toBrokerQueue(s2c);
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

  /** Quote pushes (`Qot_UpdateBasicQot`), one call per security. Returns the unsubscribe function. */
  onBasicQuote(handler: (quote: BasicQuote) => void): () => void {
    return onPushOf(
      this.#client,
      "Qot_UpdateBasicQot",
      handler,
      (s2c) => (s2c.basicQotList ?? []).values().map(toBasicQuote),
    );
  }

  /** K-line pushes (`Qot_UpdateKL`). */
  onKLine(handler: (series: KLineSeries) => void): () => void {
    return onPushOf(this.#client, "Qot_UpdateKL", handler, (s2c) => [{
      symbol: formatSymbol(s2c.security),
      name: s2c.name,
      klType: KL_TYPE.parse(s2c.klType),
      rehab: REHAB_TYPE.parse(s2c.rehabType),
      klines: toKLines(s2c.klList),
    }]);
  }

  /** Ticker pushes (`Qot_UpdateTicker`). */
  onTicker(handler: (series: TickerSeries) => void): () => void {
    return onPushOf(this.#client, "Qot_UpdateTicker", handler, (s2c) => [toTickerSeries(s2c)]);
  }

  /** Order book pushes (`Qot_UpdateOrderBook`). */
  onOrderBook(handler: (book: OrderBookSnapshot) => void): () => void {
    return onPushOf(this.#client, "Qot_UpdateOrderBook", handler, (s2c) => [{
      symbol: formatSymbol(s2c.security),
      name: s2c.name,
      asks: toLevels(s2c.orderBookAskList),
      bids: toLevels(s2c.orderBookBidList),
    }]);
  }

  /** Intraday pushes (`Qot_UpdateRT`). */
  onRT(handler: (series: RtSeries) => void): () => void {
    return onPushOf(this.#client, "Qot_UpdateRT", handler, (s2c) => [toRtSeries(s2c)]);
  }

  /** Broker queue pushes (`Qot_UpdateBroker`). */
  onBroker(handler: (queue: BrokerQueue) => void): () => void {
    return onPushOf(this.#client, "Qot_UpdateBroker", handler, (s2c) => [toBrokerQueue(s2c)]);
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
