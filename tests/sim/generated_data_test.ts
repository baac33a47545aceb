/** The shape-driven research data generator and the tabular rendering of what it makes. */
import { assert, assertEquals } from "../helpers/assert.ts";
import { decodeResponse, encodeResponse } from "../../src/gateway/proto/codec.ts";
import { type MessageShape, s2cShape } from "../../src/gateway/proto/shape.ts";
import { INSIGHT_PROTOCOLS } from "../../src/gateway/insight_api.ts";
import { securityBySymbol } from "../../src/sim/catalog.ts";
import { generate, SeededRandom } from "../../src/sim/generated_data.ts";
import { tabularSchema, tabulate } from "../../src/tools/_tabular.ts";

const NOW = Date.parse("2026-11-27T08:00:00Z");
const AAPL = securityBySymbol("US.AAPL")!;

/** Every enum value in a generated message is a member of its enum, every required field is set. */
function checkDomain(shape: MessageShape, message: Record<string, unknown>, path: string): string[] {
  const problems: string[] = [];
  for (const field of shape.fields) {
    const value = message[field.name];
    const where = `${path}.${field.name}`;
    if (value === undefined) {
      problems.push(`${where} unset`);
      continue;
    }
    const values = field.repeated ? value as unknown[] : [value];
    for (const v of values) {
      if (field.kind === "enum" && !field.members.some((m) => m.value === v)) problems.push(`${where}=${v}`);
      if (field.kind === "number" && !Number.isFinite(v)) problems.push(`${where} not finite`);
      if (field.kind === "number" && field.unsigned && (v as number) < 0) problems.push(`${where} negative`);
      if (field.kind === "message") problems.push(...checkDomain(field.shape, v as Record<string, unknown>, where));
    }
  }
  return problems;
}

Deno.test("every research protocol: generated replies set every field, in its domain, and encode", () => {
  for (const protocol of INSIGHT_PROTOCOLS) {
    const shape = s2cShape(protocol);
    const s2c = generate(shape, new SeededRandom(42, protocol), { nowMs: NOW, security: AAPL });
    assertEquals(checkDomain(shape, s2c, protocol), [], protocol);
    const decoded = decodeResponse(protocol, encodeResponse(protocol, { retType: 0, s2c: s2c as never }));
    assertEquals(decoded.retType, 0, protocol);
  }
});

Deno.test("generation is a pure function of the seed parts", () => {
  const shape = s2cShape("Qot_GetInstitutionList");
  const a = generate(shape, new SeededRandom(42, "x"), { nowMs: NOW });
  const b = generate(shape, new SeededRandom(42, "x"), { nowMs: NOW });
  const c = generate(shape, new SeededRandom(43, "x"), { nowMs: NOW });
  assertEquals(a, b);
  assert(JSON.stringify(a) !== JSON.stringify(c), "another seed gives other data");
});

Deno.test("generated dates and times are not after now; lists follow the requested length", () => {
  const shape = s2cShape("Qot_GetSearchNews");
  const s2c = generate(shape, new SeededRandom(1), { nowMs: NOW, listLength: 7 });
  const text = JSON.stringify(s2c);
  for (const date of text.match(/\d{4}-\d{2}-\d{2}/g) ?? []) assert(date <= "2026-11-27", date);
  const lists = shape.fields.filter((f) => f.repeated);
  for (const f of lists) assertEquals((s2c[f.name] as unknown[]).length, 7, f.name);
});

Deno.test("every research protocol: the tabulated reply matches its derived output schema", () => {
  for (const protocol of INSIGHT_PROTOCOLS) {
    const shape = s2cShape(protocol);
    const s2c = generate(shape, new SeededRandom(7, protocol), { nowMs: NOW, security: AAPL });
    const decoded = decodeResponse(protocol, encodeResponse(protocol, { retType: 0, s2c: s2c as never })).s2c!;
    const rendered = tabulate(shape, decoded as Record<string, unknown>);
    const parsed = tabularSchema(shape).safeParse(rendered);
    assert(parsed.success, `${protocol}: ${parsed.error?.message}`);
  }
});

Deno.test("tabulate: flat lists become one table, enums are named, securities are symbols, keys snake_case", () => {
  const shape = s2cShape("Qot_GetCompanyProfile");
  const rendered = tabulate(shape, {
    itemList: [{ name: "CEO", value: "Tim Cook" }, { name: "Founded", value: "1976", fieldType: 1 }],
  });
  const items = rendered.item_list as { columns: string[]; rows: unknown[][] };
  assertEquals(items.columns, ["name", "value", "field_type"]);
  assertEquals(items.rows[0], ["CEO", "Tim Cook", null]);
  assertEquals(typeof items.rows[1][2], "string");
});
