/**
 * Builds futu-mcp's access layer from its options: keys (with SIGHUP reload)
 * or legacy mode, limits with persistent counters, the kill switch, the audit
 * log, metrics, HTTP authentication, the protected-resource metadata, the
 * answers to OAuth probes (this server takes operator-issued keys, not OAuth)
 * and `/metrics`.
 *
 * @module
 */
import { dirname, join } from "node:path";
import type { FutuMcpOptions } from "./options.ts";
import type { AccountService } from "../services/accounts.ts";
import type { MarketDataService } from "../services/market_data.ts";
import type { AccessControl } from "../tools/guard.ts";
import type { HttpPrincipal } from "../mcp/http.ts";
import type { Tool } from "../tools/tool.ts";
import { AuditLog } from "../access/audit.ts";
import {
  type KeyRejection,
  KeysFileError,
  keysFileExposure,
  KeyStore,
  readKeysFile,
  REJECTION_TEXT,
  writeSecretFile,
} from "../access/keys.ts";
import { KillSwitch } from "../access/kill_switch.ts";
import { LimitEngine } from "../access/limits.ts";
import { machineId } from "../access/machine.ts";
import type { Metrics } from "../access/metrics.ts";
import { KeyAccessControl, LegacyAccessControl } from "../access/policy.ts";
import { SCOPES } from "../tools/scopes.ts";
import { FileUsageStore } from "../state/local.ts";
import type { SharedState, UsageStore } from "../state/store.ts";
import { ConfirmTokens } from "../access/confirm_tokens.ts";

/** The access layer of a running futu-mcp. */
export interface AccessLayer {
  access: AccessControl;
  /** Only over HTTP, the one transport that serves `/metrics`: a stdio server never loads prom-client. */
  metrics?: Metrics;
  killSwitch: KillSwitch;
  /** Tools not offered, with why. */
  exclude: (tool: Tool) => string | undefined;
  /** HTTP: who a request speaks for, or its 401. */
  authenticate: (request: Request, url: URL) => HttpPrincipal | Response;
  /** HTTP: the metadata document and `/metrics`. */
  routes: (request: Request, url: URL) => Promise<Response | undefined>;
  /** The keys in force (undefined in legacy mode). */
  keys(): KeyStore | undefined;
  /** Re-reads keys.json; on failure the old keys stay and the error is returned. */
  reload(): Promise<Error | undefined>;
  /** Closes the audit log. */
  close(): void;
}

/** A startup problem of the access layer (exit code 1, the message says why). */
export class AccessSetupError extends Error {
  override name = "AccessSetupError";
}

/** The bearer token of an `Authorization` header (scheme matched case-insensitively). */
function bearerOf(header: string | null): string | undefined {
  const match = header ? /^\s*bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}

/**
 * The protected-resource metadata (RFC 9728) of `/mcp`: at the path-suffixed URL §3.1 derives from the
 * resource, which the 401s point at, and at the root URL clients also try.
 */
const METADATA_PATHS = ["/.well-known/oauth-protected-resource/mcp", "/.well-known/oauth-protected-resource"];

/** What every refusal says: keys are issued by the operator, there is no OAuth login to run. */
const HOW_TO_AUTHENTICATE = "send Authorization: Bearer <API key>, a key made by futucli gen-key (not OAuth)";

const NOT_OAUTH = "futu-mcp does not do OAuth: configure the client to send Authorization: Bearer <API key>, " +
  "a key made by futucli gen-key (README: Troubleshooting: the client can't connect)";

/**
 * The OAuth endpoints an OAuth-capable client falls back to when a 401's metadata names no authorization
 * server (SDK default paths), with the RFC error code each endpoint's own spec defines, so that the client
 * shows NOT_OAUTH as the error's description. None of these codes makes the MCP SDK retry.
 */
const OAUTH_ENDPOINTS: Record<string, string> = {
  "/register": "invalid_client_metadata", // RFC 7591 §3.2.2
  "/authorize": "invalid_request", // RFC 6749 §4.1.2.1, shown to the user rather than redirected
  "/token": "unsupported_grant_type", // RFC 6749 §5.2
  "/revoke": "unsupported_token_type", // RFC 7009 §2.2.1
};

/**
 * The JSON answer to an OAuth probe: 400 from an endpoint, 404 from a discovery document
 * (`/.well-known/oauth-authorization-server[/mcp]`, `/.well-known/openid-configuration[/mcp]`,
 * `/mcp/.well-known/openid-configuration`, …). A 404 makes clients go on to the next candidate and then to
 * `/register`, whose answer they print; a 5xx would stop them with a message that omits ours.
 */
function oauthProbeAnswer(pathname: string): Response | undefined {
  const code = OAUTH_ENDPOINTS[pathname];
  if (code) return Response.json({ error: code, error_description: NOT_OAUTH }, { status: 400 });
  if (pathname.includes("/.well-known/")) {
    return Response.json({ error: "not_found", error_description: NOT_OAUTH }, { status: 404 });
  }
  return undefined;
}

/** Builds the access layer. */
export async function createAccessLayer(
  options: FutuMcpOptions & { configApiKey?: string },
  services: { accounts: AccountService; market: MarketDataService },
  log: (message: string) => void,
  shared?: SharedState,
): Promise<AccessLayer> {
  const metrics = options.httpListen === undefined
    ? undefined
    : new (await import("../access/metrics.ts")).Metrics({ publicKeyIds: options.metricsPublic });
  const killSwitch = new KillSwitch(options.killSwitchFile, shared?.halt);
  const confirmTokens = new ConfirmTokens({ store: shared?.tokens });
  const audit = options.auditLog ? await AuditLog.open(options.auditLog, log) : undefined;
  const startupKey = Deno.env.get("FUTU_MCP_API_KEY")?.trim() || options.configApiKey || undefined;

  const thisMachine = await machineId();
  let store: KeyStore | undefined;
  let access: AccessControl;
  const keysFile = options.keysFile;
  /**
   * The keys file's mode rule, at startup and at every reload alike: readable or writable by group or others
   * is refused under --strict-keys-file, else warned about (stderr, and the audit log at a reload). Returns
   * the refusal, if any.
   */
  const exposureRefusal = async (path: string, when: "start" | "reload"): Promise<string | undefined> => {
    const exposure = await keysFileExposure(path).catch(() => undefined);
    if (!exposure) return undefined;
    if (options.strictKeysFile) return `refusing to ${when}: ${exposure} (--strict-keys-file)`;
    log(`futu-mcp: WARNING: ${exposure}`);
    if (when === "reload") {
      audit?.write({ iface: "mcp", endpoint: "SIGHUP", key_id: "<none>", outcome: "warning", reason: exposure });
    }
    return undefined;
  };

  if (keysFile) {
    const refusal = await exposureRefusal(keysFile, "start");
    if (refusal) throw new AccessSetupError(refusal);
    try {
      store = new KeyStore(await readKeysFile(keysFile));
    } catch (err) {
      throw new AccessSetupError((err as Error).message);
    }
    const stateDir = options.stateDir ?? join(dirname(keysFile), "futu-mcp-state");
    let usage: UsageStore;
    try {
      usage = shared?.usage ?? await FileUsageStore.open(join(stateDir, "usage.json"), writeSecretFile);
    } catch (err) {
      throw new AccessSetupError((err as Error).message);
    }
    access = new KeyAccessControl({
      keys: () => store!,
      startupKey,
      machineId: thisMachine,
      limits: new LimitEngine(usage, { defaultTimeZone: Deno.env.get("FUTU_TZ") ?? "UTC" }),
      accounts: services.accounts,
      market: services.market,
      audit,
      metrics,
      killSwitch,
      confirmTokens,
    });
  } else {
    if (options.httpListen !== undefined && options.allowRealTrading) {
      throw new AccessSetupError(
        "refusing to start: real trading over HTTP needs API keys (--keys-file); legacy mode has no authentication",
      );
    }
    if (options.httpListen !== undefined && options.enableTrading) {
      log("futu-mcp: WARNING: HTTP without --keys-file: anyone who can reach the port can place simulated orders");
    }
    access = new LegacyAccessControl({
      allowRealTrading: options.allowRealTrading,
      audit,
      metrics,
      killSwitch,
      confirmTokens,
    });
  }

  const exclude = (tool: Tool): string | undefined => {
    if (store) return undefined;
    if (tool.scope === "trade:by-env" && !options.enableTrading) {
      return "trade tools are off: start futu-mcp with --keys-file, or --enable-trading";
    }
    if (tool.scope === "watchlist:write" && !options.enableTrading) {
      // Legacy mode authenticates nothing: every write is opt-in, watchlists and reminders too.
      return "watchlist and reminder changes are off: start futu-mcp with --keys-file, or --enable-trading";
    }
    if (tool.scope === "trade:unlock" && !options.allowRealTrading) {
      return "unlocking is for real trading: start futu-mcp with --keys-file, or --enable-trading --allow-real-trading";
    }
    return undefined;
  };

  const unauthorized = (url: URL, error: "invalid_request" | "invalid_token", description: string) =>
    new Response(JSON.stringify({ error, error_description: description }), {
      status: 401,
      headers: {
        "content-type": "application/json",
        // RFC 6750 §3.1 says a request without credentials SHOULD NOT get an error code; it gets one anyway,
        // because some clients (Codex) show only this header, and its description is the one place to say
        // that the key comes from futucli gen-key rather than from an OAuth login.
        "www-authenticate": `Bearer resource_metadata="${url.origin}${METADATA_PATHS[0]}", error="${error}", ` +
          `error_description="${description}"`,
      },
    });
  const missingKey = (url: URL) => unauthorized(url, "invalid_request", `no API key: ${HOW_TO_AUTHENTICATE}`);
  const rejectedKey = (url: URL, reason: KeyRejection) =>
    unauthorized(url, "invalid_token", `${REJECTION_TEXT[reason]}: ${HOW_TO_AUTHENTICATE}`);

  const auditReject = (url: URL, keyId: string, reason: string) => {
    audit?.write({ iface: "mcp", endpoint: url.pathname, key_id: keyId, outcome: "reject", reason });
    metrics?.authEvents.inc({ iface: "mcp", outcome: "reject", key_id: metrics.keyLabel(keyId) });
  };

  const authenticate = (request: Request, url: URL): HttpPrincipal | Response => {
    if (!store) return { owner: "" };
    const token = bearerOf(request.headers.get("authorization"));
    if (token === undefined) {
      auditReject(url, "<missing>", "no bearer token");
      return missingKey(url);
    }
    const verdict = store.verify(token, thisMachine);
    if (!verdict.ok) {
      auditReject(url, verdict.id ?? "<invalid>", REJECTION_TEXT[verdict.reason]);
      return rejectedKey(url, verdict.reason);
    }
    return { bearer: token, owner: verdict.record.id };
  };

  const routes = async (request: Request, url: URL): Promise<Response | undefined> => {
    if (METADATA_PATHS.includes(url.pathname)) {
      return Response.json({
        resource: `${url.origin}/mcp`,
        bearer_methods_supported: ["header"],
        scopes_supported: [...SCOPES],
        resource_name: "futu-mcp",
        resource_documentation: `${url.origin}/docs`,
      });
    }
    if (url.pathname === "/docs") {
      return new Response(
        "futu-mcp: Model Context Protocol server for Futu OpenD.\n" +
          "MCP endpoint: POST/GET/DELETE /mcp (Streamable HTTP). Authenticate with Authorization: Bearer <API key>;\n" +
          "keys are issued by the operator (futucli gen-key) with scopes: " + SCOPES.join(", ") + ".\n" +
          "Metrics: GET /metrics (scope metrics:read). Pushes: GET /ws (WebSocket).\n",
        { headers: { "content-type": "text/plain; charset=utf-8" } },
      );
    }
    if (url.pathname === "/metrics" && metrics) {
      // Legacy mode authenticates nothing, /mcp included; with keys, metrics need their own scope.
      if (store) {
        const token = bearerOf(request.headers.get("authorization"));
        if (token === undefined) return missingKey(url);
        const verdict = store.verify(token, thisMachine);
        if (!verdict.ok) return rejectedKey(url, verdict.reason);
        if (!verdict.record.scopes.has("metrics:read")) {
          const description = `this API key lacks the scope metrics:read (futucli gen-key --scopes metrics:read)`;
          return new Response(
            JSON.stringify({ error: "insufficient_scope", error_description: description, scope: "metrics:read" }),
            {
              status: 403,
              headers: {
                "content-type": "application/json",
                "www-authenticate":
                  `Bearer error="insufficient_scope", scope="metrics:read", error_description="${description}"`,
              },
            },
          );
        }
      }
      const { text, contentType } = await metrics.render();
      return new Response(text, { headers: { "content-type": contentType } });
    }
    // Legacy mode never answers 401, so no client starts OAuth and a probe is just an unknown path.
    return store ? oauthProbeAnswer(url.pathname) : undefined;
  };

  const reload = async (): Promise<Error | undefined> => {
    if (!keysFile) return new Error("no keys file to reload (legacy mode)");
    audit?.close(); // reopened by the next event: SIGHUP also follows an external log rotation
    try {
      const refusal = await exposureRefusal(keysFile, "reload");
      if (refusal) throw new KeysFileError(refusal);
      const records = await readKeysFile(keysFile);
      store = new KeyStore(records);
      audit?.write({
        iface: "mcp",
        endpoint: "SIGHUP",
        key_id: "<none>",
        outcome: "reload",
        reason: `${records.length} keys`,
      });
      log(`futu-mcp: reloaded ${keysFile}: ${records.length} key(s)`);
      return undefined;
    } catch (err) {
      const message = err instanceof KeysFileError ? err.message : `cannot reload: ${(err as Error).message}`;
      audit?.write({ iface: "mcp", endpoint: "SIGHUP", key_id: "<none>", outcome: "failure", reason: message });
      log(`futu-mcp: reload of ${keysFile} failed, keeping the previous keys: ${message}`);
      return err as Error;
    }
  };

  return {
    access,
    metrics,
    killSwitch,
    exclude,
    authenticate,
    routes,
    keys: () => store,
    reload,
    close: () => audit?.close(),
  };
}
