/**
 * Event contracts: browse categories, series, events and contracts; quotes, order books, trades, K-lines and combos. The tools (toolset `event-contracts`, scope `qot:read`).
 *
 * @module
 */
import type { Tool } from "./tool.ts";

/** The event contracts tools. */
export const EVENT_CONTRACT_TOOLS: readonly Tool[] = [];
