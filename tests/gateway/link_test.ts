/**
 * The in-process link (futu-mcp's embedded simulator): byte-pipe semantics,
 * and the whole client — InitConnect, requests, pushes, a restart with
 * reconnect and re-subscription — over it, like over TCP.
 */
import { assert, assertEquals, assertRejects } from "../helpers/assert.ts";
import { eventually, HK_MORNING } from "../helpers/sim.ts";
import { linkPair } from "../../src/gateway/link.ts";
import { Gateway } from "../../src/gateway/mod.ts";
import { ManualClock } from "../../src/sim/clock.ts";
import { SimServer } from "../../src/sim/server.ts";

Deno.test("link pair: bytes arrive in order, split across small reads; close ends the peer's stream", async () => {
  const [a, b] = linkPair();
  const sent = new Uint8Array([1, 2, 3, 4, 5]);
  assertEquals(await a.write(sent), 5);
  sent[0] = 99; // the writer may reuse its buffer
  assertEquals(await a.write(new Uint8Array([6])), 1);
  const small = new Uint8Array(2);
  const got: number[] = [];
  while (got.length < 6) {
    const n = await b.read(small);
    assert(n !== null && n <= 2);
    got.push(...small.subarray(0, n));
  }
  assertEquals(got, [1, 2, 3, 4, 5, 6]);
  const pending = b.read(small);
  a.close();
  assertEquals(await pending, null, "a read waiting when the peer closes sees the end");
  assertEquals(await b.read(small), null);
  await assertRejects(() => b.write(new Uint8Array([1])), Deno.errors.BrokenPipe);
  await assertRejects(() => a.read(small), Deno.errors.BadResource);
});

Deno.test("the client over the in-process simulator: requests, pushes, and a reconnect after a restart", async () => {
  const clock = new ManualClock(HK_MORNING);
  await using sim = await SimServer.start({ transport: "in-process", tickMs: 50, clock });
  assertEquals(sim.address, "in-process");
  await assertRejects(
    () => SimServer.start({ port: 0 }).then(async (tcp) => await tcp.dial().finally(() => tcp.close())),
    Error,
    "connect over TCP",
  );
  await using gateway = await Gateway.connect({
    gateway: { host: "in-process", port: 0 },
    dial: () => sim.dial(),
    reconnect: { initialDelayMs: 20, maxDelayMs: 200 },
  });
  const pushed: string[] = [];
  gateway.quote.onBasicQuote((q) => pushed.push(q.symbol));
  await gateway.quote.subscribe(["HK.00700"], ["QUOTE"]);
  const [quote] = await gateway.quote.getBasicQot(["HK.00700"]);
  assertEquals(quote.symbol, "HK.00700");
  clock.advance(60_000);
  await eventually(() => pushed.length > 0, 2000, "a quote push");

  const before = gateway.client.connection!.connId;
  await sim.restart(0);
  await eventually(() => gateway.client.state === "ready" && gateway.client.connection?.connId !== before);
  assertEquals((await gateway.quote.getSubInfo()).totalUsedQuota, 1, "re-subscribed after the reconnect");
  assertEquals(sim.sessions.size, 1, "the closed link's session is gone");
});
