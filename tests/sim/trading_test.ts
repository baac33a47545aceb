/** The simulated broker: fills, partial fills, triggers, modifications and realistic refusals. */
import { assert, assertEquals, assertRejects } from "../helpers/assert.ts";
import { connect, eventually, PAPER_HK, PAPER_US, REAL_HK, startSim, US_MORNING } from "../helpers/sim.ts";
import { type Gateway, md5Hex, OpenDError, type Order } from "../../src/gateway/mod.ts";
import { securityBySymbol } from "../../src/sim/catalog.ts";

const TENCENT = securityBySymbol("HK.00700")!;

/**
 * Advances the market a minute at a time until `done`, running the matching engine after each step. A round
 * trip through `gateway` after each step delivers the pushes the step sent (the link is in order).
 */
async function advanceUntil(
  sim: Awaited<ReturnType<typeof startSim>>,
  gateway: Gateway,
  done: () => boolean | Promise<boolean>,
  maxMinutes = 600,
) {
  for (let i = 0; i < maxMinutes; i++) {
    if (await done()) return i;
    sim.clock.advance(60_000);
    sim.trading.step();
    await gateway.system.getGlobalState();
  }
  throw new Error(`not done after ${maxMinutes} simulated minutes`);
}

Deno.test("a limit buy below the market waits, then fills when the simulated price crosses it", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const price = sim.market.currentPrice(TENCENT);
  const limit = Math.round((price - 0.2) * 5) / 5;
  const placed = await gateway.trade.placeOrder(PAPER_HK, {
    symbol: "HK.00700",
    side: "BUY",
    orderType: "NORMAL",
    qty: 100,
    price: limit,
  });
  const order = async () => (await gateway.trade.getOrders(PAPER_HK)).find((o) => o.orderId === placed.orderId)!;
  sim.trading.step(); // the matching engine runs at the current price: nothing to fill
  assertEquals((await order()).status, "SUBMITTED");
  const minutes = await advanceUntil(sim, gateway, async () => (await order()).status === "FILLED_ALL", 300);
  assert(minutes > 0, "it did not fill at once");
  const filled = await order();
  assert(filled.fillAvgPrice! <= limit, `filled at ${filled.fillAvgPrice}, limit ${limit}`);
  const funds = await gateway.trade.getFunds(PAPER_HK);
  assertEquals(funds.cash, 1_000_000 - filled.fillAvgPrice! * 100);
});

Deno.test("a large marketable order fills in parts as liquidity at the touch allows", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const statuses: string[] = [];
  gateway.trade.onOrderUpdate((u) => statuses.push(u.order.status));
  await gateway.trade.subAccPush([PAPER_HK.accId]);
  const price = sim.market.currentPrice(TENCENT);
  await gateway.trade.placeOrder(PAPER_HK, {
    symbol: "HK.00700",
    side: "BUY",
    orderType: "NORMAL",
    qty: 4000,
    price: price + 1,
  });
  await advanceUntil(sim, gateway, () => statuses.includes("FILLED_ALL"), 120);
  assert(statuses.filter((s) => s === "FILLED_PART").length >= 2, statuses.join(","));
  const [position] = await gateway.trade.getPositions(PAPER_HK);
  assertEquals(position.qty, 4000);
});

Deno.test("orders are refused for the reasons a broker refuses them", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const buy = (
    order: Partial<Parameters<typeof gateway.trade.placeOrder>[1]>,
    target: typeof PAPER_HK | typeof PAPER_US = PAPER_HK,
  ) =>
    gateway.trade.placeOrder(target, {
      symbol: "HK.00700",
      side: "BUY",
      orderType: "NORMAL",
      qty: 100,
      price: 400,
      ...order,
    });
  await assertRejects(() => buy({ qty: 50 }), OpenDError, "not a multiple of the lot size 100");
  await assertRejects(() => buy({ qty: 100_000 }), OpenDError, "Insufficient buying power");
  await assertRejects(() => buy({ price: 400.1 }), OpenDError, "not a valid price step");
  await assertRejects(() => buy({ side: "SELL" }), OpenDError, "Insufficient position: 0 HK.00700 can be sold");
  await assertRejects(() => buy({ orderType: "STOP", auxPrice: 410 }), OpenDError, "Paper trading supports only");
  await assertRejects(() => buy({ side: "SELL_SHORT" }), OpenDError, "Short selling is not supported for HK.00700");
  await assertRejects(() => buy({ symbol: "HK.800000", qty: 1 }), OpenDError, "is an index");
  await assertRejects(() => buy({ symbol: "US.AAPL", qty: 1 }), OpenDError, "does not trade in market HK");
  await assertRejects(() => buy({}, { ...PAPER_HK, accId: "999" } as never), OpenDError, "Account 999 does not exist");
  await assertRejects(() => buy({}, { ...PAPER_HK, env: "REAL" } as never), OpenDError, "is a SIMULATE account");
  await assertRejects(() => buy({}, { ...PAPER_HK, market: "US" } as never), OpenDError, "cannot trade market US");
  await assertRejects(
    () => buy({ orderType: "MARKET", symbol: "US.AAPL", qty: 1, price: undefined }, PAPER_US),
    OpenDError,
    "Market closed",
  );
  assertEquals((await gateway.trade.getOrders(PAPER_HK)).length, 0);
});

Deno.test("a limit order placed while the market is closed waits and is submitted at the open", async () => {
  await using sim = await startSim({ at: Date.parse("2026-11-28T04:00:00Z") }); // Saturday
  await using gateway = await connect(sim);
  const placed = await gateway.trade.placeOrder(PAPER_HK, {
    symbol: "HK.00700",
    side: "BUY",
    orderType: "NORMAL",
    qty: 100,
    price: 300,
  });
  const status = async () =>
    (await gateway.trade.getOrders(PAPER_HK)).find((o) => o.orderId === placed.orderId)!.status;
  assertEquals(await status(), "WAITING_SUBMIT");
  sim.clock.set(Date.parse("2026-11-30T01:31:00Z")); // Monday 09:31 in Hong Kong
  await eventually(async () => (await status()) === "SUBMITTED");
  sim.clock.set(Date.parse("2026-11-30T08:01:00Z")); // 16:01, after the close
  await eventually(async () => (await status()) === "CANCELLED_ALL", 2000, "the day order to expire");
});

Deno.test("modify and cancel: price and quantity changes, then cancellation", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const placed = await gateway.trade.placeOrder(PAPER_HK, {
    symbol: "HK.00700",
    side: "BUY",
    orderType: "NORMAL",
    qty: 100,
    price: 300,
  });
  await gateway.trade.modifyOrder(PAPER_HK, { orderId: placed.orderId, op: "NORMAL", qty: 200, price: 301 });
  let [order] = await gateway.trade.getOrders(PAPER_HK);
  assertEquals([order.qty, order.price, order.status], [200, 301, "SUBMITTED"]);
  await gateway.trade.modifyOrder(PAPER_HK, { orderIdEx: placed.orderIdEx, op: "CANCEL" });
  [order] = await gateway.trade.getOrders(PAPER_HK);
  assertEquals(order.status, "CANCELLED_ALL");
  await assertRejects(
    () => gateway.trade.modifyOrder(PAPER_HK, { orderId: placed.orderId, op: "CANCEL" }),
    OpenDError,
    "cannot be cancelled",
  );
  await assertRejects(
    () => gateway.trade.modifyOrder(PAPER_HK, { orderId: placed.orderId, op: "DISABLE" }),
    OpenDError,
    "Paper trading supports only NORMAL and CANCEL",
  );
  await assertRejects(() => gateway.trade.cancelAllOrders(PAPER_HK), OpenDError, "does not support cancelling all");
});

Deno.test("real accounts: unlock with the MD5, stop orders trigger, disable/enable/delete, cancel all", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  await assertRejects(
    () =>
      gateway.trade.placeOrder(REAL_HK, {
        symbol: "HK.00700",
        side: "SELL",
        orderType: "NORMAL",
        qty: 100,
        price: 500,
      }),
    OpenDError,
    "unlock trade first",
  );
  await gateway.trade.unlockTrade(true, md5Hex("123456"));
  const price = sim.market.currentPrice(TENCENT);
  const stop = await gateway.trade.placeOrder(REAL_HK, {
    symbol: "HK.00700",
    side: "SELL",
    orderType: "STOP",
    qty: 100,
    auxPrice: Math.round((price - 0.4) * 5) / 5,
  });
  const find = async (id: string): Promise<Order> =>
    (await gateway.trade.getOrders(REAL_HK)).find((o) => o.orderId === id)!;
  assertEquals((await find(stop.orderId)).status, "SUBMITTED");
  await advanceUntil(sim, gateway, async () => (await find(stop.orderId)).status === "FILLED_ALL");
  const fills = await gateway.trade.getOrderFills(REAL_HK);
  assertEquals(fills.map((f) => f.orderId), [stop.orderId]);

  const resting = await gateway.trade.placeOrder(REAL_HK, {
    symbol: "HK.00700",
    side: "SELL",
    orderType: "NORMAL",
    qty: 100,
    price: 600,
  });
  await gateway.trade.modifyOrder(REAL_HK, { orderId: resting.orderId, op: "DISABLE" });
  assertEquals((await find(resting.orderId)).status, "DISABLED");
  await gateway.trade.modifyOrder(REAL_HK, { orderId: resting.orderId, op: "ENABLE" });
  assertEquals((await find(resting.orderId)).status, "SUBMITTED");
  await assertRejects(
    () => gateway.trade.modifyOrder(REAL_HK, { orderId: resting.orderId, op: "DELETE" }),
    OpenDError,
    "cancel it before deleting",
  );
  await gateway.trade.cancelAllOrders(REAL_HK);
  assertEquals((await find(resting.orderId)).status, "CANCELLED_ALL");
  await gateway.trade.modifyOrder(REAL_HK, { orderId: resting.orderId, op: "DELETE" });
  assertEquals((await find(resting.orderId)).status, "DELETED");

  await gateway.trade.unlockTrade(false);
  await assertRejects(
    () =>
      gateway.trade.placeOrder(REAL_HK, {
        symbol: "HK.00700",
        side: "SELL",
        orderType: "NORMAL",
        qty: 100,
        price: 600,
      }),
    OpenDError,
    "unlock trade first",
  );
});

Deno.test("the unlock is OpenD-wide and is forgotten when OpenD restarts", async () => {
  await using sim = await startSim();
  await using a = await connect(sim);
  await using b = await connect(sim);
  await a.trade.unlockTrade(true, md5Hex("123456"));
  await b.trade.placeOrder(REAL_HK, { symbol: "HK.00700", side: "SELL", orderType: "NORMAL", qty: 100, price: 600 });
  const before = b.client.connection!.connId;
  await sim.restart(0);
  await eventually(() => b.client.state === "ready" && b.client.connection?.connId !== before, 3000, "the reconnect");
  await assertRejects(
    () => b.trade.placeOrder(REAL_HK, { symbol: "HK.00700", side: "SELL", orderType: "NORMAL", qty: 100, price: 600 }),
    OpenDError,
    "unlock trade first",
  );
  assertEquals((await b.trade.getOrders(REAL_HK)).length, 1, "orders live at the broker and survive the restart");
});

Deno.test("US paper trading allows short selling; a short is bought back", async () => {
  await using sim = await startSim({ at: US_MORNING });
  await using gateway = await connect(sim);
  await gateway.trade.placeOrder(PAPER_US, { symbol: "US.TSLA", side: "SELL_SHORT", orderType: "MARKET", qty: 10 });
  await eventually(async () => (await gateway.trade.getPositions(PAPER_US)).length === 1);
  const [short] = await gateway.trade.getPositions(PAPER_US);
  assertEquals([short.side, short.qty], ["SHORT", 10]);
  await gateway.trade.placeOrder(PAPER_US, { symbol: "US.TSLA", side: "BUY_BACK", orderType: "MARKET", qty: 10 });
  await eventually(async () => (await gateway.trade.getPositions(PAPER_US)).length === 0, 2000, "the short to close");
});
