/**
 * Capital flow, holders, the stock filter and owner plates: the tools
 * (`qot:read`). Flow tools are in the `flow` toolset, the screener and owner
 * plates in `screen`.
 *
 * @module
 */
import { z } from "zod";
import {
  ACCUMULATE_FIELD,
  filterKindOf,
  FINANCIAL_FIELD,
  FINANCIAL_QUARTER,
  HOLDER_CATEGORY,
  PERIOD_TYPE,
  STOCK_FIELD,
  type StockFilterCondition,
} from "../gateway/research_types.ts";
import { dateTime, enumArg, symbol, symbols } from "./args.ts";
import { compact, rows, table } from "./render.ts";
import { defineTool, READ_OPEND, type Tool } from "./tool.ts";

const columns = z.array(z.string());

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

const capitalFlow = defineTool({
  name: "futu_get_capital_flow",
  title: "Capital flow",
  description:
    'Net capital inflow (buy-initiated minus sell-initiated turnover) by order size super/big/mid/small. period INTRADAY (default): today per minute, cumulative since the open; DAY, WEEK or MONTH: one row per period between "begin" and "end" (default the last 365 days), with main = super + big.',
  toolset: "flow",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    symbol,
    period: enumArg(PERIOD_TYPE).optional().default("INTRADAY"),
    begin: dateTime.optional(),
    end: dateTime.optional(),
  }).refine((a) => a.period !== "INTRADAY" || (a.begin === undefined && a.end === undefined), {
    message: "begin and end apply to DAY, WEEK and MONTH; INTRADAY is always today",
    path: ["begin"],
  }),
  aliases: { period_type: "period" },
  output: z.object({
    symbol: z.string(),
    period: z.string(),
    columns,
    rows,
    last_valid_time: z.string().optional(),
  }),
  async run(ctx, args) {
    const series = await ctx.research.capitalFlow(args.symbol, args.period, {
      begin: args.begin?.trim().slice(0, 10),
      end: args.end?.trim().slice(0, 10),
    });
    const intraday = args.period === "INTRADAY";
    const cell = (v: number | undefined) => v ?? null;
    return compact({
      symbol: series.symbol,
      period: series.period,
      columns: intraday
        ? ["time", "net", "super", "big", "mid", "small"]
        : ["time", "net", "main", "super", "big", "mid", "small"],
      rows: series.items.map((i) => [
        i.time,
        i.inFlow,
        ...(intraday ? [] : [cell(i.mainInFlow)]),
        cell(i.superInFlow),
        cell(i.bigInFlow),
        cell(i.midInFlow),
        cell(i.smallInFlow),
      ]),
      last_valid_time: series.lastValidTime,
    });
  },
  text: (r) => `${r.symbol} ${r.period} net inflow (${r.rows.length} rows)\n${table(r.columns, r.rows)}`,
});

const capitalDistribution = defineTool({
  name: "futu_get_capital_distribution",
  title: "Capital distribution",
  description:
    "Today's turnover split by order size (super, big, mid, small) into inflow (buy-initiated) and outflow (sell-initiated), with the net of each; in the security's currency.",
  toolset: "flow",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({ symbol }),
  output: z.object({
    symbol: z.string(),
    update_time: z.string().optional(),
    columns,
    rows,
    total_in: z.number(),
    total_out: z.number(),
  }),
  async run(ctx, args) {
    const d = await ctx.research.capitalDistribution(args.symbol);
    const sizes = [
      ["super", d.inSuper, d.outSuper],
      ["big", d.inBig, d.outBig],
      ["mid", d.inMid, d.outMid],
      ["small", d.inSmall, d.outSmall],
    ] as const;
    return compact({
      symbol: d.symbol,
      update_time: d.updateTime,
      columns: ["size", "in", "out", "net"],
      rows: sizes.map(([size, i, o]) => [size, i, o, round(i - o, 2)]),
      total_in: round(sizes.reduce((s, [, i]) => s + i, 0), 2),
      total_out: round(sizes.reduce((s, [, , o]) => s + o, 0), 2),
    });
  },
  text: (r) =>
    `${r.symbol} ${r.update_time ?? ""} in ${r.total_in} out ${r.total_out} net ${
      round(r.total_in - r.total_out, 2)
    }\n${table(r.columns, r.rows)}`,
});

const holdingChanges = defineTool({
  name: "futu_get_holding_change",
  title: "Major holders' changes",
  description:
    'Disclosed position changes of a US stock\'s major holders, newest first: holder INSTITUTE (default), FUND or EXECUTIVE. Rows [time, holder, shares, pct_of_shares, change, change_pct]; change_pct is against the holder\'s previous position. "begin"/"end" filter by publication time.',
  toolset: "flow",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    symbol,
    holder: enumArg(HOLDER_CATEGORY).optional().default("INSTITUTE"),
    begin: dateTime.optional(),
    end: dateTime.optional(),
    max_count: z.int().min(1).max(500).optional().default(50),
  }),
  aliases: { holder_type: "holder", holder_category: "holder", category: "holder" },
  output: z.object({ symbol: z.string(), holder: z.string(), total: z.number(), columns, rows }),
  async run(ctx, args) {
    const list = await ctx.research.holdingChanges(args.symbol, args.holder, { begin: args.begin, end: args.end });
    return {
      symbol: args.symbol,
      holder: args.holder,
      total: list.length,
      columns: ["time", "holder", "shares", "pct_of_shares", "change", "change_pct"],
      rows: list.slice(0, args.max_count).map((
        c,
      ) => [c.time, c.holder, c.holdingQty, c.holdingRatio, c.changeQty, c.changeRatio]),
    };
  },
  text: (r) => `${r.symbol} ${r.holder} (${r.rows.length} of ${r.total})\n${table(r.columns, r.rows)}`,
});

/** A field name as typed: any case, `-` or space for `_`. */
const fieldName = z.string().describe(
  "CUR_PRICE, MARKET_VAL, PE_ANNUAL, PE_TTM, PB_RATE, TOTAL_SHARE, VOLUME_RATIO, CHANGE_RATE_BEGIN_YEAR… (today); CHANGE_RATE, AMPLITUDE, VOLUME, TURNOVER, TURNOVER_RATE (need days); NET_PROFIT, BASIC_EPS, RETURN_ON_EQUITY_RATE… (financial)",
).transform((value, ctx) => {
  const name = value.trim().toUpperCase().replace(/[- ]/g, "_");
  if (filterKindOf(name) !== undefined) return name;
  ctx.addIssue({
    code: "custom",
    message: `unknown field ${JSON.stringify(value)}: expected a stock field (${
      STOCK_FIELD.names.join(", ")
    }), an accumulated one (${ACCUMULATE_FIELD.names.join(", ")}) or a financial one (${
      FINANCIAL_FIELD.names.join(", ")
    })`,
  });
  return z.NEVER;
});

const filterCondition = z.strictObject({
  field: fieldName,
  min: z.number().optional(),
  max: z.number().optional(),
  sort: z.preprocess(
    (v) => (typeof v === "string" ? v.trim().toLowerCase() : v),
    z.enum(["asc", "desc"]),
  ).optional(),
  days: z.int().min(1).max(250).optional().describe("accumulated fields: last N trading days"),
  quarter: enumArg(FINANCIAL_QUARTER).optional().describe("financial fields: report (default ANNUAL)"),
}).superRefine((c, ctx) => {
  const kind = filterKindOf(c.field);
  if (kind === "accumulate" && c.days === undefined) {
    ctx.addIssue({ code: "custom", message: `${c.field} accumulates over days: give days`, path: ["days"] });
  }
  if (kind !== "accumulate" && c.days !== undefined) {
    ctx.addIssue({ code: "custom", message: `days applies only to accumulated fields`, path: ["days"] });
  }
  if (kind !== "financial" && c.quarter !== undefined) {
    ctx.addIssue({ code: "custom", message: `quarter applies only to financial fields`, path: ["quarter"] });
  }
  if (c.min !== undefined && c.max !== undefined && c.min > c.max) {
    ctx.addIssue({ code: "custom", message: `min ${c.min} is above max ${c.max}`, path: ["min"] });
  }
});

/** The column a field's value is shown under: "CHANGE_RATE_5D" for an accumulated field over 5 days. */
function label(field: string, days?: number): string {
  return days === undefined ? field : `${field}_${days}D`;
}

const stockFilter = defineTool({
  name: "futu_get_stock_filter",
  title: "Stock screener",
  description:
    'Screen a market\'s stocks (HK, US, SH/SZ = A-shares), optionally one plate: filters [{field, min, max, sort, days, quarter}], all must hold (bounds inclusive; percent fields in %, e.g. 20 = 20%). A filter without bounds only adds its column. One filter may sort ("asc"/"desc"). Page with offset/max_count (≤200); all_count counts every match.',
  toolset: "screen",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    market: z.preprocess((v) => (typeof v === "string" ? v.trim().toUpperCase() : v), z.enum(["HK", "US", "SH", "SZ"])),
    plate: symbol.optional().describe('only this plate\'s stocks, e.g. "HK.BK1910"'),
    filters: z.array(filterCondition).max(20).optional().default([]),
    offset: z.int().min(0).optional().default(0),
    max_count: z.int().min(1).max(200).optional().default(50),
  }).refine((a) => a.filters.filter((f) => f.sort !== undefined).length <= 1, {
    message: "only one filter may sort",
    path: ["filters"],
  }),
  aliases: { begin: "offset", filter: "filters", plate_code: "plate" },
  output: z.object({
    market: z.string(),
    all_count: z.number(),
    last_page: z.boolean(),
    next_offset: z.number().optional(),
    columns,
    rows,
  }),
  async run(ctx, args) {
    const conditions: StockFilterCondition[] = args.filters.map((f) =>
      compact({
        field: f.field,
        min: f.min,
        max: f.max,
        sort: f.sort === undefined ? undefined : f.sort === "asc" ? "ASC" as const : "DESC" as const,
        days: f.days,
        quarter: f.quarter,
      })
    );
    const result = await ctx.research.screen({
      market: args.market,
      plate: args.plate,
      conditions,
      begin: args.offset,
      num: args.max_count,
    });
    const kinds = ["base", "accumulate", "financial"] as const;
    const labels = kinds.flatMap((k) => conditions.filter((c) => filterKindOf(c.field) === k))
      .map((c) => label(c.field, c.days));
    const unique = [...new Set(labels)];
    return compact({
      market: args.market,
      all_count: result.allCount,
      last_page: result.lastPage,
      next_offset: result.lastPage ? undefined : args.offset + result.stocks.length,
      columns: ["symbol", "name", ...unique],
      rows: result.stocks.map((s) => {
        const values = new Map(s.values.map((v) => [label(v.field, v.days), v.value]));
        return [s.symbol, s.name, ...unique.map((l) => values.get(l) ?? null)];
      }),
    });
  },
  text: (r) =>
    `${r.market}: ${r.rows.length} of ${r.all_count}${
      r.next_offset === undefined ? "" : `, more: offset=${r.next_offset}`
    }\n${table(r.columns, r.rows)}`,
});

const ownerPlates = defineTool({
  name: "futu_get_owner_plate",
  title: "Plates of securities",
  description:
    "The plates (industry, region, concept) each security belongs to, as rows [symbol, plate, name, type]; up to 200 symbols. Plate codes work with futu_plate_stocks and futu_get_stock_filter.",
  toolset: "screen",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({ symbols: symbols(200) }),
  output: z.object({ columns, rows }),
  async run(ctx, args) {
    const list = await ctx.research.ownerPlates(args.symbols);
    return {
      columns: ["symbol", "plate", "name", "type"],
      rows: list.flatMap((o) => o.plates.map((p) => [o.symbol, p.plate, p.name, p.plateType ?? null])),
    };
  },
  text: (r) => table(r.columns, r.rows),
});

/** The tools of this file, in listing order. */
export const RESEARCH_TOOLS: readonly Tool[] = [
  capitalFlow,
  capitalDistribution,
  holdingChanges,
  stockFilter,
  ownerPlates,
];
