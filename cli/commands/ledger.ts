/**
 * Order history, cash flow, margin, fees and tradable quantities: futucli
 * commands `history-orders`, `history-deals`, `cash-flow`, `margin-ratio`,
 * `max-qty`, `order-fee`. Each runs the futu-mcp tool of the same purpose;
 * reading a REAL account needs no confirmation. `cancel-all` (trade.ts) has its
 * terms here too, with the other tools of this work.
 *
 * @module
 */
import type { Command } from "commander";
import { ORDER_STATUS, ORDER_TYPE } from "../../src/gateway/types.ts";
import { numberArg } from "../common.ts";
import type { CliTerms } from "../terms.ts";
import { accountArgs, type AccountOptions, withAccount } from "./account.ts";
import { toolCommand } from "./market.ts";

interface RangeOptions extends AccountOptions {
  begin?: string;
  end?: string;
  symbols?: string[];
}

function withRange(command: Command): Command {
  return withAccount(command)
    .option("--begin <date>", '"YYYY-MM-DD" (or with " HH:MM:SS"), market-local (default: 30 days ago)')
    .option("--end <date>", "end of the range (default: today)")
    .option("--symbols <symbols...>", 'only these, e.g. "HK.00700 US.AAPL"');
}

function rangeArgs(o: RangeOptions): Record<string, unknown> {
  return {
    ...accountArgs(o),
    ...(o.begin ? { begin: o.begin } : {}),
    ...(o.end ? { end: o.end } : {}),
    ...(o.symbols ? { symbols: o.symbols } : {}),
  };
}

/** The commands of this file. */
export function ledgerCommands(): Command[] {
  return [
    toolCommand<RangeOptions & { statuses?: string[] }>(
      "history-orders",
      "orders of a date range (every market of the account unless --market)",
      "futu_get_history_orders",
      (c) => withRange(c).option("--statuses <statuses...>", `only these: ${ORDER_STATUS.names.join(", ")}`),
      (_p, o) => ({ ...rangeArgs(o), ...(o.statuses ? { statuses: o.statuses } : {}) }),
    ),
    toolCommand<RangeOptions>(
      "history-deals",
      "fills of a date range (real accounts)",
      "futu_get_history_deals",
      withRange,
      (_p, o) => rangeArgs(o),
    ),
    toolCommand<AccountOptions & { direction?: string }>(
      "cash-flow",
      "cash movements cleared on a date: deposits, trades, fees (real accounts)",
      "futu_get_acc_cash_flow",
      (c) => withAccount(c).argument("<date>", '"YYYY-MM-DD"').option("--direction <dir>", "IN or OUT"),
      (p, o) => ({ ...accountArgs(o), date: p[0], ...(o.direction ? { direction: o.direction } : {}) }),
    ),
    toolCommand<AccountOptions>(
      "margin-ratio",
      "margin terms: marginable, shortable, initial and maintenance ratios, borrow rate",
      "futu_get_margin_ratio",
      (c) => withAccount(c).argument("<symbols...>", 'e.g. "US.AAPL US.TSLA"'),
      (p, o) => ({ ...accountArgs(o), symbols: p }),
    ),
    toolCommand<AccountOptions & { price?: number; type?: string }>(
      "max-qty",
      "the most you can buy (cash, margin), sell and sell short at a price",
      "futu_get_max_trd_qtys",
      (c) =>
        withAccount(c).argument("<symbol>")
          .option("--price <p>", "limit price (default: the last price)", numberArg("--price", { min: "above 0" }))
          .option("--type <order_type>", ORDER_TYPE.names.join(", ")),
      (p, o) => ({
        ...accountArgs(o),
        symbol: p[0],
        ...(o.price !== undefined ? { price: o.price } : {}),
        ...(o.type ? { order_type: o.type } : {}),
      }),
    ),
    toolCommand<AccountOptions>(
      "order-fee",
      "fees charged for orders (real accounts), by order id or order_id_ex",
      "futu_get_order_fee",
      (c) => withAccount(c).argument("<order-ids...>"),
      (p, o) => ({ ...accountArgs(o), order_ids: p }),
    ),
  ];
}

const ACCOUNT = { acc_id: "--acc-id", env: "--env", market: "--market" } as const;
const RANGE = { ...ACCOUNT, begin: "--begin", end: "--end", symbols: "--symbols" } as const;

/** How futucli runs each tool of this file (see cli/terms.ts). */
export const LEDGER_TERMS: Readonly<Record<string, CliTerms>> = {
  futu_get_history_orders: { command: "futucli history-orders", args: { ...RANGE, statuses: "--statuses" } },
  futu_get_history_deals: { command: "futucli history-deals", args: RANGE },
  futu_get_acc_cash_flow: {
    command: "futucli cash-flow <date>",
    args: { ...ACCOUNT, date: "<date>", direction: "--direction" },
  },
  futu_get_margin_ratio: {
    command: "futucli margin-ratio <symbols...>",
    args: { ...ACCOUNT, symbols: "<symbols...>" },
  },
  futu_get_max_trd_qtys: {
    command: "futucli max-qty <symbol>",
    args: { ...ACCOUNT, symbol: "<symbol>", price: "--price", order_type: "--type" },
  },
  futu_get_order_fee: {
    command: "futucli order-fee <order-ids...>",
    args: { ...ACCOUNT, order_ids: "<order-ids...>" },
  },
  futu_cancel_all_order: {
    command: "futucli cancel-all",
    args: { ...ACCOUNT, idempotency_key: "(set by futucli)", confirm_token: "--confirm" },
  },
};
