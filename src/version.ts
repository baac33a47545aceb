/**
 * The version of futu-mcp and futucli, and — in a release build — what the
 * build baked in: the target and the permissions the executable was compiled
 * with. `deno task build` prepends the build record to each bundle (see
 * `scripts/build.ts`); run from source, there is none.
 *
 * This module imports nothing: every layer may use it.
 *
 * @module
 */

/** The version of futu-mcp and futucli. */
export const VERSION = "0.1.0";

/** The permissions baked into a release executable, as Deno flag values. */
export interface BakedGrants {
  net: string[];
  env: string[];
  run: string[];
  read: string[];
  write: string[];
}

/** What a release build records about itself. */
export interface BuildRecord {
  /** "futu-mcp" or "futucli". */
  program: string;
  version: string;
  /** Rust target triple, e.g. x86_64-unknown-linux-gnu. */
  target: string;
  grants: BakedGrants;
}

/** The global a release bundle sets before any module runs. */
export const BUILD_GLOBAL = "__FUTU_BUILD__";

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}

function readBuild(): BuildRecord | undefined {
  const value = (globalThis as Record<string, unknown>)[BUILD_GLOBAL];
  if (typeof value !== "object" || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const grants = record.grants as Record<string, unknown> | undefined;
  if (
    typeof record.program !== "string" || typeof record.version !== "string" || typeof record.target !== "string" ||
    typeof grants !== "object" || grants === null ||
    !(["net", "env", "run", "read", "write"] as const).every((kind) => isStringList(grants[kind]))
  ) {
    throw new Error(`malformed build record in ${BUILD_GLOBAL}`);
  }
  return value as BuildRecord;
}

/** The build record of this release executable (or bundle), undefined when run from source. */
export const BUILD: BuildRecord | undefined = readBuild();

/** The build option that bakes another grant of each kind into a release executable (none for env and run). */
const BUILD_OPTION: Record<keyof BakedGrants, string | undefined> = {
  net: "--allow-gateway",
  env: undefined,
  run: undefined,
  read: "--allow-read",
  write: "--allow-write",
};

/** What the deno tasks grant of each kind: a task's flags are fixed, so the hint says where the flag can go. */
const TASK_GRANTS: Record<keyof BakedGrants, string> = {
  net: "the deno tasks reach only OpenD at 127.0.0.1:11111 and 127.0.0.1:38765",
  env: "the deno tasks see only FUTU_* and what futucli documents",
  run: "the deno tasks run only the keychain tool",
  read: "the deno tasks read only this checkout and ~/.config/futu",
  write: "the deno tasks write only .futu and ~/.config/futu",
};

/**
 * How to grant what Deno refused: the `--allow-*` flag when run from source,
 * the build option when this is a release executable (its grants are fixed).
 * `buildOption` names the option when it is not the kind's usual one
 * (`--allow-listen` for futu-mcp's HTTP address).
 */
export function grantHint(kind: keyof BakedGrants, value: string, buildOption = BUILD_OPTION[kind]): string {
  // From source the flag goes on a deno run line: a task's flags are fixed (README › Permissions lists them).
  if (!BUILD) return `grant it with --allow-${kind}=${value} on the deno run line (${TASK_GRANTS[kind]})`;
  const fixed =
    `this ${BUILD.program} executable was built without that grant (${BUILD.program} --version lists its grants)`;
  return buildOption ? `${fixed}; build one that has it with deno task build ${buildOption} ${value}` : fixed;
}

/**
 * A permission refusal in words that fit how this process runs: what was
 * refused and how to grant it (Deno's own text says "run again with
 * --allow-…", which a release executable cannot take).
 */
export function refusalMessage(err: Error): string {
  const match = /Requires (\w+) access to "?([^",]+)"?/.exec(err.message);
  if (!match) return `not permitted: ${err.message}`;
  const kind = match[1] as keyof BakedGrants;
  const hint = grantHint(kind, match[2]);
  return `not permitted: ${kind} access to ${match[2]} was refused; ${hint}`;
}

/** An error's message, with a permission refusal put as {@link refusalMessage} does. */
export function errorMessage(err: unknown): string {
  if (err instanceof Deno.errors.NotCapable) return refusalMessage(err);
  return err instanceof Error ? err.message : String(err);
}

/** The `--version` text: the version and, for a release executable, its target and baked grants. */
export function versionText(program: string): string {
  if (!BUILD) return `${program} ${VERSION} (from source; permissions are those of the deno command line)`;
  const g = BUILD.grants;
  const list = (items: string[]) => items.length > 0 ? items.join(", ") : "none";
  return [
    `${program} ${BUILD.version} (${BUILD.target})`,
    "baked permissions (nothing else is granted; no prompts):",
    `  net:   ${list(g.net)}`,
    `  env:   ${list(g.env)} (all other variables read as unset)`,
    `  run:   ${list(g.run)}`,
    `  read:  ${list(g.read)}`,
    `  write: ${list(g.write)}`,
  ].join("\n");
}
