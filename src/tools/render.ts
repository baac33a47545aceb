/**
 * Compact text renderings of tool results: what a model reads when a client
 * shows text rather than structured content. Tables are tab-separated with a
 * header line; numbers are printed as they are.
 *
 * @module
 */

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
