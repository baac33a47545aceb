/**
 * Helpers shared by futucli's commands: global options, printing results,
 * and option parsers that fail with usage errors.
 *
 * @module
 */
import { type Command, InvalidArgumentError } from "commander";
import { type Format, FORMATS, render } from "./output.ts";
import type { GlobalOptions } from "./runtime.ts";

/** The global options as a command sees them. */
export function globalsOf(command: Command): GlobalOptions {
  const options = command.optsWithGlobals() as { gateway: string; output: string; rsaKey?: string };
  return { gateway: options.gateway, output: options.output as Format, rsaKey: options.rsaKey };
}

/** Prints a result: `human` (when given) replaces the generic table for people. */
export function emit(command: Command, value: unknown, human?: () => string): void {
  const format = globalsOf(command).output;
  const text = format === "table" && human ? human() : render(value, format);
  Deno.stdout.writeSync(new TextEncoder().encode(text.endsWith("\n") ? text : text + "\n"));
}

/** Parses `-o`. */
export function parseFormat(value: string): Format {
  if (!(FORMATS as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`expected one of ${FORMATS.join(", ")}`);
  }
  return value as Format;
}

/** A comma-separated list, trimmed, empty items dropped, duplicates removed. */
export function csv(value: string): string[] {
  return [...new Set(value.split(",").map((s) => s.trim()).filter(Boolean))];
}

/** A finite number (optionally ≥ 0 or an integer). */
export function numberArg(options: { nonNegative?: boolean; integer?: boolean } = {}) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === "" || !Number.isFinite(n)) throw new InvalidArgumentError("not a finite number");
    if (options.nonNegative && n < 0) throw new InvalidArgumentError("must be ≥ 0");
    if (options.integer && !Number.isInteger(n)) throw new InvalidArgumentError("must be a whole number");
    return n;
  };
}
