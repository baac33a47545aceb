/**
 * A bare OpenD wire client for tests that must send what a well-behaved
 * client never would: requests before InitConnect, replayed PacketIDs,
 * corrupted digests.
 *
 * @module
 */
import { sha1 } from "../../src/gateway/crypto.ts";
import { encodeFrame, type Frame, FrameParser } from "../../src/gateway/frame.ts";
import {
  type C2S,
  decodeResponse,
  encodeRequest,
  protocolById,
  type ProtocolName,
  protoIdOf,
  type RequestProtocol,
  type ResponseEnvelope,
} from "../../src/gateway/proto/codec.ts";

/** A decoded frame from the simulator. */
export interface RawReply {
  protoId: number;
  serialNo: number;
  envelope: ResponseEnvelope<Record<string, unknown>>;
  /** Length of the frame's body on the wire. */
  bodyLength: number;
}

/** See the module documentation. */
export class RawClient {
  readonly #conn: Deno.TcpConn;
  readonly #parser = new FrameParser();
  readonly #frames: Frame[] = [];
  #eof = false;
  readonly #buffer = new Uint8Array(64 * 1024);
  #read: Promise<void> | undefined;
  connId = "";
  /** The InitConnect reply, once {@link RawClient.init} completed. */
  initReply: RawReply | undefined;

  private constructor(conn: Deno.TcpConn) {
    this.#conn = conn;
  }

  /** Opens a TCP connection (no InitConnect yet). */
  static async open(port: number): Promise<RawClient> {
    return new RawClient(await Deno.connect({ hostname: "127.0.0.1", port }));
  }

  /** Completes a plain InitConnect. */
  async init(serialNo = 1): Promise<void> {
    await this.send("InitConnect", {
      clientVer: 300,
      clientID: "raw-test",
      recvNotify: true,
      packetEncAlgo: -1,
    }, serialNo);
    const reply = await this.next();
    this.initReply = reply;
    this.connId = String(reply.envelope.s2c?.connID);
  }

  /** Sends a request with the given serial. */
  send<P extends RequestProtocol>(protocol: P, c2s: C2S<P>, serialNo: number): Promise<void> {
    return this.sendFrame(encodeFrame({ protoId: protoIdOf(protocol), serialNo, body: encodeRequest(protocol, c2s) }));
  }

  /** Sends a request whose header carries a wrong SHA-1. */
  sendWithBadDigest<P extends RequestProtocol>(protocol: P, c2s: C2S<P>, serialNo: number): Promise<void> {
    const body = encodeRequest(protocol, c2s);
    const digest = sha1(body);
    digest[0] ^= 1;
    return this.sendFrame(encodeFrame({ protoId: protoIdOf(protocol), serialNo, body, sha1: digest }));
  }

  /** Sends raw bytes. */
  async sendFrame(bytes: Uint8Array): Promise<void> {
    let written = 0;
    while (written < bytes.length) written += await this.#conn.write(bytes.subarray(written));
  }

  /** The next frame, decoded with its protocol's envelope; rejects after `timeoutMs` or at EOF. */
  async next(timeoutMs = 2000): Promise<RawReply> {
    const deadline = Date.now() + timeoutMs;
    while (this.#frames.length === 0) {
      if (this.#eof) throw new Error("connection closed by the simulator");
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error("no frame within the timeout");
      // A read that outlived an earlier timeout is still pending: wait for it rather than start another.
      this.#read ??= this.#conn.read(this.#buffer).then((n) => {
        if (n === null) this.#eof = true;
        else this.#frames.push(...this.#parser.push(this.#buffer.subarray(0, n)));
      }, () => {
        this.#eof = true;
      }).finally(() => this.#read = undefined);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const outcome = await Promise.race([
        this.#read.then(() => "read" as const),
        new Promise<"timeout">((resolve) => timer = setTimeout(() => resolve("timeout"), remaining)),
      ]).finally(() => clearTimeout(timer));
      if (outcome === "timeout") throw new Error("no frame within the timeout");
    }
    const frame = this.#frames.shift()!;
    const protocol: ProtocolName = protocolById(frame.protoId) ?? "KeepAlive";
    return {
      protoId: frame.protoId,
      serialNo: frame.serialNo,
      envelope: decodeResponse(protocol, frame.body) as ResponseEnvelope<Record<string, unknown>>,
      bodyLength: frame.body.length,
    };
  }

  /** Resolves true when the simulator closes the connection within `timeoutMs`. */
  async closedWithin(timeoutMs: number): Promise<boolean> {
    try {
      for (;;) await this.next(timeoutMs);
    } catch (err) {
      return (err as Error).message.includes("closed");
    }
  }

  close(): void {
    try {
      this.#conn.close();
    } catch { /* closed */ }
  }

  [Symbol.dispose](): void {
    this.close();
  }
}
