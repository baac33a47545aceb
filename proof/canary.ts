/**
 * Scenario e: the secret canary. futu-mcp runs with secrets that are
 * canaries — the API key's plaintext (keys.json holds only its hash), the
 * trade password (FUTU_TRADE_PWD, as an operator without a keychain sets
 * it) and, where redis-server is installed, the shared state's Redis
 * password (`--state-password-file`) — through a workload that touches every
 * path a secret could leak on: a near-miss of the key and a wrong key, the
 * key passed as a tool's `api_key` argument, unlocking (right, then a
 * refused password and the cooldown after it), a confirmed REAL order,
 * invalid arguments, unknown tools, a dropped gateway link, /metrics.
 *
 * Then every byte futu-mcp produced is searched: stdout, stderr, the audit
 * log and every file of its state directory, every HTTP answer (headers and
 * body: tool results, errors, /metrics), and its command line as `ps` shows
 * it to any local user. Each canary, a 12-character fragment of it, and the
 * MD5 of the trade password (what OpenD's unlock takes, as good as the
 * password) must appear 0 times.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { SimServer } from "../src/sim/server.ts";
import { ManualClock } from "../src/sim/clock.ts";
import { type KeyRecord, writeKeysFile } from "../src/access/keys.ts";
import { generateKey } from "../src/access/keys.ts";
import { commandLine, startFutuMcp } from "./_procs.ts";
import { classify, label, type Outcome, postRaw, Session } from "./_mcp.ts";
import { LinkProxy } from "./_proxy.ts";
import { freePort } from "../bench/_procs.ts";
import { bump, Prng, type Report, tally, within } from "./_util.ts";

const HK_MORNING = Date.parse("2026-11-26T02:30:00Z");
const REAL_HK = "281756479345015383";
const HANG_MS = 40_000;

function hex(random: Prng, bytes: number): string {
  return Array.from({ length: bytes }, () => random.int(0, 255).toString(16).padStart(2, "0")).join("");
}

/** redis-server on a free loopback port with a password, or undefined when it is not installed. */
async function startRedis(password: string): Promise<{ port: number; stop(): Promise<void> } | undefined> {
  const port = freePort();
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command("redis-server", {
      args: [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--requirepass",
        password,
      ],
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
  } catch {
    return undefined;
  }
  // It prints nothing we could await on a pipe: ask until it answers (NOAUTH is an answer).
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      try {
        await conn.write(new TextEncoder().encode("PING\r\n"));
        const buffer = new Uint8Array(64);
        const n = await conn.read(buffer);
        if (n) break;
      } finally {
        conn.close();
      }
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      await child.status;
      throw new Error(`redis-server did not answer on port ${port}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return {
    port,
    async stop() {
      child.kill("SIGKILL");
      await child.status;
    },
  };
}

async function filesUnder(dir: string, skip: Set<string>): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  const walk = async (path: string) => {
    for await (const entry of Deno.readDir(path)) {
      const full = `${path}/${entry.name}`;
      if (entry.isDirectory) await walk(full);
      else if (entry.isFile && !skip.has(full)) out.set(full, await Deno.readFile(full));
    }
  };
  await walk(dir);
  return out;
}

function occurrences(haystack: string, needle: string): number {
  let n = 0;
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) n++;
  return n;
}

/** Runs the scenario in `tmp`. */
export async function canaryScenario(tmp: string, seed: number): Promise<Report> {
  const started = performance.now();
  const random = new Prng(seed ^ 0xca7a);
  const dir = `${tmp}/canary`;
  await Deno.mkdir(dir);
  const apiKey = `fc_${hex(random, 32)}`;
  const tradePassword = `pwd-canary-${hex(random, 8)}`;
  const redisPassword = `redis-canary-${hex(random, 8)}`;
  const md5 = createHash("md5").update(tradePassword).digest("hex");

  await using sim = await SimServer.start({
    port: 0,
    clock: new ManualClock(HK_MORNING),
    rateLimits: false,
    tradePassword,
  });
  // The same market with another password: the configured one is refused there.
  await using wrongSim = await SimServer.start({
    port: 0,
    clock: new ManualClock(HK_MORNING),
    rateLimits: false,
    tradePassword: "000000",
  });
  await using proxy = LinkProxy.start(sim.port);
  const record: KeyRecord = {
    ...generateKey({ id: "canary", scopes: [] }).record,
    hash: createHash("sha256").update(apiKey, "utf8").digest("hex"),
    scopes: new Set(["qot:read", "acc:read", "trade:simulate", "trade:real", "trade:unlock", "metrics:read"]),
    confirmReal: "token",
  };
  const keysFile = `${dir}/keys.json`;
  await writeKeysFile(keysFile, [record]);
  const passwordFile = `${dir}/redis-password`;
  const redis = await startRedis(redisPassword);
  const stateFlags: string[] = [];
  if (redis) {
    await Deno.writeTextFile(passwordFile, `${redisPassword}\n`, { mode: 0o600 });
    stateFlags.push("--state", `redis://127.0.0.1:${redis.port}/0`, "--state-password-file", passwordFile);
  }
  const auditLog = `${dir}/audit.jsonl`;
  const stateDir = `${dir}/state`;
  const answers: string[] = [];
  const outcomes = new Map<string, number>();
  let mcpOutput: { stdout: Uint8Array; stderr: Uint8Array } = { stdout: new Uint8Array(), stderr: new Uint8Array() };
  let cmdline = "";
  let crashed = false;
  let hung = 0;
  try {
    await using mcp = await startFutuMcp(
      proxy.address,
      ["--keys-file", keysFile, "--audit-log", auditLog, "--state-dir", stateDir, ...stateFlags],
      { FUTU_TRADE_PWD: tradePassword },
    );
    cmdline = await commandLine(mcp.pid);
    const keep = (outcome: Outcome) => {
      answers.push(JSON.stringify(outcome));
      // A refused key gets an OAuth-style JSON body, not JSON-RPC: count it by its status.
      bump(outcomes, outcome.kind === "not_jsonrpc" ? `HTTP ${outcome.status}` : label(outcome));
      if (outcome.kind === "hung") hung++;
      return outcome;
    };
    const raw = async (body: unknown, headers: Record<string, string>) => {
      const answer = await postRaw(mcp.url, JSON.stringify(body), headers, HANG_MS);
      if (typeof answer === "object" && "status" in answer) {
        answers.push(answer.text, JSON.stringify([...answer.headers]));
      }
      return keep(classify(answer));
    };
    // Keys that fail: a near miss of the canary (one character changed) and an unrelated one.
    const nearMiss = `${apiKey.slice(0, -1)}${apiKey.endsWith("0") ? "1" : "0"}`;
    await raw(Session.initialize(), Session.headers(nearMiss));
    await raw(Session.initialize(), Session.headers(`fc_${"0".repeat(64)}`));
    await raw(Session.initialize(), { ...Session.headers(), authorization: `Basic ${btoa(`user:${apiKey}x`)}` });

    const session = await Session.open(mcp.url, apiKey);
    if (!(session instanceof Session)) throw new Error(`canary: cannot open a session: ${session}`);
    const call = async (name: string, args: Record<string, unknown>) => keep(await session.call(name, args, HANG_MS));
    // After the link moved, futu-mcp reconnects on its own schedule: ask (paced, bounded) until it serves.
    const served = async () => {
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        if ((await session.call("futu_get_quote", { symbol: "HK.00700" }, HANG_MS)).kind === "result") return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error("canary: futu-mcp did not serve within 30 s of the link moving");
    };
    await call("futu_get_quote", { symbol: "HK.00700" });
    await call("futu_get_quote", { symbol: "HK.00700", api_key: apiKey });
    await call("futu_get_quote", { symbol: "HK.00700", api_key: nearMiss });
    await call("futu_get_funds", {});
    await call("futu_place_order", { symbol: "HK.00700", side: "BUY", qty: 100, price: 300, idempotency_key: "c-1" });
    await call("futu_place_order", { symbol: "HK.00700", side: "BUY", qty: 7, price: 300 });
    await call("futu_no_such_tool", { password: tradePassword });
    await call("futu_unlock_trade", { acc_ids: [REAL_HK] });
    const real = { acc_id: REAL_HK, env: "real", symbol: "HK.00700", side: "BUY", qty: 100, price: 300 };
    const preview = await call("futu_place_order", real);
    if (preview.kind === "result") {
      const token = (preview.result.structuredContent as { confirm_token?: string } | undefined)?.confirm_token;
      if (token) await call("futu_place_order", { ...real, confirm_token: token });
    }
    await call("futu_get_orders", { acc_id: REAL_HK, env: "real" });
    // The same password refused by another OpenD, then the cooldown after a refusal.
    proxy.retarget(wrongSim.port);
    await served();
    await call("futu_unlock_trade", { acc_ids: [REAL_HK] });
    await call("futu_unlock_trade", { acc_ids: [REAL_HK] });
    await call("futu_unlock_trade", { unlock: false });
    // The link gone: errors about the gateway.
    proxy.kill();
    await call("futu_get_quote", { symbol: "HK.00700" });
    await call("futu_place_order", { symbol: "HK.00700", side: "BUY", qty: 100, price: 300, idempotency_key: "c-2" });
    proxy.restore();
    proxy.retarget(sim.port);
    await served();
    for (const bearer of [apiKey, nearMiss, undefined]) {
      const response = await fetch(`${mcp.origin}/metrics`, {
        headers: bearer ? { authorization: `Bearer ${bearer}` } : {},
        signal: AbortSignal.timeout(HANG_MS),
      });
      answers.push(await response.text(), JSON.stringify([...response.headers]));
      bump(outcomes, `/metrics HTTP ${response.status}`);
    }
    await session.close();
    crashed = mcp.exited() !== undefined;
    await within(mcp.stop(), 30_000, "futu-mcp stopping");
    mcpOutput = mcp.output();
  } finally {
    await redis?.stop();
  }

  const decoder = new TextDecoder();
  const sources = new Map<string, string>([
    ["stdout", decoder.decode(mcpOutput.stdout)],
    ["stderr", decoder.decode(mcpOutput.stderr)],
    ["HTTP answers (headers, bodies, tool results, /metrics)", answers.join("\n")],
    ["command line (ps)", cmdline],
  ]);
  // Everything futu-mcp wrote under its directory: the audit log and its state (the keys and password files are ours).
  for (const [path, bytes] of await filesUnder(dir, new Set([keysFile, passwordFile]))) {
    sources.set(path.slice(dir.length + 1), decoder.decode(bytes));
  }
  const needles = new Map<string, string>([
    ["API key", apiKey],
    ["API key, hex part", apiKey.slice(3)],
    ["API key, 12 chars", apiKey.slice(20, 32)],
    ["trade password", tradePassword],
    ["trade password, 12 chars", tradePassword.slice(8, 20)],
    ["MD5 of the trade password", md5],
    ["MD5 of the trade password (upper case)", md5.toUpperCase()],
    ...(redis
      ? [["Redis password", redisPassword], ["Redis password, 12 chars", redisPassword.slice(10, 22)]] as [
        string,
        string,
      ][]
      : []),
  ]);
  const found = new Map<string, number>();
  let bytesScanned = 0;
  for (const [where, text] of sources) {
    bytesScanned += new TextEncoder().encode(text).length;
    for (const [what, needle] of needles) {
      const n = occurrences(text, needle);
      if (n > 0) bump(found, `${what} in ${where}`, n);
    }
  }
  // Controls: what each source must contain if the scan really read it, so that 0 canaries is not a blind 0
  // (stdout has none: in HTTP mode futu-mcp writes nothing there, which the scan still covers).
  const controls: [string, string][] = [
    ["stderr", "futu-mcp"],
    ["HTTP answers (headers, bodies, tool results, /metrics)", "TENCENT"],
    ["command line (ps)", "main.ts"],
    ["audit.jsonl", record.id],
  ];
  const blind = controls.filter(([where, marker]) => !(sources.get(where) ?? "\u0000").includes(marker))
    .map(([where, marker]) => `${where} lacks "${marker}"`);
  const auditLines = (sources.get("audit.jsonl") ?? "").split("\n").filter((l) => l.trim()).length;
  const realOrders = sim.trading.accounts.find((a) => a.spec.accId === REAL_HK)?.orders.length ?? 0;
  return {
    name: "e. secret canary",
    seconds: (performance.now() - started) / 1000,
    figures: [
      [
        "canaries",
        `API key plaintext, trade password (FUTU_TRADE_PWD)${redis ? ", Redis password (--state-password-file)" : ""}`,
      ],
      ["workload answers", tally(outcomes)],
      ["sources scanned", [...sources.keys()].join(", ")],
      ["bytes scanned", bytesScanned],
      ["audit log lines", auditLines],
      ["REAL orders placed after confirmation", realOrders],
      ["needles searched", [...needles.keys()].join(", ")],
      ["canary occurrences", [...found.values()].reduce((a, b) => a + b, 0)],
    ],
    criteria: [
      { what: "futu-mcp did not crash", ok: !crashed },
      { what: "every call was answered", ok: hung === 0 },
      {
        what: "the workload unlocked, placed a confirmed REAL order and wrote audit events",
        ok: auditLines > 0 && realOrders > 0,
      },
      { what: "every source was read (each holds a known marker: key id, quote name, …)", ok: blind.length === 0 },
      { what: "no canary, fragment or MD5 anywhere futu-mcp wrote", ok: found.size === 0 },
    ],
    notes: [
      ...[...found].map(([where, n]) => `found ${where} ×${n}`),
      ...blind.map((b) => `blind scan: ${b}`),
      ...(redis ? [] : ["redis-server is not installed: the Redis password canary did not run"]),
    ],
  };
}
