/**
 * The HTTP load of `bench:all`: `sessions` MCP sessions over Streamable HTTP,
 * each with one tool call in flight, for `seconds`. A lean generator (fetch
 * and JSON, no SDK client) so that the load costs the 2-core machine as
 * little as possible; it accepts JSON and SSE answers, as a client must.
 *
 * @module
 */

/** What the load measured. */
export interface HttpLoadResult {
  sessions: number;
  calls: number;
  callsPerSecond: number;
  medianMs: number;
  p99Ms: number;
  /** Answers that were not a successful result. */
  failures: number;
}

const PROTOCOL = "2025-11-25";

/** Runs the load against `url` (…/mcp). */
export async function httpLoad(
  url: string,
  options: { sessions: number; seconds: number; bearer?: string; call: { name: string; arguments: unknown } },
): Promise<HttpLoadResult> {
  const base: Record<string, string> = {
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
    ...(options.bearer ? { authorization: `Bearer ${options.bearer}` } : {}),
  };
  const post = async (body: unknown, session?: string) => {
    const response = await fetch(url, {
      method: "POST",
      headers: session ? { ...base, "mcp-session-id": session, "mcp-protocol-version": PROTOCOL } : base,
      body: JSON.stringify(body),
    });
    return { response, text: await response.text() };
  };
  const ids: string[] = [];
  for (let i = 0; i < options.sessions; i++) {
    const { response } = await post({
      jsonrpc: "2.0",
      id: 0,
      method: "initialize",
      params: { protocolVersion: PROTOCOL, capabilities: {}, clientInfo: { name: "bench", version: "1" } },
    });
    const id = response.headers.get("mcp-session-id");
    if (!id) throw new Error(`initialize failed: HTTP ${response.status}`);
    await post({ jsonrpc: "2.0", method: "notifications/initialized" }, id);
    ids.push(id);
  }
  const latencies: number[] = [];
  let failures = 0;
  const until = performance.now() + options.seconds * 1000;
  const started = performance.now();
  await Promise.all(ids.map(async (session) => {
    for (let id = 1; performance.now() < until; id++) {
      const at = performance.now();
      const { response, text } = await post(
        { jsonrpc: "2.0", id, method: "tools/call", params: options.call },
        session,
      );
      latencies.push(performance.now() - at);
      if (!response.ok || !text.includes('"structuredContent"') || text.includes('"isError":true')) failures++;
    }
  }));
  const elapsed = (performance.now() - started) / 1000;
  for (const id of ids) {
    await fetch(url, { method: "DELETE", headers: { ...base, "mcp-session-id": id } }).then((r) => r.body?.cancel());
  }
  latencies.sort((a, b) => a - b);
  return {
    sessions: options.sessions,
    calls: latencies.length,
    callsPerSecond: latencies.length / elapsed,
    medianMs: latencies[Math.floor(latencies.length / 2)],
    p99Ms: latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))],
    failures,
  };
}
