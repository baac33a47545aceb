/**
 * Option strategies on the simulated chains (private to src/sim): the
 * combinations a chain offers for each `OptionStrategyType` (verticals,
 * straddles, butterflies, condors, calendars…), the strike widths they come
 * in, what type a list of legs is, and the analysis of a combination from its
 * legs' simulated prices and greeks.
 *
 * A combination's profit and loss is valued at its nearest expiry: legs
 * expiring then at their intrinsic value, later legs at their Black–Scholes
 * value with their own IV and remaining time, stock legs at the price. Max
 * profit and max loss (a positive amount of money, 9999999 when unbounded)
 * are per one combination: option legs × ratio × contract size, stock legs ×
 * ratio shares. The probability of profit is the risk-neutral probability
 * (Black–Scholes, the underlying's at-the-money IV) that the price at that
 * expiry lands where the combination makes money.
 *
 * @module
 */
import {
  type Qot_Common_ComboLeg,
  Qot_Common_OptionStrategyType as Strategy,
  Trd_Common_TrdSide as Side,
} from "../gateway/proto/messages.ts";
import { fail, resolve, round } from "./_handler_common.ts";
import type { SimSecurity } from "./catalog.ts";
import type { MarketData } from "./market.ts";
import { listedStrikes } from "./option_chains.ts";
import { atmContract, contractAt, normalCdf, probabilityAbove, RISK_FREE_RATE } from "./options_analytics.ts";
import { figuresOf } from "./options_analytics_contracts.ts";
import { localTime } from "./clock.ts";
import { securityOf } from "./wire.ts";

/** OpenD's figure for an unbounded profit or loss. */
export const UNBOUNDED = 9_999_999;
/** Most legs of one combination. */
const MAX_LEGS = 8;

/** One leg: +1 bought, −1 sold; ratio in contracts (options) or shares (stock). */
export interface Leg {
  security: SimSecurity;
  sign: 1 | -1;
  ratio: number;
}

/** Legs of the wire, checked: every one an option on one underlying, or that underlying's stock. */
export function legsOf(wire: readonly Qot_Common_ComboLeg[] | undefined): Leg[] {
  const list = wire ?? [];
  if (list.length === 0) fail("multi_legs must hold at least one leg");
  if (list.length > MAX_LEGS) fail(`multi_legs holds at most ${MAX_LEGS} legs, got ${list.length}`);
  const legs = list.map((leg, i): Leg => {
    const security = resolve(leg.security);
    const side = leg.side ?? Side.Buy;
    if (![Side.Buy, Side.Sell, Side.SellShort, Side.BuyBack].includes(side as 1 | 2 | 3 | 4)) {
      fail(`multi_legs[${i}].side ${side} is not a TrdSide (1 Buy, 2 Sell, 3 SellShort, 4 BuyBack)`);
    }
    const ratio = leg.qtyRatio ?? 1;
    if (!(ratio > 0) || !Number.isFinite(ratio)) fail(`multi_legs[${i}].qtyRatio must be positive, got ${ratio}`);
    if (security.kind !== "option" && !security.chain) {
      fail(`multi_legs[${i}] ${security.symbol} is neither an option nor an optionable stock`);
    }
    return { security, sign: side === Side.Buy || side === Side.BuyBack ? 1 : -1, ratio };
  });
  const owners = new Set(legs.map((l) => l.security.kind === "option" ? l.security.underlying : l.security.symbol));
  if (owners.size > 1) fail(`multi_legs name more than one underlying: ${[...owners].join(", ")}`);
  if (!legs.some((l) => l.security.kind === "option")) fail("multi_legs must hold at least one option");
  return legs;
}

/** Wire legs of legs. */
export function wireLegs(legs: readonly Leg[]): Qot_Common_ComboLeg[] {
  return legs.map((l) => ({
    security: securityOf(l.security),
    side: l.sign > 0 ? Side.Buy : Side.Sell,
    qtyRatio: l.ratio,
  }));
}

/** The combination's code: its legs, signed, in order ("+1*AAPL261218C230000,-1*AAPL261218C235000"). */
export function codeOf(legs: readonly Leg[]): string {
  return legs.map((l) => `${l.sign > 0 ? "+" : "-"}${l.ratio}*${l.security.code}`).join(",");
}

const options = (legs: readonly Leg[]) => legs.filter((l) => l.security.kind === "option");
const strikeOf = (l: Leg) => l.security.strike!;
const same = (values: readonly unknown[]) => new Set(values).size <= 1;

/** What type of strategy legs make (Customize when no standard shape fits). */
export function classify(legs: readonly Leg[]): number {
  const opts = options(legs);
  const stock = legs.filter((l) => l.security.kind !== "option");
  const calls = opts.filter((l) => l.security.callPut === "CALL");
  const puts = opts.filter((l) => l.security.callPut === "PUT");
  const oneExpiry = same(opts.map((l) => l.security.expiry));
  const byStrike = [...opts].sort((a, b) => strikeOf(a) - strikeOf(b));
  if (stock.length === 1) {
    if (opts.length === 1 && opts[0].sign < 0) return Strategy.Covered;
    if (
      opts.length === 2 && puts.length === 1 && calls.length === 1 && puts[0].sign > 0 && calls[0].sign < 0 &&
      oneExpiry
    ) return Strategy.Collar;
    return Strategy.Customize;
  }
  if (stock.length > 1) return Strategy.Customize;
  if (opts.length === 1) return Strategy.SingleOption;
  if (opts.length === 2) {
    const [a, b] = opts;
    if (a.ratio !== b.ratio) return Strategy.Customize;
    if (!oneExpiry) {
      if (a.security.callPut !== b.security.callPut || a.sign === b.sign) return Strategy.Customize;
      return strikeOf(a) === strikeOf(b) ? Strategy.CalendarSpread : Strategy.DiagonalSpread;
    }
    if (a.security.callPut === b.security.callPut) {
      return a.sign !== b.sign && strikeOf(a) !== strikeOf(b) ? Strategy.Spread : Strategy.Customize;
    }
    if (a.sign !== b.sign) return Strategy.Customize;
    return strikeOf(a) === strikeOf(b) ? Strategy.Straddle : Strategy.Strangle;
  }
  if (!oneExpiry) return Strategy.Customize;
  if (opts.length === 3 && (calls.length === 3 || puts.length === 3)) {
    const [low, mid, high] = byStrike;
    const wings = strikeOf(mid) - strikeOf(low) === strikeOf(high) - strikeOf(mid) && strikeOf(mid) > strikeOf(low);
    if (
      wings && low.sign === high.sign && mid.sign === -low.sign && low.ratio === high.ratio &&
      mid.ratio === 2 * low.ratio
    ) return Strategy.Butterfly;
    return Strategy.Customize;
  }
  if (opts.length === 4 && same(opts.map((l) => l.ratio))) {
    const [k1, k2, k3, k4] = byStrike.map(strikeOf);
    const signs = byStrike.map((l) => l.sign).join();
    const outerIn = signs === "1,-1,-1,1" || signs === "-1,1,1,-1";
    if ((calls.length === 4 || puts.length === 4) && outerIn && k1 < k2 && k2 < k3 && k3 < k4) return Strategy.Condor;
    if (calls.length === 2 && puts.length === 2) {
      const putStrikes = puts.map(strikeOf).sort((x, y) => x - y);
      const callStrikes = calls.map(strikeOf).sort((x, y) => x - y);
      const shortsIn = puts.find((l) => strikeOf(l) === putStrikes[1])!.sign ===
          calls.find((l) => strikeOf(l) === callStrikes[0])!.sign &&
        puts.find((l) => strikeOf(l) === putStrikes[0])!.sign ===
          calls.find((l) => strikeOf(l) === callStrikes[1])!.sign &&
        putStrikes[0] < putStrikes[1] && callStrikes[0] < callStrikes[1];
      if (shortsIn && putStrikes[1] === callStrikes[0]) return Strategy.IronButterfly;
      if (shortsIn && putStrikes[1] < callStrikes[0]) return Strategy.IronCondor;
    }
  }
  return Strategy.Customize;
}

const NAMES: Readonly<Record<number, string>> = {
  [Strategy.SingleOption]: "Single Option",
  [Strategy.Covered]: "Covered",
  [Strategy.Spread]: "Vertical Spread",
  [Strategy.Straddle]: "Straddle",
  [Strategy.Strangle]: "Strangle",
  [Strategy.Collar]: "Collar",
  [Strategy.Butterfly]: "Butterfly",
  [Strategy.Condor]: "Condor",
  [Strategy.IronButterfly]: "Iron Butterfly",
  [Strategy.IronCondor]: "Iron Condor",
  [Strategy.CalendarSpread]: "Calendar Spread",
  [Strategy.DiagonalSpread]: "Diagonal Spread",
  [Strategy.Customize]: "Custom Strategy",
};

/** A readable name: direction and type, root, expiries and strikes ("Bull Call Spread AAPL 2026-12-18 230/235"). */
export function nameOf(legs: readonly Leg[], type: number): string {
  const opts = options(legs);
  const first = opts[0];
  const kind = first.security.callPut === "CALL" ? "Call" : "Put";
  let label = NAMES[type] ?? NAMES[Strategy.Customize];
  if (type === Strategy.SingleOption) label = `${first.sign > 0 ? "Long" : "Short"} ${kind}`;
  if (type === Strategy.Covered) label = `Covered ${kind}`;
  if (type === Strategy.Spread) {
    const low = [...opts].sort((a, b) => strikeOf(a) - strikeOf(b))[0];
    // Buying the lower strike is bullish for calls (a debit) and for puts (a credit).
    const bull = low.sign > 0;
    label = `${bull ? "Bull" : "Bear"} ${kind} Spread`;
  }
  if (type === Strategy.Straddle || type === Strategy.Strangle) label = `${first.sign > 0 ? "Long" : "Short"} ${label}`;
  if ([Strategy.Butterfly, Strategy.Condor, Strategy.CalendarSpread, Strategy.DiagonalSpread].includes(type as 9)) {
    label = `${kind} ${label}`;
  }
  const root = first.security.underlying!.split(".")[1];
  const expiries = [...new Set(opts.map((l) => l.security.expiry!))].sort().join("/");
  const strikes = [...new Set(opts.map(strikeOf))].sort((a, b) => a - b).join("/");
  return `${label} ${root} ${expiries} ${strikes}`;
}

/** The analysis of a combination at now. */
export interface StrategyAnalysis {
  code: string;
  name: string;
  type: number;
  /** Per share of one contract: the combination's net price, bid and ask (positive: a debit). */
  price: number;
  bid: number;
  ask: number;
  /** Money per one combination. */
  netDebit: number;
  maxProfit: number;
  maxLoss: number;
  breakevens: number[];
  /** Percent. */
  probabilityOfProfit: number;
  /** Share-equivalent delta; theta in money per day. */
  delta: number;
  theta: number;
  /** Per-share greeks of the combination (sum of leg greeks × ratio × multiplier ÷ contract size). */
  perShare: { delta: number; gamma: number; vega: number; theta: number; rho: number };
  spot: number;
  contractSize: number;
}

/** Black–Scholes value of an option with `years` left at the underlying price `spot` (its intrinsic value at expiry). */
function valueAt(option: SimSecurity, spot: number, years: number): number {
  const k = option.strike!;
  const intrinsic = Math.max(0, option.callPut === "CALL" ? spot - k : k - spot);
  if (years <= 0 || spot <= 0) return intrinsic;
  const v = option.volatility;
  const d1 = (Math.log(spot / k) + (RISK_FREE_RATE + v * v / 2) * years) / (v * Math.sqrt(years));
  const d2 = d1 - v * Math.sqrt(years);
  const discount = k * Math.exp(-RISK_FREE_RATE * years);
  return option.callPut === "CALL"
    ? spot * normalCdf(d1) - discount * normalCdf(d2)
    : discount * normalCdf(-d2) - spot * normalCdf(-d1);
}

/** The analysis of legs from their simulated prices (see the module documentation). */
export function analyse(market: MarketData, legs: readonly Leg[]): StrategyAnalysis {
  const now = market.clock.now();
  const opts = options(legs);
  const underlying = market.underlyingOf(opts[0].security);
  const spot = market.currentPrice(underlying);
  const contractSize = opts[0].security.contractSize ?? 100;
  const stockBook = market.orderBook(underlying, 1);
  const horizonMs = Math.min(...opts.map((l) => Date.parse(`${l.security.expiry}T16:00:00Z`)));
  const horizonYears = Math.max(0, horizonMs - now) / (525_600 * 60_000);
  const multiplier = (l: Leg) => l.security.kind === "option" ? l.security.contractSize ?? 100 : 1;
  let cost = 0;
  let bid = 0;
  let ask = 0;
  let delta = 0;
  let theta = 0;
  const perShare = { delta: 0, gamma: 0, vega: 0, theta: 0, rho: 0 };
  for (const l of legs) {
    const m = l.sign * l.ratio * multiplier(l);
    if (l.security.kind === "option") {
      const f = figuresOf(market, l.security);
      cost += m * f.metrics.price;
      bid += m * (l.sign > 0 ? f.bid : f.ask);
      ask += m * (l.sign > 0 ? f.ask : f.bid);
      delta += m * f.metrics.value.delta;
      theta += m * f.metrics.value.theta;
      for (const g of ["delta", "gamma", "vega", "theta", "rho"] as const) perShare[g] += m * f.metrics.value[g];
    } else {
      cost += m * spot;
      bid += m * (l.sign > 0 ? stockBook.bids[0]?.price ?? spot : stockBook.asks[0]?.price ?? spot);
      ask += m * (l.sign > 0 ? stockBook.asks[0]?.price ?? spot : stockBook.bids[0]?.price ?? spot);
      delta += m;
      perShare.delta += m;
    }
  }
  const pnl = (s: number) => {
    let value = 0;
    for (const l of legs) {
      const m = l.sign * l.ratio * multiplier(l);
      if (l.security.kind !== "option") value += m * s;
      else {
        const left = Math.max(0, Date.parse(`${l.security.expiry}T16:00:00Z`) - horizonMs) / (525_600 * 60_000);
        value += m * valueAt(l.security, s, left);
      }
    }
    return value - cost;
  };
  const strikes = opts.map(strikeOf);
  const top = 4 * Math.max(spot, ...strikes);
  const grid = [...new Set([0, ...strikes, ...Array.from({ length: 400 }, (_, i) => top * (i + 1) / 400)])]
    .sort((a, b) => a - b);
  const values = grid.map(pnl);
  const breakevens: number[] = [];
  for (let i = 1; i < grid.length; i++) {
    const [a, b] = [values[i - 1], values[i]];
    if (a === 0 && i === 1) breakevens.push(grid[0]);
    if ((a < 0 && b >= 0) || (a > 0 && b <= 0)) {
      const x = grid[i - 1] + (grid[i] - grid[i - 1]) * (a / (a - b));
      if (!breakevens.some((e) => Math.abs(e - x) < 1e-6)) breakevens.push(round(x, 3));
    }
  }
  const n = grid.length;
  const slope = (values[n - 1] - values[n - 2]) / (grid[n - 1] - grid[n - 2]);
  const tolerance = 1e-6 * contractSize;
  const best = Math.max(...values);
  const worst = Math.min(...values);
  const atm = atmContract(underlying, localTime(underlying.market, now).day, spot);
  const volatility = atm?.volatility ?? underlying.volatility;
  // The probability mass of the intervals where the combination makes money.
  const above = (x: number) => x <= 0 ? 1 : probabilityAbove(spot, x, horizonYears, volatility);
  let probability = 0;
  for (let i = 1; i < n; i++) {
    const [x0, x1, v0, v1] = [grid[i - 1], grid[i], values[i - 1], values[i]];
    if (v0 <= 0 && v1 <= 0) continue;
    const cross = (v0 > 0) === (v1 > 0) ? undefined : x0 + (x1 - x0) * (v0 / (v0 - v1));
    const from = v0 > 0 ? x0 : cross!;
    const to = v1 > 0 ? x1 : cross!;
    probability += above(from) - above(to);
  }
  if (values[n - 1] > 0) probability += above(grid[n - 1]);
  const type = classify(legs);
  return {
    code: codeOf(legs),
    name: nameOf(legs, type),
    type,
    price: round(cost / contractSize, 3),
    bid: round(bid / contractSize, 3),
    ask: round(ask / contractSize, 3),
    netDebit: round(cost, 2),
    maxProfit: slope > tolerance ? UNBOUNDED : round(Math.max(0, best), 2),
    maxLoss: slope < -tolerance ? UNBOUNDED : round(Math.max(0, -worst), 2),
    breakevens,
    probabilityOfProfit: round(Math.min(100, Math.max(0, probability * 100)), 2),
    delta: round(delta, 3),
    theta: round(theta, 3),
    perShare: {
      delta: round(perShare.delta / contractSize, 3),
      gamma: round(perShare.gamma / contractSize, 3),
      vega: round(perShare.vega / contractSize, 3),
      theta: round(perShare.theta / contractSize, 3),
      rho: round(perShare.rho / contractSize, 3),
    },
    spot,
    contractSize,
  };
}

/** Strike widths the chain offers at an expiry: 1 to 5 strike steps. */
export function widthsOf(underlying: SimSecurity, reference: number): number[] {
  const step = underlying.chain!.strikeStep;
  const strikes = listedStrikes(underlying, reference);
  const range = strikes.length > 1 ? strikes[strikes.length - 1] - strikes[0] : 0;
  return [1, 2, 3, 4, 5].map((n) => round(n * step, 3)).filter((w) => w * 3 <= range);
}

/** What a strategy listing asks for. */
export interface StrategyQuery {
  underlying: SimSecurity;
  type: number;
  near: { day: number; date: string }[];
  /** The far expiry of calendars and diagonals per near expiry. */
  far: (near: number) => number | undefined;
  widths: number[];
  callPut: ("CALL" | "PUT")[];
  strikes: number[];
}

/** The combinations of one type a chain offers (their legs). */
export function strategiesOf(q: StrategyQuery): Leg[][] {
  const u = q.underlying;
  const cs = u.chain!.contractSize;
  const out: Leg[][] = [];
  const leg = (day: number, cp: "CALL" | "PUT", k: number, sign: 1 | -1, ratio = 1): Leg | undefined => {
    if (!q.strikes.some((s) => Math.abs(s - k) < 1e-9)) return undefined;
    const security = contractAt(u, day, cp, k);
    return security ? { security, sign, ratio } : undefined;
  };
  const stock = (sign: 1 | -1): Leg => ({ security: u, sign, ratio: cs });
  const push = (...legs: (Leg | undefined)[]) => {
    if (legs.every((l) => l !== undefined)) out.push(legs as Leg[]);
  };
  for (const { day } of q.near) {
    for (const k of q.strikes) {
      for (const cp of q.callPut) {
        switch (q.type) {
          case Strategy.SingleOption:
            push(leg(day, cp, k, 1));
            break;
          case Strategy.Covered:
            push(stock(cp === "CALL" ? 1 : -1), leg(day, cp, k, -1));
            break;
          case Strategy.Spread:
            for (const w of q.widths) {
              push(
                ...(cp === "CALL"
                  ? [leg(day, cp, k, 1), leg(day, cp, k + w, -1)]
                  : [leg(day, cp, k + w, 1), leg(day, cp, k, -1)]),
              );
            }
            break;
          case Strategy.Butterfly:
            for (const w of q.widths) push(leg(day, cp, k - w, 1), leg(day, cp, k, -1, 2), leg(day, cp, k + w, 1));
            break;
          case Strategy.Condor:
            for (const w of q.widths) {
              push(
                leg(day, cp, k, 1),
                leg(day, cp, k + w, -1),
                leg(day, cp, k + 2 * w, -1),
                leg(day, cp, k + 3 * w, 1),
              );
            }
            break;
          case Strategy.CalendarSpread:
          case Strategy.DiagonalSpread: {
            const far = q.far(day);
            if (far === undefined) break;
            const widths = q.type === Strategy.CalendarSpread ? [0] : q.widths;
            for (const w of widths) push(leg(day, cp, k, -1), leg(far, cp, cp === "CALL" ? k + w : k - w, 1));
            break;
          }
        }
      }
      switch (q.type) {
        case Strategy.Straddle:
          push(leg(day, "CALL", k, 1), leg(day, "PUT", k, 1));
          break;
        case Strategy.Strangle:
          for (const w of q.widths) push(leg(day, "PUT", k, 1), leg(day, "CALL", k + w, 1));
          break;
        case Strategy.Collar:
          for (const w of q.widths) push(stock(1), leg(day, "PUT", k, 1), leg(day, "CALL", k + w, -1));
          break;
        case Strategy.IronButterfly:
          for (const w of q.widths) {
            push(
              leg(day, "PUT", k - w, 1),
              leg(day, "PUT", k, -1),
              leg(day, "CALL", k, -1),
              leg(day, "CALL", k + w, 1),
            );
          }
          break;
        case Strategy.IronCondor:
          for (const w of q.widths) {
            push(
              leg(day, "PUT", k, 1),
              leg(day, "PUT", k + w, -1),
              leg(day, "CALL", k + 2 * w, -1),
              leg(day, "CALL", k + 3 * w, 1),
            );
          }
          break;
      }
    }
  }
  return out;
}

/** Strategy types a listing can build (all but Unknown and Customize). */
export const LISTABLE: ReadonlySet<number> = new Set(
  Object.values(Strategy).filter((v) => v !== Strategy.Unknown && v !== Strategy.Customize),
);

/** Strategy types Qot_GetOptionStrategySpread answers. */
export const WITH_SPREADS: ReadonlySet<number> = new Set([
  Strategy.Spread,
  Strategy.Strangle,
  Strategy.Collar,
  Strategy.Butterfly,
  Strategy.Condor,
  Strategy.IronButterfly,
  Strategy.IronCondor,
  Strategy.DiagonalSpread,
]);
