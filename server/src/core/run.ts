/**
 * Running the statements that call a numerical method: root, minimize, maximize
 * (with or without `subject to`), and fit. The solvers (numeric/) work on
 * closures; this module turns a statement into those closures (compiled from the
 * exact symbolic derivatives) and the solver's answer back into a result.
 */
import type { Analysis, StatementContext } from './analysis';
import { diagnosticFor, numberOf, pointFor, targetOf } from './analysis';
import { compile } from './calculus/compile';
import { type Expr, freeSymbols, sub } from './calculus/expr';
import { derivative } from './calculus/diff';
import { simplify } from './calculus/simplify';
import { toCalc } from './calculus/print';
import { lagrange } from './numeric/lagrange';
import { checkOptimum, maximize, methodName, minimize } from './numeric/minimize';
import { fitLinear, fitNonlinear } from './numeric/regress';
import { linearDesignFromExpr, modelFromExpr, objectiveFromExpr, vectorFunctionFromExprs } from './numeric/fromExpr';
import { newtonRaphson, newtonSystem } from './numeric/root';
import type { MinimizeMethod, RunControl } from './numeric/types';
import type {
  FitStatementResult, LagrangeCandidate, LagrangeStatementResult, OptimizeStatementResult, Point, RootStatementResult, StatementResult,
} from './results';
import { fmt } from './semantics/evaluate';
import { freeVariables, LowerError } from './semantics/lower';
import { checkMethodAndOptions, METHODS, methodOf, OPTIONS, optionsOf } from './analyses/options';
import type { Binding, FitStatement, OptimizeStatement, RootStatement, RunnableStatement, Span } from './syntax/ast';
import { Codes, type Diagnostic } from './syntax/diagnostics';

export { METHODS, OPTIONS };

export interface RunControlOptions extends RunControl {
  /** Wall-clock budget in milliseconds; the run stops (and says so) when it is spent. Default 10 s. */
  readonly budgetMs?: number;
}

/**
 * Runs a statement. Never throws: problems come back as diagnostics.
 * `runStatement(analyze('minimize x^2 from x = 1'), stmt).result?.kind` is 'minimize'.
 */
export function runStatement(
  analysis: Analysis,
  stmt: RunnableStatement,
  control: RunControlOptions = {},
): { result?: StatementResult; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const ctx: StatementContext = { lowering: analysis.lowering, symbols: analysis.symbols, data: analysis.data, diagnostics };
  if (analysis.broken.has(stmt)) return { diagnostics };
  const deadline = Date.now() + (control.budgetMs ?? 10_000);
  const shouldStop = (): boolean => Date.now() > deadline || (control.shouldStop?.() ?? false);
  const run: RunControl = { shouldStop, ...(control.onProgress ? { onProgress: control.onProgress } : {}) };
  try {
    const result = stmt.kind === 'root' ? runRoot(ctx, stmt, run)
      : stmt.kind === 'fit' ? runFit(ctx, stmt, run)
        : stmt.constraints.length ? runLagrange(ctx, stmt, run)
          : runOptimize(ctx, stmt, run);
    return { result, diagnostics };
  } catch (e) {
    diagnostics.push(diagnosticFor(e, stmt));
    return { diagnostics };
  }
}

// ------------------------------------------------------------------ options

function positiveOption(ctx: StatementContext, opts: Map<string, Binding>, name: string, integer = false): number | undefined {
  const b = opts.get(name);
  if (!b) return undefined;
  const v = numberOf(ctx, b.value);
  if (!(v > 0) || (integer && !Number.isInteger(v))) {
    throw new LowerError(Codes.InvalidOption, b.value, `${name} must be a positive ${integer ? 'whole number' : 'number'}.`);
  }
  if (integer && v > 10_000_000) throw new LowerError(Codes.InvalidOption, b.value, `${name} is limited to 10,000,000.`);
  return v;
}

// ------------------------------------------------------------------ compiling

function scalarTarget(ctx: StatementContext, stmt: RootStatement | OptimizeStatement): { expr: Expr; vars: string[]; name?: string } {
  const t = targetOf(ctx, stmt.target);
  if (stmt.kind === 'optimize' && t.expr.kind === 'vec') {
    throw new LowerError(Codes.ShapeMismatch, stmt.target, `${stmt.sense} needs a scalar function; this one is vector-valued.`);
  }
  if (t.vars.length === 0) throw new LowerError(Codes.InvalidTarget, stmt.target, 'This has no variables to vary.');
  return t;
}

function startPoint(ctx: StatementContext, spec: import('./syntax/ast').PointSpec | undefined, vars: string[], at: Span): Point {
  if (spec) return pointFor(ctx, spec, vars);
  ctx.diagnostics.push({
    code: Codes.PointLength, severity: 'info', offset: at.start, length: at.end - at.start,
    message: `No starting point given; starting from ${vars.map((v) => `${v} = 0`).join(', ')}. Add \`from [..]\` to choose one.`,
  });
  return Object.fromEntries(vars.map((v) => [v, 0]));
}

const pointOf = (vars: readonly string[], x: ArrayLike<number>): Point => Object.fromEntries(vars.map((v, i) => [v, x[i]!]));

// ------------------------------------------------------------------ root

function runRoot(ctx: StatementContext, stmt: RootStatement, run: RunControl): RootStatementResult {
  methodOf(stmt.method, METHODS.root, 'root');
  const opts = optionsOf(stmt.options, OPTIONS.root, 'root');
  const { expr, vars } = scalarTarget(ctx, stmt);
  const start = startPoint(ctx, stmt.near, vars, stmt.target);
  const x0 = vars.map((v) => start[v]!);
  const maxIter = positiveOption(ctx, opts, 'maxiter', true);
  const tol = positiveOption(ctx, opts, 'tol');
  const options = { ...run, ...(maxIter ? { maxIter } : {}), ...(tol ? { tol } : {}) };
  if (expr.kind === 'vec') {
    if (expr.items.length !== vars.length) {
      throw new LowerError(Codes.ShapeMismatch, stmt.target, `A system needs as many equations as unknowns: this one has ${expr.items.length} equations in ${vars.length} unknowns (${vars.join(', ')}).`);
    }
    const F = vectorFunctionFromExprs(expr.items, vars);
    const r = newtonSystem(F, x0, options);
    return { kind: 'root', ...r, variables: vars, point: pointOf(vars, r.x) };
  }
  if (vars.length !== 1) {
    throw new LowerError(Codes.InvalidTarget, stmt.target, `root of a scalar expression needs one variable; this one has ${vars.length} (${vars.join(', ')}). For a system, give a vector of equations.`);
  }
  const f = compile(expr, vars);
  const df = compile(derivative(expr, vars[0]!), vars);
  const r = newtonRaphson({ f: (x) => f([x]), df: (x) => df([x]) }, x0[0]!, options);
  return { kind: 'root', ...r, variables: vars, point: pointOf(vars, r.x) };
}

// ------------------------------------------------------------------ minimize / maximize

function runOptimize(ctx: StatementContext, stmt: OptimizeStatement, run: RunControl): OptimizeStatementResult {
  const chosen = methodOf(stmt.method, METHODS.optimize, stmt.sense);
  const opts = optionsOf(stmt.options, OPTIONS.optimize, stmt.sense);
  const { expr, vars } = scalarTarget(ctx, stmt);
  const start = startPoint(ctx, stmt.from, vars, stmt.target);
  const step = positiveOption(ctx, opts, 'step');
  const maxIter = positiveOption(ctx, opts, 'maxiter', true);
  const tol = positiveOption(ctx, opts, 'tol');
  // Gradient descent takes the fixed step the course teaches when one is given, else a backtracking line search.
  const method: MinimizeMethod = chosen === 'gd' ? (step ? 'gd' : 'gd-armijo') : (chosen ?? 'auto');
  if (step && chosen !== 'gd') {
    throw new LowerError(Codes.InvalidOption, opts.get('step')!.name, 'step is the learning rate of gradient descent: add `by gradient descent`, or remove it.');
  }
  const options = { ...run, method, ...(step ? { step } : {}), ...(maxIter ? { maxIter } : {}), ...(tol ? { gradTol: tol } : {}) };
  const objective = objectiveFromExpr(expr, vars);
  const x0 = vars.map((v) => start[v]!);
  const found = stmt.sense === 'minimize' ? minimize(objective, x0, options) : maximize(objective, x0, options);
  // a zero gradient is a minimum (maximum) only if f does not fall (rise) nearby: x³ from 0 is not
  const check = found.converged ? checkOptimum(objective, found.x, stmt.sense) : {};
  const r = check.notOptimal ? { ...found, converged: false, reason: 'saddle' as const, message: check.notOptimal }
    : check.note ? { ...found, notes: [...found.notes, check.note] } : found;
  const value = objective.f(Float64Array.from(r.x));
  if (!r.converged) {
    ctx.diagnostics.push({ code: Codes.NotConverged, severity: 'warning', offset: stmt.keyword.start, length: stmt.keyword.end - stmt.keyword.start, message: r.message });
  }
  return { kind: stmt.sense, ...r, variables: vars, point: pointOf(vars, r.x), value };
}

// ------------------------------------------------------------------ Lagrange multipliers

function runLagrange(ctx: StatementContext, stmt: OptimizeStatement, run: RunControl): LagrangeStatementResult {
  if (stmt.from) ctx.diagnostics.push({ code: Codes.InvalidOption, severity: 'info', offset: stmt.from.start, length: stmt.from.end - stmt.from.start, message: 'With `subject to`, Calc searches from many deterministic starting points of its own; `from` is not used.' });
  checkMethodAndOptions(stmt);
  const t = targetOf(ctx, stmt.target);
  if (t.expr.kind === 'vec') throw new LowerError(Codes.ShapeMismatch, stmt.target, `${stmt.sense} needs a scalar function.`);
  const constraints = stmt.constraints.map((c) => simplify(sub(ctx.lowering.lower(c.left), ctx.lowering.lower(c.right))));
  // The variables: the function's parameters, or every free variable of the objective and constraints.
  const vars = t.name ? t.vars : [...new Set([...t.vars, ...constraints.flatMap((g) => freeVariables(g))])].sort();
  stmt.constraints.forEach((c, i) => {
    const extra = freeSymbols(constraints[i]!).filter((n) => !vars.includes(n) && freeVariables(constraints[i]!).includes(n));
    if (extra.length) throw new LowerError(Codes.UnknownName, c, `The constraint uses ${extra.join(', ')}, which ${extra.length === 1 ? 'is' : 'are'} not a variable of ${t.name ?? 'the objective'} (${vars.join(', ')}).`);
  });
  if (constraints.length >= vars.length) {
    throw new LowerError(Codes.InvalidTarget, stmt, `${constraints.length} constraint${constraints.length === 1 ? '' : 's'} in ${vars.length} variable${vars.length === 1 ? '' : 's'} leave${constraints.length === 1 ? 's' : ''} nothing to optimise: use fewer constraints than variables.`);
  }
  const r = lagrange(objectiveFromExpr(t.expr, vars), constraints.map((g) => objectiveFromExpr(g, vars)), run);
  const kindName = { min: 'minimum', max: 'maximum', saddle: 'saddle', degenerate: 'degenerate' } as const;
  const candidates: LagrangeCandidate[] = r.candidates.map((c, i) => ({
    point: pointOf(vars, c.x), lambda: c.lambda, value: c.f, kind: kindName[c.kind],
    // The statement's own extremum wins the label when one candidate is both the largest and the smallest.
    ...(stmt.sense === 'minimize'
      ? (i === r.min ? { best: 'minimum' as const } : i === r.max ? { best: 'maximum' as const } : {})
      : (i === r.max ? { best: 'maximum' as const } : i === r.min ? { best: 'minimum' as const } : {})),
  }));
  const answer = candidates[stmt.sense === 'minimize' ? r.min : r.max];
  const message = answer
    ? `constrained ${stmt.sense === 'minimize' ? 'minimum' : 'maximum'} ${fmt(answer.value)} at (${Object.values(answer.point).map(fmt).join(', ')}) among ${candidates.length} candidate${candidates.length === 1 ? '' : 's'}`
    : candidates.length ? `${candidates.length} candidates, none a constrained ${stmt.sense === 'minimize' ? 'minimum' : 'maximum'}` : 'no point satisfies the Lagrange conditions from the starting points tried';
  if (!candidates.length) {
    ctx.diagnostics.push({ code: Codes.NotConverged, severity: 'warning', offset: stmt.keyword.start, length: stmt.keyword.end - stmt.keyword.start, message: `No solution of the Lagrange conditions was found. ${r.notes.join(' ')}` });
  }
  return { kind: 'lagrange', sense: stmt.sense, variables: vars, candidates, ...(answer ? { answer } : {}), message, notes: r.notes };
}

// ------------------------------------------------------------------ fit

function runFit(ctx: StatementContext, stmt: FitStatement, run: RunControl): FitStatementResult {
  const chosen = methodOf(stmt.method, METHODS.fit, 'fit');
  const opts = optionsOf(stmt.options, OPTIONS.fit, 'fit');
  const data = stmt.data ? ctx.data.get(stmt.data.name) : undefined;
  if (!data) throw new LowerError(Codes.InvalidTarget, stmt.data ?? stmt, 'Fit to a data set defined with `data`.');
  const column = (name: string, at: Span): number[] => {
    const j = data.columns.indexOf(name);
    if (j < 0) throw new LowerError(Codes.DataUnknownColumn, at, `'${name}' is not a column of ${data.name} (${data.columns.join(', ')}).`);
    return data.values[j] as number[];
  };
  const y = column(stmt.response.name, stmt.response);
  const sigmaOpt = opts.get('sigma');
  let sigma: number[] | undefined;
  if (sigmaOpt) {
    if (sigmaOpt.value.kind !== 'ident') throw new LowerError(Codes.InvalidOption, sigmaOpt.value, 'sigma names a column: `with sigma = dy`.');
    sigma = column(sigmaOpt.value.name, sigmaOpt.value);
  } else if (data.columns.includes('sigma') && stmt.response.name !== 'sigma') {
    sigma = column('sigma', stmt.response);
  }
  if (sigma?.some((s) => !(s > 0))) throw new LowerError(Codes.DataNonNumeric, sigmaOpt?.value ?? stmt.data!, 'Every uncertainty σ must be positive.');

  const model = ctx.lowering.lower(stmt.model);
  if (model.kind === 'vec') throw new LowerError(Codes.ShapeMismatch, stmt.model, 'A fit model gives one number per observation.');
  // Parameters in the order they first appear in the model, as a reader would list them.
  const free = freeSymbols(model).filter((n) => freeVariables(model).includes(n));
  const inputs = free.filter((n) => data.columns.includes(n));
  const params = free.filter((n) => !data.columns.includes(n));
  if (inputs.includes(stmt.response.name)) throw new LowerError(Codes.InvalidTarget, stmt.model, `The model uses the response column ${stmt.response.name} itself.`);
  if (params.length === 0) throw new LowerError(Codes.InvalidTarget, stmt.model, `The model has no parameters to fit: every name in it is a column of ${data.name} or a constant.`);
  if (params.length >= data.rows) {
    throw new LowerError(Codes.InvalidTarget, stmt.model, `${params.length} parameter${params.length === 1 ? '' : 's'} (${params.join(', ')}: the names in the model that are not columns of ${data.name}) cannot be fitted to ${data.rows} observation${data.rows === 1 ? '' : 's'}: you need more data than parameters.`);
  }
  // a model that reads no column is a constant: right for `fit y = c` (the mean), a typo for `m*z + c`
  if (inputs.length === 0 && params.length > 1) {
    ctx.diagnostics.push({ code: Codes.InvalidTarget, severity: 'warning', offset: stmt.model.start, length: stmt.model.end - stmt.model.start,
      message: `The model reads no column of ${data.name} (${data.columns.join(', ')}): ${params.join(', ')} are all fitted as parameters, so it is one number for every observation. Write a column's name where the model should vary.` });
  }
  const fitData = { names: inputs, columns: inputs.map((c) => column(c, stmt.model)), rows: y.length };
  const step = positiveOption(ctx, opts, 'step');
  const maxIter = positiveOption(ctx, opts, 'maxiter', true);
  const tol = positiveOption(ctx, opts, 'tol');
  const base = { kind: 'fit' as const, response: stmt.response.name, inputs, data: data.name };

  // A model linear in its parameters is solved exactly, unless a method is asked for.
  const design = chosen === undefined ? linearDesignFromExpr(model, params, fitData) : null;
  if (design) {
    const r = fitLinear({ columns: design.columns, y, ...(sigma ? { sigma } : {}), offset: design.offset, names: params });
    if (stmt.from) ctx.diagnostics.push({ code: Codes.InvalidOption, severity: 'info', offset: stmt.from.start, length: stmt.from.end - stmt.from.start, message: 'This model is linear in its parameters, so it is solved exactly; starting values are not needed.' });
    return { ...base, ...r };
  }
  const start = stmt.from ? startValues(ctx, stmt, params) : {};
  const missing = params.filter((p) => !(p in start));
  if (missing.length) {
    // for a model linear in its parameters the start does not matter: a note, not a warning
    const linear = linearDesignFromExpr(model, params, fitData) !== null;
    ctx.diagnostics.push({
      code: Codes.PointLength, severity: linear ? 'info' : 'warning', offset: stmt.model.start, length: stmt.model.end - stmt.model.start,
      message: linear
        ? `No starting value for ${missing.join(', ')}: starting from 1 (the model is linear in its parameters, so gradient descent can reach its one minimum from anywhere, given a small enough step).`
        : `No starting value for ${missing.join(', ')}: starting from 1. A nonlinear fit can converge to a wrong answer or not at all from a poor start; add \`from ${missing.map((p) => `${p} = …`).join(', ')}\`.`,
    });
  }
  const r = fitNonlinear(
    { model: modelFromExpr(model, params, fitData), y, ...(sigma ? { sigma } : {}), p0: params.map((p) => start[p] ?? 1), names: params },
    { ...run, method: chosen === 'gd' ? 'gd' : 'lm', ...(step ? { step } : {}), ...(maxIter ? { maxIter } : {}), ...(tol ? { tol } : {}) },
  );
  if (!r.converged) {
    ctx.diagnostics.push({ code: Codes.NotConverged, severity: 'warning', offset: stmt.start, length: 3, message: r.message });
  }
  return { ...base, ...r };
}

function startValues(ctx: StatementContext, stmt: FitStatement, params: string[]): Record<string, number> {
  const spec = stmt.from!;
  if (spec.kind === 'vector-point') return pointFor(ctx, spec, params);
  const out: Record<string, number> = {};
  for (const b of spec.bindings) {
    if (!params.includes(b.name.name)) {
      throw new LowerError(Codes.PointLength, b.name, `'${b.name.name}' is not a parameter of this model; the parameters are ${params.join(', ')}.`);
    }
    out[b.name.name] = numberOf(ctx, b.value);
  }
  return out;
}

// ------------------------------------------------------------------ summaries

/**
 * One line that says what a run found, for code lenses, inlay hints and the CLI.
 * `summarize(r)` is "minimum f = -0.5 at (0.71, -0.71) · 12 iterations · BFGS".
 */
export function summarize(r: StatementResult): string {
  const at = (p: Point): string => `(${Object.values(p).map(short).join(', ')})`;
  switch (r.kind) {
    case 'root':
      return r.converged
        ? `root at ${Object.keys(r.point).length === 1 ? `${Object.keys(r.point)[0]} = ${short(Object.values(r.point)[0]!)}` : at(r.point)} · ${iterations(r.iterations)}${r.safeguard ? ` · ${r.safeguard}` : ''}`
        : `no root: ${r.message}`;
    case 'minimize': case 'maximize':
      // what was found, or, when it is not what was sought, only where the run stopped
      return `${r.reason === 'saddle' ? `not a ${r.kind === 'minimize' ? 'minimum' : 'maximum'}: f` : r.converged ? `${r.kind === 'minimize' ? 'minimum' : 'maximum'} f` : 'not converged: last point f'} = ${short(r.value)} at ${at(r.point)} · ${iterations(r.iterations)} · ${methodName(r.method)}`;
    case 'lagrange':
      return r.answer ? `${r.message}` : r.message;
    case 'fit':
      return `${r.parameters.map((p) => `${p.name} = ${short(p.value)} ± ${short(p.stderr)}`).join(', ')} · χ²/dof = ${short(r.reducedChi2)}${r.converged ? '' : ' · not converged'}`;
    case 'value': return r.expr ? toCalc(r.expr) : JSON.stringify(r.value);
    case 'taylor': return toCalc(r.shiftedExpr);
    case 'check': case 'expect': return r.message;
  }
}

/** "1 iteration", "12 iterations". */
function iterations(n: number): string {
  return `${n} iteration${n === 1 ? '' : 's'}`;
}

/** A number of a run's summary: 6 significant digits, as values and Lagrange candidates are shown. */
function short(x: number): string {
  if (!Number.isFinite(x)) return fmt(x);
  if (x !== 0 && (Math.abs(x) < 1e-4 || Math.abs(x) >= 1e6)) return x.toExponential(5).replace(/\.?0+e/, 'e');
  return String(Number(x.toPrecision(6)));
}
