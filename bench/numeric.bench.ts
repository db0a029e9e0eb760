// Accuracy and cost of the optimisation and regression solvers against scipy, in one run.
//
//   node scripts/bench.mjs numeric            # prints Markdown tables for docs/performance.md
//   CALC_SHARED=/path/to/shared node scripts/bench.mjs numeric
//
// scipy runs in tests/reference/nist_mgh_scipy.py, which builds every model itself with SymPy
// (independently of our evaluator). NIST: least_squares(method='lm') with default settings and
// with tolerances 1e-15 and the exact Jacobian. MGH: minimize BFGS and trust-exact with exact
// gradient and Hessian, default tolerances.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fitNonlinear, minimize, type MinimizeResult } from '../server/src/core/numeric/index.js';
import {
  findScipyPython, listNist, loadMgh, lre, mghSolverObjective, mghTarget, nistModel, readNistNonlinear, repoRoot, sharedDir,
} from '../tests/reference/nist_mgh_support.js';

const script = path.join(repoRoot, 'tests/reference/nist_mgh_scipy.py');

function scipy(what: 'nist' | 'mgh'): Record<string, Record<string, unknown>> | null {
  const py = findScipyPython();
  if (!py) return null;
  const r = spawnSync(py, [script, what, sharedDir], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) { console.error(r.stderr); return null; }
  return JSON.parse(r.stdout) as Record<string, Record<string, unknown>>;
}

const median = (v: number[]) => { const s = [...v].sort((a, b) => a - b); const k = s.length >> 1; return s.length % 2 ? s[k]! : (s[k - 1]! + s[k]!) / 2; };
const f1 = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '–');

// ---------------------------------------------------------------- NIST nonlinear
const sp = scipy('nist');
const nistRows: string[] = [];
let oursOk = 0, spDefOk = 0, spTightOk = 0, notWorse = 0, runs = 0;
let oursMs = 0;
const behind: string[] = [];
for (const name of listNist('nonlinear')) {
  const p = readNistNonlinear(name);
  const y = p.response === 'log' ? p.y.map(Math.log) : p.y;
  for (const [k, start] of [[1, p.start1], [2, p.start2]] as const) {
    const t = performance.now();
    const fit = fitNonlinear({ model: nistModel(p), y, p0: start, names: p.params });
    oursMs += performance.now() - t;
    const ours = Math.min(...fit.parameters.map((q, j) => lre(q.value, p.certified[j]!, 11)));
    const oursSe = Math.min(...fit.parameters.map((q, j) => lre(q.stderr, p.certifiedSd[j]!, 11)));
    const spLre = (cfg: string) => {
      const r = sp?.[name]?.[`${k}/${cfg}`] as { x: number[] | null } | undefined;
      return r?.x ? Math.min(...r.x.map((v, j) => lre(v, p.certified[j]!, 11))) : NaN;
    };
    const d = spLre('default'), tight = spLre('tight-exact');
    runs++;
    if (ours >= 6) oursOk++;
    if (d >= 6) spDefOk++;
    if (tight >= 6) spTightOk++;
    const best = Math.max(Number.isFinite(d) ? d : 0, Number.isFinite(tight) ? tight : 0);
    if (!(ours < best - 0.05)) notWorse++;
    else behind.push(`${name} start ${k} (${ours.toFixed(2)} against ${best.toFixed(2)})`);
    nistRows.push(`| ${name} | ${k} | ${f1(ours)} | ${f1(oursSe)} | ${fit.iterations} | ${f1(d)} | ${f1(tight)} |`);
  }
}

// ---------------------------------------------------------------- MGH
const spm = scipy('mgh');
const mghRows: string[] = [];
const counts = { ours: 0, oursBfgs: 0, bfgs: 0, trust: 0 };
const evals = { ours: [] as number[], oursBfgs: [] as number[], bfgs: [] as number[], trust: [] as number[] };
// Cost in units of one f evaluation, taking a gradient call as 2 (reverse-mode AD costs 1.2–2.2 f here,
// see the Calculus section; our gradient call also returns f, scipy's jac does not).
const cost = { ours: [] as number[], trust: [] as number[] };
let mghMs = 0;
const near = (f: number, t: number) => Math.abs(f - t) <= 1e-8 * Math.max(1, Math.abs(t));
for (const p of loadMgh()) {
  const target = mghTarget(p);
  const obj = mghSolverObjective(p).obj;
  const t = performance.now();
  const ours: MinimizeResult = minimize(obj, p.x0);
  mghMs += performance.now() - t;
  const bf = minimize(obj, p.x0, { method: 'bfgs' });
  const run = (m: string) => { const r = spm?.[p.uid]?.[m] as { f: number | null; nfev: number; njev: number; nhev: number } | undefined; return r && r.f != null ? r : undefined; };
  const sb = run('BFGS'), st = run('trust-exact');
  const ok = { ours: near(ours.f, target), oursBfgs: near(bf.f, target), bfgs: sb?.f != null && near(sb.f, target), trust: st?.f != null && near(st.f, target) };
  for (const k of Object.keys(ok) as (keyof typeof ok)[]) if (ok[k]) counts[k]++;
  const oe = ours.evaluations.f + ours.evaluations.grad, be = bf.evaluations.f + bf.evaluations.grad;
  evals.ours.push(oe); evals.oursBfgs.push(be);
  if (sb) evals.bfgs.push(sb.nfev + sb.njev);
  if (st) evals.trust.push(st.nfev + st.njev);
  cost.ours.push(ours.evaluations.f + 2 * ours.evaluations.grad);
  if (st) cost.trust.push(st.nfev + 2 * st.njev);
  const mark = (b: boolean) => (b ? '✓' : '✗');
  mghRows.push(`| ${p.uid} | ${mark(ok.ours)} ${oe} (H ${ours.evaluations.hess}) | ${mark(ok.oursBfgs)} ${be} | ${sb ? `${mark(ok.bfgs)} ${sb.nfev + sb.njev}` : spm ? '✗ error' : '–'} | ${st ? `${mark(ok.trust)} ${st.nfev + st.njev} (H ${st.nhev})` : spm ? '✗ error' : '–'} |`);
}

const out: string[] = [];
out.push('### NIST StRD nonlinear: minimum LRE over the parameters (certified values have 11 digits)', '');
out.push('| problem | start | ours: LRE params | ours: LRE std. errors | ours: iterations | scipy lm default | scipy lm tol 1e-15 + exact J |', '| --- | --- | --- | --- | --- | --- | --- |', ...nistRows, '');
out.push(`Runs with LRE ≥ 6: ours ${oursOk}/${runs}; scipy default ${sp ? `${spDefOk}/${runs}` : 'not run'}; scipy tight + exact Jacobian ${sp ? `${spTightOk}/${runs}` : 'not run'}. `
  + `Ours at least as accurate as the better scipy configuration (within 0.05 digit): ${notWorse}/${runs}. Our 54 fits took ${oursMs.toFixed(0)} ms in total.`
  + (behind.length ? ` Behind scipy: ${behind.join(', ')}.` : ''), '');
out.push('### MGH: success (f within 1e-8 of the known minimum, relative above 1) and f + gradient evaluations', '');
out.push('| problem | ours (default: trust-region Newton), calls | ours BFGS, calls | scipy BFGS, nfev + njev | scipy trust-exact, nfev + njev |', '| --- | --- | --- | --- | --- |', ...mghRows, '');
out.push(`Solved: ours default ${counts.ours}/42, ours BFGS ${counts.oursBfgs}/42, scipy BFGS ${spm ? counts.bfgs : '–'}/42, scipy trust-exact ${spm ? counts.trust : '–'}/42. `
  + `Median f + gradient evaluations: ours default ${median(evals.ours)}, ours BFGS ${median(evals.oursBfgs)}, scipy BFGS ${spm ? median(evals.bfgs) : '–'}, scipy trust-exact ${spm ? median(evals.trust) : '–'}. `
  + `Median cost in units of f (a gradient call counted as 2 f): ours default ${median(cost.ours)}, scipy trust-exact ${spm ? median(cost.trust) : '–'}. `
  + `Our default took ${mghMs.toFixed(0)} ms for all 42 (evaluator included).`);
console.log(out.join('\n'));
