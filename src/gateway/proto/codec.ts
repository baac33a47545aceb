/**
 * Encoding and decoding of OpenD protobuf bodies, typed by protocol name.
 *
 * The schema is the generated descriptor of the pinned `futu-api` package
 * (see `scripts/gen_proto.ts`). Every body is a `Request{c2s}` or a
 * `Response{retType, retMsg?, errCode?, s2c?}` envelope. 64-bit integers are
 * decimal strings in both directions, so account and order ids never lose
 * precision.
 *
 * @example
 * ```ts
 * import { decodeResponse, encodeRequest } from "./codec.ts";
 * const body = encodeRequest("KeepAlive", { time: "1700000000" });
 * ```
 *
 * @module
 */
import protobuf from "protobufjs";
import Long from "long";
import descriptor from "./descriptor.json" with { type: "json" };
import { type ProtocolMessages, PROTOCOLS } from "./messages.ts";

protobuf.util.Long = Long;
protobuf.configure();

/**
 * The schema's packages, by name: each protocol's own (e.g. "Qot_GetBasicQot") and the shared ones
 * ("Common", "Qot_Common", …). A protocol's package is added to the root on the protocol's first
 * use, with the packages it refers to: building all ~170 at start-up would cost every process
 * (futucli included) the research protocols most never use.
 */
const PACKAGES = (descriptor as { nested: Record<string, protobuf.AnyNestedObject> }).nested;
const root = new protobuf.Root();
const added = new Set<string>();

/** The other packages a package's fields refer to ("Qot_Common.Security" → Qot_Common). */
function referencedPackages(name: string): string[] {
  const found = new Set<string>();
  for (const match of JSON.stringify(PACKAGES[name]).matchAll(/"type":"([A-Za-z0-9_]+)\./g)) {
    if (match[1] !== name && match[1] in PACKAGES) found.add(match[1]);
  }
  return [...found];
}

/** Adds a package (and what it refers to) to the root, once. */
function addPackage(name: string): void {
  if (added.has(name) || !(name in PACKAGES)) return;
  added.add(name);
  for (const dependency of referencedPackages(name)) addPackage(dependency);
  root.addJSON({ [name]: PACKAGES[name] });
  // Resolved at once: proto2 `required` (an edition feature in protobufjs) reads true only once a
  // field's features are resolved, and the missing-required check below relies on it.
  (root.lookup(name) as protobuf.Namespace).resolveAll();
}

/** Name of a protocol we speak, e.g. `"Qot_GetBasicQot"`. */
export type ProtocolName = keyof typeof PROTOCOLS;

/** Protocols with a request (everything but pushes). */
export type RequestProtocol = {
  [K in ProtocolName]: (typeof PROTOCOLS)[K]["push"] extends false ? K : never;
}[ProtocolName];

/** Push-only protocols, e.g. `"Qot_UpdateBasicQot"`. */
export type PushProtocol = Exclude<ProtocolName, RequestProtocol>;

/** The C2S message of a protocol. */
export type C2S<P extends ProtocolName> = ProtocolMessages[P]["c2s"];

/** The S2C message of a protocol. */
export type S2C<P extends ProtocolName> = ProtocolMessages[P]["s2c"];

/** The Response envelope every reply and push travels in. */
export interface ResponseEnvelope<T> {
  /** `Common.RetType`: 0 success, negative values are failures. */
  retType: number;
  retMsg?: string;
  errCode?: number;
  s2c?: T;
}

/** A body that could not be encoded or decoded. Names the protocol and what is wrong. */
export class ProtoCodecError extends Error {
  override name = "ProtoCodecError";
}

interface Codec {
  request?: protobuf.Type;
  response: protobuf.Type;
}

const DECODE_OPTIONS: protobuf.IConversionOptions = {
  longs: String,
  enums: Number,
  defaults: false,
  arrays: true,
};

const codecs = new Map<ProtocolName, Codec>();
const namesById = new Map<number, ProtocolName>();
for (const [name, info] of Object.entries(PROTOCOLS) as [ProtocolName, { id: number; push: boolean }][]) {
  namesById.set(info.id, name);
}

/** A message type of the schema by full name; throws {@link ProtoCodecError} for an unknown one. */
export function messageTypeOf(fullName: string): protobuf.Type {
  addPackage(fullName.split(".")[0]);
  try {
    return root.lookupType(fullName);
  } catch {
    throw new ProtoCodecError(`unknown message ${fullName}`);
  }
}

/** The protoID of a protocol. */
export function protoIdOf(name: ProtocolName): number {
  return PROTOCOLS[name].id;
}

/** The protocol with this protoID, or undefined when we don't speak it. */
export function protocolById(id: number): ProtocolName | undefined {
  return namesById.get(id);
}

/** True when the protocol is a push (no request). */
export function isPushProtocol(name: ProtocolName): name is PushProtocol {
  return PROTOCOLS[name].push;
}

function codecOf(name: ProtocolName): Codec {
  let codec = codecs.get(name);
  if (!codec) {
    const info = PROTOCOLS[name] as { push: boolean } | undefined;
    if (!info) throw new ProtoCodecError(`unknown protocol ${name}`);
    codec = {
      request: info.push ? undefined : messageTypeOf(`${name}.Request`),
      response: messageTypeOf(`${name}.Response`),
    };
    codecs.set(name, codec);
  }
  return codec;
}

/**
 * protobufjs message instances inherit defaults for unset required fields, so
 * `verify` after `fromObject` can't see a missing one: check the plain object.
 */
function missingRequired(type: protobuf.Type, value: unknown, path: string): string | undefined {
  if (typeof value !== "object" || value === null) return `${path || "message"}: object expected`;
  const record = value as Record<string, unknown>;
  for (const field of type.fieldsArray) {
    const fieldPath = path ? `${path}.${field.name}` : field.name;
    const fieldValue = record[field.name];
    if (fieldValue === undefined || fieldValue === null) {
      if (field.required) return `missing required field ${fieldPath}`;
      continue;
    }
    if (!(field.resolvedType instanceof protobuf.Type)) continue;
    if (field.repeated) {
      if (!Array.isArray(fieldValue)) return `${fieldPath}: array expected`;
      for (let i = 0; i < fieldValue.length; i++) {
        const problem = missingRequired(field.resolvedType, fieldValue[i], `${fieldPath}[${i}]`);
        if (problem) return problem;
      }
    } else {
      const problem = missingRequired(field.resolvedType, fieldValue, fieldPath);
      if (problem) return problem;
    }
  }
  return undefined;
}

function encodeWith(type: protobuf.Type, value: Record<string, unknown>, what: string): Uint8Array {
  const problem = missingRequired(type, value, "");
  if (problem) throw new ProtoCodecError(`${what}: ${problem}`);
  try {
    return type.encode(type.fromObject(value)).finish();
  } catch (err) {
    throw new ProtoCodecError(`${what}: ${(err as Error).message}`);
  }
}

function decodeWith(type: protobuf.Type, body: Uint8Array, what: string): Record<string, unknown> {
  try {
    return type.toObject(type.decode(body), DECODE_OPTIONS);
  } catch (err) {
    throw new ProtoCodecError(`${what}: ${(err as Error).message}`);
  }
}

/** Encodes `Request{c2s}`; throws {@link ProtoCodecError} when a required field is missing. */
export function encodeRequest<P extends RequestProtocol>(name: P, c2s: C2S<P>): Uint8Array {
  const type = codecOf(name).request!;
  return encodeWith(type, { c2s } as Record<string, unknown>, `${name} request`);
}

/** Decodes `Request{c2s}` (simulator side). */
export function decodeRequest<P extends RequestProtocol>(name: P, body: Uint8Array): C2S<P> {
  const type = codecOf(name).request!;
  return decodeWith(type, body, `${name} request`).c2s as C2S<P>;
}

/** Encodes a Response envelope (simulator side); every proto2 required field must be set. */
export function encodeResponse<P extends ProtocolName>(
  name: P,
  response: ResponseEnvelope<S2C<P>>,
): Uint8Array {
  return encodeWith(
    codecOf(name).response,
    response as unknown as Record<string, unknown>,
    `${name} response`,
  );
}

/** Decodes a Response envelope (a reply or a push). */
export function decodeResponse<P extends ProtocolName>(
  name: P,
  body: Uint8Array,
): ResponseEnvelope<S2C<P>> {
  return decodeWith(codecOf(name).response, body, `${name} response`) as unknown as ResponseEnvelope<
    S2C<P>
  >;
}
