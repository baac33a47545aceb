/**
 * GetBasicQot through the OpenD client and the simulator over loopback TCP:
 * median and p99 latency of sequential requests, then throughput with many
 * requests in flight. Prints one JSON object.
 *
 *   deno task bench:loopback            # defaults: 3000 sequential, 64 in flight for 5 s
 *   deno task bench:loopback --seconds 10 --concurrency 128
 *
 * @module
 */
import { parseArgs } from "node:util";
import { Gateway } from "../src/gateway/mod.ts";
import { DEMO_CLOCK_START, simClockFrom } from "../src/sim/options.ts";
import { SimServer } from "../src/sim/server.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    sequential: { type: "string", default: "3000" },
    concurrency: { type: "string", default: "64" },
    seconds: { type: "string", default: "5" },
    encrypted: { type: "boolean", default: false },
  },
});

const sim = await SimServer.start({ port: 0, clock: simClockFrom(DEMO_CLOCK_START, 1) });
const gateway = await Gateway.connect({ gateway: sim.address });
await gateway.quote.subscribe(["HK.00700"], ["QUOTE"], { push: false });

const symbols = ["HK.00700"];
for (let i = 0; i < 500; i++) await gateway.quote.getBasicQot(symbols); // warm-up

const latencies: number[] = [];
for (let i = 0; i < Number(values.sequential); i++) {
  const started = performance.now();
  await gateway.quote.getBasicQot(symbols);
  latencies.push(performance.now() - started);
}
latencies.sort((a, b) => a - b);
const quantile = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];

const deadline = performance.now() + Number(values.seconds) * 1000;
let completed = 0;
const worker = async () => {
  while (performance.now() < deadline) {
    await gateway.quote.getBasicQot(symbols);
    completed++;
  }
};
const started = performance.now();
await Promise.all(Array.from({ length: Number(values.concurrency) }, worker));
const elapsed = (performance.now() - started) / 1000;

await gateway.close();
await sim.close();

console.log(JSON.stringify(
  {
    benchmark: "GetBasicQot, OpenD client <-> simulator, loopback TCP, one process",
    deno: Deno.version.deno,
    sequential: {
      requests: latencies.length,
      medianMs: Number(quantile(0.5).toFixed(3)),
      p99Ms: Number(quantile(0.99).toFixed(3)),
    },
    concurrent: {
      inFlight: Number(values.concurrency),
      seconds: Number(elapsed.toFixed(2)),
      requests: completed,
      requestsPerSecond: Math.round(completed / elapsed),
    },
  },
  null,
  2,
));
