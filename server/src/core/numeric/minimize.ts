/**
 * Unconstrained minimisation of a smooth f: Rⁿ → R.
 *
 * Methods (`options.method`):
 * - `gd`: gradient descent with the fixed step the course teaches, x ← x − η∇f(x).
 *   Detects divergence (f growing step after step, or non-finite) and says the step is too large.
 * - `gd-armijo`: gradient descent with a backtracking (Armijo) line search.
 * - `newton`: Newton's method with the exact Hessian, made positive definite when it is not
 *   by adding τI (Nocedal & Wright, Algorithm 3.3), with a backtracking line search.
 * - `bfgs`: quasi-Newton BFGS with a strong-Wolfe line search (Nocedal & Wright, Algorithms 3.5–3.6).
 * - `trust-newton`: trust-region Newton with the exact Hessian; the subproblem
 *   min gᵀp + ½pᵀHp, ‖p‖ ≤ Δ is solved exactly (Moré & Sorensen) from the eigen-decomposition of H,
 *   hard case included, so negative curvature is used rather than discarded.
 * - `auto` (default): `trust-newton` when a Hessian is given (and n ≤ 100), else `bfgs`; if the first
 *   choice does not converge, the other finishes from where it stopped (the result says so).
 */
import { EPS, cholesky, choleskySolve, enorm, symEig } from './linalg';
import { isConvergedReason, type Evaluations, type MinimizeMethod, type MinimizeOptions, type MinimizeResult, type Objective, type StopReason } from './types';

type Method = Exclude<MinimizeMethod, 'auto'>;

/** Largest n for which `auto` uses trust-region Newton (an n×n eigen-decomposition per iteration). */
export const TRUST_NEWTON_MAX_N = 100;

const METHOD_NAMES: Record<Method, string> = {
  gd: 'gradient descent (fixed step)',
  'gd-armijo': 'gradient descent (backtracking line search)',
  newton: 'Newton (exact Hessian)',
  bfgs: 'BFGS',
  'trust-newton': 'trust-region Newton (exact Hessian)',
};

/** The reader-facing name of a method, e.g. for a code lens: `methodName('bfgs')` is `'BFGS'`. */
export function methodName(m: Method): string {
  return METHOD_NAMES[m];
}

/**
 * Minimise `objective` from x0.
 *
 * Example: `minimize({ n: 1, f: (x) => (x[0] - 2) ** 2, grad: (x, g) => { g[0] = 2 * (x[0] - 2); return (x[0] - 2) ** 2 } }, [0]).x` is `[2]`.
 */
export function minimize(objective: Objective, x0: ArrayLike<number>, options: MinimizeOptions = {}): MinimizeResult {
  const run = new Run(objective, options);
  const start = Float64Array.from(x0);
  if (start.length !== objective.n) return run.finish(start, NaN, 'failed', `Expected ${objective.n} starting values, got ${start.length}.`, 'bfgs');
  const requested = options.method ?? 'auto';
  if (requested !== 'auto') return runMethod(run, requested, start);

  // The exact trust-region subproblem costs O(n³) per iteration (an eigen-decomposition); beyond
  // TRUST_NEWTON_MAX_N variables BFGS (O(n²) per iteration) is the better default.
  const useHessian = !!objective.hess && objective.n <= TRUST_NEWTON_MAX_N;
  const first: Method = useHessian ? 'trust-newton' : 'bfgs';
  if (!objective.hess) run.notes.push('No Hessian was given, so BFGS was used.');
  else if (!useHessian) run.notes.push(`With ${objective.n} variables (more than ${TRUST_NEWTON_MAX_N}), BFGS was used rather than trust-region Newton, whose exact subproblem grows as n³.`);
  const res = runMethod(run, first, start);
  if (res.converged || res.reason === 'stopped' || res.reason === 'diverged' || !useHessian) return res;
  // Second chance: the other method from the best point found.
  const second: Method = first === 'trust-newton' ? 'bfgs' : 'trust-newton';
  run.notes.push(`${METHOD_NAMES[first]} stopped without converging (${res.reason}); continued with ${METHOD_NAMES[second]} from its last point.`);
  run.resetIterationBudget();
  return runMethod(run, second, Float64Array.from(res.x));
}

/**
 * Maximise by minimising −f; the result reports the maximum value in `f`.
 * Example: `maximize({ n: 1, f: (x) => -(x[0] ** 2), grad: (x, g) => { g[0] = -2 * x[0]; return -(x[0] ** 2) } }, [1]).x` is `[0]`.
 */
export function maximize(objective: Objective, x0: ArrayLike<number>, options: MinimizeOptions = {}): MinimizeResult {
  const hess = objective.hess;
  const neg: Objective = {
    n: objective.n,
    f: (x) => -objective.f(x),
    grad: (x, g) => {
      const v = objective.grad(x, g);
      for (let i = 0; i < g.length; i++) g[i] = -g[i]!;
      return -v;
    },
    ...(hess ? { hess: (x: Float64Array) => hess(x).map((row) => Array.from(row, (v) => -v)) } : {}),
  };
  const res = minimize(neg, x0, options);
  // f growing without bound is said of f, not of −f falling
  const unbounded = res.reason === 'diverged' && res.message.includes('without bound');
  return {
    ...res,
    f: -res.f,
    history: res.history.map((h) => ({ ...h, f: -h.f })),
    message: unbounded
      ? `f increases without bound (f = ${fmt(-res.f)} at |x| = ${fmt(enorm(Float64Array.from(res.x)))}): there is no maximum.`
      : res.message.replace(/\bf\b/g, '−f'),
  };
}

// ---------------------------------------------------------------------------
// Shared bookkeeping: counters, path, history, stopping tests.

class Run {
  readonly n: number;
  readonly evaluations: Evaluations = { f: 0, grad: 0, hess: 0 };
  readonly path: number[][] = [];
  readonly history: { f: number; gradNorm: number; iteration: number }[] = [];
  readonly notes: string[] = [];
  readonly gradTol: number;
  readonly stepTol: number;
  readonly valueTol: number;
  readonly maxIter: number;
  readonly maxPath: number;
  iterations = 0;
  /** f at the starting point (see check). */
  private startF: number | undefined;
  private iterBase = 0;
  private smallChanges = 0;
  /** Iterations between kept points of a thinned path. */
  private stride = 1;

  constructor(readonly obj: Objective, readonly opts: MinimizeOptions) {
    this.n = obj.n;
    this.gradTol = opts.gradTol ?? 1e-10;
    this.stepTol = opts.stepTol ?? 1e-14;
    this.valueTol = opts.valueTol ?? 1e-15;
    this.maxIter = opts.maxIter ?? 1000 * Math.max(1, Math.min(obj.n, 20));
    this.maxPath = opts.maxPath ?? 10000;
  }

  f(x: Float64Array): number {
    this.evaluations.f++;
    const v = this.obj.f(x);
    return Number.isNaN(v) ? Infinity : v;
  }
  grad(x: Float64Array, g: Float64Array): number {
    this.evaluations.grad++;
    const v = this.obj.grad(x, g);
    return Number.isNaN(v) ? Infinity : v;
  }
  hess(x: Float64Array): ArrayLike<number>[] {
    this.evaluations.hess++;
    return this.obj.hess!(x);
  }

  resetIterationBudget(): void {
    this.iterBase = this.iterations;
    this.smallChanges = 0;
  }
  get budgetLeft(): boolean {
    return this.iterations - this.iterBase < this.maxIter;
  }

  /**
   * Records an iterate. A long path is thinned evenly in the iteration number: past `maxPath`
   * points, only iterations on a stride (1, 2, 4, … apart) are kept, and the newest point, which
   * may be the last, is kept until the next one replaces it.
   */
  record(x: Float64Array, f: number, gnorm: number): void {
    this.startF ??= f;
    const newest = this.history[this.history.length - 1];
    if (newest && newest.iteration % this.stride !== 0) { this.path.pop(); this.history.pop(); }
    this.path.push(Array.from(x));
    this.history.push({ f, gradNorm: gnorm, iteration: this.iterations });
    if (this.path.length > this.maxPath) {
      this.stride *= 2;
      const keep = (i: number): boolean => this.history[i]!.iteration % this.stride === 0 || i === this.history.length - 1;
      const p = this.path.filter((_, i) => keep(i)), h = this.history.filter((_, i) => keep(i));
      this.path.length = 0; this.path.push(...p);
      this.history.length = 0; this.history.push(...h);
    }
    this.opts.onProgress?.(this.iterations, f);
  }

  /**
   * The gradient test, relative to the size of f so that a problem's scale does not matter. But |f|
   * also grows where f has no minimum (f = -x after a few huge steps), so the size is the smaller of
   * |f| here and at the first point of the run (of its first method, when a second one finishes it).
   */
  gradientVanishes(gnorm: number, f: number): boolean {
    this.startF ??= f;
    return gnorm <= this.gradTol * Math.max(1, Math.min(Math.abs(f), Math.abs(this.startF)));
  }

  /** A step that has settled: at most SETTLED_STEP of 1 + ‖x‖. */
  static settled(step: number, x: Float64Array): boolean {
    return step <= SETTLED_STEP * (1 + enorm(x));
  }

  /** Common tests after an accepted step; returns a stop reason or undefined to continue. */
  check(x: Float64Array, f: number, fPrev: number, g: Float64Array, stepNorm: number): [StopReason, string] | undefined {
    const gnorm = enorm(g);
    if (!Number.isFinite(f) || !x.every(Number.isFinite)) return ['diverged', 'f or x became infinite or undefined (NaN): the iteration diverged.'];
    if (f < -1e100 || enorm(x) > 1e100) return ['diverged', `f decreases without bound along the path (f = ${fmt(f)} at |x| = ${fmt(enorm(x))}): there is no minimum in this direction.`];
    const settled = Run.settled(stepNorm, x);
    if (this.gradientVanishes(gnorm, f)) {
      return ['gradient', `The gradient is zero to tolerance (|∇f| = ${fmt(gnorm)}).`];
    }
    if (stepNorm <= this.stepTol * (this.stepTol + enorm(x))) return ['step', `The steps became negligible (|Δx| = ${fmt(stepNorm)}).`];
    // Relative change only: with f* = 0 an absolute test would stop long before x is accurate. And
    // only with small steps: f can repeat while x jumps back and forth (a fixed step of 2/L).
    if (Math.abs(f - fPrev) <= this.valueTol * Math.abs(f) && settled) {
      if (++this.smallChanges >= 2) return ['value', `f stopped changing (|Δf| = ${fmt(Math.abs(f - fPrev))} on successive iterations).`];
    } else this.smallChanges = 0;
    if (this.opts.shouldStop?.()) return ['stopped', 'Stopped on request (time limit or cancellation).'];
    if (!this.budgetLeft) return ['maxiter', `Stopped at the iteration limit (${this.maxIter}) before converging (|∇f| = ${fmt(gnorm)}).`];
    return undefined;
  }

  finish(x: Float64Array, f: number, reason: StopReason, message: string, method: Method): MinimizeResult {
    // A run that ends higher than it began has not minimised anything, whatever test stopped it: a fixed
    // step that threw the iterates onto a plateau (a fit's exp(k·x) with k = -5e8) stops there with a
    // zero gradient and negligible steps.
    if (isConvergedReason(reason) && this.startF !== undefined && f > this.startF + 64 * EPS * Math.max(1, Math.abs(this.startF))) {
      reason = 'diverged';
      message = `f ended higher than it began (${fmt(f)} against ${fmt(this.startF)}), where it stopped changing: ${method === 'gd' ? `the step η = ${this.opts.step ?? 0.1} is too large, and threw the iterates where f is flat` : 'the run went astray'}. ${message}`;
    }
    const g = new Float64Array(this.n);
    let gnorm = NaN;
    if (Number.isFinite(f)) {
      const last = this.history[this.history.length - 1];
      gnorm = last?.gradNorm ?? NaN;
      if (!Number.isFinite(gnorm)) { this.grad(x, g); gnorm = enorm(g); }
    }
    return {
      x: Array.from(x), f, iterations: this.iterations, evaluations: { ...this.evaluations },
      converged: isConvergedReason(reason), reason, message, method, path: this.path, history: this.history,
      gradNorm: gnorm, notes: this.notes,
    };
  }
}

/** What a stationary point turned out to be, when it is not what was sought (see `checkOptimum`). */
export interface OptimumCheck {
  /** Set when the point is not a minimum (or maximum): why, for the reader. */
  readonly notOptimal?: string;
  /** Set when the second-derivative test is silent but f does not fall (rise) nearby. */
  readonly note?: string;
}

/**
 * A run that converged stopped where the gradient vanishes; that is a minimum (for `sense`
 * 'maximize', a maximum) only if f does not fall (rise) nearby. The Hessian decides when it has
 * a negative (positive) eigenvalue larger than the leftover gradient can explain (100·‖g‖/max(1, ‖x‖)):
 * f falls along that eigenvector. When an eigenvalue is zero the second-derivative test is silent
 * (x³ and x⁴ at 0 alike), and f, less the first-order term of the leftover gradient, is compared with
 * its values a hundredth and a thousandth of max(1, ‖x‖) away along those flat directions: it must fall
 * at both, by more than rounding, to count. Without a Hessian, or past TRUST_NEWTON_MAX_N variables,
 * nothing is checked.
 */
export function checkOptimum(objective: Objective, x: ArrayLike<number>, sense: 'minimize' | 'maximize'): OptimumCheck {
  const n = objective.n;
  if (!objective.hess || n > TRUST_NEWTON_MAX_N) return {};
  const at = Float64Array.from(x);
  const sign = sense === 'minimize' ? 1 : -1;
  const H = objective.hess(at).map((row) => Array.from(row, (v) => sign * v));
  if (!H.every((row) => row.every(Number.isFinite))) return {};
  const g = new Float64Array(n);
  const f0 = objective.grad(at, g);
  if (!Number.isFinite(f0) || !g.every(Number.isFinite)) return {};
  const { values, vectors } = symEig(H, n);
  const scale = Math.max(1, ...Array.from(values, Math.abs));
  const tol = OPTIMUM_EIGENVALUE_TOLERANCE * scale;
  const goal = sense === 'minimize' ? 'minimum' : 'maximum';
  const point = `(${Array.from(at, fmt).join(', ')})`;
  const noise = 64 * EPS * Math.max(1, Math.abs(f0));
  const radius = Math.max(1, enorm(at));
  const y = new Float64Array(n), d = new Float64Array(n);
  // A curvature of the wrong sign decides, unless it is of the size that the slope the solver left
  // can explain (a loose tol stops near a valley of minima, where the Hessian bends slightly the
  // wrong way): then the point is a minimum to the tolerance asked, and nothing is said.
  const leftover = 100 * enorm(g) / radius;
  if (values[0]! < -Math.max(tol, leftover)) {
    return {
      notOptimal: `The gradient is zero at ${point}, but this is not a ${goal}: the Hessian has a ${sense === 'minimize' ? 'negative' : 'positive'} eigenvalue (${fmt(sign * values[0]!)}), so f ${sense === 'minimize' ? 'decreases' : 'increases'} along (${Array.from(vectors[0]!, fmt).join(', ')}). Start from another point.`,
    };
  }
  // Downhill along the leftover slope: the quadratic model puts the lowest point |g|/λ away (λ the
  // curvature that way). At a minimum f is higher again at four times that distance; where f still
  // falls there (exp(x) far out on its tail, where the gradient is below any tolerance), the point
  // is only where the solver gave up on a slope that goes on. Flat or bending the wrong way: a
  // hundredth of max(1, ‖x‖). f must fall at that distance and at half of it, by more than rounding.
  const gnorm = enorm(g);
  if (gnorm > 0) {
    for (let i = 0; i < n; i++) d[i] = -sign * g[i]! / gnorm;
    let curvature = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) curvature += d[i]! * H[i]![j]! * d[j]!;
    const reach = curvature > 0 ? Math.min(4 * gnorm / curvature, 1e3 * radius) : radius / 100;
    const far = Array.from(at, (a, i) => a + reach * d[i]!), near = Array.from(at, (a, i) => a + (reach / 2) * d[i]!);
    const fFar = objective.f(Float64Array.from(far)), fNear = objective.f(Float64Array.from(near));
    // and still downhill there: past a flat minimum (x⁴ stopped short of with a loose tol) f is lower
    // too, but the slope has turned
    const gFar = new Float64Array(n);
    objective.grad(Float64Array.from(far), gFar);
    let slopeFar = 0;
    for (let i = 0; i < n; i++) slopeFar += sign * gFar[i]! * d[i]!;
    if (sign * (fFar - f0) < -noise && sign * (fNear - f0) < -noise && slopeFar < 0) {
      return {
        notOptimal: `The slope is nearly zero at ${point}, but this is not a ${goal}: f goes on ${sense === 'minimize' ? 'falling' : 'rising'} that way (${fmt(fFar)} at (${far.map(fmt).join(', ')}), against ${fmt(f0)}), so it may approach a bound it never reaches. Start elsewhere, or check that a ${goal} exists.`,
      };
    }
  }
  // Where the Hessian is flat, or bends the wrong way by no more than the leftover slope explains,
  // the second-derivative test does not decide (x³ and x⁴ at 0 alike): f is compared with f(x) less
  // the first-order term g·d of that slope, a hundredth and a thousandth of max(1, ‖x‖) away; a fall
  // at both is the function's shape.
  for (let k = 0; k < n && values[k]! <= tol; k++) {
    const v = vectors[k]!;
    for (const side of [1, -1]) {
      let found: number | undefined;
      for (const h of [1e-2, 1e-3]) {
        let slope = 0;
        for (let i = 0; i < n; i++) { d[i] = side * h * radius * v[i]!; y[i] = at[i]! + d[i]!; slope += g[i]! * d[i]!; }
        const fy = objective.f(y);
        if (!(sign * (fy - f0 - slope) < -noise)) { found = undefined; break; }
        found = fy;
      }
      if (found === undefined) continue;
      if (values[k]! < -tol) {
        return {
          notOptimal: `The gradient is zero at ${point}, but this is not a ${goal}: the Hessian has a ${sense === 'minimize' ? 'negative' : 'positive'} eigenvalue (${fmt(sign * values[k]!)}), so f ${sense === 'minimize' ? 'decreases' : 'increases'} along (${Array.from(v, fmt).join(', ')}). Start from another point.`,
        };
      }
      return {
        notOptimal: `The gradient is zero at ${point}, but this is not a ${goal}: f is ${sense === 'minimize' ? 'lower' : 'higher'} nearby (${fmt(found)} at (${Array.from(y, fmt).join(', ')}), against ${fmt(f0)}). The second-derivative test is silent here, as the Hessian is singular.`,
      };
    }
  }
  if (!values.some((l) => Math.abs(l) <= tol)) return {};
  return { note: `The Hessian is singular or nearly so here (an eigenvalue within ${OPTIMUM_EIGENVALUE_TOLERANCE} of the largest), so the second-derivative test is not conclusive; f is not ${sense === 'minimize' ? 'lower' : 'higher'} at the nearby points tried.` };
}

/** A step this small against 1 + ‖x‖ has settled (see Run.check). */
const SETTLED_STEP = 1e-4;

/** An eigenvalue this small against the largest (or 1) counts as zero: the hover's EIGENVALUE_TOLERANCE. */
const OPTIMUM_EIGENVALUE_TOLERANCE = 1e-9;

function fmt(v: number): string {
  return Number.isFinite(v) ? Number(v.toPrecision(4)).toString() : String(v);
}

function runMethod(run: Run, method: Method, x0: Float64Array): MinimizeResult {
  switch (method) {
    case 'gd': return gradientDescentFixed(run, x0);
    case 'gd-armijo': return lineSearchMethod(run, x0, 'gd-armijo');
    case 'newton': return run.obj.hess ? lineSearchMethod(run, x0, 'newton') : noHessian(run, x0, 'newton');
    case 'bfgs': return lineSearchMethod(run, x0, 'bfgs');
    case 'trust-newton': return run.obj.hess ? trustNewton(run, x0) : noHessian(run, x0, 'trust-newton');
  }
}

function noHessian(run: Run, x0: Float64Array, m: Method): MinimizeResult {
  run.notes.push(`${METHOD_NAMES[m]} needs the Hessian, which was not given; BFGS was used instead.`);
  return lineSearchMethod(run, x0, 'bfgs');
}

// ---------------------------------------------------------------------------
// Gradient descent with a fixed step η: x_{k+1} = x_k − η ∇f(x_k).

function gradientDescentFixed(run: Run, x0: Float64Array): MinimizeResult {
  const eta = run.opts.step ?? 0.1;
  const n = run.n;
  const x = Float64Array.from(x0), g = new Float64Array(n), gPrev = new Float64Array(n), xPrev = new Float64Array(n);
  let f = run.grad(x, g);
  run.record(x, f, enorm(g));
  if (!Number.isFinite(f)) return run.finish(x, f, 'diverged', 'f is not finite at the starting point.', 'gd');
  let rises = 0, stalls = 0;
  let curvature = 0; // largest secant estimate ‖Δg‖/‖Δx‖ of the Lipschitz constant L
  for (;;) {
    xPrev.set(x); gPrev.set(g);
    for (let i = 0; i < n; i++) x[i] = x[i]! - eta * g[i]!;
    const fPrev = f;
    f = run.grad(x, g);
    run.iterations++;
    const dx = eta * enorm(gPrev);
    let dg = 0;
    for (let i = 0; i < n; i++) dg += (g[i]! - gPrev[i]!) ** 2;
    if (dx > 0) curvature = Math.max(curvature, Math.sqrt(dg) / dx);
    run.record(x, f, enorm(g));
    // A fixed step converges only when η < 2/L; beyond that f grows geometrically, and at 2/L the
    // iterates jump back and forth across the valley with f the same at every step.
    rises = f > fPrev ? rises + 1 : 0;
    stalls = f >= fPrev && !Run.settled(dx, x) ? stalls + 1 : 0;
    if (rises >= 5 || stalls >= 5 || !Number.isFinite(f) || Math.abs(f) > 1e100) {
      const hint = curvature > 0 ? ` The curvature seen along the path (L ≈ ${fmt(curvature)}) needs η < 2/L ≈ ${fmt(2 / curvature)}.` : '';
      const what = rises >= 5 ? `f grew at every one of the last ${rises} steps`
        : stalls >= 5 ? `f did not decrease at any of the last ${stalls} steps, as the iterates jump back and forth across the valley`
          : 'f became too large to represent';
      return run.finish(x, f, 'diverged', `Gradient descent diverged: ${what} (f = ${fmt(f)}), so the step η = ${eta} is too large.${hint}`, 'gd');
    }
    const stop = run.check(x, f, fPrev, g, dx);
    if (stop) return run.finish(x, f, stop[0], stop[1], 'gd');
  }
}

// ---------------------------------------------------------------------------
// Line-search methods: a direction, then a step along it.

function lineSearchMethod(run: Run, x0: Float64Array, method: 'gd-armijo' | 'newton' | 'bfgs'): MinimizeResult {
  const n = run.n;
  const x = Float64Array.from(x0), g = new Float64Array(n), d = new Float64Array(n);
  const xNew = new Float64Array(n), gNew = new Float64Array(n);
  let f = run.grad(x, g);
  run.record(x, f, enorm(g));
  if (!Number.isFinite(f)) return run.finish(x, f, 'failed', 'f is not finite at the starting point.', method);
  {
    const gn = enorm(g);
    if (run.gradientVanishes(gn, f)) return run.finish(x, f, 'gradient', `The gradient is already zero at the start (|∇f| = ${fmt(gn)}).`, method);
  }
  // BFGS keeps the inverse Hessian approximation Hinv.
  let Hinv: Float64Array[] | null = null;
  let alphaPrev = 1;
  let modifiedNoted = false;
  for (;;) {
    // Direction.
    if (method === 'gd-armijo') {
      for (let i = 0; i < n; i++) d[i] = -g[i]!;
    } else if (method === 'newton') {
      const H = run.hess(x);
      const { L, tau } = modifiedCholesky(H, n);
      if (!L) return run.finish(x, f, 'failed', 'The Hessian could not be made positive definite (it has non-finite entries).', method);
      if (tau > 0 && !modifiedNoted) {
        run.notes.push(`The Hessian was not positive definite at iteration ${run.iterations} (x = (${Array.from(x, fmt).join(', ')})); added ${fmt(tau)}·I so that the Newton step goes downhill.`);
        modifiedNoted = true;
      }
      const p = choleskySolve(L, g);
      for (let i = 0; i < n; i++) d[i] = -p[i]!;
    } else {
      if (!Hinv) {
        Hinv = Array.from({ length: n }, (_, i) => { const r = new Float64Array(n); r[i] = 1; return r; });
      }
      for (let i = 0; i < n; i++) { let s = 0; for (let j = 0; j < n; j++) s -= Hinv[i]![j]! * g[j]!; d[i] = s; }
    }
    let slope = 0;
    for (let i = 0; i < n; i++) slope += g[i]! * d[i]!;
    if (!(slope < 0)) {
      // Not a descent direction (rounding in Hinv): restart from steepest descent.
      for (let i = 0; i < n; i++) d[i] = -g[i]!;
      slope = -(enorm(g) ** 2);
      Hinv = null;
    }
    // Step.
    let alpha0 = 1;
    if (method === 'gd-armijo') alpha0 = Math.min(1e10, alphaPrev * 2);
    if (method === 'bfgs' && run.iterations === 0) alpha0 = Math.min(1, 1 / Math.max(EPS, enorm(g)));
    const ls = method === 'bfgs'
      ? strongWolfe(run, x, f, g, d, slope, alpha0, xNew, gNew)
      : backtracking(run, x, f, slope, d, alpha0, xNew, gNew);
    if (!ls) {
      const gn = enorm(g);
      return run.finish(x, f, gn <= 1e-6 * Math.max(1, Math.abs(f)) ? 'value' : 'failed',
        gn <= 1e-6 * Math.max(1, Math.abs(f))
          ? `The line search could not decrease f any further (|∇f| = ${fmt(gn)}); f is at its minimum to rounding.`
          : `The line search found no step that decreases f (|∇f| = ${fmt(gn)}).`, method);
    }
    if (ls.unbounded) {
      x.set(xNew);
      return run.finish(x, ls.f, 'diverged', `f decreases without bound along the search direction (f = ${fmt(ls.f)} at |x| = ${fmt(enorm(x))}): there is no minimum.`, method);
    }
    alphaPrev = ls.alpha;
    const fNew = ls.f;
    run.iterations++;
    const stepNorm = ls.alpha * enorm(d);
    if (method === 'bfgs') {
      // s = x_{k+1} − x_k, y = ∇f_{k+1} − ∇f_k;  H⁺ = (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ,  ρ = 1/(yᵀs)
      const s = new Float64Array(n), y = new Float64Array(n);
      let sy = 0, yy = 0;
      for (let i = 0; i < n; i++) { s[i] = xNew[i]! - x[i]!; y[i] = gNew[i]! - g[i]!; sy += s[i]! * y[i]!; yy += y[i]! * y[i]!; }
      if (sy > EPS * enorm(s) * Math.sqrt(yy) && Hinv) {
        if (run.iterations === 1) {
          // Scale the initial matrix to the curvature just observed (Nocedal & Wright 6.20).
          const gamma = sy / yy;
          for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) Hinv[i]![j] = i === j ? gamma : 0;
        }
        const rho = 1 / sy;
        const Hy = new Float64Array(n);
        for (let i = 0; i < n; i++) { let t = 0; for (let j = 0; j < n; j++) t += Hinv[i]![j]! * y[j]!; Hy[i] = t; }
        let yHy = 0;
        for (let i = 0; i < n; i++) yHy += y[i]! * Hy[i]!;
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
          Hinv[i]![j] = Hinv[i]![j]! - rho * (Hy[i]! * s[j]! + s[i]! * Hy[j]!) + (rho * rho * yHy + rho) * s[i]! * s[j]!;
        }
      }
    }
    const fPrev = f;
    x.set(xNew); g.set(gNew); f = fNew;
    run.record(x, f, enorm(g));
    const stop = run.check(x, f, fPrev, g, stepNorm);
    if (stop) return run.finish(x, f, stop[0], stop[1], method);
  }
}

/** H + τI with the smallest τ ∈ {0, β, 2β, 4β, …} for which Cholesky succeeds (Nocedal & Wright, Alg. 3.3). */
function modifiedCholesky(H: ArrayLike<number>[], n: number): { L: Float64Array[] | null; tau: number } {
  let minDiag = Infinity, normF = 0;
  for (let i = 0; i < n; i++) {
    minDiag = Math.min(minDiag, H[i]![i]!);
    for (let j = 0; j < n; j++) normF += H[i]![j]! ** 2;
  }
  normF = Math.sqrt(normF);
  if (!Number.isFinite(normF)) return { L: null, tau: 0 };
  const beta = Math.max(1e-3 * normF, 1e-8);
  let tau = minDiag > 0 ? 0 : -minDiag + beta;
  for (let k = 0; k < 200; k++) {
    const L = cholesky(H, n, tau);
    if (L) return { L, tau };
    tau = Math.max(2 * tau, beta);
  }
  return { L: null, tau };
}

interface StepResult { alpha: number; f: number; unbounded?: boolean }

/** Armijo backtracking: the largest α = α₀·2⁻ᵏ with f(x + αd) ≤ f(x) + 10⁻⁴·α·∇fᵀd. Writes x + αd and its gradient. */
function backtracking(run: Run, x: Float64Array, f: number, slope: number, d: Float64Array, alpha0: number,
  xNew: Float64Array, gNew: Float64Array): StepResult | null {
  const n = run.n;
  let alpha = alpha0;
  for (let k = 0; k < 60; k++) {
    for (let i = 0; i < n; i++) xNew[i] = x[i]! + alpha * d[i]!;
    const fa = run.f(xNew);
    if (fa <= f + 1e-4 * alpha * slope) {
      run.grad(xNew, gNew);
      return { alpha, f: fa };
    }
    alpha /= 2;
  }
  return null;
}

/**
 * A step satisfying the strong Wolfe conditions
 *   f(x + αd) ≤ f(x) + c₁α∇fᵀd  and  |∇f(x + αd)ᵀd| ≤ c₂|∇fᵀd|,  c₁ = 10⁻⁴, c₂ = 0.9
 * by bracketing and zooming with safeguarded cubic interpolation (Nocedal & Wright, Alg. 3.5–3.6).
 */
function strongWolfe(run: Run, x: Float64Array, f0: number, _g0: Float64Array, d: Float64Array, slope0: number,
  alpha1: number, xNew: Float64Array, gNew: Float64Array): StepResult | null {
  const n = run.n;
  const c1 = 1e-4, c2 = 0.9;
  const phi = (a: number): [number, number] => {
    for (let i = 0; i < n; i++) xNew[i] = x[i]! + a * d[i]!;
    const fa = run.grad(xNew, gNew);
    let da = 0;
    for (let i = 0; i < n; i++) da += gNew[i]! * d[i]!;
    return [fa, Number.isFinite(fa) ? da : NaN];
  };
  let aPrev = 0, fPrev = f0, dPrev = slope0;
  let a = alpha1;
  let best: { a: number; f: number } | null = null;
  const zoom = (lo: number, flo: number, dlo: number, hi: number, fhi: number, dhi: number): StepResult | null => {
    for (let k = 0; k < 40; k++) {
      let aj = cubicMin(lo, flo, dlo, hi, fhi, dhi);
      const lower = Math.min(lo, hi), upper = Math.max(lo, hi), w = upper - lower;
      if (!Number.isFinite(aj) || aj < lower + 0.1 * w || aj > upper - 0.1 * w) aj = 0.5 * (lo + hi);
      const [fj, dj] = phi(aj);
      if (!Number.isFinite(fj) || fj > f0 + c1 * aj * slope0 || fj >= flo) {
        hi = aj; fhi = fj; dhi = dj;
      } else {
        if (Math.abs(dj) <= -c2 * slope0) return { alpha: aj, f: fj };
        if (dj * (hi - lo) >= 0) { hi = lo; fhi = flo; dhi = dlo; }
        lo = aj; flo = fj; dlo = dj;
      }
      if (Math.abs(hi - lo) <= EPS * Math.max(1, Math.abs(lo))) break;
    }
    // Accept the best sufficient-decrease point found, if any.
    if (lo > 0 && flo < f0) {
      const [fl] = phi(lo);
      return { alpha: lo, f: fl };
    }
    return null;
  };
  for (let k = 0; k < 40; k++) {
    const [fa, da] = phi(a);
    if (!Number.isFinite(fa)) {
      // Outside the domain: shrink towards the last good point.
      a = aPrev + 0.1 * (a - aPrev);
      continue;
    }
    if (fa > f0 + c1 * a * slope0 || (k > 0 && fa >= fPrev)) return zoom(aPrev, fPrev, dPrev, a, fa, da);
    if (Math.abs(da) <= -c2 * slope0) return { alpha: a, f: fa };
    if (da >= 0) return zoom(a, fa, da, aPrev, fPrev, dPrev);
    best = { a, f: fa };
    aPrev = a; fPrev = fa; dPrev = da;
    if (a >= 1e20) break;
    a = Math.min(a * 4, 1e20);
  }
  if (best) {
    // f kept decreasing with slope as steep as at the start all the way out: unbounded below along d.
    const [fb] = phi(best.a);
    return { alpha: best.a, f: fb, unbounded: true };
  }
  return null;
}

/** Minimiser of the cubic interpolating φ and φ′ at a and b (NaN when it has none). */
function cubicMin(a: number, fa: number, da: number, b: number, fb: number, db: number): number {
  if (!Number.isFinite(fb) || !Number.isFinite(db)) return NaN;
  const d1 = da + db - 3 * (fa - fb) / (a - b);
  const disc = d1 * d1 - da * db;
  if (disc < 0) return NaN;
  const d2 = Math.sign(b - a) * Math.sqrt(disc);
  return b - (b - a) * (db + d2 - d1) / (db - da + 2 * d2);
}

// ---------------------------------------------------------------------------
// Trust-region Newton with the exact subproblem solution.

function trustNewton(run: Run, x0: Float64Array): MinimizeResult {
  const n = run.n;
  const x = Float64Array.from(x0), g = new Float64Array(n), xNew = new Float64Array(n), gNew = new Float64Array(n);
  let f = run.grad(x, g);
  run.record(x, f, enorm(g));
  if (!Number.isFinite(f)) return run.finish(x, f, 'failed', 'f is not finite at the starting point.', 'trust-newton');
  let H = run.hess(x);
  let saddleEscapes = 0;
  // A zero gradient ends the run only at a minimum: at a saddle (H has a negative eigenvalue)
  // the trust-region step follows the negative curvature instead (the subproblem's hard case).
  const atSaddle = (): boolean => {
    if (saddleEscapes >= 5 || cholesky(H, n)) return false;
    const { values } = symEig(H, n);
    const scale = Math.max(...Array.from(values, Math.abs), 1e-300);
    if (!(values[0]! < -1e-8 * scale)) return false;
    saddleEscapes++;
    run.notes.push(`The gradient vanishes at (${Array.from(x, fmt).join(', ')}), but the Hessian has a negative eigenvalue (${fmt(values[0]!)}) there: it is a saddle point, so the search continued downhill along that direction.`);
    return true;
  };
  {
    const gn = enorm(g);
    if (run.gradientVanishes(gn, f) && !atSaddle()) return run.finish(x, f, 'gradient', `The gradient is already zero at the start (|∇f| = ${fmt(gn)}).`, 'trust-newton');
  }
  let delta = Math.max(1, enorm(x));
  const deltaMax = 1e10 * Math.max(1, enorm(x));
  let rejects = 0;
  let negativeCurvatureNoted = false;
  for (;;) {
    if (run.opts.shouldStop?.()) return run.finish(x, f, 'stopped', 'Stopped on request (time limit or cancellation).', 'trust-newton');
    if (!run.budgetLeft) return run.finish(x, f, 'maxiter', `Stopped at the iteration limit (${run.maxIter}) before converging (|∇f| = ${fmt(enorm(g))}).`, 'trust-newton');
    const sub = trustSubproblem(H, g, n, delta);
    if (!sub) return run.finish(x, f, 'failed', 'The Hessian has non-finite entries.', 'trust-newton');
    if (sub.negativeCurvature && !negativeCurvatureNoted) {
      // (not "indefinite": a Hessian with no positive eigenvalue, or of one variable, has negative curvature too)
      run.notes.push(`The Hessian had negative curvature at iteration ${run.iterations} (it was not positive definite); the trust-region step followed it downhill.`);
      negativeCurvatureNoted = true;
    }
    const p = sub.p;
    const pnorm = enorm(p);
    for (let i = 0; i < n; i++) xNew[i] = x[i]! + p[i]!;
    // One gradient call per trial point: it returns f as well (with reverse-mode AD for about
    // twice the cost of f), so an accepted step costs one call instead of an f and a gradient.
    const fNew = run.grad(xNew, gNew);
    const actual = f - fNew, predicted = -sub.model;
    // Near the minimum both reductions are at rounding level; then accept any non-increase.
    const noise = 10 * EPS * Math.max(1, Math.abs(f));
    let rho = predicted > 0 ? actual / predicted : -1;
    if (Math.abs(actual) <= noise && predicted <= noise) rho = fNew <= f ? 1 : 0;
    if (!Number.isFinite(fNew)) rho = -1;
    if (rho < 0.25) delta = 0.25 * Math.min(delta, pnorm);
    else if (rho > 0.75 && pnorm >= 0.99 * delta) delta = Math.min(2 * delta, deltaMax);
    if (rho > 1e-4) {
      rejects = 0;
      const fPrev = f;
      f = fNew;
      x.set(xNew); g.set(gNew);
      run.iterations++;
      run.record(x, f, enorm(g));
      const stop = run.check(x, f, fPrev, g, pnorm);
      H = run.hess(x);
      if (stop && !(stop[0] === 'gradient' && atSaddle())) return run.finish(x, f, stop[0], stop[1], 'trust-newton');
    } else {
      rejects++;
      if (delta <= run.stepTol * (run.stepTol + enorm(x)) || rejects > 200) {
        const gn = enorm(g);
        return run.finish(x, f, 'step', `The trust region shrank to nothing (Δ = ${fmt(delta)}): no step decreases f further (|∇f| = ${fmt(gn)}).`, 'trust-newton');
      }
    }
  }
}

/**
 * Exact solution of min m(p) = gᵀp + ½pᵀHp subject to ‖p‖ ≤ Δ (Moré & Sorensen 1983):
 * p = −(H + λI)⁻¹g with λ ≥ max(0, −λ_min) and λ(Δ − ‖p‖) = 0, found from H = VΛVᵀ
 * by Newton's method on the secular equation 1/‖p(λ)‖ = 1/Δ; in the hard case (g ⟂ the
 * lowest eigenvectors) a multiple of the lowest eigenvector takes p to the boundary.
 */
function trustSubproblem(H: ArrayLike<number>[], g: Float64Array, n: number, delta: number):
  { p: Float64Array; model: number; negativeCurvature: boolean } | null {
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (!Number.isFinite(H[i]![j]!)) return null;
  const modelOf = (p: Float64Array) => {
    let m = 0;
    for (let i = 0; i < n; i++) {
      let hp = 0;
      for (let j = 0; j < n; j++) hp += H[i]![j]! * p[j]!;
      m += g[i]! * p[i]! + 0.5 * p[i]! * hp;
    }
    return m;
  };
  // Positive definite and the Newton step fits: Cholesky is more accurate than the eigenvectors for graded matrices.
  const L = cholesky(H, n);
  if (L) {
    const pn = choleskySolve(L, g).map((v) => -v);
    if (enorm(pn) <= delta) return { p: pn, model: modelOf(pn), negativeCurvature: false };
  }
  const { values, vectors } = symEig(H, n);
  const gt = vectors.map((v) => { let s = 0; for (let i = 0; i < n; i++) s += v[i]! * g[i]!; return s; });
  const lmin = values[0]!;
  const scale = Math.max(Math.abs(lmin), Math.abs(values[n - 1]!), 1e-300);
  const pOf = (lambda: number, skipLowest: boolean) => {
    const p = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const den = values[k]! + lambda;
      if (skipLowest && values[k]! - lmin <= 1e-12 * scale) continue;
      const c = -gt[k]! / den;
      for (let i = 0; i < n; i++) p[i] = p[i]! + c * vectors[k]![i]!;
    }
    return p;
  };
  const normAt = (lambda: number) => {
    let s = 0;
    for (let k = 0; k < n; k++) s += (gt[k]! / (values[k]! + lambda)) ** 2;
    return Math.sqrt(s);
  };
  const lambdaLow = Math.max(0, -lmin);
  const gn = enorm(g);
  // Hard case: g has (almost) no component along the lowest eigenvectors and even λ = −λ_min stays inside.
  let gLow = 0;
  for (let k = 0; k < n; k++) if (values[k]! - lmin <= 1e-12 * scale) gLow += gt[k]! ** 2;
  if (lmin <= 0 && Math.sqrt(gLow) <= 1e-12 * Math.max(gn, 1e-300)) {
    const p = pOf(lambdaLow, true);
    const pn = enorm(p);
    if (pn <= delta) {
      const tau = Math.sqrt(Math.max(0, delta * delta - pn * pn));
      const v = vectors[0]!;
      const p1 = p.map((pi, i) => pi + tau * v[i]!), p2 = p.map((pi, i) => pi - tau * v[i]!);
      const m1 = modelOf(p1), m2 = modelOf(p2);
      return m1 <= m2 ? { p: p1, model: m1, negativeCurvature: true } : { p: p2, model: m2, negativeCurvature: true };
    }
  }
  // Easy case: ‖p(λ)‖ decreases from ∞ (or from ‖p(λ_low)‖ > Δ) to 0; bracket and solve.
  let lo = lambdaLow, hi = lambdaLow + gn / delta + scale * 1e-15;
  if (lmin > 0 && normAt(0) <= delta) return { p: pOf(0, false), model: modelOf(pOf(0, false)), negativeCurvature: false };
  let lambda = hi;
  for (let it = 0; it < 200; it++) {
    const pn = normAt(lambda);
    const fval = 1 / pn - 1 / delta;
    if (Math.abs(pn - delta) <= 1e-12 * delta) break;
    if (fval < 0) lo = Math.max(lo, lambda); // ‖p‖ > Δ: λ too small
    else hi = Math.min(hi, lambda);
    let s3 = 0;
    for (let k = 0; k < n; k++) s3 += gt[k]! ** 2 / (values[k]! + lambda) ** 3;
    const deriv = s3 / (pn * pn * pn); // d/dλ (1/‖p‖) = Σ g̃²/(λₖ+λ)³ / ‖p‖³
    let next = lambda - fval / deriv;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (hi - lo <= 1e-15 * Math.max(1, hi)) { lambda = hi; break; }
    lambda = next;
  }
  if (!(lambda > lambdaLow)) lambda = lambdaLow + 1e-15 * scale;
  const p = pOf(lambda, false);
  return { p, model: modelOf(p), negativeCurvature: lmin < 0 };
}
