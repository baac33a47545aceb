/**
 * Event contracts (categories, series, events, contracts, milestones,
 * snapshots, order books, trades, K-lines, combos): the simulated OpenD's
 * handlers. Every protocol is modelled, none generated: one deterministic
 * universe (`event_contracts.ts`: five categories → twelve series on fixed
 * calendars → events → binary contracts with stable Kalshi-style codes, one
 * latent path per event deciding prices and results) traded as
 * `event_contract_market.ts` describes, so the lists reference one another
 * (an event's series is in the series list, a contract's event in the event
 * list, a combo's contracts in their event), unknown or wrong-level codes are
 * refused, YES + NO = 1 on both sides of the book, the ticker and K-lines
 * end at the snapshot's last price, and statuses follow the clock (a closed
 * contract has its result).
 *
 * Like OpenD, order books, tickers and K-lines need a Qot_SubEventContract
 * subscription of their type on the connection (K-lines also of their
 * source); snapshots and history K-lines do not. Event contract subscriptions
 * keep their own book (same quota size and one-minute hold as the classic
 * one, released when the connection goes). With isRegOrUnRegPush the first
 * push of each pair (Qot_UpdateEventContractOrderBook / Ticker / Kline) is
 * sent right after the reply (isFirstPush, default true), then the server's
 * push tick sends what changes as the clock moves (new book, new prints, the
 * latest bar), until the pair is unregistered or unsubscribed.
 *
 * @module
 */
import type { C2S } from "../gateway/proto/codec.ts";
import {
  Common_PredSide,
  Qot_Common_EC_KlineSource,
  Qot_Common_EC_Status,
  Qot_Common_SubType,
  Trd_Common_TrdSide,
} from "../gateway/proto/messages.ts";
import { fail } from "./_handler_common.ts";
import { hashText } from "./_event_contracts_math.ts";
import {
  categoryOf,
  competitionOf,
  contractOf,
  cursorOf,
  eventOf,
  page,
  parseTime,
  PERIOD_SUB,
  periodOf,
  seriesOf,
  sideOf,
  sourceOf,
  tagOf,
} from "./_event_contracts_requests.ts";
import { requireSubscription, subscribe } from "./_event_contracts_subscriptions.ts";
import {
  contractItem,
  ecSecurity,
  eventItem,
  klineItem,
  milestoneItem,
  orderBookItem,
  seriesItem,
  snapshotItem,
  tickerItem,
} from "./_event_contracts_wire.ts";
import {
  contractStatus,
  EC_CATEGORIES,
  EC_SERIES,
  type EcContract,
  type EcEvent,
  listedEvents,
  seriesByCode,
} from "./event_contracts.ts";
import { barsBetween, latestBars, quoteAt, volumeBefore } from "./event_contract_market.ts";
import type { HandlerTable, SimContext } from "./handlers.ts";

const DAY = 86_400_000;

/** The MVC security combos are quoted under (passed through to the RFQ). */
export const EC_MVC = "KALSHI.KXMVECROSSCATEGORY";

/** Series whose live events can be legs of a combo. */
const COMBO_SERIES = new Set(["KXNFLGAME", "KXEPLGAME", "KXNBAGAME", "KXBTCD", "KXETHD"]);

// ---- combos ----

function comboEvents(ctx: SimContext): EcEvent[] {
  const now = ctx.market.clock.now();
  return EC_SERIES.filter((s) => COMBO_SERIES.has(s.code)).flatMap((s) =>
    listedEvents(ctx.market.seed, s, now).filter((e) => e.openMs <= now && now < e.closeMs)
  );
}

function rfq(ctx: SimContext, c2s: C2S<"Qot_GetEventContractComboRfq">) {
  if (c2s.mvc !== EC_MVC) {
    fail(`Unknown mvc ${JSON.stringify(c2s.mvc)}: pass the mvc of Qot_GetEventContractComboList (${EC_MVC})`);
  }
  const legs = c2s.comboLegList ?? [];
  if (legs.length < 2 || legs.length > 10) fail(`comboLegList must have 2 to 10 legs, got ${legs.length}`);
  const now = ctx.market.clock.now();
  const events = new Set<string>();
  let fair = 1;
  legs.forEach((leg, i) => {
    const contract = contractOf(ctx, leg.security, `comboLegList[${i}].security`);
    if (!COMBO_SERIES.has(contract.event.series.code)) {
      fail(`EC.${contract.code} cannot be combined: its series ${contract.event.series.code} has no combos`);
    }
    if (contractStatus(contract, now) !== Qot_Common_EC_Status.Active) fail(`EC.${contract.code} is not trading`);
    if (events.has(contract.event.code)) {
      fail(`comboLegList[${i}]: two legs of one event (${contract.event.code}) cannot be combined`);
    }
    events.add(contract.event.code);
    if (leg.predSide !== Common_PredSide.Yes && leg.predSide !== Common_PredSide.No) {
      fail(`comboLegList[${i}].predSide must be 1 (Yes) or 2 (No), got ${leg.predSide ?? "none"}`);
    }
    if (leg.side !== undefined && !Object.values(Trd_Common_TrdSide).includes(leg.side as never)) {
      fail(`comboLegList[${i}].side ${leg.side} is not a TrdSide`);
    }
    if (leg.qtyRatio !== undefined && !(leg.qtyRatio > 0)) {
      fail(`comboLegList[${i}].qtyRatio must be positive, got ${leg.qtyRatio}`);
    }
    const quote = quoteAt(contract, now)!;
    const yes = (quote.bid + quote.ask) / 200;
    fair *= leg.predSide === Common_PredSide.Yes ? yes : 1 - yes;
  });
  // A maker's quote around the legs' product (independent events), wider with more legs.
  const half = 1 + legs.length / 2;
  const bid = Math.floor(100 * fair - half);
  const ask = Math.min(99, Math.max(2, Math.ceil(100 * fair + half)));
  const minute = Math.floor(now / 60_000);
  const quoteId = `RFQ-${
    hashText(`${ctx.market.seed}|${JSON.stringify(legs.map((l) => [l.security.code, l.predSide]))}|${minute}`).toString(
      16,
    ).padStart(8, "0")
  }`;
  return {
    comboLegList: legs,
    bidPrice: bid >= 1 ? bid / 100 : undefined,
    askPrice: ask / 100,
    quoteId,
    shouldRetry: bid < 1,
  };
}

// ---- the handlers ----

/** The event contracts handlers. */
export const EVENT_CONTRACT_HANDLERS: HandlerTable = {
  Qot_GetEventContractCategory: (_ctx, _session, c2s) => {
    const only = categoryOf(c2s.category);
    return {
      categoryList: EC_CATEGORIES.filter((c) => !only || c === only).map((c) => ({
        category: c.category,
        categoryName: c.name,
        tags: [...c.tags],
      })),
    };
  },

  Qot_FilterCompetition: (_ctx, _session, c2s) => {
    const category = categoryOf(c2s.category);
    const tag = tagOf(category, c2s.tag);
    const tags = EC_CATEGORIES.filter((c) => !category || c === category).flatMap((c) =>
      c.tags.map((t) => ({ category: c.category, tag: t }))
    );
    return {
      tagFilterList: tags.filter((t) => !tag || t.tag === tag).flatMap(({ category, tag }) => {
        const series = EC_SERIES.filter((s) => s.category === category && s.tags.includes(tag) && s.competition);
        if (series.length === 0) return [];
        return [{
          category,
          tag,
          competitionList: [...new Set(series.map((s) => s.competition!))],
          scopeList: [...new Set(series.map((s) => s.scope!))],
        }];
      }),
    };
  },

  Qot_GetEventContractSeriesList: (_ctx, _session, c2s) => {
    const category = categoryOf(c2s.category);
    const tag = tagOf(category, c2s.tag);
    return {
      seriesList: EC_SERIES.filter((s) =>
        (!category || s.category === category.category) && (!tag || s.tags.includes(tag))
      )
        .map(seriesItem),
    };
  },

  Qot_GetEventContractEventList: (ctx, _session, c2s) => {
    const series = seriesOf(ctx, c2s.series, "series");
    if (
      c2s.status !== undefined &&
      (c2s.status < Qot_Common_EC_Status.EventAbnormal || c2s.status > Qot_Common_EC_Status.EventFinalized)
    ) {
      fail(`status ${c2s.status} is not an event status: use 100–106 (EventAbnormal … EventFinalized)`);
    }
    const now = ctx.market.clock.now();
    const events = listedEvents(ctx.market.seed, series, now).map((e) => eventItem(e, now))
      .filter((e) => c2s.status === undefined || e.status === c2s.status);
    const { slice, nextPage } = page(events, c2s.nextPage, c2s.count, 200, 1000);
    return { eventList: slice, nextPage };
  },

  Qot_GetEventContract: (ctx, _session, c2s) => {
    const event = eventOf(ctx, c2s.event, "event");
    const now = ctx.market.clock.now();
    const { slice, nextPage } = page(event.contracts, c2s.nextPage, c2s.count, 100, 1000);
    // Recommended: the live contract with the most volume over the last day.
    const live = event.contracts.filter((c) => contractStatus(c, now) === Qot_Common_EC_Status.Active);
    const traded = (c: EcContract) => volumeBefore(c, Infinity, now) - volumeBefore(c, now - DAY + 1, now);
    const top = live.sort((a, b) => traded(b) - traded(a))[0];
    return {
      contractList: slice.map((c) => contractItem(c, now)),
      recommendContracts: top ? [{ contractSecurity: ecSecurity(top.code) }] : [],
      nextPage,
    };
  },

  Qot_GetEventContractMilestoneList: (ctx, _session, c2s) => {
    const category = categoryOf(c2s.category);
    const competition = competitionOf(c2s.competition);
    const related = c2s.relatedEvent ? eventOf(ctx, c2s.relatedEvent, "relatedEvent") : undefined;
    const now = ctx.market.clock.now();
    const seed = ctx.market.seed;
    const games = EC_SERIES.filter((s) =>
      s.milestoneType !== undefined && (!category || s.category === category.category)
    )
      .filter((s) => !competition || s.competition === competition)
      .flatMap((s) => listedEvents(seed, s, now))
      .filter((e) => e.startMs !== undefined && e.startMs >= now - 2 * DAY && e.startMs <= now + 14 * DAY)
      .sort((a, b) => a.startMs! - b.startMs! || a.code.localeCompare(b.code));
    const champion = seriesByCode("KXSB")!;
    const items = games.map((game) => {
      // A football game also moves the championship of its season, when either team is in it.
      const teams = new Set(game.contracts.map((c) => c.outcome.suffix));
      const futures = game.series.code === "KXNFLGAME"
        ? listedEvents(seed, champion, now).filter((e) => e.closeMs > game.closeMs).slice(0, 1)
          .filter((e) => e.contracts.some((c) => teams.has(c.outcome.suffix)))
        : [];
      return { game, futures };
    }).filter(({ game, futures }) =>
      !related || game.code === related.code || futures.some((e) => e.code === related.code)
    );
    const { slice, nextPage } = page(items, c2s.nextPage, c2s.count, 200, 1000);
    return { milestoneList: slice.map(({ game, futures }) => milestoneItem(game, futures, now)), nextPage };
  },

  Qot_GetEventContractSnapshot: (ctx, _session, c2s) => {
    const list = c2s.securityList ?? [];
    if (list.length === 0) fail("securityList must not be empty");
    if (list.length > 400) fail(`securityList has ${list.length} securities; at most 400 per request`);
    const now = ctx.market.clock.now();
    return { snapshotList: list.map((s, i) => snapshotItem(contractOf(ctx, s, `securityList[${i}]`), now)) };
  },

  Qot_GetEventContractOrderBook: (ctx, session, c2s) => {
    const contract = contractOf(ctx, c2s.security);
    if (!Number.isInteger(c2s.num) || c2s.num <= 0) fail(`num must be a positive number of levels, got ${c2s.num}`);
    requireSubscription(ctx, session, contract, Qot_Common_SubType.OrderBook);
    return { orderBookList: [orderBookItem(contract, ctx.market.clock.now(), Math.min(c2s.num, 50))] };
  },

  Qot_GetEventContractKline: (ctx, session, c2s) => {
    const contract = contractOf(ctx, c2s.security);
    const orderBook = sourceOf(c2s.klineSource);
    const side = orderBook ? Common_PredSide.Yes : sideOf(c2s.preSide, true);
    const period = periodOf(c2s.ktype, "ktype");
    const max = c2s.maxCount ?? 1000;
    if (!Number.isInteger(max) || max < 1 || max > 1000) fail(`maxCount must be between 1 and 1000, got ${max}`);
    requireSubscription(ctx, session, contract, PERIOD_SUB[period], c2s.klineSource ?? Qot_Common_EC_KlineSource.None);
    const bars = latestBars(contract, period, ctx.market.clock.now(), max, side, orderBook);
    return { klineList: [klineItem(contract, period, bars, side, orderBook)] };
  },

  Qot_GetEventContractTicker: (ctx, session, c2s) => {
    const contract = contractOf(ctx, c2s.security);
    const count = c2s.count ?? 30;
    if (!Number.isInteger(count) || count < 1 || count > 1000) fail(`count must be between 1 and 1000, got ${count}`);
    requireSubscription(ctx, session, contract, Qot_Common_SubType.Ticker);
    return { tickerList: [tickerItem(contract, ctx.market.clock.now(), count)] };
  },

  Qot_GetEventContractComboList: (ctx, _session, c2s) => {
    const category = categoryOf(c2s.category);
    const competition = competitionOf(c2s.competition);
    const series = c2s.series ? seriesOf(ctx, c2s.series, "series") : undefined;
    const events = comboEvents(ctx).filter((e) =>
      (!category || e.series.category === category.category) &&
      (!competition || e.series.competition === competition) &&
      (!series || e.series === series)
    );
    const { slice, nextPage } = page(events, c2s.nextPage, c2s.count, 200, 1000);
    return {
      comboEventList: slice.map((e) => ({
        eventSecurity: ecSecurity(e.code),
        eventName: e.name,
        comboContracts: e.contracts.map((c) => ecSecurity(c.code)),
        seriesSecurity: ecSecurity(e.series.code),
        category: e.series.category,
        competition: e.series.competition,
        competitionScope: e.series.scope,
      })),
      mvc: EC_MVC,
      nextPage,
    };
  },

  Qot_GetEventContractComboRfq: (ctx, _session, c2s) => rfq(ctx, c2s),

  Qot_RequestHistoryEventContractKL: (ctx, _session, c2s) => {
    const contract = contractOf(ctx, c2s.security);
    const orderBook = sourceOf(c2s.klineSource);
    const side = orderBook ? Common_PredSide.Yes : sideOf(c2s.preSide, false);
    if (c2s.klType === undefined) fail("klType is required");
    const period = periodOf(c2s.klType, "klType");
    const begin = parseTime(c2s.beginTime ?? "", "beginTime", false);
    const end = parseTime(c2s.endTime ?? "", "endTime", true);
    if (begin > end) fail(`beginTime ${c2s.beginTime} is after endTime ${c2s.endTime}`);
    if (c2s.maxAckKLNum !== undefined && c2s.maxAckKLNum <= 0) {
      fail(`maxAckKLNum must be positive, got ${c2s.maxAckKLNum}`);
    }
    const from = c2s.nextReqKey?.length ? cursorOf(c2s.nextReqKey) : begin;
    if (from < begin || from > end + 1) fail("Invalid nextReqKey: it does not belong to this time range");
    const max = Math.min(c2s.maxAckKLNum ?? 1000, 1000);
    const bars = barsBetween(contract, period, from, end, ctx.market.clock.now(), max + 1, side, orderBook);
    const next = bars.length > max
      ? new TextEncoder().encode(JSON.stringify({ v: 1, next: bars[max].startMs }))
      : undefined;
    return { klineList: [klineItem(contract, period, bars.slice(0, max), side, orderBook)], nextReqKey: next };
  },

  Qot_SubEventContract: (ctx, session, c2s) => subscribe(ctx, session, c2s),
};
