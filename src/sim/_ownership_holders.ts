/**
 * The shareholder and insider handlers of the simulated OpenD (private to
 * src/sim), served from the quarterly ownership model of `ownership.ts`:
 * the overview's top holders and holder-type groups add up from the same
 * positions the holder detail lists, changes are between consecutive
 * quarters, prices are the simulated closes, insider trades are priced
 * inside the simulated day's range. Nothing here is generated.
 *
 * @module
 */
import {
  Qot_Common_HolderDetailType,
  Qot_Common_HoldingChangesFilterType,
  type Qot_GetShareholdersHoldingChanges_OwnerListItem,
} from "../gateway/proto/messages.ts";
import { fail, resolve, round } from "./_handler_common.ts";
import type { SimSecurity } from "./catalog.ts";
import { formatDay, formatLocal, utcOf } from "./clock.ts";
import type { HandlerTable, SimContext } from "./handlers.ts";
import { hash32 } from "./_price_model.ts";
import { dayBar, enumOrFail, midnightSeconds, ownedOrFail, pageOffset, pageSize, sortBy } from "./_ownership_market.ts";
import {
  type Holder,
  HOLDER_TYPE_TEXT,
  LISTED_PERIODS,
  type Period,
  periodById,
  type Position,
  StockOwnership,
} from "./ownership.ts";
import { pageSlice } from "./_paging.ts";

const SORT_TYPE = { UNKNOWN: 0, DESC: 1, ASC: 2 } as const;
/** `Qot_Common.SortField` members of the shareholder protocols. */
const SORT = { HOLDER_QUANTITY: 61, SHARE_CHANGE: 62, HOLDING_DATE: 63, PCT_CHANGE: 64, CHANGE_AMOUNT: 65, PCT: 66 };
const DAY_S = 86_400;

function ascending(sortType: number | undefined): boolean {
  enumOrFail(sortType, "sortType", Object.values(SORT_TYPE));
  return sortType === SORT_TYPE.ASC;
}

function ownershipOf(ctx: SimContext, wire: Parameters<typeof resolve>[0]): StockOwnership {
  const security = ownedOrFail(resolve(wire), "shareholder");
  return new StockOwnership(ctx.market.seed, security, ctx.market.clock.now());
}

function periodOrFail(ctx: SimContext, own: StockOwnership, periodId: number | undefined): Period {
  const period = periodById(own.security.market, ctx.market.clock.now(), periodId);
  if (!period) {
    fail(periodId ? `Unknown periodId ${periodId}: not a published reporting period` : "no reporting period yet");
  }
  return period;
}

/** The close of a quarter's last trading day and its change against the day before, in percent. */
function quarterClose(ctx: SimContext, security: SimSecurity, period: Period): { close: number; changePct: number } {
  const bar = dayBar(ctx.market, security, period.closeDay);
  if (!bar) return { close: 0, changePct: 0 };
  const last = bar.lastClose ?? bar.open;
  return { close: bar.close, changePct: last > 0 ? round((bar.close / last - 1) * 100, 4) : 0 };
}

/** The disclosure source of a holder's positions in a market. */
export function sourceOf(holder: Holder, security: SimSecurity): string {
  if (security.market === "US") return holder.kind === "insider" ? "Form 4" : "13F";
  if (security.market === "HK") return "HKEX Disclosure of Interests";
  return "Periodic Report";
}

/** When the latest quarter was published (08:00 local on its publication day). */
function updated(own: StockOwnership): { updateTime: string; updateTimeStr: string } {
  const day = own.periods[0]?.publishedDay ?? 0;
  return {
    updateTime: String(utcOf(own.security.market, day, 480) / 1000),
    updateTimeStr: formatLocal(day, 480),
  };
}

const overview: HandlerTable["Qot_GetShareholdersOverview"] = (ctx, _session, c2s) => {
  const own = ownershipOf(ctx, c2s.security);
  const period = periodOrFail(ctx, own, c2s.periodId);
  const held = own.positions(period).filter((p) => p.shares > 0);
  const date = {
    staticDate: String(midnightSeconds(own.security, period.endDay)),
    staticDateStr: formatDay(period.endDay),
  };
  const top = sortBy([...held], (p) => p.shares, false, (p) => p.holder.id).slice(0, 10);
  const byType = new Map<number, number>();
  for (const p of held) byType.set(p.holder.typeId, (byType.get(p.holder.typeId) ?? 0) + p.shares);
  const groups = sortBy([...byType], ([, shares]) => shares, false, ([type]) => type);
  const heldShares = held.reduce((s, p) => s + p.shares, 0);
  return {
    mainHolderInfoList: [{
      ...date,
      itemList: top.map((p) => ({ name: p.holder.name, holderPct: own.pct(p.shares), holderId: p.holder.id })),
    }],
    holderTypeInfoList: [{
      ...date,
      itemList: [
        ...groups.map(([type, shares]) => ({ name: HOLDER_TYPE_TEXT[type], holderPct: own.pct(shares), holderId: 0 })),
        { name: "Public and Other", holderPct: own.pct(own.shares - heldShares), holderId: 0 },
      ],
    }],
    holdingPeriodList: c2s.periodId
      ? []
      : own.periods.slice(0, LISTED_PERIODS).map((p) => ({ periodText: p.text, periodId: p.id })),
  };
};

type ChangeKind = 1 | 2 | 3 | 4;

function changeKind(p: Position): ChangeKind {
  const F = Qot_Common_HoldingChangesFilterType;
  if (p.previous === 0) return F.NewIn;
  if (p.shares === 0) return F.CloseOut;
  return p.shares > p.previous ? F.Increase : F.Decrease;
}

const holdingChanges: HandlerTable["Qot_GetShareholdersHoldingChanges"] = (ctx, _session, c2s) => {
  const own = ownershipOf(ctx, c2s.security);
  const size = pageSize(c2s.num, "num", 1, 50, 10);
  const offset = pageOffset(c2s.nextKey, "nextKey");
  const up = ascending(c2s.sortType);
  enumOrFail(c2s.sortColumn, "sortColumn", [
    0,
    SORT.SHARE_CHANGE,
    SORT.HOLDING_DATE,
    SORT.PCT_CHANGE,
    SORT.CHANGE_AMOUNT,
    SORT.PCT,
  ]);
  enumOrFail(c2s.filterType, "filterType", Object.values(Qot_Common_HoldingChangesFilterType));
  // Each holder's latest change within the listed quarters.
  const listed = own.periods.slice(0, LISTED_PERIODS);
  const closes = new Map(listed.map((p) => [p.id, quarterClose(ctx, own.security, p).close]));
  const seen = new Set<number>();
  const records: Qot_GetShareholdersHoldingChanges_OwnerListItem[] = [];
  for (const period of listed) {
    for (const p of own.positions(period)) {
      if (seen.has(p.holder.id) || p.shares === p.previous) continue;
      seen.add(p.holder.id);
      if (c2s.filterType && changeKind(p) !== c2s.filterType) continue;
      const change = p.shares - p.previous;
      records.push({
        periodText: period.text,
        name: p.holder.name,
        holderId: p.holder.id,
        shareChangeNum: String(change),
        sharesChangePrice: String(Math.round(change * closes.get(period.id)!)),
        holderPct: own.pct(p.shares),
        holderType: HOLDER_TYPE_TEXT[p.holder.typeId],
        holderTypeId: p.holder.typeId,
        holdingDate: String(midnightSeconds(own.security, period.endDay)),
        holdingDateStr: formatDay(period.endDay),
        holderPctChange: round(own.pct(p.shares) - own.pct(p.previous), 4),
        holderQuantity: String(p.shares),
      });
    }
  }
  const key: Record<number, (r: Qot_GetShareholdersHoldingChanges_OwnerListItem) => number> = {
    [SORT.SHARE_CHANGE]: (r) => Number(r.shareChangeNum),
    [SORT.HOLDING_DATE]: (r) => Number(r.holdingDate),
    [SORT.PCT_CHANGE]: (r) => r.holderPctChange!,
    [SORT.CHANGE_AMOUNT]: (r) => Number(r.sharesChangePrice),
    [SORT.PCT]: (r) => r.holderPct!,
  };
  sortBy(records, key[c2s.sortColumn || SORT.SHARE_CHANGE], up, (r) => r.holderId!);
  const { items, next } = pageSlice(records, offset, size, "-1");
  return { itemList: items, nextKey: next };
};

const HOLDER_DETAIL_TYPES = Object.values(Qot_Common_HolderDetailType) as number[];

const holderDetail: HandlerTable["Qot_GetShareholdersHolderDetail"] = (ctx, _session, c2s) => {
  const own = ownershipOf(ctx, c2s.security);
  const size = pageSize(c2s.num, "num", 1, 50, 10);
  const offset = pageOffset(c2s.nextKey, "nextKey");
  const up = ascending(c2s.sortType);
  enumOrFail(c2s.sortColumn, "sortColumn", [0, SORT.HOLDER_QUANTITY, SORT.SHARE_CHANGE]);
  enumOrFail(c2s.requestType, "requestType", HOLDER_DETAIL_TYPES);
  const type = c2s.requestType === undefined || c2s.requestType === 0 || c2s.requestType === 1000
    ? undefined
    : c2s.requestType;
  let rows: { period: Period; position: Position }[];
  if (c2s.holderId) {
    // One holder: its positions quarter by quarter (or at the one quarter asked for), newest first.
    const holder = own.holder(c2s.holderId);
    if (!holder) fail(`Unknown holderId ${c2s.holderId}: not a holder of ${own.security.symbol}`);
    const periods = c2s.periodId ? [periodOrFail(ctx, own, c2s.periodId)] : own.periods;
    rows = periods.map((period) => ({
      period,
      position: {
        holder,
        shares: own.sharesAt(holder, period.index),
        previous: own.sharesAt(holder, period.index - 1),
      },
    })).filter((r) => r.position.shares > 0 || r.position.previous > 0);
  } else {
    const period = periodOrFail(ctx, own, c2s.periodId);
    rows = own.positions(period).map((position) => ({ period, position }));
  }
  rows = rows.filter((r) => type === undefined || r.position.holder.typeId === type);
  if (!c2s.holderId || c2s.sortColumn) {
    const change = c2s.sortColumn === SORT.SHARE_CHANGE;
    sortBy(
      rows,
      (r) => change ? r.position.shares - r.position.previous : r.position.shares,
      up,
      (r) => r.position.holder.id - r.period.index * 1e7,
    );
  }
  const { items, next } = pageSlice(rows, offset, size, "-1");
  const closes = new Map<number, { close: number; changePct: number }>();
  return {
    ...updated(own),
    nextKey: next,
    itemList: items.map(({ period, position: p }) => {
      if (!closes.has(period.id)) closes.set(period.id, quarterClose(ctx, own.security, period));
      const { close, changePct } = closes.get(period.id)!;
      return {
        periodText: period.text,
        holderId: String(p.holder.id),
        name: p.holder.name,
        holderQuantity: String(p.shares),
        holderQuantityChange: String(p.shares - p.previous),
        holderPct: own.pct(p.shares),
        holderPctChange: round(own.pct(p.shares) - own.pct(p.previous), 4),
        holdingDate: String(midnightSeconds(own.security, period.endDay)),
        holdingDateStr: formatDay(period.endDay),
        closePrice: close,
        priceChangePct: changePct,
        sourceGroupName: sourceOf(p.holder, own.security),
      };
    }),
  };
};

const institutional: HandlerTable["Qot_GetShareholdersInstitutional"] = (ctx, _session, c2s) => {
  const own = ownershipOf(ctx, c2s.security);
  const size = pageSize(c2s.num, "num", 1, 50, 10);
  const offset = pageOffset(c2s.nextKey, "nextKey");
  const { items, next } = pageSlice(own.periods, offset, size, "-1");
  return {
    ...updated(own),
    nextKey: next,
    itemList: items.map((period) => {
      const institutions = own.positions(period).filter((p) => p.holder.kind === "institution");
      const count = institutions.filter((p) => p.shares > 0).length;
      const before = institutions.filter((p) => p.previous > 0).length;
      const shares = institutions.reduce((s, p) => s + p.shares, 0);
      const previous = institutions.reduce((s, p) => s + p.previous, 0);
      return {
        periodText: period.text,
        institutionQuantity: String(count),
        institutionQuantityChange: String(count - before),
        holderQuantity: String(shares),
        holderQuantityChange: String(shares - previous),
        holderPct: own.pct(shares),
        holderPctChange: round(own.pct(shares) - own.pct(previous), 4),
      };
    }),
  };
};

const insiderHolders: HandlerTable["Qot_GetInsiderHolderList"] = (ctx, _session, c2s) => {
  const own = ownershipOf(ctx, c2s.security);
  const size = pageSize(c2s.num, "num", 1, 20, 10);
  const offset = pageOffset(c2s.nextKey, "nextKey");
  const insiders = own.holders.filter((h) => h.kind === "insider");
  const rows = sortBy(
    insiders.map((h) => ({ h, shares: own.insiderShares(h) })),
    (r) => r.shares,
    false,
    (r) => r.h.id,
  );
  const { items, next } = pageSlice(rows, offset, size, "-1");
  const yearAgo = ctx.market.clock.now() - 365 * DAY_S * 1000;
  const recent = own.insiderTrades().filter((t) => t.filedMs >= yearAgo);
  const first = !c2s.nextKey
    ? {
      insiderTotalCount: insiders.length,
      insiderBoughtCount: new Set(recent.filter((t) => t.change > 0).map((t) => t.holder.id)).size,
      insiderSoldCount: new Set(recent.filter((t) => t.change < 0).map((t) => t.holder.id)).size,
    }
    : {};
  return {
    itemList: items.map(({ h, shares }) => ({
      holderId: String(h.id),
      holderQuantity: String(shares),
      holderPct: own.pct(shares),
      name: h.name,
      title: h.title ?? "",
    })),
    allCount: rows.length,
    nextKey: next,
    ...first,
  };
};

const insiderTrades: HandlerTable["Qot_GetInsiderTradeList"] = (ctx, _session, c2s) => {
  const own = ownershipOf(ctx, c2s.security);
  const size = pageSize(c2s.num, "num", 1, 50, 10);
  const offset = pageOffset(c2s.nextKey, "nextKey");
  const holderId = c2s.holderId === undefined ? 0 : Number(c2s.holderId);
  if (holderId && own.holder(holderId)?.kind !== "insider") {
    fail(`Unknown holderId ${c2s.holderId}: not an insider of ${own.security.symbol}`);
  }
  const trades = own.insiderTrades().filter((t) => !holderId || t.holder.id === holderId);
  const { items, next } = pageSlice(trades, offset, size, "-1");
  const market = own.security.market;
  return {
    allCount: trades.length,
    nextKey: next,
    itemList: items.map((t) => {
      const bar = dayBar(ctx.market, own.security, t.day);
      const low = bar?.low ?? ctx.market.priceAt(own.security, t.filedMs);
      const high = bar?.high ?? low;
      // The fills' lowest and highest prices: inside the day's range, hash-drawn.
      const u = (salt: number) => hash32(ctx.market.seed, t.holder.id, t.day, salt) / 4_294_967_296;
      const minPrice = round(low + (high - low) * 0.6 * u(1), 2);
      const maxPrice = round(minPrice + (high - minPrice) * u(2), 2);
      const seconds = String(midnightSeconds(own.security, t.day));
      return {
        tradeShares: String(Math.abs(t.change)),
        minTradeDate: seconds,
        minTradeDateStr: formatDay(t.day),
        maxTradeDate: seconds,
        maxTradeDateStr: formatDay(t.day),
        minPrice: Math.max(low, Math.min(high, minPrice)),
        maxPrice: Math.max(low, Math.min(high, maxPrice)),
        securityHolderQuantity: String(t.holding),
        isProposedSaleOfSecurities: false,
        holderId: String(t.holder.id),
        name: t.holder.name,
        title: t.holder.title ?? "",
        securityDescription: market === "US" ? "Common Stock" : "Ordinary Shares",
        transactionType: t.change > 0 ? "Buy" : "Sell",
        sourceGroupName: sourceOf(t.holder, own.security),
      };
    }),
  };
};

/** The shareholder and insider handlers. */
export const HOLDER_HANDLERS: HandlerTable = {
  Qot_GetShareholdersOverview: overview,
  Qot_GetShareholdersHoldingChanges: holdingChanges,
  Qot_GetShareholdersHolderDetail: holderDetail,
  Qot_GetShareholdersInstitutional: institutional,
  Qot_GetInsiderHolderList: insiderHolders,
  Qot_GetInsiderTradeList: insiderTrades,
};
