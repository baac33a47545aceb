/** keys.json: both file forms, strict validation, verification, binding and atomic private writes. */
import { assert, assertEquals, assertRejects, assertThrows } from "../helpers/assert.ts";
import { tempDir } from "../helpers/tmp.ts";
import {
  generateKey,
  hashKey,
  KeysFileError,
  keysFileExposure,
  KeyStore,
  machineFingerprint,
  parseKeysFile,
  readKeysFile,
  writeKeysFile,
} from "../../src/access/keys.ts";

const HASH = "92688825360bb7b3cdc75186a8af5e02f121384cb492b66d269942598ef5cbfb"; // sha256("fc_replace_me")

const file = (keys: unknown[]) => JSON.stringify({ version: 1, keys });

Deno.test("reads upstream's flat form and the documented nested form alike", () => {
  const [flat] = parseKeysFile(file([{
    id: "simulate-bot",
    hash: `sha256:${HASH}`,
    scopes: ["trade:simulate", "acc:read", "qot:read"],
    allowed_markets: ["US", "HK"],
    max_order_value: 100000.0,
    max_daily_value: 500000.0,
    hours_window: "09:00-16:30",
    max_orders_per_minute: 10,
    created_at: "2026-04-22T12:12:39.277030927Z",
    note: "Example key",
  }]));
  const [nested] = parseKeysFile(file([{
    id: "research",
    hash: HASH.toUpperCase(),
    scopes: ["qot:read"],
    limits: { allowed_markets: ["HK"], allowed_symbols: null, allowed_trd_sides: ["SELL"], max_order_value: 5 },
    allowed_machines: null,
    created_at: "2026-04-15T10:00:00Z",
    expires_at: null,
  }]));
  assertEquals(flat.limits, {
    allowedMarkets: ["US", "HK"],
    maxOrderValue: 100000,
    maxDailyValue: 500000,
    hoursWindow: "09:00-16:30",
    maxOrdersPerMinute: 10,
  });
  assertEquals(nested.hash, HASH, "bare hex is accepted and normalised");
  assertEquals(nested.limits, { allowedMarkets: ["HK"], allowedTrdSides: ["SELL"], maxOrderValue: 5 });
  assertEquals(new KeyStore([flat]).verify("fc_replace_me", undefined).ok, true, "the hash covers the fc_ prefix");
});

Deno.test("load errors name the key and the problem", () => {
  const base = { id: "k", hash: HASH, scopes: ["qot:read"], created_at: "2026-01-01T00:00:00Z" };
  const cases: [unknown, string][] = [
    [[base, { ...base }], 'key "k": duplicate id'],
    [[{ ...base, scopes: ["qot:write"] }], 'key "k": unknown scope "qot:write"'],
    [[{ ...base, max_order_valu: 10 }], 'key "k": unknown field "max_order_valu"'],
    [[{ ...base, hash: "sha1:abc" }], 'key "k": "hash" must be'],
    [[{ ...base, max_order_value: -1 }], 'key "k": max_order_value must be a finite number'],
    [[{ ...base, max_orders_per_minute: 2.5 }], "must be a finite whole number"],
    [[{ ...base, hours_window: "9-5" }], 'hours_window must be "HH:MM-HH:MM"'],
    [[{ ...base, hours_tz: "Mars/Olympus" }], 'unknown time zone "Mars/Olympus"'],
    [[{ ...base, allowed_trd_sides: ["buy"] }], 'unknown side "buy"'],
    [[{ ...base, allowed_markets: ["NASDAQ"] }], 'unknown market "NASDAQ"'],
    [[{ ...base, allowed_acc_ids: [9007199254740993] }], "pass it as a string"],
    [[{ ...base, max_order_value: 1, limits: { max_order_value: 2 } }], 'both at the top level and in "limits"'],
    [[{ ...base, created_at: "yesterday" }], '"created_at" must be an RFC 3339 time'],
    [[{ ...base, price_collar_pct: 0 }], "price_collar_pct must be above 0"],
    [[{ ...base, confirm_real: "ask" }], '"confirm_real" must be one of elicit, token, none, got "ask"'],
  ];
  for (const [keys, message] of cases) {
    assertThrows(() => parseKeysFile(file(keys as unknown[])), KeysFileError, message);
  }
  assertThrows(() => parseKeysFile("{"), KeysFileError, "not valid JSON");
  assertThrows(() => parseKeysFile(JSON.stringify({ version: 2, keys: [] })), KeysFileError, '"version" must be 1');
});

Deno.test("confirm_real: how a key's REAL writes are confirmed, kept through a write and a read", async () => {
  const base = { id: "k", hash: HASH, scopes: ["trade:real"], created_at: "2026-01-01T00:00:00Z" };
  const [unset, token] = parseKeysFile(file([base, { ...base, id: "t", confirm_real: "token" }]));
  assertEquals([unset.confirmReal, token.confirmReal], [undefined, "token"], "absent means elicit");
  const path = `${await tempDir("keys-confirm")}/keys.json`;
  await writeKeysFile(path, [generateKey({ id: "bot", scopes: ["trade:real"], confirmReal: "none" }).record]);
  assertEquals((await readKeysFile(path))[0].confirmReal, "none");
});

Deno.test("verification: invalid, expired, frozen, bound to machines", () => {
  const now = Date.parse("2026-06-01T00:00:00Z");
  const plain = generateKey({ id: "plain", scopes: ["qot:read"] });
  const expired = generateKey({ id: "old", scopes: ["qot:read"], expiresAt: "2026-05-01T00:00:00Z" });
  const frozen = generateKey({ id: "ice", scopes: ["qot:read"], allowedMachines: [] });
  const bound = generateKey({
    id: "box",
    scopes: ["qot:read"],
    allowedMachines: [machineFingerprint("box", "machine-a")],
  });
  const store = new KeyStore([plain.record, expired.record, frozen.record, bound.record]);
  assert(/^fc_[0-9a-f]{64}$/.test(plain.plaintext));
  assertEquals(store.verify(plain.plaintext, undefined, now).ok, true);
  assertEquals(store.verify(`${plain.plaintext}x`, undefined, now), { ok: false, reason: "invalid" });
  assertEquals(store.verify(expired.plaintext, undefined, now), { ok: false, reason: "expired", id: "old" });
  assertEquals(store.verify(frozen.plaintext, "machine-a", now), { ok: false, reason: "frozen", id: "ice" });
  assertEquals(store.verify(bound.plaintext, "machine-b", now), { ok: false, reason: "wrong-machine", id: "box" });
  assertEquals(store.verify(bound.plaintext, undefined, now), { ok: false, reason: "machine-unknown", id: "box" });
  assertEquals(store.verify(bound.plaintext, "machine-a", now).ok, true);
  assertEquals(hashKey("fc_replace_me"), `sha256:${HASH}`);
});

Deno.test("writes are atomic and private (0600), and a readable file is reported", async () => {
  const dir = await tempDir("keys");
  const path = `${dir}/sub/keys.json`;
  const { record } = generateKey({ id: "bot", scopes: ["qot:read", "acc:read"], limits: { maxOrderValue: 10 } });
  await writeKeysFile(path, [record]);
  assertEquals((await Deno.stat(path)).mode! & 0o777, 0o600);
  assertEquals((await Deno.stat(`${dir}/sub`)).mode! & 0o777, 0o700);
  const [back] = await readKeysFile(path);
  assertEquals([back.id, [...back.scopes], back.limits], ["bot", ["qot:read", "acc:read"], { maxOrderValue: 10 }]);
  assertEquals([...Deno.readDirSync(`${dir}/sub`)].map((e) => e.name), ["keys.json"], "no temporary file left");
  assertEquals(await keysFileExposure(path), undefined);
  await Deno.chmod(path, 0o644);
  assert((await keysFileExposure(path))?.includes("chmod 600"));
  await assertRejects(() => readKeysFile(`${dir}/missing.json`), KeysFileError, "cannot read");
});
