/**
 * Progress and cancellation of long calls, driven by the MCP SDK's client
 * over a spawned stdio process and over real Streamable HTTP, against a
 * simulator the test controls (TCP): a paged history, an option chain priced
 * in snapshot batches and a windowed calendar send increasing progress
 * notifications; a history call cancelled while its second page is in flight
 * asks OpenD for no further page and sends nothing more, the client's call
 * rejects with the abort, and the server keeps serving.
 */
import { assert, assertEquals, assertRejects } from "../helpers/assert.ts";
import { startSim } from "../helpers/sim.ts";
import { dataOf, spawnStdio, startHttpApp } from "../helpers/mcp.ts";
import { McpError } from "../../src/mcp/sdk.ts";
import { Client, StreamableHTTPClientTransport } from "../../src/mcp/sdk_client.ts";
import type { SimServer } from "../../src/sim/server.ts";

/** The toolsets of the long calls under test. */
const ARGS = ["--toolsets", "quote,options,macro"];

/** Thousands of one-minute candles (HK trades 330 minutes a day): pages of 1000. */
const HISTORY = { symbol: "HK.00700", kl_type: "K_1M", begin: "2026-10-01", end: "2026-11-25" };

interface Progress {
  progress: number;
  total?: number;
  message?: string;
}

/** A connected client, and how to know that a cancellation it sent has reached the server. */
interface Session extends AsyncDisposable {
  client: Client;
  /** Resolves once the server has taken in the `notifications/cancelled` the client sent. */
  cancelDelivered(): Promise<void>;
  /** What the client could not match to a request of its own (a late result or progress would be one). */
  errors(): Error[];
}

/**
 * stdio: the server reads its messages in order, so once a ping sent after the cancellation is answered, the
 * cancellation has been handled.
 */
async function stdioSession(sim: SimServer): Promise<Session> {
  const mcp = await spawnStdio(["--gateway", sim.address, ...ARGS]);
  return {
    client: mcp.client,
    cancelDelivered: async () => {
      await mcp.client.ping();
    },
    errors: mcp.transportErrors,
    [Symbol.asyncDispose]: () => mcp[Symbol.asyncDispose](),
  };
}

/**
 * HTTP: each message is a POST of its own, so a later ping may overtake the cancellation; the server handles a
 * notification before it answers its POST with 202, so the answer to the cancellation's POST is the event.
 */
async function httpSession(sim: SimServer): Promise<Session> {
  const app = await startHttpApp(["--gateway", sim.address, ...ARGS]);
  const delivered = Promise.withResolvers<void>();
  const observed = async (url: string | URL, init?: RequestInit) => {
    const response = await fetch(url, init);
    if (typeof init?.body === "string" && init.body.includes('"notifications/cancelled"')) delivered.resolve();
    return response;
  };
  const client = new Client({ name: "futu-mcp-test", version: "1.0.0" });
  const errors: Error[] = [];
  client.onerror = (error) => errors.push(error);
  await client.connect(new StreamableHTTPClientTransport(new URL(app.url), { fetch: observed }));
  return {
    client,
    cancelDelivered: () => delivered.promise,
    errors: () => [...errors],
    [Symbol.asyncDispose]: async () => {
      await client.close();
      await app.close();
    },
  };
}

/** Counts the requests of one protocol the simulator receives from now on. */
function countRequests(sim: SimServer, protocol: string): { readonly count: number; stop(): void } {
  let count = 0;
  const stop = sim.onRequest((p) => {
    if (p === protocol) count++;
  });
  return {
    get count() {
      return count;
    },
    stop,
  };
}

/** A call with a progress token; resolves with its result and the notifications it got. */
async function callWithProgress(
  client: Client,
  name: string,
  args: Record<string, unknown>,
): Promise<{ result: Record<string, unknown>; seen: Progress[] }> {
  const seen: Progress[] = [];
  const result = await client.callTool({ name, arguments: args }, undefined, { onprogress: (p) => seen.push(p) });
  return { result: dataOf(result), seen };
}

function assertIncreasing(seen: Progress[], what: string): void {
  for (let i = 1; i < seen.length; i++) {
    assert(seen[i].progress > seen[i - 1].progress, `${what}: progress ${JSON.stringify(seen)} does not increase`);
  }
}

async function pagedHistoryReportsProgress(session: Session): Promise<void> {
  const { result, seen } = await callWithProgress(session.client, "futu_get_kline", { ...HISTORY, max_count: 3000 });
  assertEquals((result.rows as unknown[]).length, 3000);
  assertEquals(seen.map((p) => [p.progress, p.total]), [[1000, 3000], [2000, 3000], [3000, 3000]]);
  assert(seen.every((p) => p.message === "fetching candles"), JSON.stringify(seen));
}

async function batchedSnapshotsReportProgress(session: Session, sim: SimServer): Promise<void> {
  const snapshots = countRequests(sim, "Qot_GetSecuritySnapshot");
  const chains = countRequests(sim, "Qot_GetOptionChain");
  try {
    const { result, seen } = await callWithProgress(session.client, "futu_get_option_chain", {
      symbol: "US.AAPL",
      begin: "2026-11-26",
      end: "2027-06-26",
    });
    assert((result.contracts as number) > 400, `more contracts than one snapshot batch: ${result.contracts}`);
    assertEquals(chains.count, 7, "seven 30-day windows");
    assertEquals(snapshots.count, 2, "the contracts and the underlying in two batches of at most 400");
    assertIncreasing(seen, "option chain");
    assertEquals(seen.length, 9, "one notification per request");
    assertEquals(seen.slice(0, 7).map((p) => [p.progress, p.total]), [1, 2, 3, 4, 5, 6, 7].map((n) => [n, 7]));
    assertEquals(seen.slice(7).map((p) => [p.progress, p.total]), [[8, 9], [9, 9]]);
    assertEquals(
      seen[8].message,
      `option chain, ${(result.contracts as number) + 1} of ${(result.contracts as number) + 1} snapshots`,
    );
  } finally {
    snapshots.stop();
    chains.stop();
  }
}

async function windowedCalendarReportsProgress(session: Session): Promise<void> {
  const { seen } = await callWithProgress(session.client, "futu_get_earnings_calendar", {
    market: "US",
    begin: "2026-11-01",
    end: "2026-11-30",
  });
  assertEquals(seen.map((p) => [p.progress, p.total]), [[1, 4], [2, 4], [3, 4], [4, 4]], "8-day windows");
  assertEquals(seen.at(-1)!.message, "earnings to 2026-11-30");
}

/**
 * Cancels a 5-page history after its first page, while the simulator holds the reply to the second: once the
 * cancellation has reached the server, the reply is let go, and the call must ask for no third page.
 */
async function cancelledHistoryStops(session: Session, sim: SimServer): Promise<void> {
  let pages = 0;
  const secondAsked = Promise.withResolvers<void>();
  const stop = sim.onRequest((protocol) => {
    if (protocol !== "Qot_RequestHistoryKL") return;
    if (++pages === 2) {
      sim.faults.stallReplies(["Qot_RequestHistoryKL"]);
      secondAsked.resolve();
    }
  });
  try {
    const controller = new AbortController();
    const first = Promise.withResolvers<void>();
    const seen: Progress[] = [];
    const call = session.client.callTool(
      { name: "futu_get_kline", arguments: { ...HISTORY, max_count: 5000 } },
      undefined,
      {
        signal: controller.signal,
        onprogress: (p) => {
          seen.push(p);
          first.resolve();
        },
      },
    );
    await first.promise;
    await secondAsked.promise;
    controller.abort();
    // The SDK rejects an aborted call at once, wrapping the abort reason.
    await assertRejects(() => call, McpError, "AbortError");
    await session.cancelDelivered();
    sim.faults.resumeReplies();

    // The server keeps serving. The OpenD link carries requests in order, and this call's second page is asked
    // for only after its first page's reply, which came after the held reply: any page the cancelled call asked
    // for after that reply would have reached the simulator first.
    const after = await callWithProgress(session.client, "futu_get_kline", { ...HISTORY, max_count: 2000 });
    assertEquals((after.result.rows as unknown[]).length, 2000);
    assertEquals(pages, 4, "two pages of the cancelled call (the second one in flight), two of the next call");
    assertEquals(seen.map((p) => p.progress), [1000], "nothing after the cancellation");
    assertEquals(session.errors().map((e) => e.message), [], "no late result or progress reached the client");
  } finally {
    sim.faults.resumeReplies();
    stop();
  }
}

for (const [transport, open] of [["stdio", stdioSession], ["HTTP", httpSession]] as const) {
  Deno.test(`${transport}: long calls report increasing progress to a client that asks for it`, async () => {
    await using sim = await startSim();
    await using session = await open(sim);
    await pagedHistoryReportsProgress(session);
    await batchedSnapshotsReportProgress(session, sim);
    await windowedCalendarReportsProgress(session);
  });

  Deno.test(`${transport}: a cancelled history call asks OpenD for no more pages; the server keeps serving`, async () => {
    await using sim = await startSim();
    await using session = await open(sim);
    await cancelledHistoryStops(session, sim);
  });
}
