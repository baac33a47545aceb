/**
 * The tool schemas strict clients accept: a structural lint over every tool's
 * published input and output schema (no empty schema, no type array, no
 * construct Gemini's function-declaration mapping drops, ids as strings of
 * digits), every tool's real result validated against its published output
 * schema by the validator the MCP SDK client uses, and the MCP Inspector's
 * own `--strict` schema check reporting nothing.
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { childEnv, futuMcpCommand, spawnValidated } from "../helpers/mcp.ts";
import { tempDir } from "../helpers/tmp.ts";
import { z } from "zod";
import { ALL_TOOLS, selectTools } from "../../src/tools/inventory.ts";
import { describeTool } from "../../src/mcp/server.ts";
import { defineTool, READ_OPEND } from "../../src/tools/tool.ts";

type Json = Record<string, unknown>;

/** What an id's string schema must say on input. */
const ID_PATTERN = "^[0-9]{1,20}$";
/** Property names that hold a 64-bit id (`acc_id`, `order_id`, `order_id_ex`, `conn_id`…) or a list of them. */
const ID_NAME = /(^|_)id(_ex)?$/;
const IDS_NAME = /(^|_)ids$/;
/**
 * Keywords a client that maps tool schemas onto a single-type dialect (the
 * OpenAPI subset of Gemini function declarations) drops or rejects, or that
 * only draft 2020-12 validators understand.
 */
const NOT_PORTABLE = ["$ref", "$defs", "definitions", "oneOf", "allOf", "not", "if", "then", "else", "prefixItems"];
/**
 * The fields of the Schema object of Gemini function declarations (`@google/genai`'s `Schema`, the OpenAPI 3.0
 * subset), plus `additionalProperties`, which Gemini CLI's `parametersJsonSchema` passes as JSON Schema.
 */
const GEMINI_FIELDS = new Set([
  "anyOf",
  "default",
  "description",
  "enum",
  "example",
  "format",
  "items",
  "maximum",
  "maxItems",
  "maxLength",
  "maxProperties",
  "minimum",
  "minItems",
  "minLength",
  "minProperties",
  "nullable",
  "pattern",
  "properties",
  "propertyOrdering",
  "required",
  "title",
  "type",
  "additionalProperties",
]);

/** Every problem of one schema node and the nodes under it, as "path: what". */
function lintNode(node: unknown, path: string, input: boolean, problems: string[], name?: string): void {
  if (typeof node !== "object" || node === null || Array.isArray(node)) {
    problems.push(`${path}: ${JSON.stringify(node)} where a schema object is expected`);
    return;
  }
  const schema = node as Json;
  if (Array.isArray(schema.type)) problems.push(`${path}: type array ${JSON.stringify(schema.type)}`);
  else if (typeof schema.type !== "string" && !Array.isArray(schema.anyOf)) {
    problems.push(`${path}: empty schema (no type): ${JSON.stringify(schema)}`);
  }
  for (const key of NOT_PORTABLE) if (key in schema) problems.push(`${path}: "${key}" is not portable`);
  if (input && "anyOf" in schema) problems.push(`${path}: anyOf in an input schema`);
  if (input) {
    for (const key of Object.keys(schema)) {
      if (!GEMINI_FIELDS.has(key)) problems.push(`${path}: "${key}" is not in Gemini's schema subset`);
    }
    const values = schema.enum as unknown[] | undefined;
    if (values?.some((v) => typeof v !== "string")) problems.push(`${path}: enum of non-strings`);
  }
  if (name !== undefined && ID_NAME.test(name)) {
    if (schema.type !== "string") problems.push(`${path}: id "${name}" is not a string`);
    else if (input && schema.pattern !== ID_PATTERN) problems.push(`${path}: id "${name}" lacks pattern ${ID_PATTERN}`);
  }
  if (name !== undefined && IDS_NAME.test(name)) {
    const items = schema.items as Json | undefined;
    if (schema.type !== "array" || items?.type !== "string") problems.push(`${path}: ids "${name}" are not strings`);
    else if (input && items.pattern !== ID_PATTERN) problems.push(`${path}: ids "${name}" lack pattern ${ID_PATTERN}`);
  }
  for (const [key, sub] of Object.entries((schema.properties as Json | undefined) ?? {})) {
    lintNode(sub, `${path}.properties.${key}`, input, problems, key);
  }
  if ("items" in schema) lintNode(schema.items, `${path}.items`, input, problems);
  if ("additionalProperties" in schema && schema.additionalProperties !== false) {
    lintNode(schema.additionalProperties, `${path}.additionalProperties`, input, problems);
  }
  (schema.anyOf as unknown[] | undefined)?.forEach((sub, i) => lintNode(sub, `${path}.anyOf[${i}]`, input, problems));
}

/** The problems of a tools/list entry's two schemas. */
function lintTool(tool: { name: string; inputSchema: unknown; outputSchema?: unknown }): string[] {
  const problems: string[] = [];
  for (
    const [where, schema, input] of [["inputSchema", tool.inputSchema, true], [
      "outputSchema",
      tool.outputSchema,
      false,
    ]] as const
  ) {
    if ((schema as Json | undefined)?.type !== "object") problems.push(`${where}: not an object schema`);
    lintNode(schema, where, input, problems);
  }
  return problems.map((p) => `${tool.name} ${p}`);
}

Deno.test("every tool schema is portable: typed, no type arrays, no $ref/oneOf/prefixItems, ids as strings of digits", () => {
  const problems = ALL_TOOLS.flatMap((tool) => lintTool(describeTool(tool)));
  assertEquals(problems, []);
  // The lint looked at the ids it is about: every account and order argument.
  const ids = ALL_TOOLS.flatMap((tool) => {
    const properties = (describeTool(tool).inputSchema.properties ?? {}) as Record<string, Json>;
    return Object.keys(properties).filter((key) => ID_NAME.test(key) || IDS_NAME.test(key)).map((key) =>
      `${tool.name}.${key}`
    );
  });
  for (const id of ["futu_get_funds.acc_id", "futu_get_orders.order_id", "futu_cancel_order.order_id"]) {
    assert(ids.includes(id), `${id} among ${ids.join(", ")}`);
  }
  assert(ids.includes("futu_unlock_trade.acc_ids") && ids.includes("futu_watch_orders.acc_ids"), ids.join(", "));
});

Deno.test("the schema lint names each construct strict clients refuse", () => {
  // The shapes these tools had before: an id of string or number, rows and records of unknown.
  const bad = defineTool({
    name: "futu_bad",
    title: "Bad",
    description: "Bad schemas.",
    toolset: "quote",
    scope: "qot:read",
    annotations: READ_OPEND,
    input: z.strictObject({
      acc_id: z.union([z.string(), z.number()]),
      acc_ids: z.array(z.number()),
      level: z.literal([1, 2]),
      lot: z.int().multipleOf(100),
    }),
    output: z.object({
      order_id: z.number(),
      rows: z.array(z.array(z.unknown())),
      funds: z.record(z.string(), z.unknown()),
      pair: z.tuple([z.string(), z.number()]),
    }),
    run: () => Promise.reject(new Error("never run")),
    text: () => "",
  });
  const problems = lintTool(describeTool(bad));
  for (
    const expected of [
      "futu_bad inputSchema.properties.acc_id: anyOf in an input schema",
      'futu_bad inputSchema.properties.acc_id: id "acc_id" is not a string',
      'futu_bad inputSchema.properties.acc_ids: ids "acc_ids" are not strings',
      "futu_bad inputSchema.properties.level: enum of non-strings",
      `futu_bad inputSchema.properties.lot: "multipleOf" is not in Gemini's schema subset`,
      'futu_bad outputSchema.properties.order_id: id "order_id" is not a string',
      "futu_bad outputSchema.properties.rows.items.items: empty schema (no type): {}",
      "futu_bad outputSchema.properties.funds.additionalProperties: empty schema (no type): {}",
      'futu_bad outputSchema.properties.pair: "prefixItems" is not portable',
      "futu_bad outputSchema.properties.pair.items: false where a schema object is expected",
    ]
  ) {
    assert(problems.includes(expected), `missing "${expected}" in:\n${problems.join("\n")}`);
  }
  // describeTool spells zod's type arrays (nullable, primitive unions) as anyOf: the lint sees no type array.
  assert(!problems.some((p) => p.includes("type array")), problems.join("\n"));
  assertEquals(lintTool({ name: "t", inputSchema: { type: "object" }, outputSchema: { type: ["object", "null"] } }), [
    "t outputSchema: not an object schema",
    't outputSchema: type array ["object","null"]',
  ]);
});

/** One call per tool (two for some), with arguments that reach the optional parts of the results. */
const CALLS: [string, Record<string, unknown>][] = [
  ["futu_ping", {}],
  ["futu_get_quote", { symbols: ["HK.00700", "US.AAPL", "HK.28123", "US.AAPL270115C250000", "HK.800000"] }],
  ["futu_get_snapshot", { symbols: ["HK.00700", "HK.28123", "US.AAPL270115C250000", "HK.800000"] }],
  ["futu_get_kline", { symbol: "HK.00700", max_count: 5 }],
  ["futu_get_kline", { symbol: "HK.00700", begin: "2026-11-02", end: "2026-11-13", max_count: 3 }],
  ["futu_get_orderbook", { symbol: "HK.00700", depth: 3 }],
  ["futu_get_ticker", { symbol: "HK.00700", max_count: 5 }],
  ["futu_get_rt", { symbol: "HK.00700" }],
  ["futu_get_static", { symbols: ["HK.00700", "HK.28123", "US.AAPL270115C250000", "HK.800000"] }],
  ["futu_get_broker", { symbol: "HK.00700" }],
  ["futu_list_plates", { market: "HK" }],
  ["futu_plate_stocks", { plate: "HK.BK1910" }],
  ["futu_chart", { symbol: "HK.00700", ma: [5], position: true }],
  ["futu_list_accounts", {}],
  ["futu_get_funds", {}],
  ["futu_get_funds", { acc_id: "281756479345015383", env: "real" }],
  ["futu_get_positions", { acc_id: "281756479345015383", env: "real" }],
  ["futu_unlock_trade", { acc_ids: ["281756479345015383"] }],
  ["futu_preview_order", { symbol: "HK.00700", side: "BUY", qty: 100, price: 400 }],
  ["futu_preview_order", {
    acc_id: "281756479345015383",
    env: "real",
    symbol: "US.AAPL",
    side: "BUY",
    qty: 10,
    order_type: "MARKET",
  }],
  ["futu_place_order", { symbol: "HK.00700", side: "BUY", qty: 100, price: 400 }],
  // REAL: without elicitation, the answer is a preview with a confirm_token (the listed schema's other branch).
  ["futu_place_order", { symbol: "HK.00700", side: "BUY", qty: 100, order_type: "MARKET", env: "real" }],
  ["futu_get_orders", {}],
  ["futu_get_deals", { acc_id: "281756479345015383", env: "real" }],
  ["futu_watch_quotes", { symbols: ["HK.00700"] }],
  ["futu_watch_orders", { acc_ids: ["6234567"] }],
  ["futu_watch_orders", { acc_ids: ["6234567"], stop: true }],
];

Deno.test("every tool's real result validates against its published output schema, ids as strings", async () => {
  // Each result is checked by the validator the SDK client checks structuredContent with (the client checks too:
  // it has listed the tools).
  await using mcp = await spawnValidated(
    [
      ...["--gateway", "sim", "--sim-clock", "2026-11-26T10:30:00+08:00"],
      ...["--enable-trading", "--allow-real-trading", "--toolsets", "quote,account,trade,push"],
    ],
    { FUTU_TRADE_PWD: "123456" },
  );
  const { tools, check } = mcp;
  // The toolsets beyond these check their own results the same way (tests/mcp/*_tools_test.ts).
  const covered = selectTools({ toolsets: ["quote", "account", "trade", "push"] });
  assertEquals(tools.map((t) => t.name), covered.map((t) => t.name));

  const results = new Map<string, Json[]>();
  const call = async (name: string, args: Record<string, unknown>) => {
    const value = await mcp.call(name, args);
    results.set(name, [...results.get(name) ?? [], value]);
    return value;
  };
  for (const [name, args] of CALLS) {
    const value = await call(name, args);
    // A REAL write answers a preview first (validated above): repeating it with its token places it.
    if (value.status === "confirmation_required") await call(name, { ...args, confirm_token: value.confirm_token });
  }
  const placed = results.get("futu_place_order")![0].order_id as string;
  await call("futu_modify_order", { order_id: placed, op: "NORMAL", price: 401 });
  await call("futu_cancel_order", { order_id: placed });
  await call("futu_cancel_all_order", {});
  assertEquals([...results.keys()].sort(), covered.map((t) => t.name).sort(), "every tool was called");

  // The calls reached the optional parts: warrant and option terms, several currencies, order and fill rows.
  const snapshots = results.get("futu_get_snapshot")![0].snapshots as Json[];
  assert(snapshots.some((s) => s.warrant) && snapshots.some((s) => s.option), "warrant and option terms");
  const securities = results.get("futu_get_static")![0].securities as Json[];
  assert(securities.some((s) => s.warrant) && securities.some((s) => s.option), "static warrant and option terms");
  assert(Object.keys((results.get("futu_get_funds")![1].funds as Json).cash_by_currency as Json).length > 1);
  assert((results.get("futu_get_orders")![0].rows as unknown[]).length > 0, "orders to check the ids of");
  assert((results.get("futu_get_deals")![0].rows as unknown[]).length > 0, "fills to check the ids of");
  assert(results.get("futu_get_kline")![1].next_page !== undefined, "a history page with next_page");

  // Ids in tables are strings too (a cell may be a number, so the schema can't say it).
  for (const [name, values] of results) {
    for (const value of values) {
      const columns = value.columns as string[] | undefined;
      if (!columns) continue;
      const tables = ["rows", "bids", "asks"].map((key) => value[key] as unknown[][] | undefined).filter((t) => t);
      columns.forEach((column, i) => {
        if (!ID_NAME.test(column)) return;
        for (const row of tables.flat() as unknown[][]) {
          assert(typeof row[i] === "string" || row[i] === null, `${name} ${column} ${JSON.stringify(row[i])}`);
        }
      });
    }
  }

  // The validator refuses what the schemas rule out: a numeric id, a missing figure, an extra field, a bad cell.
  const funds = results.get("futu_get_funds")![0];
  assert(!check("futu_get_funds", { ...funds, acc_id: 6234567 }).valid, "numeric acc_id refused");
  assert(!check("futu_get_funds", { ...funds, funds: { ...funds.funds as Json, cash: undefined } }).valid);
  const quotes = results.get("futu_get_quote")![0];
  assert(!check("futu_get_quote", { quotes: [{ ...(quotes.quotes as Json[])[0], colour: "red" }] }).valid);
  const orders = results.get("futu_get_orders")![0];
  assert(!check("futu_get_orders", { ...orders, rows: [[{ order_id: "1" }]] }).valid, "an object cell refused");
});

const CLIENTS = new URL("../../.ci/clients/node_modules/", import.meta.url);

/** Whether the pinned client CLIs are installed; without them the test skips, unless CI requires them. */
function clientsInstalled(): boolean {
  try {
    Deno.statSync(CLIENTS);
    return true;
  } catch {
    if (Deno.env.get("FUTU_TEST_REQUIRE_CLIENTS") === "1") {
      throw new Error(".ci/clients/node_modules is missing and FUTU_TEST_REQUIRE_CLIENTS=1");
    }
    console.log("skipped: .ci/clients/node_modules is missing (install the pinned MCP clients to run it)");
    return false;
  }
}

Deno.test("the MCP Inspector's --strict schema check finds nothing in any tool, push and trade included", async () => {
  if (!clientsInstalled()) return;
  const home = await tempDir("inspector");
  const args = [
    ...["--gateway", "sim", "--enable-trading", "--allow-real-trading", "--toolsets", "all", "--output-schemas"],
  ];
  const env = childEnv({ HOME: await Deno.realPath(home) });
  const out = await new Deno.Command("node", {
    args: [
      ".ci/clients/node_modules/.bin/mcp-inspector",
      "--cli",
      "--strict",
      "--method",
      "tools/list",
      ...Object.entries(env).flatMap(([key, value]) => ["-e", `${key}=${value}`]),
      "--",
      Deno.execPath(),
      ...futuMcpCommand(args),
    ],
    env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(out.stdout);
  const stderr = new TextDecoder().decode(out.stderr);
  assertEquals(out.code, 0, stderr);
  const listed = (JSON.parse(stdout) as { tools: { name: string }[] }).tools.map((t) => t.name);
  assertEquals(listed, ALL_TOOLS.map((t) => t.name), "the Inspector saw every tool");
  // With findings, --strict prints "Warning: tool …" blocks and a "N errors, M warnings across K tools." line.
  assert(!/Warning: tool|Error: tool| across \d+ tools?/.test(stderr), stderr);
  await Deno.remove(home, { recursive: true });
});
