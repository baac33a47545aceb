/**
 * The OpenD client against the simulator over real TCP on loopback: every
 * domain call, plain and encrypted links, pushes, reconnects, timeouts and
 * trade writes whose outcome is unknown.
 */
import { assert, assertEquals, assertRejects } from "../helpers/assert.ts";
import { connect, eventually, HK_MORNING, PAPER_HK, REAL_HK, REAL_US, startSim } from "../helpers/sim.ts";
import { rsaPem } from "../helpers/rsa.ts";
import {
  ConnectionLostError,
  GatewayClosedError,
  GatewayTimeoutError,
  GatewayUnavailableError,
  md5Hex,
  OpenDClient,
  OpenDError,
  RsaKey,
  type StateChange,
  TradeOutcomeUnknownError,
} from "../../src/gateway/mod.ts";

Deno.test("system calls: global state, ping and the connection id as a string", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const state = await gateway.system.getGlobalState();
  assertEquals(state.marketHK, "MORNING");
  assertEquals(state.marketUS, "AFTER_HOURS_END", "21:30 in New York");
  assertEquals(state.qotLogined, true);
  assertEquals(state.time, Math.floor(HK_MORNING / 1000));
  assertEquals(state.connId, gateway.client.connection!.connId);
  assert(/^\d+$/.test(state.connId!) && BigInt(state.connId!) > 2n ** 53n, "connID is a 64-bit id kept exact");
  const ping = await gateway.system.ping();
  assert(ping.rttMs >= 0 && ping.rttMs < 1000);
});

Deno.test("quote calls round-trip: subscribe, quote, K-lines, book, ticker, RT, broker, static, snapshot, plates", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const q = gateway.quote;
  await q.subscribe(["HK.00700"], ["QUOTE", "K_DAY", "K_1M", "ORDER_BOOK", "TICKER", "RT_DATA", "BROKER"]);

  const [quote] = await q.getBasicQot(["HK.00700"]);
  assertEquals(quote.symbol, "HK.00700");
  assertEquals(quote.name, "TENCENT");
  assert(quote.curPrice > 0 && quote.lowPrice <= quote.curPrice && quote.curPrice <= quote.highPrice);
  assertEquals(quote.updateTime, "2026-11-26 10:30:00");

  const daily = await q.getKL("HK.00700", "K_DAY", 5);
  assertEquals(daily.klines.length, 5);
  assertEquals(daily.klines.map((k) => k.time.slice(0, 10)), [
    "2026-11-20",
    "2026-11-23",
    "2026-11-24",
    "2026-11-25",
    "2026-11-26",
  ]);
  for (let i = 1; i < 5; i++) assertEquals(daily.klines[i].lastClose, daily.klines[i - 1].close);
  assertEquals(daily.klines[4].close, quote.curPrice);

  const minutes = await q.getKL("HK.00700", "K_1M", 30);
  assertEquals(minutes.klines.length, 30);
  assertEquals(minutes.klines.at(-1)!.time, "2026-11-26 10:31:00", "the running minute is labelled by its end");

  const book = await q.getOrderBook("HK.00700", 5);
  assertEquals(book.asks.length, 5);
  assert(book.bids[0].price < book.asks[0].price, "the book is not crossed");

  const ticks = await q.getTicker("HK.00700", 20);
  assertEquals(ticks.ticks.length, 20);
  assert(ticks.ticks.every((t, i) => i === 0 || BigInt(t.sequence) > BigInt(ticks.ticks[i - 1].sequence)));

  const rt = await q.getRT("HK.00700");
  assertEquals(rt.points[0].time, "2026-11-26 09:31:00");
  assert(rt.points.length >= 60);

  const brokers = await q.getBroker("HK.00700");
  assert(brokers.asks.length > 0 && brokers.bids.length > 0);

  const [warrant, option] = await q.getStaticInfo(["HK.28123", "US.AAPL270115C250000"]);
  assertEquals(warrant.warrant, { type: "BUY", owner: "HK.00700" });
  assertEquals(option.option?.strikePrice, 250);
  assertEquals(option.secType, "DRVT");

  const [snapshot] = await q.getSnapshot(["HK.00700"]);
  assertEquals(snapshot.lotSize, 100);
  assert(snapshot.highest52WeeksPrice! >= snapshot.lowest52WeeksPrice!);
  assert(snapshot.equity!.peRate > 0);

  const plates = await q.getPlateSet("HK", "INDUSTRY");
  assertEquals(plates.map((p) => p.plate), ["HK.BK1910"]);
  const members = await q.getPlateSecurity("HK.BK1910");
  assertEquals(members.map((m) => m.symbol), ["HK.00700", "HK.09988"]);

  const states = await q.getMarketState(["HK.00700", "US.AAPL"]);
  assertEquals(states.map((s) => s.state), ["MORNING", "AFTER_HOURS_END"]);

  const info = await q.getSubInfo();
  assertEquals(info.totalUsedQuota, 7);
  assertEquals(info.remainQuota, 93);
});

Deno.test("history K-lines page with an opaque key and count against the 30-day quota", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const first = await gateway.quote.requestHistoryKL("HK.00700", "K_1M", {
    begin: "2026-11-24",
    end: "2026-11-25",
    maxPerPage: 500,
  });
  assertEquals(first.klines.length, 500);
  assert(first.nextPageKey !== undefined);
  const all = await gateway.quote.requestHistoryKLAll("HK.00700", "K_1M", {
    begin: "2026-11-24",
    end: "2026-11-25",
    maxPerPage: 500,
  });
  assertEquals(all.klines.length, 660, "two full HK days of 330 minutes");
  assertEquals(all.nextPageKey, undefined);
  assertEquals(all.klines.slice(0, 500), first.klines);
  const times = all.klines.map((k) => k.time);
  assertEquals(new Set(times).size, times.length, "pages neither overlap nor repeat");
  const quota = await gateway.quote.getHistoryKLQuota(true);
  assertEquals(quota.usedQuota, 1);
  assertEquals(quota.detail.map((d) => d.symbol), ["HK.00700"]);
});

Deno.test("trade calls round-trip: accounts, funds, positions, orders, fills, max quantities, history", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const t = gateway.trade;
  const accounts = await t.getAccList();
  assertEquals(accounts.map((a) => a.accId), [
    "281756479345015383",
    "9007199254740993",
    "6234567",
    "6234568",
    "6234569",
  ]);
  assertEquals(accounts[1].env, "REAL");
  assertEquals(accounts[2].simAccType, "STOCK");

  const funds = await t.getFunds(REAL_US);
  assertEquals(funds.currency, "USD");
  assertEquals(funds.cash, 50_000);

  const [position] = await t.getPositions(REAL_HK);
  assertEquals([position.symbol, position.qty, position.costPrice], ["HK.00700", 500, 380]);

  const max = await t.getMaxTrdQtys(PAPER_HK, { symbol: "HK.00700", orderType: "NORMAL", price: 400 });
  assertEquals(max.maxCashBuy, 2500);

  await t.unlockTrade(true, md5Hex("123456"));
  const placed = await t.placeOrder(REAL_HK, { symbol: "HK.00700", side: "SELL", orderType: "MARKET", qty: 200 });
  assert(BigInt(placed.orderId) > 2n ** 53n, "order ids beyond 2^53 stay exact");
  await eventually(
    async () => (await t.getOrders(REAL_HK))[0]?.status === "FILLED_ALL",
    3000,
    "the market order to fill",
  );
  const fills = await t.getOrderFills(REAL_HK);
  assertEquals(fills.length, 1);
  assertEquals([fills[0].orderId, fills[0].qty, fills[0].symbol], [placed.orderId, 200, "HK.00700"]);
  const [after] = await t.getPositions(REAL_HK);
  assertEquals(after.qty, 300);
  const history = await t.getHistoryOrders(REAL_HK, { begin: "2026-11-26 00:00:00", end: "2026-11-26 23:59:59" });
  assertEquals(history.map((o) => o.orderId), [placed.orderId]);
  const historyFills = await t.getHistoryOrderFills(REAL_HK, { begin: "2026-11-26", end: "2026-11-26" });
  assertEquals(historyFills.map((f) => f.fillId), [fills[0].fillId]);
  const none = await t.getHistoryOrders(REAL_HK, { begin: "2026-11-20 00:00:00", end: "2026-11-21 00:00:00" });
  assertEquals(none, []);
});

Deno.test("pushes: quotes while subscribed, order updates and real fills for subscribed accounts", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const quotes: number[] = [];
  gateway.quote.onBasicQuote((q) => quotes.push(q.curPrice));
  await gateway.quote.subscribe(["HK.00700"], ["QUOTE"]);
  await eventually(() => quotes.length === 1, 2000, "the first push");
  sim.clock.advance(60_000);
  await eventually(() => quotes.length >= 2, 2000, "a push after the price moved");

  const statuses: string[] = [];
  const fills: number[] = [];
  gateway.trade.onOrderUpdate((u) => {
    assertEquals(u.accId, REAL_HK.accId);
    statuses.push(u.order.status);
  });
  gateway.trade.onFill((f) => fills.push(f.fill.qty));
  await gateway.trade.subAccPush([REAL_HK.accId]);
  await gateway.trade.unlockTrade(true, md5Hex("123456"));
  await gateway.trade.placeOrder(REAL_HK, { symbol: "HK.00700", side: "SELL", orderType: "MARKET", qty: 100 });
  await eventually(() => statuses.includes("FILLED_ALL"), 2000, "FILLED_ALL");
  assertEquals(statuses, ["SUBMITTING", "SUBMITTED", "FILLED_ALL"]);
  assertEquals(fills, [100]);
});

for (const aesMode of ["aes-cbc", "ftaes-ecb"] as const) {
  Deno.test(`encrypted link (RSA InitConnect, then ${aesMode}) carries requests and pushes`, async () => {
    const pem = rsaPem();
    await using sim = await startSim({ rsaKeyPem: pem });
    await using gateway = await connect(sim, { rsaKey: RsaKey.fromPem(pem), aesMode });
    assertEquals(gateway.client.connection!.encryption, aesMode);
    const pushes: string[] = [];
    gateway.quote.onBasicQuote((q) => pushes.push(q.symbol));
    await gateway.quote.subscribe(["US.AAPL"], ["QUOTE"]);
    const [quote] = await gateway.quote.getBasicQot(["US.AAPL"]);
    assertEquals(quote.symbol, "US.AAPL");
    await eventually(() => pushes.length > 0, 2000, "an encrypted push");
    assertEquals((await gateway.trade.getAccList()).length, 5);
  });
}

Deno.test("a plaintext client cannot talk to an encrypted OpenD, and a wrong key is detected", async () => {
  const log: string[] = [];
  await using sim = await startSim({ rsaKeyPem: rsaPem(), log: (m) => log.push(m) });
  await assertRejects(
    () => connect(sim, { reconnect: false, connectTimeoutMs: 2000 }),
    GatewayUnavailableError,
    "during InitConnect",
  );
  assert(log.some((l) => l.includes("InitConnect could not be RSA-decrypted")), log.join("\n"));
  log.length = 0;
  await assertRejects(
    () => connect(sim, { rsaKey: RsaKey.fromPem(rsaPem()), reconnect: false, connectTimeoutMs: 2000 }),
    GatewayUnavailableError,
    "during InitConnect",
  );
  assert(log.some((l) => l.includes("InitConnect could not be RSA-decrypted")), "the wrong key was detected");
});

Deno.test("OpenD errors arrive as OpenDError with OpenD's message", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const err = await assertRejects(() => gateway.quote.getBasicQot(["HK.00700"]), OpenDError, "not subscribed to QUOTE");
  assertEquals(err.retType, -1);
  assertEquals(err.protocol, "Qot_GetBasicQot");
  await assertRejects(() => gateway.quote.getStaticInfo(["HK.99999"]), OpenDError, "Unknown stock HK.99999");
  await assertRejects(
    () =>
      gateway.trade.placeOrder(REAL_HK, { symbol: "HK.00700", side: "BUY", orderType: "NORMAL", qty: 100, price: 400 }),
    OpenDError,
    "unlock trade first",
  );
  await assertRejects(() => gateway.trade.unlockTrade(true, md5Hex("wrong")), OpenDError, "Trade password incorrect");
});

Deno.test("after OpenD restarts the client reconnects, re-subscribes and re-registers account pushes", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const states: StateChange[] = [];
  gateway.client.onStateChange((s) => states.push(s));
  const quotes: string[] = [];
  gateway.quote.onBasicQuote((q) => quotes.push(q.symbol));
  const orders: string[] = [];
  gateway.trade.onOrderUpdate((u) => orders.push(u.order.status));
  await gateway.quote.subscribe(["HK.00700", "HK.09988"], ["QUOTE", "K_DAY"]);
  await gateway.trade.subAccPush([PAPER_HK.accId]);
  const oldConnId = gateway.client.connection!.connId;

  await sim.restart(50);
  assertEquals((await gateway.quote.getSubInfo(true).catch(() => undefined))?.totalUsedQuota ?? 0, 0);
  await eventually(() => gateway.client.state === "ready" && gateway.client.connection?.connId !== oldConnId);
  assertEquals(gateway.client.reconnectCount, 1);
  assert(states.some((s) => s.state === "reconnecting" && s.retryInMs !== undefined));

  const info = await gateway.quote.getSubInfo();
  assertEquals(info.totalUsedQuota, 4, "both symbols × both subtypes are subscribed again");
  const [quote] = await gateway.quote.getBasicQot(["HK.09988"]);
  assertEquals(quote.symbol, "HK.09988");
  quotes.length = 0;
  sim.clock.advance(60_000);
  await eventually(() => quotes.length > 0, 2000, "pushes after the reconnect");

  await gateway.trade.placeOrder(PAPER_HK, { symbol: "HK.00700", side: "BUY", orderType: "MARKET", qty: 100 });
  await eventually(() => orders.includes("FILLED_ALL"), 2000, "order pushes after the reconnect");
});

Deno.test("a read in flight when the connection drops fails at once with a retryable error", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  sim.faults.stallReplies(["GetGlobalState"]);
  const before = sim.requestCount;
  const pending = gateway.system.getGlobalState();
  // The request is in flight once the simulator has it (its reply is held).
  await eventually(() => sim.requestCount > before, 2000, "the request to reach the simulator");
  const started = Date.now();
  sim.faults.dropConnections();
  const err = await assertRejects(() => pending, ConnectionLostError);
  assert(err.retryable);
  assert(Date.now() - started < 1000, "failed fast, not at the request timeout");
  sim.faults.resumeReplies();
  await eventually(() => gateway.client.state === "ready");
  assertEquals((await gateway.system.getGlobalState()).qotLogined, true);
});

Deno.test("a request without a reply ends in a typed timeout", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim, { requestTimeoutMs: 200 });
  sim.faults.stallReplies(["Qot_GetStaticInfo"]);
  const started = Date.now();
  const err = await assertRejects(
    () => gateway.quote.getStaticInfo(["HK.00700"]),
    GatewayTimeoutError,
    "within 200 ms",
  );
  assert(err.retryable);
  assert(Date.now() - started >= 190);
  sim.faults.resumeReplies();
  assertEquals((await gateway.system.getGlobalState()).qotLogined, true, "the link is still usable");
});

Deno.test("a trade write whose reply is lost is reported as outcome unknown and never re-sent", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  sim.faults.closeBeforeNextReply("Trd_PlaceOrder");
  const err = await assertRejects(
    () =>
      gateway.trade.placeOrder(PAPER_HK, {
        symbol: "HK.00700",
        side: "BUY",
        orderType: "NORMAL",
        qty: 100,
        price: 400,
      }),
    TradeOutcomeUnknownError,
    "Check today's orders",
  );
  assertEquals(err.retryable, false);
  await eventually(() => gateway.client.state === "ready");
  // A re-send would go out on the new connection before this read (the simulator answers a link in order).
  const orders = await gateway.trade.getOrders(PAPER_HK);
  assertEquals(orders.length, 1, "the order exists exactly once: it reached OpenD and was not re-sent");
  const account = sim.trading.account(PAPER_HK.accId, PAPER_HK.env, PAPER_HK.market);
  assertEquals(sim.trading.todayOrders(account).length, 1, "the simulator holds exactly one order");

  const before = sim.requestCount;
  sim.faults.dropNextReply("Trd_ModifyOrder");
  await using slow = await connect(sim, { requestTimeoutMs: 300 });
  await assertRejects(
    () => slow.trade.modifyOrder(PAPER_HK, { orderId: orders[0].orderId, op: "CANCEL" }),
    TradeOutcomeUnknownError,
    "no reply within 300 ms",
  );
  assertEquals(sim.requestCount - before, 1, "exactly one ModifyOrder reached OpenD");
  assertEquals((await slow.trade.getOrders(PAPER_HK))[0].status, "CANCELLED_ALL");
});

Deno.test("a write queued while disconnected is refused as not sent (safe), not as unknown", async () => {
  await using sim = await startSim();
  const gateway = await connect(sim, { reconnect: false });
  await sim.restart(0);
  await eventually(() => gateway.client.state === "closed");
  const before = sim.requestCount;
  const err = await assertRejects(
    () => gateway.trade.placeOrder(PAPER_HK, { symbol: "HK.00700", side: "BUY", orderType: "MARKET", qty: 100 }),
    GatewayClosedError,
  );
  assert(!(err instanceof TradeOutcomeUnknownError), "not sent: a known outcome, not unknown");
  assertEquals(sim.requestCount, before, "nothing was sent");
  await gateway.close();
  await using fresh = await connect(sim);
  assertEquals((await fresh.trade.getOrders(PAPER_HK)).length, 0, "nothing reached OpenD");
});

Deno.test("keepalives keep an idle link open past OpenD's idle timeout", async () => {
  await using sim = await startSim({ keepAliveIntervalSec: 1, idleTimeoutMs: 1500 });
  const connectedAt = Date.now();
  await using gateway = await connect(sim);
  const connId = gateway.client.connection!.connId;
  const [session] = sim.sessions;
  const before = sim.requestCount;
  // The idle client sends nothing but KeepAlives (every 0.8 s): three of them take it past the 1.5 s idle timeout.
  await eventually(() => sim.requestCount >= before + 3, 5000, "three KeepAlives");
  assert(Date.now() - connectedAt > 1500, "the link outlived the idle timeout");
  assert(!session.closed, "the simulator did not close the link as idle");
  assertEquals(gateway.client.connection?.connId, connId, "no reconnect happened");
  assertEquals(gateway.client.reconnectCount, 0);
});

Deno.test("an unreachable gateway is a typed, retryable error naming the address", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const err = await assertRejects(
    () => OpenDClient.connect({ gateway: `127.0.0.1:${port}`, reconnect: false }),
    GatewayUnavailableError,
    `127.0.0.1:${port}`,
  );
  assert(err.retryable);
});

Deno.test("a background client retries until OpenD appears", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  await using client = new OpenDClient({
    gateway: `127.0.0.1:${port}`,
    reconnect: { initialDelayMs: 20, maxDelayMs: 50 },
  })
    .start();
  await eventually(() => client.state === "reconnecting");
  await assertRejects(
    () => client.request("GetGlobalState", { userID: "0" }),
    GatewayUnavailableError,
    "not connected",
  );
  await using _sim = await startSim({ port });
  await eventually(() => client.state === "ready", 3000, "the client to connect");
  const s2c = await client.request("GetGlobalState", { userID: "0" });
  assert(s2c.qotLogined);
});

Deno.test("every quote push type arrives while registered: K-line, ticker, RT, order book, broker", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const seen = new Set<string>();
  gateway.quote.onKLine((s) => seen.add(`KL:${s.klType}:${s.klines.length}`));
  gateway.quote.onTicker((s) => s.ticks.length > 0 && seen.add("TICKER"));
  gateway.quote.onRT((s) => s.points.length > 0 && seen.add("RT"));
  gateway.quote.onOrderBook((b) => b.asks.length === 10 && seen.add("ORDER_BOOK"));
  gateway.quote.onBroker((b) => b.bids.length > 0 && seen.add("BROKER"));
  await gateway.quote.subscribe(["HK.00700"], ["K_5M", "TICKER", "RT_DATA", "ORDER_BOOK", "BROKER"]);
  await eventually(() => seen.size === 5, 2000, "five push types");
  assertEquals([...seen].sort(), ["BROKER", "KL:K_5M:1", "ORDER_BOOK", "RT", "TICKER"]);
  const securities = await gateway.quote.listSecurities("US", "EQTY");
  assertEquals(securities.map((s) => s.symbol), ["US.AAPL", "US.TSLA", "US.NVDA"]);
});
