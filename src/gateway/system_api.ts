/**
 * System calls: global state, a round-trip ping, OpenD notifications, the
 * logged-in user and OpenD's delay statistics.
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
import { protocolById } from "./proto/codec.ts";
import { type GetUserInfo_S2C, Notify_GtwEventType, Notify_NotifyType } from "./proto/messages.ts";
import {
  DELAY_TYPE,
  type DelayStatistics,
  type DelayStatisticsOptions,
  PROGRAM_STATUS,
  PUSH_STAGE,
  QOT_PUSH_TYPE,
  QOT_RIGHT,
  UPDATE_TYPE,
  USER_ATTRIBUTION,
  type UserInfo,
} from "./system_types.ts";

export * from "./system_types.ts";

/** OpenD's global state (`GetGlobalState`). Market states by name, e.g. "MORNING". */
export interface GlobalState {
  marketHK: string;
  marketUS: string;
  marketSH: string;
  marketSZ: string;
  qotLogined: boolean;
  trdLogined: boolean;
  marketHKFuture: string;
  marketUSFuture?: string;
  marketSGFuture?: string;
  marketJPFuture?: string;
  marketSG?: string;
  marketMY?: string;
  marketJP?: string;
  serverVer: number;
  serverBuildNo: number;
  /** OpenD's clock, UTC seconds. */
  time: number;
  /** OpenD's machine clock, UTC seconds. */
  localTime?: number;
  /** e.g. "READY". */
  programStatus?: string;
  qotServer?: string;
  trdServer?: string;
  connId?: string;
}

/** GetUserInfo's quote-right fields and the market each covers. */
const QOT_RIGHT_FIELDS = [
  ["hkQotRight", "HK"],
  ["usQotRight", "US"],
  ["shQotRight", "SH"],
  ["szQotRight", "SZ"],
  ["hkOptionQotRight", "HK_OPTION"],
  ["hkFutureQotRight", "HK_FUTURE"],
  ["usOptionQotRight", "US_OPTION"],
  ["usIndexQotRight", "US_INDEX"],
  ["usOtcQotRight", "US_OTC"],
  ["usCMEFutureQotRight", "US_CME_FUTURE"],
  ["usCBOTFutureQotRight", "US_CBOT_FUTURE"],
  ["usNYMEXFutureQotRight", "US_NYMEX_FUTURE"],
  ["usCOMEXFutureQotRight", "US_COMEX_FUTURE"],
  ["usCBOEFutureQotRight", "US_CBOE_FUTURE"],
  ["sgFutureQotRight", "SG_FUTURE"],
  ["jpFutureQotRight", "JP_FUTURE"],
  ["sgStockQotRight", "SG"],
  ["myStockQotRight", "MY"],
  ["jpStockQotRight", "JP"],
  ["ccQotRight", "CRYPTO"],
  ["ecQotRight", "EVENT_CONTRACT"],
] as const satisfies readonly (readonly [keyof GetUserInfo_S2C, string])[];

const optionalState = (wire: number | undefined) => wire === undefined ? undefined : MARKET_STATE.fromWire(wire);

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
      marketHKFuture: MARKET_STATE.fromWire(s2c.marketHKFuture),
      marketUSFuture: optionalState(s2c.marketUSFuture),
      marketSGFuture: optionalState(s2c.marketSGFuture),
      marketJPFuture: optionalState(s2c.marketJPFuture),
      marketSG: optionalState(s2c.marketSG),
      marketMY: optionalState(s2c.marketMY),
      marketJP: optionalState(s2c.marketJP),
      serverVer: s2c.serverVer,
      serverBuildNo: s2c.serverBuildNo,
      time: Number(s2c.time),
      localTime: s2c.localTime,
      programStatus: s2c.programStatus ? PROGRAM_STATUS.fromWire(s2c.programStatus.type) : undefined,
      qotServer: s2c.qotSvrIpAddr || undefined,
      trdServer: s2c.trdSvrIpAddr || undefined,
      connId: s2c.connID,
    };
  }

  /** The logged-in user: profile, quotas and quote rights (every part OpenD has). */
  async getUserInfo(): Promise<UserInfo> {
    const s2c = await this.#client.request("GetUserInfo", {});
    const qotRights: Record<string, string> = {};
    for (const [field, market] of QOT_RIGHT_FIELDS) {
      const wire = s2c[field];
      if (wire !== undefined) qotRights[market] = QOT_RIGHT.fromWire(wire);
    }
    return {
      nickName: s2c.nickName,
      avatarUrl: s2c.avatarUrl,
      userId: s2c.userID,
      apiLevel: s2c.apiLevel || undefined,
      attribution: s2c.userAttribution === undefined ? undefined : USER_ATTRIBUTION.fromWire(s2c.userAttribution),
      futuApp: s2c.isAppNNOrMM,
      subQuota: s2c.subQuota,
      historyKLQuota: s2c.historyKLQuota,
      qotRights,
      hasUSOptionQotRight: s2c.hasUSOptionQotRight,
      needAgreeDisclaimer: s2c.isNeedAgreeDisclaimer,
      updateType: s2c.updateType === undefined ? undefined : UPDATE_TYPE.fromWire(s2c.updateType),
      updateWhatsNew: s2c.updateWhatsNew || undefined,
    };
  }

  /** OpenD's push, request and order delay statistics. */
  async getDelayStatistics(options: DelayStatisticsOptions = {}): Promise<DelayStatistics> {
    const pushStage = options.pushStage ?? "SR2CS";
    const s2c = await this.#client.request("GetDelayStatistics", {
      typeList: (options.types ?? DELAY_TYPE.names).map((t) => DELAY_TYPE.toWire(t)),
      qotPushStage: PUSH_STAGE.toWire(pushStage),
      segmentList: options.segments,
    });
    return {
      pushStage,
      pushes: (s2c.qotPushStatisticsList ?? []).map((p) => ({
        type: QOT_PUSH_TYPE.fromWire(p.qotPushType),
        count: p.count,
        avgMs: p.delayAvg,
        buckets: (p.itemList ?? []).map((i) => ({
          beginMs: i.begin,
          endMs: i.end === -1 ? null : i.end,
          count: i.count,
          pct: i.proportion,
          cumulativePct: i.cumulativeRatio,
        })),
      })),
      requests: (s2c.reqReplyStatisticsList ?? []).map((r) => ({
        protoId: r.protoID,
        protocol: protocolById(r.protoID),
        count: r.count,
        totalAvgMs: r.totalCostAvg,
        openDAvgMs: r.openDCostAvg,
        netAvgMs: r.netDelayAvg,
        localReply: r.isLocalReply,
      })),
      orders: (s2c.placeOrderStatisticsList ?? []).map((o) => ({
        orderId: o.orderID,
        totalMs: o.totalCost,
        openDMs: o.openDCost,
        netMs: o.netDelay,
        updateMs: o.updateCost,
      })),
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
