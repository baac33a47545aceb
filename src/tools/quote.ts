/**
 * Quote tools (`qot:read`): gateway health, quotes, snapshots, candles, the
 * book, prints, the intraday series, static data, broker queues and plates.
 *
 * @module
 */
import { z } from "zod";
import { KL_TYPE, PLATE_SET_TYPE, REHAB_TYPE } from "../gateway/types.ts";
import { MAX_HISTORY_ROWS } from "../services/market_data.ts";
import { bytesPageKey, dateTime, enumArg, symbol, symbols } from "./args.ts";
import { compact, fields, rows, rowsOf, table } from "./render.ts";
import { fetchKlines } from "./_klines.ts";
import { defineTool, READ_OPEND } from "./tool.ts";

const num = z.number();
const str = z.string();

const quoteRecord = z.object({
  symbol: str,
  name: str.optional(),
  price: num,
  change: num,
  change_pct: num,
  open: num,
  high: num,
  low: num,
  last_close: num,
  volume: num,
  turnover: num,
  time: str,
  suspended: z.boolean(),
});

/** A warrant's terms, as OpenD gives them in a snapshot. */
const snapshotWarrant = z.object({
  warrantType: str,
  owner: str,
  strikePrice: num,
  maturityTime: str,
  conversionRate: num,
  premium: num,
  impliedVolatility: num,
  delta: num,
  leverage: num.optional(),
});

/** An option's terms and greeks, as OpenD gives them in a snapshot. */
const snapshotOption = z.object({
  type: str,
  owner: str,
  strikeTime: str,
  strikePrice: num,
  contractSize: num,
  openInterest: num,
  impliedVolatility: num,
  premium: num,
  delta: num,
  gamma: num,
  vega: num,
  theta: num,
  rho: num,
});

const snapshotRecord = z.object({
  symbol: str,
  name: str.optional(),
  type: str,
  price: num,
  last_close: num,
  open: num,
  high: num,
  low: num,
  bid: num.optional(),
  ask: num.optional(),
  volume: num,
  turnover: num,
  lot_size: num,
  high_52w: num.optional(),
  low_52w: num.optional(),
  pe: num.optional(),
  pb: num.optional(),
  market_cap: num.optional(),
  dividend_yield_pct: num.optional(),
  warrant: snapshotWarrant.optional(),
  option: snapshotOption.optional(),
  suspended: z.boolean(),
  time: str,
});

const staticRecord = z.object({
  symbol: str,
  name: str,
  type: str,
  lot_size: num,
  list_date: str,
  warrant: z.object({ type: str, owner: str }).optional(),
  option: z.object({ type: str, owner: str, strikeTime: str, strikePrice: num, suspended: z.boolean() }).optional(),
});

const ping = defineTool({
  name: "futu_ping",
  title: "Gateway health",
  description:
    "OpenD gateway health: round-trip ms, link state, each market's state. Call first when other tools fail.",
  toolset: "quote",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({}),
  output: z.object({
    rtt_ms: z.number(),
    gateway: z.string(),
    state: z.string(),
    conn_id: z.string().optional(),
    encryption: z.string().optional(),
    reconnects: z.number(),
    server_time: z.string(),
    markets: z.record(z.string(), z.string()),
  }),
  async run(ctx) {
    const h = await ctx.system.health();
    return compact({
      rtt_ms: Math.round(h.rttMs * 100) / 100,
      gateway: h.address,
      state: h.state,
      conn_id: h.connId,
      encryption: h.encryption,
      reconnects: h.reconnects,
      server_time: new Date(h.serverTime * 1000).toISOString(),
      markets: { HK: h.global.marketHK, US: h.global.marketUS, SH: h.global.marketSH, SZ: h.global.marketSZ },
    });
  },
  text: (r) => fields({ ...r, markets: Object.entries(r.markets).map(([m, s]) => `${m} ${s}`) }),
});

const quote = defineTool({
  name: "futu_get_quote",
  title: "Quote",
  description:
    "Real-time quotes: price, change, open/high/low, previous close, volume, turnover, in the security's currency. Give symbol or symbols.",
  toolset: "quote",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({ symbol: symbol.optional(), symbols: symbols(50).optional() }).refine(
    (a) => (a.symbol === undefined) !== (a.symbols === undefined),
    { message: 'give exactly one of "symbol" or "symbols"' },
  ),
  output: z.object({ quotes: z.array(quoteRecord) }),
  async run(ctx, args) {
    const list = await ctx.market.quotes(args.symbols ?? [args.symbol!]);
    return {
      quotes: list.map((q) =>
        compact({
          symbol: q.symbol,
          name: q.name,
          price: q.curPrice,
          change: round(q.curPrice - q.lastClosePrice, 4),
          change_pct: q.lastClosePrice ? round((q.curPrice / q.lastClosePrice - 1) * 100, 3) : 0,
          open: q.openPrice,
          high: q.highPrice,
          low: q.lowPrice,
          last_close: q.lastClosePrice,
          volume: q.volume,
          turnover: q.turnover,
          time: q.updateTime,
          suspended: q.isSuspended,
        })
      ),
    };
  },
  text: (r) =>
    table(
      ["symbol", "name", "price", "change%", "open", "high", "low", "last_close", "volume", "time"],
      r.quotes.map((
        q,
      ) => [q.symbol, q.name, q.price, q.change_pct, q.open, q.high, q.low, q.last_close, q.volume, q.time]),
    ),
});

const snapshot = defineTool({
  name: "futu_get_snapshot",
  title: "Snapshot",
  description:
    "Snapshot without subscribing: price, bid/ask, 52-week range, turnover, lot size, P/E, P/B, market cap; warrants and options: strike, delta, premium.",
  toolset: "quote",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({ symbols: symbols(200) }),
  output: z.object({ snapshots: z.array(snapshotRecord) }),
  async run(ctx, args) {
    const list = await ctx.market.snapshots(args.symbols);
    return {
      snapshots: list.map((s) =>
        compact({
          symbol: s.symbol,
          name: s.name,
          type: s.secType,
          price: s.curPrice,
          last_close: s.lastClosePrice,
          open: s.openPrice,
          high: s.highPrice,
          low: s.lowPrice,
          bid: s.bidPrice,
          ask: s.askPrice,
          volume: s.volume,
          turnover: s.turnover,
          lot_size: s.lotSize,
          high_52w: s.highest52WeeksPrice,
          low_52w: s.lowest52WeeksPrice,
          pe: s.equity?.peRate,
          pb: s.equity?.pbRate,
          market_cap: s.equity?.issuedMarketVal,
          dividend_yield_pct: s.equity?.dividendRatioTTM,
          warrant: s.warrant,
          option: s.option,
          suspended: s.isSuspended,
          time: s.updateTime,
        })
      ),
    };
  },
  text: (r) => r.snapshots.map((s) => JSON.stringify(s)).join("\n"),
});

const KLINE_COLUMNS = ["time", "open", "high", "low", "close", "volume", "turnover"];

const kline = defineTool({
  name: "futu_get_kline",
  title: "Candles",
  description:
    "Candles (time, OHLC, volume, turnover). Without begin: the latest max_count (≤1000); with begin and end (default today): up to 10000, paged by next_page.",
  toolset: "quote",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    symbol,
    kl_type: enumArg(KL_TYPE).optional().default("K_DAY"),
    max_count: z.int().min(1).max(MAX_HISTORY_ROWS).optional().default(100),
    begin: dateTime.optional(),
    end: dateTime.optional(),
    rehab: enumArg(REHAB_TYPE).optional().default("FORWARD").describe("price adjustment"),
    page: bytesPageKey("next_page", "a result's next_page, same begin and end"),
  }).refine((a) => a.begin !== undefined || a.max_count <= 1000, {
    message: "max_count above 1000 needs a date range (begin)",
    path: ["max_count"],
  }).refine((a) => a.page === undefined || a.begin !== undefined, {
    message: "page continues a date-range request: pass the same begin and end",
    path: ["page"],
  }),
  output: z.object({
    symbol: z.string(),
    name: z.string().optional(),
    kl_type: z.string(),
    rehab: z.string(),
    columns: z.array(z.string()),
    rows,
    next_page: z.string().optional(),
  }),
  async run(ctx, args) {
    const series = await fetchKlines(ctx, args, args.page);
    return compact({
      symbol: series.symbol,
      name: series.name,
      kl_type: series.klType,
      rehab: series.rehab,
      columns: KLINE_COLUMNS,
      rows: series.klines.map((
        k,
      ) => [
        k.time,
        k.open ?? null,
        k.high ?? null,
        k.low ?? null,
        k.close ?? null,
        k.volume ?? null,
        k.turnover ?? null,
      ]),
      next_page: series.nextPageKey,
    });
  },
  text: (r) =>
    `${r.symbol} ${r.kl_type} (${r.rows.length} rows${r.next_page ? `, more: page="${r.next_page}"` : ""})\n` +
    table(r.columns, r.rows),
});

const orderbook = defineTool({
  name: "futu_get_orderbook",
  title: "Order book",
  description:
    "Order book: bid and ask ladders of depth levels, rows [price, volume, orders]. Subscribes automatically.",
  toolset: "quote",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({ symbol, depth: z.int().min(1).max(10).optional().default(10) }),
  aliases: { num: "depth", count: "depth" },
  output: z.object({ symbol: z.string(), columns: z.array(z.string()), asks: rowsOf(num), bids: rowsOf(num) }),
  async run(ctx, args) {
    const book = await ctx.market.orderBook(args.symbol, args.depth);
    return {
      symbol: book.symbol,
      columns: ["price", "volume", "orders"],
      asks: book.asks.map((l) => [l.price, l.volume, l.orderCount]),
      bids: book.bids.map((l) => [l.price, l.volume, l.orderCount]),
    };
  },
  text: (r) =>
    `${r.symbol} asks (best first)\n${table(r.columns, r.asks)}\nbids (best first)\n${table(r.columns, r.bids)}`,
});

const ticker = defineTool({
  name: "futu_get_ticker",
  title: "Trade prints",
  description:
    "Latest trade prints (tick by tick), rows [time, price, volume, direction]; direction BID, ASK or NEUTRAL.",
  toolset: "quote",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({ symbol, max_count: z.int().min(1).max(1000).optional().default(50) }),
  output: z.object({ symbol: z.string(), columns: z.array(z.string()), rows }),
  async run(ctx, args) {
    const series = await ctx.market.ticker(args.symbol, args.max_count);
    return {
      symbol: series.symbol,
      columns: ["time", "price", "volume", "direction"],
      rows: series.ticks.map((t) => [t.time, t.price, t.volume, t.direction]),
    };
  },
  text: (r) => `${r.symbol}\n${table(r.columns, r.rows)}`,
});

const rt = defineTool({
  name: "futu_get_rt",
  title: "Intraday",
  description:
    "Today's minute series (time share), rows [time, price, avg_price, volume]; outside trading hours, the last session.",
  toolset: "quote",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({ symbol }),
  output: z.object({ symbol: z.string(), last_close: z.number().optional(), columns: z.array(z.string()), rows }),
  async run(ctx, args) {
    const series = await ctx.market.timeShare(args.symbol);
    return compact({
      symbol: series.symbol,
      last_close: series.points[0]?.lastClosePrice,
      columns: ["time", "price", "avg_price", "volume"],
      rows: series.points.map((
        p,
      ) => [p.time, p.price ?? null, p.avgPrice === undefined ? null : round(p.avgPrice, 3), p.volume ?? null]),
    });
  },
  text: (r) => `${r.symbol} last close ${r.last_close ?? "?"}\n${table(r.columns, r.rows)}`,
});

const staticInfo = defineTool({
  name: "futu_get_static",
  title: "Static info",
  description: "Name, type, lot size, listing date; for warrants and options, the underlying and terms.",
  toolset: "quote",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({ symbols: symbols(200) }),
  output: z.object({ securities: z.array(staticRecord) }),
  async run(ctx, args) {
    const list = await ctx.market.staticInfo(args.symbols);
    return {
      securities: list.map((s) =>
        compact({
          symbol: s.symbol,
          name: s.name,
          type: s.secType,
          lot_size: s.lotSize,
          list_date: s.listTime,
          warrant: s.warrant,
          option: s.option,
        })
      ),
    };
  },
  text: (r) => r.securities.map((s) => JSON.stringify(s)).join("\n"),
});

const broker = defineTool({
  name: "futu_get_broker",
  title: "Broker queue",
  description:
    "HK securities' broker queue: the brokers at each bid and ask level, rows [level, broker_id, broker_name].",
  toolset: "quote",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({ symbol }),
  output: z.object({ symbol: z.string(), columns: z.array(z.string()), bids: rows, asks: rows }),
  async run(ctx, args) {
    const queue = await ctx.market.brokers(args.symbol);
    return {
      symbol: queue.symbol,
      columns: ["level", "broker_id", "broker_name"],
      bids: queue.bids.map((b) => [b.pos, b.id, b.name]),
      asks: queue.asks.map((b) => [b.pos, b.id, b.name]),
    };
  },
  text: (r) => `${r.symbol} bids\n${table(r.columns, r.bids)}\nasks\n${table(r.columns, r.asks)}`,
});

const plates = defineTool({
  name: "futu_list_plates",
  title: "Plates",
  description:
    "Plates (sectors, regions, concepts) of a market, plate_type default ALL; their codes feed futu_plate_stocks.",
  toolset: "quote",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    market: z.preprocess((v) => (typeof v === "string" ? v.trim().toUpperCase() : v), z.enum(["HK", "US", "SH", "SZ"])),
    plate_type: enumArg(PLATE_SET_TYPE).optional().default("ALL"),
  }),
  output: z.object({ columns: z.array(z.string()), rows }),
  async run(ctx, args) {
    const list = await ctx.market.plates(args.market, args.plate_type);
    return { columns: ["plate", "name", "type"], rows: list.map((p) => [p.plate, p.name, p.plateType ?? null]) };
  },
  text: (r) => table(r.columns, r.rows),
});

const plateStocks = defineTool({
  name: "futu_plate_stocks",
  title: "Plate stocks",
  description: "Securities in a plate (a code from futu_list_plates), rows [symbol, name, type, lot_size].",
  toolset: "quote",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({ plate: symbol.describe("e.g. HK.BK1910") }),
  aliases: { code: "plate", plate_code: "plate" },
  output: z.object({ plate: z.string(), columns: z.array(z.string()), rows }),
  async run(ctx, args) {
    const list = await ctx.market.plateStocks(args.plate);
    return {
      plate: args.plate,
      columns: ["symbol", "name", "type", "lot_size"],
      rows: list.map((s) => [s.symbol, s.name, s.secType, s.lotSize]),
    };
  },
  text: (r) => `${r.plate}\n${table(r.columns, r.rows)}`,
});

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** The quote tools, in listing order. */
export const QUOTE_TOOLS = [
  ping,
  quote,
  snapshot,
  kline,
  orderbook,
  ticker,
  rt,
  staticInfo,
  broker,
  plates,
  plateStocks,
];
