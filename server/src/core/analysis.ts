/**
 * The analysis of a whole document: parse, load data, resolve names, and work out
 * every statement that is cheap to work out (values, derivatives, Taylor
 * polynomials, checks, expects). Statements that run a numerical method (root,
 * minimize, maximize, fit) run on request through `runStatement` (run.ts).
 *
 * `analyze(text)` never throws on user input: every problem is a diagnostic.
 */
import { type Expr, ExprTooLarge, freeSymbols, num, substitute } from './calculus/expr';
import { simplify } from './calculus/simplify';
import { derivativesAtPoint, hessianAtPoint } from './calculus/compile';
import type { ExpectResult, Point, StatementResult, TaylorResult, ValueResult, CheckResult } from './results';
import { loadData, type DataSet, type FileHost } from './semantics/data';
import { evaluate, fmt, isFiniteValue, type Value } from './semantics/evaluate';
import { describeShape, freeVariables, LowerError, Lowering, NO_NAMES } from './semantics/lower';
import { resolveNames, type SymbolTable } from './semantics/names';
import type { Expression, PlotStatement, PointSpec, Program, Span, Statement } from './syntax/ast';
import { isRunnable, someExpression } from './syntax/ast';
import { checkMethodAndOptions } from './analyses/options';
import { Codes, type Diagnostic } from './syntax/diagnostics';
import { parse } from './syntax/parser';
import { taylorStatement } from './analyses/taylor';
import { checkStatement } from './analyses/check';
import { expectStatement } from './analyses/expect';
import { StatementMap, statementIndex } from './statementMap';
import { contentHash } from './contentHash';

export interface AnalyzeOptions {
  /** Reads data files named in `csv("...")`. Without one, csv data reports that it cannot be read. */
  readonly host?: FileHost;
  /** Time budget for the cheap statements, in milliseconds (default 2000); past it, later results are left out. */
  readonly budgetMs?: number;
  /**
   * False to stop after parsing, data and names (fast on any size of document): no statement is
   * worked out, so evaluation diagnostics (domain warnings, expect) and results are absent, except
   * those that `previous` already knows; the statements still to evaluate are `pending`.
   */
  readonly evaluate?: boolean;
  /**
   * The outcomes of an earlier analysis, normally of an earlier version of the same document. A
   * statement whose text, and the text of every definition it depends on (and their data), are
   * unchanged takes its result and diagnostics from there instead of being worked out again:
   * after an edit, only what the edit can affect is evaluated.
   */
  readonly previous?: Pick<Analysis, 'outcomes'>;
  /**
   * Asked before each statement that is to be worked out, until it answers true: then that statement
   * and the later ones are left pending, as past the budget, except those whose outcome is reused (the
   * server's evaluation worker stops an evaluation of a version that a newer one has replaced). What
   * was worked out or reused is in `outcomes`.
   */
  readonly shouldStop?: () => boolean;
}

export interface Analysis {
  readonly text: string;
  readonly program: Program;
  readonly diagnostics: readonly Diagnostic[];
  /** The diagnostics of parsing, data, names and method names: `diagnostics` without what evaluation found. */
  readonly syntaxDiagnostics: readonly Diagnostic[];
  readonly symbols: SymbolTable;
  readonly data: ReadonlyMap<string, DataSet>;
  /** Results of the cheap statements, by statement. */
  readonly results: ReadonlyMap<Statement, StatementResult>;
  /** Statements whose own range has an error (they are not evaluated). */
  readonly broken: ReadonlySet<Statement>;
  /** The lowering used, shared with later requests (hover, run) so that function bodies are lowered once. */
  readonly lowering: Lowering;
  /** Outcomes that can be reused by key in another version (`previous`). */
  readonly outcomes: ReadonlyMap<string, StatementOutcome>;
  /** Every statement worked out or reused here, with its key and outcome. */
  readonly evaluated: ReadonlyMap<Statement, { readonly key: string; readonly outcome: StatementOutcome }>;
  /** Statements to work out that were not (`evaluate: false`, or past the time budget). */
  readonly pending: readonly Statement[];
  /**
   * The key of a statement of this program (undefined for any other): a 64-bit hash of its text
   * and, for every definition it uses, directly or through others, that definition's text (and a
   * csv data set's values). Two statements, in this version or another, with the same key have
   * the same outcome wherever they are; the server keeps the results of runs (minimize, fit, ...)
   * under it.
   */
  readonly keyOf: (s: Statement) => string | undefined;
}

/** What working out one statement gave, with diagnostics relative to the statement's start. */
export interface StatementOutcome {
  readonly result: StatementResult | undefined;
  readonly diagnostics: readonly Diagnostic[];
  /**
   * False when a diagnostic lies outside the statement (in a definition it uses): such an
   * outcome holds only where it was found, and is never reused.
   */
  readonly portable: boolean;
}

/**
 * Analyses a document.
 * `analyze('a = 2\na^2').results` holds the value 4 for the second line.
 */
export function analyze(text: string, options: AnalyzeOptions = {}): Analysis {
  const { program, diagnostics } = parse(text);
  const all: Diagnostic[] = [...diagnostics];

  const data = new Map<string, DataSet>();
  const columns = new Map<string, readonly string[]>();
  for (const s of program.statements) {
    if (s.kind !== 'data') continue;
    const loaded = loadData(s, options.host);
    all.push(...loaded.diagnostics);
    if (loaded.data && !data.has(s.name.name)) {
      data.set(s.name.name, loaded.data);
      columns.set(s.name.name, loaded.data.columns);
    }
  }

  const names = resolveNames(program, columns);
  all.push(...names.diagnostics);
  const lowering = new Lowering(names.symbols);

  // Method and option names are checked as they are typed, not only when a statement runs.
  for (const s of program.statements) {
    if (isRunnable(s)) {
      try { checkMethodAndOptions(s); } catch (e) { all.push(diagnosticFor(e, s)); }
    }
  }

  const uses = dependencies(program, names.symbols);
  const brokenAt = brokenStatements(program, text, all, !diagnostics.some((d) => d.severity === 'error'), uses);
  const broken = new Set(program.statements.filter((_, i) => brokenAt[i]));
  const syntaxDiagnostics = [...all].sort(byPosition);
  const results = new StatementMap<StatementResult>(program.statements);
  const outcomes = new Map<string, StatementOutcome>();
  const evaluated = new StatementMap<{ key: string; outcome: StatementOutcome }>(program.statements);
  const pending: Statement[] = [];
  const working = options.evaluate !== false;
  const deadline = Date.now() + (options.budgetMs ?? 2000);
  const shouldStop = options.shouldStop;
  let stopped = false;
  const ctx: StatementContext = { lowering, symbols: names.symbols, data, diagnostics: all };
  // Keys cost a pass over the definitions: not needed when nothing is worked out or reused.
  const keyOf = working || options.previous ? dependencyKeys(program, text, uses, data) : undefined;

  const statements = program.statements;
  for (let i = 0; i < statements.length; i++) {
    const s = statements[i]!;
    if (brokenAt[i] || !evaluates(s)) continue;
    if (!keyOf) { pending.push(s); continue; }
    const key = keyOf(i);
    // the same statement with the same definitions, earlier in this version or in the last one
    const reused = outcomes.get(key) ?? options.previous?.outcomes.get(key);
    if (reused) {
      if (reused.result) results.setAt(i, reused.result);
      for (const d of reused.diagnostics) all.push(moved(d, s.start));
      outcomes.set(key, reused);
      evaluated.setAt(i, { key, outcome: reused });
      continue;
    }
    if (!stopped && shouldStop?.()) stopped = true;
    if (!working || stopped || Date.now() > deadline) { pending.push(s); continue; }
    const before = all.length;
    try {
      const r = evaluateStatement(ctx, s);
      if (r) results.setAt(i, r);
    } catch (e) {
      all.push(diagnosticFor(e, s)); // nothing a statement does throws out of the analysis
    }
    const found = all.length === before ? NONE : all.slice(before);
    let portable = true;
    for (const d of found) if (d.offset < s.start || d.offset + d.length > s.end) portable = false;
    const outcome: StatementOutcome = { result: results.getAt(i), diagnostics: found === NONE ? NONE : found.map((d) => moved(d, -s.start)), portable };
    if (portable) outcomes.set(key, outcome);
    evaluated.setAt(i, { key, outcome });
  }

  all.sort(byPosition);
  let keys = keyOf;
  const statementKey = (s: Statement): string | undefined => {
    const i = statementIndex(statements, s);
    if (i < 0) return undefined;
    keys ??= dependencyKeys(program, text, uses, data);
    return keys(i);
  };
  return { text, program, diagnostics: all, syntaxDiagnostics, symbols: names.symbols, data, results, broken, lowering, outcomes, evaluated, pending, keyOf: statementKey };
}

/** No variables: the value of a line without free variables (shared, as most lines' values are). */
const NO_VARIABLES: readonly string[] = [];

/** No diagnostics (shared: most statements have none). */
const NONE: readonly Diagnostic[] = Object.freeze([]);

/** The order of diagnostics in an analysis: by offset, then by code. */
export function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.offset - b.offset || a.code - b.code;
}

/** Statements that evaluation works out something for: those with an evaluator. */
function evaluates(s: Statement): boolean {
  return EVALUATORS[s.kind] !== undefined;
}

/** A diagnostic moved by `delta` characters. */
export function moved(d: Diagnostic, delta: number): Diagnostic {
  return {
    ...d, offset: d.offset + delta,
    ...(d.related ? { related: { ...d.related, offset: d.related.offset + delta } } : {}),
    ...(d.fixes ? { fixes: d.fixes.map((f) => ({ ...f, offset: f.offset + delta, ...(f.also ? { also: f.also.map((e) => ({ ...e, offset: e.offset + delta })) } : {}) })) } : {}),
  };
}

/**
 * The definitions (functions, constants, data) each statement uses directly, as indices into
 * the program's statements. References and statements are both in document order, so one
 * merge-like pass finds them. (Arrays by index, not Maps by statement: a Map keyed by objects
 * spread over the heap costs a few cache misses per lookup, and these are looked up often.)
 */
function dependencies(program: Program, symbols: SymbolTable): (number[] | undefined)[] {
  const statements = program.statements;
  const definitionAt = new Map<Statement, number>();
  statements.forEach((s, i) => { if (s.kind === 'function' || s.kind === 'constant' || s.kind === 'data') definitionAt.set(s, i); });
  const uses = new Array<number[] | undefined>(statements.length);
  let k = 0;
  const refs = symbols.references;
  const found: number[] = []; // copied out at its exact length (see Parser.listEnd)
  for (let i = 0; i < statements.length; i++) {
    const s = statements[i]!;
    while (k < refs.length && refs[k]!.span.start < s.start) k++;
    let n = 0;
    for (let j = k; j < refs.length && refs[j]!.span.start <= s.end; j++) {
      const t = refs[j]!.target;
      if (!t || refs[j]!.isDefinition || (t.kind !== 'function' && t.kind !== 'constant' && t.kind !== 'data') || t.statement === s) continue;
      const at = definitionAt.get(t.statement);
      if (at !== undefined) found[n++] = at;
    }
    uses[i] = n === 0 ? undefined : found.slice(0, n);
  }
  return uses;
}

/**
 * A key per statement (by index) that changes whenever anything its outcome depends on
 * changes: a 64-bit hash of its own text and of the keys of the definitions it uses, so
 * recursively of everything it depends on (with a data set's values, which a csv file can
 * change without the text changing). A key is a hash rather than the text it stands for so that
 * it stays short however long the statement and however deep its chain of definitions: keys are
 * looked up for every statement of every version, kept for each outcome, and sent between the
 * threads. A key is a function of the text (and data) alone: the same in the evaluation worker as
 * on the main thread, which look up each other's outcomes by it, and whatever either analysed
 * before. (Ids interned in a table per thread were not: the two threads could give one id to two
 * versions of a definition, and the main thread then showed the old version's outcomes until the
 * worker's came.) A key can mislead only when two different contents share a hash, with a
 * probability of about 2^-64: it then shows an outcome that should have been worked out again,
 * nothing worse.
 */
function dependencyKeys(program: Program, text: string, uses: readonly (readonly number[] | undefined)[], data: ReadonlyMap<string, DataSet>): (i: number) => string {
  const statements = program.statements;
  const keys = new Array<string | undefined>(statements.length);
  const CYCLE = '\u0000cycle'; // a cycle is an error, reported elsewhere; it must not recurse forever
  const keyOf = (i: number): string => {
    const known = keys[i];
    if (known !== undefined) return known;
    keys[i] = CYCLE;
    const d = statements[i]!;
    let more = '';
    if (d.kind === 'data' && d.csv) more += `\u0000${JSON.stringify(data.get(d.name.name) ?? null)}`;
    const deps = uses[i];
    if (deps) more += `\u0001${deps.map(keyOf).join(',')}`;
    const key = contentHash(text, d.start, d.end, more);
    keys[i] = key;
    return key;
  };
  return keyOf;
}

/** What statement evaluators share. */
export interface StatementContext {
  readonly lowering: Lowering;
  readonly symbols: SymbolTable;
  readonly data: ReadonlyMap<string, DataSet>;
  readonly diagnostics: Diagnostic[];
}

/** The diagnostic for an error thrown while analysing statement `s`. */
export function diagnosticFor(e: unknown, s: Statement): Diagnostic {
  if (e instanceof LowerError) {
    // An error inside another definition belongs there; here, name the statement.
    const inside = e.span.start >= s.start && e.span.end <= s.end;
    const span: Span = inside ? e.span : s;
    return {
      code: e.code, severity: 'error', offset: span.start, length: span.end - span.start, message: inside ? e.message : `A definition used here has a problem: ${e.message}`,
      ...(inside && e.fixes ? { fixes: e.fixes } : {}),
    };
  }
  if (e instanceof ExprTooLarge) {
    return { code: Codes.TooLarge, severity: 'error', offset: s.start, length: s.end - s.start, message: `This grows beyond ${e.limit} terms; split it into named parts or lower the order.` };
  }
  if (e instanceof RangeError) {
    return { code: Codes.TooLarge, severity: 'error', offset: s.start, length: s.end - s.start, message: 'This expression is nested too deeply to work with; split it into named parts.' };
  }
  const message = e instanceof Error ? e.message : String(e);
  return { code: Codes.AnalysisFailed, severity: 'error', offset: s.start, length: s.end - s.start, message: `Calc could not analyse this line (${message}). Please report it with the line.` };
}

/**
 * How each kind of statement is worked out during analysis; the kinds without an entry (data,
 * and the statements that run a numerical method) are not. One table, so that which kinds are
 * evaluated (`evaluates`) and how (`evaluateStatement`) cannot drift apart.
 */
const EVALUATORS: { readonly [K in Statement['kind']]?: (ctx: StatementContext, s: Extract<Statement, { kind: K }>) => StatementResult | undefined } = {
  constant: (ctx, s) => {
    const v = ctx.lowering.lower(s.value);
    const value = evaluateReporting(ctx, v, NO_NAMES, s.value);
    return { kind: 'value', value, variables: NO_VARIABLES };
  },
  // Lowering the body finds shape errors and too-large expansions on the definition itself.
  function: (ctx, s) => { ctx.lowering.functionBody(s.name.name); return undefined; },
  expression: (ctx, s) => expressionValue(ctx, s.expr, s.at),
  // (called through arrows: these modules import this one, so their bindings may not exist yet at load time)
  taylor: (ctx, s) => taylorStatement(ctx, s),
  check: (ctx, s) => checkStatement(ctx, s),
  expect: (ctx, s) => expectStatement(ctx, s),
  // What the plot panel would refuse is said here, on the line, as the worksheet is typed.
  plot: (ctx, s) => { checkPlot(ctx, s); return undefined; },
};

/**
 * What a plot statement draws, checked: its targets (each with its expression and variables) and
 * its ranges. Throws a LowerError for a plot that cannot be drawn: a range that does not run from a
 * smaller to a larger number, a target with a vector value, more than two variables, or several
 * functions of two variables. The analysis reports it on the line; the plot panel draws from it.
 */
export function checkPlot(ctx: StatementContext, s: PlotStatement): {
  targets: { e: Expression; expr: Expr; vars: string[]; name?: string }[];
  ranges: { name: string; range: [number, number] }[];
} {
  const targets = s.exprs.map((e) => ({ e, ...targetOf(ctx, e) }));
  const ranges = s.ranges.map((r) => {
    const low = numberOf(ctx, r.low), high = numberOf(ctx, r.high);
    if (!(low < high)) {
      throw new LowerError(Codes.InvalidOption, r, `The range of ${r.name.name} must run from the smaller number to the larger: ${r.name.name} in [${fmt(Math.min(low, high))}, ${fmt(Math.max(low, high))}].`);
    }
    return { name: r.name.name, range: [low, high] as [number, number] };
  });
  // a range must name a variable the plot has (`plot sin(t) over x in …` would draw sin(t) against x)
  const variables = new Set(targets.flatMap((t) => t.vars));
  const stray = variables.size ? s.ranges.find((r) => !variables.has(r.name.name)) : undefined;
  if (stray) {
    const unranged = [...variables].filter((v) => !s.ranges.some((r) => r.name.name === v));
    throw new LowerError(Codes.InvalidTarget, stray.name, `'${stray.name.name}' is not a variable of what is plotted (${[...variables].join(', ')})${unranged.length ? `: give the range of ${unranged[0]}` : ''}.`);
  }
  const vector = targets.find((t) => t.expr.kind === 'vec');
  if (vector) throw new LowerError(Codes.ShapeMismatch, vector.e, 'Only functions with a number for a value can be plotted: plot the components one by one.');
  const names = [...new Set([...targets.flatMap((t) => t.vars), ...ranges.map((r) => r.name)])];
  const dims = Math.max(ranges.length, ...targets.map((t) => t.vars.length));
  if (dims > 2) throw new LowerError(Codes.InvalidTarget, s, `A plot shows one or two variables; this has ${dims} (${names.join(', ')}).`);
  if (dims === 2 && targets.length !== 1) {
    throw new LowerError(Codes.InvalidTarget, s, targets.every((t) => t.vars.length <= 1)
      ? 'Curves of one variable share one axis: give one range, as in plot sin(x), cos(x) over x in [0, 1].'
      : 'A plot of a function of two variables shows one function at a time: give each its own plot line.');
  }
  return { targets, ranges };
}

function evaluateStatement(ctx: StatementContext, s: Statement): StatementResult | undefined {
  const evaluator = EVALUATORS[s.kind] as ((ctx: StatementContext, s: Statement) => StatementResult | undefined) | undefined;
  return evaluator?.(ctx, s);
}

/** The value of an expression line: numeric when it has no free variables (or `at` binds them), else symbolic. */
export function expressionValue(ctx: StatementContext, e: Expression, at: PointSpec | undefined): ValueResult {
  if (!at) {
    const direct = directCall(ctx, e);
    if (direct !== undefined) return { kind: 'value', value: direct, variables: NO_VARIABLES };
  } else {
    const quick = derivativesAt(ctx, e, at);
    if (quick) return quick;
  }
  const { expr, vars } = targetOf(ctx, e);
  if (at) {
    const point = pointFor(ctx, at, vars);
    const value = evaluateReporting(ctx, expr, new Map(Object.entries(point)), e);
    return { kind: 'value', value, variables: vars };
  }
  if (freeVariables(expr).length === 0) {
    return { kind: 'value', value: evaluateReporting(ctx, expr, NO_NAMES, e), variables: NO_VARIABLES };
  }
  const simplified = simplify(expr);
  return { kind: 'value', expr: simplified, variables: vars };
}

/**
 * The value of `grad(f) at [1, 2]` or `jacobian(u) at [1, 2]` (a named function's first
 * derivatives at a point) without simplifying the derivatives, which is most of the work of a
 * symbolic derivative and changes nothing in a value: by automatic differentiation of f's body
 * (a scalar's gradient, a vector's Jacobian), else from the derivatives as the rules give them.
 * Undefined for any other expression, and when that evaluation meets a domain problem or a
 * value that is not finite: the unsimplified form can be undefined where the simplified one
 * is not (`x^2/x` at 0), so the caller then works it out as usual, and what it reports is
 * what the simplified derivatives give.
 */
function derivativesAt(ctx: StatementContext, e: Expression, at: PointSpec): ValueResult | undefined {
  if (e.kind !== 'call' || e.primes !== 0 || e.args.length !== 1 || e.args[0]!.kind !== 'ident') return undefined;
  if (!['grad', 'jacobian', 'hessian'].includes(e.callee.name) || ctx.symbols.globals.has(e.callee.name)) return undefined;
  const f = ctx.lowering.functionBody(e.args[0]!.name);
  if (!f) return undefined;
  // A scalar's gradient, or a vector's Jacobian, by automatic differentiation: the same numbers
  // without building the derivatives. Lowering them could not fail (the other cases are left to
  // it), so the point's problems come first here as on the usual path.
  if ((e.callee.name === 'jacobian') === (f.body.kind === 'vec')) {
    const point = pointFor(ctx, at, f.params);
    const x = f.params.map((p) => point[p]!);
    // a Hessian by forward-over-reverse on the tape: its symbolic form grows as n² derivatives of
    // the body, past the node budget for a loss of a dozen parameters that minimize handles at once
    const value = e.callee.name === 'hessian' ? hessianAtPoint(f.body, f.params, x) : derivativesAtPoint(f.body, f.params, x);
    if (value) return { kind: 'value', value, variables: f.params };
  }
  if (e.callee.name === 'hessian') return undefined;
  // the target before the point, as the usual path does, so that the same problem is reported first
  const expr = ctx.lowering.lowerForValue(e);
  const point = pointFor(ctx, at, f.params);
  const quiet: StatementContext = { ...ctx, diagnostics: [] };
  const value = evaluateReporting(quiet, expr, new Map(Object.entries(point)), e);
  return quiet.diagnostics.length === 0 ? { kind: 'value', value, variables: f.params } : undefined;
}

/**
 * The value of `f(1, 2)`, a call of a user function with numbers for arguments (the most common
 * expression line), by evaluating f's body with its parameters bound, without building the body
 * with the numbers put in; undefined for any other expression. A domain problem inside the body
 * is reported on the call, as it is when the body is put in.
 */
function directCall(ctx: StatementContext, e: Expression): Value | undefined {
  if (e.kind !== 'call' || e.primes !== 0) return undefined;
  const f = ctx.lowering.functionBody(e.callee.name);
  if (!f || f.params.length !== e.args.length) return undefined;
  const env = new Map<string, number>();
  for (let i = 0; i < e.args.length; i++) {
    const arg = numberIn(ctx.lowering.lower(e.args[i]!));
    if (arg === undefined) return undefined;
    env.set(f.params[i]!, arg);
  }
  return evaluateReporting(ctx, f.body, env, e, false);
}

/** The number a lowered literal stands for: `2.5`, or `-2.5` (lowered as -1·2.5); else undefined. */
function numberIn(e: Expr): number | undefined {
  if (e.kind === 'num') return e.value;
  if (e.kind === 'mul' && e.factors.length === 2) {
    const [a, b] = e.factors as [Expr, Expr];
    if (a.kind === 'num' && b.kind === 'num') return a.value * b.value;
  }
  return undefined;
}

/**
 * The expression a statement works on and its variables, in order: an operator applied to a
 * function name (`grad(f)`, `jacobian u`) and a bare function name use the function's parameters;
 * anything else, its free variables in alphabetical order.
 */
export function targetOf(ctx: StatementContext, e: Expression): { expr: Expr; vars: string[]; name?: string } {
  if (e.kind === 'ident') {
    const f = ctx.lowering.functionBody(e.name);
    if (f) return { expr: f.body, vars: f.params, name: e.name };
  }
  const expr = ctx.lowering.lower(e);
  if (e.kind === 'call' && e.args[0]?.kind === 'ident' && ['grad', 'jacobian', 'hessian'].includes(e.callee.name)) {
    const f = ctx.lowering.functionBody(e.args[0].name);
    if (f) return { expr, vars: f.params, name: e.args[0].name };
  }
  return { expr, vars: freeVariables(expr) };
}

/**
 * The numeric point of an `at`, `from` or `near` clause, for the given variables.
 * A vector gives the values in the variables' order; named values must name every variable.
 */
export function pointFor(ctx: StatementContext, spec: PointSpec, vars: readonly string[]): Point {
  const point: Point = {};
  if (spec.kind === 'vector-point') {
    const items = spec.vector.items;
    // `at p`, where p is a vector of the right length (p = [1, 2]): its values
    let count = items.length;
    if (items.length === 1 && vars.length !== 1) {
      const whole = ctx.lowering.lower(items[0]!);
      if (whole.kind === 'vec') count = whole.items.length;
      if (whole.kind === 'vec' && whole.items.length === vars.length && whole.items.every((it) => it.kind !== 'vec') && freeVariables(whole).length === 0) {
        const values = evaluate(whole, NO_NAMES) as number[];
        vars.forEach((v, i) => { point[v] = values[i]!; });
        return point;
      }
    }
    if (count !== vars.length) {
      throw new LowerError(Codes.PointLength, spec,
        `This point has ${count} value${count === 1 ? '' : 's'}, but there ${vars.length === 1 ? 'is 1 variable' : `are ${vars.length} variables`} (${vars.join(', ') || 'none'}), in this order.`);
    }
    items.forEach((item, i) => { point[vars[i]!] = numberOf(ctx, item); });
    return point;
  }
  for (const b of spec.bindings) {
    if (!vars.includes(b.name.name)) {
      throw new LowerError(Codes.PointLength, b.name, `'${b.name.name}' is not a variable here; the variables are ${vars.join(', ') || 'none'}.`);
    }
    point[b.name.name] = numberOf(ctx, b.value);
  }
  const missing = vars.filter((v) => !(v in point));
  if (missing.length) {
    throw new LowerError(Codes.PointLength, spec, `Give a value for ${missing.join(' and ')} too: every variable (${vars.join(', ')}) needs one.`);
  }
  // Keep the variables' order.
  return Object.fromEntries(vars.map((v) => [v, point[v]!]));
}

/** The number an expression stands for (constants allowed; no free variables). */
export function numberOf(ctx: StatementContext, e: Expression): number {
  const expr = ctx.lowering.lower(e);
  const free = freeVariables(expr);
  if (free.length) throw new LowerError(Codes.EvaluationError, e, `Expected a number here, but '${free[0]}' has no value.`);
  const v = evaluate(expr, NO_NAMES);
  if (typeof v !== 'number') throw new LowerError(Codes.ShapeMismatch, e, `Expected a number here, not ${describeShape(shape(v))}.`);
  if (!Number.isFinite(v)) throw new LowerError(Codes.EvaluationError, e, 'This value is not a finite number.');
  return v;
}

function shape(v: Value): number[] {
  return typeof v === 'number' ? [] : [v.length, ...(v.length ? shape(v[0]!) : [])];
}

/** Evaluates, reporting domain problems as warnings on the source they came from. */
export function evaluateReporting(ctx: StatementContext, expr: Expr, env: ReadonlyMap<string, number>, fallback: Span, atOrigins = true): Value {
  let reported: Set<string> | undefined; // made at the first problem: most evaluations meet none
  const value = evaluate(expr, env, (issue) => {
    const span = (atOrigins ? ctx.lowering.origins.get(issue.node) : undefined) ?? fallback;
    const key = `${span.start}:${issue.message}`;
    reported ??= new Set();
    if (reported.has(key)) return;
    reported.add(key);
    ctx.diagnostics.push({ code: Codes.DomainWarning, severity: 'warning', offset: span.start, length: span.end - span.start, message: issue.message });
  });
  if (!isFiniteValue(value) && reported === undefined) {
    ctx.diagnostics.push({ code: Codes.DomainWarning, severity: 'warning', offset: fallback.start, length: fallback.end - fallback.start, message: 'The result is not a finite number (an overflow or an undefined operation).' });
  }
  return value;
}

/**
 * Statements that are not evaluated (true at their index): those whose range holds an error
 * diagnostic or a missing piece, and those that use a broken definition (so one mistake is
 * reported once, not on every use).
 */
function brokenStatements(program: Program, text: string, diagnostics: readonly Diagnostic[], parsedCleanly: boolean, uses: readonly (readonly number[] | undefined)[]): boolean[] {
  const stmts = program.statements;
  const broken = new Array<boolean>(stmts.length).fill(false);
  for (let i = 0; i < stmts.length; i++) if (stmts[i]!.kind === 'invalid') broken[i] = true;
  // An error breaks the statement it lies in, or the one on its line: a character the scanner
  // skipped (`|x - 1|`, `√x`) lies just before or after the statement's tokens.
  const sameLine = (from: number, to: number): boolean => !/[\r\n]/.test(text.slice(from, to));
  for (const d of diagnostics) {
    if (d.severity !== 'error') continue;
    let lo = 0, hi = stmts.length - 1, k = -1; // the last statement starting at or before the error
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (stmts[mid]!.start <= d.offset) { k = mid; lo = mid + 1; } else hi = mid - 1;
    }
    if (k >= 0 && (d.offset <= stmts[k]!.end || sameLine(stmts[k]!.end, d.offset))) broken[k] = true;
    else if (k + 1 < stmts.length && sameLine(d.offset, stmts[k + 1]!.start)) broken[k + 1] = true;
  }
  // A missing piece comes with a parse error: without one, no statement has one.
  if (!parsedCleanly) {
    for (let i = 0; i < stmts.length; i++) {
      if (broken[i]) continue;
      if (someExpression(stmts[i]!, (e) => e.kind === 'missing')) broken[i] = true;
    }
  }
  // Propagate to a fixed point; each pass marks at least one more statement or stops.
  for (let changed = true; changed;) {
    changed = false;
    for (let i = 0; i < stmts.length; i++) {
      const deps = uses[i];
      if (!broken[i] && deps && deps.some((d) => broken[d])) { broken[i] = true; changed = true; }
    }
  }
  return broken;
}

/** Substitutes a point into an expression and evaluates it to a number. */
export function valueAt(expr: Expr, point: Point): number {
  const v = evaluate(expr, new Map(Object.entries(point)));
  return typeof v === 'number' ? v : NaN;
}

export { fmt, freeSymbols, num, substitute };
export type { CheckResult, ExpectResult, TaylorResult };
