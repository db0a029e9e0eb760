/**
 * Gradient, Jacobian and Hessian, symbolic; and the classification of a critical point
 * from the Hessian's eigenvalues there.
 */
import { eigs } from 'mathjs';
import { type Expr, type Vec, vec } from './expr';
import { derivative, type DerivativeOptions } from './diff';
import type { SimplifyOptions } from './simplify';

/**
 * ∇f: the simplified partial derivatives of a scalar expression, in the order of `vars`.
 *
 * @example gradient(parseExpr('x^2*y'), ['x', 'y']) // [2*x*y, x^2]
 */
export function gradient(e: Expr, vars: readonly string[], opts?: DerivativeOptions): Vec {
  return vec(vars.map((v) => derivative(e, v, opts)));
}

/**
 * J[i][j] = ∂uᵢ/∂xⱼ for a vector-valued expression; a scalar is treated as one component.
 *
 * @example jacobian(parseExpr('[x*y, x + y]'), ['x', 'y']) // [[y, x], [1, 1]]
 */
export function jacobian(e: Expr, vars: readonly string[], opts?: DerivativeOptions): Vec {
  const items = e.kind === 'vec' ? e.items : [e];
  return vec(items.map((u) => gradient(u, vars, opts)));
}

/**
 * H[i][j] = ∂²f/∂xᵢ∂xⱼ. Each entry on and above the diagonal is differentiated from the
 * gradient; the entries below are mirrored, because mixed partials of the smooth
 * built-ins agree (Schwarz's theorem), which halves the work.
 *
 * @example hessian(parseExpr('x^2*y'), ['x', 'y']) // [[2*y, 2*x], [2*x, 0]]
 */
export function hessian(e: Expr, vars: readonly string[], opts?: SimplifyOptions): Vec {
  const g = gradient(e, vars, opts).items;
  const n = vars.length;
  const H: Expr[][] = Array.from({ length: n }, () => new Array<Expr>(n));
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const h = derivative(g[i]!, vars[j]!, opts);
      H[i]![j] = h;
      H[j]![i] = h;
    }
  }
  return vec(H.map((row) => vec(row)));
}

export type CriticalPointKind = 'minimum' | 'maximum' | 'saddle' | 'degenerate';

/**
 * Eigenvalues within `1e-9 · max(1, max |λ|)` of zero count as zero. That scale is
 * relative because Hessian entries carry the units of f; the floor of 1 keeps tiny
 * Hessians from calling rounding noise a curvature.
 */
export const EIGENVALUE_TOLERANCE = 1e-9;

/**
 * The eigenvalues (ascending) of a symmetric Hessian at a critical point and what they
 * say: all positive a minimum, all negative a maximum, both signs a saddle, otherwise
 * (a zero eigenvalue and no sign change) degenerate: the second-derivative test is silent.
 *
 * @example classifyCriticalPoint([[2, 0], [0, -2]]) // { eigenvalues: [-2, 2], kind: 'saddle' }
 */
export function classifyCriticalPoint(h: readonly (readonly number[])[]): { eigenvalues: number[]; kind: CriticalPointKind } {
  const n = h.length;
  if (n === 0 || h.some((r) => r.length !== n || r.some((x) => !Number.isFinite(x)))) {
    return { eigenvalues: [], kind: 'degenerate' };
  }
  // symmetrise first: eigs on a symmetric matrix takes the real, stable path
  const s = h.map((r, i) => r.map((x, j) => (x + h[j]![i]!) / 2));
  let eigenvalues: number[];
  try {
    eigenvalues = (eigs(s).values as unknown as number[]).map(Number).sort((a, b) => a - b);
  } catch {
    return { eigenvalues: [], kind: 'degenerate' };
  }
  const scale = Math.max(1, ...eigenvalues.map(Math.abs));
  const tol = EIGENVALUE_TOLERANCE * scale;
  const pos = eigenvalues.some((l) => l > tol), negative = eigenvalues.some((l) => l < -tol);
  const zero = eigenvalues.some((l) => Math.abs(l) <= tol);
  const kind: CriticalPointKind = pos && negative ? 'saddle' : zero ? 'degenerate' : pos ? 'minimum' : 'maximum';
  return { eigenvalues, kind };
}
