/**
 * The shape of a protocol's messages, read from the generated descriptor: what
 * each field holds (a number, a 64-bit id, an enum and its members, a
 * security, a nested message), whether it repeats and whether proto2 requires
 * it. The layers above use it to render and validate the research protocols
 * and the simulator to generate them, without each knowing protobufjs.
 *
 * @example
 * ```ts
 * import { s2cShape } from "./shape.ts";
 * const shape = s2cShape("Qot_GetCompanyProfile");
 * console.log(shape.fields.map((f) => f.name)); // ["itemList"]
 * ```
 *
 * @module
 */
import protobuf from "protobufjs";
import { messageTypeOf, type ProtocolName } from "./codec.ts";

/** What a field's values are. */
export type FieldKind =
  | { kind: "number"; integer: boolean; unsigned: boolean }
  | { kind: "int64"; unsigned: boolean }
  | { kind: "bool" }
  | { kind: "string" }
  | { kind: "bytes" }
  | { kind: "enum"; enumName: string; members: readonly EnumMember[] }
  | { kind: "security" }
  | { kind: "message"; shape: MessageShape };

/** One member of an enum: the generated key without the enum's prefix, and its number. */
export interface EnumMember {
  key: string;
  value: number;
}

/** One field of a message. */
export type FieldShape = FieldKind & {
  name: string;
  repeated: boolean;
  required: boolean;
  /** The field's proto2 default, when it declares one. */
  defaultValue?: unknown;
};

/** A message: its full name (e.g. "Qot_GetCompanyProfile.S2C") and its fields in declaration order. */
export interface MessageShape {
  name: string;
  fields: readonly FieldShape[];
}

const INTEGERS = new Set(["int32", "uint32", "sint32", "fixed32", "sfixed32"]);
const UNSIGNED = new Set(["uint32", "fixed32", "uint64", "fixed64"]);
const INT64 = new Set(["int64", "uint64", "sint64", "fixed64", "sfixed64"]);
/** The wire type of a security: rendered and generated as one "MARKET.CODE" value. */
const SECURITY = "Qot_Common.Security";

const cache = new Map<string, MessageShape>();

function enumMembers(e: protobuf.Enum): EnumMember[] {
  const prefix = `${e.name}_`;
  return Object.entries(e.values).map(([key, value]) => ({
    key: key.startsWith(prefix) ? key.slice(prefix.length) : key,
    value,
  }));
}

function fieldKind(field: protobuf.Field): FieldKind {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Enum) {
    return { kind: "enum", enumName: resolved.fullName.slice(1), members: enumMembers(resolved) };
  }
  if (resolved instanceof protobuf.Type) {
    const name = resolved.fullName.slice(1);
    return name === SECURITY ? { kind: "security" } : { kind: "message", shape: shapeOfType(resolved) };
  }
  if (INT64.has(field.type)) return { kind: "int64", unsigned: UNSIGNED.has(field.type) };
  if (INTEGERS.has(field.type)) return { kind: "number", integer: true, unsigned: UNSIGNED.has(field.type) };
  if (field.type === "double" || field.type === "float") return { kind: "number", integer: false, unsigned: false };
  if (field.type === "bool") return { kind: "bool" };
  if (field.type === "bytes") return { kind: "bytes" };
  return { kind: "string" };
}

function shapeOfType(type: protobuf.Type): MessageShape {
  const name = type.fullName.slice(1);
  const known = cache.get(name);
  if (known) return known;
  const fields: FieldShape[] = [];
  const shape: MessageShape = { name, fields };
  // Cached before its fields so a message that nests itself resolves to the same object.
  cache.set(name, shape);
  // The codec resolves a package when it adds it (messageTypeOf), so every field's type and proto2
  // rule are known here.
  for (const field of type.fieldsArray) {
    const declared = field.options?.default;
    fields.push({
      ...fieldKind(field),
      name: field.name,
      repeated: field.repeated,
      required: field.required,
      ...(declared === undefined ? {} : { defaultValue: declared }),
    });
  }
  return shape;
}

/** The shape of a message by full name ("Qot_GetCompanyProfile.CompanyLabItem"). */
export function messageShape(fullName: string): MessageShape {
  return shapeOfType(messageTypeOf(fullName));
}

/** The shape of a protocol's request body (C2S). */
export function c2sShape(protocol: ProtocolName): MessageShape {
  return messageShape(`${protocol}.C2S`);
}

/** The shape of a protocol's reply or push body (S2C). */
export function s2cShape(protocol: ProtocolName): MessageShape {
  return messageShape(`${protocol}.S2C`);
}
