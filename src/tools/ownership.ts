/**
 * Ownership: shareholders, insiders, institutions, ARK funds, short interest and volume, top brokers. The tools (toolset `ownership`, scope `qot:read`).
 *
 * @module
 */
import type { Tool } from "./tool.ts";

/** The ownership tools. */
export const OWNERSHIP_TOOLS: readonly Tool[] = [];
