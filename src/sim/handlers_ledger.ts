/**
 * Order fees, cash flows and margin ratios: the simulated OpenD's handlers
 * (Trd_GetOrderFee 2225, Trd_FlowSummary 2226, Trd_GetMarginRatio 2223). Fees
 * and cash flows are the account's own records (`fees.ts`, `accounts.ts`), so
 * they agree with its fills and its cash; margin ratios are `margin.ts`'s, the
 * ones its buying power uses. Paper accounts have neither fees nor cash flows,
 * as in OpenD.
 *
 * @module
 */
import { CURRENCY } from "../gateway/enums.ts";
import { Trd_FlowSummary_TrdCashFlowDirection } from "../gateway/proto/messages.ts";
import { fail, resolve } from "./_handler_common.ts";
import type { SimAccount } from "./accounts.ts";
import { formatLocal } from "./clock.ts";
import { feeTotal } from "./fees.ts";
import type { HandlerTable } from "./handlers.ts";
import { accountOf } from "./handlers_trade.ts";
import { marginTermsOf } from "./margin.ts";
import { securityOf } from "./wire.ts";

/** Securities one margin ratio request may ask for. */
const MAX_MARGIN_SECURITIES = 100;
/** Orders one fee request may ask for. */
const MAX_FEE_ORDERS = 400;

function realOnly(account: SimAccount, what: string): void {
  if (account.spec.env === "SIMULATE") fail(`Paper trading does not support ${what}`);
}

const round2 = (value: number) => Math.round(value * 100) / 100;

/** The handlers of this file, by protocol. */
export const LEDGER_HANDLERS: HandlerTable = {
  Trd_GetMarginRatio: (ctx, _session, c2s) => {
    const account = accountOf(ctx, c2s.header);
    const list = c2s.securityList ?? [];
    if (list.length === 0) fail("securityList is required");
    if (list.length > MAX_MARGIN_SECURITIES) {
      fail(`securityList has ${list.length} securities; at most ${MAX_MARGIN_SECURITIES} per request`);
    }
    return {
      header: c2s.header,
      marginRatioInfoList: list.map((wire) => {
        const security = resolve(wire);
        if (security.kind === "index") fail(`${security.symbol} is an index and cannot be traded`);
        const t = marginTermsOf(security, account.spec.accType);
        const short = account.positions.get(security.symbol)?.qty ?? 0;
        return {
          security: securityOf(security),
          isLongPermit: t.longPermit,
          isShortPermit: t.shortPermit,
          shortPoolRemain: Math.max(0, t.shortPool - Math.max(0, -short)),
          shortFeeRate: t.shortFeeRate,
          alertLongRatio: t.alertLong,
          alertShortRatio: t.alertShort,
          imLongRatio: t.imLong,
          imShortRatio: t.imShort,
          mcmLongRatio: t.mcmLong,
          mcmShortRatio: t.mcmShort,
          mmLongRatio: t.mmLong,
          mmShortRatio: t.mmShort,
        };
      }),
    };
  },

  Trd_GetOrderFee: (ctx, _session, c2s) => {
    const account = accountOf(ctx, c2s.header);
    realOnly(account, "order fees");
    const ids = c2s.orderIdExList ?? [];
    if (ids.length === 0) fail("orderIdExList is required");
    if (ids.length > MAX_FEE_ORDERS) fail(`orderIdExList has ${ids.length} orders; at most ${MAX_FEE_ORDERS}`);
    return {
      header: c2s.header,
      orderFeeList: ids.map((idEx) => {
        const order = account.orders.find((o) => o.orderIdEx === idEx);
        if (!order) fail(`Order ${idEx} does not exist in account ${account.accId}`);
        return {
          orderIDEx: order.orderIdEx,
          feeAmount: feeTotal(order.fees),
          feeList: order.fees.map((f) => ({ title: f.title, value: f.value })),
        };
      }),
    };
  },

  Trd_FlowSummary: (ctx, _session, c2s) => {
    const account = accountOf(ctx, c2s.header);
    realOnly(account, "cash flows");
    // A calendar date: the same day number in every market.
    const dayMs = /^\d{4}-\d{2}-\d{2}$/.test(c2s.clearingDate ?? "")
      ? Date.parse(`${c2s.clearingDate}T00:00:00Z`)
      : NaN;
    if (Number.isNaN(dayMs)) fail(`clearingDate must be "YYYY-MM-DD", got ${JSON.stringify(c2s.clearingDate ?? "")}`);
    const direction = c2s.cashFlowDirection ?? 0;
    if (![0, 1, 2].includes(direction)) fail(`Invalid cashFlowDirection ${direction}`);
    const day = Math.floor(dayMs / 86_400_000);
    const { In, Out } = Trd_FlowSummary_TrdCashFlowDirection;
    return {
      header: c2s.header,
      flowSummaryInfoList: ctx.trading.cashFlows(account, day)
        .filter((f) => direction === 0 || direction === (f.amount >= 0 ? In : Out))
        .map((f) => ({
          clearingDate: formatLocal(f.clearingDay, 0).slice(0, 10),
          settlementDate: formatLocal(f.settlementDay, 0).slice(0, 10),
          currency: CURRENCY.toWire(f.currency),
          cashFlowType: f.type,
          cashFlowDirection: f.amount >= 0 ? In : Out,
          cashFlowAmount: round2(f.amount),
          cashFlowRemark: f.remark,
          cashFlowID: f.id.toString(),
        })),
    };
  },
};
