/**
 * The fuzz corpus of scenario c, generated from a seed: JSON-RPC envelopes
 * (random and mutated JSON, wrong types, huge strings, deep nesting,
 * `__proto__` keys, batches, truncated text, invalid UTF-8) and tool calls
 * whose arguments are built from each tool's listed input schema and then
 * broken. Message `i` of a seed is always the same whatever the concurrency,
 * so a failure is replayed with `--seed`.
 *
 * @module
 */
import { Prng } from "./_util.ts";

/** A message to send: its text (or raw bytes) and what kind of abuse it is. */
export interface FuzzMessage {
  kind: string;
  body: string | Uint8Array;
}

/** A tool as tools/list gives it. */
export interface ListedTool {
  name: string;
  inputSchema: JsonSchema;
}

/** The part of JSON Schema the generator follows. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  default?: unknown;
}

const METHODS = [
  "initialize",
  "ping",
  "tools/list",
  "tools/call",
  "resources/list",
  "resources/read",
  "resources/templates/list",
  "prompts/list",
  "prompts/get",
  "completion/complete",
  "logging/setLevel",
  "notifications/initialized",
  "notifications/cancelled",
  "resources/subscribe",
  "no/such/method",
  "",
  "__proto__",
  "constructor",
  "toString",
  "hasOwnProperty",
];
const ODD_STRINGS = [
  "",
  " ",
  "HK.00700",
  "US.AAPL",
  "HK.99999",
  "US.",
  ".",
  "SH.600519",
  "2026-11-26",
  "2026-13-45T99:99:99Z",
  "real",
  "REAL",
  "simulate",
  "-1",
  "1e309",
  "NaN",
  "null",
  "\u0000",
  "\ud800",
  "\u202egnp.exe",
  "💥".repeat(50),
  "' OR 1=1 --",
  "../../../../etc/passwd",
  "${jndi:ldap://127.0.0.1/x}",
  "<script>alert(1)</script>",
  "%s%s%s%n",
  "__proto__",
  "constructor",
];
const ODD_NUMBERS = [0, -0, 1, -1, 0.5, 100, 1e9, 1e15, 2 ** 53 + 2, -(2 ** 53), 1e308, -1e308, 5e-324, 123456.789];
const PROTO = '"__proto__":{"polluted":true,"isAdmin":true,"scopes":["trade:real"]}';
const CTOR = '"constructor":{"prototype":{"polluted":true}}';

/** The PRNG of message `i`: independent of the order in which messages are sent. */
export function prngOf(seed: number, stream: string, i: number): Prng {
  return new Prng(seed, stream, i);
}

/** A random JSON value, `depth` levels at most. */
function randomValue(r: Prng, depth: number): unknown {
  const choice = r.int(0, depth > 0 ? 7 : 4);
  switch (choice) {
    case 0:
      return null;
    case 1:
      return r.chance(0.5);
    case 2:
      return r.pick(ODD_NUMBERS);
    case 3:
      return r.pick(ODD_STRINGS);
    case 4:
      return r.int(-1000, 1000);
    case 5:
    case 6: {
      const out: Record<string, unknown> = {};
      for (let i = r.int(0, 4); i > 0; i--) {
        out[r.pick([...ODD_STRINGS, "name", "arguments", "id", "uri"])] = randomValue(r, depth - 1);
      }
      return out;
    }
    default:
      return Array.from({ length: r.int(0, 4) }, () => randomValue(r, depth - 1));
  }
}

function hugeString(r: Prng, max: number): string {
  return r.pick(["A", "\u00e9", "💥", "\\", '"', "<", "%"]).repeat(r.int(max / 10, max));
}

/** Nested arrays or objects, `depth` deep, as text (JSON.stringify would recurse). */
function deepText(r: Prng, depth: number): string {
  return r.chance(0.5) ? "[".repeat(depth) + "]".repeat(depth) : '{"a":'.repeat(depth) + "1" + "}".repeat(depth);
}

/** A JSON-RPC envelope message: `hugeMax` bounds huge strings, `deepMax` nesting. */
export function envelope(r: Prng, hugeMax: number, deepMax: number): FuzzMessage {
  const id = r.int(1, 1_000_000);
  const method = r.pick(METHODS);
  const valid = { jsonrpc: "2.0", id, method, params: randomValue(r, 3) };
  const kind = r.pick([
    "random_json",
    "mutated_params",
    "wrong_jsonrpc",
    "odd_id",
    "huge_string",
    "deep_nesting",
    "proto_keys",
    "batch",
    "truncated",
    "invalid_utf8",
    "notification",
    "tools_call_junk",
    "odd_number_text",
    "duplicate_keys",
  ]);
  const text = (value: unknown) => ({ kind, body: JSON.stringify(value) });
  switch (kind) {
    case "random_json":
      return text(randomValue(r, 4));
    case "mutated_params":
      return text(valid);
    case "wrong_jsonrpc":
      return text({ ...valid, jsonrpc: r.pick(["1.0", 2, null, "", "2.00", ["2.0"]]) });
    case "odd_id":
      return text({ ...valid, id: r.pick([null, {}, [], true, 1.5, -1, "x".repeat(r.int(1, 5000)), { "$ref": "#" }]) });
    case "huge_string":
      return r.chance(0.5)
        ? text({ ...valid, method: hugeString(r, hugeMax) })
        : text({ ...valid, params: { name: "futu_get_quote", arguments: { symbol: hugeString(r, hugeMax) } } });
    case "deep_nesting": {
      const depth = r.int(100, deepMax);
      return { kind, body: `{"jsonrpc":"2.0","id":${id},"method":"${method}","params":${deepText(r, depth)}}` };
    }
    case "proto_keys": {
      const where = r.int(0, 2);
      if (where === 0) return { kind, body: `{${PROTO},${CTOR},"jsonrpc":"2.0","id":${id},"method":"tools/list"}` };
      if (where === 1) {
        return {
          kind,
          body:
            `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{${PROTO},"name":"futu_get_quote","arguments":{"symbol":"HK.00700"}}}`,
        };
      }
      return {
        kind,
        body:
          `{"jsonrpc":"2.0","id":${id},"method":"initialize","params":{${PROTO},${CTOR},"protocolVersion":"2025-11-25","capabilities":{${PROTO}},"clientInfo":{"name":"x","version":"1"}}}`,
      };
    }
    case "batch":
      return text(
        Array.from({ length: r.int(0, 20) }, () => ({ ...valid, id: r.int(1, 1e6), method: r.pick(METHODS) })),
      );
    case "truncated": {
      const whole = JSON.stringify({
        ...valid,
        method: "tools/call",
        params: { name: "futu_get_quote", arguments: { symbol: "HK.00700" } },
      });
      return { kind, body: whole.slice(0, r.int(0, whole.length - 1)) };
    }
    case "invalid_utf8": {
      const bytes = new Uint8Array(r.int(1, 300));
      for (let i = 0; i < bytes.length; i++) bytes[i] = r.pick([0xff, 0xfe, 0xc0, 0x80, 0xed, 0xa0, r.int(0, 255)]);
      // Never a newline: on stdio that would only split the message in two, which another case covers.
      return { kind, body: bytes.map((b) => b === 0x0a ? 0x20 : b) };
    }
    case "notification":
      return text({
        jsonrpc: "2.0",
        method: r.pick([
          "notifications/cancelled",
          "notifications/progress",
          "notifications/roots/list_changed",
          "notifications/x",
          method,
        ]),
        params: randomValue(r, 2),
      });
    case "tools_call_junk":
      return text({
        ...valid,
        method: "tools/call",
        params: {
          name: r.pick([...ODD_STRINGS, "futu_get_quote", "futu_place_order"]),
          arguments: randomValue(r, 3),
          _meta: randomValue(r, 2),
        },
      });
    case "odd_number_text":
      return {
        kind,
        body: `{"jsonrpc":"2.0","id":${
          r.pick(["1e999", "-0", "1.0", "0x10", "01", "1e-999", "9007199254740993"])
        },"method":"ping"}`,
      };
    default:
      return {
        kind,
        body:
          `{"jsonrpc":"2.0","id":${id},"method":"ping","method":"tools/call","params":{"name":"futu_unlock_trade","name":"futu_get_quote","arguments":{"symbol":"HK.00700"}}}`,
      };
  }
}

/** A plausible value for a schema: most fields right, so that the mutations reach past the first check. */
function plausible(r: Prng, schema: JsonSchema, name: string, depth: number): unknown {
  if (schema.const !== undefined) return schema.const;
  if (schema.enum && schema.enum.length > 0) return r.pick(schema.enum);
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches && branches.length > 0) return plausible(r, r.pick(branches), name, depth);
  const type = Array.isArray(schema.type) ? r.pick(schema.type) : schema.type;
  switch (type) {
    case "string":
      if (/symbol|code/.test(name)) return r.pick(["HK.00700", "US.AAPL", "HK.09988", "US.TSLA", "HK.99999"]);
      if (/date|time|begin|end|start/.test(name)) return r.pick(["2026-11-26", "2026-11-01", "2026-11-26 10:30:00"]);
      if (/env/.test(name)) return r.pick(["simulate", "SIMULATE"]);
      return r.pick(ODD_STRINGS);
    case "integer":
    case "number": {
      const lo = schema.minimum ?? 0;
      const hi = schema.maximum ?? Math.max(lo + 100, 1000);
      return r.chance(0.7)
        ? (type === "integer" ? r.int(lo, Math.min(hi, lo + 200)) : lo + r.next() * (hi - lo))
        : r.pick(ODD_NUMBERS);
    }
    case "boolean":
      return r.chance(0.5);
    case "array":
      return depth > 4
        ? []
        : Array.from({ length: r.int(0, 3) }, () => plausible(r, schema.items ?? {}, name, depth + 1));
    case "object": {
      const out: Record<string, unknown> = {};
      for (const [key, sub] of Object.entries(schema.properties ?? {})) {
        if (schema.required?.includes(key) || r.chance(0.4)) out[key] = plausible(r, sub, key, depth + 1);
      }
      return out;
    }
    default:
      return randomValue(r, 2);
  }
}

/** A tools/call of `tool` with plausible arguments, usually broken one way. */
export function toolCall(r: Prng, tool: ListedTool, hugeMax: number, deepMax: number): FuzzMessage {
  const args = plausible(r, { ...tool.inputSchema, type: "object" }, "", 0) as Record<string, unknown>;
  const keys = Object.keys(tool.inputSchema.properties ?? {});
  const id = r.int(1, 1_000_000);
  let name = tool.name;
  let kind = r.pick([
    "plausible",
    "drop_required",
    "wrong_type",
    "huge_string",
    "proto_keys",
    "extra_key",
    "deep_value",
    "odd_number",
    "odd_string",
    "not_an_object",
    "mutated_name",
  ]);
  if (keys.length === 0 && ["wrong_type", "huge_string", "deep_value", "odd_number", "odd_string"].includes(kind)) {
    kind = "extra_key";
  }
  const key = keys.length > 0 ? r.pick(keys) : "x";
  let argsText: string | undefined;
  switch (kind) {
    case "drop_required":
      delete args[r.pick(tool.inputSchema.required ?? [key])];
      break;
    case "wrong_type":
      args[key] = r.pick([null, 12345, "12345", true, [], {}, [args[key]], { value: args[key] }]);
      break;
    case "huge_string":
      args[key] = hugeString(r, hugeMax);
      break;
    case "proto_keys":
      argsText = `{${PROTO},${CTOR},${JSON.stringify(args).slice(1)}`.replace(",}", "}");
      break;
    case "extra_key":
      args[r.pick(["extra", "acc_id", "env", "confirm_token", "api_key", "__defineGetter__", "toString"])] =
        randomValue(r, 2);
      break;
    case "deep_value":
      argsText = JSON.stringify({ ...args, [key]: "@@DEEP@@" }).replace('"@@DEEP@@"', deepText(r, r.int(50, deepMax)));
      break;
    case "odd_number":
      args[key] = r.pick(ODD_NUMBERS);
      break;
    case "odd_string":
      args[key] = r.pick(ODD_STRINGS);
      break;
    case "not_an_object":
      argsText = JSON.stringify(r.pick([null, [], "HK.00700", 5, [args]]));
      break;
    case "mutated_name":
      name = r.pick([name.toUpperCase(), `${name}_`, name.slice(0, -1), ` ${name}`, `${name}\u0000`]);
      break;
  }
  argsText ??= JSON.stringify(args);
  return {
    kind,
    body: `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":${
      JSON.stringify(name)
    },"arguments":${argsText}}}`,
  };
}
