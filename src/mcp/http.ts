/**
 * MCP over Streamable HTTP at `/mcp`, served by `Deno.serve` with the SDK's
 * web-standard transport: POST for requests, GET for the server's stream,
 * DELETE to end a session. Requests are checked before the SDK sees them:
 * a capped body, DNS-rebinding protection (Host and Origin) on loopback
 * binds, and session ownership. Extra routes (metrics, auth metadata) can be
 * mounted by the caller.
 *
 * @module
 */
import { isInitializeRequest, type Server } from "./sdk.ts";
import { WebStandardStreamableHTTPServerTransport } from "./sdk_http.ts";
import { type MayStream, SessionTransport } from "./_session_transport.ts";
import { invalidEnvelope } from "./envelope.ts";
import { type SessionCap, SessionCaps } from "./session_caps.ts";

/** Default cap on a request body. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Sessions idle this long are closed (default of {@link HttpServerOptions.sessionIdleMs}). */
export const SESSION_IDLE_MS = 30 * 60_000;
/** Default cap on live sessions in all. */
export const MAX_SESSIONS = 1000;
/** Default cap on live sessions of one owner (API key). */
export const MAX_SESSIONS_PER_KEY = 64;

/** Who an HTTP request speaks for, as the authenticator decided. */
export interface HttpPrincipal {
  /** The bearer token, when one was sent. */
  bearer?: string;
  /** A stable id of the credential (sessions are bound to it). */
  owner: string;
}

/** Options of {@link startHttpServer}. */
export interface HttpServerOptions {
  hostname: string;
  port: number;
  /** Makes the MCP server of a new session. */
  createServer: (principal: HttpPrincipal) => Server;
  /**
   * Decides who a request speaks for, or answers it (e.g. 401). Default:
   * anyone, owner "".
   */
  authenticate?: (request: Request, url: URL) => Promise<HttpPrincipal | Response> | HttpPrincipal | Response;
  /** Other routes (e.g. `/metrics`); return undefined to fall through. */
  routes?: (request: Request, url: URL) => Promise<Response | undefined> | Response | undefined;
  maxBodyBytes?: number;
  /** Extra Host header values to accept (e.g. a reverse proxy's name). */
  allowedHosts?: string[];
  log?: (message: string) => void;
  /** Called with the bound address once listening. */
  onListen?: (address: { hostname: string; port: number }) => void;
  /**
   * Whether a request may stream (progress, a question to the user) and so needs an SSE answer; the others
   * are answered as one JSON body. Default: every request may.
   */
  mayStream?: MayStream;
  /** Live sessions allowed in all (default {@link MAX_SESSIONS}); initializing ones count. */
  maxSessions?: number;
  /** Live sessions allowed per owner (default {@link MAX_SESSIONS_PER_KEY}). */
  maxSessionsPerKey?: number;
  /** A session untouched this long is closed (default {@link SESSION_IDLE_MS}). */
  sessionIdleMs?: number;
  /** Called when a new session is refused by a cap (e.g. to count it). */
  onSessionRefused?: (cap: SessionCap) => void;
  /** The time, for idle expiry (default Date.now). */
  now?: () => number;
}

/** A running HTTP server. */
export interface HttpServer {
  /** Base URL, e.g. "http://127.0.0.1:38765". */
  readonly url: string;
  readonly port: number;
  /** Live MCP sessions. */
  readonly sessionCount: number;
  /**
   * Closes the sessions idle beyond the timeout now, as the timer does periodically; resolves with how many
   * were closed.
   */
  sweep(): Promise<number>;
  /** Stops accepting, ends sessions, waits for in-flight requests. */
  close(): Promise<void>;
}

interface Session {
  transport: SessionTransport;
  server: Server;
  owner: string;
  lastSeen: number;
}

function isLoopback(hostname: string): boolean {
  return hostname === "127.0.0.1" || hostname === "localhost" || hostname === "::1" || hostname.startsWith("127.");
}

function jsonRpcError(
  status: number,
  code: number,
  message: string,
  headers: HeadersInit = {},
  id: string | number | null = null,
): Response {
  return new Response(JSON.stringify({ jsonrpc: "2.0", id, error: { code, message } }), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

async function readCapped(request: Request, cap: number): Promise<Uint8Array | Response> {
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (declared > cap) return jsonRpcError(413, -32600, `request body larger than ${cap} bytes`);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > cap) {
      await reader.cancel().catch(() => {});
      return jsonRpcError(413, -32600, `request body larger than ${cap} bytes`);
    }
    parts.push(value);
  }
  const body = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    body.set(p, at);
    at += p.length;
  }
  return body;
}

/** Starts the HTTP server. */
export function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const sessions = new Map<string, Session>();
  const cap = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const log = options.log ?? ((m: string) => console.error(m));
  const mayStream = options.mayStream ?? (() => true);
  let port = options.port;
  const loopback = isLoopback(options.hostname);
  // Built once the port is known (it may be chosen by the system), not per request.
  let allowed = new Set<string>();
  const hostAllowed = (host: string | null): boolean => {
    if (!loopback) return true;
    if (!host) return false;
    return allowed.has(host.toLowerCase());
  };
  const originAllowed = (origin: string | null): boolean => {
    if (!loopback || origin === null) return true;
    try {
      const url = new URL(origin);
      return hostAllowed(url.host);
    } catch {
      return false;
    }
  };

  const now = options.now ?? Date.now;
  const idleMs = options.sessionIdleMs ?? SESSION_IDLE_MS;
  const caps = new SessionCaps(options.maxSessions ?? MAX_SESSIONS, options.maxSessionsPerKey ?? MAX_SESSIONS_PER_KEY);

  const closeSession = async (id: string) => {
    const session = sessions.get(id);
    if (!session) return;
    sessions.delete(id);
    caps.release(session.owner);
    await session.transport.close().catch(() => {});
    await session.server.close().catch(() => {});
  };

  const sweep = async (): Promise<number> => {
    const at = now();
    const idle = [...sessions].filter(([, s]) => at - s.lastSeen > idleMs).map(([id]) => id);
    await Promise.all(idle.map(closeSession));
    return idle.length;
  };
  // A session expires at most a tick after its timeout; short timeouts (tests, tight deployments) tick faster.
  const sweeper = setInterval(() => sweep(), Math.min(60_000, Math.max(1000, Math.floor(idleMs / 4))));

  /** The 429 of a refused session: which cap, its value, and how sessions end. */
  const refused = (cap: SessionCap, owner: string): Response => {
    options.onSessionRefused?.(cap);
    const limit = cap === "global" ? caps.global : caps.perOwner;
    const what = cap === "global"
      ? `the server has its maximum of ${limit} live MCP sessions (--max-sessions ${limit})`
      : `this API key has its maximum of ${limit} live MCP sessions (--max-sessions-per-key ${limit})`;
    // The earliest a session this caller competes with can expire; sweeps run every few seconds at least.
    const oldest = Math.min(
      ...[...sessions.values()].filter((s) => cap === "global" || s.owner === owner).map((s) => s.lastSeen),
    );
    const retryAfter = Number.isFinite(oldest) ? Math.max(1, Math.ceil((oldest + idleMs - now()) / 1000) + 1) : 1;
    return jsonRpcError(
      429,
      -32000,
      `Too many sessions: ${what}. Idle sessions expire after ${Math.round(idleMs / 1000)} s without a request; ` +
        `a client can end its own session with DELETE /mcp and its Mcp-Session-Id header`,
      { "retry-after": String(retryAfter) },
    );
  };

  const handleMcp = async (request: Request, url: URL): Promise<Response> => {
    const authenticated = await (options.authenticate?.(request, url) ?? { owner: "" });
    if (authenticated instanceof Response) return authenticated;
    const principal = authenticated;
    const sessionId = request.headers.get("mcp-session-id");
    if (request.method === "POST") {
      const body = await readCapped(request, cap);
      if (body instanceof Response) return body;
      let parsed: unknown;
      try {
        parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body));
      } catch (err) {
        return jsonRpcError(400, -32700, `Parse error: ${(err as Error).message}`);
      }
      // The SDK transport answers a parsed but malformed message with -32700; JSON-RPC 2.0 says -32600.
      const invalid = invalidEnvelope(parsed);
      if (invalid) return jsonRpcError(400, -32600, invalid.message, {}, invalid.id);
      if (!sessionId) {
        const initializing = Array.isArray(parsed) ? parsed.some(isInitializeRequest) : isInitializeRequest(parsed);
        if (!initializing) {
          return jsonRpcError(400, -32000, "Bad Request: no Mcp-Session-Id header; send initialize first");
        }
        const cap = caps.reserve(principal.owner);
        if (cap) return refused(cap, principal.owner);
        const server = options.createServer(principal);
        const transport = new SessionTransport(
          new WebStandardStreamableHTTPServerTransport({
            sessionIdGenerator: () => crypto.randomUUID(),
            onsessioninitialized: (id) => {
              sessions.set(id, { transport, server, owner: principal.owner, lastSeen: now() });
            },
            onsessionclosed: (id) => {
              closeSession(id);
            },
          }),
          mayStream,
        );
        try {
          await server.connect(transport);
          return await transport.sdk.handleRequest(request, { parsedBody: parsed, authInfo: authInfoOf(principal) });
        } finally {
          // An initialize the SDK refused made no session: its reservation and its server are given back.
          const id = transport.sessionId;
          if (id === undefined || sessions.get(id)?.transport !== transport) {
            caps.release(principal.owner);
            await transport.close().catch(() => {});
            await server.close().catch(() => {});
          }
        }
      }
      const session = sessions.get(sessionId);
      if (!session) return jsonRpcError(404, -32001, "Session not found: initialize a new session");
      if (session.owner !== principal.owner) {
        return jsonRpcError(403, -32003, "Forbidden: this session belongs to another API key");
      }
      session.lastSeen = now();
      const authInfo = authInfoOf(principal);
      return await (session.transport.lean(request.headers, parsed, { authInfo }) ??
        session.transport.sdk.handleRequest(request, { parsedBody: parsed, authInfo }));
    }
    if (request.method === "GET" || request.method === "DELETE") {
      if (!sessionId) return jsonRpcError(400, -32000, "Bad Request: Mcp-Session-Id header required");
      const session = sessions.get(sessionId);
      if (!session) return jsonRpcError(404, -32001, "Session not found");
      if (session.owner !== principal.owner) {
        return jsonRpcError(403, -32003, "Forbidden: this session belongs to another API key");
      }
      session.lastSeen = now();
      const response = await session.transport.sdk.handleRequest(request, { authInfo: authInfoOf(principal) });
      if (request.method === "DELETE") await closeSession(sessionId);
      return response;
    }
    return jsonRpcError(405, -32000, "Method not allowed", { allow: "GET, POST, DELETE" });
  };

  const handler = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    if (!hostAllowed(request.headers.get("host"))) {
      return jsonRpcError(403, -32000, `Forbidden: Host ${request.headers.get("host")} is not allowed`);
    }
    if (!originAllowed(request.headers.get("origin"))) {
      return jsonRpcError(403, -32000, `Forbidden: Origin ${request.headers.get("origin")} is not allowed`);
    }
    try {
      if (url.pathname === "/mcp") return await handleMcp(request, url);
      const routed = await options.routes?.(request, url);
      if (routed) return routed;
      if (url.pathname === "/healthz") return new Response("ok\n", { headers: { "content-type": "text/plain" } });
      return new Response("not found\n", { status: 404, headers: { "content-type": "text/plain" } });
    } catch (err) {
      log(`futu-mcp: HTTP ${request.method} ${url.pathname} failed: ${(err as Error).stack ?? err}`);
      return jsonRpcError(500, -32603, "Internal error");
    }
  };

  return new Promise((resolve, reject) => {
    let server: Deno.HttpServer;
    try {
      server = Deno.serve({
        hostname: options.hostname,
        port: options.port,
        onListen: (addr) => {
          port = addr.port;
          allowed = new Set([
            `127.0.0.1:${port}`,
            `localhost:${port}`,
            `[::1]:${port}`,
            `${options.hostname}:${port}`,
            ...(options.allowedHosts ?? []),
          ].map((host) => host.toLowerCase()));
          options.onListen?.({ hostname: addr.hostname, port: addr.port });
          const host = options.hostname.includes(":") ? `[${options.hostname}]` : options.hostname;
          resolve({
            url: `http://${host}:${port}`,
            port,
            get sessionCount() {
              return sessions.size;
            },
            sweep,
            async close() {
              clearInterval(sweeper);
              await Promise.all([...sessions.keys()].map(closeSession));
              await server.shutdown();
            },
          });
        },
      }, handler);
    } catch (err) {
      clearInterval(sweeper);
      reject(err);
    }
  });
}

function authInfoOf(principal: HttpPrincipal) {
  return { token: principal.bearer ?? "", clientId: principal.owner, scopes: [] };
}
