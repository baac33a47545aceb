/**
 * Company profile, management and operational efficiency of the simulated
 * OpenD. The profile is the catalog's name, listing date and market, the
 * company's standing facts, its chairman and chief executive (the same
 * people the executives reply lists), its headcount from the financial
 * model, and market figures at the current simulated price: market cap =
 * price × shares outstanding, P/E = price / EPS, P/B = price / net assets per
 * share, dividend yield = trailing dividends / price. Executives are
 * deterministic fictional people (names from fixed pools, per seed and
 * stock); the background request accepts exactly the `leaderName`s the
 * executives reply lists. Efficiency divides each period's revenue,
 * operating income and net income (`fundamentals_financials.ts`) by the
 * period-end headcount.
 *
 * @module
 */
import type {
  Qot_GetCompanyExecutiveBackground_C2S,
  Qot_GetCompanyExecutiveBackground_S2C,
  Qot_GetCompanyExecutives_C2S,
  Qot_GetCompanyExecutives_DirectorInfo,
  Qot_GetCompanyExecutives_S2C,
  Qot_GetCompanyOperationalEfficiency_C2S,
  Qot_GetCompanyOperationalEfficiency_S2C,
  Qot_GetCompanyProfile_C2S,
  Qot_GetCompanyProfile_S2C,
} from "../gateway/proto/messages.ts";
import { Qot_Common_CompanyProfileFieldType } from "../gateway/proto/messages.ts";
import { fail, round } from "./_handler_common.ts";
import {
  currencyOf,
  dayOf,
  daySeconds,
  FIRST_NAMES,
  LAST_NAMES,
  listingCurrency,
  localDay,
  page,
  randomOf,
  stockOf,
} from "./_fundamentals_common.ts";
import { factsOf } from "./_fundamentals_profiles.ts";
import type { SimSecurity } from "./catalog.ts";
import { changePct, kindsOf, periodOf, publishedPeriods } from "./fundamentals_financials.ts";
import type { SimContext } from "./handlers.ts";
import { formatDay } from "./clock.ts";

const FEMALE = new Set(["Maria", "Priya", "Yuki", "Olivia", "Hannah", "Sofia", "Laura", "Mei", "Anika", "Grace"]);

const POSITIONS = [
  "Chairman of the Board",
  "Chief Executive Officer",
  "Chief Financial Officer",
  "Chief Operating Officer",
  "Chief Technology Officer",
  "General Counsel and Company Secretary",
  "Independent Non-executive Director",
  "Independent Non-executive Director",
] as const;

const EDUCATION = ["Bachelor's degree", "Master's degree", "MBA", "PhD"] as const;
const PREVIOUS = ["McKinsey & Company", "Goldman Sachs", "Microsoft", "Unilever", "Deloitte", "Samsung Electronics"];

/** One simulated executive. */
interface Executive {
  name: string;
  gender: "Male" | "Female";
  position: string;
  beginDate: string;
  age: number;
  education: string;
  salary: number;
  previousEmployer: string;
}

const executiveCache = new Map<string, Executive[]>();

/** The directors and officers of a stock (the chairman first, the CEO second). */
export function executivesOf(seed: number, security: SimSecurity, nowMs: number): Executive[] {
  // Appointments start by mid-2025 (a year before "now" for an earlier clock), so the list stays put as the clock runs.
  const lastDay = Math.min(dayOf("2025-06-30"), localDay(security.market, nowMs) - 365);
  const key = `${seed}|${security.symbol}|${lastDay}`;
  const known = executiveCache.get(key);
  if (known) return known;
  const random = randomOf(seed, security.symbol, "executives");
  const used = new Set<string>();
  const firstDay = Math.max(dayOf(security.listDate), dayOf("2008-01-01"));
  const executives = POSITIONS.map((position, i) => {
    let name: string;
    do name = `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`; while (used.has(name));
    used.add(name);
    const independent = position.startsWith("Independent");
    const salary = i === 1 ? random.int(3_000, 25_000) : independent ? random.int(100, 400) : random.int(800, 8_000);
    return {
      name,
      gender: FEMALE.has(name.split(" ")[0]) ? "Female" as const : "Male" as const,
      position,
      beginDate: formatDay(random.int(firstDay, Math.max(firstDay, lastDay))),
      age: random.int(42, 68),
      education: random.pick(EDUCATION),
      salary: salary * 1_000,
      previousEmployer: random.pick(PREVIOUS),
    };
  });
  if (executiveCache.size > 1_000) executiveCache.clear();
  executiveCache.set(key, executives);
  return executives;
}

/** The latest published annual report's release day, "YYYY-MM-DD" (when the executive list was filed). */
function annualReportDay(seed: number, security: SimSecurity, nowMs: number): string | undefined {
  return publishedPeriods(seed, security, nowMs, [7])[0]?.report.date;
}

/** Qot_GetCompanyProfile. */
export function companyProfile(ctx: SimContext, c2s: Qot_GetCompanyProfile_C2S): Qot_GetCompanyProfile_S2C {
  const security = stockOf(c2s.security);
  const now = ctx.market.clock.now();
  const facts = factsOf(security);
  const executives = executivesOf(ctx.market.seed, security, now);
  const price = ctx.market.currentPrice(security);
  const shares = security.sharesOutstanding ?? 0;
  const currency = listingCurrency(security);
  const annual = publishedPeriods(ctx.market.seed, security, now, [7])[0];
  const { SourceText, LinkType, IndependentTitle } = Qot_Common_CompanyProfileFieldType;
  const text = (name: string, value: string) => ({ name, value, fieldType: SourceText });
  const items = [
    { name: "Company Information", value: "", fieldType: IndependentTitle },
    text("Company Name", security.name),
    text("Symbol", security.symbol),
    text("Listing Market", security.market),
    text("Listing Date", security.listDate),
    text("Industry", facts.industry),
    text("Founded", String(facts.founded)),
    text("Headquarters", facts.headquarters),
    text("Chairman", executives[0].name),
    text("Chief Executive Officer", executives[1].name),
    ...(annual ? [text("Employees", String(annual.values.employees))] : []),
    text("Fiscal Year End", "12-31"),
    text("Auditor", facts.auditor),
    text("Shares Outstanding", String(shares)),
    text("Currency", currency),
    { name: "Website", value: facts.website, fieldType: LinkType },
    { name: "Market Data", value: "", fieldType: IndependentTitle },
    text("Price", price.toFixed(3)),
    text("Market Cap", (Math.round(price * shares * 100) / 100).toFixed(2)),
    ...(security.eps ? [text("P/E (TTM)", (price / security.eps).toFixed(2))] : []),
    ...(security.netAssetPerShare ? [text("P/B", (price / security.netAssetPerShare).toFixed(2))] : []),
    text("Dividend Yield (TTM)", `${((security.dividendTTM ?? 0) / price * 100).toFixed(2)}%`),
    { name: "Business", value: "", fieldType: IndependentTitle },
    text("Business Description", facts.business),
  ];
  return { itemList: items };
}

/** Qot_GetCompanyExecutives. */
export function companyExecutives(ctx: SimContext, c2s: Qot_GetCompanyExecutives_C2S): Qot_GetCompanyExecutives_S2C {
  const security = stockOf(c2s.security);
  const now = ctx.market.clock.now();
  const issued = annualReportDay(ctx.market.seed, security, now);
  const directorList: Qot_GetCompanyExecutives_DirectorInfo[] = executivesOf(ctx.market.seed, security, now).map((
    e,
  ) => ({
    displayLeaderName: `${e.gender === "Female" ? "Ms." : "Mr."} ${e.name}`,
    leaderName: e.name,
    positionName: e.position,
    beginDate: String(daySeconds(security.market, e.beginDate)),
    beginDateStr: e.beginDate,
    leaderGender: e.gender,
    leaderAge: String(e.age),
    highestEducation: e.education,
    annualSalary: String(e.salary),
    issueDate: issued ? String(daySeconds(security.market, issued)) : undefined,
    issueDateStr: issued,
  }));
  return { directorList };
}

/** Qot_GetCompanyExecutiveBackground. */
export function executiveBackground(
  ctx: SimContext,
  c2s: Qot_GetCompanyExecutiveBackground_C2S,
): Qot_GetCompanyExecutiveBackground_S2C {
  const security = stockOf(c2s.security);
  if (!c2s.leaderName) fail("leaderName is required: pass a leaderName from Qot_GetCompanyExecutives");
  const executives = executivesOf(ctx.market.seed, security, ctx.market.clock.now());
  const e = executives.find((x) => x.name === c2s.leaderName);
  if (!e) {
    fail(
      `Unknown executive ${
        JSON.stringify(c2s.leaderName)
      } of ${security.symbol}: pass a leaderName from Qot_GetCompanyExecutives`,
    );
  }
  const pronoun = e.gender === "Female" ? "She" : "He";
  const since = e.beginDate.slice(0, 4);
  return {
    briefBackground: `${e.name}, ${e.age}, has served as ${e.position} of ${security.name} since ${e.beginDate}. ` +
      `${pronoun} previously held senior roles at ${e.previousEmployer} for ${(e.age - 30) % 12 + 5} years ` +
      `before joining the company in ${since}, and holds a ${e.education}.`,
  };
}

/** `financialType` values Qot_GetCompanyOperationalEfficiency supports (0–7). */
const EFFICIENCY_TYPES = [0, 1, 2, 3, 4, 5, 6, 7] as const;

/** Qot_GetCompanyOperationalEfficiency. */
export function operationalEfficiency(
  ctx: SimContext,
  c2s: Qot_GetCompanyOperationalEfficiency_C2S,
): Qot_GetCompanyOperationalEfficiency_S2C {
  const security = stockOf(c2s.security);
  const kinds = kindsOf(c2s.financialType, 0, EFFICIENCY_TYPES);
  const currency = currencyOf(security, c2s.currencyCode);
  const seed = ctx.market.seed;
  const periods = publishedPeriods(seed, security, ctx.market.clock.now(), kinds);
  const { items, nextKey } = page(periods, c2s.nextKey, c2s.num);
  const perCapita = (value: number, staff: number) => round((value * currency.factor) / staff, 2);
  return {
    itemList: items.map((p) => {
      const before = periodOf(seed, security, p.fiscalYear - 1, p.kind).values;
      const v = p.values;
      const now = {
        income: v.revenue / v.employees,
        profit: v.operatingIncome / v.employees,
        net: v.netIncome / v.employees,
      };
      return {
        fiscalYear: p.fiscalYear,
        financialType: p.kind,
        periodText: p.periodText,
        endDate: String(daySeconds(security.market, p.endDate)),
        endDateStr: p.endDate,
        employeeNum: String(v.employees),
        employeeNumYoy: changePct(v.employees, before.employees),
        incomePerCapita: perCapita(v.revenue, v.employees),
        incomePerCapitaYoy: changePct(now.income, before.revenue / before.employees),
        profitPerCapita: perCapita(v.operatingIncome, v.employees),
        profitPerCapitaYoy: changePct(now.profit, before.operatingIncome / before.employees),
        netProfitPerCapita: perCapita(v.netIncome, v.employees),
        netProfitPerCapitaYoy: changePct(now.net, before.netIncome / before.employees),
      };
    }),
    nextKey,
    currencyCode: currency.code,
  };
}
