/**
 * scripts/rotate-keys.sh end to end: the real script (bash, jq, curl) drives
 * the real futucli against a real futu-mcp process on a simulator, because the
 * script's SIGHUP and its HTTP checks only mean something across processes.
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { futucliCommand } from "../helpers/cli.ts";
import { childEnv, futuMcpCommand, initializeStatus } from "../helpers/mcp.ts";
import { eventually, startSim } from "../helpers/sim.ts";
import { tempDir } from "../helpers/tmp.ts";
import { generateKey, KeyStore, readKeysFile, writeKeysFile } from "../../src/access/keys.ts";
import { freePort } from "../helpers/net.ts";

const KEY_ID = "bot";
const NEW_KEY_LINE = /^FUTU_MCP_API_KEY=(fc_[0-9a-f]{64})$/;

/** The same initialize request the script sends, so a 200 here means what it means there. */
interface Fixture {
  dir: string;
  keysPath: string;
  envPath: string;
  pidPath: string;
  url: string;
  oldKey: string;
  server: Deno.ChildProcess;
  /** What futu-mcp has written to stderr so far. */
  serverLog: () => string;
}

/** A keys.json with one key, a client env file holding its plaintext, and futu-mcp serving it over HTTP. */
async function withServer(run: (fixture: Fixture) => Promise<void>): Promise<void> {
  await using sim = await startSim();
  const dir = await tempDir("rotate-keys");
  const keysPath = `${dir}/keys.json`;
  const envPath = `${dir}/client.env`;
  const pidPath = `${dir}/futu-mcp.pid`;
  const key = generateKey({ id: KEY_ID, scopes: ["qot:read"] });
  await writeKeysFile(keysPath, [key.record]);
  await Deno.writeTextFile(envPath, `OTHER=1\nFUTU_MCP_API_KEY=${key.plaintext}\n`);

  const port = freePort();
  const server = new Deno.Command("deno", {
    args: futuMcpCommand(
      ["--gateway", sim.address, "--http-listen", `127.0.0.1:${port}`, "--keys-file", keysPath, "--pid-file", pidPath],
      ["."],
      [".test-tmp"],
    ),
    env: childEnv({ FUTU_MACHINE_ID: "test" }),
    clearEnv: true,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  // Drained from the start so a chatty server can never block on a full pipe, and kept for failure messages.
  let log = "";
  const drained = server.stderr.pipeThrough(new TextDecoderStream()).pipeTo(
    new WritableStream({
      write(chunk) {
        log += chunk;
      },
    }),
  );
  let exited = false;
  const status = server.status.then((s) => {
    exited = true;
    return s;
  });
  try {
    const base = `http://127.0.0.1:${port}`;
    await eventually(
      async () => {
        if (exited) throw new Error(`futu-mcp exited early:\n${log}`);
        try {
          const health = await fetch(`${base}/healthz`);
          await health.body?.cancel();
          // The pid file is written after the listener is up, so both are needed before the script can signal.
          return health.status === 200 && (await Deno.stat(pidPath)).isFile;
        } catch {
          return false;
        }
      },
      30_000,
      "futu-mcp to serve /healthz and write its pid file",
    );
    await run({
      dir,
      keysPath,
      envPath,
      pidPath,
      url: `${base}/mcp`,
      oldKey: key.plaintext,
      server,
      serverLog: () => log,
    });
  } finally {
    if (!exited) server.kill("SIGTERM");
    await status;
    await drained;
  }
}

/** Runs scripts/rotate-keys.sh with FUTUCLI set to the real futucli from source (and PATH as given). */
async function rotateKeys(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command("bash", {
    args: ["scripts/rotate-keys.sh", ...args],
    env: childEnv({ FUTUCLI: ["deno", ...futucliCommand([])].join(" "), ...env }),
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, stdout: new TextDecoder().decode(out.stdout), stderr: new TextDecoder().decode(out.stderr) };
}

/** The new key in the env file, after checking the rest of the file survived and the file is private. */
async function envFileKey(fixture: Fixture): Promise<string> {
  const lines = (await Deno.readTextFile(fixture.envPath)).split("\n").filter((line) => line !== "");
  assert(lines.includes("OTHER=1"), `OTHER=1 lost from the env file:\n${lines.join("\n")}`);
  const keyLines = lines.filter((line) => line.startsWith("FUTU_MCP_API_KEY="));
  assertEquals(keyLines.length, 1, `expected one FUTU_MCP_API_KEY line:\n${lines.join("\n")}`);
  const match = NEW_KEY_LINE.exec(keyLines[0]);
  assert(match, `not a futu-mcp key: ${keyLines[0]}`);
  const newKey = match[1];
  assert(newKey !== fixture.oldKey, "the env file still holds the old key");
  assertEquals((await Deno.stat(fixture.envPath)).mode! & 0o777, 0o600);
  return newKey;
}

/** The script's arguments for the fixture's key, env file, pid file, URL and keys file. */
function scriptArgs(fixture: Fixture, pidFile = fixture.pidPath): string[] {
  return [
    "--id",
    KEY_ID,
    "--env-file",
    fixture.envPath,
    "--pid-file",
    pidFile,
    "--url",
    fixture.url,
    "--keys-file",
    fixture.keysPath,
  ];
}

Deno.test("rotate-keys.sh rotates the key, updates the env file and verifies the running futu-mcp", async () => {
  await withServer(async (fixture) => {
    assertEquals(await initializeStatus(fixture.url, fixture.oldKey), 200, "the old key must work before rotation");
    const result = await rotateKeys(scriptArgs(fixture));
    assertEquals(result.code, 0, `rotate-keys.sh failed:\n${result.stderr}\nfutu-mcp:\n${fixture.serverLog()}`);

    const newKey = await envFileKey(fixture);
    const store = new KeyStore(await readKeysFile(fixture.keysPath));
    assertEquals(store.verify(fixture.oldKey, undefined).ok, false, "keys.json still accepts the old key");
    assertEquals(store.verify(newKey, undefined).ok, true, "keys.json does not accept the env file's key");

    assertEquals(await initializeStatus(fixture.url, newKey), 200);
    assertEquals(await initializeStatus(fixture.url, fixture.oldKey), 401);
  });
});

Deno.test("rotate-keys.sh exits 3 when the server was not reloaded, with the env file already updated", async () => {
  await withServer(async (fixture) => {
    // The script signals whatever the pid file names: a bystander takes the SIGHUP, so futu-mcp keeps the old keys.
    const bystander = new Deno.Command("sleep", { args: ["30"], stdin: "null", stdout: "null", stderr: "null" })
      .spawn();
    try {
      const bystanderPid = `${fixture.dir}/bystander.pid`;
      await Deno.writeTextFile(bystanderPid, `${bystander.pid}\n`);
      const result = await rotateKeys([...scriptArgs(fixture, bystanderPid), "--timeout", "1"]);
      assertEquals(result.code, 3, `expected exit 3 (rotated, not verified):\n${result.stderr}`);
      assert(result.stderr.includes("expected 200 and 401"), `no verification failure in:\n${result.stderr}`);

      const newKey = await envFileKey(fixture);
      assertEquals(await initializeStatus(fixture.url, fixture.oldKey), 200, "futu-mcp reloaded without a SIGHUP");
      fixture.server.kill("SIGHUP");
      await eventually(
        async () => await initializeStatus(fixture.url, newKey) === 200,
        10_000,
        "futu-mcp to accept the env file's key after SIGHUP",
      );
      assertEquals(await initializeStatus(fixture.url, fixture.oldKey), 401);
    } finally {
      try {
        bystander.kill("SIGTERM");
      } catch {
        // Already gone: the script's SIGHUP ends sleep.
      }
      await bystander.status;
    }
  });
});

/**
 * A `curl` for the front of PATH that records, each time the script runs it, its own arguments and the command
 * line of every process of the machine (/proc/<pid>/cmdline: what `ps` shows any user), then runs the real
 * curl. Records are NUL-separated, as /proc has them.
 */
async function argvRecorder(dir: string): Promise<{ path: string; log: string }> {
  const which = await new Deno.Command("bash", { args: ["-c", "command -v curl"], stdout: "piped" }).output();
  const curl = new TextDecoder().decode(which.stdout).trim();
  assert(curl.startsWith("/"), `no curl on PATH: ${curl}`);
  const bin = `${dir}/bin`;
  const log = `${dir}/argv.log`;
  await Deno.mkdir(bin);
  await Deno.writeTextFile(
    `${bin}/curl`,
    `#!/usr/bin/env bash
{
  printf 'curl\\0'; printf '%s\\0' "$@"; printf '\\n'
  for f in /proc/[0-9]*/cmdline; do cat "$f" 2>/dev/null; printf '\\n'; done
} >>${JSON.stringify(log)}
exec ${JSON.stringify(curl)} "$@"
`,
  );
  await Deno.chmod(`${bin}/curl`, 0o755);
  return { path: `${bin}:${Deno.env.get("PATH") ?? ""}`, log };
}

Deno.test("rotate-keys.sh puts neither the old nor the new key on any process's command line", async () => {
  await withServer(async (fixture) => {
    const recorder = await argvRecorder(fixture.dir);
    const result = await rotateKeys(scriptArgs(fixture), { PATH: recorder.path });
    assertEquals(result.code, 0, `rotate-keys.sh failed:\n${result.stderr}\nfutu-mcp:\n${fixture.serverLog()}`);
    const newKey = await envFileKey(fixture);
    const recorded = await Deno.readTextFile(recorder.log);
    // Each initialize (new and old key) and each DELETE ran curl, and each time every process was looked at.
    const runs = recorded.split("\n").filter((line) => line.startsWith("curl\0")).length;
    assert(runs >= 3, `curl ran ${runs} times:\n${recorded.replaceAll("\0", " ")}`);
    for (const [name, key] of [["old", fixture.oldKey], ["new", newKey]]) {
      const line = recorded.split("\n").find((l) => l.includes(key.slice(3)));
      // Named without the key itself: a failure message is a log too.
      assert(
        line === undefined,
        `the ${name} key is on a command line: ${line?.replaceAll(key.slice(3), "<key>").replaceAll("\0", " ")}`,
      );
    }
  });
});
