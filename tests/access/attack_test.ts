/**
 * The attack matrix: what a confused model or a hostile client can try with
 * API keys, against futu-mcp over real HTTP (and stdio) on the simulator. Each
 * case must be refused with the right message, audited and counted, and no
 * secret may appear anywhere.
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { connect, eventually, startSim } from "../helpers/sim.ts";
import { connectHttp, dataOf, errorOf, rawHttpStatus, spawnStdio, startHttpApp } from "../helpers/mcp.ts";
import { tempDir } from "../helpers/tmp.ts";
import {
  generateKey,
  type KeyLimits,
  type KeyRecord,
  machineFingerprint,
  writeKeysFile,
} from "../../src/access/keys.ts";
import type { Scope } from "../../src/tools/scopes.ts";
import { md5Hex, type Order } from "../../src/gateway/mod.ts";

const MACHINE = "test-machine-1";
const PASSWORD = "canary-pass-7d1e";
Deno.env.set("FUTU_MACHINE_ID", MACHINE);
Deno.env.set("FUTU_TRADE_PWD", PASSWORD);

const hourNow = new Date().getUTCHours();
const pad = (n: number) => String(n % 24).padStart(2, "0");

const SPECS: Record<string, { scopes: Scope[]; limits?: KeyLimits; expiresAt?: string; allowedMachines?: string[] }> = {
  reader: { scopes: ["qot:read", "acc:read"] },
  quotes: { scopes: ["qot:read"] },
  sim: {
    scopes: ["qot:read", "acc:read", "trade:simulate"],
    limits: { allowedMarkets: ["HK", "US"], maxOrderValue: 100_000, maxOrdersPerMinute: 3 },
  },
  modifier: { scopes: ["qot:read", "acc:read", "trade:simulate"], limits: { maxOrderValue: 100_000 } },
  narrow: {
    scopes: ["qot:read", "trade:simulate"],
    limits: { allowedSymbols: ["HK.00700"], allowedTrdSides: ["BUY"] },
  },
  daily: { scopes: ["qot:read", "acc:read", "trade:simulate"], limits: { maxDailyValue: 50_000 } },
  hours: {
    scopes: ["trade:simulate"],
    limits: { hoursWindow: `${pad(hourNow + 2)}:00-${pad(hourNow + 3)}:00`, hoursTz: "UTC" },
  },
  real: {
    scopes: ["qot:read", "acc:read", "trade:real", "trade:unlock"],
    limits: { allowedAccIds: ["281756479345015383"], priceCollarPct: 5 },
  },
  expired: { scopes: ["qot:read"], expiresAt: "2020-01-01T00:00:00Z" },
  frozen: { scopes: ["qot:read"], allowedMachines: [] },
  elsewhere: { scopes: ["qot:read"], allowedMachines: [machineFingerprint("elsewhere", "another-machine")] },
  here: { scopes: ["qot:read"], allowedMachines: [machineFingerprint("here", MACHINE)] },
  metrics: { scopes: ["metrics:read"] },
  pusher: { scopes: ["qot:read", "acc:read"], limits: { allowedAccIds: ["6234567"] } },
  killer: { scopes: ["qot:read", "acc:read", "trade:simulate"] },
  // One order a minute and a daily cap of exactly one 29 900 HKD order: a repeat that used limits is refused.
  replayer: {
    scopes: ["qot:read", "acc:read", "trade:simulate"],
    limits: { maxOrdersPerMinute: 1, maxDailyValue: 29_900 },
  },
};

async function makeKeys(dir: string) {
  const plaintext: Record<string, string> = {};
  const records: KeyRecord[] = [];
  for (const [id, spec] of Object.entries(SPECS)) {
    const key = generateKey({ id, ...spec });
    plaintext[id] = key.plaintext;
    records.push(key.record);
  }
  const path = `${dir}/keys.json`;
  await writeKeysFile(path, records);
  return { path, plaintext, records };
}

Deno.test("attack matrix over HTTP: keys, scopes, accounts, limits, kill switch, sessions, reloads, pushes, metrics", async (t) => {
  await using sim = await startSim({ tradePassword: PASSWORD, rateLimits: false });
  const dir = await tempDir("attack");
  const keys = await makeKeys(dir);
  const logs: string[] = [];
  const killFile = `${dir}/HALT`;
  const args = [
    "--gateway",
    sim.address,
    "--keys-file",
    keys.path,
    "--audit-log",
    `${dir}/audit/mcp.jsonl`,
    "--state-dir",
    `${dir}/state`,
    "--kill-switch-file",
    killFile,
  ];
  const app = await startHttpApp(args, { log: (m) => logs.push(m) });
  const base = app.url.replace("/mcp", "");
  const outputs: string[] = [];
  const bearer = (id: string) => ({ authorization: `Bearer ${keys.plaintext[id]}` });
  const clients = new Map<string, Awaited<ReturnType<typeof connectHttp>>>();
  const as = async (id: string) => {
    if (!clients.has(id)) clients.set(id, await connectHttp(app.url, bearer(id)));
    return clients.get(id)!;
  };
  const call = async (id: string, name: string, args: Record<string, unknown> = {}) => {
    const result = await (await as(id)).callTool({ name, arguments: args });
    outputs.push(JSON.stringify(result));
    return result;
  };
  const refused = async (id: string, name: string, args: Record<string, unknown>, code: string, text: string) => {
    const error = errorOf(await call(id, name, args));
    assertEquals(error.code, code, JSON.stringify(error));
    assert(error.error.includes(text), `expected "${text}" in: ${error.error}`);
    return error;
  };
  const post = (headers: Record<string, string>) =>
    fetch(app.url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "x", version: "1" } },
      }),
    });
  const buy = (extra: Record<string, unknown> = {}) => ({
    symbol: "HK.00700",
    side: "BUY",
    qty: 100,
    price: 400,
    ...extra,
  });

  try {
    await t.step("01 no bearer on /mcp: 401 with an absolute resource_metadata URL", async () => {
      const response = await post({});
      assertEquals(response.status, 401);
      assertEquals(
        response.headers.get("www-authenticate"),
        `Bearer resource_metadata="${base}/.well-known/oauth-protected-resource/mcp", error="invalid_request", ` +
          `error_description="no API key: send Authorization: Bearer <API key>, a key made by futucli gen-key (not OAuth)"`,
      );
      await response.body?.cancel();
    });
    await t.step("02 a malformed Authorization header (Basic): 401", async () => {
      const response = await post({ authorization: `Basic ${btoa("user:pass")}` });
      assertEquals(response.status, 401);
      await response.body?.cancel();
    });
    await t.step("03 an invalid bearer: 401 invalid_token", async () => {
      const response = await post({ authorization: "Bearer fc_0000" });
      assertEquals(response.status, 401);
      assert(response.headers.get("www-authenticate")!.includes('error="invalid_token"'));
      await response.body?.cancel();
    });
    for (const [n, id] of [["04", "expired"], ["05", "frozen"], ["06", "elsewhere"]]) {
      await t.step(`${n} ${id} key: 401`, async () => {
        const response = await post(bearer(id));
        assertEquals(response.status, 401);
        await response.body?.cancel();
      });
    }
    await t.step("07 a key bound to this machine works; 08 the scheme is case-insensitive", async () => {
      const response = await post({ authorization: `bEaReR ${keys.plaintext.here}` });
      assertEquals(response.status, 200);
      await response.body?.cancel();
      dataOf(await call("here", "futu_ping"));
    });
    await t.step("09 the protected-resource metadata (RFC 9728)", async () => {
      const metadata = await (await fetch(`${base}/.well-known/oauth-protected-resource`)).json();
      assertEquals(metadata.resource, `${base}/mcp`);
      assertEquals(metadata.bearer_methods_supported, ["header"]);
      assertEquals(metadata.scopes_supported, [
        "qot:read",
        "acc:read",
        "trade:simulate",
        "trade:real",
        "trade:unlock",
        "watchlist:write",
        "metrics:read",
      ]);
      assertEquals(metadata.resource_documentation, `${base}/docs`);
    });
    await t.step("10 an invalid api_key never falls back to the valid bearer", async () => {
      await refused(
        "reader",
        "futu_get_quote",
        { symbol: "HK.00700", api_key: "fc_bogus" },
        "unauthorized",
        "invalid API key (api_key)",
      );
    });
    await t.step("11 api_key overrides the bearer (a quotes-only session trades with a trade key)", async () => {
      const placed = dataOf<{ env: string }>(
        await call("quotes", "futu_place_order", { ...buy(), api_key: keys.plaintext.killer }),
      );
      assertEquals(placed.env, "SIMULATE");
    });
    await t.step("12 an empty api_key counts as absent", async () => {
      const quote = dataOf<{ quotes: { symbol: string }[] }>(
        await call("reader", "futu_get_quote", { symbol: "HK.00700", api_key: "" }),
      );
      assertEquals(quote.quotes.map((q) => q.symbol), ["HK.00700"], "answered with the bearer's key");
    });
    await t.step("13 missing scope: quotes key reads funds", async () => {
      await refused("quotes", "futu_get_funds", {}, "unauthorized", 'key "quotes" lacks scope acc:read');
    });
    await t.step("14 no trade scope: refused before any account lookup", async () => {
      await refused("reader", "futu_place_order", buy(), "unauthorized", 'key "reader" has no trade scope');
    });
    await t.step("15 a simulate key asking for real", async () => {
      await refused("sim", "futu_place_order", buy({ env: "real" }), "unauthorized", "lacks trade:real");
    });
    await t.step(
      "16 a simulate key lying about env to reach a REAL account is refused by the account's real environment",
      async () => {
        await refused("sim", "futu_place_order", buy({ acc_id: "281756479345015383" }), "account", "is a REAL account");
        await refused(
          "sim",
          "futu_place_order",
          buy({ acc_id: "281756479345015383", env: "real" }),
          "unauthorized",
          "lacks trade:real",
        );
      },
    );
    await t.step(
      "16a a simulate key with acc:read and no allowed_acc_ids reads REAL accounts: reads are acc:read's to decide",
      async () => {
        // README (Tools, note 1): trade:simulate alone never writes to a real account; what a key reads is not its say.
        const list = dataOf<{ accounts: { acc_id: string; env: string }[] }>(await call("sim", "futu_list_accounts"));
        assert(list.accounts.some((a) => a.acc_id === "281756479345015383" && a.env === "REAL"), JSON.stringify(list));
        dataOf(await call("sim", "futu_get_funds", { acc_id: "281756479345015383", env: "real" }));
      },
    );
    await t.step("17 unlock needs trade:unlock", async () => {
      await refused("sim", "futu_unlock_trade", {}, "unauthorized", "lacks scope trade:unlock");
    });
    await t.step("18 an unknown tool", async () => {
      await refused("sim", "futu_transfer_funds", {}, "unknown_tool", 'unknown MCP tool "futu_transfer_funds"');
    });
    await t.step("19 account whitelist: reading another REAL account", async () => {
      await refused(
        "real",
        "futu_get_funds",
        { env: "real", acc_id: "9007199254740993" },
        "forbidden",
        "not in this key's allowed accounts",
      );
    });
    await t.step("20 account whitelist: futu_list_accounts shows only allowed accounts", async () => {
      const list = dataOf<{ accounts: { acc_id: string }[] }>(await call("real", "futu_list_accounts"));
      assertEquals(list.accounts.map((a) => a.acc_id), ["281756479345015383"]);
    });
    await t.step("21 account whitelist: unlock without acc_ids, 22 with a foreign account", async () => {
      await refused("real", "futu_unlock_trade", {}, "forbidden", "pass acc_ids");
      await refused(
        "real",
        "futu_unlock_trade",
        { acc_ids: ["9007199254740993"] },
        "forbidden",
        "not in this key's allowed accounts",
      );
      assertEquals(dataOf(await call("real", "futu_unlock_trade", { acc_ids: ["281756479345015383"] })), {
        unlocked: true,
      });
    });
    await t.step("23 market whitelist: an A-share order on a HK/US key", async () => {
      await refused(
        "sim",
        "futu_place_order",
        { symbol: "SH.600519", side: "BUY", qty: 100, price: 1500 },
        "limit",
        "market CN is not allowed",
      );
    });
    await t.step("24 symbol whitelist, 25 side whitelist", async () => {
      await refused(
        "narrow",
        "futu_place_order",
        buy({ symbol: "HK.09988", price: 80 }),
        "limit",
        "HK.09988 is not in this key's allowed symbols",
      );
      await refused(
        "narrow",
        "futu_place_order",
        buy({ side: "SELL", price: 500 }),
        "limit",
        "side SELL is not allowed",
      );
    });
    await t.step("26 hours window", async () => {
      await refused("hours", "futu_place_order", buy(), "limit", "outside this key's trading hours");
    });
    await t.step("27 per-order value: exactly the cap passes, one tick more is refused", async () => {
      dataOf(await call("modifier", "futu_place_order", buy({ qty: 200, price: 500 })));
      await refused(
        "modifier",
        "futu_place_order",
        buy({ qty: 200, price: 500.5 }),
        "limit",
        "exceeds this key's per-order cap 100000",
      );
    });
    await t.step("28 a market order is valued at a protective price above the last", async () => {
      const [quote] = await (await connect(sim)).quote.getSnapshot(["US.AAPL"]);
      const qty = Math.floor(99_000 / quote.curPrice);
      assert(qty * quote.curPrice < 100_000 && qty * quote.curPrice * 1.05 > 100_000);
      await refused(
        "modifier",
        "futu_place_order",
        { symbol: "US.AAPL", side: "BUY", qty, order_type: "MARKET" },
        "limit",
        "per-order cap",
      );
    });
    await t.step("29 rate: the fourth write within 60 s, counting modifications and cancels", async () => {
      const first = dataOf<{ order_id: string }>(await call("sim", "futu_place_order", buy({ price: 300 })));
      dataOf(await call("sim", "futu_modify_order", { order_id: first.order_id, op: "NORMAL", price: 301 }));
      dataOf(await call("sim", "futu_cancel_order", { order_id: first.order_id }));
      await refused("sim", "futu_place_order", buy({ price: 300 }), "limit", "rate limit exceeded: 4 in 60s (cap 3)");
    });
    await t.step("30 idempotent repeats write nothing and use no limits", async () => {
      const ordersOf = async (id: string) =>
        dataOf<{ rows: unknown[] }>(await call(id, "futu_get_orders", { env: "simulate", market: "HK" })).rows.length;
      const order = buy({ price: 299, idempotency_key: "same-order" });
      const first = dataOf<{ order_id: string }>(await call("killer", "futu_place_order", order));
      const placed = await ordersOf("killer");
      for (let i = 0; i < 3; i++) {
        const again = dataOf<{ order_id: string; replayed: boolean }>(await call("killer", "futu_place_order", order));
        assertEquals([again.order_id, again.replayed], [first.order_id, true]);
      }
      assertEquals(await ordersOf("killer"), placed, "the repeats placed nothing");
      // The first order uses up the replayer key's rate and daily value: its repeats still pass.
      const capped = buy({ price: 299, idempotency_key: "capped-order" });
      const original = dataOf<{ order_id: string }>(await call("replayer", "futu_place_order", capped));
      for (let i = 0; i < 3; i++) {
        const again = dataOf<{ order_id: string; replayed: boolean }>(
          await call("replayer", "futu_place_order", capped),
        );
        assertEquals([again.order_id, again.replayed], [original.order_id, true], "a repeat is not limited");
      }
      assertEquals(await ordersOf("replayer"), placed + 1, "one order for four calls");
      await refused(
        "replayer",
        "futu_place_order",
        buy({ price: 298 }),
        "limit",
        "rate limit exceeded: 2 in 60s (cap 1)",
      );
    });
    await t.step("31 an idempotency key reused with other arguments cannot place a second order", async () => {
      await refused(
        "killer",
        "futu_place_order",
        buy({ price: 298, idempotency_key: "same-order" }),
        "idempotency_conflict",
        "different request",
      );
    });
    await t.step("32 modify cannot raise an order past the per-order cap (price), 33 nor its quantity", async () => {
      const placed = dataOf<{ order_id: string }>(await call("modifier", "futu_place_order", buy({ price: 300 })));
      await refused(
        "modifier",
        "futu_modify_order",
        { order_id: placed.order_id, op: "NORMAL", price: 1001 },
        "limit",
        "per-order cap",
      );
      await refused(
        "modifier",
        "futu_modify_order",
        { order_id: placed.order_id, op: "NORMAL", qty: 400 },
        "limit",
        "per-order cap",
      );
    });
    await t.step("34 daily cap: exact cap passes, more is refused", async () => {
      dataOf(await call("daily", "futu_place_order", buy({ price: 250 })));
      dataOf(await call("daily", "futu_place_order", buy({ price: 250 })));
      await refused("daily", "futu_place_order", buy({ price: 250 }), "limit", "daily value cap exceeded: 75000 HKD");
    });
    await t.step("35 price collar: 10% away is refused, 4% passes", async () => {
      const [quote] = await (await connect(sim)).quote.getSnapshot(["HK.00700"]);
      const far = Math.round(quote.curPrice * 1.1 * 5) / 5;
      const near = Math.round(quote.curPrice * 1.04 * 5) / 5;
      const sell = { env: "real", symbol: "HK.00700", side: "SELL", qty: 100 };
      await refused("real", "futu_place_order", { ...sell, price: far }, "limit", "price collar is 5%");
      dataOf(await call("real", "futu_place_order", { ...sell, price: near }));
    });
    await t.step("36 non-finite and negative quantities and prices are refused", async () => {
      await refused(
        "killer",
        "futu_place_order",
        buy({ qty: -100 }),
        "invalid_arguments",
        "qty must be a finite number above 0",
      );
      await refused(
        "killer",
        "futu_place_order",
        buy({ price: 0 }),
        "invalid_arguments",
        "price must be a finite number above 0",
      );
      const raw = await fetch(app.url, { method: "POST", headers: { ...bearer("killer") }, body: '{"qty": 1e999}' });
      assertEquals(raw.status, 400, "JSON can carry no Infinity into a session");
      await raw.body?.cancel();
    });
    await t.step("37 kill switch: orders and modifications halt, cancels still work", async () => {
      const resting = dataOf<{ order_id: string }>(await call("killer", "futu_place_order", buy({ price: 297 })));
      await Deno.writeTextFile(killFile, "halt");
      await refused("killer", "futu_place_order", buy({ price: 297 }), "halted", "cancels still work");
      await refused(
        "killer",
        "futu_modify_order",
        { order_id: resting.order_id, op: "NORMAL", price: 296 },
        "halted",
        "halted by the operator",
      );
      const cancelled = dataOf<{ status: string }>(
        await call("killer", "futu_cancel_order", { order_id: resting.order_id }),
      );
      assertEquals(cancelled.status, "CANCELLED_ALL");
      await Deno.remove(killFile);
      dataOf(await call("killer", "futu_place_order", buy({ price: 297 })));
    });
    await t.step("38 a session cannot be used with another key (hijack); 39 an unknown session is 404", async () => {
      const owner = await post(bearer("reader"));
      const sessionId = owner.headers.get("mcp-session-id")!;
      await owner.body?.cancel();
      const hijack = await fetch(app.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          "mcp-session-id": sessionId,
          ...bearer("quotes"),
        },
        body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" }),
      });
      assertEquals(hijack.status, 403);
      await hijack.body?.cancel();
      const stranger = await fetch(app.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          "mcp-session-id": "nope",
          ...bearer("reader"),
        },
        body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" }),
      });
      assertEquals(stranger.status, 404);
      await stranger.body?.cancel();
    });
    await t.step("40 pushes: no bearer on /ws is 401", async () => {
      assertEquals(
        await rawHttpStatus(
          app.http!.port,
          `GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${app.http!.port}\r\nConnection: close\r\n\r\n`,
        ),
        401,
      );
    });
    const socket = async (id: string) => {
      const ws = new WebSocket(`${base.replace("http", "ws")}/ws`, { headers: bearer(id) });
      const messages: Record<string, unknown>[] = [];
      ws.onmessage = (event) => messages.push(JSON.parse(event.data));
      await new Promise((resolve, reject) => {
        ws.onopen = resolve;
        ws.onerror = reject;
      });
      return { ws, messages, close: () => new Promise((resolve) => (ws.onclose = resolve, ws.close())) };
    };
    await t.step(
      "41 pushes: a key without acc:read cannot watch orders; 42 nor a key outside its accounts",
      async () => {
        const quotes = await socket("quotes");
        quotes.ws.send(JSON.stringify({ op: "subscribe", acc_ids: ["6234567"] }));
        await eventually(() => quotes.messages.length > 0);
        assertEquals([quotes.messages[0].type, quotes.messages[0].code], ["error", "unauthorized"]);
        await quotes.close();
        const pusher = await socket("pusher");
        pusher.ws.send(JSON.stringify({ op: "subscribe", acc_ids: ["6234568"] }));
        await eventually(() => pusher.messages.length > 0);
        assertEquals([pusher.messages[0].type, pusher.messages[0].code], ["error", "forbidden"]);
        await pusher.close();
      },
    );
    await t.step(
      "43 pushes reach only subscribed, allowed accounts; 44 after a reload takes acc:read away, they stop and are counted",
      async () => {
        const pusher = await socket("pusher");
        pusher.ws.send(JSON.stringify({ op: "subscribe", acc_ids: ["6234567"] }));
        pusher.ws.send(JSON.stringify({ op: "subscribe", symbols: ["HK.00700"], sub_types: ["QUOTE"] }));
        await eventually(() => pusher.messages.filter((m) => m.type === "ack").length === 2);
        dataOf(await call("killer", "futu_place_order", buy({ price: 296 })));
        await eventually(
          () => pusher.messages.some((m) => m.type === "order" && m.acc_id === "6234567"),
          3000,
          "an order push",
        );
        dataOf(await call("killer", "futu_place_order", { symbol: "US.AAPL", side: "BUY", qty: 1, price: 100 }));
        // A later order of the watched account: its push comes after any push of the US order would have.
        const sentinel = dataOf<{ order_id: string }>(await call("killer", "futu_place_order", buy({ price: 295.8 })));
        await eventually(
          () => pusher.messages.some((m) => m.type === "order" && (m.data as Order).orderId === sentinel.order_id),
          3000,
          "the push of the later order",
        );
        assert(
          !pusher.messages.some((m) => m.type === "order" && m.acc_id !== "6234567"),
          "no push of another account",
        );
        const records = keys.records.map((r) => r.id === "pusher" ? { ...r, scopes: new Set<Scope>(["qot:read"]) } : r);
        await writeKeysFile(keys.path, records);
        assertEquals(await app.access.reload(), undefined);
        const before = pusher.messages.length;
        const filtered = async () => {
          const { text } = await app.access.metrics!.render();
          const match = /futu_ws_push_filtered_total\{required_scope="acc:read",key_id="kh_[0-9a-f]{8}"\} (\d+)/.exec(
            text,
          );
          return { text, count: Number(match?.[1] ?? 0) };
        };
        const filteredBefore = (await filtered()).count;
        dataOf(await call("killer", "futu_place_order", buy({ price: 295 })));
        // The order's push reaches the hub and is dropped at dispatch: wait for that drop to be counted.
        await eventually(async () => (await filtered()).count > filteredBefore, 3000, "the order push to be filtered");
        assert(!pusher.messages.slice(before).some((m) => m.type === "order"), "order pushes stopped");
        const { text } = await filtered();
        assert(
          /futu_ws_push_filtered_total\{required_scope="acc:read",key_id="kh_[0-9a-f]{8}"\} [1-9]/.test(text),
          text,
        );
        await pusher.close();
        await writeKeysFile(keys.path, keys.records);
        await app.access.reload();
      },
    );
    await t.step("45 revocation by reload applies at once, even inside an open session", async () => {
      dataOf(await call("reader", "futu_get_quote", { symbol: "HK.00700" }));
      await writeKeysFile(keys.path, keys.records.filter((r) => r.id !== "reader"));
      assertEquals(await app.access.reload(), undefined);
      let refusal = "";
      try {
        await call("reader", "futu_get_quote", { symbol: "HK.00700" });
      } catch (err) {
        refusal = (err as Error).message;
      }
      assert(refusal.includes("invalid_token"), `the open session's next request is refused: ${refusal}`);
      const fresh = await post(bearer("reader"));
      assertEquals(fresh.status, 401, "and no new session opens");
      await fresh.body?.cancel();
    });
    await t.step("46 a failed reload keeps the previous keys and says why", async () => {
      await Deno.writeTextFile(keys.path, "{ not json");
      const error = await app.access.reload();
      assert(error?.message.includes("not valid JSON"));
      dataOf(await call("sim", "futu_get_quote", { symbol: "HK.00700" }));
      assert(logs.some((l) => l.includes("reload") && l.includes("keeping the previous keys")));
    });
    await t.step(
      "47 /metrics: 401 without a key, 403 without metrics:read, 200 with it; redacted ids; promtool accepts it",
      async () => {
        const anonymous = await fetch(`${base}/metrics`);
        assertEquals(anonymous.status, 401);
        await anonymous.body?.cancel();
        const wrong = await fetch(`${base}/metrics`, { headers: bearer("sim") });
        assertEquals(wrong.status, 403);
        await wrong.body?.cancel();
        const ok = await fetch(`${base}/metrics`, { headers: bearer("metrics") });
        assertEquals(ok.status, 200);
        const text = await ok.text();
        outputs.push(text);
        for (
          const family of [
            "futu_auth_events_total",
            "futu_auth_limit_rejects_total",
            "futu_mcp_tool_calls_total",
            "futu_mcp_tool_duration_seconds_bucket",
            "futu_gateway_up 1",
            "futu_gateway_request_duration_seconds_count",
          ]
        ) {
          assert(text.includes(family), `metrics have ${family}`);
        }
        for (const reason of ["market", "symbol", "side", "hours", "per_order", "rate", "daily", "collar", "account"]) {
          assert(
            new RegExp(
              `futu_auth_limit_rejects_total\\{iface="mcp",key_id="kh_[0-9a-f]{8}",reason="${reason}"\\} [1-9]`,
            ).test(text),
            `counted: ${reason}`,
          );
        }
        assert(!/key_id="(sim|reader|real|daily)"/.test(text), "key ids are redacted");
        await promtoolAccepts(text);
      },
    );
    await t.step("48 the audit log: 0600, every decision, trade events before and after, the reasons", async () => {
      app.access.close();
      const path = `${dir}/audit/mcp.jsonl`;
      assertEquals((await Deno.stat(path)).mode! & 0o777, 0o600);
      assertEquals((await Deno.stat(`${dir}/audit`)).mode! & 0o777, 0o700);
      const events = (await Deno.readTextFile(path)).trim().split("\n").map((l) => JSON.parse(l));
      const has = (predicate: (e: Record<string, string>) => boolean, what: string) =>
        assert(events.some(predicate), what);
      has((e) => e.outcome === "reject" && e.key_id === "<invalid>", "invalid keys");
      has((e) => e.outcome === "reject" && e.key_id === "expired", "expired key");
      has((e) => e.outcome === "reject" && e.reason?.includes("rate limit exceeded: 4 in 60s (cap 3)"), "rate");
      has((e) => e.outcome === "reject" && e.reason?.includes("halted by the operator"), "kill switch");
      has((e) => e.outcome === "allow" && e.scope === "trade:simulate" && e.key_id === "sim", "allow with scope");
      has((e) => e.outcome === "request" && /^[0-9a-f]{8}$/.test(e.args_hash), "before a write");
      has(
        (e) => e.outcome === "success" && e.endpoint === "futu_place_order" && e.cache_outcome === "cached",
        "replays",
      );
      has((e) => e.outcome === "reload", "reloads");
      has((e) => e.outcome === "failure" && e.endpoint === "SIGHUP", "failed reload");
      assert(events.every((e) => e.target === "futu_audit" && typeof e.timestamp === "string"));
      outputs.push(await Deno.readTextFile(path));
    });
    await t.step("49 canary: no password, password hash, key or key hash appears anywhere", () => {
      const secrets = [
        PASSWORD,
        md5Hex(PASSWORD),
        ...Object.values(keys.plaintext),
        ...keys.records.map((r) => r.hash),
      ];
      const everything = [...outputs, ...logs].join("\n");
      for (const secret of secrets) assert(!everything.includes(secret), `a secret leaked: ${secret.slice(0, 6)}…`);
    });
    await t.step("55 a trade write whose audit record cannot be written is refused, and nothing is sent", async () => {
      const ordersNow = async () =>
        dataOf<{ rows: unknown[] }>(await call("killer", "futu_get_orders", { env: "simulate", market: "HK" }))
          .rows.length;
      const before = await ordersNow();
      await Deno.rename(`${dir}/audit`, `${dir}/audit-away`);
      app.access.close(); // as after a rotation: the next event opens the path again, which is gone
      const error = await refused(
        "killer",
        "futu_place_order",
        buy(),
        "audit_unavailable",
        "audit log cannot be written",
      );
      assert(!error.error.includes(dir), "the message names the failure, not the path");
      assertEquals(await ordersNow(), before, "no order reached OpenD");
      assert(logs.some((l) => l.includes("audit log write failed")), "the failure is on stderr");
      await Deno.rename(`${dir}/audit-away`, `${dir}/audit`);
      dataOf(await call("killer", "futu_place_order", buy()));
      assertEquals(await ordersNow(), before + 1, "orders resume once the log is writable");
    });
  } finally {
    for (const client of clients.values()) await client.close().catch(() => {});
    await app.close();
  }
});

Deno.test("attack matrix over stdio: the startup key, api_key precedence, and no key", async (t) => {
  await using sim = await startSim();
  const dir = await tempDir("stdio-keys");
  const keys = await makeKeys(dir);
  const args = ["--gateway", sim.address, "--keys-file", keys.path, "--state-dir", `${dir}/state`];
  await t.step("50 the startup key is used when a call carries none, and its scopes apply", async () => {
    await using mcp = await spawnStdio(args, { FUTU_MCP_API_KEY: keys.plaintext.reader, FUTU_MACHINE_ID: MACHINE });
    dataOf(await mcp.client.callTool({ name: "futu_get_quote", arguments: { symbol: "HK.00700" } }));
    const refusedTrade = errorOf(
      await mcp.client.callTool({
        name: "futu_place_order",
        arguments: { symbol: "HK.00700", side: "BUY", qty: 100, price: 400 },
      }),
    );
    assert(refusedTrade.error.includes('key "reader" has no trade scope'));
    const invalid = errorOf(
      await mcp.client.callTool({ name: "futu_get_quote", arguments: { symbol: "HK.00700", api_key: "fc_nope" } }),
    );
    assert(
      invalid.error.includes("invalid API key (api_key)"),
      "51 a bad api_key does not fall back to the startup key",
    );
    const upgraded = dataOf<{ env: string }>(
      await mcp.client.callTool({
        name: "futu_place_order",
        arguments: { symbol: "HK.00700", side: "BUY", qty: 100, price: 400, api_key: keys.plaintext.killer },
      }),
    );
    assertEquals(upgraded.env, "SIMULATE", "52 api_key takes precedence over the startup key");
  });
  await t.step("56 a daily cap survives a restart of futu-mcp", async () => {
    const env = { FUTU_MCP_API_KEY: keys.plaintext.daily, FUTU_MACHINE_ID: MACHINE };
    const order = { symbol: "HK.00700", side: "BUY", qty: 100, price: 250 };
    {
      await using first = await spawnStdio(args, env);
      dataOf(await first.client.callTool({ name: "futu_place_order", arguments: order }));
      dataOf(await first.client.callTool({ name: "futu_place_order", arguments: order }));
    }
    await using second = await spawnStdio(args, env);
    const capped = errorOf(await second.client.callTool({ name: "futu_place_order", arguments: order }));
    assertEquals(capped.code, "limit");
    assert(capped.error.includes("daily value cap exceeded: 75000 HKD"), capped.error);
  });
  await t.step("53 no key at all", async () => {
    await using mcp = await spawnStdio(args, { FUTU_MACHINE_ID: MACHINE });
    const error = errorOf(await mcp.client.callTool({ name: "futu_ping", arguments: {} }));
    assert(error.error.includes("no API key"), error.error);
  });
  await t.step("54 a group-readable keys file is refused with --strict-keys-file", async () => {
    await Deno.chmod(keys.path, 0o640);
    const out = await new Deno.Command("deno", {
      args: [
        "run",
        "--no-prompt",
        "--allow-net=127.0.0.1",
        "--allow-read=.",
        "--allow-env=FUTU_*",
        "--ignore-env",
        "main.ts",
        ...args,
        "--strict-keys-file",
      ],
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).output();
    assertEquals(out.code, 1);
    assert(new TextDecoder().decode(out.stderr).includes("refusing to start"));
  });
});

async function promtoolAccepts(text: string): Promise<void> {
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command("promtool", {
      args: ["check", "metrics"],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (err) {
    if (Deno.env.get("FUTU_TEST_REQUIRE_PROMTOOL") === "1") throw err;
    console.warn("promtool not installed: skipping `promtool check metrics` (CI installs it)");
    return;
  }
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(text));
  await writer.close();
  const out = await child.output();
  const report = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  assertEquals(out.code, 0, `promtool check metrics: ${report}`);
}
