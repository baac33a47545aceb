/**
 * Confirmation tokens (src/access/confirm_tokens.ts) on a fake clock: bound to the key, the tool and every
 * argument, single use, and expiring.
 *
 * @module
 */
import { assert, assertEquals, assertThrows } from "../helpers/assert.ts";
import { CONFIRM_TOKEN_TTL_MS, ConfirmTokens } from "../../src/access/confirm_tokens.ts";
import { ToolError } from "../../src/tools/errors.ts";

const ORDER = { acc_id: "281756479345015383", env: "REAL", symbol: "HK.00700", qty: 100, price: 300 };

function refusal(action: () => void): string {
  const error = assertThrows(action, ToolError);
  assertEquals(error.code, "confirmation_required");
  assert(error.message.endsWith("; nothing was sent"), error.message);
  return error.message;
}

Deno.test("a token confirms exactly the write it was issued for, once", () => {
  const tokens = new ConfirmTokens();
  const { token } = tokens.issue("human", "futu_place_order", ORDER);
  // Argument order does not matter; undefined fields are absent fields.
  tokens.redeem("human", "futu_place_order", {
    price: 300,
    qty: 100,
    symbol: "HK.00700",
    env: "REAL",
    acc_id: ORDER.acc_id,
    remark: undefined,
  }, token);
  assert(refusal(() => tokens.redeem("human", "futu_place_order", ORDER, token)).includes("already used"));
});

Deno.test("a token is refused for another key, tool or arguments, and is used up by the attempt", () => {
  const tokens = new ConfirmTokens();
  const cases: [string, string, Record<string, unknown>, string][] = [
    ["other", "futu_place_order", ORDER, "issued to another API key"],
    ["human", "futu_modify_order", ORDER, "issued for futu_place_order, not futu_modify_order"],
    ["human", "futu_place_order", { ...ORDER, qty: 1000, price: 3 }, "changed: price, qty"],
    ["human", "futu_place_order", { ...ORDER, remark: "x" }, "changed: remark"],
    ["human", "futu_place_order", { ...ORDER, acc_id: "9007199254740993" }, "changed: acc_id"],
  ];
  for (const [key, tool, request, why] of cases) {
    const { token } = tokens.issue("human", "futu_place_order", ORDER);
    assert(refusal(() => tokens.redeem(key, tool, request, token)).includes(why), why);
    assert(refusal(() => tokens.redeem("human", "futu_place_order", ORDER, token)).includes("already used"));
  }
});

Deno.test("a token expires after its lifetime", () => {
  let now = 1_000_000;
  const tokens = new ConfirmTokens({ now: () => now });
  const early = tokens.issue("human", "futu_place_order", ORDER);
  const late = tokens.issue("human", "futu_place_order", ORDER);
  assertEquals(early.expiresAt, now + CONFIRM_TOKEN_TTL_MS);
  now += CONFIRM_TOKEN_TTL_MS - 1;
  tokens.redeem("human", "futu_place_order", ORDER, early.token);
  now += 1;
  assert(refusal(() => tokens.redeem("human", "futu_place_order", ORDER, late.token)).includes("expired"));
});

Deno.test("tokens are long random strings, never reused", () => {
  const tokens = new ConfirmTokens();
  const seen = new Set<string>();
  for (let i = 0; i < 1000; i++) seen.add(tokens.issue("human", "futu_place_order", ORDER).token);
  assertEquals(seen.size, 1000);
  for (const token of seen) assert(/^ct_[A-Za-z0-9_-]{24}$/.test(token), token);
});
