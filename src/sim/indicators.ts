/**
 * The simulator's technical indicator engine (Qot_GetIndicatorList and
 * Qot_RequestIndicatorCalc / Qot_PushIndicatorCalc): a fixed, documented set
 * of built-in indicators, each listed in a MyLang and a Python version with
 * its inputs (defaults and bounds) and output lines, and computed exactly from
 * the K-lines a request carries. Nothing here is generated.
 *
 * | short name | inputs (default) | outputs | definition |
 * |---|---|---|---|
 * | MA | N (5) | MA | simple average of the last N closes |
 * | EMA | N (12) | EMA | Y = (2·C + (N−1)·Y′)/(N+1), seeded with the first close (MyLang's EMA) |
 * | MACD | SHORT (12), LONG (26), M (9) | DIF, DEA, MACD | DIF = EMA(C,SHORT) − EMA(C,LONG); DEA = EMA(DIF,M); MACD = 2·(DIF − DEA) |
 * | RSI | N (14) | RSI | Wilder: the first average is the mean of the first N gains (losses), then A = (A′·(N−1) + x)/N; RSI = 100·G/(G+L), 50 when both are 0 |
 * | BOLL | N (20), P (2) | MID, UPPER, LOWER | MID = MA(C,N); UPPER/LOWER = MID ± P·σ, σ the population standard deviation of the last N closes |
 * | KDJ | N (9), M1 (3), M2 (3) | K, D, J | RSV = (C − LLV(L,N))/(HHV(H,N) − LLV(L,N))·100 (50 on a flat window); K = ((M1−1)·K′ + RSV)/M1, D = ((M2−1)·D′ + K)/M2, both seeded at 50; J = 3K − 2D |
 *
 * A value an indicator has no data for yet (the first N−1 bars of MA, BOLL
 * and KDJ, the first N of RSI) is NaN. Blank K-lines (`isBlank`) carry no
 * prices: they take no part and get no output row.
 *
 * @module
 */
import {
  Qot_Common_IndicatorLangType,
  Qot_Common_IndicatorParamValueType,
  Qot_Common_IndicatorSearchMode,
  type Qot_Common_KLine,
  type Qot_GetIndicatorList_C2S,
  type Qot_GetIndicatorList_IndicatorInfo,
  type Qot_GetIndicatorList_S2C,
  type Qot_PushIndicatorCalc_S2C,
  type Qot_RequestIndicatorCalc_C2S,
} from "../gateway/proto/messages.ts";
import { fail } from "./_handler_common.ts";

/** One input of an indicator. */
interface InputDef {
  name: string;
  /** MyLang variable name. */
  varName: string;
  defaultValue: number;
  min: number;
  max: number;
  /** Whole numbers only (periods), or any number in range (BOLL's width). */
  integer: boolean;
}

/** The prices an indicator reads. */
interface Bar {
  high: number;
  low: number;
  close: number;
}

/** One built-in indicator. */
interface IndicatorDef {
  shortName: string;
  fullName: string;
  inputs: InputDef[];
  outputs: string[];
  /** The MyLang source listed for an exact search. */
  myLang: string;
  /** The Python source listed for an exact search. */
  python: string;
  /** One series per output, one value per bar (NaN before there is data). */
  compute(bars: Bar[], params: number[]): number[][];
}

const period = (name: string, varName: string, defaultValue: number): InputDef => ({
  name,
  varName,
  defaultValue,
  min: 1,
  max: 250,
  integer: true,
});

/** Simple moving average; NaN for the first n−1 values. */
function sma(values: number[], n: number): number[] {
  const out: number[] = [];
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i];
    if (i >= n) sum -= values[i - n];
    out.push(i >= n - 1 ? sum / n : NaN);
  }
  return out;
}

/** MyLang's EMA: seeded with the first value. */
function ema(values: number[], n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) {
    out.push(i === 0 ? values[0] : (2 * values[i] + (n - 1) * out[i - 1]) / (n + 1));
  }
  return out;
}

function rsi(closes: number[], n: number): number[] {
  const out: number[] = closes.map(() => NaN);
  let gain = 0;
  let loss = 0;
  for (let i = 1; i < closes.length; i++) {
    const change = closes[i] - closes[i - 1];
    const up = Math.max(change, 0);
    const down = Math.max(-change, 0);
    if (i <= n) {
      gain += up / n;
      loss += down / n;
      if (i < n) continue;
    } else {
      gain = (gain * (n - 1) + up) / n;
      loss = (loss * (n - 1) + down) / n;
    }
    out[i] = gain + loss === 0 ? 50 : 100 * gain / (gain + loss);
  }
  return out;
}

function boll(closes: number[], n: number, width: number): number[][] {
  const mid = sma(closes, n);
  const upper: number[] = [];
  const lower: number[] = [];
  for (let i = 0; i < closes.length; i++) {
    if (i < n - 1) {
      upper.push(NaN);
      lower.push(NaN);
      continue;
    }
    let squares = 0;
    for (let j = i - n + 1; j <= i; j++) squares += (closes[j] - mid[i]) ** 2;
    const sigma = Math.sqrt(squares / n);
    upper.push(mid[i] + width * sigma);
    lower.push(mid[i] - width * sigma);
  }
  return [mid, upper, lower];
}

function kdj(bars: Bar[], n: number, m1: number, m2: number): number[][] {
  const k: number[] = [];
  const d: number[] = [];
  const j: number[] = [];
  let prevK = 50;
  let prevD = 50;
  for (let i = 0; i < bars.length; i++) {
    if (i < n - 1) {
      k.push(NaN);
      d.push(NaN);
      j.push(NaN);
      continue;
    }
    const window = bars.slice(i - n + 1, i + 1);
    const high = Math.max(...window.map((b) => b.high));
    const low = Math.min(...window.map((b) => b.low));
    const rsv = high === low ? 50 : (bars[i].close - low) / (high - low) * 100;
    prevK = ((m1 - 1) * prevK + rsv) / m1;
    prevD = ((m2 - 1) * prevD + prevK) / m2;
    k.push(prevK);
    d.push(prevD);
    j.push(3 * prevK - 2 * prevD);
  }
  return [k, d, j];
}

const closesOf = (bars: Bar[]) => bars.map((b) => b.close);

/** The built-in indicators, in listing order. */
const INDICATORS: readonly IndicatorDef[] = [
  {
    shortName: "MA",
    fullName: "Moving Average",
    inputs: [period("Period", "N", 5)],
    outputs: ["MA"],
    myLang: "MA:MA(CLOSE,N);",
    python: "def calc(bars, N=5):\n    return {'MA': ta.MA(bars.close, N)}",
    compute: (bars, [n]) => [sma(closesOf(bars), n)],
  },
  {
    shortName: "EMA",
    fullName: "Exponential Moving Average",
    inputs: [period("Period", "N", 12)],
    outputs: ["EMA"],
    myLang: "EMA:EMA(CLOSE,N);",
    python: "def calc(bars, N=12):\n    return {'EMA': ta.EMA(bars.close, N)}",
    compute: (bars, [n]) => [ema(closesOf(bars), n)],
  },
  {
    shortName: "MACD",
    fullName: "Moving Average Convergence Divergence",
    inputs: [period("Short period", "SHORT", 12), period("Long period", "LONG", 26), period("Signal period", "M", 9)],
    outputs: ["DIF", "DEA", "MACD"],
    myLang: "DIF:EMA(CLOSE,SHORT)-EMA(CLOSE,LONG);\nDEA:EMA(DIF,M);\nMACD:(DIF-DEA)*2,COLORSTICK;",
    python:
      "def calc(bars, SHORT=12, LONG=26, M=9):\n    dif = ta.EMA(bars.close, SHORT) - ta.EMA(bars.close, LONG)\n    dea = ta.EMA(dif, M)\n    return {'DIF': dif, 'DEA': dea, 'MACD': 2 * (dif - dea)}",
    compute: (bars, [short, long, m]) => {
      const closes = closesOf(bars);
      const slow = ema(closes, long);
      const dif = ema(closes, short).map((v, i) => v - slow[i]);
      const dea = ema(dif, m);
      return [dif, dea, dif.map((v, i) => 2 * (v - dea[i]))];
    },
  },
  {
    shortName: "RSI",
    fullName: "Relative Strength Index (Wilder)",
    inputs: [period("Period", "N", 14)],
    outputs: ["RSI"],
    myLang: "LC:=REF(CLOSE,1);\nRSI:SMA(MAX(CLOSE-LC,0),N,1)/SMA(ABS(CLOSE-LC),N,1)*100;",
    python: "def calc(bars, N=14):\n    return {'RSI': ta.RSI(bars.close, N)}",
    compute: (bars, [n]) => [rsi(closesOf(bars), n)],
  },
  {
    shortName: "BOLL",
    fullName: "Bollinger Bands",
    inputs: [period("Period", "N", 20), {
      name: "Width",
      varName: "P",
      defaultValue: 2,
      min: 0.1,
      max: 10,
      integer: false,
    }],
    outputs: ["MID", "UPPER", "LOWER"],
    myLang: "MID:MA(CLOSE,N);\nUPPER:MID+P*STDP(CLOSE,N);\nLOWER:MID-P*STDP(CLOSE,N);",
    python:
      "def calc(bars, N=20, P=2):\n    mid = ta.MA(bars.close, N)\n    sd = ta.STDDEV(bars.close, N)\n    return {'MID': mid, 'UPPER': mid + P * sd, 'LOWER': mid - P * sd}",
    compute: (bars, [n, width]) => boll(closesOf(bars), n, width),
  },
  {
    shortName: "KDJ",
    fullName: "Stochastic KDJ",
    inputs: [period("Period", "N", 9), period("K smoothing", "M1", 3), period("D smoothing", "M2", 3)],
    outputs: ["K", "D", "J"],
    myLang: "RSV:=(CLOSE-LLV(LOW,N))/(HHV(HIGH,N)-LLV(LOW,N))*100;\nK:SMA(RSV,M1,1);\nD:SMA(K,M2,1);\nJ:3*K-2*D;",
    python:
      "def calc(bars, N=9, M1=3, M2=3):\n    k, d = ta.STOCH(bars.high, bars.low, bars.close, N, M1, M2)\n    return {'K': k, 'D': d, 'J': 3 * k - 2 * d}",
    compute: (bars, [n, m1, m2]) => kdj(bars, n, m1, m2),
  },
];

/** The short names of the built-in indicators. */
export const INDICATOR_NAMES: readonly string[] = INDICATORS.map((i) => i.shortName);

function infoOf(def: IndicatorDef, lang: "myLang" | "python", withScript: boolean): Qot_GetIndicatorList_IndicatorInfo {
  return {
    shortName: def.shortName,
    fullName: def.fullName,
    inputs: def.inputs.map((input, index) => ({
      index,
      name: input.name,
      value: input.integer
        ? { type: Qot_Common_IndicatorParamValueType.INT, intValue: String(input.defaultValue) }
        : { type: Qot_Common_IndicatorParamValueType.FLOAT, floatValue: input.defaultValue },
      // Only MyLang scripts name their variables.
      varName: lang === "myLang" ? input.varName : undefined,
    })),
    outputs: def.outputs.map((name, index) => ({ index, name })),
    script: withScript ? def[lang] : undefined,
  };
}

/** The indicator list a search asks for. */
export function indicatorList(c2s: Qot_GetIndicatorList_C2S): Qot_GetIndicatorList_S2C {
  const lang = c2s.langType ?? 0;
  if (![0, Qot_Common_IndicatorLangType.MyLang, Qot_Common_IndicatorLangType.Python].includes(lang)) {
    fail(`Unknown langType ${lang}: expected 1 (MyLang), 2 (Python) or none`);
  }
  const mode = c2s.searchMode ?? Qot_Common_IndicatorSearchMode.Partial;
  if (mode !== Qot_Common_IndicatorSearchMode.Partial && mode !== Qot_Common_IndicatorSearchMode.Exact) {
    fail(`Unknown searchMode ${mode}: expected 0 (partial) or 1 (exact)`);
  }
  const key = (c2s.searchKey ?? "").trim().toUpperCase();
  const exact = mode === Qot_Common_IndicatorSearchMode.Exact;
  const matches = INDICATORS.filter((def) =>
    key === ""
      ? true
      : exact
      ? def.shortName === key
      : def.shortName.includes(key) || def.fullName.toUpperCase().includes(key)
  );
  const withScript = exact && key !== "";
  return {
    indicatorList: matches.map((def) => ({
      myLang: lang === 0 || lang === Qot_Common_IndicatorLangType.MyLang
        ? infoOf(def, "myLang", withScript)
        : undefined,
      python: lang === 0 || lang === Qot_Common_IndicatorLangType.Python
        ? infoOf(def, "python", withScript)
        : undefined,
    })),
  };
}

/** Most K-lines one calculation takes. */
export const MAX_CALC_KLINES = 10_000;

function parametersOf(def: IndicatorDef, items: Qot_RequestIndicatorCalc_C2S["inputs"]): number[] {
  const params = def.inputs.map((i) => i.defaultValue);
  const seen = new Set<number>();
  for (const item of items ?? []) {
    const input = def.inputs[item.index];
    if (!input) {
      fail(`inputs index ${item.index} is out of range: ${def.shortName} has inputs 0–${def.inputs.length - 1}`);
    }
    if (seen.has(item.index)) fail(`inputs index ${item.index} is given twice`);
    seen.add(item.index);
    if (item.value === undefined || item.value.trim() === "") continue;
    const value = Number(item.value.trim());
    if (!Number.isFinite(value) || (input.integer && !Number.isInteger(value))) {
      fail(
        `inputs ${item.index} (${input.varName}) of ${def.shortName} must be ${
          input.integer ? "a whole number" : "a number"
        }, got ${JSON.stringify(item.value)}`,
      );
    }
    if (value < input.min || value > input.max) {
      fail(
        `inputs ${item.index} (${input.varName}) of ${def.shortName} must be between ${input.min} and ${input.max}, got ${value}`,
      );
    }
    params[item.index] = value;
  }
  return params;
}

function barsOf(lines: readonly Qot_Common_KLine[], needsRange: boolean): { time: string; bar: Bar }[] {
  const out: { time: string; bar: Bar }[] = [];
  let previous = "";
  lines.forEach((line, i) => {
    if (line.isBlank) return;
    const close = line.closePrice;
    const high = line.highPrice ?? close;
    const low = line.lowPrice ?? close;
    if (close === undefined || !Number.isFinite(close)) fail(`kLine ${i} (${line.time}) has no closePrice`);
    if (needsRange && (line.highPrice === undefined || line.lowPrice === undefined)) {
      fail(`kLine ${i} (${line.time}) needs highPrice and lowPrice`);
    }
    if (line.time <= previous) fail(`kLine ${i} (${line.time}) is not after the one before (${previous})`);
    previous = line.time;
    out.push({ time: line.time, bar: { close, high: high!, low: low! } });
  });
  return out;
}

/** The result one calculation pushes (without its calcId). */
export function calculateIndicator(c2s: Qot_RequestIndicatorCalc_C2S): Omit<Qot_PushIndicatorCalc_S2C, "calcId"> {
  const name = (c2s.shortName ?? "").trim().toUpperCase();
  const def = INDICATORS.find((i) => i.shortName === name);
  if (!def) fail(`Unknown indicator ${JSON.stringify(c2s.shortName)}: known are ${INDICATOR_NAMES.join(", ")}`);
  if (c2s.langType !== Qot_Common_IndicatorLangType.MyLang && c2s.langType !== Qot_Common_IndicatorLangType.Python) {
    fail(`Unknown langType ${c2s.langType}: expected 1 (MyLang) or 2 (Python)`);
  }
  if (c2s.num !== undefined && !(Number.isInteger(c2s.num) && c2s.num >= 1)) {
    fail(`num must be a positive whole number, got ${c2s.num}`);
  }
  const params = parametersOf(def, c2s.inputs);
  const lines = (c2s.data.kLine ?? []).slice(0, c2s.num ?? undefined);
  if (lines.length === 0) fail("data.kLine is empty: the calculation needs K-lines");
  if (lines.length > MAX_CALC_KLINES) fail(`At most ${MAX_CALC_KLINES} K-lines per calculation, got ${lines.length}`);
  const bars = barsOf(lines, def.shortName === "KDJ");
  const series = def.compute(bars.map((b) => b.bar), params);
  return {
    outputs: def.outputs.map((outputName, index) => ({ index, name: outputName })),
    outputRows: bars.map((b, i) => ({ time: b.time, values: series.map((s) => s[i]) })),
  };
}
