import { assertEquals, assertThrows } from "../helpers/assert.ts";
import { rsaPem } from "../helpers/rsa.ts";
import { AesCbcCipher, DecryptError, FtAesEcbCipher, md5Hex, RsaKey } from "../../src/gateway/crypto.ts";

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
const unhex = (text: string) => Uint8Array.from(text.match(/../g)!, (b) => parseInt(b, 16));
const KEEPALIVE_BODY = unhex("0a060880e2cfaa06");

Deno.test("FTAES-ECB matches the reference vector and round-trips", () => {
  const cipher = new FtAesEcbCipher("0123456789abcdef");
  const wire = cipher.encrypt(KEEPALIVE_BODY);
  assertEquals(hex(wire), "b17b921a52c472c697a86dda79bcf9a8" + "00000000000000000000000000000008");
  assertEquals(hex(cipher.decrypt(wire)), hex(KEEPALIVE_BODY));
});

Deno.test("FTAES-ECB handles lengths that are multiples of 16 and empty bodies", () => {
  const cipher = new FtAesEcbCipher("0123456789abcdef");
  for (const length of [0, 1, 15, 16, 17, 32, 100]) {
    const plain = Uint8Array.from({ length }, (_, i) => i * 7);
    const wire = cipher.encrypt(plain);
    assertEquals(wire.length, Math.ceil(length / 16) * 16 + 16, `length ${length}`);
    assertEquals(hex(cipher.decrypt(wire)), hex(plain));
  }
  const sixteen = cipher.encrypt(new Uint8Array(16));
  assertEquals(hex(sixteen.subarray(16)), "00".repeat(16), "a 16-byte input ends in a zero tail block");
});

Deno.test("FTAES-ECB rejects malformed ciphertext with a typed error", () => {
  const cipher = new FtAesEcbCipher("0123456789abcdef");
  assertThrows(() => cipher.decrypt(new Uint8Array(15)), DecryptError);
  const bad = new Uint8Array(32);
  bad[31] = 99;
  assertThrows(() => cipher.decrypt(bad), DecryptError, "remainder 99");
});

Deno.test("AES-CBC matches the reference vector, restarts from the IV for every message", () => {
  const cipher = new AesCbcCipher("0123456789abcdef", "fedcba9876543210");
  assertEquals(hex(cipher.encrypt(KEEPALIVE_BODY)), "4bc11368bce415e70d42bcceebbc6aaf");
  assertEquals(hex(cipher.encrypt(KEEPALIVE_BODY)), "4bc11368bce415e70d42bcceebbc6aaf");
  assertEquals(cipher.encrypt(new Uint8Array(16)).length, 32);
  assertEquals(hex(cipher.decrypt(unhex("4bc11368bce415e70d42bcceebbc6aaf"))), hex(KEEPALIVE_BODY));
  assertThrows(() => cipher.decrypt(new Uint8Array(16)), DecryptError);
});

Deno.test("RSA encrypts in 100-byte chunks of 128-byte blocks and decrypts them", () => {
  const key = RsaKey.fromPem(rsaPem());
  const plain = Uint8Array.from({ length: 250 }, (_, i) => i % 251);
  const wire = key.encrypt(plain);
  assertEquals(wire.length, 384);
  assertEquals(hex(key.decrypt(wire)), hex(plain));
  assertEquals(key.encrypt(new Uint8Array(100)).length, 128);
  assertEquals(key.encrypt(new Uint8Array(101)).length, 256);
  assertThrows(() => key.decrypt(wire.subarray(0, 100)), DecryptError);
  assertThrows(() => RsaKey.fromPem(rsaPem()).decrypt(wire), DecryptError, "RSA");
});

Deno.test("RSA keys that OpenD cannot use are refused with the reason", () => {
  assertThrows(() => RsaKey.fromPem("not a key"), Error, "RSA key is invalid");
  assertThrows(() => RsaKey.fromPem(rsaPem(2048)), Error, "must be 1024 bits");
});

Deno.test("md5Hex gives the lower-case hex digest OpenD expects in pwdMD5", () => {
  assertEquals(md5Hex("123456"), "e10adc3949ba59abbe56e057f20f883e");
});
