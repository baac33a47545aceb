/**
 * Event contracts through the Gateway against the simulator over TCP: every
 * protocol of the family round-tripped; lists that reference one another
 * (series → events → contracts, milestones, combos); quotes that agree (YES +
 * NO = 1 on both sides, the book's top is the snapshot's, the ticker and the
 * K-lines end at the snapshot's last price, bars add up to the volume);
 * lifecycles that follow the clock (results at the close, one winner per
 * mutually exclusive event, settlement an hour later); history paging in
 * time order; subscriptions required and first pushes sent; refusals named;
 * same seed, same replies.
 */
import { assert, assertEquals, assertRejects } from "../helpers/assert.ts";
import { connect, eventually, startSim } from "../helpers/sim.ts";
import { type Gateway, OpenDError } from "../../src/gateway/mod.ts";
import type { Qot_Common_Security } from "../../src/gateway/proto/messages.ts";
import type { SimServer } from "../../src/sim/server.ts";

const EC = 101;
const sec = (code: string): Qot_Common_Security => ({ market: EC, code });
const YES = 1, NO = 2;
const SUB = { ORDER_BOOK: 2, TICKER: 4, K_DAY: 6, K_60M: 10, K_1M: 11 } as const;
const KL = { K_1M: 1, K_DAY: 2, K_5M: 6, K_60M: 9 } as const;
const near = (a: number, b: number, tolerance: number, what: string) =>
  assert(Math.abs(a - b) <= tolerance, `${what}: ${a} vs ${b} (±${tolerance})`);

async function activeEvent(gateway: Gateway, series: string) {
  const { eventList } = await gateway.insight.get("Qot_GetEventContractEventList", {
    series: sec(series),
    status: 102,
  });
  assert(eventList && eventList.length > 0, `${series} has a live event`);
  return eventList[0];
}

async function contractsOf(gateway: Gateway, event: string) {
  const { contractList } = await gateway.insight.get("Qot_GetEventContract", { event: sec(event) });
  return contractList!;
}

async function subscribe(gateway: Gateway, codes: string[], subTypes: number[], extra: Record<string, unknown> = {}) {
  await gateway.insight.get("Qot_SubEventContract", {
    securityList: codes.map(sec),
    subTypeList: subTypes,
    isSubOrUnSub: true,
    ...extra,
  });
}

Deno.test("browsing: categories → series → events → contracts reference one another; milestones point at games", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const g = gateway.insight;
  const { categoryList } = await g.get("Qot_GetEventContractCategory", {});
  assertEquals(categoryList!.map((c) => c.category), ["ECONOMICS", "POLITICS", "SPORTS", "CRYPTO", "WEATHER"]);
  const only = await g.get("Qot_GetEventContractCategory", { category: "sports" });
  assertEquals(only.categoryList!.map((c) => c.tags), [["FOOTBALL", "SOCCER", "BASKETBALL"]]);

  const { tagFilterList } = await g.get("Qot_FilterCompetition", { category: "SPORTS" });
  const football = tagFilterList!.find((t) => t.tag === "FOOTBALL")!;
  assertEquals(football.competitionList, ["Pro Football"]);
  assertEquals(football.scopeList, ["Game", "Future"]);
  assertEquals((await g.get("Qot_FilterCompetition", { category: "CRYPTO" })).tagFilterList, []);

  const { seriesList } = await g.get("Qot_GetEventContractSeriesList", {});
  assertEquals(seriesList!.length, 12);
  const tagsOf = new Map(categoryList!.map((c) => [c.category, c.tags!]));
  for (const s of seriesList!) {
    assert(s.tags!.every((t) => tagsOf.get(s.category!)!.includes(t)), `${s.seriesSecurity.code} tags in its category`);
  }
  const soccer = await g.get("Qot_GetEventContractSeriesList", { category: "SPORTS", tag: "SOCCER" });
  assertEquals(soccer.seriesList!.map((s) => s.seriesSecurity.code), ["KXEPLGAME"]);

  const now = sim.clock.now();
  for (const s of seriesList!) {
    const { eventList, nextPage } = await g.get("Qot_GetEventContractEventList", { series: s.seriesSecurity });
    assertEquals(nextPage, "");
    assert(eventList!.length > 0, `${s.seriesSecurity.code} lists events`);
    for (const e of eventList!) {
      assertEquals(e.seriesSecurity, s.seriesSecurity);
      assertEquals(e.category, s.category);
      assert(e.startDate! < e.endDate!, `${e.eventSecurity.code} starts before it ends`);
    }
    const ends = eventList!.map((e) => e.endDate!);
    assertEquals([...ends].sort(), ends, "events by end date");
    const event = eventList!.find((e) => e.status === 102) ?? eventList![0];
    const { contractList, recommendContracts } = await g.get("Qot_GetEventContract", { event: event.eventSecurity });
    assert(contractList!.length > 0);
    for (const c of contractList!) {
      assertEquals(c.eventSecurity, event.eventSecurity);
      assertEquals(c.seriesSecurity, s.seriesSecurity);
      assert(c.contractSecurity.code.startsWith(`${event.eventSecurity.code}-`));
      assert(Date.parse(c.openTime!) < Date.parse(c.closeTime!));
      assertEquals(c.status === 2, Date.parse(c.openTime!) <= now && now < Date.parse(c.closeTime!), "active iff open");
    }
    for (const r of recommendContracts!) {
      assert(contractList!.some((c) => c.contractSecurity.code === r.contractSecurity.code), "recommended is listed");
    }
  }

  // Paging: two at a time covers the list once, in order.
  const nba = sec("KXNBAGAME");
  const all = (await g.get("Qot_GetEventContractEventList", { series: nba })).eventList!.map((e) =>
    e.eventSecurity.code
  );
  const paged: string[] = [];
  let cursor: string | undefined;
  do {
    const reply = await g.get("Qot_GetEventContractEventList", { series: nba, count: 2, nextPage: cursor });
    paged.push(...reply.eventList!.map((e) => e.eventSecurity.code));
    cursor = reply.nextPage || undefined;
  } while (cursor);
  assertEquals(paged, all);
  const settled = await g.get("Qot_GetEventContractEventList", { series: nba, status: 104 });
  assert(settled.eventList!.length > 0 && settled.eventList!.every((e) => e.status === 104));

  const { milestoneList } = await g.get("Qot_GetEventContractMilestoneList", { category: "SPORTS" });
  assert(milestoneList!.length > 0);
  for (const m of milestoneList!) {
    assert(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/.test(m.milestoneSecurity.code));
    assertEquals(m.relatedEventList![0], m.primaryEventSecurity);
    for (const related of m.relatedEventList!) assert((await contractsOf(gateway, related.code)).length > 0);
  }
  const game = milestoneList!.find((m) => m.relatedEventList!.length > 1)!;
  const futures = game.relatedEventList![1];
  const byRelated = await g.get("Qot_GetEventContractMilestoneList", { relatedEvent: futures });
  assert(byRelated.milestoneList!.some((m) => m.milestoneSecurity.code === game.milestoneSecurity.code));
  const epl = await g.get("Qot_GetEventContractMilestoneList", { competition: "epl", count: 1 });
  assertEquals(epl.milestoneList!.length, 1);
  assertEquals(epl.milestoneList![0].type, 3);
  assertEquals((await g.get("Qot_GetEventContractMilestoneList", { category: "WEATHER" })).milestoneList, []);
});

Deno.test("quotes agree: YES + NO = 1, the book's top is the snapshot's, ticker and K-lines end at the last price", async () => {
  await using sim = await startSim();
  sim.clock.advance(40_000);
  await using gateway = await connect(sim);
  const g = gateway.insight;
  const fed = await activeEvent(gateway, "KXFEDDECISION");
  assert(fed.mutuallyExclusive);
  const contracts = (await contractsOf(gateway, fed.eventSecurity.code)).map((c) => c.contractSecurity.code);
  const { snapshotList } = await g.get("Qot_GetEventContractSnapshot", { securityList: contracts.map(sec) });
  let mids = 0;
  for (const s of snapshotList!) {
    assertEquals(s.event_code, fed.eventSecurity);
    assert(0.01 <= s.yes_bid! && s.yes_bid! < s.yes_ask! && s.yes_ask! <= 0.99, `${s.code.code} YES bid < ask`);
    near(s.no_bid! + s.yes_ask!, 1, 1e-9, "NO bid = 1 − YES ask");
    near(s.no_ask! + s.yes_bid!, 1, 1e-9, "NO ask = 1 − YES bid");
    assertEquals(s.no_bid_size, s.yes_ask_size);
    mids += (s.yes_bid! + s.yes_ask!) / 2;
    assert(s.volume_24h! <= s.cumulative_volume! && s.open_interest! <= s.cumulative_volume!);
  }
  near(mids, 1, 0.02 * contracts.length, "a mutually exclusive event's YES mids add up to 1");

  const code = contracts[1];
  const snap = snapshotList![1];
  await subscribe(gateway, [code], [SUB.ORDER_BOOK, SUB.TICKER, SUB.K_1M, SUB.K_60M, SUB.K_DAY], {
    klineSource: [0, 1],
  });
  const [book] = (await g.get("Qot_GetEventContractOrderBook", { security: sec(code), num: 5 })).orderBookList!;
  assertEquals(book.yesBids![0], { price: snap.yes_bid!, size: snap.yes_bid_size! });
  assertEquals(book.yesAsks![0], { price: snap.yes_ask!, size: snap.yes_ask_size! });
  assertEquals(book.yesBids!.length, 5);
  for (let i = 1; i < 5; i++) {
    assert(book.yesBids![i].price < book.yesBids![i - 1].price && book.yesAsks![i].price > book.yesAsks![i - 1].price);
  }
  assertEquals(
    book.noBids!.map((l) => [Math.round(100 - 100 * l.price), l.size]),
    book.yesAsks!.map((l) => [Math.round(100 * l.price), l.size]),
  );

  const [ticker] = (await g.get("Qot_GetEventContractTicker", { security: sec(code), count: 200 })).tickerList!;
  const prints = ticker.tickerList!;
  assertEquals(prints.length, 200);
  const last = prints.at(-1)!;
  assertEquals(last.yesPrice, snap.price);
  assertEquals(last.time, snap.last_trade_time);
  for (let i = 0; i < prints.length; i++) {
    near(prints[i].yesPrice! + prints[i].noPrice!, 1, 1e-9, "yes + no = 1");
    if (i > 0) {
      assert(BigInt(prints[i].sequence!) > BigInt(prints[i - 1].sequence!) && prints[i].time >= prints[i - 1].time);
    }
    // Prints of the current minute trade at its book.
    if (prints[i].time.slice(0, 16) === last.time.slice(0, 16)) {
      assert([snap.yes_bid, snap.yes_ask].includes(prints[i].yesPrice), `print ${prints[i].time} at the book`);
      assertEquals(prints[i].side === YES ? snap.yes_ask : snap.yes_bid, prints[i].yesPrice);
    }
  }

  const kline = (ktype: number, preSide: number, klineSource = 0) =>
    g.get("Qot_GetEventContractKline", { security: sec(code), ktype, preSide, klineSource, maxCount: 1000 })
      .then((r) => r.klineList![0]);
  const day = await kline(KL.K_DAY, YES);
  assertEquals(day.pre_side, YES);
  assertEquals(day.klineList!.at(-1)!.close, snap.price);
  const minutes = await kline(KL.K_1M, YES);
  assertEquals(minutes.klineList!.at(-1)!.close, snap.price);
  const noSide = await kline(KL.K_1M, NO);
  near(noSide.klineList!.at(-1)!.close! + snap.price!, 1, 1e-9, "NO close = 1 − YES close");
  const hours = await kline(KL.K_60M, YES);
  for (const bar of [...day.klineList!, ...hours.klineList!, ...minutes.klineList!]) {
    assert(bar.low! <= Math.min(bar.open!, bar.close!) && bar.high! >= Math.max(bar.open!, bar.close!));
  }
  const bookLine = await kline(KL.K_1M, YES, 1);
  assertEquals(bookLine.klineList!.at(-1)!.close, snap.yes_bid, "the OrderBookYes K-line follows the YES bid");
  // Bars add up: the day bars' volumes are the cumulative volume; this hour's minutes are its hour bar.
  near(
    day.klineList!.reduce((a, b) => a + b.volume!, 0),
    snap.cumulative_volume!,
    0,
    "day volumes = cumulative volume",
  );
  const hour = hours.klineList!.at(-1)!;
  const inHour = minutes.klineList!.filter((m) =>
    m.time_key > hours.klineList!.at(-2)!.time_key && m.time_key <= hour.time_key
  );
  assertEquals(inHour.reduce((a, b) => a + b.volume!, 0), hour.volume);
  assertEquals(Math.max(...inHour.map((m) => m.high!)), hour.high);
});

Deno.test("lifecycle: results at the close, one winner per exclusive event, monotone ladders, settlement an hour later", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const g = gateway.insight;
  const nba = await activeEvent(gateway, "KXNBAGAME");
  const btc = await activeEvent(gateway, "KXBTCD");
  const before = await contractsOf(gateway, nba.eventSecurity.code);
  assert(before.every((c) => c.result === undefined && c.settlementValue === undefined && c.status === 2));
  const close = Date.parse(before[0].closeTime!);
  sim.clock.set(close + 60_000);
  const after = await contractsOf(gateway, nba.eventSecurity.code);
  assertEquals(after.map((c) => c.status), after.map(() => 8), "determined");
  assertEquals(after.filter((c) => c.result === "yes").length, 1, "one winner");
  assert(after.every((c) => c.determinationTime === c.closeTime && c.expirationValue && !c.settledTime));
  const { snapshotList } = await g.get("Qot_GetEventContractSnapshot", {
    securityList: after.map((c) => c.contractSecurity),
  });
  assert(snapshotList!.every((s) => s.yes_bid === undefined && s.status === 8), "no book once closed");
  // Trade times are US Eastern (UTC−5 in November).
  const lastTrade = (s: { last_trade_time?: string }) => Date.parse(`${s.last_trade_time!.replace(" ", "T")}-05:00`);
  assert(
    snapshotList!.every((s) => lastTrade(s) < close && lastTrade(s) > close - 600_000),
    "last trades just before the close",
  );

  sim.clock.set(close + 3_600_000 + 60_000);
  const settled = await contractsOf(gateway, nba.eventSecurity.code);
  for (const c of settled) {
    assertEquals(c.status, 5);
    assertEquals(c.settlementValue, c.result === "yes" ? "1.00" : "0.00");
    assertEquals(c.result, after.find((a) => a.contractSecurity.code === c.contractSecurity.code)!.result);
  }
  const events = await g.get("Qot_GetEventContractEventList", { series: sec("KXNBAGAME") });
  assertEquals(events.eventList!.find((e) => e.eventSecurity.code === nba.eventSecurity.code)!.status, 104);

  const ladderBefore = await contractsOf(gateway, btc.eventSecurity.code);
  sim.clock.set(Date.parse(ladderBefore[0].closeTime!) + 60_000);
  const ladder = await contractsOf(gateway, btc.eventSecurity.code);
  const yes = ladder.map((c) => c.result === "yes");
  assert(ladder.every((c) => c.result !== undefined));
  assertEquals(yes, [...yes].sort((a, b) => Number(b) - Number(a)), "above-k results fall as k rises");
});

Deno.test("history K-lines: paged in time order, the pages make the whole range, no subscription needed", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const g = gateway.insight;
  const event = await activeEvent(gateway, "KXCPIYOY");
  const code = (await contractsOf(gateway, event.eventSecurity.code))[3].contractSecurity.code;
  const request = { security: sec(code), klType: KL.K_60M, beginTime: "2026-11-20", endTime: "2026-11-25" };
  const whole = (await g.get("Qot_RequestHistoryEventContractKL", request)).klineList![0].klineList!;
  assert(whole.length > 100);
  const pages: string[] = [];
  let key: Uint8Array | undefined;
  let count = 0;
  do {
    const reply = await g.get("Qot_RequestHistoryEventContractKL", { ...request, maxAckKLNum: 40, nextReqKey: key });
    const bars = reply.klineList![0].klineList!;
    assert(bars.length <= 40);
    pages.push(...bars.map((b) => b.time_key));
    key = reply.nextReqKey?.length ? reply.nextReqKey : undefined;
    count++;
  } while (key);
  assertEquals(pages, whole.map((b) => b.time_key));
  assertEquals(count, Math.ceil(whole.length / 40));
  for (let i = 1; i < pages.length; i++) assert(pages[i] > pages[i - 1], "strictly in time order");
  assert(pages[0] > "2026-11-20 00:00:00" && pages.at(-1)! <= "2026-11-26 00:00:00");
  const no = (await g.get("Qot_RequestHistoryEventContractKL", { ...request, preSide: NO })).klineList![0];
  assertEquals(no.pre_side, NO);
  near(no.klineList![5].high! + whole[5].low!, 1, 1e-9, "NO high = 1 − YES low");
});

Deno.test("combos: combinable events list existing contracts, the RFQ prices independent legs", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const g = gateway.insight;
  const list = await g.get("Qot_GetEventContractComboList", { category: "SPORTS" });
  assertEquals(list.mvc, "KALSHI.KXMVECROSSCATEGORY");
  assert(list.comboEventList!.length >= 2);
  for (const e of list.comboEventList!) {
    assertEquals(e.category, "SPORTS");
    const contracts = (await contractsOf(gateway, e.eventSecurity.code)).map((c) => c.contractSecurity);
    assertEquals(e.comboContracts, contracts);
  }
  const [a, b] = list.comboEventList!;
  const legs = [
    { security: a.comboContracts![0], side: 1, qtyRatio: 1, predSide: YES },
    { security: b.comboContracts![0], side: 1, qtyRatio: 1, predSide: NO },
  ];
  const rfq = await g.get("Qot_GetEventContractComboRfq", { comboLegList: legs, mvc: list.mvc! });
  assertEquals(rfq.comboLegList!.map((l) => l.security), legs.map((l) => l.security));
  const { snapshotList } = await g.get("Qot_GetEventContractSnapshot", { securityList: legs.map((l) => l.security) });
  const [pa, pb] = snapshotList!.map((s) => (s.yes_bid! + s.yes_ask!) / 2);
  const fair = pa * (1 - pb);
  assert(rfq.askPrice! > fair && (rfq.bidPrice === undefined || rfq.bidPrice < fair), `quote around ${fair}`);
  assert(rfq.quoteId!.startsWith("RFQ-") && rfq.shouldRetry === (rfq.bidPrice === undefined));
  const filtered = await g.get("Qot_GetEventContractComboList", { series: sec("KXBTCD") });
  assert(
    filtered.comboEventList!.every((e) => e.seriesSecurity!.code === "KXBTCD") && filtered.comboEventList!.length > 0,
  );

  await assertRejects(
    () => g.get("Qot_GetEventContractComboRfq", { comboLegList: legs, mvc: "KALSHI.NOPE" }),
    OpenDError,
    "mvc",
  );
  const sameEvent = [legs[0], { ...legs[1], security: a.comboContracts![1] }];
  await assertRejects(
    () => g.get("Qot_GetEventContractComboRfq", { comboLegList: sameEvent, mvc: list.mvc! }),
    OpenDError,
    "one event",
  );
  await assertRejects(
    () =>
      g.get("Qot_GetEventContractComboRfq", { comboLegList: [legs[0], { ...legs[1], predSide: 0 }], mvc: list.mvc! }),
    OpenDError,
    "predSide",
  );
});

Deno.test("subscriptions: required for book, ticker and K-lines; first pushes carry the current data", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const g = gateway.insight;
  const event = await activeEvent(gateway, "KXEPLGAME");
  const code = (await contractsOf(gateway, event.eventSecurity.code))[0].contractSecurity.code;
  await assertRejects(
    () => g.get("Qot_GetEventContractOrderBook", { security: sec(code), num: 5 }),
    OpenDError,
    "not subscribed to ORDER_BOOK",
  );
  await assertRejects(
    () => g.get("Qot_GetEventContractTicker", { security: sec(code) }),
    OpenDError,
    "not subscribed to TICKER",
  );
  await subscribe(gateway, [code], [SUB.K_DAY]);
  await assertRejects(
    () => g.get("Qot_GetEventContractKline", { security: sec(code), ktype: KL.K_DAY, klineSource: 1 }),
    OpenDError,
    "klineSource 1",
  );

  const books: unknown[] = [], tickers: unknown[] = [], klines: unknown[] = [];
  gateway.client.onPush("Qot_UpdateEventContractOrderBook", (s2c) => books.push(s2c));
  gateway.client.onPush("Qot_UpdateEventContractTicker", (s2c) => tickers.push(s2c));
  gateway.client.onPush("Qot_UpdateEventContractKline", (s2c) => klines.push(s2c));
  await subscribe(gateway, [code], [SUB.ORDER_BOOK, SUB.TICKER, SUB.K_1M], { isRegOrUnRegPush: true });
  await eventually(() => books.length === 1 && tickers.length === 1 && klines.length === 1, 3000, "first pushes");
  assertEquals(books[0], await g.get("Qot_GetEventContractOrderBook", { security: sec(code), num: 10 }));
  assertEquals(tickers[0], await g.get("Qot_GetEventContractTicker", { security: sec(code), count: 10 }));
  const bars = await g.get("Qot_GetEventContractKline", {
    security: sec(code),
    ktype: KL.K_1M,
    preSide: YES,
    maxCount: 1,
  });
  assertEquals(klines[0], bars);

  await assertRejects(
    () => g.get("Qot_SubEventContract", { securityList: [sec(code)], subTypeList: [SUB.TICKER], isSubOrUnSub: false }),
    OpenDError,
    "less than 60 s",
  );
  // Event contract subscriptions keep their own book: the classic one stays empty.
  assertEquals((await gateway.quote.getSubInfo()).totalUsedQuota, 0);

  // Without the one-minute hold, unsubscribing takes the data away.
  await using quick = await startSim({ minSubscriptionMs: 0 });
  await using other = await connect(quick);
  const q = other.insight;
  await subscribe(other, [code], [SUB.ORDER_BOOK, SUB.TICKER, SUB.K_DAY], { klineSource: [0, 1] });
  await q.get("Qot_SubEventContract", { securityList: [sec(code)], subTypeList: [SUB.TICKER], isSubOrUnSub: false });
  await assertRejects(() => q.get("Qot_GetEventContractTicker", { security: sec(code) }), OpenDError, "not subscribed");
  await q.get("Qot_GetEventContractOrderBook", { security: sec(code), num: 1 });
  await q.get("Qot_SubEventContract", {
    securityList: [sec(code)],
    subTypeList: [SUB.K_DAY],
    isSubOrUnSub: false,
    klineSource: [1],
  });
  await q.get("Qot_GetEventContractKline", { security: sec(code), ktype: KL.K_DAY, preSide: YES });
  await assertRejects(
    () => q.get("Qot_GetEventContractKline", { security: sec(code), ktype: KL.K_DAY, klineSource: 1 }),
    OpenDError,
    "not subscribed",
  );
  await q.get("Qot_SubEventContract", { isSubOrUnSub: false, isUnsubAll: true });
  await assertRejects(
    () => q.get("Qot_GetEventContractOrderBook", { security: sec(code), num: 1 }),
    OpenDError,
    "not subscribed",
  );
});

Deno.test("refusals name what is wrong", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const g = gateway.insight;
  const event = await activeEvent(gateway, "KXHIGHNY");
  const code = (await contractsOf(gateway, event.eventSecurity.code))[0].contractSecurity.code;
  const refused = (p: Promise<unknown>, text: string) => assertRejects(() => p, OpenDError, text);
  await refused(
    g.get("Qot_GetEventContractSnapshot", { securityList: [sec("KXHIGHNY-26NOV26-B99")] }),
    "Unknown event contract security EC.KXHIGHNY-26NOV26-B99",
  );
  await refused(g.get("Qot_GetEventContractSnapshot", { securityList: [sec("KXHIGHNY-30JAN01-B40")] }), "Unknown");
  await refused(
    g.get("Qot_GetEventContractSnapshot", { securityList: [event.eventSecurity] }),
    "is an event, not a contract",
  );
  await refused(
    g.get("Qot_GetEventContractSnapshot", { securityList: [{ market: 11, code: "AAPL" }] }),
    "not an event contract security",
  );
  await refused(g.get("Qot_GetEventContractSnapshot", { securityList: [] }), "securityList");
  await refused(g.get("Qot_GetEventContract", { event: sec("KXHIGHNY") }), "is a series, not an event");
  await refused(g.get("Qot_GetEventContractEventList", { series: event.eventSecurity }), "is an event, not a series");
  await refused(g.get("Qot_GetEventContractEventList", { series: sec("KXHIGHNY"), status: 2 }), "not an event status");
  await refused(
    g.get("Qot_GetEventContractEventList", { series: sec("KXHIGHNY"), nextPage: "zz" }),
    "Invalid nextPage",
  );
  await refused(
    g.get("Qot_GetEventContract", { event: event.eventSecurity, count: 1001 }),
    "count must be between 1 and 1000",
  );
  await refused(g.get("Qot_GetEventContractCategory", { category: "ASTROLOGY" }), 'Unknown category "ASTROLOGY"');
  await refused(g.get("Qot_GetEventContractSeriesList", { category: "CRYPTO", tag: "SOCCER" }), "Unknown tag");
  await refused(g.get("Qot_GetEventContractMilestoneList", { competition: "Curling" }), "Unknown competition");
  await subscribe(gateway, [code], [SUB.ORDER_BOOK, SUB.K_DAY]);
  await refused(g.get("Qot_GetEventContractOrderBook", { security: sec(code), num: 0 }), "num must be a positive");
  await refused(
    g.get("Qot_GetEventContractKline", { security: sec(code), ktype: KL.K_DAY }),
    "preSide must be 1 (Yes) or 2 (No) when klineSource is None",
  );
  await refused(
    g.get("Qot_GetEventContractKline", { security: sec(code), ktype: KL.K_5M, preSide: YES }),
    "not supported for event contracts",
  );
  await refused(
    g.get("Qot_GetEventContractTicker", { security: sec(code), count: 5000 }),
    "count must be between 1 and 1000",
  );
  await refused(
    g.get("Qot_SubEventContract", { securityList: [sec(code)], subTypeList: [1], isSubOrUnSub: true }),
    "not available for event contracts",
  );
  await refused(
    g.get("Qot_SubEventContract", {
      securityList: [event.eventSecurity],
      subTypeList: [SUB.TICKER],
      isSubOrUnSub: true,
    }),
    "not a contract",
  );
  const history = { security: sec(code), klType: KL.K_DAY, beginTime: "2026-11-25", endTime: "2026-11-20" };
  await refused(g.get("Qot_RequestHistoryEventContractKL", history), "is after endTime");
  await refused(
    g.get("Qot_RequestHistoryEventContractKL", { ...history, beginTime: "11/20/2026" }),
    "Invalid beginTime",
  );
  await refused(
    g.get("Qot_RequestHistoryEventContractKL", {
      ...history,
      beginTime: "2026-11-01",
      nextReqKey: new Uint8Array([1, 2]),
    }),
    "Invalid nextReqKey",
  );
});

async function sample(sim: SimServer) {
  await using gateway = await connect(sim);
  const g = gateway.insight;
  const event = await activeEvent(gateway, "KXSB");
  const contracts = await contractsOf(gateway, event.eventSecurity.code);
  const snapshot = await g.get("Qot_GetEventContractSnapshot", {
    securityList: contracts.map((c) => c.contractSecurity),
  });
  const milestones = await g.get("Qot_GetEventContractMilestoneList", {});
  return { event, contracts, snapshot, milestones };
}

Deno.test("deterministic: the same seed gives the same universe and prices, another seed other prices", async () => {
  await using a = await startSim({ seed: 7 });
  await using b = await startSim({ seed: 7 });
  await using c = await startSim({ seed: 8 });
  const [x, y, z] = [await sample(a), await sample(b), await sample(c)];
  assertEquals(x, y);
  assertEquals(x.event.eventSecurity, z.event.eventSecurity, "codes come from the calendar");
  assert(JSON.stringify(x.snapshot) !== JSON.stringify(z.snapshot), "prices come from the seed");
});
