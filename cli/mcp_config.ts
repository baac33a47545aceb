/**
 * MCP client configurations for futu-mcp: Claude Desktop, Cursor, VS Code and
 * Claude Code. The command is real or absent: futu-mcp next to futucli, then on
 * PATH, then (only when futucli itself runs from a source checkout) Deno running
 * its `main.ts` with least-privilege flags. The installed executable is named by
 * its absolute path: GUI clients such as Claude Desktop start servers with a
 * minimal PATH that rarely includes `~/.local/bin`. Never a placeholder that
 * looks like a path.
 *
 * @module
 */
import { basename, delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { futuMcpPermissions } from "../src/app/launch.ts";
import { BUILD } from "../src/version.ts";

/** How to start futu-mcp. */
export interface FutuMcpCommand {
  command: string;
  args: string[];
  /** "next to futucli", "on PATH" or "from source". */
  found: string;
}

/** What the configuration should make futu-mcp do. */
export interface McpConfigSpec {
  gateway: string;
  keysFile?: string;
  /** The key's plaintext, when just generated; otherwise a clearly marked blank to fill. */
  apiKey?: string;
}

/** All configurations, or why there are none. */
export interface McpConfigs {
  futu_mcp: FutuMcpCommand | null;
  note?: string;
  claude_desktop?: unknown;
  cursor?: unknown;
  vscode?: unknown;
  claude_code?: string;
}

const EXE = Deno.build.os === "windows" ? ".exe" : "";

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/** Finds futu-mcp: next to this futucli binary, on PATH, or this checkout's main.ts. */
function locateFutuMcp(spec: McpConfigSpec): FutuMcpCommand | null {
  const serverArgs = ["--gateway", spec.gateway, ...(spec.keysFile ? ["--keys-file", spec.keysFile] : [])];
  const self = Deno.execPath();
  if (basename(self).startsWith("futucli")) {
    // Installed names (futu-mcp), or the release file names side by side in a download folder.
    for (const name of [`futu-mcp${EXE}`, basename(self).replace(/^futucli/, "futu-mcp")]) {
      const sibling = join(dirname(self), name);
      if (isFile(sibling)) return { command: sibling, args: serverArgs, found: "next to futucli" };
    }
  }
  for (const dir of (Deno.env.get("PATH") ?? "").split(delimiter).filter(Boolean)) {
    const candidate = join(dir, `futu-mcp${EXE}`);
    if (isFile(candidate)) return { command: candidate, args: serverArgs, found: "on PATH" };
  }
  // A release build never points at a checkout: it is the installed futu-mcp or nothing.
  if (BUILD) return null;
  const here = new URL("../main.ts", import.meta.url);
  if (here.protocol === "file:" && isFile(fileURLToPath(here))) {
    const main = fileURLToPath(here);
    const keysDir = spec.keysFile ? dirname(spec.keysFile) : undefined;
    const permissions = futuMcpPermissions({
      gateway: spec.gateway,
      read: [dirname(main), ...(keysDir ? [keysDir] : [])],
      write: keysDir ? [keysDir] : [],
    });
    return { command: self, args: ["run", ...permissions, main, ...serverArgs], found: "from source" };
  }
  return null;
}

function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'"'"'`)}'`;
}

/** The configurations for every supported client. */
export function mcpConfigs(spec: McpConfigSpec): McpConfigs {
  const server = locateFutuMcp(spec);
  if (!server) {
    return {
      futu_mcp: null,
      note: "futu-mcp was not found next to futucli or on PATH: install it there, then run futucli mcp-config",
    };
  }
  const env = spec.keysFile
    ? { FUTU_MCP_API_KEY: spec.apiKey ?? "<the key's plaintext from futucli gen-key>" }
    : undefined;
  const stdio = { command: server.command, args: server.args, ...(env ? { env } : {}) };
  const claudeCode = [
    "claude",
    "mcp",
    "add",
    "futu",
    ...(env ? ["--env", `FUTU_MCP_API_KEY=${env.FUTU_MCP_API_KEY}`] : []),
    "--",
    server.command,
    ...server.args,
  ].map(shellQuote).join(" ");
  return {
    futu_mcp: server,
    claude_desktop: { mcpServers: { futu: stdio } },
    cursor: { mcpServers: { futu: stdio } },
    vscode: { servers: { futu: { type: "stdio", ...stdio } } },
    claude_code: claudeCode,
  };
}

/** The configurations as text for a person. */
export function describeConfigs(configs: McpConfigs): string {
  if (!configs.futu_mcp) return `${configs.note}\n`;
  const json = (value: unknown) => JSON.stringify(value, null, 2);
  return [
    `futu-mcp: ${configs.futu_mcp.command} (${configs.futu_mcp.found})`,
    "",
    "Claude Desktop (claude_desktop_config.json) and Cursor (~/.cursor/mcp.json):",
    json(configs.claude_desktop),
    "",
    "VS Code (.vscode/mcp.json):",
    json(configs.vscode),
    "",
    "Claude Code:",
    configs.claude_code,
    "",
  ].join("\n");
}
