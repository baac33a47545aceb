/**
 * The domain services a tool call runs with, over one gateway: shared by
 * futu-mcp, futucli and the benchmarks so that each assembles them the same way.
 *
 * @example
 * ```ts
 * import { Gateway } from "../gateway/mod.ts";
 * import { envPasswordSource } from "./trade_password.ts";
 * import { createServices } from "./services.ts";
 * const gateway = await Gateway.connect({ gateway: "127.0.0.1:11111" });
 * const services = createServices(gateway, { passwords: envPasswordSource() });
 * ```
 *
 * @module
 */
import type { Gateway } from "../gateway/types.ts";
import { AccountService } from "./accounts.ts";
import { MarketDataService } from "./market_data.ts";
import { OrderService } from "./orders.ts";
import type { IdempotencyStore } from "../state/store.ts";
import { type PushChannel, PushHub, type PushMessage } from "./push.ts";
import type { TradePasswordSource } from "./trade_password.ts";
import { SystemService } from "./system.ts";
import { DerivativesService } from "./derivatives.ts";
import { ResearchService } from "./research.ts";
import { CalendarService } from "./calendar.ts";
import { WatchlistService } from "./watchlist.ts";
import { LedgerService } from "./ledger.ts";
import { InsightService } from "./insight.ts";
import { IndicatorService } from "./indicators.ts";
import { ChartService } from "./chart.ts";

/** What the services need beyond the gateway. */
export interface ServiceOptions {
  /** Where `futu_unlock_trade` gets the trade password. */
  passwords: TradePasswordSource;
  /** At dispatch: may this channel receive this push? (Default: yes.) */
  mayReceive?: (channel: PushChannel, push: PushMessage) => Promise<boolean>;
  /** Charts (default: none; futu-mcp passes one that loads the renderer). */
  charts?: ChartService;
  /** Idempotency records shared with other replicas (default: this process keeps its own). */
  idempotencyStore?: IdempotencyStore;
}

/**
 * Everything tools (and through them futu-mcp and futucli) use of OpenD. The
 * gateway itself is not part of it: tools reach OpenD only through these.
 */
export interface Services {
  readonly system: SystemService;
  readonly market: MarketDataService;
  readonly accounts: AccountService;
  readonly orders: OrderService;
  readonly pushes: PushHub;
  readonly derivatives: DerivativesService;
  readonly research: ResearchService;
  readonly calendar: CalendarService;
  readonly watchlist: WatchlistService;
  readonly ledger: LedgerService;
  readonly insight: InsightService;
  readonly indicators: IndicatorService;
  /** PNG charts (the renderer is loaded on the first one). */
  readonly charts: ChartService;
}

/** The link's health, market data, accounts, orders and pushes over one gateway. */
export function createServices(gateway: Gateway, options: ServiceOptions): Services {
  const market = new MarketDataService(gateway);
  const mayReceive = options.mayReceive ?? (() => Promise.resolve(true));
  return {
    system: new SystemService(gateway),
    market,
    accounts: new AccountService(gateway),
    orders: new OrderService(gateway, { passwords: options.passwords, idempotencyStore: options.idempotencyStore }),
    pushes: new PushHub(gateway, market, mayReceive),
    derivatives: new DerivativesService(gateway),
    research: new ResearchService(gateway),
    calendar: new CalendarService(gateway),
    watchlist: new WatchlistService(gateway),
    ledger: new LedgerService(gateway),
    insight: new InsightService(gateway),
    indicators: new IndicatorService(gateway),
    charts: options.charts ?? new ChartService(),
  };
}
