/**
 * A futu-mcp spawned as its own process, serving Streamable HTTP on a free
 * loopback port: for what only a separate process shows (signals, its memory,
 * its listener's connections). Its stderr is drained from the start and can
 * be awaited for a line.
 *
 * @module
 */
import { childEnv, futuMcpCommand } from "./mcp.ts";
import { freePort } from "./net.ts";
import { eventually } from "./sim.ts";

/** See the module documentation. */
export interface HttpProcess {
  readonly pid: number;
  readonly port: number;
  /** http://127.0.0.1:port */
  readonly base: string;
  readonly child: Deno.ChildProcess;
  /** What the process wrote to stderr so far. */
  log(): string;
  /** What it wrote to stdout so far (over HTTP only `--audit-log -` writes there). */
  stdout(): string;
  /** Resolves once stderr has a line matching `pattern` after the first `from` characters. */
  waitForLog(pattern: RegExp, from?: number, what?: string): Promise<string>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Spawns futu-mcp with these arguments plus --http-listen, and waits until /healthz answers. */
export async function spawnHttp(args: string[], env: Record<string, string> = {}): Promise<HttpProcess> {
  const port = freePort();
  const gateway = args.includes("--gateway") ? [] : ["--gateway", "sim"];
  const child = new Deno.Command("deno", {
    args: futuMcpCommand([...gateway, ...args, "--http-listen", `127.0.0.1:${port}`], ["."], [".test-tmp"]),
    env: childEnv({ FUTU_MACHINE_ID: "test", ...env }),
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let out = "";
  const drainedOut = child.stdout.pipeThrough(new TextDecoderStream()).pipeTo(
    new WritableStream({
      write(chunk) {
        out += chunk;
      },
    }),
  );
  let log = "";
  // Every chunk wakes the waiters: a line is awaited as it arrives, never polled for on a timer.
  const waiters = new Set<() => void>();
  const drained = child.stderr.pipeThrough(new TextDecoderStream()).pipeTo(
    new WritableStream({
      write(chunk) {
        log += chunk;
        for (const wake of waiters) wake();
      },
    }),
  );
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    for (const wake of waiters) wake();
    return s;
  });
  const base = `http://127.0.0.1:${port}`;
  const process: HttpProcess = {
    pid: child.pid,
    port,
    base,
    child,
    log: () => log,
    stdout: () => out,
    async waitForLog(pattern, from = 0, what = String(pattern)) {
      for (;;) {
        const match = pattern.exec(log.slice(from));
        if (match) return match[0];
        if (exited) throw new Error(`futu-mcp exited before logging ${what}:\n${log}`);
        await new Promise<void>((resolve) => {
          const wake = () => {
            waiters.delete(wake);
            resolve();
          };
          waiters.add(wake);
        });
      }
    },
    async [Symbol.asyncDispose]() {
      if (!exited) child.kill("SIGTERM");
      await status;
      await drained;
      await drainedOut;
    },
  };
  try {
    await process.waitForLog(/MCP over Streamable HTTP at /, 0, "that it listens");
    await eventually(
      async () => {
        const health = await fetch(`${base}/healthz`);
        await health.body?.cancel();
        return health.status === 200;
      },
      30_000,
      "futu-mcp to serve /healthz",
    );
  } catch (err) {
    await process[Symbol.asyncDispose]();
    throw err;
  }
  return process;
}
