/**
 * futucli's watchlist and price reminder commands as a real process against
 * the simulator: JSON output, what a change says it changed, exit codes, and
 * messages in futucli's terms.
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { startSim } from "../helpers/sim.ts";
import { futucli } from "../helpers/cli.ts";

interface Reminder {
  symbol: string;
  key: string;
  type: string;
  value: number;
  freq: string;
  enabled: boolean;
}

Deno.test("futucli watchlist commands: groups, a group, changes that say what changed, reminders", async (t) => {
  await using sim = await startSim();
  const run = (...args: string[]) => futucli(["--gateway", sim.address, ...args]);
  const json = (...args: string[]) => run("-o", "json", ...args);

  await t.step("watchlist-groups and watchlist", async () => {
    const groups = (await json("watchlist-groups", "--type", "system")).json<{ rows: string[][] }>();
    assertEquals(groups.rows.map((r) => r[0]), ["All", "HK", "US", "CN", "Options"]);
    const hk = (await json("watchlist", "HK")).json<{ group: string; rows: unknown[][] }>();
    assertEquals([hk.group, hk.rows.map((r) => r[0])], ["HK", ["HK.00700", "HK.09988"]]);
  });

  await t.step("watchlist-modify: no --confirm needed, and the text says what changed", async () => {
    const added = await run("watchlist-modify", "Tech", "HK.09988", "US.AAPL", "--op", "add");
    assertEquals(added.code, 0, added.stderr);
    assert(added.stdout.includes("added to Tech: HK.09988"), added.stdout);
    assert(added.stdout.includes("already in Tech: US.AAPL"), added.stdout);
    assert(added.stdout.includes("Tech now holds 4: US.AAPL US.NVDA HK.00700 HK.09988"), added.stdout);
    const moved = (await json("watchlist-modify", "Tech", "HK.00700", "--op", "move-out")).json<
      { changed: string[] }
    >();
    assertEquals(moved.changed, ["HK.00700"]);
    const deleted = await run("watchlist-modify", "HK Blue Chips", "HK.09988", "--op", "del");
    assert(deleted.stdout.includes("deleted from the watchlist, via HK Blue Chips: HK.09988"), deleted.stdout);
    const all = (await json("watchlist", "All")).json<{ rows: unknown[][] }>();
    assertEquals(all.rows.some((r) => r[0] === "HK.09988"), false);
  });

  await t.step("set-reminder and reminders", async () => {
    const added = await run("set-reminder", "HK.00700", "--type", "PRICE_UP", "--value", "999", "--note", "far");
    assertEquals(added.code, 0, added.stderr);
    const key = /added price reminder (\d+) on HK\.00700/.exec(added.stdout)?.[1];
    assert(key, added.stdout);
    const us = await json("set-reminder", "US.AAPL", "--type", "change-rate-down", "--value", "5", "--freq", "always");
    assertEquals(us.json<{ reminders: Reminder[] }>().reminders[0].type, "CHANGE_RATE_DOWN");
    const every = (await json("reminders")).json<{ reminders: Reminder[] }>();
    assertEquals(every.reminders.map((r) => [r.symbol, r.type, r.value]), [
      ["HK.00700", "PRICE_UP", 999],
      ["US.AAPL", "CHANGE_RATE_DOWN", 5],
    ]);
    const one = (await json("reminders", "HK.00700")).json<{ reminders: Reminder[] }>();
    assertEquals(one.reminders.map((r) => r.key), [key]);
    const disabled = await run("set-reminder", "HK.00700", "--op", "disable", "--key", key);
    assert(disabled.stdout.includes(`disabled price reminder ${key} of HK.00700`), disabled.stdout);
    const cleared = await run("set-reminder", "HK.00700", "--op", "del-all");
    assert(cleared.stdout.includes("deleted every price reminder of HK.00700"), cleared.stdout);
    assertEquals((await json("reminders", "--market", "HK")).json<{ reminders: Reminder[] }>().reminders, []);
  });

  await t.step("errors: usage (exit 2) in futucli's terms, OpenD's refusals (exit 5)", async () => {
    const noKey = await run("set-reminder", "HK.00700", "--op", "del");
    assertEquals(noKey.code, 2, noKey.stderr);
    assert(noKey.stderr.includes("--key: op DEL needs the key from futucli reminders"), noKey.stderr);
    const noOp = await run("watchlist-modify", "Tech", "HK.00700");
    assertEquals(noOp.code, 2);
    assert(noOp.stderr.includes("--op"), noOp.stderr);
    const badValue = await run("set-reminder", "HK.00700", "--type", "PRICE_UP", "--value", "-1");
    assertEquals(badValue.code, 2);
    assert(badValue.stderr.includes("--value must be a number of 0 or more, got -1"), badValue.stderr);
    const system = await run("watchlist-modify", "US", "US.TSLA", "--op", "add");
    assertEquals(system.code, 5, system.stderr);
    assert(system.stderr.includes('System group "US" cannot be modified'), system.stderr);
  });
});
