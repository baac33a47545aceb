/**
 * futucli's exit codes, for scripts. Errors go to stderr; stdout carries only
 * results.
 *
 * | code | meaning |
 * |---|---|
 * | 0 | success |
 * | 1 | any other failure: an unreadable or invalid keys file, the keychain, a permission (the message says what) |
 * | 2 | usage: a bad command, flag or argument, or a key id that does not exist (or already does) |
 * | 3 | refused: no trade password, a wrong one (cooldown), a REAL-account write without `--confirm` |
 * | 4 | gateway unreachable: OpenD is down, timed out or dropped the link |
 * | 5 | OpenD error: OpenD refused the request (its message is printed) |
 * | 6 | outcome unknown: a trade write may or may not have been executed; check `futucli orders`, do not repeat blindly |
 *
 * @module
 */

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

/** The exit code for a tool error code (see `src/mcp/errors.ts`). */
export function exitCodeOfToolError(code: string): number {
  switch (code) {
    case "invalid_arguments":
    case "unknown_tool":
      return EXIT.usage;
    case "unauthorized":
    case "forbidden":
    case "limit":
    case "halted":
    case "cooldown":
    case "unlock_unavailable":
    case "audit_unavailable":
    case "idempotency_conflict":
    case "confirmation_required":
      return EXIT.refused;
    case "gateway_unavailable":
    case "gateway_timeout":
    case "gateway_error":
      return EXIT.gateway;
    case "opend_error":
    case "account":
    case "quota":
      return EXIT.opend;
    case "outcome_unknown":
      return EXIT.outcomeUnknown;
    default:
      return EXIT.failure;
  }
}
