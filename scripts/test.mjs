// Runs the test suites with node's test runner and prints one closing line, "N passed, N failed".
//   node scripts/test.mjs                 every suite
//   node scripts/test.mjs core service    only those suites (folder names under tests/)
// Suites that need a browser, SymPy, scipy, Neovim or code-server check for them first
// (scripts/setup-system.sh installs them) and fail, never skip, when they are missing.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Order matters: fast, foundational suites first.
const SUITES = ['core', 'service', 'grammar', 'protocol', 'cli', 'reference', 'browser', 'neovim', 'e2e'];
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const suites = wanted.length ? wanted : SUITES;
const unknown = suites.filter((s) => !SUITES.includes(s));
if (unknown.length) {
  console.error(`unknown suite${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')} (the suites: ${SUITES.join(', ')})`);
  process.exit(2);
}

function testFiles(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) { if (name !== 'fixtures') out.push(...testFiles(p)); }
    else if (name.endsWith('.test.ts') || name.endsWith('.test.mjs')) out.push(p);
  }
  return out.sort();
}

// The protocol, browser and end-to-end suites drive the bundles, so build first.
if (!process.env.CALC_SKIP_BUILD) {
  const b = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: 'inherit', cwd: root });
  if (b.status !== 0) process.exit(b.status ?? 1);
}

// A fresh machine: install the Debian packages and code-server that the browser, reference, Neovim and
// end-to-end suites need (both scripts are idempotent and quick when everything is present).
const needsSystem = suites.some((s) => ['reference', 'browser', 'neovim', 'e2e'].includes(s));
if (needsSystem && !process.env.CALC_SKIP_SETUP && process.getuid?.() === 0) {
  const steps = [['bash', [join(root, 'scripts/setup-system.sh')]]];
  if (suites.includes('e2e')) steps.push(['bash', [join(root, 'scripts/e2e-setup.sh')]]);
  for (const [cmd, args] of steps) {
    const s = spawnSync(cmd, args, { stdio: 'inherit', cwd: root });
    if (s.status !== 0) { console.log(`\n0 passed, 1 failed (setup: ${args[0]} exited with ${s.status})`); process.exit(1); }
  }
}

let passed = 0, failed = 0, skipped = 0;
const tmp = mkdtempSync(join(tmpdir(), 'calc-test-'));
for (const suite of suites) {
  const files = testFiles(join(root, 'tests', suite));
  if (files.length === 0) continue;
  console.log(`\n=== ${suite}: ${files.length} file(s)`);
  const tap = join(tmp, `${suite}.tap`);
  const r = spawnSync(process.execPath, [
    '--import', 'tsx', '--test', '--test-concurrency=1',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`,
    ...files.map((f) => relative(root, f)),
  ], { stdio: 'inherit', cwd: root, env: { ...process.env, CALC_TEST_SUITE: suite } });
  const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  const count = (k) => Number(/^# (\w+) (\d+)$/m.test(text) ? (text.match(new RegExp(`^# ${k} (\\d+)$`, 'm'))?.[1] ?? 0) : 0);
  const p = count('pass'), f = count('fail'), s = count('skipped');
  passed += p; failed += f; skipped += s;
  if (r.status !== 0 && f === 0) { failed += 1; console.log(`suite ${suite} exited with status ${r.status}`); }
}
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
