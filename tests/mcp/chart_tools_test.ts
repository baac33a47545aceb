/**
 * futu_chart through futu-mcp with the MCP SDK's client: an image/png content block that decodes as a PNG of the
 * stated size, under 80 KB, with its text summary; the position overlay needs acc:read and the account whitelist.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { assert, assertEquals } from "../helpers/assert.ts";
import { dataOf, errorOf, spawnStdio } from "../helpers/mcp.ts";
import { tempDir } from "../helpers/tmp.ts";
import { generateKey, writeKeysFile } from "../../src/access/keys.ts";
import { pngSize } from "../services/chart_test.ts";

type Content = { type: string; text?: string; data?: string; mimeType?: string }[];
const CLOCK = ["--gateway", "sim", "--sim-clock", "2026-11-26T10:30:00+08:00"];
const REAL = "281756479345015383";

Deno.test("futu_chart: a PNG image block of the stated size and a summary that agrees with the candles", async () => {
  await using mcp = await spawnStdio(CLOCK);
  const result = await mcp.client.callTool({ name: "futu_chart", arguments: { symbol: "HK.00700", ma: [5, 20] } });
  const content = result.content as Content;
  assertEquals(content.map((c) => c.type), ["text", "image"]);
  const image = content[1];
  assertEquals(image.mimeType, "image/png");
  const png = Buffer.from(image.data!, "base64");
  const summary = dataOf<
    { bars: number; width: number; height: number; png_bytes: number; close: number; ma: { period: number }[] }
  >(result);
  assertEquals(pngSize(png), { width: summary.width, height: summary.height });
  assertEquals([summary.width, summary.height, summary.bars], [800, 500, 100]);
  assertEquals(png.length, summary.png_bytes);
  assert(png.length <= 80 * 1024, `${png.length} bytes`);
  assert(!("png" in summary), "the bytes are in the image block only, not in structuredContent");
  assertEquals(summary.ma.map((m) => m.period), [5, 20]);
  // The summary's last close is the last of the same candles futu_get_kline gives.
  const kline = dataOf<{ rows: number[][] }>(
    await mcp.client.callTool({ name: "futu_get_kline", arguments: { symbol: "HK.00700", max_count: 100 } }),
  );
  assertEquals(summary.close, kline.rows.at(-1)![4]);
  assert(content[0].text!.includes("100 daily candles") && content[0].text!.includes("MA5"), content[0].text);

  // Bad arguments name the field; the server keeps serving.
  const bad = errorOf(await mcp.client.callTool({ name: "futu_chart", arguments: { symbol: "HK.00700", bars: 5000 } }));
  assert(bad.code === "invalid_arguments" && bad.error.includes("bars"), bad.error);
  const ma = errorOf(await mcp.client.callTool({ name: "futu_chart", arguments: { symbol: "HK.00700", ma: [1] } }));
  assert(ma.error.includes("ma.0"), ma.error);
  const plain = dataOf<{ bars: number }>(
    await mcp.client.callTool({ name: "futu_chart", arguments: { symbol: "US.AAPL", kl_type: "K_60M", bars: 30 } }),
  );
  assertEquals(plain.bars, 30, "without averages, exactly the candles asked for");
});

Deno.test("futu_chart position overlay: the position's cost with acc:read, refused without it or outside the whitelist", async () => {
  const dir = await tempDir("chart");
  const reader = generateKey({ id: "reader", scopes: ["qot:read", "acc:read"] });
  const quotes = generateKey({ id: "quotes", scopes: ["qot:read"] });
  const paper = generateKey({ id: "paper", scopes: ["qot:read", "acc:read"], limits: { allowedAccIds: ["6234567"] } });
  await writeKeysFile(`${dir}/keys.json`, [reader.record, quotes.record, paper.record]);
  await using mcp = await spawnStdio([...CLOCK, "--keys-file", `${dir}/keys.json`]);
  const chart = (key: string) =>
    mcp.client.callTool({
      name: "futu_chart",
      arguments: { symbol: "HK.00700", position: true, acc_id: REAL, env: "real", api_key: key },
    });
  const withCost = dataOf<{ position: { qty: number; cost_price: number } }>(await chart(reader.plaintext));
  const positions = dataOf<{ rows: unknown[][]; columns: string[] }>(
    await mcp.client.callTool({
      name: "futu_get_positions",
      arguments: { acc_id: REAL, env: "real", api_key: reader.plaintext },
    }),
  );
  const row = positions.rows.find((r) => r[0] === "HK.00700")!;
  assertEquals(withCost.position.qty, row[positions.columns.indexOf("qty")]);
  assertEquals(withCost.position.cost_price, row[positions.columns.indexOf("cost")]);
  const noScope = errorOf(await chart(quotes.plaintext));
  assert(noScope.code === "unauthorized" && noScope.error.includes("acc:read"), noScope.error);
  const outside = errorOf(await chart(paper.plaintext));
  assert(outside.code === "forbidden", outside.error);
  // Without the overlay a quote key charts.
  dataOf(
    await mcp.client.callTool({ name: "futu_chart", arguments: { symbol: "HK.00700", api_key: quotes.plaintext } }),
  );
});
