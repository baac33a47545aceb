/**
 * The simulated OpenD's Qot_GetEarningsCalendar handler (private to
 * src/sim): the request checked as the proto states (a supported market,
 * dates "yyyy-MM-dd", the end at most 7 days after the begin, known sort
 * and filter types), the reports of `_macro_calendars.ts` in the window,
 * filtered (AND) and sorted. What the items hold is documented there.
 *
 * Sorts: Hot and RtMarketCap by real-time market cap, MarketCap by the
 * previous close's, IV by at-the-money implied volatility (largest first);
 * OptionVolume, IVRank and IVPercentile, which the simulator keeps no data
 * for, leave the Hot order. Filters: pub type and estimate type by value,
 * market caps and IV by range; a filter on data the simulator keeps none of
 * (option volume, IV rank, IV percentile) keeps no item. Stock list filters
 * read the simulated user's watchlist ("All" group) and the positions of
 * every account.
 *
 * @module
 */
import {
  Qot_Common_QotMarket,
  type Qot_GetEarningsCalendar_C2S,
  Qot_GetEarningsCalendar_EarningsCalendarIndicatorType,
  Qot_GetEarningsCalendar_EarningsCalendarSortType,
  Qot_GetEarningsCalendar_EarningsCalendarStockListType,
  type Qot_GetEarningsCalendar_S2C,
  type Qot_OptionCommon_Interval,
} from "../gateway/proto/messages.ts";
import { formatSymbol } from "../gateway/symbols.ts";
import { fail } from "./_handler_common.ts";
import { localTime, type SimMarket } from "./clock.ts";
import type { Handler, SimContext } from "./handlers.ts";
import { watchlistBookOf } from "./watchlist_book.ts";
import { earningsEntries, type EarningsEntry } from "./_macro_calendars.ts";
import { daysBetween, isoDate, requestDate } from "./_macro_time.ts";

const Q = Qot_Common_QotMarket;
/** Markets the proto supports, and the catalog's market of each (SG and JP list no stocks). */
const MARKETS = new Map<number, SimMarket | undefined>([
  [Q.HK_Security, "HK"],
  [Q.US_Security, "US"],
  [Q.CNSH_Security, "SH"],
  [Q.CNSZ_Security, "SZ"],
  [Q.SG_Security, undefined],
  [Q.JP_Security, undefined],
]);
const MAX_SPAN_DAYS = 7;

const SORT = Qot_GetEarningsCalendar_EarningsCalendarSortType;
const FILTER = Qot_GetEarningsCalendar_EarningsCalendarIndicatorType;
const STOCK_LIST = Qot_GetEarningsCalendar_EarningsCalendarStockListType;

function inInterval(value: number | undefined, interval: Qot_OptionCommon_Interval | undefined): boolean {
  if (value === undefined) return false;
  const { filterMin: min, filterMax: max } = interval ?? {};
  if (min && (min.includes ? value < min.value : value <= min.value)) return false;
  if (max && (max.includes ? value > max.value : value >= max.value)) return false;
  return true;
}

function heldSymbols(ctx: SimContext): Set<string> {
  const held = new Set<string>();
  for (const account of ctx.trading.accounts) {
    for (const { position } of ctx.trading.positions(account)) {
      if (position.qty !== 0) held.add(position.security.symbol);
    }
  }
  return held;
}

function stockListSymbols(ctx: SimContext, types: readonly number[]): Set<string> {
  const out = new Set<string>();
  for (const type of types) {
    if (type === STOCK_LIST.Watchlist) {
      for (const s of watchlistBookOf(ctx.market).securities("All")) out.add(s.symbol);
    } else if (type === STOCK_LIST.Position) {
      for (const symbol of heldSymbols(ctx)) out.add(symbol);
    } else if (type === STOCK_LIST.Special) {
      // The simulated user marks no stock for special attention.
    } else fail(`filterList: ${type} is not an EarningsCalendarStockListType`);
  }
  return out;
}

function filterOf(ctx: SimContext, c2s: Qot_GetEarningsCalendar_C2S): (entry: EarningsEntry) => boolean {
  const tests: ((entry: EarningsEntry) => boolean)[] = [];
  for (const filter of c2s.filterList ?? []) {
    const value = filter.indicatorValue;
    const values = (value?.valueList ?? []).map(Number);
    const interval = value?.valueInterval;
    switch (filter.indicatorType) {
      case FILTER.PubType:
        if (values.length === 0) fail("filterList: PubType needs valueList");
        tests.push((e) => values.includes(e.item.pubType!));
        break;
      case FILTER.EstimateType:
        if (values.length === 0) fail("filterList: EstimateType needs valueList");
        tests.push((e) => (e.item.estimateList ?? []).some((x) => values.includes(x.estimateType!)));
        break;
      case FILTER.StockListType: {
        if (values.length === 0) fail("filterList: StockListType needs valueList");
        const symbols = stockListSymbols(ctx, values);
        tests.push((e) => symbols.has(formatSymbol(e.item.security)));
        break;
      }
      case FILTER.MarketCap:
      case FILTER.RtMarketCap:
      case FILTER.IV:
      case FILTER.OptionVolume:
      case FILTER.IVRank:
      case FILTER.IVPercentile: {
        if (!interval) fail(`filterList: indicator ${filter.indicatorType} needs valueInterval`);
        const type = filter.indicatorType;
        const pick = (e: EarningsEntry) =>
          type === FILTER.MarketCap
            ? e.closeCap
            : type === FILTER.RtMarketCap
            ? e.item.marketCap
            : type === FILTER.IV
            ? e.item.iv
            : undefined;
        tests.push((e) => inInterval(pick(e), interval));
        break;
      }
      default:
        fail(`filterList: ${filter.indicatorType} is not an EarningsCalendarIndicatorType`);
    }
  }
  return (entry) => tests.every((t) => t(entry));
}

function sortKey(sortType: number): (e: EarningsEntry) => number {
  switch (sortType) {
    case SORT.MarketCap:
      return (e) => e.closeCap;
    case SORT.IV:
      return (e) => e.item.iv ?? -1;
    case SORT.Hot:
    case SORT.RtMarketCap:
    case SORT.OptionVolume:
    case SORT.IVRank:
    case SORT.IVPercentile:
      return (e) => e.item.marketCap ?? 0;
    default:
      fail(`sortType ${sortType} is not an EarningsCalendarSortType`);
  }
}

/** Qot_GetEarningsCalendar. */
export const earningsCalendar: Handler<"Qot_GetEarningsCalendar"> = (ctx, _session, c2s) => {
  if (!MARKETS.has(c2s.market)) fail(`market ${c2s.market} is not supported: HK, US, CNSH, CNSZ, SG or JP`);
  const market = MARKETS.get(c2s.market);
  const now = ctx.market.clock.now();
  const today = isoDate(localTime(market ?? "HK", now).day * 86_400_000);
  const begin = c2s.beginDate === undefined || c2s.beginDate === "" ? today : requestDate("beginDate", c2s.beginDate);
  const end = c2s.endDate === undefined || c2s.endDate === "" ? begin : requestDate("endDate", c2s.endDate);
  const span = daysBetween(begin, end);
  if (span < 0) fail(`beginDate ${begin} is after endDate ${end}`);
  if (span > MAX_SPAN_DAYS) fail(`endDate ${end} is more than ${MAX_SPAN_DAYS} days after beginDate ${begin}`);
  const key = sortKey(c2s.sortType ?? SORT.Hot);
  const keep = filterOf(ctx, c2s);
  const entries = market ? earningsEntries(ctx.market, market, begin, end).filter(keep) : [];
  entries.sort((a, b) =>
    key(b) - key(a) || a.item.earningsDate!.localeCompare(b.item.earningsDate!) ||
    a.item.security.code.localeCompare(b.item.security.code)
  );
  const s2c: Qot_GetEarningsCalendar_S2C = { itemList: entries.map((e) => e.item) };
  return s2c;
};
