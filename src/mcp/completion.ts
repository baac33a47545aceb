/**
 * MCP completion (placeholder until the completion work lands).
 *
 * @module
 */
import type { CallMeta, ToolGuard } from "../tools/guard.ts";
import type { CompleteRequest, CompleteResult } from "./sdk.ts";

/** `completion/complete`. */
export function complete(
  _reader: ToolGuard,
  _params: CompleteRequest["params"],
  _meta: CallMeta,
): Promise<CompleteResult> {
  return Promise.resolve({ completion: { values: [], hasMore: false } });
}
