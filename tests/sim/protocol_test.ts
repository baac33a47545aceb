/** The simulator's protocol rules, checked over raw frames on real TCP. */
import { assert, assertEquals, assertRejects } from "../helpers/assert.ts";
import { connect, eventually, PAPER_HK, startSim } from "../helpers/sim.ts";
import { RawClient, type RawReply } from "../helpers/raw.ts";
import { encodeFrame } from "../../src/gateway/frame.ts";
import { OpenDError } from "../../src/gateway/mod.ts";

const PLACE = (connID: string, serialNo: number) => ({
  packetID: { connID, serialNo },
  header: { trdEnv: 0, accID: PAPER_HK.accId, trdMarket: 1 },
  trdSide: 1,
  orderType: 1,
  code: "00700",
  qty: 100,
  price: 400,
  secMarket: 1,
});

Deno.test("anything before InitConnect is refused and the connection closed", async () => {
  await using sim = await startSim();
  using raw = await RawClient.open(sim.port);
  await raw.send("GetGlobalState", { userID: "0" }, 5);
  const reply = await raw.next();
  assertEquals([reply.protoId, reply.serialNo, reply.envelope.retType], [1002, 5, -1]);
  assert(String(reply.envelope.retMsg).includes("InitConnect must be the first request"));
  assert(await raw.closedWithin(1000));
});

Deno.test("replies echo the request's protoID and serial; errors carry retType and retMsg", async () => {
  await using sim = await startSim();
  using raw = await RawClient.open(sim.port);
  await raw.init(7);
  assert(BigInt(raw.connId) > 0n);
  await raw.send("KeepAlive", { time: "1" }, 4_000_000_000);
  const ok = await raw.next();
  assertEquals([ok.protoId, ok.serialNo, ok.envelope.retType], [1004, 4_000_000_000, 0]);
  await raw.send("Qot_GetBasicQot", { securityList: [{ market: 1, code: "00700" }] }, 9);
  const refused = await raw.next();
  assertEquals([refused.protoId, refused.serialNo, refused.envelope.retType], [3004, 9, -1]);
  assert(String(refused.envelope.retMsg).includes("not subscribed"));
});

Deno.test("bad digests, unknown protoIDs and JSON bodies get an error reply and the link stays up", async () => {
  await using sim = await startSim();
  using raw = await RawClient.open(sim.port);
  await raw.init();
  await raw.sendWithBadDigest("KeepAlive", { time: "1" }, 2);
  assert(String((await raw.next()).envelope.retMsg).includes("SHA-1"));
  await raw.sendFrame(encodeFrame({ protoId: 4242, serialNo: 3, body: new Uint8Array([10, 0]) }));
  const unknown = await raw.next();
  assertEquals([unknown.protoId, unknown.serialNo], [4242, 3]);
  assert(String(unknown.envelope.retMsg).includes("Unsupported protoID 4242"));
  await raw.sendFrame(
    encodeFrame({ protoId: 1004, serialNo: 4, body: new TextEncoder().encode('{"c2s":{}}'), format: 1 }),
  );
  assert(String((await raw.next()).envelope.retMsg).includes("Only protobuf"));
  await raw.sendFrame(encodeFrame({ protoId: 1004, serialNo: 5, body: new Uint8Array([0xff, 0xff]) }));
  assert(String((await raw.next()).envelope.retMsg).includes("Invalid KeepAlive request"));
  await raw.send("KeepAlive", { time: "1" }, 6);
  assertEquals((await raw.next()).envelope.retType, 0);
});

Deno.test("a connection without KeepAlive is closed after the idle timeout", async () => {
  await using sim = await startSim({ idleTimeoutMs: 300 });
  using raw = await RawClient.open(sim.port);
  await raw.init();
  const started = Date.now();
  assert(await raw.closedWithin(2000));
  assert(Date.now() - started >= 250);
});

// Without OpenD's rate limits: back-to-back Trd_PlaceOrder requests (under 20 ms apart) are not what these test.
Deno.test("PacketID anti-replay: a repeated or lower serial is dropped without a reply", async () => {
  await using sim = await startSim({ rateLimits: false });
  using raw = await RawClient.open(sim.port);
  await raw.init();
  await raw.send("Trd_PlaceOrder", PLACE(raw.connId, 10), 10);
  assertEquals((await raw.next()).envelope.retType, 0);
  // The simulator answers a link's requests in order: if the next frame answers a KeepAlive sent after the
  // replay, the replay got no reply.
  const nothingBefore = async (serialNo: number) => {
    await raw.send("KeepAlive", { time: "1" }, serialNo);
    const next = await raw.next();
    assertEquals([next.protoId, next.serialNo], [1004, serialNo], "the replay was answered");
  };
  await raw.send("Trd_PlaceOrder", PLACE(raw.connId, 10), 10);
  await nothingBefore(100);
  await raw.send("Trd_PlaceOrder", PLACE(raw.connId, 9), 9);
  await nothingBefore(101);
  await assertRejects(() => raw.next(100), Error, "no frame within the timeout");
  await raw.send("Trd_PlaceOrder", PLACE(raw.connId, 11), 11);
  assertEquals((await raw.next()).envelope.retType, 0);
  await using gateway = await connect(sim);
  assertEquals((await gateway.trade.getOrders(PAPER_HK)).length, 2, "replays placed nothing");
});

Deno.test("PacketID checks with the error policy: replay, foreign connID, serial mismatch", async () => {
  await using sim = await startSim({ replayPolicy: "error", rateLimits: false });
  using raw = await RawClient.open(sim.port);
  await raw.init();
  await raw.send("Trd_PlaceOrder", PLACE(raw.connId, 10), 10);
  assertEquals((await raw.next()).envelope.retType, 0);
  await raw.send("Trd_PlaceOrder", PLACE(raw.connId, 10), 10);
  assert(String((await raw.next()).envelope.retMsg).includes("Replayed PacketID"));
  await raw.send("Trd_PlaceOrder", PLACE("12345", 20), 20);
  assert(String((await raw.next()).envelope.retMsg).includes("does not belong to this connection"));
  await raw.send("Trd_PlaceOrder", PLACE(raw.connId, 30), 31);
  assert(String((await raw.next()).envelope.retMsg).includes("differs from the packet header"));
});

Deno.test("system notifications reach connections that asked for them", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const notes: string[] = [];
  gateway.system.onNotify((n) => notes.push(`${n.type}:${n.event ?? ""}`));
  sim.notify("KickedOut");
  await eventually(() => notes.length === 1);
  assertEquals(notes, ["GtwEvent:KickedOut"]);
});

Deno.test("rate limits: the 16th order within 30 s is refused with OpenD's reason", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  for (let i = 0; i < 15; i++) {
    await gateway.trade.placeOrder(PAPER_HK, {
      symbol: "HK.00700",
      side: "BUY",
      orderType: "NORMAL",
      qty: 100,
      price: 380,
    });
  }
  await assertRejects(
    () =>
      gateway.trade.placeOrder(PAPER_HK, {
        symbol: "HK.00700",
        side: "BUY",
        orderType: "NORMAL",
        qty: 100,
        price: 380,
      }),
    OpenDError,
    "limited to 15 requests per 30 s",
  );
  // Snapshot: 60 per 30 s.
  for (let i = 0; i < 60; i++) await gateway.quote.getSnapshot(["HK.00700"]);
  await assertRejects(() => gateway.quote.getSnapshot(["HK.00700"]), OpenDError, "Request too frequent");
});

Deno.test("rate limits of the newer protocols: the 11th watchlist-group read within 30 s is refused", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  for (let i = 0; i < 10; i++) await gateway.watchlist.getGroups();
  await assertRejects(() => gateway.watchlist.getGroups(), OpenDError, "limited to 10 requests per 30 s");
  // Another protocol has its own window: capital flow allows 30.
  for (let i = 0; i < 30; i++) await gateway.research.getCapitalDistribution("HK.00700");
  await assertRejects(() => gateway.research.getCapitalDistribution("HK.00700"), OpenDError, "limited to 30");
});

Deno.test("rate limits can be switched off for tests", async () => {
  await using sim = await startSim({ rateLimits: false });
  await using gateway = await connect(sim);
  let answered = 0;
  for (let i = 0; i < 70; i++) answered += (await gateway.quote.getSnapshot(["HK.00700"])).length;
  assertEquals(answered, 70, "the 61st and later snapshots within 30 s are answered too");
});

Deno.test("every frame the simulator sends has a body (the Python SDK waits forever on empty ones)", async () => {
  await using sim = await startSim();
  using raw = await RawClient.open(sim.port);
  await raw.init();
  const frames: RawReply[] = [raw.initReply!];
  const exchange = async (send: () => Promise<void>, expected: number) => {
    await send();
    for (let i = 0; i < expected; i++) frames.push(await raw.next());
  };
  const tencent = { market: 1, code: "00700" };
  // Replies whose S2C is empty (Qot_Sub, Qot_RegQotPush, Trd_UnlockTrade), an error reply, and a push.
  await exchange(() => raw.send("KeepAlive", { time: "1" }, 2), 1);
  await exchange(
    () =>
      raw.send("Qot_Sub", {
        securityList: [tencent],
        subTypeList: [1],
        isSubOrUnSub: true,
        isRegOrUnRegPush: false,
      }, 3),
    1,
  );
  await exchange(
    () => raw.send("Qot_RegQotPush", { securityList: [tencent], subTypeList: [1], isRegOrUnReg: true }, 4),
    2, // the reply, then the first push
  );
  await exchange(() => raw.send("Trd_UnlockTrade", { unlock: false }, 5), 1);
  await exchange(() => raw.send("Qot_GetOrderBook", { security: tencent, num: 5 }, 6), 1);
  const protocols = frames.map((f) => f.protoId).sort((a, b) => a - b);
  assertEquals(protocols, [1001, 1004, 2005, 3001, 3002, 3005, 3012], "InitConnect, replies, an error and a push");
  assertEquals(frames.find((f) => f.protoId === 3012)?.envelope.retType, -1, "an error reply");
  for (const frame of frames) assert(frame.bodyLength > 0, `protoID ${frame.protoId} came with an empty body`);
});
