/**
 * Company fundamentals: profile and management, financial statements and
 * revenue mix, earnings reactions, analyst research, valuation, corporate
 * actions, security search. The tools (toolset `research`, scope `qot:read`).
 *
 * @module
 */
import { z } from "zod";
import { derivedEnum } from "../gateway/enums.ts";
import {
  Qot_Common_F10Type,
  Qot_Common_FinancialStatementsType,
  Qot_Common_QotMarket,
  Qot_Common_ResearchRatingDimensionType,
  Qot_Common_SortField,
  Qot_Common_SortType,
  Qot_Common_ValuationIntervalType,
  Qot_Common_ValuationType,
  Qot_GetRatingChange_RatingChangeType,
} from "../gateway/proto/messages.ts";
import { formatSymbol, parseSymbol, toSecurity } from "../gateway/symbols.ts";
import { enumArg, maxCount, pageKey, symbol } from "./args.ts";
import { insightAnswer, insightOutput, insightResult, insightText } from "./_insight.ts";
import { defineTool, READ_OPEND, type Tool } from "./tool.ts";

const options = { acronyms: true, skip: ["Unknown"] } as const;
const PERIOD = derivedEnum("period", Qot_Common_F10Type, options);
const METRIC = derivedEnum("metric", Qot_Common_ValuationType, options);
const INTERVAL = derivedEnum("interval", Qot_Common_ValuationIntervalType, options);
/** Period kinds one report covers (the revenue breakdown's and efficiency's choice). */
const ONE_PERIOD = ["Q1", "Q2", "Q3", "Q4", "Q6", "Q9", "ANNUAL"] as const;

const currency = z.string().regex(/^[A-Za-z]{3}$/, "expected an ISO 4217 code such as USD, HKD, CNY")
  .transform((c) => c.toUpperCase()).describe("ISO 4217 code to convert figures to (default: the stock's own)");
const nextKey = pageKey("next_key of the previous page", { min: 1 });

const COMPANY_VIEWS = ["profile", "executives", "executive_background", "efficiency"] as const;

const company = defineTool({
  name: "futu_get_company",
  title: "Company profile and management",
  description:
    'Who the company is and who runs it. view "profile" (default): business, industry, listing, headquarters, market cap, P/E, P/B, dividend yield, as label/value rows; "executives": directors and officers with position, start date, age, education, salary; "executive_background": one executive\'s career (give executive, a leader_name from "executives"); "efficiency": employees, revenue and profit per employee by fiscal period (period: Q1…ANNUAL). Example: {"symbol":"US.AAPL","view":"executives"}.',
  toolset: "research",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    symbol,
    view: z.enum(COMPANY_VIEWS).optional().default("profile"),
    executive: z.string().min(1).optional().describe('leader_name from view "executives"'),
    period: enumArg(PERIOD, ONE_PERIOD).optional().describe('view "efficiency": one kind of period (default: all)'),
  }).refine((a) => (a.view === "executive_background") === (a.executive !== undefined), {
    message: 'executive is given with view "executive_background", and only with it',
    path: ["executive"],
  }).refine((a) => a.period === undefined || a.view === "efficiency", {
    message: 'period is for view "efficiency"',
    path: ["period"],
  }),
  output: insightOutput({ symbol: z.string(), view: z.enum(COMPANY_VIEWS) }, [
    "Qot_GetCompanyProfile",
    "Qot_GetCompanyExecutives",
    "Qot_GetCompanyExecutiveBackground",
    "Qot_GetCompanyOperationalEfficiency",
  ]),
  async run(ctx, args) {
    const security = toSecurity(args.symbol);
    const head = { symbol: args.symbol, view: args.view };
    switch (args.view) {
      case "profile":
        return { ...head, ...await insightAnswer(ctx, "Qot_GetCompanyProfile", { security }) };
      case "executives":
        return { ...head, ...await insightAnswer(ctx, "Qot_GetCompanyExecutives", { security }) };
      case "executive_background":
        return {
          ...head,
          ...await insightAnswer(ctx, "Qot_GetCompanyExecutiveBackground", { security, leaderName: args.executive }),
        };
      case "efficiency":
        return {
          ...head,
          ...await insightAnswer(ctx, "Qot_GetCompanyOperationalEfficiency", {
            security,
            num: 12,
            financialType: args.period === undefined ? undefined : PERIOD.toWire(args.period),
          }),
        };
    }
  },
  text: insightText,
});

const STATEMENTS = ["income", "balance", "cash_flow", "key_indicators", "revenue_breakdown"] as const;
const STATEMENT_WIRE: Record<Exclude<(typeof STATEMENTS)[number], "revenue_breakdown">, number> = {
  income: Qot_Common_FinancialStatementsType.Income,
  balance: Qot_Common_FinancialStatementsType.BalanceSheet,
  cash_flow: Qot_Common_FinancialStatementsType.CashFlow,
  key_indicators: Qot_Common_FinancialStatementsType.MainIndex,
};

const financials = defineTool({
  name: "futu_get_financials",
  title: "Financial statements and revenue mix",
  description:
    'What the company earns, owns and spends. statement "income" (default), "balance", "cash_flow", "key_indicators" (EPS, book value, ROE, margins): reports newest first, item_list by field_id (names in structure_list), yoy/qoq in %; period QUARTERLY_ANNUAL (default), QUARTERLY, ANNUAL, Q1…Q9; next_key pages. "revenue_breakdown": revenue by product and region, latest period or date (from screen_date_list) with period. Example: {"symbol":"US.AAPL","period":"ANNUAL"}.',
  toolset: "research",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    symbol,
    statement: z.enum(STATEMENTS).optional().default("income"),
    period: enumArg(PERIOD).optional(),
    currency: currency.optional(),
    max_count: maxCount(50, 8).describe("reports per page (statements)"),
    next_key: nextKey,
    date: z.number().int().min(1).optional().describe('"revenue_breakdown": a date of screen_date_list'),
  }).refine((a) => a.statement === "revenue_breakdown" || a.date === undefined, {
    message: 'date is for statement "revenue_breakdown"',
    path: ["date"],
  }).refine((a) => a.statement !== "revenue_breakdown" || a.next_key === undefined, {
    message: 'next_key pages the statements, not "revenue_breakdown"',
    path: ["next_key"],
  }).refine(
    (a) =>
      a.statement !== "revenue_breakdown" || a.period === undefined ||
      [...ONE_PERIOD, "QUARTERLY"].includes(a.period),
    { message: "revenue_breakdown takes period Q1…Q9, ANNUAL or QUARTERLY", path: ["period"] },
  ),
  output: insightOutput({ symbol: z.string(), statement: z.enum(STATEMENTS) }, [
    "Qot_GetFinancialsStatements",
    "Qot_GetFinancialsRevenueBreakdown",
  ]),
  async run(ctx, args) {
    const security = toSecurity(args.symbol);
    const head = { symbol: args.symbol, statement: args.statement };
    const financialType = args.period === undefined ? undefined : PERIOD.toWire(args.period);
    if (args.statement === "revenue_breakdown") {
      return {
        ...head,
        ...await insightAnswer(ctx, "Qot_GetFinancialsRevenueBreakdown", {
          security,
          date: args.date,
          financialType,
          currencyCode: args.currency,
        }),
      };
    }
    return {
      ...head,
      ...await insightAnswer(ctx, "Qot_GetFinancialsStatements", {
        security,
        statementType: STATEMENT_WIRE[args.statement],
        financialType,
        currencyCode: args.currency,
        nextKey: args.next_key,
        num: args.max_count,
      }),
    };
  },
  text: insightText,
});

const REACTION_VIEWS = ["history", "move"] as const;

const earningsReaction = defineTool({
  name: "futu_get_earnings_reaction",
  title: "Price reaction to earnings",
  description:
    'How the stock trades around its earnings releases, newest first. view "history" (default): each release\'s time (PRE_MARKET/AFTER_MARKET), the release day\'s prices, closes from 5 trading days before to 5 after (delta), the options-implied expected move (%, amount) and IV crush; "move": per release, daily OHLC, IV and HV (%) around it, price_info_index marking the release day (max_count releases, default 8, up to 50). Example: {"symbol":"US.NVDA","view":"history"}.',
  toolset: "research",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    symbol,
    view: z.enum(REACTION_VIEWS).optional().default("history"),
    max_count: maxCount(50, 8).describe('view "move": releases'),
  }),
  output: insightOutput({ symbol: z.string(), view: z.enum(REACTION_VIEWS) }, [
    "Qot_GetFinancialsEarningsPriceHistory",
    "Qot_GetFinancialsEarningsPriceMove",
  ]),
  async run(ctx, args) {
    const security = toSecurity(args.symbol);
    const head = { symbol: args.symbol, view: args.view };
    if (args.view === "history") {
      return { ...head, ...await insightAnswer(ctx, "Qot_GetFinancialsEarningsPriceHistory", { security }) };
    }
    return {
      ...head,
      ...await insightAnswer(ctx, "Qot_GetFinancialsEarningsPriceMove", { security, periodCount: args.max_count }),
    };
  },
  text: insightText,
});

const RATING_VIEWS = ["consensus", "summary", "morningstar", "changes"] as const;
const CHANGE_TYPES = { upgrade: 1, downgrade: 2, new_rating: 3 } as const satisfies Record<
  string,
  (typeof Qot_GetRatingChange_RatingChangeType)[keyof typeof Qot_GetRatingChange_RatingChangeType]
>;

const analystRatings = defineTool({
  name: "futu_get_analyst_ratings",
  title: "Analyst ratings and targets",
  description:
    'What analysts think. view "consensus" (default): 3-month rating mix (% buy/hold/sell), analyst count, high/average/low target; "summary": ratings by institution (by "analyst" for analysts), uid for one\'s detail; "morningstar": stars, fair value, moat, uncertainty, bull/bear points; "changes": US-wide recent upgrades (change_type downgrade, new_rating), rating 1 sell 2 hold 3 buy; no symbol. Pages by next_key. Example: {"symbol":"US.AAPL","view":"summary"}.',
  toolset: "research",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    symbol: symbol.optional(),
    view: z.enum(RATING_VIEWS).optional().default("consensus"),
    by: z.enum(["institution", "analyst"]).optional().describe('view "summary"; default institution'),
    uid: z.string().min(1).optional().describe('view "summary": an institution_uid or analyst_uid'),
    change_type: z.enum(["upgrade", "downgrade", "new_rating"]).optional().describe('view "changes"; default upgrade'),
    max_count: maxCount(20, 10),
    next_key: nextKey,
  }).refine((a) => (a.view === "changes") === (a.symbol === undefined), {
    message: 'symbol is required, except for view "changes" (market-wide), which takes none',
    path: ["symbol"],
  }).refine((a) => a.view === "summary" || (a.by === undefined && a.uid === undefined), {
    message: 'by and uid are for view "summary"',
    path: ["by"],
  }).refine((a) => a.view === "changes" || a.change_type === undefined, {
    message: 'change_type is for view "changes"',
    path: ["change_type"],
  }),
  output: insightOutput({ view: z.enum(RATING_VIEWS), symbol: z.string().optional() }, [
    "Qot_GetResearchAnalystConsensus",
    "Qot_GetResearchRatingSummary",
    "Qot_GetResearchMorningstarReport",
    "Qot_GetRatingChange",
  ]),
  async run(ctx, args) {
    const head = { view: args.view, ...(args.symbol ? { symbol: args.symbol } : {}) };
    if (args.view === "changes") {
      return {
        ...head,
        ...await insightAnswer(ctx, "Qot_GetRatingChange", {
          market: Qot_Common_QotMarket.US_Security,
          changeType: CHANGE_TYPES[args.change_type ?? "upgrade"],
          count: args.max_count,
          page: args.next_key,
        }),
      };
    }
    const security = toSecurity(args.symbol!);
    switch (args.view) {
      case "consensus":
        return { ...head, ...await insightAnswer(ctx, "Qot_GetResearchAnalystConsensus", { security }) };
      case "morningstar":
        return { ...head, ...await insightAnswer(ctx, "Qot_GetResearchMorningstarReport", { security }) };
      case "summary":
        return {
          ...head,
          ...await insightAnswer(ctx, "Qot_GetResearchRatingSummary", {
            security,
            ratingDimensionType: args.by === "analyst"
              ? Qot_Common_ResearchRatingDimensionType.Analyst
              : Qot_Common_ResearchRatingDimensionType.Institution,
            uid: args.uid,
            nextKey: args.next_key,
            num: args.max_count,
          }),
        };
    }
  },
  text: insightText,
});

const VALUATION_VIEWS = ["detail", "constituents"] as const;
const SORT_BY = {
  market_cap: Qot_Common_SortField.MarketCap,
  valuation: Qot_Common_SortField.Valuation,
  forward_valuation: Qot_Common_SortField.ForwardValuation,
  percentile: Qot_Common_SortField.HistoricalPercentile,
} as const;

const valuation = defineTool({
  name: "futu_get_valuation",
  title: "Valuation multiples",
  description:
    'Is it cheap or dear? view "detail" (default for stocks and indices): current PE/PB/PS (metric), forward value, history over interval (default YEAR1) with mean ±1σ and percentile (%), market and plate distribution with market caps, earnings vs market-cap growth; "constituents" (default for plates like "US.BK2001"; indices too): each member\'s multiple, forward value, percentile, market cap, sorted by sort_by. Example: {"symbol":"US.NVDA","metric":"PE","interval":"YEAR3"}.',
  toolset: "research",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    symbol,
    view: z.enum(VALUATION_VIEWS).optional(),
    metric: enumArg(METRIC).optional(),
    interval: enumArg(INTERVAL).optional().describe('view "detail"'),
    sort_by: z.enum(["market_cap", "valuation", "forward_valuation", "percentile"]).optional()
      .describe('view "constituents"; default market_cap'),
    descending: z.boolean().optional().describe('view "constituents"; default false (ascending)'),
    filter_plate: symbol.optional().describe('view "constituents" of an index: only members of this plate'),
    max_count: maxCount(50, 20),
    next_key: nextKey,
  }),
  output: insightOutput({ symbol: z.string(), view: z.enum(VALUATION_VIEWS) }, [
    "Qot_GetValuationDetail",
    "Qot_GetValuationPlateStockList",
  ]),
  async run(ctx, args) {
    const security = toSecurity(args.symbol);
    const view = args.view ?? (/^BK\d+$/.test(parseSymbol(args.symbol).code) ? "constituents" : "detail");
    const head = { symbol: args.symbol, view };
    const valuationType = args.metric === undefined ? undefined : METRIC.toWire(args.metric);
    if (view === "detail") {
      return {
        ...head,
        ...await insightAnswer(ctx, "Qot_GetValuationDetail", {
          security,
          valuationType,
          intervalType: args.interval === undefined ? undefined : INTERVAL.toWire(args.interval),
        }),
      };
    }
    return {
      ...head,
      ...await insightAnswer(ctx, "Qot_GetValuationPlateStockList", {
        security,
        valuationType,
        nextKey: args.next_key,
        num: args.max_count,
        sortType: args.descending ? Qot_Common_SortType.Desc : Qot_Common_SortType.Asc,
        sortId: SORT_BY[args.sort_by ?? "market_cap"],
        filterSecurity: args.filter_plate === undefined ? undefined : toSecurity(args.filter_plate),
      }),
    };
  },
  text: insightText,
});

const ACTION_KINDS = ["dividends", "buybacks", "splits"] as const;

const corporateActions = defineTool({
  name: "futu_get_corporate_actions",
  title: "Dividends, buybacks and splits",
  description:
    'What the company paid out or changed in its shares, newest first. kind "dividends" (default): announcement, plan, record, ex and payment dates (YYYY/MM/DD); "buybacks": HK daily repurchases (shares, amount, price range, % of shares) or A-share programmes (US: none); "splits": ratio, announcement and ex-date, shares after. buybacks and splits page by next_key (max_count up to 50). Example: {"symbol":"HK.00700","kind":"buybacks","max_count":5}.',
  toolset: "research",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    symbol,
    kind: z.enum(ACTION_KINDS).optional().default("dividends"),
    max_count: maxCount(50, 10),
    next_key: nextKey,
  }).refine((a) => a.kind !== "dividends" || a.next_key === undefined, {
    message: "dividends come in one page; next_key is for buybacks and splits",
    path: ["next_key"],
  }),
  output: insightOutput({ symbol: z.string(), kind: z.enum(ACTION_KINDS) }, [
    "Qot_GetCorporateActionsDividends",
    "Qot_GetCorporateActionsBuybacks",
    "Qot_GetCorporateActionsStockSplits",
  ]),
  async run(ctx, args) {
    const security = toSecurity(args.symbol);
    const head = { symbol: args.symbol, kind: args.kind };
    const page = { security, nextKey: args.next_key, num: args.max_count };
    switch (args.kind) {
      case "dividends":
        return { ...head, ...await insightAnswer(ctx, "Qot_GetCorporateActionsDividends", { security }) };
      case "buybacks":
        return { ...head, ...await insightAnswer(ctx, "Qot_GetCorporateActionsBuybacks", page) };
      case "splits":
        return { ...head, ...await insightAnswer(ctx, "Qot_GetCorporateActionsStockSplits", page) };
    }
  },
  text: insightText,
});

const search = defineTool({
  name: "futu_search_securities",
  title: "Search securities by name or code",
  description:
    'Which security is it? Securities and plates whose code or name matches the keyword (case-insensitive; exact code first), with market, security type and whether it is on the watchlist; symbols lists them as "MARKET.CODE" for the other tools. Example: {"keyword":"tencent","max_count":5}.',
  toolset: "research",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    keyword: z.string().trim().min(1).max(64),
    max_count: maxCount(50, 10),
  }),
  output: insightOutput({ keyword: z.string(), symbols: z.array(z.string()) }, ["Qot_GetSearchQuote"]),
  async run(ctx, args) {
    const s2c = await ctx.insight.get("Qot_GetSearchQuote", { keyword: args.keyword, max_count: args.max_count });
    const symbols = (s2c.search_quote_list ?? []).flatMap((q) =>
      q.market === undefined || q.code === undefined ? [] : [formatSymbol({ market: q.market, code: q.code })]
    );
    return { keyword: args.keyword, symbols, ...insightResult("Qot_GetSearchQuote", s2c) };
  },
  text: insightText,
});

/** The company research tools. */
export const FUNDAMENTAL_TOOLS: readonly Tool[] = [
  company,
  financials,
  earningsReaction,
  analystRatings,
  valuation,
  corporateActions,
  search,
];
