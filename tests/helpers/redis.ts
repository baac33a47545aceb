/**
 * A real Redis for tests: Debian's redis-server on a free loopback port, with
 * no persistence, stopped and started again on the same port to test outages.
 * Without redis-server the tests that need it skip with a loud message; with
 * FUTU_TEST_REQUIRE_REDIS=1 (CI) they fail instead.
 *
 * @module
 */
import { freePort } from "./net.ts";

/** A running (or stopped) redis-server of a test. */
export interface TestRedis extends AsyncDisposable {
  readonly port: number;
  /** `redis://127.0.0.1:<port>/0`. */
  readonly url: string;
  /** Stops the server (its data goes with it: no persistence). */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
}

async function installed(): Promise<boolean> {
  try {
    const out = await new Deno.Command("redis-server", { args: ["--version"], stdout: "null", stderr: "null" })
      .output();
    return out.success;
  } catch {
    return false;
  }
}

/** Waits until the server answers PING on its port (it prints nothing we could await on a pipe). */
async function answering(port: number, deadline: number): Promise<void> {
  for (;;) {
    try {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      try {
        await conn.write(new TextEncoder().encode("PING\r\n"));
        const buffer = new Uint8Array(16);
        const n = await conn.read(buffer);
        if (new TextDecoder().decode(buffer.subarray(0, n ?? 0)).startsWith("+PONG")) return;
      } finally {
        conn.close();
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`redis-server did not answer on port ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Starts redis-server, or returns undefined (after saying so) when it is not installed outside CI. */
export async function startRedis(testFile: string): Promise<TestRedis | undefined> {
  if (!(await installed())) {
    if (Deno.env.get("FUTU_TEST_REQUIRE_REDIS") === "1") {
      throw new Error("FUTU_TEST_REQUIRE_REDIS=1 but redis-server is not installed (apt-get install redis-server)");
    }
    console.log(`\n!!! SKIPPING ${testFile}: redis-server is not installed (apt-get install redis-server) !!!\n`);
    return undefined;
  }
  const port = freePort();
  let child: Deno.ChildProcess | undefined;
  const start = async () => {
    child = new Deno.Command("redis-server", {
      args: ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
      stdout: "null",
      stderr: "null",
    }).spawn();
    await answering(port, Date.now() + 10_000);
  };
  const stop = async () => {
    if (!child) return;
    child.kill("SIGKILL");
    await child.status;
    child = undefined;
  };
  await start();
  return { port, url: `redis://127.0.0.1:${port}/0`, stop, start, [Symbol.asyncDispose]: stop };
}
