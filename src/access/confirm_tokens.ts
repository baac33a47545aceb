/**
 * Confirmation tokens of REAL-account writes, for clients that cannot ask the
 * user themselves (no MCP elicitation): the first call gets a preview and a
 * token bound to the key and to the exact write (tool, account, every
 * argument); the write runs only when repeated with that token, once, before
 * it expires. Any redemption uses the token up, so a token that was tried with
 * other arguments or by another key cannot be retried. With a shared state the
 * tokens live there, so the repeat may reach any replica.
 *
 * @example
 * ```ts
 * import { ConfirmTokens } from "./confirm_tokens.ts";
 * const tokens = new ConfirmTokens();
 * const { token } = await tokens.issue("bot", "futu_place_order", { qty: 100 });
 * await tokens.redeem("bot", "futu_place_order", { qty: 100 }, token); // ok; a second redeem throws
 * ```
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { ToolError } from "../tools/errors.ts";
import { MemoryTokenStore } from "../state/local.ts";
import type { TokenStore } from "../state/store.ts";

/** How long a token stays valid. */
export const CONFIRM_TOKEN_TTL_MS = 120_000;

interface Issued {
  keyId: string;
  tool: string;
  /** The canonical JSON of each argument (and the account), to name what changed. */
  fields: Record<string, string>;
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

function parseIssued(text: string): Issued | undefined {
  try {
    const issued = JSON.parse(text) as Issued;
    const ok = typeof issued.keyId === "string" && typeof issued.tool === "string" &&
      typeof issued.expiresAt === "number" && typeof issued.fields === "object" && issued.fields !== null;
    return ok ? issued : undefined;
  } catch {
    return undefined;
  }
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
  readonly #store: TokenStore;
  readonly #now: () => number;
  readonly #ttlMs: number;

  constructor(options: { now?: () => number; ttlMs?: number; store?: TokenStore } = {}) {
    this.#now = options.now ?? (() => Date.now());
    this.#ttlMs = options.ttlMs ?? CONFIRM_TOKEN_TTL_MS;
    this.#store = options.store ?? new MemoryTokenStore(10_000, this.#now);
  }

  /** A new token for this key and write: `request` holds the account and every argument. */
  async issue(
    keyId: string,
    tool: string,
    request: Record<string, unknown>,
  ): Promise<{ token: string; expiresAt: number }> {
    const token = `ct_${randomBytes(18).toString("base64url")}`;
    const expiresAt = this.#now() + this.#ttlMs;
    const issued: Issued = { keyId, tool, fields: Object.fromEntries(fieldsOf(request)), expiresAt };
    await this.#store.put(token, JSON.stringify(issued), this.#ttlMs);
    return { token, expiresAt };
  }

  /** Uses a token up; throws a `confirmation_required` ToolError unless it was issued for exactly this. */
  async redeem(keyId: string, tool: string, request: Record<string, unknown>, token: string): Promise<void> {
    const text = /^ct_[A-Za-z0-9_-]{1,64}$/.test(token) ? await this.#store.take(token) : undefined;
    const issued = text === undefined ? undefined : parseIssued(text);
    if (!issued) refuse("confirm_token is unknown or was already used");
    if (issued.expiresAt <= this.#now()) refuse("confirm_token has expired");
    if (issued.keyId !== keyId) refuse("confirm_token was issued to another API key");
    if (issued.tool !== tool) refuse(`confirm_token was issued for ${issued.tool}, not ${tool}`);
    const fields = fieldsOf(request);
    const before = new Map(Object.entries(issued.fields));
    const changed = [...new Set([...fields.keys(), ...before.keys()])]
      .filter((name) => fields.get(name) !== before.get(name))
      .sort();
    if (changed.length > 0) refuse(`confirm_token was issued for other arguments (changed: ${changed.join(", ")})`);
  }
}
