/**
 * `futucli sim`: runs the simulated OpenD on a TCP port until interrupted.
 *
 * @module
 */
import { Command, Option } from "commander";
import { numberArg } from "../common.ts";
import { CliError, EXIT } from "../exit_codes.ts";
import type { SimServer } from "../../src/sim/server.ts";
import { SIM_SECURITIES } from "../../src/sim/catalog.ts";
import { DEFAULT_ACCOUNTS } from "../../src/sim/accounts.ts";
import { errorMessage, grantHint } from "../../src/version.ts";

const POSITIVE_INT = { integer: true, min: "above 0" } as const;

/** Builds the `sim` command. */
export function simCommand(): Command {
  return new Command("sim")
    .description("run the simulated OpenD gateway (same TCP protocol as Futu OpenD)")
    .option("--listen <host:port>", "listen address", "127.0.0.1:11111")
    .option("--seed <n>", "seed of the deterministic market", numberArg("--seed", { integer: true }), 42)
    .option("--rsa-key <file>", "OpenD RSA private key (PEM): clients must then encrypt")
    .option("--clock <time>", "start the market clock at this ISO time (default: now)")
    .option("--clock-speed <x>", "run the market clock x times faster", "1")
    .option("--quota <n>", "subscription quota", numberArg("--quota", POSITIVE_INT), 100)
    .option(
      "--history-quota <n>",
      "history K-line quota (securities per 30 days)",
      numberArg("--history-quota", POSITIVE_INT),
      100,
    )
    .option(
      "--keepalive-interval <s>",
      "keepAliveInterval sent in InitConnect",
      numberArg("--keepalive-interval", POSITIVE_INT),
      10,
    )
    .option(
      "--idle-timeout <s>",
      "close connections without KeepAlive for this long",
      numberArg("--idle-timeout", POSITIVE_INT),
      30,
    )
    .option("--no-rate-limits", "do not enforce OpenD's per-protocol rate limits")
    .addOption(
      new Option("--replay <policy>", "replayed PacketIDs: drop (like OpenD) or error").choices(["drop", "error"])
        .default("drop"),
    )
    .option("--quiet", "do not log connections")
    .addHelpText(
      "after",
      `
Securities: ${SIM_SECURITIES.map((s) => s.symbol).join(", ")}
Accounts:   ${DEFAULT_ACCOUNTS.map((a) => `${a.accId} (${a.env} ${a.markets.join("/")})`).join(", ")}
The trade password of REAL accounts is read from FUTU_SIM_TRADE_PWD (default 123456).`,
    )
    .action(async (options) => {
      // Loaded here so that other futucli commands do not pay for the simulator and the protocol stack.
      const [{ parseHostPort }, { SimServer }, { simClockFrom }] = await Promise.all([
        import("../../src/gateway/client.ts"),
        import("../../src/sim/server.ts"),
        import("../../src/sim/options.ts"),
      ]);
      let address: { host: string; port: number };
      let clock: ReturnType<typeof simClockFrom>;
      try {
        address = parseHostPort(options.listen, "--listen");
        clock = simClockFrom(options.clock, options.clockSpeed);
      } catch (err) {
        throw new CliError(EXIT.usage, (err as Error).message);
      }
      let rsaKeyPem: string | undefined;
      try {
        rsaKeyPem = options.rsaKey ? await Deno.readTextFile(options.rsaKey) : undefined;
      } catch (err) {
        throw new CliError(EXIT.failure, `--rsa-key ${options.rsaKey}: ${errorMessage(err)}`);
      }
      const log = options.quiet ? undefined : (message: string) => console.error(`[sim] ${message}`);
      let sim: SimServer;
      try {
        sim = await SimServer.start({
          ...address,
          seed: options.seed,
          clock,
          rsaKeyPem,
          subscriptionQuota: options.quota,
          historyQuota: options.historyQuota,
          keepAliveIntervalSec: options.keepaliveInterval,
          idleTimeoutMs: options.idleTimeout * 1000,
          rateLimits: options.rateLimits,
          replayPolicy: options.replay,
          tradePassword: Deno.env.get("FUTU_SIM_TRADE_PWD") ?? "123456",
          log,
        });
      } catch (err) {
        if (err instanceof Deno.errors.NotCapable) {
          throw new CliError(
            EXIT.failure,
            `not permitted to listen on ${options.listen}: ${grantHint("net", options.listen)}`,
          );
        }
        if (err instanceof Deno.errors.AddrInUse) {
          throw new CliError(
            EXIT.failure,
            `${options.listen} is already in use (is OpenD or another simulator running?)`,
            "pass --listen host:port for another address",
          );
        }
        throw err;
      }
      console.error(`OpenD simulator listening on ${sim.address}${sim.encrypted ? " (RSA/AES)" : ""}; Ctrl-C to stop`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        Deno.addSignalListener("SIGINT", stop);
        if (Deno.build.os !== "windows") Deno.addSignalListener("SIGTERM", stop);
      });
      await sim.close();
    });
}
