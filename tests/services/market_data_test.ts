/** Subscriptions made on demand, and the quota kept by releasing the least recently used. */
import { assertEquals, assertRejects } from "../helpers/assert.ts";
import { connect, startSim } from "../helpers/sim.ts";
import { MarketDataService, QuotaExhaustedError } from "../../src/services/market_data.ts";

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

Deno.test("reads subscribe once; when the quota runs short the least recently used old subscription is released", async () => {
  await using sim = await startSim({ subscriptionQuota: 2, minSubscriptionMs: 100 });
  await using gateway = await connect(sim);
  const market = new MarketDataService(gateway, { minHoldMs: 100 });
  await market.quotes(["HK.00700"]);
  await market.quotes(["HK.09988"]);
  await market.quotes(["HK.00700"]); // HK.00700 is now the most recently used
  assertEquals((await market.subscriptionInfo()).totalUsedQuota, 2);
  await assertRejects(() => market.quotes(["US.AAPL"]), QuotaExhaustedError, "more in");
  await wait(120);
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
  await using gateway = await connect(sim);
  const market = new MarketDataService(gateway);
  await market.quotes(["HK.00700"]);
  await sim.restart(0);
  await new Promise((resolve) => setTimeout(resolve, 300));
  const [quote] = await market.quotes(["HK.00700"]);
  assertEquals(quote.symbol, "HK.00700");
});
