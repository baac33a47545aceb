/**
 * Charts as PNG images: candlesticks with volume, moving averages and a
 * position's average cost, for MCP clients that show pictures. The renderer
 * (echarts and resvg, about 3 MB with its font) is loaded on the first chart,
 * through the loader the program passes.
 *
 * @example
 * ```ts
 * import { ChartService } from "./chart.ts";
 * const charts = new ChartService(() => import("./chart_render.ts"));
 * // const png = await charts.candles({ title: "HK.00700", bars, ma: [], width: 800, height: 500, colors });
 * ```
 *
 * @module
 */

/** One candle as the chart draws it. */
export interface ChartBar {
  /** The x-axis label ("2026-11-26", "11-26 10:30"). */
  label: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** What a candlestick chart shows. */
export interface ChartSpec {
  title: string;
  bars: readonly ChartBar[];
  /** Moving averages: a name for the legend and one value per bar (null before the period is full). */
  ma: readonly { name: string; values: readonly (number | null)[] }[];
  /** A horizontal dashed line: the open position's average cost. */
  cost?: number;
  width: number;
  height: number;
  /** Rising and falling candles (markets differ: red rises in mainland China). */
  colors: { up: string; down: string };
}

/** The renderer module (`chart_render.ts`): echarts, resvg and the font, about 3 MB. */
export interface ChartRenderer {
  chartPng(spec: ChartSpec): Uint8Array;
  chartSvg(spec: ChartSpec): string;
}

/** See the module documentation. */
export class ChartService {
  readonly #loader?: () => Promise<ChartRenderer>;
  #renderer?: Promise<ChartRenderer>;

  /**
   * @param loader imports the renderer on the first chart, e.g. `() => import("./chart_render.ts")`. The program
   * that draws charts passes it, so that one that draws none (futucli) neither bundles nor parses the renderer.
   */
  constructor(loader?: () => Promise<ChartRenderer>) {
    this.#loader = loader;
  }

  #load(): Promise<ChartRenderer> {
    if (!this.#loader) return Promise.reject(new Error("this program draws no charts (futu-mcp does)"));
    // A failed load (it never should) is not cached: the next chart tries again.
    return this.#renderer ??= this.#loader().catch((err) => {
      this.#renderer = undefined;
      throw err;
    });
  }

  /** The chart as PNG bytes. */
  async candles(spec: ChartSpec): Promise<Uint8Array> {
    return (await this.#load()).chartPng(spec);
  }

  /** The chart as SVG text (what is rasterised). */
  async svg(spec: ChartSpec): Promise<string> {
    return (await this.#load()).chartSvg(spec);
  }
}
