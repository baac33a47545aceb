/** Limits in upstream's order, their boundaries, and usage that outlives a restart. */
import { assertEquals, assertRejects, assertThrows } from "../helpers/assert.ts";
import { tempDir } from "../helpers/tmp.ts";
import { inHoursWindow, type LimitedWrite, LimitEngine, LimitViolation } from "../../src/access/limits.ts";
import { FileUsageStore, MemoryUsageStore, UsageStoreError } from "../../src/access/usage_store.ts";
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

function refuses(limits: KeyLimits, write: LimitedWrite, reason: string, allowed = true) {
  const error = assertThrows(() => engine().e.reserve("k", limits, write, allowed), LimitViolation);
  assertEquals(error.reason, reason);
  return error;
}

Deno.test("each limit refuses with its reason; boundaries are inclusive of the cap", () => {
  refuses({}, order(), "account", false);
  refuses({ allowedMarkets: ["US"] }, order(), "market");
  refuses({ allowedSymbols: ["HK.09988"] }, order(), "symbol");
  refuses({ allowedTrdSides: ["SELL"] }, order(), "side");
  refuses({ hoursWindow: "13:00-14:00", hoursTz: "Asia/Hong_Kong" }, order(), "hours");
  refuses({ maxOrderValue: 39_999.99 }, order(), "per_order");
  engine().e.reserve("k", { maxOrderValue: 40_000 }, order(), true);
  refuses({ priceCollarPct: 5 }, order({ limitPrice: 106, lastPrice: 100 }), "collar");
  engine().e.reserve("k", { priceCollarPct: 5 }, order({ limitPrice: 105, lastPrice: 100 }), true);
  refuses({ priceCollarPct: 5 }, order({ limitPrice: 105 }), "collar");
  refuses({ maxOrderValue: 1 }, order({ value: undefined }), "per_order");
  refuses({ maxDailyValue: 39_999 }, order(), "daily");
  refuses({}, order({ value: Number.NaN }), "other");
  refuses({}, order({ value: Number.POSITIVE_INFINITY }), "other");
  refuses({}, order({ value: -1 }), "other");
});

Deno.test("the order of checks is upstream's: account, market, symbol, side, hours, value, rate, daily", () => {
  const all: KeyLimits = {
    allowedMarkets: ["US"],
    allowedSymbols: ["US.AAPL"],
    allowedTrdSides: ["SELL"],
    hoursWindow: "00:00-00:01",
    maxOrderValue: 1,
    maxOrdersPerMinute: 0,
    maxDailyValue: 0,
  };
  refuses(all, order(), "account", false);
  refuses(all, order(), "market");
  refuses({ ...all, allowedMarkets: undefined }, order(), "symbol");
  refuses({ ...all, allowedMarkets: undefined, allowedSymbols: undefined }, order(), "side");
});

Deno.test("hours windows in a time zone, crossing midnight", () => {
  const at = Date.parse("2026-11-26T15:30:00Z"); // 23:30 in Hong Kong, 10:30 in New York
  assertEquals(inHoursWindow("22:00-04:00", "Asia/Hong_Kong", at), true);
  assertEquals(inHoursWindow("09:30-16:00", "America/New_York", at), true);
  assertEquals(inHoursWindow("09:30-16:00", "Asia/Hong_Kong", at), false);
  assertEquals(inHoursWindow("23:30-23:31", "Asia/Hong_Kong", at), true, "start is inclusive");
  assertEquals(inHoursWindow("23:00-23:30", "Asia/Hong_Kong", at), false, "end is exclusive");
});

Deno.test("rate: a 60 s sliding window; writes in flight count; released ones do not", () => {
  const { e, advance } = engine();
  const limits = { maxOrdersPerMinute: 2 };
  const a = e.reserve("k", limits, order(), true);
  const b = e.reserve("k", limits, order(), true);
  const error = assertThrows(
    () => e.reserve("k", limits, order(), true),
    LimitViolation,
    "rate limit exceeded: 3 in 60s (cap 2)",
  );
  assertEquals(error.reason, "rate");
  b.release();
  const c = e.reserve("k", limits, order(), true);
  a.commit();
  c.commit();
  assertThrows(() => e.reserve("k", limits, order(), true), LimitViolation, "rate limit");
  advance(60_001);
  e.reserve("k", limits, order(), true);
});

Deno.test("daily value: per UTC day and currency; modifications add only their increase; cancels add nothing", async () => {
  const { e, advance } = engine(Date.parse("2026-11-26T23:59:00Z"));
  const limits = { maxDailyValue: 100_000 };
  await e.reserve("k", limits, order({ value: 60_000 }), true).commit();
  // Committed, a cancel and a modification that lowers the order's value add nothing to today's total.
  await e.reserve("k", limits, order({ kind: "CANCEL", value: undefined }), true).commit();
  await e.reserve("k", limits, order({ kind: "NORMAL", value: 50_000, addedValue: -10_000 }), true).commit();
  await e.reserve("k", limits, order({ value: 40_000 }), true).commit();
  assertThrows(
    () => e.reserve("k", limits, order({ value: 1 }), true),
    LimitViolation,
    "daily value cap exceeded: 100001 HKD",
  );
  await e.reserve("k", limits, order({ value: 90_000, currency: "USD" }), true).commit(); // another currency's total
  e.reserve("k", limits, order({ kind: "CANCEL", value: undefined }), true).release();
  e.reserve("k", limits, order({ kind: "NORMAL", value: 50_000, addedValue: -10_000 }), true).release();
  assertThrows(
    () => e.reserve("k", limits, order({ kind: "NORMAL", value: 70_000, addedValue: 10_000 }), true),
    LimitViolation,
    "daily",
  );
  advance(120_000); // 00:01 UTC the next day
  await e.reserve("k", limits, order({ value: 100_000 }), true).commit();
});

Deno.test("usage persists across restarts; a corrupt store refuses to start", async () => {
  const dir = await tempDir("usage");
  const path = `${dir}/state/usage.json`;
  const now = Date.now();
  const first = new LimitEngine(await FileUsageStore.open(path), { now: () => now });
  await first.reserve("k", { maxDailyValue: 50_000 }, order({ value: 50_000 }), true).commit();
  assertEquals((await Deno.stat(path)).mode! & 0o777, 0o600);
  const restarted = new LimitEngine(await FileUsageStore.open(path), { now: () => now + 1000 });
  assertThrows(
    () => restarted.reserve("k", { maxDailyValue: 50_000 }, order({ value: 1 }), true),
    LimitViolation,
    "daily",
  );
  await Deno.writeTextFile(path, "{not json");
  await assertRejects(() => FileUsageStore.open(path), UsageStoreError, "refusing to start");
});
