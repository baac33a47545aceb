/**
 * `futucli research` as a real process against the simulator: each of its six
 * commands runs its futu-mcp tool with flags made from the tool's arguments,
 * JSON and table output, usage errors naming the flag.
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { startSim } from "../helpers/sim.ts";
import { futucli } from "../helpers/cli.ts";

type Table = { columns: string[]; rows: (string | number | boolean | null)[][] };

Deno.test("futucli research: profile, financials, earnings, holders, movers, news", async (t) => {
  await using sim = await startSim();
  const run = (...args: string[]) => futucli(["--gateway", sim.address, ...args]);
  const json = async <T>(...args: string[]) => {
    const result = await run("-o", "json", "research", ...args);
    assertEquals(result.code, 0, result.stderr);
    return result.json<T>();
  };

  await t.step("profile and executives", async () => {
    const profile = await json<{ symbol: string; view: string; item_list: Table }>("profile", "US.AAPL");
    assertEquals([profile.symbol, profile.view], ["US.AAPL", "profile"]);
    assert(profile.item_list.rows.length > 0);
    const execs = await json<{ view: string; director_list: Table }>("profile", "US.AAPL", "--view", "executives");
    assertEquals(execs.view, "executives");
    assert(execs.director_list.columns.includes("leader_name"));
  });

  await t.step("financials: a balance sheet, its page size", async () => {
    const balance = await json<{ report_list: unknown[] }>(
      "financials",
      "US.AAPL",
      "--statement",
      "balance",
      "--max-count",
      "2",
    );
    assertEquals(balance.report_list.length, 2);
  });

  await t.step("earnings calendar and holders", async () => {
    const earnings = await json<Record<string, unknown>>("earnings", "--market", "US", "--begin", "2026-10-20");
    assert("item_list" in earnings || "total" in earnings, JSON.stringify(earnings).slice(0, 200));
    const holders = await json<Record<string, unknown>>("holders", "US.AAPL");
    assert(Object.keys(holders).length > 1);
  });

  await t.step("movers agree with the quote; news finds the keyword", async () => {
    const movers = await json<{ rank_list?: Table } & Record<string, unknown>>(
      "movers",
      "--market",
      "HK",
      "--max-count",
      "3",
    );
    assert(JSON.stringify(movers).includes("HK."), "HK stocks ranked");
    const news = await json<Record<string, unknown>>("news", "--keyword", "dividend");
    assert(JSON.stringify(news).toLowerCase().includes("dividend"));
  });

  await t.step("table output is the tool's text rendering", async () => {
    const result = await run("research", "profile", "HK.00700");
    assertEquals(result.code, 0, result.stderr);
    assert(result.stdout.includes("symbol: HK.00700"), result.stdout);
  });

  await t.step("usage errors name the flag and exit 2", async () => {
    const badNumber = await run("research", "financials", "US.AAPL", "--max-count", "two");
    assertEquals(badNumber.code, 2);
    assert(badNumber.stderr.includes("--max-count"), badNumber.stderr);
    const badView = await run("research", "profile", "US.AAPL", "--view", "nope");
    assertEquals(badView.code, 2, badView.stderr);
    assert(badView.stderr.includes("--view"), badView.stderr);
    const badFilter = await run("research", "movers", "--filters", "MARKET_CAP");
    assertEquals(badFilter.code, 2);
    assert(badFilter.stderr.includes("--filters expects a JSON object"), badFilter.stderr);
  });
});
