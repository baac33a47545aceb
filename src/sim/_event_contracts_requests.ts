/**
 * What event contract requests name, checked like OpenD checks them (private
 * to src/sim): wire securities of market 101 resolved to a series, event or
 * contract of the simulated universe (unknown codes, and codes of the wrong
 * level, refused by name), categories, tags and competitions, paging, K-line
 * periods, sources and sides, history time ranges and cursors.
 *
 * @module
 */
import {
  Common_PredSide,
  Qot_Common_EC_KlineSource,
  Qot_Common_KLType,
  Qot_Common_QotMarket,
  type Qot_Common_Security,
  Qot_Common_SubType,
} from "../gateway/proto/messages.ts";
import { formatSymbol } from "../gateway/symbols.ts";
import { fail } from "./_handler_common.ts";
import { parseLocal } from "./clock.ts";
import {
  contractByCode,
  EC_CATEGORIES,
  EC_SERIES,
  type EcCategory,
  type EcContract,
  type EcEvent,
  type EcSeries,
  eventByCode,
  seriesByCode,
} from "./event_contracts.ts";
import type { EcPeriod } from "./event_contract_market.ts";
import type { SimContext } from "./handlers.ts";
import { pageSlice } from "./_paging.ts";

// ---- resolving what a request names ----

export function codeOf(security: Qot_Common_Security | undefined, what: string): string {
  if (!security) fail(`${what} is required`);
  if (security.market !== Qot_Common_QotMarket.EventContract) {
    fail(`${what} ${formatSymbol(security)} is not an event contract security (market must be 101, EventContract)`);
  }
  return security.code;
}

function levelOf(ctx: SimContext, code: string): string {
  const now = ctx.market.clock.now();
  if (seriesByCode(code)) return "a series";
  if (eventByCode(ctx.market.seed, code, now)) return "an event";
  if (contractByCode(ctx.market.seed, code, now)) return "a contract";
  return "unknown";
}

function refuse(ctx: SimContext, code: string, want: string): never {
  const level = levelOf(ctx, code);
  if (level === "unknown") fail(`Unknown event contract security EC.${code}`);
  fail(`EC.${code} is ${level}, not ${want}`);
}

export function contractOf(ctx: SimContext, security: Qot_Common_Security | undefined, what = "security"): EcContract {
  const code = codeOf(security, what);
  return contractByCode(ctx.market.seed, code, ctx.market.clock.now()) ?? refuse(ctx, code, "a contract");
}

export function eventOf(ctx: SimContext, security: Qot_Common_Security | undefined, what: string): EcEvent {
  const code = codeOf(security, what);
  return eventByCode(ctx.market.seed, code, ctx.market.clock.now()) ?? refuse(ctx, code, "an event");
}

export function seriesOf(ctx: SimContext, security: Qot_Common_Security | undefined, what: string): EcSeries {
  const code = codeOf(security, what);
  return seriesByCode(code) ?? refuse(ctx, code, "a series");
}

export function categoryOf(text: string | undefined): EcCategory | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  const found = EC_CATEGORIES.find((c) => c.category === text.trim().toUpperCase());
  if (!found) {
    fail(
      `Unknown category ${JSON.stringify(text)}: expected one of ${EC_CATEGORIES.map((c) => c.category).join(", ")}`,
    );
  }
  return found;
}

export function tagOf(category: EcCategory | undefined, text: string | undefined): string | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  const tag = text.trim().toUpperCase();
  const tags = category ? category.tags : EC_CATEGORIES.flatMap((c) => c.tags);
  if (!tags.includes(tag)) {
    fail(
      `Unknown tag ${JSON.stringify(text)}${category ? ` in ${category.category}` : ""}: expected one of ${
        tags.join(", ")
      }`,
    );
  }
  return tag;
}

const COMPETITIONS = [...new Set(EC_SERIES.flatMap((s) => (s.competition ? [s.competition] : [])))];

export function competitionOf(text: string | undefined): string | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  const found = COMPETITIONS.find((c) => c.toLowerCase() === text.trim().toLowerCase());
  if (!found) fail(`Unknown competition ${JSON.stringify(text)}: expected one of ${COMPETITIONS.join(", ")}`);
  return found;
}

/** One page of a list: `nextPage` is the offset of the page's first item, "" when no more. */
export function page<T>(
  items: readonly T[],
  nextPage: string | undefined,
  count: number | undefined,
  fallback: number,
  max: number,
) {
  if (count !== undefined && (!Number.isInteger(count) || count < 1 || count > max)) {
    fail(`count must be between 1 and ${max}, got ${count}`);
  }
  let offset = 0;
  if (nextPage !== undefined && nextPage !== "") {
    if (!/^\d{1,9}$/.test(nextPage) || Number(nextPage) > items.length) {
      fail(`Invalid nextPage ${JSON.stringify(nextPage)}`);
    }
    offset = Number(nextPage);
  }
  const { items: slice, next } = pageSlice(items, offset, count ?? fallback, "");
  return { slice, nextPage: next };
}

// ---- K-line arguments ----

export const PERIODS = new Map<number, EcPeriod>([
  [Qot_Common_KLType["1Min"], "1m"],
  [Qot_Common_KLType["60Min"], "60m"],
  [Qot_Common_KLType.Day, "day"],
]);
export const PERIOD_SUB: Record<EcPeriod, number> = {
  "1m": Qot_Common_SubType.KL_1Min,
  "60m": Qot_Common_SubType.KL_60Min,
  day: Qot_Common_SubType.KL_Day,
};

export function periodOf(klType: number | undefined, what: string): EcPeriod {
  const period = PERIODS.get(klType ?? Qot_Common_KLType.Day);
  if (!period) fail(`${what} ${klType} is not supported for event contracts: use 1Min (1), 60Min (9) or Day (2)`);
  return period;
}

export function sourceOf(value: number | undefined): boolean {
  if (value === undefined || value === Qot_Common_EC_KlineSource.None) return false;
  if (value === Qot_Common_EC_KlineSource.OrderBookYes) return true;
  fail(`Unknown klineSource ${value}: expected 0 (None) or 1 (OrderBookYes)`);
}

export function sideOf(value: number | undefined, required: boolean): number {
  if (value === Common_PredSide.Yes || value === Common_PredSide.No) return value;
  if ((value === undefined || value === Common_PredSide.Unknown) && !required) return Common_PredSide.Yes;
  fail(`preSide must be 1 (Yes) or 2 (No)${required ? " when klineSource is None" : ""}, got ${value ?? "none"}`);
}

// ---- history K-lines ----

export function parseTime(text: string, what: string, endOfDay: boolean): number {
  const trimmed = text.trim();
  const full = /^\d{4}-\d{2}-\d{2}$/.test(trimmed) ? `${trimmed} ${endOfDay ? "23:59:59" : "00:00:00"}` : trimmed;
  if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(full)) {
    fail(`Invalid ${what} ${JSON.stringify(text)}: expected "YYYY-MM-DD[ HH:MM:SS]" (US Eastern)`);
  }
  try {
    const ms = parseLocal("US", full);
    if (!Number.isFinite(ms)) throw new Error("invalid");
    return ms;
  } catch {
    fail(`Invalid ${what} ${JSON.stringify(text)}`);
  }
}

export function cursorOf(bytes: Uint8Array): number {
  try {
    const cursor = JSON.parse(new TextDecoder().decode(bytes));
    if (cursor.v === 1 && Number.isFinite(cursor.next)) return cursor.next;
  } catch { /* fall through */ }
  fail("Invalid nextReqKey");
}
