/**
 * The simulated stock filter (`Qot_StockFilter`): screens the catalog's stocks
 * of a market (SH and SZ together are the A-share market), optionally of one
 * plate, on the values the simulator reports elsewhere — price, valuation and
 * shares from the snapshot, the 52-week range, the order book's depth for the
 * bid/ask ratio, daily bars for accumulated fields, the catalog's earnings and
 * book value for the financial ones — so a stock passes a bound exactly when
 * its snapshot or candles say it should. Fields the model has no data for
 * (PS/PCF, most financial ratios, technical patterns) are refused by name.
 *
 * @module
 */
import { ACCUMULATE_FIELD, FINANCIAL_FIELD, FINANCIAL_QUARTER, STOCK_FIELD } from "../gateway/research_types.ts";
import type { S2C } from "../gateway/proto/codec.ts";
import type { Qot_GetSecuritySnapshot_Snapshot, Qot_StockFilter_C2S } from "../gateway/proto/messages.ts";
import { marketOfQotMarket } from "../gateway/symbols.ts";
import { fail } from "./_handler_common.ts";
import { lookbackMs } from "./bars.ts";
import { plateBySymbolOf, SIM_SECURITIES, type SimSecurity } from "./catalog.ts";
import { localTime, utcOf } from "./clock.ts";
import type { MarketData } from "./market.ts";
import { securityOf, snapshotOf } from "./wire.ts";

/** Largest page OpenD serves. */
const MAX_PAGE = 200;
/** Longest accumulation window the simulator computes, in trading days. */
const MAX_DAYS = 250;

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function ratio(value: number, base: number): number {
  return base ? round3((value - base) / base * 100) : 0;
}

/** What one stock's values are computed from, each part on first use. */
class StockFacts {
  #snapshot?: Qot_GetSecuritySnapshot_Snapshot;

  constructor(readonly market: MarketData, readonly security: SimSecurity) {}

  get snapshot(): Qot_GetSecuritySnapshot_Snapshot {
    return this.#snapshot ??= snapshotOf(this.market, this.security);
  }

  /** The latest `days` daily bars, today's (running) one included. */
  dailyBars(days: number) {
    const now = this.market.clock.now();
    return this.market.bars(this.security, "K_DAY", now - lookbackMs("K_DAY", days), now, days, { fromEnd: true });
  }
}

type BaseValue = (f: StockFacts) => number;

/** Simple fields the simulator computes, by SDK name. */
const BASE: Record<string, BaseValue> = {
  CUR_PRICE: (f) => f.snapshot.basic.curPrice,
  CUR_PRICE_TO_HIGHEST52_WEEKS_RATIO: (f) => ratio(f.snapshot.basic.curPrice, f.snapshot.basic.highest52WeeksPrice!),
  CUR_PRICE_TO_LOWEST52_WEEKS_RATIO: (f) => ratio(f.snapshot.basic.curPrice, f.snapshot.basic.lowest52WeeksPrice!),
  HIGH_PRICE_TO_HIGHEST52_WEEKS_RATIO: (f) => ratio(f.snapshot.basic.highPrice, f.snapshot.basic.highest52WeeksPrice!),
  LOW_PRICE_TO_LOWEST52_WEEKS_RATIO: (f) => ratio(f.snapshot.basic.lowPrice, f.snapshot.basic.lowest52WeeksPrice!),
  VOLUME_RATIO: volumeRatio,
  BID_ASK_RATIO: (f) => {
    const book = f.market.orderBook(f.security, 10);
    const bids = book.bids.reduce((s, l) => s + l.volume, 0);
    const asks = book.asks.reduce((s, l) => s + l.volume, 0);
    return bids + asks > 0 ? round3((bids - asks) / (bids + asks) * 100) : 0;
  },
  LOT_PRICE: (f) => round3(f.snapshot.basic.curPrice * f.security.lotSize),
  MARKET_VAL: (f) => f.snapshot.equityExData?.issuedMarketVal ?? 0,
  PE_ANNUAL: (f) => f.snapshot.equityExData?.peRate ?? 0,
  PE_TTM: (f) => f.snapshot.equityExData?.peTTMRate ?? 0,
  PB_RATE: (f) => f.snapshot.equityExData?.pbRate ?? 0,
  CHANGE_RATE_5MIN: (f) => {
    const at = f.market.lastTradeInstant(f.security.market, f.market.clock.now());
    return ratio(f.snapshot.basic.curPrice, f.market.priceAt(f.security, at - 5 * 60_000));
  },
  CHANGE_RATE_BEGIN_YEAR: (f) => {
    const now = f.market.clock.now();
    const year = new Date(localTime(f.security.market, now).day * 86_400_000).getUTCFullYear();
    const jan1 = utcOf(f.security.market, Math.floor(Date.UTC(year, 0, 1) / 86_400_000), 0);
    const [first] = f.market.bars(f.security, "K_DAY", jan1, now, 1);
    return first ? ratio(f.snapshot.basic.curPrice, first.lastClose ?? first.open) : 0;
  },
  TOTAL_SHARE: (f) => Number(f.snapshot.equityExData?.issuedShares ?? 0),
  FLOAT_SHARE: (f) => Number(f.snapshot.equityExData?.outstandingShares ?? 0),
  FLOAT_MARKET_VAL: (f) => f.snapshot.equityExData?.outstandingMarketVal ?? 0,
};

/** Today's volume per minute traded against the average of the five trading days before. */
function volumeRatio(f: StockFacts): number {
  const now = f.market.clock.now();
  const today = f.market.currentTradingDay(f.security.market, now);
  const todayBars = f.market.minuteBars(f.security, today, now);
  const before = f.dailyBars(6).filter((b) => localTime(f.security.market, b.startMs).day < today).slice(-5);
  let minutes = 0;
  let volume = 0;
  for (const bar of before) {
    const day = localTime(f.security.market, bar.startMs).day;
    minutes += f.market.minuteBars(f.security, day, now).length;
    volume += bar.volume;
  }
  if (todayBars.length === 0 || minutes === 0 || volume === 0) return 0;
  const todayVolume = todayBars.reduce((s, b) => s + b.volume, 0);
  return round3((todayVolume / todayBars.length) / (volume / minutes));
}

type AccumulateValue = (f: StockFacts, days: number) => number;

/** Fields over the last `days` daily bars (today's included). */
const ACCUMULATE: Record<string, AccumulateValue> = {
  CHANGE_RATE: (f, days) => {
    const bars = f.dailyBars(days);
    return bars.length ? ratio(bars.at(-1)!.close, bars[0].lastClose ?? bars[0].open) : 0;
  },
  AMPLITUDE: (f, days) => {
    const bars = f.dailyBars(days);
    if (!bars.length) return 0;
    const base = bars[0].lastClose ?? bars[0].open;
    return round3((Math.max(...bars.map((b) => b.high)) - Math.min(...bars.map((b) => b.low))) / base * 100);
  },
  VOLUME: (f, days) => {
    const bars = f.dailyBars(days);
    return bars.length ? Math.round(bars.reduce((s, b) => s + b.volume, 0) / bars.length) : 0;
  },
  TURNOVER: (f, days) => {
    const bars = f.dailyBars(days);
    return bars.length ? round3(bars.reduce((s, b) => s + b.turnover, 0) / bars.length) : 0;
  },
  TURNOVER_RATE: (f, days) => {
    const shares = f.security.sharesOutstanding ?? 0;
    return shares ? round3(f.dailyBars(days).reduce((s, b) => s + b.volume, 0) / shares * 100) : 0;
  },
};

/** Financial fields of the annual report, from the catalog's per-share figures. */
const FINANCIAL: Record<string, BaseValue> = {
  NET_PROFIT: (f) => f.snapshot.equityExData?.netProfit ?? 0,
  BASIC_EPS: (f) => f.security.eps ?? 0,
  RETURN_ON_EQUITY_RATE: (f) =>
    f.security.eps && f.security.netAssetPerShare ? round3(f.security.eps / f.security.netAssetPerShare * 100) : 0,
};

/** One requested field: how to compute it, its bounds and sort, and how the reply names it. */
interface Condition {
  value: (f: StockFacts) => number;
  filter: boolean;
  min?: number;
  max?: number;
  sortDir: number;
  reply: "base" | "accumulate" | "financial";
  fieldName: number;
  days?: number;
  quarter?: number;
}

function unsupported(kind: string, name: string, why: string): never {
  fail(`${kind} ${name} is not supported by the simulator: ${why}`);
}

function conditionsOf(c2s: Qot_StockFilter_C2S): Condition[] {
  if (c2s.patternFilterList?.length) {
    unsupported("patternFilterList", "(technical patterns)", "it has no indicator engine");
  }
  if (c2s.customIndicatorFilterList?.length) {
    unsupported("customIndicatorFilterList", "(technical indicators)", "it has no indicator engine");
  }
  const bounds = (f: { filterMin?: number; filterMax?: number; isNoFilter?: boolean; sortDir?: number }) => {
    if (f.filterMin !== undefined && f.filterMax !== undefined && f.filterMin > f.filterMax) {
      fail(`filterMin ${f.filterMin} is above filterMax ${f.filterMax}`);
    }
    // OpenD's default for isNoFilter is true: a condition filters only when told to.
    return { filter: f.isNoFilter === false, min: f.filterMin, max: f.filterMax, sortDir: f.sortDir ?? 0 };
  };
  const out: Condition[] = [];
  for (const f of c2s.baseFilterList ?? []) {
    const name = STOCK_FIELD.fromWire(f.fieldName);
    const value = BASE[name];
    if (!value) {
      unsupported(
        "StockField",
        name,
        name === "STOCK_CODE" || name === "STOCK_NAME" ? "it takes no range" : "the model has no sales or cash flow",
      );
    }
    out.push({ value, ...bounds(f), reply: "base", fieldName: f.fieldName });
  }
  for (const f of c2s.accumulateFilterList ?? []) {
    const name = ACCUMULATE_FIELD.fromWire(f.fieldName);
    const compute = ACCUMULATE[name];
    if (!compute) unsupported("AccumulateField", name, "unknown field");
    if (!(Number.isInteger(f.days) && f.days >= 1 && f.days <= MAX_DAYS)) {
      fail(`days of AccumulateField ${name} must be between 1 and ${MAX_DAYS}, got ${f.days}`);
    }
    out.push({
      value: (facts) => compute(facts, f.days),
      ...bounds(f),
      reply: "accumulate",
      fieldName: f.fieldName,
      days: f.days,
    });
  }
  for (const f of c2s.financialFilterList ?? []) {
    const name = FINANCIAL_FIELD.fromWire(f.fieldName);
    const value = FINANCIAL[name];
    if (!value) {
      unsupported(
        "FinancialField",
        name,
        `only ${Object.keys(FINANCIAL).join(", ")} are simulated (from earnings and book value per share)`,
      );
    }
    if (f.quarter !== FINANCIAL_QUARTER.toWire("ANNUAL")) {
      unsupported("FinancialQuarter", FINANCIAL_QUARTER.fromWire(f.quarter), "only ANNUAL figures are simulated");
    }
    out.push({ value, ...bounds(f), reply: "financial", fieldName: f.fieldName, quarter: f.quarter });
  }
  if (out.filter((c) => c.sortDir !== 0).length > 1) fail("Only one field can be sorted on");
  return out;
}

function candidates(c2s: Qot_StockFilter_C2S): SimSecurity[] {
  const market = marketOfQotMarket(c2s.market);
  if (market !== "HK" && market !== "US" && market !== "SH" && market !== "SZ") {
    fail(`Unsupported market ${market ?? c2s.market}: expected HK, US or the A-share market (SH/SZ)`);
  }
  const inMarket = (s: SimSecurity) =>
    market === "SH" || market === "SZ" ? s.market === "SH" || s.market === "SZ" : s.market === market;
  let stocks = SIM_SECURITIES.filter((s) => s.kind === "stock" && inMarket(s));
  if (c2s.plate) {
    const plateMarket = marketOfQotMarket(c2s.plate.market);
    const plate = plateBySymbolOf(`${plateMarket}.${c2s.plate.code}`);
    if (!plate) fail(`Unknown plate ${plateMarket ?? c2s.plate.market}.${c2s.plate.code}`);
    stocks = stocks.filter((s) => plate.constituents.includes(s.symbol));
  }
  return stocks;
}

/** Screens the catalog for one request. */
export function stockFilter(market: MarketData, c2s: Qot_StockFilter_C2S): S2C<"Qot_StockFilter"> {
  if (!(Number.isInteger(c2s.begin) && c2s.begin >= 0)) fail(`begin must be 0 or more, got ${c2s.begin}`);
  if (!(Number.isInteger(c2s.num) && c2s.num >= 1 && c2s.num <= MAX_PAGE)) {
    fail(`num must be between 1 and ${MAX_PAGE}, got ${c2s.num}`);
  }
  const conditions = conditionsOf(c2s);
  const rows = candidates(c2s).map((security) => {
    const facts = new StockFacts(market, security);
    return { security, values: conditions.map((c) => c.value(facts)) };
  }).filter((row) =>
    conditions.every((c, i) =>
      !c.filter || ((c.min === undefined || row.values[i] >= c.min) && (c.max === undefined || row.values[i] <= c.max))
    )
  );
  const sortIndex = conditions.findIndex((c) => c.sortDir !== 0);
  rows.sort((a, b) => {
    if (sortIndex >= 0) {
      const d = a.values[sortIndex] - b.values[sortIndex];
      if (d !== 0) return conditions[sortIndex].sortDir === 2 ? -d : d;
    }
    return a.security.symbol.localeCompare(b.security.symbol);
  });
  const page = rows.slice(c2s.begin, c2s.begin + c2s.num);
  return {
    lastPage: c2s.begin + c2s.num >= rows.length,
    allCount: rows.length,
    dataList: page.map((row) => {
      const of = (kind: Condition["reply"]) =>
        conditions.flatMap((c, i) => c.reply === kind ? [{ c, v: row.values[i] }] : []);
      return {
        security: securityOf(row.security),
        name: row.security.name,
        baseDataList: of("base").map(({ c, v }) => ({ fieldName: c.fieldName, value: v })),
        accumulateDataList: of("accumulate").map(({ c, v }) => ({ fieldName: c.fieldName, value: v, days: c.days! })),
        financialDataList: of("financial").map(({ c, v }) => ({
          fieldName: c.fieldName,
          value: v,
          quarter: c.quarter!,
        })),
      };
    }),
  };
}
