import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExpr } from '../../server/src/core/semantics/lower';
import {
  taylor, simplify, sub, toCalc, compile, checkEquivalent, seeded, num, sym, add, mul, pow, isZero, type Expr,
} from '../../server/src/core/calculus/index';

/** A random polynomial of total degree at most `deg` in `vars`, with small integer coefficients. */
function randomPolynomial(rand: () => number, vars: string[], deg: number): Expr {
  const terms: Expr[] = [];
  for (let t = 0; t < 6; t++) {
    const c = num(Math.floor(rand() * 11) - 5);
    let left = Math.floor(rand() * (deg + 1));
    const factors: Expr[] = [c];
    for (const v of vars) {
      const k = Math.floor(rand() * (left + 1));
      left -= k;
      if (k > 0) factors.push(pow(sym(v), num(k)));
    }
    terms.push(mul(...factors));
  }
  return add(...terms);
}

test('a Taylor polynomial of order n reproduces a polynomial of degree n exactly, in one and in three variables', () => {
  const rand = seeded(31);
  for (let i = 0; i < 40; i++) {
    const vars = i % 2 ? ['x'] : ['x', 'y', 'z'];
    const n = 1 + (i % 5);
    const p = randomPolynomial(rand, vars, n);
    const point = vars.map(() => Math.floor(rand() * 7) - 3);
    const { expanded, shifted } = taylor(p, vars, point, n);
    assert.ok(isZero(simplify(sub(expanded, p))), `${toCalc(p)} about ${point}: ${toCalc(expanded)}`);
    assert.deepEqual(checkEquivalent(shifted, p), { equal: true, method: 'symbolic' }, toCalc(shifted));
  }
});

test('the series of exp, sin and cos about 0 have the coefficients 1/k!', () => {
  assert.equal(toCalc(taylor(parseExpr('exp(x)'), ['x'], [0], 4).expanded), 'x^4/24 + x^3/6 + x^2/2 + x + 1');
  assert.equal(toCalc(taylor(parseExpr('sin(x)'), ['x'], [0], 5).expanded), 'x^5/120 - x^3/6 + x');
  assert.equal(toCalc(taylor(parseExpr('cos(x)'), ['x'], [0], 4).expanded), 'x^4/24 - x^2/2 + 1');
});

test('the form in powers of (x - a) is written about the point, lowest order first', () => {
  const t = taylor(parseExpr('log(x)'), ['x'], [1], 3);
  assert.equal(toCalc(t.shifted), '(x - 1) - (x - 1)^2/2 + (x - 1)^3/3');
  assert.equal(toCalc(t.expanded), 'x^3/3 - 3*x^2/2 + 3*x - 11/6');
});

test('order 1 is the linearisation f(a) + ∇f(a)·(x - a)', () => {
  const f = parseExpr('x^2*y + 2.5*sin(x*y)');
  const { shifted } = taylor(f, ['x', 'y'], [1, 2], 1);
  const fv = compile(f, ['x', 'y']);
  const h = 1e-6;
  const gx = (fv([1 + h, 2]) - fv([1 - h, 2])) / (2 * h), gy = (fv([1, 2 + h]) - fv([1, 2 - h])) / (2 * h);
  const lin = compile(shifted, ['x', 'y']);
  for (const [x, y] of [[1.3, 2.1], [0.5, 1.5], [2, 3]] as const) {
    const expected = fv([1, 2]) + gx * (x - 1) + gy * (y - 2);
    assert.ok(Math.abs(lin([x, y]) - expected) < 1e-6 * Math.max(1, Math.abs(expected)));
  }
});

test('a multivariate Taylor polynomial of order 3 agrees with the function to third order', () => {
  // the error of an order-3 polynomial shrinks like t^4 along any line through the point
  const f = parseExpr('exp(x)*sin(y) + x*y^2');
  const { expanded } = taylor(f, ['x', 'y'], [0.5, 1], 3);
  const fv = compile(f, ['x', 'y']), tv = compile(expanded, ['x', 'y']);
  const err = (t: number): number => Math.abs(fv([0.5 + t, 1 - t]) - tv([0.5 + t, 1 - t]));
  const ratio = err(0.02) / err(0.01);
  assert.ok(ratio > 14 && ratio < 18, `error ratio ${ratio}, expected about 2^4 = 16`);
});

test('about a multiple of π/2 given as a float, trigonometric zeros are zeros, not rounding (cos(π/2) is not 6e-17)', () => {
  // sin about π/2: 1 − (x − π/2)²/2, with no first-order term; sin x·cos y about (π, π/2): (x − π)(y − π/2) to order 2
  const s = taylor(parseExpr('sin(x)'), ['x'], [Math.PI / 2], 2);
  assert.equal(s.shifted.kind === 'add' ? s.shifted.terms.length : 1, 2, toCalc(s.shifted));
  assert.doesNotMatch(toCalc(s.shifted), /e-1[67]/);
  const f = compile(s.expanded, ['x']);
  for (const x of [0, 1, 2, 3]) assert.ok(Math.abs(f([x]) - (1 - (x - Math.PI / 2) ** 2 / 2)) < 1e-12, String(x));
  const c = taylor(parseExpr('sin(x)*cos(y)'), ['x', 'y'], [Math.PI, Math.PI / 2], 2);
  assert.equal(c.shifted.kind, 'mul', toCalc(c.shifted)); // one term: the mixed one
  // at a large point the rounding is not small, and nothing is zeroed: the value and slope of cos at 1e16
  const big = taylor(parseExpr('cos(x)'), ['x'], [1e16], 1);
  assert.ok(Math.abs(compile(big.shifted, ['x'])([1e16]) - Math.cos(1e16)) < 1e-12);
  const chain = taylor(parseExpr('sin(exp(x))'), ['x'], [35], 1);
  assert.notEqual(toCalc(chain.expanded), '0');
  // a value that is small because the point is small is kept: sin(1e-20) = 1e-20
  const tiny = taylor(parseExpr('sin(x)'), ['x'], [1e-20], 0);
  assert.equal(compile(tiny.expanded, ['x'])([0]), 1e-20);
});
