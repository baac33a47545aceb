/**
 * The caps on live HTTP sessions, over real HTTP: per API key and in all, the
 * 429 with its JSON-RPC error and Retry-After, the refusal counter and the
 * live-session gauge on /metrics, a DELETE giving a place back; and the idle
 * sweep freeing a session for good (map entry, transport and server).
 */
import { assert, assertEquals, assertThrows } from "../helpers/assert.ts";
import { startSim } from "../helpers/sim.ts";
import { startHttpApp } from "../helpers/mcp.ts";
import { tempDir } from "../helpers/tmp.ts";
import { generateKey, writeKeysFile } from "../../src/access/keys.ts";
import { startHttpServer } from "../../src/mcp/http.ts";
import { Server } from "../../src/mcp/sdk.ts";
import { loadOptions, UsageError } from "../../src/app/options.ts";

const INIT = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
});
const MCP_HEADERS = { "content-type": "application/json", accept: "application/json, text/event-stream" };

/** POSTs an initialize; the answer's status, session id and (for an error) its JSON body. */
async function initialize(url: string, key?: string) {
  const response = await fetch(url, {
    method: "POST",
    headers: { ...MCP_HEADERS, ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: INIT,
  });
  const session = response.headers.get("mcp-session-id");
  const retryAfter = response.headers.get("retry-after");
  const body = response.status === 200
    ? (await response.body?.cancel(), undefined)
    : await response.json() as { jsonrpc: string; id: null; error: { code: number; message: string } };
  return { status: response.status, session, retryAfter, body };
}

Deno.test("HTTP session caps: per key, then in all, 429 with Retry-After, counted; DELETE frees a place", async () => {
  await using sim = await startSim();
  const dir = await tempDir("http-sessions");
  const alice = generateKey({ id: "alice", scopes: ["qot:read"] });
  const bob = generateKey({ id: "bob", scopes: ["qot:read", "metrics:read"] });
  await writeKeysFile(`${dir}/keys.json`, [alice.record, bob.record]);
  await using app = await startHttpApp([
    "--gateway",
    sim.address,
    "--keys-file",
    `${dir}/keys.json`,
    "--state-dir",
    `${dir}/state`,
    "--max-sessions",
    "3",
    "--max-sessions-per-key",
    "2",
    "--session-idle-timeout",
    "900",
  ]);
  const first = await initialize(app.url, alice.plaintext);
  const second = await initialize(app.url, alice.plaintext);
  assertEquals([first.status, second.status], [200, 200]);

  const perKey = await initialize(app.url, alice.plaintext);
  assertEquals(perKey.status, 429);
  assertEquals(perKey.body?.jsonrpc, "2.0");
  assertEquals(perKey.body?.id, null);
  assertEquals(perKey.body?.error.code, -32000);
  const message = perKey.body!.error.message;
  for (const part of ["this API key", "--max-sessions-per-key 2", "after 900 s", "DELETE /mcp", "Mcp-Session-Id"]) {
    assert(message.includes(part), `"${part}" missing from: ${message}`);
  }
  // The oldest of alice's sessions expires in 900 s at the latest (plus a sweep tick).
  const retry = Number(perKey.retryAfter);
  assert(Number.isInteger(retry) && retry >= 1 && retry <= 902, `Retry-After: ${perKey.retryAfter}`);
  assertEquals(perKey.session, null);

  // Bob is not held to alice's cap, but to the server's.
  assertEquals((await initialize(app.url, bob.plaintext)).status, 200);
  const global = await initialize(app.url, bob.plaintext);
  assertEquals(global.status, 429);
  assert(global.body!.error.message.includes("--max-sessions 3"), global.body!.error.message);
  assert(global.body!.error.message.includes("the server has"), global.body!.error.message);
  assert(global.retryAfter !== null);
  assertEquals(app.http!.sessionCount, 3);

  const metrics = await (await fetch(app.url.replace("/mcp", "/metrics"), {
    headers: { authorization: `Bearer ${bob.plaintext}` },
  })).text();
  assert(metrics.includes('futu_mcp_http_sessions_refused_total{reason="per_key"} 1'), metrics);
  assert(metrics.includes('futu_mcp_http_sessions_refused_total{reason="global"} 1'), metrics);
  assert(/\nfutu_mcp_http_sessions 3\n/.test(metrics), metrics);

  // Ending a session gives its place back, to its key and to the server.
  const ended = await fetch(app.url, {
    method: "DELETE",
    headers: { authorization: `Bearer ${alice.plaintext}`, "mcp-session-id": first.session! },
  });
  await ended.body?.cancel();
  assertEquals(ended.status, 200);
  assertEquals(app.http!.sessionCount, 2);
  assertEquals((await initialize(app.url, alice.plaintext)).status, 200);
  assertEquals((await initialize(app.url, alice.plaintext)).status, 429);
});

Deno.test("HTTP session caps: a refused initialize leaves no session behind, and failed initializes give places back", async () => {
  await using sim = await startSim();
  await using app = await startHttpApp(["--gateway", sim.address, "--max-sessions-per-key", "1"]);
  // An initialize the SDK refuses (wrong Accept) makes no session: it must not hold the only place.
  for (let i = 0; i < 3; i++) {
    const refused = await fetch(app.url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/plain" },
      body: INIT,
    });
    await refused.body?.cancel();
    assertEquals(refused.status, 406);
  }
  assertEquals(app.http!.sessionCount, 0);
  assertEquals((await initialize(app.url)).status, 200);
  const over = await initialize(app.url);
  assertEquals(over.status, 429, "legacy mode: every client is the same owner");
  assertEquals(app.http!.sessionCount, 1);
});

Deno.test("HTTP sessions: the idle sweep closes the transport and the server and forgets the session", async () => {
  let clock = 1_000_000;
  const closed: string[] = [];
  const http = await startHttpServer({
    hostname: "127.0.0.1",
    port: 0,
    sessionIdleMs: 60_000,
    now: () => clock,
    log: () => {},
    createServer: () => {
      const server = new Server({ name: "t", version: "1" }, { capabilities: {} });
      server.onclose = () => closed.push("server");
      return server;
    },
  });
  try {
    const url = `${http.url}/mcp`;
    const idle = await initialize(url);
    clock += 30_000;
    const busy = await initialize(url);
    assertEquals([idle.status, busy.status], [200, 200]);
    clock += 40_000; // idle: 70 s untouched; busy: 40 s
    assertEquals(await http.sweep(), 1);
    assertEquals(http.sessionCount, 1);
    assertEquals(closed, ["server"], "the idle session's server (and with it its transport) is closed");
    const gone = await fetch(url, {
      method: "POST",
      headers: { ...MCP_HEADERS, "mcp-session-id": idle.session!, "mcp-protocol-version": "2025-06-18" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "ping" }),
    });
    assertEquals(gone.status, 404);
    await gone.body?.cancel();
    const alive = await fetch(url, {
      method: "POST",
      headers: { ...MCP_HEADERS, "mcp-session-id": busy.session!, "mcp-protocol-version": "2025-06-18" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "ping" }),
    });
    assertEquals(alive.status, 200);
    await alive.body?.cancel();
  } finally {
    await http.close();
  }
});

Deno.test("options: session caps and the idle timeout are whole numbers in range, from flags or the config file", async () => {
  const env = () => undefined;
  const defaults = loadOptions([], env);
  assertEquals([defaults.maxSessions, defaults.maxSessionsPerKey, defaults.sessionIdleTimeoutMs], [
    1000,
    64,
    1_800_000,
  ]);
  const set = loadOptions(["--max-sessions", "10", "--max-sessions-per-key", "2", "--session-idle-timeout", "5"], env);
  assertEquals([set.maxSessions, set.maxSessionsPerKey, set.sessionIdleTimeoutMs], [10, 2, 5000]);
  assertThrows(() => loadOptions(["--max-sessions", "0"], env), UsageError, "--max-sessions: expected a whole number");
  assertThrows(() => loadOptions(["--max-sessions-per-key", "1.5"], env), UsageError, "--max-sessions-per-key");
  assertThrows(() => loadOptions(["--session-idle-timeout", "x"], env), UsageError, "--session-idle-timeout");
  const dir = await tempDir("session-options");
  await Deno.writeTextFile(`${dir}/c.toml`, "max_sessions = 7\nmax_sessions_per_key = 3\nsession_idle_timeout = 60\n");
  const file = loadOptions(["--config", `${dir}/c.toml`], env);
  assertEquals([file.maxSessions, file.maxSessionsPerKey, file.sessionIdleTimeoutMs], [7, 3, 60_000]);
});
