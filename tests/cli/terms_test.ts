/**
 * futucli names tools and arguments as its own commands and flags: the table
 * covers every argument of every tool a command runs, each flag exists on
 * that command, every tool a message mentions is known, and texts written in
 * MCP terms come out in futucli's.
 */
import { z } from "zod";
import type { Command } from "commander";
import { assert, assertEquals } from "../helpers/assert.ts";
import { cliTerms, inCliTerms, mcpOnly, SET_BY_FUTUCLI } from "../../cli/terms.ts";

const CLI_TERMS = cliTerms();
const MCP_ONLY = mcpOnly();
import { program } from "../../cli/main.ts";
import { ALL_TOOLS } from "../../src/tools/inventory.ts";
import { OpenDError } from "../../src/gateway/mod.ts";
import { toToolError } from "../../src/tools/errors.ts";

/** The command a usage names, through command groups ("futucli research profile <symbol>"). */
function commandOf(usage: string): Command {
  const names = usage.split(" ").slice(1).filter((word) => !word.startsWith("<"));
  let command: Command = program();
  for (const name of names) {
    const sub = command.commands.find((c) => c.name() === name);
    assert(sub, `no futucli command "${names.join(" ")}" (from "${usage}")`);
    command = sub;
  }
  return command;
}

/** What sets an argument on a command: its long flags and its positionals as `<name>` / `<name...>`. */
function settersOf(command: Command): Set<string> {
  return new Set([
    ...command.options.map((o) => o.long!).filter(Boolean),
    ...command.registeredArguments.map((a) => `<${a.name()}${a.variadic ? "..." : ""}>`),
  ]);
}

Deno.test("every futu-mcp tool is run by a futucli command or is listed as MCP-only", () => {
  for (const tool of ALL_TOOLS) {
    assert(
      (tool.name in CLI_TERMS) !== (tool.name in MCP_ONLY),
      `${tool.name} must be in exactly one of CLI_TERMS and MCP_ONLY`,
    );
  }
  const known = new Set<string>(ALL_TOOLS.map((t) => t.name));
  for (const name of [...Object.keys(CLI_TERMS), ...Object.keys(MCP_ONLY)]) assert(known.has(name), `no tool ${name}`);
});

Deno.test("every argument of every tool futucli runs has the futucli flag or positional that sets it", () => {
  for (const [name, terms] of Object.entries(CLI_TERMS)) {
    const tool = ALL_TOOLS.find((t) => t.name === name)!;
    const schema = z.toJSONSchema(tool.input, { io: "input", unrepresentable: "any" }) as {
      properties?: Record<string, unknown>;
    };
    const toolArgs = Object.keys(schema.properties ?? {}).sort();
    assertEquals(Object.keys(terms.args).sort(), toolArgs, `the arguments of ${name}`);
    const command = commandOf(terms.command);
    const setters = settersOf(command);
    for (const [arg, flag] of Object.entries(terms.args)) {
      if (flag === SET_BY_FUTUCLI) continue;
      assert(setters.has(flag), `${name}.${arg} → ${flag}, which "${command.name()}" does not have`);
    }
    for (const positional of terms.command.split(" ").filter((word) => word.startsWith("<"))) {
      assert(setters.has(positional), `"${terms.command}": "${command.name()}" has no ${positional}`);
    }
  }
});

Deno.test("every tool a message or hint mentions is one the table knows", async () => {
  const mentioned = new Set<string>();
  for (const dir of ["src/services", "src/tools", "src/gateway", "src/sim"]) {
    for await (const entry of Deno.readDir(dir)) {
      if (!entry.isFile || !entry.name.endsWith(".ts")) continue;
      const code = (await Deno.readTextFile(`${dir}/${entry.name}`)).split("\n")
        // Messages and hints, not documentation (comments, tool and argument descriptions).
        .filter((line) => !/^\s*(\/\/|\/?\*)|description:|\.describe\(/.test(line));
      for (const literal of code.join("\n").matchAll(/"[^"\n]*"|'[^'\n]*'|`[^`]*`/g)) {
        for (const match of literal[0].matchAll(/\bfutu_[a-z_]+\b/g)) mentioned.add(match[0]);
      }
    }
  }
  assert(mentioned.size > 5, `found too few mentions: ${[...mentioned]}`);
  const notTools = new Set(["futu_push"]); // the logger of push notifications
  for (const name of mentioned) {
    assert(name in CLI_TERMS || name in MCP_ONLY || notTools.has(name), `${name} is mentioned but unknown`);
  }
});

Deno.test("texts in MCP terms read in futucli's: commands, flags, positionals", () => {
  const cases: [string, string | undefined, string][] = [
    [
      "several REAL accounts match (1, 2): pass acc_id to choose one",
      "futu_place_order",
      "several REAL accounts match (1, 2): pass --acc-id to choose one",
    ],
    [
      'acc_id 6 is a SIMULATE account but the call asked for env real; pass env "simulate" to use it',
      "futu_get_funds",
      '--acc-id 6 is a SIMULATE account but the call asked for env real; pass --env "simulate" to use it',
    ],
    [
      "invalid arguments for futu_get_kline: kl_type: expected one of K_1M; max_count: too big",
      "futu_get_kline",
      "invalid arguments for futucli kline: --type: expected one of K_1M; --count: too big",
    ],
    [
      "invalid arguments for futu_place_order: qty: must be above 0",
      "futu_place_order",
      "invalid arguments for futucli place-order: <qty>: must be above 0",
    ],
    [
      "order 9 is not among today's orders of REAL account 1; check futu_get_orders, or pass market",
      "futu_cancel_order",
      "order 9 is not among today's orders of REAL account 1; check futucli orders, or pass --market",
    ],
    // One-word arguments elsewhere are English, not references.
    [
      "no trading market for XX.1; the market is closed",
      "futu_place_order",
      "no trading market for XX.1; the market is closed",
    ],
    // Result fields are not arguments: lot_size stays, as futucli static prints it.
    ["lot_size and buying_power", undefined, "lot_size and buying_power"],
  ];
  for (const [mcp, tool, cli] of cases) assertEquals(inCliTerms(mcp, tool), cli);
});

Deno.test("hints keep MCP names for MCP clients and name futucli's commands and flags in futucli", () => {
  const lot = toToolError(new OpenDError("Trd_PlaceOrder", -1, "Quantity 150 is not a multiple of the lot size 100"));
  assert(lot.hint?.includes("futu_get_static") && lot.hint.includes("qty"), lot.hint);
  assertEquals(
    inCliTerms(lot.hint!, "futu_place_order"),
    "Pass <qty> as a multiple of the lot size (futucli static <symbols...> gives lot_size).",
  );
  assertEquals(
    inCliTerms(lot.hint!, "futu_modify_order"),
    "Pass --qty as a multiple of the lot size (futucli static <symbols...> gives lot_size).",
  );
});
