/**
 * `completion/complete` through the MCP SDK's client, over a spawned stdio
 * process and real HTTP, on the simulator: symbols from the user's watchlist
 * (first) and the catalog by code, symbol or name; account ids of the
 * caller's visible accounts, narrowed by the env, market or symbol already
 * chosen; the fixed vocabularies, and lot sizes and the price of the chosen
 * symbol; nothing for an argument the reference does not take, an error for
 * an unknown reference — and with keys, only what the key may read.
 */
import { assert, assertEquals, assertRejects } from "../helpers/assert.ts";
import { connectHttp, spawnStdio, startHttpApp } from "../helpers/mcp.ts";
import { startSim } from "../helpers/sim.ts";
import { tempDir } from "../helpers/tmp.ts";
import { generateKey, writeKeysFile } from "../../src/access/keys.ts";
import { McpError } from "../../src/mcp/sdk.ts";
import type { Client } from "../../src/mcp/sdk_client.ts";

type Completion = { values: string[]; total?: number; hasMore?: boolean };
const WATCHLIST = ["US.AAPL", "US.NVDA", "HK.00700", "HK.09988", "US.TSLA", "SH.600519"];
const REAL = ["281756479345015383", "9007199254740993"];
const PAPER = ["6234567", "6234568", "6234569"];

function completer(client: Client) {
  const run = async (
    ref: { type: "ref/resource"; uri: string } | { type: "ref/prompt"; name: string },
    name: string,
    value: string,
    context?: Record<string, string>,
  ): Promise<Completion> =>
    (await client.complete({ ref, argument: { name, value }, ...(context ? { context: { arguments: context } } : {}) }))
      .completion;
  return {
    resource: (uri: string, name: string, value: string, context?: Record<string, string>) =>
      run({ type: "ref/resource", uri }, name, value, context),
    prompt: (prompt: string, name: string, value: string, context?: Record<string, string>) =>
      run({ type: "ref/prompt", name: prompt }, name, value, context),
  };
}

const QUOTE = "futu://quote/{symbol}";
const POSITIONS = "futu://account/{acc_id}/positions";

async function completionStory(client: Client) {
  const { resource, prompt } = completer(client);

  // Symbols: the watchlist first, by code, symbol or name, then the catalog's matches.
  // Each keystroke is a completion: more than OpenD's 10 watchlist requests per 30 s, served from one read.
  for (let i = 0; i < 12; i++) {
    assertEquals(await resource(QUOTE, "symbol", ""), { values: WATCHLIST, total: 6, hasMore: false }, `${i}`);
  }
  for (const typed of ["HK.007", "hk.007", "007", "00700", "Tencent", "TENC"]) {
    const found = await resource(QUOTE, "symbol", typed);
    assertEquals(found.values[0], "HK.00700", typed);
    assertEquals([found.total, found.hasMore], [found.values.length, false], typed);
  }
  const tencent = await resource("futu://orderbook/{symbol}", "symbol", "tencent");
  assert(
    tencent.values.length > 5 && tencent.values.includes("HK.21000"),
    `warrants from the catalog: ${tencent.values}`,
  );
  assertEquals(new Set(tencent.values).size, tencent.values.length, "each once");
  assertEquals((await resource(QUOTE, "symbol", "hk.")).values, ["HK.00700", "HK.09988"], "the watchlist's HK part");
  const us = await resource(QUOTE, "symbol", "US.A");
  assertEquals(us.values[0], "US.AAPL");
  assert(us.values.every((s) => s.startsWith("US.")), `a market prefix keeps to the market: ${us.values}`);
  const apple = await resource(QUOTE, "symbol", "apple");
  assertEquals(apple.values[0], "US.AAPL", "by name");
  assertEquals(await resource(QUOTE, "symbol", "zzzzqq"), { values: [], total: 0, hasMore: false });
  const many = await resource(QUOTE, "symbol", "0");
  assert(many.values.length <= 100 && many.values.length > 20, `${many.values.length}`);
  assertEquals(many.values.slice(0, 3), ["HK.00700", "HK.09988", "SH.600519"], "the watchlist's matches first");

  // Accounts: the visible ones, narrowed by what is already chosen.
  assertEquals((await resource(POSITIONS, "acc_id", "")).values, [...REAL, ...PAPER]);
  assertEquals((await resource(POSITIONS, "acc_id", "623")).values, PAPER);
  assertEquals((await resource(POSITIONS, "acc_id", "", { env: "real" })).values, REAL);
  assertEquals((await prompt("portfolio_review", "acc_id", "", { env: "SIMULATE" })).values, PAPER);
  assertEquals(
    (await prompt("pre_trade_checklist", "acc_id", "", { symbol: "US.AAPL" })).values,
    [...REAL, "6234568"],
    "accounts trading the symbol's market",
  );
  assertEquals(
    (await prompt("pre_trade_checklist", "acc_id", "", { symbol: "SH.600519", env: "simulate" })).values,
    ["6234569"],
  );

  // Prompt arguments by name.
  assertEquals((await prompt("pre_trade_checklist", "side", "s")).values, ["SELL", "SELL_SHORT"]);
  assertEquals((await prompt("pre_trade_checklist", "side", "")).values, ["BUY", "SELL", "SELL_SHORT", "BUY_BACK"]);
  assertEquals((await prompt("pre_trade_checklist", "env", "R")).values, ["real"]);
  assertEquals((await prompt("pre_trade_checklist", "qty", "", { symbol: "HK.00700" })).values, [
    "100",
    "200",
    "500",
    "1000",
  ]);
  assertEquals((await prompt("pre_trade_checklist", "qty", "5", { symbol: "hk.700" })).values, ["500"]);
  assertEquals((await prompt("pre_trade_checklist", "qty", "")).values, [], "no symbol chosen: no lot size");
  const [price] = (await prompt("pre_trade_checklist", "price", "", { symbol: "HK.00700" })).values;
  assert(Number(price) > 0, `the last price: ${price}`);
  assertEquals((await prompt("pre_trade_checklist", "symbol", "007")).values[0], "HK.00700");
  assertEquals((await prompt("market_brief", "market", "")).values, ["HK", "US", "SH", "SZ", "CN"]);
  assertEquals((await prompt("market_brief", "market", "s")).values, ["SH", "SZ"]);

  // Arguments a reference does not take complete to nothing; unknown references are errors.
  const empty = { values: [], total: 0, hasMore: false };
  assertEquals(await resource(QUOTE, "acc_id", ""), empty);
  assertEquals(await resource(POSITIONS, "symbol", "HK"), empty);
  assertEquals(await prompt("market_brief", "symbol", "HK"), empty);
  for (
    const [request, text] of [
      [resource("futu://nothing/{x}", "x", ""), 'unknown resource template "futu://nothing/{x}"'],
      [prompt("no_such_prompt", "symbol", ""), 'unknown prompt "no_such_prompt"'],
    ] as const
  ) {
    const error = await assertRejects(() => request);
    assert(error instanceof McpError && error.code === -32602, String(error));
    assert(error.message.includes(text), error.message);
  }
}

Deno.test("completion over stdio: symbols, accounts and prompt arguments", async () => {
  await using mcp = await spawnStdio(["--gateway", "sim"]);
  assertEquals(mcp.client.getServerCapabilities()?.completions, {});
  await completionStory(mcp.client);
  assertEquals(mcp.transportErrors().map((e) => e.message), []);
});

Deno.test("completion over HTTP: symbols, accounts and prompt arguments", async () => {
  await using app = await startHttpApp(["--gateway", "sim"]);
  await using client = await connectHttp(app.url);
  await completionStory(client);
});

Deno.test("completion with keys: only the key's accounts; a lookup the key may not make offers nothing", async () => {
  await using sim = await startSim();
  const dir = await tempDir("completion");
  const viewer = generateKey({
    id: "viewer",
    scopes: ["qot:read", "acc:read"],
    limits: { allowedAccIds: ["6234567"] },
  });
  const accounts = generateKey({ id: "accounts", scopes: ["acc:read"] });
  const quotes = generateKey({ id: "quotes", scopes: ["qot:read"] });
  await writeKeysFile(`${dir}/keys.json`, [viewer.record, accounts.record, quotes.record]);
  await using app = await startHttpApp([
    "--gateway",
    sim.address,
    "--keys-file",
    `${dir}/keys.json`,
    "--state-dir",
    `${dir}/state`,
  ]);
  const as = (key: { plaintext: string }) => connectHttp(app.url, { authorization: `Bearer ${key.plaintext}` });
  await using asViewer = await as(viewer);
  await using asAccounts = await as(accounts);
  await using asQuotes = await as(quotes);

  assertEquals((await completer(asViewer).resource(POSITIONS, "acc_id", "")).values, ["6234567"]);
  assertEquals((await completer(asViewer).resource(QUOTE, "symbol", "007")).values[0], "HK.00700");
  const none = { values: [], total: 0, hasMore: false };
  assertEquals(await completer(asAccounts).resource(QUOTE, "symbol", "tencent"), none, "no qot:read");
  assertEquals(await completer(asAccounts).prompt("pre_trade_checklist", "qty", "", { symbol: "HK.00700" }), none);
  assertEquals(await completer(asQuotes).resource(POSITIONS, "acc_id", ""), none, "no acc:read");
  assertEquals((await completer(asAccounts).resource(POSITIONS, "acc_id", "")).values, [...REAL, ...PAPER]);
});
