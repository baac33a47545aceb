/**
 * Scenario d: the session flood. One API key with the quote scope only opens
 * N MCP sessions over HTTP and never closes them, first with the session caps
 * effectively off (`--max-sessions 100000 --max-sessions-per-key 100000`),
 * then with futu-mcp's defaults; RSS is read before and after each flood, and
 * another key must still be served while the flood's sessions are open.
 *
 * Builds of futu-mcp without the caps (no `--max-sessions` in --help, or a
 * start-up refusing it) run the uncapped case only, and say so.
 *
 * @module
 */
import { SimServer } from "../src/sim/server.ts";
import { ManualClock } from "../src/sim/clock.ts";
import { generateKey, writeKeysFile } from "../src/access/keys.ts";
import { futuMcpHelp, rssMiB, startFutuMcp } from "./_procs.ts";
import { Session } from "./_mcp.ts";
import { bump, type Criterion, type Report, tally } from "./_util.ts";

const HK_MORNING = Date.parse("2026-11-26T02:30:00Z");
/** futu-mcp's default live sessions per key (--max-sessions-per-key). */
const DEFAULT_PER_KEY = 64;

interface FloodResult {
  rssBefore: number;
  rssAfter: number;
  accepted: number;
  refused: number;
  other: Map<string, number>;
  hung: number;
  otherKeyServed: boolean;
  firstSessionServed: boolean;
  crashed: boolean;
  seconds: number;
}

async function flood(
  gateway: string,
  keysFile: string,
  flooder: string,
  bystander: string,
  flags: string[],
  sessions: number,
): Promise<FloodResult> {
  const started = performance.now();
  await using mcp = await startFutuMcp(gateway, ["--keys-file", keysFile, ...flags]);
  // One session's worth of work first, so that "before" counts the loaded code, not the flood's first call.
  const warm = await Session.open(mcp.url, flooder);
  if (!(warm instanceof Session)) throw new Error(`flood: cannot open a session: ${warm}`);
  await warm.call("futu_get_quote", { symbol: "HK.00700" }, 40_000);
  await warm.close();
  const rssBefore = await rssMiB(mcp.pid);
  const opened: Session[] = [];
  const other = new Map<string, number>();
  let refused = 0;
  let hung = 0;
  let next = 0;
  // Eight at a time: a client opening sessions as fast as the server accepts them.
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next < sessions) {
      next++;
      const s = await Session.open(mcp.url, flooder);
      if (s instanceof Session) opened.push(s);
      else if (s === 429) refused++;
      else if (s === "hung") hung++;
      else bump(other, String(s));
    }
  }));
  const rssAfter = await rssMiB(mcp.pid);
  const bystanderSession = await Session.open(mcp.url, bystander);
  const otherKeyServed = bystanderSession instanceof Session &&
    (await bystanderSession.call("futu_get_quote", { symbol: "HK.00700" }, 40_000)).kind === "result";
  const firstSessionServed = opened.length > 0 &&
    (await opened[0].call("futu_get_quote", { symbol: "HK.00700" }, 40_000)).kind === "result";
  const crashed = mcp.exited() !== undefined;
  await mcp.stop().catch(() => {});
  return {
    rssBefore,
    rssAfter,
    accepted: opened.length,
    refused,
    other,
    hung,
    otherKeyServed,
    firstSessionServed,
    crashed,
    seconds: (performance.now() - started) / 1000,
  };
}

/** Whether this futu-mcp has the session caps: --help lists them and a start with them succeeds. */
async function capsSupported(gateway: string, keysFile: string): Promise<boolean> {
  if (!(await futuMcpHelp()).includes("--max-sessions-per-key")) return false;
  try {
    await using _ = await startFutuMcp(gateway, [
      "--keys-file",
      keysFile,
      "--max-sessions",
      "5",
      "--max-sessions-per-key",
      "5",
    ]);
    return true;
  } catch {
    return false;
  }
}

/** Runs the scenario: `sessions` sessions per flood, files in `tmp`. */
export async function floodScenario(sessions: number, tmp: string): Promise<Report> {
  const started = performance.now();
  await using sim = await SimServer.start({ port: 0, clock: new ManualClock(HK_MORNING), rateLimits: false });
  const flooder = generateKey({ id: "flooder", scopes: ["qot:read"] });
  const bystander = generateKey({ id: "bystander", scopes: ["qot:read"] });
  const keysFile = `${tmp}/flood-keys.json`;
  await writeKeysFile(keysFile, [flooder.record, bystander.record]);
  const caps = await capsSupported(sim.address, keysFile);
  const uncappedFlags = caps ? ["--max-sessions", "100000", "--max-sessions-per-key", "100000"] : [];
  const off = await flood(sim.address, keysFile, flooder.plaintext, bystander.plaintext, uncappedFlags, sessions);
  const on = caps
    ? await flood(sim.address, keysFile, flooder.plaintext, bystander.plaintext, [], sessions)
    : undefined;
  const line = (r: FloodResult) =>
    `accepted ${r.accepted}, refused 429 ${r.refused}, other ${tally(r.other)}, hung ${r.hung}; RSS ${
      r.rssBefore.toFixed(0)
    } → ${r.rssAfter.toFixed(0)} MiB (+${(r.rssAfter - r.rssBefore).toFixed(0)}); another key served: ${
      r.otherKeyServed ? "yes" : "no"
    } (${r.seconds.toFixed(1)} s)`;
  const criteria: Criterion[] = [
    { what: "futu-mcp did not crash (either flood)", ok: !off.crashed && !on?.crashed },
    { what: "every session request was answered (no hang)", ok: off.hung === 0 && (on?.hung ?? 0) === 0 },
    {
      what: "caps off: every session accepted, and still served",
      ok: off.accepted === sessions && off.firstSessionServed,
    },
  ];
  if (on) {
    criteria.push(
      {
        what: `defaults: at most ${DEFAULT_PER_KEY} sessions for the key, the rest refused with 429`,
        ok: on.accepted <= DEFAULT_PER_KEY && on.accepted + on.refused === sessions,
      },
      { what: "defaults: another key is still served during the flood", ok: on.otherKeyServed },
      { what: "defaults: the key's open sessions still work", ok: on.firstSessionServed },
    );
  }
  return {
    name: "d. session flood (one quote-only key)",
    seconds: (performance.now() - started) / 1000,
    figures: [
      ["sessions opened per flood, never closed", sessions],
      [caps ? "caps off (100000 / 100000)" : "no caps (this build)", line(off)],
      ...(on ? [["defaults (1000 / 64 per key)", line(on)] as [string, string]] : []),
    ],
    criteria,
    notes: caps ? [] : [
      "this futu-mcp has no --max-sessions / --max-sessions-per-key: only the uncapped flood ran",
    ],
  };
}
