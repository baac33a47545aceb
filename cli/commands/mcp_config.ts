/**
 * `futucli mcp-config`: the client configuration for Claude Desktop, Cursor,
 * VS Code and Claude Code, with the real path of futu-mcp.
 *
 * @module
 */
import { Command } from "commander";
import { CliError, EXIT } from "../exit_codes.ts";
import { emit, globalsOf } from "../common.ts";
import { describeConfigs, mcpConfigs } from "../mcp_config.ts";

/** Builds the `mcp-config` command. */
export function mcpConfigCommand(): Command {
  return new Command("mcp-config")
    .description("print MCP client configuration (Claude Desktop, Cursor, VS Code, Claude Code) for futu-mcp")
    .option("--keys-file <path>", "have futu-mcp use these API keys (the key itself goes in FUTU_MCP_API_KEY)")
    .action((options: { keysFile?: string }, cmd: Command) => {
      const configs = mcpConfigs({ gateway: globalsOf(cmd).gateway, keysFile: options.keysFile });
      if (!configs.futu_mcp) throw new CliError(EXIT.failure, configs.note!);
      emit(cmd, configs, () => describeConfigs(configs));
    });
}
