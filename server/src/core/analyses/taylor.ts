/**
 * `taylor TARGET at POINT order N`: the Taylor polynomial of order N about a point.
 */
import { type Expr, freeSymbols } from '../calculus/expr';
import { simplify } from '../calculus/simplify';
import { taylor } from '../calculus/taylor';
import type { StatementContext } from '../analysis';
import { numberOf, pointFor, targetOf } from '../analysis';
import type { TaylorResult } from '../results';
import { LowerError } from '../semantics/lower';
import type { PointSpec, TaylorStatement } from '../syntax/ast';
import { Codes } from '../syntax/diagnostics';

/** The order used when a taylor statement names none: the quadratic model, as the course's Hessian chapter uses. */
export const DEFAULT_TAYLOR_ORDER = 2;
/** The highest order allowed, to keep the work bounded. */
export const MAX_TAYLOR_ORDER = 12;

/**
 * The point's coordinates as written, where one is a constant built on pi or e (`at pi/2`): the
 * shifted polynomial reads (x − π/2), and its coefficients still come from the numbers.
 */
function symbolicCenters(ctx: StatementContext, spec: PointSpec, vars: readonly string[]): (Expr | undefined)[] {
  const written = spec.kind === 'vector-point'
    ? (spec.vector.items.length === vars.length ? spec.vector.items : [])
    : vars.map((v) => spec.bindings.find((b) => b.name.name === v)?.value);
  return vars.map((_, i) => {
    const e = written[i];
    if (!e) return undefined;
    const lowered = ctx.lowering.lower(e);
    const symbols = freeSymbols(lowered);
    return symbols.length > 0 && symbols.every((n) => n === 'pi' || n === 'e') ? simplify(lowered) : undefined;
  });
}

/**
 * Works out a taylor statement.
 * `taylor cos(x) at x = 0 order 4` gives the polynomial `1 - x^2/2 + x^4/24`.
 */
export function taylorStatement(ctx: StatementContext, s: TaylorStatement): TaylorResult | undefined {
  if (!s.at) return undefined;
  const { expr, vars } = targetOf(ctx, s.target);
  if (expr.kind === 'vec') throw new LowerError(Codes.ShapeMismatch, s.target, 'taylor expands a scalar function; expand each component of a vector function on its own line.');
  const order = s.order ? numberOf(ctx, s.order) : DEFAULT_TAYLOR_ORDER;
  if (!Number.isInteger(order) || order < 0 || order > MAX_TAYLOR_ORDER) {
    throw new LowerError(Codes.InvalidOption, s.order ?? s, `The order must be a whole number from 0 to ${MAX_TAYLOR_ORDER}.`);
  }
  if (vars.length > 6 && order > 3) {
    throw new LowerError(Codes.TooLarge, s.order ?? s, `An order-${order} expansion in ${vars.length} variables has too many terms; use order 3 or less.`);
  }
  const at = pointFor(ctx, s.at, vars);
  const { expanded, shifted, singularOrder } = taylor(expr, vars, vars.map((v) => at[v]!), order, undefined, symbolicCenters(ctx, s.at, vars));
  if (singularOrder !== undefined) {
    const where = vars.map((v) => `${v} = ${at[v]}`).join(', ');
    const what = singularOrder === 0 ? 'is not defined' : `has no derivative of order ${singularOrder} (it is infinite, or the function has a corner or a jump)`;
    const fix = singularOrder === 0 ? 'expand about a point where it is defined' : `expand about another point, or use order ${singularOrder - 1}`;
    throw new LowerError(Codes.EvaluationError, s.at, `The function ${what} at ${where}, so it has no Taylor polynomial of order ${order} there: ${fix}.`);
  }
  return { kind: 'taylor', order, at, expanded, shiftedExpr: shifted, function: expr, variables: vars };
}
