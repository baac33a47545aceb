/**
 * MCP over stdio: newline-delimited JSON-RPC on stdin and stdout. Unlike the
 * SDK's transport, a line that is not valid UTF-8 or not JSON gets a `-32700`
 * reply, and a line that is JSON but not JSON-RPC gets `-32600`; the process
 * keeps serving. Nothing but protocol messages is written to stdout. When
 * stdin ends, the requests already read are answered before the transport
 * closes (`printf '…' | futu-mcp` gets every reply; a trade write in flight is
 * never abandoned), for at most {@link DRAIN_TIMEOUT_MS}.
 *
 * @module
 */
import type { JSONRPCMessage, Transport } from "./sdk.ts";
import { parseMessage } from "./envelope.ts";

/** Longest accepted line. */
export const MAX_LINE_BYTES = 8 * 1024 * 1024;

/** How long requests still in flight when stdin ends may take to be answered. */
export const DRAIN_TIMEOUT_MS = 30_000;

/** How much of stdin one read takes. */
const READ_CHUNK_BYTES = 64 * 1024;

type RequestId = string | number;
/** Where the transport reads (stdin). */
export type Reader = { read(buffer: Uint8Array): Promise<number | null> };
/** Where the transport writes (stdout). */
export type Writer = { write(bytes: Uint8Array): Promise<number> };

/** See the module documentation. */
export class StdioTransport implements Transport {
  onmessage?: (message: JSONRPCMessage) => void;
  onerror?: (error: Error) => void;
  onclose?: () => void;

  readonly #input: Reader;
  readonly #output: Writer;
  readonly #decoder = new TextDecoder("utf-8", { fatal: true });
  readonly #encoder = new TextEncoder();
  /** Lines waiting for the write in progress; written together as one buffer by the next write. */
  #queued: Uint8Array[] = [];
  #queuedBytes = 0;
  #batch: Promise<void> | undefined;
  #writing: Promise<void> = Promise.resolve();
  #closed = false;
  readonly #inFlight = new Set<RequestId>();
  #idle: (() => void) | undefined;
  /** Resolves when stdin has ended and everything was handled. */
  readonly finished: Promise<void>;
  #finish!: () => void;

  constructor(input: Reader = Deno.stdin, output: Writer = Deno.stdout) {
    this.#input = input;
    this.#output = output;
    this.finished = new Promise((resolve) => this.#finish = resolve);
  }

  start(): Promise<void> {
    this.#read().catch((err) => this.onerror?.(err as Error)).then(() => this.#whenAnswered()).then(() =>
      this.#flushed()
    )
      .finally(() => {
        this.#closed = true;
        this.onclose?.();
        this.#finish();
      });
    return Promise.resolve();
  }

  send(message: JSONRPCMessage): Promise<void> {
    if ("id" in message && ("result" in message || "error" in message)) {
      this.#inFlight.delete(message.id as RequestId);
      if (this.#inFlight.size === 0) this.#idle?.();
    }
    return this.#write(JSON.stringify(message));
  }

  /** Resolves once every request read so far has been answered (or after DRAIN_TIMEOUT_MS). */
  #whenAnswered(): Promise<void> {
    if (this.#inFlight.size === 0) return Promise.resolve();
    let timer: ReturnType<typeof setTimeout> | undefined;
    return new Promise<void>((resolve) => {
      this.#idle = resolve;
      timer = setTimeout(resolve, DRAIN_TIMEOUT_MS);
    }).finally(() => clearTimeout(timer));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    // The read loop stops at its next chunk; what was answered so far is still written.
    this.#closed = true;
    await this.#flushed();
  }

  /** Resolves once everything queued so far is written. */
  #flushed(): Promise<void> {
    return this.#batch ?? this.#writing;
  }

  /**
   * Queues a line. Lines queued while a write is in progress (concurrent calls answered in the same turn)
   * go out together in the next write: one system call for many replies.
   */
  #write(line: string): Promise<void> {
    const bytes = this.#encoder.encode(`${line}\n`);
    this.#queued.push(bytes);
    this.#queuedBytes += bytes.length;
    return this.#batch ??= this.#writing.then(() => {
      const parts = this.#queued;
      const total = this.#queuedBytes;
      this.#queued = [];
      this.#queuedBytes = 0;
      this.#batch = undefined;
      this.#writing = this.#writeAll(parts.length === 1 ? parts[0] : concat(parts, total));
      return this.#writing;
    });
  }

  async #writeAll(bytes: Uint8Array): Promise<void> {
    try {
      let written = 0;
      while (written < bytes.length) written += await this.#output.write(bytes.subarray(written));
    } catch (err) {
      this.onerror?.(err as Error);
    }
  }

  #reply(code: number, message: string, id: string | number | null = null): void {
    this.#write(JSON.stringify({ jsonrpc: "2.0", id, error: { code, message } }));
  }

  async #read(): Promise<void> {
    // Read into one buffer rather than through stdin's ReadableStream: a call costs one read, not a stream pull.
    const chunk = new Uint8Array(READ_CHUNK_BYTES);
    let pending: Uint8Array[] = [];
    let pendingBytes = 0;
    let oversized = false;
    while (!this.#closed) {
      const n = await this.#input.read(chunk);
      if (n === null || this.#closed) break;
      const value = chunk.subarray(0, n);
      let start = 0;
      for (let i = value.indexOf(0x0a); i !== -1; i = value.indexOf(0x0a, start)) {
        const piece = value.subarray(start, i);
        start = i + 1;
        if (oversized || pendingBytes + piece.length > MAX_LINE_BYTES) {
          this.#reply(-32600, `Invalid Request: message longer than ${MAX_LINE_BYTES} bytes`);
        } else {
          this.#line(pending.length === 0 ? piece : concat([...pending, piece], pendingBytes + piece.length));
        }
        pending = [];
        pendingBytes = 0;
        oversized = false;
      }
      const rest = value.subarray(start);
      if (rest.length === 0) continue;
      if (oversized || pendingBytes + rest.length > MAX_LINE_BYTES) {
        oversized = true;
        pending = [];
        pendingBytes = 0;
      } else {
        // A copy: the chunk buffer is read into again.
        pending.push(rest.slice());
        pendingBytes += rest.length;
      }
    }
    if (pendingBytes > 0 && !oversized) this.#line(concat(pending, pendingBytes));
  }

  #line(bytes: Uint8Array): void {
    let text: string;
    try {
      text = this.#decoder.decode(bytes);
    } catch {
      this.#reply(-32700, "Parse error: the line is not valid UTF-8");
      return;
    }
    text = text.trim();
    if (text.length === 0) return;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      this.#reply(-32700, `Parse error: ${(err as Error).message}`);
      return;
    }
    // One message per line: stdio has no batches.
    const parsed = parseMessage(json);
    if ("invalid" in parsed) {
      this.#reply(-32600, parsed.invalid.message, parsed.invalid.id);
      return;
    }
    const message = parsed.message;
    if ("method" in message && "id" in message) this.#inFlight.add(message.id as RequestId);
    try {
      this.onmessage?.(message);
    } catch (err) {
      this.onerror?.(err as Error);
    }
  }
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
