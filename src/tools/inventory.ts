/**
 * Every futu-mcp tool, in listing order, and the selection `--toolsets` and
 * `--read-only` make.
 *
 * @module
 */
import { isReadOnly, type Tool, type Toolset } from "./tool.ts";
import { ACCOUNT_TOOLS } from "./account.ts";
import { QUOTE_TOOLS } from "./quote.ts";
import { PUSH_TOOLS } from "./push.ts";
import { TRADE_TOOLS } from "./trade.ts";
export { PUSH_TOOLS };

/** All tools. */
export const ALL_TOOLS: readonly Tool[] = [...QUOTE_TOOLS, ...ACCOUNT_TOOLS, ...TRADE_TOOLS, ...PUSH_TOOLS];

/** The toolsets offered when `--toolsets` is not given ("push" is opt-in). */
export const DEFAULT_TOOLSETS: readonly Toolset[] = ["quote", "account", "trade"];

/** The tools a server exposes. */
export function selectTools(options: { toolsets?: readonly Toolset[]; readOnly?: boolean } = {}): Tool[] {
  const toolsets = options.toolsets ?? DEFAULT_TOOLSETS;
  return ALL_TOOLS.filter((tool) => toolsets.includes(tool.toolset) && (!options.readOnly || isReadOnly(tool)));
}
