import { assertEquals, assertThrows } from "../helpers/assert.ts";
import { generate } from "../../scripts/gen_proto.ts";
import {
  decodeResponse,
  encodeRequest,
  encodeResponse,
  ProtoCodecError,
  protocolById,
  protoIdOf,
} from "../../src/gateway/proto/codec.ts";

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

Deno.test("the committed schema is exactly what the generator makes from the pinned futu-api package", () => {
  const files = generate();
  for (const [name, text] of Object.entries(files)) {
    const committed = Deno.readTextFileSync(new URL(`../../src/gateway/proto/${name}`, import.meta.url));
    assertEquals(committed === text, true, `src/gateway/proto/${name} is stale: run deno task gen:proto`);
  }
});

Deno.test("request bodies match the reference vectors", () => {
  assertEquals(hex(encodeRequest("KeepAlive", { time: "1700000000" })), "0a060880e2cfaa06");
  const init = encodeRequest("InitConnect", {
    clientVer: 300,
    clientID: "PyNormal",
    recvNotify: true,
    packetEncAlgo: -1,
    pushProtoFmt: 0,
    programmingLanguage: "Python",
  });
  assertEquals(hex(init), "0a2408ac02120850794e6f726d616c180120ffffffffffffffffff0128003206507974686f6e");
});

Deno.test("response envelopes match the reference vectors and decode back", () => {
  const ok = encodeResponse("KeepAlive", { retType: 0, s2c: { time: "1700000000" } });
  assertEquals(hex(ok), "080022060880e2cfaa06");
  assertEquals(decodeResponse("KeepAlive", ok), { retType: 0, s2c: { time: "1700000000" } });
  const error = encodeResponse("KeepAlive", { retType: -1, retMsg: "x" });
  assertEquals(hex(error), "08ffffffffffffffffff01120178");
  assertEquals(decodeResponse("KeepAlive", error), { retType: -1, retMsg: "x" });
});

Deno.test("64-bit ids survive encoding at full precision", () => {
  const ids = ["18446744073709551615", "9007199254740993", "281756479345015383", "0"];
  const body = encodeResponse("Trd_GetAccList", {
    retType: 0,
    s2c: { accList: ids.map((accID) => ({ trdEnv: 1, accID, trdMarketAuthList: [1] })) },
  });
  const decoded = decodeResponse("Trd_GetAccList", body);
  assertEquals(decoded.s2c!.accList!.map((a) => a.accID), ids);
});

Deno.test("a message missing a proto2 required field is refused, naming the field", () => {
  assertThrows(
    () => encodeResponse("KeepAlive", { retType: 0, s2c: {} as never }),
    ProtoCodecError,
    "missing required field s2c.time",
  );
  assertThrows(
    () =>
      encodeResponse("Trd_GetAccList", {
        retType: 0,
        s2c: { accList: [{ trdEnv: 1, trdMarketAuthList: [] } as never] },
      }),
    ProtoCodecError,
    "s2c.accList[0].accID",
  );
  assertThrows(() => decodeResponse("KeepAlive", new Uint8Array([0x22, 0x00])), ProtoCodecError, "time");
  assertThrows(() => decodeResponse("KeepAlive", new Uint8Array([0x08])), ProtoCodecError);
});

Deno.test("protoIDs come from the package's table", () => {
  assertEquals(protoIdOf("InitConnect"), 1001);
  assertEquals(protoIdOf("Qot_GetBasicQot"), 3004);
  assertEquals(protoIdOf("Trd_PlaceOrder"), 2202);
  assertEquals(protocolById(2218), "Trd_UpdateOrderFill");
  assertEquals(protocolById(9999), undefined);
});
