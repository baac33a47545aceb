/**
 * Typed failures of gateway calls. Each carries `retryable`: whether sending
 * the same request again is safe. A trade write whose outcome is unknown is
 * never retryable: the order may exist.
 *
 * @example
 * ```ts
 * import { GatewayError, OpenDError } from "./errors.ts";
 * try {
 *   // await gateway.quote.getBasicQot(["HK.00700"]);
 * } catch (err) {
 *   if (err instanceof OpenDError) console.error(err.retMsg);
 *   else if (err instanceof GatewayError && err.retryable) console.error("try again");
 * }
 * ```
 *
 * @module
 */

/** Machine-readable kind of a {@link GatewayError}. */
export type GatewayErrorCode =
  | "opend_error"
  | "timeout"
  | "unavailable"
  | "connection_lost"
  | "outcome_unknown"
  | "protocol"
  | "closed";

/** Base class of every gateway failure. */
export abstract class GatewayError extends Error {
  abstract readonly code: GatewayErrorCode;
  /** True when sending the same request again is safe. */
  abstract readonly retryable: boolean;
}

/** OpenD answered with `retType ≠ 0`. */
export class OpenDError extends GatewayError {
  override name = "OpenDError";
  readonly code = "opend_error";
  readonly retryable = false;
  /** OpenD's message, the text a user should see (as {@link openDText} leaves it). */
  readonly retMsg: string;
  constructor(
    /** The protocol that failed, e.g. "Trd_PlaceOrder". */
    readonly protocol: string,
    readonly retType: number,
    retMsg: string,
    readonly errCode?: number,
  ) {
    const text = openDText(retMsg);
    super(`${protocol} failed: ${text || `retType ${retType}`}`);
    this.retMsg = text;
  }
}

/** The longest OpenD message passed on; OpenD's own are a line. */
export const MAX_OPEND_TEXT = 500;

/** Control characters but tab and newline, and the invisible direction marks and overrides. */
// deno-lint-ignore no-control-regex -- control characters are what is removed
const UNSAFE_TEXT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * OpenD's text as it may reach a model and a terminal: control characters (but tab and newline) and the
 * invisible direction overrides that make text read other than it is are dropped, and a message longer than
 * {@link MAX_OPEND_TEXT} is cut, saying how much was.
 */
export function openDText(text: string): string {
  const clean = text.replace(UNSAFE_TEXT, "");
  return clean.length <= MAX_OPEND_TEXT
    ? clean
    : `${clean.slice(0, MAX_OPEND_TEXT)}… (${clean.length - MAX_OPEND_TEXT} more characters)`;
}

/** No reply within the request timeout. */
export class GatewayTimeoutError extends GatewayError {
  override name = "GatewayTimeoutError";
  readonly code = "timeout";
  readonly retryable = true;
  constructor(readonly protocol: string, readonly timeoutMs: number) {
    super(`${protocol}: no reply from OpenD within ${timeoutMs} ms`);
  }
}

/** The request was not sent: the gateway is unreachable or not connected. */
export class GatewayUnavailableError extends GatewayError {
  override name = "GatewayUnavailableError";
  readonly code = "unavailable";
  readonly retryable = true;
}

/** The connection dropped while a read request was in flight. */
export class ConnectionLostError extends GatewayError {
  override name = "ConnectionLostError";
  readonly code = "connection_lost";
  readonly retryable = true;
  constructor(readonly protocol: string, reason: string) {
    super(`${protocol}: connection to OpenD lost before the reply (${reason})`);
  }
}

/**
 * A trade write was sent but no reply arrived (timeout, connection lost, or an
 * unreadable reply). The order may or may not exist; it is never re-sent.
 */
export class TradeOutcomeUnknownError extends GatewayError {
  override name = "TradeOutcomeUnknownError";
  readonly code = "outcome_unknown";
  readonly retryable = false;
  constructor(readonly protocol: string, reason: string) {
    super(
      `${protocol}: the request was sent but its outcome is unknown (${reason}). ` +
        "It was not re-sent. Check today's orders before trying again.",
    );
  }
}

/** OpenD sent something we could not read: bad frame, SHA-1 mismatch, undecodable body. */
export class GatewayProtocolError extends GatewayError {
  override name = "GatewayProtocolError";
  readonly code = "protocol";
  readonly retryable = false;
}

/** The client was closed by its owner. */
export class GatewayClosedError extends GatewayError {
  override name = "GatewayClosedError";
  readonly code = "closed";
  readonly retryable = false;
  constructor() {
    super("the gateway client is closed");
  }
}
