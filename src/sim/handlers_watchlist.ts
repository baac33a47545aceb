/**
 * Watchlists and price reminders: the simulated OpenD's handlers, and the
 * tick step that sends fired reminders (`Qot_UpdatePriceReminder`) to the
 * connections that receive notifications (InitConnect `recvNotify`). The
 * state is the OpenD-wide {@link WatchlistBook}.
 *
 * @module
 */
import { marketOfQotMarket } from "../gateway/symbols.ts";
import {
  Qot_ModifyUserSecurity_ModifyUserSecurityOp as ModifyOp,
  Qot_SetPriceReminder_SetPriceReminderOp as Op,
} from "../gateway/proto/messages.ts";
import { fail, resolve, rule } from "./_handler_common.ts";
import type { SimSecurity } from "./catalog.ts";
import type { HandlerTable, SimContext } from "./handlers.ts";
import { type SimReminder, watchlistBookOf } from "./watchlist_book.ts";
import { securityOf, staticInfoOf } from "./wire.ts";

function itemOf(r: SimReminder) {
  return {
    key: r.key,
    type: r.type,
    value: r.value,
    note: r.note,
    freq: r.freq,
    isEnable: r.enabled,
    reminderSessionList: r.sessions,
  };
}

/** The handlers of this file, by protocol. */
export const WATCHLIST_HANDLERS: HandlerTable = {
  Qot_GetUserSecurityGroup: (ctx, _session, c2s) => ({
    groupList: rule(() => watchlistBookOf(ctx.market).groups(c2s.groupType)),
  }),

  Qot_GetUserSecurity: (ctx, _session, c2s) => {
    const securities = rule(() => watchlistBookOf(ctx.market).securities(c2s.groupName));
    return { staticInfoList: securities.map((s) => staticInfoOf(ctx.market, s)) };
  },

  Qot_ModifyUserSecurity: (ctx, _session, c2s) => {
    const list = c2s.securityList ?? [];
    if (list.length === 0) fail("securityList must not be empty");
    // Every security is checked before anything changes.
    const securities = list.map(resolve);
    const book = watchlistBookOf(ctx.market);
    rule(() => {
      if (c2s.op === ModifyOp.Add) book.add(c2s.groupName, securities);
      else if (c2s.op === ModifyOp.Del) book.delete(c2s.groupName, securities);
      else if (c2s.op === ModifyOp.MoveOut) book.moveOut(c2s.groupName, securities);
      else fail(`Unknown op ${c2s.op}`);
    });
    return {};
  },

  Qot_SetPriceReminder: (ctx, _session, c2s) => {
    const security = resolve(c2s.security);
    const book = watchlistBookOf(ctx.market);
    const fields = {
      type: c2s.type,
      value: c2s.value,
      freq: c2s.freq,
      note: c2s.note,
      sessions: c2s.reminderSessionList?.length ? c2s.reminderSessionList : undefined,
    };
    const key = rule(() => {
      switch (c2s.op) {
        case Op.Add:
          return book.addReminder(security, fields);
        case Op.Del:
          book.deleteReminder(security, c2s.key);
          return c2s.key!;
        case Op.Enable:
        case Op.Disable:
          book.enableReminder(security, c2s.key, c2s.op === Op.Enable);
          return c2s.key!;
        case Op.Modify:
          book.modifyReminder(security, c2s.key, fields);
          return c2s.key!;
        case Op.DelAll:
          book.deleteReminder(security, undefined, true);
          return "0";
        default:
          return fail(`Unknown op ${c2s.op}`);
      }
    });
    return { key };
  },

  Qot_GetPriceReminder: (ctx, _session, c2s) => {
    const book = watchlistBookOf(ctx.market);
    let securities: SimSecurity[];
    if (c2s.security) {
      securities = [resolve(c2s.security)];
    } else {
      const market = c2s.market === undefined ? undefined : marketOfQotMarket(c2s.market);
      if (!market) fail("Either security or market is required");
      // "不区分沪深": a market query for SH or SZ covers both.
      const markets = market === "SH" || market === "SZ" ? ["SH", "SZ"] : [market];
      securities = book.withReminders().filter((s) => markets.includes(s.market));
    }
    return {
      priceReminderList: securities
        .filter((s) => book.remindersOf(s).length > 0)
        .map((s) => ({ security: securityOf(s), name: s.name, itemList: book.remindersOf(s).map(itemOf) })),
    };
  },
};

/** Checks the reminders against the market and pushes what fired to every notified connection. */
export function firePriceReminders(ctx: SimContext): void {
  const fired = watchlistBookOf(ctx.market).check(ctx.market);
  for (const f of fired) {
    const s2c = {
      security: securityOf(f.security),
      name: f.security.name,
      price: f.price,
      changeRate: f.changeRate,
      marketStatus: f.session,
      content: f.content,
      note: f.reminder.note,
      key: f.reminder.key,
      type: f.reminder.type,
      setValue: f.reminder.value,
      curValue: f.curValue,
    };
    for (const session of ctx.sessions) if (session.recvNotify) session.push("Qot_UpdatePriceReminder", s2c);
  }
}
