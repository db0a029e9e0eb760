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
 * Each coordinate xᵢ gets its own step hᵢ = ∛ε · max(1, |xᵢ|), which balances the O(h²)
 * truncation error of the central difference (f(x + hᵢeᵢ) − f(x − hᵢeᵢ)) / 2hᵢ against
 * rounding error of order ε/hᵢ. Where the one-sided differences disagree the function has
 * a kink there, and the check fails saying so.
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
  const cbrtEps = Math.cbrt(Number.EPSILON);
  // Row-major over components (rows of the Jacobian), then variables.
  components.forEach((f) => {
    vars.forEach((v, i) => {
      const h = cbrtEps * Math.max(1, Math.abs(x[i]!));
      const xp = x.slice(); xp[i] = x[i]! + h;
      const xm = x.slice(); xm[i] = x[i]! - h;
      const f0 = f(x), fp = f(xp), fm = f(xm);
      const central = (fp - fm) / (2 * h);
      const forward = (fp - f0) / h, backward = (f0 - fm) / h;
      if (Math.abs(forward - backward) > 1e-3 * Math.max(1, Math.abs(forward), Math.abs(backward))) kinks.push(v);
      numeric.push(central);
    });
  });
  exact.forEach((e, k) => {
    const n = numeric[k]!;
    relErrors.push(Math.abs(e - n) / Math.max(1, Math.abs(e), Math.abs(n)));
  });
  const maxRelError = relErrors.reduce((a, b) => (Number.isNaN(b) ? Infinity : Math.max(a, b)), 0);
  const passed = maxRelError <= CHECK_TOLERANCE && kinks.length === 0;
  const where = Object.entries(at).map(([k, v]) => `${k} = ${fmt(v)}`).join(', ');
  const message = passed
    ? `✓ exact ${op} agrees with finite differences at ${where} (largest relative error ${maxRelError.toExponential(1)})`
    : kinks.length
      ? `✗ not differentiable at ${where}: the one-sided differences in ${[...new Set(kinks)].join(', ')} disagree, so there is a kink or jump here.`
      : `✗ the exact ${op} and finite differences disagree at ${where}: largest relative error ${maxRelError.toExponential(2)} (tolerance ${CHECK_TOLERANCE}).`;
  if (!passed) {
    ctx.diagnostics.push({ code: Codes.CheckFailed, severity: 'error', offset: s.start, length: s.end - s.start, message });
  }
  return { kind: 'check', passed, maxRelError, relErrors, exact, numeric, at, message };
}

function compileComponents(e: Expr, vars: string[]): ((x: number[]) => number)[] {
  if (e.kind === 'vec') return e.items.map((item) => compile(item, vars));
  return [compile(e, vars)];
}

function flatten(v: import('../semantics/evaluate').Value): number[] {
  return typeof v === 'number' ? [v] : v.flatMap(flatten);
}
