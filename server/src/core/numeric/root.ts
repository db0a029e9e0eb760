/**
 * Zeros of functions by Newton–Raphson.
 *
 * One variable, as the course teaches it: x_{k+1} = x_k − f(x_k)/f′(x_k). Plain Newton
 * fails in three ways: f′ = 0 (the tangent is flat), cycling (the iterates repeat a
 * few points), and divergence (|x| or |f| grows). Each is detected and reported; unless
 * `plain` is set, the solver then takes over with a safeguard, and says which:
 * - `bisection`: once a sign change [a, b] is known, Newton steps that leave the bracket
 *   (or do not halve it fast enough) are replaced by bisection (Numerical Recipes' rtsafe);
 * - `damping`: otherwise the Newton step is shortened until |f| decreases (a line search
 *   on f²), and an outward search for a sign change runs when even that fails.
 *
 * Systems: Newton's method J(x)·δ = −F(x) with a backtracking line search on ½‖F‖²
 * (damping); when J is singular or F is not square, Levenberg–Marquardt on ‖F‖² takes over.
 */
import { EPS, enorm, luSolve } from './linalg';
import { levenbergMarquardt } from './lm';
import type { RootOptions, RootResult, StopReason, VectorFunction } from './types';

/** A function of one variable with its derivative. */
export interface ScalarFunction {
  f(x: number): number;
  df(x: number): number;
}

function fmt(v: number): string {
  return Number.isFinite(v) ? Number(v.toPrecision(6)).toString() : String(v);
}

/**
 * Newton–Raphson in one variable from x0.
 *
 * Example: `newtonRaphson({ f: (x) => x * x - 2, df: (x) => 2 * x }, 1).x[0]` is √2.
 */
export function newtonRaphson(fn: ScalarFunction, x0: number, options: RootOptions = {}): RootResult {
  const maxIter = options.maxIter ?? 100;
  const stepTol = options.stepTol ?? 1e-14;
  const notes: string[] = [];
  const path: number[][] = [[x0]];
  let evaluations = 0;
  const f = (x: number) => { evaluations++; const v = fn.f(x); return Number.isNaN(v) ? Infinity : v; };
  const df = (x: number) => fn.df(x);
  let x = x0;
  let fx = f(x);
  const tol = options.tol ?? 1e-13 * Math.max(1, Math.min(Math.abs(fx), 1e6));
  let safeguard: RootResult['safeguard'];
  let lo = NaN, hi = NaN, flo = NaN; // a bracket with f(lo)·f(hi) < 0, once known
  let iterations = 0;
  let rises = 0, bisectNoted = false, signChangeSeen = false;
  const approach = new Approach();
  let best = x0, fbest = Math.abs(fx);

  const done = (reason: StopReason, message: string): RootResult => ({
    x: [x], value: [fx], iterations, evaluations, converged: reason === 'residual' || reason === 'step',
    reason, message, path, notes, ...(safeguard ? { safeguard } : {}),
  });
  const setBracket = (a: number, fa: number, b: number, fb: number) => {
    lo = Math.min(a, b); hi = Math.max(a, b); flo = a < b ? fa : fb;
  };

  if (!Number.isFinite(fx)) return done('failed', `f is not defined at the start x = ${fmt(x0)}.`);
  // zero to tolerance at the start, and the root there, not far off on a tail where |f| is tiny (exp(x) at -40)
  if (Math.abs(fx) <= tol && (fx === 0 || Math.abs(fx / df(x)) <= SETTLED_STEP * (1 + Math.abs(x)))) {
    return done('residual', `f(${fmt(x)}) = ${fmt(fx)} is already zero to tolerance.`);
  }

  for (;;) {
    if (options.shouldStop?.()) return done('stopped', 'Stopped on request (time limit or cancellation).');
    if (iterations >= maxIter) {
      if (Math.abs(fx) <= tol && approach.steady) {
        // still closing in linearly at the limit: a root of high multiplicity, as accurate as it got
        notes.push(approach.note('x'));
        return done('residual', `|f(x)| = ${fmt(Math.abs(fx))} is below the tolerance after ${iterations} iterations.`);
      }
      if (Math.abs(fx) <= tol && !signChangeSeen) {
        return done('maxiter', `|f| = ${fmt(Math.abs(fx))} at x = ${fmt(x)} is below the tolerance, but Newton's steps do not shrink steadily (the last was ${fmt(approach.last)}) and f never changed sign: f approaches 0 without reaching it, so it may have no real zero.`);
      }
      return done('maxiter', `Stopped after ${maxIter} iteration${maxIter === 1 ? '' : 's'} without converging (|f| = ${fmt(Math.abs(fx))}).`
        + (signChangeSeen ? '' : ' f never changed sign along the way; it may have no real zero near here.'));
    }
    const d = df(x);
    evaluations++;
    let trouble: string | undefined;
    if (!Number.isFinite(d) || d === 0) trouble = `the derivative is ${d === 0 ? 'zero' : 'not finite'} at x = ${fmt(x)}, so the tangent never meets the axis`;
    let next = x - fx / d;

    if (!trouble && Number.isFinite(lo)) {
      // Bracketed (safeguarded mode): keep Newton only when it lands inside the bracket.
      // rtsafe's rule: bisect when Newton leaves the bracket or does not at least halve the previous step.
      const outside = !(next > lo && next < hi);
      if (outside || Math.abs(next - x) > 0.5 * approach.last) {
        if (!bisectNoted) {
          notes.push(outside
            ? `The Newton step from x = ${fmt(x)} would leave [${fmt(lo)}, ${fmt(hi)}], where f changes sign; bisection took that step (and any later such step).`
            : `Newton's steps stopped shrinking at x = ${fmt(x)} (the iterates were bouncing back and forth); bisection of [${fmt(lo)}, ${fmt(hi)}], where f changes sign, took over for such steps.`);
        }
        bisectNoted = true;
        next = 0.5 * (lo + hi);
        safeguard = 'bisection';
      }
    } else if (!trouble) {
      const cyc = cycleLength(path, next);
      if (cyc) trouble = `plain Newton cycled between ${cyc} points (${path.slice(-cyc).map((p) => fmt(p[0]!)).join(', ')}) from x = ${fmt(x0)}`;
      else if (!Number.isFinite(next) || Math.abs(next) > 1e100) trouble = `plain Newton diverged from x = ${fmt(x0)} (|x| → ∞)`;
      else if (rises >= 5) trouble = `plain Newton diverged from x = ${fmt(x0)} (|f| grew at each of the last ${rises} steps)`;
    }
    if (trouble && !Number.isFinite(lo)) {
      if (options.plain) {
        return done(/diverged/.test(trouble) ? 'diverged' : 'failed', `Newton–Raphson failed: ${trouble}.`);
      }
      // Safeguard: look for a sign change near x, else damp the step.
      const br = findBracket(f, best, f(best));
      if (br) {
        setBracket(br[0], f(br[0]), br[1], f(br[1]));
        safeguard = 'bisection';
        notes.push(`${capital(trouble)}; found a sign change in [${fmt(lo)}, ${fmt(hi)}] and switched to Newton safeguarded by bisection.`);
        next = 0.5 * (lo + hi);
      } else if (Number.isFinite(next) && !/derivative/.test(trouble)) {
        safeguard = 'damping';
        notes.push(`${capital(trouble)}; no sign change was found nearby, so the Newton step is now damped until |f| decreases.`);
      } else {
        return done('failed', `Newton–Raphson failed: ${trouble}, and no sign change of f was found nearby to fall back on.`);
      }
    }
    // Damping: halve the step until |f| decreases (only when no bracket holds us).
    let fn1 = f(next);
    if (safeguard === 'damping' && !Number.isFinite(lo)) {
      let t = 1;
      while (!(Math.abs(fn1) < Math.abs(fx)) && t > 1e-10) { t /= 2; next = x + t * (next - x); fn1 = f(next); }
    }
    if (Number.isFinite(lo)) {
      // Keep the bracket: replace the end with the same sign as f(next).
      if (Math.sign(fn1) === Math.sign(flo)) { lo = next; flo = fn1; } else hi = next;
    } else if (!options.plain && Number.isFinite(fn1) && fx * fn1 < 0) setBracket(x, fx, next, fn1);
    const step = Math.abs(next - x);
    approach.add(step);
    rises = Math.abs(fn1) > Math.abs(fx) ? rises + 1 : 0;
    if (fx * fn1 <= 0) signChangeSeen = true;
    x = next; fx = fn1;
    if (Math.abs(fx) < fbest) { best = x; fbest = Math.abs(fx); }
    iterations++;
    path.push([x]);
    options.onProgress?.(iterations, fx);
    if (!Number.isFinite(fx)) return done('diverged', `f is not defined at x = ${fmt(x)}: the iteration left the domain.`);
    // A small |f| is a root only where the steps have settled too (or f is known to change sign
    // nearby): exp(x) and 1/x are below any tolerance far out, where Newton's steps do not shrink.
    if (Math.abs(fx) <= tol && (Number.isFinite(lo) || approach.remaining <= SETTLED_STEP * (1 + Math.abs(x)))) {
      return done('residual', `|f(x)| = ${fmt(Math.abs(fx))} is below the tolerance after ${iterations} iteration${iterations === 1 ? '' : 's'}.`);
    }
    if (Number.isFinite(lo) && hi - lo <= Math.max(4 * EPS, 10 * stepTol) * (1 + Math.abs(x))) {
      return done('step', `f changes sign within [${fmt(lo)}, ${fmt(hi)}], an interval at the limit of double precision (f = ${fmt(fx)}).`);
    }
    if (!Number.isFinite(lo) && step <= stepTol * (1 + Math.abs(x))) {
      return Math.abs(fx) <= 1e-6 * Math.max(1, Math.abs(fn.f(x0)))
        ? done('step', `The steps became negligible at x = ${fmt(x)} (f = ${fmt(fx)}, zero to rounding).`)
        : done('failed', `The steps stalled at x = ${fmt(x)} where f = ${fmt(fx)} is not zero.`);
    }
  }
}

/**
 * Period p ≤ 8 if `next` returns (to 1e-6 relative) to the point p − 1 iterates back, through
 * points that are distinct: iterates closing in on a multiple root come back close to where they
 * were, but by moving less and less, not round an orbit.
 */
function cycleLength(path: number[][], next: number): number | undefined {
  const last = path[path.length - 1]![0]!;
  for (let p = 2; p <= 8 && p <= path.length; p++) {
    const prev = path[path.length - p]![0]!;
    const prev2 = path.length - 2 * p >= 0 ? path[path.length - 2 * p]![0]! : NaN;
    // Seen twice at the same phase: the orbit repeats.
    if (Math.abs(next - prev) <= 1e-6 * (1 + Math.abs(next)) && Math.abs(prev - prev2) <= 1e-4 * (1 + Math.abs(prev))
      && Math.abs(next - last) > 1e-3 * (1 + Math.abs(next))) return p;
  }
  return undefined;
}

/** A step this small against 1 + |x| has settled: with |f| below the tolerance, x is a root. */
const SETTLED_STEP = 1e-8;

/** A step at most this fraction of the one before shrinks (at a root of multiplicity up to about 30, where r = 1 − 1/m). */
const SHRINKING = 0.97;

/**
 * How far the iterates still are from where they are going, from the sizes of their steps. Newton's
 * steps shrink fast near a simple root, and the last step bounds the error; near a root of
 * multiplicity m they shrink only by a steady ratio r = 1 − 1/m, and the distance left is the
 * geometric tail, step·r/(1 − r). On a tail where f only tends to 0 (exp(x) far out) they do not
 * shrink at all.
 */
class Approach {
  /** The last step (Infinity before the first). */
  last = Infinity;
  private shrinking = 0;
  private ratio = 1;

  add(step: number): void {
    this.shrinking = step <= SHRINKING * this.last ? this.shrinking + 1 : 0;
    this.ratio = step / this.last;
    this.last = step;
  }

  /** Three steps in a row shrank, each by at most SHRINKING. */
  get steady(): boolean {
    return this.shrinking >= 3;
  }

  /** The distance left: step·r/(1 − r) after steady shrinking, else the last step. */
  get remaining(): number {
    return this.steady ? this.last * this.ratio / (1 - this.ratio) : this.last;
  }

  /** What a root accepted on steadily shrinking steps is, for the notes. */
  note(what: string): string {
    return `Newton's steps shrank by a steady ratio of about ${fmt(this.ratio)}, as they do at a root of multiplicity about ${Math.round(1 / (1 - this.ratio))}, so they close in slowly: ${what} is accurate to about ${fmt(this.remaining)}.`;
  }
}

/** Search outward from x (steps growing by 1.6, as in Numerical Recipes' zbrac) for a sign change of f. */
function findBracket(f: (x: number) => number, x: number, fx: number): [number, number] | null {
  let h = 0.01 * Math.max(1, Math.abs(x));
  for (let k = 0; k < 60; k++) {
    for (const s of [1, -1]) {
      const y = x + s * h, fy = f(y);
      if (Number.isFinite(fy) && fy * fx <= 0) {
        // Narrow to the nearest sign change between x and y.
        return [x, y];
      }
    }
    h *= 1.6;
  }
  return null;
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * Newton's method for a system F(x) = 0 (n equations in n unknowns), damped by a
 * backtracking line search on ½‖F‖²; Levenberg–Marquardt takes over where J is singular.
 *
 * Example: `newtonSystem({ m: 2, n: 2, values: (x, r) => { r[0] = x[0] ** 2 + x[1] ** 2 - 4; r[1] = x[0] - x[1] }, jacobian: (x, J) => { J[0].set([2 * x[0], 2 * x[1]]); J[1].set([1, -1]) } }, [1, 1]).x` is [√2, √2].
 */
export function newtonSystem(F: VectorFunction, x0: ArrayLike<number>, options: RootOptions = {}): RootResult {
  const { m, n } = F;
  const maxIter = options.maxIter ?? 100;
  const stepTol = options.stepTol ?? 1e-14;
  const notes: string[] = [];
  const x = Float64Array.from(x0);
  const r = new Float64Array(m), rNew = new Float64Array(m), xNew = new Float64Array(n);
  const J = Array.from({ length: m }, () => new Float64Array(n));
  const path: number[][] = [Array.from(x)];
  let evaluations = 0, iterations = 0;
  let safeguard: RootResult['safeguard'];
  const evalF = (p: Float64Array, out: Float64Array) => { evaluations++; F.values(p, out); const v = enorm(out); return Number.isNaN(v) ? Infinity : v; };
  let norm = evalF(x, r);
  const tol = options.tol ?? 1e-12 * Math.max(1, Math.min(norm, 1e6));
  const done = (reason: StopReason, message: string): RootResult => ({
    x: Array.from(x), value: Array.from(r), iterations, evaluations, converged: reason === 'residual' || reason === 'step',
    reason, message, path, notes, ...(safeguard ? { safeguard } : {}),
  });
  if (x.length !== n) return done('failed', `Expected ${n} starting values, got ${x.length}.`);
  if (!Number.isFinite(norm)) return done('failed', 'F is not defined at the starting point.');
  if (norm === 0) return done('residual', `‖F‖ = 0 at the start.`);
  if (norm <= tol && m === n) {
    // zero to tolerance at the start, and the zero there, not far off on a tail where F is tiny
    F.jacobian(x, J);
    const delta = luSolve(J, r.map((v) => -v));
    if (delta && enorm(delta) <= SETTLED_STEP * (1 + enorm(x))) return done('residual', `‖F‖ = ${fmt(norm)} is already zero to tolerance.`);
  } else if (norm <= tol) return done('residual', `‖F‖ = ${fmt(norm)} is already zero to tolerance.`);

  const approach = new Approach();
  const viaLM = (why: string): RootResult => {
    safeguard = 'line-search';
    notes.push(`${why}; continued with Levenberg–Marquardt on ‖F‖².`);
    const res = levenbergMarquardt(F, x, { ftol: 1e-15, xtol: 1e-15, gtol: 1e-15, shouldStop: options.shouldStop });
    x.set(res.x); r.set(res.fvec);
    evaluations += res.evaluations;
    iterations += res.iterations;
    for (const p of res.path.slice(1)) path.push(p);
    const nrm = enorm(r);
    // Levenberg–Marquardt's own steps (none when it started on the zero Newton reached)
    const lm = new Approach();
    for (let i = 1; i < res.path.length; i++) lm.add(Math.hypot(...res.path[i]!.map((v, j) => v - res.path[i - 1]![j]!)));
    const small = nrm <= Math.max(tol, 1e-10 * Math.max(1, enorm(x)));
    if (small && (res.path.length < 2 || lm.remaining <= SETTLED_STEP * (1 + enorm(x)))) return done('residual', `‖F‖ = ${fmt(nrm)} after Levenberg–Marquardt.`);
    // closing in steadily, by Newton before the Jacobian became singular at a multiple zero, or by Levenberg–Marquardt
    const steady = lm.steady ? lm : approach.steady ? approach : undefined;
    if (small && steady) { notes.push(steady.note('the zero')); return done('residual', `‖F‖ = ${fmt(nrm)} after Levenberg–Marquardt.`); }
    if (nrm <= tol) return done('failed', `No zero was found: ‖F‖ = ${fmt(nrm)} at (${Array.from(x, fmt).join(', ')}) is below the tolerance, but the steps do not shrink steadily (the last was ${fmt(lm.remaining)}): F approaches 0 without reaching it.`);
    return done('failed', `No zero was found: the smallest ‖F‖ reached is ${fmt(nrm)} at (${Array.from(x, fmt).join(', ')}), a local minimum of ‖F‖ that is not zero.`);
  };
  if (m !== n) return viaLM(`There are ${m} equations in ${n} unknowns, so Newton's square system does not apply`);

  for (;;) {
    if (options.shouldStop?.()) return done('stopped', 'Stopped on request (time limit or cancellation).');
    if (iterations >= maxIter) {
      if (norm <= tol && approach.steady) { notes.push(approach.note('the zero')); return done('residual', `‖F‖ = ${fmt(norm)} is below the tolerance after ${iterations} iterations.`); }
      return done('maxiter', `Stopped after ${maxIter} iteration${maxIter === 1 ? '' : 's'} without converging (‖F‖ = ${fmt(norm)}).`);
    }
    F.jacobian(x, J);
    const delta = luSolve(J, r.map((v) => -v));
    if (!delta) {
      if (options.plain) return done('failed', `The Jacobian is singular at (${Array.from(x, fmt).join(', ')}), so the Newton step is undefined.`);
      return viaLM(`The Jacobian is singular at (${Array.from(x, fmt).join(', ')})`);
    }
    // Backtracking on φ = ½‖F‖²: the Newton direction has φ′ = −‖F‖², so accept when φ decreases by 10⁻⁴ of that.
    let t = 1, newNorm = Infinity;
    for (let k = 0; k < 40; k++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i]! + t * delta[i]!;
      newNorm = evalF(xNew, rNew);
      if (options.plain || newNorm * newNorm <= (1 - 2e-4 * t) * norm * norm) break;
      t /= 2;
    }
    if (t < 1 && !safeguard) {
      safeguard = 'damping';
      notes.push(`The full Newton step did not reduce ‖F‖ at iteration ${iterations + 1}; steps are damped (halved) until it does.`);
    }
    if (!(newNorm * newNorm <= (1 - 2e-4 * t) * norm * norm) && !options.plain) return viaLM('No damped Newton step reduced ‖F‖');
    const step = t * enorm(delta);
    x.set(xNew); r.set(rNew); norm = newNorm;
    iterations++;
    path.push(Array.from(x));
    options.onProgress?.(iterations, norm);
    if (!Number.isFinite(norm) || enorm(x) > 1e100) return done('diverged', 'Newton diverged: ‖x‖ or ‖F‖ became infinite.');
    approach.add(step);
    if (norm <= tol && approach.remaining <= SETTLED_STEP * (1 + enorm(x))) return done('residual', `‖F‖ = ${fmt(norm)} is below the tolerance after ${iterations} iteration${iterations === 1 ? '' : 's'}.`);
    if (step <= stepTol * (1 + enorm(x))) return done('step', `The steps became negligible (‖F‖ = ${fmt(norm)}).`);
  }
}
