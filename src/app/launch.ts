/**
 * How to run futu-mcp from source with least privilege: the Deno permission
 * flags for a configuration. Used by the demo, the tests and the MCP client
 * configurations futucli prints.
 *
 * @module
 */
import { stateAddress } from "../state/redis.ts";

/** The OS keychain command futu-mcp may run (to read the trade password). */
export function keychainCommandOf(os: typeof Deno.build.os = Deno.build.os): string {
  return os === "darwin" ? "security" : os === "windows" ? "powershell" : "secret-tool";
}

/** What futu-mcp reads of the system besides its own files: the machine id, for keys bound to machines. */
export function machineIdSourcesOf(os: typeof Deno.build.os = Deno.build.os): { read: string[]; run: string[] } {
  if (os === "linux") return { read: ["/etc/machine-id", "/var/lib/dbus/machine-id"], run: [] };
  if (os === "darwin") return { read: [], run: ["ioreg"] };
  return { read: [], run: [] }; // Windows: the keychain's PowerShell also reads the MachineGuid
}

/**
 * Permission flags for `deno run main.ts` with the given gateway (default OpenD's 127.0.0.1:11111; "sim" needs
 * none), listen address and shared state (`--state`).
 */
export function futuMcpPermissions(
  options: { gateway?: string; httpListen?: string; state?: string; read?: string[]; write?: string[] } = {},
): string[] {
  const net = new Set<string>();
  // --gateway sim runs the simulator in-process: no network at all unless futu-mcp listens for HTTP.
  if (options.gateway === undefined) net.add("127.0.0.1:11111");
  else if (options.gateway !== "sim") net.add(options.gateway);
  if (options.httpListen) {
    net.add(options.httpListen.startsWith(":") ? `0.0.0.0${options.httpListen}` : options.httpListen);
  }
  // Replicas share their state in Redis (--state redis://host:port/db): that address too.
  if (options.state && options.state !== "local") net.add(stateAddress(options.state));
  const machine = machineIdSourcesOf();
  const read = [...(options.read ?? []), ...machine.read];
  return [
    "--no-prompt",
    ...(net.size > 0 ? [`--allow-net=${[...net].join(",")}`] : []),
    "--allow-env=FUTU_*",
    "--ignore-env",
    `--allow-run=${[keychainCommandOf(), ...machine.run].join(",")}`,
    ...(read.length > 0 ? [`--allow-read=${read.join(",")}`] : []),
    ...(options.write && options.write.length > 0 ? [`--allow-write=${options.write.join(",")}`] : []),
  ];
}
