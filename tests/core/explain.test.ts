import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { analyze } from '../../server/src/core/analysis';
import {
  CRITICAL_GRADIENT_TOLERANCE, MAX_SYMBOLIC_HESSIAN_VARS, describeFunction, explainChain, explainFunction, explainResult,
} from '../../server/src/core/analyses/explain';
import { type Expr, type Vec, seeded, toUnicode } from '../../server/src/core/calculus/index';
import { evaluate } from '../../server/src/core/semantics/evaluate';

const close = (a: number, b: number, rel = 1e-9): boolean => Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b));

/** Evaluates a symbolic result at a point. */
function at(e: Expr, env: Record<string, number>): number {
  const v = evaluate(e, new Map(Object.entries(env)));
  assert.equal(typeof v, 'number');
  return v as number;
}

/** Random points in [-2, 2]^n from a seeded generator. */
function points(names: string[], count = 20, seed = 7): Record<string, number>[] {
  const rnd = seeded(seed);
  return Array.from({ length: count }, () => Object.fromEntries(names.map((n) => [n, 4 * rnd() - 2])));
}

test('the gradient and Hessian of x^2*y agree with the textbook derivatives 2xy, x², [[2y, 2x], [2x, 0]]', () => {
  const fe = explainFunction(analyze('f(x, y) = x^2*y'), 'f')!;
  assert.equal(fe.valued, 'scalar');
  const [fx, fy] = fe.gradient!.items;
  const H = fe.hessian!.items.map((r) => (r as Vec).items);
  for (const p of points(['x', 'y'])) {
    const { x, y } = p as { x: number; y: number };
    assert.ok(close(at(fx!, p), 2 * x * y));
    assert.ok(close(at(fy!, p), x * x));
    assert.ok(close(at(H[0]![0]!, p), 2 * y));
    assert.ok(close(at(H[0]![1]!, p), 2 * x));
    assert.ok(close(at(H[1]![0]!, p), 2 * x));
    assert.ok(close(at(H[1]![1]!, p), 0));
  }
  // simplified as a textbook prints them
  assert.deepEqual(fe.gradient!.items.map(toUnicode), ['2xy', 'x²']);
});

test('a vector-valued function gets its Jacobian, not a gradient or Hessian', () => {
  const fe = explainFunction(analyze('u(x, y) = [x^2 - y^2, 2*x*y]'), 'u', [1, 2])!;
  assert.equal(fe.valued, 'vector');
  assert.equal(fe.gradient, undefined);
  assert.equal(fe.hessian, undefined);
  const J = fe.jacobian!.items.map((r) => (r as Vec).items);
  for (const p of points(['x', 'y'])) {
    const { x, y } = p as { x: number; y: number };
    const want = [[2 * x, -2 * y], [2 * y, 2 * x]];
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) assert.ok(close(at(J[i]![j]!, p), want[i]![j]!));
  }
  assert.deepEqual(fe.at!.value, [1 - 4, 4]);
  assert.deepEqual(fe.at!.jacobian, [[2, -4], [4, 2]]);
});

test('values at a point: f, ∇f and the Hessian of x^2*y at (3, -1)', () => {
  const fe = explainFunction(analyze('f(x, y) = x^2*y'), 'f', [3, -1])!;
  const v = fe.at!;
  assert.ok(close(v.value as number, -9));
  assert.ok(close(v.gradient![0]!, -6) && close(v.gradient![1]!, 9));
  assert.ok(close(v.hessian![0]![0]!, -2) && close(v.hessian![0]![1]!, 6) && close(v.hessian![1]![1]!, 0));
  assert.equal(v.critical, undefined, 'the gradient does not vanish, so there is no verdict');
});

test('the critical-point verdict: minimum, maximum, saddle, degenerate', () => {
  const cases: [string, 'minimum' | 'maximum' | 'saddle' | 'degenerate'][] = [
    ['x^2 + y^2', 'minimum'], ['-x^2 - 3*y^2', 'maximum'], ['x^2 - y^2', 'saddle'], ['x^4 + y^4', 'degenerate'],
    ['x^2 + x*y + y^2 + z^2', 'minimum'],
  ];
  for (const [body, kind] of cases) {
    const params = body.includes('z') ? 'x, y, z' : 'x, y';
    const zero = params.split(', ').map(() => 0);
    const fe = explainFunction(analyze(`f(${params}) = ${body}`), 'f', zero)!;
    assert.equal(fe.at!.critical, kind, body);
  }
});

test('a point whose gradient is above the tolerance gets no verdict, one within it does', () => {
  const a = analyze('f(x) = (x - 1)^2');
  assert.equal(explainFunction(a, 'f', [1 + 1e-3])!.at!.critical, undefined);
  assert.equal(explainFunction(a, 'f', [1 + CRITICAL_GRADIENT_TOLERANCE / 10])!.at!.critical, 'minimum');
});

test('Hessian eigenvalues and verdicts agree with SymPy at the critical points of several functions', () => {
  const python = ['python3', '/usr/bin/python3'].find((p) => spawnSync(p, ['-c', 'import sympy'], { encoding: 'utf8' }).status === 0);
  assert.ok(python, 'a Python with SymPy is needed (scripts/setup-system.sh installs python3-sympy)');
  const cases: [string, number[]][] = [
    ['x^3 - 3*x + y^2', [1, 0]], ['x^3 - 3*x + y^2', [-1, 0]], ['x*y*exp(-(x^2 + y^2)/2)', [1, 1]],
    ['x*y*exp(-(x^2 + y^2)/2)', [1, -1]], ['(1 - x)^2 + 100*(y - x^2)^2', [1, 1]],
  ];
  const script = `
import sys, json, sympy as sp
x, y = sp.symbols('x y')
out = []
for body, pt in json.loads(sys.stdin.read()):
    f = sp.sympify(body.replace('^', '**'))
    H = sp.hessian(f, (x, y)).subs({x: pt[0], y: pt[1]})
    ev = sorted(float(sp.re(v)) for v, m in H.eigenvals().items() for _ in range(m))
    out.append(ev)
print(json.dumps(out))`;
  const r = spawnSync(python!, ['-c', script], { input: JSON.stringify(cases), encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const want = JSON.parse(r.stdout) as number[][];
  cases.forEach(([body, pt], i) => {
    const fe = explainFunction(analyze(`f(x, y) = ${body}`), 'f', pt)!;
    const ev = fe.at!.eigenvalues!;
    want[i]!.forEach((w, k) => assert.ok(close(ev[k]!, w, 1e-9), `${body} at ${pt}: ${ev} vs ${want[i]}`));
    const kind = want[i]!.every((l) => l > 0) ? 'minimum' : want[i]!.every((l) => l < 0) ? 'maximum' : 'saddle';
    assert.equal(fe.at!.critical, kind, body);
  });
});

test('the chain rule of g(t) = f(cos(t), sin(t)) shows each factor, and the factors multiply to dg/dt', () => {
  const a = analyze('f(x, y) = x^2*y\ng(t) = f(cos(t), sin(t))');
  const c = explainChain(a, 'g', [0.7])!;
  assert.equal(c.outer, 'f');
  assert.deepEqual(c.outerParams, ['x', 'y']);
  const t0 = c.terms[0]!;
  const [fx, fy] = t0.factors;
  for (const p of points(['x', 'y', 't'])) {
    const { x, y, t } = p as { x: number; y: number; t: number };
    assert.ok(close(at(fx!.outerPartial, p), 2 * x * y));
    assert.ok(close(at(fy!.outerPartial, p), x * x));
    assert.ok(close(at(fx!.inner, p), Math.cos(t)) && close(at(fy!.inner, p), Math.sin(t)));
    assert.ok(close(at(fx!.innerDerivative, p), -Math.sin(t)));
    assert.ok(close(at(fy!.innerDerivative, p), Math.cos(t)));
    // d/dt [cos²t · sin t] = -2 cos t sin²t + cos³t
    assert.ok(close(at(t0.total, p), -2 * Math.cos(t) * Math.sin(t) ** 2 + Math.cos(t) ** 3));
  }
  const t = 0.7, x = Math.cos(t), y = Math.sin(t);
  assert.deepEqual(c.innerValues, [x, y]);
  assert.ok(close(t0.at!.outer[0]!, 2 * x * y) && close(t0.at!.outer[1]!, x * x));
  assert.ok(close(t0.at!.total, -2 * x * y * y + x ** 3));
});

test('a function that only renames its arguments, or calls a built-in, has no chain-rule breakdown', () => {
  const a = analyze('f(x, y) = x*y\ng(a, b) = f(a, b)\nh(t) = sin(t^2)');
  assert.equal(explainChain(a, 'g'), undefined);
  assert.equal(explainChain(a, 'h'), undefined);
  assert.equal(explainChain(a, 'f'), undefined);
});

test('a chain through a function of several variables gives one partial per variable', () => {
  const a = analyze('f(x, y) = x*y^2\ng(s, t) = f(s*t, s + t)');
  const c = explainChain(a, 'g', [1, 2])!;
  assert.deepEqual(c.terms.map((t) => t.variable), ['s', 't']);
  // ∂g/∂s = y²·t + 2xy·1 with x = st, y = s + t
  const s = 1, t = 2, x = s * t, y = s + t;
  assert.ok(close(c.terms[0]!.at!.total, y * y * t + 2 * x * y));
  assert.ok(close(c.terms[1]!.at!.total, y * y * s + 2 * x * y));
});

test('above the variable limit the symbolic Hessian is left out with a note, the numeric one stays', () => {
  const n = MAX_SYMBOLIC_HESSIAN_VARS + 1;
  const vars = Array.from({ length: n }, (_, i) => `x${i + 1}`);
  const a = analyze(`f(${vars.join(', ')}) = ${vars.map((v) => `${v}^2`).join(' + ')}`);
  const fe = explainFunction(a, 'f', vars.map(() => 0))!;
  assert.equal(fe.hessian, undefined);
  assert.ok(fe.notes.some((s) => s.includes('Hessian')));
  assert.equal(fe.at!.hessian!.length, n);
  assert.equal(fe.at!.critical, 'minimum');
});

test('an unknown or broken function gives no explanation, and explaining does not throw', () => {
  const a = analyze('f(x) = x +\ng(x) = [1, 2] + x');
  assert.equal(explainFunction(a, 'nope'), undefined);
  assert.doesNotThrow(() => explainFunction(a, 'f', [1]));
  assert.doesNotThrow(() => explainFunction(a, 'g', [1]));
});

test('explaining does not mutate the syntax tree', () => {
  const a = analyze('f(x, y) = x^2*y\ng(t) = f(cos(t), sin(t))\ng(1)');
  const before = JSON.stringify(a.program);
  explainFunction(a, 'g', [1]);
  describeFunction(explainFunction(a, 'f', [1, 2])!);
  assert.equal(JSON.stringify(a.program), before);
});

test('the description of a function lists ∂f/∂x and ∂f/∂y with copies as NumPy and JavaScript', () => {
  const d = describeFunction(explainFunction(analyze('f(x, y) = x^2*y'), 'f')!);
  const grad = d.blocks.find((b) => b.kind === 'math' && b.title?.startsWith('Partial'));
  assert.ok(grad && grad.kind === 'math');
  assert.deepEqual(grad.rows.slice(0, 2).map((r) => `${r.lhs!.unicode} = ${r.rhs.unicode}`), ['∂f/∂x = 2xy', '∂f/∂y = x²']);
  const js = new Function('x', 'y', `return ${grad.copy!.javascript};`) as (x: number, y: number) => number[];
  for (const p of points(['x', 'y'])) {
    const { x, y } = p as { x: number; y: number };
    const g = js(x, y);
    assert.ok(close(g[0]!, 2 * x * y) && close(g[1]!, x * x));
  }
});

test('the result of a grad line is labelled ∇f', () => {
  const text = 'f(x, y) = x^2*y\ngrad(f)';
  const a = analyze(text);
  const s = a.program.statements[1]!;
  const e = explainResult(a, s, a.results.get(s)!, text)!;
  const b = e.blocks[0]!;
  assert.ok(b.kind === 'math');
  assert.equal(b.rows[0]!.lhs!.unicode, '∇f');
  assert.equal(b.rows[0]!.rhs.unicode, '[2xy, x²]');
});
