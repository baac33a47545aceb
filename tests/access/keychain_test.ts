/**
 * The trade password in the real OS keychain (Secret Service through
 * secret-tool). CI runs these under dbus-run-session with an unlocked
 * gnome-keyring and FUTU_TEST_REQUIRE_KEYCHAIN=1; elsewhere they run only when
 * a Secret Service answers, and the tests that write futu-mcp's own entry run
 * only in that throwaway CI keyring.
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { startSim } from "../helpers/sim.ts";
import { dataOf, errorOf, spawnStdio } from "../helpers/mcp.ts";
import { SecretToolKeychain, TRADE_PASSWORD_ACCOUNT } from "../../src/services/keychain.ts";

const required = Deno.env.get("FUTU_TEST_REQUIRE_KEYCHAIN") === "1";

async function secretServiceAnswers(): Promise<boolean> {
  try {
    const out = await new Deno.Command("secret-tool", {
      args: ["lookup", "service", "futu-mcp-probe", "account", "probe"],
      stdout: "null",
      stderr: "piped",
    }).output();
    return out.code === 0 || (out.code === 1 && out.stderr.length === 0);
  } catch {
    return false;
  }
}

const available = await secretServiceAnswers();
if (required && !available) throw new Error("FUTU_TEST_REQUIRE_KEYCHAIN=1 but no Secret Service answers (secret-tool)");
if (!available) console.warn("keychain tests skipped: no Secret Service (CI runs them under dbus-run-session)");

Deno.test({
  name: "keychain round trip through the real Secret Service; secrets travel on stdin, never on a command line",
  ignore: !available,
  async fn() {
    const keychain = new SecretToolKeychain();
    const account = `test-${crypto.randomUUID()}`;
    assertEquals(await keychain.get(account), undefined);
    await keychain.set(account, 'pässwörd with spaces & "quotes"');
    assertEquals(await keychain.get(account), 'pässwörd with spaces & "quotes"');
    await keychain.set(account, "changed");
    assertEquals(await keychain.get(account), "changed", "store replaces");
    assertEquals(await keychain.delete(account), true);
    assertEquals(await keychain.get(account), undefined);
    assertEquals(await keychain.delete(account), false);
  },
});

Deno.test({
  name: "futu_unlock_trade reads the password from the keychain; FUTU_TRADE_PWD wins; a wrong one starts a cooldown",
  ignore: !(available && required),
  async fn() {
    const password = "keychain-trade-pw-42";
    await using sim = await startSim({ tradePassword: password });
    const keychain = new SecretToolKeychain();
    await keychain.set(TRADE_PASSWORD_ACCOUNT, `${password}\n`);
    try {
      const legacy = ["--gateway", sim.address, "--enable-trading", "--allow-real-trading"];
      {
        await using mcp = await spawnStdio(legacy);
        assertEquals(dataOf(await mcp.client.callTool({ name: "futu_unlock_trade", arguments: {} })), {
          unlocked: true,
        });
        assert(!mcp.stderr().includes(password), "the password is not logged");
      }
      {
        await using mcp = await spawnStdio(legacy, { FUTU_TRADE_PWD: "the-wrong-one" });
        const wrong = errorOf(await mcp.client.callTool({ name: "futu_unlock_trade", arguments: {} }));
        assert(wrong.error.includes("Trade password incorrect"), "FUTU_TRADE_PWD is used before the keychain");
        const again = errorOf(await mcp.client.callTool({ name: "futu_unlock_trade", arguments: {} }));
        assertEquals(again.code, "cooldown");
        assert(!JSON.stringify([wrong, again]).includes("the-wrong-one"));
      }
      await keychain.delete(TRADE_PASSWORD_ACCOUNT);
      {
        await using mcp = await spawnStdio(legacy);
        const missing = errorOf(await mcp.client.callTool({ name: "futu_unlock_trade", arguments: {} }));
        assertEquals(missing.code, "unlock_unavailable");
        assert(missing.error.includes("OS keychain (secret-tool"), missing.error);
      }
    } finally {
      await keychain.delete(TRADE_PASSWORD_ACCOUNT).catch(() => false);
    }
  },
});
