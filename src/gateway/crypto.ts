/**
 * The cryptography of the OpenD link: SHA-1 body digests, RSA for
 * InitConnect, and the two AES modes that OpenD uses afterwards.
 *
 * - RSA: PKCS#1 v1.5 with the public key derived from OpenD's private key;
 *   plaintext in chunks of at most 100 bytes, each becoming one 128-byte block
 *   (1024-bit keys). Both directions encrypt with the public key.
 * - FTAES-ECB (`PacketEncAlgo_FTAES_ECB`, OpenD's default): zero-pad to 16
 *   bytes, AES-128-ECB, then one extra 16-byte block whose last byte is the
 *   original `length % 16`.
 * - AES-CBC (`PacketEncAlgo_AES_CBC`): AES-128-CBC with PKCS#7 padding, each
 *   message encrypted alone from the same IV.
 *
 * @example
 * ```ts
 * import { FtAesEcbCipher } from "./crypto.ts";
 * const cipher = new FtAesEcbCipher("0123456789abcdef");
 * const wire = cipher.encrypt(new Uint8Array([1, 2, 3]));
 * ```
 *
 * @module
 */
import {
  constants,
  createCipheriv,
  createDecipheriv,
  createHash,
  createPrivateKey,
  createPublicKey,
  type KeyObject,
  privateDecrypt,
  publicEncrypt,
} from "node:crypto";

/** A body that failed to decrypt. */
export class DecryptError extends Error {
  override name = "DecryptError";
}

/** SHA-1 digest (20 bytes). */
export function sha1(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash("sha1").update(bytes).digest());
}

/** True when two byte arrays are equal (SHA-1 digests: not secret, so not constant-time). */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Lower-case hex MD5 of a UTF-8 string, as `Trd_UnlockTrade.pwdMD5` expects. */
export function md5Hex(text: string): string {
  return createHash("md5").update(text, "utf8").digest("hex");
}

/** Encrypts and decrypts message bodies after InitConnect. */
export interface BodyCipher {
  /** Name for logs: "none", "ftaes-ecb", "aes-cbc". */
  readonly name: string;
  encrypt(plain: Uint8Array): Uint8Array;
  decrypt(wire: Uint8Array): Uint8Array;
}

/** No encryption. */
export const PLAIN: BodyCipher = {
  name: "none",
  encrypt: (plain) => plain,
  decrypt: (wire) => wire,
};

function aesKey(key: string, what: string): Uint8Array {
  const bytes = new TextEncoder().encode(key);
  if (bytes.length !== 16) throw new Error(`${what} must be 16 bytes, got ${bytes.length}`);
  return bytes;
}

function concat(parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Futu's ECB variant (`PacketEncAlgo_FTAES_ECB = 0`). */
export class FtAesEcbCipher implements BodyCipher {
  readonly name = "ftaes-ecb";
  readonly #key: Uint8Array;

  constructor(connAESKey: string) {
    this.#key = aesKey(connAESKey, "connAESKey");
  }

  encrypt(plain: Uint8Array): Uint8Array {
    const mod = plain.length % 16;
    const padded = new Uint8Array(plain.length + (mod === 0 ? 0 : 16 - mod));
    padded.set(plain);
    const cipher = createCipheriv("aes-128-ecb", this.#key, null).setAutoPadding(false);
    const body = concat([cipher.update(padded), cipher.final()]);
    const out = new Uint8Array(body.length + 16);
    out.set(body);
    out[out.length - 1] = mod;
    return out;
  }

  decrypt(wire: Uint8Array): Uint8Array {
    if (wire.length < 16 || wire.length % 16 !== 0) {
      throw new DecryptError(`FTAES-ECB body length ${wire.length} is not a positive multiple of 16`);
    }
    const mod = wire[wire.length - 1];
    if (mod > 15) throw new DecryptError(`FTAES-ECB tail block declares remainder ${mod}`);
    const decipher = createDecipheriv("aes-128-ecb", this.#key, null).setAutoPadding(false);
    const plain = concat([decipher.update(wire.subarray(0, wire.length - 16)), decipher.final()]);
    if (mod === 0) return plain;
    if (plain.length < 16) throw new DecryptError("FTAES-ECB body has a remainder but no data block");
    return plain.subarray(0, plain.length - (16 - mod));
  }
}

/** AES-128-CBC with PKCS#7 (`PacketEncAlgo_AES_CBC = 2`), each message from the same IV. */
export class AesCbcCipher implements BodyCipher {
  readonly name = "aes-cbc";
  readonly #key: Uint8Array;
  readonly #iv: Uint8Array;

  constructor(connAESKey: string, aesCBCiv: string) {
    this.#key = aesKey(connAESKey, "connAESKey");
    this.#iv = aesKey(aesCBCiv, "aesCBCiv");
  }

  encrypt(plain: Uint8Array): Uint8Array {
    const cipher = createCipheriv("aes-128-cbc", this.#key, this.#iv);
    return concat([cipher.update(plain), cipher.final()]);
  }

  decrypt(wire: Uint8Array): Uint8Array {
    try {
      const decipher = createDecipheriv("aes-128-cbc", this.#key, this.#iv);
      return concat([decipher.update(wire), decipher.final()]);
    } catch (err) {
      throw new DecryptError(`AES-CBC decryption failed: ${(err as Error).message}`);
    }
  }
}

/** Plaintext bytes per RSA block (the SDK's value, under the 117-byte PKCS#1 maximum). */
const RSA_CHUNK = 100;
/** Ciphertext bytes per RSA block (1024-bit key). */
const RSA_BLOCK = 128;

/**
 * OpenD's RSA key: a PKCS#1 (or PKCS#8) PEM private key with no passphrase,
 * shared by OpenD and its clients. Only 1024-bit keys work with the protocol.
 */
export class RsaKey {
  readonly #private: KeyObject;
  readonly #public: KeyObject;

  private constructor(privateKey: KeyObject) {
    this.#private = privateKey;
    this.#public = createPublicKey(privateKey);
  }

  /** Parses a PEM private key; throws an error naming the problem when it is unusable. */
  static fromPem(pem: string): RsaKey {
    let key: KeyObject;
    try {
      key = createPrivateKey(pem);
    } catch (err) {
      throw new Error(`RSA key is invalid: ${(err as Error).message}`);
    }
    if (key.asymmetricKeyType !== "rsa") {
      throw new Error(`RSA key is invalid: found a ${key.asymmetricKeyType} key`);
    }
    const bits = key.asymmetricKeyDetails?.modulusLength;
    if (bits !== 1024) {
      throw new Error(`RSA key must be 1024 bits (OpenD encrypts 128-byte blocks), got ${bits}`);
    }
    return new RsaKey(key);
  }

  /** Encrypts in 100-byte chunks, each into one 128-byte block. */
  encrypt(plain: Uint8Array): Uint8Array {
    const blocks: Uint8Array[] = [];
    let at = 0;
    do {
      const chunk = plain.subarray(at, at + RSA_CHUNK);
      blocks.push(publicEncrypt({ key: this.#public, padding: constants.RSA_PKCS1_PADDING }, chunk));
      at += RSA_CHUNK;
    } while (at < plain.length);
    return concat(blocks);
  }

  /**
   * Decrypts 128-byte blocks. The PKCS#1 v1.5 padding is removed here rather
   * than by the runtime: Node refuses PKCS#1 v1.5 decryption since CVE-2023-46809.
   */
  decrypt(wire: Uint8Array): Uint8Array {
    if (wire.length === 0 || wire.length % RSA_BLOCK !== 0) {
      throw new DecryptError(`RSA body length ${wire.length} is not a positive multiple of ${RSA_BLOCK}`);
    }
    const parts: Uint8Array[] = [];
    for (let at = 0; at < wire.length; at += RSA_BLOCK) {
      let block: Uint8Array;
      try {
        block = privateDecrypt(
          { key: this.#private, padding: constants.RSA_NO_PADDING },
          wire.subarray(at, at + RSA_BLOCK),
        );
      } catch (err) {
        throw new DecryptError(`RSA decryption failed: ${(err as Error).message}`);
      }
      parts.push(stripPkcs1Type2(block));
    }
    return concat(parts);
  }
}

function stripPkcs1Type2(block: Uint8Array): Uint8Array {
  // 00 02 <at least 8 non-zero padding bytes> 00 <message>
  if (block[0] !== 0x00 || block[1] !== 0x02) throw new DecryptError("RSA block has no PKCS#1 v1.5 header");
  const separator = block.indexOf(0, 2);
  if (separator < 10) throw new DecryptError("RSA block has malformed PKCS#1 v1.5 padding");
  return block.subarray(separator + 1);
}
