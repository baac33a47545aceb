/**
 * Technical indicators calculated by OpenD: a request carrying the K-lines,
 * answered by a push with the output lines (`../gateway/indicator_calc.ts`).
 * The indicator list is an ordinary research request (`InsightService`).
 *
 * @example
 * ```ts
 * // const services = createServices(gateway, options);
 * // const result = await services.indicators.calculate({ shortName: "RSI", langType: 1, data });
 * ```
 *
 * @module
 */
import { calculateIndicator } from "../gateway/indicator_calc.ts";
import type { C2S, S2C } from "../gateway/proto/codec.ts";
import type { Gateway } from "../gateway/types.ts";

/** Indicator calculations, over one gateway. */
export class IndicatorService {
  readonly #gateway: Gateway;

  constructor(gateway: Gateway) {
    this.#gateway = gateway;
  }

  /** Sends a calculation and resolves with its result (the push paired by calcId); `signal` stops the wait. */
  calculate(
    c2s: C2S<"Qot_RequestIndicatorCalc">,
    options: { timeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<S2C<"Qot_PushIndicatorCalc">> {
    return calculateIndicator(this.#gateway.client, c2s, options);
  }
}
