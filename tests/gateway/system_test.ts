/**
 * The system protocols through the gateway against the simulator over TCP:
 * market and global state, subscriptions and quotas, the user (whose quotas
 * and login match what the other protocols report) and the delay statistics
 * (checked against what the client itself saw and timed).
 */
import { assert, assertEquals, assertRejects } from "../helpers/assert.ts";
import { connect, eventually, HK_MORNING, PAPER_HK, startSim } from "../helpers/sim.ts";
import { OpenDError, type TickerSeries } from "../../src/gateway/mod.ts";

Deno.test("global state and market states follow the simulator's clock", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const global = await gateway.system.getGlobalState();
  assertEquals([global.marketHK, global.marketSH, global.marketUS], ["MORNING", "MORNING", "AFTER_HOURS_END"]);
  assertEquals(global.programStatus, "READY");
  assertEquals([global.qotLogined, global.trdLogined], [true, true]);
  assertEquals(global.time, HK_MORNING / 1000);
  assertEquals(global.connId, gateway.client.connection?.connId);
  const states = await gateway.quote.getMarketState(["HK.00700", "US.AAPL", "SZ.000001"]);
  assertEquals(states.map((s) => [s.symbol, s.state]), [
    ["HK.00700", "MORNING"],
    ["US.AAPL", "AFTER_HOURS_END"],
    ["SZ.000001", "MORNING"],
  ]);
  sim.clock.advance(2 * 3600_000); // 12:30 in Hong Kong: lunch break
  assertEquals((await gateway.quote.getMarketState(["HK.00700"]))[0].state, "REST");
});

Deno.test("GetUserInfo: the login of InitConnect and the quotas the subscription and K-line rules enforce", async () => {
  await using sim = await startSim({ subscriptionQuota: 300, historyQuota: 7 });
  await using gateway = await connect(sim);
  const user = await gateway.system.getUserInfo();
  assertEquals(user.userId, gateway.client.connection?.loginUserId);
  assertEquals([user.subQuota, user.historyKLQuota], [300, 7]);
  assertEquals(user.attribution, "HK");
  assert(user.nickName && user.avatarUrl?.startsWith("https://"));
  assertEquals([user.qotRights.HK, user.qotRights.US, user.qotRights.SH, user.qotRights.SZ], [
    "LEVEL2",
    "LEVEL2",
    "LEVEL2",
    "LEVEL2",
  ]);
  assertEquals(user.qotRights.JP, "NO", "no Japanese securities in the simulator");

  await gateway.quote.subscribe(["HK.00700"], ["QUOTE", "TICKER"], { push: false });
  const sub = await gateway.quote.getSubInfo();
  assertEquals(sub.totalUsedQuota + sub.remainQuota, user.subQuota);
  assertEquals(sub.totalUsedQuota, 2);

  await gateway.quote.requestHistoryKL("HK.00700", "K_DAY", { begin: "2026-01-01", end: "2026-02-01" });
  await gateway.quote.requestHistoryKL("US.AAPL", "K_DAY", { begin: "2026-01-01", end: "2026-02-01" });
  const quota = await gateway.quote.getHistoryKLQuota(true);
  assertEquals(quota.usedQuota + quota.remainQuota, user.historyKLQuota);
  assertEquals(quota.detail.map((d) => d.symbol), ["HK.00700", "US.AAPL"]);
});

Deno.test("GetSubInfo: this connection's pairs, every connection's, and one OpenD-wide quota", async () => {
  await using sim = await startSim({ subscriptionQuota: 10 });
  await using mine = await connect(sim);
  await using other = await connect(sim);
  await mine.quote.subscribe(["HK.00700"], ["QUOTE", "ORDER_BOOK"], { push: false });
  await other.quote.subscribe(["HK.00700", "US.AAPL"], ["QUOTE"], { push: false });
  const own = await mine.quote.getSubInfo();
  assertEquals(own.connections.length, 1);
  assertEquals(own.connections[0].isOwnConnection, true);
  assertEquals(own.connections[0].usedQuota, 2);
  assertEquals([own.totalUsedQuota, own.remainQuota], [3, 7], "HK.00700 QUOTE held twice costs one unit");
  const all = await mine.quote.getSubInfo(true);
  assertEquals(all.connections.map((c) => [c.isOwnConnection, c.usedQuota]).sort(), [[false, 2], [true, 2]]);
});

Deno.test("GetDelayStatistics: request times are the simulator's own, within what the client measured", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  // A connection handles one request at a time: the other work runs on its own.
  await using other = await connect(sim);
  for (let i = 0; i < 3; i++) await gateway.quote.getMarketState(["HK.00700"]);

  // A stalled reply: the simulator's figure covers the stall, and no more than the client's round trip.
  sim.faults.stallReplies(["Qot_GetStaticInfo"]);
  const before = sim.requestCount;
  const started = performance.now();
  const stalled = gateway.quote.getStaticInfo(["HK.00700"]);
  await eventually(() => sim.requestCount > before, 3000, "the request to arrive");
  const arrived = performance.now();
  await other.quote.requestHistoryKL("HK.00700", "K_1M", { begin: "2026-10-01", end: "2026-11-25" });
  const released = performance.now();
  sim.faults.resumeReplies();
  await stalled;
  const roundTrip = performance.now() - started;

  const stats = await gateway.system.getDelayStatistics({ types: ["REQ_REPLY"] });
  assertEquals(stats.pushes, []);
  const byName = new Map(stats.requests.map((r) => [r.protocol, r]));
  assertEquals(byName.get("Qot_GetMarketState")?.count, 3);
  assertEquals(byName.get("InitConnect"), undefined, "InitConnect is answered by the session, not timed");
  const staticInfo = byName.get("Qot_GetStaticInfo")!;
  assertEquals([staticInfo.protoId, staticInfo.count, staticInfo.localReply, staticInfo.netAvgMs], [3202, 1, true, 0]);
  assert(
    staticInfo.totalAvgMs >= released - arrived - 1 && staticInfo.totalAvgMs <= roundTrip + 1,
    `${staticInfo.totalAvgMs} ms within [${released - arrived}, ${roundTrip}]`,
  );
  assertEquals(staticInfo.openDAvgMs, staticInfo.totalAvgMs);
  assert(byName.get("Qot_RequestHistoryKL")!.totalAvgMs > 0);
});

Deno.test("GetDelayStatistics: quote push delays are print-to-push times on the market clock", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const pushed: TickerSeries[] = [];
  let quotes = 0;
  gateway.quote.onTicker((series) => pushed.push(series));
  gateway.quote.onBasicQuote(() => quotes++);
  await gateway.quote.subscribe(["HK.00700"], ["QUOTE", "TICKER"]);
  await eventually(() => pushed.length === 1 && quotes === 1, 3000, "the first pushes");
  const first = await gateway.system.getDelayStatistics({ types: ["QOT_PUSH"], pushStage: "SR2SS" });
  assertEquals(first.pushes.map((p) => [p.type, p.count]), [["PRICE", 0], ["TICKER", 0]], "first pushes replay cache");

  sim.clock.advance(90_000);
  const now = sim.clock.now();
  await eventually(() => pushed.length === 2 && quotes === 2, 3000, "the pushes after the clock moved");
  const prints = pushed[1].ticks;
  assert(prints.length > 1, "a minute and a half brings several prints");
  const delays = prints.map((t) => now - t.timestamp! * 1000);
  assert(delays.every((d) => d >= 0 && d <= 90_000));

  const segments = [1000, 5000, -1];
  const stats = await gateway.system.getDelayStatistics({ types: ["QOT_PUSH"], pushStage: "SR2SS", segments });
  const [price, ticker] = stats.pushes;
  assertEquals([price.type, ticker.type], ["PRICE", "TICKER"]);
  assertEquals(ticker.count, prints.length);
  const mean = delays.reduce((a, b) => a + b, 0) / delays.length;
  assert(Math.abs(ticker.avgMs - mean) < 0.01, `ticker average ${ticker.avgMs} = ${mean}`);
  assertEquals(ticker.buckets.map((b) => [b.beginMs, b.endMs]), [[0, 1000], [1000, 5000], [5000, null]]);
  assertEquals(ticker.buckets.map((b) => b.count), [
    delays.filter((d) => d < 1000).length,
    delays.filter((d) => d >= 1000 && d < 5000).length,
    delays.filter((d) => d >= 5000).length,
  ]);
  assert(Math.abs(ticker.buckets[2].cumulativePct - 100) < 1e-3);
  assertEquals(price.count, 1, "one quote push carried new prints");
  assert(Math.abs(price.avgMs - Math.min(...delays)) < 0.01, "measured from the newest print it carried");

  // Over the whole path the build and write time (wall clock) is added.
  const total = await gateway.system.getDelayStatistics({ types: ["QOT_PUSH"], pushStage: "SR2CS" });
  assert(total.pushes[1].avgMs >= ticker.avgMs - 0.01);
  const network = await gateway.system.getDelayStatistics({ types: ["QOT_PUSH"], pushStage: "SS2CR" });
  assertEquals(network.pushes[1].avgMs, 0, "the simulated quote server and OpenD are one process");
});

Deno.test("GetDelayStatistics: order placements, and OpenD's refusals of bad segments", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const started = performance.now();
  const placed = await gateway.trade.placeOrder(PAPER_HK, {
    symbol: "HK.00700",
    side: "BUY",
    orderType: "NORMAL",
    qty: 100,
    price: 300,
  });
  const roundTrip = performance.now() - started;
  const stats = await gateway.system.getDelayStatistics({ types: ["PLACE_ORDER"] });
  assertEquals(stats.orders.length, 1);
  const [order] = stats.orders;
  assertEquals(order.orderId, placed.orderId);
  assert(order.totalMs > 0 && order.totalMs <= roundTrip + 1, `${order.totalMs} ms ≤ ${roundTrip} ms`);
  assertEquals([order.netMs, order.updateMs], [0, 0], "submitted to the exchange while being placed");

  const bad = async (segments: number[], message: RegExp) => {
    const err = await assertRejects(() => gateway.system.getDelayStatistics({ segments }), OpenDError);
    assert(message.test(err.message), err.message);
  };
  await bad([10, 5], /rise strictly/);
  await bad([120], /multiple of 50/);
  await bad([6000], /beyond 5000/);
  await bad([-1, 10], /last segment/);
});
