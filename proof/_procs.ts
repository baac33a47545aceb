/**
 * futu-mcp as the proof runs it: a child process from source with the
 * least-privilege grants of src/app/launch.ts, every byte of its stdout and
 * stderr kept (the secret canary scans them), its exit watched (a crash is a
 * figure), and its memory and command line read with `ps` (Deno grants /proc
 * only with --allow-all).
 *
 * @module
 */
import { futuMcpPermissions } from "../src/app/launch.ts";
import { freePort } from "../bench/_procs.ts";
import { within } from "./_util.ts";

/** A running futu-mcp. */
export interface FutuMcpChild extends AsyncDisposable {
  readonly pid: number;
  /** `http://127.0.0.1:<port>` (HTTP mode). */
  readonly origin: string;
  /** `<origin>/mcp`. */
  readonly url: string;
  /** Every byte written to stdout and stderr so far. */
  output(): { stdout: Uint8Array; stderr: Uint8Array };
  /** The exit status once it exited on its own (a crash), undefined while it runs. */
  exited(): Deno.CommandStatus | undefined;
  /** SIGTERM, then the status (and all output read). */
  stop(): Promise<Deno.CommandStatus>;
}

/** The environment a child gets: enough for Deno to find its cache, plus `extra`; nothing else of ours. */
export function childEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ["PATH", "HOME", "DENO_DIR"]) {
    const value = Deno.env.get(name);
    if (value !== undefined) env[name] = value;
  }
  return { ...env, ...extra };
}

/**
 * Deno arguments for futu-mcp from source with these futu-mcp arguments (HTTP when `listen` is given); a
 * `--state` among them is granted its Redis address, as the launch flags grant it.
 */
export function futuMcpArgs(gateway: string, args: string[], listen?: string): string[] {
  const state = args.includes("--state") ? args[args.indexOf("--state") + 1] : undefined;
  const grants = futuMcpPermissions({ gateway, httpListen: listen, state, read: ["."], write: [".test-tmp"] });
  return ["run", ...grants, "main.ts", "--gateway", gateway, ...(listen ? ["--http-listen", listen] : []), ...args];
}

async function drain(stream: ReadableStream<Uint8Array>, into: Uint8Array[]): Promise<void> {
  for await (const chunk of stream) into.push(chunk);
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Waits until something accepts connections on the port (the child prints nothing we could await). */
async function listening(port: number, child: Deno.ChildProcess, timeoutMs: number): Promise<void> {
  let gone = false;
  child.status.then(() => gone = true);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      return;
    } catch {
      if (gone) throw new Error("futu-mcp exited before listening");
      if (Date.now() > deadline) throw new Error(`futu-mcp did not listen on ${port} within ${timeoutMs} ms`);
      // Polling a port another process opens: there is no event to await.
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

/** Spawns futu-mcp serving HTTP on a free loopback port against `gateway`. */
export async function startFutuMcp(
  gateway: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<FutuMcpChild> {
  const port = freePort();
  const listen = `127.0.0.1:${port}`;
  const child = new Deno.Command("deno", {
    args: futuMcpArgs(gateway, args, listen),
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: childEnv(env),
    clearEnv: true,
  }).spawn();
  const stdout: Uint8Array[] = [];
  const stderr: Uint8Array[] = [];
  const drained = Promise.all([drain(child.stdout, stdout), drain(child.stderr, stderr)]);
  let status: Deno.CommandStatus | undefined;
  let stopping = false;
  const ended = child.status.then((s) => {
    if (!stopping) status = s;
    return s;
  });
  try {
    await listening(port, child, 60_000);
  } catch (err) {
    try {
      child.kill("SIGKILL");
    } catch { /* it exited by itself */ }
    await drained;
    throw new Error(`${(err as Error).message}\n${new TextDecoder().decode(concat(stderr))}`);
  }
  const stop = async () => {
    if (status) return status;
    stopping = true;
    try {
      child.kill("SIGTERM");
    } catch { /* already gone */ }
    const s = await within(ended, 20_000, "futu-mcp stopping on SIGTERM").catch(async (err) => {
      child.kill("SIGKILL");
      await ended;
      throw err;
    });
    await drained;
    return s;
  };
  return {
    pid: child.pid,
    origin: `http://${listen}`,
    url: `http://${listen}/mcp`,
    output: () => ({ stdout: concat(stdout), stderr: concat(stderr) }),
    exited: () => status,
    stop,
    async [Symbol.asyncDispose]() {
      await stop().catch(() => {});
    },
  };
}

/** `ps -o <field>= -p <pid>`, trimmed. */
async function ps(pid: number, field: string): Promise<string> {
  const out = await new Deno.Command("ps", { args: ["-ww", "-o", `${field}=`, "-p", String(pid)], stdout: "piped" })
    .output();
  if (!out.success) throw new Error(`ps could not read process ${pid}`);
  return new TextDecoder().decode(out.stdout).trim();
}

/** Resident memory of a process, MiB. */
export async function rssMiB(pid: number): Promise<number> {
  const kib = Number(await ps(pid, "rss"));
  if (!Number.isFinite(kib)) throw new Error(`ps gave no memory for process ${pid}`);
  return kib / 1024;
}

/** The command line of a process as the system shows it to every local user. */
export function commandLine(pid: number): Promise<string> {
  return ps(pid, "args");
}

/** futu-mcp's --help text. */
export async function futuMcpHelp(): Promise<string> {
  const out = await new Deno.Command("deno", {
    args: futuMcpArgs("sim", ["--help"]),
    stdout: "piped",
    stderr: "piped",
    env: childEnv(),
    clearEnv: true,
  }).output();
  return new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
}
