/**
 * Stock, option and warrant screens and technical indicators: the simulated
 * OpenD's handlers. Every protocol of this family is modelled on the
 * simulated market; none is generated.
 *
 * - `Qot_StockScreen` (`screens_stock.ts`): the catalog's stocks of the
 *   requested markets and plates, filtered and sorted on their snapshot
 *   values (price, market cap = price × shares), the change and change rate
 *   over N daily bars and the annual net profit (shares × EPS).
 * - `Qot_OptionScreen` (`screens_option.ts`): every listed contract of the
 *   simulated chains with `optionMetrics` (IV, Greeks), its book and session.
 * - `Qot_WarrantScreen` (`screens_warrant.ts`): the catalog's warrants with
 *   `warrantMetrics`, the values Qot_GetWarrant reports.
 * - `Qot_GetIndicatorList` (`indicators.ts`): the fixed built-in set (MA, EMA,
 *   MACD, RSI, BOLL, KDJ) in MyLang and Python versions, inputs with defaults.
 * - `Qot_RequestIndicatorCalc`: validated and computed at once from the
 *   K-lines the request carries (a bad request fails with OpenD's message);
 *   the reply carries the calcId, and the result follows as a
 *   `Qot_PushIndicatorCalc` push with that calcId to the requesting
 *   connection, sent after the reply (on the next turn of the event loop).
 *
 * @module
 */
import { Qot_Common_KLType } from "../gateway/proto/messages.ts";
import { fail, resolve } from "./_handler_common.ts";
import type { HandlerTable } from "./handlers.ts";
import { calculateIndicator, indicatorList } from "./indicators.ts";
import { optionScreen } from "./screens_option.ts";
import { stockScreen } from "./screens_stock.ts";
import { warrantScreen } from "./screens_warrant.ts";

const KL_TYPES = new Set<number>(Object.values(Qot_Common_KLType).filter((v) => v !== Qot_Common_KLType.Unknown));

/** The screen and indicator handlers. */
export const SCREEN_HANDLERS: HandlerTable = {
  Qot_StockScreen: (ctx, _session, c2s) => stockScreen(ctx.market, c2s),
  Qot_OptionScreen: (ctx, _session, c2s) => optionScreen(ctx.market, c2s),
  Qot_WarrantScreen: (ctx, _session, c2s) => warrantScreen(ctx.market, c2s),
  Qot_GetIndicatorList: (_ctx, _session, c2s) => indicatorList(c2s),
  Qot_RequestIndicatorCalc: (_ctx, session, c2s, serialNo) => {
    if (!c2s.data) fail("data is required: the security, K-line type and K-lines to calculate on");
    resolve(c2s.data.security);
    if (!KL_TYPES.has(c2s.data.klType)) fail(`Unknown klType ${c2s.data.klType}`);
    const result = calculateIndicator(c2s);
    // Unique per connection (the session number) and request (its serial).
    const calcId = `calc-${session.number}-${serialNo}`;
    setTimeout(() => session.push("Qot_PushIndicatorCalc", { calcId, ...result }), 0);
    return { calcId };
  },
};
