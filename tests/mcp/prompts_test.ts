/**
 * The MCP prompts (pre_trade_checklist, portfolio_review, market_brief) as a
 * client uses them, over a spawned stdio process and over real HTTP: listed
 * with their arguments; each built from live data — checked against what the
 * same tools answer in the same session, not against fixed figures; bad
 * arguments refused as InvalidParams naming the argument; and, with API keys,
 * each prompt showing only what the key may read: a key held to one account
 * cannot review another, and a key without acc:read gets a checklist that
 * says the account half is unavailable.
 */
import { assert, assertEquals, assertRejects } from "../helpers/assert.ts";
import { connectHttp, dataOf, spawnStdio, startHttpApp } from "../helpers/mcp.ts";
import { tempDir } from "../helpers/tmp.ts";
import { generateKey, writeKeysFile } from "../../src/access/keys.ts";
import { ErrorCode, McpError } from "../../src/mcp/sdk.ts";
import type { Client } from "../../src/mcp/sdk_client.ts";

/** A Thursday morning in Hong Kong: HK trades, and its earnings calendar has reports within the week. */
const CLOCK = ["--gateway", "sim", "--sim-clock", "2026-11-05T10:30:00+08:00"];
/** Prompts read through every read-only tool; these toolsets only let the test ask the same tools. */
const ARGS = [...CLOCK, "--enable-trading", "--toolsets", "quote,account,trade,macro,rankings,system"];
const REAL_ACC = "281756479345015383";

type Json = Record<string, unknown>;
type Table = { columns: string[]; rows: unknown[][] };

/** The text of a prompt's first message, and the URIs of the resource links after it (each one readable). */
async function prompt(client: Client, name: string, args: Record<string, string>) {
  const result = await client.getPrompt({ name, arguments: args });
  assert(result.description, `${name} has a description`);
  const [first, ...rest] = result.messages;
  assertEquals(first.role, "user");
  assert(first.content.type === "text", `${name}: the first message is text`);
  const links: string[] = [];
  for (const m of rest) {
    assert(m.content.type === "resource_link", `${name}: the other messages link resources`);
    const { contents } = await client.readResource({ uri: m.content.uri });
    assertEquals(contents[0]?.uri, m.content.uri, `${name} links a resource that resources/read serves`);
    links.push(m.content.uri);
  }
  return { description: result.description, text: first.content.text, links };
}

async function call<T = Json>(client: Client, name: string, args: Json = {}): Promise<T> {
  return dataOf<T>(await client.callTool({ name, arguments: args }));
}

function rowsOf(table: Table): Json[] {
  return table.rows.map((row) => Object.fromEntries(table.columns.map((c, i) => [c, row[i]])));
}

/** The prompt request fails with this JSON-RPC code and a message naming `names`. */
async function refused(client: Client, name: string, args: Record<string, string>, code: number, names: string) {
  const error = await assertRejects(() => client.getPrompt({ name, arguments: args }), McpError, names);
  assertEquals(error.code, code, error.message);
  return error.message;
}

/** Everything a client sees of the prompts on one connection, whatever the transport. */
async function exercise(client: Client) {
  // ---- prompts/list
  const { prompts } = await client.listPrompts();
  assertEquals(prompts.map((p) => p.name), ["pre_trade_checklist", "portfolio_review", "market_brief"]);
  const args = Object.fromEntries(prompts.map((p) => [p.name, (p.arguments ?? []).map((a) => [a.name, !!a.required])]));
  assertEquals(args.pre_trade_checklist, [
    ["symbol", true],
    ["side", true],
    ["qty", true],
    ["price", false],
    ["acc_id", false],
    ["env", false],
  ]);
  assertEquals(args.portfolio_review, [["acc_id", false], ["env", false]]);
  assertEquals(args.market_brief, [["market", true]]);
  for (const p of prompts) assert(p.title && p.description, `${p.name} has a title and a description`);

  // ---- pre_trade_checklist: a limit order off the lot size, on the default paper account
  const [security] = (await call<{ securities: { lot_size: number }[] }>(client, "futu_get_static", {
    symbols: ["HK.00700"],
  })).securities;
  const lot = security.lot_size;
  const funds = await call<{ acc_id: string; funds: { cash: number; currency: string } }>(client, "futu_get_funds");
  const qty = lot + lot / 2;
  const checklist = await prompt(client, "pre_trade_checklist", {
    symbol: "hk.00700",
    side: "buy",
    qty: String(qty),
    price: "300",
  });
  const t = checklist.text;
  assert(t.includes(`BUY ${qty} HK.00700`), t);
  assert(t.includes(`SIMULATE account ${funds.acc_id} (HK)`), t);
  assert(t.includes(`lot size ${lot}`), t);
  assert(t.includes(`⚠ qty ${qty} is not a multiple of lot size ${lot}`), t);
  assert(t.includes(`nearest: ${lot} or ${2 * lot}`), t);
  assert(t.includes(`cash ${funds.funds.cash}`), t);
  assert(t.includes("Position in HK.00700: none"), t);
  assert(t.includes(`Server preview: notional ${qty * 300} ${funds.funds.currency}`), t);
  assert(t.includes("market MORNING"), t);
  assert(t.includes("below the last price"), t);
  assert(t.includes("Do not place this order on your own"), t);
  assertEquals(checklist.links, ["futu://quote/HK.00700", "futu://orderbook/HK.00700"]);

  // A working order in the symbol shows in the next checklist, and in the account's review.
  const placed = await call<{ order_id: string }>(client, "futu_place_order", {
    symbol: "HK.00700",
    side: "BUY",
    qty: lot,
    price: 300,
  });
  const again = (await prompt(client, "pre_trade_checklist", { symbol: "HK.00700", side: "BUY", qty: String(lot) }))
    .text;
  assert(again.includes(`Working orders in HK.00700: ${placed.order_id} BUY ${lot} @ 300`), again);
  assert(again.includes(`still working (${placed.order_id})`), again);
  assert(again.includes("market order"), again);
  assert(again.includes(`✓ qty ${lot} is 1 lot(s) of ${lot}`), again);

  // A REAL sell larger than the position: the position and the refusal come from the live account.
  const [held] = rowsOf(await call<Table>(client, "futu_get_positions", { acc_id: REAL_ACC, env: "real" }));
  const sell = (await prompt(client, "pre_trade_checklist", {
    symbol: "HK.00700",
    side: "SELL",
    qty: String(Number(held.qty) + lot),
    price: "500",
    acc_id: REAL_ACC,
    env: "real",
  })).text;
  assert(sell.includes(`Position in HK.00700: LONG ${held.qty} (can sell ${held.can_sell})`), sell);
  assert(sell.includes(`is more than the position can sell (${held.can_sell})`), sell);
  assert(sell.includes("⚠ REAL account, real money"), sell);
  assert(sell.includes("⚠ The server would refuse it now: unauthorized: real trading is disabled"), sell);

  // ---- portfolio_review: the REAL account's positions in every market, its orders, its currencies
  const review = await prompt(client, "portfolio_review", { acc_id: REAL_ACC });
  const accounts = await call<{ accounts: { acc_id: string; markets: string[] }[] }>(client, "futu_list_accounts");
  const markets = accounts.accounts.find((a) => a.acc_id === REAL_ACC)!.markets;
  assert(review.text.includes(`REAL account ${REAL_ACC} (MARGIN), markets ${markets.join(", ")}`), review.text);
  const realFunds = await call<{ funds: { cash_by_currency: Record<string, number> } }>(client, "futu_get_funds", {
    acc_id: REAL_ACC,
    env: "real",
  });
  const cash = Object.entries(realFunds.funds.cash_by_currency).map(([c, v]) => `${c} ${v}`).join(", ");
  assert(review.text.includes(`Cash by currency: ${cash}`), review.text);
  for (const market of markets) {
    const positions = rowsOf(
      await call<Table>(client, "futu_get_positions", { acc_id: REAL_ACC, env: "real", market }),
    );
    for (const p of positions) {
      assert(review.text.includes(`${p.symbol}\t${p.name}\t${p.side}\t${p.qty}\t${p.can_sell}`), review.text);
    }
  }
  assert(review.text.includes("Positions (1):"), review.text);
  assert(/Rates used \(OpenD's valuation of the account\): USD→HKD \d/.test(review.text), review.text);
  assert(review.text.includes("place, change or cancel nothing unless the user explicitly asks"), review.text);
  assertEquals(review.links, ["positions", "orders", "funds"].map((p) => `futu://account/${REAL_ACC}/${p}`));

  const paper = await prompt(client, "portfolio_review", {});
  assert(paper.text.includes(`SIMULATE account ${funds.acc_id}`), paper.text);
  assert(paper.text.includes(`${placed.order_id}\tHK.00700\tBUY\tNORMAL\tSUBMITTED\t${lot}\t300`), paper.text);
  assert(paper.text.includes(`⚠ 1 order(s) still working: ${placed.order_id} BUY ${lot} HK.00700`), paper.text);

  // ---- market_brief: state, the index, movers, breadth and the week's earnings of HK
  const brief = (await prompt(client, "market_brief", { market: "hk" })).text;
  const state = await call<{ markets: Record<string, string> }>(client, "futu_get_global_state");
  assert(brief.includes(`State: HK ${state.markets.HK}`), brief);
  assert(brief.includes("HSI (HK.800000)"), brief);
  assert(brief.includes("Not available: HK.800700, HK.800100 (Unknown stock HK.800700)"), brief);
  const breadth = await call<{ stock_count: number }>(client, "futu_get_market_breadth", {
    view: "rise_fall",
    market: "HK",
  });
  assert(brief.includes(`of ${breadth.stock_count} stocks`), brief);
  const window = /Earnings (\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2}) \((\d+)/.exec(brief);
  assert(window, brief);
  const earnings = await call<{ total: number; item_list: Json[] }>(client, "futu_get_earnings_calendar", {
    market: "HK",
    begin: window[1],
    end: window[2],
    max_count: 8,
  });
  assert(earnings.total > 0, "the week has reports (else the check below proves nothing)");
  assertEquals(Number(window[3]), earnings.total);
  for (const item of earnings.item_list) {
    assert(brief.includes(`${item.security} ${item.earnings_date}`), brief);
  }
  assert(brief.includes("Top gainers:") && brief.includes("Top losers:"), brief);
  const cn = (await prompt(client, "market_brief", { market: "CN" })).text;
  assert(cn.includes("SH Breadth:") && cn.includes("SZ Breadth:"), cn);
  assert(cn.includes("Top movers: OpenD ranks movers for HK and US only."), cn);

  // ---- bad arguments: InvalidParams naming the argument; the server keeps serving
  const P = ErrorCode.InvalidParams;
  await refused(client, "pre_trade_checklist", { side: "BUY", qty: "100" }, P, "argument symbol: required");
  await refused(client, "pre_trade_checklist", { symbol: "HK.00700", side: "BUY", qty: "ten" }, P, "argument qty");
  await refused(client, "pre_trade_checklist", { symbol: "HK.00700", side: "BUY", qty: "-5" }, P, "argument qty");
  await refused(client, "pre_trade_checklist", { symbol: "HK.00700", side: "HOLD", qty: "1" }, P, "argument side");
  await refused(client, "pre_trade_checklist", { symbol: "00700", side: "BUY", qty: "1" }, P, "argument symbol");
  await refused(client, "pre_trade_checklist", { symbol: "HK.99999", side: "BUY", qty: "1" }, P, "argument symbol");
  await refused(client, "pre_trade_checklist", { symbol: "HK.00700", side: "BUY", qty: "1", env: "paper" }, P, "env");
  await refused(client, "pre_trade_checklist", { symbol: "HK.00700", side: "BUY", qty: "1", venue: "x" }, P, "venue");
  // Several REAL accounts and no acc_id: which one is the caller's to say.
  await refused(
    client,
    "pre_trade_checklist",
    { symbol: "US.AAPL", side: "BUY", qty: "1", env: "real" },
    P,
    "argument acc_id: several REAL accounts",
  );
  await refused(client, "portfolio_review", { acc_id: "12x" }, P, "argument acc_id");
  await refused(client, "portfolio_review", { acc_id: "999" }, P, "acc_id");
  await refused(client, "market_brief", {}, P, "argument market: required");
  await refused(client, "market_brief", { market: "MARS" }, P, "expected one of HK, US, SH, SZ, CN");
  await refused(client, "no_such_prompt", {}, P, 'unknown prompt "no_such_prompt"');
  // Form-filling clients send empty optional fields: they count as not given.
  assert((await prompt(client, "portfolio_review", { acc_id: "", env: " " })).text.includes("SIMULATE account"));
  assertEquals((await client.listPrompts()).prompts.length, 3, "still serving");
}

Deno.test("prompts over stdio: listed, built from live data, bad arguments refused", async () => {
  await using mcp = await spawnStdio(ARGS);
  await exercise(mcp.client);
  assertEquals(mcp.transportErrors(), []);
});

Deno.test("prompts over HTTP: listed, built from live data, bad arguments refused", async () => {
  await using app = await startHttpApp(ARGS);
  await using client = await connectHttp(app.url);
  await exercise(client);
});

Deno.test("prompts with API keys: each shows only what its key may read, and never the key", async () => {
  const dir = await tempDir("prompts-keys");
  const usOnly = generateKey({
    id: "us-only",
    scopes: ["qot:read", "acc:read"],
    limits: { allowedAccIds: ["6234568"] },
  });
  const quotes = generateKey({ id: "quotes", scopes: ["qot:read"] });
  const capped = generateKey({
    id: "capped",
    scopes: ["qot:read", "acc:read", "trade:simulate"],
    limits: { maxDailyValue: 10_000 },
  });
  await writeKeysFile(`${dir}/keys.json`, [usOnly.record, quotes.record, capped.record]);
  await using app = await startHttpApp([...CLOCK, "--keys-file", `${dir}/keys.json`, "--state-dir", `${dir}/state`]);
  const connect = (key: string) => connectHttp(app.url, { authorization: `Bearer ${key}` });

  // Held to the US paper account: that one is reviewed by default, the HK one is refused.
  {
    await using client = await connect(usOnly.plaintext);
    const mine = await prompt(client, "portfolio_review", {});
    assert(mine.text.includes("SIMULATE account 6234568"), mine.text);
    assert(!mine.text.includes(usOnly.plaintext));
    const message = await refused(
      client,
      "portfolio_review",
      { acc_id: "6234567" },
      ErrorCode.InvalidRequest,
      "6234567",
    );
    assert(message.includes("forbidden"), message);
    assert(!message.includes(usOnly.plaintext));
    // Its checklist for an order on the HK account: the market half, and the account's refusal stated in it.
    const other = (await prompt(client, "pre_trade_checklist", {
      symbol: "HK.00700",
      side: "BUY",
      qty: "100",
      acc_id: "6234567",
    })).text;
    assert(other.includes("lot size 100"), other);
    assert(other.includes("Account (funds, position, open orders): unavailable (forbidden:"), other);
  }

  // No acc:read: the checklist still builds and says which part is missing and why; the review cannot.
  {
    await using client = await connect(quotes.plaintext);
    const text = (await prompt(client, "pre_trade_checklist", { symbol: "HK.00700", side: "BUY", qty: "100" })).text;
    const [snapshot] = (await call<{ snapshots: { lot_size: number }[] }>(client, "futu_get_snapshot", {
      symbols: ["HK.00700"],
    })).snapshots;
    assert(text.includes(`lot size ${snapshot.lot_size}`), text);
    assert(text.includes("Book (best 5): asks"), text);
    assert(/Account \(funds, position, open orders\): unavailable \(unauthorized: [^)]*acc:read/.test(text), text);
    assert(/Server preview \(futu_preview_order\): unavailable \(unauthorized: [^)]*acc:read/.test(text), text);
    assert(!text.includes("Funds ("), text);
    const message = await refused(client, "portfolio_review", {}, ErrorCode.InvalidRequest, "acc:read");
    assert(!message.includes(quotes.plaintext));
    assert((await prompt(client, "market_brief", { market: "US" })).text.includes("Top losers:"));
  }

  // A daily cap: the preview's limits and refusal reach the checklist.
  {
    await using client = await connect(capped.plaintext);
    const text = (await prompt(client, "pre_trade_checklist", {
      symbol: "HK.00700",
      side: "BUY",
      qty: "100",
      price: "400",
    })).text;
    assert(text.includes("daily_cap 10000"), text);
    assert(text.includes("⚠ The server would refuse it now: limit: daily value cap exceeded"), text);
  }
});
