/**
 * The layering rule, checked: every relative import in `src/`, `cli/` and
 * `main.ts` must point down the layer table below, and no two folders may
 * depend on each other through any chain of imports (a cycle between
 * folders). tests/, bench/, proof/ and scripts/ may import anything. Part of
 * `deno task check`.
 *
 *   deno run --allow-read=. scripts/check_imports.ts
 *
 * @module
 */
import { dirname, join, normalize, relative } from "node:path";

/** What the two entry layers (futu-mcp's app, futucli) may use besides MCP: every layer below. */
const BELOW_MCP = [
  "src/access",
  "src/tools",
  "src/services",
  "src/state",
  "src/sim",
  "src/gateway",
  "src/version.ts",
] as const;

/** A layer is a folder; each may import only the layers listed (and itself). */
export const LAYERS: Readonly<Record<string, readonly string[]>> = {
  // src/version.ts imports nothing and every layer may use it: the version and a release build's record.
  "src/version.ts": [],
  "src/gateway": ["src/version.ts"],
  "src/sim": ["src/gateway", "src/version.ts"],
  // Shared state (local or Redis): below everything that keeps money state; the gateway's types only.
  "src/state": ["src/gateway", "src/version.ts"],
  "src/services": ["src/state", "src/gateway", "src/version.ts"],
  "src/tools": ["src/gateway", "src/services", "src/state", "src/version.ts"],
  "src/access": ["src/gateway", "src/services", "src/tools", "src/state", "src/version.ts"],
  "src/mcp": ["src/tools", "src/access", "src/services", "src/gateway", "src/version.ts"],
  "src/app": ["src/mcp", ...BELOW_MCP],
  "main.ts": ["src/app", "src/version.ts"],
  // futucli stands beside futu-mcp's app: it uses the app's wiring and everything below it except MCP.
  "cli": ["src/app", ...BELOW_MCP],
};

/** Layers whose imports of a given layer are restricted to type-only imports. */
const TYPE_ONLY: Readonly<Record<string, readonly string[]>> = {
  // The transports use the access layer's types (what a principal is), never its implementation.
  "src/mcp": ["src/access"],
  // The state implements interfaces the gateway declares (its write pacing), nothing more.
  "src/state": ["src/gateway"],
};

/** The layer a repository path belongs to, or undefined outside the checked tree. */
export function layerOf(path: string): string | undefined {
  if (path === "main.ts" || path === "src/version.ts") return path;
  const parts = path.split("/");
  if (parts[0] === "cli") return "cli";
  if (parts[0] === "src" && parts.length > 2) return `src/${parts[1]}`;
  return undefined;
}

/** One import that breaks the rule. */
export interface Violation {
  file: string;
  line: number;
  target: string;
  why: string;
}

const IMPORT =
  /^\s*(import|export)\s+(type\s+)?[^;]*?from\s+["'](\.{1,2}\/[^"']+)["']|^\s*import\s+["'](\.{1,2}\/[^"']+)["']|import\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/gm;

/** The relative imports of a source text: where (resolved against `file`), on which line, and whether type-only. */
export function importsOf(file: string, text: string): { target: string; line: number; typeOnly: boolean }[] {
  const found: { target: string; line: number; typeOnly: boolean }[] = [];
  for (const match of text.matchAll(IMPORT)) {
    const spec = match[3] ?? match[4] ?? match[5];
    const typeOnly = match[2] !== undefined;
    const line = text.slice(0, match.index).split("\n").length;
    found.push({ target: normalize(join(dirname(file), spec)), line, typeOnly });
  }
  return found;
}

/** Checks a set of files (repository-relative path → text); returns every violation, cycles included. */
export function checkImports(files: ReadonlyMap<string, string>): Violation[] {
  const violations: Violation[] = [];
  const edges = new Map<string, Map<string, { file: string; line: number }>>();
  for (const [file, text] of files) {
    const from = layerOf(file);
    if (!from) continue;
    for (const { target, line, typeOnly } of importsOf(file, text)) {
      const to = layerOf(target);
      if (!to) {
        violations.push({ file, line, target, why: `imports ${target}, outside the layered tree` });
        continue;
      }
      if (to === from) continue;
      if (!LAYERS[from].includes(to)) {
        violations.push({
          file,
          line,
          target,
          why: `${from} may not import ${to} (allowed: ${LAYERS[from].join(", ")})`,
        });
        continue;
      }
      if (TYPE_ONLY[from]?.includes(to) && !typeOnly) {
        violations.push({ file, line, target, why: `${from} may import only types from ${to} (use import type)` });
      }
      if (!edges.has(from)) edges.set(from, new Map());
      if (!edges.get(from)!.has(to)) edges.get(from)!.set(to, { file, line });
    }
  }
  // The table already orders the layers; this catches a table edited into a cycle.
  for (const cycle of cyclesOf(edges)) {
    const first = edges.get(cycle[0])!.get(cycle[1])!;
    violations.push({ ...first, target: cycle[1], why: `a cycle between folders: ${cycle.join(" → ")}` });
  }
  return violations;
}

function cyclesOf(edges: Map<string, Map<string, unknown>>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, "visiting");
    stack.push(node);
    for (const next of edges.get(node)?.keys() ?? []) {
      if (state.get(next) === "visiting") cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, "done");
  };
  for (const node of edges.keys()) if (!state.has(node)) visit(node);
  return cycles;
}

async function collect(root: string, dir: string, into: Map<string, string>): Promise<void> {
  for await (const entry of Deno.readDir(join(root, dir))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) await collect(root, path, into);
    else if (entry.name.endsWith(".ts")) into.set(path, await Deno.readTextFile(join(root, path)));
  }
}

if (import.meta.main) {
  const root = Deno.cwd();
  const files = new Map<string, string>();
  await collect(root, "src", files);
  await collect(root, "cli", files);
  files.set("main.ts", await Deno.readTextFile(join(root, "main.ts")));
  const violations = checkImports(files);
  for (const v of violations) console.error(`${relative(root, join(root, v.file))}:${v.line}: ${v.why}`);
  if (violations.length > 0) {
    console.error(`check_imports: ${violations.length} forbidden imports`);
    Deno.exit(1);
  }
  console.log(`check_imports: ${files.size} files, every import points down the layers`);
}
