/**
 * ARK Invest's trading in the simulated US stocks, and its three protocols
 * (`Qot_GetArkFundHolding`, `Qot_GetArkStockDynamic`,
 * `Qot_GetArkActiveTransaction`).
 *
 * Generated, on the simulated market: ARK's combined position (its ETFs
 * ARKK, ARKW, ARKG, ARKQ and ARKF together; the protocols carry no fund) in
 * each catalog US stock is a hash-drawn walk over the last 160 completed
 * trading days: episodes of 15 days accumulate, distribute, stay idle,
 * liquidate or (when not held) enter; a trading day's trade is at most 10 %
 * of that day's simulated volume and is done at the day's average price
 * (turnover ÷ volume). Positions start at 20–200 days of volume.
 *
 * Modelled on it: market values are shares × the day's close, weights are
 * shares of the combined value of the positions, a cycle's change is the
 * position at its last day minus the position before its first, and a
 * cycle's amount is the sum of its trades at their prices, so the three
 * protocols agree with each other and with the candles.
 *
 * @module
 */
import { resolve, round } from "./_handler_common.ts";
import { securityIndex, type SimSecurity } from "./catalog.ts";
import type { DayNumber } from "./clock.ts";
import type { HandlerTable, SimContext } from "./handlers.ts";
import type { MarketData } from "./market.ts";
import { hash32 } from "./_price_model.ts";
import {
  barDay,
  dayBars,
  enumOrFail,
  lastCompleteDay,
  ownedOrFail,
  pageOffset,
  pageSize,
  sortBy,
  tradingDaysTo,
} from "./_ownership_market.ts";
import { stocksOf } from "./ownership.ts";
import { securityOf } from "./wire.ts";
import { formatDay } from "./clock.ts";
import { pageSlice } from "./_paging.ts";

/** The ETFs whose holdings the ARK protocols combine. */
export const ARK_FUNDS = ["ARKK", "ARKW", "ARKG", "ARKQ", "ARKF"] as const;

const WINDOW = 160;
const EPISODE = 15;
/** Trading days a cycle (`CycleType` 0…4) spans. */
const CYCLE_DAYS = [1, 5, 10, 30, 60] as const;

/** One day's trade. */
export interface ArkTrade {
  day: DayNumber;
  /** Bought (positive) or sold (negative). */
  shares: number;
  price: number;
}

/** ARK's position in one stock, day by day. */
export interface ArkPosition {
  security: SimSecurity;
  days: DayNumber[];
  /** Shares after each day's trade. */
  shares: number[];
  closes: number[];
  trades: ArkTrade[];
}

/** ARK's positions in the catalog US stocks as of now. */
export function arkPositions(market: MarketData): ArkPosition[] {
  const now = market.clock.now();
  return stocksOf("US").map((security) => {
    const last = lastCompleteDay(market, security, now);
    const days = tradingDaysTo(security.market, last, WINDOW);
    const byDay = new Map(dayBars(market, security, days[0]).map((b) => [barDay(security, b), b]));
    const u = (a: number, b: number) => hash32(market.seed ^ 0x41524b, securityIndex(security), a, b) / 4_294_967_296;
    const firstVolume = byDay.get(days[0])?.volume ?? 0;
    let position = u(0, 0) < 0.85 ? Math.round(firstVolume * (20 + 180 * u(0, 1))) : 0;
    let episode = "idle";
    const shares: number[] = [];
    const closes: number[] = [];
    const trades: ArkTrade[] = [];
    days.forEach((day, i) => {
      const bar = byDay.get(day);
      if (i % EPISODE === 0) {
        const draw = u(1, i);
        episode = position > 0
          ? draw < 0.35 ? "accumulate" : draw < 0.7 ? "distribute" : draw < 0.95 ? "idle" : "liquidate"
          : draw < 0.3
          ? "enter"
          : "idle";
      }
      let trade = 0;
      if (bar && bar.volume > 0 && i > 0) {
        const size = Math.round(bar.volume * (0.02 + 0.08 * u(2, i)));
        const active = u(3, i);
        if (episode === "accumulate" && active < 0.6) trade = size;
        else if (episode === "distribute" && active < 0.6) trade = -Math.min(position, size);
        else if (episode === "liquidate") trade = -Math.min(position, Math.round(bar.volume * 0.1));
        else if (episode === "enter" && active < 0.8) trade = size;
      }
      if (trade !== 0) {
        trades.push({ day, shares: trade, price: round(bar!.turnover / bar!.volume, 2) });
        position += trade;
        if (position === 0) episode = "idle";
      }
      shares.push(position);
      closes.push(bar?.close ?? closes[i - 1] ?? 0);
    });
    return { security, days, shares, closes, trades };
  });
}

/** The shares, value and weight of every position at day index `i`. */
function snapshot(positions: readonly ArkPosition[], i: number) {
  const values = positions.map((p) => (p.shares[i] ?? 0) * (p.closes[i] ?? 0));
  const total = values.reduce((s, v) => s + v, 0);
  return positions.map((p, k) => ({
    shares: p.shares[i] ?? 0,
    value: round(values[k], 2),
    weight: total > 0 ? round(values[k] / total * 100, 4) : 0,
  }));
}

/** The change of a position between two day indexes: new, sold out, increase, decrease or none. */
function kindOf(before: number, after: number): "new" | "sold_out" | "increase" | "decrease" | undefined {
  if (before === 0) return after > 0 ? "new" : undefined;
  if (after === 0) return "sold_out";
  return after > before ? "increase" : after < before ? "decrease" : undefined;
}

function cycleOf(value: number | undefined): number {
  enumOrFail(value, "cycleType", [0, 1, 2, 3, 4]);
  return CYCLE_DAYS[value ?? 0];
}

const fundHolding: HandlerTable["Qot_GetArkFundHolding"] = (ctx, _session, c2s) => {
  enumOrFail(c2s.holdingType, "holdingType", [0, 1, 2, 3, 4]);
  enumOrFail(c2s.sortField, "sortField", [0, 1, 2, 3, 4]);
  enumOrFail(c2s.sortDir, "sortDir", [0, 1]);
  const size = pageSize(c2s.count, "count", 1, 200, 20);
  const offset = pageOffset(c2s.page, "page");
  const type = c2s.holdingType ?? 0;
  // Positions compare with the day before; the other types with the cycle's start.
  const span = type === 0 ? 1 : cycleOf(c2s.cycleType);
  const positions = arkPositions(ctx.market);
  const last = WINDOW - 1;
  const now = snapshot(positions, last);
  const then = snapshot(positions, last - span);
  const wanted = [undefined, "increase", "decrease", "new", "sold_out"][type];
  const rows = positions.map((p, k) => ({ p, now: now[k], then: then[k] })).filter((r) =>
    type === 0 ? r.now.shares > 0 : kindOf(r.then.shares, r.now.shares) === wanted
  );
  const keys = [
    (r: (typeof rows)[number]) => r.now.shares,
    (r: (typeof rows)[number]) => r.now.weight - r.then.weight,
    (r: (typeof rows)[number]) => r.now.shares - r.then.shares,
    (r: (typeof rows)[number]) => r.now.value,
    (r: (typeof rows)[number]) => r.now.weight,
  ];
  sortBy(rows, keys[c2s.sortField ?? 0], c2s.sortDir === 1, (r) => securityIndex(r.p.security));
  const { items, next } = pageSlice(rows, offset, size, "");
  return {
    dataList: items.map((r) => ({
      security: securityOf(r.p.security),
      name: r.p.security.name,
      shares: String(r.now.shares),
      sharesChange: String(r.now.shares - r.then.shares),
      marketValue: r.now.value,
      weight: r.now.weight,
      weightChange: round(r.now.weight - r.then.weight, 4),
    })),
    allCount: rows.length,
    nextPage: next,
  };
};

const activeTransaction: HandlerTable["Qot_GetArkActiveTransaction"] = (ctx, _session, c2s) => {
  enumOrFail(c2s.holdingType, "holdingType", [0, 1, 2, 3]);
  enumOrFail(c2s.sortField, "sortField", [0, 1, 2]);
  enumOrFail(c2s.sortDir, "sortDir", [0, 1]);
  const size = pageSize(c2s.count, "count", 1, 200, 50);
  const offset = pageOffset(c2s.page, "page");
  const span = cycleOf(c2s.cycleType);
  const wanted = ["increase", "decrease", "new", "sold_out"][c2s.holdingType ?? 0];
  const last = WINDOW - 1;
  const rows = arkPositions(ctx.market).map((p) => {
    const from = p.days[last - span + 1];
    const trades = p.trades.filter((t) => t.day >= from);
    return {
      p,
      kind: kindOf(p.shares[last - span], p.shares[last]),
      shares: p.shares[last] - p.shares[last - span],
      amount: round(trades.reduce((s, t) => s + t.shares * t.price, 0), 2),
    };
  }).filter((r) => r.kind === wanted);
  sortBy(
    rows,
    c2s.sortField === 2 ? (r) => r.shares : (r) => r.amount,
    c2s.sortDir === 1,
    (r) => securityIndex(r.p.security),
  );
  const { items, next } = pageSlice(rows, offset, size, "");
  return {
    dataList: items.map((r) => ({
      security: securityOf(r.p.security),
      name: r.p.security.name,
      changeAmount: r.amount,
      changeShares: String(r.shares),
    })),
    allCount: rows.length,
    nextPage: next,
  };
};

const DYNAMIC = { CONSECUTIVE: 1, RECENT: 2, LAST: 3, NONE: 4 } as const;

function dynamicOf(ctx: SimContext, security: SimSecurity) {
  const position = security.market === "US" ? arkPositions(ctx.market).find((p) => p.security === security) : undefined;
  const none = { dynamicType: DYNAMIC.NONE, transactionCount: 0, netShares: "0", lastTransactionTime: "" };
  if (!position || position.trades.length === 0) return none;
  const trades = position.trades;
  const latest = trades[trades.length - 1];
  // Within the last 30 trading days only.
  if (latest.day < position.days[WINDOW - 30]) return none;
  let run = 0;
  while (run < trades.length && Math.sign(trades[trades.length - 1 - run].shares) === Math.sign(latest.shares)) run++;
  const recent = trades.filter((t) => t.day >= position.days[WINDOW - 10]);
  const [type, chosen] = run >= 3
    ? [DYNAMIC.CONSECUTIVE, trades.slice(-run)]
    : recent.length > 0
    ? [DYNAMIC.RECENT, recent]
    : [DYNAMIC.LAST, [latest]];
  return {
    dynamicType: type,
    transactionCount: chosen.length,
    netShares: String(chosen.reduce((s, t) => s + t.shares, 0)),
    lastTransactionTime: formatDay(latest.day),
  };
}

const stockDynamic: HandlerTable["Qot_GetArkStockDynamic"] = (ctx, _session, c2s) => {
  const security = ownedOrFail(resolve(c2s.security), "ARK trading");
  return dynamicOf(ctx, security);
};

/** The ARK handlers. */
export const ARK_HANDLERS: HandlerTable = {
  Qot_GetArkFundHolding: fundHolding,
  Qot_GetArkStockDynamic: stockDynamic,
  Qot_GetArkActiveTransaction: activeTransaction,
};
