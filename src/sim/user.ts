/**
 * The user the simulated OpenD is logged in as: the login InitConnect
 * reports, and the profile and quote rights GetUserInfo reports. The rights
 * follow what the simulator serves: Level 2 (10-level book, broker queue in
 * HK) where its catalogue has securities, none elsewhere.
 *
 * @module
 */
import { Common_UserAttribution, Qot_Common_QotRight } from "../gateway/proto/messages.ts";
import { SIM_SECURITIES, type SimSecurity } from "./catalog.ts";

/** The logged-in user. */
export const SIM_USER = {
  /** loginUserID (InitConnect) and userID (GetUserInfo). */
  userId: "10086001",
  nickName: "Simulated Trader",
  avatarUrl: "https://avatar.sim.invalid/10086001.png",
  /** Registered with Futu Hong Kong. */
  attribution: Common_UserAttribution.HK,
} as const;

function rightWhere(match: (s: SimSecurity) => boolean): number {
  return SIM_SECURITIES.some(match) ? Qot_Common_QotRight.Level2 : Qot_Common_QotRight.No;
}

const kind = (s: SimSecurity): string => s.kind;
const stockLike = (s: SimSecurity) => kind(s) !== "option" && kind(s) !== "future";

/** GetUserInfo's quote-right fields (`Qot_Common.QotRight`), by market, from the catalogue. */
export function simQotRights(): Record<string, number> {
  const no = Qot_Common_QotRight.No;
  return {
    hkQotRight: rightWhere((s) => s.market === "HK" && stockLike(s)),
    usQotRight: rightWhere((s) => s.market === "US" && stockLike(s)),
    shQotRight: rightWhere((s) => s.market === "SH"),
    szQotRight: rightWhere((s) => s.market === "SZ"),
    hkOptionQotRight: rightWhere((s) => s.market === "HK" && kind(s) === "option"),
    hkFutureQotRight: rightWhere((s) => s.market === "HK" && kind(s) === "future"),
    usOptionQotRight: rightWhere((s) => s.market === "US" && kind(s) === "option"),
    usIndexQotRight: rightWhere((s) => s.market === "US" && kind(s) === "index"),
    usOtcQotRight: no,
    usCMEFutureQotRight: rightWhere((s) => s.market === "US" && kind(s) === "future"),
    usCBOTFutureQotRight: no,
    usNYMEXFutureQotRight: no,
    usCOMEXFutureQotRight: no,
    usCBOEFutureQotRight: no,
    sgFutureQotRight: no,
    jpFutureQotRight: no,
    ccQotRight: no,
    sgStockQotRight: no,
    myStockQotRight: no,
    jpStockQotRight: no,
    ecQotRight: no,
  };
}
