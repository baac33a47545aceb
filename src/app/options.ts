/**
 * futu-mcp's configuration: command-line flags, then `FUTU_*` environment
 * variables, then a TOML file (`--config`, same keys as the flags in
 * snake_case), then defaults. Anything unknown or malformed is a
 * {@link UsageError} naming it.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { parse as parseToml } from "smol-toml";
import { type Toolset, TOOLSETS } from "../tools/tool.ts";
import { errorMessage } from "../version.ts";

/** A usage mistake: the process prints it and exits with code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** The resolved configuration of futu-mcp. */
export interface FutuMcpOptions {
  /** "host:port", or "sim" for the embedded simulator. */
  gateway: string;
  keysFile?: string;
  httpListen?: string;
  auditLog?: string;
  rsaKey?: string;
  toolsets?: Toolset[];
  /** Tools of the other toolsets are offered at run time through discovery tools. */
  dynamicToolsets: boolean;
  /** tools/list carries each tool's output schema (off by default: it triples the listing). */
  outputSchemas: boolean;
  readOnly: boolean;
  /** Legacy mode (no keys file): expose trade tools at all. */
  enableTrading: boolean;
  /** Legacy mode: also allow env "real". */
  allowRealTrading: boolean;
  /** `--gateway sim`: market clock start (ISO time) and speed. */
  simClock?: string;
  simClockSpeed?: number;
  simSeed?: number;
  /** Extra Host header values accepted by the HTTP server. */
  allowedHosts: string[];
  /** Refuse to start when keys.json is readable by group or others (default: warn). */
  strictKeysFile: boolean;
  /** Kill switch file: while it exists, new orders and modifications are refused. */
  killSwitchFile?: string;
  /** Where persistent limit counters live. */
  stateDir?: string;
  /** Shared state of replicas: `redis://host:port/db` or `rediss://…`; undefined: this process keeps its own. */
  state?: string;
  /** Prefix of every shared-state key (one per deployment). */
  stateNamespace: string;
  /** File holding the Redis password (FUTU_STATE_PASSWORD otherwise). */
  statePasswordFile?: string;
  /** PEM file of the CA that signed Redis's TLS certificate. */
  stateTlsCa?: string;
  /** Where to write the process id (for `futucli … --pid-file` and scripts that send SIGHUP). */
  pidFile?: string;
  /** How long the user has to answer the confirmation of a REAL order, in ms. */
  confirmTimeoutMs: number;
  /** HTTP: live MCP sessions allowed in all (a new one beyond is refused with 429). */
  maxSessions: number;
  /** HTTP: live MCP sessions allowed per API key (legacy mode: per server, as every client is the same owner). */
  maxSessionsPerKey: number;
  /** HTTP: a session untouched this long is closed, in ms. */
  sessionIdleTimeoutMs: number;
  /** Show plaintext key ids in metrics (FUTU_METRICS_PUBLIC=1); they are redacted by default. */
  metricsPublic: boolean;
  /** Check every tool result against its output schema (FUTU_CHECK_OUTPUT=1, as the tests run it). */
  checkOutput: boolean;
  help: boolean;
  version: boolean;
}

const FLAGS = {
  gateway: { type: "string" },
  "keys-file": { type: "string" },
  "http-listen": { type: "string" },
  "audit-log": { type: "string" },
  config: { type: "string" },
  "rsa-key": { type: "string" },
  toolsets: { type: "string" },
  "dynamic-toolsets": { type: "boolean" },
  "output-schemas": { type: "boolean" },
  "read-only": { type: "boolean" },
  "enable-trading": { type: "boolean" },
  "allow-real-trading": { type: "boolean" },
  "sim-clock": { type: "string" },
  "sim-clock-speed": { type: "string" },
  "sim-seed": { type: "string" },
  "allowed-hosts": { type: "string" },
  "strict-keys-file": { type: "boolean" },
  "kill-switch-file": { type: "string" },
  "state-dir": { type: "string" },
  state: { type: "string" },
  "state-namespace": { type: "string" },
  "state-password-file": { type: "string" },
  "state-tls-ca": { type: "string" },
  "pid-file": { type: "string" },
  "confirm-timeout": { type: "string" },
  "max-sessions": { type: "string" },
  "max-sessions-per-key": { type: "string" },
  "session-idle-timeout": { type: "string" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "V" },
} as const;

/** Config-file keys and their types. */
const CONFIG_KEYS: Record<string, "string" | "boolean" | "number" | "list"> = {
  gateway: "string",
  keys_file: "string",
  http_listen: "string",
  audit_log: "string",
  rsa_key: "string",
  toolsets: "list",
  dynamic_toolsets: "boolean",
  output_schemas: "boolean",
  read_only: "boolean",
  enable_trading: "boolean",
  allow_real_trading: "boolean",
  sim_clock: "string",
  sim_clock_speed: "number",
  sim_seed: "number",
  allowed_hosts: "list",
  strict_keys_file: "boolean",
  kill_switch_file: "string",
  state_dir: "string",
  state: "string",
  state_namespace: "string",
  state_password_file: "string",
  state_tls_ca: "string",
  api_key: "string",
  pid_file: "string",
  confirm_timeout: "number",
  max_sessions: "number",
  max_sessions_per_key: "number",
  session_idle_timeout: "number",
};

/** The help text. */
export const HELP = `futu-mcp — Model Context Protocol server for Futu OpenD

Usage: futu-mcp [options]

Gateway
  --gateway <host:port|sim>   OpenD address (default 127.0.0.1:11111; env FUTU_GATEWAY);
                              "sim" runs the simulated OpenD in-process
  --rsa-key <file>            OpenD's RSA private key: encrypt the OpenD link
  --sim-clock <ISO time>      with --gateway sim: start the market clock here (default: now)
  --sim-clock-speed <x>       with --gateway sim: market clock speed (default 1)
  --sim-seed <n>              with --gateway sim: market seed (default 42)

Transport
  --http-listen <[host]:port> serve Streamable HTTP on /mcp (default: stdio)
  --allowed-hosts <h1,h2>     extra Host header values accepted on a loopback bind
  --max-sessions <n>          live HTTP sessions in all; a new one beyond gets 429 (default 1000)
  --max-sessions-per-key <n>  live HTTP sessions of one API key; a new one beyond gets 429 (default 64)
  --session-idle-timeout <s>  close an HTTP session unused this many seconds (default 1800)

Access
  --keys-file <path>          API keys (keys.json); without it: legacy mode
  --strict-keys-file          refuse a keys file readable by group or others (default: warn)
  --enable-trading            legacy mode: offer trade tools (simulated only)
  --allow-real-trading        legacy mode: also allow env "real"
  --kill-switch-file <path>   while this file exists, new orders and modifications are refused
  --state-dir <dir>           where daily and per-minute limit counters persist
  --state <redis://host:port/db>
                              share limits, reservations, idempotency, confirm tokens, the kill switch
                              and OpenD's write pacing with other replicas (rediss:// for TLS; env FUTU_STATE)
  --state-namespace <name>    prefix of the shared keys, one per deployment (default futu-mcp)
  --state-password-file <f>   the Redis password (else env FUTU_STATE_PASSWORD; never in the URL)
  --state-tls-ca <file>       CA certificate (PEM) of Redis's TLS certificate
  --audit-log <path|->        append audit events (JSONL, mode 0600); "-": stdout (HTTP only)
  --confirm-timeout <s>       seconds the user has to confirm a REAL order the client asks about (default 120)
  --pid-file <path>           write the process id here (removed on exit), for kill -HUP reloads

Tools
  --toolsets <list|all>       which toolsets to offer (default: quote,account,trade); "all": every one;
                              ${TOOLSETS.join(", ")}
  --dynamic-toolsets          offer the others at run time: futu_list_toolsets, futu_enable_toolset
  --output-schemas            list each tool's output schema (structuredContent is always sent)
  --read-only                 offer only tools that change nothing

  --config <file.toml>        the same settings as a TOML file (keys in snake_case)
  -h, --help                  this help
  -V, --version               print the version

Environment: FUTU_GATEWAY, FUTU_MCP_API_KEY (the startup key), FUTU_TRADE_PWD
(trade password for futu_unlock_trade; the OS keychain is read otherwise),
FUTU_METRICS_PUBLIC=1 (plaintext key ids in /metrics), FUTU_STATE, FUTU_STATE_PASSWORD.
`;

function parseToolsets(value: string | string[], where: string): Toolset[] {
  const list = (Array.isArray(value) ? value : value.split(",")).map((s) => s.trim()).filter(Boolean);
  if (list.length === 1 && list[0] === "all") return [...TOOLSETS];
  for (const name of list) {
    if (!(TOOLSETS as readonly string[]).includes(name)) {
      throw new UsageError(`${where}: unknown toolset "${name}" (valid: ${TOOLSETS.join(", ")}, or all)`);
    }
  }
  if (list.length === 0) throw new UsageError(`${where}: no toolset named`);
  return list as Toolset[];
}

function number(value: string | number | undefined, where: string): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === "number" ? value : Number(value);
  if (!Number.isFinite(n)) throw new UsageError(`${where}: expected a number, got ${JSON.stringify(value)}`);
  return n;
}

/** The confirmation timeout in ms: 1 s to 1 h, default 120 s. */
function confirmTimeout(value: string | number | undefined): number {
  const seconds = number(value, "--confirm-timeout") ?? 120;
  if (seconds < 1 || seconds > 3600) {
    throw new UsageError(`--confirm-timeout: expected 1 to 3600 seconds, got ${seconds}`);
  }
  return seconds * 1000;
}

/** A whole number of `what` from `min` to `max`, or the default. */
function bounded(
  value: string | number | undefined,
  flag: string,
  what: string,
  range: { min: number; max: number; fallback: number },
): number {
  const n = number(value, flag) ?? range.fallback;
  if (!Number.isInteger(n) || n < range.min || n > range.max) {
    throw new UsageError(`${flag}: expected a whole number of ${what} from ${range.min} to ${range.max}, got ${n}`);
  }
  return n;
}

/** Reads and checks a TOML config file. */
function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (err) {
    throw new UsageError(`--config ${path}: cannot read: ${errorMessage(err)}`);
  }
  let data: Record<string, unknown>;
  try {
    data = parseToml(text) as Record<string, unknown>;
  } catch (err) {
    throw new UsageError(`--config ${path}: invalid TOML: ${(err as Error).message}`);
  }
  for (const [key, value] of Object.entries(data)) {
    const kind = CONFIG_KEYS[key];
    if (!kind) {
      throw new UsageError(`--config ${path}: unknown key "${key}" (valid: ${Object.keys(CONFIG_KEYS).join(", ")})`);
    }
    const actual = typeof value;
    const ok = kind === "list"
      ? actual === "string" || (Array.isArray(value) && value.every((v) => typeof v === "string"))
      : actual === kind;
    if (!ok) throw new UsageError(`--config ${path}: "${key}" must be a ${kind === "list" ? "list of strings" : kind}`);
  }
  return data;
}

/** Resolves the configuration; throws {@link UsageError} on any mistake. */
export function loadOptions(
  args: string[],
  env: (name: string) => string | undefined = (n) => Deno.env.get(n),
): FutuMcpOptions & {
  configApiKey?: string;
} {
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args, options: FLAGS, strict: true, allowPositionals: true }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const config = typeof values.config === "string" ? readConfigFile(values.config) : {};
  const pick = <T>(flag: string, configKey: string, envName?: string): T | undefined =>
    (values[flag] ?? (envName ? env(envName) : undefined) ?? config[configKey]) as T | undefined;
  const flagOrConfig = (flag: string, key: string) => values[flag] === true || config[key] === true;

  const toolsetsValue = pick<string | string[]>("toolsets", "toolsets");
  const hosts = pick<string | string[]>("allowed-hosts", "allowed_hosts");
  const options = {
    gateway: pick<string>("gateway", "gateway", "FUTU_GATEWAY") ?? "127.0.0.1:11111",
    keysFile: pick<string>("keys-file", "keys_file"),
    httpListen: pick<string>("http-listen", "http_listen"),
    auditLog: pick<string>("audit-log", "audit_log"),
    rsaKey: pick<string>("rsa-key", "rsa_key"),
    toolsets: toolsetsValue === undefined ? undefined : parseToolsets(toolsetsValue, "--toolsets"),
    dynamicToolsets: flagOrConfig("dynamic-toolsets", "dynamic_toolsets"),
    outputSchemas: flagOrConfig("output-schemas", "output_schemas"),
    readOnly: flagOrConfig("read-only", "read_only"),
    enableTrading: flagOrConfig("enable-trading", "enable_trading"),
    allowRealTrading: flagOrConfig("allow-real-trading", "allow_real_trading"),
    simClock: pick<string>("sim-clock", "sim_clock"),
    simClockSpeed: number(pick<string | number>("sim-clock-speed", "sim_clock_speed"), "--sim-clock-speed"),
    simSeed: number(pick<string | number>("sim-seed", "sim_seed"), "--sim-seed"),
    allowedHosts: hosts === undefined ? [] : (Array.isArray(hosts) ? hosts : hosts.split(",")).map((h) => h.trim()),
    strictKeysFile: flagOrConfig("strict-keys-file", "strict_keys_file"),
    killSwitchFile: pick<string>("kill-switch-file", "kill_switch_file"),
    stateDir: pick<string>("state-dir", "state_dir"),
    state: pick<string>("state", "state", "FUTU_STATE"),
    stateNamespace: pick<string>("state-namespace", "state_namespace") ?? "futu-mcp",
    statePasswordFile: pick<string>("state-password-file", "state_password_file"),
    stateTlsCa: pick<string>("state-tls-ca", "state_tls_ca"),
    pidFile: pick<string>("pid-file", "pid_file"),
    confirmTimeoutMs: confirmTimeout(pick<string | number>("confirm-timeout", "confirm_timeout")),
    maxSessions: bounded(pick("max-sessions", "max_sessions"), "--max-sessions", "sessions", {
      min: 1,
      max: 1_000_000,
      fallback: 1000,
    }),
    maxSessionsPerKey: bounded(
      pick("max-sessions-per-key", "max_sessions_per_key"),
      "--max-sessions-per-key",
      "sessions",
      {
        min: 1,
        max: 1_000_000,
        fallback: 64,
      },
    ),
    sessionIdleTimeoutMs: 1000 *
      bounded(pick("session-idle-timeout", "session_idle_timeout"), "--session-idle-timeout", "seconds", {
        min: 1,
        max: 7 * 86_400,
        fallback: 1800,
      }),
    metricsPublic: env("FUTU_METRICS_PUBLIC") === "1",
    checkOutput: env("FUTU_CHECK_OUTPUT") === "1",
    help: values.help === true,
    version: values.version === true,
    configApiKey: config.api_key as string | undefined,
  };
  if (options.allowRealTrading && !options.enableTrading) {
    throw new UsageError("--allow-real-trading needs --enable-trading");
  }
  if (options.gateway !== "sim" && !/^(\[[^\]]+\]|[^:\s]+):\d{1,5}$/.test(options.gateway)) {
    throw new UsageError(`--gateway: expected host:port or "sim", got ${JSON.stringify(options.gateway)}`);
  }
  if (options.state === "local") options.state = undefined;
  if (options.state !== undefined && !/^rediss?:\/\//.test(options.state)) {
    throw new UsageError(
      `--state: expected local, redis://host:port/db or rediss://…, got ${JSON.stringify(options.state)}`,
    );
  }
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(options.stateNamespace)) {
    throw new UsageError(
      `--state-namespace: 1 to 64 letters, digits, "_", "." or "-", got ${JSON.stringify(options.stateNamespace)}`,
    );
  }
  if (options.auditLog === "-" && options.httpListen === undefined) {
    throw new UsageError("--audit-log -: stdout carries MCP over stdio; use it with --http-listen, or name a file");
  }
  if (options.httpListen !== undefined && !/^(\[[^\]]+\]|[^:\s]*):\d{1,5}$/.test(options.httpListen)) {
    throw new UsageError(`--http-listen: expected host:port or :port, got ${JSON.stringify(options.httpListen)}`);
  }
  return options;
}
