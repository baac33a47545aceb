/**
 * What access control costs per tool call: the same tools on the same
 * simulator, called through a {@link ToolGuard} with no access control and
 * through one with an API key (keys.json, scopes, limits with persisted
 * counters, price collar, audit log, metrics), interleaved call by call.
 * Prints one JSON object with the median and p99 of each, and the median
 * difference: the guard's cost.
 *
 *   deno task bench:guard                  # 3000 quotes, 600 orders per side
 *   deno task bench:guard --quotes 10000 --orders 1000
 *
 * @module
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import { Gateway } from "../src/gateway/mod.ts";
import { SimServer } from "../src/sim/server.ts";
import { DEMO_CLOCK_START, simClockFrom } from "../src/sim/options.ts";
import { generateKey, writeKeysFile } from "../src/access/keys.ts";
import { createAccessLayer } from "../src/app/access.ts";
import { OPEN_ACCESS, ToolGuard, type ToolResult } from "../src/tools/guard.ts";
import { createServices } from "../src/services/services.ts";
import { selectTools } from "../src/tools/inventory.ts";
import { loadOptions } from "../src/app/options.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    quotes: { type: "string", default: "3000" },
    orders: { type: "string", default: "600" },
  },
});

await Deno.mkdir(".test-tmp", { recursive: true });
const dir = await Deno.makeTempDir({ dir: ".test-tmp", prefix: "guard-bench-" });
// The simulator's OpenD rate limits would throttle the order loop: they are not what is measured.
const sim = await SimServer.start({ port: 0, clock: simClockFrom(DEMO_CLOCK_START, 1), rateLimits: false });
const gateway = await Gateway.connect({ gateway: sim.address });
const services = createServices(gateway, {
  passwords: { description: "none", read: () => Promise.resolve(undefined) },
});
const { market, accounts } = services;

const { plaintext, record } = generateKey({
  id: "bench",
  scopes: ["qot:read", "acc:read", "trade:simulate"],
  limits: {
    allowedMarkets: ["HK"],
    maxOrderValue: 1_000_000,
    maxDailyValue: 1e12,
    maxOrdersPerMinute: 1_000_000,
    priceCollarPct: 10,
  },
});
const keysFile = join(dir, "keys.json");
await writeKeysFile(keysFile, [record]);
const options = loadOptions(
  ["--keys-file", keysFile, "--audit-log", join(dir, "audit.jsonl"), "--gateway", "sim"],
  () => undefined,
);
const layer = await createAccessLayer(options, { accounts, market }, (m) => console.error(m));

const tools = selectTools();
const open = new ToolGuard({ tools, services, access: OPEN_ACCESS });
const keyed = new ToolGuard({ tools, services, access: layer.access });

function check(result: ToolResult, what: string): void {
  if (result.isError) throw new Error(`${what} failed: ${result.content[0].text}`);
}

const [quote] = await market.snapshots(["HK.00700"]);
const quoteArgs = { symbol: "HK.00700" };
const orderArgs = (key?: string) => ({
  symbol: "HK.00700",
  side: "BUY",
  qty: 100,
  price: Math.round(quote.curPrice * 0.97 * 5) / 5,
  env: "simulate",
  ...(key ? { api_key: key } : {}),
});

/** Untimed: cancels what an order call placed, so that buying power never runs out. */
async function cleanUp(result: ToolResult): Promise<void> {
  const orderId = result.structuredContent?.order_id;
  if (typeof orderId !== "string") return;
  check(await open.call("futu_cancel_order", { order_id: orderId, env: "simulate", market: "HK" }), "cancel");
}

async function compare(
  name: string,
  count: number,
  call: (guard: ToolGuard, key?: string) => Promise<ToolResult>,
): Promise<Record<string, number>> {
  for (let i = 0; i < Math.min(200, count); i++) {
    for (const [guard, key] of [[open, undefined], [keyed, plaintext]] as const) {
      const result = await call(guard, key);
      check(result, name);
      await cleanUp(result);
    }
  }
  const without: number[] = [];
  const withKey: number[] = [];
  for (let i = 0; i < count; i++) {
    for (const [guard, key, samples] of [[open, undefined, without], [keyed, plaintext, withKey]] as const) {
      const started = performance.now();
      const result = await call(guard, key);
      samples.push(performance.now() - started);
      check(result, name);
      await cleanUp(result);
    }
  }
  const stats = (xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    return { median: at(0.5), p99: at(0.99) };
  };
  const a = stats(without);
  const b = stats(withKey);
  const us = (ms: number) => Math.round(ms * 1000);
  return {
    calls: count,
    open_median_us: us(a.median),
    open_p99_us: us(a.p99),
    keyed_median_us: us(b.median),
    keyed_p99_us: us(b.p99),
    guard_cost_median_us: us(b.median - a.median),
  };
}

const report = {
  futu_get_quote: await compare(
    "futu_get_quote",
    Number(values.quotes),
    (guard, key) => guard.call("futu_get_quote", { ...quoteArgs, ...(key ? { api_key: key } : {}) }),
  ),
  futu_place_order: await compare(
    "futu_place_order",
    Number(values.orders),
    (guard, key) => guard.call("futu_place_order", orderArgs(key)),
  ),
};
console.log(JSON.stringify(report, null, 2));

layer.close();
await gateway.close();
await sim.close();
await Deno.remove(dir, { recursive: true });
