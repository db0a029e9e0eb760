/**
 * Simplification to a canonical, textbook form, in the manner of SymPy's automatic
 * simplification: constants folded, like terms and like factors collected, zeros and
 * ones dropped, terms and factors in a fixed order.
 *
 * Numbers are exact rationals while they stay small integers over small integers: a
 * coefficient 1/2 is kept as `mul(pow(2, -1), x)` (printed `x/2`), never turned into
 * 0.5. Once a non-integer literal (a float) takes part, arithmetic is floating point,
 * as in SymPy where `Float` is contagious.
 *
 * Everything here is bounded: the input and the result are measured against a node
 * budget and a nesting depth, and `ExprTooLarge` is thrown past them; every rule makes
 * the tree smaller or more canonical, and the passes are capped, so nothing can loop.
 */
import {
  type Expr, num, call, vec, pow, equals, listEquals, children, ExprTooLarge,
} from './expr';
import { builtinFunction, canonicalFunctionName } from '../semantics/builtins';
import {
  type Coef, FLOAT, ONE, ZERO, isFloat, value, coefAdd, coefMul, coefPowInt, coefIs, asCoef, coefFactors, coefExpr,
} from './coef';

/** Default node budget for `simplify` and `expand`. */
export const DEFAULT_MAX_NODES = 200_000;

export interface SimplifyOptions {
  /** Largest expression (in nodes, see `size`) accepted or produced. */
  maxNodes?: number;
  /**
   * Distribute a number over a sum, `2*(x + y)` to `2*x + 2*y`, as SymPy does. On by
   * default because it exposes cancellations; Taylor polynomials in powers of (x - a)
   * turn it off to keep their factors.
   */
  distributeNumbers?: boolean;
}

function mulOf(factors: Expr[]): Expr {
  if (factors.length === 0) return num(1);
  if (factors.length === 1) return factors[0]!;
  return { kind: 'mul', factors };
}
function addOf(terms: Expr[]): Expr {
  if (terms.length === 0) return num(0);
  if (terms.length === 1) return terms[0]!;
  return { kind: 'add', terms };
}

// ---------------------------------------------------------------------------
// Canonical keys and order.

/**
 * Structural keys are interned: a compound node's key is a short id for (kind, children's keys),
 * and a number or a name is its own key, so building and hashing a key costs O(children), not
 * O(size of the subtree). Keys are compared
 * only within one simplification, so the ids and the key of each node live as long as it does.
 *
 * No table here outlives a simplification, except the few recent results below. Global tables
 * (the simplifier once kept its canonical nodes and their keys in two Maps with up to 200,000
 * entries, and later the structure ids in one) cost a cache miss per lookup in a large table,
 * and every entry they gain survives the young generation: the garbage collector copies it
 * twice. That upkeep was half the time of a simplification, and then a sixth. (WeakMaps are
 * worse: V8 treats every entry as an ephemeron at each garbage collection.)
 */
/**
 * The structural keys of one simplification: the key of each node met, the id of each structure
 * met, and the next id to give.
 */
interface KeyTable {
  readonly memo: Map<Expr, string>;
  readonly ids: Map<string, string>;
  next: number;
}

function trimCaches(): void {
  if (recentOutputs.size >= MAX_RECENT_OUTPUTS) recentOutputs.clear();
}

/**
 * A string that two expressions share when they are structurally equal (and only then), among
 * the keys of one simplification (made on first use: only a sum or product of more than eight
 * groups of like parts needs them, see Groups).
 */
function keyIn(e: Expr, ctx: Ctx): string {
  return keyOf(e, ctx.keys ??= { memo: new Map(), ids: new Map(), next: 0 });
}

function keyOf(e: Expr, table: KeyTable): string {
  // A leaf is its own key (short, and cheaper to build than to look up). An interned id starts
  // with '#', a number's key with 'n', a name's with 's' and its length, so that a key read from
  // the left ends in one place whatever characters a name holds: a structure never reads two ways.
  if (e.kind === 'num') return `n${Object.is(e.value, -0) ? '0' : String(e.value)}`;
  if (e.kind === 'sym') return `s${e.name.length}:${e.name}`;
  let k = table.memo.get(e);
  if (k !== undefined) return k;
  let structure: string;
  const of = (c: Expr): string => keyOf(c, table);
  switch (e.kind) {
    case 'call': structure = `c${e.fn}(${e.args.map(of).join(',')})`; break;
    case 'pow': structure = `^${of(e.base)},${of(e.exp)}`; break;
    case 'add': structure = `+${e.terms.map(of).join(',')}`; break;
    case 'mul': structure = `*${e.factors.map(of).join(',')}`; break;
    case 'vec': structure = `[${e.items.map(of).join(',')}`; break;
  }
  k = table.ids.get(structure);
  if (k === undefined) {
    k = `#${(table.next++).toString(36)}`;
    table.ids.set(structure, k);
  }
  table.memo.set(e, k);
  return k;
}

/**
 * Like terms or like factors grouped by structure (what `like` gives of a group), in order of
 * first appearance. Most sums and products have two to four parts: comparing a new part with so
 * few groups, which mostly differ at their root, costs less than a structural key for each; past
 * eight groups an index by structural key takes over.
 */
class Groups<G, L> {
  readonly list: G[] = [];
  private index: Map<string, G> | undefined;

  constructor(
    private readonly like: (g: G) => L,
    private readonly same: (a: L, b: L) => boolean,
    private readonly key: (l: L) => string,
  ) {}

  find(l: L): G | undefined {
    if (this.index) return this.index.get(this.key(l));
    for (const g of this.list) if (this.same(this.like(g), l)) return g;
    return undefined;
  }

  add(g: G): void {
    this.list.push(g);
    if (this.index) this.index.set(this.key(this.like(g)), g);
    else if (this.list.length > 8) this.index = new Map(this.list.map((x) => [this.key(this.like(x)), x]));
  }
}

const RANK: Record<Expr['kind'], number> = { num: 0, sym: 1, pow: 2, call: 3, mul: 4, add: 5, vec: 6 };

/** A total order on expressions, used to sort the factors of a product. */
export function compareExpr(a: Expr, b: Expr): number {
  if (a === b) return 0;
  // x, x^2 and 2^x sort by their base first, so a product reads x²·y, not y·x²
  if (a.kind === 'pow' || b.kind === 'pow') {
    const c = compareExpr(a.kind === 'pow' ? a.base : a, b.kind === 'pow' ? b.base : b);
    if (c !== 0) return c;
    return compareExpr(a.kind === 'pow' ? a.exp : num(1), b.kind === 'pow' ? b.exp : num(1));
  }
  if (a.kind !== b.kind) return RANK[a.kind] - RANK[b.kind];
  switch (a.kind) {
    case 'num': return a.value - (b as typeof a).value;
    case 'sym': return a.name < (b as typeof a).name ? -1 : a.name > (b as typeof a).name ? 1 : 0;
    case 'call': {
      const fb = (b as typeof a).fn;
      if (a.fn !== fb) return a.fn < fb ? -1 : 1;
      return compareLists(a.args, (b as typeof a).args);
    }
    case 'add': return compareLists(a.terms, (b as typeof a).terms);
    case 'mul': return compareLists(a.factors, (b as typeof a).factors);
    case 'vec': return compareLists(a.items, (b as typeof a).items);
  }
}

function compareLists(a: readonly Expr[], b: readonly Expr[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compareExpr(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/**
 * Sorts `xs` in place, stably, as Array.prototype.sort does; short lists (the terms and
 * factors of almost every sum and product) by insertion, which allocates nothing.
 */
function sortInPlace<T>(xs: T[], cmp: (a: T, b: T) => number): void {
  if (xs.length > 12) { xs.sort(cmp); return; }
  for (let i = 1; i < xs.length; i++) {
    const x = xs[i]!;
    let j = i - 1;
    while (j >= 0 && cmp(xs[j]!, x) > 0) { xs[j + 1] = xs[j]!; j--; }
    xs[j + 1] = x;
  }
}

/** Polynomial degree of a term in its symbols: x²y is 3, sin(x) is 0. */
function degree(e: Expr): number {
  switch (e.kind) {
    case 'sym': return e.name === 'pi' || e.name === 'e' ? 0 : 1;
    case 'pow': return e.exp.kind === 'num' && e.base.kind === 'sym' ? e.exp.value * degree(e.base) : 0;
    case 'mul': {
      let d = 0;
      for (const f of e.factors) d += degree(f);
      return d;
    }
    default: return 0;
  }
}

/** Terms of a sum: higher degree first, then by their factors; the constant last, as textbooks write x² + 2x + 1. */
function sortTerms(terms: Expr[]): Expr[] {
  if (terms.length < 2) return terms;
  // decorate once: the comparisons would otherwise recompute these O(k log k) times
  const keyed = terms.map((t) => {
    const { coef, rest } = splitCoef(t);
    return { t, constant: isConstant(t), degree: degree(t), coef, rest };
  });
  sortInPlace(keyed, (a, b) => {
    if (a.constant !== b.constant) return a.constant ? 1 : -1;
    const d = b.degree - a.degree;
    if (d !== 0) return d;
    const c = compareLists(a.rest, b.rest);
    if (c !== 0) return c;
    return value(a.coef) - value(b.coef);
  });
  return keyed.map((k) => k.t);
}

/**
 * The sum of distinct terms that are each already canonical (a polynomial's monomials, say),
 * in canonical order, without a simplification pass: for builders that know their terms
 * cannot combine. Zero terms are dropped.
 *
 * @example canonicalSum([num(1), mul(num(2), sym('x'))]) // 2*x + 1
 */
export function canonicalSum(terms: readonly Expr[]): Expr {
  return addOf(sortTerms(terms.filter((t) => !(t.kind === 'num' && t.value === 0))));
}

/** No variables: numbers, pi, e and functions of them, which a sum writes last. */
function isConstant(e: Expr): boolean {
  switch (e.kind) {
    case 'num': return true;
    case 'sym': return e.name === 'pi' || e.name === 'e';
    case 'pow': return isConstant(e.base) && isConstant(e.exp);
    case 'vec': return false;
    default: {
      for (const c of children(e)) if (!isConstant(c)) return false;
      return true;
    }
  }
}

/** A simplified term as coefficient times the remaining factors. */
function splitCoef(e: Expr): { coef: Coef; rest: Expr[] } {
  const c = asCoef(e);
  if (c) return { coef: c, rest: [] };
  if (e.kind !== 'mul') return { coef: ONE, rest: [e] };
  let coef = ONE;
  const rest: Expr[] = [];
  for (const f of e.factors) {
    const k = asCoef(f);
    if (k) coef = coefMul(coef, k); else rest.push(f);
  }
  return { coef, rest };
}

// ---------------------------------------------------------------------------
// The simplifier.

interface Ctx {
  readonly maxNodes: number;
  readonly distribute: boolean;
  /** Simplified forms of the nodes seen in this simplification (canonical nodes map to themselves). */
  readonly memo: Map<Expr, Expr>;
  /** Structural keys of the nodes seen in this simplification (see keyIn), made on first use. */
  keys: KeyTable | undefined;
}

/**
 * The results of the latest simplifications under the default rules, which are canonical:
 * differentiating one again (a Hessian differentiates gradient entries; diff(e, x, 2) a first
 * derivative) gives a raw tree that shares its subtrees, and those need no second look. A
 * small set of roots, emptied when full; the nodes below a root are marked in the one
 * simplification that needs them (`simplifyDerivative`).
 */
const recentOutputs = new Set<Expr>();
const MAX_RECENT_OUTPUTS = 1024;

function context(opts?: SimplifyOptions): Ctx {
  const distribute = opts?.distributeNumbers ?? true;
  return { maxNodes: opts?.maxNodes ?? DEFAULT_MAX_NODES, distribute, memo: new Map(), keys: undefined };
}

/**
 * Throws past the budget. Counts the tree as printed (shared subtrees once per use) but
 * stops at the limit, so a DAG with heavy sharing costs O(maxNodes), never its exponential tree size.
 */
function checkSize(e: Expr, ctx: Ctx): Expr {
  return checkBounds(e, ctx.maxNodes);
}

/**
 * Deepest nesting the recursive algorithms accept. Each level costs a few stack frames in
 * simplification, differentiation and compilation; 400 stays well inside V8's default
 * stack, and no worksheet nests that deep.
 */
export const MAX_DEPTH = 400;

/**
 * Throws `ExprTooLarge` when `e` has more than `maxNodes` nodes or nests deeper than
 * `MAX_DEPTH`, so that no later recursion can overflow the stack. It stops at either limit, so
 * it costs O(min(size, maxNodes)) and recurses at most MAX_DEPTH deep; it allocates nothing.
 *
 * @example checkBounds(parseExpr('sin(x)'), 1000) // returns its argument
 */
export function checkBounds<E extends Expr>(e: E, maxNodes = DEFAULT_MAX_NODES): E {
  if (nodesLeft(e, 1, maxNodes - 1) < 0) throw new ExprTooLarge(maxNodes);
  return e;
}

/** `left` less the nodes below `e` (at depth `depth`); negative once past a limit. */
function nodesLeft(e: Expr, depth: number, left: number): number {
  if (left < 0 || depth > MAX_DEPTH) return -1;
  switch (e.kind) {
    case 'num': case 'sym': return left;
    case 'pow': return nodesLeft(e.exp, depth + 1, nodesLeft(e.base, depth + 1, left - 1) - 1);
    default: {
      for (const c of children(e)) {
        left = nodesLeft(c, depth + 1, left - 1);
        if (left < 0) return -1;
      }
      return left;
    }
  }
}

/**
 * Simplify to canonical textbook form.
 *
 * @example simplify(parseExpr('2*x*3 + x*x - x^(2-1)')) // 6*x + x^2 - x  ->  x^2 + 5*x
 * @throws ExprTooLarge when the input or result exceeds `maxNodes`.
 */
export function simplify(e: Expr, opts?: SimplifyOptions): Expr {
  // a recent result under the default rules (and within the default budget) is its own simplification
  if (opts === undefined && recentOutputs.has(e)) return e;
  return simplifyIn(e, context(opts));
}

/**
 * `simplify(raw)` for a raw derivative of `of`: when `of` is itself the result of a recent
 * simplification, its subtrees, which the derivative shares, are known to be canonical.
 */
export function simplifyDerivative(raw: Expr, of: Expr, opts?: SimplifyOptions): Expr {
  const ctx = context(opts);
  if (ctx.distribute && recentOutputs.has(of)) {
    const stack = [of];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (n.kind === 'num' || n.kind === 'sym' || ctx.memo.has(n)) continue;
      ctx.memo.set(n, n);
      for (const c of children(n)) stack.push(c);
    }
  }
  return simplifyIn(raw, ctx);
}

function simplifyIn(e: Expr, ctx: Ctx): Expr {
  trimCaches();
  checkSize(e, ctx);
  if (ctx.distribute && recentOutputs.has(e)) return e;
  const r = checkSize(simp(e, ctx), ctx);
  if (ctx.distribute && ctx.maxNodes <= DEFAULT_MAX_NODES) recentOutputs.add(r);
  return r;
}

/**
 * One bottom-up pass gives the canonical form: every rule that builds a node from simplified
 * parts simplifies what it builds (a product regroups its factors when a combined power comes
 * back with another base), so `simp` is idempotent; the property tests check that on random
 * expressions and their derivatives. Expansion, which multiplies out after simplifying, repeats
 * the pass until nothing changes, at most four times.
 */
function fixpoint(e: Expr, ctx: Ctx): Expr {
  let r = simp(e, ctx);
  for (let i = 0; i < 3; i++) {
    const next = simp(r, ctx);
    if (next === r) break;
    r = next;
  }
  return r;
}

function simp(e: Expr, ctx: Ctx): Expr {
  // leaves, about half the nodes, without the memo's lookups
  if (e.kind === 'sym') return e;
  if (e.kind === 'num') return Object.is(e.value, -0) ? num(0) : e;
  const hit = ctx.memo.get(e);
  if (hit) return hit;
  // a part that is itself a recent result (expect's A − B, a gradient's entries in a vector)
  if (ctx.distribute && recentOutputs.has(e)) return e;
  let r: Expr;
  switch (e.kind) {
    case 'call': r = simpCall(canonicalFunctionName(e.fn), e.args.map((a) => simp(a, ctx)), ctx); break;
    case 'pow': {
      const x = simp(e.exp, ctx);
      const k = asCoef(x);
      // (uv)^n = u^n v^n, applied before u·v is simplified, for the same reason as flattening products
      r = e.base.kind === 'mul' && k && !isFloat(k) && k.q === 1
        ? simpMul(flattenMul(e.base).map((f) => simpPow(simp(f, ctx), x, ctx)), ctx)
        : simpPow(simp(e.base, ctx), x, ctx);
      break;
    }
    // products are flattened before their factors are simplified, so the grouping of a
    // product, (2*a)*b or 2*(a*b), cannot change whether 2 is distributed over a sum in a
    case 'mul': r = simpMul(flattenMul(e).map((f) => simp(f, ctx)), ctx); break;
    case 'add': r = simpAdd(e.terms.map((t) => simp(t, ctx)), ctx); break;
    case 'vec': r = vec(e.items.map((t) => simp(t, ctx))); break;
  }
  // an unchanged node keeps its identity, so that what is cached for it (derivatives) is found again
  if (r !== e && equals(r, e)) r = e;
  ctx.memo.set(e, r);
  return r;
}

function flattenMul(e: Expr, out: Expr[] = []): Expr[] {
  if (e.kind === 'mul') for (const f of e.factors) flattenMul(f, out); else out.push(e);
  return out;
}

const ODD = new Set(['sin', 'tan', 'asin', 'atan', 'sinh', 'tanh', 'sign']);
const EVEN = new Set(['cos', 'cosh', 'abs']);

/** Values of functions at points where they are exact small integers (or 1/2). */
function exactCall(fn: string, c: Coef): Coef | undefined {
  const v = value(c);
  if (v === 0) {
    if (['sin', 'tan', 'asin', 'atan', 'sinh', 'tanh', 'sign', 'sqrt', 'abs'].includes(fn)) return ZERO;
    if (fn === 'cos' || fn === 'cosh' || fn === 'exp') return ONE;
    if (fn === 'sigmoid') return { p: 1, q: 2 };
  }
  if (v === 1 && (fn === 'log' || fn === 'log10' || fn === 'acos')) return ZERO;
  if (fn === 'abs') return c.p < 0 ? { p: -c.p, q: c.q } : c;
  if (fn === 'sign') return { p: Math.sign(v), q: 1 };
  if (fn === 'sqrt' && c.p >= 0) {
    const p = Math.round(Math.sqrt(c.p)), q = Math.round(Math.sqrt(c.q));
    if (p * p === c.p && q * q === c.q) return { p, q };
  }
  if (fn === 'log10' && c.q === 1 && c.p > 0) {
    const k = Math.round(Math.log10(c.p));
    if (Math.pow(10, k) === c.p) return { p: k, q: 1 };
  }
  return undefined;
}

function simpCall(fn: string, args: Expr[], ctx: Ctx): Expr {
  const u = args[0];
  if (args.length !== 1 || !u) return call(fn, args);
  const c = asCoef(u);
  if (c) {
    const exact = isFloat(c) ? undefined : exactCall(fn, c);
    if (exact) return coefExpr(exact);
    if (isFloat(c)) {
      // a float came in: fold, as SymPy does with Float arguments; keep domain errors visible
      const f = builtinFunction(fn);
      const v = f?.apply(c.p);
      if (v !== undefined && Number.isFinite(v)) return num(v);
    }
  }
  // log(e) = 1
  if ((fn === 'log') && u.kind === 'sym' && u.name === 'e') return num(1);
  // exp(log(u)) = u where it is defined (u > 0); log(exp(u)) = u for real u
  if (fn === 'exp' && u.kind === 'call' && u.fn === 'log' && u.args.length === 1) return u.args[0]!;
  if (fn === 'log' && u.kind === 'call' && u.fn === 'exp' && u.args.length === 1) return u.args[0]!;
  // abs(abs(u)) = abs(u)
  if (fn === 'abs' && u.kind === 'call' && u.fn === 'abs') return u;
  // odd f: f(-u) = -f(u); even f: f(-u) = f(u). Canonical arguments expose cancellations.
  if ((ODD.has(fn) || EVEN.has(fn)) && hasMinusSign(u)) {
    const inner = call(fn, [simpMul([num(-1), u], ctx)]);
    return ODD.has(fn) ? simpMul([num(-1), inner], ctx) : inner;
  }
  return call(fn, args);
}

/** True for -3, -2*x and similar: a leading negative coefficient. */
function hasMinusSign(e: Expr): boolean {
  const c = splitCoef(e).coef;
  return value(c) < 0;
}

function simpPow(b: Expr, x: Expr, ctx: Ctx): Expr {
  const xc = asCoef(x), bc = asCoef(b);
  // u^0 = 1 and u^1 = u
  if (xc && coefIs(xc, 0)) return num(1);
  if (xc && coefIs(xc, 1) && !isFloat(xc)) return b;
  if (bc && coefIs(bc, 1) && !isFloat(bc)) return b;
  // 0^x = 0 for x > 0; 0^x for x < 0 is a division by zero: undefined, NaN as in evaluation
  if (bc && coefIs(bc, 0) && xc && value(xc) > 0) return coefExpr(bc);
  if (bc && coefIs(bc, 0) && xc && value(xc) < 0) return num(NaN);
  if (bc && xc) {
    if (isFloat(bc) || isFloat(xc)) {
      const v = Math.pow(value(bc), value(xc));
      // NaN is undefined either way (NaN^2, (-8.5)^0.5); an overflow stays symbolic
      if (!(v === Infinity || v === -Infinity)) return num(v);
    } else if (xc.q === 1) {
      const r = coefPowInt(bc, xc.p);
      if (r) return coefExpr(r);
    }
    if (!isFloat(bc) && bc.q !== 1 && xc.q !== FLOAT) {
      // (p/q)^x = p^x * q^(-x): keep the canonical product of integer powers
      return simpMul([simpPow(num(bc.p), x, ctx), simpPow(num(bc.q), coefExpr(coefMul(xc, { p: -1, q: 1 })), ctx)], ctx);
    }
    return pow(b, x);
  }
  const integerExp = xc !== undefined && !isFloat(xc) && xc.q === 1;
  // e^u = exp(u)
  if (b.kind === 'sym' && b.name === 'e') return simpCall('exp', [x], ctx);
  // exp(u)^c = exp(c·u) for real u and a number c
  if (b.kind === 'call' && b.fn === 'exp' && xc) return simpCall('exp', [simpMul([b.args[0]!, x], ctx)], ctx);
  // (u^a)^n = u^(a·n) for an integer n
  if (b.kind === 'pow' && integerExp) return simpPow(b.base, simpMul([b.exp, x], ctx), ctx);
  // (uv)^n = u^n v^n for an integer n
  if (b.kind === 'mul' && integerExp) return simpMul(b.factors.map((f) => simpPow(f, x, ctx)), ctx);
  // sqrt(u)^(2k) = u^k
  if (b.kind === 'call' && b.fn === 'sqrt' && integerExp && xc.p % 2 === 0) return simpPow(b.args[0]!, num(xc.p / 2), ctx);
  // |u|^(2k) = u^(2k) for real u
  if (b.kind === 'call' && b.fn === 'abs' && b.args.length === 1 && integerExp && xc.p % 2 === 0) return simpPow(b.args[0]!, x, ctx);
  return pow(b, x);
}

/** Base and exponent of a factor: x^2 is (x, 2), x is (x, 1). */
const baseExp = (f: Expr): [Expr, Expr] => (f.kind === 'pow' ? [f.base, f.exp] : [f, num(1)]);

/** The base and exponent a factor is grouped by in a product: sqrt(u)^k counts as u^(k/2). */
function likeFactor(f: Expr, ctx: Ctx): { base: Expr; exp: Expr } {
  const [base, exp] = baseExp(f);
  if (isSqrt(base)) return { base: base.args[0]!, exp: simpMul([exp, pow(num(2), num(-1))], ctx) };
  return { base, exp };
}

/** likeFactor(f).base, without working out the exponent. */
function likeBase(f: Expr): Expr {
  const base = f.kind === 'pow' ? f.base : f;
  return isSqrt(base) ? base.args[0]! : base;
}

const isExp = (f: Expr): boolean => f.kind === 'call' && f.fn === 'exp' && f.args.length === 1;
const isSqrt = (e: Expr): e is Extract<Expr, { kind: 'call' }> => e.kind === 'call' && e.fn === 'sqrt' && e.args.length === 1;

/** Bound on the regroupings of one product's factors (see simpMul). */
const MAX_MUL_ROUNDS = 4;

function simpMul(input: Expr[], ctx: Ctx, rounds = 0): Expr {
  let coef = ONE;
  const flat: Expr[] = [];
  // the factors of nested products join the list; it is copied first, only then (most have none)
  let pending = input, copied = false;
  let vecItem: Expr | undefined;
  for (let i = 0; i < pending.length; i++) {
    const f = pending[i]!;
    if (f.kind === 'mul') {
      if (!copied) { pending = pending.slice(); copied = true; }
      pending.push(...f.factors);
      continue;
    }
    const k = asCoef(f);
    if (k) { coef = coefMul(coef, k); continue; }
    if (f.kind === 'vec' && vecItem === undefined) { vecItem = f; continue; }
    flat.push(f);
  }
  if (vecItem) {
    // a scalar times a vector scales each item
    const scalar = [coefExpr(coef), ...flat];
    return vec((vecItem as { items: readonly Expr[] }).items.map((it) => simpMul([...scalar, it], ctx)));
  }
  if (coefIs(coef, 0)) return num(0);

  // exp(u)·exp(v) = exp(u + v), as SymPy writes it
  let expCalls = 0;
  for (const f of flat) if (isExp(f)) expCalls++;
  if (expCalls > 1) {
    const exps = flat.filter(isExp);
    const merged = simpCall('exp', [simpAdd(exps.map((f) => (f as { args: readonly Expr[] }).args[0]!), ctx)], ctx);
    flat.splice(0, flat.length, ...flat.filter((f) => !exps.includes(f)));
    const k = asCoef(merged);
    if (k) coef = coefMul(coef, k); else flat.push(merged);
  }
  // like factors: u^a · u^b = u^(a+b), where sqrt(u)^k counts as u^(k/2): u/sqrt(u) = sqrt(u)
  const groups = new Groups<{ first: Expr; base: Expr; exps: Expr[] }, Expr>((g) => g.base, equals, (b) => keyIn(b, ctx));
  for (const f of flat) {
    const { base, exp } = likeFactor(f, ctx);
    const g = groups.find(base);
    if (g) g.exps.push(exp); else groups.add({ first: f, base, exps: [exp] });
  }
  const factors: Expr[] = [];
  // A combined power can come back with another base, which may be like another group's:
  // (xy)^-1 comes back as x^-1·y^-1 (and y·(xy)^-1 is 1/x), (u^(1/2))^-2 as u^-1. Then the
  // factors are grouped again.
  let regroup = false;
  for (const { first, base, exps } of groups.list) {
    const p = exps.length === 1 ? first : powOfSum(base, simpAdd(exps, ctx), ctx);
    const k = asCoef(p);
    if (k) coef = coefMul(coef, k);
    else if (p.kind === 'mul') {
      regroup = true;
      for (const q of p.factors) {
        const kq = asCoef(q);
        if (kq) coef = coefMul(coef, kq); else factors.push(q);
      }
    } else {
      if (p !== first && !equals(likeBase(p), base)) regroup = true;
      factors.push(p);
    }
  }
  if (regroup && rounds < MAX_MUL_ROUNDS) return simpMul([coefExpr(coef), ...factors], ctx, rounds + 1);
  if (coefIs(coef, 0)) return num(0);
  // an undefined factor makes the product undefined
  if (Number.isNaN(value(coef))) return num(NaN);
  return withCoef(coef, factors, ctx);
}

/** u^x, with a half-integer x written through sqrt(u), the one canonical spelling of square roots. */
function powOfSum(u: Expr, x: Expr, ctx: Ctx): Expr {
  const k = asCoef(x);
  if (k && !isFloat(k) && k.q === 2) return simpPow(call('sqrt', [u]), num(k.p), ctx);
  return simpPow(u, x, ctx);
}

/** coef · factors, canonical: the number first, one-factor products collapsed, numbers distributed over a lone sum. */
function withCoef(coef: Coef, factors: Expr[], ctx: Ctx): Expr {
  if (factors.length === 0) return coefExpr(coef);
  const unit = coefIs(coef, 1);
  // c·(a + b) = c·a + c·b
  if (!unit && ctx.distribute && factors.length === 1 && factors[0]!.kind === 'add') {
    return simpAdd(factors[0]!.terms.map((t) => simpMul([coefExpr(coef), t], ctx)), ctx);
  }
  sortInPlace(factors, compareExpr);
  return unit ? mulOf(factors) : mulOf([...coefFactors(coef), ...factors]);
}

function simpAdd(input: Expr[], ctx: Ctx): Expr {
  let constant = ZERO;
  // the terms of nested sums join the list; it is copied first, only then (most have none)
  let pending = input, copied = false;
  const groups = new Groups<{ coef: Coef; rest: Expr[] }, readonly Expr[]>(
    (g) => g.rest, listEquals, (rest) => (rest.length === 1 ? keyIn(rest[0]!, ctx) : rest.map((r) => keyIn(r, ctx)).join('·')));
  const vecs: Expr[] = [];
  for (let i = 0; i < pending.length; i++) {
    const t = pending[i]!;
    if (t.kind === 'add') {
      if (!copied) { pending = pending.slice(); copied = true; }
      pending.push(...t.terms);
      continue;
    }
    if (t.kind === 'vec') { vecs.push(t); continue; }
    const { coef, rest } = splitCoef(t);
    if (rest.length === 0) { constant = coefAdd(constant, coef); continue; }
    // like terms: a·u + b·u = (a + b)·u
    const g = groups.find(rest);
    if (g) g.coef = coefAdd(g.coef, coef); else groups.add({ coef, rest });
  }
  if (vecs.length > 0) {
    // vectors of one length add item by item; anything else is left for the caller to report
    const n = (vecs[0] as { items: readonly Expr[] }).items.length;
    if (groups.list.length === 0 && coefIs(constant, 0) && vecs.every((v) => (v as { items: readonly Expr[] }).items.length === n)) {
      return vec(Array.from({ length: n }, (_, i) => simpAdd(vecs.map((v) => (v as { items: readonly Expr[] }).items[i]!), ctx)));
    }
  }
  const terms: Expr[] = [];
  for (const { coef, rest } of groups.list) {
    if (coefIs(coef, 0)) continue;
    const t = withCoef(coef, rest, ctx); // (rest is this group's own list: splitCoef makes a new one)
    if (t.kind === 'add') terms.push(...t.terms); else if (!(t.kind === 'num' && t.value === 0)) terms.push(t);
  }
  if (Number.isNaN(value(constant))) return num(NaN);
  const sorted = sortTerms(terms);
  if (!coefIs(constant, 0) || (isFloat(constant) && sorted.length === 0)) sorted.push(coefExpr(constant));
  sorted.push(...vecs);
  return addOf(sorted);
}

// ---------------------------------------------------------------------------
// Expansion.

/**
 * Multiply out products of sums and positive integer powers of sums, then simplify.
 *
 * @example expand(parseExpr('(x + 1)^2')) // x^2 + 2*x + 1
 * @throws ExprTooLarge when the expansion would exceed `maxNodes`.
 */
export function expand(e: Expr, opts?: SimplifyOptions): Expr {
  trimCaches();
  const ctx = context(opts);
  return checkSize(fixpoint(expandRaw(fixpoint(checkSize(e, ctx), ctx), ctx), ctx), ctx);
}

/** Terms of a sum, or the expression itself as one term. */
const termsOf = (e: Expr): readonly Expr[] => (e.kind === 'add' ? e.terms : [e]);

function expandRaw(e: Expr, ctx: Ctx): Expr {
  switch (e.kind) {
    case 'num': case 'sym': return e;
    case 'call': return call(e.fn, e.args.map((a) => expandRaw(a, ctx)));
    case 'vec': return vec(e.items.map((a) => expandRaw(a, ctx)));
    case 'add': return simpAdd(e.terms.map((t) => expandRaw(t, ctx)), ctx);
    case 'mul': {
      let acc: Expr[] = [num(1)];
      for (const f of e.factors) acc = productOfSums(acc, termsOf(expandRaw(f, ctx)), ctx);
      return simpAdd(acc, ctx);
    }
    case 'pow': {
      const b = expandRaw(e.base, ctx);
      const x = simp(e.exp, ctx);
      if (b.kind === 'add' && x.kind === 'num' && Number.isInteger(x.value) && x.value > 1) {
        let acc: Expr[] = [num(1)];
        for (let i = 0; i < x.value; i++) acc = productOfSums(acc, b.terms, ctx);
        return simpAdd(acc, ctx);
      }
      return simpPow(b, x, ctx);
    }
  }
}

/** (a1 + a2 + ...)(b1 + b2 + ...) as the list of simplified products ai·bj, like terms combined. */
function productOfSums(a: readonly Expr[], b: readonly Expr[], ctx: Ctx): Expr[] {
  if (a.length * b.length > ctx.maxNodes) throw new ExprTooLarge(ctx.maxNodes);
  const out: Expr[] = [];
  for (const s of a) for (const t of b) out.push(simpMul([s, t], ctx));
  const sum = simpAdd(out, ctx);
  checkSize(sum, ctx);
  return [...termsOf(sum)];
}

/** `isZero(simplify(e))`: true for the number 0 (and a vector of zeros). */
export function isZero(e: Expr): boolean {
  if (e.kind === 'num') return e.value === 0;
  if (e.kind === 'vec') return e.items.every(isZero);
  return false;
}
