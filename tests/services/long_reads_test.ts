/**
 * Long reads against the simulator: each reports one step per request to OpenD and, once its caller's signal
 * aborts, sends no further request and fails with an AbortError — the paged K-line history, the option chain's
 * windows and snapshot batches, and the indicator calculation.
 */
import { assert, assertEquals, assertRejects } from "../helpers/assert.ts";
import { connect, startSim } from "../helpers/sim.ts";
import { calculateIndicator } from "../../src/gateway/indicator_calc.ts";
import { toSecurity } from "../../src/gateway/mod.ts";
import type { SimServer } from "../../src/sim/server.ts";
import { DerivativesService } from "../../src/services/derivatives.ts";
import { MarketDataService } from "../../src/services/market_data.ts";

/** The number of requests of `protocol` the simulator has received since the call. */
function counter(sim: SimServer, protocol: string): () => number {
  let count = 0;
  sim.onRequest((p) => {
    if (p === protocol) count++;
  });
  return () => count;
}

const isAbort = (err: unknown) => err instanceof DOMException && err.name === "AbortError";

Deno.test("history K-lines: one step per page; aborted after a page, no next page is asked for", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const market = new MarketDataService(gateway);
  const pages = counter(sim, "Qot_RequestHistoryKL");
  const range = { begin: "2026-11-02", end: "2026-11-25", maxCount: 2500 };
  const rows: number[] = [];
  const all = await market.historyKlines("HK.00700", "K_1M", { ...range, onPage: (n) => rows.push(n) });
  assertEquals(all.klines.length, 2500);
  assertEquals(rows, [1000, 2000, 2500]);
  assertEquals(pages(), 3);

  const controller = new AbortController();
  const seen: number[] = [];
  const cancelled = market.historyKlines("HK.00700", "K_1M", {
    ...range,
    signal: controller.signal,
    onPage: (n) => {
      seen.push(n);
      controller.abort("the client went away"); // a free-text reason, as an MCP client's is
    },
  });
  const err = await cancelled.then(() => undefined, (e: unknown) => e);
  assert(isAbort(err), `an AbortError, not ${err}`);
  assertEquals(seen, [1000]);
  assertEquals(pages(), 4, "only the first page of the cancelled read");

  const before = pages();
  await assertRejects(() =>
    market.historyKlines("HK.00700", "K_1M", { ...range, pageKey: all.nextPageKey, signal: controller.signal })
  );
  assertEquals(pages(), before, "an already cancelled page request sends nothing");
});

Deno.test("option chain: a step per window and per snapshot batch; aborted, it stops between requests", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const derivatives = new DerivativesService(gateway);
  const chains = counter(sim, "Qot_GetOptionChain");
  const snapshots = counter(sim, "Qot_GetSecuritySnapshot");
  const request = { begin: "2026-11-26", end: "2027-03-26", quotes: true };
  const steps: [number, number | undefined][] = [];
  const chain = await derivatives.chain("US.AAPL", request, { progress: (done, total) => steps.push([done, total]) });
  assert(chain.quotes.size > 400, `${chain.quotes.size} snapshots: more than one batch`);
  assertEquals(steps, [[1, 4], [2, 4], [3, 4], [4, 4], [5, 6], [6, 6]], "4 windows, then 2 batches");
  assertEquals([chains(), snapshots()], [4, 2]);

  for (const stopAfter of [2, 5]) {
    const controller = new AbortController();
    const [chainsBefore, snapshotsBefore] = [chains(), snapshots()];
    const err = await derivatives.chain("US.AAPL", request, {
      signal: controller.signal,
      progress: (done) => {
        if (done === stopAfter) controller.abort();
      },
    }).then(() => undefined, (e: unknown) => e);
    assert(isAbort(err), `an AbortError, not ${err}`);
    assertEquals(
      [chains() - chainsBefore, snapshots() - snapshotsBefore],
      stopAfter === 2 ? [2, 0] : [4, 1],
      `stopped after request ${stopAfter}`,
    );
  }
});

Deno.test("option chain: the longest range is 10 windows, as many as OpenD answers in 30 s", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const chains = counter(sim, "Qot_GetOptionChain");
  const longest = await new DerivativesService(gateway).chain("US.AAPL", {
    begin: "2026-11-26",
    end: "2027-10-01",
    quotes: false,
  });
  assertEquals(chains(), 10);
  assert(longest.expiries.at(-1)!.expiry > "2027-06-01", "expiries across the whole range");
});

Deno.test("indicator calculation: a cancelled call sends nothing; cancelled in flight, it fails without the result", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const series = await gateway.quote.requestHistoryKL("US.AAPL", "K_DAY", { begin: "2026-09-01", end: "2026-11-25" });
  const c2s = {
    shortName: "MA",
    langType: 1,
    data: {
      security: toSecurity("US.AAPL"),
      klType: 2,
      kLine: series.klines.map((k) => ({ time: k.time, isBlank: false, closePrice: k.close })),
    },
  };
  const calcs = counter(sim, "Qot_RequestIndicatorCalc");
  const before = new AbortController();
  before.abort();
  const early = await calculateIndicator(gateway.client, c2s, { signal: before.signal }).catch((e: unknown) => e);
  assert(isAbort(early), `an AbortError, not ${early}`);
  assertEquals(calcs(), 0, "nothing sent");

  const inFlight = new AbortController();
  const stop = sim.onRequest((p) => {
    if (p === "Qot_RequestIndicatorCalc") inFlight.abort();
  });
  const late = await calculateIndicator(gateway.client, c2s, { signal: inFlight.signal, timeoutMs: 60_000 })
    .catch((e: unknown) => e);
  stop();
  assert(isAbort(late), `an AbortError at once, not ${late}`);
  assertEquals(calcs(), 1);
  const fine = await calculateIndicator(gateway.client, c2s);
  assertEquals(fine.outputRows?.length, c2s.data.kLine.length, "the next calculation is answered");
});
