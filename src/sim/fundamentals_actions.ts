/**
 * Corporate actions and security search of the simulated OpenD.
 *
 * Dividends and splits are exactly the actions of `corporate_actions.ts`
 * (`actionsOf`): the ex-dates and amounts Qot_RequestRehab serves and the
 * adjusted K-lines apply; what an exchange adds around them is derived by
 * fixed rules: announced 30 (US) or 45 days before the ex-date, on record
 * the ex-date (US), two days after (HK) or the trading day before (A-shares),
 * paid four days (US) or 25 days (HK) after it, or on it (A-shares). An
 * action is listed once announced. Splits carry their ex-date in every
 * market (OpenD documents the ex-date fields for HK only; every split the
 * simulator has is a US one).
 *
 * Buybacks (generated on the market model): HK stocks buy back on some
 * trading days of the last 200 days (a per-stock rate), inside that day's
 * traded (unadjusted) high and low, reported the next trading day, counted
 * per calendar-year round; A-shares run buyback programmes (plan, approval,
 * execution window, price cap 30 % above the plan day's price). US stocks
 * list none (the protocol has HK and A-share lists only).
 *
 * Search matches the keyword against the codes and names of the catalog's
 * securities and plates, case-insensitively: exact code first, then code
 * prefix, name prefix, code and name substrings.
 *
 * @module
 */
import type {
  Qot_GetCorporateActionsBuybacks_ABuyBackItem,
  Qot_GetCorporateActionsBuybacks_C2S,
  Qot_GetCorporateActionsBuybacks_HKBuyBackItem,
  Qot_GetCorporateActionsBuybacks_S2C,
  Qot_GetCorporateActionsDividends_C2S,
  Qot_GetCorporateActionsDividends_S2C,
  Qot_GetCorporateActionsStockSplits_C2S,
  Qot_GetCorporateActionsStockSplits_S2C,
  Qot_GetSearchQuote_C2S,
  Qot_GetSearchQuote_S2C,
} from "../gateway/proto/messages.ts";
import { Qot_Common_SecurityType } from "../gateway/proto/messages.ts";
import { qotMarketOf } from "../gateway/symbols.ts";
import { fail, round } from "./_handler_common.ts";
import { DAY_MS, daySeconds, listingCurrency, localDay, page, randomOf, stockOf } from "./_fundamentals_common.ts";
import { SIM_PLATES, SIM_SECURITIES, type SimSecurity } from "./catalog.ts";
import { formatDay, isTradingDay, previousTradingDay, utcOf } from "./clock.ts";
import { actionsOf, type ResolvedAction } from "./corporate_actions.ts";
import type { SimContext } from "./handlers.ts";
import { watchlistBookOf } from "./watchlist_book.ts";

/** "YYYY/MM/DD" of a day. */
function slashed(day: number): string {
  return formatDay(day).replaceAll("-", "/");
}

/** The weekday at or before a day. */
function weekdayAtOrBefore(day: number): number {
  const weekday = (((day + 4) % 7) + 7) % 7;
  return weekday === 0 ? day - 2 : weekday === 6 ? day - 1 : day;
}

/** The weekday at or after a day. */
function weekdayAtOrAfter(day: number): number {
  const weekday = (((day + 4) % 7) + 7) % 7;
  return weekday === 0 ? day + 1 : weekday === 6 ? day + 2 : day;
}

/** When an action was announced. */
function announcedDay(security: SimSecurity, action: ResolvedAction): number {
  return weekdayAtOrBefore(action.exDay - (security.market === "US" ? 30 : 45));
}

/** Shares outstanding right after an action (today's shares taken back through the later actions). */
function sharesAfter(security: SimSecurity, action: ResolvedAction): number {
  const actions = actionsOf(security);
  let shares = security.sharesOutstanding ?? 0;
  for (const later of actions.slice(actions.indexOf(action) + 1)) shares *= later.forward.a;
  return Math.round(shares);
}

function dividendStatement(security: SimSecurity, action: ResolvedAction): string {
  const cur = listingCurrency(security);
  const parts: string[] = [];
  if (security.market === "SH" || security.market === "SZ") {
    const cash = (action.dividend ?? 0) + (action.specialDividend ?? 0);
    return `Cash dividend ${cur} ${(cash * 10).toFixed(2)} per 10 shares (tax included)`;
  }
  if (action.dividend) {
    const kind = security.market === "US" ? "Quarterly dividend" : "Final dividend";
    parts.push(`${kind} ${cur} ${action.dividend.toFixed(security.market === "US" ? 2 : 3)} per share`);
  }
  if (action.specialDividend) parts.push(`Special dividend ${cur} ${action.specialDividend.toFixed(3)} per share`);
  return parts.join("; ");
}

/** Qot_GetCorporateActionsDividends. */
export function dividends(
  ctx: SimContext,
  c2s: Qot_GetCorporateActionsDividends_C2S,
): Qot_GetCorporateActionsDividends_S2C {
  const security = stockOf(c2s.security, "Corporate actions");
  const today = localDay(security.market, ctx.market.clock.now());
  const cn = security.market === "SH" || security.market === "SZ";
  const list = actionsOf(security)
    .filter((a) => (a.dividend ?? 0) + (a.specialDividend ?? 0) > 0 && announcedDay(security, a) <= today)
    .map((a) => ({
      pubDate: slashed(announcedDay(security, a)),
      statement: dividendStatement(security, a),
      process: security.market === "US" ? undefined : a.exDay <= today ? "Implemented" : "Approved",
      recordDate: slashed(
        security.market === "US"
          ? a.exDay
          : cn
          ? previousTradingDay(security.market, a.exDay)
          : weekdayAtOrAfter(a.exDay + 2),
      ),
      exDate: slashed(a.exDay),
      dividendPayableDate: slashed(
        security.market === "US" ? weekdayAtOrAfter(a.exDay + 4) : cn ? a.exDay : weekdayAtOrAfter(a.exDay + 25),
      ),
    }))
    .reverse();
  return { dividendList: list };
}

/** Qot_GetCorporateActionsStockSplits. */
export function stockSplits(
  ctx: SimContext,
  c2s: Qot_GetCorporateActionsStockSplits_C2S,
): Qot_GetCorporateActionsStockSplits_S2C {
  const security = stockOf(c2s.security, "Corporate actions");
  const today = localDay(security.market, ctx.market.clock.now());
  const hk = security.market === "HK";
  const stamp = (day: number) => ({ ms: String(daySeconds(security.market, day)), text: formatDay(day) });
  const items = actionsOf(security)
    .filter((a) => a.split && announcedDay(security, a) <= today)
    .reverse()
    .map((a) => {
      const pub = stamp(announcedDay(security, a));
      const ex = stamp(a.exDay);
      const split = a.split!;
      const item: Qot_GetCorporateActionsStockSplits_S2C["splitItemList"] extends (infer T)[] | undefined ? T : never =
        {
          dirDeciPubDate: pub.ms,
          dirDeciPubDateStr: pub.text,
          reformType: split.ert >= split.base ? "Split" : "Consolidation",
          rate: `${split.base}:${split.ert}`,
          exDate: ex.ms,
          exDateStr: ex.text,
          sharesAfterEffect: sharesAfter(security, a),
        };
      if (hk) {
        const decided = stamp(weekdayAtOrBefore(a.exDay - 10));
        const temp = stamp(a.exDay);
        const parallelFrom = stamp(weekdayAtOrAfter(a.exDay + 14));
        const parallelTo = stamp(weekdayAtOrAfter(a.exDay + 35));
        Object.assign(item, {
          smDeciDate: decided.ms,
          smDeciDateStr: decided.text,
          tempTradeBeginDate: temp.ms,
          tempTradeBeginDateStr: temp.text,
          simulTradeBeginDate: parallelFrom.ms,
          simulTradeBeginDateStr: parallelFrom.text,
          simulTradeEndDate: parallelTo.ms,
          simulTradeEndDateStr: parallelTo.text,
          eventStatus: a.exDay <= today ? "Implemented" : "Approved",
          newParValue: round(0.00002 * split.base / split.ert, 8),
          tempShareCode: String(2900 + (Number(security.code) % 100)).padStart(5, "0"),
          tempShareAbbrName: security.name,
          newTradeUnit: String(security.lotSize),
        });
      }
      return item;
    });
  const list = page(items, c2s.nextKey, c2s.num);
  return { splitItemList: list.items, nextKey: list.nextKey };
}

/** Buyback days of an HK stock over the last 200 days, newest first. */
function hkBuybacks(ctx: SimContext, security: SimSecurity): Qot_GetCorporateActionsBuybacks_HKBuyBackItem[] {
  const now = ctx.market.clock.now();
  const today = localDay(security.market, now);
  const rate = randomOf(ctx.market.seed, security.symbol, "buyback rate").real(0.1, 0.6, 3);
  const shares = security.sharesOutstanding ?? 0;
  const bars = ctx.market.bars(security, "K_DAY", utcOf(security.market, today - 200, 0), now, 400, { rehab: "NONE" })
    .filter((b) => localDay(security.market, b.startMs) < today);
  const days = bars.map((bar) => {
    const day = localDay(security.market, bar.startMs);
    const random = randomOf(ctx.market.seed, security.symbol, "buyback", day);
    if (random.next() > rate) return undefined;
    const qty = Math.round((shares * random.real(0.00002, 0.00012, 6)) / security.lotSize) * security.lotSize;
    const avg = bar.low + (bar.high - bar.low) * random.real(0.3, 0.7, 3);
    return { day, bar, qty, money: round(qty * avg, 2) };
  }).filter((d) => d !== undefined && d.qty > 0) as {
    day: number;
    bar: typeof bars[number];
    qty: number;
    money: number;
  }[];
  let year = 0;
  let cumulative = 0;
  const items = days.map((d) => {
    const dayYear = Number(formatDay(d.day).slice(0, 4));
    if (dayYear !== year) [year, cumulative] = [dayYear, 0];
    cumulative += d.qty;
    let publ = d.day + 1;
    while (!isTradingDay(security.market, publ)) publ++;
    return {
      publDate: String(daySeconds(security.market, publ)),
      publDateStr: formatDay(publ),
      endDate: String(daySeconds(security.market, d.day)),
      endDateStr: formatDay(d.day),
      buyBackMoney: d.money,
      buyBackSum: String(d.qty),
      percentage: round((d.qty / shares) * 100, 4),
      highPrice: d.bar.high,
      lowPrice: d.bar.low,
      cumulativeSum: String(cumulative),
      cumulativePercentage: round((cumulative / shares) * 100, 4),
      shareType: "Ordinary shares",
      publDay: publ,
    };
  });
  return items.filter((i) => i.publDay <= today).reverse().map(({ publDay: _, ...item }) => item);
}

/** Buyback programmes of an A-share stock, newest first. */
function aBuybacks(ctx: SimContext, security: SimSecurity): Qot_GetCorporateActionsBuybacks_ABuyBackItem[] {
  const now = ctx.market.clock.now();
  const today = localDay(security.market, now);
  const shares = security.sharesOutstanding ?? 0;
  const priceOn = (day: number) =>
    ctx.market.priceAt(security, Math.min(now, utcOf(security.market, day, 15 * 60 + 30)));
  const stamp = (day: number) => ({ ms: String(daySeconds(security.market, day)), text: formatDay(day) });
  const out: Qot_GetCorporateActionsBuybacks_ABuyBackItem[] = [];
  for (let k = 0; k < 3; k++) {
    const random = randomOf(ctx.market.seed, security.symbol, "programme", k);
    const advance = weekdayAtOrAfter(
      Math.floor(Date.parse("2023-03-01T00:00:00Z") / DAY_MS) + k * 420 + random.int(0, 300),
    );
    if (advance > today) continue;
    const meet = weekdayAtOrAfter(advance + random.int(20, 40));
    const start = weekdayAtOrAfter(meet + 5);
    const end = weekdayAtOrAfter(start + random.int(180, 360));
    const planPrice = priceOn(advance);
    const priceCeiling = round(planPrice * 1.3, 2);
    const valueFloor = Math.round(shares * 0.001 * planPrice);
    const valueCeiling = valueFloor * 2;
    const done = end < today;
    const progress = done ? random.real(0.6, 1, 3) : Math.max(0, Math.min(1, (today - start) / (end - start))) * 0.8;
    const money = round(valueFloor * (1 + progress) * (meet <= today && start <= today ? 1 : 0), 2);
    const avg = start <= today ? priceOn(Math.min(today, Math.floor((start + Math.min(end, today)) / 2))) : planPrice;
    const qty = Math.round(money / avg / 100) * 100;
    const at = (day: number, shown: boolean) => (shown ? stamp(day) : undefined);
    const changed = at(end + 5, done && end + 5 <= today);
    const registered = at(end + 30, done && end + 30 <= today);
    out.push({
      changeRegDate: registered?.ms,
      changeRegDateStr: registered?.text,
      changeDate: changed?.ms,
      changeDateStr: changed?.text,
      eventProceDesc: done
        ? "Completed"
        : meet > today
        ? "Plan announced"
        : start > today
        ? "Approved by shareholders"
        : "In progress",
      advanceDate: stamp(advance).ms,
      advanceDateStr: stamp(advance).text,
      meetPassDate: at(meet, meet <= today)?.ms,
      meetPassDateStr: at(meet, meet <= today)?.text,
      startDate: stamp(start).ms,
      startDateStr: stamp(start).text,
      endDate: stamp(end).ms,
      endDateStr: stamp(end).text,
      payDate: at(end, done)?.ms,
      payDateStr: at(end, done)?.text,
      seller: "Public shareholders (secondary market)",
      buyBackMode: "Centralized bidding",
      shareType: "A shares",
      buyBackSum: String(qty),
      buyBackMoney: money,
      percentage: round((qty / shares) * 100, 4),
      valueFloor,
      valueCeiling,
      priceFloor: 0,
      priceCeiling,
      volumeFloor: Math.round(valueFloor / priceCeiling),
      volumeCeiling: Math.round(valueCeiling / priceCeiling),
    });
  }
  return out.reverse();
}

/** Qot_GetCorporateActionsBuybacks. */
export function buybacks(
  ctx: SimContext,
  c2s: Qot_GetCorporateActionsBuybacks_C2S,
): Qot_GetCorporateActionsBuybacks_S2C {
  const security = stockOf(c2s.security, "Corporate actions");
  if (security.market === "HK") {
    const list = page(hkBuybacks(ctx, security), c2s.nextKey, c2s.num);
    return { hkBuyBackList: list.items, aBuyBackList: [], nextKey: list.nextKey };
  }
  if (security.market === "SH" || security.market === "SZ") {
    const list = page(aBuybacks(ctx, security), c2s.nextKey, c2s.num);
    return { hkBuyBackList: [], aBuyBackList: list.items, nextKey: list.nextKey };
  }
  page([], c2s.nextKey, c2s.num);
  return { hkBuyBackList: [], aBuyBackList: [], nextKey: "-1" };
}

function secTypeOf(security: SimSecurity): number {
  const { Index, Warrant, Drvt, Future, Eqty } = Qot_Common_SecurityType;
  return { index: Index, warrant: Warrant, option: Drvt, future: Future, stock: Eqty }[security.kind];
}

/** Qot_GetSearchQuote. */
export function searchQuote(ctx: SimContext, c2s: Qot_GetSearchQuote_C2S): Qot_GetSearchQuote_S2C {
  const keyword = (c2s.keyword ?? "").trim().toLowerCase();
  if (keyword === "") fail("keyword is required");
  const max = c2s.max_count ?? 10;
  if (!Number.isInteger(max) || max < 1 || max > 50) fail(`max_count must be 1 to 50, got ${max}`);
  const watched = new Set(watchlistBookOf(ctx.market).securities("All").map((s) => s.symbol));
  const candidates = [
    ...SIM_SECURITIES.map((s) => ({
      symbol: s.symbol,
      market: s.market,
      code: s.code,
      name: s.name,
      type: secTypeOf(s),
    })),
    ...SIM_PLATES.map((p) => ({ ...p, type: Qot_Common_SecurityType.Plate })),
  ];
  const score = (c: (typeof candidates)[number]) => {
    const code = c.code.toLowerCase();
    const name = c.name.toLowerCase();
    if (code === keyword || c.symbol.toLowerCase() === keyword) return 0;
    if (code.startsWith(keyword)) return 1;
    if (name.startsWith(keyword)) return 2;
    if (code.includes(keyword)) return 3;
    if (name.includes(keyword)) return 4;
    return -1;
  };
  const found = candidates.map((c) => ({ c, s: score(c) })).filter((x) => x.s >= 0)
    .sort((a, b) => a.s - b.s || a.c.symbol.localeCompare(b.c.symbol))
    .slice(0, max);
  return {
    search_quote_list: found.map(({ c }) => ({
      market: qotMarketOf(c.market),
      code: c.code,
      name: c.name,
      sec_type: c.type,
      is_watched: watched.has(c.symbol),
    })),
  };
}
