/**
 * futucli's history, cash-flow, margin, fee and cancel-all commands as a real
 * process against the simulator: JSON output that agrees with the account,
 * exit codes, --confirm for a REAL cancel-all, and messages in futucli's terms.
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { connect, eventually, PAPER_HK, REAL_HK, startSim } from "../helpers/sim.ts";
import { futucli } from "../helpers/cli.ts";
import { md5Hex } from "../../src/gateway/mod.ts";

type Table = { columns: string[]; rows: (string | number | null)[][] };
const REAL = ["--env", "real", "--acc-id", REAL_HK.accId];

Deno.test("futucli history-orders, history-deals, cash-flow, margin-ratio, max-qty, order-fee, cancel-all", async (t) => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  await gateway.trade.unlockTrade(true, md5Hex("123456"));
  const placed = await gateway.trade.placeOrder(REAL_HK, {
    symbol: "HK.00700",
    side: "BUY",
    orderType: "MARKET",
    qty: 100,
  });
  await eventually(async () =>
    (await gateway.trade.getOrders(REAL_HK, { filter: { ids: [placed.orderId] } }))[0]?.status === "FILLED_ALL"
  );
  const run = (...args: string[]) => futucli(["--gateway", sim.address, ...args]);
  const json = async <T = Table>(...args: string[]) => {
    const result = await run("-o", "json", ...args);
    assertEquals(result.code, 0, result.stderr);
    return result.json<T>();
  };
  const day = ["--begin", "2026-11-26", "--end", "2026-11-26"];

  await t.step("history-orders and history-deals span the account's markets", async () => {
    const orders = await json<Table & { market: string }>("history-orders", ...REAL, ...day);
    assertEquals([orders.market, orders.rows.map((r) => r[0])], ["ALL", [placed.orderId]]);
    const filled = await json("history-orders", ...REAL, ...day, "--statuses", "FILLED_ALL", "CANCELLED_ALL");
    assertEquals(filled.rows.length, 1);
    const deals = await json("history-deals", ...REAL, ...day, "--symbols", "HK.00700");
    assertEquals(deals.rows.map((r) => r[1]), [placed.orderId]);
  });

  await t.step("order-fee and cash-flow agree with each other and with the cash", async () => {
    const fees = await json<{ orders: { order_id: string; total: number }[] }>("order-fee", placed.orderId, ...REAL);
    assertEquals(fees.orders[0].order_id, placed.orderId);
    const flow = await json<Table & { net: Record<string, number> }>("cash-flow", "2026-11-26", ...REAL);
    const charged = flow.rows.filter((r) => r[3] !== "Deposit" && !String(r[3]).startsWith("Stock"));
    assertEquals(Math.round(-charged.reduce((s, r) => s + (r[4] as number), 0) * 100) / 100, fees.orders[0].total);
    const funds = await json<{ funds: { cash_by_currency: Record<string, number> } }>("funds", ...REAL);
    assertEquals(flow.net.HKD, funds.funds.cash_by_currency.HKD);
    const text = await run("cash-flow", "2026-11-26", ...REAL, "--direction", "out");
    assertEquals(text.code, 0, text.stderr);
    assert(text.stdout.includes("Stamp Duty") && !text.stdout.includes("Deposit"), text.stdout);
  });

  await t.step("margin-ratio and max-qty", async () => {
    const ratios = await json<{ ratios: { symbol: string; short_ok: boolean }[] }>(
      "margin-ratio",
      "US.AAPL",
      "HK.00700",
      ...REAL,
    );
    assertEquals(ratios.ratios.map((r) => [r.symbol, r.short_ok]), [["US.AAPL", true], ["HK.00700", false]]);
    const max = await json<{ cash_buy: number; margin_buy: number; position_sell: number }>(
      "max-qty",
      "HK.00700",
      "--price",
      "300",
      ...REAL,
    );
    assert(max.margin_buy > max.cash_buy && max.position_sell === 600, JSON.stringify(max));
  });

  await t.step("cancel-all: paper by default; a REAL account needs --confirm", async () => {
    const paper = await gateway.trade.placeOrder(PAPER_HK, {
      symbol: "HK.00700",
      side: "BUY",
      orderType: "NORMAL",
      qty: 100,
      price: 300,
    });
    const all = await json<{ cancelled: number; orders: { order_id: string; status: string }[] }>("cancel-all");
    assertEquals([all.cancelled, all.orders], [1, [{
      order_id: paper.orderId,
      symbol: "HK.00700",
      status: "CANCELLED_ALL",
    }]]);
    await gateway.trade.placeOrder(REAL_HK, {
      symbol: "HK.00700",
      side: "SELL",
      orderType: "NORMAL",
      qty: 100,
      price: 900,
    });
    const refused = await run("cancel-all", ...REAL);
    assertEquals(refused.code, 3, refused.stderr);
    assert(refused.stderr.includes("add --confirm"), refused.stderr);
    const real = await json<{ market: string; cancelled: number }>("cancel-all", ...REAL, "--confirm");
    assertEquals([real.market, real.cancelled], ["ALL", 1]);
  });

  await t.step("bad input: exit 2, named in futucli's terms", async () => {
    const badDate = await run("cash-flow", "26/11/2026", ...REAL);
    assertEquals(badDate.code, 2, badDate.stderr);
    assert(badDate.stderr.includes("<date>"), badDate.stderr);
    const badPrice = await run("max-qty", "HK.00700", "--price", "abc", ...REAL);
    assertEquals(badPrice.code, 2, badPrice.stderr);
    assert(badPrice.stderr.includes("--price"), badPrice.stderr);
    const paperFee = await run("order-fee", placed.orderId);
    assert(paperFee.code !== 0 && paperFee.stderr.includes("futucli history-orders"), paperFee.stderr);
  });
});
