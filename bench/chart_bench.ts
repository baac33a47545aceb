/**
 * futu_chart's renderer: a 100-candle chart with volume, two moving averages and a cost line, to SVG (echarts)
 * and to PNG (resvg). Loading the renderer (once per process) is timed before the benchmarks and printed with
 * the PNG's size.
 *
 *   deno task bench bench/chart_bench.ts
 *
 * @module
 */
import { type ChartBar, ChartService, type ChartSpec } from "../src/services/chart.ts";

function walk(count: number): ChartBar[] {
  let seed = 11;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  let close = 400;
  return Array.from({ length: count }, (_, i) => {
    const open = close;
    close = open * (1 + (random() - 0.5) * 0.05);
    return {
      label: new Date(Date.UTC(2026, 6, 1) + i * 86_400_000).toISOString().slice(0, 10),
      open,
      close,
      high: Math.max(open, close) * 1.01,
      low: Math.min(open, close) * 0.99,
      volume: Math.round(1e6 + random() * 5e6),
    };
  });
}

const bars = walk(100);
const average = (period: number) =>
  bars.map((_, i) =>
    i + 1 < period ? null : bars.slice(i + 1 - period, i + 1).reduce((s, b) => s + b.close, 0) / period
  );
const SPEC: ChartSpec = {
  title: "HK.00700 TENCENT · daily",
  bars,
  ma: [{ name: "MA5", values: average(5) }, { name: "MA20", values: average(20) }],
  cost: 380,
  width: 800,
  height: 500,
  colors: { up: "#16a34a", down: "#dc2626" },
};

const charts = new ChartService(() => import("../src/services/chart_render.ts"));
const started = performance.now();
const first = await charts.candles(SPEC);
console.log(
  `renderer load + first 100-candle PNG: ${(performance.now() - started).toFixed(0)} ms; PNG ${first.length} bytes`,
);

Deno.bench("chart: 100 candles to SVG (echarts)", { group: "chart", baseline: true }, async () => {
  await charts.svg(SPEC);
});
Deno.bench("chart: 100 candles to PNG (echarts + resvg)", { group: "chart" }, async () => {
  await charts.candles(SPEC);
});
