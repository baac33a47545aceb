/**
 * Demo: starts the simulated OpenD in-process, connects the OpenD client over
 * real TCP and prints a tour of the gateway: state, quotes, candles, the order
 * book, and a simulated order until it fills.
 *
 *   deno task demo:wire
 *
 * @module
 */
import { Gateway } from "../src/gateway/mod.ts";
import { DEMO_CLOCK_START, simClockFrom } from "../src/sim/options.ts";
import { SimServer } from "../src/sim/server.ts";

const sim = await SimServer.start({ port: 0, clock: simClockFrom(DEMO_CLOCK_START, 1), tickMs: 250 });
const gateway = await Gateway.connect({ gateway: sim.address });
const print = (title: string, value: unknown) => console.log(`\n## ${title}\n${JSON.stringify(value, null, 2)}`);

try {
  console.log(`Simulated OpenD on ${sim.address}; market clock ${DEMO_CLOCK_START}`);
  print("Global state", await gateway.system.getGlobalState());
  await gateway.quote.subscribe(["HK.00700", "US.AAPL"], ["QUOTE", "K_DAY", "ORDER_BOOK"]);
  print(
    "Quotes",
    (await gateway.quote.getBasicQot(["HK.00700", "US.AAPL"])).map((q) => ({
      symbol: q.symbol,
      name: q.name,
      price: q.curPrice,
      lastClose: q.lastClosePrice,
      volume: q.volume,
      updated: q.updateTime,
    })),
  );
  const kl = await gateway.quote.getKL("HK.00700", "K_DAY", 5);
  print(
    "HK.00700 daily candles [time, open, high, low, close, volume]",
    kl.klines.map((k) => [k.time.slice(0, 10), k.open, k.high, k.low, k.close, k.volume]),
  );
  print("HK.00700 order book", await gateway.quote.getOrderBook("HK.00700", 3));

  const account = (await gateway.trade.getAccList()).find((a) => a.env === "SIMULATE" && a.markets.includes("HK"))!;
  const target = { accId: account.accId, env: account.env, market: "HK" as const };
  await gateway.trade.subAccPush([account.accId]);
  const filled = new Promise<void>((resolve) =>
    gateway.trade.onOrderUpdate((u) => {
      console.log(`  push: order ${u.order.orderId} ${u.order.status} filled ${u.order.fillQty}/${u.order.qty}`);
      if (u.order.status === "FILLED_ALL") resolve();
    })
  );
  console.log(`\n## Simulated order on paper account ${account.accId}: BUY 100 HK.00700 at market`);
  const placed = await gateway.trade.placeOrder(target, {
    symbol: "HK.00700",
    side: "BUY",
    orderType: "MARKET",
    qty: 100,
  });
  await filled;
  const [order] = await gateway.trade.getOrders(target, { filter: { ids: [placed.orderId] } });
  print("Order", {
    orderId: order.orderId,
    status: order.status,
    fillQty: order.fillQty,
    fillAvgPrice: order.fillAvgPrice,
  });
  print("Positions", await gateway.trade.getPositions(target));
} finally {
  await gateway.close();
  await sim.close();
}
