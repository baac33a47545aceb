/**
 * The trivial stdio hop of `bench:all`: an MCP-shaped child that answers
 * `initialize` and then every request with a tool result whose JSON-RPC line
 * is `Deno.args[0]` bytes long (the size of futu-mcp's reply), doing nothing
 * else. Driven by the same SDK client as futu-mcp, it is what a stdio server
 * costs before it does any work.
 *
 * @module
 */
const size = Number(Deno.args[0] ?? 500);
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const chunk = new Uint8Array(64 * 1024);
let buffered = "";

function reply(id: unknown, method: string): string {
  if (method === "initialize") {
    return JSON.stringify({
      jsonrpc: "2.0",
      id,
      result: {
        protocolVersion: "2025-06-18",
        capabilities: { tools: {} },
        serverInfo: { name: "echo", version: "1" },
      },
    });
  }
  const line = (text: string) => JSON.stringify({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text }] } });
  return line("x".repeat(Math.max(0, size - line("").length)));
}

for (;;) {
  const n = await Deno.stdin.read(chunk);
  if (n === null) break;
  buffered += decoder.decode(chunk.subarray(0, n), { stream: true });
  let out = "";
  for (let at = buffered.indexOf("\n"); at !== -1; at = buffered.indexOf("\n")) {
    const message = JSON.parse(buffered.slice(0, at));
    buffered = buffered.slice(at + 1);
    if (message.id !== undefined && message.method) out += reply(message.id, message.method) + "\n";
  }
  if (out) {
    const bytes = encoder.encode(out);
    for (let written = 0; written < bytes.length;) written += await Deno.stdout.write(bytes.subarray(written));
  }
}
