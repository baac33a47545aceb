/**
 * Macro indicators of the simulated world (employment, inflation, growth,
 * activity and policy rates of the eight regions OpenD covers) and their
 * releases, which the indicator list, an indicator's history and the
 * economic calendar all read, so they agree: the calendar's previous,
 * consensus and actual of a release are the history's previous, predicted
 * and reported values of that period.
 *
 * Generated, not historical: each series is a pure function of the sim
 * seed, a mean-reverting random walk around a plausible level from January
 * 2000 (policy rates move in steps), released on the statistics office's
 * usual schedule (e.g. US payrolls on the first Friday at 08:30 New York)
 * in the region's time zone. The Fed funds target rate is the path of
 * `macro_fed.ts`, released at each FOMC decision, and the HKMA base rate
 * follows it (its lower bound + 50 bp) the next morning.
 *
 * @module
 */
import { SeededRandom } from "./seeded_random.ts";
import { fomcDecisions } from "./macro_fed.ts";
import { addDays, monthEnd, nthWeekday, weekdayOnOrAfter, zonedUtc } from "./_macro_time.ts";

/** A region (`Qot_GetMacroIndicatorList.MacroRegion` name). */
export type MacroRegionName = "HK" | "US" | "JP" | "SG" | "AU" | "CA" | "MY" | "CN";

/** `Qot_GetMacroIndicatorHistory.MacroDataUnitType` names. */
export type MacroUnit = "PERCENT" | "VALUE" | "INDEX";

type Frequency = "monthly" | "quarterly" | "weekly" | "fomc" | "hk_base";

interface IndicatorSpec {
  region: MacroRegionName;
  category: string;
  name: string;
  /** The economic calendar's title. */
  title: string;
  frequency: Frequency;
  unit: MacroUnit;
  level: number;
  /** Per-period shock (standard deviation). */
  sd: number;
  /** Pull towards `level` per period (0 none, 1 full). */
  reversion: number;
  /** Decimals kept; negative rounds to tens, hundreds, thousands. */
  digits: number;
  /** Policy rates: moves of this size only. */
  step?: number;
  star: 1 | 2 | 3;
  /** Monthly and quarterly: day of the following month (or month after the quarter) it is released on. */
  releaseDay?: number;
  /** Months after the period's end it is released in (default 1). */
  releaseLag?: number;
  /** Released on the first Friday instead (US payrolls). */
  firstFriday?: boolean;
  /** Local release time, minutes after midnight. */
  releaseMinute: number;
}

/** A region's country name and time zone. */
export const REGIONS: Readonly<Record<MacroRegionName, { country: string; timeZone: string; id: number }>> = {
  HK: { country: "Hong Kong", timeZone: "Asia/Hong_Kong", id: 1 },
  US: { country: "United States", timeZone: "America/New_York", id: 2 },
  JP: { country: "Japan", timeZone: "Asia/Tokyo", id: 3 },
  SG: { country: "Singapore", timeZone: "Asia/Singapore", id: 4 },
  AU: { country: "Australia", timeZone: "Australia/Sydney", id: 5 },
  CA: { country: "Canada", timeZone: "America/Toronto", id: 6 },
  MY: { country: "Malaysia", timeZone: "Asia/Kuala_Lumpur", id: 7 },
  CN: { country: "China", timeZone: "Asia/Shanghai", id: 8 },
};

const M = 60;
const pct = (
  region: MacroRegionName,
  category: string,
  name: string,
  level: number,
  sd: number,
  extra: Partial<IndicatorSpec> & { releaseMinute: number },
): IndicatorSpec => ({
  region,
  category,
  name,
  title: `${REGIONS[region].country} ${name}`,
  frequency: "monthly",
  unit: "PERCENT",
  level,
  sd,
  reversion: 0.12,
  digits: 1,
  star: 2,
  releaseDay: 12,
  ...extra,
});

const SPECS: readonly IndicatorSpec[] = [
  pct("US", "Employment", "Unemployment Rate", 4.1, 0.1, { firstFriday: true, releaseMinute: 8 * M + 30, star: 3 }),
  {
    ...pct("US", "Employment", "Nonfarm Payrolls", 150_000, 70_000, { firstFriday: true, releaseMinute: 8 * M + 30 }),
    unit: "VALUE",
    reversion: 0.6,
    digits: -3,
    star: 3,
  },
  {
    ...pct("US", "Employment", "Initial Jobless Claims", 225_000, 7_000, { releaseMinute: 8 * M + 30 }),
    frequency: "weekly",
    unit: "VALUE",
    reversion: 0.15,
    digits: -3,
  },
  pct("US", "Inflation", "CPI YoY", 2.8, 0.15, { releaseDay: 13, releaseMinute: 8 * M + 30, star: 3 }),
  pct("US", "Inflation", "Core CPI YoY", 3, 0.1, { releaseDay: 13, releaseMinute: 8 * M + 30, star: 3 }),
  pct("US", "Inflation", "Core PCE Price Index YoY", 2.7, 0.08, { releaseDay: 28, releaseMinute: 8 * M + 30 }),
  {
    ...pct("US", "Growth", "GDP QoQ Annualized", 2.2, 1.1, { releaseDay: 28, releaseMinute: 8 * M + 30, star: 3 }),
    frequency: "quarterly",
    reversion: 0.5,
  },
  pct("US", "Consumption", "Retail Sales MoM", 0.3, 0.45, { releaseDay: 15, releaseMinute: 8 * M + 30 }),
  {
    ...pct("US", "Manufacturing", "ISM Manufacturing PMI", 49.5, 1, { releaseDay: 1, releaseMinute: 10 * M }),
    unit: "INDEX",
    reversion: 0.15,
  },
  {
    ...pct("US", "Interest Rates", "Fed Funds Target Rate (Upper Bound)", 0, 0, { releaseMinute: 14 * M, star: 3 }),
    title: "Fed Interest Rate Decision",
    frequency: "fomc",
    digits: 2,
  },
  pct("HK", "Employment", "Unemployment Rate", 3, 0.08, { releaseDay: 18, releaseMinute: 16 * M + 30 }),
  pct("HK", "Inflation", "CPI YoY", 1.6, 0.2, { releaseDay: 21, releaseMinute: 16 * M + 30 }),
  {
    ...pct("HK", "Growth", "GDP YoY", 2.5, 0.9, { releaseDay: 31, releaseMinute: 16 * M + 30, star: 3 }),
    frequency: "quarterly",
    reversion: 0.35,
  },
  pct("HK", "Consumption", "Retail Sales YoY", -1, 2.5, { releaseDay: 2, releaseLag: 2, releaseMinute: 16 * M + 30 }),
  {
    ...pct("HK", "Interest Rates", "HKMA Base Rate", 0, 0, { releaseMinute: 9 * M, star: 2 }),
    frequency: "hk_base",
    digits: 2,
  },
  pct("CN", "Inflation", "CPI YoY", 0.6, 0.25, { releaseDay: 9, releaseMinute: 9 * M + 30, star: 3 }),
  pct("CN", "Inflation", "PPI YoY", -1.8, 0.35, { releaseDay: 9, releaseMinute: 9 * M + 30 }),
  {
    ...pct("CN", "Manufacturing", "NBS Manufacturing PMI", 49.8, 0.45, { releaseDay: 0, releaseMinute: 9 * M + 30 }),
    unit: "INDEX",
    star: 3,
  },
  {
    ...pct("CN", "Growth", "GDP YoY", 5, 0.3, { releaseDay: 17, releaseMinute: 10 * M, star: 3 }),
    frequency: "quarterly",
    reversion: 0.3,
  },
  {
    ...pct("CN", "Interest Rates", "1-Year Loan Prime Rate", 3.1, 0, {
      releaseDay: 20,
      releaseLag: 0,
      releaseMinute: 9 * M + 15,
    }),
    step: 0.1,
    digits: 2,
  },
  pct("JP", "Inflation", "National CPI YoY", 2.4, 0.2, { releaseDay: 20, releaseMinute: 8 * M + 30 }),
  pct("JP", "Employment", "Unemployment Rate", 2.5, 0.08, { releaseDay: 30, releaseMinute: 8 * M + 30 }),
  {
    ...pct("JP", "Interest Rates", "BoJ Policy Rate", 0.5, 0, { releaseDay: 20, releaseLag: 0, releaseMinute: 12 * M }),
    step: 0.25,
    digits: 2,
    star: 3,
  },
  pct("SG", "Inflation", "CPI YoY", 1.5, 0.25, { releaseDay: 23, releaseMinute: 13 * M }),
  {
    ...pct("SG", "Growth", "GDP YoY", 3, 0.8, { releaseDay: 14, releaseMinute: 8 * M }),
    frequency: "quarterly",
    reversion: 0.35,
  },
  pct("AU", "Employment", "Unemployment Rate", 4.1, 0.1, { releaseDay: 16, releaseMinute: 11 * M + 30 }),
  pct("AU", "Inflation", "Monthly CPI YoY", 2.8, 0.25, { releaseDay: 27, releaseMinute: 11 * M + 30 }),
  {
    ...pct("AU", "Interest Rates", "RBA Cash Rate", 3.85, 0, {
      releaseDay: 5,
      releaseLag: 0,
      releaseMinute: 14 * M + 30,
    }),
    step: 0.25,
    digits: 2,
    star: 3,
  },
  pct("CA", "Employment", "Unemployment Rate", 6.8, 0.12, { firstFriday: true, releaseMinute: 8 * M + 30 }),
  pct("CA", "Inflation", "CPI YoY", 2.1, 0.2, { releaseDay: 17, releaseMinute: 8 * M + 30 }),
  {
    ...pct("CA", "Interest Rates", "BoC Policy Rate", 2.75, 0, {
      releaseDay: 10,
      releaseLag: 0,
      releaseMinute: 9 * M + 45,
    }),
    step: 0.25,
    digits: 2,
    star: 3,
  },
  pct("MY", "Inflation", "CPI YoY", 1.5, 0.2, { releaseDay: 22, releaseMinute: 12 * M }),
  {
    ...pct("MY", "Interest Rates", "BNM Overnight Policy Rate", 2.75, 0, {
      releaseDay: 8,
      releaseLag: 0,
      releaseMinute: 15 * M,
    }),
    step: 0.25,
    digits: 2,
  },
];

/** One indicator of the list. */
export interface MacroIndicator extends IndicatorSpec {
  /** `indicatorId`: 100000 × region + number. */
  id: number;
  country: string;
  timeZone: string;
}

/** Every indicator, ids by region. */
export const MACRO_INDICATORS: readonly MacroIndicator[] = (() => {
  const counts = new Map<MacroRegionName, number>();
  return SPECS.map((spec) => {
    const n = (counts.get(spec.region) ?? 0) + 1;
    counts.set(spec.region, n);
    const region = REGIONS[spec.region];
    return { ...spec, id: region.id * 100_000 + n, country: region.country, timeZone: region.timeZone };
  });
})();

/** An indicator by id. */
export function macroIndicator(id: number): MacroIndicator | undefined {
  return MACRO_INDICATORS.find((i) => i.id === id);
}

/** One period of a series. */
export interface MacroRelease {
  /** The period, "YYYY-MM-DD" (its last day; the meeting day for policy decisions). */
  period: string;
  /** The release instant. */
  releaseMs: number;
  value: number;
  previous: number;
  consensus: number;
}

const FIRST_YEAR = 2000;

function round(value: number, digits: number): number {
  if (digits < 0) {
    const f = 10 ** -digits;
    return Math.round(value / f) * f;
  }
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** A standard normal draw. */
function gauss(random: SeededRandom): number {
  const u = Math.max(1e-12, random.next());
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.next());
}

/** Periods and release days of a calendar series through `lastYear`. */
function schedule(indicator: MacroIndicator, lastYear: number): { period: string; releaseDay: string }[] {
  const out: { period: string; releaseDay: string }[] = [];
  if (indicator.frequency === "weekly") {
    // Weeks ending Saturday, released the Thursday after.
    let saturday = "2000-01-01";
    while (Number(saturday.slice(0, 4)) <= lastYear) {
      out.push({ period: saturday, releaseDay: addDays(saturday, 5) });
      saturday = addDays(saturday, 7);
    }
    return out;
  }
  const months = indicator.frequency === "quarterly" ? [3, 6, 9, 12] : [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  for (let year = FIRST_YEAR; year <= lastYear; year++) {
    for (const month of months) {
      const period = monthEnd(year, month);
      const lag = indicator.releaseLag ?? 1;
      const target = new Date(Date.UTC(year, month - 1 + lag, 1));
      const [ry, rm] = [target.getUTCFullYear(), target.getUTCMonth() + 1];
      let releaseDay: string;
      if (indicator.firstFriday) releaseDay = nthWeekday(ry, rm, 5, 1);
      else if (indicator.releaseDay === 0) releaseDay = period; // on the period's last day (China's PMI)
      else {
        const day = Math.min(indicator.releaseDay ?? 12, Number(monthEnd(ry, rm).slice(8)));
        releaseDay = weekdayOnOrAfter(`${ry}-${String(rm).padStart(2, "0")}-${String(day).padStart(2, "0")}`);
      }
      // A policy decision's period is its day.
      out.push({ period: lag === 0 ? releaseDay : period, releaseDay });
    }
  }
  return out;
}

const cache = new Map<string, MacroRelease[]>();

/** Every release of an indicator from 2000 through `lastYear` (future ones included), oldest first. */
export function macroReleases(seed: number, indicator: MacroIndicator, lastYear: number): MacroRelease[] {
  const key = `${seed}|${indicator.id}|${lastYear}`;
  const known = cache.get(key);
  if (known) return known;
  let out: MacroRelease[];
  if (indicator.frequency === "fomc" || indicator.frequency === "hk_base") {
    const hk = indicator.frequency === "hk_base";
    out = fomcDecisions(seed, lastYear).map((d) => {
      const value = hk ? d.range.lower + 0.5 : d.range.upper;
      const previous = hk ? d.previous.lower + 0.5 : d.previous.upper;
      const releaseMs = hk ? zonedUtc(indicator.timeZone, addDays(d.date, 1), indicator.releaseMinute) : d.decisionMs;
      return { period: d.date, releaseMs, value, previous, consensus: value };
    });
  } else {
    const random = new SeededRandom(seed, "macro", indicator.id);
    let value = indicator.level;
    let previous = value;
    out = schedule(indicator, lastYear).map(({ period, releaseDay }) => {
      previous = value;
      if (indicator.step) {
        const u = random.next();
        const towards = value > indicator.level ? -1 : 1;
        if (u < 0.06) value = round(value + towards * indicator.step, indicator.digits);
        else if (u < 0.09) value = round(Math.max(0, value - towards * indicator.step), indicator.digits);
      } else {
        value = round(
          value + indicator.reversion * (indicator.level - value) + indicator.sd * gauss(random),
          indicator.digits,
        );
      }
      const miss = indicator.step ? 0 : indicator.sd * 0.5 * gauss(random);
      const consensus = round(value - miss, indicator.digits);
      return {
        period,
        releaseMs: zonedUtc(indicator.timeZone, releaseDay, indicator.releaseMinute),
        value,
        previous,
        consensus,
      };
    });
  }
  if (cache.size > 500) cache.clear();
  cache.set(key, out);
  return out;
}

/** How a value reads in the economic calendar ("4.1%", "254K", "49.5"). */
export function formatMacroValue(indicator: MacroIndicator, value: number): string {
  if (indicator.unit === "PERCENT") return `${value.toFixed(Math.max(indicator.digits, 0))}%`;
  if (indicator.unit === "INDEX") return value.toFixed(Math.max(indicator.digits, 0));
  const abs = Math.abs(value);
  if (abs >= 1e6) return `${(value / 1e6).toFixed(2)}M`;
  if (abs >= 1e3) return `${Math.round(value / 1e3)}K`;
  return String(value);
}
