/**
 * Stock, option and warrant screens (toolset `screen`) and technical indicators (toolset
 * `technicals`). Scope `qot:read`.
 *
 * @module
 */
import type { Tool } from "./tool.ts";

/** The screen and indicator tools. */
export const SCREEN_TOOLS: readonly Tool[] = [];
