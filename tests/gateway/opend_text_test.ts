/** OpenD's failure text as it reaches a tool result: no control or direction-override characters, and bounded. */
import { assert, assertEquals } from "../helpers/assert.ts";
import { MAX_OPEND_TEXT, OpenDError, openDText } from "../../src/gateway/errors.ts";

Deno.test("OpenD's message loses control characters and direction overrides, and a long one is cut saying so", () => {
  assertEquals(openDText("lot size is 100"), "lot size is 100");
  assertEquals(openDText("line one\nline\ttwo"), "line one\nline\ttwo");
  // A right-to-left override would make "txt.exe" read "exe.txt"; a NUL or an escape sequence would reach a terminal.
  assertEquals(openDText("abc\u202Eexe.txt\u0000\u001b[31m\u2066x\u2069"), "abcexe.txt[31mx");
  const long = openDText("x".repeat(70_000));
  assertEquals(long, `${"x".repeat(MAX_OPEND_TEXT)}… (${70_000 - MAX_OPEND_TEXT} more characters)`);
  const error = new OpenDError("Trd_PlaceOrder", -1, "bad\u0007 price\u202E");
  assertEquals(error.retMsg, "bad price");
  assert(error.message === "Trd_PlaceOrder failed: bad price", error.message);
  assertEquals(new OpenDError("Qot_Sub", -1, "\u0000").message, "Qot_Sub failed: retType -1");
});
