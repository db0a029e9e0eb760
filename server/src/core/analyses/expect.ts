/**
 * `expect A == B [within TOL]`: how an assignment tells a student whether an answer is right.
 */
import { checkEquivalent } from '../calculus/equivalence';
import { shapeOf as shapeOfExpr } from '../calculus/expr';
import type { StatementContext } from '../analysis';
import { evaluateReporting, expressionValue, numberOf } from '../analysis';
import type { ExpectResult } from '../results';
import { fmt, type Value } from '../semantics/evaluate';
import { describeShape, freeVariables, LowerError, NO_NAMES } from '../semantics/lower';
import { type Expression, type ExpectStatement, forEachExpression } from '../syntax/ast';
import { Codes } from '../syntax/diagnostics';

/** Without `within`, numbers must agree to this relative tolerance. */
export const EXPECT_TOLERANCE = 1e-9;

/**
 * Decides an expect line: numbers are compared (with `within` as an absolute tolerance);
 * expressions are equal when A − B simplifies to zero, or else when they agree at many
 * random points (see checkEquivalent for how many, and the tolerance).
 */
export function expectStatement(ctx: StatementContext, s: ExpectStatement): ExpectResult | undefined {
  if (!s.right) return undefined;
  // with `at`, the left side is worked out at the point only (a large Hessian is never built)
  const left = s.at ? undefined : ctx.lowering.lower(s.left);
  const right = ctx.lowering.lower(s.right);
  const within = s.within ? numberOf(ctx, s.within) : undefined;
  if (within !== undefined && !(within >= 0)) {
    throw new LowerError(Codes.InvalidOption, s.within!, `within is the largest difference allowed: a number of 0 or more, such as within ${fmt(Math.abs(within))}.`);
  }
  const free = left ? [...new Set([...freeVariables(left), ...freeVariables(right)])] : [];
  let result: ExpectResult;
  if (!left || free.length === 0) {
    // `expect grad(f) at [1, 2] == [4, 1]`: the left side's value there, as its expression line gives it
    let a: Value;
    if (!left) {
      const atPoint = expressionValue(ctx, s.left, s.at!);
      if (atPoint.value === undefined) throw new LowerError(Codes.InvalidTarget, s.at!, 'At this point the left side still has free variables: name them all in the point.');
      if (freeVariables(right).length > 0) {
        throw new LowerError(Codes.InvalidTarget, s.right, `With \`at\`, the right side is the value expected there: a number, vector or matrix without variables (it has ${freeVariables(right).join(', ')}).`);
      }
      a = atPoint.value;
    } else a = evaluateReporting(ctx, left, NO_NAMES, s.left);
    const b = evaluateReporting(ctx, right, NO_NAMES, s.right);
    const as = flat(a), bs = flat(b);
    if (as.length !== bs.length) {
      result = { kind: 'expect', passed: false, method: 'value', message: `✗ the sides have different shapes: ${describeShape(shapeOf(a))} and ${describeShape(shapeOf(b))}.` };
    } else {
      const bad = as.findIndex((x, i) => !close(x, bs[i]!, within));
      const passed = bad < 0;
      // the test is |a − b| ≤ 1e-9·max(1, |a|, |b|): relative for large sides, absolute below 1
      const tol = within !== undefined ? `within ${fmt(within)}` : `to ${EXPECT_TOLERANCE} (relative to the larger side, or absolute below 1)`;
      const name = as.length > 1 ? `${componentName(bad, shapeOf(a), derivativeOf(ctx, s.left))}: ` : '';
      result = {
        kind: 'expect', passed, method: 'value',
        message: passed ? `✓ equal ${tol}` : `✗ ${name}the left side is ${fmt(as[bad]!)}, the right side ${fmt(bs[bad]!)}, not equal ${tol}.`,
      };
    }
  } else {
    const eq = checkEquivalent(left!, right, within !== undefined ? { tol: within } : {});
    const ce = eq.counterexample;
    // the point's variables in the order the line names them (dL(w, b): w, then b), not alphabetically
    const derivative = derivativeOf(ctx, s.left) ?? derivativeOf(ctx, s.right);
    const named: string[] = [...(derivative?.params ?? [])];
    forEachExpression(s, (e) => { if (e.kind === 'ident' && !named.includes(e.name)) named.push(e.name); });
    const rank = (v: string): number => (named.includes(v) ? named.indexOf(v) : named.length);
    const where = ce ? Object.entries(ce.point).sort(([p], [q]) => rank(p) - rank(q)).map(([k, v]) => `${k} = ${fmt(v)}`).join(', ') : '';
    const shape = shapeOfExpr(left);
    const part = ce?.component !== undefined ? componentName(ce.component, shape, derivative) : '';
    const others = (ce?.components?.length ?? 0) > 1 ? ` (${ce!.components!.length} components differ there: ${ce!.components!.map((k) => componentName(k, shape, undefined)).join(', ')})` : '';
    result = {
      kind: 'expect', passed: eq.equal, method: eq.method,
      ...(ce ? { counterexample: ce } : {}),
      message: eq.equal
        ? `✓ equal (${eq.method === 'symbolic' ? 'the difference simplifies to 0' : `they agree at every test point, ${eq.points!.both} points where both sides are defined`})`
        : ce
          ? `✗ not equal: at ${where} ${part ? `${part} of ` : ''}the left side is ${fmt(ce.left)} but the right side is ${fmt(ce.right)}${others}.`
          : eq.reason === 'shape'
            ? `✗ the sides have different shapes: ${describeShape(shapeOfExpr(left))} and ${describeShape(shapeOfExpr(right))}.`
            : eq.reason === 'domain'
              ? `✗ not equal: the sides are defined at different points (${eq.near ? `in [-3, 3], at ${eq.near.either} test points one of them is defined, and both only at ${eq.near.both}` : `at ${eq.points!.either} test points one of them is defined, and both only at ${eq.points!.both}`}), so they are not the same function.`
              : `✗ not equal: no test point was found where both sides are defined (values from -300 to 300 were tried), so they cannot be compared.`,
    };
  }
  if (!result.passed) {
    const at = s.right;
    ctx.diagnostics.push({ code: Codes.ExpectFailed, severity: 'error', offset: at.start, length: at.end - at.start, message: result.message });
  }
  return result;
}

/**
 * The name of component k (row-major) of a value of this shape: "component 2", "entry (2, 1)", and,
 * for a derivative of a named function, which derivative it is: "component 2 (∂/∂b)".
 */
function componentName(k: number, shape: readonly number[], derivative: { op: string; params: readonly string[] } | undefined): string {
  if (shape.length === 2) {
    const [r, c] = [Math.floor(k / shape[1]!), k % shape[1]!];
    const d = derivative?.op === 'hessian' ? ` (∂²/${r === c ? `∂${derivative.params[r]}²` : `∂${derivative.params[r]}∂${derivative.params[c]}`})` : derivative?.op === 'jacobian' ? ` (∂/∂${derivative.params[c]} of component ${r + 1})` : '';
    return `entry (${r + 1}, ${c + 1})${d}`;
  }
  return `component ${k + 1}${derivative?.op === 'grad' && derivative.params[k] ? ` (∂/∂${derivative.params[k]})` : ''}`;
}

/** `grad(f)`, `jacobian(u)`, `hessian(f)` of a named function: the operator and the function's parameters. */
function derivativeOf(ctx: StatementContext, e: Expression): { op: string; params: readonly string[] } | undefined {
  if (e.kind !== 'call' || !['grad', 'jacobian', 'hessian'].includes(e.callee.name) || e.args[0]?.kind !== 'ident') return undefined;
  const f = ctx.lowering.functionBody(e.args[0].name);
  return f ? { op: e.callee.name, params: f.params } : undefined;
}

function close(a: number, b: number, within: number | undefined): boolean {
  if (within !== undefined) return Math.abs(a - b) <= within;
  return Math.abs(a - b) <= EXPECT_TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));
}

function flat(v: Value): number[] {
  return typeof v === 'number' ? [v] : v.flatMap(flat);
}

function shapeOf(v: Value): number[] {
  return typeof v === 'number' ? [] : [v.length, ...(v.length ? shapeOf(v[0]!) : [])];
}
