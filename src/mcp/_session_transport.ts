/**
 * One HTTP session's transport: the SDK's Streamable HTTP transport, plus a
 * lean path for the common POST — one request that cannot stream — answered
 * as a single `application/json` body. The SDK transport answers every POST
 * with an SSE stream (a stream, an event encoding and a keep-alive timer per
 * call); the protocol lets a server answer a request with JSON instead, and
 * only a request that may carry progress or ask the user something needs the
 * stream. Everything else (initialize, GET, DELETE, notifications, batches,
 * requests that may stream, and any POST whose headers the lean path does not
 * recognise) goes to the SDK transport unchanged, which also produces every
 * protocol error.
 *
 * @module
 */
import {
  type JSONRPCMessage,
  type JSONRPCRequest,
  JSONRPCRequestSchema,
  type MessageExtraInfo,
  SUPPORTED_PROTOCOL_VERSIONS,
  type Transport,
  type TransportSendOptions,
} from "./sdk.ts";
import type { WebStandardStreamableHTTPServerTransport } from "./sdk_http.ts";

type RequestId = string | number;

/** Whether a request may send progress or server requests on its own stream (so needs SSE). */
export type MayStream = (request: JSONRPCRequest) => boolean;

/** See the module documentation. */
export class SessionTransport implements Transport {
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;
  onerror?: (error: Error) => void;
  onclose?: () => void;

  readonly sdk: WebStandardStreamableHTTPServerTransport;
  readonly #mayStream: MayStream;
  /** Lean requests waiting for their response, by JSON-RPC id. */
  readonly #waiting = new Map<RequestId, (response: Response) => void>();

  constructor(sdk: WebStandardStreamableHTTPServerTransport, mayStream: MayStream) {
    this.sdk = sdk;
    this.#mayStream = mayStream;
    sdk.onmessage = (message, extra) => {
      if ("method" in message && message.method === "notifications/cancelled") this.#cancelled(message.params);
      this.onmessage?.(message, extra);
    };
    sdk.onerror = (error) => this.onerror?.(error);
    sdk.onclose = () => {
      for (const answer of this.#waiting.values()) answer(sessionClosed());
      this.#waiting.clear();
      this.onclose?.();
    };
  }

  get sessionId(): string | undefined {
    return this.sdk.sessionId;
  }

  start(): Promise<void> {
    return this.sdk.start();
  }

  close(): Promise<void> {
    return this.sdk.close();
  }

  send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    if (("result" in message || "error" in message) && message.id !== undefined) {
      const answer = this.#waiting.get(message.id);
      if (answer) {
        this.#waiting.delete(message.id);
        answer(
          new Response(JSON.stringify(message), {
            headers: { "content-type": "application/json", "mcp-session-id": this.sessionId ?? "" },
          }),
        );
        return Promise.resolve();
      }
    }
    // A lean request has no stream of its own: anything else it sends goes on the session's stream (GET).
    const related = options?.relatedRequestId;
    if (related !== undefined && this.#waiting.has(related)) {
      return this.sdk.send(message, { ...options, relatedRequestId: undefined });
    }
    return this.sdk.send(message, options);
  }

  /**
   * The lean answer to a POST of this session, or undefined when the SDK transport must handle it. `body` is
   * the parsed JSON body; the session is initialized (its id came from the SDK transport).
   */
  lean(headers: Headers, body: unknown, extra: MessageExtraInfo): Promise<Response> | undefined {
    if (!leanHeaders(headers)) return undefined;
    const parsed = JSONRPCRequestSchema.safeParse(body);
    if (!parsed.success || this.#mayStream(parsed.data)) return undefined;
    const message = parsed.data;
    // Ids are the client's to keep unique; a repeat while the first is in flight goes the SDK's way.
    if (this.#waiting.has(message.id)) return undefined;
    return new Promise<Response>((resolve) => {
      // A client that went away is still answered, into the void: the request's own abort signal is not watched,
      // since the HTTP server aborts it after every response, at the price of an exception each.
      this.#waiting.set(message.id, resolve);
      this.onmessage?.(message, extra);
    });
  }

  /** A cancelled request gets no JSON-RPC response (the protocol says so): its HTTP request ends empty. */
  #cancelled(params: unknown): void {
    const id = (params as { requestId?: unknown } | undefined)?.requestId;
    if (typeof id !== "string" && typeof id !== "number") return;
    const answer = this.#waiting.get(id);
    if (!answer) return;
    this.#waiting.delete(id);
    answer(new Response(null, { status: 204 }));
  }
}

/** What the lean path requires of the headers; anything else goes to the SDK transport, which judges it. */
function leanHeaders(headers: Headers): boolean {
  const accept = headers.get("accept");
  if (!accept?.includes("application/json") || !accept.includes("text/event-stream")) return false;
  const type = headers.get("content-type");
  if (type === null || type.split(";")[0].trim().toLowerCase() !== "application/json") return false;
  const version = headers.get("mcp-protocol-version");
  return version === null || SUPPORTED_PROTOCOL_VERSIONS.includes(version);
}

function sessionClosed(): Response {
  return new Response(
    JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32001, message: "Session closed" } }),
    { status: 404, headers: { "content-type": "application/json" } },
  );
}
