/**
 * Options analytics: volatility, exercise probability, quotes, strategies, statistics and ranks, option events, 0DTE, earnings and seller screeners. The tools (toolset `options-analytics`; scope `qot:read`, option event alerts `watchlist:write`).
 *
 * @module
 */
import type { Tool } from "./tool.ts";

/** The options analytics tools. */
export const OPTIONS_ANALYTICS_TOOLS: readonly Tool[] = [];
