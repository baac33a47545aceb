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

/** A client with its typed APIs. */
export class Gateway {
  readonly system: SystemApi;
  readonly quote: QuoteApi;
  readonly trade: TradeApi;

  constructor(readonly client: OpenDClient) {
    this.system = new SystemApi(client);
    this.quote = new QuoteApi(client);
    this.trade = new TradeApi(client);
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
