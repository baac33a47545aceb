/**
 * Account commands: `accounts`, `funds`, `positions`, `orders`, `deals`. Each
 * runs the futu-mcp tool of the same purpose. `--env` defaults to simulate, as
 * in futu-mcp; reading a REAL account needs no confirmation.
 *
 * @module
 */
import type { Command } from "commander";
import { toolCommand } from "./market.ts";

/** The account options every account and trade command takes. */
export interface AccountOptions {
  accId?: string;
  env?: string;
  market?: string;
}

/** Adds `--acc-id`, `--env`, `--market`. */
export function withAccount(command: Command): Command {
  return command
    .option("--acc-id <id>", "the account (default: the env's account for the market)")
    .option("--env <env>", "simulate (default) or real")
    .option("--market <market>", "HK, US, CN, HKCC, … (default: from the symbol or the order)");
}

/** The tool arguments of the account options. */
export function accountArgs(options: AccountOptions): Record<string, unknown> {
  return {
    ...(options.accId !== undefined ? { acc_id: options.accId } : {}),
    ...(options.env !== undefined ? { env: options.env } : {}),
    ...(options.market !== undefined ? { market: options.market } : {}),
  };
}

/** The account commands. */
export function accountCommands(): Command[] {
  return [
    toolCommand(
      "accounts",
      "trading accounts (ids, REAL or SIMULATE, markets)",
      "futu_list_accounts",
      (c) => c,
      () => ({}),
    ),
    toolCommand<AccountOptions & { currency?: string }>(
      "funds",
      "assets, cash, buying power, P/L",
      "futu_get_funds",
      (c) => withAccount(c).option("--currency <ccy>", "HKD, USD, CNH, …"),
      (_p, o) => ({ ...accountArgs(o), ...(o.currency ? { currency: o.currency } : {}) }),
    ),
    toolCommand<AccountOptions>("positions", "positions", "futu_get_positions", withAccount, (_p, o) => accountArgs(o)),
    toolCommand<AccountOptions & { orderId?: string }>(
      "orders",
      "today's and open orders",
      "futu_get_orders",
      (c) => withAccount(c).option("--order-id <id>", "only this order"),
      (_p, o) => ({ ...accountArgs(o), ...(o.orderId ? { order_id: o.orderId } : {}) }),
    ),
    toolCommand<AccountOptions>(
      "deals",
      "today's fills (real accounts)",
      "futu_get_deals",
      withAccount,
      (_p, o) => accountArgs(o),
    ),
  ];
}
