/**
 * The processes `bench:all` measures: the external simulator, futu-mcp over
 * stdio (from source or a bundle) and over HTTP, the trivial echo hop, and
 * their resident memory.
 *
 * @module
 */
import { Client, StdioClientTransport } from "../src/mcp/sdk_client.ts";
import { futuMcpPermissions } from "../src/app/launch.ts";

/** A free loopback port. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** Resolves once something accepts connections on the port. */
export async function reachable(port: number, what: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      return;
    } catch {
      if (Date.now() > until) throw new Error(`${what} did not listen on ${port} within ${timeoutMs} ms`);
      // Polling a port another process opens: there is no event to await.
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

/** A child process that ends with the bench. */
export interface Child extends AsyncDisposable {
  readonly pid: number;
}

/** The simulated OpenD in its own process (bench/_sim.ts), pushing quotes every `tickMs`. */
export async function startSim(tickMs: number): Promise<Child & { address: string }> {
  const port = freePort();
  const child = new Deno.Command("deno", {
    args: ["run", `--allow-net=127.0.0.1:${port}`, "--allow-env=FUTU_*", "bench/_sim.ts", String(port), String(tickMs)],
    stdin: "piped",
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  await reachable(port, "the simulator");
  return {
    pid: child.pid,
    address: `127.0.0.1:${port}`,
    async [Symbol.asyncDispose]() {
      await child.stdin.close().catch(() => {});
      await child.status;
    },
  };
}

/** Resident memory of a process, MiB (`ps`: Deno grants /proc only with --allow-all). */
export async function rssMiB(pid: number): Promise<number> {
  const out = await new Deno.Command("ps", { args: ["-o", "rss=", "-p", String(pid)], stdout: "piped" }).output();
  const kib = Number(new TextDecoder().decode(out.stdout).trim());
  if (!out.success || !Number.isFinite(kib)) throw new Error(`ps could not read the memory of process ${pid}`);
  return kib / 1024;
}

/** An SDK client over stdio to a spawned process. */
export interface StdioPeer extends AsyncDisposable {
  readonly client: Client;
  readonly pid: number;
}

/** Connects the SDK client to `deno <args>` over stdio. */
export async function stdioPeer(args: string[], env: Record<string, string> = {}): Promise<StdioPeer> {
  const transport = new StdioClientTransport({ command: "deno", args, stderr: "ignore", env: childEnv(env) });
  const client = new Client({ name: "bench", version: "1" });
  await client.connect(transport);
  return {
    client,
    pid: transport.pid!,
    async [Symbol.asyncDispose]() {
      await client.close();
    },
  };
}

/** Deno arguments that run futu-mcp from source (or `entry`, a bundle) against the gateway. */
export function futuMcpArgs(gateway: string, extra: string[] = [], entry = "main.ts", httpListen?: string): string[] {
  const grants = futuMcpPermissions({ gateway, httpListen, read: ["."], write: [".test-tmp"] });
  return ["run", ...(entry.endsWith(".js") ? ["--no-config"] : []), ...grants, entry, "--gateway", gateway, ...extra];
}

/** futu-mcp serving HTTP, until disposed. */
export async function startHttp(gateway: string, extra: string[]): Promise<Child & { url: string }> {
  const port = freePort();
  const listen = `127.0.0.1:${port}`;
  const child = new Deno.Command("deno", {
    args: futuMcpArgs(gateway, ["--http-listen", listen, ...extra], "main.ts", listen),
    stdout: "null",
    stderr: "null",
    env: childEnv(),
    clearEnv: true,
  }).spawn();
  await reachable(port, "futu-mcp over HTTP");
  return {
    pid: child.pid,
    url: `http://${listen}/mcp`,
    async [Symbol.asyncDispose]() {
      child.kill("SIGTERM");
      await child.status;
    },
  };
}

/** Wall time of a process from spawn to exit, ms. */
export async function timedRun(args: string[]): Promise<number> {
  const started = performance.now();
  const out = await new Deno.Command("deno", { args, stdout: "null", stderr: "piped", env: childEnv() }).output();
  if (!out.success) throw new Error(`deno ${args.join(" ")} failed: ${new TextDecoder().decode(out.stderr)}`);
  return performance.now() - started;
}

function childEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ["PATH", "HOME", "DENO_DIR"]) {
    const value = Deno.env.get(name);
    if (value !== undefined) env[name] = value;
  }
  return { ...env, ...extra };
}
