/**
 * Every futu-mcp tool, in listing order, and the selection `--toolsets` and
 * `--read-only` make.
 *
 * @module
 */
import { isReadOnly, type Tool, type Toolset } from "./tool.ts";
import { ACCOUNT_TOOLS } from "./account.ts";
import { QUOTE_TOOLS } from "./quote.ts";
import { PUSH_TOOLS } from "./push.ts";
import { TRADE_TOOLS } from "./trade.ts";
import { PREVIEW_TOOLS } from "./preview.ts";
import { CHART_TOOLS } from "./chart.ts";
import { DERIVATIVE_TOOLS } from "./derivatives.ts";
import { RESEARCH_TOOLS } from "./research.ts";
import { CALENDAR_TOOLS } from "./calendar.ts";
import { WATCHLIST_TOOLS } from "./watchlist.ts";
import { LEDGER_TOOLS } from "./ledger.ts";
import { SYSTEM_TOOLS } from "./system.ts";
import { FUNDAMENTAL_TOOLS } from "./fundamentals.ts";
import { OWNERSHIP_TOOLS } from "./ownership.ts";
import { RANKING_TOOLS } from "./rankings.ts";
import { OPTIONS_ANALYTICS_TOOLS } from "./options_analytics.ts";
import { SCREEN_TOOLS } from "./screens.ts";
import { MACRO_TOOLS } from "./macro.ts";
import { EVENT_CONTRACT_TOOLS } from "./event_contracts.ts";
export { PUSH_TOOLS };

/** All tools. */
export const ALL_TOOLS: readonly Tool[] = [
  ...QUOTE_TOOLS,
  ...CHART_TOOLS,
  ...ACCOUNT_TOOLS,
  ...PREVIEW_TOOLS,
  ...TRADE_TOOLS,
  ...PUSH_TOOLS,
  ...DERIVATIVE_TOOLS,
  ...RESEARCH_TOOLS,
  ...CALENDAR_TOOLS,
  ...WATCHLIST_TOOLS,
  ...LEDGER_TOOLS,
  ...SYSTEM_TOOLS,
  ...FUNDAMENTAL_TOOLS,
  ...OWNERSHIP_TOOLS,
  ...RANKING_TOOLS,
  ...OPTIONS_ANALYTICS_TOOLS,
  ...SCREEN_TOOLS,
  ...MACRO_TOOLS,
  ...EVENT_CONTRACT_TOOLS,
];

/** What each toolset is for, in a line (futu_list_toolsets shows it to the model). */
export const TOOLSET_DESCRIPTIONS: Readonly<Record<Toolset, string>> = {
  quote: "quotes, candles, order book, ticks, static info, plates",
  account: "accounts, funds, positions, today's orders and fills",
  trade: "place, modify and cancel orders; unlock real trading",
  push: "stream quotes and order updates to this session",
  options: "option expirations and chains with Greeks",
  warrants: "warrants and a security's related warrants or futures",
  futures: "futures contract terms",
  flow: "capital flow, capital distribution, major holders' changes",
  screen: "the stock filter and the plates a stock belongs to",
  calendar: "trading days, IPOs, code changes, rehab factors",
  watchlist: "watchlist groups and price reminders (changes need watchlist:write)",
  history: "order and fill history, cash flow",
  margin: "margin ratios, maximum tradable quantities, order fees",
  system: "market and OpenD state, subscriptions and quotas, the user, delays",
  research:
    "company profile and management, financial statements, earnings reactions, analyst ratings, valuation, corporate actions, search",
  ownership: "shareholders, insiders, institutions and ARK funds, short interest and short volume, top brokers",
  rankings:
    "top movers (pre, regular, after hours, overnight), hot lists, period, dividend and earnings ranks, market breadth, industrial chains",
  "options-analytics":
    "volatility, exercise probability, strategies and spreads, option market statistics and ranks, unusual option events, 0DTE and option screeners",
  technicals: "technical indicators: the list OpenD offers and a calculation over a security's candles",
  macro: "earnings, dividend and economic calendars, macro indicators, FedWatch rate odds and dot plot",
  news: "news search by keyword or security",
  "event-contracts":
    "event contracts: categories, series, events and contracts, their quotes, order books, trades, K-lines and combos",
};

/** The toolsets offered when `--toolsets` is not given ("push" is opt-in). */
export const DEFAULT_TOOLSETS: readonly Toolset[] = ["quote", "account", "trade"];

/** The tools a server exposes. */
export function selectTools(options: { toolsets?: readonly Toolset[]; readOnly?: boolean } = {}): Tool[] {
  const toolsets = options.toolsets ?? DEFAULT_TOOLSETS;
  return ALL_TOOLS.filter((tool) => toolsets.includes(tool.toolset) && (!options.readOnly || isReadOnly(tool)));
}
