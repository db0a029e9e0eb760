// How the reference tests reach SymPy: find an interpreter that has it, then run one Python
// script per test file with the whole request on stdin and the whole reply on stdout (JSON),
// so Python starts once per file, not once per case.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * The first of `python3`, `/usr/bin/python3` that can import every module; fails the test otherwise.
 *
 * @example findPython(['sympy', 'mpmath']) // 'python3'
 */
export function findPython(modules: readonly string[] = ['sympy', 'mpmath']): string {
  for (const py of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(py, ['-c', `import ${modules.join(', ')}`], { encoding: 'utf8' });
    if (r.status === 0) return py;
  }
  assert.fail(`No Python with ${modules.join(', ')} found (tried python3, /usr/bin/python3). Install it: apt-get install python3-sympy`);
}

/**
 * Runs the Python script `script` (a URL, usually `new URL('./x.py', import.meta.url)`) with
 * `request` as JSON on stdin and returns its stdout parsed as JSON; fails the test if it exits non-zero.
 *
 * @example runPythonJson<Reply>(findPython(), new URL('./sympy_taylor.py', import.meta.url), { cases })
 */
export function runPythonJson<T>(python: string, script: URL, request: unknown): T {
  const path = fileURLToPath(script);
  const run = spawnSync(python, [path], { input: JSON.stringify(request), encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(run.status, 0, `${path} failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}
