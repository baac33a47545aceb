/**
 * The options analytics the simulator models on its market (private to
 * src/sim): which underlyings each option market lists, an underlying's
 * implied and historical volatility day by day, its option volume and open
 * interest, and the probabilities that Black–Scholes gives for a price level
 * at an expiry.
 *
 * - Implied volatility of an underlying on a day is the IV of its
 *   at-the-money contract: the listed strike nearest the day's close (now:
 *   the current price) on the nearest listed expiry, as the option chain and
 *   snapshot report it (the simulator's IV is a smile over strikes, the same
 *   for every expiry).
 * - Historical volatility over N trading days is the annualised (√252)
 *   sample standard deviation of the daily log returns of the forward-adjusted
 *   simulated closes, in percent.
 * - IV rank and percentile compare the day's IV with the last 252 trading
 *   days' IVs: (iv − min) / (max − min) and the share of days below it; HV
 *   percentiles compare an HV with the same window's HVs over the days the
 *   series holds (a year and a month of sessions).
 * - Open interest of an underlying is the sum over the contracts its chain
 *   lists that day (strikes within ±25 % of the previous close, every listed
 *   expiry) of each contract's open interest, the figure its snapshot shows.
 * - Option volume of an underlying is modelled from the stock's simulated
 *   volume that day (a seeded share of it in contracts, higher on big moves),
 *   split into puts and calls by the day's move, and zero on a day its chain
 *   lists no strikes; it is not the
 *   sum of the contracts' own trade prints, which only the contract-level
 *   replies use.
 *
 * @module
 */
import { Qot_OptionCommon_OptionMarket as OptionMarket } from "../gateway/proto/messages.ts";
import { fail, round } from "./_handler_common.ts";
import { securityByCode, securityIndex, SIM_SECURITIES, type SimSecurity } from "./catalog.ts";
import { type DayNumber, formatDay, localTime, utcOf } from "./clock.ts";
import type { MarketData } from "./market.ts";
import { listedExpiries, listedStrikes, openInterest, optionCode } from "./option_chains.ts";
import { hash32 } from "./_price_model.ts";

/** The price model's risk-free rate (continuous, per year). */
export const RISK_FREE_RATE = 0.04;
/** Trading days per year, for annualising. */
const YEAR_DAYS = 252;
/** Minutes per year, as the price model counts time to expiry. */
const MINUTES_PER_YEAR = 525_600;
/** How many trading days of history a series keeps: a year, and the 30-day HV window before it. */
const HISTORY_DAYS = YEAR_DAYS + 32;

/** The standard normal distribution function (W. J. Cody's erfc rational approximation, |error| < 1e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const erfc = t * Math.exp(
    -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
                      t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
  );
  return x >= 0 ? 1 - erfc / 2 : erfc / 2;
}

/** Years from an instant to an option's expiry, as the price model counts them (per whole minute). */
export function yearsToExpiry(option: SimSecurity, ms: number): number {
  const expiryMs = Date.parse(`${option.expiry}T16:00:00Z`);
  return Math.max(0, expiryMs - Math.floor(ms / 60_000) * 60_000) / (MINUTES_PER_YEAR * 60_000);
}

/** Risk-neutral probability that the price ends above `level`: N(d2) under Black–Scholes. */
export function probabilityAbove(spot: number, level: number, years: number, volatility: number): number {
  if (level <= 0) return 1;
  const t = Math.max(years, 1 / MINUTES_PER_YEAR);
  const d2 = (Math.log(spot / level) + (RISK_FREE_RATE - volatility * volatility / 2) * t) /
    (volatility * Math.sqrt(t));
  return normalCdf(d2);
}

/** Probability (percent) that an option is exercised at expiry: N(d2) for a call, N(−d2) for a put. */
export function exerciseProbability(option: SimSecurity, spot: number, ms: number): number {
  const above = probabilityAbove(spot, option.strike!, yearsToExpiry(option, ms), option.volatility);
  return round((option.callPut === "CALL" ? above : 1 - above) * 100, 3);
}

/** The underlyings an `OptionMarket` lists options on (the catalog has no index options). */
export function underlyingsOf(optionMarket: number | undefined): SimSecurity[] {
  switch (optionMarket) {
    case OptionMarket.US_Security:
      return SIM_SECURITIES.filter((s) => s.chain && s.market === "US" && s.kind === "stock");
    case OptionMarket.HK_Security:
      return SIM_SECURITIES.filter((s) => s.chain && s.market === "HK" && s.kind === "stock");
    case OptionMarket.US_Index:
    case OptionMarket.HK_Index:
      return [];
    default:
      fail(
        `Unknown optionMarket ${optionMarket}: expected 1 (US_Security), 2 (US_Index), 3 (HK_Security) or 4 (HK_Index)`,
      );
  }
}

/** The `OptionMarket` of an underlying. */
export function optionMarketOf(underlying: SimSecurity): number {
  if (underlying.kind === "index") return underlying.market === "US" ? OptionMarket.US_Index : OptionMarket.HK_Index;
  return underlying.market === "US" ? OptionMarket.US_Security : OptionMarket.HK_Security;
}

/** Fails unless a security has listed options. */
export function requireChain(security: SimSecurity): SimSecurity {
  if (!security.chain) fail(`${security.symbol} has no listed options`);
  return security;
}

/** Fails unless a security is an option contract. */
export function requireOption(security: SimSecurity): SimSecurity {
  if (security.kind !== "option") fail(`${security.symbol} is not an option contract`);
  return security;
}

/** The day number of "YYYY-MM-DD" (a time after it is ignored); fails naming the field otherwise. */
export function dayOfText(text: string | undefined, what: string): DayNumber {
  const date = /^(\d{4}-\d{2}-\d{2})([ T]\d{2}:\d{2}(:\d{2})?)?$/.exec((text ?? "").trim())?.[1];
  const ms = date === undefined ? NaN : Date.parse(`${date}T00:00:00Z`);
  if (!Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 10) !== date) {
    fail(`Invalid ${what} ${JSON.stringify(text ?? "")}: expected "YYYY-MM-DD"`);
  }
  return Math.round(ms / 86_400_000);
}

/** Seconds of local midnight of a trading day (how OpenD stamps a day). */
export function dayStamp(underlying: SimSecurity, day: DayNumber): number {
  return utcOf(underlying.market, day, 0) / 1000;
}

/** The contract of a chain by expiry day, side and strike (undefined off the grid). */
export function contractAt(
  underlying: SimSecurity,
  expiry: DayNumber,
  callPut: "CALL" | "PUT",
  strike: number,
): SimSecurity | undefined {
  return securityByCode(underlying.market, optionCode(underlying.chain!.root, expiry, callPut, strike));
}

/** The at-the-money contract of a day: the listed strike nearest `price` on the nearest listed expiry. */
export function atmContract(underlying: SimSecurity, day: DayNumber, price: number): SimSecurity | undefined {
  const expiry = listedExpiries(underlying, day)[0];
  const strikes = listedStrikes(underlying, price);
  if (!expiry || strikes.length === 0) return undefined;
  const strike = strikes.reduce((best, k) => Math.abs(k - price) < Math.abs(best - price) ? k : best);
  return contractAt(underlying, expiry.day, "CALL", strike);
}

/** The contracts a chain lists on a day around a reference price (every listed expiry, calls and puts). */
export function listedContracts(underlying: SimSecurity, day: DayNumber, reference: number): SimSecurity[] {
  const out: SimSecurity[] = [];
  const strikes = listedStrikes(underlying, reference);
  for (const expiry of listedExpiries(underlying, day)) {
    for (const strike of strikes) {
      for (const side of ["CALL", "PUT"] as const) {
        const c = contractAt(underlying, expiry.day, side, strike);
        if (c) out.push(c);
      }
    }
  }
  return out;
}

/** One trading day of an underlying's option statistics. */
export interface UnderlyingDay {
  day: DayNumber;
  /** "YYYY-MM-DD" */
  date: string;
  /** Close as traded (today: the current price). */
  price: number;
  previousClose: number;
  /** Percent. */
  changeRate: number;
  /** Shares traded. */
  stockVolume: number;
  /** Percent (undefined before the chain grid begins). */
  iv?: number;
  /** HV over 30 trading days, percent. */
  hv?: number;
  callVolume: number;
  putVolume: number;
}

interface Series {
  days: UnderlyingDay[];
  /** Forward-adjusted closes, same order. */
  adjusted: number[];
}

const SERIES = new WeakMap<MarketData, Map<string, Series>>();

/** An underlying's daily series, oldest first, the last being the latest session (as of now). */
export function seriesOf(market: MarketData, underlying: SimSecurity): Series {
  const now = market.clock.now();
  const key = `${underlying.symbol}|${Math.floor(now / 60_000)}`;
  let cache = SERIES.get(market);
  if (!cache) SERIES.set(market, cache = new Map());
  const known = cache.get(key);
  if (known) return known;
  const from = now - Math.ceil(HISTORY_DAYS * 7 / 5 + 40) * 86_400_000;
  const traded = market.bars(underlying, "K_DAY", from, now, HISTORY_DAYS, { fromEnd: true });
  const forward = market.bars(underlying, "K_DAY", from, now, HISTORY_DAYS, { fromEnd: true, rehab: "FORWARD" });
  const days: UnderlyingDay[] = traded.map((bar, i) => {
    const last = i === traded.length - 1;
    const day = localTime(underlying.market, bar.startMs).day;
    const price = last ? market.currentPrice(underlying) : bar.close;
    const previousClose = last ? market.previousClose(underlying, now) : bar.lastClose ?? bar.open;
    const changeRate = round((price / previousClose - 1) * 100, 3);
    const stockVolume = last ? market.sessionSummary(underlying, now).volume : bar.volume;
    const atm = atmContract(underlying, day, price);
    return {
      day,
      date: formatDay(day),
      price,
      previousClose,
      changeRate,
      stockVolume,
      iv: atm ? round(atm.volatility * 100, 3) : undefined,
      ...(listedStrikes(underlying, previousClose).length > 0
        ? optionVolumes(market.seed, underlying, day, stockVolume, changeRate)
        : { callVolume: 0, putVolume: 0 }),
    };
  });
  const adjusted = forward.map((b) => b.close);
  adjusted[adjusted.length - 1] = adjusted[adjusted.length - 1] * days[days.length - 1].price /
    (traded[traded.length - 1]?.close || 1);
  for (let i = 0; i < days.length; i++) days[i].hv = hvAt(adjusted, i, 30);
  if (cache.size > 200) cache.clear();
  const series = { days, adjusted };
  cache.set(key, series);
  return series;
}

/** HV (percent) over `window` daily returns ending at index `i`, or undefined without enough history. */
export function hvAt(adjusted: readonly number[], i: number, window: number): number | undefined {
  if (i - window < 0) return undefined;
  const returns: number[] = [];
  for (let k = i - window + 1; k <= i; k++) returns.push(Math.log(adjusted[k] / adjusted[k - 1]));
  const mean = returns.reduce((s, r) => s + r, 0) / returns.length;
  const variance = returns.reduce((s, r) => s + (r - mean) ** 2, 0) / (returns.length - 1);
  return round(Math.sqrt(variance * YEAR_DAYS) * 100, 3);
}

/** The option volume of an underlying on a day, in contracts (see the module documentation). */
function optionVolumes(
  seed: number,
  underlying: SimSecurity,
  day: DayNumber,
  stockVolume: number,
  changeRate: number,
): { callVolume: number; putVolume: number } {
  const index = securityIndex(underlying);
  const u1 = hash32(seed, index, day, 0x0a1) / 4_294_967_296;
  const u2 = hash32(seed, index, day, 0x0a2) / 4_294_967_296;
  // Contracts per share traded: about 3 % (× 100 shares a contract) in the US, 1 % in Hong Kong.
  const share = underlying.market === "US" ? 3 : 1;
  const total = Math.round(
    stockVolume / (underlying.chain?.contractSize ?? 100) * share * (0.6 + 0.8 * u1) *
      (1 + Math.abs(changeRate) / 4),
  );
  const putShare = Math.min(0.85, Math.max(0.15, 0.42 - changeRate * 0.03 + (u2 - 0.5) * 0.2));
  const putVolume = Math.round(total * putShare);
  return { callVolume: total - putVolume, putVolume };
}

/** Rank (percent of the range) and percentile (percent of days below) of the last value of a series. */
export function rankAndPercentile(values: readonly (number | undefined)[]): { rank?: number; percentile?: number } {
  const current = values.at(-1);
  if (current === undefined) return {};
  const known = values.filter((v): v is number => v !== undefined);
  const min = Math.min(...known);
  const max = Math.max(...known);
  const below = known.filter((v) => v < current).length;
  return {
    rank: round(max === min ? 50 : (current - min) / (max - min) * 100, 2),
    percentile: round(known.length > 1 ? below / (known.length - 1) * 100 : 50, 2),
  };
}

/** Call and put open interest of an underlying's listed contracts on a day, with the spot they are drawn at. */
export function openInterestOf(
  market: MarketData,
  underlying: SimSecurity,
  day: DayNumber,
  spot: number,
  reference: number,
): { call: number; put: number } {
  const at = utcOf(underlying.market, day, 12 * 60);
  let call = 0;
  let put = 0;
  for (const c of listedContracts(underlying, day, reference)) {
    const oi = openInterest(market.seed, securityIndex(c), c, spot, at);
    if (c.callPut === "CALL") call += oi;
    else put += oi;
  }
  return { call, put };
}

/** HV windows of `Qot_OptionCommon.OptionHVTimeRange`, in trading days. */
export const HV_WINDOWS: readonly { range: number; days: number }[] = [
  { range: 1, days: 30 },
  { range: 2, days: 60 },
  { range: 3, days: 90 },
  { range: 4, days: 120 },
  { range: 5, days: YEAR_DAYS },
];

/** The latest figures of an underlying: what the overview, the ranks and the screeners show. */
export interface UnderlyingNow extends UnderlyingDay {
  preIv?: number;
  ivRank?: number;
  ivPercentile?: number;
  /** Percent change of the IV against the previous day's. */
  ivChange?: number;
  hvChange?: number;
  callOpenInterest: number;
  putOpenInterest: number;
  marketCap: number;
  hvList: { range: number; hv: number; percentile?: number }[];
}

/** The figures of an underlying on a day of its series (default: the latest session). */
export function underlyingOn(market: MarketData, underlying: SimSecurity, index?: number): UnderlyingNow {
  const { days, adjusted } = seriesOf(market, underlying);
  const i = index ?? days.length - 1;
  const today = days[i];
  const previous = days[i - 1];
  const year = days.slice(Math.max(0, i - YEAR_DAYS + 1), i + 1);
  const iv = rankAndPercentile(year.map((d) => d.iv));
  const latest = i === days.length - 1;
  const now = market.clock.now();
  const oi = latest
    ? openInterestOf(
      market,
      underlying,
      localTime(underlying.market, now).day,
      market.currentPrice(underlying),
      market.previousClose(underlying, now),
    )
    : openInterestOf(market, underlying, today.day, today.price, today.previousClose);
  const change = (a?: number, b?: number) => a === undefined || !b ? undefined : round((a / b - 1) * 100, 2);
  return {
    ...today,
    preIv: previous?.iv,
    ivRank: iv.rank,
    ivPercentile: iv.percentile,
    ivChange: change(today.iv, previous?.iv),
    hvChange: change(today.hv, previous?.hv),
    callOpenInterest: oi.call,
    putOpenInterest: oi.put,
    marketCap: round(today.price * (underlying.sharesOutstanding ?? 0), 0),
    hvList: HV_WINDOWS.flatMap(({ range, days: window }) => {
      const hv = hvAt(adjusted, i, window);
      if (hv === undefined) return [];
      const past: (number | undefined)[] = [];
      for (let k = Math.max(0, i - YEAR_DAYS + 1); k <= i; k++) past.push(hvAt(adjusted, k, window));
      return [{ range, hv, percentile: rankAndPercentile(past).percentile }];
    }),
  };
}

/** The index in an underlying's series of a trading day, or undefined when the series has no such day. */
export function seriesIndexOf(market: MarketData, underlying: SimSecurity, day: DayNumber): number | undefined {
  const i = seriesOf(market, underlying).days.findIndex((d) => d.day === day);
  return i < 0 ? undefined : i;
}
