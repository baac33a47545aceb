/**
 * The institution handlers of the simulated OpenD (private to src/sim): an
 * institution is a non-individual holder of `ownership.ts`, its portfolio in
 * a market (HK or US) the catalog stocks of that market it holds at the
 * latest published quarter or held at the one before. Values are shares ×
 * the quarter's last close; the list, profile, industry distribution,
 * changes and holdings of an institution are computed from the same
 * positions, so they add up; ids the list returns are accepted, others are
 * refused. Nothing here is generated.
 *
 * @module
 */
import { Qot_Common_QotMarket } from "../gateway/proto/messages.ts";
import { fail, round } from "./_handler_common.ts";
import { securityIndex, type SimSecurity } from "./catalog.ts";
import type { HandlerTable, SimContext } from "./handlers.ts";
import { sourceOf } from "./_ownership_holders.ts";
import { dayBar, enumOrFail, pageOffset, pageSize, sortBy } from "./_ownership_market.ts";
import {
  type Holder,
  HOLDER_TYPE_TEXT,
  industryOf,
  type Period,
  periodOf,
  publishedPeriods,
  StockOwnership,
  stocksOf,
} from "./ownership.ts";
import { securityOf } from "./wire.ts";
import { formatDay } from "./clock.ts";
import { pageSlice } from "./_paging.ts";

/** One stock of an institution's portfolio. */
interface Holding {
  security: SimSecurity;
  shares: number;
  previous: number;
  value: number;
  lastValue: number;
  /** Percent of the stock's shares outstanding, now and the quarter before. */
  pct: number;
  lastPct: number;
}

/** An institution's portfolio in one market. */
interface Institution {
  holder: Holder;
  holdings: Holding[];
  value: number;
  lastValue: number;
  count: number;
  lastCount: number;
}

/** An institution's whole book in a market at the latest quarter. */
interface Book {
  market: "HK" | "US";
  period: Period;
  currency: string;
  institutions: Institution[];
}

const MARKETS: Readonly<Record<number, "HK" | "US">> = {
  [Qot_Common_QotMarket.HK_Security]: "HK",
  [Qot_Common_QotMarket.US_Security]: "US",
};
const NEW = 1;
const SOLD_OUT = 2;
const INCREASE = 3;
const DECREASE = 4;
const CHANGE_TYPES = [0, NEW, SOLD_OUT, INCREASE, DECREASE];

function kindOf(h: Holding): number {
  if (h.previous === 0) return NEW;
  if (h.shares === 0) return SOLD_OUT;
  return h.shares > h.previous ? INCREASE : h.shares < h.previous ? DECREASE : 0;
}

function changePct(h: Holding): number {
  return h.previous === 0 ? 100 : round((h.shares - h.previous) / h.previous * 100, 4);
}

function bookOf(ctx: SimContext, wireMarket: number | undefined): Book {
  const market = wireMarket === undefined ? undefined : MARKETS[wireMarket];
  if (!market) fail(`market ${wireMarket ?? "(missing)"}: institution holdings are served for HK (1) and US (11)`);
  const now = ctx.market.clock.now();
  const period = publishedPeriods(market, now)[0];
  if (!period) fail("no reporting period yet");
  const before = periodOf(market, period.index - 1);
  const byHolder = new Map<number, Institution>();
  for (const security of stocksOf(market)) {
    const own = new StockOwnership(ctx.market.seed, security, now);
    const close = dayBar(ctx.market, security, period.closeDay)?.close ?? 0;
    const lastClose = dayBar(ctx.market, security, before.closeDay)?.close ?? 0;
    for (const p of own.positions(period)) {
      if (p.holder.kind !== "institution") continue;
      const entry = byHolder.get(p.holder.id) ??
        { holder: p.holder, holdings: [], value: 0, lastValue: 0, count: 0, lastCount: 0 };
      const holding: Holding = {
        security,
        shares: p.shares,
        previous: p.previous,
        value: round(p.shares * close, 2),
        lastValue: round(p.previous * lastClose, 2),
        pct: own.pct(p.shares),
        lastPct: own.pct(p.previous),
      };
      entry.holdings.push(holding);
      entry.value = round(entry.value + holding.value, 2);
      entry.lastValue = round(entry.lastValue + holding.lastValue, 2);
      if (p.shares > 0) entry.count++;
      if (p.previous > 0) entry.lastCount++;
      byHolder.set(p.holder.id, entry);
    }
  }
  return { market, period, currency: market === "US" ? "USD" : "HKD", institutions: [...byHolder.values()] };
}

function institutionOf(book: Book, id: number | undefined): Institution {
  const found = book.institutions.find((i) => i.holder.id === id);
  if (!found) fail(`Unknown institutionId ${id ?? "(missing)"} in the ${book.market} market`);
  return found;
}

function sortDir(value: number | undefined): boolean {
  enumOrFail(value, "sortDir", [0, 1]);
  return value === 1;
}

function portfolioPct(institution: Institution, h: Holding): number {
  return institution.value > 0 ? round(h.value / institution.value * 100, 4) : 0;
}

const list: HandlerTable["Qot_GetInstitutionList"] = (ctx, _session, c2s) => {
  const book = bookOf(ctx, c2s.market);
  enumOrFail(c2s.sortField, "sortField", [0, 1, 2, 3, 4]);
  const up = sortDir(c2s.sortDir);
  const size = pageSize(c2s.count, "count", 1, 200, 20);
  const offset = pageOffset(c2s.page, "page");
  const part = c2s.namePart?.trim().toLowerCase();
  const rows = book.institutions.filter((i) => !part || i.holder.name.toLowerCase().includes(part));
  const keys: Record<number, (i: Institution) => number> = {
    0: (i) => i.value,
    1: (i) => i.value,
    2: (i) => i.value - i.lastValue,
    3: (i) => i.count,
    4: (i) => i.count - i.lastCount,
  };
  sortBy(rows, keys[c2s.sortField ?? 0], up, (i) => i.holder.id);
  const { items, next } = pageSlice(rows, offset, size, "");
  return {
    dataList: items.map((i) => ({
      institutionId: i.holder.id,
      institutionName: i.holder.name,
      positionValue: i.value,
      positionValueChange: round(i.value - i.lastValue, 2),
      positionCount: i.count,
      positionCountChange: i.count - i.lastCount,
      disclosureDate: formatDay(book.period.publishedDay),
    })),
    allCount: rows.length,
    nextPage: next,
    currency: book.currency,
  };
};

function top10Pct(values: number[]): number {
  const total = values.reduce((s, v) => s + v, 0);
  const top = [...values].sort((a, b) => b - a).slice(0, 10).reduce((s, v) => s + v, 0);
  return total > 0 ? round(top / total * 100, 4) : 0;
}

const profile: HandlerTable["Qot_GetInstitutionProfile"] = (ctx, _session, c2s) => {
  const book = bookOf(ctx, c2s.market);
  const i = institutionOf(book, c2s.institutionId);
  const kinds = i.holdings.map(kindOf);
  const count = (kind: number) => kinds.filter((k) => k === kind).length;
  const top = top10Pct(i.holdings.map((h) => h.value));
  const lastTop = top10Pct(i.holdings.map((h) => h.lastValue));
  const type = HOLDER_TYPE_TEXT[i.holder.typeId].toLowerCase();
  return {
    institutionName: i.holder.name,
    description: `${i.holder.name} is a ${type}. Its ${book.market} portfolio is taken from its quarterly ` +
      `disclosures; at ${book.period.text} it held ${i.count} of the simulated ${book.market} stocks.`,
    positionValue: i.value,
    lastPositionValue: i.lastValue,
    positionValueChangePct: i.lastValue > 0 ? round((i.value / i.lastValue - 1) * 100, 4) : 0,
    totalHoldingCount: String(i.count),
    holdingChangeCount: String(kinds.filter((k) => k !== 0).length),
    newCount: count(NEW),
    soldOutCount: count(SOLD_OUT),
    increaseCount: count(INCREASE),
    decreaseCount: count(DECREASE),
    top10Pct: top,
    top10PctChange: round(top - lastTop, 4),
    disclosureDate: formatDay(book.period.publishedDay),
    currency: book.currency,
  };
};

const distribution: HandlerTable["Qot_GetInstitutionDistribution"] = (ctx, _session, c2s) => {
  const book = bookOf(ctx, c2s.market);
  const i = institutionOf(book, c2s.institutionId);
  const byIndustry = new Map<number, { name: string; value: number }>();
  for (const h of i.holdings) {
    if (h.shares === 0) continue;
    const industry = industryOf(h.security);
    const entry = byIndustry.get(industry.id) ?? { name: industry.name, value: 0 };
    entry.value = round(entry.value + h.value, 2);
    byIndustry.set(industry.id, entry);
  }
  const rows = sortBy([...byIndustry], ([, e]) => e.value, false, ([id]) => id);
  return {
    dataList: rows.map(([id, e]) => ({
      industryId: String(id),
      industryName: e.name,
      positionValue: e.value,
      portfolioPct: i.value > 0 ? round(e.value / i.value * 100, 4) : 0,
    })),
  };
};

function holdingRow(book: Book, i: Institution, h: Holding) {
  return {
    security: securityOf(h.security),
    name: h.security.name,
    portfolioPct: portfolioPct(i, h),
    changeShares: String(h.shares - h.previous),
    changePct: changePct(h),
    holdingDate: formatDay(book.period.endDay),
    source: sourceOf(i.holder, h.security),
  };
}

const holdingChange: HandlerTable["Qot_GetInstitutionHoldingChange"] = (ctx, _session, c2s) => {
  const book = bookOf(ctx, c2s.market);
  const i = institutionOf(book, c2s.institutionId);
  enumOrFail(c2s.changeType, "changeType", CHANGE_TYPES);
  enumOrFail(c2s.sortField, "sortField", [0, 1, 2, 3]);
  const up = sortDir(c2s.sortDir);
  const size = pageSize(c2s.count, "count", 1, 200, 20);
  const offset = pageOffset(c2s.page, "page");
  const type = c2s.changeType || NEW;
  const rows = i.holdings.filter((h) => kindOf(h) === type);
  const keys: Record<number, (h: Holding) => number> = {
    0: changePct,
    1: changePct,
    2: (h) => h.shares - h.previous,
    3: () => book.period.endDay,
  };
  sortBy(rows, keys[c2s.sortField ?? 0], up, (h) => securityIndex(h.security));
  const { items, next } = pageSlice(rows, offset, size, "");
  return { dataList: items.map((h) => holdingRow(book, i, h)), allCount: rows.length, nextPage: next };
};

const holdingList: HandlerTable["Qot_GetInstitutionHoldingList"] = (ctx, _session, c2s) => {
  const book = bookOf(ctx, c2s.market);
  const i = institutionOf(book, c2s.institutionId);
  enumOrFail(c2s.changeType, "changeType", CHANGE_TYPES);
  enumOrFail(c2s.sortField, "sortField", [0, 1, 2, 3, 4, 5, 6, 7, 8]);
  const up = sortDir(c2s.sortDir);
  const size = pageSize(c2s.count, "count", 1, 200, 20);
  const offset = pageOffset(c2s.page, "page");
  const keyword = c2s.keyword?.trim().toLowerCase();
  const rows = i.holdings.filter((h) =>
    (c2s.changeType ? kindOf(h) === c2s.changeType : h.shares > 0) &&
    (!keyword || h.security.name.toLowerCase().includes(keyword) || h.security.code.toLowerCase().includes(keyword))
  );
  const keys: Record<number, (h: Holding) => number> = {
    0: (h) => h.value,
    1: (h) => h.value,
    2: (h) => h.pct,
    3: (h) => h.lastPct,
    4: (h) => h.shares - h.previous,
    5: changePct,
    6: (h) => portfolioPct(i, h),
    7: (h) => industryOf(h.security).id,
    8: () => book.period.endDay,
  };
  sortBy(rows, keys[c2s.sortField ?? 0], up, (h) => securityIndex(h.security));
  const { items, next } = pageSlice(rows, offset, size, "");
  return {
    dataList: items.map((h) => {
      const { security, name, portfolioPct, changeShares, changePct, holdingDate, source } = holdingRow(book, i, h);
      return {
        security,
        name,
        industryName: industryOf(h.security).name,
        holdingValue: h.value,
        holdingPct: h.pct,
        lastHoldingPct: h.lastPct,
        changeShares,
        portfolioPct,
        changePct,
        holdingDate,
        source,
      };
    }),
    allCount: rows.length,
    nextPage: next,
    currency: book.currency,
  };
};

/** The institution handlers. */
export const INSTITUTION_HANDLERS: HandlerTable = {
  Qot_GetInstitutionList: list,
  Qot_GetInstitutionProfile: profile,
  Qot_GetInstitutionDistribution: distribution,
  Qot_GetInstitutionHoldingChange: holdingChange,
  Qot_GetInstitutionHoldingList: holdingList,
};
