/**
 * Request handlers of the simulated OpenD: one function per protocol, from
 * the decoded C2S to the S2C, raising `SimReplyError` with OpenD-style
 * messages for business errors. This file holds the table the server
 * dispatches on and what every handler receives; the handlers themselves are
 * in `handlers_system.ts`, `handlers_quote.ts` and `handlers_trade.ts`.
 *
 * @module
 */
import type { C2S, RequestProtocol, S2C } from "../gateway/proto/codec.ts";
import { QUOTE_HANDLERS } from "./handlers_quote.ts";
import { SYSTEM_HANDLERS } from "./handlers_system.ts";
import { TRADE_HANDLERS } from "./handlers_trade.ts";
import { DERIVATIVE_HANDLERS } from "./handlers_derivatives.ts";
import { RESEARCH_HANDLERS } from "./handlers_research.ts";
import { CALENDAR_HANDLERS } from "./handlers_calendar.ts";
import { WATCHLIST_HANDLERS } from "./handlers_watchlist.ts";
import { LEDGER_HANDLERS } from "./handlers_ledger.ts";
import { FUNDAMENTAL_HANDLERS } from "./handlers_fundamentals.ts";
import { OWNERSHIP_HANDLERS } from "./handlers_ownership.ts";
import { RANKING_HANDLERS } from "./handlers_rankings.ts";
import { OPTIONS_ANALYTICS_HANDLERS } from "./handlers_options_analytics.ts";
import { SCREEN_HANDLERS } from "./handlers_screens.ts";
import { MACRO_HANDLERS } from "./handlers_macro.ts";
import { EVENT_CONTRACT_HANDLERS } from "./handlers_event_contracts.ts";
import type { MarketData } from "./market.ts";
import type { SimSession } from "./session.ts";
import type { DelayLog } from "./delay_stats.ts";
import type { HistoryQuota, SubscriptionBook } from "./subscriptions.ts";
import type { TradingEngine } from "./trading.ts";

/** The OpenD state handlers work on. */
export interface SimContext {
  readonly market: MarketData;
  readonly trading: TradingEngine;
  readonly subscriptions: SubscriptionBook;
  readonly historyQuota: HistoryQuota;
  /** The simulator's own request, push and order timings (GetDelayStatistics). */
  readonly delays: DelayLog;
  readonly sessions: ReadonlySet<SimSession>;
  /** What to do with a replayed PacketID: drop silently (like OpenD) or answer with an error. */
  readonly replayPolicy: "drop" | "error";
  /** Pushes the current data of a registered pair once (isFirstPush). */
  pushNow(session: SimSession, pair: string): void;
  /** Runs the trading engine soon (market orders fill right after they are acknowledged). */
  scheduleStep(): void;
}

/** A handler of one protocol. */
export type Handler<P extends RequestProtocol> = (
  ctx: SimContext,
  session: SimSession,
  c2s: C2S<P>,
  serialNo: number,
) => S2C<P>;

/** Handlers of some protocols. */
export type HandlerTable = { [P in RequestProtocol]?: Handler<P> };

/** Every request handler, by protocol. */
export const HANDLERS: HandlerTable = {
  ...SYSTEM_HANDLERS,
  ...QUOTE_HANDLERS,
  ...TRADE_HANDLERS,
  ...DERIVATIVE_HANDLERS,
  ...RESEARCH_HANDLERS,
  ...CALENDAR_HANDLERS,
  ...WATCHLIST_HANDLERS,
  ...LEDGER_HANDLERS,
  ...FUNDAMENTAL_HANDLERS,
  ...OWNERSHIP_HANDLERS,
  ...RANKING_HANDLERS,
  ...OPTIONS_ANALYTICS_HANDLERS,
  ...SCREEN_HANDLERS,
  ...MACRO_HANDLERS,
  ...EVENT_CONTRACT_HANDLERS,
};
