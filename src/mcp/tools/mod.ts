/**
 * Every futu-mcp tool, in listing order, and the selection `--toolsets` and
 * `--read-only` make.
 *
 * @module
 */
import { isReadOnly, type Tool, type Toolset } from "../tool.ts";
import { ACCOUNT_TOOLS } from "./account.ts";
import { QUOTE_TOOLS } from "./quote.ts";
import { TRADE_TOOLS } from "./trade.ts";

/** All tools. */
export const ALL_TOOLS: readonly Tool[] = [...QUOTE_TOOLS, ...ACCOUNT_TOOLS, ...TRADE_TOOLS];

/** The tools a server exposes. */
export function selectTools(options: { toolsets?: readonly Toolset[]; readOnly?: boolean } = {}): Tool[] {
  return ALL_TOOLS.filter((tool) =>
    (options.toolsets === undefined || options.toolsets.includes(tool.toolset)) &&
    (!options.readOnly || isReadOnly(tool))
  );
}
