/**
 * System calls: global state, a round-trip ping, and OpenD notifications.
 *
 * @example
 * ```ts
 * import { OpenDClient } from "./client.ts";
 * import { SystemApi } from "./system_api.ts";
 * const system = new SystemApi(await OpenDClient.connect({ gateway: "127.0.0.1:11111" }));
 * const { rttMs } = await system.ping();
 * ```
 *
 * @module
 */
import type { OpenDClient } from "./client.ts";
import { MARKET_STATE } from "./enums.ts";
import { Notify_GtwEventType, Notify_NotifyType } from "./proto/messages.ts";

/** OpenD's global state (`GetGlobalState`). Market states by name, e.g. "MORNING". */
export interface GlobalState {
  marketHK: string;
  marketUS: string;
  marketSH: string;
  marketSZ: string;
  qotLogined: boolean;
  trdLogined: boolean;
  serverVer: number;
  serverBuildNo: number;
  /** OpenD's clock, UTC seconds. */
  time: number;
  connId?: string;
}

/** A system notification (`Notify` push). */
export interface Notification {
  type: string;
  /** For gateway events: the event name, e.g. "KickedOut". */
  event?: string;
  description?: string;
  qotLogined?: boolean;
  trdLogined?: boolean;
}

function nameOf(table: Record<string, number>, value: number): string {
  return Object.entries(table).find(([, v]) => v === value)?.[0] ?? `UNKNOWN_${value}`;
}

/** See the module documentation. */
export class SystemApi {
  readonly #client: OpenDClient;

  constructor(client: OpenDClient) {
    this.#client = client;
  }

  /** OpenD's global state. */
  async getGlobalState(): Promise<GlobalState> {
    const s2c = await this.#client.request("GetGlobalState", { userID: "0" });
    return {
      marketHK: MARKET_STATE.fromWire(s2c.marketHK),
      marketUS: MARKET_STATE.fromWire(s2c.marketUS),
      marketSH: MARKET_STATE.fromWire(s2c.marketSH),
      marketSZ: MARKET_STATE.fromWire(s2c.marketSZ),
      qotLogined: s2c.qotLogined,
      trdLogined: s2c.trdLogined,
      serverVer: s2c.serverVer,
      serverBuildNo: s2c.serverBuildNo,
      time: Number(s2c.time),
      connId: s2c.connID,
    };
  }

  /** Round trip of a KeepAlive, and OpenD's clock. */
  async ping(): Promise<{ rttMs: number; serverTime: number }> {
    const started = performance.now();
    const s2c = await this.#client.request("KeepAlive", { time: String(Math.floor(Date.now() / 1000)) });
    return { rttMs: performance.now() - started, serverTime: Number(s2c.time) };
  }

  /** System notifications (`Notify`). Returns the unsubscribe function. */
  onNotify(handler: (notification: Notification) => void): () => void {
    return this.#client.onPush("Notify", (s2c) =>
      handler({
        type: nameOf(Notify_NotifyType, s2c.type),
        event: s2c.event ? nameOf(Notify_GtwEventType, s2c.event.eventType) : undefined,
        description: s2c.event?.desc,
        qotLogined: s2c.connectStatus?.qotLogined,
        trdLogined: s2c.connectStatus?.trdLogined,
      }));
  }
}
