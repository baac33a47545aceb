/**
 * The raw id of this machine, for binding keys to machines: `FUTU_MACHINE_ID`
 * when set (containers, tests), else `/etc/machine-id` on Linux, the
 * IOPlatformUUID on macOS, the MachineGuid on Windows. Undefined when it
 * cannot be determined; keys bound to machines are then refused.
 *
 * @module
 */

let cached: Promise<string | undefined> | undefined;

async function run(command: string, args: string[]): Promise<string | undefined> {
  try {
    const out = await new Deno.Command(command, { args, stdout: "piped", stderr: "null" }).output();
    return out.success ? new TextDecoder().decode(out.stdout) : undefined;
  } catch {
    return undefined;
  }
}

async function detect(): Promise<string | undefined> {
  switch (Deno.build.os) {
    case "linux": {
      for (const path of ["/etc/machine-id", "/var/lib/dbus/machine-id"]) {
        try {
          const id = (await Deno.readTextFile(path)).trim();
          if (id) return id;
        } catch { /* try the next one */ }
      }
      return undefined;
    }
    case "darwin": {
      const out = await run("ioreg", ["-rd1", "-c", "IOPlatformExpertDevice"]);
      return out ? /"IOPlatformUUID" = "([^"]+)"/.exec(out)?.[1] : undefined;
    }
    case "windows": {
      const out = await run("powershell", [
        "-NoProfile",
        "-NonInteractive",
        "-Command",
        "(Get-ItemProperty -Path 'HKLM:\\SOFTWARE\\Microsoft\\Cryptography' -Name MachineGuid).MachineGuid",
      ]);
      return out?.trim() || undefined;
    }
    default:
      return undefined;
  }
}

/** The raw machine id (`FUTU_MACHINE_ID`, else the OS's id, cached for the life of the process). */
export function machineId(): Promise<string | undefined> {
  const override = Deno.env.get("FUTU_MACHINE_ID")?.trim();
  if (override) return Promise.resolve(override);
  cached ??= detect();
  return cached;
}
