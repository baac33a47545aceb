/**
 * The MCP server object: `tools/list` from the tool definitions, `tools/call`
 * through the {@link ToolGuard}. One is made per session; the guard and the
 * services behind it are shared.
 *
 * @module
 */
import { z } from "zod";
import { VERSION } from "../version.ts";
import {
  CompleteRequestSchema,
  ErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  type LoggingLevel,
  McpError,
  ReadResourceRequestSchema,
  Server,
  SetLevelRequestSchema,
  SubscribeRequestSchema,
  type ToolDescription,
  UnsubscribeRequestSchema,
} from "./sdk.ts";
import { type CallMeta, type ConfirmAnswer, errorResult, type ToolGuard, type ToolResult } from "../tools/guard.ts";
import { complete } from "./completion.ts";
import { getPrompt, PROMPTS } from "./prompts.ts";
import { RESOURCE_TEMPLATES, ResourceSession } from "./resources.ts";
import { ToolError, toToolError } from "../tools/errors.ts";
import { listedOutput } from "../tools/order_preview.ts";
import type { Tool, Toolset } from "../tools/tool.ts";
import { DISCOVERY_DESCRIPTIONS, ToolsetSession } from "./toolset_session.ts";

const SAFE_INT = 9007199254740991;

/**
 * Makes a zod JSON Schema lean and portable: drops what only adds bytes (the
 * dialect URI, zod's default safe-integer bounds, `propertyNames` of type
 * string, which every JSON key is) and spells a type array (zod's nullable and
 * primitive unions) as `anyOf` branches of one type each, which clients that
 * map schemas onto a single-type dialect (Gemini function declarations) accept.
 */
function lean(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(lean);
  if (!schema || typeof schema !== "object") return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "$schema") continue;
    if (key === "properties" && value && typeof value === "object") {
      // Property names are not keywords: only their schemas are made lean.
      out.properties = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, lean(sub)]));
      continue;
    }
    if ((key === "minimum" && value === -SAFE_INT) || (key === "maximum" && value === SAFE_INT)) continue;
    if (key === "propertyNames" && JSON.stringify(value) === '{"type":"string"}') continue;
    if (key === "type" && Array.isArray(value)) {
      out.anyOf = value.map((type) => ({ type }));
      continue;
    }
    out[key] = lean(value);
  }
  return out;
}

/**
 * A tool's listed output schema. MCP wants an object schema at the top: a trade write, which may also answer
 * that it waits for confirmation, lists its two result shapes as `anyOf` branches of one object.
 */
function outputSchemaOf(tool: Tool): Record<string, unknown> {
  const schema = lean(z.toJSONSchema(listedOutput(tool), { io: "output", unrepresentable: "any" })) as Record<
    string,
    unknown
  >;
  return schema.type === "object" ? schema : { type: "object", ...schema };
}

/**
 * tools/call as the SDK's CallToolRequestSchema has it, except that the arguments are passed on as sent: the
 * SDK's schema parses them as a record, which drops an own `__proto__` key, so the guard would never see it
 * to refuse it like any unknown field. The guard checks that they are an object.
 */
const CALL_TOOL_REQUEST = z.object({
  method: z.literal("tools/call"),
  params: z.looseObject({
    name: z.string(),
    arguments: z.unknown().optional(),
    _meta: z.looseObject({ progressToken: z.union([z.string(), z.number()]).optional() }).optional(),
  }),
});

/** The base class's setRequestHandler: see the tools/call handler in {@link createMcpServer}. */
const PROTOCOL_SET_REQUEST_HANDLER = (Object.getPrototypeOf(Server.prototype) as Pick<Server, "setRequestHandler">)
  .setRequestHandler;

const API_KEY_PROPERTY = { type: "string", description: "API key for this call only" };

/**
 * The `tools/list` entry of a tool. The output schema is optional in MCP and costs more bytes than
 * the rest of the entry: `outputSchema: false` leaves it out (structuredContent is sent either way).
 */
export function describeTool(tool: Tool, options: { outputSchema?: boolean } = {}): ToolDescription {
  const input = lean(z.toJSONSchema(tool.input, { io: "input", unrepresentable: "any" })) as Record<string, unknown>;
  // Not listed: the arguments are the listed properties (and the aliases normaliseAliases accepts, which a
  // client validating against `additionalProperties: false` would refuse); the guard refuses any other name.
  if (input.additionalProperties === false) delete input.additionalProperties;
  // Every tool accepts a per-call api_key (the guard takes it out); the write tools advertise it.
  if (!tool.annotations.readOnlyHint) {
    input.properties = { ...(input.properties as Record<string, unknown> ?? {}), api_key: API_KEY_PROPERTY };
  }
  const output = options.outputSchema === false ? undefined : outputSchemaOf(tool);
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: input as ToolDescription["inputSchema"],
    ...(output ? { outputSchema: output as ToolDescription["outputSchema"] } : {}),
    annotations: tool.annotations,
  };
}

/** Server instructions: the few rules every client should know. */
export const INSTRUCTIONS =
  'Futu OpenD tools. Symbols are "MARKET.CODE" (HK.00700, US.AAPL, SH.600519). Trading is simulated unless env is "real"; ' +
  "place real orders only on the user's explicit instruction and confirm the details first. Ids are strings. " +
  "If a write's outcome is unknown, check futu_get_orders before repeating it.";

/** How a server lists its tools. */
export interface McpServerOptions {
  /** List each tool's output schema (default: no). */
  outputSchemas?: boolean;
  /**
   * Dynamic toolsets: the session starts with these toolsets enabled and the discovery tools;
   * the guard's other tools are enabled on request.
   */
  dynamicToolsets?: readonly Toolset[];
  /**
   * Resources, prompts and completion: they read through this guard (every read-only tool), so
   * that the key's scopes, account whitelist, audit and metrics apply to them as to tools.
   */
  reader?: ToolGuard;
  /** The push sink id of this session's resource subscriptions (unique per session). */
  resourceSinkId?: string;
  /** How long the user has to answer the confirmation of a REAL write (default 120 s). */
  confirmTimeoutMs?: number;
}

/** What the user fills in to confirm a REAL write: one deliberate box, not ticked by default. */
const CONFIRM_FORM = {
  type: "object" as const,
  properties: {
    confirm: {
      type: "boolean" as const,
      title: "Send this REAL order",
      description: "Real money. Tick only if every detail above is what you want.",
    },
  },
  required: ["confirm"],
};

/**
 * Asks the person at the client to confirm a REAL write (form elicitation, on the call's own stream).
 * Only an accepted form with the box ticked confirms it; everything else, a failure included, does not.
 */
async function askToConfirm(
  server: Server,
  request: { message: string; signal: AbortSignal },
  relatedRequestId: string | number,
  timeoutMs: number,
): Promise<ConfirmAnswer> {
  try {
    const result = await server.elicitInput(
      {
        mode: "form",
        message: `Confirm this REAL order (real money):\n${request.message}`,
        requestedSchema: CONFIRM_FORM,
      },
      { relatedRequestId, timeout: timeoutMs, signal: request.signal },
    );
    if (result.action !== "accept") return result.action;
    return result.content?.confirm === true ? "accept" : "decline";
  } catch (err) {
    if (request.signal.aborted) return "cancelled";
    if (err instanceof McpError && err.code === ErrorCode.RequestTimeout) return "timeout";
    return "failed";
  }
}

/** RFC 5424 severities, least severe first, as MCP names them. */
const LEVELS: readonly LoggingLevel[] = [
  "debug",
  "info",
  "notice",
  "warning",
  "error",
  "critical",
  "alert",
  "emergency",
];

/** Each session's minimum log level: "info" until the client sets one (debug messages are opt-in). */
const minimumLevel = new WeakMap<Server, LoggingLevel>();

/**
 * Sends an MCP log message to a session unless its level (logging/setLevel) is above the message's. Every server
 * log message goes through here; pushes the session subscribed to do not (they are not the server's log).
 */
export function sendLog(server: Server, level: LoggingLevel, logger: string, data: unknown): void {
  if (LEVELS.indexOf(level) < LEVELS.indexOf(minimumLevel.get(server) ?? "info")) return;
  server.notification({ method: "notifications/message", params: { level, logger, data } }).catch(() => {});
}

/** The MCP log level of a finished tool call: refusals and failures warn, trade writes are notices. */
function callLevel(tool: Tool | undefined, result: ToolResult): LoggingLevel {
  if (result.isError) return "warning";
  return tool && !tool.annotations.readOnlyHint ? "notice" : "debug";
}

/**
 * Each tool's `tools/list` entry, built once per process rather than per session (a tool definition never
 * changes, and rendering its JSON Schemas is the dearest part of a new HTTP session).
 */
const WITHOUT_OUTPUT = new WeakMap<Tool, ToolDescription>();
const WITH_OUTPUT = new WeakMap<Tool, ToolDescription>();

/** Builds an MCP server over a guard. */
export function createMcpServer(
  guard: ToolGuard,
  meta: (extra: { sessionId?: string; authInfo?: unknown }) => CallMeta,
  options: McpServerOptions = {},
) {
  const dynamic = options.dynamicToolsets !== undefined;
  const reader = options.reader;
  const confirmTimeoutMs = options.confirmTimeoutMs ?? 120_000;
  const server = new Server(
    { name: "futu-mcp", title: "Futu OpenD", version: VERSION },
    {
      capabilities: {
        tools: { listChanged: dynamic },
        logging: {},
        ...(reader ? { resources: { subscribe: true }, prompts: {}, completions: {} } : {}),
      },
      instructions: INSTRUCTIONS,
    },
  );
  server.setRequestHandler(SetLevelRequestSchema, (request) => {
    minimumLevel.set(server, request.params.level);
    return {};
  });
  const descriptions = options.outputSchemas === true ? WITH_OUTPUT : WITHOUT_OUTPUT;
  const describe = (tool: Tool) => {
    let description = descriptions.get(tool);
    if (!description) {
      descriptions.set(tool, description = describeTool(tool, { outputSchema: descriptions === WITH_OUTPUT }));
    }
    return description;
  };
  const session = dynamic
    ? new ToolsetSession(guard.tools, options.dynamicToolsets!, () => {
      server.sendToolListChanged().catch(() => {});
    })
    : undefined;
  const fixed = session ? undefined : guard.tools.map(describe);
  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: fixed ?? [...DISCOVERY_DESCRIPTIONS, ...session!.tools.map(describe)],
  }));
  // The SDK's Server wraps a tools/call handler to parse the request a second time and to re-validate the
  // result; the base Protocol's registration parses it once, and a result is our own ToolResult, whose shape
  // the type system and the tests hold (FUTU_CHECK_OUTPUT=1 checks each against its tool's output schema).
  PROTOCOL_SET_REQUEST_HANDLER.call(server, CALL_TOOL_REQUEST, async (request, extra): Promise<ToolResult> => {
    const name = request.params.name;
    if (session?.isDiscovery(name)) {
      try {
        const args = request.params.arguments ?? {};
        if (typeof args !== "object" || args === null || Array.isArray(args)) {
          throw new ToolError("invalid_arguments", "arguments must be a JSON object");
        }
        const result = session.run(name, args as Record<string, unknown>);
        return { content: [{ type: "text", text: JSON.stringify(result) }], structuredContent: result };
      } catch (err) {
        return errorResult(toToolError(err));
      }
    }
    const disabled = session?.disabledReason(name);
    if (disabled) return errorResult(new ToolError("unknown_tool", disabled));
    const started = performance.now();
    const canAsk = server.getClientCapabilities()?.elicitation?.form !== undefined;
    const progressToken = request.params._meta?.progressToken;
    let lastProgress = -1;
    // Progress goes out before the result: a notification still on its way when the result is sent would arrive
    // after the client stopped listening for the call's progress.
    const progressSent: Promise<void>[] = [];
    const callMeta: CallMeta = {
      ...meta({ sessionId: extra.sessionId, authInfo: extra.authInfo }),
      signal: extra.signal,
      confirm: canAsk ? (ask) => askToConfirm(server, ask, extra.requestId, confirmTimeoutMs) : undefined,
      progress: progressToken === undefined ? undefined : (done, total, message) => {
        if (done <= lastProgress) return;
        lastProgress = done;
        progressSent.push(
          extra.sendNotification({
            method: "notifications/progress",
            params: { progressToken, progress: done, total, message },
          }).catch(() => {}),
        );
      },
    };
    const result = await guard.call(name, request.params.arguments, callMeta);
    await Promise.all(progressSent);
    // Tool-call events as MCP log messages (levels honour logging/setLevel): the tool, the outcome and, for a
    // failure, its code and message, which never hold a secret; never the arguments.
    const ms = Math.round(performance.now() - started);
    const failure = result.isError ? JSON.parse(result.content[0].text) as { code: string; error: string } : undefined;
    sendLog(
      server,
      callLevel(guard.tool(name), result),
      "futu-mcp",
      failure ? `${name} failed (${failure.code}) in ${ms} ms: ${failure.error}` : `${name} ok in ${ms} ms`,
    );
    return result;
  });
  if (reader) {
    const surfaceMeta = (extra: { sessionId?: string; authInfo?: unknown; signal?: AbortSignal }): CallMeta => ({
      ...meta({ sessionId: extra.sessionId, authInfo: extra.authInfo }),
      signal: extra.signal,
    });
    const resources = new ResourceSession({
      reader,
      sinkId: options.resourceSinkId ?? `mcp-res-${crypto.randomUUID()}`,
      updated: (uri) => {
        server.sendResourceUpdated({ uri }).catch(() => {});
      },
    });
    server.setRequestHandler(ListResourcesRequestSchema, async (_request, extra) => ({
      resources: await resources.list(surfaceMeta(extra)),
    }));
    server.setRequestHandler(
      ListResourceTemplatesRequestSchema,
      () => ({ resourceTemplates: [...RESOURCE_TEMPLATES] }),
    );
    server.setRequestHandler(
      ReadResourceRequestSchema,
      (request, extra) => resources.read(request.params.uri, surfaceMeta(extra)),
    );
    server.setRequestHandler(SubscribeRequestSchema, async (request, extra) => {
      await resources.subscribe(request.params.uri, surfaceMeta(extra));
      return {};
    });
    server.setRequestHandler(UnsubscribeRequestSchema, async (request, extra) => {
      await resources.unsubscribe(request.params.uri, surfaceMeta(extra));
      return {};
    });
    server.setRequestHandler(ListPromptsRequestSchema, () => ({ prompts: [...PROMPTS] }));
    server.setRequestHandler(
      GetPromptRequestSchema,
      (request, extra) => getPrompt(reader, request.params.name, request.params.arguments ?? {}, surfaceMeta(extra)),
    );
    server.setRequestHandler(
      CompleteRequestSchema,
      (request, extra) => complete(reader, request.params, surfaceMeta(extra)),
    );
  }
  answerBadParamsAsInvalid(server);
  return server;
}

/** A request handler as the SDK's Protocol keeps them, one per method. */
type ProtocolHandler = (request: unknown, extra: unknown) => Promise<unknown>;

/**
 * Params that fail a method's request schema are the caller's mistake: JSON-RPC's -32602 naming each field, where
 * the SDK answers -32603 (an internal error) with zod's issue list as JSON. Every registered method is wrapped in
 * the SDK's handler map, the one place each request passes; a schema failure is a ZodError from the SDK's own
 * parse before the handler runs (tool arguments are the guard's, and answer as tool errors).
 */
function answerBadParamsAsInvalid(server: Server): void {
  const handlers = (server as unknown as { _requestHandlers: Map<string, ProtocolHandler> })._requestHandlers;
  for (const [method, handler] of handlers) {
    handlers.set(method, async (request, extra) => {
      try {
        return await handler(request, extra);
      } catch (err) {
        // zod's ZodError, or its core's $ZodError (what the SDK's compatibility parse throws).
        const issues = /^\$?ZodError$/.test(String((err as { name?: unknown }).name))
          ? (err as { issues?: { path: PropertyKey[]; message: string }[] }).issues
          : undefined;
        if (!Array.isArray(issues)) throw err;
        const named = issues.slice(0, 5).map((i) => `${i.path.map(String).join(".") || "params"}: ${i.message}`);
        throw new McpError(ErrorCode.InvalidParams, `Invalid params for ${method}: ${named.join("; ")}`.slice(0, 500));
      }
    });
  }
}
