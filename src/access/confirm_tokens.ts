/**
 * Confirmation tokens of REAL-account writes, for clients that cannot ask the
 * user themselves (no MCP elicitation): the first call gets a preview and a
 * token bound to the key and to the exact write (tool, account, every
 * argument); the write runs only when repeated with that token, once, before
 * it expires. Any redemption uses the token up, so a token that was tried with
 * other arguments or by another key cannot be retried.
 *
 * @example
 * ```ts
 * import { ConfirmTokens } from "./confirm_tokens.ts";
 * const tokens = new ConfirmTokens();
 * const { token } = tokens.issue("bot", "futu_place_order", { qty: 100 });
 * tokens.redeem("bot", "futu_place_order", { qty: 100 }, token); // ok; a second redeem throws
 * ```
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { ToolError } from "../tools/errors.ts";

/** How long a token stays valid. */
export const CONFIRM_TOKEN_TTL_MS = 120_000;

/** At most this many tokens are outstanding; the oldest go first. */
const MAX_OUTSTANDING = 10_000;

interface Issued {
  keyId: string;
  tool: string;
  /** The canonical JSON of each argument (and the account), to name what changed. */
  fields: Map<string, string>;
  expiresAt: number;
}

/** Canonical JSON: object keys sorted, so that equal arguments compare equal. */
function canonical(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, v) =>
      v && typeof v === "object" && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
        : v,
  );
}

function fieldsOf(request: Record<string, unknown>): Map<string, string> {
  return new Map(
    Object.entries(request).filter(([, v]) => v !== undefined).map(([k, v]) => [k, canonical(v)]),
  );
}

/** A refused redemption: the write is not made, and the caller is told how to get a new preview. */
function refuse(why: string): never {
  throw new ToolError(
    "confirmation_required",
    `refused: ${why}; nothing was sent`,
    "Call again without confirm_token for a new preview, show it to the user, and repeat the call with the new " +
      "confirm_token only if the user confirms.",
  );
}

/** See the module documentation. */
export class ConfirmTokens {
  readonly #issued = new Map<string, Issued>();
  readonly #now: () => number;
  readonly #ttlMs: number;

  constructor(options: { now?: () => number; ttlMs?: number } = {}) {
    this.#now = options.now ?? (() => Date.now());
    this.#ttlMs = options.ttlMs ?? CONFIRM_TOKEN_TTL_MS;
  }

  /** A new token for this key and write: `request` holds the account and every argument. */
  issue(keyId: string, tool: string, request: Record<string, unknown>): { token: string; expiresAt: number } {
    const now = this.#now();
    for (const [token, issued] of this.#issued) {
      if (issued.expiresAt <= now || this.#issued.size >= MAX_OUTSTANDING) this.#issued.delete(token);
    }
    const token = `ct_${randomBytes(18).toString("base64url")}`;
    const expiresAt = now + this.#ttlMs;
    this.#issued.set(token, { keyId, tool, fields: fieldsOf(request), expiresAt });
    return { token, expiresAt };
  }

  /** Uses a token up; throws a `confirmation_required` ToolError unless it was issued for exactly this. */
  redeem(keyId: string, tool: string, request: Record<string, unknown>, token: string): void {
    const issued = this.#issued.get(token);
    this.#issued.delete(token);
    if (!issued) refuse("confirm_token is unknown or was already used");
    if (issued.expiresAt <= this.#now()) refuse("confirm_token has expired");
    if (issued.keyId !== keyId) refuse("confirm_token was issued to another API key");
    if (issued.tool !== tool) refuse(`confirm_token was issued for ${issued.tool}, not ${tool}`);
    const fields = fieldsOf(request);
    const changed = [...new Set([...fields.keys(), ...issued.fields.keys()])]
      .filter((name) => fields.get(name) !== issued.fields.get(name))
      .sort();
    if (changed.length > 0) refuse(`confirm_token was issued for other arguments (changed: ${changed.join(", ")})`);
  }
}
