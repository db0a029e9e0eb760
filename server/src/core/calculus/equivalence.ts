/**
 * Deciding whether two expressions are equal, as `expect A == B` does.
 */
import { type Expr, sub, freeSymbols, shapeOf } from './expr';
import { simplify, expand, isZero } from './simplify';
import { compileVector, type Value } from './compile';
import { seeded } from './random';

export interface EquivalenceOptions {
  /** Points at which both sides must agree (default 64). */
  points?: number;
  /** Relative tolerance (default 1e-8). */
  tol?: number;
  /** Seed of the point generator (default 1). */
  seed?: number;
}

export interface EquivalenceResult {
  equal: boolean;
  method: 'symbolic' | 'numeric';
  /**
   * A point where the two sides differ, and their values there: of the first component that differs
   * (its index in row-major order, for a vector or a matrix), with every component that differs there.
   */
  counterexample?: { point: Record<string, number>; left: number; right: number; component?: number; components?: number[] };
  /**
   * Why they are not equal when no point says it: 'shape' (a vector of 2 against one of 3), 'domain'
   * (where one side is defined the other mostly is not), 'no-point' (no point found where both are).
   */
  reason?: 'shape' | 'domain' | 'no-point';
  /** Numeric test: the points where both sides were defined, and where at least one was. */
  points?: { both: number; either: number };
  /** The same in [-3, 3], when those counts decided 'domain'. */
  near?: { both: number; either: number };
}

/** Named constants, not variables. */
const CONSTANTS = new Set(['pi', 'e']);

/**
 * Are `a` and `b` equal as functions?
 *
 * First symbolically: if simplify(a - b), or failing that its expansion (up to 5,000
 * nodes), is 0 they are (method 'symbolic'). Otherwise
 * numerically: both are evaluated at `points` (64) random points drawn with a seeded
 * generator, and must agree at each within |a - b| ≤ tol · max(1, |a|, |b|) with
 * tol = 1e-8: far above double rounding in ordinary expressions (about 1e-15
 * relative, a few orders more after cancellation) and far below any real
 * difference a student makes. Points cycle through boxes, [-3, 3], (0, 3], [-1, 1], [-30, 30]
 * and (0, 30] in every variable, so functions defined only for positive arguments (log,
 * sqrt) or only on [-1, 1] (asin, acos) are still exercised; where that finds too few points at
 * which both sides are defined, boxes ten and a hundred times as wide follow (sqrt(x - 4)).
 *
 * A point counts only if both sides are finite there. Equal "where both are defined" is what
 * log(x·y) = log(x) + log(y) means, but it must not let a wrong answer hide behind a domain of its
 * own (2x + 0·log(x − 2.9) against 2x agrees wherever it is defined): where one side is defined, the
 * other must be at a quarter of those points at least, and, if it is defined in [-3, 3] at all, at a
 * tenth of them there, or they are not equal ('domain'). (asin(x) + acos(x) = π/2 holds on a third of
 * [-3, 3]; log((x − 4)²) = 2·log(x − 4) nowhere in it.)
 *
 * @example checkEquivalent(parseExpr('sin(x)^2 + cos(x)^2'), parseExpr('1')) // { equal: true, method: 'numeric', … }
 */
export function checkEquivalent(a: Expr, b: Expr, opts?: EquivalenceOptions): EquivalenceResult {
  const points = opts?.points ?? 64, tol = opts?.tol ?? 1e-8;
  const sa = shapeOf(a), sb = shapeOf(b);
  if (sa.join('x') !== sb.join('x')) return { equal: false, method: 'symbolic', reason: 'shape' };
  try {
    const difference = simplify(sub(a, b));
    if (isZero(difference)) return { equal: true, method: 'symbolic' };
    // (x + 1)^2 against x^2 + 2x + 1 needs multiplying out; bounded, since expansion can grow
    if (isZero(expand(difference, { maxNodes: 5000 }))) return { equal: true, method: 'symbolic' };
  } catch {
    // too large to simplify: the numeric test still decides
  }
  const vars = freeSymbols(b, freeSymbols(a)).filter((v) => !CONSTANTS.has(v));
  // Each side as simplified, which takes away what cannot change a value but can hide one: a term
  // 0·log(x − 2.9) that leaves a side undefined, so never compared, wherever it is wrong.
  const simplest = (e: Expr): Expr => { try { return simplify(e); } catch { return e; } };
  const fa = compileVector(simplest(a), vars), fb = compileVector(simplest(b), vars);
  const rand = seeded(opts?.seed ?? 1);
  const x = new Float64Array(vars.length);
  let both = 0, either = 0;
  // in [-3, 3], where a course's functions live, separately: a side defined there only beyond 2.9
  // (sqrt(x - 2.9) - sqrt(|x - 2.9|) added to a wrong answer) is caught there, whatever the wider boxes say
  let nearBoth = 0, nearEither = 0;
  for (const boxes of BOXES) {
    for (let attempt = 0; both < points && attempt < points * 50; attempt++) {
      const box = attempt % boxes.length;
      const [lo, hi] = boxes[box]!;
      for (let i = 0; i < x.length; i++) x[i] = lo + (hi - lo) * rand();
      const la = flat(fa(x)), lb = flat(fb(x));
      const okA = la.every(Number.isFinite), okB = lb.every(Number.isFinite);
      const near = boxes === BOXES[0] && box === 0;
      if (okA || okB) { either++; if (near) nearEither++; }
      if (!okA || !okB) continue;
      both++;
      if (near) nearBoth++;
      const differ = la.flatMap((l, k) => (Math.abs(l - lb[k]!) > tol * Math.max(1, Math.abs(l), Math.abs(lb[k]!)) ? [k] : []));
      if (differ.length > 0) {
        const k = differ[0]!;
        const point = Object.fromEntries(vars.map((v, i) => [v, x[i]!]));
        return {
          equal: false, method: 'numeric', points: { both, either },
          counterexample: { point, left: la[k]!, right: lb[k]!, ...(la.length > 1 ? { component: k, components: differ } : {}) },
        };
      }
    }
    // enough points where both are defined: no need to look further out
    if (both >= Math.min(points, 8)) break;
  }
  if (both === 0) return { equal: false, method: 'numeric', reason: 'no-point', points: { both, either } };
  if (both < 0.25 * either) return { equal: false, method: 'numeric', reason: 'domain', points: { both, either } };
  // (only where the narrower side is defined in [-3, 3] at all: log((x - 4)^2) = 2 log(x - 4) holds for x > 4)
  if (nearBoth > 0 && nearEither >= 8 && nearBoth < 0.1 * nearEither) {
    return { equal: false, method: 'numeric', reason: 'domain', points: { both, either }, near: { both: nearBoth, either: nearEither } };
  }
  return { equal: true, method: 'numeric', points: { both, either } };
}

/**
 * Where test points are drawn, box after box in each round: near 0 first, where most functions of
 * a course are defined and interesting, then out to ±30 (a wrong answer can differ only beyond 3.5);
 * a later round only where too few points had both sides defined (a domain such as x > 4).
 */
const BOXES: readonly (readonly [number, number])[][] = [
  [[-3, 3], [1e-3, 3], [-1, 1], [-30, 30], [1e-3, 30]],
  [[-30, 30], [1e-3, 30], [-10, 10]],
  [[-300, 300], [1e-3, 300], [-100, 100]],
];

function flat(v: Value): number[] {
  return typeof v === 'number' ? [v] : (v as (number | number[])[]).flat();
}
