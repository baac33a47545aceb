/**
 * Options, warrants and futures: the simulated OpenD's handlers. Option
 * expiries and chains come from the generated grid (`option_chains.ts`) with
 * OpenD's filters applied on the contracts' Black–Scholes figures at now;
 * warrant lists filter, sort and page the catalog's warrants the way
 * Qot_GetWarrant does; references list a stock's warrants or a main
 * future's contract months; future info gives contract terms and the
 * sessions the simulator trades them in.
 *
 * @module
 */
import {
  Qot_Common_ExpirationCycle,
  Qot_Common_IpoPeriod,
  Qot_Common_Issuer,
  Qot_Common_PriceType,
  Qot_Common_SortField,
  Qot_Common_WarrantStatus,
  type Qot_GetOptionChain_DataFilter,
  Qot_GetOptionChain_OptionCondType,
  Qot_GetReference_ReferenceType,
  type Qot_GetWarrant_WarrantData,
} from "../gateway/proto/messages.ts";
import { fail, resolve } from "./_handler_common.ts";
import { securityByCode, SIM_SECURITIES, type SimSecurity } from "./catalog.ts";
import { type DayNumber, localTime, sessionsOn, utcOf } from "./clock.ts";
import { optionMetrics, WARRANT_VOLATILITY, warrantMetrics } from "./derivative_metrics.ts";
import { contractCode, listedContracts, spotContract } from "./future_contracts.ts";
import type { HandlerTable } from "./handlers.ts";
import type { MarketData } from "./market.ts";
import { chainContracts, listedExpiries } from "./option_chains.ts";
import { securityOf, staticInfoOf, warrantTypeOf } from "./wire.ts";

/** Longest expiry range of one option chain request, as OpenD enforces it. */
const CHAIN_SPAN_DAYS = 30;
/** Most warrants per page. */
const WARRANT_PAGE = 200;

function seconds(ms: number): number {
  return Math.round(ms) / 1000;
}

function dayOfDate(text: string, what: string): DayNumber {
  const date = /^(\d{4}-\d{2}-\d{2})( \d{2}:\d{2}:\d{2})?$/.exec(text.trim())?.[1];
  const ms = date === undefined ? NaN : Date.parse(`${date}T00:00:00Z`);
  if (!Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 10) !== date) {
    fail(`Invalid ${what} ${JSON.stringify(text)}: expected "YYYY-MM-DD"`);
  }
  return Math.round(ms / 86_400_000);
}

function chainOwner(security: Parameters<typeof resolve>[0]): SimSecurity {
  const owner = resolve(security);
  if (!owner.chain) fail(`${owner.symbol} has no listed options`);
  return owner;
}

/** The sessions of the market's next trading day from `today` on (a weekend shows Monday's). */
function tradingSessions(security: SimSecurity, today: DayNumber): readonly [number, number][] {
  for (let day = today; day < today + 14; day++) {
    const sessions = sessionsOn(security.market, day);
    if (sessions.length > 0) return sessions;
  }
  return [];
}

/** Whether a value passes `[min, max]` after OpenD's rounding of the bound's precision. */
function within(value: number, min: number | undefined, max: number | undefined, digits: number): boolean {
  const f = 10 ** digits;
  const v = Math.round(value * f) / f;
  return (min === undefined || v >= Math.trunc(min * f) / f) && (max === undefined || v <= Math.trunc(max * f) / f);
}

function passesFilter(market: MarketData, option: SimSecurity, filter: Qot_GetOptionChain_DataFilter | undefined) {
  if (!filter) return true;
  const m = optionMetrics(market, option);
  const volume = market.sessionSummary(option, market.clock.now()).volume;
  return within(m.impliedVolatility, filter.impliedVolatilityMin, filter.impliedVolatilityMax, 0) &&
    within(m.value.delta, filter.deltaMin, filter.deltaMax, 3) &&
    within(m.value.gamma, filter.gammaMin, filter.gammaMax, 3) &&
    within(m.value.vega, filter.vegaMin, filter.vegaMax, 3) &&
    within(m.value.theta, filter.thetaMin, filter.thetaMax, 3) &&
    within(m.value.rho, filter.rhoMin, filter.rhoMax, 3) &&
    within(m.openInterest, filter.openInterestMin, filter.openInterestMax, 0) &&
    within(m.netOpenInterest ?? 0, filter.netOpenInterestMin, filter.netOpenInterestMax, 0) &&
    within(volume, filter.volMin, filter.volMax, 0);
}

const ISSUER_WIRE = Qot_Common_Issuer as Readonly<Record<string, number>>;

/** The wire row of one warrant, and the figures its filters and sorting use. */
function warrantRow(market: MarketData, warrant: SimSecurity): Qot_GetWarrant_WarrantData {
  const now = market.clock.now();
  const m = warrantMetrics(market, warrant);
  const session = market.sessionSummary(warrant, now);
  const lastClose = market.previousClose(warrant, now);
  const book = market.orderBook(warrant, 1);
  const plain = warrantTypeOf(warrant) <= 2;
  const round3 = (v: number) => Math.round(v * 1000) / 1000;
  const at = (date: string) => seconds(Date.parse(`${date}T00:00:00Z`));
  return {
    stock: securityOf(warrant),
    owner: securityOf(market.underlyingOf(warrant)),
    type: warrantTypeOf(warrant),
    issuer: ISSUER_WIRE[warrant.issuer ?? ""] ?? 0,
    maturityTime: warrant.expiry!,
    maturityTimestamp: at(warrant.expiry!),
    listTime: warrant.listDate,
    listTimestamp: at(warrant.listDate),
    lastTradeTime: m.lastTradeDate,
    lastTradeTimestamp: at(m.lastTradeDate),
    recoveryPrice: warrant.recoveryPrice,
    conversionRatio: warrant.conversionRatio ?? 1,
    lotSize: warrant.lotSize,
    strikePrice: warrant.strike!,
    lastClosePrice: lastClose,
    name: warrant.name,
    curPrice: m.price,
    priceChangeVal: round3(m.price - lastClose),
    changeRate: lastClose ? round3((m.price / lastClose - 1) * 100) : 0,
    status: m.status === "NORMAL"
      ? Qot_Common_WarrantStatus.Normal
      : m.status === "STOP_TRADE"
      ? Qot_Common_WarrantStatus.StopTrade
      : Qot_Common_WarrantStatus.PendingListing,
    bidPrice: book.bids[0]?.price ?? 0,
    askPrice: book.asks[0]?.price ?? 0,
    bidVol: String(book.bids[0]?.volume ?? 0),
    askVol: String(book.asks[0]?.volume ?? 0),
    volume: String(Math.round(session.volume)),
    turnover: Math.round(session.turnover * 100) / 100,
    score: m.score,
    premium: m.premium,
    breakEvenPoint: m.breakEven,
    leverage: m.leverage,
    ipop: m.inOutMoney,
    priceRecoveryRatio: m.priceRecoveryRatio,
    conversionPrice: round3(m.price * (warrant.conversionRatio ?? 1)),
    streetRate: m.streetRate,
    streetVol: String(m.streetVol),
    amplitude: lastClose ? round3((session.high - session.low) / lastClose * 100) : 0,
    issueSize: String(warrant.issueSize ?? 0),
    highPrice: session.high,
    lowPrice: session.low,
    impliedVolatility: plain ? WARRANT_VOLATILITY * 100 : undefined,
    delta: plain ? round3(m.value.delta) : undefined,
    effectiveLeverage: m.effectiveLeverage,
  };
}

/** Sort keys of Qot_GetWarrant by `SortField`. */
const SORT_KEYS: Readonly<Record<number, (w: Qot_GetWarrant_WarrantData) => number | string>> = {
  [Qot_Common_SortField.Code]: (w) => w.stock.code,
  [Qot_Common_SortField.CurPrice]: (w) => w.curPrice,
  [Qot_Common_SortField.PriceChangeVal]: (w) => w.priceChangeVal,
  [Qot_Common_SortField.ChangeRate]: (w) => w.changeRate,
  [Qot_Common_SortField.Status]: (w) => w.status,
  [Qot_Common_SortField.BidPrice]: (w) => w.bidPrice,
  [Qot_Common_SortField.AskPrice]: (w) => w.askPrice,
  [Qot_Common_SortField.BidVol]: (w) => Number(w.bidVol),
  [Qot_Common_SortField.AskVol]: (w) => Number(w.askVol),
  [Qot_Common_SortField.Volume]: (w) => Number(w.volume),
  [Qot_Common_SortField.Turnover]: (w) => w.turnover,
  [Qot_Common_SortField.Amplitude]: (w) => w.amplitude,
  [Qot_Common_SortField.Score]: (w) => w.score,
  [Qot_Common_SortField.Premium]: (w) => w.premium,
  [Qot_Common_SortField.EffectiveLeverage]: (w) => w.effectiveLeverage,
  [Qot_Common_SortField.Delta]: (w) => w.delta ?? 0,
  [Qot_Common_SortField.ImpliedVolatility]: (w) => w.impliedVolatility ?? 0,
  [Qot_Common_SortField.Type]: (w) => w.type,
  [Qot_Common_SortField.StrikePrice]: (w) => w.strikePrice,
  [Qot_Common_SortField.BreakEvenPoint]: (w) => w.breakEvenPoint,
  [Qot_Common_SortField.MaturityTime]: (w) => w.maturityTime,
  [Qot_Common_SortField.ListTime]: (w) => w.listTime,
  [Qot_Common_SortField.LastTradeTime]: (w) => w.lastTradeTime,
  [Qot_Common_SortField.Leverage]: (w) => w.leverage,
  [Qot_Common_SortField.InOutMoney]: (w) => w.ipop,
  [Qot_Common_SortField.RecoveryPrice]: (w) => w.recoveryPrice ?? 0,
  [Qot_Common_SortField.StreetRate]: (w) => w.streetRate,
  [Qot_Common_SortField.StreetVol]: (w) => Number(w.streetVol),
  [Qot_Common_SortField.WarrantName]: (w) => w.name,
  [Qot_Common_SortField.Issuer]: (w) => w.issuer,
  [Qot_Common_SortField.LotSize]: (w) => w.lotSize,
  [Qot_Common_SortField.IssueSize]: (w) => Number(w.issueSize),
};

/** Whether a warrant was listed in an `IpoPeriod` around today. */
function inIpoPeriod(period: number, listTime: string, today: DayNumber): boolean {
  const listed = Math.round(Date.parse(`${listTime}T00:00:00Z`) / 86_400_000);
  switch (period) {
    case Qot_Common_IpoPeriod.Today:
      return listed === today;
    case Qot_Common_IpoPeriod.Tomorrow:
      return listed === today + 1;
    case Qot_Common_IpoPeriod.Nextweek:
      return listed > today && listed <= today + 7;
    case Qot_Common_IpoPeriod.Lastweek:
      return listed <= today && listed > today - 7;
    case Qot_Common_IpoPeriod.Lastmonth:
      return listed <= today && listed > today - 30;
    default:
      return true;
  }
}

/** The handlers of this file, by protocol. */
export const DERIVATIVE_HANDLERS: HandlerTable = {
  Qot_GetOptionExpirationDate: (ctx, _session, c2s) => {
    const owner = chainOwner(c2s.owner);
    const today = localTime(owner.market, ctx.market.clock.now()).day;
    return {
      dateList: listedExpiries(owner, today).map((e) => ({
        strikeTime: e.date,
        strikeTimestamp: seconds(utcOf(owner.market, e.day, 0)),
        optionExpiryDateDistance: e.day - today,
        cycle: e.cycle === "WEEK" ? Qot_Common_ExpirationCycle.Week : Qot_Common_ExpirationCycle.Month,
      })),
    };
  },

  Qot_GetOptionChain: (ctx, _session, c2s) => {
    const owner = chainOwner(c2s.owner);
    const begin = dayOfDate(c2s.beginTime, "beginTime");
    const end = dayOfDate(c2s.endTime, "endTime");
    if (begin > end) fail(`beginTime ${c2s.beginTime} is after endTime ${c2s.endTime}`);
    if (end - begin > CHAIN_SPAN_DAYS) {
      fail(`The expiry range of an option chain is at most ${CHAIN_SPAN_DAYS} days, got ${end - begin}`);
    }
    const now = ctx.market.clock.now();
    const today = localTime(owner.market, now).day;
    const spot = ctx.market.currentPrice(owner);
    const wantCall = c2s.type === undefined || c2s.type === 0 || c2s.type === 1;
    const wantPut = c2s.type === undefined || c2s.type === 0 || c2s.type === 2;
    const inTheMoney = (o: SimSecurity) => o.callPut === "CALL" ? o.strike! < spot : o.strike! > spot;
    const condition = (o: SimSecurity) =>
      c2s.condition === Qot_GetOptionChain_OptionCondType.WithIn
        ? inTheMoney(o)
        : c2s.condition === Qot_GetOptionChain_OptionCondType.Outside
        ? !inTheMoney(o)
        : true;
    const keep = (o: SimSecurity) => condition(o) && passesFilter(ctx.market, o, c2s.dataFilter);
    const resolveCode = (code: string) => securityByCode(owner.market, code);
    return {
      optionChain: listedExpiries(owner, today).filter((e) => e.day >= begin && e.day <= end).map((expiry) => ({
        strikeTime: expiry.date,
        strikeTimestamp: seconds(utcOf(owner.market, expiry.day, 0)),
        option: chainContracts(ctx.market, owner, expiry, today, resolveCode).map(({ call, put }) => ({
          call: wantCall && keep(call) ? staticInfoOf(ctx.market, call) : undefined,
          put: wantPut && keep(put) ? staticInfoOf(ctx.market, put) : undefined,
        })).filter((item) => item.call || item.put),
      })),
    };
  },

  Qot_GetWarrant: (ctx, _session, c2s) => {
    if (!(c2s.num > 0 && c2s.num <= WARRANT_PAGE)) fail(`num must be between 1 and ${WARRANT_PAGE}, got ${c2s.num}`);
    if (c2s.begin < 0) fail(`begin must not be negative, got ${c2s.begin}`);
    const sortKey = SORT_KEYS[c2s.sortField];
    if (!sortKey) fail(`sortField ${c2s.sortField} is not supported for warrants`);
    const owner = c2s.owner ? resolve(c2s.owner) : undefined;
    const today = localTime("HK", ctx.market.clock.now()).day;
    const types = new Set(c2s.typeList ?? []);
    const issuers = new Set(c2s.issuerList ?? []);
    const range = (v: number | undefined, min?: number, max?: number) =>
      v === undefined ? min === undefined && max === undefined : within(v, min, max, 3);
    const rows = SIM_SECURITIES.filter((s) => s.kind === "warrant" && (!owner || s.underlying === owner.symbol))
      .map((s) => warrantRow(ctx.market, s))
      .filter((w) =>
        (types.size === 0 || types.has(w.type)) &&
        (issuers.size === 0 || issuers.has(w.issuer)) &&
        (c2s.maturityTimeMin === undefined || w.maturityTime >= c2s.maturityTimeMin.slice(0, 10)) &&
        (c2s.maturityTimeMax === undefined || w.maturityTime <= c2s.maturityTimeMax.slice(0, 10)) &&
        (c2s.ipoPeriod === undefined || inIpoPeriod(c2s.ipoPeriod, w.listTime, today)) &&
        (c2s.priceType === undefined || c2s.priceType === Qot_Common_PriceType.Unknow ||
          (c2s.priceType === Qot_Common_PriceType.WithIn) === (w.ipop > 0)) &&
        (c2s.status === undefined || c2s.status === 0 || c2s.status === w.status) &&
        range(w.curPrice, c2s.curPriceMin, c2s.curPriceMax) &&
        range(w.strikePrice, c2s.strikePriceMin, c2s.strikePriceMax) &&
        range(w.streetRate, c2s.streetMin, c2s.streetMax) &&
        range(w.conversionRatio, c2s.conversionMin, c2s.conversionMax) &&
        range(
          Number(w.volume),
          c2s.volMin === undefined ? undefined : Number(c2s.volMin),
          c2s.volMax === undefined ? undefined : Number(c2s.volMax),
        ) &&
        range(w.premium, c2s.premiumMin, c2s.premiumMax) &&
        range(w.leverage, c2s.leverageRatioMin, c2s.leverageRatioMax) &&
        range(w.delta, c2s.deltaMin, c2s.deltaMax) &&
        range(w.impliedVolatility, c2s.impliedMin, c2s.impliedMax) &&
        range(w.recoveryPrice, c2s.recoveryPriceMin, c2s.recoveryPriceMax) &&
        range(w.priceRecoveryRatio, c2s.priceRecoveryRatioMin, c2s.priceRecoveryRatioMax)
      );
    const direction = c2s.ascend ? 1 : -1;
    rows.sort((a, b) => {
      const x = sortKey(a);
      const y = sortKey(b);
      const order = x < y ? -1 : x > y ? 1 : 0;
      return order * direction || (a.stock.code < b.stock.code ? -1 : 1);
    });
    const page = rows.slice(c2s.begin, c2s.begin + c2s.num);
    return { lastPage: c2s.begin + c2s.num >= rows.length, allCount: rows.length, warrantDataList: page };
  },

  Qot_GetReference: (ctx, _session, c2s) => {
    const security = resolve(c2s.security);
    if (c2s.referenceType === Qot_GetReference_ReferenceType.Warrant) {
      const warrants = SIM_SECURITIES.filter((s) => s.kind === "warrant" && s.underlying === security.symbol);
      return { staticInfoList: warrants.map((w) => staticInfoOf(ctx.market, w)) };
    }
    if (c2s.referenceType === Qot_GetReference_ReferenceType.Future) {
      if (security.kind !== "future" || !security.isMainContract) {
        fail(`${security.symbol} is not a main futures contract; related futures are listed for main contracts`);
      }
      const today = localTime(security.market, ctx.market.clock.now()).day;
      const months = listedContracts(security, today).map((c) =>
        securityByCode(security.market, contractCode(security, c))!
      );
      return { staticInfoList: months.map((m) => staticInfoOf(ctx.market, m)) };
    }
    fail(`Unknown referenceType ${c2s.referenceType}`);
  },

  Qot_GetFutureInfo: (ctx, _session, c2s) => {
    const list = (c2s.securityList ?? []).map(resolve);
    if (list.length === 0) fail("securityList must not be empty");
    if (list.length > 200) fail(`At most 200 securities per request, got ${list.length}`);
    const now = ctx.market.clock.now();
    return {
      futureInfoList: list.map((future) => {
        if (future.kind !== "future") fail(`${future.symbol} is not a futures contract`);
        const today = localTime(future.market, now).day;
        const origin = future.isMainContract ? contractCode(future, spotContract(future, today)) : undefined;
        const owner = future.underlying ? securityByCode(future.market, future.underlying.split(".")[1]) : undefined;
        return {
          name: future.name,
          security: securityOf(future),
          lastTradeTime: future.lastTradeDate ?? "",
          lastTradeTimestamp: future.lastTradeDate
            ? seconds(Date.parse(`${future.lastTradeDate}T00:00:00Z`))
            : undefined,
          owner: owner ? securityOf(owner) : undefined,
          ownerOther: owner?.name ?? "",
          exchange: "HKFE",
          contractType: "Index Futures",
          contractSize: future.contractSize ?? 1,
          contractSizeUnit: "HKD/point",
          quoteCurrency: "HKD",
          minVar: future.priceStep ?? 1,
          minVarUnit: "point",
          quoteUnit: "point",
          // The sessions the simulator trades it in (minutes after local midnight).
          tradeTime: tradingSessions(future, today).map(([begin, end]) => ({ begin, end })),
          timeZone: "Asia/Hong_Kong",
          exchangeFormatUrl:
            "https://www.hkex.com.hk/Products/Listed-Derivatives/Equity-Index/Hang-Seng-Index-(HSI)/Hang-Seng-Index-Futures",
          origin: origin ? { market: securityOf(future).market, code: origin } : undefined,
        };
      }),
    };
  },
};
