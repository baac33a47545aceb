/**
 * The OpenD gateway: one client and the typed quote, trade and system calls
 * over it. Everything above the wire uses this module.
 *
 * @example
 * ```ts
 * import { Gateway } from "./mod.ts";
 * const gateway = await Gateway.connect({ gateway: "127.0.0.1:11111" });
 * await gateway.quote.subscribe(["US.AAPL"], ["QUOTE"]);
 * console.log(await gateway.quote.getBasicQot(["US.AAPL"]));
 * await gateway.close();
 * ```
 *
 * @module
 */
import { OpenDClient, type OpenDClientOptions } from "./client.ts";
import { QuoteApi } from "./quote_api.ts";
import { SystemApi } from "./system_api.ts";
import { TradeApi } from "./trade_api.ts";
import { DerivativesApi } from "./derivatives_api.ts";
import { ResearchApi } from "./research_api.ts";
import { CalendarApi } from "./calendar_api.ts";
import { WatchlistApi } from "./watchlist_api.ts";
import { LedgerApi } from "./ledger_api.ts";
import { InsightApi } from "./insight_api.ts";

export * from "./client.ts";
export * from "./crypto.ts";
export * from "./enums.ts";
export * from "./errors.ts";
export * from "./ids.ts";
export * from "./quote_api.ts";
export * from "./quote_types.ts";
export * from "./symbols.ts";
export * from "./system_api.ts";
export * from "./trade_api.ts";
export * from "./trade_types.ts";
export * from "./derivatives_api.ts";
export * from "./research_api.ts";
export * from "./calendar_api.ts";
export * from "./watchlist_api.ts";
export * from "./ledger_api.ts";
export * from "./insight_api.ts";

/** A client with its typed APIs. */
export class Gateway {
  readonly system: SystemApi;
  readonly quote: QuoteApi;
  readonly trade: TradeApi;
  readonly derivatives: DerivativesApi;
  readonly research: ResearchApi;
  readonly calendar: CalendarApi;
  readonly watchlist: WatchlistApi;
  readonly ledger: LedgerApi;
  readonly insight: InsightApi;

  constructor(readonly client: OpenDClient) {
    this.system = new SystemApi(client);
    this.quote = new QuoteApi(client);
    this.trade = new TradeApi(client);
    this.derivatives = new DerivativesApi(client);
    this.research = new ResearchApi(client);
    this.calendar = new CalendarApi(client);
    this.watchlist = new WatchlistApi(client);
    this.ledger = new LedgerApi(client);
    this.insight = new InsightApi(client);
  }

  /** Connects (waiting for the first InitConnect) and returns the gateway. */
  static async connect(options: OpenDClientOptions): Promise<Gateway> {
    return new Gateway(await OpenDClient.connect(options));
  }

  /** A gateway that connects in the background and keeps retrying. */
  static start(options: OpenDClientOptions): Gateway {
    return new Gateway(new OpenDClient(options).start());
  }

  /** Closes the link. */
  close(): Promise<void> {
    return this.client.close();
  }

  /** Closes the link (`await using`). */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
