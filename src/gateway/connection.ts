/**
 * One TCP connection to OpenD: InitConnect (plain or RSA/AES), keepalive,
 * replies matched to requests by (protoID, serialNo), per-request timeouts and
 * push dispatch. It does not reconnect: {@link OpenDClient} owns that.
 *
 * @example
 * ```ts
 * import { OpenDConnection } from "./connection.ts";
 * const conn = await OpenDConnection.open({ host: "127.0.0.1", port: 11111 });
 * const state = await conn.request("GetGlobalState", { userID: "0" });
 * conn.close();
 * ```
 *
 * @module
 */
import {
  AesCbcCipher,
  type BodyCipher,
  DecryptError,
  equalBytes,
  FtAesEcbCipher,
  PLAIN,
  type RsaKey,
  sha1,
} from "./crypto.ts";
import {
  ConnectionLostError,
  GatewayClosedError,
  GatewayProtocolError,
  GatewayTimeoutError,
  GatewayUnavailableError,
  OpenDError,
  TradeOutcomeUnknownError,
} from "./errors.ts";
import { encodeFrame, FORMAT_PROTOBUF, type Frame, FrameError, FrameParser } from "./frame.ts";
import type { ByteLink, Dialer } from "./link.ts";
import { grantHint } from "../version.ts";
import {
  type C2S,
  decodeResponse,
  encodeRequest,
  isPushProtocol,
  ProtoCodecError,
  protocolById,
  protoIdOf,
  type PushProtocol,
  type RequestProtocol,
  type S2C,
} from "./proto/codec.ts";
import type { Common_PacketID, InitConnect_S2C } from "./proto/messages.ts";
import { Common_PacketEncAlgo } from "./proto/messages.ts";

/** How bodies are encrypted after an RSA InitConnect. */
export type AesMode = "aes-cbc" | "ftaes-ecb";

/** Options of {@link OpenDConnection.open}. */
export interface ConnectionOptions {
  host: string;
  port: number;
  /** Opens the link instead of TCP to host:port (futu-mcp's in-process simulator). */
  dial?: Dialer;
  /** OpenD's RSA private key; when set, the link is encrypted. */
  rsaKey?: RsaKey;
  /** AES mode requested in InitConnect when encrypted. Default "aes-cbc" (what the Python SDK asks for). */
  aesMode?: AesMode;
  clientId?: string;
  clientVer?: number;
  /** Per-request timeout. Default 12 000 ms. */
  requestTimeoutMs?: number;
  /** TCP connect + InitConnect timeout. Default 20 000 ms. */
  connectTimeoutMs?: number;
  /** Close when nothing arrives for this long. Default 33 000 ms. */
  livenessTimeoutMs?: number;
  /** Cap on a frame body; larger frames close the connection. */
  maxBodyLength?: number;
  /** First serial number; later ones increase by one. */
  initialSerial?: number;
  /** Called with each decoded push. */
  onPush?: (push: PushMessage) => void;
  /** Called once when the connection ends, with why. Not called after {@link OpenDConnection.close}. */
  onClose?: (reason: Error) => void;
  /** Called for frames that are dropped (unmatched replies, undecodable pushes). */
  onWarning?: (message: string) => void;
}

/** A decoded push, discriminated by protocol name. */
export type PushMessage = {
  [P in PushProtocol]: { protocol: P; s2c: S2C<P> };
}[PushProtocol];

type Timer = ReturnType<typeof setTimeout>;

interface Pending {
  protocol: RequestProtocol;
  isWrite: boolean;
  /** True once the request's bytes were handed to the socket. */
  sent: boolean;
  /** When it times out (performance.now()), and the timeout it had. */
  deadline: number;
  timeoutMs: number;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

interface Outgoing {
  bytes: Uint8Array;
  pending?: Pending;
}

const READ_BUFFER_SIZE = 128 * 1024;
const DEFAULT_REQUEST_TIMEOUT_MS = 12_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 20_000;
const DEFAULT_LIVENESS_TIMEOUT_MS = 33_000;
const CLIENT_VER = 300;

/** A live, initialised connection to OpenD. */
export class OpenDConnection {
  /** connID assigned by OpenD; goes into PacketID on trade writes. */
  readonly connId: string;
  readonly loginUserId: string;
  readonly serverVer: number;
  /** Heartbeat interval OpenD asked for, in seconds. */
  readonly keepAliveIntervalSec: number;
  /** "none", "ftaes-ecb" or "aes-cbc". */
  readonly encryption: string;

  readonly #conn: ByteLink;
  readonly #options: ConnectionOptions;
  readonly #parser: FrameParser;
  readonly #pending = new Map<string, Pending>();
  readonly #outgoing: Outgoing[] = [];
  #cipher: BodyCipher;
  #serial: number;
  #flushing = false;
  #closed: Error | undefined;
  #lastReceivedAt = Date.now();
  #keepAliveTimer: Timer | undefined;
  #sweepTimer: Timer | undefined;
  #sweepAt: number | undefined;
  #livenessTimer: Timer | undefined;
  #readLoop: Promise<void> = Promise.resolve();

  private constructor(
    conn: ByteLink,
    options: ConnectionOptions,
    parser: FrameParser,
    init: InitConnect_S2C,
    cipher: BodyCipher,
    serial: number,
  ) {
    this.#conn = conn;
    this.#options = options;
    this.#parser = parser;
    this.#cipher = cipher;
    this.#serial = serial;
    this.connId = init.connID;
    this.loginUserId = init.loginUserID;
    this.serverVer = init.serverVer;
    this.keepAliveIntervalSec = init.keepAliveInterval > 0 ? init.keepAliveInterval : 10;
    this.encryption = cipher.name;
  }

  /**
   * Connects and completes InitConnect. Throws {@link GatewayUnavailableError}
   * when OpenD can't be reached, {@link OpenDError} when it refuses the
   * connection, {@link GatewayProtocolError} when it answers gibberish.
   */
  static async open(options: ConnectionOptions): Promise<OpenDConnection> {
    const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    const where = options.dial ? "the in-process simulator" : `${options.host}:${options.port}`;
    let conn: ByteLink;
    try {
      if (options.dial) conn = await options.dial();
      else {
        const tcp = await Deno.connect({
          hostname: options.host,
          port: options.port,
          signal: AbortSignal.timeout(connectTimeoutMs),
        });
        tcp.setNoDelay(true);
        conn = tcp;
      }
    } catch (err) {
      if (err instanceof Deno.errors.NotCapable) {
        throw new GatewayUnavailableError(`not permitted to connect to ${where}: ${grantHint("net", where)}`);
      }
      throw new GatewayUnavailableError(`cannot connect to OpenD at ${where}: ${(err as Error).message}`);
    }
    const parser = new FrameParser({ maxBodyLength: options.maxBodyLength });
    let serial = options.initialSerial ?? (Math.floor(Date.now() / 1000) % 10_000) + 1;
    try {
      const { init, early } = await initConnect(conn, parser, options, serial++, connectTimeoutMs);
      const cipher = cipherFor(options, init);
      const connection = new OpenDConnection(conn, options, parser, init, cipher, serial);
      connection.#start(early);
      return connection;
    } catch (err) {
      try {
        conn.close();
      } catch { /* already closed */ }
      throw err;
    }
  }

  /** True until the connection ends. */
  get isOpen(): boolean {
    return this.#closed === undefined;
  }

  /** Why the connection ended, once it did. */
  get closeReason(): Error | undefined {
    return this.#closed;
  }

  /** Sends a request and resolves with its S2C; rejects with a typed {@link GatewayError}. */
  request<P extends RequestProtocol>(
    protocol: P,
    c2s: C2S<P>,
    options: { timeoutMs?: number } = {},
  ): Promise<S2C<P>> {
    return this.#send(protocol, () => c2s, false, options.timeoutMs);
  }

  /**
   * Sends a trade write (PlaceOrder, ModifyOrder). `build` receives the
   * PacketID whose serial equals the header serial, as OpenD's anti-replay
   * check requires. If the request may have reached OpenD but no reply is
   * read, it rejects with {@link TradeOutcomeUnknownError} and is never re-sent.
   */
  requestWrite<P extends RequestProtocol>(
    protocol: P,
    build: (packetID: Common_PacketID) => C2S<P>,
    options: { timeoutMs?: number } = {},
  ): Promise<S2C<P>> {
    return this.#send(protocol, build, true, options.timeoutMs);
  }

  /** Closes the connection; pending requests fail (writes as outcome unknown if sent). */
  async close(): Promise<void> {
    this.#shutdown(new GatewayClosedError(), false);
    await this.#readLoop;
  }

  #send<P extends RequestProtocol>(
    protocol: P,
    build: (packetID: Common_PacketID) => C2S<P>,
    isWrite: boolean,
    timeoutMs = this.#options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
  ): Promise<S2C<P>> {
    if (this.#closed) {
      return Promise.reject(
        this.#closed instanceof GatewayClosedError
          ? this.#closed
          : new GatewayUnavailableError(`${protocol}: not connected to OpenD (${this.#closed.message})`),
      );
    }
    const serialNo = this.#nextSerial();
    const protoId = protoIdOf(protocol);
    let body: Uint8Array;
    try {
      body = encodeRequest(protocol, build({ connID: this.connId, serialNo }));
    } catch (err) {
      return Promise.reject(err);
    }
    const wire = this.#cipher.encrypt(body);
    const bytes = encodeFrame({ protoId, serialNo, body: wire, sha1: sha1(body) });
    const key = pendingKey(protoId, serialNo);
    return new Promise<S2C<P>>((resolve, reject) => {
      const pending: Pending = {
        protocol,
        isWrite,
        sent: false,
        deadline: performance.now() + timeoutMs,
        timeoutMs,
        resolve: resolve as (value: unknown) => void,
        reject,
      };
      this.#pending.set(key, pending);
      this.#armSweep(pending.deadline);
      this.#enqueue({ bytes, pending });
    });
  }

  /**
   * One timer for every request's timeout, armed for the earliest deadline, rather than a timer per request
   * (arming and clearing one cost more than the rest of a request's bookkeeping).
   */
  #armSweep(deadline: number): void {
    if (this.#sweepAt !== undefined && this.#sweepAt <= deadline) return;
    clearTimeout(this.#sweepTimer);
    this.#sweepAt = deadline;
    this.#sweepTimer = setTimeout(() => this.#sweep(), Math.max(0, deadline - performance.now()));
  }

  /** Fails the requests whose deadline passed, then waits for the next one. */
  #sweep(): void {
    this.#sweepAt = undefined;
    this.#sweepTimer = undefined;
    const now = performance.now();
    let next = Infinity;
    for (const [key, pending] of this.#pending) {
      if (pending.deadline > now) {
        next = Math.min(next, pending.deadline);
        continue;
      }
      this.#pending.delete(key);
      pending.reject(
        pending.isWrite && pending.sent
          ? new TradeOutcomeUnknownError(pending.protocol, `no reply within ${pending.timeoutMs} ms`)
          : new GatewayTimeoutError(pending.protocol, pending.timeoutMs),
      );
    }
    if (next !== Infinity) this.#armSweep(next);
  }

  #nextSerial(): number {
    const serial = this.#serial;
    this.#serial = serial >= 0xffff_fff0 ? 1 : serial + 1;
    return serial;
  }

  #enqueue(item: Outgoing): void {
    this.#outgoing.push(item);
    if (this.#flushing) return;
    this.#flushing = true;
    // Written at the end of this turn, with every request made in it (a batch of calls shares one write). Waiting
    // longer to gather the requests of other tasks (setImmediate, setTimeout) was measured slower, not faster.
    queueMicrotask(() => this.#flush());
  }

  /** Writes queued frames; frames queued while a write is in progress go out together. */
  async #flush(): Promise<void> {
    this.#flushing = true;
    try {
      while (this.#outgoing.length > 0 && !this.#closed) {
        const batch = this.#outgoing.splice(0);
        let length = 0;
        for (const item of batch) {
          length += item.bytes.length;
          if (item.pending) item.pending.sent = true;
        }
        let bytes = batch[0].bytes;
        if (batch.length > 1) {
          bytes = new Uint8Array(length);
          let at = 0;
          for (const item of batch) {
            bytes.set(item.bytes, at);
            at += item.bytes.length;
          }
        }
        try {
          let written = 0;
          while (written < bytes.length) written += await this.#conn.write(bytes.subarray(written));
        } catch (err) {
          this.#shutdown(new Error(`write failed: ${(err as Error).message}`), true);
        }
      }
    } finally {
      this.#flushing = false;
    }
  }

  #start(early: Frame[]): void {
    const periodMs = this.keepAliveIntervalSec * 800;
    this.#keepAliveTimer = setInterval(() => {
      this.request("KeepAlive", { time: String(Math.floor(Date.now() / 1000)) }).catch(() => {
        // A lost keepalive shows up as the liveness timeout or a closed socket.
      });
    }, periodMs);
    const livenessMs = this.#options.livenessTimeoutMs ?? DEFAULT_LIVENESS_TIMEOUT_MS;
    this.#livenessTimer = setInterval(() => {
      if (Date.now() - this.#lastReceivedAt > livenessMs) {
        this.#shutdown(new Error(`nothing received from OpenD for ${livenessMs} ms`), true);
      }
    }, Math.min(1000, Math.max(50, livenessMs / 4)));
    this.#receive(early);
    this.#readLoop = this.#read();
  }

  async #read(): Promise<void> {
    const buffer = new Uint8Array(READ_BUFFER_SIZE);
    while (!this.#closed) {
      let n: number | null;
      try {
        n = await this.#conn.read(buffer);
      } catch (err) {
        this.#shutdown(new Error(`read failed: ${(err as Error).message}`), true);
        return;
      }
      if (n === null) {
        this.#shutdown(new Error("OpenD closed the connection"), true);
        return;
      }
      this.#lastReceivedAt = Date.now();
      this.#receive(this.#parser.push(buffer.subarray(0, n)));
    }
  }

  /** Dispatches frames, then closes if the stream broke after them. */
  #receive(frames: Frame[]): void {
    for (const frame of frames) this.#dispatch(frame);
    const broken = this.#parser.error;
    if (broken) this.#shutdown(new GatewayProtocolError(`unreadable stream from OpenD: ${broken.message}`), true);
  }

  #dispatch(frame: Frame): void {
    const protocol = protocolById(frame.protoId);
    const pending = protocol && !isPushProtocol(protocol)
      ? this.#pending.get(pendingKey(frame.protoId, frame.serialNo))
      : undefined;
    let body: Uint8Array;
    try {
      if (frame.format !== FORMAT_PROTOBUF) throw new Error(`unsupported body format ${frame.format}`);
      body = this.#cipher.decrypt(frame.body);
      if (!equalBytes(sha1(body), frame.sha1)) throw new Error("SHA-1 of the body does not match the header");
    } catch (err) {
      const reason = err instanceof DecryptError ? err.message : (err as Error).message;
      if (pending) this.#settle(frame, pending, undefined, reason);
      else this.#warn(`dropped frame protoID ${frame.protoId} serial ${frame.serialNo}: ${reason}`);
      return;
    }
    if (protocol === undefined) {
      this.#warn(`dropped frame with unknown protoID ${frame.protoId}`);
      return;
    }
    if (isPushProtocol(protocol)) {
      try {
        const envelope = decodeResponse(protocol, body);
        if (envelope.retType !== 0 || envelope.s2c === undefined) {
          this.#warn(`dropped ${protocol} push with retType ${envelope.retType}`);
          return;
        }
        this.#options.onPush?.({ protocol, s2c: envelope.s2c } as PushMessage);
      } catch (err) {
        this.#warn(`dropped undecodable ${protocol} push: ${(err as Error).message}`);
      }
      return;
    }
    if (!pending) {
      this.#warn(`dropped ${protocol} reply with serial ${frame.serialNo}: no request is waiting for it`);
      return;
    }
    this.#settle(frame, pending, body);
  }

  #settle(frame: Frame, pending: Pending, body: Uint8Array | undefined, failure?: string): void {
    this.#pending.delete(pendingKey(frame.protoId, frame.serialNo));
    const { protocol } = pending;
    if (body === undefined) {
      const reason = `unreadable reply: ${failure}`;
      pending.reject(
        pending.isWrite
          ? new TradeOutcomeUnknownError(protocol, reason)
          : new GatewayProtocolError(`${protocol}: ${reason}`),
      );
      return;
    }
    let envelope;
    try {
      envelope = decodeResponse(protocol, body);
    } catch (err) {
      const reason = `undecodable reply: ${(err as Error).message}`;
      pending.reject(
        pending.isWrite
          ? new TradeOutcomeUnknownError(protocol, reason)
          : new GatewayProtocolError(`${protocol}: ${reason}`),
      );
      return;
    }
    if (envelope.retType !== 0) {
      pending.reject(new OpenDError(protocol, envelope.retType, envelope.retMsg ?? "", envelope.errCode));
      return;
    }
    pending.resolve(envelope.s2c ?? {});
  }

  #warn(message: string): void {
    this.#options.onWarning?.(message);
  }

  #shutdown(reason: Error, notify: boolean): void {
    if (this.#closed) return;
    this.#closed = reason;
    clearInterval(this.#keepAliveTimer);
    clearInterval(this.#livenessTimer);
    try {
      this.#conn.close();
    } catch { /* already closed */ }
    clearTimeout(this.#sweepTimer);
    for (const pending of this.#pending.values()) {
      if (reason instanceof GatewayClosedError && !(pending.isWrite && pending.sent)) {
        pending.reject(reason);
      } else if (!pending.sent) {
        pending.reject(
          new GatewayUnavailableError(`${pending.protocol}: not sent, connection to OpenD lost (${reason.message})`),
        );
      } else if (pending.isWrite) {
        pending.reject(new TradeOutcomeUnknownError(pending.protocol, `connection lost: ${reason.message}`));
      } else {
        pending.reject(new ConnectionLostError(pending.protocol, reason.message));
      }
    }
    this.#pending.clear();
    this.#outgoing.length = 0;
    if (notify) this.#options.onClose?.(reason);
  }
}

function pendingKey(protoId: number, serialNo: number): string {
  return `${protoId}:${serialNo}`;
}

function cipherFor(options: ConnectionOptions, init: InitConnect_S2C): BodyCipher {
  if (!options.rsaKey) return PLAIN;
  if ((options.aesMode ?? "aes-cbc") === "aes-cbc") {
    if (!init.aesCBCiv) {
      throw new GatewayProtocolError("OpenD did not return aesCBCiv although AES-CBC was requested");
    }
    return new AesCbcCipher(init.connAESKey, init.aesCBCiv);
  }
  return new FtAesEcbCipher(init.connAESKey);
}

/**
 * Sends InitConnect and reads its reply before anything else may use the
 * socket. Frames that arrived with the reply are returned for dispatch.
 */
async function initConnect(
  conn: ByteLink,
  parser: FrameParser,
  options: ConnectionOptions,
  serialNo: number,
  timeoutMs: number,
): Promise<{ init: InitConnect_S2C; early: Frame[] }> {
  const aesMode = options.aesMode ?? "aes-cbc";
  const body = encodeRequest("InitConnect", {
    clientVer: options.clientVer ?? CLIENT_VER,
    clientID: options.clientId ?? "futu-mcp",
    recvNotify: true,
    packetEncAlgo: !options.rsaKey
      ? Common_PacketEncAlgo.None
      : aesMode === "aes-cbc"
      ? Common_PacketEncAlgo.AES_CBC
      : Common_PacketEncAlgo.FTAES_ECB,
    pushProtoFmt: 0,
    programmingLanguage: "TypeScript",
  });
  const wire = options.rsaKey ? options.rsaKey.encrypt(body) : body;
  const frameBytes = encodeFrame({ protoId: protoIdOf("InitConnect"), serialNo, body: wire, sha1: sha1(body) });
  const deadline = Date.now() + timeoutMs;
  try {
    let written = 0;
    while (written < frameBytes.length) written += await conn.write(frameBytes.subarray(written));
    const buffer = new Uint8Array(READ_BUFFER_SIZE);
    for (;;) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new GatewayTimeoutError("InitConnect", timeoutMs);
      let timer: Timer | undefined;
      const n = await Promise.race([
        conn.read(buffer),
        new Promise<"timeout">((resolve) => timer = setTimeout(() => resolve("timeout"), remaining)),
      ]).finally(() => clearTimeout(timer));
      if (n === "timeout") throw new GatewayTimeoutError("InitConnect", timeoutMs);
      if (n === null) throw new GatewayUnavailableError("OpenD closed the connection during InitConnect");
      const frames = parser.push(buffer.subarray(0, n));
      const index = frames.findIndex((f) => f.protoId === protoIdOf("InitConnect") && f.serialNo === serialNo);
      if (index < 0 && parser.error) throw parser.error;
      if (index >= 0) {
        const frame = frames[index];
        const plain = options.rsaKey ? options.rsaKey.decrypt(frame.body) : frame.body;
        if (!equalBytes(sha1(plain), frame.sha1)) {
          throw new GatewayProtocolError("InitConnect reply failed the SHA-1 check (is the RSA key OpenD's?)");
        }
        const envelope = decodeResponse("InitConnect", plain);
        if (envelope.retType !== 0 || !envelope.s2c) {
          throw new OpenDError("InitConnect", envelope.retType, envelope.retMsg ?? "");
        }
        return { init: envelope.s2c, early: frames.slice(index + 1) };
      }
    }
  } catch (err) {
    if (err instanceof FrameError || err instanceof DecryptError || err instanceof ProtoCodecError) {
      throw new GatewayProtocolError(`InitConnect: unreadable reply from OpenD: ${err.message}`);
    }
    if (err instanceof Deno.errors.BadResource || err instanceof Deno.errors.ConnectionReset) {
      throw new GatewayUnavailableError(`OpenD closed the connection during InitConnect: ${err.message}`);
    }
    throw err;
  }
}
