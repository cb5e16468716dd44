#!/usr/bin/env node
// `npm test`: everything CI checks, in order, on a fresh machine. Installs PostgreSQL and
// Chromium from Debian packages when absent, then runs: type check, lint, production build,
// unit tests, integration tests on PGlite and on a real PostgreSQL, and browser tests.
// Ends with one line `N passed, N failed` summing every suite.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const tmp = join(root, 'tests', '.tmp');
rmSync(tmp, { recursive: true, force: true });
mkdirSync(tmp, { recursive: true });
process.env.NEXT_TELEMETRY_DISABLED = '1';

const results = [];

function sh(cmd, args, env = {}) {
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return { ok: r.status === 0, seconds: ((Date.now() - started) / 1000).toFixed(1) };
}

function hasPostgres() {
  const base = '/usr/lib/postgresql';
  return existsSync(base) && readdirSync(base).some((v) => existsSync(join(base, v, 'bin', 'initdb')));
}

function ensureSystemPackages() {
  const missing = [];
  if (!hasPostgres()) missing.push('postgresql');
  if (!existsSync('/usr/bin/chromium')) missing.push('chromium');
  if (missing.length === 0) return;
  console.log(`\n== Installing ${missing.join(', ')} from Debian packages`);
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  const update = sh(sudo[0] ?? 'apt-get', [...sudo.slice(1), ...(sudo.length ? ['apt-get'] : []), 'update', '-qq'], env);
  const install = sh(sudo[0] ?? 'apt-get', [...sudo.slice(1), ...(sudo.length ? ['apt-get'] : []), 'install', '-y', '-qq', '--no-install-recommends', ...missing], env);
  if (!update.ok || !install.ok) console.log(`Could not install ${missing.join(', ')}; the suites that need them will fail.`);
}

/** A step that passes or fails as a whole (type check, lint, build). */
function step(name, cmd, args, env) {
  console.log(`\n== ${name}`);
  const r = sh(cmd, args, env);
  results.push({ name, passed: r.ok ? 1 : 0, failed: r.ok ? 0 : 1, seconds: r.seconds });
  return r.ok;
}

/** A vitest project; its passed/failed counts come from the JSON report. */
function vitest(name, project, env = {}) {
  console.log(`\n== ${name}`);
  const report = join(tmp, `${name.replace(/\W+/g, '-')}.json`);
  const r = sh('npx', ['vitest', 'run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`], env);
  let passed = 0;
  let failed = r.ok ? 0 : 1;
  if (existsSync(report)) {
    const json = JSON.parse(readFileSync(report, 'utf8'));
    passed = json.numPassedTests;
    // A suite that failed to load counts as a failure even when no test in it ran.
    failed = json.numFailedTests + (json.testResults ?? []).filter((t) => t.status === 'failed' && t.assertionResults.length === 0).length;
    if (!r.ok && failed === 0) failed = 1;
  }
  results.push({ name, passed, failed, seconds: r.seconds });
}

ensureSystemPackages();
step('type check', 'npx', ['tsc', '--noEmit']);
step('lint', 'npx', ['eslint', '.', '--max-warnings=0']);
step('seed data', 'node', ['scripts/check-seed.mjs', '--counts']);
vitest('unit', 'unit');
if (step('build', 'npx', ['next', 'build'])) {
  vitest('integration (PGlite)', 'integration', { TEST_DB: 'pglite' });
  vitest('integration (PostgreSQL)', 'integration', { TEST_DB: 'postgres' });
  vitest('browser (Chromium)', 'e2e', { TEST_DB: 'pglite' });
} else {
  results.push({ name: 'integration and browser suites (not run: build failed)', passed: 0, failed: 1, seconds: '0' });
}

console.log('\n== Summary');
for (const r of results) console.log(`${r.name.padEnd(32)} ${String(r.passed).padStart(4)} passed ${String(r.failed).padStart(3)} failed  ${r.seconds}s`);
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
