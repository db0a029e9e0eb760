// Benchmark of the calculus engine against mathjs.derivative (with its simplify), same
// expressions, same run. Run: node scripts/bench.mjs calculus [--quick]
// Figures go into docs/performance.md (section "Calculus").
//
// Functions of n variables:
//   extended Rosenbrock  f(x) = Σ_{i<n/2} 100(x_{2i+1} - x_{2i}²)² + (1 - x_{2i})²
//   two-layer network    L(w, v) = Σ_k (Σ_j v_j·tanh(w_j·t_k) - y_k)², n/2 hidden units, 5 data points
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import * as math from 'mathjs';
import {
  type Expr, num, sym, add, mul, pow, call, sub, gradient, hessian, compile, compileVector, compileGradient,
  compileHessian, toCalc,
} from '../server/src/core/calculus/index';

const quick = process.argv.includes('--quick');
const SIZES = quick ? [2, 10] : [2, 10, 50, 100];
/** mathjs runs in this process, on at most this many first and second partials, scaled to all of them. */
const MATHJS_PARTIALS = 10;
/**
 * From this size on, mathjs's simplify grows too slow to finish (one partial of the 20-variable
 * Rosenbrock function takes about 19 s of CPU): one first partial is tried in a worker, stopped
 * after MATHJS_TIMEOUT_MS, and the ratio is then a lower bound.
 */
const MATHJS_IN_WORKER = 50;
const MATHJS_TIMEOUT_MS = 60_000;

/** CPU milliseconds of one mathjs.derivative in a worker thread, or undefined past the timeout. */
function mathjsPartialInWorker(text: string, v: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const code = `const { parentPort, workerData } = require('node:worker_threads');
const math = require('mathjs');
const node = math.parse(workerData.text);
const t0 = process.cpuUsage();
math.derivative(node, workerData.v);
const t = process.cpuUsage(t0);
parentPort.postMessage((t.user + t.system) / 1000);`;
    const w = new Worker(code, { eval: true, workerData: { text, v } });
    const timer = setTimeout(() => { void w.terminate(); resolve(undefined); }, MATHJS_TIMEOUT_MS);
    w.once('message', (ms: number) => { clearTimeout(timer); void w.terminate(); resolve(ms); });
    w.once('error', () => { clearTimeout(timer); resolve(undefined); });
  });
}

function rosenbrock(n: number): Expr {
  const terms: Expr[] = [];
  for (let i = 0; i + 1 < n; i += 2) {
    const a = sym(`x${i + 1}`), b = sym(`x${i + 2}`);
    terms.push(mul(num(100), pow(sub(b, pow(a, num(2))), num(2))), pow(sub(num(1), a), num(2)));
  }
  return add(...terms);
}

function network(n: number): Expr {
  const h = n / 2;
  const data = [[-1, 0.2], [-0.5, 0.1], [0, 0], [0.5, 0.3], [1, 0.9]] as const;
  return add(...data.map(([t, y]) => pow(sub(
    add(...Array.from({ length: h }, (_, j) => mul(sym(`v${j + 1}`), call('tanh', [mul(sym(`w${j + 1}`), num(t))])))),
    num(y)), num(2))));
}

const varsOf = (name: string, n: number): string[] =>
  name === 'rosenbrock' ? Array.from({ length: n }, (_, i) => `x${i + 1}`)
    : [...Array.from({ length: n / 2 }, (_, j) => `w${j + 1}`), ...Array.from({ length: n / 2 }, (_, j) => `v${j + 1}`)];

/**
 * Milliseconds of this process's CPU time (user + system). The benchmark machine is shared
 * with other jobs, and CPU time is what they cannot inflate; wall time is printed alongside.
 */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

let wallTotal = 0, cpuTotal = 0;

/** Mean CPU milliseconds per call: repeat for at least `minMs` (and at least twice). */
function time(fn: () => void, minMs = 200): number {
  fn(); // warm up
  let reps = 0;
  const t0 = cpuMs(), w0 = performance.now();
  let t = t0;
  do { fn(); reps++; t = cpuMs(); } while (t - t0 < minMs || reps < 2);
  wallTotal += performance.now() - w0; cpuTotal += t - t0;
  return (t - t0) / reps;
}

const fmt = (ms: number): string => (ms >= 100 ? ms.toFixed(0) : ms >= 1 ? ms.toFixed(1) : ms >= 0.01 ? ms.toFixed(3) : ms.toExponential(1));
const ratio = (a: number, b: number): string => (a / b >= 10 ? (a / b).toFixed(0) : (a / b).toFixed(1));

interface Row { fn: string; n: number; ours: Record<string, number>; mathjs: Record<string, number>; scaled: boolean; lowerBound: boolean }
const rows: Row[] = [];

async function main(): Promise<void> {
  for (const name of ['rosenbrock', 'network']) {
    for (const n of SIZES) {
      // symbolic timings rebuild the expression each time, so no cached simplification carries over
      const build = (): Expr => (name === 'rosenbrock' ? rosenbrock(n) : network(n));
      const e = build();
      const vars = varsOf(name, n);
      const text = toCalc(e);
      const node = math.parse(text);
      const point = vars.map((_, i) => 0.3 + 0.1 * (i % 7));
      const scope = Object.fromEntries(vars.map((v, i) => [v, point[i]!]));
      const ours: Record<string, number> = {}, mj: Record<string, number> = {};

      // symbolic
      ours.gradSym = time(() => gradient(build(), vars));
      ours.hessSym = time(() => hessian(build(), vars), n >= 50 ? 400 : 200);
      let firsts: math.MathNode[] = [];
      let m = 0;
      let lowerBound = false;
      if (n < MATHJS_IN_WORKER) {
        m = Math.min(MATHJS_PARTIALS, n);
        math.derivative(math.parse('x^2*sin(x)'), 'x'); // warm up mathjs
        const t0 = cpuMs();
        firsts = vars.slice(0, m).map((v) => math.derivative(node, v));
        mj.gradSym = ((cpuMs() - t0) / m) * n;
        // second partials H[i][j], j >= i, measured on the first m of them
        const pairs: [number, number][] = [];
        const all = (n * (n + 1)) / 2, want = Math.min(m, all);
        for (let i = 0; i < m && pairs.length < want; i++) for (let j = i; j < n && pairs.length < want; j++) pairs.push([i, j]);
        const t1 = cpuMs();
        for (const [i, j] of pairs) math.derivative(firsts[i]!, vars[j]!);
        mj.hessSym = ((cpuMs() - t1) / pairs.length) * all;
      } else {
        const one = await mathjsPartialInWorker(text, vars[0]!);
        lowerBound = one === undefined;
        mj.gradSym = (one ?? MATHJS_TIMEOUT_MS) * n;
      }
      const allPairs = (n * (n + 1)) / 2;

      // at a point
      const f = compile(e, vars);
      ours.f = time(() => f(point));
      const fg = compileGradient(e, vars), g = new Float64Array(n);
      ours.gradAD = time(() => fg(point, g));
      const gs = compileVector(gradient(e, vars), vars);
      ours.gradSymEval = time(() => gs(point));
      const fh = compileHessian(e, vars);
      ours.hessAD = time(() => fh(point));
      if (firsts.length > 0) {
        const compiledFirsts = firsts.map((d) => d.compile());
        mj.gradEval = (time(() => { for (const c of compiledFirsts) c.evaluate(scope); }) / m) * n;
      }
      const fEval = node.compile();
      mj.f = time(() => fEval.evaluate(scope));

      rows.push({ fn: name, n, ours, mathjs: mj, scaled: m < n || m < allPairs, lowerBound });
      console.error(`${name} n=${n} done`);
    }
}

}

function report(): void {
  const cell = (ours: number, theirs: number | undefined, r: Row): [string, string] => {
    if (theirs === undefined) return [`${fmt(ours)} / —`, '—'];
    const mark = r.lowerBound ? '>' : '';
    return [`${fmt(ours)} / ${mark}${fmt(theirs)}${r.scaled ? '*' : ''}`, `${mark}${ratio(theirs, ours)}×`];
  };
  console.log('\n| function | n | gradient, symbolic: ours / mathjs (ms) | ratio | Hessian, symbolic: ours / mathjs (ms) | ratio | f at a point (µs) | AD gradient at a point (µs) | AD gradient / f | compiled symbolic gradient / f | AD Hessian at a point (ms) | mathjs gradient at a point (µs) |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const o = r.ours, mj = r.mathjs;
    const [g, gr] = cell(o.gradSym!, mj.gradSym, r), [h, hr] = cell(o.hessSym!, mj.hessSym, r);
    console.log(`| ${r.fn} | ${r.n} | ${g} | ${gr} | ${h} | ${hr} | ${fmt(o.f! * 1000)} | ${fmt(o.gradAD! * 1000)} | ${(o.gradAD! / o.f!).toFixed(1)} | ${(o.gradSymEval! / o.f!).toFixed(1)} | ${fmt(o.hessAD!)} | ${mj.gradEval === undefined ? '—' : fmt(mj.gradEval * 1000)} |`);
}
console.log(`\n* scaled: mathjs measured on the first ${MATHJS_PARTIALS} first and second partials (one first partial for n ≥ ${MATHJS_IN_WORKER}), scaled linearly to all n (gradient) and n(n+1)/2 (Hessian).`);
console.log(`For n ≥ ${MATHJS_IN_WORKER} one first partial ran in a worker stopped after ${MATHJS_TIMEOUT_MS / 1000} s: ">" marks a lower bound; "—" not attempted.`);
console.log(`CPU time per call (process.cpuUsage); during the timed loops wall time was ${(wallTotal / cpuTotal).toFixed(1)}× CPU time.`);
}

void main().then(report);
