/**
 * Chi-squared fits: χ² = Σ ((yᵢ − model(xᵢ; p)) / σᵢ)², σᵢ = 1 where none is given.
 *
 * - Linear in the parameters (`fitLinear`): the model is Σⱼ pⱼ·Xᵢⱼ (+ a known offset),
 *   solved exactly by Householder QR with column pivoting on the weighted,
 *   column-equilibrated design matrix, then refined on the augmented system
 *   [I A; Aᵀ 0][r; p] = [b; 0] with residuals in double-double arithmetic
 *   (Björck 1967). The normal equations are never formed: they square the
 *   condition number, which loses every digit on NIST's Filip.
 * - Nonlinear (`fitNonlinear`): Levenberg–Marquardt (MINPACK lmder) by default,
 *   or gradient descent on χ² as the course teaches.
 *
 * Standard errors come from the covariance (AᵀA)⁻¹ (A the weighted Jacobian at the
 * solution), computed from the same QR and refined the same way, and scaled by the
 * reduced χ² when no σ was given.
 */
import { DDAccumulator, EPS, applyQ, applyQt, qrCovariance, qrFactor, qrRank, solveR, solveRt, type QR } from './linalg';
import { levenbergMarquardt } from './lm';
import { minimize } from './minimize';
import type { FitParameter, FitResult, Objective, RunControl, StopReason } from './types';

/** A linear-in-parameters problem: model(xᵢ) = offsetᵢ + Σⱼ pⱼ·columns[j][i]. */
export interface LinearFitProblem {
  /** One column per parameter: the value of ∂model/∂pⱼ at each observation. */
  columns: ArrayLike<number>[];
  y: ArrayLike<number>;
  /** Uncertainties of y; absent means σ = 1 and standard errors scaled by the reduced χ². */
  sigma?: ArrayLike<number>;
  /** The part of the model that does not depend on the parameters (default 0). */
  offset?: ArrayLike<number>;
  names?: string[];
}

/** A nonlinear model evaluated at every observation. */
export interface ModelFunction {
  /** Number of parameters. */
  readonly n: number;
  /** Writes model(xᵢ; p) for every observation i into out. */
  values(p: Float64Array, out: Float64Array): void;
  /** Writes ∂model(xᵢ; p)/∂pⱼ into J[i][j]. When absent, central differences are used (and a note says so). */
  jacobian?(p: Float64Array, J: Float64Array[]): void;
}

export interface NonlinearFitProblem {
  model: ModelFunction;
  y: ArrayLike<number>;
  sigma?: ArrayLike<number>;
  /** Starting values; when absent every parameter starts at 1 and a note says so. */
  p0?: ArrayLike<number>;
  names?: string[];
}

export interface FitOptions extends RunControl {
  method?: 'lm' | 'gd';
  /** Learning rate for `gd` (on χ²). Default 1e-3. */
  step?: number;
  /** For `gd` the iteration limit (default 10000); for `lm` the limit on model evaluations (default 2000·(n+1)). */
  maxIter?: number;
  /** Tolerances for `lm` (MINPACK ftol/xtol/gtol). Default 1e-15. */
  tol?: number;
}

/**
 * Exact least squares for a model linear in its parameters.
 *
 * Example: fitting y = a + b·x to (0, 1), (1, 3), (2, 5):
 * `fitLinear({ columns: [[1, 1, 1], [0, 1, 2]], y: [1, 3, 5], names: ['a', 'b'] })`
 * gives a = 1, b = 2, χ² = 0.
 */
export function fitLinear(problem: LinearFitProblem): FitResult {
  const m = problem.y.length, n = problem.columns.length;
  const names = problem.names ?? Array.from({ length: n }, (_, j) => `p${j + 1}`);
  const notes: string[] = [];
  const bad = checkData(problem.y, problem.sigma, m, n);
  if (bad) return failedFit(names, 'qr', bad);
  for (const c of problem.columns) {
    if (c.length !== m) return failedFit(names, 'qr', 'Every column of the design matrix must have one value per observation.');
    for (let i = 0; i < m; i++) if (!Number.isFinite(c[i]!)) return failedFit(names, 'qr', `The model is not finite at observation ${i + 1}.`);
  }
  const w = weights(problem.sigma, m);
  const b = Float64Array.from({ length: m }, (_, i) => (problem.y[i]! - (problem.offset?.[i] ?? 0)) * w[i]!);
  const A = problem.columns.map((c) => Float64Array.from({ length: m }, (_, i) => c[i]! * w[i]!));
  const ls = scaledLeastSquares(A, b, m, n);
  const p = ls.x;
  const residuals = Array.from({ length: m }, (_, i) => {
    const acc = new DDAccumulator();
    acc.add(problem.y[i]!);
    acc.add(-(problem.offset?.[i] ?? 0));
    for (let j = 0; j < n; j++) acc.addProduct(-p[j]!, problem.columns[j]![i]!);
    return acc.value();
  });
  if (ls.rank < n) notes.push(rankNote(ls.rank, n, names, ls.dependent, A));
  const intercept = problem.columns.some((c) => isConstant(c, m));
  return assemble({
    names, p, residuals, y: problem.y, w, cov: ls.cov, rank: ls.rank, sigmaGiven: !!problem.sigma,
    intercept, method: 'qr', iterations: 1, reason: 'gradient', converged: true,
    message: 'Solved in one step, as the model is linear in its parameters.', notes,
  });
}

/**
 * Nonlinear chi-squared fit by Levenberg–Marquardt (default) or gradient descent.
 *
 * Example: `fitNonlinear({ model: { n: 2, values: (p, out) => xs.forEach((x, i) => out[i] = p[0] * Math.exp(p[1] * x)) }, y, p0: [1, 0.1] })`
 */
export function fitNonlinear(problem: NonlinearFitProblem, options: FitOptions = {}): FitResult {
  const { model } = problem;
  const m = problem.y.length, n = model.n;
  const names = problem.names ?? Array.from({ length: n }, (_, j) => `p${j + 1}`);
  const method = options.method ?? 'lm';
  const p0 = problem.p0 ?? new Float64Array(n).fill(1);
  const bad = checkData(problem.y, problem.sigma, m, n) ?? (p0.length !== n ? `Expected ${n} starting values, got ${p0.length}.` : undefined);
  if (bad) return failedFit(names, method, bad);
  const notes: string[] = [];
  if (!problem.p0) {
    notes.push(`No starting values were given, so every parameter started at 1. A nonlinear fit can converge to a different local minimum, or not at all, from a poor start: give starting values near the expected answer (for example \`${names.map((q) => `${q} = …`).join(', ')}\`).`);
  }
  const w = weights(problem.sigma, m);
  const y = problem.y;
  const mv = new Float64Array(m);
  const Jm = Array.from({ length: m }, () => new Float64Array(n));
  const jac = model.jacobian ? model.jacobian.bind(model) : centralDifferences(model, m);
  if (!model.jacobian) notes.push('No derivatives of the model were given, so the Jacobian was estimated by central differences.');
  // Weighted residuals rᵢ = (model − y)/σᵢ, so that χ² = ‖r‖² and ∂r/∂p = J/σ.
  const residualFn = {
    m, n,
    values(p: Float64Array, r: Float64Array) {
      model.values(p, mv);
      for (let i = 0; i < m; i++) r[i] = (mv[i]! - y[i]!) * w[i]!;
    },
    jacobian(p: Float64Array, J: Float64Array[]) {
      jac(p, Jm);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) J[i]![j] = Jm[i]![j]! * w[i]!;
    },
  };

  let p: Float64Array, iterations: number, converged: boolean, reason: StopReason, message: string;
  if (method === 'gd') {
    const r = new Float64Array(m), J = Array.from({ length: m }, () => new Float64Array(n));
    // χ²(p) = Σ rᵢ²,  ∇χ² = 2 Jᵀ r
    const objective: Objective = {
      n,
      f(q) { residualFn.values(q, r); let s = 0; for (let i = 0; i < m; i++) s += r[i]! * r[i]!; return s; },
      grad(q, g) {
        residualFn.values(q, r); residualFn.jacobian(q, J);
        let s = 0;
        g.fill(0);
        for (let i = 0; i < m; i++) { s += r[i]! * r[i]!; for (let j = 0; j < n; j++) g[j] = g[j]! + 2 * J[i]![j]! * r[i]!; }
        return s;
      },
    };
    const res = minimize(objective, p0, { method: 'gd', step: options.step ?? 1e-3, maxIter: options.maxIter ?? 10000, shouldStop: options.shouldStop, onProgress: options.onProgress });
    p = Float64Array.from(res.x);
    ({ iterations, converged, reason, message } = res);
    notes.push(...res.notes);
  } else {
    const tol = options.tol ?? 1e-15;
    const res = levenbergMarquardt(residualFn, p0, {
      ftol: tol, xtol: tol, gtol: tol, shouldStop: options.shouldStop, onProgress: options.onProgress,
      ...(options.maxIter ? { maxEvaluations: options.maxIter } : {}),
    });
    p = res.x;
    ({ iterations, converged, reason, message } = res);
    if (converged) p = polishGaussNewton(residualFn, p, m, n);
  }
  if (!converged) notes.push(`The fit did not converge: ${lowerFirst(message)}`);

  // Covariance from the weighted Jacobian at the solution.
  const Jw = Array.from({ length: m }, () => new Float64Array(n));
  residualFn.jacobian(p, Jw);
  const A = Array.from({ length: n }, (_, j) => Float64Array.from({ length: m }, (_, i) => Jw[i]![j]!));
  let finite = true;
  for (const c of A) for (const v of c) if (!Number.isFinite(v)) finite = false;
  const ls = finite ? scaledLeastSquares(A, new Float64Array(m), m, n) : { rank: 0, cov: nanMatrix(n), dependent: [] as number[] };
  if (ls.rank < n) notes.push(rankNote(ls.rank, n, names, ls.dependent, A));
  model.values(p, mv);
  const residuals = Array.from({ length: m }, (_, i) => y[i]! - mv[i]!);
  return assemble({
    names, p, residuals, y, w, cov: ls.cov, rank: ls.rank, sigmaGiven: !!problem.sigma,
    intercept: true, method, iterations, reason, converged, message, notes,
  });
}

/**
 * A few Gauss–Newton steps from LM's answer, each solved by the refined QR and kept only
 * when χ² does not increase. LM stops once χ² changes by less than its tolerance, which
 * leaves parameters along flat directions correct to only about √tol; the Gauss–Newton
 * step removes that first-order error (it is exact for the linearised problem).
 */
function polishGaussNewton(F: { values(p: Float64Array, r: Float64Array): void; jacobian(p: Float64Array, J: Float64Array[]): void },
  p0: Float64Array, m: number, n: number): Float64Array {
  let p = Float64Array.from(p0);
  const r = new Float64Array(m), J = Array.from({ length: m }, () => new Float64Array(n));
  const chi = (q: Float64Array) => { F.values(q, r); const acc = new DDAccumulator(); for (let i = 0; i < m; i++) acc.addProduct(r[i]!, r[i]!); return acc.value(); };
  let c = chi(p);
  let prevStep = Infinity;
  for (let k = 0; k < 5; k++) {
    F.values(p, r);
    F.jacobian(p, J);
    const A = Array.from({ length: n }, (_, j) => Float64Array.from({ length: m }, (_, i) => J[i]![j]!));
    if (!A.every((col) => col.every(Number.isFinite))) break;
    const ls = scaledLeastSquares(A, r.map((v) => -v), m, n, false);
    if (ls.rank < n) break;
    // Only in the local regime (steps tiny relative to p and shrinking); χ² may then move by rounding only.
    let step = 0;
    for (let j = 0; j < n; j++) step = Math.max(step, Math.abs(ls.x[j]!) / Math.max(Math.abs(p[j]!), 1e-300));
    if (!(step <= 1e-6) || !(step < prevStep)) break;
    const q = p.map((v, j) => v + ls.x[j]!);
    const cq = chi(q);
    if (!(cq <= c * (1 + 1e-12))) break;
    p = q; c = Math.min(c, cq); prevStep = step;
    if (step <= 4 * EPS) break;
  }
  return p;
}

// ---------------------------------------------------------------------------

interface ScaledLS {
  x: Float64Array;
  /** (AᵀA)⁻¹ in the original parameters, NaN rows/columns for non-estimable ones. */
  cov: number[][];
  rank: number;
  /** Original indices of the columns left out as linearly dependent. */
  dependent: number[];
}

/**
 * min ‖A x − b‖ for A given by columns, with the covariance (AᵀA)⁻¹.
 * Columns are scaled by powers of two (exact in floating point) to unit norm, then
 * factorised with pivoting; the solution and each column of the covariance are
 * refined on the augmented system with double-double residuals.
 */
function scaledLeastSquares(A: Float64Array[], b: Float64Array, m: number, n: number, withCovariance = true): ScaledLS {
  // Powers of two keep A·D exact, so the refinement residuals refer to the true problem.
  const d = A.map((c) => {
    let s = 0;
    for (const v of c) s += v * v;
    return s > 0 ? 2 ** -Math.round(Math.log2(Math.sqrt(s))) : 1;
  });
  const As = A.map((c, j) => c.map((v) => v * d[j]!));
  const qr = qrFactor(As.map((c) => Float64Array.from(c)), m, n, true);
  const rank = qrRank(qr, Math.max(m, n) * EPS * 10);
  const dependent = Array.from(qr.perm.subarray(rank));

  // Solution: start from the plain QR solution, refine.
  const z = new Float64Array(n), r = new Float64Array(m);
  refineAugmented(qr, As, b, new Float64Array(n), rank, z, r, true);
  const x = z.map((v, j) => v * d[j]!);

  if (!withCovariance) return { x, cov: nanMatrix(n), rank, dependent };
  // Covariance column j solves r + A c = 0, Aᵀ r = −e_j, i.e. AᵀA c = e_j.
  const covs = qrCovariance(qr, rank);
  const cov: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(NaN));
  const zero = new Float64Array(m);
  for (let k = 0; k < rank; k++) {
    const j = qr.perm[k]!;
    const g = new Float64Array(n);
    g[j] = -1;
    const c = Float64Array.from({ length: n }, (_, i) => (Number.isFinite(covs[i]![j]!) ? covs[i]![j]! : 0));
    const rr = new Float64Array(m);
    for (let i = 0; i < m; i++) { let s = 0; for (let l = 0; l < n; l++) s += As[l]![i]! * c[l]!; rr[i] = -s; }
    refineAugmented(qr, As, zero, g, rank, c, rr, false);
    for (let i = 0; i < n; i++) if (Number.isFinite(covs[i]![j]!)) cov[i]![j] = c[i]! * d[i]! * d[j]!;
  }
  // Symmetrise the refined columns (they agree to working precision).
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) {
    const a = cov[i]![j]!, c = cov[j]![i]!;
    cov[i]![j] = cov[j]![i] = 0.5 * (a + c);
  }
  return { x, cov, rank, dependent };
}

/**
 * Solve (or refine) [I A; Aᵀ 0][r; z] = [b; g] using the QR of A (pivoted, leading `rank` columns).
 * With Qᵀf = [f₁; f₂] and the permuted g: Rᵀh = g, R δz = f₁ − h, δr = Q[h; f₂].
 * Residuals f = b − r − Az and g − Aᵀr are computed in double-double, so each sweep
 * gains about log10(1/(κ·ε)) digits until the solution is correct to working precision.
 */
function refineAugmented(qr: QR, A: Float64Array[], b: Float64Array, g: Float64Array, rank: number,
  z: Float64Array, r: Float64Array, fromScratch: boolean): void {
  const { m, n, perm } = qr;
  const f = new Float64Array(m), gp = new Float64Array(n);
  const maxSweeps = fromScratch ? 6 : 4;
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    if (sweep === 0 && fromScratch) {
      f.set(b);
      for (let k = 0; k < n; k++) gp[k] = g[perm[k]!]!;
    } else {
      for (let i = 0; i < m; i++) {
        const acc = new DDAccumulator();
        acc.add(b[i]!);
        acc.add(-r[i]!);
        for (let j = 0; j < n; j++) acc.addProduct(-A[j]![i]!, z[j]!);
        f[i] = acc.value();
      }
      for (let k = 0; k < n; k++) {
        const j = perm[k]!, col = A[j]!;
        const acc = new DDAccumulator();
        acc.add(g[j]!);
        for (let i = 0; i < m; i++) acc.addProduct(-col[i]!, r[i]!);
        gp[k] = acc.value();
      }
    }
    applyQt(qr, f);
    const h = solveRt(qr, gp, rank);
    const rhs = new Float64Array(rank);
    for (let k = 0; k < rank; k++) rhs[k] = f[k]! - h[k]!;
    const dzp = solveR(qr, rhs, rank);
    const dr = new Float64Array(m);
    for (let k = 0; k < rank; k++) dr[k] = h[k]!;
    for (let i = rank; i < m; i++) dr[i] = f[i]!;
    applyQ(qr, dr);
    let dzn = 0, zn = 0;
    for (let k = 0; k < n; k++) {
      const j = perm[k]!;
      z[j] = z[j]! + dzp[k]!;
      dzn = Math.max(dzn, Math.abs(dzp[k]!));
      zn = Math.max(zn, Math.abs(z[j]!));
    }
    for (let i = 0; i < m; i++) r[i] = r[i]! + dr[i]!;
    if (sweep > 0 && dzn <= EPS * zn) break;
  }
}

interface AssembleInput {
  names: string[];
  p: Float64Array;
  residuals: number[];
  y: ArrayLike<number>;
  w: Float64Array;
  cov: number[][];
  rank: number;
  sigmaGiven: boolean;
  intercept: boolean;
  method: FitResult['method'];
  iterations: number;
  reason: StopReason;
  converged: boolean;
  message: string;
  notes: string[];
}

function assemble(a: AssembleInput): FitResult {
  const m = a.residuals.length;
  const chiAcc = new DDAccumulator();
  for (let i = 0; i < m; i++) { const t = a.residuals[i]! * a.w[i]!; chiAcc.addProduct(t, t); }
  const chi2 = chiAcc.value();
  const dof = m - a.rank;
  const reducedChi2 = dof > 0 ? chi2 / dof : NaN;
  // R² = 1 − χ²/Σwᵢ²(yᵢ − ȳ)² with the weighted mean, or uncentred (ȳ = 0) without an intercept.
  let ybar = 0;
  if (a.intercept) {
    const s = new DDAccumulator(), sw = new DDAccumulator();
    for (let i = 0; i < m; i++) { const w2 = a.w[i]! * a.w[i]!; s.addProduct(w2, a.y[i]!); sw.add(w2); }
    ybar = s.value() / sw.value();
  }
  const tot = new DDAccumulator();
  for (let i = 0; i < m; i++) { const t = (a.y[i]! - ybar) * a.w[i]!; tot.addProduct(t, t); }
  const r2 = 1 - chi2 / tot.value();
  const scale = a.sigmaGiven ? 1 : reducedChi2;
  const notes = [...a.notes];
  if (!a.sigmaGiven) notes.push('No uncertainties were given (σ = 1), so the standard errors are scaled by the reduced χ² (the residual variance).');
  if (dof <= 0) notes.push('There are no degrees of freedom left (as many parameters as observations), so no standard errors can be computed.');
  const covariance = a.cov.map((row) => row.map((v) => v * scale));
  const parameters: FitParameter[] = a.names.map((name, j) => ({
    name, value: a.p[j]!, stderr: dof > 0 || a.sigmaGiven ? Math.sqrt(covariance[j]![j]!) : NaN,
  }));
  return {
    parameters, chi2, reducedChi2, dof, r2, residuals: a.residuals, covariance,
    iterations: a.iterations, converged: a.converged, reason: a.reason, method: a.method,
    message: a.message, notes, rank: a.rank,
  };
}

function checkData(y: ArrayLike<number>, sigma: ArrayLike<number> | undefined, m: number, n: number): string | undefined {
  if (n === 0) return 'The model has no parameters to fit.';
  if (m < n) return `There are ${m} observations for ${n} parameters; a fit needs at least as many observations as parameters.`;
  for (let i = 0; i < m; i++) if (!Number.isFinite(y[i]!)) return `Observation ${i + 1} is not a finite number.`;
  if (sigma) {
    if (sigma.length !== m) return 'The uncertainty column must have one value per observation.';
    for (let i = 0; i < m; i++) if (!(sigma[i]! > 0) || !Number.isFinite(sigma[i]!)) return `The uncertainty of observation ${i + 1} must be a positive number.`;
  }
  return undefined;
}

function weights(sigma: ArrayLike<number> | undefined, m: number): Float64Array {
  return Float64Array.from({ length: m }, (_, i) => (sigma ? 1 / sigma[i]! : 1));
}

function isConstant(c: ArrayLike<number>, m: number): boolean {
  if (m === 0 || c[0] === 0) return false;
  for (let i = 1; i < m; i++) if (c[i] !== c[0]) return false;
  return true;
}

/**
 * Why the fit is singular, for the reader: a parameter the model does not change with at these data
 * (its column of the design matrix or Jacobian is zero: k in exp(k·x) once k is hugely negative), or
 * parameters that only a combination of can be determined (a and b in a·b·x).
 */
function rankNote(rank: number, n: number, names: string[], dependent: number[], columns: readonly ArrayLike<number>[]): string {
  // (loops, not Math.max(...column): a column of 300,000 observations would overflow the stack as arguments)
  const maxAbs = (c: ArrayLike<number>): number => { let m = 0; for (let i = 0; i < c.length; i++) m = Math.max(m, Math.abs(c[i]!)); return m; };
  const largest = columns.reduce((m, c) => Math.max(m, maxAbs(c)), 0);
  const flat = dependent.filter((j) => maxAbs(columns[j]!) <= 1e-12 * largest);
  const tied = dependent.filter((j) => !flat.includes(j));
  const reasons: string[] = [];
  if (flat.length) reasons.push(`the model does not change with ${flat.map((j) => names[j]).join(', ')} there`);
  if (tied.length) reasons.push(`${tied.map((j) => names[j]).join(', ')} ${tied.length === 1 ? 'depends' : 'depend'} linearly on the others: only a combination is determined`);
  return `The fit is singular: only ${rank} of ${n} parameters can be determined from these data (${reasons.join('; ')}), so ${dependent.length === 1 ? 'its' : 'their'} standard errors cannot be computed.`;
}

function nanMatrix(n: number): number[][] {
  return Array.from({ length: n }, () => new Array<number>(n).fill(NaN));
}

function failedFit(names: string[], method: FitResult['method'], message: string): FitResult {
  const n = names.length;
  return {
    parameters: names.map((name) => ({ name, value: NaN, stderr: NaN })),
    chi2: NaN, reducedChi2: NaN, dof: 0, r2: NaN, residuals: [], covariance: nanMatrix(n),
    iterations: 0, converged: false, reason: 'failed', method, message, notes: [message], rank: 0,
  };
}

/** Central differences with steps h = ε^(1/3)·max(1, |pⱼ|), the error-balancing choice for O(h²) truncation. */
function centralDifferences(model: ModelFunction, m: number): (p: Float64Array, J: Float64Array[]) => void {
  const up = new Float64Array(m), dn = new Float64Array(m);
  return (p, J) => {
    const q = Float64Array.from(p);
    for (let j = 0; j < model.n; j++) {
      const h = Math.cbrt(EPS) * Math.max(1, Math.abs(p[j]!));
      q[j] = p[j]! + h; model.values(q, up);
      q[j] = p[j]! - h; model.values(q, dn);
      q[j] = p[j]!;
      for (let i = 0; i < m; i++) J[i]![j] = (up[i]! - dn[i]!) / (2 * h);
    }
  };
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
