/**
 * futu_get_quote through a real futu-mcp stdio session, next to the raw OpenD
 * client call (GetBasicQot) against the same simulator in the same run; and
 * the byte size of tools/list: as the server sends it by default, and per
 * toolset (`--toolsets <one>`, with and without `--output-schemas`). Prints
 * one JSON object.
 *
 *   deno task bench:mcp                    # 1000 calls each
 *   deno task bench:mcp -- --calls 3000
 *
 * @module
 */
import { parseArgs } from "node:util";
import { Gateway } from "../src/gateway/mod.ts";
import { Client, StdioClientTransport } from "../src/mcp/sdk.ts";
import { futuMcpPermissions } from "../src/app/launch.ts";
import { DEMO_CLOCK_START, simClockFrom } from "../src/sim/options.ts";
import { SimServer } from "../src/sim/server.ts";
import { describeTool } from "../src/mcp/server.ts";
import { ALL_TOOLS } from "../src/tools/inventory.ts";
import { TOOLSETS } from "../src/tools/tool.ts";

const { values } = parseArgs({ args: Deno.args, options: { calls: { type: "string", default: "1000" } } });
const calls = Number(values.calls);

const sim = await SimServer.start({ port: 0, clock: simClockFrom(DEMO_CLOCK_START, 1) });
const transport = new StdioClientTransport({
  command: "deno",
  // Trading switched on so that tools/list is the whole default surface.
  args: [
    "run",
    ...futuMcpPermissions({ gateway: sim.address }),
    "main.ts",
    "--gateway",
    sim.address,
    "--enable-trading",
    "--allow-real-trading",
  ],
  stderr: "ignore",
});
const client = new Client({ name: "bench", version: "1" });
await client.connect(transport);
const gateway = await Gateway.connect({ gateway: sim.address });
await gateway.quote.subscribe(["HK.00700"], ["QUOTE"], { push: false });

const { tools } = await client.listTools();
const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).length;
const toolsListBytes = bytes({ tools });
// The same descriptions the server lists (describeTool), summed the way a tools/list of that toolset would be.
const listing = (toolset: string | undefined, outputSchema: boolean) =>
  bytes({
    tools: ALL_TOOLS.filter((t) => toolset === undefined || t.toolset === toolset).map((t) =>
      describeTool(t, { outputSchema })
    ),
  });
const perToolset = Object.fromEntries(
  TOOLSETS.map((toolset) => [toolset, {
    tools: ALL_TOOLS.filter((t) => t.toolset === toolset).length,
    bytes: listing(toolset, false),
    withOutputSchemas: listing(toolset, true),
  }]),
);

function stats(samples: number[]) {
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))];
  return { calls: samples.length, medianMs: Number(at(0.5).toFixed(3)), p99Ms: Number(at(0.99).toFixed(3)) };
}

async function measure(run: () => Promise<unknown>) {
  for (let i = 0; i < 100; i++) await run(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < calls; i++) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  return stats(samples);
}

const mcp = await measure(async () => {
  const result = await client.callTool({ name: "futu_get_quote", arguments: { symbol: "HK.00700" } });
  if (result.isError) throw new Error(JSON.stringify(result.content));
});
const raw = await measure(() => gateway.quote.getBasicQot(["HK.00700"]));

await client.close();
await gateway.close();
await sim.close();

console.log(JSON.stringify(
  {
    benchmark: "futu_get_quote via futu-mcp stdio (spawned process) vs raw GetBasicQot, same simulator, loopback",
    deno: Deno.version.deno,
    toolsListBytes,
    toolCount: tools.length,
    allToolsetsBytes: {
      tools: ALL_TOOLS.length,
      bytes: listing(undefined, false),
      withOutputSchemas: listing(undefined, true),
    },
    perToolset,
    mcpStdioGetQuote: mcp,
    rawClientGetBasicQot: raw,
  },
  null,
  2,
));
