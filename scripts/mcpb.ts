/**
 * Packs each release target's futu-mcp executable into an MCP Bundle (`.mcpb`): the form in which
 * a prebuilt binary can be listed in the official MCP Registry (`registryType: "mcpb"`), and which
 * MCPB clients such as Claude Desktop install with one click.
 *
 *   deno run --no-prompt --allow-read=dist --allow-write=dist --allow-env=FUTU_* --ignore-env \
 *     scripts/mcpb.ts --version 0.1.0 --repo owner/name --dist dist
 *
 * Reads `<dist>/futu-mcp-<version>-<target>[.exe]` for every target (checked against
 * `<dist>/SHA256SUMS` when that lists it), writes `<dist>/futu-mcp-<version>-<target>.mcpb`, and
 * writes their hashes to `<dist>/MCPB-SHA256SUMS` (`<hex>  <name>` lines, replaced on every run),
 * which `scripts/server_json.ts` reads.
 *
 * A bundle is a zip of `manifest.json` and `server/futu-mcp[.exe]` (mode 0755). The manifest is
 * checked against the strict manifest schema that `@anthropic-ai/mcpb` (the MCPB tooling) exports,
 * the one `mcpb validate` uses. The MCPB format has no CPU-architecture field, so each bundle
 * names its OS in `compatibility.platforms` and its target in its file name. Entries carry a fixed
 * timestamp, so the same executable always gives the same bundle bytes and hash.
 *
 * @module
 */
import { unzipSync, type Zippable, zipSync } from "npm:fflate@0.8.3";
import { v0_2 } from "npm:@anthropic-ai/mcpb@2.1.2/schemas";
import {
  checkVersion,
  DESCRIPTION,
  MCPB_SUMS_FILE,
  mcpbAssetName,
  parseListingArgs,
  parseRepo,
  parseSums,
  readIfExists,
  ServerJsonError,
} from "./server_json.ts";
import { binaryName, osOf, sha256Hex, type Target, TARGETS } from "./release_targets.ts";

/** The manifest spec version written (the default of `mcpb init` in @anthropic-ai/mcpb 2.1.2). */
export const MANIFEST_VERSION = "0.2";

/** The manifest schema of that version, as @anthropic-ai/mcpb exports it (a zod 3 schema). */
const ManifestSchema = v0_2.McpbManifestSchema;

/** An MCPB manifest (manifest.json). */
export type McpbManifest = ReturnType<typeof ManifestSchema.parse>;

/** Where the executable sits inside a bundle. */
export function bundledBinaryPath(target: Target): string {
  return `server/futu-mcp${target.includes("windows") ? ".exe" : ""}`;
}

/** A target's OS as an MCP Bundle names it (`process.platform`). */
function platformOf(target: Target): "linux" | "darwin" | "win32" {
  const os = osOf(target);
  return os === "windows" ? "win32" : os;
}

/**
 * The manifest.json of one target's bundle. The user's settings reach futu-mcp as its
 * environment (FUTU_GATEWAY, FUTU_MCP_API_KEY) and `--keys-file=`; every optional setting has a
 * default, so an MCPB client never passes an unreplaced `${user_config.…}` (an empty keys file or
 * key means legacy mode / no startup key, as on the command line).
 */
export function mcpbManifest({ version, repo, target }: { version: string; repo: string; target: Target }) {
  checkVersion(version);
  const { owner } = parseRepo(repo);
  const binary = bundledBinaryPath(target);
  const manifest = {
    manifest_version: MANIFEST_VERSION,
    name: "futu-mcp",
    display_name: "Futu OpenD",
    version,
    description: DESCRIPTION,
    long_description: "futu-mcp connects an MCP client to Futu OpenD (the Futu / moomoo trading gateway): " +
      "quotes, market data, accounts, and orders guarded by per-key limits. It needs a running OpenD, " +
      'or set the gateway to "sim" to try it on the embedded simulator.',
    author: { name: owner, url: `https://github.com/${owner}` },
    repository: { type: "git", url: `https://github.com/${repo}` },
    homepage: `https://github.com/${repo}`,
    support: `https://github.com/${repo}/issues`,
    server: {
      type: "binary",
      entry_point: binary,
      mcp_config: {
        command: `\${__dirname}/${binary}`,
        args: ["--keys-file=${user_config.keys_file}"],
        env: {
          FUTU_GATEWAY: "${user_config.gateway}",
          FUTU_MCP_API_KEY: "${user_config.api_key}",
        },
      },
    },
    tools_generated: true,
    keywords: ["futu", "moomoo", "opend", "trading", "market-data", "brokerage"],
    compatibility: { platforms: [platformOf(target)] },
    user_config: {
      gateway: {
        type: "string",
        title: "OpenD address",
        description: 'Futu OpenD as host:port, or "sim" for the embedded simulator',
        required: false,
        default: "127.0.0.1:11111",
      },
      keys_file: {
        type: "file",
        title: "API keys file",
        description: "keys.json with the API keys and their limits; leave empty for legacy mode (no keys)",
        required: false,
        default: "",
      },
      api_key: {
        type: "string",
        title: "API key",
        description: "The key for calls that carry none (used with a keys file)",
        sensitive: true,
        required: false,
        default: "",
      },
    },
  };
  return validateMcpbManifest(manifest);
}

/**
 * Checks a manifest against @anthropic-ai/mcpb's strict schema; throws a {@link ServerJsonError}
 * naming each offending field.
 */
export function validateMcpbManifest(manifest: unknown): McpbManifest {
  const result = ManifestSchema.safeParse(manifest);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const path = issue.path.map((key) => typeof key === "number" ? `[${key}]` : `.${key}`).join("").slice(1);
      return `${path || "(manifest)"}: ${issue.message}`;
    });
    throw new ServerJsonError(`invalid MCPB manifest:\n  ${problems.join("\n  ")}`);
  }
  return result.data;
}

/** The timestamp on every zip entry (a local time, so the DOS fields are the same in every zone). */
const ENTRY_TIME = new Date(2000, 0, 1, 0, 0, 0);
/** Unix file modes, in the upper half of the zip entries' external attributes (S_IFREG | perms). */
const FILE_MODE = 0o100644 * 0x10000;
const EXEC_MODE = 0o100755 * 0x10000;

/** One bundle's bytes: a zip of the manifest and the executable. Pure. */
export function buildMcpb(manifest: McpbManifest, binary: Uint8Array): Uint8Array {
  const files: Zippable = {
    "manifest.json": [
      new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`),
      { os: 3, attrs: FILE_MODE, mtime: ENTRY_TIME, level: 9 },
    ],
    [manifest.server.entry_point]: [binary, { os: 3, attrs: EXEC_MODE, mtime: ENTRY_TIME, level: 6 }],
  };
  return zipSync(files);
}

/** Reads a bundle back: its manifest (validated) and the executable with its Unix mode. */
export function readMcpb(bundle: Uint8Array): { manifest: McpbManifest; binary: Uint8Array; mode: number } {
  const files = unzipSync(bundle);
  // fflate's unzip does not report the entries' external attributes: read them from the central directory.
  const modes = centralDirectoryModes(bundle);
  const manifestBytes = files["manifest.json"];
  if (!manifestBytes) throw new ServerJsonError("bundle has no manifest.json");
  const manifest = validateMcpbManifest(JSON.parse(new TextDecoder().decode(manifestBytes)));
  const binary = files[manifest.server.entry_point];
  if (!binary) throw new ServerJsonError(`bundle has no ${manifest.server.entry_point}`);
  return { manifest, binary, mode: modes.get(manifest.server.entry_point) ?? 0 };
}

/** Each zip entry's Unix mode bits, from the central directory's external attributes. */
function centralDirectoryModes(zip: Uint8Array): Map<string, number> {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let end = zip.length - 22;
  while (end >= 0 && view.getUint32(end, true) !== 0x06054b50) end--;
  if (end < 0) throw new ServerJsonError("not a zip file (no end of central directory)");
  const count = view.getUint16(end + 10, true);
  let offset = view.getUint32(end + 16, true);
  const modes = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    if (view.getUint32(offset, true) !== 0x02014b50) throw new ServerJsonError("corrupt zip central directory");
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    const external = view.getUint32(offset + 38, true);
    const name = new TextDecoder().decode(zip.subarray(offset + 46, offset + 46 + nameLength));
    modes.set(name, (external >>> 16) & 0o777);
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return modes;
}

/**
 * Builds every target's bundle from `<dist>` into `<dist>`, and writes `<dist>/MCPB-SHA256SUMS`.
 * Returns bundle name → SHA-256.
 */
export async function writeMcpbBundles(
  { dist, version, repo }: { dist: string; version: string; repo: string },
): Promise<Map<string, string>> {
  const sumsText = await readIfExists(`${dist}/SHA256SUMS`);
  const releaseSums = sumsText ? parseSums(new TextDecoder().decode(sumsText), `${dist}/SHA256SUMS`) : new Map();
  // Every executable is found and checked before any bundle is written.
  const binaries = new Map<Target, Uint8Array>();
  for (const target of TARGETS) {
    const file = binaryName("futu-mcp", version, target);
    const binary = await readIfExists(`${dist}/${file}`);
    if (!binary) throw new ServerJsonError(`${dist}/${file}: not found`);
    const listed = releaseSums.get(file);
    if (listed !== undefined && listed !== await sha256Hex(binary)) {
      throw new ServerJsonError(`${dist}/${file}: does not match its hash in ${dist}/SHA256SUMS`);
    }
    binaries.set(target, binary);
  }
  const written = new Map<string, string>();
  for (const [target, binary] of binaries) {
    const bundle = buildMcpb(mcpbManifest({ version, repo, target }), binary);
    const name = mcpbAssetName(version, target);
    await Deno.writeFile(`${dist}/${name}`, bundle);
    written.set(name, await sha256Hex(bundle));
  }
  const lines = [...written].map(([name, hash]) => `${hash}  ${name}\n`).join("");
  await Deno.writeTextFile(`${dist}/${MCPB_SUMS_FILE}`, lines);
  return written;
}

const USAGE = "usage: mcpb.ts --version X.Y.Z --repo OWNER/NAME [--dist DIR]";

/** The command line; returns the exit code (0 written, 1 failed, 2 usage). */
export async function main(args: string[]): Promise<number> {
  const parsed = parseListingArgs(args, "mcpb", USAGE, false);
  if (typeof parsed === "number") return parsed;
  const { dist, version, repo } = parsed;
  try {
    const written = await writeMcpbBundles({ dist, version, repo });
    for (const [name, hash] of written) console.log(`mcpb: wrote ${dist}/${name} (sha256 ${hash})`);
    console.log(`mcpb: wrote ${dist}/${MCPB_SUMS_FILE}`);
    return 0;
  } catch (err) {
    if (err instanceof ServerJsonError) {
      console.error(`mcpb: ${err.message}`);
      return 1;
    }
    throw err;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
