/**
 * OpenD's write pacing (at least 20 ms between order writes, per OpenD, not per connection) across two clients
 * that do not share it: a write OpenD refused for coming too soon placed nothing, so it is waited for and sent
 * again, and every order is placed exactly once.
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { connect, PAPER_HK, startSim } from "../helpers/sim.ts";

Deno.test("two clients on one OpenD: a pacing refusal is resent, and each order is placed once", async () => {
  // The simulator enforces OpenD's limits (its default): 20 ms between Trd_PlaceOrder requests, 15 per 30 s.
  await using sim = await startSim();
  await using a = await connect(sim);
  await using b = await connect(sim);
  let sent = 0;
  sim.onRequest((protocol) => {
    if (protocol === "Trd_PlaceOrder") sent++;
  });
  const before = sim.trading.todayOrders(sim.trading.account(PAPER_HK.accId, "SIMULATE")).length;
  const order = { symbol: "HK.00700", side: "BUY", orderType: "NORMAL", qty: 100, price: 400 } as const;
  // Each client paces its own writes; the two together collide.
  const placed = await Promise.all(
    Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).trade.placeOrder(PAPER_HK, { ...order, remark: `p${i}` })),
  );
  const orders = sim.trading.todayOrders(sim.trading.account(PAPER_HK.accId, "SIMULATE")).slice(before);
  assertEquals(orders.length, 12, "every order placed");
  assertEquals(new Set(placed.map((p) => p.orderId)).size, 12);
  assertEquals(new Set(orders.map((o) => o.remark)).size, 12, "none placed twice");
  assert(sent > 12, `${sent} requests for 12 orders: some were refused for pacing and resent`);
});
