/**
 * futucli: the operator's tool for futu-mcp and OpenD.
 *
 * @module
 */
import { Command, CommanderError } from "commander";
import { simCommand } from "./commands/sim.ts";
import { VERSION } from "../src/version.ts";

/** Builds the futucli program. */
export function program(): Command {
  return new Command("futucli")
    .description("operate futu-mcp and talk to Futu OpenD")
    .version(VERSION)
    .addCommand(simCommand());
}

if (import.meta.main) {
  const cli = program().exitOverride();
  try {
    await cli.parseAsync(Deno.args, { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) Deno.exit(err.exitCode === 0 ? 0 : 2);
    console.error(`futucli: ${(err as Error).message}`);
    Deno.exit(1);
  }
}
