import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseExpr } from '../../server/src/core/semantics/lower';
import { mul, num, pow, sym, vec } from '../../server/src/core/calculus/expr';
import {
  compile, compileVector, compileGradient, compileJacobian, compileHessian, derivativesAtPoint, hessianAtPoint, gradient, hessian, jacobian,
  checkEquivalent, toCalc, seeded, randomExpr,
} from '../../server/src/core/calculus/index';

const VARS = ['x', 'y', 'z'];
const close = (a: number, b: number, rel: number): boolean =>
  a === b || Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b));

test('compiled evaluation gives the value of the expression, and NaN for domain errors instead of throwing', () => {
  const f = compile(parseExpr('x^2*y + 2.5*sin(x*y)'), ['x', 'y']);
  assert.ok(close(f([1, 2]), 2 + 2.5 * Math.sin(2), 1e-15));
  assert.ok(Number.isNaN(compile(parseExpr('log(x)'), ['x'])([-1])));
  assert.ok(Number.isNaN(compile(parseExpr('sqrt(x) + asin(x)'), ['x'])([-2])));
  assert.ok(Number.isNaN(compile(parseExpr('x + w'), ['x'])([1])), 'an unbound symbol is NaN');
  assert.ok(close(compile(parseExpr('pi*e'), [])([]), Math.PI * Math.E, 1e-15));
  assert.deepEqual(compileVector(parseExpr('[[x, 2*x], [x*y, 1]]'), ['x', 'y'])([3, 2]), [[3, 6], [6, 1]]);
});

test('the compiler builds closures over arrays and never turns expressions into source code', () => {
  const src = readFileSync(new URL('../../server/src/core/calculus/compile.ts', import.meta.url), 'utf8');
  assert.ok(!/new Function|\beval\(/.test(src.replace(/\/\/.*|\/\*[\s\S]*?\*\//g, '')));
});

test('the reverse-mode gradient equals the symbolic gradient at random points', () => {
  const rand = seeded(61);
  const g = new Float64Array(3);
  for (let i = 0; i < 400; i++) {
    const e = randomExpr(rand, VARS, 2 + (i % 3));
    const fg = compileGradient(e, VARS), sym = compileVector(gradient(e, VARS), VARS), f = compile(e, VARS);
    for (let k = 0; k < 3; k++) {
      const p = VARS.map(() => (k % 2 ? 0.05 : -2) + 2 * rand());
      const v = fg(p, g), s = sym(p) as number[];
      if (!Number.isFinite(v) || !s.every(Number.isFinite) || !Array.from(g).every(Number.isFinite)) continue;
      assert.ok(close(v, f(p), 1e-14), `value of ${toCalc(e)}`);
      for (let j = 0; j < 3; j++) assert.ok(close(g[j]!, s[j]!, 1e-8), `∂/∂${VARS[j]} of ${toCalc(e)} at ${p}: AD ${g[j]}, symbolic ${s[j]}`);
    }
  }
});

test('first derivatives at one point, forward (up to 4 variables) and by the tape (more), equal the symbolic ones; undefined where anything is not finite', () => {
  const rand = seeded(71);
  const names = ['x', 'y', 'z', 'w', 'v', 'u'];
  let compared = 0, needless = 0;
  for (let i = 0; i < 600; i++) {
    const vars = names.slice(0, 1 + (i % 6)); // 1 to 4 variables sweep forward, 5 and 6 take the tape
    const scalar = randomExpr(rand, vars, 2 + (i % 3));
    const e = i % 4 === 0 ? vec([scalar, randomExpr(rand, vars, 2)]) : scalar;
    const p = vars.map(() => (i % 2 ? 0.05 : -2) + 2 * rand());
    const ours = derivativesAtPoint(e, vars, p);
    const symbolic = (e.kind === 'vec' ? compileVector(jacobian(e, vars), vars)(p) : [compileVector(gradient(e, vars), vars)(p)]) as number[][];
    const values = compileVector(e, vars)(p);
    const finite = symbolic.flat().every(Number.isFinite) && [values].flat().every(Number.isFinite);
    // refused where everything is finite: only where an inner value is not (exp(-1/x^2) at 0)
    if (!ours) { if (finite) needless++; continue; }
    assert.ok(finite, `${toCalc(e)} at ${p}: ${JSON.stringify(ours)}, but the symbolic derivatives or values are not all finite`);
    const rows = (e.kind === 'vec' ? ours : [ours]) as number[][];
    rows.forEach((row, r) => row.forEach((d, j) => {
      compared++;
      assert.ok(close(d, symbolic[r]![j]!, 1e-8), `∂/∂${vars[j]} of ${toCalc(e)} at ${p}: ${d}, symbolic ${symbolic[r]![j]}`);
    }));
  }
  assert.ok(compared > 1500 && needless < 10, `${compared} compared, ${needless} refused where the derivatives are finite`);
  assert.deepEqual(derivativesAtPoint(parseExpr('x^2*y'), ['x', 'y'], [3, 2]), [12, 9]);
  assert.deepEqual(derivativesAtPoint(parseExpr('[x*y, x + y]'), ['x', 'y'], [2, 3]), [[3, 2], [1, 1]]);
  assert.equal(derivativesAtPoint(parseExpr('sqrt(x)*y'), ['x', 'y'], [0, 1]), undefined, 'an infinite slope');
  assert.equal(derivativesAtPoint(parseExpr('log(x) + y'), ['x', 'y'], [-1, 1]), undefined, 'a value outside the domain');
  assert.equal(derivativesAtPoint(parseExpr('exp(-1/x^2)'), ['x'], [0]), undefined, 'an infinite value on the way');
  assert.equal(derivativesAtPoint(parseExpr('[[x, y], [y, x]]'), ['x', 'y'], [1, 2]), undefined, 'a matrix');
  assert.deepEqual(derivativesAtPoint(mul(num(3), pow(sym('z'), num(0))), ['z'], [0]), [0], 'u^0 has no slope at u = 0');
  // a slope of 0·∞ is undefined, not 0: (x³)^(1/3) and sqrt(x²) at 0 (their inner slope is 0 there)
  assert.equal(derivativesAtPoint(parseExpr('(x^3)^(1/3)'), ['x'], [0]), undefined);
  assert.equal(derivativesAtPoint(parseExpr('sqrt(x^2)'), ['x'], [0]), undefined);
});

test('the forward-over-reverse Hessian equals the symbolic Hessian at random points', () => {
  const rand = seeded(67);
  for (let i = 0; i < 200; i++) {
    const e = randomExpr(rand, VARS, 2 + (i % 2));
    const h = compileHessian(e, VARS), sym = compileVector(hessian(e, VARS), VARS);
    const p = VARS.map(() => 0.05 + 2 * rand());
    const a = h(p), b = sym(p) as number[][];
    for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) {
      const x = a[r]![c]!, y = b[r]![c]!;
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      assert.ok(close(x, y, 1e-7), `H[${r}][${c}] of ${toCalc(e)} at ${p}: AD ${x}, symbolic ${y}`);
    }
  }
});

test('the Hessian at one point equals the symbolic Hessian, and is undefined where anything is not finite', () => {
  const rand = seeded(73);
  let compared = 0;
  for (let i = 0; i < 200; i++) {
    const e = randomExpr(rand, VARS, 2 + (i % 2));
    const p = VARS.map(() => 0.05 + 2 * rand());
    const ours = hessianAtPoint(e, VARS, p);
    const symbolic = compileVector(hessian(e, VARS), VARS)(p) as number[][];
    if (!ours) { assert.ok(!symbolic.flat().every(Number.isFinite) || !Number.isFinite(compile(e, VARS)(p)), `${toCalc(e)} refused at ${p}`); continue; }
    ours.forEach((row, r) => row.forEach((h, c) => { compared++; assert.ok(close(h, symbolic[r]![c]!, 1e-7), `H[${r}][${c}] of ${toCalc(e)}`); }));
  }
  assert.ok(compared > 1000, `${compared} entries compared`);
  assert.equal(hessianAtPoint(parseExpr('sqrt(x)*y'), ['x', 'y'], [0, 1]), undefined);
  assert.equal(hessianAtPoint(parseExpr('[x, y]'), ['x', 'y'], [0, 1]), undefined);
});

test('the Jacobian at a point matches the symbolic Jacobian', () => {
  const u = parseExpr('[x^2 - y^2, 2*x*y, sin(x)*exp(y)]');
  const at = compileJacobian(u, ['x', 'y'])([0.7, -1.3]);
  const sym = compileVector(jacobian(u, ['x', 'y']), ['x', 'y'])([0.7, -1.3]) as number[][];
  at.forEach((row, i) => row.forEach((x, j) => assert.ok(close(x, sym[i]![j]!, 1e-14))));
});

test('equivalence is decided symbolically where simplification reaches zero', () => {
  assert.deepEqual(checkEquivalent(parseExpr('2*x*y + 2.5*y*cos(x*y)'), parseExpr('y*(2*x + 2.5*cos(y*x))')), { equal: true, method: 'symbolic' });
  assert.deepEqual(checkEquivalent(parseExpr('(x + 1)^2'), parseExpr('x^2 + 2*x + 1')), { equal: true, method: 'symbolic' });
});

test('equivalence falls back to random points: sin² + cos² is 1, and a wrong derivative gets a counterexample', () => {
  assert.deepEqual(checkEquivalent(parseExpr('sin(x)^2 + cos(x)^2'), parseExpr('1')), { equal: true, method: 'numeric', points: { both: 64, either: 64 } });
  // equal where both are defined (x, y > 0), which is a good share of where either is
  const logs = checkEquivalent(parseExpr('log(x*y)'), parseExpr('log(x) + log(y)'));
  assert.ok(logs.equal && logs.method === 'numeric' && logs.points!.both === 64, JSON.stringify(logs));
  const r = checkEquivalent(parseExpr('2*x*y + a*y*cos(x*y)'), parseExpr('2*x*y + a*cos(x*y)'));
  assert.equal(r.equal, false);
  assert.equal(r.method, 'numeric');
  const { point, left, right } = r.counterexample!;
  const f = compile(parseExpr('2*x*y + a*y*cos(x*y)'), ['x', 'y', 'a']);
  assert.ok(close(f([point.x!, point.y!, point.a!]), left, 1e-15));
  assert.notEqual(left, right);
  assert.deepEqual(checkEquivalent(parseExpr('[x, y]'), parseExpr('[x, y, 0]')).equal, false);
});

test('equivalence: a wrong side cannot hide behind a domain of its own, and a domain far from 0 is still found', () => {
  // right only for x > 2.9, where log is defined, and wrong everywhere else: its terms that only
  // restrict where it is defined (0·log, a quotient u/u) are simplified away before comparing
  for (const hide of ['0*log(x - 2.9)', '0*sqrt(x - 2.9)']) {
    const hidden = checkEquivalent(parseExpr('2*x'), parseExpr(`2*x + ${hide} + 100*(abs(x - 2.9) - (x - 2.9))`));
    assert.equal(hidden.equal, false, hide);
    assert.ok(hidden.counterexample!.point.x! < 2.9);
  }
  assert.equal(checkEquivalent(parseExpr('2*x'), parseExpr('2*x*sqrt(x - 2.9)/sqrt(x - 2.9) + 100*(abs(x - 2.9) - (x - 2.9))')).equal, false);
  // a term that restricts the domain but does not simplify away (√(x − 2.9) − √|x − 2.9|, 0 where defined):
  // in [-3, 3] the rigged side is defined at too few of the points where the other is
  const rigged = checkEquivalent(parseExpr('2*x'), parseExpr('2*x + 100*(abs(x - 2.9) - (x - 2.9)) + sqrt(x - 2.9) - sqrt(abs(x - 2.9))'));
  assert.deepEqual([rigged.equal, rigged.reason], [false, 'domain']);
  // an identity true where its sides are defined still is: asin(x) + acos(x) is π/2 on [-1, 1], and
  // log((x − 4)²) = 2·log(x − 4) and ((x − 4)³)^(1/3) = x − 4 for x > 4 (nowhere in [-3, 3])
  assert.equal(checkEquivalent(parseExpr('asin(x) + acos(x)'), parseExpr('pi/2')).equal, true);
  assert.equal(checkEquivalent(parseExpr('log((x - 4)^2)'), parseExpr('2*log(x - 4)')).equal, true);
  assert.equal(checkEquivalent(parseExpr('((x - 4)^3)^(1/3)'), parseExpr('x - 4')).equal, true);
  // defined only for x > 4: the boxes widen until there are points to compare
  const far = checkEquivalent(parseExpr('1/(2*sqrt(x - 4))'), parseExpr('sqrt(x - 4)/(2*x - 8)'));
  assert.ok(far.equal && far.points!.both >= 8, JSON.stringify(far));
  // and a wrong answer that differs only beyond 3.5 is caught there
  assert.equal(checkEquivalent(parseExpr('3*x^2'), parseExpr('3*x^2 + (abs(x - 3.5) - (3.5 - x))')).equal, false);
  // nowhere both defined: not equal, and said
  assert.equal(checkEquivalent(parseExpr('sqrt(-1 - x^2) + x'), parseExpr('x')).reason, 'no-point');
  // shapes
  assert.equal(checkEquivalent(parseExpr('[x, y]'), parseExpr('[x, y, 0]')).reason, 'shape');
  // the components that differ at the counterexample, all of them
  const parts = checkEquivalent(parseExpr('[x, y, x*y]'), parseExpr('[x, 2*y, x*y + 1]')).counterexample!;
  assert.deepEqual([parts.component, parts.components], [1, [1, 2]]);
});

test('the gradient of u^0 is 0 even where u is 0', () => {
  const e = mul(num(3), pow(sym('z'), num(0)));
  const g = new Float64Array(1);
  const f = compileGradient(e, ['z'])([0], g);
  assert.equal(f, 3);
  assert.equal(g[0], 0);
  assert.deepEqual(compileHessian(e, ['z'])([0]), [[0]]);
});
