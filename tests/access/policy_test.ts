/**
 * How the key policy (src/access/policy.ts, KeyAccessControl) values a trade
 * write for the limits: a limit order at its limit price, a market order at a
 * protective price above the last price (failing closed without one), an
 * option with its contract multiplier, and an idempotent replay not at all.
 * Last prices come from the simulator, deterministic under its manual clock.
 */
import { assert, assertEquals, assertRejects } from "../helpers/assert.ts";
import { connect, PAPER_HK, REAL_US, startSim } from "../helpers/sim.ts";
import type { TradeTarget } from "../../src/gateway/mod.ts";
import { generateKey, type KeyLimits, KeyStore } from "../../src/access/keys.ts";
import { KillSwitch } from "../../src/access/kill_switch.ts";
import { LimitEngine } from "../../src/access/limits.ts";
import { KeyAccessControl } from "../../src/access/policy.ts";
import { MemoryUsageStore } from "../../src/state/local.ts";
import { AccountService } from "../../src/services/accounts.ts";
import { MarketDataService } from "../../src/services/market_data.ts";
import { ToolError } from "../../src/tools/errors.ts";
import { ALL_TOOLS } from "../../src/tools/inventory.ts";
import { securityBySymbol } from "../../src/sim/catalog.ts";
import type { OrderIntent } from "../../src/tools/tool.ts";

const PLACE = ALL_TOOLS.find((t) => t.name === "futu_place_order")!;
const CALLER = { id: "bot" };
const OPTION = "US.AAPL270115C250000";

/** The limit engine's rendering of a value in its messages. */
const format = (value: number) => Number.isInteger(value) ? String(value) : value.toFixed(2);

async function setup(options: { requestTimeoutMs?: number } = {}) {
  const sim = await startSim();
  const gateway = await connect(sim, options);
  const killSwitch = new KillSwitch();
  let store = new KeyStore([]);
  const policy = new KeyAccessControl({
    keys: () => store,
    limits: new LimitEngine(new MemoryUsageStore(), { now: () => sim.clock.now() }),
    accounts: new AccountService(gateway),
    market: new MarketDataService(gateway),
    killSwitch,
  });
  /** The key "bot" with these limits from now on. */
  const limit = (limits: KeyLimits) => {
    const { record } = generateKey({ id: CALLER.id, scopes: ["trade:simulate", "trade:real"], limits });
    store = new KeyStore([record]);
  };
  const reserve = (intent: OrderIntent, target: TradeTarget = PAPER_HK) =>
    policy.reserve(CALLER, PLACE, intent, target);
  /** The message a refused write gets. */
  const refusal = async (intent: OrderIntent, target?: TradeTarget) => {
    const error = await assertRejects(() => reserve(intent, target), ToolError);
    assertEquals(error.code, "limit", error.message);
    return error.message;
  };
  /**
   * The value the policy gives a write: the per-order cap's message names it, a cap of exactly that value
   * passes, and a cent less is refused.
   */
  const valueOf = async (intent: OrderIntent, target?: TradeTarget) => {
    limit({ maxOrderValue: 0.01 });
    const match = /order value ([\d.]+) (\w+) exceeds/.exec(await refusal(intent, target));
    assert(match, "the refusal names the order's value");
    const [, text, currency] = match;
    return {
      text,
      currency,
      /** Asserts the policy valued the write at exactly `value`. */
      async is(value: number) {
        assertEquals(text, format(value), `valued at ${text}, expected ${value}`);
        limit({ maxOrderValue: value });
        await (await reserve(intent, target)).release();
        limit({ maxOrderValue: value - 0.01 });
        assert((await refusal(intent, target)).includes("exceeds this key's per-order cap"));
      },
    };
  };
  /** The last price as OpenD reports it. */
  const last = async (symbol: string) => (await gateway.quote.getSnapshot([symbol]))[0].curPrice;
  return {
    sim,
    gateway,
    killSwitch,
    limit,
    reserve,
    refusal,
    valueOf,
    last,
    async [Symbol.asyncDispose]() {
      await gateway.close();
      await sim.close();
    },
  };
}

const buy = (extra: Partial<OrderIntent> = {}): OrderIntent => ({
  kind: "place",
  symbol: "HK.00700",
  side: "BUY",
  orderType: "NORMAL",
  qty: 300,
  price: 380,
  ...extra,
});

Deno.test("a limit order is valued at its limit price × quantity, in the market's currency", async () => {
  await using t = await setup();
  const value = await t.valueOf(buy());
  assertEquals(value.currency, "HKD");
  await value.is(380 * 300);
  await (await t.valueOf(buy({ orderType: "STOP_LIMIT", price: 390, auxPrice: 400 }))).is(390 * 300);
  // A modification is valued on its open quantity: what is already filled is not exposure.
  await (await t.valueOf({ ...buy({ price: 381 }), kind: "NORMAL", filledQty: 100 })).is(381 * 200);
  const us = await t.valueOf(buy({ symbol: "US.AAPL", qty: 10, price: 200 }), REAL_US);
  assertEquals(us.currency, "USD");
  await us.is(2000);
  // The limit price is used, however far from the last price (the collar, not the valuation, judges that).
  assert(Math.abs((await t.last("HK.00700")) - 380) > 10);
});

Deno.test("a market order is valued at the protective price: last × (1 + collar %), or the default 5 %", async () => {
  await using t = await setup();
  const last = await t.last("HK.00700");
  assertEquals(last, t.sim.market.currentPrice(securityBySymbol("HK.00700")!), "the simulator's price now");
  const market = buy({ orderType: "MARKET", price: undefined, qty: 200 });
  await (await t.valueOf(market)).is(last * (1 + 5 / 100) * 200);

  // With a collar, the protective price is the collar's edge.
  t.limit({ maxOrderValue: 0.01, priceCollarPct: 2 });
  const collared = /order value ([\d.]+) HKD/.exec(await t.refusal(market))![1];
  assertEquals(collared, format(last * (1 + 2 / 100) * 200));
  t.limit({ maxOrderValue: last * (1 + 2 / 100) * 200, priceCollarPct: 2 });
  await (await t.reserve(market)).release();

  // A stop market order triggering above the last price is valued from its trigger.
  const stop = buy({ orderType: "STOP", price: undefined, auxPrice: Math.ceil(last) + 20, qty: 100 });
  await (await t.valueOf(stop)).is((Math.ceil(last) + 20) * (1 + 5 / 100) * 100);
});

Deno.test("a market order is refused when no last price is known (fail closed); a limit order is still valued", async () => {
  await using t = await setup({ requestTimeoutMs: 300 });
  const market = buy({ orderType: "MARKET", price: undefined });
  // A symbol OpenD does not know: no snapshot, no last price.
  t.limit({ maxOrderValue: 1_000_000 });
  const unknown = await t.refusal({ ...market, symbol: "HK.99999" });
  assert(unknown.includes("the order's value cannot be determined, and this key has a per-order cap"), unknown);
  t.limit({ maxDailyValue: 1_000_000 });
  const daily = await t.refusal({ ...market, symbol: "HK.99999" });
  assert(daily.includes("the order's value cannot be determined, and this key has a daily cap"), daily);

  // A real symbol whose snapshot reply is lost: the same.
  t.limit({ maxOrderValue: 1_000_000 });
  t.sim.faults.dropNextReply("Qot_GetSecuritySnapshot");
  const lost = await t.refusal(market);
  assert(lost.includes("the order's value cannot be determined"), lost);

  // A limit order needs no last price for its value (only a collar would).
  t.sim.faults.dropNextReply("Qot_GetSecuritySnapshot");
  await (await t.reserve(buy())).release();
  await (await t.reserve(buy({ symbol: "HK.99999" }))).release();
  t.limit({ maxOrderValue: 1_000_000, priceCollarPct: 5 });
  const collar = await t.refusal(buy({ symbol: "HK.99999" }));
  assert(collar.includes("the last price cannot be determined, and this key has a price collar"), collar);

  // Without value caps or a collar there is nothing to value: the write passes.
  t.limit({ maxOrdersPerMinute: 10 });
  await (await t.reserve({ ...market, symbol: "HK.99999" })).release();
});

Deno.test("an option is valued with its contract multiplier", async () => {
  await using t = await setup();
  const [snapshot] = await t.gateway.quote.getSnapshot([OPTION]);
  assertEquals(snapshot.option?.contractSize, 100);
  const limit = await t.valueOf(buy({ symbol: OPTION, qty: 2, price: 30 }), REAL_US);
  assertEquals(limit.currency, "USD");
  await limit.is(30 * 2 * 100);
  const last = await t.last(OPTION);
  assert(last > 0);
  await (await t.valueOf(buy({ symbol: OPTION, qty: 3, orderType: "MARKET", price: undefined }), REAL_US))
    .is(last * (1 + 5 / 100) * 3 * 100);
  // A stock in the same market has no multiplier.
  await (await t.valueOf(buy({ symbol: "US.AAPL", qty: 2, price: 30 }), REAL_US)).is(60);
});

Deno.test("an idempotent replay uses no limits: not the caps, not the rate, not the kill switch", async () => {
  await using t = await setup();
  const order = buy();
  t.limit({ maxOrderValue: 1, maxOrdersPerMinute: 1, maxDailyValue: 1, allowedSymbols: ["US.AAPL"] });
  await t.refusal(order);
  const before = t.sim.requestCount;
  for (let i = 0; i < 3; i++) await (await t.reserve({ ...order, replay: true })).commit();
  assertEquals(t.sim.requestCount, before, "a replay does not even look up a price");
  await t.killSwitch.engage("test");
  await (await t.reserve({ ...order, replay: true })).commit();
  const halted = await assertRejects(() => t.reserve(order), ToolError);
  assertEquals(halted.code, "halted");
  await t.killSwitch.release();

  // The committed replays counted nothing: the one order a minute is still free.
  t.limit({ maxOrdersPerMinute: 1, maxDailyValue: 380 * 300 });
  await (await t.reserve(order)).commit();
  const rate = await t.refusal(order);
  assert(rate.includes("rate limit exceeded: 2 in 60s (cap 1)"), rate);
  t.sim.clock.advance(60_001);
  const daily = await t.refusal(buy({ qty: 100 }));
  assert(daily.includes("daily value cap exceeded: 152000 HKD"), daily);
});
