/**
 * Wire ↔ domain conversions of the quote calls (private to src/gateway):
 * OpenD's `Qot_*` messages to the plain data of `quote_types.ts`, and the
 * base64 page keys of history requests.
 *
 * @module
 */
import { SECURITY_TYPE, TICKER_DIRECTION, WARRANT_TYPE } from "./enums.ts";
import type {
  Qot_Common_BasicQot,
  Qot_Common_Broker,
  Qot_Common_KLine,
  Qot_Common_OrderBook,
  Qot_Common_PreAfterMarketData,
  Qot_Common_Security,
  Qot_Common_SecurityStaticInfo,
  Qot_Common_Ticker,
  Qot_Common_TimeShare,
  Qot_GetSecuritySnapshot_Snapshot,
} from "./proto/messages.ts";
import type {
  BasicQuote,
  BookLevel,
  BrokerQueue,
  ExtendedHoursQuote,
  KLine,
  RtPoint,
  RtSeries,
  Snapshot,
  StaticInfo,
  Tick,
  TickerSeries,
} from "./quote_types.ts";
import { formatSymbol } from "./symbols.ts";

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
    option: q.optionExData
      ? {
        strikePrice: q.optionExData.strikePrice,
        contractSize: q.optionExData.contractSizeFloat ?? q.optionExData.contractSize,
        openInterest: q.optionExData.openInterest,
        impliedVolatility: q.optionExData.impliedVolatility,
        premium: q.optionExData.premium,
        delta: q.optionExData.delta,
        gamma: q.optionExData.gamma,
        vega: q.optionExData.vega,
        theta: q.optionExData.theta,
        rho: q.optionExData.rho,
        netOpenInterest: q.optionExData.netOpenInterest,
        expiryDateDistance: q.optionExData.expiryDateDistance,
      }
      : undefined,
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

/** Converts wire order book levels. */
export function toLevels(list: Qot_Common_OrderBook[] | undefined): BookLevel[] {
  return (list ?? []).map((l) => ({ price: l.price, volume: Number(l.volume), orderCount: l.orederCount }));
}

/** Converts wire ticks. */
function toTicks(list: Qot_Common_Ticker[] | undefined): Tick[] {
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
function toRtPoints(list: Qot_Common_TimeShare[] | undefined): RtPoint[] {
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

/** Converts wire static information. */
export function toStaticInfo(info: Qot_Common_SecurityStaticInfo): StaticInfo {
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

/** Converts a wire snapshot. */
export function toSnapshot(s: Qot_GetSecuritySnapshot_Snapshot): Snapshot {
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
        contractSize: o.contractSizeFloat ?? o.contractSize,
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

/** Base64 of a page key. */
export function base64(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** A page key from base64. */
export function fromBase64(text: string): Uint8Array {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    throw new Error(`invalid page key ${JSON.stringify(text)}: not base64`);
  }
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** Converts a ticker reply or push. */
export function toTickerSeries(
  s2c: { security: Qot_Common_Security; name?: string; tickerList?: Qot_Common_Ticker[] },
): TickerSeries {
  return { symbol: formatSymbol(s2c.security), name: s2c.name, ticks: toTicks(s2c.tickerList) };
}

/** Converts an intraday reply or push. */
export function toRtSeries(
  s2c: { security: Qot_Common_Security; name?: string; rtList?: Qot_Common_TimeShare[] },
): RtSeries {
  return { symbol: formatSymbol(s2c.security), name: s2c.name, points: toRtPoints(s2c.rtList) };
}

/** Converts a broker queue reply or push. */
export function toBrokerQueue(
  s2c: {
    security: Qot_Common_Security;
    name?: string;
    brokerAskList?: Qot_Common_Broker[];
    brokerBidList?: Qot_Common_Broker[];
  },
): BrokerQueue {
  const entries = (list: Qot_Common_Broker[] | undefined) =>
    (list ?? []).map((b) => ({ id: b.id, name: b.name, pos: b.pos }));
  return {
    symbol: formatSymbol(s2c.security),
    name: s2c.name,
    asks: entries(s2c.brokerAskList),
    bids: entries(s2c.brokerBidList),
  };
}
