/**
 * The history and margin toolsets and cancel-all through a spawned futu-mcp
 * over stdio and the MCP SDK's client: every tool called, each result
 * validated against its listed output schema with the SDK's own validator,
 * the content checked against the account (fees = the fee cash flows, net
 * cash flow = the cash), bad arguments named, idempotent repeats answered
 * from the first outcome.
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { spawnValidated, withConfirmation } from "../helpers/mcp.ts";
import { eventually } from "../helpers/sim.ts";
import { LEDGER_TOOLS } from "../../src/tools/ledger.ts";

type Json = Record<string, unknown>;
type Table = { columns: string[]; rows: (string | number | null)[][] };
const REAL = { acc_id: "281756479345015383", env: "real" };

Deno.test("history and margin tools, and cancel-all, over stdio: valid results that agree with the account", async () => {
  await using mcp = await spawnValidated(
    [
      ...["--gateway", "sim", "--sim-clock", "2026-11-26T10:30:00+08:00"],
      ...["--toolsets", "account,trade,history,margin", "--enable-trading", "--allow-real-trading"],
    ],
    { FUTU_TRADE_PWD: "123456" },
  );
  const { tools, call, failure, called } = mcp;
  const names = tools.map((t) => t.name);
  for (const tool of LEDGER_TOOLS) assert(names.includes(tool.name), `${tool.name} listed`);
  assert(names.includes("futu_cancel_all_order"));
  const byName = new Map(tools.map((t) => [t.name, t]));
  for (const tool of LEDGER_TOOLS) assertEquals(byName.get(tool.name)!.annotations?.readOnlyHint, true);
  assertEquals(byName.get("futu_cancel_all_order")!.annotations, {
    readOnlyHint: false,
    destructiveHint: true,
    idempotentHint: true,
    openWorldHint: true,
  });

  await call("futu_unlock_trade", { acc_ids: [REAL.acc_id] });
  // REAL writes: this client has no elicitation, so each is confirmed with the token its preview gave.
  const real = (name: string, args: Json) => withConfirmation(call, name, args);
  const placed = await call<{ order_id: string }>(
    "futu_place_order",
    await real("futu_place_order", { ...REAL, symbol: "HK.00700", side: "BUY", qty: 100, order_type: "MARKET" }),
  );
  await eventually(async () => {
    const orders = await call<Table>("futu_get_orders", { ...REAL, order_id: placed.order_id });
    return orders.rows[0]?.[4] === "FILLED_ALL";
  });

  const day = { begin: "2026-11-26", end: "2026-11-26" };
  const history = await call<Table & { market: string }>("futu_get_history_orders", { ...REAL, ...day });
  assertEquals(history.market, "ALL");
  const row = history.rows.find((r) => r[0] === placed.order_id)!;
  assertEquals([row[2], row[3], row[6]], ["HK", "HK.00700", "FILLED_ALL"]);
  const none = await call<Table>("futu_get_history_orders", { ...REAL, ...day, market: "US" });
  assertEquals(none.rows, []);
  const deals = await call<Table>("futu_get_history_deals", { ...REAL, ...day, symbols: ["HK.00700"] });
  assertEquals(deals.rows.map((r) => r[1]), [placed.order_id]);
  const [fill] = deals.rows;
  const value = (fill[4] as number) * (fill[5] as number);

  const fees = await call<{ orders: { order_id: string; total: number; items: Record<string, number> }[] }>(
    "futu_get_order_fee",
    { ...REAL, order_ids: [placed.order_id] },
  );
  const [fee] = fees.orders;
  assertEquals(fee.order_id, placed.order_id);
  assertEquals([fee.items["Platform Fee"], fee.items["Stamp Duty"]], [15, Math.ceil(value * 0.001 - 1e-9)]);

  const flow = await call<Table & { net: Record<string, number> }>("futu_get_acc_cash_flow", {
    ...REAL,
    date: "2026-11-26",
  });
  const funds = await call<{ funds: { cash_by_currency: Record<string, number> } }>("futu_get_funds", REAL);
  assertEquals(flow.net.HKD, funds.funds.cash_by_currency.HKD, "the day's net HKD flow is the HKD cash");
  const feeFlows = flow.rows.filter((r) => r[3] !== "Deposit" && !String(r[3]).startsWith("Stock"));
  assertEquals(Math.round(-feeFlows.reduce((s, r) => s + (r[4] as number), 0) * 100) / 100, fee.total);
  const inflows = await call<Table>("futu_get_acc_cash_flow", {
    ...REAL,
    clearing_date: "2026-11-26",
    direction: "in",
  });
  assertEquals(inflows.rows.map((r) => r[3]), ["Deposit"]);

  const ratios = await call<{ ratios: Json[] }>("futu_get_margin_ratio", { ...REAL, symbols: ["HK.00700", "US.AAPL"] });
  assertEquals(ratios.ratios.map((r) => [r.symbol, r.long_ok, r.short_ok]), [
    ["HK.00700", true, false],
    ["US.AAPL", true, true],
  ]);
  const max = await call<Json>("futu_get_max_trd_qtys", { ...REAL, symbol: "HK.00700", price: 300 });
  assert((max.margin_buy as number) > (max.cash_buy as number) && max.position_sell === 600, JSON.stringify(max));
  const atLast = await call<Json>("futu_get_max_trd_qtys", { ...REAL, symbol: "HK.00700" });
  assert((atLast.price as number) > 300 && (atLast.cash_buy as number) < (max.cash_buy as number));

  // Cancel-all: paper trading has no cancel-all request, so each order is cancelled.
  const paper = await call<{ order_id: string }>("futu_place_order", {
    symbol: "HK.00700",
    side: "BUY",
    qty: 100,
    price: 300,
  });
  const paperAll = await call<Json>("futu_cancel_all_order", {});
  assertEquals([paperAll.env, paperAll.market, paperAll.cancelled], ["SIMULATE", "ALL", 1]);
  assertEquals(paperAll.orders, [{ order_id: paper.order_id, symbol: "HK.00700", status: "CANCELLED_ALL" }]);
  // The real universal account: one request cancels its HK and its US orders.
  const hk = await call<{ order_id: string }>(
    "futu_place_order",
    await real("futu_place_order", { ...REAL, symbol: "HK.00700", side: "SELL", qty: 100, price: 900 }),
  );
  const us = await call<{ order_id: string }>(
    "futu_place_order",
    await real("futu_place_order", { ...REAL, symbol: "US.AAPL", side: "BUY", qty: 1, price: 10 }),
  );
  const all = await call<Json>(
    "futu_cancel_all_order",
    await real("futu_cancel_all_order", { ...REAL, idempotency_key: "cancel-1" }),
  );
  assertEquals([all.market, all.cancelled, all.replayed], ["ALL", 2, false]);
  assertEquals((all.orders as Json[]).map((o) => o.order_id).sort(), [hk.order_id, us.order_id].sort());
  // An idempotent repeat writes nothing: it needs no confirmation.
  const again = await call<Json>("futu_cancel_all_order", { ...REAL, idempotency_key: "cancel-1" });
  assertEquals([again.replayed, again.orders], [true, all.orders]);
  const conflict = await failure(
    "futu_cancel_all_order",
    await real("futu_cancel_all_order", { ...REAL, market: "US", idempotency_key: "cancel-1" }),
  );
  assert(conflict.error.includes("already used"), conflict.error);
  const usOnly = await call<Json>(
    "futu_cancel_all_order",
    await real("futu_cancel_all_order", { ...REAL, market: "US" }),
  );
  assertEquals([usOnly.market, usOnly.cancelled], ["US", 0]);

  // Bad arguments are named; paper accounts have no fills, fees or cash flows.
  const numeric = await failure("futu_get_order_fee", { ...REAL, order_ids: [7000000000000000001] });
  assertEquals(numeric.code, "invalid_arguments");
  assert(numeric.error.includes("order_ids"), numeric.error);
  const badDate = await failure("futu_get_acc_cash_flow", { ...REAL, date: "26/11/2026" });
  assert(badDate.code === "invalid_arguments" && badDate.error.includes("date"), badDate.error);
  const badStatus = await failure("futu_get_history_orders", { ...REAL, statuses: ["DONE"] });
  assert(badStatus.error.includes("statuses"), badStatus.error);
  const paperDeals = await failure("futu_get_history_deals", day);
  assert(paperDeals.error.includes("Paper trading"), paperDeals.error);
  const unknown = await failure("futu_get_order_fee", { ...REAL, order_ids: ["123"] });
  assert(unknown.code === "account" && unknown.error.includes("futu_get_history_orders"), JSON.stringify(unknown));

  assertEquals(
    [...called].filter((n) => LEDGER_TOOLS.some((t) => t.name === n)).sort(),
    LEDGER_TOOLS.map((t) => t.name).sort(),
  );
});
