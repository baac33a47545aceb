/**
 * Trading days, IPOs, code changes and rehab factors: futucli commands
 * `trading-days`, `ipo-list`, `code-changes` and `rehab`, each running the
 * futu-mcp tool of the same purpose.
 *
 * @module
 */
import type { Command } from "commander";
import { CODE_CHANGE_TIME, CODE_CHANGE_TYPE, TRADE_DATE_MARKET } from "../../src/gateway/calendar_types.ts";
import type { CliTerms } from "../terms.ts";
import { toolCommand } from "./market.ts";

/** A comma-separated list option ("SPLIT,JOINT"), or undefined when not given. */
function list(value: string | undefined): string[] | undefined {
  return value === undefined ? undefined : value.split(",").map((v) => v.trim()).filter(Boolean);
}

/** The commands of this file. */
export function calendarCommands(): Command[] {
  return [
    toolCommand<{ symbol?: string; begin: string; end?: string }>(
      "trading-days",
      "trading days of a market (holidays and weekends left out; MORNING = half day)",
      "futu_get_trading_days",
      (c) =>
        c.argument("[market]", TRADE_DATE_MARKET.names.join(", "))
          .option("--symbol <symbol>", "the calendar of this security's market instead")
          .option("--begin <date>", '"YYYY-MM-DD" (default: today)', new Date().toISOString().slice(0, 10))
          .option("--end <date>", '"YYYY-MM-DD" (default: begin + 30 days)'),
      (p, o) => ({ market: p[0], symbol: o.symbol, begin: o.begin, end: o.end }),
    ),
    toolCommand(
      "ipo-list",
      "upcoming IPOs of a market: HK, US, SH or SZ (SH and SZ: all A-shares)",
      "futu_get_ipo_list",
      (c) => c.argument("<market>", "HK, US, SH, SZ"),
      (p) => ({ market: p[0] }),
    ),
    toolCommand<{ type?: string; timeField?: string; begin?: string; end?: string }>(
      "code-changes",
      "HK code changes and temporary codes (splits, consolidations, lot changes, GEM to Main Board)",
      "futu_get_code_change",
      (c) =>
        c.argument("[symbols...]", 'main or related codes, e.g. "HK.01357"')
          .option("--type <types>", `comma-separated: ${CODE_CHANGE_TYPE.names.join(", ")}`)
          .option("--time-field <field>", `date --begin/--end filter: ${CODE_CHANGE_TIME.names.join(", ")}`)
          .option("--begin <date>", '"YYYY-MM-DD"')
          .option("--end <date>", '"YYYY-MM-DD"'),
      (p, o) => ({
        symbols: p.length > 0 ? p : undefined,
        types: list(o.type),
        time_field: o.timeField,
        begin: o.begin,
        end: o.end,
      }),
    ),
    toolCommand(
      "rehab",
      "corporate actions and price adjustment factors of a stock",
      "futu_get_rehab",
      (c) => c.argument("<symbol>", 'e.g. "US.AAPL"'),
      (p) => ({ symbol: p[0] }),
    ),
  ];
}

/** How futucli runs each tool of this file (see cli/terms.ts). */
export const CALENDAR_TERMS: Readonly<Record<string, CliTerms>> = {
  futu_get_trading_days: {
    command: "futucli trading-days",
    args: { market: "<market>", symbol: "--symbol", begin: "--begin", end: "--end" },
  },
  futu_get_ipo_list: { command: "futucli ipo-list <market>", args: { market: "<market>" } },
  futu_get_code_change: {
    command: "futucli code-changes",
    args: { symbols: "<symbols...>", types: "--type", time_field: "--time-field", begin: "--begin", end: "--end" },
  },
  futu_get_rehab: { command: "futucli rehab <symbol>", args: { symbol: "<symbol>" } },
};
