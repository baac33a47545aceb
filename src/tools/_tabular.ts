/**
 * Research results rendered from the protocol's own shape (the generated
 * descriptor), so a reply is never copied field by field by hand: keys in
 * snake_case, enums by name (as `derivedEnum` names them), securities as
 * "HK.00700", 64-bit ids as strings, and every list of flat records as one
 * compact table (`columns` once, then `rows`), the form that costs a model
 * the fewest tokens. The output schema of a result is derived the same way.
 *
 * @example
 * ```ts
 * import { s2cShape } from "../gateway/proto/shape.ts";
 * import { tabulate } from "./_tabular.ts";
 * const result = tabulate(s2cShape("Qot_GetCompanyProfile"), { itemList: [{ name: "CEO", value: "Tim Cook" }] });
 * // { item_list: { columns: ["name", "value"], rows: [["CEO", "Tim Cook"]] } }
 * ```
 *
 * @module
 */
import { z } from "zod";
import { enumMemberName } from "../gateway/enums.ts";
import type { FieldShape, MessageShape } from "../gateway/proto/shape.ts";
import { formatSymbol } from "../gateway/symbols.ts";
import { fields, table } from "./render.ts";

/** A rendered value: what structured content carries. */
export type Plain = string | number | boolean | null | Plain[] | { [key: string]: Plain };

/** A rendered message. */
export type PlainRecord = { [key: string]: Plain };

/** A table cell: a field of one record of a list. */
export type TableCell = string | number | boolean | null;

/** A list of flat records, rendered once as a table. */
export interface Table {
  columns: string[];
  rows: TableCell[][];
}

/** snake_case of a wire field name ("dateTimeStr" → "date_time_str", "peTTM" → "pe_ttm"). */
export function snakeCase(name: string): string {
  return name.replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2").replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
}

/** A field that renders as one table cell (not a list, not a nested message). */
function isCell(field: FieldShape): boolean {
  return !field.repeated && field.kind !== "message" && field.kind !== "bytes";
}

/** A message every field of which is one cell: its lists render as tables. */
export function isFlat(shape: MessageShape): boolean {
  return shape.fields.length > 0 && shape.fields.every(isCell);
}

function enumName(field: FieldShape & { kind: "enum" }, value: number): string | number {
  const member = field.members.find((m) => m.value === value);
  return member ? enumMemberName(member.key, true) : value;
}

function scalar(field: FieldShape, value: unknown): string | number | boolean | null {
  switch (field.kind) {
    case "enum":
      return typeof value === "number" ? enumName(field, value) : null;
    case "security": {
      const s = value as { market?: number; code?: string };
      return typeof s?.code === "string" && typeof s.market === "number"
        ? formatSymbol({ market: s.market, code: s.code })
        : null;
    }
    case "int64":
      return value === undefined || value === null ? null : String(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value) ? value : null;
    case "bool":
      return typeof value === "boolean" ? value : null;
    case "string":
      return typeof value === "string" ? value : null;
    default:
      return null;
  }
}

/**
 * The fields a rendering shows: all but bytes, and but a timestamp whose text twin
 * ("beginDate" beside "beginDateStr") says the same in the market's time zone.
 */
function rendered(shape: MessageShape): FieldShape[] {
  const names = new Set(shape.fields.map((f) => f.name));
  return shape.fields.filter((f) => f.kind !== "bytes" && !names.has(`${f.name}Str`));
}

function tableOf(shape: MessageShape, items: readonly Record<string, unknown>[]): Table {
  const present = rendered(shape).filter((f) => items.some((i) => i[f.name] !== undefined && i[f.name] !== null));
  return {
    columns: present.map((f) => snakeCase(f.name)),
    rows: items.map((i) => present.map((f) => scalar(f, i[f.name]))),
  };
}

function renderField(field: FieldShape, value: unknown): Plain | Table | undefined {
  if (value === undefined || value === null) return undefined;
  if (field.repeated) {
    const list = Array.isArray(value) ? value : [];
    if (field.kind === "message") {
      const items = list as Record<string, unknown>[];
      if (isFlat(field.shape)) return tableOf(field.shape, items) as unknown as Plain;
      return items.map((i) => tabulate(field.shape, i));
    }
    return list.map((v) => scalar(field, v));
  }
  if (field.kind === "message") return tabulate(field.shape, value as Record<string, unknown>);
  return scalar(field, value);
}

/** A decoded message (S2C or a part of it) rendered for a model; absent fields are left out. */
export function tabulate(shape: MessageShape, message: Record<string, unknown>): PlainRecord {
  const out: PlainRecord = {};
  for (const field of rendered(shape)) {
    const rendered = renderField(field, message[field.name]);
    if (rendered !== undefined) out[snakeCase(field.name)] = rendered as Plain;
  }
  return out;
}

const cell = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const tableSchema = z.object({ columns: z.array(z.string()), rows: z.array(z.array(cell)) });

function cellSchema(field: FieldShape): z.ZodType {
  switch (field.kind) {
    case "enum":
      return z.union([z.string(), z.number()]);
    case "number":
      return z.number();
    case "bool":
      return z.boolean();
    default:
      return z.string();
  }
}

const schemaCache = new Map<string, z.ZodObject>();

/** The output schema of {@link tabulate}'s result for a message. */
export function tabularSchema(shape: MessageShape): z.ZodObject {
  const known = schemaCache.get(shape.name);
  if (known) return known;
  // A message that nests itself refers back through a lazy schema.
  const entries: Record<string, z.ZodType> = {};
  for (const field of rendered(shape)) {
    let schema: z.ZodType;
    if (field.kind === "message") {
      const nested = field.shape;
      const inner = z.lazy(() => tabularSchema(nested));
      schema = field.repeated ? (isFlat(nested) ? tableSchema : z.array(inner)) : inner;
    } else {
      schema = field.repeated ? z.array(cellSchema(field).nullable()) : cellSchema(field);
    }
    entries[snakeCase(field.name)] = schema.optional();
  }
  const object = z.object(entries);
  schemaCache.set(shape.name, object);
  return object;
}

function isTable(value: Plain): value is Plain & Table {
  return typeof value === "object" && value !== null && !Array.isArray(value) &&
    Array.isArray(value.columns) && Array.isArray(value.rows);
}

/**
 * The text rendering of a tabulated result: scalars as `key: value` lines, each table under
 * its name as tab-separated lines, nested records with their key as a prefix.
 */
export function tabularText(record: PlainRecord, prefix = ""): string {
  const scalars: Record<string, unknown> = {};
  const blocks: string[] = [];
  for (const [key, value] of Object.entries(record)) {
    const name = prefix + key;
    if (isTable(value)) {
      blocks.push(`${name} (${value.rows.length} rows)\n${table(value.columns, value.rows)}`);
    } else if (Array.isArray(value) && value.some((v) => typeof v === "object" && v !== null)) {
      value.forEach((v, i) => {
        if (typeof v === "object" && v !== null && !Array.isArray(v)) blocks.push(tabularText(v, `${name}[${i}].`));
      });
    } else if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      blocks.push(tabularText(value, `${name}.`));
    } else {
      scalars[name] = value;
    }
  }
  return [fields(scalars), ...blocks].filter((b) => b !== "").join("\n");
}
