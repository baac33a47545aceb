/**
 * Runs the real MCP clients pinned in `.ci/clients` (Claude Code, Gemini CLI,
 * Codex CLI, mcp-remote, the MCP Inspector) offline, each in its own
 * temporary HOME so that no run reads or writes the real home or another
 * run's config.
 *
 * @module
 */
import { join } from "node:path";
import { childEnv } from "./mcp.ts";
import { tempDir } from "./tmp.ts";

/** Where `npm ci --prefix .ci/clients` puts the clients' executables. */
export const CLIENTS_BIN = join(Deno.cwd(), ".ci/clients/node_modules/.bin");

/** The clients this helper runs. */
export type ClientName = "claude" | "gemini" | "codex" | "mcp-remote" | "mcp-inspector";

/** Whether the clients are installed. */
export async function clientsInstalled(): Promise<boolean> {
  return await Deno.stat(join(CLIENTS_BIN, "claude")).then(() => true, () => false);
}

/**
 * The `ignore` of a test that needs the clients: true (with the reason printed) when they are missing;
 * with FUTU_TEST_REQUIRE_CLIENTS=1 (CI) a missing install fails instead.
 */
export async function clientsMissing(testFile: string): Promise<boolean> {
  if (await clientsInstalled()) return false;
  if (Deno.env.get("FUTU_TEST_REQUIRE_CLIENTS") === "1") {
    throw new Error(`FUTU_TEST_REQUIRE_CLIENTS=1 but ${CLIENTS_BIN} is missing (npm ci --prefix .ci/clients)`);
  }
  console.log(`skipping ${testFile}: .ci/clients is not installed (npm ci --prefix .ci/clients)`);
  return true;
}

/** A client's HOME and the project folder in it that the client runs in. */
export interface ClientHome {
  home: string;
  project: string;
}

/** A fresh absolute HOME under `.test-tmp/`, with an empty project folder to run the client in. */
export async function clientHome(prefix: string): Promise<ClientHome> {
  const home = join(Deno.cwd(), await tempDir(prefix));
  const project = join(home, "project");
  await Deno.mkdir(project);
  return { home, project };
}

/** How to run a client. */
export interface RunClientOptions {
  /** The client's HOME (and CODEX_HOME under it). */
  home: string;
  /** Working directory; default `home`. */
  cwd?: string;
  /** Extra environment (a key goes here, never in `args`). */
  env?: Record<string, string>;
  /** Written to the client's stdin; without `until` stdin is then closed. */
  stdin?: string;
  /** Keeps stdin open until the stdout so far satisfies this (for clients that stop when stdin ends). */
  until?: (stdout: string) => boolean;
  /** The client is killed after this long; default 60 s. */
  timeoutMs?: number;
}

/** What a client printed and how it ended. */
export interface ClientRun {
  code: number;
  stdout: string;
  stderr: string;
  /** The run was killed at `timeoutMs`. */
  timedOut: boolean;
}

/** Runs a client to completion. Claude Code is a native executable; the others are node scripts. */
export function runClient(name: ClientName, args: string[], options: RunClientOptions): Promise<ClientRun> {
  const executable = join(CLIENTS_BIN, name);
  return name === "claude"
    ? runInClientEnv(executable, args, options)
    : runInClientEnv("node", [executable, ...args], options);
}

/**
 * Runs `command` (a client, or e.g. `sh` for a printed command line that starts one) to completion with only
 * PATH (the clients' bin first), HOME, CODEX_HOME and Deno's cache from this environment, plus `env`.
 */
export async function runInClientEnv(command: string, args: string[], options: RunClientOptions): Promise<ClientRun> {
  const child = new Deno.Command(command, {
    args,
    cwd: options.cwd ?? options.home,
    env: {
      ...childEnv({
        HOME: options.home,
        CODEX_HOME: join(options.home, ".codex"),
        PATH: `${CLIENTS_BIN}:${Deno.env.get("PATH") ?? ""}`,
      }),
      ...options.env,
    },
    clearEnv: true,
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, options.timeoutMs ?? 60_000);

  let stdout = "";
  const writer = options.stdin === undefined ? undefined : child.stdin.getWriter();
  let stdinOpen = writer !== undefined;
  const closeStdin = async () => {
    if (!stdinOpen) return;
    stdinOpen = false;
    await writer!.close().catch(() => {}); // the client may have exited already
  };
  if (writer) {
    await writer.write(new TextEncoder().encode(options.stdin)).catch(() => {});
    if (!options.until) await closeStdin();
  }
  const readStdout = (async () => {
    for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
      stdout += chunk;
      if (options.until?.(stdout)) await closeStdin();
    }
  })();
  const readStderr = new Response(child.stderr).text();
  const [status, , stderr] = await Promise.all([child.status, readStdout, readStderr]);
  clearTimeout(timer);
  await closeStdin();
  return { code: status.code, stdout, stderr, timedOut };
}

/** One server's entry in Codex's MCP inventory (app-server `mcpServerStatus/list`). */
export interface CodexMcpStatus {
  name: string;
  authStatus: string;
  tools: Record<string, unknown>;
  toolsError?: string | null;
}

/**
 * Codex's MCP inventory from `codex app-server` over stdio, which connects every configured server
 * offline (`codex mcp list` only prints the config). `stderr` carries Codex's own connection log.
 */
export async function codexMcpStatus(
  options: Omit<RunClientOptions, "stdin" | "until">,
): Promise<{ servers: CodexMcpStatus[]; run: ClientRun }> {
  const requests = [
    { jsonrpc: "2.0", id: 1, method: "initialize", params: { clientInfo: { name: "futu-mcp-test", version: "1" } } },
    { jsonrpc: "2.0", method: "initialized" },
    { jsonrpc: "2.0", id: 2, method: "mcpServerStatus/list", params: { detail: "toolsAndAuthOnly" } },
  ];
  // Whole lines only: the last one may still be arriving.
  const answer = (stdout: string) =>
    stdout.split("\n").slice(0, -1).filter((line) => line.startsWith("{")).map((line) => JSON.parse(line))
      .find((message) => message.id === 2);
  const run = await runClient("codex", ["app-server"], {
    ...options,
    stdin: requests.map((r) => JSON.stringify(r) + "\n").join(""),
    until: (stdout) => answer(stdout) !== undefined,
  });
  const response = answer(run.stdout);
  if (!response?.result) {
    throw new Error(`codex app-server gave no inventory (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
  }
  return { servers: response.result.data, run };
}
