/**
 * What the typed quote calls return and take: quotes, candles, order books,
 * ticks, intraday series, static data and snapshots, broker queues, plates,
 * market states and subscription reports, as plain data with symbols as
 * "HK.00700", enums by name and 64-bit ids as strings.
 *
 * @module
 */
import type { KLTypeName, RehabTypeName, SessionName } from "./enums.ts";

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
  /** Options: strike, contract size and Greeks (`OptionBasicQotExData`). */
  option?: OptionQuote;
}

/** The option part of a real-time quote. */
export interface OptionQuote {
  strikePrice: number;
  /** Shares per contract (the float figure where OpenD gives it). */
  contractSize: number;
  openInterest: number;
  /** Percent. */
  impliedVolatility: number;
  /** Percent. */
  premium: number;
  delta: number;
  gamma: number;
  vega: number;
  theta: number;
  rho: number;
  netOpenInterest?: number;
  expiryDateDistance?: number;
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

/** Options of `QuoteApi.subscribe`. */
export interface SubscribeOptions {
  /** Also register pushes for these pairs. Default true, like the SDK. */
  push?: boolean;
  /** Push the current data once right after registering. Default true. */
  firstPush?: boolean;
  /** US pre/post-market data for K-line, RT and ticker. */
  extendedTime?: boolean;
  session?: SessionName;
}

/** Options of `QuoteApi.requestHistoryKL`. */
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
