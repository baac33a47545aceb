/**
 * The simulated user's watchlist and price reminders. They live at the broker:
 * one book per simulated OpenD, shared by its connections and kept across a
 * restart. The watchlist is the "All" list plus named custom groups; the
 * other system groups are views of "All" by market and kind. Reminders are
 * checked against the market model on each tick and report what fired.
 *
 * @module
 */
import { localTime, marketPhase, type SimMarket } from "./clock.ts";
import { SIM_SECURITIES, type SimSecurity } from "./catalog.ts";
import type { MarketData } from "./market.ts";
import { SimRuleError } from "./subscriptions.ts";
import {
  Qot_Common_PriceReminderFreq as Freq,
  Qot_Common_PriceReminderMarketStatus as Session,
  Qot_Common_PriceReminderType as Type,
  Qot_GetUserSecurityGroup_GroupType as GroupType,
} from "../gateway/proto/messages.ts";

/** A system group: its name and which watchlist securities it shows. */
const SYSTEM_GROUPS: readonly { name: string; holds: (s: SimSecurity) => boolean }[] = [
  { name: "All", holds: () => true },
  { name: "HK", holds: (s) => s.market === "HK" && s.kind !== "option" },
  { name: "US", holds: (s) => s.market === "US" && s.kind !== "option" },
  { name: "CN", holds: (s) => (s.market === "SH" || s.market === "SZ") && s.kind !== "option" },
  { name: "Options", holds: (s) => s.kind === "option" },
];

/** What a new simulated user has: a few custom groups, and two securities only in "All". */
const INITIAL_GROUPS: readonly [string, readonly string[]][] = [
  ["Tech", ["US.AAPL", "US.NVDA", "HK.00700"]],
  ["HK Blue Chips", ["HK.00700", "HK.09988"]],
];
const INITIAL_ALL_ONLY = ["US.TSLA", "SH.600519"];

/** The longest reminder note OpenD keeps. */
const MAX_NOTE = 20;

/** One price reminder, wire enums as numbers. */
export interface SimReminder {
  key: string;
  type: number;
  value: number;
  note: string;
  freq: number;
  enabled: boolean;
  sessions: number[];
  /** False after an ALWAYS reminder fired, until its condition stops holding. */
  armed: boolean;
  /** Market-local day a ONCE_A_DAY reminder last fired. */
  firedDay?: number;
}

/** A reminder that fired, with the values it saw. */
export interface FiredReminder {
  security: SimSecurity;
  reminder: SimReminder;
  price: number;
  changeRate: number;
  session: number;
  curValue: number;
  content: string;
}

/** A reminder change as the wire gives it (enums as numbers). */
export interface ReminderFields {
  type?: number;
  value?: number;
  freq?: number;
  note?: string;
  sessions?: number[];
}

/** What each reminder type measures, how it compares, and how OpenD words it. */
const MEASURES: Record<number, { label: string; unit: string; test: (cur: number, set: number) => boolean }> = {
  [Type.PriceUp]: { label: "Price rose to", unit: "", test: (c, v) => c >= v },
  [Type.PriceDown]: { label: "Price fell to", unit: "", test: (c, v) => c <= v },
  [Type.ChangeRateUp]: { label: "Day rise above", unit: "%", test: (c, v) => c >= v },
  [Type.ChangeRateDown]: { label: "Day fall above", unit: "%", test: (c, v) => -c >= v },
  [Type["5MinChangeRateUp"]]: { label: "5-min rise above", unit: "%", test: (c, v) => c >= v },
  [Type["5MinChangeRateDown"]]: { label: "5-min fall above", unit: "%", test: (c, v) => -c >= v },
  [Type["3MinChangeRateUp"]]: { label: "3-min rise above", unit: "%", test: (c, v) => c >= v },
  [Type["3MinChangeRateDown"]]: { label: "3-min fall above", unit: "%", test: (c, v) => -c >= v },
  [Type.VolumeUp]: { label: "Volume above", unit: "", test: (c, v) => c >= v },
  [Type.TurnoverUp]: { label: "Turnover above", unit: "", test: (c, v) => c >= v },
  [Type.TurnoverRateUp]: { label: "Turnover rate above", unit: "%", test: (c, v) => c >= v },
  [Type.BidPriceUp]: { label: "Bid price above", unit: "", test: (c, v) => c > v },
  [Type.AskPriceDown]: { label: "Ask price below", unit: "", test: (c, v) => c < v },
  [Type.BidVolUp]: { label: "Bid volume above", unit: "", test: (c, v) => c > v },
  [Type.AskVolUp]: { label: "Ask volume above", unit: "", test: (c, v) => c > v },
};

const FREQS: ReadonlySet<number> = new Set([Freq.Always, Freq.OnceADay, Freq.OnlyOnce]);
const SESSIONS: ReadonlySet<number> = new Set([Session.Open, Session.USPre, Session.USAfter, Session.USOverNight]);

function isAShare(security: SimSecurity): boolean {
  return security.market === "SH" || security.market === "SZ";
}

function floorTo(value: number, step: number): number {
  return Math.floor(value / step + 1e-9) * step;
}

/** The value OpenD stores: 3 decimals, and the coarser steps of turnover and volume it documents. */
function storedValue(security: SimSecurity, type: number, value: number): number {
  if (type === Type.TurnoverUp) return floorTo(value, 10);
  if (type === Type.VolumeUp) {
    if (security.kind === "option") return Math.round(floorTo(value, 0.001) * 1000) / 1000;
    return floorTo(value, isAShare(security) ? 1000 : 10);
  }
  if ((type === Type.BidVolUp || type === Type.AskVolUp) && isAShare(security)) return floorTo(value, 100);
  return Math.round(floorTo(value, 0.001) * 1000) / 1000;
}

/** The session a market is in for reminders, or undefined when none is running. */
function sessionNow(market: SimMarket, ms: number): number | undefined {
  const phase = marketPhase(market, ms);
  if (phase.trading) return Session.Open;
  if (market !== "US") return undefined;
  if (phase.state === "PRE_MARKET_BEGIN") return Session.USPre;
  if (phase.state === "AFTER_HOURS_BEGIN") return Session.USAfter;
  return undefined;
}

function fail(message: string): never {
  throw new SimRuleError(message);
}

/** See the module documentation. */
export class WatchlistBook {
  /** "All", in the order securities were added. */
  readonly #all: SimSecurity[] = [];
  readonly #custom = new Map<string, SimSecurity[]>();
  readonly #reminders = new Map<SimSecurity, SimReminder[]>();
  readonly #clock: () => number;
  #sequence = 0;

  constructor(clock: () => number) {
    this.#clock = clock;
    const bySymbol = (symbol: string) => SIM_SECURITIES.find((s) => s.symbol === symbol)!;
    for (const [name, symbols] of INITIAL_GROUPS) {
      this.#custom.set(name, []);
      this.add(name, symbols.map(bySymbol));
    }
    for (const symbol of INITIAL_ALL_ONLY) this.#all.push(bySymbol(symbol));
  }

  /** Group names and wire types, system groups first. */
  groups(groupType: number): { groupName: string; groupType: number }[] {
    const system = SYSTEM_GROUPS.map((g) => ({ groupName: g.name, groupType: GroupType.System }));
    const custom = [...this.#custom.keys()].map((name) => ({ groupName: name, groupType: GroupType.Custom }));
    if (groupType === GroupType.System) return system;
    if (groupType === GroupType.Custom) return custom;
    if (groupType === GroupType.All) return [...system, ...custom];
    return fail(`Unknown groupType ${groupType}`);
  }

  /** The securities of a group. */
  securities(group: string): SimSecurity[] {
    const system = SYSTEM_GROUPS.find((g) => g.name === group);
    if (system) return this.#all.filter(system.holds);
    return [...this.#customGroup(group)];
  }

  /** Adds to a custom group (and so to "All"). */
  add(group: string, securities: SimSecurity[]): void {
    const list = this.#customGroup(group);
    for (const security of securities) {
      if (!list.includes(security)) list.push(security);
      if (!this.#all.includes(security)) this.#all.push(security);
    }
  }

  /** Deletes from the watchlist: from "All" and every group. The group named must exist and be custom. */
  delete(group: string, securities: SimSecurity[]): void {
    this.#customGroup(group);
    const drop = (list: SimSecurity[]) => {
      for (const security of securities) {
        const at = list.indexOf(security);
        if (at >= 0) list.splice(at, 1);
      }
    };
    drop(this.#all);
    for (const list of this.#custom.values()) drop(list);
  }

  /** Takes securities out of one custom group; they stay in "All". */
  moveOut(group: string, securities: SimSecurity[]): void {
    const list = this.#customGroup(group);
    for (const security of securities) {
      const at = list.indexOf(security);
      if (at >= 0) list.splice(at, 1);
    }
  }

  #isSystem(group: string): boolean {
    return SYSTEM_GROUPS.some((g) => g.name === group);
  }

  /** A custom group's list; system groups and unknown names fail as OpenD does. */
  #customGroup(group: string): SimSecurity[] {
    if (this.#isSystem(group)) fail(`System group "${group}" cannot be modified`);
    const list = this.#custom.get(group);
    if (!list) fail(`Group "${group}" does not exist`);
    return list;
  }

  /** The reminders of a security. */
  remindersOf(security: SimSecurity): readonly SimReminder[] {
    return this.#reminders.get(security) ?? [];
  }

  /** Securities that have reminders, in catalog order. */
  withReminders(): SimSecurity[] {
    return SIM_SECURITIES.filter((s) => (this.#reminders.get(s)?.length ?? 0) > 0);
  }

  /** Adds a reminder; returns its key. */
  addReminder(security: SimSecurity, fields: ReminderFields): string {
    if (fields.type === undefined) fail("type is required to add a price reminder");
    if (fields.value === undefined) fail("value is required to add a price reminder");
    if (fields.freq === undefined) fail("freq is required to add a price reminder");
    const reminder: SimReminder = {
      key: this.#nextKey(),
      type: 0,
      value: 0,
      note: "",
      freq: 0,
      enabled: true,
      sessions: [],
      armed: true,
    };
    this.#apply(security, reminder, fields);
    const list = this.#reminders.get(security) ?? [];
    list.push(reminder);
    this.#reminders.set(security, list);
    return reminder.key;
  }

  /** Changes the fields given of a reminder, and arms it again. */
  modifyReminder(security: SimSecurity, key: string | undefined, fields: ReminderFields): void {
    this.#apply(security, this.#reminder(security, key), fields);
  }

  /** Enables or disables a reminder. */
  enableReminder(security: SimSecurity, key: string | undefined, enabled: boolean): void {
    const reminder = this.#reminder(security, key);
    reminder.enabled = enabled;
    reminder.armed = true;
    reminder.firedDay = undefined;
  }

  /** Deletes one reminder, or (no key) all of the security's. */
  deleteReminder(security: SimSecurity, key: string | undefined, all = false): void {
    if (all) {
      this.#reminders.delete(security);
      return;
    }
    const reminder = this.#reminder(security, key);
    const list = this.#reminders.get(security)!;
    list.splice(list.indexOf(reminder), 1);
    if (list.length === 0) this.#reminders.delete(security);
  }

  #reminder(security: SimSecurity, key: string | undefined): SimReminder {
    if (key === undefined || key === "0") fail("key is required: get it from Qot_GetPriceReminder");
    const found = this.#reminders.get(security)?.find((r) => r.key === key);
    if (!found) fail(`Price reminder ${key} does not exist for ${security.symbol}`);
    return found;
  }

  #apply(security: SimSecurity, reminder: SimReminder, fields: ReminderFields): void {
    const type = fields.type ?? reminder.type;
    if (!(type in MEASURES)) fail(`Unknown price reminder type ${type}`);
    const freq = fields.freq ?? reminder.freq;
    if (!FREQS.has(freq)) fail(`Unknown price reminder freq ${freq}`);
    const value = fields.value ?? reminder.value;
    if (!Number.isFinite(value) || value < 0) fail(`Invalid price reminder value ${value}`);
    const note = fields.note ?? reminder.note;
    if ([...note].length > MAX_NOTE) fail(`note is longer than ${MAX_NOTE} characters`);
    let sessions = fields.sessions ?? reminder.sessions;
    for (const s of sessions) if (!SESSIONS.has(s)) fail(`Unknown reminder session ${s}`);
    // Sessions apply to US securities (default: regular hours plus pre- and after-market); others have one.
    if (security.market !== "US") sessions = [Session.Open];
    else if (sessions.length === 0) sessions = [Session.Open, Session.USPre, Session.USAfter];
    Object.assign(reminder, {
      type,
      freq,
      value: storedValue(security, type, value),
      note,
      sessions: [...new Set(sessions)],
      armed: true,
      firedDay: undefined,
    });
  }

  /** Keys like OpenD's: 19 digits (above 2^53), unique in this book. */
  #nextKey(): string {
    this.#sequence++;
    return (BigInt(Math.floor(this.#clock())) * 1_000_000n + BigInt(this.#sequence)).toString();
  }

  /** Checks every enabled reminder against the market now; returns what fired (and updates their state). */
  check(market: MarketData): FiredReminder[] {
    const now = market.clock.now();
    const fired: FiredReminder[] = [];
    for (const [security, list] of this.#reminders) {
      const session = sessionNow(security.market, now);
      if (session === undefined) continue;
      const price = market.priceAt(security, now);
      const lastClose = market.previousClose(security, now);
      const changeRate = lastClose > 0 ? (price - lastClose) / lastClose * 100 : 0;
      const current = (type: number): number => {
        const rateOver = (minutes: number) => {
          const base = market.priceAt(security, now - minutes * 60_000);
          return base > 0 ? (price - base) / base * 100 : 0;
        };
        switch (type) {
          case Type.PriceUp:
          case Type.PriceDown:
            return price;
          case Type.ChangeRateUp:
          case Type.ChangeRateDown:
            return changeRate;
          case Type["5MinChangeRateUp"]:
          case Type["5MinChangeRateDown"]:
            return rateOver(5);
          case Type["3MinChangeRateUp"]:
          case Type["3MinChangeRateDown"]:
            return rateOver(3);
          case Type.VolumeUp:
            return market.sessionSummary(security, now).volume;
          case Type.TurnoverUp:
            return market.sessionSummary(security, now).turnover;
          case Type.TurnoverRateUp:
            return security.sharesOutstanding
              ? market.sessionSummary(security, now).volume / security.sharesOutstanding * 100
              : 0;
          default: {
            const book = market.orderBook(security, 1);
            if (type === Type.BidPriceUp) return book.bids[0]?.price ?? 0;
            if (type === Type.AskPriceDown) return book.asks[0]?.price ?? Infinity;
            if (type === Type.BidVolUp) return book.bids[0]?.volume ?? 0;
            return book.asks[0]?.volume ?? 0;
          }
        }
      };
      const today = localTime(security.market, now).day;
      for (const reminder of list) {
        if (!reminder.enabled || !reminder.sessions.includes(session)) continue;
        const measure = MEASURES[reminder.type];
        const value = current(reminder.type);
        if (!measure.test(value, reminder.value)) {
          reminder.armed = true;
          continue;
        }
        if (!reminder.armed || (reminder.freq === Freq.OnceADay && reminder.firedDay === today)) continue;
        reminder.armed = false;
        reminder.firedDay = today;
        if (reminder.freq === Freq.OnlyOnce) reminder.enabled = false;
        fired.push({
          security,
          reminder,
          price,
          changeRate: Math.round(changeRate * 1000) / 1000,
          session,
          curValue: Math.round(value * 1000) / 1000,
          content: `${measure.label} ${reminder.value.toFixed(3)}${measure.unit}`,
        });
      }
    }
    return fired;
  }
}

const BOOKS = new WeakMap<object, WatchlistBook>();

/** The book of one simulated OpenD (keyed by its market, which lives as long as it does). */
export function watchlistBookOf(market: MarketData): WatchlistBook {
  let book = BOOKS.get(market);
  if (!book) BOOKS.set(market, book = new WatchlistBook(() => market.clock.now()));
  return book;
}
