/**
 * `/ws`: quote, order and fill pushes over a WebSocket, for clients that want
 * a stream rather than MCP notifications. Authenticated like `/mcp` (bearer
 * token at the upgrade); each subscription runs through the tool guard as
 * `futu_watch_quotes` or `futu_watch_orders`, so scopes, the account
 * whitelist, audit and metrics are the same, and every push is filtered again
 * at dispatch.
 *
 * Client messages:
 * `{"op":"subscribe","symbols":["HK.00700"],"sub_types":["QUOTE"]}`,
 * `{"op":"subscribe","acc_ids":["6234567"]}`, the same with `"op":"unsubscribe"`,
 * and `{"op":"ping"}`. Server messages: `{"type":"ack",…}`, `{"type":"error",…}`,
 * `{"type":"pong"}`, and pushes `{"type":"quote"|"kline"|"ticker"|"orderbook"|"rt"|"broker","symbol",…}`,
 * `{"type":"order"|"fill","acc_id","env","market","data"}`.
 *
 * @module
 */
import type { PushHub } from "../services/push.ts";
import type { ToolGuard } from "../tools/guard.ts";
import type { HttpPrincipal } from "./http.ts";

/** Largest accepted client message. */
const MAX_MESSAGE_BYTES = 64 * 1024;

/** Upgrades an authenticated request to a push WebSocket. */
export function acceptPushSocket(request: Request, principal: HttpPrincipal, guard: ToolGuard, hub: PushHub): Response {
  if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
    return new Response("expected a WebSocket upgrade\n", { status: 426, headers: { upgrade: "websocket" } });
  }
  const { socket, response } = Deno.upgradeWebSocket(request);
  const sessionId = `ws-${crypto.randomUUID()}`;
  const send = (message: unknown) => {
    if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  };
  const meta = { transport: "http" as const, bearer: principal.bearer, push: { id: sessionId, send } };
  socket.onmessage = async (event) => {
    if (typeof event.data !== "string" || event.data.length > MAX_MESSAGE_BYTES) {
      send({
        type: "error",
        code: "invalid_message",
        error: `send JSON text messages up to ${MAX_MESSAGE_BYTES} bytes`,
      });
      return;
    }
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(event.data);
      if (!message || typeof message !== "object" || Array.isArray(message)) throw new Error("not an object");
    } catch (err) {
      send({ type: "error", code: "invalid_message", error: `invalid JSON message: ${(err as Error).message}` });
      return;
    }
    const { op, ...rest } = message;
    if (op === "ping") return send({ type: "pong" });
    if (op !== "subscribe" && op !== "unsubscribe") {
      send({ type: "error", code: "invalid_message", error: 'op must be "subscribe", "unsubscribe" or "ping"' });
      return;
    }
    const tool = "acc_ids" in rest ? "futu_watch_orders" : "futu_watch_quotes";
    const result = await guard.call(tool, { ...rest, stop: op === "unsubscribe" }, meta);
    if (result.isError) send({ type: "error", ...JSON.parse(result.content[0].text) });
    else send({ type: "ack", op, ...result.structuredContent });
  };
  socket.onclose = () => {
    hub.removeSession(sessionId).catch(() => {});
  };
  return response;
}
