/**
 * The research pushes of the simulator over real TCP, through the gateway
 * client (and a bare wire client for a connection without notifications),
 * with a manual clock: event contract order books, tickers and K-lines push
 * what changes as the clock moves, each push equal to what its request
 * returns at that instant, every print exactly once, until unregistered;
 * option events push once each, as the clock passes them, for the enabled
 * alerts they match only, to connections that receive notifications.
 *
 * Ordering makes "no push" observable without sleeping: one connection's
 * pushes arrive in the order they were sent, a tick pushes the event
 * contract pairs in registration order, and it runs the option event hook
 * before the event contract one, so a marker pair's order book push (it
 * changes every minute) ends everything a tick sent before it.
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { RawClient } from "../helpers/raw.ts";
import { connect, eventually, startSim, US_MORNING } from "../helpers/sim.ts";
import type { Gateway } from "../../src/gateway/mod.ts";
import type { PushProtocol, S2C } from "../../src/gateway/proto/codec.ts";
import type { Qot_Common_Security, Qot_GetOptionEvent_EventItem } from "../../src/gateway/proto/messages.ts";
import { formatSymbol, toSecurity } from "../../src/gateway/symbols.ts";

const EC = 101;
const sec = (code: string): Qot_Common_Security => ({ market: EC, code });
const SUB = { ORDER_BOOK: 2, TICKER: 4, K_60M: 10, K_1M: 11 } as const;
const K_1M = 1, K_60M = 9, YES = 1;
const MINUTE = 60_000;
const US_SECURITY = 1;

function collect<P extends PushProtocol>(gateway: Gateway, protocol: P): S2C<P>[] {
  const out: S2C<P>[] = [];
  gateway.client.onPush(protocol, (s2c) => out.push(s2c));
  return out;
}

/** Live contracts of a series' first live event: the first listed (lowest strike), and the most traded. */
async function liveContracts(gateway: Gateway, series: string): Promise<{ first: string; top: string }> {
  const { eventList } = await gateway.insight.get("Qot_GetEventContractEventList", {
    series: sec(series),
    status: 102,
  });
  assert(eventList?.length, `${series} has a live event`);
  const { contractList } = await gateway.insight.get("Qot_GetEventContract", { event: eventList[0].eventSecurity });
  const live = contractList!.filter((c) => c.status === 2);
  const top = [...live].sort((a, b) => Number(b.volume) - Number(a.volume))[0];
  assert(live.length >= 2 && top !== live[0], "two live contracts");
  return { first: live[0].contractSecurity.code, top: top.contractSecurity.code };
}

function sub(codes: string[], subTypeList: number[], extra: Record<string, unknown>) {
  return { securityList: codes.map(sec), subTypeList, isSubOrUnSub: true, ...extra };
}

Deno.test("event contract pushes: first, then each change as the clock moves, equal to the requests; none once unregistered", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const g = gateway.insight;
  // CPI contracts trade thinly enough to have minutes without prints.
  const { first: code, top: markerCode } = await liveContracts(gateway, "KXCPIYOY");
  const bookPushes = collect(gateway, "Qot_UpdateEventContractOrderBook");
  const tickers = collect(gateway, "Qot_UpdateEventContractTicker");
  const klines = collect(gateway, "Qot_UpdateEventContractKline");
  const books = () => bookPushes.filter((b) => b.orderBookList![0].code.code === code);
  const markerBooks = () => bookPushes.filter((b) => b.orderBookList![0].code.code === markerCode);
  const book = (c: string) => g.get("Qot_GetEventContractOrderBook", { security: sec(c), num: 10 });
  const ticker = (count: number) => g.get("Qot_GetEventContractTicker", { security: sec(code), count });
  const kline = (ktype: number, source: Record<string, number>) =>
    g.get("Qot_GetEventContractKline", { security: sec(code), ktype, maxCount: 1, ...source });
  const bars = async () => {
    const trades = await kline(K_1M, { preSide: YES });
    const quotes = await kline(K_1M, { klineSource: 1 });
    return { klineList: [...trades.klineList!, ...quotes.klineList!] };
  };
  // Hour bars of trades only (one K-line item a push; the minute pushes carry two), registered without a first push.
  const hourPushes = () => klines.filter((k) => k.klineList!.length === 1);
  const minutePushes = () => klines.filter((k) => k.klineList!.length === 2);

  // Registered in this order, a tick pushes the ticker and K-lines before the order book.
  await g.get("Qot_SubEventContract", sub([code], [SUB.K_60M], { isRegOrUnRegPush: true, isFirstPush: false }));
  await g.get(
    "Qot_SubEventContract",
    sub([code], [SUB.TICKER, SUB.K_1M, SUB.ORDER_BOOK], { isRegOrUnRegPush: true, klineSource: [1, 0] }),
  );
  await eventually(() => books().length === 1 && tickers.length === 1 && klines.length >= 1, 3000, "first pushes");
  assertEquals(books()[0], await book(code));
  assertEquals(tickers[0], await ticker(10));
  assertEquals(klines, [await bars()], "one item per K-line source, trades then the YES bid; no hour bar yet");

  const pushed = [...tickers[0].tickerList![0].tickerList!];
  let printing = 0, quiet = 0;
  const steps = [MINUTE, MINUTE, MINUTE, MINUTE, MINUTE, 7 * MINUTE, MINUTE, 45 * MINUTE];
  for (const [i, step] of steps.entries()) {
    const before = { tickers: tickers.length, minutes: minutePushes().length, hours: hourPushes().length };
    sim.clock.advance(step);
    // The order book moves every minute; its push ends the tick.
    await eventually(() => books().length === i + 2, 3000, `order book push ${i + 1}`);
    assertEquals(books().at(-1), await book(code), `push ${i + 1} is the book now`);
    const last = pushed.length ? BigInt(pushed.at(-1)!.sequence!) : -1n;
    const fresh = (await ticker(1000)).tickerList![0].tickerList!.filter((p) => BigInt(p.sequence!) > last);
    if (fresh.length === 0) {
      assertEquals(tickers.length, before.tickers, `no prints, no ticker push (${i + 1})`);
      assertEquals(hourPushes().length, before.hours, `no prints, the hour bar stands (${i + 1})`);
      quiet++;
    } else {
      assertEquals(tickers.length, before.tickers + 1, `one ticker push with the new prints (${i + 1})`);
      assertEquals(hourPushes().length, before.hours + 1, `new prints move the hour bar (${i + 1})`);
      assertEquals(hourPushes().at(-1), await kline(K_60M, { preSide: YES }), `the hour bar now (${i + 1})`);
      assertEquals(tickers.at(-1), await ticker(fresh.length), "the push is the ticker's latest prints");
      assertEquals(tickers.at(-1)!.tickerList![0].tickerList, fresh, "exactly the prints since the last push");
      pushed.push(...fresh);
      printing++;
    }
    // The YES bid bar is new every minute, so every tick pushes the K-lines.
    assertEquals(minutePushes().length, before.minutes + 1, `one minute K-line push (${i + 1})`);
    assertEquals(minutePushes().at(-1), await bars(), `the K-line push is the latest bars (${i + 1})`);
  }
  assert(printing >= 2 && quiet >= 1, `the contract printed in ${printing} of the steps, ${quiet} were quiet`);
  assertEquals((await ticker(pushed.length)).tickerList![0].tickerList, pushed, "every print pushed once, in order");

  // Unregistered pairs stay subscribed but push no more; a marker registered afterwards (no first push) ends each tick.
  await g.get(
    "Qot_SubEventContract",
    sub([code], [SUB.TICKER, SUB.K_1M, SUB.K_60M, SUB.ORDER_BOOK], { isRegOrUnRegPush: false }),
  );
  await g.get(
    "Qot_SubEventContract",
    sub([markerCode], [SUB.ORDER_BOOK], { isRegOrUnRegPush: true, isFirstPush: false }),
  );
  const counts = { books: books().length, tickers: tickers.length, klines: klines.length };
  for (const round of [1, 2]) {
    sim.clock.advance(MINUTE);
    await eventually(() => markerBooks().length >= round, 3000, `marker push ${round}`);
    assertEquals(markerBooks().length, round, "without isFirstPush only changes are pushed");
    assertEquals(markerBooks().at(-1), await book(markerCode));
    assertEquals({ books: books().length, tickers: tickers.length, klines: klines.length }, counts, "unregistered");
  }
  await book(code); // still subscribed
});

/** Option events of a window (after `fromMs`, up to `toMs`) as Qot_GetOptionEvent lists them, oldest first. */
async function eventsBetween(
  gateway: Gateway,
  symbol: string,
  fromMs: number,
  toMs: number,
  optionType?: number,
): Promise<Qot_GetOptionEvent_EventItem[]> {
  const { eventList, allCount } = await gateway.insight.get("Qot_GetOptionEvent", {
    optionMarket: US_SECURITY,
    count: 300,
    filterList: [
      { indicatorType: 101, indicatorValue: { securityList: [toSecurity(symbol)] } },
      ...(optionType ? [{ indicatorType: 201, indicatorValue: { valueList: [String(optionType)] } }] : []),
      {
        indicatorType: 305,
        indicatorValue: {
          valueInterval: {
            filterMin: { value: fromMs / 1000, includes: false },
            filterMax: { value: toMs / 1000, includes: true },
          },
        },
      },
    ],
    sort: { indicatorType: 305, isAsc: true },
  });
  assertEquals(eventList!.length, allCount);
  return eventList!;
}

Deno.test("option event pushes: once per event an enabled alert matches, as the clock passes it, to connections with notifications", async () => {
  await using sim = await startSim({ at: US_MORNING });
  await using gateway = await connect(sim);
  const g = gateway.insight;
  const pushes = collect(gateway, "Qot_UpdateOptionEvent");
  const bookPushes = collect(gateway, "Qot_UpdateEventContractOrderBook");
  const { top: marker } = await liveContracts(gateway, "KXBTCD");
  const markerSub = sub([marker], [SUB.ORDER_BOOK], { isRegOrUnRegPush: true, isFirstPush: false });
  await g.get("Qot_SubEventContract", markerSub);

  // A connection that asked for no notifications, with the same marker.
  using raw = await RawClient.open(sim.port);
  await raw.send("InitConnect", { clientVer: 300, clientID: "quiet", recvNotify: false, packetEncAlgo: -1 }, 1);
  assertEquals((await raw.next()).envelope.retType, 0);
  await raw.send("Qot_SubEventContract", markerSub, 2);
  assertEquals((await raw.next()).envelope.retType, 0);

  const set = (operType: number, alertList: object[]) => g.get("Qot_SetOptionEventAlert", { operType, alertList });
  await set(1, [{ underlying: toSecurity("US.AAPL"), optionType: 1, note: "AAPL calls" }]);
  await set(1, [{ underlying: toSecurity("US.TSLA"), enable: false, note: "TSLA paused" }]);
  await set(1, [{ underlying: toSecurity("US.NVDA"), sizeRange: { filterMin: { value: 1e9, includes: true } } }]);
  const alerts = (await g.get("Qot_GetOptionEventAlert", { count: 50 })).alertList!;
  const tsla = alerts.find((a) => a.note === "TSLA paused")!;

  let ticks = 0;
  const window = async (minutes: number) => {
    const fromMs = sim.clock.now();
    const seen = pushes.length;
    sim.clock.advance(minutes * MINUTE);
    ticks++;
    await eventually(() => bookPushes.length >= ticks, 3000, `marker push ${ticks}`);
    return { fromMs, toMs: sim.clock.now(), got: pushes.slice(seen) };
  };
  const pairs = (list: { owner?: Qot_Common_Security; option?: Qot_Common_Security }[]) =>
    list.map((e) => `${formatSymbol(e.owner!)} ${formatSymbol(e.option!)}`);

  // AAPL calls only: not AAPL puts, not the paused TSLA alert, not NVDA's impossible size.
  const first = await window(100);
  const aaplCalls = await eventsBetween(gateway, "US.AAPL", first.fromMs, first.toMs, 1);
  assert(aaplCalls.length > 0, "AAPL traded calls in the window");
  assert((await eventsBetween(gateway, "US.AAPL", first.fromMs, first.toMs)).length > aaplCalls.length, "and puts");
  assert((await eventsBetween(gateway, "US.TSLA", first.fromMs, first.toMs)).length > 0, "and TSLA traded");
  assertEquals(pairs(first.got), pairs(aaplCalls), "each matching event once, oldest first");
  for (const [i, push] of first.got.entries()) {
    const e = aaplCalls[i];
    assert(push.message!.startsWith("[AAPL calls] US.AAPL"), push.message);
    for (const part of [e.fillTime!, `${e.volume} contracts`, `at ${e.price}`, e.strikeTime!]) {
      assert(push.message!.includes(part), `${push.message} names ${part}`);
    }
  }

  // Enabling TSLA watches from then on: its earlier events never push; the AAPL events already pushed do not repeat.
  await set(4, [{ key: tsla.key }]);
  const second = await window(100);
  const expected = [
    ...await eventsBetween(gateway, "US.AAPL", second.fromMs, second.toMs, 1),
    ...await eventsBetween(gateway, "US.TSLA", second.fromMs, second.toMs),
  ].sort((a, b) => a.fillTimestamp! - b.fillTimestamp! || (a.option!.code < b.option!.code ? -1 : 1));
  assert(expected.some((e) => e.owner!.code === "TSLA"), "TSLA traded after it was enabled");
  assertEquals(pairs(second.got), pairs(expected));
  const tslaPush = second.got.find((p) => p.owner!.code === "TSLA")!;
  assert(tslaPush.message!.startsWith("[TSLA paused] US.TSLA"), tslaPush.message);

  // No alerts, no pushes.
  await set(6, []);
  const third = await window(60);
  assert((await eventsBetween(gateway, "US.AAPL", third.fromMs, third.toMs)).length > 0, "events went on");
  assertEquals(third.got, []);

  // The quiet connection had its marker pushes and no option event.
  let markers = 0;
  while (markers < ticks) {
    const frame = await raw.next();
    assert(frame.protoId !== 3310, "no Qot_UpdateOptionEvent without recvNotify");
    if (frame.protoId === 3450) markers++;
  }
});
