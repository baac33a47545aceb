/**
 * Assembles futu-mcp: the gateway (or the embedded simulator), the domain
 * services, the tool guard, and a transport (stdio or HTTP).
 *
 * @module
 */
import { Gateway, parseHostPort, RsaKey } from "../gateway/mod.ts";
import type { SimServer } from "../sim/server.ts";
import { envPasswordSource, firstOf, type TradePasswordSource } from "../services/trade_password.ts";
import { type AccessLayer, createAccessLayer } from "./access.ts";
import { keychainPasswordSource } from "../services/keychain.ts";
import type { FutuMcpOptions } from "./options.ts";
import { type CallMeta, ToolGuard } from "../tools/guard.ts";
import { createServices } from "../services/services.ts";
import { ChartService } from "../services/chart.ts";
import type { HttpServer } from "../mcp/http.ts";
import { createMcpServer, sendLog } from "../mcp/server.ts";
import type { Server } from "../mcp/sdk.ts";
import { StdioTransport } from "../mcp/stdio.ts";
import { ALL_TOOLS, DEFAULT_TOOLSETS, PUSH_TOOLS, selectTools } from "../tools/inventory.ts";
import { isReadOnly, TOOLSETS } from "../tools/tool.ts";
import { grantHint } from "../version.ts";
import type { SharedState } from "../state/store.ts";

/** A running futu-mcp. */
export interface FutuMcp {
  readonly gateway: Gateway;
  readonly guard: ToolGuard;
  readonly access: AccessLayer;
  readonly sim?: SimServer;
  readonly http?: HttpServer;
  /** Resolves when the stdio client went away. */
  readonly stdioClosed?: Promise<void>;
  close(): Promise<void>;
}

/** What the assembly takes beyond the options. */
export interface AppDependencies {
  /** Where the trade password comes from (default: FUTU_TRADE_PWD, then the OS keychain). */
  passwords?: TradePasswordSource;
  log?: (message: string) => void;
}

/** Starts futu-mcp. */
export async function startFutuMcp(options: FutuMcpOptions, deps: AppDependencies = {}): Promise<FutuMcp> {
  const log = deps.log ?? ((message: string) => console.error(message));
  let sim: SimServer | undefined;
  let address = options.gateway;
  if (options.gateway === "sim") {
    // In-process: the embedded simulator needs no port, so a release build's net grant stays OpenD's and the listener's.
    // Loaded only here: a futu-mcp on a real OpenD never evaluates the simulator.
    const [{ SimServer }, { simClockFrom }] = await Promise.all([
      import("../sim/server.ts"),
      import("../sim/options.ts"),
    ]);
    sim = await SimServer.start({
      transport: "in-process",
      seed: options.simSeed,
      clock: simClockFrom(options.simClock, options.simClockSpeed),
    });
    address = "the in-process simulated OpenD";
    log(`futu-mcp: simulated OpenD running in-process`);
  } else {
    parseHostPort(address, "--gateway");
  }
  const rsaKey = options.rsaKey ? RsaKey.fromPem(await Deno.readTextFile(options.rsaKey)) : undefined;
  let shared: SharedState | undefined;
  try {
    // Loaded only here: a futu-mcp without --state never evaluates the Redis client.
    shared = options.state ? await (await import("./shared_state.ts")).openSharedState(options, log) : undefined;
  } catch (err) {
    await sim?.close();
    throw err;
  }
  const embedded = sim;
  const gateway = Gateway.start({
    ...(embedded ? { gateway: { host: "in-process", port: 0 }, dial: () => embedded.dial() } : { gateway: address }),
    rsaKey,
    onWarning: (message) => log(`futu-mcp: gateway: ${message}`),
  });
  if (shared) gateway.trade.sharePacing(shared.pacing);
  // Gateway events go to stderr and, as MCP log messages, to every connected client.
  const servers = new Set<Server>();
  const announce = (level: "info" | "warning", message: string) => {
    log(`futu-mcp: ${message}`);
    for (const server of servers) {
      // Only to initialized sessions: nothing may precede the initialize result (the in-process simulator connects first).
      if (server.getClientCapabilities() === undefined) continue;
      sendLog(server, level, "futu-gateway", message);
    }
  };
  gateway.client.onStateChange((change) => {
    if (change.state === "ready") announce("info", `connected to OpenD at ${address} (connID ${change.connId})`);
    else if (change.state === "reconnecting") {
      announce(
        "warning",
        `OpenD at ${address} unavailable (${change.error?.message}); retrying in ${change.retryInMs} ms`,
      );
    }
  });
  let access: AccessLayer | undefined;
  const services = createServices(gateway, {
    passwords: deps.passwords ?? firstOf([envPasswordSource(), keychainPasswordSource()]),
    // Pushes only flow after a subscription, which the access layer has admitted by then.
    mayReceive: (channel, push) => access ? access.access.mayReceive(channel, push) : Promise.resolve(false),
    // Loaded on the first chart: a futu-mcp that draws none never parses the renderer.
    charts: new ChartService(() => import("../services/chart_render.ts")),
    idempotencyStore: shared?.idempotency,
  });
  try {
    access = await createAccessLayer(options, services, log, shared);
  } catch (err) {
    await gateway.close();
    await sim?.close();
    await shared?.close();
    throw err;
  }
  access.metrics?.watchGateway(gateway.client);
  if (shared) access.metrics?.watchState(shared);
  // With dynamic toolsets every toolset is offered, and sessions enable beyond --toolsets on request.
  const exposed = selectTools({
    toolsets: options.dynamicToolsets ? TOOLSETS : options.toolsets,
    readOnly: options.readOnly,
  });
  const hidden = new Map<string, string>();
  for (const tool of ALL_TOOLS) {
    if (!exposed.includes(tool)) {
      hidden.set(
        tool.name,
        options.readOnly && !tool.annotations.readOnlyHint
          ? "the server runs --read-only"
          : "its toolset is not enabled",
      );
    }
  }
  const tools = exposed.filter((tool) => {
    const why = access.exclude(tool);
    if (why) hidden.set(tool.name, why);
    return !why;
  });
  const checkOutput = options.checkOutput;
  const guard = new ToolGuard({ tools, hidden, services, access: access.access, log, checkOutput });
  const pushGuard = new ToolGuard({ tools: PUSH_TOOLS, services, access: access.access, log, checkOutput });
  // Resources, prompts and completion read through every read-only tool, whatever --toolsets offers:
  // toolsets trim the model's context, while the key's scopes decide what may be read.
  const reader = new ToolGuard({
    tools: ALL_TOOLS.filter(isReadOnly),
    services,
    access: access.access,
    log,
    checkOutput,
  });
  const transport = options.httpListen === undefined ? "stdio" : "http";
  const metaOf = (extra: { sessionId?: string; authInfo?: unknown }): CallMeta => {
    const info = extra.authInfo as { token?: string } | undefined;
    return { transport, sessionId: extra.sessionId, bearer: info?.token ? info.token : undefined };
  };

  const newServer = () => {
    // Pushes to this session travel as MCP log notifications (logger "futu_push"). The session asked for them
    // (futu_watch_*), so logging/setLevel, which filters the server's own log messages, does not drop them.
    const sink = {
      id: `mcp-${crypto.randomUUID()}`,
      send: (push: unknown) => {
        server.notification({
          method: "notifications/message",
          params: { level: "info", logger: "futu_push", data: push },
        })
          .catch(() => {});
      },
    };
    const resourceSinkId = `mcp-res-${crypto.randomUUID()}`;
    const server: Server = createMcpServer(guard, (extra) => ({ ...metaOf(extra), push: sink }), {
      outputSchemas: options.outputSchemas,
      dynamicToolsets: options.dynamicToolsets ? options.toolsets ?? DEFAULT_TOOLSETS : undefined,
      reader,
      resourceSinkId,
      confirmTimeoutMs: options.confirmTimeoutMs,
    });
    servers.add(server);
    server.onclose = () => {
      servers.delete(server);
      services.pushes.removeSession(sink.id).catch(() => {});
      services.pushes.removeSession(resourceSinkId).catch(() => {});
    };
    return server;
  };

  const shutdown = async (http?: HttpServer) => {
    await http?.close();
    await gateway.close();
    await sim?.close();
    await shared?.close();
    access.close();
  };

  if (options.httpListen !== undefined) {
    const { host, port } = parseHostPort(options.httpListen, "--http-listen");
    // Loaded only here: a futu-mcp on stdio never evaluates the HTTP stack.
    const [{ startHttpServer }, { acceptPushSocket }] = await Promise.all([
      import("../mcp/http.ts"),
      import("../mcp/ws.ts"),
    ]);
    let http: HttpServer;
    try {
      http = await startHttpServer({
        hostname: host,
        port,
        createServer: newServer,
        authenticate: access.authenticate,
        routes: (request, url) => {
          if (url.pathname !== "/ws") return access.routes(request, url);
          const principal = access.authenticate(request, url);
          return principal instanceof Response
            ? principal
            : acceptPushSocket(request, principal, pushGuard, services.pushes);
        },
        allowedHosts: options.allowedHosts,
        maxSessions: options.maxSessions,
        maxSessionsPerKey: options.maxSessionsPerKey,
        sessionIdleMs: options.sessionIdleTimeoutMs,
        onSessionRefused: (cap) => access.metrics?.httpSessionsRefused.inc({ reason: cap }),
        log,
        // Only progress and the confirmation of a REAL write travel on a call's own stream; the confirmation
        // can only come from a write tool. Every other request is answered as one JSON body.
        mayStream: (request) => {
          if (request.params?._meta?.progressToken !== undefined) return true;
          if (request.method !== "tools/call") return false;
          const tool = guard.tool(String(request.params?.name));
          return tool !== undefined && !isReadOnly(tool);
        },
      });
    } catch (err) {
      await shutdown();
      if (err instanceof Deno.errors.NotCapable) {
        throw new Error(
          `not permitted to listen on ${options.httpListen}: ${grantHint("net", `${host}:${port}`, "--allow-listen")}`,
        );
      }
      throw err;
    }
    access.metrics?.watchSessions(http);
    log(`futu-mcp: MCP over Streamable HTTP at ${http.url}/mcp`);
    return { gateway, guard, access, sim, http, close: () => shutdown(http) };
  }

  const stdio = new StdioTransport();
  const server = newServer();
  await server.connect(stdio);
  return {
    gateway,
    guard,
    access,
    sim,
    stdioClosed: stdio.finished,
    close: async () => {
      await server.close().catch(() => {});
      await shutdown();
    },
  };
}
