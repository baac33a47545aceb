/**
 * Research results rendered from each protocol's shape: for every research
 * protocol, a message with every field set renders to what its derived output
 * schema accepts; flat lists become tables, enums are named, securities are
 * symbols, keys snake_case, timestamps with a text twin are left out.
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { generate, SeededRandom } from "../helpers/generated_messages.ts";
import { decodeResponse, encodeResponse } from "../../src/gateway/proto/codec.ts";
import { s2cShape } from "../../src/gateway/proto/shape.ts";
import { INSIGHT_PROTOCOLS } from "../../src/gateway/insight_api.ts";
import { securityBySymbol } from "../../src/sim/catalog.ts";
import { tabularSchema, tabulate } from "../../src/tools/_tabular.ts";

const NOW = Date.parse("2026-11-27T08:00:00Z");
const AAPL = securityBySymbol("US.AAPL")!;

Deno.test("every research protocol: a fully set reply renders to what its derived output schema accepts", () => {
  for (const protocol of INSIGHT_PROTOCOLS) {
    const shape = s2cShape(protocol);
    const s2c = generate(shape, new SeededRandom(7, protocol), { nowMs: NOW, security: AAPL });
    // Through the wire codec, as a reply arrives: 64-bit values as strings, enums as numbers.
    const decoded = decodeResponse(protocol, encodeResponse(protocol, { retType: 0, s2c: s2c as never })).s2c!;
    const rendered = tabulate(shape, decoded as Record<string, unknown>);
    const parsed = tabularSchema(shape).safeParse(rendered);
    assert(parsed.success, `${protocol}: ${parsed.error?.message}`);
  }
});

Deno.test("tabulate: flat lists become one table, enums are named, securities are symbols, keys snake_case", () => {
  const profile = tabulate(s2cShape("Qot_GetCompanyProfile"), {
    itemList: [{ name: "CEO", value: "Tim Cook" }, { name: "Founded", value: "1976", fieldType: 1 }],
  });
  const items = profile.item_list as { columns: string[]; rows: unknown[][] };
  assertEquals(items.columns, ["name", "value", "field_type"]);
  assertEquals(items.rows, [["CEO", "Tim Cook", null], ["Founded", "1976", "LINK_TYPE"]]);
  const executives = tabulate(s2cShape("Qot_GetCompanyExecutives"), {
    directorList: [{ leaderName: "A", beginDate: "1700000000", beginDateStr: "2023-11-14" }],
  });
  const directors = executives.director_list as { columns: string[]; rows: unknown[][] };
  assertEquals(
    directors.columns,
    ["leader_name", "begin_date_str"],
    "the timestamp twin of begin_date_str is left out",
  );
});
