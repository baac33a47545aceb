/**
 * The text tables tools answer with: a column of times states the parts its
 * rows share once, in its header, and keeps only the parts that vary — and
 * the times are recovered exactly from the header's pattern and the cells.
 */
import { assertEquals } from "../helpers/assert.ts";
import { readTable } from "../helpers/tables.ts";
import { table } from "../../src/tools/render.ts";

/** The times of column `column` as a reader recovers them from the text. */
function recoverTimes(text: string, column: number): string[] {
  return readTable(text).rows.map((row) => row[column]);
}

Deno.test("table: daily candles of one year show MM-DD under a header with the year and the time of day", () => {
  const times = ["2026-07-14 00:00:00", "2026-07-15 00:00:00", "2026-08-03 00:00:00"];
  const text = table(["time", "close"], times.map((t, i) => [t, 400 + i]));
  assertEquals(text, "time (2026-MM-DD 00:00:00)\tclose\n07-14\t400\n07-15\t401\n08-03\t402");
  assertEquals(recoverTimes(text, 0), times);
});

Deno.test("table: intraday bars of one day show HH:MM; ticks keep their seconds and fractions", () => {
  const bars = ["2026-12-01 13:15:00", "2026-12-01 13:20:00", "2026-12-01 14:05:00"];
  const text = table(["time"], bars.map((t) => [t]));
  assertEquals(text.split("\n"), ["time (2026-12-01 HH:MM:00)", "13:15", "13:20", "14:05"]);
  assertEquals(recoverTimes(text, 0), bars);
  const ticks = ["2026-12-01 09:30:00.125", "2026-12-01 09:30:01.500", "2026-12-01 09:31:59.000"];
  const tickText = table(["price", "time"], ticks.map((t) => [1, t]));
  assertEquals(tickText.split("\n").slice(0, 2), ["price\ttime (2026-12-01 HH:MM:SS.fff)", "1\t09:30:00.125"]);
  assertEquals(recoverTimes(tickText, 1), ticks);
});

Deno.test("table: times across years keep the year; only the shared time of day goes to the header", () => {
  const times = ["2025-12-30 00:00:00", "2025-12-31 00:00:00", "2026-01-02 00:00:00"];
  const text = table(["time"], times.map((t) => [t]));
  assertEquals(text.split("\n"), ["time (YYYY-MM-DD 00:00:00)", "2025-12-30", "2025-12-31", "2026-01-02"]);
  assertEquals(recoverTimes(text, 0), times);
});

Deno.test("table: a column is left as it is when it is not all times, has one time, or nothing is shared", () => {
  // Not all times (a name, a number), one row, and times sharing nothing.
  assertEquals(table(["time"], [["2026-07-14 00:00:00"], ["later"]]), "time\n2026-07-14 00:00:00\nlater");
  assertEquals(table(["time"], [["2026-07-14 00:00:00"]]), "time\n2026-07-14 00:00:00");
  assertEquals(table(["date"], [["2025-01-02"], ["2026-02-03"]]), "date\n2025-01-02\n2026-02-03");
  // Times of two shapes (with and without seconds) are not one pattern.
  assertEquals(
    table(["t"], [["2026-07-14 09:30"], ["2026-07-14 09:31:00"]]),
    "t\n2026-07-14 09:30\n2026-07-14 09:31:00",
  );
  // Saving less than the header costs: two dates that share only the year.
  assertEquals(table(["d"], [["2026-07-14"], ["2026-08-15"]]), "d\n2026-07-14\n2026-08-15");
});

Deno.test("table: missing times stay empty cells; the other columns are untouched", () => {
  const rows = [["2026-07-14", 1, null], [null, 2, "x"], ["2026-07-16", 3, "y"], ["2026-07-17", 4, "z"]];
  const text = table(["date", "n", "s"], rows);
  assertEquals(text, "date (2026-MM-DD)\tn\ts\n07-14\t1\t\n\t2\tx\n07-16\t3\ty\n07-17\t4\tz");
  assertEquals(recoverTimes(text, 0), ["2026-07-14", "", "2026-07-16", "2026-07-17"]);
});

Deno.test("table: a cell keeps two parts at least; a month keeps its day and an hour its minutes", () => {
  // Ticks of one minute keep HH:MM:SS, not a lone second; daily candles of one month keep MM-DD.
  const ticks = ["2026-12-02 15:59:03", "2026-12-02 15:59:16", "2026-12-02 15:59:42"];
  const tickText = table(["time"], ticks.map((t) => [t]));
  assertEquals(tickText.split("\n"), ["time (2026-12-02 HH:MM:SS)", "15:59:03", "15:59:16", "15:59:42"]);
  const days = ["2026-07-14", "2026-07-15", "2026-07-16"];
  assertEquals(table(["date"], days.map((d) => [d])).split("\n"), ["date (2026-MM-DD)", "07-14", "07-15", "07-16"]);
  // Hourly bars over several days: the shared ":00:00" stays with its hour.
  const hours = ["2026-12-01 10:00:00", "2026-12-01 11:00:00", "2026-12-02 10:00:00"];
  const hourText = table(["time"], hours.map((t) => [t]));
  assertEquals(hourText.split("\n"), ["time (2026-MM-DD HH:MM:00)", "12-01 10:00", "12-01 11:00", "12-02 10:00"]);
  assertEquals(recoverTimes(hourText, 0), hours);
  // Monthly candles of one year: MM-DD, not a lone month.
  const months = ["2026-05-01 00:00:00", "2026-06-01 00:00:00", "2026-07-01 00:00:00"];
  const monthText = table(["time"], months.map((t) => [t]));
  assertEquals(monthText.split("\n"), ["time (2026-MM-DD 00:00:00)", "05-01", "06-01", "07-01"]);
  assertEquals(recoverTimes(monthText, 0), months);
});
