/**
 * Capital flow, holders, the stock filter and owner plates: the typed OpenD
 * calls (Qot_GetCapitalFlow, Qot_GetCapitalDistribution,
 * Qot_GetHoldingChangeList, Qot_StockFilter, Qot_GetOwnerPlate), with symbols
 * as "HK.00700" and enums by name.
 *
 * @example
 * ```ts
 * import { Gateway } from "./mod.ts";
 * const gateway = await Gateway.connect({ gateway: "127.0.0.1:11111" });
 * const flow = await gateway.research.getCapitalFlow("HK.00700", "DAY", { begin: "2026-11-01" });
 * const screen = await gateway.research.stockFilter({
 *   market: "HK",
 *   conditions: [{ field: "PE_ANNUAL", min: 5, max: 25, sort: "ASC" }],
 *   begin: 0,
 *   num: 20,
 * });
 * ```
 *
 * @module
 */
import type { OpenDClient } from "./client.ts";
import { PLATE_SET_TYPE } from "./enums.ts";
import type {
  Qot_StockFilter_AccumulateFilter,
  Qot_StockFilter_BaseFilter,
  Qot_StockFilter_FinancialFilter,
} from "./proto/messages.ts";
import { Qot_StockFilter_SortDir } from "./proto/messages.ts";
import {
  ACCUMULATE_FIELD,
  type CapitalDistribution,
  type CapitalFlowSeries,
  filterKindOf,
  FINANCIAL_FIELD,
  FINANCIAL_QUARTER,
  HOLDER_CATEGORY,
  type HolderCategoryName,
  type HoldingChange,
  type OwnerPlates,
  PERIOD_TYPE,
  type PeriodTypeName,
  STOCK_FIELD,
  type StockFilterCondition,
  type StockFilterQuery,
  type StockFilterResult,
  type StockFilterValue,
} from "./research_types.ts";
import { formatSymbol, qotMarketOf, toSecurity } from "./symbols.ts";

export * from "./research_types.ts";

/** A date range; "YYYY-MM-DD" (or with a time where the protocol takes one). */
export interface DateRange {
  begin?: string;
  end?: string;
}

/** The condition fields of a stock screen, by kind, as the wire lists them. */
interface FilterLists {
  baseFilterList: Qot_StockFilter_BaseFilter[];
  accumulateFilterList: Qot_StockFilter_AccumulateFilter[];
  financialFilterList: Qot_StockFilter_FinancialFilter[];
}

function sortDir(sort: StockFilterCondition["sort"]): number {
  return sort === "ASC" ? Qot_StockFilter_SortDir.Ascend : sort === "DESC" ? Qot_StockFilter_SortDir.Descend : 0;
}

/** The wire filters of conditions; throws naming a field no filter enum has, or a missing `days`. */
export function toFilterLists(conditions: readonly StockFilterCondition[]): FilterLists {
  const lists: FilterLists = { baseFilterList: [], accumulateFilterList: [], financialFilterList: [] };
  for (const c of conditions) {
    const common = {
      filterMin: c.min,
      filterMax: c.max,
      // OpenD skips a condition unless told otherwise: bounds make it a filter, none only shows the field.
      isNoFilter: c.min === undefined && c.max === undefined,
      sortDir: c.sort === undefined ? undefined : sortDir(c.sort),
    };
    switch (filterKindOf(c.field)) {
      case "base":
        lists.baseFilterList.push({ fieldName: STOCK_FIELD.toWire(c.field), ...common });
        break;
      case "accumulate":
        if (c.days === undefined) throw new RangeError(`${c.field} accumulates over days: give days`);
        lists.accumulateFilterList.push({ fieldName: ACCUMULATE_FIELD.toWire(c.field), ...common, days: c.days });
        break;
      case "financial":
        lists.financialFilterList.push({
          fieldName: FINANCIAL_FIELD.toWire(c.field),
          ...common,
          quarter: FINANCIAL_QUARTER.toWire(c.quarter ?? "ANNUAL"),
        });
        break;
      default:
        throw new RangeError(`unknown stock filter field ${JSON.stringify(c.field)}`);
    }
  }
  return lists;
}

/** See the module documentation. */
export class ResearchApi {
  readonly #client: OpenDClient;

  constructor(client: OpenDClient) {
    this.#client = client;
  }

  /**
   * Net capital inflows: today's minutes (INTRADAY, cumulative since the open)
   * or one item per DAY/WEEK/MONTH between two dates ("YYYY-MM-DD").
   */
  async getCapitalFlow(
    symbol: string,
    period: PeriodTypeName = "INTRADAY",
    range: DateRange = {},
  ): Promise<CapitalFlowSeries> {
    const history = period !== "INTRADAY";
    const s2c = await this.#client.request("Qot_GetCapitalFlow", {
      security: toSecurity(symbol),
      periodType: PERIOD_TYPE.toWire(period),
      beginTime: history ? range.begin : undefined,
      endTime: history ? range.end : undefined,
    });
    return {
      symbol: formatSymbol(toSecurity(symbol)),
      period,
      items: (s2c.flowItemList ?? []).map((i) => ({
        time: i.time ?? "",
        timestamp: i.timestamp,
        inFlow: i.inFlow,
        mainInFlow: i.mainInFlow,
        superInFlow: i.superInFlow,
        bigInFlow: i.bigInFlow,
        midInFlow: i.midInFlow,
        smallInFlow: i.smlInFlow,
      })),
      lastValidTime: s2c.lastValidTime,
    };
  }

  /** Today's turnover split by order size (super, big, mid, small) and direction (in, out). */
  async getCapitalDistribution(symbol: string): Promise<CapitalDistribution> {
    const s2c = await this.#client.request("Qot_GetCapitalDistribution", { security: toSecurity(symbol) });
    return {
      symbol: formatSymbol(toSecurity(symbol)),
      inSuper: s2c.capitalInSuper ?? 0,
      inBig: s2c.capitalInBig,
      inMid: s2c.capitalInMid,
      inSmall: s2c.capitalInSmall,
      outSuper: s2c.capitalOutSuper ?? 0,
      outBig: s2c.capitalOutBig,
      outMid: s2c.capitalOutMid,
      outSmall: s2c.capitalOutSmall,
      updateTime: s2c.updateTime,
    };
  }

  /**
   * Disclosed position changes of a stock's major holders of one category,
   * published between `begin` and `end` ("YYYY-MM-DD", or with " HH:MM:SS"; all when absent).
   */
  async getHoldingChanges(
    symbol: string,
    category: HolderCategoryName,
    range: DateRange = {},
  ): Promise<HoldingChange[]> {
    const s2c = await this.#client.request("Qot_GetHoldingChangeList", {
      security: toSecurity(symbol),
      holderCategory: HOLDER_CATEGORY.toWire(category),
      beginTime: range.begin === undefined ? undefined : withTime(range.begin, "00:00:00"),
      endTime: range.end === undefined ? undefined : withTime(range.end, "23:59:59"),
    });
    return (s2c.holdingChangeList ?? []).map((c) => ({
      holder: c.holderName,
      holdingQty: c.holdingQty,
      holdingRatio: c.holdingRatio,
      changeQty: c.changeQty,
      changeRatio: c.changeRatio,
      time: c.time,
      timestamp: c.timestamp,
    }));
  }

  /** One page of the stocks of a market (or plate) meeting every condition. */
  async stockFilter(query: StockFilterQuery): Promise<StockFilterResult> {
    const s2c = await this.#client.request("Qot_StockFilter", {
      begin: query.begin,
      num: query.num,
      market: qotMarketOf(query.market),
      plate: query.plate === undefined ? undefined : toSecurity(query.plate),
      ...toFilterLists(query.conditions),
    });
    return {
      allCount: s2c.allCount,
      lastPage: s2c.lastPage,
      stocks: (s2c.dataList ?? []).map((d) => {
        const values: StockFilterValue[] = [
          ...(d.baseDataList ?? []).map((v) => ({ field: STOCK_FIELD.fromWire(v.fieldName), value: v.value })),
          ...(d.accumulateDataList ?? []).map((v) => ({
            field: ACCUMULATE_FIELD.fromWire(v.fieldName),
            value: v.value,
            days: v.days,
          })),
          ...(d.financialDataList ?? []).map((v) => ({
            field: FINANCIAL_FIELD.fromWire(v.fieldName),
            value: v.value,
            quarter: FINANCIAL_QUARTER.fromWire(v.quarter),
          })),
        ];
        return { symbol: formatSymbol(d.security), name: d.name, values };
      }),
    };
  }

  /** The plates (industry, region, concept) each security belongs to; ≤ 200 symbols per call. */
  async getOwnerPlates(symbols: string[]): Promise<OwnerPlates[]> {
    const s2c = await this.#client.request("Qot_GetOwnerPlate", { securityList: symbols.map(toSecurity) });
    return (s2c.ownerPlateList ?? []).map((o) => ({
      symbol: formatSymbol(o.security),
      name: o.name,
      plates: (o.plateInfoList ?? []).map((p) => ({
        plate: formatSymbol(p.plate),
        name: p.name,
        plateType: p.plateType === undefined ? undefined : PLATE_SET_TYPE.fromWire(p.plateType),
      })),
    }));
  }
}

/** A date as the protocol's "YYYY-MM-DD HH:MM:SS" (a date alone gets `time`). */
function withTime(date: string, time: string): string {
  const text = date.trim();
  return /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text} ${time}` : text.length === 16 ? `${text}:00` : text;
}
