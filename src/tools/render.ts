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

/** A market-local time as OpenD writes it: "YYYY-MM-DD", optionally " HH:MM", ":SS" and a fraction. */
const TIME = /^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?)?$/;
/** Where a time splits into its parts, each but the first led by its separator ("-07", " 09", ":30", ".123"). */
const TIME_PART = /(?=[- :.])/;
/** What each part of a time is, for the header that names the parts a cell keeps. */
const TIME_PART_NAMES = ["YYYY", "-MM", "-DD", " HH", ":MM", ":SS"];

/** The name of part `i` of a time ("-MM"; a fraction ".fff" as long as it is). */
function partName(part: string, i: number): string {
  return TIME_PART_NAMES[i] ?? `.${"f".repeat(part.length - 1)}`;
}

/**
 * A column of times shares its leading and trailing parts (the year of 100 daily candles, their
 * " 00:00:00"; the day of an intraday series): the header states them once, as a pattern such as
 * `time (2026-MM-DD 00:00:00)`, and each cell keeps only the parts that vary ("07-14"). Lossless:
 * the pattern with a cell's parts filled in is the time. Undefined when the column has other cells
 * or the pattern would cost more bytes than it saves.
 */
function compactTimes(name: string, cells: readonly string[]): { header: string; cells: string[] } | undefined {
  const present = cells.filter((c) => c !== "");
  if (present.length < 2 || !present.every((c) => TIME.test(c))) return undefined;
  const parts = present.map((c) => c.split(TIME_PART));
  const n = parts[0].length;
  if (!parts.every((p) => p.length === n && p.every((part, i) => part.length === parts[0][i].length))) return undefined;
  const same = (i: number) => parts.every((p) => p[i] === parts[0][i]);
  // A cell keeps at least two parts ("07-14", "09:31", never a lone "14" that reads as a number); the shared
  // lead is the year or the whole date, so that a month is not parted from its day; an hour keeps its minutes.
  const keeps = (lead: number, trail: number) => n - lead - trail >= 2;
  const lead = [3, 1].find((l) => keeps(l, 0) && parts[0].slice(0, l).every((_, i) => same(i))) ?? 0;
  let trail = 0;
  while (keeps(lead, trail + 1) && same(n - 1 - trail)) trail++;
  if (n - trail === 4) trail--;
  if (lead + trail === 0) return undefined;
  const pattern = parts[0].map((part, i) => i < lead || i >= n - trail ? part : partName(part, i)).join("");
  const header = `${name} (${pattern})`;
  // The parts a cell keeps, without the separator that led the first of them.
  const kept = (cell: string) => cell.split(TIME_PART).slice(lead, n - trail).join("").slice(lead === 0 ? 0 : 1);
  const out = cells.map((c) => c === "" ? "" : kept(c));
  const saved = cells.reduce((sum, c, i) => sum + c.length - out[i].length, 0);
  return saved > header.length - name.length ? { header, cells: out } : undefined;
}

/**
 * Header line plus one tab-separated line per row. A column of times shows only the parts that
 * vary, its header the parts every row shares (see {@link compactTimes}).
 */
export function table(columns: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const header = [...columns];
  const text = rows.map((r) => r.map(cell));
  columns.forEach((name, c) => {
    const compact = compactTimes(name, text.map((r) => r[c] ?? ""));
    if (!compact) return;
    header[c] = compact.header;
    text.forEach((r, i) => {
      if (c < r.length) r[c] = compact.cells[i];
    });
  });
  return [header.join("\t"), ...text.map((r) => r.join("\t"))].join("\n");
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
