/**
 * `futucli mcp-config`: the MCP client configurations for futu-mcp (Claude
 * Desktop, Cursor, VS Code, Claude Code, Gemini CLI, Codex CLI; stdio and
 * Streamable HTTP), with the real, absolute path of futu-mcp.
 *
 * @module
 */
import { Command, InvalidArgumentError } from "commander";
import { CliError, EXIT } from "../exit_codes.ts";
import { csv, emit, globalsOf } from "../common.ts";
import {
  type ClientName,
  CLIENTS,
  DEFAULT_HTTP_URL,
  describeConfigs,
  mcpConfigs,
  type Transport,
  TRANSPORTS,
} from "../mcp_config.ts";

function oneOf<T extends string>(valid: readonly T[]) {
  return (value: string): T[] => {
    const names = csv(value);
    for (const name of names) {
      if (!(valid as readonly string[]).includes(name)) {
        throw new InvalidArgumentError(`unknown "${name}" (valid: ${valid.join(", ")})`);
      }
    }
    if (names.length === 0) throw new InvalidArgumentError(`none named (valid: ${valid.join(", ")})`);
    return names as T[];
  };
}

/** Builds the `mcp-config` command. */
export function mcpConfigCommand(): Command {
  return new Command("mcp-config")
    .description(
      "print MCP client configurations for futu-mcp (Claude Desktop, Cursor, VS Code, Claude Code, Gemini CLI, Codex CLI)",
    )
    .option("--keys-file <path>", "have futu-mcp use these API keys (clients pass the key in FUTU_MCP_API_KEY)")
    .option("--client <names>", `only these clients: ${CLIENTS.join(", ")}`, oneOf(CLIENTS))
    .option("--transport <names>", "only stdio or http", oneOf(TRANSPORTS))
    .option("--http-url <url>", "where clients reach futu-mcp over Streamable HTTP", DEFAULT_HTTP_URL)
    .addHelpText(
      "after",
      "\n--gateway sim (before or after mcp-config) prints a demo: futu-mcp on the embedded simulator, trading simulated.",
    )
    .action(
      (
        options: { keysFile?: string; client?: ClientName[]; transport?: Transport[]; httpUrl: string },
        cmd: Command,
      ) => {
        const configs = mcpConfigs({
          gateway: globalsOf(cmd).gateway,
          keysFile: options.keysFile,
          httpUrl: options.httpUrl,
          clients: options.client,
          transports: options.transport,
        });
        if (!configs.futu_mcp) throw new CliError(EXIT.failure, configs.note!);
        emit(cmd, configs, () => describeConfigs(configs));
      },
    );
}
