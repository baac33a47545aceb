/**
 * Frame decoding throughput: the streaming parser on coalesced and on
 * fragmented input, and the full decode of a GetBasicQot reply body.
 *
 *   deno task bench
 */
import { encodeFrame, FrameParser } from "../src/gateway/frame.ts";
import { decodeResponse, encodeResponse } from "../src/gateway/proto/codec.ts";
import { ManualClock } from "../src/sim/clock.ts";
import { securityBySymbol } from "../src/sim/catalog.ts";
import { MarketData } from "../src/sim/market.ts";
import { basicQotOf } from "../src/sim/wire.ts";

const market = new MarketData(42, new ManualClock(Date.parse("2026-11-26T02:30:00Z")));
const body = encodeResponse("Qot_GetBasicQot", {
  retType: 0,
  s2c: { basicQotList: [basicQotOf(market, securityBySymbol("HK.00700")!)] },
});
const FRAMES = 1000;
const frame = encodeFrame({ protoId: 3004, serialNo: 1, body });
const stream = new Uint8Array(frame.length * FRAMES);
for (let i = 0; i < FRAMES; i++) stream.set(frame, i * frame.length);
const MB = stream.length / 1e6;
console.log(`frame: ${frame.length} bytes (body ${body.length}); stream of ${FRAMES} frames = ${MB.toFixed(2)} MB`);

Deno.bench(`parse ${FRAMES} coalesced frames (one 64 KiB read at a time)`, { group: "parse", baseline: true }, () => {
  const parser = new FrameParser();
  let count = 0;
  for (let at = 0; at < stream.length; at += 65536) count += parser.push(stream.subarray(at, at + 65536)).length;
  if (count !== FRAMES) throw new Error(`parsed ${count}`);
});

Deno.bench(`parse ${FRAMES} frames fed in 100-byte pieces`, { group: "parse" }, () => {
  const parser = new FrameParser();
  let count = 0;
  for (let at = 0; at < stream.length; at += 100) count += parser.push(stream.subarray(at, at + 100)).length;
  if (count !== FRAMES) throw new Error(`parsed ${count}`);
});

Deno.bench(`parse + protobuf-decode ${FRAMES} GetBasicQot replies`, { group: "decode" }, () => {
  const parser = new FrameParser();
  let count = 0;
  for (let at = 0; at < stream.length; at += 65536) {
    for (const f of parser.push(stream.subarray(at, at + 65536))) {
      count += decodeResponse("Qot_GetBasicQot", f.body).s2c!.basicQotList!.length;
    }
  }
  if (count !== FRAMES) throw new Error(`decoded ${count}`);
});
