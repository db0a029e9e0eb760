/**
 * Taylor polynomials, univariate and multivariate, of any order:
 *
 *   T(x) = Σ_{|α| ≤ n} ∂^α f(a) / α! · (x - a)^α
 *
 * over multi-indices α. For n ≤ 2 this is f(a) + ∇f(a)·(x - a) + ½ (x - a)ᵀ H(a) (x - a),
 * with each symmetric pair of Hessian terms collected into one (∂²f/∂x∂y (x-a)(y-b)).
 */
import { type Expr, num, sym, add, mul, pow, substitute, freeSymbols, ExprTooLarge } from './expr';
import { compile } from './compile';
import { simplify, expand, type SimplifyOptions } from './simplify';
import { derivative } from './diff';

export interface TaylorResult {
  /** The polynomial multiplied out in powers of the variables. */
  expanded: Expr;
  /** The polynomial in powers of (x - a), term by term. */
  shifted: Expr;
}

/** Largest number of multi-indices (partial derivatives) a Taylor polynomial may need. */
const MAX_TERMS = 5000;

/**
 * The Taylor polynomial of order `order` of `e` about `point` (one coordinate per variable).
 *
 * @example taylor(parseExpr('exp(x)'), ['x'], [0], 3).expanded // x^3/6 + x^2/2 + x + 1
 * @example taylor(parseExpr('x*y'), ['x', 'y'], [1, 2], 1).shifted // 2*(x - 1) + (y - 2) + 2
 * @throws ExprTooLarge when the polynomial needs more than 5000 partial derivatives or too many nodes;
 * RangeError when `point` does not have one coordinate per variable (callers check this first).
 */
export function taylor(e: Expr, vars: readonly string[], point: readonly number[], order: number, opts?: SimplifyOptions): TaylorResult {
  const n = vars.length;
  if (point.length !== n) throw new RangeError(`taylor: ${n} variables but a point of length ${point.length}`);
  const k = Math.max(0, Math.floor(order));
  if (binomial(k + n, n) > MAX_TERMS) throw new ExprTooLarge(MAX_TERMS);
  const at = new Map(vars.map((v, i) => [v, num(point[i]!)] as [string, Expr]));
  const shift = vars.map((v, i) => (point[i] === 0 ? sym(v) : add(sym(v), num(-point[i]!))));

  // derivatives by multi-index, each obtained from one with a smaller index: ∂^α f = ∂/∂x_j ∂^(α - e_j) f
  const derivs = new Map<string, Expr>();
  const root = simplify(e, opts);
  derivs.set(key(new Array<number>(n).fill(0)), root);
  const terms: Expr[] = [];
  for (const alpha of multiIndices(n, k)) {
    let d = derivs.get(key(alpha));
    if (!d) {
      const j = alpha.findIndex((x) => x > 0);
      const prev = alpha.slice(); prev[j]!--;
      d = derivative(derivs.get(key(prev))!, vars[j]!, opts);
      derivs.set(key(alpha), d);
    }
    const coefAtPoint = numericCoefficient(simplify(substitute(d, at), opts));
    if (coefAtPoint.kind === 'num' && coefAtPoint.value === 0) continue;
    // ∂^α f(a) / α! · Π (x_i - a_i)^α_i
    const factorial = alpha.reduce((p, ai) => p * fact(ai), 1);
    const monomial = alpha.flatMap((ai, i) => (ai === 0 ? [] : [ai === 1 ? shift[i]! : pow(shift[i]!, num(ai))]));
    terms.push(simplify(mul(coefAtPoint, pow(num(factorial), num(-1)), ...monomial), { ...opts, distributeNumbers: false }));
  }
  // the terms keep the order of their degree, f(a) first, as the series is written
  const shifted = add(...terms);
  return { shifted, expanded: expand(shifted, opts) };
}

/**
 * A coefficient such as 2.5·cos(2) - 5·sin(2) + 2 as one number, so the polynomial
 * collects into one term per monomial; exact rationals (1/6) and non-finite values stay.
 */
function numericCoefficient(c: Expr): Expr {
  if (c.kind === 'num' || freeSymbols(c).some((s) => s !== 'pi' && s !== 'e')) return c;
  if (isRational(c)) return c;
  const v = compile(c, [])([]);
  return Number.isFinite(v) ? num(v) : c;
}

/** An exact rational in canonical form: p, 1/q or p/q. */
function isRational(c: Expr): boolean {
  const int = (x: Expr): boolean => x.kind === 'num' && Number.isInteger(x.value);
  const inv = (x: Expr): boolean => x.kind === 'pow' && int(x.base) && x.exp.kind === 'num' && x.exp.value === -1;
  return int(c) || inv(c) || (c.kind === 'mul' && c.factors.every((f) => int(f) || inv(f)));
}

const key = (alpha: readonly number[]): string => alpha.join(',');

function fact(n: number): number { let r = 1; for (let i = 2; i <= n; i++) r *= i; return r; }

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

/** Multi-indices of total degree 0..k in order of degree, so every index's predecessor comes first. */
function multiIndices(n: number, k: number): number[][] {
  const out: number[][] = [];
  const rec = (prefix: number[], left: number, total: number): void => {
    if (prefix.length === n - 1) { out.push([...prefix, left]); return; }
    for (let a = left; a >= 0; a--) rec([...prefix, a], left - a, total);
  };
  for (let deg = 0; deg <= k; deg++) {
    if (n === 0) { if (deg === 0) out.push([]); continue; }
    rec([], deg, deg);
  }
  return out;
}
