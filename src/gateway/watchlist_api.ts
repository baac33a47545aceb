/**
 * Watchlists and price reminders: the typed OpenD calls. Symbols as
 * "HK.00700", enums by name, reminder keys (int64) as strings.
 *
 * @example
 * ```ts
 * import { OpenDClient } from "./client.ts";
 * import { WatchlistApi } from "./watchlist_api.ts";
 * const client = await OpenDClient.connect({ gateway: "127.0.0.1:11111" });
 * const watchlist = new WatchlistApi(client);
 * await watchlist.modify("Tech", "ADD", ["HK.00700"]);
 * const off = watchlist.onPriceReminder((event) => console.log(event.content));
 * ```
 *
 * @module
 */
import { onPushOf } from "./_push.ts";
import { toStaticInfo } from "./_quote_convert.ts";
import type { OpenDClient } from "./client.ts";
import type { StaticInfo } from "./quote_types.ts";
import { formatSymbol, type MarketPrefix, qotMarketOf, toSecurity } from "./symbols.ts";
import {
  GROUP_TYPE,
  type GroupTypeName,
  type PriceReminderEvent,
  REMINDER_FREQ,
  REMINDER_OP,
  REMINDER_SESSION,
  REMINDER_TYPE,
  type SecurityReminders,
  type SetPriceReminder,
  WATCHLIST_OP,
  type WatchlistGroup,
  type WatchlistOpName,
} from "./watchlist_types.ts";

export * from "./watchlist_types.ts";

/** Watchlists and price reminders. */
export class WatchlistApi {
  readonly #client: OpenDClient;

  constructor(client: OpenDClient) {
    this.#client = client;
  }

  /** The user's watchlist groups (`Qot_GetUserSecurityGroup`). */
  async getGroups(type: GroupTypeName = "ALL"): Promise<WatchlistGroup[]> {
    const s2c = await this.#client.request("Qot_GetUserSecurityGroup", { groupType: GROUP_TYPE.toWire(type) });
    return (s2c.groupList ?? []).map((g) => ({ name: g.groupName, type: GROUP_TYPE.fromWire(g.groupType) }));
  }

  /** The securities of a group, by name (`Qot_GetUserSecurity`). */
  async getSecurities(group: string): Promise<StaticInfo[]> {
    const s2c = await this.#client.request("Qot_GetUserSecurity", { groupName: group });
    return (s2c.staticInfoList ?? []).map(toStaticInfo);
  }

  /** Adds securities to a custom group, deletes them from the watchlist, or moves them out of a group. */
  async modify(group: string, op: WatchlistOpName, symbols: string[]): Promise<void> {
    await this.#client.request("Qot_ModifyUserSecurity", {
      groupName: group,
      op: WATCHLIST_OP.toWire(op),
      securityList: symbols.map(toSecurity),
    });
  }

  /** The price reminders of a security, or of a market (SH and SZ count as one). */
  async getPriceReminders(of: { symbol: string } | { market: MarketPrefix }): Promise<SecurityReminders[]> {
    const s2c = await this.#client.request(
      "Qot_GetPriceReminder",
      "symbol" in of ? { security: toSecurity(of.symbol) } : { market: qotMarketOf(of.market) },
    );
    return (s2c.priceReminderList ?? []).map((r) => ({
      symbol: formatSymbol(r.security),
      name: r.name,
      items: (r.itemList ?? []).map((i) => ({
        key: i.key,
        type: REMINDER_TYPE.fromWire(i.type),
        value: i.value,
        note: i.note,
        freq: REMINDER_FREQ.fromWire(i.freq),
        enabled: i.isEnable,
        sessions: (i.reminderSessionList ?? []).map((s) => REMINDER_SESSION.fromWire(s)),
      })),
    }));
  }

  /** Adds, changes, enables, disables or deletes a price reminder; returns the key OpenD reports. */
  async setPriceReminder(change: SetPriceReminder): Promise<string> {
    const s2c = await this.#client.request("Qot_SetPriceReminder", {
      security: toSecurity(change.symbol),
      op: REMINDER_OP.toWire(change.op),
      ...(change.key !== undefined ? { key: change.key } : {}),
      ...(change.type !== undefined ? { type: REMINDER_TYPE.toWire(change.type) } : {}),
      ...(change.freq !== undefined ? { freq: REMINDER_FREQ.toWire(change.freq) } : {}),
      ...(change.value !== undefined ? { value: change.value } : {}),
      ...(change.note !== undefined ? { note: change.note } : {}),
      ...(change.sessions ? { reminderSessionList: change.sessions.map((s) => REMINDER_SESSION.toWire(s)) } : {}),
    });
    return s2c.key;
  }

  /** Fired price reminders (`Qot_UpdatePriceReminder`). Returns the unsubscribe function. */
  onPriceReminder(handler: (event: PriceReminderEvent) => void): () => void {
    return onPushOf(this.#client, "Qot_UpdatePriceReminder", handler, (s2c) => [{
      symbol: formatSymbol(s2c.security),
      name: s2c.name,
      price: s2c.price,
      changeRate: s2c.changeRate,
      session: REMINDER_SESSION.fromWire(s2c.marketStatus),
      content: s2c.content,
      note: s2c.note,
      key: s2c.key,
      type: s2c.type === undefined ? undefined : REMINDER_TYPE.fromWire(s2c.type),
      setValue: s2c.setValue,
      curValue: s2c.curValue,
    }]);
  }
}
