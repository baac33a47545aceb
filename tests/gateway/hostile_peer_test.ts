/**
 * A peer that sends malformed frames cannot crash the client, make it allocate
 * a huge buffer, or poison later requests.
 */
import { assert, assertEquals, assertRejects } from "../helpers/assert.ts";
import { connect, eventually, PAPER_HK, startSim } from "../helpers/sim.ts";
import { GatewayProtocolError, OpenDClient, TradeOutcomeUnknownError } from "../../src/gateway/mod.ts";
import { encodeFrame } from "../../src/gateway/frame.ts";
import { encodeResponse } from "../../src/gateway/proto/codec.ts";

Deno.test("a reply failing the SHA-1 check fails its request; the link stays up", async () => {
  await using sim = await startSim();
  const warnings: string[] = [];
  await using gateway = await connect(sim, { onWarning: (w) => warnings.push(w) });
  const connId = gateway.client.connection!.connId;
  sim.faults.corruptNextFrame("sha1");
  await assertRejects(() => gateway.system.getGlobalState(), GatewayProtocolError, "SHA-1");
  assertEquals((await gateway.system.getGlobalState()).qotLogined, true);
  assertEquals(gateway.client.connection!.connId, connId, "no reconnect was needed");
});

Deno.test("an undecodable reply to a trade write is outcome unknown, not a failure", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  sim.faults.corruptNextFrame("body");
  await assertRejects(
    () =>
      gateway.trade.placeOrder(PAPER_HK, {
        symbol: "HK.00700",
        side: "BUY",
        orderType: "NORMAL",
        qty: 100,
        price: 400,
      }),
    TradeOutcomeUnknownError,
  );
  assertEquals((await gateway.trade.getOrders(PAPER_HK)).length, 1, "the order was placed once");
});

Deno.test("a bad magic or an oversized length closes the link; the client reconnects", async () => {
  for (const kind of ["magic", "oversize"] as const) {
    await using sim = await startSim();
    await using gateway = await connect(sim, { maxBodyLength: 1 << 20 });
    const first = gateway.client.connection!.connId;
    sim.faults.corruptNextFrame(kind);
    await assertRejects(() => gateway.system.getGlobalState(), Error);
    await eventually(() => gateway.client.state === "ready" && gateway.client.connection?.connId !== first);
    assertEquals((await gateway.system.getGlobalState()).qotLogined, true, kind);
  }
});

/** A fake OpenD that answers InitConnect, then writes `payload` to the client. */
function hostileServer(payload: (serialNo: number) => Uint8Array) {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const done = (async () => {
    const conn = await listener.accept();
    const header = new Uint8Array(44);
    let got = 0;
    while (got < 44) got += (await conn.read(header.subarray(got))) ?? 0;
    const view = new DataView(header.buffer);
    const serial = view.getUint32(8, true);
    const rest = new Uint8Array(view.getUint32(12, true));
    got = 0;
    while (got < rest.length) got += (await conn.read(rest.subarray(got))) ?? 0;
    const init = encodeResponse("InitConnect", {
      retType: 0,
      s2c: { serverVer: 1, loginUserID: "1", connID: "99", connAESKey: "0123456789abcdef", keepAliveInterval: 10 },
    });
    await conn.write(encodeFrame({ protoId: 1001, serialNo: serial, body: init }));
    await conn.write(payload(serial + 1));
    // Keep the link open until the client closes it (it refuses the payload, or the test is done).
    const sink = new Uint8Array(1024);
    try {
      while ((await conn.read(sink)) !== null) { /* discard what the client sends (KeepAlives) */ }
    } catch { /* reset by the client */ }
    conn.close();
  })();
  return { port: (listener.addr as Deno.NetAddr).port, done, close: () => listener.close() };
}

Deno.test("a 4 GiB length announced by a hostile peer is refused without allocating it", async () => {
  const server = hostileServer(() => {
    const frame = encodeFrame({ protoId: 1004, serialNo: 1, body: new Uint8Array(0) });
    new DataView(frame.buffer).setUint32(12, 0xffff_ffff, true);
    return frame;
  });
  const err = await assertRejects(
    () => OpenDClient.connect({ gateway: `127.0.0.1:${server.port}`, reconnect: false }),
    Error,
    "exceeds the limit",
  );
  assert(err.message.includes("4294967295"));
  await server.done;
  server.close();
});

Deno.test("garbage bytes, unknown protoIDs and unmatched replies are dropped with a warning", async () => {
  const warnings: string[] = [];
  const server = hostileServer(() => {
    const unknown = encodeFrame({ protoId: 4242, serialNo: 5, body: new Uint8Array([8, 0]) });
    const unmatched = encodeFrame({
      protoId: 1002,
      serialNo: 777,
      body: encodeResponse("KeepAlive", { retType: 0, s2c: { time: "1" } }),
    });
    const badPush = encodeFrame({ protoId: 3005, serialNo: 6, body: new Uint8Array([0xff, 0xff, 0xff]) });
    const out = new Uint8Array(unknown.length + unmatched.length + badPush.length);
    out.set(unknown);
    out.set(unmatched, unknown.length);
    out.set(badPush, unknown.length + unmatched.length);
    return out;
  });
  const client = await OpenDClient.connect({
    gateway: `127.0.0.1:${server.port}`,
    reconnect: false,
    onWarning: (w) => warnings.push(w),
  });
  await eventually(() => warnings.length >= 3, 2000, "three warnings");
  assert(warnings.some((w) => w.includes("unknown protoID 4242")));
  assert(warnings.some((w) => w.includes("serial 777")));
  assert(warnings.some((w) => w.includes("Qot_UpdateBasicQot")));
  assertEquals(client.state, "ready", "nothing here justifies dropping the link");
  await client.close();
  await server.done;
  server.close();
});
