/**
 * What a release executable may do: the Deno permissions `deno task build`
 * bakes into futu-mcp and futucli for each target, and the flags that grant
 * exactly those (used for `deno compile` and, in the tests, for `deno run` of
 * the same bundle). One rule, used by the build, the bundle tests and the
 * release smoke test.
 *
 * Per-user paths: Deno's permission paths are literal — no `~`, `$HOME` or
 * `%APPDATA%` expansion (denoland/deno#30694) — so the narrowest path that
 * covers every user's `~/.config/futu` is the home root (`/home`, `/root`,
 * `/Users`, `C:\Users`). Operators who know their paths build with
 * `--only-listed-paths` and `--allow-read` / `--allow-write`.
 *
 * @example
 * ```ts
 * import { denoRuntimeFlags, releaseGrants } from "./release_grants.ts";
 * const grants = releaseGrants("futu-mcp", "x86_64-unknown-linux-gnu");
 * console.log(denoRuntimeFlags(grants).join(" "));
 * ```
 *
 * @module
 */
import { keychainCommandOf, machineIdSourcesOf } from "../src/app/launch.ts";
import type { BakedGrants } from "../src/version.ts";
import { osOf, type Program, type Target } from "./release_targets.ts";

/** OpenD's default address, in both spellings a user may write. */
export const DEFAULT_GATEWAYS = ["127.0.0.1:11111", "localhost:11111"];
/** futu-mcp's documented HTTP listen address, in both spellings. */
export const DEFAULT_LISTENS = ["127.0.0.1:38765", "localhost:38765"];

/** What an operator adds to (or takes from) the defaults at build time. */
export interface GrantOptions {
  /** More OpenD addresses (`host:port`) both executables may connect to. */
  gateways?: string[];
  /** More addresses futu-mcp may listen on for Streamable HTTP. */
  listens?: string[];
  /** Redis addresses futu-mcp may reach for a shared state (`--state`); none by default. */
  states?: string[];
  /** More paths both may read. */
  read?: string[];
  /** More paths both may read and write. */
  write?: string[];
  /** Drop the default file grants (home roots, system folders); only `read` and `write` remain. */
  onlyListedPaths?: boolean;
}

/**
 * Where per-user files live (the home roots) and the folders of a server install: on Linux
 * keys in /etc/futu (which futu-mcp only reads and futucli, the operator's tool, manages),
 * counters and the pid file in /var/lib/futu-mcp, the audit log in /var/log/futu-mcp.
 */
function defaultPaths(
  os: "linux" | "darwin" | "windows",
  program: Program,
): { read: string[]; readWrite: string[] } {
  switch (os) {
    case "linux":
      return {
        read: ["/etc/futu"],
        readWrite: [
          "/home",
          "/root",
          "/var/lib/futu-mcp",
          "/var/log/futu-mcp",
          ...(program === "futucli" ? ["/etc/futu"] : []),
        ],
      };
    case "darwin":
      return { read: [], readWrite: ["/Users"] };
    case "windows":
      return { read: [], readWrite: ["C:\\Users", "C:\\ProgramData\\futu"] };
  }
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}

/** The permissions baked into `program` for `target`. */
export function releaseGrants(program: Program, target: Target, options: GrantOptions = {}): BakedGrants {
  const os = osOf(target);
  const gateways = unique([...DEFAULT_GATEWAYS, ...(options.gateways ?? [])]);
  const machine = machineIdSourcesOf(os);
  const paths = options.onlyListedPaths ? { read: [], readWrite: [] } : defaultPaths(os, program);
  const readWrite = unique([...paths.readWrite, ...(options.write ?? [])]);
  const read = unique([...machine.read, ...paths.read, ...readWrite, ...(options.read ?? [])]);
  if (program === "futu-mcp") {
    return {
      // The embedded simulator (--gateway sim) runs in-process and needs no port.
      net: unique([...gateways, ...DEFAULT_LISTENS, ...(options.listens ?? []), ...(options.states ?? [])]),
      env: ["FUTU_*"],
      run: unique([keychainCommandOf(os), ...machine.run]),
      read,
      write: readWrite,
    };
  }
  return {
    // futucli sim listens on OpenD's default address, which is also where the other commands connect.
    net: gateways,
    // The default keys location ($XDG_CONFIG_HOME, ~/.config or %APPDATA%) and PATH (to find futu-mcp).
    env: os === "windows" ? ["FUTU_*", "APPDATA", "PATH"] : ["FUTU_*", "HOME", "XDG_CONFIG_HOME", "PATH"],
    // kill: SIGHUP to a running futu-mcp after a key change (Deno.kill would need every program).
    run: unique([keychainCommandOf(os), ...machine.run, ...(os === "windows" ? [] : ["kill"])]),
    read,
    write: readWrite,
  };
}

/**
 * The hosts Deno lets any program import code from unless told otherwise; a
 * release executable imports nothing (everything is bundled), so they are denied.
 * A bare `--deny-import` does not stop remote imports in Deno 2.9.6; the list does.
 */
export const DENO_DEFAULT_IMPORT_HOSTS = [
  "deno.land:443",
  "jsr.io:443",
  "esm.sh:443",
  "raw.esm.sh:443",
  "cdn.jsdelivr.net:443",
  "raw.githubusercontent.com:443",
  "gist.githubusercontent.com:443",
];

/**
 * The Deno flags for a release executable: exactly `grants`, no remote code,
 * no prompts, and Deno's own notes (such as a granted program that is not
 * installed) kept off stderr.
 */
export function denoRuntimeFlags(grants: BakedGrants): string[] {
  const flag = (name: string, items: string[]) => items.length > 0 ? [`--allow-${name}=${items.join(",")}`] : [];
  return [
    "--quiet",
    "--no-prompt",
    `--deny-import=${DENO_DEFAULT_IMPORT_HOSTS.join(",")}`,
    ...flag("net", grants.net),
    ...flag("env", grants.env),
    "--ignore-env",
    ...flag("run", grants.run),
    ...flag("read", grants.read),
    ...flag("write", grants.write),
  ];
}
