/**
 * Domain types and enum names of OpenD's user and delay protocols
 * (GetUserInfo, GetDelayStatistics) and the program status of
 * GetGlobalState. Names are SCREAMING_SNAKE_CASE like the other enums; the
 * numbers come from the generated protobuf enums.
 *
 * @module
 */
import { derivedEnum, EnumMap } from "./enums.ts";
import {
  Common_ProgramStatusType,
  Common_UserAttribution,
  GetDelayStatistics_DelayStatisticsType,
  GetDelayStatistics_QotPushStage,
  GetDelayStatistics_QotPushType,
  GetUserInfo_UpdateType,
  Qot_Common_QotRight,
} from "./proto/messages.ts";

/** A market's quote right (`Qot_Common.QotRight`). */
export const QOT_RIGHT = derivedEnum("qot_right", Qot_Common_QotRight);

/** Where the user registered (`Common.UserAttribution`). */
export const USER_ATTRIBUTION = derivedEnum("user_attribution", Common_UserAttribution);

/** Whether OpenD must be upgraded (`GetUserInfo.UpdateType`). */
export const UPDATE_TYPE = derivedEnum("update_type", GetUserInfo_UpdateType);

/** OpenD's program status (`Common.ProgramStatusType`). */
export const PROGRAM_STATUS = derivedEnum("program_status", Common_ProgramStatusType);

/** Delay statistics kinds (`GetDelayStatistics.DelayStatisticsType`). */
export const DELAY_TYPE = derivedEnum<"QOT_PUSH" | "REQ_REPLY" | "PLACE_ORDER">(
  "delay_type",
  GetDelayStatistics_DelayStatisticsType,
  { skip: ["Unkonw"] },
);
/** A delay statistics kind. */
export type DelayTypeName = "QOT_PUSH" | "REQ_REPLY" | "PLACE_ORDER";

/** Legs of a quote push (`QotPushStage`): SR/SS the quote server receiving/sending, CR/CS OpenD receiving/sending. */
export const PUSH_STAGE = new EnumMap("push_stage", {
  SR2SS: GetDelayStatistics_QotPushStage.SR2SS,
  SS2CR: GetDelayStatistics_QotPushStage.SS2CR,
  CR2CS: GetDelayStatistics_QotPushStage.CR2CS,
  SS2CS: GetDelayStatistics_QotPushStage.SS2CS,
  SR2CS: GetDelayStatistics_QotPushStage.SR2CS,
});
/** A quote push leg. */
export type PushStageName = "SR2SS" | "SS2CR" | "CR2CS" | "SS2CS" | "SR2CS";

/** Kinds of quote push (`QotPushType`). */
export const QOT_PUSH_TYPE = derivedEnum("qot_push_type", GetDelayStatistics_QotPushType);

/** The OpenD user (`GetUserInfo`). Absent fields were not reported. */
export interface UserInfo {
  nickName?: string;
  avatarUrl?: string;
  /** The user's Futu ID (牛牛号), uint64 as a string. */
  userId?: string;
  /** Obsolete since OpenD 2.10; kept when OpenD still sends it. */
  apiLevel?: string;
  attribution?: string;
  /** True for the Futu (NiuNiu) app, false for moomoo. */
  futuApp?: boolean;
  /** Subscription quota (units of security × subtype). */
  subQuota?: number;
  /** History K-line quota (securities per 30 days). */
  historyKLQuota?: number;
  /** Quote right per market ("HK", "US_OPTION", …), e.g. "LEVEL2"; "NO" for none. */
  qotRights: Record<string, string>;
  hasUSOptionQotRight?: boolean;
  needAgreeDisclaimer?: boolean;
  updateType?: string;
  updateWhatsNew?: string;
}

/** One bucket of a push delay histogram, [beginMs, endMs); endMs null = no upper bound. */
export interface DelayBucket {
  beginMs: number;
  endMs: number | null;
  count: number;
  /** Percent of the pushes. */
  pct: number;
  cumulativePct: number;
}

/** Delay statistics of one kind of quote push. */
export interface PushDelay {
  type: string;
  count: number;
  avgMs: number;
  buckets: DelayBucket[];
}

/** Request/reply timings of one protocol. */
export interface RequestDelay {
  protoId: number;
  /** The protocol's name, when known, e.g. "Qot_GetBasicQot". */
  protocol?: string;
  count: number;
  totalAvgMs: number;
  openDAvgMs: number;
  /** An estimate, not the requests' own network time. */
  netAvgMs: number;
  /** Answered by OpenD itself without asking the quote server. */
  localReply: boolean;
}

/** Timings of one order placement. */
export interface OrderDelay {
  orderId: string;
  totalMs: number;
  openDMs: number;
  netMs: number;
  /** From the reply until the order reached the exchange. */
  updateMs: number;
}

/** What GetDelayStatistics reports. */
export interface DelayStatistics {
  pushStage: string;
  pushes: PushDelay[];
  requests: RequestDelay[];
  orders: OrderDelay[];
}

/** Options of `SystemApi.getDelayStatistics`. */
export interface DelayStatisticsOptions {
  /** Default: all. */
  types?: DelayTypeName[];
  /** Default SR2CS: the quote server receiving the data to OpenD sending it. */
  pushStage?: PushStageName;
  /** Bucket upper bounds in ms, rising; -1 = no bound. Default: OpenD's. */
  segments?: number[];
}
