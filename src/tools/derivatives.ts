/**
 * Options, warrants and futures: the tools (`qot:read`) — option expiries and
 * chains priced with Greeks, warrant lists with OpenD's filters, sorting and
 * paging, a security's related warrants or contract months, futures terms.
 *
 * @module
 */
import { z } from "zod";
import { type Snapshot, type StaticInfo, WARRANT_TYPE } from "../gateway/types.ts";
import {
  OPTION_CONDITION,
  OPTION_TYPE,
  REFERENCE_TYPE,
  WARRANT_ISSUER,
  WARRANT_KIND,
  WARRANT_SORT,
  WARRANT_STATUS,
} from "../gateway/derivatives_types.ts";
import { MAX_CHAIN_DAYS } from "../services/derivatives.ts";
import { enumArg, symbol, symbols } from "./args.ts";
import { compact, fields, rows, table } from "./render.ts";
import { defineTool, READ_OPEND, type Tool } from "./tool.ts";

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date, "YYYY-MM-DD". */
const date = z.string().describe('"YYYY-MM-DD"').refine(
  (v) => DATE.test(v) && new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) === v,
  { message: 'expected a date "YYYY-MM-DD"' },
);

function days(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

const tableShape = { columns: z.array(z.string()), rows };

const expirations = defineTool({
  name: "futu_get_option_expiration_date",
  title: "Option expiries",
  description:
    'Listed option expiry dates of an underlying ("US.AAPL", "HK.00700") as rows [expiry, days_to_expiry, cycle WEEK/MONTH]. Pass one to futu_get_option_chain.',
  toolset: "options",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({ symbol }),
  aliases: { owner: "symbol" },
  output: z.object({ symbol: z.string(), ...tableShape }),
  async run(ctx, args) {
    const list = await ctx.derivatives.expirations(args.symbol);
    return {
      symbol: args.symbol,
      columns: ["expiry", "days_to_expiry", "cycle"],
      rows: list.map((e) => [e.date, e.daysToExpiry, e.cycle ?? null]),
    };
  },
  text: (r) => `${r.symbol}\n${table(r.columns, r.rows)}`,
});

const QUOTED = [
  "expiry",
  "strike",
  "call",
  "call_price",
  "call_iv",
  "call_delta",
  "call_oi",
  "put",
  "put_price",
  "put_iv",
  "put_delta",
  "put_oi",
];

/** Symbol, price, IV %, delta and open interest of a contract, or nulls. */
function quoteCells(contract: StaticInfo | undefined, quotes: Map<string, Snapshot>) {
  const o = contract && quotes.get(contract.symbol);
  if (!contract) return [null, null, null, null, null];
  return [
    contract.symbol,
    o?.curPrice ?? null,
    o?.option?.impliedVolatility ?? null,
    o?.option?.delta ?? null,
    o?.option?.openInterest ?? null,
  ];
}

const bound = z.number().optional();

const chain = defineTool({
  name: "futu_get_option_chain",
  title: "Option chain",
  description:
    'Option chain of an underlying as rows by expiry and strike: call and put symbols with price, IV %, delta, open interest. Default: the nearest expiry; or "expiry", or begin/end (≤309 days). Filters: type, moneyness, strike, delta, IV, open interest.',
  toolset: "options",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    symbol,
    expiry: date.optional(),
    begin: date.optional(),
    end: date.optional(),
    type: enumArg(OPTION_TYPE).optional(),
    moneyness: enumArg(OPTION_CONDITION).optional(),
    strike_min: bound,
    strike_max: bound,
    delta_min: bound,
    delta_max: bound,
    iv_min: bound.describe("percent"),
    iv_max: bound.describe("percent"),
    oi_min: bound.describe("open interest"),
    quotes: z.boolean().optional().default(true).describe("false: symbols only, no prices"),
  }).refine((a) => a.expiry === undefined || (a.begin === undefined && a.end === undefined), {
    message: 'give "expiry" or begin/end, not both',
    path: ["expiry"],
  }).refine((a) => a.end === undefined || a.begin !== undefined, { message: "end needs begin", path: ["end"] })
    .refine((a) => a.begin === undefined || a.end === undefined || days(a.begin, a.end) >= 0, {
      message: "end is before begin",
      path: ["end"],
    }).refine((a) => a.begin === undefined || a.end === undefined || days(a.begin, a.end) <= MAX_CHAIN_DAYS, {
      message: `end is more than ${MAX_CHAIN_DAYS} days after begin`,
      path: ["end"],
    }),
  aliases: { owner: "symbol", option_type: "type", condition: "moneyness" },
  output: z.object({ symbol: z.string(), spot: z.number().optional(), contracts: z.number(), ...tableShape }),
  async run(ctx, args) {
    const filter = {
      delta: { min: args.delta_min, max: args.delta_max },
      impliedVolatility: { min: args.iv_min, max: args.iv_max },
      openInterest: { min: args.oi_min },
    };
    const result = await ctx.derivatives.chain(args.symbol, {
      expiry: args.expiry,
      begin: args.begin,
      end: args.end,
      type: args.type,
      condition: args.moneyness,
      strikeMin: args.strike_min,
      strikeMax: args.strike_max,
      filter,
      quotes: args.quotes,
    }, ctx);
    const flat = result.expiries.flatMap((e) => e.options.map((o) => ({ expiry: e.expiry, ...o })));
    const contracts = flat.reduce((n, o) => n + (o.call ? 1 : 0) + (o.put ? 1 : 0), 0);
    return compact({
      symbol: result.symbol,
      spot: result.spot,
      contracts,
      columns: args.quotes ? QUOTED : ["expiry", "strike", "call", "put"],
      rows: flat.map((o) =>
        args.quotes
          ? [o.expiry, o.strike, ...quoteCells(o.call, result.quotes), ...quoteCells(o.put, result.quotes)]
          : [o.expiry, o.strike, o.call?.symbol ?? null, o.put?.symbol ?? null]
      ),
    });
  },
  text: (r) =>
    `${r.symbol}${r.spot === undefined ? "" : ` spot ${r.spot}`}, ${r.contracts} contracts\n${
      table(r.columns, r.rows)
    }`,
});

const WARRANT_COLUMNS = [
  "symbol",
  "name",
  "owner",
  "type",
  "issuer",
  "price",
  "change_pct",
  "strike",
  "recovery",
  "premium_pct",
  "leverage",
  "eff_leverage",
  "iv",
  "delta",
  "itm_pct",
  "street_pct",
  "maturity",
  "status",
  "volume",
  "conversion",
];

/** An issuer code; the schema leaves the 28 codes out (bytes every session pays), the message lists them. */
const issuer = z.string().transform((value, ctx) => {
  const code = value.trim().toUpperCase();
  if (WARRANT_ISSUER.has(code)) return code;
  ctx.addIssue({
    code: "custom",
    message: `unknown issuer "${value}": expected one of ${WARRANT_ISSUER.names.join(", ")}`,
  });
  return z.NEVER;
});

/** The sort fields the tool offers (OpenD has more; these are the ones worth a model's bytes). */
const SORTS = [
  "SCORE",
  "CODE",
  "PRICE",
  "VOLUME",
  "PREMIUM",
  "LEVERAGE",
  "EFFECTIVE_LEVERAGE",
  "IMPLIED_VOLATILITY",
  "STRIKE",
  "MATURITY",
  "IN_OUT_MONEY",
  "STREET_RATE",
] as const;

const warrants = defineTool({
  name: "futu_get_warrant",
  title: "Warrants and CBBCs (HK)",
  description:
    "HK warrants and CBBCs, filtered, sorted and paged by OpenD: type CALL/PUT/BULL/BEAR/INLINE, issuer, status, moneyness, maturity, strike, price, premium %, leverage. Rows give premium, (effective) leverage, IV, delta, in-the-money %, street %. Page with offset.",
  toolset: "warrants",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    symbol: symbol.optional().describe("the underlying; absent: all"),
    type: z.array(enumArg(WARRANT_KIND)).min(1).optional(),
    issuer: z.array(issuer).min(1).optional().describe('issuer codes, e.g. ["SG","HS"]'),
    status: enumArg(WARRANT_STATUS).optional(),
    moneyness: enumArg(OPTION_CONDITION).optional(),
    maturity_begin: date.optional(),
    maturity_end: date.optional(),
    price_min: bound,
    price_max: bound,
    strike_min: bound,
    strike_max: bound,
    premium_max: bound.describe("percent"),
    leverage_min: bound,
    sort_by: enumArg(WARRANT_SORT, SORTS).optional().default("SCORE"),
    ascending: z.boolean().optional().default(false),
    offset: z.int().min(0).optional().default(0),
    max_count: z.int().min(1).max(200).optional().default(20),
  }),
  aliases: { owner: "symbol", warrant_type: "type", sort_field: "sort_by", ascend: "ascending" },
  output: z.object({
    all_count: z.number(),
    last_page: z.boolean(),
    next_offset: z.number().optional(),
    ...tableShape,
  }),
  async run(ctx, args) {
    const page = await ctx.derivatives.warrants({
      owner: args.symbol,
      types: args.type,
      issuers: args.issuer,
      status: args.status,
      inTheMoney: args.moneyness === undefined ? undefined : args.moneyness === "ITM",
      maturityFrom: args.maturity_begin,
      maturityTo: args.maturity_end,
      price: { min: args.price_min, max: args.price_max },
      strike: { min: args.strike_min, max: args.strike_max },
      premium: { max: args.premium_max },
      leverage: { min: args.leverage_min },
      sortBy: args.sort_by,
      ascending: args.ascending,
      offset: args.offset,
      count: args.max_count,
    });
    return compact({
      all_count: page.allCount,
      last_page: page.lastPage,
      next_offset: page.lastPage ? undefined : args.offset + page.warrants.length,
      columns: WARRANT_COLUMNS,
      rows: page.warrants.map((w) => [
        w.symbol,
        w.name,
        w.owner,
        w.type,
        w.issuer,
        w.price,
        w.changeRate,
        w.strike,
        w.recoveryPrice ?? null,
        w.premium,
        w.leverage,
        w.effectiveLeverage,
        w.impliedVolatility ?? null,
        w.delta ?? null,
        w.inOutMoney,
        w.streetRate,
        w.maturity,
        w.status,
        w.volume,
        w.conversionRatio,
      ]),
    });
  },
  text: (r) =>
    `${r.rows.length} of ${r.all_count}${r.next_offset === undefined ? "" : `, more: offset=${r.next_offset}`}\n${
      table(r.columns, r.rows)
    }`,
});

/** The warrant type of a static record by the names futu_get_warrant takes (CALL, not BUY). */
function warrantKind(info: StaticInfo): string | null {
  if (!info.warrant) return null;
  const name = info.warrant.type;
  return WARRANT_TYPE.has(name) ? WARRANT_KIND.fromWire(WARRANT_TYPE.toWire(name)) : name;
}

const related = defineTool({
  name: "futu_get_reference",
  title: "Related warrants or futures",
  description:
    'Securities related to one: type WARRANT (default) lists a stock\'s or index\'s warrants and CBBCs ("HK.00700"); FUTURE lists a main futures contract\'s contract months ("HK.HSImain").',
  toolset: "warrants",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({ symbol, type: enumArg(REFERENCE_TYPE).optional().default("WARRANT") }),
  aliases: { reference_type: "type" },
  output: z.object({ symbol: z.string(), type: z.string(), ...tableShape }),
  async run(ctx, args) {
    const list = await ctx.derivatives.related(args.symbol, args.type);
    if (args.type === "WARRANT") {
      return {
        symbol: args.symbol,
        type: args.type,
        columns: ["symbol", "name", "warrant_type", "owner", "lot_size"],
        rows: list.map((s) => [s.symbol, s.name, warrantKind(s), s.warrant?.owner ?? null, s.lotSize]),
      };
    }
    return {
      symbol: args.symbol,
      type: args.type,
      columns: ["symbol", "name", "last_trade_date", "main"],
      rows: list.map((s) => [s.symbol, s.name, s.future?.lastTradeTime || null, s.future?.isMainContract ? 1 : 0]),
    };
  },
  text: (r) => `${r.symbol} ${r.type}\n${table(r.columns, r.rows)}`,
});

const futureRecord = z.object({
  symbol: z.string(),
  name: z.string(),
  underlying: z.string().optional(),
  underlying_name: z.string(),
  exchange: z.string(),
  contract_type: z.string(),
  contract_size: z.number(),
  contract_size_unit: z.string(),
  currency: z.string(),
  tick: z.number(),
  tick_unit: z.string(),
  last_trade_date: z.string().optional(),
  current_contract: z.string().optional(),
  trading_hours: z.array(z.string()),
  time_zone: z.string(),
});

const futureInfo = defineTool({
  name: "futu_get_future_info",
  title: "Futures contract terms",
  description:
    'Futures contract terms of up to 200 contracts ("HK.HSImain", "HK.HSI2612"): underlying, exchange, contract size and unit, currency, tick, last trade date, the month a main contract stands for, trading hours.',
  toolset: "futures",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({ symbols: symbols(200) }),
  output: z.object({ futures: z.array(futureRecord) }),
  async run(ctx, args) {
    const list = await ctx.derivatives.futureInfo(args.symbols);
    return {
      futures: list.map((f) =>
        compact({
          symbol: f.symbol,
          name: f.name,
          underlying: f.owner,
          underlying_name: f.ownerOther,
          exchange: f.exchange,
          contract_type: f.contractType,
          contract_size: f.contractSize,
          contract_size_unit: f.contractSizeUnit,
          currency: f.currency,
          tick: f.tick,
          tick_unit: f.tickUnit,
          last_trade_date: f.lastTradeDate,
          current_contract: f.origin,
          trading_hours: f.tradingHours,
          time_zone: f.timeZone,
        })
      ),
    };
  },
  text: (r) => r.futures.map((f) => fields(f)).join("\n\n"),
});

/** The tools of this file, in listing order. */
export const DERIVATIVE_TOOLS: readonly Tool[] = [expirations, chain, warrants, related, futureInfo];
