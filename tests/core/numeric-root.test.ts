import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { newtonRaphson, newtonSystem } from '../../server/src/core/numeric/index.js';

// The course's sextic (language reference): f(x) = x⁶/6 − 3x⁴ − 2x³/3 + 27x²/2 + 18x − 30
const f = (x: number) => x ** 6 / 6 - 3 * x ** 4 - 2 * x ** 3 / 3 + 27 * x ** 2 / 2 + 18 * x - 30;
const df = (x: number) => x ** 5 - 12 * x ** 3 - 2 * x ** 2 + 27 * x + 18;
const close = (a: number, b: number, rel: number) => Math.abs(a - b) <= rel * Math.max(1, Math.abs(b));

/** Real roots of the sextic from numpy (an independent reference), or null without numpy. */
function numpyRealRoots(): number[] | null {
  for (const py of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(py, ['-c', 'import numpy as np, json; r = np.roots([1/6, 0, -3, -2/3, 27/2, 18, -30]); print(json.dumps(sorted(float(z.real) for z in r if abs(z.imag) < 1e-9)))'], { encoding: 'utf8' });
    if (r.status === 0) return JSON.parse(r.stdout) as number[];
  }
  return null;
}

test('Newton–Raphson on the course sextic from x = 1 converges to a root that numpy also finds', () => {
  const res = newtonRaphson({ f, df }, 1);
  assert.ok(res.converged, res.message);
  assert.equal(res.safeguard, undefined, 'plain Newton needs no safeguard from x = 1');
  assert.ok(res.iterations < 10);
  assert.equal(res.path[0]![0], 1);
  const roots = numpyRealRoots();
  assert.ok(roots, 'numpy is needed for the reference roots (scripts/setup-system.sh installs python3-numpy)');
  assert.ok(roots.some((r) => close(res.x[0]!, r, 1e-10)), `${res.x[0]} not among ${roots}`);
});

/** A 2-cycle of the Newton map N(x) = x − f/f′: a zero of N(N(x)) − x with N(x) ≠ x, found by bisection. */
function newtonTwoCycle(): number {
  const N = (x: number) => x - f(x) / df(x);
  const g = (x: number) => N(N(x)) - x;
  let best: { x: number; mult: number } | null = null;
  for (let a = -5; a < 5; a += 1e-3) {
    const b = a + 1e-3;
    const ga = g(a), gb = g(b);
    if (!(ga * gb < 0) || Math.abs(ga) > 1 || Math.abs(gb) > 1) continue;
    let lo = a, hi = b;
    for (let k = 0; k < 200; k++) { const mid = (lo + hi) / 2; if (g(lo) * g(mid) <= 0) hi = mid; else lo = mid; }
    const x = (lo + hi) / 2;
    if (Math.abs(N(x) - x) < 1e-3) continue; // a fixed point (a root), not a cycle
    // Multiplier of the cycle: N′(x)·N′(N(x)), N′ = f·f″/f′²; the least repelling cycle is followed longest.
    const d2 = (y: number) => 5 * y ** 4 - 36 * y ** 2 - 4 * y + 27;
    const Np = (y: number) => (f(y) * d2(y)) / df(y) ** 2;
    const mult = Math.abs(Np(x) * Np(N(x)));
    if (!best || mult < best.mult) best = { x, mult };
  }
  assert.ok(best, 'the sextic has a 2-cycle of Newton’s map');
  return best.x;
}

test('from a start on a cycle of Newton’s map, plain Newton–Raphson reports that it cycled', () => {
  const x0 = newtonTwoCycle();
  const plain = newtonRaphson({ f, df }, x0, { plain: true });
  assert.equal(plain.converged, false);
  assert.match(plain.message, /cycled between 2 points/);
  // The path really alternates between two points.
  const p = plain.path.map((q) => q[0]!);
  assert.ok(p.length >= 3 && close(p[2]!, p[0]!, 1e-6) && !close(p[1]!, p[0]!, 1e-3));
});

test('from the same start the safeguarded default converges and says which safeguard took over', () => {
  const x0 = newtonTwoCycle();
  const res = newtonRaphson({ f, df }, x0);
  assert.ok(res.converged, res.message);
  assert.ok(Math.abs(f(res.x[0]!)) < 1e-9);
  assert.equal(res.safeguard, 'bisection');
  assert.ok(res.notes.length > 0 && /bisection/.test(res.notes[0]!));
});

test('a zero derivative at the start is reported, and the safeguard brackets the root instead', () => {
  // f(x) = x² − 4 has f′(0) = 0.
  const plain = newtonRaphson({ f: (x) => x * x - 4, df: (x) => 2 * x }, 0, { plain: true });
  assert.equal(plain.converged, false);
  assert.match(plain.message, /derivative is zero/);
  const safe = newtonRaphson({ f: (x) => x * x - 4, df: (x) => 2 * x }, 0);
  assert.ok(safe.converged);
  assert.ok(close(Math.abs(safe.x[0]!), 2, 1e-12));
  assert.match(safe.notes[0]!, /derivative is zero.*sign change/);
});

test('plain Newton on the cube root diverges and says so; the safeguard still finds x = 0', () => {
  const fn = { f: (x: number) => Math.cbrt(x), df: (x: number) => 1 / (3 * Math.cbrt(x) ** 2) };
  const plain = newtonRaphson(fn, 1, { plain: true });
  assert.equal(plain.reason, 'diverged');
  assert.match(plain.message, /diverged/);
  const safe = newtonRaphson(fn, 1);
  assert.ok(safe.converged, safe.message);
  assert.ok(Math.abs(safe.x[0]!) < 1e-12);
});

test('Newton for a system finds the intersection of a circle and a line, damping where needed', () => {
  const F = {
    m: 2, n: 2,
    values: (x: Float64Array, r: Float64Array) => { r[0] = x[0]! ** 2 + x[1]! ** 2 - 4; r[1] = x[0]! - x[1]!; },
    jacobian: (x: Float64Array, J: Float64Array[]) => { J[0]!.set([2 * x[0]!, 2 * x[1]!]); J[1]!.set([1, -1]); },
  };
  const res = newtonSystem(F, [1, 3]);
  assert.ok(res.converged, res.message);
  assert.ok(close(res.x[0]!, Math.SQRT2, 1e-12) && close(res.x[1]!, Math.SQRT2, 1e-12));
  // From a point where J is singular (x = y = 0) it says so and continues with Levenberg–Marquardt.
  const sing = newtonSystem(F, [0, 0]);
  assert.ok(sing.notes.some((n) => /singular/.test(n)));
});

test('a function that only approaches 0 has no root, however small |f| gets far out (exp(x), 1/x, exp(-x²))', () => {
  for (const [name, fn] of [
    ['exp(x)', { f: Math.exp, df: Math.exp }],
    ['1/x', { f: (x: number) => 1 / x, df: (x: number) => -1 / (x * x) }],
    ['exp(-x^2)', { f: (x: number) => Math.exp(-x * x), df: (x: number) => -2 * x * Math.exp(-x * x) }],
  ] as const) {
    const res = newtonRaphson(fn, name === 'exp(x)' ? 0 : 1);
    assert.equal(res.converged, false, `${name}: ${res.message}`);
    assert.match(res.message, /approaches 0 without reaching it/, name);
  }
  // the same for a system: F = (exp(x), y) has no zero
  const sys = newtonSystem({ m: 2, n: 2, values: (x, r) => { r[0] = Math.exp(x[0]!); r[1] = x[1]!; }, jacobian: (x, J) => { J[0]!.set([Math.exp(x[0]!), 0]); J[1]!.set([0, 1]); } }, [0, 1]);
  assert.equal(sys.converged, false, sys.message);
});

test('at a multiple root Newton goes on until its steps settle, and closing in is not called a cycle', () => {
  // x³ and (x − 1)² converge only linearly: |f| is below the tolerance long before x is near the root
  const cube = newtonRaphson({ f: (x) => x ** 3, df: (x) => 3 * x * x }, 1);
  assert.ok(cube.converged && Math.abs(cube.x[0]!) < 1e-7, `${cube.x[0]}: ${cube.message}`);
  const square = newtonRaphson({ f: (x) => (x - 1) ** 2, df: (x) => 2 * (x - 1) }, 3);
  assert.ok(square.converged && Math.abs(square.x[0]! - 1) < 1e-7, square.message);
  assert.deepEqual(square.notes.filter((n) => /cycled/.test(n)), []);
  // (x² − y², 2xy) has a double zero at the origin (the language reference's `root u near [1, 1]`)
  const u = newtonSystem({ m: 2, n: 2, values: (x, r) => { r[0] = x[0]! ** 2 - x[1]! ** 2; r[1] = 2 * x[0]! * x[1]!; }, jacobian: (x, J) => { J[0]!.set([2 * x[0]!, -2 * x[1]!]); J[1]!.set([2 * x[1]!, 2 * x[0]!]); } }, [1, 1]);
  assert.ok(u.converged && Math.hypot(u.x[0]!, u.x[1]!) < 1e-7, `${u.x}: ${u.message}`);
});

test('a root of high multiplicity is found, with how accurate it is; a tail is not a root even at the start', () => {
  // (x − 1)^m: Newton's steps shrink by (m − 1)/m, too slowly to settle in 100 iterations for m ≥ 8
  for (const m of [8, 10, 20]) {
    const res = newtonRaphson({ f: (x) => (x - 1) ** m, df: (x) => m * (x - 1) ** (m - 1) }, 2);
    assert.ok(res.converged && Math.abs(res.x[0]! - 1) < 1e-2, `m = ${m}: ${res.x[0]} ${res.message}`);
    assert.match(res.notes.join(' '), new RegExp(`multiplicity about ${m}`));
  }
  // a system whose Newton iterates reach a 4-fold zero, where the Jacobian becomes singular
  const quartic = newtonSystem({ m: 2, n: 2, values: (x, r) => { r[0] = (x[0]! - 1) ** 4; r[1] = x[1]! - 2; }, jacobian: (x, J) => { J[0]!.set([4 * (x[0]! - 1) ** 3, 0]); J[1]!.set([0, 1]); } }, [2, 0]);
  assert.ok(quartic.converged && Math.abs(quartic.x[0]! - 1) < 1e-3 && Math.abs(quartic.x[1]! - 2) < 1e-12, `${quartic.x}: ${quartic.message}`);
  // exactly zero at the start is a root, whatever the Jacobian there
  const zero = newtonSystem({ m: 2, n: 2, values: (x, r) => { r[0] = x[0]! ** 2 + x[1]! ** 2; r[1] = x[0]! - x[1]!; }, jacobian: (x, J) => { J[0]!.set([2 * x[0]!, 2 * x[1]!]); J[1]!.set([1, -1]); } }, [0, 0]);
  assert.ok(zero.converged && zero.iterations === 0, zero.message);
  // |f| below the tolerance at the start is not a root when Newton would still step far (exp(x) at −40)
  assert.equal(newtonRaphson({ f: Math.exp, df: Math.exp }, -40).converged, false);
  const tail = newtonSystem({ m: 2, n: 2, values: (x, r) => { r[0] = Math.exp(x[0]!); r[1] = x[1]!; }, jacobian: (x, J) => { J[0]!.set([Math.exp(x[0]!), 0]); J[1]!.set([0, 1]); } }, [-40, 0]);
  assert.equal(tail.converged, false, tail.message);
});
