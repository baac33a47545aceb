/**
 * The chart renderer, loaded through {@link ChartService}'s loader: echarts draws the chart as SVG
 * on the server (no browser, no DOM), and resvg's WebAssembly build rasterises
 * it to PNG with an embedded font (Source Sans 3: resvg-wasm sees no system
 * fonts, and a compiled binary may run where there are none). The WebAssembly
 * module and the font are imported as bytes, so a bundle and a compiled binary
 * carry them and read no file at run time. futu-mcp imports it dynamically on
 * the first chart: it weighs about 3 MB, which futucli never loads.
 *
 * @module
 */
import wasm from "@resvg/resvg-wasm/index_bg.wasm" with { type: "bytes" };
import font from "source-sans/OTF/SourceSans3-Regular.otf" with { type: "bytes" };
// The prebuilt ES module: echarts' package entry reads process.env, which futu-mcp may not.
// @ts-types="echarts"
import * as echarts from "echarts/dist/echarts.esm.min.mjs";
import { initWasm, Resvg } from "@resvg/resvg-wasm";
import type { ChartSpec } from "./chart.ts";

await initWasm(wasm);

const FONT = "Source Sans 3";
const GRID_LEFT = 64;
const GRID_RIGHT = 16;
const MA_COLORS = ["#f0a30a", "#1f77b4", "#9467bd", "#8c564b"];

/** The echarts option of a candlestick chart with volume, moving averages and the position's cost. */
function optionOf(spec: ChartSpec): echarts.EChartsOption {
  const { bars, colors } = spec;
  const times = bars.map((b) => b.label);
  const cost = spec.cost === undefined ? [] : [{
    yAxis: spec.cost,
    name: "avg cost",
    label: { formatter: `avg cost ${spec.cost}`, position: "insideStartTop" as const, color: "#444" },
    lineStyle: { type: "dashed" as const, color: "#555", width: 1.5 },
  }];
  return {
    animation: false,
    backgroundColor: "#ffffff",
    textStyle: { fontFamily: FONT },
    title: {
      text: spec.title,
      left: GRID_LEFT,
      top: 8,
      textStyle: { fontSize: 16, fontWeight: "normal", fontFamily: FONT },
    },
    legend: {
      top: 10,
      right: GRID_RIGHT,
      data: spec.ma.map((m) => m.name),
      textStyle: { fontFamily: FONT, fontSize: 12 },
      itemWidth: 16,
      itemHeight: 2,
    },
    grid: [
      { left: GRID_LEFT, right: GRID_RIGHT, top: 40, height: "58%" },
      { left: GRID_LEFT, right: GRID_RIGHT, top: "76%", height: "16%" },
    ],
    xAxis: [
      { type: "category", data: times, boundaryGap: true, axisLabel: { show: false }, axisTick: { show: false } },
      {
        type: "category",
        gridIndex: 1,
        data: times,
        boundaryGap: true,
        axisLabel: { fontFamily: FONT, fontSize: 11, color: "#555", hideOverlap: true },
      },
    ],
    yAxis: [
      {
        scale: true,
        // The cost line is drawn even when the price never came near it: the axis stretches to it.
        ...(spec.cost === undefined ? {} : costRange(spec.cost)),
        splitLine: { lineStyle: { color: "#eee" } },
        axisLabel: { fontFamily: FONT, fontSize: 11, color: "#555" },
      },
      {
        gridIndex: 1,
        splitNumber: 2,
        splitLine: { show: false },
        axisLabel: { fontFamily: FONT, fontSize: 10, color: "#777", formatter: compact },
      },
    ],
    series: [
      {
        type: "candlestick",
        name: "price",
        data: bars.map((b) => [b.open, b.close, b.low, b.high]),
        itemStyle: { color: colors.up, color0: colors.down, borderColor: colors.up, borderColor0: colors.down },
        markLine: { symbol: "none", silent: true, data: cost },
      },
      ...spec.ma.map((m, i) => ({
        type: "line" as const,
        name: m.name,
        data: [...m.values],
        showSymbol: false,
        smooth: false,
        lineStyle: { width: 1.2, color: MA_COLORS[i % MA_COLORS.length] },
        itemStyle: { color: MA_COLORS[i % MA_COLORS.length] },
      })),
      {
        type: "bar",
        name: "volume",
        xAxisIndex: 1,
        yAxisIndex: 1,
        data: bars.map((b) => ({ value: b.volume, itemStyle: { color: b.close >= b.open ? colors.up : colors.down } })),
      },
    ],
  };
}

/** Axis bounds that hold both the prices and the cost, with a little room, at round numbers. */
function costRange(cost: number) {
  const pad = (range: { min: number; max: number }) => (Math.max(range.max, cost) - Math.min(range.min, cost)) * 0.04;
  const nice = (value: number) => Number(value.toPrecision(3));
  return {
    min: (range: { min: number; max: number }) => nice(Math.min(range.min, cost) - pad(range)),
    max: (range: { min: number; max: number }) => nice(Math.max(range.max, cost) + pad(range)),
  };
}

/** 1234567 → "1.2M": volume axis labels that fit. */
function compact(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e9) return `${(value / 1e9).toFixed(1)}B`;
  if (abs >= 1e6) return `${(value / 1e6).toFixed(1)}M`;
  if (abs >= 1e3) return `${(value / 1e3).toFixed(0)}K`;
  return String(value);
}

/** The chart as SVG text (echarts' server-side rendering). */
export function chartSvg(spec: ChartSpec): string {
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width: spec.width, height: spec.height });
  try {
    chart.setOption(optionOf(spec));
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** The chart as PNG bytes. */
export function chartPng(spec: ChartSpec): Uint8Array {
  const image = new Resvg(chartSvg(spec), {
    font: { fontBuffers: [font], loadSystemFonts: false, defaultFontFamily: FONT },
  }).render();
  try {
    return image.asPng();
  } finally {
    image.free();
  }
}
