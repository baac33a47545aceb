/**
 * `futucli sim`: runs the simulated OpenD on a TCP port until interrupted.
 *
 * @module
 */
import { Command, InvalidArgumentError } from "commander";
import type { SimServer } from "../../src/sim/server.ts";
import { SIM_SECURITIES } from "../../src/sim/catalog.ts";
import { DEFAULT_ACCOUNTS } from "../../src/sim/accounts.ts";
import { grantHint } from "../../src/version.ts";

function positiveInt(what: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`${what} must be a positive integer`);
    return n;
  };
}

/** Builds the `sim` command. */
export function simCommand(): Command {
  return new Command("sim")
    .description("run the simulated OpenD gateway (same TCP protocol as Futu OpenD)")
    .option("--listen <host:port>", "listen address", "127.0.0.1:11111")
    .option("--seed <n>", "seed of the deterministic market", "42")
    .option("--rsa-key <file>", "OpenD RSA private key (PEM): clients must then encrypt")
    .option("--clock <time>", "start the market clock at this ISO time (default: now)")
    .option("--clock-speed <x>", "run the market clock x times faster", "1")
    .option("--quota <n>", "subscription quota", positiveInt("--quota"), 100)
    .option("--history-quota <n>", "history K-line quota (securities per 30 days)", positiveInt("--history-quota"), 100)
    .option(
      "--keepalive-interval <s>",
      "keepAliveInterval sent in InitConnect",
      positiveInt("--keepalive-interval"),
      10,
    )
    .option(
      "--idle-timeout <s>",
      "close connections without KeepAlive for this long",
      positiveInt("--idle-timeout"),
      30,
    )
    .option("--no-rate-limits", "do not enforce OpenD's per-protocol rate limits")
    .option("--replay <policy>", "replayed PacketIDs: drop (like OpenD) or error", "drop")
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
      const { host, port } = parseHostPort(options.listen, "--listen");
      if (options.replay !== "drop" && options.replay !== "error") {
        throw new InvalidArgumentError("--replay must be drop or error");
      }
      const rsaKeyPem = options.rsaKey ? await Deno.readTextFile(options.rsaKey) : undefined;
      const log = options.quiet ? undefined : (message: string) => console.error(`[sim] ${message}`);
      let sim: SimServer;
      try {
        sim = await SimServer.start({
          host,
          port,
          seed: Number(options.seed),
          clock: simClockFrom(options.clock, options.clockSpeed),
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
          throw new Error(`not permitted to listen on ${options.listen}: ${grantHint("net", options.listen)}`);
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
