/**
 * The simulated event contract universe (QotMarket 101, symbols "EC.<code>"):
 * five categories (ECONOMICS, POLITICS, SPORTS, CRYPTO, WEATHER), their tags
 * and sports competitions, twelve series on fixed US Eastern schedules (CPI
 * every 13th, the Fed every six weeks, jobless claims on Thursdays, NFL games
 * on Sundays, EPL on Saturdays, NBA and crypto and NYC temperature daily, the
 * 2028 election, the football championship yearly), and the events and binary
 * contracts of each occurrence, with Kalshi-style stable codes:
 * series "KXCPIYOY", event "KXCPIYOY-26DEC13", contract "KXCPIYOY-26DEC13-T2.7".
 *
 * Modelled, not generated: every event has one latent quantity X (the CPI
 * print, the home team's margin, BTC at 5 pm…) following a Brownian path from
 * its open to its close, X(t) = x0 + σ·W(τ); each contract is an interval
 * (lo, hi] of X, so its fair YES probability is P(lo < X(close) ≤ hi | X(t)),
 * the probabilities of a mutually exclusive event add up to 1, ladders fall as
 * the strike rises, and at the close every contract's result is decided by the
 * same X(close). Occurrences are a pure function of the calendar; which are
 * listed depends on the clock (a window around now), and any occurrence within
 * a year back or its series' horizon ahead resolves by code. Simplifications:
 * sports play year-round, consecutive crypto days are independent.
 *
 * @module
 */
import { Qot_Common_EC_Status } from "../gateway/proto/messages.ts";
import { brownian, hashText, normalCdf, unit } from "./_event_contracts_math.ts";
import { dayOfStamp, etDay, stampOf } from "./_event_contracts_calendar.ts";
import { EC_SERIES, type EcOutcome, type EcSeries, type Occurrence } from "./_event_contracts_series.ts";

export { etDay, etText, utcIso } from "./_event_contracts_calendar.ts";
export { EC_CATEGORIES, EC_SERIES, type EcCategory, type EcOutcome, type EcSeries } from "./_event_contracts_series.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const RETENTION_MS = 365 * DAY;

/** An event: one occurrence of a series. */
export interface EcEvent {
  code: string;
  series: EcSeries;
  name: string;
  subName: string;
  openMs: number;
  closeMs: number;
  startMs?: number;
  x0: number;
  sigma: number;
  mutuallyExclusive: boolean;
  /** Key of the latent path. */
  key: number;
  contracts: EcContract[];
  format(x: number): string;
  volume: number;
}

/** A binary contract: YES when X(close) falls in its outcome's interval. */
export interface EcContract {
  code: string;
  event: EcEvent;
  outcome: EcOutcome;
  title: string;
  key: number;
}

const SERIES_BY_CODE = new Map(EC_SERIES.map((s) => [s.code, s]));

/** A series by code. */
export function seriesByCode(code: string): EcSeries | undefined {
  return SERIES_BY_CODE.get(code);
}

const eventCache = new Map<string, EcEvent>();

function buildEvent(seed: number, series: EcSeries, occ: Occurrence): EcEvent {
  const stamp = stampOf(occ.day);
  const base = hashText(`${seed}|${series.code}|${stamp}|${occ.slot}`);
  const shape = series.shape((n) => unit(base, n), occ, stamp);
  const cacheKey = `${seed}|${shape.code}`;
  const cached = eventCache.get(cacheKey);
  if (cached) return cached;
  const event: EcEvent = {
    code: shape.code,
    series,
    name: shape.name,
    subName: shape.subName,
    openMs: occ.openMs,
    closeMs: occ.closeMs,
    startMs: occ.startMs,
    x0: shape.x0,
    sigma: shape.sigma,
    mutuallyExclusive: shape.mutuallyExclusive,
    key: hashText(`${seed}|${shape.code}|path`),
    contracts: [],
    format: shape.format,
    volume: shape.volume,
  };
  for (const outcome of shape.outcomes) {
    const code = `${shape.code}-${outcome.suffix}`;
    event.contracts.push({ code, event, outcome, title: shape.title(outcome), key: hashText(`${seed}|${code}`) });
  }
  if (eventCache.size > 5000) eventCache.clear();
  eventCache.set(cacheKey, event);
  return event;
}

/** Whether an event exists at `nowMs`: listed ahead within its series' horizon, kept a year after its close. */
function exists(event: EcEvent, nowMs: number): boolean {
  return event.closeMs <= nowMs + event.series.horizonMs && event.closeMs >= nowMs - RETENTION_MS;
}

/** The events of a series whose close falls in [fromMs, toMs], by close time. */
export function seriesEvents(seed: number, series: EcSeries, fromMs: number, toMs: number): EcEvent[] {
  const out: EcEvent[] = [];
  for (let day = etDay(fromMs) - 1; day <= etDay(toMs) + 1; day++) {
    for (const occ of series.occurrencesOn(day)) {
      if (occ.closeMs >= fromMs && occ.closeMs <= toMs) out.push(buildEvent(seed, series, occ));
    }
  }
  return out.sort((a, b) => a.closeMs - b.closeMs || a.code.localeCompare(b.code));
}

/** What a series lists now: its lookback (a week unless set) and its horizon ahead, by close time. */
export function listedEvents(seed: number, series: EcSeries, nowMs: number): EcEvent[] {
  return seriesEvents(seed, series, nowMs - (series.lookbackMs ?? 7 * DAY), nowMs + series.horizonMs);
}

/** The event of a code, if it exists now. */
export function eventByCode(seed: number, code: string, nowMs: number): EcEvent | undefined {
  const dash = code.indexOf("-");
  const series = dash > 0 ? seriesByCode(code.slice(0, dash)) : undefined;
  const day = series ? dayOfStamp(code.slice(dash + 1)) : undefined;
  if (!series || day === undefined) return undefined;
  // Games close on their kickoff day; everything else on its stamp's day (a late close may be the next UTC day).
  for (const occ of series.occurrencesOn(day)) {
    const event = buildEvent(seed, series, occ);
    if (event.code === code) return exists(event, nowMs) ? event : undefined;
  }
  return undefined;
}

/** The contract of a code, if its event exists now. */
export function contractByCode(seed: number, code: string, nowMs: number): EcContract | undefined {
  const dash = code.lastIndexOf("-");
  if (dash <= 0) return undefined;
  return eventByCode(seed, code.slice(0, dash), nowMs)?.contracts.find((c) => c.code === code);
}

// ---- the latent path and lifecycle ----

/** Settlement follows the close by an hour; results are determined at the close. */
export const SETTLE_DELAY_MS = HOUR;

/** The event's latent X at an instant (its value at the close after it). */
export function latent(event: EcEvent, ms: number): number {
  const tau = (ms - event.openMs) / (event.closeMs - event.openMs);
  return event.x0 + event.sigma * brownian(event.key, tau);
}

/** The fair YES probability of a contract at an instant (0 or 1 once closed). */
export function fairProbability(contract: EcContract, ms: number): number {
  const { event, outcome } = contract;
  const tau = Math.min(1, Math.max(0, (ms - event.openMs) / (event.closeMs - event.openMs)));
  const x = latent(event, ms);
  const spread = event.sigma * Math.sqrt(1 - tau);
  if (spread < 1e-9) return x > outcome.lo && x <= outcome.hi ? 1 : 0;
  return normalCdf((outcome.hi - x) / spread) - normalCdf((outcome.lo - x) / spread);
}

/** True once the contract's result is decided (at its close). */
export function isDetermined(contract: EcContract, nowMs: number): boolean {
  return nowMs >= contract.event.closeMs;
}

/** The contract's result, "yes" or "no", once determined. */
export function resultOf(contract: EcContract, nowMs: number): "yes" | "no" | undefined {
  if (!isDetermined(contract, nowMs)) return undefined;
  return fairProbability(contract, contract.event.closeMs) === 1 ? "yes" : "no";
}

/** A contract's status at an instant. */
export function contractStatus(contract: EcContract, nowMs: number): number {
  const { openMs, closeMs } = contract.event;
  if (nowMs < openMs) return Qot_Common_EC_Status.Inactive;
  if (nowMs < closeMs) return Qot_Common_EC_Status.Active;
  if (nowMs < closeMs + SETTLE_DELAY_MS) return Qot_Common_EC_Status.Determined;
  return Qot_Common_EC_Status.Settled;
}

/** An event's status at an instant. */
export function eventStatus(event: EcEvent, nowMs: number): number {
  if (nowMs < event.openMs) return Qot_Common_EC_Status.EventInitialized;
  if (nowMs < event.closeMs) return Qot_Common_EC_Status.EventActive;
  if (nowMs < event.closeMs + SETTLE_DELAY_MS) return Qot_Common_EC_Status.EventClosed;
  return Qot_Common_EC_Status.EventSettled;
}

/** A milestone's id: a UUID-shaped hash of its game event. */
export function milestoneCode(event: EcEvent): string {
  const hex = (n: number) => n.toString(16).padStart(8, "0");
  const [a, b, c, d] = [1, 2, 3, 4].map((i) => hashText(`${event.code}|milestone|${i}`));
  const h = `${hex(a)}${hex(b)}${hex(c)}${hex(d)}`;
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
