import { assertEquals, assertThrows } from "../helpers/assert.ts";
import { formatSymbol, formatTradeSymbol, parseSymbol, SymbolError } from "../../src/gateway/symbols.ts";
import { EnumValueError, KL_TYPE, ORDER_TYPE, SUB_TYPE, TRD_SIDE } from "../../src/gateway/enums.ts";
import { IdError, parseUint64 } from "../../src/gateway/ids.ts";

Deno.test("symbols parse into market and code, and format back", () => {
  assertEquals(parseSymbol("HK.00700"), {
    symbol: "HK.00700",
    market: "HK",
    code: "00700",
    qotMarket: 1,
    secMarket: 1,
  });
  assertEquals(parseSymbol("hk.700").symbol, "HK.00700");
  assertEquals(parseSymbol("US.aapl").symbol, "US.AAPL");
  assertEquals(parseSymbol("US..DJI").code, ".DJI");
  assertEquals(parseSymbol("SH.600519").secMarket, 31);
  assertEquals(parseSymbol("SZ.000001").qotMarket, 22);
  assertEquals(formatSymbol({ market: 11, code: "AAPL" }), "US.AAPL");
  assertEquals(formatTradeSymbol("600519", 31), "SH.600519");
});

Deno.test("bad symbols are refused with a message naming the problem", () => {
  assertThrows(() => parseSymbol("00700"), SymbolError, 'expected "<MARKET>.<CODE>"');
  assertThrows(() => parseSymbol("XX.1"), SymbolError, 'unknown market "XX"');
  assertThrows(() => parseSymbol("HK."), SymbolError);
  assertThrows(() => parseSymbol("HK.00 700"), SymbolError, "invalid code");
});

Deno.test("enums accept SDK names, any case, and integers", () => {
  assertEquals(TRD_SIDE.toWire("BUY"), 1);
  assertEquals(KL_TYPE.parse("k_day"), "K_DAY");
  assertEquals(KL_TYPE.parse(2), "K_DAY");
  assertEquals(KL_TYPE.parse("2"), "K_DAY");
  assertEquals(ORDER_TYPE.parse("market-if-touched"), "MARKET_IF_TOUCHED");
  assertEquals(SUB_TYPE.toWire("K_DAY"), 6, "SubType and KLType numbers differ");
  assertEquals(KL_TYPE.toWire("K_DAY"), 2);
  assertEquals(TRD_SIDE.fromWire(42), "UNKNOWN_42");
  assertThrows(() => TRD_SIDE.parse("HOLD"), EnumValueError, "expected one of BUY, SELL, SELL_SHORT, BUY_BACK");
  assertThrows(() => TRD_SIDE.parse(1.5), EnumValueError);
});

Deno.test("uint64 ids are canonical strings; lossy numbers are refused", () => {
  assertEquals(parseUint64("281756479345015383", "acc_id"), "281756479345015383");
  assertEquals(parseUint64(" 007 ", "acc_id"), "7");
  assertEquals(parseUint64(12345, "acc_id"), "12345");
  assertEquals(parseUint64(18446744073709551615n, "acc_id"), "18446744073709551615");
  assertThrows(() => parseUint64(9007199254740993, "acc_id"), IdError, "pass it as a string");
  assertThrows(() => parseUint64("18446744073709551616", "acc_id"), IdError, "outside the unsigned 64-bit range");
  assertThrows(() => parseUint64("-1", "acc_id"), IdError);
  assertThrows(() => parseUint64("12ab", "order_id"), IdError, "not a decimal integer id");
});
