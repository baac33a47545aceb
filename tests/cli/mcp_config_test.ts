/**
 * `futucli mcp-config`'s configurations as data: absolute paths whatever the
 * working directory, the demo on the embedded simulator, each client's
 * documented shape for stdio and Streamable HTTP, and the API key never in a
 * command. The clients themselves run these in tests/clients/.
 */
import { isAbsolute } from "node:path";
import { parse as parseToml } from "smol-toml";
import { assert, assertEquals, assertThrows } from "../helpers/assert.ts";
import { futucli } from "../helpers/cli.ts";
import {
  API_KEY_ENV,
  type ClientConfig,
  CLIENTS,
  DEFAULT_HTTP_URL,
  describeConfigs,
  MCP_REMOTE,
  type McpConfigs,
  mcpConfigs,
} from "../../cli/mcp_config.ts";
import { CliError } from "../../cli/exit_codes.ts";

const SECRET = "fc_" + "ab".repeat(32);

function find(configs: McpConfigs, client: string, transport: string): ClientConfig {
  const found = configs.configs.find((c) => c.client === client && c.transport === transport);
  assert(found, `no ${client} ${transport} config`);
  return found;
}

/** Every path-like argument, including the paths inside --allow-read=/--allow-write= grants. */
function pathsIn(args: string[]): string[] {
  return args.flatMap((arg) => {
    const grant = /^--allow-(read|write)=(.*)$/.exec(arg);
    if (grant) return grant[2].split(",");
    return arg.includes("/") || arg.endsWith(".ts") || arg.endsWith(".json") ? [arg] : [];
  });
}

Deno.test("mcp-config: absolute paths for a relative keys file, from source", () => {
  const configs = mcpConfigs({ gateway: "127.0.0.1:11111", keysFile: ".futu/keys.json" });
  const server = configs.futu_mcp!;
  assertEquals(server.found, "from source");
  assert(isAbsolute(server.command), server.command);
  assertEquals(configs.keys_file, `${Deno.cwd()}/.futu/keys.json`);
  assert(server.args.includes(`${Deno.cwd()}/main.ts`));
  assert(server.args.includes(`--allow-write=${Deno.cwd()}/.futu`), server.args.join(" "));
  const relative = [...pathsIn(server.args), ...pathsIn(configs.http!.args)].filter((p) => !isAbsolute(p));
  assertEquals(relative, [], "every path absolute");
});

Deno.test("mcp-config --gateway sim: a demo with simulated trading and no net grant for the simulator", () => {
  const demo = mcpConfigs({ gateway: "sim" });
  assert(demo.demo);
  assertEquals(demo.futu_mcp!.args.slice(-3), ["--gateway", "sim", "--enable-trading"]);
  assert(!demo.futu_mcp!.args.includes("--allow-real-trading"));
  assert(!demo.futu_mcp!.args.some((a) => a.startsWith("--allow-net")), "the in-process simulator needs no network");
  assert(demo.http!.args.includes("--allow-net=127.0.0.1:38765"), "HTTP: only the listen address");
  assert(describeConfigs(demo).includes("every order goes to a simulated account"));
  const keyed = mcpConfigs({ gateway: "sim", keysFile: "/k/keys.json" });
  assert(!keyed.demo);
  assert(!keyed.futu_mcp!.args.includes("--enable-trading"), "with keys, scopes decide");
});

Deno.test("mcp-config: the key's plaintext only in Claude Desktop's file, never in a command", () => {
  const configs = mcpConfigs({ gateway: "sim", keysFile: "/k/keys.json", apiKey: SECRET });
  assertEquals(configs.configs.length, CLIENTS.length * 2);
  for (const config of configs.configs) {
    const holds = config.text.includes(SECRET);
    assertEquals(holds, config.client === "claude-desktop", `${config.client} ${config.transport}`);
  }
  assert(!configs.http!.shell.includes(SECRET));
  assert(!JSON.stringify(configs.futu_mcp).includes(SECRET));
  // mcp-remote expands ${AUTH_HEADER} itself: the argument is the placeholder, the value in env.
  const desktop = find(configs, "claude-desktop", "http").json as {
    mcpServers: { futu: { args: string[]; env: Record<string, string> } };
  };
  assert(desktop.mcpServers.futu.args.includes("Authorization:${AUTH_HEADER}"));
  assertEquals(desktop.mcpServers.futu.env.AUTH_HEADER, `Bearer ${SECRET}`);
  for (const config of [find(configs, "claude-code", "stdio"), find(configs, "claude-code", "http")]) {
    assert(config.text.includes(`'\${${API_KEY_ENV}}'`) || config.text.includes(`\${${API_KEY_ENV}}'`), config.text);
  }
});

Deno.test("mcp-config: each client's documented format", () => {
  const configs = mcpConfigs({ gateway: "sim", keysFile: "/k/keys.json", httpUrl: "http://localhost:40001/mcp" });
  assertEquals(configs.http!.listen, "localhost:40001");
  assert(configs.http!.args.includes("--http-listen") && configs.http!.args.includes("--allow-net=localhost:40001"));
  const keys = (v: unknown) => Object.keys(v as object).sort();
  const server = (c: ClientConfig, top = "mcpServers") => (c.json as Record<string, Record<string, unknown>>)[top].futu;

  const cursor = server(find(configs, "cursor", "http")) as { url: string; headers: Record<string, string> };
  assertEquals(keys(cursor), ["headers", "url"]);
  assertEquals(cursor.headers.Authorization, `Bearer \${env:${API_KEY_ENV}}`);
  assertEquals(keys(server(find(configs, "cursor", "stdio"))), ["args", "command", "env"]);

  const vscode = find(configs, "vscode", "http").json as {
    inputs: { type: string; id: string; password: boolean }[];
    servers: { futu: { type: string; url: string; headers: Record<string, string> } };
  };
  assertEquals(vscode.inputs.map((i) => [i.type, i.password]), [["promptString", true]]);
  assertEquals(vscode.servers.futu.type, "http");
  assertEquals(vscode.servers.futu.headers.Authorization, `Bearer \${input:${vscode.inputs[0].id}}`);
  const vscodeStdio = server(find(configs, "vscode", "stdio"), "servers") as {
    type: string;
    env: Record<string, string>;
  };
  assertEquals(vscodeStdio.type, "stdio");
  assertEquals(vscodeStdio.env[API_KEY_ENV], `\${input:${vscode.inputs[0].id}}`);

  const gemini = server(find(configs, "gemini", "http")) as { httpUrl: string; headers: Record<string, string> };
  assertEquals(gemini, {
    httpUrl: "http://localhost:40001/mcp",
    headers: { Authorization: `Bearer \${${API_KEY_ENV}}` },
  });

  const codexHttp = parseToml(find(configs, "codex", "http").text) as { mcp_servers: { futu: unknown } };
  assertEquals({ ...codexHttp.mcp_servers.futu as object }, {
    url: "http://localhost:40001/mcp",
    bearer_token_env_var: API_KEY_ENV,
  });
  const codexStdio = parseToml(find(configs, "codex", "stdio").text) as {
    mcp_servers: { futu: { command: string; args: string[]; env_vars: string[] } };
  };
  assertEquals(codexStdio.mcp_servers.futu.command, configs.futu_mcp!.command);
  assertEquals(codexStdio.mcp_servers.futu.args, configs.futu_mcp!.args);
  assertEquals(codexStdio.mcp_servers.futu.env_vars, [API_KEY_ENV]);

  const claude = find(configs, "claude-code", "http");
  assertEquals(claude.format, "shell");
  assert(claude.text.startsWith("claude mcp add --scope user --transport http futu http://localhost:40001/mcp"));

  const desktop = server(find(configs, "claude-desktop", "http")) as { args: string[] };
  assertEquals(desktop.args.slice(0, 3), ["-y", MCP_REMOTE, "http://localhost:40001/mcp"]);
});

Deno.test("mcp-config: without keys, no secrets at all; filters pick clients and transports", () => {
  const configs = mcpConfigs({ gateway: "127.0.0.1:11111", clients: ["cursor", "codex"], transports: ["http"] });
  assertEquals(configs.configs.map((c) => `${c.client}/${c.transport}`), ["cursor/http", "codex/http"]);
  assertEquals(find(configs, "cursor", "http").json, { mcpServers: { futu: { url: DEFAULT_HTTP_URL } } });
  assert(!describeConfigs(configs).includes(API_KEY_ENV));
  assertEquals(mcpConfigs({ gateway: "sim", transports: ["stdio"] }).http, undefined);
});

Deno.test("mcp-config: a bad --http-url is a usage error naming it", () => {
  for (const url of ["127.0.0.1:38765", "https://futu.example/mcp", "http://127.0.0.1:38765/", "http://u:p@h:1/mcp"]) {
    const err = assertThrows(() => mcpConfigs({ gateway: "sim", httpUrl: url }), CliError);
    assert(err.message.startsWith("--http-url: "), err.message);
    assertEquals(err.exitCode, 2);
  }
});

Deno.test("futucli mcp-config: --gateway after the command, filters, and bad names", async () => {
  const printed = await futucli(["mcp-config", "--gateway", "sim", "--client", "gemini", "-o", "json"]);
  assertEquals(printed.code, 0, printed.stderr);
  const configs = printed.json<McpConfigs>();
  assert(configs.demo);
  assertEquals(configs.configs.map((c) => c.client), ["gemini", "gemini"]);
  const bad = await futucli(["mcp-config", "--client", "zed"]);
  assertEquals(bad.code, 2);
  assert(bad.stderr.includes("--client") && bad.stderr.includes('unknown "zed"'), bad.stderr);
  const text = await futucli(["mcp-config", "--gateway", "sim"]);
  for (const title of ["Claude Desktop", "Cursor", "VS Code", "Claude Code", "Gemini CLI", "Codex CLI"]) {
    assert(text.stdout.includes(`== ${title} ==`), title);
  }
});
