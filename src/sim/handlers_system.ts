/**
 * System request handlers of the simulated OpenD: KeepAlive, GetGlobalState,
 * GetUserInfo (the logged-in user, with the quotas the subscription and
 * history K-line rules enforce) and GetDelayStatistics (the simulator's own
 * measurements, see `delay_stats.ts`). InitConnect is answered by the
 * session itself.
 *
 * @module
 */
import type { S2C } from "../gateway/proto/codec.ts";
import {
  Common_ProgramStatusType,
  type GetDelayStatistics_DelayStatisticsItem,
  GetDelayStatistics_DelayStatisticsType as DelayType,
  GetDelayStatistics_QotPushStage as PushStage,
  GetDelayStatistics_QotPushType as PushType,
  GetUserInfo_UpdateType,
  GetUserInfo_UserInfoField as Field,
  Qot_Common_QotRight,
} from "../gateway/proto/messages.ts";
import { fail, phaseState } from "./_handler_common.ts";
import type { PushSample } from "./delay_stats.ts";
import type { HandlerTable } from "./handlers.ts";
import { SIM_USER, simQotRights } from "./user.ts";

/** OpenD's default segments: 2 ms steps below 100 ms, then 500, 1000, 2000 and beyond (-1). */
const DEFAULT_SEGMENTS = [...Array.from({ length: 50 }, (_, i) => 2 * (i + 1)), 500, 1000, 2000, -1];

/** Checks a requested segment list against OpenD's granularity rules. */
function segmentsOf(list: number[] | undefined): number[] {
  if (!list?.length) return DEFAULT_SEGMENTS;
  let previous = 0;
  list.forEach((bound, i) => {
    if (bound === -1) {
      if (i !== list.length - 1) fail("segmentList: -1 (infinity) can only be the last segment");
      return;
    }
    if (!Number.isInteger(bound) || bound <= previous) {
      fail(`segmentList must rise strictly from 0, got ${bound} after ${previous}`);
    }
    if (bound > 5000) fail(`segmentList: ${bound} ms is beyond 5000 ms; end the list with -1 instead`);
    const step = bound <= 100 ? 1 : bound <= 1000 ? 50 : 500;
    if (bound % step !== 0) fail(`segmentList: ${bound} ms must be a multiple of ${step} ms in its range`);
    previous = bound;
  });
  return list;
}

function histogram(delays: number[], segments: number[]): GetDelayStatistics_DelayStatisticsItem[] {
  let begin = 0;
  let cumulative = 0;
  return segments.map((end) => {
    const count = delays.filter((d) => d >= begin && (end === -1 || d < end)).length;
    cumulative += count;
    const item = {
      begin,
      end,
      count,
      proportion: delays.length ? count / delays.length * 100 : 0,
      cumulativeRatio: delays.length ? cumulative / delays.length * 100 : 0,
    };
    begin = end;
    return item;
  });
}

/** A push sample's delay over a stage; exchange and OpenD are one process, so SS→CR is zero. */
function stageDelay(sample: PushSample, stage: number): number {
  switch (stage) {
    case PushStage.SR2SS:
      return sample.eventToTick;
    case PushStage.SS2CR:
      return 0;
    case PushStage.CR2CS:
    case PushStage.SS2CS:
      return sample.build;
    default:
      return sample.eventToTick + sample.build;
  }
}

const round3 = (ms: number) => Math.round(ms * 1000) / 1000;

/** The system handlers, by protocol. */
export const SYSTEM_HANDLERS: HandlerTable = {
  KeepAlive: (ctx) => ({ time: String(Math.floor(ctx.market.clock.now() / 1000)) }),

  GetGlobalState: (ctx, session) => {
    const now = ctx.market.clock.now();
    return {
      marketHK: phaseState("HK", now),
      marketUS: phaseState("US", now),
      marketSH: phaseState("SH", now),
      marketSZ: phaseState("SZ", now),
      marketHKFuture: phaseState("HK", now),
      qotLogined: true,
      trdLogined: true,
      serverVer: 1001,
      serverBuildNo: 1,
      time: String(Math.floor(now / 1000)),
      localTime: now / 1000,
      programStatus: { type: Common_ProgramStatusType.Ready },
      connID: session.connId.toString(),
    };
  },

  GetUserInfo: (ctx, _session, c2s) => {
    // No flag: everything (the proto's default).
    const want = (field: number) => c2s.flag === undefined || (c2s.flag & field) !== 0;
    const s2c: S2C<"GetUserInfo"> = {};
    if (want(Field.Basic)) {
      Object.assign(s2c, {
        nickName: SIM_USER.nickName,
        avatarUrl: SIM_USER.avatarUrl,
        userID: SIM_USER.userId,
        userAttribution: SIM_USER.attribution,
        isAppNNOrMM: true,
      });
    }
    if (want(Field.API)) {
      Object.assign(s2c, { subQuota: ctx.subscriptions.quota, historyKLQuota: ctx.historyQuota.quota });
    }
    if (want(Field.QotRight)) {
      const rights = simQotRights();
      Object.assign(s2c, rights, { hasUSOptionQotRight: rights.usOptionQotRight !== Qot_Common_QotRight.No });
    }
    if (want(Field.Disclaimer)) s2c.isNeedAgreeDisclaimer = false;
    if (want(Field.Update)) s2c.updateType = GetUserInfo_UpdateType.None;
    return s2c;
  },

  GetDelayStatistics: (ctx, _session, c2s) => {
    const known: number[] = Object.values(DelayType).filter((t) => t !== DelayType.Unkonw);
    const types = c2s.typeList?.length ? c2s.typeList : known;
    for (const t of types) if (!known.includes(t)) fail(`Unknown DelayStatisticsType ${t}`);
    const stage = c2s.qotPushStage ?? PushStage.SR2CS;
    if (!(Object.values(PushStage) as number[]).includes(stage) || stage === PushStage.Unkonw) {
      fail(`Unknown qotPushStage ${stage}`);
    }
    const segments = segmentsOf(c2s.segmentList);
    const s2c: S2C<"GetDelayStatistics"> = {};
    if (types.includes(DelayType.QotPush)) {
      const samples = ctx.delays.pushes();
      s2c.qotPushStatisticsList = (["PRICE", "TICKER"] as const).map((kind) => {
        const delays = samples.filter((s) => s.kind === kind).map((s) => stageDelay(s, stage));
        return {
          qotPushType: kind === "PRICE" ? PushType.Price : PushType.Ticker,
          itemList: histogram(delays, segments),
          delayAvg: delays.length ? round3(delays.reduce((a, b) => a + b, 0) / delays.length) : 0,
          count: delays.length,
        };
      });
    }
    if (types.includes(DelayType.ReqReply)) {
      s2c.reqReplyStatisticsList = ctx.delays.requests().map((r) => ({
        protoID: r.protoId,
        count: r.count,
        totalCostAvg: round3(r.totalMs / r.count),
        openDCostAvg: round3(r.totalMs / r.count),
        netDelayAvg: 0,
        isLocalReply: true,
      }));
    }
    if (types.includes(DelayType.PlaceOrder)) {
      // An order still waiting to be submitted has no updateCost yet.
      s2c.placeOrderStatisticsList = ctx.delays.orders().filter((o) => o.submitMs !== undefined).map((o) => ({
        orderID: o.orderId,
        totalCost: round3(o.replyMs),
        openDCost: round3(o.replyMs),
        netDelay: 0,
        updateCost: o.submitMs!,
      }));
    }
    return s2c;
  },
};
