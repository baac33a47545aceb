/**
 * Demo: futu-mcp on the simulated OpenD, driven by the MCP SDK's own client
 * over a real stdio process. Prints the tool list, a quote, candles, a
 * simulated order and its fill.
 *
 *   deno task demo
 *
 * @module
 */
import { Client, StdioClientTransport } from "../src/mcp/sdk_client.ts";
import { futuMcpPermissions } from "../src/app/launch.ts";
import { DEMO_CLOCK_START } from "../src/sim/options.ts";
import { selectTools } from "../src/tools/inventory.ts";

const transport = new StdioClientTransport({
  command: "deno",
  args: [
    "run",
    "--quiet",
    ...futuMcpPermissions({ gateway: "sim" }),
    "main.ts",
    "--gateway",
    "sim",
    "--sim-clock",
    DEMO_CLOCK_START,
    "--enable-trading",
  ],
  stderr: "inherit",
});
const client = new Client({ name: "futu-mcp-demo", version: "1.0.0" });
await client.connect(transport);

type Result = Awaited<ReturnType<Client["callTool"]>>;
const call = async (name: string, args: Record<string, unknown> = {}): Promise<Result> => {
  const result = await client.callTool({ name, arguments: args });
  const text = (result.content as { type: string; text: string }[]).map((c) => c.text).join("\n");
  console.log(`\n$ ${name} ${JSON.stringify(args)}${result.isError ? "  [error]" : ""}\n${text}`);
  return result;
};

try {
  const { tools } = await client.listTools();
  // The demo leaves real trading off, so the server hides the unlock tool: say so rather than leave
  // the count unexplained next to the README's.
  const offered = new Set(tools.map((tool) => tool.name));
  const hidden = selectTools().filter((tool) => !offered.has(tool.name)).map((tool) => tool.name);
  const why = hidden.length > 0 ? `; not offered: ${hidden.join(", ")} (real trading is off in the demo)` : "";
  console.log(`tools/list: ${tools.length} of ${selectTools().length} tools${why} (market clock ${DEMO_CLOCK_START})`);
  for (const tool of tools) {
    const kind = tool.annotations?.readOnlyHint ? "read " : "write";
    console.log(`  ${kind}  ${tool.name.padEnd(20)} ${tool.title}`);
  }
  await call("futu_get_quote", { symbols: ["HK.00700", "US.AAPL"] });
  await call("futu_get_kline", { symbol: "HK.00700", kl_type: "K_DAY", max_count: 5 });
  const placed = await call("futu_place_order", {
    symbol: "HK.00700",
    side: "BUY",
    qty: 100,
    order_type: "MARKET",
    env: "simulate",
    idempotency_key: "demo-order-1",
  });
  const orderId = (placed.structuredContent as { order_id: string }).order_id;
  for (let attempt = 0; attempt < 20; attempt++) {
    const orders = await client.callTool({ name: "futu_get_orders", arguments: { order_id: orderId } });
    const row = (orders.structuredContent as { rows: unknown[][] }).rows[0];
    if (row?.[4] === "FILLED_ALL") break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await call("futu_get_orders", { order_id: orderId });
  await call("futu_get_positions", { env: "simulate", market: "HK" });
} finally {
  await client.close();
}
