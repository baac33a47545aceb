/**
 * Options, warrants and futures: the typed OpenD calls — option expiries
 * (Qot_GetOptionExpirationDate), option chains (Qot_GetOptionChain), warrant
 * lists (Qot_GetWarrant), related warrants or contract months
 * (Qot_GetReference) and futures contract terms (Qot_GetFutureInfo).
 *
 * @example
 * ```ts
 * import { Gateway } from "./mod.ts";
 * const gateway = await Gateway.connect({ gateway: "127.0.0.1:11111" });
 * const [next] = await gateway.derivatives.getOptionExpirations("US.AAPL");
 * const chain = await gateway.derivatives.getOptionChain("US.AAPL", { begin: next.date, end: next.date });
 * ```
 *
 * @module
 */
import { toStaticInfo } from "./_quote_convert.ts";
import type { OpenDClient } from "./client.ts";
import {
  type Bound,
  EXPIRY_CYCLE,
  type FutureInfo,
  OPTION_CONDITION,
  OPTION_TYPE,
  type OptionChainExpiry,
  type OptionChainQuery,
  type OptionDataFilter,
  type OptionExpiry,
  REFERENCE_TYPE,
  type ReferenceTypeName,
  WARRANT_ISSUER,
  WARRANT_KIND,
  WARRANT_SORT,
  WARRANT_STATUS,
  type WarrantPage,
  type WarrantQuery,
} from "./derivatives_types.ts";
import type { Qot_GetFutureInfo_FutureInfo, Qot_GetOptionChain_DataFilter } from "./proto/messages.ts";
import type { StaticInfo } from "./quote_types.ts";
import { formatSymbol, toSecurity } from "./symbols.ts";

export * from "./derivatives_types.ts";

/** The wire data filter of a query's filter (absent when nothing filters). */
function dataFilterOf(filter: OptionDataFilter | undefined): Qot_GetOptionChain_DataFilter | undefined {
  if (!filter) return undefined;
  const out: Qot_GetOptionChain_DataFilter = {};
  const set = (bound: Bound | undefined, min: keyof Qot_GetOptionChain_DataFilter, max: typeof min) => {
    if (bound?.min !== undefined) out[min] = bound.min;
    if (bound?.max !== undefined) out[max] = bound.max;
  };
  set(filter.impliedVolatility, "impliedVolatilityMin", "impliedVolatilityMax");
  set(filter.delta, "deltaMin", "deltaMax");
  set(filter.gamma, "gammaMin", "gammaMax");
  set(filter.vega, "vegaMin", "vegaMax");
  set(filter.theta, "thetaMin", "thetaMax");
  set(filter.rho, "rhoMin", "rhoMax");
  set(filter.openInterest, "openInterestMin", "openInterestMax");
  set(filter.netOpenInterest, "netOpenInterestMin", "netOpenInterestMax");
  set(filter.volume, "volMin", "volMax");
  return Object.keys(out).length > 0 ? out : undefined;
}

/** "HH:MM" of minutes after midnight (OpenD gives sessions in minutes; overnight ones pass 24:00). */
function clock(minutes: number): string {
  const m = ((Math.round(minutes) % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
}

function toFutureInfo(f: Qot_GetFutureInfo_FutureInfo): FutureInfo {
  return {
    symbol: formatSymbol(f.security),
    name: f.name,
    lastTradeDate: f.lastTradeTime ? f.lastTradeTime.slice(0, 10) : undefined,
    owner: f.owner ? formatSymbol(f.owner) : undefined,
    ownerOther: f.ownerOther,
    exchange: f.exchange,
    contractType: f.contractType,
    contractSize: f.contractSize,
    contractSizeUnit: f.contractSizeUnit,
    currency: f.quoteCurrency,
    tick: f.minVar,
    tickUnit: f.minVarUnit,
    quoteUnit: f.quoteUnit,
    tradingHours: (f.tradeTime ?? []).map((t) => `${clock(t.begin ?? 0)}-${clock(t.end ?? 0)}`),
    timeZone: f.timeZone,
    specUrl: f.exchangeFormatUrl,
    origin: f.origin ? formatSymbol(f.origin) : undefined,
  };
}

/** Options, warrants and futures. */
export class DerivativesApi {
  readonly #client: OpenDClient;

  constructor(client: OpenDClient) {
    this.#client = client;
  }

  /** The listed expiries of an underlying's options, soonest first. */
  async getOptionExpirations(owner: string): Promise<OptionExpiry[]> {
    const s2c = await this.#client.request("Qot_GetOptionExpirationDate", { owner: toSecurity(owner) });
    return (s2c.dateList ?? []).map((d) => ({
      date: (d.strikeTime ?? "").slice(0, 10),
      daysToExpiry: d.optionExpiryDateDistance,
      cycle: d.cycle === undefined ? undefined : EXPIRY_CYCLE.fromWire(d.cycle),
    }));
  }

  /** The contracts of an underlying's expiries in [begin, end], filtered by OpenD. */
  async getOptionChain(owner: string, query: OptionChainQuery): Promise<OptionChainExpiry[]> {
    const s2c = await this.#client.request("Qot_GetOptionChain", {
      owner: toSecurity(owner),
      beginTime: query.begin,
      endTime: query.end,
      type: query.type === undefined ? undefined : OPTION_TYPE.toWire(query.type),
      condition: query.condition === undefined ? undefined : OPTION_CONDITION.toWire(query.condition),
      dataFilter: dataFilterOf(query.filter),
    });
    return (s2c.optionChain ?? []).map((chain) => ({
      expiry: chain.strikeTime.slice(0, 10),
      options: (chain.option ?? []).map((item) => {
        const call = item.call ? toStaticInfo(item.call) : undefined;
        const put = item.put ? toStaticInfo(item.put) : undefined;
        return { strike: (call ?? put)?.option?.strikePrice ?? 0, call, put };
      }),
    }));
  }

  /** One page of warrants, filtered and sorted by OpenD. */
  async getWarrants(query: WarrantQuery): Promise<WarrantPage> {
    const s2c = await this.#client.request("Qot_GetWarrant", {
      begin: query.offset,
      num: query.count,
      sortField: WARRANT_SORT.toWire(query.sortBy),
      ascend: query.ascending,
      owner: query.owner === undefined ? undefined : toSecurity(query.owner),
      typeList: query.types?.map((t) => WARRANT_KIND.toWire(t)),
      issuerList: query.issuers?.map((i) => WARRANT_ISSUER.toWire(i)),
      maturityTimeMin: query.maturityFrom,
      maturityTimeMax: query.maturityTo,
      // PriceType: 1 out of the money, 2 in the money.
      priceType: query.inTheMoney === undefined ? undefined : query.inTheMoney ? 2 : 1,
      status: query.status === undefined ? undefined : WARRANT_STATUS.toWire(query.status),
      curPriceMin: query.price?.min,
      curPriceMax: query.price?.max,
      strikePriceMin: query.strike?.min,
      strikePriceMax: query.strike?.max,
      premiumMin: query.premium?.min,
      premiumMax: query.premium?.max,
      leverageRatioMin: query.leverage?.min,
      leverageRatioMax: query.leverage?.max,
    });
    return {
      allCount: s2c.allCount,
      lastPage: s2c.lastPage,
      warrants: (s2c.warrantDataList ?? []).map((w) => ({
        symbol: formatSymbol(w.stock),
        name: w.name,
        owner: formatSymbol(w.owner),
        type: WARRANT_KIND.fromWire(w.type),
        issuer: WARRANT_ISSUER.fromWire(w.issuer),
        status: WARRANT_STATUS.fromWire(w.status),
        price: w.curPrice,
        lastClose: w.lastClosePrice,
        changeRate: w.changeRate,
        bid: w.bidPrice,
        ask: w.askPrice,
        volume: Number(w.volume),
        turnover: w.turnover,
        strike: w.strikePrice,
        recoveryPrice: w.recoveryPrice,
        conversionRatio: w.conversionRatio,
        lotSize: w.lotSize,
        maturity: w.maturityTime.slice(0, 10),
        lastTradeDate: w.lastTradeTime.slice(0, 10),
        listDate: w.listTime.slice(0, 10),
        premium: w.premium,
        breakEven: w.breakEvenPoint,
        leverage: w.leverage,
        effectiveLeverage: w.effectiveLeverage,
        impliedVolatility: w.impliedVolatility,
        delta: w.delta,
        inOutMoney: w.ipop,
        priceRecoveryRatio: w.priceRecoveryRatio,
        streetRate: w.streetRate,
        score: w.score,
      })),
    };
  }

  /** A stock's warrants, or a main futures contract's contract months. */
  async getReference(symbol: string, type: ReferenceTypeName): Promise<StaticInfo[]> {
    const s2c = await this.#client.request("Qot_GetReference", {
      security: toSecurity(symbol),
      referenceType: REFERENCE_TYPE.toWire(type),
    });
    return (s2c.staticInfoList ?? []).map(toStaticInfo);
  }

  /** Futures contract terms (≤ 200 symbols). */
  async getFutureInfo(symbols: string[]): Promise<FutureInfo[]> {
    const s2c = await this.#client.request("Qot_GetFutureInfo", { securityList: symbols.map(toSecurity) });
    return (s2c.futureInfoList ?? []).map(toFutureInfo);
  }
}
