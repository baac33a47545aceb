/**
 * Macro calendars, indicators, FedWatch, suspensions and news. The tools (toolsets `macro`, `calendar` and `news`, scope `qot:read`).
 *
 * @module
 */
import type { Tool } from "./tool.ts";

/** The macro tools. */
export const MACRO_TOOLS: readonly Tool[] = [];
