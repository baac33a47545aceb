/**
 * Options analytics, screeners and technical indicators. The tools (toolsets `options-analytics`, `screen` and `technicals`; scope `qot:read`, option event alerts `watchlist:write`).
 *
 * @module
 */
import type { Tool } from "./tool.ts";

/** The options analytics tools. */
export const OPTIONS_ANALYTICS_TOOLS: readonly Tool[] = [];
