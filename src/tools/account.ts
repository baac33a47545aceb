/**
 * Account tools (`acc:read`): accounts, funds, positions, today's orders and
 * fills. Ids are strings. `env` defaults to "simulate".
 *
 * @module
 */
import { z } from "zod";
import { CURRENCY, type TradeTarget, TRD_MARKET, type TrdMarketName } from "../gateway/types.ts";
import { enumArg, env, idArg } from "./args.ts";
import { type Cell, compact, fields, rows, table } from "./render.ts";
import { defineTool, READ_OPEND, type ToolContext } from "./tool.ts";

/** Trading markets a call may name. */
export const TRADING_MARKETS: readonly TrdMarketName[] = ["HK", "US", "CN", "HKCC", "SG", "JP", "AU", "MY", "CA"];

/**
 * `acc_id`, `env`, `market`: which account a call reads. What a call without acc_id or market reads is said
 * once, in futu_list_accounts's description ({@link ACCOUNT_DEFAULTS}), not in every tool's schema.
 */
export const accountArgs = {
  acc_id: idArg("acc_id").optional(),
  env,
  market: enumArg(TRD_MARKET, TRADING_MARKETS).optional(),
};

/** The account and market a call without acc_id or market addresses (AccountService.resolve). */
const ACCOUNT_DEFAULTS = "No acc_id: the env's account; no market: the symbol's or order's, else the account's first.";

/** The account a result is about, as every account tool's output begins. */
export const targetOutput = { acc_id: z.string(), env: z.string(), market: z.string() };

/** Resolves the account an account read addresses. */
function accountTarget(ctx: ToolContext, args: { acc_id?: string; env: "SIMULATE" | "REAL"; market?: string }) {
  return ctx.accounts.resolve({
    accId: args.acc_id,
    env: args.env,
    market: args.market as TradeTarget["market"] | undefined,
  });
}

function head(t: TradeTarget) {
  return { acc_id: t.accId, env: t.env, market: t.market };
}

/**
 * An account read that answers as a table: `columns` and one row per item, under the
 * account it read. Positions, orders and fills are this one shape.
 */
function accountRowsTool<E extends z.ZodRawShape, T>(spec: {
  name: `futu_${string}`;
  title: string;
  description: string;
  columns: string[];
  extraArgs: E;
  fetch(ctx: ToolContext, target: TradeTarget, args: z.output<z.ZodObject<E>>): Promise<T[]>;
  row(item: T): Cell[];
}) {
  return defineTool({
    name: spec.name,
    title: spec.title,
    description: spec.description,
    toolset: "account",
    scope: "acc:read",
    annotations: READ_OPEND,
    input: z.strictObject({ ...accountArgs, ...spec.extraArgs }),
    output: z.object({ ...targetOutput, columns: z.array(z.string()), rows }),
    target: (ctx, args) => accountTarget(ctx, args as z.output<z.ZodObject<typeof accountArgs>>),
    async run(ctx, args, t) {
      const list = await spec.fetch(ctx, t!, args as z.output<z.ZodObject<E>>);
      return { ...head(t!), columns: spec.columns, rows: list.map(spec.row) };
    },
    text: (r) => `${r.env} ${r.acc_id} ${r.market}\n${table(r.columns, r.rows)}`,
  });
}

const listAccounts = defineTool({
  name: "futu_list_accounts",
  title: "Accounts",
  description:
    `Trading accounts OpenD offers: acc_id (a string), env (REAL or SIMULATE), markets, type. ${ACCOUNT_DEFAULTS}`,
  toolset: "account",
  scope: "acc:read",
  annotations: READ_OPEND,
  input: z.strictObject({}),
  output: z.object({
    accounts: z.array(z.object({
      acc_id: z.string(),
      env: z.string(),
      markets: z.array(z.string()),
      type: z.string().optional(),
      card_num: z.string().optional(),
      firm: z.string().optional(),
      sim_type: z.string().optional(),
      status: z.string().optional(),
    })),
  }),
  async run(ctx) {
    const accounts = (await ctx.accounts.list(true)).filter((a) => ctx.accountVisible(a));
    return {
      accounts: accounts.map((a) =>
        compact({
          acc_id: a.accId,
          env: a.env,
          markets: a.markets,
          type: a.accType,
          card_num: a.cardNum,
          firm: a.securityFirm,
          sim_type: a.simAccType,
          status: a.status,
        })
      ),
    };
  },
  text: (r) =>
    table(
      ["acc_id", "env", "markets", "type", "firm"],
      r.accounts.map((a) => [a.acc_id, a.env, a.markets.join("/"), a.type ?? null, a.firm ?? null]),
    ),
});

const funds = defineTool({
  name: "futu_get_funds",
  title: "Funds",
  description:
    "Funds of an account: total assets, cash, market value, buying power, frozen cash, P/L, in the account currency (or `currency`).",
  toolset: "account",
  scope: "acc:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    ...accountArgs,
    currency: enumArg(CURRENCY, ["HKD", "USD", "CNH", "JPY", "SGD", "AUD", "CAD", "MYR"]).optional(),
  }),
  output: z.object({
    ...targetOutput,
    funds: z.object({
      currency: z.string().optional(),
      total_assets: z.number(),
      cash: z.number(),
      market_value: z.number(),
      buying_power: z.number(),
      frozen_cash: z.number(),
      withdrawable: z.number(),
      debt: z.number(),
      unrealized_pl: z.number().optional(),
      realized_pl: z.number().optional(),
      short_power: z.number().optional(),
      cash_by_currency: z.record(z.string(), z.number()).optional(),
    }),
  }),
  target: accountTarget,
  async run(ctx, args, t) {
    const f = await ctx.accounts.funds(t!, { currency: args.currency });
    return {
      ...head(t!),
      funds: compact({
        currency: f.currency,
        total_assets: f.totalAssets,
        cash: f.cash,
        market_value: f.marketVal,
        buying_power: f.power,
        frozen_cash: f.frozenCash,
        withdrawable: f.avlWithdrawalCash,
        debt: f.debtCash,
        unrealized_pl: f.unrealizedPL,
        realized_pl: f.realizedPL,
        short_power: f.maxPowerShort,
        cash_by_currency: f.cashByCurrency.length > 0
          ? Object.fromEntries(f.cashByCurrency.map((c) => [c.currency, c.cash]))
          : undefined,
      }),
    };
  },
  text: (r) => `${r.env} ${r.acc_id} ${r.market}\n${fields(r.funds)}`,
});

const POSITION_COLUMNS = [
  "symbol",
  "name",
  "side",
  "qty",
  "can_sell",
  "cost",
  "price",
  "value",
  "pl",
  "pl_pct",
  "currency",
];

const positions = accountRowsTool({
  name: "futu_get_positions",
  title: "Positions",
  description: `Positions of an account: qty, sellable, cost, price, value, P/L (pl_pct in percent), currency.`,
  columns: POSITION_COLUMNS,
  extraArgs: {},
  fetch: (ctx, t) => ctx.accounts.positions(t),
  row: (p) => [
    p.symbol,
    p.name,
    p.side,
    p.qty,
    p.canSellQty,
    p.costPrice ?? null,
    p.price,
    p.val,
    p.plVal,
    p.plRatio ?? null,
    p.currency ?? null,
  ],
});

const ORDER_COLUMNS = [
  "order_id",
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
  "last_error",
];

const orders = accountRowsTool({
  name: "futu_get_orders",
  title: "Orders",
  description:
    "Today's orders of an account and its open orders from earlier days: status, qty, price, fills, times, last error.",
  columns: ORDER_COLUMNS,
  extraArgs: { order_id: idArg("order_id").optional().describe("only this order") },
  fetch: (ctx, t, args) => ctx.accounts.orders(t, { filter: args.order_id ? { ids: [args.order_id] } : undefined }),
  row: (o) => [
    o.orderId,
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
    o.lastErrMsg ?? null,
  ],
});

const DEAL_COLUMNS = ["fill_id", "order_id", "symbol", "side", "qty", "price", "time", "counterparty"];

const deals = accountRowsTool({
  name: "futu_get_deals",
  title: "Fills",
  description:
    "Today's fills of a real account: ids, symbol, side, qty, price, time, counterparty. Paper accounts have none: see futu_get_orders.",
  columns: DEAL_COLUMNS,
  extraArgs: {},
  fetch: (ctx, t) => ctx.accounts.fills(t),
  row: (f) => [
    f.fillId,
    f.orderId ?? null,
    f.symbol,
    f.side,
    f.qty,
    f.price,
    f.createTime,
    f.counterBrokerName ?? null,
  ],
});

/** The account tools, in listing order. */
export const ACCOUNT_TOOLS = [listAccounts, funds, positions, orders, deals];
