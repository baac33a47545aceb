/**
 * What the prompts share (private to src/mcp): reading one piece of live data
 * through the reader guard — the tool's structured content, or the tool's own
 * error when the key may not read it or OpenD has no answer — the argument
 * checks that turn a bad prompt argument into an `InvalidParams` error naming
 * it, and the compact number formatting of the prompt text.
 *
 * @module
 */
import type { z } from "zod";
import type { CallMeta, ToolGuard } from "../tools/guard.ts";
import { ErrorCode } from "./sdk.ts";

/** One piece of a prompt's data: what the tool answered, or why it did not. */
export type Piece<T> =
  | { ok: true; data: T }
  | { ok: false; tool: string; code: string; error: string };

/** How a prompt reads: every read goes through the reader guard (key, scopes, accounts, audit). */
export interface PromptReads {
  read<T>(tool: string, args: Record<string, unknown>): Promise<Piece<T>>;
}

/** Reads through `reader` with the prompt request's meta (its key, its cancellation signal). */
export function promptReads(reader: ToolGuard, meta: CallMeta): PromptReads {
  return {
    async read<T>(tool: string, args: Record<string, unknown>): Promise<Piece<T>> {
      const result = await reader.call(tool, args, meta);
      if (!result.isError) return { ok: true, data: result.structuredContent as T };
      // The guard's error results are `{error, code, hint?}` JSON; the text is kept whole if it is not.
      const text = result.content[0]?.text ?? "";
      try {
        const body = JSON.parse(text) as { error?: string; code?: string };
        return { ok: false, tool, code: body.code ?? "error", error: body.error ?? text };
      } catch {
        return { ok: false, tool, code: "error", error: text };
      }
    },
  };
}

/** A missing piece, as the prompt states it: which data, and the tool's reason. */
export function unavailable(what: string, piece: { ok: false; code: string; error: string }): string {
  return `${what}: unavailable (${reason(piece)})`;
}

/** A failure's message, led by its code unless the message already is (refusals begin with theirs). */
export function reason(piece: { code: string; error: string }): string {
  return piece.error.startsWith(`${piece.code}:`) ? piece.error : `${piece.code}: ${piece.error}`;
}

/**
 * A prompt that cannot be built, as a JSON-RPC error: `code` is the error code the SDK sends. (The SDK's
 * McpError puts "MCP error <code>:" into its message, which the client's McpError then repeats.)
 */
export class PromptError extends Error {
  override name = "PromptError";
  constructor(readonly code: ErrorCode, message: string) {
    super(message);
  }
}

/** Codes of a read the key was refused (scope, account whitelist). */
const REFUSALS = new Set(["unauthorized", "forbidden", "unknown_tool", "halted", "limit"]);

/**
 * The error of a prompt that cannot be built without this piece: the caller's arguments
 * (InvalidParams, naming `argument`), else the key's refusal or OpenD's failure.
 */
export function fatal(
  prompt: string,
  argument: string,
  piece: { ok: false; code: string; error: string },
): PromptError {
  if (isArgumentError(piece)) return badArgument(prompt, argument, piece.error);
  const kind = REFUSALS.has(piece.code) ? ErrorCode.InvalidRequest : ErrorCode.InternalError;
  return new PromptError(kind, `${prompt}: ${reason(piece)}`);
}

/** Whether a read failed for the arguments it was given (an account that cannot be used so, included). */
export function isArgumentError(piece: { ok: false; code: string }): boolean {
  return piece.code === "invalid_arguments" || piece.code === "account";
}

/** An `InvalidParams` error naming the argument. */
export function badArgument(prompt: string, argument: string, message: string): PromptError {
  return new PromptError(ErrorCode.InvalidParams, `${prompt}: argument ${argument}: ${message}`);
}

/**
 * The prompt's arguments checked: no unknown names, required ones present, each given one
 * parsed by its schema (the tools' own argument schemas, so a prompt accepts what the tools do).
 * An empty or blank value counts as not given: form-filling clients send empty fields.
 */
export function parseArguments<S extends Record<string, z.ZodType>>(
  prompt: string,
  raw: Record<string, string>,
  schemas: S,
  required: readonly (keyof S & string)[],
): { [K in keyof S]?: z.output<S[K]> } {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(raw)) {
    if (!(name in schemas)) {
      throw badArgument(prompt, name, `unknown argument; ${prompt} takes ${Object.keys(schemas).join(", ")}`);
    }
  }
  for (const [name, schema] of Object.entries(schemas)) {
    const value = typeof raw[name] === "string" ? raw[name].trim() : undefined;
    if (value === undefined || value === "") {
      if (required.includes(name)) throw badArgument(prompt, name, "required");
      continue;
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw badArgument(prompt, name, parsed.error.issues.map((i) => i.message).join("; "));
    out[name] = parsed.data;
  }
  return out as { [K in keyof S]?: z.output<S[K]> };
}

/** A number as prompt text: at most `digits` decimals, no exponent, no trailing zeros. */
export function num(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "n/a";
  const f = 10 ** digits;
  const rounded = Math.round(value * f) / f;
  return Object.is(rounded, -0) ? "0" : String(rounded);
}

/** A signed percentage, e.g. "+1.25%". */
export function pct(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "n/a";
  const text = num(value, digits);
  return `${value > 0 && text !== "0" ? "+" : ""}${text}%`;
}

/**
 * The rows of a table result as objects by column name. Research results render a list as such a
 * table, and an empty list as `[]`: both read as rows, and so does anything else as none.
 */
export function records(table: unknown): Record<string, unknown>[] {
  if (Array.isArray(table)) {
    return table.filter((r): r is Record<string, unknown> => typeof r === "object" && r !== null);
  }
  const t = table as { columns?: unknown; rows?: unknown } | undefined;
  if (!t || !Array.isArray(t.columns) || !Array.isArray(t.rows)) return [];
  const columns = t.columns as string[];
  return (t.rows as unknown[][]).map((row) => Object.fromEntries(columns.map((c, i) => [c, row[i]])));
}

/** A prompt result: one user message of text, and links to live resources (JSON, as resources/read gives them). */
export function promptResult(
  description: string,
  text: string,
  links: { uri: string; name: string; description: string }[] = [],
) {
  return {
    description,
    messages: [
      { role: "user" as const, content: { type: "text" as const, text } },
      ...links.map((link) => ({
        role: "user" as const,
        content: { type: "resource_link" as const, mimeType: "application/json", ...link },
      })),
    ],
  };
}
