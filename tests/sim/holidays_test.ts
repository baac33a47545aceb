/**
 * The exchange calendars against the exchanges' published lists, and the
 * market phases they give on holidays and half days.
 */
import { assertEquals } from "../helpers/assert.ts";
import { marketPhase } from "../../src/sim/clock.ts";
import { tradeDayType } from "../../src/sim/holidays.ts";
import type { SimMarket } from "../../src/sim/clock.ts";

const dayOf = (text: string) => Math.floor(Date.parse(`${text}T00:00:00Z`) / 86_400_000);

/** The weekdays of a year a market does not trade the whole day, as "date" or "date MORNING". */
function exceptions(market: SimMarket, year: number): string[] {
  const out: string[] = [];
  for (let day = dayOf(`${year}-01-01`); day <= dayOf(`${year}-12-31`); day++) {
    const weekday = (((day + 4) % 7) + 7) % 7;
    if (weekday === 0 || weekday === 6) continue;
    const type = tradeDayType(market, day);
    const date = new Date(day * 86_400_000).toISOString().slice(0, 10);
    if (type === undefined) out.push(date);
    else if (type === "MORNING") out.push(`${date} MORNING`);
  }
  return out;
}

Deno.test("the NYSE rules give the published holidays and early closes", () => {
  assertEquals(exceptions("US", 2024), [
    "2024-01-01",
    "2024-01-15",
    "2024-02-19",
    "2024-03-29",
    "2024-05-27",
    "2024-06-19",
    "2024-07-03 MORNING",
    "2024-07-04",
    "2024-09-02",
    "2024-11-28",
    "2024-11-29 MORNING",
    "2024-12-24 MORNING",
    "2024-12-25",
  ]);
  assertEquals(exceptions("US", 2026), [
    "2026-01-01",
    "2026-01-19",
    "2026-02-16",
    "2026-04-03",
    "2026-05-25",
    "2026-06-19",
    "2026-07-03", // Independence Day on a Saturday: observed on the Friday, no early close
    "2026-09-07",
    "2026-11-26",
    "2026-11-27 MORNING",
    "2026-12-24 MORNING",
    "2026-12-25",
  ]);
  assertEquals(exceptions("US", 2027), [
    "2027-01-01",
    "2027-01-18",
    "2027-02-15",
    "2027-03-26",
    "2027-05-31",
    "2027-06-18",
    "2027-07-05",
    "2027-09-06",
    "2027-11-25",
    "2027-11-26 MORNING",
    "2027-12-24",
  ]);
  // New Year's Day 2028 is a Saturday: not observed on Friday 2027-12-31.
  assertEquals(tradeDayType("US", dayOf("2027-12-31")), "WHOLE");
});

Deno.test("HK and CN: the tabled holidays; SH and SZ share one calendar", () => {
  assertEquals(exceptions("HK", 2026), [
    "2026-01-01",
    "2026-02-16 MORNING",
    "2026-02-17",
    "2026-02-18",
    "2026-02-19",
    "2026-04-03",
    "2026-04-06",
    "2026-04-07",
    "2026-05-01",
    "2026-05-25",
    "2026-06-19",
    "2026-07-01",
    "2026-10-01",
    "2026-10-19",
    "2026-12-24 MORNING",
    "2026-12-25",
    "2026-12-28",
    "2026-12-31 MORNING",
  ]);
  assertEquals(exceptions("SH", 2026), exceptions("SZ", 2026));
  assertEquals(exceptions("SH", 2026).length, 19);
  assertEquals(exceptions("HK", 2024), [], "outside the tabled years every weekday trades");
});

Deno.test("market phases on holidays and half days", () => {
  const at = (iso: string) => Date.parse(iso);
  assertEquals(marketPhase("US", at("2026-11-26T15:30:00Z")).state, "CLOSED", "Thanksgiving, 10:30");
  assertEquals(marketPhase("US", at("2026-11-26T10:00:00Z")).state, "CLOSED", "no pre-market on a holiday");
  assertEquals(marketPhase("US", at("2026-11-27T17:59:00Z")).state, "AFTERNOON", "12:59 on a half day");
  assertEquals(marketPhase("US", at("2026-11-27T18:00:00Z")).state, "AFTER_HOURS_BEGIN", "13:00");
  assertEquals(marketPhase("US", at("2026-11-27T22:00:00Z")).state, "AFTER_HOURS_END", "17:00");
  assertEquals(marketPhase("HK", at("2026-12-24T03:59:00Z")).state, "MORNING", "11:59 on Christmas Eve");
  assertEquals(marketPhase("HK", at("2026-12-24T05:30:00Z")).state, "CLOSED", "no afternoon session");
  assertEquals(marketPhase("HK", at("2026-12-25T02:00:00Z")).state, "CLOSED", "Christmas");
  assertEquals(marketPhase("SZ", at("2026-10-05T02:00:00Z")).state, "CLOSED", "National Day week");
  assertEquals(marketPhase("HK", at("2026-10-05T02:00:00Z")).state, "MORNING", "HK trades that Monday");
});
