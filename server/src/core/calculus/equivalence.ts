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
  /** A point where the two sides differ, and their values there. */
  counterexample?: { point: Record<string, number>; left: number; right: number };
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
 * difference a student makes. Points cycle through three boxes, [-3, 3], (0, 3] and
 * [-1, 1] in every variable, so functions defined only for positive arguments (log,
 * sqrt) or only on [-1, 1] (asin, acos) are still exercised. A point counts only if
 * both sides are finite there (it lies in both domains); up to 50 attempts per
 * point are made. With no usable point at all the answer is "not equal".
 *
 * @example checkEquivalent(parseExpr('sin(x)^2 + cos(x)^2'), parseExpr('1')) // { equal: true, method: 'numeric' }
 */
export function checkEquivalent(a: Expr, b: Expr, opts?: EquivalenceOptions): EquivalenceResult {
  const points = opts?.points ?? 64, tol = opts?.tol ?? 1e-8;
  const sa = shapeOf(a), sb = shapeOf(b);
  if (sa.join('x') !== sb.join('x')) return { equal: false, method: 'symbolic' };
  try {
    const difference = simplify(sub(a, b));
    if (isZero(difference)) return { equal: true, method: 'symbolic' };
    // (x + 1)^2 against x^2 + 2x + 1 needs multiplying out; bounded, since expansion can grow
    if (isZero(expand(difference, { maxNodes: 5000 }))) return { equal: true, method: 'symbolic' };
  } catch {
    // too large to simplify: the numeric test still decides
  }
  const vars = freeSymbols(b, freeSymbols(a)).filter((v) => !CONSTANTS.has(v));
  const fa = compileVector(a, vars), fb = compileVector(b, vars);
  const rand = seeded(opts?.seed ?? 1);
  const boxes: [number, number][] = [[-3, 3], [1e-3, 3], [-1, 1]];
  const x = new Float64Array(vars.length);
  let used = 0;
  for (let attempt = 0; used < points && attempt < points * 50; attempt++) {
    const [lo, hi] = boxes[attempt % boxes.length]!;
    for (let i = 0; i < x.length; i++) x[i] = lo + (hi - lo) * rand();
    const la = flat(fa(x)), lb = flat(fb(x));
    if (!la.every(Number.isFinite) || !lb.every(Number.isFinite)) continue;
    used++;
    for (let k = 0; k < la.length; k++) {
      const l = la[k]!, r = lb[k]!;
      if (Math.abs(l - r) > tol * Math.max(1, Math.abs(l), Math.abs(r))) {
        const point = Object.fromEntries(vars.map((v, i) => [v, x[i]!]));
        return { equal: false, method: 'numeric', counterexample: { point, left: l, right: r } };
      }
    }
  }
  return { equal: used > 0, method: 'numeric' };
}

function flat(v: Value): number[] {
  return typeof v === 'number' ? [v] : (v as (number | number[])[]).flat();
}
