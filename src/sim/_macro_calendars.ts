/**
 * The earnings and dividend calendars of the simulated market (private to
 * src/sim). Modelled, nothing generated:
 *
 * - An earnings calendar item is one report of `earnings.ts` (the one the
 *   financial statements and the earnings price reaction read): its date and
 *   session (before the open at 08:30 or after the close, 30 minutes after
 *   the last session ends, market-local), its fiscal quarter ("2026Q3"), the
 *   EPS estimate and, only once released before the simulated now, the
 *   reported EPS, in the market's currency. Price is the current price,
 *   market cap price × shares outstanding; `iv` is the implied volatility of
 *   the at-the-money call of the first listed expiry on or after the report
 *   (stocks with listed options). The simulator keeps no option volume, IV
 *   rank or IV percentile history for stocks, so those fields stay unset.
 * - A dividend calendar item is one cash dividend of `corporate_actions.ts`
 *   (the one Qot_RequestRehab's factors are built from) on its ex-date, with
 *   the record and payment dates by each market's settlement custom: US
 *   record on the ex-date, paid 10 days later; HK record 2 business days
 *   after the ex-date, paid 4 weeks after it; A-shares record the business
 *   day before the ex-date, paid on it.
 *
 * @module
 */
import {
  type Qot_GetDividendCalendar_DividendCalendarItem,
  Qot_GetEarningsCalendar_EarningsCalendarEstimateType,
  type Qot_GetEarningsCalendar_EarningsCalendarItem,
  Qot_GetEarningsCalendar_EarningsCalendarPeriodType,
  Qot_GetEarningsCalendar_EarningsCalendarPubType,
} from "../gateway/proto/messages.ts";
import { qotMarketOf } from "../gateway/symbols.ts";
import { securityByCode, SIM_SECURITIES, type SimSecurity } from "./catalog.ts";
import { localTime, sessionsOn, type SimMarket, utcOf } from "./clock.ts";
import { actionsOf, type ResolvedAction } from "./corporate_actions.ts";
import { earningsReports } from "./earnings.ts";
import type { MarketData } from "./market.ts";
import { listedExpiries, listedStrikes, optionCode } from "./option_chains.ts";
import { addDays, weekdayOnOrAfter } from "./_macro_time.ts";

const DAY_MS = 86_400_000;
const CURRENCY: Record<SimMarket, string> = { HK: "HKD", US: "USD", SH: "CNY", SZ: "CNY" };

const PUB_TYPE = Qot_GetEarningsCalendar_EarningsCalendarPubType;
const EPS = Qot_GetEarningsCalendar_EarningsCalendarEstimateType.EPS;
const QUARTERLY = Qot_GetEarningsCalendar_EarningsCalendarPeriodType.Quarterly;

/** The catalog stocks of a market. */
export function stocksOf(market: SimMarket): SimSecurity[] {
  return SIM_SECURITIES.filter((s) => s.kind === "stock" && s.market === market);
}

function dayNumber(day: string): number {
  return Math.floor(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
}

/** The release instant of a report: before the open or after the close of its day. */
export function earningsReleaseMs(security: SimSecurity, day: string, session: "BEFORE_OPEN" | "AFTER_CLOSE"): number {
  const n = dayNumber(day);
  const sessions = sessionsOn(security.market, n);
  const open = sessions[0]?.[0] ?? 9 * 60 + 30;
  const close = sessions.at(-1)?.[1] ?? 16 * 60;
  return utcOf(security.market, n, session === "BEFORE_OPEN" ? open - 60 : close + 30);
}

/** The implied volatility (%) of the at-the-money call of the first listed expiry on or after `day`. */
function atmIv(market: MarketData, security: SimSecurity, day: string, nowMs: number): number | undefined {
  const root = security.chain?.root;
  if (!root) return undefined;
  const today = localTime(security.market, nowMs).day;
  const expiry = listedExpiries(security, today).find((e) => e.date >= day);
  if (!expiry) return undefined;
  const spot = market.currentPrice(security);
  const strikes = listedStrikes(security, market.previousClose(security, nowMs));
  if (strikes.length === 0) return undefined;
  const strike = strikes.reduce((best, k) => (Math.abs(k - spot) < Math.abs(best - spot) ? k : best), strikes[0]);
  const contract = securityByCode(security.market, optionCode(root, expiry.day, "CALL", strike));
  return contract ? Math.round(contract.volatility * 100 * 100) / 100 : undefined;
}

/** An earnings calendar item and the figures it sorts and filters by. */
export interface EarningsEntry {
  item: Qot_GetEarningsCalendar_EarningsCalendarItem;
  /** Market cap at the previous close (the "historical" market cap). */
  closeCap: number;
}

/** The earnings reports of a market's catalog stocks released from `from` to `to` (market-local, inclusive). */
export function earningsEntries(market: MarketData, simMarket: SimMarket, from: string, to: string): EarningsEntry[] {
  const now = market.clock.now();
  const out: EarningsEntry[] = [];
  for (const security of stocksOf(simMarket)) {
    const price = market.currentPrice(security);
    const shares = security.sharesOutstanding ?? 0;
    for (const report of earningsReports(security, from, to)) {
      const ms = earningsReleaseMs(security, report.date, report.session);
      const released = ms <= now;
      const iv = atmIv(market, security, report.date, now);
      out.push({
        item: {
          security: { market: qotMarketOf(security.market), code: security.code },
          name: security.name,
          earningsDate: report.date,
          earningsTimestamp: ms / 1000,
          pubType: report.session === "BEFORE_OPEN" ? PUB_TYPE.Before : PUB_TYPE.After,
          periodText: `${report.fiscalYear}Q${report.quarter}`,
          estimateList: [{
            estimateType: EPS,
            predictValue: report.epsEstimate,
            ...(released ? { actualValue: report.epsActual } : {}),
            currency: CURRENCY[security.market],
            periodType: QUARTERLY,
          }],
          ...(iv === undefined ? {} : { iv }),
          marketCap: Math.round(price * shares * 100) / 100,
          price,
        },
        closeCap: Math.round(market.previousClose(security, now) * shares * 100) / 100,
      });
    }
  }
  return out;
}

/** The business day `n` days after (or before, negative) `day`, weekends skipped. */
function businessDays(day: string, n: number): string {
  let d = day;
  const step = n < 0 ? -1 : 1;
  for (let left = Math.abs(n); left > 0;) {
    d = addDays(d, step);
    const weekday = new Date(`${d}T00:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6) left--;
  }
  return d;
}

function money(currency: string, amount: number): string {
  return `${currency} ${amount.toFixed(amount < 0.1 ? 3 : 2)}`;
}

/** The statement of a dividend, e.g. "Cash dividend USD 0.25 per share". */
export function dividendStatement(security: SimSecurity, action: ResolvedAction): string {
  const currency = CURRENCY[security.market];
  const parts = [];
  if (action.dividend) parts.push(`Cash dividend ${money(currency, action.dividend)} per share`);
  if (action.specialDividend) parts.push(`special dividend ${money(currency, action.specialDividend)} per share`);
  return parts.join("; ");
}

/** A dividend's record and payment dates. */
export function dividendDates(security: SimSecurity, exDate: string): { record: string; payable: string } {
  switch (security.market) {
    case "US":
      return { record: exDate, payable: weekdayOnOrAfter(addDays(exDate, 10)) };
    case "HK":
      return { record: businessDays(exDate, 2), payable: weekdayOnOrAfter(addDays(exDate, 28)) };
    default:
      return { record: businessDays(exDate, -1), payable: exDate };
  }
}

/** The cash dividends of a market's catalog stocks going ex on `date`, by symbol. */
export function dividendItems(market: SimMarket, date: string): Qot_GetDividendCalendar_DividendCalendarItem[] {
  const out: Qot_GetDividendCalendar_DividendCalendarItem[] = [];
  for (const security of stocksOf(market)) {
    for (const action of actionsOf(security)) {
      if (action.exDate !== date || !(action.dividend || action.specialDividend)) continue;
      const { record, payable } = dividendDates(security, action.exDate);
      out.push({
        security: { market: qotMarketOf(security.market), code: security.code },
        name: security.name,
        statement: dividendStatement(security, action),
        recordDate: record,
        exDate: action.exDate,
        dividendPayableDate: payable,
      });
    }
  }
  return out.sort((a, b) => a.security.code.localeCompare(b.security.code));
}
