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
import { type JSONRPCMessage, JSONRPCMessageSchema, type Transport } from "./sdk.ts";

/** Longest accepted line. */
export const MAX_LINE_BYTES = 8 * 1024 * 1024;

/** How long requests still in flight when stdin ends may take to be answered. */
export const DRAIN_TIMEOUT_MS = 30_000;

type RequestId = string | number;

/** See the module documentation. */
export class StdioTransport implements Transport {
  onmessage?: (message: JSONRPCMessage) => void;
  onerror?: (error: Error) => void;
  onclose?: () => void;

  readonly #input: ReadableStream<Uint8Array>;
  readonly #output: { write(bytes: Uint8Array): Promise<number> };
  readonly #decoder = new TextDecoder("utf-8", { fatal: true });
  readonly #encoder = new TextEncoder();
  #writes: Promise<void> = Promise.resolve();
  #reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  #closed = false;
  readonly #inFlight = new Set<RequestId>();
  #idle: (() => void) | undefined;
  /** Resolves when stdin has ended and everything was handled. */
  readonly finished: Promise<void>;
  #finish!: () => void;

  constructor(
    input: ReadableStream<Uint8Array> = Deno.stdin.readable,
    output: { write(bytes: Uint8Array): Promise<number> } = Deno.stdout,
  ) {
    this.#input = input;
    this.#output = output;
    this.finished = new Promise((resolve) => this.#finish = resolve);
  }

  start(): Promise<void> {
    this.#read().catch((err) => this.onerror?.(err as Error)).then(() => this.#whenAnswered()).then(() => this.#writes)
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
    this.#closed = true;
    await this.#reader?.cancel().catch(() => {});
    await this.#writes;
  }

  #write(line: string): Promise<void> {
    const bytes = this.#encoder.encode(`${line}\n`);
    this.#writes = this.#writes.then(async () => {
      let written = 0;
      while (written < bytes.length) written += await this.#output.write(bytes.subarray(written));
    }).catch((err) => this.onerror?.(err as Error));
    return this.#writes;
  }

  #reply(code: number, message: string, id: string | number | null = null): void {
    this.#write(JSON.stringify({ jsonrpc: "2.0", id, error: { code, message } }));
  }

  async #read(): Promise<void> {
    this.#reader = this.#input.getReader();
    let pending: Uint8Array[] = [];
    let pendingBytes = 0;
    let oversized = false;
    for (;;) {
      const { value, done } = await this.#reader.read();
      if (done) break;
      let start = 0;
      for (let i = 0; i < value.length; i++) {
        if (value[i] !== 0x0a) continue;
        const piece = value.subarray(start, i);
        start = i + 1;
        if (oversized || pendingBytes + piece.length > MAX_LINE_BYTES) {
          this.#reply(-32600, `Invalid Request: message longer than ${MAX_LINE_BYTES} bytes`);
        } else {
          this.#line(pending.length === 0 ? piece : concat([...pending, piece]));
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
        pending.push(rest.slice());
        pendingBytes += rest.length;
      }
    }
    if (pendingBytes > 0 && !oversized) this.#line(concat(pending));
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
    const parsed = JSONRPCMessageSchema.safeParse(json);
    if (!parsed.success) {
      const id = json && typeof json === "object" && "id" in json &&
          (typeof json.id === "string" || typeof json.id === "number")
        ? json.id
        : null;
      this.#reply(-32600, "Invalid Request: not a JSON-RPC 2.0 message", id);
      return;
    }
    const message = parsed.data;
    if ("method" in message && "id" in message) this.#inFlight.add(message.id as RequestId);
    try {
      this.onmessage?.(message);
    } catch (err) {
      this.onerror?.(err as Error);
    }
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
