/**
 * Conversions from the simulator's model to OpenD wire messages. Every proto2
 * required field is filled (the encoder refuses a message that misses one).
 *
 * @module
 */
import {
  CURRENCY,
  ORDER_STATUS,
  ORDER_TYPE,
  SESSION,
  TIME_IN_FORCE,
  TRAIL_TYPE,
  TRD_MARKET,
  TRD_SIDE,
} from "../gateway/enums.ts";
import {
  type Qot_Common_BasicQot,
  Qot_Common_ExchType,
  type Qot_Common_KLine,
  type Qot_Common_Security,
  type Qot_Common_SecurityStaticInfo,
  Qot_Common_SecurityType,
  type Qot_GetSecuritySnapshot_Snapshot,
  type Trd_Common_Order,
  type Trd_Common_OrderFill,
  Trd_Common_TrdSecMarket,
} from "../gateway/proto/messages.ts";
import { qotMarketOf } from "../gateway/symbols.ts";
import type { SimSecurity } from "./catalog.ts";
import { formatInstant, formatLocal, localTime, type SimMarket } from "./clock.ts";
import { currencyOf, type SimFill, type SimOrder } from "./accounts.ts";
import type { Bar } from "./bars.ts";
import type { MarketData } from "./market.ts";
import { tickSize } from "./ticks.ts";

/** Wire `Security` of a simulated security. */
export function securityOf(security: SimSecurity): Qot_Common_Security {
  return { market: qotMarketOf(security.market), code: security.code };
}

/** `TrdSecMarket` of a market. */
export function secMarketOf(market: SimMarket): number {
  return market === "HK"
    ? Trd_Common_TrdSecMarket.HK
    : market === "US"
    ? Trd_Common_TrdSecMarket.US
    : market === "SH"
    ? Trd_Common_TrdSecMarket.CN_SH
    : Trd_Common_TrdSecMarket.CN_SZ;
}

function secTypeOf(security: SimSecurity): number {
  switch (security.kind) {
    case "index":
      return Qot_Common_SecurityType.Index;
    case "warrant":
      return Qot_Common_SecurityType.Warrant;
    case "option":
      return Qot_Common_SecurityType.Drvt;
    default:
      return Qot_Common_SecurityType.Eqty;
  }
}

function exchTypeOf(security: SimSecurity): number {
  switch (security.market) {
    case "HK":
      return Qot_Common_ExchType.HK_MainBoard;
    case "US":
      return security.kind === "option" ? Qot_Common_ExchType.US_Option : Qot_Common_ExchType.US_Nasdaq;
    case "SH":
      return Qot_Common_ExchType.CN_SH;
    default:
      return Qot_Common_ExchType.CN_SZ;
  }
}

/** Seconds since the epoch, as OpenD's `*Timestamp` doubles. */
function seconds(ms: number): number {
  return Math.round(ms) / 1000;
}

/** Wire `BasicQot` at the clock's now. */
export function basicQotOf(market: MarketData, security: SimSecurity): Qot_Common_BasicQot {
  const now = market.clock.now();
  const at = market.lastTradeInstant(security.market, now);
  const session = market.sessionSummary(security, now);
  const cur = market.priceAt(security, now);
  const lastClose = market.previousClose(security, now);
  const local = localTime(security.market, at);
  return {
    security: securityOf(security),
    name: security.name,
    isSuspended: false,
    listTime: security.listDate,
    priceSpread: tickSize(security, cur),
    updateTime: formatLocal(local.day, local.minute),
    highPrice: session.high,
    openPrice: session.open,
    lowPrice: session.low,
    curPrice: cur,
    lastClosePrice: lastClose,
    volume: String(Math.round(session.volume)),
    turnover: round2(session.turnover),
    turnoverRate: security.sharesOutstanding ? round3(session.volume / security.sharesOutstanding * 100) : 0,
    amplitude: round3((session.high - session.low) / lastClose * 100),
    listTimestamp: seconds(Date.parse(`${security.listDate}T00:00:00Z`)),
    updateTimestamp: seconds(at),
  };
}

/** Which K-line fields to fill (`KLFields` bitmask; 0 or undefined = all). */
export function klineOf(security: SimSecurity, bar: Bar, fields = 0): Qot_Common_KLine {
  const all = fields === 0;
  const want = (bit: number) => all || (fields & bit) !== 0;
  const line: Qot_Common_KLine = { time: bar.time, isBlank: false, timestamp: seconds(bar.startMs) };
  if (want(1)) line.highPrice = bar.high;
  if (want(2)) line.openPrice = bar.open;
  if (want(4)) line.lowPrice = bar.low;
  if (want(8)) line.closePrice = bar.close;
  if (want(16) && bar.lastClose !== undefined) line.lastClosePrice = bar.lastClose;
  if (want(32)) line.volume = String(Math.round(bar.volume));
  if (want(64)) line.turnover = round2(bar.turnover);
  if (want(128) && security.sharesOutstanding) {
    line.turnoverRate = round3(bar.volume / security.sharesOutstanding * 100);
  }
  if (want(256) && security.eps) line.pe = round3(bar.close / security.eps);
  if (want(512) && bar.lastClose) line.changeRate = round3((bar.close - bar.lastClose) / bar.lastClose * 100);
  return line;
}

/** Wire static info of a security. */
export function staticInfoOf(market: MarketData, security: SimSecurity): Qot_Common_SecurityStaticInfo {
  const info: Qot_Common_SecurityStaticInfo = {
    basic: {
      security: securityOf(security),
      id: market.securityId(security).toString(),
      lotSize: security.lotSize,
      secType: secTypeOf(security),
      name: security.name,
      listTime: security.listDate,
      delisting: false,
      listTimestamp: seconds(Date.parse(`${security.listDate}T00:00:00Z`)),
      exchType: exchTypeOf(security),
    },
  };
  const [ownerMarket, ownerCode] = (security.underlying ?? ".").split(".");
  const owner = { market: ownerMarket ? qotMarketOf(ownerMarket as SimMarket) : 0, code: ownerCode };
  if (security.kind === "warrant") {
    info.warrantExData = { type: security.callPut === "CALL" ? 1 : 2, owner };
  }
  if (security.kind === "option") {
    info.optionExData = {
      type: security.callPut === "CALL" ? 1 : 2,
      owner,
      strikeTime: security.expiry!,
      strikePrice: security.strike!,
      suspend: false,
      market: security.market,
      strikeTimestamp: seconds(Date.parse(`${security.expiry}T00:00:00Z`)),
    };
  }
  return info;
}

/** Wire snapshot of a security. */
export function snapshotOf(market: MarketData, security: SimSecurity): Qot_GetSecuritySnapshot_Snapshot {
  const q = basicQotOf(market, security);
  const book = market.orderBook(security, 1);
  const range = market.highLow(security, 365);
  const volume = Number(q.volume);
  const snapshot: Qot_GetSecuritySnapshot_Snapshot = {
    basic: {
      security: q.security,
      name: security.name,
      type: secTypeOf(security),
      isSuspend: false,
      listTime: q.listTime,
      lotSize: security.lotSize,
      priceSpread: q.priceSpread,
      updateTime: q.updateTime,
      highPrice: q.highPrice,
      openPrice: q.openPrice,
      lowPrice: q.lowPrice,
      lastClosePrice: q.lastClosePrice,
      curPrice: q.curPrice,
      volume: q.volume,
      turnover: q.turnover,
      turnoverRate: q.turnoverRate,
      listTimestamp: q.listTimestamp,
      updateTimestamp: q.updateTimestamp,
      askPrice: book.asks[0]?.price,
      bidPrice: book.bids[0]?.price,
      askVol: String(book.asks[0]?.volume ?? 0),
      bidVol: String(book.bids[0]?.volume ?? 0),
      amplitude: q.amplitude,
      avgPrice: volume > 0 ? round3(q.turnover / volume) : q.curPrice,
      highest52WeeksPrice: range.high,
      lowest52WeeksPrice: range.low,
    },
  };
  if (security.kind === "stock" && security.sharesOutstanding) {
    const shares = security.sharesOutstanding;
    const eps = security.eps ?? 0;
    const nav = security.netAssetPerShare ?? 0;
    snapshot.equityExData = {
      issuedShares: String(shares),
      issuedMarketVal: round2(shares * q.curPrice),
      netAsset: round2(shares * nav),
      netProfit: round2(shares * eps),
      earningsPershare: eps,
      outstandingShares: String(shares),
      outstandingMarketVal: round2(shares * q.curPrice),
      netAssetPershare: nav,
      eyRate: eps ? round3(eps / q.curPrice * 100) : 0,
      peRate: eps ? round3(q.curPrice / eps) : 0,
      pbRate: nav ? round3(q.curPrice / nav) : 0,
      peTTMRate: eps ? round3(q.curPrice / eps) : 0,
      dividendTTM: security.dividendTTM,
      dividendRatioTTM: security.dividendTTM ? round3(security.dividendTTM / q.curPrice * 100) : undefined,
    };
  }
  if (security.kind === "index") {
    snapshot.indexExData = { raiseCount: 42, fallCount: 33, equalCount: 7 };
  }
  if (security.kind === "warrant" || security.kind === "option") {
    const underlying = security.underlying!;
    const [m, c] = underlying.split(".");
    const owner = { market: qotMarketOf(m as SimMarket), code: c };
    const underlyingSecurity = market.underlyingOf(security);
    const s = market.currentPrice(underlyingSecurity);
    const value = market.derivativeValue(security, s, market.clock.now());
    const breakEven = security.callPut === "CALL" ? security.strike! + q.curPrice : security.strike! - q.curPrice;
    const premium = round3((breakEven - s) / s * 100 * (security.callPut === "CALL" ? 1 : -1));
    if (security.kind === "warrant") {
      snapshot.warrantExData = {
        conversionRate: security.conversionRatio ?? 1,
        warrantType: security.callPut === "CALL" ? 1 : 2,
        strikePrice: security.strike!,
        maturityTime: security.expiry!,
        endTradeTime: security.expiry!,
        owner,
        recoveryPrice: 0,
        streetVolumn: "0",
        issueVolumn: "100000000",
        streetRate: 0,
        delta: round3(value.delta),
        impliedVolatility: 35,
        premium,
        leverage: round3(s / (q.curPrice * (security.conversionRatio ?? 1))),
        breakEvenPoint: round3(breakEven),
      };
    } else {
      snapshot.optionExData = {
        type: security.callPut === "CALL" ? 1 : 2,
        owner,
        strikeTime: security.expiry!,
        strikePrice: security.strike!,
        contractSize: security.contractSize ?? 100,
        openInterest: 12_480,
        impliedVolatility: round3(security.volatility * 100),
        premium,
        delta: round3(value.delta),
        gamma: round3(value.gamma),
        vega: round3(value.vega),
        theta: round3(value.theta),
        rho: round3(value.rho),
      };
    }
  }
  return snapshot;
}

/** Wire order. */
export function orderOf(order: SimOrder): Trd_Common_Order {
  const market = order.security.market;
  return {
    trdSide: TRD_SIDE.toWire(order.side),
    orderType: ORDER_TYPE.toWire(order.type),
    orderStatus: ORDER_STATUS.toWire(order.status),
    orderID: order.orderId.toString(),
    orderIDEx: order.orderIdEx,
    code: order.security.code,
    name: order.security.name,
    qty: order.qty,
    price: order.price ?? 0,
    createTime: formatInstant(market, order.createdMs),
    updateTime: formatInstant(market, order.updatedMs),
    fillQty: order.fillQty,
    fillAvgPrice: order.fillQty > 0 ? round3(order.fillValue / order.fillQty) : 0,
    lastErrMsg: order.lastErrMsg ?? "",
    secMarket: secMarketOf(market),
    createTimestamp: seconds(order.createdMs),
    updateTimestamp: seconds(order.updatedMs),
    remark: order.remark ?? "",
    timeInForce: TIME_IN_FORCE.toWire(order.timeInForce),
    fillOutsideRTH: order.fillOutsideRTH,
    auxPrice: order.auxPrice,
    trailType: order.trailType === undefined ? undefined : TRAIL_TYPE.toWire(order.trailType),
    trailValue: order.trailValue,
    trailSpread: order.trailSpread,
    currency: CURRENCY.toWire(currencyOf(order.security)),
    trdMarket: TRD_MARKET.toWire(order.trdMarket),
    session: order.session ?? SESSION.toWire("RTH"),
  };
}

/** Wire fill. */
export function fillOf(fill: SimFill): Trd_Common_OrderFill {
  const market = fill.order.security.market;
  return {
    trdSide: TRD_SIDE.toWire(fill.order.side),
    fillID: fill.fillId.toString(),
    fillIDEx: fill.fillIdEx,
    orderID: fill.order.orderId.toString(),
    orderIDEx: fill.order.orderIdEx,
    code: fill.order.security.code,
    name: fill.order.security.name,
    qty: fill.qty,
    price: fill.price,
    createTime: formatInstant(market, fill.atMs),
    counterBrokerID: fill.counterBrokerId,
    counterBrokerName: fill.counterBrokerName,
    secMarket: secMarketOf(market),
    createTimestamp: seconds(fill.atMs),
    updateTimestamp: seconds(fill.atMs),
    status: 0,
    trdMarket: TRD_MARKET.toWire(fill.order.trdMarket),
  };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
