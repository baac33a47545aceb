/**
 * The byte stream OpenD's protocol runs over: a TCP connection, or an
 * in-process pipe. futu-mcp's embedded simulator (`--gateway sim`) uses the
 * pipe, so it needs no network grant at all — a compiled futu-mcp may reach
 * only OpenD's and the HTTP listener's ports, and an ephemeral port for the
 * simulator could not be granted in advance. The bytes on the pipe are the
 * same frames as on the socket.
 *
 * @example
 * ```ts
 * import { linkPair } from "./link.ts";
 * const [client, server] = linkPair();
 * await client.write(new Uint8Array([1, 2, 3]));
 * const buffer = new Uint8Array(8);
 * await server.read(buffer); // 3
 * ```
 *
 * @module
 */

/** What a connection needs of its transport: Deno.TcpConn satisfies it. */
export interface ByteLink {
  /** Reads into `buffer`; the count read, or null at the end of the stream. */
  read(buffer: Uint8Array): Promise<number | null>;
  /** Writes some of `bytes`; the count written. */
  write(bytes: Uint8Array): Promise<number>;
  /** Closes both directions; the peer reads the end of the stream. */
  close(): void;
}

/** Opens a new link to OpenD (called again on every reconnect). */
export type Dialer = () => Promise<ByteLink>;

class PipeEnd implements ByteLink {
  peer!: PipeEnd;
  readonly #chunks: Uint8Array[] = [];
  #ended = false;
  #closed = false;
  #waiting: (() => void) | undefined;

  read(buffer: Uint8Array): Promise<number | null> {
    if (this.#closed) return Promise.reject(new Deno.errors.BadResource("the link is closed"));
    if (this.#chunks.length > 0) return Promise.resolve(this.#take(buffer));
    if (this.#ended) return Promise.resolve(null);
    return new Promise((resolve) => {
      this.#waiting = () => resolve(this.#chunks.length > 0 ? this.#take(buffer) : null);
    });
  }

  write(bytes: Uint8Array): Promise<number> {
    if (this.#closed || this.peer.#ended) {
      return Promise.reject(new Deno.errors.BrokenPipe("the link is closed"));
    }
    this.peer.#deliver(bytes.slice());
    return Promise.resolve(bytes.length);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#end();
    this.peer.#end();
  }

  #take(buffer: Uint8Array): number {
    const chunk = this.#chunks[0];
    const n = Math.min(chunk.length, buffer.length);
    buffer.set(chunk.subarray(0, n));
    if (n === chunk.length) this.#chunks.shift();
    else this.#chunks[0] = chunk.subarray(n);
    return n;
  }

  #deliver(bytes: Uint8Array): void {
    this.#chunks.push(bytes);
    this.#wake();
  }

  #end(): void {
    this.#ended = true;
    this.#wake();
  }

  #wake(): void {
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.();
  }
}

/** Two connected ends of an in-process byte pipe. */
export function linkPair(): [ByteLink, ByteLink] {
  const a = new PipeEnd();
  const b = new PipeEnd();
  a.peer = b;
  b.peer = a;
  return [a, b];
}
