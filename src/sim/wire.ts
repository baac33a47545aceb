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
import { optionMetrics, warrantMetrics } from "./derivative_metrics.ts";

/** `Qot_Common.WarrantType` of a simulated warrant. */
const WARRANT_TYPE_WIRE = { CALL: 1, PUT: 2, BULL: 3, BEAR: 4 } as const;

/** `Qot_Common.WarrantType` of a warrant. */
export function warrantTypeOf(security: SimSecurity): number {
  return WARRANT_TYPE_WIRE[security.warrantType ?? (security.callPut === "PUT" ? "PUT" : "CALL")];
}

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
    case "future":
      return Qot_Common_SecurityType.Future;
    default:
      return Qot_Common_SecurityType.Eqty;
  }
}

function exchTypeOf(security: SimSecurity): number {
  switch (security.market) {
    case "HK":
      return security.kind === "future" ? Qot_Common_ExchType.HK_HKEX : Qot_Common_ExchType.HK_MainBoard;
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
    ...derivativeQuoteOf(market, security),
  };
}

/** The option, warrant or future part of a basic quote. */
function derivativeQuoteOf(market: MarketData, security: SimSecurity): Partial<Qot_Common_BasicQot> {
  if (security.kind === "option") {
    const m = optionMetrics(market, security);
    return {
      optionExData: {
        strikePrice: security.strike!,
        contractSize: Math.round(m.contractSize),
        contractSizeFloat: m.contractSize,
        openInterest: m.openInterest,
        impliedVolatility: m.impliedVolatility,
        premium: m.premium,
        delta: round3(m.value.delta),
        gamma: round3(m.value.gamma),
        vega: round3(m.value.vega),
        theta: round3(m.value.theta),
        rho: round3(m.value.rho),
        netOpenInterest: m.netOpenInterest,
        expiryDateDistance: m.daysToExpiry,
        contractMultiplier: m.contractSize,
      },
    };
  }
  if (security.kind === "warrant") {
    const m = warrantMetrics(market, security);
    const plain = security.warrantType === undefined || security.warrantType === "CALL" ||
      security.warrantType === "PUT";
    return {
      warrantExData: {
        premium: m.premium,
        delta: plain ? round3(m.value.delta) : undefined,
        impliedVolatility: plain ? 35 : undefined,
      },
    };
  }
  if (security.kind === "future") {
    return {
      futureExData: {
        lastSettlePrice: market.previousClose(security, market.clock.now()),
        position: 0,
        positionChange: 0,
      },
    };
  }
  return {};
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
    info.warrantExData = { type: warrantTypeOf(security), owner };
  }
  if (security.kind === "future") {
    info.futureExData = {
      lastTradeTime: security.lastTradeDate ?? "",
      lastTradeTimestamp: security.lastTradeDate
        ? seconds(Date.parse(`${security.lastTradeDate}T00:00:00Z`))
        : undefined,
      isMainContract: security.isMainContract ?? false,
    };
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
  // Options skip the 52-week range: a year of minute prices through Black–Scholes per contract is too slow for chains.
  const range = security.kind === "option" ? undefined : market.highLow(security, 365);
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
      highest52WeeksPrice: range?.high,
      lowest52WeeksPrice: range?.low,
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
    const [m, c] = security.underlying!.split(".");
    const owner = { market: qotMarketOf(m as SimMarket), code: c };
    if (security.kind === "warrant") {
      const w = warrantMetrics(market, security);
      const plain = warrantTypeOf(security) <= 2;
      snapshot.warrantExData = {
        conversionRate: security.conversionRatio ?? 1,
        warrantType: warrantTypeOf(security),
        strikePrice: security.strike!,
        maturityTime: security.expiry!,
        endTradeTime: w.lastTradeDate,
        owner,
        recoveryPrice: security.recoveryPrice ?? 0,
        streetVolumn: String(w.streetVol),
        issueVolumn: String(security.issueSize ?? 0),
        streetRate: w.streetRate,
        delta: plain ? round3(w.value.delta) : 0,
        impliedVolatility: plain ? 35 : 0,
        premium: w.premium,
        leverage: w.leverage,
        ipop: w.inOutMoney,
        breakEvenPoint: w.breakEven,
        conversionPrice: round3(q.curPrice * (security.conversionRatio ?? 1)),
        priceRecoveryRatio: w.priceRecoveryRatio,
        score: w.score,
        issuerCode: security.issuer,
      };
    } else {
      const o = optionMetrics(market, security);
      snapshot.optionExData = {
        type: security.callPut === "CALL" ? 1 : 2,
        owner,
        strikeTime: security.expiry!,
        strikePrice: security.strike!,
        contractSize: Math.round(o.contractSize),
        contractSizeFloat: o.contractSize,
        openInterest: o.openInterest,
        impliedVolatility: o.impliedVolatility,
        premium: o.premium,
        delta: round3(o.value.delta),
        gamma: round3(o.value.gamma),
        vega: round3(o.value.vega),
        theta: round3(o.value.theta),
        rho: round3(o.value.rho),
        strikeTimestamp: seconds(Date.parse(`${security.expiry}T00:00:00Z`)),
        netOpenInterest: o.netOpenInterest,
        expiryDateDistance: o.daysToExpiry,
        contractMultiplier: o.contractSize,
      };
    }
  }
  if (security.kind === "future") {
    snapshot.futureExData = {
      lastSettlePrice: q.lastClosePrice,
      position: 0,
      positionChange: 0,
      lastTradeTime: security.lastTradeDate ?? "",
      isMainContract: security.isMainContract ?? false,
    };
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
