/**
 * `calc/plotData`: the plot of the statement at a position. The analysis supplies the
 * expressions (as IR, compiled here to closures) and the results of runs (iterates,
 * candidates, fitted parameters); server/src/core/plot samples them and lays them out.
 */
import type { PlotData, PlotDataRequest } from '../../../protocol/plot';
import type { Analysis, StatementContext } from '../core/analysis';
import { checkPlot, targetOf } from '../core/analysis';
import { compile, compileGradient } from '../core/calculus/compile';
import { derivative } from '../core/calculus/diff';
import { type Expr, sub } from '../core/calculus/expr';
import { latexName, toCalc, toLatex } from '../core/calculus/print';
import { simplify } from '../core/calculus/simplify';
import { taylor } from '../core/calculus/taylor';
import { about } from '../core/plot/ranges';
import { curvePlot, fitPlot, lagrangePlot, optimizePlot, rootPlot, surfacePlot, systemRootPlot, taylorPlot, taylorSurfacePlot, texNumber } from '../core/plot/build';
import type { Fn1, Fn2 } from '../core/plot/sample';
import type { FitStatementResult, LagrangeStatementResult, OptimizeStatementResult, RootStatementResult, StatementResult } from '../core/results';
import { runStatement } from '../core/run';
import { isRunnable, type FitStatement, type FunctionDefinition, type OptimizeStatement, type PlotStatement, type RootStatement, type RunnableStatement, type Statement } from '../core/syntax/ast';
import type { CalcDocument } from './document';

/** The window a plot uses when its statement names none. */
const DEFAULT_RANGE: [number, number] = [-5, 5];
const DEFAULT_SURFACE_RANGE: [number, number] = [-3, 3];

export interface PlotDataOptions {
  /**
   * The result of a runnable statement (root, minimize, maximize, fit) when it has not been
   * run for this version yet. Default: run it here, within `budgetMs`.
   */
  run?: (stmt: RunnableStatement) => StatementResult | undefined;
  /** Budget for running a statement here, in milliseconds (default 3000). */
  budgetMs?: number;
}

/**
 * Answers `calc/plotData` for a document: the plottable statement on the position's line,
 * else the nearest one above it, else the first below.
 *
 *   getPlotData(doc, { textDocument: { uri }, position: { line: 3, character: 0 } })
 *   // { ok: true, version: 1, line: 3, plot: { kind: 'curve', … } }
 */
export function getPlotData(doc: CalcDocument, params: PlotDataRequest.Params, options: PlotDataOptions = {}): PlotDataRequest.Result {
  const version = doc.version;
  const offset = doc.textDocument.offsetAt(params.position);
  const stmt = plottableNear(doc, offset);
  if (!stmt) return { ok: false, version, message: 'Nothing to plot here: add a plot, taylor, root, minimize, maximize or fit statement, or define a function of one or two variables.' };
  const line = doc.textDocument.positionAt(stmt.start).line;
  if (doc.analysis.broken.has(stmt)) return { ok: false, version, message: `Line ${line + 1} has an error; fix it to see its plot.` };
  let result: StatementResult | undefined = doc.analysis.results.get(stmt) ?? doc.runs.get(stmt.start);
  if (!result && isRunnable(stmt)) {
    result = options.run ? options.run(stmt) : runStatement(doc.analysis, stmt, { budgetMs: options.budgetMs ?? 3000 }).result;
  }
  const title = titleOf(doc.analysis.text, stmt);
  try {
    const plot = plotStatement(doc.analysis, stmt, result, title);
    return typeof plot === 'string' ? { ok: false, version, message: plot } : { ok: true, version, line, plot };
  } catch (e) {
    // What cannot be drawn (checkPlot's errors, reported on the line too) or cannot be lowered: said, never thrown.
    return { ok: false, version, message: `Line ${line + 1} cannot be plotted: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/**
 * Whether a statement has a plot (the "Plot" code lens uses it too).
 * `isPlottable` is true for `minimize f from [1, 1]` and `g(t) = t^2`, false for `a = 2`.
 */
export function isPlottable(s: Statement): boolean {
  switch (s.kind) {
    case 'plot': case 'taylor': case 'root': case 'optimize': case 'fit': return true;
    case 'function': return s.params.length === 1 || s.params.length === 2;
    default: return false;
  }
}

function plottableNear(doc: CalcDocument, offset: number): Statement | undefined {
  const list = doc.analysis.program.statements.filter(isPlottable);
  const line = (o: number) => doc.textDocument.positionAt(o).line;
  const here = line(offset);
  let best: Statement | undefined;
  for (const s of list) {
    if (line(s.start) <= here && here <= line(s.end)) return s;
    if (s.start <= offset) best = s;
  }
  return best ?? list[0];
}

function titleOf(text: string, s: Statement): string {
  const first = text.slice(s.start, s.end).split(/\r?\n/)[0]!.replace(/\s+#.*$/, '').trim();
  return first.length > 100 ? `${first.slice(0, 99)}…` : first;
}

/**
 * The plot of one statement, or a sentence saying why there is none.
 * `plotStatement(analysis, stmt, result, 'plot sin(x) over x in [0, 1]')` is a CurvePlot.
 */
export function plotStatement(analysis: Analysis, s: Statement, result: StatementResult | undefined, title: string): PlotData | string {
  const ctx: StatementContext = { lowering: analysis.lowering, symbols: analysis.symbols, data: analysis.data, diagnostics: [] };
  switch (s.kind) {
    case 'plot': return plotOfPlot(ctx, analysis.text, s, title);
    case 'function': return plotOfFunction(ctx, s, title);
    case 'taylor': return plotOfTaylor(result, title);
    case 'root': return result?.kind === 'root' ? plotOfRoot(ctx, s, result, title) : 'Run this statement (▶ Run) to see its plot.';
    case 'optimize':
      if (result?.kind === 'lagrange') return plotOfLagrange(ctx, s, result, title);
      if (result?.kind === 'minimize' || result?.kind === 'maximize') return plotOfOptimize(ctx, s, result, title);
      return 'Run this statement (▶ Run) to see its plot.';
    case 'fit': return result?.kind === 'fit' ? plotOfFit(ctx, s, result, title) : 'Run this fit (▶ Run) to see its plot.';
    default: return 'This line has no plot.';
  }
}

// ------------------------------------------------------------------ closures

const fn1 = (e: Expr, v: string): Fn1 => { const c = compile(e, [v]); const a = new Float64Array(1); return (x) => { a[0] = x; return c(a); }; };
const fn2 = (e: Expr, vs: readonly [string, string]): Fn2 => { const c = compile(e, vs); const a = new Float64Array(2); return (x, y) => { a[0] = x; a[1] = y; return c(a); }; };
const fnN = (e: Expr, vs: readonly string[]) => { const c = compile(e, vs); return (p: readonly number[]) => c(p); };
function grad2(e: Expr, vs: readonly [string, string]) {
  const g = compileGradient(e, vs), out = new Float64Array(2), a = new Float64Array(2);
  return (x: number, y: number) => { a[0] = x; a[1] = y; g(a, out); return [out[0]!, out[1]!]; };
}

/**
 * LaTeX of an expression as a reader would write it: simplified first, since lowered
 * expressions keep the source's nesting (((a − b) − c) + d).
 */
function tex(e: Expr): string {
  try {
    return toLatex(simplify(e));
  } catch {
    return toLatex(e);
  }
}

/** `f(x, y) = …` as LaTeX: the function's name when it has one, else the expression alone. */
function defineTex(name: string | undefined, vars: readonly string[], e: Expr): string {
  return name ? `${latexName(name)}(${vars.map(latexName).join(', ')}) = ${tex(e)}` : tex(e);
}

// ------------------------------------------------------------------ plot and function definitions

function plotOfPlot(ctx: StatementContext, text: string, s: PlotStatement, title: string): PlotData | string {
  // What cannot be drawn is the analysis's error on the line (checkPlot throws it here too).
  const checked = checkPlot(ctx, s);
  // Legends name each curve as written (`sin(x)`, `f`): that is what the reader knows it by.
  const targets = checked.targets.map((t) => ({ ...t, source: text.slice(t.e.start, t.e.end) }));
  const ranges = checked.ranges;
  // Each target's own variables are matched to the ranges by name, else by position.
  const varNames = [...new Set(targets.flatMap((t) => t.vars))];
  const dims = Math.max(ranges.length, ...targets.map((t) => t.vars.length));
  if (dims <= 1) {
    const v = ranges[0]?.name ?? varNames[0] ?? 'x';
    const range = ranges[0]?.range ?? DEFAULT_RANGE;
    const curves = targets.map((t) => {
      const w = t.vars[0] ?? v;
      return { name: t.source, f: fn1(t.expr, w), df: fn1(derivative(t.expr, w), w) };
    });
    return curvePlot({
      title, variable: v, range,
      latex: targets.map((t) => defineTex(t.name, t.vars, t.expr)),
      curves: curves.map(({ name, f }) => ({ name, f })),
      derivatives: curves.map((c) => ({ name: `${c.name}′`, f: c.df })),
      derivativesVisible: false,
      ...(curves[0] ? { tangents: { df: curves[0].df } } : {}),
    });
  }
  const t = targets[0]!;
  const names: [string, string] = [t.vars[0] ?? ranges[0]?.name ?? 'x', t.vars[1] ?? ranges[1]?.name ?? 'y'];
  const rangeOf = (i: 0 | 1) => ranges.find((r) => r.name === names[i])?.range ?? ranges[i]?.range ?? DEFAULT_SURFACE_RANGE;
  return surfaceOf(t.name, t.expr, names, rangeOf(0), rangeOf(1), title);
}

function surfaceOf(name: string | undefined, e: Expr, vars: [string, string], xr: [number, number], yr: [number, number], title: string, notes?: string[]): PlotData {
  return surfacePlot({
    title, variables: vars, xRange: xr, yRange: yr, f: fn2(e, vars), grad: grad2(e, vars), zLabel: `${name ?? 'f'}(${vars.join(', ')})`,
    latex: [defineTex(name, vars, e), `\\nabla ${name ? latexName(name) : 'f'} = \\left(${tex(derivative(e, vars[0]))},\\ ${tex(derivative(e, vars[1]))}\\right)`],
    ...(notes ? { notes } : {}),
  });
}

function plotOfFunction(ctx: StatementContext, s: FunctionDefinition, title: string): PlotData | string {
  const f = ctx.lowering.functionBody(s.name.name);
  if (!f || f.body.kind === 'vec') return 'Only scalar functions can be plotted.';
  const name = s.name.name;
  if (f.params.length === 1) {
    const v = f.params[0]!;
    const d = derivative(f.body, v);
    return curvePlot({
      title, variable: v, range: DEFAULT_RANGE,
      latex: [defineTex(name, f.params, f.body), `${latexName(name)}'(${latexName(v)}) = ${tex(d)}`],
      curves: [{ name: `${name}(${v})`, f: fn1(f.body, v) }],
      derivatives: [{ name: `${name}′(${v})`, f: fn1(d, v) }],
      derivativesVisible: true,
      tangents: { df: fn1(d, v) },
    });
  }
  return surfaceOf(name, f.body, [f.params[0]!, f.params[1]!], DEFAULT_SURFACE_RANGE, DEFAULT_SURFACE_RANGE, title);
}

// ------------------------------------------------------------------ taylor

function plotOfTaylor(result: StatementResult | undefined, title: string): PlotData | string {
  if (result?.kind !== 'taylor') return 'This taylor statement has no result yet.';
  const vars = result.variables;
  const a = vars.map((v) => result.at[v]!);
  if (vars.length === 1) {
    const v = vars[0]!, centre = a[0]!;
    // T_k for k = 0..n: each order's polynomial from the same expansion routine the analysis uses.
    const polys = [];
    for (let k = 0; k <= result.order; k++) {
      const p = k === result.order ? result.expanded : taylor(result.function, vars, a, k).expanded;
      polys.push({ order: k, name: `T${subscript(k)}`, p: fn1(p, v) });
    }
    return taylorPlot({
      title, variable: v, center: centre, f: fn1(result.function, v), polynomials: polys,
      range: about(centre, 3),
      latex: [`f(${latexName(v)}) = ${tex(result.function)}`, `T_{${result.order}}(${latexName(v)}) = ${tex(result.expanded)}`],
    });
  }
  if (vars.length === 2) {
    const names: [string, string] = [vars[0]!, vars[1]!];
    const args = names.join(', ');
    return taylorSurfacePlot({
      title, variables: names, center: [a[0]!, a[1]!], order: result.order,
      f: fn2(result.function, names), p: fn2(result.expanded, names),
      names: { function: `f(${args})`, polynomial: `T${subscript(result.order)}(${args})`, error: `|f − T${subscript(result.order)}|` },
      latex: [`f(${names.map(latexName).join(', ')}) = ${tex(result.function)}`, `T_{${result.order}}(${names.map(latexName).join(', ')}) = ${tex(result.expanded)}`],
      notes: [`The Taylor polynomial of order ${result.order} about (${a.map((x) => String(x)).join(', ')}): its contour lines (dashed) follow f's near the point; the error |f − T${subscript(result.order)}| falls off at least like r^${result.order + 1} towards it, r the distance from the point.`],
    });
  }
  return `A Taylor polynomial in ${vars.length} variables cannot be drawn.`;
}

const SUBSCRIPT = '₀₁₂₃₄₅₆₇₈₉';
const subscript = (k: number) => String(k).split('').map((d) => SUBSCRIPT[Number(d)]).join('');

// ------------------------------------------------------------------ root

function plotOfRoot(ctx: StatementContext, s: RootStatement, r: RootStatementResult, title: string): PlotData | string {
  const t = targetOf(ctx, s.target);
  if (r.variables.length === 2 && t.expr.kind === 'vec' && t.expr.items.length === 2) return plotOfSystem(t, r, title);
  if (r.variables.length !== 1) return `A system in ${r.variables.length} unknowns cannot be drawn; the result is in the hover and the code lens.`;
  const v = r.variables[0]!;
  return rootPlot({
    title, variable: v, f: fn1(t.expr, v), iterates: r.path.map((p) => p[0]!), root: r.converged ? r.x[0]! : null, converged: r.converged,
    latex: [`f(${latexName(v)}) = ${tex(t.expr)}`, r.converged ? `${latexName(v)}^* \\approx ${texNumber(r.x[0], 12)}` : `\\text{not converged}`],
    notes: [r.message, ...r.notes],
  });
}

/** Two equations in two unknowns: their zero curves cross at the root Newton's path walks to. */
function plotOfSystem(t: { expr: Expr; name?: string }, r: RootStatementResult, title: string): PlotData {
  const vars: [string, string] = [r.variables[0]!, r.variables[1]!];
  const items = t.expr.kind === 'vec' ? t.expr.items : [];
  const star = `(${vars.map((v) => `${latexName(v)}^*`).join(', ')}) \\approx (${r.x.map((v) => texNumber(v, 10)).join(',\\ ')})`;
  const shown = r.path.slice(0, 12);
  return systemRootPlot({
    title, variables: vars,
    equations: items.map((e) => ({ name: `${toCalc(simplify(e))} = 0`, f: fn2(e, vars) })),
    iterates: r.path.map((p) => [...p]), root: r.converged ? [r.x[0]!, r.x[1]!] : null, converged: r.converged,
    latex: [defineTex(t.name, vars, t.expr), r.converged ? star : '\\text{not converged}'],
    table: {
      columns: ['k', `(${vars.map(latexName).join(', ')})_k`],
      rows: shown.map((p, k) => [String(k), `(${p.map((v) => texNumber(v, 10)).join(',\\ ')})`]),
    },
    notes: [r.message, ...r.notes, ...(r.path.length > shown.length ? [`The table shows the first ${shown.length} of ${r.path.length} iterates.`] : [])],
  });
}

// ------------------------------------------------------------------ minimize / maximize

function plotOfOptimize(ctx: StatementContext, s: OptimizeStatement, r: OptimizeStatementResult, title: string): PlotData {
  const t = targetOf(ctx, s.target);
  const f = fnN(t.expr, r.variables);
  const path = r.path.map((p, k) => ({ point: p, value: r.history[k]?.f ?? f(p), gradNorm: r.history[k]?.gradNorm ?? null, ...(r.history[k] ? { iteration: r.history[k].iteration } : {}) }));
  // A long run keeps a thinned path; each point carries the iteration it was taken at.
  const thinned = r.path.length < r.iterations + 1;
  const star = `${r.variables.length === 1 ? latexName(r.variables[0]!) : 'x'}^* = ${r.variables.length === 1 ? texNumber(r.x[0]) : `(${r.x.map((v) => texNumber(v)).join(',\\ ')})`}`;
  return optimizePlot({
    title, goal: r.kind, method: r.method, variables: [...r.variables], f, path, converged: r.converged, fStar: r.value,
    latex: [defineTex(t.name, r.variables, t.expr), `${star},\\quad f(x^*) = ${texNumber(r.value)}`],
    notes: [
      `${r.message} (${r.iterations} iteration${r.iterations === 1 ? '' : 's'})`, ...r.notes,
      ...(thinned ? [`The path shows ${r.path.length} of the ${r.iterations + 1} iterates, evenly spaced; the numbers are their iterations.`] : []),
    ],
  });
}

// ------------------------------------------------------------------ Lagrange

function plotOfLagrange(ctx: StatementContext, s: OptimizeStatement, r: LagrangeStatementResult, title: string): PlotData | string {
  if (r.variables.length !== 2 || s.constraints.length !== 1) return 'Lagrange plots show two variables and one constraint.';
  const t = targetOf(ctx, s.target);
  const c = s.constraints[0]!;
  const g = simplify(sub(ctx.lowering.lower(c.left), ctx.lowering.lower(c.right)));
  const vars: [string, string] = [r.variables[0]!, r.variables[1]!];
  const kind = (k: string) => (k === 'minimum' || k === 'maximum' || k === 'saddle' ? k : 'candidate');
  const candidates = r.candidates.map((k) => ({
    point: [k.point[vars[0]]!, k.point[vars[1]]!] as [number, number], value: k.value, lambda: [...k.lambda], kind: kind(k.kind) as 'minimum' | 'maximum' | 'saddle' | 'candidate',
  }));
  const window = candidates.length ? undefined : [DEFAULT_SURFACE_RANGE, DEFAULT_SURFACE_RANGE] as [[number, number], [number, number]];
  return lagrangePlot({
    title, variables: vars, f: fn2(t.expr, vars), g: fn2(g, vars), candidates, ...(window ? { window } : {}),
    latex: [defineTex(t.name, vars, t.expr), `${tex(g)} = 0`, `\\nabla f = \\lambda\\, \\nabla g`],
    table: {
      columns: [`(${vars.map(latexName).join(', ')})`, 'f', '\\lambda', '\\text{kind}'],
      rows: r.candidates.map((k) => [
        `(${vars.map((v) => texNumber(k.point[v])).join(',\\ ')})`, texNumber(k.value), k.lambda.map((l) => texNumber(l)).join(',\\ '),
        `\\text{${k.kind}${k.best ? ` (${k.best === 'maximum' ? 'largest' : 'smallest'} f)` : ''}}`,
      ]),
    },
    notes: [r.message, ...r.notes],
  });
}

// ------------------------------------------------------------------ fit

function plotOfFit(ctx: StatementContext, s: FitStatement, r: FitStatementResult, title: string): PlotData | string {
  if (r.inputs.length !== 1) return `A fit plot shows one input column; this model uses ${r.inputs.length} (${r.inputs.join(', ')}).`;
  const data = ctx.data.get(r.data);
  if (!data) return `The data set ${r.data} is not loaded.`;
  const col = (name: string) => { const j = data.columns.indexOf(name); return j < 0 ? undefined : [...data.values[j]!]; };
  const xName = r.inputs[0]!;
  const x = col(xName), y = col(r.response);
  if (!x || !y) return 'The fitted columns are missing from the data.';
  // The same uncertainties the fit used: `with sigma = col`, else a column named sigma.
  const sigmaBinding = s.options.find((b) => b.name.name === 'sigma');
  const sigmaName = sigmaBinding?.value.kind === 'ident' ? sigmaBinding.value.name : data.columns.includes('sigma') && r.response !== 'sigma' ? 'sigma' : undefined;
  const sigma = sigmaName ? col(sigmaName) : undefined;
  const model = ctx.lowering.lower(s.model);
  const params = r.parameters.map((p) => p.name);
  const m = compile(model, [...params, xName]);
  const args = new Float64Array(params.length + 1);
  r.parameters.forEach((p, i) => { args[i] = p.value; });
  const lastParam = params.length;
  return fitPlot({
    title, xName, yName: r.response, data: sigma ? { x, y, sigma } : { x, y },
    model: (v) => { args[lastParam] = v; return m(args); },
    parameters: r.parameters.map((p) => ({ name: latexName(p.name), value: p.value, uncertainty: Number.isFinite(p.stderr) ? p.stderr : null })),
    chi2: r.chi2, dof: r.dof,
    latex: [`${latexName(r.response)} = ${tex(model)}`],
    notes: [r.message, ...r.notes],
  });
}

