/**
 * The text part of tabular results, as a client that shows text hands it to
 * the model: every value structured content carries is in it (times restored
 * from their column's pattern), in fewer bytes than the structured content.
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { spawnStdio } from "../helpers/mcp.ts";
import { readTable } from "../helpers/tables.ts";

type Rows = { columns: string[]; rows: (string | number | null)[][] };

/** The cells of structured rows as the text prints them. */
const printed = (rows: Rows["rows"]) => rows.map((row) => row.map((v) => v === null ? "" : String(v)));
const bytes = (value: string) => new TextEncoder().encode(value).length;

Deno.test("futu_get_kline, futu_get_rt, futu_get_ticker: the text table holds every structured row, compactly", async () => {
  await using mcp = await spawnStdio(["--gateway", "sim", "--sim-clock", "2026-11-26T10:30:00+08:00"]);
  const call = async (name: string, args: Record<string, unknown>) => {
    const result = await mcp.client.callTool({ name, arguments: args });
    const text = (result.content as { type: string; text: string }[])[0].text;
    return { text, data: result.structuredContent as Rows & Record<string, unknown> };
  };

  const daily = await call("futu_get_kline", { symbol: "HK.00700", max_count: 100 });
  const [title, header] = daily.text.split("\n");
  assertEquals(title, "HK.00700 K_DAY (100 rows)");
  // One year, all at midnight: the header says so once, and each row keeps MM-DD.
  assert(/^time \(\d{4}-MM-DD 00:00:00\)\topen\thigh\tlow\tclose\tvolume\tturnover$/.test(header), header);
  const table = readTable(daily.text.slice(title.length + 1));
  assertEquals(table.columns, daily.data.columns);
  assertEquals(table.rows, printed(daily.data.rows));
  // 6,040 bytes when every row repeated the year and " 00:00:00".
  const size = bytes(daily.text);
  assert(size < 4_800 && size < 0.75 * bytes(JSON.stringify(daily.data)), `${size} bytes of text`);

  for (
    const [name, args] of [
      ["futu_get_kline", { symbol: "HK.00700", kl_type: "K_5M", max_count: 100 }],
      ["futu_get_kline", { symbol: "US.AAPL", begin: "2025-11-03", end: "2026-02-27", max_count: 200 }],
      ["futu_get_rt", { symbol: "HK.00700" }],
      ["futu_get_ticker", { symbol: "HK.00700", max_count: 20 }],
    ] as const
  ) {
    const { text, data } = await call(name, args);
    const read = readTable(text.slice(text.indexOf("\n") + 1));
    assert(data.rows.length > 1, `${name}: rows to compare`);
    assertEquals(read.columns, data.columns, name);
    assertEquals(read.rows, printed(data.rows), `${name} ${JSON.stringify(args)}`);
    assert(bytes(text) < bytes(JSON.stringify(data)), `${name}: text under structured content`);
  }
});
