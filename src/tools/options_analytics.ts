/**
 * Options analytics: volatility, exercise probability, quotes, strategies, statistics and ranks, option events, 0DTE, earnings and seller screeners. The tools (toolset `options-analytics`; scope `qot:read`, option event alerts `watchlist:write`).
 *
 * @module
 */
import { z } from "zod";
import { derivedEnum } from "../gateway/enums.ts";
import {
  Qot_Common_OptionStrategyType,
  Qot_Common_OptionVolatilityTimePeriodType,
  Qot_OptionCommon_EarningsSortType,
  Qot_OptionCommon_OptionMarket,
  Qot_OptionCommon_OptionRankType,
  Qot_OptionCommon_SellerSortType,
  Qot_OptionCommon_UnderlyingRankSortType,
  Qot_OptionCommon_ZeroDteContractSortType,
  Qot_OptionCommon_ZeroDteSortType,
  Qot_SetOptionEventAlert_AlertOpType,
} from "../gateway/proto/messages.ts";
import { toSecurity } from "../gateway/symbols.ts";
import { bytesPageKey, date, digits, enumArg, pageKey, positive, rowCount, symbol, symbols } from "./args.ts";
import {
  insightAnswer,
  insightOutput,
  insightResult,
  insightText,
  interval,
  pageKeyBytes,
  pageKeyText,
} from "./_insight.ts";
import { defineTool, READ_OPEND, type Tool, type ToolContext, type WriteAnnotations } from "./tool.ts";

const skipUnknown = { acronyms: true, skip: ["Unknown"] } as const;
const OPTION_MARKET = derivedEnum("market", Qot_OptionCommon_OptionMarket, skipUnknown);
const PERIOD = derivedEnum("period", Qot_Common_OptionVolatilityTimePeriodType, skipUnknown);
const STRATEGY = derivedEnum("strategy", Qot_Common_OptionStrategyType, {
  acronyms: true,
  skip: ["Unknown", "Customize"],
});
const UNDERLYING_SORT = derivedEnum("sort_by", Qot_OptionCommon_UnderlyingRankSortType, skipUnknown);
const OPTION_SORT = derivedEnum("sort_by", Qot_OptionCommon_OptionRankType, skipUnknown);
const ZERO_DTE_SORT = derivedEnum("sort_by", Qot_OptionCommon_ZeroDteSortType, skipUnknown);
const CONTRACT_SORT = derivedEnum("sort_by", Qot_OptionCommon_ZeroDteContractSortType, skipUnknown);
const EARNINGS_SORT = derivedEnum("sort_by", Qot_OptionCommon_EarningsSortType, skipUnknown);
const SELLER_SORT = derivedEnum("sort_by", Qot_OptionCommon_SellerSortType, skipUnknown);
const ALERT_OP = derivedEnum("op", Qot_SetOptionEventAlert_AlertOpType, skipUnknown);

const page = pageKey("next_page of the previous result", { max: 64 });
/** A bytes paging key as a result shows it (base64: {@link pageKeyText}). */
const nextPageKey = bytesPageKey("next_page_key", "next_page_key of the previous result", 200);
const callPut = z.enum(["CALL", "PUT"]);
const OPTION_TYPE = { CALL: 1, PUT: 2 } as const;

/** A history range: the one given, or the 30 days to OpenD's today (its clock, not this machine's). */
async function rangeOf(ctx: ToolContext, begin: string | undefined, end: string | undefined) {
  if (begin !== undefined && end !== undefined) return { beginTime: begin, endTime: end };
  const endMs = end !== undefined ? Date.parse(`${end}T00:00:00Z`) : (await ctx.system.globalState()).time * 1000;
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { beginTime: begin ?? day(endMs - 30 * 86_400_000), endTime: end ?? day(endMs + 86_400_000) };
}

const legs = z.array(z.strictObject({
  symbol,
  side: z.enum(["BUY", "SELL"]).optional().default("BUY"),
  ratio: positive("ratio").optional().default(1).describe("contracts (options) or shares (stock)"),
})).min(1).max(8).describe('e.g. [{"symbol":"US.AAPL261218C230000","side":"BUY"}]');

function wireLegs(list: z.output<typeof legs>) {
  return list.map((l) => ({ security: toSecurity(l.symbol), side: l.side === "BUY" ? 1 : 2, qtyRatio: l.ratio }));
}

// ---- volatility ---------------------------------------------------------------------------------

const VOLATILITY_VIEWS = ["summary", "history", "overview", "statistics"] as const;

const volatility = defineTool({
  name: "futu_get_option_volatility",
  title: "Option volatility of an underlying",
  description:
    'Is an underlying\'s option IV rich or cheap? view "summary" (default): daily IV vs HV and premium over period (default MONTH), hv_days 5–250 (30), status and analysis; "history": daily IV, HV(30), close from begin to end; "overview": IV, IV rank/percentile, HV 30–365d, call/put volume and OI; "statistics": daily call/put volume, OI, P/C ratios. Percent. Pages of 60 days (next_page_key). Example: {"symbol":"US.AAPL","view":"summary"}.',
  toolset: "options-analytics",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    symbol,
    view: z.enum(VOLATILITY_VIEWS).optional().default("summary"),
    period: enumArg(PERIOD).optional().describe("summary: WEEK, MONTH, QUARTER, HALF_YEAR, YEAR"),
    hv_days: z.number().int().min(5).max(250).optional().describe("summary: HV window in trading days"),
    begin: date.optional().describe("history, statistics: first day (default 30 days ago)"),
    end: date.optional().describe("history, statistics: last day (default today)"),
    next_page_key: nextPageKey,
  }),
  output: insightOutput({ symbol: z.string(), view: z.enum(VOLATILITY_VIEWS), next_page_key: z.string().nullable() }, [
    "Qot_GetOptionVolatility",
    "Qot_GetOptionUnderlyingHisVolatility",
    "Qot_GetOptionUnderlyingOverview",
    "Qot_GetOptionUnderlyingHisStatistic",
  ]),
  async run(ctx, args) {
    const security = toSecurity(args.symbol);
    const head = { symbol: args.symbol, view: args.view };
    const history = args.view === "history" || args.view === "statistics";
    const range = {
      owner: security,
      ...(history ? await rangeOf(ctx, args.begin, args.end) : { beginTime: "", endTime: "" }),
      nextPageKey: pageKeyBytes(args.next_page_key),
    };
    switch (args.view) {
      case "summary":
        return {
          ...head,
          next_page_key: null,
          ...await insightAnswer(ctx, "Qot_GetOptionVolatility", {
            security,
            queryTimePeriod: args.period === undefined ? undefined : PERIOD.toWire(args.period),
            hvTimePeriod: args.hv_days,
          }),
        };
      case "overview":
        return {
          ...head,
          next_page_key: null,
          ...await insightAnswer(ctx, "Qot_GetOptionUnderlyingOverview", { ownerList: [security] }),
        };
      default: {
        const protocol = args.view === "history"
          ? "Qot_GetOptionUnderlyingHisVolatility"
          : "Qot_GetOptionUnderlyingHisStatistic";
        const s2c = await ctx.insight.get(protocol, range);
        return { ...head, next_page_key: pageKeyText(s2c.nextPageKey) ?? null, ...insightResult(protocol, s2c) };
      }
    }
  },
  text: insightText,
});

const marketStatistic = defineTool({
  name: "futu_get_option_market_statistic",
  title: "Market-wide option volume and open interest",
  description:
    'Market-wide daily option activity: call and put totals and the put/call ratio of volume or open interest (data) for an option market (US_SECURITY, US_INDEX, HK_SECURITY, HK_INDEX) from begin to end (default the last 30 days), newest first, 60 days a page (next_page_key). Example: {"market":"US_SECURITY","data":"volume"}.',
  toolset: "options-analytics",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    market: enumArg(OPTION_MARKET),
    data: z.enum(["volume", "open_interest"]).optional().default("volume"),
    begin: date.optional(),
    end: date.optional(),
    next_page_key: nextPageKey,
  }),
  output: insightOutput({ market: z.string(), data: z.string(), next_page_key: z.string().nullable() }, [
    "Qot_GetOptionMarketStatistic",
  ]),
  async run(ctx, args) {
    const s2c = await ctx.insight.get("Qot_GetOptionMarketStatistic", {
      optionMarket: OPTION_MARKET.toWire(args.market),
      dataType: args.data === "volume" ? 0 : 1,
      ...await rangeOf(ctx, args.begin, args.end),
      nextPageKey: pageKeyBytes(args.next_page_key),
    });
    return {
      market: args.market,
      data: args.data,
      next_page_key: pageKeyText(s2c.nextPageKey) ?? null,
      ...insightResult("Qot_GetOptionMarketStatistic", s2c),
    };
  },
  text: insightText,
});

// ---- contracts ----------------------------------------------------------------------------------

const probability = defineTool({
  name: "futu_get_exercise_probability",
  title: "Option exercise probability",
  description:
    'How likely is an option to finish in the money? Black–Scholes exercise probability (percent: N(d2) for calls, N(−d2) for puts, at the option\'s IV) with the underlying price, for each recent session and now, newest first. symbol is an option contract (from futu_get_option_chain). Example: {"symbol":"US.AAPL261218C230000"}.',
  toolset: "options-analytics",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({ symbol }),
  output: insightOutput({ symbol: z.string() }, ["Qot_GetOptionExerciseProbability"]),
  async run(ctx, args) {
    const s2c = await ctx.insight.get("Qot_GetOptionExerciseProbability", { security: toSecurity(args.symbol) });
    return { symbol: args.symbol, ...insightResult("Qot_GetOptionExerciseProbability", s2c) };
  },
  text: insightText,
});

const quote = defineTool({
  name: "futu_get_option_quote",
  title: "Option quote with analytics",
  description:
    'An option\'s (one leg) or a combination\'s (several legs) quote: price, change, volume, OI, IV (percent), greeks, intrinsic/time value, break-even and distance (percent), probability of profit, seller ROI, leverage. Several legs give one net record per share of a contract. option_type 1 CALL, 2 PUT. Example: {"legs":[{"symbol":"US.AAPL261218C230000"},{"symbol":"US.AAPL261218C235000","side":"SELL"}]}.',
  toolset: "options-analytics",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({ legs }),
  output: insightOutput({ legs: z.number() }, ["Qot_GetOptionQuote"]),
  async run(ctx, args) {
    const s2c = await ctx.insight.get("Qot_GetOptionQuote", { multi_legs: wireLegs(args.legs) });
    return { legs: args.legs.length, ...insightResult("Qot_GetOptionQuote", s2c) };
  },
  text: insightText,
});

// ---- strategies ---------------------------------------------------------------------------------

const STRATEGY_VIEWS = ["strategies", "analysis", "spread"] as const;

const strategy = defineTool({
  name: "futu_analyze_option_strategy",
  title: "Option strategies: list, analyse, widths",
  description:
    'view "strategies": combinations of a strategy (SPREAD, STRADDLE, IRON_CONDOR…) on symbol\'s chain with their legs (filters expiry, far_expiry, spread width, option_type, strike; limit/offset); "analysis": max profit/loss (money per combination, 9999999 = unbounded), break-evens, probability of profit (percent), delta, theta, bid/ask of legs; "spread": strike widths. Example: {"view":"analysis","legs":[{"symbol":"US.AAPL261218C230000"},{"symbol":"US.AAPL261218C235000","side":"SELL"}]}.',
  toolset: "options-analytics",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    view: z.enum(STRATEGY_VIEWS).optional().default("strategies"),
    symbol: symbol.optional().describe("strategies, spread: the underlying"),
    strategy: enumArg(STRATEGY).optional().describe("strategies, spread"),
    expiry: date.optional().describe("strategies, spread: the (near) expiry"),
    far_expiry: date.optional().describe("calendar and diagonal spreads"),
    spread: positive("spread").optional().describe("strategies: strike width"),
    option_type: callPut.optional(),
    strike: positive("strike").optional(),
    limit: rowCount(100, 20),
    offset: z.number().int().min(0).optional().default(0),
    legs: legs.optional().describe("analysis"),
  }).superRefine((a, ctx) => {
    if (a.view === "analysis" && !a.legs) {
      ctx.addIssue({ code: "custom", path: ["legs"], message: 'view "analysis" needs legs' });
    }
    if (a.view !== "analysis") {
      if (!a.symbol) ctx.addIssue({ code: "custom", path: ["symbol"], message: `view "${a.view}" needs symbol` });
      if (!a.strategy) ctx.addIssue({ code: "custom", path: ["strategy"], message: `view "${a.view}" needs strategy` });
    }
  }),
  output: insightOutput({ view: z.enum(STRATEGY_VIEWS), symbol: z.string().nullable(), total: z.number().nullable() }, [
    "Qot_GetOptionStrategy",
    "Qot_GetOptionStrategyAnalysis",
    "Qot_GetOptionStrategySpread",
  ]),
  async run(ctx, args) {
    const head = { view: args.view, symbol: args.symbol ?? null };
    if (args.view === "analysis") {
      const legs = { multi_legs: wireLegs(args.legs!) };
      return { ...head, total: null, ...await insightAnswer(ctx, "Qot_GetOptionStrategyAnalysis", legs) };
    }
    const owner = toSecurity(args.symbol!);
    const type = STRATEGY.toWire(args.strategy!);
    if (args.view === "spread") {
      return {
        ...head,
        total: null,
        ...await insightAnswer(ctx, "Qot_GetOptionStrategySpread", {
          owner,
          option_strategy: type,
          expire_time: args.expiry,
          far_expire_time: args.far_expiry,
        }),
      };
    }
    const s2c = await ctx.insight.get("Qot_GetOptionStrategy", {
      owner,
      option_strategy: type,
      expire_time: args.expiry,
      far_expire_time: args.far_expiry,
      spread: args.spread,
      option_type: args.option_type === undefined ? undefined : OPTION_TYPE[args.option_type],
      strike_price: args.strike,
    });
    const all = s2c.strategyList ?? [];
    const shown = { strategyList: all.slice(args.offset, args.offset + args.limit) };
    return { ...head, total: all.length, ...insightResult("Qot_GetOptionStrategy", shown) };
  },
  text: insightText,
});

// ---- ranks --------------------------------------------------------------------------------------

const rank = defineTool({
  name: "futu_get_option_rank",
  title: "Option rankings",
  description:
    'Most active or most volatile: of "underlyings" (total option volume/OI, P/C ratios in percent, IV, IV rank, HV, market cap) or "options" (contracts by volume, turnover, OI and its change, IV, greeks). sort_by per UnderlyingRankSortType (VOLUME, IV, IV_RANK…) or OptionRankType (VOLUME, TURNOVER, OI, OI_INCREMENT, IV…); descending unless ascending. Example: {"of":"options","market":"US_SECURITY","sort_by":"VOLUME"}.',
  toolset: "options-analytics",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    of: z.enum(["underlyings", "options"]).optional().default("underlyings"),
    market: enumArg(OPTION_MARKET),
    sort_by: z.string().toUpperCase().optional().default("VOLUME"),
    ascending: z.boolean().optional().default(false),
    symbols: symbols(50).optional().describe("only these underlyings"),
    option_type: callPut.optional().describe("options only"),
    trading_date: date.optional().describe("underlyings: a past session"),
    count: rowCount(200, 20),
    page,
  }).superRefine((a, ctx) => {
    const names: readonly string[] = a.of === "options" ? OPTION_SORT.names : UNDERLYING_SORT.names;
    if (!names.includes(a.sort_by)) {
      ctx.addIssue({ code: "custom", path: ["sort_by"], message: `expected one of ${names.join(", ")}` });
    }
    if (a.option_type && a.of !== "options") {
      ctx.addIssue({ code: "custom", path: ["option_type"], message: 'option_type is for of "options"' });
    }
  }),
  output: insightOutput({ of: z.string(), market: z.string() }, ["Qot_GetOptionUnderlyingRank", "Qot_GetOptionRank"]),
  async run(ctx, args) {
    const head = { of: args.of, market: args.market };
    const owners = args.symbols
      ? [{
        indicatorType: args.of === "options" ? 3 : 1,
        indicatorValue: { securityList: args.symbols.map(toSecurity) },
      }]
      : [];
    const common = {
      optionMarket: OPTION_MARKET.toWire(args.market),
      isAsc: args.ascending,
      count: args.count,
      tradingDate: args.trading_date,
      page: args.page,
    };
    if (args.of === "underlyings") {
      return {
        ...head,
        ...await insightAnswer(ctx, "Qot_GetOptionUnderlyingRank", {
          ...common,
          sortType: UNDERLYING_SORT.toWire(args.sort_by as never),
          filterList: owners,
        }),
      };
    }
    const types = args.option_type
      ? [{ indicatorType: 9, indicatorValue: { valueList: [String(OPTION_TYPE[args.option_type])] } }]
      : [];
    return {
      ...head,
      ...await insightAnswer(ctx, "Qot_GetOptionRank", {
        ...common,
        sortType: OPTION_SORT.toWire(args.sort_by as never),
        filterList: [...owners, ...types],
      }),
    };
  },
  text: insightText,
});

// ---- events and alerts --------------------------------------------------------------------------

const EVENT_SORT = { time: 305, volume: 302, turnover: 303, price: 304, iv: 504 } as const;

const events = defineTool({
  name: "futu_get_option_events",
  title: "Unusual option activity and its alerts",
  description:
    'view "events" (default): large option trades (block, sweep) of an option market in the last days (1–5 sessions): contract, time, side (ticker_type 1 buy, 2 sell, 3 neutral), size, premium, IV, greeks, sentiment (1 bearish, 2 bullish, 3 neutral); filters symbols, option_type, min_volume; sort_by time|volume|turnover|price|iv. view "alerts": your alerts on it (futu_set_option_event_alert). Example: {"market":"US_SECURITY","min_volume":1000}.',
  toolset: "options-analytics",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    view: z.enum(["events", "alerts"]).optional().default("events"),
    market: enumArg(OPTION_MARKET).optional().default("US_SECURITY"),
    days: z.number().int().min(1).max(5).optional().default(1).describe("sessions back, 1 = the latest"),
    symbols: symbols(50).optional(),
    option_type: callPut.optional(),
    min_volume: z.number().int().min(0).optional().describe("contracts"),
    sort_by: z.enum(["time", "volume", "turnover", "price", "iv"]).optional().default("time"),
    ascending: z.boolean().optional().default(false),
    count: rowCount(100, 20),
    page,
  }),
  output: insightOutput({ view: z.string() }, ["Qot_GetOptionEvent", "Qot_GetOptionEventAlert"]),
  async run(ctx, args) {
    if (args.view === "alerts") {
      const page = { count: args.count, page: args.page };
      return { view: args.view, ...await insightAnswer(ctx, "Qot_GetOptionEventAlert", page) };
    }
    const filterList = [
      { indicatorType: 306, indicatorValue: { valueList: [String(args.days - 1)] } },
      ...(args.symbols ? [{ indicatorType: 101, indicatorValue: { securityList: args.symbols.map(toSecurity) } }] : []),
      ...(args.option_type
        ? [{ indicatorType: 201, indicatorValue: { valueList: [String(OPTION_TYPE[args.option_type])] } }]
        : []),
      ...(args.min_volume === undefined
        ? []
        : [{ indicatorType: 302, indicatorValue: { valueInterval: interval(args.min_volume) } }]),
    ];
    const s2c = await ctx.insight.get("Qot_GetOptionEvent", {
      optionMarket: OPTION_MARKET.toWire(args.market),
      count: args.count,
      page: args.page,
      filterList,
      sort: { indicatorType: EVENT_SORT[args.sort_by], isAsc: args.ascending },
    });
    return { view: args.view, ...insightResult("Qot_GetOptionEvent", s2c) };
  },
  text: insightText,
});

const WRITE: WriteAnnotations = {
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: false,
  openWorldHint: true,
};

const setAlert = defineTool({
  name: "futu_set_option_event_alert",
  title: "Set an unusual option activity alert",
  description:
    'Adds or changes an alert on unusual option trades (a broker setting, not an order). op ADD: exactly one scope of market, watchlist_group or symbol, and optional conditions; MODIFY (replaces the conditions), ENABLE, DISABLE, DELETE need key (from futu_get_option_events view "alerts"); DELETE_ALL removes every one. Returns the alerts after the change. Example: {"op":"ADD","symbol":"US.AAPL","option_type":"CALL","min_size":500}.',
  toolset: "options-analytics",
  scope: "watchlist:write",
  annotations: WRITE,
  input: z.strictObject({
    op: enumArg(ALERT_OP),
    key: digits.optional(),
    market: enumArg(OPTION_MARKET).optional(),
    watchlist_group: z.string().trim().min(1).max(64).optional(),
    symbol: symbol.optional().describe("an optionable underlying"),
    option_type: callPut.optional(),
    sides: z.array(z.enum(["BUY", "SELL", "NEUTRAL"])).max(3).optional(),
    min_size: z.number().min(0).optional().describe("contracts"),
    min_premium: z.number().min(0).optional().describe("trade value"),
    min_iv: z.number().min(0).optional().describe("percent"),
    max_iv: z.number().min(0).optional().describe("percent"),
    max_expiry_days: z.number().int().min(0).optional(),
    note: z.string().max(20).optional(),
  }).superRefine((a, ctx) => {
    const scopes = [a.market, a.watchlist_group, a.symbol].filter((s) => s !== undefined).length;
    if ((a.op === "ADD" || a.op === "MODIFY") && scopes !== 1) {
      ctx.addIssue({
        code: "custom",
        path: ["market"],
        message: `op ${a.op} needs exactly one of market, watchlist_group, symbol`,
      });
    }
    if (a.op !== "ADD" && a.op !== "DELETE_ALL" && a.key === undefined) {
      ctx.addIssue({ code: "custom", path: ["key"], message: `op ${a.op} needs the key from futu_get_option_events` });
    }
    if (a.min_iv !== undefined && a.max_iv !== undefined && a.min_iv > a.max_iv) {
      ctx.addIssue({ code: "custom", path: ["min_iv"], message: "min_iv must not be above max_iv" });
    }
  }),
  output: insightOutput({ op: z.string(), key: z.string().nullable() }, ["Qot_GetOptionEventAlert"]),
  async run(ctx, args) {
    const conditions = args.op === "ADD" || args.op === "MODIFY"
      ? {
        optionMarket: args.market === undefined ? undefined : OPTION_MARKET.toWire(args.market),
        watchlistGroupName: args.watchlist_group,
        underlying: args.symbol === undefined ? undefined : toSecurity(args.symbol),
        optionType: args.option_type === undefined ? undefined : OPTION_TYPE[args.option_type],
        sideTypeList: args.sides?.map((s) => ({ BUY: 1, SELL: 2, NEUTRAL: 3 })[s]),
        sizeRange: interval(args.min_size),
        premiumRange: interval(args.min_premium),
        ivRange: interval(args.min_iv, args.max_iv),
        expiryDaysRange: interval(undefined, args.max_expiry_days),
        note: args.note,
      }
      : {};
    const before = args.op === "ADD"
      ? new Set(((await ctx.insight.get("Qot_GetOptionEventAlert", { count: 500 })).alertList ?? []).map((a) => a.key))
      : undefined;
    await ctx.insight.get("Qot_SetOptionEventAlert", {
      operType: ALERT_OP.toWire(args.op),
      alertList: args.op === "DELETE_ALL" ? [] : [{ key: args.key, ...conditions }],
    });
    const after = await ctx.insight.get("Qot_GetOptionEventAlert", { count: 500 });
    const added = before ? (after.alertList ?? []).find((a) => !before.has(a.key))?.key : args.key;
    return {
      op: args.op,
      key: args.op === "DELETE_ALL" ? null : added ?? null,
      ...insightResult("Qot_GetOptionEventAlert", after),
    };
  },
  text: insightText,
});

// ---- screeners ----------------------------------------------------------------------------------

const IDEA_KINDS = ["zero_dte", "zero_dte_contracts", "earnings", "seller"] as const;

const ideas = defineTool({
  name: "futu_find_option_ideas",
  title: "Option screeners: 0DTE, earnings, sellers",
  description:
    'Option ideas. kind "zero_dte": US underlyings with options expiring today (IV, IV rank, volume, OI); "zero_dte_contracts": symbol\'s contracts expiring today, greeks, break-even, buy/sell profit odds (percent); "earnings": underlyings by next earnings date, IV crush, past moves, expected move; "seller": covered calls or cash-secured puts (strategy), premium, annualised return, exercise odds. Example: {"kind":"seller","strategy":"covered_call"}.',
  toolset: "options-analytics",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    kind: z.enum(IDEA_KINDS),
    market: enumArg(OPTION_MARKET).optional().default("US_SECURITY"),
    symbol: symbol.optional().describe("zero_dte_contracts: the underlying"),
    strategy: z.enum(["covered_call", "cash_secured_put"]).optional().describe("seller"),
    sort_by: z.string().toUpperCase().optional(),
    ascending: z.boolean().optional(),
    count: rowCount(100, 20),
    page,
  }).superRefine((a, ctx) => {
    if (a.kind === "zero_dte_contracts" && !a.symbol) {
      ctx.addIssue({ code: "custom", path: ["symbol"], message: 'kind "zero_dte_contracts" needs symbol' });
    }
    if (a.kind === "seller" && !a.strategy) {
      ctx.addIssue({ code: "custom", path: ["strategy"], message: 'kind "seller" needs strategy' });
    }
    const sorts = {
      zero_dte: ZERO_DTE_SORT,
      zero_dte_contracts: CONTRACT_SORT,
      earnings: EARNINGS_SORT,
      seller: SELLER_SORT,
    }[a.kind];
    if (a.sort_by !== undefined && !(sorts.names as readonly string[]).includes(a.sort_by)) {
      ctx.addIssue({ code: "custom", path: ["sort_by"], message: `expected one of ${sorts.names.join(", ")}` });
    }
  }),
  output: insightOutput({ kind: z.enum(IDEA_KINDS), symbol: z.string().nullable() }, [
    "Qot_GetOptionZeroDteScreener",
    "Qot_GetOptionZeroDteContract",
    "Qot_GetOptionEarningsScreener",
    "Qot_GetOptionSellerScreener",
  ]),
  async run(ctx, args) {
    const head = { kind: args.kind, symbol: args.symbol ?? null };
    const optionMarket = OPTION_MARKET.toWire(args.market);
    const sort = (map: { toWire(name: never): number }) =>
      args.sort_by === undefined ? undefined : map.toWire(args.sort_by as never);
    switch (args.kind) {
      case "zero_dte":
      case "earnings": {
        const protocol = args.kind === "zero_dte" ? "Qot_GetOptionZeroDteScreener" : "Qot_GetOptionEarningsScreener";
        const sortType = sort(args.kind === "zero_dte" ? ZERO_DTE_SORT : EARNINGS_SORT);
        const page = { optionMarket, sortType, isAsc: args.ascending, count: args.count, page: args.page };
        return { ...head, ...await insightAnswer(ctx, protocol, page) };
      }
      case "zero_dte_contracts": {
        // The contract request takes the chain handle the screener gives for the underlying.
        const owner = toSecurity(args.symbol!);
        const screen = await ctx.insight.get("Qot_GetOptionZeroDteScreener", {
          optionMarket: args.symbol!.startsWith("US.") ? optionMarket : 1,
          count: 1,
          filterList: [{ indicatorType: 1, indicatorValue: { securityList: [owner] } }],
        });
        const chain = screen.itemList?.[0]?.chainInfo;
        if (!chain?.strikeDateTimestamp) {
          return { ...head, ...insightResult("Qot_GetOptionZeroDteContract", { itemList: [] }) };
        }
        const s2c = await ctx.insight.get("Qot_GetOptionZeroDteContract", {
          owner,
          strikeDateTimestamp: chain.strikeDateTimestamp,
          chainInfo: chain,
          sortType: sort(CONTRACT_SORT),
          isAsc: args.ascending,
        });
        return {
          ...head,
          ...insightResult("Qot_GetOptionZeroDteContract", { itemList: s2c.itemList?.slice(0, args.count) }),
        };
      }
      case "seller": {
        const s2c = await ctx.insight.get("Qot_GetOptionSellerScreener", {
          optionMarket,
          sellerType: args.strategy === "covered_call" ? 1 : 2,
          sortType: sort(SELLER_SORT),
          isAsc: args.ascending,
        });
        return {
          ...head,
          ...insightResult("Qot_GetOptionSellerScreener", { itemList: s2c.itemList?.slice(0, args.count) }),
        };
      }
    }
  },
  text: insightText,
});

/** The options analytics tools. */
export const OPTIONS_ANALYTICS_TOOLS: readonly Tool[] = [
  volatility,
  marketStatistic,
  probability,
  quote,
  strategy,
  rank,
  events,
  setAlert,
  ideas,
];
