#!/usr/bin/env node
// Runs build, typecheck, lint and test in every workspace through turbo (continuing past
// failures), then sums the jest results each workspace wrote to .jest-results.json and prints
// `N passed, N failed`: failed tests plus failed tasks that are not covered by a failed test
// (a type error, a lint error, a package that does not build, a suite that did not run).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const workspaces = ['packages', 'services'].flatMap((group) =>
  existsSync(join(root, group))
    ? readdirSync(join(root, group), { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && existsSync(join(root, group, entry.name, 'package.json')))
        .map((entry) => join(group, entry.name))
    : [],
);

/** Every jest result file a workspace wrote (`.jest-results.json`, `.jest-results-browser.json`, …). */
const resultFiles = (workspace) =>
  readdirSync(join(root, workspace))
    .filter((name) => /^\.jest-results.*\.json$/.test(name))
    .map((name) => join(root, workspace, name));

for (const workspace of workspaces) for (const file of resultFiles(workspace)) rmSync(file, { force: true });
rmSync(join(root, '.turbo', 'runs'), { recursive: true, force: true });

const tasks =
  process.argv.slice(2).length > 0
    ? process.argv.slice(2)
    : ['build', 'typecheck', 'lint', 'lint:root', 'test'];
const turbo = spawnSync(
  'pnpm',
  [
    'exec',
    'turbo',
    'run',
    ...tasks,
    '--continue',
    '--summarize',
    '--concurrency=2',
    '--output-logs=new-only',
  ],
  { cwd: root, stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '0' } },
);

let passed = 0;
let failed = 0;
const failures = [];
const testReported = new Set();
for (const workspace of workspaces)
  for (const file of resultFiles(workspace)) {
    const results = JSON.parse(readFileSync(file, 'utf8'));
    passed += results.numPassedTests;
    failed += results.numFailedTests;
    if (results.numFailedTests > 0) {
      testReported.add(workspace);
      failures.push(`${workspace}: ${results.numFailedTests} test(s) failed`);
    }
    const broken = results.numRuntimeErrorTestSuites ?? 0;
    if (broken > 0) {
      failed += broken;
      testReported.add(workspace);
      failures.push(`${workspace}: ${broken} test suite(s) failed to run`);
    }
  }

const runsDir = join(root, '.turbo', 'runs');
const summaryFile = existsSync(runsDir)
  ? readdirSync(runsDir).find((name) => name.endsWith('.json'))
  : undefined;
if (summaryFile) {
  const summary = JSON.parse(readFileSync(join(runsDir, summaryFile), 'utf8'));
  for (const task of summary.tasks ?? []) {
    const exitCode = task.execution?.exitCode;
    if (exitCode === 0 || exitCode === undefined || exitCode === null) continue;
    const workspace = task.directory;
    if (task.task === 'test' && testReported.has(workspace)) continue;
    failed += 1;
    failures.push(`${workspace}: ${task.task} failed (exit ${exitCode})`);
  }
} else if (turbo.status !== 0) {
  failed += 1;
  failures.push(`turbo exited with ${turbo.status} and wrote no run summary`);
}

if (turbo.status !== 0 && failures.length === 0) {
  failed += 1;
  failures.push(`turbo exited with ${turbo.status}`);
}

console.log('');
for (const failure of failures) console.log(`FAILED ${failure}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
