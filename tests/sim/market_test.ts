/** The deterministic market: same seed, same data; bars that add up; calendars by market. */
import { assert, assertEquals } from "../helpers/assert.ts";
import { ManualClock, marketPhase, utcOf } from "../../src/sim/clock.ts";
import { securityBySymbol, SIM_SECURITIES } from "../../src/sim/catalog.ts";
import { MarketData } from "../../src/sim/market.ts";
import { isOnTick } from "../../src/sim/ticks.ts";

const AT = Date.parse("2026-11-26T06:00:00Z"); // 14:00 in Hong Kong
const TENCENT = securityBySymbol("HK.00700")!;

function market(seed: number, at = AT) {
  return new MarketData(seed, new ManualClock(at));
}

Deno.test("the same seed and clock give the same data; another seed gives other data", () => {
  const a = market(7);
  const b = market(7);
  const c = market(8);
  for (const security of SIM_SECURITIES) {
    const week = (m: MarketData) => m.bars(security, "K_DAY", AT - 10 * 86_400_000, AT, 100);
    assertEquals(week(a), week(b), security.symbol);
    assertEquals(a.latestPrints(security, 50), b.latestPrints(security, 50));
    assertEquals(a.orderBook(security, 10), b.orderBook(security, 10));
  }
  assert(
    a.currentPrice(TENCENT) !== c.currentPrice(TENCENT) ||
      a.previousClose(TENCENT, AT) !== c.previousClose(TENCENT, AT),
  );
});

Deno.test("a daily bar aggregates its minute bars exactly, and every print lies inside its minute", () => {
  const m = market(42);
  const day = Date.parse("2026-11-25T00:00:00Z");
  const minutes = m.bars(TENCENT, "K_1M", day, day + 86_400_000 - 1, 1000);
  assertEquals(minutes.length, 330, "HK trades 330 minutes a day");
  assertEquals(minutes[0].time, "2026-11-25 09:31:00");
  assertEquals(minutes[149].time, "2026-11-25 12:00:00");
  assertEquals(minutes[150].time, "2026-11-25 13:01:00");
  const [daily] = m.bars(TENCENT, "K_DAY", day, day + 86_400_000 - 1, 1);
  assertEquals(daily.open, minutes[0].open);
  assertEquals(daily.close, minutes.at(-1)!.close);
  assertEquals(daily.high, Math.max(...minutes.map((b) => b.high)));
  assertEquals(daily.low, Math.min(...minutes.map((b) => b.low)));
  assertEquals(daily.volume, minutes.reduce((s, b) => s + b.volume, 0));
  for (const bar of minutes) {
    assert(bar.low <= bar.open && bar.open <= bar.high && bar.low <= bar.close && bar.close <= bar.high);
    for (const price of [bar.open, bar.high, bar.low, bar.close]) assert(isOnTick(TENCENT, price), `${price} off tick`);
  }
  const hourly = m.bars(TENCENT, "K_60M", day, day + 86_400_000 - 1, 100);
  assertEquals(hourly.map((b) => b.time.slice(11, 16)), ["10:30", "11:30", "12:00", "14:00", "15:00", "16:00"]);
  assertEquals(hourly.reduce((s, b) => s + b.volume, 0), daily.volume);
});

Deno.test("prints add up to their minute's volume and stay within its range", () => {
  const m = market(42);
  const prints = m.latestPrints(TENCENT, 200);
  const minutes = m.bars(TENCENT, "K_1M", prints[0].atMs - 120_000, AT, 1000);
  const byStart = new Map(minutes.map((b) => [b.startMs, b]));
  const volume = new Map<number, number>();
  for (const p of prints) {
    const start = Math.floor(p.atMs / 60_000) * 60_000;
    const bar = byStart.get(start)!;
    assert(bar.low <= p.price && p.price <= bar.high, `print ${p.price} outside [${bar.low}, ${bar.high}]`);
    volume.set(start, (volume.get(start) ?? 0) + p.volume);
  }
  const complete = [...volume.keys()].slice(1, -1);
  for (const start of complete) assertEquals(volume.get(start), byStart.get(start)!.volume);
});

Deno.test("weekly, monthly and yearly bars aggregate days", () => {
  const m = market(42);
  const from = Date.parse("2026-10-01T00:00:00Z");
  const days = m.bars(TENCENT, "K_DAY", Date.parse("2026-11-02T00:00:00Z"), Date.parse("2026-11-06T23:00:00Z"), 10);
  const [week] = m.bars(TENCENT, "K_WEEK", Date.parse("2026-11-02T00:00:00Z"), Date.parse("2026-11-06T23:00:00Z"), 1);
  assertEquals(week.time, "2026-11-02 00:00:00");
  assertEquals([week.open, week.close], [days[0].open, days.at(-1)!.close]);
  assertEquals(week.volume, days.reduce((s, b) => s + b.volume, 0));
  const months = m.bars(TENCENT, "K_MON", from, AT, 10);
  assertEquals(months.map((b) => b.time.slice(0, 7)), ["2026-10", "2026-11"]);
  assertEquals(m.bars(TENCENT, "K_YEAR", Date.parse("2024-01-01"), AT, 10).length, 3);
});

Deno.test("derivatives follow their underlying", () => {
  const m = market(42);
  const warrant = securityBySymbol("HK.28123")!;
  const option = securityBySymbol("US.AAPL270115C250000")!;
  const up = market(42, AT);
  assert(m.currentPrice(warrant) > 0 && m.currentPrice(option) > 0);
  const value = m.derivativeValue(option, 300, AT);
  assert(value.delta > 0.5 && value.delta < 1, "a call deep in the money has delta above one half");
  assert(m.derivativeValue(option, 300, AT).price > m.derivativeValue(option, 200, AT).price);
  assert(m.derivativeValue(warrant, 500, AT).price > m.derivativeValue(warrant, 400, AT).price);
  assertEquals(up.currentPrice(warrant), m.currentPrice(warrant));
  // Over a trading day, each call is dearest when its underlying is highest and cheapest when it is lowest.
  for (const [derivative, day] of [[warrant, "2026-11-25T01:30:00Z"], [option, "2026-11-25T14:30:00Z"]] as const) {
    const underlying = m.underlyingOf(derivative);
    const open = Date.parse(day);
    const minutes = Array.from({ length: 300 }, (_, i) => open + (i + 1) * 60_000)
      .filter((ms) => marketPhase(underlying.market, ms).trading);
    const byUnderlying = [...minutes].sort((a, b) => m.priceAt(underlying, a) - m.priceAt(underlying, b));
    const [low, high] = [byUnderlying[0], byUnderlying.at(-1)!];
    assert(m.priceAt(underlying, high) > m.priceAt(underlying, low), `${underlying.symbol} moved during the day`);
    assert(
      m.priceAt(derivative, high) > m.priceAt(derivative, low),
      `${derivative.symbol}: ${m.priceAt(derivative, low)} at the low, ${m.priceAt(derivative, high)} at the high`,
    );
  }
});

Deno.test("market phases follow each market's local sessions, DST included", () => {
  const at = (iso: string) => Date.parse(iso);
  assertEquals(marketPhase("HK", at("2026-11-26T01:05:00Z")).state, "AUCTION");
  assertEquals(marketPhase("HK", at("2026-11-26T01:25:00Z")).state, "WAITING_OPEN");
  assertEquals(marketPhase("HK", at("2026-11-26T04:30:00Z")).state, "REST");
  assertEquals(marketPhase("HK", at("2026-11-26T05:00:00Z")).state, "AFTERNOON");
  assertEquals(marketPhase("HK", at("2026-11-28T02:00:00Z")).state, "CLOSED", "Saturday");
  assertEquals(marketPhase("SH", at("2026-11-26T03:45:00Z")).state, "REST", "11:45 in Shanghai");
  // 09:30 in New York is 13:30 UTC in July (EDT) and 14:30 UTC in December (EST).
  assertEquals(marketPhase("US", at("2026-07-01T13:30:00Z")).state, "AFTERNOON");
  assertEquals(marketPhase("US", at("2026-12-01T13:30:00Z")).state, "PRE_MARKET_BEGIN");
  assertEquals(marketPhase("US", at("2026-12-01T14:30:00Z")).state, "AFTERNOON");
  assertEquals(utcOf("US", Math.floor(at("2026-07-01T00:00:00Z") / 86_400_000), 570), at("2026-07-01T13:30:00Z"));
});

Deno.test("the price is frozen outside trading hours at the last close", () => {
  const m = market(42, Date.parse("2026-11-28T03:00:00Z"));
  const friday = m.bars(TENCENT, "K_DAY", Date.parse("2026-11-27T00:00:00Z"), Date.parse("2026-11-28T00:00:00Z"), 5);
  assertEquals(m.currentPrice(TENCENT), friday.at(-1)!.close);
});
