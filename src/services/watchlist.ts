/**
 * Watchlists and price reminders: what the tools use of OpenD. Changes report
 * what they changed, read back from OpenD rather than assumed.
 *
 * @module
 */
import type { Gateway } from "../gateway/types.ts";
import type { MarketPrefix } from "../gateway/symbols.ts";
import type { StaticInfo } from "../gateway/quote_types.ts";
import type {
  GroupTypeName,
  SecurityReminders,
  SetPriceReminder,
  WatchlistGroup,
  WatchlistOpName,
} from "../gateway/watchlist_types.ts";

/** What a watchlist change did to the group it named. */
export interface WatchlistChange {
  group: string;
  op: WatchlistOpName;
  /** Symbols the change added to (ADD) or removed from (DEL, MOVE_OUT) the group. */
  changed: string[];
  /** Symbols that were already so. */
  unchanged: string[];
  /** The group afterwards. */
  securities: StaticInfo[];
}

/** Watchlists and price reminders. */
export class WatchlistService {
  readonly #gateway: Gateway;

  constructor(gateway: Gateway) {
    this.#gateway = gateway;
  }

  /** Watchlist groups: system, custom or all. */
  groups(type: GroupTypeName): Promise<WatchlistGroup[]> {
    return this.#gateway.watchlist.getGroups(type);
  }

  /** The securities of a group. */
  securities(group: string): Promise<StaticInfo[]> {
    return this.#gateway.watchlist.getSecurities(group);
  }

  /** Changes a group and reports, from the group before and after, what changed. */
  async modify(group: string, op: WatchlistOpName, symbols: string[]): Promise<WatchlistChange> {
    const api = this.#gateway.watchlist;
    const before = new Set((await api.getSecurities(group)).map((s) => s.symbol));
    await api.modify(group, op, symbols);
    const securities = await api.getSecurities(group);
    const after = new Set(securities.map((s) => s.symbol));
    const unique = [...new Set(symbols)];
    const changed = unique.filter((s) =>
      op === "ADD" ? !before.has(s) && after.has(s) : before.has(s) && !after.has(s)
    );
    return { group, op, changed, unchanged: unique.filter((s) => !changed.includes(s)), securities };
  }

  /** Price reminders of a security or a market. */
  reminders(of: { symbol: string } | { market: MarketPrefix }): Promise<SecurityReminders[]> {
    return this.#gateway.watchlist.getPriceReminders(of);
  }

  /** Changes a price reminder; returns its key and the security's reminders afterwards. */
  async setReminder(change: SetPriceReminder): Promise<{ key: string; reminders: SecurityReminders[] }> {
    const key = await this.#gateway.watchlist.setPriceReminder(change);
    return { key, reminders: await this.#gateway.watchlist.getPriceReminders({ symbol: change.symbol }) };
  }
}
