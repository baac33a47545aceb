/**
 * Reading a secret: a no-echo prompt on a terminal, or standard input for
 * scripts. The secret is returned, never printed.
 *
 * @module
 */
import { CliError, EXIT } from "./exit_codes.ts";

/** The first line of standard input, trimmed of its line ending. */
export async function secretFromStdin(): Promise<string> {
  const text = await new Response(Deno.stdin.readable).text();
  const line = text.split(/\r?\n/)[0].trim();
  if (!line) throw new CliError(EXIT.usage, "nothing on standard input");
  return line;
}

/** Prompts on the terminal without echo (stderr for the prompt). */
export async function promptSecret(prompt: string): Promise<string> {
  if (!Deno.stdin.isTerminal()) {
    throw new CliError(EXIT.usage, "standard input is not a terminal: pass --from-stdin and pipe the secret");
  }
  const encoder = new TextEncoder();
  await Deno.stderr.write(encoder.encode(prompt));
  Deno.stdin.setRaw(true);
  const bytes: number[] = [];
  const buffer = new Uint8Array(64);
  try {
    read: for (;;) {
      const n = await Deno.stdin.read(buffer);
      if (n === null) break;
      for (const byte of buffer.subarray(0, n)) {
        if (byte === 3) throw new CliError(130, "cancelled");
        if (byte === 13 || byte === 10) break read;
        if (byte === 127 || byte === 8) bytes.pop();
        else bytes.push(byte);
      }
    }
  } finally {
    Deno.stdin.setRaw(false);
    await Deno.stderr.write(encoder.encode("\n"));
  }
  return new TextDecoder().decode(new Uint8Array(bytes)).trim();
}
