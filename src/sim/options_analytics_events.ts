/**
 * Unusual option activity and its alerts (private to src/sim).
 *
 * Events are generated block trades on the modelled contracts: per
 * underlying and trading day a seeded number of them (15–30), each at a
 * seeded minute of the day's sessions (an event shows once the clock has
 * passed it), on a contract of one of the two nearest expiries with a strike
 * within ±10 % of the previous close. Everything else is the market model at
 * the fill instant: the contract's Black–Scholes price and greeks at the
 * underlying's simulated price, its IV, its open interest, the day's volume
 * of its own prints, the underlying's next earnings report, its corporate
 * actions within 90 days, and the plates that hold it. Size, side, order
 * type and strategy are seeded; sentiment follows from side and type (buying
 * calls or selling puts is bullish). The block trades are not in the
 * contracts' tick streams.
 *
 * Alerts are the simulated user's, one book per simulated OpenD (like the
 * price reminders of `watchlist_book.ts`): added, modified, enabled,
 * disabled and deleted by key, listed newest first. As the clock passes an
 * event that an enabled alert matches (an event after the alert was added,
 * modified or enabled), the server's push tick ({@link fireOptionEventAlerts})
 * sends Qot_UpdateOptionEvent (owner, option and a message describing the
 * trade, with the alert's note) once per event to every connection that
 * receives notifications, as price reminders go: alerts belong to the user,
 * not to a connection. The event is then in Qot_GetOptionEvent's list.
 *
 * @module
 */
import {
  type Qot_GetOptionEvent_EventItem,
  type Qot_GetOptionEventAlert_EventAlertItem as AlertItem,
  Qot_GetUserSecurityGroup_GroupType as GroupType,
  Qot_OptionCommon_OptionMarket as OptionMarket,
  Qot_SetOptionEventAlert_AlertOpType as Op,
} from "../gateway/proto/messages.ts";
import { formatSymbol, qotMarketOf } from "../gateway/symbols.ts";
import { fail, resolve, round } from "./_handler_common.ts";
import { checkInterval, inInterval } from "./_options_analytics_filters.ts";
import { securityIndex, SIM_PLATES, type SimSecurity } from "./catalog.ts";
import { formatDay, formatInstant, sessionsOn, utcOf } from "./clock.ts";
import { actionsOf } from "./corporate_actions.ts";
import { earningsReports } from "./earnings.ts";
import type { MarketData } from "./market.ts";
import { listedExpiries, listedStrikes, openInterest } from "./option_chains.ts";
import type { SimContext } from "./handlers.ts";
import { contractAt, dayStamp, optionMarketOf, seriesOf, underlyingsOf } from "./options_analytics.ts";
import { sessionOf } from "./options_analytics_contracts.ts";
import { hash32 } from "./_price_model.ts";
import { watchlistBookOf } from "./watchlist_book.ts";
import { securityOf } from "./wire.ts";

/** One generated event with the simulator's own handles on it. */
export interface SimEvent {
  item: Qot_GetOptionEvent_EventItem;
  option: SimSecurity;
  underlying: SimSecurity;
  atMs: number;
  /** Days back from the latest session (0 = that session). */
  age: number;
  marketCap: number;
  /** `CorporateActionType`s of its corporate actions. */
  actionTypes: number[];
}

function uniform(seed: number, a: number, b: number, salt: number): number {
  return hash32(seed, a | 0, b | 0, salt) / 4_294_967_296;
}

/** Corporate action types (`Qot_GetOptionEvent.CorporateActionType`) of one action. */
function actionTypesOf(
  a: { dividend?: number; specialDividend?: number; split?: { base: number; ert: number }; bonus?: unknown },
) {
  const out: number[] = [];
  if (a.dividend) out.push(7);
  if (a.specialDividend) out.push(8);
  if (a.split) out.push(a.split.ert > a.split.base ? 1 : 2);
  if (a.bonus) out.push(3);
  return out;
}

/** The events of an underlying on one trading day of its series, after `afterMs` up to now, newest first. */
function eventsOn(
  market: MarketData,
  underlying: SimSecurity,
  seriesIndex: number,
  age: number,
  afterMs: number,
): SimEvent[] {
  const now = market.clock.now();
  const series = seriesOf(market, underlying).days;
  const { day, previousClose } = series[seriesIndex];
  const minutes = sessionsOn(underlying.market, day).flatMap(([from, to]) =>
    Array.from({ length: to - from }, (_, i) => from + i)
  );
  const expiries = listedExpiries(underlying, day).slice(0, 2);
  const strikes = listedStrikes(underlying, previousClose).filter((k) => Math.abs(k / previousClose - 1) <= 0.1);
  if (minutes.length === 0 || expiries.length === 0 || strikes.length === 0) return [];
  const seed = market.seed;
  const index = securityIndex(underlying);
  const count = 15 + Math.floor(uniform(seed, index, day, 0xe0) * 16);
  const cs = underlying.chain!.contractSize;
  const sharesOutstanding = underlying.sharesOutstanding ?? 0;
  const reports = earningsReports(underlying, formatDay(day), formatDay(day + 120));
  const actions = actionsOf(underlying).filter((a) => Math.abs(a.exDay - day) <= 90);
  const plates = SIM_PLATES.filter((p) => p.constituents.includes(underlying.symbol));
  const out: SimEvent[] = [];
  for (let j = 0; j < count; j++) {
    const u = (salt: number) => uniform(seed, index * 64 + j, day, salt);
    const minute = minutes[Math.floor(u(1) * minutes.length)];
    const atMs = utcOf(underlying.market, day, minute) + Math.floor(u(2) * 60_000);
    if (atMs > now || atMs <= afterMs) continue;
    const expiry = expiries[Math.floor(u(3) * expiries.length)];
    const strike = strikes[Math.floor(u(4) * strikes.length)];
    const callPut = u(5) < 0.55 ? "CALL" : "PUT";
    const option = contractAt(underlying, expiry.day, callPut, strike);
    if (!option) continue;
    const spot = market.priceAt(underlying, atMs);
    const value = market.derivativeValue(option, spot, atMs);
    const price = Math.max(0.01, round(value.price, 2));
    const volume = Math.round((underlying.market === "US" ? 100 : 50) * Math.exp(u(6) * 3.9));
    const side = u(7) < 0.45 ? 1 : u(7) < 0.85 ? 2 : 3;
    const bullish = (callPut === "CALL") === (side === 1);
    const sentiment = side === 3 ? 3 : bullish ? 2 : 1;
    const orderType = u(8) < 0.6 ? 0 : u(8) < 0.85 ? 1 : u(8) < 0.95 ? 4 : 2;
    const oi = openInterest(seed, securityIndex(option), option, spot, atMs);
    const dayVolume = age === 0 ? sessionOf(market, option).volume : Math.round(
      market.bars(option, "K_DAY", utcOf(option.market, day, 0), utcOf(option.market, day, 1439), 1)[0]?.volume ?? 0,
    );
    const totalVolume = Math.max(dayVolume, volume);
    const report = reports[0];
    const item: Qot_GetOptionEvent_EventItem = {
      option: securityOf(option),
      owner: securityOf(underlying),
      symbol: underlying.code,
      fillTime: formatInstant(underlying.market, atMs).slice(0, 19),
      fillTimestamp: atMs / 1000,
      tickerType: side,
      price,
      volume: String(volume),
      turnover: round(price * volume * cs, 2),
      optionType: callPut === "CALL" ? 1 : 2,
      strikePrice: strike,
      strikeTime: expiry.date,
      strikeTimestamp: dayStamp(underlying, expiry.day),
      dte: expiry.day - day,
      underlyingPrice: round(spot, 3),
      otm: round((callPut === "CALL" ? strike / spot - 1 : 1 - strike / spot) * 100, 2),
      bidPrice: round(Math.max(0.01, price - 0.01), 2),
      askPrice: round(price + 0.01, 2),
      iv: round(option.volatility * 100, 3),
      totalVolume: String(totalVolume),
      totalOpenInterest: String(oi),
      voRatio: oi ? round(totalVolume / oi * 100, 2) : undefined,
      delta: round(value.delta, 3),
      gamma: round(value.gamma, 3),
      vega: round(value.vega, 3),
      theta: round(value.theta, 3),
      rho: round(value.rho, 3),
      sentiment,
      orderTypeList: [orderType],
      strategyType: u(9) < 0.85 ? 1 : 2,
      earningsTime: report?.date,
      earningsPubType: report ? (report.session === "BEFORE_OPEN" ? 1 : 2) : undefined,
      corporateActionList: actions.flatMap((a) =>
        actionTypesOf(a).map((actionType) => ({ actionType, actionTime: a.exDate, actionTimestamp: a.exMs / 1000 }))
      ),
      industryPlateList: plates.filter((p) => p.setType === "INDUSTRY").map((p) => ({
        market: qotMarketOf(p.market),
        code: p.code,
      })),
      conceptPlateList: plates.filter((p) => p.setType === "CONCEPT").map((p) => ({
        market: qotMarketOf(p.market),
        code: p.code,
      })),
    };
    out.push({
      item,
      option,
      underlying,
      atMs,
      age,
      marketCap: round(spot * sharesOutstanding, 0),
      actionTypes: actions.flatMap(actionTypesOf),
    });
  }
  return out.sort((a, b) => b.atMs - a.atMs);
}

/** The events of underlyings over the latest `days` sessions (1 = the latest only), after `afterMs`, newest first. */
export function eventsOf(
  market: MarketData,
  underlyings: readonly SimSecurity[],
  days: number,
  afterMs = -Infinity,
): SimEvent[] {
  const out: SimEvent[] = [];
  for (const u of underlyings) {
    const series = seriesOf(market, u).days;
    for (let age = 0; age < days && age < series.length; age++) {
      out.push(...eventsOn(market, u, series.length - 1 - age, age, afterMs));
    }
  }
  return out.sort((a, b) => b.atMs - a.atMs || (a.item.option!.code < b.item.option!.code ? -1 : 1));
}

// ---------------------------------------------------------------- alerts

/** One stored alert: the wire item with its key, when it was made, and the instant it watches from. */
interface StoredAlert {
  item: AlertItem & { key: string; enable: boolean };
  sequence: number;
  /** When it was last added, modified or enabled (market clock): it fires for events after this. */
  sinceMs: number;
}

/** The longest alert note. */
const MAX_NOTE = 20;
/** Most alerts the simulated user keeps. */
const MAX_ALERTS = 500;

/** The simulated user's option event alerts. */
export class OptionAlertBook {
  readonly #alerts = new Map<string, StoredAlert>();
  #sequence = 0;

  /** Alerts, newest first. */
  list(): (AlertItem & { key: string; enable: boolean })[] {
    return [...this.#alerts.values()].sort((a, b) => b.sequence - a.sequence).map((a) => a.item);
  }

  /** Enabled alerts, newest first, with the instant each watches from. */
  armed(): { item: AlertItem & { key: string; enable: boolean }; sinceMs: number }[] {
    return [...this.#alerts.values()].filter((a) => a.item.enable).sort((a, b) => b.sequence - a.sequence)
      .map(({ item, sinceMs }) => ({ item, sinceMs }));
  }

  /** Applies one `AlertOpType` to items. */
  apply(market: MarketData, op: number, items: readonly AlertItem[]): void {
    const now = market.clock.now();
    switch (op) {
      case Op.Add: {
        if (items.length === 0) fail("alertList must hold the alerts to add");
        if (this.#alerts.size + items.length > MAX_ALERTS) fail(`At most ${MAX_ALERTS} option event alerts`);
        const checked = items.map((item, i) => {
          if (item.key !== undefined) fail(`alertList[${i}].key must not be set when adding`);
          return checkAlert(market, item, i);
        });
        for (const item of checked) {
          const sequence = ++this.#sequence;
          const key = String(9_000_000_000 + sequence);
          this.#alerts.set(key, { item: { ...item, key, enable: item.enable ?? true }, sequence, sinceMs: now });
        }
        return;
      }
      case Op.Modify:
        for (const [i, item] of items.entries()) {
          const stored = this.#find(item, i);
          stored.item = {
            ...checkAlert(market, item, i),
            key: stored.item.key,
            enable: item.enable ?? stored.item.enable,
          };
          stored.sinceMs = now;
        }
        return;
      case Op.Delete:
        for (const [i, item] of items.entries()) this.#alerts.delete(this.#find(item, i).item.key);
        return;
      case Op.Enable:
      case Op.Disable:
        for (const [i, item] of items.entries()) {
          const stored = this.#find(item, i);
          if (op === Op.Enable && !stored.item.enable) stored.sinceMs = now;
          stored.item.enable = op === Op.Enable;
        }
        return;
      case Op.DeleteAll:
        this.#alerts.clear();
        return;
      default:
        fail(`Unknown operType ${op}: expected 1 Add, 2 Delete, 3 Modify, 4 Enable, 5 Disable or 6 DeleteAll`);
    }
  }

  #find(item: AlertItem, i: number): StoredAlert {
    if (item.key === undefined) fail(`alertList[${i}].key is required: take it from Qot_GetOptionEventAlert`);
    const stored = this.#alerts.get(String(item.key));
    if (!stored) fail(`alertList[${i}]: no option event alert with key ${item.key}`);
    return stored;
  }
}

/** Checks an alert the way OpenD does; returns it without its key. */
function checkAlert(market: MarketData, item: AlertItem, i: number): AlertItem {
  const at = `alertList[${i}]`;
  const scopes = [item.optionMarket !== undefined, item.watchlistGroupName !== undefined, item.underlying !== undefined]
    .filter(Boolean).length;
  if (scopes !== 1) fail(`${at}: give exactly one of optionMarket, watchlistGroupName and underlying`);
  if (item.optionMarket !== undefined && ![1, 2, 3, 4].includes(item.optionMarket)) {
    fail(`${at}.optionMarket ${item.optionMarket} is not an OptionMarket`);
  }
  if (item.watchlistGroupName !== undefined) {
    const groups = watchlistBookOf(market).groups(GroupType.All).map((g) => g.groupName);
    if (!groups.includes(item.watchlistGroupName)) {
      fail(`${at}.watchlistGroupName ${JSON.stringify(item.watchlistGroupName)} is not a watchlist group`);
    }
  }
  if (item.underlying !== undefined && !resolve(item.underlying).chain) {
    fail(`${at}.underlying ${item.underlying.code} has no listed options`);
  }
  if (item.optionType !== undefined && item.optionType !== 1 && item.optionType !== 2) {
    fail(`${at}.optionType must be 1 (CALL) or 2 (PUT), got ${item.optionType}`);
  }
  for (const side of item.sideTypeList ?? []) {
    if (![1, 2, 3].includes(side)) fail(`${at}.sideTypeList: ${side} is not a TickerType`);
  }
  for (const t of item.orderTypeList ?? []) {
    if (![0, 1, 2, 4].includes(t)) fail(`${at}.orderTypeList: ${t} is not an OptionOrderType`);
  }
  for (
    const name of ["marketCapRange", "expiryDaysRange", "priceRange", "sizeRange", "premiumRange", "ivRange"] as const
  ) {
    checkInterval(item[name], `${at}.${name}`);
  }
  if ((item.earningsDateBegin === undefined) !== (item.earningsDateEnd === undefined)) {
    fail(`${at}: earningsDateBegin and earningsDateEnd are given together`);
  }
  if (item.earningsDateBegin !== undefined) {
    const valid = (d: string) => /^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(Date.parse(`${d}T00:00:00Z`));
    if (!valid(item.earningsDateBegin) || !valid(item.earningsDateEnd!)) {
      fail(`${at}: earnings dates must be "YYYY-MM-DD"`);
    }
    if (item.earningsDateEnd! < item.earningsDateBegin) fail(`${at}: earningsDateEnd is before earningsDateBegin`);
  }
  if (item.note !== undefined && [...item.note].length > MAX_NOTE) {
    fail(`${at}.note is longer than ${MAX_NOTE} characters`);
  }
  const { key: _key, ...rest } = item;
  return rest;
}

/** Whether an event meets an alert's conditions. */
export function alertMatches(market: MarketData, alert: AlertItem, event: SimEvent): boolean {
  const e = event.item;
  if (!alert.enable) return false;
  if (alert.optionMarket !== undefined && alert.optionMarket !== optionMarketOf(event.underlying)) return false;
  if (alert.underlying !== undefined && resolve(alert.underlying) !== event.underlying) return false;
  if (alert.watchlistGroupName !== undefined) {
    const members = watchlistBookOf(market).securities(alert.watchlistGroupName);
    if (!members.includes(event.underlying) && !members.includes(event.option)) return false;
  }
  if (alert.optionType !== undefined && alert.optionType !== e.optionType) return false;
  if (alert.sideTypeList?.length && !alert.sideTypeList.includes(e.tickerType!)) return false;
  if (alert.orderTypeList?.length && !e.orderTypeList!.some((t) => alert.orderTypeList!.includes(t))) return false;
  if (!inInterval(event.marketCap, alert.marketCapRange)) return false;
  if (!inInterval(e.dte, alert.expiryDaysRange)) return false;
  if (!inInterval(e.price, alert.priceRange)) return false;
  if (!inInterval(Number(e.volume), alert.sizeRange)) return false;
  if (!inInterval(e.turnover, alert.premiumRange)) return false;
  if (!inInterval(e.iv, alert.ivRange)) return false;
  if (alert.earningsDateBegin !== undefined) {
    if (!e.earningsTime || e.earningsTime < alert.earningsDateBegin || e.earningsTime > alert.earningsDateEnd!) {
      return false;
    }
  }
  return true;
}

const BOOKS = new WeakMap<MarketData, OptionAlertBook>();

/** The alert book of one simulated OpenD (keyed by its market, which lives as long as it does). */
export function alertBookOf(market: MarketData): OptionAlertBook {
  let book = BOOKS.get(market);
  if (!book) BOOKS.set(market, book = new OptionAlertBook());
  return book;
}

// ---------------------------------------------------------------- pushes

/** The instant up to which events were looked at, per simulated OpenD. */
const WATERMARKS = new WeakMap<MarketData, number>();
const TICKER_TYPES: Readonly<Record<number, string>> = { 1: "bought", 2: "sold", 3: "traded" };
const ORDER_TYPES: Readonly<Record<number, string>> = { 0: "normal", 1: "sweep", 2: "cross", 4: "floor" };

/** The push message of an event: the trade in one line, the alert's note first. */
function messageOf(event: SimEvent, alert: AlertItem): string {
  const e = event.item;
  const callPut = e.optionType === 1 ? "CALL" : "PUT";
  const trade = `${formatSymbol(e.owner!)} ${e.strikeTime} ${e.strikePrice} ${callPut} (${formatSymbol(e.option!)}): ` +
    `${e.volume} contracts ${TICKER_TYPES[e.tickerType!]} at ${e.price}, premium ${e.turnover!.toFixed(2)}, ` +
    `${e.orderTypeList!.map((t) => ORDER_TYPES[t]).join("/")} order, ${e.fillTime}`;
  return alert.note ? `[${alert.note}] ${trade}` : trade;
}

/**
 * The option event hook of the server's push tick: each event the clock passed since the last call that an
 * enabled alert matches, oldest first, pushed once (with the newest matching alert's note) to every connection
 * that receives notifications. Events of the latest two sessions only, so a jump of days pushes no backlog.
 */
export function fireOptionEventAlerts(ctx: SimContext): void {
  const market = ctx.market;
  const now = market.clock.now();
  const since = WATERMARKS.get(market);
  WATERMARKS.set(market, now);
  if (since !== undefined && now <= since) return;
  const alerts = BOOKS.get(market)?.armed() ?? [];
  if (alerts.length === 0) return;
  const after = Math.max(since ?? -Infinity, Math.min(...alerts.map((a) => a.sinceMs)));
  if (after >= now) return;
  const underlyings = [...underlyingsOf(OptionMarket.US_Security), ...underlyingsOf(OptionMarket.HK_Security)];
  const passed = eventsOf(market, underlyings, 2, after)
    .sort((a, b) => a.atMs - b.atMs || (a.item.option!.code < b.item.option!.code ? -1 : 1));
  for (const event of passed) {
    const alert = alerts.find((a) => event.atMs > a.sinceMs && alertMatches(market, a.item, event));
    if (!alert) continue;
    const s2c = { owner: event.item.owner, option: event.item.option, message: messageOf(event, alert.item) };
    for (const session of ctx.sessions) if (session.recvNotify) session.push("Qot_UpdateOptionEvent", s2c);
  }
}
