/**
 * What each real MCP client reports against futu-mcp over HTTP with API keys
 * when its key is right, missing and wrong: Claude Code (`claude mcp get`),
 * Gemini CLI (`gemini mcp list`), Codex CLI (its app-server's MCP inventory),
 * mcp-remote (an initialize through it) and the Inspector's CLI. A missing or
 * wrong key must end in a message naming futucli gen-key and the Bearer
 * header, not in a crash or a bare DCR 404 — except where the client itself
 * drops the server's words (Gemini prints only "Disconnected"; Codex keeps
 * them in its log). The key never appears on a command line: each client
 * reads it from FUTU_MCP_API_KEY, the Inspector (no expansion) from its
 * config file. Skipped with a reason when .ci/clients is not installed,
 * unless FUTU_TEST_REQUIRE_CLIENTS=1.
 */
import { join } from "node:path";
import { assert, assertEquals } from "../helpers/assert.ts";
import {
  clientHome,
  type ClientName,
  clientsMissing,
  codexMcpStatus,
  runClient,
  type RunClientOptions,
} from "../helpers/clients.ts";
import { startHttpApp } from "../helpers/mcp.ts";
import { startSim } from "../helpers/sim.ts";
import { tempDir } from "../helpers/tmp.ts";
import { generateKey, writeKeysFile } from "../../src/access/keys.ts";
import { freePort } from "../helpers/net.ts";

const ignore = await clientsMissing("tests/clients/http_auth_clients_test.ts");

const KEY_ENV = "FUTU_MCP_API_KEY";
/** What the server says when a client falls back to OAuth (dynamic client registration). */
const NOT_OAUTH = "futu-mcp does not do OAuth: configure the client to send Authorization: Bearer <API key>, " +
  "a key made by futucli gen-key";
const MISSING = "no API key: send Authorization: Bearer <API key>, a key made by futucli gen-key";
const WRONG = "invalid API key: send Authorization: Bearer <API key>, a key made by futucli gen-key";

type Case = "good" | "missing" | "wrong";
const CASES: Case[] = ["good", "missing", "wrong"];

Deno.test({
  name: "real clients over HTTP with API keys: a good key connects, a missing or wrong one says to send a gen-key key",
  ignore,
  async fn(t) {
    await using sim = await startSim();
    const dir = await tempDir("auth-clients");
    const good = generateKey({ id: "agent", scopes: ["qot:read", "acc:read"] });
    const unlisted = generateKey({ id: "agent", scopes: ["qot:read"] }); // well-formed, but not in the keys file
    await writeKeysFile(`${dir}/keys.json`, [good.record]);
    await using app = await startHttpApp(["--gateway", sim.address, "--keys-file", `${dir}/keys.json`]);
    const url = app.url;
    const keyOf: Record<Case, string | undefined> = {
      good: good.plaintext,
      missing: undefined,
      wrong: unlisted.plaintext,
    };
    const envOf = (c: Case): Record<string, string> => keyOf[c] ? { [KEY_ENV]: keyOf[c]! } : {};
    /** Runs a client after checking that no key is on its command line. */
    const run = (name: ClientName, args: string[], options: RunClientOptions) => {
      for (const key of [good.plaintext, unlisted.plaintext]) {
        assert(!args.some((arg) => arg.includes(key)), `a key on ${name}'s command line`);
      }
      return runClient(name, args, options);
    };
    const each = <T>(check: (c: Case) => Promise<T>) => Promise.all(CASES.map(check));

    await t.step("Claude Code: claude mcp add --header 'Authorization: Bearer ${…}', then claude mcp get", async () => {
      await each(async (c) => {
        const where = await clientHome(`claude-${c}`);
        const header = c === "missing" ? [] : ["--header", `Authorization: Bearer \${${KEY_ENV}}`];
        const add = await run("claude", ["mcp", "add", "-s", "user", "--transport", "http", "futu", url, ...header], {
          ...where,
          cwd: where.project,
        });
        assertEquals(add.code, 0, add.stdout + add.stderr);
        const got = await run("claude", ["mcp", "get", "futu"], { ...where, cwd: where.project, env: envOf(c) });
        const out = got.stdout + got.stderr;
        if (c === "good") assert(out.includes("Status: ✔ Connected"), out);
        if (c === "missing") {
          // No header configured: Claude Code runs OAuth discovery and registration, and prints our answer.
          assert(out.includes(`Issue: Dynamic Client Registration rejected (HTTP 400): `), out);
          assert(out.includes(NOT_OAUTH), out);
        }
        if (c === "wrong") {
          assert(out.includes("Server rejected the configured Authorization header (HTTP 401)"), out);
          assert(out.includes(WRONG), out);
        }
        assert(!out.includes("Raw body") && !out.includes("not found"), out);
        assert(!(await Deno.readTextFile(join(where.home, ".claude.json"))).includes(good.plaintext));
      });
    });

    await t.step("Gemini CLI: settings.json httpUrl + headers, then gemini mcp list", async () => {
      await each(async (c) => {
        const where = await clientHome(`gemini-${c}`);
        await Deno.mkdir(join(where.home, ".gemini"));
        const headers = c === "missing" ? {} : { headers: { Authorization: `Bearer \${${KEY_ENV}}` } };
        await Deno.writeTextFile(
          join(where.home, ".gemini/settings.json"),
          JSON.stringify({ mcpServers: { futu: { httpUrl: url, ...headers } } }),
        );
        await Deno.writeTextFile(
          join(where.home, ".gemini/trustedFolders.json"),
          JSON.stringify({ [where.project]: "TRUST_FOLDER" }),
        );
        const list = await run("gemini", ["mcp", "list"], { ...where, cwd: where.project, env: envOf(c) });
        const out = list.stdout + list.stderr;
        assertEquals(list.code, 0, out);
        // `gemini mcp list` catches the connection error and prints only the state: no server text can show.
        const state = c === "good" ? "Connected" : "Disconnected";
        assert(out.includes(`futu: ${url} (http) - ${state}`), out);
      });
    });

    await t.step("Codex CLI: config.toml url + bearer_token_env_var, then the app-server's MCP inventory", async () => {
      await each(async (c) => {
        const where = await clientHome(`codex-${c}`);
        await Deno.mkdir(join(where.home, ".codex"));
        const bearer = c === "missing" ? "" : `bearer_token_env_var = "${KEY_ENV}"\n`;
        await Deno.writeTextFile(
          join(where.home, ".codex/config.toml"),
          `[mcp_servers.futu]\nurl = "${url}"\n${bearer}`,
        );
        const { servers: [futu], run: codex } = await codexMcpStatus({ ...where, cwd: where.project, env: envOf(c) });
        assertEquals(futu.name, "futu");
        if (c === "good") {
          assert("futu_ping" in futu.tools, JSON.stringify(futu));
          assertEquals(futu.authStatus, "bearerToken");
          return;
        }
        assertEquals(Object.keys(futu.tools).length, 0);
        // Codex's own error is "Auth required"; the server's WWW-Authenticate, with our description, is in its log.
        assert(futu.toolsError?.includes("Auth required"), JSON.stringify(futu));
        assert(codex.stderr.includes(c === "missing" ? MISSING : WRONG), codex.stderr);
        // No authorization server is discoverable, so Codex does not offer `codex mcp login` (notLoggedIn).
        assertEquals(futu.authStatus, c === "missing" ? "unsupported" : "bearerToken");
      });
    });

    await t.step("mcp-remote: --header 'Authorization: Bearer ${…}', an initialize over stdin", async () => {
      const initialize = JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } },
      });
      await each(async (c) => {
        const where = await clientHome(`mcp-remote-${c}`);
        const header = c === "missing" ? [] : ["--header", `Authorization: Bearer \${${KEY_ENV}}`];
        const proxy = await run("mcp-remote", [url, ...header], {
          ...where,
          env: envOf(c),
          stdin: initialize + "\n",
          until: (stdout) => stdout.includes('"id":1'),
        });
        if (c === "good") {
          assert(proxy.stdout.includes('"serverInfo":{"name":"futu-mcp"'), proxy.stdout + proxy.stderr);
          return;
        }
        // mcp-remote answers any 401 with OAuth; registration is refused with our explanation, and it exits.
        assertEquals(proxy.code, 1, proxy.stderr);
        assert(
          proxy.stderr.includes(
            `Fatal error: RegistrationRejectedError: Dynamic Client Registration rejected (HTTP 400)`,
          ),
          proxy.stderr,
        );
        assert(proxy.stderr.includes(NOT_OAUTH), proxy.stderr);
        assert(!proxy.stderr.includes("not found"), proxy.stderr);
      });
    });

    await t.step(
      "MCP Inspector CLI: --config with headers, tools/list (stored auth only, then interactive OAuth)",
      async () => {
        await each(async (c) => {
          const where = await clientHome(`inspector-${c}`);
          const config = join(where.home, "mcp.json");
          const headers = keyOf[c] ? { headers: { Authorization: `Bearer ${keyOf[c]}` } } : {};
          // The Inspector expands no variables: the key goes in a private file, not in --header.
          await Deno.writeTextFile(
            config,
            JSON.stringify({ mcpServers: { futu: { type: "streamable-http", url, ...headers } } }),
            { mode: 0o600 },
          );
          const inspect = (oauth: boolean) =>
            run("mcp-inspector", [
              "--cli",
              "--config",
              config,
              "--server",
              "futu",
              "--method",
              "tools/list",
              "--format",
              "json",
              // Its OAuth callback listener defaults to the fixed 127.0.0.1:6276, which parallel runs would share.
              ...(oauth ? ["--callback-url", `http://127.0.0.1:${freePort()}/oauth/callback`] : ["--stored-auth-only"]),
            ], {
              ...where,
              env: { MCP_INSPECTOR_SECRET_STORE: "memory", ...(oauth ? { MCP_AUTO_OPEN_ENABLED: "true" } : {}) },
              timeoutMs: 30_000,
            });
          const stored = await inspect(false);
          const out = stored.stdout + stored.stderr;
          if (c === "good") {
            assertEquals(stored.code, 0, out);
            assert(JSON.parse(stored.stdout).result.tools.some((tool: { name: string }) => tool.name === "futu_ping"));
            return;
          }
          assertEquals(stored.code, 3, out);
          assert(out.includes('"code":"auth_required"'), out);
          assert(out.includes(c === "missing" ? MISSING : WRONG), out);
          // Allowed to run OAuth (as in a terminal), it registers and shows our refusal.
          const oauth = await inspect(true);
          const oauthOut = oauth.stdout + oauth.stderr;
          assertEquals(oauth.code, 1, oauthOut);
          assert(oauthOut.includes("Dynamic Client Registration rejected (HTTP 400)"), oauthOut);
          assert(oauthOut.includes(NOT_OAUTH), oauthOut);
        });
      },
    );
  },
});
