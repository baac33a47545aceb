/**
 * Cold start of futu-mcp to an answered tools/list, as a process over stdio:
 * the release bundle (what a compiled executable embeds, run with exactly the
 * baked grants) next to `deno run main.ts` from source, interleaved in one
 * run. Also the first start with an empty Deno cache for each (from source,
 * Deno then transpiles every module; the bundle is plain JavaScript). Prints
 * one JSON object.
 *
 *   deno task build --bundle-only && deno task bench:release      # 15 runs each
 *   deno task bench:release --runs 40
 *
 * @module
 */
import { parseArgs } from "node:util";
import { join, resolve } from "node:path";
import { denoRuntimeFlags, releaseGrants } from "../scripts/release_grants.ts";
import { hostTarget } from "../scripts/release_targets.ts";
import { futuMcpCommand } from "../tests/helpers/mcp.ts";
import { VERSION } from "../src/version.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: { runs: { type: "string", default: "15" }, bundles: { type: "string", default: "dist/bundles" } },
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, not ${values.runs}`);
const target = hostTarget();
if (!target) throw new Error(`no release target for ${Deno.build.target}`);
const bundle = resolve(values.bundles, `futu-mcp-${VERSION}-${target}.js`);
await Deno.stat(bundle).catch(() => {
  throw new Error(`${bundle} is missing: run deno task build --bundle-only first`);
});

const REQUESTS = [
  {
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "bench", version: "1" } },
  },
  { jsonrpc: "2.0", method: "notifications/initialized" },
  { jsonrpc: "2.0", id: 2, method: "tools/list" },
].map((message) => JSON.stringify(message) + "\n").join("");

/** Spawn to the tools/list reply, in ms; the process is then ended. */
async function timedStart(args: string[], env: Record<string, string>): Promise<number> {
  const started = performance.now();
  const child = new Deno.Command("deno", {
    args,
    env,
    clearEnv: true,
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(REQUESTS));
  let seen = "";
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let elapsed: number | undefined;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    seen += value;
    if (/"id":2,.*"tools":\[/.test(seen) || /"tools":\[.*"id":2/.test(seen)) {
      elapsed = performance.now() - started;
      break;
    }
  }
  await reader.cancel();
  await writer.close().catch(() => {});
  await child.status;
  if (elapsed === undefined) throw new Error(`no tools/list reply from ${args.join(" ")}:\n${seen}`);
  return elapsed;
}

function stats(samples: number[]) {
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))];
  return { runs: samples.length, medianMs: Number(at(0.5).toFixed(1)), p90Ms: Number(at(0.9).toFixed(1)) };
}

const baseEnv: Record<string, string> = {};
for (const name of ["PATH", "HOME", "DENO_DIR"]) {
  const value = Deno.env.get(name);
  if (value !== undefined) baseEnv[name] = value;
}
const variants = {
  bundle: ["run", "--no-config", ...denoRuntimeFlags(releaseGrants("futu-mcp", target)), bundle, "--gateway", "sim"],
  source: futuMcpCommand(["--gateway", "sim"]),
};

// First start with an empty Deno cache: a fresh DENO_DIR for each.
const emptyCache: Record<string, number> = {};
for (const [name, args] of Object.entries(variants)) {
  const dir = await Deno.makeTempDir({ dir: resolve(".test-tmp"), prefix: "bench-cache-" });
  try {
    emptyCache[name] = Number((await timedStart(args, { ...baseEnv, DENO_DIR: join(dir, "deno") })).toFixed(1));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

// Warm cache, interleaved so both see the same machine state.
const samples: Record<string, number[]> = { bundle: [], source: [] };
for (const args of Object.values(variants)) await timedStart(args, baseEnv); // warm-up
for (let i = 0; i < runs; i++) {
  for (const [name, args] of Object.entries(variants)) samples[name].push(await timedStart(args, baseEnv));
}

console.log(JSON.stringify(
  {
    benchmark: "futu-mcp spawn to answered tools/list over stdio (--gateway sim)",
    deno: Deno.version.deno,
    target,
    bundle: {
      ...stats(samples.bundle),
      emptyCacheFirstStartMs: emptyCache.bundle,
      bytes: (await Deno.stat(bundle)).size,
    },
    source: { ...stats(samples.source), emptyCacheFirstStartMs: emptyCache.source },
  },
  null,
  2,
));
