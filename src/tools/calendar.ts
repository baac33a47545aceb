/**
 * Trading days, IPOs, code changes and rehab factors: the tools (toolset
 * `calendar`, scope `qot:read`). None needs a subscription.
 *
 * @module
 */
import { z } from "zod";
import {
  CODE_CHANGE_TIME,
  CODE_CHANGE_TYPE,
  type Ipo,
  TRADE_DATE_MARKET,
  type TradeDateMarketName,
} from "../gateway/calendar_types.ts";
import { marketOfQotMarket, parseSymbol } from "../gateway/types.ts";
import { addDays, date, enumArg, symbol, symbols } from "./args.ts";
import { compact, rows, rowsOf, table } from "./render.ts";
import { defineTool, READ_OPEND, type Tool } from "./tool.ts";

/** Days `end` lies after `begin` when it is not given. */
const DEFAULT_SPAN_DAYS = 30;

/** The calendar of a (valid) symbol's market, if OpenD has one. */
function calendarOfSymbol(value: string): TradeDateMarketName | undefined {
  const { market } = parseSymbol(value);
  if (market === "HK" || market === "US") return market;
  if (market === "SH" || market === "SZ") return "CN";
  return undefined;
}

const tradingDays = defineTool({
  name: "futu_get_trading_days",
  title: "Trading days",
  description:
    "Trading days from begin to end (both included; end defaults to begin + 30 days): weekends and exchange holidays left out. market: HK, US, CN (A-shares), NT (Northbound), ST (Southbound)…, or symbol for its market. Rows [date, type]; type MORNING is a half day (morning session only).",
  toolset: "calendar",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    market: enumArg(TRADE_DATE_MARKET).optional(),
    symbol: symbol.optional(),
    begin: date,
    end: date.optional(),
  }).refine((a) => a.market !== undefined || a.symbol !== undefined, {
    message: "pass market, or pass symbol for its market",
    path: ["market"],
  }).refine((a) => a.market !== undefined || a.symbol === undefined || calendarOfSymbol(a.symbol) !== undefined, {
    message: "no trading calendar for this market: pass market",
    path: ["symbol"],
  }).refine((a) => a.end === undefined || a.end >= a.begin, { message: "end is before begin", path: ["end"] }),
  output: z.object({
    market: z.string(),
    symbol: z.string().optional(),
    begin: z.string(),
    end: z.string(),
    trading_days: z.number(),
    half_days: z.number(),
    columns: z.array(z.string()),
    rows: rowsOf(z.string()),
  }),
  async run(ctx, args) {
    const market = args.market ?? calendarOfSymbol(args.symbol!)!;
    const end = args.end ?? addDays(args.begin, DEFAULT_SPAN_DAYS);
    const days = await ctx.calendar.tradingDays(market, args.begin, end, args.symbol);
    return compact({
      market,
      symbol: args.symbol,
      begin: args.begin,
      end,
      trading_days: days.length,
      half_days: days.filter((d) => d.type !== "WHOLE").length,
      columns: ["date", "type"],
      rows: days.map((d) => [d.date, d.type]),
    });
  },
  text: (r) =>
    `${r.symbol ?? r.market} ${r.begin}..${r.end}: ${r.trading_days} trading days (${r.half_days} half)\n${
      table(r.columns, r.rows)
    }`,
});

/** IPO markets by name or QotMarket number. */
const ipoMarket = z.preprocess(
  (v) => (typeof v === "number" ? marketOfQotMarket(v) ?? v : typeof v === "string" ? v.trim().toUpperCase() : v),
  z.enum(["HK", "US", "SH", "SZ"], { error: () => "expected one of HK, US, SH, SZ" }),
);

const ipoRecord = z.object({
  symbol: z.string(),
  name: z.string(),
  list_date: z.string().optional(),
  price_min: z.number().optional(),
  price_max: z.number().optional(),
  list_price: z.number().optional(),
  lot_size: z.number().optional(),
  entrance_fee: z.number().optional(),
  subscribing: z.boolean().optional(),
  apply_end: z.string().optional(),
  issue_size: z.number().optional(),
  online_issue_size: z.number().optional(),
  apply_code: z.string().optional(),
  apply_date: z.string().optional(),
  apply_limit: z.number().optional(),
  apply_limit_market_value: z.number().optional(),
  ipo_price: z.number().optional(),
  ipo_price_estimated: z.boolean().optional(),
  issue_pe: z.number().optional(),
  industry_pe: z.number().optional(),
  winning_rate_pct: z.number().optional(),
  winning_rate_estimated: z.boolean().optional(),
  winning_date: z.string().optional(),
  has_won: z.boolean().optional(),
  winning_numbers: z.array(z.object({ group: z.string(), numbers: z.string() })).optional(),
});

function ipoOf(ipo: Ipo): z.output<typeof ipoRecord> {
  const { hk, us, cn } = ipo;
  return compact({
    symbol: ipo.symbol,
    name: ipo.name,
    list_date: ipo.listDate,
    price_min: hk?.priceMin ?? us?.priceMin,
    price_max: hk?.priceMax ?? us?.priceMax,
    list_price: hk?.listPrice,
    lot_size: hk?.lotSize,
    entrance_fee: hk?.entrancePrice,
    subscribing: hk?.subscribing,
    apply_end: hk?.applyEnd,
    issue_size: us?.issueSize ?? cn?.issueSize,
    online_issue_size: cn?.onlineIssueSize,
    apply_code: cn?.applyCode,
    apply_date: cn?.applyDate,
    apply_limit: cn?.applyUpperLimit,
    apply_limit_market_value: cn?.applyLimitMarketValue,
    ipo_price: cn?.ipoPrice,
    ipo_price_estimated: cn?.ipoPriceEstimated,
    issue_pe: cn?.issuePe,
    industry_pe: cn?.industryPe,
    winning_rate_pct: cn?.winningRatio,
    winning_rate_estimated: cn?.winningRatioEstimated,
    winning_date: cn?.winningDate,
    has_won: cn?.hasWon,
    winning_numbers: cn && cn.winningNumbers.length > 0 ? cn.winningNumbers : undefined,
  });
}

/** The columns of the text table, per market. */
const IPO_TEXT_COLUMNS: Readonly<Record<string, readonly (keyof z.output<typeof ipoRecord>)[]>> = {
  HK: ["symbol", "name", "list_date", "price_min", "price_max", "list_price", "lot_size", "entrance_fee", "apply_end"],
  US: ["symbol", "name", "list_date", "price_min", "price_max", "issue_size"],
  CN: [
    "symbol",
    "name",
    "list_date",
    "apply_code",
    "apply_date",
    "ipo_price",
    "apply_limit",
    "winning_date",
    "has_won",
  ],
};

const ipoList = defineTool({
  name: "futu_get_ipo_list",
  title: "IPO calendar",
  description:
    "Upcoming IPOs of a market: HK, US, or SH/SZ (one A-share list for both). Per listing: symbol, name, list_date; HK: price range, lot_size, entrance_fee (one lot, fees included), apply_end; US: price range, issue_size; A-shares: apply_code, apply_date, ipo_price, apply_limit (shares), winning rate and numbers.",
  toolset: "calendar",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({ market: ipoMarket }),
  output: z.object({ market: z.string(), ipos: z.array(ipoRecord) }),
  async run(ctx, args) {
    const list = await ctx.calendar.ipoList(args.market);
    return { market: args.market, ipos: list.map(ipoOf) };
  },
  text: (r) => {
    const columns = IPO_TEXT_COLUMNS[r.market === "SH" || r.market === "SZ" ? "CN" : r.market];
    return `${r.market} IPOs (${r.ipos.length})\n${table(columns, r.ipos.map((i) => columns.map((c) => i[c])))}`;
  },
});

const codeChange = defineTool({
  name: "futu_get_code_change",
  title: "Code changes",
  description:
    "HK code changes and temporary codes: GEM to Main Board moves; parallel-trading counters of splits, consolidations (JOINT), lot changes, nil-paid rights (UNPAID). Filters: symbols (main or related code), types, begin/end on time_field (default EFFECTIVE). Rows [type, symbol, related, public, effective, end].",
  toolset: "calendar",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    symbols: symbols(200).optional(),
    types: z.array(enumArg(CODE_CHANGE_TYPE)).min(1).max(8).optional(),
    time_field: enumArg(CODE_CHANGE_TIME).optional(),
    begin: date.optional(),
    end: date.optional(),
  }).refine((a) => a.time_field === undefined || a.begin !== undefined || a.end !== undefined, {
    message: "time_field filters by begin and/or end: pass one of them",
    path: ["time_field"],
  }).refine((a) => a.begin === undefined || a.end === undefined || a.end >= a.begin, {
    message: "end is before begin",
    path: ["end"],
  }),
  output: z.object({ columns: z.array(z.string()), rows }),
  async run(ctx, args) {
    const ranged = args.begin !== undefined || args.end !== undefined;
    const list = await ctx.calendar.codeChanges({
      symbols: args.symbols,
      types: args.types,
      time: ranged ? { field: args.time_field ?? "EFFECTIVE", begin: args.begin, end: args.end } : undefined,
    });
    return {
      columns: ["type", "symbol", "related", "public", "effective", "end"],
      rows: list.map((c) => [
        c.type,
        c.symbol,
        c.related,
        c.publicDate ?? null,
        c.effectiveDate ?? null,
        c.endDate ?? null,
      ]),
    };
  },
  text: (r) => table(r.columns, r.rows),
});

const rehab = defineTool({
  name: "futu_get_rehab",
  title: "Rehab (adjustment) factors",
  description:
    "Corporate actions of a stock by ex-date (splits, bonus shares, dividends per share) with their price adjustment factors: adjusted = price × A + B. Forward factors bring a price before the ex-date to the basis after it; backward ones the reverse. futu_get_kline's FORWARD/BACKWARD rehab applies them.",
  toolset: "calendar",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({ symbol }),
  output: z.object({ symbol: z.string(), columns: z.array(z.string()), rows }),
  async run(ctx, args) {
    const list = await ctx.calendar.rehab(args.symbol);
    // Share changes as "split 1:4, bonus 10:3": base shares become (or receive) ert.
    const shares = (r: (typeof list)[number]) =>
      ([
        ["split", r.split],
        ["join", r.join],
        ["bonus", r.bonus],
        ["transfer", r.transfer],
        ["allot", r.allot],
        ["add", r.add],
        ["spin-off", r.spinOff],
      ] as const).filter(([, v]) => v !== undefined).map(([k, v]) => `${k} ${v}`).join(", ");
    return {
      symbol: args.symbol,
      columns: [
        "ex_date",
        "actions",
        "shares",
        "dividend",
        "special_dividend",
        "forward_a",
        "forward_b",
        "backward_a",
        "backward_b",
      ],
      rows: list.map((r) => [
        r.exDate,
        r.actions.join(","),
        shares(r) || null,
        r.dividend ?? null,
        r.specialDividend ?? null,
        r.forwardA,
        r.forwardB,
        r.backwardA,
        r.backwardB,
      ]),
    };
  },
  text: (r) => `${r.symbol}\n${table(r.columns, r.rows)}`,
});

/** The tools of this file, in listing order. */
export const CALENDAR_TOOLS: readonly Tool[] = [tradingDays, ipoList, codeChange, rehab];
