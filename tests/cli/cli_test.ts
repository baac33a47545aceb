/**
 * futucli as a real process against the simulator: every command, its JSON
 * output, its exit codes, and keys.json as futu-mcp reads it.
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { PAPER_HK, REAL_HK, startSim } from "../helpers/sim.ts";
import { futucli } from "../helpers/cli.ts";
import { tempDir } from "../helpers/tmp.ts";
import { KeyStore, machineFingerprint, readKeysFile } from "../../src/access/keys.ts";
import { freePort } from "../helpers/net.ts";

const ID_PATTERN = /^\d+$/;

Deno.test("futucli market data commands print stable JSON", async (t) => {
  await using sim = await startSim();
  const run = (...args: string[]) => futucli(["--gateway", sim.address, "-o", "json", ...args]);

  await t.step("ping", async () => {
    const ping = (await run("ping")).json<{ state: string; markets: Record<string, string> }>();
    assertEquals(ping.state, "ready");
    assertEquals(ping.markets.HK, "MORNING");
  });
  await t.step("quote, snapshot, static take several symbols", async () => {
    const quotes = (await run("quote", "HK.00700", "US.AAPL")).json<{ quotes: { symbol: string; price: number }[] }>();
    assertEquals(quotes.quotes.map((q) => q.symbol), ["HK.00700", "US.AAPL"]);
    assert(quotes.quotes.every((q) => q.price > 0));
    const snapshots = (await run("snapshot", "HK.00700")).json<{ snapshots: { symbol: string }[] }>();
    assertEquals(snapshots.snapshots[0].symbol, "HK.00700");
    const statics = (await run("static", "HK.00700", "SH.600519")).json<{ securities: { lot_size: number }[] }>();
    assertEquals(statics.securities.map((s) => s.lot_size), [100, 100]);
  });
  await t.step("kline: latest rows, and a date range fetched page by page, quietly in a pipe", async () => {
    const latest = (await run("kline", "HK.00700", "--count", "5")).json<{ columns: string[]; rows: unknown[][] }>();
    assertEquals(latest.rows.length, 5);
    assertEquals(latest.columns[0], "time");
    const range = await run("kline", "HK.00700", "--type", "K_1M", "--begin", "2026-01-01", "--count", "25000");
    assertEquals(range.code, 0, range.stderr);
    const rows = range.json<{ rows: [string][]; next_page?: string }>().rows;
    assertEquals(rows.length, 25000, "three pages of at most 10 000 rows, merged");
    assert(rows.every((row, i) => i === 0 || row[0] > rows[i - 1][0]), "in time order, no repeats across pages");
    assertEquals(range.stderr, "", "no progress output in a pipe");
  });
  await t.step("orderbook, ticker, rt, broker", async () => {
    const book = (await run("orderbook", "HK.00700", "--depth", "3")).json<{ asks: unknown[]; bids: unknown[] }>();
    assertEquals([book.asks.length, book.bids.length], [3, 3]);
    const ticker = (await run("ticker", "HK.00700", "--count", "7")).json<{ rows: unknown[] }>();
    assertEquals(ticker.rows.length, 7);
    assert((await run("rt", "HK.00700")).json<{ rows: unknown[] }>().rows.length > 0);
    const broker = (await run("broker", "HK.00700")).json<{ bids: unknown[]; asks: unknown[] }>();
    assert(broker.bids.length > 0 && broker.asks.length > 0);
  });
  await t.step("plates and their stocks", async () => {
    const plates = (await run("plates", "HK")).json<{ rows: string[][] }>();
    assert(plates.rows.some((row) => row[0] === "HK.BK1910"));
    const stocks = (await run("plate-stocks", "HK.BK1910")).json<{ rows: string[][] }>();
    assert(stocks.rows.some((row) => row[0] === "HK.00700"));
  });
  await t.step("jsonl prints one object per row, table aligns columns", async () => {
    const lines = (await futucli(["--gateway", sim.address, "-o", "jsonl", "quote", "HK.00700", "US.AAPL"])).stdout
      .trim().split("\n").map((line) => JSON.parse(line));
    assertEquals(lines.map((q) => q.symbol), ["HK.00700", "US.AAPL"]);
    const table = (await futucli(["--gateway", sim.address, "quote", "HK.00700", "US.AAPL"])).stdout.split("\n");
    assert(table[0].startsWith("symbol") && table[1].startsWith("HK.00700"), table.join("\n"));
    // Cells are runs of text two or more spaces apart; each column's cells start (text) or end (numbers) together.
    const cells = table.filter((line) => line !== "").map((line) =>
      [...line.matchAll(/\S+(?: \S+)*/g)].map((m) => ({ text: m[0], start: m.index!, end: m.index! + m[0].length }))
    );
    assertEquals(cells.length, 3, table.join("\n"));
    assert(cells.every((row) => row.length === cells[0].length), `a row has other cells:\n${table.join("\n")}`);
    for (const [i, header] of cells[0].entries()) {
      const starts = new Set(cells.map((row) => row[i].start));
      const ends = new Set(cells.map((row) => row[i].end));
      assert(starts.size === 1 || ends.size === 1, `column ${header.text} is not aligned:\n${table.join("\n")}`);
    }
    const price = cells[0].findIndex((c) => c.text === "price");
    assertEquals(new Set(cells.map((row) => row[price].end)).size, 1, "numbers are right-aligned");
  });
  await t.step("bad input: usage errors exit 2 and name the problem", async () => {
    const bad = await run("quote", "XX.BAD");
    assertEquals(bad.code, 2);
    assert(bad.stderr.includes('unknown market "XX"'), bad.stderr);
    assertEquals(bad.stdout, "");
    assertEquals((await run("quote")).code, 2, "missing argument");
    assertEquals((await run("no-such-command")).code, 2);
    assertEquals((await futucli(["-o", "yaml", "ping"])).code, 2);
    const depth = await run("orderbook", "HK.00700", "--depth", "x");
    assertEquals(depth.code, 2);
    assert(depth.stderr.includes("--depth must be a whole number above 0, got x"), depth.stderr);
  });
});

Deno.test("futucli account and trade commands; REAL writes need --confirm", async (t) => {
  await using sim = await startSim({ rateLimits: false });
  const run = (...args: string[]) => futucli(["--gateway", sim.address, "-o", "json", ...args]);

  await t.step("accounts: 64-bit ids as exact strings", async () => {
    const accounts = (await run("accounts")).json<{ accounts: { acc_id: string; env: string }[] }>().accounts;
    assert(accounts.some((a) => a.acc_id === REAL_HK.accId && a.env === "REAL"), JSON.stringify(accounts));
    assert(accounts.some((a) => a.acc_id === "9007199254740993"), "2^53 + 1 survives");
    assert(accounts.every((a) => typeof a.acc_id === "string" && ID_PATTERN.test(a.acc_id)));
  });
  await t.step("funds and positions of a REAL account need no confirmation to read", async () => {
    const funds = (await run("funds", "--env", "real", "--acc-id", REAL_HK.accId)).json<
      { funds: { currency: string; total_assets: number } }
    >();
    assert(funds.funds.total_assets > 0);
    const positions = (await run("positions", "--env", "real", "--acc-id", REAL_HK.accId)).json<{ rows: string[][] }>();
    assertEquals(positions.rows[0][0], "HK.00700");
  });
  await t.step("preview-order: the notional in the account's currency, placing nothing", async () => {
    const before = (await run("orders", "--env", "real", "--acc-id", REAL_HK.accId)).json<{ rows: unknown[] }>();
    const preview = (await run(
      "preview-order",
      "US.AAPL",
      "BUY",
      "10",
      "--price",
      "200",
      "--env",
      "real",
      "--acc-id",
      REAL_HK.accId,
    )).json<{ env: string; notional: number; currency: string; notional_in_account_currency: number }>();
    assertEquals([preview.env, preview.notional, preview.currency], ["REAL", 2000, "USD"]);
    assertEquals(preview.notional_in_account_currency, 15600, "in the account's HKD at the simulator's 7.8");
    const after = (await run("orders", "--env", "real", "--acc-id", REAL_HK.accId)).json<{ rows: unknown[] }>();
    assertEquals(after.rows.length, before.rows.length);
    const text = await futucli(["--gateway", sim.address, "preview-order", "HK.00700", "BUY", "150", "--price", "300"]);
    assert(text.stdout.includes("not a multiple of the lot size 100"), text.stdout);
  });
  let orderId = "";
  await t.step("place-order (simulated by default), then it is listed", async () => {
    const placed = (await run("place-order", "HK.00700", "BUY", "100", "--price", "380")).json<
      { order_id: string; env: string; acc_id: string }
    >();
    assert(ID_PATTERN.test(placed.order_id));
    assertEquals([placed.env, placed.acc_id], ["SIMULATE", PAPER_HK.accId]);
    orderId = placed.order_id;
    const orders = (await run("orders", "--order-id", orderId)).json<{ columns: string[]; rows: unknown[][] }>();
    assertEquals(orders.rows.length, 1);
    assertEquals(orders.rows[0][orders.columns.indexOf("price")], 380);
  });
  await t.step("modify-order and cancel-order", async () => {
    const modified = await run("modify-order", orderId, "--price", "381", "--qty", "200");
    assertEquals(modified.code, 0, modified.stderr);
    const orders = (await run("orders", "--order-id", orderId)).json<{ columns: string[]; rows: unknown[][] }>();
    assertEquals(orders.rows[0][orders.columns.indexOf("qty")], 200);
    assertEquals((await run("cancel-order", orderId)).code, 0);
    const after = (await run("orders", "--order-id", orderId)).json<{ columns: string[]; rows: unknown[][] }>();
    assert(String(after.rows[0][after.columns.indexOf("status")]).startsWith("CANCELLED"));
  });
  await t.step("a REAL account without --confirm is refused (exit 3), whatever --env says", async () => {
    const before = (await run("orders", "--env", "real", "--acc-id", REAL_HK.accId)).json<{ rows: unknown[] }>();
    const refused = await run("place-order", "HK.00700", "BUY", "100", "--price", "380", "--env", "real");
    assertEquals(refused.code, 3);
    assert(refused.stderr.includes("add --confirm"), refused.stderr);
    const after = (await run("orders", "--env", "real", "--acc-id", REAL_HK.accId)).json<{ rows: unknown[] }>();
    assertEquals(after.rows.length, before.rows.length, "nothing reached OpenD");
  });
  await t.step("with --confirm it reaches OpenD, which refuses a locked account (exit 5)", async () => {
    const locked = await run("place-order", "HK.00700", "BUY", "100", "--price", "380", "--env", "real", "--confirm");
    assertEquals(locked.code, 5);
    assert(locked.stderr.includes("unlock"), locked.stderr);
    assert(locked.stderr.includes("futucli unlock-trade"), "hints name futucli's commands");
  });
  await t.step("a write whose reply is lost exits 6 and is not re-sent", async () => {
    const before = (await run("orders")).json<{ rows: unknown[] }>().rows.length;
    sim.faults.closeBeforeNextReply("Trd_PlaceOrder");
    const lost = await run("place-order", "HK.00700", "BUY", "100", "--price", "380");
    assertEquals(lost.code, 6, lost.stderr);
    assert(lost.stderr.includes("futucli orders"), lost.stderr);
    assertEquals((await run("orders")).json<{ rows: unknown[] }>().rows.length, before + 1, "placed exactly once");
  });
  await t.step("an unreachable OpenD exits 4", async () => {
    const port = freePort();
    const down = await futucli(["--gateway", `127.0.0.1:${port}`, "ping"]);
    assertEquals(down.code, 4);
    assert(down.stderr.includes(`cannot connect to OpenD at 127.0.0.1:${port}`), down.stderr);
  });
});

Deno.test("futucli key lifecycle: keys.json as futu-mcp reads it, never a hash in the output", async (t) => {
  const dir = await tempDir("cli-keys");
  const keysFile = `${dir}/keys.json`;
  const env = { FUTU_MACHINE_ID: "machine-a" };
  const run = (...args: string[]) => futucli(["-o", "json", ...args, "--keys-file", keysFile], { env });
  const store = async () => new KeyStore(await readKeysFile(keysFile));
  let plaintext = "";

  await t.step("gen-key: the plaintext once, the hash only in the file (0600), a real MCP config", async () => {
    const made = await run(
      "gen-key",
      "--id",
      "bot",
      "--scopes",
      "qot:read,acc:read,trade:simulate",
      "--max-order-value",
      "50000",
      "--allowed-markets",
      "HK,US",
      "--expires",
      "30d",
      "--price-collar-pct",
      "5",
      "--confirm-real",
      "token",
    );
    assertEquals(made.code, 0, made.stderr);
    const out = made.json<
      { plaintext: string; mcp_config: { futu_mcp: { command: string; args: string[]; found: string } } }
    >();
    plaintext = out.plaintext;
    assert(/^fc_[0-9a-f]{64}$/.test(plaintext));
    const verdict = (await store()).verify(plaintext, undefined);
    assert(verdict.ok);
    assertEquals(verdict.record.limits.maxOrderValue, 50000);
    assertEquals(verdict.record.limits.priceCollarPct, 5);
    assertEquals(verdict.record.confirmReal, "token");
    assert(!made.stdout.includes(verdict.record.hash), "the hash is never printed");
    assertEquals((await Deno.stat(keysFile)).mode! & 0o777, 0o600);
    const server = out.mcp_config.futu_mcp;
    assertEquals(server.found, "from source", "no futu-mcp binary here: Deno runs this checkout's main.ts");
    assert(/^\/.*\/deno(\.exe)?$/.test(server.command), `the Deno that runs futucli: ${server.command}`);
    const main = server.args.find((a) => a.endsWith("/main.ts"))!;
    assertEquals(main, `${Deno.cwd()}/main.ts`);
    assert((await Deno.stat(main)).isFile);
    assert(server.args.includes(`${Deno.cwd()}/${keysFile}`), "the keys file as an absolute path");
  });
  await t.step("bad flags and duplicates exit 2 and leave the file alone", async () => {
    const before = await Deno.readTextFile(keysFile);
    assertEquals((await run("gen-key", "--id", "bot", "--scopes", "qot:read")).code, 2);
    const scope = await run("gen-key", "--id", "x", "--scopes", "qot:write");
    assertEquals(scope.code, 2);
    assert(scope.stderr.includes('unknown scope "qot:write"'));
    const hours = await run("gen-key", "--id", "x", "--scopes", "qot:read", "--hours-window", "9-17");
    assertEquals(hours.code, 2);
    assert(hours.stderr.includes("hours_window"), hours.stderr);
    assertEquals((await run("gen-key", "--id", "x", "--scopes", "qot:read", "--expires", "soon")).code, 2);
    const confirm = await run("gen-key", "--id", "x", "--scopes", "trade:real", "--confirm-real", "ask");
    assertEquals(confirm.code, 2);
    assert(confirm.stderr.includes("elicit, token, none"), confirm.stderr);
    assertEquals(await Deno.readTextFile(keysFile), before);
  });
  await t.step("list-keys: ids, scopes, limits, never hashes", async () => {
    const listed = await run("list-keys");
    const keys = listed.json<{ keys: Record<string, unknown>[] }>().keys;
    assertEquals(keys.map((k) => k.id), ["bot"]);
    assertEquals(keys[0].max_order_value, 50000);
    assertEquals(keys[0].confirm_real, "token");
    assert(!("hash" in keys[0]));
    const table = await futucli(["list-keys", "--keys-file", keysFile]);
    assert(table.stdout.includes("mkt=HK+US,ord=50k,collar=5%"), table.stdout);
  });
  await t.step("rotate-key: a new plaintext, same record; the old one stops working", async () => {
    const rotated = (await run("rotate-key", "--id", "bot")).json<{ plaintext: string }>();
    assert(rotated.plaintext !== plaintext);
    const keys = await store();
    assert(keys.verify(rotated.plaintext, undefined).ok);
    assertEquals(keys.verify(plaintext, undefined).ok, false);
    assertEquals(keys.get("bot")!.limits.maxOrderValue, 50000);
    plaintext = rotated.plaintext;
  });
  await t.step("bind-key and machine-id agree on the fingerprint; freeze and clear", async () => {
    const fingerprint = (await futucli(["-o", "json", "machine-id", "--for-key", "bot"], { env })).json<
      { fingerprint: string }
    >().fingerprint;
    assertEquals(fingerprint, machineFingerprint("bot", "machine-a"));
    assertEquals((await run("bind-key", "bot", "--this-machine")).code, 0);
    assertEquals((await store()).verify(plaintext, "machine-a").ok, true);
    assertEquals((await store()).verify(plaintext, "machine-b").ok, false);
    assertEquals((await run("bind-key", "bot", "--machines", "fp_other")).json().allowed_machines, [
      fingerprint,
      "fp_other",
    ]);
    assertEquals((await run("bind-key", "bot", "--replace", "--machines", "fp_other")).json().allowed_machines, [
      "fp_other",
    ]);
    assertEquals((await run("bind-key", "bot", "--freeze")).json().allowed_machines, []);
    assertEquals((await run("bind-key", "bot", "--clear")).json().allowed_machines, null);
    assertEquals((await run("bind-key", "bot", "--clear", "--freeze")).code, 2, "modes are exclusive");
    assertEquals((await run("bind-key", "bot")).code, 2, "a mode or machines is required");
  });
  await t.step("revoke-key sends SIGHUP to the process of --pid-file; unknown ids exit 2", async () => {
    const stand_in = new Deno.Command("sleep", { args: ["30"] }).spawn();
    const pidFile = `${dir}/futu-mcp.pid`;
    await Deno.writeTextFile(pidFile, `${stand_in.pid}\n`);
    const revoked = await run("revoke-key", "--id", "bot", "--pid-file", pidFile);
    assertEquals(revoked.json<{ reload: { reloaded: boolean } }>().reload.reloaded, true);
    assertEquals((await stand_in.status).signal, "SIGHUP");
    assertEquals((await store()).size, 0);
    assertEquals((await run("revoke-key", "--id", "bot")).code, 2);
  });
});
