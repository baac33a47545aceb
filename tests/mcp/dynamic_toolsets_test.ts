/**
 * --dynamic-toolsets: a session starts with its toolsets and the discovery tools, enables others on
 * request (tools/list changes and the client is told), and one session's choice is not another's.
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { connectHttp, dataOf, errorOf, spawnStdio, startHttpApp } from "../helpers/mcp.ts";
import { ToolListChangedNotificationSchema } from "../../src/mcp/sdk.ts";
import { selectTools } from "../../src/tools/inventory.ts";

const DISCOVERY = ["futu_list_toolsets", "futu_get_toolset_tools", "futu_enable_toolset"];

Deno.test("dynamic toolsets over stdio: discover, enable, tools/list_changed, then the tool works", async () => {
  await using mcp = await spawnStdio(["--gateway", "sim", "--dynamic-toolsets", "--toolsets", "quote"]);
  const { client } = mcp;
  const changed = Promise.withResolvers<void>();
  client.setNotificationHandler(ToolListChangedNotificationSchema, () => changed.resolve());
  assertEquals(client.getServerCapabilities()?.tools?.listChanged, true);

  const names = async () => (await client.listTools()).tools.map((t) => t.name);
  const quote = selectTools({ toolsets: ["quote"] }).map((t) => t.name);
  assertEquals(await names(), [...DISCOVERY, ...quote], "the discovery tools and the starting toolset only");

  const listed = dataOf<{ toolsets: { name: string; tools: number; enabled: boolean }[] }>(
    await client.callTool({ name: "futu_list_toolsets", arguments: {} }),
  );
  const push = listed.toolsets.find((t) => t.name === "push")!;
  assertEquals([push.tools, push.enabled], [2, false]);
  assertEquals(listed.toolsets.find((t) => t.name === "quote")!.enabled, true);

  const before = errorOf(await client.callTool({ name: "futu_watch_quotes", arguments: { symbols: ["HK.00700"] } }));
  assertEquals(before.code, "unknown_tool");
  assert(before.error.includes('toolset "push"') && before.error.includes("futu_enable_toolset"), before.error);

  const described = dataOf<{ tools: { name: string }[]; enabled: boolean }>(
    await client.callTool({ name: "futu_get_toolset_tools", arguments: { toolset: "push" } }),
  );
  assertEquals(described.tools.map((t) => t.name), ["futu_watch_quotes", "futu_watch_orders"]);
  assertEquals(described.enabled, false);

  const enabled = dataOf<{ added: boolean; tools: string[] }>(
    await client.callTool({ name: "futu_enable_toolset", arguments: { toolset: "push" } }),
  );
  assertEquals(enabled.added, true);
  await changed.promise;
  assert((await names()).includes("futu_watch_quotes"));
  const watched = dataOf<{ pairs: string[] }>(
    await client.callTool({ name: "futu_watch_quotes", arguments: { symbols: ["HK.00700"] } }),
  );
  assert(watched.pairs.some((pair) => pair.startsWith("HK.00700")), JSON.stringify(watched));
  const again = dataOf<{ added: boolean }>(
    await client.callTool({ name: "futu_enable_toolset", arguments: { toolset: "push" } }),
  );
  assertEquals(again.added, false, "enabling twice changes nothing");

  const bad = errorOf(await client.callTool({ name: "futu_enable_toolset", arguments: { toolset: "bonds" } }));
  assertEquals(bad.code, "invalid_arguments");
  assert(bad.error.includes('got "bonds"') && bad.error.includes("push"), bad.error);
  const extra = errorOf(await client.callTool({ name: "futu_list_toolsets", arguments: { colour: "red" } }));
  assert(extra.error.includes('unknown field "colour"'), extra.error);
});

Deno.test("dynamic toolsets over HTTP: each session enables its own", async () => {
  await using app = await startHttpApp(["--gateway", "sim", "--dynamic-toolsets"]);
  await using a = await connectHttp(app.url);
  await using b = await connectHttp(app.url);
  await a.callTool({ name: "futu_enable_toolset", arguments: { toolset: "push" } });
  const names = async (client: typeof a) => (await client.listTools()).tools.map((t) => t.name);
  assert((await names(a)).includes("futu_watch_orders"));
  assert(!(await names(b)).includes("futu_watch_orders"), "the other session's list is unchanged");
  assertEquals(
    errorOf(await b.callTool({ name: "futu_watch_orders", arguments: {} })).code,
    "unknown_tool",
  );
});

Deno.test("without --dynamic-toolsets there are no discovery tools and the list never changes", async () => {
  await using mcp = await spawnStdio(["--gateway", "sim"]);
  const { tools } = await mcp.client.listTools();
  assert(!tools.some((t) => DISCOVERY.includes(t.name)));
  assertEquals(mcp.client.getServerCapabilities()?.tools?.listChanged, false);
  assertEquals(
    errorOf(await mcp.client.callTool({ name: "futu_list_toolsets", arguments: {} })).code,
    "unknown_tool",
  );
});
