/**
 * Key lifecycle: `gen-key`, `list-keys`, `revoke-key`, `rotate-key`,
 * `bind-key`, `machine-id`. keys.json is read and written only through
 * `src/access/keys.ts` (validated as futu-mcp loads it, atomic, 0600). Output
 * never contains a key's hash; a plaintext is shown once, when it is made.
 *
 * @module
 */
import { resolve } from "node:path";
import { Command, InvalidArgumentError, Option } from "commander";
import {
  generateKey,
  hashKey,
  type KeyLimits,
  type KeyRecord,
  KeysFileError,
  machineFingerprint,
  newPlaintextKey,
  parseKeysFile,
  readKeysFile,
  recordToJson,
  serializeKeysFile,
  updateKeysFile,
} from "../../src/access/keys.ts";
import { machineId } from "../../src/access/machine.ts";
import { CONFIRM_MODES, type ConfirmMode, isScope, type Scope, SCOPES } from "../../src/tools/scopes.ts";
import { CliError, EXIT } from "../exit_codes.ts";
import { csv, emit, globalsOf, numberArg } from "../common.ts";
import { defaultKeysFile } from "../paths.ts";
import { describeReload, reloadFutuMcp, type ReloadOptions, reloadTarget } from "../reload.ts";
import { describeConfigs, mcpConfigs } from "../mcp_config.ts";
import { table } from "../output.ts";

const AT_LEAST_0 = { min: "0 or more" } as const;

/** A record as futucli shows it: everything but the hash. */
function publicView(record: KeyRecord): Record<string, unknown> {
  const { hash: _hash, ...rest } = recordToJson(record);
  return rest;
}

function withKeysFile(command: Command): Command {
  return command.option("--keys-file <path>", "keys.json (default: FUTU_KEYS_FILE, else ~/.config/futu/keys.json)");
}

function withReload(command: Command): Command {
  return command
    .option("--pid-file <path>", "send SIGHUP to the futu-mcp whose --pid-file this is")
    .option("--reload-pid <pid>", "send SIGHUP to this futu-mcp process");
}

/** Absolute, so that the MCP configurations printed with it work from any directory. */
function keysFileOf(options: { keysFile?: string }): string {
  return resolve(options.keysFile ?? defaultKeysFile());
}

async function edit(
  path: string,
  change: (records: KeyRecord[]) => KeyRecord[],
  create = false,
): Promise<KeyRecord[]> {
  try {
    return await updateKeysFile(path, change, { create });
  } catch (err) {
    if (err instanceof CliError) throw err;
    if (err instanceof KeysFileError) throw new CliError(EXIT.failure, err.message);
    throw new CliError(EXIT.failure, `${path}: ${(err as Error).message}`);
  }
}

function find(records: KeyRecord[], id: string, path: string): KeyRecord {
  const record = records.find((r) => r.id === id);
  if (!record) throw new CliError(EXIT.usage, `no key "${id}" in ${path}`);
  return record;
}

/** "30d", "12h", "90m" from now, or an RFC 3339 time. */
function parseExpiry(value: string, now = Date.now()): string {
  const relative = /^(\d+)([dhm])$/.exec(value.trim());
  if (relative) {
    const unit = { d: 86_400_000, h: 3_600_000, m: 60_000 }[relative[2] as "d" | "h" | "m"];
    return new Date(now + Number(relative[1]) * unit).toISOString().replace(/\.\d{3}Z$/, "Z");
  }
  if (/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test(value) && !Number.isNaN(Date.parse(value))) {
    return value;
  }
  throw new InvalidArgumentError('expected Nd, Nh, Nm (e.g. "30d") or an RFC 3339 time');
}

function scopesArg(value: string): Scope[] {
  const scopes = csv(value);
  for (const scope of scopes) {
    if (!isScope(scope)) throw new InvalidArgumentError(`unknown scope "${scope}" (known: ${SCOPES.join(", ")})`);
  }
  if (scopes.length === 0) throw new InvalidArgumentError("at least one scope");
  return scopes as Scope[];
}

/** The LIMITS column: compact, as upstream (`rate=3/m,sell,ord=50k`). */
function compactLimits(limits: KeyLimits): string {
  const k = (n: number) =>
    n >= 1e6 && n % 1e5 === 0 ? `${n / 1e6}m` : n >= 1e3 && n % 100 === 0 ? `${n / 1e3}k` : `${n}`;
  const parts: string[] = [];
  if (limits.allowedMarkets) parts.push(`mkt=${limits.allowedMarkets.join("+")}`);
  if (limits.allowedSymbols) parts.push(`sym=${limits.allowedSymbols.length}`);
  if (limits.allowedTrdSides) parts.push(limits.allowedTrdSides.join("+").toLowerCase());
  if (limits.maxOrderValue !== undefined) parts.push(`ord=${k(limits.maxOrderValue)}`);
  if (limits.maxDailyValue !== undefined) parts.push(`day=${k(limits.maxDailyValue)}`);
  if (limits.maxOrdersPerMinute !== undefined) parts.push(`rate=${limits.maxOrdersPerMinute}/m`);
  if (limits.hoursWindow) parts.push(`hrs=${limits.hoursWindow}${limits.hoursTz ? `@${limits.hoursTz}` : ""}`);
  if (limits.allowedAccIds || limits.allowedCardNums) {
    parts.push(`acc=${(limits.allowedAccIds?.length ?? 0) + (limits.allowedCardNums?.length ?? 0)}`);
  }
  if (limits.priceCollarPct !== undefined) parts.push(`collar=${limits.priceCollarPct}%`);
  return parts.join(",") || "-";
}

function bound(record: KeyRecord): string {
  if (record.allowedMachines === null) return "*";
  if (record.allowedMachines.length === 0) return "FROZEN";
  return `${record.allowedMachines.length} machine(s)`;
}

async function thisMachine(): Promise<string> {
  const id = await machineId();
  if (!id) {
    throw new CliError(
      EXIT.failure,
      "this machine's id cannot be determined (set FUTU_MACHINE_ID, e.g. in a container)",
    );
  }
  return id;
}

interface GenKeyOptions extends ReloadOptions {
  id: string;
  scopes: Scope[];
  keysFile?: string;
  expires?: string;
  note?: string;
  allowedMarkets?: string[];
  allowedSymbols?: string[];
  maxOrderValue?: number;
  maxDailyValue?: number;
  hoursWindow?: string;
  hoursTz?: string;
  maxOrdersPerMinute?: number;
  allowedTrdSides?: string[];
  allowedAccIds?: string[];
  allowedCardNums?: string[];
  priceCollarPct?: number;
  bindThisMachine?: boolean;
  bindMachines?: string[];
  confirmReal?: ConfirmMode;
}

function limitsOf(options: GenKeyOptions): KeyLimits {
  const limits: KeyLimits = {
    allowedMarkets: options.allowedMarkets as KeyLimits["allowedMarkets"],
    allowedSymbols: options.allowedSymbols,
    allowedTrdSides: options.allowedTrdSides as KeyLimits["allowedTrdSides"],
    maxOrderValue: options.maxOrderValue,
    maxDailyValue: options.maxDailyValue,
    maxOrdersPerMinute: options.maxOrdersPerMinute,
    hoursWindow: options.hoursWindow,
    hoursTz: options.hoursTz,
    allowedAccIds: options.allowedAccIds,
    allowedCardNums: options.allowedCardNums,
    priceCollarPct: options.priceCollarPct,
  };
  return Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined)) as KeyLimits;
}

function genKeyCommand(): Command {
  const command = new Command("gen-key")
    .description("make a new API key: prints its plaintext once and stores only its hash")
    .requiredOption("--id <id>", "unique key id (shown in audit and metrics)")
    .requiredOption("--scopes <list>", `comma-separated: ${SCOPES.join(", ")}`, scopesArg)
    .option("--expires <when>", 'Nd, Nh, Nm from now (e.g. "30d") or an RFC 3339 time', (v) => parseExpiry(v))
    .option("--note <text>", "free text")
    .option("--allowed-markets <list>", "trading markets, e.g. HK,US", csv)
    .option("--allowed-symbols <list>", "symbols of new orders, e.g. HK.00700,US.AAPL", csv)
    .option("--max-order-value <n>", "per order: price × quantity", numberArg("--max-order-value", AT_LEAST_0))
    .option("--max-daily-value <n>", "per UTC day and currency", numberArg("--max-daily-value", AT_LEAST_0))
    .option(
      "--max-orders-per-minute <n>",
      "order writes per 60 s",
      numberArg("--max-orders-per-minute", { ...AT_LEAST_0, integer: true }),
    )
    .option("--hours-window <HH:MM-HH:MM>", "trading hours (may cross midnight)")
    .option("--hours-tz <zone>", "IANA time zone of --hours-window (default: FUTU_TZ, else UTC)")
    .option("--allowed-trd-sides <list>", "BUY, SELL, SELL_SHORT, BUY_BACK", (v) => csv(v).map((s) => s.toUpperCase()))
    .option("--allowed-acc-ids <list>", "accounts the key may see and trade", csv)
    .option("--allowed-card-nums <list>", "card numbers (full, or the last 4 digits)", csv)
    .option(
      "--price-collar-pct <n>",
      "refuse limit prices further than this % from the last price",
      numberArg("--price-collar-pct", AT_LEAST_0),
    )
    .addOption(
      new Option("--confirm-real <mode>", "how REAL orders are confirmed by a person (default elicit)")
        .choices(CONFIRM_MODES),
    )
    .option("--bind-this-machine", "only this machine may use the key")
    .option("--bind-machines <list>", "machine fingerprints (futucli machine-id --for-key <id> on each)", csv);
  withKeysFile(command);
  withReload(command);
  return command.action(async (options: GenKeyOptions, cmd: Command) => {
    const path = keysFileOf(options);
    const target = await reloadTarget(options);
    let machines: string[] | null = null;
    if (options.bindThisMachine || options.bindMachines) {
      machines = [...(options.bindMachines ?? [])];
      if (options.bindThisMachine) machines.push(machineFingerprint(options.id, await thisMachine()));
    }
    const { plaintext, record } = generateKey({
      id: options.id,
      scopes: options.scopes,
      limits: limitsOf(options),
      allowedMachines: machines,
      expiresAt: options.expires,
      note: options.note,
      confirmReal: options.confirmReal,
    });
    try {
      parseKeysFile(serializeKeysFile([record])); // the flags, checked as futu-mcp will load them
    } catch (err) {
      throw new CliError(EXIT.usage, (err as Error).message);
    }
    await edit(path, (records) => {
      if (records.some((r) => r.id === options.id)) {
        throw new CliError(
          EXIT.usage,
          `key "${options.id}" already exists in ${path} (rotate-key replaces its plaintext)`,
        );
      }
      return [...records, record];
    }, true);
    const reload = await reloadFutuMcp(target);
    // stdio only: the HTTP variants double a listing the operator reads right after making a key.
    const configs = mcpConfigs({
      gateway: globalsOf(cmd).gateway,
      keysFile: path,
      apiKey: plaintext,
      transports: ["stdio"],
    });
    emit(
      cmd,
      { ...publicView(record), plaintext, keys_file: path, reload, mcp_config: configs },
      () =>
        [
          `Generated key "${record.id}". Its plaintext, shown only this once:`,
          "",
          `  ${plaintext}`,
          "",
          `Stored (hash only) in ${path}`,
          describeReload(reload),
          "",
          describeConfigs(configs),
          `For Streamable HTTP: futucli mcp-config --keys-file ${path} --transport http`,
        ].join("\n"),
    );
  });
}

function listKeysCommand(): Command {
  return withKeysFile(new Command("list-keys").description("list the keys (never their hashes)"))
    .action(async (options: { keysFile?: string }, cmd: Command) => {
      const path = keysFileOf(options);
      let records: KeyRecord[];
      let exists = true;
      try {
        records = await readKeysFile(path);
      } catch (err) {
        if (!(err instanceof KeysFileError && err.cause instanceof Deno.errors.NotFound)) {
          throw new CliError(EXIT.failure, (err as Error).message);
        }
        // No file yet is the state before the first gen-key, not an error.
        records = [];
        exists = false;
      }
      emit(
        cmd,
        { keys_file: path, keys: records.map(publicView) },
        () =>
          records.length === 0
            ? `No keys yet: ${exists ? `${path} holds none` : `${path} does not exist`}.\n` +
              `Make one with: futucli gen-key --id <id> --scopes ${SCOPES[0]}${
                options.keysFile ? ` --keys-file ${path}` : ""
              }\n`
            : table(
              ["ID", "SCOPES", "LIMITS", "BOUND", "EXPIRES", "NOTE"],
              records.map((r) => [
                r.id,
                [...r.scopes].join(","),
                compactLimits(r.limits),
                bound(r),
                r.expiresAt ?? "-",
                r.note ?? "",
              ]),
            ),
      );
    });
}

function revokeKeyCommand(): Command {
  return withReload(withKeysFile(
    new Command("revoke-key").description("delete a key: it stops working at futu-mcp's next reload")
      .requiredOption("--id <id>", "the key"),
  )).action(async (options: { id: string; keysFile?: string } & ReloadOptions, cmd: Command) => {
    const path = keysFileOf(options);
    const target = await reloadTarget(options);
    await edit(path, (records) => {
      find(records, options.id, path);
      return records.filter((r) => r.id !== options.id);
    });
    const reload = await reloadFutuMcp(target);
    emit(
      cmd,
      { id: options.id, revoked: true, keys_file: path, reload },
      () => `Revoked key "${options.id}" in ${path}.\n${describeReload(reload)}`,
    );
  });
}

function rotateKeyCommand(): Command {
  return withReload(withKeysFile(
    new Command("rotate-key")
      .description("new plaintext for a key (same id, scopes and limits); the old plaintext stops working")
      .requiredOption("--id <id>", "the key"),
  )).action(async (options: { id: string; keysFile?: string } & ReloadOptions, cmd: Command) => {
    const path = keysFileOf(options);
    const target = await reloadTarget(options);
    const plaintext = newPlaintextKey();
    let rotated: KeyRecord | undefined;
    await edit(path, (records) => {
      const record = find(records, options.id, path);
      rotated = { ...record, hash: hashKey(plaintext).slice("sha256:".length) };
      return records.map((r) => r.id === options.id ? rotated! : r);
    });
    const reload = await reloadFutuMcp(target);
    emit(
      cmd,
      { id: options.id, plaintext, keys_file: path, reload },
      () =>
        [
          `Rotated key "${options.id}". The new plaintext, shown only this once:`,
          "",
          `  ${plaintext}`,
          "",
          describeReload(reload),
        ].join("\n"),
    );
  });
}

interface BindOptions extends ReloadOptions {
  keysFile?: string;
  thisMachine?: boolean;
  machines?: string[];
  replace?: boolean;
  clear?: boolean;
  freeze?: boolean;
}

function bindKeyCommand(): Command {
  return withReload(withKeysFile(
    new Command("bind-key")
      .description("change the machines a key works on (keeps its plaintext); default: add")
      .argument("<id>", "the key")
      .option("--this-machine", "this machine")
      .option("--machines <list>", "machine fingerprints", csv)
      .addOption(new Option("--replace", "replace the list instead of adding").conflicts(["clear", "freeze"]))
      .addOption(new Option("--clear", "any machine (no binding)").conflicts(["freeze", "thisMachine", "machines"]))
      .addOption(new Option("--freeze", "no machine: the key stops working").conflicts(["thisMachine", "machines"])),
  )).action(async (id: string, options: BindOptions, cmd: Command) => {
    const path = keysFileOf(options);
    const target = await reloadTarget(options);
    let given: string[] = [];
    if (!options.clear && !options.freeze) {
      if (!options.thisMachine && !options.machines) {
        throw new CliError(EXIT.usage, "say which machines: --this-machine and/or --machines (or --clear, --freeze)");
      }
      given = [...(options.machines ?? [])];
      if (options.thisMachine) given.push(machineFingerprint(id, await thisMachine()));
    }
    let updated: KeyRecord | undefined;
    await edit(path, (records) => {
      const record = find(records, id, path);
      const machines = options.clear
        ? null
        : options.freeze
        ? []
        : [...new Set([...(options.replace ? [] : record.allowedMachines ?? []), ...given])];
      updated = { ...record, allowedMachines: machines };
      return records.map((r) => r.id === id ? updated! : r);
    });
    const reload = await reloadFutuMcp(target);
    emit(
      cmd,
      { id, allowed_machines: updated!.allowedMachines, keys_file: path, reload },
      () => `Key "${id}" is now bound to: ${bound(updated!)}.\n${describeReload(reload)}`,
    );
  });
}

function machineIdCommand(): Command {
  return new Command("machine-id")
    .description("this machine's id, or a key's fingerprint for it (for --bind-machines)")
    .option("--for-key <id>", "the fingerprint that binds this key to this machine")
    .action(async (options: { forKey?: string }, cmd: Command) => {
      const raw = await thisMachine();
      if (options.forKey) {
        const fingerprint = machineFingerprint(options.forKey, raw);
        emit(cmd, { key_id: options.forKey, fingerprint }, () => fingerprint);
      } else {
        emit(cmd, { machine_id: raw }, () => raw);
      }
    });
}

/** The key commands. */
export function keyCommands(): Command[] {
  return [
    genKeyCommand(),
    listKeysCommand(),
    revokeKeyCommand(),
    rotateKeyCommand(),
    bindKeyCommand(),
    machineIdCommand(),
  ];
}
