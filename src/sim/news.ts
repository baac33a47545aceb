/**
 * News of the simulated market, for Qot_GetSearchNews: what happened in the
 * 120 days before the simulated now, written from the simulator's own
 * events, so a headline never contradicts another reply.
 *
 * Modelled: earnings previews (a week before the report) and results (the
 * estimate and reported EPS of `earnings.ts`, minutes after the release),
 * dividend announcements (three weeks before each ex-date of
 * `corporate_actions.ts`, as company notices), FOMC decisions (the rate path
 * of `macro_fed.ts`) and US CPI, payrolls and unemployment releases (the
 * series of `macro_indicators.ts`). Generated: analyst rating notes (broker,
 * rating and a target around the simulated price at the time), sources, view
 * counts and links, drawn from the sim seed.
 *
 * A search matches an item when every word of the keyword is in its title or
 * names one of its related securities (code, "AAPL.US", "US.AAPL" or name),
 * newest first.
 *
 * @module
 */
import { SIM_SECURITIES, type SimSecurity } from "./catalog.ts";
import { actionsOf } from "./corporate_actions.ts";
import { earningsReports } from "./earnings.ts";
import { SeededRandom } from "./seeded_random.ts";
import type { MarketData } from "./market.ts";
import { fomcDecisions, rangeText } from "./macro_fed.ts";
import { formatMacroValue, MACRO_INDICATORS, macroReleases } from "./macro_indicators.ts";
import { dividendDates, dividendStatement, earningsReleaseMs } from "./_macro_calendars.ts";
import { isoDate, MONTH_NAMES } from "./_macro_time.ts";

/** `Qot_GetSearchNews.NewsSubType` names. */
export type NewsKind = "NEWS" | "NOTICE" | "RATING";

/** One news item. */
export interface NewsItem {
  title: string;
  kind: NewsKind;
  source: string;
  publishMs: number;
  viewCount: number;
  /** "AAPL.US" */
  related: string[];
  url: string;
  /** Lower-case text a search matches against. */
  haystack: string;
}

const DAY_MS = 86_400_000;
const WINDOW_DAYS = 120;
const CURRENCY: Record<string, string> = { HK: "HKD", US: "USD", SH: "CNY", SZ: "CNY" };
const BROKERS = [
  "Goldman Sachs",
  "Morgan Stanley",
  "J.P. Morgan",
  "UBS",
  "Citi",
  "BofA Securities",
  "CICC",
  "Jefferies",
];
const NOTICE_SOURCE: Record<string, string> = { HK: "HKEXnews", US: "PR Newswire", SH: "SSE", SZ: "SZSE" };
/** The name a headline uses ("Apple Inc." → "Apple"). */
export function headlineName(security: SimSecurity): string {
  return security.name.replace(/,? Inc\.$/, "").replace(/ Corporation$/, "");
}

/** "AAPL.US", as news lists related securities. */
export function newsSymbol(security: SimSecurity): string {
  return `${security.code}.${security.market}`;
}

function stocks(): SimSecurity[] {
  return SIM_SECURITIES.filter((s) => s.kind === "stock");
}

function item(
  seed: number,
  fields: Omit<NewsItem, "viewCount" | "url" | "haystack">,
  securities: readonly SimSecurity[],
): NewsItem {
  const random = new SeededRandom(seed, "news", fields.title, fields.publishMs);
  const names = securities.flatMap((s) => [s.code, newsSymbol(s), s.symbol, s.name, headlineName(s)]);
  return {
    ...fields,
    viewCount: random.int(300, 60_000),
    url: `https://news.futunn.com/en/post/${random.int(10_000_000, 99_999_999)}`,
    haystack: [fields.title, ...names].join("\n").toLowerCase(),
  };
}

function money(security: SimSecurity, amount: number): string {
  return `${CURRENCY[security.market]} ${amount.toFixed(2)}`;
}

function companyNews(market: MarketData, security: SimSecurity, fromMs: number, nowMs: number): NewsItem[] {
  const seed = market.seed;
  const out: NewsItem[] = [];
  const name = headlineName(security);
  const related = [newsSymbol(security)];
  const from = isoDate(fromMs - DAY_MS);
  const to = isoDate(nowMs + 8 * DAY_MS);
  for (const report of earningsReports(security, from, to)) {
    const releaseMs = Date.parse(`${report.date}T00:00:00Z`);
    const preview = releaseMs - 7 * DAY_MS + 13 * 3_600_000;
    if (preview >= fromMs && preview <= nowMs) {
      out.push(item(seed, {
        title: `${name} to report ${report.fiscalYear} Q${report.quarter} earnings on ${report.date}; ` +
          `analysts expect EPS of ${money(security, report.epsEstimate)}`,
        kind: "NEWS",
        source: "Futu News",
        publishMs: preview,
        related,
      }, [security]));
    }
    // The release itself: ten minutes after the calendar's instant (before the open or after the close).
    const resultMs = earningsReleaseMs(security, report.date, report.session) + 10 * 60_000;
    if (resultMs >= fromMs && resultMs <= nowMs) {
      const verdict = report.epsActual > report.epsEstimate
        ? "beats"
        : report.epsActual < report.epsEstimate
        ? "misses"
        : "matches";
      out.push(item(seed, {
        title: `${name} ${report.fiscalYear} Q${report.quarter} EPS ${money(security, report.epsActual)} ${verdict} ` +
          `the ${money(security, report.epsEstimate)} estimate`,
        kind: "NEWS",
        source: "Benzinga",
        publishMs: resultMs,
        related,
      }, [security]));
    }
  }
  for (const action of actionsOf(security)) {
    if (!(action.dividend || action.specialDividend)) continue;
    const publishMs = action.exMs - 21 * DAY_MS + 18 * 3_600_000;
    if (publishMs < fromMs || publishMs > nowMs) continue;
    const { record, payable } = dividendDates(security, action.exDate);
    out.push(item(seed, {
      title: `${name} announces ${dividendStatement(security, action).replace(/^Cash/, "cash")}; ` +
        `ex-date ${action.exDate}, record date ${record}, payable ${payable}`,
      kind: "NOTICE",
      source: NOTICE_SOURCE[security.market],
      publishMs,
      related,
    }, [security]));
  }
  const random = new SeededRandom(seed, "ratings", security.symbol);
  for (let ms = fromMs + random.int(0, 6) * DAY_MS; ms <= nowMs; ms += random.int(6, 14) * DAY_MS) {
    const publishMs = ms + random.int(0, 12) * 3_600_000;
    if (publishMs > nowMs) break;
    const price = market.priceAt(security, publishMs);
    const rating = random.pick(["Buy", "Buy", "Overweight", "Hold", "Neutral", "Sell"]);
    const action = random.pick(["reiterates", "upgrades", "downgrades", "initiates"]);
    const upside = rating === "Sell"
      ? random.real(-0.25, -0.05, 3)
      : rating === "Hold" || rating === "Neutral"
      ? random.real(-0.05, 0.08, 3)
      : random.real(0.08, 0.35, 3);
    const verb = action === "upgrades" || action === "downgrades" ? `${action} ${name} to` : `${action} ${name} at`;
    out.push(item(seed, {
      title: `${random.pick(BROKERS)} ${verb} ${rating}, price target ${money(security, price * (1 + upside))}`,
      kind: "RATING",
      source: "Benzinga",
      publishMs,
      related,
    }, [security]));
  }
  return out;
}

/** The US series whose releases make headlines. */
const MACRO_HEADLINES = new Set(["Unemployment Rate", "Nonfarm Payrolls", "CPI YoY"]);

function macroNews(seed: number, fromMs: number, nowMs: number): NewsItem[] {
  const out: NewsItem[] = [];
  const year = new Date(nowMs).getUTCFullYear();
  for (const d of fomcDecisions(seed, year)) {
    const publishMs = d.decisionMs + 2 * 60_000;
    if (publishMs < fromMs || publishMs > nowMs) continue;
    const move = d.range.lower - d.previous.lower;
    const title = move === 0
      ? `Fed holds rates steady at ${rangeText(d.range)}`
      : `Fed ${move < 0 ? "cuts" : "raises"} rates by ${Math.round(Math.abs(move) * 100)} bp to ${rangeText(d.range)}`;
    out.push(
      item(seed, { title: `${title} (FOMC)`, kind: "NEWS", source: "MT Newswires", publishMs, related: [] }, []),
    );
  }
  for (const indicator of MACRO_INDICATORS.filter((i) => i.region === "US" && MACRO_HEADLINES.has(i.name))) {
    for (const r of macroReleases(seed, indicator, year)) {
      const publishMs = r.releaseMs + 60_000;
      if (publishMs < fromMs || publishMs > nowMs) continue;
      const month = MONTH_NAMES[Number(r.period.slice(5, 7)) - 1];
      const [value, consensus] = [formatMacroValue(indicator, r.value), formatMacroValue(indicator, r.consensus)];
      const versus = r.value > r.consensus ? "above" : r.value < r.consensus ? "below" : "in line with";
      out.push(item(seed, {
        title: `US ${indicator.name} ${value} in ${month}, ${versus} the ${consensus} consensus`,
        kind: "NEWS",
        source: "MT Newswires",
        publishMs,
        related: [],
      }, []));
    }
  }
  return out;
}

/** Every item of the window before now, newest first. */
export function newsCorpus(market: MarketData): NewsItem[] {
  const nowMs = market.clock.now();
  const fromMs = nowMs - WINDOW_DAYS * DAY_MS;
  const all = [
    ...stocks().flatMap((s) => companyNews(market, s, fromMs, nowMs)),
    ...macroNews(market.seed, fromMs, nowMs),
  ];
  return all.sort((a, b) => b.publishMs - a.publishMs || a.title.localeCompare(b.title));
}

/** The items a keyword finds (every word must match), newest first. */
export function searchNews(market: MarketData, keyword: string, kind?: NewsKind): NewsItem[] {
  const words = keyword.trim().toLowerCase().split(/\s+/).filter((w) => w !== "");
  return newsCorpus(market).filter((n) =>
    (kind === undefined || n.kind === kind) && words.every((w) => n.haystack.includes(w))
  );
}
