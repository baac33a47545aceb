/**
 * HTTP authentication as an OAuth-capable client discovers it, over real
 * HTTP: the 401's `WWW-Authenticate` (RFC 6750 §3) and body for a missing
 * and a wrong key, the protected-resource metadata (RFC 9728) at the root and
 * the path-suffixed URL, and the JSON answers to the OAuth probes clients make
 * when the metadata names no authorization server — each saying that the
 * key comes from futucli gen-key. Legacy mode (no keys file) is unchanged.
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { startSim } from "../helpers/sim.ts";
import { startHttpApp } from "../helpers/mcp.ts";
import { tempDir } from "../helpers/tmp.ts";
import { generateKey, writeKeysFile } from "../../src/access/keys.ts";

const INIT = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
};
const MCP_HEADERS = { "content-type": "application/json", accept: "application/json, text/event-stream" };
const HOW_TO = "send Authorization: Bearer <API key>, a key made by futucli gen-key (not OAuth)";
const NOT_OAUTH = "futu-mcp does not do OAuth: configure the client to send Authorization: Bearer <API key>, " +
  "a key made by futucli gen-key (README: Troubleshooting: the client can't connect)";

/**
 * The auth-params of a `Bearer` challenge (RFC 7235 §2.1, quoted-string values without escapes), or an
 * error naming what does not parse: a client's regex would misread exactly that.
 */
function bearerChallenge(header: string | null): Record<string, string> {
  assert(header, "no WWW-Authenticate header");
  assert(/^[\x20-\x7e]*$/.test(header), `not printable ASCII: ${header}`);
  const match = /^Bearer (.*)$/.exec(header);
  assert(match, `not a Bearer challenge: ${header}`);
  const params: Record<string, string> = {};
  const rest = match[1].replace(/\s*([a-z_]+)="([^"\\]*)"\s*(,|$)/g, (_all, name: string, value: string) => {
    assert(!(name in params), `${name} twice in: ${header}`);
    params[name] = value;
    return "";
  });
  assertEquals(rest, "", `unparsed part of: ${header}`);
  return params;
}

async function keyedApp() {
  const sim = await startSim();
  const dir = await tempDir("http-auth");
  const agent = generateKey({ id: "agent", scopes: ["qot:read"] });
  const expired = generateKey({ id: "old", scopes: ["qot:read"], expiresAt: "2020-01-01T00:00:00Z" });
  const watcher = generateKey({ id: "watcher", scopes: ["metrics:read"] });
  await writeKeysFile(`${dir}/keys.json`, [agent.record, expired.record, watcher.record]);
  const app = await startHttpApp([
    "--gateway",
    sim.address,
    "--keys-file",
    `${dir}/keys.json`,
    "--state-dir",
    `${dir}/state`,
  ]);
  return {
    app,
    base: app.url.replace(/\/mcp$/, ""),
    keys: { agent: agent.plaintext, expired: expired.plaintext, watcher: watcher.plaintext },
    async [Symbol.asyncDispose]() {
      await app.close();
      await sim.close();
    },
  };
}

Deno.test("HTTP auth: a 401 names the metadata, the error and what to send, for a missing and a wrong key", async () => {
  await using server = await keyedApp();
  const { base, keys } = server;
  const post = (authorization?: string) =>
    fetch(`${base}/mcp`, {
      method: "POST",
      headers: { ...MCP_HEADERS, ...(authorization ? { authorization } : {}) },
      body: JSON.stringify(INIT),
    });

  const cases = [
    { name: "missing", authorization: undefined, error: "invalid_request", description: `no API key: ${HOW_TO}` },
    {
      name: "Basic",
      authorization: `Basic ${btoa("u:p")}`,
      error: "invalid_request",
      description: `no API key: ${HOW_TO}`,
    },
    {
      name: "wrong",
      authorization: "Bearer fc_0000",
      error: "invalid_token",
      description: `invalid API key: ${HOW_TO}`,
    },
    {
      name: "expired",
      authorization: `Bearer ${keys.expired}`,
      error: "invalid_token",
      description: `API key expired: ${HOW_TO}`,
    },
  ];
  for (const c of cases) {
    const response = await post(c.authorization);
    assertEquals(response.status, 401, c.name);
    assertEquals(response.headers.get("content-type"), "application/json", c.name);
    const challenge = bearerChallenge(response.headers.get("www-authenticate"));
    assertEquals(challenge, {
      resource_metadata: `${base}/.well-known/oauth-protected-resource/mcp`,
      error: c.error,
      error_description: c.description,
    }, c.name);
    assertEquals(await response.json(), { error: c.error, error_description: c.description }, c.name);
  }

  const ok = await post(`Bearer ${keys.agent}`);
  assertEquals(ok.status, 200, "the right key initializes");
  assert(ok.headers.get("mcp-session-id"));
  await ok.body?.cancel();
});

Deno.test("HTTP auth: the protected-resource metadata is served at the path-suffixed and the root URL", async () => {
  await using server = await keyedApp();
  const { base } = server;
  const expected = {
    resource: `${base}/mcp`,
    bearer_methods_supported: ["header"],
    scopes_supported: [
      "qot:read",
      "acc:read",
      "trade:simulate",
      "trade:real",
      "trade:unlock",
      "watchlist:write",
      "metrics:read",
    ],
    resource_name: "futu-mcp",
    resource_documentation: `${base}/docs`,
  };
  for (const path of ["/.well-known/oauth-protected-resource/mcp", "/.well-known/oauth-protected-resource"]) {
    const response = await fetch(`${base}${path}`);
    assertEquals(response.status, 200, path);
    assertEquals(response.headers.get("content-type"), "application/json", path);
    assertEquals(await response.json(), expected, path);
  }
  const unauthenticated = await fetch(`${base}/mcp`, { method: "POST", headers: MCP_HEADERS, body: "{}" });
  const pointed = bearerChallenge(unauthenticated.headers.get("www-authenticate")).resource_metadata;
  await unauthenticated.body?.cancel();
  assertEquals(await (await fetch(pointed)).json(), expected, "the 401 points at a document that is served");
});

Deno.test("HTTP auth: every OAuth probe a client makes gets JSON saying to use a futucli gen-key key", async () => {
  await using server = await keyedApp();
  const { base } = server;
  // What Claude Code, Codex, mcp-remote and the Inspector requested against a 401 with this metadata.
  const probes: [method: string, path: string, status: number, error: string][] = [
    ["GET", "/.well-known/oauth-authorization-server", 404, "not_found"],
    ["GET", "/.well-known/oauth-authorization-server/mcp", 404, "not_found"],
    ["GET", "/.well-known/openid-configuration", 404, "not_found"],
    ["GET", "/.well-known/openid-configuration/mcp", 404, "not_found"],
    ["GET", "/mcp/.well-known/openid-configuration", 404, "not_found"],
    ["POST", "/register", 400, "invalid_client_metadata"],
    ["GET", "/authorize?response_type=code&client_id=x", 400, "invalid_request"],
    ["POST", "/token", 400, "unsupported_grant_type"],
    ["POST", "/revoke", 400, "unsupported_token_type"],
  ];
  for (const [method, path, status, error] of probes) {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { "content-type": "application/json" },
      body: method === "POST" ? JSON.stringify({ redirect_uris: ["http://localhost:1/cb"] }) : undefined,
    });
    assertEquals(response.status, status, `${method} ${path}`);
    assertEquals(response.headers.get("content-type"), "application/json", `${method} ${path}`);
    assertEquals(await response.json(), { error, error_description: NOT_OAUTH }, `${method} ${path}`);
  }
  const unknown = await fetch(`${base}/nothing-here`);
  assertEquals(unknown.status, 404);
  assertEquals(await unknown.text(), "not found\n", "a path that is no OAuth probe is a plain 404");
});

Deno.test("HTTP auth: /metrics and /ws refuse like /mcp, and a key without metrics:read gets a 403 challenge", async () => {
  await using server = await keyedApp();
  const { base, keys } = server;
  for (const path of ["/metrics", "/ws"]) {
    const missing = await fetch(`${base}${path}`);
    assertEquals(missing.status, 401, path);
    assertEquals(bearerChallenge(missing.headers.get("www-authenticate")).error_description, `no API key: ${HOW_TO}`);
    await missing.body?.cancel();
    const wrong = await fetch(`${base}${path}`, { headers: { authorization: "Bearer fc_0000" } });
    assertEquals(wrong.status, 401, path);
    assertEquals(bearerChallenge(wrong.headers.get("www-authenticate")).error, "invalid_token", path);
    await wrong.body?.cancel();
  }
  const description = "this API key lacks the scope metrics:read (futucli gen-key --scopes metrics:read)";
  const scoped = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${keys.agent}` } });
  assertEquals(scoped.status, 403);
  assertEquals(bearerChallenge(scoped.headers.get("www-authenticate")), {
    error: "insufficient_scope",
    scope: "metrics:read",
    error_description: description,
  });
  assertEquals(await scoped.json(), {
    error: "insufficient_scope",
    error_description: description,
    scope: "metrics:read",
  });
  const metrics = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${keys.watcher}` } });
  assertEquals(metrics.status, 200);
  await metrics.body?.cancel();
});

Deno.test("HTTP auth: legacy mode (no keys file) authenticates nothing and leaves OAuth paths unknown", async () => {
  await using sim = await startSim();
  await using app = await startHttpApp(["--gateway", sim.address]);
  const base = app.url.replace(/\/mcp$/, "");
  const init = await fetch(app.url, { method: "POST", headers: MCP_HEADERS, body: JSON.stringify(INIT) });
  assertEquals(init.status, 200, "no 401, so no client starts OAuth");
  await init.body?.cancel();
  for (const path of ["/register", "/.well-known/oauth-authorization-server", "/token"]) {
    const response = await fetch(`${base}${path}`, { method: path === "/register" ? "POST" : "GET" });
    assertEquals(response.status, 404, path);
    assertEquals(await response.text(), "not found\n", path);
  }
  const metadata = await fetch(`${base}/.well-known/oauth-protected-resource/mcp`);
  assertEquals(metadata.status, 200);
  assertEquals((await metadata.json()).resource, app.url);
});
