/**
 * `check grad f at POINT`: the exact derivative against central finite differences.
 */
import { compile } from '../calculus/compile';
import { type Expr } from '../calculus/expr';
import { gradient } from '../calculus/matrices';
import type { StatementContext } from '../analysis';
import { pointFor } from '../analysis';
import type { CheckResult } from '../results';
import { evaluate, fmt } from '../semantics/evaluate';
import { LowerError } from '../semantics/lower';
import type { CheckStatement } from '../syntax/ast';
import { Codes } from '../syntax/diagnostics';

/** A component passes when |exact − numeric| ≤ CHECK_TOLERANCE · max(1, |exact|, |numeric|). */
export const CHECK_TOLERANCE = 1e-6;

/**
 * Compares the exact gradient (or Jacobian, or Hessian) with finite differences.
 *
 * Each partial derivative is estimated by Ridders' method (Numerical Recipes §5.7): central
 * differences at steps shrinking by 1.4, extrapolated to step 0 (Richardson), with an estimate of
 * the error, so that a large curvature, a small |x| or a function defined only near x (log(x) at
 * 0.001) needs no step chosen by hand. The exact value passes when it is within CHECK_TOLERANCE of
 * that estimate; where the estimate's own error is larger than that (f so large that rounding hides
 * the slope), finite differences cannot decide, and the check says so instead of failing.
 *
 * A kink or jump is told from curvature by how the one-sided differences part as the step
 * shrinks: for a smooth f their gap is about h·f″ and shrinks with h; at a kink it stays the jump in
 * slope (and at a jump it grows).
 */
export function checkStatement(ctx: StatementContext, s: CheckStatement): CheckResult | undefined {
  if (!s.at) return undefined;
  const t = s.target;
  if (t.kind !== 'call' || !['grad', 'jacobian', 'hessian'].includes(t.callee.name) || t.args.length !== 1) {
    throw new LowerError(Codes.InvalidTarget, t, 'check compares a derivative with finite differences: write `check grad f at [1, 2]` (or jacobian, hessian).');
  }
  const op = t.callee.name;
  const { expr: base, vars } = ctx.lowering.differentiable(t.args[0]!, new Map());
  // The function whose derivative is checked: f for grad, u for jacobian, ∇f for hessian.
  const inner: Expr = op === 'hessian' ? gradient(base, vars) : base;
  const exactExpr = ctx.lowering.lower(t);
  const at = pointFor(ctx, s.at, vars);
  const x = vars.map((v) => at[v]!);
  const exact = flatten(evaluate(exactExpr, new Map(Object.entries(at))));
  const components = compileComponents(inner, vars);
  const numeric: number[] = [];
  const relErrors: number[] = [];
  const kinks: string[] = [];
  const unresolved: string[] = [];
  // Row-major over components (rows of the Jacobian), then variables.
  components.forEach((f) => {
    vars.forEach((v, i) => {
      const along = (h: number): number => { const y = x.slice(); y[i] = x[i]! + h; return f(y); };
      const k = numeric.length;
      // first steps from a tenth of max(1, |x|) down by hundreds to 1e-9 of it (near a pole only the small
      // ones stay on its side), and of |x|: the estimate with the smallest error
      const a = Math.abs(x[i]!);
      const scales = [...new Set([...[1, 1e-2, 1e-4, 1e-6, 1e-8].map((k) => Math.max(1, a) * k), Math.max(a, 1e-6)])];
      // (by relative error: a step across a pole gives a small value with a small absolute error)
      const relative = (r: { value: number; error: number }): number => r.error / Math.max(1, Math.abs(r.value));
      const { value, error } = scales.map((sc) => ridders(along, sc)).reduce((p, q) => (relative(q) < relative(p) ? q : p));
      numeric.push(value);
      if (kinked(along, Math.max(Math.abs(x[i]!), 1))) kinks.push(v);
      const scale = Math.max(1, Math.abs(exact[k] ?? 0), Math.abs(value));
      if (!(error <= CHECK_TOLERANCE * scale / 4)) unresolved.push(v);
    });
  });
  exact.forEach((e, k) => {
    const n = numeric[k]!;
    relErrors.push(Math.abs(e - n) / Math.max(1, Math.abs(e), Math.abs(n)));
  });
  const maxRelError = relErrors.reduce((a, b) => (Number.isNaN(b) ? Infinity : Math.max(a, b)), 0);
  const agrees = maxRelError <= CHECK_TOLERANCE;
  const passed = agrees && kinks.length === 0;
  const where = Object.entries(at).map(([k, v]) => `${k} = ${fmt(v)}`).join(', ');
  const named = (xs: string[]): string => [...new Set(xs)].join(', ');
  const message = passed
    ? `✓ exact ${op} agrees with finite differences at ${where} (largest relative error ${maxRelError.toExponential(1)})`
    : kinks.length
      ? `✗ not differentiable at ${where}: the one-sided differences in ${named(kinks)} stay apart as the step shrinks, so there is a kink or jump here.`
      : unresolved.length
        ? `Finite differences cannot check the ${op} at ${where}: in ${named(unresolved)} their rounding error is larger than the tolerance (f is too large there, or not smooth), so this point decides nothing. Try a point where f is of moderate size.`
        : `✗ the exact ${op} and finite differences disagree at ${where}: largest relative error ${maxRelError.toExponential(2)} (tolerance ${CHECK_TOLERANCE}).`;
  if (!passed) {
    const inconclusive = !kinks.length && unresolved.length > 0;
    ctx.diagnostics.push({ code: Codes.CheckFailed, severity: inconclusive ? 'warning' : 'error', offset: s.start, length: s.end - s.start, message });
  }
  return { kind: 'check', passed, maxRelError, relErrors, exact, numeric, at, message };
}

/**
 * The derivative at 0 of `along` (f along one coordinate, as a function of the step) by Ridders'
 * extrapolation of central differences, with its estimated error (Numerical Recipes' dfridr).
 * The first step is a tenth of `scale`, halved until f is defined on both sides.
 *
 * @example ridders((h) => Math.sin(1 + h), 1).value // cos(1), to about 1e-13
 */
export function ridders(along: (h: number) => number, scale: number): { value: number; error: number } {
  const CON = 1.4, CON2 = CON * CON, SAFE = 2, NTAB = 10;
  let h = 0.1 * scale;
  const central = (step: number): number => (along(step) - along(-step)) / (2 * step);
  for (let k = 0; k < 60 && !Number.isFinite(central(h)); k++) h /= 2;
  const a: number[][] = Array.from({ length: NTAB }, () => new Array<number>(NTAB).fill(0));
  a[0]![0] = central(h);
  let value = a[0]![0]!, error = Infinity;
  for (let i = 1; i < NTAB; i++) {
    h /= CON;
    a[0]![i] = central(h);
    let fac = CON2;
    for (let j = 1; j <= i; j++) {
      // each column removes the next even power of h from the error
      a[j]![i] = (a[j - 1]![i]! * fac - a[j - 1]![i - 1]!) / (fac - 1);
      fac *= CON2;
      const e = Math.max(Math.abs(a[j]![i]! - a[j - 1]![i]!), Math.abs(a[j]![i]! - a[j - 1]![i - 1]!));
      if (e <= error) { error = e; value = a[j]![i]!; }
    }
    // higher order made it worse: rounding has taken over
    if (Math.abs(a[i]![i]! - a[i - 1]![i - 1]!) >= SAFE * error) break;
  }
  return { value, error };
}

/**
 * True when the one-sided differences of `along` at 0 stay apart as the step shrinks tenfold:
 * a kink (their gap, the jump in slope, stays) or a jump (it grows), not curvature (it shrinks
 * with the step) or rounding (allowed for).
 */
function kinked(along: (h: number) => number, scale: number): boolean {
  const f0 = along(0);
  const gap = (h: number): { gap: number; size: number; noise: number } => {
    const fp = along(h), fm = along(-h);
    const forward = (fp - f0) / h, backward = (f0 - fm) / h;
    return { gap: Math.abs(forward - backward), size: Math.max(1, Math.abs(forward), Math.abs(backward)), noise: 10 * Number.EPSILON * Math.max(Math.abs(f0), Math.abs(fp), Math.abs(fm)) / h };
  };
  // over three tenfold reductions, so that a pole just past the first steps (1/x at 1e-6, tan(x) a
  // third of a millionth from π/2, where those steps cross it) is not taken for a kink
  // Steps from a thousand times to a thousandth of the usual one; only those whose rounding is well
  // below what would count as a kink take part (1e6 + |x| at 0: the small steps' rounding is larger
  // than the jump in slope), and the gap must hold over every reduction among them, at least two.
  const base = Math.cbrt(Number.EPSILON) * scale;
  const gaps = [1000, 100, 10, 1, 0.1, 0.01, 0.001].map((k) => gap(base * k));
  const clear = gaps.filter((g) => g.noise < 0.1 * Math.max(g.gap, 1e-3 * g.size));
  if (clear.length >= 3 && clear.every((g, i) => i === 0 || (g.gap > 1e-3 * g.size && g.gap > 0.5 * clear[i - 1]!.gap))) return true;
  const steps = [1, 10, 100, 1000].map((k) => base / k);
  // a jump with the same slope on both sides (sign(x) at 0): the central difference grows as 1/h
  const central = steps.map((step) => Math.abs(along(step) - along(-step)) / (2 * step));
  const last = steps.length - 1;
  return central.every((c, i) => i === 0 || c > 5 * central[i - 1]!) && central[last]! > 1e-3 / steps[last]! + gap(steps[last]!).noise;
}

function compileComponents(e: Expr, vars: string[]): ((x: number[]) => number)[] {
  if (e.kind === 'vec') return e.items.map((item) => compile(item, vars));
  return [compile(e, vars)];
}

function flatten(v: import('../semantics/evaluate').Value): number[] {
  return typeof v === 'number' ? [v] : v.flatMap(flatten);
}
