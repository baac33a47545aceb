/**
 * Analyst research of the simulated OpenD: the consensus, the rating
 * summary by institution or analyst and the market-wide rating changes all
 * read the one coverage book of `fundamentals_analysts.ts`, so a consensus
 * counts exactly the ratings the summary lists for the last three months and
 * its target range is theirs. The Morningstar report is generated text
 * around modelled figures: a fair value fixed per stock (its catalog level ×
 * 0.8–1.3), a star rating from the current price against it (≤ 0.8 five
 * stars … > 1.25 one star), uncertainty from the stock's volatility and
 * financial health from its equity ratio.
 *
 * @module
 */
import type {
  Qot_GetRatingChange_C2S,
  Qot_GetRatingChange_RatingChangeItem,
  Qot_GetRatingChange_S2C,
  Qot_GetResearchAnalystConsensus_C2S,
  Qot_GetResearchAnalystConsensus_S2C,
  Qot_GetResearchMorningstarReport_C2S,
  Qot_GetResearchMorningstarReport_S2C,
  Qot_GetResearchRatingSummary_AnalystInfo,
  Qot_GetResearchRatingSummary_C2S,
  Qot_GetResearchRatingSummary_InstInfo,
  Qot_GetResearchRatingSummary_RatingItem,
  Qot_GetResearchRatingSummary_S2C,
} from "../gateway/proto/messages.ts";
import {
  Qot_Common_MorningstarRatingType,
  Qot_Common_QotMarket,
  Qot_Common_ResearchRatingDimensionType,
  Qot_Common_ResearchRatingType,
  Qot_GetRatingChange_RatingChangeType,
} from "../gateway/proto/messages.ts";
import { fail, round } from "./_handler_common.ts";
import { daySeconds, localDay, page, pageSize, randomOf, stockOf } from "./_fundamentals_common.ts";
import { factsOf } from "./_fundamentals_profiles.ts";
import { SIM_SECURITIES, type SimSecurity } from "./catalog.ts";
import { formatLocal } from "./clock.ts";
import {
  BUY,
  consensusOf,
  type Coverage,
  coverageOf,
  HOLD,
  type Institution,
  priced as pricedRating,
  type Rating,
  ratingChangesOf,
  SELL,
  trackRecord,
} from "./fundamentals_analysts.ts";
import { publishedPeriods } from "./fundamentals_financials.ts";
import type { SimContext } from "./handlers.ts";
import { securityOf } from "./wire.ts";

/** Rating changes look back this many days. */
const CHANGE_DAYS = 180;
/** Ratings listed per institution or analyst in a summary row. */
const SUMMARY_RATINGS = 10;

function stamp(security: SimSecurity, date: string) {
  return String(daySeconds(security.market, date));
}

/** Qot_GetResearchAnalystConsensus. */
export function analystConsensus(
  ctx: SimContext,
  c2s: Qot_GetResearchAnalystConsensus_C2S,
): Qot_GetResearchAnalystConsensus_S2C {
  const security = stockOf(c2s.security, "Analyst research");
  const now = ctx.market.clock.now();
  const { counts, total, ratings } = consensusOf(ctx.market.seed, ctx.market, security, now);
  if (total === 0) return { total: 0 };
  const us = security.market === "US";
  const pct = (n: number) => round((n / total) * 100, 2);
  const score = (1 * counts[1] + 2 * counts[2] + 3 * counts[3] + 4 * counts[4] + 5 * counts[5]) / total;
  const { Sell, Underperform, Hold, Buy, StrongBuy } = Qot_Common_ResearchRatingType;
  const rating = us
    ? (score < 2 ? Sell : score < 3.5 ? Hold : Buy)
    : [Sell, Underperform, Hold, Buy, StrongBuy][Math.min(4, Math.max(0, Math.round(score) - 1))];
  const targets = ratings.map((r) => r.targetPrice);
  const updated = ratings.map((r) => r.date).sort().at(-1)!;
  return {
    highest: Math.max(...targets),
    average: round(targets.reduce((a, b) => a + b, 0) / total, 2),
    lowest: Math.min(...targets),
    rating,
    total,
    updateTime: stamp(security, updated),
    updateTimeStr: updated,
    buy: pct(counts[BUY]),
    hold: pct(counts[HOLD]),
    sell: pct(counts[SELL]),
    strongBuy: us ? undefined : pct(counts[5]),
    underperform: us ? undefined : pct(counts[2]),
  };
}

function instInfo(
  security: SimSecurity,
  institution: Institution,
  updated: string,
): Qot_GetResearchRatingSummary_InstInfo {
  return {
    institutionUid: institution.uid,
    institutionPictureUrl: `https://www.futunn.com/research/institution/${institution.uid}.png`,
    institutionName: institution.name,
    updateTime: stamp(security, updated),
    updateTimeStr: updated,
    institutionSourceName: institution.name,
    institutionEnName: institution.name,
  };
}

function ratingItem(security: SimSecurity, r: Rating): Qot_GetResearchRatingSummary_RatingItem {
  return {
    analystUid: r.analyst.uid,
    institutionUid: r.analyst.institution.uid,
    rating: r.level,
    targetPrice: r.targetPrice,
    recommendationDate: stamp(security, r.date),
    recommendationDateStr: r.date,
    ratingUrl: `https://www.futunn.com/research/rating/${r.analyst.uid}/${security.code}/${r.date}`,
    updateTime: stamp(security, r.date),
    updateTimeStr: r.date,
  };
}

function analystInfo(
  ctx: SimContext,
  security: SimSecurity,
  coverage: Coverage,
  full: boolean,
): Qot_GetResearchRatingSummary_AnalystInfo {
  const a = coverage.analyst;
  const updated = coverage.ratings[0].date;
  const record = full ? trackRecord(ctx.market, security, coverage, ctx.market.clock.now()) : undefined;
  return {
    analystUid: a.uid,
    analystName: a.name,
    analystPictureUrl: `https://www.futunn.com/research/analyst/${a.uid}.png`,
    numOfStars: a.stars,
    successRate: a.successRate,
    excessReturn: a.excessReturn,
    stockSuccessRate: record?.successRate,
    stockAvgReturn: record?.avgReturn,
    institutionInfo: full ? instInfo(security, a.institution, updated) : undefined,
    updateTime: stamp(security, updated),
    updateTimeStr: updated,
  };
}

/** Qot_GetResearchRatingSummary. */
export function ratingSummary(
  ctx: SimContext,
  c2s: Qot_GetResearchRatingSummary_C2S,
): Qot_GetResearchRatingSummary_S2C {
  const security = stockOf(c2s.security, "Analyst research");
  const { Institution, Analyst } = Qot_Common_ResearchRatingDimensionType;
  const dimension = c2s.ratingDimensionType || Institution;
  if (dimension !== Institution && dimension !== Analyst) {
    fail(`Unsupported ratingDimensionType ${dimension}: expected 1 (institution) or 2 (analyst)`);
  }
  pageSize(c2s.num, 20);
  const coverage = coverageOf(ctx.market.seed, ctx.market, security, ctx.market.clock.now());
  const items = (c: Coverage, n: number) =>
    c.ratings.slice(0, n).map((r) => ratingItem(security, priced(ctx, security, r)));
  if (c2s.uid) {
    const c = coverage.find((x) => (dimension === Institution ? x.institution.uid : x.analyst.uid) === c2s.uid);
    if (!c) {
      fail(
        `Unknown ${dimension === Institution ? "institution" : "analyst"} uid ${
          JSON.stringify(c2s.uid)
        } for ${security.symbol}`,
      );
    }
    const list = page(c.ratings, c2s.nextKey, c2s.num, 20);
    const ratingItemList = list.items.map((r) => ratingItem(security, priced(ctx, security, r)));
    return dimension === Institution
      ? {
        instRatingDetail: {
          institutionInfo: instInfo(security, c.institution, c.ratings[0].date),
          analystInfoList: [analystInfo(ctx, security, c, false)],
          ratingItemList,
        },
        nextKey: list.nextKey,
      }
      : {
        analystRatingDetail: { analystInfo: analystInfo(ctx, security, c, true), ratingItemList },
        nextKey: list.nextKey,
      };
  }
  const rows = page(coverage, c2s.nextKey, c2s.num, 20);
  return dimension === Institution
    ? {
      instRatingSummaryList: rows.items.map((c) => ({
        institutionInfo: instInfo(security, c.institution, c.ratings[0].date),
        ratingItemList: items(c, SUMMARY_RATINGS),
      })),
      nextKey: rows.nextKey,
    }
    : {
      analystRatingSummaryList: rows.items.map((c) => ({
        analystInfo: analystInfo(ctx, security, c, true),
        ratingItemList: items(c, SUMMARY_RATINGS),
      })),
      nextKey: rows.nextKey,
    };
}

function priced(ctx: SimContext, security: SimSecurity, r: Rating): Rating {
  return pricedRating(ctx.market, security, r);
}

/** Qot_GetRatingChange: market-wide (US only). */
export function ratingChange(ctx: SimContext, c2s: Qot_GetRatingChange_C2S): Qot_GetRatingChange_S2C {
  if (c2s.market !== Qot_Common_QotMarket.US_Security) {
    fail(
      `Rating changes cover the US market only (market ${Qot_Common_QotMarket.US_Security}), got market ${c2s.market}`,
    );
  }
  const { Upgrade, Downgrade, NewRating } = Qot_GetRatingChange_RatingChangeType;
  const changeType = c2s.changeType ?? Upgrade;
  if (changeType !== Upgrade && changeType !== Downgrade && changeType !== NewRating) {
    fail(`Unsupported changeType ${changeType}: expected 1 (upgrade), 2 (downgrade) or 3 (new rating)`);
  }
  const count = pageSize(c2s.count, 20, 10, "count");
  const now = ctx.market.clock.now();
  const changes = SIM_SECURITIES.filter((s) => s.market === "US" && s.kind === "stock")
    .flatMap((s) => ratingChangesOf(ctx.market.seed, ctx.market, s, now, CHANGE_DAYS))
    .filter((c) => c.changeType === changeType)
    .sort((a, b) =>
      b.rating.date.localeCompare(a.rating.date) || a.security.symbol.localeCompare(b.security.symbol) ||
      a.institution.index - b.institution.index
    );
  const list = page(changes, c2s.page, count, 20, "page");
  const level = (r: number) => (r === SELL ? 1 : r === HOLD ? 2 : 3);
  const dataList: Qot_GetRatingChange_RatingChangeItem[] = list.items.map((c) => ({
    security: securityOf(c.security),
    name: c.security.name,
    rating: level(c.rating.level),
    lastRating: c.previous ? level(c.previous.level) : 0,
    targetPrice: c.rating.targetPrice,
    lastTargetPrice: c.previous?.targetPrice,
    changeType: c.changeType,
    institutionName: c.institution.name,
    recommendationDate: c.rating.date,
    lastRecommendationDate: c.previous?.date,
  }));
  return { dataList, allCount: changes.length, nextPage: list.nextKey === "-1" ? "" : list.nextKey };
}

/** The fixed fair value of a stock (its catalog level × 0.8–1.3). */
export function fairValueOf(seed: number, security: SimSecurity): number {
  return round(security.basePrice * randomOf(seed, security.symbol, "fair value").real(0.8, 1.3, 4), 2);
}

/** Qot_GetResearchMorningstarReport. */
export function morningstarReport(
  ctx: SimContext,
  c2s: Qot_GetResearchMorningstarReport_C2S,
): Qot_GetResearchMorningstarReport_S2C {
  const security = stockOf(c2s.security, "Morningstar research");
  const now = ctx.market.clock.now();
  const seed = ctx.market.seed;
  const facts = factsOf(security);
  const price = ctx.market.currentPrice(security);
  const fairValue = fairValueOf(seed, security);
  const ratio = price / fairValue;
  const stars = ratio <= 0.8 ? 5 : ratio <= 0.92 ? 4 : ratio <= 1.08 ? 3 : ratio <= 1.25 ? 2 : 1;
  const today = formatLocal(localDay(security.market, now), 0).slice(0, 10);
  // Fair values are revisited after each earnings release.
  const reviewed = publishedPeriods(seed, security, now, [1, 2, 3, 4])[0]?.report.date ?? today;
  const v = security.volatility;
  const uncertainty = v < 0.2 ? "Low" : v < 0.3 ? "Medium" : v < 0.45 ? "High" : "Very High";
  const health = facts.equityRatio > 0.5 ? "Strong" : facts.equityRatio > 0.2 ? "Moderate" : "Weak";
  const random = randomOf(seed, security.symbol, "morningstar");
  const author = `${["Alex", "Maria", "Kenji", "Laura"][random.int(0, 3)]} ${
    ["Novak", "Reyes", "Bennett"][random.int(0, 2)]
  }, CFA`;
  const at = (context: string, date = reviewed) => ({
    context,
    updateTime: String(daySeconds(security.market, date)),
    updateTimeStr: date,
  });
  const name = security.name;
  const cur = security.market === "US" ? "USD" : security.market === "HK" ? "HKD" : "CNY";
  return {
    ratingType: facts.moat === "None"
      ? Qot_Common_MorningstarRatingType.Quantitative
      : Qot_Common_MorningstarRatingType.Qualitative,
    starRating: stars,
    starUpdateTime: String(daySeconds(security.market, today)),
    starUpdateTimeStr: today,
    fairValue,
    fairValueContent: at(
      `Our fair value estimate for ${name} is ${cur} ${fairValue.toFixed(2)} per share, ` +
        `${ratio < 1 ? "above" : "below"} the current ${price.toFixed(2)} (price/fair value ${ratio.toFixed(2)}).`,
    ),
    economicMoatLabel: facts.moat,
    economicMoatContent: at(
      `${name} has a ${facts.moat.toLowerCase()} economic moat in ${facts.industry.toLowerCase()}.`,
    ),
    uncertaintyLabel: uncertainty,
    uncertaintyContent: at(
      `We rate uncertainty ${uncertainty.toLowerCase()}: the shares move about ${(v * 100).toFixed(0)}% a year.`,
    ),
    financialHealthLabel: health,
    financialHealthContent: at(
      `Equity funds ${(facts.equityRatio * 100).toFixed(0)}% of assets; financial health is ${health.toLowerCase()}.`,
    ),
    analystReportByLine: [author],
    analystReportUpdateTime: String(daySeconds(security.market, reviewed)),
    analystReportUpdateTimeStr: reviewed,
    bullSay: [
      at(`${facts.products[0][0]} keeps growing and carries ${(facts.grossMargin * 100).toFixed(0)}% gross margins.`),
      at(`A ${(facts.netMargin * 100).toFixed(0)}% net margin funds investment and shareholder returns.`),
      at(`Scale in ${facts.regions[0][0]} is hard for rivals to match.`),
    ],
    bearSay: [
      at(`${facts.products[0][0]} is ${(facts.products[0][1] * 100).toFixed(0)}% of revenue: concentration risk.`),
      at(`Regulation in ${facts.regions[0][0]} could cap growth.`),
      at(`Volatility of ${(v * 100).toFixed(0)}% a year makes the shares a bumpy ride.`),
    ],
    capitalAllocationLabel: facts.moat === "Wide" ? "Exemplary" : "Standard",
    capitalAllocationContent: at(
      `Management returns cash through dividends and buybacks while investing in ${facts.products[0][0]}.`,
    ),
    analystNoteTitle: at(`${name}: results in line; fair value ${cur} ${fairValue.toFixed(2)} maintained`),
    analystNoteContent: at(`We keep our ${cur} ${fairValue.toFixed(2)} fair value estimate after the latest results.`),
    investmentThesisContent: at(`${name}: ${facts.business}`),
    fundamentalsContent: at(
      `Net margin near ${(facts.netMargin * 100).toFixed(0)}%, equity ratio ${(facts.equityRatio * 100).toFixed(0)}%.`,
    ),
    valuationContent: at(
      `At ${price.toFixed(2)} the shares trade at ${ratio.toFixed(2)} times our fair value: ${stars} stars.`,
    ),
    pdfUrl: `https://www.futunn.com/research/morningstar/${security.market}/${security.code}.pdf`,
  };
}
