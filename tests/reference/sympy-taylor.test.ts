// Differential testing of Taylor polynomials against SymPy: random expressions over the
// elementary functions in 1, 2 and 3 variables, expanded about points with integer, half and
// irrational-looking coordinates inside their domain. Our multiplied-out polynomial is compared
// with SymPy's coefficient by coefficient; at integer points, wherever SymPy's coefficient is an
// exact rational, ours must print as that same rational (x^4/24, not 0.041666...).
// A few cases go through the .calc language (`taylor f at [a, b] order n`) and analyze().
// One Python process (sympy_taylor.py) serves the whole file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  type Expr, num, sym, add, mul, pow, call, neg, div, children, vec, taylor, compileVector, toCalc, seeded, ExprTooLarge,
} from '../../server/src/core/calculus/index';
import { analyze } from '../../server/src/core/analysis';
import type { TaylorResult } from '../../server/src/core/results';
import { findPython, runPythonJson } from './python';

/** Cases per number of variables, with the orders each uses (cycled). */
const PLAN = [
  { vars: ['x'], count: 150, orders: [0, 1, 2, 3, 4, 5, 6] },
  { vars: ['x', 'y'], count: 100, orders: [0, 1, 2, 3, 4] },
  { vars: ['x', 'y', 'z'], count: 50, orders: [0, 1, 2, 3] },
] as const;
/** Cases written as .calc text and run through analyze(). */
const LANGUAGE_CASES = 12;
/**
 * A coefficient may differ from SymPy's by REL of the terms that cancel into it (the rounding of
 * multiplying out), plus FLOOR of the largest such size in the polynomial: each ∂^α f(a) is
 * evaluated in doubles, so an exact 0 comes out as a rounding residue such as 1e-17; ABS for
 * a polynomial that is all such residues (cos(asin(1)) = 6e-17).
 */
const REL = 1e-9, FLOOR = 1e-12, ABS = 1e-12;
/** At most this fraction of the cases may be singular at their point in SymPy's eyes (and so not compared). */
const MAX_SINGULAR = 0.05;

const FUNCTIONS = ['sin', 'cos', 'tan', 'exp', 'log', 'sqrt', 'atan', 'asin', 'sinh', 'cosh', 'tanh', 'sigmoid'] as const;

/**
 * A random expression over `vars` from the elementary functions, + - * /, and powers with
 * integer and fractional exponents. Kept small: an order-6 expansion differentiates it 6 times.
 */
function randomElementary(rand: () => number, vars: readonly string[], depth: number): Expr {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const leaf = (): Expr => {
    const r = rand();
    if (r < 0.85) return sym(pick(vars));
    if (r < 0.97) return num(1 + Math.floor(rand() * 3));
    return num(pick([0.5, 1.5]));
  };
  const go = (d: number): Expr => {
    if (d <= 0 || rand() < 0.1) return leaf();
    const r = rand();
    if (r < 0.15) return add(go(d - 1), go(d - 1));
    if (r < 0.25) {
      // not a - a: 1/(a - a) is undefined everywhere
      const [a, b] = [go(d - 1), go(d - 1)];
      return toCalc(a) === toCalc(b) ? add(a, b) : add(a, neg(b));
    }
    if (r < 0.4) return mul(go(d - 1), go(d - 1));
    if (r < 0.5) return div(go(d - 1), go(d - 1));
    if (r < 0.62) return pow(go(d - 1), num(pick([2, 3, -1, -2, 0.5, 1.5, -0.5, 2.5])));
    return call(pick(FUNCTIONS), [go(d - 1)]);
  };
  return go(depth);
}

/** Whether `e` is more than a polynomial: a function or a negative or fractional power applied to a variable. */
function transcendental(e: Expr): boolean {
  const hasVar = (u: Expr): boolean => u.kind === 'sym' || children(u).some(hasVar);
  if (e.kind === 'call' && hasVar(e)) return true;
  if (e.kind === 'pow' && hasVar(e.base) && !(e.exp.kind === 'num' && Number.isInteger(e.exp.value) && e.exp.value >= 0)) return true;
  return children(e).some(transcendental);
}

type PointKind = 'integer' | 'half' | 'irrational';
const POINT_KINDS: readonly PointKind[] = ['integer', 'half', 'irrational'];

function coordinate(rand: () => number, kind: PointKind): number {
  switch (kind) {
    // mostly 0 and ±1, where exp, sin, log, sigmoid, ... have rational derivatives
    case 'integer': { const r = rand(); return r < 0.55 ? 0 : r < 0.85 ? (r < 0.7 ? 1 : -1) : (r < 0.925 ? 2 : -2); }
    case 'half': return Math.floor(rand() * 4) - 1.5;
    case 'irrational': return -2 + 4 * rand();
  }
}

/**
 * A point of the given kind where every subexpression of f is finite, and finite a little way off
 * in every direction: inside the domain, not on its edge (sqrt(x) at 0, asin(x) at 1), and not
 * where the expression as written divides by zero (sin(1)/(x/y) at y = 0 is 0 in doubles).
 */
function pointInDomain(rand: () => number, f: Expr, vars: readonly string[], kind: PointKind): number[] | undefined {
  const subexpressions = (e: Expr): Expr[] => [e, ...children(e).flatMap(subexpressions)];
  const all = compileVector(vec(subexpressions(f)), vars);
  const h = 1e-3;
  for (let t = 0; t < 40; t++) {
    const p = vars.map(() => coordinate(rand, kind));
    const near = [p, ...p.flatMap((_, i) => [-h, h].map((s) => p.map((x, j) => (i === j ? x + s : x))))];
    if (near.every((q) => (all(q) as number[]).every(Number.isFinite))) return p;
  }
  return undefined;
}

interface Case {
  /** The function in .calc syntax, as SymPy reads it. */
  f: string;
  vars: readonly string[];
  point: number[];
  kind: PointKind;
  order: number;
  /** Our expanded polynomial in .calc syntax, or why there is none. */
  ours: string | { error: string };
  via: 'taylor()' | 'analyze()';
}

function corpus(): Case[] {
  const rand = seeded(20261122);
  const cases: Case[] = [];
  let k = 0;
  /** An expression in all of `vars` and a point inside its domain, the kinds of point taken in turn. */
  const make = (vars: readonly string[]): { expr: Expr; point: number[]; kind: PointKind } => {
    const kind = POINT_KINDS[k++ % POINT_KINDS.length]!;
    for (let tries = 0; tries < 1000; tries++) {
      const expr = randomElementary(rand, vars, 2 + Math.floor(rand() * 2));
      const text = toCalc(expr);
      if (!transcendental(expr) || !vars.every((v) => new RegExp(`\\b${v}\\b`).test(text))) continue;
      const point = pointInDomain(rand, expr, vars, kind);
      if (point) return { expr, point, kind };
    }
    throw new Error(`no expression in ${vars.join(', ')} with a point of kind ${kind} in its domain`);
  };
  for (const { vars, count, orders } of PLAN) {
    for (let i = 0; i < count; i++) {
      const order = orders[i % orders.length]!;
      const { expr, point, kind } = make(vars);
      let ours: Case['ours'];
      try {
        ours = toCalc(taylor(expr, vars, point, order).expanded);
      } catch (e) {
        ours = { error: e instanceof ExprTooLarge ? `too large (${e.limit})` : String(e) };
      }
      cases.push({ f: toCalc(expr), vars, point, kind, order, ours, via: 'taylor()' });
    }
  }
  for (let i = 0; i < LANGUAGE_CASES; i++) {
    const { vars, orders } = PLAN[i % PLAN.length]!;
    const order = orders[(i * 2 + 1) % orders.length]!;
    const { expr, point, kind } = make(vars);
    const text = `f(${vars.join(', ')}) = ${toCalc(expr)}\ntaylor f at [${point.join(', ')}] order ${order}\n`;
    const a = analyze(text, { budgetMs: 20_000 });
    const errors = a.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
    const result = [...a.results.values()].find((r): r is TaylorResult => r.kind === 'taylor');
    const ours = result && errors.length === 0 ? toCalc(result.expanded) : { error: `${text}: ${errors.join('; ') || 'no result'}` };
    cases.push({ f: toCalc(expr), vars, point, kind, order, ours, via: 'analyze()' });
  }
  return cases;
}

interface Monomial {
  monomial: string; exp: number[]; ours: string; sympy: string; oursValue: string; sympyValue: string;
  oursExact: boolean; sympyExact: boolean; scale: string;
}
interface Reply { cases: { status: 'ok' | 'singular' | 'error'; error?: string; rationalAtPoint?: boolean; monomials: Monomial[] }[] }

const cases = corpus();
let cached: Reply | undefined;
function sympyReply(): Reply {
  cached ??= runPythonJson<Reply>(findPython(['sympy', 'mpmath']), new URL('./sympy_taylor.py', import.meta.url), {
    cases: cases.map((c) => ({
      f: c.f, vars: c.vars, point: c.point, exact: c.kind !== 'irrational', order: c.order,
      ours: typeof c.ours === 'string' ? c.ours : '0',
    })),
  });
  return cached;
}

const label = (c: Case): string => `${c.via} ${c.f} at (${c.point.join(', ')}) order ${c.order}`;

test('the corpus covers every elementary function, 1 to 3 variables, every order and every kind of point', () => {
  const text = cases.map((c) => c.f).join('\n');
  for (const fn of FUNCTIONS) assert.ok(text.includes(`${fn}(`), `no ${fn} in the corpus`);
  for (const { vars, orders } of PLAN) {
    for (const order of orders) {
      for (const kind of POINT_KINDS) {
        assert.ok(cases.some((c) => c.vars.length === vars.length && c.order === order && c.kind === kind),
          `no case in ${vars.length} variables of order ${order} about a point with ${kind} coordinates`);
      }
    }
  }
  assert.ok(cases.filter((c) => c.via === 'analyze()').length >= 10);
});

test('every Taylor polynomial is computed, in every case and through the language', () => {
  assert.deepEqual(cases.filter((c) => typeof c.ours !== 'string').map((c) => `${label(c)}: ${(c.ours as { error: string }).error}`), []);
});

test('Taylor polynomials agree with SymPy coefficient by coefficient, in 1, 2 and 3 variables', () => {
  const reply = sympyReply();
  const failures: string[] = [];
  let compared = 0, coefficients = 0, singular = 0, worst = 0;
  reply.cases.forEach((r, i) => {
    const c = cases[i]!;
    if (typeof c.ours !== 'string') return;
    if (r.status === 'singular') { singular++; return; }
    if (r.status === 'error') { failures.push(`${label(c)}: ours ${c.ours}: ${r.error}`); return; }
    compared++;
    const largest = Math.max(...r.monomials.map((m) => Number(m.scale)));
    for (const m of r.monomials) {
      coefficients++;
      const ours = Number(m.oursValue), theirs = Number(m.sympyValue);
      const tolerance = REL * Number(m.scale) + FLOOR * largest + ABS;
      const err = Math.abs(ours - theirs);
      if (tolerance > 0) worst = Math.max(worst, err / tolerance);
      if (!(err <= tolerance)) {
        failures.push(`${label(c)}: coefficient of ${m.monomial}: ours ${m.ours}, SymPy ${m.sympy}\n  ours:  ${c.ours}`);
      }
    }
  });
  console.log(`# SymPy comparison: ${coefficients} coefficients of ${compared} polynomials (${singular} cases singular at their point); largest error ${worst.toExponential(1)} of its tolerance`);
  assert.deepEqual(failures.slice(0, 20), []);
  assert.ok(singular <= MAX_SINGULAR * cases.length, `${singular} of ${cases.length} cases were singular at their point`);
});

test('at integer points where every function in f is rational (exp(0), log(1), sqrt(4)), every coefficient is the exact rational SymPy finds (x^4/24, not 0.041666)', () => {
  const reply = sympyReply();
  const failures: string[] = [];
  let exact = 0, irrational = 0;
  reply.cases.forEach((r, i) => {
    const c = cases[i]!;
    if (c.kind !== 'integer' || r.status !== 'ok' || typeof c.ours !== 'string') return;
    // a decimal in f (x^1.5, 0.5*x) is a double to us, and what follows from it stays one
    if (/\d\.\d/.test(c.f)) return;
    // our exact numbers are rationals, and an irrational value is a double: SymPy's exact 0 for
    // cos(asin(1)) = cos(pi/2), or its 1 for sin(1)/sin(1), need identities we do not promise
    if (!r.rationalAtPoint) { irrational++; return; }
    for (const m of r.monomials) {
      if (!m.sympyExact) continue;
      exact++;
      if (!m.oursExact || m.ours !== m.sympy) {
        failures.push(`${label(c)}: coefficient of ${m.monomial}: ours ${m.ours}, SymPy ${m.sympy} (exact)\n  ours:  ${c.ours}`);
      }
    }
  });
  console.log(`# ${exact} coefficients exact in SymPy at integer points (${irrational} cases left out where a function's value there is irrational)`);
  assert.deepEqual(failures.slice(0, 20), []);
  assert.ok(exact >= 100, `only ${exact} exact coefficients were checked`);
});
