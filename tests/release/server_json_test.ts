/**
 * The MCP Registry listing (scripts/server_json.ts) and the MCP Bundles it lists (scripts/mcpb.ts):
 * the generated server.json passes the structural check, follows the version and the checksums it
 * was given, and a broken document is refused with the offending field named; the bundles hold a
 * manifest that @anthropic-ai/mcpb's own schema accepts and an executable that stays executable.
 */
import assert from "node:assert/strict";
import { tempDir } from "../helpers/tmp.ts";
import {
  collectSums,
  DESCRIPTION,
  main as serverJsonMain,
  MCPB_SUMS_FILE,
  mcpbAssetName,
  parseSums,
  renderServerJson,
  SCHEMA_URL,
  type ServerJson,
  serverJson,
  ServerJsonError,
  validateServerJson,
} from "../../scripts/server_json.ts";
import { binaryName, osOf, sha256Hex, TARGETS } from "../../scripts/release_targets.ts";
import { buildMcpb, main as mcpbMain, mcpbManifest, readMcpb, validateMcpbManifest } from "../../scripts/mcpb.ts";

const VERSION = "1.2.3";
const REPO = "Some-Owner/futu-mcp";

/** A made-up hash per bundle, distinct per target. */
function fakeSums(version = VERSION): Map<string, string> {
  return new Map(TARGETS.map((target, i) => [mcpbAssetName(version, target), String(i + 1).repeat(64)]));
}

function generated(): ServerJson {
  return serverJson({ version: VERSION, repo: REPO, sums: fakeSums() });
}

/** A deep copy to break on purpose. */
function copy(): Record<string, unknown> & { packages: Record<string, unknown>[] } {
  return JSON.parse(JSON.stringify(generated()));
}

function rejects(doc: unknown, field: string, why?: RegExp) {
  assert.throws(() => validateServerJson(doc), (err: unknown) => {
    assert.ok(err instanceof ServerJsonError, `expected a ServerJsonError, got ${err}`);
    const line = err.message.split("\n").find((l) => l.trim().startsWith(`${field}:`));
    assert.ok(line, `the error names ${field}:\n${err.message}`);
    if (why) assert.match(line, why);
    return true;
  });
}

Deno.test("server.json: the generated listing validates and follows the version, repo and checksums", () => {
  const doc = generated();
  assert.deepEqual(validateServerJson(JSON.parse(renderServerJson(doc))), doc);
  assert.equal(doc.$schema, SCHEMA_URL);
  assert.equal(doc.name, "io.github.Some-Owner/futu-mcp");
  assert.equal(doc.version, VERSION);
  assert.ok(doc.description.length <= 100);
  assert.equal(doc.description, DESCRIPTION);
  assert.deepEqual(doc.repository, { url: "https://github.com/Some-Owner/futu-mcp", source: "github" });
  const sums = fakeSums();
  assert.equal(doc.packages.length, TARGETS.length);
  doc.packages.forEach((pkg, i) => {
    const asset = `futu-mcp-${VERSION}-${TARGETS[i]}.mcpb`;
    assert.equal(pkg.registryType, "mcpb");
    assert.equal(pkg.identifier, `https://github.com/Some-Owner/futu-mcp/releases/download/v${VERSION}/${asset}`);
    assert.equal(pkg.fileSha256, sums.get(asset));
    assert.equal(pkg.version, VERSION);
    assert.deepEqual(pkg.transport, { type: "stdio" });
    const env = Object.fromEntries((pkg.environmentVariables ?? []).map((v) => [v.name, v]));
    assert.equal(env.FUTU_MCP_API_KEY.isSecret, true);
    assert.equal(env.FUTU_MCP_API_KEY.isRequired, false);
    assert.equal(env.FUTU_GATEWAY.isSecret, false);
    assert.equal(env.FUTU_GATEWAY.default, "127.0.0.1:11111");
  });
});

Deno.test("server.json: another version gives other URLs; a record of sums works like a map", () => {
  const sums = fakeSums("2.0.0-rc.1");
  const doc = serverJson({ version: "2.0.0-rc.1", repo: REPO, sums: Object.fromEntries(sums) });
  assert.equal(doc.version, "2.0.0-rc.1");
  for (const [i, pkg] of doc.packages.entries()) {
    assert.match(pkg.identifier, /\/releases\/download\/v2\.0\.0-rc\.1\/futu-mcp-2\.0\.0-rc\.1-[a-z0-9_-]+\.mcpb$/);
    assert.equal(pkg.fileSha256, sums.get(mcpbAssetName("2.0.0-rc.1", TARGETS[i])), "the record's checksum is used");
  }
  assert.deepEqual(doc.packages, serverJson({ version: "2.0.0-rc.1", repo: REPO, sums }).packages);
});

Deno.test("server.json: a bundle missing from the checksums, a bad version or repo is refused", () => {
  const sums = fakeSums();
  sums.delete(mcpbAssetName(VERSION, "aarch64-apple-darwin"));
  assert.throws(
    () => serverJson({ version: VERSION, repo: REPO, sums }),
    /fileSha256: no checksum for futu-mcp-1\.2\.3-aarch64-apple-darwin\.mcpb/,
  );
  for (const version of ["latest", "^1.2.3", "1.x", "v1.2.3", "1.2"]) {
    assert.throws(() => serverJson({ version, repo: REPO, sums: fakeSums() }), /^ServerJsonError: version:/);
  }
  for (const repo of ["owner", "a/b/c", "-owner/x", "owner/..", "own er/x"]) {
    assert.throws(() => serverJson({ version: VERSION, repo, sums: fakeSums() }), /^ServerJsonError: repo:/);
  }
});

Deno.test("server.json: an invalid document is refused, naming the field", () => {
  const noHash = copy();
  delete noHash.packages[0].fileSha256;
  rejects(noHash, "packages[0].fileSha256", /required/);

  const upperHash = copy();
  upperHash.packages[2].fileSha256 = "A".repeat(64);
  rejects(upperHash, "packages[2].fileSha256", /lowercase hex/);

  const long = copy();
  long.description = "x".repeat(101);
  rejects(long, "description", /100/);

  for (const name of ["futu-mcp", "io.github.a/b/c", "io.github.Some-Owner/futu mcp", "com.example/futu-mcp"]) {
    const bad = copy();
    bad.name = name;
    rejects(bad, "name");
  }
  const otherOwner = copy();
  otherOwner.name = "io.github.someone-else/futu-mcp";
  rejects(otherOwner, "name", /does not match repository/);

  const notGithub = copy();
  notGithub.packages[1].identifier = "https://example.com/futu-mcp-1.2.3-x.mcpb";
  rejects(notGithub, "packages[1].identifier", /GitHub release asset/);

  const otherTag = copy();
  otherTag.packages[1].identifier = `https://github.com/${REPO}/releases/download/v9.9.9/futu-mcp-9.9.9-x.mcpb`;
  rejects(otherTag, "packages[1].identifier", /v1\.2\.3 release/);

  const latest = copy();
  latest.version = "latest";
  rejects(latest, "version", /exact version/);

  const range = copy();
  range.packages[0].version = ">=1.0.0";
  rejects(range, "packages[0].version", /exact version/);

  const snakeCase = copy();
  snakeCase.packages[0].file_sha256 = snakeCase.packages[0].fileSha256;
  rejects(snakeCase, "packages[0].file_sha256");

  const baseUrl = copy();
  baseUrl.packages[0].registryBaseUrl = "https://github.com";
  rejects(baseUrl, "packages[0].registryBaseUrl");

  const wrongSchema = copy();
  wrongSchema.$schema = "https://static.modelcontextprotocol.io/schemas/2025-07-09/server.schema.json";
  rejects(wrongSchema, "$schema");

  const noPackages = copy();
  noPackages.packages = [];
  rejects(noPackages, "packages");
});

Deno.test("SHA256SUMS: parsed strictly", () => {
  const hex = "ab".repeat(32);
  const sums = parseSums(`${hex}  futu-mcp-1.2.3-x86_64-unknown-linux-gnu\r\n${"CD".repeat(32)} *futucli.exe\n\n`);
  assert.deepEqual([...sums], [["futu-mcp-1.2.3-x86_64-unknown-linux-gnu", hex], ["futucli.exe", "cd".repeat(32)]]);
  assert.throws(() => parseSums(`${hex} x\nnot a line\n`), /SHA256SUMS:1: expected/);
  assert.throws(() => parseSums(`${"ab".repeat(31)}  short\n`), /SHA256SUMS:1:/);
  assert.throws(() => parseSums(`${hex}  a\n${"cd".repeat(32)}  a\n`), /SHA256SUMS:2: a is listed twice/);
});

Deno.test("mcpb: the manifest passes @anthropic-ai/mcpb's schema; a broken one is refused, naming the field", () => {
  for (const target of TARGETS) {
    const platform = osOf(target) === "windows" ? "win32" : osOf(target);
    const manifest = mcpbManifest({ version: VERSION, repo: REPO, target });
    assert.equal(manifest.version, VERSION);
    assert.equal(manifest.server.type, "binary");
    assert.deepEqual(manifest.compatibility?.platforms, [platform]);
    const exe = target.includes("windows") ? ".exe" : "";
    assert.equal(manifest.server.entry_point, `server/futu-mcp${exe}`);
    assert.equal(manifest.server.mcp_config.command, `\${__dirname}/server/futu-mcp${exe}`);
    // Every ${user_config.X} used has a default, so no client passes one through unreplaced.
    const used = JSON.stringify(manifest.server.mcp_config).matchAll(/\$\{user_config\.([a-z_]+)\}/g);
    for (const [, key] of used) assert.notEqual(manifest.user_config?.[key]?.default, undefined, key);
  }
  const bad = JSON.parse(
    JSON.stringify(mcpbManifest({ version: VERSION, repo: REPO, target: "aarch64-apple-darwin" })),
  );
  bad.server.type = "deno";
  bad.unknown_field = true;
  assert.throws(() => validateMcpbManifest(bad), (err: unknown) => {
    assert.ok(err instanceof ServerJsonError);
    assert.match(err.message, /^ {2}server\.type: /m);
    assert.match(err.message, /unknown_field/);
    return true;
  });
});

Deno.test("mcpb: a bundle holds the manifest and the executable, mode 0755, byte for byte reproducibly", () => {
  const binary = crypto.getRandomValues(new Uint8Array(4096));
  const manifest = mcpbManifest({ version: VERSION, repo: REPO, target: "x86_64-pc-windows-msvc" });
  const bundle = buildMcpb(manifest, binary);
  const read = readMcpb(bundle);
  assert.deepEqual(read.manifest, manifest);
  assert.deepEqual(read.binary, binary);
  assert.equal(read.mode, 0o755);
  assert.deepEqual(buildMcpb(manifest, binary), bundle);
});

Deno.test("release dist: bundles, MCPB-SHA256SUMS and server.json agree; --check catches a stale file", async () => {
  const dist = await tempDir("server-json");
  try {
    const sumsLines: string[] = [];
    for (const target of TARGETS) {
      const name = binaryName("futu-mcp", VERSION, target);
      const bytes = new TextEncoder().encode(`#!/bin/sh\necho fake ${target}\n`);
      await Deno.writeFile(`${dist}/${name}`, bytes);
      sumsLines.push(`${await sha256Hex(bytes)}  ${name}`);
    }
    await Deno.writeTextFile(`${dist}/SHA256SUMS`, sumsLines.join("\n") + "\n");
    const quiet = { log: console.log, error: console.error };
    console.log = console.error = () => {};
    let codes: number[];
    try {
      codes = [
        await mcpbMain(["--version", VERSION, "--repo", REPO, "--dist", dist]),
        await serverJsonMain(["--version", VERSION, "--repo", REPO, "--dist", dist]),
        await serverJsonMain(["--version", VERSION, "--repo", REPO, "--dist", dist, "--check"]),
      ];
    } finally {
      Object.assign(console, quiet);
    }
    assert.deepEqual(codes, [0, 0, 0]);

    const listed = parseSums(await Deno.readTextFile(`${dist}/${MCPB_SUMS_FILE}`));
    const doc = validateServerJson(JSON.parse(await Deno.readTextFile(`${dist}/server.json`)));
    for (const [i, target] of TARGETS.entries()) {
      const name = mcpbAssetName(VERSION, target);
      const bundle = await Deno.readFile(`${dist}/${name}`);
      assert.equal(doc.packages[i].fileSha256, await sha256Hex(bundle));
      assert.equal(listed.get(name), doc.packages[i].fileSha256);
      const { manifest, binary, mode } = readMcpb(bundle);
      assert.equal(manifest.version, VERSION);
      assert.deepEqual(binary, await Deno.readFile(`${dist}/${binaryName("futu-mcp", VERSION, target)}`));
      assert.equal(mode, 0o755);
    }

    console.log = console.error = () => {};
    try {
      // A stale server.json fails --check.
      const stale = JSON.parse(await Deno.readTextFile(`${dist}/server.json`));
      stale.description = "stale";
      await Deno.writeTextFile(`${dist}/server.json`, JSON.stringify(stale, null, 2) + "\n");
      assert.equal(await serverJsonMain(["--version", VERSION, "--repo", REPO, "--dist", dist, "--check"]), 1);
      // A bundle whose bytes no longer match MCPB-SHA256SUMS is refused.
      const darwin = `${dist}/${mcpbAssetName(VERSION, "x86_64-apple-darwin")}`;
      await Deno.writeFile(darwin, new Uint8Array([1, 2, 3]));
      assert.equal(await serverJsonMain(["--version", VERSION, "--repo", REPO, "--dist", dist]), 1);
      await assert.rejects(collectSums(dist, VERSION), /x86_64-apple-darwin\.mcpb: its SHA-256 is/);
      // A binary that does not match SHA256SUMS fails the run before any bundle is written.
      await Deno.writeFile(`${dist}/${binaryName("futu-mcp", VERSION, "aarch64-apple-darwin")}`, new Uint8Array([4]));
      assert.equal(await mcpbMain(["--version", VERSION, "--repo", REPO, "--dist", dist]), 1);
      assert.deepEqual(await Deno.readFile(darwin), new Uint8Array([1, 2, 3]));
      assert.equal(await mcpbMain(["--version", VERSION, "--dist", dist]), 2);
    } finally {
      Object.assign(console, quiet);
    }
  } finally {
    await Deno.remove(dist, { recursive: true });
  }
});
