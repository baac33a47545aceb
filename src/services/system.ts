/**
 * OpenD itself: the health of the link (a round trip, market states, what
 * the client knows of the connection), OpenD's global state, market states of
 * securities, subscriptions and quotas, the logged-in user and OpenD's delay
 * statistics.
 *
 * @example
 * ```ts
 * import { Gateway } from "../gateway/mod.ts";
 * import { SystemService } from "./system.ts";
 * const system = new SystemService(await Gateway.connect({ gateway: "127.0.0.1:11111" }));
 * console.log((await system.health()).rttMs);
 * ```
 *
 * @module
 */
import {
  type DelayStatistics,
  type DelayStatisticsOptions,
  type Gateway,
  type GlobalState,
  type HistoryKLQuota,
  type MarketStateInfo,
  parseSymbol,
  type SubscriptionInfo,
  type UserInfo,
} from "../gateway/types.ts";

/** What futu_ping reports. */
export interface GatewayHealth {
  rttMs: number;
  /** OpenD's clock, Unix seconds. */
  serverTime: number;
  /** `host:port`, or "in-process" for the embedded simulator. */
  address: string;
  state: string;
  connId?: string;
  encryption?: string;
  reconnects: number;
  global: GlobalState;
}

/** See the module documentation. */
export class SystemService {
  readonly #gateway: Gateway;

  constructor(gateway: Gateway) {
    this.#gateway = gateway;
  }

  /** A round trip to OpenD and the link's state. */
  async health(): Promise<GatewayHealth> {
    const { rttMs, serverTime } = await this.#gateway.system.ping();
    const global = await this.#gateway.system.getGlobalState();
    const client = this.#gateway.client;
    return {
      rttMs,
      serverTime,
      address: client.address.host === "in-process" ? "in-process" : `${client.address.host}:${client.address.port}`,
      state: client.state,
      connId: client.connection?.connId,
      encryption: client.connection?.encryption,
      reconnects: client.reconnectCount,
      global,
    };
  }

  /** OpenD's global state: market states, login flags, version. */
  globalState(): Promise<GlobalState> {
    return this.#gateway.system.getGlobalState();
  }

  /** The state of each security's market. */
  marketStates(symbols: string[]): Promise<MarketStateInfo[]> {
    return this.#gateway.quote.getMarketState(symbols.map((s) => parseSymbol(s).symbol));
  }

  /** Subscriptions of this connection (or of every connection) and OpenD's quota. */
  subscriptions(allConnections: boolean): Promise<SubscriptionInfo> {
    return this.#gateway.quote.getSubInfo(allConnections);
  }

  /** Usage of the 30-day history K-line quota, with the securities counted when `detail`. */
  historyKLQuota(detail: boolean): Promise<HistoryKLQuota> {
    return this.#gateway.quote.getHistoryKLQuota(detail);
  }

  /** The logged-in user. */
  userInfo(): Promise<UserInfo> {
    return this.#gateway.system.getUserInfo();
  }

  /** OpenD's delay statistics. */
  delayStatistics(options: DelayStatisticsOptions): Promise<DelayStatistics> {
    return this.#gateway.system.getDelayStatistics(options);
  }
}
