/**
 * The JavaScript each release executable embeds, run as a release executable
 * runs it: `deno run --no-config` with exactly the baked permission flags and
 * nothing else, driven by the release smoke test (scripts/release_smoke.ts,
 * the same checks release.yml runs on the compiled binaries of every OS):
 * `--version` with the grants, refusals that name the missing grant, MCP over
 * stdio on `--gateway sim`, Streamable HTTP with a key from futucli
 * `gen-key`, futucli `sim` + `quote`, `mcp-config`, and — in CI's throwaway
 * keyring — the OS keychain round trip.
 *
 * It uses OpenD's and futu-mcp's default ports (127.0.0.1:11111 and :38765),
 * the only ones a release build may use.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { childEnv } from "../helpers/mcp.ts";
import { runBuild } from "../helpers/release.ts";
import { tempDir } from "../helpers/tmp.ts";
import { hostTarget } from "../../scripts/release_targets.ts";
import { VERSION } from "../../src/version.ts";

// The keychain check writes futu-mcp's own entry: only in CI's throwaway keyring (as keychain_test.ts).
const keychain = Deno.env.get("FUTU_TEST_REQUIRE_KEYCHAIN") === "1";

async function deno(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command("deno", {
    args,
    env: childEnv({ NO_COLOR: "1" }),
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  return { code: out.code, stdout: new TextDecoder().decode(out.stdout), stderr: new TextDecoder().decode(out.stderr) };
}

Deno.test({
  name: "release bundles under exactly the baked grants: the release smoke test passes",
  ignore: hostTarget() === undefined,
  async fn() {
    const out = await tempDir("bundles");
    try {
      const built = await runBuild(out, ["--bundle-only"]);
      assert.equal(built.code, 0, built.stderr);
      const smoke = await deno([
        "run",
        "--no-prompt",
        "--allow-run",
        "--allow-read",
        "--allow-write",
        "--allow-net=127.0.0.1:38765",
        "--allow-env=HOME,USERPROFILE,PATH,SystemRoot,DBUS_SESSION_BUS_ADDRESS",
        "--ignore-env",
        "scripts/release_smoke.ts",
        "--bundles",
        join(out, "bundles"),
        ...(keychain ? ["--keychain"] : []),
      ]);
      const report = `${smoke.stdout}\n${smoke.stderr}`;
      assert.equal(smoke.code, 0, report);
      const passed = smoke.stdout.split("\n").filter((line) => line.startsWith("ok "));
      for (
        const check of [
          `ok futu-mcp --version: futu-mcp ${VERSION} (${hostTarget()})`,
          `ok futucli --version: futucli ${VERSION} (${hostTarget()})`,
          "ok ungranted listen address, file and gateway are refused",
          "ok stdio on --gateway sim: initialize, tools/list",
          "ok futucli gen-key: stored in the default location",
          "ok Streamable HTTP on 127.0.0.1:38765 with the key",
          "ok scripts/rotate-keys.sh with this futucli",
          "ok futucli sim + futucli quote HK.00700",
          "ok futucli mcp-config",
          ...(keychain ? ["ok OS keychain: futucli set-trade-pwd, futu_unlock_trade read it"] : []),
        ]
      ) {
        assert.ok(passed.some((line) => line.startsWith(check)), `missing "${check}":\n${report}`);
      }
      assert.ok(smoke.stdout.includes(`${passed.length} passed, 0 failed`), report);
    } finally {
      await Deno.remove(out, { recursive: true });
    }
  },
});
