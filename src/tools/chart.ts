/**
 * `futu_chart`: a candlestick chart with volume as a PNG image, optionally
 * with moving averages and the open position's average cost, plus a
 * one-paragraph summary. The picture is an MCP image content block; the
 * summary's figures are the structured result (the image's bytes are not, so
 * that a client that only reads structuredContent does not carry 50 KB of
 * base64 into the model's context).
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { z } from "zod";
import { KL_TYPE, type KLine, type KLTypeName, parseSymbol, type TradeTarget } from "../gateway/types.ts";
import type { ChartBar } from "../services/chart.ts";
import { enumArg, env, idArg, symbol } from "./args.ts";
import { defineTool, READ_OPEND } from "./tool.ts";

/** The picture's size: wide enough for 300 candles, small enough to stay well under 80 KB. */
const WIDTH = 800;
const HEIGHT = 500;

/** Up and down colours: green rises in Hong Kong and the US, red rises in mainland China (as Futu shows them). */
const WEST = { up: "#16a34a", down: "#dc2626" };
const MAINLAND = { up: "#dc2626", down: "#16a34a" };

const PERIOD_NAMES: Partial<Record<KLTypeName, string>> = {
  K_DAY: "daily",
  K_WEEK: "weekly",
  K_MON: "monthly",
  K_QUARTER: "quarterly",
  K_YEAR: "yearly",
};

function periodName(klType: KLTypeName): string {
  return PERIOD_NAMES[klType] ?? `${klType.slice(2).toLowerCase()}`;
}

/** A candle's x-axis label: the date for daily and longer candles, month-day and time within a day. */
function label(time: string, klType: KLTypeName): string {
  return PERIOD_NAMES[klType] ? time.slice(0, 10) : `${time.slice(5, 10)} ${time.slice(11, 16)}`;
}

/** Simple moving averages of the closes, over the whole series; null until the period is full. */
function movingAverage(closes: readonly number[], period: number): (number | null)[] {
  let sum = 0;
  return closes.map((close, i) => {
    sum += close;
    if (i >= period) sum -= closes[i - period];
    return i >= period - 1 ? round(sum / period) : null;
  });
}

function round(value: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function complete(k: KLine): k is KLine & { open: number; high: number; low: number; close: number } {
  return k.open !== undefined && k.high !== undefined && k.low !== undefined && k.close !== undefined;
}

const output = z.object({
  symbol: z.string(),
  name: z.string().optional(),
  kl_type: z.string(),
  bars: z.number().describe("candles drawn"),
  from: z.string(),
  to: z.string(),
  open: z.number(),
  close: z.number(),
  high: z.number(),
  low: z.number(),
  change_pct: z.number().describe("close of the last candle vs open of the first, percent"),
  volume: z.number(),
  ma: z.array(z.object({ period: z.number(), value: z.number().nullable() })).describe("at the last candle"),
  position: z.object({
    acc_id: z.string(),
    qty: z.number(),
    cost_price: z.number().optional(),
  }).optional().describe("absent: not asked for; qty 0: no open position"),
  width: z.number(),
  height: z.number(),
  png_bytes: z.number(),
});

const chart = defineTool({
  name: "futu_chart",
  title: "Chart",
  description:
    "PNG candlestick chart with volume, and a summary. Optional moving averages (ma: [5, 20]) and the position's average cost (position: true, needs acc:read).",
  toolset: "quote",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    symbol,
    kl_type: enumArg(KL_TYPE).optional().default("K_DAY"),
    bars: z.int().min(10).max(300).optional().default(100),
    ma: z.array(z.int().min(2).max(250)).max(4).optional().default([]).describe("periods"),
    position: z.boolean().optional().default(false),
    acc_id: idArg("acc_id").optional().describe("with position"),
    env,
  }),
  output,
  accountRead: (ctx, args) =>
    args.position
      ? ctx.accounts.resolve({ accId: args.acc_id, env: args.env, symbol: args.symbol })
      : Promise.resolve(undefined),
  async run(ctx, args, target?: TradeTarget) {
    const longest = Math.max(0, ...args.ma);
    // Enough earlier candles that every average is defined from the first drawn candle.
    const series = await ctx.market.latestKlines(
      args.symbol,
      args.kl_type,
      args.bars + Math.max(0, longest - 1),
      "FORWARD",
    );
    const all = series.klines.filter(complete);
    if (all.length === 0) throw new Error(`no candles for ${series.symbol} (${args.kl_type})`);
    const shown = all.slice(-args.bars);
    const skipped = all.length - shown.length;
    const closes = all.map((k) => k.close);
    const ma = args.ma.map((period) => ({ period, values: movingAverage(closes, period).slice(skipped) }));
    let position: z.output<typeof output>["position"];
    if (target) {
      const held = (await ctx.accounts.positions(target)).find((p) => p.symbol === series.symbol && p.qty !== 0);
      position = { acc_id: target.accId, qty: held?.qty ?? 0, cost_price: held?.costPrice };
    }
    const bars: ChartBar[] = shown.map((k) => ({
      label: label(k.time, args.kl_type),
      open: k.open,
      high: k.high,
      low: k.low,
      close: k.close,
      volume: k.volume ?? 0,
    }));
    const mainland = ["SH", "SZ"].includes(parseSymbol(series.symbol).market);
    const png = await ctx.charts.candles({
      title: `${series.symbol}${series.name ? ` ${series.name}` : ""} · ${periodName(args.kl_type)}`,
      bars,
      ma: ma.map((m) => ({ name: `MA${m.period}`, values: m.values })),
      cost: position?.cost_price,
      width: WIDTH,
      height: HEIGHT,
      colors: mainland ? MAINLAND : WEST,
    });
    const first = shown[0];
    const last = shown[shown.length - 1];
    const summary: z.output<typeof output> = {
      symbol: series.symbol,
      name: series.name,
      kl_type: args.kl_type,
      bars: shown.length,
      from: first.time,
      to: last.time,
      open: first.open,
      close: last.close,
      high: Math.max(...shown.map((k) => k.high)),
      low: Math.min(...shown.map((k) => k.low)),
      change_pct: round((last.close / first.open - 1) * 100, 2),
      volume: shown.reduce((s, k) => s + (k.volume ?? 0), 0),
      ma: ma.map((m) => ({ period: m.period, value: m.values[m.values.length - 1] })),
      position,
      width: WIDTH,
      height: HEIGHT,
      png_bytes: png.length,
    };
    // The bytes ride beside the summary: the guard sends them as the image block only.
    return Object.assign(summary, { png: Buffer.from(png).toString("base64") });
  },
  image: (r) => ({ data: (r as { png?: string }).png ?? "", mimeType: "image/png" }),
  text: (r) => {
    const averages = r.ma.map((m) => `MA${m.period} ${m.value ?? "n/a"}`).join(", ");
    const position = r.position === undefined
      ? ""
      : r.position.qty === 0 || r.position.cost_price === undefined
      ? ` No open position in account ${r.position.acc_id}.`
      : ` Position ${r.position.qty} at an average cost of ${r.position.cost_price} (the dashed line), ${
        round((r.close / r.position.cost_price - 1) * 100, 2)
      }% from the last close.`;
    return `${r.symbol}${r.name ? ` ${r.name}` : ""}: ${r.bars} ${periodName(r.kl_type as KLTypeName)} candles from ${
      r.from.slice(0, 16)
    } to ${r.to.slice(0, 16)}; opened at ${r.open}, closed at ${r.close} (${
      r.change_pct >= 0 ? "+" : ""
    }${r.change_pct}%),` +
      ` range ${r.low}–${r.high}, volume ${r.volume.toLocaleString("en-US")}.${
        averages ? ` ${averages} at the last candle.` : ""
      }` +
      `${position} Image: ${r.width}×${r.height} PNG, ${r.png_bytes.toLocaleString("en-US")} bytes.`;
  },
});

/** The chart tools. */
export const CHART_TOOLS = [chart];
