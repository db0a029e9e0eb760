/**
 * Symbolic differentiation of the expression IR.
 *
 * User functions are inlined before an expression gets here, so the multivariate
 * chain rule needs no special case: differentiating `f(cos(t), sin(t))`'s inlined
 * body applies the rules below to the composite.
 */
import { type Expr, num, call, vec, pow, add, mul } from './expr';
import { simplify, simplifyDerivative, checkBounds, type SimplifyOptions } from './simplify';

/** Derivatives are built with these, which drop the zeros and ones the rules produce, then simplified once. */
function dAdd(...terms: Expr[]): Expr {
  const t = terms.filter((x) => !(x.kind === 'num' && x.value === 0));
  return add(...t);
}
function dMul(...factors: Expr[]): Expr {
  if (factors.some((x) => x.kind === 'num' && x.value === 0)) return num(0);
  return mul(...factors.filter((x) => !(x.kind === 'num' && x.value === 1)));
}
const isZeroNum = (e: Expr): boolean => e.kind === 'num' && e.value === 0;
const recip = (e: Expr): Expr => pow(e, num(-1));
const minus = (e: Expr): Expr => dMul(num(-1), e);

/** The raw (unsimplified) derivative of `e` with respect to `x`, memoised over shared subtrees. */
function d(e: Expr, x: string, memo: Map<Expr, Expr>): Expr {
  const hit = memo.get(e);
  if (hit) return hit;
  const r = rule(e, x, memo);
  memo.set(e, r);
  return r;
}

function rule(e: Expr, x: string, memo: Map<Expr, Expr>): Expr {
  switch (e.kind) {
    // d/dx c = 0;  d/dx x = 1;  d/dx y = 0 (pi and e are constants like any other symbol)
    case 'num': return num(0); // (0 and 1 are num()'s shared nodes: most of a raw derivative's leaves)
    case 'sym': return e.name === x ? num(1) : num(0);
    // sum rule: (u + v)' = u' + v'
    case 'add': return dAdd(...e.terms.map((t) => d(t, x, memo)));
    // product rule: (u·v·w)' = u'·v·w + u·v'·w + u·v·w'
    case 'mul': {
      const fs = e.factors;
      const terms: Expr[] = [];
      for (let i = 0; i < fs.length; i++) {
        const di = d(fs[i]!, x, memo);
        if (isZeroNum(di)) continue;
        // the factors with the i-th replaced by its derivative
        const factors = fs.slice();
        factors[i] = di;
        terms.push(dMul(...factors));
      }
      return dAdd(...terms);
    }
    case 'pow': {
      const u = e.base, v = e.exp;
      const du = d(u, x, memo), dv = d(v, x, memo);
      if (isZeroNum(dv)) {
        // power rule: (u^c)' = c·u^(c-1)·u'
        if (isZeroNum(du)) return num(0);
        return dMul(v, pow(u, add(v, num(-1))), du);
      }
      if (isZeroNum(du)) {
        // exponential rule: (c^v)' = c^v·ln(c)·v'
        return dMul(e, call('log', [u]), dv);
      }
      // general power: (u^v)' = u^v·(v'·ln(u) + v·u'/u)
      return dMul(e, dAdd(dMul(dv, call('log', [u])), dMul(v, du, recip(u))));
    }
    case 'call': {
      const u = e.args[0];
      if (e.args.length !== 1 || !u) return num(NaN);
      const du = d(u, x, memo);
      if (isZeroNum(du)) return num(0);
      // chain rule: f(u)' = f'(u)·u'
      return dMul(outer(e.fn, u, e), du);
    }
    // vectors and matrices differentiate item by item
    case 'vec': return vec(e.items.map((t) => d(t, x, memo)));
  }
}

/** f'(u) for each built-in f, where `self` is f(u). */
function outer(fn: string, u: Expr, self: Expr): Expr {
  switch (fn) {
    // d/du sin(u) = cos(u)
    case 'sin': return call('cos', [u]);
    // d/du cos(u) = -sin(u)
    case 'cos': return minus(call('sin', [u]));
    // d/du tan(u) = 1 + tan(u)^2  (= 1/cos(u)^2)
    case 'tan': return add(num(1), pow(self, num(2)));
    // d/du asin(u) = 1/sqrt(1 - u^2)
    case 'asin': return recip(call('sqrt', [add(num(1), minus(pow(u, num(2))))]));
    // d/du acos(u) = -1/sqrt(1 - u^2)
    case 'acos': return minus(recip(call('sqrt', [add(num(1), minus(pow(u, num(2))))])));
    // d/du atan(u) = 1/(1 + u^2)
    case 'atan': return recip(add(num(1), pow(u, num(2))));
    // d/du sinh(u) = cosh(u)
    case 'sinh': return call('cosh', [u]);
    // d/du cosh(u) = sinh(u)
    case 'cosh': return call('sinh', [u]);
    // d/du tanh(u) = 1 - tanh(u)^2
    case 'tanh': return add(num(1), minus(pow(self, num(2))));
    // d/du exp(u) = exp(u)
    case 'exp': return self;
    // d/du ln(u) = 1/u
    case 'log': case 'ln': return recip(u);
    // d/du log10(u) = 1/(u·ln(10))
    case 'log10': return recip(mul(u, call('log', [num(10)])));
    // d/du sqrt(u) = 1/(2·sqrt(u))
    case 'sqrt': return recip(mul(num(2), self));
    // d/du |u| = sign(u)  (undefined at u = 0)
    case 'abs': return call('sign', [u]);
    // d/du sign(u) = 0  (for u ≠ 0)
    case 'sign': return num(0);
    // d/du σ(u) = σ(u)·(1 - σ(u))
    case 'sigmoid': return mul(self, add(num(1), minus(self)));
    default: return num(NaN);
  }
}

export interface DerivativeOptions extends SimplifyOptions {
  /**
   * false: the derivative as the differentiation rules give it, not simplified, for a value at a
   * point, where no one reads the form and simplifying is most of the work. It equals the
   * simplified one wherever both are defined, but may be undefined where that is not (`x^2/x`
   * at 0), so a caller that meets a domain problem or a non-finite value there falls back to
   * the simplified one. Not cached.
   */
  simplified?: boolean;
}

/**
 * The simplified derivative of `e` with respect to `x`; vectors differentiate item by item.
 *
 * @example derivative(parseExpr('x^2*y + sin(x*y)'), 'x') // 2*x*y + y*cos(x*y)
 * @example derivative(parseExpr('x^2*y'), 'x', { simplified: false }) // 2*x^(2 - 1)*y
 * @throws ExprTooLarge when the input or the result exceeds the node budget or nests too deeply.
 */
export function derivative(e: Expr, x: string, opts?: DerivativeOptions): Expr {
  // A worksheet differentiates the same function body many times (its diff lines, grad,
  // hessian, check, the hover): the simplified result is kept, for the default options.
  const cacheable = opts === undefined;
  const hit = cacheable ? DERIVATIVES.get(e, x) : undefined;
  if (hit) return hit; // (e was within bounds when it was differentiated)
  checkBounds(e, opts?.maxNodes);
  if (opts?.simplified === false) return d(e, x, new Map());
  const r = simplifyDerivative(d(e, x, new Map()), e, opts);
  if (cacheable) DERIVATIVES.set(e, x, r);
  return r;
}

/**
 * The latest simplified derivatives, by expression (its identity) and variable, in two
 * generations: a full generation becomes the old one and the one before it is dropped, and a
 * derivative found in the old generation moves to the new one. So the derivatives that an analysis
 * keeps asking for stay (a 5,000-line worksheet asks for about 1,500), and those of the analyses
 * before it, whose expressions no one holds any more, go: a single Map of 20,000 emptied when full
 * kept up to 20 MB of them in each thread. Plain Maps rather than a WeakMap, for the same reason as
 * the simplifier's caches (simplify.ts): WeakMap entries are ephemerons that every garbage
 * collection has to process.
 */
class DerivativeCache {
  private current = new Map<Expr, Map<string, Expr>>();
  private old = new Map<Expr, Map<string, Expr>>();
  constructor(private readonly generation: number) {}

  get(e: Expr, x: string): Expr | undefined {
    const hit = this.current.get(e)?.get(x);
    if (hit) return hit;
    const aged = this.old.get(e)?.get(x);
    if (aged) this.set(e, x, aged);
    return aged;
  }

  set(e: Expr, x: string, r: Expr): void {
    let byVar = this.current.get(e);
    if (!byVar) {
      if (this.current.size >= this.generation) {
        this.old = this.current;
        this.current = new Map();
      }
      byVar = new Map();
      this.current.set(e, byVar);
    }
    byVar.set(x, r);
  }
}

const DERIVATIVES = new DerivativeCache(4096);

/**
 * The n-th derivative, simplifying after each step so the intermediate forms stay small.
 *
 * @example nthDerivative(parseExpr('sin(x)'), 'x', 2) // -sin(x)
 */
export function nthDerivative(e: Expr, x: string, n: number, opts?: SimplifyOptions): Expr {
  let r = simplify(e, opts);
  for (let i = 0; i < n; i++) r = derivative(r, x, opts);
  return r;
}

/**
 * The mixed partial derivative taking the variables in order: `partial(f, ['x', 'y'])` is ∂/∂y(∂f/∂x).
 *
 * @example partial(parseExpr('x^2*y^3'), ['x', 'y']) // 6*x*y^2
 */
export function partial(e: Expr, vars: readonly string[], opts?: SimplifyOptions): Expr {
  let r = simplify(e, opts);
  for (const v of vars) r = derivative(r, v, opts);
  return r;
}
