/**
 * The research data (fundamentals, ownership, rankings, options analytics,
 * indicators, macro, news, event contracts): what the tools use of OpenD's
 * research protocols. None needs a quote subscription except event contract
 * quotes, which the tools subscribe for first.
 *
 * @module
 */
import type { C2S, S2C } from "../gateway/proto/codec.ts";
import type { Gateway, InsightProtocol } from "../gateway/types.ts";

/** Research protocol requests, over one gateway. */
export class InsightService {
  readonly #gateway: Gateway;

  constructor(gateway: Gateway) {
    this.#gateway = gateway;
  }

  /** One request of a research protocol. */
  get<P extends InsightProtocol>(protocol: P, c2s: C2S<P>): Promise<S2C<P>> {
    return this.#gateway.insight.get(protocol, c2s);
  }
}
