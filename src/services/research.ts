/**
 * Capital flow, holders, the stock filter and owner plates: what the tools use
 * of OpenD. None of these needs a subscription; symbols are normalised here
 * and owner-plate lookups are split into OpenD's 200-symbol batches.
 *
 * @module
 */
import {
  type CapitalDistribution,
  type CapitalFlowSeries,
  type DateRange,
  type Gateway,
  type HolderCategoryName,
  type HoldingChange,
  type OwnerPlates,
  parseSymbol,
  type PeriodTypeName,
  type StockFilterQuery,
  type StockFilterResult,
} from "../gateway/types.ts";

/** Symbols per Qot_GetOwnerPlate request (OpenD's cap). */
const OWNER_PLATE_BATCH = 200;

/** Capital flow, holders, the stock filter and owner plates. */
export class ResearchService {
  readonly #gateway: Gateway;

  constructor(gateway: Gateway) {
    this.#gateway = gateway;
  }

  /** Net inflows: today's minutes, or per day/week/month over a date range. */
  capitalFlow(symbol: string, period: PeriodTypeName, range: DateRange = {}): Promise<CapitalFlowSeries> {
    return this.#gateway.research.getCapitalFlow(parseSymbol(symbol).symbol, period, range);
  }

  /** Today's turnover by order size and direction. */
  capitalDistribution(symbol: string): Promise<CapitalDistribution> {
    return this.#gateway.research.getCapitalDistribution(parseSymbol(symbol).symbol);
  }

  /** Major holders' disclosed changes, newest first as OpenD lists them. */
  holdingChanges(symbol: string, category: HolderCategoryName, range: DateRange = {}): Promise<HoldingChange[]> {
    return this.#gateway.research.getHoldingChanges(parseSymbol(symbol).symbol, category, range);
  }

  /** One page of a stock screen. */
  screen(query: StockFilterQuery): Promise<StockFilterResult> {
    return this.#gateway.research.stockFilter(query);
  }

  /** The plates of each security. */
  async ownerPlates(symbols: string[]): Promise<OwnerPlates[]> {
    const normalised = symbols.map((s) => parseSymbol(s).symbol);
    const out: OwnerPlates[] = [];
    for (let i = 0; i < normalised.length; i += OWNER_PLATE_BATCH) {
      out.push(...await this.#gateway.research.getOwnerPlates(normalised.slice(i, i + OWNER_PLATE_BATCH)));
    }
    return out;
  }
}
