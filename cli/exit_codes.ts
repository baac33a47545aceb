/**
 * futucli's exit codes, for scripts. Errors go to stderr; stdout carries only
 * results.
 *
 * | code | meaning |
 * |---|---|
 * | 0 | success |
 * | 1 | any other failure: an unreadable or invalid keys file or `--rsa-key`, the keychain, a permission (the message says what) |
 * | 2 | usage: a bad command, flag or argument (`--gateway` that is no host:port, a bad quantity), an account that does not fit (several REAL accounts and no `--acc-id`, an unknown id, the wrong `--env`), an order or key id that does not exist (or a key id that already does) |
 * | 3 | refused: no trade password, a wrong one (cooldown), a REAL-account write without `--confirm` |
 * | 4 | gateway unreachable: nothing answers at `--gateway`, OpenD timed out or dropped the link |
 * | 5 | OpenD error: OpenD refused the request (its message is printed) |
 * | 6 | outcome unknown: a trade write may or may not have been executed; check `futucli orders`, do not repeat blindly |
 *
 * @module
 */
import type { ErrorCode } from "../src/tools/errors.ts";

/** The exit codes. */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  refused: 3,
  gateway: 4,
  opend: 5,
  outcomeUnknown: 6,
} as const;

/** An error futucli reports on stderr before exiting with its code. */
export class CliError extends Error {
  override name = "CliError";
  constructor(readonly exitCode: number, message: string, readonly hint?: string) {
    super(message);
  }
}

/** The exit code of each tool error code: a new code does not compile until it has one. */
const EXIT_OF_ERROR = {
  invalid_arguments: EXIT.usage,
  unknown_tool: EXIT.usage,
  unauthorized: EXIT.refused,
  forbidden: EXIT.refused,
  limit: EXIT.refused,
  halted: EXIT.refused,
  cooldown: EXIT.refused,
  confirmation_required: EXIT.refused,
  not_confirmed: EXIT.refused,
  unlock_unavailable: EXIT.refused,
  audit_unavailable: EXIT.refused,
  state_unavailable: EXIT.refused,
  idempotency_conflict: EXIT.refused,
  push_unavailable: EXIT.failure,
  gateway_unavailable: EXIT.gateway,
  gateway_timeout: EXIT.gateway,
  gateway_error: EXIT.gateway,
  opend_error: EXIT.opend,
  // Which account or order a call names is the caller's choice, checked before OpenD is asked.
  account: EXIT.usage,
  quota: EXIT.opend,
  outcome_unknown: EXIT.outcomeUnknown,
  internal: EXIT.failure,
  cancelled: EXIT.failure,
} as const satisfies Record<ErrorCode, number>;

/** The exit code for a tool error code (see `src/tools/errors.ts`). */
export function exitCodeOfToolError(code: ErrorCode): number {
  return EXIT_OF_ERROR[code];
}
