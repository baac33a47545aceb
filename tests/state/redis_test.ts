/**
 * The Redis shared state (src/state/redis.ts) on a real redis-server: reservations are atomic across clients
 * (each its own connection, as two replicas), expire, commit once, and a Redis that goes away refuses at once
 * and serves again when it is back.
 *
 * @module
 */
import { assert, assertEquals, assertRejects, assertThrows } from "../helpers/assert.ts";
import { startRedis, type TestRedis } from "../helpers/redis.ts";
import { parseStateUrl, RedisState, StateUrlError } from "../../src/state/redis.ts";
import { type Reservation, RESERVATION_TTL_MS, StateUnavailableError } from "../../src/state/store.ts";
import { IdempotencyConflictError, ReplayedFailure, SharedIdempotency } from "../../src/services/idempotency.ts";

const NOW = Date.parse("2026-11-26T03:00:00Z");

async function replicas(redis: TestRedis, namespace: string, n = 2): Promise<RedisState[]> {
  const states: RedisState[] = [];
  for (let i = 0; i < n; i++) {
    const state = await RedisState.connect({ url: redis.url, namespace, log: () => {} });
    await state.ping();
    states.push(state);
  }
  return states;
}

/** Waits for the client's reconnection (ioredis retries on its own) by asking until it answers. */
async function answered(state: RedisState): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      return await state.ping();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

const reservation = (id: string, extra: Partial<Reservation> = {}): Reservation => ({
  id,
  at: NOW,
  value: 1_000,
  currency: "HKD",
  ...extra,
});

Deno.test("a --state URL is refused when it holds a password or is not redis://", () => {
  assertEquals(parseStateUrl("redis://10.0.0.5:6380/2"), {
    tls: false,
    host: "10.0.0.5",
    port: 6380,
    db: 2,
    user: undefined,
  });
  assertEquals(parseStateUrl("rediss://futu@redis.internal"), {
    tls: true,
    host: "redis.internal",
    port: 6379,
    db: 0,
    user: "futu",
  });
  const cases: [string, string][] = [
    ["redis://user:hunter2@127.0.0.1:6379/0", "must not hold the Redis password"],
    ["http://127.0.0.1:6379", "not http:"],
    ["redis://127.0.0.1:6379/zero", "must be a number"],
    ["127.0.0.1:6379", "is not a URL"],
  ];
  for (const [url, why] of cases) {
    const error = assertThrows(() => parseStateUrl(url), StateUrlError);
    assert(error.message.includes(why), error.message);
    assert(!error.message.includes("hunter2"), error.message);
  }
});

Deno.test("Redis usage: reservations from two replicas are atomic, expire, and commit once", async (t) => {
  await using redis = await startRedis("tests/state/redis_test.ts");
  if (!redis) return;
  const [a, b] = await replicas(redis, `t-usage-${crypto.randomUUID()}`);
  try {
    await t.step("40 concurrent reservations across two replicas against a rate cap of 10: exactly 10", async () => {
      const verdicts = await Promise.all(
        Array.from(
          { length: 40 },
          (_, i) => (i % 2 ? a : b).usage.reserve("rate", reservation(`r${i}`, { maxOrdersPerMinute: 10 })),
        ),
      );
      assertEquals(verdicts.filter((v) => v.ok).length, 10);
      const refused = verdicts.find((v) => !v.ok);
      assert(refused && !refused.ok && refused.limit === "rate", JSON.stringify(refused));
      assertEquals(refused.figures.ordersLastMinute, 10);
    });

    await t.step(
      "a daily cap of 7,500 HKD admits seven 1,000 HKD writes in flight, in any mix of replicas",
      async () => {
        const verdicts = await Promise.all(
          Array.from(
            { length: 20 },
            (_, i) => (i % 2 ? a : b).usage.reserve("daily", reservation(`d${i}`, { maxDailyValue: 7_500 })),
          ),
        );
        assertEquals(
          verdicts.filter((v) => v.ok).length,
          7,
        );
        assertEquals((await a.usage.figures("daily", NOW, "HKD")).dailyUsed, 7_000);
        // Another currency's cap is its own.
        assert((await b.usage.reserve("daily", reservation("usd", { currency: "USD", maxDailyValue: 7_500 }))).ok);
      },
    );

    await t.step("commit counts once however often it is retried; release frees the reservation", async () => {
      const r = reservation("c1", { value: 2_500 });
      assert((await a.usage.reserve("commit", r)).ok);
      await a.usage.commit("commit", r);
      await b.usage.commit("commit", r); // the retry of a commit whose reply was lost
      assertEquals(await b.usage.figures("commit", NOW, "HKD"), { ordersLastMinute: 1, dailyUsed: 2_500 });
      assert((await b.usage.reserve("commit", reservation("c2", { value: 500 }))).ok);
      assertEquals((await a.usage.figures("commit", NOW, "HKD")).dailyUsed, 3_000);
      await a.usage.release("commit", "c2");
      assertEquals(await a.usage.figures("commit", NOW, "HKD"), { ordersLastMinute: 1, dailyUsed: 2_500 });
      // The day's total is per UTC day; the minute's count is a sliding window.
      const tomorrow = NOW + 86_400_000;
      assertEquals(await a.usage.figures("commit", tomorrow, "HKD"), { ordersLastMinute: 0, dailyUsed: 0 });
      assertEquals((await a.usage.figures("commit", NOW + 60_001, "HKD")).ordersLastMinute, 0);
    });

    await t.step(
      "a reservation never committed or released (its replica died) stops counting after its TTL",
      async () => {
        assert((await a.usage.reserve("dead", reservation("lost", { maxDailyValue: 1_000 }))).ok);
        const blocked = await b.usage.reserve("dead", reservation("next", { maxDailyValue: 1_000 }));
        assert(!blocked.ok && blocked.limit === "daily");
        const later = NOW + RESERVATION_TTL_MS + 1;
        assert((await b.usage.reserve("dead", reservation("next", { at: later, maxDailyValue: 1_000 }))).ok);
      },
    );

    await t.step("namespaces are separate deployments", async () => {
      const [other] = await replicas(redis, `t-usage-other-${crypto.randomUUID()}`, 1);
      try {
        assertEquals(await other.usage.figures("commit", NOW, "HKD"), { ordersLastMinute: 0, dailyUsed: 0 });
      } finally {
        await other.close();
      }
    });
  } finally {
    await a.close();
    await b.close();
  }
});

Deno.test("Redis idempotency: a repeat on another replica waits for the first run and replays it", async (t) => {
  await using redis = await startRedis("tests/state/redis_test.ts");
  if (!redis) return;
  const [a, b] = await replicas(redis, `t-idem-${crypto.randomUUID()}`);
  const onA = new SharedIdempotency<{ orderId: string }>(a.idempotency, 60_000, { pollMs: 5 });
  const onB = new SharedIdempotency<{ orderId: string }>(b.idempotency, 60_000, { pollMs: 5 });
  try {
    await t.step("the write runs once; the repeat, sent while it runs, gets its result as a replay", async () => {
      let runs = 0;
      const { promise: sent, resolve: send } = Promise.withResolvers<void>();
      const { promise: running, resolve: run } = Promise.withResolvers<void>();
      const first = onA.run("k1", "fp", async () => {
        runs++;
        run();
        await sent;
        return { orderId: "9007199254740993" };
      });
      await running;
      const repeat = onB.run("k1", "fp", () => {
        runs++;
        return Promise.resolve({ orderId: "second" });
      });
      assertEquals(await onB.peek("k1", "fp"), "same");
      send();
      assertEquals(await first, { value: { orderId: "9007199254740993" }, replayed: false });
      assertEquals(await repeat, { value: { orderId: "9007199254740993" }, replayed: true });
      assertEquals(runs, 1);
    });

    await t.step("a failure is replayed as that failure, not run again", async () => {
      await assertRejects(() => onA.run("k2", "fp", () => Promise.reject(new Error("lot size is 100"))), Error);
      const replay = await assertRejects(
        () => onB.run("k2", "fp", () => Promise.resolve({ orderId: "x" })),
        ReplayedFailure,
      );
      assertEquals(replay.message, "lot size is 100");
    });

    await t.step("the same key with other arguments is a conflict on every replica", async () => {
      await onA.run("k3", "fp-a", () => Promise.resolve({ orderId: "1" }));
      await assertRejects(
        () => onB.run("k3", "fp-b", () => Promise.resolve({ orderId: "2" })),
        IdempotencyConflictError,
      );
      assertEquals(await onB.peek("k3", "fp-b"), "conflict");
    });
  } finally {
    await a.close();
    await b.close();
  }
});

Deno.test("Redis pacing: one write in flight per OpenD across replicas, the next one spaced after its reply", async () => {
  await using redis = await startRedis("tests/state/redis_test.ts");
  if (!redis) return;
  const [a, b] = await replicas(redis, `t-pace-${crypto.randomUUID()}`);
  try {
    assertEquals(await a.pacing.acquire("a1", 200, 5_000), 0);
    assertEquals(await b.pacing.acquire("b1", 200, 5_000), -1, "busy while a1's reply has not come");
    await b.pacing.release("b1"); // not the owner: a1 keeps its turn
    assertEquals(await b.pacing.acquire("b1", 200, 5_000), -1);
    await a.pacing.release("a1");
    const wait = await b.pacing.acquire("b1", 200, 5_000);
    assert(wait > 0 && wait <= 200, `wait ${wait} ms after a1's reply`);
    assertEquals(await b.pacing.acquire("b1", 0, 5_000), 0, "with no spacing the turn is free at once");
  } finally {
    await a.close();
    await b.close();
  }
});

Deno.test("Redis outage: every operation refuses at once with StateUnavailableError, and works again after", async () => {
  await using redis = await startRedis("tests/state/redis_test.ts");
  if (!redis) return;
  const logged: string[] = [];
  const state = await RedisState.connect({
    url: redis.url,
    namespace: `t-outage-${crypto.randomUUID()}`,
    log: (m) => logged.push(m),
  });
  try {
    await state.ping();
    await redis.stop();
    const refusals = await Promise.allSettled([
      state.usage.reserve("k", reservation("o1")),
      state.usage.figures("k", NOW, "HKD"),
      state.idempotency.claim("k", "fp", 1_000),
      state.tokens.take("ct_x"),
      state.halt.get(),
      state.pacing.acquire("o", 20, 1_000),
    ]);
    for (const refusal of refusals) {
      assert(refusal.status === "rejected" && refusal.reason instanceof StateUnavailableError, String(refusal));
      assert(refusal.reason.message.includes(`127.0.0.1:${redis.port}`), refusal.reason.message);
    }
    await redis.start();
    await answered(state);
    assert((await state.usage.reserve("k", reservation("o2"))).ok);
    assert(logged.some((m) => m.includes("unavailable") && m.includes("trade writes are refused")), logged.join("\n"));
    assertEquals(logged.filter((m) => m.includes("connected to")).length, 2, "one message per change");
  } finally {
    await state.close();
  }
});
