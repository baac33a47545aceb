/**
 * Watchlists and price reminders: the tools (toolset "watchlist"). Reads need
 * `qot:read`; changes are settings at the broker, never orders or money, and
 * need `watchlist:write`.
 *
 * @module
 */
import { z } from "zod";
import type { SecurityReminders } from "../gateway/watchlist_types.ts";
import {
  GROUP_TYPE,
  REMINDER_FREQ,
  REMINDER_OP,
  REMINDER_SESSION,
  REMINDER_TYPE,
  WATCHLIST_OP,
} from "../gateway/watchlist_types.ts";
import { enumArg, idArg, symbol, symbols } from "./args.ts";
import { channelOf } from "./push.ts";
import { fields, rows, table } from "./render.ts";
import { defineTool, READ_OPEND, type Tool, type WriteAnnotations } from "./tool.ts";

const str = z.string();
const group = z.string().trim().min(1).max(64).describe('group name from futu_get_user_security_group, e.g. "Tech"');
const market = z.preprocess(
  (v) => (typeof v === "string" ? v.trim().toUpperCase() : v),
  z.enum(["HK", "US", "SH", "SZ"], { error: () => "expected one of HK, US, SH, SZ" }),
);

/** One reminder as the tools return it. */
const reminder = z.object({
  symbol: str,
  key: str,
  type: str,
  value: z.number(),
  freq: str,
  enabled: z.boolean(),
  note: str,
  sessions: z.array(str),
});
type Reminder = z.output<typeof reminder>;

function flatten(list: SecurityReminders[]): Reminder[] {
  return list.flatMap((s) => s.items.map((i) => ({ symbol: s.symbol, ...i })));
}

function reminderTable(list: Reminder[]): string {
  if (list.length === 0) return "no price reminders";
  return table(
    ["symbol", "key", "type", "value", "freq", "enabled", "note", "sessions"],
    list.map((r) => [r.symbol, r.key, r.type, r.value, r.freq, r.enabled, r.note, r.sessions.join(",")]),
  );
}

const listed = z.object({ columns: z.array(str), rows });

const getGroups = defineTool({
  name: "futu_get_user_security_group",
  title: "Watchlist groups",
  description:
    "The user's watchlist groups as rows [name, type]: SYSTEM ones (All, HK, US, CN, Options) and CUSTOM ones. group_type: ALL (default), SYSTEM, CUSTOM.",
  toolset: "watchlist",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({ group_type: enumArg(GROUP_TYPE).optional().default("ALL") }),
  output: listed,
  async run(ctx, args) {
    const list = await ctx.watchlist.groups(args.group_type);
    return { columns: ["name", "type"], rows: list.map((g) => [g.name, g.type]) };
  },
  text: (r) => table(r.columns, r.rows),
});

const getWatchlist = defineTool({
  name: "futu_get_user_security",
  title: "Watchlist",
  description: 'Securities in a watchlist group, e.g. group "All", as rows [symbol, name, type, lot_size].',
  toolset: "watchlist",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({ group }),
  aliases: { group_name: "group" },
  output: listed.extend({ group: str }),
  async run(ctx, args) {
    const list = await ctx.watchlist.securities(args.group);
    return {
      group: args.group,
      columns: ["symbol", "name", "type", "lot_size"],
      rows: list.map((s) => [s.symbol, s.name, s.secType, s.lotSize]),
    };
  },
  text: (r) => `${r.group}\n${table(r.columns, r.rows)}`,
});

/** Settings writes: no money moves, but DEL removes what the user kept. */
const SETTINGS_WRITE: WriteAnnotations = {
  readOnlyHint: false,
  destructiveHint: true,
  idempotentHint: true,
  openWorldHint: true,
};

const modifyWatchlist = defineTool({
  name: "futu_modify_user_security",
  title: "Change a watchlist group",
  description:
    "Changes a CUSTOM watchlist group (system groups cannot be changed). op ADD: into the group (and All); DEL: off the whole watchlist, every group; MOVE_OUT: out of this group only. Returns what changed.",
  toolset: "watchlist",
  scope: "watchlist:write",
  annotations: SETTINGS_WRITE,
  input: z.strictObject({ group, op: enumArg(WATCHLIST_OP), symbols: symbols(100) }),
  aliases: { group_name: "group" },
  output: z.object({
    group: str,
    op: str,
    changed: z.array(str),
    unchanged: z.array(str),
    securities: z.array(str).describe("the group afterwards"),
  }),
  async run(ctx, args) {
    const change = await ctx.watchlist.modify(args.group, args.op, args.symbols);
    return { ...change, securities: change.securities.map((s) => s.symbol) };
  },
  text: (r) =>
    fields({
      group: r.group,
      [r.op === "ADD" ? "added" : "removed"]: r.changed.length ? r.changed : "nothing",
      [r.op === "ADD" ? "already_there" : "not_there"]: r.unchanged.length ? r.unchanged : undefined,
      now: `${r.securities.length} securities`,
    }),
});

const getReminders = defineTool({
  name: "futu_get_price_reminder",
  title: "Price reminders",
  description:
    'Price reminders (alerts) of a symbol, or of a market (HK, US, SH, SZ; SH and SZ together). Give exactly one of "symbol" or "market".',
  toolset: "watchlist",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({ symbol: symbol.optional(), market: market.optional() }).refine(
    (a) => (a.symbol === undefined) !== (a.market === undefined),
    { message: 'give exactly one of "symbol" or "market"' },
  ),
  output: z.object({ reminders: z.array(reminder) }),
  async run(ctx, args) {
    const list = await ctx.watchlist.reminders(args.symbol ? { symbol: args.symbol } : { market: args.market! });
    return { reminders: flatten(list) };
  },
  text: (r) => reminderTable(r.reminders),
});

const NEEDS_KEY = new Set(["DEL", "ENABLE", "DISABLE", "MODIFY"]);

const setReminder = defineTool({
  name: "futu_set_price_reminder",
  title: "Set a price reminder",
  description:
    "Adds or changes a price alert; OpenD pushes it when the market reaches it. op ADD (reminder_type, value; freq default ONCE_A_DAY), MODIFY/ENABLE/DISABLE/DEL (key from futu_get_price_reminder), DEL_ALL (every one of the symbol). Rates are percent: 5 = 5%.",
  toolset: "watchlist",
  scope: "watchlist:write",
  annotations: { ...SETTINGS_WRITE, idempotentHint: false },
  input: z.strictObject({
    symbol,
    op: enumArg(REMINDER_OP),
    key: idArg("key").optional(),
    reminder_type: enumArg(REMINDER_TYPE).optional(),
    value: z.number().min(0).optional().describe("price, percent, shares or amount, by reminder_type"),
    freq: enumArg(REMINDER_FREQ).optional(),
    note: z.string().max(20).optional(),
    sessions: z.array(enumArg(REMINDER_SESSION)).min(1).max(4).optional().describe(
      "US only; default OPEN, US_PRE, US_AFTER",
    ),
  }).superRefine((a, ctx) => {
    if (a.op === "ADD" && a.reminder_type === undefined) {
      ctx.addIssue({ code: "custom", path: ["reminder_type"], message: "op ADD needs reminder_type" });
    }
    if (a.op === "ADD" && a.value === undefined) {
      ctx.addIssue({ code: "custom", path: ["value"], message: "op ADD needs value" });
    }
    if (NEEDS_KEY.has(a.op) && a.key === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["key"],
        message: `op ${a.op} needs the key from futu_get_price_reminder`,
      });
    }
    if ((a.op === "ADD" || a.op === "DEL_ALL") && a.key !== undefined) {
      ctx.addIssue({ code: "custom", path: ["key"], message: `op ${a.op} takes no key` });
    }
  }),
  aliases: { type: "reminder_type", reminder_freq: "freq" },
  output: z.object({ symbol: str, op: str, key: str.nullable(), reminders: z.array(reminder) }),
  async run(ctx, args) {
    const { key, reminders } = await ctx.watchlist.setReminder({
      symbol: args.symbol,
      op: args.op,
      key: args.key,
      type: args.reminder_type,
      freq: args.freq ?? (args.op === "ADD" ? "ONCE_A_DAY" : undefined),
      value: args.value,
      note: args.note,
      sessions: args.sessions,
    });
    return { symbol: args.symbol, op: args.op, key: args.op === "DEL_ALL" ? null : key, reminders: flatten(reminders) };
  },
  text: (r) => `${fields({ symbol: r.symbol, op: r.op, key: r.key })}\n${reminderTable(r.reminders)}`,
});

const watchReminders = defineTool({
  name: "futu_watch_reminders",
  title: "Watch price reminders",
  description:
    'Streams fired price reminders (notifications with logger "futu_push", type "reminder") to this session until stop: true.',
  toolset: "watchlist",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({ stop: z.boolean().optional().default(false) }),
  output: z.object({ watching: z.boolean() }),
  run(ctx, args) {
    return Promise.resolve({ watching: ctx.pushes.watchReminders(channelOf(ctx), !args.stop) });
  },
  text: (r) => fields({ price_reminders: r.watching ? "streaming to this session" : "not streaming" }),
});

/** The tools of this file, in listing order. */
export const WATCHLIST_TOOLS: readonly Tool[] = [
  getGroups,
  getWatchlist,
  modifyWatchlist,
  getReminders,
  setReminder,
  watchReminders,
];
