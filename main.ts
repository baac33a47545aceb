/**
 * futu-mcp: the Model Context Protocol server for Futu OpenD.
 *
 *   futu-mcp --gateway 127.0.0.1:11111            # stdio, for LLM clients that launch it
 *   futu-mcp --gateway sim                        # on the embedded simulated OpenD
 *   futu-mcp --http-listen 127.0.0.1:38765        # Streamable HTTP on /mcp
 *
 * @module
 */
import { HELP, loadOptions, UsageError } from "./src/app/options.ts";
import { startFutuMcp } from "./src/app/futu_mcp.ts";
import { refusalMessage, versionText } from "./src/version.ts";

async function main(): Promise<number> {
  let options;
  try {
    options = loadOptions(Deno.args);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`futu-mcp: ${err.message}\nRun futu-mcp --help for the options.`);
      return 2;
    }
    throw err;
  }
  if (options.help) {
    console.log(HELP);
    return 0;
  }
  if (options.version) {
    console.log(versionText("futu-mcp"));
    return 0;
  }
  let app;
  try {
    app = await startFutuMcp(options);
  } catch (err) {
    const message = err instanceof Deno.errors.NotCapable ? refusalMessage(err) : (err as Error).message;
    console.error(`futu-mcp: ${message}`);
    return 1;
  }
  if (options.pidFile) {
    try {
      await Deno.writeTextFile(options.pidFile, `${Deno.pid}\n`);
    } catch (err) {
      console.error(`futu-mcp: cannot write the pid file: ${(err as Error).message}`);
      await app.close();
      return 1;
    }
  }
  const stopped = new Promise<string>((resolve) => {
    Deno.addSignalListener("SIGINT", () => resolve("SIGINT"));
    if (Deno.build.os !== "windows") Deno.addSignalListener("SIGTERM", () => resolve("SIGTERM"));
  });
  if (Deno.build.os !== "windows") {
    // kill -HUP: reload keys.json; kill -USR1: halt trading (kill switch); kill -USR2: resume.
    Deno.addSignalListener("SIGHUP", () => app.access.reload());
    Deno.addSignalListener("SIGUSR1", () => {
      app.access.killSwitch.engage("halted by SIGUSR1").then(
        () => console.error("futu-mcp: trading HALTED (SIGUSR1): new orders and modifications are refused"),
        (err) =>
          console.error(
            `futu-mcp: trading HALTED on this replica (SIGUSR1), but the shared state did not take it, so other ` +
              `replicas may still trade: ${(err as Error).message}`,
          ),
      );
    });
    Deno.addSignalListener("SIGUSR2", () => {
      app.access.killSwitch.release().then(
        () => console.error("futu-mcp: trading resumed (SIGUSR2)"),
        (err) => console.error(`futu-mcp: trading still HALTED: cannot resume (SIGUSR2): ${(err as Error).message}`),
      );
    });
  }
  const reason = await Promise.race([
    stopped,
    app.stdioClosed?.then(() => "stdin closed") ?? new Promise<never>(() => {}),
  ]);
  console.error(`futu-mcp: shutting down (${reason})`);
  await app.close();
  if (options.pidFile) await Deno.remove(options.pidFile).catch(() => {});
  return 0;
}

if (import.meta.main) Deno.exit(await main());
