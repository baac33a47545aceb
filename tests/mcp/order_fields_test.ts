/**
 * Order fields that do not apply to the order are refused, naming the field
 * and the order types it applies to, over a spawned futu-mcp on the simulator:
 * futu_place_order and futu_preview_order by order_type, futu_modify_order by
 * op and by the type of the order it changes. Nothing is placed or changed by
 * a refused call.
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { spawnValidated } from "../helpers/mcp.ts";

const TRADING = ["--gateway", "sim", "--sim-clock", "2026-11-26T10:30:00+08:00", "--enable-trading"];
const ORDER = { symbol: "HK.00700", side: "BUY", qty: 100 };
type Table = { columns: string[]; rows: (string | number | null)[][] };

Deno.test("order fields that do not apply to the order type or op are refused, named", async () => {
  await using mcp = await spawnValidated(TRADING);
  const ordersNow = async () => (await mcp.call<Table>("futu_get_orders", { market: "HK" })).rows.length;
  const before = await ordersNow();

  const placeCases: [Record<string, unknown>, string, string][] = [
    [{ ...ORDER, price: 400, aux_price: 1e12 }, "aux_price", "this order_type is NORMAL"],
    [{ ...ORDER, order_type: "MARKET", price: 400 }, "price", "this order_type is MARKET"],
    [{ ...ORDER, order_type: "STOP", aux_price: 390, trail_value: 1 }, "trail_value", "this order_type is STOP"],
    [{ ...ORDER, price: 400, trail_type: "RATIO" }, "trail_type", "this order_type is NORMAL"],
    [
      { ...ORDER, order_type: "TRAILING_STOP", trail_type: "RATIO", trail_value: 1, trail_spread: 2 },
      "trail_spread",
      "this order_type is TRAILING_STOP",
    ],
  ];
  for (const [args, field, why] of placeCases) {
    for (const tool of ["futu_place_order", "futu_preview_order"]) {
      // The preview takes only the fields that decide what an order is worth: its trailing fields are unknown.
      if (tool === "futu_preview_order" && field.startsWith("trail")) continue;
      const error = await mcp.failure(tool, args);
      assertEquals(error.code, "invalid_arguments", `${tool} ${JSON.stringify(args)}: ${JSON.stringify(error)}`);
      assert(error.error.includes(`${field}: ${field} (`), `${tool}: ${error.error}`);
      assert(error.error.includes(`applies only to`) && error.error.includes(why), `${tool}: ${error.error}`);
    }
  }
  const aux = await mcp.failure("futu_place_order", { ...ORDER, price: 400, aux_price: 1e12 });
  assert(aux.error.includes("applies only to STOP/STOP_LIMIT/MARKET_IF_TOUCHED/LIMIT_IF_TOUCHED orders"), aux.error);
  assertEquals(await ordersNow(), before, "no refused order was placed");

  // What does apply still goes through.
  const placed = await mcp.call<{ order_id: string }>("futu_place_order", { ...ORDER, price: 300 });

  const modifyCases: [Record<string, unknown>, string][] = [
    [{ op: "CANCEL", price: 310 }, "price applies only to op NORMAL (a change of the order); this op is CANCEL"],
    [{ op: "DISABLE", qty: 200 }, "qty applies only to op NORMAL"],
    [{ op: "NORMAL", aux_price: 1e12 }, `order ${placed.order_id} is a NORMAL order: aux_price: aux_price (`],
    [{ op: "NORMAL", price: 310, trail_value: 1 }, "trail_value (the trail) applies only to TRAILING_STOP/"],
  ];
  for (const [change, message] of modifyCases) {
    const error = await mcp.failure("futu_modify_order", { order_id: placed.order_id, ...change });
    assertEquals(error.code, "invalid_arguments", `${JSON.stringify(change)}: ${JSON.stringify(error)}`);
    assert(error.error.includes(message), `${JSON.stringify(change)}: ${error.error}`);
  }
  /** The order's price, from its row of futu_get_orders. */
  const price = async () => {
    const table = await mcp.call<Table>("futu_get_orders", { market: "HK", order_id: placed.order_id });
    return table.rows[0]?.[table.columns.indexOf("price")];
  };
  assertEquals(await price(), 300, "no refused modification changed the order");
  await mcp.call("futu_modify_order", { order_id: placed.order_id, op: "NORMAL", price: 310 });
  assertEquals(await price(), 310);
});
