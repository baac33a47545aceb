/**
 * One way to observe a push (private to src/gateway): register with the
 * client, convert each decoded S2C to the values it carries, and hand them to
 * the caller one by one (a lazy `convert` converts each just before its call).
 *
 * @module
 */
import type { OpenDClient } from "./client.ts";
import type { PushProtocol, S2C } from "./proto/codec.ts";

/**
 * Calls `handler` with each value `convert` takes out of a push of
 * `protocol`. Returns the unsubscribe function.
 */
export function onPushOf<P extends PushProtocol, T>(
  client: OpenDClient,
  protocol: P,
  handler: (value: T) => void,
  convert: (s2c: S2C<P>) => Iterable<T>,
): () => void {
  return client.onPush(protocol, (s2c) => {
    for (const value of convert(s2c)) handler(value);
  });
}
