/**
 * MCP client configurations for futu-mcp: Claude Desktop, Cursor, VS Code,
 * Claude Code, Gemini CLI and Codex CLI, each over stdio and over Streamable
 * HTTP, in that client's own format. The command is real or absent: futu-mcp
 * next to futucli, then on PATH, then (only when futucli itself runs from a
 * source checkout) Deno running its `main.ts` with least-privilege flags.
 * Every path is absolute (a client starts servers from its own working
 * directory, and GUI clients with a minimal PATH that rarely includes
 * `~/.local/bin`). The API key never appears in a command: each config reads
 * it from the client's environment or secret prompt where the client has one;
 * only Claude Desktop's file, which has neither, holds it.
 *
 * @module
 */
import { basename, delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { futuMcpPermissions } from "../src/app/launch.ts";
import { BUILD } from "../src/version.ts";
import { CliError, EXIT } from "./exit_codes.ts";

/** The clients, in the order they are printed. */
export const CLIENTS = ["claude-desktop", "cursor", "vscode", "claude-code", "gemini", "codex"] as const;
/** A client futucli prints configurations for. */
export type ClientName = typeof CLIENTS[number];
/** The transports. */
export const TRANSPORTS = ["stdio", "http"] as const;
/** stdio (the client starts futu-mcp) or Streamable HTTP (futu-mcp already runs). */
export type Transport = typeof TRANSPORTS[number];

/** futu-mcp's documented HTTP address: the release build's listen grant and `deno task mcp`'s. */
export const DEFAULT_HTTP_URL = "http://127.0.0.1:38765/mcp";
/** Claude Desktop's bridge to an HTTP server: the version tests/clients runs (.ci/clients/package.json). */
export const MCP_REMOTE = "mcp-remote@0.15.1";
/** Where futu-mcp reads the startup key (stdio) and where the configs read the key from. */
export const API_KEY_ENV = "FUTU_MCP_API_KEY";
/** VS Code's input id for the key. */
const VSCODE_INPUT = "futu-api-key";

const TITLES: Record<ClientName, string> = {
  "claude-desktop": "Claude Desktop",
  cursor: "Cursor",
  vscode: "VS Code",
  "claude-code": "Claude Code",
  gemini: "Gemini CLI",
  codex: "Codex CLI",
};

/** How to start futu-mcp. */
export interface FutuMcpCommand {
  command: string;
  args: string[];
  /** "next to futucli", "on PATH" or "from source". */
  found: string;
  /** Environment a client must pass for this command to work (from source: Deno's cache). */
  env?: Record<string, string>;
}

/** What the configuration should make futu-mcp do. */
export interface McpConfigSpec {
  gateway: string;
  keysFile?: string;
  /** The key's plaintext, when just generated (only Claude Desktop's file holds it); otherwise a marked blank. */
  apiKey?: string;
  /** The Streamable HTTP endpoint clients connect to (default {@link DEFAULT_HTTP_URL}). */
  httpUrl?: string;
  clients?: readonly ClientName[];
  transports?: readonly Transport[];
}

/** One client × transport. */
export interface ClientConfig {
  client: ClientName;
  title: string;
  transport: Transport;
  /** Where it goes: the file to merge it into, or the shell. */
  where: string;
  format: "json" | "toml" | "shell";
  /** What to paste or run, exactly as printed. */
  text: string;
  /** The JSON formats as data. */
  json?: unknown;
  /** How the API key reaches futu-mcp (absent without a keys file). */
  secret?: string;
  note?: string;
}

/** All configurations, or why there are none. */
export interface McpConfigs {
  futu_mcp: FutuMcpCommand | null;
  note?: string;
  gateway?: string;
  /** The embedded simulator without API keys: a demo with simulated trading on. */
  demo?: boolean;
  keys_file?: string;
  /** The HTTP endpoint and how to start futu-mcp serving it (when an HTTP config is printed). */
  http?: { url: string; listen: string; command: string; args: string[]; shell: string };
  configs: ClientConfig[];
}

const EXE = Deno.build.os === "windows" ? ".exe" : "";

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (Deno.env.get("PATH") ?? "").split(delimiter).filter(Boolean)) {
    const candidate = join(dir, name);
    if (isFile(candidate)) return candidate;
  }
  return undefined;
}

/** Deno's cache as futucli sees it: a client must hand it on, or Deno there would fetch every module again. */
function denoDir(): string | undefined {
  if (Deno.permissions.querySync({ name: "env", variable: "DENO_DIR" }).state !== "granted") return undefined;
  const dir = Deno.env.get("DENO_DIR");
  return dir ? resolve(dir) : undefined;
}

/** How to launch futu-mcp (with `--http-listen` when `listen` is given): installed, or this checkout's main.ts. */
type Launcher = { found: string; command: string; env?: Record<string, string>; args(listen?: string): string[] };

function locateFutuMcp(gateway: string, keysFile: string | undefined): Launcher | null {
  const installed = (command: string, found: string): Launcher => ({ found, command, args: () => [] });
  const self = Deno.execPath();
  if (basename(self).startsWith("futucli")) {
    // Installed names (futu-mcp), or the release file names side by side in a download folder.
    for (const name of [`futu-mcp${EXE}`, basename(self).replace(/^futucli/, "futu-mcp")]) {
      const sibling = join(dirname(self), name);
      if (isFile(sibling)) return installed(sibling, "next to futucli");
    }
  }
  const path = onPath(`futu-mcp${EXE}`);
  if (path) return installed(path, "on PATH");
  // A release build never points at a checkout: it is the installed futu-mcp or nothing.
  if (BUILD) return null;
  const here = new URL("../main.ts", import.meta.url);
  if (here.protocol !== "file:" || !isFile(fileURLToPath(here))) return null;
  const main = fileURLToPath(here);
  const keysDir = keysFile ? dirname(keysFile) : undefined;
  const cache = denoDir();
  return {
    found: "from source",
    command: self,
    ...(cache ? { env: { DENO_DIR: cache } } : {}),
    args: (listen) => [
      "run",
      ...futuMcpPermissions({
        gateway,
        httpListen: listen,
        read: [dirname(main), ...(keysDir ? [keysDir] : [])],
        // The limit counters live next to the keys file (futu-mcp-state/).
        write: keysDir ? [keysDir] : [],
      }),
      main,
    ],
  };
}

/** The listen address of an HTTP URL futu-mcp can serve, or a usage error naming what is wrong. */
function listenOf(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError(EXIT.usage, `--http-url: not a URL: ${JSON.stringify(url)} (e.g. ${DEFAULT_HTTP_URL})`);
  }
  if (parsed.protocol !== "http:") {
    throw new CliError(
      EXIT.usage,
      `--http-url: futu-mcp serves http:// (got ${parsed.protocol}//); e.g. ${DEFAULT_HTTP_URL}`,
    );
  }
  if (parsed.pathname !== "/mcp" || parsed.search || parsed.hash || parsed.username || parsed.password) {
    throw new CliError(EXIT.usage, `--http-url: futu-mcp serves MCP at /mcp, e.g. ${DEFAULT_HTTP_URL} (got ${url})`);
  }
  return `${parsed.hostname}:${parsed.port || "80"}`;
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "[::1]" || host.startsWith("127.");
}

function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'"'"'`)}'`;
}

/** JSON for people: arrays of plain values and small flat objects on one line. */
export function formatJson(value: unknown, indent = ""): string {
  const inner = `${indent}  `;
  const flat = (v: unknown) => v === null || typeof v !== "object";
  if (Array.isArray(value)) {
    if (value.every(flat)) return `[${value.map((v) => JSON.stringify(v)).join(", ")}]`;
    return `[\n${value.map((v) => inner + formatJson(v, inner)).join(",\n")}\n${indent}]`;
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value);
    const oneLine = `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(", ")} }`;
    if (entries.every(([, v]) => flat(v)) && oneLine.length <= 100) return oneLine;
    return `{\n${
      entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${formatJson(v, inner)}`).join(",\n")
    }\n${indent}}`;
  }
  return JSON.stringify(value);
}

/** A TOML value (JSON's string escapes are TOML basic-string escapes). */
function tomlValue(value: string | string[]): string {
  return Array.isArray(value) ? `[${value.map((v) => JSON.stringify(v)).join(", ")}]` : JSON.stringify(value);
}

function tomlTable(name: string, entries: Record<string, string | string[] | Record<string, string>>): string {
  const lines = [`[${name}]`];
  for (const [key, value] of Object.entries(entries)) {
    if (typeof value === "string" || Array.isArray(value)) lines.push(`${key} = ${tomlValue(value)}`);
    else {
      const pairs = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)} = ${tomlValue(v)}`);
      lines.push(`${key} = { ${pairs.join(", ")} }`);
    }
  }
  return lines.join("\n");
}

interface Built {
  keys: boolean;
  /** The key in Claude Desktop's file: the new plaintext, or a blank to fill. */
  literalKey: string;
  stdio: { command: string; args: string[]; env: Record<string, string> };
  url: string;
  host: string;
}

function json(client: ClientName, transport: Transport, where: string, value: unknown, extra: Partial<ClientConfig>) {
  return {
    client,
    title: TITLES[client],
    transport,
    where,
    format: "json" as const,
    text: formatJson(value),
    json: value,
    ...extra,
  };
}

/** The configuration of one client over one transport. */
function configOf(client: ClientName, transport: Transport, b: Built): ClientConfig {
  const bearer = (ref: string) => (b.keys ? { headers: { Authorization: `Bearer ${ref}` } } : {});
  const withEnv = (env: Record<string, string>) => {
    const all = { ...b.stdio.env, ...(b.keys ? env : {}) };
    return Object.keys(all).length > 0 ? { env: all } : {};
  };
  const fromEnv = b.keys ? { secret: `${API_KEY_ENV} in the client's environment` } : {};
  const stdio = { command: b.stdio.command, args: b.stdio.args };
  switch (client) {
    case "claude-desktop": {
      const where = "claude_desktop_config.json (Settings › Developer › Edit Config)";
      const secret = b.keys
        ? { secret: "in this file (Claude Desktop cannot reference variables): keep it private" }
        : {};
      if (transport === "stdio") {
        return json(client, transport, where, {
          mcpServers: { futu: { ...stdio, ...withEnv({ [API_KEY_ENV]: b.literalKey }) } },
        }, secret);
      }
      const npx = onPath(`npx${Deno.build.os === "windows" ? ".cmd" : ""}`) ?? "npx";
      const args = [
        "-y",
        MCP_REMOTE,
        b.url,
        ...(isLoopback(b.host) ? [] : ["--allow-http"]),
        // mcp-remote expands ${AUTH_HEADER} itself: the key stays out of its command line.
        ...(b.keys ? ["--header", "Authorization:${AUTH_HEADER}"] : []),
      ];
      const env = b.keys ? { env: { AUTH_HEADER: `Bearer ${b.literalKey}` } } : {};
      return json(client, transport, where, { mcpServers: { futu: { command: npx, args, ...env } } }, {
        ...secret,
        note: "through mcp-remote (Node.js): the file takes no URLs, and Settings › Connectors connect from " +
          "Anthropic's cloud, which cannot reach this machine's futu-mcp",
      });
    }
    case "cursor": {
      const where = "~/.cursor/mcp.json (or .cursor/mcp.json in a project)";
      const ref = `\${env:${API_KEY_ENV}}`;
      const server = transport === "stdio"
        ? { ...stdio, ...withEnv({ [API_KEY_ENV]: ref }) }
        : { url: b.url, ...bearer(ref) };
      return json(client, transport, where, { mcpServers: { futu: server } }, fromEnv);
    }
    case "vscode": {
      const where = '.vscode/mcp.json in the workspace (or "MCP: Open User Configuration")';
      const ref = `\${input:${VSCODE_INPUT}}`;
      const inputs = b.keys
        ? { inputs: [{ type: "promptString", id: VSCODE_INPUT, description: "futu-mcp API key", password: true }] }
        : {};
      const server = transport === "stdio"
        ? { type: "stdio", ...stdio, ...withEnv({ [API_KEY_ENV]: ref }) }
        : { type: "http", url: b.url, ...bearer(ref) };
      return json(client, transport, where, { ...inputs, servers: { futu: server } }, {
        ...(b.keys ? { secret: "VS Code prompts for it once and keeps it in its secret storage" } : {}),
      });
    }
    case "claude-code": {
      const words = transport === "stdio"
        ? [
          "claude",
          "mcp",
          "add",
          "futu",
          "--scope",
          "user",
          ...Object.entries(b.stdio.env).flatMap(([k, v]) => ["--env", `${k}=${v}`]),
          // Single-quoted: Claude Code expands ${…} when it starts the server, not the shell now.
          ...(b.keys ? ["--env", `${API_KEY_ENV}=\${${API_KEY_ENV}}`] : []),
          "--",
          b.stdio.command,
          ...b.stdio.args,
        ]
        : [
          "claude",
          "mcp",
          "add",
          "--scope",
          "user",
          "--transport",
          "http",
          "futu",
          b.url,
          ...(b.keys ? ["--header", `Authorization: Bearer \${${API_KEY_ENV}}`] : []),
        ];
      return {
        client,
        title: TITLES[client],
        transport,
        where: "a shell (stored in ~/.claude.json for all your projects)",
        format: "shell",
        text: words.map(shellQuote).join(" "),
        ...fromEnv,
      };
    }
    case "gemini": {
      const where = '~/.gemini/settings.json (or .gemini/settings.json in a project), under "mcpServers"';
      const ref = `\${${API_KEY_ENV}}`;
      const server = transport === "stdio"
        ? { ...stdio, ...withEnv({ [API_KEY_ENV]: ref }) }
        : { httpUrl: b.url, ...bearer(ref) };
      return json(client, transport, where, { mcpServers: { futu: server } }, fromEnv);
    }
    case "codex": {
      const entries: Record<string, string | string[] | Record<string, string>> = transport === "stdio"
        ? {
          ...stdio,
          ...(Object.keys(b.stdio.env).length > 0 ? { env: b.stdio.env } : {}),
          // Codex passes only a few variables on unless named here.
          ...(b.keys ? { env_vars: [API_KEY_ENV] } : {}),
        }
        : { url: b.url, ...(b.keys ? { bearer_token_env_var: API_KEY_ENV } : {}) };
      return {
        client,
        title: TITLES[client],
        transport,
        where: "~/.codex/config.toml (or $CODEX_HOME/config.toml)",
        format: "toml",
        text: tomlTable("mcp_servers.futu", entries),
        ...fromEnv,
      };
    }
  }
}

/** The configurations for the selected clients and transports (all by default). */
export function mcpConfigs(spec: McpConfigSpec): McpConfigs {
  const url = spec.httpUrl ?? DEFAULT_HTTP_URL;
  const listen = listenOf(url);
  const keysFile = spec.keysFile ? resolve(spec.keysFile) : undefined;
  const server = locateFutuMcp(spec.gateway, keysFile);
  if (!server) {
    return {
      futu_mcp: null,
      note: "futu-mcp was not found next to futucli or on PATH: install it there, then run futucli mcp-config",
      configs: [],
    };
  }
  const demo = spec.gateway === "sim" && !keysFile;
  const serverArgs = [
    "--gateway",
    spec.gateway,
    ...(keysFile ? ["--keys-file", keysFile] : []),
    // Without API keys, trade tools need this; on the simulator every order is simulated anyway.
    ...(demo ? ["--enable-trading"] : []),
  ];
  const stdioArgs = [...server.args(), ...serverArgs];
  const httpArgs = [...server.args(listen), ...serverArgs, "--http-listen", listen];
  const built: Built = {
    keys: keysFile !== undefined,
    literalKey: spec.apiKey ?? "<the key's plaintext from futucli gen-key>",
    stdio: { command: server.command, args: stdioArgs, env: server.env ?? {} },
    url,
    host: new URL(url).hostname,
  };
  const transports = spec.transports ?? TRANSPORTS;
  const configs = (spec.clients ?? CLIENTS).flatMap((client) => transports.map((t) => configOf(client, t, built)));
  return {
    futu_mcp: {
      command: server.command,
      args: stdioArgs,
      found: server.found,
      ...(server.env ? { env: server.env } : {}),
    },
    gateway: spec.gateway,
    demo,
    ...(keysFile ? { keys_file: keysFile } : {}),
    ...(transports.includes("http")
      ? {
        http: {
          url,
          listen,
          command: server.command,
          args: httpArgs,
          shell: [server.command, ...httpArgs].map(shellQuote).join(" "),
        },
      }
      : {}),
    configs,
  };
}

/** The configurations as text for a person: what futu-mcp will do, then each client with where it goes. */
export function describeConfigs(configs: McpConfigs): string {
  if (!configs.futu_mcp) return `${configs.note}\n`;
  const lines = [`futu-mcp: ${configs.futu_mcp.command} (${configs.futu_mcp.found})`];
  if (configs.demo) {
    lines.push(
      "Demo: the embedded simulated OpenD (made-up market data, no OpenD needed) with trade tools on",
      "(--enable-trading); every order goes to a simulated account. No API key: over HTTP anyone on this",
      "machine who can reach the port may use it.",
    );
  } else if (configs.gateway === "sim") {
    lines.push("Gateway: the embedded simulated OpenD (made-up market data, no OpenD needed).");
  } else {
    lines.push(`Gateway: OpenD at ${configs.gateway}.`);
  }
  if (configs.keys_file) {
    lines.push(
      `API key: the configs read ${API_KEY_ENV} from the client's environment (set it without echo or shell`,
      `history: read -rs ${API_KEY_ENV} && export ${API_KEY_ENV}; then start the client from that shell);`,
      "VS Code prompts for it; Claude Desktop's file holds it.",
    );
  }
  if (configs.http) {
    lines.push("", `Streamable HTTP: start futu-mcp, then clients connect to ${configs.http.url}:`, configs.http.shell);
  }
  let client = "";
  for (const config of configs.configs) {
    if (config.client !== client) {
      client = config.client;
      lines.push("", `== ${config.title} ==`);
    }
    lines.push(`${config.transport}: ${config.where}${config.note ? ` — ${config.note}` : ""}`, config.text);
  }
  if (configs.configs.length > 2) {
    lines.push(
      "",
      "One client: futucli mcp-config --client <name> [--transport stdio|http]; -o json: all of it as data.",
    );
  }
  lines.push("");
  return lines.join("\n");
}
