/**
 * Two futu-mcp replicas (spawned processes serving HTTP) on one simulated OpenD and one real Redis, as behind a
 * load balancer: calls alternate between them; a daily cap holds across both under concurrent orders, with no
 * order refused for OpenD's write pacing; an idempotent retry on the other replica replays the first result;
 * the kill switch set on one stops the other; a Redis outage refuses writes, serves reads, and ends by itself.
 *
 * @module
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { spawnHttp } from "../helpers/http_process.ts";
import { connectHttp, dataOf, errorOf } from "../helpers/mcp.ts";
import { startRedis } from "../helpers/redis.ts";
import { startSim } from "../helpers/sim.ts";
import { tempDir } from "../helpers/tmp.ts";
import { generateKey, writeKeysFile } from "../../src/access/keys.ts";
import type { Scope } from "../../src/tools/scopes.ts";

type Json = Record<string, unknown>;
const PAPER_HK = "6234567";
/** 40,000 HKD each. */
const ORDER = { symbol: "HK.00700", side: "BUY", qty: 100, price: 400 };
const SCOPES: Scope[] = ["qot:read", "acc:read", "trade:simulate"];

Deno.test("replicas share limits, idempotency, the kill switch and OpenD's pacing through Redis", async (t) => {
  await using redis = await startRedis("tests/state/replicas_test.ts");
  if (!redis) return;
  // OpenD's own limits are on (the simulator's default): at least 20 ms between orders, 15 per 30 s.
  await using sim = await startSim();
  const dir = await tempDir("replicas");
  const desk = generateKey({ id: "desk", scopes: SCOPES });
  // Eight of these orders fit in the day: 8 × 40,000 = 320,000 HKD.
  const capped = generateKey({ id: "capped", scopes: SCOPES, limits: { maxDailyValue: 330_000 } });
  const watcher = generateKey({ id: "watcher", scopes: ["metrics:read"] });
  await writeKeysFile(`${dir}/keys.json`, [desk.record, capped.record, watcher.record]);
  const namespace = `replicas-${crypto.randomUUID().slice(0, 8)}`;
  const replica = (name: string, audit: string) =>
    spawnHttp([
      "--gateway",
      sim.address,
      "--enable-trading",
      "--keys-file",
      `${dir}/keys.json`,
      "--state-dir",
      `${dir}/${name}`,
      "--state",
      redis.url,
      "--state-namespace",
      namespace,
      "--audit-log",
      audit,
    ]);
  await using a = await replica("a", `${dir}/a-audit.jsonl`);
  await using b = await replica("b", "-");
  const client = async (base: string, key: string) =>
    await connectHttp(`${base}/mcp`, { authorization: `Bearer ${key}` });
  await using deskA = await client(a.base, desk.plaintext);
  await using deskB = await client(b.base, desk.plaintext);
  const call = async (c: typeof deskA, name: string, args: Json = {}) => await c.callTool({ name, arguments: args });
  let placeRequests = 0;
  sim.onRequest((protocol) => {
    if (protocol === "Trd_PlaceOrder") placeRequests++;
  });
  const stateUp = async (base: string) => {
    const metrics = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${watcher.plaintext}` } });
    return /^futu_state_up (\d)$/m.exec(await metrics.text())?.[1];
  };
  const paperOrders = () => sim.trading.todayOrders(sim.trading.account(PAPER_HK, "SIMULATE")).length;

  await t.step("calls alternate between the replicas and see the same account", async () => {
    for (let i = 0; i < 6; i++) {
      const quote = dataOf<{ quotes: { symbol: string }[] }>(
        await call(i % 2 ? deskB : deskA, "futu_get_quote", { symbol: "HK.00700" }),
      );
      assertEquals(quote.quotes[0].symbol, "HK.00700");
    }
    const placed = dataOf<{ order_id: string }>(await call(deskA, "futu_place_order", ORDER));
    const seen = dataOf<{ rows: unknown[][] }>(await call(deskB, "futu_get_orders", {}));
    assert(JSON.stringify(seen.rows).includes(placed.order_id), "B lists the order A placed");
  });

  await t.step("20 concurrent orders across both against a daily cap admitting 8: exactly 8 placed", async () => {
    const cappedA = await client(a.base, capped.plaintext);
    const cappedB = await client(b.base, capped.plaintext);
    try {
      const before = paperOrders();
      const requestsBefore = placeRequests;
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => call(i % 2 ? cappedB : cappedA, "futu_place_order", ORDER)),
      );
      const placed = results.filter((r) => !(r as { isError?: boolean }).isError);
      const refused = results.filter((r) => (r as { isError?: boolean }).isError).map(errorOf);
      assertEquals(
        placed.length,
        8,
        `placed ${placed.length}; refusals: ${JSON.stringify(refused.map((e) => e.error))}`,
      );
      for (const refusal of refused) {
        assertEquals(refusal.code, "limit", refusal.error);
        assert(!/apart|pacing|too frequent/i.test(refusal.error), `refused for pacing: ${refusal.error}`);
      }
      assertEquals(paperOrders() - before, 8, "exactly 8 reached OpenD");
      // Each replica counts what the other placed.
      const preview = dataOf<{ limits: Json }>(await call(cappedB, "futu_preview_order", ORDER));
      assertEquals(preview.limits.daily_used, 320_000);
      // OpenD saw 8 order requests: none refused for coming within 20 ms of another and sent again.
      assertEquals(placeRequests - requestsBefore, 8);
    } finally {
      await cappedA.close();
      await cappedB.close();
    }
  });

  await t.step("an idempotent retry on the other replica returns the first result and places nothing", async () => {
    const order = { ...ORDER, idempotency_key: "desk-retry-1" };
    const first = dataOf<{ order_id: string; replayed: boolean }>(await call(deskA, "futu_place_order", order));
    const before = paperOrders();
    const retry = dataOf<{ order_id: string; replayed: boolean }>(await call(deskB, "futu_place_order", order));
    assertEquals([first.replayed, retry.replayed, retry.order_id], [false, true, first.order_id]);
    assertEquals(paperOrders(), before);
    const conflict = errorOf(await call(deskB, "futu_place_order", { ...order, qty: 200 }));
    assertEquals(conflict.code, "idempotency_conflict");
  });

  await t.step("the kill switch set through one replica stops the other; resumed through it, both trade", async () => {
    let from = a.log().length;
    a.child.kill("SIGUSR1");
    await a.waitForLog(/trading HALTED \(SIGUSR1\)/, from);
    const halted = errorOf(await call(deskB, "futu_place_order", ORDER));
    assertEquals(halted.code, "halted", halted.error);
    assert(halted.error.includes("SIGUSR1"), halted.error);
    from = a.log().length;
    a.child.kill("SIGUSR2");
    await a.waitForLog(/trading resumed \(SIGUSR2\)/, from);
    dataOf(await call(deskB, "futu_place_order", ORDER));
  });

  await t.step("Redis stopped: writes are refused on both, reads are served; restarted: writes work", async () => {
    const [fromA, fromB] = [a.log().length, b.log().length];
    await redis.stop();
    for (const c of [deskA, deskB]) {
      const refused = errorOf(await call(c, "futu_place_order", ORDER));
      assertEquals(refused.code, "state_unavailable", refused.error);
      assert(refused.error.includes("nothing was sent") || refused.hint !== undefined, JSON.stringify(refused));
      dataOf(await call(c, "futu_get_quote", { symbol: "HK.00700" }));
    }
    await a.waitForLog(/shared state: .* unavailable/, fromA);
    assertEquals(await stateUp(a.base), "0");
    await redis.start();
    await a.waitForLog(/shared state: connected to/, fromA);
    await b.waitForLog(/shared state: connected to/, fromB);
    assertEquals([await stateUp(a.base), await stateUp(b.base)], ["1", "1"]);
    const before = paperOrders();
    dataOf(await call(deskA, "futu_place_order", ORDER));
    dataOf(await call(deskB, "futu_place_order", ORDER));
    assertEquals(paperOrders(), before + 2);
  });

  await t.step("each replica writes its own audit: A to its file, B to stdout, as JSON lines", async () => {
    const lines = (text: string) => text.trim().split("\n").map((line) => JSON.parse(line) as Json);
    const auditA = lines(await Deno.readTextFile(`${dir}/a-audit.jsonl`));
    const auditB = lines(b.stdout());
    for (const audit of [auditA, auditB]) {
      assert(audit.some((e) => e.endpoint === "futu_place_order" && e.outcome === "success"), JSON.stringify(audit));
    }
    assert(auditB.some((e) => e.key_id === "capped"), "B's refusals of the capped key are in B's audit");
  });
});
