/**
 * What a long read — several requests to OpenD in a row (pages, batches,
 * windows) — takes from its caller: a signal it checks before each request
 * and after each reply, so that a cancelled read sends nothing more and
 * reports nothing more (a request already sent cannot be recalled: its reply
 * is awaited and dropped), and a progress callback it calls once per request
 * done, never per row.
 *
 * @example
 * ```ts
 * import { afterRequest, type LongRead, throwIfCancelled } from "./long_read.ts";
 * async function pages(read: LongRead, fetchPage: (n: number) => Promise<void>, count: number) {
 *   for (let n = 0; n < count; n++) {
 *     throwIfCancelled(read.signal);
 *     await fetchPage(n);
 *     afterRequest(read, n + 1, count, "pages");
 *   }
 * }
 * ```
 *
 * @module
 */

/** How the caller of a long read follows and stops it. */
export interface LongRead {
  /** Aborts when the caller no longer wants the result. */
  readonly signal?: AbortSignal;
  /** Requests (or rows) done so far, of `total` when known; `done` grows with every call. */
  progress?(done: number, total?: number, message?: string): void;
}

/**
 * The error a cancelled long read fails with: an `AbortError` DOMException whatever the abort reason (an MCP
 * client's cancellation reason is free text, which `signal.throwIfAborted()` would throw as it is), so that every
 * caller can tell a cancellation from a failure.
 */
export function cancelledError(): DOMException {
  return new DOMException("the call was cancelled", "AbortError");
}

/** Throws {@link cancelledError} when `signal` has aborted. */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelledError();
}

/**
 * After a reply: a read cancelled while the request was in flight stops here (the reply is dropped, no progress
 * goes out for it); otherwise the progress is reported.
 */
export function afterRequest(read: LongRead, done: number, total?: number, message?: string): void {
  throwIfCancelled(read.signal);
  read.progress?.(done, total, message);
}
