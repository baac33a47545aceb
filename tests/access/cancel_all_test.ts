/**
 * futu_cancel_all_order under the key policy, through the tool guard and a
 * real simulator: its scope comes from the account's environment, it is
 * audited before and after like every trade write, the key's account and
 * market limits refuse it, and the kill switch does not (a halt stops new
 * exposure; cancelling is how one gets out).
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { connect, PAPER_HK, startSim } from "../helpers/sim.ts";
import { dataOf, errorOf } from "../helpers/mcp.ts";
import { tempDir } from "../helpers/tmp.ts";
import { AuditLog } from "../../src/access/audit.ts";
import { generateKey, type KeyLimits, KeyStore } from "../../src/access/keys.ts";
import { KillSwitch } from "../../src/access/kill_switch.ts";
import { LimitEngine } from "../../src/access/limits.ts";
import { KeyAccessControl } from "../../src/access/policy.ts";
import { MemoryUsageStore } from "../../src/state/local.ts";
import { createServices } from "../../src/services/services.ts";
import { ToolGuard } from "../../src/tools/guard.ts";
import { ALL_TOOLS } from "../../src/tools/inventory.ts";
import type { Gateway } from "../../src/gateway/mod.ts";
import type { Scope } from "../../src/tools/scopes.ts";

/**
 * The tool guard over the simulator with the key policy, holding one key at a time: `key()` replaces it with a
 * fresh one of these scopes and limits, and `call` sends that key's plaintext.
 */
function keyGuard(
  sim: Awaited<ReturnType<typeof startSim>>,
  gateway: Gateway,
  options: { id: string; scopes: Scope[]; audit?: AuditLog; killSwitch?: KillSwitch },
) {
  const services = createServices(gateway, {
    passwords: { description: "none", read: () => Promise.resolve(undefined) },
  });
  let store = new KeyStore([]);
  let plaintext = "";
  const guard = new ToolGuard({
    tools: ALL_TOOLS,
    services,
    access: new KeyAccessControl({
      keys: () => store,
      limits: new LimitEngine(new MemoryUsageStore(), { now: () => sim.clock.now() }),
      accounts: services.accounts,
      market: services.market,
      audit: options.audit,
      killSwitch: options.killSwitch ?? new KillSwitch(),
    }),
    log: () => {},
  });
  return {
    key(limits: KeyLimits = {}) {
      // These tests are about markets and limits; confirmation of REAL writes has its own tests.
      const generated = generateKey({ id: options.id, scopes: options.scopes, limits, confirmReal: "none" });
      store = new KeyStore([generated.record]);
      plaintext = generated.plaintext;
    },
    call: (name: string, args: Record<string, unknown>) =>
      guard.call(name, { ...args, api_key: plaintext }, { transport: "stdio" }),
  };
}

Deno.test("cancel-all: scope by environment, audited before and after, limited by the key, not stopped by a halt", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const auditPath = `${await tempDir("cancel-all")}/audit.jsonl`;
  const audit = await AuditLog.open(auditPath, () => {});
  const killSwitch = new KillSwitch();
  const { key, call } = keyGuard(sim, gateway, {
    id: "bot",
    scopes: ["acc:read", "trade:simulate"],
    audit,
    killSwitch,
  });
  const rest = () =>
    gateway.trade.placeOrder(PAPER_HK, { symbol: "HK.00700", side: "BUY", orderType: "NORMAL", qty: 100, price: 300 });

  key();
  await rest();
  const done = dataOf<{ cancelled: number }>(await call("futu_cancel_all_order", {}));
  assertEquals(done.cancelled, 1);
  const lines = (await Deno.readTextFile(auditPath)).trim().split("\n").map((l) => JSON.parse(l));
  const own = lines.filter((l) => l.endpoint === "futu_cancel_all_order");
  assertEquals(own.map((l) => [l.outcome, l.scope, l.acc_id, l.env]), [
    ["allow", "trade:simulate", "6234567", "SIMULATE"],
    ["request", "trade:simulate", "6234567", "SIMULATE"],
    ["success", "trade:simulate", "6234567", "SIMULATE"],
  ]);

  // The real account needs trade:real, which this key lacks.
  const real = errorOf(await call("futu_cancel_all_order", { env: "real", acc_id: "281756479345015383" }));
  assert(real.code === "unauthorized" && real.error.includes("lacks trade:real"), real.error);

  // A halt refuses new orders but lets cancel-all through.
  await killSwitch.engage("test");
  const halted = errorOf(
    await call("futu_place_order", { symbol: "HK.00700", side: "BUY", qty: 100, price: 300 }),
  );
  assertEquals(halted.code, "halted");
  await rest();
  assertEquals(dataOf<{ cancelled: number }>(await call("futu_cancel_all_order", {})).cancelled, 1);
  await killSwitch.release();

  // The key's account and market limits apply to it as to any write.
  key({ allowedAccIds: ["6234568"] });
  const account = errorOf(await call("futu_cancel_all_order", {}));
  assert(account.code === "forbidden" && account.error.includes("allowed accounts"), account.error);
  key({ allowedMarkets: ["US"] });
  const market = errorOf(await call("futu_cancel_all_order", { market: "HK" }));
  assert(market.code === "limit" && market.error.includes("market HK is not allowed"), market.error);
});

Deno.test("cancel-all without a market on a multi-market account: every market must be allowed to the key", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const guard = keyGuard(sim, gateway, { id: "real", scopes: ["acc:read", "trade:real"] });
  const call = (args: Record<string, unknown>) =>
    guard.call("futu_cancel_all_order", { env: "real", acc_id: "281756479345015383", ...args });
  guard.key({ allowedMarkets: ["HK"] });
  // The account trades HK, US and HKCC: without a market the write would reach US orders too.
  const all = errorOf(await call({}));
  assert(all.code === "limit" && all.error.includes("market US is not allowed"), all.error);
  assert(all.error.includes("name a market"), all.error);
  const before = sim.requestCount;
  errorOf(await call({}));
  assertEquals(sim.requestCount, before, "refused before anything reached OpenD");
  // Narrowed to the allowed market it passes the limits and reaches OpenD, which wants real trading unlocked.
  const hk = errorOf(await call({ market: "HK" }));
  assertEquals(hk.code, "opend_error", hk.error);
  assert(hk.error.includes("unlock trade first"), hk.error);
});
