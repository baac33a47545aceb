/**
 * An indicator calculation as one call: OpenD answers Qot_RequestIndicatorCalc
 * with a calcId at once and sends the result later as a Qot_PushIndicatorCalc
 * push carrying that calcId. {@link calculateIndicator} listens for the push
 * before it sends the request (a push may arrive before the reply it pairs
 * with), keeps pushes of other calcIds apart, and fails with a
 * {@link IndicatorCalcTimeoutError} naming the calcId when the result does not
 * arrive in time (or with an `AbortError` when the caller's signal aborts).
 *
 * @example
 * ```ts
 * import { Gateway } from "./mod.ts";
 * import { calculateIndicator } from "./indicator_calc.ts";
 * const gateway = await Gateway.connect({ gateway: "127.0.0.1:11111" });
 * const result = await calculateIndicator(gateway.client, {
 *   shortName: "MA",
 *   langType: 1,
 *   data: { security: { market: 11, code: "AAPL" }, klType: 2, kLine: [] },
 * });
 * console.log(result.outputs, result.outputRows);
 * ```
 *
 * @module
 */
import type { OpenDClient } from "./client.ts";
import { GatewayTimeoutError } from "./errors.ts";
import { cancelledError, throwIfCancelled } from "./long_read.ts";
import type { C2S, S2C } from "./proto/codec.ts";

/** How long a result may take after the reply, by default. */
export const INDICATOR_CALC_TIMEOUT_MS = 15_000;

/** The result push did not arrive in time. */
export class IndicatorCalcTimeoutError extends GatewayTimeoutError {
  override name = "IndicatorCalcTimeoutError";
  constructor(readonly calcId: string, timeoutMs: number) {
    super("Qot_PushIndicatorCalc", timeoutMs);
    this.message = `Qot_PushIndicatorCalc: the result of calculation ${calcId} did not arrive within ${timeoutMs} ms`;
  }
}

/**
 * Sends an indicator calculation and resolves with its result push. An aborted `signal` sends nothing, or stops
 * the wait for the push (an `AbortError`): the calculation OpenD already runs is left to finish unheard.
 */
export async function calculateIndicator(
  client: OpenDClient,
  c2s: C2S<"Qot_RequestIndicatorCalc">,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<S2C<"Qot_PushIndicatorCalc">> {
  const timeoutMs = options.timeoutMs ?? INDICATOR_CALC_TIMEOUT_MS;
  const signal = options.signal;
  throwIfCancelled(signal);
  const early = new Map<string, S2C<"Qot_PushIndicatorCalc">>();
  let wanted: string | undefined;
  let deliver: ((s2c: S2C<"Qot_PushIndicatorCalc">) => void) | undefined;
  const off = client.onPush("Qot_PushIndicatorCalc", (s2c) => {
    if (wanted === undefined) {
      // Before the reply: the calcId is not known yet; a few pushes are kept (others' are dropped with them).
      if (early.size < 64) early.set(s2c.calcId, s2c);
    } else if (s2c.calcId === wanted) {
      deliver?.(s2c);
    }
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  try {
    const { calcId } = await client.request("Qot_RequestIndicatorCalc", c2s);
    throwIfCancelled(signal);
    const arrived = early.get(calcId);
    if (arrived) return arrived;
    early.clear();
    wanted = calcId;
    return await new Promise<S2C<"Qot_PushIndicatorCalc">>((resolve, reject) => {
      deliver = resolve;
      timer = setTimeout(() => reject(new IndicatorCalcTimeoutError(calcId, timeoutMs)), timeoutMs);
      onAbort = () => reject(cancelledError());
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener("abort", onAbort);
    off();
  }
}
