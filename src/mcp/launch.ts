/**
 * How to run futu-mcp from source with least privilege: the Deno permission
 * flags for a configuration. Used by the demo, the tests and the MCP client
 * configurations futucli prints.
 *
 * @module
 */

/** The OS keychain command futu-mcp may run (to read the trade password). */
export function keychainCommandOf(os: typeof Deno.build.os = Deno.build.os): string {
  return os === "darwin" ? "security" : os === "windows" ? "powershell" : "secret-tool";
}

/** Permission flags for `deno run main.ts` with the given gateway and listen address. */
export function futuMcpPermissions(
  options: { gateway?: string; httpListen?: string; read?: string[]; write?: string[] } = {},
): string[] {
  const net = new Set<string>();
  if (options.gateway === undefined || options.gateway === "sim") net.add("127.0.0.1");
  else net.add(options.gateway);
  if (options.httpListen) {
    net.add(options.httpListen.startsWith(":") ? `0.0.0.0${options.httpListen}` : options.httpListen);
  }
  return [
    "--no-prompt",
    `--allow-net=${[...net].join(",")}`,
    "--allow-env=FUTU_*",
    "--ignore-env",
    `--allow-run=${keychainCommandOf()}`,
    ...(options.read && options.read.length > 0 ? [`--allow-read=${options.read.join(",")}`] : []),
    ...(options.write && options.write.length > 0 ? [`--allow-write=${options.write.join(",")}`] : []),
  ];
}
