/**
 * Test helpers for futu-mcp: a real spawned stdio process (optionally with
 * every result checked against its tool's output schema), and an in-process
 * server on real HTTP, both driven by the MCP SDK's own client.
 *
 * @module
 */
import { assert } from "./assert.ts";
import { Client, StdioClientTransport, StreamableHTTPClientTransport } from "../../src/mcp/sdk_client.ts";
import { futuMcpPermissions } from "../../src/app/launch.ts";
import { type AppDependencies, type FutuMcp, startFutuMcp } from "../../src/app/futu_mcp.ts";
import { loadOptions } from "../../src/app/options.ts";
// @ts-types="../../node_modules/@modelcontextprotocol/sdk/dist/esm/validation/ajv-provider.d.ts"
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";

/**
 * The environment a spawned futu-mcp gets: enough to find Deno's cache, plus `extra`. Every result it returns is
 * checked against its tool's output schema, as production does not.
 */
export function childEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = { FUTU_CHECK_OUTPUT: "1" };
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
  const state = args.includes("--state") ? args[args.indexOf("--state") + 1] : undefined;
  return ["run", ...futuMcpPermissions({ gateway, httpListen: listen, state, read, write }), "main.ts", ...args];
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

type Json = Record<string, unknown>;
type Tool = Awaited<ReturnType<Client["listTools"]>>["tools"][number];
type Verdict = ReturnType<ReturnType<AjvJsonSchemaValidator["getValidator"]>>;

/**
 * A spawned futu-mcp with `--output-schemas` (added to `args`) whose every
 * successful result `call` checks against the tool's listed output schema,
 * with the validator the SDK client uses, and records in `called`.
 */
export async function spawnValidated(
  args: string[],
  env: Record<string, string> = {},
): Promise<
  Awaited<ReturnType<typeof spawnStdio>> & {
    /** The tools as listed. */
    tools: Tool[];
    /** The structured content of a successful call, valid against the tool's output schema. */
    call<T = Json>(name: string, args?: Json): Promise<T>;
    /** The `{error, code, hint}` of a call that must fail. */
    failure(name: string, args?: Json): Promise<ReturnType<typeof errorOf>>;
    /** The verdict of the tool's output schema on any value. */
    check(name: string, value: unknown): Verdict;
    /** The names `call` has called. */
    called: ReadonlySet<string>;
  }
> {
  const mcp = await spawnStdio([...args, "--output-schemas"], env);
  let tools: Tool[];
  let validators: Map<string, (value: unknown) => Verdict>;
  try {
    ({ tools } = await mcp.client.listTools());
    const ajv = new AjvJsonSchemaValidator();
    validators = new Map(tools.map((tool) => {
      if (!tool.outputSchema) throw new Error(`${tool.name} lists no outputSchema`);
      return [tool.name, ajv.getValidator(tool.outputSchema as Json)];
    }));
  } catch (error) {
    // The caller's `await using` never gets the process: close it here.
    await mcp[Symbol.asyncDispose]();
    throw error;
  }
  const check = (name: string, value: unknown): Verdict => {
    const validator = validators.get(name);
    if (!validator) throw new Error(`${name} is not listed`);
    return validator(value);
  };
  const called = new Set<string>();
  return Object.assign(mcp, {
    tools,
    async call<T = Json>(name: string, args: Json = {}): Promise<T> {
      const value = dataOf<T>(await mcp.client.callTool({ name, arguments: args }));
      const verdict = check(name, value);
      assert(verdict.valid, `${name} ${JSON.stringify(args)}: ${verdict.errorMessage}\n${JSON.stringify(value)}`);
      called.add(name);
      return value;
    },
    failure: async (name: string, args: Json = {}) => errorOf(await mcp.client.callTool({ name, arguments: args })),
    check,
    called,
  });
}

/**
 * The arguments of a REAL-account write with the confirm_token that its first call, a preview, gave: what a
 * client without elicitation sends once the user agreed. `call` returns a result's structured content.
 */
export async function withConfirmation(
  call: (name: string, args: Json) => Promise<unknown>,
  name: string,
  args: Json,
): Promise<Json> {
  const first = await call(name, args) as { status?: string; confirm_token?: string };
  if (first.status !== "confirmation_required" || typeof first.confirm_token !== "string") {
    throw new Error(`expected a confirmation_required preview, got ${JSON.stringify(first).slice(0, 300)}`);
  }
  return { ...args, confirm_token: first.confirm_token };
}

const INITIALIZE = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "futu-mcp-test", version: "1" } },
});

/** The HTTP status futu-mcp gives an MCP initialize with this key; an opened session is closed again. */
export async function initializeStatus(url: string, key: string): Promise<number> {
  const response = await fetch(url, {
    method: "POST",
    headers: {
      authorization: `Bearer ${key}`,
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
    },
    body: INITIALIZE,
  });
  await response.body?.cancel();
  const session = response.headers.get("mcp-session-id");
  if (session !== null) {
    const closed = await fetch(url, {
      method: "DELETE",
      headers: { authorization: `Bearer ${key}`, "mcp-session-id": session },
    });
    await closed.body?.cancel();
  }
  return response.status;
}
