/**
 * What futucli's gateway commands run on: a connection to OpenD, the same
 * domain services and tool definitions as futu-mcp, and a tool guard whose
 * access rules are the operator's — everything is allowed except a write to a
 * REAL account without `--confirm`, decided from the account's real
 * environment as OpenD reports it. Validation, results and errors are thus
 * futu-mcp's, with the tools and arguments they mention named as futucli's
 * commands and flags (`terms.ts`).
 *
 * @module
 */
import { Gateway, GatewayUnavailableError, parseHostPort, RsaKey } from "../src/gateway/mod.ts";
import { type AccessControl, OPEN_ACCESS, ToolGuard } from "../src/tools/guard.ts";
import { type ErrorCode, ToolError } from "../src/tools/errors.ts";
import { createServices } from "../src/services/services.ts";
import { ALL_TOOLS } from "../src/tools/inventory.ts";
import type { TradePasswordSource } from "../src/services/trade_password.ts";
import { CliError, EXIT, exitCodeOfToolError } from "./exit_codes.ts";
import type { Format } from "./output.ts";
import { errorMessage, refusalMessage } from "../src/version.ts";
import { inCliTerms } from "./terms.ts";

/** The options every command accepts. */
export interface GlobalOptions {
  gateway: string;
  output: Format;
  rsaKey?: string;
}

/** How one tool call runs. */
export interface CallOptions {
  /** Allow writes to REAL accounts. */
  confirmReal?: boolean;
  /** Where an unlock gets the trade password. */
  passwords?: TradePasswordSource;
}

const NO_PASSWORD: TradePasswordSource = { description: "no source", read: () => Promise.resolve(undefined) };

function operatorAccess(confirmReal: boolean): AccessControl {
  return {
    ...OPEN_ACCESS,
    identify: () => Promise.resolve({ id: "futucli" }),
    authorize: (_caller, _tool, scope, subject) => {
      if (scope === "trade:real" && !confirmReal) {
        const account = subject.target?.accId ?? "";
        return Promise.reject(
          new ToolError(
            "confirmation_required",
            `refused: this addresses REAL account ${account} (real money); add --confirm to proceed`,
          ),
        );
      }
      return Promise.resolve();
    },
  };
}

/** Shows progress on a terminal, nothing in a pipe. */
function progressReporter(): ((done: number, total?: number, message?: string) => void) | undefined {
  if (!Deno.stderr.isTerminal()) return undefined;
  const encoder = new TextEncoder();
  return (done, total, message) => {
    const text = `\r${message ?? "working"}: ${done}${total ? ` / ${total}` : ""}  `;
    Deno.stderr.writeSync(encoder.encode(text));
  };
}

/** Progress of a long operation: on a terminal, a line on stderr that updates. */
export type Progress = (done: number, total?: number, message?: string) => void;

/** What a command's body gets. */
export interface ToolSession {
  /** Runs a tool; its failures become {@link CliError}s with the matching exit code. */
  call(tool: string, args: Record<string, unknown>, progress?: Progress): Promise<Record<string, unknown>>;
  /** The terminal's progress line (undefined in a pipe). */
  readonly progress?: Progress;
}

/** What to do when nothing answers at the gateway address. */
const START_OPEND_HINT =
  "start Futu OpenD and log in, or run the simulator in another terminal: futucli sim (it listens on 127.0.0.1:11111); " +
  "--gateway host:port (or FUTU_GATEWAY) says where OpenD listens";

/** The link to OpenD; a bad address is a usage error, an unreadable key a failure, no answer exit 4. */
async function connect(globals: GlobalOptions): Promise<Gateway> {
  try {
    parseHostPort(globals.gateway, "--gateway");
  } catch (err) {
    throw new CliError(EXIT.usage, (err as Error).message);
  }
  let rsaKey: RsaKey | undefined;
  if (globals.rsaKey) {
    try {
      rsaKey = RsaKey.fromPem(await Deno.readTextFile(globals.rsaKey));
    } catch (err) {
      if (err instanceof Deno.errors.NotCapable) throw new CliError(EXIT.failure, refusalMessage(err));
      throw new CliError(EXIT.failure, `--rsa-key ${globals.rsaKey}: ${errorMessage(err)}`);
    }
  }
  try {
    return await Gateway.connect({ gateway: globals.gateway, rsaKey, reconnect: false });
  } catch (err) {
    const message = errorMessage(err);
    // The connection reports a refused --allow-net as unavailable: it is a permission (exit 1), not a down OpenD.
    if (err instanceof Deno.errors.NotCapable || message.startsWith("not permitted")) {
      throw new CliError(EXIT.failure, message);
    }
    const nobodyListens = err instanceof GatewayUnavailableError && message.startsWith("cannot connect");
    throw new CliError(EXIT.gateway, message, nobodyListens ? START_OPEND_HINT : undefined);
  }
}

/** Connects to OpenD, runs `body` with a tool session, and closes the link. */
export async function withGateway<T>(
  globals: GlobalOptions,
  options: CallOptions,
  body: (session: ToolSession) => Promise<T>,
): Promise<T> {
  const gateway = await connect(globals);
  const services = createServices(gateway, { passwords: options.passwords ?? NO_PASSWORD });
  const guard = new ToolGuard({ tools: ALL_TOOLS, services, access: operatorAccess(options.confirmReal === true) });
  const reporter = progressReporter();
  let shown = false;
  const progress: Progress | undefined = reporter && ((done, total, message) => {
    shown = true;
    reporter(done, total, message);
  });
  const session: ToolSession = {
    progress,
    async call(tool, args, onProgress = progress) {
      const result = await guard.call(tool, args, { progress: onProgress });
      if (result.isError) {
        if (shown) console.error("");
        shown = false;
        const failure = JSON.parse(result.content[0].text) as { error: string; code: ErrorCode; hint?: string };
        throw new CliError(
          exitCodeOfToolError(failure.code),
          inCliTerms(failure.error, tool),
          failure.hint && inCliTerms(failure.hint, tool),
        );
      }
      return result.structuredContent ?? {};
    },
  };
  try {
    return await body(session);
  } finally {
    if (shown) console.error("");
    await gateway.close();
  }
}
