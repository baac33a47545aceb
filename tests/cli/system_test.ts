/**
 * futucli's system commands as a real process against the simulator:
 * `market-state`, `global-state`, `subscriptions`, `kl-quota`, `user-info`,
 * `delay-stats`, their JSON output and exit codes.
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { connect, startSim } from "../helpers/sim.ts";
import { futucli } from "../helpers/cli.ts";

type Table = { columns: string[]; rows: (string | number | null)[][] };

Deno.test("futucli system commands print OpenD's state, quotas, user and delays", async (t) => {
  await using sim = await startSim({ subscriptionQuota: 300, historyQuota: 50 });
  const run = (...args: string[]) => futucli(["--gateway", sim.address, "-o", "json", ...args]);

  await t.step("market-state and global-state", async () => {
    const states = await run("market-state", "HK.00700", "SH.600519");
    assertEquals(states.code, 0, states.stderr);
    assertEquals(states.json<Table>().rows.map((r) => [r[0], r[2]]), [["HK.00700", "MORNING"], [
      "SH.600519",
      "MORNING",
    ]]);
    const global = (await run("global-state")).json<{ markets: Record<string, string>; qot_logined: boolean }>();
    assertEquals([global.markets.HK, global.qot_logined], ["MORNING", true]);
  });

  await t.step("subscriptions: another client's pairs with --all; user-info has the same quota", async () => {
    await using other = await connect(sim);
    await other.quote.subscribe(["HK.00700", "US.AAPL"], ["QUOTE"], { push: false });
    type Subs = { used: number; quota: number; connections: { own: boolean; used: number }[] };
    const own = (await run("subscriptions")).json<Subs>();
    assertEquals([own.used, own.quota], [2, 300]);
    assertEquals(own.connections.map((c) => [c.own, c.used]), [[true, 0]], "futucli itself subscribed nothing");
    const all = (await run("subscriptions", "--all")).json<Subs>();
    assert(all.connections.some((c) => !c.own && c.used === 2), JSON.stringify(all));
    const user = (await run("user-info")).json<{ sub_quota: number; history_kl_quota: number; user_id: string }>();
    assertEquals([user.sub_quota, user.history_kl_quota, user.user_id], [300, 50, "10086001"]);
  });

  await t.step("kl-quota counts the history futucli fetched", async () => {
    assertEquals((await run("kline", "HK.00700", "--begin", "2026-10-01", "--end", "2026-10-31")).code, 0);
    const quota = (await run("kl-quota", "--detail")).json<{ used: number; remaining: number; detail: Table }>();
    assertEquals([quota.used, quota.remaining], [1, 49]);
    assertEquals(quota.detail.rows.map((r) => r[0]), ["HK.00700"]);
    assertEquals((await run("kl-quota")).json<{ detail?: Table }>().detail, undefined);
  });

  await t.step("delay-stats: the simulator's request timings, filtered by --type", async () => {
    const stats = await run("delay-stats", "--type", "REQ_REPLY,PLACE_ORDER", "--segments", "10,100,-1");
    assertEquals(stats.code, 0, stats.stderr);
    const body = stats.json<{ pushes: unknown[]; requests: Table; orders: Table }>();
    assertEquals(body.pushes, []);
    const protocols = body.requests.rows.map((r) => r[1]);
    assert(protocols.includes("Qot_RequestHistoryKL") && protocols.includes("GetUserInfo"), String(protocols));
    assertEquals(body.orders.rows, []);
  });

  await t.step("bad input exits 2 naming the flag; OpenD's refusal exits 5", async () => {
    const stage = await run("delay-stats", "--stage", "nope");
    assertEquals(stage.code, 2);
    assert(stage.stderr.includes("--stage"), stage.stderr);
    const segments = await run("delay-stats", "--segments", "10,x");
    assertEquals(segments.code, 2);
    assert(segments.stderr.includes("--segments"), segments.stderr);
    const granularity = await run("delay-stats", "--segments", "120");
    assertEquals(granularity.code, 5);
    assert(granularity.stderr.includes("multiple of 50"), granularity.stderr);
    assertEquals((await run("market-state")).code, 2, "missing symbols");
    const symbol = await run("market-state", "XX.BAD");
    assertEquals(symbol.code, 2);
    assert(symbol.stderr.includes('unknown market "XX"'), symbol.stderr);
  });
});
