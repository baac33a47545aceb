/**
 * Order history, cash flow, margin, fees and tradable quantities: the tools
 * (`acc:read`; toolsets `history` and `margin`). The account is resolved and
 * checked against the key's whitelist like every account read; without
 * `market`, history covers every market the account trades.
 *
 * @module
 */
import { z } from "zod";
import {
  type Order,
  ORDER_STATUS,
  ORDER_TYPE,
  type OrderFill,
  type TradeTarget,
  TRD_MARKET,
  type TrdEnvName,
  type TrdMarketName,
} from "../gateway/types.ts";
import { accountArgs, targetOutput as head, TRADING_MARKETS } from "./account.ts";
import { dateTime, enumArg, idArg, positive, symbol, symbols } from "./args.ts";
import { compact, fields, rows, table } from "./render.ts";
import { ToolError } from "./errors.ts";
import { defineTool, READ_OPEND, type Tool, type ToolContext } from "./tool.ts";

/** `acc_id` and `env` as the account tools take them; `market` means something else here (see historyMarket). */
const account = { acc_id: accountArgs.acc_id, env: accountArgs.env };

/** History: `market` narrows the account's markets instead of choosing one. */
const historyMarket = enumArg(TRD_MARKET, TRADING_MARKETS).optional().describe("only this market (default: all)");

function resolveTarget(
  ctx: ToolContext,
  args: { acc_id?: string; env: TrdEnvName; market?: TrdMarketName; symbol?: string },
): Promise<TradeTarget> {
  return ctx.accounts.resolve({ accId: args.acc_id, env: args.env, market: args.market, symbol: args.symbol });
}

/** "YYYY-MM-DD" `days` before now (UTC; a history range tolerates the day either side). */
function daysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

const DEFAULT_HISTORY_DAYS = 30;

const range = {
  begin: dateTime.optional().describe(`default: ${DEFAULT_HISTORY_DAYS} days ago`),
  end: dateTime.optional().describe("default: today"),
  symbols: symbols(50).optional(),
};

function historyFilter(args: { begin?: string; end?: string; symbols?: string[]; market?: TrdMarketName }) {
  return {
    begin: args.begin ?? daysAgo(DEFAULT_HISTORY_DAYS),
    end: args.end ?? daysAgo(0),
    symbols: args.symbols,
    market: args.market,
  };
}

const ORDER_COLUMNS = [
  "order_id",
  "order_id_ex",
  "market",
  "symbol",
  "side",
  "type",
  "status",
  "qty",
  "price",
  "filled_qty",
  "avg_fill_price",
  "created",
  "updated",
];

const historyOrders = defineTool({
  name: "futu_get_history_orders",
  title: "Order history",
  description:
    `Orders created between begin and end (market-local dates), of every market of the account unless market is given, as rows [${
      ORDER_COLUMNS.join(", ")
    }].`,
  toolset: "history",
  scope: "acc:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    ...account,
    market: historyMarket,
    ...range,
    statuses: z.array(enumArg(ORDER_STATUS)).min(1).max(20).optional().describe("only these statuses"),
  }),
  output: z.object({ ...head, begin: z.string(), end: z.string(), columns: z.array(z.string()), rows }),
  target: resolveTarget,
  async run(ctx, args, t) {
    const filter = historyFilter(args);
    const list = await ctx.ledger.historyOrders(t!, { ...filter, statuses: args.statuses });
    return {
      acc_id: t!.accId,
      env: t!.env,
      market: args.market ?? "ALL",
      begin: filter.begin,
      end: filter.end,
      columns: ORDER_COLUMNS,
      rows: list.map((o: Order) => [
        o.orderId,
        o.orderIdEx,
        o.market ?? null,
        o.symbol,
        o.side,
        o.orderType,
        o.status,
        o.qty,
        o.price ?? null,
        o.fillQty ?? 0,
        o.fillAvgPrice ?? null,
        o.createTime,
        o.updateTime,
      ]),
    };
  },
  text: (r) => `${r.env} ${r.acc_id} ${r.market} ${r.begin}..${r.end}\n${table(r.columns, r.rows)}`,
});

const DEAL_COLUMNS = ["fill_id", "order_id", "symbol", "side", "qty", "price", "time", "counterparty"];

const historyDeals = defineTool({
  name: "futu_get_history_deals",
  title: "Fill history",
  description:
    `Fills (deals) of a real account between begin and end, of every market unless market is given, as rows [${
      DEAL_COLUMNS.join(", ")
    }]. Paper accounts have no fills: use futu_get_history_orders.`,
  toolset: "history",
  scope: "acc:read",
  annotations: READ_OPEND,
  input: z.strictObject({ ...account, market: historyMarket, ...range }),
  output: z.object({ ...head, begin: z.string(), end: z.string(), columns: z.array(z.string()), rows }),
  target: resolveTarget,
  async run(ctx, args, t) {
    const filter = historyFilter(args);
    const list = await ctx.ledger.historyFills(t!, filter);
    return {
      acc_id: t!.accId,
      env: t!.env,
      market: args.market ?? "ALL",
      begin: filter.begin,
      end: filter.end,
      columns: DEAL_COLUMNS,
      rows: list.map((f: OrderFill) => [
        f.fillId,
        f.orderId ?? null,
        f.symbol,
        f.side,
        f.qty,
        f.price,
        f.createTime,
        f.counterBrokerName ?? null,
      ]),
    };
  },
  text: (r) => `${r.env} ${r.acc_id} ${r.market} ${r.begin}..${r.end}\n${table(r.columns, r.rows)}`,
});

const FLOW_COLUMNS = ["id", "settles", "currency", "type", "amount", "remark"];

const cashFlow = defineTool({
  name: "futu_get_acc_cash_flow",
  title: "Cash flow",
  description: `Cash movements of a real account cleared on a date: deposits, trades, each fee, as rows [${
    FLOW_COLUMNS.join(", ")
  }]; amount signed (negative = out), net per currency in net.`,
  toolset: "history",
  scope: "acc:read",
  annotations: READ_OPEND,
  aliases: { clearing_date: "date" },
  input: z.strictObject({
    ...account,
    market: enumArg(TRD_MARKET, TRADING_MARKETS).optional(),
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'expected "YYYY-MM-DD"' }).describe("clearing date"),
    direction: z.preprocess(
      (v) => typeof v === "string" ? v.trim().toUpperCase() : v,
      z.enum(["IN", "OUT"], { error: () => 'expected "IN" or "OUT"' }),
    ).optional(),
  }),
  output: z.object({
    acc_id: z.string(),
    env: z.string(),
    date: z.string(),
    columns: z.array(z.string()),
    rows,
    net: z.record(z.string(), z.number()),
  }),
  target: resolveTarget,
  async run(ctx, args, t) {
    const flows = await ctx.ledger.cashFlows(t!, args.date, args.direction);
    const net: Record<string, number> = {};
    for (const f of flows) {
      const c = f.currency ?? "?";
      net[c] = Math.round(((net[c] ?? 0) + f.amount) * 100) / 100;
    }
    return {
      acc_id: t!.accId,
      env: t!.env,
      date: args.date,
      columns: FLOW_COLUMNS,
      rows: flows.map((f) => [f.id, f.settlementDate ?? null, f.currency ?? null, f.type, f.amount, f.remark ?? null]),
      net,
    };
  },
  text: (r) =>
    `${r.env} ${r.acc_id} cleared ${r.date}\n${table(r.columns, r.rows)}\nnet: ${
      Object.entries(r.net).map(([c, v]) => `${v} ${c}`).join(", ") || "0"
    }`,
});

const marginRatio = defineTool({
  name: "futu_get_margin_ratio",
  title: "Margin ratios",
  description:
    "Margin terms per security for an account: whether it can be bought on margin or sold short, initial (im), margin-call (mcm) and maintenance (mm) ratios in percent, short pool and borrow rate (annual %).",
  toolset: "margin",
  scope: "acc:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    ...account,
    market: enumArg(TRD_MARKET, TRADING_MARKETS).optional().describe("default: from the first symbol"),
    symbols: symbols(50),
  }),
  output: z.object({
    ...head,
    ratios: z.array(z.object({
      symbol: z.string(),
      long_ok: z.boolean().optional(),
      short_ok: z.boolean().optional(),
      im_long: z.number().optional(),
      mcm_long: z.number().optional(),
      mm_long: z.number().optional(),
      im_short: z.number().optional(),
      mcm_short: z.number().optional(),
      mm_short: z.number().optional(),
      short_pool: z.number().optional(),
      borrow_rate: z.number().optional(),
    })),
  }),
  target: (ctx, args) => resolveTarget(ctx, { ...args, symbol: args.symbols[0] }),
  async run(ctx, args, t) {
    const ratios = await ctx.ledger.marginRatios(t!, args.symbols);
    return {
      acc_id: t!.accId,
      env: t!.env,
      market: t!.market,
      ratios: ratios.map((m) =>
        compact({
          symbol: m.symbol,
          long_ok: m.longPermit,
          short_ok: m.shortPermit,
          im_long: m.imLong,
          mcm_long: m.mcmLong,
          mm_long: m.mmLong,
          im_short: m.imShort,
          mcm_short: m.mcmShort,
          mm_short: m.mmShort,
          short_pool: m.shortPoolRemain,
          borrow_rate: m.shortFeeRate,
        })
      ),
    };
  },
  text: (r) =>
    `${r.env} ${r.acc_id}\n${
      table(
        ["symbol", "long_ok", "short_ok", "im_long", "mm_long", "im_short", "mm_short", "short_pool", "borrow_rate"],
        r.ratios.map((m) => [
          m.symbol,
          m.long_ok ?? null,
          m.short_ok ?? null,
          m.im_long ?? null,
          m.mm_long ?? null,
          m.im_short ?? null,
          m.mm_short ?? null,
          m.short_pool ?? null,
          m.borrow_rate ?? null,
        ]),
      )
    }`,
});

const maxQty = defineTool({
  name: "futu_get_max_trd_qtys",
  title: "Maximum tradable quantities",
  description:
    "The most an account can trade of a symbol at a price: buy with cash, buy with cash and margin, sell from the position, sell short, buy back. price default: the last price.",
  toolset: "margin",
  scope: "acc:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    ...account,
    market: enumArg(TRD_MARKET, TRADING_MARKETS).optional().describe("default: from the symbol"),
    symbol,
    price: positive("price").optional(),
    order_type: enumArg(ORDER_TYPE).optional().default("NORMAL").describe("NORMAL = limit"),
  }),
  output: z.object({
    ...head,
    symbol: z.string(),
    price: z.number(),
    cash_buy: z.number(),
    margin_buy: z.number().optional(),
    position_sell: z.number(),
    sell_short: z.number().optional(),
    buy_back: z.number().optional(),
  }),
  target: resolveTarget,
  async run(ctx, args, t) {
    let price = args.price;
    if (price === undefined) {
      const [snapshot] = await ctx.market.snapshots([args.symbol]);
      price = snapshot?.curPrice;
      if (!price) throw new ToolError("invalid_arguments", `no last price for ${args.symbol}: pass price`);
    }
    const q = await ctx.ledger.maxQuantities(t!, { symbol: args.symbol, orderType: args.order_type, price });
    return compact({
      acc_id: t!.accId,
      env: t!.env,
      market: t!.market,
      symbol: args.symbol,
      price,
      cash_buy: q.maxCashBuy,
      margin_buy: q.maxCashAndMarginBuy,
      position_sell: q.maxPositionSell,
      sell_short: q.maxSellShort,
      buy_back: q.maxBuyBack,
    });
  },
  text: (r) => `${r.env} ${r.acc_id} ${r.symbol} @ ${r.price}\n${fields({ ...r, acc_id: undefined, env: undefined })}`,
});

const orderFee = defineTool({
  name: "futu_get_order_fee",
  title: "Order fees",
  description:
    "Fees charged for orders of a real account (commission, platform fee, stamp duty, levies…), by order_id. Paper trading charges none.",
  toolset: "margin",
  scope: "acc:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    ...account,
    market: enumArg(TRD_MARKET, TRADING_MARKETS).optional(),
    order_ids: z.array(idArg("order_id")).min(1).max(50).describe("from futu_get_orders or futu_get_history_orders"),
  }),
  output: z.object({
    ...head,
    orders: z.array(z.object({
      order_id: z.string(),
      order_id_ex: z.string(),
      total: z.number(),
      items: z.record(z.string(), z.number()),
    })),
  }),
  target: resolveTarget,
  async run(ctx, args, t) {
    const fees = await ctx.ledger.orderFees(t!, args.order_ids);
    return {
      acc_id: t!.accId,
      env: t!.env,
      market: t!.market,
      orders: fees.map((f) =>
        compact({
          order_id: f.orderId,
          order_id_ex: f.orderIdEx,
          total: f.total,
          items: Object.fromEntries(f.items.map((i) => [i.title, i.value])),
        })
      ),
    };
  },
  text: (r) =>
    `${r.env} ${r.acc_id}\n${
      r.orders.map((o) =>
        `${o.order_id}: ${o.total} (${Object.entries(o.items).map(([k, v]) => `${k} ${v}`).join(", ") || "no fees"})`
      ).join("\n")
    }`,
});

/** The tools of this file, in listing order. */
export const LEDGER_TOOLS: readonly Tool[] = [historyOrders, historyDeals, cashFlow, marginRatio, maxQty, orderFee];
