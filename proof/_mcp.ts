/**
 * A lean MCP client over Streamable HTTP for the proof: fetch and JSON (no
 * SDK client, so that it accepts and reports whatever the server sends, and
 * costs the 2-core machine little), every request under a deadline so that a
 * hang is a figure rather than a stuck harness.
 *
 * @module
 */

export const PROTOCOL = "2025-11-25";

/** How one JSON-RPC exchange ended. */
export type Outcome =
  | { kind: "result"; result: Record<string, unknown> }
  | { kind: "tool_error"; code: string; error: string }
  | { kind: "rpc_error"; status: number; code: number; message: string }
  | { kind: "accepted"; status: number }
  | { kind: "not_jsonrpc"; status: number; body: string }
  | { kind: "hung" }
  | { kind: "transport"; message: string };

/** One HTTP answer, raw. */
export interface RawAnswer {
  status: number;
  headers: Headers;
  text: string;
}

/** POSTs raw `body` text to `url`: the answer, "hung" when none came within the deadline, or the transport's failure. */
export async function postRaw(
  url: string,
  body: string,
  headers: Record<string, string>,
  deadlineMs: number,
): Promise<RawAnswer | "hung" | { transport: string }> {
  try {
    const response = await fetch(url, { method: "POST", headers, body, signal: AbortSignal.timeout(deadlineMs) });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text };
  } catch (err) {
    if (err instanceof DOMException && (err.name === "TimeoutError" || err.name === "AbortError")) return "hung";
    return { transport: (err as Error).message };
  }
}

/** The JSON-RPC messages of an answer body: a JSON value or an SSE stream of `data:` lines. */
export function messagesOf(answer: RawAnswer): unknown[] | undefined {
  const type = answer.headers.get("content-type") ?? "";
  try {
    if (type.includes("text/event-stream")) {
      return answer.text.split("\n").filter((l) => l.startsWith("data:")).map((l) => JSON.parse(l.slice(5)));
    }
    if (answer.text.trim() === "") return [];
    const value = JSON.parse(answer.text);
    return Array.isArray(value) ? value : [value];
  } catch {
    return undefined;
  }
}

/** True for a JSON-RPC 2.0 response (a result or an error object) or a notification/request from the server. */
export function isJsonRpc(message: unknown): boolean {
  if (typeof message !== "object" || message === null) return false;
  const m = message as Record<string, unknown>;
  if (m.jsonrpc !== "2.0") return false;
  if ("result" in m) return "id" in m;
  if ("error" in m) {
    const e = m.error as Record<string, unknown> | null;
    return typeof e === "object" && e !== null && typeof e.code === "number" && typeof e.message === "string";
  }
  return typeof m.method === "string";
}

/** Classifies an answer to a request with id `id`. */
export function classify(answer: RawAnswer | "hung" | { transport: string }, id?: unknown): Outcome {
  if (answer === "hung") return { kind: "hung" };
  if ("transport" in answer) return { kind: "transport", message: answer.transport };
  const messages = messagesOf(answer);
  if (messages === undefined || !messages.every(isJsonRpc)) {
    return { kind: "not_jsonrpc", status: answer.status, body: answer.text.slice(0, 300) };
  }
  const responses = messages.filter((m) => !("method" in (m as Record<string, unknown>))) as Record<
    string,
    unknown
  >[];
  const response = responses.find((m) => id === undefined || m.id === id) ?? responses[0];
  if (!response) return { kind: "accepted", status: answer.status };
  if ("error" in response) {
    const e = response.error as { code: number; message: string };
    return { kind: "rpc_error", status: answer.status, code: e.code, message: e.message };
  }
  const result = response.result as Record<string, unknown>;
  if (result?.isError === true) {
    const content = result.content as { type: string; text: string }[] | undefined;
    const text = content?.[0]?.text ?? "";
    try {
      const parsed = JSON.parse(text) as { code?: string; error?: string };
      return { kind: "tool_error", code: parsed.code ?? "unparsed", error: parsed.error ?? text };
    } catch {
      return { kind: "tool_error", code: "unparsed", error: text.slice(0, 200) };
    }
  }
  return { kind: "result", result };
}

/** An MCP session over HTTP. */
export class Session {
  #next = 1;
  private constructor(
    readonly url: string,
    readonly id: string,
    readonly headers: Record<string, string>,
  ) {}

  /** The headers of a POST, with a bearer key when given. */
  static headers(bearer?: string): Record<string, string> {
    return {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
    };
  }

  /** The initialize request. */
  static initialize(id: number | string = 0): Record<string, unknown> {
    return {
      jsonrpc: "2.0",
      id,
      method: "initialize",
      params: { protocolVersion: PROTOCOL, capabilities: {}, clientInfo: { name: "proof", version: "1" } },
    };
  }

  /** Opens a session (initialize + initialized), or says why not: the HTTP status or "hung". */
  static async open(url: string, bearer?: string, deadlineMs = 20_000): Promise<Session | number | "hung" | string> {
    const base = Session.headers(bearer);
    const answer = await postRaw(url, JSON.stringify(Session.initialize()), base, deadlineMs);
    if (answer === "hung") return "hung";
    if ("transport" in answer) return answer.transport;
    const id = answer.headers.get("mcp-session-id");
    if (!id) return answer.status;
    const headers = { ...base, "mcp-session-id": id, "mcp-protocol-version": PROTOCOL };
    await postRaw(url, JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }), headers, deadlineMs);
    return new Session(url, id, headers);
  }

  /** Sends a JSON-RPC request in this session and classifies its answer. */
  async request(method: string, params: unknown, deadlineMs: number): Promise<Outcome> {
    const id = this.#next++;
    const answer = await postRaw(
      this.url,
      JSON.stringify({ jsonrpc: "2.0", id, method, params }),
      this.headers,
      deadlineMs,
    );
    return classify(answer, id);
  }

  /** tools/call. */
  call(name: string, args: unknown, deadlineMs: number): Promise<Outcome> {
    return this.request("tools/call", { name, arguments: args }, deadlineMs);
  }

  /** Ends the session (DELETE). */
  async close(): Promise<void> {
    await fetch(this.url, { method: "DELETE", headers: this.headers, signal: AbortSignal.timeout(5000) })
      .then((r) => r.body?.cancel(), () => {});
  }
}

/** The label of an outcome for a tally: "ok", the tool error code, "rpc <code>", "hung", … */
export function label(outcome: Outcome): string {
  switch (outcome.kind) {
    case "result":
      return "ok";
    case "tool_error":
      return outcome.code;
    case "rpc_error":
      return `rpc ${outcome.code} (HTTP ${outcome.status})`;
    case "accepted":
      return `accepted (HTTP ${outcome.status})`;
    case "not_jsonrpc":
      return `not JSON-RPC (HTTP ${outcome.status})`;
    case "hung":
      return "hung";
    case "transport":
      return "transport error";
  }
}
