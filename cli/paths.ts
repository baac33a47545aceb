/**
 * Where futucli keeps things by default: keys.json in the user's
 * configuration directory, as upstream.
 *
 * @module
 */
import { join } from "node:path";
import { CliError, EXIT } from "./exit_codes.ts";

/**
 * The keys file: `FUTU_KEYS_FILE`, else `$XDG_CONFIG_HOME/futu/keys.json`, else
 * `~/.config/futu/keys.json` (Linux, macOS), or `%APPDATA%\futu\keys.json` (Windows).
 */
export function defaultKeysFile(): string {
  const explicit = Deno.env.get("FUTU_KEYS_FILE");
  if (explicit) return explicit;
  if (Deno.build.os === "windows") {
    const appData = Deno.env.get("APPDATA");
    if (appData) return join(appData, "futu", "keys.json");
  } else {
    const config = Deno.env.get("XDG_CONFIG_HOME") || (Deno.env.get("HOME") && join(Deno.env.get("HOME")!, ".config"));
    if (config) return join(config, "futu", "keys.json");
  }
  throw new CliError(EXIT.usage, "no --keys-file given and no default location (set FUTU_KEYS_FILE or HOME)");
}
