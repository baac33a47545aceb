/**
 * System request handlers of the simulated OpenD: KeepAlive and
 * GetGlobalState (InitConnect is answered by the session itself).
 *
 * @module
 */
import { Common_ProgramStatusType } from "../gateway/proto/messages.ts";
import { phaseState } from "./_handler_common.ts";
import type { HandlerTable } from "./handlers.ts";

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
};
