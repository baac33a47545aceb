/**
 * Test helpers for futu-mcp: a real spawned stdio process, and an in-process
 * server on real HTTP, both driven by the MCP SDK's own client.
 *
 * @module
 */
import { Client, StdioClientTransport, StreamableHTTPClientTransport } from "../../src/mcp/sdk.ts";
import { futuMcpPermissions } from "../../src/app/launch.ts";
import { type AppDependencies, type FutuMcp, startFutuMcp } from "../../src/app/futu_mcp.ts";
import { loadOptions } from "../../src/app/options.ts";

/** The environment a spawned futu-mcp gets: enough to find Deno's cache, plus `extra`. */
export function childEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ["PATH", "HOME", "DENO_DIR", "DBUS_SESSION_BUS_ADDRESS"]) {
    const value = Deno.env.get(name);
    if (value !== undefined) env[name] = value;
  }
  return { ...env, ...extra };
}

/** Deno arguments that run futu-mcp from source with these futu-mcp arguments. */
export function futuMcpCommand(args: string[], read: string[] = ["."], write: string[] = [".test-tmp"]): string[] {
  const gateway = args.includes("--gateway") ? args[args.indexOf("--gateway") + 1] : undefined;
  const listen = args.includes("--http-listen") ? args[args.indexOf("--http-listen") + 1] : undefined;
  return ["run", ...futuMcpPermissions({ gateway, httpListen: listen, read, write }), "main.ts", ...args];
}

/** A spawned futu-mcp over stdio with a connected SDK client. */
export async function spawnStdio(
  args: string[],
  env: Record<string, string> = {},
): Promise<{
  client: Client;
  stderr: () => string;
  /** What the client could not read from the server's stdout (a log line there would be one). */
  transportErrors: () => Error[];
  [Symbol.asyncDispose](): Promise<void>;
}> {
  const transport = new StdioClientTransport({
    command: "deno",
    args: futuMcpCommand(args),
    env: childEnv(env),
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Uint8Array) => stderr += new TextDecoder().decode(chunk));
  const client = new Client({ name: "futu-mcp-test", version: "1.0.0" });
  const errors: Error[] = [];
  client.onerror = (error) => errors.push(error);
  await client.connect(transport);
  return {
    client,
    stderr: () => stderr,
    transportErrors: () => [...errors],
    async [Symbol.asyncDispose]() {
      await client.close();
    },
  };
}

/** futu-mcp started in this process with HTTP on a free port. */
export async function startHttpApp(
  args: string[],
  deps: AppDependencies = {},
): Promise<FutuMcp & { url: string; [Symbol.asyncDispose](): Promise<void> }> {
  const options = loadOptions(["--http-listen", "127.0.0.1:0", ...args], () => undefined);
  const app = await startFutuMcp(options, { log: () => {}, ...deps });
  return Object.assign(app, {
    url: `${app.http!.url}/mcp`,
    [Symbol.asyncDispose]: () => app.close(),
  });
}

/** An SDK client connected over Streamable HTTP; `terminate()` ends the session with DELETE. */
export async function connectHttp(
  url: string,
  headers: Record<string, string> = {},
): Promise<Client & AsyncDisposable & { terminate(): Promise<void> }> {
  const client = new Client({ name: "futu-mcp-test", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } });
  await client.connect(transport);
  return Object.assign(client, {
    [Symbol.asyncDispose]: () => client.close(),
    terminate: () => transport.terminateSession(),
  });
}

/** Sends a raw HTTP/1.1 request (any Host header) and returns the status code. */
export async function rawHttpStatus(port: number, request: string): Promise<number> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await conn.write(new TextEncoder().encode(request));
    const buffer = new Uint8Array(4096);
    const n = await conn.read(buffer);
    const line = new TextDecoder().decode(buffer.subarray(0, n ?? 0)).split("\r\n")[0];
    return Number(line.split(" ")[1]);
  } finally {
    conn.close();
  }
}

/** The parsed `{error, code, hint}` of a tool error result. */
export function errorOf(value: unknown): { error: string; code: string; hint?: string } {
  const result = value as { content: { text: string }[]; isError?: boolean };
  if (!result.isError) throw new Error(`expected a tool error, got ${JSON.stringify(result).slice(0, 300)}`);
  return JSON.parse(result.content[0].text);
}

/** The structured content of a successful result. */
export function dataOf<T = Record<string, unknown>>(value: unknown): T {
  const result = value as { structuredContent?: unknown; isError?: boolean; content: { text: string }[] };
  if (result.isError) throw new Error(`tool failed: ${result.content[0].text}`);
  return result.structuredContent as T;
}
