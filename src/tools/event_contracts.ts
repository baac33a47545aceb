/**
 * Event contracts: browse categories, series, events and contracts; quotes, order books, trades, K-lines and combos. The tools (toolset `event-contracts`, scope `qot:read`).
 *
 * Event contract securities are "EC.<code>" (QotMarket 101). Order books,
 * tickers and K-lines need a Qot_SubEventContract subscription, which the
 * quote tool makes for the caller (without pushes) before it reads.
 *
 * @module
 */
import { z } from "zod";
import { derivedEnum, KL_TYPE, TRD_SIDE } from "../gateway/enums.ts";
import {
  Common_PredSide,
  Qot_Common_EC_KlineSource,
  Qot_Common_EC_Status,
  Qot_Common_SubType,
} from "../gateway/proto/messages.ts";
import { toSecurity } from "../gateway/symbols.ts";
import { bytesPageKey, enumArg, maxCount, pageKey, symbol } from "./args.ts";
import { insightAnswer, insightOutput, insightResult, insightText, pageKeyBytes, pageKeyText } from "./_insight.ts";
import { defineTool, READ_OPEND, type Tool } from "./tool.ts";

/** An event contract symbol ("EC.<code>"): a series, an event or a contract as the argument says. */
const ecSymbol = symbol.refine((s) => s.startsWith("EC."), { message: 'expected an event contract symbol "EC.<code>"' })
  .describe('"EC.<code>", e.g. "EC.KXFEDDECISION"');

const EVENT_STATUS = derivedEnum("status", Qot_Common_EC_Status, {
  acronyms: true,
  skip: Object.keys(Qot_Common_EC_Status).filter((k) => !k.startsWith("Event")),
});
const PRED_SIDE = derivedEnum("side", Common_PredSide, { skip: ["Unknown"] });
const KLINE_SOURCE = derivedEnum("source", Qot_Common_EC_KlineSource, { acronyms: true });
const EC_KL_TYPES = ["K_1M", "K_60M", "K_DAY"] as const;
const KL_SUB: Readonly<Record<string, number>> = {
  K_1M: Qot_Common_SubType.KL_1Min,
  K_60M: Qot_Common_SubType.KL_60Min,
  K_DAY: Qot_Common_SubType.KL_Day,
};

const count = (max: number, what: string) => maxCount(max).describe(what);
const nextPage = pageKey("next_page of the previous page");

const LEVELS = ["categories", "competitions", "series", "events", "contracts", "milestones"] as const;

const browse = defineTool({
  name: "futu_browse_event_contracts",
  title: "Browse event contracts",
  description:
    'Browse event contracts (economics, politics, sports, crypto, weather) top down: level "categories": categories and tags; "competitions": sports leagues (category, tag); "series" (category, tag); "events": a series\' events, status, dates (series, status); "contracts": an event\'s binary contracts, status, volume, result once decided (event); "milestones": sports games (category, competition, related_event). count (default 20), next_page. Example: {"level":"events","series":"EC.KXFEDDECISION"}.',
  toolset: "event-contracts",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    level: z.enum(LEVELS),
    category: z.string().min(1).optional().describe('e.g. "SPORTS"'),
    tag: z.string().min(1).optional().describe('e.g. "FOOTBALL"'),
    competition: z.string().min(1).optional().describe('e.g. "Pro Football"'),
    series: ecSymbol.optional().describe('level "events": the series, e.g. "EC.KXCPIYOY"'),
    event: ecSymbol.optional().describe('level "contracts": the event, e.g. "EC.KXCPIYOY-26DEC13"'),
    related_event: ecSymbol.optional().describe('level "milestones": only games related to this event'),
    status: enumArg(EVENT_STATUS).optional().describe('level "events": only this status'),
    count: count(200, "rows per page (default 20)"),
    next_page: nextPage,
  }).refine((a) => (a.level === "events") === (a.series !== undefined), {
    message: 'series is given with level "events", and only with it',
    path: ["series"],
  }).refine((a) => (a.level === "contracts") === (a.event !== undefined), {
    message: 'event is given with level "contracts", and only with it',
    path: ["event"],
  }),
  output: insightOutput({ level: z.enum(LEVELS) }, [
    "Qot_GetEventContractCategory",
    "Qot_FilterCompetition",
    "Qot_GetEventContractSeriesList",
    "Qot_GetEventContractEventList",
    "Qot_GetEventContract",
    "Qot_GetEventContractMilestoneList",
  ]),
  async run(ctx, args) {
    const head = { level: args.level };
    const paging = { count: args.count ?? 20, nextPage: args.next_page };
    const tagged = { category: args.category, tag: args.tag };
    switch (args.level) {
      case "categories":
        return { ...head, ...await insightAnswer(ctx, "Qot_GetEventContractCategory", { category: args.category }) };
      case "competitions":
        return { ...head, ...await insightAnswer(ctx, "Qot_FilterCompetition", tagged) };
      case "series":
        return { ...head, ...await insightAnswer(ctx, "Qot_GetEventContractSeriesList", tagged) };
      case "events": {
        const status = args.status === undefined ? undefined : EVENT_STATUS.toWire(args.status);
        const c2s = { series: toSecurity(args.series!), status, ...paging };
        return { ...head, ...await insightAnswer(ctx, "Qot_GetEventContractEventList", c2s) };
      }
      case "contracts": {
        const c2s = { event: toSecurity(args.event!), ...paging };
        return { ...head, ...await insightAnswer(ctx, "Qot_GetEventContract", c2s) };
      }
      case "milestones":
        return {
          ...head,
          ...await insightAnswer(ctx, "Qot_GetEventContractMilestoneList", {
            category: args.category,
            competition: args.competition,
            relatedEvent: args.related_event === undefined ? undefined : toSecurity(args.related_event),
            ...paging,
          }),
        };
    }
  },
  text: insightText,
});

const VIEWS = ["snapshot", "order_book", "ticker", "kline", "history_kline"] as const;

const quote = defineTool({
  name: "futu_get_event_contract_quote",
  title: "Event contract quote",
  description:
    'Event contract prices (dollars 0.01–0.99 = implied YES probability). view "snapshot" (default): last price, YES/NO bid/ask, volumes, open interest of ≤ 50 contracts; "order_book": YES/NO levels (count ≤ 50, default 10); "ticker": latest trades (count ≤ 1000, default 30); "kline": latest bars (kl_type K_1M|K_60M|K_DAY, side, source, count default 20); "history_kline": bars from begin to end (US Eastern), paged by next_req_key. Example: {"symbols":["EC.KXCPIYOY-26DEC13-T2.7"],"view":"ticker"}.',
  toolset: "event-contracts",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    symbols: z.array(ecSymbol).min(1).max(50).describe('contracts, e.g. ["EC.KXCPIYOY-26DEC13-T2.7"]'),
    view: z.enum(VIEWS).optional().default("snapshot"),
    count: count(1000, "levels, trades or bars"),
    kl_type: enumArg(KL_TYPE, EC_KL_TYPES).optional().describe("K-line period (default K_DAY)"),
    side: enumArg(PRED_SIDE).optional().describe("YES (default) or NO prices"),
    source: enumArg(KLINE_SOURCE).optional().describe("NONE (trade prices, default) or ORDER_BOOK_YES (YES bid)"),
    begin: z.string().regex(/^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?$/).optional().describe('"YYYY-MM-DD[ HH:MM:SS]"'),
    end: z.string().regex(/^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?$/).optional().describe('"YYYY-MM-DD[ HH:MM:SS]"'),
    next_req_key: bytesPageKey("next_req_key", "next_req_key of the previous page"),
  }).refine((a) => a.view === "snapshot" || a.symbols.length === 1, {
    message: "only view snapshot takes more than one symbol",
    path: ["symbols"],
  }).refine((a) => a.view !== "order_book" || a.count === undefined || a.count <= 50, {
    message: "order_book takes at most 50 levels",
    path: ["count"],
  }).refine((a) => (a.view === "history_kline") === (a.begin !== undefined && a.end !== undefined), {
    message: 'begin and end are given with view "history_kline", and only with it',
    path: ["begin"],
  }),
  output: insightOutput({ view: z.enum(VIEWS), symbols: z.array(z.string()), next_req_key: z.string().optional() }, [
    "Qot_GetEventContractSnapshot",
    "Qot_GetEventContractOrderBook",
    "Qot_GetEventContractTicker",
    "Qot_GetEventContractKline",
    "Qot_RequestHistoryEventContractKL",
  ]),
  async run(ctx, args) {
    const head = { view: args.view, symbols: args.symbols };
    const security = toSecurity(args.symbols[0]);
    const klineSource = args.source === undefined ? undefined : KLINE_SOURCE.toWire(args.source);
    const preSide = PRED_SIDE.toWire(args.side ?? "YES");
    const klType = KL_TYPE.toWire(args.kl_type ?? "K_DAY");
    const sub = (subType: number) =>
      ctx.insight.get("Qot_SubEventContract", {
        securityList: [security],
        subTypeList: [subType],
        isSubOrUnSub: true,
        isRegOrUnRegPush: false,
        klineSource: klineSource === undefined ? undefined : [klineSource],
      });
    switch (args.view) {
      case "snapshot": {
        const c2s = { securityList: args.symbols.map(toSecurity) };
        return { ...head, ...await insightAnswer(ctx, "Qot_GetEventContractSnapshot", c2s) };
      }
      case "order_book": {
        await sub(Qot_Common_SubType.OrderBook);
        const c2s = { security, num: args.count ?? 10 };
        return { ...head, ...await insightAnswer(ctx, "Qot_GetEventContractOrderBook", c2s) };
      }
      case "ticker": {
        await sub(Qot_Common_SubType.Ticker);
        const c2s = { security, count: args.count ?? 30 };
        return { ...head, ...await insightAnswer(ctx, "Qot_GetEventContractTicker", c2s) };
      }
      case "kline": {
        await sub(KL_SUB[args.kl_type ?? "K_DAY"]);
        const c2s = { security, klineSource, preSide, ktype: klType, maxCount: args.count ?? 20 };
        return { ...head, ...await insightAnswer(ctx, "Qot_GetEventContractKline", c2s) };
      }
      case "history_kline": {
        const p = "Qot_RequestHistoryEventContractKL";
        const s2c = await ctx.insight.get(p, {
          security,
          klineSource,
          preSide,
          klType,
          beginTime: args.begin!,
          endTime: args.end!,
          maxAckKLNum: args.count ?? 100,
          nextReqKey: pageKeyBytes(args.next_req_key),
        });
        const next = pageKeyText(s2c.nextReqKey);
        return { ...head, ...(next ? { next_req_key: next } : {}), ...insightResult(p, s2c) };
      }
    }
  },
  text: insightText,
});

const COMBO_VIEWS = ["list", "rfq"] as const;

const combos = defineTool({
  name: "futu_get_event_contract_combos",
  title: "Event contract combos",
  description:
    'Parlays of event contracts. view "list" (default): events whose contracts combine, their contracts, and the mvc to quote under (category, competition, series, count default 20, next_page); "rfq": a quote for 2–10 legs from different events (legs: symbol, side YES|NO, trd_side BUY|SELL, qty_ratio; mvc from "list"): YES bid/ask in dollars and a quote id. Example: {"view":"rfq","mvc":"KALSHI.KXMVECROSSCATEGORY","legs":[{"symbol":"EC.A","side":"YES"},{"symbol":"EC.B","side":"NO"}]}.',
  toolset: "event-contracts",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    view: z.enum(COMBO_VIEWS).optional().default("list"),
    category: z.string().min(1).optional(),
    competition: z.string().min(1).optional(),
    series: ecSymbol.optional(),
    count: count(200, "events per page (default 20)"),
    next_page: nextPage,
    mvc: z.string().min(1).optional().describe('view "rfq": mvc from view "list"'),
    legs: z.array(z.strictObject({
      symbol: ecSymbol,
      side: enumArg(PRED_SIDE),
      trd_side: enumArg(TRD_SIDE, ["BUY", "SELL"]).optional(),
      qty_ratio: z.number().min(0.01).max(1000).optional(),
    })).min(2).max(10).optional().describe('view "rfq": the legs'),
  }).refine((a) => (a.view === "rfq") === (a.legs !== undefined && a.mvc !== undefined), {
    message: 'legs and mvc are given with view "rfq", and only with it',
    path: ["legs"],
  }),
  output: insightOutput({ view: z.enum(COMBO_VIEWS) }, [
    "Qot_GetEventContractComboList",
    "Qot_GetEventContractComboRfq",
  ]),
  async run(ctx, args) {
    const head = { view: args.view };
    if (args.view === "list") {
      return {
        ...head,
        ...await insightAnswer(ctx, "Qot_GetEventContractComboList", {
          category: args.category,
          competition: args.competition,
          series: args.series === undefined ? undefined : toSecurity(args.series),
          count: args.count ?? 20,
          nextPage: args.next_page,
        }),
      };
    }
    return {
      ...head,
      ...await insightAnswer(ctx, "Qot_GetEventContractComboRfq", {
        mvc: args.mvc!,
        comboLegList: args.legs!.map((leg) => ({
          security: toSecurity(leg.symbol),
          predSide: PRED_SIDE.toWire(leg.side),
          side: TRD_SIDE.toWire(leg.trd_side ?? "BUY"),
          qtyRatio: leg.qty_ratio ?? 1,
        })),
      }),
    };
  },
  text: insightText,
});

/** The event contracts tools. */
export const EVENT_CONTRACT_TOOLS: readonly Tool[] = [browse, quote, combos];
