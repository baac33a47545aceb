/**
 * futucli's capital flow, holder, screen and owner-plate commands as a real
 * process against the simulator: JSON output, the --filter syntax, exit codes
 * and messages in futucli's terms.
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { startSim } from "../helpers/sim.ts";
import { futucli } from "../helpers/cli.ts";

type Table = { columns: string[]; rows: (string | number | null)[][] };

Deno.test("futucli capital-flow, capital-distribution, holding-changes, screen and owner-plates", async (t) => {
  await using sim = await startSim();
  const run = (...args: string[]) => futucli(["--gateway", sim.address, ...args]);
  const json = async <T = Table>(...args: string[]) => {
    const result = await run("-o", "json", ...args);
    assertEquals(result.code, 0, result.stderr);
    return result.json<T>();
  };

  await t.step("capital-distribution and capital-flow agree", async () => {
    const dist = await json<Table & { total_in: number; total_out: number }>("capital-distribution", "HK.00700");
    const flow = await json<Table>("capital-flow", "HK.00700");
    assert(Math.abs((flow.rows.at(-1)![1] as number) - (dist.total_in - dist.total_out)) < 0.1);
    const weeks = await json<Table & { period: string }>(
      "capital-flow",
      "HK.00700",
      "--period",
      "week",
      "--begin",
      "2026-11-02",
      "--end",
      "2026-11-20",
    );
    assertEquals([weeks.period, weeks.rows.map((r) => r[0])], [
      "WEEK",
      ["2026-11-02 00:00:00", "2026-11-09 00:00:00", "2026-11-16 00:00:00"],
    ]);
  });

  await t.step("holding-changes of a US stock", async () => {
    const changes = await json<Table & { holder: string }>(
      "holding-changes",
      "US.TSLA",
      "--holder",
      "executive",
      "--count",
      "3",
    );
    assertEquals([changes.holder, changes.rows.length], ["EXECUTIVE", 3]);
  });

  await t.step("screen: --filter FIELD:MIN:MAX[:DAYS], --sort, paging", async () => {
    const screen = await json<Table & { all_count: number }>(
      "screen",
      "--market",
      "HK",
      "--filter",
      "PE_ANNUAL:10:30",
      "--filter",
      "CHANGE_RATE:::5",
      "--sort",
      "pe_annual:desc",
    );
    assertEquals(screen.columns, ["symbol", "name", "PE_ANNUAL", "CHANGE_RATE_5D"]);
    const pe = screen.rows.map((r) => r[2] as number);
    assert(pe.length >= 2 && pe.every((v) => v >= 10 && v <= 30), JSON.stringify(screen.rows));
    assertEquals(pe, [...pe].sort((a, b) => b - a), "descending");
    const page = await json<Table & { next_offset: number }>(
      "screen",
      "--market",
      "HK",
      "--sort",
      "CUR_PRICE",
      "--count",
      "4",
    );
    assertEquals([page.rows.length, page.next_offset], [4, 4]);
    const second = await json<Table & { last_page: boolean }>(
      "screen",
      "--market",
      "HK",
      "--sort",
      "CUR_PRICE",
      "--offset",
      "4",
    );
    assertEquals([second.rows.length, second.last_page], [2, true]);
    const table = await run("screen", "--market", "HK", "--plate", "HK.BK1583", "--filter", "PB_RATE");
    assertEquals(table.code, 0, table.stderr);
    assert(table.stdout.includes("HK.00005") && table.stdout.includes("HK.00941"), table.stdout);
  });

  await t.step("owner-plates", async () => {
    const owners = await json("owner-plates", "HK.00700", "US.NVDA");
    assertEquals(owners.rows.filter((r) => r[0] === "US.NVDA").map((r) => r[1]), ["US.BK2999", "US.BK2001"]);
  });

  await t.step("usage and argument errors", async () => {
    const badSpec = await run("screen", "--market", "HK", "--filter", "PE_ANNUAL:low");
    assertEquals(badSpec.code, 2, badSpec.stderr);
    assert(badSpec.stderr.includes("--filter PE_ANNUAL: MIN must be a number"), badSpec.stderr);
    const noMarket = await run("screen");
    assertEquals(noMarket.code, 2, noMarket.stderr);
    assert(noMarket.stderr.includes("--market"), noMarket.stderr);
    const unknown = await run("screen", "--market", "HK", "--filter", "NOPE:1");
    assert(unknown.code !== 0 && unknown.stderr.includes("NOPE"), unknown.stderr);
    const range = await run("capital-flow", "HK.00700", "--begin", "2026-11-01");
    assert(range.code !== 0 && range.stderr.includes("--begin"), range.stderr);
    const hk = await run("holding-changes", "HK.00700");
    assert(hk.code !== 0 && hk.stderr.includes("US stocks only"), hk.stderr);
  });
});
