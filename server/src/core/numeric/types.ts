/**
 * Types shared by the numeric solvers (root finding, minimisation, Lagrange
 * multipliers, least-squares fits).
 *
 * The solvers work on plain closures over `Float64Array`s and know nothing of
 * the .calc language: the language compiles an `Expr` (with its exact gradient
 * and Hessian from the calculus engine) into one of these shapes and hands it over.
 * Nothing here throws on bad input; failures come back as `converged: false`
 * with a reason code and a sentence that says what happened.
 */

/** A scalar function of n variables with its gradient (and optionally its Hessian). */
export interface Objective {
  readonly n: number;
  /** f(x); may return NaN or ±Infinity outside the domain (the solvers treat that as "step too long"). */
  f(x: Float64Array): number;
  /** Writes ∇f(x) into g and returns f(x). */
  grad(x: Float64Array, g: Float64Array): number;
  /** The exact Hessian ∇²f(x), n rows of n. When absent, methods that need it fall back (and say so). */
  hess?(x: Float64Array): ArrayLike<number>[];
}

/** A vector function F: Rⁿ → Rᵐ with its Jacobian, for Newton's method on systems and for least squares. */
export interface VectorFunction {
  readonly m: number;
  readonly n: number;
  /** Writes F(x) into out (length m). */
  values(x: Float64Array, out: Float64Array): void;
  /** Writes the Jacobian into J, m rows of n: J[i][j] = ∂Fᵢ/∂xⱼ. */
  jacobian(x: Float64Array, J: Float64Array[]): void;
}

/** Hooks that bound a run in time and report progress; polled once per iteration. */
export interface RunControl {
  /** Return true to stop (deadline reached, user cancelled); the result then says `reason: 'stopped'`. */
  shouldStop?: () => boolean;
  onProgress?: (iteration: number, value: number) => void;
}

/** Why a solver stopped. `converged` is true for the first group. */
export type StopReason =
  | 'gradient' // ‖∇f‖ (or ‖F‖ for roots) below tolerance
  | 'step' // the step became smaller than the tolerance
  | 'value' // f stopped changing
  | 'residual' // |F(x)| below tolerance (roots)
  | 'maxiter' // iteration limit reached
  | 'stopped' // shouldStop() returned true
  | 'diverged' // f → ±∞, NaN, or iterates ran away
  | 'saddle' // stopped where the gradient vanishes, but not at a minimum (a maximum): a saddle, or f falls nearby
  | 'failed'; // the method could not make progress (zero derivative, singular system, line search failure)

/** Whether a stop reason counts as convergence. */
export function isConvergedReason(r: StopReason): boolean {
  return r === 'gradient' || r === 'step' || r === 'value' || r === 'residual';
}

/** Evaluation counters. */
export interface Evaluations {
  f: number;
  grad: number;
  hess: number;
}

export type MinimizeMethod = 'gd' | 'gd-armijo' | 'newton' | 'bfgs' | 'trust-newton' | 'auto';

export interface MinimizeOptions extends RunControl {
  method?: MinimizeMethod;
  /** Fixed step (learning rate) for `gd`; default 0.1 as in the course. */
  step?: number;
  /** Stop when ‖∇f‖ ≤ gradTol·max(1, min(|f|, |f| at the start)): relative to f's size, which an unbounded f inflates. Default 1e-10. */
  gradTol?: number;
  /** Stop when ‖Δx‖ ≤ stepTol·(stepTol + ‖x‖). Default 1e-14. */
  stepTol?: number;
  /** Stop when |Δf| ≤ valueTol·|f| on two successive iterations. Default 1e-15. */
  valueTol?: number;
  maxIter?: number;
  /** Keep every iterate in `path` (default true; capped at `maxPath` points, thinned evenly). */
  maxPath?: number;
}

export interface MinimizeResult {
  x: number[];
  f: number;
  iterations: number;
  evaluations: Evaluations;
  converged: boolean;
  reason: StopReason;
  /** One sentence on why it stopped, for hovers and the CLI. */
  message: string;
  /** The method that produced x (for `auto`, the one it ended with). */
  method: Exclude<MinimizeMethod, 'auto'>;
  /** Every iterate (thinned when longer than maxPath), starting with x0. */
  path: number[][];
  /** f and |∇f| at each point of `path`, and the iteration that produced it (a long path is thinned). */
  history: { f: number; gradNorm: number; iteration: number }[];
  gradNorm: number;
  /** Plain-English notes: fallbacks taken, Hessian modifications, warnings. */
  notes: string[];
}

export interface RootOptions extends RunControl {
  /** Stop when |F(x)| ≤ tol (∞-norm, scaled by the size of F at the start when that is larger than 1). Default 1e-12. */
  tol?: number;
  /** Stop when the step is below stepTol·(1 + |x|). Default 1e-14. */
  stepTol?: number;
  maxIter?: number;
  /** Plain Newton without any safeguard, exactly as taught (still reports cycling or divergence). */
  plain?: boolean;
}

export interface RootResult {
  x: number[];
  /** F(x); for one variable a single entry. */
  value: number[];
  iterations: number;
  evaluations: number;
  converged: boolean;
  reason: StopReason;
  message: string;
  /** Every iterate, starting with x0 (for the plot of tangent steps). */
  path: number[][];
  /** Which safeguard took over, if any. */
  safeguard?: 'damping' | 'bisection' | 'line-search';
  notes: string[];
}

/** One parameter of a fit, with its standard error (NaN when it cannot be computed). */
export interface FitParameter {
  name: string;
  value: number;
  stderr: number;
}

export interface FitResult {
  parameters: FitParameter[];
  /** χ² = Σ ((yᵢ − model(xᵢ)) / σᵢ)² */
  chi2: number;
  /** χ² / dof (NaN when dof = 0). */
  reducedChi2: number;
  dof: number;
  /** Coefficient of determination; the uncentred one when the model has no intercept (`centredR2: false`). */
  r2: number;
  /** yᵢ − model(xᵢ) (unweighted). */
  residuals: number[];
  /** Covariance matrix of the parameters (NaN entries when singular). */
  covariance: number[][];
  iterations: number;
  converged: boolean;
  reason: StopReason;
  method: 'qr' | 'lm' | 'gd';
  message: string;
  notes: string[];
  /** Numerical rank of the (weighted) design or Jacobian matrix. */
  rank: number;
}
