/**
 * The trade password in the OS keychain (`set-trade-pwd`, `clear-trade-pwd`)
 * and unlocking OpenD with it (`unlock-trade`). The password is read from
 * standard input or a no-echo prompt, goes to the keychain or (as an MD5) to
 * OpenD, and is never printed.
 *
 * @module
 */
import { Command } from "commander";
import {
  KEYCHAIN_SERVICE,
  KeychainError,
  keychainPasswordSource,
  systemKeychain,
  TRADE_PASSWORD_ACCOUNT,
} from "../../src/services/keychain.ts";
import { envPasswordSource, firstOf, type TradePasswordSource } from "../../src/services/trade_password.ts";
import { SECURITY_FIRM } from "../../src/gateway/types.ts";
import { CliError, EXIT } from "../exit_codes.ts";
import { csv, emit, globalsOf } from "../common.ts";
import { withGateway } from "../runtime.ts";
import { promptSecret, secretFromStdin } from "../prompt.ts";

async function readNewPassword(fromStdin: boolean): Promise<string> {
  if (fromStdin) return await secretFromStdin();
  const first = await promptSecret("Trade password: ");
  if (!first) throw new CliError(EXIT.usage, "empty password");
  const second = await promptSecret("Again: ");
  if (first !== second) throw new CliError(EXIT.usage, "the two entries differ; nothing was stored");
  return first;
}

function keychainFailure(err: unknown): CliError {
  return new CliError(EXIT.failure, `OS keychain: ${(err as Error).message}`);
}

function setTradePwdCommand(): Command {
  return new Command("set-trade-pwd")
    .description(`store the trade password in the OS keychain (service "${KEYCHAIN_SERVICE}")`)
    .option("--from-stdin", "read it from standard input instead of prompting")
    .action(async (options: { fromStdin?: boolean }, cmd: Command) => {
      const password = await readNewPassword(options.fromStdin === true);
      const keychain = systemKeychain();
      try {
        await keychain.set(TRADE_PASSWORD_ACCOUNT, password);
      } catch (err) {
        throw keychainFailure(err);
      }
      const result = {
        stored: true,
        backend: keychain.backend,
        service: KEYCHAIN_SERVICE,
        account: TRADE_PASSWORD_ACCOUNT,
      };
      emit(cmd, result, () => `Stored the trade password in the OS keychain (${keychain.backend}).`);
    });
}

function clearTradePwdCommand(): Command {
  return new Command("clear-trade-pwd")
    .description("delete the trade password from the OS keychain")
    .action(async (_options: unknown, cmd: Command) => {
      const keychain = systemKeychain();
      let deleted: boolean;
      try {
        deleted = await keychain.delete(TRADE_PASSWORD_ACCOUNT);
      } catch (err) {
        throw keychainFailure(err);
      }
      emit(
        cmd,
        { deleted, backend: keychain.backend },
        () => deleted ? "Deleted the trade password from the OS keychain." : "The OS keychain held no trade password.",
      );
    });
}

function unlockTradeCommand(): Command {
  return new Command("unlock-trade")
    .description(
      "unlock real trading in OpenD (or --lock): password from stdin, FUTU_TRADE_PWD, the keychain, a prompt",
    )
    .option("--lock", "lock trading again")
    .option("--from-stdin", "read the password from standard input")
    .option("--acc-ids <list>", "only these REAL accounts", csv)
    .option("--security-firm <firm>", `the broker: ${SECURITY_FIRM.names.filter((n) => n !== "UNKNOWN").join(", ")}`)
    .action(
      async (
        options: { lock?: boolean; fromStdin?: boolean; accIds?: string[]; securityFirm?: string },
        cmd: Command,
      ) => {
        const sources: TradePasswordSource[] = [];
        if (options.fromStdin) {
          const password = await secretFromStdin();
          sources.push({ description: "standard input", read: () => Promise.resolve(password) });
        }
        sources.push(envPasswordSource(), keychainPasswordSource());
        if (Deno.stdin.isTerminal() && !options.fromStdin) {
          sources.push({ description: "a prompt", read: () => promptSecret("Trade password: ") });
        }
        const result = await withGateway(
          globalsOf(cmd),
          { passwords: firstOf(sources) },
          (session) =>
            session.call("futu_unlock_trade", {
              unlock: !options.lock,
              ...(options.accIds ? { acc_ids: options.accIds } : {}),
              ...(options.securityFirm ? { security_firm: options.securityFirm } : {}),
            }),
        )
          .catch((err) => {
            throw err instanceof KeychainError ? keychainFailure(err) : err;
          });
        emit(cmd, result, () => result.unlocked ? "Real trading is unlocked." : "Real trading is locked.");
      },
    );
}

/** The password commands. */
export function passwordCommands(): Command[] {
  return [setTradePwdCommand(), clearTradePwdCommand(), unlockTradeCommand()];
}
