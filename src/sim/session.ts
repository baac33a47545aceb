/**
 * One client connection to the simulated OpenD: framing, InitConnect with the
 * plain or RSA/AES handshake, decryption and SHA-1 checks, replies with the
 * request's protoID and serial, pushes, and the per-connection state OpenD
 * keeps (connID, push registrations, account push list, PacketID serials).
 *
 * @module
 */
import { checkReplyDomain } from "./_reply_domain.ts";
import {
  AesCbcCipher,
  type BodyCipher,
  equalBytes,
  FtAesEcbCipher,
  PLAIN,
  type RsaKey,
  sha1,
} from "../gateway/crypto.ts";
import { encodeFrame, FORMAT_PROTOBUF, type Frame, FrameParser } from "../gateway/frame.ts";
import type { ByteLink } from "../gateway/link.ts";
import {
  type C2S,
  decodeRequest,
  encodeResponse,
  isPushProtocol,
  protocolById,
  type ProtocolName,
  protoIdOf,
  type PushProtocol,
  type RequestProtocol,
  type S2C,
} from "../gateway/proto/codec.ts";
import { Common_PacketEncAlgo, Common_RetType } from "../gateway/proto/messages.ts";
import { SIM_USER } from "./user.ts";

/** What a session needs from its server. */
export interface SessionHost {
  readonly rsaKey?: RsaKey;
  readonly keepAliveIntervalSec: number;
  readonly maxBodyLength: number;
  /** Handles a decoded request; returns the S2C or throws. */
  handle(session: SimSession, protocol: RequestProtocol, c2s: unknown, serialNo: number): Promise<unknown> | unknown;
  /** Server-side clock in ms (for KeepAlive replies and heartbeats). */
  now(): number;
  /** A reply is about to be written: the fault hooks may hold, corrupt or swallow it. */
  beforeReply(session: SimSession, protocol: ProtocolName): Promise<"send" | "drop" | "close">;
  /** Consumes a pending corruption for the next outgoing frame, if any. */
  takeCorruption(): "sha1" | "magic" | "body" | "oversize" | undefined;
  onClosed(session: SimSession): void;
  log(message: string): void;
}

/** An error the handler raises to answer with `retType = -1` and a message. */
export class SimReplyError extends Error {
  override name = "SimReplyError";
  constructor(message: string, readonly errCode?: number) {
    super(message);
  }
}

const CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

function randomKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => CHARS[b % CHARS.length]).join("");
}

function randomConnId(): bigint {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  let id = 0n;
  for (const b of bytes) id = (id << 8n) | BigInt(b);
  return id | (1n << 62n);
}

let nextSessionNumber = 1;

/** See the module documentation. */
export class SimSession {
  /** Internal number, stable for the session's life. */
  readonly number = nextSessionNumber++;
  /** OpenD's connID (uint64). */
  readonly connId = randomConnId();
  readonly remote: string;
  initialised = false;
  recvNotify = false;
  clientId = "";
  lastHeartbeatMs: number;
  /** Highest PacketID serial of a trade write on this connection. */
  lastWriteSerial = -1;
  /** Accounts whose order and fill pushes this connection receives. */
  accPush = new Set<bigint>();
  /** Push registrations: pair key → rehab types (K-lines) and the last pushed state. */
  readonly pushes = new Map<string, { rehabTypes: number[]; last?: string; lastSequence?: bigint }>();

  readonly #conn: ByteLink;
  readonly #host: SessionHost;
  readonly #parser: FrameParser;
  #cipher: BodyCipher = PLAIN;
  #closed = false;
  #pushSerial = 1;
  #queue: Uint8Array[] = [];
  #writing = false;
  readonly done: Promise<void>;

  /** `remote` names the peer in logs: its address, or "in-process". */
  constructor(conn: ByteLink, host: SessionHost, remote: string) {
    this.#conn = conn;
    this.#host = host;
    this.#parser = new FrameParser({ maxBodyLength: host.maxBodyLength });
    this.lastHeartbeatMs = host.now();
    this.remote = remote;
    this.done = this.#run();
  }

  /** True once closed. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Closes the connection. */
  close(reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#host.log(`session ${this.number} (${this.remote}) closed: ${reason}`);
    try {
      this.#conn.close();
    } catch { /* already closed */ }
    this.#host.onClosed(this);
  }

  /** Sends a push; the body is encrypted like any post-init packet. */
  push<P extends PushProtocol>(protocol: P, s2c: S2C<P>): void {
    if (this.#closed || !this.initialised) return;
    try {
      checkReplyDomain(protocol, s2c);
    } catch (err) {
      // A simulator bug: said, and the push left out, rather than the connection's tick failing.
      this.#host.log(`${protocol} push not sent: ${(err as Error).message}`);
      return;
    }
    const body = encodeResponse(protocol, { retType: Common_RetType.Succeed, s2c });
    this.#write(protoIdOf(protocol), this.#pushSerial++, body);
  }

  async #run(): Promise<void> {
    const buffer = new Uint8Array(128 * 1024);
    try {
      while (!this.#closed) {
        const n = await this.#conn.read(buffer);
        if (n === null) {
          this.close("client closed the connection");
          return;
        }
        for (const frame of this.#parser.push(buffer.subarray(0, n))) {
          if (this.#closed) return;
          await this.#onFrame(frame);
        }
        if (this.#parser.error) {
          this.close(`unreadable stream: ${this.#parser.error.message}`);
          return;
        }
      }
    } catch (err) {
      this.close(`read failed: ${(err as Error).message}`);
    }
  }

  async #onFrame(frame: Frame): Promise<void> {
    const protocol = protocolById(frame.protoId);
    if (!this.initialised) {
      if (protocol !== "InitConnect") {
        await this.#replyError(
          frame,
          protocol ?? "InitConnect",
          "InitConnect must be the first request on a connection",
        );
        this.close(`protoID ${frame.protoId} before InitConnect`);
        return;
      }
      await this.#initConnect(frame);
      return;
    }
    let body: Uint8Array;
    try {
      body = this.#cipher.decrypt(frame.body);
    } catch (err) {
      await this.#replyError(frame, protocol, `Packet decryption failed: ${(err as Error).message}`);
      return;
    }
    if (!equalBytes(sha1(body), frame.sha1)) {
      await this.#replyError(frame, protocol, "Packet SHA-1 check failed: the header's SHA-1 does not match the body");
      return;
    }
    if (frame.format !== FORMAT_PROTOBUF) {
      await this.#replyError(frame, protocol, "Only protobuf bodies (nProtoFmtType 0) are supported by this simulator");
      return;
    }
    if (protocol === undefined || isPushProtocol(protocol)) {
      await this.#replyError(frame, protocol, `Unsupported protoID ${frame.protoId}`);
      return;
    }
    if (protocol === "InitConnect") {
      await this.#replyError(frame, protocol, "InitConnect was already completed on this connection");
      return;
    }
    let c2s: unknown;
    try {
      c2s = decodeRequest(protocol, body);
    } catch (err) {
      await this.#replyError(frame, protocol, `Invalid ${protocol} request: ${(err as Error).message}`);
      return;
    }
    if (protocol === "KeepAlive") this.lastHeartbeatMs = this.#host.now();
    let s2c: unknown;
    try {
      s2c = await this.#host.handle(this, protocol, c2s, frame.serialNo);
    } catch (err) {
      if (err instanceof DropRequest) return;
      const message = err instanceof SimReplyError
        ? err.message
        : `Internal simulator error: ${(err as Error).message}`;
      if (!(err instanceof SimReplyError)) this.#host.log(`${protocol} handler failed: ${(err as Error).stack}`);
      await this.#replyError(frame, protocol, message, err instanceof SimReplyError ? err.errCode : undefined);
      return;
    }
    await this.#reply(frame, protocol, { retType: Common_RetType.Succeed, s2c: s2c as S2C<typeof protocol> });
  }

  async #initConnect(frame: Frame): Promise<void> {
    const rsa = this.#host.rsaKey;
    let body: Uint8Array;
    try {
      body = rsa ? rsa.decrypt(frame.body) : frame.body;
    } catch (err) {
      this.close(`InitConnect could not be RSA-decrypted: ${(err as Error).message}`);
      return;
    }
    if (!equalBytes(sha1(body), frame.sha1)) {
      this.close("InitConnect failed the SHA-1 check");
      return;
    }
    let c2s: C2S<"InitConnect">;
    try {
      c2s = decodeRequest("InitConnect", body);
    } catch (err) {
      await this.#replyError(frame, "InitConnect", `Invalid InitConnect request: ${(err as Error).message}`);
      this.close("invalid InitConnect");
      return;
    }
    const algo = c2s.packetEncAlgo ?? Common_PacketEncAlgo.FTAES_ECB;
    const connAESKey = randomKey();
    const aesCBCiv = rsa && algo === Common_PacketEncAlgo.AES_CBC ? randomKey() : undefined;
    if (rsa && algo === Common_PacketEncAlgo.AES_ECB) {
      await this.#sendInit(frame, {
        retType: Common_RetType.Failed,
        retMsg: "PacketEncAlgo_AES_ECB is not supported; use FTAES_ECB or AES_CBC",
      });
      this.close("unsupported encryption");
      return;
    }
    this.clientId = c2s.clientID;
    this.recvNotify = c2s.recvNotify ?? false;
    await this.#sendInit(frame, {
      retType: Common_RetType.Succeed,
      s2c: {
        serverVer: 1001,
        loginUserID: SIM_USER.userId,
        connID: this.connId.toString(),
        connAESKey,
        keepAliveInterval: this.#host.keepAliveIntervalSec,
        aesCBCiv,
        userAttribution: SIM_USER.attribution,
      },
    });
    if (rsa && algo === Common_PacketEncAlgo.AES_CBC) this.#cipher = new AesCbcCipher(connAESKey, aesCBCiv!);
    else if (rsa && algo !== Common_PacketEncAlgo.None) this.#cipher = new FtAesEcbCipher(connAESKey);
    this.initialised = true;
    this.lastHeartbeatMs = this.#host.now();
  }

  async #sendInit(frame: Frame, response: Parameters<typeof encodeResponse<"InitConnect">>[1]): Promise<void> {
    const body = encodeResponse("InitConnect", response);
    const rsa = this.#host.rsaKey;
    const wire = rsa ? rsa.encrypt(body) : body;
    await this.#writeFrame(
      encodeFrame({ protoId: frame.protoId, serialNo: frame.serialNo, body: wire, sha1: sha1(body) }),
    );
  }

  async #reply<P extends ProtocolName>(
    frame: Frame,
    protocol: P,
    response: Parameters<typeof encodeResponse<P>>[1],
  ): Promise<void> {
    const decision = await this.#host.beforeReply(this, protocol);
    if (decision === "drop" || this.#closed) return;
    if (decision === "close") {
      this.close(`fault: closed before replying to ${protocol}`);
      return;
    }
    let body: Uint8Array;
    try {
      body = encodeResponse(protocol, response);
    } catch (err) {
      this.#host.log(`${protocol} reply could not be encoded: ${(err as Error).message}`);
      body = encodeResponse(protocol, {
        retType: Common_RetType.Unknown,
        retMsg: `Internal simulator error: ${(err as Error).message}`,
      });
    }
    this.#write(frame.protoId, frame.serialNo, body);
  }

  async #replyError(
    frame: Frame,
    protocol: ProtocolName | undefined,
    message: string,
    errCode?: number,
  ): Promise<void> {
    // A reply needs a Response type; an unknown protoID is answered with KeepAlive's envelope (same fields).
    const envelope = protocol ?? "KeepAlive";
    const body = encodeResponse(envelope, { retType: Common_RetType.Failed, retMsg: message, errCode });
    if (protocol !== undefined) {
      const decision = await this.#host.beforeReply(this, protocol);
      if (decision === "drop") return;
      if (decision === "close") {
        this.close(`fault: closed before replying to ${protocol}`);
        return;
      }
    }
    this.#write(frame.protoId, frame.serialNo, body);
  }

  #write(protoId: number, serialNo: number, body: Uint8Array): void {
    const wire = this.#cipher.encrypt(body);
    let digest = sha1(body);
    let bytes = encodeFrame({ protoId, serialNo, body: wire, sha1: digest });
    const corruption = this.#host.takeCorruption();
    if (corruption === "sha1") {
      digest = digest.slice();
      digest[0] ^= 0xff;
      bytes = encodeFrame({ protoId, serialNo, body: wire, sha1: digest });
    } else if (corruption === "magic") {
      bytes[0] = 0x00;
    } else if (corruption === "body") {
      bytes[bytes.length - 1] ^= 0xff;
    } else if (corruption === "oversize") {
      new DataView(bytes.buffer).setUint32(12, 0x7fff_ffff, true);
    }
    this.#writeFrame(bytes);
  }

  async #writeFrame(bytes: Uint8Array): Promise<void> {
    if (this.#closed) return;
    this.#queue.push(bytes);
    if (this.#writing) return;
    this.#writing = true;
    try {
      while (this.#queue.length > 0 && !this.#closed) {
        const batch = this.#queue.splice(0);
        const total = batch.reduce((n, b) => n + b.length, 0);
        const out = batch.length === 1 ? batch[0] : new Uint8Array(total);
        if (batch.length > 1) {
          let at = 0;
          for (const b of batch) {
            out.set(b, at);
            at += b.length;
          }
        }
        let written = 0;
        while (written < out.length) written += await this.#conn.write(out.subarray(written));
      }
    } catch (err) {
      this.close(`write failed: ${(err as Error).message}`);
    } finally {
      this.#writing = false;
    }
  }
}

/** Thrown by a handler to swallow a request without any reply (PacketID replays). */
export class DropRequest extends Error {
  override name = "DropRequest";
}
