/**
 * MCP resources (placeholder until the resources work lands).
 *
 * @module
 */
import type { CallMeta, ToolGuard } from "../tools/guard.ts";
import { ErrorCode, McpError, type ReadResourceResult, type Resource, type ResourceTemplate } from "./sdk.ts";

/** The resource templates. */
export const RESOURCE_TEMPLATES: readonly ResourceTemplate[] = [];

/** One MCP session's resources and subscriptions. */
export class ResourceSession {
  constructor(
    _options: { reader: ToolGuard; sinkId: string; updated: (uri: string) => void },
  ) {}

  /** `resources/list`. */
  list(_meta: CallMeta): Promise<Resource[]> {
    return Promise.resolve([]);
  }

  /** `resources/read`. */
  read(uri: string, _meta: CallMeta): Promise<ReadResourceResult> {
    return Promise.reject(new McpError(ErrorCode.InvalidParams, `unknown resource ${uri}`));
  }

  /** `resources/subscribe`. */
  subscribe(uri: string, _meta: CallMeta): Promise<void> {
    return Promise.reject(new McpError(ErrorCode.InvalidParams, `unknown resource ${uri}`));
  }

  /** `resources/unsubscribe`. */
  unsubscribe(_uri: string, _meta: CallMeta): Promise<void> {
    return Promise.resolve();
  }
}
