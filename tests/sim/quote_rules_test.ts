/** OpenD's subscription and history-quota rules in the simulator. */
import { assert, assertEquals, assertRejects } from "../helpers/assert.ts";
import { connect, eventually, HK_MORNING, startSim } from "../helpers/sim.ts";
import { OpenDError } from "../../src/gateway/mod.ts";

Deno.test("real-time getters need the matching subscription on the same connection", async () => {
  await using sim = await startSim();
  await using a = await connect(sim);
  await using b = await connect(sim);
  await a.quote.subscribe(["HK.00700"], ["QUOTE"]);
  await assertRejects(() => a.quote.getKL("HK.00700", "K_DAY", 5), OpenDError, "not subscribed to K_DAY");
  await assertRejects(() => a.quote.getOrderBook("HK.00700"), OpenDError, "ORDER_BOOK");
  await assertRejects(() => b.quote.getBasicQot(["HK.00700"]), OpenDError, "not subscribed to QUOTE");
  assertEquals((await a.quote.getBasicQot(["HK.00700"])).length, 1);
});

Deno.test("the quota is OpenD-wide and shared pairs cost one unit until the last holder leaves", async () => {
  // No minimum hold here (the next test has it): a unit is freed as soon as its last holder unsubscribes.
  await using sim = await startSim({ subscriptionQuota: 3, minSubscriptionMs: 0 });
  await using a = await connect(sim);
  await using b = await connect(sim);
  await a.quote.subscribe(["HK.00700", "HK.09988"], ["QUOTE"]);
  await b.quote.subscribe(["HK.00700"], ["QUOTE"]);
  assertEquals((await b.quote.getSubInfo()).totalUsedQuota, 2);
  await assertRejects(
    () => b.quote.subscribe(["US.AAPL", "US.TSLA"], ["QUOTE"]),
    OpenDError,
    "Subscription quota exceeded: 2 new subscription(s) requested, 1 of 3 left",
  );
  assertEquals((await b.quote.getSubInfo()).totalUsedQuota, 2, "a refused request subscribes nothing");
  await a.quote.unsubscribe(["HK.00700"], ["QUOTE"]);
  assertEquals((await a.quote.getSubInfo()).totalUsedQuota, 2, "b still holds HK.00700");
  await b.quote.unsubscribe(["HK.00700"], ["QUOTE"]);
  assertEquals((await a.quote.getSubInfo()).totalUsedQuota, 1);
  const all = await a.quote.getSubInfo(true);
  assertEquals(all.connections.length, 2);
  assertEquals(all.connections.filter((c) => c.isOwnConnection).length, 1);
});

Deno.test("no unsubscribe within the first minute; a closed connection keeps its units until then", async () => {
  await using sim = await startSim({ minSubscriptionMs: 400 });
  await using a = await connect(sim);
  await a.quote.subscribe(["HK.00700"], ["QUOTE", "TICKER"]);
  await assertRejects(
    () => a.quote.unsubscribe(["HK.00700"], ["QUOTE"]),
    OpenDError,
    "was subscribed less than 0.4 s ago",
  );
  await assertRejects(() => a.quote.unsubscribeAll(), OpenDError, "less than");
  const b = await connect(sim);
  const subscribedAt = Date.now();
  await b.quote.subscribe(["US.AAPL"], ["QUOTE"]);
  await b.close();
  await eventually(() => sim.sessions.size === 1);
  assertEquals((await a.quote.getSubInfo()).totalUsedQuota, 3, "the closed connection's unit lingers");
  // The simulator's hold runs on real time: wait for the release itself, then check it was not early.
  await eventually(
    async () => (await a.quote.getSubInfo()).totalUsedQuota === 2,
    3000,
    "the closed connection's unit to be released when its minute ended",
  );
  assert(Date.now() - subscribedAt >= 400, "not released before the minimum hold");
  await a.quote.unsubscribeAll();
  assertEquals((await a.quote.getSubInfo()).totalUsedQuota, 0);
});

Deno.test("pushes are sent only for registered pairs; registration can be switched off", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const pushed: string[] = [];
  gateway.quote.onBasicQuote((q) => pushed.push(q.symbol));
  const pushesOf = (symbol: string) => pushed.filter((s) => s === symbol).length;
  // HK.09988 is registered throughout: the simulator pushes every registered pair of a link in the same
  // tick, so once a HK.09988 push after the price moved is in, a registered HK.00700 was pushed too; a
  // round trip after it (the link delivers in order) makes sure that push has arrived.
  await gateway.quote.subscribe(["HK.09988"], ["QUOTE"]);
  await gateway.quote.subscribe(["HK.00700"], ["QUOTE"], { push: false });
  const tick = async (what: string) => {
    const seen = pushesOf("HK.09988");
    sim.clock.advance(60_000);
    await eventually(() => pushesOf("HK.09988") > seen, 2000, what);
    await gateway.system.getGlobalState();
  };
  await tick("a push after the price moved");
  assertEquals(pushesOf("HK.00700"), 0, "subscribed without registration: no pushes");
  await gateway.quote.registerPush(["HK.00700"], ["QUOTE"], true);
  await tick("a push after registering");
  assert(pushesOf("HK.00700") > 0, "registered: pushes");
  await gateway.quote.registerPush(["HK.00700"], ["QUOTE"], false);
  const registered = pushesOf("HK.00700");
  await tick("a push after switching registration off");
  assertEquals(pushesOf("HK.00700"), registered, "registration switched off: no more pushes");
  await assertRejects(() => gateway.quote.registerPush(["US.AAPL"], ["QUOTE"], true), OpenDError, "not subscribed");
});

Deno.test("subtypes a security cannot have are refused", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  await assertRejects(() => gateway.quote.subscribe(["US.AAPL"], ["BROKER"]), OpenDError, "only for HK securities");
  await assertRejects(() => gateway.quote.subscribe(["HK.800000"], ["ORDER_BOOK"]), OpenDError, "is an index");
  await assertRejects(() => gateway.quote.subscribe(["HK.12345"], ["QUOTE"]), OpenDError, "Unknown stock HK.12345");
});

Deno.test("the history quota counts distinct securities; repeats are free", async () => {
  await using sim = await startSim({ historyQuota: 2 });
  await using gateway = await connect(sim);
  const range = { begin: "2026-11-02", end: "2026-11-06" };
  await gateway.quote.requestHistoryKL("HK.00700", "K_DAY", range);
  await gateway.quote.requestHistoryKL("HK.00700", "K_WEEK", range);
  await gateway.quote.requestHistoryKL("US.AAPL", "K_DAY", range);
  await assertRejects(
    () => gateway.quote.requestHistoryKL("US.TSLA", "K_DAY", range),
    OpenDError,
    "History K-line quota exhausted",
  );
  const quota = await gateway.quote.getHistoryKLQuota();
  assertEquals([quota.usedQuota, quota.remainQuota], [2, 0]);
});

Deno.test("history requests validate their times and limits", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  await assertRejects(
    () => gateway.quote.requestHistoryKL("HK.00700", "K_DAY", { begin: "2026-11-30", end: "2026-11-01" }),
    OpenDError,
    "is after endTime",
  );
  await assertRejects(
    () => gateway.quote.requestHistoryKL("HK.00700", "K_DAY", { begin: "2026-02-30", end: "2026-03-01" }),
    OpenDError,
    "Invalid beginTime",
  );
  await assertRejects(() => gateway.quote.getKL("HK.00700", "K_DAY", 1001), OpenDError, "between 1 and 1000");
});

Deno.test("history depth: about two years of minutes and ten years of days", async () => {
  await using sim = await startSim({ historyQuota: 10 });
  await using gateway = await connect(sim);
  const old = await gateway.quote.requestHistoryKL("HK.00700", "K_1M", { begin: "2020-01-02", end: "2020-01-03" });
  assertEquals(old.klines.length, 0, "minute data does not reach back six years");
  const daily = await gateway.quote.requestHistoryKL("HK.00700", "K_DAY", { begin: "2020-01-02", end: "2020-01-03" });
  assertEquals(daily.klines.map((k) => k.time), ["2020-01-02 00:00:00", "2020-01-03 00:00:00"]);
  assert(HK_MORNING > Date.parse("2020-01-03"));
});
