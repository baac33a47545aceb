/**
 * Order history, cash flow, margin, fees and tradable quantities: the typed
 * OpenD calls (Trd_GetHistoryOrderList 2221, Trd_GetHistoryOrderFillList 2222,
 * Trd_GetMarginRatio 2223, Trd_GetOrderFee 2225, Trd_FlowSummary 2226). History
 * filters carry `filterMarket` only when a market is asked for: without it a
 * universal account answers for every market it trades.
 *
 * @module
 */
import { toFill, toOrder } from "./_trade_convert.ts";
import type { OpenDClient } from "./client.ts";
import { CURRENCY, type CurrencyName, ORDER_STATUS, TRD_ENV, TRD_MARKET } from "./enums.ts";
import { parseUint64 } from "./ids.ts";
import {
  type Trd_Common_TrdFilterConditions,
  type Trd_Common_TrdHeader,
  Trd_FlowSummary_TrdCashFlowDirection,
} from "./proto/messages.ts";
import { formatSymbol, parseSymbol, toSecurity } from "./symbols.ts";
import type { CashFlow, CashFlowDirection, HistoryFilter, MarginRatio, OrderFee } from "./ledger_types.ts";
import type { Order, OrderFill, TradeTarget } from "./trade_types.ts";

export * from "./ledger_types.ts";

function header(target: TradeTarget): Trd_Common_TrdHeader {
  return {
    trdEnv: TRD_ENV.toWire(target.env),
    accID: parseUint64(target.accId, "acc_id"),
    trdMarket: TRD_MARKET.toWire(target.market),
  };
}

/** OpenD wants "YYYY-MM-DD HH:MM:SS" exactly: a date alone is the start (or the end) of that day. */
function wireTime(text: string, end: boolean): string {
  const t = text.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return `${t} ${end ? "23:59:59" : "00:00:00"}`;
  if (/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/.test(t)) return `${t}:${end ? "59" : "00"}`;
  return t;
}

function historyConditions(filter: HistoryFilter): Trd_Common_TrdFilterConditions {
  return {
    codeList: filter.symbols?.map((s) => parseSymbol(s).code),
    idList: filter.ids?.map((id) => parseUint64(id, "id")),
    beginTime: wireTime(filter.begin, false),
    endTime: wireTime(filter.end, true),
    filterMarket: filter.market === undefined ? undefined : TRD_MARKET.toWire(filter.market),
  };
}

function currencyName(value: number | undefined): CurrencyName | undefined {
  if (value === undefined) return undefined;
  const name = CURRENCY.fromWire(value);
  return CURRENCY.has(name) ? name : undefined;
}

const DIRECTION_WIRE: Record<CashFlowDirection, number> = {
  IN: Trd_FlowSummary_TrdCashFlowDirection.In,
  OUT: Trd_FlowSummary_TrdCashFlowDirection.Out,
};

/** Order history, cash flow, margin, fees and tradable quantities. */
export class LedgerApi {
  readonly #client: OpenDClient;

  constructor(client: OpenDClient) {
    this.#client = client;
  }

  /** Orders created between `begin` and `end`. */
  async historyOrders(target: TradeTarget, filter: HistoryFilter): Promise<Order[]> {
    const s2c = await this.#client.request("Trd_GetHistoryOrderList", {
      header: header(target),
      filterConditions: historyConditions(filter),
      filterStatusList: filter.statuses?.map((s) => ORDER_STATUS.toWire(s)),
    });
    return (s2c.orderList ?? []).map(toOrder);
  }

  /** Fills between `begin` and `end` (real accounts). */
  async historyFills(target: TradeTarget, filter: HistoryFilter): Promise<OrderFill[]> {
    const s2c = await this.#client.request("Trd_GetHistoryOrderFillList", {
      header: header(target),
      filterConditions: historyConditions(filter),
    });
    return (s2c.orderFillList ?? []).map(toFill);
  }

  /** Fees of orders by their string id (`orderIDEx`; real accounts). */
  async orderFees(target: TradeTarget, orderIdExs: string[]): Promise<OrderFee[]> {
    const s2c = await this.#client.request("Trd_GetOrderFee", { header: header(target), orderIdExList: orderIdExs });
    return (s2c.orderFeeList ?? []).map((f) => ({
      orderIdEx: f.orderIDEx,
      total: f.feeAmount ?? 0,
      items: (f.feeList ?? []).map((i) => ({ title: i.title ?? "", value: i.value ?? 0 })),
    }));
  }

  /** Cash flows cleared on a day ("YYYY-MM-DD"), optionally of one direction (real accounts). */
  async cashFlows(target: TradeTarget, clearingDate: string, direction?: CashFlowDirection): Promise<CashFlow[]> {
    const s2c = await this.#client.request("Trd_FlowSummary", {
      header: header(target),
      clearingDate,
      cashFlowDirection: direction === undefined ? undefined : DIRECTION_WIRE[direction],
    });
    return (s2c.flowSummaryInfoList ?? []).map((f) => ({
      id: f.cashFlowID ?? "0",
      clearingDate: f.clearingDate ?? clearingDate,
      settlementDate: f.settlementDate || undefined,
      currency: currencyName(f.currency),
      type: f.cashFlowType ?? "",
      direction: f.cashFlowDirection === DIRECTION_WIRE.IN
        ? "IN"
        : f.cashFlowDirection === DIRECTION_WIRE.OUT
        ? "OUT"
        : undefined,
      amount: f.cashFlowAmount ?? 0,
      remark: f.cashFlowRemark || undefined,
    }));
  }

  /** Margin terms of securities for an account. */
  async marginRatios(target: TradeTarget, symbols: string[]): Promise<MarginRatio[]> {
    const s2c = await this.#client.request("Trd_GetMarginRatio", {
      header: header(target),
      securityList: symbols.map((s) => toSecurity(s)),
    });
    return (s2c.marginRatioInfoList ?? []).map((m) => ({
      symbol: formatSymbol(m.security),
      longPermit: m.isLongPermit,
      shortPermit: m.isShortPermit,
      shortPoolRemain: m.shortPoolRemain,
      shortFeeRate: m.shortFeeRate,
      alertLong: m.alertLongRatio,
      alertShort: m.alertShortRatio,
      imLong: m.imLongRatio,
      imShort: m.imShortRatio,
      mcmLong: m.mcmLongRatio,
      mcmShort: m.mcmShortRatio,
      mmLong: m.mmLongRatio,
      mmShort: m.mmShortRatio,
    }));
  }
}
