/**
 * Opens the shared state of replicas (`--state redis://…`): the password from
 * FUTU_STATE_PASSWORD or `--state-password-file` (never the command line), the
 * TLS CA from `--state-tls-ca`, and a clear refusal when the process may not
 * reach Redis.
 *
 * @module
 */
import type { FutuMcpOptions } from "./options.ts";
import { RedisState, stateAddress, StateUrlError } from "../state/redis.ts";
import { errorMessage, grantHint } from "../version.ts";

/** A shared state that cannot be set up (exit code 1, the message says why). */
export class SharedStateSetupError extends Error {
  override name = "SharedStateSetupError";
}

async function readSecret(path: string, what: string): Promise<string> {
  try {
    return (await Deno.readTextFile(path)).trim();
  } catch (err) {
    throw new SharedStateSetupError(`${what} ${path}: cannot read: ${errorMessage(err)}`);
  }
}

/** Connects to the shared state named by `--state`. */
export async function openSharedState(
  options: FutuMcpOptions,
  log: (message: string) => void,
): Promise<RedisState> {
  const url = options.state!;
  let net: string;
  try {
    net = stateAddress(url);
  } catch (err) {
    if (err instanceof StateUrlError) throw new SharedStateSetupError(err.message);
    throw err;
  }
  if (Deno.permissions.querySync({ name: "net", host: net }).state !== "granted") {
    throw new SharedStateSetupError(
      `not permitted to reach the shared state at ${net}: ${grantHint("net", net, "--allow-state")}`,
    );
  }
  const password = options.statePasswordFile
    ? await readSecret(options.statePasswordFile, "--state-password-file")
    : Deno.env.get("FUTU_STATE_PASSWORD") || undefined;
  const tlsCa = options.stateTlsCa ? await readSecret(options.stateTlsCa, "--state-tls-ca") : undefined;
  return await RedisState.connect({ url, password, tlsCa, namespace: options.stateNamespace, log });
}
