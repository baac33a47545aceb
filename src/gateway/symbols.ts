/**
 * Security codes as users write them (`"HK.00700"`, `"US.AAPL"`, `"US..DJI"`)
 * and as OpenD carries them: `{market, code}` in quote messages, a bare code
 * plus `secMarket` in trade messages.
 *
 * @example
 * ```ts
 * import { formatSymbol, parseSymbol } from "./symbols.ts";
 * const s = parseSymbol("HK.00700"); // { market: "HK", code: "00700", qotMarket: 1 }
 * formatSymbol({ market: 11, code: "AAPL" }); // "US.AAPL"
 * ```
 *
 * @module
 */
import { Qot_Common_QotMarket, type Qot_Common_Security, Trd_Common_TrdSecMarket } from "./proto/messages.ts";

/** A security code that cannot be understood. */
export class SymbolError extends Error {
  override name = "SymbolError";
}

interface MarketInfo {
  qotMarket: number;
  /** `TrdSecMarket`; for SH/SZ these differ per exchange. */
  secMarket: number;
}

const MARKETS = {
  HK: { qotMarket: Qot_Common_QotMarket.HK_Security, secMarket: Trd_Common_TrdSecMarket.HK },
  HK_FUTURE: { qotMarket: Qot_Common_QotMarket.HK_Future, secMarket: Trd_Common_TrdSecMarket.HK },
  US: { qotMarket: Qot_Common_QotMarket.US_Security, secMarket: Trd_Common_TrdSecMarket.US },
  SH: { qotMarket: Qot_Common_QotMarket.CNSH_Security, secMarket: Trd_Common_TrdSecMarket.CN_SH },
  SZ: { qotMarket: Qot_Common_QotMarket.CNSZ_Security, secMarket: Trd_Common_TrdSecMarket.CN_SZ },
  SG: { qotMarket: Qot_Common_QotMarket.SG_Security, secMarket: Trd_Common_TrdSecMarket.SG },
  JP: { qotMarket: Qot_Common_QotMarket.JP_Security, secMarket: Trd_Common_TrdSecMarket.JP },
  AU: { qotMarket: Qot_Common_QotMarket.AU_Security, secMarket: Trd_Common_TrdSecMarket.AU },
  MY: { qotMarket: Qot_Common_QotMarket.MY_Security, secMarket: Trd_Common_TrdSecMarket.MY },
  CA: { qotMarket: Qot_Common_QotMarket.CA_Security, secMarket: Trd_Common_TrdSecMarket.CA },
  FX: { qotMarket: Qot_Common_QotMarket.FX_Security, secMarket: Trd_Common_TrdSecMarket.FX },
  CC: { qotMarket: Qot_Common_QotMarket.CC_Security, secMarket: Trd_Common_TrdSecMarket.CC },
  EC: { qotMarket: Qot_Common_QotMarket.EventContract, secMarket: Trd_Common_TrdSecMarket.EC },
} as const satisfies Record<string, MarketInfo>;

/** A market prefix such as "HK" or "US". */
export type MarketPrefix = keyof typeof MARKETS;

/** The market prefixes we understand. */
const MARKET_PREFIXES: readonly MarketPrefix[] = Object.keys(MARKETS) as MarketPrefix[];

const PREFIX_BY_QOT = new Map<number, MarketPrefix>();
const PREFIX_BY_SEC = new Map<number, MarketPrefix>();
for (const prefix of MARKET_PREFIXES) {
  if (!PREFIX_BY_QOT.has(MARKETS[prefix].qotMarket)) PREFIX_BY_QOT.set(MARKETS[prefix].qotMarket, prefix);
  if (!PREFIX_BY_SEC.has(MARKETS[prefix].secMarket)) PREFIX_BY_SEC.set(MARKETS[prefix].secMarket, prefix);
}

/** A parsed security code. */
export interface ParsedSymbol {
  /** Normalised `"<MARKET>.<code>"`, e.g. "HK.00700". */
  symbol: string;
  market: MarketPrefix;
  code: string;
  /** `QotMarket` wire value. */
  qotMarket: number;
  /** `TrdSecMarket` wire value. */
  secMarket: number;
}

const CODE_PATTERN = /^[A-Za-z0-9.^_\-]{1,40}$/;

/**
 * Parses `"<MARKET>.<code>"`, split at the first dot. The market prefix is
 * case-insensitive; HK codes shorter than five digits are zero-padded
 * ("HK.700" → "HK.00700"); US codes are upper-cased.
 */
export function parseSymbol(input: string): ParsedSymbol {
  const text = input.trim();
  const dot = text.indexOf(".");
  if (dot <= 0 || dot === text.length - 1) {
    throw new SymbolError(
      `invalid symbol ${JSON.stringify(input)}: expected "<MARKET>.<CODE>" such as "HK.00700" or "US.AAPL"`,
    );
  }
  const prefix = text.slice(0, dot).toUpperCase();
  if (!(prefix in MARKETS)) {
    throw new SymbolError(
      `unknown market ${JSON.stringify(text.slice(0, dot))} in symbol ${JSON.stringify(input)}: ` +
        `expected one of ${MARKET_PREFIXES.join(", ")}`,
    );
  }
  const market = prefix as MarketPrefix;
  let code = text.slice(dot + 1);
  if (!CODE_PATTERN.test(code)) {
    throw new SymbolError(`invalid code ${JSON.stringify(code)} in symbol ${JSON.stringify(input)}`);
  }
  if (market === "HK" && /^\d{1,4}$/.test(code)) code = code.padStart(5, "0");
  if (market === "US") code = code.toUpperCase();
  const info: MarketInfo = MARKETS[market];
  return { symbol: `${market}.${code}`, market, code, qotMarket: info.qotMarket, secMarket: info.secMarket };
}

/** The wire `Security` of a symbol. */
export function toSecurity(symbol: string | ParsedSymbol): Qot_Common_Security {
  const parsed = typeof symbol === "string" ? parseSymbol(symbol) : symbol;
  return { market: parsed.qotMarket, code: parsed.code };
}

/** `"<MARKET>.<code>"` of a wire `Security`; an unknown market keeps its number ("M123.X"). */
export function formatSymbol(security: Qot_Common_Security): string {
  const prefix = PREFIX_BY_QOT.get(security.market);
  return `${prefix ?? `M${security.market}`}.${security.code}`;
}

/** `"<MARKET>.<code>"` of a trade record's bare code and `secMarket`. */
export function formatTradeSymbol(code: string, secMarket: number | undefined): string {
  const prefix = secMarket === undefined ? undefined : PREFIX_BY_SEC.get(secMarket);
  return `${prefix ?? "N/A"}.${code}`;
}

/** The market prefix of a `TrdSecMarket` value. */
export function marketOfSecMarket(secMarket: number): MarketPrefix | undefined {
  return PREFIX_BY_SEC.get(secMarket);
}

/** The market prefix of a `QotMarket` value. */
export function marketOfQotMarket(qotMarket: number): MarketPrefix | undefined {
  return PREFIX_BY_QOT.get(qotMarket);
}

/** The `QotMarket` of a market prefix. */
export function qotMarketOf(market: MarketPrefix): number {
  return MARKETS[market].qotMarket;
}
