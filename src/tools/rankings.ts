/**
 * Rankings and market breadth: movers, hot lists, period change, dividend and earnings ranks, heat map, rise/fall distribution, industrial chains. The tools (toolset `rankings`, scope `qot:read`).
 *
 * @module
 */
import type { Tool } from "./tool.ts";

/** The rankings tools. */
export const RANKING_TOOLS: readonly Tool[] = [];
