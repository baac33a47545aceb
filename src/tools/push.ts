/**
 * Push tools (toolset "push", off by default): quote, order and fill pushes
 * delivered to this session as MCP log notifications (logger "futu_push"), or
 * to a `/ws` WebSocket. Every push is filtered again at dispatch against the
 * key's current rights.
 *
 * @module
 */
import { z } from "zod";
import { SUB_TYPE } from "../gateway/types.ts";
import type { PushChannel } from "../services/push.ts";
import { enumArg, idArg, symbols } from "./args.ts";
import { ToolError } from "./errors.ts";
import { fields } from "./render.ts";
import { defineTool, READ_OPEND, type ToolContext } from "./tool.ts";

const watching = z.object({ pairs: z.array(z.string()), accounts: z.array(z.string()) });

/** The push channel of this call: one per session and key. */
export function channelOf(ctx: ToolContext): PushChannel {
  if (!ctx.push) {
    throw new ToolError("push_unavailable", "this connection cannot receive pushes (use an MCP session or /ws)");
  }
  const sink = ctx.push;
  return { id: `${sink.id}:${ctx.caller}`, caller: ctx.caller, send: (push) => sink.send(push) };
}

const watchQuotes = defineTool({
  name: "futu_watch_quotes",
  title: "Watch quotes",
  description:
    'Streams quote pushes (notifications with logger "futu_push") for symbols × sub_types (default QUOTE) until stop: true.',
  toolset: "push",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    symbols: symbols(50),
    sub_types: z.array(enumArg(SUB_TYPE)).min(1).max(10).optional().default(["QUOTE"]),
    stop: z.boolean().optional().default(false),
  }),
  output: watching,
  async run(ctx, args) {
    const channel = channelOf(ctx);
    if (args.stop) await ctx.pushes.unwatchQuotes(channel, args.symbols, args.sub_types);
    else await ctx.pushes.watchQuotes(channel, args.symbols, args.sub_types);
    return ctx.pushes.watching(channel);
  },
  text: (r) => fields({ watching: r.pairs, accounts: r.accounts }),
});

const watchOrders = defineTool({
  name: "futu_watch_orders",
  title: "Watch orders",
  description: 'Streams order and fill pushes of accounts (notifications with logger "futu_push") until stop: true.',
  toolset: "push",
  scope: "acc:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    acc_ids: z.array(idArg("acc_id")).min(1).max(20),
    stop: z.boolean().optional().default(false),
  }),
  output: watching,
  accounts: (args) => args.acc_ids,
  async run(ctx, args) {
    const channel = channelOf(ctx);
    for (const id of args.acc_ids) await ctx.accounts.get(id);
    if (args.stop) await ctx.pushes.unwatchAccounts(channel, args.acc_ids);
    else await ctx.pushes.watchAccounts(channel, args.acc_ids);
    return ctx.pushes.watching(channel);
  },
  text: (r) => fields({ watching: r.pairs, accounts: r.accounts }),
});

/** The push tools. */
export const PUSH_TOOLS = [watchQuotes, watchOrders];
