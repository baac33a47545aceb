/**
 * futucli's output: `table` for people, `json` (one document) and `jsonl` (one
 * object per line) for scripts. Results are the same structured objects the
 * MCP tools return, so field names are stable and ids are strings.
 *
 * @example
 * ```ts
 * import { render } from "./output.ts";
 * render({ columns: ["symbol", "price"], rows: [["HK.00700", 432.8]] }, "table");
 * // "symbol    price\nHK.00700  432.8\n"
 * ```
 *
 * @module
 */

/** An output format. */
export type Format = "table" | "json" | "jsonl";

/** The formats, for validation and help. */
export const FORMATS: readonly Format[] = ["table", "json", "jsonl"];

type Row = Record<string, unknown>;

function isRecord(value: unknown): value is Row {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isTabular(value: Row): value is Row & { columns: string[]; rows: unknown[][] } {
  return Array.isArray(value.columns) && Array.isArray(value.rows);
}

function recordArrays(value: Row): [string, Row[]][] {
  return Object.entries(value).filter((entry): entry is [string, Row[]] =>
    Array.isArray(entry[1]) && entry[1].length > 0 && entry[1].every(isRecord)
  );
}

/** Terminal columns a string occupies (CJK and full-width characters take two). */
function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    width += (code >= 0x1100 && code <= 0x115f) || (code >= 0x2e80 && code <= 0xa4cf) ||
        (code >= 0xac00 && code <= 0xd7a3) || (code >= 0xf900 && code <= 0xfaff) ||
        (code >= 0xfe30 && code <= 0xfe4f) || (code >= 0xff00 && code <= 0xff60) ||
        (code >= 0xffe0 && code <= 0xffe6)
      ? 2
      : 1;
  }
  return width;
}

function cell(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (Array.isArray(value)) return value.map(cell).join(",");
  if (isRecord(value)) return JSON.stringify(value);
  return String(value);
}

/** An aligned text table; numbers are right-aligned. */
export function table(columns: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const text = rows.map((row) => columns.map((_, i) => cell(row[i])));
  const numeric = columns.map((_, i) =>
    rows.length > 0 && rows.every((row) => row[i] == null || typeof row[i] === "number")
  );
  const widths = columns.map((c, i) => Math.max(displayWidth(c), ...text.map((r) => displayWidth(r[i]))));
  const line = (values: string[]) =>
    values.map((v, i) => {
      const pad = " ".repeat(widths[i] - displayWidth(v));
      return numeric[i] ? pad + v : i === values.length - 1 ? v : v + pad;
    }).join("  ").trimEnd();
  return [line([...columns]), ...text.map(line)].join("\n") + "\n";
}

function objectsTable(items: Row[]): string {
  const columns = [...new Set(items.flatMap((item) => Object.keys(item)))];
  return table(columns, items.map((item) => columns.map((c) => item[c])));
}

/** The fields shown as `key  value` lines; nested objects are flattened to `key.sub`. */
function scalars(value: Row, skip: Set<string>, prefix = ""): [string, unknown][] {
  return Object.entries(value).flatMap(([key, v]): [string, unknown][] => {
    if (skip.has(key) || (Array.isArray(v) && v.some(isRecord))) return [];
    return isRecord(v) ? scalars(v, new Set(), `${prefix}${key}.`) : [[`${prefix}${key}`, v]];
  });
}

function renderTable(value: unknown): string {
  if (Array.isArray(value)) return value.every(isRecord) && value.length > 0 ? objectsTable(value) : `${cell(value)}\n`;
  if (!isRecord(value)) return `${cell(value)}\n`;
  if (isTabular(value)) {
    const header = scalars(value, new Set(["columns", "rows"])).map(([k, v]) => `${k}: ${cell(v)}`).join("  ");
    const body = value.rows.length > 0 ? table(value.columns, value.rows) : "(none)\n";
    return (header ? header + "\n" : "") + body;
  }
  const arrays = recordArrays(value);
  const rest = scalars(value, new Set(arrays.map(([k]) => k)));
  const parts: string[] = [];
  if (rest.length > 0) {
    const width = Math.max(...rest.map(([k]) => k.length));
    parts.push(rest.map(([k, v]) => `${k.padEnd(width)}  ${cell(v)}`).join("\n") + "\n");
  }
  for (const [name, items] of arrays) {
    parts.push((arrays.length > 1 || rest.length > 0 ? `${name}:\n` : "") + objectsTable(items));
  }
  return parts.join("\n") || "(none)\n";
}

/** The JSON Lines form: table rows and list items one per line, anything else as one line. */
function renderJsonLines(value: unknown): string {
  let items: unknown[] = [value];
  if (Array.isArray(value)) items = value;
  else if (isRecord(value)) {
    if (isTabular(value)) {
      items = value.rows.map((row) => Object.fromEntries(value.columns.map((c, i) => [c, row[i]])));
    } else {
      const arrays = recordArrays(value);
      if (arrays.length === 1) items = arrays[0][1];
    }
  }
  return items.map((item) => JSON.stringify(item) + "\n").join("");
}

/** Renders a result in a format. */
export function render(value: unknown, format: Format): string {
  switch (format) {
    case "json":
      return JSON.stringify(value, null, 2) + "\n";
    case "jsonl":
      return renderJsonLines(value);
    default:
      return renderTable(value);
  }
}
