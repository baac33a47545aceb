/**
 * What access control costs per tool call: the same tools on the same
 * simulator, called through a {@link ToolGuard} with no access control and
 * through one with an API key (keys.json, scopes, limits with persisted
 * counters, price collar, audit log, metrics), interleaved call by call.
 * Prints one JSON object with the median and p99 of each, and the median
 * difference: the guard's cost. With `--redis`, a third side keeps that key's
 * state in a redis-server on loopback (`--state redis://…`: limits,
 * idempotency records, OpenD's write pacing), as replicas do, on its own
 * OpenD connection; every order then carries an idempotency_key, on every
 * side, and `redis_cost_median_us` is what the shared state adds to a call.
 *
 *   deno task bench:guard                  # 3000 quotes, 600 orders per side
 *   deno task bench:guard --quotes 10000 --orders 1000
 *   deno task bench:guard --redis          # needs redis-server (Debian: redis-server)
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
import { RedisState } from "../src/state/redis.ts";
import { startRedis, type TestRedis } from "../tests/helpers/redis.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    quotes: { type: "string", default: "3000" },
    orders: { type: "string", default: "600" },
    redis: { type: "boolean", default: false },
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

/** The same key with its state in Redis, on a gateway of its own that paces its writes through Redis too. */
async function sharedSide(): Promise<
  { guard: ToolGuard; cleaner: ToolGuard; close(): Promise<void>; redis: TestRedis } | undefined
> {
  if (!values.redis) return undefined;
  const redis = await startRedis("bench/guard.ts --redis");
  if (!redis) throw new Error("--redis needs redis-server (apt-get install redis-server)");
  const state = await RedisState.connect({ url: redis.url, namespace: "bench", log: (m) => console.error(m) });
  await state.ping();
  const sharedGateway = await Gateway.connect({ gateway: sim.address });
  sharedGateway.trade.sharePacing(state.pacing);
  const sharedServices = createServices(sharedGateway, {
    passwords: { description: "none", read: () => Promise.resolve(undefined) },
    idempotencyStore: state.idempotency,
  });
  const sharedOptions = loadOptions(
    [
      "--keys-file",
      keysFile,
      "--audit-log",
      join(dir, "audit-shared.jsonl"),
      "--gateway",
      "sim",
      "--state-dir",
      join(dir, "shared"),
      "--state",
      redis.url,
    ],
    () => undefined,
  );
  const sharedLayer = await createAccessLayer(sharedOptions, sharedServices, (m) => console.error(m), state);
  return {
    guard: new ToolGuard({ tools, services: sharedServices, access: sharedLayer.access }),
    cleaner: new ToolGuard({ tools, services: sharedServices, access: OPEN_ACCESS }),
    redis,
    async close() {
      sharedLayer.close();
      await sharedGateway.close();
      await state.close();
      await redis.stop();
    },
  };
}
const shared = await sharedSide();

function check(result: ToolResult, what: string): void {
  if (result.isError) throw new Error(`${what} failed: ${result.content[0].text}`);
}

const [quote] = await market.snapshots(["HK.00700"]);
const quoteArgs = { symbol: "HK.00700" };
let orderNumber = 0;
const orderArgs = (key?: string) => ({
  symbol: "HK.00700",
  side: "BUY",
  qty: 100,
  price: Math.round(quote.curPrice * 0.97 * 5) / 5,
  env: "simulate",
  ...(key ? { api_key: key } : {}),
  // With Redis, every side's order is idempotent, so that each side does the same work but where it keeps it.
  ...(shared ? { idempotency_key: `bench-${++orderNumber}` } : {}),
});

/**
 * Untimed: cancels what an order call placed, so that buying power never runs out — on the side's own OpenD
 * connection, so that every side's next order waits the same write spacing after it.
 */
async function cleanUp(result: ToolResult, through: ToolGuard): Promise<void> {
  const orderId = result.structuredContent?.order_id;
  if (typeof orderId !== "string") return;
  check(await through.call("futu_cancel_order", { order_id: orderId, env: "simulate", market: "HK" }), "cancel");
}

async function compare(
  name: string,
  count: number,
  call: (guard: ToolGuard, key?: string) => Promise<ToolResult>,
  pauseMs = 0,
): Promise<Record<string, number>> {
  const without: number[] = [];
  const withKey: number[] = [];
  const withRedis: number[] = [];
  const sides: [ToolGuard, string | undefined, number[], ToolGuard][] = [
    [open, undefined, without, open],
    [keyed, plaintext, withKey, open],
  ];
  if (shared) sides.push([shared.guard, plaintext, withRedis, shared.cleaner]);
  for (let i = 0; i < Math.min(200, count); i++) {
    for (const [guard, key, , cleaner] of sides) {
      const result = await call(guard, key);
      check(result, name);
      await cleanUp(result, cleaner);
    }
  }
  for (let i = 0; i < count; i++) {
    for (const [guard, key, samples, cleaner] of sides) {
      // Untimed: an order waits out OpenD's write spacing after the previous write (the cancel); past it, what
      // is timed is the call's own cost, the same for every side.
      if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
      const started = performance.now();
      const result = await call(guard, key);
      samples.push(performance.now() - started);
      check(result, name);
      await cleanUp(result, cleaner);
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
    ...(shared
      ? (() => {
        const c = stats(withRedis);
        return {
          redis_median_us: us(c.median),
          redis_p99_us: us(c.p99),
          redis_cost_median_us: us(c.median - b.median),
        };
      })()
      : {}),
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
    30,
  ),
};
console.log(JSON.stringify(report, null, 2));

layer.close();
await shared?.close();
await gateway.close();
await sim.close();
await Deno.remove(dir, { recursive: true });
