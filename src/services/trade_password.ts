/**
 * Where the trade password comes from. It is read only to compute its MD5
 * for `Trd_UnlockTrade`, and never leaves this module in plaintext.
 *
 * @example
 * ```ts
 * import { envPasswordSource } from "./trade_password.ts";
 * const password = await envPasswordSource().read(); // FUTU_TRADE_PWD, trimmed
 * ```
 *
 * @module
 */

/** A source of the trade password. */
export interface TradePasswordSource {
  /** Where the password is looked for, for messages ("FUTU_TRADE_PWD", "the OS keychain"). */
  readonly description: string;
  /** The password, or undefined when this source has none. */
  read(): Promise<string | undefined>;
}

/** `FUTU_TRADE_PWD`, trimmed; empty counts as absent. */
export function envPasswordSource(variable = "FUTU_TRADE_PWD"): TradePasswordSource {
  return {
    description: `the ${variable} environment variable`,
    read: () => {
      const value = Deno.env.get(variable)?.trim();
      return Promise.resolve(value ? value : undefined);
    },
  };
}

/** The first source that has a password, in order. */
export function firstOf(sources: TradePasswordSource[]): TradePasswordSource {
  return {
    description: sources.map((s) => s.description).join(", then "),
    async read() {
      for (const source of sources) {
        const value = await source.read();
        if (value !== undefined) return value;
      }
      return undefined;
    },
  };
}
