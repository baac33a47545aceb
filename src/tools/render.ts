/**
 * Compact text renderings of tool results: what a model reads when a client
 * shows text rather than structured content. Tables are tab-separated with a
 * header line; numbers are printed as they are. Also the output schema of a
 * table's rows, the one shape tables have in structured content.
 *
 * @module
 */
import { z } from "zod";

/** A table cell in structured content: text (ids included), a number, or null where OpenD gave no value. */
const tableCell = z.union([z.string(), z.number(), z.null()]);

/** A table cell's value. */
export type Cell = z.output<typeof tableCell>;

/** Output schema of table rows whose cells are all `item`, in `columns` order. */
export function rowsOf<C extends z.ZodType>(item: C) {
  return z.array(z.array(item));
}

/** Output schema of table rows of mixed cells. */
export const rows = rowsOf(tableCell);

function cell(value: unknown): string {
  if (value === null || value === undefined) return "";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

/** Header line plus one tab-separated line per row. */
export function table(columns: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return [columns.join("\t"), ...rows.map((r) => r.map(cell).join("\t"))].join("\n");
}

/** `key: value` lines, skipping absent values. */
export function fields(record: Record<string, unknown>): string {
  return Object.entries(record)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.map(cell).join(", ") : cell(v)}`)
    .join("\n");
}

/** Drops undefined values (structured content must not carry them). */
export function compact<T extends Record<string, unknown>>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as T;
}
