/**
 * `futu_preview_order`: what placing an order would do — simulate or real —
 * without placing it: the notional in the order's and the account's currency,
 * the key's limits and their use, the rules that would refuse it, warnings,
 * and how a REAL order would be confirmed. The same preview a person sees
 * when a REAL write asks for confirmation.
 *
 * @module
 */
import { z } from "zod";
import { orderPreview, orderPreviewSchema, previewText } from "./order_preview.ts";
import { checkOrderFields, common, ORDER_FIELDS, placeIntent, placeTarget } from "./trade.ts";
import { defineTool, READ_OPEND } from "./tool.ts";

const previewOrder = defineTool({
  name: "futu_preview_order",
  title: "Preview order",
  description:
    "futu_place_order's dry run, placing nothing: notional (also in account currency), the key's limits and their use, what would refuse it, warnings, how a REAL order is confirmed.",
  toolset: "trade",
  scope: "acc:read",
  annotations: READ_OPEND,
  // The fields that decide the order's value and the checks; time in force, session and remark change neither.
  input: z.strictObject({
    acc_id: common.acc_id,
    env: common.env,
    market: common.market,
    symbol: ORDER_FIELDS.symbol,
    side: ORDER_FIELDS.side,
    qty: ORDER_FIELDS.qty,
    price: ORDER_FIELDS.price,
    order_type: ORDER_FIELDS.order_type,
    aux_price: ORDER_FIELDS.aux_price,
  }).superRefine(checkOrderFields),
  output: orderPreviewSchema,
  target: placeTarget,
  async run(ctx, args, target) {
    const intent = placeIntent(args);
    return await orderPreview(ctx, intent, target!, await ctx.checkWrite(intent, target!));
  },
  text: previewText,
});

/** The preview tools. */
export const PREVIEW_TOOLS = [previewOrder];
