/**
 * Trading days, IPOs, code changes and rehab factors: the simulated OpenD's
 * handlers. Trading days come from the same holiday calendar the market
 * trades by (`holidays.ts` through `clock.ts`), rehab factors are the ones
 * the adjusted K-lines use (`corporate_actions.ts`), IPOs are the new-listing
 * calendar of `ipos.ts` at the simulated clock, and code changes the records
 * of `code_changes.ts`.
 *
 * @module
 */
import { CODE_CHANGE_TIME, CODE_CHANGE_TYPE, TRADE_DATE_MARKET, TRADE_DATE_TYPE } from "../gateway/calendar_types.ts";
import {
  Qot_Common_CompanyAct,
  type Qot_Common_Rehab,
  type Qot_Common_Security,
  type Qot_GetCodeChange_CodeChangeInfo,
  type Qot_GetIpoList_IpoData,
} from "../gateway/proto/messages.ts";
import { marketOfQotMarket, parseSymbol } from "../gateway/symbols.ts";
import { fail, resolve } from "./_handler_common.ts";
import { CODE_CHANGES, type CodeChangeKind, type SimCodeChange } from "./code_changes.ts";
import { actionsOf, type ResolvedAction } from "./corporate_actions.ts";
import { type DayNumber, formatLocal, type SimMarket, utcOf } from "./clock.ts";
import { tradeDayType } from "./holidays.ts";
import type { HandlerTable } from "./handlers.ts";
import { type IpoMarket, type SimIpo, upcomingIpos } from "./ipos.ts";

/** Longest span of one trading-day request. */
const MAX_TRADE_DATE_SPAN_DAYS = 3660;

const DAY_MS = 86_400_000;

function parseDate(text: string | undefined, what: string): DayNumber {
  const match = /^(\d{4}-\d{2}-\d{2})(?: \d{2}:\d{2}:\d{2})?$/.exec((text ?? "").trim());
  const ms = match ? Date.parse(`${match[1]}T00:00:00Z`) : NaN;
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== match![1]) {
    fail(`Invalid ${what} ${JSON.stringify(text ?? "")}: expected "YYYY-MM-DD"`);
  }
  return Math.floor(ms / DAY_MS);
}

function dateText(day: DayNumber): string {
  return formatLocal(day, 0).slice(0, 10);
}

/** Seconds of a market-local midnight. */
function timestampOf(market: SimMarket, day: DayNumber): number {
  return utcOf(market, day, 0) / 1000;
}

/** The market whose calendar a trading-day request reads: a security's when one is given. */
function tradeDateMarketOf(market: number, security: Qot_Common_Security | undefined): SimMarket {
  if (security) return resolve(security).market;
  const name = TRADE_DATE_MARKET.fromWire(market);
  if (name === "HK" || name === "US") return name;
  if (name === "CN") return "SH";
  fail(
    TRADE_DATE_MARKET.has(name)
      ? `The simulator has no trading calendar for market ${name}; it has HK, US and CN`
      : `Unknown market ${market}`,
  );
}

function ipoMarketOf(qotMarket: number): IpoMarket {
  const market = marketOfQotMarket(qotMarket);
  if (market === "HK" || market === "US") return market;
  if (market === "SH" || market === "SZ") return "CN";
  fail(`The simulator has no IPO list for market ${market ?? qotMarket}; it has HK, US, SH and SZ`);
}

function ipoOf(ipo: SimIpo): Qot_GetIpoList_IpoData {
  const date = (day: DayNumber) => ({
    time: `${dateText(day)} 00:00:00`,
    timestamp: timestampOf(ipo.market, day),
  });
  const list = date(ipo.listDay);
  const data: Qot_GetIpoList_IpoData = {
    basic: {
      security: wireSecurity(`${ipo.market}.${ipo.code}`),
      name: ipo.name,
      listTime: list.time,
      listTimestamp: list.timestamp,
    },
  };
  if (ipo.hk) {
    const end = date(ipo.hk.applyEndDay);
    data.hkExData = {
      ipoPriceMin: ipo.hk.priceMin,
      ipoPriceMax: ipo.hk.priceMax,
      listPrice: ipo.hk.listPrice,
      lotSize: ipo.hk.lotSize,
      entrancePrice: ipo.hk.entrancePrice,
      isSubscribeStatus: ipo.hk.subscribing,
      applyEndTime: end.time,
      applyEndTimestamp: end.timestamp,
    };
  }
  if (ipo.us) {
    data.usExData = { ipoPriceMin: ipo.us.priceMin, ipoPriceMax: ipo.us.priceMax, issueSize: String(ipo.us.issueSize) };
  }
  if (ipo.cn) {
    const apply = date(ipo.cn.applyDay);
    const winning = date(ipo.cn.winningDay);
    data.cnExData = {
      applyCode: ipo.cn.applyCode,
      issueSize: String(ipo.cn.issueSize),
      onlineIssueSize: String(ipo.cn.onlineIssueSize),
      applyUpperLimit: String(ipo.cn.applyUpperLimit),
      applyLimitMarketValue: String(ipo.cn.applyLimitMarketValue),
      isEstimateIpoPrice: ipo.cn.estimatedPrice,
      ipoPrice: ipo.cn.ipoPrice,
      industryPeRate: ipo.cn.industryPeRate,
      isEstimateWinningRatio: ipo.cn.estimatedWinningRatio,
      winningRatio: ipo.cn.winningRatio,
      issuePeRate: ipo.cn.issuePeRate,
      applyTime: apply.time,
      applyTimestamp: apply.timestamp,
      winningTime: winning.time,
      winningTimestamp: winning.timestamp,
      isHasWon: ipo.cn.hasWon,
      winningNumData: ipo.cn.winningNumbers.map((w) => ({ winningName: w.name, winningInfo: w.info })),
    };
  }
  return data;
}

function rehabOf(action: ResolvedAction, market: SimMarket): Qot_Common_Rehab {
  let flags = 0;
  if (action.split) {
    flags |= action.split.ert > action.split.base ? Qot_Common_CompanyAct.Split : Qot_Common_CompanyAct.Join;
  }
  if (action.bonus) flags |= Qot_Common_CompanyAct.Bonus;
  if (action.dividend) flags |= Qot_Common_CompanyAct.Dividend;
  if (action.specialDividend) flags |= Qot_Common_CompanyAct.SPDividend;
  const joins = action.split !== undefined && action.split.ert < action.split.base;
  return {
    time: dateText(action.exDay),
    timestamp: timestampOf(market, action.exDay),
    companyActFlag: String(flags),
    fwdFactorA: action.forward.a,
    fwdFactorB: action.forward.b,
    bwdFactorA: action.backward.a,
    bwdFactorB: action.backward.b,
    splitBase: action.split && !joins ? action.split.base : undefined,
    splitErt: action.split && !joins ? action.split.ert : undefined,
    joinBase: joins ? action.split!.base : undefined,
    joinErt: joins ? action.split!.ert : undefined,
    bonusBase: action.bonus?.base,
    bonusErt: action.bonus?.ert,
    dividend: action.dividend,
    spDividend: action.specialDividend,
  };
}

/** The security of a code change symbol ("HK.02488"). */
function wireSecurity(symbol: string): Qot_Common_Security {
  const parsed = parseSymbol(symbol);
  return { market: parsed.qotMarket, code: parsed.code };
}

function codeChangeOf(change: SimCodeChange): Qot_GetCodeChange_CodeChangeInfo {
  const at = (text: string | undefined) => {
    if (text === undefined) return { time: undefined, timestamp: undefined };
    return { time: `${text} 00:00:00`, timestamp: Date.parse(`${text}T00:00:00+08:00`) / 1000 };
  };
  const published = at(change.publicDate);
  const effective = at(change.effectiveDate);
  const end = at(change.endDate);
  return {
    type: CODE_CHANGE_TYPE.toWire(change.kind),
    security: wireSecurity(change.symbol),
    relatedSecurity: wireSecurity(change.related),
    publicTime: published.time,
    publicTimestamp: published.timestamp,
    effectiveTime: effective.time,
    effectiveTimestamp: effective.timestamp,
    endTime: end.time,
    endTimestamp: end.timestamp,
  };
}

const CODE_CHANGE_DATES = {
  PUBLIC: "publicDate",
  EFFECTIVE: "effectiveDate",
  END: "endDate",
} as const satisfies Record<string, keyof SimCodeChange>;

/** The handlers of this file, by protocol. */
export const CALENDAR_HANDLERS: HandlerTable = {
  Qot_RequestTradeDate: (_ctx, _session, c2s) => {
    const market = tradeDateMarketOf(c2s.market, c2s.security);
    const begin = parseDate(c2s.beginTime, "beginTime");
    const end = parseDate(c2s.endTime, "endTime");
    if (begin > end) fail(`beginTime ${c2s.beginTime} is after endTime ${c2s.endTime}`);
    if (end - begin > MAX_TRADE_DATE_SPAN_DAYS) fail(`The span from beginTime to endTime exceeds 10 years`);
    const tradeDateList = [];
    for (let day = begin; day <= end; day++) {
      const type = tradeDayType(market, day);
      if (type === undefined) continue;
      tradeDateList.push({
        time: dateText(day),
        timestamp: timestampOf(market, day),
        tradeDateType: TRADE_DATE_TYPE.toWire(type),
      });
    }
    return { tradeDateList };
  },

  Qot_GetIpoList: (ctx, _session, c2s) => {
    const market = ipoMarketOf(c2s.market);
    return { ipoList: upcomingIpos(ctx.market.seed, market, ctx.market.clock.now()).map(ipoOf) };
  },

  Qot_GetCodeChange: (_ctx, _session, c2s) => {
    const symbols = new Set<string>();
    for (const security of c2s.securityList ?? []) {
      const market = marketOfQotMarket(security.market);
      if (!market) fail(`Unknown market ${security.market}`);
      symbols.add(`${market}.${security.code}`);
    }
    const kinds = new Set<CodeChangeKind>();
    for (const type of c2s.typeList ?? []) {
      const name = CODE_CHANGE_TYPE.fromWire(type);
      if (!CODE_CHANGE_TYPE.has(name)) fail(`Unknown code change type ${type}`);
      kinds.add(name);
    }
    const filters = (c2s.timeFilterList ?? []).map((filter) => {
      const name = CODE_CHANGE_TIME.fromWire(filter.type);
      if (!CODE_CHANGE_TIME.has(name)) fail(`Unknown time filter type ${filter.type}`);
      const begin = filter.beginTime ? dateText(parseDate(filter.beginTime, "beginTime")) : undefined;
      const end = filter.endTime ? dateText(parseDate(filter.endTime, "endTime")) : undefined;
      if (begin && end && begin > end) fail(`beginTime ${filter.beginTime} is after endTime ${filter.endTime}`);
      return { field: CODE_CHANGE_DATES[name], begin, end };
    });
    const codeChangeList = CODE_CHANGES.filter((change) =>
      (symbols.size === 0 || symbols.has(change.symbol) || symbols.has(change.related)) &&
      (kinds.size === 0 || kinds.has(change.kind)) &&
      filters.every(({ field, begin, end }) => {
        const date = change[field];
        return date !== undefined && (!begin || date >= begin) && (!end || date <= end);
      })
    ).map(codeChangeOf);
    return { codeChangeList };
  },

  Qot_RequestRehab: (_ctx, _session, c2s) => {
    const security = resolve(c2s.security);
    return { rehabList: actionsOf(security).map((action) => rehabOf(action, security.market)) };
  },
};
