/**
 * futucli's trade password commands through the real OS keychain (Secret
 * Service via secret-tool), then unlocking OpenD with it. They write
 * futu-mcp's own keychain entry, so they run only in CI's throwaway keyring
 * (FUTU_TEST_REQUIRE_KEYCHAIN=1 under dbus-run-session).
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { REAL_HK, startSim } from "../helpers/sim.ts";
import { futucli } from "../helpers/cli.ts";
import { SecretToolKeychain, TRADE_PASSWORD_ACCOUNT } from "../../src/services/keychain.ts";

const inThrowawayKeyring = Deno.env.get("FUTU_TEST_REQUIRE_KEYCHAIN") === "1";
const PASSWORD = "cli-canary-5b9e";

Deno.test({
  name: "set-trade-pwd, unlock-trade, clear-trade-pwd through the real keychain; the password is never printed",
  ignore: !inThrowawayKeyring,
  async fn() {
    await using sim = await startSim({ tradePassword: PASSWORD });
    const run = (args: string[], stdin?: string, env: Record<string, string> = {}) =>
      futucli(["--gateway", sim.address, "-o", "json", ...args], { stdin, env });
    const outputs: string[] = [];
    const keep = <T extends { stdout: string; stderr: string }>(result: T) => {
      outputs.push(result.stdout, result.stderr);
      return result;
    };
    const keychain = new SecretToolKeychain();
    try {
      const stored = keep(await run(["set-trade-pwd", "--from-stdin"], `${PASSWORD}\n`));
      assertEquals(stored.code, 0, stored.stderr);
      assertEquals(stored.json<{ stored: boolean; backend: string }>().backend, "secret-tool");
      assertEquals(await keychain.get(TRADE_PASSWORD_ACCOUNT), PASSWORD, "stored without its line ending");

      const unlocked = keep(await run(["unlock-trade"]));
      assertEquals(unlocked.code, 0, unlocked.stderr);
      assertEquals(unlocked.json(), { unlocked: true });
      const order = keep(
        await run(["place-order", "HK.00700", "BUY", "100", "--price", "380", "--env", "real", "--confirm"]),
      );
      assertEquals(order.code, 0, order.stderr);
      assertEquals(order.json<{ acc_id: string }>().acc_id, REAL_HK.accId);
      assertEquals(keep(await run(["unlock-trade", "--lock"])).json(), { unlocked: false });

      const wrong = keep(await run(["unlock-trade", "--from-stdin"], "not-the-password\n"));
      assertEquals(wrong.code, 5, "OpenD refuses a wrong password");
      assert(wrong.stderr.includes("Trade password incorrect"), wrong.stderr);

      const viaEnv = keep(await run(["unlock-trade"], undefined, { FUTU_TRADE_PWD: "also-wrong" }));
      assertEquals(viaEnv.code, 5, "FUTU_TRADE_PWD comes before the keychain");

      const cleared = keep(await run(["clear-trade-pwd"]));
      assertEquals(cleared.json(), { deleted: true, backend: "secret-tool" });
      assertEquals(await keychain.get(TRADE_PASSWORD_ACCOUNT), undefined);
      const missing = keep(await run(["unlock-trade"]));
      assertEquals(missing.code, 3, "no password anywhere: refused");
      assert(missing.stderr.includes("OS keychain"), missing.stderr);
      assertEquals(keep(await run(["clear-trade-pwd"])).json<{ deleted: boolean }>().deleted, false);

      const empty = keep(await run(["set-trade-pwd", "--from-stdin"], "\n"));
      assertEquals(empty.code, 2);
      for (const text of outputs) assert(!text.includes(PASSWORD), "the password never appears in output");
    } finally {
      await keychain.delete(TRADE_PASSWORD_ACCOUNT).catch(() => false);
    }
  },
});
