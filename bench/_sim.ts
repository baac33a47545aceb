/**
 * The external simulator of `bench:all`: a simulated OpenD in its own
 * process on `127.0.0.1:<Deno.args[0]>`, without rate limits, pushing quotes
 * every `Deno.args[1]` ms (OpenD's own pace is set by the market; the push
 * latency rows want many samples). Prints "ready" once listening.
 *
 * @module
 */
import { SimServer } from "../src/sim/server.ts";
import { DEMO_CLOCK_START, simClockFrom } from "../src/sim/options.ts";

const sim = await SimServer.start({
  port: Number(Deno.args[0]),
  tickMs: Number(Deno.args[1] ?? 1000),
  rateLimits: false,
  subscriptionQuota: 2000,
  // One simulated second per tick: the market moves, and pushes, at every tick.
  clock: simClockFrom(DEMO_CLOCK_START, 1000 / Number(Deno.args[1] ?? 1000)),
});
console.log("ready");
for await (const _ of Deno.stdin.readable) { /* runs until the bench closes stdin */ }
await sim.close();
