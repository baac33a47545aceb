/**
 * Confirmation of REAL-account writes by a person, end to end with the MCP SDK's client: form elicitation
 * (accept, decline, dismiss, an unticked box, no answer in time) over HTTP and stdio, the confirm_token
 * two-step for clients without elicitation and its refusals, futu_preview_order, and the keys' modes. The
 * simulator's own order book proves what was (not) sent.
 *
 * @module
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import {
  childEnv,
  dataOf,
  errorOf,
  futuMcpCommand,
  spawnStdio,
  startHttpApp,
  withConfirmation,
} from "../helpers/mcp.ts";
import { tempDir } from "../helpers/tmp.ts";
import { ElicitRequestSchema, type ElicitResult } from "../../src/mcp/sdk.ts";
import { Client, StdioClientTransport, StreamableHTTPClientTransport } from "../../src/mcp/sdk_client.ts";
import { generateKey, writeKeysFile } from "../../src/access/keys.ts";
import type { Scope } from "../../src/tools/scopes.ts";
import type { SimServer } from "../../src/sim/server.ts";

type Json = Record<string, unknown>;

const REAL_ACC = "281756479345015383";
const CLOCK = ["--gateway", "sim", "--sim-clock", "2026-11-26T10:30:00+08:00"];
const SCOPES: Scope[] = ["qot:read", "acc:read", "trade:simulate", "trade:real", "trade:unlock"];
const PASSWORDS = { description: "test", read: () => Promise.resolve("123456") };
/** A REAL limit order that rests on the book (far below the market), so it never fills during a test. */
const ORDER = { acc_id: REAL_ACC, env: "real", symbol: "HK.00700", side: "BUY", qty: 100, price: 300 };

/** A keys file: "human" (confirm_real default: elicit), "tokens" (token), "bot" (none), "other" (elicit). */
async function keysFile(dir: string) {
  const limits = { maxOrderValue: 1_000_000, maxDailyValue: 2_000_000, maxOrdersPerMinute: 30 };
  const human = generateKey({ id: "human", scopes: SCOPES, limits });
  const tokens = generateKey({ id: "tokens", scopes: SCOPES, limits, confirmReal: "token" });
  const bot = generateKey({ id: "bot", scopes: SCOPES, confirmReal: "none" });
  const other = generateKey({ id: "other", scopes: SCOPES });
  const path = `${dir}/keys.json`;
  await writeKeysFile(path, [human.record, tokens.record, bot.record, other.record]);
  return { path, human: human.plaintext, tokens: tokens.plaintext, bot: bot.plaintext, other: other.plaintext };
}

/** How the test's person answers: a result, or never (the server's timeout decides). */
type Answer = ElicitResult | "never";

/** An SDK client that can be asked (form elicitation) and records what it was asked. */
function askingClient(answer: () => Answer) {
  const client = new Client({ name: "confirm-test", version: "1.0.0" }, {
    capabilities: { elicitation: { form: {} } },
  });
  const asked: { message: string; requestedSchema: unknown }[] = [];
  client.setRequestHandler(ElicitRequestSchema, (request) => {
    const params = request.params as { message: string; requestedSchema: unknown };
    asked.push({ message: params.message, requestedSchema: params.requestedSchema });
    const reply = answer();
    return reply === "never" ? new Promise<ElicitResult>(() => {}) : Promise.resolve(reply);
  });
  return { client, asked };
}

function realOrders(sim: SimServer): number {
  return sim.trading.todayOrders(sim.trading.account(REAL_ACC, "REAL")).length;
}

Deno.test("elicitation over HTTP: accept sends the order; decline, dismiss, an unticked box and no answer send nothing", async () => {
  const dir = await tempDir("confirm");
  const keys = await keysFile(dir);
  await using app = await startHttpApp(
    [...CLOCK, "--keys-file", keys.path, "--audit-log", `${dir}/audit.jsonl`, "--confirm-timeout", "1"],
    { passwords: PASSWORDS },
  );
  const sim = app.sim!;
  let answer: Answer = { action: "accept", content: { confirm: true } };
  const { client, asked } = askingClient(() => answer);
  await client.connect(
    new StreamableHTTPClientTransport(new URL(app.url), {
      requestInit: { headers: { authorization: `Bearer ${keys.human}` } },
    }),
  );
  try {
    const call = (name: string, args: Json) => client.callTool({ name, arguments: args });
    dataOf(await call("futu_unlock_trade", { acc_ids: [REAL_ACC] }));

    // Paper trading needs no confirmation.
    dataOf(await call("futu_place_order", { symbol: "HK.00700", side: "BUY", qty: 100, price: 300 }));
    assertEquals(asked.length, 0, "a SIMULATE order asks nobody");

    // Accept: the person saw what will happen, then the order was sent.
    const before = realOrders(sim);
    const placed = dataOf<{ order_id: string; env: string; status: string }>(await call("futu_place_order", ORDER));
    assertEquals([placed.env, placed.status], ["REAL", "SUBMITTED"]);
    assertEquals(realOrders(sim), before + 1);
    assertEquals(asked.length, 1);
    const message = asked[0].message;
    for (const part of [REAL_ACC, "BUY 100 HK.00700", "@ 300 HKD", "Estimated notional: 30,000 HKD"]) {
      assert(message.includes(part), `the person is shown "${part}":\n${message}`);
    }
    // The key's daily cap counts each of its writes, the paper order's too.
    assert(/daily cap 2,000,000 HKD: 30,000 used today, 60,000 after this \(3%\)/.test(message), message);
    assert(message.includes("per order ≤ 1,000,000 HKD"), message);
    assertEquals((asked[0].requestedSchema as { required: string[] }).required, ["confirm"]);

    // Every answer but an accepted, ticked box sends nothing.
    const refusals: [Answer, string][] = [
      [{ action: "decline" }, "the user declined"],
      [{ action: "cancel" }, "dismissed the confirmation"],
      [{ action: "accept", content: { confirm: false } }, "the user declined"],
      ["never", "did not answer the confirmation of this REAL order in time"],
    ];
    for (const [reply, why] of refusals) {
      answer = reply;
      const count = realOrders(sim);
      const refused = errorOf(await call("futu_place_order", { ...ORDER, qty: 200 }));
      assertEquals(refused.code, "not_confirmed", refused.error);
      assert(refused.error.includes(why) && refused.error.includes("nothing was sent"), refused.error);
      assertEquals(realOrders(sim), count, `${JSON.stringify(reply)}: nothing reached OpenD`);
    }
    // The declined writes used none of the daily cap: the next preview shows only the accepted order.
    answer = { action: "accept", content: { confirm: true } };
    const preview = dataOf<{ limits: { daily_used: number } }>(
      await call("futu_preview_order", { ...ORDER, price: 310 }),
    );
    assertEquals(preview.limits.daily_used, 60_000);

    // Cancelling a REAL order is a REAL write too: it is confirmed the same way.
    const asks = asked.length;
    const cancelled = dataOf<{ status: string }>(
      await call("futu_cancel_order", { acc_id: REAL_ACC, env: "real", order_id: placed.order_id }),
    );
    assertEquals(cancelled.status, "CANCELLED_ALL");
    assertEquals(asked.length, asks + 1);
    assert(asked.at(-1)!.message.includes(`cancel`), asked.at(-1)!.message);

    // A limit refuses before anyone is asked.
    const tooBig = errorOf(await call("futu_place_order", { ...ORDER, qty: 5000 }));
    assertEquals(tooBig.code, "limit", tooBig.error);
    assertEquals(asked.length, asks + 1, "nobody is asked about an order the limits refuse");

    // The audit log records each refusal with its reason (and never the arguments).
    const audit = (await Deno.readTextFile(`${dir}/audit.jsonl`)).trim().split("\n").map((l) => JSON.parse(l));
    const notConfirmed = audit.filter((e) => e.endpoint === "futu_place_order" && e.outcome === "reject");
    assert(notConfirmed.some((e) => String(e.reason).includes("the user declined")), JSON.stringify(notConfirmed));
    assert(notConfirmed.some((e) => String(e.reason).includes("in time")), JSON.stringify(notConfirmed));
  } finally {
    await client.close();
  }
});

Deno.test("elicitation over stdio: the person accepts one order and declines the next", async () => {
  const dir = await tempDir("confirm-stdio");
  const keys = await keysFile(dir);
  let answer: Answer = { action: "accept", content: { confirm: true } };
  const { client, asked } = askingClient(() => answer);
  await client.connect(
    new StdioClientTransport({
      command: "deno",
      args: futuMcpCommand([...CLOCK, "--keys-file", keys.path]),
      env: childEnv({ FUTU_MCP_API_KEY: keys.human, FUTU_TRADE_PWD: "123456" }),
      stderr: "pipe",
    }),
  );
  try {
    const call = (name: string, args: Json) => client.callTool({ name, arguments: args });
    dataOf(await call("futu_unlock_trade", { acc_ids: [REAL_ACC] }));
    const orders = async () =>
      dataOf<{ rows: unknown[][] }>(await call("futu_get_orders", { acc_id: REAL_ACC, env: "real" })).rows.length;
    const before = await orders();
    dataOf(await call("futu_place_order", ORDER));
    assertEquals(await orders(), before + 1);
    answer = { action: "decline" };
    assertEquals(errorOf(await call("futu_place_order", { ...ORDER, qty: 200 })).code, "not_confirmed");
    assertEquals(await orders(), before + 1, "the declined order never reached OpenD");
    assertEquals(asked.length, 2);
  } finally {
    await client.close();
  }
});

Deno.test("without elicitation: a preview with a confirm_token bound to the key and the exact arguments, used once", async () => {
  const dir = await tempDir("confirm-token");
  const keys = await keysFile(dir);
  await using mcp = await spawnStdio([...CLOCK, "--keys-file", keys.path], {
    FUTU_MCP_API_KEY: keys.human,
    FUTU_TRADE_PWD: "123456",
  });
  const call = (name: string, args: Json) => mcp.client.callTool({ name, arguments: args });
  dataOf(await call("futu_unlock_trade", { acc_ids: [REAL_ACC] }));
  const orders = async () =>
    dataOf<{ rows: unknown[][] }>(await call("futu_get_orders", { acc_id: REAL_ACC, env: "real" })).rows.length;
  const count = await orders();

  // The first call sends nothing: it previews the order and gives a token.
  const first = await call("futu_place_order", ORDER);
  const pending = dataOf<{ status: string; confirm_token: string; expires_at: string; preview: Json }>(first);
  assertEquals(pending.status, "confirmation_required");
  assert(/^ct_[A-Za-z0-9_-]{24}$/.test(pending.confirm_token), pending.confirm_token);
  assert(Date.parse(pending.expires_at) > Date.now());
  assertEquals(pending.preview.notional, 30_000);
  assertEquals(pending.preview.confirmation, "elicit", "the key's mode; this client cannot be asked");
  const text = (first as { content: { text: string }[] }).content[0].text;
  assert(text.includes("CONFIRMATION REQUIRED, nothing was sent") && text.includes(pending.confirm_token), text);
  assertEquals(await orders(), count, "a preview sends nothing");

  // Other arguments: refused, naming what changed, and the token is used up.
  const changed = errorOf(await call("futu_place_order", { ...ORDER, qty: 200, confirm_token: pending.confirm_token }));
  assertEquals(changed.code, "confirmation_required");
  assert(changed.error.includes("changed: qty"), changed.error);
  const reused = errorOf(await call("futu_place_order", { ...ORDER, confirm_token: pending.confirm_token }));
  assert(reused.error.includes("unknown or was already used"), reused.error);

  // Another key's token: refused.
  const fresh = await withConfirmation(async (n, a) => dataOf(await call(n, a)), "futu_place_order", ORDER);
  const stolen = errorOf(await call("futu_place_order", { ...fresh, api_key: keys.other }));
  assert(stolen.error.includes("issued to another API key"), stolen.error);
  // A token made up: refused.
  const forged = errorOf(await call("futu_place_order", { ...ORDER, confirm_token: "ct_AAAAAAAAAAAAAAAAAAAAAAAA" }));
  assert(forged.error.includes("unknown or was already used"), forged.error);
  assertEquals(await orders(), count, "no refused token sent anything");

  // The right token, once: the order is sent; the same token again is refused.
  const confirmed = await withConfirmation(async (n, a) => dataOf(await call(n, a)), "futu_place_order", ORDER);
  const placed = dataOf<{ env: string; status: string }>(await call("futu_place_order", confirmed));
  assertEquals([placed.env, placed.status], ["REAL", "SUBMITTED"]);
  assertEquals(await orders(), count + 1);
  const again = errorOf(await call("futu_place_order", confirmed));
  assert(again.error.includes("already used"), again.error);
  assertEquals(await orders(), count + 1);

  // A key whose mode is "none" writes at once.
  const bot = dataOf<{ status: string }>(await call("futu_place_order", { ...ORDER, api_key: keys.bot }));
  assertEquals(bot.status, "SUBMITTED");
  assertEquals(await orders(), count + 2);
});

Deno.test("confirm_real token: even a client that can ask gets a token", async () => {
  const dir = await tempDir("confirm-mode");
  const keys = await keysFile(dir);
  await using app = await startHttpApp([...CLOCK, "--keys-file", keys.path], { passwords: PASSWORDS });
  const { client, asked } = askingClient(() => ({ action: "accept", content: { confirm: true } }));
  await client.connect(
    new StreamableHTTPClientTransport(new URL(app.url), {
      requestInit: { headers: { authorization: `Bearer ${keys.tokens}` } },
    }),
  );
  try {
    const result = dataOf<{ status: string }>(await client.callTool({ name: "futu_place_order", arguments: ORDER }));
    assertEquals(result.status, "confirmation_required");
    assertEquals(asked.length, 0);
  } finally {
    await client.close();
  }
});

Deno.test("futu_preview_order: notional in the account's currency, limits, refusals and warnings, placing nothing", async () => {
  const dir = await tempDir("preview");
  const limited = generateKey({
    id: "limited",
    scopes: ["qot:read", "acc:read", "trade:simulate"],
    limits: { allowedSymbols: ["HK.00700"], maxDailyValue: 100_000 },
  });
  await writeKeysFile(`${dir}/keys.json`, [limited.record]);
  await using app = await startHttpApp([...CLOCK, "--keys-file", `${dir}/keys.json`]);
  const client = new Client({ name: "preview-test", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(app.url), {
      requestInit: { headers: { authorization: `Bearer ${limited.plaintext}` } },
    }),
  );
  try {
    const preview = async (args: Json) =>
      dataOf<Json & { limits: Json; would_refuse: { code: string; message: string }[]; warnings: string[] }>(
        await client.callTool({ name: "futu_preview_order", arguments: args }),
      );
    const requests = app.sim!.requestCount;
    const paper = await preview({ symbol: "HK.00700", side: "BUY", qty: 150, price: 300 });
    assertEquals([paper.env, paper.confirmation, paper.notional, paper.currency], [
      "SIMULATE",
      "not_needed",
      45_000,
      "HKD",
    ]);
    assertEquals(paper.would_refuse, []);
    assertEquals(paper.limits, { daily_cap: 100_000, daily_used: 0, daily_after: 45_000, daily_cap_used_pct: 45 });
    assert(paper.warnings.some((w) => w.includes("not a multiple of the lot size 100")), paper.warnings.join("; "));
    assert(paper.warnings.some((w) => w.includes("below the last price")), paper.warnings.join("; "));
    // A US order from the universal HKD account: valued in USD and, at the account's rate, in HKD. The key lacks
    // trade:real and may trade HK.00700 only: the preview names both refusals.
    const us = await preview({ ...ORDER, symbol: "US.AAPL", qty: 10, price: 200 });
    assertEquals([us.currency, us.notional, us.account_currency], ["USD", 2000, "HKD"]);
    assertEquals(us.notional_in_account_currency, 15_600, "1 USD = 7.8 HKD in the simulator");
    assertEquals(us.confirmation, "elicit");
    assertEquals(us.would_refuse.map((r) => r.code), ["unauthorized", "limit"]);
    assert(us.would_refuse[0].message.includes("lacks trade:real"), us.would_refuse[0].message);
    assert(us.would_refuse[1].message.includes("US.AAPL is not in this key's"), us.would_refuse[1].message);
    // Bad arguments name the field.
    const bad = errorOf(await client.callTool({ name: "futu_preview_order", arguments: { symbol: "HK.00700" } }));
    assert(bad.error.includes("side") && bad.error.includes("qty"), bad.error);
    assert(app.sim!.requestCount > requests);
    assertEquals(
      app.sim!.trading.todayOrders(app.sim!.trading.account("6234567", "SIMULATE")).length,
      0,
      "previews place nothing",
    );
  } finally {
    await client.close();
  }
});
