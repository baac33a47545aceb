/**
 * Short selling and the day's top brokers in the simulated OpenD (private to
 * src/sim): `Qot_GetShortInterest`, `Qot_GetDailyShortVolume`,
 * `Qot_GetTopTenBuySellBrokers`.
 *
 * Modelled on the simulated candles (completed trading days, prices as
 * traded):
 * - Daily short volume: US short volume is 35–55 % of the day's volume, of
 *   which Nasdaq and NYSE report parts (the rest other venues); HK short
 *   selling is 8–25 % of the day's shares, its turnover the same share of the
 *   day's turnover. `dailyTradeAvgRatio` is the day's short volume as a
 *   percent of the average daily short volume of the 20 trading days before.
 * - Short interest: US at the mid-month and month-end settlement days
 *   (published seven trading days later), HK as of each week's last trading
 *   day (published a week later). The position is drawn as days to cover
 *   (a smooth hash-drawn path, 1–6 days in the US, 2–10 in HK) times the
 *   average daily volume of the 20 trading days to the settlement day, so
 *   days to cover = short interest ÷ average daily volume and the percent is
 *   of the shares outstanding. (The simulated volumes are thin against the
 *   shares outstanding, so these percents are small.)
 * - Top ten brokers (HK stocks): the brokers of `HK_BROKERS` take hash-drawn
 *   shares of 25–45 % of the day's volume on each side, in board lots, at
 *   average prices inside the day's high and low, so their turnover sums
 *   below the day's.
 *
 * @module
 */
import { Qot_Common_BuySellType } from "../gateway/proto/messages.ts";
import { fail, resolve, round } from "./_handler_common.ts";
import { HK_BROKERS, securityIndex, type SimSecurity } from "./catalog.ts";
import {
  type DayNumber,
  formatDay,
  formatInstant,
  formatLocal,
  isTradingDay,
  previousTradingDay,
  sessionsOn,
  utcOf,
} from "./clock.ts";
import type { Bar } from "./bars.ts";
import type { HandlerTable, SimContext } from "./handlers.ts";
import { hash32 } from "./_price_model.ts";
import {
  barDay,
  dayBar,
  dayBars,
  lastCompleteDay,
  midnightSeconds,
  ownedOrFail,
  pageOffset,
  pageSize,
  tradingDaysTo,
} from "./_ownership_market.ts";
import { nextKeyOf } from "./_paging.ts";

const FIRST_DAY = Math.floor(Date.UTC(2022, 0, 1) / 86_400_000);
const AVERAGE_DAYS = 20;

function shortStock(wire: Parameters<typeof resolve>[0]): SimSecurity {
  const security = ownedOrFail(resolve(wire), "short selling");
  if (security.market !== "US" && security.market !== "HK") {
    fail(`${security.symbol}: short selling data is served for HK and US stocks`);
  }
  return security;
}

function uniform(ctx: SimContext, security: SimSecurity, a: number, b: number): number {
  return hash32(ctx.market.seed ^ 0x53484f52, securityIndex(security), a, b) / 4_294_967_296;
}

/** Bars by day from `fromDay` on. */
function barsFrom(ctx: SimContext, security: SimSecurity, fromDay: DayNumber): Map<DayNumber, Bar> {
  return new Map(dayBars(ctx.market, security, fromDay).map((b) => [barDay(security, b), b]));
}

/** The short volume of a day's bar. */
function shortVolume(ctx: SimContext, security: SimSecurity, day: DayNumber, bar: Bar): number {
  const [lo, hi] = security.market === "US" ? [0.35, 0.55] : [0.08, 0.25];
  return Math.round(bar.volume * (lo + (hi - lo) * uniform(ctx, security, day, 1)));
}

function average(values: number[]): number {
  return values.length > 0 ? values.reduce((s, v) => s + v, 0) / values.length : 0;
}

const dailyShortVolume: HandlerTable["Qot_GetDailyShortVolume"] = (ctx, _session, c2s) => {
  const security = shortStock(c2s.security);
  const size = pageSize(c2s.num, "num", 1, 50, 10);
  const offset = pageOffset(c2s.nextKey, "nextKey");
  const last = lastCompleteDay(ctx.market, security, ctx.market.clock.now());
  // Trading days since 2022, newest first.
  const all: DayNumber[] = [];
  for (let d = last; d >= FIRST_DAY && all.length <= offset + size; d--) {
    if (isTradingDay(security.market, d)) all.push(d);
  }
  const days = all.slice(offset, offset + size);
  const bars = days.length > 0
    ? barsFrom(ctx, security, tradingDaysTo(security.market, days[days.length - 1], AVERAGE_DAYS + 1)[0])
    : new Map<DayNumber, Bar>();
  const rows = days.flatMap((day) => {
    const bar = bars.get(day);
    if (!bar) return [];
    const before = tradingDaysTo(security.market, previousTradingDay(security.market, day), AVERAGE_DAYS)
      .map((d) => bars.get(d)).filter((b): b is Bar => b !== undefined);
    const short = shortVolume(ctx, security, day, bar);
    const avg = average(before.map((b) => shortVolume(ctx, security, barDay(security, b), b)));
    return [{ day, bar, short, ratio: avg > 0 ? round(short / avg * 100, 2) : 0 }];
  });
  const next = nextKeyOf(offset, size, all.length, "-1");
  const common = (r: (typeof rows)[number]) => ({
    timestamp: String(midnightSeconds(security, r.day)),
    timestampStr: formatDay(r.day),
  });
  if (security.market === "US") {
    return {
      usItemList: rows.map((r) => {
        const nasdaq = Math.round(r.short * (0.45 + 0.25 * uniform(ctx, security, r.day, 2)));
        const nyse = Math.round((r.short - nasdaq) * (0.3 + 0.4 * uniform(ctx, security, r.day, 3)));
        return {
          ...common(r),
          totalSharesShort: String(r.short),
          nasdaqSharesShort: String(nasdaq),
          nyseSharesShort: String(nyse),
          shortPercent: r.bar.volume > 0 ? round(r.short / r.bar.volume * 100, 2) : 0,
          volume: String(r.bar.volume),
          closePrice: r.bar.close,
          lastClosePrice: r.bar.lastClose ?? r.bar.open,
          dailyTradeAvgRatio: r.ratio,
        };
      }),
      hkItemList: [],
      nextKey: next,
    };
  }
  const latest = hkShortInterest(ctx, security, 0, 1)[0];
  return {
    usItemList: [],
    hkItemList: rows.map((r) => ({
      ...common(r),
      sharesTraded: String(r.bar.volume),
      turnover: round(r.bar.turnover, 2),
      shortSellSharesTraded: String(r.short),
      shortSellTurnover: r.bar.volume > 0 ? round(r.bar.turnover * r.short / r.bar.volume, 2) : 0,
      openPrice: r.bar.open,
      closePrice: r.bar.close,
      lastClosePrice: r.bar.lastClose ?? r.bar.open,
      dailyTradeAvgRatio: r.ratio,
    })),
    nextKey: next,
    ...(latest
      ? {
        aggregatedShort: latest.aggregatedShort,
        aggregatedShortRatio: latest.aggregatedShortRatio,
        newTimeStr: latest.timestampStr,
      }
      : {}),
  };
};

/** A smooth hash-drawn path in [lo, hi] over report numbers (knots every six reports). */
function smooth(ctx: SimContext, security: SimSecurity, k: number, lo: number, hi: number): number {
  const knot = (i: number) => lo + (hi - lo) * uniform(ctx, security, 100_000 + i, 4);
  const i = Math.floor(k / 6);
  const f = (k - i * 6) / 6;
  return knot(i) * (1 - f) + knot(i + 1) * f;
}

/** Settlement days of US short interest (mid-month and month-end), newest first, published at `nowMs`. */
function usSettlements(ctx: SimContext, security: SimSecurity): { day: DayNumber; k: number }[] {
  const last = lastCompleteDay(ctx.market, security, ctx.market.clock.now());
  // Published seven trading days after settlement.
  const cutoff = tradingDaysTo(security.market, last, 8)[0];
  const out: { day: DayNumber; k: number }[] = [];
  for (let k = 0;; k++) {
    const year = 2022 + Math.floor(k / 24);
    const month = Math.floor(k / 2) % 12;
    const calendar = k % 2 === 0 ? Math.floor(Date.UTC(year, month, 15) / 86_400_000) : Math.floor(
      Date.UTC(year, month + 1, 0) / 86_400_000,
    );
    let day = calendar;
    while (!isTradingDay(security.market, day)) day--;
    if (day > cutoff) break;
    out.unshift({ day, k });
  }
  return out;
}

/** HK short positions as of each week's last trading day (published a week later), newest first. */
function hkShortInterest(ctx: SimContext, security: SimSecurity, offset: number, size: number) {
  const last = lastCompleteDay(ctx.market, security, ctx.market.clock.now());
  // Weeks end on Friday; the newest published is the Friday at least seven days back.
  const weeks: { day: DayNumber; k: number }[] = [];
  const cutoff = last - 7;
  // Day numbers: weekday (day + 4) mod 7, 0 for Sunday, 5 for Friday.
  let friday = cutoff - (((cutoff - 1) % 7) + 7) % 7;
  for (let k = 0; weeks.length < offset + size && friday >= FIRST_DAY; k++, friday -= 7) {
    let day = friday;
    while (!isTradingDay(security.market, day) && day > friday - 5) day--;
    if (isTradingDay(security.market, day)) weeks.push({ day, k: Math.floor(friday / 7) });
  }
  return weeks.slice(offset, offset + size).map(({ day, k }) => {
    const r = shortPosition(ctx, security, day, smooth(ctx, security, k, 2, 10));
    return {
      timestamp: String(midnightSeconds(security, day)),
      timestampStr: formatDay(day),
      closePrice: r.bar?.close ?? 0,
      lastClosePrice: r.bar?.lastClose ?? r.bar?.open ?? 0,
      aggregatedShort: String(r.shares),
      aggregatedShortRatio: round(r.shares / security.sharesOutstanding! * 100, 4),
    };
  });
}

/** A short position of `daysToCover` days of the average volume to `day`. */
function shortPosition(ctx: SimContext, security: SimSecurity, day: DayNumber, daysToCover: number) {
  const days = tradingDaysTo(security.market, day, AVERAGE_DAYS);
  const bars = barsFrom(ctx, security, days[0]);
  const volumes = days.map((d) => bars.get(d)?.volume).filter((v): v is number => v !== undefined);
  const adv = Math.round(average(volumes));
  return { bar: bars.get(day), adv, shares: Math.round(daysToCover * adv) };
}

const shortInterest: HandlerTable["Qot_GetShortInterest"] = (ctx, _session, c2s) => {
  const security = shortStock(c2s.security);
  const size = pageSize(c2s.num, "num", 1, 50, 10);
  const offset = pageOffset(c2s.nextKey, "nextKey");
  if (security.market === "HK") {
    const items = hkShortInterest(ctx, security, offset, size + 1);
    return {
      usItemList: [],
      hkItemList: items.slice(0, size),
      nextKey: items.length > size ? String(offset + size) : "-1",
    };
  }
  const all = usSettlements(ctx, security);
  const chosen = all.slice(offset, offset + size);
  return {
    usItemList: chosen.map(({ day, k }) => {
      const r = shortPosition(ctx, security, day, smooth(ctx, security, k, 1, 6));
      return {
        timestamp: String(midnightSeconds(security, day)),
        timestampStr: formatDay(day),
        sharesShort: String(r.shares),
        shortPercent: round(r.shares / security.sharesOutstanding! * 100, 4),
        avgDailyShareVolume: String(r.adv),
        daysToCover: r.adv > 0 ? round(r.shares / r.adv, 2) : 0,
        closePrice: r.bar?.close ?? 0,
        lastClosePrice: r.bar?.lastClose ?? r.bar?.open ?? 0,
      };
    }),
    hkItemList: [],
    nextKey: nextKeyOf(offset, size, all.length, "-1"),
  };
};

/** Most trading days back the top-broker history reaches. */
const MAX_DAYS_BEFORE = 1000;

const topBrokers: HandlerTable["Qot_GetTopTenBuySellBrokers"] = (ctx, _session, c2s) => {
  const security = ownedOrFail(resolve(c2s.security), "broker");
  if (security.market !== "HK") fail(`${security.symbol}: top brokers are served for HK stocks`);
  const back = c2s.daysBefore ?? 0;
  if (!Number.isInteger(back) || back < 0 || back > MAX_DAYS_BEFORE) {
    fail(`daysBefore must be between 0 and ${MAX_DAYS_BEFORE}`);
  }
  const now = ctx.market.clock.now();
  let day = ctx.market.currentTradingDay(security.market, now);
  for (let i = 0; i < back; i++) day = previousTradingDay(security.market, day);
  if (formatDay(day) < security.listDate) fail(`daysBefore ${back}: before ${security.symbol} listed`);
  const realTime = back === 0;
  const summary = realTime ? ctx.market.sessionSummary(security, now) : dayBar(ctx.market, security, day);
  if (!summary) fail(`no trading on ${formatDay(day)}`);
  const { volume, turnover, high, low } = summary;
  const vwap = volume > 0 ? turnover / volume : summary.close;
  const u = (broker: number, salt: number) => uniform(ctx, security, day * 64 + broker, 10 + salt);
  const side = (salt: number) => {
    const cover = 0.25 + 0.2 * u(99, salt);
    const weights = HK_BROKERS.map((_, i) => 0.2 + u(i, salt));
    const total = weights.reduce((s, w) => s + w, 0);
    return weights.map((w) => Math.floor(volume * cover * w / total / security.lotSize) * security.lotSize);
  };
  const buys = side(1);
  const sells = side(2);
  const rows = HK_BROKERS.map((broker, i) => {
    const avgPrice = round(Math.min(high, Math.max(low, vwap + (high - low) * 0.3 * (2 * u(i, 3) - 1))), 3);
    const totalVol = buys[i] + sells[i];
    return { broker, net: buys[i] - sells[i], avgPrice, totalVol, totalTurnover: round(totalVol * avgPrice, 2) };
  });
  const buyers = rows.filter((r) => r.net > 0).sort((a, b) => b.net - a.net).slice(0, 10);
  const sellers = rows.filter((r) => r.net < 0).sort((a, b) => a.net - b.net).slice(0, 10);
  const sessions = sessionsOn(security.market, day);
  const dataMs = realTime
    ? ctx.market.lastTradeInstant(security.market, now)
    : utcOf(security.market, day, sessions[sessions.length - 1][1]);
  return {
    isRealTime: realTime,
    dataTime: String(Math.floor(dataMs / 1000)),
    dataTimeStr: realTime
      ? formatInstant(security.market, dataMs).slice(0, 19)
      : formatLocal(day, sessions[sessions.length - 1][1]),
    brokerList: [...buyers, ...sellers].map((r) => ({
      netVol: String(r.net),
      brokerName: r.broker.name,
      buySellType: r.net > 0 ? Qot_Common_BuySellType.NetBuy : Qot_Common_BuySellType.NetSell,
      ...(realTime ? { avgPrice: r.avgPrice, totalVol: r.totalVol, totalTurnover: r.totalTurnover } : {}),
    })),
  };
};

/** The short selling and top broker handlers. */
export const SHORT_HANDLERS: HandlerTable = {
  Qot_GetShortInterest: shortInterest,
  Qot_GetDailyShortVolume: dailyShortVolume,
  Qot_GetTopTenBuySellBrokers: topBrokers,
};
