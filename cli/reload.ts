/**
 * Making a running futu-mcp see a keys.json change: SIGHUP to the process
 * named by `--pid-file` (futu-mcp's own `--pid-file`) or `--reload-pid`, or
 * the exact command to run. The pid is resolved before keys.json changes; a
 * failed signal afterwards is reported, not fatal, because the change is made.
 * The signal is sent with the `kill` command: `Deno.kill` would need
 * permission to run any program.
 *
 * @module
 */
import { CliError, EXIT } from "./exit_codes.ts";
import { errorMessage } from "../src/version.ts";

/** What happened about the reload. */
export interface ReloadOutcome {
  reloaded: boolean;
  pid?: number;
  /** What to do when nothing was signalled. */
  instruction?: string;
}

/** The reload options of a command that changes keys.json. */
export interface ReloadOptions {
  pidFile?: string;
  reloadPid?: string;
}

/** The process to signal, checked before anything changes (undefined: none named). */
export async function reloadTarget(options: ReloadOptions): Promise<number | undefined> {
  let text: string | undefined = options.reloadPid;
  if (text === undefined && options.pidFile !== undefined) {
    try {
      text = (await Deno.readTextFile(options.pidFile)).trim();
    } catch (err) {
      throw new CliError(EXIT.failure, `cannot read the pid file: ${errorMessage(err)}`);
    }
  }
  if (text === undefined) return undefined;
  const pid = Number(text);
  if (!/^\d+$/.test(text) || pid <= 1) throw new CliError(EXIT.usage, `not a process id: ${JSON.stringify(text)}`);
  return pid;
}

/** Signals futu-mcp, or says how to; never throws. */
export async function reloadFutuMcp(pid: number | undefined): Promise<ReloadOutcome> {
  if (pid === undefined) {
    return {
      reloaded: false,
      instruction: Deno.build.os === "windows"
        ? "restart futu-mcp to apply the change"
        : "a running futu-mcp applies the change after: kill -HUP <its pid> (or pass --pid-file / --reload-pid)",
    };
  }
  if (Deno.build.os === "windows") {
    return { reloaded: false, pid, instruction: "Windows has no SIGHUP: restart futu-mcp to apply the change" };
  }
  try {
    const out = await new Deno.Command("kill", { args: ["-HUP", String(pid)], stdout: "null", stderr: "piped" })
      .output();
    if (out.success) return { reloaded: true, pid };
    const why = new TextDecoder().decode(out.stderr).trim();
    return {
      reloaded: false,
      pid,
      instruction: `signalling pid ${pid} failed (${why}): run kill -HUP <futu-mcp's pid>`,
    };
  } catch (err) {
    return {
      reloaded: false,
      pid,
      instruction: `cannot run kill (${(err as Error).message}): run kill -HUP ${pid}`,
    };
  }
}

/** One line for a person. */
export function describeReload(outcome: ReloadOutcome): string {
  return outcome.reloaded ? `Reloaded futu-mcp (pid ${outcome.pid}).` : `Note: ${outcome.instruction}.`;
}
