/**
 * Capital flow, holders, the stock filter and owner plates: the simulated
 * OpenD's handlers. Flows come from the simulated prints (`capital_flow.ts`),
 * holders from `holders.ts`, screens from `stock_filter.ts`, owner plates from
 * the catalog's plate memberships (the ones Qot_GetPlateSecurity serves).
 *
 * @module
 */
import { Qot_Common_PeriodType, Qot_Common_PlateSetType } from "../gateway/proto/messages.ts";
import { qotMarketOf } from "../gateway/symbols.ts";
import { fail, resolve } from "./_handler_common.ts";
import { capitalFlowOf, FLOW_CLASSES, type FlowTotals, netOf } from "./capital_flow.ts";
import { SIM_PLATES, type SimSecurity } from "./catalog.ts";
import { formatInstant, formatLocal, localTime, parseLocal, type SimMarket, utcOf } from "./clock.ts";
import type { HandlerTable } from "./handlers.ts";
import { type HolderCategory, holdingFilings } from "./holders.ts";
import { stockFilter } from "./stock_filter.ts";
import { securityOf } from "./wire.ts";

/** Longest history a capital flow request may span, in calendar days (the SDK's default window is 365). */
const MAX_FLOW_SPAN_DAYS = 366;

const PERIODS: Record<number, "K_DAY" | "K_WEEK" | "K_MON"> = {
  [Qot_Common_PeriodType.DAY]: "K_DAY",
  [Qot_Common_PeriodType.WEEK]: "K_WEEK",
  [Qot_Common_PeriodType.MONTH]: "K_MON",
};

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Capital flow exists for what trades on its own book: stocks and warrants. */
function flowable(security: SimSecurity): SimSecurity {
  if (security.kind !== "stock" && security.kind !== "warrant") {
    fail(`${security.symbol} is ${security.kind === "index" ? "an index" : "an option"}: no capital flow data`);
  }
  return security;
}

function netItem(t: FlowTotals) {
  return {
    inFlow: round2(netOf(t)),
    superInFlow: round2(netOf(t, "super")),
    bigInFlow: round2(netOf(t, "big")),
    midInFlow: round2(netOf(t, "mid")),
    smlInFlow: round2(netOf(t, "small")),
  };
}

function dayOfDate(market: SimMarket, text: string | undefined, what: string): number | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text.trim())) fail(`Invalid ${what} ${JSON.stringify(text)}: expected "yyyy-MM-dd"`);
  try {
    return localTime(market, parseLocal(market, text.trim())).day;
  } catch {
    fail(`Invalid ${what} ${JSON.stringify(text)}`);
  }
}

function instantOf(market: SimMarket, text: string | undefined, what: string, endOfDay: boolean): number | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  const trimmed = text.trim();
  try {
    const at = parseLocal(market, trimmed);
    return endOfDay && /^\d{4}-\d{2}-\d{2}$/.test(trimmed) ? at + 86_400_000 - 1 : at;
  } catch {
    fail(`Invalid ${what} ${JSON.stringify(text)}: expected "YYYY-MM-DD HH:MM:SS"`);
  }
}

function plateTypeOf(setType: string): number {
  return setType === "INDUSTRY"
    ? Qot_Common_PlateSetType.Industry
    : setType === "REGION"
    ? Qot_Common_PlateSetType.Region
    : Qot_Common_PlateSetType.Concept;
}

/** The handlers of this file, by protocol. */
export const RESEARCH_HANDLERS: HandlerTable = {
  Qot_GetCapitalFlow: (ctx, _session, c2s) => {
    const security = flowable(resolve(c2s.security));
    const now = ctx.market.clock.now();
    const flows = capitalFlowOf(ctx.market);
    const periodType = c2s.periodType ?? Qot_Common_PeriodType.INTRADAY;
    if (periodType === Qot_Common_PeriodType.INTRADAY) {
      const day = ctx.market.currentTradingDay(security.market, now);
      const minutes = flows.minutes(security, day, now);
      const last = minutes.at(-1);
      return {
        flowItemList: minutes.map(({ bar, cumulative }) => ({
          ...netItem(cumulative),
          time: bar.time,
          timestamp: (bar.startMs + 60_000) / 1000,
        })),
        lastValidTime: last?.bar.time,
        lastValidTimestamp: last ? (last.bar.startMs + 60_000) / 1000 : undefined,
      };
    }
    const period = PERIODS[periodType];
    if (!period) fail(`Unknown periodType ${periodType}`);
    const today = localTime(security.market, now).day;
    let end = dayOfDate(security.market, c2s.endTime, "endTime");
    let begin = dayOfDate(security.market, c2s.beginTime, "beginTime");
    if (end === undefined) end = begin === undefined ? today : begin + 365;
    if (begin === undefined) begin = end - 365;
    if (begin > end) fail(`beginTime ${c2s.beginTime} is after endTime ${c2s.endTime}`);
    if (end - begin > MAX_FLOW_SPAN_DAYS) {
      fail(`beginTime to endTime spans ${end - begin} days; at most ${MAX_FLOW_SPAN_DAYS} per request`);
    }
    return {
      flowItemList: flows.periods(security, period, begin, end, now).map(({ day, totals }) => ({
        ...netItem(totals),
        mainInFlow: round2(netOf(totals, "super") + netOf(totals, "big")),
        time: formatLocal(day, 0),
        timestamp: utcOf(security.market, day, 0) / 1000,
      })),
    };
  },

  Qot_GetCapitalDistribution: (ctx, _session, c2s) => {
    const security = flowable(resolve(c2s.security));
    const now = ctx.market.clock.now();
    const day = ctx.market.currentTradingDay(security.market, now);
    const t = capitalFlowOf(ctx.market).day(security, day, now);
    const at = ctx.market.lastTradeInstant(security.market, now);
    const [sup, big, mid, small] = FLOW_CLASSES;
    return {
      capitalInSuper: round2(t.in[sup]),
      capitalInBig: round2(t.in[big]),
      capitalInMid: round2(t.in[mid]),
      capitalInSmall: round2(t.in[small]),
      capitalOutSuper: round2(t.out[sup]),
      capitalOutBig: round2(t.out[big]),
      capitalOutMid: round2(t.out[mid]),
      capitalOutSmall: round2(t.out[small]),
      updateTime: formatInstant(security.market, at).slice(0, 19),
      updateTimestamp: Math.round(at) / 1000,
    };
  },

  Qot_GetHoldingChangeList: (ctx, _session, c2s) => {
    const security = resolve(c2s.security);
    if (c2s.holderCategory !== 1 && c2s.holderCategory !== 2 && c2s.holderCategory !== 3) {
      fail(`Unknown holderCategory ${c2s.holderCategory}: expected 1 (institution), 2 (fund) or 3 (executive)`);
    }
    if (security.market !== "US" || security.kind !== "stock") {
      fail(`${security.symbol}: holding changes are available for US stocks only`);
    }
    const begin = instantOf(security.market, c2s.beginTime, "beginTime", false);
    const end = instantOf(security.market, c2s.endTime, "endTime", true);
    if (begin !== undefined && end !== undefined && begin > end) {
      fail(`beginTime ${c2s.beginTime} is after endTime ${c2s.endTime}`);
    }
    const filings = holdingFilings(
      ctx.market.seed,
      security,
      c2s.holderCategory as HolderCategory,
      ctx.market.clock.now(),
    )
      .filter((f) => (begin === undefined || f.atMs >= begin) && (end === undefined || f.atMs <= end));
    return {
      security: securityOf(security),
      holdingChangeList: filings.map((f) => ({
        holderName: f.holder,
        holdingQty: f.holdingQty,
        holdingRatio: f.holdingRatio,
        changeQty: f.changeQty,
        changeRatio: f.changeRatio,
        time: f.time,
        timestamp: f.atMs / 1000,
      })),
    };
  },

  Qot_StockFilter: (ctx, _session, c2s) => stockFilter(ctx.market, c2s),

  Qot_GetOwnerPlate: (_ctx, _session, c2s) => {
    const list = c2s.securityList ?? [];
    if (list.length === 0) fail("securityList must not be empty");
    if (list.length > 200) fail(`At most 200 securities per request, got ${list.length}`);
    return {
      ownerPlateList: list.map(resolve).map((security) => ({
        security: securityOf(security),
        name: security.name,
        plateInfoList: SIM_PLATES.filter((p) => p.constituents.includes(security.symbol)).map((p) => ({
          plate: { market: qotMarketOf(p.market), code: p.code },
          name: p.name,
          plateType: plateTypeOf(p.setType),
        })),
      })),
    };
  },
};
