import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExpr } from '../../server/src/core/semantics/lower';
import {
  derivative, nthDerivative, partial, gradient, jacobian, hessian, classifyCriticalPoint,
  compile, compileVector, toCalc, seeded, randomExpr, checkEquivalent, CALCULUS_FUNCTIONS, call, sym,
  type Expr,
} from '../../server/src/core/calculus/index';

const d = (text: string, x = 'x'): string => toCalc(derivative(parseExpr(text), x));
const close = (a: number, b: number, rel: number): boolean => Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b));

test('textbook derivatives come out in textbook form', () => {
  assert.equal(d('x^2*y + 2.5*sin(x*y)'), '2*x*y + 2.5*y*cos(x*y)');
  assert.equal(d('x^3'), '3*x^2');
  assert.equal(d('sqrt(x)'), '1/(2*sqrt(x))');
  assert.equal(d('1/x'), '-1/x^2');
  assert.equal(d('exp(2*x)'), '2*exp(2*x)');
  assert.equal(d('log(x)'), '1/x');
  assert.equal(d('abs(x)'), 'sign(x)');
  assert.equal(d('tanh(x)'), '1 - tanh(x)^2');
  assert.equal(d('x^x'), 'x^x*(log(x) + 1)');
  assert.equal(d('2^x'), '2^x*log(2)');
  assert.equal(d('pi*x + e'), 'pi');
});

test('every built-in differentiates to the slope of central finite differences', () => {
  // a reference independent of our rules: (f(x+h) - f(x-h)) / 2h with h = 1e-5, error O(h²)
  const rand = seeded(3);
  for (const fn of CALCULUS_FUNCTIONS) {
    const e = call(fn, [sym('x')]);
    const f = compile(e, ['x']), df = compile(derivative(e, 'x'), ['x']);
    for (let k = 0; k < 20; k++) {
      const x = fn === 'asin' || fn === 'acos' ? -0.9 + 1.8 * rand() : fn === 'log' || fn === 'log10' || fn === 'sqrt' ? 0.1 + 3 * rand() : -2 + 4 * rand();
      const h = 1e-5, fd = (f([x + h]) - f([x - h])) / (2 * h);
      assert.ok(close(df([x]), fd, 1e-6), `${fn}'(${x}) = ${df([x])}, finite differences ${fd}`);
    }
  }
});

test('the chain rule goes through a composition: d/dt f(cos t, sin t)', () => {
  // f(x, y) = x^2*y, inlined as the lowering does for g(t) = f(cos(t), sin(t))
  const g = parseExpr('cos(t)^2*sin(t)');
  const expected = parseExpr('-2*cos(t)*sin(t)*sin(t) + cos(t)^2*cos(t)');
  assert.equal(checkEquivalent(derivative(g, 't'), expected).equal, true);
});

test('higher and mixed partial derivatives: diff(e, x, 2) and diff(e, x, y)', () => {
  assert.equal(toCalc(nthDerivative(parseExpr('sin(x)'), 'x', 2)), '-sin(x)');
  assert.equal(toCalc(nthDerivative(parseExpr('x^4'), 'x', 3)), '24*x');
  assert.equal(toCalc(partial(parseExpr('x^2*y^3'), ['x', 'y'])), '6*x*y^2');
});

test('vectors differentiate item by item', () => {
  assert.equal(toCalc(derivative(parseExpr('[x^2, x*y, 3]'), 'x')), '[2*x, y, 0]');
});

test('mixed partials agree in either order (Schwarz) on 300 random expressions', () => {
  const rand = seeded(17);
  for (let i = 0; i < 300; i++) {
    const e = randomExpr(rand, ['x', 'y'], 2 + (i % 2));
    const xy = compile(partial(e, ['x', 'y']), ['x', 'y']), yx = compile(partial(e, ['y', 'x']), ['x', 'y']);
    for (let k = 0; k < 3; k++) {
      const p = [-2 + 4 * rand(), 0.05 + 2 * rand()];
      const a = xy(p), b = yx(p);
      if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
      assert.ok(close(a, b, 1e-8), `${toCalc(e)} at ${p}: f_xy = ${a}, f_yx = ${b}`);
    }
  }
});

test('Hessians are symmetric, and the Jacobian of the gradient is the Hessian', () => {
  const rand = seeded(23);
  for (let i = 0; i < 100; i++) {
    const e = randomExpr(rand, ['x', 'y', 'z'], 2 + (i % 2));
    const vars = ['x', 'y', 'z'];
    const H = hessian(e, vars), J = jacobian(gradient(e, vars), vars);
    const h = compileVector(H, vars), j = compileVector(J, vars);
    for (let k = 0; k < 2; k++) {
      const p = vars.map(() => 0.05 + 2 * rand());
      const hv = h(p) as number[][], jv = j(p) as number[][];
      for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) {
        const a = hv[r]![c]!, b = jv[r]![c]!, t = hv[c]![r]!;
        if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
        assert.ok(close(a, t, 1e-12), `H not symmetric for ${toCalc(e)}`);
        assert.ok(close(a, b, 1e-8), `J(∇f) ≠ H at [${r}][${c}] for ${toCalc(e)}: ${a} vs ${b}`);
      }
    }
  }
});

test('gradient, Jacobian and Hessian of small functions read as in a textbook', () => {
  const f = parseExpr('x^2*y + 2.5*sin(x*y)');
  assert.equal(toCalc(gradient(f, ['x', 'y'])), '[2*x*y + 2.5*y*cos(x*y), x^2 + 2.5*x*cos(x*y)]');
  assert.equal(toCalc(jacobian(parseExpr('[x^2 - y^2, 2*x*y]'), ['x', 'y'])), '[[2*x, -2*y], [2*y, 2*x]]');
  assert.equal(toCalc(hessian(parseExpr('x^2*y'), ['x', 'y'])), '[[2*y, 2*x], [2*x, 0]]');
});

test('critical points are classified by the eigenvalues of the Hessian', () => {
  // eigenvalues of [[a, b], [b, d]]: (a + d)/2 ± sqrt(((a - d)/2)^2 + b^2)
  const rand = seeded(29);
  for (let i = 0; i < 50; i++) {
    const a = -3 + 6 * rand(), b = -3 + 6 * rand(), dd = -3 + 6 * rand();
    const m = (a + dd) / 2, r = Math.sqrt(((a - dd) / 2) ** 2 + b * b);
    const { eigenvalues, kind } = classifyCriticalPoint([[a, b], [b, dd]]);
    assert.ok(close(eigenvalues[0]!, m - r, 1e-10) && close(eigenvalues[1]!, m + r, 1e-10));
    assert.equal(kind, m - r > 0 ? 'minimum' : m + r < 0 ? 'maximum' : 'saddle');
  }
  assert.equal(classifyCriticalPoint([[2, 0], [0, 3]]).kind, 'minimum');
  assert.equal(classifyCriticalPoint([[-2, 0], [0, -3]]).kind, 'maximum');
  assert.equal(classifyCriticalPoint([[2, 0], [0, -3]]).kind, 'saddle');
  assert.equal(classifyCriticalPoint([[2, 0], [0, 0]]).kind, 'degenerate');
  assert.equal(classifyCriticalPoint([[1, 2], [3]]).kind, 'degenerate');
});

test('the Hessian of Rosenbrock\'s function at its minimum is positive definite', () => {
  const f: Expr = parseExpr('100*(y - x^2)^2 + (1 - x)^2');
  const H = compileVector(hessian(f, ['x', 'y']), ['x', 'y'])([1, 1]) as number[][];
  assert.deepEqual(H, [[802, -400], [-400, 200]]);
  assert.equal(classifyCriticalPoint(H).kind, 'minimum');
  const textbook = parseExpr('[400*x^3 - 400*x*y + 2*x - 2, 200*y - 200*x^2]');
  assert.deepEqual(checkEquivalent(gradient(f, ['x', 'y']), textbook), { equal: true, method: 'symbolic' });
});

test('a derivative asked for again is the one worked out before, while later ones keep coming, and stays right after it has aged out', () => {
  const f = parseExpr('x^2*y + sin(x*y)');
  const first = derivative(f, 'x');
  // several generations of the cache (4,096 expressions each) go by
  for (let i = 0; i < 12_000; i++) {
    derivative(parseExpr(`x^${i + 2}*y`), 'x');
    if (i % 1_000 === 0) assert.equal(derivative(f, 'x'), first, `kept while it is in use (${i})`);
  }
  for (let i = 0; i < 10_000; i++) derivative(parseExpr(`x^${i + 2}`), 'y');
  const again = derivative(f, 'x');
  assert.equal(toCalc(again), toCalc(first));
  assert.equal(toCalc(again), '2*x*y + y*cos(x*y)');
});
