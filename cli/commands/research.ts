/**
 * Capital flow, holders, the stock filter and owner plates: futucli commands
 * `capital-flow`, `capital-distribution`, `holding-changes`, `screen` and
 * `owner-plates`, each running the futu-mcp tool of the same purpose.
 *
 * @module
 */
import { Command } from "commander";
import { HOLDER_CATEGORY, PERIOD_TYPE } from "../../src/gateway/research_types.ts";
import { numberArg } from "../common.ts";
import { CliError, EXIT } from "../exit_codes.ts";
import type { CliTerms } from "../terms.ts";
import { toolCommand } from "./market.ts";

const COUNT = { integer: true, min: "above 0" } as const;

/** One `--filter FIELD[:MIN[:MAX[:DAYS|QUARTER]]]`, e.g. "PE_ANNUAL:5:20", "CHANGE_RATE:0::5", "MARKET_VAL". */
export function parseFilter(text: string): Record<string, unknown> {
  const [field, min, max, extra, ...rest] = text.split(":").map((part) => part.trim());
  if (!field || rest.length > 0) {
    throw new CliError(EXIT.usage, `--filter expects FIELD[:MIN[:MAX[:DAYS|QUARTER]]], got ${JSON.stringify(text)}`);
  }
  const bound = (value: string | undefined, what: string) => {
    if (value === undefined || value === "") return undefined;
    const n = Number(value);
    if (!Number.isFinite(n)) {
      throw new CliError(EXIT.usage, `--filter ${field}: ${what} must be a number, got ${value}`);
    }
    return n;
  };
  const filter: Record<string, unknown> = { field };
  const lo = bound(min, "MIN");
  const hi = bound(max, "MAX");
  if (lo !== undefined) filter.min = lo;
  if (hi !== undefined) filter.max = hi;
  if (extra) {
    if (/^\d+$/.test(extra)) filter.days = Number(extra);
    else filter.quarter = extra;
  }
  return filter;
}

/** Adds `--sort FIELD[:asc|desc]` to the filter of that field, or a column-only filter for it. */
function withSort(filters: Record<string, unknown>[], sort: string | undefined): Record<string, unknown>[] {
  if (sort === undefined) return filters;
  const [field, dir = "asc", ...rest] = sort.split(":").map((part) => part.trim());
  if (!field || rest.length > 0 || !/^(asc|desc)$/i.test(dir)) {
    throw new CliError(EXIT.usage, `--sort expects FIELD[:asc|desc], got ${JSON.stringify(sort)}`);
  }
  const same = (f: Record<string, unknown>) =>
    String(f.field).toUpperCase().replace(/[- ]/g, "_") === field.toUpperCase().replace(/[- ]/g, "_");
  const target = filters.find(same);
  if (target) return filters.map((f) => f === target ? { ...f, sort: dir.toLowerCase() } : f);
  return [...filters, { field, sort: dir.toLowerCase() }];
}

/** The commands of this file. */
export function researchCommands(): Command[] {
  return [
    toolCommand<{ period: string; begin?: string; end?: string }>(
      "capital-flow",
      "net capital inflow by order size: today per minute, or per day/week/month",
      "futu_get_capital_flow",
      (c) =>
        c.argument("<symbol>", 'e.g. "HK.00700"')
          .option("--period <period>", PERIOD_TYPE.names.join(", "), "INTRADAY")
          .option("--begin <date>", '"YYYY-MM-DD" (DAY, WEEK, MONTH)')
          .option("--end <date>", '"YYYY-MM-DD" (default: today)'),
      (p, o) => ({ symbol: p[0], period: o.period, begin: o.begin, end: o.end }),
    ),
    toolCommand(
      "capital-distribution",
      "today's turnover by order size, in and out",
      "futu_get_capital_distribution",
      (c) => c.argument("<symbol>"),
      (p) => ({ symbol: p[0] }),
    ),
    toolCommand<{ holder: string; begin?: string; end?: string; count: number }>(
      "holding-changes",
      "major holders' disclosed position changes (US stocks)",
      "futu_get_holding_change",
      (c) =>
        c.argument("<symbol>", 'e.g. "US.AAPL"')
          .option("--holder <category>", HOLDER_CATEGORY.names.join(", "), "INSTITUTE")
          .option("--begin <date>", "published from (YYYY-MM-DD[ HH:MM:SS])")
          .option("--end <date>", "published until")
          .option("--count <n>", "rows (≤500)", numberArg("--count", COUNT), 50),
      (p, o) => ({ symbol: p[0], holder: o.holder, begin: o.begin, end: o.end, max_count: o.count }),
    ),
    toolCommand<
      {
        market: string;
        plate?: string;
        filter: Record<string, unknown>[];
        sort?: string;
        offset: number;
        count: number;
      }
    >(
      "screen",
      "screen a market's stocks: --filter FIELD[:MIN[:MAX[:DAYS|QUARTER]]] (repeatable), e.g. PE_ANNUAL:5:20",
      "futu_get_stock_filter",
      (c) =>
        c.requiredOption("--market <market>", "HK, US, SH or SZ (SH/SZ: the A-share market)")
          .option("--plate <plate>", 'only this plate, e.g. "HK.BK1910"')
          .option(
            "--filter <spec>",
            "FIELD[:MIN[:MAX[:DAYS|QUARTER]]]; empty bounds are open, no bounds only shows the field",
            (value: string, previous: Record<string, unknown>[]) => [...previous, parseFilter(value)],
            [],
          )
          .option("--sort <field>", "FIELD[:asc|desc] (a field of --filter, or one more column)")
          .option(
            "--offset <n>",
            "first result (0-based)",
            numberArg("--offset", { integer: true, min: "0 or more" }),
            0,
          )
          .option("--count <n>", "results per page (≤200)", numberArg("--count", COUNT), 50),
      (_p, o) => ({
        market: o.market,
        plate: o.plate,
        filters: withSort(o.filter, o.sort),
        offset: o.offset,
        max_count: o.count,
      }),
    ),
    toolCommand(
      "owner-plates",
      "the plates each security belongs to",
      "futu_get_owner_plate",
      (c) => c.argument("<symbols...>", 'e.g. "HK.00700 US.AAPL"'),
      (p) => ({ symbols: p }),
    ),
  ];
}

/** How futucli runs each tool of this file (see cli/terms.ts). */
export const RESEARCH_TERMS: Readonly<Record<string, CliTerms>> = {
  futu_get_capital_flow: {
    command: "futucli capital-flow <symbol>",
    args: { symbol: "<symbol>", period: "--period", begin: "--begin", end: "--end" },
  },
  futu_get_capital_distribution: { command: "futucli capital-distribution <symbol>", args: { symbol: "<symbol>" } },
  futu_get_holding_change: {
    command: "futucli holding-changes <symbol>",
    args: { symbol: "<symbol>", holder: "--holder", begin: "--begin", end: "--end", max_count: "--count" },
  },
  futu_get_stock_filter: {
    command: "futucli screen",
    args: { market: "--market", plate: "--plate", filters: "--filter", offset: "--offset", max_count: "--count" },
  },
  futu_get_owner_plate: { command: "futucli owner-plates <symbols...>", args: { symbols: "<symbols...>" } },
};
