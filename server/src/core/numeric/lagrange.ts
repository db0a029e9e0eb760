/**
 * Extrema of f subject to equality constraints gᵢ(x) = 0 by Lagrange multipliers.
 *
 * Stationary points of the Lagrangian L(x, λ) = f(x) − Σ λᵢ gᵢ(x) solve the KKT system
 *   ∇f(x) − Σ λᵢ ∇gᵢ(x) = 0,   gᵢ(x) = 0,
 * which is solved by Newton's method (newtonSystem) from a deterministic set of
 * starting points: the Halton sequence (bases 2, 3, 5, …) scaled to the box [−s, s]ⁿ for
 * s = 1, 3 and 10, so that the same statement always gives the same candidates.
 * Duplicates are merged, and each candidate is classified by the Hessian of L restricted to
 * the tangent space {d : ∇gᵢ·d = 0} (Zᵀ∇²L Z with Z an orthonormal basis of that space):
 * positive definite → local constrained minimum, negative definite → maximum, both signs →
 * saddle, a (near) zero eigenvalue → degenerate. This is the bordered-Hessian test in a
 * numerically stable form (the signs of the bordered minors are those of these eigenvalues).
 */
import { EPS, applyQ, enorm, luSolve, qrFactor, qrRank, symEig } from './linalg';
import { newtonSystem } from './root';
import type { Objective, RunControl } from './types';

export interface LagrangeOptions extends RunControl {
  /** Number of Halton points per scale (default 24; three scales). */
  startsPerScale?: number;
  /** Box half-widths to sample (default [1, 3, 10]). */
  scales?: number[];
}

export type CandidateKind = 'min' | 'max' | 'saddle' | 'degenerate';

export interface LagrangeCandidate {
  x: number[];
  lambda: number[];
  f: number;
  kind: CandidateKind;
  /** Eigenvalues of the Hessian of L on the tangent space (ascending). */
  curvature: number[];
}

export interface LagrangeResult {
  candidates: LagrangeCandidate[];
  /** Index into candidates of the largest f among those that are local maxima or degenerate (the constrained maximum found), or −1. */
  max: number;
  /** Index of the smallest f among local minima or degenerate candidates, or −1. */
  min: number;
  starts: number;
  notes: string[];
  message: string;
}

/** Points of the Halton sequence in [−1, 1]ⁿ (radical inverses in the first n primes). */
export function halton(count: number, n: number): number[][] {
  const primes = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71];
  const out: number[][] = [];
  for (let i = 1; i <= count; i++) {
    out.push(Array.from({ length: n }, (_, d) => {
      const b = primes[d % primes.length]!;
      let f = 1, r = 0, k = i;
      while (k > 0) { f /= b; r += f * (k % b); k = Math.floor(k / b); }
      return 2 * r - 1;
    }));
  }
  return out;
}

/**
 * Find and classify the constrained stationary points of f subject to gᵢ = 0.
 *
 * Example: extrema of x + y on the unit circle:
 * `lagrange(f, [g])` with f = x + y, g = x² + y² − 1 gives a max 2^½ at (0.707, 0.707) and a min −2^½.
 */
export function lagrange(f: Objective, constraints: Objective[], options: LagrangeOptions = {}): LagrangeResult {
  const n = f.n, k = constraints.length;
  const notes: string[] = [];
  if (k === 0 || k >= n + 1 || constraints.some((c) => c.n !== n)) {
    const message = k === 0 ? 'There are no constraints.' : `There are ${k} constraints on ${n} variables; Lagrange multipliers need fewer constraints than variables, each in the same variables.`;
    return { candidates: [], max: -1, min: -1, starts: 0, notes: [message], message };
  }
  if (!f.hess || constraints.some((c) => !c.hess)) notes.push('Second derivatives were not all given; they were estimated by differences of the gradients.');
  const hessOf = (o: Objective) => o.hess ? (x: Float64Array) => o.hess!(x) : (x: Float64Array) => differenceHessian(o, x);
  const hf = hessOf(f), hg = constraints.map(hessOf);

  const gf = new Float64Array(n);
  const gg = constraints.map(() => new Float64Array(n));
  // F(x, λ) = [∇f − Σλᵢ∇gᵢ; g]
  const kkt = {
    m: n + k, n: n + k,
    values(z: Float64Array, out: Float64Array) {
      const x = z.subarray(0, n);
      f.grad(x, gf);
      for (let i = 0; i < n; i++) out[i] = gf[i]!;
      constraints.forEach((c, j) => {
        out[n + j] = c.grad(x, gg[j]!);
        for (let i = 0; i < n; i++) out[i] = out[i]! - z[n + j]! * gg[j]![i]!;
      });
    },
    // J = [∇²f − Σλᵢ∇²gᵢ, −∇g; ∇gᵀ, 0]
    jacobian(z: Float64Array, J: Float64Array[]) {
      const x = z.subarray(0, n);
      const H = hf(x);
      for (let i = 0; i < n; i++) for (let l = 0; l < n; l++) J[i]![l] = H[i]![l]!;
      constraints.forEach((c, j) => {
        const Hg = hg[j]!(x);
        c.grad(x, gg[j]!);
        for (let i = 0; i < n; i++) {
          for (let l = 0; l < n; l++) J[i]![l] = J[i]![l]! - z[n + j]! * Hg[i]![l]!;
          J[i]![n + j] = -gg[j]![i]!;
          J[n + j]![i] = gg[j]![i]!;
        }
        for (let l = 0; l < k; l++) J[n + j]![n + l] = 0;
      });
    },
  };

  const scales = options.scales ?? [1, 3, 10];
  const per = options.startsPerScale ?? 24;
  const points = halton(per, n);
  const found: LagrangeCandidate[] = [];
  let starts = 0, infeasible = 0;
  outer: for (const s of scales) {
    for (const p of points) {
      if (options.shouldStop?.()) { notes.push('Stopped early on request; the candidates found so far are listed.'); break outer; }
      starts++;
      const x0 = Float64Array.from(p, (v) => s * v);
      const z0 = new Float64Array(n + k);
      z0.set(x0);
      z0.set(initialMultipliers(f, constraints, x0), n);
      const res = newtonSystem(kkt, z0, { maxIter: 60 });
      if (!res.converged) continue;
      const z = Float64Array.from(res.x);
      const x = z.subarray(0, n);
      const scaleX = 1 + enorm(x);
      // on the constraint, not only near it: Newton's residual mixes ∇L with g, and where ∇g vanishes
      // (y² = x³ at the origin) it can be small with g off by 1e-7 and λ in the thousands
      if (!feasible(constraints, x)) { infeasible++; continue; }
      if (found.some((c) => dist(c.x, x) <= 1e-6 * scaleX)) continue;
      found.push(snapped(classify(f, constraints, hf, hg, x, z.subarray(n)), f));
    }
    options.onProgress?.(starts, found.length);
  }
  found.sort((a, b) => a.f - b.f || a.x[0]! - b.x[0]!);
  let max = -1, min = -1;
  // A candidate can be the constrained maximum only if it is not a local minimum (nor a saddle), and vice versa.
  found.forEach((c, i) => {
    if (c.kind !== 'max' && c.kind !== 'saddle' && (min < 0 || c.f < found[min]!.f)) min = i;
    if (c.kind !== 'min' && c.kind !== 'saddle' && (max < 0 || c.f > found[max]!.f)) max = i;
  });
  const describe = (i: number, what: string) => (i < 0 ? `none of them is a ${what}` : `the ${what} is f = ${fmt(found[i]!.f)} at (${found[i]!.x.map(fmt).join(', ')})`);
  const message = found.length === 0
    ? `No point satisfying the constraints with ∇f parallel to the constraint gradients was found from ${starts} starting points.`
    : `${found.length} constrained stationary point${found.length === 1 ? '' : 's'} found from ${starts} starting points; ${describe(max, 'constrained maximum')}, ${describe(min, 'constrained minimum')}.`;
  if (found.length > 0) notes.push('These are the stationary points found from the sampled starts; a constraint set that is unbounded may have larger or smaller values elsewhere.');
  if (max >= 0 && min >= 0 && found[max]!.f < found[min]!.f) {
    notes.push(`The maximum found is below the minimum found, so both are only local: f may be unbounded on this constraint set, or have stationary points the starts missed.`);
  }
  if (found.length === 0) {
    const singular = k === 1 ? singularPoint(constraints[0]!, points, scales) : undefined;
    notes.push(singular
      ? `The constraint's gradient vanishes at (${Array.from(singular, fmt).join(', ')}), a point of the constraint where f = ${fmt(f.f(singular))}: the multiplier rule cannot see such points (∇f = λ∇g has no solution there), so an extremum may lie there. Compare f at that point with f elsewhere on the constraint.`
      : infeasible > 0
        ? `Newton came close to the constraint ${infeasible} time${infeasible === 1 ? '' : 's'} without meeting it, with the multipliers growing: an extremum may lie where the constraint's gradient vanishes, which the multiplier rule cannot find.`
        : 'The constraint may have no real points (x^2 + y^2 = -1), f no extremum on it (a linear f on a line), or its stationary points may lie beyond where the starts were taken (|x| ≤ 10 in each variable).');
  }
  return { candidates: found, max, min, starts, notes, message };
}

function fmt(v: number): string {
  return Number(v.toPrecision(6)).toString();
}

function dist(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(s);
}

/** λ minimising ‖∇f − Σλᵢ∇gᵢ‖ at x0 (the normal equations of a k×k system; k is tiny). */
function initialMultipliers(f: Objective, constraints: Objective[], x0: Float64Array): Float64Array {
  const n = f.n, k = constraints.length;
  const gf = new Float64Array(n);
  f.grad(x0, gf);
  const G = constraints.map((c) => { const g = new Float64Array(n); c.grad(x0, g); return g; });
  const A = G.map((gi) => G.map((gj) => { let s = 0; for (let l = 0; l < n; l++) s += gi[l]! * gj[l]!; return s; }));
  const b = G.map((gi) => { let s = 0; for (let l = 0; l < n; l++) s += gi[l]! * gf[l]!; return s; });
  const lam = luSolve(A, b);
  return lam && lam.every(Number.isFinite) ? lam : new Float64Array(k);
}

/**
 * A point where g = 0 and ∇g = 0 (a cusp or an isolated point of the constraint: y² = x³ and
 * (x − 1)² + y² = 0), found by least squares on (g, ∇g) from the same starts; undefined if none.
 */
function singularPoint(g: Objective, starts: number[][], scales: number[]): Float64Array | undefined {
  const n = g.n, grad = new Float64Array(n);
  const system = {
    m: n + 1, n,
    values(x: Float64Array, out: Float64Array) { out[0] = g.grad(x, grad); for (let i = 0; i < n; i++) out[i + 1] = grad[i]!; },
    jacobian(x: Float64Array, J: Float64Array[]) {
      g.grad(x, grad);
      const H = g.hess ? g.hess(x) : differenceHessian(g, x);
      for (let i = 0; i < n; i++) { J[0]![i] = grad[i]!; for (let j = 0; j < n; j++) J[i + 1]![j] = H[i]![j]!; }
    },
  };
  for (const s of scales.slice(0, 1)) {
    for (const p of starts.slice(0, 8)) {
      const res = newtonSystem(system, Float64Array.from(p, (v) => s * v), { maxIter: 60 });
      if (!res.converged) continue;
      const x = Float64Array.from(res.x);
      g.grad(x, grad);
      if (feasible([g], x) && enorm(grad) <= 1e-6 * (1 + enorm(x))) return x;
    }
  }
  return undefined;
}

/**
 * A candidate with the coordinates and multipliers that are rounding (below 1e-12 of their vector's
 * size: x = -1.3e-27 for 0) set to 0, and f at the point so cleaned.
 */
function snapped(c: LagrangeCandidate, f: Objective): LagrangeCandidate {
  const clean = (v: number[]): number[] => { const size = Math.max(1, ...v.map(Math.abs)); return v.map((e) => (Math.abs(e) <= 1e-12 * size ? 0 : e)); };
  const x = clean(c.x);
  const fx = f.f(Float64Array.from(x));
  return { ...c, x, lambda: clean(c.lambda), f: Number.isFinite(fx) ? fx + 0 : c.f }; // (+ 0: no −0)
}

/** Every gᵢ(x) is 0 to rounding: |gᵢ| ≤ 1e-9·max(1, ‖∇gᵢ‖·(1 + ‖x‖)). */
function feasible(constraints: Objective[], x: Float64Array): boolean {
  const g = new Float64Array(x.length);
  return constraints.every((c) => {
    const v = c.grad(x, g);
    return Math.abs(v) <= 1e-9 * Math.max(1, enorm(g) * (1 + enorm(x)));
  });
}

function classify(f: Objective, constraints: Objective[], hf: (x: Float64Array) => ArrayLike<number>[],
  hg: ((x: Float64Array) => ArrayLike<number>[])[], x: Float64Array, lambda: Float64Array): LagrangeCandidate {
  const n = f.n, k = constraints.length;
  const fx = f.f(x);
  // Hessian of the Lagrangian: ∇²f − Σλᵢ∇²gᵢ
  const H = hf(x);
  const L = Array.from({ length: n }, (_, i) => Float64Array.from({ length: n }, (_, j) => H[i]![j]!));
  hg.forEach((h, c) => { const Hg = h(x); for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) L[i]![j] = L[i]![j]! - lambda[c]! * Hg[i]![j]!; });
  // Orthonormal basis Z of the tangent space: the last n − k columns of Q in the QR of [∇g₁ … ∇g_k].
  const cols = constraints.map((c) => { const g = new Float64Array(n); c.grad(x, g); return g; });
  const qr = qrFactor(cols.map((c) => Float64Array.from(c)), n, k, true);
  const rank = qrRank(qr, 1e3 * n * EPS);
  const base: LagrangeCandidate = { x: Array.from(x), lambda: Array.from(lambda), f: fx, kind: 'degenerate', curvature: [] };
  if (rank < k) return base; // constraint gradients dependent: the multiplier rule does not apply
  const Z: Float64Array[] = [];
  for (let j = k; j < n; j++) { const e = new Float64Array(n); e[j] = 1; applyQ(qr, e); Z.push(e); }
  const m = Z.length;
  if (m === 0) return { ...base, kind: 'degenerate' };
  // P = Zᵀ L Z
  const P = Z.map((zi) => Z.map((zj) => {
    let s = 0;
    for (let a = 0; a < n; a++) { let t = 0; for (let b = 0; b < n; b++) t += L[a]![b]! * zj[b]!; s += zi[a]! * t; }
    return s;
  }));
  const { values } = symEig(P, m);
  let scale = 0;
  for (const row of L) for (const v of row) scale = Math.max(scale, Math.abs(v));
  const tol = 1e-8 * Math.max(1, scale);
  const curvature = Array.from(values);
  let kind: CandidateKind;
  if (curvature.some((v) => Math.abs(v) <= tol)) kind = 'degenerate';
  else if (curvature.every((v) => v > 0)) kind = 'min';
  else if (curvature.every((v) => v < 0)) kind = 'max';
  else kind = 'saddle';
  return { ...base, kind, curvature };
}

/** Symmetric central-difference Hessian from the gradient, h = ε^(1/3)·max(1, |xᵢ|). */
function differenceHessian(o: Objective, x: Float64Array): number[][] {
  const n = o.n;
  const H = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const gp = new Float64Array(n), gm = new Float64Array(n), y = Float64Array.from(x);
  for (let j = 0; j < n; j++) {
    const h = Math.cbrt(EPS) * Math.max(1, Math.abs(x[j]!));
    y[j] = x[j]! + h; o.grad(y, gp);
    y[j] = x[j]! - h; o.grad(y, gm);
    y[j] = x[j]!;
    for (let i = 0; i < n; i++) H[i]![j] = (gp[i]! - gm[i]!) / (2 * h);
  }
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) H[i]![j] = H[j]![i] = 0.5 * (H[i]![j]! + H[j]![i]!);
  return H;
}
