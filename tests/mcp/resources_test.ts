/**
 * MCP resources through the MCP SDK's client, over a spawned stdio process
 * and real HTTP, on a simulator whose market clock the test moves: the
 * templates and the listing, reads as the tools' JSON, subscriptions updated
 * after a price move and after a fill (then read again to see it), the
 * watch shared by the URIs it feeds and stopped with the last, and a key's
 * rights applied to every read, subscription and push — also after they are
 * taken away by a reload.
 */
import { assert, assertEquals, assertRejects } from "../helpers/assert.ts";
import { connectHttp, spawnStdio, startHttpApp } from "../helpers/mcp.ts";
import { connect, eventually, PAPER_HK, startSim } from "../helpers/sim.ts";
import { tempDir } from "../helpers/tmp.ts";
import { generateKey, writeKeysFile } from "../../src/access/keys.ts";
import { McpError, ResourceUpdatedNotificationSchema } from "../../src/mcp/sdk.ts";
import type { Client } from "../../src/mcp/sdk_client.ts";
import { ResourceSession } from "../../src/mcp/resources.ts";
import { createServices } from "../../src/services/services.ts";
import { ToolGuard } from "../../src/tools/guard.ts";
import { ALL_TOOLS } from "../../src/tools/inventory.ts";
import { isReadOnly } from "../../src/tools/tool.ts";

type Json = Record<string, unknown>;
const QUOTE = "futu://quote/HK.00700";
const PAPER = PAPER_HK.accId;
const ACCOUNT = (view: string, accId: string = PAPER) => `futu://account/${accId}/${view}`;
const WAIT_MS = 15_000;

/** Counts `notifications/resources/updated` per URI; `after` awaits the next one past a count. */
class Updates {
  readonly #counts = new Map<string, number>();
  readonly #waiters = new Set<{ uri: string; seen: number; resolve: () => void }>();

  constructor(client: Client) {
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, (notification) => {
      const uri = notification.params.uri;
      const count = this.count(uri) + 1;
      this.#counts.set(uri, count);
      for (const waiter of this.#waiters) {
        if (waiter.uri === uri && count > waiter.seen) {
          this.#waiters.delete(waiter);
          waiter.resolve();
        }
      }
    });
  }

  count(uri: string): number {
    return this.#counts.get(uri) ?? 0;
  }

  /** Resolves at the first update of `uri` beyond `seen` of them; rejects after a long deadline. */
  after(uri: string, seen: number, what: string): Promise<void> {
    if (this.count(uri) > seen) return Promise.resolve();
    let timer: ReturnType<typeof setTimeout> | undefined;
    return new Promise<void>((resolve, reject) => {
      const waiter = { uri, seen, resolve };
      this.#waiters.add(waiter);
      timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new Error(`no resources/updated for ${uri} (${what}) within ${WAIT_MS} ms`));
      }, WAIT_MS);
    }).finally(() => clearTimeout(timer));
  }
}

async function readJson(client: Client, uri: string): Promise<Json> {
  const result = await client.readResource({ uri });
  assertEquals(result.contents.length, 1, uri);
  const [content] = result.contents as { uri: string; mimeType?: string; text?: string }[];
  assertEquals([content.uri, content.mimeType], [uri, "application/json"]);
  return JSON.parse(content.text!);
}

/** Reads `uri` until `done` holds, awaiting an update between reads (a read clears the update mark). */
async function readUntil(
  client: Client,
  updates: Updates,
  uri: string,
  done: (body: Json) => boolean,
  what: string,
): Promise<Json> {
  for (;;) {
    const seen = updates.count(uri);
    const body = await readJson(client, uri);
    if (done(body)) return body;
    await updates.after(uri, seen, what);
  }
}

/** The MCP error a request fails with. */
async function mcpError(request: Promise<unknown>): Promise<McpError> {
  const error = await assertRejects(() => request);
  assert(error instanceof McpError, `expected an McpError, got ${error}`);
  return error;
}

const rowsOf = (body: Json) => body.rows as unknown[][];

/**
 * The end-to-end story on one client: a quote updated after the clock moves the price, account resources
 * updated after a fill and read again to see it, the watch shared by an account's URIs.
 */
async function subscriptionStory(
  client: Client,
  sim: { clock: { advance(ms: number): void } },
  place: () => Promise<void>,
) {
  const updates = new Updates(client);

  await client.subscribeResource({ uri: QUOTE });
  await client.subscribeResource({ uri: QUOTE }); // twice is once
  // Updates are announced relative to the client's last read: read after subscribing.
  let seen = updates.count(QUOTE);
  const before = await readJson(client, QUOTE);
  const [quote] = before.quotes as Json[];
  assertEquals(quote.symbol, "HK.00700");
  sim.clock.advance(90_000);
  await updates.after(QUOTE, seen, "the price move");
  seen = updates.count(QUOTE);
  const moved = await readJson(client, QUOTE);
  assert(JSON.stringify(moved) !== JSON.stringify(before), `the quote moved: ${JSON.stringify(moved)}`);
  // Read again, so announced again on the next move.
  sim.clock.advance(90_000);
  await updates.after(QUOTE, seen, "the second price move");
  const again = await readJson(client, QUOTE);
  assert((again.quotes as Json[])[0].time !== (moved.quotes as Json[])[0].time, JSON.stringify(again));
  await client.unsubscribeResource({ uri: QUOTE });

  const views = ["orders", "positions", "funds"].map((view) => ACCOUNT(view));
  const start = Object.fromEntries(await Promise.all(views.map(async (uri) => [uri, await readJson(client, uri)])));
  assertEquals(rowsOf(start[ACCOUNT("positions")]), [], "the paper account starts flat");
  const cash = (start[ACCOUNT("funds")].funds as Json).cash as number;
  for (const uri of views) await client.subscribeResource({ uri });
  const counts = views.map((uri) => updates.count(uri));
  await place();
  await Promise.all(views.map((uri, i) => updates.after(uri, counts[i], `the order on ${uri}`)));

  const orders = await readUntil(client, updates, ACCOUNT("orders"), (b) => rowsOf(b)[0]?.[4] === "FILLED_ALL", "fill");
  assertEquals([orders.acc_id, orders.env, orders.markets], [PAPER, "SIMULATE", ["HK"]]);
  assertEquals(rowsOf(orders).map((r) => [r[1], r[2], r[5]]), [["HK.00700", "BUY", 100]]);
  const positions = await readUntil(client, updates, ACCOUNT("positions"), (b) => rowsOf(b).length > 0, "position");
  assertEquals(rowsOf(positions).map((r) => [r[0], r[3]]), [["HK.00700", 100]]);
  const funds = await readUntil(
    client,
    updates,
    ACCOUNT("funds"),
    (b) => ((b.funds as Json).cash as number) < cash,
    "cash spent",
  );
  assertEquals([funds.acc_id, funds.env, funds.market], [PAPER, "SIMULATE", "HK"]);

  // Two URIs left on the account's one watch: unsubscribing one keeps the other fed.
  await client.unsubscribeResource({ uri: ACCOUNT("orders") });
  await client.unsubscribeResource({ uri: ACCOUNT("funds") });
  await place();
  const doubled = await readUntil(client, updates, ACCOUNT("positions"), (b) => rowsOf(b)[0]?.[3] === 200, "200");
  assertEquals(rowsOf(doubled).map((r) => [r[0], r[3]]), [["HK.00700", 200]]);
  await client.unsubscribeResource({ uri: ACCOUNT("positions") });
  await client.unsubscribeResource({ uri: ACCOUNT("positions") }); // not subscribed: nothing to do
}

Deno.test("resources over HTTP: templates, list, reads; updated after a price move and after a fill", async () => {
  await using sim = await startSim();
  await using app = await startHttpApp(["--gateway", sim.address, "--enable-trading"]);
  await using client = await connectHttp(app.url);

  const { resourceTemplates } = await client.listResourceTemplates();
  assertEquals(resourceTemplates.map((t) => t.uriTemplate), [
    "futu://quote/{symbol}",
    "futu://orderbook/{symbol}",
    "futu://account/{acc_id}/positions",
    "futu://account/{acc_id}/orders",
    "futu://account/{acc_id}/funds",
  ]);
  for (const t of resourceTemplates) assert(t.title && t.description && t.mimeType === "application/json", t.name);

  const { resources } = await client.listResources();
  const uris = resources.map((r) => r.uri);
  for (const acc of ["281756479345015383", "9007199254740993", "6234567", "6234568", "6234569"]) {
    for (const view of ["positions", "orders", "funds"]) assert(uris.includes(ACCOUNT(view, acc)), `${acc} ${view}`);
  }
  const real = resources.find((r) => r.uri === ACCOUNT("positions", "281756479345015383"))!;
  assert(real.description!.includes("REAL account 281756479345015383 (HK/US/HKCC"), real.description);
  assert(uris.includes(QUOTE) && uris.includes("futu://quote/US.AAPL"), "the watchlist's quotes");
  assertEquals(resources.find((r) => r.uri === QUOTE)!.title, "TENCENT (HK.00700)");

  // A universal account's positions cover every market it trades.
  const universal = await readJson(client, ACCOUNT("positions", "281756479345015383"));
  assertEquals([universal.env, universal.markets], ["REAL", ["HK", "US", "HKCC"]]);
  assertEquals(rowsOf(universal).map((r) => r[0]), ["HK.00700"]);
  const book = await readJson(client, "futu://orderbook/hk.700");
  assertEquals([book.symbol, book.columns, (book.asks as unknown[]).length], [
    "HK.00700",
    ["price", "volume", "orders"],
    10,
  ]);

  // Bad URIs name what is wrong; the session keeps serving.
  const cases: [string, string][] = [
    ["futu://quote/00700", 'expected "<MARKET>.<CODE>"'],
    ["futu://quote/XX.1", 'unknown market "XX"'],
    ["futu://account/abc/orders", 'acc_id "abc" is not a decimal integer id'],
    ["futu://account/6234567/trades", 'unknown account view "trades"'],
    ["https://example.com/x", "unknown resource URI"],
    ["futu://account/1/orders", "acc_id 1 is not an account this key may read"],
  ];
  for (const [uri, text] of cases) {
    const error = await mcpError(client.readResource({ uri }));
    assertEquals(error.code, -32602, uri);
    assert(error.message.includes(text), `${uri}: ${error.message}`);
  }
  const unknown = await mcpError(client.readResource({ uri: "futu://quote/HK.99999" }));
  assert(/unknown stock/i.test(unknown.message), unknown.message);
  await mcpError(client.subscribeResource({ uri: "futu://quote/nonsense" }));

  await subscriptionStory(client, sim, async () => {
    const placed = await client.callTool({
      name: "futu_place_order",
      arguments: { symbol: "HK.00700", side: "BUY", qty: 100, order_type: "MARKET" },
    });
    assert(!placed.isError, JSON.stringify(placed.content));
  });
});

Deno.test("resources over stdio: updated after a price move and after a fill", async () => {
  await using sim = await startSim();
  await using mcp = await spawnStdio(["--gateway", sim.address, "--enable-trading"]);
  const { client } = mcp;
  assertEquals(client.getServerCapabilities()?.resources, { subscribe: true });
  await subscriptionStory(client, sim, async () => {
    const placed = await client.callTool({
      name: "futu_place_order",
      arguments: { symbol: "HK.00700", side: "BUY", qty: 100, order_type: "MARKET" },
    });
    assert(!placed.isError, JSON.stringify(placed.content));
  });
  assertEquals(mcp.transportErrors().map((e) => e.message), []);
});

Deno.test("resources: one watch per symbol or account, shared by its URIs and stopped with the last", async () => {
  await using sim = await startSim();
  const gateway = await connect(sim);
  try {
    const services = createServices(gateway, {
      passwords: { description: "none", read: () => Promise.resolve(undefined) },
    });
    const reader = new ToolGuard({ tools: ALL_TOOLS.filter(isReadOnly), services, log: () => {} });
    const updated: string[] = [];
    const session = new ResourceSession({ reader, sinkId: "res-test", updated: (uri) => updated.push(uri) });
    // The hub's channel of this session's key (none configured: "").
    const channel = { id: "res-test:", caller: "", send: () => {} };
    const watching = () => services.pushes.watching(channel);

    await session.subscribe(ACCOUNT("orders"), {});
    await session.subscribe(ACCOUNT("positions"), {});
    await session.subscribe(QUOTE, {});
    await session.subscribe("futu://quote/hk.700", {}); // another spelling of the same quote
    await session.subscribe("futu://orderbook/HK.00700", {});
    assertEquals(watching(), { pairs: ["HK.00700|QUOTE", "HK.00700|ORDER_BOOK"], accounts: [PAPER] });
    await session.unsubscribe(ACCOUNT("orders"), {});
    await session.unsubscribe(QUOTE, {});
    assertEquals(watching(), { pairs: ["HK.00700|QUOTE", "HK.00700|ORDER_BOOK"], accounts: [PAPER] });
    await session.unsubscribe(ACCOUNT("positions"), {});
    await session.unsubscribe("futu://quote/hk.700", {});
    assertEquals(watching(), { pairs: ["HK.00700|ORDER_BOOK"], accounts: [] });

    // A resource announced once stays announced until it is read: a burst of book pushes is one update.
    // A probe on the same hub sees each push after the session did (one dispatch, subscribers in order).
    const probe: unknown[] = [];
    await services.pushes.watchQuotes({ id: "probe:", caller: "", send: (p) => probe.push(p) }, ["HK.00700"], [
      "ORDER_BOOK",
    ]);
    const move = async (what: string) => {
      const seen = probe.length;
      sim.clock.advance(5 * 60_000);
      await eventually(() => probe.length > seen, WAIT_MS, what);
    };
    for (let i = 0; i < 3; i++) await move(`book push ${i}`);
    assertEquals(updated, ["futu://orderbook/HK.00700"], "three pushes, one update");
    await session.read("futu://orderbook/HK.00700", {});
    await move("book push after the read");
    assertEquals(updated, ["futu://orderbook/HK.00700", "futu://orderbook/HK.00700"], "announced again once read");
    await session.unsubscribe("futu://orderbook/HK.00700", {});
    assertEquals(watching(), { pairs: [], accounts: [] });

    // At most 100 URIs per session, here 101 spellings of one quote (characters percent-encoded or not).
    const spelling = (mask: number) =>
      `futu://quote/${
        [..."HK.00700"].map((c, i) => mask & (1 << i) ? `%${c.charCodeAt(0).toString(16)}` : c).join("")
      }`;
    for (let mask = 0; mask < 100; mask++) await session.subscribe(spelling(mask), {});
    assertEquals(watching(), { pairs: ["HK.00700|QUOTE"], accounts: [] }, "one watch for them all");
    const full = await assertRejects(() => session.subscribe(spelling(100), {}));
    assertEquals(full.message, "at most 100 resource subscriptions per session: unsubscribe from some first");
    for (let mask = 0; mask < 100; mask++) await session.unsubscribe(spelling(mask), {});
    assertEquals(watching(), { pairs: [], accounts: [] });
  } finally {
    await gateway.close();
  }
});

/** A keyed HTTP futu-mcp: viewer (quotes and paper account 6234567), quotes only, accounts only, and a trader. */
async function keyedApp() {
  const sim = await startSim();
  const dir = await tempDir("resources");
  const viewer = generateKey({ id: "viewer", scopes: ["qot:read", "acc:read"], limits: { allowedAccIds: [PAPER] } });
  const quotes = generateKey({ id: "quotes", scopes: ["qot:read"] });
  const accounts = generateKey({ id: "accounts", scopes: ["acc:read"] });
  const trader = generateKey({ id: "trader", scopes: ["trade:simulate", "acc:read"] });
  const records = [viewer.record, quotes.record, accounts.record, trader.record];
  const keysFile = `${dir}/keys.json`;
  await writeKeysFile(keysFile, records);
  const app = await startHttpApp(["--gateway", sim.address, "--keys-file", keysFile, "--state-dir", `${dir}/state`]);
  const as = (key: { plaintext: string }) => connectHttp(app.url, { authorization: `Bearer ${key.plaintext}` });
  return {
    sim,
    app,
    as,
    keys: { viewer, quotes, accounts, trader },
    /** Rewrites keys.json with the viewer's scopes changed, and reloads it. */
    async setViewerScopes(scopes: ("qot:read" | "acc:read")[]) {
      const changed = { ...viewer.record, scopes: new Set(scopes) };
      await writeKeysFile(keysFile, [changed, quotes.record, accounts.record, trader.record]);
      assertEquals(await app.access.reload(), undefined);
    },
    async [Symbol.asyncDispose]() {
      await app.close();
      await sim.close();
    },
  };
}

Deno.test("resources with keys: only the key's accounts, refusals with the key's reason, pushes stop when rights go", async () => {
  await using server = await keyedApp();
  const { keys, as, app } = server;
  await using viewer = await as(keys.viewer);
  await using quotesOnly = await as(keys.quotes);
  await using accountsOnly = await as(keys.accounts);
  await using trader = await as(keys.trader);

  const listed = (await viewer.listResources()).resources.map((r) => r.uri);
  assertEquals(listed.filter((u) => u.startsWith("futu://account/")), [
    ACCOUNT("positions"),
    ACCOUNT("orders"),
    ACCOUNT("funds"),
  ]);
  assert(listed.includes(QUOTE), "the viewer's watchlist quotes");
  const quoteResources = (await quotesOnly.listResources()).resources.map((r) => r.uri);
  assert(quoteResources.length > 0 && quoteResources.every((u) => u.startsWith("futu://quote/")), "no acc:read");
  const accountResources = (await accountsOnly.listResources()).resources.map((r) => r.uri);
  assertEquals(accountResources.length, 15, "acc:read without qot:read: the accounts and no watchlist");

  const other = await mcpError(viewer.readResource({ uri: ACCOUNT("orders", "6234568") }));
  assert(other.message.includes("acc_id 6234568 is not an account this key may read"), other.message);
  const refused = await mcpError(viewer.subscribeResource({ uri: ACCOUNT("orders", "6234568") }));
  assertEquals(refused.code, -32600);
  assertEquals(refused.message, "MCP error -32600: forbidden: account 6234568 is not in this key's allowed accounts");
  assertEquals(refused.data, { code: "forbidden" });
  const noQuotes = await mcpError(accountsOnly.subscribeResource({ uri: QUOTE }));
  assert(noQuotes.message.includes('unauthorized: key "accounts" lacks scope qot:read'), noQuotes.message);
  const noQuoteRead = await mcpError(accountsOnly.readResource({ uri: QUOTE }));
  assert(noQuoteRead.message.includes("lacks scope qot:read"), noQuoteRead.message);
  const noAccounts = await mcpError(quotesOnly.readResource({ uri: ACCOUNT("funds") }));
  assert(noAccounts.message.includes('key "quotes" lacks scope acc:read'), noAccounts.message);
  await mcpError(quotesOnly.subscribeResource({ uri: ACCOUNT("funds") }));
  assert((await viewer.readResource({ uri: ACCOUNT("funds") })).contents.length === 1, "the session kept serving");

  const updates = new Updates(viewer);
  await viewer.subscribeResource({ uri: ACCOUNT("orders") });
  await viewer.subscribeResource({ uri: QUOTE });
  const buy = async () => {
    const placed = await trader.callTool({
      name: "futu_place_order",
      arguments: { acc_id: PAPER, symbol: "HK.00700", side: "BUY", qty: 100, order_type: "MARKET" },
    });
    assert(!placed.isError, JSON.stringify(placed.content));
  };
  await buy();
  await readUntil(viewer, updates, ACCOUNT("orders"), (b) => rowsOf(b)[0]?.[4] === "FILLED_ALL", "the trader's fill");

  // acc:read taken away: the order pushes to the viewer are dropped at dispatch (and counted), none announced.
  await server.setViewerScopes(["qot:read"]);
  const metrics = app.access.metrics!;
  const dropped = async () => {
    const { values } = await metrics.pushFiltered.get();
    const label = metrics.keyLabel("viewer");
    return values.filter((v) => v.labels.key_id === label && v.labels.required_scope === "acc:read")
      .reduce((sum, v) => sum + v.value, 0);
  };
  // A quote update, still allowed, comes after every notification sent before it on the session's one stream.
  const quoteMoved = async (what: string) => {
    const seen = updates.count(QUOTE);
    await readJson(viewer, QUOTE);
    server.sim.clock.advance(90_000);
    await updates.after(QUOTE, seen, what);
  };
  await quoteMoved("a quote update after the reload");
  const seen = updates.count(ACCOUNT("orders"));
  const droppedBefore = await dropped();
  await buy();
  await eventually(async () => (await dropped()) > droppedBefore, WAIT_MS, "the viewer's pushes dropped");
  await quoteMoved("a quote update after the drop");
  assertEquals(updates.count(ACCOUNT("orders")), seen, "no update once the key lost acc:read");
  const gone = await mcpError(viewer.readResource({ uri: ACCOUNT("orders") }));
  assert(gone.message.includes('key "viewer" lacks scope acc:read'), gone.message);
});
