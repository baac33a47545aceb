/**
 * The health of the link to OpenD: a round trip, OpenD's market states and
 * what the client knows of the connection.
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
import type { Gateway, GlobalState } from "../gateway/types.ts";

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
}
