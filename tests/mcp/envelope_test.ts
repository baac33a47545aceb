/**
 * What both transports answer to a body that is JSON but not JSON-RPC 2.0
 * (-32600 Invalid Request, with the id when it can be read, else null) and to
 * one that is not JSON (-32700 Parse error), and that tool arguments named
 * __proto__, constructor or prototype reach the guard and are refused as
 * unknown fields: over a spawned stdio process and over real HTTP.
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { startSim } from "../helpers/sim.ts";
import { childEnv, futuMcpCommand, startHttpApp } from "../helpers/mcp.ts";

const INIT = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
};
const MCP_HEADERS = { "content-type": "application/json", accept: "application/json, text/event-stream" };

/** Bodies that parse as JSON but are no JSON-RPC message, and the id their error must carry. */
const INVALID: [string, string | number | null, string][] = [
  ['{"id":5,"method":"tools/list"}', 5, '"jsonrpc" must be "2.0"'],
  ['{"jsonrpc":"1.0","id":"a","method":"ping"}', "a", '"jsonrpc" must be "2.0"'],
  ['{"jsonrpc":"2.0","id":6,"method":42}', 6, '"method" must be a string'],
  ['{"jsonrpc":"2.0","id":{"x":1},"method":"ping"}', null, '"id" must be a string or a number'],
  ['"just a string"', null, "expected a JSON-RPC 2.0 object, got string"],
  ["42", null, "got number"],
  ["null", null, "got null"],
];
/** Batches (HTTP only: stdio has none): garbage and empty. */
const INVALID_BATCHES: [string, string][] = [
  ["[1,2,3]", "batch element 0"],
  ['[{"jsonrpc":"2.0","method":"notifications/initialized"},{"nope":true}]', "batch element 1"],
  ["[]", "an empty batch"],
];

/** A tools/call whose arguments carry `name` as an own key, as a raw JSON text. */
function callWith(id: number, name: string): string {
  return `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":"futu_get_quote","arguments":` +
    `{"symbol":"HK.00700",${JSON.stringify(name)}:{"polluted":true}}}}`;
}
const RESERVED = ["__proto__", "constructor", "prototype"];

Deno.test("stdio: -32700 only for what is not JSON, -32600 for a bad envelope; reserved argument names refused", async () => {
  const child = new Deno.Command("deno", {
    args: futuMcpCommand(["--gateway", "sim"]),
    env: childEnv(),
    clearEnv: true,
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const lines = [
    JSON.stringify(INIT),
    '{"jsonrpc":"2.0","method":"notifications/initialized"}',
    "{not json",
    ...INVALID.map(([body]) => body),
    "[1,2,3]",
    ...RESERVED.map((name, i) => callWith(100 + i, name)),
  ];
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(lines.map((l) => `${l}\n`).join("")));
  await writer.close();
  const replies = new TextDecoder().decode((await child.output()).stdout).trim().split("\n").map((l) => JSON.parse(l));
  const errors = replies.filter((r) => r.error);
  assertEquals(errors[0].error.code, -32700, JSON.stringify(errors[0]));
  assertEquals(errors[0].id, null);
  for (const [i, [body, id, why]] of INVALID.entries()) {
    const reply = errors[1 + i];
    assertEquals([reply.id, reply.error.code], [id, -32600], `${body}: ${JSON.stringify(reply)}`);
    assert(
      reply.error.message.startsWith("Invalid Request: ") && reply.error.message.includes(why),
      reply.error.message,
    );
  }
  const batch = errors[1 + INVALID.length];
  assertEquals([batch.id, batch.error.code], [null, -32600]);
  assert(batch.error.message.includes("got an array"), batch.error.message);
  for (const [i, name] of RESERVED.entries()) {
    const reply = replies.find((r) => r.id === 100 + i);
    assert(reply?.result?.isError, `${name}: ${JSON.stringify(reply)}`);
    const error = JSON.parse(reply.result.content[0].text);
    assertEquals(error.code, "invalid_arguments");
    assert(error.error.includes(`unknown field "${name}"`), error.error);
  }
});

Deno.test("HTTP: -32700 only for what is not JSON, -32600 for a bad envelope or batch, -32602 for bad params; reserved argument names refused", async () => {
  await using sim = await startSim();
  await using app = await startHttpApp(["--gateway", sim.address]);
  const post = async (body: string, session?: string) => {
    const response = await fetch(app.url, {
      method: "POST",
      headers: {
        ...MCP_HEADERS,
        ...(session ? { "mcp-session-id": session, "mcp-protocol-version": "2025-06-18" } : {}),
      },
      body,
    });
    return { status: response.status, session: response.headers.get("mcp-session-id"), text: await response.text() };
  };
  const init = await post(JSON.stringify(INIT));
  assertEquals(init.status, 200);
  const session = init.session!;
  await post('{"jsonrpc":"2.0","method":"notifications/initialized"}', session);

  for (const id of [undefined, session]) {
    const parse = await post("{not json", id);
    assertEquals(parse.status, 400);
    assertEquals(JSON.parse(parse.text).error.code, -32700);
    for (const [body, expectedId, why] of INVALID) {
      const reply = await post(body, id);
      assertEquals(reply.status, 400, `${body}: ${reply.text}`);
      const error = JSON.parse(reply.text);
      assertEquals([error.jsonrpc, error.id, error.error.code], ["2.0", expectedId, -32600], `${body}: ${reply.text}`);
      assert(error.error.message.includes(why), error.error.message);
    }
    for (const [body, why] of INVALID_BATCHES) {
      const reply = await post(body, id);
      assertEquals(reply.status, 400, `${body}: ${reply.text}`);
      const error = JSON.parse(reply.text);
      assertEquals([error.id, error.error.code], [null, -32600], `${body}: ${reply.text}`);
      assert(error.error.message.includes(why), error.error.message);
    }
  }
  assertEquals(app.http!.sessionCount, 1, "no invalid body opened a session");

  // Params the method's schema refuses are the caller's error, -32602 naming the field (the SDK would say -32603).
  const badParams: [string, string][] = [
    ['{"jsonrpc":"2.0","id":200,"method":"resources/read","params":{}}', "uri"],
    ['{"jsonrpc":"2.0","id":201,"method":"logging/setLevel","params":{"level":"loud"}}', "level"],
    ['{"jsonrpc":"2.0","id":202,"method":"tools/call","params":{"name":7}}', "name"],
  ];
  for (const [body, field] of badParams) {
    const reply = await post(body, session);
    const error = JSON.parse(reply.text).error;
    assertEquals(error?.code, -32602, `${body}: ${reply.text}`);
    assert(error.message.includes(`${field}:`), error.message);
  }

  for (const [i, name] of RESERVED.entries()) {
    const reply = await post(callWith(100 + i, name), session);
    assertEquals(reply.status, 200, reply.text);
    const result = JSON.parse(reply.text).result;
    assert(result.isError, `${name}: ${reply.text}`);
    const error = JSON.parse(result.content[0].text);
    assertEquals(error.code, "invalid_arguments");
    assert(error.error.includes(`unknown field "${name}"`), error.error);
  }
});
