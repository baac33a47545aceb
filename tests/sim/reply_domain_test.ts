/**
 * The simulator's check of research replies against their schema's domain:
 * the first field outside it is named (a required field unset, an enum value
 * that is no member, a number that is not finite or negative where unsigned),
 * and a reply in its domain passes.
 */
import { assertEquals } from "../helpers/assert.ts";
import { s2cShape } from "../../src/gateway/proto/shape.ts";
import { domainProblem } from "../../src/sim/_reply_domain.ts";

Deno.test("the domain check names the first field outside its domain", () => {
  const calc = s2cShape("Qot_PushIndicatorCalc");
  assertEquals(domainProblem(calc, { calcId: "1", outputRows: [{ time: "t", values: [1, 2] }] }), undefined);
  assertEquals(domainProblem(calc, { outputRows: [] }), "Qot_PushIndicatorCalc.S2C.calcId: required but unset");
  assertEquals(
    domainProblem(calc, { calcId: "1", outputRows: [{ time: "t", values: [1, Number.POSITIVE_INFINITY] }] }),
    "Qot_PushIndicatorCalc.S2C.outputRows.values: Infinity is not a number",
  );
  assertEquals(
    domainProblem(calc, { calcId: "1", outputRows: [{ values: [Number.NaN] }] }),
    undefined,
    "NaN: no value",
  );
  const execs = s2cShape("Qot_GetCompanyOperationalEfficiency");
  assertEquals(
    domainProblem(execs, { itemList: [{ fiscalYear: 2025.5 }] }),
    "Qot_GetCompanyOperationalEfficiency.S2C.itemList.fiscalYear: 2025.5 is not an integer",
  );
  const profile = s2cShape("Qot_GetCompanyProfile");
  assertEquals(
    domainProblem(profile, { itemList: [{ name: "x", fieldType: 9 }] }),
    "Qot_GetCompanyProfile.S2C.itemList.fieldType: 9 is no member of Qot_Common.CompanyProfileFieldType",
  );
});
