/**
 * The simulated warrant screen (`Qot_WarrantScreen`), modelled on the
 * catalog's HK warrants and CBBCs (`warrant_issues.ts`) with the figures
 * `warrantMetrics` computes for every message that carries them — price,
 * premium, leverage, effective leverage, in/out of the money, street figures,
 * score, status — and the session's volume, turnover, high and low, so a
 * warrant shows the same values here as in Qot_GetWarrant and its snapshot.
 * The filterable fields are those the proto documents (`FieldId` 1 code,
 * 4 issuer, 5 underlying, 6 type, 8 latest price); other field ids are
 * refused by number. Singapore and Malaysia have no simulated warrants.
 *
 * @module
 */
import {
  Qot_Common_Issuer,
  type Qot_WarrantScreen_C2S,
  type Qot_WarrantScreen_Choice,
  type Qot_WarrantScreen_S2C,
  type Qot_WarrantScreen_ScreenGroup,
  type Qot_WarrantScreen_WarrantItem,
} from "../gateway/proto/messages.ts";
import { CHOICE_CONTENT, WARRANT_FIELDS, WARRANT_MARKET, WARRANT_SCREEN_TYPE } from "../gateway/screen_fields.ts";
import { fail } from "./_handler_common.ts";
import { SIM_SECURITIES, type SimSecurity } from "./catalog.ts";
import { WARRANT_VOLATILITY, warrantMetrics } from "./derivative_metrics.ts";
import type { MarketData } from "./market.ts";
import { securityOf } from "./wire.ts";

/** Largest page the simulator serves (Qot_GetWarrant's). */
const MAX_PAGE = 200;
const DEFAULT_PAGE = 20;

const ISSUER_WIRE = Qot_Common_Issuer as Readonly<Record<string, number>>;

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function seconds(date: string): string {
  return String(Math.round(Date.parse(`${date}T00:00:00Z`) / 1000));
}

/** The wire item of one warrant. */
function itemOf(market: MarketData, warrant: SimSecurity): Qot_WarrantScreen_WarrantItem {
  const now = market.clock.now();
  const m = warrantMetrics(market, warrant);
  const owner = market.underlyingOf(warrant);
  const session = market.sessionSummary(warrant, now);
  const lastClose = market.previousClose(warrant, now);
  const book = market.orderBook(warrant, 1);
  const type = WARRANT_SCREEN_TYPE[warrant.warrantType ?? "CALL"];
  const plain = type <= WARRANT_SCREEN_TYPE.PUT;
  return {
    stockId: market.securityId(warrant).toString(),
    stockOwner: market.securityId(owner).toString(),
    issuerId: ISSUER_WIRE[warrant.issuer ?? ""] ?? 0,
    warrantType: type,
    strikePrice: warrant.strike!,
    maturityDate: seconds(warrant.expiry!),
    lastTradeDate: seconds(m.lastTradeDate),
    conversionRatio: warrant.conversionRatio ?? 1,
    lastclosePrice: lastClose,
    recoveryPrice: warrant.recoveryPrice,
    stockOwnerPrice: m.spot,
    currentPrice: m.price,
    volume: String(Math.round(session.volume)),
    turnover: Math.round(session.turnover * 100) / 100,
    sellVol: String(book.asks[0]?.volume ?? 0),
    buyVol: String(book.bids[0]?.volume ?? 0),
    sellPrice: book.asks[0]?.price ?? 0,
    buyPrice: book.bids[0]?.price ?? 0,
    streetRate: m.streetRate,
    highPrice: session.high,
    lowPrice: session.low,
    impliedVolatility: plain ? WARRANT_VOLATILITY * 100 : undefined,
    delta: plain ? round3(m.value.delta) : undefined,
    status: m.status === "NORMAL" ? 0 : m.status === "STOP_TRADE" ? 2 : 3,
    score: m.score,
    premium: m.premium,
    leverage: m.leverage,
    effectiveLeverage: m.effectiveLeverage,
    breakEvenPoint: m.breakEven,
    ipop: m.inOutMoney,
    amplitude: lastClose ? round3((session.high - session.low) / lastClose * 100) : 0,
    ipoTime: seconds(warrant.listDate),
    streetVol: String(m.streetVol),
    lotSize: warrant.lotSize,
    issueSize: String(warrant.issueSize ?? 0),
    priceRecoveryRatio: m.priceRecoveryRatio,
    security: securityOf(warrant),
    ownerSecurity: securityOf(owner),
    name: warrant.name,
    ownerName: owner.name,
  };
}

const FIELD_NAMES = Object.fromEntries(Object.entries(WARRANT_FIELDS).map(([k, v]) => [v, k]));

function fieldName(id: number | undefined, what: string): string {
  const name = id === undefined ? undefined : FIELD_NAMES[id];
  if (!name) {
    fail(`${what}: fieldId ${id} is not supported by the simulator (1 code, 4 issuer, 5 underlying, 6 type, 8 price)`);
  }
  return name;
}

/** Whether a warrant matches one choice of a field. */
function matchesChoice(
  field: string,
  item: Qot_WarrantScreen_WarrantItem,
  w: SimSecurity,
  c: Qot_WarrantScreen_Choice,
) {
  const text = c.contentType === CHOICE_CONTENT.TEXT;
  if (!text && c.contentType !== CHOICE_CONTENT.NUMBER) {
    fail(`Choice contentType ${c.contentType} is unknown: 1 number, 2 text`);
  }
  const t = (c.text ?? "").trim().toUpperCase();
  const n = c.value === undefined ? NaN : Number(c.value);
  switch (field) {
    case "code":
      return text ? t === w.code || t === w.symbol : n === Number(w.code);
    case "issuer":
      return text ? t === w.issuer : n === item.issuerId;
    case "underlying":
      return text ? t === w.underlying || `HK.${t}` === w.underlying : String(c.value) === item.stockOwner;
    case "type":
      return text ? t === w.warrantType : n === item.warrantType;
    default:
      return fail(`fieldId ${WARRANT_FIELDS[field as "price"]} (${field}) takes an interval, not choices`);
  }
}

function matchesGroup(
  group: Qot_WarrantScreen_ScreenGroup,
  i: number,
  item: Qot_WarrantScreen_WarrantItem,
  w: SimSecurity,
) {
  const field = fieldName(group.fieldId, `filterList[${i}]`);
  if (group.interval) {
    if (field !== "price") fail(`filterList[${i}]: ${field} takes choices, not an interval`);
    const { filterMin: min, filterMax: max } = group.interval;
    if (min?.value !== undefined && max?.value !== undefined && min.value > max.value) {
      fail(`filterList[${i}]: filterMin ${min.value} is above filterMax ${max.value}`);
    }
    const v = item.currentPrice!;
    if (min?.value !== undefined && (min.includes ? v < min.value : v <= min.value)) return false;
    if (max?.value !== undefined && (max.includes ? v > max.value : v >= max.value)) return false;
    return true;
  }
  if (!group.choices?.length) fail(`filterList[${i}] (${field}) needs an interval or choices`);
  return group.choices.some((c) => matchesChoice(field, item, w, c));
}

function sortKey(field: string, item: Qot_WarrantScreen_WarrantItem): number | string {
  switch (field) {
    case "code":
      return item.security!.code;
    case "issuer":
      return item.issuerId!;
    case "underlying":
      return item.ownerSecurity!.code;
    case "type":
      return item.warrantType!;
    default:
      return item.currentPrice!;
  }
}

/** Screens the catalog's warrants for one request. */
export function warrantScreen(market: MarketData, c2s: Qot_WarrantScreen_C2S): Qot_WarrantScreen_S2C {
  const marketType = c2s.marketType ?? WARRANT_MARKET.HK;
  if (!Object.values(WARRANT_MARKET).includes(marketType as 1)) {
    fail(`Unknown marketType ${marketType}: expected 1 (HK), 4 (SG) or 15 (MY)`);
  }
  const pageFrom = c2s.pageFrom ?? 0;
  const pageCount = c2s.pageCount ?? DEFAULT_PAGE;
  if (!(Number.isInteger(pageFrom) && pageFrom >= 0)) fail(`pageFrom must be 0 or more, got ${pageFrom}`);
  if (!(Number.isInteger(pageCount) && pageCount >= 1 && pageCount <= MAX_PAGE)) {
    fail(`pageCount must be between 1 and ${MAX_PAGE}, got ${pageCount}`);
  }
  const sorts = (c2s.sortList ?? []).map((s, i) => {
    if (s.direction !== undefined && s.direction !== 0 && s.direction !== 1) {
      fail(`sortList[${i}]: direction ${s.direction} is unknown: 0 ascending, 1 descending`);
    }
    return { field: fieldName(s.sortFieldId, `sortList[${i}]`), descending: s.direction === 1 };
  });
  const groups = c2s.filterList ?? [];
  const warrants = marketType === WARRANT_MARKET.HK ? SIM_SECURITIES.filter((s) => s.kind === "warrant") : [];
  const rows = warrants.map((w) => ({ w, item: itemOf(market, w) }))
    .filter(({ w, item }) => groups.every((g, i) => matchesGroup(g, i, item, w)));
  rows.sort((a, b) => {
    for (const s of sorts) {
      const x = sortKey(s.field, a.item);
      const y = sortKey(s.field, b.item);
      const order = x < y ? -1 : x > y ? 1 : 0;
      if (order !== 0) return s.descending ? -order : order;
    }
    return a.w.code < b.w.code ? -1 : 1;
  });
  if (c2s.onlyCount) return { warrants: [], lastPage: true, allCount: rows.length };
  return {
    warrants: rows.slice(pageFrom, pageFrom + pageCount).map((r) => r.item),
    lastPage: pageFrom + pageCount >= rows.length,
    allCount: rows.length,
  };
}
