/**
 * Helpers shared by futucli's commands: global options, printing results,
 * and option parsers that fail with usage errors.
 *
 * @module
 */
import { type Command, InvalidArgumentError } from "commander";
import { type Format, FORMATS, render } from "./output.ts";
import type { GlobalOptions } from "./runtime.ts";
import { CliError, EXIT } from "./exit_codes.ts";

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

/** What a numeric flag accepts. */
export interface NumberRule {
  integer?: boolean;
  /** "above 0" (quantities, prices, counts) or "0 or more" (limits, spreads). */
  min?: "above 0" | "0 or more";
}

/**
 * A number flag or argument. Every way of getting it wrong gets the one
 * message of its rule, naming the flag ("--qty must be a whole number above 0,
 * got -100"), before any tool sees the value.
 */
export function numberArg(name: string, rule: NumberRule = {}) {
  const wanted = `${rule.integer ? "a whole number" : "a number"}${rule.min === "above 0" ? " above 0" : ""}${
    rule.min === "0 or more" ? " of 0 or more" : ""
  }`;
  return (value: string): number => {
    const n = Number(value);
    const ok = value.trim() !== "" && Number.isFinite(n) && (!rule.integer || Number.isInteger(n)) &&
      (rule.min !== "above 0" || n > 0) && (rule.min !== "0 or more" || n >= 0);
    if (!ok) {
      throw new CliError(EXIT.usage, `${name} must be ${wanted}, got ${value.trim() === "" ? "nothing" : value}`);
    }
    return n;
  };
}
