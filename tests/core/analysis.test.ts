import assert from 'node:assert/strict';
import { test } from 'node:test';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, type Analysis, type StatementOutcome } from '../../server/src/core/analysis';
import type { FileHost } from '../../server/src/core/semantics/data';
import { type CheckResult, type StatementResult, type TaylorResult, valueOrText } from '../../server/src/core/results';
import { ridders } from '../../server/src/core/analyses/check';
import { jsonResult } from '../../server/src/core/report';
import { Codes } from '../../server/src/core/syntax/diagnostics';
import { seeded, toCalc } from '../../server/src/core/calculus/index';
import { Lowering } from '../../server/src/core/semantics/lower';
import { runStatement } from '../../server/src/core/run';
import { isRunnable } from '../../server/src/core/syntax/ast';

const codes = (a: Analysis): number[] => a.diagnostics.map((d) => d.code);
const only = (text: string, host?: FileHost): number[] => codes(analyze(text, host ? { host } : {}));
/** The result of the statement on line `line` (1-based). */
function resultOn(a: Analysis, line: number): unknown {
  for (const [s, r] of a.results) if (a.text.slice(0, s.start).split('\n').length === line) return r;
  return undefined;
}
const value = (text: string, line = text.split('\n').length): unknown => {
  const r = resultOn(analyze(text), line) as StatementResult | undefined;
  return r?.kind === 'value' ? valueOrText(r) : undefined;
};
const close = (a: number, b: number, rel = 1e-12): void => assert.ok(Math.abs(a - b) <= rel * Math.max(1, Math.abs(b)), `${a} ≈ ${b}`);

test('expression lines evaluate with constants, functions and compositions', () => {
  const text = 'a = 2.5\nf(x, y) = x^2*y + a*sin(x*y)\ng(t) = f(cos(t), sin(t))\nf(1, 2)\ng(0.3)';
  close(value(text, 4) as number, 1 * 2 + 2.5 * Math.sin(2));
  const t = 0.3;
  close(value(text, 5) as number, Math.cos(t) ** 2 * Math.sin(t) + 2.5 * Math.sin(Math.cos(t) * Math.sin(t)));
});

test('vector and matrix arithmetic follows linear algebra', () => {
  assert.deepEqual(value('M = [[1, 2], [3, 4]]\nM*[1, 1]'), [3, 7]);
  assert.deepEqual(value('M = [[1, 2], [3, 4]]\nM*M'), [[7, 10], [15, 22]]);
  assert.deepEqual(value('v = [1, 2, 3]\n2*v - v'), [1, 2, 3]);
  assert.deepEqual(value('sigmoid([0, 0])'), [0.5, 0.5]);
});

test('an expression with free variables gives its simplified symbolic form', () => {
  assert.equal(value('diff(x^2*y, x)'), '2*x*y');
  assert.equal(value('diff(x^2*y, x) at x = 3, y = 1'), 6);
  assert.deepEqual(value('u(x, y) = [x^2 - y^2, 2*x*y]\njacobian(u) at [1, 2]'), [[2, -4], [4, 2]]);
});

test('symbolic results and Taylor polynomials are kept as expressions, and printed only where they are shown', () => {
  const a = analyze('diff(x^2*y, x)\ntaylor cos(x) at x = 0 order 4');
  const [d, t] = [resultOn(a, 1), resultOn(a, 2)] as [StatementResult, StatementResult];
  // no text in the results themselves: a worksheet's analysis prints nothing no one looks at
  for (const r of [d, t]) assert.ok(Object.values(r).every((v) => typeof v !== 'string' || v === r.kind), JSON.stringify(Object.keys(r)));
  assert.equal(d.kind === 'value' && toCalc(d.expr!), '2*x*y');
  // calc run --json prints them as before
  assert.deepEqual(jsonResult(d), { kind: 'value', value: '2*x*y' });
  assert.deepEqual(jsonResult(t), { kind: 'taylor', polynomial: 'x^4/24 - x^2/2 + 1', shifted: '1 - x^2/2 + x^4/24', order: 4, at: { x: 0 } });
});

test('grad and jacobian at a point: the simplified derivative\'s value where the unsimplified one is undefined, and bodies stay simplified', () => {
  // d/dx of x^2*y/x as the rules give it is 0/0 at x = 0; simplified it is y, so 1, with no warning
  let a = analyze('f(x, y) = x^2*y/x\ngrad(f) at [0, 1]');
  assert.deepEqual(resultOn(a, 2), { kind: 'value', value: [1, 0], variables: ['x', 'y'] });
  assert.deepEqual(codes(a), []);
  // undefined in both forms: the warning is the simplified derivative's, on the line
  a = analyze('h(x, y) = sqrt(x)*y\ngrad(h) at [0, 1]');
  assert.deepEqual(codes(a), [Codes.DomainWarning]);
  assert.equal(a.diagnostics[0]!.message, 'Division by zero.');
  a = analyze('jacobian(g) at [1, 2]\ng(x, y) = diff(x^2*y/x, x)');
  assert.deepEqual(resultOn(a, 1), { kind: 'value', value: [[0, 1]], variables: ['x', 'y'] });
  // a body first met while lowering for a value is lowered (and kept) as usual: simplified
  a = analyze('jacobian(g)\ng(x, y) = diff(x^2*y/x, x)', { evaluate: false });
  const lowering = new Lowering(a.symbols);
  const statement = a.program.statements[0]!;
  assert.equal(statement.kind, 'expression');
  lowering.lowerForValue((statement as Extract<typeof statement, { kind: 'expression' }>).expr);
  assert.equal(toCalc(lowering.functionBody('g')!.body), 'y');
});

test('the symbol table lists every reference once, in document order, on the tour of every language form', () => {
  const text = readFileSync(join(__dirname, '../../examples/tour.calc'), 'utf8');
  const { symbols, program } = analyze(text, { evaluate: false });
  const refs = symbols.references;
  assert.ok(refs.length > 100);
  for (let i = 1; i < refs.length; i++) assert.ok(refs[i - 1]!.span.start < refs[i]!.span.start, `reference ${i} (${refs[i]!.name}) comes before the one listed ahead of it`);
  // a fit names its response before its data set, and is listed so
  const fit = program.statements.find((s) => s.kind === 'fit' && s.data)!;
  const inFit = refs.filter((r) => r.span.start >= fit.start && r.span.end <= fit.end).map((r) => r.name);
  assert.equal(inFit[0], 'y');
});

test('unknown names are errors with a did-you-mean suggestion', () => {
  const a = analyze('f(x) = sn(x)');
  assert.deepEqual(codes(a), [Codes.UnknownName]);
  assert.match(a.diagnostics[0]!.message, /sin/);
  assert.deepEqual(only('f(x) = x + y'), [Codes.UnknownName]);
  assert.deepEqual(only('c = y + 1'), [Codes.FreeVariableInConstant]);
});

test('definition problems have their own codes', () => {
  assert.deepEqual(only('f(x) = x\nf(x) = 2*x'), [Codes.DuplicateDefinition]);
  assert.deepEqual(only('f(x) = g(x)\ng(x) = f(x)'), [Codes.RecursiveDefinition]);
  assert.deepEqual(only('f(x, y) = x*y\nf(1)'), [Codes.WrongArgumentCount]);
  assert.deepEqual(only('sin(x) = x'), [Codes.ShadowsBuiltin]);
  assert.deepEqual(only('f(e) = e^2'), [Codes.ShadowsBuiltin]);
  const unused = analyze('f(x, y) = x^2');
  assert.deepEqual(codes(unused), [Codes.UnusedParameter]);
  assert.equal(unused.diagnostics[0]!.severity, 'hint');
  assert.deepEqual(unused.diagnostics[0]!.tags, ['unnecessary']);
  // a body still being typed has its syntax error only, not a hint for every parameter it does not use yet
  assert.deepEqual(codes(analyze('f(x, y) = ')), [Codes.ExpectedExpression]);
  assert.deepEqual(codes(analyze('f(x, y) = x +')), [Codes.ExpectedExpression]);
  assert.deepEqual(only("f(x, y) = x*y\nf'(1)"), [Codes.PrimeNeedsOneVariable]);
});

test('a duplicate definition points at the first one', () => {
  const a = analyze('a = 1\na = 2');
  assert.equal(a.diagnostics[0]!.related?.offset, 0);
});

test('shape mismatches are reported on the operation', () => {
  const text = 'v = [1, 2]\nM = [[1, 2], [3, 4]]\nv + M';
  const a = analyze(text);
  assert.deepEqual(codes(a), [Codes.ShapeMismatch]);
  assert.equal(a.text.slice(a.diagnostics[0]!.offset, a.diagnostics[0]!.offset + a.diagnostics[0]!.length), 'v + M');
  assert.deepEqual(only('M = [[1, 2], [3]]'), [Codes.ShapeMismatch]);
});

test('log of a negative number is a warning on the call', () => {
  const text = 'x0 = log(-1) + 1';
  const a = analyze(text);
  assert.deepEqual(codes(a), [Codes.DomainWarning]);
  assert.equal(a.diagnostics[0]!.severity, 'warning');
  assert.equal(text.slice(a.diagnostics[0]!.offset, a.diagnostics[0]!.offset + a.diagnostics[0]!.length), 'log(-1)');
  const b = analyze('f(x) = sqrt(x)\nf(-4)');
  assert.deepEqual(codes(b), [Codes.DomainWarning]);
  assert.equal(b.text.slice(b.diagnostics[0]!.offset, b.diagnostics[0]!.offset + b.diagnostics[0]!.length), 'f(-4)');
});

test('a point of the wrong length is reported', () => {
  assert.deepEqual(only('f(x, y) = x*y\ngrad(f) at [1, 2, 3]'), [Codes.PointLength]);
  assert.deepEqual(only('f(x, y) = x*y\ntaylor f at x = 1 order 2'), [Codes.PointLength]);
});

test('data problems are reported on the cell, row or path', () => {
  assert.deepEqual(only('data p {\n x y\n 1 2\n 3\n}'), [Codes.DataRagged]);
  assert.deepEqual(only('data p {\n x y\n 1 abc\n}'), [Codes.DataNonNumeric]);
  const files: Record<string, string> = { 'ok.csv': 'x,y\n1,2\n3,4\n' };
  const host: FileHost = { readFile: (p) => (p in files ? { ok: true, text: files[p]! } : { ok: false, reason: 'missing' }) };
  assert.deepEqual(only('data d = csv("ok.csv")', host), []);
  assert.deepEqual(only('data d = csv("nope.csv")', host), [Codes.DataFileMissing]);
  assert.deepEqual(only('data d = csv("../secret.csv")', host), [Codes.DataPathOutsideWorkspace]);
  assert.deepEqual(only('data d = csv("/etc/passwd")', host), [Codes.DataPathOutsideWorkspace]);
  assert.deepEqual(only('data p {\n x y\n 1 2\n}\nfit z = m*x to p'), [Codes.DataUnknownColumn]);
});

test('an error in one definition does not cascade into the lines that use it', () => {
  const a = analyze('f(x) = x +\nf(2)\ng(x) = 2*x\ng(3)');
  assert.deepEqual(codes(a), [Codes.ExpectedExpression]);
  assert.equal(resultOn(a, 4) && (resultOn(a, 4) as { value: number }).value, 6);
});

test('expect passes on equal expressions and names a counterexample otherwise', () => {
  const ok = analyze('f(x, y) = x^2*y\nexpect diff(f(x, y), x) == 2*x*y');
  assert.deepEqual(codes(ok), []);
  assert.equal((resultOn(ok, 2) as { passed: boolean }).passed, true);
  const bad = analyze('f(x, y) = x^2*y\nexpect diff(f(x, y), x) == 2*x');
  assert.deepEqual(codes(bad), [Codes.ExpectFailed]);
  const r = resultOn(bad, 2) as { counterexample: { point: Record<string, number>; left: number; right: number } };
  const { x, y } = r.counterexample.point as { x: number; y: number };
  close(r.counterexample.left, 2 * x * y);
  close(r.counterexample.right, 2 * x);
  const d = bad.diagnostics[0]!;
  assert.equal(bad.text.slice(d.offset, d.offset + d.length), '2*x', 'the error is on the right-hand side');
});

test('a failed expect on a vector or matrix names the component, and which derivative it is, with the point in parameter order', () => {
  const message = (text: string) => analyze(text).diagnostics.map((d) => d.message).join('\n');
  // ∂L/∂b is wrong (the answer's second component has the sign of σ flipped)
  const grad = message('L(w, b) = -log(sigmoid(2*w + b))\nexpect grad(L) == [-2*sigmoid(-(2*w + b)), -sigmoid(2*w + b)]');
  assert.match(grad, /✗ not equal: at w = [^,]+, b = [^ ]+ component 2 \(∂\/∂b\) of the left side/);
  const hess = message('M(w, b) = w^2*b\nexpect hessian(M) == [[2*b, 2*w], [2*w, 1]]');
  assert.match(hess, /at w = [^,]+, b = [^ ]+ entry \(2, 2\) \(∂²\/∂b²\) of the left side is 0 but the right side is 1/);
  // two components wrong at once: both are named
  assert.match(message('expect [x, y, x*y] == [x, 2*y, x*y + 1]'), /component 2 of the left side .*\(2 components differ there: component 2, component 3\)/);
  // shapes, and sides never both defined, say so
  assert.match(message('M(w, b) = w^2*b\nexpect grad(M) == [1, 2, 3]'), /different shapes: a 2-vector and a 3-vector/);
  assert.match(message('expect sqrt(-1 - x^2) + x == x'), /no test point was found where both sides are defined/);
  // a correct answer whose domain lies beyond the first boxes (x > 4) passes
  assert.deepEqual(message('expect diff(sqrt(x - 4), x) == sqrt(x - 4)/(2*x - 8)'), '');
});

test('check grad compares with finite differences and fails at a kink', () => {
  const ok = analyze('f(x, y) = x^2*y + sin(x*y)\ncheck grad f at [1, 2]');
  assert.deepEqual(codes(ok), []);
  const kink = analyze('f(x, y) = abs(x) + y\ncheck grad f at [0, 1]');
  assert.deepEqual(codes(kink), [Codes.CheckFailed]);
  assert.match(kink.diagnostics[0]!.message, /not differentiable/);
});

test('check passes smooth functions wherever they are strongly curved or steep, and tells a kink or a jump from curvature', () => {
  // where developers check: at minima of strongly curved functions, near 0, close to a domain's edge
  // (the one-sided differences part by h·f'' there, which a fixed threshold took for a kink)
  for (const text of [
    'rosen(x, y) = (1 - x)^2 + 100*(y - x^2)^2\ncheck grad rosen at [1, 1]',
    'q(x, y) = 100*x^2 + y^2\ncheck grad q at [0, 0]',
    'r(w) = 1000*w^2\ncheck grad r at 0',
    'M(w, b) = (100*w + b - 3)^2 + (200*w + b - 5)^2\ncheck grad M at [0.02, 1]',
    'f(x, y) = x^3*sin(31*y)\ncheck hessian f at [0.3, 0.4]',
    'check grad(sin(30*x)) at 1', 'check grad(log(x)) at 0.001', 'check grad(1/x) at 0.01', 'check grad(sqrt(x)) at 1e-4',
    // a pole just past the usual step, and a corner 1e-7 away from the point, which is smooth where it is
    'check grad(1/x) at 0.000001', 'check grad(1/(x - 1)) at 1.000001', 'check grad(abs(x - 1e-7)) at 0',
    'check grad(tan(x)) at 1.570796', 'check grad(tan(x)) at 1.57079',
  ]) {
    const a = analyze(text);
    assert.deepEqual(a.diagnostics.map((d) => d.message), [], text);
    const r = [...a.results.values()].find((x) => x.kind === 'check') as CheckResult;
    assert.ok(r.passed && r.maxRelError < 1e-6, `${text}: ${r.maxRelError}`);
  }
  // a kink and a jump at the point are not differentiable
  // (also where f is large beside the jump in slope, and rounding at the usual step would hide it)
  for (const text of ['check grad(abs(x)) at 0', 'check grad(sign(x)) at 0', 'check grad(abs(x)*abs(y)) at [0, 1]', 'check grad(1e6 + abs(x)) at 0', 'check grad(1e4 + 0.01*abs(x)) at 0']) {
    const a = analyze(text);
    assert.deepEqual(a.diagnostics.map((d) => [d.code, d.severity]), [[Codes.CheckFailed, 'error']], text);
    assert.match(a.diagnostics[0]!.message, /not differentiable/, text);
  }
  // where f is so large that rounding hides the slope, finite differences decide nothing: a warning, not a failure
  const huge = analyze('g(x, y) = 1e8*x^2 + y\ncheck grad g at [10000, 1]');
  assert.deepEqual(huge.diagnostics.map((d) => [d.code, d.severity]), [[Codes.CheckFailed, 'warning']]);
  assert.match(huge.diagnostics[0]!.message, /cannot check .* in y/);
});

test("Ridders' extrapolation finds a derivative to near rounding, with an honest error estimate", () => {
  for (const [f, df, x] of [[Math.sin, Math.cos, 1], [Math.exp, Math.exp, -3], [(t: number) => t ** 7, (t: number) => 7 * t ** 6, 0.9]] as const) {
    const { value, error } = ridders((h) => f(x + h), 1);
    assert.ok(Math.abs(value - df(x)) <= 1e-11 * Math.max(1, Math.abs(df(x))), `${value} against ${df(x)}`);
    assert.ok(error < 1e-9 && Math.abs(value - df(x)) <= 10 * error + 1e-15, `error estimate ${error}`);
  }
});

test('taylor of a polynomial of degree n at order n reproduces it', () => {
  const a = analyze('taylor x^3 - 2*x + 1 at x = 2 order 3');
  const r = resultOn(a, 1) as TaylorResult;
  assert.equal(analyze(`expect ${toCalc(r.expanded)} == x^3 - 2*x + 1`).diagnostics.length, 0);
});

test('taylor about a point where a derivative is infinite or the function undefined says which order fails', () => {
  // d/dx sqrt(x) = 1/(2 sqrt(x)) is infinite at 0; log is undefined there
  const a = analyze('taylor sqrt(x) at x = 0 order 2');
  assert.deepEqual(codes(a), [Codes.EvaluationError]);
  assert.match(a.diagnostics[0]!.message, /order 1 .* at x = 0/);
  assert.equal(a.text.slice(a.diagnostics[0]!.offset, a.diagnostics[0]!.offset + a.diagnostics[0]!.length), 'x = 0');
  assert.deepEqual(codes(analyze('taylor sqrt(x) at x = 0 order 0')), []);
  assert.match(analyze('taylor log(x) at x = 0 order 1').diagnostics[0]!.message, /not defined at x = 0/);
  // |x| has a corner and sign(x) a jump at 0: no linearisation (sign(0) = 0 made it 0)
  for (const text of ['taylor abs(x) at x = 0 order 1', 'taylor sign(x) at x = 0 order 1', 'taylor abs(x - y) at [1, 1] order 1']) {
    const t = analyze(text);
    assert.deepEqual(codes(t), [Codes.EvaluationError], text);
    assert.match(t.diagnostics[0]!.message, /no derivative of order 1/, text);
  }
  // away from the corner, and where the corner is smoothed by a power, there is one; |x²| and |x|² are x²
  assert.deepEqual(codes(analyze('taylor abs(x) at x = 1 order 2')), []);
  // in several variables an even leading term does not fix u's sign: |x² + y³| is |y|³ along x = 0
  assert.deepEqual(codes(analyze('taylor abs(x^2 + y^3) at [0, 0] order 3')), [Codes.EvaluationError]);
  for (const text of ['taylor abs(x^2) at x = 0 order 2', 'taylor abs(x)^2 at x = 0 order 2', 'taylor abs(-x^2) at x = 0 order 3']) {
    const t = analyze(text);
    assert.deepEqual(codes(t), [], text);
    assert.equal(toCalc((resultOn(t, 1) as TaylorResult).expanded), 'x^2', text);
  }
  const cube = analyze('taylor abs(x)^3 at x = 0 order 2');
  assert.deepEqual(codes(cube), []);
  assert.equal(toCalc((resultOn(cube, 1) as TaylorResult).expanded), '0');
});

test('analysis never throws and keeps every diagnostic inside the document', () => {
  for (const text of ['(((', ')', 'f(', 'data', 'fit', 'minimize', 'x = = 2', '\u0000\u0001', '[[1,2],[3', 'taylor at order']) {
    const a = analyze(text);
    for (const d of a.diagnostics) assert.ok(d.offset >= 0 && d.offset + d.length <= text.length, `${JSON.stringify(text)}: ${d.message}`);
  }
});

test('an unknown method or option is reported as it is typed, with a suggestion', () => {
  const a = analyze('minimize x^2 + y^2 from [1, 1] by bgfs');
  assert.deepEqual(codes(a), [Codes.UnknownMethod]);
  assert.match(a.diagnostics[0]!.message, /bfgs/);
  assert.deepEqual(only('root x^2 - 2 near x = 1 with stpe = 0.1'), [Codes.UnknownOption]);
  assert.deepEqual(only('maximize x*y subject to x + y = 1 by newton'), [Codes.UnknownMethod]);
});

test('evaluate: false stops after names: no results, and no evaluation diagnostics', () => {
  const a = analyze('log(-1)\nf(x) = x\nf(2)', { evaluate: false });
  assert.equal(a.results.size, 0);
  assert.deepEqual(codes(a), []);
});

test('shouldStop ends an evaluation before its next statement: the rest are pending, what was done is kept and reused', () => {
  const text = 'a = 2\nf(x) = x^2\nf(3)\nlog(-1)\nf(a)\ndiff(f(x), x)';
  const all = analyze(text);
  let asked = 0;
  // answers true from the fourth statement it is asked about on, and is not asked again
  const stopped = analyze(text, { shouldStop: () => ++asked > 3 });
  const evaluable = all.program.statements.filter((s) => all.evaluated.has(s));
  assert.equal(evaluable.length, 6, 'every line is worked out, the definition of f too');
  assert.equal(asked, 4);
  assert.deepEqual(stopped.pending.map((s) => s.start), evaluable.slice(3).map((s) => s.start));
  assert.equal(stopped.results.size, 2);
  assert.deepEqual(codes(stopped), [], "log(-1)'s warning comes with its evaluation, which was stopped");
  // the next analysis reuses the three outcomes (a, f and f(3)) and works out the rest, with the same result as from nothing
  let worked = 0;
  const next = analyze(text, { previous: stopped, shouldStop: () => { worked++; return false; } });
  assert.equal(worked, 3);
  assert.deepEqual(next.pending, []);
  assert.deepEqual(codes(next), codes(all));
  assert.deepEqual([...next.results.values()].map((r) => jsonResult(r)), [...all.results.values()].map((r) => jsonResult(r)));
});

test('results are found by statement and listed in document order', () => {
  const a = analyze('a = 2\nf(x) = x^2\nf(3)\n# comment\na + 1\nf(a)');
  const starts = [...a.results.keys()].map((s) => s.start);
  assert.deepEqual(starts, [...starts].sort((x, y) => x - y));
  assert.deepEqual([...a.results.values()].map((r) => (r as { value: unknown }).value), [2, 9, 3, 4]);
  for (const s of a.program.statements) assert.equal(a.results.has(s), s.kind !== 'function');
  // a statement of another parse of the same text is not one of these
  const other = analyze(a.text).program.statements[0]!;
  assert.equal(a.results.get(other), undefined);
  assert.equal(a.results.size, 4);
});

test("a statement's key changes with its text and the definitions it uses (directly or through others), and with nothing else", () => {
  const base = ['a = 2', 'f(x, y) = (x - a)^2 + y^2', 'g(x) = x^3', 'data pts {', '  x  y', '  0  1', '  1  3', '}', 'minimize f from [0, 0]', 'fit y = m*x + c to pts'];
  const keysOf = (lines: string[]): [string, string] => {
    const a = analyze(lines.join('\n'), { evaluate: false });
    const key = (prefix: string): string => {
      const s = a.program.statements.find((x) => a.text.slice(x.start, x.end).startsWith(prefix));
      assert.ok(s, prefix);
      const k = a.keyOf(s);
      assert.equal(typeof k, 'string');
      return k!;
    };
    return [key('minimize'), key('fit')];
  };
  const edited = (line: number, text: string): string[] => base.map((l, i) => (i === line ? text : l));
  const [minimize, fit] = keysOf(base);
  // Unrelated edits, and moving the statements, keep both keys.
  assert.deepEqual(keysOf(edited(2, 'g(x) = x^4')), [minimize, fit]);
  assert.deepEqual(keysOf(['# a comment', '', ...base]), [minimize, fit]);
  // A definition used directly, or through another, changes the key of what uses it, and only that.
  const [m1, f1] = keysOf(edited(1, 'f(x, y) = (x - a)^2 + 2*y^2'));
  assert.notEqual(m1, minimize);
  assert.equal(f1, fit);
  const [m2, f2] = keysOf(edited(0, 'a = 3'));
  assert.notEqual(m2, minimize);
  assert.equal(f2, fit);
  const [m3, f3] = keysOf(edited(6, '  1  3.5'));
  assert.equal(m3, minimize);
  assert.notEqual(f3, fit);
  // The statement's own text.
  assert.notEqual(keysOf(edited(8, 'minimize f from [1, 0]'))[0], minimize);
  // A statement of another program has no key here.
  const other = analyze('minimize f from [0, 0]', { evaluate: false }).program.statements[0]!;
  assert.equal(analyze(base.join('\n'), { evaluate: false }).keyOf(other), undefined);
});

test('outcomes pass between two analysers that have analysed different things before (the evaluation worker and the main thread)', () => {
  // Each side runs in a fresh process, with module state of its own, as each thread of the server has.
  type Side = { outcomes: [string, StatementOutcome][]; messages: string[]; pending: number[] };
  const side = (job: { before?: string[]; text: string; evaluate: boolean; previous?: [string, StatementOutcome][] }): Side => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, 'freshProcess.ts')], { input: JSON.stringify({ before: [], ...job }), encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout) as Side;
  };
  const v1 = 'f(x) = x\nexpect f(1) == 2\n';
  const v2 = 'f(x) = 2*x\nexpect f(1) == 2\n';

  // The worker evaluates version 1 (the expect fails: f(1) is 1); the main thread has keyed nothing yet.
  const worker = side({ text: v1, evaluate: true });
  assert.match(worker.messages.join(), /left side is 1/);
  // Version 2 changes f: the main thread's syntactic pass must not take version 1's outcome for the expect.
  const main = side({ text: v2, evaluate: false, previous: worker.outcomes });
  assert.deepEqual(main.messages, []);
  assert.deepEqual(main.pending, [0, 1], 'the new f and the expect are left to evaluate');
  // What did not change is reused, whatever either side analysed before.
  const busy = side({ before: ['g(x) = x\nh(x) = g(x) + 1\nexpect h(1) == 2\n'], text: v1, evaluate: false, previous: worker.outcomes });
  assert.deepEqual(busy.pending, []);
  assert.match(busy.messages.join(), /left side is 1/);
});

test('maths written as in print gets one error on its line, saying how to write it in .calc', () => {
  // Each case: the line, the one code expected, and a word the fix must contain.
  const cases: [string, number, RegExp][] = [
    ['f(x) := x^2', Codes.UnexpectedToken, /single '='/],
    ['g(x) == x^2', Codes.UnexpectedToken, /single '='/],
    ['x**2', Codes.ExpectedExpression, /\^/],
    ['ln x', Codes.NotAFunction, /ln\(x\)/],
    ['2 ln x + 1', Codes.NotAFunction, /ln\(x\)/],
    ['sin^2(x)', Codes.NotAFunction, /sin\(x\)\^2/],
    ['|x - 1|', Codes.InvalidCharacter, /abs\(x\)/],
    ['√x', Codes.InvalidCharacter, /sqrt\(x\)/],
    ['3 × 4', Codes.InvalidCharacter, /\*/],
    ['x(x + 1)', Codes.UnknownName, /x\*\(/],
  ];
  for (const [line, code, fix] of cases) {
    const a = analyze(line);
    assert.deepEqual(codes(a), [code], `${line}: ${a.diagnostics.map((d) => d.message).join(' | ')}`);
    assert.match(a.diagnostics[0]!.message, fix, line);
    // a line with an error shows no value, even where the scanner skipped the character (`|x - 1|` is not x - 1)
    assert.equal(a.results.size, 0, `${line} has a result`);
  }
  // read as the definition it means: f is defined, and its uses below are not reported
  const defined = analyze('f(x) := x^2\nf(2)');
  assert.deepEqual(codes(defined), [Codes.UnexpectedToken]);
  // '==' on a line of its own: a comparison without expect, or a definition; neither is assumed, so an
  // already defined f is not reported again as a duplicate (one error, and nothing about its names)
  assert.deepEqual(codes(analyze('a = 2\nf(x) = x^2\nf(a) == 4')), [Codes.UnexpectedToken]);
  // a misspelt function is matched with functions only, not with a data set one letter away
  const near = analyze('data d {\n  x y\n  1 2\n}\nf(1)\nsn(1)');
  assert.deepEqual(near.diagnostics.map((d) => /Did you mean '(\w+)'/.exec(d.message)?.[1] ?? null), [null, 'sin']);
});

test('a vector given to a user function follows vector arithmetic, never a silent NaN', () => {
  // M·t with t = [1, 2]: [1·1 + 2·2, 3·1 + 4·2]
  assert.deepEqual(value('M = [[1, 2], [3, 4]]\nk(t) = M*t\nk([1, 2])'), [5, 11]);
  assert.deepEqual(value('q(w, x) = w*x\nq(2, [1, 2])'), [2, 4]);
  assert.deepEqual(value('s(t) = sigmoid(t)\ns([0, 0])'), [0.5, 0.5]);
  // prime notation is of a function of one number: taken item by item, 3x² at 1 and 2
  assert.deepEqual(value("h(x) = x^3\nh'([1, 2])"), [3, 12]);
  // so is a body that differentiates by its parameters: d/dx sin x = cos x at 0 and 1; d/dx xy = y
  const q = value('q(x) = diff(sin(x), x)\nq([0, 1])') as number[];
  close(q[0]!, 1); close(q[1]!, Math.cos(1));
  assert.deepEqual(value('p(x) = diff(3*x, x)\np([1, 2])'), [3, 3]);
  assert.deepEqual(value('r(x, y) = diff(x*y, x)\nr(2, [1, 2])'), [1, 2]);
  // a derivative of a named function is by that function's own variables: hessian(f)*p is a Hessian-vector
  // product. ∇²(x²y) = [[2y, 2x], [2x, 0]], at (1, 1) times [1, 2]: [6, 2]
  assert.deepEqual(value('f(x, y) = x^2*y\nH(p) = hessian(f)*p\nH([1, 2]) at x = 1, y = 1'), [6, 2]);
  // t^2 of a vector has no value: a shape error on the call, which names the argument
  for (const [text, line] of [['f(t) = t^2\nf([1, 2])', 'f([1, 2])'], ['M = [[1, 2], [3, 4]]\nk(t) = M*t\nk([1, 2, 3])', 'k([1, 2, 3])']] as const) {
    const a = analyze(text);
    assert.deepEqual(codes(a), [Codes.ShapeMismatch], text);
    assert.equal(a.diagnostics[0]!.offset, text.indexOf(line), text);
    assert.match(a.diagnostics[0]!.message, /for t/);
  }
});

test('expect compares numbers to 1e-9 of the larger side, or absolutely below 1, and says so', () => {
  const result = (text: string) => resultOn(analyze(text), 1) as { passed: boolean; message: string };
  // 1 + 1e-10 against 1: |a − b| = 1e-10 ≤ 1e-9; 1e6 + 1e-4 against 1e6: 1e-4 ≤ 1e-9·1e6 = 1e-3
  assert.equal(result('expect 1 + 1e-10 == 1').passed, true);
  assert.equal(result('expect 1e6 + 1e-4 == 1e6').passed, true);
  // 1 + 1e-8 against 1 fails; 1e6 + 1e-2 against 1e6 fails (1e-2 > 1e-3)
  assert.equal(result('expect 1 + 1e-8 == 1').passed, false);
  assert.equal(result('expect 1e6 + 1e-2 == 1e6').passed, false);
  // below 1 the tolerance is absolute, and the message says so rather than claiming a relative test
  const tiny = result('expect 1e-20 == 2e-20');
  assert.equal(tiny.passed, true);
  assert.match(tiny.message, /absolute below 1/);
  assert.equal(result('expect 1e-20 == 2e-20 within 1e-21').passed, false);
  // a negative tolerance is a mistake in the assignment, said on the tolerance
  const negative = analyze('expect 2 == 2 within -1');
  assert.deepEqual(codes(negative), [Codes.InvalidOption]);
  assert.equal(negative.text.slice(negative.diagnostics[0]!.offset, negative.diagnostics[0]!.offset + negative.diagnostics[0]!.length), '-1');
});

test('differentiating by a name that is a constant is an error, not a silent 0', () => {
  const text = 'x = 2\ndiff(x^2, x)';
  const a = analyze(text);
  assert.deepEqual(codes(a), [Codes.InvalidTarget]);
  assert.equal(a.diagnostics[0]!.offset, text.lastIndexOf('x'));
  assert.match(a.diagnostics[0]!.message, /x = 2/);
  // a parameter of that name inside a function is a variable, and differentiates as one: d/dx x² = 2x
  assert.equal(value('x = 2\ng(x) = diff(x^2, x)\ng(3)'), 6);
});

test('a point may be one value for a function of one variable: at 2, at 0', () => {
  assert.equal(value('diff(x^3, x) at 2'), 12); // 3·2²
  const t = resultOn(analyze('taylor sin(x) at 0 order 3'), 1) as TaylorResult;
  assert.equal(toCalc(t.expanded), 'x - x^3/6'); // sin x = x − x³/6 + O(x⁵)
  const two = analyze('h(x, y) = x*y\ngrad(h) at 1');
  assert.deepEqual(codes(two), [Codes.PointLength]);
  // `at x = 1` is still named values, and `at x` alone a value (the free variable x has none: an error, not a crash)
  assert.equal(value('diff(x^3, x) at x = 1'), 3);
  assert.ok(analyze('diff(x^3, x) at x').diagnostics.some((d) => d.severity === 'error'));
});

test('a plot the panel could not draw is an error on its line as it is typed', () => {
  const first = (text: string) => analyze(text).diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, text.slice(d.offset, d.offset + d.length)]);
  assert.deepEqual(first('g(x, y) = x*y\nplot g over x in [1, -1]'), [[Codes.InvalidOption, 'x in [1, -1]']]);
  assert.deepEqual(first('u(x, y) = [x, y]\nplot u over x in [-1, 1], y in [-1, 1]'), [[Codes.ShapeMismatch, 'u']]);
  assert.deepEqual(first('plot x*y*z over x in [0, 1]').map(([c]) => c), [Codes.InvalidTarget]);
  // the panel draws one surface at a time, and curves on one axis
  assert.deepEqual(first('plot x*y, x - y over x in [0, 1], y in [0, 1]').map(([c]) => c), [Codes.InvalidTarget]);
  assert.deepEqual(first('plot sin(x), cos(t) over x in [0, 1], t in [0, 1]').map(([c]) => c), [Codes.InvalidTarget]);
  assert.deepEqual(first('plot sin(t) over x in [0, 1]'), [[Codes.InvalidTarget, 'x']]);
  const stray = analyze('f(x, y) = x*y\nplot f over x in [0, 1], z in [0, 2]').diagnostics[0]!;
  assert.match(stray.message, /give the range of y/);
  assert.deepEqual(first('g(x, y) = x*y\nplot g over x in [-2, 2], y in [-2, 2]\nplot sin(x), cos(x) over x in [-pi, pi]'), []);
});

test('runs report a point of the wrong length (503) and a bad option value (504) on the clause', () => {
  const text = 'g(x, y) = x^2 + y^2\nminimize g from [1, 2, 3]\nu(x, y) = [x - 1, y - 2]\nroot u near [1]\nminimize g from [1, 1] by gradient descent with step = -0.1\n';
  const a = analyze(text);
  const runs = a.program.statements.filter(isRunnable).map((s) => runStatement(a, s, { budgetMs: 10_000 }).diagnostics.map((d) => [d.code, text.slice(d.offset, d.offset + d.length)]));
  assert.deepEqual(runs, [[[Codes.PointLength, '[1, 2, 3]']], [[Codes.PointLength, '[1]']], [[Codes.InvalidOption, '-0.1']]]);
  // and a built-in called with two arguments is a name error at once (303); h'' of x³ at 2 is 6·2
  assert.deepEqual(codes(analyze('sin(1, 2)')), [Codes.WrongArgumentCount]);
  assert.equal(value("h(x) = x^3\nh''(2)"), 12);
});

test('a fit to data with a sigma column weights each point by 1/σ², as the closed-form straight-line fit does', () => {
  const rows = [[0, 1.02, 0.1], [0.5, 1.57, 0.1], [1, 2.11, 0.12], [1.5, 2.48, 0.2], [2, 3.1, 0.15]];
  const text = `data p {\n  x y sigma\n${rows.map((r) => `  ${r.join(' ')}`).join('\n')}\n}\nfit y = m*x + c to p\n`;
  const a = analyze(text);
  const fit = a.program.statements.find(isRunnable)!;
  const r = runStatement(a, fit, { budgetMs: 10_000 }).result as { kind: string; parameters: { name: string; value: number; stderr: number }[]; chi2: number };
  // Numerical Recipes §15.2: S = Σw, Sx = Σwx, Sy = Σwy, Sxx = Σwx², Sxy = Σwxy, Δ = S·Sxx − Sx²
  let S = 0, Sx = 0, Sy = 0, Sxx = 0, Sxy = 0;
  for (const [x, y, s] of rows) { const w = 1 / s! ** 2; S += w; Sx += w * x!; Sy += w * y!; Sxx += w * x! * x!; Sxy += w * x! * y!; }
  const D = S * Sxx - Sx * Sx;
  const m = (S * Sxy - Sx * Sy) / D, c = (Sxx * Sy - Sx * Sxy) / D;
  const chi2 = rows.reduce((t, [x, y, s]) => t + ((y! - m * x! - c) / s!) ** 2, 0);
  const p = Object.fromEntries(r.parameters.map((q) => [q.name, q]));
  close(p.m!.value, m, 1e-12); close(p.c!.value, c, 1e-12);
  // σ given: the standard errors are √(S/Δ) and √(Sxx/Δ), not scaled by χ²/dof
  close(p.m!.stderr, Math.sqrt(S / D), 1e-10); close(p.c!.stderr, Math.sqrt(Sxx / D), 1e-10);
  close(r.chi2, chi2, 1e-10);
});

test('fit y = c is the weighted mean, and a model that reads no column otherwise is warned about', () => {
  const rows = [[0, 2.1, 0.1], [1, 2.9, 0.1], [2, 4.2, 0.2], [3, 5.1, 0.1]];
  const data = `data p {\n  x y sigma\n${rows.map((r) => `  ${r.join(' ')}`).join('\n')}\n}\n`;
  const run = (model: string) => {
    const a = analyze(`${data}fit y = ${model} to p\n`);
    const fit = a.program.statements.find(isRunnable)!;
    const out = runStatement(a, fit, { budgetMs: 10_000 });
    return { a, result: out.result as { parameters: { name: string; value: number; stderr: number }[]; dof: number; converged: boolean; notes: string[] }, diagnostics: [...a.diagnostics, ...out.diagnostics] };
  };
  // the weighted mean Σ(y/σ²)/Σ(1/σ²), with standard error 1/√Σ(1/σ²) (Numerical Recipes §15.2 with no slope)
  const S = rows.reduce((t, [, , s]) => t + 1 / s! ** 2, 0), Sy = rows.reduce((t, [, y, s]) => t + y! / s! ** 2, 0);
  const mean = run('c');
  assert.deepEqual(mean.diagnostics.filter((d) => d.severity !== 'info').map((d) => d.message), []);
  close(mean.result.parameters[0]!.value, Sy / S, 1e-12);
  close(mean.result.parameters[0]!.stderr, 1 / Math.sqrt(S), 1e-10);
  assert.equal(mean.result.dof, rows.length - 1);
  // a typo for a column: every name is a parameter, and the line says so
  const typo = run('m*z + c');
  assert.match(typo.diagnostics.map((d) => d.message).join('\n'), /reads no column of p \(x, y, sigma\): m, z, c are all fitted as parameters/);
});

test('a gradient-descent fit thrown onto a plateau by too large a step is not converged, and says f ended higher', () => {
  // exp(k·x) with k driven to -5e8 by the first step: the model is then flat in k, the gradient zero
  const rows = [[0, 2.1, 0.1], [1, 2.9, 0.1], [2, 4.2, 0.2], [3, 5.1, 0.1], [4, 5.9, 0.2], [5, 7.2, 0.1]];
  const text = `data p {\n  x y sigma\n${rows.map((r) => `  ${r.join(' ')}`).join('\n')}\n}\nfit y = A*exp(k*x) to p from A = 1, k = 0.3 by gradient descent with step = 0.0001\n`;
  const a = analyze(text);
  const out = runStatement(a, a.program.statements.find(isRunnable)!, { budgetMs: 10_000 });
  const r = out.result as { converged: boolean; reason: string; message: string; notes: string[] };
  assert.equal(r.converged, false, r.message);
  assert.match(r.message, /f ended higher than it began/);
  assert.ok(r.notes.some((n) => /the model does not change with k there/.test(n)), r.notes.join('\n'));
});

test('hessian(F) at a point of a loss with many parameters is worked out at the point, matching the closed form Σ σ(1 − σ) x xᵀ', () => {
  // logistic loss of 20 samples in 16 features: its symbolic Hessian (136 second derivatives) outgrows the node budget
  const n = 16, rand = seeded(5);
  const samples = Array.from({ length: 20 }, () => ({ x: Array.from({ length: n }, () => Math.round((rand() * 4 - 2) * 100) / 100), y: rand() < 0.5 ? 0 : 1 }));
  const w = Array.from({ length: n }, (_, j) => `w${j + 1}`);
  const z = (s: { x: number[] }) => s.x.map((v, j) => `${v}*${w[j]}`).join(' + ');
  const loss = samples.map((s) => (s.y ? `-log(sigmoid(${z(s)}))` : `-log(1 - sigmoid(${z(s)}))`)).join(' + ');
  const at = Array.from({ length: n }, () => Math.round((rand() - 0.5) * 100) / 100);
  const a = analyze(`F(${w.join(', ')}) = ${loss}\nhessian(F) at [${at.join(', ')}]`);
  assert.deepEqual(a.diagnostics.map((d) => d.message), []);
  const H = (resultOn(a, 2) as { value: number[][] }).value;
  const sigma = (t: number) => 1 / (1 + Math.exp(-t));
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    const expected = samples.reduce((t, s) => { const p = sigma(s.x.reduce((u, v, k) => u + v * at[k]!, 0)); return t + p * (1 - p) * s.x[i]! * s.x[j]!; }, 0);
    assert.ok(Math.abs(H[i]![j]! - expected) <= 1e-10 * Math.max(1, Math.abs(expected)), `H[${i}][${j}] = ${H[i]![j]}, closed form ${expected}`);
  }
});

test('expect … at a point compares the left side\'s value there with the right side, and names a wrong component', () => {
  const message = (text: string) => analyze(text).diagnostics.map((d) => `${d.code} ${d.message}`);
  // ∇(x²y) = (2xy, x²) is (4, 1) at (1, 2); the Hessian [[2y, 2x], [2x, 0]] is [[4, 2], [2, 0]]
  assert.deepEqual(message('f(x, y) = x^2*y\nexpect grad(f) at [1, 2] == [4, 1]\nexpect hessian(f) at [1, 2] == [[4, 2], [2, 0]]\nexpect diff(x^2*y, x) at x = 3, y = 1 == 6'), []);
  const wrong = message('f(x, y) = x^2*y\nexpect grad(f) at [1, 2] == [4, 2]');
  assert.equal(wrong.length, 1);
  assert.match(wrong[0]!, /^520 ✗ component 2 \(∂\/∂y\): the left side is 1, the right side 2/);
  assert.deepEqual(message('f(x, y) = x^2*y\nexpect grad(f) at [1, 2, 3] == [4, 1]').map((m) => m.split(' ')[0]), [String(Codes.PointLength)]);
  assert.match(message('f(x, y) = x^2*y\nexpect f(x, y) at [1, 2] == x')[0]!, /the right side is the value expected there/);
  // the statement reads its point's names, for rename and references
  const a = analyze('p = 2\nexpect x^2 at x = p == 4');
  assert.deepEqual(codes(a), []);
  assert.ok(a.symbols.references.some((r) => r.name === 'p' && !r.isDefinition));
});

test('tan at a pole, within rounding of π/2 + kπ, is a domain warning, not a silent 1.6e16', () => {
  for (const text of ['tan(pi/2)', 'tan(3*pi/2)', 'tan(-pi/2)']) assert.deepEqual(codes(analyze(text)), [Codes.DomainWarning], text);
  for (const text of ['tan(1)', 'tan(pi)', 'tan(1.5707963)']) assert.deepEqual(codes(analyze(text)), [], text);
});

test('a point may be a vector defined on its own line: p = [1, 2], then grad(f) at p', () => {
  const a = analyze('f(x, y) = x^2*y\np = [1, 2]\ngrad(f) at p\nexpect grad(f) at p == [4, 1]\nq = [1, 2, 3]\ngrad(f) at q');
  assert.deepEqual((resultOn(a, 3) as { value: number[] }).value, [4, 1]);
  assert.deepEqual(a.diagnostics.map((d) => [d.code, d.message.slice(0, 40)]), [[Codes.PointLength, 'This point has 3 values, but there are 2']]);
});

test('a Taylor polynomial about pi/2 is written in powers of (x - pi/2), not of (x - 1.5707963267948966)', () => {
  const t = resultOn(analyze('taylor sin(x) at pi/2 order 2'), 1) as TaylorResult;
  assert.equal(toCalc(t.shiftedExpr), '1 - 0.5*(x - pi/2)^2');
  const two = resultOn(analyze('f(x, y) = x*y\ntaylor f at x = pi, y = 2 order 1'), 2) as TaylorResult;
  assert.match(toCalc(two.shiftedExpr), /\(x - pi\)/);
  assert.match(toCalc(two.shiftedExpr), /\(y - 2\)/);
  // its coefficients are the same numbers as before: the expanded form is unchanged
  assert.equal(toCalc(t.expanded), toCalc((resultOn(analyze(`taylor sin(x) at ${Math.PI / 2} order 2`), 1) as TaylorResult).expanded));
});
