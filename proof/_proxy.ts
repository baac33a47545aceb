/**
 * A loopback TCP proxy between futu-mcp and its OpenD, which the proof uses
 * to break the link without touching either end: `kill()` closes every
 * connection and refuses new ones until `restore()` (OpenD gone, as far as
 * futu-mcp can tell), `stall()` stops forwarding bytes in both directions
 * until `resume()` (a hung OpenD or network), and `retarget()` points new
 * connections at another upstream (a hostile gateway, then a sane one).
 *
 * @module
 */
import { signal } from "./_util.ts";

interface Link {
  down: Deno.TcpConn;
  up: Deno.TcpConn;
}

/** See the module documentation. */
export class LinkProxy implements AsyncDisposable {
  readonly #listener: Deno.TcpListener;
  readonly #links = new Set<Link>();
  #upstream: number;
  #refusing = false;
  #gate: { promise: Promise<void>; resolve: () => void } | undefined;
  #accepting: Promise<void>;
  /** Connections accepted, in total (a reconnect is one more). */
  accepted = 0;

  private constructor(listener: Deno.TcpListener, upstream: number) {
    this.#listener = listener;
    this.#upstream = upstream;
    this.#accepting = this.#acceptLoop();
  }

  /** Listens on a free loopback port, forwarding to 127.0.0.1:`upstream`. */
  static start(upstream: number): LinkProxy {
    return new LinkProxy(Deno.listen({ hostname: "127.0.0.1", port: 0 }), upstream);
  }

  /** `127.0.0.1:<port>`, the address to give futu-mcp. */
  get address(): string {
    return `127.0.0.1:${this.#listener.addr.port}`;
  }

  /** Closes every link now, and every new one at once until {@link LinkProxy.restore}. */
  kill(): void {
    this.#refusing = true;
    for (const link of this.#links) this.#close(link);
  }

  /** Accepts links again. */
  restore(): void {
    this.#refusing = false;
  }

  /** Stops forwarding in both directions (bytes wait in the proxy) until {@link LinkProxy.resume}. */
  stall(): void {
    this.#gate ??= signal();
  }

  /** Forwards again, held bytes first. */
  resume(): void {
    const gate = this.#gate;
    this.#gate = undefined;
    gate?.resolve();
  }

  /** New links go to 127.0.0.1:`upstream`; existing ones are closed so that the client reconnects there. */
  retarget(upstream: number): void {
    this.#upstream = upstream;
    for (const link of this.#links) this.#close(link);
  }

  async #acceptLoop(): Promise<void> {
    for await (const down of this.#listener) {
      this.accepted++;
      if (this.#refusing) {
        down.close();
        continue;
      }
      this.#open(down).catch(() => {});
    }
  }

  async #open(down: Deno.TcpConn): Promise<void> {
    let up: Deno.TcpConn;
    try {
      up = await Deno.connect({ hostname: "127.0.0.1", port: this.#upstream });
    } catch {
      down.close(); // upstream not listening (an OpenD restart): the client sees the link fail
      return;
    }
    const link = { down, up };
    this.#links.add(link);
    await Promise.all([this.#pump(down, up), this.#pump(up, down)]);
    this.#close(link);
  }

  async #pump(from: Deno.TcpConn, to: Deno.TcpConn): Promise<void> {
    const buffer = new Uint8Array(64 * 1024);
    try {
      for (;;) {
        const n = await from.read(buffer);
        if (n === null) return;
        if (this.#gate) await this.#gate.promise;
        let written = 0;
        while (written < n) written += await to.write(buffer.subarray(written, n));
      }
    } catch {
      // closed by kill() or by the other side
    }
  }

  #close(link: Link): void {
    if (!this.#links.delete(link)) return;
    for (const conn of [link.down, link.up]) {
      try {
        conn.close();
      } catch { /* already closed */ }
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.resume();
    this.kill();
    this.#listener.close();
    await this.#accepting.catch(() => {});
  }
}
