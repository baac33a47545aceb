/**
 * Trading days, IPOs, code changes and rehab factors: the typed OpenD calls
 * (Qot_RequestTradeDate, Qot_GetIpoList, Qot_GetCodeChange,
 * Qot_RequestRehab), converting symbols, enums and 64-bit counts.
 *
 * @example
 * ```ts
 * import { Gateway } from "./mod.ts";
 * const gateway = await Gateway.connect({ gateway: "127.0.0.1:11111" });
 * const days = await gateway.calendar.tradingDays("US", "2026-11-23", "2026-11-27");
 * // [{ date: "2026-11-23", type: "WHOLE" }, …, { date: "2026-11-27", type: "MORNING" }]
 * ```
 *
 * @module
 */
import type { OpenDClient } from "./client.ts";
import {
  CODE_CHANGE_TIME,
  CODE_CHANGE_TYPE,
  type CodeChange,
  type CodeChangeQuery,
  COMPANY_ACTS,
  type CompanyActName,
  type Ipo,
  type RehabFactor,
  TRADE_DATE_MARKET,
  TRADE_DATE_TYPE,
  type TradeDateMarketName,
  type TradingDay,
} from "./calendar_types.ts";
import type { Qot_Common_Rehab, Qot_GetIpoList_IpoData } from "./proto/messages.ts";
import { formatSymbol, type MarketPrefix, qotMarketOf, toSecurity } from "./symbols.ts";

export * from "./calendar_types.ts";

/** "YYYY-MM-DD" of an OpenD time string ("2026-11-26" or "2026-11-26 00:00:00"). */
function dateOf(time: string | undefined): string | undefined {
  return time === undefined || time === "" ? undefined : time.slice(0, 10);
}

function ratio(base: number | undefined, ert: number | undefined, price?: number): string | undefined {
  if (!base || !ert) return undefined;
  return price === undefined ? `${base}:${ert}` : `${base}:${ert}@${price}`;
}

function toRehab(row: Qot_Common_Rehab): RehabFactor {
  const flags = BigInt(row.companyActFlag);
  const actions = (Object.keys(COMPANY_ACTS) as CompanyActName[]).filter((name) =>
    (flags & BigInt(COMPANY_ACTS[name])) !== 0n
  );
  const has = (name: CompanyActName) => actions.includes(name);
  return {
    exDate: row.time.slice(0, 10),
    actions,
    forwardA: row.fwdFactorA,
    forwardB: row.fwdFactorB,
    backwardA: row.bwdFactorA,
    backwardB: row.bwdFactorB,
    split: has("SPLIT") ? ratio(row.splitBase, row.splitErt) : undefined,
    join: has("JOIN") ? ratio(row.joinBase, row.joinErt) : undefined,
    bonus: has("BONUS") ? ratio(row.bonusBase, row.bonusErt) : undefined,
    transfer: has("TRANSFER") ? ratio(row.transferBase, row.transferErt) : undefined,
    allot: has("ALLOT") ? ratio(row.allotBase, row.allotErt, row.allotPrice) : undefined,
    add: has("ADD") ? ratio(row.addBase, row.addErt, row.addPrice) : undefined,
    spinOff: has("SPIN_OFF") ? ratio(row.spinOffBase, row.spinOffErt) : undefined,
    dividend: has("DIVIDEND") ? row.dividend : undefined,
    specialDividend: has("SP_DIVIDEND") ? row.spDividend : undefined,
  };
}

function toIpo(data: Qot_GetIpoList_IpoData): Ipo {
  const { basic, hkExData: hk, usExData: us, cnExData: cn } = data;
  return {
    symbol: formatSymbol(basic.security),
    name: basic.name,
    listDate: dateOf(basic.listTime),
    hk: hk && {
      priceMin: hk.ipoPriceMin,
      priceMax: hk.ipoPriceMax,
      listPrice: hk.listPrice > 0 ? hk.listPrice : undefined,
      lotSize: hk.lotSize,
      entrancePrice: hk.entrancePrice,
      subscribing: hk.isSubscribeStatus,
      applyEnd: dateOf(hk.applyEndTime),
    },
    us: us && { priceMin: us.ipoPriceMin, priceMax: us.ipoPriceMax, issueSize: Number(us.issueSize) },
    cn: cn && {
      applyCode: cn.applyCode,
      issueSize: Number(cn.issueSize),
      onlineIssueSize: Number(cn.onlineIssueSize),
      applyUpperLimit: Number(cn.applyUpperLimit),
      applyLimitMarketValue: Number(cn.applyLimitMarketValue),
      ipoPrice: cn.ipoPrice,
      ipoPriceEstimated: cn.isEstimateIpoPrice,
      industryPe: cn.industryPeRate,
      issuePe: cn.issuePeRate,
      winningRatio: cn.winningRatio,
      winningRatioEstimated: cn.isEstimateWinningRatio,
      applyDate: dateOf(cn.applyTime),
      winningDate: dateOf(cn.winningTime),
      hasWon: cn.isHasWon,
      winningNumbers: (cn.winningNumData ?? []).map((w) => ({ group: w.winningName, numbers: w.winningInfo })),
    },
  };
}

/** Trading days, IPOs, code changes and rehab factors. */
export class CalendarApi {
  readonly #client: OpenDClient;

  constructor(client: OpenDClient) {
    this.#client = client;
  }

  /**
   * Trading days of a market, or of a security's market, between two dates
   * ("YYYY-MM-DD", both included): weekends and exchange holidays left out.
   */
  async tradingDays(
    market: TradeDateMarketName,
    begin: string,
    end: string,
    symbol?: string,
  ): Promise<TradingDay[]> {
    const s2c = await this.#client.request("Qot_RequestTradeDate", {
      market: TRADE_DATE_MARKET.toWire(market),
      beginTime: begin,
      endTime: end,
      security: symbol === undefined ? undefined : toSecurity(symbol),
    });
    return (s2c.tradeDateList ?? []).map((d) => ({
      date: d.time.slice(0, 10),
      type: TRADE_DATE_TYPE.fromWire(d.tradeDateType ?? 0),
    }));
  }

  /** Upcoming IPOs of a market; SH or SZ gives the whole A-share list. */
  async ipoList(market: MarketPrefix): Promise<Ipo[]> {
    const s2c = await this.#client.request("Qot_GetIpoList", { market: qotMarketOf(market) });
    return (s2c.ipoList ?? []).map(toIpo);
  }

  /** Code changes and temporary codes (HK only), optionally filtered. */
  async codeChanges(query: CodeChangeQuery = {}): Promise<CodeChange[]> {
    const s2c = await this.#client.request("Qot_GetCodeChange", {
      securityList: query.symbols?.map((s) => toSecurity(s)),
      typeList: query.types?.map((t) => CODE_CHANGE_TYPE.toWire(t)),
      timeFilterList: query.time
        ? [{ type: CODE_CHANGE_TIME.toWire(query.time.field), beginTime: query.time.begin, endTime: query.time.end }]
        : undefined,
    });
    return (s2c.codeChangeList ?? []).map((c) => ({
      type: CODE_CHANGE_TYPE.fromWire(c.type),
      symbol: formatSymbol(c.security),
      related: formatSymbol(c.relatedSecurity),
      publicDate: dateOf(c.publicTime),
      effectiveDate: dateOf(c.effectiveTime),
      endDate: dateOf(c.endTime),
    }));
  }

  /** Corporate-action adjustment factors of a security, by ex-date. */
  async rehab(symbol: string): Promise<RehabFactor[]> {
    const s2c = await this.#client.request("Qot_RequestRehab", { security: toSecurity(symbol) });
    return (s2c.rehabList ?? []).map(toRehab);
  }
}
