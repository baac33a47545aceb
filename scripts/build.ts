/**
 * `deno task build`: the release executables. For each target, each program
 * is bundled (`deno bundle`, one JavaScript file with every dependency and the
 * protobuf descriptor inlined), its build record (version, target, baked
 * grants) is prepended, and the bundle is compiled with exactly those grants
 * baked in (`deno compile --no-prompt …`). Writes into `dist/`:
 *
 *   futu-mcp-<version>-<target>[.exe]   futucli-<version>-<target>[.exe]
 *   SHA256SUMS                          bundles/<program>-<version>-<target>.js
 *   services/chart_render.ts            futu-mcp's chart renderer (bundled JavaScript)
 *
 * The chart renderer (echarts, resvg's WebAssembly, a font: 5.5 MB) is not
 * inlined in futu-mcp's bundle, which every start would parse (~60 ms) though
 * only the first chart runs it. It is bundled on its own, at the path the
 * bundle's `import("../services/chart_render.ts")` names from `bundles/`, as
 * it does from source; `deno compile` embeds it, that import being static.
 *
 *   deno task build                         # this machine's target
 *   deno task build --target aarch64-apple-darwin
 *   deno task build --all --require-binaries
 *   deno task build --allow-gateway 10.0.0.5:11111 --allow-listen 0.0.0.0:38765
 *
 * `deno compile` builds on a runtime (denort) it downloads; where that can't
 * be downloaded the build says so in one line per target and still produces
 * the bundles (`--denort-dir`, `DENORT_BIN`, or a `denort-<target>.zip` in
 * Deno's cache, is used when present). Exit codes: 0 built (binaries maybe not, as said),
 * 1 failed (or a binary is missing with `--require-binaries`), 2 usage.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { join, resolve } from "node:path";
import { denoRuntimeFlags, type GrantOptions, releaseGrants } from "./release_grants.ts";
import {
  binaryName,
  hostTarget,
  isTarget,
  osOf,
  type Program,
  sha256Hex,
  type Target,
  TARGETS,
} from "./release_targets.ts";
import { BUILD_GLOBAL, type BuildRecord, VERSION } from "../src/version.ts";

const ENTRY: Record<Program, string> = { "futu-mcp": "main.ts", futucli: "cli/main.ts" };
const PROGRAMS: Program[] = ["futu-mcp", "futucli"];

const HELP = `deno task build [options]: bundle and compile futu-mcp and futucli into dist/

  --target <triple>        one target (repeatable; default: this machine's): ${TARGETS.join(", ")}
  --all                    every target
  --out <dir>              output folder (default dist)
  --allow-gateway <h:p>    also let both executables reach OpenD at h:p (repeatable or comma-separated)
  --allow-listen <h:p>     also let futu-mcp listen for HTTP on h:p
  --allow-state <h:p>      also let futu-mcp reach a Redis shared state (--state) at h:p
  --allow-read <path>      also let both read path (absolute)
  --allow-write <path>     also let both read and write path (absolute)
  --only-listed-paths      drop the default file grants (home roots, system folders)
  --denort-dir <dir>       compile runtimes for offline builds: <dir>/<target>/denort[.exe] (genuine denort
                           ${Deno.version.deno} for that target; otherwise deno compile downloads it)
  --bundle-only            bundle, don't compile
  --require-binaries       fail when a binary can't be compiled (release builds)
`;

class UsageError extends Error {}

/** The parsed command line. */
export interface BuildOptions {
  targets: Target[];
  out: string;
  grants: GrantOptions;
  bundleOnly: boolean;
  requireBinaries: boolean;
  denortDir?: string;
}

function list(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((value) => value.split(",")).map((value) => value.trim()).filter(Boolean);
}

function checkAddress(address: string, flag: string): string {
  if (!/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/.test(address)) {
    throw new UsageError(`${flag} ${JSON.stringify(address)}: expected host:port, e.g. 10.0.0.5:11111`);
  }
  return address;
}

function checkPath(path: string, flag: string): string {
  if (!/^(\/|[A-Za-z]:\\)/.test(path)) {
    throw new UsageError(`${flag} ${JSON.stringify(path)}: expected an absolute path (it is baked in as written)`);
  }
  return path;
}

/** Parses the build's command line. */
export function parseBuildArgs(args: string[]): BuildOptions | "help" {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      strict: true,
      options: {
        target: { type: "string", multiple: true },
        all: { type: "boolean" },
        out: { type: "string" },
        "allow-gateway": { type: "string", multiple: true },
        "allow-listen": { type: "string", multiple: true },
        "allow-state": { type: "string", multiple: true },
        "allow-read": { type: "string", multiple: true },
        "allow-write": { type: "string", multiple: true },
        "only-listed-paths": { type: "boolean" },
        "bundle-only": { type: "boolean" },
        "denort-dir": { type: "string" },
        "require-binaries": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }).values;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (parsed.help) return "help";
  const requested = list(parsed.target);
  for (const target of requested) {
    if (!isTarget(target)) throw new UsageError(`unknown --target ${target}: one of ${TARGETS.join(", ")}`);
  }
  const host = hostTarget();
  const targets = parsed.all ? [...TARGETS] : requested.length > 0 ? requested as Target[] : host ? [host] : [];
  if (targets.length === 0) {
    throw new UsageError(`this machine (${Deno.build.target}) is not a release target: pass --target or --all`);
  }
  return {
    targets,
    out: parsed.out ?? "dist",
    grants: {
      gateways: list(parsed["allow-gateway"]).map((a) => checkAddress(a, "--allow-gateway")),
      listens: list(parsed["allow-listen"]).map((a) => checkAddress(a, "--allow-listen")),
      states: list(parsed["allow-state"]).map((a) => checkAddress(a, "--allow-state")),
      read: list(parsed["allow-read"]).map((p) => checkPath(p, "--allow-read")),
      write: list(parsed["allow-write"]).map((p) => checkPath(p, "--allow-write")),
      onlyListedPaths: parsed["only-listed-paths"] ?? false,
    },
    bundleOnly: parsed["bundle-only"] ?? false,
    denortDir: parsed["denort-dir"],
    requireBinaries: parsed["require-binaries"] ?? false,
  };
}

async function deno(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stderr: string }> {
  const out = await new Deno.Command("deno", { args, stdout: "piped", stderr: "piped", env: { NO_COLOR: "1", ...env } })
    .output();
  return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
}

// deno prints progress; the failure's own line is what a person needs.
function firstError(stderr: string): string {
  const lines = stderr.split("\n").map((line) => line.trim()).filter(Boolean);
  return lines.find((line) => /^error/i.test(line)) ?? lines.at(-1) ?? "no output";
}

/** Why the compile runtime could not be had, when that is why compile failed. */
function runtimeDownloadFailure(stderr: string): string | undefined {
  const plain = stderr.split("Stack backtrace")[0]; // the causes come before it
  const url = /https?:\/\/\S*denort\S*\.zip/.exec(plain)?.[0];
  if (!url || !/error sending request|Setting up base binary/.test(plain)) return undefined;
  const causes = [...plain.matchAll(/^\s*\d+: (.+)$/gm)].map((m) => m[1].trim());
  return `cannot download ${url}${causes.length > 0 ? ` (${causes.at(-1)})` : ""}`;
}

/** The chart renderer's module, loaded by futu-mcp on its first chart (see the module documentation). */
const CHART_RENDERER = "src/services/chart_render.ts";

/** Bundles `program` once (the same JavaScript serves every target). */
async function bundle(program: Program, work: string): Promise<string> {
  const path = join(work, `${program}.js`);
  const external = program === "futu-mcp" ? ["--external", `*/${CHART_RENDERER.replace(/^src\//, "")}`] : [];
  const result = await deno(["bundle", "--quiet", "--platform", "deno", ...external, "-o", path, ENTRY[program]]);
  if (result.code !== 0) throw new Error(`deno bundle ${ENTRY[program]} failed: ${firstError(result.stderr)}`);
  return path;
}

/** Bundles the chart renderer beside the bundles, where their import of it points. */
async function bundleChartRenderer(out: string): Promise<void> {
  const path = join(out, "services", "chart_render.ts");
  const result = await deno(["bundle", "--quiet", "--platform", "deno", "-o", path, CHART_RENDERER]);
  if (result.code !== 0) throw new Error(`deno bundle ${CHART_RENDERER} failed: ${firstError(result.stderr)}`);
}

/** The record a bundle carries, as the statement that sets it before any module runs. */
export function buildRecordPrelude(record: BuildRecord): string {
  return `globalThis[${JSON.stringify(BUILD_GLOBAL)}] = Object.freeze(${JSON.stringify(record)});\n`;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Builds what `options` asks for; returns the exit code. */
export async function build(options: BuildOptions, log: (line: string) => void = console.log): Promise<number> {
  const bundles = join(options.out, "bundles");
  const work = join(options.out, ".work");
  await Deno.mkdir(bundles, { recursive: true });
  await Deno.mkdir(work, { recursive: true });
  const plain: Record<string, string> = {};
  for (const program of PROGRAMS) plain[program] = await Deno.readTextFile(await bundle(program, work));
  await bundleChartRenderer(options.out);
  let missing = 0;
  for (const target of options.targets) {
    for (const program of PROGRAMS) {
      const grants = releaseGrants(program, target, options.grants);
      const record: BuildRecord = { program, version: VERSION, target, grants };
      const bundlePath = join(bundles, `${binaryName(program, VERSION, target).replace(/\.exe$/, "")}.js`);
      await Deno.writeTextFile(bundlePath, buildRecordPrelude(record) + plain[program]);
      if (options.bundleOnly) {
        log(`bundled ${bundlePath}`);
        continue;
      }
      const output = join(options.out, binaryName(program, VERSION, target));
      await Deno.remove(output).catch(() => {});
      const runtime = options.denortDir &&
        join(options.denortDir, target, osOf(target) === "windows" ? "denort.exe" : "denort");
      if (runtime && !await exists(runtime)) throw new Error(`--denort-dir: ${runtime} is missing`);
      const result = await deno([
        "compile",
        "--no-config",
        "--no-check",
        "--target",
        target,
        "--output",
        output,
        ...denoRuntimeFlags(grants),
        bundlePath,
      ], runtime ? { DENORT_BIN: resolve(runtime) } : {});
      if (result.code === 0 && await exists(output)) {
        log(`built ${output} (${((await Deno.stat(output)).size / 1e6).toFixed(1)} MB)`);
      } else if (runtimeDownloadFailure(result.stderr)) {
        missing++;
        log(
          `not compiled: ${program} for ${target}: the compile runtime is unavailable: ` +
            `${runtimeDownloadFailure(result.stderr)}; set DENORT_BIN or put denort-${target}.zip in ` +
            `$DENO_DIR/dl/release/v${Deno.version.deno}/ — the bundle ${bundlePath} is built`,
        );
      } else {
        throw new Error(`deno compile ${program} for ${target} failed: ${firstError(result.stderr)}`);
      }
    }
  }
  await Deno.remove(work, { recursive: true });
  if (options.bundleOnly) return 0;
  // SHA256SUMS lists every release binary in dist/, so building targets one by one still gives a complete file.
  const lines: string[] = [];
  for (const target of TARGETS) {
    for (const program of PROGRAMS) {
      const name = binaryName(program, VERSION, target);
      if (await exists(join(options.out, name))) {
        lines.push(`${await sha256Hex(await Deno.readFile(join(options.out, name)))}  ${name}`);
      }
    }
  }
  if (lines.length > 0) {
    await Deno.writeTextFile(join(options.out, "SHA256SUMS"), lines.join("\n") + "\n");
    log(`wrote ${join(options.out, "SHA256SUMS")} (${lines.length} files)`);
  }
  if (missing > 0 && options.requireBinaries) {
    log(`build: ${missing} binaries could not be compiled (--require-binaries)`);
    return 1;
  }
  return 0;
}

if (import.meta.main) {
  try {
    const options = parseBuildArgs(Deno.args);
    if (options === "help") {
      console.log(HELP);
      Deno.exit(0);
    }
    Deno.exit(await build(options));
  } catch (err) {
    console.error(`build: ${(err as Error).message}`);
    Deno.exit(err instanceof UsageError ? 2 : 1);
  }
}
