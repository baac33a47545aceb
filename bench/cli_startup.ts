/**
 * Start-up time of futucli as a real process, from spawn to exit (wall clock):
 * `futucli --version`, and `futucli quote HK.00700` against a simulator in
 * this process. Each is run once untimed first, so the numbers are for a warm
 * module cache. Prints one JSON object.
 *
 *   deno task bench:cli                  # 15 runs each
 *   deno task bench:cli --runs 50
 *
 * @module
 */
import { parseArgs } from "node:util";
import { DEMO_CLOCK_START, simClockFrom } from "../src/sim/options.ts";
import { SimServer } from "../src/sim/server.ts";
import { futucliCommand } from "../tests/helpers/cli.ts";
import { childEnv } from "../tests/helpers/mcp.ts";

const { values } = parseArgs({ args: Deno.args, options: { runs: { type: "string", default: "15" } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, not ${values.runs}`);

/** One futucli run, timed; a failed run aborts the benchmark rather than being measured. */
async function timedRun(args: string[], expect?: string): Promise<number> {
  const started = performance.now();
  const out = await new Deno.Command("deno", {
    args: futucliCommand(args),
    env: childEnv(),
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const elapsed = performance.now() - started;
  const stdout = new TextDecoder().decode(out.stdout);
  if (out.code !== 0 || (expect !== undefined && !stdout.includes(expect))) {
    const stderr = new TextDecoder().decode(out.stderr);
    throw new Error(`futucli ${args.join(" ")} exited ${out.code}:\n${stdout}\n${stderr}`);
  }
  return elapsed;
}

function stats(samples: number[]) {
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))];
  return { runs: samples.length, medianMs: Number(at(0.5).toFixed(1)), p90Ms: Number(at(0.9).toFixed(1)) };
}

async function measure(args: string[], expect?: string) {
  await timedRun(args, expect); // warm-up: fills Deno's module cache, so every timed run starts the same way
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push(await timedRun(args, expect));
  return stats(samples);
}

const sim = await SimServer.start({ port: 0, clock: simClockFrom(DEMO_CLOCK_START, 1) });
try {
  const version = await measure(["--version"]);
  const quote = await measure(["--gateway", sim.address, "quote", "HK.00700"], "HK.00700");
  console.log(JSON.stringify(
    {
      benchmark: "futucli start-up, spawn to exit, deno run from source (warm module cache)",
      deno: Deno.version.deno,
      version,
      quote: { ...quote, against: "simulated OpenD in the benchmark process, loopback TCP" },
    },
    null,
    2,
  ));
} finally {
  await sim.close();
}
