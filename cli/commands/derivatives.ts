/**
 * Options, warrants and futures: futucli commands `option-expirations`,
 * `option-chain`, `warrants`, `related` and `future-info`, each running the
 * futu-mcp tool of the same purpose.
 *
 * @module
 */
import type { Command } from "commander";
import { csv, numberArg } from "../common.ts";
import type { CliTerms } from "../terms.ts";
import { toolCommand } from "./market.ts";

const COUNT = { integer: true, min: "above 0" } as const;
const OFFSET = { integer: true, min: "0 or more" } as const;

/** The arguments without the ones not given. */
function given(args: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined));
}

interface ChainOptions {
  expiry?: string;
  begin?: string;
  end?: string;
  type?: string;
  moneyness?: string;
  strikeMin?: number;
  strikeMax?: number;
  deltaMin?: number;
  deltaMax?: number;
  ivMin?: number;
  ivMax?: number;
  oiMin?: number;
  quotes: boolean;
}

interface WarrantOptions {
  type?: string[];
  issuer?: string[];
  status?: string;
  moneyness?: string;
  maturityBegin?: string;
  maturityEnd?: string;
  priceMin?: number;
  priceMax?: number;
  strikeMin?: number;
  strikeMax?: number;
  premiumMax?: number;
  leverageMin?: number;
  sort?: string;
  ascending?: boolean;
  offset?: number;
  count?: number;
}

/** The commands of this file. */
export function derivativeCommands(): Command[] {
  return [
    toolCommand(
      "option-expirations",
      'listed option expiries of an underlying, e.g. "US.AAPL"',
      "futu_get_option_expiration_date",
      (c) => c.argument("<symbol>"),
      (p) => ({ symbol: p[0] }),
    ),
    toolCommand<ChainOptions>(
      "option-chain",
      "option chain with prices, IV and delta (default: the nearest expiry)",
      "futu_get_option_chain",
      (c) =>
        c.argument("<symbol>")
          .option("--expiry <date>", 'one expiry, "YYYY-MM-DD"')
          .option("--begin <date>", "first expiry of a range")
          .option("--end <date>", "last expiry of a range (≤309 days after --begin)")
          .option("--type <type>", "CALL or PUT")
          .option("--moneyness <m>", "ITM or OTM")
          .option("--strike-min <price>", "lowest strike", numberArg("--strike-min"))
          .option("--strike-max <price>", "highest strike", numberArg("--strike-max"))
          .option("--delta-min <d>", "lowest delta", numberArg("--delta-min"))
          .option("--delta-max <d>", "highest delta", numberArg("--delta-max"))
          .option("--iv-min <pct>", "lowest implied volatility, percent", numberArg("--iv-min"))
          .option("--iv-max <pct>", "highest implied volatility, percent", numberArg("--iv-max"))
          .option("--oi-min <n>", "least open interest", numberArg("--oi-min"))
          .option("--no-quotes", "symbols only, no prices"),
      (p, o) =>
        given({
          symbol: p[0],
          expiry: o.expiry,
          begin: o.begin,
          end: o.end,
          type: o.type,
          moneyness: o.moneyness,
          strike_min: o.strikeMin,
          strike_max: o.strikeMax,
          delta_min: o.deltaMin,
          delta_max: o.deltaMax,
          iv_min: o.ivMin,
          iv_max: o.ivMax,
          oi_min: o.oiMin,
          quotes: o.quotes,
        }),
    ),
    toolCommand<WarrantOptions>(
      "warrants",
      "HK warrants and CBBCs, optionally of one underlying: filtered, sorted, paged",
      "futu_get_warrant",
      (c) =>
        c.argument("[symbol]", 'the underlying, e.g. "HK.00700"')
          .option("--type <types>", "comma-separated: CALL, PUT, BULL, BEAR, INLINE", csv)
          .option("--issuer <codes>", "comma-separated issuer codes, e.g. SG,HS", csv)
          .option("--status <status>", "NORMAL, SUSPEND, STOP_TRADE, PENDING_LISTING")
          .option("--moneyness <m>", "ITM or OTM")
          .option("--maturity-begin <date>", "earliest maturity")
          .option("--maturity-end <date>", "latest maturity")
          .option("--price-min <price>", "lowest price", numberArg("--price-min"))
          .option("--price-max <price>", "highest price", numberArg("--price-max"))
          .option("--strike-min <price>", "lowest strike", numberArg("--strike-min"))
          .option("--strike-max <price>", "highest strike", numberArg("--strike-max"))
          .option("--premium-max <pct>", "highest premium, percent", numberArg("--premium-max"))
          .option("--leverage-min <x>", "least leverage", numberArg("--leverage-min"))
          .option("--sort <field>", "SCORE (default), PREMIUM, EFFECTIVE_LEVERAGE, VOLUME, MATURITY…")
          .option("--ascending", "lowest first")
          .option("--offset <n>", "first row (0-based)", numberArg("--offset", OFFSET))
          .option("--count <n>", "rows (≤200)", numberArg("--count", COUNT)),
      (p, o) =>
        given({
          symbol: p[0],
          type: o.type,
          issuer: o.issuer,
          status: o.status,
          moneyness: o.moneyness,
          maturity_begin: o.maturityBegin,
          maturity_end: o.maturityEnd,
          price_min: o.priceMin,
          price_max: o.priceMax,
          strike_min: o.strikeMin,
          strike_max: o.strikeMax,
          premium_max: o.premiumMax,
          leverage_min: o.leverageMin,
          sort_by: o.sort,
          ascending: o.ascending,
          offset: o.offset,
          max_count: o.count,
        }),
    ),
    toolCommand<{ type: string }>(
      "related",
      "a stock's warrants, or a main futures contract's months (--type FUTURE)",
      "futu_get_reference",
      (c) => c.argument("<symbol>").option("--type <type>", "WARRANT or FUTURE", "WARRANT"),
      (p, o) => ({ symbol: p[0], type: o.type }),
    ),
    toolCommand(
      "future-info",
      'futures contract terms, e.g. "HK.HSImain"',
      "futu_get_future_info",
      (c) => c.argument("<symbols...>"),
      (p) => ({ symbols: p }),
    ),
  ];
}

/** How futucli runs each tool of this file (see cli/terms.ts). */
export const DERIVATIVE_TERMS: Readonly<Record<string, CliTerms>> = {
  futu_get_option_expiration_date: { command: "futucli option-expirations <symbol>", args: { symbol: "<symbol>" } },
  futu_get_option_chain: {
    command: "futucli option-chain <symbol>",
    args: {
      symbol: "<symbol>",
      expiry: "--expiry",
      begin: "--begin",
      end: "--end",
      type: "--type",
      moneyness: "--moneyness",
      strike_min: "--strike-min",
      strike_max: "--strike-max",
      delta_min: "--delta-min",
      delta_max: "--delta-max",
      iv_min: "--iv-min",
      iv_max: "--iv-max",
      oi_min: "--oi-min",
      quotes: "--no-quotes",
    },
  },
  futu_get_warrant: {
    command: "futucli warrants",
    args: {
      symbol: "<symbol>",
      type: "--type",
      issuer: "--issuer",
      status: "--status",
      moneyness: "--moneyness",
      maturity_begin: "--maturity-begin",
      maturity_end: "--maturity-end",
      price_min: "--price-min",
      price_max: "--price-max",
      strike_min: "--strike-min",
      strike_max: "--strike-max",
      premium_max: "--premium-max",
      leverage_min: "--leverage-min",
      sort_by: "--sort",
      ascending: "--ascending",
      offset: "--offset",
      max_count: "--count",
    },
  },
  futu_get_reference: { command: "futucli related <symbol>", args: { symbol: "<symbol>", type: "--type" } },
  futu_get_future_info: { command: "futucli future-info <symbols...>", args: { symbols: "<symbols...>" } },
};
