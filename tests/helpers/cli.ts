/**
 * Runs the real futucli as a process, from source, with least-privilege flags.
 *
 * @module
 */
import { childEnv } from "./mcp.ts";

/** The Deno arguments that run futucli with these arguments. */
export function futucliCommand(args: string[]): string[] {
  return [
    "run",
    "--quiet",
    "--no-prompt",
    "--allow-net=127.0.0.1",
    "--allow-read=.",
    "--allow-write=.test-tmp",
    "--allow-run=secret-tool,kill",
    "--allow-env=FUTU_*,PATH",
    "--ignore-env",
    "cli/main.ts",
    ...args,
  ];
}

/** What a futucli run printed and how it ended. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON. */
  json<T = Record<string, unknown>>(): T;
}

/** Runs futucli to completion; `stdin` is written to its standard input. */
export async function futucli(
  args: string[],
  options: { env?: Record<string, string>; stdin?: string } = {},
): Promise<CliRun> {
  const child = new Deno.Command("deno", {
    args: futucliCommand(args),
    env: childEnv(options.env),
    clearEnv: true,
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (options.stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(options.stdin));
    await writer.close();
  }
  const out = await child.output();
  const stdout = new TextDecoder().decode(out.stdout);
  const stderr = new TextDecoder().decode(out.stderr);
  return {
    code: out.code,
    stdout,
    stderr,
    json<T>() {
      try {
        return JSON.parse(stdout) as T;
      } catch {
        throw new Error(`futucli ${args.join(" ")} printed no JSON (exit ${out.code}):\n${stdout}\n${stderr}`);
      }
    },
  };
}
