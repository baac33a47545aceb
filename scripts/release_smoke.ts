/**
 * The release smoke test: drives futu-mcp and futucli as a user would, as
 * processes, with nothing granted but what a release executable has baked in.
 *
 *   # the compiled executables (release.yml, on each OS)
 *   deno task smoke:release --futu-mcp dist/futu-mcp-0.1.0-<target> --futucli dist/futucli-0.1.0-<target> [--keychain]
 *   # the bundles they embed, run by `deno run --no-config` with exactly the baked flags (here, without denort)
 *   deno task smoke:release --bundles dist/bundles [--target <triple>] [--keychain]
 *
 * Checks, each printed as `ok <name>` (the first failure ends the run, exit 1):
 * `--version` of both; MCP initialize + tools/list + futu_get_quote + futu_chart over stdio
 * on `--gateway sim`; futucli `gen-key`, then futu-mcp over Streamable HTTP on
 * 127.0.0.1:38765 with that key (and 401 without it); futucli `sim` + `quote`;
 * `mcp-config` pointing at the installed futu-mcp; with `--keychain`, the OS
 * keychain round trip (`set-trade-pwd`, then futu_unlock_trade reads it, then
 * `clear-trade-pwd`). `--keychain` OVERWRITES and then deletes this user's
 * futu-mcp trade password entry: use it on CI machines only.
 *
 * The executables are copied into a fresh folder in the home directory, as
 * the install script lays them out (`futu-mcp`, `futucli`): files there are
 * inside the default grants, which the checkout may not be.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import { Client, StdioClientTransport, StreamableHTTPClientTransport } from "../src/mcp/sdk_client.ts";
import { denoRuntimeFlags, releaseGrants } from "./release_grants.ts";
import { binaryName, hostTarget, isTarget, osOf, type Target } from "./release_targets.ts";
import { VERSION } from "../src/version.ts";

/** How to start one program: a command and the arguments before the program's own. */
interface Launcher {
  command: string;
  prefix: string[];
}

const SIM_TRADE_PASSWORD = "123456"; // the simulator's documented default
const HTTP_LISTEN = "127.0.0.1:38765"; // futu-mcp's documented address, baked into every release build

function fail(message: string): never {
  throw new Error(message);
}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) fail(message);
}

async function run(
  launcher: Launcher,
  args: string[],
  options: { stdin?: string; env?: Record<string, string>; cwd?: string } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = new Deno.Command(launcher.command, {
    args: [...launcher.prefix, ...args],
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
    env: options.env,
    cwd: options.cwd,
  }).spawn();
  if (options.stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(options.stdin));
    await writer.close();
  }
  const out = await child.output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

function parseJson(text: string, what: string): Record<string, unknown> {
  try {
    return JSON.parse(text);
  } catch {
    fail(`${what}: not JSON: ${text.slice(0, 300)}`);
  }
}

async function mcpStdio(futuMcp: Launcher, args: string[], env: Record<string, string>): Promise<Client> {
  const transport = new StdioClientTransport({
    command: futuMcp.command,
    args: [...futuMcp.prefix, ...args],
    env,
    stderr: "inherit",
  });
  const client = new Client({ name: "futu-release-smoke", version: VERSION });
  await client.connect(transport);
  return client;
}

async function quoteOf(client: Client): Promise<{ symbol: string; price: number }> {
  const result = await client.callTool({ name: "futu_get_quote", arguments: { symbols: ["HK.00700"] } });
  check(!result.isError, `futu_get_quote failed: ${JSON.stringify(result.content)}`);
  const quotes = (result.structuredContent as { quotes?: { symbol: string; price: number }[] } | undefined)?.quotes;
  check(quotes?.[0]?.symbol === "HK.00700" && quotes[0].price > 0, `unexpected quote: ${JSON.stringify(result)}`);
  return quotes[0];
}

/**
 * Waits for text on a child's stream that matches `pattern`, then keeps reading (and dropping)
 * the rest, so that the child never blocks on a full pipe.
 */
async function waitForLine(stream: ReadableStream<Uint8Array>, pattern: RegExp, what: string): Promise<void> {
  let seen = "";
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) fail(`${what} ended before printing ${pattern}: ${seen}`);
    seen += value;
    if (pattern.test(seen)) break;
  }
  (async () => {
    while (!(await reader.read()).done) { /* drain */ }
  })().catch(() => {});
}

/** Starts a long-running program and resolves once it prints `ready` on stderr. */
async function startBackground(
  launcher: Launcher,
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
): Promise<Deno.ChildProcess> {
  const child = new Deno.Command(launcher.command, {
    args: [...launcher.prefix, ...args],
    env,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  try {
    await waitForLine(child.stderr, ready, args.join(" "));
  } catch (err) {
    await stop(child);
    throw err;
  }
  return child;
}

async function stop(child: Deno.ChildProcess): Promise<void> {
  try {
    child.kill(Deno.build.os === "windows" ? "SIGKILL" : "SIGTERM");
  } catch { /* already gone */ }
  await child.status;
}

/** Runs every check; returns the names of those that passed. */
export async function smoke(
  futuMcp: Launcher,
  futucli: Launcher,
  options: {
    target: Target;
    home: string;
    keychain: boolean;
    baseEnv: Record<string, string>;
    /** Where `futucli mcp-config` must find futu-mcp. */
    installedFutuMcp: string;
  },
): Promise<string[]> {
  const passed: string[] = [];
  const ok = (name: string) => {
    passed.push(name);
    console.log(`ok ${name}`);
  };
  const work = await Deno.makeTempDir({ dir: options.home, prefix: ".futu-release-smoke-" });
  const env = { ...options.baseEnv, XDG_CONFIG_HOME: join(work, "config"), APPDATA: join(work, "config") };
  try {
    for (const [name, launcher] of [["futu-mcp", futuMcp], ["futucli", futucli]] as const) {
      const version = await run(launcher, ["--version"], { env });
      const first = version.stdout.split("\n")[0];
      check(version.code === 0, `${name} --version exited ${version.code}: ${version.stderr}`);
      check(first === `${name} ${VERSION} (${options.target})`, `${name} --version printed ${JSON.stringify(first)}`);
      check(version.stdout.includes("baked permissions"), `${name} --version does not list its grants`);
      ok(`${name} --version: ${first}`);
    }

    // What a release build may not do is refused up front, naming the grant and how to build one that has it.
    const outside = { linux: "/etc/hostname", darwin: "/etc/hosts", windows: "C:\\Windows\\win.ini" }[
      osOf(options.target)
    ];
    const refusals: [Launcher, string[], RegExp][] = [
      [
        futuMcp,
        ["--gateway", "sim", "--http-listen", "127.0.0.1:38766"],
        /not permitted to listen on 127\.0\.0\.1:38766/,
      ],
      [futuMcp, ["--gateway", "sim", "--keys-file", outside], /read access to .* was refused/],
      [futucli, ["--gateway", "127.0.0.2:11111", "ping"], /not permitted to connect to 127\.0\.0\.2:11111/],
    ];
    for (const [launcher, args, pattern] of refusals) {
      const refused = await run(launcher, args, { env });
      check(refused.code !== 0, `${args.join(" ")} was not refused: ${refused.stdout}`);
      check(pattern.test(refused.stderr), `${args.join(" ")}: unexpected refusal: ${refused.stderr}`);
      check(/built without that grant/.test(refused.stderr), `${args.join(" ")}: no build hint: ${refused.stderr}`);
    }
    ok("ungranted listen address, file and gateway are refused with the missing grant named");

    const client = await mcpStdio(futuMcp, ["--gateway", "sim"], env);
    try {
      const tools = (await client.listTools()).tools.map((tool) => tool.name);
      check(tools.includes("futu_get_quote") && tools.length >= 16, `tools/list: ${tools.join(", ")}`);
      const quote = await quoteOf(client);
      ok(`stdio on --gateway sim: initialize, tools/list (${tools.length} tools), futu_get_quote ${quote.price}`);
      // The chart renderer (its own module: beside the bundle, embedded in the executable) renders the first chart.
      const chart = await client.callTool({ name: "futu_chart", arguments: { symbol: "HK.00700", ma: [5, 20] } });
      const image = (chart.content as { type: string; data?: string }[]).find((c) => c.type === "image");
      const png = image?.data ? atob(image.data) : "";
      check(
        !chart.isError && png.startsWith("\x89PNG"),
        `futu_chart gave no PNG: ${JSON.stringify(chart).slice(0, 300)}`,
      );
      ok(`futu_chart: a ${png.length}-byte PNG rendered inside the executable`);
    } finally {
      await client.close();
    }

    const keysFile = join(work, "config", "futu", "keys.json");
    const gen = await run(futucli, ["-o", "json", "gen-key", "--id", "smoke", "--scopes", "qot:read"], { env });
    check(gen.code === 0, `futucli gen-key exited ${gen.code}: ${gen.stderr}`);
    const generated = parseJson(gen.stdout, "gen-key");
    const plaintext = generated.plaintext;
    check(typeof plaintext === "string" && plaintext.length > 20, "gen-key printed no plaintext");
    check(generated.keys_file === keysFile, `gen-key stored the key in ${generated.keys_file}, not ${keysFile}`);
    ok(`futucli gen-key: stored in the default location ${keysFile}`);

    const pidFile = join(work, "futu-mcp.pid");
    const server = await startBackground(
      futuMcp,
      ["--gateway", "sim", "--http-listen", HTTP_LISTEN, "--keys-file", keysFile, "--pid-file", pidFile],
      env,
      /MCP over Streamable HTTP at/,
    );
    try {
      const url = new URL(`http://${HTTP_LISTEN}/mcp`);
      const refused = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
      });
      await refused.body?.cancel();
      check(refused.status === 401, `POST /mcp without a key answered ${refused.status}, not 401`);
      const http = new Client({ name: "futu-release-smoke", version: VERSION });
      await http.connect(
        new StreamableHTTPClientTransport(url, { requestInit: { headers: { authorization: `Bearer ${plaintext}` } } }),
      );
      try {
        const quote = await quoteOf(http);
        ok(`Streamable HTTP on ${HTTP_LISTEN} with the key: futu_get_quote ${quote.price}; 401 without it`);
      } finally {
        await http.close();
      }
      if (osOf(options.target) !== "windows") {
        // scripts/rotate-keys.sh (bash, jq, curl) with this futucli: rotate, SIGHUP, new key 200, old key 401.
        const envFile = join(work, "bot.env");
        await Deno.writeTextFile(envFile, `FUTU_MCP_API_KEY=${plaintext}\n`, { mode: 0o600 });
        const rotated = await run({ command: "bash", prefix: [] }, [
          new URL("./rotate-keys.sh", import.meta.url).pathname,
          "--id",
          "smoke",
          "--env-file",
          envFile,
          "--pid-file",
          pidFile,
          "--url",
          url.href,
          "--keys-file",
          keysFile,
        ], { env: { ...env, FUTUCLI: [futucli.command, ...futucli.prefix].join(" ") } });
        check(rotated.code === 0, `rotate-keys.sh exited ${rotated.code}: ${rotated.stdout}${rotated.stderr}`);
        const rotatedKey = /^FUTU_MCP_API_KEY=(.+)$/m.exec(await Deno.readTextFile(envFile))?.[1];
        check(rotatedKey && rotatedKey !== plaintext, "rotate-keys.sh did not write a new key to the env file");
        ok("scripts/rotate-keys.sh with this futucli: rotated, reloaded, new key accepted, old key refused");
      }
    } finally {
      await stop(server);
    }

    const sim = await startBackground(futucli, ["sim"], env, /OpenD simulator listening on/);
    try {
      const quote = await run(futucli, ["-o", "json", "quote", "HK.00700"], { env });
      check(quote.code === 0, `futucli quote exited ${quote.code}: ${quote.stderr}`);
      const quotes = parseJson(quote.stdout, "futucli quote").quotes as { symbol: string }[] | undefined;
      check(quotes?.[0]?.symbol === "HK.00700", `futucli quote printed ${quote.stdout}`);
      ok("futucli sim + futucli quote HK.00700");
      if (options.keychain) {
        const set = await run(futucli, ["set-trade-pwd", "--from-stdin"], { env, stdin: `${SIM_TRADE_PASSWORD}\n` });
        check(set.code === 0, `futucli set-trade-pwd exited ${set.code}: ${set.stderr}`);
        try {
          const legacy = ["--gateway", "127.0.0.1:11111", "--enable-trading", "--allow-real-trading"];
          const trader = await mcpStdio(futuMcp, legacy, env);
          try {
            const unlock = await trader.callTool({ name: "futu_unlock_trade", arguments: {} });
            const text = JSON.stringify(unlock);
            check(!unlock.isError, `futu_unlock_trade with the keychain's password failed: ${text}`);
            check(!text.includes(SIM_TRADE_PASSWORD), "the trade password appeared in a tool result");
          } finally {
            await trader.close();
          }
        } finally {
          const clear = await run(futucli, ["clear-trade-pwd"], { env });
          check(clear.code === 0, `futucli clear-trade-pwd exited ${clear.code}: ${clear.stderr}`);
        }
        ok("OS keychain: futucli set-trade-pwd, futu_unlock_trade read it, clear-trade-pwd");
      }
    } finally {
      await stop(sim);
    }

    const config = await run(futucli, ["-o", "json", "mcp-config"], { env });
    check(config.code === 0, `futucli mcp-config exited ${config.code}: ${config.stderr}`);
    const server_ = parseJson(config.stdout, "mcp-config").futu_mcp as { command?: string; args?: string[] } | null;
    const expected = options.installedFutuMcp;
    check(server_?.command === expected, `mcp-config launches ${server_?.command}, not ${expected}`);
    check(!server_?.args?.includes("run"), `mcp-config from a release build runs Deno: ${JSON.stringify(server_)}`);
    ok(`futucli mcp-config: ${expected}`);
    return passed;
  } finally {
    await Deno.remove(work, { recursive: true }).catch(() => {});
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: Deno.args,
    strict: true,
    options: {
      "futu-mcp": { type: "string" },
      futucli: { type: "string" },
      bundles: { type: "string" },
      target: { type: "string" },
      keychain: { type: "boolean" },
    },
  });
  const target = values.target ?? hostTarget();
  if (!target || !isTarget(target)) {
    console.error(`release_smoke: no release target for this machine (${Deno.build.target}): pass --target`);
    return 2;
  }
  const home = Deno.env.get(osOf(target) === "windows" ? "USERPROFILE" : "HOME");
  if (!home) {
    console.error("release_smoke: the home directory is unknown (HOME / USERPROFILE)");
    return 2;
  }
  const baseEnv: Record<string, string> = {};
  for (const name of ["PATH", "HOME", "USERPROFILE", "SystemRoot", "DBUS_SESSION_BUS_ADDRESS"]) {
    const value = Deno.env.get(name);
    if (value !== undefined) baseEnv[name] = value;
  }
  // The install layout: plain names in one folder, so futucli finds futu-mcp next to it.
  const bin = await Deno.makeTempDir({ dir: home, prefix: ".futu-release-bin-" });
  try {
    let futuMcp: Launcher;
    let futucli: Launcher;
    // Binaries only: the release files side by side under their own names, as in a download folder.
    let download: string | undefined;
    const exe = osOf(target) === "windows" ? ".exe" : "";
    if (values.bundles) {
      const bundle = (program: "futu-mcp" | "futucli"): Launcher => ({
        command: Deno.execPath(),
        prefix: [
          "run",
          "--no-config",
          ...denoRuntimeFlags(releaseGrants(program, target)),
          join(values.bundles!, `${program}-${VERSION}-${target}.js`),
        ],
      });
      futuMcp = bundle("futu-mcp");
      futucli = bundle("futucli");
      // A bundle's futucli runs as Deno, so it finds futu-mcp on PATH: put one there (never run by the checks).
      await Deno.writeTextFile(join(bin, `futu-mcp${exe}`), "");
      baseEnv.PATH = [bin, baseEnv.PATH].filter(Boolean).join(osOf(target) === "windows" ? ";" : ":");
    } else if (values["futu-mcp"] && values.futucli) {
      for (const [program, from] of [["futu-mcp", values["futu-mcp"]], ["futucli", values.futucli]]) {
        await Deno.copyFile(from, join(bin, `${program}${exe}`));
        if (exe === "") await Deno.chmod(join(bin, program), 0o755);
      }
      futuMcp = { command: join(bin, `futu-mcp${exe}`), prefix: [] };
      futucli = { command: join(bin, `futucli${exe}`), prefix: [] };
      download = join(bin, "download");
      await Deno.mkdir(download);
      for (const [program, from] of [["futu-mcp", values["futu-mcp"]], ["futucli", values.futucli]] as const) {
        const name = binaryName(program, VERSION, target);
        await Deno.copyFile(from, join(download, name));
        if (exe === "") await Deno.chmod(join(download, name), 0o755);
      }
    } else {
      console.error("release_smoke: pass --futu-mcp and --futucli (executables), or --bundles <dir>");
      return 2;
    }
    const passed = await smoke(futuMcp, futucli, {
      target,
      home,
      keychain: values.keychain ?? false,
      baseEnv,
      installedFutuMcp: join(bin, `futu-mcp${exe}`),
    });
    if (download) {
      const sibling = join(download, binaryName("futu-mcp", VERSION, target));
      const cli = { command: join(download, binaryName("futucli", VERSION, target)), prefix: [] };
      const config = await run(cli, ["-o", "json", "mcp-config"], { env: baseEnv });
      const found = (parseJson(config.stdout, "mcp-config").futu_mcp as { command?: string } | null)?.command;
      check(found === sibling, `futucli in a download folder: mcp-config launches ${found}, not ${sibling}`);
      passed.push("download folder");
      console.log(`ok futucli mcp-config in a download folder: ${sibling}`);
    }
    console.log(`${passed.length} passed, 0 failed`);
    return 0;
  } catch (err) {
    console.error(`FAILED: ${(err as Error).message}`);
    return 1;
  } finally {
    await Deno.remove(bin, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) Deno.exit(await main());
