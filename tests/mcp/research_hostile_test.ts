/**
 * Bad input of every kind to every research tool, through a spawned futu-mcp
 * on the simulator: each call is either a valid result or an error result
 * that says what is wrong (never a protocol error, a crash or an internal
 * error), and the process keeps serving.
 */
import { assert } from "../helpers/assert.ts";
import { spawnValidated } from "../helpers/mcp.ts";
import { ALL_TOOLS } from "../../src/tools/inventory.ts";
import { RESEARCH_TOOLSETS } from "../../src/tools/tool.ts";

const SIM = ["--gateway", "sim", "--sim-clock", "2026-11-26T10:30:00+08:00", "--enable-trading"];

/** Arguments no research tool should accept as they are, or that point at nothing. */
const HOSTILE: readonly Record<string, unknown>[] = [
  {},
  { symbol: "US.NOPE" },
  { symbol: "EC.NOPE" },
  { symbol: "HK.00700", view: "nope" },
  { symbol: "US.AAPL", max_count: 1e9 },
  { symbol: "US.AAPL", max_count: -1 },
  { symbol: "US.AAPL", next_key: "x".repeat(5000) },
  { symbol: 700 },
  { symbols: ["US.AAPL", 5] },
  { market: "MARS" },
  { begin: "2026-02-30", end: "2026-01-01" },
  { symbol: "US.AAPL", extra: true },
];

Deno.test("every research tool: hostile arguments get a result or an error saying what is wrong; the server keeps serving", async () => {
  const research = ALL_TOOLS.filter((t) =>
    (RESEARCH_TOOLSETS as readonly string[]).includes(t.toolset) ||
    ["futu_screen_stocks", "futu_screen_warrants", "futu_get_suspensions"].includes(t.name)
  );
  await using mcp = await spawnValidated([
    ...SIM,
    "--toolsets",
    [...new Set(research.map((t) => t.toolset))].join(","),
  ]);
  let errors = 0;
  for (const tool of research) {
    for (const args of HOSTILE) {
      const result = await mcp.client.callTool({ name: tool.name, arguments: args });
      const what = `${tool.name} ${JSON.stringify(args).slice(0, 80)}`;
      if (result.isError) {
        const text = (result.content as { type: string; text: string }[])[0].text;
        const body = JSON.parse(text) as { error: string; code: string };
        assert(body.error.length > 0, `${what}: an error says what is wrong`);
        assert(body.code !== "internal", `${what}: not an internal error: ${body.error}`);
        errors++;
      } else {
        const verdict = mcp.check(tool.name, result.structuredContent);
        assert(verdict.valid, `${what}: a result valid against the output schema: ${verdict.errorMessage}`);
      }
    }
  }
  assert(errors > research.length * 8, `most hostile calls are refused (${errors})`);
  const ping = await mcp.client.callTool({ name: research[0].name, arguments: { symbol: "US.AAPL" } });
  assert(ping.content !== undefined, "still serving");
});

interface JsonProperty {
  type?: string;
  enum?: unknown[];
  minimum?: number;
  items?: JsonProperty;
  anyOf?: JsonProperty[];
}

/** A plausible value of a required argument, from its name and schema. */
function sample(name: string, p: JsonProperty, symbol: string): unknown {
  if (p.enum) return p.enum[0];
  const type = p.type ?? p.anyOf?.find((a) => a.type)?.type;
  if (type === "array") return [sample(name.replace(/s$/, ""), p.items ?? {}, symbol)];
  if (type === "number" || type === "integer") return Math.max(p.minimum ?? 1, 1);
  if (type === "boolean") return false;
  if (/symbol|underlying|plate|security/.test(name)) return symbol;
  if (/begin|date|from/.test(name)) return "2026-11-20";
  if (/end|to/.test(name)) return "2026-11-25";
  if (/market/.test(name)) return symbol.split(".")[0];
  if (/keyword|query|search/.test(name)) return "Apple";
  return "1";
}

Deno.test("every research tool: each view, kind or level, its required arguments filled in, answers or says why not", async () => {
  const { z } = await import("zod");
  const research = ALL_TOOLS.filter((t) => (RESEARCH_TOOLSETS as readonly string[]).includes(t.toolset));
  await using mcp = await spawnValidated([
    ...SIM,
    "--toolsets",
    [...new Set(research.map((t) => t.toolset))].join(","),
  ]);
  const answeredBy = new Set<string>();
  for (const tool of research) {
    const schema = z.toJSONSchema(tool.input, { io: "input", unrepresentable: "any" }) as {
      properties?: Record<string, JsonProperty>;
      required?: string[];
    };
    const properties = schema.properties ?? {};
    const selector = ["view", "kind", "statement", "level", "session", "of"].find((k) => properties[k]?.enum);
    const choices = selector ? properties[selector].enum! : [undefined];
    for (const choice of choices) {
      for (const symbol of ["US.AAPL", "HK.00700", "US.TSLA"]) {
        const args: Record<string, unknown> = {};
        for (const name of schema.required ?? []) args[name] = sample(name, properties[name], symbol);
        if ("symbol" in properties) args.symbol = symbol;
        if (selector) args[selector] = choice;
        const result = await mcp.client.callTool({ name: tool.name, arguments: args });
        const what = `${tool.name} ${JSON.stringify(args)}`;
        if (result.isError) {
          const body = JSON.parse((result.content as { text: string }[])[0].text) as { error: string; code: string };
          assert(body.code !== "internal", `${what}: not an internal error: ${body.error}`);
        } else {
          const verdict = mcp.check(tool.name, result.structuredContent);
          assert(verdict.valid, `${what}: ${verdict.errorMessage}`);
          answeredBy.add(tool.name);
        }
      }
    }
  }
  // Most tools answer one of these minimal calls, so the checks above reached their handlers; the rest
  // need an argument only another call gives (an option contract, an id from a list, an event contract),
  // and their family's test drives them.
  const silent = research.map((t) => t.name).filter((name) => !answeredBy.has(name));
  assert(silent.length <= 8, `tools no minimal call reached: ${silent.join(", ")}`);
});
