/**
 * Loopback ports for tests.
 *
 * @module
 */

/** A loopback port free a moment ago, for a listener a child process (futu-mcp, a client) opens itself. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  return port;
}
