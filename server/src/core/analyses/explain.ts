/**
 * Explanations for hovers: what a student should see about a function or a statement,
 * as plain data (no LSP types, no markdown). The language service lays it out and
 * typesets it; the CLI or a webview could print the same data.
 *
 * Two levels:
 * - structured results (`explainFunction`, `explainChain`), which tests check against
 *   known derivatives, values and verdicts;
 * - `Explanation`s: titled blocks of rows, each row a left side and a right side already
 *   printed in Unicode and LaTeX, with the text to copy as LaTeX, NumPy or JavaScript.
 */
import {
  type CriticalPointKind, type Expr, type Vec, ExprTooLarge, classifyCriticalPoint, compile, compileGradient, compileHessian,
  compileJacobian, compileVector, derivative, gradient, jacobian, latexName, num, partialName, partialNameLatex, shapeOf,
  simplify, size, superscript, sym, toJavaScript, toLatex, toPython, toUnicode, vec,
} from '../calculus/index';
import type { Analysis, StatementContext } from '../analysis';
import { numberOf, pointFor } from '../analysis';
import type { Point, StatementResult } from '../results';
import { BUILTINS } from '../semantics/builtins';
import type { Value } from '../semantics/evaluate';
import type { Call, Expression, FunctionDefinition, Statement } from '../syntax/ast';

// ---------------------------------------------------------------- limits

/**
 * A point is critical when ‖∇f(x)‖∞ ≤ CRITICAL_GRADIENT_TOLERANCE · max(1, |f(x)|).
 * Relative to |f| because the gradient carries the units of f; the floor of 1 keeps a
 * function that is tiny near its minimum (x² at 1e-9) from needing an absolute zero.
 * The gradient comes from automatic differentiation, exact to rounding, so 1e-8 leaves
 * room for rounding while rejecting any honest slope.
 */
export const CRITICAL_GRADIENT_TOLERANCE = 1e-8;
/** Above this many variables the symbolic Hessian is left out (n² entries); the numeric one at a point is still shown. */
export const MAX_SYMBOLIC_HESSIAN_VARS = 12;
/** Above this many variables nothing is computed at a point (n Hessian sweeps, an n×n eigenproblem). */
export const MAX_NUMERIC_VARS = 100;
/** Node budget for the symbolic forms in a hover: past it a part is left out with a note, never a long wait. */
export const EXPLAIN_MAX_NODES = 20_000;
/**
 * The largest symbolic Hessian shown, in nodes over all its entries: past it nobody reads
 * the matrix (a two-layer network's has tens of thousands), so it is left out with a note
 * and its computation stops early.
 */
export const MAX_HESSIAN_NODES = 4_000;
/** Significant digits of numbers shown (the copies keep full precision). */
export const DISPLAY_DIGITS = 6;

// ---------------------------------------------------------------- structured results

/** The values of a function and its derivatives at a point. */
export interface PointValues {
  readonly point: Point;
  readonly value: Value;
  /** ∇f, for a scalar function. */
  readonly gradient?: number[];
  /** J, for a vector-valued function. */
  readonly jacobian?: number[][];
  readonly hessian?: number[][];
  /** The Hessian's eigenvalues, ascending. */
  readonly eigenvalues?: number[];
  /** ‖∇f‖∞ */
  readonly gradientNorm?: number;
  /** Set when the gradient vanishes (see CRITICAL_GRADIENT_TOLERANCE): the second-derivative test's verdict. */
  readonly critical?: CriticalPointKind;
}

/** One factor pair of the chain rule: ∂f/∂xᵢ (at the inner functions) times ∂xᵢ/∂t. */
export interface ChainFactor {
  /** The outer function's parameter xᵢ. */
  readonly param: string;
  /** The inner function xᵢ(t), in the composite's variables. */
  readonly inner: Expr;
  /** ∂f/∂xᵢ in the outer function's own parameters. */
  readonly outerPartial: Expr;
  /** ∂xᵢ/∂t */
  readonly innerDerivative: Expr;
}

/** The chain rule for one variable t of the composite g(t) = f(x₁(t), …, xₖ(t)). */
export interface ChainTerm {
  readonly variable: string;
  readonly factors: readonly ChainFactor[];
  /** dg/dt, simplified. */
  readonly total: Expr;
  /** At a point: each factor's two values and their sum. */
  readonly at?: { readonly outer: readonly number[]; readonly inner: readonly number[]; readonly total: number };
}

/** g(t) = f(x₁(t), …): the multivariate chain rule dg/dt = Σᵢ ∂f/∂xᵢ · dxᵢ/dt, factor by factor. */
export interface ChainRule {
  readonly outer: string;
  readonly outerParams: readonly string[];
  readonly variables: readonly string[];
  readonly terms: readonly ChainTerm[];
  /** The point (in the composite's variables) and the inner functions' values there, when there is one. */
  readonly point?: readonly number[];
  readonly innerValues?: readonly number[];
}

export interface FunctionExplanation {
  readonly name: string;
  readonly params: readonly string[];
  /** The body with user functions inlined, simplified. */
  readonly body: Expr;
  readonly valued: 'scalar' | 'vector';
  /** ∇f = (∂f/∂x₁, …), for a scalar function. */
  readonly gradient?: Vec;
  /** J[i][j] = ∂uᵢ/∂xⱼ, for a vector-valued function. */
  readonly jacobian?: Vec;
  /** H[i][j] = ∂²f/∂xᵢ∂xⱼ, for a scalar function. */
  readonly hessian?: Vec;
  readonly chain?: ChainRule;
  readonly at?: PointValues;
  /** The parts left out, and why. */
  readonly notes: readonly string[];
}

/** What explanations need from an analysis. */
export type ExplainContext = Pick<Analysis, 'lowering' | 'symbols' | 'data'>;

const simplifyOpts = { maxNodes: EXPLAIN_MAX_NODES };

/**
 * The derivatives of a user function, and their values at a point when one is given.
 * Never throws: an unknown or broken function gives undefined, a part that grows too
 * large is left out with a note.
 *
 * @example
 * explainFunction(analyze('f(x, y) = x^2*y'), 'f', [1, 2])
 * // gradient [2*x*y, x^2], hessian [[2*y, 2*x], [2*x, 0]], at: value 2, gradient [4, 1]
 */
export function explainFunction(ctx: ExplainContext, name: string, point?: readonly number[]): FunctionExplanation | undefined {
  let f: { params: string[]; body: Expr } | undefined;
  try {
    f = ctx.lowering.functionBody(name);
  } catch {
    return undefined;
  }
  if (!f) return undefined;
  const { params } = f;
  const notes: string[] = [];
  const body = attempt(() => simplify(f.body, simplifyOpts), notes, 'The simplified form') ?? f.body;
  const valued = body.kind === 'vec' ? 'vector' : 'scalar';
  let grad: Vec | undefined, jac: Vec | undefined, hess: Vec | null | undefined;
  if (params.length > 0) {
    if (valued === 'scalar') {
      grad = attempt(() => gradient(body, params, simplifyOpts), notes, 'The gradient');
      if (grad && params.length > MAX_SYMBOLIC_HESSIAN_VARS) {
        notes.push(`The symbolic Hessian is left out: ${params.length} variables give ${params.length ** 2} entries (the limit is ${MAX_SYMBOLIC_HESSIAN_VARS} variables).`);
      } else if (grad) {
        hess = attempt(() => boundedHessian(grad!, params), notes, 'The Hessian');
        if (hess === null) {
          notes.push(`The symbolic Hessian is left out: it has more than ${MAX_HESSIAN_NODES} terms. Hover a call with numbers, such as ${name}(${params.map(() => '1').join(', ')}), for its value there.`);
        }
      }
    } else if (shapeOf(body).length === 1) {
      jac = attempt(() => jacobian(body, params, simplifyOpts), notes, 'The Jacobian');
    }
  }
  const chain = explainChain(ctx, name, point);
  const at = point && point.length === params.length ? valuesAt(f.body, params, point, valued, notes) : undefined;
  return {
    name, params, body, valued, notes,
    ...(grad ? { gradient: grad } : {}), ...(jac ? { jacobian: jac } : {}), ...(hess ? { hessian: hess } : {}),
    ...(chain ? { chain } : {}), ...(at ? { at } : {}),
  };
}

/** Runs a symbolic step, turning "too large" into a note instead of an error. */
function attempt<T>(f: () => T, notes: string[], what: string): T | undefined {
  try {
    return f();
  } catch (e) {
    if (e instanceof ExprTooLarge || e instanceof RangeError) {
      notes.push(`${what} is left out: it grows beyond ${EXPLAIN_MAX_NODES} terms.`);
      return undefined;
    }
    throw e;
  }
}

/**
 * H[i][j] = ∂(∂f/∂xᵢ)/∂xⱼ from the gradient already at hand, entries on and above the
 * diagonal mirrored below (Schwarz's theorem, as the engine's `hessian` does); null as soon
 * as the entries pass MAX_HESSIAN_NODES in total. The engine's `hessian` has no total budget
 * and would recompute the gradient.
 */
function boundedHessian(grad: Vec, params: readonly string[]): Vec | null {
  const n = params.length;
  const H: Expr[][] = Array.from({ length: n }, () => new Array<Expr>(n));
  let total = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const h = derivative(grad.items[i]!, params[j]!, simplifyOpts);
      total += size(h) * (i === j ? 1 : 2);
      if (total > MAX_HESSIAN_NODES) return null;
      H[i]![j] = h;
      H[j]![i] = h;
    }
  }
  return vec(H.map((r) => vec(r)));
}

/** Value, gradient or Jacobian, Hessian and its eigenvalues at a point, by automatic differentiation. */
function valuesAt(body: Expr, params: readonly string[], x: readonly number[], valued: 'scalar' | 'vector', notes: string[]): PointValues | undefined {
  const point: Point = Object.fromEntries(params.map((p, i) => [p, x[i]!]));
  if (params.length > MAX_NUMERIC_VARS) {
    notes.push(`Values at the point are left out: more than ${MAX_NUMERIC_VARS} variables.`);
    return undefined;
  }
  if (valued === 'vector') {
    const value = compileVector(body, params)(x) as Value;
    if (shapeOf(body).length !== 1) return { point, value };
    return { point, value, jacobian: compileJacobian(body, params)(x) };
  }
  const g = new Float64Array(params.length);
  const value = params.length ? compileGradient(body, params)(x, g) : compile(body, params)(x);
  if (params.length === 0) return { point, value };
  const grad = Array.from(g);
  const H = compileHessian(body, params)(x);
  const { eigenvalues, kind } = classifyCriticalPoint(H);
  const gradientNorm = Math.max(...grad.map(Math.abs));
  const critical = Number.isFinite(value) && gradientNorm <= CRITICAL_GRADIENT_TOLERANCE * Math.max(1, Math.abs(value));
  return { point, value, gradient: grad, hessian: H, eigenvalues, gradientNorm, ...(critical ? { critical: kind } : {}) };
}

/**
 * The chain rule made visible, for a function whose body is a call of another user
 * function with arguments that are not just names: g(t) = f(cos(t), sin(t)).
 * Identity used: dg/dt = Σᵢ ∂f/∂xᵢ(x(t)) · dxᵢ/dt (the multivariate chain rule).
 *
 * @example
 * explainChain(analyze('f(x, y) = x*y\ng(t) = f(cos(t), sin(t))'), 'g')
 * // terms[0].factors: ∂f/∂x = y with dx/dt = -sin(t); ∂f/∂y = x with dy/dt = cos(t)
 */
export function explainChain(ctx: ExplainContext, name: string, point?: readonly number[]): ChainRule | undefined {
  try {
    const def = ctx.symbols.globals.get(name);
    if (def?.kind !== 'function') return undefined;
    const stmt = def.statement as FunctionDefinition;
    const top = stmt.body;
    if (top.kind !== 'call' || top.primes !== 0) return undefined;
    const outerDef = ctx.symbols.globals.get(top.callee.name);
    if (outerDef?.kind !== 'function' || outerDef.name === name) return undefined;
    if (top.args.every((a) => a.kind === 'ident')) return undefined;
    const outer = ctx.lowering.functionBody(outerDef.name);
    if (!outer || outer.body.kind === 'vec' || outer.params.length !== top.args.length) return undefined;
    const variables = stmt.params.map((p) => p.name);
    const scope = new Map(variables.map((v) => [v, sym(v)] as [string, Expr]));
    const inners = top.args.map((a) => ctx.lowering.lower(a, scope));
    if (inners.some((e) => e.kind === 'vec')) return undefined;
    const outerPartials = outer.params.map((p) => derivative(outer.body, p, simplifyOpts));
    const composed = ctx.lowering.functionBody(name)!.body;
    const x = point && point.length === variables.length ? point : undefined;
    const innerValues = x ? inners.map((e) => compile(e, variables)(x)) : undefined;
    const outerValues = innerValues ? outerPartials.map((d) => compile(d, outer.params)(innerValues)) : undefined;
    const terms: ChainTerm[] = variables.map((v) => {
      const factors = outer.params.map((param, i) => ({
        param, inner: simplify(inners[i]!, simplifyOpts), outerPartial: outerPartials[i]!,
        innerDerivative: derivative(inners[i]!, v, simplifyOpts),
      }));
      const total = derivative(composed, v, simplifyOpts);
      if (!x || !outerValues) return { variable: v, factors, total };
      const inner = factors.map((fa) => compile(fa.innerDerivative, variables)(x));
      return { variable: v, factors, total, at: { outer: outerValues, inner, total: outerValues.reduce((s, o, i) => s + o * inner[i]!, 0) } };
    });
    return { outer: outerDef.name, outerParams: outer.params, variables, terms, ...(x && innerValues ? { point: x, innerValues } : {}) };
  } catch {
    // A broken or too-large definition has its own diagnostic; the hover just leaves the chain out.
    return undefined;
  }
}

// ---------------------------------------------------------------- explanations as blocks

/** A piece of mathematics printed two ways. */
export interface Printed {
  readonly unicode: string;
  readonly latex: string;
}

/** `lhs = rhs` (or `lhs ≈ rhs`); a row without lhs is a continuation. */
export interface Row {
  readonly lhs?: Printed;
  readonly relation?: '=' | '≈';
  readonly rhs: Printed;
}

/** The same result as code, for the Copy links. */
export interface Copies {
  readonly latex: string;
  readonly python: string;
  readonly javascript: string;
}

export type Block =
  | { readonly kind: 'math'; readonly title?: string; readonly rows: readonly Row[]; readonly copy?: Copies }
  | { readonly kind: 'text'; readonly text: string; readonly markdown?: boolean }
  | { readonly kind: 'table'; readonly header: readonly string[]; readonly rows: readonly (readonly string[])[] };

export interface Explanation {
  /** One line naming what is explained: "f(x, y)", "sin", "minimize". */
  readonly title: string;
  readonly blocks: readonly Block[];
}

/** Prints an expression both ways. */
export function printed(e: Expr): Printed {
  return { unicode: toUnicode(e), latex: toLatex(e) };
}

/** The copies of an expression for the Copy links. */
export function copiesOf(e: Expr): Copies {
  return { latex: toLatex(e), python: toPython(e), javascript: toJavaScript(e) };
}

const row = (lhs: Printed | undefined, rhs: Printed, relation: '=' | '≈' = '='): Row => (lhs ? { lhs, relation, rhs } : { rhs });
const label = (unicode: string, latex: string): Printed => ({ unicode, latex });

/** A number rounded for display: 6 significant digits, no negative zero. */
export function roundForDisplay(x: number): number {
  if (!Number.isFinite(x)) return x;
  const r = Number(x.toPrecision(DISPLAY_DIGITS));
  return r === 0 ? 0 : r;
}

/** A numeric value as an Expr, for the printers; `round` rounds every entry for display. */
export function valueExpr(v: Value | readonly number[] | readonly (readonly number[])[], round = true): Expr {
  if (typeof v === 'number') return num(round ? roundForDisplay(v) : v);
  return vec((v as readonly Value[]).map((x) => valueExpr(x, round)));
}

function callText(name: string, params: readonly string[]): Printed {
  return label(`${name}(${params.join(', ')})`, `${latexName(name)}\\left(${params.map(latexName).join(', ')}\\right)`);
}

function pointText(values: readonly number[]): Printed {
  const shown = values.map((v) => toUnicode(num(roundForDisplay(v))));
  const latex = values.map((v) => toLatex(num(roundForDisplay(v))));
  return label(`(${shown.join(', ')})`, `\\left(${latex.join(', ')}\\right)`);
}

/**
 * The hover's blocks for a function: its definition, partial derivatives with the gradient
 * (or Jacobian), the Hessian, the chain rule for a composite, and the values at the point.
 *
 * @example describeFunction(explainFunction(analyze('f(x, y) = x^2*y'), 'f')!).blocks[1]
 * // rows ∂f/∂x = 2xy and ∂f/∂y = x², copy ∇f as LaTeX, NumPy and JavaScript
 */
export function describeFunction(fe: FunctionExplanation): Explanation {
  const { name, params } = fe;
  const one = params.length === 1;
  const blocks: Block[] = [];
  blocks.push({ kind: 'math', rows: [row(callText(name, params), printed(fe.body))], copy: copiesOf(fe.body) });

  const d = (vars: string[]): Printed => label(partialName(name, vars, { ordinary: one }), partialNameLatex(name, vars, { ordinary: one }));
  // A composite's chain-rule blocks end with each partial derivative; the plain list would repeat them.
  if (fe.gradient && !fe.chain) {
    const rows = fe.gradient.items.map((g, i) => row(d([params[i]!]), printed(g)));
    // ∇f as a vector repeats the rows above; worth a line only while it stays short
    if (!one && params.length <= 3) rows.push(row(label(`∇${name}`, `\\nabla ${latexName(name)}`), printed(fe.gradient)));
    blocks.push({ kind: 'math', title: one ? 'Derivative' : 'Partial derivatives and gradient', rows, copy: copiesOf(one ? fe.gradient.items[0]! : fe.gradient) });
  }
  if (fe.jacobian) {
    blocks.push({
      kind: 'math', title: 'Jacobian',
      rows: [row(label(`J${subscriptText(name)}`, `J_{${latexName(name)}}`), printed(fe.jacobian))],
      copy: copiesOf(fe.jacobian),
    });
  }
  // a composite's first derivatives come from its chain rule, before the second ones
  if (fe.chain) blocks.push(...describeChain(fe.chain, name));
  if (fe.hessian) {
    const h = one ? (fe.hessian.items[0] as Vec).items[0]! : fe.hessian;
    const lhs = one ? d([params[0]!, params[0]!]) : label(`H${subscriptText(name)}`, `H_{${latexName(name)}}`);
    blocks.push({ kind: 'math', title: one ? 'Second derivative' : 'Hessian', rows: [row(lhs, printed(h))], copy: copiesOf(h) });
  }
  if (fe.at) blocks.push(...describePoint(fe, fe.at));
  for (const note of fe.notes) blocks.push({ kind: 'text', text: note });
  return { title: `${name}(${params.join(', ')})`, blocks };
}

/** "ᵤ" style subscript for a one-letter name when Unicode has it, else "_name". */
function subscriptText(name: string): string {
  const SUB: Record<string, string> = {
    a: 'ₐ', e: 'ₑ', h: 'ₕ', i: 'ᵢ', j: 'ⱼ', k: 'ₖ', l: 'ₗ', m: 'ₘ', n: 'ₙ', o: 'ₒ', p: 'ₚ', r: 'ᵣ', s: 'ₛ', t: 'ₜ', u: 'ᵤ', v: 'ᵥ', x: 'ₓ',
  };
  const out = [...name].map((c) => SUB[c]);
  return out.every((c) => c !== undefined) ? out.join('') : `_${name}`;
}

function describePoint(fe: FunctionExplanation, at: PointValues): Block[] {
  const { name, params } = fe;
  const x = params.map((p) => at.point[p]!);
  const where = pointText(x);
  const rows: Row[] = [row(label(`${name}${where.unicode}`, `${latexName(name)}${where.latex}`), printed(valueExpr(at.value)))];
  const one = params.length === 1;
  if (at.gradient) {
    const g = one ? at.gradient[0]! : at.gradient;
    rows.push(row(one ? label(`${name}′${where.unicode}`, `${latexName(name)}'${where.latex}`) : label(`∇${name}${where.unicode}`, `\\nabla ${latexName(name)}${where.latex}`), printed(valueExpr(g))));
  }
  if (at.jacobian) rows.push(row(label(`J${subscriptText(name)}${where.unicode}`, `J_{${latexName(name)}}${where.latex}`), printed(valueExpr(at.jacobian))));
  if (at.hessian) {
    const h = one ? valueExpr(at.hessian[0]![0]!) : valueExpr(at.hessian);
    rows.push(row(one ? label(`${name}″${where.unicode}`, `${latexName(name)}''${where.latex}`) : label(`H${subscriptText(name)}${where.unicode}`, `H_{${latexName(name)}}${where.latex}`), printed(h)));
  }
  if (at.eigenvalues && at.eigenvalues.length && !one) {
    rows.push(row(label('eigenvalues of H', '\\lambda(H)'), printed(valueExpr(at.eigenvalues))));
  }
  const blocks: Block[] = [{ kind: 'math', title: one ? `At ${params[0]} = ${toUnicode(num(roundForDisplay(x[0]!)))}` : `At (${params.join(', ')}) = ${where.unicode}`, rows, ...(at.gradient ? { copy: copiesOf(valueExpr(one ? at.gradient[0]! : at.gradient, false)) } : {}) }];
  if (at.critical) blocks.push({ kind: 'text', text: verdictText(at.critical, one) });
  else if (at.gradientNorm !== undefined) {
    blocks.push({ kind: 'text', text: `Not a critical point: ${one ? `|${name}′|` : `‖∇${name}‖∞`} = ${toUnicode(num(roundForDisplay(at.gradientNorm)))} ≠ 0.` });
  }
  return blocks;
}

/** What the second-derivative test says, in words. */
export function verdictText(kind: CriticalPointKind, oneVariable = false): string {
  const why = oneVariable
    ? { minimum: 'the second derivative is positive', maximum: 'the second derivative is negative', saddle: '', degenerate: 'the second derivative is zero, so the test is silent' }
    : { minimum: 'every eigenvalue of the Hessian is positive', maximum: 'every eigenvalue of the Hessian is negative', saddle: 'the Hessian has eigenvalues of both signs', degenerate: 'an eigenvalue of the Hessian is zero, so the second-derivative test is silent' };
  const what = { minimum: 'a local minimum', maximum: 'a local maximum', saddle: 'a saddle point', degenerate: 'degenerate' }[kind];
  return `Critical point (the gradient vanishes): ${what}, because ${why[kind]}.`;
}

function describeChain(c: ChainRule, name: string): Block[] {
  const blocks: Block[] = [];
  // a composite of one variable has ordinary derivatives (dg/dt, dx/dt); the outer function's stay partial
  const one = c.variables.length === 1;
  const dOuter = (p: string): Printed => label(partialName(c.outer, [p]), partialNameLatex(c.outer, [p]));
  const dInner = (p: string, v: string): Printed => label(partialName(p, [v], { ordinary: one }), partialNameLatex(p, [v], { ordinary: one }));
  for (const t of c.terms) {
    const lhs = label(partialName(name, [t.variable], { ordinary: one }), partialNameLatex(name, [t.variable], { ordinary: one }));
    const rule: Printed = {
      unicode: t.factors.map((f) => `${dOuter(f.param).unicode}·${dInner(f.param, t.variable).unicode}`).join(' + '),
      latex: t.factors.map((f) => `${dOuter(f.param).latex} \\cdot ${dInner(f.param, t.variable).latex}`).join(' + '),
    };
    const rows: Row[] = [row(lhs, rule)];
    for (const f of t.factors) {
      // the inner functions once, with the first variable's breakdown
      if (t === c.terms[0]) rows.push(row(label(f.param, latexName(f.param)), printed(f.inner)));
      rows.push(row(dOuter(f.param), printed(f.outerPartial)));
      rows.push(row(dInner(f.param, t.variable), printed(f.innerDerivative)));
    }
    rows.push(row(lhs, printed(t.total)));
    blocks.push({ kind: 'math', title: `Chain rule through ${c.outer}`, rows, copy: copiesOf(t.total) });
    if (t.at && c.innerValues) {
      const fmtN = (v: number): Printed => printed(num(roundForDisplay(v)));
      const where = pointText(c.innerValues);
      const products: Printed = {
        unicode: t.factors.map((_, i) => `(${fmtN(t.at!.outer[i]!).unicode})·(${fmtN(t.at!.inner[i]!).unicode})`).join(' + '),
        latex: t.factors.map((_, i) => `\\left(${fmtN(t.at!.outer[i]!).latex}\\right) \\cdot \\left(${fmtN(t.at!.inner[i]!).latex}\\right)`).join(' + '),
      };
      const atRows: Row[] = [
        row(label(`(${c.outerParams.join(', ')})`, `\\left(${c.outerParams.map(latexName).join(', ')}\\right)`), where),
        row(lhs, products),
        row(undefined, fmtN(t.at.total)),
      ];
      const at = c.point ? c.variables.map((v, i) => `${v} = ${toUnicode(num(roundForDisplay(c.point![i]!)))}`).join(', ') : 'the point';
      blocks.push({ kind: 'math', title: `Chain rule at ${at}`, rows: atRows });
    }
  }
  return blocks;
}

// ---------------------------------------------------------------- built-ins

/**
 * The hover of a built-in function, constant or operator, from the table in builtins.ts.
 *
 * @example explainBuiltin('pi')!.blocks // the doc, and π = 3.14159
 */
export function explainBuiltin(name: string): Explanation | undefined {
  const b = BUILTINS.get(name);
  if (!b) return undefined;
  const blocks: Block[] = [];
  if (b.kind === 'function') {
    blocks.push({ kind: 'text', text: `\`${b.name}(${b.params.join(', ')})\`: ${b.summary}`, markdown: true });
    blocks.push({ kind: 'text', text: b.doc, markdown: true });
  } else if (b.kind === 'constant') {
    blocks.push({ kind: 'text', text: b.summary, markdown: true });
    blocks.push({ kind: 'math', rows: [row(printed(sym(b.name)), printed(num(b.value)), '≈')], copy: copiesOf(num(b.value)) });
  } else {
    blocks.push({ kind: 'text', text: `${b.summary} ${b.signatures.map((s) => `\`${s}\``).join(', ')}`, markdown: true });
    blocks.push({ kind: 'text', text: b.doc, markdown: true });
  }
  return { title: b.name, blocks };
}

// ---------------------------------------------------------------- statement results

/**
 * The hover of a statement's result: the symbolic or numeric value of an expression line
 * (with a label such as ∇f, ∂²f/∂y∂x or h″(x)), a Taylor polynomial both ways, or the
 * outcome of a check, expect, root, minimize, maximize or fit.
 *
 * @example
 * const a = analyze('f(x, y) = x^2*y\ngrad(f)'), s = a.program.statements[1]!;
 * explainResult(a, s, a.results.get(s)!, a.text) // one row: ∇f = [2xy, x²]
 */
export function explainResult(ctx: ExplainContext, s: Statement, r: StatementResult, text: string): Explanation | undefined {
  const source = (n: { start: number; end: number }): string => text.slice(n.start, n.end);
  switch (r.kind) {
    case 'value': {
      const e = s.kind === 'expression' ? s.expr : s.kind === 'constant' ? s.name : undefined;
      if (!e) return undefined;
      const lhs = s.kind === 'constant' ? printed(sym(s.name.name)) : labelOf(ctx, e, source);
      const exact = r.expr ?? valueExpr(r.value, false);
      const shown = r.expr ?? valueExpr(r.value);
      const blocks: Block[] = [{ kind: 'math', rows: [row(lhs, printed(shown))], copy: copiesOf(exact) }];
      if (s.kind === 'expression' && s.at) {
        const at = pointOf(ctx, s.at, r.variables);
        if (at) blocks.push({ kind: 'text', text: `at ${r.variables.map((v) => `${v} = ${toUnicode(num(roundForDisplay(at[v]!)))}`).join(', ')}` });
      }
      return { title: source(e), blocks };
    }
    case 'taylor': {
      const vars = r.variables;
      const fn = s.kind === 'taylor' && s.target.kind === 'ident' ? s.target.name : undefined;
      const lhs = fn ? callText(fn, vars) : label(toUnicode(simplify(r.function)), toLatex(simplify(r.function)));
      const at = vars.map((v) => `${v} = ${toUnicode(num(roundForDisplay(r.at[v]!)))}`).join(', ');
      return {
        title: `Taylor polynomial of order ${r.order}`,
        blocks: [
          { kind: 'math', rows: [row(lhs, printed(r.expanded), '≈')], copy: copiesOf(r.expanded) },
          { kind: 'math', title: `In powers of the distance from ${at}`, rows: [row(lhs, printed(r.shiftedExpr), '≈')], copy: copiesOf(r.shiftedExpr) },
        ],
      };
    }
    case 'check': {
      const rows = r.exact.map((ex, i) => [String(i + 1), fmt6(ex), fmt6(r.numeric[i]!), fmt6(r.relErrors[i]!)]);
      return {
        title: r.passed ? 'check passed' : 'check failed',
        blocks: [{ kind: 'text', text: r.message }, { kind: 'table', header: ['component', 'exact', 'finite differences', 'relative error'], rows: limitRows(rows) }],
      };
    }
    case 'expect': {
      const blocks: Block[] = [{ kind: 'text', text: `${r.passed ? '✓' : '✗'} ${r.message}` }];
      if (r.counterexample) {
        const c = r.counterexample;
        blocks.push({ kind: 'table', header: [...Object.keys(c.point), 'left', 'right'], rows: [[...Object.values(c.point).map(fmt6), fmt6(c.left), fmt6(c.right)]] });
      }
      return { title: `expect (${r.method})`, blocks };
    }
    case 'root': {
      const blocks: Block[] = [
        { kind: 'text', text: r.message },
        { kind: 'table', header: ['', ...r.variables], rows: [['x', ...r.x.map(fmt6)], ['F(x)', ...r.value.map(fmt6)]] },
        { kind: 'text', text: `${r.iterations} iteration${r.iterations === 1 ? '' : 's'}, ${r.evaluations} evaluations; stopped: ${r.reason}${r.safeguard ? `; safeguard: ${r.safeguard}` : ''}.` },
      ];
      if (r.path.length > 1) blocks.push(iterateTable(r.variables, r.path));
      for (const n of r.notes) blocks.push({ kind: 'text', text: n });
      return { title: 'root', blocks };
    }
    case 'minimize': case 'maximize': {
      const blocks: Block[] = [
        { kind: 'text', text: r.message },
        { kind: 'table', header: [...r.variables, r.kind === 'minimize' ? 'min f' : 'max f', '‖∇f‖'], rows: [[...r.x.map(fmt6), fmt6(r.value), fmt6(r.gradNorm)]] },
        { kind: 'text', text: `${r.method}, ${r.iterations} iteration${r.iterations === 1 ? '' : 's'} (${r.evaluations.f} f, ${r.evaluations.grad} ∇f, ${r.evaluations.hess} H); stopped: ${r.reason}.` },
      ];
      if (r.path.length > 1) {
        const f = r.history.length === r.path.length ? r.history.map((h) => (r.kind === 'maximize' ? -h.f : h.f)) : undefined;
        blocks.push(iterateTable(r.variables, r.path, f));
      }
      for (const n of r.notes) blocks.push({ kind: 'text', text: n });
      return { title: r.kind, blocks };
    }
    case 'lagrange': {
      const blocks: Block[] = [{ kind: 'text', text: r.message }];
      if (r.candidates.length) {
        blocks.push({
          kind: 'table', header: [...r.variables, 'λ', 'f', 'kind'],
          rows: limitRows(r.candidates.map((c) => [...r.variables.map((v) => fmt6(c.point[v]!)), c.lambda.map(fmt6).join(', '), fmt6(c.value), c.best ? `${c.kind} (${c.best === 'minimum' ? 'smallest' : 'largest'} f)` : c.kind])),
        });
      }
      for (const n of r.notes) blocks.push({ kind: 'text', text: n });
      return { title: `${r.sense} subject to constraints`, blocks };
    }
    case 'fit': {
      const blocks: Block[] = [
        { kind: 'text', text: r.message },
        { kind: 'table', header: ['parameter', 'value', 'standard error'], rows: r.parameters.map((p) => [p.name, fmt6(p.value), `± ${fmt6(p.stderr)}`]) },
        { kind: 'text', text: `χ² = ${fmt6(r.chi2)}, χ²/dof = ${fmt6(r.reducedChi2)} (dof = ${r.dof}), R² = ${fmt6(r.r2)}; ${r.method}, ${r.iterations} iteration${r.iterations === 1 ? '' : 's'}, stopped: ${r.reason}.` },
      ];
      for (const n of r.notes) blocks.push({ kind: 'text', text: n });
      return { title: `fit ${r.response} to ${r.data}`, blocks };
    }
  }
}

const fmt6 = (x: number): string => (Number.isNaN(x) ? 'NaN' : !Number.isFinite(x) ? (x > 0 ? '∞' : '-∞') : String(roundForDisplay(x)));

/** At most 12 rows: the first 8 and the last 3, with an ellipsis row between. */
function limitRows(rows: string[][]): string[][] {
  if (rows.length <= 12) return rows;
  const width = rows[0]?.length ?? 1;
  return [...rows.slice(0, 8), Array.from({ length: width }, () => '⋮'), ...rows.slice(-3)];
}

/** The iterates: the first three steps and the last two, so a student sees the start and the convergence. */
function iterateTable(vars: readonly string[], path: readonly (readonly number[])[], f?: readonly number[]): Block {
  const idx = path.map((_, k) => k);
  const keep = idx.length <= 6 ? idx : [0, 1, 2, -1, idx.length - 2, idx.length - 1];
  const rows = keep.map((k) => (k < 0
    ? Array.from({ length: vars.length + 1 + (f ? 1 : 0) }, () => '⋮')
    : [String(k), ...path[k]!.map(fmt6), ...(f ? [fmt6(f[k]!)] : [])]));
  return { kind: 'table', header: ['step', ...vars, ...(f ? ['f'] : [])], rows };
}

function pointOf(ctx: ExplainContext, spec: NonNullable<Extract<Statement, { kind: 'expression' }>['at']>, vars: readonly string[]): Point | undefined {
  try {
    return pointFor(statementContext(ctx), spec, vars);
  } catch {
    return undefined;
  }
}

/** A statement context for the helpers of analysis.ts; diagnostics found here are dropped (the analysis reported them). */
function statementContext(ctx: ExplainContext): StatementContext {
  return { lowering: ctx.lowering, symbols: ctx.symbols, data: ctx.data, diagnostics: [] };
}

/**
 * The numbers a call is made with, when every argument is a number or a constant: the
 * point of `f(1, 2)`; undefined for `f(x, 2)`.
 *
 * @example numericArguments(ctx, parsedCall('f(1, 2*pi)')) // [1, 6.283185307179586]
 */
export function numericArguments(ctx: ExplainContext, c: Call): number[] | undefined {
  if (c.args.length === 0) return undefined;
  try {
    const sc = statementContext(ctx);
    return c.args.map((a) => numberOf(sc, a));
  } catch {
    // a free variable, a vector or a broken argument: not a call with numbers
    return undefined;
  }
}

/** The label of an expression line: ∇f, H_f, J_u, ∂²f/∂y∂x, ∂/∂x(…), h″(x), or the source text. */
function labelOf(ctx: ExplainContext, e: Expression, source: (n: { start: number; end: number }) => string): Printed {
  const fnName = (a: Expression | undefined): string | undefined => {
    if (!a) return undefined;
    if (a.kind === 'ident' && ctx.symbols.globals.get(a.name)?.kind === 'function') return a.name;
    // f(x, y) with plain names: "the function f"
    if (a.kind === 'call' && a.primes === 0 && ctx.symbols.globals.get(a.callee.name)?.kind === 'function' && a.args.every((x) => x.kind === 'ident')) return a.callee.name;
    return undefined;
  };
  if (e.kind === 'call' && !ctx.symbols.globals.has(e.callee.name)) {
    const op = e.callee.name;
    const f = fnName(e.args[0]);
    if (op === 'grad' && f) return label(`∇${f}`, `\\nabla ${latexName(f)}`);
    if (op === 'hessian' && f) return label(`H${subscriptText(f)}`, `H_{${latexName(f)}}`);
    if (op === 'jacobian' && f) return label(`J${subscriptText(f)}`, `J_{${latexName(f)}}`);
    if (op === 'diff' && e.args.length >= 2) {
      const vars: string[] = [];
      const rest = e.args.slice(1);
      for (let i = 0; i < rest.length; i++) {
        const v = rest[i]!;
        if (v.kind !== 'ident') continue;
        const next = rest[i + 1];
        const times = next?.kind === 'number' && Number.isInteger(next.value) ? Math.min(next.value, 20) : 1;
        for (let k = 0; k < times; k++) vars.push(v.name);
      }
      const distinct = new Set(vars).size;
      const inner = e.args[0]!;
      const oneVar = f ? ctx.symbols.globals.get(f)?.params?.length === 1 : distinct === 1 && innerFreeCount(ctx, inner) === 1;
      if (f) return label(partialName(f, vars, { ordinary: oneVar }), partialNameLatex(f, vars, { ordinary: oneVar }));
      const innerExpr = lowerQuiet(ctx, inner);
      if (innerExpr && vars.length) {
        const op1 = label(partialName('', vars, { ordinary: oneVar }), partialNameLatex('', vars, { ordinary: oneVar }));
        return label(`${op1.unicode} ${parenthesise(toUnicode(innerExpr))}`, `${op1.latex} \\left(${toLatex(innerExpr)}\\right)`);
      }
    }
  }
  if (e.kind === 'call' && e.primes > 0) {
    const args = e.args.map((a) => lowerQuiet(ctx, a));
    if (args.every((a): a is Expr => a !== undefined)) {
      const primesU = e.primes === 1 ? '′' : e.primes === 2 ? '″' : e.primes === 3 ? '‴' : `⁽${superscript(e.primes)}⁾`;
      return label(`${e.callee.name}${primesU}(${args.map(toUnicode).join(', ')})`,
        `${latexName(e.callee.name)}${e.primes <= 3 ? "'".repeat(e.primes) : `^{(${e.primes})}`}\\left(${args.map(toLatex).join(', ')}\\right)`);
    }
  }
  return label(source(e), `\\text{${escapeTexText(source(e))}}`);
}

function innerFreeCount(ctx: ExplainContext, e: Expression): number {
  const x = lowerQuiet(ctx, e);
  if (!x) return 0;
  const names = new Set<string>();
  const walk = (n: Expr): void => {
    if (n.kind === 'sym') { if (BUILTINS.get(n.name)?.kind !== 'constant') names.add(n.name); return; }
    if (n.kind === 'num') return;
    for (const c of n.kind === 'add' ? n.terms : n.kind === 'mul' ? n.factors : n.kind === 'pow' ? [n.base, n.exp] : n.kind === 'call' ? n.args : n.items) walk(c);
  };
  walk(x);
  return names.size;
}

const parenthesise = (s: string): string => (/^[\p{L}\d.]+$/u.test(s) ? s : `(${s})`);

function lowerQuiet(ctx: ExplainContext, e: Expression): Expr | undefined {
  try {
    const x = ctx.lowering.lower(e);
    return size(x) > EXPLAIN_MAX_NODES ? undefined : simplify(x, simplifyOpts);
  } catch {
    return undefined;
  }
}

/**
 * Text for \text{…}: MathJax sets its content literally (no text macros are loaded), so
 * only the characters that would end the group or start math are taken out.
 */
export function escapeTexText(s: string): string {
  return s.replace(/[\\{}$]/g, '');
}
