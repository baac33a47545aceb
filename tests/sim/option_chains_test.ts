/** The simulated option chains: strikes follow the underlying's price, and a listed contract stays listed. */
import { assert, assertEquals } from "../helpers/assert.ts";
import { isTradingDay, localTime, ManualClock, sessionsOn, utcOf } from "../../src/sim/clock.ts";
import { securityByCode, securityBySymbol, SIM_SECURITIES } from "../../src/sim/catalog.ts";
import { MarketData } from "../../src/sim/market.ts";
import {
  chainContracts,
  chainStrikes,
  listedExpiries,
  listedStrikes,
  listingDay,
  optionCode,
} from "../../src/sim/option_chains.ts";

const UNDERLYINGS = SIM_SECURITIES.filter((s) => s.chain);
/** Clocks across two years, in and out of sessions (UTC). */
const CLOCKS = [
  "2025-03-14T15:00:00Z",
  "2025-09-02T03:00:00Z",
  "2026-04-20T20:00:00Z",
  "2026-11-25T15:30:00Z",
  "2026-11-26T02:30:00Z",
  "2027-06-30T14:00:00Z",
].map(Date.parse);

Deno.test("at every clock each optionable underlying's expiries list strikes around its price", () => {
  assertEquals(UNDERLYINGS.map((u) => u.symbol).sort(), ["HK.00700", "HK.09988", "US.AAPL", "US.NVDA", "US.TSLA"]);
  for (const seed of [42, 7]) {
    for (const at of CLOCKS) {
      const market = new MarketData(seed, new ManualClock(at));
      for (const u of UNDERLYINGS) {
        const today = localTime(u.market, at).day;
        const spot = market.currentPrice(u);
        const near = listedStrikes(u, market.previousClose(u, at));
        const expiries = listedExpiries(u, today);
        assert(expiries.length >= 6, `${u.symbol} lists expiries`);
        for (const expiry of expiries) {
          const strikes = chainStrikes(market, u, expiry, today);
          const what = `${u.symbol} ${expiry.date} at ${new Date(at).toISOString()} (seed ${seed}, spot ${spot})`;
          assert(strikes[0] < spot && spot < strikes.at(-1)!, `${what}: strikes bracket the price`);
          assert(strikes[0] <= spot * 0.85 && strikes.at(-1)! >= spot * 1.15, `${what}: ±15 % at least`);
          assert(strikes.every((k, i) => i === 0 || Math.abs(k - strikes[i - 1] - u.chain!.strikeStep) < 1e-9));
          assert(near.every((k) => strikes.includes(k)), `${what}: the near-the-money strikes are listed`);
        }
      }
    }
  }
});

Deno.test("a drifted underlying lists strikes at its price: TSLA far above its base price", () => {
  const at = Date.parse("2026-11-25T15:30:00Z");
  // The simulator's default seed: TSLA trades at about 2.2 × its base price on the test clocks.
  const market = new MarketData(42, new ManualClock(at));
  const tsla = securityBySymbol("US.TSLA")!;
  const spot = market.currentPrice(tsla);
  assert(spot > tsla.basePrice * 1.6, `the path has drifted (spot ${spot}, base ${tsla.basePrice})`);
  const today = localTime("US", at).day;
  const [expiry] = listedExpiries(tsla, today);
  const pairs = chainContracts(market, tsla, expiry, today, (code) => securityByCode("US", code));
  const atm = pairs.reduce((best, p) => Math.abs(p.strike - spot) < Math.abs(best.strike - spot) ? p : best);
  assert(Math.abs(atm.strike - spot) <= tsla.chain!.strikeStep / 2, `an at-the-money strike (${atm.strike})`);
  assertEquals(atm.call.code, optionCode("TSLA", expiry.day, "CALL", atm.strike));
  assert(atm.call.volatility > 0 && atm.put.volatility > 0, "with an implied volatility");
});

Deno.test("a contract listed once stays listed until its expiry, day after day", () => {
  for (const seed of [1, 7]) {
    const market = new MarketData(seed, new ManualClock(Date.parse("2026-11-26T02:30:00Z")));
    for (const u of UNDERLYINGS) {
      const first = localTime(u.market, Date.parse("2026-01-05T12:00:00Z")).day;
      // Every day of 250, whether it trades or not: what a day lists, the next day lists too (until expiry).
      let previous = new Map<number, Set<number>>();
      let grew = false;
      for (let today = first; today < first + 250; today++) {
        const current = new Map<number, Set<number>>();
        for (const expiry of listedExpiries(u, today)) {
          current.set(expiry.day, new Set(chainStrikes(market, u, expiry, today)));
        }
        for (const [day, strikes] of previous) {
          if (day < today) {
            assert(!current.has(day), `${u.symbol}: an expired expiry is not listed`);
            continue;
          }
          const now = current.get(day);
          assert(now, `${u.symbol}: expiry ${day} still listed on ${today}`);
          for (const k of strikes) assert(now.has(k), `${u.symbol}: strike ${k} of ${day} still listed on ${today}`);
          if (now.size > strikes.size) grew = true;
        }
        previous = current;
      }
      assert(grew, `${u.symbol}: some expiry added strikes as the price moved`);
    }
  }
});

Deno.test("an expiry is first listed on its listing day around the close before it", () => {
  const market = new MarketData(3, new ManualClock(Date.parse("2026-11-26T02:30:00Z")));
  for (const u of UNDERLYINGS) {
    const today = localTime(u.market, Date.parse("2026-11-26T02:30:00Z")).day;
    for (const expiry of listedExpiries(u, today)) {
      const listed = listingDay(u, expiry);
      assert(listed <= today, `${u.symbol} ${expiry.date} listed by today`);
      assert(listedExpiries(u, listed).some((e) => e.day === expiry.day), `${u.symbol} ${expiry.date} listed then`);
      assert(!listedExpiries(u, listed - 1).some((e) => e.day === expiry.day), `${u.symbol} ${expiry.date} not before`);
      assertEquals(chainStrikes(market, u, expiry, listed - 1), []);
      // On its listing day the strikes are those around the previous close of its first session.
      let open = listed;
      while (!isTradingDay(u.market, open)) open++;
      const reference = market.previousClose(u, utcOf(u.market, open, sessionsOn(u.market, open)[0][0] + 30));
      assertEquals(chainStrikes(market, u, expiry, listed), listedStrikes(u, reference), `${u.symbol} ${expiry.date}`);
    }
  }
});

Deno.test("the chain is a function of the seed: same seed, same strikes; another seed, other strikes", () => {
  const at = Date.parse("2026-11-25T15:30:00Z");
  const strikesOf = (seed: number) => {
    const market = new MarketData(seed, new ManualClock(at));
    return UNDERLYINGS.map((u) => {
      const today = localTime(u.market, at).day;
      return listedExpiries(u, today).map((e) => chainStrikes(market, u, e, today));
    });
  };
  assertEquals(strikesOf(5), strikesOf(5));
  assert(JSON.stringify(strikesOf(5)) !== JSON.stringify(strikesOf(6)));
});

Deno.test("codes resolve on the strike step only", () => {
  const day = Math.round(Date.parse("2026-12-18T00:00:00Z") / 86_400_000);
  assert(securityByCode("US", optionCode("TSLA", day, "CALL", 740)), "any multiple of the step");
  assert(securityByCode("US", optionCode("TSLA", day, "PUT", 10)));
  assertEquals(securityByCode("US", optionCode("TSLA", day, "CALL", 745)), undefined, "off the step");
  assertEquals(securityByCode("US", "TSLA261218C0"), undefined, "strike zero");
  const a = securityByCode("US", optionCode("TSLA", day, "CALL", 740))!;
  const b = securityByCode("US", optionCode("TSLA", day, "PUT", 740))!;
  assertEquals([a.strike, a.expiry, a.underlying, b.callPut], [740, "2026-12-18", "US.TSLA", "PUT"]);
});
