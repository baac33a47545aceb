/**
 * Who owns the simulated stocks, quarter by quarter: the model behind the
 * shareholder, insider and institution protocols (`handlers_ownership.ts`).
 *
 * Modelled:
 * - Holders of a stock are the major holders of `holders.ts` (the six
 *   institutions, six funds and four executives whose filings
 *   `Qot_GetHoldingChangeList` publishes; two thirds of each hold any given
 *   stock) plus eight active managers of this file that enter and leave
 *   positions (so that new and closed-out positions exist). Every holder has
 *   a stable id (the same for every stock and seed) and a holder type of
 *   `Qot_Common.HolderDetailType`.
 * - Reporting periods are calendar quarters from 2022/Q1 (`periodId` =
 *   year × 10 + quarter, e.g. 20253 for "2025/Q3"); a quarter is published 51
 *   days after it ends, once every 13F-style filing for it is out. A major
 *   holder's shares at a quarter are those of its latest `holders.ts` filing
 *   for that quarter or before (so they agree with `Qot_GetHoldingChangeList`),
 *   an executive's those after its last trade on or before the quarter end,
 *   an active manager's a hash-drawn walk (enter with probability 0.2, exit
 *   0.12, otherwise change by −35 %…+45 % a quarter).
 * - Shares never exceed the shares outstanding; percentages are shares ÷
 *   `sharesOutstanding` × 100; values are shares × the close of the last
 *   trading day of the quarter (as traded).
 * - Insider trades are the executives' filings: each is a buy or sale on the
 *   trading day at or before its filing day, the shares held after it being
 *   the filing's.
 *
 * @module
 */
import { SIM_PLATES, SIM_SECURITIES, type SimSecurity } from "./catalog.ts";
import { type DayNumber, localTime, tradingDayAtOrBefore } from "./clock.ts";
import { type HolderCategory, type HoldingFiling, holdingFilings } from "./holders.ts";
import { hash32 } from "./_price_model.ts";
import { securityIndex } from "./catalog.ts";

/** `Qot_Common.HolderDetailType` values the simulated holders have. */
export const HOLDER_TYPE = {
  TraditionalInvestmentManager: 2,
  HedgeFundManager: 3,
  VCOrPE: 4,
  CorporatePensionPlanSponsor: 5,
  InsuranceCompany: 7,
  FamilyOfficesOrTrust: 9,
  SovereignWealthFund: 10,
  UnionPensionPlanSponsor: 13,
  GovernmentPensionPlanSponsor: 14,
  EndowmentFundSponsor: 15,
  IndividualInsiders: 100,
} as const;

/** The holder type texts, as OpenD's `holderType` shows them. */
export const HOLDER_TYPE_TEXT: Readonly<Record<number, string>> = {
  2: "Traditional Investment Manager",
  3: "Hedge Fund Manager",
  4: "Venture Capital/Private Equity",
  5: "Corporate Pension Plan Sponsor",
  7: "Insurance Company",
  9: "Family Office/Trust",
  10: "Sovereign Wealth Fund",
  13: "Union Pension Plan Sponsor",
  14: "Government Pension Plan Sponsor",
  15: "Endowment Fund Sponsor",
  100: "Individual Insiders",
};

/** One holder. */
export interface Holder {
  id: number;
  name: string;
  /** Insiders: their position in the company. */
  title?: string;
  /** `Qot_Common.HolderDetailType`. */
  typeId: number;
  kind: "institution" | "insider";
}

/** A quarter. */
export interface Period {
  /** 0 for 2022/Q1. */
  index: number;
  /** year × 10 + quarter. */
  id: number;
  text: string;
  /** Last calendar day of the quarter. */
  endDay: DayNumber;
  /** Last trading day of the quarter (whose close values the holdings). */
  closeDay: DayNumber;
  /** The day the quarter's holdings are published. */
  publishedDay: DayNumber;
}

/** One holder's shares at one quarter and the quarter before. */
export interface Position {
  holder: Holder;
  shares: number;
  previous: number;
}

const ORIGIN_YEAR = 2022;
const PUBLISH_LAG_DAYS = 51;
/** How many quarters the overview lists. */
export const LISTED_PERIODS = 8;

/** Managers that enter and leave positions (besides the steady holders of `holders.ts`). */
const ACTIVE_MANAGERS: readonly { name: string; typeId: number }[] = [
  { name: "Kestrel Point Capital", typeId: HOLDER_TYPE.HedgeFundManager },
  { name: "Ironbridge Quant Strategies", typeId: HOLDER_TYPE.HedgeFundManager },
  { name: "Aurora Family Office", typeId: HOLDER_TYPE.FamilyOfficesOrTrust },
  { name: "Redwood University Endowment", typeId: HOLDER_TYPE.EndowmentFundSponsor },
  { name: "Tidewater Insurance Group", typeId: HOLDER_TYPE.InsuranceCompany },
  { name: "Cobalt Ridge Private Equity", typeId: HOLDER_TYPE.VCOrPE },
  { name: "United Trades Pension Fund", typeId: HOLDER_TYPE.UnionPensionPlanSponsor },
  { name: "Keystone State Retirement System", typeId: HOLDER_TYPE.GovernmentPensionPlanSponsor },
];

/** The holder type of a `holders.ts` holder, from its category and name. */
function typeOfMajor(category: HolderCategory, name: string): number {
  if (category === 3) return HOLDER_TYPE.IndividualInsiders;
  if (/sovereign/i.test(name)) return HOLDER_TYPE.SovereignWealthFund;
  if (/pension/i.test(name)) return HOLDER_TYPE.CorporatePensionPlanSponsor;
  if (/capital partners|peak/i.test(name)) return HOLDER_TYPE.HedgeFundManager;
  return HOLDER_TYPE.TraditionalInvestmentManager;
}

/** A stable id of a holder name (FNV-1a into six digits, by kind). */
function idOf(name: string, insider: boolean): number {
  let h = 0x811c9dc5;
  for (const ch of name) h = Math.imul(h ^ ch.codePointAt(0)!, 0x01000193);
  return (insider ? 300_000 : 100_000) + (h >>> 0) % 100_000;
}

const ACTIVE_HOLDERS: readonly Holder[] = ACTIVE_MANAGERS.map((m) => ({
  id: idOf(m.name, false),
  name: m.name,
  typeId: m.typeId,
  kind: "institution",
}));

/** A `holders.ts` holder as a {@link Holder} ("A. Morgan (Chief Executive Officer)" is name and title). */
function majorHolder(category: HolderCategory, full: string): Holder {
  const match = category === 3 ? /^(.*) \((.*)\)$/.exec(full) : null;
  const name = match ? match[1] : full;
  return {
    id: idOf(full, category === 3),
    name,
    title: match ? match[2] : undefined,
    typeId: typeOfMajor(category, full),
    kind: category === 3 ? "insider" : "institution",
  };
}

/** Stocks the ownership protocols cover: catalog stocks with shares outstanding. */
export function ownedStock(security: SimSecurity): boolean {
  return security.kind === "stock" && (security.sharesOutstanding ?? 0) > 0;
}

/** The catalog stocks of a market the ownership protocols cover. */
export function stocksOf(market: SimSecurity["market"]): SimSecurity[] {
  return SIM_SECURITIES.filter((s) => s.market === market && ownedStock(s));
}

function quarterEnd(index: number): DayNumber {
  const year = ORIGIN_YEAR + Math.floor(index / 4);
  const month = (index % 4) * 3 + 3;
  return Math.floor(Date.UTC(year, month, 0) / 86_400_000);
}

/** The quarter of an index. */
export function periodOf(market: SimSecurity["market"], index: number): Period {
  const year = ORIGIN_YEAR + Math.floor(index / 4);
  const quarter = index % 4 + 1;
  const endDay = quarterEnd(index);
  return {
    index,
    id: year * 10 + quarter,
    text: `${year}/Q${quarter}`,
    endDay,
    closeDay: tradingDayAtOrBefore(market, endDay),
    publishedDay: endDay + PUBLISH_LAG_DAYS,
  };
}

/** The quarters published at `nowMs`, newest first (all of them, back to 2022/Q1). */
export function publishedPeriods(market: SimSecurity["market"], nowMs: number): Period[] {
  const today = localTime(market, nowMs).day;
  const out: Period[] = [];
  for (let index = 0; periodOf(market, index).publishedDay <= today; index++) out.unshift(periodOf(market, index));
  return out;
}

/** The published quarter of a `periodId` (0 or absent: the latest); fails with `undefined` for others. */
export function periodById(market: SimSecurity["market"], nowMs: number, id: number | undefined): Period | undefined {
  const periods = publishedPeriods(market, nowMs);
  return !id ? periods[0] : periods.find((p) => p.id === id);
}

/** One insider trade (an executive's filing). */
export interface InsiderTrade {
  holder: Holder;
  /** The trading day of the trade. */
  day: DayNumber;
  /** Shares bought (positive) or sold (negative). */
  change: number;
  /** Shares held after the trade. */
  holding: number;
  /** Publication instant of the filing. */
  filedMs: number;
}

/** The ownership of one stock as of an instant (published data only). */
export class StockOwnership {
  readonly security: SimSecurity;
  readonly shares: number;
  readonly periods: Period[];
  readonly holders: Holder[];
  readonly #seed: number;
  readonly #filings = new Map<number, HoldingFiling[]>();
  readonly #category = new Map<number, HolderCategory>();

  constructor(seed: number, security: SimSecurity, nowMs: number) {
    this.#seed = seed;
    this.security = security;
    this.shares = security.sharesOutstanding ?? 0;
    this.periods = publishedPeriods(security.market, nowMs);
    const majors: Holder[] = [];
    for (const category of [1, 2, 3] as const) {
      const byName = new Map<string, HoldingFiling[]>();
      for (const filing of holdingFilings(seed, security, category, nowMs)) {
        byName.set(filing.holder, [...byName.get(filing.holder) ?? [], filing]);
      }
      for (const [name, filings] of byName) {
        const holder = majorHolder(category, name);
        majors.push(holder);
        this.#filings.set(holder.id, filings);
        this.#category.set(holder.id, category);
      }
    }
    this.holders = [...majors, ...ACTIVE_HOLDERS];
  }

  /** A holder of this stock by id. */
  holder(id: number): Holder | undefined {
    return this.holders.find((h) => h.id === id);
  }

  /** The trading day of an executive's filing (it trades on the filing day or the trading day before). */
  #tradeDay(filing: HoldingFiling): DayNumber {
    return tradingDayAtOrBefore(this.security.market, localTime(this.security.market, filing.atMs).day);
  }

  /** Shares a holder held at the end of a quarter (index −1: before 2022). */
  sharesAt(holder: Holder, index: number): number {
    const filings = this.#filings.get(holder.id);
    if (filings) {
      const category = this.#category.get(holder.id)!;
      const end = quarterEnd(index);
      // Newest first: the first filing on or before the cut-off decides.
      const cutoff = category === 3 ? end : end + PUBLISH_LAG_DAYS - 1;
      const latest = filings.find((f) =>
        (category === 3 ? this.#tradeDay(f) : localTime(this.security.market, f.atMs).day) <= cutoff
      );
      if (latest) return latest.holdingQty;
      const first = filings[filings.length - 1];
      return first.holdingQty - first.changeQty;
    }
    return this.#activeShares(ACTIVE_HOLDERS.indexOf(holder), index);
  }

  #uniform(holder: number, index: number, salt: number): number {
    return hash32(this.#seed ^ 0x4f574e52, securityIndex(this.security) * 64 + holder, index + 8, salt) / 4_294_967_296;
  }

  #activeShares(holder: number, index: number): number {
    let shares = this.#uniform(holder, -1, 0) < 0.4 ? this.#stake(holder, -1) : 0;
    for (let i = 0; i <= index; i++) {
      if (shares > 0) {
        shares = this.#uniform(holder, i, 1) < 0.12
          ? 0
          : Math.round(shares * (0.65 + 0.8 * this.#uniform(holder, i, 2)));
      } else if (this.#uniform(holder, i, 3) < 0.2) {
        shares = this.#stake(holder, i);
      }
    }
    return Math.min(shares, Math.floor(this.shares * 0.05));
  }

  #stake(holder: number, index: number): number {
    return Math.max(1, Math.round(this.shares * (0.0005 + 0.0075 * this.#uniform(holder, index, 4))));
  }

  /** Every holder's shares at a quarter and the one before, holders with neither left out. */
  positions(period: Period): Position[] {
    return this.holders
      .map((holder) => ({
        holder,
        shares: this.sharesAt(holder, period.index),
        previous: this.sharesAt(holder, period.index - 1),
      }))
      .filter((p) => p.shares > 0 || p.previous > 0);
  }

  /** Percent of shares outstanding, to four decimals. */
  pct(shares: number): number {
    return this.shares > 0 ? Math.round(shares / this.shares * 1e6) / 1e4 : 0;
  }

  /** The executives' trades published at the time this ownership is as of, newest first. */
  insiderTrades(): InsiderTrade[] {
    const trades: InsiderTrade[] = [];
    for (const holder of this.holders) {
      if (holder.kind !== "insider") continue;
      for (const filing of this.#filings.get(holder.id) ?? []) {
        trades.push({
          holder,
          day: this.#tradeDay(filing),
          change: filing.changeQty,
          holding: filing.holdingQty,
          filedMs: filing.atMs,
        });
      }
    }
    return trades.sort((a, b) => b.filedMs - a.filedMs || a.holder.id - b.holder.id);
  }

  /** An insider's current shares (after their latest published trade). */
  insiderShares(holder: Holder): number {
    const filings = this.#filings.get(holder.id) ?? [];
    if (filings.length === 0) return 0;
    return filings[0].holdingQty;
  }
}

/** The industry of a stock: its INDUSTRY plate, or the simulator's own grouping of those without one. */
export function industryOf(security: SimSecurity): { id: number; name: string } {
  const plate = SIM_PLATES.find((p) => p.setType === "INDUSTRY" && p.constituents.includes(security.symbol));
  if (plate) return { id: Number(plate.code.replace(/\D/g, "")), name: plate.name };
  return OTHER_INDUSTRIES[security.symbol] ?? { id: 9999, name: "Other" };
}

const OTHER_INDUSTRIES: Readonly<Record<string, { id: number; name: string }>> = {
  "HK.00005": { id: 9001, name: "Banks" },
  "HK.00941": { id: 9002, name: "Telecommunications" },
  "HK.03690": { id: 9003, name: "Consumer Services" },
  "HK.01810": { id: 9004, name: "Consumer Electronics" },
};
