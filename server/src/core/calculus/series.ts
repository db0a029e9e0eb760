/**
 * Truncated multivariate power series: the arithmetic of Taylor-mode differentiation.
 *
 * A series of order k in n variables about a point a holds, for every multi-index α with
 * |α| ≤ k, the coefficient c_α = ∂^α f(a) / α! of
 *
 *   f(a + δ) = Σ_{|α| ≤ k} c_α δ^α + O(|δ|^(k+1))
 *
 * Sums add coefficients; products convolve them and drop what is above degree k; an
 * elementary function φ composes through its own one-variable series,
 *
 *   φ(u₀ + ũ) = Σ_{j ≤ k} φ^(j)(u₀)/j! · ũ^j      (ũ = u − u₀ has no constant term),
 *
 * so one pass over an expression gives every partial derivative up to order k at the
 * point, without building a single derivative expression. That is what makes a Taylor
 * polynomial cheap: the symbolic route differentiates and simplifies C(n + k, k) times.
 *
 * Coefficients are `Coef`s: exact rationals while the inputs are (the series of cos about
 * 0 has 1/24, not 0.0416…), floats once a float or an irrational value takes part. The
 * values φ^(j)(u₀) come from the one-variable derivative of each built-in, worked out once
 * by the symbolic differentiator and simplified at u₀, so they are exact where simplification
 * knows them to be (sigmoid'(0) = 1/4, log(1) = 0) and the same numbers the symbolic route gives.
 */
import { type Expr, num, sym, pow, mul, substitute, ExprTooLarge } from './expr';
import {
  type Coef, ONE, ZERO, isFloat, value, floatCoef, rational, coefAdd, coefMul, coefPowInt, asCoef, coefExpr, coefFactors,
} from './coef';
import { simplify, compareExpr } from './simplify';
import { nthDerivative } from './diff';
import { compile } from './compile';

/** The monomials of a series of order k in n variables, and how they multiply. */
export interface Layout {
  readonly n: number;
  readonly k: number;
  /** Multi-index of each coefficient, in order of total degree (index 0 is the constant term). */
  readonly alphas: readonly (readonly number[])[];
  /** Total degree of each coefficient's monomial. */
  readonly degree: readonly number[];
  /** Index of the monomial δ_i (variable i to the first power), or -1 when k = 0. */
  readonly unit: readonly number[];
  /** Triples (i, j, t): monomial i times monomial j is monomial t, for every pair of degree ≤ k. */
  readonly products: Int32Array;
}

/** Most multiplication-table entries a layout may have (about 24 MB). */
const MAX_PRODUCTS = 6_000_000;
const layouts = new Map<string, Layout>();

/**
 * The layout for order k in n variables; cached, since worksheets expand in few shapes.
 *
 * @example layoutFor(2, 2).alphas // [[0,0], [1,0], [0,1], [2,0], [1,1], [0,2]]
 * @throws ExprTooLarge when its multiplication table would be too large.
 */
export function layoutFor(n: number, k: number): Layout {
  const id = `${n},${k}`;
  const cached = layouts.get(id);
  if (cached) return cached;
  const alphas = multiIndices(n, k);
  const degree = alphas.map((a) => a.reduce((s, x) => s + x, 0));
  const index = new Map(alphas.map((a, i) => [a.join(','), i] as [string, number]));
  // next[i·n + v] is the index of α_i + e_v, or -1 past degree k
  const next = new Int32Array(alphas.length * n).fill(-1);
  alphas.forEach((a, i) => {
    for (let v = 0; v < n; v++) {
      const b = a.slice(); b[v]!++;
      next[i * n + v] = index.get(b.join(',')) ?? -1;
    }
  });
  const triples: number[] = [];
  for (let i = 0; i < alphas.length; i++) {
    for (let j = 0; j < alphas.length && degree[i]! + degree[j]! <= k; j++) {
      // walk from α_i up by α_j's exponents
      let t = i;
      alphas[j]!.forEach((times, v) => { for (let r = 0; r < times; r++) t = next[t * n + v]!; });
      triples.push(i, j, t);
      if (triples.length > 3 * MAX_PRODUCTS) throw new ExprTooLarge(MAX_PRODUCTS);
    }
  }
  const unit = Array.from({ length: n }, (_, v) => (k > 0 ? next[v]! : -1));
  const layout: Layout = { n, k, alphas, degree, unit, products: Int32Array.from(triples) };
  layouts.set(id, layout);
  return layout;
}

/** Multi-indices of n variables with total degree 0..k, by degree; within a degree, the first variable's power falls. */
function multiIndices(n: number, k: number): number[][] {
  const out: number[][] = [];
  const rec = (prefix: number[], left: number): void => {
    if (prefix.length === n - 1) { out.push([...prefix, left]); return; }
    for (let a = left; a >= 0; a--) rec([...prefix, a], left - a);
  };
  for (let deg = 0; deg <= k; deg++) {
    if (n === 0) { if (deg === 0) out.push([]); continue; }
    rec([], deg);
  }
  return out;
}

/** A truncated series: one coefficient per monomial of its layout. */
export type Series = Coef[];

const isZeroCoef = (c: Coef): boolean => c.p === 0;

function constant(layout: Layout, c: Coef): Series {
  const s = new Array<Coef>(layout.alphas.length).fill(ZERO);
  s[0] = c;
  return s;
}

function addSeries(a: Series, b: Series): Series {
  return a.map((x, i) => (isZeroCoef(b[i]!) ? x : isZeroCoef(x) ? b[i]! : coefAdd(x, b[i]!)));
}

function mulSeries(layout: Layout, a: Series, b: Series): Series {
  const out = new Array<Coef>(a.length).fill(ZERO);
  const p = layout.products;
  for (let r = 0; r < p.length; r += 3) {
    const x = a[p[r]!]!, y = b[p[r + 1]!]!;
    if (isZeroCoef(x) || isZeroCoef(y)) continue;
    const t = p[r + 2]!;
    out[t] = coefAdd(out[t]!, coefMul(x, y));
  }
  return out;
}

/** Σ_j t_j · ũ^j by Horner's rule, where ũ is `u` without its constant term. */
function compose(layout: Layout, t: readonly Coef[], u: Series): Series {
  const tilde = u.slice(); tilde[0] = ZERO;
  let r = constant(layout, t[t.length - 1]!);
  for (let j = t.length - 2; j >= 0; j--) {
    r = mulSeries(layout, r, tilde);
    r[0] = coefAdd(r[0]!, t[j]!);
  }
  return r;
}

/** u^m for a whole m ≥ 0 by repeated squaring: exact, and defined where u₀ = 0 (unlike the composition). */
function powWhole(layout: Layout, u: Series, m: number): Series {
  let result = constant(layout, ONE), base = u;
  for (let e = m; e > 0; e >>= 1) {
    if (e & 1) result = mulSeries(layout, result, base);
    if (e > 1) base = mulSeries(layout, base, base);
  }
  return result;
}

/** The number a constant expression denotes: exact when simplification finds it rational, else a float. */
function constantValue(e: Expr): Coef {
  const s = simplify(e);
  const c = asCoef(s);
  if (c) return c;
  return floatCoef(compile(s, [])([]));
}

/** 1/j! */
function invFactorial(j: number): Coef {
  let f = 1;
  for (let i = 2; i <= j; i++) f *= i;
  return rational(1, f);
}

/** φ^(j)(t) for each built-in φ, as expressions in t, worked out once. */
const outerDerivatives = new Map<string, Expr[]>();
/** The same, compiled, for float points. */
const outerCompiled = new Map<string, ((x: ArrayLike<number>) => number)[]>();
const T = 't';

function derivativesOf(fn: string, k: number): Expr[] {
  let list = outerDerivatives.get(fn);
  if (!list) { list = [simplify({ kind: 'call', fn, args: [sym(T)] })]; outerDerivatives.set(fn, list); }
  while (list.length <= k) list.push(nthDerivative(list[list.length - 1]!, T, 1));
  return list;
}

/** 4ε·|u|, the rounding of sin, cos and tan at u, when u is within that of a multiple of π/2 and it is small; else 0. */
function nearHalfPiMultiple(u: number): number {
  const rounding = 4 * Number.EPSILON * Math.abs(u);
  if (rounding > 1e-6) return 0;
  const k = Math.round(u / (Math.PI / 2));
  return k !== 0 && Math.abs(u - k * (Math.PI / 2)) <= rounding ? rounding : 0;
}

/** The built-ins whose values vanish at multiples of π/2 (and so come out as rounding at a float point). */
const PERIODIC = new Set(['sin', 'cos', 'tan']);

/** t_j = φ^(j)(u₀)/j! for j = 0..k. */
function outerSeries(fn: string, u0: Coef, k: number): Coef[] {
  // |t| has a corner and sign(t) a jump at 0: no derivative there, whatever sign(0) = 0 would give
  if ((fn === 'abs' || fn === 'sign') && value(u0) === 0) {
    return Array.from({ length: k + 1 }, (_, j) => (j === 0 ? ZERO : floatCoef(NaN)));
  }
  const ds = derivativesOf(fn, k);
  if (isFloat(u0)) {
    // a float point makes every value a float: evaluate the compiled derivatives
    let fs = outerCompiled.get(fn);
    if (!fs) { fs = []; outerCompiled.set(fn, fs); }
    while (fs.length <= k) fs.push(compile(ds[fs.length]!, [T]));
    // sin, cos and tan at a float point within rounding of a multiple of π/2 give rounding, not a
    // value: cos(π/2) is 6e-17. Below what the point's own rounding makes of them (4ε·|u₀|), they are 0.
    // (Only for points of moderate size: past about 1e9 that rounding is no longer small.)
    const noise = PERIODIC.has(fn) ? nearHalfPiMultiple(u0.p) : 0;
    return fs.slice(0, k + 1).map((f, j) => {
      const v = f([u0.p]);
      return coefMul(floatCoef(Math.abs(v) <= noise ? 0 : v), invFactorial(j));
    });
  }
  const at = new Map([[T, coefExpr(u0)]]);
  return ds.slice(0, k + 1).map((d, j) => coefMul(constantValue(substitute(d, at)), invFactorial(j)));
}

/**
 * |u| where u vanishes at the point: where u is in one variable and its lowest-order term is of even
 * degree (x², x⁴ − x⁵), u keeps its sign nearby and |u| is ±u, smooth (|x²| = x²); otherwise |u| has a corner
 * there (|x|, |x − y|) and every coefficient past the constant is undefined (NaN), which the Taylor
 * polynomial reports as the order that fails.
 */
function absAtZero(layout: Layout, u: Series): Series {
  let lowest = Infinity;
  const leading: number[] = [];
  u.forEach((c, m) => {
    if (isZeroCoef(c)) return;
    const degree = layout.alphas[m]!.reduce((a, b) => a + b, 0);
    if (degree < lowest) { lowest = degree; leading.length = 0; }
    if (degree === lowest) leading.push(m);
  });
  // (in one variable only: in several, x² vanishes along the y axis, where u's other terms, y³ in
  // x² + y³, take over its sign, and |u| is not ±u)
  const vars = new Set<number>();
  u.forEach((c, m) => { if (!isZeroCoef(c)) layout.alphas[m]!.forEach((e, i) => { if (e > 0) vars.add(i); }); });
  if (vars.size === 1 && leading.length === 1 && lowest > 0 && lowest % 2 === 0 && Number.isFinite(value(u[leading[0]!]!))) {
    return value(u[leading[0]!]!) > 0 ? u : u.map((c) => coefMul(c, { p: -1, q: 1 }));
  }
  return u.map((_, m) => (m === 0 ? ZERO : floatCoef(NaN)));
}

/** t_j = C(c, j) · u₀^(c − j), the series of t^c about u₀ for a number c. */
function powerSeries(c: Coef, u0: Coef, k: number): Coef[] {
  const out: Coef[] = [];
  let binom = ONE; // C(c, j) = c(c − 1)…(c − j + 1)/j!
  for (let j = 0; j <= k; j++) {
    const e = coefAdd(c, { p: -j, q: 1 });
    const whole = !isFloat(e) && e.q === 1 && !isFloat(u0);
    const p = whole ? coefPowInt(u0, e.p) : undefined;
    out.push(coefMul(binom, p ?? constantValue(pow(coefExpr(u0), coefExpr(e)))));
    binom = coefMul(binom, coefMul(e, rational(1, j + 1)));
  }
  return out;
}

/**
 * The series of `e` about `point`, of the layout's order, in `vars` (one coordinate each).
 * Symbols other than the variables must be the constants pi and e.
 *
 * @example seriesOf(parseExpr('exp(x)'), ['x'], [0], layoutFor(1, 3)) // [1, 1, 1/2, 1/6]
 */
export function seriesOf(e: Expr, vars: readonly string[], point: readonly number[], layout: Layout): Series {
  const memo = new Map<Expr, Series>();
  const coords = point.map((a) => asCoef(num(a))!);
  const k = layout.k;
  const visit = (x: Expr): Series => {
    const hit = memo.get(x);
    if (hit) return hit;
    let r: Series;
    switch (x.kind) {
      case 'num': r = constant(layout, asCoef(x)!); break;
      case 'sym': {
        const i = vars.indexOf(x.name);
        if (i >= 0) {
          r = constant(layout, coords[i]!);
          if (k > 0) r[layout.unit[i]!] = ONE;
        } else if (x.name === 'pi' || x.name === 'e') {
          r = constant(layout, floatCoef(x.name === 'pi' ? Math.PI : Math.E));
        } else {
          throw new RangeError(`series: '${x.name}' is neither a variable nor a constant`);
        }
        break;
      }
      case 'add': r = x.terms.map(visit).reduce(addSeries); break;
      case 'mul': r = x.factors.map(visit).reduce((a, b) => mulSeries(layout, a, b)); break;
      case 'pow': {
        const base = visit(x.base), exp = visit(x.exp);
        const c = exp.every((v, i) => i === 0 || isZeroCoef(v)) ? exp[0]! : undefined;
        if (c && !isFloat(c) && c.q === 1 && c.p >= 0) r = powWhole(layout, base, c.p);
        else if (c) r = compose(layout, powerSeries(c, base[0]!, k), base);
        else {
          // u^v = exp(v·log(u))
          const log = compose(layout, outerSeries('log', base[0]!, k), base);
          const arg = mulSeries(layout, exp, log);
          r = compose(layout, outerSeries('exp', arg[0]!, k), arg);
        }
        break;
      }
      case 'call': {
        const u = visit(x.args[0] ?? num(NaN));
        r = x.fn === 'abs' && value(u[0]!) === 0 ? absAtZero(layout, u) : compose(layout, outerSeries(x.fn, u[0]!, k), u);
        break;
      }
      case 'vec': throw new RangeError('series: a vector has no scalar series');
    }
    memo.set(x, r);
    return r;
  };
  return visit(e);
}

/**
 * Σ c_α · Π (x_i − a_i)^α_i as a series about the origin: the coefficients of the same
 * polynomial multiplied out in powers of the variables.
 */
export function recentre(series: Series, point: readonly number[], layout: Layout): Series {
  // x_i − a_i as a series about 0
  const shifts = point.map((a, i) => {
    const s = constant(layout, coefMul(asCoef(num(a))!, { p: -1, q: 1 }));
    if (layout.k > 0) s[layout.unit[i]!] = ONE;
    return s;
  });
  let total = constant(layout, ZERO);
  series.forEach((c, m) => {
    if (isZeroCoef(c)) return;
    let term = constant(layout, c);
    layout.alphas[m]!.forEach((times, i) => { for (let r = 0; r < times; r++) term = mulSeries(layout, term, shifts[i]!); });
    total = addSeries(total, term);
  });
  return total;
}

/**
 * c · Π b_i^α_i, already in the simplifier's canonical form when the bases are symbols or
 * canonical sums such as x - 1 (the number first, then the powers in canonical order), so a
 * Taylor polynomial's terms need no simplification pass.
 *
 * @example monomial(rational(1, 2), [2, 0], [x, y]) // x^2/2
 */
export function monomial(c: Coef, alpha: readonly number[], bases: readonly Expr[]): Expr {
  const factors: Expr[] = [];
  for (let i = 0; i < alpha.length; i++) {
    const a = alpha[i]!;
    if (a !== 0) factors.push(a === 1 ? bases[i]! : pow(bases[i]!, num(a)));
  }
  if (factors.length > 1) factors.sort(compareExpr);
  const all = value(c) === 1 ? factors : [...coefFactors(c), ...factors];
  return all.length === 0 ? num(1) : all.length === 1 ? all[0]! : mul(...all);
}

