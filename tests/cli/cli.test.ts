/**
 * The command line as a user runs it: the package's `calc` bin, spawned in a folder of files, its
 * output and exit status read back. The expected values are worked out by hand in the comments (the
 * mathematics itself is checked against SymPy and scipy in tests/reference); what is tested here is
 * what the command promises: the JSON fields and 1-based positions, one line per file from
 * `calc check`, the exit statuses, the workspace boundary and the usage errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Codes } from '../../server/src/core/syntax/diagnostics';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(ROOT, 'bin', 'calc.js');

function calc(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A folder with the given files (paths relative to it). */
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'calc-cli-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** 1-based line and column of the first occurrence of `needle` in `text`, counted here independently of the CLI. */
function positionOf(text: string, needle: string): { line: number; column: number } {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `${needle} is in the text`);
  const before = text.slice(0, at).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

const OK = [
  '# a worksheet that passes',
  'f(x, y) = x^2*y + 3',
  'f(1, 2)',
  'v = [1, 2, 3]',
  'M = [[1, 2], [3, 4]]',
  'diff(x^2*y, x)',
  'expect f(1, 2) == 5',
  '',
].join('\n');

test('README: `npx calc run examples/tour.calc` from the repository root prints every result and exits 0', () => {
  const r = spawnSync('npx', ['--no', '--', 'calc', 'run', 'examples/tour.calc'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  const json = calc(['run', 'examples/tour.calc', '--json'], ROOT);
  assert.equal(json.status, 0, json.stderr);
  const report = JSON.parse(json.stdout) as { results: { line: number }[] };
  assert.ok(report.results.length >= 30, `the tour has a result on most lines (${report.results.length})`);
  // every line with a result appears in the human output, as "  LINE │ source"
  for (const { line } of report.results) assert.match(r.stdout, new RegExp(`^\\s*${line} │ `, 'm'), `line ${line} is printed`);
});

test('calc run --json: the documented fields, 1-based positions, and values of every shape', () => {
  const text = OK + 'g(t) = sin(t)\nwrong(1)\nsqrt(-1)\n';
  const dir = folder({ 'w.calc': text });
  const r = calc(['run', 'w.calc', '--json'], dir);
  assert.equal(r.status, 1, 'an error diagnostic (the unknown name) makes the exit status 1');
  const report = JSON.parse(r.stdout) as {
    file: string;
    diagnostics: { line: number; column: number; endLine: number; endColumn: number; severity: string; code: number; message: string }[];
    results: { line: number; kind: string; value?: unknown; passed?: boolean }[];
  };
  assert.equal(report.file, 'w.calc');
  const unknown = report.diagnostics.find((d) => d.code === Codes.UnknownName);
  assert.ok(unknown, JSON.stringify(report.diagnostics));
  const at = positionOf(text, 'wrong(1)');
  assert.deepEqual(
    { line: unknown.line, column: unknown.column, endLine: unknown.endLine, endColumn: unknown.endColumn, severity: unknown.severity },
    { line: at.line, column: at.column, endLine: at.line, endColumn: at.column + 'wrong'.length, severity: 'error' },
  );
  assert.ok(unknown.message.length > 0);
  // the domain problem is a warning on the expression, not an error
  const domain = report.diagnostics.find((d) => d.line === positionOf(text, 'sqrt(-1)').line);
  assert.equal(domain?.severity, 'warning');

  const byLine = new Map(report.results.map((x) => [x.line, x]));
  const result = (needle: string) => byLine.get(positionOf(text, needle).line);
  assert.deepEqual(result('f(1, 2)\n'), { line: positionOf(text, 'f(1, 2)\n').line, kind: 'value', value: 5 }); // 1²·2 + 3
  assert.deepEqual(result('v = ')?.value, [1, 2, 3]);
  assert.deepEqual(result('M = ')?.value, [[1, 2], [3, 4]]);
  // a symbolic value is a string in .calc syntax: ∂(x²y)/∂x = 2xy
  assert.equal(result('diff(')?.kind, 'value');
  assert.match(String(result('diff(')?.value), /^2\s*\*\s*x\s*\*\s*y$/);
  assert.deepEqual([result('expect')?.kind, result('expect')?.passed], ['expect', true]);
  // the function definition has no result of its own
  assert.equal(result('f(x, y) ='), undefined);
});

test('calc run prints each result under its source line, once, and says "1 iteration" in the singular', () => {
  const dir = folder({
    'r.calc': 'a = 2.5\nmaximize -(x^2 + y^2) + x from x = 0, y = 0 by newton\ntaylor cos(x) at x = 0 order 4\n',
  });
  const r = calc(['run', 'r.calc'], dir);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^\s*1 │ a = 2\.5\n\s*│\s+= 2\.5$/m);
  // Newton on a quadratic lands on (1/2, 0) in one step, where -(x² + y²) + x is 1/4
  assert.match(r.stdout, /maximum f = 0\.25 at \(0\.5, 0\) · 1 iteration · Newton/);
  // about the origin the Taylor polynomial is printed once: 1 - x²/2 + x⁴/24
  const taylor = r.stdout.slice(r.stdout.indexOf('taylor'));
  assert.match(taylor, /1 - x\^2\/2 \+ x\^4\/24/);
  assert.doesNotMatch(taylor, /\n\s*│\s+= /);

  // a failed expect is its error diagnostic, printed once; so is the warning of a run that diverged
  // (x ← x − 1.5·2(x − 3) = 9 − 2x moves away from 3 at every step)
  const failed = calc(['run', 'f.calc'], folder({ 'f.calc': 'expect 1 + 1 == 3\nminimize (x - 3)^2 from [0] by gradient descent with step = 1.5\n' }));
  assert.equal(failed.status, 1);
  assert.match(failed.stdout, new RegExp(`error\\[${Codes.ExpectFailed}\\] 1:\\d+: ✗`));
  assert.equal(failed.stdout.split('✗').length - 1, 1, failed.stdout);
  assert.match(failed.stdout, /warning\[\d+\] 2:1: Gradient descent diverged/);
  assert.equal(failed.stdout.split('diverged').length - 1, 1, failed.stdout);

  // x³ has a zero gradient at 0 but no minimum there (x³ < 0 for x < 0): a warning, not a minimum
  const cube = calc(['run', 'c.calc'], folder({ 'c.calc': 'minimize x^3 from x = 0\n' }));
  assert.match(cube.stdout, new RegExp(`warning\\[${Codes.NotConverged}\\] 1:1: The gradient is zero at \\(0\\), but this is not a minimum`));
  assert.match(cube.stdout, /not a minimum: f = 0 at \(0\)/);
});

test('calc check: one line per file, folders searched, node_modules skipped, exit 1 on an error or a failed expect', () => {
  const dir = folder({
    'subs/alice.calc': OK,
    'subs/bob.calc': 'expect 2 + 2 == 5\n',
    'subs/carol.calc': 'f(x = x^2\n1 + 1\n',
    'subs/late/dave.calc': OK,
    'subs/node_modules/pkg/x.calc': 'this is not checked (\n',
    'subs/notes.txt': 'not a worksheet',
  });
  const r = calc(['check', 'subs'], dir);
  assert.equal(r.status, 1, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.deepEqual(lines.map((l) => l.split(' ').slice(0, 2).join(' ')), [
    `PASS ${join('subs', 'alice.calc')}:`,
    `FAIL ${join('subs', 'bob.calc')}:`,
    `FAIL ${join('subs', 'carol.calc')}:`,
    `PASS ${join('subs', 'late', 'dave.calc')}:`,
    '2 of',
  ]);
  assert.match(lines[0]!, /0 errors, 1\/1 expect\/check passed$/);
  assert.match(lines[1]!, /0\/1 expect\/check passed$/);
  assert.match(lines[2]!, /[1-9]\d* errors?, /);
  // an expect that cannot be worked out is counted, not lost
  const carol = calc(['check', 'c.calc'], folder({ 'c.calc': 'f(x = x^2\nexpect f(2) == 4\nexpect 1 + 1 == 2\n' }));
  assert.match(carol.stdout, /^FAIL c\.calc: 1 error, 1\/2 expect\/check passed \(1 not worked out, for an error on its line or in a definition it uses\)$/m);
  assert.equal(lines[4], '2 of 4 files passed');

  const pass = calc(['check', join('subs', 'alice.calc'), join('subs', 'late')], dir);
  assert.equal(pass.status, 0, pass.stdout);
  assert.match(pass.stdout, /2 of 2 files passed/);
});

test('calc check over a folder of submissions: symbolic links are not followed, a missing path is a usage error, runs are not made', () => {
  const dir = folder({
    'subs/alice.calc': OK,
    'subs/slow.calc': 'f(x) = (x - 1)^2\nminimize f from x = 0 by gradient descent with step = 1e-9, maxiter = 100000000\nexpect f(1) == 0\n',
    'outside/secret.calc': 'expect 1 == 2\n',
  });
  // a link to a file outside, a link back to the folder itself (a loop), a dangling link, a link to a folder outside
  symlinkSync(join(dir, 'outside', 'secret.calc'), join(dir, 'subs', 'linked.calc'));
  symlinkSync('.', join(dir, 'subs', 'self'));
  symlinkSync('nowhere.calc', join(dir, 'subs', 'dangling.calc'));
  symlinkSync(join(dir, 'outside'), join(dir, 'subs', 'elsewhere'));
  const r = calc(['check', 'subs'], dir);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  assert.deepEqual(r.stdout.trim().split('\n'), [
    `PASS ${join('subs', 'alice.calc')}: 0 errors, 1/1 expect/check passed`,
    `PASS ${join('subs', 'slow.calc')}: 0 errors, 1/1 expect/check passed`, // its minimize would take minutes
    '2 of 2 files passed',
  ]);
  for (const link of ['linked.calc', 'self', 'dangling.calc', 'elsewhere']) assert.match(r.stderr, new RegExp(`skipped ${join('subs', link)}: a symbolic link, not followed`));
  const missing = calc(['check', 'subs', 'nosuch'], dir);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /no such file or folder: nosuch/);
});

test('calc check --key grades each submission by the key\'s expect and check lines, not by its own', () => {
  const dir = folder({
    'key.calc': '# the answer key: only its expect and check lines are applied\nf(x, y) = 0\nexpect diff(f(x, y), x) == 2*x*y\nexpect grad(f) == [2*x*y, x^2]\n',
    'subs/alice.calc': 'f(x, y) = x^2*y\n', // right, and with no expect lines of her own
    'subs/bob.calc': 'f(x, y) = x^2*y + x\nexpect 1 == 1\n', // wrong, with an expect that passes
    'subs/empty.calc': '', // nothing: every key line fails
    'subs/mallory.calc': 'f(x, y) = x*y\nexpect diff(f(x, y), x) == 0\n', // wrong, and an own expect that fails
    'subs/carol.calc': 'f(x, y = x^2*y\n', // a syntax error: the key lines cannot be worked out
    'subs/rigged.calc': 'x = 0\nf(x, y) = 0*y\n', // x a constant: the key's [2*x*y, x^2] would be [0, 0]
  });
  const r = calc(['check', '--key', 'key.calc', 'subs'], dir);
  assert.equal(r.status, 1, r.stderr);
  assert.deepEqual(r.stdout.trim().split('\n').map((l) => l.replace(/ \(.*\)$/, '')), [
    `PASS ${join('subs', 'alice.calc')}: 0 errors, 2/2 key expect/check passed`,
    `FAIL ${join('subs', 'bob.calc')}: 0 errors, 0/2 key expect/check passed`,
    `FAIL ${join('subs', 'carol.calc')}: 1 error, 0/2 key expect/check passed`,
    `FAIL ${join('subs', 'empty.calc')}: 0 errors, 0/2 key expect/check passed`,
    `FAIL ${join('subs', 'mallory.calc')}: 0 errors, 0/2 key expect/check passed`,
    `FAIL ${join('subs', 'rigged.calc')}: 0 errors, 0/2 key expect/check passed (1 not worked out, for an error on its line or in a definition it uses, or one the file does not define); the file defines x as a constant as well as a parameter, so key lines using it are not passed`,
    '1 of 6 files passed',
  ]);
  assert.match(r.stderr, /only the key's expect and check lines are applied; its 1 other line is not/);
  // a name bound by a key line's point is not captured by a constant of that name (x = 3 beside f(x) is common)
  const bound = folder({ 'key.calc': 'expect grad(f) at x = 2 == [4]\ncheck grad(f) at x = 2\n', 's.calc': 'f(x) = x^2\nx = 3\nf(x)\n' });
  assert.match(calc(['check', '--key', 'key.calc', 's.calc'], bound).stdout, /^PASS s\.calc: 0 errors, 2\/2 key expect\/check passed$/m);
  // the key itself, if it sits among the files, is not graded; a key with an error or without expect lines is a usage error
  assert.match(calc(['check', '--key', 'key.calc', 'key.calc', join('subs', 'alice.calc')], dir).stdout, /1 of 1 file passed/);
  const broken = folder({ 'key.calc': 'expect f(1 == 2\n', 'a.calc': 'f(x) = x\n', 'none.calc': 'f(x) = x\n' });
  assert.equal(calc(['check', '--key', 'key.calc', 'a.calc'], broken).status, 2);
  assert.match(calc(['check', '--key', 'key.calc', 'a.calc'], broken).stderr, /the key key\.calc has an error at line 1/);
  assert.match(calc(['check', '--key', 'none.calc', 'a.calc'], broken).stderr, /has no expect or check lines/);
  assert.equal(calc(['run', '--key', 'key.calc', 'a.calc'], broken).status, 2);
});

test('calc run: a byte-order mark is not a column, and a binary file is shown without its control characters', () => {
  const text = 'f(x) = x^2 + sn(x)\n';
  const dir = folder({ 'bom.calc': `\uFEFF${text}`, 'plain.calc': text, 'binary.calc': 'a = 1\u0000\u0001\u001b[31m red\n' });
  const at = (name: string) => (JSON.parse(calc(['run', name, '--json'], dir).stdout) as { diagnostics: { column: number }[] }).diagnostics[0]!.column;
  assert.equal(at('bom.calc'), positionOf(text, 'sn').column);
  assert.equal(at('bom.calc'), at('plain.calc'));
  const shown = calc(['run', 'binary.calc'], dir).stdout;
  assert.ok(![...shown.split('\n')[0]!].some((ch) => ch.charCodeAt(0) < 9 || ch.charCodeAt(0) === 0x1b), JSON.stringify(shown));
});

test('calc: a data file outside the workspace is refused, inside it is read', () => {
  const dir = folder({
    'secret.csv': 'x,y\n1,2\n',
    'ws/inside.csv': 'x,y\n0,1\n1,3\n2,5\n',
    'ws/a.calc': 'data d = csv("inside.csv")\nfit y = m*x + c to d\n',
    'ws/b.calc': 'data s = csv("../secret.csv")\n',
  });
  const inside = calc(['run', 'a.calc', '--json'], join(dir, 'ws'));
  assert.equal(inside.status, 0, inside.stdout);
  const fit = (JSON.parse(inside.stdout) as { results: { kind: string; parameters?: Record<string, { value: number }> }[] }).results.find((x) => x.kind === 'fit');
  // y = 2x + 1 exactly
  assert.ok(Math.abs(fit!.parameters!.m!.value - 2) < 1e-12 && Math.abs(fit!.parameters!.c!.value - 1) < 1e-12, JSON.stringify(fit));

  const outside = calc(['run', 'b.calc', '--json', '--workspace', '.'], join(dir, 'ws'));
  assert.equal(outside.status, 1);
  const codes = (JSON.parse(outside.stdout) as { diagnostics: { code: number }[] }).diagnostics.map((d) => d.code);
  assert.ok(codes.includes(Codes.DataPathOutsideWorkspace), JSON.stringify(codes));
  const checked = calc(['check', 'b.calc'], join(dir, 'ws'));
  assert.equal(checked.status, 1);
  assert.match(checked.stdout, /^FAIL b\.calc: 1 error,/m);
});

test('calc: usage errors exit 2 with a message, never a stack trace', () => {
  const dir = folder({ 'a.calc': OK, 'b.calc': OK });
  const cases: [string[], RegExp][] = [
    [[], /Usage:/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['run'], /calc run takes one file/],
    [['run', 'a.calc', 'b.calc'], /calc run takes one file/],
    [['run', 'missing.calc'], /cannot read missing\.calc/],
    [['run', 'a.calc', '--jsn'], /unknown option '--jsn'/],
    [['run', 'a.calc', '--workspace'], /--workspace needs a folder/],
    [['check'], /no \.calc files given/],
    [['check', '--json', 'a.calc'], /--json is for calc run/],
  ];
  for (const [args, message] of cases) {
    const r = calc(args, dir);
    assert.equal(r.status, 2, `calc ${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.match(r.stdout + r.stderr, message, `calc ${args.join(' ')}`);
    assert.doesNotMatch(r.stderr, /\n\s+at /, `calc ${args.join(' ')} printed a stack trace`);
  }
  for (const args of [['--help'], ['-h'], ['--version']]) assert.equal(calc(args, dir).status, 0, args.join(' '));
  // after --, every argument is a file
  assert.equal(calc(['run', '--', 'a.calc'], dir).status, 0);
});
