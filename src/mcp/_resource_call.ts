/**
 * Tool calls on behalf of the resources and completion: each goes through
 * the reader guard (key, scopes, account whitelist, audit), and a failed call
 * becomes an MCP error carrying the tool error's message, code and hint.
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { CallMeta, ToolGuard, ToolResult } from "../tools/guard.ts";
import { ERROR_CODES, type ErrorCode as ToolErrorCode } from "../tools/errors.ts";
import { ErrorCode, McpError } from "./sdk.ts";

/** A tool's structured result. */
export type Structured = Record<string, unknown>;

/** The `{error, code, hint}` a tool error result carries. */
interface ToolFailure {
  error: string;
  code: ToolErrorCode;
  hint?: string;
}

function failureOf(result: ToolResult): ToolFailure {
  try {
    const body = JSON.parse(result.content[0]?.text ?? "") as Partial<ToolFailure>;
    if (typeof body.error === "string" && typeof body.code === "string" && body.code in ERROR_CODES) {
      return body as ToolFailure;
    }
  } catch {
    // Every guard error result is JSON; anything else is reported as it is below.
  }
  return { error: result.content[0]?.text ?? "the call failed", code: "internal" };
}

/**
 * An MCP error whose message is the text itself: McpError prefixes "MCP error <code>: ", which the
 * server would send on the wire and the client's McpError would prefix again.
 */
export function mcpError(code: ErrorCode, message: string, data?: Record<string, unknown>): McpError {
  const error = new McpError(code, message, data);
  error.message = message;
  return error;
}

/** The MCP error of a failed tool call: bad arguments and unusable accounts are InvalidParams, refusals InvalidRequest. */
export function mcpErrorOf(failure: ToolFailure): McpError {
  const code = failure.code === "invalid_arguments" || failure.code === "account"
    ? ErrorCode.InvalidParams
    : ERROR_CODES[failure.code].refusal
    ? ErrorCode.InvalidRequest
    : ErrorCode.InternalError;
  return mcpError(code, failure.error, { code: failure.code, ...(failure.hint ? { hint: failure.hint } : {}) });
}

/** Whether a failed call was the access rules saying no. */
export function isRefusal(error: McpError): boolean {
  const code = (error.data as { code?: ToolErrorCode } | undefined)?.code;
  return code !== undefined && ERROR_CODES[code].refusal;
}

/** Calls a tool through the reader: its structured result, or an McpError with the tool error's message. */
export async function callTool(
  reader: ToolGuard,
  name: string,
  args: Record<string, unknown>,
  meta: CallMeta,
): Promise<Structured> {
  const result = await reader.call(name, args, meta);
  if (result.isError || !result.structuredContent) throw mcpErrorOf(failureOf(result));
  return result.structuredContent;
}

/** Like {@link callTool}, but any failure is `undefined` (completion offers nothing rather than failing). */
export function tryTool(
  reader: ToolGuard,
  name: string,
  args: Record<string, unknown>,
  meta: CallMeta,
): Promise<Structured | undefined> {
  return callTool(reader, name, args, meta).catch(() => undefined);
}

/** One watchlist entry. */
export interface WatchedSecurity {
  symbol: string;
  name: string;
}

/**
 * How long a caller's watchlist is reused. OpenD allows 10 watchlist requests per 30 s per connection,
 * shared with the tools, and completion asks on every keystroke.
 */
const WATCHLIST_TTL_MS = 30_000;
/** Callers remembered per reader (each a key, or the stdio session). */
const MAX_CACHED_CALLERS = 64;

const watchlists = new WeakMap<ToolGuard, Map<string, { at: number; list: Promise<WatchedSecurity[] | undefined> }>>();

/** Whose watchlist read this is: the transport and a digest of the bearer (never the key itself). */
function callerKey(meta: CallMeta): string {
  const bearer = meta.bearer ? createHash("sha256").update(meta.bearer, "utf8").digest("hex") : "";
  return `${meta.transport ?? ""}|${bearer}`;
}

async function fetchWatchlist(reader: ToolGuard, meta: CallMeta): Promise<WatchedSecurity[] | undefined> {
  const groups = await tryTool(reader, "futu_get_user_security_group", { group_type: "SYSTEM" }, meta);
  const first = (groups?.rows as unknown[][] | undefined)?.[0]?.[0];
  if (typeof first !== "string") return undefined;
  const list = await tryTool(reader, "futu_get_user_security", { group: first }, meta);
  if (!list) return undefined;
  return (list.rows as unknown[][]).flatMap((row) =>
    typeof row[0] === "string" ? [{ symbol: row[0], name: typeof row[1] === "string" ? row[1] : "" }] : []
  );
}

/**
 * The user's whole watchlist: the first system group (OpenD lists "All" first, under a localised name),
 * or nothing when the key may not read it. A caller's successful read is reused for
 * {@link WATCHLIST_TTL_MS}; a failed one is not kept.
 */
export async function watchlist(reader: ToolGuard, meta: CallMeta): Promise<WatchedSecurity[]> {
  let byCaller = watchlists.get(reader);
  if (!byCaller) watchlists.set(reader, byCaller = new Map());
  const key = callerKey(meta);
  const now = Date.now();
  let entry = byCaller.get(key);
  if (!entry || now - entry.at >= WATCHLIST_TTL_MS) {
    byCaller.delete(key);
    if (byCaller.size >= MAX_CACHED_CALLERS) byCaller.delete(byCaller.keys().next().value!);
    entry = { at: now, list: fetchWatchlist(reader, meta) };
    byCaller.set(key, entry);
  }
  const list = await entry.list;
  if (!list && byCaller.get(key) === entry) byCaller.delete(key);
  return list ?? [];
}

/** One account as futu_list_accounts gives it. */
export interface VisibleAccount {
  acc_id: string;
  env: string;
  markets: string[];
  type?: string;
  firm?: string;
}

/** The accounts this caller may see (futu_list_accounts applies the key's account whitelist). */
export async function visibleAccounts(reader: ToolGuard, meta: CallMeta): Promise<VisibleAccount[]> {
  const listed = await callTool(reader, "futu_list_accounts", {}, meta);
  return listed.accounts as VisibleAccount[];
}
