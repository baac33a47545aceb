import { assert, assertEquals } from "../helpers/assert.ts";
import { encodeFrame, FrameError, FrameParser, HEADER_SIZE } from "../../src/gateway/frame.ts";
import { sha1 } from "../../src/gateway/crypto.ts";
import { encodeRequest } from "../../src/gateway/proto/codec.ts";

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
const unhex = (text: string) => Uint8Array.from(text.replaceAll(" ", "").match(/../g)!, (b) => parseInt(b, 16));

// The reference's test vector: KeepAlive, serial 1, time 1700000000.
const KEEPALIVE_FRAME =
  "4654 ec030000 00 00 01000000 08000000 a574904e7c778af7b84d66bebdfda3c5553a5558 0000000000000000 0a060880e2cfaa06";

Deno.test("encodeFrame reproduces the reference KeepAlive frame byte for byte", () => {
  const body = encodeRequest("KeepAlive", { time: "1700000000" });
  assertEquals(hex(body), "0a060880e2cfaa06");
  assertEquals(hex(encodeFrame({ protoId: 1004, serialNo: 1, body })), KEEPALIVE_FRAME.replaceAll(" ", ""));
});

Deno.test("the header carries the wire length and the plaintext SHA-1 (encrypted vector)", () => {
  const plain = unhex("0a060880e2cfaa06");
  const wire = unhex("b17b921a52c472c697a86dda79bcf9a8" + "00000000000000000000000000000008");
  const frame = encodeFrame({ protoId: 1004, serialNo: 1, body: wire, sha1: sha1(plain) });
  assertEquals(
    hex(frame.subarray(0, HEADER_SIZE)),
    "4654ec03000000000100000020000000a574904e7c778af7b84d66bebdfda3c5553a55580000000000000000",
  );
});

Deno.test("the parser decodes a frame split at every possible byte boundary", () => {
  const bytes = unhex(KEEPALIVE_FRAME);
  for (let cut = 0; cut <= bytes.length; cut++) {
    const parser = new FrameParser();
    const frames = [...parser.push(bytes.subarray(0, cut)), ...parser.push(bytes.subarray(cut))];
    assertEquals(frames.length, 1, `cut at ${cut}`);
    assertEquals(frames[0].protoId, 1004);
    assertEquals(frames[0].serialNo, 1);
    assertEquals(hex(frames[0].body), "0a060880e2cfaa06");
    assertEquals(parser.buffered, 0);
  }
});

Deno.test("the parser decodes coalesced frames fed one byte at a time and all at once", () => {
  const frames = [1, 2, 3].map((serialNo) =>
    encodeFrame({ protoId: 3004, serialNo, body: new TextEncoder().encode(`body-${serialNo}`.repeat(serialNo)) })
  );
  const stream = new Uint8Array(frames.reduce((n, f) => n + f.length, 0));
  let at = 0;
  for (const f of frames) {
    stream.set(f, at);
    at += f.length;
  }
  const whole = new FrameParser().push(stream);
  assertEquals(whole.map((f) => f.serialNo), [1, 2, 3]);
  const parser = new FrameParser();
  const trickled = [];
  for (const byte of stream) trickled.push(...parser.push(new Uint8Array([byte])));
  assertEquals(trickled.map((f) => new TextDecoder().decode(f.body)), ["body-1", "body-2body-2", "body-3body-3body-3"]);
});

Deno.test("a bad magic is rejected at the first wrong byte and the parser stays failed", () => {
  const parser = new FrameParser();
  assertEquals(parser.push(new Uint8Array([0x47])), []);
  assert(parser.error instanceof FrameError);
  assert(parser.error.message.includes("bad frame magic"));
  assertEquals(parser.push(unhex(KEEPALIVE_FRAME)), [], "a failed parser accepts nothing more");
  const http = new FrameParser();
  http.push(new TextEncoder().encode("GET / HTTP/1.1\r\n"));
  assert(http.error?.message.includes("got 47 45"));
});

Deno.test("good frames before the bad bytes are still delivered", () => {
  const parser = new FrameParser();
  const good = unhex(KEEPALIVE_FRAME);
  const stream = new Uint8Array(good.length + 4);
  stream.set(good);
  stream.set([0xde, 0xad, 0xbe, 0xef], good.length);
  const frames = parser.push(stream);
  assertEquals(frames.length, 1);
  assert(parser.error instanceof FrameError);
});

Deno.test("an oversized body length is rejected from the header alone, before any body allocation", () => {
  const parser = new FrameParser({ maxBodyLength: 1024 });
  const header = encodeFrame({ protoId: 3004, serialNo: 7, body: new Uint8Array(0) });
  new DataView(header.buffer).setUint32(12, 0xffff_fff0, true);
  parser.push(header);
  assert(parser.error?.message.includes("exceeds the limit of 1024 bytes"));
  assertEquals(parser.buffered, 0, "nothing of the announced body was buffered");
  // Fed in pieces, the check fires as soon as the 44 header bytes are in.
  const pieces = new FrameParser({ maxBodyLength: 1024 });
  pieces.push(header.subarray(0, 43));
  assertEquals(pieces.buffered, 43);
  assertEquals(pieces.error, undefined);
  pieces.push(header.subarray(43, 44));
  assert(pieces.error?.message.includes("exceeds the limit"));
});

Deno.test("a body exactly at the cap is accepted", () => {
  const body = new Uint8Array(1024).fill(7);
  const [frame] = new FrameParser({ maxBodyLength: 1024 }).push(encodeFrame({ protoId: 1, serialNo: 1, body }));
  assertEquals(frame.body.length, 1024);
  assertEquals(hex(frame.sha1), hex(sha1(body)));
});
