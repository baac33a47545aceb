/**
 * The research data OpenD 10.x serves beyond the classic surface: company
 * fundamentals, ownership, rankings, options analytics, technical indicators,
 * macro calendars, news and event contracts. One typed call per protocol,
 * typed by the generated messages (C2S in, S2C out), so nothing here is typed
 * by hand; {@link INSIGHT_FAMILIES} lists which protocols there are.
 *
 * @example
 * ```ts
 * import { Gateway } from "./mod.ts";
 * import { toSecurity } from "./symbols.ts";
 * const gateway = await Gateway.connect({ gateway: "127.0.0.1:11111" });
 * const profile = await gateway.insight.get("Qot_GetCompanyProfile", { security: toSecurity("US.AAPL") });
 * console.log(profile.itemList);
 * ```
 *
 * @module
 */
import type { OpenDClient } from "./client.ts";
import type { C2S, RequestProtocol, S2C } from "./proto/codec.ts";

/** The research protocols, by family (each family is one file of tools and simulator handlers). */
export const INSIGHT_FAMILIES = {
  fundamentals: [
    "Qot_GetCompanyProfile",
    "Qot_GetCompanyExecutives",
    "Qot_GetCompanyExecutiveBackground",
    "Qot_GetCompanyOperationalEfficiency",
    "Qot_GetFinancialsStatements",
    "Qot_GetFinancialsRevenueBreakdown",
    "Qot_GetFinancialsEarningsPriceMove",
    "Qot_GetFinancialsEarningsPriceHistory",
    "Qot_GetResearchAnalystConsensus",
    "Qot_GetResearchRatingSummary",
    "Qot_GetResearchMorningstarReport",
    "Qot_GetRatingChange",
    "Qot_GetValuationDetail",
    "Qot_GetValuationPlateStockList",
    "Qot_GetCorporateActionsDividends",
    "Qot_GetCorporateActionsBuybacks",
    "Qot_GetCorporateActionsStockSplits",
    "Qot_GetSearchQuote",
  ],
  ownership: [
    "Qot_GetShareholdersOverview",
    "Qot_GetShareholdersHoldingChanges",
    "Qot_GetShareholdersHolderDetail",
    "Qot_GetShareholdersInstitutional",
    "Qot_GetInsiderHolderList",
    "Qot_GetInsiderTradeList",
    "Qot_GetInstitutionList",
    "Qot_GetInstitutionProfile",
    "Qot_GetInstitutionDistribution",
    "Qot_GetInstitutionHoldingChange",
    "Qot_GetInstitutionHoldingList",
    "Qot_GetArkFundHolding",
    "Qot_GetArkStockDynamic",
    "Qot_GetArkActiveTransaction",
    "Qot_GetShortInterest",
    "Qot_GetDailyShortVolume",
    "Qot_GetTopTenBuySellBrokers",
  ],
  rankings: [
    "Qot_GetTopMoversRank",
    "Qot_GetUSPreMarketRank",
    "Qot_GetUSAfterHoursRank",
    "Qot_GetUSOvernightRank",
    "Qot_GetHotList",
    "Qot_GetPeriodChangeRank",
    "Qot_GetShortSellingRank",
    "Qot_GetDividendRank",
    "Qot_GetHighDividendSOERank",
    "Qot_GetEarningsBeatRank",
    "Qot_GetHeatMapData",
    "Qot_GetRiseFallDistribution",
    "Qot_GetIndustrialChainList",
    "Qot_GetIndustrialChainDetail",
    "Qot_GetIndustrialChainByPlate",
    "Qot_GetIndustrialPlateInfo",
    "Qot_GetIndustrialPlateStock",
  ],
  options: [
    "Qot_GetOptionVolatility",
    "Qot_GetOptionExerciseProbability",
    "Qot_GetOptionQuote",
    "Qot_GetOptionStrategy",
    "Qot_GetOptionStrategyAnalysis",
    "Qot_GetOptionStrategySpread",
    "Qot_GetOptionMarketStatistic",
    "Qot_GetOptionUnderlyingHisStatistic",
    "Qot_GetOptionUnderlyingOverview",
    "Qot_GetOptionUnderlyingHisVolatility",
    "Qot_GetOptionUnderlyingRank",
    "Qot_GetOptionRank",
    "Qot_GetOptionEvent",
    "Qot_GetOptionEventAlert",
    "Qot_SetOptionEventAlert",
    "Qot_GetOptionZeroDteScreener",
    "Qot_GetOptionZeroDteContract",
    "Qot_GetOptionEarningsScreener",
    "Qot_GetOptionSellerScreener",
  ],
  screens: [
    "Qot_StockScreen",
    "Qot_OptionScreen",
    "Qot_WarrantScreen",
    "Qot_GetIndicatorList",
    "Qot_RequestIndicatorCalc",
  ],
  macro: [
    "Qot_GetEarningsCalendar",
    "Qot_GetDividendCalendar",
    "Qot_GetEconomicCalendar",
    "Qot_GetMacroIndicatorList",
    "Qot_GetMacroIndicatorHistory",
    "Qot_GetFedWatchTargetRate",
    "Qot_GetFedWatchDotPlot",
    "Qot_GetSuspend",
    "Qot_GetSearchNews",
  ],
  eventContracts: [
    "Qot_GetEventContractCategory",
    "Qot_FilterCompetition",
    "Qot_GetEventContractSeriesList",
    "Qot_GetEventContractEventList",
    "Qot_GetEventContract",
    "Qot_GetEventContractMilestoneList",
    "Qot_GetEventContractSnapshot",
    "Qot_GetEventContractOrderBook",
    "Qot_GetEventContractKline",
    "Qot_GetEventContractTicker",
    "Qot_GetEventContractComboList",
    "Qot_GetEventContractComboRfq",
    "Qot_RequestHistoryEventContractKL",
    "Qot_SubEventContract",
  ],
} as const satisfies Record<string, readonly RequestProtocol[]>;

/** A research data family. */
export type InsightFamily = keyof typeof INSIGHT_FAMILIES;

/** A research protocol. */
export type InsightProtocol = (typeof INSIGHT_FAMILIES)[InsightFamily][number];

/** Every research protocol. */
export const INSIGHT_PROTOCOLS: readonly InsightProtocol[] = Object.values(INSIGHT_FAMILIES).flat();

/** See the module documentation. */
export class InsightApi {
  readonly #client: OpenDClient;

  constructor(client: OpenDClient) {
    this.#client = client;
  }

  /** One request of a research protocol; the reply's S2C as OpenD sent it. */
  get<P extends InsightProtocol>(protocol: P, c2s: C2S<P>): Promise<S2C<P>> {
    return this.#client.request(protocol, c2s);
  }
}
