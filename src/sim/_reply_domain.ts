/**
 * The simulator checks every research reply and push against its protocol's
 * shape before sending it (private to src/sim): every proto2 `required`
 * field set, every enum value a member of its enum, every integer field an
 * integer, no infinities (a double may be NaN, its "no value"), nothing
 * negative where the field is unsigned. A reply outside its domain is a
 * simulator bug: the request fails with an internal error naming the field,
 * so every test that drives a research protocol also checks its domain.
 *
 * @module
 */
import { INSIGHT_PROTOCOLS } from "../gateway/insight_api.ts";
import type { ProtocolName } from "../gateway/proto/codec.ts";
import { type MessageShape, s2cShape } from "../gateway/proto/shape.ts";

/** The research protocols and pushes whose replies are checked. */
const CHECKED: ReadonlySet<string> = new Set<string>([
  ...INSIGHT_PROTOCOLS,
  "Qot_PushIndicatorCalc",
  "Qot_UpdateOptionEvent",
  "Qot_UpdateEventContractOrderBook",
  "Qot_UpdateEventContractTicker",
  "Qot_UpdateEventContractKline",
]);

/** The first field of a message outside its domain, as "path: what is wrong"; none when all fit. */
export function domainProblem(shape: MessageShape, message: unknown, path = shape.name): string | undefined {
  if (typeof message !== "object" || message === null) return `${path}: not a message`;
  const record = message as Record<string, unknown>;
  for (const field of shape.fields) {
    const where = `${path}.${field.name}`;
    const value = record[field.name];
    if (value === undefined || value === null) {
      if (field.required) return `${where}: required but unset`;
      continue;
    }
    const values = field.repeated ? (Array.isArray(value) ? value : [value]) : [value];
    for (const v of values) {
      if (field.kind === "enum" && !field.members.some((m) => m.value === v)) {
        return `${where}: ${JSON.stringify(v)} is no member of ${field.enumName}`;
      }
      if (field.kind === "number") {
        // NaN is a double's "no value" (an indicator line before it has data); an infinity is a bug.
        const ok = typeof v === "number" &&
          (field.integer ? Number.isInteger(v) : !Number.isFinite(v) ? Number.isNaN(v) : true);
        if (!ok) return `${where}: ${String(v)} is not ${field.integer ? "an integer" : "a number"}`;
        if (field.unsigned && v < 0) return `${where}: ${v} is negative in an unsigned field`;
      }
      if (field.kind === "message") {
        const problem = domainProblem(field.shape, v, where);
        if (problem) return problem;
      }
    }
  }
  return undefined;
}

/** Throws when a research protocol's S2C is outside its domain (see the module documentation). */
export function checkReplyDomain(protocol: ProtocolName, s2c: unknown): void {
  if (!CHECKED.has(protocol)) return;
  const problem = domainProblem(s2cShape(protocol), s2c);
  if (problem) throw new Error(`${protocol} reply outside its schema's domain: ${problem}`);
}
