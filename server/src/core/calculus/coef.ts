/**
 * Numeric coefficients for the calculus engine: exact rationals p/q while they stay small
 * integers over small integers, floats once a float takes part (as SymPy's Float is
 * contagious). The simplifier folds constants with these, and Taylor series carry them as
 * their coefficients, so 1/24 stays 1/24 and prints as x^4/24.
 *
 *   coefAdd(rational(1, 2), rational(1, 3)) // { p: 5, q: 6 }
 */
import { type Expr, num, pow } from './expr';

/** A numeric coefficient. `q === 0` marks a float held in `p`. */
export interface Coef { readonly p: number; readonly q: number }

export const FLOAT = 0;
export const ONE: Coef = { p: 1, q: 1 };
export const ZERO: Coef = { p: 0, q: 1 };
export const isFloat = (c: Coef): boolean => c.q === FLOAT;
export const value = (c: Coef): number => (isFloat(c) ? c.p : c.p / c.q);
export const floatCoef = (v: number): Coef => ({ p: v, q: FLOAT });

function gcd(a: number, b: number): number {
  a = Math.abs(a); b = Math.abs(b);
  while (b) [a, b] = [b, a % b];
  return a;
}

/** p/q reduced; a float if either part left the safe-integer range. */
export function rational(p: number, q: number): Coef {
  if (!Number.isSafeInteger(p) || !Number.isSafeInteger(q) || q === 0) return floatCoef(p / q);
  if (q < 0) { p = -p; q = -q; }
  const g = gcd(p, q) || 1;
  return { p: p / g, q: q / g };
}

export function coefAdd(a: Coef, b: Coef): Coef {
  if (isFloat(a) || isFloat(b)) return floatCoef(value(a) + value(b));
  return rational(a.p * b.q + b.p * a.q, a.q * b.q);
}

export function coefMul(a: Coef, b: Coef): Coef {
  if (isFloat(a) || isFloat(b)) return floatCoef(value(a) * value(b));
  return rational(a.p * b.p, a.q * b.q);
}

/** a^k for an integer k, exact while it stays small. */
export function coefPowInt(a: Coef, k: number): Coef | undefined {
  if (isFloat(a)) return floatCoef(Math.pow(a.p, k));
  if (a.p === 0 && k < 0) return undefined; // 1/0: leave it symbolic
  const p = Math.pow(a.p, Math.abs(k)), q = Math.pow(a.q, Math.abs(k));
  if (!Number.isSafeInteger(p) || !Number.isSafeInteger(q)) return undefined;
  return k >= 0 ? rational(p, q) : rational(q, p);
}

export const coefIs = (c: Coef, v: number): boolean => value(c) === v;

/** The exact or float number an expression denotes, if it is a numeric constant in canonical form. */
export function asCoef(e: Expr): Coef | undefined {
  if (e.kind === 'num') return Number.isSafeInteger(e.value) ? { p: e.value, q: 1 } : floatCoef(e.value);
  // 1/q, the canonical shape of a rational's denominator
  if (e.kind === 'pow' && e.base.kind === 'num' && e.exp.kind === 'num'
      && Number.isSafeInteger(e.base.value) && Number.isSafeInteger(e.exp.value)) {
    return coefPowInt({ p: e.base.value, q: 1 }, e.exp.value);
  }
  if (e.kind === 'mul') {
    let c = ONE;
    for (const f of e.factors) {
      const k = asCoef(f);
      if (!k) return undefined;
      c = coefMul(c, k);
    }
    return c;
  }
  return undefined;
}

/** The canonical expression of a coefficient: `p`, `pow(q, -1)` or `mul(p, pow(q, -1))`. */
export function coefFactors(c: Coef): Expr[] {
  if (isFloat(c)) return [num(c.p === 0 ? 0 : c.p)];
  if (c.q === 1) return [num(c.p)];
  const den = pow(num(c.q), num(-1));
  return c.p === 1 ? [den] : [num(c.p), den];
}
/** A coefficient as one expression: `coefExpr(rational(1, 6))` is `6^-1`, printed 1/6. */
export function coefExpr(c: Coef): Expr {
  const fs = coefFactors(c);
  return fs.length === 1 ? fs[0]! : { kind: 'mul', factors: fs };
}

