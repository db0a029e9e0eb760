/**
 * The symbolic expression IR that the calculus engine works on.
 *
 * It is separate from the syntax tree: it has no offsets, and it is kept in a
 * canonical shape that a computer-algebra system can reason about, as SymPy does:
 *
 *   a - b   is  add(a, mul(-1, b))
 *   a / b   is  mul(a, pow(b, -1))
 *   -a      is  mul(-1, a)
 *
 * Printers turn the canonical shape back into subtraction and division.
 * Vectors and matrices are `vec` nodes (a matrix is a vec of row vecs), so that
 * vector-valued functions, Jacobians and, later, neural-network parameters
 * with vector and matrix shapes use the same IR.
 *
 * Nodes are immutable; share them freely.
 */
export type Expr = Num | Sym | Add | Mul | Pow | Call | Vec;

/** A real number literal. `{ kind: 'num', value: 2.5 }` */
export interface Num { readonly kind: 'num'; readonly value: number }
/** A free variable or named constant such as `pi`. `{ kind: 'sym', name: 'x' }` */
export interface Sym { readonly kind: 'sym'; readonly name: string }
/** A sum of two or more terms. */
export interface Add { readonly kind: 'add'; readonly terms: readonly Expr[] }
/** A product of two or more factors. */
export interface Mul { readonly kind: 'mul'; readonly factors: readonly Expr[] }
/** `base ^ exp` */
export interface Pow { readonly kind: 'pow'; readonly base: Expr; readonly exp: Expr }
/** A call of a built-in function (`sin`, `exp`, ...); user functions are inlined before they get here. */
export interface Call { readonly kind: 'call'; readonly fn: string; readonly args: readonly Expr[] }
/** A vector; a matrix is a vec whose items are vecs of equal length. */
export interface Vec { readonly kind: 'vec'; readonly items: readonly Expr[] }

const MIN_SHARED = -16, MAX_SHARED = 16;
/** (Not frozen: a frozen object has a map of its own, and every read of a number would then see two shapes.) */
const SHARED_NUMS: readonly Num[] = Array.from({ length: MAX_SHARED - MIN_SHARED + 1 }, (_, i): Num => ({ kind: 'num', value: i + MIN_SHARED }));
/**
 * `num(2)`. The small whole numbers that rules and canonical forms use over and over (the -1 of
 * every difference and quotient, exponents, coefficients) are shared nodes: nodes are immutable,
 * and most of an expression's numbers are these, so most numbers cost no allocation, and a
 * derivative or function body kept for later holds no copies of them.
 */
export function num(value: number): Num {
  // (-0 is not shared: the simplifier tells it apart, and 0 | 0 === -0 would let it through)
  if ((value | 0) === value && value >= MIN_SHARED && value <= MAX_SHARED && !Object.is(value, -0)) return SHARED_NUMS[value - MIN_SHARED]!;
  return { kind: 'num', value };
}

/** `sym('x')` */
export const sym = (name: string): Sym => ({ kind: 'sym', name });
/** `call('sin', [sym('x')])` */
export const call = (fn: string, args: readonly Expr[]): Call => ({ kind: 'call', fn, args });
/** `vec([num(1), num(2)])` */
export const vec = (items: readonly Expr[]): Vec => ({ kind: 'vec', items });

/** Raw constructors: no simplification, but n-ary nodes of one item collapse to that item. */
export function add(...terms: Expr[]): Expr {
  if (terms.length === 0) return num(0);
  if (terms.length === 1) return terms[0]!;
  return { kind: 'add', terms };
}
export function mul(...factors: Expr[]): Expr {
  if (factors.length === 0) return num(1);
  if (factors.length === 1) return factors[0]!;
  return { kind: 'mul', factors };
}
export function pow(base: Expr, exp: Expr): Pow {
  return { kind: 'pow', base, exp };
}
/** `neg(e)` is `mul(-1, e)` */
export const neg = (e: Expr): Expr => mul(num(-1), e);
/** `sub(a, b)` is `add(a, mul(-1, b))` */
export const sub = (a: Expr, b: Expr): Expr => add(a, neg(b));
/** `div(a, b)` is `mul(a, pow(b, -1))` */
export const div = (a: Expr, b: Expr): Expr => mul(a, pow(b, num(-1)));

/** The direct children of a node. */
export function children(e: Expr): readonly Expr[] {
  switch (e.kind) {
    case 'num': case 'sym': return [];
    case 'add': return e.terms;
    case 'mul': return e.factors;
    case 'pow': return [e.base, e.exp];
    case 'call': return e.args;
    case 'vec': return e.items;
  }
}

/** Number of nodes, the size measure used for budgets and for comparing simplifications. */
export function size(e: Expr): number {
  let n = 1;
  for (const c of children(e)) n += size(c);
  return n;
}

/**
 * True when `e` has more than `limit` nodes, counting shared subtrees once per use (as `size`
 * does), but stopping at the limit: a small DAG that stands for a huge tree costs O(limit).
 *
 * @example largerThan(parseExpr('x + 1'), 2) // true
 */
export function largerThan(e: Expr, limit: number): boolean {
  let left = limit;
  const stack: Expr[] = [e];
  while (stack.length > 0) {
    if (--left < 0) return true;
    const n = stack.pop()!;
    for (const c of children(n)) stack.push(c);
  }
  return false;
}

/** The free symbols of `e`, in order of first appearance. `freeSymbols(x*y + x)` is `['x', 'y']` */
export function freeSymbols(e: Expr, out: string[] = []): string[] {
  if (e.kind === 'sym') {
    if (!out.includes(e.name)) out.push(e.name);
  } else {
    for (const c of children(e)) freeSymbols(c, out);
  }
  return out;
}

/**
 * Replace symbols by expressions. `substitute(x + y, {x: 2})` is `2 + y` (unsimplified).
 * Subtrees that do not change are returned as they are (a symbol bound to an equal symbol
 * does not change), so substituting a function's parameters by themselves gives back its
 * body, and whatever was cached for the body (its simplified form, its derivatives) is found again.
 */
export function substitute(e: Expr, bindings: ReadonlyMap<string, Expr>): Expr {
  const memo = new Map<Expr, Expr>();
  const visit = (x: Expr): Expr => {
    if (x.kind === 'num') return x;
    if (x.kind === 'sym') {
      const b = bindings.get(x.name);
      return b === undefined || (b.kind === 'sym' && b.name === x.name) ? x : b;
    }
    const hit = memo.get(x);
    if (hit) return hit;
    const items = children(x);
    let changed: Expr[] | undefined;
    for (let i = 0; i < items.length; i++) {
      const c = visit(items[i]!);
      if (c !== items[i] && !changed) changed = items.slice(0, i);
      if (changed) changed.push(c);
    }
    const r = changed ? withChildren(x, changed) : x;
    memo.set(x, r);
    return r;
  };
  return visit(e);
}

/** A node of the same kind and fields with new children (in the order `children` gives them). */
function withChildren(e: Expr, items: Expr[]): Expr {
  switch (e.kind) {
    case 'num': case 'sym': return e;
    case 'add': return { kind: 'add', terms: items };
    case 'mul': return { kind: 'mul', factors: items };
    case 'pow': return pow(items[0]!, items[1]!);
    case 'call': return call(e.fn, items);
    case 'vec': return vec(items);
  }
}

/** Structural equality. */
export function equals(a: Expr, b: Expr): boolean {
  if (a === b) return true;
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'num': return Object.is(a.value, (b as Num).value) || a.value === (b as Num).value;
    case 'sym': return a.name === (b as Sym).name;
    case 'call': {
      const c = b as Call;
      return a.fn === c.fn && listEquals(a.args, c.args);
    }
    default: {
      const ca = children(a), cb = children(b);
      return listEquals(ca, cb);
    }
  }
}

/** Structural equality of two lists of expressions, item by item. */
export function listEquals(a: readonly Expr[], b: readonly Expr[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!equals(a[i]!, b[i]!)) return false;
  return true;
}

/** The shape of an expression: [] for a scalar, [n] for a vector, [r, c] for a matrix. */
export function shapeOf(e: Expr): number[] {
  if (e.kind !== 'vec') return [];
  if (e.items.length === 0) return [0];
  return [e.items.length, ...shapeOf(e.items[0]!)];
}

/** Thrown when an operation would build an expression larger than its budget. */
export class ExprTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`expression grew beyond ${limit} nodes`);
  }
}
