/**
 * Per-key trading limits, checked in upstream's order — account whitelist,
 * market, symbol, side, hours window, per-order value, orders per minute,
 * daily value — plus a price collar. Usage is reserved while a write is in
 * flight (so concurrent orders cannot both slip under a cap) and committed
 * only when OpenD accepted it (or may have: an unknown outcome counts).
 *
 * The usage store decides the stateful limits (rate and daily cap) and the
 * reservation in one atomic step, so that replicas sharing a store cannot
 * both slip under a cap.
 *
 * Modify and cancel follow upstream: no symbol or side check; cancel, disable,
 * enable and delete add no value; a price/quantity change adds only the
 * increase of the order's value to the daily total.
 *
 * @module
 */
import type { TradeTarget, TrdMarketName, TrdSideName } from "../gateway/types.ts";
import type { KeyLimits } from "./keys.ts";
import { type Reservation, RESERVATION_TTL_MS, type UsageFigures, type UsageStore } from "../state/store.ts";
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

/** How often a commit the store could not take is retried. */
const RECOMMIT_EVERY_MS = 1_000;

/** Figures of a key that has used nothing. */
const NOTHING: UsageFigures = { ordersLastMinute: 0, dailyUsed: 0 };

/** Cancels, disables, enables and deletes add no value. */
function noExposure(write: LimitedWrite): boolean {
  return write.kind !== "place" && write.kind !== "NORMAL";
}

/** What the write adds to today's total (undefined: nothing, or unknown). */
function addedOf(write: LimitedWrite): number | undefined {
  return noExposure(write) ? undefined : write.addedValue ?? write.value;
}

function format(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
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

  constructor(store: UsageStore, options: { defaultTimeZone?: string; now?: () => number } = {}) {
    this.#store = store;
    this.#defaultTz = options.defaultTimeZone ?? "UTC";
    this.#now = options.now ?? (() => Date.now());
  }

  /**
   * What the write would use of the key's limits now, and the first limit that would refuse it —
   * without reserving anything (a preview). {@link reserve} runs the same checks.
   */
  async check(keyId: string, limits: KeyLimits, write: LimitedWrite, accountAllowed: boolean): Promise<LimitCheck> {
    const now = this.#now();
    const figures = await this.#store.figures(keyId, now, write.currency);
    const use = this.#use(limits, write, figures, addedOf(write));
    return { use, violation: this.#violation(limits, write, accountAllowed, now, use) };
  }

  /**
   * Runs every check (throws {@link LimitViolation}) and reserves the write; the rate and the daily cap are
   * decided by the store, atomically with the reservation. `accountAllowed` decides the account whitelist (it
   * knows card numbers).
   */
  async reserve(
    keyId: string,
    limits: KeyLimits,
    write: LimitedWrite,
    accountAllowed: boolean,
  ): Promise<WriteReservation> {
    const now = this.#now();
    const added = addedOf(write);
    // Every rule against a key that has used nothing (what it refuses then it refuses anyway); the store then
    // decides the rate and the daily cap against what is used, and reserves, in one step.
    const stateless = this.#violation(limits, write, accountAllowed, now, this.#use(limits, write, NOTHING, added));
    if (stateless) throw stateless;
    const reservation: Reservation = {
      id: crypto.randomUUID(),
      at: now,
      value: added === undefined ? undefined : Math.max(0, added),
      currency: write.currency,
      maxOrdersPerMinute: limits.maxOrdersPerMinute,
      maxDailyValue: noExposure(write) ? undefined : limits.maxDailyValue,
    };
    const verdict = await this.#store.reserve(keyId, reservation);
    if (!verdict.ok) {
      const use = this.#use(limits, write, verdict.figures, added);
      throw this.#violation(limits, write, accountAllowed, now, use) ??
        new LimitViolation(verdict.limit, `${verdict.limit} limit reached`);
    }
    let settled = false;
    return {
      commit: async () => {
        if (settled) return;
        settled = true;
        try {
          await this.#store.commit(keyId, reservation);
        } catch (err) {
          this.#recommit(keyId, reservation);
          throw err;
        }
      },
      release: async () => {
        if (settled) return;
        settled = true;
        await this.#store.release(keyId, reservation.id);
      },
    };
  }

  /**
   * A write that reached OpenD must count: while the store cannot take its commit, it is retried every second
   * until it does (the reservation counts meanwhile), for as long as the store keeps the reservation.
   */
  #recommit(keyId: string, reservation: Reservation, attempt = 1): void {
    if (attempt * RECOMMIT_EVERY_MS > RESERVATION_TTL_MS) return;
    const timer = setTimeout(() => {
      this.#store.commit(keyId, reservation).catch(() => this.#recommit(keyId, reservation, attempt + 1));
    }, RECOMMIT_EVERY_MS);
    Deno.unrefTimer(timer);
  }

  #violation(
    limits: KeyLimits,
    write: LimitedWrite,
    accountAllowed: boolean,
    now: number,
    use: LimitUse,
  ): LimitViolation | undefined {
    try {
      this.#checks(limits, write, accountAllowed, now, use);
      return undefined;
    } catch (err) {
      if (!(err instanceof LimitViolation)) throw err;
      return err;
    }
  }

  /** The usage figures a preview shows. */
  #use(limits: KeyLimits, write: LimitedWrite, figures: UsageFigures, added: number | undefined): LimitUse {
    const use: LimitUse = { value: write.value, currency: write.currency };
    if (limits.maxOrderValue !== undefined) use.perOrderCap = limits.maxOrderValue;
    if (limits.maxOrdersPerMinute !== undefined) {
      use.ordersPerMinuteCap = limits.maxOrdersPerMinute;
      use.ordersLastMinute = figures.ordersLastMinute;
    }
    if (limits.maxDailyValue !== undefined) {
      use.dailyCap = limits.maxDailyValue;
      if (write.currency !== undefined) {
        use.dailyUsed = figures.dailyUsed;
        if (added !== undefined) use.dailyAfter = use.dailyUsed + Math.max(0, added);
      }
    }
    if (limits.priceCollarPct !== undefined) use.collarPct = limits.priceCollarPct;
    if (limits.hoursWindow) use.hoursWindow = `${limits.hoursWindow} (${limits.hoursTz ?? this.#defaultTz})`;
    return use;
  }

  #checks(limits: KeyLimits, write: LimitedWrite, accountAllowed: boolean, now: number, use: LimitUse): void {
    const { target } = write;
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
    if (!noExposure(write)) {
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
    if (limits.maxDailyValue !== undefined && !noExposure(write)) {
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
