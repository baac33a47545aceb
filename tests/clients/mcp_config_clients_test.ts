/**
 * What `futucli mcp-config` prints, used by the real clients: Claude Code
 * runs the printed `claude mcp add` through a shell, Gemini CLI and Codex CLI
 * read the printed settings.json / config.toml, each in a temporary HOME and
 * project folder, and report the server connected (offline: `claude mcp
 * list`, `gemini mcp list`, Codex's app-server `mcpServerStatus/list`).
 * Cursor, VS Code and Claude Desktop have no CLI here: their configs are
 * checked against the documented shape and run with the MCP SDK's client
 * (expanding the client's `${env:…}` / `${input:…}` as the client would),
 * Claude Desktop's HTTP config through the real mcp-remote. futucli runs
 * from another folder with a relative --keys-file, and futu-mcp from the
 * client's folder: the printed paths must be absolute. Skipped with a reason
 * when .ci/clients is not installed, unless FUTU_TEST_REQUIRE_CLIENTS=1.
 */
import { join } from "node:path";
import { assert, assertEquals } from "../helpers/assert.ts";
import { futucli } from "../helpers/cli.ts";
import {
  type ClientHome,
  clientHome,
  type ClientName,
  CLIENTS_BIN,
  clientsMissing,
  codexMcpStatus,
  runClient,
  type RunClientOptions,
  runInClientEnv,
} from "../helpers/clients.ts";
import { childEnv, dataOf } from "../helpers/mcp.ts";
import { tempDir } from "../helpers/tmp.ts";
import { Client, StdioClientTransport, StreamableHTTPClientTransport } from "../../src/mcp/sdk_client.ts";
import { API_KEY_ENV, type ClientConfig, MCP_REMOTE, type McpConfigs } from "../../cli/mcp_config.ts";
import { freePort } from "../helpers/net.ts";

const REPO = Deno.cwd();
const ignore = await clientsMissing("tests/clients/mcp_config_clients_test.ts");

/** futucli mcp-config as a user runs it: from `cwd`, seeing Deno's cache. */
async function printed(args: string[], cwd: string): Promise<McpConfigs> {
  const out = await new Deno.Command("deno", {
    args: [
      "run",
      "--quiet",
      "--no-prompt",
      `--allow-read=${REPO}`,
      "--allow-env=FUTU_*,PATH,DENO_DIR",
      "--ignore-env",
      join(REPO, "cli/main.ts"),
      "-o",
      "json",
      "mcp-config",
      ...args,
    ],
    cwd,
    env: childEnv(),
    clearEnv: true,
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assertEquals(out.code, 0, stderr);
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

function pick(configs: McpConfigs, client: string, transport: string): ClientConfig {
  const config = configs.configs.find((c) => c.client === client && c.transport === transport);
  assert(config, `${client} ${transport} not printed`);
  return config;
}

/** How this file runs a client: in the project folder, allowed 120 s, with `env` (the key goes here). */
function inProject(where: ClientHome, env: Record<string, string> = {}): RunClientOptions {
  return { ...where, cwd: where.project, env, timeoutMs: 120_000 };
}

/** A client run in the project folder; `out` is what it printed on both streams. */
async function run(name: ClientName, args: string[], where: ClientHome, env?: Record<string, string>) {
  const result = await runClient(name, args, inProject(where, env));
  return { code: result.code, out: result.stdout + result.stderr };
}

/** The printed `claude mcp add` line, run through a shell as a user pastes it. */
async function claudeAdd(line: string, where: ClientHome): Promise<void> {
  const add = await runInClientEnv("sh", ["-c", line], inProject(where));
  assertEquals(add.code, 0, add.stdout + add.stderr);
}

/** Starts futu-mcp with the printed HTTP command line, from another folder; resolves once it listens. */
async function startPrinted(configs: McpConfigs, cwd: string): Promise<AsyncDisposable> {
  const child = new Deno.Command("sh", {
    args: ["-c", `exec ${configs.http!.shell}`],
    cwd,
    env: childEnv(),
    clearEnv: true,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let log = "";
  while (!log.includes("MCP over Streamable HTTP at")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`futu-mcp exited before listening:\n${log}`);
    log += value;
  }
  // Keep draining so futu-mcp never blocks on a full pipe.
  const drained = (async () => {
    while (!(await reader.read()).done);
  })();
  return {
    async [Symbol.asyncDispose]() {
      child.kill("SIGTERM");
      await child.status;
      await drained;
    },
  };
}

/** A key made by futucli gen-key in a fresh keys file. */
async function makeKey(dir: string): Promise<{ keysFile: string; plaintext: string }> {
  const keysFile = join(dir, "keys.json");
  const made = await futucli([
    "gen-key",
    "--id",
    "client",
    "--scopes",
    "qot:read,acc:read",
    "--keys-file",
    keysFile,
    "-o",
    "json",
  ]);
  assertEquals(made.code, 0, made.stderr);
  return { keysFile, plaintext: made.json<{ plaintext: string }>().plaintext };
}

/** Connects the SDK client to a stdio config as the client would start it, from `cwd`. */
async function sdkStdio(server: { command: string; args: string[]; env?: Record<string, string> }, cwd: string) {
  const client = new Client({ name: "mcp-config-test", version: "1.0.0" });
  const transport = new StdioClientTransport({
    // Through sh's exec: the test may run sh, not every absolute path a config names (the same process results).
    command: "sh",
    args: ["-c", 'exec "$0" "$@"', server.command, ...server.args],
    env: { ...childEnv(), ...server.env },
    cwd,
    stderr: "pipe",
  });
  await client.connect(transport);
  return Object.assign(client, { [Symbol.asyncDispose]: () => client.close() });
}

async function sdkHttp(url: string, headers: Record<string, string>) {
  const client = new Client({ name: "mcp-config-test", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
  return Object.assign(client, { [Symbol.asyncDispose]: () => client.close() });
}

/** Replaces a client's variable syntax the way that client would. */
function expand(value: unknown, pattern: RegExp, values: Record<string, string>): unknown {
  return JSON.parse(JSON.stringify(value).replace(pattern, (_, name: string) => values[name] ?? ""));
}

/** Tool names the server offers. */
async function toolNames(client: Client): Promise<string[]> {
  return (await client.listTools()).tools.map((t) => t.name);
}

Deno.test({ name: "clients: the printed demo config (--gateway sim, stdio) connects", ignore }, async (t) => {
  const elsewhere = join(REPO, await tempDir("cwd"));
  const configs = await printed(["--gateway", "sim", "--transport", "stdio"], elsewhere);
  assert(configs.demo);
  assert(!configs.futu_mcp!.args.some((a) => a.startsWith("--allow-net")), "the simulator runs in-process");

  await t.step("Claude Code: claude mcp add as printed, then claude mcp list", async () => {
    const where = await clientHome("claude");
    await claudeAdd(pick(configs, "claude-code", "stdio").text, where);
    const list = await run("claude", ["mcp", "list"], where);
    assert(/^futu: .* - ✔ Connected$/m.test(list.out), list.out);
  });
  await t.step("Gemini CLI: the printed settings.json, then gemini mcp list", async () => {
    const where = await clientHome("gemini");
    await Deno.mkdir(join(where.home, ".gemini"));
    await Deno.writeTextFile(join(where.home, ".gemini/settings.json"), pick(configs, "gemini", "stdio").text);
    // What answering Gemini's trust prompt for the project folder records.
    await Deno.writeTextFile(
      join(where.home, ".gemini/trustedFolders.json"),
      JSON.stringify({ [where.project]: "TRUST_FOLDER" }),
    );
    const list = await run("gemini", ["mcp", "list"], where);
    assert(/^✓ futu: .* \(stdio\) - Connected$/m.test(list.out), list.out);
  });
  await t.step("Codex CLI: the printed config.toml, codex mcp get, and the app-server connecting it", async () => {
    const where = await clientHome("codex");
    await Deno.mkdir(join(where.home, ".codex"));
    await Deno.writeTextFile(join(where.home, ".codex/config.toml"), pick(configs, "codex", "stdio").text);
    // stdout only: on a fresh machine Codex also writes notes on stderr.
    const got = await runClient("codex", ["mcp", "get", "futu", "--json"], inProject(where));
    assertEquals(got.code, 0, got.stdout + got.stderr);
    const parsed = JSON.parse(got.stdout);
    assertEquals(parsed.transport.command, configs.futu_mcp!.command);
    assertEquals(parsed.transport.args, configs.futu_mcp!.args);
    const { servers: [futu] } = await codexMcpStatus(inProject(where));
    assertEquals(futu.toolsError, null);
    assert("futu_place_order" in futu.tools, "the demo has trade tools");
  });
  await t.step("Cursor, VS Code, Claude Desktop: documented shape, started from another folder", async () => {
    for (const [client, top] of [["cursor", "mcpServers"], ["vscode", "servers"], ["claude-desktop", "mcpServers"]]) {
      const json = pick(configs, client, "stdio").json as Record<string, Record<string, Record<string, unknown>>>;
      assertEquals(Object.keys(json), [top], client);
      const server = json[top].futu as { command: string; args: string[]; env?: Record<string, string> };
      const allowed = ["args", "command", "env", ...(client === "vscode" ? ["type"] : [])];
      assertEquals(Object.keys(server).filter((k) => !allowed.includes(k)), [], client);
      if (client === "vscode") assertEquals((server as { type?: string }).type, "stdio");
      await using sdk = await sdkStdio(server, elsewhere);
      const tools = await toolNames(sdk);
      assert(tools.includes("futu_place_order") && tools.includes("futu_get_quote"), `${client}: ${tools}`);
    }
  });
});

Deno.test({ name: "clients: printed configs with an API key, stdio and HTTP", ignore }, async (t) => {
  const dir = join(REPO, await tempDir("keys"));
  const { plaintext } = await makeKey(dir);
  const port = freePort();
  // A relative --keys-file from futucli's working directory: the configs must name it absolutely.
  const configs = await printed(
    ["--gateway", "sim", "--keys-file", "keys.json", "--http-url", `http://127.0.0.1:${port}/mcp`],
    dir,
  );
  assertEquals(configs.keys_file, join(dir, "keys.json"));
  assert(!JSON.stringify(configs).includes(plaintext), "mcp-config never knows the plaintext");
  const elsewhere = join(REPO, await tempDir("cwd"));
  await using _server = await startPrinted(configs, elsewhere);
  const url = configs.http!.url;
  const key = { [API_KEY_ENV]: plaintext };

  await t.step("Claude Code over HTTP: connected with the key in the environment, refused without", async () => {
    const where = await clientHome("claude-http");
    await claudeAdd(pick(configs, "claude-code", "http").text, where);
    assert(
      !(await Deno.readTextFile(join(where.home, ".claude.json"))).includes(plaintext),
      "only the reference is stored",
    );
    const list = await run("claude", ["mcp", "list"], where, key);
    assert(list.out.includes(`futu: ${url} (HTTP) - ✔ Connected`), list.out);
    const without = await run("claude", ["mcp", "list"], where);
    assert(without.out.includes("✘ Failed to connect") && without.out.includes("401"), without.out);
  });
  await t.step("Claude Code over stdio with the key", async () => {
    const where = await clientHome("claude-stdio");
    await claudeAdd(pick(configs, "claude-code", "stdio").text, where);
    const list = await run("claude", ["mcp", "list"], where, key);
    assert(/^futu: .* - ✔ Connected$/m.test(list.out), list.out);
  });
  await t.step("Gemini CLI over HTTP and stdio", async () => {
    for (const transport of ["http", "stdio"]) {
      const where = await clientHome(`gemini-${transport}`);
      await Deno.mkdir(join(where.home, ".gemini"));
      await Deno.writeTextFile(join(where.home, ".gemini/settings.json"), pick(configs, "gemini", transport).text);
      await Deno.writeTextFile(
        join(where.home, ".gemini/trustedFolders.json"),
        JSON.stringify({ [where.project]: "TRUST_FOLDER" }),
      );
      const list = await run("gemini", ["mcp", "list"], where, key);
      assert(/^✓ futu: .* - Connected$/m.test(list.out), list.out);
      if (transport === "http") {
        const without = await run("gemini", ["mcp", "list"], where);
        assert(/^✗ futu: .* - Disconnected$/m.test(without.out), without.out);
      }
    }
  });
  await t.step("Codex CLI over HTTP (bearer_token_env_var) and stdio (env_vars)", async () => {
    for (const transport of ["http", "stdio"]) {
      const where = await clientHome(`codex-${transport}`);
      await Deno.mkdir(join(where.home, ".codex"));
      await Deno.writeTextFile(join(where.home, ".codex/config.toml"), pick(configs, "codex", transport).text);
      const { servers: [futu] } = await codexMcpStatus(inProject(where, key));
      assertEquals(futu.toolsError, null, transport);
      assert(Object.keys(futu.tools).length > 0, transport);
      if (transport === "http") {
        const { servers: [refused] } = await codexMcpStatus(inProject(where));
        assert(refused.toolsError?.includes(API_KEY_ENV), String(refused.toolsError));
      }
    }
  });
  await t.step("Cursor and VS Code: documented shape, the key reaches futu-mcp over both transports", async () => {
    const cursor = expand(pick(configs, "cursor", "http").json, /\$\{env:([A-Z_]+)\}/g, key) as {
      mcpServers: { futu: { url: string; headers: Record<string, string> } };
    };
    const vscodeJson = pick(configs, "vscode", "http").json as { inputs: { id: string }[] };
    const vscode = expand(vscodeJson, /\$\{input:([a-z-]+)\}/g, { [vscodeJson.inputs[0].id]: plaintext }) as {
      servers: { futu: { type: string; url: string; headers: Record<string, string> } };
    };
    for (const server of [cursor.mcpServers.futu, vscode.servers.futu]) {
      assertEquals(server.url, url);
      await using sdk = await sdkHttp(server.url, server.headers);
      dataOf(await sdk.callTool({ name: "futu_ping", arguments: {} }));
    }
    const cursorStdio = expand(pick(configs, "cursor", "stdio").json, /\$\{env:([A-Z_]+)\}/g, key) as {
      mcpServers: { futu: { command: string; args: string[]; env: Record<string, string> } };
    };
    await using sdk = await sdkStdio(cursorStdio.mcpServers.futu, elsewhere);
    dataOf(await sdk.callTool({ name: "futu_ping", arguments: {} }));
  });
  await t.step("Claude Desktop over HTTP: the printed mcp-remote bridge (the installed one) with the key", async () => {
    const desktop = pick(configs, "claude-desktop", "http").json as {
      mcpServers: { futu: { command: string; args: string[]; env: Record<string, string> } };
    };
    const { args, env } = desktop.mcpServers.futu;
    assertEquals(args.slice(0, 2), ["-y", MCP_REMOTE]);
    const pinned =
      JSON.parse(await Deno.readTextFile(join(REPO, ".ci/clients/package.json"))).dependencies["mcp-remote"];
    assertEquals(MCP_REMOTE, `mcp-remote@${pinned}`, "the version the tests run");
    // As pasted: the user replaces the blank with the key.
    const filled = { AUTH_HEADER: env.AUTH_HEADER.replace(/<[^>]+>/, plaintext) };
    const where = await clientHome("desktop");
    await using sdk = await sdkStdio({
      command: "node",
      args: [join(CLIENTS_BIN, "mcp-remote"), ...args.slice(2)],
      env: { HOME: where.home, ...filled },
    }, where.project);
    dataOf(await sdk.callTool({ name: "futu_ping", arguments: {} }));
  });
});
