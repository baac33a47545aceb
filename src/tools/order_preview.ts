/**
 * What an order write would do, as a person should see it before a REAL one
 * is sent: the account, side, quantity, symbol, type and price, the estimated
 * notional in the order's and the account's currency, the key's limits that
 * apply and how much of the daily cap it uses, the rules that would refuse it,
 * and warnings (lot size, price far from the last, buying power). The guard
 * shows it through the client (elicitation) or returns it with a
 * confirm_token; `futu_preview_order` returns it for any order.
 *
 * @module
 */
import { z } from "zod";
import { type CurrencyName, currencyOfMarket, parseSymbol, type TradeTarget } from "../gateway/types.ts";
import type { WriteCheck } from "./guard.ts";
import type { OrderIntent, Tool, ToolContext } from "./tool.ts";

/** A limit price further than this from the last price gets a warning (a key's collar may refuse it). */
const FAR_FROM_LAST_PCT = 10;

const limitsSchema = z.object({
  per_order_cap: z.number().optional(),
  daily_cap: z.number().optional(),
  daily_used: z.number().optional().describe("today (UTC) before this order, in currency"),
  daily_after: z.number().optional(),
  daily_cap_used_pct: z.number().optional().describe("daily_after / daily_cap × 100"),
  orders_last_minute: z.number().optional(),
  orders_per_minute_cap: z.number().optional(),
  price_collar_pct: z.number().optional(),
  hours: z.string().optional(),
});

/** The schema of a preview. */
export const orderPreviewSchema = z.object({
  action: z.string(),
  acc_id: z.string(),
  env: z.string(),
  market: z.string(),
  symbol: z.string().optional(),
  name: z.string().optional(),
  side: z.string().optional(),
  order_type: z.string().optional(),
  qty: z.number().optional(),
  price: z.number().optional(),
  aux_price: z.number().optional(),
  last_price: z.number().optional(),
  lot_size: z.number().optional(),
  currency: z.string().optional(),
  notional: z.number().optional().describe("open quantity × price (market orders: the last price), in currency"),
  account_currency: z.string().optional(),
  notional_in_account_currency: z.number().optional(),
  limits: limitsSchema.describe("the key's limits that apply (in currency), and their use"),
  would_refuse: z.array(z.object({ code: z.string(), message: z.string() })).describe(
    "the access rules that would refuse it now; empty: they let it through",
  ),
  warnings: z.array(z.string()),
  confirmation: z.enum(["elicit", "token", "none", "not_needed"]).describe(
    "REAL orders: how the user confirms it (elicit: the client asks; token: repeat with confirm_token)",
  ),
});

/** A preview. */
export type OrderPreview = z.output<typeof orderPreviewSchema>;

/** The result of a REAL write that waits for a person's confirmation: nothing was sent. */
export const confirmationRequiredSchema = z.object({
  status: z.literal("confirmation_required"),
  confirm_token: z.string(),
  expires_at: z.string(),
  preview: orderPreviewSchema,
});

/** A write waiting for confirmation. */
export type ConfirmationRequired = z.output<typeof confirmationRequiredSchema>;

/** The output schema a tool lists: a trade write may also answer that it waits for confirmation. */
export function listedOutput(tool: Tool): z.ZodType {
  return tool.scope === "trade:by-env" ? z.union([tool.output, confirmationRequiredSchema]) : tool.output;
}

function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function actionOf(intent: OrderIntent): string {
  if (intent.kind === "place") return "place";
  if (intent.kind === "NORMAL") return "modify";
  if (intent.kind === "CANCEL") return intent.symbol ? "cancel" : "cancel all";
  return intent.kind.toLowerCase();
}

/** Builds the preview; market data or funds that cannot be read become warnings, never failures. */
export async function orderPreview(
  ctx: ToolContext,
  intent: OrderIntent,
  target: TradeTarget,
  check: WriteCheck,
): Promise<OrderPreview> {
  const warnings: string[] = [];
  const preview: OrderPreview = {
    action: actionOf(intent),
    acc_id: target.accId,
    env: target.env,
    market: intent.markets ? intent.markets.join(",") : target.market,
    symbol: intent.symbol,
    side: intent.side,
    order_type: intent.orderType,
    qty: intent.qty,
    price: intent.price,
    aux_price: intent.auxPrice,
    limits: limitsOf(check),
    would_refuse: check.refusals.map((r) => ({ code: r.code, message: r.message })),
    warnings,
    confirmation: target.env === "REAL" ? check.confirm : "not_needed",
  };
  const exposure = intent.kind === "place" || intent.kind === "NORMAL";
  if (!intent.symbol || !exposure) return compactPreview(preview);
  const currency = currencyOfMarket(parseSymbol(intent.symbol).market);
  preview.currency = currency;
  let multiplier = 1;
  try {
    const [snapshot] = await ctx.market.snapshots([intent.symbol]);
    if (snapshot) {
      preview.name = snapshot.name;
      preview.last_price = snapshot.curPrice;
      preview.lot_size = snapshot.lotSize;
      multiplier = snapshot.option?.contractSize ?? 1;
    }
  } catch (err) {
    warnings.push(`no quote for ${intent.symbol} (${(err as Error).message}): the notional is unknown`);
  }
  const last = preview.last_price;
  const unit = intent.price ?? (last !== undefined && last > 0 ? last : undefined);
  const openQty = intent.qty === undefined ? undefined : Math.max(0, intent.qty - (intent.filledQty ?? 0));
  if (unit !== undefined && openQty !== undefined) preview.notional = round(unit * openQty * multiplier);
  if (intent.price === undefined && intent.orderType === "MARKET") {
    warnings.push("a MARKET order fills at the prices the market offers: the notional is estimated at the last price");
  }
  if (intent.kind === "place" && preview.lot_size && intent.qty !== undefined && intent.qty % preview.lot_size !== 0) {
    warnings.push(`qty ${intent.qty} is not a multiple of the lot size ${preview.lot_size}: OpenD will refuse it`);
  }
  if (intent.price !== undefined && last !== undefined && last > 0) {
    const off = (intent.price / last - 1) * 100;
    if (Math.abs(off) > FAR_FROM_LAST_PCT) {
      warnings.push(
        `price ${intent.price} is ${Math.abs(off).toFixed(1)}% ${off > 0 ? "above" : "below"} the last price ${last}`,
      );
    }
  }
  await inAccountCurrency(ctx, target, currency, preview, intent, warnings);
  return compactPreview(preview);
}

/** The notional in the account's currency, at the rate OpenD values the account at (its assets in both). */
async function inAccountCurrency(
  ctx: ToolContext,
  target: TradeTarget,
  currency: CurrencyName | undefined,
  preview: OrderPreview,
  intent: OrderIntent,
  warnings: string[],
): Promise<void> {
  try {
    const funds = await ctx.accounts.funds(target);
    preview.account_currency = funds.currency;
    if (preview.notional === undefined || funds.currency === undefined || currency === undefined) return;
    let converted = preview.notional;
    if (funds.currency !== currency) {
      const inOrderCurrency = await ctx.accounts.funds(target, { currency });
      if (!(inOrderCurrency.totalAssets > 0 && funds.totalAssets > 0)) {
        warnings.push(`no ${currency}/${funds.currency} rate (the account holds no assets)`);
        return;
      }
      converted = preview.notional * funds.totalAssets / inOrderCurrency.totalAssets;
    }
    preview.notional_in_account_currency = round(converted);
    if (intent.side === "BUY" && intent.kind === "place" && converted > funds.power) {
      warnings.push(`the notional exceeds the buying power ${round(funds.power)} ${funds.currency}`);
    }
  } catch (err) {
    warnings.push(`the account's funds cannot be read (${(err as Error).message})`);
  }
}

function limitsOf(check: WriteCheck): OrderPreview["limits"] {
  const use = check.limits;
  return {
    per_order_cap: use.perOrderCap,
    daily_cap: use.dailyCap,
    daily_used: use.dailyUsed === undefined ? undefined : round(use.dailyUsed),
    daily_after: use.dailyAfter === undefined ? undefined : round(use.dailyAfter),
    daily_cap_used_pct: use.dailyCap && use.dailyAfter !== undefined
      ? round(use.dailyAfter / use.dailyCap * 100, 1)
      : undefined,
    orders_last_minute: use.ordersLastMinute,
    orders_per_minute_cap: use.ordersPerMinuteCap,
    price_collar_pct: use.collarPct,
    hours: use.hoursWindow,
  };
}

/** Drops absent fields, so that the preview carries only what applies. */
function compactPreview(preview: OrderPreview): OrderPreview {
  const drop = <T extends Record<string, unknown>>(o: T): T =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
  return drop({ ...preview, limits: drop(preview.limits) });
}

function money(value: number | undefined, currency: string | undefined): string {
  if (value === undefined) return "unknown";
  return `${value.toLocaleString("en-US", { maximumFractionDigits: 2 })}${currency ? ` ${currency}` : ""}`;
}

/** The preview as a person reads it (the elicitation message, and the text of a preview result). */
export function previewText(p: OrderPreview): string {
  const lines: string[] = [];
  const what = p.symbol
    ? `${p.side ?? ""} ${p.qty ?? ""} ${p.symbol}${p.name ? ` (${p.name})` : ""}`.replace(/\s+/g, " ").trim()
    : "every open order";
  const type = p.order_type === "NORMAL" ? "limit" : p.order_type?.toLowerCase();
  const price = p.price !== undefined ? ` @ ${p.price}${p.currency ? ` ${p.currency}` : ""}` : "";
  lines.push(`${p.env} account ${p.acc_id} (${p.market}): ${p.action} ${what}${type ? `, ${type}` : ""}${price}`);
  if (p.last_price !== undefined) {
    lines.push(`Last price: ${p.last_price}${p.lot_size ? `; lot size ${p.lot_size}` : ""}`);
  }
  if (p.notional !== undefined) {
    const inAccount = p.notional_in_account_currency !== undefined && p.account_currency !== p.currency
      ? ` ≈ ${money(p.notional_in_account_currency, p.account_currency)}`
      : "";
    lines.push(`Estimated notional: ${money(p.notional, p.currency)}${inAccount}`);
  }
  const l = p.limits;
  const limits: string[] = [];
  if (l.per_order_cap !== undefined) limits.push(`per order ≤ ${money(l.per_order_cap, p.currency)}`);
  if (l.daily_cap !== undefined) {
    limits.push(
      `daily cap ${money(l.daily_cap, p.currency)}: ${money(l.daily_used, undefined)} used today, ` +
        `${money(l.daily_after, undefined)} after this (${l.daily_cap_used_pct ?? "?"}%)`,
    );
  }
  if (l.orders_per_minute_cap !== undefined) {
    limits.push(`${l.orders_last_minute ?? 0} of ${l.orders_per_minute_cap} order writes in the last minute`);
  }
  if (l.price_collar_pct !== undefined) limits.push(`price collar ${l.price_collar_pct}%`);
  if (l.hours !== undefined) limits.push(`hours ${l.hours}`);
  lines.push(`Limits: ${limits.length > 0 ? limits.join("; ") : "none on this key"}`);
  for (const r of p.would_refuse) lines.push(`REFUSED (${r.code}): ${r.message}`);
  for (const w of p.warnings) lines.push(`Warning: ${w}`);
  return lines.join("\n");
}

/** What a write waiting for confirmation tells the model. */
export function confirmationText(tool: string, pending: ConfirmationRequired): string {
  return `CONFIRMATION REQUIRED, nothing was sent. Show the user this ${pending.preview.env} order:\n` +
    `${previewText(pending.preview)}\n` +
    `Only if the user confirms it, call ${tool} again with the same arguments and confirm_token ` +
    `"${pending.confirm_token}" (valid until ${pending.expires_at}, once).`;
}
