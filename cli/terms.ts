/**
 * futucli's names for what futu-mcp's messages and hints mention: each tool
 * futucli runs as the command that runs it, and each of the tool's arguments
 * as the flag (or positional) that sets it. Messages are written once, in MCP
 * terms, and futucli shows them in its own; a test checks that this table
 * covers every argument of every tool a command runs, and that each flag
 * exists.
 *
 * What is rewritten (everything else is left as written):
 * - a tool name (`futu_get_static`), as its command with its positionals
 *   (`futucli static <symbols...>`), or without them in "invalid arguments for futu_x:";
 * - an argument name with an underscore (`acc_id`), as its flag (`--acc-id`);
 * - a one-word argument name (`market`, `qty`) only where it is unmistakably one:
 *   after "pass" or "passing (the same)" ("pass market", "passing the same acc_id
 *   and env") or as the field of a validation issue ("invalid arguments for
 *   futu_x: qty: …"). Messages and hints that name such an argument say it so.
 *
 * @module
 */

import { DERIVATIVE_TERMS } from "./commands/derivatives.ts";
import { RESEARCH_TERMS } from "./commands/research.ts";
import { CALENDAR_TERMS } from "./commands/calendar.ts";
import { WATCHLIST_TERMS } from "./commands/watchlist.ts";
import { LEDGER_TERMS } from "./commands/ledger.ts";
import { SYSTEM_TERMS } from "./commands/system.ts";
import { RESEARCH_GROUP_TERMS } from "./commands/research_group.ts";
import { ALL_TOOLS } from "../src/tools/inventory.ts";
import { RESEARCH_TOOLSETS, type Toolset } from "../src/tools/tool.ts";

/** How futucli runs one tool. */
export interface CliTerms {
  /** The command, with its positionals, as a person types it. */
  command: string;
  /** Each argument of the tool: the flag or positional that sets it, or why futucli has none. */
  args: Readonly<Record<string, string>>;
}

/**
 * Arguments no futucli flag names, so a message keeps the tool's word: those futucli sets itself
 * (a page number) and `idempotency_key`, which futucli does not offer (its replay cache lives in
 * one futu-mcp process; each futucli run is a new process).
 */
export const SET_BY_FUTUCLI = "(set by futucli)";

const ACCOUNT = { acc_id: "--acc-id", env: "--env", market: "--market" } as const;
// futucli's --confirm is the operator's confirmation of a REAL write, which a confirm_token is for an MCP client.
const WRITE = { ...ACCOUNT, idempotency_key: SET_BY_FUTUCLI, confirm_token: "--confirm" } as const;
const PRICES = {
  price: "--price",
  aux_price: "--aux-price",
  trail_type: "--trail-type",
  trail_value: "--trail-value",
  trail_spread: "--trail-spread",
} as const;

/**
 * Built on first use, not at import: the command modules whose tables these are import the runtime,
 * which imports this module, so at import time their tables may not exist yet.
 */
function once<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => value ??= build();
}

/** The tools futucli runs. */
export const cliTerms: () => Readonly<Record<string, CliTerms>> = once(() => ({
  futu_ping: { command: "futucli ping", args: {} },
  futu_get_quote: { command: "futucli quote <symbols...>", args: { symbols: "<symbols...>", symbol: "<symbols...>" } },
  futu_get_snapshot: { command: "futucli snapshot <symbols...>", args: { symbols: "<symbols...>" } },
  futu_get_kline: {
    command: "futucli kline <symbol>",
    args: {
      symbol: "<symbol>",
      kl_type: "--type",
      max_count: "--count",
      begin: "--begin",
      end: "--end",
      rehab: "--rehab",
      page: SET_BY_FUTUCLI,
    },
  },
  futu_get_orderbook: { command: "futucli orderbook <symbol>", args: { symbol: "<symbol>", depth: "--depth" } },
  futu_get_ticker: { command: "futucli ticker <symbol>", args: { symbol: "<symbol>", max_count: "--count" } },
  futu_get_rt: { command: "futucli rt <symbol>", args: { symbol: "<symbol>" } },
  futu_get_static: { command: "futucli static <symbols...>", args: { symbols: "<symbols...>" } },
  futu_get_broker: { command: "futucli broker <symbol>", args: { symbol: "<symbol>" } },
  futu_list_plates: { command: "futucli plates <market>", args: { market: "<market>", plate_type: "--type" } },
  futu_plate_stocks: { command: "futucli plate-stocks <plate>", args: { plate: "<plate>" } },
  futu_list_accounts: { command: "futucli accounts", args: {} },
  futu_get_funds: { command: "futucli funds", args: { ...ACCOUNT, currency: "--currency" } },
  futu_get_positions: { command: "futucli positions", args: ACCOUNT },
  futu_get_orders: { command: "futucli orders", args: { ...ACCOUNT, order_id: "--order-id" } },
  futu_get_deals: { command: "futucli deals", args: ACCOUNT },
  futu_preview_order: {
    command: "futucli preview-order <symbol> <side> <qty>",
    args: {
      ...ACCOUNT,
      price: "--price",
      aux_price: "--aux-price",
      symbol: "<symbol>",
      side: "<side>",
      qty: "<qty>",
      order_type: "--type",
    },
  },
  futu_place_order: {
    command: "futucli place-order <symbol> <side> <qty>",
    args: {
      ...WRITE,
      ...PRICES,
      symbol: "<symbol>",
      side: "<side>",
      qty: "<qty>",
      order_type: "--type",
      time_in_force: "--time-in-force",
      session: "--session",
      fill_outside_rth: "--fill-outside-rth",
      remark: "--remark",
    },
  },
  futu_modify_order: {
    command: "futucli modify-order <order-id>",
    args: { ...WRITE, ...PRICES, order_id: "<order-id>", op: "--op", qty: "--qty" },
  },
  futu_cancel_order: { command: "futucli cancel-order <order-id>", args: { ...WRITE, order_id: "<order-id>" } },
  futu_unlock_trade: {
    command: "futucli unlock-trade",
    args: { unlock: "--lock", security_firm: "--security-firm", acc_ids: "--acc-ids" },
  },
  ...DERIVATIVE_TERMS,
  ...RESEARCH_TERMS,
  ...CALENDAR_TERMS,
  ...WATCHLIST_TERMS,
  ...LEDGER_TERMS,
  ...SYSTEM_TERMS,
  ...RESEARCH_GROUP_TERMS,
}));

/** The research data toolsets: futucli runs the six most used of their tools (`futucli research`). */
const RESEARCH_DATA: readonly Toolset[] = RESEARCH_TOOLSETS;

/** Research tools of other toolsets (screens, suspensions) that futucli leaves to MCP too. */
const RESEARCH_DATA_ELSEWHERE: readonly string[] = [
  "futu_screen_stocks",
  "futu_screen_warrants",
  "futu_get_suspensions",
];

/** The futu-mcp tools futucli has no command for, and why. */
export const mcpOnly: () => Readonly<Record<string, string>> = once(() => ({
  futu_chart: "its result is an image for an MCP client to show",
  futu_watch_quotes: "pushes need a long-lived MCP session",
  futu_watch_orders: "pushes need a long-lived MCP session",
  futu_watch_reminders: "pushes need a long-lived MCP session",
  ...Object.fromEntries(
    ALL_TOOLS.filter((tool) =>
      !(tool.name in cliTerms()) &&
      (RESEARCH_DATA.includes(tool.toolset) || RESEARCH_DATA_ELSEWHERE.includes(tool.name))
    ).map((tool) => [
      tool.name,
      "research data beyond `futucli research` (profile, financials, earnings, holders, movers, news)",
    ]),
  ),
}));

/** Arguments by name across all tools, for messages that mention another tool's argument. */
const anyTool: () => Readonly<Record<string, string>> = once(() =>
  Object.assign(
    {},
    ...Object.values(cliTerms()).map((terms) =>
      Object.fromEntries(Object.entries(terms.args).filter(([, flag]) => flag !== SET_BY_FUTUCLI))
    ),
  )
);

/** The command alone, without its positionals: "futucli static". */
function commandName(terms: CliTerms): string {
  return terms.command.split(" <")[0];
}

/** A text of futu-mcp's (message or hint) in futucli's terms, for a call of `tool`. */
export function inCliTerms(text: string, tool?: string): string {
  const terms = cliTerms();
  const own = (tool && terms[tool]?.args) || {};
  const flag = (name: string): string | undefined => {
    const mapped = own[name] ?? anyTool()[name];
    return mapped === SET_BY_FUTUCLI ? undefined : mapped;
  };
  const asFlag = (whole: string, before: string, name: string) => {
    const mapped = flag(name);
    return mapped ? before + mapped : whole;
  };
  return text
    .replace(
      /(\bfor )(futu_[a-z_]+)(?=: )/g,
      (whole, before: string, name: string) => terms[name] ? before + commandName(terms[name]) : whole,
    )
    .replace(/\bfutu_[a-z_]+\b/g, (name) => terms[name]?.command ?? name)
    .replace(/(: |; )([a-z]+(?:_[a-z]+)*)(?=: )/g, asFlag)
    .replace(
      /(\b[Pp]ass(?:ing)? (?:the same )?)([a-z]+(?:_[a-z]+)*(?:(?:, and |, | and )[a-z]+(?:_[a-z]+)*)*)/g,
      (_whole, before: string, names: string) => before + names.replace(/[a-z_]+/g, (w) => flag(w) ?? w),
    )
    .replace(/(^|[^-\w<])([a-z]+(?:_[a-z]+)+)\b/g, asFlag);
}
