/**
 * The simulated stock screen V2 (`Qot_StockScreen`), modelled on the
 * simulated market: the catalog's stocks of the requested markets (CN is SH
 * and SZ together; SG, CA, AU, JP and MY have no simulated stocks) and plates,
 * filtered and sorted on the values the simulator reports elsewhere, so every
 * returned stock meets every bound and `allCount` counts every match:
 * - from the snapshot: price, market cap (price × shares), P/E and P/E TTM
 *   (price / EPS), P/B (price / net assets per share), dividend yield (TTM
 *   dividends / price), and, over one day, the change, change rate, amplitude,
 *   volume, turnover and turnover rate of the day's session;
 * - over N daily bars (today's running one included): the change and change
 *   rate against the close before the window, the amplitude (highest high −
 *   lowest low over that close), the average daily volume and turnover, the
 *   turnover rate (the window's volume / shares);
 * - the annual report: net profit (shares × EPS), EPS, ROE (EPS / net assets
 *   per share, as the snapshot's net profit / net assets), float market cap.
 * Ratios are fractions (0.05 = 5 %) where the snapshot shows percentages.
 * Code is "MARKET.CODE", industry the name of the stock's INDUSTRY plate,
 * `stockId` the static info's id. Property kinds the model has no data for
 * (indicators, patterns, featured, brokers, K-line shapes, options, profit
 * growth) are refused by name.
 *
 * @module
 */
import type {
  Qot_StockScreen_Boundary,
  Qot_StockScreen_C2S,
  Qot_StockScreen_PropertyCumulative,
  Qot_StockScreen_PropertyFinancial,
  Qot_StockScreen_RetrieveQuery,
  Qot_StockScreen_RspItemResult,
  Qot_StockScreen_S2C,
  Qot_StockScreen_Sort,
  Qot_StockScreen_StockScreenItem,
} from "../gateway/proto/messages.ts";
import {
  SCR_MARKET,
  SCREEN_VALUE_TYPE,
  SIMPLE_FIELD_MARKET,
  STOCK_SORT,
  type StockPropertyKind,
  type StockPropertyName,
  stockPropertyName,
  TERM_ANNUAL,
} from "../gateway/screen_fields.ts";
import { fail, round } from "./_handler_common.ts";
import { lookbackMs } from "./bars.ts";
import { SIM_PLATES, SIM_SECURITIES, type SimSecurity } from "./catalog.ts";
import type { MarketData } from "./market.ts";

/** Largest page OpenD serves. */
const MAX_PAGE = 300;
/** Default page size (the SDK's). */
const DEFAULT_PAGE = 200;
/** Longest accumulation window, in trading days. */
const MAX_DAYS = 250;

/** One property as a request names it: what to compute. */
interface PropertyRef {
  kind: StockPropertyKind;
  name: StockPropertyName;
  /** Cumulative properties: the window in trading days. */
  days: number;
  /** The request's property message, echoed in results. */
  wire: Record<string, unknown>;
}

/** Daily bars taken together. */
interface Window {
  count: number;
  high: number;
  low: number;
  volume: number;
  turnover: number;
  /** The close before the first bar. */
  base: number;
}

/**
 * What one stock's values are computed from, each on first use: the price and
 * previous close the snapshot reports (`basicQotOf`), so market cap and net
 * profit round as the snapshot's `issuedMarketVal` and `netProfit` do.
 */
class StockFacts {
  readonly #values = new Map<string, number | string>();
  #price?: number;

  constructor(readonly market: MarketData, readonly security: SimSecurity) {}

  get price(): number {
    return this.#price ??= this.market.priceAt(this.security, this.market.clock.now());
  }

  value(ref: PropertyRef): number | string {
    const key = `${ref.name}|${ref.days}`;
    let value = this.#values.get(key);
    if (value === undefined) this.#values.set(key, value = this.#compute(ref));
    return value;
  }

  #compute(ref: PropertyRef): number | string {
    const shares = this.security.sharesOutstanding ?? 0;
    const eps = this.security.eps ?? 0;
    const nav = this.security.netAssetPerShare ?? 0;
    switch (ref.name) {
      case "code":
        return this.security.symbol;
      case "name":
        return this.security.name;
      case "industry":
        return SIM_PLATES.find((p) => p.setType === "INDUSTRY" && p.constituents.includes(this.security.symbol))
          ?.name ?? "";
      case "price":
        return this.price;
      case "market_cap":
      case "float_market_cap":
        return round(shares * this.price, 2);
      case "pe":
      case "pe_ttm":
        return eps ? round(this.price / eps, 3) : 0;
      case "pb":
        return nav ? round(this.price / nav, 3) : 0;
      case "dividend_yield":
        return this.security.dividendTTM ? round(this.security.dividendTTM / this.price, 5) : 0;
      case "change":
      case "change_pct": {
        const base = this.#changeBase(ref.days);
        const change = this.price - base;
        return ref.name === "change" ? round(change, 3) : base ? round(change / base, 6) : 0;
      }
      case "amplitude": {
        const { high, low, base } = this.#window(ref.days);
        return base ? round((high - low) / base, 5) : 0;
      }
      case "avg_volume":
        return this.#average(ref.days, "volume", 0);
      case "avg_turnover":
        return this.#average(ref.days, "turnover", 2);
      case "turnover_rate":
        return shares ? round(this.#window(ref.days).volume / shares, 5) : 0;
      case "net_profit":
        return round(shares * eps, 2);
      case "eps":
        return eps;
      case "roe":
        return nav ? round(eps / nav, 6) : 0;
      default:
        return fail(`${ref.kind} property ${ref.name} is not supported by the simulator`);
    }
  }

  /** The close before the first of the latest `days` daily bars (today's running bar included). */
  #changeBase(days: number): number {
    const now = this.market.clock.now();
    if (days === 1) return this.market.previousClose(this.security, now);
    return this.#window(days).base;
  }

  /** The daily average of the window's volume or turnover. */
  #average(days: number, of: "volume" | "turnover", digits: number): number {
    const window = this.#window(days);
    return window.count ? round(window[of] / window.count, digits) : 0;
  }

  /**
   * The latest `days` daily bars together (today's running one included; one
   * day is the day's session, as the snapshot reports it): range, volume,
   * turnover and the close before the first.
   */
  #window(days: number): Window {
    const now = this.market.clock.now();
    const previous = this.market.previousClose(this.security, now);
    if (days === 1) {
      const s = this.market.sessionSummary(this.security, now);
      return { count: 1, high: s.high, low: s.low, volume: Math.round(s.volume), turnover: s.turnover, base: previous };
    }
    const bars = this.market.bars(this.security, "K_DAY", now - lookbackMs("K_DAY", days), now, days, {
      fromEnd: true,
    });
    if (!bars.length) return { count: 0, high: 0, low: 0, volume: 0, turnover: 0, base: previous };
    return {
      count: bars.length,
      high: Math.max(...bars.map((b) => b.high)),
      low: Math.min(...bars.map((b) => b.low)),
      volume: bars.reduce((sum, b) => sum + Math.round(b.volume), 0),
      turnover: bars.reduce((sum, b) => sum + b.turnover, 0),
      base: bars[0].lastClose ?? bars[0].open,
    };
  }
}

function propertyOf(kind: StockPropertyKind, wire: { name?: number } & Record<string, unknown>): PropertyRef {
  const name = stockPropertyName(kind, wire.name ?? 0);
  if (!name) fail(`Unknown ${kind} property name ${wire.name}`);
  if (name === "net_profit_growth") {
    fail("financial property 4102 (net profit growth) is not supported by the simulator: it models one fiscal year");
  }
  let days = 1;
  if (kind === "cumulative") {
    const cumulative = wire as Qot_StockScreen_PropertyCumulative;
    days = cumulative.days ?? 1;
    if (!(Number.isInteger(days) && days >= 1 && days <= MAX_DAYS)) {
      fail(`days of cumulative property ${wire.name} must be between 1 and ${MAX_DAYS}, got ${days}`);
    }
    if (cumulative.periodAverage) fail("periodAverage of a cumulative property is not supported by the simulator");
  }
  if (kind === "financial") {
    const financial = wire as Qot_StockScreen_PropertyFinancial;
    if (financial.term !== undefined && financial.term !== TERM_ANNUAL) {
      fail(`term ${financial.term} is not supported by the simulator: only the annual report (${TERM_ANNUAL})`);
    }
    if (financial.year !== undefined || financial.duration !== undefined || financial.futureDuration !== undefined) {
      fail(
        "year, duration and futureDuration of a financial property are not supported: the simulator models one year",
      );
    }
  }
  return { kind, name, days, wire };
}

const UNSUPPORTED_KINDS = {
  indicatorProperty: "indicator",
  featuredProperty: "featured",
  brokerProperty: "broker",
  optionProperty: "option",
  klineShapeProperty: "K-line shape",
} as const;

/** The one property a retrieve or sort entry sets. */
function propertyOfEntry(entry: Qot_StockScreen_RetrieveQuery | Qot_StockScreen_Sort, what: string): PropertyRef {
  const set = Object.entries(entry).filter(([k, v]) => v !== undefined && k !== "direction");
  if (set.length !== 1) fail(`${what} must set exactly one property, got ${set.length}`);
  const [key, value] = set[0];
  const unsupported = UNSUPPORTED_KINDS[key as keyof typeof UNSUPPORTED_KINDS];
  if (unsupported) fail(`${what}: ${unsupported} properties are not supported by the simulator`);
  const kind = key.replace(/Property$/, "") as StockPropertyKind;
  if (!["basic", "simple", "cumulative", "financial"].includes(kind)) fail(`${what}: unknown property ${key}`);
  return propertyOf(kind, value as Record<string, unknown>);
}

/** A bound condition on one property. */
interface Bound {
  ref: PropertyRef;
  min?: Qot_StockScreen_Boundary;
  max?: Qot_StockScreen_Boundary;
}

function passes(value: number, bound: Bound): boolean {
  const { min, max } = bound;
  if (min && (min.includes ? value < min.value : value <= min.value)) return false;
  if (max && (max.includes ? value > max.value : value >= max.value)) return false;
  return true;
}

interface Query {
  markets?: Set<string>;
  plates?: Set<string>;
  bounds: Bound[];
}

/** Catalog markets of a `stock_screener_common.Market` value. */
function marketsOf(value: number): string[] {
  switch (value) {
    case SCR_MARKET.HK:
      return ["HK"];
    case SCR_MARKET.US:
      return ["US"];
    case SCR_MARKET.CN:
      return ["SH", "SZ"];
    case SCR_MARKET.SG:
    case SCR_MARKET.CA:
    case SCR_MARKET.AU:
    case SCR_MARKET.JP:
    case SCR_MARKET.MY:
      return [];
    default:
      return fail(`Unknown market ${value}: expected a stock_screener_common.Market (HK=1, US=2, CN=3, SG=4 … MY=8)`);
  }
}

function queryOf(c2s: Qot_StockScreen_C2S): Query {
  const query: Query = { bounds: [] };
  (c2s.filterList ?? []).forEach((filter, i) => {
    const set = Object.entries(filter).filter(([, v]) => v !== undefined);
    if (set.length !== 1) fail(`filterList[${i}] must set exactly one query, got ${set.length}`);
    const [key] = set[0];
    if (filter.simpleFieldQuery) {
      const { simpleField, screenValueList } = filter.simpleFieldQuery;
      if (simpleField !== SIMPLE_FIELD_MARKET) {
        fail(`filterList[${i}]: simpleField ${simpleField} is not supported by the simulator (only 1, the market)`);
      }
      if (!screenValueList?.length) fail(`filterList[${i}]: screenValueList must name at least one market`);
      const markets = new Set(screenValueList.flatMap((v) => marketsOf(Number(v))));
      query.markets = query.markets ? new Set([...query.markets].filter((m) => markets.has(m))) : markets;
    } else if (filter.plateQuery) {
      const ids = (filter.plateQuery.plateList ?? []).flatMap((p) => p.plateIdList ?? []);
      if (ids.length === 0) fail(`filterList[${i}]: plateQuery names no plate`);
      for (const id of ids) {
        if (!SIM_PLATES.some((p) => p.code === id)) fail(`filterList[${i}]: unknown plate ${id}`);
      }
      const plates = new Set(ids);
      query.plates = query.plates ? new Set([...query.plates].filter((p) => plates.has(p))) : plates;
    } else {
      const q = filter.simplePropertyQuery ?? filter.cumulativePropertyQuery ?? filter.financialPropertyQuery;
      if (!q) fail(`filterList[${i}]: ${key} is not supported by the simulator`);
      const continuous = (q as { continuousPeriod?: number }).continuousPeriod;
      if (continuous !== undefined && continuous > 1) {
        fail(`filterList[${i}]: continuousPeriod is not supported by the simulator`);
      }
      const kind = filter.simplePropertyQuery ? "simple" : filter.cumulativePropertyQuery ? "cumulative" : "financial";
      const ref = propertyOf(kind, q.property as unknown as Record<string, unknown>);
      if (q.filterMin && q.filterMax && q.filterMin.value > q.filterMax.value) {
        fail(`filterList[${i}]: filterMin ${q.filterMin.value} is above filterMax ${q.filterMax.value}`);
      }
      query.bounds.push({ ref, min: q.filterMin, max: q.filterMax });
    }
  });
  return query;
}

function candidates(market: MarketData, c2s: Qot_StockScreen_C2S, query: Query): SimSecurity[] {
  const plateMembers = query.plates &&
    new Set(SIM_PLATES.filter((p) => query.plates!.has(p.code)).flatMap((p) => p.constituents));
  const watch = c2s.watchlistStockIds?.length ? new Set(c2s.watchlistStockIds.map(String)) : undefined;
  return SIM_SECURITIES.filter((s) =>
    s.kind === "stock" &&
    (!query.markets || query.markets.has(s.market)) &&
    (!plateMembers || plateMembers.has(s.symbol)) &&
    (!watch || watch.has(market.securityId(s).toString()))
  );
}

function resultOf(ref: PropertyRef, value: number | string): Qot_StockScreen_RspItemResult {
  const result = typeof value === "string"
    ? { property: ref.wire, valueType: SCREEN_VALUE_TYPE.STRING, sval: value }
    : { property: ref.wire, valueType: SCREEN_VALUE_TYPE.DOUBLE, dval: value };
  return { [`${ref.kind}PropertyResult`]: result } as Qot_StockScreen_RspItemResult;
}

function compare(a: number | string, b: number | string, direction: number): number {
  if (typeof a === "string" || typeof b === "string") {
    const order = String(a).localeCompare(String(b));
    return direction === STOCK_SORT.DESC || direction === STOCK_SORT.ABS_DESC ? -order : order;
  }
  const abs = direction === STOCK_SORT.ABS_ASC || direction === STOCK_SORT.ABS_DESC;
  const d = abs ? Math.abs(a) - Math.abs(b) : a - b;
  return direction === STOCK_SORT.DESC || direction === STOCK_SORT.ABS_DESC ? -d : d;
}

/** Screens the catalog for one request. */
export function stockScreen(market: MarketData, c2s: Qot_StockScreen_C2S): Qot_StockScreen_S2C {
  const pageFrom = c2s.pageFrom ?? 0;
  const pageCount = c2s.pageCount ?? DEFAULT_PAGE;
  if (!(Number.isInteger(pageFrom) && pageFrom >= 0)) fail(`pageFrom must be 0 or more, got ${pageFrom}`);
  if (!(Number.isInteger(pageCount) && pageCount >= 1 && pageCount <= MAX_PAGE)) {
    fail(`pageCount must be between 1 and ${MAX_PAGE}, got ${pageCount}`);
  }
  const query = queryOf(c2s);
  const retrieve = (c2s.retrieveList ?? []).map((r, i) => propertyOfEntry(r, `retrieveList[${i}]`));
  const sorts = (c2s.sortList?.length ? c2s.sortList : c2s.sort ? [c2s.sort] : []).map((s, i) => {
    if (!Object.values(STOCK_SORT).includes(s.direction as 1)) {
      fail(
        `sort direction ${s.direction} is unknown: expected 1 (ascending), 2 (descending), 3 or 4 (by absolute value)`,
      );
    }
    return { ref: propertyOfEntry(s, `sortList[${i}]`), direction: s.direction };
  });
  const rows = candidates(market, c2s, query).map((security) => new StockFacts(market, security))
    .filter((facts) => query.bounds.every((b) => passes(facts.value(b.ref) as number, b)));
  rows.sort((a, b) => {
    for (const sort of sorts) {
      const order = compare(a.value(sort.ref), b.value(sort.ref), sort.direction);
      if (order !== 0) return order;
    }
    return a.security.symbol.localeCompare(b.security.symbol);
  });
  const page = rows.slice(pageFrom, pageFrom + pageCount);
  const dataList: Qot_StockScreen_StockScreenItem[] = page.map((facts) => ({
    stockId: market.securityId(facts.security).toString(),
    results: retrieve.map((ref) => resultOf(ref, facts.value(ref))),
  }));
  return { dataList, lastPage: pageFrom + pageCount >= rows.length ? 1 : 0, allCount: rows.length };
}
