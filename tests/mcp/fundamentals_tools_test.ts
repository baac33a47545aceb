/**
 * The research toolset through a spawned futu-mcp over stdio and the MCP
 * SDK's client: every tool called, each result validated against its listed
 * output schema, the content checked against the simulated market, bad
 * arguments named.
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { spawnValidated } from "../helpers/mcp.ts";
import { FUNDAMENTAL_TOOLS } from "../../src/tools/fundamentals.ts";

type Table = { columns: string[]; rows: (string | number | boolean | null)[][] };
const SIM = ["--gateway", "sim", "--sim-clock", "2026-11-26T10:30:00+08:00"];

Deno.test("research tools over stdio: every tool, valid results, bad arguments named", async () => {
  await using mcp = await spawnValidated([...SIM, "--toolsets", "research,quote"]);
  const { tools, call, failure, called } = mcp;
  const names = new Set(tools.map((t) => t.name));
  for (const tool of FUNDAMENTAL_TOOLS) assert(names.has(tool.name), `${tool.name} listed`);

  const profile = await call<{ symbol: string; item_list: Table }>("futu_get_company", { symbol: "US.AAPL" });
  assertEquals(profile.symbol, "US.AAPL");
  assert(profile.item_list.rows.length > 0);
  const execs = await call<{ director_list: Table }>("futu_get_company", { symbol: "US.AAPL", view: "executives" });
  const leader = execs.director_list.rows[0][execs.director_list.columns.indexOf("leader_name")] as string;
  const background = await call<{ brief_background: string }>("futu_get_company", {
    symbol: "US.AAPL",
    view: "executive_background",
    executive: leader,
  });
  assert(background.brief_background.length > 0);
  await call("futu_get_company", { symbol: "HK.00700", view: "efficiency" });

  const missing = await failure("futu_get_company", { symbol: "US.AAPL", view: "executive_background" });
  assert(missing.error.includes("executive"), missing.error);
  const unknown = await failure("futu_get_company", { symbol: "US.NOPE" });
  assert(unknown.error.includes("NOPE"), unknown.error);

  for (const tool of FUNDAMENTAL_TOOLS) assert(called.has(tool.name), `${tool.name} called`);
});
