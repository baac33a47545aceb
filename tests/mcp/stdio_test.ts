/**
 * futu-mcp as LLM clients run it: a spawned process on stdio, driven by the
 * MCP SDK's client, on the embedded simulator.
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { childEnv, dataOf, errorOf, futuMcpCommand, spawnStdio, withConfirmation } from "../helpers/mcp.ts";

const CLOCK = ["--gateway", "sim", "--sim-clock", "2026-11-26T10:30:00+08:00"];
/** Legacy mode (no keys file) with both trading switches on. */
const TRADING = [...CLOCK, "--enable-trading", "--allow-real-trading"];

/** The write tools of the default toolsets. */
const WRITES = [
  "futu_place_order",
  "futu_modify_order",
  "futu_cancel_order",
  "futu_cancel_all_order",
  "futu_unlock_trade",
];

const TOOL_NAMES = [
  "futu_ping",
  "futu_get_quote",
  "futu_get_snapshot",
  "futu_get_kline",
  "futu_get_orderbook",
  "futu_get_ticker",
  "futu_get_rt",
  "futu_get_static",
  "futu_get_broker",
  "futu_list_plates",
  "futu_plate_stocks",
  "futu_chart",
  "futu_list_accounts",
  "futu_get_funds",
  "futu_get_positions",
  "futu_get_orders",
  "futu_get_deals",
  "futu_preview_order",
  "futu_place_order",
  "futu_modify_order",
  "futu_cancel_order",
  "futu_cancel_all_order",
  "futu_unlock_trade",
];

Deno.test("stdio: every tool's success path through a real MCP client", async (t) => {
  await using mcp = await spawnStdio(TRADING, { FUTU_TRADE_PWD: " 123456 " });
  const { client } = mcp;
  const call = (name: string, args: Record<string, unknown> = {}) => client.callTool({ name, arguments: args });

  await t.step("tools/list has exactly the default tools, each with annotations and no output schema", async () => {
    const { tools } = await client.listTools();
    assertEquals(tools.map((tool) => tool.name), TOOL_NAMES);
    for (const tool of tools) {
      // Without --output-schemas (schema_lint_test.ts lists and checks them with it).
      assertEquals(tool.outputSchema, undefined, `${tool.name} lists no output schema`);
      assertEquals(typeof tool.annotations?.readOnlyHint, "boolean");
      assertEquals(typeof tool.annotations?.destructiveHint, "boolean");
      assertEquals(typeof tool.annotations?.idempotentHint, "boolean");
      assertEquals(typeof tool.annotations?.openWorldHint, "boolean");
    }
  });

  await t.step("quote tools", async () => {
    const ping = dataOf(await call("futu_ping"));
    assertEquals((ping.markets as Record<string, string>).HK, "MORNING");
    assertEquals(ping.state, "ready");
    const quote = dataOf<{ quotes: { symbol: string; price: number }[] }>(
      await call("futu_get_quote", { symbol: "hk.700" }),
    );
    assertEquals(quote.quotes.map((q) => q.symbol), ["HK.00700"]);
    const many = dataOf<{ quotes: unknown[] }>(await call("futu_get_quote", { symbols: ["US.AAPL", "SH.600519"] }));
    assertEquals(many.quotes.length, 2);
    const snapshot = dataOf<{ snapshots: { lot_size: number }[] }>(
      await call("futu_get_snapshot", { symbols: ["HK.00700"] }),
    );
    assertEquals(snapshot.snapshots[0].lot_size, 100);
    const kline = dataOf<{ rows: unknown[][]; columns: string[] }>(
      await call("futu_get_kline", { symbol: "HK.00700", kl_type: "k_60m", max_count: 7 }),
    );
    assertEquals(kline.columns[0], "time");
    assertEquals(kline.rows.length, 7);
    const history = dataOf<{ rows: unknown[][]; next_page?: string }>(
      await call("futu_get_kline", { symbol: "HK.00700", kl_type: 2, begin: "2026-11-02", end: "2026-11-13" }),
    );
    assertEquals(history.rows.length, 10, "two weeks of daily candles; kl_type accepted as OpenD's integer");
    const book = dataOf<{ asks: unknown[][]; bids: unknown[][] }>(
      await call("futu_get_orderbook", { symbol: "HK.00700", num: 3 }),
    );
    assertEquals([book.asks.length, book.bids.length], [3, 3]);
    const ticker = dataOf<{ rows: unknown[][] }>(await call("futu_get_ticker", { symbol: "HK.00700", count: 5 }));
    assertEquals(ticker.rows.length, 5);
    const rt = dataOf<{ rows: unknown[][] }>(await call("futu_get_rt", { code: "HK.00700" }));
    assert(rt.rows.length >= 60);
    const info = dataOf<{ securities: { type: string }[] }>(await call("futu_get_static", { symbols: ["HK.28123"] }));
    assertEquals(info.securities[0].type, "WARRANT");
    const broker = dataOf<{ bids: unknown[][] }>(await call("futu_get_broker", { symbol: "HK.00700" }));
    assert(broker.bids.length > 0);
    const plates = dataOf<{ rows: unknown[][] }>(
      await call("futu_list_plates", { market: "us", plate_type: "CONCEPT" }),
    );
    assertEquals(plates.rows, [["US.BK2001", "Magnificent Seven", "CONCEPT"]]);
    const members = dataOf<{ rows: unknown[][] }>(await call("futu_plate_stocks", { plate: "US.BK2001" }));
    assertEquals(members.rows.map((r) => r[0]), ["US.AAPL", "US.NVDA", "US.TSLA"]);
  });

  await t.step("account tools", async () => {
    const accounts = dataOf<{ accounts: { acc_id: string; env: string }[] }>(await call("futu_list_accounts"));
    assertEquals(accounts.accounts.map((a) => a.acc_id).includes("9007199254740993"), true, "ids stay exact strings");
    const funds = dataOf<{ acc_id: string; funds: { cash: number } }>(
      await call("futu_get_funds", { env: "simulate" }),
    );
    assertEquals([funds.acc_id, funds.funds.cash], ["6234567", 1_000_000]);
    const real = dataOf<{ rows: unknown[][] }>(
      await call("futu_get_positions", { acc_id: "281756479345015383", env: "real" }),
    );
    assertEquals(real.rows[0].slice(0, 4), ["HK.00700", "TENCENT", "LONG", 500]);
    const orders = dataOf<{ rows: unknown[][] }>(await call("futu_get_orders", { env: "simulate", market: "US" }));
    assertEquals(orders.rows, []);
    const deals = dataOf<{ rows: unknown[][] }>(
      await call("futu_get_deals", { acc_id: "281756479345015383", env: "real" }),
    );
    assertEquals(deals.rows, []);
  });

  await t.step("trade tools: place, modify, cancel; unlock reads the password from the environment", async () => {
    const placed = dataOf<{ order_id: string; status: string; acc_id: string; env: string }>(
      await call("futu_place_order", { symbol: "HK.00700", side: "BUY", qty: 100, price: 400 }),
    );
    assertEquals([placed.env, placed.acc_id, placed.status], ["SIMULATE", "6234567", "SUBMITTED"]);
    const modified = dataOf<{ status: string }>(
      await call("futu_modify_order", { order_id: placed.order_id, op: "NORMAL", price: 401 }),
    );
    assertEquals(modified.status, "SUBMITTED");
    const cancelled = dataOf<{ status: string }>(await call("futu_cancel_order", { order_id: placed.order_id }));
    assertEquals(cancelled.status, "CANCELLED_ALL");
    assertEquals(dataOf(await call("futu_unlock_trade", {})), { unlocked: true });
    // REAL writes: this client has no elicitation, so each is confirmed with the token of its preview.
    const structured = async (name: string, args: Record<string, unknown>) => dataOf(await call(name, args));
    const order = { symbol: "HK.00700", side: "SELL", qty: 100, price: 600, env: "real" };
    const real = dataOf<{ env: string; status: string; order_id: string }>(
      await call("futu_place_order", await withConfirmation(structured, "futu_place_order", order)),
    );
    assertEquals([real.env, real.status], ["REAL", "SUBMITTED"]);
    const cancelAll = { env: "real", market: "HK" };
    const all = dataOf<{ cancelled: number; orders: { order_id: string; status: string }[] }>(
      await call("futu_cancel_all_order", await withConfirmation(structured, "futu_cancel_all_order", cancelAll)),
    );
    assertEquals([all.cancelled, all.orders.map((o) => [o.order_id, o.status])], [1, [[
      real.order_id,
      "CANCELLED_ALL",
    ]]]);
    assertEquals(dataOf(await call("futu_unlock_trade", { unlock: false })), { unlocked: false });
  });

  await t.step("failures are tool errors naming what is wrong", async () => {
    const badSymbol = errorOf(await call("futu_get_quote", { symbol: "00700" }));
    assertEquals(badSymbol.code, "invalid_arguments");
    assert(badSymbol.error.includes('expected "<MARKET>.<CODE>"'), badSymbol.error);
    const unknownStock = errorOf(await call("futu_get_quote", { symbol: "HK.99999" }));
    assertEquals(unknownStock.code, "opend_error");
    assert(unknownStock.hint?.includes("Check the symbol"));
    const unknownField = errorOf(await call("futu_get_quote", { symbol: "HK.00700", colour: "red" }));
    assert(unknownField.error.includes('unknown field "colour"'), unknownField.error);
    const badEnum = errorOf(await call("futu_get_kline", { symbol: "HK.00700", kl_type: "K_7M" }));
    assert(badEnum.error.includes("kl_type: expected one of K_1M"), badEnum.error);
    const both = errorOf(await call("futu_get_quote", { symbol: "HK.00700", code: "HK.00700" }));
    assert(both.error.includes('both "symbol" and its alias "code"'), both.error);
    const lossy = errorOf(await call("futu_get_funds", { acc_id: 9007199254740993, env: "real" }));
    assert(lossy.error.includes("pass it as a string"), lossy.error);
    const mismatch = errorOf(await call("futu_get_funds", { acc_id: "281756479345015383" }));
    assertEquals(mismatch.code, "account");
    assert(mismatch.error.includes("is a REAL account"), mismatch.error);
    const unknownTool = errorOf(await call("futu_buy_the_dip"));
    assertEquals(unknownTool.error, 'unknown MCP tool "futu_buy_the_dip"');
    const noPrice = errorOf(await call("futu_place_order", { symbol: "HK.00700", side: "BUY", qty: 100 }));
    assert(noPrice.error.includes("price: a NORMAL order needs price"), noPrice.error);
    const lot = errorOf(await call("futu_place_order", { symbol: "HK.00700", side: "BUY", qty: 50, price: 400 }));
    assert(lot.error.includes("lot size") && lot.hint?.includes("lot_size"), JSON.stringify(lot));
  });

  await t.step("logs go to stderr only", () => {
    assert(mcp.stderr().includes("futu-mcp: simulated OpenD"));
    assertEquals(mcp.transportErrors().map((e) => e.message), [], "stdout carried only JSON-RPC messages");
  });
});

Deno.test("stdio: garbage input gets JSON-RPC errors and the process keeps serving", async () => {
  const child = new Deno.Command("deno", {
    args: futuMcpCommand(CLOCK),
    env: childEnv(),
    clearEnv: true,
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const writer = child.stdin.getWriter();
  const lines = [
    new TextEncoder().encode(
      '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}\n',
    ),
    new TextEncoder().encode("this is not json\n"),
    new Uint8Array([0xff, 0xfe, 0x7b, 0x7d, 0x0a]),
    new TextEncoder().encode('{"hello":"world","id":7}\n'),
    new TextEncoder().encode("\n\n"),
    new TextEncoder().encode('{"jsonrpc":"2.0","id":2,"method":"tools/list"}\n'),
  ];
  for (const line of lines) await writer.write(line);
  await writer.close();
  const output = new TextDecoder().decode((await child.output()).stdout);
  const replies = output.trim().split("\n").map((l) => JSON.parse(l));
  assert(replies.every((r) => r.jsonrpc === "2.0"), "stdout holds only JSON-RPC messages (logs go to stderr)");
  const errors = replies.filter((r) => r.error).map((r) => [r.id, r.error.code]);
  assertEquals(errors, [[null, -32700], [null, -32700], [7, -32600]]);
  const list = replies.find((r) => r.id === 2);
  assertEquals(
    list.result.tools.length,
    TOOL_NAMES.filter((name) => !WRITES.includes(name)).length,
    "still serving after the garbage",
  );
});

Deno.test("command line: --version, --help, and usage errors exit 2 with a clear message", async () => {
  const run = async (...args: string[]) => {
    const out = await new Deno.Command("deno", { args: futuMcpCommand(args), env: childEnv(), clearEnv: true })
      .output();
    return {
      code: out.code,
      stdout: new TextDecoder().decode(out.stdout),
      stderr: new TextDecoder().decode(out.stderr),
    };
  };
  const version = await run("--version");
  assertEquals(version.code, 0);
  assert(/^futu-mcp \d+\.\d+\.\d+/.test(version.stdout));
  const help = await run("--help");
  assertEquals(help.code, 0);
  assert(help.stdout.includes("--gateway <host:port|sim>"));
  const unknown = await run("--gateway", "sim", "--frobnicate");
  assertEquals(unknown.code, 2);
  assert(unknown.stderr.includes("Unknown option '--frobnicate'"), unknown.stderr);
  const badGateway = await run("--gateway", "localhost");
  assertEquals(badGateway.code, 2);
  assert(badGateway.stderr.includes("--gateway: expected host:port"), badGateway.stderr);
  const badToolset = await run("--toolsets", "quote,bonds");
  assertEquals(badToolset.code, 2);
  assert(badToolset.stderr.includes('unknown toolset "bonds"'));
  const badConfig = await run("--config", "tests/fixtures/bad-config.toml");
  assertEquals(badConfig.code, 2);
  assert(badConfig.stderr.includes('unknown key "gatway"'), badConfig.stderr);
});

Deno.test("--read-only and --toolsets expose fewer tools, and hidden tools say why", async () => {
  await using readOnly = await spawnStdio([...TRADING, "--read-only"]);
  const { tools } = await readOnly.client.listTools();
  assertEquals(tools.length, TOOL_NAMES.filter((name) => !WRITES.includes(name)).length);
  assert(tools.every((t) => t.annotations?.readOnlyHint === true));
  const refused = errorOf(await readOnly.client.callTool({ name: "futu_place_order", arguments: {} }));
  assertEquals(refused.error, 'unknown MCP tool "futu_place_order" (the server runs --read-only)');

  await using quoteOnly = await spawnStdio([...CLOCK, "--toolsets", "quote"]);
  assertEquals((await quoteOnly.client.listTools()).tools.length, 12);
  const notEnabled = errorOf(await quoteOnly.client.callTool({ name: "futu_get_funds", arguments: {} }));
  assertEquals(notEnabled.code, "unknown_tool");
  assertEquals(notEnabled.error, 'unknown MCP tool "futu_get_funds" (its toolset is not enabled)');
});
