/**
 * Argument schemas shared by the tools, and the aliases upstream futu-mcp
 * accepts. Canonical names are snake_case (`symbol`, `acc_id`, `kl_type`…);
 * enums accept their name in any case or their OpenD integer; ids are strings
 * of digits (never JSON numbers).
 *
 * @module
 */
import { z } from "zod";
import {
  type EnumMap,
  IdError,
  parseSymbol,
  parseUint64,
  SymbolError,
  TRD_ENV,
  type TrdEnvName,
} from "../gateway/types.ts";

/** Alias → canonical argument name (accepted on input, never advertised). */
const ALIASES: Readonly<Record<string, string>> = {
  code: "symbol",
  stock: "symbol",
  security: "symbol",
  stocks: "symbols",
  code_list: "symbols",
  trd_env: "env",
  trd_side: "side",
  begin_time: "begin",
  start_time: "begin",
  start: "begin",
  from: "begin",
  end_time: "end",
  to: "end",
  count: "max_count",
  num: "max_count",
  req_count: "max_count",
  trd_market: "market",
};

/**
 * Renames alias keys to their canonical names, for the canonical names the
 * schema has. Both an alias and its canonical name given is an error.
 */
export function normaliseAliases(
  raw: Record<string, unknown>,
  known: ReadonlySet<string>,
  extra: Readonly<Record<string, string>> = {},
): { args: Record<string, unknown>; error?: string } {
  const args: Record<string, unknown> = {};
  const renamed = new Map<string, string>();
  for (const [key, value] of Object.entries(raw)) {
    const canonical = extra[key] ?? ALIASES[key];
    if (canonical !== undefined && known.has(canonical) && !known.has(key)) {
      if (canonical in raw || renamed.has(canonical)) {
        return { args, error: `both "${canonical}" and its alias "${key}" were given; use "${canonical}"` };
      }
      renamed.set(canonical, key);
      args[canonical] = value;
    } else {
      args[key] = value;
    }
  }
  return { args };
}

function issue(ctx: z.RefinementCtx, message: string): never {
  ctx.addIssue({ code: "custom", message });
  return z.NEVER;
}

/** A symbol such as "HK.00700", normalised. */
export const symbol = z.string().describe("e.g. HK.00700, US.AAPL, SH.600519").transform(
  (value, ctx) => {
    try {
      return parseSymbol(value).symbol;
    } catch (err) {
      return issue(ctx, err instanceof SymbolError ? err.message : String(err));
    }
  },
);

/** Several symbols, at most `max` (the schema's bounds and each symbol's description say it all). */
export function symbols(max: number) {
  return z.array(symbol).min(1).max(max);
}

/**
 * An enum by name (any case, `-` or space for `_`) or by OpenD integer. The
 * published schema lists only the names.
 */
export function enumArg<N extends string>(map: EnumMap<N>, names: readonly N[] = map.names) {
  return z.preprocess(
    (value) => {
      if (typeof value === "number") return Number.isInteger(value) ? map.fromWire(value) : value;
      return typeof value === "string" ? value.trim().toUpperCase().replace(/[- ]/g, "_") : value;
    },
    z.enum(names as unknown as [N, ...N[]], { error: () => `expected one of ${names.join(", ")}` }),
  );
}

/** The digits of a uint64 id (at most 20), as the published schema states them. */
const ID_DIGITS = /^[0-9]{1,20}$/;

/** Why a JSON number is refused for an id: the string to pass instead, when the number is still exact. */
function numericIdMessage(value: number): string {
  const exact = Number.isSafeInteger(value) && value >= 0 ? `: "${value}"` : "";
  return `expected a string of digits: 64-bit ids lose precision as JSON numbers; pass it as a string${exact}`;
}

/**
 * A uint64 id (account, order) as a string of digits. A JSON number is
 * refused, even a small one: a schema offering both types is rejected by
 * strict clients, and an id above 2^53 has lost its digits before it arrives.
 */
export function idArg(what: string) {
  return z.preprocess(
    (value, ctx) => {
      if (typeof value === "string") return value;
      // A custom issue, not zod's type error, so that the message says why a number is refused.
      return issue(ctx, typeof value === "number" ? numericIdMessage(value) : "expected a string of digits");
    },
    z.string().regex(ID_DIGITS, { error: "expected a string of 1-20 digits" }),
  ).transform((value, ctx) => {
    try {
      return parseUint64(value, what);
    } catch (err) {
      return issue(ctx, err instanceof IdError ? err.message : String(err));
    }
  });
}

/** `env`: "simulate" (default) or "real"; also accepts 0/1 and any case. */
export const env = z.preprocess(
  (value) => {
    if (value === 0 || value === 1) return TRD_ENV.fromWire(value).toLowerCase();
    return typeof value === "string" ? value.trim().toLowerCase() : value;
  },
  z.enum(["simulate", "real"], { error: () => 'expected "simulate" or "real"' }),
).transform((value): TrdEnvName => value === "real" ? "REAL" : "SIMULATE").optional().default("SIMULATE");

/** A date or date-time, "YYYY-MM-DD" or "YYYY-MM-DD HH:MM:SS", market-local. */
export const dateTime = z.string().describe("YYYY-MM-DD or YYYY-MM-DD HH:MM:SS, market-local").refine(
  (value) =>
    /^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?$/.test(value.trim()) &&
    !Number.isNaN(Date.parse(value.trim().slice(0, 10))),
  { message: 'expected "YYYY-MM-DD" or "YYYY-MM-DD HH:MM:SS"' },
);

/** A positive finite number (quantities, prices). */
export function positive(what: string) {
  return z.number().refine((v) => Number.isFinite(v) && v > 0, { message: `${what} must be a finite number above 0` });
}

/** A calendar date "YYYY-MM-DD" (a real day: "2026-02-30" is refused). */
export const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'expected a date "YYYY-MM-DD"' })
  .describe("YYYY-MM-DD").refine((value) => {
    const ms = Date.parse(`${value}T00:00:00Z`);
    return !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(value);
  }, { message: 'expected a date "YYYY-MM-DD"' });

/** The date `days` days after a {@link date} (before, for a negative count). */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** A count from 1 to `max`: `fallback` when left out, else absent (the schema states bounds and default). */
export function maxCount(max: number): z.ZodOptional<z.ZodNumber>;
export function maxCount(max: number, fallback: number): z.ZodDefault<z.ZodOptional<z.ZodNumber>>;
export function maxCount(max: number, fallback?: number) {
  const count = z.number().int().min(1).max(max).optional();
  return fallback === undefined ? count : count.default(fallback);
}

/** {@link maxCount} of result rows (the schema states its bounds and default). */
export function rowCount(max: number, fallback: number) {
  return maxCount(max, fallback).describe("rows");
}

/** A paging key a reply returned (`next_key`, `next_page`), passed back as it came; optional. */
export function pageKey(description: string, length: { min?: number; max?: number } = {}) {
  let key = z.string();
  if (length.min !== undefined) key = key.min(length.min);
  if (length.max !== undefined) key = key.max(length.max);
  return key.optional().describe(description);
}

/**
 * A paging key that stands for bytes (a reply's `nextReqKey`, shown as base64 by the tool that returned it): refused
 * by name unless it is base64, before anything reaches OpenD.
 */
export function bytesPageKey(field: string, description: string, max = 4096) {
  return z.string().max(max).refine((text) => {
    try {
      atob(text);
      return text.length > 0;
    } catch {
      return false;
    }
  }, { error: `expected the ${field} of a previous result (base64 text, passed back as it came)` }).optional()
    .describe(description);
}

/** A market name argument (any case), limited to `markets`. */
export function marketArg<const M extends string>(markets: readonly [M, ...M[]]) {
  return z.preprocess(
    (v) => (typeof v === "string" ? v.trim().toUpperCase() : v),
    z.enum(markets, { error: () => `expected one of ${markets.join(", ")}` }),
  );
}

/** An id passed through as text (not a uint64 to parse): a string of 1–20 digits. */
export const digits = z.string().regex(ID_DIGITS, { error: "expected a string of 1-20 digits" });
