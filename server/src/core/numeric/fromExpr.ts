/**
 * Bridges from the calculus engine's `Expr` IR to the solvers' closures, so that a
 * statement of the language (`minimize f near …`, `fit y ~ model(x; a, b) …`) maps
 * directly onto a solver: the expression is compiled once into a tape, with exact
 * gradients (reverse mode) and Hessians (forward over reverse) from calculus/compile.
 */
import { compile, compileGradient, compileHessian } from '../calculus/compile';
import { partial } from '../calculus/diff';
import type { Expr } from '../calculus/expr';
import { isZero } from '../calculus/simplify';
import type { ModelFunction } from './regress';
import type { Objective, VectorFunction } from './types';

/**
 * An objective f(vars) with exact gradient and Hessian.
 * Example: `minimize(objectiveFromExpr(parse('(x-1)^2 + y^2'), ['x', 'y']), [0, 0])`.
 */
export function objectiveFromExpr(e: Expr, vars: readonly string[]): Objective {
  const f = compile(e, vars), g = compileGradient(e, vars), h = compileHessian(e, vars);
  return { n: vars.length, f: (x) => f(x), grad: (x, out) => g(x, out), hess: (x) => h(x) };
}

/**
 * F: Rⁿ → Rᵐ from one expression per component, with the exact Jacobian, for `root` on systems.
 * Example: `newtonSystem(vectorFunctionFromExprs([parse('x^2 + y^2 - 4'), parse('x - y')], ['x', 'y']), [1, 1])`.
 */
export function vectorFunctionFromExprs(components: readonly Expr[], vars: readonly string[]): VectorFunction {
  const grads = components.map((c) => compileGradient(c, vars));
  const vals = components.map((c) => compile(c, vars));
  return {
    m: components.length, n: vars.length,
    values: (x, out) => { vals.forEach((v, i) => { out[i] = v(x); }); },
    jacobian: (x, J) => { grads.forEach((g, i) => { g(x, J[i]!); }); },
  };
}

/** The data of a fit: one column of values per x name, all of the same length. */
export interface FitData {
  names: readonly string[];
  columns: readonly ArrayLike<number>[];
  /** The number of observations: needed when the model reads no column (`fit y = c`, the mean). */
  rows?: number;
}

/**
 * The model of a fit, model(x; p), evaluated at every row of the data, with its exact
 * Jacobian ∂model/∂pⱼ. Example: `modelFromExpr(parse('a*exp(-b*t)'), ['a', 'b'], { names: ['t'], columns: [t] })`.
 */
export function modelFromExpr(e: Expr, params: readonly string[], data: FitData): ModelFunction {
  const vars = [...params, ...data.names];
  const n = params.length, k = data.names.length;
  const rows = data.rows ?? data.columns[0]?.length ?? 0;
  const fg = compileGradient(e, vars), f = compile(e, vars);
  const point = new Float64Array(n + k), grad = new Float64Array(n + k);
  const load = (p: Float64Array, i: number) => {
    point.set(p);
    for (let c = 0; c < k; c++) point[n + c] = data.columns[c]![i]!;
  };
  return {
    n,
    values(p, out) {
      for (let i = 0; i < rows; i++) { load(p, i); out[i] = f(point); }
    },
    jacobian(p, J) {
      for (let i = 0; i < rows; i++) {
        load(p, i);
        fg(point, grad);
        for (let j = 0; j < n; j++) J[i]![j] = grad[j]!;
      }
    },
  };
}

/**
 * When the model is linear in its parameters (every ∂²model/∂pᵢ∂pⱼ is identically zero),
 * its design matrix: columns[j][i] = ∂model/∂pⱼ at row i and offset[i] = model at p = 0,
 * ready for the exact QR solve of `fitLinear`. Null when it is not linear (or the check is too large).
 */
export function linearDesignFromExpr(e: Expr, params: readonly string[], data: FitData): { columns: Float64Array[]; offset: Float64Array } | null {
  try {
    for (let i = 0; i < params.length; i++) {
      for (let j = i; j < params.length; j++) {
        if (!isZero(partial(e, [params[i]!, params[j]!]))) return null;
      }
    }
  } catch {
    return null; // the symbolic check outgrew its budget: treat as nonlinear
  }
  const model = modelFromExpr(e, params, data);
  const rows = data.rows ?? data.columns[0]?.length ?? 0;
  const zero = new Float64Array(params.length);
  const offset = new Float64Array(rows);
  model.values(zero, offset);
  const J = Array.from({ length: rows }, () => new Float64Array(params.length));
  model.jacobian!(zero, J);
  const columns = params.map((_, j) => Float64Array.from({ length: rows }, (_, i) => J[i]![j]!));
  return { columns, offset };
}
