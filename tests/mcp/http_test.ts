/**
 * futu-mcp over real Streamable HTTP, against a simulator the test controls:
 * sessions, transport protection, and the trade behaviours that need faults
 * or a particular market state.
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { connect, eventually, startSim, US_MORNING } from "../helpers/sim.ts";
import { childEnv, connectHttp, dataOf, errorOf, futuMcpCommand, rawHttpStatus, startHttpApp } from "../helpers/mcp.ts";
import { freePort } from "../helpers/net.ts";

const INIT = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
};
const JSON_HEADERS = { "content-type": "application/json", accept: "application/json, text/event-stream" };

Deno.test("HTTP: a session serves tools and legacy mode serves /metrics, then DELETE ends it", async () => {
  await using sim = await startSim();
  await using app = await startHttpApp(["--gateway", sim.address, "--enable-trading"]);
  await using client = await connectHttp(app.url);
  const names = (await client.listTools()).tools.map((t) => t.name);
  assertEquals(names.length, 22, "legacy mode without --allow-real-trading: no futu_unlock_trade");
  assert(!names.includes("futu_unlock_trade"));
  const quote = dataOf<{ quotes: { symbol: string }[] }>(
    await client.callTool({ name: "futu_get_quote", arguments: { symbol: "HK.09988" } }),
  );
  assertEquals(quote.quotes[0].symbol, "HK.09988");
  assertEquals(app.http!.sessionCount, 1);
  const metrics = await fetch(app.url.replace("/mcp", "/metrics"));
  assertEquals(metrics.status, 200, "legacy mode authenticates nothing, metrics included");
  assert((await metrics.text()).includes('futu_mcp_tool_calls_total{tool="futu_get_quote",outcome="success"} 1'));
  await client.terminate();
  await eventually(() => app.http!.sessionCount === 0, 2000, "the session to end");
});

Deno.test("HTTP: raw protocol handling — sessions, parse errors, body cap, DNS-rebinding protection", async () => {
  await using sim = await startSim();
  await using app = await startHttpApp(["--gateway", sim.address, "--enable-trading"]);
  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(app.url, { method: "POST", headers: { ...JSON_HEADERS, ...headers }, body });

  const noSession = await post(JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" }));
  assertEquals(noSession.status, 400);
  assert((await noSession.text()).includes("send initialize first"));

  const parse = await post("{not json");
  assertEquals(parse.status, 400);
  assertEquals((await parse.json()).error.code, -32700);

  const big = await post(JSON.stringify({ ...INIT, padding: "x".repeat(2 * 1024 * 1024) }));
  assertEquals(big.status, 413);
  await big.body?.cancel();

  const unknownSession = await post(JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" }), {
    "mcp-session-id": "no-such-session",
  });
  assertEquals(unknownSession.status, 404);
  await unknownSession.body?.cancel();

  const body = JSON.stringify(INIT);
  const raw = (host: string) =>
    rawHttpStatus(
      app.http!.port,
      `POST /mcp HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n` +
        `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
    );
  assertEquals(await raw("evil.example"), 403, "DNS rebinding: a foreign Host is refused");
  assertEquals(await raw(`localhost:${app.http!.port}`), 200);
  const origin = await post(JSON.stringify(INIT), { origin: "http://evil.example" });
  assertEquals(origin.status, 403);
  await origin.body?.cancel();

  const ok = await post(JSON.stringify(INIT), { origin: `http://localhost:${app.http!.port}` });
  assertEquals(ok.status, 200);
  assert(ok.headers.get("mcp-session-id"));
  await ok.body?.cancel();

  const health = await fetch(app.url.replace("/mcp", "/healthz"));
  assertEquals(await health.text(), "ok\n");
});

Deno.test("HTTP: a call that cannot stream is answered as one JSON body; progress and writes get an SSE stream", async () => {
  await using sim = await startSim();
  await using app = await startHttpApp(["--gateway", sim.address, "--enable-trading"]);
  const init = await fetch(app.url, { method: "POST", headers: JSON_HEADERS, body: JSON.stringify(INIT) });
  const session = init.headers.get("mcp-session-id")!;
  await init.body?.cancel();
  const headers = { ...JSON_HEADERS, "mcp-session-id": session, "mcp-protocol-version": "2025-06-18" };
  const post = (body: unknown, extra: Record<string, string> = {}) =>
    fetch(app.url, { method: "POST", headers: { ...headers, ...extra }, body: JSON.stringify(body) });
  const accepted = await post({ jsonrpc: "2.0", method: "notifications/initialized" });
  assertEquals(accepted.status, 202);
  await accepted.body?.cancel();
  const call = (id: number, name: string, args: Record<string, unknown>, meta?: Record<string, unknown>) => ({
    jsonrpc: "2.0",
    id,
    method: "tools/call",
    params: { name, arguments: args, ...(meta ? { _meta: meta } : {}) },
  });

  const read = await post(call(2, "futu_get_quote", { symbol: "HK.00700" }));
  assertEquals(read.headers.get("content-type"), "application/json");
  assertEquals(read.headers.get("mcp-session-id"), session);
  const reply = await read.json();
  assertEquals(reply.id, 2);
  assertEquals(reply.result.structuredContent.quotes[0].symbol, "HK.00700");
  const list = await post({ jsonrpc: "2.0", id: 3, method: "tools/list" });
  assertEquals(list.headers.get("content-type"), "application/json");
  assertEquals((await list.json()).result.tools.length, 22);

  // The same read asking for progress, and a write (which may have to ask the user), are streamed.
  const withProgress = await post(call(4, "futu_get_quote", { symbol: "HK.00700" }, { progressToken: "p1" }));
  assertEquals(withProgress.headers.get("content-type"), "text/event-stream");
  assert((await withProgress.text()).includes('"id":4'));
  const write = await post(call(5, "futu_place_order", { symbol: "HK.00700", side: "BUY", qty: 100, price: 1 }));
  assertEquals(write.headers.get("content-type"), "text/event-stream");
  assert((await write.text()).includes('"id":5'));

  // Whatever the lean path does not recognise is the SDK transport's to judge, with its own errors.
  const unacceptable = await post(call(6, "futu_get_quote", { symbol: "HK.00700" }), { accept: "application/json" });
  assertEquals(unacceptable.status, 406);
  await unacceptable.body?.cancel();
  const badVersion = await post(call(7, "futu_get_quote", { symbol: "HK.00700" }), {
    "mcp-protocol-version": "1999-01-01",
  });
  assertEquals(badVersion.status, 400);
  await badVersion.body?.cancel();
  const invalid = await post({ jsonrpc: "2.0", id: 8, method: "tools/call", params: "not an object" });
  assertEquals(invalid.status, 400);
  await invalid.body?.cancel();
});

Deno.test("idempotency: a repeated key returns the first result and places nothing more", async () => {
  await using sim = await startSim();
  await using app = await startHttpApp(["--gateway", sim.address, "--enable-trading"]);
  await using client = await connectHttp(app.url);
  const order = { symbol: "HK.00700", side: "BUY", qty: 100, price: 400, idempotency_key: "abc-1" };
  const first = dataOf<{ order_id: string; replayed: boolean }>(
    await client.callTool({ name: "futu_place_order", arguments: order }),
  );
  const again = dataOf<{ order_id: string; replayed: boolean }>(
    await client.callTool({ name: "futu_place_order", arguments: order }),
  );
  assertEquals(first.replayed, false);
  assertEquals(again.replayed, true);
  assertEquals(again.order_id, first.order_id);
  const conflict = errorOf(
    await client.callTool({ name: "futu_place_order", arguments: { ...order, qty: 200 } }),
  );
  assertEquals(conflict.code, "idempotency_conflict");
  await using gateway = await connect(sim);
  assertEquals((await gateway.trade.getOrders({ accId: "6234567", env: "SIMULATE", market: "HK" })).length, 1);
});

Deno.test("a write whose reply is lost is reported as unknown and a retry with its key does not re-send", async () => {
  await using sim = await startSim();
  await using app = await startHttpApp(["--gateway", sim.address, "--enable-trading"]);
  await using client = await connectHttp(app.url);
  sim.faults.closeBeforeNextReply("Trd_PlaceOrder");
  const order = { symbol: "HK.00700", side: "BUY", qty: 100, price: 400, idempotency_key: "k-lost" };
  const unknown = errorOf(await client.callTool({ name: "futu_place_order", arguments: order }));
  assertEquals(unknown.code, "outcome_unknown");
  assert(unknown.hint?.includes("futu_get_orders"), unknown.hint);
  await eventually(() => app.gateway.client.state === "ready");
  const repeat = errorOf(await client.callTool({ name: "futu_place_order", arguments: order }));
  assertEquals(repeat.code, "outcome_unknown", "the cached outcome, not a second order");
  const orders = dataOf<{ rows: unknown[][] }>(await client.callTool({ name: "futu_get_orders", arguments: {} }));
  assertEquals(orders.rows.length, 1, "exactly one order reached OpenD");
});

Deno.test("market closed and a full quota are actionable tool errors", async () => {
  await using sim = await startSim({ at: US_MORNING - 8 * 3600_000, subscriptionQuota: 2 });
  await using app = await startHttpApp(["--gateway", sim.address, "--enable-trading"]);
  await using client = await connectHttp(app.url);
  const closed = errorOf(
    await client.callTool({
      name: "futu_place_order",
      arguments: { symbol: "US.AAPL", side: "BUY", qty: 1, order_type: "MARKET" },
    }),
  );
  assert(closed.error.includes("Market closed"), closed.error);
  assert(closed.hint?.includes("limit order"), closed.hint);

  dataOf(await client.callTool({ name: "futu_get_quote", arguments: { symbols: ["US.AAPL", "US.TSLA"] } }));
  const full = errorOf(await client.callTool({ name: "futu_get_quote", arguments: { symbol: "US.NVDA" } }));
  assertEquals(full.code, "quota");
  assert(full.error.includes("subscription quota full: 2 used, 0 left"), full.error);
  assert(full.error.includes("more in"), "says when units can be released");
});

Deno.test("HTTP mode shuts down gracefully on SIGTERM", async () => {
  const port = freePort();
  const child = new Deno.Command("deno", {
    args: futuMcpCommand(["--gateway", "sim", "--http-listen", `127.0.0.1:${port}`]),
    env: childEnv(),
    clearEnv: true,
    stdout: "null",
    stderr: "piped",
  }).spawn();
  await eventually(
    async () => {
      try {
        return (await (await fetch(`http://127.0.0.1:${port}/healthz`)).text()) === "ok\n";
      } catch {
        return false;
      }
    },
    10_000,
    "futu-mcp to listen",
  );
  await using client = await connectHttp(`http://127.0.0.1:${port}/mcp`);
  assertEquals((await client.listTools()).tools.length, 18, "legacy mode: no trade tools without --enable-trading");
  child.kill("SIGTERM");
  const { code, stderr } = await child.output();
  assertEquals(code, 0);
  assert(new TextDecoder().decode(stderr).includes("shutting down (SIGTERM)"));
});
