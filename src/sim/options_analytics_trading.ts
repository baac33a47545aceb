/**
 * Options analytics handlers about contracts and combinations (private to
 * src/sim): option quotes (one contract: its basic quote's price, session,
 * IV and greeks plus intrinsic and time value, break-even, probability of
 * profit and leverage; several legs: the combination's net figures), the
 * strategies a chain offers, the analysis of a combination
 * (`options_analytics_strategies.ts`), strike widths, unusual activity and
 * the user's alerts on it (`options_analytics_events.ts`).
 *
 * @module
 */
import {
  Qot_Common_OptionStrategyType as Strategy,
  type Qot_GetOptionEvent_EventItem,
  type Qot_GetOptionQuote_OptionQuote,
} from "../gateway/proto/messages.ts";
import { fail, resolve, round } from "./_handler_common.ts";
import { countIn, filterOf, type Indicator, pageOf, sortedBy, symbolOfWire } from "./_options_analytics_filters.ts";
import { localTime } from "./clock.ts";
import type { HandlerTable } from "./handlers.ts";
import type { MarketData } from "./market.ts";
import { listedExpiries, listedStrikes } from "./option_chains.ts";
import { dayOfText, probabilityAbove, requireChain, underlyingsOf, yearsToExpiry } from "./options_analytics.ts";
import { breakEvenOf, figuresOf, greeksOf, optionTypeOf, sessionOf } from "./options_analytics_contracts.ts";
import { alertBookOf, eventsOf, type SimEvent } from "./options_analytics_events.ts";
import {
  analyse,
  classify,
  codeOf,
  type Leg,
  legsOf,
  LISTABLE,
  nameOf,
  strategiesOf,
  widthsOf,
  wireLegs,
  WITH_SPREADS,
} from "./options_analytics_strategies.ts";
import type { SimSecurity } from "./catalog.ts";
import { securityOf } from "./wire.ts";

/** The quote of one contract. */
function contractQuote(market: MarketData, option: SimSecurity): Qot_GetOptionQuote_OptionQuote {
  const f = figuresOf(market, option);
  const s = sessionOf(market, option);
  const m = f.metrics;
  const k = option.strike!;
  const call = option.callPut === "CALL";
  const intrinsic = Math.max(0, call ? m.spot - k : k - m.spot);
  const breakEven = breakEvenOf(option, m.price);
  const above = probabilityAbove(m.spot, breakEven, yearsToExpiry(option, market.clock.now()), option.volatility);
  const leverage = m.price > 0 ? m.spot / m.price : 0;
  const hk = option.market === "HK";
  const lot = market.underlyingOf(option).lotSize || 1;
  return {
    price: m.price,
    chg: round(m.price - f.previousClose, 3),
    chg_rate: f.changeRate,
    vol: String(s.volume),
    turnover: s.turnover,
    high: s.high,
    low: s.low,
    mid: round((f.bid + f.ask) / 2, 3),
    open: s.open,
    pre_close: f.previousClose,
    open_interest: m.openInterest,
    premium: m.premium,
    IV: m.impliedVolatility,
    ...greeksOf(m),
    option_type: optionTypeOf(option),
    expire_time: option.expiry,
    strike: k,
    contract_size: m.contractSize,
    contract_multiplier: m.contractSize,
    exercise_type: 1,
    days_to_expiry: m.daysToExpiry,
    net_open_interest: hk ? m.netOpenInterest : undefined,
    contract_value: hk ? round(m.price * m.contractSize, 2) : undefined,
    equal_underlying: hk ? round(m.contractSize / lot, 3) : undefined,
    intrinsic_value: round(intrinsic, 3),
    time_value: round(m.price - intrinsic, 3),
    breakeven_point: [breakEven],
    dist_to_breakeven: [round((breakEven / m.spot - 1) * 100, 2)],
    prob_of_profit: round((call ? above : 1 - above) * 100, 2),
    seller_roi: round(m.price / (call ? m.spot : k) * 100, 2),
    mark_price: round((f.bid + f.ask) / 2, 3),
    leverage_ratio: round(leverage, 3),
    effective_gearing: round(leverage * Math.abs(m.value.delta), 3),
  };
}

/** The quote of a combination: net price, book and greeks per share, break-evens and probability of profit. */
function comboQuote(market: MarketData, legs: readonly Leg[]): Qot_GetOptionQuote_OptionQuote {
  const a = analyse(market, legs);
  let previous = 0;
  for (const l of legs) {
    const multiplier = l.security.kind === "option" ? l.security.contractSize ?? 100 : 1;
    const close = l.security.kind === "option"
      ? figuresOf(market, l.security).previousClose
      : market.previousClose(l.security, market.clock.now());
    previous += l.sign * l.ratio * multiplier * close;
  }
  previous = previous / a.contractSize;
  return {
    price: a.price,
    chg: round(a.price - previous, 3),
    chg_rate: previous !== 0 ? round((a.price - previous) / Math.abs(previous) * 100, 3) : undefined,
    pre_close: round(previous, 3),
    mid: round((a.bid + a.ask) / 2, 3),
    mark_price: round((a.bid + a.ask) / 2, 3),
    ...a.perShare,
    contract_size: a.contractSize,
    contract_multiplier: a.contractSize,
    breakeven_point: a.breakevens,
    dist_to_breakeven: a.breakevens.map((b) => round((b / a.spot - 1) * 100, 2)),
    prob_of_profit: a.probabilityOfProfit,
  };
}

/** The listed expiry a "YYYY-MM-DD" names, or undefined when not given. */
function expiryOf(underlying: SimSecurity, today: number, text: string | undefined, what: string) {
  if (text === undefined || text === "") return undefined;
  const day = dayOfText(text, what);
  const expiry = listedExpiries(underlying, today).find((e) => e.day === day);
  if (!expiry) fail(`${what} ${text} is not a listed expiry of ${underlying.symbol}`);
  return expiry;
}

/** `EventIndicatorType` readers. */
const range = (get: (e: SimEvent) => number | undefined): Indicator<SimEvent> => ({ kind: "range", get });
const EVENT_FILTERS: Readonly<Record<number, Indicator<SimEvent>>> = {
  101: { kind: "securities", get: (e) => [e.underlying.symbol] },
  102: { kind: "securities", get: (e) => platesOf(e.item, "industryPlateList") },
  103: { kind: "securities", get: (e) => platesOf(e.item, "conceptPlateList") },
  104: { kind: "exact", get: (e) => e.actionTypes },
  105: range((e) => e.marketCap),
  201: { kind: "exact", get: (e) => e.item.optionType },
  202: { kind: "exact", get: (e) => e.item.otm! < 0 ? 1 : 2 },
  203: range((e) => e.item.strikePrice),
  204: range((e) => e.item.dte),
  205: range((e) => e.item.otm),
  301: { kind: "exact", get: (e) => e.item.tickerType },
  302: range((e) => Number(e.item.volume)),
  303: range((e) => e.item.turnover),
  304: range((e) => e.item.price),
  305: range((e) => e.item.fillTimestamp),
  306: { kind: "exact", get: (e) => Array.from({ length: 30 - e.age }, (_, i) => e.age + i) },
  401: { kind: "exact", get: (e) => e.item.orderTypeList },
  402: { kind: "exact", get: (e) => e.item.strategyType },
  403: { kind: "exact", get: (e) => e.item.sentiment },
  501: range((e) => Number(e.item.totalVolume)),
  502: range((e) => Number(e.item.totalOpenInterest)),
  503: range((e) => e.item.voRatio),
  504: range((e) => e.item.iv),
  601: range((e) => e.item.delta),
  602: range((e) => e.item.gamma),
  603: range((e) => e.item.vega),
  604: range((e) => e.item.theta),
  605: range((e) => e.item.rho),
};

function platesOf(item: Qot_GetOptionEvent_EventItem, list: "industryPlateList" | "conceptPlateList"): string[] {
  return (item[list] ?? []).map(symbolOfWire);
}

/** Most sessions an event request reaches back (MaxDayNum 0 = the latest session only). */
const MAX_EVENT_DAYS = 5;

/** The handlers of this file, by protocol. */
export const TRADING_HANDLERS: HandlerTable = {
  Qot_GetOptionQuote: (ctx, _session, c2s) => {
    const legs = legsOf(c2s.multi_legs);
    if (legs.length === 1) {
      if (legs[0].security.kind !== "option") fail(`${legs[0].security.symbol} is not an option contract`);
      return { optionQuoteList: [contractQuote(ctx.market, legs[0].security)] };
    }
    return { optionQuoteList: [comboQuote(ctx.market, legs)] };
  },

  Qot_GetOptionStrategy: (ctx, _session, c2s) => {
    const underlying = requireChain(resolve(c2s.owner));
    if (!LISTABLE.has(c2s.option_strategy)) {
      fail(`option_strategy ${c2s.option_strategy} is not a listable OptionStrategyType`);
    }
    if (c2s.option_type !== undefined && ![0, 1, 2].includes(c2s.option_type)) {
      fail(`option_type must be 1 (CALL) or 2 (PUT), got ${c2s.option_type}`);
    }
    if (c2s.spread !== undefined && !(c2s.spread > 0)) fail(`spread must be positive, got ${c2s.spread}`);
    const now = ctx.market.clock.now();
    const today = localTime(underlying.market, now).day;
    const expiries = listedExpiries(underlying, today);
    const near = expiryOf(underlying, today, c2s.expire_time, "expire_time");
    const far = expiryOf(underlying, today, c2s.far_expire_time, "far_expire_time");
    if (near && far && far.day <= near.day) fail("far_expire_time must be after expire_time");
    const reference = ctx.market.previousClose(underlying, now);
    const widths = widthsOf(underlying, reference);
    const strategies = strategiesOf({
      underlying,
      type: c2s.option_strategy,
      near: near ? [near] : expiries,
      far: (day) => far?.day ?? expiries.find((e) => e.day > day)?.day,
      widths: c2s.spread === undefined ? widths : [c2s.spread],
      callPut: c2s.option_type === 1 ? ["CALL"] : c2s.option_type === 2 ? ["PUT"] : ["CALL", "PUT"],
      strikes: listedStrikes(underlying, reference),
    }).filter((legs) =>
      c2s.strike_price === undefined ||
      legs.some((l) => l.security.kind === "option" && Math.abs(l.security.strike! - c2s.strike_price!) < 1e-9)
    );
    return {
      strategyList: strategies.map((legs) => ({
        code: codeOf(legs),
        name: nameOf(legs, classify(legs)),
        option_strategy: c2s.option_strategy,
        stock_owner: securityOf(underlying),
        multi_legs: wireLegs(legs),
      })),
    };
  },

  Qot_GetOptionStrategyAnalysis: (ctx, _session, c2s) => {
    const a = analyse(ctx.market, legsOf(c2s.multi_legs));
    return {
      code: a.code,
      name: a.name,
      option_strategy: a.type,
      bid1: a.bid,
      ask1: a.ask,
      max_profit: a.maxProfit,
      max_loss: a.maxLoss,
      breakeven_points: a.breakevens,
      prob_of_profit: a.probabilityOfProfit,
      delta: a.delta,
      theta: a.theta,
    };
  },

  Qot_GetOptionStrategySpread: (ctx, _session, c2s) => {
    const underlying = requireChain(resolve(c2s.owner));
    if (!WITH_SPREADS.has(c2s.option_strategy)) {
      fail(
        `option_strategy ${c2s.option_strategy} has no spreads: Spread, Strangle, Collar, Butterfly, Condor, ` +
          "IronButterfly, IronCondor and DiagonalSpread do",
      );
    }
    const now = ctx.market.clock.now();
    const today = localTime(underlying.market, now).day;
    const expiries = listedExpiries(underlying, today);
    const near = expiryOf(underlying, today, c2s.expire_time, "expire_time") ?? expiries[0];
    const far = expiryOf(underlying, today, c2s.far_expire_time, "far_expire_time");
    if (c2s.option_strategy === Strategy.DiagonalSpread) {
      if (!far) fail("far_expire_time is required for DiagonalSpread");
      if (far.day <= near.day) fail("far_expire_time must be after expire_time");
    }
    const reference = ctx.market.previousClose(underlying, now);
    const strikes = listedStrikes(underlying, reference);
    const spreadList = widthsOf(underlying, reference).filter((w) =>
      strategiesOf({
        underlying,
        type: c2s.option_strategy,
        near: [near],
        far: () => far?.day,
        widths: [w],
        callPut: ["CALL", "PUT"],
        strikes,
      }).length > 0
    );
    return { spreadList };
  },

  Qot_GetOptionEvent: (ctx, _session, c2s) => {
    const underlyings = underlyingsOf(c2s.optionMarket);
    if (c2s.count === undefined) fail("count is required (1–300)");
    const count = countIn(c2s.count, 1, 300, 20);
    const dayFilter = c2s.filterList?.find((f) => f.indicatorType === 306)?.indicatorValue?.valueList ?? [];
    const maxDay = dayFilter.length ? Math.max(...dayFilter.map(Number)) : 0;
    if (maxDay < 0 || maxDay >= MAX_EVENT_DAYS) {
      fail(`MaxDayNum must be 0–${MAX_EVENT_DAYS - 1} (0 = the latest session), got ${maxDay}`);
    }
    const keep = filterOf(c2s.filterList, EVENT_FILTERS, "filterList");
    const events = eventsOf(ctx.market, underlyings, maxDay + 1).filter(keep);
    const sort = c2s.sort ?? { indicatorType: 305, isAsc: false };
    const reader = EVENT_FILTERS[sort.indicatorType];
    if (!reader || reader.kind !== "range") fail(`sort.indicatorType ${sort.indicatorType} is not a sortable field`);
    const sorted = sortedBy(
      events,
      reader.get as (e: SimEvent) => number | undefined,
      sort.isAsc,
      (e) => `${e.atMs}|${e.item.option!.code}`,
    );
    const { rows, nextPage } = pageOf(sorted, c2s.page, count);
    return {
      eventList: rows.map((e) => e.item),
      nextPage,
      allCount: sorted.length,
      updateTimestamp: ctx.market.clock.now() / 1000,
    };
  },

  Qot_GetOptionEventAlert: (ctx, _session, c2s) => {
    if (c2s.count === undefined) fail("count is required (1–500)");
    const count = countIn(c2s.count, 1, 500, 50);
    const all = alertBookOf(ctx.market).list();
    const { rows, nextPage } = pageOf(all, c2s.page, count);
    return { alertList: rows, nextPage, allCount: all.length };
  },

  Qot_SetOptionEventAlert: (ctx, _session, c2s) => {
    alertBookOf(ctx.market).apply(ctx.market, c2s.operType, c2s.alertList ?? []);
    return {};
  },
};
