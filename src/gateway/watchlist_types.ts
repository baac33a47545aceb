/**
 * Watchlists and price reminders: their enums by name (the Python SDK's names)
 * and the domain types the typed calls return. Light: no protocol stack, so
 * tools and the CLI can use the names.
 *
 * @example
 * ```ts
 * import { PRICE_REMINDER_TYPE } from "./watchlist_types.ts";
 * PRICE_REMINDER_TYPE.toWire("PRICE_UP"); // 1
 * ```
 *
 * @module
 */
import { EnumMap } from "./enums.ts";
import {
  Qot_Common_PriceReminderFreq,
  Qot_Common_PriceReminderMarketStatus,
  Qot_Common_PriceReminderType,
  Qot_GetUserSecurityGroup_GroupType,
  Qot_ModifyUserSecurity_ModifyUserSecurityOp,
  Qot_SetPriceReminder_SetPriceReminderOp,
} from "./proto/messages.ts";

function enumMap<const T extends Record<string, number>>(label: string, table: T): EnumMap<keyof T & string> {
  return new EnumMap(label, table);
}

/** Which watchlist groups to list (`Qot_GetUserSecurityGroup.GroupType`). */
export const GROUP_TYPE = enumMap("group_type", {
  CUSTOM: Qot_GetUserSecurityGroup_GroupType.Custom,
  SYSTEM: Qot_GetUserSecurityGroup_GroupType.System,
  ALL: Qot_GetUserSecurityGroup_GroupType.All,
});
/** A group type name. */
export type GroupTypeName = (typeof GROUP_TYPE.names)[number];

/** A watchlist change (`Qot_ModifyUserSecurity.ModifyUserSecurityOp`). */
export const WATCHLIST_OP = enumMap("op", {
  ADD: Qot_ModifyUserSecurity_ModifyUserSecurityOp.Add,
  DEL: Qot_ModifyUserSecurity_ModifyUserSecurityOp.Del,
  MOVE_OUT: Qot_ModifyUserSecurity_ModifyUserSecurityOp.MoveOut,
});
/** A watchlist change name. */
export type WatchlistOpName = (typeof WATCHLIST_OP.names)[number];

/** A price reminder change (`Qot_SetPriceReminder.SetPriceReminderOp`). */
export const REMINDER_OP = enumMap("op", {
  ADD: Qot_SetPriceReminder_SetPriceReminderOp.Add,
  DEL: Qot_SetPriceReminder_SetPriceReminderOp.Del,
  ENABLE: Qot_SetPriceReminder_SetPriceReminderOp.Enable,
  DISABLE: Qot_SetPriceReminder_SetPriceReminderOp.Disable,
  MODIFY: Qot_SetPriceReminder_SetPriceReminderOp.Modify,
  DEL_ALL: Qot_SetPriceReminder_SetPriceReminderOp.DelAll,
});
/** A price reminder change name. */
export type ReminderOpName = (typeof REMINDER_OP.names)[number];

/** What a reminder watches (`Qot_Common.PriceReminderType`); rates are percentages (20 = 20%). */
export const REMINDER_TYPE = enumMap("reminder_type", {
  PRICE_UP: Qot_Common_PriceReminderType.PriceUp,
  PRICE_DOWN: Qot_Common_PriceReminderType.PriceDown,
  CHANGE_RATE_UP: Qot_Common_PriceReminderType.ChangeRateUp,
  CHANGE_RATE_DOWN: Qot_Common_PriceReminderType.ChangeRateDown,
  FIVE_MIN_CHANGE_RATE_UP: Qot_Common_PriceReminderType["5MinChangeRateUp"],
  FIVE_MIN_CHANGE_RATE_DOWN: Qot_Common_PriceReminderType["5MinChangeRateDown"],
  VOLUME_UP: Qot_Common_PriceReminderType.VolumeUp,
  TURNOVER_UP: Qot_Common_PriceReminderType.TurnoverUp,
  TURNOVER_RATE_UP: Qot_Common_PriceReminderType.TurnoverRateUp,
  BID_PRICE_UP: Qot_Common_PriceReminderType.BidPriceUp,
  ASK_PRICE_DOWN: Qot_Common_PriceReminderType.AskPriceDown,
  BID_VOL_UP: Qot_Common_PriceReminderType.BidVolUp,
  ASK_VOL_UP: Qot_Common_PriceReminderType.AskVolUp,
  THREE_MIN_CHANGE_RATE_UP: Qot_Common_PriceReminderType["3MinChangeRateUp"],
  THREE_MIN_CHANGE_RATE_DOWN: Qot_Common_PriceReminderType["3MinChangeRateDown"],
});
/** A reminder type name. */
export type ReminderTypeName = (typeof REMINDER_TYPE.names)[number];

/** How often a reminder fires (`Qot_Common.PriceReminderFreq`). */
export const REMINDER_FREQ = enumMap("freq", {
  ALWAYS: Qot_Common_PriceReminderFreq.Always,
  ONCE_A_DAY: Qot_Common_PriceReminderFreq.OnceADay,
  ONCE: Qot_Common_PriceReminderFreq.OnlyOnce,
});
/** A reminder frequency name. */
export type ReminderFreqName = (typeof REMINDER_FREQ.names)[number];

/** The session a reminder covers (`Qot_Common.PriceReminderMarketStatus`). */
export const REMINDER_SESSION = enumMap("session", {
  OPEN: Qot_Common_PriceReminderMarketStatus.Open,
  US_PRE: Qot_Common_PriceReminderMarketStatus.USPre,
  US_AFTER: Qot_Common_PriceReminderMarketStatus.USAfter,
  US_OVERNIGHT: Qot_Common_PriceReminderMarketStatus.USOverNight,
});
/** A reminder session name. */
export type ReminderSessionName = (typeof REMINDER_SESSION.names)[number];

/** A watchlist group. */
export interface WatchlistGroup {
  name: string;
  type: GroupTypeName | `UNKNOWN_${number}`;
}

/** One price reminder of a security. */
export interface PriceReminderItem {
  /** OpenD's 64-bit key, as a string. */
  key: string;
  type: ReminderTypeName | `UNKNOWN_${number}`;
  value: number;
  note: string;
  freq: ReminderFreqName | `UNKNOWN_${number}`;
  enabled: boolean;
  sessions: (ReminderSessionName | `UNKNOWN_${number}`)[];
}

/** The price reminders of one security. */
export interface SecurityReminders {
  symbol: string;
  name?: string;
  items: PriceReminderItem[];
}

/** A price reminder change. */
export interface SetPriceReminder {
  symbol: string;
  op: ReminderOpName;
  /** The reminder changed (all ops but ADD and DEL_ALL). */
  key?: string;
  type?: ReminderTypeName;
  freq?: ReminderFreqName;
  value?: number;
  note?: string;
  sessions?: ReminderSessionName[];
}

/** A fired price reminder (`Qot_UpdatePriceReminder`). */
export interface PriceReminderEvent {
  symbol: string;
  name?: string;
  price: number;
  /** Today's change, percent. */
  changeRate: number;
  session: ReminderSessionName | `UNKNOWN_${number}`;
  /** OpenD's text, e.g. "Price rose to 400.000". */
  content: string;
  note: string;
  key?: string;
  type?: ReminderTypeName | `UNKNOWN_${number}`;
  setValue?: number;
  curValue?: number;
}
