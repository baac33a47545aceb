/**
 * What a new futucli user meets, as a real process against the simulator:
 * hints that name futucli's flags, documented exit codes, one message per bad
 * quantity, a missing OpenD, no keys yet, and a cancelled REAL order that
 * reports its status and stays listed.
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { REAL_HK, startSim } from "../helpers/sim.ts";
import { futucli } from "../helpers/cli.ts";
import { tempDir } from "../helpers/tmp.ts";
import { freePort } from "../helpers/net.ts";

/** Thursday 2026-11-26 17:00 in Hong Kong: after the close, so a new order is for the next session. */
const HK_EVENING = Date.parse("2026-11-26T09:00:00Z");

Deno.test("futucli speaks its own flags, with the documented exit codes", async (t) => {
  await using sim = await startSim({ rateLimits: false });
  const run = (...args: string[]) => futucli(["--gateway", sim.address, "-o", "json", ...args]);

  await t.step("several REAL accounts and no --acc-id: a usage error naming --acc-id", async () => {
    const ambiguous = await run("funds", "--env", "real", "--market", "US");
    assertEquals(ambiguous.code, 2, ambiguous.stderr);
    assert(ambiguous.stderr.includes("pass --acc-id to choose one"), ambiguous.stderr);
    assert(!ambiguous.stderr.includes("acc_id"), ambiguous.stderr);
  });
  await t.step("the wrong --env and an unknown order are usage errors in futucli's terms", async () => {
    const wrongEnv = await run("funds", "--env", "real", "--acc-id", "6234567");
    assertEquals(wrongEnv.code, 2, wrongEnv.stderr);
    assert(wrongEnv.stderr.includes('pass --env "simulate"'), wrongEnv.stderr);
    const unknown = await run("cancel-order", "999");
    assertEquals(unknown.code, 2, unknown.stderr);
    assert(unknown.stderr.includes("check futucli orders, or pass --market"), unknown.stderr);
  });
  await t.step("a lot-size refusal points at <qty> and futucli static", async () => {
    const odd = await run("place-order", "HK.00700", "BUY", "150", "--price", "380");
    assertEquals(odd.code, 5, odd.stderr);
    assert(odd.stderr.includes("hint: Pass <qty> as a multiple of the lot size (futucli static"), odd.stderr);
    assert(!odd.stderr.includes("futu_"), odd.stderr);
  });
  await t.step("one message per bad quantity, whichever way it is wrong", async () => {
    for (const qty of ["-100", "0", "1.5", "abc"]) {
      const bad = await run("place-order", "HK.00700", "BUY", qty, "--price", "380");
      assertEquals(bad.code, 2, bad.stderr);
      assertEquals(bad.stderr.trim(), `futucli: <qty> must be a whole number above 0, got ${qty}`);
    }
    const modify = await run("modify-order", "1", "--qty", "0");
    assertEquals(modify.stderr.trim(), "futucli: --qty must be a whole number above 0, got 0");
    const price = await run("place-order", "HK.00700", "BUY", "100", "--price", "-1");
    assertEquals(price.stderr.trim(), "futucli: --price must be a number above 0, got -1");
  });
  await t.step("--gateway that is no host:port is a usage error", async () => {
    const bad = await futucli(["--gateway", "nonsense", "ping"]);
    assertEquals(bad.code, 2, bad.stderr);
    assertEquals(bad.stderr.trim(), 'futucli: invalid --gateway "nonsense": expected host:port, e.g. 127.0.0.1:11111');
  });
  await t.step("an unreadable --rsa-key is a failure (1), not an unreachable OpenD", async () => {
    const missing = await futucli(["--gateway", sim.address, "--rsa-key", ".test-tmp/no-such-key.pem", "ping"]);
    assertEquals(missing.code, 1, missing.stderr);
    assert(missing.stderr.includes("--rsa-key .test-tmp/no-such-key.pem:"), missing.stderr);
  });
});

Deno.test("a missing OpenD: where futucli tried, once, and how to start one", async () => {
  const address = `127.0.0.1:${freePort()}`;
  const down = await futucli(["--gateway", address, "ping"]);
  assertEquals(down.code, 4, down.stderr);
  const [message, hint] = down.stderr.trim().split("\n");
  assert(message.startsWith(`futucli: cannot connect to OpenD at ${address}: `), message);
  assertEquals(message.split("OpenD at").length, 2, `the address once: ${message}`);
  assert(hint?.startsWith("hint: start Futu OpenD") && hint.includes("futucli sim"), down.stderr);
});

Deno.test("list-keys before any key: says so, where it looked and how to make one; JSON is an empty list", async () => {
  const dir = await tempDir("nokeys");
  const path = `${dir}/keys.json`;
  const text = await futucli(["list-keys", "--keys-file", path]);
  assertEquals(text.code, 0, text.stderr);
  assertEquals(text.stderr, "");
  assert(text.stdout.startsWith(`No keys yet: ${Deno.cwd()}/${path} does not exist.`), text.stdout);
  assert(text.stdout.includes("futucli gen-key --id <id> --scopes"), text.stdout);
  const json = await futucli(["-o", "json", "list-keys", "--keys-file", path]);
  assertEquals(json.code, 0, json.stderr);
  assertEquals(json.json<{ keys: unknown[] }>().keys, []);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("cancelling a REAL order after the close prints its status, and it stays in today's orders", async () => {
  await using sim = await startSim({ at: HK_EVENING, rateLimits: false });
  const run = (...args: string[]) =>
    futucli(["--gateway", sim.address, "-o", "json", ...args], { env: { FUTU_TRADE_PWD: "123456" } });
  const real = ["--env", "real", "--acc-id", REAL_HK.accId, "--confirm"];
  assertEquals((await run("unlock-trade")).code, 0);
  const placed = (await run("place-order", "HK.00700", "BUY", "100", "--price", "380", ...real)).json<
    { order_id: string }
  >();
  const cancelled = await futucli(
    ["--gateway", sim.address, "cancel-order", placed.order_id, ...real],
    { env: { FUTU_TRADE_PWD: "123456" } },
  );
  assertEquals(cancelled.code, 0, cancelled.stderr);
  assert(
    /^status\s+CANCELLED_ALL$/m.test(cancelled.stdout),
    `the status OpenD reports after the cancel:\n${cancelled.stdout}`,
  );
  const orders = (await run("orders", "--env", "real", "--acc-id", REAL_HK.accId)).json<
    { columns: string[]; rows: unknown[][] }
  >();
  const row = orders.rows.find((r) => r[orders.columns.indexOf("order_id")] === placed.order_id);
  assert(row, `order ${placed.order_id} vanished from today's orders: ${JSON.stringify(orders.rows)}`);
  assertEquals(row[orders.columns.indexOf("status")], "CANCELLED_ALL");
});
