/**
 * futucli: the operator's tool for futu-mcp and Futu OpenD — API keys, the
 * trade password in the OS keychain, unlocking, market, account and trade
 * commands, MCP client configuration, and the simulated OpenD. Every command
 * takes `-o table|json|jsonl`; exit codes are listed in `exit_codes.ts`.
 *
 *   futucli gen-key --id bot --scopes qot:read,acc:read,trade:simulate
 *   futucli -o json quote HK.00700
 *   futucli sim
 *   futucli completion bash > ~/.local/share/bash-completion/completions/futucli
 *
 * @module
 */
import { Command, CommanderError, Option } from "commander";
import { accountCommands } from "./commands/account.ts";
import { keyCommands } from "./commands/keys.ts";
import { marketCommands } from "./commands/market.ts";
import { mcpConfigCommand } from "./commands/mcp_config.ts";
import { passwordCommands } from "./commands/passwords.ts";
import { simCommand } from "./commands/sim.ts";
import { addCompletion } from "./commands/completion.ts";
import { tradeCommands } from "./commands/trade.ts";
import { derivativeCommands } from "./commands/derivatives.ts";
import { researchCommands } from "./commands/research.ts";
import { calendarCommands } from "./commands/calendar.ts";
import { watchlistCommands } from "./commands/watchlist.ts";
import { ledgerCommands } from "./commands/ledger.ts";
import { systemCommands } from "./commands/system.ts";
import { researchGroup } from "./commands/research_group.ts";
import { parseFormat } from "./common.ts";
import { CliError, EXIT } from "./exit_codes.ts";
import { refusalMessage, versionText } from "../src/version.ts";

const EXIT_CODES_HELP = `
Exit codes: 0 ok, 1 failure, 2 usage (a bad flag or argument; an account, order or key that does not fit or exist),
3 refused (password, --confirm), 4 OpenD unreachable, 5 OpenD error,
6 trade outcome unknown (check orders; do not repeat blindly).`;

/** Builds the futucli program. */
export function program(): Command {
  const cli = new Command("futucli")
    .description("operate futu-mcp and talk to Futu OpenD")
    .version(versionText("futucli"), "-V, --version")
    .addOption(
      new Option("--gateway <host:port>", "OpenD address").env("FUTU_GATEWAY").default("127.0.0.1:11111"),
    )
    .addOption(new Option("-o, --output <format>", "table, json or jsonl").argParser(parseFormat).default("table"))
    .option("--rsa-key <file>", "OpenD's RSA private key: encrypt the link")
    .addHelpText("after", EXIT_CODES_HELP)
    .showHelpAfterError("(add --help for usage)");
  const commands = [
    ...keyCommands(),
    ...passwordCommands(),
    ...marketCommands(),
    ...accountCommands(),
    ...tradeCommands(),
    ...derivativeCommands(),
    ...researchCommands(),
    ...calendarCommands(),
    ...watchlistCommands(),
    ...ledgerCommands(),
    ...systemCommands(),
    researchGroup(),
    mcpConfigCommand(),
    simCommand(),
  ];
  for (const command of commands) cli.addCommand(command.showHelpAfterError("(add --help for usage)"));
  addCompletion(cli);
  return cli;
}

/** Runs futucli with arguments; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const cli = program().exitOverride();
  // Subcommands of groups too ("research profile"): a usage error is an exit code, never a process exit.
  const override = (parent: Command) => {
    for (const command of parent.commands) override(command.exitOverride());
  };
  override(cli);
  try {
    await cli.parseAsync(args, { from: "user" });
    return EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (err instanceof CliError) {
      console.error(`futucli: ${err.message}${err.hint ? `\nhint: ${err.hint}` : ""}`);
      return err.exitCode;
    }
    if (err instanceof Deno.errors.NotCapable) {
      console.error(`futucli: ${refusalMessage(err)}`);
      return EXIT.failure;
    }
    console.error(`futucli: ${(err as Error).message}`);
    return EXIT.failure;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
