/**
 * futucli's calendar commands as a real process against the simulator:
 * `trading-days`, `ipo-list`, `code-changes` and `rehab`, their JSON output,
 * and the exit codes of a bad argument and of an OpenD refusal.
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { startSim } from "../helpers/sim.ts";
import { futucli } from "../helpers/cli.ts";

type Table = { columns: string[]; rows: (string | number | null)[][] };

Deno.test("futucli calendar commands print the simulator's calendar as JSON", async (t) => {
  await using sim = await startSim();
  const run = (...args: string[]) => futucli(["--gateway", sim.address, "-o", "json", ...args]);

  await t.step("trading-days: a market's days, or a security's", async () => {
    const us = await run("trading-days", "US", "--begin", "2026-11-23", "--end", "2026-11-30");
    assertEquals(us.code, 0, us.stderr);
    const days = us.json<Table & { trading_days: number }>();
    assertEquals(days.rows.map((r) => r.join(" ")), [
      "2026-11-23 WHOLE",
      "2026-11-24 WHOLE",
      "2026-11-25 WHOLE",
      "2026-11-27 MORNING",
      "2026-11-30 WHOLE",
    ]);
    const moutai = (await run("trading-days", "--symbol", "SH.600519", "--begin", "2026-10-01", "--end", "2026-10-09"))
      .json<Table & { market: string }>();
    assertEquals([moutai.market, moutai.rows.map((r) => r[0])], ["CN", ["2026-10-08", "2026-10-09"]]);
  });

  await t.step("ipo-list", async () => {
    const hk = (await run("ipo-list", "HK")).json<{ market: string; ipos: { symbol: string; lot_size: number }[] }>();
    assertEquals(hk.market, "HK");
    assert(hk.ipos.length > 0 && hk.ipos.every((i) => i.symbol.startsWith("HK.") && i.lot_size > 0));
  });

  await t.step("code-changes by code and type", async () => {
    const all = (await run("code-changes")).json<Table>();
    assertEquals(all.rows.length, 5);
    const some = (await run("code-changes", "HK.00493", "HK.01357", "--type", "JOINT,SPLIT")).json<Table>();
    assertEquals(some.rows.map((r) => [r[0], r[1]]), [["SPLIT", "HK.01357"], ["JOINT", "HK.00493"]]);
    const dated = (await run("code-changes", "--time-field", "PUBLIC", "--begin", "2026-11-01")).json<Table>();
    assertEquals(dated.rows.map((r) => r[0]), ["JOINT", "CHANGE_LOT", "UNPAID"]);
  });

  await t.step("rehab", async () => {
    const rehab = (await run("rehab", "US.NVDA")).json<Table & { symbol: string }>();
    assertEquals(rehab.symbol, "US.NVDA");
    assertEquals(rehab.rows.slice(0, 2).map((r) => [r[0], r[2]]), [["2021-07-20", "split 1:4"], [
      "2024-06-10",
      "split 1:10",
    ]]);
  });

  await t.step("a bad argument exits 2 naming the flag; an OpenD refusal exits with its own code", async () => {
    const neither = await run("trading-days", "--begin", "2026-11-02");
    assertEquals(neither.code, 2, neither.stderr);
    assert(neither.stderr.includes("<market>"), neither.stderr);
    const badType = await run("code-changes", "--type", "MERGE");
    assertEquals(badType.code, 2, badType.stderr);
    assert(badType.stderr.includes("types.0: expected one of GEM_TO_MAIN"), badType.stderr);
    const unknown = await run("rehab", "US.NOPE");
    assert(unknown.code !== 0 && unknown.code !== 2, `exit ${unknown.code}`);
    assert(unknown.stderr.includes("US.NOPE"), unknown.stderr);
  });
});
