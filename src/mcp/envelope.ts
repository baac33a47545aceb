/**
 * The JSON-RPC 2.0 envelope check both transports make on a body that did
 * parse as JSON: what is not a JSON-RPC message is an Invalid Request
 * (`-32600`), never a Parse error (`-32700`, for text that is not JSON), and
 * its error carries the request's id when one can be read, else null (JSON-RPC
 * 2.0 §5).
 *
 * @module
 */
import { type JSONRPCMessage, JSONRPCMessageSchema } from "./sdk.ts";

/** Why a parsed body is not a JSON-RPC message, and the id to answer with. */
export interface InvalidEnvelope {
  message: string;
  id: string | number | null;
}

/** The id of a would-be request, when it has a usable one. */
function idOf(json: unknown): string | number | null {
  if (!json || typeof json !== "object" || Array.isArray(json) || !Object.hasOwn(json, "id")) return null;
  const id = (json as { id: unknown }).id;
  return typeof id === "string" || typeof id === "number" ? id : null;
}

/** The message `json` is, or what is wrong with it, in a few words. */
function check(json: unknown): JSONRPCMessage | string {
  const parsed = JSONRPCMessageSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  if (!json || typeof json !== "object" || Array.isArray(json)) {
    return `expected a JSON-RPC 2.0 object, got ${
      Array.isArray(json) ? "an array" : json === null ? "null" : typeof json
    }`;
  }
  const message = json as Record<string, unknown>;
  if (message.jsonrpc !== "2.0") return `"jsonrpc" must be "2.0", got ${JSON.stringify(message.jsonrpc) ?? "none"}`;
  if ("method" in message && typeof message.method !== "string") return `"method" must be a string`;
  if ("id" in message && typeof message.id !== "string" && typeof message.id !== "number") {
    return `"id" must be a string or a number`;
  }
  return "not a JSON-RPC 2.0 request, notification or response";
}

/** Why `json` is neither a JSON-RPC message nor a non-empty batch (array) of them; undefined when it is. */
export function invalidEnvelope(json: unknown): InvalidEnvelope | undefined {
  if (Array.isArray(json)) {
    if (json.length === 0) return { message: "Invalid Request: an empty batch", id: null };
    for (const [index, element] of json.entries()) {
      const why = check(element);
      if (typeof why === "string") return { message: `Invalid Request: batch element ${index}: ${why}`, id: null };
    }
    return undefined;
  }
  const parsed = parseMessage(json);
  return "invalid" in parsed ? parsed.invalid : undefined;
}

/** The one JSON-RPC message `json` is, or why it is none. */
export function parseMessage(json: unknown): { message: JSONRPCMessage } | { invalid: InvalidEnvelope } {
  const checked = check(json);
  return typeof checked === "string"
    ? { invalid: { message: `Invalid Request: ${checked}`, id: idOf(json) } }
    : { message: checked };
}
