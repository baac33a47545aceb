/**
 * The option screeners of the simulated OpenD (private to src/sim), all
 * computed on the simulated market:
 *
 * - 0DTE: the US underlyings whose nearest listed expiry is the simulated
 *   "today" (a Friday weekly or monthly; none on other days, which is an
 *   empty list), with the chain handle the contract request takes back; the
 *   contracts of that expiry with their quotes, greeks, break-even and the
 *   Black–Scholes probability of reaching it.
 * - Earnings: each optionable stock's next earnings report (`earnings.ts`),
 *   its last reports' IV change (at-the-money IV the session before against
 *   the session after) and price reaction, the estimate against the same
 *   quarter a year before, and the move the at-the-money straddle of the first
 *   expiry after the report prices in. Revenue estimates are not modelled.
 * - Sellers: covered calls and cash-secured puts out of the money on each
 *   optionable stock's three nearest expiries, with the premium, the return
 *   on the stock (calls) or the strike (puts), annualised over the days left,
 *   and the Black–Scholes exercise probability; OpenD's default filters apply
 *   (market cap above 10 billion, price above 1, positive volumes and open
 *   interest, out of the money, bid and ask above 0.01). At most 100 rows.
 *
 * @module
 */
import {
  type Qot_GetOptionEarningsScreener_EarningsItem,
  type Qot_GetOptionSellerScreener_SellerItem,
  type Qot_GetOptionZeroDteContract_ZeroDteContractItem,
  Qot_OptionCommon_OptionMarket as OptionMarket,
} from "../gateway/proto/messages.ts";
import { fail, resolve, round } from "./_handler_common.ts";
import {
  countIn,
  type FilterCondition,
  filterOf,
  type Indicator,
  pageOf,
  sortedBy,
  symbolOfWire,
} from "./_options_analytics_filters.ts";
import { securityByCode, SIM_PLATES, type SimSecurity } from "./catalog.ts";
import { formatDay, localTime, sessionsOn, utcOf } from "./clock.ts";
import { type EarningsReport, earningsReport, earningsReports } from "./earnings.ts";
import type { HandlerTable } from "./handlers.ts";
import type { MarketData } from "./market.ts";
import { contractsAt, listedExpiries, listedStrikes } from "./option_chains.ts";
import {
  dayStamp,
  probabilityAbove,
  requireChain,
  seriesOf,
  type UnderlyingNow,
  underlyingOn,
  underlyingsOf,
  yearsToExpiry,
} from "./options_analytics.ts";
import {
  breakEvenOf,
  figuresOf,
  greeksOf,
  optionTypeOf,
  sessionOf,
  universeOf,
} from "./options_analytics_contracts.ts";
import { securityOf } from "./wire.ts";

type Row = UnderlyingNow & { security: SimSecurity };

const range = <R>(get: (row: R) => number | undefined): Indicator<R> => ({ kind: "range", get });

function rowsOf(market: MarketData, underlyings: readonly SimSecurity[]): Row[] {
  return underlyings.map((u) => ({ ...underlyingOn(market, u), security: u }));
}

/** Index memberships of the catalog's US stocks (`IndexComponentType`: 1 DJI, 2 IXIC, 3 NDX, 4 SPX). */
const INDEX_MEMBERS: Readonly<Record<string, readonly number[]>> = {
  "US.AAPL": [1, 2, 3, 4],
  "US.NVDA": [1, 2, 3, 4],
  "US.TSLA": [2, 3, 4],
};

/** Plate ids (the digits of a plate code, "BK1910" → 1910) holding a security. */
function plateIdsOf(security: SimSecurity): number[] {
  return SIM_PLATES.filter((p) => p.constituents.includes(security.symbol)).map((p) =>
    Number(p.code.replace(/\D/g, ""))
  );
}

/** `ExpirationType`s an underlying lists (1 monthly, 2 weekly). */
function expirationTypesOf(market: MarketData, u: SimSecurity): number[] {
  const today = localTime(u.market, market.clock.now()).day;
  return [...new Set(listedExpiries(u, today).map((e) => e.cycle === "WEEK" ? 2 : 1))];
}

function requireMarkets(optionMarket: number, allowed: readonly number[], what: string): void {
  if (!allowed.includes(optionMarket)) fail(`optionMarket ${optionMarket} is not supported by ${what}`);
}

// ---------------------------------------------------------------- 0DTE

const ZERO_DTE_SORT: Readonly<Record<number, (r: Row) => number | undefined>> = {
  1: (r) => r.callVolume + r.putVolume,
  2: (r) => r.iv,
  3: (r) => r.changeRate,
  4: (r) => r.callOpenInterest + r.putOpenInterest,
  5: (r) => r.marketCap,
};

function earningsThisWeek(u: SimSecurity, today: number): EarningsReport | undefined {
  const weekday = (((today + 4) % 7) + 7) % 7;
  return earningsReports(u, formatDay(today), formatDay(today + (6 - weekday)))[0];
}

function zeroDteFilters(today: number): Record<number, Indicator<Row>> {
  return {
    1: { kind: "securities", get: (r) => [r.security.symbol] },
    2: { kind: "exact", get: (r) => [0, earningsThisWeek(r.security, today) ? 1 : 2] },
    3: range((r) => r.callVolume + r.putVolume),
    4: range((r) => r.callOpenInterest + r.putOpenInterest),
    5: range((r) => r.iv),
    6: range((r) => r.hv),
    7: range((r) => r.ivRank),
    8: range((r) => r.ivPercentile),
    9: range((r) => r.price),
    10: range((r) => r.changeRate),
  };
}

interface ContractRow {
  item: Qot_GetOptionZeroDteContract_ZeroDteContractItem;
  bep: number;
  toBep: number;
}

function zeroDteContract(market: MarketData, option: SimSecurity): ContractRow {
  const f = figuresOf(market, option);
  const m = f.metrics;
  const bep = breakEvenOf(option, m.price);
  const above = probabilityAbove(m.spot, bep, yearsToExpiry(option, market.clock.now()), option.volatility);
  const buy = round((option.callPut === "CALL" ? above : 1 - above) * 100, 2);
  const toBep = round((bep / m.spot - 1) * 100, 2);
  return {
    item: {
      option: securityOf(option),
      name: option.name,
      optionType: optionTypeOf(option),
      optionPrice: m.price,
      changeRate: f.changeRate,
      volume: String(sessionOf(market, option).volume),
      openInterest: String(m.openInterest),
      iv: m.impliedVolatility,
      ...greeksOf(m),
      buyBreakEvenPoint: bep,
      buyToBep: toBep,
      buyProfitProbability: buy,
      sellProfitProbability: round(100 - buy, 2),
    },
    bep,
    toBep,
  };
}

const CONTRACT_FILTERS: Readonly<Record<number, Indicator<ContractRow>>> = {
  1: { kind: "exact", get: (r) => r.item.optionType },
  2: range((r) => Number(r.item.volume)),
  3: range((r) => Number(r.item.openInterest)),
  4: range((r) => r.item.iv),
  5: range((r) => r.item.delta),
  6: range((r) => r.item.gamma),
  7: range((r) => r.item.theta),
  8: range((r) => r.item.vega),
  9: range((r) => r.item.rho),
  10: range((r) => r.item.optionPrice),
  11: range((r) => r.item.changeRate),
  12: range((r) => r.bep),
  13: range((r) => r.toBep),
  14: range((r) => r.item.buyProfitProbability),
  15: range((r) => r.item.sellProfitProbability),
};

const CONTRACT_SORT: Readonly<Record<number, (r: ContractRow) => number | undefined>> = {
  1: (r) => Number(r.item.volume),
  2: (r) => Number(r.item.openInterest),
  3: (r) => r.item.iv,
  4: (r) => r.item.delta,
};

// ---------------------------------------------------------------- earnings

interface EarningsRow extends Row {
  item: Qot_GetOptionEarningsScreener_EarningsItem;
  daysToEarnings: number;
  report: EarningsReport;
}

/** The sessions before and after a report (the price reaction spans them), as series indices. */
function reactionOf(market: MarketData, u: SimSecurity, report: EarningsReport) {
  const days = seriesOf(market, u).days;
  const reportDay = Math.round(Date.parse(`${report.date}T00:00:00Z`) / 86_400_000);
  const after = days.findIndex((d) => report.session === "BEFORE_OPEN" ? d.day >= reportDay : d.day > reportDay);
  if (after <= 0) return undefined;
  const [before, reaction] = [days[after - 1], days[after]];
  const crush = before.iv && reaction.iv ? round((before.iv - reaction.iv) / before.iv * 100, 2) : undefined;
  return { crush, change: reaction.changeRate };
}

function earningsRow(market: MarketData, row: Row): EarningsRow | undefined {
  const u = row.security;
  const now = market.clock.now();
  const today = localTime(u.market, now).day;
  const next = earningsReports(u, formatDay(today), formatDay(today + 120))[0];
  if (!next) return undefined;
  const past = earningsReports(u, formatDay(today - 400), formatDay(today - 1)).slice(-4)
    .map((r) => reactionOf(market, u, r)).filter((r) => r !== undefined);
  const last = past.at(-1);
  const crushes = past.map((p) => p.crush).filter((c): c is number => c !== undefined);
  const mean = (values: number[]) =>
    values.length ? round(values.reduce((s, v) => s + v, 0) / values.length, 2) : undefined;
  const yearAgo = earningsReport(u, next.fiscalYear - 1, next.quarter);
  const reportDay = Math.round(Date.parse(`${next.date}T00:00:00Z`) / 86_400_000);
  const reactionDay = next.session === "BEFORE_OPEN" ? reportDay : reportDay + 1;
  const expiry = listedExpiries(u, today).find((e) => e.day >= reactionDay);
  let expected: number | undefined;
  if (expiry) {
    const strikes = contractsAt(u, expiry, row.price, (code) => securityByCode(u.market, code));
    const atm = strikes.reduce<typeof strikes[number] | undefined>(
      (best, s) => !best || Math.abs(s.strike - row.price) < Math.abs(best.strike - row.price) ? s : best,
      undefined,
    );
    if (atm) {
      expected = round(
        (figuresOf(market, atm.call).metrics.price + figuresOf(market, atm.put).metrics.price) / row.price * 100,
        2,
      );
    }
  }
  return {
    ...row,
    report: next,
    daysToEarnings: reportDay - today,
    item: {
      owner: securityOf(u),
      name: u.name,
      price: row.price,
      changeRate: row.changeRate,
      marketCap: row.marketCap,
      iv: row.iv,
      ivRank: row.ivRank,
      ivPercentile: row.ivPercentile,
      hv: row.hv,
      volume: String(row.callVolume + row.putVolume),
      openInterest: String(row.callOpenInterest + row.putOpenInterest),
      earningsTimestamp: dayStamp(u, reportDay),
      earningsTime: next.date,
      earningsPubType: next.session === "BEFORE_OPEN" ? 1 : 2,
      earningsQuarter: `${next.fiscalYear}Q${next.quarter}`,
      lastReportIvCrush: last?.crush,
      historyReportIvCrush: mean(crushes),
      lastReportChgRate: last?.change,
      historyReportChgRate: mean(past.map((p) => Math.abs(p.change))),
      estimateEpsYoy: yearAgo.epsActual ? round((next.epsEstimate / yearAgo.epsActual - 1) * 100, 2) : undefined,
      expectedMoveRatio: expected,
    },
  };
}

const EARNINGS_FILTERS: Readonly<Record<number, Indicator<EarningsRow>>> = {
  1: { kind: "securities", get: (r) => [r.security.symbol] },
  2: { kind: "exact", get: (r) => INDEX_MEMBERS[r.security.symbol] ?? [] },
  3: { kind: "exact", get: (r) => plateIdsOf(r.security) },
  4: range((r) => r.marketCap),
  6: range((r) => r.iv),
  7: range((r) => r.item.lastReportIvCrush),
  8: range((r) => r.item.historyReportIvCrush),
  9: range((r) => r.ivRank),
  10: range((r) => r.ivPercentile),
  11: range((r) => r.callVolume + r.putVolume),
  12: range((r) => r.callOpenInterest + r.putOpenInterest),
  13: range((r) => r.price),
  14: range((r) => r.changeRate),
  15: range((r) => r.item.expectedMoveRatio),
  16: range((r) => r.item.lastReportChgRate),
  17: range((r) => r.item.historyReportChgRate),
  18: range((r) => r.item.estimateRevenueYoy),
  19: range((r) => r.item.estimateEpsYoy),
  20: range((r) => r.daysToEarnings),
};

const EARNINGS_SORT: Readonly<Record<number, (r: EarningsRow) => number | undefined>> = {
  1: (r) => r.item.earningsTimestamp,
  2: (r) => r.callVolume + r.putVolume,
  3: (r) => r.iv,
  4: (r) => r.marketCap,
  5: (r) => r.changeRate,
  6: (r) => r.price,
  7: (r) => r.ivRank,
  8: (r) => r.ivPercentile,
  9: (r) => r.hv,
  10: (r) => r.callOpenInterest + r.putOpenInterest,
  11: (r) => r.item.lastReportIvCrush,
  12: (r) => r.item.historyReportIvCrush,
  13: (r) => r.item.lastReportChgRate,
  14: (r) => r.item.historyReportChgRate,
  15: (r) => r.item.estimateEpsYoy,
  16: (r) => r.item.estimateRevenueYoy,
  17: (r) => r.item.expectedMoveRatio,
};

// ---------------------------------------------------------------- sellers

/** Expiries the seller screener scans per underlying. */
const SELLER_EXPIRIES = 3;
/** Most rows of a seller screen. */
const SELLER_ROWS = 100;

interface SellerRow {
  item: Qot_GetOptionSellerScreener_SellerItem;
  option: SimSecurity;
  owner: Row;
  bid: number;
  ask: number;
}

function sellerRow(market: MarketData, option: SimSecurity, owner: Row, coveredCall: boolean): SellerRow {
  const f = figuresOf(market, option);
  const m = f.metrics;
  const k = option.strike!;
  const days = Math.max(1, m.daysToExpiry);
  const interval = round(m.price / (coveredCall ? m.spot : k) * 100, 3);
  const striked = coveredCall ? round((k - m.spot + m.price) / m.spot * 100, 3) : undefined;
  const expiryDay = Math.round(Date.parse(`${option.expiry}T00:00:00Z`) / 86_400_000);
  return {
    option,
    owner,
    bid: f.bid,
    ask: f.ask,
    item: {
      option: securityOf(option),
      name: option.name,
      optionType: optionTypeOf(option),
      strikePrice: k,
      strikeTime: option.expiry,
      strikeTimestamp: dayStamp(owner.security, expiryDay),
      leftDays: m.daysToExpiry,
      optionPrice: m.price,
      stockPrice: m.spot,
      premium: round(m.price * m.contractSize, 2),
      otmDegree: round((coveredCall ? k / m.spot - 1 : 1 - k / m.spot) * 100, 2),
      iv: m.impliedVolatility,
      intervalReturn: interval,
      annualizedReturn: round(interval * 365 / days, 3),
      itmProbability: f.exerciseProbability,
      strikedIntervalReturn: striked,
      strikedAnnualizedReturn: striked === undefined ? undefined : round(striked * 365 / days, 3),
      owner: securityOf(owner.security),
    },
  };
}

/** `SellerIndicatorType` readers (option volume and open interest read the contract's quote). */
function sellerFilters(market: MarketData): Record<number, Indicator<SellerRow>> {
  return {
    1: { kind: "securities", get: (r) => [r.owner.security.symbol] },
    2: { kind: "exact", get: () => [0, 1] },
    3: range((r) => r.owner.callVolume + r.owner.putVolume),
    4: range((r) => r.owner.callOpenInterest + r.owner.putOpenInterest),
    5: range((r) => r.owner.iv),
    6: range((r) => r.owner.hv),
    7: range((r) => r.owner.ivRank),
    8: range((r) => r.owner.ivPercentile),
    9: range((r) => r.owner.marketCap),
    10: range((r) => r.owner.price),
    11: range((r) => r.owner.changeRate),
    12: { kind: "exact", get: (r) => plateIdsOf(r.owner.security) },
    14: range((r) => r.item.leftDays),
    15: { kind: "exact", get: (r) => r.option.expiryCycle === "WEEK" ? 2 : 1 },
    16: { kind: "exact", get: (r) => r.item.strikeTimestamp },
    17: range((r) => r.item.premium),
    18: range((r) => r.item.annualizedReturn),
    19: range((r) => r.item.intervalReturn),
    20: range((r) => r.item.otmDegree),
    21: range((r) => round(100 - r.item.itmProbability!, 3)),
    22: range((r) => r.item.iv),
    23: range((r) => r.bid),
    24: range((r) => r.ask),
    13: { kind: "exact", get: (r) => expirationTypesOf(market, r.owner.security) },
    25: range((r) => sessionOf(market, r.option).volume),
    26: range((r) => figuresOf(market, r.option).metrics.openInterest),
  };
}

/** OpenD's default seller filters, for the indicator types the request leaves out. */
const SELLER_DEFAULTS: readonly FilterCondition[] = [
  [3, 0],
  [4, 0],
  [9, 10_000_000_000],
  [10, 1],
  [14, 0],
  [20, 0],
  [23, 0.01],
  [24, 0.01],
  [25, 0],
  [26, 0],
].map(([indicatorType, min]) => ({
  indicatorType,
  indicatorValue: { valueInterval: { filterMin: { value: min, includes: false } } },
}));

const SELLER_SORT: Readonly<Record<number, (r: SellerRow) => number | undefined>> = {
  1: (r) => r.item.annualizedReturn,
  2: (r) => r.item.intervalReturn,
  3: (r) => r.item.itmProbability,
  4: (r) => r.item.premium,
};

// ---------------------------------------------------------------- handlers

/** The handlers of this file, by protocol. */
export const SCREENER_HANDLERS: HandlerTable = {
  Qot_GetOptionZeroDteScreener: (ctx, _session, c2s) => {
    requireMarkets(c2s.optionMarket, [OptionMarket.US_Security, OptionMarket.US_Index], "the 0DTE screener");
    const sortKey = ZERO_DTE_SORT[c2s.sortType ?? 1];
    if (!sortKey) fail(`Unknown sortType ${c2s.sortType}: expected a ZeroDteSortType (1–5)`);
    const count = countIn(c2s.count, 1, 500, 50);
    const now = ctx.market.clock.now();
    const today = localTime("US", now).day;
    const keep = filterOf(c2s.filterList, zeroDteFilters(today), "filterList");
    const rows = rowsOf(ctx.market, underlyingsOf(c2s.optionMarket))
      .filter((r) =>
        listedExpiries(r.security, today)[0]?.day === today &&
        listedStrikes(r.security, ctx.market.previousClose(r.security, now)).length > 0
      ).filter(keep);
    const sorted = sortedBy(rows, sortKey, c2s.isAsc ?? false, (r) => r.security.symbol);
    const { rows: page, nextPage } = pageOf(sorted, c2s.page, count);
    return {
      itemList: page.map((r) => {
        const u = r.security;
        const expiry = listedExpiries(u, today)[0];
        const report = earningsThisWeek(u, today);
        const close = sessionsOn(u.market, today).at(-1)?.[1] ?? 16 * 60;
        return {
          owner: securityOf(u),
          name: u.name,
          price: r.price,
          changeRate: r.changeRate,
          marketCap: r.marketCap,
          iv: r.iv,
          ivRank: r.ivRank,
          ivPercentile: r.ivPercentile,
          hv: r.hv,
          volume: String(r.callVolume + r.putVolume),
          openInterest: String(r.callOpenInterest + r.putOpenInterest),
          lastTradingTime: String(utcOf(u.market, today, close) / 1000),
          earningsTimestamp: report
            ? String(dayStamp(u, Date.parse(`${report.date}T00:00:00Z`) / 86_400_000))
            : undefined,
          earningsTime: report
            ? `${report.date} ${report.session === "BEFORE_OPEN" ? "08:00:00" : "16:30:00"}`
            : undefined,
          earningsPubType: report ? (report.session === "BEFORE_OPEN" ? 1 : 2) : undefined,
          chainInfo: {
            strikeDateTimestamp: String(dayStamp(u, expiry.day)),
            productCode: u.chain!.root,
            multiplier: u.chain!.contractSize,
            contractShareSize: u.chain!.contractSize,
            expirationType: expiry.cycle === "WEEK" ? 2 : 1,
            underlying: securityOf(u),
          },
        };
      }),
      nextPage,
      updateTimestamp: now / 1000,
    };
  },

  Qot_GetOptionZeroDteContract: (ctx, _session, c2s) => {
    const owner = requireChain(resolve(c2s.owner));
    const info = c2s.chainInfo;
    const stamp = Number(c2s.strikeDateTimestamp);
    if (info.strikeDateTimestamp !== undefined && Number(info.strikeDateTimestamp) !== stamp) {
      fail("strikeDateTimestamp does not match chainInfo.strikeDateTimestamp");
    }
    if (info.underlying && symbolOfWire(info.underlying) !== owner.symbol) {
      fail(`chainInfo belongs to ${symbolOfWire(info.underlying)}, not ${owner.symbol}`);
    }
    if (info.productCode !== undefined && info.productCode !== owner.chain!.root) {
      fail(`chainInfo.productCode ${info.productCode} is not ${owner.symbol}'s option root ${owner.chain!.root}`);
    }
    const now = ctx.market.clock.now();
    const today = localTime(owner.market, now).day;
    const expiry = listedExpiries(owner, today).find((e) => dayStamp(owner, e.day) === stamp);
    if (!expiry) fail(`strikeDateTimestamp ${c2s.strikeDateTimestamp} is not a listed expiry of ${owner.symbol}`);
    if (expiry.day !== today) {
      fail(`${owner.symbol}'s expiry ${expiry.date} does not expire today (${formatDay(today)})`);
    }
    const sortKey = CONTRACT_SORT[c2s.sortType ?? 1];
    if (!sortKey) fail(`Unknown sortType ${c2s.sortType}: expected a ZeroDteContractSortType (1–4)`);
    const keep = filterOf(c2s.filterList, CONTRACT_FILTERS, "filterList");
    const reference = ctx.market.previousClose(owner, now);
    const rows = contractsAt(owner, expiry, reference, (code) => securityByCode(owner.market, code))
      .flatMap(({ call, put }) => [call, put]).map((o) => zeroDteContract(ctx.market, o)).filter(keep);
    return {
      itemList: sortedBy(rows, sortKey, c2s.isAsc ?? false, (r) => r.item.option.code).map((r) => r.item),
    };
  },

  Qot_GetOptionEarningsScreener: (ctx, _session, c2s) => {
    requireMarkets(c2s.optionMarket, [OptionMarket.US_Security, OptionMarket.HK_Security], "the earnings screener");
    const sortKey = EARNINGS_SORT[c2s.sortType ?? 1];
    if (!sortKey) fail(`Unknown sortType ${c2s.sortType}: expected an EarningsSortType (1–17)`);
    const count = countIn(c2s.count, 1, 500, 50);
    const filters: Record<number, Indicator<EarningsRow>> = {
      ...EARNINGS_FILTERS,
      5: { kind: "exact", get: (r) => expirationTypesOf(ctx.market, r.security) },
    };
    const keep = filterOf(c2s.filterList, filters, "filterList");
    const rows = rowsOf(ctx.market, underlyingsOf(c2s.optionMarket)).map((r) => earningsRow(ctx.market, r))
      .filter((r): r is EarningsRow => r !== undefined).filter(keep);
    const sorted = sortedBy(rows, sortKey, c2s.isAsc ?? true, (r) => r.security.symbol);
    const { rows: page, nextPage } = pageOf(sorted, c2s.page, count);
    return {
      itemList: page.map((r) => r.item),
      nextPage,
      updateTimestamp: ctx.market.clock.now() / 1000,
      allCount: sorted.length,
    };
  },

  Qot_GetOptionSellerScreener: (ctx, _session, c2s) => {
    requireMarkets(c2s.optionMarket, [OptionMarket.US_Security, OptionMarket.HK_Security], "the seller screener");
    if (c2s.sellerType !== 1 && c2s.sellerType !== 2) {
      fail(`sellerType must be 1 (CoveredCall) or 2 (CashSecuredPut), got ${c2s.sellerType}`);
    }
    const sortKey = SELLER_SORT[c2s.sortType ?? 1];
    if (!sortKey) fail(`Unknown sortType ${c2s.sortType}: expected a SellerSortType (1–4)`);
    const given = new Set((c2s.filterList ?? []).map((f) => f.indicatorType));
    const conditions = [...(c2s.filterList ?? []), ...SELLER_DEFAULTS.filter((d) => !given.has(d.indicatorType))];
    const keep = filterOf(conditions, sellerFilters(ctx.market), "filterList");
    const coveredCall = c2s.sellerType === 1;
    const rows = rowsOf(ctx.market, underlyingsOf(c2s.optionMarket)).flatMap((owner) =>
      universeOf(ctx.market, owner.security, SELLER_EXPIRIES)
        .filter((o) => o.callPut === (coveredCall ? "CALL" : "PUT"))
        .map((o) => sellerRow(ctx.market, o, owner, coveredCall))
    ).filter(keep);
    return {
      itemList: sortedBy(rows, sortKey, c2s.isAsc ?? false, (r) => r.option.code).slice(0, SELLER_ROWS)
        .map((r) => r.item),
    };
  },
};
