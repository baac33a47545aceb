/**
 * Per-key trading limits, checked in upstream's order — account whitelist,
 * market, symbol, side, hours window, per-order value, orders per minute,
 * daily value — plus a price collar. Usage is reserved while a write is in
 * flight (so concurrent orders cannot both slip under a cap) and committed
 * only when OpenD accepted it (or may have: an unknown outcome counts).
 *
 * Modify and cancel follow upstream: no symbol or side check; cancel, disable,
 * enable and delete add no value; a price/quantity change adds only the
 * increase of the order's value to the daily total.
 *
 * @module
 */
import type { TradeTarget, TrdMarketName, TrdSideName } from "../gateway/types.ts";
import type { KeyLimits } from "./keys.ts";
import { type UsageStore, utcDay } from "./usage_store.ts";
import type { LimitUse, WriteReservation } from "../tools/guard.ts";

/** Why a limit refused a write (the metric's `reason` label). */
export type LimitReason =
  | "account"
  | "market"
  | "symbol"
  | "side"
  | "hours"
  | "per_order"
  | "collar"
  | "rate"
  | "daily"
  | "other";

/** A write refused by a limit. */
export class LimitViolation extends Error {
  override name = "LimitViolation";
  constructor(readonly reason: LimitReason, message: string) {
    super(`limit: ${message}`);
  }
}

/** A write, as the limits see it. */
export interface LimitedWrite {
  target: TradeTarget;
  /** "place", or the modification op. */
  kind: "place" | "NORMAL" | "CANCEL" | "DISABLE" | "ENABLE" | "DELETE";
  /** Symbol of a new order (modifications skip the symbol whitelist, as upstream). */
  symbol?: string;
  side?: TrdSideName;
  /** Full value of the order after this write, in `currency`. */
  value?: number;
  /** What the write adds to today's total (placement: `value`; modification: the increase). */
  addedValue?: number;
  currency?: string;
  /** Limit price and the last price, for the collar. */
  limitPrice?: number;
  lastPrice?: number;
  /** Every market the write reaches, when more than the target's (cancel-all without a market). */
  markets?: readonly TrdMarketName[];
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number);
  return h * 60 + m;
}

/** Minutes after midnight in a time zone. */
function localMinutes(now: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", hour: "2-digit", minute: "2-digit" })
    .formatToParts(new Date(now));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return get("hour") * 60 + get("minute");
}

/** True when `now` falls in "HH:MM-HH:MM" (start inclusive, end exclusive; may cross midnight). */
export function inHoursWindow(window: string, timeZone: string, now: number): boolean {
  const [from, to] = window.split("-").map(minutesOf);
  const at = localMinutes(now, timeZone);
  return from <= to ? at >= from && at < to : at >= from || at < to;
}

function format(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

/** A write in flight: it counts until committed or released. */
interface Pending {
  at: number;
  value?: number;
  currency?: string;
}

/** A preview of the limits: what the write would use, and the limit that would refuse it. */
export interface LimitCheck {
  use: LimitUse;
  violation?: LimitViolation;
}

/** Checks writes against limits and keeps usage. */
export class LimitEngine {
  readonly #store: UsageStore;
  readonly #defaultTz: string;
  readonly #now: () => number;
  /** Writes in flight, per key: they count until committed or released. */
  readonly #pending = new Map<string, Pending[]>();

  constructor(store: UsageStore, options: { defaultTimeZone?: string; now?: () => number } = {}) {
    this.#store = store;
    this.#defaultTz = options.defaultTimeZone ?? "UTC";
    this.#now = options.now ?? (() => Date.now());
  }

  /**
   * What the write would use of the key's limits now, and the first limit that would refuse it —
   * without reserving anything (a preview). {@link reserve} runs the same checks.
   */
  check(keyId: string, limits: KeyLimits, write: LimitedWrite, accountAllowed: boolean): LimitCheck {
    const { use, violation } = this.#assess(keyId, limits, write, accountAllowed, this.#now());
    return { use, violation };
  }

  /**
   * Runs every check (throws {@link LimitViolation}) and reserves the write.
   * `accountAllowed` decides the account whitelist (it knows card numbers).
   */
  reserve(keyId: string, limits: KeyLimits, write: LimitedWrite, accountAllowed: boolean): WriteReservation {
    const now = this.#now();
    const { violation, added, pending, currency } = this.#assess(keyId, limits, write, accountAllowed, now);
    if (violation) throw violation;
    const entry = { at: now, value: added === undefined ? undefined : Math.max(0, added), currency };
    this.#pending.set(keyId, [...pending, entry]);
    let settled = false;
    const drop = () => {
      const list = this.#pending.get(keyId) ?? [];
      this.#pending.set(keyId, list.filter((p) => p !== entry));
    };
    return {
      commit: async () => {
        if (settled) return;
        settled = true;
        drop();
        await this.#store.commit(keyId, entry.value !== undefined && entry.value > 0 ? entry : { at: entry.at });
      },
      release: () => {
        if (settled) return;
        settled = true;
        drop();
      },
    };
  }

  #assess(keyId: string, limits: KeyLimits, write: LimitedWrite, accountAllowed: boolean, now: number) {
    const pending = (this.#pending.get(keyId) ?? []).filter((p) => p.at > now - 60_000 || p.value !== undefined);
    const noExposure = write.kind !== "place" && write.kind !== "NORMAL";
    const added = noExposure ? undefined : write.addedValue ?? write.value;
    const use = this.#use(keyId, limits, write, now, pending, added);
    try {
      this.#checks(limits, write, accountAllowed, now, use);
      return { use, pending, added, currency: write.currency, violation: undefined };
    } catch (err) {
      if (!(err instanceof LimitViolation)) throw err;
      return { use, pending, added, currency: write.currency, violation: err };
    }
  }

  /** The usage figures a preview shows. */
  #use(
    keyId: string,
    limits: KeyLimits,
    write: LimitedWrite,
    now: number,
    pending: readonly Pending[],
    added: number | undefined,
  ): LimitUse {
    const usage = this.#store.get(keyId, now);
    const use: LimitUse = { value: write.value, currency: write.currency };
    if (limits.maxOrderValue !== undefined) use.perOrderCap = limits.maxOrderValue;
    if (limits.maxOrdersPerMinute !== undefined) {
      use.ordersPerMinuteCap = limits.maxOrdersPerMinute;
      use.ordersLastMinute = usage.orders.filter((t) => t > now - 60_000).length + pending.length;
    }
    if (limits.maxDailyValue !== undefined) {
      use.dailyCap = limits.maxDailyValue;
      if (write.currency !== undefined) {
        const committed = usage.day === utcDay(now) ? usage.values[write.currency] ?? 0 : 0;
        const inFlight = pending.filter((p) => p.currency === write.currency).reduce((s, p) => s + (p.value ?? 0), 0);
        use.dailyUsed = committed + inFlight;
        if (added !== undefined) use.dailyAfter = use.dailyUsed + Math.max(0, added);
      }
    }
    if (limits.priceCollarPct !== undefined) use.collarPct = limits.priceCollarPct;
    if (limits.hoursWindow) use.hoursWindow = `${limits.hoursWindow} (${limits.hoursTz ?? this.#defaultTz})`;
    return use;
  }

  #checks(limits: KeyLimits, write: LimitedWrite, accountAllowed: boolean, now: number, use: LimitUse): void {
    const { target } = write;
    const noExposure = write.kind !== "place" && write.kind !== "NORMAL";
    if (!accountAllowed) {
      throw new LimitViolation("account", `account ${target.accId} is not in this key's allowed accounts`);
    }
    // Every market the write reaches must be allowed: a cancel-all over all markets is refused, not narrowed.
    const outside = [target.market, ...(write.markets ?? [])].find((m) => !limits.allowedMarkets?.includes(m));
    if (limits.allowedMarkets && outside) {
      throw new LimitViolation(
        "market",
        `market ${outside} is not allowed for this key (allowed: ${limits.allowedMarkets.join(", ")})` +
          (write.markets ? "; name a market to act on that one only" : ""),
      );
    }
    if (
      write.kind === "place" && limits.allowedSymbols && write.symbol && !limits.allowedSymbols.includes(write.symbol)
    ) {
      throw new LimitViolation("symbol", `${write.symbol} is not in this key's allowed symbols`);
    }
    if (
      write.kind === "place" && limits.allowedTrdSides && write.side && !limits.allowedTrdSides.includes(write.side)
    ) {
      throw new LimitViolation(
        "side",
        `side ${write.side} is not allowed for this key (allowed: ${limits.allowedTrdSides.join(", ")})`,
      );
    }
    if (limits.hoursWindow) {
      const tz = limits.hoursTz ?? this.#defaultTz;
      if (!inHoursWindow(limits.hoursWindow, tz, now)) {
        throw new LimitViolation("hours", `outside this key's trading hours ${limits.hoursWindow} (${tz})`);
      }
    }
    if (!noExposure) {
      if (write.value !== undefined && !(Number.isFinite(write.value) && write.value >= 0)) {
        throw new LimitViolation("other", `order value ${write.value} is not a finite non-negative number`);
      }
      if (limits.maxOrderValue !== undefined) {
        if (write.value === undefined) {
          throw new LimitViolation(
            "per_order",
            "the order's value cannot be determined, and this key has a per-order cap",
          );
        }
        if (write.value > limits.maxOrderValue) {
          throw new LimitViolation(
            "per_order",
            `order value ${format(write.value)} ${write.currency ?? ""} exceeds this key's per-order cap ${
              format(limits.maxOrderValue)
            }`.replace("  ", " "),
          );
        }
      }
      if (limits.priceCollarPct !== undefined && write.limitPrice !== undefined) {
        if (write.lastPrice === undefined || !(write.lastPrice > 0)) {
          throw new LimitViolation("collar", "the last price cannot be determined, and this key has a price collar");
        }
        const off = Math.abs(write.limitPrice / write.lastPrice - 1) * 100;
        if (off > limits.priceCollarPct + 1e-9) {
          throw new LimitViolation(
            "collar",
            `price ${write.limitPrice} is ${off.toFixed(2)}% from the last price ${write.lastPrice}; ` +
              `this key's price collar is ${limits.priceCollarPct}% (a likely fat-finger)`,
          );
        }
      }
    }
    if (limits.maxOrdersPerMinute !== undefined) {
      const recent = use.ordersLastMinute ?? 0;
      if (recent + 1 > limits.maxOrdersPerMinute) {
        throw new LimitViolation(
          "rate",
          `rate limit exceeded: ${recent + 1} in 60s (cap ${limits.maxOrdersPerMinute})`,
        );
      }
    }
    if (limits.maxDailyValue !== undefined && !noExposure) {
      if (use.dailyAfter === undefined || write.currency === undefined) {
        throw new LimitViolation("daily", "the order's value cannot be determined, and this key has a daily cap");
      }
      const total = use.dailyAfter;
      if (total > limits.maxDailyValue) {
        throw new LimitViolation(
          "daily",
          `daily value cap exceeded: ${format(total)} ${write.currency} today (UTC) would pass this key's cap ${
            format(limits.maxDailyValue)
          }`,
        );
      }
    }
  }
}
