/**
 * `deno task build` compiles every target, and each executable carries
 * exactly the permissions the release promises — read back from the compile
 * metadata Deno writes into the binary, not from our own tables.
 *
 * denort (the compile runtime) can't be downloaded here, so the build runs
 * against stand-in runtimes: each target's full `deno` binary from the npm
 * registry (`scripts/standin_denort.sh`). The executables are then real
 * binaries of the right format with the real metadata and bundle, but they
 * run as the deno CLI; the bundle they embed is run by bundle_test.ts, and
 * release.yml runs genuine ones on each OS.
 */
import assert from "node:assert/strict";
import { join, resolve } from "node:path";
import { runBuild } from "../helpers/release.ts";
import { tempDir } from "../helpers/tmp.ts";
import { binaryName, osOf, sha256Hex, TARGETS } from "../../scripts/release_targets.ts";
import { DENO_DEFAULT_IMPORT_HOSTS } from "../../scripts/release_grants.ts";
import { type BuildRecord, VERSION } from "../../src/version.ts";

const STANDINS = resolve(".tools/denort-standin");

interface Metadata {
  argv: string[];
  permissions: Record<string, unknown>;
  [key: string]: unknown;
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from = 0): number {
  outer: for (let i = from; i <= haystack.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** Deno's standalone metadata: JSON after a little-endian u64 length, starting `{"argv":`. */
function metadataOf(binary: Uint8Array): Metadata {
  const start = indexOf(binary, new TextEncoder().encode('{"argv":'));
  assert.ok(start > 8, "no compile metadata in the binary");
  const length = Number(new DataView(binary.buffer, binary.byteOffset + start - 8, 8).getBigUint64(0, true));
  return JSON.parse(new TextDecoder().decode(binary.subarray(start, start + length)));
}

/** The build record the embedded bundle sets (what `--version` prints). */
function buildRecordOf(binary: Uint8Array): BuildRecord {
  const marker = new TextEncoder().encode('"__FUTU_BUILD__"] = Object.freeze(');
  const at = indexOf(binary, marker);
  assert.ok(at >= 0, "no build record in the embedded bundle");
  const from = at + marker.length;
  const end = indexOf(binary, new TextEncoder().encode("});\n"), from);
  return JSON.parse(new TextDecoder().decode(binary.subarray(from, end + 1)));
}

async function build(out: string, extra: string[] = []): Promise<string> {
  const result = await runBuild(out, ["--denort-dir", STANDINS, ...extra]);
  assert.equal(result.code, 0, `build failed:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

async function prepareStandins(): Promise<void> {
  const result = await new Deno.Command("bash", {
    args: ["scripts/standin_denort.sh", STANDINS],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(result.code, 0, `stand-in runtimes: ${new TextDecoder().decode(result.stderr)}`);
}

const LOOPBACK = ["127.0.0.1:11111", "localhost:11111"];
const LINUX_FILES = ["/home", "/root", "/var/lib/futu-mcp", "/var/log/futu-mcp"];

/** What each executable may do, per OS: the release's promise, written out by hand. */
const EXPECTED: Record<"linux" | "darwin" | "windows", Record<"futu-mcp" | "futucli", Record<string, unknown>>> = {
  linux: {
    "futu-mcp": {
      allow_net: [...LOOPBACK, "127.0.0.1:38765", "localhost:38765"],
      allow_env: ["FUTU_*"],
      allow_run: ["secret-tool"],
      allow_read: ["/etc/machine-id", "/var/lib/dbus/machine-id", "/etc/futu", ...LINUX_FILES],
      allow_write: LINUX_FILES,
    },
    futucli: {
      allow_net: LOOPBACK,
      allow_env: ["FUTU_*", "HOME", "XDG_CONFIG_HOME", "PATH"],
      allow_run: ["secret-tool", "kill"],
      allow_read: ["/etc/machine-id", "/var/lib/dbus/machine-id", "/etc/futu", ...LINUX_FILES],
      allow_write: [...LINUX_FILES, "/etc/futu"],
    },
  },
  darwin: {
    "futu-mcp": {
      allow_net: [...LOOPBACK, "127.0.0.1:38765", "localhost:38765"],
      allow_env: ["FUTU_*"],
      allow_run: ["security", "ioreg"],
      allow_read: ["/Users"],
      allow_write: ["/Users"],
    },
    futucli: {
      allow_net: LOOPBACK,
      allow_env: ["FUTU_*", "HOME", "XDG_CONFIG_HOME", "PATH"],
      allow_run: ["security", "ioreg", "kill"],
      allow_read: ["/Users"],
      allow_write: ["/Users"],
    },
  },
  windows: {
    "futu-mcp": {
      allow_net: [...LOOPBACK, "127.0.0.1:38765", "localhost:38765"],
      allow_env: ["FUTU_*"],
      allow_run: ["powershell"],
      allow_read: ["C:\\Users", "C:\\ProgramData\\futu"],
      allow_write: ["C:\\Users", "C:\\ProgramData\\futu"],
    },
    futucli: {
      allow_net: LOOPBACK,
      allow_env: ["FUTU_*", "APPDATA", "PATH"],
      allow_run: ["powershell"],
      allow_read: ["C:\\Users", "C:\\ProgramData\\futu"],
      allow_write: ["C:\\Users", "C:\\ProgramData\\futu"],
    },
  },
};

Deno.test("release build: every target's executables bake exactly the promised grants, and --version says so", async () => {
  await prepareStandins();
  const out = await tempDir("dist");
  try {
    const log = await build(out, ["--all"]);
    const sums = await Deno.readTextFile(join(out, "SHA256SUMS"));
    for (const target of TARGETS) {
      for (const program of ["futu-mcp", "futucli"] as const) {
        const name = binaryName(program, VERSION, target);
        assert.ok(log.includes(`built ${join(out, name)}`), `${name} not built:\n${log}`);
        const binary = await Deno.readFile(join(out, name));
        assert.ok(sums.includes(`${await sha256Hex(binary)}  ${name}\n`), `${name} missing from SHA256SUMS`);
        const meta = metadataOf(binary);
        const p = meta.permissions;
        for (const [kind, expected] of Object.entries(EXPECTED[osOf(target)][program])) {
          assert.deepEqual(p[kind], expected, `${name}: ${kind}`);
        }
        // Nothing else: no prompts, other variables read as unset, no FFI, no system info, no remote code.
        assert.equal(p.prompt, false, `${name}: prompt`);
        assert.deepEqual(p.ignore_env, [], `${name}: ignore_env (all)`);
        assert.equal(p.allow_ffi, null, `${name}: ffi`);
        assert.equal(p.allow_sys, null, `${name}: sys`);
        assert.deepEqual(p.deny_import, DENO_DEFAULT_IMPORT_HOSTS, `${name}: remote imports`);
        assert.deepEqual(meta.argv, [], `${name}: baked arguments`);
        // What --version prints is what Deno enforces.
        const record = buildRecordOf(binary);
        assert.deepEqual(
          { program: record.program, version: record.version, target: record.target },
          { program, version: VERSION, target },
        );
        assert.deepEqual(record.grants, {
          net: p.allow_net,
          env: p.allow_env,
          run: p.allow_run,
          read: p.allow_read,
          write: p.allow_write,
        }, `${name}: the build record differs from the baked permissions`);
      }
    }
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("release build: operator build options bake other gateways, listen and Redis addresses and exact paths", async () => {
  await prepareStandins();
  const out = await tempDir("dist");
  try {
    await build(out, [
      "--target",
      "x86_64-unknown-linux-gnu",
      "--allow-gateway",
      "10.0.0.5:11111",
      "--allow-listen",
      "0.0.0.0:38765",
      "--allow-state",
      "10.0.0.7:6379",
      "--only-listed-paths",
      "--allow-read",
      "/etc/futu",
      "--allow-write",
      "/srv/futu",
    ]);
    const mcp = metadataOf(await Deno.readFile(join(out, binaryName("futu-mcp", VERSION, "x86_64-unknown-linux-gnu"))));
    assert.deepEqual(mcp.permissions.allow_net, [
      ...LOOPBACK,
      "10.0.0.5:11111",
      "127.0.0.1:38765",
      "localhost:38765",
      "0.0.0.0:38765",
      "10.0.0.7:6379",
    ]);
    assert.deepEqual(mcp.permissions.allow_read, [
      "/etc/machine-id",
      "/var/lib/dbus/machine-id",
      "/srv/futu",
      "/etc/futu",
    ]);
    assert.deepEqual(mcp.permissions.allow_write, ["/srv/futu"]);
    const cli = metadataOf(await Deno.readFile(join(out, binaryName("futucli", VERSION, "x86_64-unknown-linux-gnu"))));
    assert.deepEqual(cli.permissions.allow_net, [...LOOPBACK, "10.0.0.5:11111"]);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("release build: bad options are usage errors naming the option", async () => {
  const cases: [string[], string][] = [
    [["--target", "mips-unknown-linux"], "unknown --target mips-unknown-linux"],
    [["--allow-gateway", "10.0.0.5"], '--allow-gateway "10.0.0.5": expected host:port'],
    [["--allow-read", "relative/dir"], '--allow-read "relative/dir": expected an absolute path'],
    [["--frobnicate"], "Unknown option '--frobnicate'"],
  ];
  for (const [args, message] of cases) {
    const result = await new Deno.Command("deno", {
      args: ["run", "--no-prompt", "--allow-read=.", "--ignore-env", "scripts/build.ts", ...args],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(result.stderr);
    assert.equal(result.code, 2, `${args.join(" ")}: ${stderr}`);
    assert.ok(stderr.includes(message), `${args.join(" ")}: ${stderr}`);
  }
});
