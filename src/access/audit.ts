/**
 * The audit log: JSON lines, one per authorisation decision and one before
 * and one after every trade write. Upstream's field names. The file is 0600
 * in a 0700 directory; a path ending in "/" (or an existing directory) gets a
 * file per UTC day; "-" writes to stdout, for a log shipper collecting each
 * replica's events (futu-mcp over HTTP only: stdio's stdout is MCP's). No secret is ever written: keys appear by id, arguments
 * only as a hash.
 *
 * @example
 * ```ts
 * import { AuditLog } from "./audit.ts";
 * const audit = await AuditLog.open("/var/log/futu/mcp-audit.jsonl");
 * audit.write({ iface: "mcp", endpoint: "futu_get_quote", key_id: "bot", outcome: "allow", scope: "qot:read" });
 * ```
 *
 * @module
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import { errorMessage } from "../version.ts";

/** One audit event (timestamp, level and target are added). */
export interface AuditEvent {
  iface: string;
  endpoint: string;
  /** A key id, or "<missing>", "<invalid>", "<none>" (no keys configured). */
  key_id: string;
  /** "warning": a condition the operator should fix, nothing refused (e.g. a keys file others can read). */
  outcome: "allow" | "reject" | "request" | "success" | "failure" | "unknown" | "reload" | "warning";
  reason?: string;
  scope?: string;
  /** First 8 hex characters of the SHA-256 of the arguments. */
  args_hash?: string;
  /** Idempotency: "cached" (answered from the cache), "executed", "no_key". */
  cache_outcome?: "cached" | "executed" | "no_key";
  acc_id?: string;
  env?: string;
}

/** First 8 hex of the SHA-256 of canonical JSON of the arguments. */
export function argsHash(args: unknown): string {
  const canonical = JSON.stringify(
    args,
    (_key, value) =>
      value && typeof value === "object" && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)))
        : value,
  );
  return createHash("sha256").update(canonical ?? "null").digest("hex").slice(0, 8);
}

const TEMP_DIRS = ["/tmp/", "/var/tmp/", "/private/tmp/"];

/** See the module documentation. */
export class AuditLog {
  readonly #directory: string | undefined;
  readonly #file: string | undefined;
  readonly #onError: (message: string) => void;
  readonly #encoder = new TextEncoder();
  #open: { path: string; handle: Deno.FsFile } | undefined;
  /** Stdout instead of a file. */
  #stdout = false;

  private constructor(file: string | undefined, directory: string | undefined, onError: (message: string) => void) {
    this.#file = file;
    this.#directory = directory;
    this.#onError = onError;
  }

  /**
   * Opens the log. Creates the directory 0700 and the file 0600 (tightening
   * an existing file's mode). Warns when the path is under a temporary directory.
   */
  static async open(path: string, onWarning: (message: string) => void = console.error): Promise<AuditLog> {
    if (path === "-") {
      const log = new AuditLog(undefined, undefined, onWarning);
      log.#stdout = true;
      return log;
    }
    let isDirectory = path.endsWith("/");
    if (!isDirectory) {
      try {
        isDirectory = (await Deno.stat(path)).isDirectory;
      } catch { /* a new file */ }
    }
    const directory = isDirectory ? path.replace(/\/+$/, "") : path.slice(0, Math.max(0, path.lastIndexOf("/"))) || ".";
    if (TEMP_DIRS.some((t) => `${directory}/`.startsWith(t))) {
      onWarning(
        `futu-mcp: warning: the audit log ${path} is under a temporary directory; it may be deleted or read by others`,
      );
    }
    await Deno.mkdir(directory, { recursive: true, mode: 0o700 });
    const log = new AuditLog(isDirectory ? undefined : path, isDirectory ? directory : undefined, onWarning);
    log.#handleFor(Date.now());
    return log;
  }

  /** The open file for this moment's events: a new one each UTC day in directory mode. */
  #handleFor(now: number): Deno.FsFile {
    const path = this.#file ?? join(this.#directory!, `futu-audit.log.${new Date(now).toISOString().slice(0, 10)}`);
    if (this.#open?.path === path) return this.#open.handle;
    this.close();
    const handle = Deno.openSync(path, { append: true, create: true, mode: 0o600 });
    if (Deno.build.os !== "windows") Deno.chmodSync(path, 0o600);
    this.#open = { path, handle };
    return handle;
  }

  /**
   * Appends an event. The write is synchronous on purpose: the record that
   * precedes a trade write is in the file before the order leaves, writes stay
   * ordered, and one small append costs less than an asynchronous round trip.
   * A failed write is reported on stderr, never silently lost, and returns
   * the error so that a trade write can be refused.
   */
  write(event: AuditEvent): Error | undefined {
    const now = Date.now();
    const line = JSON.stringify({
      timestamp: new Date(now).toISOString(),
      level: event.outcome === "allow" || event.outcome === "success" || event.outcome === "reload" ? "INFO" : "WARN",
      target: "futu_audit",
      ...event,
    }) + "\n";
    try {
      const handle = this.#stdout ? Deno.stdout : this.#handleFor(now);
      const bytes = this.#encoder.encode(line);
      for (let written = 0; written < bytes.length;) written += handle.writeSync(bytes.subarray(written));
      return undefined;
    } catch (err) {
      this.close();
      this.#onError(`futu-mcp: audit log write failed: ${errorMessage(err)}`);
      return err as Error;
    }
  }

  /** Closes the file; the next event opens it again (after an external rotation, on SIGHUP). */
  close(): void {
    this.#open?.handle.close();
    this.#open = undefined;
  }
}
