/**
 * Ownership: shareholders, insiders, institutions, ARK funds, short interest
 * and volume, top brokers. The tools (toolset `ownership`, scope `qot:read`).
 * One tool per analyst question; a `view` picks the protocol. Paging keys
 * the replies return (`next_key`, `next_page`) go back as `next_key`.
 *
 * @module
 */
import { z } from "zod";
import { derivedEnum } from "../gateway/enums.ts";
import { Qot_Common_HolderDetailType, Qot_Common_HoldingChangesFilterType } from "../gateway/proto/messages.ts";
import { toSecurity } from "../gateway/symbols.ts";
import { enumArg, idArg, maxCount, pageKey, symbol } from "./args.ts";
import { insightAnswer, insightOutput, insightText } from "./_insight.ts";
import { defineTool, READ_OPEND, type Tool } from "./tool.ts";

/** Refuses arguments a view does not use, naming them. */
function onlyFor<V extends string>(allowed: Readonly<Record<V, readonly string[]>>, always: readonly string[]) {
  return (args: Record<string, unknown> & { view: V }, ctx: z.RefinementCtx) => {
    for (const [key, value] of Object.entries(args)) {
      if (value === undefined || key === "view" || always.includes(key) || allowed[args.view].includes(key)) continue;
      ctx.addIssue({ code: "custom", path: [key], message: `${key} is not used with view "${args.view}"` });
    }
  };
}

/** A sort name → wire number table, with the refinement that the name fits the view. */
function sortFits(table: Readonly<Record<string, Readonly<Record<string, number>>>>) {
  return (args: { view: string; sort?: string }, ctx: z.RefinementCtx) => {
    if (args.sort === undefined) return;
    const names = table[args.view] as Readonly<Record<string, number>> | undefined;
    if (!names || !(args.sort in names)) {
      ctx.addIssue({
        code: "custom",
        path: ["sort"],
        message: names
          ? `sort "${args.sort}" does not apply to view "${args.view}"; use one of ${Object.keys(names).join(", ")}`
          : `sort is not used with view "${args.view}"`,
      });
    }
  };
}

const nextKey = pageKey("paging key from the previous reply (next_key / next_page)", { max: 64 });
const ascending = z.boolean().optional().describe("sort ascending (default descending)");
/** An int32 id (holder, period, institution) as a string of digits, like every id argument. */
const int32Id = (what: string) =>
  idArg(what).refine((v) => BigInt(v) <= 2_147_483_647n, { message: `${what} is at most 2147483647` }).transform(
    Number,
  );

// --- shareholders -------------------------------------------------------------------------------

const SHAREHOLDER_VIEWS = ["overview", "changes", "holder", "institutional"] as const;
const HOLDER_TYPE = derivedEnum("holder_type", Qot_Common_HolderDetailType, { acronyms: true, skip: ["Default"] });
const CHANGE_FILTER = derivedEnum("change", Qot_Common_HoldingChangesFilterType, { acronyms: true, skip: ["Unknown"] });
const SHAREHOLDER_SORT = {
  changes: { change: 62, date: 63, pct_change: 64, amount: 65, pct: 66 },
  holder: { shares: 61, change: 62 },
} as const;

const shareholders = defineTool({
  name: "futu_get_shareholders",
  title: "Shareholders of a stock",
  description:
    'Who owns a stock, by reporting quarter. view "overview" (default): top 10 holders and holder-type groups in % of shares outstanding, plus holding_period_list; "changes": each holder\'s latest quarterly change (filter change); "holder": holders at a quarter (holder_type), or one holder\'s history by holder_id; "institutional": institutions\' count, shares and % by quarter. period_id from holding_period_list. Example: {"symbol":"US.AAPL","view":"changes","change":"INCREASE"}.',
  toolset: "ownership",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    symbol,
    view: z.enum(SHAREHOLDER_VIEWS).optional().default("overview"),
    period_id: int32Id("period_id").optional().describe("from holding_period_list (default latest)"),
    holder_id: int32Id("holder_id").optional().describe("from overview, changes or futu_get_insiders"),
    holder_type: enumArg(HOLDER_TYPE).optional(),
    change: enumArg(CHANGE_FILTER).optional(),
    sort: z.enum(["change", "date", "pct_change", "amount", "pct", "shares"]).optional()
      .describe("changes: change (default), date, pct_change, amount, pct; holder: shares (default), change"),
    ascending,
    num: maxCount(50).describe("rows per page, 1–50 (default 10)"),
    next_key: nextKey,
  }).superRefine(onlyFor({
    overview: ["period_id"],
    changes: ["change", "sort", "ascending", "num", "next_key"],
    holder: ["period_id", "holder_id", "holder_type", "sort", "ascending", "num", "next_key"],
    institutional: ["num", "next_key"],
  }, ["symbol"])).superRefine(sortFits(SHAREHOLDER_SORT)),
  output: insightOutput({ symbol: z.string(), view: z.enum(SHAREHOLDER_VIEWS) }, [
    "Qot_GetShareholdersOverview",
    "Qot_GetShareholdersHoldingChanges",
    "Qot_GetShareholdersHolderDetail",
    "Qot_GetShareholdersInstitutional",
  ]),
  async run(ctx, args) {
    const security = toSecurity(args.symbol);
    const head = { symbol: args.symbol, view: args.view };
    const sortType = args.ascending === undefined ? undefined : args.ascending ? 2 : 1;
    const paging = { num: args.num ?? 10, nextKey: args.next_key };
    switch (args.view) {
      case "overview":
        return {
          ...head,
          ...await insightAnswer(ctx, "Qot_GetShareholdersOverview", { security, periodId: args.period_id }),
        };
      case "changes":
        return {
          ...head,
          ...await insightAnswer(ctx, "Qot_GetShareholdersHoldingChanges", {
            security,
            ...paging,
            sortType,
            sortColumn: args.sort
              ? SHAREHOLDER_SORT.changes[args.sort as keyof typeof SHAREHOLDER_SORT.changes]
              : undefined,
            filterType: args.change ? CHANGE_FILTER.toWire(args.change) : undefined,
          }),
        };
      case "holder":
        return {
          ...head,
          ...await insightAnswer(ctx, "Qot_GetShareholdersHolderDetail", {
            security,
            ...paging,
            sortType,
            sortColumn: args.sort
              ? SHAREHOLDER_SORT.holder[args.sort as keyof typeof SHAREHOLDER_SORT.holder]
              : undefined,
            requestType: args.holder_type ? HOLDER_TYPE.toWire(args.holder_type) : undefined,
            periodId: args.period_id,
            holderId: args.holder_id,
          }),
        };
      case "institutional":
        return { ...head, ...await insightAnswer(ctx, "Qot_GetShareholdersInstitutional", { security, ...paging }) };
    }
  },
  text: insightText,
});

// --- insiders -----------------------------------------------------------------------------------

const INSIDER_VIEWS = ["holders", "trades"] as const;

const insiders = defineTool({
  name: "futu_get_insiders",
  title: "Insiders' holdings and trades",
  description:
    'What a company\'s officers and directors own and trade. view "holders" (default): each insider\'s shares, % of shares outstanding and title, with how many bought and sold in the last 12 months (first page); "trades": their buys and sales, newest first, with dates, price range, shares held after, filing source; holder_id (from "holders") narrows to one insider. num 1–20 (holders) or 1–50 (trades), default 10. Example: {"symbol":"US.AAPL","view":"trades"}.',
  toolset: "ownership",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    symbol,
    view: z.enum(INSIDER_VIEWS).optional().default("holders"),
    holder_id: idArg("holder_id").optional().describe('from view "holders"'),
    num: maxCount(50).describe("rows per page (holders 1–20, trades 1–50; default 10)"),
    next_key: nextKey,
  }).superRefine(onlyFor({ holders: ["num", "next_key"], trades: ["holder_id", "num", "next_key"] }, ["symbol"]))
    .refine((a) => a.view !== "holders" || a.num === undefined || a.num <= 20, {
      message: 'num is at most 20 with view "holders"',
      path: ["num"],
    }),
  output: insightOutput({ symbol: z.string(), view: z.enum(INSIDER_VIEWS) }, [
    "Qot_GetInsiderHolderList",
    "Qot_GetInsiderTradeList",
  ]),
  async run(ctx, args) {
    const security = toSecurity(args.symbol);
    const head = { symbol: args.symbol, view: args.view };
    const paging = { num: args.num ?? 10, nextKey: args.next_key };
    if (args.view === "holders") {
      return { ...head, ...await insightAnswer(ctx, "Qot_GetInsiderHolderList", { security, ...paging }) };
    }
    return {
      ...head,
      ...await insightAnswer(ctx, "Qot_GetInsiderTradeList", { security, holderId: args.holder_id, ...paging }),
    };
  },
  text: insightText,
});

// --- institutions -------------------------------------------------------------------------------

const INSTITUTION_VIEWS = ["list", "profile", "distribution", "holding_changes", "holdings"] as const;
const QOT_MARKET = { US: 11, HK: 1 } as const;
const HOLDING_CHANGE = { new: 1, sold_out: 2, increase: 3, decrease: 4 } as const;
const INSTITUTION_SORT = {
  list: { position_value: 1, value_change: 2, position_count: 3, count_change: 4 },
  holding_changes: { change_pct: 1, change_shares: 2, holding_date: 3 },
  holdings: {
    holding_value: 1,
    holding_pct: 2,
    last_holding_pct: 3,
    change_shares: 4,
    change_pct: 5,
    portfolio_pct: 6,
    industry: 7,
    holding_date: 8,
  },
} as const;
const INSTITUTION_SORT_NAMES = [
  ...new Set(Object.values(INSTITUTION_SORT).flatMap((t) => Object.keys(t))),
] as [string, ...string[]];

const institutions = defineTool({
  name: "futu_get_institutions",
  title: "Institutional investors and their portfolios",
  description:
    'Institutions (13F-style filers) in a market (US default, HK) and what they hold, at the latest quarter. view "list" (default): institutions by position value (name filters); "profile", "distribution" (by industry), "holding_changes" (change new default, sold_out, increase, decrease) and "holdings" (keyword filters) need institution_id from "list". Values in the market currency. Example: {"view":"holdings","institution_id":"160122"}.',
  toolset: "ownership",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    market: z.enum(["US", "HK"]).optional().default("US"),
    view: z.enum(INSTITUTION_VIEWS).optional().default("list"),
    institution_id: int32Id("institution_id").optional().describe('from view "list"'),
    name: z.string().min(1).max(100).optional().describe("part of an institution's name (list)"),
    keyword: z.string().min(1).max(100).optional().describe("stock name or code (holdings)"),
    change: z.enum(["new", "sold_out", "increase", "decrease"]).optional(),
    sort: z.enum(INSTITUTION_SORT_NAMES).optional().describe("by view; default position/holding value, change_pct"),
    ascending,
    num: maxCount(200).describe("rows per page, 1–200 (default 20)"),
    next_key: nextKey,
  }).superRefine(onlyFor({
    list: ["name", "sort", "ascending", "num", "next_key"],
    profile: ["institution_id"],
    distribution: ["institution_id"],
    holding_changes: ["institution_id", "change", "sort", "ascending", "num", "next_key"],
    holdings: ["institution_id", "change", "keyword", "sort", "ascending", "num", "next_key"],
  }, ["market"])).superRefine(sortFits(INSTITUTION_SORT)).refine(
    (a) => a.view === "list" || a.institution_id !== undefined,
    { message: 'institution_id (from view "list") is required with this view', path: ["institution_id"] },
  ),
  output: insightOutput(
    { market: z.enum(["US", "HK"]), view: z.enum(INSTITUTION_VIEWS), institution_id: z.string().optional() },
    [
      "Qot_GetInstitutionList",
      "Qot_GetInstitutionProfile",
      "Qot_GetInstitutionDistribution",
      "Qot_GetInstitutionHoldingChange",
      "Qot_GetInstitutionHoldingList",
    ],
  ),
  async run(ctx, args) {
    const market = QOT_MARKET[args.market];
    const head = {
      market: args.market,
      view: args.view,
      institution_id: args.institution_id === undefined ? undefined : String(args.institution_id),
    };
    const sortField = (view: keyof typeof INSTITUTION_SORT) =>
      args.sort ? (INSTITUTION_SORT[view] as Record<string, number>)[args.sort] : undefined;
    const paging = {
      sortDir: args.ascending ? 1 : 0,
      count: args.num ?? 20,
      page: args.next_key,
    };
    const institutionId = args.institution_id!;
    switch (args.view) {
      case "list":
        return {
          ...head,
          ...await insightAnswer(ctx, "Qot_GetInstitutionList", {
            market,
            ...paging,
            sortField: sortField("list"),
            namePart: args.name,
          }),
        };
      case "profile":
        return { ...head, ...await insightAnswer(ctx, "Qot_GetInstitutionProfile", { market, institutionId }) };
      case "distribution":
        return { ...head, ...await insightAnswer(ctx, "Qot_GetInstitutionDistribution", { market, institutionId }) };
      case "holding_changes":
        return {
          ...head,
          ...await insightAnswer(ctx, "Qot_GetInstitutionHoldingChange", {
            market,
            institutionId,
            ...paging,
            changeType: HOLDING_CHANGE[args.change ?? "new"],
            sortField: sortField("holding_changes"),
          }),
        };
      case "holdings":
        return {
          ...head,
          ...await insightAnswer(ctx, "Qot_GetInstitutionHoldingList", {
            market,
            institutionId,
            ...paging,
            changeType: args.change ? HOLDING_CHANGE[args.change] : undefined,
            sortField: sortField("holdings"),
            keyword: args.keyword,
          }),
        };
    }
  },
  text: insightText,
});

// --- ARK ----------------------------------------------------------------------------------------

const ARK_VIEWS = ["fund", "stock", "trades"] as const;
const ARK_CYCLES = ["1d", "5d", "10d", "30d", "60d"] as const;
const ARK_FUND_CHANGE = { position: 0, increase: 1, decrease: 2, new: 3, sold_out: 4 } as const;
const ARK_TRADE_CHANGE = { increase: 0, decrease: 1, new: 2, sold_out: 3 } as const;
const ARK_SORT = {
  fund: { shares: 0, weight_change: 1, shares_change: 2, market_value: 3, weight: 4 },
  trades: { change_amount: 1, change_shares: 2 },
} as const;

const ark = defineTool({
  name: "futu_get_ark_holdings",
  title: "ARK Invest holdings and trades",
  description:
    'What ARK Invest\'s ETFs (ARKK, ARKW, ARKG, ARKQ, ARKF, combined) hold and trade. view "fund" (default): positions with shares, USD value and weight %, change position (default; against the day before) or increase/decrease/new/sold_out over cycle; "trades": net buying or selling per stock over cycle (change increase default), USD amount; "stock": ARK\'s recent trading in one symbol. cycle 1d (default)…60d trading days. Example: {"view":"trades","change":"decrease","cycle":"30d"}.',
  toolset: "ownership",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    view: z.enum(ARK_VIEWS).optional().default("fund"),
    symbol: symbol.optional(),
    change: z.enum(["position", "increase", "decrease", "new", "sold_out"]).optional(),
    cycle: z.enum(ARK_CYCLES).optional(),
    sort: z.enum([
      "shares",
      "weight_change",
      "shares_change",
      "market_value",
      "weight",
      "change_amount",
      "change_shares",
    ])
      .optional().describe(
        "fund: shares (default), weight_change, shares_change, market_value, weight; trades: change_amount (default), change_shares",
      ),
    ascending,
    num: maxCount(200).describe("rows per page, 1–200 (default 20)"),
    next_key: nextKey,
  }).superRefine(onlyFor({
    fund: ["change", "cycle", "sort", "ascending", "num", "next_key"],
    stock: ["symbol"],
    trades: ["change", "cycle", "sort", "ascending", "num", "next_key"],
  }, [])).superRefine(sortFits(ARK_SORT)).refine((a) => a.view !== "stock" || a.symbol !== undefined, {
    message: 'symbol is required with view "stock"',
    path: ["symbol"],
  }).refine((a) => a.view !== "trades" || a.change !== "position", {
    message: 'change "position" applies to view "fund" only',
    path: ["change"],
  }).refine((a) => !(a.view === "fund" && (a.change ?? "position") === "position" && a.cycle !== undefined), {
    message: 'cycle is not used with change "position" (it compares with the day before)',
    path: ["cycle"],
  }),
  output: insightOutput({ view: z.enum(ARK_VIEWS), symbol: z.string().optional() }, [
    "Qot_GetArkFundHolding",
    "Qot_GetArkStockDynamic",
    "Qot_GetArkActiveTransaction",
  ]),
  async run(ctx, args) {
    const cycleType = ARK_CYCLES.indexOf(args.cycle ?? "1d");
    const paging = { sortDir: args.ascending ? 1 : 0, count: args.num ?? 20, page: args.next_key };
    switch (args.view) {
      case "fund":
        return {
          view: args.view,
          ...await insightAnswer(ctx, "Qot_GetArkFundHolding", {
            ...paging,
            holdingType: ARK_FUND_CHANGE[args.change ?? "position"],
            cycleType,
            sortField: args.sort ? (ARK_SORT.fund as Record<string, number>)[args.sort] : undefined,
          }),
        };
      case "stock":
        return {
          view: args.view,
          symbol: args.symbol,
          ...await insightAnswer(ctx, "Qot_GetArkStockDynamic", { security: toSecurity(args.symbol!) }),
        };
      case "trades": {
        const change = args.change as keyof typeof ARK_TRADE_CHANGE | undefined;
        return {
          view: args.view,
          ...await insightAnswer(ctx, "Qot_GetArkActiveTransaction", {
            ...paging,
            holdingType: ARK_TRADE_CHANGE[change ?? "increase"],
            cycleType,
            sortField: args.sort ? (ARK_SORT.trades as Record<string, number>)[args.sort] : undefined,
          }),
        };
      }
    }
  },
  text: insightText,
});

// --- short selling ------------------------------------------------------------------------------

const SHORT_VIEWS = ["interest", "daily_volume"] as const;

const shortSelling = defineTool({
  name: "futu_get_short_interest",
  title: "Short interest and daily short volume",
  description:
    'How heavily a US or HK stock is shorted, newest first. view "interest" (default): US short interest at mid-month and month-end settlements (shares short, % of shares outstanding, average daily volume, days to cover), HK aggregated short positions weekly; "daily_volume": each day\'s short volume and the day\'s volume (US: Nasdaq/NYSE parts; HK: short turnover), daily_trade_avg_ratio = % of the 20-day average. num 1–50 (default 10). Example: {"symbol":"US.TSLA","view":"daily_volume"}.',
  toolset: "ownership",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    symbol,
    view: z.enum(SHORT_VIEWS).optional().default("interest"),
    num: maxCount(50).describe("rows per page, 1–50 (default 10)"),
    next_key: nextKey,
  }),
  output: insightOutput({ symbol: z.string(), view: z.enum(SHORT_VIEWS) }, [
    "Qot_GetShortInterest",
    "Qot_GetDailyShortVolume",
  ]),
  async run(ctx, args) {
    const c2s = { security: toSecurity(args.symbol), num: args.num ?? 10, nextKey: args.next_key };
    const head = { symbol: args.symbol, view: args.view };
    const protocol = args.view === "interest" ? "Qot_GetShortInterest" : "Qot_GetDailyShortVolume";
    return { ...head, ...await insightAnswer(ctx, protocol, c2s) };
  },
  text: insightText,
});

// --- top brokers --------------------------------------------------------------------------------

const topBrokers = defineTool({
  name: "futu_get_top_brokers",
  title: "Top ten buying and selling brokers (HK)",
  description:
    'Which brokers bought and sold an HK stock most on a trading day: up to ten net buyers (net_vol > 0, NET_BUY) then up to ten net sellers (net_vol < 0, NET_SELL), largest first, in shares. days_before 0 (default): today so far, with each broker\'s average price, volume and turnover; N: the Nth trading day before (net volumes only). Example: {"symbol":"HK.00700","days_before":1}.',
  toolset: "ownership",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    symbol,
    days_before: z.number().int().min(0).max(250).optional().default(0).describe("0 = today, N = N trading days ago"),
  }),
  output: insightOutput({ symbol: z.string(), days_before: z.number() }, ["Qot_GetTopTenBuySellBrokers"]),
  async run(ctx, args) {
    return {
      symbol: args.symbol,
      days_before: args.days_before,
      ...await insightAnswer(ctx, "Qot_GetTopTenBuySellBrokers", {
        security: toSecurity(args.symbol),
        daysBefore: args.days_before,
      }),
    };
  },
  text: insightText,
});

/** The ownership tools. */
export const OWNERSHIP_TOOLS: readonly Tool[] = [shareholders, insiders, institutions, ark, shortSelling, topBrokers];
