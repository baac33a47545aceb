/**
 * API keys: the keys.json file (reading both the flat form upstream writes and
 * the nested `limits` form its docs show), verification of a plaintext key in
 * constant time, and the atomic 0600 writes that futucli uses.
 *
 * A plaintext key is `fc_` + 64 hex characters; the file stores only
 * `sha256:<hex>` of the whole plaintext. Unknown fields, unknown scopes and
 * duplicate ids are load errors naming the key: a typo must never silently
 * disable a limit.
 *
 * @example
 * ```ts
 * import { generateKey, KeyStore } from "./keys.ts";
 * const { plaintext, record } = generateKey({ id: "bot", scopes: ["qot:read"] });
 * const store = new KeyStore([record]);
 * store.verify(plaintext, undefined); // { ok: true, record }
 * ```
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { dirname, join } from "node:path";
// The light modules, not gateway/mod.ts: futucli's key commands should not load the protocol stack.
import {
  parseSymbol,
  parseUint64,
  TRD_MARKET,
  TRD_SIDE,
  type TrdMarketName,
  type TrdSideName,
} from "../gateway/types.ts";
import { CONFIRM_MODES, type ConfirmMode, isScope, type Scope, SCOPES } from "../tools/scopes.ts";
import { errorMessage } from "../version.ts";

/** A keys file that cannot be used; the message names the key and the field. */
export class KeysFileError extends Error {
  override name = "KeysFileError";
}

/** Per-key trading limits. Absent means unlimited. */
export interface KeyLimits {
  allowedMarkets?: TrdMarketName[];
  allowedSymbols?: string[];
  allowedTrdSides?: TrdSideName[];
  /** Per order, qty × price in the order's currency. */
  maxOrderValue?: number;
  /** Per UTC day, in each order currency. */
  maxDailyValue?: number;
  /** 60 s sliding window. */
  maxOrdersPerMinute?: number;
  /** "HH:MM-HH:MM", may cross midnight. */
  hoursWindow?: string;
  /** IANA time zone of `hoursWindow` (default: FUTU_TZ, else UTC). */
  hoursTz?: string;
  allowedAccIds?: string[];
  /** Card numbers (full, or the last 4 digits as the app shows them). */
  allowedCardNums?: string[];
  /** A limit price more than this percent from the last price is refused. */
  priceCollarPct?: number;
}

/** One key. */
export interface KeyRecord {
  id: string;
  /** Lower-case hex SHA-256 of the plaintext. */
  hash: string;
  scopes: ReadonlySet<Scope>;
  limits: KeyLimits;
  /** null: any machine; []: frozen; otherwise machine fingerprints. */
  allowedMachines: string[] | null;
  createdAt: string;
  expiresAt?: string;
  note?: string;
  /** How its REAL writes are confirmed (absent: "elicit"). */
  confirmReal?: ConfirmMode;
}

/** The limit fields, by their keys.json names. */
const LIMIT_FIELDS: Record<string, keyof KeyLimits> = {
  allowed_markets: "allowedMarkets",
  allowed_symbols: "allowedSymbols",
  allowed_trd_sides: "allowedTrdSides",
  max_order_value: "maxOrderValue",
  max_daily_value: "maxDailyValue",
  max_orders_per_minute: "maxOrdersPerMinute",
  hours_window: "hoursWindow",
  hours_tz: "hoursTz",
  allowed_acc_ids: "allowedAccIds",
  allowed_card_nums: "allowedCardNums",
  price_collar_pct: "priceCollarPct",
};
const RECORD_FIELDS = new Set([
  "id",
  "hash",
  "scopes",
  "limits",
  "allowed_machines",
  "created_at",
  "expires_at",
  "note",
  "confirm_real",
  ...Object.keys(LIMIT_FIELDS),
]);

const HASH_PATTERN = /^(?:sha256:)?([0-9a-fA-F]{64})$/;
const HOURS_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/;

/** `sha256:<hex>` of a plaintext key. */
export function hashKey(plaintext: string): string {
  return `sha256:${createHash("sha256").update(plaintext, "utf8").digest("hex")}`;
}

/** A fresh plaintext key: `fc_` + 64 hex characters from 32 random bytes. */
export function newPlaintextKey(): string {
  return `fc_${randomBytes(32).toString("hex")}`;
}

function isRfc3339(text: unknown): text is string {
  return typeof text === "string" &&
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(text) && !Number.isNaN(Date.parse(text));
}

function parseLimits(id: string, source: Record<string, unknown>, where: string): KeyLimits {
  const limits: KeyLimits = {};
  const fail = (field: string, why: string): never => {
    throw new KeysFileError(`key "${id}": ${where}${field} ${why}`);
  };
  const stringList = (field: string, value: unknown): string[] => {
    if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) fail(field, "must be a list of strings");
    return value as string[];
  };
  const amount = (field: string, value: unknown, integer = false): number => {
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
      fail(field, `must be a finite ${integer ? "whole " : ""}number ≥ 0`);
    }
    return value as number;
  };
  for (const [field, value] of Object.entries(source)) {
    if (value === null || value === undefined) continue;
    switch (field) {
      case "allowed_markets":
        limits.allowedMarkets = stringList(field, value).map((m) => {
          if (!TRD_MARKET.has(m)) fail(field, `has unknown market "${m}" (valid: ${TRD_MARKET.names.join(", ")})`);
          return m as TrdMarketName;
        });
        break;
      case "allowed_symbols":
        limits.allowedSymbols = stringList(field, value).map((s) => {
          try {
            return parseSymbol(s).symbol;
          } catch (err) {
            return fail(field, `has an invalid symbol: ${(err as Error).message}`);
          }
        });
        break;
      case "allowed_trd_sides":
        limits.allowedTrdSides = stringList(field, value).map((s) => {
          if (!TRD_SIDE.has(s)) fail(field, `has unknown side "${s}" (valid: ${TRD_SIDE.names.join(", ")})`);
          return s as TrdSideName;
        });
        break;
      case "max_order_value":
        limits.maxOrderValue = amount(field, value);
        break;
      case "max_daily_value":
        limits.maxDailyValue = amount(field, value);
        break;
      case "max_orders_per_minute":
        limits.maxOrdersPerMinute = amount(field, value, true);
        break;
      case "price_collar_pct":
        limits.priceCollarPct = amount(field, value);
        if (limits.priceCollarPct === 0) fail(field, "must be above 0 (omit it for no collar)");
        break;
      case "hours_window":
        if (typeof value !== "string" || !HOURS_PATTERN.test(value)) fail(field, 'must be "HH:MM-HH:MM"');
        limits.hoursWindow = value as string;
        break;
      case "hours_tz":
        if (typeof value !== "string") fail(field, "must be an IANA time zone");
        try {
          new Intl.DateTimeFormat("en-US", { timeZone: value as string });
        } catch {
          fail(field, `has an unknown time zone "${value}"`);
        }
        limits.hoursTz = value as string;
        break;
      case "allowed_acc_ids":
        if (!Array.isArray(value)) fail(field, "must be a list of account ids");
        limits.allowedAccIds = (value as unknown[]).map((v) => {
          try {
            return parseUint64(v as string | number, "account id");
          } catch (err) {
            return fail(field, `has an invalid id: ${(err as Error).message}`);
          }
        });
        break;
      case "allowed_card_nums":
        limits.allowedCardNums = stringList(field, value).map((c) => {
          if (!/^\d{4}(\d{12})?$/.test(c.trim())) fail(field, `has "${c}": expected 4 or 16 digits`);
          return c.trim();
        });
        break;
      default:
        fail(field, `is not a known limit (valid: ${Object.keys(LIMIT_FIELDS).join(", ")})`);
    }
  }
  return limits;
}

function parseRecord(raw: unknown, index: number): KeyRecord {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) throw new KeysFileError(`keys[${index}] is not an object`);
  const entry = raw as Record<string, unknown>;
  if (typeof entry.id !== "string" || entry.id.trim() === "") {
    throw new KeysFileError(`keys[${index}]: "id" must be a non-empty string`);
  }
  const id = entry.id;
  const fail = (why: string): never => {
    throw new KeysFileError(`key "${id}": ${why}`);
  };
  for (const field of Object.keys(entry)) {
    if (!RECORD_FIELDS.has(field)) fail(`unknown field "${field}"`);
  }
  const hash = typeof entry.hash === "string" ? HASH_PATTERN.exec(entry.hash)?.[1] : undefined;
  if (!hash) fail('"hash" must be "sha256:<64 hex>" (or 64 hex characters)');
  if (!Array.isArray(entry.scopes) || entry.scopes.length === 0) fail('"scopes" must be a non-empty list');
  const scopes = new Set<Scope>();
  for (const scope of entry.scopes as unknown[]) {
    if (typeof scope !== "string" || !isScope(scope)) {
      fail(`unknown scope ${JSON.stringify(scope)} (valid: ${SCOPES.join(", ")})`);
    }
    scopes.add(scope as Scope);
  }
  const flat: Record<string, unknown> = {};
  for (const field of Object.keys(LIMIT_FIELDS)) if (field in entry) flat[field] = entry[field];
  let nested: Record<string, unknown> = {};
  if (entry.limits !== undefined && entry.limits !== null) {
    if (typeof entry.limits !== "object" || Array.isArray(entry.limits)) fail('"limits" must be an object');
    nested = entry.limits as Record<string, unknown>;
    for (const field of Object.keys(nested)) {
      if (field in flat) fail(`"${field}" is given both at the top level and in "limits"`);
    }
  }
  const limits = { ...parseLimits(id, flat, ""), ...parseLimits(id, nested, "limits.") };
  let allowedMachines: string[] | null = null;
  if (entry.allowed_machines !== undefined && entry.allowed_machines !== null) {
    if (!Array.isArray(entry.allowed_machines) || !entry.allowed_machines.every((m) => typeof m === "string")) {
      fail('"allowed_machines" must be null or a list of fingerprints');
    }
    allowedMachines = entry.allowed_machines as string[];
  }
  if (!isRfc3339(entry.created_at)) fail('"created_at" must be an RFC 3339 time');
  if (entry.expires_at !== undefined && entry.expires_at !== null && !isRfc3339(entry.expires_at)) {
    fail('"expires_at" must be an RFC 3339 time or null');
  }
  if (entry.note !== undefined && entry.note !== null && typeof entry.note !== "string") {
    fail('"note" must be a string');
  }
  const confirm = entry.confirm_real;
  if (confirm !== undefined && confirm !== null && !(CONFIRM_MODES as readonly unknown[]).includes(confirm)) {
    fail(`"confirm_real" must be one of ${CONFIRM_MODES.join(", ")}, got ${JSON.stringify(confirm)}`);
  }
  return {
    id,
    hash: hash!.toLowerCase(),
    scopes,
    limits,
    allowedMachines,
    createdAt: entry.created_at as string,
    expiresAt: (entry.expires_at as string | null | undefined) ?? undefined,
    note: (entry.note as string | null | undefined) ?? undefined,
    confirmReal: (confirm as ConfirmMode | null | undefined) ?? undefined,
  };
}

/** Parses keys.json text; throws {@link KeysFileError} naming the first problem. */
export function parseKeysFile(text: string): KeyRecord[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new KeysFileError(`not valid JSON: ${(err as Error).message}`);
  }
  if (!data || typeof data !== "object" || Array.isArray(data)) throw new KeysFileError("must be a JSON object");
  const file = data as Record<string, unknown>;
  if (file.version !== 1) throw new KeysFileError(`"version" must be 1, got ${JSON.stringify(file.version)}`);
  for (const field of Object.keys(file)) {
    if (field !== "version" && field !== "keys") throw new KeysFileError(`unknown top-level field "${field}"`);
  }
  if (!Array.isArray(file.keys)) throw new KeysFileError('"keys" must be a list');
  const records = file.keys.map(parseRecord);
  const seen = new Set<string>();
  for (const record of records) {
    if (seen.has(record.id)) throw new KeysFileError(`key "${record.id}": duplicate id`);
    seen.add(record.id);
  }
  return records;
}

/** The flat JSON form of a record (what upstream writes). */
export function recordToJson(record: KeyRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: record.id,
    hash: `sha256:${record.hash}`,
    scopes: [...record.scopes],
  };
  const l = record.limits;
  const put = (key: string, value: unknown) => {
    if (value !== undefined) out[key] = value;
  };
  put("allowed_markets", l.allowedMarkets);
  put("allowed_symbols", l.allowedSymbols);
  put("allowed_trd_sides", l.allowedTrdSides);
  put("max_order_value", l.maxOrderValue);
  put("max_daily_value", l.maxDailyValue);
  put("max_orders_per_minute", l.maxOrdersPerMinute);
  put("hours_window", l.hoursWindow);
  put("hours_tz", l.hoursTz);
  put("allowed_acc_ids", l.allowedAccIds);
  put("allowed_card_nums", l.allowedCardNums);
  put("price_collar_pct", l.priceCollarPct);
  if (record.allowedMachines !== null) out.allowed_machines = record.allowedMachines;
  out.created_at = record.createdAt;
  if (record.expiresAt !== undefined) out.expires_at = record.expiresAt;
  if (record.note !== undefined) out.note = record.note;
  if (record.confirmReal !== undefined) out.confirm_real = record.confirmReal;
  return out;
}

/** keys.json text for records. */
export function serializeKeysFile(records: readonly KeyRecord[]): string {
  return JSON.stringify({ version: 1, keys: records.map(recordToJson) }, null, 2) + "\n";
}

/** Why a group/other-readable keys file is a risk, or undefined when its mode is private. */
export async function keysFileExposure(path: string): Promise<string | undefined> {
  const info = await Deno.stat(path);
  if (info.mode === null) return undefined; // Windows: ACLs, not modes
  const mode = info.mode & 0o777;
  if ((mode & 0o077) === 0) return undefined;
  return `${path} is readable or writable by group or others (mode ${mode.toString(8).padStart(3, "0")}); ` +
    `run: chmod 600 ${path}`;
}

/** Reads and parses a keys file. */
export async function readKeysFile(path: string): Promise<KeyRecord[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (err) {
    throw new KeysFileError(`${path}: cannot read: ${errorMessage(err)}`, { cause: err });
  }
  try {
    return parseKeysFile(text);
  } catch (err) {
    throw new KeysFileError(`${path}: ${(err as Error).message}`);
  }
}

/**
 * Writes a secrets file atomically with mode 0600: a private temporary file in
 * the same directory, flushed, then renamed over the target.
 */
export async function writeSecretFile(path: string, text: string): Promise<void> {
  const dir = dirname(path);
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  const temp = join(dir, `.${crypto.randomUUID()}.tmp`);
  const file = await Deno.open(temp, { write: true, createNew: true, mode: 0o600 });
  try {
    await file.write(new TextEncoder().encode(text));
    await file.sync();
  } finally {
    file.close();
  }
  try {
    if (Deno.build.os !== "windows") await Deno.chmod(temp, 0o600);
    await Deno.rename(temp, path);
  } catch (err) {
    await Deno.remove(temp).catch(() => {});
    throw err;
  }
}

/** Writes keys.json atomically with mode 0600. */
export function writeKeysFile(path: string, records: readonly KeyRecord[]): Promise<void> {
  return writeSecretFile(path, serializeKeysFile(records));
}

/**
 * Edits keys.json: reads it (an absent file is empty when `create` is set),
 * applies `edit`, validates the result exactly as futu-mcp loads it, and
 * writes it atomically with mode 0600. A lock file next to it keeps two
 * editors from losing each other's changes.
 */
export async function updateKeysFile(
  path: string,
  edit: (records: KeyRecord[]) => KeyRecord[],
  options: { create?: boolean } = {},
): Promise<KeyRecord[]> {
  const lock = `${path}.lock`;
  await Deno.mkdir(dirname(path), { recursive: true, mode: 0o700 });
  for (let attempt = 0;; attempt++) {
    try {
      (await Deno.open(lock, { write: true, createNew: true, mode: 0o600 })).close();
      break;
    } catch (err) {
      if (!(err instanceof Deno.errors.AlreadyExists)) throw err;
      if (attempt >= 100) {
        throw new KeysFileError(`${path} is being edited by another process (remove ${lock} if none is running)`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  try {
    let records: KeyRecord[] = [];
    try {
      records = await readKeysFile(path);
    } catch (err) {
      if (!(options.create && err instanceof KeysFileError && err.cause instanceof Deno.errors.NotFound)) throw err;
    }
    const text = serializeKeysFile(edit(records));
    const updated = parseKeysFile(text);
    await writeSecretFile(path, text);
    return updated;
  } finally {
    await Deno.remove(lock).catch(() => {});
  }
}

/** What a new key is made of. */
export interface NewKey {
  id: string;
  scopes: Scope[];
  limits?: KeyLimits;
  allowedMachines?: string[] | null;
  expiresAt?: string;
  note?: string;
  confirmReal?: ConfirmMode;
  now?: Date;
}

/** A new key: its plaintext (shown once) and its record (holding only the hash). */
export function generateKey(spec: NewKey): { plaintext: string; record: KeyRecord } {
  const plaintext = newPlaintextKey();
  return {
    plaintext,
    record: {
      id: spec.id,
      hash: hashKey(plaintext).slice("sha256:".length),
      scopes: new Set(spec.scopes),
      limits: spec.limits ?? {},
      allowedMachines: spec.allowedMachines ?? null,
      createdAt: (spec.now ?? new Date()).toISOString(),
      expiresAt: spec.expiresAt,
      note: spec.note,
      confirmReal: spec.confirmReal,
    },
  };
}

/** `fp_` + hex SHA-256 of "futu-machine-bind:v1:<key id>:<raw machine id>" (upstream's formula). */
export function machineFingerprint(keyId: string, rawMachineId: string): string {
  return `fp_${createHash("sha256").update(`futu-machine-bind:v1:${keyId}:${rawMachineId}`, "utf8").digest("hex")}`;
}

/** Why a plaintext key is refused. */
export type KeyRejection = "invalid" | "expired" | "frozen" | "wrong-machine" | "machine-unknown";

/** Human text of a rejection (never includes the key). */
export const REJECTION_TEXT: Record<KeyRejection, string> = {
  invalid: "invalid API key",
  expired: "API key expired",
  frozen: "API key frozen (allowed_machines is empty)",
  "wrong-machine": "API key is bound to other machines",
  "machine-unknown": "API key is bound to machines, and this machine's id cannot be determined",
};

/** The keys in force; swapped whole on reload. */
export class KeyStore {
  readonly #byId: Map<string, KeyRecord>;
  readonly #hashes: { id: string; digest: Buffer }[];

  constructor(records: readonly KeyRecord[]) {
    this.#byId = new Map(records.map((r) => [r.id, r]));
    this.#hashes = records.map((r) => ({ id: r.id, digest: Buffer.from(r.hash, "hex") }));
  }

  /** Number of keys. */
  get size(): number {
    return this.#byId.size;
  }

  /** Every record. */
  get records(): KeyRecord[] {
    return [...this.#byId.values()];
  }

  /** A record by id (undefined when revoked). */
  get(id: string): KeyRecord | undefined {
    return this.#byId.get(id);
  }

  /**
   * Verifies a plaintext key: hash compared in constant time against every
   * record, then expiry and machine binding.
   */
  verify(
    plaintext: string,
    machineId: string | undefined,
    now = Date.now(),
  ): { ok: true; record: KeyRecord } | { ok: false; reason: KeyRejection; id?: string } {
    const digest = createHash("sha256").update(plaintext, "utf8").digest();
    let match: string | undefined;
    for (const entry of this.#hashes) {
      if (timingSafeEqual(entry.digest, digest) && match === undefined) match = entry.id;
    }
    if (match === undefined) return { ok: false, reason: "invalid" };
    const record = this.#byId.get(match)!;
    return checkRecord(record, machineId, now);
  }

  /** Re-checks a record (expiry, binding) without the plaintext: calls after the first use the id. */
  check(id: string, machineId: string | undefined, now = Date.now()) {
    const record = this.#byId.get(id);
    if (!record) return { ok: false as const, reason: "invalid" as KeyRejection, id };
    return checkRecord(record, machineId, now);
  }
}

function checkRecord(
  record: KeyRecord,
  machineId: string | undefined,
  now: number,
): { ok: true; record: KeyRecord } | { ok: false; reason: KeyRejection; id: string } {
  if (record.expiresAt !== undefined && Date.parse(record.expiresAt) <= now) {
    return { ok: false, reason: "expired", id: record.id };
  }
  if (record.allowedMachines !== null) {
    if (record.allowedMachines.length === 0) return { ok: false, reason: "frozen", id: record.id };
    if (machineId === undefined) return { ok: false, reason: "machine-unknown", id: record.id };
    if (!record.allowedMachines.includes(machineFingerprint(record.id, machineId))) {
      return { ok: false, reason: "wrong-machine", id: record.id };
    }
  }
  return { ok: true, record };
}
