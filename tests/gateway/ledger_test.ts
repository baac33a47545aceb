/**
 * Order fees, cash flows, margin ratios, maximum quantities and history through
 * `Gateway` against the simulator over TCP: fees follow the published
 * schedules and are what the cash and the cash flows show; the largest margin
 * buy is exactly what the order check accepts; and, as the SDK sends them
 * (header market 0, filterConditions), cancel-all and the order and fill
 * queries of a universal account span its markets.
 */
import { assert, assertEquals, assertRejects } from "../helpers/assert.ts";
import { connect, eventually, REAL_HK, REAL_US, startSim, US_MORNING } from "../helpers/sim.ts";
import {
  type Gateway,
  md5Hex,
  OpenDError,
  type Order,
  type OrderFee,
  type PlaceOrderInput,
  type TradeTarget,
} from "../../src/gateway/mod.ts";
import { Trd_Common_ModifyOrderOp, Trd_Common_TrdMarket } from "../../src/gateway/proto/messages.ts";
import { securityBySymbol } from "../../src/sim/catalog.ts";

const cents = (v: number) => Math.round(v * 100 + 1e-9) / 100;

/** Futu Securities' HK stock schedule, written out independently of the simulator's. */
function hkStockFees(value: number): Record<string, number> {
  return {
    "Commission": cents(Math.max(value * 0.0003, 3)),
    "Platform Fee": 15,
    "Stamp Duty": Math.ceil(value * 0.001 - 1e-9),
    "SFC Levy": cents(value * 0.000027),
    "AFRC Levy": cents(value * 0.0000015),
    "Trading Fee": cents(Math.max(value * 0.0000565, 0.01)),
    "Settlement Fee": cents(Math.min(Math.max(value * 0.00002, 2), 100)),
  };
}

function itemsOf(fee: OrderFee): Record<string, number> {
  return Object.fromEntries(fee.items.map((i) => [i.title, i.value]));
}

async function filled(gateway: Gateway, target: TradeTarget, orderId: string): Promise<Order> {
  let order: Order | undefined;
  await eventually(async () => {
    [order] = await gateway.trade.getOrders(target, { filter: { ids: [orderId] } });
    return order?.status === "FILLED_ALL";
  });
  return order!;
}

/** Places a limit order at `price`, or a market order without one. */
function place(
  gateway: Gateway,
  target: TradeTarget,
  side: PlaceOrderInput["side"],
  symbol: string,
  qty: number,
  price?: number,
) {
  const order: PlaceOrderInput = price === undefined
    ? { symbol, side, orderType: "MARKET", qty }
    : { symbol, side, orderType: "NORMAL", qty, price };
  return gateway.trade.placeOrder(target, order);
}

async function marketBuy(gateway: Gateway, target: TradeTarget, symbol: string, qty: number) {
  const placed = await place(gateway, target, "BUY", symbol, qty);
  return { placed, order: await filled(gateway, target, placed.orderId) };
}

Deno.test("a real HK buy pays the published schedule, and its fees, the cash and the cash flows agree", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  await gateway.trade.unlockTrade(true, md5Hex("123456"));
  const { placed, order } = await marketBuy(gateway, REAL_HK, "HK.00700", 100);
  const value = order.fillQty! * order.fillAvgPrice!;
  const [fee] = await gateway.ledger.orderFees(REAL_HK, [placed.orderIdEx!]);
  const expected = hkStockFees(value);
  assertEquals(itemsOf(fee), expected);
  assertEquals(fee.total, cents(Object.values(expected).reduce((a, b) => a + b, 0)));

  const funds = await gateway.trade.getFunds(REAL_HK);
  const hkd = funds.cashByCurrency.find((c) => c.currency === "HKD")!.cash;
  assertEquals(hkd, cents(1_000_000 - value - fee.total));

  const flows = await gateway.ledger.cashFlows(REAL_HK, "2026-11-26");
  const hkdFlows = flows.filter((f) => f.currency === "HKD");
  assertEquals(cents(hkdFlows.reduce((sum, f) => sum + f.amount, 0)), hkd, "the day's HKD flows are the HKD cash");
  assertEquals(hkdFlows.map((f) => f.type), ["Deposit", "Stock Buy", ...Object.keys(expected)]);
  const buy = hkdFlows.find((f) => f.type === "Stock Buy")!;
  assertEquals([buy.amount, buy.direction, buy.settlementDate], [-cents(value), "OUT", "2026-11-30"]); // T+2
  assertEquals(
    (await gateway.ledger.cashFlows(REAL_HK, "2026-11-26", "IN")).map((f) => [f.type, f.amount]),
    [["Deposit", 1_000_000]],
  );
  // The USD deposit is dated in New York, where it was still 25 November.
  assertEquals((await gateway.ledger.cashFlows(REAL_HK, "2026-11-25")).map((f) => [f.currency, f.amount]), [
    ["USD", 100_000],
  ]);
  await assertRejects(() => gateway.ledger.cashFlows(REAL_HK, "26/11/2026"), OpenDError, "YYYY-MM-DD");
});

Deno.test("an order filled in parts pays the per-order minimums once", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  await gateway.trade.unlockTrade(true, md5Hex("123456"));
  const price = sim.market.orderBook(securityBySymbol("HK.00700")!, 1).asks[0].price;
  const placed = await place(gateway, REAL_HK, "BUY", "HK.00700", 5000, price + 2);
  let order: Order | undefined;
  for (let minute = 0; minute < 120 && order?.status !== "FILLED_ALL"; minute++) {
    sim.clock.advance(60_000);
    sim.trading.step();
    [order] = await gateway.trade.getOrders(REAL_HK, { filter: { ids: [placed.orderId] } });
  }
  const fills = await gateway.trade.getOrderFills(REAL_HK, { filter: { symbols: ["HK.00700"] } });
  assert(fills.length >= 2, `filled in ${fills.length} part(s)`);
  const value = fills.reduce((sum, f) => sum + f.qty * f.price, 0);
  const [fee] = await gateway.ledger.orderFees(REAL_HK, [placed.orderIdEx!]);
  assertEquals(itemsOf(fee), hkStockFees(value));
  const flows = (await gateway.ledger.cashFlows(REAL_HK, "2026-11-26")).filter((f) =>
    f.remark?.includes(placed.orderIdEx!)
  );
  assertEquals(flows.filter((f) => f.type === "Platform Fee").map((f) => f.amount), [-15]);
  const feeFlows = flows.filter((f) => !f.type.startsWith("Stock"));
  assertEquals(cents(feeFlows.reduce((sum, f) => sum - f.amount, 0)), fee.total);
});

Deno.test("a moomoo US sell pays only the SEC fee and FINRA TAF; paper accounts have no fees or cash flows", async () => {
  await using sim = await startSim({ at: US_MORNING });
  await using gateway = await connect(sim);
  await gateway.trade.unlockTrade(true, md5Hex("123456"));
  const placed = await place(gateway, REAL_US, "SELL", "US.AAPL", 20);
  const order = await filled(gateway, REAL_US, placed.orderId);
  const value = order.fillQty! * order.fillAvgPrice!;
  const [fee] = await gateway.ledger.orderFees(REAL_US, [placed.orderIdEx!]);
  assertEquals(itemsOf(fee), { "SEC Fee": cents(Math.max(value * 0.0000278, 0.01)), "FINRA TAF": 0.01 });
  const day = order.createTime.slice(0, 10);
  assertEquals(day, "2026-11-25");
  const flows = await gateway.ledger.cashFlows(REAL_US, day);
  // T+1, over Thanksgiving (26 November).
  assertEquals(flows.find((f) => f.type === "Stock Sell")?.settlementDate, "2026-11-27");
  const paper = { accId: "6234568", env: "SIMULATE", market: "US" } as const;
  await assertRejects(() => gateway.ledger.cashFlows(paper, day), OpenDError, "Paper trading");
  await assertRejects(() => gateway.ledger.orderFees(paper, ["FT1"]), OpenDError, "Paper trading");
  await assertRejects(() => gateway.ledger.orderFees(REAL_US, ["FT-none"]), OpenDError, "does not exist");
});

Deno.test("margin ratios per security, and the largest margin buy and short sale are what the order check accepts", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  await gateway.trade.unlockTrade(true, md5Hex("123456"));
  const ratios = await gateway.ledger.marginRatios(REAL_HK, ["HK.00700", "US.TSLA", "HK.28123"]);
  assertEquals(ratios.map((r) => [r.symbol, r.longPermit, r.shortPermit]), [
    ["HK.00700", true, false],
    ["US.TSLA", true, true],
    ["HK.28123", false, false],
  ]);
  for (const r of ratios) {
    assert(r.imLong! > r.alertLong! && r.alertLong! > r.mcmLong! && r.mcmLong! > r.mmLong!, JSON.stringify(r));
  }
  const tsla = ratios[1];
  assert(tsla.shortPoolRemain! > 0 && tsla.shortFeeRate! > 0 && tsla.imShort! > tsla.imLong!);
  assertEquals(ratios[2].imLong, 100, "a warrant is paid in full");
  const [cashAccount] = await gateway.ledger.marginRatios(REAL_US, ["US.AAPL"]);
  assertEquals([cashAccount.longPermit, cashAccount.shortPermit], [false, false]);
  await assertRejects(() => gateway.ledger.marginRatios(REAL_HK, ["HK.800000"]), OpenDError, "is an index");

  const tslaPrice = Math.round(sim.market.currentPrice(securityBySymbol("US.TSLA")!) * 1.5);
  const s = await gateway.trade.getMaxTrdQtys({ ...REAL_HK, market: "US" }, {
    symbol: "US.TSLA",
    orderType: "NORMAL",
    price: tslaPrice,
  });
  assert(s.maxSellShort! > 0 && s.maxSellShort! <= tsla.shortPoolRemain!, JSON.stringify(s));
  const short = (qty: number) => place(gateway, { ...REAL_HK, market: "US" }, "SELL_SHORT", "US.TSLA", qty, tslaPrice);
  await assertRejects(() => short(s.maxSellShort! + 1), OpenDError, "Insufficient buying power");
  await short(s.maxSellShort!);

  // A resting limit buy: the price is well under the market, so nothing fills while the test looks.
  const price = Math.round(sim.market.currentPrice(securityBySymbol("HK.00700")!) * 0.8 / 0.2) * 0.2;
  const limit = Number(price.toFixed(1));
  const q = await gateway.trade.getMaxTrdQtys(REAL_HK, { symbol: "HK.00700", orderType: "NORMAL", price: limit });
  const im = ratios[0].imLong! / 100;
  assert(q.maxCashAndMarginBuy! > q.maxCashBuy, JSON.stringify(q));
  // Cash plus the loan value of the position (500 HK.00700), at the stock's own initial ratio.
  const funds = await gateway.trade.getFunds(REAL_HK);
  const [position] = await gateway.trade.getPositions(REAL_HK);
  const excess = funds.cash - funds.frozenCash + position.val * (1 - im);
  const expected = Math.floor(excess / (limit * im) / 100) * 100;
  assert(Math.abs(q.maxCashAndMarginBuy! - expected) <= 100, `${q.maxCashAndMarginBuy} vs ${expected}`);
  const buy = (qty: number) => place(gateway, REAL_HK, "BUY", "HK.00700", qty, limit);
  await assertRejects(() => buy(q.maxCashAndMarginBuy! + 100), OpenDError, "Insufficient buying power");
  await buy(q.maxCashAndMarginBuy!);
});

Deno.test("cancel-all as the SDK sends it without a market (header trdMarket 0) cancels every market's orders", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  await gateway.trade.unlockTrade(true, md5Hex("123456"));
  const hk = await place(gateway, REAL_HK, "SELL", "HK.00700", 100, 900);
  const us = await place(gateway, { ...REAL_HK, market: "US" }, "BUY", "US.AAPL", 1, 10);
  await gateway.client.requestWrite("Trd_ModifyOrder", (packetID) => ({
    packetID,
    header: { trdEnv: 1, accID: REAL_HK.accId, trdMarket: 0 },
    orderID: "0",
    modifyOrderOp: Trd_Common_ModifyOrderOp.Cancel,
    forAll: true,
  }));
  const s2c = await gateway.client.request("Trd_GetOrderList", {
    header: { trdEnv: 1, accID: REAL_HK.accId, trdMarket: 0 },
  });
  const status = new Map(s2c.orderList?.map((o) => [o.orderID, o.orderStatus]));
  assertEquals([status.get(hk.orderId), status.get(us.orderId)], [15, 15]); // OrderStatus_Cancelled_All

  // With a market, only that market's.
  const hk2 = await place(gateway, REAL_HK, "SELL", "HK.00700", 100, 900);
  const us2 = await place(gateway, { ...REAL_HK, market: "US" }, "BUY", "US.AAPL", 1, 10);
  await gateway.trade.cancelAllOrders({ ...REAL_HK, market: "US" });
  const after = await gateway.trade.getOrders(REAL_HK, { filter: { ids: [hk2.orderId, us2.orderId] } });
  assertEquals(after.map((o) => [o.orderId, o.status]), [[hk2.orderId, "SUBMITTED"], [us2.orderId, "CANCELLED_ALL"]]);
});

/** Wednesday 25 November 2026, 10:30 in Hong Kong; New York trades (US_MORNING) before that day ends in Hong Kong. */
const HK_WEDNESDAY = Date.parse("2026-11-25T02:30:00Z");
const HK_MIDNIGHT = Date.parse("2026-11-25T16:00:00Z");

Deno.test("a universal account's order and fill queries span its markets and honour filterConditions", async () => {
  assert(US_MORNING > HK_WEDNESDAY && US_MORNING < HK_MIDNIGHT);
  await using sim = await startSim({ at: HK_WEDNESDAY });
  await using gateway = await connect(sim);
  await gateway.trade.unlockTrade(true, md5Hex("123456"));
  const US = { ...REAL_HK, market: "US" } as const;
  const hk = await marketBuy(gateway, REAL_HK, "HK.00700", 100);
  const resting = await place(gateway, US, "BUY", "US.AAPL", 1, 10);
  // Right after it is placed, the US order is in the account's list whatever market the query names.
  for (const trdMarket of [Trd_Common_TrdMarket.HK, 0, Trd_Common_TrdMarket.US]) {
    const s2c = await gateway.client.request("Trd_GetOrderList", {
      header: { trdEnv: 1, accID: REAL_HK.accId, trdMarket },
    });
    assertEquals(s2c.orderList?.map((o) => o.orderID), [hk.placed.orderId, resting.orderId], `header ${trdMarket}`);
  }
  const orders = async (filterConditions: Record<string, unknown>) =>
    (await gateway.client.request("Trd_GetOrderList", {
      header: { trdEnv: 1, accID: REAL_HK.accId, trdMarket: Trd_Common_TrdMarket.HK },
      filterConditions,
    })).orderList?.map((o) => o.orderID);
  assertEquals(await orders({ filterMarket: Trd_Common_TrdMarket.US }), [resting.orderId]);
  assertEquals(await orders({ codeList: ["AAPL"] }), [resting.orderId]);
  assertEquals(await orders({ idList: [hk.placed.orderId] }), [hk.placed.orderId]);
  assertEquals(await orders({ orderIDExList: [resting.orderIdEx] }), [resting.orderId]);
  assertEquals(await orders({ beginTime: "2026-11-25 11:00:00", endTime: "2026-11-25 12:00:00" }), []);
  assertEquals(await orders({ filterMarket: Trd_Common_TrdMarket.HK, codeList: ["AAPL"] }), []);

  // A US fill at the US open: the fill list, today's and the history's, has both markets' fills.
  sim.clock.set(US_MORNING);
  const us = await marketBuy(gateway, US, "US.AAPL", 1);
  const fills = async (protocol: "Trd_GetOrderFillList" | "Trd_GetHistoryOrderFillList", filter = {}) =>
    (await gateway.client.request(protocol, {
      header: { trdEnv: 1, accID: REAL_HK.accId, trdMarket: Trd_Common_TrdMarket.HK },
      filterConditions: { beginTime: "2026-11-25 00:00:00", endTime: "2026-11-25 23:59:59", ...filter },
    })).orderFillList?.map((f) => f.orderID);
  assertEquals(await fills("Trd_GetOrderFillList"), [hk.placed.orderId, us.placed.orderId]);
  assertEquals(await fills("Trd_GetHistoryOrderFillList"), [hk.placed.orderId, us.placed.orderId]);
  assertEquals(await fills("Trd_GetHistoryOrderFillList", { filterMarket: Trd_Common_TrdMarket.US }), [
    us.placed.orderId,
  ]);
  assertEquals(await fills("Trd_GetOrderFillList", { codeList: ["00700"] }), [hk.placed.orderId]);

  // The typed history calls: every market unless one is asked for.
  const day = { begin: "2026-11-25", end: "2026-11-25" };
  // Market-local dates: the resting US order was placed on the evening of 24 November in New York.
  assertEquals((await gateway.ledger.historyOrders(REAL_HK, day)).map((o) => o.orderId), [
    hk.placed.orderId,
    us.placed.orderId,
  ]);
  assertEquals(
    (await gateway.ledger.historyOrders(REAL_HK, { begin: "2026-11-24", end: "2026-11-25" })).map((o) => o.market),
    ["HK", "US", "US"],
  );
  assertEquals(
    (await gateway.ledger.historyOrders(REAL_HK, { ...day, market: "US", statuses: ["FILLED_ALL"] })).map(
      (o) => o.orderId,
    ),
    [us.placed.orderId],
  );
  assertEquals((await gateway.ledger.historyFills(REAL_HK, { ...day, symbols: ["US.AAPL"] })).map((f) => f.orderId), [
    us.placed.orderId,
  ]);
  await assertRejects(
    () =>
      gateway.client.request("Trd_GetOrderList", {
        header: { trdEnv: 1, accID: REAL_HK.accId, trdMarket: 1 },
        filterConditions: { filterMarket: 99 },
      }),
    OpenDError,
    "filterMarket",
  );
});
