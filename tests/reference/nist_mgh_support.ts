/**
 * Test support for the NIST StRD and Moré–Garbow–Hillstrom reference suites:
 * readers for the data files, a parser for their model notation (NIST's
 * Fortran-like `b1*exp[-b2*x]`, MGH's `x[1]*exp(-t(i)*x[2])` with sums, data arrays
 * and piecewise definitions), and an evaluator that carries exact first and second
 * derivatives (forward-mode automatic differentiation), so every problem is turned
 * into an objective with exact gradient and Hessian by the same code, with nothing
 * written per problem.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Objective } from '../../server/src/core/numeric/types.js';
import type { ModelFunction } from '../../server/src/core/numeric/regress.js';
import { modelFromExpr, objectiveFromExpr } from '../../server/src/core/numeric/fromExpr.js';
import { add, call, div, mul, neg, num, pow, sub, sym, type Expr } from '../../server/src/core/calculus/expr.js';

/** The repository: two levels above this file, and above its bundle in dist/bench/ (scripts/bench.mjs). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const sharedDir = process.env.CALC_SHARED ?? path.resolve(repoRoot, '../shared');

/** LRE = −log10(|est − cert|/|cert|) (or absolute when cert = 0), clipped to [0, digits]. */
export function lre(est: number, cert: number, digits: number): number {
  if (!Number.isFinite(est)) return 0;
  const err = cert === 0 ? Math.abs(est) : Math.abs(est - cert) / Math.abs(cert);
  if (err === 0) return digits;
  return Math.max(0, Math.min(digits, -Math.log10(err)));
}

// ---------------------------------------------------------------------------
// Parser

type Node =
  | { t: 'num'; v: number }
  | { t: 'name'; name: string }
  | { t: 'index'; name: string; index: Node }
  | { t: 'call'; fn: string; args: Node[] }
  | { t: 'bin'; op: '+' | '-' | '*' | '/' | '^'; a: Node; b: Node }
  | { t: 'neg'; a: Node }
  | { t: 'reduce'; op: 'sum' | 'prod'; v: string; lo: Node; hi: Node; body: Node }
  | { t: 'cmp'; op: string; a: Node; b: Node }
  | { t: 'and'; a: Node; b: Node };

const FUNCTIONS = new Set(['sin', 'cos', 'tan', 'exp', 'log', 'sqrt', 'atan', 'arctan', 'abs', 'min', 'max', 'mod', 'T']);

function tokenize(src: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) { i++; continue; }
    const num = /^(\d+\.?(?!\.)\d*|\.\d+)([eE][+-]?\d+)?/.exec(src.slice(i));
    if (num) { out.push(num[0]); i += num[0].length; continue; }
    const name = /^[A-Za-z_]\w*/.exec(src.slice(i));
    if (name) { out.push(name[0]); i += name[0].length; continue; }
    const two = src.slice(i, i + 2);
    if (['**', '..', '==', '!=', '<=', '>='].includes(two)) { out.push(two); i += 2; continue; }
    out.push(c);
    i++;
  }
  return out;
}

/** Parse infix text; `^` and `**` bind tighter than unary minus and associate to the right. */
export function parse(src: string): Node {
  const toks = tokenize(src);
  let p = 0;
  const peek = () => toks[p];
  const next = () => toks[p++]!;
  const expect = (t: string) => { if (toks[p] !== t) throw new Error(`expected ${t} at ${toks.slice(p).join(' ')} in ${src}`); p++; };
  const cond = (): Node => {
    let a = cmp();
    while (peek() === 'and') { next(); a = { t: 'and', a, b: cmp() }; }
    return a;
  };
  const cmp = (): Node => {
    const a = expr();
    const op = peek();
    if (op && ['==', '!=', '<', '>', '<=', '>='].includes(op)) { next(); return { t: 'cmp', op, a, b: expr() }; }
    return a;
  };
  const expr = (): Node => {
    let a = term();
    while (peek() === '+' || peek() === '-') { const op = next() as '+' | '-'; a = { t: 'bin', op, a, b: term() }; }
    return a;
  };
  const term = (): Node => {
    let a = unary();
    while (peek() === '*' || peek() === '/') { const op = next() as '*' | '/'; a = { t: 'bin', op, a, b: unary() }; }
    return a;
  };
  const unary = (): Node => {
    if (peek() === '-') { next(); return { t: 'neg', a: unary() }; }
    if (peek() === '+') { next(); return unary(); }
    return power();
  };
  const power = (): Node => {
    const a = primary();
    if (peek() === '^' || peek() === '**') { next(); return { t: 'bin', op: '^', a, b: unary() }; }
    return a;
  };
  const primary = (): Node => {
    const tok = next();
    if (tok === '(' || tok === '[') { const e = expr(); expect(tok === '(' ? ')' : ']'); return e; }
    if (/^[\d.]/.test(tok)) return { t: 'num', v: Number(tok) };
    if (!/^[A-Za-z_]/.test(tok)) throw new Error(`unexpected ${tok} in ${src}`);
    if ((tok === 'sum' || tok === 'prod') && peek() === '(') {
      next();
      const v = next(); expect('='); const lo = expr(); expect('..'); const hi = expr(); expect(',');
      const body = expr(); expect(')');
      return { t: 'reduce', op: tok, v, lo, hi, body };
    }
    if (peek() === '(' || (peek() === '[' && FUNCTIONS.has(tok))) {
      const close = next() === '(' ? ')' : ']';
      const args: Node[] = [expr()];
      while (peek() === ',') { next(); args.push(expr()); }
      expect(close);
      return { t: 'call', fn: tok, args };
    }
    if (peek() === '[') { next(); const index = expr(); expect(']'); return { t: 'index', name: tok, index }; }
    return { t: 'name', name: tok };
  };
  const e = cond();
  if (p !== toks.length) throw new Error(`unparsed tail ${toks.slice(p).join(' ')} in ${src}`);
  return e;
}

// ---------------------------------------------------------------------------
// Forward-mode AD with exact gradient and Hessian.

/** A value with its gradient and (order 2) Hessian with respect to the n active variables. */
export class AD {
  constructor(readonly v: number, readonly g: Float64Array, readonly h: Float64Array | null) {}
}
type Val = number | AD;

class Algebra {
  constructor(readonly n: number, readonly order: 1 | 2) {}
  variable(k: number, v: number): AD {
    const g = new Float64Array(this.n); g[k] = 1;
    return new AD(v, g, this.order === 2 ? new Float64Array(this.n * this.n) : null);
  }
  private lift(a: Val): AD {
    return typeof a === 'number' ? new AD(a, new Float64Array(this.n), this.order === 2 ? new Float64Array(this.n * this.n) : null) : a;
  }
  add(a: Val, b: Val, sign = 1): Val {
    if (typeof a === 'number' && typeof b === 'number') return a + sign * b;
    const A = this.lift(a), B = this.lift(b);
    const g = A.g.map((x, i) => x + sign * B.g[i]!);
    const h = A.h && B.h ? A.h.map((x, i) => x + sign * B.h![i]!) : null;
    return new AD(A.v + sign * B.v, g, h);
  }
  // (ab)' = a'b + ab';  (ab)'' = a''b + a'b'ᵀ + b'a'ᵀ + ab''
  mul(a: Val, b: Val): Val {
    if (typeof a === 'number' && typeof b === 'number') return a * b;
    if (typeof a === 'number') return this.scale(b as AD, a);
    if (typeof b === 'number') return this.scale(a, b);
    const n = this.n;
    const g = a.g.map((x, i) => x * b.v + a.v * b.g[i]!);
    let h: Float64Array | null = null;
    if (a.h && b.h) {
      h = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
        h[i * n + j] = a.h[i * n + j]! * b.v + a.v * b.h[i * n + j]! + a.g[i]! * b.g[j]! + b.g[i]! * a.g[j]!;
      }
    }
    return new AD(a.v * b.v, g, h);
  }
  private scale(a: AD, c: number): AD {
    return new AD(a.v * c, a.g.map((x) => x * c), a.h ? a.h.map((x) => x * c) : null);
  }
  /** Chain rule for a scalar function φ: (φ∘u)' = φ'(u)u',  (φ∘u)'' = φ'(u)u'' + φ''(u)u'u'ᵀ */
  chain(u: AD, f0: number, f1: number, f2: number): AD {
    const n = this.n;
    const g = u.g.map((x) => f1 * x);
    let h: Float64Array | null = null;
    if (u.h) {
      h = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) h[i * n + j] = f1 * u.h[i * n + j]! + f2 * u.g[i]! * u.g[j]!;
    }
    return new AD(f0, g, h);
  }
  div(a: Val, b: Val): Val {
    if (typeof b === 'number') return typeof a === 'number' ? a / b : this.scale(a, 1 / b);
    const v = b.v;
    // d/du (1/u) = −1/u², d²/du² (1/u) = 2/u³
    return this.mul(a, this.chain(b, 1 / v, -1 / (v * v), 2 / (v * v * v)));
  }
  pow(a: Val, b: Val): Val {
    if (typeof a === 'number' && typeof b === 'number') return a ** b;
    if (typeof b === 'number') {
      const u = a as AD;
      if (b === 0) return 1;
      if (b === 1) return u;
      if (b === 2) return this.mul(u, u);
      // d/du uᶜ = c·uᶜ⁻¹,  d²/du² uᶜ = c(c−1)·uᶜ⁻²
      return this.chain(u, u.v ** b, b * u.v ** (b - 1), b * (b - 1) * u.v ** (b - 2));
    }
    // aᵇ = exp(b·ln a)
    return this.fn('exp', [this.mul(b, this.fn('log', [a]))]);
  }
  fn(name: string, args: Val[]): Val {
    const u = args[0]!;
    if (args.every((a) => typeof a === 'number')) {
      const x = args as number[];
      switch (name) {
        case 'sin': return Math.sin(x[0]!);
        case 'cos': return Math.cos(x[0]!);
        case 'tan': return Math.tan(x[0]!);
        case 'exp': return Math.exp(x[0]!);
        case 'log': return Math.log(x[0]!);
        case 'sqrt': return Math.sqrt(x[0]!);
        case 'atan': case 'arctan': return Math.atan(x[0]!);
        case 'abs': return Math.abs(x[0]!);
        case 'min': return Math.min(...x);
        case 'max': return Math.max(...x);
        case 'mod': return x[0]! - x[1]! * Math.floor(x[0]! / x[1]!);
      }
    }
    if (name === 'min' || name === 'max') {
      const vals = args.map((a) => (typeof a === 'number' ? a : a.v));
      const k = vals.indexOf(name === 'min' ? Math.min(...vals) : Math.max(...vals));
      return args[k]!;
    }
    if (typeof u === 'number') throw new Error(`${name} of a constant with active arguments`);
    const v = u.v;
    switch (name) {
      case 'sin': return this.chain(u, Math.sin(v), Math.cos(v), -Math.sin(v)); // sin' = cos, sin'' = −sin
      case 'cos': return this.chain(u, Math.cos(v), -Math.sin(v), -Math.cos(v));
      case 'tan': { const t = Math.tan(v), s = 1 + t * t; return this.chain(u, t, s, 2 * t * s); } // tan' = 1 + tan²
      case 'exp': { const e = Math.exp(v); return this.chain(u, e, e, e); }
      case 'log': return this.chain(u, Math.log(v), 1 / v, -1 / (v * v));
      case 'sqrt': { const s = Math.sqrt(v); return this.chain(u, s, 0.5 / s, -0.25 / (s * v)); }
      case 'atan': case 'arctan': { const d = 1 + v * v; return this.chain(u, Math.atan(v), 1 / d, -2 * v / (d * d)); }
      case 'abs': { const s = Math.sign(v); return this.chain(u, Math.abs(v), s, 0); }
    }
    throw new Error(`unknown function ${name}`);
  }
  value(a: Val): number {
    return typeof a === 'number' ? a : a.v;
  }
}

type Definition = { params: string[]; body: Node } | { params: string[]; cases: { cond: Node; body: Node }[] };

interface Scope {
  algebra: Algebra;
  /** Active variables, by 1-based index through `x[k]`, or by name (NIST b1..bK). */
  x: Val[];
  named: Map<string, Val>;
  arrays: Map<string, number[]>;
  defs: Map<string, Definition>;
}

function evaluate(node: Node, s: Scope, locals: Map<string, Val>): Val {
  const A = s.algebra;
  switch (node.t) {
    case 'num': return node.v;
    case 'name': {
      const v = locals.get(node.name) ?? s.named.get(node.name);
      if (v !== undefined) return v;
      const d = s.defs.get(node.name);
      if (d && d.params.length === 0) return callDefinition(d, [], s);
      if (node.name === 'pi') return Math.PI;
      throw new Error(`unknown name ${node.name}`);
    }
    case 'index': {
      const k = A.value(evaluate(node.index, s, locals));
      if (node.name === 'x') {
        const v = s.x[k - 1];
        if (v === undefined) throw new Error(`x[${k}] out of range`);
        return v;
      }
      const arr = s.arrays.get(node.name);
      if (!arr || arr[k - 1] === undefined) throw new Error(`no data ${node.name}[${k}]`);
      return arr[k - 1]!;
    }
    case 'call': {
      const args = node.args.map((a) => evaluate(a, s, locals));
      const d = s.defs.get(node.fn);
      if (d) return callDefinition(d, args, s);
      if (node.fn === 'T') {
        // Chebyshev: T₀ = 1, T₁ = z, T_{k+1} = 2z·T_k − T_{k−1}
        const k = A.value(args[0]!), z = args[1]!;
        let t0: Val = 1, t1: Val = z;
        if (k === 0) return 1;
        for (let i = 1; i < k; i++) { const t2 = A.add(A.mul(A.mul(2, z), t1), t0, -1); t0 = t1; t1 = t2; }
        return t1;
      }
      return A.fn(node.fn, args);
    }
    case 'bin': {
      const a = evaluate(node.a, s, locals), b = evaluate(node.b, s, locals);
      switch (node.op) {
        case '+': return A.add(a, b);
        case '-': return A.add(a, b, -1);
        case '*': return A.mul(a, b);
        case '/': return A.div(a, b);
        case '^': return A.pow(a, b);
      }
      break;
    }
    case 'neg': return A.mul(-1, evaluate(node.a, s, locals));
    case 'reduce': {
      const lo = A.value(evaluate(node.lo, s, locals)), hi = A.value(evaluate(node.hi, s, locals));
      let acc: Val = node.op === 'sum' ? 0 : 1;
      const inner = new Map(locals);
      for (let j = lo; j <= hi; j++) {
        inner.set(node.v, j);
        const t = evaluate(node.body, s, inner);
        acc = node.op === 'sum' ? A.add(acc, t) : A.mul(acc, t);
      }
      return acc;
    }
    case 'cmp': {
      const a = A.value(evaluate(node.a, s, locals)), b = A.value(evaluate(node.b, s, locals));
      const r = { '==': a === b, '!=': a !== b, '<': a < b, '>': a > b, '<=': a <= b, '>=': a >= b }[node.op];
      return r ? 1 : 0;
    }
    case 'and': return A.value(evaluate(node.a, s, locals)) && A.value(evaluate(node.b, s, locals)) ? 1 : 0;
  }
  throw new Error('unreachable');
}

function callDefinition(d: Definition, args: Val[], s: Scope): Val {
  const locals = new Map<string, Val>();
  d.params.forEach((p, i) => locals.set(p, args[i]!));
  if ('body' in d) return evaluate(d.body, s, locals);
  for (const c of d.cases) if (s.algebra.value(evaluate(c.cond, s, locals))) return evaluate(c.body, s, locals);
  return NaN;
}

// ---------------------------------------------------------------------------
// MGH

export interface MghProblem {
  uid: string;
  id: number;
  name: string;
  n: number;
  m: number;
  x0: number[];
  f_star?: number | null;
  f_star_computed?: number;
  f_x0: number;
  other_minima?: { f_computed?: number; f_published?: string; x_computed?: number[]; note?: string }[];
  constants?: Record<string, number>;
  data?: Record<string, number[]>;
  definitions?: Record<string, string | { cases: { if: string; then: string }[] }>;
  residuals: { for?: string; expr: string | string[] }[];
}

export function loadMgh(): MghProblem[] {
  const file = path.join(sharedDir, 'data/mgh/problems.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { problems: MghProblem[] }).problems;
}

/** The known minimum: f_star when exact, else the computed one. */
export function mghTarget(p: MghProblem): number {
  return p.f_star ?? p.f_star_computed ?? NaN;
}

/** The MGH objective f = Σ rₖ² with exact gradient 2Σ rₖ∇rₖ and Hessian 2Σ(∇rₖ∇rₖᵀ + rₖ∇²rₖ). */
export function mghObjective(p: MghProblem): Objective & { residualCount: number } {
  const n = p.n;
  const defs = new Map<string, Definition>();
  for (const [key, val] of Object.entries(p.definitions ?? {})) {
    const mm = /^(\w+)(?:\((\w+(?:\s*,\s*\w+)*)\))?$/.exec(key)!;
    const params = mm[2] ? mm[2].split(/\s*,\s*/) : [];
    defs.set(mm[1]!, typeof val === 'string'
      ? { params, body: parse(val) }
      : { params, cases: val.cases.map((c) => ({ cond: parse(c.if), body: parse(c.then) })) });
  }
  const named = new Map<string, Val>([['n', n], ['m', p.m], ['pi', Math.PI]]);
  for (const [k, v] of Object.entries(p.constants ?? {})) named.set(k, v);
  const arrays = new Map(Object.entries(p.data ?? {}));
  const blocks = p.residuals.map((b) => ({
    range: b.for ? /^(\w+)\s*=\s*(.+)\.\.(.+)$/.exec(b.for)! : null,
    exprs: (Array.isArray(b.expr) ? b.expr : [b.expr]).map(parse),
  }));
  const residuals = (x: Float64Array, order: 1 | 2): Val[] => {
    const algebra = new Algebra(n, order);
    const scope: Scope = { algebra, x: Array.from(x, (v, k) => algebra.variable(k, v)), named, arrays, defs };
    const out: Val[] = [];
    for (const b of blocks) {
      if (!b.range) { for (const e of b.exprs) out.push(evaluate(e, scope, new Map())); continue; }
      const lo = algebra.value(evaluate(parse(b.range[2]!), scope, new Map()));
      const hi = algebra.value(evaluate(parse(b.range[3]!), scope, new Map()));
      for (let i = lo; i <= hi; i++) for (const e of b.exprs) out.push(evaluate(e, scope, new Map([[b.range[1]!, i]])));
    }
    return out;
  };
  const lift = (r: Val): AD => (typeof r === 'number' ? new AD(r, new Float64Array(n), new Float64Array(n * n)) : r);
  const count = residuals(Float64Array.from(p.x0), 1).length;
  return {
    n,
    residualCount: count,
    f(x) {
      let s = 0;
      for (const r of residuals(x, 1)) { const v = typeof r === 'number' ? r : r.v; s += v * v; }
      return s;
    },
    grad(x, g) {
      g.fill(0);
      let s = 0;
      for (const r0 of residuals(x, 1)) {
        const r = lift(r0);
        s += r.v * r.v;
        for (let i = 0; i < n; i++) g[i] = g[i]! + 2 * r.v * r.g[i]!;
      }
      return s;
    },
    hess(x) {
      const H = Array.from({ length: n }, () => new Float64Array(n));
      for (const r0 of residuals(x, 2)) {
        const r = lift(r0);
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
          H[i]![j] = H[i]![j]! + 2 * (r.g[i]! * r.g[j]! + r.v * (r.h ? r.h[i * n + j]! : 0));
        }
      }
      return H;
    },
  };
}

/**
 * The MGH objective expanded into one explicit Expr, f = Σ rₖ² with every sum, product,
 * data value and definition written out (x[k] becomes the symbol xk). Null when a definition
 * is piecewise in x (Helical valley's θ), which the Expr IR has no node for.
 */
export function mghExpr(p: MghProblem): { expr: Expr; vars: string[] } | null {
  const vars = Array.from({ length: p.n }, (_, k) => `x${k + 1}`);
  const defs = new Map<string, Definition>();
  for (const [key, val] of Object.entries(p.definitions ?? {})) {
    const mm = /^(\w+)(?:\((\w+(?:\s*,\s*\w+)*)\))?$/.exec(key)!;
    const params = mm[2] ? mm[2].split(/\s*,\s*/) : [];
    defs.set(mm[1]!, typeof val === 'string'
      ? { params, body: parse(val) }
      : { params, cases: val.cases.map((c) => ({ cond: parse(c.if), body: parse(c.then) })) });
  }
  const consts = new Map<string, number>([['n', p.n], ['m', p.m], ['pi', Math.PI], ...Object.entries(p.constants ?? {})]);
  const arrays = new Map(Object.entries(p.data ?? {}));
  class NotExpressible extends Error {}
  // Integer-valued helpers (indices, bounds, conditions) are evaluated to numbers; the rest builds Expr.
  const value = (e: Expr): number => { if (e.kind !== 'num') throw new NotExpressible(); return e.value; };
  const fold = (e: Expr): Expr => e;
  const ex = (node: Node, locals: Map<string, number>): Expr => {
    switch (node.t) {
      case 'num': return num(node.v);
      case 'name': {
        const v = locals.get(node.name) ?? consts.get(node.name);
        if (v !== undefined) return num(v);
        const d = defs.get(node.name);
        if (d && d.params.length === 0) return callDef(d, []);
        throw new Error(`unknown name ${node.name}`);
      }
      case 'index': {
        const k = value(numeric(ex(node.index, locals)));
        if (node.name === 'x') return sym(`x${k}`);
        return num(arrays.get(node.name)![k - 1]!);
      }
      case 'call': {
        const args = node.args.map((a) => numeric(ex(a, locals)));
        const d = defs.get(node.fn);
        if (d) return callDef(d, args);
        if (node.fn === 'T') {
          // Tₖ(z) = Σ cⱼ zʲ with integer coefficients from T_{k+1} = 2z·Tₖ − T_{k−1}.
          const k = value(args[0]!);
          let a = [1], b = [0, 1];
          if (k === 0) return num(1);
          for (let i = 1; i < k; i++) { const c = new Array<number>(b.length + 1).fill(0); b.forEach((v, j) => { c[j + 1]! += 2 * v; }); a.forEach((v, j) => { c[j]! -= v; }); a = b; b = c; }
          return add(...b.map((c, j) => (c === 0 ? null : j === 0 ? num(c) : j === 1 ? mul(num(c), args[1]!) : mul(num(c), pow(args[1]!, num(j))))).filter((t): t is Expr => t !== null));
        }
        if (['min', 'max', 'mod'].includes(node.fn)) {
          const v = args.map(value);
          return num(node.fn === 'min' ? Math.min(...v) : node.fn === 'max' ? Math.max(...v) : v[0]! - v[1]! * Math.floor(v[0]! / v[1]!));
        }
        return call(node.fn, args);
      }
      case 'bin': {
        const a = numeric(ex(node.a, locals)), b = numeric(ex(node.b, locals));
        return numeric(node.op === '+' ? add(a, b) : node.op === '-' ? sub(a, b) : node.op === '*' ? mul(a, b) : node.op === '/' ? div(a, b) : pow(a, b));
      }
      case 'neg': return numeric(neg(ex(node.a, locals)));
      case 'reduce': {
        const lo = value(numeric(ex(node.lo, locals))), hi = value(numeric(ex(node.hi, locals)));
        const items: Expr[] = [];
        for (let j = lo; j <= hi; j++) items.push(ex(node.body, new Map(locals).set(node.v, j)));
        return numeric(node.op === 'sum' ? add(...items) : mul(...items));
      }
      case 'cmp': {
        const a = value(numeric(ex(node.a, locals))), b = value(numeric(ex(node.b, locals)));
        return num({ '==': a === b, '!=': a !== b, '<': a < b, '>': a > b, '<=': a <= b, '>=': a >= b }[node.op] ? 1 : 0);
      }
      case 'and': return num(value(ex(node.a, locals)) && value(ex(node.b, locals)) ? 1 : 0);
    }
  };
  const callDef = (d: Definition, args: Expr[]): Expr => {
    const locals = new Map<string, number>();
    d.params.forEach((q, i) => locals.set(q, value(args[i]!)));
    if ('body' in d) return ex(d.body, locals);
    for (const c of d.cases) if (value(numeric(ex(c.cond, locals)))) return ex(c.body, locals);
    return num(NaN);
  };
  void fold;
  try {
    const terms: Expr[] = [];
    for (const b of p.residuals) {
      const exprs = (Array.isArray(b.expr) ? b.expr : [b.expr]).map(parse);
      const range = b.for ? /^(\w+)\s*=\s*(.+)\.\.(.+)$/.exec(b.for)! : null;
      if (!range) { for (const e of exprs) terms.push(pow(ex(e, new Map()), num(2))); continue; }
      const lo = value(numeric(ex(parse(range[2]!), new Map()))), hi = value(numeric(ex(parse(range[3]!), new Map())));
      for (let i = lo; i <= hi; i++) for (const e of exprs) terms.push(pow(ex(e, new Map([[range[1]!, i]])), num(2)));
    }
    return { expr: add(...terms), vars };
  } catch (e) {
    if (e instanceof NotExpressible) return null;
    throw e;
  }
}

/** Constant folding of numeric subtrees (recursively), so indices and bounds become numbers. */
function numeric(e: Expr): Expr {
  const isNum = (t: Expr): t is { kind: 'num'; value: number } => t.kind === 'num';
  switch (e.kind) {
    case 'add': { const t = e.terms.map(numeric); return t.every(isNum) ? num(t.reduce((s, x) => s + x.value, 0)) : add(...t); }
    case 'mul': { const f = e.factors.map(numeric); return f.every(isNum) ? num(f.reduce((s, x) => s * x.value, 1)) : mul(...f); }
    case 'pow': { const b = numeric(e.base), x = numeric(e.exp); return isNum(b) && isNum(x) ? num(b.value ** x.value) : pow(b, x); }
    case 'call': {
      const args = e.args.map(numeric);
      const fns: Record<string, (x: number) => number> = { exp: Math.exp, log: Math.log, sqrt: Math.sqrt, sin: Math.sin, cos: Math.cos, atan: Math.atan, abs: Math.abs, tan: Math.tan };
      return args.every(isNum) && fns[e.fn] ? num(fns[e.fn]!(args[0]!.value)) : call(e.fn, args);
    }
    default: return e;
  }
}

/**
 * The objective the solvers run on: the problem expanded into one explicit Expr and compiled
 * by the calculus engine (exact reverse-mode gradient, forward-over-reverse Hessian). Helical
 * valley's θ is piecewise in x, which the Expr IR cannot state; it runs on this file's AD interpreter.
 */
export function mghSolverObjective(p: MghProblem): { obj: Objective; via: 'compiled Expr' | 'interpreter' } {
  const e = mghExpr(p);
  return e ? { obj: objectiveFromExpr(e.expr, e.vars), via: 'compiled Expr' } : { obj: mghObjective(p), via: 'interpreter' };
}

// ---------------------------------------------------------------------------
// NIST StRD

export interface NistNonlinear {
  name: string;
  modelText: string;
  /** Model as a function of the parameters b1..bK and the predictors x (x1, x2 for Nelson). */
  params: string[];
  xNames: string[];
  /** 'log' when the response is log[y] (Nelson). */
  response: 'y' | 'log';
  start1: number[];
  start2: number[];
  certified: number[];
  certifiedSd: number[];
  rss: number;
  residualSd: number;
  dof: number;
  y: number[];
  x: number[][]; // x[i] = predictors of observation i
  constants: Map<string, number>;
}

export function listNist(kind: 'linear' | 'nonlinear'): string[] {
  const dir = path.join(sharedDir, 'data/nist-strd', kind);
  return readdirSync(dir).filter((f) => f.endsWith('.dat')).map((f) => f.replace(/\.dat$/, '')).sort();
}

function nistLines(kind: string, name: string): string[] {
  return readFileSync(path.join(sharedDir, 'data/nist-strd', kind, `${name}.dat`), 'latin1').split(/\r?\n/);
}

function dataStart(lines: string[]): number {
  const fmt = lines.join('\n').match(/Data\s+\(lines\s+(\d+)\s+to\s+(\d+)\)/);
  return Number(fmt![1]) - 1;
}

export function readNistNonlinear(name: string): NistNonlinear {
  const lines = nistLines('nonlinear', name);
  const text = lines.join('\n');
  // Model text: from the line with "y =" (or "log[y] =") up to the line ending in "+ e".
  let i = lines.findIndex((l) => /^\s*(log\[y\]|y)\s*=/.test(l));
  const constants = new Map<string, number>();
  for (let k = lines.findIndex((l) => l.startsWith('Model:')); k < i; k++) {
    const c = /^\s*(\w+)\s*=\s*([-+\d.Ee]+)\s*$/.exec(lines[k]!);
    if (c) constants.set(c[1]!, Number(c[2]));
  }
  let model = '';
  for (; i < lines.length; i++) {
    model += ' ' + lines[i]!.trim();
    if (/\+\s*e\s*$/.test(lines[i]!)) break;
  }
  model = model.trim().replace(/\+\s*e\s*$/, '').trim();
  const [lhs, rhs] = model.split(/=(.*)/s) as [string, string];
  const start1: number[] = [], start2: number[] = [], cert: number[] = [], sd: number[] = [], params: string[] = [];
  for (const l of lines) {
    const mm = /^\s*(b\d+)\s*=\s*(\S+)\s+(\S+)\s+(\S+)\s+(\S+)/.exec(l);
    if (mm) { params.push(mm[1]!); start1.push(+mm[2]!); start2.push(+mm[3]!); cert.push(+mm[4]!); sd.push(+mm[5]!); }
  }
  const num = (label: string) => Number(new RegExp(`${label}:\\s+(\\S+)`).exec(text)![1]);
  const header = /Data:\s+(.*)/.exec(lines.slice(55).join('\n'))![1]!.trim().split(/\s+/);
  const rows = lines.slice(dataStart(lines)).filter((l) => l.trim()).map((l) => l.trim().split(/\s+/).map(Number));
  return {
    name, modelText: rhs.trim(), params, xNames: header.slice(1), response: lhs.includes('log') ? 'log' : 'y',
    start1, start2, certified: cert, certifiedSd: sd,
    rss: num('Residual Sum of Squares'), residualSd: num('Residual Standard Deviation'), dof: num('Degrees of Freedom'),
    y: rows.map((r) => r[0]!), x: rows.map((r) => r.slice(1)), constants,
  };
}

/**
 * A parsed formula as the core's Expr IR (names stay symbols; `pi` and header constants
 * such as Roszman1's pi become numbers). Reductions, indexing and comparisons (MGH only) are not IR.
 */
export function toExpr(node: Node, constants: ReadonlyMap<string, number> = new Map()): Expr {
  const rec = (n: Node): Expr => {
    switch (n.t) {
      case 'num': return num(n.v);
      case 'name': {
        const c = constants.get(n.name);
        return c !== undefined ? num(c) : sym(n.name);
      }
      case 'call': return call(n.fn === 'arctan' ? 'atan' : n.fn, n.args.map(rec));
      case 'neg': return neg(rec(n.a));
      case 'bin': {
        const a = rec(n.a), b = rec(n.b);
        return n.op === '+' ? add(a, b) : n.op === '-' ? sub(a, b) : n.op === '*' ? mul(a, b) : n.op === '/' ? div(a, b) : pow(a, b);
      }
      default: throw new Error(`${n.t} is not part of a NIST model`);
    }
  };
  return rec(node);
}

/** The model of a NIST problem as Expr, compiled by the calculus engine (exact reverse-mode Jacobian). */
export function nistModelExpr(p: NistNonlinear): Expr {
  return toExpr(parse(p.modelText), p.constants);
}

export function nistModel(p: NistNonlinear): ModelFunction {
  return modelFromExpr(nistModelExpr(p), p.params, { names: p.xNames, columns: p.xNames.map((_, k) => p.x.map((r) => r[k]!)) });
}

/** The same model through this file's own forward-mode AD interpreter (an independent cross-check of the compiler). */
export function nistModelInterpreted(p: NistNonlinear): ModelFunction {
  const ast = parse(p.modelText);
  const n = p.params.length;
  const evalAt = (b: Float64Array, order: 0 | 1, i: number): Val => {
    const algebra = new Algebra(n, 1);
    const named = new Map<string, Val>(p.constants);
    p.params.forEach((name, k) => named.set(name, order ? algebra.variable(k, b[k]!) : b[k]!));
    p.xNames.forEach((name, k) => named.set(name, p.x[i]![k]!));
    return evaluate(ast, { algebra, x: [], named, arrays: new Map(), defs: new Map() }, new Map());
  };
  return {
    n,
    values(b, out) {
      for (let i = 0; i < p.y.length; i++) { const v = evalAt(b, 0, i); out[i] = typeof v === 'number' ? v : v.v; }
    },
    jacobian(b, J) {
      for (let i = 0; i < p.y.length; i++) {
        const v = evalAt(b, 1, i);
        for (let k = 0; k < n; k++) J[i]![k] = typeof v === 'number' ? 0 : v.g[k]!;
      }
    },
  };
}

export interface NistLinear {
  name: string;
  certified: number[];
  certifiedSd: number[];
  residualSd: number;
  r2: number;
  y: number[];
  columns: number[][];
}

/** A NIST linear problem with its design matrix built as the README says. */
export function readNistLinear(name: string): NistLinear {
  const lines = nistLines('linear', name);
  const text = lines.join('\n');
  const cert: number[] = [], sd: number[] = [];
  for (const l of lines.slice(28, 60)) {
    const mm = /^\s*B(\d+)\s+(\S+)\s+(\S+)/.exec(l);
    if (mm) { cert.push(+mm[2]!); sd.push(+mm[3]!); }
  }
  const rows = lines.slice(dataStart(lines)).filter((l) => l.trim()).map((l) => l.trim().split(/\s+/).map(Number));
  const y = rows.map((r) => r[0]!);
  const predictors = rows[0]!.length - 1;
  const noIntercept = /NoInt/.test(name);
  let columns: number[][];
  if (predictors > 1) columns = [rows.map(() => 1), ...Array.from({ length: predictors }, (_, k) => rows.map((r) => r[k + 1]!))];
  else if (noIntercept) columns = [rows.map((r) => r[1]!)];
  // Polynomial in x: 1, x, x², … up to the degree implied by the number of coefficients.
  else columns = Array.from({ length: cert.length }, (_, k) => rows.map((r) => r[1]! ** k));
  return {
    name, certified: cert, certifiedSd: sd, y, columns,
    residualSd: Number(/Standard Deviation\s+(-?\d[\d.E+-]*)/.exec(text)![1]),
    r2: Number(/R-Squared\s+(-?\d[\d.E+-]*)/.exec(text)![1]),
  };
}

/** An interpreter that has scipy, or null (tests that need it then fail with a clear message). */
export function findScipyPython(): string | null {
  for (const py of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(py, ['-c', 'import scipy'], { encoding: 'utf8' });
    if (r.status === 0) return py;
  }
  return null;
}
