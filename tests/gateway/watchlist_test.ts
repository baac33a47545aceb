/**
 * Watchlists and price reminders through the OpenD client against the
 * simulator over real TCP: groups and their rules, OpenD-wide state that
 * survives a restart, reminder changes with OpenD's value steps, and
 * reminders firing when the simulated market (moved by the test's clock)
 * reaches them.
 */
import { assert, assertEquals, assertRejects } from "../helpers/assert.ts";
import { connect, eventually, startSim } from "../helpers/sim.ts";
import { RawClient } from "../helpers/raw.ts";
import { OpenDError, type PriceReminderEvent } from "../../src/gateway/mod.ts";
import { securityBySymbol } from "../../src/sim/catalog.ts";
import type { SimServer } from "../../src/sim/server.ts";

const symbolsOf = (list: { symbol: string }[]) => list.map((s) => s.symbol);

Deno.test("watchlist groups: system views of All by market and kind, custom groups, and OpenD's refusals", async () => {
  // More reads than OpenD allows in 30 s (10 Qot_GetUserSecurity): the limits have their own tests.
  await using sim = await startSim({ rateLimits: false });
  await using gateway = await connect(sim);
  const w = gateway.watchlist;
  const all = await w.getGroups("ALL");
  assertEquals(all.filter((g) => g.type === "SYSTEM").map((g) => g.name), ["All", "HK", "US", "CN", "Options"]);
  assertEquals(all.filter((g) => g.type === "CUSTOM").map((g) => g.name), ["Tech", "HK Blue Chips"]);
  assertEquals((await w.getGroups("CUSTOM")).map((g) => g.type), ["CUSTOM", "CUSTOM"]);
  assertEquals((await w.getGroups("SYSTEM")).length, 5);

  const everything = await w.getSecurities("All");
  assertEquals(symbolsOf(everything), ["US.AAPL", "US.NVDA", "HK.00700", "HK.09988", "US.TSLA", "SH.600519"]);
  assertEquals(everything[2].name, "TENCENT");
  assertEquals(everything[2].lotSize, 100);
  assertEquals(symbolsOf(await w.getSecurities("HK")), ["HK.00700", "HK.09988"]);
  assertEquals(symbolsOf(await w.getSecurities("CN")), ["SH.600519"]);
  assertEquals(symbolsOf(await w.getSecurities("Tech")), ["US.AAPL", "US.NVDA", "HK.00700"]);

  // ADD puts a security in the group and in All; the market view follows.
  await w.modify("Tech", "ADD", ["US.AAPL270115C250000", "SZ.000001"]);
  assertEquals(symbolsOf(await w.getSecurities("Options")), ["US.AAPL270115C250000"]);
  assertEquals(symbolsOf(await w.getSecurities("CN")), ["SH.600519", "SZ.000001"]);
  // MOVE_OUT leaves the security in All; DEL takes it off the whole watchlist.
  await w.modify("Tech", "MOVE_OUT", ["HK.00700"]);
  assertEquals(symbolsOf(await w.getSecurities("Tech")).includes("HK.00700"), false);
  assert(symbolsOf(await w.getSecurities("All")).includes("HK.00700"));
  await w.modify("Tech", "DEL", ["HK.09988"]);
  assertEquals(symbolsOf(await w.getSecurities("HK Blue Chips")), ["HK.00700"]);
  assertEquals(symbolsOf(await w.getSecurities("All")).includes("HK.09988"), false);

  await assertRejects(() => w.modify("HK", "ADD", ["HK.09988"]), OpenDError, 'System group "HK" cannot be modified');
  await assertRejects(() => w.modify("All", "DEL", ["HK.00700"]), OpenDError, "cannot be modified");
  await assertRejects(() => w.modify("Nope", "ADD", ["HK.00700"]), OpenDError, 'Group "Nope" does not exist');
  await assertRejects(() => w.getSecurities("Nope"), OpenDError, 'Group "Nope" does not exist');
  // One unknown security refuses the whole change.
  await assertRejects(() => w.modify("Tech", "ADD", ["HK.00005", "HK.99999"]), OpenDError, "Unknown stock HK.99999");
  assertEquals(symbolsOf(await w.getSecurities("Tech")).includes("HK.00005"), false);
});

Deno.test("the watchlist and reminders are OpenD-wide and live at the broker: other connections and a restart see them", async () => {
  await using sim = await startSim();
  {
    await using first = await connect(sim);
    await first.watchlist.modify("Tech", "ADD", ["HK.09988"]);
    await first.watchlist.setPriceReminder({
      symbol: "HK.00700",
      op: "ADD",
      type: "PRICE_UP",
      value: 999,
      freq: "ALWAYS",
    });
    await using second = await connect(sim);
    assert(symbolsOf(await second.watchlist.getSecurities("Tech")).includes("HK.09988"));
  }
  await sim.restart();
  await using after = await connect(sim);
  assert(symbolsOf(await after.watchlist.getSecurities("Tech")).includes("HK.09988"));
  const [kept] = await after.watchlist.getPriceReminders({ symbol: "HK.00700" });
  assertEquals(kept.items.map((i) => [i.type, i.value]), [["PRICE_UP", 999]]);
  // A simulator of its own starts from the initial watchlist.
  await using other = await startSim();
  await using fresh = await connect(other);
  assertEquals(symbolsOf(await fresh.watchlist.getSecurities("Tech")), ["US.AAPL", "US.NVDA", "HK.00700"]);
});

Deno.test("price reminders: add, read by symbol and by market, OpenD's value steps, modify, enable, delete", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const w = gateway.watchlist;
  const key = await w.setPriceReminder({
    symbol: "HK.00700",
    op: "ADD",
    type: "PRICE_UP",
    value: 500.12345,
    freq: "ONCE_A_DAY",
    note: "目标价",
  });
  assert(/^\d{19}$/.test(key) && BigInt(key) > 2n ** 53n, `a 64-bit key kept exact: ${key}`);
  await w.setPriceReminder({ symbol: "HK.00700", op: "ADD", type: "TURNOVER_UP", value: 102, freq: "ALWAYS" });
  await w.setPriceReminder({ symbol: "SH.600519", op: "ADD", type: "VOLUME_UP", value: 1500, freq: "ONCE" });
  await w.setPriceReminder({ symbol: "SZ.000001", op: "ADD", type: "BID_VOL_UP", value: 250, freq: "ONCE" });
  await w.setPriceReminder({ symbol: "US.AAPL", op: "ADD", type: "CHANGE_RATE_DOWN", value: 5, freq: "ALWAYS" });

  const [tencent] = await w.getPriceReminders({ symbol: "HK.00700" });
  assertEquals(tencent.name, "TENCENT");
  assertEquals(tencent.items.map((i) => [i.type, i.value, i.freq, i.enabled, i.sessions]), [
    ["PRICE_UP", 500.123, "ONCE_A_DAY", true, ["OPEN"]],
    ["TURNOVER_UP", 100, "ALWAYS", true, ["OPEN"]],
  ]);
  assertEquals(tencent.items[0].note, "目标价");
  assertEquals(tencent.items[0].key, key);
  // A market query covers SH and SZ together; A-share volumes step by 1000 shares, bid volumes by 100.
  const cn = await w.getPriceReminders({ market: "SZ" });
  assertEquals(cn.map((r) => [r.symbol, r.items[0].value]), [["SH.600519", 1000], ["SZ.000001", 200]]);
  const [apple] = await w.getPriceReminders({ market: "US" });
  assertEquals(apple.items[0].sessions, ["OPEN", "US_PRE", "US_AFTER"], "US reminders cover the extended sessions");

  await w.setPriceReminder({ symbol: "HK.00700", op: "MODIFY", key, value: 450, note: "" });
  await w.setPriceReminder({ symbol: "HK.00700", op: "DISABLE", key });
  let [after] = await w.getPriceReminders({ symbol: "HK.00700" });
  assertEquals([after.items[0].type, after.items[0].value, after.items[0].enabled, after.items[0].note], [
    "PRICE_UP",
    450,
    false,
    "",
  ]);
  await w.setPriceReminder({ symbol: "HK.00700", op: "ENABLE", key });
  await w.setPriceReminder({ symbol: "HK.00700", op: "DEL", key });
  [after] = await w.getPriceReminders({ symbol: "HK.00700" });
  assertEquals(after.items.map((i) => i.type), ["TURNOVER_UP"]);
  await w.setPriceReminder({ symbol: "HK.00700", op: "DEL_ALL" });
  assertEquals(await w.getPriceReminders({ symbol: "HK.00700" }), []);

  await assertRejects(
    () => w.setPriceReminder({ symbol: "HK.00700", op: "DEL", key }),
    OpenDError,
    `Price reminder ${key} does not exist for HK.00700`,
  );
  await assertRejects(() => w.setPriceReminder({ symbol: "HK.00700", op: "ENABLE" }), OpenDError, "key is required");
  await assertRejects(
    () => w.setPriceReminder({ symbol: "HK.00700", op: "ADD", type: "PRICE_UP", value: 1 }),
    OpenDError,
    "freq is required",
  );
  await assertRejects(
    () =>
      w.setPriceReminder({
        symbol: "HK.00700",
        op: "ADD",
        type: "PRICE_UP",
        value: 1,
        freq: "ONCE",
        note: "x".repeat(21),
      }),
    OpenDError,
    "note is longer than 20 characters",
  );
  await assertRejects(() => w.getPriceReminders({ symbol: "HK.99999" }), OpenDError, "Unknown stock HK.99999");
});

/** The first minute after now at which the security's simulated price reaches `level` (within 4 hours). */
function whenPriceReaches(sim: SimServer, symbol: string, level: number, from: number): number {
  const security = securityBySymbol(symbol)!;
  for (let t = from + 60_000; t < from + 4 * 3600_000; t += 60_000) {
    if (sim.market.priceAt(security, t) >= level) return t;
  }
  throw new Error(`${symbol} never reaches ${level}`);
}

/** A level the price is below now and reaches within the next hour. */
function levelAhead(sim: SimServer, symbol: string, now: number): number {
  const security = securityBySymbol(symbol)!;
  const price = sim.market.priceAt(security, now);
  let high = price;
  for (let t = now + 60_000; t < now + 3600_000; t += 60_000) high = Math.max(high, sim.market.priceAt(security, t));
  assert(high > price, `${symbol} rises within the hour`);
  return Math.floor((price + (high - price) / 2) * 1000) / 1000;
}

Deno.test("a reminder fires when the simulated market reaches it, pushed to notified connections as OpenD does", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const events: PriceReminderEvent[] = [];
  gateway.watchlist.onPriceReminder((e) => events.push(e));
  // A connection that declined notifications at InitConnect.
  const quiet = await RawClient.open(sim.port);
  await quiet.send("InitConnect", { clientVer: 300, clientID: "quiet", recvNotify: false, packetEncAlgo: -1 }, 1);
  await quiet.next();

  const now = sim.clock.now();
  const level = levelAhead(sim, "HK.00700", now);
  const key = await gateway.watchlist.setPriceReminder({
    symbol: "HK.00700",
    op: "ADD",
    type: "PRICE_UP",
    value: level,
    freq: "ONCE",
    note: "breakout",
  });
  // Not yet: the price is below the level (several ticks pass while this test waits for another push).
  await gateway.watchlist.setPriceReminder({ symbol: "HK.09988", op: "ADD", type: "PRICE_UP", value: 1, freq: "ONCE" });
  await eventually(() => events.length === 1, 3000, "the HK.09988 reminder, met at once");
  assertEquals(events[0].symbol, "HK.09988");
  assertEquals(events.filter((e) => e.symbol === "HK.00700"), []);

  const at = whenPriceReaches(sim, "HK.00700", level, now);
  sim.clock.set(at);
  await eventually(() => events.length === 2, 3000, "the HK.00700 reminder");
  const fired = events[1];
  const price = sim.market.priceAt(securityBySymbol("HK.00700")!, at);
  assertEquals(fired.symbol, "HK.00700");
  assertEquals(fired.name, "TENCENT");
  assertEquals(fired.key, key);
  assertEquals(fired.type, "PRICE_UP");
  assertEquals(fired.setValue, level);
  assertEquals(fired.price, price);
  assertEquals(fired.curValue, price);
  assert(price >= level);
  assertEquals(fired.session, "OPEN");
  assertEquals(fired.note, "breakout");
  assertEquals(fired.content, `Price rose to ${level.toFixed(3)}`);
  const lastClose = sim.market.previousClose(securityBySymbol("HK.00700")!, at);
  assertEquals(fired.changeRate, Math.round((price - lastClose) / lastClose * 100 * 1000) / 1000);
  // ONCE: it fired and is now off.
  const [after] = await gateway.watchlist.getPriceReminders({ symbol: "HK.00700" });
  assertEquals(after.items[0].enabled, false);

  // The quiet connection got neither push: its next frame is the reply to its own request.
  await quiet.send("KeepAlive", { time: String(Math.floor(Date.now() / 1000)) }, 2);
  assertEquals((await quiet.next()).protoId, 1004);
  quiet.close();
});

Deno.test("reminder frequency ALWAYS fires again only after its condition stopped holding", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const events: PriceReminderEvent[] = [];
  gateway.watchlist.onPriceReminder((e) => events.push(e));
  // Quote pushes go out in the tick after the reminders are checked: a pushed price proves a check at that price.
  const prices: number[] = [];
  gateway.quote.onBasicQuote((q) => prices.push(q.curPrice));
  await gateway.quote.subscribe(["HK.00700"], ["QUOTE"]);
  const tencent = securityBySymbol("HK.00700")!;
  const now = sim.clock.now();
  const level = levelAhead(sim, "HK.00700", now);
  await gateway.watchlist.setPriceReminder({
    symbol: "HK.00700",
    op: "ADD",
    type: "PRICE_UP",
    value: level,
    freq: "ALWAYS",
  });
  const up = whenPriceReaches(sim, "HK.00700", level, now);
  sim.clock.set(up);
  await eventually(() => events.length === 1, 3000, "the first crossing");
  await eventually(() => prices.at(-1) === sim.market.priceAt(tencent, up), 3000, "a tick at the high price");
  assertEquals(events.length, 1, "no second push while the price stays above the level");
  // Back below the level (a check there re-arms it), then above again: a second push.
  sim.clock.set(now);
  await eventually(() => prices.at(-1) === sim.market.priceAt(tencent, now), 3000, "a tick at the low price");
  sim.clock.set(up);
  await eventually(() => events.length === 2, 3000, "the second crossing");
  assertEquals(events.map((e) => [e.type, e.setValue]), [["PRICE_UP", level], ["PRICE_UP", level]]);
});
