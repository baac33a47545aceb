/**
 * What the options analytics handlers share to filter, sort and page their
 * lists (private to src/sim): OpenD's indicator filters (`IndicatorValue`:
 * exact values, an interval with open or closed bounds, a list of
 * securities), a stable sort on one field, and cursor paging where the
 * cursor is the offset of the next page as text.
 *
 * @module
 */
import type {
  Qot_Common_Security,
  Qot_OptionCommon_IndicatorValue,
  Qot_OptionCommon_Interval,
} from "../gateway/proto/messages.ts";
import { marketOfQotMarket } from "../gateway/symbols.ts";
import { fail } from "./_handler_common.ts";
import { pageSlice } from "./_paging.ts";

/** "MARKET.CODE" of a wire security or plate. */
export function symbolOfWire(security: Qot_Common_Security): string {
  return `${marketOfQotMarket(security.market) ?? security.market}.${security.code}`;
}

/** Whether a value lies in an interval (a missing bound does not limit). */
export function inInterval(value: number | undefined, interval: Qot_OptionCommon_Interval | undefined): boolean {
  if (!interval) return true;
  if (value === undefined || !Number.isFinite(value)) return false;
  const { filterMin: min, filterMax: max } = interval;
  if (min && (min.includes ? value < min.value : value <= min.value)) return false;
  if (max && (max.includes ? value > max.value : value >= max.value)) return false;
  return true;
}

/** Fails when an interval's lower bound is above its upper one. */
export function checkInterval(interval: Qot_OptionCommon_Interval | undefined, what: string): void {
  if (interval?.filterMin && interval.filterMax && interval.filterMin.value > interval.filterMax.value) {
    fail(`${what}: filterMin ${interval.filterMin.value} is above filterMax ${interval.filterMax.value}`);
  }
}

/** How one indicator type of a filter reads a row. */
export type Indicator<R> =
  | { kind: "range"; get: (row: R) => number | undefined }
  | { kind: "exact"; get: (row: R) => number | readonly number[] | undefined }
  /** Securities or plates by symbol ("US.AAPL", "HK.BK1910"). */
  | { kind: "securities"; get: (row: R) => readonly string[] };

/** One filter condition as the protocols send it. */
export interface FilterCondition {
  indicatorType: number;
  indicatorValue?: Qot_OptionCommon_IndicatorValue;
}

/**
 * A predicate of a list of conditions (AND), each indicator type read by `indicators`;
 * an unknown indicator type, or a condition without the value its kind needs, fails the request.
 */
export function filterOf<R>(
  conditions: readonly FilterCondition[] | undefined,
  indicators: Readonly<Record<number, Indicator<R>>>,
  what: string,
): (row: R) => boolean {
  const tests = (conditions ?? []).map((c) => {
    const indicator = indicators[c.indicatorType];
    if (!indicator) fail(`${what}: indicatorType ${c.indicatorType} is not supported`);
    const value = c.indicatorValue;
    switch (indicator.kind) {
      case "range": {
        if (!value?.valueInterval) fail(`${what}: indicatorType ${c.indicatorType} needs a valueInterval`);
        checkInterval(value.valueInterval, `${what} indicatorType ${c.indicatorType}`);
        return (row: R) => inInterval(indicator.get(row), value.valueInterval);
      }
      case "exact": {
        const wanted = new Set((value?.valueList ?? []).map(Number));
        if (wanted.size === 0) fail(`${what}: indicatorType ${c.indicatorType} needs a valueList`);
        return (row: R) => {
          const v = indicator.get(row);
          return v !== undefined && (typeof v === "number" ? wanted.has(v) : v.some((x) => wanted.has(x)));
        };
      }
      case "securities": {
        const list = value?.securityList ?? [];
        if (list.length === 0) fail(`${what}: indicatorType ${c.indicatorType} needs a securityList`);
        const wanted = new Set(list.map(symbolOfWire));
        return (row: R) => indicator.get(row).some((s) => wanted.has(s));
      }
    }
  });
  return (row) => tests.every((t) => t(row));
}

/** Sorts rows by a key (undefined last), ties by `tie`; a copy. */
export function sortedBy<R>(
  rows: readonly R[],
  key: (row: R) => number | string | undefined,
  ascending: boolean,
  tie: (row: R) => string,
): R[] {
  const direction = ascending ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    if (x === undefined || y === undefined) {
      if (x === y) return tie(a) < tie(b) ? -1 : 1;
      return x === undefined ? 1 : -1;
    }
    const order = x < y ? -1 : x > y ? 1 : 0;
    return order * direction || (tie(a) < tie(b) ? -1 : tie(a) > tie(b) ? 1 : 0);
  });
}

/** A page of rows from a cursor (the offset as text, "" or absent for the first page). */
export function pageOf<R>(
  rows: readonly R[],
  page: string | undefined,
  count: number,
): { rows: R[]; nextPage: string } {
  const offset = page === undefined || page === "" ? 0 : Number(page);
  if (!Number.isInteger(offset) || offset < 0 || offset > rows.length) {
    fail(`Invalid page ${JSON.stringify(page)}: pass the nextPage of the previous reply`);
  }
  const { items, next } = pageSlice(rows, offset, count, "");
  return { rows: items, nextPage: next };
}

/** Fails unless a count is an integer in [min, max]; the default when absent. */
export function countIn(count: number | undefined, min: number, max: number, fallback: number, what = "count"): number {
  if (count === undefined) return fallback;
  if (!Number.isInteger(count) || count < min || count > max) fail(`${what} must be in [${min}, ${max}], got ${count}`);
  return count;
}
