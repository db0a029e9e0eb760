import { type Expr, num, sym, add, mul, pow, call, neg, div } from './expr';

/**
 * A small seeded generator (mulberry32), so numeric checks and tests are reproducible.
 *
 * @example const r = seeded(42); r() // a number in [0, 1), the same for every run
 */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every built-in function the engine differentiates (ln is log's synonym and lowers to log). */
export const CALCULUS_FUNCTIONS = [
  'sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'sinh', 'cosh', 'tanh',
  'exp', 'log', 'log10', 'sqrt', 'abs', 'sign', 'sigmoid',
] as const;

/**
 * A random expression over `vars`, every built-in and operator (+, -, *, /, ^ with
 * integer, fractional and symbolic exponents), for differential testing and fuzzing.
 *
 * @example randomExpr(seeded(7), ['x', 'y'], 3) // e.g. sin(x*y) - 2.5/(y + 1)^2
 */
export function randomExpr(rand: () => number, vars: readonly string[], depth: number): Expr {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const leaf = (): Expr => {
    const r = rand();
    if (r < 0.75) return sym(pick(vars));
    if (r < 0.88) return num(1 + Math.floor(rand() * 4));
    if (r < 0.95) return num(pick([0.5, 1.5, 2.5, 0.25]));
    return sym(pick(['pi', 'e']));
  };
  const go = (d: number): Expr => {
    if (d <= 0 || rand() < 0.1) return leaf();
    const r = rand();
    if (r < 0.18) return add(go(d - 1), go(d - 1));
    if (r < 0.3) return add(go(d - 1), neg(go(d - 1)));
    if (r < 0.46) return mul(go(d - 1), go(d - 1));
    if (r < 0.56) return div(go(d - 1), go(d - 1));
    if (r < 0.66) return pow(go(d - 1), num(pick([2, 3, -1, -2, 0.5, 1.5])));
    if (r < 0.7) return pow(go(d - 1), go(d - 1));
    return call(pick(CALCULUS_FUNCTIONS), [go(d - 1)]);
  };
  return go(depth);
}
