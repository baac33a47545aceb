/**
 * Tool errors a model can act on: what went wrong (OpenD's own message when it
 * refused), a machine-readable code, and a hint saying what to do next.
 * Messages and hints name tools and arguments as MCP clients see them
 * (`futu_get_static`, `acc_id`); a one-word argument is named after "pass"
 * ("pass qty as …"), so that futucli can show its own commands and flags
 * instead (`cli/terms.ts`).
 *
 * @module
 */
import {
  ConnectionLostError,
  EnumValueError,
  GatewayClosedError,
  GatewayProtocolError,
  GatewayTimeoutError,
  GatewayUnavailableError,
  IdError,
  OpenDError,
  OrderValueError,
  SymbolError,
  TradeOutcomeUnknownError,
} from "../gateway/mod.ts";
import { AccountError } from "../services/accounts.ts";
import { IdempotencyConflictError, ReplayedFailure } from "../services/idempotency.ts";
import { StateUnavailableError } from "../state/store.ts";
import { QuotaExhaustedError } from "../services/market_data.ts";
import { TradePasswordMissingError, UnlockCooldownError } from "../services/orders.ts";
import { KeychainError } from "../services/keychain.ts";

/**
 * Every code a tool call can fail with — the one vocabulary of the guard, the
 * MCP surface (`code` in the error result) and futucli's exit codes. `refusal`
 * marks the access rules saying no (audited and counted as "rejected").
 */
export const ERROR_CODES = {
  invalid_arguments: { refusal: false, what: "the arguments are wrong (the message names the field)" },
  unknown_tool: { refusal: true, what: "no such tool, or not offered to this key" },
  unauthorized: { refusal: true, what: "no valid key, or the key lacks the scope" },
  forbidden: { refusal: true, what: "the key may not use this account, market, symbol or side" },
  limit: { refusal: true, what: "a limit of the key: value, rate, daily cap, hours, price collar" },
  halted: { refusal: true, what: "the kill switch is on" },
  cooldown: { refusal: true, what: "a wrong trade password was used recently" },
  confirmation_required: { refusal: true, what: "a real-account write needs a person's confirmation" },
  not_confirmed: { refusal: true, what: "the person declined or did not answer the confirmation: nothing was sent" },
  cancelled: { refusal: false, what: "the client cancelled the call" },
  unlock_unavailable: { refusal: false, what: "no trade password is configured (or the keychain failed)" },
  audit_unavailable: { refusal: false, what: "the audit log cannot be written, so no trade write is sent" },
  state_unavailable: {
    refusal: false,
    what: "the shared state (Redis) cannot be reached, so no trade write is sent; reads go on",
  },
  idempotency_conflict: { refusal: false, what: "an idempotency key reused with other arguments" },
  push_unavailable: { refusal: false, what: "this connection cannot receive pushes" },
  gateway_unavailable: { refusal: false, what: "OpenD cannot be reached" },
  gateway_timeout: { refusal: false, what: "OpenD did not answer in time (a read: safe to retry)" },
  gateway_error: { refusal: false, what: "the link to OpenD failed" },
  opend_error: { refusal: false, what: "OpenD refused the request (its message is given)" },
  account: { refusal: false, what: "the account asked for cannot be used so" },
  quota: { refusal: false, what: "OpenD's subscription or history quota is used up" },
  outcome_unknown: { refusal: false, what: "a trade write may or may not have executed: check orders" },
  internal: { refusal: false, what: "a bug: the detail is logged" },
} as const satisfies Record<string, { refusal: boolean; what: string }>;

/** A tool error code. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** A failure reported to the caller as a tool error (`isError: true`). */
export class ToolError extends Error {
  override name = "ToolError";
  constructor(readonly code: ErrorCode, message: string, readonly hint?: string) {
    super(message);
  }
}

const OPEND_HINTS: [RegExp, string][] = [
  [
    /password incorrect/i,
    "The configured trade password was refused. The operator must fix it (futucli set-trade-pwd); do not retry.",
  ],
  [/unlock/i, "Real trading is locked: call futu_unlock_trade (the server supplies the password), then retry."],
  [/not subscribed/i, "The subscription was missing; retry the call (subscriptions are made automatically)."],
  [/quota/i, "OpenD's quota is used up: ask for fewer securities, or retry after a minute."],
  [/too frequent|requests per|ms apart/i, "OpenD's rate limit: wait before retrying (the message says how long)."],
  [
    /market closed/i,
    "The market is closed now (futu_ping shows market states): use a limit order, which waits for the open, or retry in trading hours.",
  ],
  [
    /unknown stock|unknown plate/i,
    'Check the symbol: "MARKET.CODE" such as "HK.00700" or "US.AAPL"; futu_get_static confirms a symbol.',
  ],
  [/insufficient buying power/i, "Reduce the quantity, or check futu_get_funds (buying_power)."],
  [/insufficient position/i, "futu_get_positions shows what can be sold (can_sell)."],
  [/lot size/i, "Pass qty as a multiple of the lot size (futu_get_static gives lot_size)."],
  [/price step/i, "Round the price to a valid tick for this price level (futu_get_orderbook shows valid prices)."],
  [/account .* does not exist/i, "futu_list_accounts lists the accounts."],
  [/does not support fills/i, "Use futu_get_orders: filled_qty and avg_fill_price show what filled."],
  [/short selling/i, "Short selling is only possible for US securities on margin accounts."],
];

/** The hint for an OpenD refusal, if one applies. */
function hintFor(retMsg: string): string | undefined {
  return OPEND_HINTS.find(([pattern]) => pattern.test(retMsg))?.[1];
}

const OUTCOME_UNKNOWN_HINT =
  "Call futu_get_orders, passing the same acc_id and env, to see whether it went through. Do not repeat it blindly.";

/** The codes of failures replayed from another replica's idempotency record, by the original error's class. */
const REPLAYED_CODES: Record<string, ErrorCode> = {
  OpenDError: "opend_error",
  TradeOutcomeUnknownError: "outcome_unknown",
  GatewayUnavailableError: "gateway_unavailable",
  GatewayTimeoutError: "gateway_timeout",
  ConnectionLostError: "gateway_timeout",
  GatewayProtocolError: "gateway_error",
  GatewayClosedError: "gateway_error",
  StateUnavailableError: "state_unavailable",
};

/** Maps any failure to a {@link ToolError}. Unknown failures become `internal` (their detail goes to the log). */
export function toToolError(err: unknown): ToolError {
  if (err instanceof ToolError) return err;
  if (err instanceof ReplayedFailure) {
    const code = REPLAYED_CODES[err.original] ?? "internal";
    const hint = code === "opend_error"
      ? hintFor(err.message)
      : code === "outcome_unknown"
      ? OUTCOME_UNKNOWN_HINT
      : undefined;
    return new ToolError(code, err.message, hint);
  }
  if (err instanceof StateUnavailableError) {
    return new ToolError(
      "state_unavailable",
      `refused: ${err.message}; nothing was sent`,
      "Reads still work. Tell the operator; retry the write once the shared state is back (futu-mcp reconnects by itself).",
    );
  }
  if (err instanceof DOMException && err.name === "AbortError") {
    return new ToolError("cancelled", "cancelled by the client: the call stopped before finishing");
  }
  if (err instanceof OpenDError) return new ToolError("opend_error", err.retMsg || err.message, hintFor(err.retMsg));
  if (err instanceof TradeOutcomeUnknownError) {
    return new ToolError("outcome_unknown", err.message, OUTCOME_UNKNOWN_HINT);
  }
  if (err instanceof GatewayUnavailableError) {
    return new ToolError(
      "gateway_unavailable",
      err.message,
      "Is OpenD running and logged in? futu_ping checks the link.",
    );
  }
  if (err instanceof GatewayTimeoutError || err instanceof ConnectionLostError) {
    return new ToolError("gateway_timeout", err.message, "A read: safe to retry.");
  }
  if (err instanceof GatewayProtocolError || err instanceof GatewayClosedError) {
    return new ToolError("gateway_error", err.message, "Retry; futu_ping checks the link.");
  }
  if (err instanceof AccountError) return new ToolError("account", err.message);
  if (err instanceof QuotaExhaustedError) return new ToolError("quota", err.message);
  if (err instanceof IdempotencyConflictError) return new ToolError("idempotency_conflict", err.message);
  if (err instanceof TradePasswordMissingError) return new ToolError("unlock_unavailable", err.message);
  if (err instanceof KeychainError) {
    return new ToolError("unlock_unavailable", `cannot read the trade password from the OS keychain: ${err.message}`);
  }
  if (err instanceof UnlockCooldownError) return new ToolError("cooldown", err.message);
  if (
    err instanceof SymbolError || err instanceof EnumValueError || err instanceof IdError ||
    err instanceof OrderValueError
  ) {
    return new ToolError("invalid_arguments", err.message);
  }
  return new ToolError("internal", `internal error: ${(err as Error)?.message ?? String(err)}`);
}
