/**
 * Confirmation tokens (src/access/confirm_tokens.ts) on a fake clock: bound to the key, the tool and every
 * argument, single use, and expiring — kept in memory, and in a real Redis as replicas share them.
 *
 * @module
 */
import { assert, assertEquals, assertRejects } from "../helpers/assert.ts";
import { startRedis } from "../helpers/redis.ts";
import { CONFIRM_TOKEN_TTL_MS, ConfirmTokens } from "../../src/access/confirm_tokens.ts";
import { ToolError } from "../../src/tools/errors.ts";
import { RedisState } from "../../src/state/redis.ts";
import type { TokenStore } from "../../src/state/store.ts";

const ORDER = { acc_id: "281756479345015383", env: "REAL", symbol: "HK.00700", qty: 100, price: 300 };

async function refusal(action: () => Promise<void>): Promise<string> {
  const error = await assertRejects(action, ToolError);
  assertEquals(error.code, "confirmation_required");
  assert(error.message.endsWith("; nothing was sent"), error.message);
  return error.message;
}

/** The same cases on each store: `make` builds the tokens of one "replica" (Redis: each its own client). */
async function cases(t: Deno.TestContext, make: (now?: () => number) => Promise<ConfirmTokens>) {
  await t.step("a token confirms exactly the write it was issued for, once", async () => {
    const tokens = await make();
    const { token } = await tokens.issue("human", "futu_place_order", ORDER);
    // Argument order does not matter; undefined fields are absent fields.
    await tokens.redeem("human", "futu_place_order", {
      price: 300,
      qty: 100,
      symbol: "HK.00700",
      env: "REAL",
      acc_id: ORDER.acc_id,
      remark: undefined,
    }, token);
    assert((await refusal(() => tokens.redeem("human", "futu_place_order", ORDER, token))).includes("already used"));
  });

  await t.step("a token is refused for another key, tool or arguments, and is used up by the attempt", async () => {
    const tokens = await make();
    const refused: [string, string, Record<string, unknown>, string][] = [
      ["other", "futu_place_order", ORDER, "issued to another API key"],
      ["human", "futu_modify_order", ORDER, "issued for futu_place_order, not futu_modify_order"],
      ["human", "futu_place_order", { ...ORDER, qty: 1000, price: 3 }, "changed: price, qty"],
      ["human", "futu_place_order", { ...ORDER, remark: "x" }, "changed: remark"],
      ["human", "futu_place_order", { ...ORDER, acc_id: "9007199254740993" }, "changed: acc_id"],
    ];
    for (const [key, tool, request, why] of refused) {
      const { token } = await tokens.issue("human", "futu_place_order", ORDER);
      assert((await refusal(() => tokens.redeem(key, tool, request, token))).includes(why), why);
      const again = await refusal(() => tokens.redeem("human", "futu_place_order", ORDER, token));
      assert(again.includes("already used"), again);
    }
  });

  await t.step("a token expires after its lifetime", async () => {
    let now = 1_000_000;
    const tokens = await make(() => now);
    const early = await tokens.issue("human", "futu_place_order", ORDER);
    const late = await tokens.issue("human", "futu_place_order", ORDER);
    assertEquals(early.expiresAt, now + CONFIRM_TOKEN_TTL_MS);
    now += CONFIRM_TOKEN_TTL_MS - 1;
    await tokens.redeem("human", "futu_place_order", ORDER, early.token);
    now += 1;
    assert((await refusal(() => tokens.redeem("human", "futu_place_order", ORDER, late.token))).includes("expired"));
  });

  await t.step("a forged or malformed token is unknown", async () => {
    const tokens = await make();
    for (const forged of ["ct_AAAAAAAAAAAAAAAAAAAAAAAA", "ct_*", "", "x".repeat(10_000)]) {
      assert((await refusal(() => tokens.redeem("human", "futu_place_order", ORDER, forged))).includes("unknown"));
    }
  });

  await t.step("tokens are long random strings, never reused", async () => {
    const tokens = await make();
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) seen.add((await tokens.issue("human", "futu_place_order", ORDER)).token);
    assertEquals(seen.size, 200);
    for (const token of seen) assert(/^ct_[A-Za-z0-9_-]{24}$/.test(token), token);
  });
}

Deno.test("confirmation tokens in memory", async (t) => {
  await cases(t, (now) => Promise.resolve(new ConfirmTokens({ now })));
});

Deno.test("confirmation tokens in Redis: issued by one replica, redeemed once by any", async (t) => {
  await using redis = await startRedis("confirm_tokens_test.ts");
  if (!redis) return;
  const states: RedisState[] = [];
  const store = async (): Promise<TokenStore> => {
    const state = await RedisState.connect({ url: redis.url, namespace: "t-tokens", log: () => {} });
    states.push(state);
    await state.ping();
    return state.tokens;
  };
  try {
    await cases(t, async (now) => new ConfirmTokens({ now, store: await store() }));
    await t.step("a token issued on one replica is redeemed on another, and then on neither", async () => {
      const a = new ConfirmTokens({ store: await store() });
      const b = new ConfirmTokens({ store: await store() });
      const { token } = await a.issue("human", "futu_place_order", ORDER);
      await b.redeem("human", "futu_place_order", ORDER, token);
      assert((await refusal(() => a.redeem("human", "futu_place_order", ORDER, token))).includes("already used"));
    });
  } finally {
    for (const state of states) await state.close();
  }
});
