/**
 * Valuation of the simulated stocks, plates and indices (modelled): P/E =
 * price / trailing EPS (the last four published quarters of `earnings.ts`,
 * which add up to the catalog's `eps`), P/B = price / book value per share
 * (the latest published balance sheet; today the catalog's
 * `netAssetPerShare`), P/S = price / trailing revenue per share (the
 * financial model); market cap = price × shares outstanding to the cent. The
 * current value uses the current simulated price; the history samples the
 * forward-adjusted daily closes (at most 60 points over the interval) against
 * the figures published by each day, so it is on one share basis. Forward
 * P/E divides by the estimates of the next four quarters, forward P/S by the
 * model's revenue of the next four. Peers are the catalog's stocks of the
 * same market (SH and SZ together), a stock's plate its first industry plate
 * (else its first plate), an index's constituents the catalog's stocks of
 * its market.
 *
 * @module
 */
import type {
  Qot_Common_Security,
  Qot_GetValuationDetail_C2S,
  Qot_GetValuationDetail_S2C,
  Qot_GetValuationPlateStockList_C2S,
  Qot_GetValuationPlateStockList_S2C,
} from "../gateway/proto/messages.ts";
import {
  Qot_Common_SortField,
  Qot_Common_SortType,
  Qot_Common_ValuationIntervalType as Interval,
  Qot_Common_ValuationType,
} from "../gateway/proto/messages.ts";
import { marketOfQotMarket, qotMarketOf } from "../gateway/symbols.ts";
import { fail, resolve, round } from "./_handler_common.ts";
import { DAY_MS, dayOf, daySeconds, localDay, page } from "./_fundamentals_common.ts";
import {
  plateBySymbolOf,
  securityBySymbol,
  SIM_PLATES,
  SIM_SECURITIES,
  type SimPlate,
  type SimSecurity,
} from "./catalog.ts";
import { formatDay, formatLocal, localTime } from "./clock.ts";
import { earningsReport } from "./earnings.ts";
import { periodOf, publishedPeriods } from "./fundamentals_financials.ts";
import type { SimContext } from "./handlers.ts";
import { securityOf } from "./wire.ts";

const { PE, PB, PS } = Qot_Common_ValuationType;
/** Most points of a valuation history. */
const MAX_POINTS = 60;

/** Market cap at a price, to the cent. */
export function marketCapAt(security: SimSecurity, price: number): number {
  return Math.round(price * (security.sharesOutstanding ?? 0) * 100) / 100;
}

/** The per-share figure a valuation divides by, as published by `ms`. */
function perShare(seed: number, security: SimSecurity, type: number, ms: number): number | undefined {
  if (type === PB) {
    const latest = publishedPeriods(seed, security, ms, [1, 2, 3, 4])[0];
    return latest ? latest.values.equity / latest.values.shares : security.netAssetPerShare;
  }
  const quarters = publishedPeriods(seed, security, ms, [1, 2, 3, 4]).slice(0, 4);
  if (quarters.length < 4) return type === PE ? security.eps : undefined;
  if (type === PE) return quarters.reduce((sum, q) => sum + q.report.epsActual, 0);
  return quarters.reduce((sum, q) => sum + q.values.revenue, 0) / (security.sharesOutstanding ?? 1);
}

/** A valuation multiple at a price, as of `ms` (undefined without positive earnings, book or sales). */
function multiple(seed: number, security: SimSecurity, type: number, price: number, ms: number): number | undefined {
  const base = perShare(seed, security, type, ms);
  return base && base > 0 ? round(price / base, 2) : undefined;
}

/** Forward P/E (next four quarters' EPS estimates) or P/S (next four quarters' model revenue). */
function forwardMultiple(seed: number, security: SimSecurity, type: number, price: number, ms: number) {
  if (type === PB) return undefined;
  const latest = publishedPeriods(seed, security, ms, [1, 2, 3, 4])[0];
  if (!latest) return undefined;
  let sum = 0;
  for (let i = 1; i <= 4; i++) {
    const n = latest.fiscalYear * 4 + latest.kind - 1 + i;
    const year = Math.floor(n / 4);
    const quarter = (n % 4) + 1;
    sum += type === PE
      ? earningsReport(security, year, quarter).epsEstimate
      : periodOf(seed, security, year, quarter as 1 | 2 | 3 | 4).values.revenue / (security.sharesOutstanding ?? 1);
  }
  return sum > 0 ? round(price / sum, 2) : undefined;
}

/** Days an interval covers (`Qot_Common.ValuationIntervalType`). */
function intervalDays(interval: number, nowMs: number): number {
  switch (interval) {
    case Interval.Month3:
      return 91;
    case Interval.Month6:
      return 182;
    case Interval.Year1:
      return 365;
    case Interval.Year2:
      return 730;
    case Interval.Year3:
      return 1095;
    case Interval.Since2019:
      return Math.floor((nowMs - Date.parse("2019-01-01T00:00:00Z")) / DAY_MS);
    case Interval.Year5:
      return 1826;
    case Interval.Year10:
      return 3652;
    case Interval.Year20:
      return 7305;
    case Interval.Year30:
      return 10957;
    default:
      return fail(`Unsupported intervalType ${interval}: expected 1 to 10`);
  }
}

/** The last forward-adjusted daily bar starting at or before `end` (a short window first: days cost minutes of model). */
function lastBar(ctx: SimContext, security: SimSecurity, end: number) {
  const options = { fromEnd: true, rehab: "FORWARD" } as const;
  return ctx.market.bars(security, "K_DAY", end - 3 * DAY_MS, end, 1, options)[0] ??
    ctx.market.bars(security, "K_DAY", end - 16 * DAY_MS, end, 1, options)[0];
}

/** Forward-adjusted closes sampled over the last `days` (at most {@link MAX_POINTS}, oldest first, today last). */
function sampledCloses(
  ctx: SimContext,
  security: SimSecurity,
  days: number,
): { day: number; ms: number; close: number }[] {
  const now = ctx.market.clock.now();
  const today = localDay(security.market, now);
  const first = Math.max(today - days, dayOf(security.listDate), today - 3652);
  const step = Math.max(1, Math.ceil((today - first) / (MAX_POINTS - 1)));
  const out: { day: number; ms: number; close: number }[] = [];
  for (let day = today; day >= first && out.length < MAX_POINTS; day -= step) {
    const end = Math.min(now, (day + 1) * DAY_MS + 12 * 3_600_000);
    const bar = lastBar(ctx, security, end);
    if (!bar) break;
    const barDay = localDay(security.market, bar.startMs);
    if (out.length > 0 && out[out.length - 1].day === barDay) continue;
    out.push({ day: barDay, ms: Math.min(now, bar.startMs + DAY_MS - 1), close: bar.close });
  }
  return out.reverse();
}

/** The valuation history of a stock: values at the sampled closes, oldest first. */
function history(ctx: SimContext, security: SimSecurity, type: number, days: number) {
  return sampledCloses(ctx, security, days).map((p) => ({
    ...p,
    value: multiple(ctx.market.seed, security, type, p.close, p.ms),
  })).filter((p): p is typeof p & { value: number } => p.value !== undefined);
}

/** Percent of the history's values at or below `current`. */
function percentile(values: readonly number[], current: number): number {
  if (values.length === 0) return 0;
  return round((values.filter((v) => v <= current).length / values.length) * 100, 2);
}

/** The catalog stocks valued together with a stock: its market's (SH and SZ together). */
function peersOf(security: SimSecurity): SimSecurity[] {
  const group = (s: SimSecurity) => (s.market === "SZ" ? "SH" : s.market);
  return SIM_SECURITIES.filter((s) => s.kind === "stock" && group(s) === group(security));
}

/** The plate a stock's valuation compares it with. */
function plateOf(security: SimSecurity): SimPlate | undefined {
  const holding = SIM_PLATES.filter((p) => p.constituents.includes(security.symbol));
  return holding.find((p) => p.setType === "INDUSTRY") ?? holding[0];
}

function membersOf(plate: SimPlate): SimSecurity[] {
  return plate.constituents.map((s) => securityBySymbol(s)!);
}

function plateWire(plate: SimPlate): Qot_Common_Security {
  return { market: qotMarketOf(plate.market), code: plate.code };
}

/** Distribution sections per valuation type: lower edges, the top one open (end 0). */
const EDGES: Readonly<Record<number, readonly number[]>> = {
  [PE]: [0, 10, 20, 30, 50],
  [PB]: [0, 1, 2, 4, 8],
  [PS]: [0, 2, 5, 10, 20],
};

function sections(type: number, values: readonly number[]) {
  const edges = EDGES[type];
  return edges.map((start, i) => {
    const end = edges[i + 1] ?? 0;
    return { start, end, number: values.filter((v) => v >= start && (end === 0 || v < end)).length };
  }).reverse();
}

function valuationTypeOf(value: number | undefined, fallback: number): number {
  const type = value === undefined || value === 0 ? fallback : value;
  if (type !== PE && type !== PB && type !== PS) {
    fail(`Unsupported valuationType ${type}: expected 1 (PE), 2 (PB) or 3 (PS)`);
  }
  return type;
}

/** Qot_GetValuationDetail. */
export function valuationDetail(ctx: SimContext, c2s: Qot_GetValuationDetail_C2S): Qot_GetValuationDetail_S2C {
  const security = resolve(c2s.security);
  if (security.kind !== "stock" && security.kind !== "index") {
    fail(`Valuation covers stocks and indices only; ${security.symbol} is a ${security.kind}`);
  }
  const seed = ctx.market.seed;
  const now = ctx.market.clock.now();
  const index = security.kind === "index";
  const type = valuationTypeOf(c2s.valuationType, index || (security.eps ?? 0) > 0 ? PE : PB);
  const days = intervalDays(c2s.intervalType || Interval.Year1, now);
  const valueNow = (s: SimSecurity) => multiple(seed, s, type, ctx.market.currentPrice(s), now);
  const peers = peersOf(security).map((s) => ({ s, value: valueNow(s) }))
    .filter((p): p is { s: SimSecurity; value: number } => p.value !== undefined);
  const s2c: Qot_GetValuationDetail_S2C = {
    valuationType: type,
    lastUpdateTime: String(Math.floor(now / 1000)),
    lastUpdateTimeStr: formatLocal(localTime(security.market, now).day, localTime(security.market, now).minute),
  };
  if (index) {
    // An index: the cap-weighted multiple of its constituents, and their distribution.
    const caps = peers.map((p) => marketCapAt(p.s, ctx.market.currentPrice(p.s)));
    const bases = peers.map((p, i) => caps[i] / p.value);
    const current = round(caps.reduce((a, b) => a + b, 0) / bases.reduce((a, b) => a + b, 0), 2);
    s2c.trend = { currentValue: current, historicalItems: [] };
    s2c.marketDistribution = { sections: sections(type, peers.map((p) => p.value)), total: peers.length };
    return s2c;
  }
  const current = valueNow(security);
  if (current === undefined) {
    fail(
      `${security.symbol} has no positive ${
        type === PE ? "earnings" : type === PB ? "book value" : "revenue"
      } to value`,
    );
  }
  const points = history(ctx, security, type, days);
  const plate = plateOf(security);
  const plateMembers = plate ? membersOf(plate) : [];
  const plateHistories = plateMembers.map((m) => new Map(history(ctx, m, type, days).map((p) => [p.day, p.value])));
  const values = points.map((p) => p.value);
  const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / Math.max(1, values.length - 1));
  s2c.trend = {
    currentValue: current,
    averageValue: round(mean, 2),
    avgMinus1Stddev: round(mean - sd, 2),
    avgPlus1Stddev: round(mean + sd, 2),
    valuationPercentile: percentile(values, current),
    forwardValue: forwardMultiple(seed, security, type, ctx.market.currentPrice(security), now),
    historicalItems: points.map((p) => {
      const plateValues = plateHistories.map((h) => h.get(p.day)).filter((v): v is number => v !== undefined);
      return {
        value: p.value,
        time: String(daySeconds(security.market, p.day)),
        timeStr: formatDay(p.day),
        plateValue: plateValues.length
          ? round(plateValues.reduce((a, b) => a + b, 0) / plateValues.length, 2)
          : undefined,
      };
    }),
  };
  const sorted = peers.map((p) => p.value).sort((a, b) => a - b);
  s2c.marketDistribution = {
    sections: sections(type, sorted),
    total: sorted.length,
    ranking: 1 + sorted.filter((v) => v < current).length,
    averageValue: round(sorted.reduce((a, b) => a + b, 0) / sorted.length, 2),
    medianValue: round(
      sorted.length % 2
        ? sorted[(sorted.length - 1) / 2]
        : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2,
      2,
    ),
  };
  if (plate) {
    const items = plateMembers.map((m) => ({ m, value: valueNow(m) }))
      .filter((x): x is { m: SimSecurity; value: number } => x.value !== undefined)
      .sort((a, b) => a.value - b.value);
    s2c.plateDistribution = {
      plate: plateWire(plate),
      plateName: plate.name,
      plateAverageValue: round(items.reduce((a, x) => a + x.value, 0) / items.length, 2),
      plateRanking: 1 + items.filter((x) => x.value < current).length,
      plateStockItemCount: items.length,
      stockItems: items.map((x) => ({
        security: securityOf(x.m),
        name: x.m.name,
        value: x.value,
        marketCap: marketCapAt(x.m, ctx.market.currentPrice(x.m)),
      })),
    };
  }
  if (type !== PB) s2c.profitGrowthRate = profitGrowth(ctx, security, type);
  return s2c;
}

/** Growth of earnings (PE) or revenue (PS) and of market cap over up to five fiscal years. */
function profitGrowth(ctx: SimContext, security: SimSecurity, type: number) {
  const seed = ctx.market.seed;
  const now = ctx.market.clock.now();
  const years = publishedPeriods(seed, security, now, [7]).slice(0, 6).reverse();
  if (years.length < 2) return undefined;
  const figure = (v: Record<string, number>) => (type === PE ? v.netIncome : v.revenue);
  const capAt = (date: string) => {
    const bar = lastBar(ctx, security, Math.min(now, (dayOf(date) + 1) * DAY_MS));
    return marketCapAt(security, bar?.close ?? ctx.market.currentPrice(security));
  };
  const base = years[0];
  const baseCap = capAt(base.report.date);
  const ttm = publishedPeriods(seed, security, now, [1, 2, 3, 4]).slice(0, 4).reduce((a, p) => a + figure(p.values), 0);
  const ttmMultiple = round(ttm / figure(base.values), 2);
  const capMultiple = round(marketCapAt(security, ctx.market.currentPrice(security)) / baseCap, 2);
  const what = type === PE ? "earnings" : "revenue";
  return {
    financialTtmMultiple: ttmMultiple,
    marketCapMultiple: capMultiple,
    yearCount: years.length - 1,
    profitData: years.map((y) => ({
      financialYear: y.fiscalYear,
      financialQuarter: 4,
      periodStr: y.periodText,
      reportDate: String(daySeconds(security.market, y.report.date)),
      reportDateStr: y.report.date,
      marketCapMultiple: round(capAt(y.report.date) / baseCap, 2),
      financeDataMultiple: round(figure(y.values) / figure(base.values), 2),
    })),
    conclusionDetailed: capMultiple > ttmMultiple
      ? `Valuation expanded: market cap ×${capMultiple} against ${what} ×${ttmMultiple} since ${base.periodText}`
      : `Valuation contracted: market cap ×${capMultiple} against ${what} ×${ttmMultiple} since ${base.periodText}`,
  };
}

/** Qot_GetValuationPlateStockList. */
export function valuationPlateStockList(
  ctx: SimContext,
  c2s: Qot_GetValuationPlateStockList_C2S,
): Qot_GetValuationPlateStockList_S2C {
  const market = marketOfQotMarket(c2s.security?.market ?? -1);
  const symbol = `${market}.${c2s.security?.code}`;
  const plate = plateBySymbolOf(symbol);
  let members: SimSecurity[];
  let isIndex = false;
  if (plate) {
    if (c2s.filterSecurity) fail("filterSecurity applies to an index's constituents only");
    members = membersOf(plate);
  } else {
    const security = resolve(c2s.security);
    if (security.kind !== "index") fail(`${security.symbol} is neither a plate nor an index`);
    isIndex = true;
    members = peersOf(security);
    if (c2s.filterSecurity) {
      const filter = plateBySymbolOf(`${marketOfQotMarket(c2s.filterSecurity.market)}.${c2s.filterSecurity.code}`);
      if (!filter) {
        fail(
          `Unknown plate ${marketOfQotMarket(c2s.filterSecurity.market)}.${c2s.filterSecurity.code} in filterSecurity`,
        );
      }
      members = members.filter((m) => filter.constituents.includes(m.symbol));
    }
  }
  const type = valuationTypeOf(c2s.valuationType, PE);
  const sortType = c2s.sortType ?? Qot_Common_SortType.Asc;
  if (sortType !== Qot_Common_SortType.Asc && sortType !== Qot_Common_SortType.Desc) {
    fail(`Unsupported sortType ${sortType}: expected 1 (descending) or 2 (ascending)`);
  }
  const { MarketCap, Valuation, ForwardValuation, HistoricalPercentile } = Qot_Common_SortField;
  const sortId = c2s.sortId ?? MarketCap;
  if (![MarketCap, Valuation, ForwardValuation, HistoricalPercentile].includes(sortId as 51)) {
    fail(
      `Unsupported sortId ${sortId}: expected 51 (market cap), 52 (valuation), 53 (forward valuation) or 54 (percentile)`,
    );
  }
  const seed = ctx.market.seed;
  const now = ctx.market.clock.now();
  const rows = members.map((m) => {
    const price = ctx.market.currentPrice(m);
    const value = multiple(seed, m, type, price, now);
    const past = history(ctx, m, type, 365).map((p) => p.value);
    return {
      security: securityOf(m),
      name: m.name,
      valuationVal: value,
      forwardValue: forwardMultiple(seed, m, type, price, now),
      valuationPercentile: value === undefined ? undefined : percentile(past, value),
      marketCap: marketCapAt(m, price),
    };
  });
  const key = (r: (typeof rows)[number]) =>
    sortId === Valuation
      ? r.valuationVal
      : sortId === ForwardValuation
      ? r.forwardValue
      : sortId === HistoricalPercentile
      ? r.valuationPercentile
      : r.marketCap;
  const sign = sortType === Qot_Common_SortType.Asc ? 1 : -1;
  rows.sort((a, b) =>
    sign * ((key(a) ?? -Infinity) - (key(b) ?? -Infinity)) || a.security.code.localeCompare(b.security.code)
  );
  const list = page(rows, c2s.nextKey, c2s.num);
  const plates = isIndex && !c2s.filterSecurity && !c2s.nextKey
    ? SIM_PLATES.filter((p) =>
      p.setType === "INDUSTRY" && p.constituents.some((s) => members.some((m) => m.symbol === s))
    )
    : [];
  return {
    count: rows.length,
    stockList: list.items,
    nextKey: list.nextKey,
    plateList: plates.map((p) => ({ security: plateWire(p), name: p.name })),
  };
}
