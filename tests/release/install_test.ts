/**
 * scripts/install.sh end to end: the real script, under the real `sh` (and `dash`), with the real
 * uname, curl/wget and sha256 tools, downloads from a fake release served over HTTP in-process and
 * installs into a prefix under .test-tmp/. The "binaries" are small distinct files the script must
 * never run.
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { tempDir } from "../helpers/tmp.ts";

const SCRIPT = "scripts/install.sh";
/** The host this suite runs on (CI and developers: Linux x86_64); the script finds it with uname. */
const HOST_TARGET = "x86_64-unknown-linux-gnu";
const OTHER_TARGET = "aarch64-unknown-linux-gnu";
const PLACEHOLDER = "__GITHUB_REPOSITORY__";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Lowercase hex SHA-256. */
async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A stand-in binary: distinct, non-runnable bytes for each product, version and target. */
function binary(product: string, version: string, target: string): Uint8Array {
  return encoder.encode(`not a real ${product} ${version} for ${target}\n\0\x01\x02`);
}

/** The release assets for these versions and targets, named like `deno task build` names them. */
function assets(versions: string[], targets: string[]): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  for (const version of versions) {
    for (const target of targets) {
      for (const product of ["futu-mcp", "futucli"]) {
        files.set(`${product}-${version}-${target}`, binary(product, version, target));
      }
    }
  }
  return files;
}

interface Release {
  /** The directory URL holding the assets and SHA256SUMS. */
  baseUrl: string;
  /** The request paths the server saw, in order. */
  requests: string[];
  /** A scratch directory for this test: prefix, HOME and TMPDIR go under it. */
  root: string;
}

interface ReleaseOptions {
  /** Bytes served instead of the published ones (SHA256SUMS still lists the published hash). */
  corrupt?: Map<string, Uint8Array>;
  /** Assets listed in SHA256SUMS but missing from the release directory (served as 404). */
  missing?: string[];
}

/**
 * A fake release directory on disk (the assets and their SHA256SUMS, in `sha256sum` format),
 * served over HTTP on 127.0.0.1 for the duration of `run`.
 */
async function withRelease(
  files: Map<string, Uint8Array>,
  run: (release: Release) => Promise<void>,
  options: ReleaseOptions = {},
): Promise<void> {
  const root = await tempDir("install");
  const dir = `${root}/release`;
  await Deno.mkdir(dir);
  const lines: string[] = [];
  for (const [name, bytes] of files) {
    lines.push(`${await sha256Hex(bytes)}  ${name}`);
    await Deno.writeFile(`${dir}/${name}`, options.corrupt?.get(name) ?? bytes);
  }
  await Deno.writeTextFile(`${dir}/SHA256SUMS`, lines.join("\n") + "\n");
  for (const name of options.missing ?? []) await Deno.remove(`${dir}/${name}`);

  const requests: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
    const path = new URL(request.url).pathname;
    requests.push(path);
    const name = path.slice(1);
    if (!/^[A-Za-z0-9._-]+$/.test(name) || name.startsWith(".")) return new Response("not found\n", { status: 404 });
    try {
      return new Response(await Deno.readFile(`${dir}/${name}`));
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) return new Response("not found\n", { status: 404 });
      throw err;
    }
  });
  try {
    await run({ baseUrl: `http://127.0.0.1:${server.addr.port}/`, requests, root });
  } finally {
    await server.shutdown();
  }
  await Deno.remove(root, { recursive: true });
}

interface RunOptions {
  /** The shell to run the script with. */
  shell?: string;
  /** Extra environment for the script (on top of PATH, HOME and TMPDIR). */
  env?: Record<string, string>;
  /** The script to run (default: scripts/install.sh). */
  script?: string;
}

/** Runs the install script with a clean environment: PATH from here, HOME and TMPDIR under `root`. */
function install(root: string, args: string[], options: RunOptions = {}): Promise<Result> {
  return shell(root, [options.script ?? SCRIPT, ...args], options);
}

/** Runs the shell with these arguments and the environment `install` gives the script. */
async function shell(root: string, args: string[], options: RunOptions = {}): Promise<Result> {
  const home = `${root}/home`;
  const tmp = `${root}/tmp`;
  await Deno.mkdir(home, { recursive: true });
  await Deno.mkdir(tmp, { recursive: true });
  const out = await new Deno.Command(options.shell ?? "sh", {
    args,
    env: { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", HOME: home, TMPDIR: tmp, ...options.env },
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
}

function describe(result: Result): string {
  return `exit ${result.code}\n--- stdout\n${result.stdout}--- stderr\n${result.stderr}`;
}

/** The names in a directory, sorted. */
async function listDir(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) names.push(entry.name);
  return names.sort();
}

/** The prefix holds exactly futu-mcp and futucli, mode 755, with these bytes. */
async function assertInstalled(prefix: string, expected: { futuMcp: Uint8Array; futucli: Uint8Array }): Promise<void> {
  assertEquals(await listDir(prefix), ["futu-mcp", "futucli"], "the prefix holds other files (a staged copy left?)");
  for (const [name, bytes] of [["futu-mcp", expected.futuMcp], ["futucli", expected.futucli]] as const) {
    assertEquals(await Deno.readFile(`${prefix}/${name}`), bytes, `${prefix}/${name} differs from the release`);
    assertEquals((await Deno.stat(`${prefix}/${name}`)).mode! & 0o777, 0o755, `${prefix}/${name} is not mode 755`);
  }
}

/** The script's temporary directory (under TMPDIR) is gone. */
async function assertNoTempLeft(root: string): Promise<void> {
  assertEquals(await listDir(`${root}/tmp`), [], "the script left its temporary directory behind");
}

/** Whether these commands are all on PATH (decides which optional tests run). */
async function haveCommands(...names: string[]): Promise<boolean> {
  const out = await new Deno.Command("sh", {
    args: ["-c", 'for c in "$@"; do command -v "$c" >/dev/null || exit 1; done', "sh", ...names],
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).output();
  return out.success;
}

const HAVE_DASH = await haveCommands("dash");
const HAVE_WGET_OPENSSL = await haveCommands("wget", "openssl");
const HAVE_CURL_SHASUM = await haveCommands("curl", "shasum");

Deno.test("install.sh installs both binaries from --base-url into --prefix", async () => {
  const files = assets(["0.1.0"], [HOST_TARGET, OTHER_TARGET]);
  await withRelease(files, async ({ baseUrl, requests, root }) => {
    const prefix = `${root}/bin`;
    const result = await install(root, ["--base-url", baseUrl, "--prefix", prefix]);
    assertEquals(result.code, 0, describe(result));
    await assertInstalled(prefix, {
      futuMcp: files.get(`futu-mcp-0.1.0-${HOST_TARGET}`)!,
      futucli: files.get(`futucli-0.1.0-${HOST_TARGET}`)!,
    });
    assertEquals(requests, ["/SHA256SUMS", `/futu-mcp-0.1.0-${HOST_TARGET}`, `/futucli-0.1.0-${HOST_TARGET}`]);
    assert(result.stdout.includes(`${prefix}/futu-mcp`), describe(result));
    assert(result.stdout.includes("0.1.0") && result.stdout.includes(HOST_TARGET), describe(result));
    assert(result.stdout.includes("futucli mcp-config"), describe(result));
    assert(result.stderr.includes("not on your PATH"), `no PATH hint:\n${describe(result)}`);
    await assertNoTempLeft(root);
  });
});

Deno.test("install.sh --version picks that version among several in SHA256SUMS", async () => {
  const files = assets(["0.1.0", "0.2.0"], [HOST_TARGET, OTHER_TARGET]);
  await withRelease(files, async ({ baseUrl, root }) => {
    const prefix = `${root}/bin`;
    // The prefix on PATH: no PATH hint then.
    const env = { PATH: `${prefix}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}` };
    for (const [arg, version] of [["0.1.0", "0.1.0"], ["v0.2.0", "0.2.0"]]) {
      const result = await install(root, ["--base-url", baseUrl, "--prefix", prefix, "--version", arg], { env });
      assertEquals(result.code, 0, describe(result));
      await assertInstalled(prefix, {
        futuMcp: files.get(`futu-mcp-${version}-${HOST_TARGET}`)!,
        futucli: files.get(`futucli-${version}-${HOST_TARGET}`)!,
      });
      assert(result.stdout.includes(`futucli ${version}`), describe(result));
      assert(!result.stderr.includes("not on your PATH"), describe(result));
    }

    // Without --version, two candidates are ambiguous: the script asks instead of guessing.
    const latest = await install(root, ["--base-url", baseUrl, "--prefix", prefix]);
    assertEquals(latest.code, 1, describe(latest));
    assert(latest.stderr.includes("pass --version"), describe(latest));

    const absent = await install(root, ["--base-url", baseUrl, "--prefix", prefix, "--version", "0.3.0"]);
    assertEquals(absent.code, 1, describe(absent));
    assert(absent.stderr.includes(`futu-mcp-0.3.0-${HOST_TARGET}`), describe(absent));
    await assertNoTempLeft(root);
  });
});

Deno.test("install.sh reads FUTU_INSTALL_BASE_URL, FUTU_INSTALL_PREFIX and FUTU_INSTALL_VERSION", async () => {
  const files = assets(["0.1.0", "0.2.0"], [HOST_TARGET]);
  await withRelease(files, async ({ baseUrl, root }) => {
    const prefix = `${root}/bin`;
    const result = await install(root, [], {
      env: { FUTU_INSTALL_BASE_URL: baseUrl, FUTU_INSTALL_PREFIX: prefix, FUTU_INSTALL_VERSION: "0.2.0" },
    });
    assertEquals(result.code, 0, describe(result));
    await assertInstalled(prefix, {
      futuMcp: files.get(`futu-mcp-0.2.0-${HOST_TARGET}`)!,
      futucli: files.get(`futucli-0.2.0-${HOST_TARGET}`)!,
    });
  });
});

Deno.test("install.sh with FUTU_INSTALL_TARGET installs another target's binaries; --only installs one", async () => {
  const files = assets(["0.1.0"], [HOST_TARGET, OTHER_TARGET]);
  await withRelease(files, async ({ baseUrl, requests, root }) => {
    const prefix = `${root}/bin`;
    const env = { FUTU_INSTALL_TARGET: OTHER_TARGET };
    const result = await install(root, ["--base-url", baseUrl, "--prefix", prefix], { env });
    assertEquals(result.code, 0, describe(result));
    await assertInstalled(prefix, {
      futuMcp: files.get(`futu-mcp-0.1.0-${OTHER_TARGET}`)!,
      futucli: files.get(`futucli-0.1.0-${OTHER_TARGET}`)!,
    });
    assert(result.stdout.includes(OTHER_TARGET), describe(result));

    requests.length = 0;
    const only = await install(root, ["--base-url", baseUrl, "--prefix", prefix, "--only", "futucli"]);
    assertEquals(only.code, 0, describe(only));
    assertEquals(requests, ["/SHA256SUMS", `/futucli-0.1.0-${HOST_TARGET}`]);
    await assertInstalled(prefix, {
      futuMcp: files.get(`futu-mcp-0.1.0-${OTHER_TARGET}`)!,
      futucli: files.get(`futucli-0.1.0-${HOST_TARGET}`)!,
    });

    const unknown = await install(root, ["--base-url", baseUrl, "--prefix", prefix], {
      env: { FUTU_INSTALL_TARGET: "riscv64-unknown-linux-gnu" },
    });
    assertEquals(unknown.code, 2, describe(unknown));
    assert(unknown.stderr.includes("riscv64-unknown-linux-gnu"), describe(unknown));
  });
});

Deno.test("install.sh refuses a download whose checksum does not match and keeps the installed binaries", async () => {
  const files = assets(["0.1.0"], [HOST_TARGET]);
  const bad = `futucli-0.1.0-${HOST_TARGET}`;
  const corrupted = encoder.encode("tampered futucli\n");
  await withRelease(files, async ({ baseUrl, requests, root }) => {
    const prefix = `${root}/bin`;
    await Deno.mkdir(prefix);
    const previous = { futuMcp: encoder.encode("previous futu-mcp\n"), futucli: encoder.encode("previous futucli\n") };
    await Deno.writeFile(`${prefix}/futu-mcp`, previous.futuMcp, { mode: 0o755 });
    await Deno.writeFile(`${prefix}/futucli`, previous.futucli, { mode: 0o755 });
    await Deno.chmod(`${prefix}/futu-mcp`, 0o755);
    await Deno.chmod(`${prefix}/futucli`, 0o755);

    const result = await install(root, ["--base-url", baseUrl, "--prefix", prefix]);
    assertEquals(result.code, 1, describe(result));
    assert(result.stderr.includes(bad), `the message does not name ${bad}:\n${describe(result)}`);
    assert(result.stderr.includes("checksum"), describe(result));
    assert(result.stderr.includes(await sha256Hex(files.get(bad)!)), `no expected hash:\n${describe(result)}`);
    assert(result.stderr.includes(await sha256Hex(corrupted)), `no actual hash:\n${describe(result)}`);
    assert(!result.stdout.includes("installed"), describe(result));
    assert(requests.includes(`/${bad}`), "the script never downloaded the corrupted file");
    await assertInstalled(prefix, previous);
    await assertNoTempLeft(root);
  }, { corrupt: new Map([[bad, corrupted]]) });
});

Deno.test("install.sh fails clearly on a missing asset or a missing SHA256SUMS, installing nothing", async () => {
  const files = assets(["0.1.0"], [HOST_TARGET]);
  const missing = `futucli-0.1.0-${HOST_TARGET}`;
  await withRelease(files, async ({ baseUrl, root }) => {
    const prefix = `${root}/bin`;
    const result = await install(root, ["--base-url", baseUrl, "--prefix", prefix]);
    assertEquals(result.code, 1, describe(result));
    assert(result.stderr.includes(`could not download ${baseUrl}${missing}`), describe(result));
    assert(result.stderr.includes("404"), `curl's HTTP status is not shown:\n${describe(result)}`);
    assertEquals(await listDir(root), ["home", "release", "tmp"], "the prefix was created for a failed install");
    await assertNoTempLeft(root);

    const noSums = await install(root, ["--base-url", `${baseUrl}nowhere/`, "--prefix", prefix]);
    assertEquals(noSums.code, 1, describe(noSums));
    assert(noSums.stderr.includes(`could not download ${baseUrl}nowhere/SHA256SUMS`), describe(noSums));
  }, { missing: [missing] });
});

Deno.test("install.sh exits 2 on usage errors and 0 on --help", async () => {
  const root = await tempDir("install-usage");
  for (
    const args of [
      ["--bogus"],
      ["--only", "futu"],
      ["--version"],
      ["--version", "latest!"],
      ["--repo", "no-slash"],
      ["--base-url", "ftp://example.invalid/"],
    ]
  ) {
    const result = await install(root, args);
    assertEquals(result.code, 2, `${args.join(" ")}: ${describe(result)}`);
    assert(result.stderr.includes("install:"), describe(result));
  }
  const help = await install(root, ["--help"]);
  assertEquals(help.code, 0, describe(help));
  for (const option of ["--version", "--prefix", "--base-url", "--repo", "--only", "FUTU_INSTALL_TARGET"]) {
    assert(help.stdout.includes(option), `--help does not mention ${option}:\n${describe(help)}`);
  }
  await Deno.remove(root, { recursive: true });
});

Deno.test("install.sh without a repository (the placeholder) and without --base-url says what to do", async () => {
  const root = await tempDir("install-repo");
  const source = await Deno.readTextFile(SCRIPT);
  assert(source.includes(`REPO_DEFAULT="${PLACEHOLDER}"`), "the placeholder the release workflow replaces is gone");

  const result = await install(root, ["--prefix", `${root}/bin`]);
  assertEquals(result.code, 1, describe(result));
  assert(result.stderr.includes("install.sh attached to a release"), describe(result));
  assert(result.stderr.includes("--repo") && result.stderr.includes("--base-url"), describe(result));

  // The copy the release workflow attaches (placeholder replaced with sed) gets past that check: an
  // unknown target stops it right after, before any download.
  const released = `${root}/install.sh`;
  await Deno.writeTextFile(released, source.replaceAll(PLACEHOLDER, "example-owner/futu-mcp"));
  const replaced = await install(root, ["--prefix", `${root}/bin`], {
    script: released,
    env: { FUTU_INSTALL_TARGET: "not-a-target" },
  });
  assertEquals(replaced.code, 2, describe(replaced));
  assert(replaced.stderr.includes("not-a-target"), describe(replaced));
  assert(!replaced.stderr.includes("attached to a release"), describe(replaced));
  await Deno.remove(root, { recursive: true });
});

Deno.test("install.sh parses with sh -n (and dash -n)", async () => {
  for (const shell of HAVE_DASH ? ["sh", "dash"] : ["sh"]) {
    const out = await new Deno.Command(shell, { args: ["-n", SCRIPT], stdin: "null", stdout: "piped", stderr: "piped" })
      .output();
    assertEquals(out.code, 0, `${shell} -n: ${decoder.decode(out.stderr)}`);
  }
});

Deno.test({
  name: "install.sh installs under dash",
  ignore: !HAVE_DASH,
  fn: async () => {
    const files = assets(["0.1.0"], [HOST_TARGET]);
    await withRelease(files, async ({ baseUrl, root }) => {
      const prefix = `${root}/bin`;
      const result = await install(root, ["--base-url", baseUrl, "--prefix", prefix], { shell: "dash" });
      assertEquals(result.code, 0, describe(result));
      await assertInstalled(prefix, {
        futuMcp: files.get(`futu-mcp-0.1.0-${HOST_TARGET}`)!,
        futucli: files.get(`futucli-0.1.0-${HOST_TARGET}`)!,
      });
    });
  },
});

/** The commands install.sh needs besides a downloader and a hasher. */
const BASE_TOOLS = ["uname", "mktemp", "rm", "cp", "chmod", "mv", "mkdir", "awk", "sort", "tr", "sed", "cat", "grep"];

for (
  const [downloader, hasher, have] of [
    ["wget", "openssl", HAVE_WGET_OPENSSL],
    ["curl", "shasum", HAVE_CURL_SHASUM],
  ] as const
) {
  Deno.test({
    name: `install.sh works with only ${downloader} and ${hasher}`,
    ignore: !have,
    fn: async () => {
      const files = assets(["0.1.0"], [HOST_TARGET]);
      await withRelease(files, async ({ baseUrl, root }) => {
        const prefix = `${root}/bin`;
        const tools = `${root}/tools`;
        await Deno.mkdir(tools);
        // A PATH with only these tools (links made by sh, which can see the real ones).
        const link = await new Deno.Command("sh", {
          args: [
            "-c",
            'dir=$1; shift; for t in "$@"; do ln -s "$(command -v "$t")" "$dir/$t" || exit 1; done',
            "sh",
            tools,
            ...BASE_TOOLS,
            downloader,
            hasher,
          ],
          stdin: "null",
          stdout: "null",
          stderr: "piped",
        }).output();
        assertEquals(link.code, 0, decoder.decode(link.stderr));
        // sh is found on the normal PATH, then runs the script with PATH set to the tools alone.
        const result = await shell(root, [
          "-c",
          'PATH=$1; export PATH; shift; exec "$0" "$@"',
          await shellPath(),
          tools,
          SCRIPT,
          "--base-url",
          baseUrl,
          "--prefix",
          prefix,
        ]);
        assertEquals(result.code, 0, describe(result));
        await assertInstalled(prefix, {
          futuMcp: files.get(`futu-mcp-0.1.0-${HOST_TARGET}`)!,
          futucli: files.get(`futucli-0.1.0-${HOST_TARGET}`)!,
        });
      });
    },
  });
}

/** The absolute path of `sh`. */
async function shellPath(): Promise<string> {
  const out = await new Deno.Command("sh", {
    args: ["-c", "command -v sh"],
    stdin: "null",
    stdout: "piped",
    stderr: "null",
  }).output();
  return decoder.decode(out.stdout).trim();
}
