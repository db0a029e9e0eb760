// Differential testing of the calculus engine against SymPy: random expressions over every
// built-in and operator; our first, second and mixed partials against SymPy's, evaluated at
// 30 digits at random points in their domain. One Python process serves the whole file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  type Expr, vec, derivative, nthDerivative, partial, compileVector, toPython, toCalc,
  seeded, randomExpr, isZero, CALCULUS_FUNCTIONS,
} from '../../server/src/core/calculus/index';
import { analyze } from '../../server/src/core/analysis';
import type { ValueResult } from '../../server/src/core/results';
import { findPython, runPythonJson } from './python';

const CORPUS = 1000;
const VARS = ['x', 'y', 'z'];
/** (variables in order of differentiation) -> label */
const DERIVS: Record<string, (e: Expr) => Expr> = {
  'x': (e) => derivative(e, 'x'),
  'y': (e) => derivative(e, 'y'),
  'x,x': (e) => nthDerivative(e, 'x', 2),
  'x,y': (e) => partial(e, ['x', 'y']),
};
const REL = 1e-9, ABS = 1e-12;
/** Expressions whose simplified first derivative is compared in size with SymPy's simplify(diff(...)). */
const OPS_SAMPLE = 200;
/** Our operation count may exceed SymPy's by this factor plus this margin, never more. */
const OPS_FACTOR = 2, OPS_MARGIN = 8;

interface Case { expr: Expr; derivs: Record<string, Expr>; points: number[][] }

function corpus(): Case[] {
  const rand = seeded(20261121);
  const cases: Case[] = [];
  for (let i = 0; i < CORPUS; i++) {
    const expr = randomExpr(rand, VARS, 2 + (i % 3));
    const derivs = Object.fromEntries(Object.entries(DERIVS).map(([k, d]) => [k, d(expr)]));
    // points inside the domain: where f and all our derivatives are finite
    const all = compileVector(vec([expr, ...Object.values(derivs)]), VARS);
    const points: number[][] = [];
    for (let t = 0; t < 60 && points.length < 3; t++) {
      const [lo, hi] = t % 2 ? [0.05, 2] : [-2, 2];
      const p = VARS.map(() => lo + (hi - lo) * rand());
      if ((all(p) as number[]).every(Number.isFinite)) points.push(p);
    }
    cases.push({ expr, derivs, points });
  }
  return cases;
}

interface Reply {
  cases: { values: Record<string, ([string, string] | null)[]>; error: string | null; undefined?: boolean }[];
  ops: ({ ours: number; sympy: number; sympyText: string } | null)[];
}

const cases = corpus();
// the first test that needs SymPy starts Python, once for the whole file
let cached: Reply | undefined;
function sympyReply(): Reply {
  if (cached) return cached;
  const request = {
    simplifySeconds: 3,
    cases: cases.map((c, i) => ({
      countOps: opsCases.includes(i),
      f: toPython(c.expr), vars: VARS, points: c.points,
      derivs: Object.fromEntries(Object.entries(c.derivs).map(([k, d]) => [k, toPython(d)])),
    })),
  };
  cached = runPythonJson<Reply>(findPython(['sympy', 'mpmath']), new URL('./sympy_calculus.py', import.meta.url), request);
  return cached;
}
// the size comparison uses the first expressions whose d/dx is not 0
const opsCases = cases.map((_, i) => i).filter((i) => !isZero(cases[i]!.derivs.x!)).slice(0, OPS_SAMPLE);

test('the random corpus covers every built-in function and at least 1,000 expressions', () => {
  assert.ok(cases.length >= 1000);
  const text = cases.map((c) => toCalc(c.expr)).join('\n');
  for (const fn of CALCULUS_FUNCTIONS) assert.ok(text.includes(`${fn}(`), `no ${fn} in the corpus`);
});

test('first, second and mixed partial derivatives agree with SymPy at random points in their domain', () => {
  const failures: string[] = [];
  let compared = 0, casesCompared = 0, undefinedEverywhere = 0;
  const reply = sympyReply();
  reply.cases.forEach((r, i) => {
    const c = cases[i]!;
    if (r.undefined) { undefinedEverywhere++; return; }
    if (r.error) { failures.push(`${toCalc(c.expr)}: SymPy could not read it: ${r.error}`); return; }
    let any = false;
    for (const [key, row] of Object.entries(r.values)) {
      row.forEach((pair, j) => {
        if (!pair) return;
        const [ours, theirs] = pair.map(Number) as [number, number];
        compared++; any = true;
        if (!(Math.abs(ours - theirs) <= REL * Math.max(Math.abs(ours), Math.abs(theirs)) + ABS)) {
          failures.push(`d/d(${key}) of ${toCalc(c.expr)} at (${c.points[j]!.join(', ')}): ours ${toCalc(c.derivs[key]!)} = ${pair[0]}, SymPy ${pair[1]}`);
        }
      });
    }
    if (any) casesCompared++;
  });
  console.log(`# SymPy comparison: ${compared} values over ${casesCompared} of ${cases.length} expressions (${undefinedEverywhere} undefined everywhere, such as 1/tan(pi))`);
  assert.deepEqual(failures.slice(0, 20), []);
  // the domain filter must not hollow the test out
  assert.ok(casesCompared >= 0.9 * (cases.length - undefinedEverywhere), `only ${casesCompared} expressions had a point in their domain`);
});

test('grad(f) at a point, through the language, agrees with SymPy\'s partial derivatives there', () => {
  // A value at a point is worked out by forward-mode differentiation of the body (analysis.ts,
  // derivativesAt; calculus/compile.ts, derivativesAtPoint), and from the simplified derivatives
  // only where anything on the way is undefined: every value is checked here.
  const reply = sympyReply();
  const failures: string[] = [];
  let compared = 0;
  reply.cases.forEach((r, i) => {
    const c = cases[i]!;
    if (r.undefined || r.error) return;
    c.points.forEach((p, j) => {
      const x = r.values.x?.[j], y = r.values.y?.[j];
      if (!x || !y) return;
      const text = `f(${VARS.join(', ')}) = ${toCalc(c.expr)}\ngrad(f) at [${p.join(', ')}]`;
      const a = analyze(text);
      const result = a.results.get(a.program.statements[1]!) as ValueResult | undefined;
      const value = result?.value;
      const problems = a.diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning');
      if (!Array.isArray(value) || problems.length > 0) {
        failures.push(`${text}: ${JSON.stringify(value)} ${problems.map((d) => d.message).join('; ')}`);
        return;
      }
      [x, y].forEach((pair, k) => {
        const ours = value[k] as number, theirs = Number(pair[1]);
        compared++;
        if (!(Math.abs(ours - theirs) <= REL * Math.max(Math.abs(ours), Math.abs(theirs)) + ABS)) {
          failures.push(`${text}: component ${k + 1} is ${ours}, SymPy ${theirs}`);
        }
      });
    });
  });
  console.log(`# grad(f) at a point against SymPy: ${compared} values`);
  assert.deepEqual(failures.slice(0, 20), []);
  assert.ok(compared >= 2 * 0.9 * cases.length, `only ${compared} values compared`);
});

test('our simplified derivatives are never much larger than SymPy\'s simplify(diff(...))', () => {
  const reply = sympyReply();
  const pairs = reply.ops.filter((o): o is { ours: number; sympy: number; sympyText: string } => o !== null);
  assert.ok(pairs.length >= OPS_SAMPLE * 0.8, `SymPy simplified only ${pairs.length} of ${OPS_SAMPLE}`);
  const sum = (k: 'ours' | 'sympy'): number => pairs.reduce((s, p) => s + p[k], 0);
  const ratios = pairs.map((p) => (p.ours + 1) / (p.sympy + 1)).sort((a, b) => a - b);
  const q = (f: number): number => ratios[Math.min(ratios.length - 1, Math.floor(f * ratios.length))]!;
  const smaller = pairs.filter((p) => p.ours < p.sympy).length, equal = pairs.filter((p) => p.ours === p.sympy).length;
  console.log(`# operation counts of d/dx over ${pairs.length} expressions: ours ${sum('ours')}, SymPy simplify(diff) ${sum('sympy')}`);
  console.log(`# (ours+1)/(SymPy+1): median ${q(0.5).toFixed(2)}, 90th percentile ${q(0.9).toFixed(2)}, max ${q(1).toFixed(2)}; ours smaller in ${smaller}, equal in ${equal}, larger in ${pairs.length - smaller - equal}`);
  const largest = reply.ops.map((p, k) => ({ p, i: opsCases[k]! })).filter((x) => x.p && x.p.ours > x.p.sympy)
    .sort((a, b) => (b.p!.ours - b.p!.sympy) - (a.p!.ours - a.p!.sympy)).slice(0, 5);
  for (const { p, i } of largest) console.log(`#   ours ${p!.ours} ops: ${toCalc(cases[i]!.derivs.x!)}\n#   SymPy ${p!.sympy}: ${p!.sympyText}`);
  const worst = reply.ops.map((p, k) => ({ ours: p?.ours ?? 0, sympy: p?.sympy ?? 0, i: opsCases[k]! })).filter((p) => p.ours > OPS_FACTOR * p.sympy + OPS_MARGIN);
  assert.deepEqual(worst.map((p) => `${toCalc(cases[p.i]!.derivs.x!)}: ${p.ours} ops, SymPy ${p.sympy}`), []);
});
