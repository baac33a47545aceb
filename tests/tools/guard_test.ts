/**
 * The tool guard (src/tools/guard.ts) with a recording AccessControl: refusals
 * stop a call before its handler, arguments are checked with the field named,
 * a write's reservation is committed or released by its outcome, every outcome
 * is recorded, and unknown tools are refused. The tools are the real ones,
 * their services run over a real simulator.
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { connect, PAPER_HK, startSim } from "../helpers/sim.ts";
import { dataOf, errorOf } from "../helpers/mcp.ts";
import { type Gateway, md5Hex } from "../../src/gateway/mod.ts";
import { createServices } from "../../src/services/services.ts";
import {
  type AccessControl,
  type Caller,
  type CallRecord,
  OPEN_ACCESS,
  type Subject,
  ToolGuard,
  type WriteReservation,
} from "../../src/tools/guard.ts";
import { ToolError } from "../../src/tools/errors.ts";
import { ALL_TOOLS } from "../../src/tools/inventory.ts";
import type { Scope } from "../../src/tools/scopes.ts";
import type { OrderIntent } from "../../src/tools/tool.ts";

type Step = "identify" | "admit" | "authorize" | "reserve";

/** An AccessControl that lets everything through unless told to refuse a step, and records what it was asked. */
class RecordingAccess implements AccessControl {
  readonly calls: { step: Step; tool: string; scope?: Scope; subject?: Subject; intent?: OrderIntent }[] = [];
  readonly records: CallRecord[] = [];
  readonly reservations: { intent: OrderIntent; commits: number; releases: number }[] = [];
  readonly refuse = new Map<Step, ToolError>();

  #step(step: Step, tool: string, extra: Partial<RecordingAccess["calls"][number]> = {}): void {
    this.calls.push({ step, tool, ...extra });
    const refusal = this.refuse.get(step);
    if (refusal) throw refusal;
  }

  steps(): Step[] {
    return this.calls.map((c) => c.step);
  }

  identify(tool: { name: string }, apiKey: string | undefined): Promise<Caller> {
    this.#step("identify", tool.name);
    return Promise.resolve({ id: apiKey === undefined ? "startup" : `key:${apiKey}` });
  }
  admit(_caller: Caller, tool: { name: string }): void {
    this.#step("admit", tool.name);
  }
  authorize(_caller: Caller, tool: { name: string }, scope: Scope, subject: Subject): Promise<void> {
    this.#step("authorize", tool.name, { scope, subject });
    return Promise.resolve();
  }
  reserve(_caller: Caller, tool: { name: string }, intent: OrderIntent): Promise<WriteReservation> {
    this.#step("reserve", tool.name, { intent });
    const reservation = { intent, commits: 0, releases: 0 };
    this.reservations.push(reservation);
    return Promise.resolve({
      commit: () => {
        reservation.commits++;
        return Promise.resolve();
      },
      release: () => {
        reservation.releases++;
        return Promise.resolve();
      },
    });
  }
  accountVisible(): boolean {
    return true;
  }
  mayReceive(): Promise<boolean> {
    return Promise.resolve(true);
  }
  record(event: CallRecord): void {
    this.records.push(event);
  }
  // These tests exercise paper trading and reads, which need no confirmation.
  checkWrite = OPEN_ACCESS.checkWrite;
  confirmMode = OPEN_ACCESS.confirmMode;
  issueConfirmToken = OPEN_ACCESS.issueConfirmToken;
  redeemConfirmToken = OPEN_ACCESS.redeemConfirmToken;
}

async function setup(options: { requestTimeoutMs?: number } = {}) {
  const sim = await startSim();
  const gateway: Gateway = await connect(sim, options);
  const access = new RecordingAccess();
  const logs: string[] = [];
  const guard = new ToolGuard({
    tools: ALL_TOOLS,
    hidden: new Map([["futu_transfer_funds", "not a futu-mcp tool"]]),
    services: createServices(gateway, {
      passwords: { description: "the test", read: () => Promise.resolve("123456") },
    }),
    access,
    log: (m) => logs.push(m),
  });
  const orders = async () => (await gateway.trade.getOrders(PAPER_HK)).length;
  return {
    sim,
    gateway,
    access,
    guard,
    logs,
    orders,
    async [Symbol.asyncDispose]() {
      await gateway.close();
      await sim.close();
    },
  };
}

const LIMIT_BUY = { symbol: "HK.00700", side: "BUY", qty: 100, price: 400 };

Deno.test("a refused access decision is an error result with the refusal's code, and the handler never runs", async () => {
  await using t = await setup();
  for (
    const [step, code] of [
      ["identify", "unauthorized"],
      ["admit", "unauthorized"],
      ["authorize", "forbidden"],
      ["reserve", "limit"],
    ] as const
  ) {
    t.access.refuse.clear();
    t.access.calls.length = 0;
    t.access.records.length = 0;
    t.access.refuse.set(step, new ToolError(code, `refused at ${step}`, `hint of ${step}`));
    const before = t.sim.requestCount;
    const error = errorOf(await t.guard.call("futu_place_order", LIMIT_BUY));
    assertEquals([error.code, error.error, error.hint], [code, `refused at ${step}`, `hint of ${step}`]);
    assertEquals(t.access.steps().at(-1), step, "nothing is asked after the refusal");
    assertEquals(await t.orders(), 0, `refused at ${step}: no order reached OpenD`);
    assert(
      !t.access.records.some((r) => r.phase === "before"),
      `refused at ${step}: no "before" record (the write was never about to be sent)`,
    );
    assertEquals(t.access.records.map((r) => [r.outcome, r.code]), [["rejected", code]]);
    if (step === "identify" || step === "admit") {
      // Refused before the account is looked up: nothing at all reached OpenD.
      assertEquals(t.sim.requestCount - before, 1, "only the test's own order listing");
    }
  }
  // A read refused at authorize never reads the market.
  t.access.refuse.clear();
  t.access.refuse.set("authorize", new ToolError("unauthorized", "no qot:read"));
  const before = t.sim.requestCount;
  assertEquals(errorOf(await t.guard.call("futu_get_quote", { symbol: "HK.00700" })).code, "unauthorized");
  assertEquals(t.sim.requestCount, before, "no subscription, no quote request");
  assertEquals(t.gateway.quote.subscriptions, []);
});

Deno.test("invalid arguments are an error naming the field, before any access decision on the call", async () => {
  await using t = await setup();
  const cases: [string, Record<string, unknown>, string][] = [
    ["futu_get_quote", { symbol: 700 }, "symbol: Invalid input: expected string, received number"],
    ["futu_get_quote", { symbol: "HK.00700", colour: "red" }, 'unknown field "colour"'],
    ["futu_get_kline", { symbol: "HK.00700", kl_type: "K_7M" }, "kl_type: expected one of"],
    ["futu_place_order", { symbol: "HK.00700", side: "BUY", price: 400 }, "qty: required"],
    ["futu_place_order", { ...LIMIT_BUY, qty: -100 }, "qty"],
    ["futu_place_order", { symbol: "HK.00700", side: "BUY", qty: 100 }, "price: a NORMAL order needs price"],
    ["futu_get_funds", { acc_id: 9007199254740993 }, "acc_id: expected a string of digits: 64-bit ids lose precision"],
    // Even an exact number is refused (the schema says string), with the string to pass instead.
    [
      "futu_get_funds",
      { acc_id: 6234567 },
      'acc_id: expected a string of digits: 64-bit ids lose precision as JSON numbers; pass it as a string: "6234567"',
    ],
    [
      "futu_get_orders",
      { order_id: 42 },
      'order_id: expected a string of digits: 64-bit ids lose precision as JSON numbers; pass it as a string: "42"',
    ],
    ["futu_cancel_order", { order_id: "12ab" }, "order_id: expected a string of 1-20 digits"],
    [
      "futu_cancel_order",
      { order_id: "99999999999999999999" },
      "order_id: order_id 99999999999999999999 is outside the unsigned 64-bit range",
    ],
    [
      "futu_unlock_trade",
      { acc_ids: ["281756479345015383", 6234567] },
      'acc_ids.1: expected a string of digits: 64-bit ids lose precision as JSON numbers; pass it as a string: "6234567"',
    ],
    ["futu_watch_orders", { acc_ids: [true] }, "acc_ids.0: expected a string of digits"],
  ];
  for (const [tool, args, field] of cases) {
    t.access.calls.length = 0;
    const error = errorOf(await t.guard.call(tool, args));
    assertEquals(error.code, "invalid_arguments", JSON.stringify(error));
    assert(error.error.startsWith(`invalid arguments for ${tool}: `), error.error);
    assert(error.error.includes(field), `${tool} ${JSON.stringify(args)}: "${field}" not in ${error.error}`);
    assert(!t.access.steps().includes("authorize") && !t.access.steps().includes("reserve"), t.access.steps().join());
  }
  for (const raw of [[1, 2], "text", null]) {
    const error = errorOf(await t.guard.call("futu_ping", raw));
    assertEquals([error.code, error.error], ["invalid_arguments", "arguments must be a JSON object"]);
  }
  assertEquals(errorOf(await t.guard.call("futu_ping", { api_key: 7 })).error, "api_key must be a string");
  assertEquals(await t.orders(), 0);
});

Deno.test("__proto__, constructor and prototype are unknown fields like any other, as JSON.parse makes them", async () => {
  await using t = await setup();
  for (const name of ["__proto__", "constructor", "prototype"]) {
    // JSON.parse makes an own property of every key, "__proto__" included (an object literal would not).
    for (const value of ['{"polluted":true}', "1", "null"]) {
      const args = JSON.parse(`{"symbol":"HK.00700",${JSON.stringify(name)}:${value}}`);
      assert(Object.hasOwn(args, name), `the test's arguments have an own ${name}`);
      const error = errorOf(await t.guard.call("futu_get_quote", args));
      assertEquals(error.code, "invalid_arguments", JSON.stringify(error));
      assert(error.error.includes(`unknown field "${name}"`), error.error);
    }
  }
  assertEquals(({} as Record<string, unknown>).polluted, undefined, "no prototype was touched");
});

Deno.test("api_key goes to identify and never reaches the tool's arguments", async () => {
  await using t = await setup();
  dataOf(await t.guard.call("futu_get_quote", { symbol: "HK.00700", api_key: "k1" }));
  dataOf(await t.guard.call("futu_get_quote", { symbol: "HK.00700", api_key: "" }));
  assertEquals(t.access.records.map((r) => r.caller?.id), ["key:k1", "startup"], "an empty api_key counts as absent");
  assertEquals(t.access.records[0].args, { symbol: "HK.00700" });
});

Deno.test("a write's reservation is committed when OpenD accepted it and released when it was refused", async () => {
  await using t = await setup();
  const placed = dataOf<{ order_id: string }>(await t.guard.call("futu_place_order", LIMIT_BUY));
  assertEquals(t.access.reservations.length, 1);
  assertEquals([t.access.reservations[0].commits, t.access.reservations[0].releases], [1, 0]);
  assertEquals(t.access.reservations[0].intent.kind, "place");
  assertEquals(await t.orders(), 1);

  // OpenD refuses (not a lot size multiple): the reservation is released, nothing counts.
  const refused = errorOf(await t.guard.call("futu_place_order", { ...LIMIT_BUY, qty: 150 }));
  assertEquals(refused.code, "opend_error");
  assertEquals([t.access.reservations[1].commits, t.access.reservations[1].releases], [0, 1]);

  // A modification that OpenD accepts is committed too.
  dataOf(await t.guard.call("futu_modify_order", { order_id: placed.order_id, op: "NORMAL", price: 401 }));
  assertEquals(t.access.reservations[2].intent.kind, "NORMAL");
  assertEquals([t.access.reservations[2].commits, t.access.reservations[2].releases], [1, 0]);
  assertEquals(await t.orders(), 1);
});

Deno.test("a write whose outcome is unknown keeps its reservation: it may have been placed", async () => {
  await using t = await setup();
  t.sim.faults.closeBeforeNextReply("Trd_PlaceOrder");
  const error = errorOf(await t.guard.call("futu_place_order", LIMIT_BUY));
  assertEquals(error.code, "outcome_unknown");
  assertEquals([t.access.reservations[0].commits, t.access.reservations[0].releases], [1, 0]);
  assertEquals(t.access.records.map((r) => [r.phase, r.outcome]), [["before", "request"], ["after", "unknown"]]);
});

Deno.test("record() receives each call's outcome: success, failure, rejected, unknown, and the write's before", async () => {
  await using t = await setup();
  const { guard, access } = t;
  dataOf(await guard.call("futu_get_quote", { symbol: "HK.00700" }));
  errorOf(await guard.call("futu_get_quote", { symbol: "HK.99999" }));
  errorOf(await guard.call("futu_get_quote", { symbol: 1 }));
  dataOf(await guard.call("futu_place_order", { ...LIMIT_BUY, idempotency_key: "k" }));
  dataOf(await guard.call("futu_place_order", { ...LIMIT_BUY, idempotency_key: "k" }));
  access.refuse.set("authorize", new ToolError("forbidden", "not this account"));
  errorOf(await guard.call("futu_get_funds", {}));
  access.refuse.clear();
  t.sim.faults.closeBeforeNextReply("Trd_PlaceOrder");
  errorOf(await guard.call("futu_place_order", { ...LIMIT_BUY, price: 399 }));

  const rows = access.records.map((r) => [r.tool, r.phase ?? "-", r.outcome, r.code ?? "-"]);
  assertEquals(rows, [
    ["futu_get_quote", "-", "success", "-"],
    ["futu_get_quote", "-", "failure", "opend_error"],
    ["futu_get_quote", "-", "failure", "invalid_arguments"],
    ["futu_place_order", "before", "request", "-"],
    ["futu_place_order", "after", "success", "-"],
    ["futu_place_order", "before", "request", "-"],
    ["futu_place_order", "after", "success", "-"],
    ["futu_get_funds", "-", "rejected", "forbidden"],
    ["futu_place_order", "before", "request", "-"],
    ["futu_place_order", "after", "unknown", "outcome_unknown"],
  ]);
  const [first, repeat] = access.records.filter((r) => r.tool === "futu_place_order" && r.phase === "after");
  assertEquals([first.replayed, repeat.replayed], [undefined, true], "the idempotent repeat is marked");
  assertEquals(access.reservations[1].intent.replay, true, "and its intent says it writes nothing");
  const write = access.records.find((r) => r.phase === "before")!;
  assertEquals([write.scope, write.target?.accId, write.caller?.id], ["trade:simulate", PAPER_HK.accId, "startup"]);
  assert(access.records.every((r) => r.durationMs >= 0));
  assert(access.records.find((r) => r.code === "opend_error")?.message?.includes("Unknown stock HK.99999"));
});

Deno.test("a trade write's scope comes from the account's real environment", async () => {
  await using t = await setup();
  await t.gateway.trade.unlockTrade(true, md5Hex("123456"));
  dataOf(await t.guard.call("futu_place_order", { ...LIMIT_BUY, side: "SELL", price: 600, env: "real" }));
  const authorized = t.access.calls.filter((c) => c.step === "authorize").map((c) => c.scope);
  assertEquals(authorized, ["trade:real"]);
});

Deno.test("unknown tools are refused without asking the access rules, saying why a hidden tool is not offered", async () => {
  await using t = await setup();
  const unknown = errorOf(await t.guard.call("futu_buy_the_dip", {}));
  assertEquals([unknown.code, unknown.error], ["unknown_tool", 'unknown MCP tool "futu_buy_the_dip"']);
  const hidden = errorOf(await t.guard.call("futu_transfer_funds", { amount: 1 }));
  assertEquals(hidden.error, 'unknown MCP tool "futu_transfer_funds" (not a futu-mcp tool)');
  assertEquals(t.access.calls, [], "no key was looked up");
  assertEquals(t.access.records, [], "nothing to record for a tool that does not exist");
  assertEquals(await t.orders(), 0);
});
