/**
 * The event-contracts toolset through a spawned futu-mcp over stdio and the
 * MCP SDK's client: every tool and view called, each result validated against
 * its listed output schema, the lists walked top down (what one level lists,
 * the next accepts), the quote views agreeing with one another (the tool
 * subscribes for the caller), combos quoted from listed contracts, bad
 * arguments refused by name.
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { spawnValidated } from "../helpers/mcp.ts";
import { EVENT_CONTRACT_TOOLS } from "../../src/tools/event_contracts.ts";

type Cell = string | number | boolean | null;
type Table = { columns: string[]; rows: Cell[][] };
const SIM = ["--gateway", "sim", "--sim-clock", "2026-11-26T10:30:40+08:00"];

/** The rows of a table (a list of flat records) or a list of records (records with lists), as records. */
const records = (t: Table | Record<string, unknown>[]): Record<string, unknown>[] =>
  Array.isArray(t) ? t : t.rows.map((r) => Object.fromEntries(t.columns.map((c, i) => [c, r[i]])));

Deno.test("event contract tools over stdio: every tool and view, consistent results, bad arguments named", async () => {
  await using mcp = await spawnValidated([...SIM, "--toolsets", "event-contracts,quote"]);
  const { tools, call, failure, called } = mcp;
  const names = new Set(tools.map((t) => t.name));
  for (const tool of EVENT_CONTRACT_TOOLS) assert(names.has(tool.name), `${tool.name} listed`);
  const browse = "futu_browse_event_contracts", quote = "futu_get_event_contract_quote";

  // Top down: category → series → events → contracts, each level's ids accepted by the next.
  const categories = await call<{ category_list: Record<string, unknown>[] }>(browse, { level: "categories" });
  assert(records(categories.category_list).some((c) => c.category === "ECONOMICS"));
  const competitions = await call<{ tag_filter_list: Record<string, unknown>[] }>(browse, {
    level: "competitions",
    category: "SPORTS",
  });
  assert(records(competitions.tag_filter_list).some((c) => c.tag === "SOCCER"));
  const series = await call<{ series_list: Record<string, unknown>[] }>(browse, {
    level: "series",
    category: "ECONOMICS",
  });
  const seriesCodes = records(series.series_list).map((s) => s.series_security);
  assert(seriesCodes.includes("EC.KXFEDDECISION"), JSON.stringify(seriesCodes));
  const events = await call<{ event_list: Record<string, unknown>[]; next_page: string }>(browse, {
    level: "events",
    series: "EC.KXFEDDECISION",
    status: "EVENT_ACTIVE",
  });
  const [event] = records(events.event_list);
  assertEquals(event.series_security, "EC.KXFEDDECISION");
  assertEquals(event.status, "EVENT_ACTIVE");
  const contracts = await call<{ contract_list: Table; recommend_contracts: Table }>(browse, {
    level: "contracts",
    event: event.event_security,
  });
  const list = records(contracts.contract_list);
  assert(list.length >= 3 && list.every((c) => c.event_security === event.event_security && c.status === "ACTIVE"));
  const milestones = await call<{ milestone_list: unknown[] }>(browse, {
    level: "milestones",
    competition: "EPL",
    count: 2,
  });
  assert(milestones.milestone_list.length === 2);
  const paged = await call<{ event_list: { event_security: string }[]; next_page: string }>(browse, {
    level: "events",
    series: "EC.KXNBAGAME",
    count: 2,
  });
  assertEquals(paged.event_list.length, 2);
  const second = await call<{ event_list: { event_security: string }[] }>(browse, {
    level: "events",
    series: "EC.KXNBAGAME",
    count: 2,
    next_page: paged.next_page,
  });
  assert(second.event_list[0].event_security !== paged.event_list[1].event_security, "the next page moves on");

  // Quotes: a snapshot of the whole event adds up; the book, ticker and bars agree with it.
  const symbols = list.map((c) => c.contract_security as string);
  const snap = await call<{ snapshot_list: Table }>(quote, { symbols });
  const snaps = records(snap.snapshot_list);
  assertEquals(snaps.map((s) => s.code), symbols);
  const mids = snaps.reduce((a, s) => a + ((s.yes_bid as number) + (s.yes_ask as number)) / 2, 0);
  assert(Math.abs(mids - 1) <= 0.02 * symbols.length, `an exclusive event's mids add up to 1: ${mids}`);
  const one = [symbols[0]];
  const book = await call<{ order_book_list: { yes_bids: Table; yes_asks: Table; no_bids: Table }[] }>(quote, {
    symbols: one,
    view: "order_book",
    count: 3,
  });
  const [levels] = book.order_book_list;
  assertEquals(levels.yes_bids.rows.length, 3);
  const [bid, ask] = [levels.yes_bids.rows[0][0] as number, levels.yes_asks.rows[0][0] as number];
  assert(bid < ask, "YES bid below YES ask");
  assert(Math.abs((levels.no_bids.rows[0][0] as number) + ask - 1) < 1e-9, "NO bid = 1 − YES ask");
  const ticker = await call<{ ticker_list: { ticker_list: Table }[] }>(quote, {
    symbols: one,
    view: "ticker",
    count: 5,
  });
  const prints = records(ticker.ticker_list[0].ticker_list);
  assertEquals(prints.length, 5);
  assert(prints.every((p) => Math.abs((p.yes_price as number) + (p.no_price as number) - 1) < 1e-9));
  const kline = await call<{ kline_list: { pre_side: string; kline_list: Table }[] }>(quote, {
    symbols: one,
    view: "kline",
    kl_type: "K_1M",
    side: "NO",
    count: 5,
  });
  assertEquals(kline.kline_list[0].pre_side, "NO");
  const bars = records(kline.kline_list[0].kline_list);
  assertEquals(bars.length, 5);
  // The clock moves: a trade may print between the two calls, so the close mirrors the last trade before or after.
  const after = await call<{ ticker_list: { ticker_list: Table }[] }>(quote, {
    symbols: one,
    view: "ticker",
    count: 1,
  });
  const lastYes = [
    prints.at(-1)!.yes_price as number,
    records(after.ticker_list[0].ticker_list)[0].yes_price as number,
  ];
  const noClose = bars.at(-1)!.close as number;
  assert(
    lastYes.some((p) => Math.abs(noClose + p - 1) < 1e-9),
    `the NO close ${noClose} mirrors the last YES trade ${lastYes}`,
  );
  const history = await call<{ next_req_key?: string; kline_list: { kline_list: Table }[] }>(quote, {
    symbols: one,
    view: "history_kline",
    kl_type: "K_60M",
    begin: "2026-11-20",
    end: "2026-11-25",
    count: 10,
  });
  assertEquals(history.kline_list[0].kline_list.rows.length, 10);
  assert(history.next_req_key, "more pages");
  const page2 = await call<{ kline_list: { kline_list: Table }[] }>(quote, {
    symbols: one,
    view: "history_kline",
    kl_type: "K_60M",
    begin: "2026-11-20",
    end: "2026-11-25",
    count: 10,
    next_req_key: history.next_req_key,
  });
  const keys = [...history.kline_list[0].kline_list.rows, ...page2.kline_list[0].kline_list.rows].map((r) =>
    r[0] as string
  );
  assertEquals(keys, [...keys].sort(), "pages continue in time order");
  assertEquals(new Set(keys).size, 20);
  await call(quote, { symbols: one, view: "kline", source: "ORDER_BOOK_YES" });

  // Combos from the list, quoted.
  const combo = await call<{ mvc: string; combo_event_list: { combo_contracts: string[] }[] }>(
    "futu_get_event_contract_combos",
    {
      category: "SPORTS",
    },
  );
  const [a, b] = combo.combo_event_list;
  const legs = [
    { symbol: a.combo_contracts[0], side: "YES" },
    { symbol: b.combo_contracts[0], side: "NO", trd_side: "BUY", qty_ratio: 1 },
  ];
  const rfq = await call<{ ask_price: number; quote_id: string; combo_leg_list: Table }>(
    "futu_get_event_contract_combos",
    {
      view: "rfq",
      mvc: combo.mvc,
      legs,
    },
  );
  assert(rfq.ask_price > 0 && rfq.ask_price < 1 && rfq.quote_id.startsWith("RFQ-"));
  assertEquals(records(rfq.combo_leg_list).map((l) => l.security), legs.map((l) => l.symbol));

  // Refusals name the argument (zod) or what OpenD refused.
  const noSeries = await failure(browse, { level: "events" });
  assert(noSeries.error.includes("series"), noSeries.error);
  const notEc = await failure(quote, { symbols: ["US.AAPL"] });
  assert(notEc.error.includes("EC.<code>"), notEc.error);
  const many = await failure(quote, { symbols, view: "order_book" });
  assert(many.error.includes("symbols"), many.error);
  const period = await failure(quote, { symbols: one, view: "kline", kl_type: "K_5M" });
  assert(period.error.includes("kl_type") && period.error.includes("K_60M"), period.error);
  const unknown = await failure(quote, { symbols: ["EC.KXFEDDECISION-26DEC30-X9"] });
  assert(unknown.error.includes("Unknown event contract security EC.KXFEDDECISION-26DEC30-X9"), unknown.error);
  const status = await failure(browse, { level: "events", series: "EC.KXCPIYOY", status: "ACTIVE" });
  assert(status.error.includes("status"), status.error);
  const oneLeg = await failure("futu_get_event_contract_combos", {
    view: "rfq",
    mvc: combo.mvc,
    legs: legs.slice(0, 1),
  });
  assert(oneLeg.error.includes("legs"), oneLeg.error);

  for (const tool of EVENT_CONTRACT_TOOLS) assert(called.has(tool.name), `${tool.name} called`);
});
