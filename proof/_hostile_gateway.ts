/**
 * A hostile OpenD: it speaks the frame format (src/gateway/frame.ts) well
 * enough to complete InitConnect and answer KeepAlive, then answers every
 * other request with a burst of junk frames (unsolicited pushes with garbage
 * bodies, replies to serials nobody sent, unknown protocol ids) followed by a
 * malformed reply: a bad SHA-1, a garbage protobuf body, a failure with a
 * hostile message, the wrong protocol id — or, now and then, a frame that
 * ends the link: a bad magic, a huge or a short length, a truncated frame
 * then close. Rarely it answers a request with the wrong serial only, which
 * leaves the request to futu-mcp's own timeout, and it sometimes spoils the
 * InitConnect reply itself.
 *
 * @module
 */
import { sha1 } from "../src/gateway/crypto.ts";
import { encodeFrame, type Frame, FrameParser, HEADER_SIZE } from "../src/gateway/frame.ts";
import { encodeResponse, protocolById } from "../src/gateway/proto/codec.ts";
import { PROTOCOLS } from "../src/gateway/proto/messages.ts";
import type { Prng } from "./_util.ts";

/** How often each kind of malformation is sent. */
export interface HostileMix {
  /** Junk frames before each reply. */
  burst: number;
  /** Share of replies that end the link. */
  fatal: number;
  /** Share of replies sent only with a wrong serial or protocol id (the request then times out). */
  wrongSerial: number;
  /** Share of InitConnect replies spoiled. */
  badInit: number;
}

const PUSH_IDS = Object.values(PROTOCOLS).filter((p) => p.push).map((p) => p.id);
const NON_FATAL = ["bad_sha1", "garbage_body", "failure_message", "empty_body"] as const;
const FATAL = ["bad_magic", "huge_length", "short_length", "truncated_close", "close"] as const;

/** See the module documentation. */
export class HostileGateway implements AsyncDisposable {
  readonly #listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  readonly #conns = new Set<Deno.TcpConn>();
  readonly #accepting: Promise<void>;
  /** Frames (or parts of frames) written after InitConnect, by kind. */
  readonly sent = new Map<string, number>();
  /** All of them. */
  frames = 0;
  connections = 0;

  constructor(readonly random: Prng, readonly mix: HostileMix) {
    this.#accepting = this.#acceptLoop();
  }

  get port(): number {
    return this.#listener.addr.port;
  }

  async #acceptLoop(): Promise<void> {
    for await (const conn of this.#listener) {
      this.connections++;
      this.#conns.add(conn);
      this.#serve(conn).catch(() => {}).finally(() => {
        this.#conns.delete(conn);
        try {
          conn.close();
        } catch { /* closed */ }
      });
    }
  }

  #count(kind: string): void {
    this.frames++;
    this.sent.set(kind, (this.sent.get(kind) ?? 0) + 1);
  }

  #garbage(max: number): Uint8Array {
    const bytes = new Uint8Array(this.random.int(0, max));
    for (let i = 0; i < bytes.length; i++) bytes[i] = this.random.int(0, 255);
    return bytes;
  }

  async #write(conn: Deno.TcpConn, bytes: Uint8Array): Promise<void> {
    let written = 0;
    while (written < bytes.length) written += await conn.write(bytes.subarray(written));
  }

  async #serve(conn: Deno.TcpConn): Promise<void> {
    const parser = new FrameParser();
    const buffer = new Uint8Array(64 * 1024);
    for (;;) {
      const n = await conn.read(buffer);
      if (n === null) return;
      const frames = parser.push(buffer.subarray(0, n));
      for (const frame of frames) {
        if (!(await this.#answer(conn, frame))) return;
      }
      if (parser.error) return;
    }
  }

  /** Answers one request; false when the link is to end. */
  async #answer(conn: Deno.TcpConn, request: Frame): Promise<boolean> {
    const name = protocolById(request.protoId);
    if (name === "InitConnect") {
      if (this.random.chance(this.mix.badInit)) {
        this.#count("bad_init");
        await this.#write(conn, encodeFrame({ protoId: 1001, serialNo: request.serialNo, body: this.#garbage(64) }));
        return true;
      }
      const body = encodeResponse("InitConnect", {
        retType: 0,
        s2c: { serverVer: 1, loginUserID: "1", connID: "99", connAESKey: "0123456789abcdef", keepAliveInterval: 10 },
      });
      await this.#write(conn, encodeFrame({ protoId: 1001, serialNo: request.serialNo, body }));
      return true;
    }
    if (name === "KeepAlive") {
      const body = encodeResponse("KeepAlive", { retType: 0, s2c: { time: String(Math.floor(Date.now() / 1000)) } });
      await this.#write(conn, encodeFrame({ protoId: request.protoId, serialNo: request.serialNo, body }));
      return true;
    }
    for (let i = 0; i < this.mix.burst; i++) await this.#junk(conn, request);
    if (this.random.chance(this.mix.wrongSerial)) {
      const body = encodeResponse("KeepAlive", { retType: 0 });
      if (this.random.chance(0.5)) {
        this.#count("wrong_serial_only");
        await this.#write(conn, encodeFrame({ protoId: request.protoId, serialNo: request.serialNo + 7919, body }));
      } else {
        this.#count("wrong_proto_id_only");
        await this.#write(conn, encodeFrame({ protoId: this.random.pick(PUSH_IDS), serialNo: request.serialNo, body }));
      }
      return true;
    }
    if (this.random.chance(this.mix.fatal)) return await this.#fatal(conn, request);
    const kind = this.random.pick(NON_FATAL);
    this.#count(kind);
    const reply = (body: Uint8Array, digest?: Uint8Array) =>
      this.#write(conn, encodeFrame({ protoId: request.protoId, serialNo: request.serialNo, body, sha1: digest }));
    switch (kind) {
      case "bad_sha1": {
        const body = this.#garbage(256);
        const digest = sha1(body);
        digest[this.random.int(0, 19)] ^= 0xff;
        await reply(body, digest);
        break;
      }
      case "garbage_body":
        await reply(this.#garbage(512));
        break;
      case "failure_message": {
        // A refusal whose message is long and full of control characters and markup a client might render.
        const junk = String.fromCharCode(...this.#garbage(200).map((b) => b % 0x7f));
        const retMsg = `${junk}<script>alert(1)</script>\u202e${"\u0000".repeat(8)}${
          "x".repeat(this.random.int(0, 70_000))
        }`;
        await reply(encodeResponse("KeepAlive", { retType: -1, retMsg, errCode: -this.random.int(0, 2 ** 30) }));
        break;
      }
      case "empty_body":
        await reply(new Uint8Array(0));
        break;
    }
    return true;
  }

  /** One junk frame that a robust client ignores or survives: a garbage push, an unknown serial or protocol. */
  async #junk(conn: Deno.TcpConn, request: Frame): Promise<void> {
    const choice = this.random.int(0, 2);
    if (choice === 0) {
      this.#count("garbage_push");
      await this.#write(
        conn,
        encodeFrame({ protoId: this.random.pick(PUSH_IDS), serialNo: 0, body: this.#garbage(300) }),
      );
    } else if (choice === 1) {
      this.#count("unknown_serial");
      const body = this.#garbage(100);
      await this.#write(conn, encodeFrame({ protoId: request.protoId, serialNo: request.serialNo + 100_000, body }));
    } else {
      this.#count("unknown_proto_id");
      await this.#write(
        conn,
        encodeFrame({
          protoId: this.random.int(60_000, 2 ** 32 - 1),
          serialNo: this.random.int(2 ** 20, 2 ** 32 - 1),
          body: this.#garbage(50),
        }),
      );
    }
  }

  /** A reply that leaves the stream unusable; the link ends. */
  async #fatal(conn: Deno.TcpConn, request: Frame): Promise<false> {
    const kind = this.random.pick(FATAL);
    this.#count(kind);
    const frame = encodeFrame({ protoId: request.protoId, serialNo: request.serialNo, body: this.#garbage(200) });
    const view = new DataView(frame.buffer);
    switch (kind) {
      case "bad_magic":
        frame[0] = 0x58;
        frame[1] = 0x58;
        await this.#write(conn, frame);
        break;
      case "huge_length":
        view.setUint32(12, 0xffff_fff0, true);
        await this.#write(conn, frame);
        break;
      case "short_length":
        view.setUint32(12, Math.max(0, frame.length - HEADER_SIZE - 10), true);
        await this.#write(conn, frame);
        await this.#write(conn, this.#garbage(100));
        break;
      case "truncated_close":
        await this.#write(conn, frame.subarray(0, this.random.int(1, frame.length - 1)));
        break;
      case "close":
        break;
    }
    return false;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.#listener.close();
    for (const conn of this.#conns) {
      try {
        conn.close();
      } catch { /* closed */ }
    }
    await this.#accepting.catch(() => {});
  }
}
