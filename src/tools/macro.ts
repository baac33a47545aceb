/**
 * Macro calendars, indicators, FedWatch, suspensions and news. The tools
 * (toolsets `macro`, `calendar` and `news`, scope `qot:read`): what reports
 * or goes ex when, which macro releases are due and what they printed, where
 * the market prices the Fed, which securities were suspended, what the news
 * says. Where OpenD takes one day (dividends) or at most an 8-day window
 * (earnings) per request, a tool asks once per window and joins the replies,
 * reporting each window done and stopping between them when cancelled.
 *
 * @module
 */
import { z } from "zod";
import { derivedEnum } from "../gateway/enums.ts";
import { afterRequest, throwIfCancelled } from "../gateway/long_read.ts";
import {
  Qot_GetEarningsCalendar_EarningsCalendarSortType,
  Qot_GetEconomicCalendar_Importance,
  Qot_GetMacroIndicatorList_MacroRegion,
  Qot_GetSearchNews_NewsSubType,
} from "../gateway/proto/messages.ts";
import { formatSymbol, parseSymbol, qotMarketOf, toSecurity } from "../gateway/symbols.ts";
import { addDays, date, digits, enumArg, marketArg, maxCount, pageKey, symbol, symbols } from "./args.ts";
import { insightAnswer, insightOutput, insightResult, insightText } from "./_insight.ts";
import { defineTool, READ_OPEND, type Tool } from "./tool.ts";

const DAY_MS = 86_400_000;

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** The market prefix of a valid symbol. */
function marketOf(value: string): string {
  return parseSymbol(value).market;
}

/**
 * A calendar's market, or the symbol's: one of them is given; the symbol's market has the calendar
 * (one of `markets`) when no market is, and is the market given when one is.
 */
function marketOrSymbol(calendar: string, markets: readonly string[]) {
  return (a: { market?: string; symbol?: string }, ctx: z.RefinementCtx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (a.symbol === undefined) {
      if (a.market === undefined) issue("market", "pass market, or symbol for its market");
    } else if (a.market === undefined) {
      if (!markets.includes(marketOf(a.symbol))) {
        issue("symbol", `no ${calendar} calendar for this symbol's market: ${markets.join(", ")}`);
      }
    } else if (marketOf(a.symbol) !== a.market) issue("symbol", "symbol is not of this market");
  };
}

const EARNINGS_SORT = derivedEnum("sort", Qot_GetEarningsCalendar_EarningsCalendarSortType, {
  acronyms: true,
  skip: ["Unknown"],
});
const IMPORTANCE = derivedEnum("importance", Qot_GetEconomicCalendar_Importance, { acronyms: true, skip: ["All"] });
const REGION = derivedEnum("region", Qot_GetMacroIndicatorList_MacroRegion, { acronyms: true, skip: ["Unknown"] });
const NEWS_KIND = derivedEnum("kind", Qot_GetSearchNews_NewsSubType, { acronyms: true });

const EARNINGS_MARKETS = ["HK", "US", "SH", "SZ", "SG", "JP"] as const;
/** OpenD's earnings window: the end at most 7 days after the begin. */
const EARNINGS_WINDOW_DAYS = 7;
const EARNINGS_SPAN_DAYS = 31;

const earnings = defineTool({
  name: "futu_get_earnings_calendar",
  title: "Earnings calendar",
  description:
    'Who reports earnings when: reports dated begin..end (default: today only; at most 31 days) in a market (HK, US, SH, SZ, SG, JP) or of one symbol. Rows: security, earnings_date, pub_type (1 before the open, 2 after the close, 0 intraday), period_text ("2026Q3"), estimate_list (EPS predict_value and, once reported, actual_value), price, market_cap, iv (%). sort: HOT (default), MARKET_CAP, RT_MARKET_CAP, IV… Example: {"symbol":"US.AAPL","begin":"2026-10-01","end":"2026-10-31"}.',
  toolset: "macro",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    market: marketArg(EARNINGS_MARKETS).optional(),
    symbol: symbol.optional().describe("only this stock's reports (its market unless market is given)"),
    begin: date.optional().describe('"YYYY-MM-DD", default today'),
    end: date.optional().describe('"YYYY-MM-DD", default begin'),
    sort: enumArg(EARNINGS_SORT).optional().default("HOT"),
    max_count: maxCount(100, 20),
  }).superRefine(marketOrSymbol("earnings", EARNINGS_MARKETS))
    .refine((a) => a.end === undefined || a.begin !== undefined, { message: "end needs begin", path: ["begin"] })
    .refine((a) => a.end === undefined || a.begin === undefined || a.end >= a.begin, {
      message: "end is before begin",
      path: ["end"],
    }).refine((a) => !a.end || !a.begin || daysBetween(a.begin, a.end) < EARNINGS_SPAN_DAYS, {
      message: `at most ${EARNINGS_SPAN_DAYS} days from begin to end`,
      path: ["end"],
    }),
  output: insightOutput({
    market: z.string(),
    symbol: z.string().optional(),
    begin: z.string().optional(),
    end: z.string().optional(),
    total: z.number(),
  }, ["Qot_GetEarningsCalendar"]),
  async run(ctx, args) {
    const market = args.market ?? marketOf(args.symbol!) as (typeof EARNINGS_MARKETS)[number];
    const sortType = EARNINGS_SORT.toWire(args.sort);
    const windows: { beginDate?: string; endDate?: string }[] = [];
    if (args.begin === undefined) windows.push({});
    else {
      const end = args.end ?? args.begin;
      for (let from = args.begin; from <= end; from = addDays(from, EARNINGS_WINDOW_DAYS + 1)) {
        const to = addDays(from, EARNINGS_WINDOW_DAYS);
        windows.push({ beginDate: from, endDate: to < end ? to : end });
      }
    }
    const items = [];
    for (const [i, window] of windows.entries()) {
      throwIfCancelled(ctx.signal);
      const s2c = await ctx.insight.get("Qot_GetEarningsCalendar", {
        market: qotMarketOf(market),
        sortType,
        ...window,
      });
      items.push(...(s2c.itemList ?? []));
      afterRequest(ctx, i + 1, windows.length, `earnings to ${window.endDate ?? "today"}`);
    }
    const mine = args.symbol ? items.filter((i) => formatSymbol(i.security) === args.symbol) : items;
    return {
      market,
      ...(args.symbol ? { symbol: args.symbol } : {}),
      ...(args.begin ? { begin: args.begin, end: args.end ?? args.begin } : {}),
      total: mine.length,
      ...insightResult("Qot_GetEarningsCalendar", { itemList: mine.slice(0, args.max_count) }),
    };
  },
  text: insightText,
});

const DIVIDEND_MARKETS = ["HK", "US", "MY", "SG", "JP"] as const;
const DIVIDEND_SPAN_DAYS = 7;

const dividends = defineTool({
  name: "futu_get_dividend_calendar",
  title: "Dividend calendar",
  description:
    'Which stocks go ex-dividend when: dividends whose ex-date is begin..end (end defaults to begin; at most 7 days) in a market (HK, US, MY, SG, JP) or of one symbol. Rows: security, name, statement (amount per share), ex_date, record_date, dividend_payable_date. Example: {"market":"US","begin":"2026-11-09","end":"2026-11-13"}.',
  toolset: "macro",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    market: marketArg(DIVIDEND_MARKETS).optional(),
    symbol: symbol.optional().describe("only this stock (its market unless market is given)"),
    begin: date,
    end: date.optional(),
    max_count: maxCount(200, 50),
  }).superRefine(marketOrSymbol("dividend", DIVIDEND_MARKETS))
    .refine((a) => a.end === undefined || a.end >= a.begin, { message: "end is before begin", path: ["end"] })
    .refine((a) => a.end === undefined || daysBetween(a.begin, a.end) < DIVIDEND_SPAN_DAYS, {
      message: `at most ${DIVIDEND_SPAN_DAYS} days from begin to end`,
      path: ["end"],
    }),
  output: insightOutput({
    market: z.string(),
    symbol: z.string().optional(),
    begin: z.string(),
    end: z.string(),
    total: z.number(),
  }, ["Qot_GetDividendCalendar"]),
  async run(ctx, args) {
    const market = args.market ?? marketOf(args.symbol!) as (typeof DIVIDEND_MARKETS)[number];
    const end = args.end ?? args.begin;
    const items = [];
    const total = daysBetween(args.begin, end) + 1;
    for (let day = args.begin, done = 0; day <= end; day = addDays(day, 1)) {
      throwIfCancelled(ctx.signal);
      const s2c = await ctx.insight.get("Qot_GetDividendCalendar", { market: qotMarketOf(market), date: day });
      items.push(...(s2c.itemList ?? []));
      afterRequest(ctx, ++done, total, `dividends of ${day}`);
    }
    const mine = args.symbol ? items.filter((i) => formatSymbol(i.security) === args.symbol) : items;
    return {
      market,
      ...(args.symbol ? { symbol: args.symbol } : {}),
      begin: args.begin,
      end,
      total: mine.length,
      ...insightResult("Qot_GetDividendCalendar", { itemList: mine.slice(0, args.max_count) }),
    };
  },
  text: insightText,
});

const ECONOMIC_MARKETS = ["HK", "US", "CN", "SG", "JP", "AU", "MY", "CA"] as const;

const economic = defineTool({
  name: "futu_get_economic_calendar",
  title: "Economic calendar",
  description:
    'Which macro releases are due and what they printed: events begin..end (end defaults to begin; dates in OpenD\'s host time zone) with title, timestamp (Unix s), country, star (1-3 importance), previous, consensus, actual (once out). markets: any of HK, US, CN, SG, JP, AU, MY, CA (default all); importance: LOW, MEDIUM or HIGH only. Pages of max_count (default 20, max 100): pass next_page back while has_more. Example: {"begin":"2026-12-01","end":"2026-12-07","markets":["US"],"importance":"HIGH"}.',
  toolset: "macro",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    begin: date,
    end: date.optional(),
    markets: z.array(marketArg(ECONOMIC_MARKETS)).min(1).max(ECONOMIC_MARKETS.length).optional(),
    importance: enumArg(IMPORTANCE).optional(),
    max_count: maxCount(100, 20),
    next_page: pageKey("next_page of the previous page", { min: 1 }),
  }).refine((a) => a.end === undefined || a.end >= a.begin, { message: "end is before begin", path: ["end"] }),
  output: insightOutput({ begin: z.string(), end: z.string() }, ["Qot_GetEconomicCalendar"]),
  async run(ctx, args) {
    const end = args.end ?? args.begin;
    const s2c = await ctx.insight.get("Qot_GetEconomicCalendar", {
      beginDate: args.begin,
      endDate: end,
      ...(args.markets ? { marketList: args.markets.map((m) => qotMarketOf(m === "CN" ? "SH" : m)) } : {}),
      ...(args.importance ? { importance: IMPORTANCE.toWire(args.importance) } : {}),
      count: args.max_count,
      ...(args.next_page ? { nextPage: args.next_page } : {}),
    });
    return { begin: args.begin, end, ...insightResult("Qot_GetEconomicCalendar", s2c) };
  },
  text: insightText,
});

const indicator = defineTool({
  name: "futu_get_macro_indicator",
  title: "Macro indicators",
  description:
    'Macro data series (employment, inflation, growth, PMI, policy rates). With region (HK, US, CN, JP, SG, AU, CA, MY): the indicators by category (indicator_id, name). With indicator_id: its releases, newest first: data_time (period), release_time, value, predict_value (consensus), previous_value, unit_type; up to max_count (default 24, max 1000), released on or before `before` (default now). Example: {"indicator_id":"200004","max_count":12}.',
  toolset: "macro",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    region: enumArg(REGION).optional(),
    indicator_id: digits.optional().describe('indicator_id from the region list, e.g. "200004"'),
    before: date.optional().describe("history: periods up to this date"),
    max_count: maxCount(1000),
  }).refine((a) => (a.region === undefined) !== (a.indicator_id === undefined), {
    message: "pass region for the list, or indicator_id for its history (one of them)",
    path: ["indicator_id"],
  }).refine((a) => a.indicator_id !== undefined || (a.before === undefined && a.max_count === undefined), {
    message: "before and max_count apply to an indicator_id's history",
    path: ["indicator_id"],
  }),
  output: insightOutput({
    view: z.enum(["list", "history"]),
    region: z.string().optional(),
  }, ["Qot_GetMacroIndicatorList", "Qot_GetMacroIndicatorHistory"]),
  async run(ctx, args) {
    if (args.region !== undefined) {
      const region = { region: REGION.toWire(args.region) };
      return {
        view: "list" as const,
        region: args.region,
        ...await insightAnswer(ctx, "Qot_GetMacroIndicatorList", region),
      };
    }
    return {
      view: "history" as const,
      ...await insightAnswer(ctx, "Qot_GetMacroIndicatorHistory", {
        indicatorId: args.indicator_id!,
        ...(args.before ? { time: args.before } : {}),
        maxCount: args.max_count ?? 24,
      }),
    };
  },
  text: insightText,
});

const FED_VIEWS = ["target_rate", "dot_plot"] as const;

const fedWatch = defineTool({
  name: "futu_get_fed_watch",
  title: "FedWatch: rate odds and dot plot",
  description:
    'Where the market and the Fed see US rates. view "target_rate" (default): for each upcoming FOMC meeting (nearest first), the probability (%) of each target range, low to high, adding up to 100. "dot_plot": the latest FOMC projections: per year the rates (%) with vote_count, is_median and median_rate, plus current_rate (the current range\'s midpoint, %). Example: {"view":"dot_plot"}.',
  toolset: "macro",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({ view: z.enum(FED_VIEWS).optional().default("target_rate") }),
  output: insightOutput({ view: z.enum(FED_VIEWS) }, ["Qot_GetFedWatchTargetRate", "Qot_GetFedWatchDotPlot"]),
  async run(ctx, args) {
    const protocol = args.view === "dot_plot" ? "Qot_GetFedWatchDotPlot" : "Qot_GetFedWatchTargetRate";
    return { view: args.view, ...await insightAnswer(ctx, protocol, {}) };
  },
  text: insightText,
});

const suspensions = defineTool({
  name: "futu_get_suspensions",
  title: "Trading suspensions",
  description:
    'Days a security was suspended from trading, begin..end, per security (security, suspend_list of time; empty when it traded normally). Example: {"symbols":["HK.00700","US.AAPL"],"begin":"2026-01-01","end":"2026-11-30"}.',
  toolset: "calendar",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({ symbols: symbols(50), begin: date, end: date })
    .refine((a) => a.end >= a.begin, { message: "end is before begin", path: ["end"] }),
  output: insightOutput({ begin: z.string(), end: z.string() }, ["Qot_GetSuspend"]),
  async run(ctx, args) {
    const s2c = await ctx.insight.get("Qot_GetSuspend", {
      securityList: args.symbols.map(toSecurity),
      beginTime: args.begin,
      endTime: args.end,
    });
    return { begin: args.begin, end: args.end, ...insightResult("Qot_GetSuspend", s2c) };
  },
  text: insightText,
});

const news = defineTool({
  name: "futu_search_news",
  title: "Search news",
  description:
    'News, company notices and analyst rating notes matching a keyword and/or about a symbol, newest first. Items: title, news_sub_type (1 news, 2 notice, 3 rating), source, publish_time (Unix s, as text), view_count, related_securities ("AAPL.US"), url. kind: ALL (default), NEWS, NOTICE, RATING. max_count default 10, max 50 (OpenD pages no further). Example: {"symbol":"US.AAPL","keyword":"earnings"}.',
  toolset: "news",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    keyword: z.string().trim().min(1).max(100).optional().describe('words to find, e.g. "dividend", "Fed"'),
    symbol: symbol.optional().describe("news about this security"),
    kind: enumArg(NEWS_KIND).optional().default("ALL"),
    max_count: maxCount(50, 10),
  }).refine((a) => a.keyword !== undefined || a.symbol !== undefined, {
    message: "pass keyword, symbol or both",
    path: ["keyword"],
  }),
  output: insightOutput({ keyword: z.string(), symbol: z.string().optional(), kind: z.string() }, [
    "Qot_GetSearchNews",
  ]),
  async run(ctx, args) {
    // OpenD searches text: a symbol is searched by its code, with the keyword's words besides.
    const keyword = [args.symbol ? parseSymbol(args.symbol).code : undefined, args.keyword].filter(Boolean).join(" ");
    const s2c = await ctx.insight.get("Qot_GetSearchNews", {
      keyword,
      max_count: args.max_count,
      news_sub_type: NEWS_KIND.toWire(args.kind),
    });
    const list = args.symbol
      ? (s2c.search_news_list ?? []).filter((n) => (n.related_securities ?? []).includes(newsSymbolOf(args.symbol!)))
      : s2c.search_news_list;
    return {
      keyword,
      ...(args.symbol ? { symbol: args.symbol } : {}),
      kind: args.kind,
      ...insightResult("Qot_GetSearchNews", { search_news_list: list }),
    };
  },
  text: insightText,
});

/** "US.AAPL" → "AAPL.US", as news lists related securities. */
function newsSymbolOf(value: string): string {
  const { market, code } = parseSymbol(value);
  return `${code}.${market}`;
}

/** The macro tools. */
export const MACRO_TOOLS: readonly Tool[] = [earnings, dividends, economic, indicator, fedWatch, suspensions, news];
