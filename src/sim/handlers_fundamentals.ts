/**
 * Company fundamentals of the simulated OpenD: every protocol of the family
 * is served by hand-built replies consistent with the simulated market
 * (none falls back to shape-generated data). Same seed and clock, same
 * replies.
 *
 * Modelled on the market:
 * - Valuation (`fundamentals_valuation.ts`): market cap = current price ×
 *   sharesOutstanding to the cent; P/E = price / trailing EPS (the catalog's
 *   `eps`), P/B = price / netAssetPerShare, P/S = price / trailing revenue
 *   per share; the history over forward-adjusted daily closes; plate and
 *   index lists over the catalog members (SIM_PLATES; an index: its market's
 *   stocks).
 * - Profile (`fundamentals_company.ts`): the catalog's name, listing date and
 *   market, and at the current price market cap, P/E, P/B and dividend yield
 *   (dividendTTM / price). Executives are fictional deterministic people; a
 *   background request must name one the executives reply lists.
 * - Statements, revenue breakdown, operational efficiency
 *   (`fundamentals_financials.ts`, `fundamentals_statements.ts`): quarterly
 *   EPS from `earnings.ts` (four quarters add up to the catalog's eps), net
 *   income = EPS × shares, the rest from per-company proportions; dividends
 *   paid from the corporate actions; field ids of `structureList` match the
 *   items'.
 * - Earnings price move and history (`fundamentals_earnings.ts`): release
 *   dates of `earnings.ts` (those of the earnings calendar), prices of the
 *   simulated daily K-lines (forward-adjusted) around them.
 * - Dividends and splits (`fundamentals_actions.ts`): exactly the actions of
 *   `corporate_actions.ts` that Qot_RequestRehab serves; HK buybacks inside
 *   each day's traded range.
 * - Search: the catalog's securities and plates by code and name.
 *
 * Generated around the model (`fundamentals_analysts.ts`,
 * `fundamentals_research.ts`): the analyst coverage book — institutions,
 * analysts, rating sequences — with targets set against the simulated price
 * of each rating's day, so the consensus, summary and rating changes agree;
 * the Morningstar report's text around a fixed fair value and a star rating
 * from the current price.
 *
 * @module
 */
import type { HandlerTable } from "./handlers.ts";
import { buybacks, dividends, searchQuote, stockSplits } from "./fundamentals_actions.ts";
import {
  companyExecutives,
  companyProfile,
  executiveBackground,
  operationalEfficiency,
} from "./fundamentals_company.ts";
import { earningsPriceHistory, earningsPriceMove } from "./fundamentals_earnings.ts";
import { analystConsensus, morningstarReport, ratingChange, ratingSummary } from "./fundamentals_research.ts";
import { financialStatements, revenueBreakdown } from "./fundamentals_statements.ts";
import { valuationDetail, valuationPlateStockList } from "./fundamentals_valuation.ts";

/** The fundamentals handlers. */
export const FUNDAMENTAL_HANDLERS: HandlerTable = {
  Qot_GetCompanyProfile: (ctx, _session, c2s) => companyProfile(ctx, c2s),
  Qot_GetCompanyExecutives: (ctx, _session, c2s) => companyExecutives(ctx, c2s),
  Qot_GetCompanyExecutiveBackground: (ctx, _session, c2s) => executiveBackground(ctx, c2s),
  Qot_GetCompanyOperationalEfficiency: (ctx, _session, c2s) => operationalEfficiency(ctx, c2s),
  Qot_GetFinancialsStatements: (ctx, _session, c2s) => financialStatements(ctx, c2s),
  Qot_GetFinancialsRevenueBreakdown: (ctx, _session, c2s) => revenueBreakdown(ctx, c2s),
  Qot_GetFinancialsEarningsPriceMove: (ctx, _session, c2s) => earningsPriceMove(ctx, c2s),
  Qot_GetFinancialsEarningsPriceHistory: (ctx, _session, c2s) => earningsPriceHistory(ctx, c2s),
  Qot_GetResearchAnalystConsensus: (ctx, _session, c2s) => analystConsensus(ctx, c2s),
  Qot_GetResearchRatingSummary: (ctx, _session, c2s) => ratingSummary(ctx, c2s),
  Qot_GetResearchMorningstarReport: (ctx, _session, c2s) => morningstarReport(ctx, c2s),
  Qot_GetRatingChange: (ctx, _session, c2s) => ratingChange(ctx, c2s),
  Qot_GetValuationDetail: (ctx, _session, c2s) => valuationDetail(ctx, c2s),
  Qot_GetValuationPlateStockList: (ctx, _session, c2s) => valuationPlateStockList(ctx, c2s),
  Qot_GetCorporateActionsDividends: (ctx, _session, c2s) => dividends(ctx, c2s),
  Qot_GetCorporateActionsBuybacks: (ctx, _session, c2s) => buybacks(ctx, c2s),
  Qot_GetCorporateActionsStockSplits: (ctx, _session, c2s) => stockSplits(ctx, c2s),
  Qot_GetSearchQuote: (ctx, _session, c2s) => searchQuote(ctx, c2s),
};
