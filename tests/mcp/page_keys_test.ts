/**
 * Paging keys that stand for bytes (base64 as the tools return them) are checked before anything reaches OpenD:
 * a key that is not base64 is refused naming the argument, never an internal error (the proof harness's fuzzer
 * found `page: "."` answered `internal`).
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { connectHttp, dataOf, errorOf, startHttpApp } from "../helpers/mcp.ts";

Deno.test("a bytes paging key that is not base64 is invalid_arguments naming it; one a tool returned pages on", async () => {
  await using app = await startHttpApp(["--gateway", "sim", "--toolsets", "all"]);
  await using client = await connectHttp(app.url);
  const call = (name: string, args: Record<string, unknown>) => client.callTool({ name, arguments: args });
  const cases: [string, Record<string, unknown>, string][] = [
    ["futu_get_kline", { symbol: "HK.00700", page: "." }, "page"],
    ["futu_get_kline", { symbol: "HK.00700", page: "abcde" }, "page"],
    ["futu_get_option_volatility", { symbol: "US.AAPL", view: "history", next_page_key: "%%" }, "next_page_key"],
    [
      "futu_get_option_market_statistic",
      { market: "US_SECURITY", data: "volume", next_page_key: "a" },
      "next_page_key",
    ],
    ["futu_get_event_contract_quote", { symbols: ["EC.X"], view: "history_kline", next_req_key: "" }, "next_req_key"],
  ];
  for (const [tool, args, field] of cases) {
    const error = errorOf(await call(tool, args));
    assertEquals(error.code, "invalid_arguments", `${tool}: ${error.error}`);
    assert(error.error.includes(field) && error.error.includes("base64"), error.error);
  }
  // The key a result returns is accepted as it came.
  const first = dataOf<{ next_page?: string }>(
    await call("futu_get_kline", { symbol: "HK.00700", max_count: 1500, begin: "2020-01-01" }),
  );
  assert(typeof first.next_page === "string", JSON.stringify(first).slice(0, 200));
  dataOf(
    await call("futu_get_kline", { symbol: "HK.00700", max_count: 1500, begin: "2020-01-01", page: first.next_page }),
  );
});
