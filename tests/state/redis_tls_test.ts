/**
 * The shared state over TLS with a password, on a real redis-server that accepts only TLS and requires the
 * password: the right CA and password connect; a missing or wrong password and an unknown CA are refused at
 * once, saying why and never saying the password; and a spawned futu-mcp given `--state rediss://…`,
 * `--state-password-file` and `--state-tls-ca` places an order through it.
 *
 * @module
 */
import { assert, assertEquals, assertRejects } from "../helpers/assert.ts";
import { spawnHttp } from "../helpers/http_process.ts";
import { connectHttp, dataOf } from "../helpers/mcp.ts";
import { startRedis } from "../helpers/redis.ts";
import { startSim } from "../helpers/sim.ts";
import { testCertificates } from "../helpers/tls.ts";
import { tempDir } from "../helpers/tmp.ts";
import { generateKey, writeKeysFile, writeSecretFile } from "../../src/access/keys.ts";
import { RedisState } from "../../src/state/redis.ts";
import { StateUnavailableError } from "../../src/state/store.ts";

const PASSWORD = `pw-${crypto.randomUUID()}`;

async function tlsRedis(name: string) {
  const dir = await tempDir(name);
  const tls = await testCertificates(dir);
  const redis = await startRedis("tests/state/redis_tls_test.ts", { password: PASSWORD, tls });
  return { dir, tls, redis, ca: await Deno.readTextFile(tls.ca) };
}

Deno.test("Redis over TLS with a password: the right CA and password connect, anything else is refused saying why", async (t) => {
  const { redis, ca } = await tlsRedis("redis-tls");
  if (!redis) return;
  await using _redis = redis;
  assert(redis.url.startsWith("rediss://127.0.0.1:"), redis.url);
  const connect = async (options: { password?: string; tlsCa?: string }) => {
    const logged: string[] = [];
    const state = await RedisState.connect({
      url: redis.url,
      namespace: "t-tls",
      log: (m) => logged.push(m),
      ...options,
    });
    return { state, logged };
  };

  await t.step("the CA and the password: connected, and a reservation works", async () => {
    const { state, logged } = await connect({ password: PASSWORD, tlsCa: ca });
    try {
      await state.ping();
      assert((await state.usage.reserve("k", { id: "r1", at: Date.now(), value: 1, currency: "HKD" })).ok);
      assert(logged.some((m) => m.includes("connected to rediss://127.0.0.1:")), logged.join("\n"));
    } finally {
      await state.close();
    }
  });

  const refusals: [string, { password?: string; tlsCa?: string }, RegExp][] = [
    ["no password", { tlsCa: ca }, /NOAUTH/],
    ["a wrong password", { password: "not-the-password", tlsCa: ca }, /WRONGPASS/],
    ["a CA that did not sign the server's certificate", { password: PASSWORD }, /self-signed certificate/],
  ];
  for (const [what, options, why] of refusals) {
    await t.step(`${what}: refused, with the reason logged and never the password`, async () => {
      const { state, logged } = await connect(options);
      try {
        await assertRejects(() => state.ping(), StateUnavailableError);
        assert(logged.some((m) => why.test(m) && m.includes("trade writes are refused")), logged.join("\n"));
        for (const line of logged) assert(!line.includes(PASSWORD) && !line.includes("not-the-password"), line);
        assertEquals(state.up, false);
      } finally {
        await state.close();
      }
    });
  }
});

Deno.test("futu-mcp with --state rediss://…, --state-password-file and --state-tls-ca places an order", async () => {
  const { dir, tls, redis } = await tlsRedis("redis-tls-app");
  if (!redis) return;
  await using _redis = redis;
  await using sim = await startSim();
  const key = generateKey({ id: "desk", scopes: ["qot:read", "acc:read", "trade:simulate"] });
  await writeKeysFile(`${dir}/keys.json`, [key.record]);
  await writeSecretFile(`${dir}/redis.pass`, `${PASSWORD}\n`);
  await using app = await spawnHttp([
    "--gateway",
    sim.address,
    "--keys-file",
    `${dir}/keys.json`,
    "--state-dir",
    `${dir}/state`,
    "--state",
    redis.url,
    "--state-password-file",
    `${dir}/redis.pass`,
    "--state-tls-ca",
    tls.ca,
  ]);
  await app.waitForLog(/shared state: connected to rediss:/);
  await using client = await connectHttp(`${app.base}/mcp`, { authorization: `Bearer ${key.plaintext}` });
  const placed = dataOf<{ order_id: string; replayed: boolean }>(
    await client.callTool({
      name: "futu_place_order",
      arguments: { symbol: "HK.00700", side: "BUY", qty: 100, price: 400, idempotency_key: "tls-1" },
    }),
  );
  assertEquals(placed.replayed, false);
  assert(!app.log().includes(PASSWORD), "the Redis password is in futu-mcp's log");
});
