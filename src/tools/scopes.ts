/**
 * Access scopes of API keys. Every MCP tool declares the scope it needs; trade
 * tools need `trade:simulate` or `trade:real` depending on the account's
 * environment, decided when the call is made.
 *
 * @example
 * ```ts
 * import { isScope, SCOPES } from "./scopes.ts";
 * isScope("qot:read"); // true
 * ```
 *
 * @module
 */

/** Every scope a key can hold. */
export const SCOPES = [
  "qot:read",
  "acc:read",
  "trade:simulate",
  "trade:real",
  "trade:unlock",
  "watchlist:write",
  "metrics:read",
] as const;

/** A scope. */
export type Scope = (typeof SCOPES)[number];

/** True when the string is a known scope. */
export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

/** The scope that trading in an environment needs. */
export function tradeScope(env: "SIMULATE" | "REAL"): Scope {
  return env === "REAL" ? "trade:real" : "trade:simulate";
}

/**
 * How a person confirms a key's REAL-account writes: "elicit" asks the user through the MCP client (form
 * elicitation) and falls back to "token" when the client cannot ask; "token" answers a preview with a
 * short-lived confirm_token the write must be repeated with; "none" writes at once (an operator's own bot).
 */
export const CONFIRM_MODES = ["elicit", "token", "none"] as const;

/** A confirmation mode. */
export type ConfirmMode = (typeof CONFIRM_MODES)[number];
