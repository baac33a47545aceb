/**
 * What the research tools share (private to src/tools): the result of one
 * research protocol rendered from its shape, the output schema of a tool that
 * answers from one of several protocols (a `view` argument picks which), and
 * the text rendering. See `_tabular.ts` for the rendering rules.
 *
 * @example
 * ```ts
 * import { insightOutput, insightResult } from "./_insight.ts";
 * const output = insightOutput({ symbol: z.string() }, ["Qot_GetCompanyProfile", "Qot_GetCompanyExecutives"]);
 * // in run(): return { symbol, ...insightResult("Qot_GetCompanyProfile", s2c) };
 * ```
 *
 * @module
 */
import { z } from "zod";
import type { InsightProtocol } from "../gateway/insight_api.ts";
import type { C2S, S2C } from "../gateway/proto/codec.ts";
import type { Qot_OptionCommon_Interval } from "../gateway/proto/messages.ts";
import { s2cShape } from "../gateway/proto/shape.ts";
import type { InsightService } from "../services/insight.ts";
import { type PlainRecord, tabularSchema, tabularText, tabulate } from "./_tabular.ts";

/** A protocol's reply rendered for a model (snake_case, enums by name, lists as tables). */
export function insightResult<P extends InsightProtocol>(protocol: P, s2c: S2C<P>): PlainRecord {
  return tabulate(s2cShape(protocol), s2c as unknown as Record<string, unknown>);
}

/**
 * The output schema of a tool answering from any of `protocols`: the keys the tool sets itself
 * (`common`) and every rendered key of those protocols' replies (all optional; where two protocols
 * render one key differently, either form). Built on first use (a call's result check, or a
 * listing with output schemas), so that defining the research tools costs start-up nothing: their
 * protocols' schemas are only loaded when used.
 */
export function insightOutput<C extends z.ZodRawShape>(common: C, protocols: readonly InsightProtocol[]) {
  return z.lazy(() => mergedOutput(common, protocols));
}

function mergedOutput<C extends z.ZodRawShape>(common: C, protocols: readonly InsightProtocol[]) {
  const merged: Record<string, z.ZodType> = {};
  for (const protocol of protocols) {
    for (const [key, schema] of Object.entries(tabularSchema(s2cShape(protocol)).shape)) {
      if (key in common) throw new Error(`${protocol} renders ${key}, which the tool sets itself`);
      const inner = (schema as z.ZodOptional<z.ZodType>).unwrap();
      const known = merged[key];
      merged[key] = known === undefined ? inner : z.union([known, inner]);
    }
  }
  const optional = Object.fromEntries(Object.entries(merged).map(([k, v]) => [k, v.optional()]));
  return z.object({ ...common, ...optional } as C & Record<string, z.ZodOptional<z.ZodType>>);
}

/** The text rendering of a research result (scalars as lines, tables tab-separated). */
export function insightText(result: Record<string, unknown>): string {
  return tabularText(result as PlainRecord);
}

/** Asks one research protocol and renders its reply ({@link insightResult}). */
export async function insightAnswer<P extends InsightProtocol>(
  ctx: { readonly insight: InsightService },
  protocol: P,
  c2s: C2S<P>,
): Promise<PlainRecord> {
  return insightResult(protocol, await ctx.insight.get(protocol, c2s));
}

/** A wire interval with inclusive bounds; none when neither bound is given. */
export function interval(min?: number, max?: number): Qot_OptionCommon_Interval | undefined {
  if (min === undefined && max === undefined) return undefined;
  return {
    filterMin: min === undefined ? undefined : { value: min, includes: true },
    filterMax: max === undefined ? undefined : { value: max, includes: true },
  };
}

/** A reply's bytes paging key as the text the next call passes back (base64); none when empty. */
export function pageKeyText(key: Uint8Array | undefined): string | undefined {
  return key && key.length > 0 ? btoa(String.fromCharCode(...key)) : undefined;
}

/** The bytes of a paging key text from {@link pageKeyText}. */
export function pageKeyBytes(text: string | undefined): Uint8Array | undefined {
  return text === undefined ? undefined : Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}
