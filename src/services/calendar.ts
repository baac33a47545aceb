/**
 * Trading days, IPOs, code changes and rehab factors: what the tools use of
 * OpenD. None of these needs a subscription; symbols are normalised here.
 *
 * @module
 */
import type {
  CodeChange,
  CodeChangeQuery,
  Ipo,
  RehabFactor,
  TradeDateMarketName,
  TradingDay,
} from "../gateway/calendar_types.ts";
import { type Gateway, type MarketPrefix, parseSymbol } from "../gateway/types.ts";

/** Trading days, IPOs, code changes and rehab factors. */
export class CalendarService {
  readonly #gateway: Gateway;

  constructor(gateway: Gateway) {
    this.#gateway = gateway;
  }

  /** Trading days of a market (or of `symbol`'s market) from `begin` to `end`, both "YYYY-MM-DD" and included. */
  tradingDays(market: TradeDateMarketName, begin: string, end: string, symbol?: string): Promise<TradingDay[]> {
    const s = symbol === undefined ? undefined : parseSymbol(symbol).symbol;
    return this.#gateway.calendar.tradingDays(market, begin, end, s);
  }

  /** Upcoming IPOs of a market (SH or SZ: all A-shares). */
  ipoList(market: MarketPrefix): Promise<Ipo[]> {
    return this.#gateway.calendar.ipoList(market);
  }

  /** HK code changes and temporary codes. */
  codeChanges(query: CodeChangeQuery): Promise<CodeChange[]> {
    const symbols = query.symbols?.map((s) => parseSymbol(s).symbol);
    return this.#gateway.calendar.codeChanges({ ...query, symbols });
  }

  /** Adjustment factors of a security's corporate actions, oldest first. */
  rehab(symbol: string): Promise<RehabFactor[]> {
    return this.#gateway.calendar.rehab(parseSymbol(symbol).symbol);
  }
}
