/**
 * Prometheus metrics of futu-mcp (prom-client, text format 0.0.4). Key ids
 * are redacted to `kh_<8 hex>` unless configured public.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { OpenDClient } from "../gateway/types.ts";

/** The redacted label of a key id. */
function redactKeyId(id: string): string {
  if (id === "" || id.startsWith("<")) return id || "<none>";
  return `kh_${createHash("sha256").update(id, "utf8").digest("hex").slice(0, 8)}`;
}

/** futu-mcp's metrics. */
export class Metrics {
  readonly registry = new Registry();
  readonly #public: boolean;
  readonly #labels = new Map<string, string>();
  readonly authEvents: Counter<"iface" | "outcome" | "key_id">;
  readonly limitRejects: Counter<"iface" | "key_id" | "reason">;
  readonly pushFiltered: Counter<"required_scope" | "key_id">;
  readonly toolCalls: Counter<"tool" | "outcome">;
  readonly toolDuration: Histogram<"tool">;
  readonly gatewayUp: Gauge;
  readonly gatewayReconnects: Counter;
  readonly gatewayRequestDuration: Histogram<"protocol" | "outcome">;
  readonly httpSessionsRefused: Counter<"reason">;
  readonly httpSessions: Gauge;
  /** What the live-session gauge reads when scraped (nothing until {@link watchSessions}). */
  #sessions: { readonly sessionCount: number } | undefined;

  constructor(options: { publicKeyIds?: boolean } = {}) {
    this.#public = options.publicKeyIds ?? false;
    const registers = [this.registry];
    this.authEvents = new Counter({
      name: "futu_auth_events_total",
      help: "Authorisation decisions and trade events, by outcome and key.",
      labelNames: ["iface", "outcome", "key_id"],
      registers,
    });
    this.limitRejects = new Counter({
      name: "futu_auth_limit_rejects_total",
      help: "Writes refused by a key's limits, by reason.",
      labelNames: ["iface", "key_id", "reason"],
      registers,
    });
    this.pushFiltered = new Counter({
      name: "futu_ws_push_filtered_total",
      help: "Pushes dropped at dispatch because the subscriber's key may not see them.",
      labelNames: ["required_scope", "key_id"],
      registers,
    });
    this.toolCalls = new Counter({
      name: "futu_mcp_tool_calls_total",
      help: "MCP tool calls, by tool and outcome.",
      labelNames: ["tool", "outcome"],
      registers,
    });
    this.toolDuration = new Histogram({
      name: "futu_mcp_tool_duration_seconds",
      help: "MCP tool call latency.",
      labelNames: ["tool"],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 12],
      registers,
    });
    this.gatewayUp = new Gauge({
      name: "futu_gateway_up",
      help: "1 while the OpenD link is ready, else 0.",
      registers,
    });
    this.gatewayReconnects = new Counter({
      name: "futu_gateway_reconnects_total",
      help: "Times the OpenD link was re-established after a drop.",
      registers,
    });
    this.gatewayRequestDuration = new Histogram({
      name: "futu_gateway_request_duration_seconds",
      help: "OpenD request latency, by protocol and outcome.",
      labelNames: ["protocol", "outcome"],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 12],
      registers,
    });
    this.httpSessionsRefused = new Counter({
      name: "futu_mcp_http_sessions_refused_total",
      help: "New MCP sessions refused with 429, by the cap that refused them (global or per_key).",
      labelNames: ["reason"],
      registers,
    });
    const liveSessions = () => this.#sessions?.sessionCount ?? 0;
    this.httpSessions = new Gauge({
      name: "futu_mcp_http_sessions",
      help: "Live MCP sessions over Streamable HTTP.",
      registers,
      // Read at scrape time: the HTTP server's session map is the one truth.
      collect() {
        this.set(liveSessions());
      },
    });
  }

  /** Adds `futu_state_up`, read at scrape time from the shared state (replicas' Redis, `--state`). */
  watchState(state: { readonly up: boolean }): void {
    new Gauge({
      name: "futu_state_up",
      help: "1 while the shared state (Redis, --state) is connected, else 0: trade writes are refused while it is 0.",
      registers: [this.registry],
      collect() {
        this.set(state.up ? 1 : 0);
      },
    });
  }

  /** Makes the live-session gauge read this HTTP server. */
  watchSessions(server: { readonly sessionCount: number }): void {
    this.#sessions = server;
  }

  /** The label value of a key id (redacted unless public). */
  keyLabel(id: string): string {
    if (id === "") return "<none>";
    if (this.#public) return id;
    // Every call labels its key: hash each id once. Refused calls may name ids no key has, so the cache is capped.
    let label = this.#labels.get(id);
    if (label === undefined) {
      if (this.#labels.size >= 1024) this.#labels.clear();
      this.#labels.set(id, label = redactKeyId(id));
    }
    return label;
  }

  /** Follows a gateway client's link state and request latencies. */
  watchGateway(client: OpenDClient): void {
    this.gatewayUp.set(client.state === "ready" ? 1 : 0);
    client.onStateChange((change) => {
      this.gatewayUp.set(change.state === "ready" ? 1 : 0);
      if (change.state === "ready" && client.reconnectCount > 0) this.gatewayReconnects.inc();
    });
    client.onRequest((protocol, seconds, ok) => {
      this.gatewayRequestDuration.observe({ protocol, outcome: ok ? "ok" : "error" }, seconds);
    });
  }

  /** The exposition text and its content type. */
  async render(): Promise<{ text: string; contentType: string }> {
    return { text: await this.registry.metrics(), contentType: this.registry.contentType };
  }
}
