/**
 * Plot data for the browser tests, computed by the server's own code: expressions parsed
 * and compiled by the calculus core, solved by the numeric core, sampled and laid out by
 * server/src/core/plot. Each fixture is a statement of the language tour (issue 2).
 */
import { compile, compileGradient, compileJacobian } from '../../server/src/core/calculus/compile';
import { derivative, nthDerivative } from '../../server/src/core/calculus/diff';
import type { Expr } from '../../server/src/core/calculus/expr';
import { toLatex } from '../../server/src/core/calculus/print/index';
import { simplify } from '../../server/src/core/calculus/simplify';
import { minimize } from '../../server/src/core/numeric/minimize';
import { fitNonlinear } from '../../server/src/core/numeric/regress';
import { parseExpr } from '../../server/src/core/semantics/lower';
import { curvePlot, fitPlot, lagrangePlot, optimizePlot, rootPlot, surfacePlot, taylorPlot, texNumber } from '../../server/src/core/plot/build';
import type { Fn1, Fn2 } from '../../server/src/core/plot/sample';
import type { Iterate, PlotData } from '../../protocol/plot';

const fn1 = (e: Expr, v = 'x'): Fn1 => { const c = compile(e, [v]); return (x) => c([x]); };
const fn2 = (e: Expr, vs: [string, string] = ['x', 'y']): Fn2 => { const c = compile(e, vs); return (x, y) => c([x, y]); };

/** `plot sin(x), cos(x) over x in [-pi, pi]`, with derivatives and the tangent at x = 1. */
export function sinCos(): PlotData {
  const s = parseExpr('sin(x)'), c = parseExpr('cos(x)');
  return curvePlot({
    title: 'plot sin(x), cos(x) over x in [-pi, pi]',
    latex: [`\\sin(x),\\ ${toLatex(c)}`, `\\frac{d}{dx}\\sin x = ${toLatex(derivative(s, 'x'))}`],
    variable: 'x', range: [-Math.PI, Math.PI],
    curves: [{ name: 'sin(x)', f: fn1(s) }, { name: 'cos(x)', f: fn1(c) }],
    derivatives: [{ name: "sin'(x)", f: fn1(derivative(s, 'x')) }],
    tangent: { x0: 1, df: fn1(derivative(s, 'x')) },
  });
}

/** `plot tan(x) over x in [-pi, pi]`: two poles, which must be gaps. */
export function tan(): PlotData {
  const t = parseExpr('tan(x)');
  return curvePlot({ title: 'plot tan(x) over x in [-pi, pi]', latex: [toLatex(t)], variable: 'x', range: [-Math.PI, Math.PI], curves: [{ name: 'tan(x)', f: fn1(t) }] });
}

const F = 'x^2*y + 2.5*sin(x*y)';

/** `plot f over x in [-2, 2], y in [-2, 2]` for f(x, y) = x^2*y + a*sin(x*y), a = 2.5. */
export function surface(): PlotData {
  const f = parseExpr(F);
  const g = compileGradient(f, ['x', 'y']);
  const out = new Float64Array(2);
  return surfacePlot({
    title: 'plot f over x in [-2, 2], y in [-2, 2]',
    latex: [`f(x, y) = ${toLatex(f)}`, `\\nabla f = \\left(${toLatex(derivative(f, 'x'))},\\ ${toLatex(derivative(f, 'y'))}\\right)`],
    variables: ['x', 'y'], xRange: [-2, 2], yRange: [-2, 2], f: fn2(f),
    grad: (x, y) => { g([x, y], out); return [out[0]!, out[1]!]; },
  });
}

/** `minimize rosen from [-1.2, 1] by <method>` on Rosenbrock's function. */
export function rosenbrock(method: 'bfgs' | 'gd' = 'bfgs'): PlotData {
  const e = parseExpr('(1 - x)^2 + 100*(y - x^2)^2');
  const f = compile(e, ['x', 'y']), g = compileGradient(e, ['x', 'y']);
  const res = minimize({ n: 2, f: (p) => f(p), grad: (p, out) => g(p, out) }, [-1.2, 1], { method, ...(method === 'gd' ? { step: 0.001, maxIter: 2000 } : {}) });
  const path: Iterate[] = res.path.map((p, k) => ({ point: p, value: f(p), gradNorm: res.history[k]?.gradNorm ?? null }));
  return optimizePlot({
    title: `minimize rosen from [-1.2, 1] by ${method}`,
    latex: [`f(x, y) = ${toLatex(e)}`, `x^* = (${texNumber(res.x[0])},\\ ${texNumber(res.x[1])}),\\quad f(x^*) = ${texNumber(res.f)}`],
    notes: [res.message],
    goal: 'minimize', method: res.method, variables: ['x', 'y'], f: (p) => f(p), path, converged: res.converged, fStar: 0,
  });
}

/** `minimize x^4 - 3x^2 + x from x = 2` (one variable: the path on the curve). */
export function quartic(): PlotData {
  const e = parseExpr('x^4 - 3*x^2 + x');
  const f = compile(e, ['x']), g = compileGradient(e, ['x']);
  const res = minimize({ n: 1, f: (p) => f(p), grad: (p, out) => g(p, out) }, [2], { method: 'gd', step: 0.02, maxIter: 500 });
  const path: Iterate[] = res.path.map((p, k) => ({ point: p, value: f(p), gradNorm: res.history[k]?.gradNorm ?? null }));
  return optimizePlot({
    title: 'minimize x^4 - 3x^2 + x from x = 2 by gradient descent with step = 0.02',
    latex: [`f(x) = ${toLatex(e)}`], notes: [res.message],
    goal: 'minimize', method: res.method, variables: ['x'], f: (p) => f(p), path, converged: res.converged,
  });
}

/** `root x^6/6 - 3x^4 - 2x^3/3 + 27x^2/2 + 18x - 30 near x = 1` by Newton-Raphson. */
export function newtonRoot(): PlotData {
  const e = parseExpr('x^6/6 - 3*x^4 - 2*x^3/3 + 27*x^2/2 + 18*x - 30');
  const f = fn1(e), df = fn1(derivative(e, 'x'));
  // x_{k+1} = x_k − f(x_k)/f'(x_k), until |f| < 1e-12 (at most 50 steps).
  const xs = [1];
  for (let k = 0; k < 50 && Math.abs(f(xs[xs.length - 1]!)) > 1e-12; k++) { const x = xs[xs.length - 1]!; xs.push(x - f(x) / df(x)); }
  const root = xs[xs.length - 1]!;
  return rootPlot({
    title: 'root … near x = 1', latex: [`f(x) = ${toLatex(e)}`, `x^* \\approx ${texNumber(root, 12)}`],
    variable: 'x', f, iterates: xs, root, converged: Math.abs(f(root)) <= 1e-12,
  });
}

/** `maximize x*y subject to x + 2*y = 10`: ∇L = 0 for L = xy − λ(x + 2y − 10), by Newton on the system. */
export function lagrange(): PlotData {
  const fe = parseExpr('x*y'), ge = parseExpr('x + 2*y - 10');
  const L = simplify(parseExpr('x*y - l*(x + 2*y - 10)'));
  const grad = [derivative(L, 'x'), derivative(L, 'y'), derivative(L, 'l')];
  const G = grad.map((d) => compile(d, ['x', 'y', 'l']));
  const J = compileJacobian({ kind: 'vec', items: grad }, ['x', 'y', 'l']);
  let p = [1, 1, 1];
  for (let k = 0; k < 30; k++) {
    const r = G.map((g) => g(p)), j = J(p);
    p = p.map((v, i) => v - solve3(j, r)[i]!);
  }
  const [x, y, l] = p as [number, number, number];
  return lagrangePlot({
    title: 'maximize x*y subject to x + 2*y = 10',
    latex: [`f(x, y) = ${toLatex(fe)}`, `g(x, y) = ${toLatex(ge)} = 0`, `\\nabla f = \\lambda \\nabla g`],
    table: { columns: ['(x, y)', 'f', '\\lambda', '\\text{kind}'], rows: [[`(${texNumber(x)}, ${texNumber(y)})`, texNumber(x * y), texNumber(l), '\\text{maximum}']] },
    variables: ['x', 'y'], f: fn2(fe), g: fn2(ge),
    candidates: [{ point: [x, y], value: x * y, lambda: [l], kind: 'maximum' }],
  });
}

function solve3(a: number[][], b: number[]): number[] {
  // Cramer's rule: x_i = det(A_i)/det(A), A_i with column i replaced by b.
  const det = (m: number[][]) => m[0]![0]! * (m[1]![1]! * m[2]![2]! - m[1]![2]! * m[2]![1]!) - m[0]![1]! * (m[1]![0]! * m[2]![2]! - m[1]![2]! * m[2]![0]!) + m[0]![2]! * (m[1]![0]! * m[2]![1]! - m[1]![1]! * m[2]![0]!);
  const d = det(a);
  return [0, 1, 2].map((i) => det(a.map((row, r) => row.map((v, c) => (c === i ? b[r]! : v)))) / d);
}

/** `fit y = A*exp(-(x - mu)^2/(2*s^2)) to heights`: NIST-free synthetic Gaussian data with σ. */
export function gaussianFit(): PlotData {
  const model = parseExpr('A*exp(-(x - mu)^2/(2*s^2))');
  const vars = ['x', 'A', 'mu', 's'];
  const m = compile(model, vars);
  const xs = Array.from({ length: 25 }, (_, i) => 150 + 2 * i);
  // Deterministic "noise" from a seeded generator (mulberry32), so the test is reproducible.
  let seed = 12345;
  const rand = () => { seed |= 0; seed = (seed + 0x6d2b79f5) | 0; let t = Math.imul(seed ^ (seed >>> 15), 1 | seed); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
  const sigma = xs.map(() => 0.4);
  const ys = xs.map((x) => m([x, 12, 171, 6]) + (rand() - 0.5) * 0.8);
  const res = fitNonlinear({
    model: { n: 3, values: (p, out) => xs.forEach((x, i) => { out[i] = m([x, p[0]!, p[1]!, p[2]!]); }) },
    y: ys, sigma, p0: [10, 170, 5], names: ['A', 'mu', 's'],
  });
  const p = res.parameters.map((q) => q.value);
  return fitPlot({
    title: 'fit y = A*exp(-(x - mu)^2/(2*s^2)) to heights from A = 10, mu = 170, s = 5',
    latex: [`y = ${toLatex(model)}`],
    xName: 'x', yName: 'y', data: { x: xs, y: ys, sigma },
    model: (x) => m([x, p[0]!, p[1]!, p[2]!]),
    parameters: res.parameters.map((q) => ({ name: q.name === 'mu' ? '\\mu' : q.name, value: q.value, uncertainty: Number.isFinite(q.stderr) ? q.stderr : null })),
    chi2: res.chi2, dof: res.dof,
  });
}

/** `taylor cos(x) at x = 0 order 4`: T_0 … T_4 from the symbolic derivatives. */
export function taylorCos(order = 4): PlotData {
  const e = parseExpr('cos(x)');
  // T_n(x) = Σ_{k ≤ n} f^{(k)}(a)/k! (x − a)^k
  const a = 0;
  const coeffs: number[] = [];
  let fact = 1;
  for (let k = 0; k <= order; k++) { if (k > 0) fact *= k; coeffs.push(fn1(nthDerivative(e, 'x', k))(a) / fact); }
  const T = (n: number): Fn1 => (x) => coeffs.slice(0, n + 1).reduce((s, c, k) => s + c * (x - a) ** k, 0);
  const orders = Array.from({ length: order + 1 }, (_, k) => k).filter((k) => k === 0 || coeffs[k] !== 0);
  return taylorPlot({
    title: `taylor cos(x) at x = 0 order ${order}`,
    latex: [`\\cos(x) \\approx 1 - \\frac{x^{2}}{2} + \\frac{x^{4}}{24}`],
    variable: 'x', center: a, f: fn1(e),
    polynomials: orders.map((k) => ({ order: k, name: `T${k}`, p: T(k) })),
  });
}
