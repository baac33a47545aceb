/**
 * A real Redis for tests: Debian's redis-server on a free loopback port, with
 * no persistence, stopped and started again on the same port to test outages;
 * optionally with a password and TLS only (its configuration goes on stdin, so
 * the password is on no command line).
 * Without redis-server the tests that need it skip with a loud message; with
 * FUTU_TEST_REQUIRE_REDIS=1 (CI) they fail instead.
 *
 * @module
 */
import { freePort } from "./net.ts";

/** A password, and TLS only (`rediss://`) with these PEM files. */
export interface TestRedisOptions {
  password?: string;
  tls?: { cert: string; key: string; ca: string };
}

/** A running (or stopped) redis-server of a test. */
export interface TestRedis extends AsyncDisposable {
  readonly port: number;
  /** `redis://127.0.0.1:<port>/0`, or `rediss://…` with TLS. */
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

/**
 * Waits until the server answers PING on its port (it prints nothing we could await on a pipe); with a password
 * the answer is that one is needed, which is as good.
 */
async function answering(port: number, deadline: number, ca?: string): Promise<void> {
  for (;;) {
    try {
      const conn = ca === undefined
        ? await Deno.connect({ hostname: "127.0.0.1", port })
        : await Deno.connectTls({ hostname: "127.0.0.1", port, caCerts: [ca] });
      try {
        await conn.write(new TextEncoder().encode("PING\r\n"));
        const buffer = new Uint8Array(16);
        const n = await conn.read(buffer);
        if (/^(\+PONG|-NOAUTH)/.test(new TextDecoder().decode(buffer.subarray(0, n ?? 0)))) return;
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
export async function startRedis(testFile: string, options: TestRedisOptions = {}): Promise<TestRedis | undefined> {
  if (!(await installed())) {
    if (Deno.env.get("FUTU_TEST_REQUIRE_REDIS") === "1") {
      throw new Error("FUTU_TEST_REQUIRE_REDIS=1 but redis-server is not installed (apt-get install redis-server)");
    }
    console.log(`\n!!! SKIPPING ${testFile}: redis-server is not installed (apt-get install redis-server) !!!\n`);
    return undefined;
  }
  const port = freePort();
  const { tls, password } = options;
  const config = [
    "bind 127.0.0.1",
    'save ""',
    "appendonly no",
    ...(tls
      ? ["port 0", `tls-port ${port}`, `tls-cert-file ${tls.cert}`, `tls-key-file ${tls.key}`]
        .concat([`tls-ca-cert-file ${tls.ca}`, "tls-auth-clients no"])
      : [`port ${port}`]),
    ...(password ? [`requirepass ${password}`] : []),
  ].join("\n");
  const ca = tls ? await Deno.readTextFile(tls.ca) : undefined;
  let child: Deno.ChildProcess | undefined;
  const start = async () => {
    // "-": the configuration from stdin.
    child = new Deno.Command("redis-server", { args: ["-"], stdin: "piped", stdout: "null", stderr: "null" }).spawn();
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(`${config}\n`));
    await writer.close();
    await answering(port, Date.now() + 10_000, ca);
  };
  const stop = async () => {
    if (!child) return;
    child.kill("SIGKILL");
    await child.status;
    child = undefined;
  };
  await start();
  return { port, url: `${tls ? "rediss" : "redis"}://127.0.0.1:${port}/0`, stop, start, [Symbol.asyncDispose]: stop };
}
