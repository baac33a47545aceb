/**
 * What every proof scenario shares: a seeded PRNG, percentiles, the verdict
 * block each scenario prints, and waiting on events with a bounded deadline.
 *
 * @module
 */
import { SeededRandom } from "../src/sim/seeded_random.ts";

/** The simulator's seeded stream (mulberry32 over the seed parts' hash), plus the coin toss scenarios draw. */
export class Prng extends SeededRandom {
  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** The q-quantile (0..1) of samples, NaN when there are none. */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))];
}

/** Milliseconds, for a figure. */
export const ms = (value: number) => Number.isFinite(value) ? `${value.toFixed(0)} ms` : "n/a";

/** One explicit criterion of a scenario and whether the run met it. */
export interface Criterion {
  what: string;
  ok: boolean;
}

/** What a scenario reports: its figures (label → value) and its criteria. */
export interface Report {
  name: string;
  figures: [string, string | number][];
  criteria: Criterion[];
  notes: string[];
  seconds: number;
}

/** True when every criterion held. */
export const passed = (report: Report) => report.criteria.every((c) => c.ok);

/** The block a scenario prints: figures, then each criterion, then the verdict. */
export function printReport(report: Report): void {
  const width = Math.max(...report.figures.map(([label]) => label.length), 10);
  console.log(`\n== ${report.name} (${report.seconds.toFixed(1)} s)`);
  for (const [label, value] of report.figures) console.log(`  ${label.padEnd(width)}  ${value}`);
  for (const note of report.notes) console.log(`  note: ${printable(note)}`);
  for (const c of report.criteria) console.log(`  [${c.ok ? "ok" : "FAIL"}] ${c.what}`);
  console.log(`  verdict: ${passed(report) ? "PASS" : "FAIL"}`);
}

/** Text safe for a terminal: control and bidi characters escaped (notes quote what hostile peers sent). */
export function printable(text: string): string {
  return text.replace(
    // deno-lint-ignore no-control-regex -- matching control characters is the point
    /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** Resolves with the promise's value, or rejects with `what` once `timeoutMs` passed (a bounded wait). */
export async function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: nothing within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** A promise settled from outside, for events one side signals and another awaits. */
export function signal<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => resolve = r);
  return { promise, resolve };
}

/** Resolves after `ms`: only for holding a fault in place for its planned duration, never to time a result. */
export function hold(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Counts of labels, printed as "a 3, b 1" (most frequent first). */
export function tally(counts: Map<string, number>): string {
  if (counts.size === 0) return "none";
  return [...counts].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(", ");
}

/** Adds one to a label's count. */
export function bump(counts: Map<string, number>, label: string, by = 1): void {
  counts.set(label, (counts.get(label) ?? 0) + by);
}
