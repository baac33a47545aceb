/**
 * A handler of a research protocol whose data is generated from its shape
 * (private to src/sim): the security the request names must be in the
 * catalog, lists are as long as the request's count or page size asks (at
 * most 20), and the reply is a pure function of the seed and the request.
 * Modelled handlers pass `finish` to set their market-linked fields.
 *
 * @module
 */
import type { C2S, S2C } from "../gateway/proto/codec.ts";
import type { Qot_Common_Security } from "../gateway/proto/messages.ts";
import { s2cShape } from "../gateway/proto/shape.ts";
import type { InsightProtocol } from "../gateway/insight_api.ts";
import { resolve } from "./_handler_common.ts";
import type { SimSecurity } from "./catalog.ts";
import { generate, type GenerateHints, SeededRandom } from "./generated_data.ts";
import type { Handler, SimContext } from "./handlers.ts";

/** Names of request fields that set how many items a reply lists. */
const COUNT_FIELDS = ["num", "count", "pageSize", "reqNum", "limit", "size"] as const;

/** What a generated reply is built from. */
export interface GeneratedRequest<P extends InsightProtocol> {
  ctx: SimContext;
  c2s: C2S<P>;
  /** The catalog security the request names (its `security` field), if it names one. */
  security?: SimSecurity;
  random: SeededRandom;
  hints: GenerateHints;
}

/** Options of {@link generatedHandler}. */
export interface GeneratedHandlerOptions<P extends InsightProtocol> {
  /** Checks the request beyond its security; fails it with an OpenD-style message. */
  validate?(c2s: C2S<P>): void;
  /** Values for fields of these names wherever they appear (e.g. "nextKey": "-1"). */
  overrides?(request: GeneratedRequest<P>): Readonly<Record<string, unknown>>;
  /** Sets what the market model decides, after generation. */
  finish?(s2c: S2C<P>, request: GeneratedRequest<P>): S2C<P>;
}

function securityField(c2s: object): Qot_Common_Security | undefined {
  const value = (c2s as Record<string, unknown>).security;
  return typeof value === "object" && value !== null ? value as Qot_Common_Security : undefined;
}

function countOf(c2s: object): number | undefined {
  for (const name of COUNT_FIELDS) {
    const value = (c2s as Record<string, unknown>)[name];
    if (typeof value === "number" && value > 0) return value;
  }
  return undefined;
}

/** A handler replying with generated data of the protocol's S2C shape. */
export function generatedHandler<P extends InsightProtocol>(
  protocol: P,
  options: GeneratedHandlerOptions<P> = {},
): Handler<P> {
  return (ctx, _session, c2s) => {
    const wire = securityField(c2s);
    const security = wire ? resolve(wire) : undefined;
    options.validate?.(c2s);
    const random = new SeededRandom(ctx.market.seed, protocol, JSON.stringify(c2s));
    const hints: GenerateHints = { nowMs: ctx.market.clock.now(), security, listLength: countOf(c2s) };
    const request: GeneratedRequest<P> = { ctx, c2s, security, random, hints };
    const overrides = options.overrides?.(request);
    const s2c = generate(s2cShape(protocol), random, { ...hints, overrides }) as S2C<P>;
    return options.finish ? options.finish(s2c, request) : s2c;
  };
}
