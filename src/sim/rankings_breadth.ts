/**
 * Market breadth of the simulated OpenD, from the simulated prices.
 *
 * Heat map (Qot_GetHeatMapData): the catalog's plates (`SIM_PLATES`) of the
 * market and type (INDUSTRY plates are industry plates, CONCEPT plates
 * concept plates; the catalog has no theme plates), each aggregated from its
 * constituents' quotes: the change is market-cap weighted (Σ shares × price
 * over Σ shares × previous close, less one), the level a cap-weighted index
 * of 1000 at the catalog's base prices, turnover, volume and market value
 * sums, the average PE the mean of the members' PE TTM, rise/fall/flat counts
 * and the leader (the member with the highest change) from the members' own
 * changes, heat the sum of the members' average hot-list heat.
 *
 * Rise/fall distribution (Qot_GetRiseFallDistribution): the market's catalog
 * stocks, or a plate's constituents, counted per change bucket (percent, as
 * futu_get_quote's change_pct): above 7, (5, 7], (3, 5], (0, 3], exactly 0,
 * [−3, 0), [−5, −3), [−7, −5), below −7, and for A-shares at the ±10% price
 * limit the limit-up and limit-down buckets instead. Every stock falls in
 * exactly one bucket, so the counts add up to the number of stocks.
 *
 * @module
 */
import {
  Qot_GetHeatMapData_SortField,
  Qot_GetRiseFallDistribution_DistributionType,
} from "../gateway/proto/messages.ts";
import { marketOfQotMarket, qotMarketOf } from "../gateway/symbols.ts";
import { fail, round } from "./_handler_common.ts";
import { plateBySymbolOf, securityBySymbol, SIM_PLATES, type SimPlate, type SimSecurity } from "./catalog.ts";
import type { Handler } from "./handlers.ts";
import type { MarketData } from "./market.ts";
import { heatOf } from "./rankings_movers.ts";
import {
  countOf,
  enumOf,
  figuresOf,
  isSimMarket,
  pageOffset,
  rankMarket,
  type StockFigures,
  stocksOf,
} from "./rankings.ts";
import { roundToTick } from "./ticks.ts";
import { securityOf } from "./wire.ts";
import { nextKeyOf } from "./_paging.ts";

/** A plate's figures aggregated from its constituents. */
export interface PlateFigures {
  plate: SimPlate;
  level: number;
  changeRate: number;
  turnover: number;
  volume: number;
  marketVal: number;
  peAvg?: number;
  rise: number;
  fall: number;
  flat: number;
  leader: SimSecurity;
  heat: number;
}

/** The wire security of a plate. */
function plateSecurity(plate: SimPlate): { market: number; code: string } {
  return { market: qotMarketOf(plate.market), code: plate.code };
}

function membersOf(plate: SimPlate): SimSecurity[] {
  return plate.constituents.map((symbol) => securityBySymbol(symbol)!);
}

/** A plate's figures now. */
export function plateFigures(market: MarketData, plate: SimPlate): PlateFigures {
  const members = membersOf(plate).map((s) => figuresOf(market, s));
  const heat = heatOf(market, stocksOf(plate.market));
  const sum = (f: (m: StockFigures) => number) => members.reduce((s, m) => s + f(m), 0);
  const shares = (m: StockFigures) => m.security.sharesOutstanding ?? 0;
  const pes = members.map((m) => m.peTTM).filter((v): v is number => v !== undefined && v > 0);
  const leader = members.reduce((best, m) => m.changeRatio > best.changeRatio ? m : best);
  return {
    plate,
    level: round(1000 * sum((m) => shares(m) * m.price) / sum((m) => shares(m) * m.security.basePrice), 3),
    changeRate: round((sum((m) => shares(m) * m.price) / sum((m) => shares(m) * m.lastClose) - 1) * 100, 3),
    turnover: round(sum((m) => m.turnover), 2),
    volume: sum((m) => m.volume),
    marketVal: round(sum((m) => m.marketCap), 2),
    peAvg: pes.length > 0 ? round(pes.reduce((s, v) => s + v, 0) / pes.length, 3) : undefined,
    rise: members.filter((m) => m.changeRatio > 0).length,
    fall: members.filter((m) => m.changeRatio < 0).length,
    flat: members.filter((m) => m.changeRatio === 0).length,
    leader: leader.security,
    heat: round(members.reduce((s, m) => s + (heat.get(m.security)?.average ?? 0), 0), 2),
  };
}

/** Qot_GetHeatMapData. */
export const heatMap: Handler<"Qot_GetHeatMapData"> = (ctx, _session, c2s) => {
  const market = rankMarket(c2s.market, ["HK", "US", "SH", "SZ"]);
  const plateType = c2s.plateType ?? 0;
  if (![0, 1, 2].includes(plateType)) fail(`Unknown plateType ${plateType}`);
  const F = Qot_GetHeatMapData_SortField;
  const sortField = enumOf(c2s.sortField, F, "sortField") ?? F.ChangeRate;
  const count = countOf(c2s.count, 30, 200);
  const offset = pageOffset(c2s.page);
  const setType = plateType === 0 ? "INDUSTRY" : plateType === 1 ? "CONCEPT" : "THEME";
  const rows = SIM_PLATES.filter((p) => p.market === market && p.setType === setType)
    .map((p) => plateFigures(ctx.market, p));
  const key = (r: PlateFigures) =>
    sortField === F.MarketVal
      ? r.marketVal
      : sortField === F.Turnover
      ? r.turnover
      : sortField === F.Hot
      ? r.heat
      : r.changeRate;
  rows.sort((a, b) =>
    key(a) === key(b) ? (a.plate.symbol < b.plate.symbol ? -1 : 1) : c2s.ascend ? key(a) - key(b) : key(b) - key(a)
  );
  return {
    plateDataList: rows.slice(offset, offset + count).map((r) => ({
      plate: plateSecurity(r.plate),
      plateName: r.plate.name,
      curPrice: r.level,
      changeRate: r.changeRate,
      turnover: r.turnover,
      volume: String(r.volume),
      marketVal: r.marketVal,
      peAvg: r.peAvg,
      riseCount: r.rise,
      fallCount: r.fall,
      equalCount: r.flat,
      leaderStock: securityOf(r.leader),
      description: `${r.plate.name}: ${r.plate.constituents.length} constituents (${r.plate.constituents.join(", ")})`,
    })),
    allCount: rows.length,
    nextPage: nextKeyOf(offset, count, rows.length, ""),
  };
};

/** The distribution buckets, in the order OpenD lists them. */
const D = Qot_GetRiseFallDistribution_DistributionType;
const BUCKETS: readonly { type: number; left?: number; right?: number; holds: (r: number) => boolean }[] = [
  { type: D.PositiveInfinity, left: 7, holds: (r) => r > 7 },
  { type: D.NormalRange, left: 5, right: 7, holds: (r) => r > 5 && r <= 7 },
  { type: D.NormalRange, left: 3, right: 5, holds: (r) => r > 3 && r <= 5 },
  { type: D.NormalRange, left: 0, right: 3, holds: (r) => r > 0 && r <= 3 },
  { type: D.NormalRange, left: 0, right: 0, holds: (r) => r === 0 },
  { type: D.NormalRange, left: -3, right: 0, holds: (r) => r >= -3 && r < 0 },
  { type: D.NormalRange, left: -5, right: -3, holds: (r) => r >= -5 && r < -3 },
  { type: D.NormalRange, left: -7, right: -5, holds: (r) => r >= -7 && r < -5 },
  { type: D.NegativeInfinity, right: -7, holds: (r) => r < -7 },
];

/** Which bucket a stock falls in: limit-up/-down for A-shares at their ±10% limit, else by its change. */
function bucketOf(f: StockFigures): number {
  const aShare = f.security.market === "SH" || f.security.market === "SZ";
  if (aShare && f.price >= roundToTick(f.security, f.lastClose * 1.1)) return D.RiseLimit;
  if (aShare && f.price <= roundToTick(f.security, f.lastClose * 0.9)) return D.FallLimit;
  return -1 - BUCKETS.findIndex((b) => b.holds(f.changeRatio));
}

/** Qot_GetRiseFallDistribution. */
export const riseFallDistribution: Handler<"Qot_GetRiseFallDistribution"> = (ctx, _session, c2s) => {
  let stocks: SimSecurity[];
  let plate: SimPlate | undefined;
  let aShares: boolean;
  if (c2s.security) {
    const market = marketOfQotMarket(c2s.security.market) ?? String(c2s.security.market);
    plate = plateBySymbolOf(`${market}.${c2s.security.code}`);
    if (!plate) fail(`Unknown plate ${market}.${c2s.security.code}`);
    stocks = membersOf(plate);
    aShares = plate.market === "SH" || plate.market === "SZ";
  } else {
    const market = rankMarket(c2s.market, ["HK", "US", "SH", "SZ"], "market (or security)");
    stocks = isSimMarket(market) ? stocksOf(market) : [];
    aShares = market === "SH" || market === "SZ";
  }
  const buckets = stocks.map((s) => bucketOf(figuresOf(ctx.market, s)));
  const count = (b: number) => buckets.filter((x) => x === b).length;
  return {
    plate: plate && plateSecurity(plate),
    rangeList: [
      ...(aShares ? [{ type: D.RiseLimit, leftBorder: 10, stockCount: count(D.RiseLimit) }] : []),
      ...BUCKETS.map((b, i) => ({ type: b.type, leftBorder: b.left, rightBorder: b.right, stockCount: count(-1 - i) })),
      ...(aShares ? [{ type: D.FallLimit, rightBorder: -10, stockCount: count(D.FallLimit) }] : []),
    ],
  };
};
