/**
 * The OS keychain, for the trade password: service `futu-mcp`, account
 * `trade-password`. The secret always travels on a subprocess's stdin, never
 * on its command line, and never appears in an error.
 *
 * | OS | backend | command |
 * |---|---|---|
 * | Linux | Secret Service (gnome-keyring, KWallet…) | `secret-tool` (package libsecret-tools) |
 * | macOS | login keychain | `security` |
 * | Windows | Credential Manager (generic credential `futu-mcp:trade-password`) | `powershell` (CredRead/CredWrite through P/Invoke) |
 *
 * @example
 * ```ts
 * import { systemKeychain, TRADE_PASSWORD_ACCOUNT } from "./keychain.ts";
 * const keychain = systemKeychain();
 * await keychain.set(TRADE_PASSWORD_ACCOUNT, "secret");
 * ```
 *
 * @module
 */
import type { TradePasswordSource } from "./trade_password.ts";
import { grantHint } from "../version.ts";

/** The keychain service name. */
export const KEYCHAIN_SERVICE = "futu-mcp";
/** The account name of the trade password. */
export const TRADE_PASSWORD_ACCOUNT = "trade-password";

/** A keychain operation failed; the message never contains the secret. */
export class KeychainError extends Error {
  override name = "KeychainError";
}

/** A place secrets are kept. */
export interface Keychain {
  /** "secret-tool", "security" or "powershell". */
  readonly backend: string;
  get(account: string): Promise<string | undefined>;
  set(account: string, secret: string): Promise<void>;
  /** True when something was deleted. */
  delete(account: string): Promise<boolean>;
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(command: string, args: string[], stdin?: string): Promise<Run> {
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(command, {
      args,
      stdin: stdin === undefined ? "null" : "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) {
      throw new KeychainError(`${command} is not installed (needed for the OS keychain)`);
    }
    if (err instanceof Deno.errors.NotCapable) {
      throw new KeychainError(`not permitted to run ${command}: ${grantHint("run", command)}`);
    }
    throw new KeychainError(`cannot run ${command}: ${(err as Error).message}`);
  }
  if (stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(stdin));
    await writer.close();
  }
  const out = await child.output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr).trim(),
  };
}

/** Linux: the Secret Service through `secret-tool`. */
export class SecretToolKeychain implements Keychain {
  readonly backend = "secret-tool";

  async get(account: string): Promise<string | undefined> {
    const r = await run("secret-tool", ["lookup", "service", KEYCHAIN_SERVICE, "account", account]);
    if (r.code === 0) return r.stdout;
    if (r.code === 1 && r.stderr === "") return undefined;
    throw new KeychainError(`secret-tool lookup failed (exit ${r.code}): ${r.stderr || "no Secret Service?"}`);
  }

  async set(account: string, secret: string): Promise<void> {
    const r = await run(
      "secret-tool",
      ["store", `--label=${KEYCHAIN_SERVICE} ${account}`, "service", KEYCHAIN_SERVICE, "account", account],
      secret,
    );
    if (r.code !== 0) throw new KeychainError(`secret-tool store failed (exit ${r.code}): ${r.stderr}`);
  }

  async delete(account: string): Promise<boolean> {
    const existed = (await this.get(account)) !== undefined;
    const r = await run("secret-tool", ["clear", "service", KEYCHAIN_SERVICE, "account", account]);
    if (r.code !== 0 && existed) throw new KeychainError(`secret-tool clear failed (exit ${r.code}): ${r.stderr}`);
    return existed;
  }
}

function securityQuote(text: string): string {
  return `"${text.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
}

/** macOS: the login keychain through `security` (the secret goes through `security -i` on stdin). */
class MacKeychain implements Keychain {
  readonly backend = "security";

  async get(account: string): Promise<string | undefined> {
    const r = await run("security", ["find-generic-password", "-s", KEYCHAIN_SERVICE, "-a", account, "-w"]);
    if (r.code === 0) return r.stdout.replace(/\n$/, "");
    if (r.code === 44) return undefined;
    throw new KeychainError(`security find-generic-password failed (exit ${r.code}): ${r.stderr}`);
  }

  async set(account: string, secret: string): Promise<void> {
    const command = `add-generic-password -U -s ${securityQuote(KEYCHAIN_SERVICE)} -a ${securityQuote(account)} -w ${
      securityQuote(secret)
    }\n`;
    const r = await run("security", ["-i"], command);
    if (r.code !== 0) throw new KeychainError(`security add-generic-password failed (exit ${r.code})`);
  }

  async delete(account: string): Promise<boolean> {
    const r = await run("security", ["delete-generic-password", "-s", KEYCHAIN_SERVICE, "-a", account]);
    if (r.code === 0) return true;
    if (r.code === 44) return false;
    throw new KeychainError(`security delete-generic-password failed (exit ${r.code}): ${r.stderr}`);
  }
}

const CRED_PINVOKE = `
Add-Type -TypeDefinition @"
using System; using System.Runtime.InteropServices; using System.Text;
public static class FutuCred {
  [StructLayout(LayoutKind.Sequential, CharSet = CharSet.Unicode)]
  public struct CREDENTIAL { public int Flags; public int Type; public string TargetName; public string Comment;
    public System.Runtime.InteropServices.ComTypes.FILETIME LastWritten; public int CredentialBlobSize;
    public IntPtr CredentialBlob; public int Persist; public int AttributeCount; public IntPtr Attributes;
    public string TargetAlias; public string UserName; }
  [DllImport("advapi32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
  static extern bool CredReadW(string target, int type, int flags, out IntPtr cred);
  [DllImport("advapi32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
  static extern bool CredWriteW(ref CREDENTIAL cred, int flags);
  [DllImport("advapi32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
  static extern bool CredDeleteW(string target, int type, int flags);
  [DllImport("advapi32.dll")] static extern void CredFree(IntPtr cred);
  public static string Read(string target) {
    IntPtr p; if (!CredReadW(target, 1, 0, out p)) return null;
    try { var c = (CREDENTIAL)Marshal.PtrToStructure(p, typeof(CREDENTIAL));
      return Marshal.PtrToStringUni(c.CredentialBlob, c.CredentialBlobSize / 2); } finally { CredFree(p); } }
  public static bool Write(string target, string user, string secret) {
    var bytes = Encoding.Unicode.GetBytes(secret); var c = new CREDENTIAL();
    c.Type = 1; c.TargetName = target; c.UserName = user; c.Persist = 2; c.CredentialBlobSize = bytes.Length;
    c.CredentialBlob = Marshal.AllocHGlobal(bytes.Length); Marshal.Copy(bytes, 0, c.CredentialBlob, bytes.Length);
    try { return CredWriteW(ref c, 0); } finally { Marshal.FreeHGlobal(c.CredentialBlob); } }
  public static bool Delete(string target) { return CredDeleteW(target, 1, 0); }
}
"@
`;

/** Windows: Credential Manager through CredReadW/CredWriteW (cmdkey cannot read secrets back). */
class WindowsKeychain implements Keychain {
  readonly backend = "powershell";

  #script(body: string): Promise<Run> {
    return run("powershell", ["-NoProfile", "-NonInteractive", "-Command", "-"], `${CRED_PINVOKE}\n${body}\nexit 0\n`);
  }

  #target(account: string): string {
    return `${KEYCHAIN_SERVICE}:${account}`;
  }

  async get(account: string): Promise<string | undefined> {
    const r = await this.#script(
      `$s = [FutuCred]::Read('${this.#target(account)}'); if ($s -eq $null) { exit 3 }; ` +
        `[Console]::Out.Write([Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($s)))`,
    );
    if (r.code === 3) return undefined;
    if (r.code !== 0) throw new KeychainError(`Credential Manager read failed (exit ${r.code})`);
    return new TextDecoder().decode(Uint8Array.from(atob(r.stdout.trim()), (c) => c.charCodeAt(0)));
  }

  async set(account: string, secret: string): Promise<void> {
    const encoded = btoa(String.fromCharCode(...new TextEncoder().encode(secret)));
    const r = await this.#script(
      `$s = [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('${encoded}')); ` +
        `if (-not [FutuCred]::Write('${this.#target(account)}', '${account}', $s)) { exit 4 }`,
    );
    if (r.code !== 0) throw new KeychainError(`Credential Manager write failed (exit ${r.code})`);
  }

  async delete(account: string): Promise<boolean> {
    const r = await this.#script(`if (-not [FutuCred]::Delete('${this.#target(account)}')) { exit 3 }`);
    if (r.code === 0) return true;
    if (r.code === 3) return false;
    throw new KeychainError(`Credential Manager delete failed (exit ${r.code})`);
  }
}

/** The keychain of this OS. */
export function systemKeychain(): Keychain {
  switch (Deno.build.os) {
    case "darwin":
      return new MacKeychain();
    case "windows":
      return new WindowsKeychain();
    default:
      return new SecretToolKeychain();
  }
}

/** The trade password in the keychain. */
export function keychainPasswordSource(keychain: Keychain = systemKeychain()): TradePasswordSource {
  return {
    description:
      `the OS keychain (${keychain.backend}, service "${KEYCHAIN_SERVICE}", account "${TRADE_PASSWORD_ACCOUNT}")`,
    async read() {
      const value = (await keychain.get(TRADE_PASSWORD_ACCOUNT))?.trim();
      return value ? value : undefined;
    },
  };
}
