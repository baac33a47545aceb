/**
 * Messages of any research protocol's shape with every field set in its domain (every enum value a
 * member, numbers in plausible ranges, dates before "now"): test data for the rendering of every
 * shape (`src/tools/_tabular.ts`), which no simulator reply covers alone.
 *
 * @module
 */
import type { FieldShape, MessageShape } from "../../src/gateway/proto/shape.ts";
import { qotMarketOf } from "../../src/gateway/symbols.ts";
import { SIM_SECURITIES, type SimSecurity } from "../../src/sim/catalog.ts";
import { SeededRandom } from "../../src/sim/seeded_random.ts";

export { SeededRandom };

/** What the generated values are anchored to. */
export interface GenerateHints {
  /** The simulated "now": dates and times are at or before it. */
  nowMs: number;
  /** The security the request names: fields holding a security default to it. */
  security?: SimSecurity;
}

/** Lists nested deeper than this are left empty (some messages nest lists of lists). */
const MAX_DEPTH = 4;
const DAY_MS = 86_400_000;

const WORDS = [
  "Global",
  "Pacific",
  "Harbour",
  "Summit",
  "Northern",
  "Capital",
  "Horizon",
  "Lotus",
  "Granite",
  "Meridian",
  "Crescent",
  "Sterling",
] as const;
const NOUNS = ["Holdings", "Partners", "Advisors", "Investments", "Fund", "Group", "Trust", "Management"] as const;
const PEOPLE = [
  "Alex Chan",
  "Maria Lopez",
  "Wei Zhang",
  "Priya Nair",
  "James Miller",
  "Yuki Sato",
  "Olivia Brown",
  "Daniel Wong",
] as const;

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/** "YYYY-MM-DD" of an instant (UTC). */
function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** "YYYY-MM-DD HH:MM:SS" of an instant (UTC). */
function isoDateTime(ms: number): string {
  const d = new Date(ms);
  return `${isoDay(ms)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

function stringFor(name: string, random: SeededRandom, hints: GenerateHints, pastMs: number): string {
  const n = name.toLowerCase();
  // Paging keys say "no more data": "-1" for nextKey, empty for nextPage.
  if (n === "nextkey") return "-1";
  if (n === "nextpage") return "";
  if (/url|link/.test(n)) return `https://www.futunn.com/research/${random.int(100000, 999999)}`;
  if (/currency/.test(n)) return hints.security?.market === "US" ? "USD" : hints.security ? "HKD" : "USD";
  if (/(date|day)(str)?$|datestr|daystr/.test(n)) return isoDay(pastMs);
  if (/time/.test(n)) return isoDateTime(pastMs);
  if (/code|symbol|ticker/.test(n)) return hints.security?.code ?? random.pick(SIM_SECURITIES).code;
  if (/person|executive|manager|holder|insider|analyst|author/.test(n) && /name/.test(n)) return random.pick(PEOPLE);
  if (/name|title|institution|org/.test(n)) return `${random.pick(WORDS)} ${random.pick(NOUNS)}`;
  if (/year/.test(n)) return String(new Date(pastMs).getUTCFullYear());
  if (/period/.test(n)) return `${new Date(pastMs).getUTCFullYear()}/Q${random.int(1, 4)}`;
  if (/ratio|pct|percent|rate|price|value|amount|volume|qty|num|count/.test(n)) return random.real(0, 100).toFixed(2);
  if (/desc|content|summary|text|intro|comment|reason|detail|result|abstract/.test(n)) {
    return `${random.pick(WORDS)} ${random.pick(NOUNS).toLowerCase()} noted steady demand and disciplined costs.`;
  }
  if (/id$|key$|page$/.test(n)) return String(random.int(100000, 999999));
  return `${random.pick(WORDS)} ${random.pick(NOUNS)}`;
}

function numberFor(field: FieldShape & { kind: "number" }, random: SeededRandom, hints: GenerateHints, pastMs: number) {
  const n = field.name.toLowerCase();
  const price = hints.security?.basePrice ?? 100;
  let value: number;
  if (/timestamp|time$/.test(n)) value = Math.floor(pastMs / 1000);
  else if (/year/.test(n)) value = new Date(pastMs).getUTCFullYear();
  else if (/quarter/.test(n)) value = random.int(1, 4);
  else if (/month/.test(n)) value = random.int(1, 12);
  else if (/rank|index|seq|order|level/.test(n)) value = random.int(1, 50);
  else if (/prob|ratio|pct|percent|rate|yoy|qoq|chg|change|growth|margin|yield|roe|roa|weight|iv|volatility/.test(n)) {
    value = random.real(-15, 35);
  } else if (/price|close|open|high|low|strike|target|eps|nav|cost/.test(n)) {
    value = random.real(price * 0.7, price * 1.3, 3);
  } else if (/pe|pb|ps|multiple/.test(n)) value = random.real(5, 45);
  else if (/qty|volume|shares|holding|position|count|num|total|size/.test(n)) value = random.int(1_000, 50_000_000);
  else if (/amount|value|cap|revenue|income|turnover|asset|cash|profit|debt|equity|expense|sales/.test(n)) {
    value = random.real(1e6, 5e10, 0);
  } else if (/score|star|rating/.test(n)) value = random.int(1, 5);
  else value = random.real(0, 100);
  if (field.integer) value = Math.round(value);
  if (field.unsigned) value = Math.abs(value);
  return value;
}

function fieldValue(
  field: FieldShape,
  random: SeededRandom,
  hints: GenerateHints,
  depth: number,
  index: number,
  pastMs: number,
): unknown {
  switch (field.kind) {
    case "security": {
      const s = index === 0 && hints.security ? hints.security : random.pick(
        hints.security ? SIM_SECURITIES.filter((c) => c.market === hints.security!.market) : SIM_SECURITIES,
      );
      return { market: qotMarketOf(s.market), code: s.code };
    }
    case "enum": {
      const members = field.members.filter((m) => m.value !== 0 && !/unknown|none/i.test(m.key));
      return random.pick(members.length > 0 ? members : field.members).value;
    }
    case "int64": {
      const n = field.name.toLowerCase();
      if (/time|date/.test(n)) return String(Math.floor(pastMs / 1000));
      if (/qty|volume|shares|num|count|amount|value|cap/.test(n)) return String(random.int(10_000, 900_000_000));
      return String(random.int(100_000_000, 999_999_999));
    }
    case "number":
      return numberFor(field, random, hints, pastMs);
    case "bool":
      return random.next() < 0.5;
    case "string":
      return stringFor(field.name, random, hints, pastMs);
    case "bytes":
      return new Uint8Array();
    case "message":
      return generate(field.shape, random, hints, depth + 1, index);
  }
}

/**
 * A message of this shape with every field set; top-level lists hold 3 to 8 items, nested ones 2 to 4,
 * lists deeper than four levels none.
 */
export function generate(
  shape: MessageShape,
  random: SeededRandom,
  hints: GenerateHints,
  depth = 0,
  index = 0,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  // One instant per record, so its timestamp and date text agree; items of a list go back in
  // time one after another, newest first.
  const pastMs = hints.nowMs - (index + 1) * random.int(1, 45) * DAY_MS;
  for (const field of shape.fields) {
    if (!field.repeated) {
      out[field.name] = fieldValue(field, random, hints, depth, index, pastMs);
      continue;
    }
    const length = depth >= MAX_DEPTH ? 0 : depth > 0 ? random.int(2, 4) : random.int(3, 8);
    out[field.name] = Array.from({ length }, (_, i) => fieldValue(field, random, hints, depth, i, pastMs));
  }
  return out;
}
