/**
 * `futucli research`: the research data most worth having at a shell —
 * `profile`, `financials`, `earnings`, `holders`, `movers`, `news`. Each
 * subcommand runs one futu-mcp tool, and its flags are made from that tool's
 * input schema (one `--kebab-name` per argument, enum choices and bounds in
 * the help), so a tool's arguments and the command's flags can't drift apart.
 *
 *   futucli research profile US.AAPL --view executives
 *   futucli -o json research financials US.AAPL --statement balance
 *   futucli research movers --market US
 *
 * @module
 */
import { Command, Option } from "commander";
import { z } from "zod";
import { ALL_TOOLS } from "../../src/tools/inventory.ts";
import type { Tool } from "../../src/tools/tool.ts";
import { emit, globalsOf } from "../common.ts";
import { CliError, EXIT } from "../exit_codes.ts";
import { withGateway } from "../runtime.ts";
import type { CliTerms } from "../terms.ts";

/** One subcommand: its name, what it is for, the tool it runs and the argument given as a positional. */
interface Subcommand {
  name: string;
  description: string;
  tool: string;
  positional?: string;
}

const SUBCOMMANDS: readonly Subcommand[] = [
  {
    name: "profile",
    description: "company profile, executives, efficiency",
    tool: "futu_get_company",
    positional: "symbol",
  },
  {
    name: "financials",
    description: "income statement, balance sheet, cash flow by period",
    tool: "futu_get_financials",
    positional: "symbol",
  },
  {
    name: "earnings",
    description: "earnings calendar: who reports when, estimates, actuals",
    tool: "futu_get_earnings_calendar",
  },
  {
    name: "holders",
    description: "shareholders: overview, changes, institutions",
    tool: "futu_get_shareholders",
    positional: "symbol",
  },
  { name: "movers", description: "top gainers, losers and most active", tool: "futu_get_top_movers" },
  { name: "news", description: "news by keyword or security", tool: "futu_search_news" },
];

interface JsonProperty {
  type?: string | string[];
  enum?: unknown[];
  description?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  items?: JsonProperty;
  anyOf?: JsonProperty[];
}

function toolOf(name: string): Tool {
  const found = ALL_TOOLS.find((t) => t.name === name);
  if (!found) throw new Error(`futucli research: no tool ${name}`);
  return found;
}

function propertiesOf(tool: string): { properties: Record<string, JsonProperty>; required: string[] } {
  const schema = z.toJSONSchema(toolOf(tool).input, { io: "input", unrepresentable: "any" }) as {
    properties?: Record<string, JsonProperty>;
    required?: string[];
  };
  return { properties: schema.properties ?? {}, required: schema.required ?? [] };
}

/** "next_key" → "--next-key". */
function flagOf(arg: string): string {
  return `--${arg.replaceAll("_", "-")}`;
}

function kindOf(p: JsonProperty): "number" | "integer" | "boolean" | "array" | "object" | "string" {
  const type = p.type ?? p.anyOf?.find((a) => a.type !== undefined)?.type;
  const t = Array.isArray(type) ? type[0] : type;
  return t === "number" || t === "integer" || t === "boolean" || t === "array" || t === "object" ? t : "string";
}

/** A flag whose value is one JSON object (an item of a list of conditions). */
function jsonObject(flag: string) {
  return (value: string): unknown => {
    try {
      const parsed: unknown = JSON.parse(value);
      if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) return parsed;
    } catch { /* reported below */ }
    throw new CliError(
      EXIT.usage,
      `${flag} expects a JSON object, e.g. '{"field":"MARKET_CAP","min":1e9}', got ${value}`,
    );
  };
}

function helpOf(p: JsonProperty): string {
  const parts = [p.description ?? ""];
  if (p.enum) parts.push(p.enum.join(", "));
  if (p.minimum !== undefined || p.maximum !== undefined) parts.push(`${p.minimum ?? ""}–${p.maximum ?? ""}`);
  return parts.filter(Boolean).join("; ");
}

function parserOf(flag: string, kind: ReturnType<typeof kindOf>): ((value: string) => number) | undefined {
  if (kind !== "number" && kind !== "integer") return undefined;
  return (value: string) => {
    const n = Number(value);
    if (value.trim() === "" || !Number.isFinite(n) || (kind === "integer" && !Number.isInteger(n))) {
      throw new CliError(
        EXIT.usage,
        `${flag} must be ${kind === "integer" ? "a whole number" : "a number"}, got ${value}`,
      );
    }
    return n;
  };
}

function subcommand(spec: Subcommand): Command {
  const { properties, required } = propertiesOf(spec.tool);
  const command = new Command(spec.name).description(spec.description);
  if (spec.positional) command.argument(`<${spec.positional}>`, properties[spec.positional]?.description ?? "");
  for (const [arg, p] of Object.entries(properties)) {
    if (arg === spec.positional) continue;
    const flag = flagOf(arg);
    const kind = kindOf(p);
    const help = helpOf(p);
    if (kind === "boolean") command.option(flag, help);
    else if (kind === "array") {
      const item = p.items ? kindOf(p.items) : "string";
      const parse = item === "object" ? jsonObject(flag) : parserOf(flag, item) ?? ((v: string) => v);
      const what = item === "object" ? "a JSON object, repeatable" : "repeatable";
      command.option(`${flag} <value>`, `${help} (${what})`, (v: string, prev: unknown[] = []) => [...prev, parse(v)]);
    } else {
      const option = new Option(`${flag} <value>`, help).makeOptionMandatory(required.includes(arg));
      const parse = parserOf(flag, kind);
      command.addOption(parse ? option.argParser(parse) : option);
    }
  }
  return command.action(async (...params: unknown[]) => {
    const cmd = params[params.length - 1] as Command;
    const options = params[params.length - 2] as Record<string, unknown>;
    const args: Record<string, unknown> = {};
    if (spec.positional) args[spec.positional] = params[0];
    for (const arg of Object.keys(properties)) {
      const key = arg.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
      if (arg !== spec.positional && options[key] !== undefined) args[arg] = options[key];
    }
    const result = await withGateway(globalsOf(cmd), {}, (session) => session.call(spec.tool, args));
    // The tool's own text rendering is the table form: one rendering for people, in MCP and here.
    emit(cmd, result, () => toolOf(spec.tool).text(result));
  });
}

/** The `research` command group. */
export function researchGroup(): Command {
  const group = new Command("research").description(
    "research data: profile, financials, earnings, holders, movers, news",
  );
  for (const spec of SUBCOMMANDS) group.addCommand(subcommand(spec).showHelpAfterError("(add --help for usage)"));
  return group;
}

/** How futucli runs each tool of the research group (see cli/terms.ts). */
export const RESEARCH_GROUP_TERMS: Readonly<Record<string, CliTerms>> = Object.fromEntries(
  SUBCOMMANDS.map((spec) => {
    const { properties } = propertiesOf(spec.tool);
    const args = Object.fromEntries(
      Object.keys(properties).map((arg) => [arg, arg === spec.positional ? `<${arg}>` : flagOf(arg)]),
    );
    const command = `futucli research ${spec.name}${spec.positional ? ` <${spec.positional}>` : ""}`;
    return [spec.tool, { command, args }];
  }),
);
