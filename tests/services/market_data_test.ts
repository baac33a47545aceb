/** Subscriptions made on demand, and the quota kept by releasing the least recently used. */
import { assert, assertEquals, assertRejects } from "../helpers/assert.ts";
import { connect, eventually, startSim } from "../helpers/sim.ts";
import { MarketDataService, QuotaExhaustedError } from "../../src/services/market_data.ts";

Deno.test("reads subscribe once; when the quota runs short the least recently used old subscription is released", async () => {
  // The service keeps OpenD's minimum hold itself, on its own clock; the simulator lets any unsubscribe through.
  await using sim = await startSim({ subscriptionQuota: 2, minSubscriptionMs: 0 });
  await using gateway = await connect(sim);
  let now = Date.parse("2026-11-26T02:30:00Z");
  const market = new MarketDataService(gateway, { minHoldMs: 100, now: () => now });
  const start = now;
  await market.quotes(["HK.00700"]);
  now += 1;
  await market.quotes(["HK.09988"]);
  now += 1;
  const requests = sim.requestCount;
  await market.quotes(["HK.00700"]); // HK.00700 is now the most recently used
  assertEquals(sim.requestCount - requests, 1, "a second read does not subscribe again");
  assertEquals((await market.subscriptionInfo()).totalUsedQuota, 2);
  now = start + 99; // neither has been held for the minimum
  await assertRejects(() => market.quotes(["US.AAPL"]), QuotaExhaustedError, "more in 1 s");
  now = start + 101; // both have
  await market.quotes(["US.AAPL"]);
  const held = gateway.quote.subscriptions.map((s) => s.symbol).sort();
  assertEquals(held, ["HK.00700", "US.AAPL"], "HK.09988, least recently used, was released");
  await market.orderBook("HK.00700", 5).catch(() => {});
  assertEquals((await market.subscriptionInfo()).totalUsedQuota, 2, "never above the quota");
});

Deno.test("concurrent reads share subscriptions and never race past the quota", async () => {
  await using sim = await startSim({ subscriptionQuota: 3 });
  await using gateway = await connect(sim);
  const market = new MarketDataService(gateway);
  const results = await Promise.allSettled(
    ["HK.00700", "HK.09988", "US.AAPL", "HK.00700", "HK.09988", "US.AAPL"].map((s) => market.quotes([s])),
  );
  assertEquals(results.filter((r) => r.status === "fulfilled").length, 6);
  assertEquals((await market.subscriptionInfo()).totalUsedQuota, 3);
});

Deno.test("a subscription lost in a reconnect replay is made again transparently", async () => {
  await using sim = await startSim();
  const warnings: string[] = [];
  await using gateway = await connect(sim, { requestTimeoutMs: 300, onWarning: (w) => warnings.push(w) });
  const market = new MarketDataService(gateway);
  await market.quotes(["HK.00700"]);
  const before = gateway.client.connection!.connId;
  // The replay's Qot_Sub gets no reply: it times out and the client drops the subscription.
  sim.faults.dropNextReply("Qot_Sub");
  await sim.restart(0);
  await eventually(
    () => gateway.client.state === "ready" && gateway.client.connection?.connId !== before,
    3000,
    "the reconnect",
  );
  assert(warnings.some((w) => w.includes("could not re-subscribe QUOTE HK.00700")), warnings.join("\n"));
  assertEquals(gateway.quote.subscriptions, [], "the replay lost the subscription");
  const [quote] = await market.quotes(["HK.00700"]);
  assertEquals(quote.symbol, "HK.00700");
  assertEquals(gateway.quote.subscriptions.map((s) => `${s.symbol}|${s.subType}`), ["HK.00700|QUOTE"]);
});
