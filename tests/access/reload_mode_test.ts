/**
 * A SIGHUP reload holds keys.json to the same mode rule as startup, in a
 * spawned futu-mcp: a file readable by group or others is warned about (stderr
 * and the audit log) and loaded, and under --strict-keys-file the reload is
 * refused, the previous keys keep serving and the audit log names why.
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { spawnHttp } from "../helpers/http_process.ts";
import { initializeStatus } from "../helpers/mcp.ts";
import { tempDir } from "../helpers/tmp.ts";
import { generateKey, writeKeysFile } from "../../src/access/keys.ts";

async function auditEvents(path: string): Promise<Record<string, string>[]> {
  return (await Deno.readTextFile(path)).trim().split("\n").map((line) => JSON.parse(line));
}

/** A keys file with a first key, and a second key to reload into it. */
async function fixture(name: string) {
  const dir = await tempDir(name);
  const first = generateKey({ id: "first", scopes: ["qot:read"] });
  const second = generateKey({ id: "second", scopes: ["qot:read"] });
  const keysPath = `${dir}/keys.json`;
  await writeKeysFile(keysPath, [first.record]);
  const args = ["--keys-file", keysPath, "--audit-log", `${dir}/audit.jsonl`, "--state-dir", `${dir}/state`];
  return { dir, keysPath, first, second, args, audit: `${dir}/audit.jsonl` };
}

Deno.test("SIGHUP: a keys file others can read is reloaded with a warning on stderr and in the audit log", async () => {
  const f = await fixture("reload-warn");
  await using server = await spawnHttp(f.args);
  await writeKeysFile(f.keysPath, [f.first.record, f.second.record]);
  await Deno.chmod(f.keysPath, 0o644);
  const from = server.log().length;
  server.child.kill("SIGHUP");
  await server.waitForLog(/reloaded .*keys\.json: 2 key\(s\)/, from, "the reload");
  const warning = server.log().slice(from);
  assert(/WARNING: .*keys\.json is readable or writable by group or others \(mode 644\)/.test(warning), warning);
  assertEquals(await initializeStatus(`${server.base}/mcp`, f.second.plaintext), 200, "the new keys are in force");
  const events = await auditEvents(f.audit);
  const warned = events.find((e) => e.endpoint === "SIGHUP" && e.outcome === "warning");
  assert(warned?.reason.includes("mode 644") && warned.reason.includes("chmod 600"), JSON.stringify(events));
  assertEquals(warned?.level, "WARN");
  assert(events.some((e) => e.endpoint === "SIGHUP" && e.outcome === "reload"), JSON.stringify(events));
});

Deno.test("SIGHUP under --strict-keys-file: an exposed keys file is refused and the previous keys keep serving", async () => {
  const f = await fixture("reload-strict");
  await using server = await spawnHttp([...f.args, "--strict-keys-file"]);
  const url = `${server.base}/mcp`;
  await writeKeysFile(f.keysPath, [f.second.record]);
  await Deno.chmod(f.keysPath, 0o640);
  let from = server.log().length;
  server.child.kill("SIGHUP");
  const refusal = await server.waitForLog(/reload of .* failed, keeping the previous keys: .*\n/, from, "the refusal");
  assert(refusal.includes("refusing to reload") && refusal.includes("mode 640"), refusal);
  assert(refusal.includes("--strict-keys-file"), refusal);
  assertEquals(await initializeStatus(url, f.first.plaintext), 200, "the previous keys still serve");
  assertEquals(await initializeStatus(url, f.second.plaintext), 401, "the refused file's keys do not");
  const failed = (await auditEvents(f.audit)).find((e) => e.endpoint === "SIGHUP" && e.outcome === "failure");
  assert(failed?.reason.includes("refusing to reload") && failed.reason.includes("mode 640"), JSON.stringify(failed));

  // Once fixed, the next SIGHUP takes the file.
  await Deno.chmod(f.keysPath, 0o600);
  from = server.log().length;
  server.child.kill("SIGHUP");
  await server.waitForLog(/reloaded .*keys\.json: 1 key\(s\)/, from, "the reload after chmod 600");
  assertEquals(await initializeStatus(url, f.second.plaintext), 200);
  assertEquals(await initializeStatus(url, f.first.plaintext), 401);
});
