/**
 * The chart renderer (src/services/chart.ts): a PNG of the stated size and well under 80 KB for 100 candles, with
 * the moving averages, the cost line and both colours in the picture it rasterises.
 *
 * @module
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { type ChartBar, ChartService, type ChartSpec } from "../../src/services/chart.ts";

/** The width and height in a PNG's IHDR chunk, after checking the signature. */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  assertEquals([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "the PNG signature");
  assertEquals(new TextDecoder().decode(png.subarray(12, 16)), "IHDR");
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** A random walk of daily candles, deterministic. */
function walk(count: number): ChartBar[] {
  let seed = 7;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  let close = 400;
  return Array.from({ length: count }, (_, i) => {
    const open = close;
    close = Math.max(1, open * (1 + (random() - 0.5) * 0.06));
    const day = new Date(Date.UTC(2026, 6, 1) + i * 86_400_000).toISOString().slice(0, 10);
    return {
      label: day,
      open,
      close,
      high: Math.max(open, close) * (1 + random() * 0.01),
      low: Math.min(open, close) * (1 - random() * 0.01),
      volume: Math.round(1e6 + random() * 5e6),
    };
  });
}

const SPEC: ChartSpec = {
  title: "HK.00700 TENCENT · daily",
  bars: walk(100),
  ma: [{ name: "MA5", values: walk(100).map((b) => b.close) }],
  cost: 380,
  width: 800,
  height: 500,
  colors: { up: "#16a34a", down: "#dc2626" },
};

Deno.test("a 100-candle chart is a PNG of the stated size, under 80 KB", async () => {
  const charts = new ChartService(() => import("../../src/services/chart_render.ts"));
  const png = await charts.candles(SPEC);
  assertEquals(pngSize(png), { width: 800, height: 500 });
  assert(png.length <= 80 * 1024, `${png.length} bytes`);
  const wide = await charts.candles({ ...SPEC, bars: walk(300), ma: [], width: 1000, height: 600 });
  assertEquals(pngSize(wide), { width: 1000, height: 600 });
});

Deno.test("the picture holds the title, the averages' legend, the cost line and both colours", async () => {
  const charts = new ChartService(() => import("../../src/services/chart_render.ts"));
  const svg = await charts.svg(SPEC);
  for (const text of ["HK.00700 TENCENT · daily", "MA5", "avg cost 380", "2026-07-01"]) {
    assert(svg.includes(text), `the SVG shows "${text}"`);
  }
  assert(svg.includes("stroke-dasharray"), "the cost line is dashed");
  assert(svg.toLowerCase().includes("#16a34a") && svg.toLowerCase().includes("#dc2626"), "up and down colours");
  const plain = await charts.svg({ ...SPEC, cost: undefined, ma: [] });
  assert(!plain.includes("avg cost") && !plain.includes("MA5"), "no cost line and no legend when not asked for");
});
