/**
 * MCP prompts (placeholder until the prompts work lands).
 *
 * @module
 */
import type { CallMeta, ToolGuard } from "../tools/guard.ts";
import { ErrorCode, type GetPromptResult, McpError, type Prompt } from "./sdk.ts";

/** The prompts. */
export const PROMPTS: readonly Prompt[] = [];

/** `prompts/get`. */
export function getPrompt(
  _reader: ToolGuard,
  name: string,
  _args: Record<string, string>,
  _meta: CallMeta,
): Promise<GetPromptResult> {
  return Promise.reject(new McpError(ErrorCode.InvalidParams, `unknown prompt ${name}`));
}
