/**
 * The OpenD TCP framing: a 44-byte little-endian header followed by the body.
 *
 * | offset | size | field |
 * |---:|---:|---|
 * | 0 | 2 | `"FT"` |
 * | 2 | 4 | protoID (u32) |
 * | 6 | 1 | body format (0 protobuf, 1 JSON) |
 * | 7 | 1 | protocol version (0) |
 * | 8 | 4 | serial number (u32) |
 * | 12 | 4 | body length on the wire (u32) |
 * | 16 | 20 | SHA-1 of the plaintext body |
 * | 36 | 8 | reserved, zero |
 *
 * {@link FrameParser} cuts frames out of a byte stream, whatever the TCP
 * segmentation, and rejects a bad magic or an oversized body length as soon
 * as the header arrives, before allocating anything for the body.
 *
 * @example
 * ```ts
 * import { encodeFrame, FrameParser } from "./frame.ts";
 * const parser = new FrameParser();
 * const bytes = encodeFrame({ protoId: 1004, serialNo: 1, body: new Uint8Array([8, 1]) });
 * const [frame] = parser.push(bytes);
 * if (parser.error) throw parser.error;
 * ```
 *
 * @module
 */
import { sha1 } from "./crypto.ts";

/** Size of the frame header in bytes. */
export const HEADER_SIZE = 44;

/** Default cap on a body length: OpenD bodies are far smaller than this. */
export const DEFAULT_MAX_BODY_LENGTH = 16 * 1024 * 1024;

/** Body format byte: protobuf. */
export const FORMAT_PROTOBUF = 0;

/** One frame as read from the wire. The body is the wire bytes (ciphertext when encrypted). */
export interface Frame {
  protoId: number;
  format: number;
  protoVersion: number;
  serialNo: number;
  /** SHA-1 of the plaintext body, as the sender put it in the header. */
  sha1: Uint8Array;
  body: Uint8Array;
}

/** What {@link encodeFrame} needs. */
export interface OutgoingFrame {
  protoId: number;
  serialNo: number;
  /** The body to put on the wire (ciphertext when encrypted). */
  body: Uint8Array;
  /** SHA-1 of the plaintext; computed from `body` when omitted (plaintext bodies). */
  sha1?: Uint8Array;
  format?: number;
}

/** A byte stream that is not OpenD framing. The connection cannot be resynchronised. */
export class FrameError extends Error {
  override name = "FrameError";
}

const MAGIC_F = 0x46;
const MAGIC_T = 0x54;

/** Serialises one frame: header followed by body. */
export function encodeFrame(frame: OutgoingFrame): Uint8Array {
  const out = new Uint8Array(HEADER_SIZE + frame.body.length);
  const view = new DataView(out.buffer);
  out[0] = MAGIC_F;
  out[1] = MAGIC_T;
  view.setUint32(2, frame.protoId, true);
  out[6] = frame.format ?? FORMAT_PROTOBUF;
  out[7] = 0;
  view.setUint32(8, frame.serialNo >>> 0, true);
  view.setUint32(12, frame.body.length, true);
  out.set(frame.sha1 ?? sha1(frame.body), 16);
  out.set(frame.body, HEADER_SIZE);
  return out;
}

/** Options of {@link FrameParser}. */
export interface FrameParserOptions {
  /** Largest accepted body length; a header announcing more is a {@link FrameError}. */
  maxBodyLength?: number;
}

/**
 * Incremental frame parser. Feed it whatever `read()` returned; it returns the
 * complete frames and keeps the remainder. When the stream turns out not to be
 * OpenD framing, `push` still returns the good frames that came before the bad
 * bytes and sets {@link FrameParser.error}; from then on the parser accepts
 * nothing (the stream has lost sync) and the connection must close.
 */
export class FrameParser {
  readonly maxBodyLength: number;
  #buffer = new Uint8Array(64 * 1024);
  #start = 0;
  #end = 0;
  #failed: FrameError | undefined;

  constructor(options: FrameParserOptions = {}) {
    this.maxBodyLength = options.maxBodyLength ?? DEFAULT_MAX_BODY_LENGTH;
  }

  /** Bytes received but not yet part of a complete frame. */
  get buffered(): number {
    return this.#end - this.#start;
  }

  /** Why the stream was rejected, once it was. */
  get error(): FrameError | undefined {
    return this.#failed;
  }

  /** Appends bytes and returns every frame they complete (check {@link FrameParser.error} afterwards). */
  push(chunk: Uint8Array): Frame[] {
    if (this.#failed) return [];
    const frames: Frame[] = [];
    try {
      this.#consume(chunk, frames);
    } catch (err) {
      if (!(err instanceof FrameError)) throw err;
    }
    return frames;
  }

  #consume(chunk: Uint8Array, frames: Frame[]): void {
    let offset = 0;
    while (offset < chunk.length) {
      // Fast path: whole frames straight from the chunk, without buffering.
      if (this.#start === this.#end) {
        const frameLength = this.#completeFrameLength(chunk, offset, chunk.length);
        if (frameLength > 0) {
          frames.push(this.#readFrame(chunk, offset));
          offset += frameLength;
          continue;
        }
      }
      offset += this.#append(chunk, offset);
      const frameLength = this.#completeFrameLength(this.#buffer, this.#start, this.#end);
      if (frameLength > 0) {
        frames.push(this.#readFrame(this.#buffer, this.#start));
        this.#start += frameLength;
        if (this.#start === this.#end) this.#start = this.#end = 0;
      }
    }
  }

  /** Length of the frame at `start` if it is complete in `bytes[start, end)`, else 0. Validates the header. */
  #completeFrameLength(bytes: Uint8Array, start: number, end: number): number {
    const available = end - start;
    if (available < 2) {
      if (available === 1 && bytes[start] !== MAGIC_F) this.#fail(bytes, start);
      return 0;
    }
    if (bytes[start] !== MAGIC_F || bytes[start + 1] !== MAGIC_T) this.#fail(bytes, start);
    if (available < HEADER_SIZE) return 0;
    const bodyLength = readUint32(bytes, start + 12);
    if (bodyLength > this.maxBodyLength) {
      this.#failed = new FrameError(
        `frame body length ${bodyLength} exceeds the limit of ${this.maxBodyLength} bytes`,
      );
      throw this.#failed;
    }
    return available >= HEADER_SIZE + bodyLength ? HEADER_SIZE + bodyLength : 0;
  }

  #fail(bytes: Uint8Array, start: number): never {
    const seen = Array.from(bytes.subarray(start, start + 2), (b) => b.toString(16).padStart(2, "0"))
      .join(" ");
    this.#failed = new FrameError(`bad frame magic: expected 46 54 ("FT"), got ${seen}`);
    throw this.#failed;
  }

  #readFrame(bytes: Uint8Array, start: number): Frame {
    const bodyLength = readUint32(bytes, start + 12);
    return {
      protoId: readUint32(bytes, start + 2),
      format: bytes[start + 6],
      protoVersion: bytes[start + 7],
      serialNo: readUint32(bytes, start + 8),
      sha1: bytes.slice(start + 16, start + 36),
      body: bytes.slice(start + HEADER_SIZE, start + HEADER_SIZE + bodyLength),
    };
  }

  /**
   * Copies as much of `chunk[offset..]` as the current frame needs into the
   * buffer (at most to the end of the current frame, so the buffer never grows
   * beyond one maximal frame). Returns the number of bytes consumed.
   */
  #append(chunk: Uint8Array, offset: number): number {
    const have = this.#end - this.#start;
    let want: number;
    if (have < HEADER_SIZE) {
      want = HEADER_SIZE - have;
    } else {
      want = HEADER_SIZE + readUint32(this.#buffer, this.#start + 12) - have;
    }
    const take = Math.min(want, chunk.length - offset);
    if (this.#end + take > this.#buffer.length) {
      const needed = have + take;
      if (needed > this.#buffer.length) {
        const grown = new Uint8Array(Math.max(needed, this.#buffer.length * 2));
        grown.set(this.#buffer.subarray(this.#start, this.#end));
        this.#buffer = grown;
      } else {
        this.#buffer.copyWithin(0, this.#start, this.#end);
      }
      this.#end = have;
      this.#start = 0;
    }
    this.#buffer.set(chunk.subarray(offset, offset + take), this.#end);
    this.#end += take;
    return take;
  }
}

function readUint32(bytes: Uint8Array, at: number): number {
  return (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
}
