/**
 * futucli's options, warrants and futures commands as a real process against
 * the simulator: JSON output, flags reaching the tools, and exit codes.
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { startSim } from "../helpers/sim.ts";
import { futucli } from "../helpers/cli.ts";

Deno.test("futucli option, warrant and futures commands", async (t) => {
  await using sim = await startSim();
  const run = (...args: string[]) => futucli(["--gateway", sim.address, "-o", "json", ...args]);

  await t.step("option-expirations and option-chain", async () => {
    const expiries = (await run("option-expirations", "US.AAPL")).json<{ rows: [string, number, string][] }>();
    assert(expiries.rows.some((r) => r[2] === "WEEK") && expiries.rows.some((r) => r[2] === "MONTH"));
    const chain = await run("option-chain", "HK.00700", "--expiry", "2026-12-30", "--type", "PUT", "--no-quotes");
    assertEquals(chain.code, 0, chain.stderr);
    const result = chain.json<{ columns: string[]; rows: (string | null)[][] }>();
    assertEquals(result.columns, ["expiry", "strike", "call", "put"]);
    assert(result.rows.length > 0 && result.rows.every((r) => r[2] === null && /^HK\.TCH261230P\d+$/.test(r[3]!)));
  });
  await t.step("warrants: filters, sorting, paging", async () => {
    const first = await run("warrants", "HK.00700", "--type", "CALL,PUT", "--sort", "LEVERAGE", "--count", "3");
    assertEquals(first.code, 0, first.stderr);
    const page = first.json<{ all_count: number; next_offset: number; rows: (string | number)[][] }>();
    assertEquals([page.all_count, page.next_offset, page.rows.length], [6, 3, 3]);
    const leverage = page.rows.map((r) => r[10] as number);
    assertEquals(leverage, [...leverage].sort((a, b) => b - a));
    const rest = (await run("warrants", "HK.00700", "--type", "CALL,PUT", "--sort", "LEVERAGE", "--offset", "3"))
      .json<{ last_page: boolean; rows: string[][] }>();
    assertEquals([rest.last_page, rest.rows.length], [true, 3]);
    assertEquals(new Set([...page.rows, ...rest.rows].map((r) => r[0])).size, 6);
  });
  await t.step("related and future-info", async () => {
    const months = (await run("related", "HK.HSImain", "--type", "FUTURE")).json<{ rows: string[][] }>();
    assertEquals(months.rows[0][0], "HK.HSI2611");
    const info = (await run("future-info", "HK.HSImain", "HK.HSI2612")).json<{ futures: { symbol: string }[] }>();
    assertEquals(info.futures.map((f) => f.symbol), ["HK.HSImain", "HK.HSI2612"]);
  });
  await t.step("bad input: usage errors name the flag; OpenD's refusals exit 5", async () => {
    const count = await run("warrants", "--count", "0");
    assertEquals(count.code, 2);
    assert(count.stderr.includes("--count must be a whole number above 0"), count.stderr);
    const type = await run("option-chain", "US.AAPL", "--type", "straddle");
    assertEquals(type.code, 2, type.stderr);
    assert(type.stderr.includes("--type"), type.stderr);
    const notFuture = await run("future-info", "HK.00700");
    assertEquals(notFuture.code, 5, notFuture.stderr);
    assert(notFuture.stderr.includes("HK.00700 is not a futures contract"), notFuture.stderr);
  });
});
