/**
 * The release's targets and file names, one list for the build, the
 * listings (server.json, MCP Bundles), the install scripts' tests and the
 * smoke test.
 *
 * @example
 * ```ts
 * import { binaryName, TARGETS } from "./release_targets.ts";
 * for (const target of TARGETS) console.log(binaryName("futu-mcp", "0.1.0", target));
 * ```
 *
 * @module
 */

/** The targets a release is built for (Rust target triples, as `deno compile --target` takes them). */
export const TARGETS = [
  "x86_64-unknown-linux-gnu",
  "aarch64-unknown-linux-gnu",
  "x86_64-apple-darwin",
  "aarch64-apple-darwin",
  "x86_64-pc-windows-msvc",
] as const;

/** A release target. */
export type Target = typeof TARGETS[number];

/** The two executables. */
export type Program = "futu-mcp" | "futucli";

/** True for a target this build knows. */
export function isTarget(value: string): value is Target {
  return (TARGETS as readonly string[]).includes(value);
}

/** The OS of a target, in `Deno.build.os` terms. */
export function osOf(target: Target): "linux" | "darwin" | "windows" {
  return target.endsWith("-linux-gnu") ? "linux" : target.endsWith("-apple-darwin") ? "darwin" : "windows";
}

/** The target of this machine, if releases are built for it. */
export function hostTarget(): Target | undefined {
  return isTarget(Deno.build.target) ? Deno.build.target : undefined;
}

/** A release file name: `futu-mcp-0.1.0-x86_64-unknown-linux-gnu`, `.exe` on Windows. */
export function binaryName(program: Program, version: string, target: Target): string {
  return `${program}-${version}-${target}${osOf(target) === "windows" ? ".exe" : ""}`;
}

/** SHA-256 of some bytes, as lowercase hex (the form of SHA256SUMS). */
export async function sha256Hex(data: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", data as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}
