/**
 * The candles a K-line-shaped request asks for (private to src/tools): the
 * latest `max_count`, or with `begin` a date range (`end` defaults to today)
 * across pages, reporting progress and stopping between pages when the call
 * is cancelled. Shared by `futu_get_kline` and `futu_calc_indicator`.
 *
 * @example
 * ```ts
 * import { fetchKlines } from "./_klines.ts";
 * // in run(): const series = await fetchKlines(ctx, args, args.page);
 * ```
 *
 * @module
 */
import type { KLineSeries, KLTypeName, RehabTypeName } from "../gateway/types.ts";
import type { ToolContext } from "./tool.ts";

/** The arguments of a K-line request, as the tools' schemas parse them. */
export interface KlineArgs {
  symbol: string;
  kl_type: KLTypeName;
  max_count: number;
  begin?: string;
  end?: string;
  rehab: RehabTypeName;
}

/** The latest `max_count` candles, or those from `begin` to `end` (one page from `pageKey` when given). */
export function fetchKlines(ctx: ToolContext, args: KlineArgs, pageKey?: string): Promise<KLineSeries> {
  if (args.begin === undefined) return ctx.market.latestKlines(args.symbol, args.kl_type, args.max_count, args.rehab);
  return ctx.market.historyKlines(args.symbol, args.kl_type, {
    begin: args.begin,
    end: args.end ?? new Date().toISOString().slice(0, 10),
    rehab: args.rehab,
    maxCount: args.max_count,
    pageKey,
    onPage: (done) => ctx.progress(done, args.max_count, "fetching candles"),
    signal: ctx.signal,
  });
}
