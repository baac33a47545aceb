/**
 * Writes the release's `server.json`: futu-mcp's listing for the official MCP Registry
 * (registry.modelcontextprotocol.io), generated per release from the release assets' checksums.
 *
 *   deno run --no-prompt --allow-read=dist --allow-write=dist --allow-env=FUTU_* --ignore-env \
 *     scripts/server_json.ts --version 0.1.0 --repo owner/name --dist dist [--check]
 *
 * The registry lists packages by `registryType` (npm, pypi, nuget, oci, cargo, go, mcpb, ...);
 * none of them is a raw executable. A release's prebuilt binaries enter it only as MCP Bundles
 * (`.mcpb`, a zip of manifest.json and the binary, built by `scripts/mcpb.ts`), listed as
 * `registryType: "mcpb"` with the GitHub release download URL as `identifier` and the bundle's
 * SHA-256 as `fileSha256` (both required for mcpb). So each package here is one per-target bundle
 * `futu-mcp-<version>-<target>.mcpb`; the registry has no field that says which OS and CPU a package
 * is for, so the target is in the file name only.
 *
 * The hashes come from `<dist>/SHA256SUMS` and `<dist>/MCPB-SHA256SUMS` (`<hex>  <name>` lines);
 * a bundle present in `<dist>` is hashed too, and must agree with a listed hash. `--check` writes
 * nothing: it fails when `<dist>/server.json` is missing, stale or invalid.
 *
 * What {@link validateServerJson} checks is a strict structural check of the fields this script
 * emits, written from the registry's 2025-12-11 server.schema.json and its publish-time validators
 * (the schema itself is on no npm package, so it is not vendored here): unknown keys are refused,
 * so it is narrower than the schema, and it does not check what only the registry can (namespace
 * ownership, that the download URL answers 200).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { sha256Hex, type Target, TARGETS } from "./release_targets.ts";

/** The server.json schema this document conforms to (the newest dated release of it). */
export const SCHEMA_URL = "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json";

/** The listing's one-line description (the registry allows at most 100 characters). */
export const DESCRIPTION =
  "MCP server for Futu OpenD: market data, accounts and key-guarded trading for Futu and moomoo";

/** The listing's display title. */
export const TITLE = "Futu OpenD";

/** The checksum listing that `scripts/mcpb.ts` writes next to the release's `SHA256SUMS`. */
export const MCPB_SUMS_FILE = "MCPB-SHA256SUMS";

/** The environment variables futu-mcp reads, as the registry describes them to a client. */
export const ENVIRONMENT_VARIABLES = [
  {
    name: "FUTU_GATEWAY",
    description: 'Futu OpenD address as host:port, or "sim" for the embedded simulator',
    format: "string",
    isRequired: false,
    isSecret: false,
    default: "127.0.0.1:11111",
  },
  {
    name: "FUTU_MCP_API_KEY",
    description: "API key for stdio calls that carry none (only with --keys-file; legacy mode has no keys)",
    format: "string",
    isRequired: false,
    isSecret: true,
  },
] as const;

const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;
/** A GitHub owner (user or organization), as the registry's release-URL check accepts it. */
const GITHUB_OWNER = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,37}[a-zA-Z0-9])?$/;
const GITHUB_REPO = /^[a-zA-Z0-9._-]+$/;
/** The registry's rule for a GitHub-hosted mcpb: `/owner/repo/releases/download/tag/filename`. */
const GITHUB_RELEASE_ASSET =
  /^https:\/\/github\.com\/([a-zA-Z0-9](?:[a-zA-Z0-9-]{0,37}[a-zA-Z0-9])?)\/([a-zA-Z0-9._-]+)\/releases\/download\/([^/]+)\/([^/]+)$/;
const SHA256_HEX = /^[a-f0-9]{64}$/;

/** A document, a checksum list or an argument that does not make a valid listing. */
export class ServerJsonError extends Error {
  override name = "ServerJsonError";
}

/** Splits `owner/name`, refusing anything GitHub (and the registry's URL checks) would not accept. */
export function parseRepo(repo: string): { owner: string; name: string } {
  const parts = repo.split("/");
  if (parts.length !== 2 || !GITHUB_OWNER.test(parts[0]) || !GITHUB_REPO.test(parts[1]) || /^\.+$/.test(parts[1])) {
    throw new ServerJsonError(`repo: expected a GitHub owner/name, got ${JSON.stringify(repo)}`);
  }
  return { owner: parts[0], name: parts[1] };
}

/** Refuses a release version that is not a semantic version (the tag is `v<version>`). */
export function checkVersion(version: string): void {
  if (!SEMVER.test(version)) {
    throw new ServerJsonError(`version: expected a semantic version like 0.1.0, got ${JSON.stringify(version)}`);
  }
}

/** The file name of a target's MCP Bundle in a release. */
export function mcpbAssetName(version: string, target: Target): string {
  return `futu-mcp-${version}-${target}.mcpb`;
}

/** Where a release asset is downloaded from on GitHub. */
export function releaseAssetUrl(repo: string, version: string, asset: string): string {
  return `https://github.com/${repo}/releases/download/v${version}/${asset}`;
}

/**
 * Parses a `sha256sum` listing: `<64 hex>  <name>` (or `<hex> *<name>`, binary mode) per line.
 * Hex is lowercased; a malformed line, or one name with two different hashes, is an error.
 */
export function parseSums(text: string, source = "SHA256SUMS"): Map<string, string> {
  const sums = new Map<string, string>();
  const lines = text.split("\n");
  lines.forEach((raw, index) => {
    const line = raw.replace(/\r$/, "");
    if (line.trim() === "") return;
    const match = /^([0-9a-fA-F]{64}) [ *](\S(?:.*\S)?)$/.exec(line);
    if (!match) throw new ServerJsonError(`${source}:${index + 1}: expected "<sha256 hex>  <file name>"`);
    const [, hex, name] = match;
    const previous = sums.get(name);
    if (previous !== undefined && previous !== hex.toLowerCase()) {
      throw new ServerJsonError(`${source}:${index + 1}: ${name} is listed twice with different hashes`);
    }
    sums.set(name, hex.toLowerCase());
  });
  return sums;
}

function lookup(sums: ReadonlyMap<string, string> | Readonly<Record<string, string>>, name: string) {
  return sums instanceof Map ? sums.get(name) : (sums as Readonly<Record<string, string>>)[name];
}

// ---------------------------------------------------------------------------------------------
// The structural check. Field rules follow server.schema.json 2025-12-11 (lengths, patterns,
// required fields) plus the registry's publish-time rules for what we emit (mcpb URL on a GitHub
// release, containing "mcp", with fileSha256 and without registryBaseUrl; no version "latest" or
// range). Objects are strict: a key we do not emit is refused, which also catches misspellings
// like the pre-2025-09-16 snake_case names.

const versionString = z.string().min(1).max(255).refine(
  (v) => v !== "latest" && !/^[\^~<>=*]|[\s*]|\.x(\.|$)|\|\|/i.test(v),
  { message: 'must be one exact version, not "latest" or a range' },
);

const EnvironmentVariableSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: "must be an environment variable name" }),
  description: z.string().min(1),
  format: z.enum(["string", "number", "boolean", "filepath"]).optional(),
  isRequired: z.boolean().optional(),
  isSecret: z.boolean().optional(),
  default: z.string().optional(),
  placeholder: z.string().optional(),
  choices: z.array(z.string()).optional(),
});

const McpbPackageSchema = z.strictObject({
  registryType: z.literal("mcpb"),
  identifier: z.string()
    .regex(GITHUB_RELEASE_ASSET, {
      message: "must be a GitHub release asset URL https://github.com/<owner>/<repo>/releases/download/<tag>/<file>",
    })
    .refine((url) => url.toLowerCase().includes("mcp"), { message: 'the registry requires "mcp" in an mcpb URL' }),
  version: versionString.optional(),
  fileSha256: z.string({ error: "is required for an mcpb package" })
    .regex(SHA256_HEX, { message: "must be 64 lowercase hex digits" }),
  transport: z.strictObject({ type: z.literal("stdio") }),
  environmentVariables: z.array(EnvironmentVariableSchema).optional(),
});

/** The shape of the `server.json` this script writes (a strict subset of the registry's). */
export const ServerJsonSchema = z.strictObject({
  $schema: z.literal(SCHEMA_URL),
  name: z.string().min(3).max(200)
    .regex(/^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/, {
      message: "must be <reverse-DNS namespace>/<server>, e.g. io.github.owner/futu-mcp",
    })
    .refine((name) => name.startsWith("io.github."), {
      message: "must be in the io.github.<owner> namespace (GitHub authentication)",
    }),
  title: z.string().min(1).max(100).optional(),
  description: z.string().min(1).max(100),
  version: versionString,
  websiteUrl: z.url({ protocol: /^https$/ }).optional(),
  repository: z.strictObject({
    url: z.string().regex(/^https:\/\/github\.com\/[\w.-]+\/[\w.-]+$/, {
      message: "must be https://github.com/<owner>/<repo>",
    }),
    source: z.literal("github"),
  }),
  packages: z.array(McpbPackageSchema).min(1),
});

/** A `server.json` document as this script writes it. */
export type ServerJson = z.infer<typeof ServerJsonSchema>;

function fieldPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    out += typeof key === "number" ? `[${key}]` : `${out ? "." : ""}${String(key)}`;
  }
  return out || "(document)";
}

/**
 * Checks a `server.json` document; returns it typed, or throws a {@link ServerJsonError} whose
 * message names each offending field by path (e.g. `packages[0].fileSha256: ...`).
 */
export function validateServerJson(doc: unknown): ServerJson {
  const result = ServerJsonSchema.safeParse(doc);
  const problems: string[] = result.success ? [] : result.error.issues.map((issue) => {
    const path = issue.code === "unrecognized_keys"
      ? fieldPath([...issue.path, issue.keys.join(", ")])
      : fieldPath(issue.path);
    return `${path}: ${issue.message}`;
  });
  if (result.success) {
    const server = result.data;
    const [, owner] = /^io\.github\.([^/]+)\//.exec(server.name) ?? [];
    if (server.repository.url.split("/")[3] !== owner) {
      problems.push(`name: the io.github.${owner} namespace does not match repository.url ${server.repository.url}`);
    }
    const seen = new Set<string>();
    server.packages.forEach((pkg, i) => {
      if (seen.has(pkg.identifier)) problems.push(`packages[${i}].identifier: listed twice`);
      seen.add(pkg.identifier);
      const tag = GITHUB_RELEASE_ASSET.exec(pkg.identifier)?.[3];
      if (tag !== `v${server.version}`) {
        problems.push(`packages[${i}].identifier: not an asset of the v${server.version} release`);
      }
      if (pkg.version !== undefined && pkg.version !== server.version) {
        problems.push(`packages[${i}].version: ${pkg.version} differs from version ${server.version}`);
      }
    });
  }
  if (problems.length > 0) throw new ServerJsonError(`invalid server.json:\n  ${problems.join("\n  ")}`);
  return result.data!;
}

/** What a listing is made from. */
export interface ServerJsonInput {
  /** The release version, without the tag's `v`. */
  version: string;
  /** The GitHub repository, `owner/name`. */
  repo: string;
  /** Release asset name → SHA-256 hex; must hold every target's `.mcpb`. */
  sums: ReadonlyMap<string, string> | Readonly<Record<string, string>>;
}

/**
 * The `server.json` for one release: one mcpb package per target, each with its download URL
 * and hash. Pure; throws a {@link ServerJsonError} for a bad version or repo, a bundle missing
 * from `sums`, or a document that would not validate.
 */
export function serverJson({ version, repo, sums }: ServerJsonInput): ServerJson {
  checkVersion(version);
  const { owner } = parseRepo(repo);
  const packages = TARGETS.map((target) => {
    const asset = mcpbAssetName(version, target);
    const hash = lookup(sums, asset);
    if (hash === undefined) throw new ServerJsonError(`fileSha256: no checksum for ${asset}`);
    return {
      registryType: "mcpb" as const,
      identifier: releaseAssetUrl(repo, version, asset),
      version,
      fileSha256: hash.toLowerCase(),
      transport: { type: "stdio" as const },
      environmentVariables: ENVIRONMENT_VARIABLES.map((variable) => ({ ...variable })),
    };
  });
  return validateServerJson({
    $schema: SCHEMA_URL,
    name: `io.github.${owner}/futu-mcp`,
    title: TITLE,
    description: DESCRIPTION,
    version,
    websiteUrl: `https://github.com/${repo}`,
    repository: { url: `https://github.com/${repo}`, source: "github" },
    packages,
  });
}

/** The file's text as written: two-space JSON and a final newline. */
export function renderServerJson(doc: ServerJson): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** A file's bytes, or undefined when it does not exist. */
export async function readIfExists(path: string): Promise<Uint8Array | undefined> {
  try {
    return await Deno.readFile(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return undefined;
    throw err;
  }
}

/**
 * The checksums a listing needs, from `<dist>`: `SHA256SUMS` and `MCPB-SHA256SUMS` merged, and
 * each target's bundle hashed where the file is there (it must then agree with the lists).
 */
export async function collectSums(dist: string, version: string): Promise<Map<string, string>> {
  const sums = new Map<string, string>();
  for (const file of ["SHA256SUMS", MCPB_SUMS_FILE]) {
    const bytes = await readIfExists(`${dist}/${file}`);
    if (!bytes) continue;
    for (const [name, hash] of parseSums(new TextDecoder().decode(bytes), `${dist}/${file}`)) {
      const previous = sums.get(name);
      if (previous !== undefined && previous !== hash) {
        throw new ServerJsonError(`${name}: SHA256SUMS and ${MCPB_SUMS_FILE} list different hashes`);
      }
      sums.set(name, hash);
    }
  }
  for (const target of TARGETS) {
    const asset = mcpbAssetName(version, target);
    const bytes = await readIfExists(`${dist}/${asset}`);
    if (!bytes) continue;
    const actual = await sha256Hex(bytes);
    const listed = sums.get(asset);
    if (listed !== undefined && listed !== actual) {
      throw new ServerJsonError(`${dist}/${asset}: its SHA-256 is ${actual}, but the checksum list says ${listed}`);
    }
    sums.set(asset, actual);
  }
  return sums;
}

/** The command line both release listing scripts take, or the exit code to end with. */
export interface ListingArgs {
  version: string;
  repo: string;
  dist: string;
  check: boolean;
}

/** Parses `--version X.Y.Z --repo OWNER/NAME [--dist DIR] [--check]`; `program` prefixes messages. */
export function parseListingArgs(
  args: string[],
  program: string,
  usage: string,
  allowCheck: boolean,
): ListingArgs | number {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        version: { type: "string" },
        repo: { type: "string" },
        dist: { type: "string", default: "dist" },
        ...(allowCheck ? { check: { type: "boolean", default: false } } : {}),
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    console.error(`${program}: ${(err as Error).message}\n${usage}`);
    return 2;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  if (!values.version || !values.repo) {
    console.error(`${program}: --version and --repo are required\n${usage}`);
    return 2;
  }
  return {
    version: values.version.replace(/^v/, ""),
    repo: values.repo,
    dist: values.dist.replace(/\/+$/, "") || ".",
    check: values.check === true,
  };
}

const USAGE = "usage: server_json.ts --version X.Y.Z --repo OWNER/NAME [--dist DIR] [--check]";

/** The command line; returns the exit code (0 written or up to date, 1 failed or stale, 2 usage). */
export async function main(args: string[]): Promise<number> {
  const parsed = parseListingArgs(args, "server_json", USAGE, true);
  if (typeof parsed === "number") return parsed;
  const { dist, version, repo } = parsed;
  const out = `${dist}/server.json`;
  try {
    const text = renderServerJson(serverJson({ version, repo, sums: await collectSums(dist, version) }));
    if (parsed.check) {
      const existing = await readIfExists(out);
      if (!existing) {
        console.error(`server_json: ${out} is missing`);
        return 1;
      }
      validateServerJson(JSON.parse(new TextDecoder().decode(existing)));
      if (new TextDecoder().decode(existing) !== text) {
        console.error(`server_json: ${out} is stale: run without --check to regenerate it`);
        return 1;
      }
      console.log(`server_json: ${out} is valid and up to date`);
      return 0;
    }
    await Deno.writeTextFile(out, text);
    console.log(`server_json: wrote ${out}`);
    return 0;
  } catch (err) {
    if (err instanceof ServerJsonError || err instanceof SyntaxError) {
      console.error(`server_json: ${err.message}`);
      return 1;
    }
    throw err;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
