/**
 * Taylor polynomials, univariate and multivariate, of any order:
 *
 *   T(x) = Σ_{|α| ≤ n} ∂^α f(a) / α! · (x - a)^α
 *
 * over multi-indices α. For n ≤ 2 this is f(a) + ∇f(a)·(x - a) + ½ (x - a)ᵀ H(a) (x - a),
 * with each symmetric pair of Hessian terms collected into one (∂²f/∂x∂y (x-a)(y-b)).
 */
import { type Expr, num, sym, add, mul, ExprTooLarge } from './expr';
import { simplify, canonicalSum, type SimplifyOptions } from './simplify';
import { value as coefValue } from './coef';
import { layoutFor, seriesOf, recentre, monomial } from './series';

export interface TaylorResult {
  /** The polynomial multiplied out in powers of the variables. */
  expanded: Expr;
  /** The polynomial in powers of (x - a), term by term. */
  shifted: Expr;
  /**
   * The lowest order whose derivatives are not all finite at the point (sqrt(x) about 0 has
   * this 1), when there is one: the polynomial is then undefined from that order on.
   */
  singularOrder?: number;
}

/** Largest number of multi-indices (partial derivatives) a Taylor polynomial may need. */
const MAX_TERMS = 5000;

/**
 * The Taylor polynomial of order `order` of `e` about `point` (one coordinate per variable).
 * The coefficients ∂^α f(a)/α! come from one pass of truncated power-series arithmetic
 * (series.ts), exact rationals where the function and the point allow it.
 *
 * @example taylor(parseExpr('exp(x)'), ['x'], [0], 3).expanded // x^3/6 + x^2/2 + x + 1
 * @example taylor(parseExpr('x*y'), ['x', 'y'], [1, 2], 1).shifted // 2*(x - 1) + (y - 2) + 2
 * `centers` are the point's coordinates as written, where they are constants such as pi/2, for the
 * shifted form; the coefficients come from `point`.
 * @throws ExprTooLarge when the polynomial needs more than 5000 partial derivatives or too many nodes;
 * RangeError when `point` does not have one coordinate per variable (callers check this first).
 */
export function taylor(e: Expr, vars: readonly string[], point: readonly number[], order: number, opts?: SimplifyOptions, centers?: readonly (Expr | undefined)[]): TaylorResult {
  const n = vars.length;
  if (point.length !== n) throw new RangeError(`taylor: ${n} variables but a point of length ${point.length}`);
  const k = Math.max(0, Math.floor(order));
  if (binomial(k + n, n) > MAX_TERMS) throw new ExprTooLarge(MAX_TERMS);
  const layout = layoutFor(n, k);
  const series = seriesOf(simplify(e, opts), vars, point, layout);
  // (x − a), with a as written where it is a constant such as pi/2: (x − π/2), not (x − 1.5707963267948966)
  const shift = vars.map((v, i) => (point[i] === 0 ? sym(v) : add(sym(v), centers?.[i] ? mul(num(-1), centers[i]!) : num(-point[i]!))));
  // ∂^α f(a)/α! · Π (x_i - a_i)^α_i, the terms in order of their degree, f(a) first, as the series is written
  const terms: Expr[] = [];
  series.forEach((c, m) => { if (c.p !== 0) terms.push(monomial(c, layout.alphas[m]!, shift)); });
  const vs = vars.map((v) => sym(v));
  const expanded: Expr[] = [];
  recentre(series, point, layout).forEach((c, m) => { if (c.p !== 0) expanded.push(monomial(c, layout.alphas[m]!, vs)); });
  const singular = series.findIndex((c) => !Number.isFinite(coefValue(c)));
  return {
    shifted: add(...terms), expanded: canonicalSum(expanded),
    ...(singular >= 0 ? { singularOrder: layout.degree[singular]! } : {}),
  };
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}
