/**
 * Test helpers for the release: `deno task build` as a process, with the
 * task's own permissions (writing only the output folder).
 *
 * @module
 */
import { childEnv } from "./mcp.ts";

/** Runs scripts/build.ts into `out` with `args`; `env` adds to (or overrides) the child's environment. */
export async function runBuild(
  out: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const result = await new Deno.Command("deno", {
    args: [
      "run",
      "--no-prompt",
      "--allow-run=deno",
      "--allow-read=.",
      `--allow-write=${out}`,
      "--ignore-env",
      "scripts/build.ts",
      "--out",
      out,
      ...args,
    ],
    env: childEnv({ NO_COLOR: "1", ...env }),
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: result.code,
    stdout: new TextDecoder().decode(result.stdout),
    stderr: new TextDecoder().decode(result.stderr),
  };
}
