/**
 * Scenario c: JSON-RPC and argument fuzzing. One futu-mcp serves HTTP and
 * another stdio, both with every toolset and simulated trading, against a
 * simulated OpenD in this process. The corpus (proof/_fuzz_gen.ts) comes
 * from the printed seed:
 *
 * - envelopes over HTTP, mostly inside a session, some without one or with
 *   a made-up session id; each answer must come within the deadline and be
 *   JSON-RPC (or an empty 202 for a notification), never a 5xx;
 * - envelopes over stdio, each followed by a ping whose answer proves the
 *   server still reads its input; every line it writes must be JSON-RPC;
 * - tool calls over HTTP for every tool in tools/list, arguments built from
 *   the tool's input schema and then broken.
 *
 * Internal errors (JSON-RPC -32603, a tool error with code "internal", an
 * HTTP 5xx) are bugs: the first few are listed.
 *
 * @module
 */
import { SimServer } from "../src/sim/server.ts";
import { ManualClock } from "../src/sim/clock.ts";
import { childEnv, futuMcpArgs, startFutuMcp } from "./_procs.ts";
import { classify, isJsonRpc, label, type Outcome, postRaw, Session } from "./_mcp.ts";
import { envelope, type ListedTool, prngOf, toolCall } from "./_fuzz_gen.ts";
import { bump, type Report, tally, within } from "./_util.ts";

const HK_MORNING = Date.parse("2026-11-26T02:30:00Z");
/** An answer later than this is a hang (a tool may wait 21 s for a connect plus 12 s on OpenD). */
const HANG_MS = 40_000;

/** The size of a run. */
export interface FuzzPlan {
  http: number;
  stdio: number;
  tools: number;
  hugeMax: number;
  deepMax: number;
  workers: number;
}
export const QUICK_FUZZ: FuzzPlan = { http: 400, stdio: 200, tools: 400, hugeMax: 200_000, deepMax: 5000, workers: 4 };
export const FULL_FUZZ: FuzzPlan = {
  http: 4000,
  stdio: 2000,
  tools: 6000,
  hugeMax: 1_000_000,
  deepMax: 50_000,
  workers: 4,
};

interface Tally {
  sent: number;
  outcomes: Map<string, number>;
  hung: number;
  notJsonRpc: string[];
  internal: string[];
}
const newTally = (): Tally => ({
  sent: 0,
  outcomes: new Map(),
  hung: 0,
  notJsonRpc: [],
  internal: [],
});

function bodyText(body: string | Uint8Array): string {
  return typeof body === "string" ? body : `<${body.length} bytes>`;
}

/** Counts an outcome; an internal error or a 5xx is listed with the message that caused it. */
function count(t: Tally, outcome: Outcome, kind: string, body: string | Uint8Array): void {
  t.sent++;
  bump(t.outcomes, outcome.kind === "tool_error" ? `tool error ${outcome.code}` : label(outcome));
  const cause = `${kind}: ${bodyText(body).slice(0, 160)}`;
  if (outcome.kind === "hung") t.hung++;
  if (outcome.kind === "not_jsonrpc") {
    if (outcome.status >= 500) t.internal.push(`HTTP ${outcome.status} ← ${cause}`);
    else t.notJsonRpc.push(`HTTP ${outcome.status} ${outcome.body.slice(0, 80)} ← ${cause}`);
  }
  if (outcome.kind === "rpc_error" && (outcome.code === -32603 || outcome.status >= 500)) {
    t.internal.push(`${outcome.code} ${outcome.message.slice(0, 100)} ← ${cause}`);
  }
  if (outcome.kind === "tool_error" && outcome.code === "internal") {
    t.internal.push(`${outcome.error.slice(0, 100)} ← ${cause}`);
  }
}

/** Runs `n` jobs on `workers` concurrent loops. */
async function pool(n: number, workers: number, job: (i: number, worker: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: workers }, async (_, w) => {
    while (next < n) await job(next++, w);
  }));
}

/** A stdio futu-mcp driven by raw lines: what it writes is kept line by line. */
class StdioPeer {
  readonly #child: Deno.ChildProcess;
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  readonly #waiting = new Map<string, (message: Record<string, unknown>) => void>();
  readonly reading: Promise<void>;
  lines = 0;
  readonly notJsonRpc: string[] = [];
  readonly responses: Record<string, unknown>[] = [];
  exited: Deno.CommandStatus | undefined;
  /** The exit status if it exited before {@link StdioPeer.close} ended its input: a crash. */
  crashed: Deno.CommandStatus | undefined;
  #closing = false;

  constructor(gateway: string, args: string[]) {
    this.#child = new Deno.Command("deno", {
      args: futuMcpArgs(gateway, args),
      stdin: "piped",
      stdout: "piped",
      stderr: "null",
      env: childEnv(),
      clearEnv: true,
    }).spawn();
    this.#child.status.then((s) => {
      this.exited = s;
      if (!this.#closing) this.crashed = s;
    });
    this.#writer = this.#child.stdin.getWriter();
    this.reading = this.#read();
  }

  async #read(): Promise<void> {
    let pending = "";
    for await (const chunk of this.#child.stdout.pipeThrough(new TextDecoderStream())) {
      pending += chunk;
      let newline: number;
      while ((newline = pending.indexOf("\n")) >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        this.lines++;
        let message: unknown;
        try {
          message = JSON.parse(line);
        } catch {
          this.notJsonRpc.push(line.slice(0, 160));
          continue;
        }
        if (!isJsonRpc(message)) {
          this.notJsonRpc.push(line.slice(0, 160));
          continue;
        }
        const m = message as Record<string, unknown>;
        const waiter = typeof m.id === "string" ? this.#waiting.get(m.id) : undefined;
        if (waiter) {
          this.#waiting.delete(m.id as string);
          waiter(m);
        } else if (!("method" in m)) this.responses.push(m);
      }
    }
  }

  async write(body: string | Uint8Array): Promise<void> {
    const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
    await this.#writer.write(bytes);
    await this.#writer.write(new Uint8Array([0x0a]));
  }

  /** Sends a request with a string id and waits for its answer. */
  async request(id: string, method: string, params: unknown, timeoutMs: number): Promise<Record<string, unknown>> {
    const answered = new Promise<Record<string, unknown>>((resolve) => this.#waiting.set(id, resolve));
    await this.write(JSON.stringify({ jsonrpc: "2.0", id, method, params }));
    try {
      return await within(answered, timeoutMs, `stdio ${method}`);
    } finally {
      this.#waiting.delete(id);
    }
  }

  async close(): Promise<void> {
    this.#closing = true;
    await this.#writer.close().catch(() => {});
    await within(this.#child.status, 10_000, "stdio futu-mcp exiting at EOF").catch(() => {
      this.#child.kill("SIGKILL");
    });
    await this.reading.catch(() => {});
  }
}

/** Runs the scenario. */
export async function fuzzScenario(plan: FuzzPlan, seed: number): Promise<Report> {
  const started = performance.now();
  await using sim = await SimServer.start({
    port: 0,
    clock: new ManualClock(HK_MORNING),
    rateLimits: false,
    subscriptionQuota: 2000,
    historyQuota: 100_000,
  });
  const serverArgs = ["--toolsets", "all", "--enable-trading"];
  await using mcp = await startFutuMcp(sim.address, serverArgs);

  // HTTP envelopes.
  const http = newTally();
  const sessions: Session[] = [];
  for (let w = 0; w < plan.workers; w++) {
    const s = await Session.open(mcp.url);
    if (!(s instanceof Session)) throw new Error(`fuzz: cannot open a session: ${s}`);
    sessions.push(s);
  }
  const reopen = async (w: number) => {
    const s = await Session.open(mcp.url);
    if (s instanceof Session) sessions[w] = s;
  };
  await pool(plan.http, plan.workers, async (i, w) => {
    const r = prngOf(seed, "http", i);
    const message = envelope(r, plan.hugeMax, plan.deepMax);
    const where = r.next();
    const headers = where < 0.9
      ? sessions[w].headers
      : where < 0.95
      ? Session.headers()
      : { ...sessions[w].headers, "mcp-session-id": crypto.randomUUID() };
    const answer = await postRaw(mcp.url, message.body as string, headers, HANG_MS);
    const outcome = classify(answer);
    count(http, outcome, message.kind, message.body);
    // A fuzzed message may legitimately end the session (a second initialize, say): carry on in a new one.
    if (outcome.kind === "rpc_error" && outcome.status === 404 && headers === sessions[w].headers) await reopen(w);
  });

  // Tool arguments, every listed tool in turn.
  const tools = newTally();
  const listed = await sessions[0].request("tools/list", {}, HANG_MS);
  if (listed.kind !== "result") throw new Error(`fuzz: tools/list: ${label(listed)}`);
  const toolList = listed.result.tools as ListedTool[];
  const perTool = new Map<string, Map<string, number>>();
  await pool(plan.tools, plan.workers, async (i, w) => {
    const r = prngOf(seed, "tools", i);
    const tool = toolList[i % toolList.length];
    const message = toolCall(r, tool, plan.hugeMax, plan.deepMax);
    const answer = await postRaw(mcp.url, message.body as string, sessions[w].headers, HANG_MS);
    const outcome = classify(answer);
    count(tools, outcome, `${tool.name} ${message.kind}`, message.body);
    if (!perTool.has(tool.name)) perTool.set(tool.name, new Map());
    bump(perTool.get(tool.name)!, label(outcome));
    if (outcome.kind === "rpc_error" && outcome.status === 404) await reopen(w);
  });
  const answeredOk = [...perTool].filter(([, m]) => m.has("ok")).length;
  const httpAlive = await sessions[0].call("futu_get_quote", { symbol: "HK.00700" }, HANG_MS);
  await Promise.all(sessions.map((s) => s.close()));

  // stdio envelopes, each followed by a ping that must be answered.
  const stdio = newTally();
  const peer = new StdioPeer(sim.address, serverArgs);
  let stdioAlive = false;
  try {
    const init = await peer.request("init", "initialize", {
      protocolVersion: "2025-11-25",
      capabilities: {},
      clientInfo: { name: "proof", version: "1" },
    }, 60_000);
    if (!("result" in init)) throw new Error(`fuzz: stdio initialize failed: ${JSON.stringify(init).slice(0, 200)}`);
    await peer.write(JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }));
    for (let i = 0; i < plan.stdio && peer.exited === undefined; i++) {
      const message = envelope(prngOf(seed, "stdio", i), plan.hugeMax, plan.deepMax);
      await peer.write(message.body);
      stdio.sent++;
      bump(stdio.outcomes, message.kind);
      try {
        await peer.request(`probe-${i}`, "ping", {}, HANG_MS);
      } catch {
        stdio.hung++;
        stdio.internal.push(`no answer to a ping after ${message.kind}: ${bodyText(message.body).slice(0, 160)}`);
        break;
      }
    }
    const quote = await peer.request("alive", "tools/call", {
      name: "futu_get_quote",
      arguments: { symbol: "HK.00700" },
    }, HANG_MS)
      .catch(() => undefined);
    stdioAlive = quote !== undefined && "result" in quote &&
      (quote.result as Record<string, unknown>).isError !== true;
  } finally {
    await peer.close();
  }
  for (const response of peer.responses) {
    const error = response.error as { code?: number; message?: string } | undefined;
    if (error?.code === -32603) stdio.internal.push(`-32603 ${error.message?.slice(0, 120)}`);
    const result = response.result as { isError?: boolean; content?: { text?: string }[] } | undefined;
    if (result?.isError && result.content?.[0]?.text?.includes('"code":"internal"')) {
      stdio.internal.push(`tool internal: ${result.content[0].text.slice(0, 120)}`);
    }
  }
  stdio.notJsonRpc.push(...peer.notJsonRpc);

  const crashedHttp = mcp.exited();
  const crashedStdio = peer.crashed !== undefined;
  const total = http.sent + tools.sent + stdio.sent;
  const internal = [...http.internal, ...tools.internal, ...stdio.internal];
  const notJsonRpc = [...http.notJsonRpc, ...tools.notJsonRpc, ...stdio.notJsonRpc];
  const report: Report = {
    name: "c. JSON-RPC and tool-argument fuzzing",
    seconds: 0,
    figures: [
      ["seed", seed],
      ["messages sent", `${total} (HTTP envelopes ${http.sent}, tool calls ${tools.sent}, stdio ${stdio.sent})`],
      ["HTTP envelopes by answer", tally(http.outcomes)],
      ["tool calls by answer", tally(tools.outcomes)],
      ["tools fuzzed / with a successful call", `${perTool.size} of ${toolList.length} listed / ${answeredOk}`],
      ["stdio messages by kind", tally(stdio.outcomes)],
      ["stdio lines written by futu-mcp", peer.lines],
      ["crashes", `${crashedHttp ? 1 : 0} HTTP, ${crashedStdio ? 1 : 0} stdio`],
      ["hangs (no answer within 40 s)", http.hung + tools.hung + stdio.hung],
      ["answers not JSON-RPC", notJsonRpc.length],
      ["internal errors (-32603, tool 'internal', 5xx)", internal.length],
      [
        "still serving afterwards",
        `HTTP ${httpAlive.kind === "result" ? "yes" : label(httpAlive)}, stdio ${stdioAlive ? "yes" : "no"}`,
      ],
    ],
    criteria: [
      { what: "futu-mcp (HTTP and stdio) did not crash", ok: crashedHttp === undefined && !crashedStdio },
      { what: "no hang", ok: http.hung + tools.hung + stdio.hung === 0 },
      { what: "every answer was JSON-RPC (or an empty 202)", ok: notJsonRpc.length === 0 },
      { what: "no internal error (params a method's schema refuses are -32602)", ok: internal.length === 0 },
      { what: "both still serve a quote afterwards", ok: httpAlive.kind === "result" && stdioAlive },
    ],
    notes: [
      ...internal.slice(0, 5).map((i) => `internal: ${i}`),
      ...notJsonRpc.slice(0, 5).map((n) => `not JSON-RPC: ${n}`),
    ],
  };
  await mcp.stop();
  report.seconds = (performance.now() - started) / 1000;
  return report;
}
