/**
 * Scenario a: gateway kills and stalls under mixed load. futu-mcp (HTTP, API
 * keys) reaches a simulated OpenD through {@link LinkProxy}; concurrent
 * clients read quotes and place simulated orders, each order with a unique
 * idempotency key (also its remark, so that the simulator's order book says
 * how many times each key was placed). Meanwhile the link is killed — half the
 * time by cutting it in the proxy, half by restarting the simulated OpenD
 * (which also forgets subscriptions and the unlock) — and stalled.
 *
 * A writer whose order failed retries it once with the same key when the link
 * is back, as an agent following the error's hint would: the simulator must
 * hold at most one order per key.
 *
 * @module
 */
import { SimServer } from "../src/sim/server.ts";
import { ManualClock } from "../src/sim/clock.ts";
import { DEFAULT_ACCOUNTS } from "../src/sim/accounts.ts";
import { generateKey, writeKeysFile } from "../src/access/keys.ts";
import { startFutuMcp } from "./_procs.ts";
import { label, type Outcome, Session } from "./_mcp.ts";
import { LinkProxy } from "./_proxy.ts";
import { bump, hold, ms, Prng, quantile, type Report, signal, tally, within } from "./_util.ts";

/** Thursday 2026-11-26 10:30 in Hong Kong: HK trades, so limit orders are accepted and stay open. */
const HK_MORNING = Date.parse("2026-11-26T02:30:00Z");
const SYMBOLS = ["HK.00700", "HK.09988", "HK.00941", "HK.00005"];
/**
 * A call unanswered this long hung: futu-mcp's own worst case is 21 s waiting for a connect already
 * under way, then 12 s of OpenD request timeout.
 */
const HANG_MS = 40_000;
/** Errors that say "try again once the link is back" (reads), or "check before repeating" (writes). */
const RETRYABLE = new Set(["gateway_unavailable", "gateway_timeout", "gateway_error", "outcome_unknown"]);

/** The size of a run. */
export interface KillsPlan {
  kills: number;
  /** Each stall's length, ms. */
  stalls: number[];
  /** Bounds of each kill's downtime, ms. */
  downMs: [number, number];
  /** Normal operation between faults, ms. */
  settleMs: number;
  readers: number;
  writers: number;
}

export const QUICK_KILLS: KillsPlan = {
  kills: 3,
  stalls: [2500],
  downMs: [400, 1500],
  settleMs: 1500,
  readers: 4,
  writers: 2,
};
export const FULL_KILLS: KillsPlan = {
  kills: 20,
  stalls: [2500, 6000, 15_000],
  downMs: [300, 3000],
  settleMs: 2000,
  readers: 6,
  writers: 3,
};

/** Runs the scenario in `tmp`. */
export async function killsScenario(plan: KillsPlan, tmp: string, seed: number): Promise<Report> {
  const started = performance.now();
  const random = new Prng(seed);
  await using sim = await SimServer.start({
    port: 0,
    clock: new ManualClock(HK_MORNING),
    rateLimits: false,
    subscriptionQuota: 2000,
    // Buying power for every order of a full run: a refusal for money would hide what the link does.
    accounts: DEFAULT_ACCOUNTS.map((a) =>
      a.env === "SIMULATE" ? { ...a, cash: { HKD: 1e12, USD: 1e12, CNH: 1e12 } } : a
    ),
  });
  await using proxy = LinkProxy.start(sim.port);
  const key = generateKey({ id: "proof-load", scopes: ["qot:read", "acc:read", "trade:simulate"] });
  await writeKeysFile(`${tmp}/kills-keys.json`, [key.record]);
  await using mcp = await startFutuMcp(proxy.address, ["--keys-file", `${tmp}/kills-keys.json`]);

  // Link state, as the harness knows it: `up` resolves once futu-mcp serves again after a fault (its
  // first success), which is when a writer retries a failed order.
  let up = signal();
  up.resolve();
  let linkUp = true;
  const setUp = (value: boolean) => {
    if (value === linkUp) return;
    linkUp = value;
    if (value) up.resolve();
    else up = signal();
  };
  // The first success completed after a restore ends that fault's "time to resume".
  let watch: { since: number; done: (elapsed: number) => void } | undefined;
  const succeeded = (at: number) => {
    if (watch && at >= watch.since) {
      const w = watch;
      watch = undefined;
      w.done(at - w.since);
    }
  };

  const codes = { reads: new Map<string, number>(), orders: new Map<string, number>() };
  let calls = 0;
  let hung = 0;
  const internals: string[] = [];
  const firstMessage = new Map<string, string>();
  const record = (kind: "reads" | "orders", outcome: Outcome) => {
    calls++;
    bump(codes[kind], label(outcome));
    if (outcome.kind === "tool_error" && !firstMessage.has(outcome.code)) {
      firstMessage.set(outcome.code, outcome.error.slice(0, 160));
    }
    if (outcome.kind === "hung") hung++;
    if (outcome.kind === "result") succeeded(performance.now());
    const internal = (outcome.kind === "tool_error" && outcome.code === "internal") ||
      (outcome.kind === "rpc_error" && outcome.code === -32603);
    if (internal) internals.push(JSON.stringify(outcome).slice(0, 200));
  };
  // After an error a client waits for the next pacing tick rather than spin: it shapes the load
  // (a few calls per second per client while the link is down), it times nothing.
  const pace = () => hold(50);

  const sessions: Session[] = [];
  for (let i = 0; i < plan.readers + plan.writers; i++) {
    const s = await Session.open(mcp.url, key.plaintext);
    if (!(s instanceof Session)) throw new Error(`kills: cannot open a session: ${s}`);
    sessions.push(s);
  }
  let stopping = false;
  const finals = new Map<string, Outcome>();
  let retried = 0;
  let nextOrder = 0;
  const reader = async (s: Session) => {
    while (!stopping) {
      const outcome = await s.call("futu_get_quote", { symbol: random.pick(SYMBOLS) }, HANG_MS);
      record("reads", outcome);
      if (outcome.kind !== "result") await pace();
    }
  };
  const writer = async (s: Session) => {
    while (!stopping) {
      const id = `proof-${seed}-${nextOrder++}`;
      const order = {
        symbol: "HK.00700",
        side: "BUY",
        qty: 100,
        price: 300,
        remark: id,
        idempotency_key: id,
      };
      let outcome = await s.call("futu_place_order", order, HANG_MS);
      record("orders", outcome);
      if (outcome.kind !== "result" && outcome.kind !== "hung") {
        // Bounded, so that a link that never comes back fails a criterion instead of hanging the harness.
        await within(up.promise, 60_000, "the link coming back").catch(() => {});
        retried++;
        outcome = await s.call("futu_place_order", order, HANG_MS);
        record("orders", outcome);
      }
      finals.set(id, outcome);
    }
  };
  const load = [
    ...sessions.slice(0, plan.readers).map(reader),
    ...sessions.slice(plan.readers).map(writer),
  ];

  // Faults: kills (cut or restart) and stalls, spread over the run; each waits for the link to serve again.
  const resumes: { kind: string; ms: number }[] = [];
  const unresumed: string[] = [];
  const awaitResume = async (kind: string) => {
    const done = signal<number>();
    watch = { since: performance.now(), done: done.resolve };
    try {
      resumes.push({ kind, ms: await within(done.promise, 60_000, `a success after the ${kind}`) });
    } catch {
      watch = undefined;
      unresumed.push(kind);
    }
  };
  await hold(plan.settleMs);
  const stallAfter = new Map(plan.stalls.map((length, i) => [
    Math.floor(((i + 1) * plan.kills) / (plan.stalls.length + 1)),
    length,
  ]));
  let cuts = 0;
  let restarts = 0;
  for (let k = 0; k < plan.kills; k++) {
    const down = random.int(plan.downMs[0], plan.downMs[1]);
    setUp(false);
    if (k % 2 === 0) {
      cuts++;
      proxy.kill();
      await hold(down);
      proxy.restore();
    } else {
      restarts++;
      await sim.restart(down);
    }
    await awaitResume(k % 2 === 0 ? "link cut" : "OpenD restart");
    setUp(true);
    await hold(plan.settleMs);
    const stall = stallAfter.get(k + 1);
    if (stall !== undefined) {
      setUp(false);
      proxy.stall();
      await hold(stall);
      proxy.resume();
      await awaitResume(`stall of ${stall} ms`);
      setUp(true);
      await hold(plan.settleMs);
    }
  }
  stopping = true;
  await Promise.all(load);
  await Promise.all(sessions.map((s) => s.close()));

  // The simulator's order book, by remark (= idempotency key).
  const atSim = new Map<string, number>();
  for (const account of sim.trading.accounts) {
    for (const order of account.orders) if (order.remark) bump(atSim, order.remark);
  }
  const duplicates = [...atSim].filter(([, n]) => n > 1);
  const lost = [...finals].filter(([id, o]) => o.kind === "result" && !atSim.has(id));
  const sentDespiteFailure = [...finals].filter(([id, o]) =>
    o.kind === "tool_error" && o.code !== "outcome_unknown" && atSim.has(id)
  );
  const unknownFinal = [...finals].filter(([, o]) => o.kind === "tool_error" && o.code === "outcome_unknown");
  const nonRetryable = [...codes.reads, ...codes.orders].filter(([code]) =>
    code !== "ok" && !RETRYABLE.has(code) && code !== "hung"
  );
  const crashed = mcp.exited();
  const resumeMs = resumes.map((r) => r.ms);
  const byKind = (kind: string) => resumes.filter((r) => r.kind.startsWith(kind)).map((r) => r.ms);
  const report: Report = {
    name: "a. gateway kills and stalls under mixed load",
    seconds: 0,
    figures: [
      ["clients", `${plan.readers} quote readers, ${plan.writers} order writers (HTTP, API key)`],
      [
        "faults",
        `${plan.kills} kills (${cuts} link cuts, ${restarts} OpenD restarts), stalls ${plan.stalls.join(", ")} ms`,
      ],
      ["calls total", calls],
      ["quote reads by outcome", tally(codes.reads)],
      ["order calls by outcome", tally(codes.orders)],
      ["calls hung past 40 s", hung],
      ["orders: keys / retried once", `${finals.size} / ${retried}`],
      ["orders at the simulator", [...atSim.values()].reduce((a, b) => a + b, 0)],
      ["duplicate orders (keys placed twice)", duplicates.length],
      ["answered ok but absent at the sim", lost.length],
      ["failed (not outcome_unknown) but placed", sentDespiteFailure.length],
      [
        "final outcome_unknown (of which at the sim)",
        `${unknownFinal.length} (${unknownFinal.filter(([id]) => atSim.has(id)).length})`,
      ],
      ["futu-mcp reconnects (proxy accepts)", proxy.accepted - 1],
      ["resume after a fault, all p50 / max", `${ms(quantile(resumeMs, 0.5))} / ${ms(Math.max(...resumeMs))}`],
      [
        "  after a link cut p50 / max",
        `${ms(quantile(byKind("link cut"), 0.5))} / ${ms(Math.max(...byKind("link cut")))}`,
      ],
      [
        "  after an OpenD restart p50 / max",
        `${ms(quantile(byKind("OpenD"), 0.5))} / ${ms(Math.max(...byKind("OpenD")))}`,
      ],
      ["  after each stall", resumes.filter((r) => r.kind.startsWith("stall")).map((r) => ms(r.ms)).join(", ")],
    ],
    criteria: [
      { what: "futu-mcp did not crash", ok: crashed === undefined },
      { what: "no call hung past 40 s", ok: hung === 0 },
      { what: "no duplicate order (at most one order per idempotency key)", ok: duplicates.length === 0 },
      { what: "every order answered ok exists at the simulator", ok: lost.length === 0 },
      { what: "no order placed whose final answer was a definite failure", ok: sentDespiteFailure.length === 0 },
      { what: "no internal error", ok: internals.length === 0 },
      { what: "every error was a retryable gateway code", ok: nonRetryable.length === 0 },
      { what: "a call succeeded within 60 s of every restore", ok: unresumed.length === 0 },
    ],
    notes: [
      ...duplicates.slice(0, 3).map(([id, n]) => `duplicate: ${id} placed ${n} times`),
      ...sentDespiteFailure.slice(0, 3).map(([id, o]) => `placed despite ${label(o)}: ${id}`),
      ...nonRetryable.slice(0, 5).map(([code, n]) => `non-retryable error: ${code} ×${n}: ${firstMessage.get(code)}`),
      ...internals.slice(0, 3).map((i) => `internal: ${i}`),
      ...unresumed.map((kind) => `no success within 60 s after a ${kind}`),
    ],
  };
  await mcp.stop();
  report.seconds = (performance.now() - started) / 1000;
  return report;
}
