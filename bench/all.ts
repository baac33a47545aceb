/**
 * Every performance figure of futu-mcp in one run, against a simulated OpenD
 * in its own process, the two sides of each ratio interleaved, printed as one
 * table (or JSON with `--json`):
 *
 * - stdio overhead: futu_get_quote through a spawned futu-mcp, minus the raw
 *   GetBasicQot on the same simulator and minus a trivial stdio hop (an echo
 *   child answering with a reply of the same size, driven by the same SDK
 *   client); one call of each per round.
 * - HTTP: sessions of a lean load generator (fetch, one call in flight per
 *   session) against futu-mcp with and without API keys: calls/s and p99.
 * - cold start to an answered tools/list, from source and from the release
 *   bundle (`deno task build --bundle-only`), ÷ an empty `deno run`.
 * - RSS of futu-mcp idle and at the end of the HTTP load; a bare Deno's.
 * - tools/list bytes (default tools, trading on; with `--json`, every
 *   toolset's) and futu_get_kline's text.
 * - push latency: a quote push reaching the MCP client (stdio) and a /ws
 *   client, after the same push reached a raw OpenD client.
 * - the wire client: GetBasicQot with 64 in flight, requests/s.
 *
 *   deno task bench:all                          # about two minutes
 *   deno task bench:all --only stdio,http --json
 *
 * @module
 */
import { parseArgs } from "node:util";
import { Gateway } from "../src/gateway/mod.ts";
import { LoggingMessageNotificationSchema } from "../src/mcp/sdk.ts";
import { generateKey, writeKeysFile } from "../src/access/keys.ts";
import { VERSION } from "../src/version.ts";
import { hostTarget } from "../scripts/release_targets.ts";
import { futuMcpArgs, rssMiB, startHttp, startSim, stdioPeer, timedRun } from "./_procs.ts";
import { httpLoad } from "./_http_load.ts";
import { describeTool } from "../src/mcp/server.ts";
import { ALL_TOOLS } from "../src/tools/inventory.ts";
import { TOOLSETS } from "../src/tools/tool.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    calls: { type: "string", default: "2000" },
    seconds: { type: "string", default: "5" },
    runs: { type: "string", default: "10" },
    sessions: { type: "string", default: "64" },
    only: { type: "string" },
    json: { type: "boolean", default: false },
  },
});
const calls = positive("calls");
const seconds = positive("seconds");
const runs = positive("runs");
const sessions = positive("sessions");
const only = values.only?.split(",").map((s) => s.trim());
const wanted = (row: string) => only === undefined || only.includes(row);

function positive(name: "calls" | "seconds" | "runs" | "sessions"): number {
  const value = Number(values[name]);
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`--${name} must be a positive number, not ${values[name]}`);
  }
  return value;
}

interface Row {
  metric: string;
  measured: string;
  goal: string;
  met: boolean | undefined;
}
const rows: Row[] = [];
const figures: Record<string, unknown> = { deno: Deno.version.deno, version: VERSION };
const row = (metric: string, measured: string, goal: string, met: boolean | undefined) =>
  rows.push({ metric, measured, goal, met });

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
function p99(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))];
}
const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).length;
const ms = (value: number) => `${value.toFixed(3)} ms`;

await Deno.mkdir(".test-tmp", { recursive: true });
const tmp = await Deno.makeTempDir({ dir: ".test-tmp", prefix: "bench-" });
await using sim = await startSim(20);
const QUOTE = { name: "futu_get_quote", arguments: { symbol: "HK.00700" } };

if (wanted("stdio")) {
  await using mcp = await stdioPeer(futuMcpArgs(sim.address, ["--enable-trading", "--allow-real-trading"]));
  const { tools } = await mcp.client.listTools();
  const idle = await rssMiB(mcp.pid);
  const first = await mcp.client.callTool(QUOTE);
  await using echo = await stdioPeer([
    "run",
    "bench/_echo.ts",
    String(bytes({ jsonrpc: "2.0", id: 10, result: first })),
  ]);
  await using gateway = await Gateway.connect({ gateway: sim.address });
  await gateway.quote.subscribe(["HK.00700"], ["QUOTE"], { push: false });
  const sides = {
    mcp: () => mcp.client.callTool(QUOTE),
    raw: () => gateway.quote.getBasicQot(["HK.00700"]),
    echo: () => echo.client.callTool(QUOTE),
  };
  const samples: Record<keyof typeof sides, number[]> = { mcp: [], raw: [], echo: [] };
  for (let round = 0; round < calls + 200; round++) {
    for (const side of Object.keys(sides) as (keyof typeof sides)[]) {
      const started = performance.now();
      await sides[side]();
      if (round >= 200) samples[side].push(performance.now() - started);
    }
  }
  const [m, r, e] = [median(samples.mcp), median(samples.raw), median(samples.echo)];
  const overhead = m - r - e;
  figures.stdio = { calls, mcpMedianMs: m, rawMedianMs: r, echoHopMedianMs: e, overheadMs: overhead };
  row(
    "stdio overhead beyond raw + echo hop (futu_get_quote, median)",
    `${ms(overhead)} (${ms(m)} − ${ms(r)} − ${ms(e)})`,
    "≤ 0.100 ms",
    overhead <= 0.1,
  );

  const kline = await mcp.client.callTool({
    name: "futu_get_kline",
    arguments: { symbol: "HK.00700", max_count: 100 },
  });
  const text = (kline.content as { type: string; text: string }[])[0].text;
  figures.context = {
    toolsListBytes: bytes({ tools }),
    tools: tools.length,
    klineTextBytes: bytes(text) - 2,
    klineStructuredBytes: bytes(kline.structuredContent),
  };
  row(
    `tools/list, default tools with trading (${tools.length})`,
    `${bytes({ tools })} B`,
    "≤ 16384 B",
    bytes({ tools }) <= 16384,
  );
  row(
    "futu_get_kline 100 daily bars, text part",
    `${new TextEncoder().encode(text).length} B (structuredContent ${bytes(kline.structuredContent)} B)`,
    "≤ 4096 B",
    new TextEncoder().encode(text).length <= 4096,
  );
  // Every toolset's listing, as `--toolsets <one>` lists it (the JSON output only).
  const listing = (toolset?: string, outputSchema = false) =>
    bytes({
      tools: ALL_TOOLS.filter((t) => !toolset || t.toolset === toolset).map((t) => describeTool(t, { outputSchema })),
    });
  figures.toolsets = {
    all: { tools: ALL_TOOLS.length, bytes: listing(), withOutputSchemas: listing(undefined, true) },
    ...Object.fromEntries(
      TOOLSETS.map((toolset) => [toolset, { bytes: listing(toolset), withOutputSchemas: listing(toolset, true) }]),
    ),
  };
  await using bare = await stdioPeer(["run", "bench/_echo.ts", "100"]);
  const bareRss = await rssMiB(bare.pid);
  figures.rssIdle = { futuMcpMiB: idle, bareDenoMiB: bareRss };
  row(
    "RSS idle (after tools/list)",
    `${idle.toFixed(0)} MiB (a bare Deno ${bareRss.toFixed(0)} MiB)`,
    "≤ 60 MiB",
    idle <= 60,
  );
}

if (wanted("push")) {
  await using gateway = await Gateway.connect({ gateway: sim.address });
  // A push is known by its quote's time (one simulated second per tick), price and volume.
  const pushKey = (quote: unknown) => {
    const q = quote as { symbol: string; updateTime: string; curPrice: number; volume: number | string };
    return `${q.symbol}|${q.updateTime}|${q.curPrice}|${q.volume}`;
  };
  const rawAt = new Map<string, number>();
  gateway.quote.onBasicQuote((quote) => rawAt.set(pushKey(quote), performance.now()));
  await gateway.quote.subscribe(["HK.00700"], ["QUOTE"]);
  const latencies = { mcp: [] as number[], ws: [] as number[] };
  const arrived = (side: "mcp" | "ws", data: unknown) => {
    const at = rawAt.get(pushKey(data));
    if (at !== undefined) latencies[side].push(performance.now() - at);
  };
  await using mcp = await stdioPeer(futuMcpArgs(sim.address, ["--toolsets", "quote,push"]));
  mcp.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
    const push = n.params.data as { type?: string; data?: unknown };
    if (n.params.logger === "futu_push" && push.type === "quote") arrived("mcp", push.data);
  });
  await mcp.client.callTool({ name: "futu_watch_quotes", arguments: { symbols: ["HK.00700"] } });
  await using http = await startHttp(sim.address, ["--toolsets", "quote,push"]);
  const socket = new WebSocket(http.url.replace("http:", "ws:").replace("/mcp", "/ws"));
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = reject;
  });
  socket.onmessage = (event) => {
    const message = JSON.parse(event.data);
    if (message.type === "quote") arrived("ws", message.data);
  };
  socket.send(JSON.stringify({ op: "subscribe", symbols: ["HK.00700"], sub_types: ["QUOTE"] }));
  // The simulator pushes every 20 ms: collect for the run's seconds.
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  socket.close();
  figures.push = {
    mcp: { pushes: latencies.mcp.length, medianMs: median(latencies.mcp), p99Ms: p99(latencies.mcp) },
    ws: { pushes: latencies.ws.length, medianMs: median(latencies.ws), p99Ms: p99(latencies.ws) },
  };
  for (const side of ["mcp", "ws"] as const) {
    const n = latencies[side].length;
    row(
      `push latency after a raw OpenD client, → ${side === "mcp" ? "MCP client (stdio)" : "/ws client"}, p99`,
      n === 0
        ? "no pushes matched"
        : `${ms(p99(latencies[side]))} (median ${ms(median(latencies[side]))}, ${n} pushes)`,
      "≤ 2 ms",
      n > 0 && p99(latencies[side]) <= 2,
    );
  }
}

if (wanted("http")) {
  const key = generateKey({ id: "bench", scopes: ["qot:read"] });
  await writeKeysFile(`${tmp}/keys.json`, [key.record]);
  for (const keyed of [false, true]) {
    await using http = await startHttp(sim.address, keyed ? ["--keys-file", `${tmp}/keys.json`] : []);
    const result = await httpLoad(http.url, {
      sessions,
      seconds,
      bearer: keyed ? key.plaintext : undefined,
      call: QUOTE,
    });
    const rss = await rssMiB(http.pid);
    figures[keyed ? "httpKeys" : "httpOpen"] = { ...result, rssMiB: rss };
    row(
      `HTTP, ${sessions} sessions, ${keyed ? "with" : "without"} keys: calls/s; p99`,
      `${result.callsPerSecond.toFixed(0)}/s; ${ms(result.p99Ms)}`,
      keyed ? "≥ 8000/s; ≤ 25 ms" : "",
      keyed ? result.callsPerSecond >= 8000 && result.p99Ms <= 25 : undefined,
    );
    if (keyed) row("RSS at the end of the HTTP load (with keys)", `${rss.toFixed(0)} MiB`, "≤ 150 MiB", rss <= 150);
  }
}

if (wanted("cold")) {
  const empty = `${tmp}/empty.ts`;
  await Deno.writeTextFile(empty, "");
  const target = hostTarget();
  const bundle = `dist/bundles/futu-mcp-${VERSION}-${target}.js`;
  const haveBundle = await Deno.stat(bundle).then(() => true, () => false);
  const toolsList = async (entry: string) => {
    const started = performance.now();
    await using peer = await stdioPeer(futuMcpArgs(sim.address, [], entry));
    await peer.client.listTools();
    return performance.now() - started;
  };
  const samples = { empty: [] as number[], source: [] as number[], bundle: [] as number[] };
  for (let run = 0; run <= runs; run++) {
    const e = await timedRun(["run", empty]);
    const s = await toolsList("main.ts");
    const b = haveBundle ? await toolsList(bundle) : NaN;
    if (run === 0) continue; // the first run of each warms Deno's caches
    samples.empty.push(e);
    samples.source.push(s);
    if (haveBundle) samples.bundle.push(b);
  }
  const base = median(samples.empty);
  figures.coldStart = {
    runs,
    emptyMs: base,
    sourceMs: median(samples.source),
    bundleMs: haveBundle ? median(samples.bundle) : null,
  };
  for (const side of ["source", "bundle"] as const) {
    if (side === "bundle" && !haveBundle) {
      row(
        "cold start to tools/list ÷ empty deno run, bundle",
        `no ${bundle} (deno task build --bundle-only)`,
        "≤ 6×",
        undefined,
      );
      continue;
    }
    const ratio = median(samples[side]) / base;
    row(
      `cold start to tools/list ÷ empty deno run, ${side}`,
      `${ratio.toFixed(1)}× (${median(samples[side]).toFixed(0)} ms ÷ ${base.toFixed(0)} ms)`,
      "≤ 6×",
      ratio <= 6,
    );
  }
}

if (wanted("wire")) {
  await using gateway = await Gateway.connect({ gateway: sim.address });
  await gateway.quote.subscribe(["HK.00700"], ["QUOTE"], { push: false });
  let done = 0;
  const until = performance.now() + seconds * 1000;
  await Promise.all(Array.from({ length: 64 }, async () => {
    while (performance.now() < until) {
      await gateway.quote.getBasicQot(["HK.00700"]);
      done++;
    }
  }));
  const perSecond = done / seconds;
  const python = await new Deno.Command("python3", { args: ["-c", "import futu"], stdout: "null", stderr: "null" })
    .output().then((out) => out.success, () => false);
  figures.wire = { inFlight: 64, requestsPerSecond: perSecond, pythonSdk: python ? "installed" : "not installed" };
  row(
    "wire client GetBasicQot, 64 in flight ÷ official Python SDK",
    `${perSecond.toFixed(0)} req/s; ${
      python ? "Python side: see below" : "the futu Python SDK is not installed: ratio not measured"
    }`,
    "≥ 20×",
    undefined,
  );
}

await Deno.remove(tmp, { recursive: true });

if (values.json) console.log(JSON.stringify({ figures, rows }, null, 2));
else {
  console.log(
    `futu-mcp ${VERSION}, Deno ${Deno.version.deno}, ${navigator.hardwareConcurrency} cores; deno task bench:all ${
      Deno.args.join(" ")
    }`.trim(),
  );
  console.log("\n| metric | measured | goal | met |\n|---|---|---|---|");
  for (const r of rows) {
    console.log(`| ${r.metric} | ${r.measured} | ${r.goal} | ${r.met === undefined ? "" : r.met ? "yes" : "no"} |`);
  }
}
