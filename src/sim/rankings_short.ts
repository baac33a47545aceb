/**
 * The short-selling rank of the simulated OpenD, over the last complete
 * trading day of the market's stocks: each day's short volume is a share of
 * that day's traded volume (the daily K-line's), drawn per stock and day
 * (US 20–55%, HK 5–30%; a pure function of the seed), so short volume never
 * exceeds volume; the short ratio is short volume / volume. Short interest
 * (position) is 0.8–6 days of the month's average daily volume, drawn per
 * half month, so days to cover = position / that average volume; the
 * position ratio is position / shares outstanding. "Short ratio change" is the percent change of the short volume
 * from the day before. Week and month averages are over the last 5 and 20
 * trading days.
 *
 * @module
 */
import { Qot_GetShortSellingRank_ShortSellingSortField } from "../gateway/proto/messages.ts";
import { marketOfQotMarket } from "../gateway/symbols.ts";
import { fail, round } from "./_handler_common.ts";
import type { Bar } from "./bars.ts";
import { plateBySymbolOf, type SimSecurity } from "./catalog.ts";
import { sessionsOn, type SimMarket, utcOf } from "./clock.ts";
import { SeededRandom } from "./seeded_random.ts";
import type { Handler } from "./handlers.ts";
import type { MarketData } from "./market.ts";
import { changeOver, countOf, dailyBars, enumOf, offsetOf, rankMarket, sortBy, stocksOf } from "./rankings.ts";
import { securityOf } from "./wire.ts";

/** One day's short selling of a stock. */
export interface ShortDay {
  /** "YYYY-MM-DD" */
  date: string;
  close: number;
  volume: number;
  shortVolume: number;
}

/** The short volume of a stock on a day of `volume` traded shares. */
export function shortVolumeOf(seed: number, security: SimSecurity, date: string, volume: number): number {
  const [lo, hi] = security.market === "US" ? [20, 55] : [5, 30];
  const ratio = new SeededRandom(seed, "short-volume", security.symbol, date).real(lo, hi, 4);
  return Math.min(volume, Math.round(volume * ratio / 100));
}

/** Complete trading days only: drops the current day while its session runs. */
function completeDays(market: MarketData, security: SimSecurity, bars: Bar[]): Bar[] {
  const last = bars.at(-1);
  if (!last) return bars;
  const day = Math.floor(Date.parse(`${last.time.slice(0, 10)}T00:00:00Z`) / 86_400_000);
  const end = sessionsOn(security.market, day).at(-1)?.[1] ?? 24 * 60;
  return market.clock.now() < utcOf(security.market, day, end) ? bars.slice(0, -1) : bars;
}

/** The short-selling figures of a stock over its last complete trading day. */
function shortFigures(market: MarketData, security: SimSecurity) {
  const raw = completeDays(market, security, dailyBars(market, security, 26, false)).slice(-21);
  const adjusted = completeDays(market, security, dailyBars(market, security, 26));
  const days: ShortDay[] = raw.map((b) => {
    const date = b.time.slice(0, 10);
    const volume = Math.round(b.volume);
    return { date, close: b.close, volume, shortVolume: shortVolumeOf(market.seed, security, date, volume) };
  });
  const today = days.at(-1)!;
  const before = days.at(-2);
  const mean = (list: ShortDay[], f: (d: ShortDay) => number) => list.reduce((s, d) => s + f(d), 0) / list.length;
  const week = days.slice(-5);
  const month = days.slice(-20);
  const half = Math.floor(Date.parse(`${today.date}T00:00:00Z`) / 86_400_000 / 15);
  const monthAvgVolume = mean(month, (d) => d.volume);
  const cover = new SeededRandom(market.seed, "short-interest", security.symbol, half).real(0.8, 6, 2);
  const position = Math.round(monthAvgVolume * cover);
  const shares = security.sharesOutstanding ?? 0;
  const positionRatio = shares > 0 ? round(position / shares * 100, 6) : undefined;
  const ratio = (d: ShortDay) => d.volume > 0 ? d.shortVolume / d.volume * 100 : 0;
  return {
    security,
    closePrice: today.close,
    changeRatio: changeOver(adjusted, 1),
    changeRatio5D: changeOver(adjusted, 5),
    changeRatio10D: changeOver(adjusted, 10),
    volume: today.volume,
    shortNumber: today.shortVolume,
    shortNumberChange: before ? today.shortVolume - before.shortVolume : undefined,
    shortRatio: round(ratio(today), 2),
    shortRatioChange: before?.shortVolume ? round((today.shortVolume / before.shortVolume - 1) * 100, 2) : undefined,
    shortPositionVolume: position,
    shortPositionRatio: positionRatio,
    daysToCover: monthAvgVolume > 0 ? round(position / monthAvgVolume, 2) : undefined,
    weekAvgVolume: Math.round(mean(week, (d) => d.volume)),
    weekAvgShortNumber: Math.round(mean(week, (d) => d.shortVolume)),
    weekAvgShortRatio: round(mean(week, ratio), 2),
    monthAvgVolume: Math.round(monthAvgVolume),
    monthAvgShortNumber: Math.round(mean(month, (d) => d.shortVolume)),
    monthAvgShortRatio: round(mean(month, ratio), 2),
  };
}

/** Qot_GetShortSellingRank. */
export const shortSellingRank: Handler<"Qot_GetShortSellingRank"> = (ctx, _session, c2s) => {
  const market = (c2s.market === undefined ? "US" : rankMarket(c2s.market, ["HK", "US"])) as SimMarket;
  const F = Qot_GetShortSellingRank_ShortSellingSortField;
  const field = enumOf(c2s.sortField, F, "sortField") ?? F.Unknown;
  if (c2s.sortDir !== undefined && c2s.sortDir !== 0 && c2s.sortDir !== 1) fail(`Unknown sortDir ${c2s.sortDir}`);
  const offset = offsetOf(c2s.offset);
  const count = countOf(c2s.count, 10, 35);
  let members: Set<string> | undefined;
  for (const wire of c2s.plateList ?? []) {
    const plate = plateBySymbolOf(`${marketOfQotMarket(wire.market) ?? wire.market}.${wire.code}`);
    if (!plate) fail(`Unknown plate ${marketOfQotMarket(wire.market) ?? wire.market}.${wire.code} in plateList`);
    members ??= new Set();
    for (const symbol of plate.constituents) members.add(symbol);
  }
  const rows = stocksOf(market).filter((s) => !members || members.has(s.symbol)).map((s) =>
    shortFigures(ctx.market, s)
  );
  type Row = (typeof rows)[number];
  const keys: Record<number, (r: Row) => number | undefined> = {
    [F.ShortRatioChange]: (r) => r.shortRatioChange,
    [F.ShortNumber]: (r) => r.shortNumber,
    [F.ShortRatio]: (r) => r.shortRatio,
    [F.Volume]: (r) => r.volume,
    [F.PositionVolume]: (r) => r.shortPositionVolume,
    [F.PositionRatio]: (r) => r.shortPositionRatio,
    [F.DaysToCover]: (r) => r.daysToCover,
    [F.WeekAvgVolume]: (r) => r.weekAvgVolume,
    [F.WeekAvgShortNumber]: (r) => r.weekAvgShortNumber,
    [F.WeekAvgShortRatio]: (r) => r.weekAvgShortRatio,
    [F.MonthAvgVolume]: (r) => r.monthAvgVolume,
    [F.MonthAvgShortNumber]: (r) => r.monthAvgShortNumber,
    [F.MonthAvgShortRatio]: (r) => r.monthAvgShortRatio,
  };
  sortBy(rows, keys[field] ?? ((r) => r.shortNumberChange), c2s.sortDir === 1);
  const int = (v: number | undefined) => v === undefined ? undefined : String(v);
  return {
    dataList: rows.slice(offset, offset + count).map((r) => ({
      security: securityOf(r.security),
      name: r.security.name,
      closePrice: r.closePrice,
      changeRatio: r.changeRatio,
      changeRatio5D: r.changeRatio5D,
      changeRatio10D: r.changeRatio10D,
      volume: String(r.volume),
      shortNumber: String(r.shortNumber),
      shortNumberChange: int(r.shortNumberChange),
      shortRatio: r.shortRatio,
      shortRatioChange: r.shortRatioChange,
      shortPositionVolume: String(r.shortPositionVolume),
      shortPositionRatio: r.shortPositionRatio,
      daysToCover: r.daysToCover,
      weekAvgShortNumber: String(r.weekAvgShortNumber),
      weekAvgShortRatio: r.weekAvgShortRatio,
      monthAvgShortNumber: String(r.monthAvgShortNumber),
      monthAvgShortRatio: r.monthAvgShortRatio,
    })),
    allCount: rows.length,
  };
};
