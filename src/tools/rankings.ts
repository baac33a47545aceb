/**
 * Rankings and market breadth: movers, hot lists, period change, dividend and earnings ranks, heat map, rise/fall distribution, industrial chains. The tools (toolset `rankings`, scope `qot:read`).
 *
 * @module
 */
import { z } from "zod";
import { derivedEnum, type EnumMap } from "../gateway/enums.ts";
import {
  Qot_GetDividendRank_DividendRankType,
  Qot_GetDividendRank_IndicatorType,
  Qot_GetDividendRank_SortField,
  Qot_GetEarningsBeatRank_BeatTerm,
  Qot_GetEarningsBeatRank_BeatType,
  Qot_GetEarningsBeatRank_IndicatorType,
  Qot_GetEarningsBeatRank_SortField,
  Qot_GetHeatMapData_HeatMapPlateType,
  Qot_GetHeatMapData_SortField,
  Qot_GetHighDividendSOERank_IndicatorType,
  Qot_GetHighDividendSOERank_SortField,
  Qot_GetHotList_HotListSortField,
  Qot_GetIndustrialPlateStock_SortField,
  Qot_GetPeriodChangeRank_IndicatorType,
  Qot_GetPeriodChangeRank_PeriodType,
  Qot_GetShortSellingRank_ShortSellingSortField,
  Qot_GetTopMoversRank_IndicatorType,
  Qot_GetTopMoversRank_PriceFilter,
} from "../gateway/proto/messages.ts";
import { qotMarketOf, toSecurity } from "../gateway/symbols.ts";
import { date, digits, enumArg, marketArg, pageKey, rowCount, symbol } from "./args.ts";
import { insightAnswer, insightOutput, insightResult, insightText, interval } from "./_insight.ts";
import { defineTool, READ_OPEND, type Tool } from "./tool.ts";

const offset = z.number().int().min(0).optional().default(0).describe("rows to skip (paging)");
const page = pageKey("next_page of the previous result", { max: 64 });

/** `[{field, min, max}]` filters over an indicator enum: bounds inclusive, all must hold. */
function filtersArg<N extends string>(map: EnumMap<N>, names: readonly N[] = map.names) {
  return z.array(
    z.strictObject({ field: enumArg(map, names), min: z.number().optional(), max: z.number().optional() })
      .refine((f) => f.min === undefined || f.max === undefined || f.min <= f.max, {
        message: "min must not be above max",
        path: ["min"],
      }),
  ).max(10).optional().describe("all must hold; bounds inclusive");
}

/** A filter's interval: always sent, empty when the filter has neither bound. */
function bounds(f: { min?: number; max?: number }) {
  return interval(f.min, f.max) ?? {};
}

function wireFilters<N extends string>(map: EnumMap<N>, filters: { field: N; min?: number; max?: number }[] = []) {
  return filters.map((f) => ({ indicatorType: map.toWire(f.field), indicatorValue: bounds(f) }));
}

const skipUnknown = { acronyms: true, skip: ["Unknown"] } as const;

// ---- movers -------------------------------------------------------------------------------------

const SESSIONS = ["regular", "pre_market", "after_hours", "overnight"] as const;
const MOVER_FILTER = derivedEnum("field", Qot_GetTopMoversRank_IndicatorType, {
  acronyms: true,
  skip: ["Unknown", "Price"],
});
const PRICE_FILTER = derivedEnum("price", Qot_GetTopMoversRank_PriceFilter, {
  skip: ["All"],
  names: {
    LessThan1: "BELOW_1",
    Between1And10: "1_TO_10",
    Between10And100: "10_TO_100",
    GreaterThan100: "ABOVE_100",
    Near52WeekHigh: "NEAR_52W_HIGH",
    Near52WeekLow: "NEAR_52W_LOW",
  },
});
const MOVER_PROTOCOLS = {
  regular: "Qot_GetTopMoversRank",
  pre_market: "Qot_GetUSPreMarketRank",
  after_hours: "Qot_GetUSAfterHoursRank",
  overnight: "Qot_GetUSOvernightRank",
} as const;

const topMovers = defineTool({
  name: "futu_get_top_movers",
  title: "Top gainers and losers",
  description:
    'Which stocks move most today? session "regular" (default; HK or US): today\'s change; "pre_market", "after_hours", "overnight": the US extended session\'s change against the close it trades from. direction "gainers" (default) or "losers". price: BELOW_1, 1_TO_10, 10_TO_100, ABOVE_100, NEAR_52W_HIGH/LOW; filters on MARKET_CAP, PE. Changes in %; all_count counts every match. Example: {"market":"US","session":"pre_market","direction":"losers","max_count":10}.',
  toolset: "rankings",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    market: marketArg(["HK", "US"]).optional().default("US"),
    session: z.enum(SESSIONS).optional().default("regular"),
    direction: z.enum(["gainers", "losers"]).optional().default("gainers"),
    price: enumArg(PRICE_FILTER).optional(),
    filters: filtersArg(MOVER_FILTER),
    offset,
    max_count: rowCount(200, 20),
  }).refine((a) => a.session === "regular" || a.market === "US", {
    message: "extended-hours sessions (pre_market, after_hours, overnight) exist for US stocks only",
    path: ["market"],
  }),
  output: insightOutput(
    { market: z.string(), session: z.enum(SESSIONS), direction: z.enum(["gainers", "losers"]) },
    Object.values(MOVER_PROTOCOLS),
  ),
  async run(ctx, args) {
    const head = { market: args.market, session: args.session, direction: args.direction };
    const filterList = [
      ...(args.price ? [{ indicatorType: 1, priceFilter: PRICE_FILTER.toWire(args.price) }] : []),
      ...wireFilters(MOVER_FILTER, args.filters),
    ];
    const common = {
      sortDir: args.direction === "losers" ? 1 : 0,
      offset: args.offset,
      count: args.max_count,
      filterList,
    };
    if (args.session === "regular") {
      const c2s = { market: qotMarketOf(args.market), ...common };
      return { ...head, ...await insightAnswer(ctx, "Qot_GetTopMoversRank", c2s) };
    }
    // The three US extended-hours ranks take the same request.
    const protocol = MOVER_PROTOCOLS[args.session] as "Qot_GetUSPreMarketRank";
    return { ...head, ...await insightAnswer(ctx, protocol, common) };
  },
  text: insightText,
});

// ---- hot list -----------------------------------------------------------------------------------

const HOT_SORT = derivedEnum("sort", Qot_GetHotList_HotListSortField, {
  skip: ["Unknown"],
  names: { TradeHeat: "TRADE", SearchHeat: "SEARCH", NewsHeat: "NEWS", AverageHeat: "AVERAGE" },
});

const hotList = defineTool({
  name: "futu_get_hot_list",
  title: "Most talked-about stocks",
  description:
    'Which stocks draw the most attention? Ranks a market\'s stocks by heat: TRADE (trading activity), SEARCH, NEWS, or AVERAGE of the three (default), each with its change since the previous day, plus a related discussion or news headline. Optional market-cap bounds (in the market\'s currency). Example: {"market":"HK","sort":"SEARCH","max_count":10}.',
  toolset: "rankings",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    market: marketArg(["HK", "US"]),
    sort: enumArg(HOT_SORT).optional().default("AVERAGE"),
    min_market_cap: z.number().min(0).optional(),
    max_market_cap: z.number().min(0).optional(),
    offset,
    max_count: rowCount(200, 20),
  }),
  output: insightOutput({ market: z.string(), sort: z.string() }, ["Qot_GetHotList"]),
  async run(ctx, args) {
    const bounded = args.min_market_cap !== undefined || args.max_market_cap !== undefined;
    const s2c = await ctx.insight.get("Qot_GetHotList", {
      market: qotMarketOf(args.market),
      sortField: HOT_SORT.toWire(args.sort),
      sortDir: 0,
      offset: args.offset,
      count: args.max_count,
      filterList: bounded
        ? [{ indicatorType: 1, indicatorValue: interval(args.min_market_cap, args.max_market_cap) }]
        : [],
    });
    return { market: args.market, sort: args.sort, ...insightResult("Qot_GetHotList", s2c) };
  },
  text: insightText,
});

// ---- period change ------------------------------------------------------------------------------

const PERIOD = derivedEnum("period", Qot_GetPeriodChangeRank_PeriodType, skipUnknown);
const PERIOD_FILTER = derivedEnum("field", Qot_GetPeriodChangeRank_IndicatorType, skipUnknown);

const periodChange = defineTool({
  name: "futu_get_period_change_rank",
  title: "Best and worst performers over a period",
  description:
    'Which stocks rose or fell most over a period? period 5_MIN (default), 1_DAY, 5_DAY, 20_DAY, 60_DAY, 120_DAY, 250_DAY (trading days) or YTD; each row also shows every other period\'s change (%), price, market cap, PE/PB, turnover and volume ratios. filters: [{field, min, max}] (CHANGE_RATIO uses the chosen period). Example: {"market":"US","period":"20_DAY","direction":"losers"}.',
  toolset: "rankings",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    market: marketArg(["HK", "US"]),
    period: enumArg(PERIOD).optional().default("5_MIN"),
    direction: z.enum(["gainers", "losers"]).optional().default("gainers"),
    filters: filtersArg(PERIOD_FILTER),
    offset,
    max_count: rowCount(200, 20),
  }),
  output: insightOutput({ market: z.string(), period: z.string(), direction: z.string() }, [
    "Qot_GetPeriodChangeRank",
  ]),
  async run(ctx, args) {
    const s2c = await ctx.insight.get("Qot_GetPeriodChangeRank", {
      market: qotMarketOf(args.market),
      periodType: PERIOD.toWire(args.period),
      sortDir: args.direction === "losers" ? 1 : 0,
      offset: args.offset,
      count: args.max_count,
      filterList: wireFilters(PERIOD_FILTER, args.filters),
    });
    return {
      market: args.market,
      period: args.period,
      direction: args.direction,
      ...insightResult("Qot_GetPeriodChangeRank", s2c),
    };
  },
  text: insightText,
});

// ---- dividends ----------------------------------------------------------------------------------

const DIVIDEND_SORT = derivedEnum("sort", Qot_GetDividendRank_SortField, {
  ...skipUnknown,
  names: { AvgDividendYield5Y: "AVG_DIVIDEND_YIELD_5Y" },
});
const DIVIDEND_FILTER = derivedEnum("field", Qot_GetDividendRank_IndicatorType, {
  ...skipUnknown,
  skip: ["Unknown", "DistributionFrequency"],
  names: { AvgDividendYield5Y: "AVG_DIVIDEND_YIELD_5Y", NextPayableDate: "NEXT_PAYABLE_IN_DAYS" },
});
const SOE_SORT = derivedEnum("sort", Qot_GetHighDividendSOERank_SortField, skipUnknown);
const SOE_FILTER = derivedEnum("field", Qot_GetHighDividendSOERank_IndicatorType, skipUnknown);
const FREQUENCIES = ["annual", "semi_annual", "quarterly", "monthly"] as const;
const union = (...maps: EnumMap<string>[]) => [...new Set(maps.flatMap((m) => m.names))] as [string, ...string[]];
const upper = (v: unknown) => (typeof v === "string" ? v.trim().toUpperCase().replace(/[- ]/g, "_") : v);

const dividendRank = defineTool({
  name: "futu_get_dividend_rank",
  title: "Dividend stock ranks",
  description:
    'Which stocks pay the best dividends? kind "dividend" (default; market HK, US, SG, JP, MY): rank "high_yield" (by yield TTM %) or "dividend_growth" (by consecutive growth years), with 5-year average yield, frequency, payout ratio, next payable date; "high_dividend_soe": China state-owned enterprises below book (default conditions PB ≤ 1, yield ≥ 5%, PE ≥ 0; any filters replace them). Example: {"kind":"dividend","market":"HK","max_count":10}.',
  toolset: "rankings",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    kind: z.enum(["dividend", "high_dividend_soe"]).optional().default("dividend"),
    market: marketArg(["HK", "US", "SG", "JP", "MY"]).optional().describe('kind "dividend" only (required)'),
    rank: z.enum(["high_yield", "dividend_growth"]).optional().default("high_yield"),
    sort: z.preprocess(upper, z.enum(union(DIVIDEND_SORT, SOE_SORT))).optional().describe("kind's sort fields only"),
    ascending: z.boolean().optional().describe('kind "high_dividend_soe" only (dividend ranks sort descending)'),
    frequency: z.enum(FREQUENCIES).optional().describe('kind "dividend": distribution frequency (not for HK)'),
    filters: z.array(
      z.strictObject({
        field: z.preprocess(upper, z.enum(union(DIVIDEND_FILTER, SOE_FILTER))),
        min: z.number().optional(),
        max: z.number().optional(),
      }),
    ).max(10).optional().describe("kind's fields only; bounds inclusive"),
    offset: offset.describe('rows to skip (kind "high_dividend_soe")'),
    max_count: rowCount(300, 10),
  }).superRefine((a, ctx) => {
    const soe = a.kind === "high_dividend_soe";
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (!soe && a.market === undefined) issue("market", 'market is required with kind "dividend"');
    if (soe && a.market !== undefined) issue("market", "the SOE rank has no market: leave market out");
    const sorts = soe ? SOE_SORT.names : DIVIDEND_SORT.names;
    if (a.sort !== undefined && !(sorts as readonly string[]).includes(a.sort)) {
      issue("sort", `with kind "${a.kind}", sort is one of ${sorts.join(", ")}`);
    }
    const fields = (soe ? SOE_FILTER.names : DIVIDEND_FILTER.names) as readonly string[];
    a.filters?.forEach((f, i) => {
      if (!fields.includes(f.field)) {
        issue("filters", `filters[${i}].field: with kind "${a.kind}", one of ${fields.join(", ")}`);
      }
      if (f.min !== undefined && f.max !== undefined && f.min > f.max) issue("filters", `filters[${i}]: min above max`);
    });
    if (!soe && a.ascending !== undefined) issue("ascending", "dividend ranks sort descending only");
    if (soe && a.frequency !== undefined) issue("frequency", 'frequency applies to kind "dividend" only');
    if (!soe && a.offset > 0) issue("offset", 'offset applies to kind "high_dividend_soe" only');
    if (soe && a.max_count > 200) issue("max_count", "the SOE rank returns at most 200 rows");
  }),
  output: insightOutput({ kind: z.string(), market: z.string().optional() }, [
    "Qot_GetDividendRank",
    "Qot_GetHighDividendSOERank",
  ]),
  async run(ctx, args) {
    if (args.kind === "high_dividend_soe") {
      const s2c = await ctx.insight.get("Qot_GetHighDividendSOERank", {
        sortField: args.sort === undefined ? undefined : SOE_SORT.toWire(args.sort),
        sortDir: args.ascending ? 1 : 0,
        offset: args.offset,
        count: args.max_count,
        filterList: (args.filters ?? []).map((f) => ({
          indicatorType: SOE_FILTER.toWire(f.field),
          indicatorValue: bounds(f),
        })),
      });
      return { kind: args.kind, ...insightResult("Qot_GetHighDividendSOERank", s2c) };
    }
    const filterList = (args.filters ?? []).map((f) => ({
      indicatorType: DIVIDEND_FILTER.toWire(f.field),
      indicatorValue: { valueInterval: bounds(f) },
    }));
    if (args.frequency) {
      filterList.push({
        indicatorType: Qot_GetDividendRank_IndicatorType.DistributionFrequency,
        indicatorValue: { valueList: [String(FREQUENCIES.indexOf(args.frequency) + 1)] } as never,
      });
    }
    const s2c = await ctx.insight.get("Qot_GetDividendRank", {
      market: qotMarketOf(args.market!),
      rankType: args.rank === "dividend_growth"
        ? Qot_GetDividendRank_DividendRankType.DividendGrowth
        : Qot_GetDividendRank_DividendRankType.HighYield,
      count: args.max_count,
      filterList,
      sortField: args.sort === undefined ? undefined : DIVIDEND_SORT.toWire(args.sort),
    });
    return { kind: args.kind, market: args.market, ...insightResult("Qot_GetDividendRank", s2c) };
  },
  text: insightText,
});

// ---- earnings beats -----------------------------------------------------------------------------

const BEAT_METRIC = derivedEnum("metric", Qot_GetEarningsBeatRank_BeatType, skipUnknown);
const BEAT_TERM = derivedEnum("term", Qot_GetEarningsBeatRank_BeatTerm, { acronyms: true });
const BEAT_SORT = derivedEnum("sort", Qot_GetEarningsBeatRank_SortField, skipUnknown);
const BEAT_FILTER = derivedEnum("field", Qot_GetEarningsBeatRank_IndicatorType, {
  acronyms: true,
  skip: ["Unknown", "ReleasedDate"],
});

const earningsBeat = defineTool({
  name: "futu_get_earnings_beat_rank",
  title: "Earnings surprises",
  description:
    'Which companies beat estimates? Ranks a market\'s (HK, US, SG, JP) latest reports by metric EPS (default), REVENUE or EBIT: actual, estimate, beat %, year-ago value and growth, first-day price reaction (%), release date and session. term LATEST, LATEST_QUARTER, LATEST_HALF, LATEST_ANNUAL or ALL (default). Sorted descending by sort (default market cap). With no filters OpenD keeps beats > 0 released in the last 30 days. Example: {"market":"US","metric":"EPS","sort":"BEAT_RATIO"}.',
  toolset: "rankings",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    market: marketArg(["HK", "US", "SG", "JP"]),
    metric: enumArg(BEAT_METRIC).optional().default("EPS"),
    term: enumArg(BEAT_TERM).optional().default("ALL"),
    sort: enumArg(BEAT_SORT).optional(),
    filters: filtersArg(BEAT_FILTER),
    released_from: date.optional().describe('"YYYY-MM-DD": released on or after'),
    released_to: date.optional().describe('"YYYY-MM-DD": released on or before'),
    max_count: rowCount(300, 20),
  }).refine((a) => !a.released_from || !a.released_to || a.released_from <= a.released_to, {
    message: "released_from must not be after released_to",
    path: ["released_from"],
  }),
  output: insightOutput({ market: z.string(), metric: z.string(), term: z.string() }, ["Qot_GetEarningsBeatRank"]),
  async run(ctx, args) {
    const filterList = wireFilters(BEAT_FILTER, args.filters);
    if (args.released_from || args.released_to) {
      const seconds = (d: string | undefined, end: boolean) =>
        d === undefined ? undefined : Date.parse(`${d}T00:00:00Z`) / 1000 + (end ? 86_399 : 0);
      filterList.push({
        indicatorType: Qot_GetEarningsBeatRank_IndicatorType.ReleasedDate,
        indicatorValue: bounds({ min: seconds(args.released_from, false), max: seconds(args.released_to, true) }),
      });
    }
    const s2c = await ctx.insight.get("Qot_GetEarningsBeatRank", {
      market: qotMarketOf(args.market),
      beatType: BEAT_METRIC.toWire(args.metric),
      count: args.max_count,
      term: BEAT_TERM.toWire(args.term),
      filterList,
      sortField: args.sort === undefined ? undefined : BEAT_SORT.toWire(args.sort),
    });
    return {
      market: args.market,
      metric: args.metric,
      term: args.term,
      ...insightResult("Qot_GetEarningsBeatRank", s2c),
    };
  },
  text: insightText,
});

// ---- short selling ------------------------------------------------------------------------------

const SHORT_SORT = derivedEnum("sort", Qot_GetShortSellingRank_ShortSellingSortField, skipUnknown);

const shortSelling = defineTool({
  name: "futu_get_short_selling_rank",
  title: "Short-selling activity",
  description:
    'Where is short selling rising? Ranks a market\'s (US default, HK) stocks over the last complete trading day: short volume and its change, short ratio (% of volume), short interest and its % of shares, days to cover, week and month averages, with close and 1/5/10-day changes (%). sort default SHORT_NUMBER_CHANGE, descending unless ascending; plates limits to plate constituents. Example: {"market":"US","sort":"SHORT_RATIO","max_count":10}.',
  toolset: "rankings",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    market: marketArg(["HK", "US"]).optional().default("US"),
    sort: enumArg(SHORT_SORT).optional().default("SHORT_NUMBER_CHANGE"),
    ascending: z.boolean().optional().default(false),
    plates: z.array(symbol).max(20).optional().describe('plate symbols, e.g. ["US.BK2999"]'),
    offset,
    max_count: rowCount(35, 10),
  }),
  output: insightOutput({ market: z.string(), sort: z.string() }, ["Qot_GetShortSellingRank"]),
  async run(ctx, args) {
    const s2c = await ctx.insight.get("Qot_GetShortSellingRank", {
      market: qotMarketOf(args.market),
      sortField: SHORT_SORT.toWire(args.sort),
      sortDir: args.ascending ? 1 : 0,
      offset: args.offset,
      count: args.max_count,
      plateList: (args.plates ?? []).map((p) => toSecurity(p)),
    });
    return { market: args.market, sort: args.sort, ...insightResult("Qot_GetShortSellingRank", s2c) };
  },
  text: insightText,
});

// ---- market breadth -----------------------------------------------------------------------------

const PLATE_TYPE = derivedEnum("plate_type", Qot_GetHeatMapData_HeatMapPlateType);
const HEAT_SORT = derivedEnum("sort", Qot_GetHeatMapData_SortField, skipUnknown);

const marketBreadth = defineTool({
  name: "futu_get_market_breadth",
  title: "Market breadth: sector heat map and rise/fall distribution",
  description:
    'How broad is the move? view "heat_map" (default): a market\'s plates (plate_type INDUSTRY, CONCEPT, THEME) with cap-weighted change %, turnover, market value, average PE, rise/fall/flat counts, leader; sort CHANGE_RATE (default), MARKET_VAL, TURNOVER, HOT. "rise_fall": stocks of a market or plate per change bucket (type 1 limit up, 2 above +7%, 3 range [left, right] %, 4 below −7%, 5 limit down); stock_count their total. Example: {"view":"rise_fall","market":"HK"}.',
  toolset: "rankings",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    view: z.enum(["heat_map", "rise_fall"]).optional().default("heat_map"),
    market: marketArg(["HK", "US", "SH", "SZ"]).optional(),
    plate: symbol.optional().describe('view "rise_fall": a plate, e.g. "HK.BK1910" (instead of market)'),
    plate_type: enumArg(PLATE_TYPE).optional().default("INDUSTRY"),
    sort: enumArg(HEAT_SORT).optional().default("CHANGE_RATE"),
    ascending: z.boolean().optional().default(false),
    max_count: rowCount(200, 20),
    page,
  }).superRefine((a, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (a.view === "heat_map" && a.market === undefined) issue("market", 'market is required with view "heat_map"');
    if (a.view === "heat_map" && a.plate !== undefined) issue("plate", 'plate applies to view "rise_fall" only');
    if (a.view === "rise_fall" && (a.market === undefined) === (a.plate === undefined)) {
      issue("market", 'view "rise_fall" takes market or plate (one of them)');
    }
  }),
  output: insightOutput({ view: z.string(), market: z.string().optional(), stock_count: z.number().optional() }, [
    "Qot_GetHeatMapData",
    "Qot_GetRiseFallDistribution",
  ]),
  async run(ctx, args) {
    if (args.view === "rise_fall") {
      const s2c = await ctx.insight.get(
        "Qot_GetRiseFallDistribution",
        args.plate ? { security: toSecurity(args.plate) } : { market: qotMarketOf(args.market!) },
      );
      const stockCount = (s2c.rangeList ?? []).reduce((sum, r) => sum + (r.stockCount ?? 0), 0);
      return {
        view: args.view,
        market: args.market,
        stock_count: stockCount,
        ...insightResult("Qot_GetRiseFallDistribution", s2c),
      };
    }
    const s2c = await ctx.insight.get("Qot_GetHeatMapData", {
      market: qotMarketOf(args.market!),
      sortField: HEAT_SORT.toWire(args.sort),
      ascend: args.ascending,
      count: args.max_count,
      page: args.page,
      plateType: PLATE_TYPE.toWire(args.plate_type),
    });
    return { view: args.view, market: args.market, ...insightResult("Qot_GetHeatMapData", s2c) };
  },
  text: insightText,
});

// ---- industrial chains --------------------------------------------------------------------------

const CHAIN_VIEWS = ["list", "detail", "by_plate", "plate_info", "plate_stocks"] as const;
const PLATE_STOCK_SORT = derivedEnum("sort", Qot_GetIndustrialPlateStock_SortField);

const industrialChain = defineTool({
  name: "futu_get_industrial_chain",
  title: "Industrial chains and their plates",
  description:
    'Which companies sit along a supply chain? view "list" (default; market, optional keyword): chains with type (1 chain, 2 parallel, 3 up/mid/downstream), market cap, stock count, related stocks; "detail" (chain_id): nodes by layer with their plate_id; "by_plate" (plate_id): chains containing the plate; "plate_info" (plate_id): summary; "plate_stocks" (plate_id or chain_id; markets, sort default MARKET_VAL): member stocks. Example: {"view":"detail","chain_id":"1001"}.',
  toolset: "rankings",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    view: z.enum(CHAIN_VIEWS).optional().default("list"),
    market: marketArg(["HK", "US", "SH", "SZ"]).optional().describe('view "list" (required)'),
    keyword: z.string().min(1).max(50).optional().describe('view "list": name contains'),
    chain_id: digits.optional().describe('chain_id from view "list"'),
    plate_id: digits.optional().describe('plate_id from view "detail"'),
    markets: z.array(marketArg(["HK", "US", "SH", "SZ", "JP", "SG", "MY"])).max(7).optional()
      .describe('view "plate_stocks": only these markets'),
    sort: enumArg(PLATE_STOCK_SORT).optional().default("MARKET_VAL"),
    ascending: z.boolean().optional().default(false),
    max_count: rowCount(200, 20).describe('rows, 1–200 (view "list": 1–50; default 20)'),
    page,
  }).superRefine((a, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    const needs = { list: "market", detail: "chain_id", by_plate: "plate_id", plate_info: "plate_id" } as const;
    if (a.view !== "plate_stocks" && a[needs[a.view]] === undefined) {
      issue(needs[a.view], `${needs[a.view]} is required with view "${a.view}"`);
    }
    if (a.view === "plate_stocks" && a.plate_id === undefined && a.chain_id === undefined) {
      issue("plate_id", 'view "plate_stocks" takes plate_id or chain_id');
    }
    if (a.view === "list" && a.max_count > 50) issue("max_count", 'view "list" returns at most 50 chains a page');
    if (a.view !== "list" && a.keyword !== undefined) issue("keyword", 'keyword applies to view "list" only');
  }),
  output: insightOutput({ view: z.enum(CHAIN_VIEWS) }, [
    "Qot_GetIndustrialChainList",
    "Qot_GetIndustrialChainDetail",
    "Qot_GetIndustrialChainByPlate",
    "Qot_GetIndustrialPlateInfo",
    "Qot_GetIndustrialPlateStock",
  ]),
  async run(ctx, args) {
    const head = { view: args.view };
    switch (args.view) {
      case "list":
        return {
          ...head,
          ...await insightAnswer(ctx, "Qot_GetIndustrialChainList", {
            market: qotMarketOf(args.market!),
            keyword: args.keyword,
            count: args.max_count,
            page: args.page,
          }),
        };
      case "detail":
        return { ...head, ...await insightAnswer(ctx, "Qot_GetIndustrialChainDetail", { chainId: args.chain_id! }) };
      case "by_plate":
        return { ...head, ...await insightAnswer(ctx, "Qot_GetIndustrialChainByPlate", { plateId: args.plate_id! }) };
      case "plate_info":
        return { ...head, ...await insightAnswer(ctx, "Qot_GetIndustrialPlateInfo", { plateId: args.plate_id! }) };
      case "plate_stocks":
        return {
          ...head,
          ...await insightAnswer(ctx, "Qot_GetIndustrialPlateStock", {
            chainId: args.plate_id === undefined ? args.chain_id : undefined,
            plateId: args.plate_id,
            marketList: (args.markets ?? []).map((m) => qotMarketOf(m)),
            sortField: PLATE_STOCK_SORT.toWire(args.sort),
            ascend: args.ascending,
            count: args.max_count,
            page: args.page,
          }),
        };
    }
  },
  text: insightText,
});

/** The rankings tools. */
export const RANKING_TOOLS: readonly Tool[] = [
  topMovers,
  hotList,
  periodChange,
  dividendRank,
  earningsBeat,
  shortSelling,
  marketBreadth,
  industrialChain,
];
