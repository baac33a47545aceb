/**
 * Stock, option and warrant screens (toolsets `screen` and `options-analytics`)
 * and technical indicators (toolset `technicals`). Scope `qot:read`.
 *
 * The stock screen's wire form is a property bag per stock; the tool pivots it
 * into one table (a column per property). The indicator calculation fetches
 * the K-lines, sends them, awaits the result push and returns the output lines
 * as a table (time, then one column per output line).
 *
 * @module
 */
import { z } from "zod";
import { derivedEnum, KL_TYPE, REHAB_TYPE, toSecurity } from "../gateway/types.ts";
import {
  Qot_Common_IndicatorLangType,
  Qot_Common_IndicatorSearchMode,
  Qot_OptionScreen_MarketCategory,
  Qot_OptionScreen_OptionIndicatorType,
  Qot_OptionScreen_UnderlyingIndicatorType,
  type Qot_StockScreen_RspItemResult,
} from "../gateway/proto/messages.ts";
import type { C2S } from "../gateway/proto/codec.ts";
import {
  CHOICE_CONTENT,
  SCR_MARKET,
  SIMPLE_FIELD_MARKET,
  STOCK_PROPERTIES,
  STOCK_SORT,
  type StockPropertyName,
  WARRANT_FIELDS,
  WARRANT_MARKET,
  WARRANT_SCREEN_TYPE,
} from "../gateway/screen_fields.ts";
import { MAX_HISTORY_ROWS } from "../services/market_data.ts";
import { dateTime, enumArg, symbol, symbols } from "./args.ts";
import { insightOutput, insightResult, insightText } from "./_insight.ts";
import { compact, rows, table } from "./render.ts";
import { fetchKlines } from "./_klines.ts";
import { defineTool, READ_OPEND, type Tool } from "./tool.ts";

const columns = z.array(z.string());

// ---------------------------------------------------------------- stock screen

const PROPERTY_NAMES = Object.keys(STOCK_PROPERTIES) as [StockPropertyName, ...StockPropertyName[]];
const BOUNDED = PROPERTY_NAMES.filter((n) => STOCK_PROPERTIES[n].kind !== "basic") as [
  StockPropertyName,
  ...StockPropertyName[],
];
const days = z.int().min(1).max(250).optional().describe("change…turnover_rate: window in trading days (default 1)");

const stockFilter = z.strictObject({
  property: z.enum(BOUNDED),
  min: z.number().optional(),
  max: z.number().optional(),
  days,
}).refine((f) => f.min === undefined || f.max === undefined || f.min <= f.max, {
  message: "min is above max",
  path: ["min"],
});

/** The wire property message of a property. */
function propertyMessage(name: StockPropertyName, windowDays?: number): Record<string, unknown> {
  const { kind, code } = STOCK_PROPERTIES[name];
  if (kind === "cumulative") return { name: code, days: windowDays ?? 1 };
  if (kind === "financial") return { name: code, term: 100 };
  return { name: code };
}

function propertyKey(name: StockPropertyName): string {
  return `${STOCK_PROPERTIES[name].kind}Property`;
}

function label(name: StockPropertyName, windowDays?: number): string {
  return STOCK_PROPERTIES[name].kind === "cumulative" && (windowDays ?? 1) > 1 ? `${name}_${windowDays}d` : name;
}

function resultValue(result: Qot_StockScreen_RspItemResult): string | number | null {
  const r = Object.values(result).find((v) => v !== undefined) as
    | { sval?: string; dval?: number; ival?: string }
    | undefined;
  if (!r) return null;
  return r.sval ?? r.dval ?? (r.ival === undefined ? null : Number(r.ival));
}

const screenStocks = defineTool({
  name: "futu_screen_stocks",
  title: "Stock screen",
  description:
    'Which stocks of a market (HK, US, CN = A-shares…) meet bounds on price, market_cap, pe, pe_ttm, pb, dividend_yield; change, change_pct, amplitude, avg_volume, avg_turnover, turnover_rate (over "days" sessions, default 1); annual net_profit, eps, roe. Ratios are fractions (0.05 = 5 %). Bounds inclusive, all must hold; optional plates, sort, paging. Rows [code, name, …a column per property]. Example: {"market":"HK","filters":[{"property":"pe_ttm","max":15}],"sort":{"property":"dividend_yield"}}.',
  toolset: "screen",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    market: z.preprocess(
      (v) => (typeof v === "string" ? v.trim().toUpperCase() : v),
      z.enum(Object.keys(SCR_MARKET) as [keyof typeof SCR_MARKET, ...(keyof typeof SCR_MARKET)[]]),
    ),
    plates: z.array(z.string().regex(/^([A-Z]{2}\.)?BK\d+$/i, 'a plate code such as "BK1910" or "HK.BK1910"')).max(
      20,
    ).optional().describe("only stocks of any of these plates"),
    filters: z.array(stockFilter).max(10).optional().default([]),
    fields: z.array(z.enum(PROPERTY_NAMES)).max(10).optional().describe("more columns (e.g. industry)"),
    sort: z.strictObject({
      property: z.enum(PROPERTY_NAMES),
      direction: z.enum(["asc", "desc", "abs_asc", "abs_desc"]).optional().default("desc"),
      days,
    }).optional(),
    page_from: z.int().min(0).optional().default(0),
    page_count: z.int().min(1).max(300).optional().default(20),
  }),
  output: insightOutput({
    market: z.string(),
    columns,
    rows,
    next_page_from: z.number().optional(),
  }, ["Qot_StockScreen"]),
  async run(ctx, args) {
    const retrieve: { name: StockPropertyName; days?: number }[] = [{ name: "code" }, { name: "name" }];
    const want = (name: StockPropertyName, windowDays?: number) => {
      const d = STOCK_PROPERTIES[name].kind === "cumulative" ? windowDays ?? 1 : undefined;
      if (!retrieve.some((r) => r.name === name && r.days === d)) retrieve.push({ name, days: d });
    };
    for (const f of args.filters) want(f.property, f.days);
    if (args.sort) want(args.sort.property, args.sort.days);
    for (const name of args.fields ?? []) want(name);
    const filterList: C2S<"Qot_StockScreen">["filterList"] = [
      { simpleFieldQuery: { simpleField: SIMPLE_FIELD_MARKET, screenValueList: [String(SCR_MARKET[args.market])] } },
    ];
    if (args.plates?.length) {
      filterList.push({
        plateQuery: {
          plateList: [{ plateIdList: args.plates.map((p) => p.toUpperCase().replace(/^[A-Z]{2}\./, "")) }],
        },
      });
    }
    for (const f of args.filters) {
      const query = {
        property: propertyMessage(f.property, f.days),
        filterMin: f.min === undefined ? undefined : { value: f.min, includes: true },
        filterMax: f.max === undefined ? undefined : { value: f.max, includes: true },
      };
      const kind = STOCK_PROPERTIES[f.property].kind;
      filterList.push({ [`${kind}PropertyQuery`]: query } as never);
    }
    const s2c = await ctx.insight.get("Qot_StockScreen", {
      filterList,
      retrieveList: retrieve.map((r) => ({ [propertyKey(r.name)]: propertyMessage(r.name, r.days) } as never)),
      sortList: args.sort
        ? [{
          direction: STOCK_SORT[args.sort.direction.toUpperCase() as keyof typeof STOCK_SORT],
          [propertyKey(args.sort.property)]: propertyMessage(args.sort.property, args.sort.days),
        } as never]
        : undefined,
      pageFrom: args.page_from,
      pageCount: args.page_count,
    });
    const data = s2c.dataList ?? [];
    return compact({
      market: args.market,
      ...insightResult("Qot_StockScreen", { lastPage: s2c.lastPage, allCount: s2c.allCount }),
      next_page_from: s2c.lastPage === 1 ? undefined : args.page_from + data.length,
      columns: retrieve.map((r) => label(r.name, r.days)),
      rows: data.map((item) => retrieve.map((_, i) => (item.results?.[i] ? resultValue(item.results[i]) : null))),
    });
  },
  text: (r) => {
    const body = r.rows as unknown[][];
    const more = r.next_page_from === undefined ? "" : `, more: page_from=${r.next_page_from}`;
    return `${r.market}: ${body.length} of ${r.all_count}${more}\n${table(r.columns as string[], body)}`;
  },
});

// --------------------------------------------------------------- option screen

const CATEGORY = derivedEnum("category", Qot_OptionScreen_MarketCategory, { acronyms: true });
const OPTION_FACTOR = derivedEnum("factor", Qot_OptionScreen_OptionIndicatorType, {
  acronyms: true,
  skip: ["Unknown", "BuyBreakEvenPoint"],
});
const UNDERLYING_FACTOR = derivedEnum("factor", Qot_OptionScreen_UnderlyingIndicatorType, {
  acronyms: true,
  skip: ["Unknown", "Plate", "StockList"],
});

const range = {
  min: z.number().optional(),
  max: z.number().optional(),
};
const rangeRule = (f: { min?: number; max?: number; values?: number[] }) =>
  (f.min !== undefined || f.max !== undefined) !== (f.values !== undefined && f.values.length > 0);

const optionFilter = z.strictObject({
  factor: enumArg(OPTION_FACTOR),
  ...range,
  values: z.array(z.number()).max(20).optional().describe("exact values (OPTION_TYPE 1 call/2 put, IN_THE_MONEY 1/0)"),
}).refine(rangeRule, { message: "give min/max (a range) or values (exact), not both", path: ["values"] });

const underlyingFilter = z.strictObject({ factor: enumArg(UNDERLYING_FACTOR), ...range }).refine(
  (f) => f.min !== undefined || f.max !== undefined,
  { message: "give min and/or max", path: ["min"] },
);

const interval = (f: { min?: number; max?: number }) => ({
  filterMin: f.min === undefined ? undefined : { value: f.min, includes: true },
  filterMax: f.max === undefined ? undefined : { value: f.max, includes: true },
});

const screenOptions = defineTool({
  name: "futu_screen_options",
  title: "Option screen",
  description:
    'Which option contracts meet bounds on their factors (STRIKE_PRICE, LEFT_DAY, PRICE, VOLUME, OPEN_INTEREST, IMPLIED_VOLATILITY in %, DELTA…; exact values for OPTION_TYPE 1 call/2 put, IN_THE_MONEY 1/0) and their underlying\'s (STOCK_PRICE, MARKET_CAP, CHANGE_RATE %), across categories (default US_STOCK) or some underlyings; all filters must hold. Sorted (default OPEN_INTEREST desc), paged. Example: {"underlyings":["US.AAPL"],"filters":[{"factor":"DELTA","min":0.3,"max":0.5}]}.',
  toolset: "options-analytics",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    categories: z.array(enumArg(CATEGORY)).min(1).max(7).optional().default(["US_STOCK"]),
    underlyings: symbols(50).optional().describe("only options on these stocks"),
    filters: z.array(optionFilter).max(10).optional().default([]),
    underlying_filters: z.array(underlyingFilter).max(5).optional().default([]),
    sort: z.strictObject({
      factor: enumArg(OPTION_FACTOR),
      direction: z.enum(["asc", "desc"]).optional().default("desc"),
    }).optional(),
    fields: z.array(enumArg(OPTION_FACTOR)).max(30).optional().describe("factors to return (default: a basic set)"),
    page_from: z.int().min(0).optional().default(0),
    page_count: z.int().min(1).max(1000).optional().default(20),
  }),
  output: insightOutput({ categories: z.array(z.string()), next_page_from: z.number().optional() }, [
    "Qot_OptionScreen",
  ]),
  async run(ctx, args) {
    const filterList: C2S<"Qot_OptionScreen">["filterList"] = [];
    if (args.underlyings) {
      const ids = (await ctx.market.staticInfo(args.underlyings)).map((s) => s.id);
      filterList.push({
        underlyingList: [{
          indicatorType: Qot_OptionScreen_UnderlyingIndicatorType.StockList,
          indicatorValue: { valueList: ids },
        }],
      });
    }
    for (const f of args.filters) {
      filterList.push({
        optionList: [{
          indicatorType: OPTION_FACTOR.toWire(f.factor),
          indicatorValue: f.values?.length ? { valueList: f.values.map(String) } : { valueInterval: interval(f) },
        }],
      });
    }
    for (const f of args.underlying_filters) {
      filterList.push({
        underlyingList: [{
          indicatorType: UNDERLYING_FACTOR.toWire(f.factor),
          indicatorValue: { valueInterval: interval(f) },
        }],
      });
    }
    const sort = args.sort ?? { factor: "OPEN_INTEREST", direction: "desc" as const };
    const s2c = await ctx.insight.get("Qot_OptionScreen", {
      marketCategoryList: args.categories.map((c) => CATEGORY.toWire(c)),
      filterList,
      sortList: [{ indicatorType: OPTION_FACTOR.toWire(sort.factor), direction: sort.direction === "desc" ? 1 : 0 }],
      pageFrom: args.page_from,
      pageCount: args.page_count,
      optionRetrieveList: args.fields?.map((f) => OPTION_FACTOR.toWire(f)),
    });
    return compact({
      categories: args.categories,
      next_page_from: s2c.lastPage ? undefined : args.page_from + (s2c.dataList?.length ?? 0),
      ...insightResult("Qot_OptionScreen", s2c),
    });
  },
  text: insightText,
});

// -------------------------------------------------------------- warrant screen

const WARRANT_TYPES = Object.keys(WARRANT_SCREEN_TYPE) as [keyof typeof WARRANT_SCREEN_TYPE];

const screenWarrants = defineTool({
  name: "futu_screen_warrants",
  title: "Warrant screen",
  description:
    'Which warrants and CBBCs of a market (HK default) are on given underlyings, of given types (CALL, PUT, BULL, BEAR, INLINE) and issuers (e.g. "SG"), within a price range; sorted by code, issuer, underlying, type or price. Rows carry premium, leverage, effective leverage, IV, delta, street rate, score. For bounds on those use futu_get_warrant. Example: {"underlyings":["HK.00700"],"types":["CALL"],"sort":{"field":"price","direction":"asc"}}.',
  toolset: "screen",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    market: z.enum(Object.keys(WARRANT_MARKET) as [keyof typeof WARRANT_MARKET]).optional().default("HK"),
    underlyings: symbols(20).optional(),
    types: z.array(z.enum(WARRANT_TYPES)).max(5).optional(),
    issuers: z.array(z.string().regex(/^[A-Za-z]{2,4}$/, 'an issuer code such as "SG"')).max(20).optional(),
    min_price: z.number().min(0).optional(),
    max_price: z.number().min(0).optional(),
    sort: z.strictObject({
      field: z.enum(Object.keys(WARRANT_FIELDS) as [keyof typeof WARRANT_FIELDS]),
      direction: z.enum(["asc", "desc"]).optional().default("asc"),
    }).optional(),
    only_count: z.boolean().optional().describe("count the matches only"),
    page_from: z.int().min(0).optional().default(0),
    page_count: z.int().min(1).max(200).optional().default(20),
  }).refine((a) => a.min_price === undefined || a.max_price === undefined || a.min_price <= a.max_price, {
    message: "min_price is above max_price",
    path: ["min_price"],
  }),
  output: insightOutput({ market: z.string(), next_page_from: z.number().optional() }, ["Qot_WarrantScreen"]),
  async run(ctx, args) {
    const text = (values: string[]) => values.map((t) => ({ contentType: CHOICE_CONTENT.TEXT, text: t }));
    const filterList: C2S<"Qot_WarrantScreen">["filterList"] = [];
    if (args.underlyings) filterList.push({ fieldId: WARRANT_FIELDS.underlying, choices: text(args.underlyings) });
    if (args.types) {
      filterList.push({
        fieldId: WARRANT_FIELDS.type,
        choices: args.types.map((t) => ({ contentType: CHOICE_CONTENT.NUMBER, value: String(WARRANT_SCREEN_TYPE[t]) })),
      });
    }
    if (args.issuers) {
      filterList.push({ fieldId: WARRANT_FIELDS.issuer, choices: text(args.issuers.map((i) => i.toUpperCase())) });
    }
    if (args.min_price !== undefined || args.max_price !== undefined) {
      filterList.push({
        fieldId: WARRANT_FIELDS.price,
        interval: interval({ min: args.min_price, max: args.max_price }),
      });
    }
    const s2c = await ctx.insight.get("Qot_WarrantScreen", {
      marketType: WARRANT_MARKET[args.market],
      filterList,
      sortList: args.sort
        ? [{ sortFieldId: WARRANT_FIELDS[args.sort.field], direction: args.sort.direction === "desc" ? 1 : 0 }]
        : undefined,
      onlyCount: args.only_count,
      pageFrom: args.page_from,
      pageCount: args.page_count,
    });
    return compact({
      market: args.market,
      next_page_from: s2c.lastPage || args.only_count ? undefined : args.page_from + (s2c.warrants?.length ?? 0),
      ...insightResult("Qot_WarrantScreen", s2c),
    });
  },
  text: insightText,
});

// ------------------------------------------------------------------ indicators

const LANG = derivedEnum("lang", Qot_Common_IndicatorLangType, { acronyms: true, skip: ["Unknown"] });

const listIndicators = defineTool({
  name: "futu_list_indicators",
  title: "Technical indicators",
  description:
    'Which technical indicators OpenD can calculate (for futu_calc_indicator): short name, full name, inputs (index, name, default value) and output lines, in MyLang and Python versions. search matches short or full names (partial); exact with a search also returns the script source. Example: {"search":"MACD","exact":true}.',
  toolset: "technicals",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    search: z.string().max(50).optional(),
    lang: enumArg(LANG).optional().describe("only this version"),
    exact: z.boolean().optional().default(false),
  }).refine((a) => !a.exact || (a.search !== undefined && a.search.trim() !== ""), {
    message: "exact needs a search",
    path: ["exact"],
  }),
  output: insightOutput({}, ["Qot_GetIndicatorList"]),
  async run(ctx, args) {
    const s2c = await ctx.insight.get("Qot_GetIndicatorList", {
      searchKey: args.search?.trim(),
      langType: args.lang === undefined ? undefined : LANG.toWire(args.lang),
      searchMode: args.exact ? Qot_Common_IndicatorSearchMode.Exact : Qot_Common_IndicatorSearchMode.Partial,
    });
    return insightResult("Qot_GetIndicatorList", s2c);
  },
  text: insightText,
});

const calcIndicator = defineTool({
  name: "futu_calc_indicator",
  title: "Calculate a technical indicator",
  description:
    'An indicator\'s values over a symbol\'s candles: fetches the latest max_count K-lines (≤1000; with "begin"/"end" a date range up to 10000), has OpenD calculate the indicator (names from futu_list_indicators: MA, EMA, MACD, RSI, BOLL, KDJ…) and returns rows [time, …one column per output line], null before there is data. inputs override the defaults by index. Example: {"symbol":"US.AAPL","indicator":"MACD","inputs":[12,26,9]}.',
  toolset: "technicals",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    symbol,
    indicator: z.string().trim().min(1).max(32).describe('short name, e.g. "RSI"'),
    kl_type: enumArg(KL_TYPE).optional().default("K_DAY"),
    max_count: z.int().min(1).max(MAX_HISTORY_ROWS).optional().default(100),
    begin: dateTime.optional(),
    end: dateTime.optional(),
    rehab: enumArg(REHAB_TYPE).optional().default("FORWARD").describe("price adjustment"),
    inputs: z.array(z.number()).max(10).optional().describe(
      "input values by index from 0 (e.g. MACD [12,26,9]); inputs after them keep their defaults",
    ),
    lang: enumArg(LANG).optional().default("MY_LANG"),
  }).refine((a) => a.begin !== undefined || a.max_count <= 1000, {
    message: "max_count above 1000 needs a date range (begin)",
    path: ["max_count"],
  }),
  output: z.object({
    symbol: z.string(),
    indicator: z.string(),
    kl_type: z.string(),
    rehab: z.string(),
    calc_id: z.string(),
    columns,
    rows,
  }),
  async run(ctx, args) {
    const indicators = ctx.indicators;
    const series = await fetchKlines(ctx, args);
    const result = await indicators.calculate({
      shortName: args.indicator.toUpperCase(),
      langType: LANG.toWire(args.lang),
      data: {
        security: toSecurity(args.symbol),
        klType: KL_TYPE.toWire(args.kl_type),
        kLine: series.klines.map((k) => ({
          time: k.time,
          isBlank: k.close === undefined,
          openPrice: k.open,
          highPrice: k.high,
          lowPrice: k.low,
          closePrice: k.close,
          lastClosePrice: k.lastClose,
          volume: k.volume === undefined ? undefined : String(k.volume),
          turnover: k.turnover,
        })),
      },
      inputs: args.inputs?.map((value, index) => ({ index, value: String(value) })),
    }, { signal: ctx.signal });
    const outputs = [...(result.outputs ?? [])].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
    return {
      symbol: series.symbol,
      indicator: args.indicator.toUpperCase(),
      kl_type: series.klType,
      rehab: series.rehab,
      calc_id: result.calcId,
      columns: ["time", ...outputs.map((o) => o.name ?? `output_${o.index}`)],
      rows: (result.outputRows ?? []).map((row) => [
        row.time ?? null,
        ...outputs.map((o) => {
          const v = row.values?.[o.index ?? 0];
          return v === undefined || !Number.isFinite(v) ? null : v;
        }),
      ]),
    };
  },
  text: (r) => `${r.symbol} ${r.indicator} on ${r.kl_type} (${r.rows.length} rows)\n${table(r.columns, r.rows)}`,
});

/** The screen and indicator tools. */
export const SCREEN_TOOLS: readonly Tool[] = [
  screenStocks,
  screenWarrants,
  screenOptions,
  listIndicators,
  calcIndicator,
];
