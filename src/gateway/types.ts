/**
 * The gateway's light entry: its types, enums, symbol and id parsing and error
 * classes, without the protocol stack (protobufjs, the descriptor, the
 * connection). For callers that need only these — access rules, keys, CLI
 * argument parsing — so that importing them loads nothing else.
 *
 * @example
 * ```ts
 * import { parseSymbol, type TradeTarget, TRD_SIDE } from "./types.ts";
 * const { market } = parseSymbol("HK.00700");
 * ```
 *
 * @module
 */
export type * from "./mod.ts";
export * from "./enums.ts";
export * from "./errors.ts";
export * from "./ids.ts";
export * from "./symbols.ts";
