/** Limits in upstream's order, their boundaries, and usage that outlives a restart. */
import { assertEquals, assertRejects } from "../helpers/assert.ts";
import { tempDir } from "../helpers/tmp.ts";
import { inHoursWindow, type LimitedWrite, LimitEngine, LimitViolation } from "../../src/access/limits.ts";
import { FileUsageStore, MemoryUsageStore, UsageStoreError } from "../../src/state/local.ts";
import { writeSecretFile } from "../../src/access/keys.ts";
import type { KeyLimits } from "../../src/access/keys.ts";

const target = { accId: "6234567", env: "SIMULATE", market: "HK" } as const;
const order = (extra: Partial<LimitedWrite> = {}): LimitedWrite => ({
  target,
  kind: "place",
  symbol: "HK.00700",
  side: "BUY",
  value: 40_000,
  currency: "HKD",
  ...extra,
});

function engine(now = Date.parse("2026-11-26T03:00:00Z")) {
  let clock = now;
  const e = new LimitEngine(new MemoryUsageStore(), { now: () => clock });
  return { e, advance: (ms: number) => clock += ms };
}

async function refuses(limits: KeyLimits, write: LimitedWrite, reason: string, allowed = true) {
  const error = await assertRejects(() => engine().e.reserve("k", limits, write, allowed), LimitViolation);
  assertEquals(error.reason, reason);
  return error;
}

Deno.test("each limit refuses with its reason; boundaries are inclusive of the cap", async () => {
  await refuses({}, order(), "account", false);
  await refuses({ allowedMarkets: ["US"] }, order(), "market");
  await refuses({ allowedSymbols: ["HK.09988"] }, order(), "symbol");
  await refuses({ allowedTrdSides: ["SELL"] }, order(), "side");
  await refuses({ hoursWindow: "13:00-14:00", hoursTz: "Asia/Hong_Kong" }, order(), "hours");
  await refuses({ maxOrderValue: 39_999.99 }, order(), "per_order");
  await engine().e.reserve("k", { maxOrderValue: 40_000 }, order(), true);
  await refuses({ priceCollarPct: 5 }, order({ limitPrice: 106, lastPrice: 100 }), "collar");
  await engine().e.reserve("k", { priceCollarPct: 5 }, order({ limitPrice: 105, lastPrice: 100 }), true);
  await refuses({ priceCollarPct: 5 }, order({ limitPrice: 105 }), "collar");
  await refuses({ maxOrderValue: 1 }, order({ value: undefined }), "per_order");
  await refuses({ maxDailyValue: 39_999 }, order(), "daily");
  await refuses({}, order({ value: Number.NaN }), "other");
  await refuses({}, order({ value: Number.POSITIVE_INFINITY }), "other");
  await refuses({}, order({ value: -1 }), "other");
});

Deno.test("the order of checks is upstream's: account, market, symbol, side, hours, value, rate, daily", async () => {
  const all: KeyLimits = {
    allowedMarkets: ["US"],
    allowedSymbols: ["US.AAPL"],
    allowedTrdSides: ["SELL"],
    hoursWindow: "00:00-00:01",
    maxOrderValue: 1,
    maxOrdersPerMinute: 0,
    maxDailyValue: 0,
  };
  await refuses(all, order(), "account", false);
  await refuses(all, order(), "market");
  await refuses({ ...all, allowedMarkets: undefined }, order(), "symbol");
  await refuses({ ...all, allowedMarkets: undefined, allowedSymbols: undefined }, order(), "side");
});

Deno.test("hours windows in a time zone, crossing midnight", () => {
  const at = Date.parse("2026-11-26T15:30:00Z"); // 23:30 in Hong Kong, 10:30 in New York
  assertEquals(inHoursWindow("22:00-04:00", "Asia/Hong_Kong", at), true);
  assertEquals(inHoursWindow("09:30-16:00", "America/New_York", at), true);
  assertEquals(inHoursWindow("09:30-16:00", "Asia/Hong_Kong", at), false);
  assertEquals(inHoursWindow("23:30-23:31", "Asia/Hong_Kong", at), true, "start is inclusive");
  assertEquals(inHoursWindow("23:00-23:30", "Asia/Hong_Kong", at), false, "end is exclusive");
});

Deno.test("rate: a 60 s sliding window; writes in flight count; released ones do not", async () => {
  const { e, advance } = engine();
  const limits = { maxOrdersPerMinute: 2 };
  const a = await e.reserve("k", limits, order(), true);
  const b = await e.reserve("k", limits, order(), true);
  const error = await assertRejects(
    () => e.reserve("k", limits, order(), true),
    LimitViolation,
    "rate limit exceeded: 3 in 60s (cap 2)",
  );
  assertEquals(error.reason, "rate");
  await b.release();
  const c = await e.reserve("k", limits, order(), true);
  await a.commit();
  await c.commit();
  await assertRejects(() => e.reserve("k", limits, order(), true), LimitViolation, "rate limit");
  advance(60_001);
  await e.reserve("k", limits, order(), true);
});

Deno.test("daily value: per UTC day and currency; modifications add only their increase; cancels add nothing", async () => {
  const { e, advance } = engine(Date.parse("2026-11-26T23:59:00Z"));
  const limits = { maxDailyValue: 100_000 };
  const place = (write: LimitedWrite) => e.reserve("k", limits, write, true);
  await (await place(order({ value: 60_000 }))).commit();
  // Committed, a cancel and a modification that lowers the order's value add nothing to today's total.
  await (await place(order({ kind: "CANCEL", value: undefined }))).commit();
  await (await place(order({ kind: "NORMAL", value: 50_000, addedValue: -10_000 }))).commit();
  await (await place(order({ value: 40_000 }))).commit();
  await assertRejects(() => place(order({ value: 1 })), LimitViolation, "daily value cap exceeded: 100001 HKD");
  await (await place(order({ value: 90_000, currency: "USD" }))).commit(); // another currency's total
  await (await place(order({ kind: "CANCEL", value: undefined }))).release();
  await (await place(order({ kind: "NORMAL", value: 50_000, addedValue: -10_000 }))).release();
  await assertRejects(
    () => place(order({ kind: "NORMAL", value: 70_000, addedValue: 10_000 })),
    LimitViolation,
    "daily",
  );
  advance(120_000); // 00:01 UTC the next day
  await (await place(order({ value: 100_000 }))).commit();
});

Deno.test("usage persists across restarts; a corrupt store refuses to start", async () => {
  const dir = await tempDir("usage");
  const path = `${dir}/state/usage.json`;
  const now = Date.now();
  const first = new LimitEngine(await FileUsageStore.open(path, writeSecretFile), { now: () => now });
  await (await first.reserve("k", { maxDailyValue: 50_000 }, order({ value: 50_000 }), true)).commit();
  assertEquals((await Deno.stat(path)).mode! & 0o777, 0o600);
  const restarted = new LimitEngine(await FileUsageStore.open(path, writeSecretFile), { now: () => now + 1000 });
  await assertRejects(
    () => restarted.reserve("k", { maxDailyValue: 50_000 }, order({ value: 1 }), true),
    LimitViolation,
    "daily",
  );
  await Deno.writeTextFile(path, "{not json");
  await assertRejects(() => FileUsageStore.open(path, writeSecretFile), UsageStoreError, "refusing to start");
});
