/**
 * MCP logging: tool-call events as log messages at their levels, `logging/setLevel` honoured per session, no
 * secret in any message, and pushes (which the session asked for) delivered whatever the level.
 *
 * @module
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { dataOf, errorOf, spawnStdio } from "../helpers/mcp.ts";
import { LoggingMessageNotificationSchema } from "../../src/mcp/sdk.ts";
import { tempDir } from "../helpers/tmp.ts";
import { generateKey, writeKeysFile } from "../../src/access/keys.ts";

type Message = { level: string; logger?: string; data?: unknown };

Deno.test("logging: failures warn, trade writes are notices, reads are debug; setLevel filters; pushes pass", async () => {
  const dir = await tempDir("logging");
  const key = generateKey({ id: "agent", scopes: ["qot:read", "acc:read", "trade:simulate"] });
  await writeKeysFile(`${dir}/keys.json`, [key.record]);
  await using mcp = await spawnStdio(
    ["--gateway", "sim", "--keys-file", `${dir}/keys.json`, "--toolsets", "quote,trade,push"],
    { FUTU_MCP_API_KEY: key.plaintext },
  );
  const messages: Message[] = [];
  mcp.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
    messages.push(n.params as Message);
  });
  const call = (name: string, args: Record<string, unknown> = {}) => mcp.client.callTool({ name, arguments: args });
  // Responses follow the messages sent before them on the same stream: after a call, its message has arrived.
  const drain = () => messages.splice(0);
  const own = () => drain().filter((m) => m.logger === "futu-mcp");

  drain();
  dataOf(await call("futu_get_quote", { symbol: "HK.00700" }));
  assertEquals(own(), [], "reads log at debug, below the default level");
  const forged = "fc_" + "ab".repeat(32);
  errorOf(await call("futu_get_quote", { symbol: "HK.00700", api_key: forged }));
  const seen = JSON.stringify(messages);
  const [refusal] = own();
  assertEquals(refusal.level, "warning");
  assert(String(refusal.data).startsWith("futu_get_quote failed (unauthorized)"), String(refusal.data));
  assert(!seen.includes(forged) && !seen.includes(key.plaintext), "no key in any log message");
  dataOf(await call("futu_place_order", { symbol: "HK.00700", side: "BUY", qty: 100, price: 300 }));
  const [write] = own();
  assertEquals([write.level, /^futu_place_order ok in \d+ ms$/.test(String(write.data))], ["notice", true]);

  await mcp.client.setLoggingLevel("debug");
  dataOf(await call("futu_get_quote", { symbol: "HK.00700" }));
  const [read] = own();
  assertEquals(read.level, "debug");
  assert(/^futu_get_quote ok in \d+ ms$/.test(String(read.data)), String(read.data));

  await mcp.client.setLoggingLevel("error");
  errorOf(await call("futu_get_quote", { symbol: "00700" }));
  dataOf(await call("futu_place_order", { symbol: "HK.00700", side: "BUY", qty: 100, price: 300 }));
  assertEquals(own(), [], "warnings and notices are below error");
  // Pushes are what the session subscribed to, not the server's log: the level does not drop them.
  const pushed = new Promise<Message>((resolve) => {
    mcp.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
      if ((n.params as Message).logger === "futu_push") resolve(n.params as Message);
    });
  });
  dataOf(await call("futu_watch_quotes", { symbols: ["HK.00700"] }));
  const push = await pushed;
  assertEquals((push.data as { type: string; symbol: string }).symbol, "HK.00700");
});
