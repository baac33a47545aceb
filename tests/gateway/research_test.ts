/**
 * Capital flow, holders, the stock filter and owner plates through the
 * Gateway against the simulator over TCP: flows that add up to the day's
 * turnover and follow the trade prints, stable holder filings, screens that
 * agree with snapshots and candles, owner plates that agree with plate lists.
 */
import { assert, assertEquals, assertRejects } from "../helpers/assert.ts";
import { connect, startSim, US_MORNING } from "../helpers/sim.ts";
import { OpenDError } from "../../src/gateway/mod.ts";
import { securityBySymbol } from "../../src/sim/catalog.ts";

const near = (a: number, b: number, tolerance: number, what: string) =>
  assert(Math.abs(a - b) <= tolerance, `${what}: ${a} vs ${b} (±${tolerance})`);

Deno.test("capital distribution adds up to the day's turnover; the intraday flow follows minutes and prints", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const r = gateway.research;
  const dist = await r.getCapitalDistribution("HK.00700");
  const [snapshot] = await gateway.quote.getSnapshot(["HK.00700"]);
  const total = dist.inSuper + dist.inBig + dist.inMid + dist.inSmall + dist.outSuper + dist.outBig + dist.outMid +
    dist.outSmall;
  assert(snapshot.turnover > 0);
  near(total, snapshot.turnover, 0.06, "in + out = turnover");
  for (const v of [dist.inSuper, dist.inBig, dist.inMid, dist.inSmall, dist.outSuper, dist.outSmall]) assert(v > 0);

  const flow = await r.getCapitalFlow("HK.00700", "INTRADAY");
  const today = snapshot.updateTime.slice(0, 10);
  const minutes = await gateway.quote.requestHistoryKL("HK.00700", "K_1M", { begin: today, end: today });
  assertEquals(flow.items.map((i) => i.time), minutes.klines.map((k) => k.time), "one item per minute bar");
  assertEquals(flow.lastValidTime, flow.items.at(-1)!.time);
  let previous = 0;
  flow.items.forEach((item, i) => {
    const parts = item.superInFlow! + item.bigInFlow! + item.midInFlow! + item.smallInFlow!;
    near(parts, item.inFlow, 0.05, `classes add up at ${item.time}`);
    near(
      Math.abs(item.inFlow - previous),
      0,
      minutes.klines[i].turnover! + 0.02,
      `minute ${item.time} within turnover`,
    );
    previous = item.inFlow;
  });
  const last = flow.items.at(-1)!;
  const net = total - 2 * (dist.outSuper + dist.outBig + dist.outMid + dist.outSmall);
  near(last.inFlow, net, 0.06, "the last cumulative net equals the distribution's in − out");

  // Every buy print (ASK) adds its turnover to the flow of its size class, every sell print (BID) takes it away.
  await gateway.quote.subscribe(["HK.00700"], ["TICKER"], { push: false });
  const ticks = (await gateway.quote.getTicker("HK.00700", 1000)).ticks;
  const tradeSize = securityBySymbol("HK.00700")!.tradeSize;
  const classOf = (v: number) =>
    v >= 2 * tradeSize ? "super" : v >= tradeSize ? "big" : v >= 0.4 * tradeSize ? "mid" : "small";
  const byMinute = new Map<number, { sums: Record<string, number>; known: boolean }>();
  let side = 0;
  for (let i = 1; i < ticks.length; i++) {
    const [before, t] = [ticks[i - 1], ticks[i]];
    // The tick test starts afresh each day: the day's first print is judged against the open, which prints don't show.
    if (before.time.slice(0, 10) !== t.time.slice(0, 10)) side = 0;
    else if (t.price !== before.price) side = t.price > before.price ? 1 : -1;
    if (t.direction === "ASK") assertEquals(side, 1);
    if (t.direction === "BID") assertEquals(side, -1);
    const minute = Math.floor(t.timestamp! / 60) * 60;
    const entry = byMinute.get(minute) ?? { sums: { super: 0, big: 0, mid: 0, small: 0 }, known: side !== 0 };
    entry.sums[classOf(t.volume)] += side * t.price * t.volume;
    byMinute.set(minute, entry);
  }
  const firstMinute = Math.floor(ticks[0].timestamp! / 60) * 60;
  const itemAt = new Map(flow.items.map((item, i) => [item.timestamp! - 60, i]));
  let compared = 0;
  for (const [minute, { sums, known }] of byMinute) {
    const i = itemAt.get(minute);
    // Only whole minutes of today whose side is known from their first print on.
    if (i === undefined || i === 0 || !known || minute === firstMinute) continue;
    const [before, item] = [flow.items[i - 1], flow.items[i]];
    near(item.superInFlow! - before.superInFlow!, sums.super, 0.05, `super at ${item.time}`);
    near(item.bigInFlow! - before.bigInFlow!, sums.big, 0.05, `big at ${item.time}`);
    near(item.midInFlow! - before.midInFlow!, sums.mid, 0.05, `mid at ${item.time}`);
    near(item.smallInFlow! - before.smallInFlow!, sums.small, 0.05, `small at ${item.time}`);
    compared++;
  }
  assert(compared >= 20, `compared ${compared} minutes with their prints`);
});

Deno.test("capital flow history: one item per daily bar, today's equal to the intraday total, weeks sum days", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const r = gateway.research;
  const days = await r.getCapitalFlow("HK.00700", "DAY", { begin: "2026-10-26", end: "2026-11-26" });
  const bars = await gateway.quote.requestHistoryKL("HK.00700", "K_DAY", { begin: "2026-10-26", end: "2026-11-26" });
  assertEquals(days.items.map((i) => i.time), bars.klines.map((k) => k.time));
  days.items.forEach((item, i) => {
    assert(Math.abs(item.inFlow) <= bars.klines[i].turnover!, `${item.time} net within turnover`);
    near(item.mainInFlow!, item.superInFlow! + item.bigInFlow!, 0.02, "main = super + big");
  });
  const intraday = await r.getCapitalFlow("HK.00700");
  near(days.items.at(-1)!.inFlow, intraday.items.at(-1)!.inFlow, 0.02, "today");

  const weeks = await r.getCapitalFlow("HK.00700", "WEEK", { begin: "2026-11-02", end: "2026-11-13" });
  assertEquals(weeks.items.map((i) => i.time), ["2026-11-02 00:00:00", "2026-11-09 00:00:00"]);
  const week = days.items.filter((i) => i.time >= "2026-11-09" && i.time < "2026-11-16");
  near(weeks.items[1].inFlow, week.reduce((s, i) => s + i.inFlow, 0), 0.1, "a week is the sum of its days");

  await assertRejects(() => r.getCapitalFlow("HK.800000"), OpenDError, "no capital flow");
  await assertRejects(
    () => r.getCapitalFlow("HK.00700", "DAY", { begin: "2024-01-01", end: "2026-01-01" }),
    OpenDError,
    "at most 366",
  );
});

Deno.test("holding changes chain position by position, stay put as time passes, and filter by publication time", async () => {
  await using sim = await startSim({ at: US_MORNING });
  await using gateway = await connect(sim);
  const r = gateway.research;
  const shares = securityBySymbol("US.AAPL")!.sharesOutstanding!;
  const changes = await r.getHoldingChanges("US.AAPL", "INSTITUTE");
  assert(changes.length >= 15, `${changes.length} filings`);
  for (let i = 1; i < changes.length; i++) assert(changes[i - 1].time >= changes[i].time, "newest first");
  const byHolder = Map.groupBy([...changes].reverse(), (c) => c.holder);
  assert(byHolder.size >= 2);
  for (const filings of byHolder.values()) {
    for (let i = 1; i < filings.length; i++) {
      const [before, now] = [filings[i - 1], filings[i]];
      assertEquals(now.holdingQty, before.holdingQty + now.changeQty, `${now.holder} ${now.time}`);
      near(now.changeRatio, now.changeQty / before.holdingQty * 100, 0.001, "change ratio of the own position");
    }
    for (const f of filings) near(f.holdingRatio, f.holdingQty / shares * 100, 0.0001, "ratio of shares outstanding");
  }

  sim.clock.advance(120 * 86_400_000);
  const later = await r.getHoldingChanges("US.AAPL", "INSTITUTE");
  assert(later.length > changes.length, "new filings get published");
  assertEquals(later.slice(later.length - changes.length), changes, "published filings never change");

  const ranged = await r.getHoldingChanges("US.AAPL", "INSTITUTE", {
    begin: "2025-01-01 00:00:00",
    end: "2025-12-31 23:59:59",
  });
  assertEquals(ranged, changes.filter((c) => c.time >= "2025-01-01" && c.time <= "2025-12-31 23:59:59"));
  const executives = await r.getHoldingChanges("US.AAPL", "EXECUTIVE");
  assert(executives.every((c) => !byHolder.has(c.holder)));
  await assertRejects(() => r.getHoldingChanges("HK.00700", "FUND"), OpenDError, "US stocks only");
});

Deno.test("the stock filter screens the catalog on the snapshot's values, sorts, pages and filters by plate", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const r = gateway.research;
  const all = await r.stockFilter({ market: "HK", conditions: [], begin: 0, num: 200 });
  const hk = ["HK.00005", "HK.00700", "HK.00941", "HK.01810", "HK.03690", "HK.09988"];
  assertEquals(all.stocks.map((s) => s.symbol), hk, "every HK stock, no index or warrant");
  assertEquals([all.allCount, all.lastPage], [6, true]);

  const snapshots = new Map((await gateway.quote.getSnapshot(hk)).map((s) => [s.symbol, s]));
  const pe = (symbol: string) => snapshots.get(symbol)!.equity!.peRate;
  const screen = await r.stockFilter({
    market: "HK",
    conditions: [{ field: "PE_ANNUAL", min: 10, max: 30, sort: "ASC" }, { field: "MARKET_VAL" }],
    begin: 0,
    num: 200,
  });
  const expected = hk.filter((s) => pe(s) >= 10 && pe(s) <= 30).sort((a, b) => pe(a) - pe(b));
  assert(expected.length >= 2 && expected.length < hk.length, `a real screen: ${expected}`);
  assertEquals(screen.stocks.map((s) => s.symbol), expected);
  for (const stock of screen.stocks) {
    assertEquals(stock.values, [
      { field: "PE_ANNUAL", value: pe(stock.symbol) },
      { field: "MARKET_VAL", value: snapshots.get(stock.symbol)!.equity!.issuedMarketVal },
    ]);
  }

  const pages: string[] = [];
  for (let begin = 0, last = false; !last; begin += 4) {
    const page = await r.stockFilter({
      market: "HK",
      conditions: [{ field: "CUR_PRICE", sort: "DESC" }],
      begin,
      num: 4,
    });
    assertEquals(page.allCount, 6);
    pages.push(...page.stocks.map((s) => s.symbol));
    last = page.lastPage;
  }
  const byPrice = [...hk].sort((a, b) => snapshots.get(b)!.curPrice - snapshots.get(a)!.curPrice);
  assertEquals(pages, byPrice, "two pages, highest price first");

  const plate = await r.stockFilter({ market: "HK", plate: "HK.BK1099", conditions: [], begin: 0, num: 50 });
  assertEquals(
    plate.stocks.map((s) => s.symbol),
    (await gateway.quote.getPlateSecurity("HK.BK1099")).map((s) => s.symbol).sort(),
  );

  const [tencent] = await r.stockFilter({
    market: "HK",
    plate: "HK.BK1910",
    conditions: [
      { field: "CHANGE_RATE", days: 1 },
      { field: "NET_PROFIT" },
      { field: "TOTAL_SHARE", min: 9e9, max: 1e10 },
    ],
    begin: 0,
    num: 10,
  }).then((s) => s.stocks);
  const snap = snapshots.get("HK.00700")!;
  assertEquals(tencent.symbol, "HK.00700");
  const change = tencent.values.find((v) => v.field === "CHANGE_RATE")!.value;
  near(change, (snap.curPrice / snap.lastClosePrice - 1) * 100, 0.0011, "1-day change rate");
  assertEquals(tencent.values.find((v) => v.field === "NET_PROFIT")!.value, 9_300_000_000 * 20.5);
  assertEquals(tencent.values.map((v) => [v.field, v.days, v.quarter]), [
    ["TOTAL_SHARE", undefined, undefined],
    ["CHANGE_RATE", 1, undefined],
    ["NET_PROFIT", undefined, "ANNUAL"],
  ]);

  const ashares = await r.stockFilter({ market: "SZ", conditions: [], begin: 0, num: 10 });
  assertEquals(ashares.stocks.map((s) => s.symbol), ["SH.600519", "SZ.000001"], "SH and SZ are one A-share market");
  await assertRejects(
    () => r.stockFilter({ market: "HK", conditions: [{ field: "PS_TTM", min: 1 }], begin: 0, num: 10 }),
    OpenDError,
    "PS_TTM",
  );
  await assertRejects(
    () => r.stockFilter({ market: "HK", conditions: [{ field: "ROIC", min: 1 }], begin: 0, num: 10 }),
    OpenDError,
    "FinancialField ROIC",
  );
});

Deno.test("owner plates are the plates whose constituents hold the security", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const owners = await gateway.research.getOwnerPlates(["HK.00700", "HK.00005", "US.AAPL", "HK.28123"]);
  assertEquals(owners.map((o) => o.symbol), ["HK.00700", "HK.00005", "US.AAPL", "HK.28123"]);
  assertEquals(owners[0].plates.map((p) => [p.plate, p.plateType]), [
    ["HK.BK1910", "INDUSTRY"],
    ["HK.BK1099", "CONCEPT"],
    ["HK.BK1300", "REGION"],
  ]);
  assertEquals(owners[3].plates, [], "a warrant is in no plate");
  for (const plate of await gateway.quote.getPlateSet("HK")) {
    const members = (await gateway.quote.getPlateSecurity(plate.plate)).map((s) => s.symbol);
    const owned = await gateway.research.getOwnerPlates(members);
    for (const o of owned) assert(o.plates.some((p) => p.plate === plate.plate), `${o.symbol} in ${plate.plate}`);
  }
  await assertRejects(() => gateway.research.getOwnerPlates(["HK.99999"]), OpenDError, "Unknown stock");
});
