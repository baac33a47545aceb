/**
 * OpenD itself: market state, global state, subscriptions and quotas, the user and delays: futucli commands
 * `market-state`, `global-state`, `subscriptions`, `kl-quota`, `user-info`, `delay-stats`. Each runs the
 * futu-mcp tool of the same purpose.
 *
 * @module
 */
import type { Command } from "commander";
import { csv, numberArg } from "../common.ts";
import type { CliTerms } from "../terms.ts";
import { toolCommand } from "./market.ts";

/** The commands of this file. */
export function systemCommands(): Command[] {
  return [
    toolCommand(
      "market-state",
      "trading state of each security's market",
      "futu_get_market_state",
      (c) => c.argument("<symbols...>", 'e.g. "HK.00700 US.AAPL"'),
      (p) => ({ symbols: p }),
    ),
    toolCommand(
      "global-state",
      "OpenD's market states, login flags, version",
      "futu_get_global_state",
      (c) => c,
      () => ({}),
    ),
    toolCommand<{ all?: boolean }>(
      "subscriptions",
      "quote subscriptions and OpenD's subscription quota",
      "futu_query_subscription",
      (c) => c.option("--all", "every connection of this OpenD, not only futucli's"),
      (_p, o) => ({ all_connections: o.all === true }),
    ),
    toolCommand<{ detail?: boolean }>(
      "kl-quota",
      "history K-line quota (securities per 30 days)",
      "futu_get_history_kl_quota",
      (c) => c.option("--detail", "list the securities counted"),
      (_p, o) => ({ detail: o.detail === true }),
    ),
    toolCommand("user-info", "the OpenD user, quotas and quote rights", "futu_get_user_info", (c) => c, () => ({})),
    toolCommand<{ type?: string[]; stage?: string; segments?: number[] }>(
      "delay-stats",
      "OpenD's push, request and order delay statistics",
      "futu_get_delay_statistics",
      (c) =>
        c
          .option("--type <types>", "QOT_PUSH, REQ_REPLY, PLACE_ORDER, comma-separated (default: all)", csv)
          .option("--stage <stage>", "push stage: SR2CS (default), SR2SS, SS2CR, CR2CS, SS2CS")
          .option(
            "--segments <ms>",
            'bucket bounds in ms, comma-separated, e.g. "10,50,100,-1"',
            (value: string) => csv(value).map(numberArg("--segments", { integer: true })),
          ),
      (_p, o) => ({
        ...(o.type ? { types: o.type } : {}),
        ...(o.stage ? { push_stage: o.stage } : {}),
        ...(o.segments ? { segments: o.segments } : {}),
      }),
    ),
  ];
}

/** How futucli runs each tool of this file (see cli/terms.ts). */
export const SYSTEM_TERMS: Readonly<Record<string, CliTerms>> = {
  futu_get_market_state: { command: "futucli market-state <symbols...>", args: { symbols: "<symbols...>" } },
  futu_get_global_state: { command: "futucli global-state", args: {} },
  futu_query_subscription: { command: "futucli subscriptions", args: { all_connections: "--all" } },
  futu_get_history_kl_quota: { command: "futucli kl-quota", args: { detail: "--detail" } },
  futu_get_user_info: { command: "futucli user-info", args: {} },
  futu_get_delay_statistics: {
    command: "futucli delay-stats",
    args: { types: "--type", push_stage: "--stage", segments: "--segments" },
  },
};
