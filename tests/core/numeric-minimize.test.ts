import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkOptimum, lagrange, maximize, minimize, objectiveFromExpr, type Objective } from '../../server/src/core/numeric/index.js';
import { parseExpr } from '../../server/src/core/semantics/lower';

const close = (a: number, b: number, rel: number) => Math.abs(a - b) <= rel * Math.max(1, Math.abs(b));

// Rosenbrock f = 100(y − x²)² + (1 − x)², minimum 0 at (1, 1) (Rosenbrock 1960).
const rosen: Objective = {
  n: 2,
  f: (x) => 100 * (x[1]! - x[0]! ** 2) ** 2 + (1 - x[0]!) ** 2,
  grad: (x, g) => {
    g[0] = -400 * x[0]! * (x[1]! - x[0]! ** 2) - 2 * (1 - x[0]!);
    g[1] = 200 * (x[1]! - x[0]! ** 2);
    return 100 * (x[1]! - x[0]! ** 2) ** 2 + (1 - x[0]!) ** 2;
  },
  hess: (x) => [[1200 * x[0]! ** 2 - 400 * x[1]! + 2, -400 * x[0]!], [-400 * x[0]!, 200]],
};

for (const method of ['bfgs', 'newton', 'trust-newton', 'auto'] as const) {
  test(`${method} minimises Rosenbrock from (−1.2, 1) to (1, 1) and reports why it stopped`, () => {
    const res = minimize(rosen, [-1.2, 1], { method });
    assert.ok(res.converged, res.message);
    assert.ok(close(res.x[0]!, 1, 1e-7) && close(res.x[1]!, 1, 1e-7), String(res.x));
    assert.ok(res.f < 1e-14);
    assert.deepEqual(res.path[0], [-1.2, 1]);
    assert.equal(res.path.length, res.iterations + 1);
    assert.equal(res.history.length, res.path.length);
    assert.ok(['gradient', 'step', 'value'].includes(res.reason));
    assert.ok(res.message.length > 0);
  });
}

test('the default method says which method it used', () => {
  assert.equal(minimize(rosen, [-1.2, 1]).method, 'trust-newton');
  const noHess: Objective = { n: 2, f: rosen.f, grad: rosen.grad };
  const res = minimize(noHess, [-1.2, 1]);
  assert.equal(res.method, 'bfgs');
  assert.ok(res.notes.some((n) => /BFGS/.test(n)));
});

// f = x² + 10y²: L = 20, so a fixed step converges for η < 2/20 = 0.1 and diverges beyond.
const bowl: Objective = {
  n: 2,
  f: (x) => x[0]! ** 2 + 10 * x[1]! ** 2,
  grad: (x, g) => { g[0] = 2 * x[0]!; g[1] = 20 * x[1]!; return x[0]! ** 2 + 10 * x[1]! ** 2; },
};

test('gradient descent with a small fixed step converges to the minimum of a quadratic bowl', () => {
  const res = minimize(bowl, [1, 1], { method: 'gd', step: 0.05 });
  assert.ok(res.converged, res.message);
  assert.ok(Math.abs(res.x[0]!) < 1e-8 && Math.abs(res.x[1]!) < 1e-8);
});

test('gradient descent with a step that is too large diverges and says the step is too large', () => {
  const res = minimize(bowl, [1, 1], { method: 'gd', step: 0.15 });
  assert.equal(res.converged, false);
  assert.equal(res.reason, 'diverged');
  assert.match(res.message, /step η = 0.15 is too large/);
  // The secant estimate of the curvature finds L = 20, so the bound 2/L = 0.1.
  assert.match(res.message, /η < 2\/L ≈ 0\.1\b/);
});

test('backtracking gradient descent converges where the fixed step diverged', () => {
  const res = minimize(bowl, [1, 1], { method: 'gd-armijo' });
  assert.ok(res.converged, res.message);
  assert.ok(res.f < 1e-16);
});

test('Newton modifies an indefinite Hessian and says so', () => {
  // f = x⁴ − 2x² + y² has a saddle-like start at x = 0.1 (f″ < 0 there); minima at x = ±1.
  const f: Objective = {
    n: 2,
    f: (x) => x[0]! ** 4 - 2 * x[0]! ** 2 + x[1]! ** 2,
    grad: (x, g) => { g[0] = 4 * x[0]! ** 3 - 4 * x[0]!; g[1] = 2 * x[1]!; return x[0]! ** 4 - 2 * x[0]! ** 2 + x[1]! ** 2; },
    hess: (x) => [[12 * x[0]! ** 2 - 4, 0], [0, 2]],
  };
  const res = minimize(f, [0.1, 1], { method: 'newton' });
  assert.ok(res.converged);
  assert.ok(close(Math.abs(res.x[0]!), 1, 1e-9));
  assert.ok(res.notes.some((n) => /not positive definite/.test(n)));
});

test('a function unbounded below is reported as diverging, not as a minimum', () => {
  const lin: Objective = { n: 1, f: (x) => -x[0]!, grad: (x, g) => { g[0] = -1; return -x[0]!; } };
  const res = minimize(lin, [0], { method: 'bfgs' });
  assert.equal(res.converged, false);
  assert.equal(res.reason, 'diverged');
});

test('no method calls a point on an unbounded f a minimum, however large |f| grows and however small ∇f is beside it', () => {
  // f = −x: the gradient is 1 everywhere; a test relative to |f| alone passed once |f| reached 1e10
  const lin = objectiveFromExpr(parseExpr('-x'), ['x']);
  for (const method of ['auto', 'bfgs', 'newton', 'trust-newton', 'gd', 'gd-armijo'] as const) {
    const res = minimize(lin, [0], { method });
    assert.equal(res.converged, false, `${method}: ${res.message}`);
  }
  // a convex quadratic has no maximum; x² − y² no minimum (the default method used to stop at 1e10
  // and call the gradient zero there)
  const bowl = objectiveFromExpr(parseExpr('x^2 + 3*y^2 - 2*x*y + 4*x'), ['x', 'y']);
  const up = maximize(bowl, [0, 0]);
  assert.equal(up.converged, false, up.message);
  assert.match(up.message, /f increases without bound .*: there is no maximum\./);
  assert.equal(minimize(objectiveFromExpr(parseExpr('x^2 - y^2'), ['x', 'y']), [1, 0]).converged, false);
  // exp(x) has no minimum: its gradient falls below any tolerance on its tail, where the run stops;
  // f still falls four times as far along the slope as the curvature puts a minimum
  const exp = objectiveFromExpr(parseExpr('exp(x)'), ['x']);
  const tail = minimize(exp, [0]);
  assert.match(checkOptimum(exp, tail.x, 'minimize').notOptimal ?? '', /goes on falling/, tail.message);
  // a flat minimum stopped short of (x⁴ with a loose tol): f is lower past it too, but the slope has turned
  for (const [text, n, x0, tol] of [['x^4', 1, [1], 1e-4], ['0.000001*x^4', 1, [1], undefined], ['(x - 1)^4 + (y - 2)^4', 2, [0, 0], 1e-5], ['cosh(x) - 1 - x^2/2', 1, [1], 1e-5]] as const) {
    const obj = objectiveFromExpr(parseExpr(text), ['x', 'y'].slice(0, n));
    const res = minimize(obj, [...x0], tol ? { gradTol: tol } : {});
    assert.ok(res.converged, `${text}: ${res.message}`);
    assert.equal(checkOptimum(obj, res.x, 'minimize').notOptimal, undefined, text);
  }
  // a minimum stopped short of with a loose tol is still one: f is higher again that far
  const [loose] = [minimize(objectiveFromExpr(parseExpr('(x - 1)^2'), ['x']), [0], { method: 'gd', step: 0.1, gradTol: 0.1 })];
  assert.ok(loose.converged && Math.abs(loose.x[0]! - 1) > 1e-3, loose.message);
  assert.deepEqual(checkOptimum(objectiveFromExpr(parseExpr('(x - 1)^2'), ['x']), loose.x, 'minimize'), {});
  // a problem whose f is large at its minimum is still solved to a tolerance relative to f
  const scaled = minimize(objectiveFromExpr(parseExpr('1000000 + 1000000*(x - 3)^2'), ['x']), [0], { method: 'bfgs' });
  assert.ok(scaled.converged && Math.abs(scaled.x[0]! - 3) < 1e-6, scaled.message);
});

test('gradient descent with a step of exactly 2/L jumps back and forth with f unchanged, and says the step is too large', () => {
  // x² + 10y² has L = 20: with η = 0.1 = 2/L, y flips between 1 and −1 and f stays 10 (it was called converged)
  for (const [text, vars, x0, step] of [['x^2 + 10*y^2', ['x', 'y'], [1, 1], 0.1], ['x^2', ['x'], [5], 1]] as const) {
    const res = minimize(objectiveFromExpr(parseExpr(text), [...vars]), [...x0], { method: 'gd', step });
    assert.equal(res.converged, false, `${text}: ${res.message}`);
    assert.equal(res.reason, 'diverged');
    assert.match(res.message, /back and forth .* is too large/);
  }
  // f that merely stops changing, at a minimum, is convergence
  const rest = minimize(objectiveFromExpr(parseExpr('(x - 1)^2 + 5'), ['x']), [0], { method: 'gd', step: 0.1 });
  assert.ok(rest.converged && Math.abs(rest.x[0]! - 1) < 1e-6, rest.message);
});

test('maximize finds the maximum of −(x − 1)² − (y + 2)² + 3 and reports the maximum value', () => {
  const f: Objective = {
    n: 2,
    f: (x) => -((x[0]! - 1) ** 2) - (x[1]! + 2) ** 2 + 3,
    grad: (x, g) => { g[0] = -2 * (x[0]! - 1); g[1] = -2 * (x[1]! + 2); return -((x[0]! - 1) ** 2) - (x[1]! + 2) ** 2 + 3; },
  };
  const res = maximize(f, [0, 0]);
  assert.ok(res.converged);
  assert.ok(close(res.f, 3, 1e-12));
  assert.ok(close(res.x[0]!, 1, 1e-8) && close(res.x[1]!, -2, 1e-8));
});

test('shouldStop ends a run with reason "stopped", and onProgress sees every iteration', () => {
  let calls = 0;
  const res = minimize(rosen, [-1.2, 1], { method: 'gd', step: 1e-4, shouldStop: () => calls >= 5, onProgress: () => { calls++; } });
  assert.equal(res.reason, 'stopped');
  assert.ok(calls >= 5);
});

test('Lagrange multipliers: extrema of x + y on the unit circle are ±√2, classified max and min', () => {
  const f: Objective = { n: 2, f: (x) => x[0]! + x[1]!, grad: (x, g) => { g[0] = 1; g[1] = 1; return x[0]! + x[1]!; }, hess: () => [[0, 0], [0, 0]] };
  const g: Objective = {
    n: 2, f: (x) => x[0]! ** 2 + x[1]! ** 2 - 1,
    grad: (x, gr) => { gr[0] = 2 * x[0]!; gr[1] = 2 * x[1]!; return x[0]! ** 2 + x[1]! ** 2 - 1; },
    hess: () => [[2, 0], [0, 2]],
  };
  const res = lagrange(f, [g]);
  assert.equal(res.candidates.length, 2);
  const max = res.candidates[res.max]!, min = res.candidates[res.min]!;
  assert.ok(close(max.f, Math.SQRT2, 1e-12) && close(min.f, -Math.SQRT2, 1e-12));
  assert.equal(max.kind, 'max');
  assert.equal(min.kind, 'min');
  // ∇f = λ∇g: 1 = 2λx at x = 1/√2 gives λ = 1/√2.
  assert.ok(close(max.lambda[0]!, Math.SQRT1_2, 1e-12));
});

test('Lagrange multipliers with two constraints: extrema of z on the circle x² + y² = 1, x + y + z = 0', () => {
  // On the intersection z = −(x + y), so the extrema are z = ∓√2 at x = y = ±1/√2.
  const f: Objective = { n: 3, f: (x) => x[2]!, grad: (_x, g) => { g.set([0, 0, 1]); return _x[2]!; }, hess: () => [[0, 0, 0], [0, 0, 0], [0, 0, 0]] };
  const c1: Objective = { n: 3, f: (x) => x[0]! ** 2 + x[1]! ** 2 - 1, grad: (x, g) => { g.set([2 * x[0]!, 2 * x[1]!, 0]); return x[0]! ** 2 + x[1]! ** 2 - 1; }, hess: () => [[2, 0, 0], [0, 2, 0], [0, 0, 0]] };
  const c2: Objective = { n: 3, f: (x) => x[0]! + x[1]! + x[2]!, grad: (x, g) => { g.set([1, 1, 1]); return x[0]! + x[1]! + x[2]!; }, hess: () => [[0, 0, 0], [0, 0, 0], [0, 0, 0]] };
  const res = lagrange(f, [c1, c2]);
  assert.equal(res.candidates.length, 2);
  assert.ok(close(res.candidates[res.max]!.f, Math.SQRT2, 1e-12));
  assert.ok(close(res.candidates[res.min]!.f, -Math.SQRT2, 1e-12));
  assert.equal(res.candidates[res.max]!.kind, 'max');
  assert.equal(res.candidates[res.min]!.kind, 'min');
});

test('a saddle on the constraint is classified as a saddle', () => {
  // f = x² − y² + z² on the plane z = 0: the origin is a saddle of the restriction.
  const f: Objective = { n: 3, f: (x) => x[0]! ** 2 - x[1]! ** 2 + x[2]! ** 2, grad: (x, g) => { g.set([2 * x[0]!, -2 * x[1]!, 2 * x[2]!]); return x[0]! ** 2 - x[1]! ** 2 + x[2]! ** 2; }, hess: () => [[2, 0, 0], [0, -2, 0], [0, 0, 2]] };
  const c: Objective = { n: 3, f: (x) => x[2]!, grad: (_x, g) => { g.set([0, 0, 1]); return _x[2]!; }, hess: () => [[0, 0, 0], [0, 0, 0], [0, 0, 0]] };
  const res = lagrange(f, [c]);
  assert.equal(res.candidates.length, 1);
  assert.equal(res.candidates[0]!.kind, 'saddle');
});

test('an objective that is undefined at the start is reported, not thrown', () => {
  const f: Objective = { n: 1, f: (x) => Math.log(x[0]!), grad: (x, g) => { g[0] = 1 / x[0]!; return Math.log(x[0]!); } };
  const res = minimize(f, [-1], { method: 'bfgs' });
  assert.equal(res.converged, false);
  assert.equal(res.reason, 'failed');
  assert.match(res.message, /not finite at the starting point/);
});

test('a line search steps back inside the domain when a trial point is undefined', () => {
  // f = x − log(x) has its minimum at x = 1; long steps towards x ≤ 0 give NaN.
  const f: Objective = {
    n: 1, f: (x) => x[0]! - Math.log(x[0]!),
    grad: (x, g) => { g[0] = 1 - 1 / x[0]!; return x[0]! - Math.log(x[0]!); },
    hess: (x) => [[1 / x[0]! ** 2]],
  };
  for (const method of ['bfgs', 'trust-newton', 'newton', 'gd-armijo'] as const) {
    const res = minimize(f, [8], { method });
    assert.ok(res.converged, `${method}: ${res.message}`);
    // f − f* ≈ ½(x − 1)², so a minimiser located from f values alone is good to about √ε.
    assert.ok(close(res.x[0]!, 1, 1e-6), `${method}: ${res.x[0]}`);
  }
});

test('the wrong number of starting values is an error in the result', () => {
  const res = minimize(rosen, [1]);
  assert.equal(res.converged, false);
  assert.match(res.message, /Expected 2 starting values/);
});

test('started exactly on a saddle, the default method leaves it along the negative curvature and says so', () => {
  // f = x⁴/4 − x²/2 + y²: ∇f(0, 0) = 0 but f_xx(0, 0) = −1; the minima are at x = ±1, y = 0.
  const f: Objective = {
    n: 2,
    f: (x) => x[0]! ** 4 / 4 - x[0]! ** 2 / 2 + x[1]! ** 2,
    grad: (x, g) => { g[0] = x[0]! ** 3 - x[0]!; g[1] = 2 * x[1]!; return x[0]! ** 4 / 4 - x[0]! ** 2 / 2 + x[1]! ** 2; },
    hess: (x) => [[3 * x[0]! ** 2 - 1, 0], [0, 2]],
  };
  const res = minimize(f, [0, 0]);
  assert.ok(res.converged, res.message);
  assert.ok(close(Math.abs(res.x[0]!), 1, 1e-8) && Math.abs(res.x[1]!) < 1e-8, String(res.x));
  assert.ok(close(res.f, -0.25, 1e-12));
  assert.ok(res.notes.some((n) => /saddle point/.test(n)));
});

test('on an unbounded constraint a single local maximum is not also called the minimum', () => {
  // f = xy on x + y = 1: f = x(1 − x), a maximum 1/4 at (1/2, 1/2) and no minimum.
  const f: Objective = { n: 2, f: (x) => x[0]! * x[1]!, grad: (x, g) => { g[0] = x[1]!; g[1] = x[0]!; return x[0]! * x[1]!; }, hess: () => [[0, 1], [1, 0]] };
  const c: Objective = { n: 2, f: (x) => x[0]! + x[1]! - 1, grad: (x, g) => { g[0] = 1; g[1] = 1; return x[0]! + x[1]! - 1; }, hess: () => [[0, 0], [0, 0]] };
  const res = lagrange(f, [c]);
  assert.equal(res.candidates.length, 1);
  assert.equal(res.candidates[0]!.kind, 'max');
  assert.ok(close(res.candidates[0]!.f, 0.25, 1e-14));
  assert.equal(res.max, 0);
  assert.equal(res.min, -1);
  assert.match(res.message, /none of them is a constrained minimum/);
});

test('when ∇f is never parallel to the constraint gradient there are no candidates, and the message says so', () => {
  const f: Objective = { n: 2, f: (x) => x[0]! + x[1]!, grad: (x, g) => { g[0] = 1; g[1] = 1; return x[0]! + x[1]!; }, hess: () => [[0, 0], [0, 0]] };
  const c: Objective = { n: 2, f: (x) => x[0]! - x[1]!, grad: (x, g) => { g[0] = 1; g[1] = -1; return x[0]! - x[1]!; }, hess: () => [[0, 0], [0, 0]] };
  const res = lagrange(f, [c]);
  assert.equal(res.candidates.length, 0);
  assert.match(res.message, /No point/);
});

test('a long gradient-descent path is thinned evenly, and each kept point is the iterate of the iteration it names', () => {
  // f = x²/2 with a fixed step h: x_k = (1 − h)^k · x0 exactly, so every kept point can be checked.
  const h = 1e-4, x0 = 1;
  const quad: Objective = { n: 1, f: (x) => x[0]! ** 2 / 2, grad: (x, g) => { g[0] = x[0]!; return x[0]! ** 2 / 2; } };
  const r = minimize(quad, [x0], { method: 'gd', step: h, maxIter: 5000, maxPath: 300, gradTol: 0, stepTol: 0, valueTol: 0 });
  assert.equal(r.iterations, 5000);
  assert.ok(r.path.length <= 301 && r.path.length > 150, `${r.path.length} points`);
  const its = r.history.map((p) => p.iteration);
  assert.equal(its[0], 0);
  assert.equal(its[its.length - 1], 5000);
  // the same number of iterations between kept points, up to the last, which is kept whatever its number
  const gaps = its.slice(1).map((k, i) => k - its[i]!);
  assert.deepEqual([...new Set(gaps.slice(0, -1))], [32]);
  assert.ok(gaps[gaps.length - 1]! <= 32);
  r.path.forEach(([x], i) => assert.ok(close(x!, x0 * (1 - h) ** its[i]!, 1e-12), `iteration ${its[i]}: ${x}`));
});

test('a zero gradient is called a minimum only when f does not fall nearby (x³ and x⁴ − y⁴ at 0 are not minima)', () => {
  const at0 = (text: string, n: number) => [objectiveFromExpr(parseExpr(text), ['x', 'y'].slice(0, n)), new Array<number>(n).fill(0)] as const;
  // saddle: the Hessian of x² − y² is diag(2, −2); f falls along y
  const [saddle, p2] = at0('x^2 - y^2', 2);
  assert.match(checkOptimum(saddle, p2, 'minimize').notOptimal ?? '', /negative eigenvalue \(-2\)/);
  // degenerate: f''(0) = 0 for x³ and x⁴ − y⁴, and f(−h) = −h³ < 0, f(0, h) = −h⁴ < 0
  for (const [text, n] of [['x^3', 1], ['x^4 - y^4', 2]] as const) {
    const [f, p] = at0(text, n);
    assert.match(checkOptimum(f, p, 'minimize').notOptimal ?? '', /lower nearby/, text);
  }
  // x³ has no maximum at 0 either: f(h) = h³ > 0
  const [cube, p1] = at0('x^3', 1);
  assert.match(checkOptimum(cube, p1, 'maximize').notOptimal ?? '', /higher nearby/);
  // genuine optima: strict (nothing to say), and degenerate but real (x⁴ + y² at 0; −x⁴ for a maximum)
  const [bowl] = at0('(x - 1)^2 + y^2', 2);
  assert.deepEqual(checkOptimum(bowl, [1, 0], 'minimize'), {});
  const [flat, r2] = at0('x^4 + y^2', 2);
  const verdict = checkOptimum(flat, r2, 'minimize');
  assert.equal(verdict.notOptimal, undefined);
  assert.match(verdict.note ?? '', /second-derivative test is not conclusive/);
  // a loose tolerance stops near, not on, the valley xy = 1 of minima of (xy − 1)²: the Hessian there has a
  // tiny negative eigenvalue from the leftover slope, and f does not fall once that slope is taken off
  const valley = objectiveFromExpr(parseExpr('(x*y - 1)^2'), ['x', 'y']);
  const stop = minimize(valley, [2, 2], { method: 'bfgs', gradTol: 1e-4 });
  assert.ok(stop.converged && stop.f < 1e-8, stop.message);
  assert.equal(checkOptimum(valley, stop.x, 'minimize').notOptimal, undefined);
  // a saddle far from the origin, or with a steep quartic, is still a saddle: its curvature −2 decides
  // ((x − 1000)² − y² + y⁴ at (1000, 0); x² − y² + 10⁶y⁴ at 0), for maximize too (mirrored)
  const far = objectiveFromExpr(parseExpr('(x - 1000)^2 - y^2 + y^4'), ['x', 'y']);
  assert.match(checkOptimum(far, [1000, 0], 'minimize').notOptimal ?? '', /negative eigenvalue \(-2\)/);
  const steep = objectiveFromExpr(parseExpr('x^2 - y^2 + 1000000*y^4'), ['x', 'y']);
  assert.match(checkOptimum(steep, [0, 0], 'minimize').notOptimal ?? '', /negative eigenvalue/);
  // a shallow saddle met with a loose tol: x² − 0.02y² + y⁴ has its minima at y = ±0.1, and at (4e-4, 0)
  // the leftover slope is larger than the curvature −0.04, but f along y still falls
  const shallow = objectiveFromExpr(parseExpr('x^2 - 0.02*y^2 + y^4'), ['x', 'y']);
  const loose = minimize(shallow, [1, 0], { method: 'newton', gradTol: 1e-3 });
  assert.match(checkOptimum(shallow, loose.x, 'minimize').notOptimal ?? '', /negative eigenvalue/, String(loose.x));
  const mirrored = objectiveFromExpr(parseExpr('-(x - 1000)^2 + y^2 - y^4'), ['x', 'y']);
  assert.match(checkOptimum(mirrored, [1000, 0], 'maximize').notOptimal ?? '', /positive eigenvalue \(2\)/);
  const [cap, r1] = at0('-x^4', 1);
  assert.equal(checkOptimum(cap, r1, 'maximize').notOptimal, undefined);
});

test('Lagrange: where the constraint gradient vanishes the multiplier rule finds nothing, and the note names that point', () => {
  const xy = (text: string) => objectiveFromExpr(parseExpr(text), ['x', 'y']);
  // min x on y² = x³ is at the cusp (0, 0), where ∇g = 0; (x − 1)² + y² = 0 is the single point (1, 0)
  // (an infeasible "minimum" at (−0.0042, 2.7e−31) with λ ≈ −19000 was reported for the first)
  for (const [f, g, point] of [['x', 'y^2 - x^3', /\(0, 0\)/], ['x^2 + y^2', '(x - 1)^2 + y^2', /\(1, 0\)/]] as const) {
    const r = lagrange(xy(f), [xy(g)]);
    assert.deepEqual(r.candidates, [], `${f} on ${g}`);
    assert.match(r.notes.join(' '), point);
    assert.match(r.notes.join(' '), /gradient vanishes/);
  }
  // no real points, or no extremum on a line: said so, not "try another form"
  assert.match(lagrange(xy('x + y'), [xy('x - y - 1')]).notes.join(' '), /no real points .*, f no extremum on it .*, or its stationary points may lie beyond/);
  // x + y on xy = 1: a local maximum −2 below a local minimum 2; f is unbounded both ways there
  const hyperbola = lagrange(xy('x + y'), [xy('x*y - 1')]);
  assert.match(hyperbola.notes.join(' '), /maximum found is below the minimum found, so both are only local/);
  // x²y on the unit circle: the candidates at (0, ±1) have x = 0 and λ = 0 exactly, not 1e-27
  const circle = lagrange(xy('x^2*y'), [xy('x^2 + y^2 - 1')]);
  const poles = circle.candidates.filter((c) => Math.abs(c.x[1]!) > 0.99);
  assert.equal(poles.length, 2);
  for (const c of poles) { assert.equal(c.x[0], 0); assert.deepEqual(c.lambda, [0]); assert.equal(c.f, 0); }
});
