/**
 * The simulated option screen (`Qot_OptionScreen`), modelled on the simulated
 * option chains: every listed contract (`option_chains.ts`: listed expiries,
 * strikes within ±25 % of the previous close) of the underlyings of the
 * requested categories (US_Stock: US.AAPL, US.TSLA, US.NVDA; HK_Stock:
 * HK.00700, HK.09988; the index, futures and Japanese categories have no
 * simulated options), with the figures the simulator reports elsewhere —
 * Black–Scholes price and Greeks and IV (percent) from `optionMetrics`, the
 * order book's best bid and ask, the session's volume and turnover, open
 * interest — rounded as the basic quote rounds them. Filter groups AND
 * together, the conditions inside a group OR; every returned contract meets
 * them and `allCount` counts every match. Factors the model has no data for
 * (HV, IV rank, profit probabilities…) are refused by name, as OpenD refuses
 * the deprecated ones.
 *
 * @module
 */
import {
  Qot_Common_ExpirationCycle,
  Qot_Common_OptionType,
  type Qot_OptionScreen_C2S,
  type Qot_OptionScreen_IndicatorValue,
  Qot_OptionScreen_MarketCategory as Category,
  Qot_OptionScreen_OptionIndicatorType as OptionType,
  type Qot_OptionScreen_OptionScreenItem,
  type Qot_OptionScreen_S2C,
  Qot_OptionScreen_UnderlyingIndicatorType as UnderlyingType,
  type Qot_OptionScreen_UnderlyingInfo,
} from "../gateway/proto/messages.ts";
import { fail } from "./_handler_common.ts";
import { securityByCode, SIM_SECURITIES, type SimSecurity } from "./catalog.ts";
import { localTime } from "./clock.ts";
import { optionMetrics } from "./derivative_metrics.ts";
import type { MarketData } from "./market.ts";
import { contractsAt, listedExpiries } from "./option_chains.ts";
import { securityOf } from "./wire.ts";

/** Largest page OpenD serves. */
const MAX_PAGE = 1000;
const DEFAULT_PAGE = 100;

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

const nameOf = (table: Record<string, number>, value: number) =>
  Object.entries(table).find(([, v]) => v === value)?.[0] ?? String(value);

/** One listed contract and its figures, each computed on first use. */
class Contract {
  readonly #cache = new Map<string, number>();

  constructor(readonly market: MarketData, readonly option: SimSecurity, readonly underlying: Underlying) {}

  #memo(key: string, compute: () => number): number {
    let value = this.#cache.get(key);
    if (value === undefined) this.#cache.set(key, value = compute());
    return value;
  }

  get metrics() {
    return optionMetrics(this.market, this.option);
  }

  get book() {
    return this.market.orderBook(this.option, 1);
  }

  get session() {
    return this.market.sessionSummary(this.option, this.market.clock.now());
  }

  value(type: number): number {
    const o = this.option;
    const m = () => this.metrics;
    switch (type) {
      case OptionType.StrikePrice:
        return o.strike!;
      case OptionType.LeftDay:
        return this.#memo("left", () => m().daysToExpiry);
      case OptionType.OptionType:
        return o.callPut === "CALL" ? Qot_Common_OptionType.Call : Qot_Common_OptionType.Put;
      case OptionType.ExpirationType:
        return o.expiryCycle === "WEEK" ? Qot_Common_ExpirationCycle.Week : Qot_Common_ExpirationCycle.Month;
      case OptionType.InTheMoney:
        return (o.callPut === "CALL" ? o.strike! < this.underlying.price : o.strike! > this.underlying.price) ? 1 : 0;
      case OptionType.Price:
        return this.#memo("price", () => m().price);
      case OptionType.BidPrice:
        return this.#memo("bid", () => this.book.bids[0]?.price ?? 0);
      case OptionType.AskPrice:
        return this.#memo("ask", () => this.book.asks[0]?.price ?? 0);
      case OptionType.MidPrice:
        return round3((this.value(OptionType.BidPrice) + this.value(OptionType.AskPrice)) / 2);
      case OptionType.BidAskSpread:
        return round3(this.value(OptionType.AskPrice) - this.value(OptionType.BidPrice));
      case OptionType.BidVolume:
        return this.#memo("bidVol", () => this.book.bids[0]?.volume ?? 0);
      case OptionType.AskVolume:
        return this.#memo("askVol", () => this.book.asks[0]?.volume ?? 0);
      case OptionType.ChangeRate:
        return this.#memo("change", () => {
          const last = this.market.previousClose(o, this.market.clock.now());
          return last ? round3((this.value(OptionType.Price) / last - 1) * 100) : 0;
        });
      case OptionType.Volume:
        return this.#memo("volume", () => Math.round(this.session.volume));
      case OptionType.Turnover:
        return this.#memo("turnover", () => Math.round(this.session.turnover * 100) / 100);
      case OptionType.OpenInterest:
        return this.#memo("oi", () => m().openInterest);
      case OptionType.OpenInterestMarketCap:
        return round3(this.value(OptionType.OpenInterest) * this.value(OptionType.Premium));
      case OptionType.VolOIRatio: {
        const oi = this.value(OptionType.OpenInterest);
        return oi ? round3(this.value(OptionType.Volume) / oi) : 0;
      }
      case OptionType.Premium:
        return round3(this.value(OptionType.Price) * (o.contractSize ?? 100));
      case OptionType.ImpliedVolatility:
        return this.#memo("iv", () => m().impliedVolatility);
      case OptionType.Delta:
        return this.#memo("delta", () => round3(m().value.delta));
      case OptionType.Gamma:
        return this.#memo("gamma", () => round3(m().value.gamma));
      case OptionType.Vega:
        return this.#memo("vega", () => round3(m().value.vega));
      case OptionType.Theta:
        return this.#memo("theta", () => round3(m().value.theta));
      case OptionType.Rho:
        return this.#memo("rho", () => round3(m().value.rho));
      case OptionType.LeverageRatio: {
        const price = this.value(OptionType.Price);
        return price ? round3(this.underlying.price / price) : 0;
      }
      case OptionType.EffectiveGearing:
        return round3(this.value(OptionType.LeverageRatio) * Math.abs(this.value(OptionType.Delta)));
      default:
        return fail(`OptionIndicatorType ${nameOf(OptionType, type)} (${type}) is not supported by the simulator`);
    }
  }
}

/** The item field each supported option factor fills, and whether it is an int64. */
const OPTION_FIELDS: Readonly<Record<number, { field: keyof Qot_OptionScreen_OptionScreenItem; int64?: boolean }>> = {
  [OptionType.StrikePrice]: { field: "strikePrice" },
  [OptionType.LeftDay]: { field: "leftDay" },
  [OptionType.OptionType]: { field: "optionType" },
  [OptionType.ExpirationType]: { field: "expirationType" },
  [OptionType.InTheMoney]: { field: "inTheMoney" },
  [OptionType.Price]: { field: "price" },
  [OptionType.MidPrice]: { field: "midPrice" },
  [OptionType.BidPrice]: { field: "bidPrice" },
  [OptionType.AskPrice]: { field: "askPrice" },
  [OptionType.BidAskSpread]: { field: "bidAskSpread" },
  [OptionType.BidVolume]: { field: "bidVolume", int64: true },
  [OptionType.AskVolume]: { field: "askVolume", int64: true },
  [OptionType.ChangeRate]: { field: "changeRate" },
  [OptionType.Volume]: { field: "volume", int64: true },
  [OptionType.Turnover]: { field: "turnover" },
  [OptionType.OpenInterest]: { field: "openInterest", int64: true },
  [OptionType.OpenInterestMarketCap]: { field: "openInterestMarketCap" },
  [OptionType.VolOIRatio]: { field: "volOIRatio" },
  [OptionType.Premium]: { field: "premium" },
  [OptionType.ImpliedVolatility]: { field: "impliedVolatility" },
  [OptionType.Delta]: { field: "delta" },
  [OptionType.Gamma]: { field: "gamma" },
  [OptionType.Vega]: { field: "vega" },
  [OptionType.Theta]: { field: "theta" },
  [OptionType.Rho]: { field: "rho" },
  [OptionType.LeverageRatio]: { field: "leverageRatio" },
  [OptionType.EffectiveGearing]: { field: "effectiveGearing" },
};

/** Option factors matched against a list of exact values rather than an interval. */
const EXACT_OPTION = new Set<number>([OptionType.OptionType, OptionType.ExpirationType, OptionType.InTheMoney]);

/** What OpenD returns when optionRetrieveList is empty. */
const DEFAULT_OPTION_RETRIEVE = [
  OptionType.StrikePrice,
  OptionType.LeftDay,
  OptionType.OptionType,
  OptionType.ExpirationType,
  OptionType.InTheMoney,
  OptionType.Price,
  OptionType.BidPrice,
  OptionType.AskPrice,
  OptionType.OpenInterest,
  OptionType.ImpliedVolatility,
  OptionType.Delta,
];

/** An underlying with a chain and its figures now. */
interface Underlying {
  security: SimSecurity;
  id: string;
  price: number;
  marketCap: number;
  /** Percent. */
  changeRate: number;
}

const UNDERLYING_FIELDS: Readonly<Record<number, keyof Qot_OptionScreen_UnderlyingInfo>> = {
  [UnderlyingType.MarketCap]: "marketCap",
  [UnderlyingType.StockPrice]: "price",
  [UnderlyingType.ChangeRate]: "changeRate",
};

function underlyingValue(u: Underlying, type: number): number {
  switch (type) {
    case UnderlyingType.MarketCap:
      return u.marketCap;
    case UnderlyingType.StockPrice:
      return u.price;
    case UnderlyingType.ChangeRate:
      return u.changeRate;
    default:
      return fail(
        `UnderlyingIndicatorType ${nameOf(UnderlyingType, type)} (${type}) is not supported by the simulator`,
      );
  }
}

function underlyingsOf(market: MarketData, categories: readonly number[]): Underlying[] {
  const markets = new Set<string>();
  for (const category of categories) {
    if (!Object.values(Category).includes(category as 0)) fail(`Unknown marketCategory ${category}`);
    if (category === Category.US_Stock) markets.add("US");
    if (category === Category.HK_Stock) markets.add("HK");
  }
  const now = market.clock.now();
  return SIM_SECURITIES.filter((s) => s.chain && s.kind === "stock" && markets.has(s.market)).map((security) => {
    const price = market.currentPrice(security);
    const last = market.previousClose(security, now);
    return {
      security,
      id: market.securityId(security).toString(),
      price,
      marketCap: Math.round((security.sharesOutstanding ?? 0) * price * 100) / 100,
      changeRate: last ? round3((price / last - 1) * 100) : 0,
    };
  });
}

function inValue(value: number, condition: Qot_OptionScreen_IndicatorValue | undefined, exact: boolean, what: string) {
  if (!condition) fail(`${what} needs an indicatorValue`);
  if (exact) {
    if (!condition.valueList?.length) fail(`${what} matches exact values: give valueList`);
    return condition.valueList.some((v) => Number(v) === value);
  }
  const interval = condition.valueInterval;
  if (!interval || (!interval.filterMin && !interval.filterMax)) fail(`${what} is a range: give valueInterval`);
  const { filterMin: min, filterMax: max } = interval;
  if (min && max && min.value > max.value) fail(`${what}: filterMin ${min.value} is above filterMax ${max.value}`);
  if (min && (min.includes ? value < min.value : value <= min.value)) return false;
  if (max && (max.includes ? value > max.value : value >= max.value)) return false;
  return true;
}

/** Refuses the factors OpenD itself refuses, before any contract is looked at. */
function checkOptionFactor(type: number, use: "filter" | "sort" | "retrieve"): void {
  if (type === OptionType.BuyBreakEvenPoint) {
    fail("OptionIndicatorType BuyBreakEvenPoint (3023) is deprecated: use BuyToBep (3011)");
  }
  if (type === OptionType.Premium && use === "filter") {
    fail("OptionIndicatorType Premium (2021) can sort and retrieve, not filter");
  }
  if (!(type in OPTION_FIELDS)) {
    fail(`OptionIndicatorType ${nameOf(OptionType, type)} (${type}) is not supported by the simulator`);
  }
}

function checkUnderlyingFactor(type: number): void {
  if (type === UnderlyingType.Plate) fail("UnderlyingIndicatorType Plate (103) is deprecated and not supported");
  if (type !== UnderlyingType.StockList && !(type in UNDERLYING_FIELDS)) {
    fail(`UnderlyingIndicatorType ${nameOf(UnderlyingType, type)} (${type}) is not supported by the simulator`);
  }
}

/** Screens the simulated chains for one request. */
export function optionScreen(market: MarketData, c2s: Qot_OptionScreen_C2S): Qot_OptionScreen_S2C {
  const categories = c2s.marketCategoryList ?? [];
  if (categories.length === 0) fail("marketCategoryList must name at least one market category");
  const pageFrom = c2s.pageFrom ?? 0;
  const pageCount = c2s.pageCount ?? DEFAULT_PAGE;
  if (!(Number.isInteger(pageFrom) && pageFrom >= 0)) fail(`pageFrom must be 0 or more, got ${pageFrom}`);
  if (!(Number.isInteger(pageCount) && pageCount >= 1 && pageCount <= MAX_PAGE)) {
    fail(`pageCount must be between 1 and ${MAX_PAGE}, got ${pageCount}`);
  }
  const groups = c2s.filterList ?? [];
  groups.forEach((g) => {
    for (const u of g.underlyingList ?? []) checkUnderlyingFactor(u.indicatorType);
    for (const o of g.optionList ?? []) checkOptionFactor(o.indicatorType, "filter");
  });
  const sorts = c2s.sortList ?? [];
  for (const s of sorts) {
    checkOptionFactor(s.indicatorType, "sort");
    if (s.direction !== 0 && s.direction !== 1) {
      fail(`sort direction ${s.direction} is unknown: 0 ascending, 1 descending`);
    }
  }
  const retrieve = c2s.optionRetrieveList?.length ? c2s.optionRetrieveList : DEFAULT_OPTION_RETRIEVE;
  for (const type of retrieve) checkOptionFactor(type, "retrieve");
  const underlyingRetrieve = c2s.underlyingRetrieveList?.length
    ? c2s.underlyingRetrieveList
    : [UnderlyingType.StockPrice];
  for (const type of underlyingRetrieve) {
    if (!(type in UNDERLYING_FIELDS)) {
      fail(`UnderlyingIndicatorType ${nameOf(UnderlyingType, type)} (${type}) cannot be retrieved by the simulator`);
    }
  }

  const now = market.clock.now();
  const contracts: Contract[] = [];
  for (const u of underlyingsOf(market, categories)) {
    const owner = u.security;
    const today = localTime(owner.market, now).day;
    const reference = market.previousClose(owner, now);
    for (const expiry of listedExpiries(owner, today)) {
      for (const { call, put } of contractsAt(owner, expiry, reference, (code) => securityByCode(owner.market, code))) {
        contracts.push(new Contract(market, call, u), new Contract(market, put, u));
      }
    }
  }
  const matches = contracts.filter((c) =>
    groups.every((g, i) => {
      const conditions = (g.underlyingList?.length ?? 0) + (g.optionList?.length ?? 0);
      if (conditions === 0) return true;
      return (g.underlyingList ?? []).some((u) =>
        u.indicatorType === UnderlyingType.StockList
          ? inValue(Number(c.underlying.id), u.indicatorValue, true, `filterList[${i}] StockList`)
          : inValue(
            underlyingValue(c.underlying, u.indicatorType),
            u.indicatorValue,
            false,
            `filterList[${i}] underlying ${u.indicatorType}`,
          )
      ) ||
        (g.optionList ?? []).some((o) =>
          inValue(
            c.value(o.indicatorType),
            o.indicatorValue,
            EXACT_OPTION.has(o.indicatorType),
            `filterList[${i}] option ${o.indicatorType}`,
          )
        );
    })
  );
  matches.sort((a, b) => {
    for (const s of sorts) {
      const d = a.value(s.indicatorType) - b.value(s.indicatorType);
      if (d !== 0) return s.direction === 1 ? -d : d;
    }
    return a.option.code < b.option.code ? -1 : a.option.code > b.option.code ? 1 : 0;
  });
  const page = matches.slice(pageFrom, pageFrom + pageCount);
  return {
    lastPage: pageFrom + pageCount >= matches.length,
    allCount: matches.length,
    dataList: page.map((c) => {
      const item: Record<string, unknown> = {
        security: securityOf(c.option),
        optionName: c.option.name,
        strikeDate: c.option.expiry!.replaceAll("-", ""),
      };
      for (const type of retrieve) {
        const { field, int64 } = OPTION_FIELDS[type];
        const value = c.value(type);
        item[field] = int64 ? String(value) : value;
      }
      const info: Record<string, unknown> = { stockID: c.underlying.id };
      for (const type of underlyingRetrieve) info[UNDERLYING_FIELDS[type]] = underlyingValue(c.underlying, type);
      item.underlyingInfo = info;
      return item as Qot_OptionScreen_OptionScreenItem;
    }),
  };
}
