/**
 * Trade tools: place, modify and cancel orders, cancel all of an account's
 * orders (`trade:simulate` or `trade:real`, decided by the account's real
 * environment), and unlock real trading (`trade:unlock`). `env` defaults to "simulate"; real trading must be
 * asked for explicitly.
 *
 * @module
 */
import { z } from "zod";
import {
  LIMIT_PRICE_ORDER_TYPES,
  MODIFY_ORDER_OP,
  type ModifyOrderInput,
  type ModifyOrderOpName,
  type Order,
  ORDER_TYPE,
  type OrderTypeName,
  type PlaceOrderInput,
  SECURITY_FIRM,
  SESSION,
  type SessionName,
  TIME_IN_FORCE,
  type TimeInForceName,
  type TradeTarget,
  TRAIL_TYPE,
  TRAILING_ORDER_TYPES,
  type TrailTypeName,
  TRD_MARKET,
  TRD_SIDE,
  type TrdEnvName,
  type TrdSideName,
  TRIGGER_PRICE_ORDER_TYPES,
} from "../gateway/types.ts";
import { AccountError } from "../services/accounts.ts";
import { ToolError } from "./errors.ts";
import { enumArg, env, idArg, positive, symbol } from "./args.ts";
import { TRADING_MARKETS } from "./account.ts";
import { compact, fields, table } from "./render.ts";
import { defineTool, type OrderIntent, type ToolContext, type WriteAnnotations } from "./tool.ts";

const ORDER_WRITE: WriteAnnotations = {
  readOnlyHint: false,
  destructiveHint: true,
  idempotentHint: false,
  openWorldHint: true,
};

/**
 * The account fields of every order write (their defaults are said once, in futu_list_accounts's
 * description), and its idempotency key and confirmation token (described once, on futu_place_order: a
 * REAL write's confirmation_required answer says how to use its token).
 */
export const common = {
  acc_id: idArg("acc_id").optional(),
  env,
  market: enumArg(TRD_MARKET, TRADING_MARKETS).optional(),
  idempotency_key: z.string().min(1).max(128).optional(),
  confirm_token: z.string().max(64).optional(),
};

/** A write's idempotency key, scoped to its caller. */
function writeOptions(ctx: ToolContext, args: { idempotency_key?: string }) {
  return { idempotencyKey: args.idempotency_key, caller: ctx.caller };
}

const writeResult = z.object({
  order_id: z.string(),
  order_id_ex: z.string().optional(),
  status: z.string().optional(),
  acc_id: z.string(),
  env: z.string(),
  market: z.string(),
  replayed: z.boolean(),
});

function head(t: TradeTarget) {
  return { acc_id: t.accId, env: t.env, market: t.market };
}

async function statusOf(ctx: ToolContext, target: TradeTarget, orderId: string): Promise<string | undefined> {
  try {
    return (await ctx.accounts.order(target, orderId))?.status;
  } catch {
    return undefined; // the write succeeded; a failed status lookup must not hide that
  }
}

/** What every trade write answers: the order, its status now, the account, and whether it was a repeat. */
async function writeOutcome<X extends Record<string, unknown>>(
  ctx: ToolContext,
  target: TradeTarget,
  result: { orderId: string; orderIdEx?: string; replayed: boolean },
  extra: X,
) {
  return compact({
    order_id: result.orderId,
    order_id_ex: result.orderIdEx,
    status: await statusOf(ctx, target, result.orderId),
    ...head(target),
    ...extra,
    replayed: result.replayed,
  });
}

/** An existing order of the account, from today's orders (and open orders of earlier days). */
async function findOrder(ctx: ToolContext, target: TradeTarget, orderId: string): Promise<Order> {
  const order = await ctx.accounts.order(target, orderId);
  if (!order) {
    throw new AccountError(
      `order ${orderId} is not among the orders of ${target.env} account ${target.accId} (${target.market}); check futu_get_orders`,
    );
  }
  return order;
}

/** The market of an existing order: today's orders of each of the account's markets are searched. */
async function orderTarget(
  ctx: ToolContext,
  args: { acc_id?: string; env: TrdEnvName; market?: string; order_id: string },
): Promise<TradeTarget> {
  if (args.market !== undefined) {
    return ctx.accounts.resolve({ accId: args.acc_id, env: args.env, market: args.market as TradeTarget["market"] });
  }
  const base = await ctx.accounts.resolve({ accId: args.acc_id, env: args.env });
  const account = await ctx.accounts.get(base.accId);
  for (const market of account.markets) {
    const target = { ...base, market };
    if (await ctx.accounts.order(target, args.order_id)) return target;
  }
  throw new AccountError(
    `order ${args.order_id} is not among today's orders of ${account.env} account ${account.accId}; check futu_get_orders, or pass market`,
  );
}

/** What a futu_modify_order call asks to change. */
interface ModifyArgs {
  order_id: string;
  op: ModifyOrderOpName;
  qty?: number;
  price?: number;
  aux_price?: number;
  trail_type?: TrailTypeName;
  trail_value?: number;
  trail_spread?: number;
}

/** What a modification does to an existing order. */
async function modifyIntent(ctx: ToolContext, target: TradeTarget, change: ModifyArgs): Promise<OrderIntent> {
  const order = await findOrder(ctx, target, change.order_id);
  // A new price, trigger or trail only means something for an order of a type that has one.
  if (change.op === "NORMAL" && ORDER_TYPE.has(order.orderType)) {
    const wrong = inapplicableFields(order.orderType, change);
    if (wrong.length > 0) {
      throw new ToolError(
        "invalid_arguments",
        `invalid arguments for futu_modify_order: order ${order.orderId} is a ${order.orderType} order: ${
          wrong.map((w) => `${w.field}: ${w.message}`).join("; ")
        }`,
      );
    }
  }
  const filled = order.fillQty ?? 0;
  const previousPrice = order.price ?? 0;
  return {
    kind: change.op,
    symbol: order.symbol,
    side: TRD_SIDE.has(order.side) ? order.side : undefined,
    orderType: ORDER_TYPE.has(order.orderType) ? order.orderType : undefined,
    qty: change.qty ?? order.qty,
    price: change.price ?? (previousPrice > 0 ? previousPrice : undefined),
    auxPrice: change.aux_price ?? order.auxPrice,
    filledQty: filled,
    previousValue: previousPrice > 0 ? Math.max(0, order.qty - filled) * previousPrice : undefined,
  };
}

/** The fields that decide what an order is worth and whether the rules let it through. */
interface OrderCore {
  symbol: string;
  side: TrdSideName;
  order_type: OrderTypeName;
  qty: number;
  price?: number;
  aux_price?: number;
}

/** The account an order goes to: the one named, else the env's account for the symbol's market. */
export function placeTarget(
  ctx: ToolContext,
  args: { acc_id?: string; env: TrdEnvName; market?: string; symbol: string },
): Promise<TradeTarget> {
  return ctx.accounts.resolve({
    accId: args.acc_id,
    env: args.env,
    market: args.market as TradeTarget["market"],
    symbol: args.symbol,
  });
}

/** The order a futu_place_order call describes. */
function placeInput(
  args: OrderCore & {
    trail_type?: TrailTypeName;
    trail_value?: number;
    trail_spread?: number;
    time_in_force?: TimeInForceName;
    session?: SessionName;
    fill_outside_rth?: boolean;
    remark?: string;
  },
): PlaceOrderInput {
  return {
    symbol: args.symbol,
    side: args.side,
    orderType: args.order_type,
    qty: args.qty,
    price: args.price,
    auxPrice: args.aux_price,
    trailType: args.trail_type,
    trailValue: args.trail_value,
    trailSpread: args.trail_spread,
    timeInForce: args.time_in_force,
    session: args.session,
    fillOutsideRTH: args.fill_outside_rth,
    remark: args.remark,
  };
}

/** The change a futu_modify_order call describes. */
function modifyInput(args: ModifyArgs): ModifyOrderInput {
  return {
    orderId: args.order_id,
    op: args.op,
    qty: args.qty,
    price: args.price,
    auxPrice: args.aux_price,
    trailType: args.trail_type,
    trailValue: args.trail_value,
    trailSpread: args.trail_spread,
  };
}

/** What placing an order does, for limits and previews. */
export function placeIntent(args: OrderCore): OrderIntent {
  const { symbol, side, orderType, qty, price, auxPrice } = placeInput(args);
  return { kind: "place", symbol, side, orderType, qty, price, auxPrice };
}

/** What an order is: the fields of futu_place_order (and futu_preview_order) besides the account. */
export const ORDER_FIELDS = {
  symbol,
  side: enumArg(TRD_SIDE),
  qty: positive("qty").describe("shares (options: contracts), a multiple of the lot size"),
  price: positive("price").optional().describe("limit price"),
  order_type: enumArg(ORDER_TYPE).optional().default("NORMAL").describe("default NORMAL (limit)"),
  aux_price: positive("aux_price").optional(),
  trail_type: enumArg(TRAIL_TYPE).optional().describe("RATIO = percent"),
  trail_value: positive("trail_value").optional(),
  trail_spread: z.number().min(0).optional(),
  time_in_force: enumArg(TIME_IN_FORCE).optional().describe("default DAY"),
  session: enumArg(SESSION, ["RTH", "ETH", "ALL", "OVERNIGHT"]).optional().describe("US session"),
  fill_outside_rth: z.boolean().optional(),
  remark: z.string().max(64).optional(),
};

/** The order-type-specific fields, and the order types each applies to (futu's OpenD ignores them elsewhere). */
const APPLIES_TO: Record<"price" | "aux_price" | "trail_type" | "trail_value" | "trail_spread", {
  types: ReadonlySet<OrderTypeName>;
  what: string;
}> = {
  price: { types: LIMIT_PRICE_ORDER_TYPES, what: "a limit price" },
  aux_price: { types: TRIGGER_PRICE_ORDER_TYPES, what: "the trigger price" },
  trail_type: { types: TRAILING_ORDER_TYPES, what: "the trail's unit" },
  trail_value: { types: TRAILING_ORDER_TYPES, what: "the trail" },
  // The gap between the trailing stop and its limit: only a trailing stop LIMIT has one.
  trail_spread: { types: new Set<OrderTypeName>(["TRAILING_STOP_LIMIT"]), what: "the limit's distance from the stop" },
};

/**
 * The order-type-specific fields given that do not apply to `orderType`, each with why: OpenD would drop
 * them silently, so the order placed would not be the one asked for.
 */
export function inapplicableFields(
  orderType: OrderTypeName,
  given: Partial<Record<keyof typeof APPLIES_TO, unknown>>,
): { field: keyof typeof APPLIES_TO; message: string }[] {
  return (Object.keys(APPLIES_TO) as (keyof typeof APPLIES_TO)[])
    .filter((field) => given[field] !== undefined && !APPLIES_TO[field].types.has(orderType))
    .map((field) => ({
      field,
      message: `${field} (${APPLIES_TO[field].what}) applies only to ${
        [...APPLIES_TO[field].types].join("/")
      } orders; this order_type is ${orderType}: leave ${field} out`,
    }));
}

/** The checks across fields of an order: each order type's required prices, and no field it does not take. */
export function checkOrderFields(
  a: {
    order_type: OrderTypeName;
    price?: number;
    aux_price?: number;
    trail_type?: unknown;
    trail_value?: number;
    trail_spread?: number;
  },
  ctx: z.RefinementCtx,
): void {
  for (const { field, message } of inapplicableFields(a.order_type, a)) {
    ctx.addIssue({ code: "custom", path: [field], message });
  }
  if (LIMIT_PRICE_ORDER_TYPES.has(a.order_type) && a.price === undefined) {
    ctx.addIssue({ code: "custom", path: ["price"], message: `a ${a.order_type} order needs price` });
  }
  if (TRIGGER_PRICE_ORDER_TYPES.has(a.order_type) && a.aux_price === undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["aux_price"],
      message: `a ${a.order_type} order needs aux_price (trigger)`,
    });
  }
  if (a.order_type.startsWith("TRAILING") && (a.trail_type === undefined || a.trail_value === undefined)) {
    ctx.addIssue({
      code: "custom",
      path: ["trail_value"],
      message: `a ${a.order_type} order needs trail_type and trail_value`,
    });
  }
}

const placeOrder = defineTool({
  name: "futu_place_order",
  title: "Place order",
  description:
    "Places an order, SIMULATED unless env is real (real money: only on the user's explicit instruction). NORMAL needs price, MARKET none; STOP, STOP_LIMIT, *_IF_TOUCHED need aux_price (trigger); TRAILING_* trail_type and trail_value. If the outcome is unknown, check futu_get_orders before placing again.",
  toolset: "trade",
  scope: "trade:by-env",
  annotations: ORDER_WRITE,
  input: z.strictObject({
    ...common,
    idempotency_key: common.idempotency_key.describe("any write: a repeat within 90 s returns the first result"),
    confirm_token: common.confirm_token.describe("any REAL write: from confirmation_required, once the user agreed"),
    ...ORDER_FIELDS,
  }).superRefine(checkOrderFields),
  output: writeResult.extend({
    symbol: z.string(),
    side: z.string(),
    qty: z.number(),
    order_type: z.string(),
    price: z.number().optional(),
  }),
  target: placeTarget,
  intent: async (ctx, args, target) => ({
    ...placeIntent(args),
    replay: await ctx.orders.isPlaceReplay(target, placeInput(args), writeOptions(ctx, args)),
  }),
  async run(ctx, args, target) {
    const placed = await ctx.orders.place(target, placeInput(args), writeOptions(ctx, args));
    return await writeOutcome(ctx, target, placed, {
      symbol: args.symbol,
      side: args.side,
      qty: args.qty,
      order_type: args.order_type,
      price: args.price,
    });
  },
  text: (r) =>
    `${
      r.replayed ? "Already placed (idempotent repeat): " : "Placed: "
    }${r.env} order ${r.order_id} ${r.side} ${r.qty} ${r.symbol} ${r.order_type}${
      r.price !== undefined ? ` @ ${r.price}` : ""
    } on ${r.acc_id} (${r.market}); status ${r.status ?? "unknown: check futu_get_orders"}`,
});

const modifyOrder = defineTool({
  name: "futu_modify_order",
  title: "Modify order",
  description:
    "Changes an order: op NORMAL sets a new qty, price…; paper accounts take only NORMAL and CANCEL. env must match the order's account.",
  toolset: "trade",
  scope: "trade:by-env",
  annotations: ORDER_WRITE,
  input: z.strictObject({
    ...common,
    order_id: idArg("order_id"),
    op: enumArg(MODIFY_ORDER_OP),
    qty: positive("qty").optional().describe("new total quantity"),
    price: positive("price").optional().describe("new limit price"),
    aux_price: positive("aux_price").optional(),
    trail_type: enumArg(TRAIL_TYPE).optional(),
    trail_value: positive("trail_value").optional(),
    trail_spread: z.number().min(0).optional(),
  }).superRefine((a, ctx) => {
    const changes = {
      qty: a.qty,
      price: a.price,
      aux_price: a.aux_price,
      trail_type: a.trail_type,
      trail_value: a.trail_value,
      trail_spread: a.trail_spread,
    };
    if (a.op === "NORMAL") {
      if (![a.qty, a.price, a.aux_price, a.trail_value].some((v) => v !== undefined)) {
        ctx.addIssue({
          code: "custom",
          path: ["op"],
          message: "op NORMAL needs a new qty, price, aux_price or trail_value",
        });
      }
      return;
    }
    // Only op NORMAL changes an order: any other op would drop the new values silently.
    for (const [field, value] of Object.entries(changes)) {
      if (value === undefined) continue;
      ctx.addIssue({
        code: "custom",
        path: [field],
        message: `${field} applies only to op NORMAL (a change of the order); this op is ${a.op}: leave ${field} out`,
      });
    }
  }),
  output: writeResult.extend({ op: z.string() }),
  target: (ctx, args) => orderTarget(ctx, args),
  intent: async (ctx, args, target) => ({
    ...(await modifyIntent(ctx, target, args)),
    replay: await ctx.orders.isModifyReplay(target, modifyInput(args), writeOptions(ctx, args)),
  }),
  async run(ctx, args, target) {
    const result = await ctx.orders.modify(target, modifyInput(args), writeOptions(ctx, args));
    return await writeOutcome(ctx, target, result, { op: args.op });
  },
  text: (r) =>
    `${
      r.replayed ? "Already done (idempotent repeat): " : ""
    }${r.op} ${r.env} order ${r.order_id} on ${r.acc_id}; status ${r.status ?? "unknown: check futu_get_orders"}`,
});

const cancelOrder = defineTool({
  name: "futu_cancel_order",
  title: "Cancel order",
  description: "Cancels an order (shortcut for futu_modify_order op CANCEL). env must match the order's account.",
  toolset: "trade",
  scope: "trade:by-env",
  annotations: { ...ORDER_WRITE, idempotentHint: true },
  input: z.strictObject({ ...common, order_id: idArg("order_id") }),
  output: writeResult,
  target: (ctx, args) => orderTarget(ctx, args),
  intent: async (ctx, args, target) => ({
    ...(await modifyIntent(ctx, target, { order_id: args.order_id, op: "CANCEL" })),
    replay: await ctx.orders.isModifyReplay(target, { orderId: args.order_id, op: "CANCEL" }, writeOptions(ctx, args)),
  }),
  async run(ctx, args, target) {
    const result = await ctx.orders.modify(
      target,
      { orderId: args.order_id, op: "CANCEL" },
      writeOptions(ctx, args),
    );
    return await writeOutcome(ctx, target, result, {});
  },
  text: (r) => `Cancel requested for ${r.env} order ${r.order_id} on ${r.acc_id}; status ${r.status ?? "unknown"}`,
});

const cancelAllOrders = defineTool({
  name: "futu_cancel_all_order",
  title: "Cancel all orders",
  description: "Cancels every open order of an account, in market or all its markets. env must match the account.",
  toolset: "trade",
  scope: "trade:by-env",
  annotations: { ...ORDER_WRITE, idempotentHint: true },
  input: z.strictObject({
    acc_id: common.acc_id,
    env,
    market: enumArg(TRD_MARKET, TRADING_MARKETS).optional().describe("default: all"),
    idempotency_key: common.idempotency_key,
    confirm_token: common.confirm_token,
  }),
  output: z.object({
    acc_id: z.string(),
    env: z.string(),
    market: z.string(),
    cancelled: z.number(),
    orders: z.array(z.object({ order_id: z.string(), symbol: z.string(), status: z.string() })),
    failed: z.array(z.object({ order_id: z.string(), error: z.string() })),
    replayed: z.boolean(),
  }),
  // The account (and, for limits and audit, a market of it: the one asked for, else its first).
  target: (ctx, args) =>
    ctx.accounts.resolve({ accId: args.acc_id, env: args.env, market: args.market as TradeTarget["market"] }),
  // Without a market it reaches every market of the account: limits check each (a key held to HK is refused).
  intent: async (ctx, args, target) => ({
    kind: "CANCEL",
    markets: args.market ? undefined : (await ctx.accounts.get(target.accId)).markets,
    replay: await ctx.orders.isCancelAllReplay(target.accId, target.env, args.market, writeOptions(ctx, args)),
  }),
  async run(ctx, args, target) {
    const account = await ctx.accounts.get(target.accId);
    const result = await ctx.orders.cancelAll(
      { accId: target.accId, env: target.env, markets: account.markets },
      args.market,
      writeOptions(ctx, args),
    );
    return {
      acc_id: target.accId,
      env: target.env,
      market: args.market ?? "ALL",
      cancelled: result.orders.filter((o) => o.status.startsWith("CANCEL")).length,
      orders: result.orders.map((o) => ({ order_id: o.orderId, symbol: o.symbol, status: o.status })),
      failed: result.failed.map((f) => ({ order_id: f.orderId, error: f.error })),
      replayed: result.replayed,
    };
  },
  text: (r) =>
    `${
      r.replayed ? "Already done (idempotent repeat): " : ""
    }cancel all ${r.env} orders on ${r.acc_id} (${r.market}): ${r.cancelled} cancelled${
      r.failed.length > 0 ? `, ${r.failed.length} failed` : ""
    }${
      r.orders.length > 0
        ? `\n${table(["order_id", "symbol", "status"], r.orders.map((o) => [o.order_id, o.symbol, o.status]))}`
        : ""
    }${r.failed.map((f) => `\n${f.order_id}: ${f.error}`).join("")}`,
});

const unlockTrade = defineTool({
  name: "futu_unlock_trade",
  title: "Unlock trading",
  description:
    "Unlocks real trading in OpenD (unlock: false locks it). Takes no password: the server holds it. Paper trading needs no unlock.",
  toolset: "trade",
  scope: "trade:unlock",
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  input: z.strictObject({
    unlock: z.boolean().optional().default(true),
    security_firm: enumArg(SECURITY_FIRM).optional(),
    acc_ids: z.array(idArg("acc_id")).min(1).max(50).optional().describe(
      "REAL accounts to unlock for; required for keys limited to some accounts",
    ),
  }),
  output: z.object({ unlocked: z.boolean() }),
  accounts: (args) => args.acc_ids,
  async run(ctx, args) {
    for (const id of args.acc_ids ?? []) {
      const account = await ctx.accounts.get(id);
      if (account.env !== "REAL") {
        throw new AccountError(`acc_id ${id} is a ${account.env} account: only real trading is unlocked`);
      }
    }
    await ctx.orders.unlock(args.unlock, args.security_firm);
    return { unlocked: args.unlock };
  },
  text: (r) => fields({ real_trading: r.unlocked ? "unlocked" : "locked" }),
});

/** The trade tools, in listing order. */
export const TRADE_TOOLS = [placeOrder, modifyOrder, cancelOrder, cancelAllOrders, unlockTrade];
