/**
 * Helpers shared by the simulator's request handlers (private to src/sim):
 * business errors as {@link SimReplyError}, resolving a wire security
 * against the catalog, the wire market state of a market, and rounding to
 * the decimals a reply field carries.
 *
 * @module
 */
import { Qot_Common_QotMarketState, type Qot_Common_Security } from "../gateway/proto/messages.ts";
import { marketOfQotMarket } from "../gateway/symbols.ts";
import { securityByCode, type SimSecurity } from "./catalog.ts";
import { marketPhase, type SimMarket } from "./clock.ts";
import { SimReplyError } from "./session.ts";
import { SimRuleError } from "./subscriptions.ts";

/** Fails the request with an OpenD-style message. */
export function fail(message: string): never {
  throw new SimReplyError(message);
}

/** The catalog security a wire security names; fails for unknown ones. */
export function resolve(security: Qot_Common_Security | undefined): SimSecurity {
  if (!security) fail("security is required");
  const market = marketOfQotMarket(security.market);
  const found = market && (market === "HK" || market === "US" || market === "SH" || market === "SZ")
    ? securityByCode(market, security.code)
    : undefined;
  if (!found) fail(`Unknown stock ${market ?? `market ${security.market}`}.${security.code}`);
  return found;
}

/** Runs an engine action, turning its {@link SimRuleError} into a failed request. */
export function rule<T>(action: () => T): T {
  try {
    return action();
  } catch (err) {
    if (err instanceof SimRuleError) fail(err.message);
    throw err;
  }
}

/** The wire market state of a market at an instant. */
export function phaseState(market: SimMarket, ms: number): number {
  const state = marketPhase(market, ms).state;
  const table: Record<string, number> = {
    CLOSED: Qot_Common_QotMarketState.Closed,
    AUCTION: Qot_Common_QotMarketState.Auction,
    WAITING_OPEN: Qot_Common_QotMarketState.WaitingOpen,
    MORNING: Qot_Common_QotMarketState.Morning,
    REST: Qot_Common_QotMarketState.Rest,
    AFTERNOON: Qot_Common_QotMarketState.Afternoon,
    PRE_MARKET_BEGIN: Qot_Common_QotMarketState.PreMarketBegin,
    AFTER_HOURS_BEGIN: Qot_Common_QotMarketState.AfterHoursBegin,
    AFTER_HOURS_END: Qot_Common_QotMarketState.AfterHoursEnd,
  };
  return table[state];
}

/** Rounds to `digits` decimals. */
export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
