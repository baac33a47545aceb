/**
 * Watchlists and price reminders: futucli commands `watchlist-groups`,
 * `watchlist`, `watchlist-modify`, `reminders`, `set-reminder`. Changes need
 * no --confirm (no money moves) and print what they changed.
 *
 * @module
 */
import { Command } from "commander";
import {
  GROUP_TYPE,
  REMINDER_FREQ,
  REMINDER_OP,
  REMINDER_SESSION,
  REMINDER_TYPE,
  WATCHLIST_OP,
} from "../../src/gateway/watchlist_types.ts";
import { csv, emit, globalsOf, numberArg } from "../common.ts";
import { withGateway } from "../runtime.ts";
import { table } from "../output.ts";
import type { CliTerms } from "../terms.ts";
import { toolCommand } from "./market.ts";

interface Reminder {
  symbol: string;
  key: string;
  type: string;
  value: number;
  freq: string;
  enabled: boolean;
  note: string;
  sessions: string[];
}

function reminderTable(list: Reminder[]): string {
  if (list.length === 0) return "no price reminders";
  return table(
    ["symbol", "key", "type", "value", "freq", "enabled", "note", "sessions"],
    list.map((r) => [r.symbol, r.key, r.type, r.value, r.freq, r.enabled ? "yes" : "no", r.note, r.sessions.join(",")]),
  );
}

function modifyText(result: Record<string, unknown>): string {
  const r = result as { group: string; op: string; changed: string[]; unchanged: string[]; securities: string[] };
  const verb = r.op === "ADD" ? "added to" : r.op === "DEL" ? "deleted from the watchlist, via" : "moved out of";
  const lines = [
    r.changed.length ? `${verb} ${r.group}: ${r.changed.join(" ")}` : `nothing changed in ${r.group}`,
    ...(r.unchanged.length ? [`${r.op === "ADD" ? "already in" : "not in"} ${r.group}: ${r.unchanged.join(" ")}`] : []),
    `${r.group} now holds ${r.securities.length}: ${r.securities.join(" ")}`,
  ];
  return lines.join("\n");
}

function setReminderText(result: Record<string, unknown>): string {
  const r = result as { symbol: string; op: string; key: string | null; reminders: Reminder[] };
  const done: Record<string, string> = {
    ADD: `added price reminder ${r.key} on ${r.symbol}`,
    DEL: `deleted price reminder ${r.key} of ${r.symbol}`,
    ENABLE: `enabled price reminder ${r.key} of ${r.symbol}`,
    DISABLE: `disabled price reminder ${r.key} of ${r.symbol}`,
    MODIFY: `changed price reminder ${r.key} of ${r.symbol}`,
    DEL_ALL: `deleted every price reminder of ${r.symbol}`,
  };
  return `${done[r.op] ?? `${r.op} ${r.symbol}`}\n${reminderTable(r.reminders)}`;
}

function remindersCommand(): Command {
  return new Command("reminders")
    .description("price reminders of symbols, of a market (--market), or (neither) of every market")
    .argument("[symbols...]", 'e.g. "HK.00700 US.AAPL"')
    .option("--market <market>", "HK, US, SH or SZ (SH and SZ together)")
    .action(async (symbols: string[], options: { market?: string }, cmd: Command) => {
      const result = await withGateway(globalsOf(cmd), {}, async (session) => {
        const calls = symbols.length > 0
          ? symbols.map((symbol) => ({ symbol }))
          : (options.market ? [options.market] : ["HK", "US", "SH"]).map((market) => ({ market }));
        const reminders: Reminder[] = [];
        for (const args of calls) {
          const part = await session.call("futu_get_price_reminder", { ...args });
          reminders.push(...(part.reminders as Reminder[]));
        }
        return { reminders };
      });
      emit(cmd, result, () => reminderTable(result.reminders));
    });
}

interface SetReminderOptions {
  op: string;
  key?: string;
  type?: string;
  value?: number;
  freq?: string;
  note?: string;
  sessions?: string[];
}

/** The commands of this file. */
export function watchlistCommands(): Command[] {
  return [
    toolCommand<{ type: string }>(
      "watchlist-groups",
      "watchlist groups: system (All, HK, US, CN, Options) and custom",
      "futu_get_user_security_group",
      (c) => c.option("--type <type>", GROUP_TYPE.names.join(", "), "ALL"),
      (_p, o) => ({ group_type: o.type }),
    ),
    toolCommand(
      "watchlist",
      'the securities of a watchlist group, e.g. "All"',
      "futu_get_user_security",
      (c) => c.argument("<group>", "group name (futucli watchlist-groups)"),
      (p) => ({ group: p[0] }),
    ),
    toolCommand<{ op: string }>(
      "watchlist-modify",
      "add securities to a custom group, delete them from the watchlist, or move them out of a group",
      "futu_modify_user_security",
      (c) =>
        c.argument("<group>", "a custom group").argument("<symbols...>")
          .requiredOption("--op <op>", WATCHLIST_OP.names.join(", ").toLowerCase().replaceAll("_", "-")),
      (p, o) => ({ group: p[0], symbols: p.slice(1), op: o.op }),
      modifyText,
    ),
    remindersCommand(),
    toolCommand<SetReminderOptions>(
      "set-reminder",
      "add, change, enable, disable or delete a price reminder",
      "futu_set_price_reminder",
      (c) =>
        c.argument("<symbol>")
          .option("--op <op>", REMINDER_OP.names.join(", "), "ADD")
          .option("--key <key>", "the reminder (futucli reminders) for DEL, ENABLE, DISABLE, MODIFY")
          .option("--type <type>", REMINDER_TYPE.names.join(", "))
          .option(
            "--value <v>",
            "price, percent (5 = 5%), shares or amount",
            numberArg("--value", { min: "0 or more" }),
          )
          .option("--freq <freq>", `${REMINDER_FREQ.names.join(", ")} (ADD default ONCE_A_DAY)`)
          .option("--note <text>", "up to 20 characters")
          .option("--sessions <list>", `US only: ${REMINDER_SESSION.names.join(",")}`, csv),
      (p, o) =>
        Object.fromEntries(
          Object.entries({
            symbol: p[0],
            op: o.op,
            key: o.key,
            reminder_type: o.type,
            value: o.value,
            freq: o.freq,
            note: o.note,
            sessions: o.sessions,
          }).filter(([, v]) => v !== undefined),
        ),
      setReminderText,
    ),
  ];
}

/** How futucli runs each tool of this file (see cli/terms.ts). */
export const WATCHLIST_TERMS: Readonly<Record<string, CliTerms>> = {
  futu_get_user_security_group: { command: "futucli watchlist-groups", args: { group_type: "--type" } },
  futu_get_user_security: { command: "futucli watchlist <group>", args: { group: "<group>" } },
  futu_modify_user_security: {
    command: "futucli watchlist-modify <group> <symbols...>",
    args: { group: "<group>", op: "--op", symbols: "<symbols...>" },
  },
  futu_get_price_reminder: { command: "futucli reminders", args: { symbol: "<symbols...>", market: "--market" } },
  futu_set_price_reminder: {
    command: "futucli set-reminder <symbol>",
    args: {
      symbol: "<symbol>",
      op: "--op",
      key: "--key",
      reminder_type: "--type",
      value: "--value",
      freq: "--freq",
      note: "--note",
      sessions: "--sessions",
    },
  },
};
