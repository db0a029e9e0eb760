/**
 * Lowering: from the syntax tree to the calculus IR.
 *
 * User functions are inlined (a call to `f` is `f`'s body with the arguments put
 * in for the parameters), so differentiating a composition applies the
 * multivariate chain rule by itself. Vector and matrix arithmetic is carried out
 * here, on `vec` nodes, so that the calculus engine only meets scalar operations
 * inside vectors; shape errors are found here, with the exact source range.
 */
import {
  add, call, type Expr, ExprTooLarge, freeSymbols, largerThan, mul, neg, num, pow, shapeOf, substitute, sym, vec,
} from '../calculus/expr';
import { derivative, type DerivativeOptions } from '../calculus/diff';
import { gradient, hessian, jacobian } from '../calculus/matrices';
import { type Call, type Expression, type FunctionDefinition, type Span, someExpression } from '../syntax/ast';
import { Codes, type Fix } from '../syntax/diagnostics';
import { parseExpressionText } from '../syntax/parser';
import { BUILTINS, canonicalFunctionName } from './builtins';
import { evaluate, fmt } from './evaluate';
import type { SymbolTable } from './names';

/** An error that abandons the lowering of one statement; it becomes a diagnostic there. */
export class LowerError extends Error {
  constructor(readonly code: number, readonly span: Span, message: string, readonly fixes?: readonly Fix[]) {
    super(message);
  }
}

/** An empty scope or environment, shared. */
export const NO_NAMES: ReadonlyMap<string, never> = new Map<string, never>();

/** The largest expression lowering builds before it reports the statement as too large. */
export const MAX_NODES = 200_000;

const UNSIMPLIFIED: DerivativeOptions = { simplified: false };

export class Lowering {
  /** Where each power and call built from source came from, for the domain problems evaluation finds there. */
  readonly origins = new Map<Expr, Span>();
  private readonly constants = new Map<string, Expr | 'pending'>();
  private readonly bodies = new Map<string, { params: string[]; body: Expr } | 'pending'>();

  /** Set while lowering for a value only (`lowerForValue`): first derivatives are then left unsimplified. */
  private forValue = false;

  constructor(private readonly symbols: SymbolTable) {}

  /**
   * Lowers an expression whose value at a point is all that is wanted (`grad(f) at [1, 2]`):
   * its first derivatives (grad, jacobian, diff by one variable) are left as the rules give
   * them, unsimplified (see `DerivativeOptions.simplified`: the caller falls back to `lower` when
   * evaluating this meets a problem). Function bodies and constants are lowered as usual, and
   * higher derivatives are simplified, as unsimplified ones grow quickly.
   */
  lowerForValue(e: Expression): Expr {
    this.forValue = true;
    try {
      return this.lower(e);
    } finally {
      this.forValue = false;
    }
  }

  /** Runs `f` lowering as usual, whatever the caller is lowering for (a cached body or constant must be the usual one). */
  private asUsual<T>(f: () => T): T {
    const was = this.forValue;
    this.forValue = false;
    try {
      return f();
    } finally {
      this.forValue = was;
    }
  }

  /** How first derivatives are taken: unsimplified when lowering for a value only. */
  private firstDerivatives(): DerivativeOptions | undefined {
    return this.forValue ? UNSIMPLIFIED : undefined;
  }

  /**
   * Lowers an expression. `scope` maps local names (parameters, bound variables) to Exprs;
   * other names resolve to constants, built-ins, or free symbols.
   */
  lower(e: Expression, scope: ReadonlyMap<string, Expr> = NO_NAMES): Expr {
    const out = this.lowerNode(e, scope);
    if (largerThan(out, MAX_NODES)) throw new LowerError(Codes.TooLarge, e, `This expression grows beyond ${MAX_NODES} terms when its functions are expanded; split it into smaller parts.`);
    return out;
  }

  /** The body of a user function, lowered once with its parameters as free symbols. */
  functionBody(name: string): { params: string[]; body: Expr } | undefined {
    const def = this.symbols.globals.get(name);
    if (def?.kind !== 'function') return undefined;
    const known = this.bodies.get(name);
    if (known === 'pending') throw new LowerError(Codes.RecursiveDefinition, def.span, `'${name}' is defined in terms of itself.`);
    if (known) return known;
    const stmt = def.statement as FunctionDefinition;
    const params = stmt.params.map((p) => p.name);
    const scope = new Map(params.map((p) => [p, sym(p)] as [string, Expr]));
    this.bodies.set(name, 'pending');
    let body: Expr;
    try {
      body = this.asUsual(() => this.lower(stmt.body, scope));
    } finally {
      this.bodies.delete(name);
    }
    const lowered = { params, body };
    this.bodies.set(name, lowered);
    return lowered;
  }

  /** The value of a constant, as a number (or vector of numbers) Expr. */
  constant(name: string, at: Span): Expr {
    const cached = this.constants.get(name);
    if (cached === 'pending') throw new LowerError(Codes.RecursiveDefinition, at, `'${name}' is defined in terms of itself.`);
    if (cached) return cached;
    const def = this.symbols.globals.get(name)!;
    this.constants.set(name, 'pending');
    try {
      const stmt = def.statement;
      if (stmt.kind !== 'constant') throw new LowerError(Codes.InvalidTarget, at, `'${name}' is not a constant.`);
      const lowered = this.asUsual(() => this.lower(stmt.value));
      const value = toConstantExpr(evaluate(lowered, NO_NAMES));
      this.constants.set(name, value);
      return value;
    } catch (e) {
      this.constants.delete(name);
      throw e;
    }
  }

  /** Records where `e` came from. Evaluation reports problems only at powers and calls, so only those are kept. */
  private mark<T extends Expr>(e: T, span: Span): T {
    if ((e.kind === 'pow' || e.kind === 'call') && !this.origins.has(e)) this.origins.set(e, span);
    return e;
  }

  private lowerNode(e: Expression, scope: ReadonlyMap<string, Expr>): Expr {
    switch (e.kind) {
      case 'number': return this.mark(num(e.value), e);
      case 'string': throw new LowerError(Codes.InvalidTarget, e, 'A string is only allowed in csv("file.csv").');
      case 'missing': throw new LowerError(Codes.ExpectedExpression, e, 'incomplete expression');
      case 'ident': {
        const local = scope.get(e.name);
        if (local) return local;
        const def = this.symbols.globals.get(e.name);
        if (def?.kind === 'constant') return this.constant(e.name, e);
        if (def?.kind === 'function') {
          throw new LowerError(Codes.NotAFunction, e, `'${e.name}' is a function: call it with arguments, as in ${e.name}(${(def.params ?? []).join(', ')}).`);
        }
        return this.mark(sym(e.name), e);
      }
      case 'unary': {
        const x = this.lowerNode(e.operand, scope);
        return e.op === '-' ? this.mark(elementwise(x, neg), e) : x;
      }
      case 'binary': return this.mark(this.binary(e.op, this.lowerNode(e.left, scope), this.lowerNode(e.right, scope), e), e);
      case 'vector': {
        const items = e.items.map((i) => this.lowerNode(i, scope));
        const shapes = items.map(shapeOf);
        const first = JSON.stringify(shapes[0] ?? []);
        const bad = shapes.findIndex((s) => JSON.stringify(s) !== first);
        if (bad >= 0) {
          throw new LowerError(Codes.ShapeMismatch, e.items[bad]!, `Every row of a matrix must have the same length: this one is ${describeShape(shapes[bad]!)}, the first is ${describeShape(shapes[0]!)}.`);
        }
        return this.mark(vec(items), e);
      }
      case 'index': {
        const target = this.lowerNode(e.target, scope);
        const index = this.lowerNode(e.index, scope);
        const i = evaluate(index, NO_NAMES);
        if (target.kind !== 'vec') throw new LowerError(Codes.ShapeMismatch, e, 'Only a vector or a matrix can be indexed.');
        if (typeof i !== 'number' || !Number.isInteger(i) || i < 1 || i > target.items.length) {
          throw new LowerError(Codes.EvaluationError, e.index, `The index must be a whole number from 1 to ${target.items.length} (indices start at 1).`);
        }
        return target.items[i - 1]!;
      }
      case 'primed': {
        const f = this.functionBody(e.name.name);
        if (!f || f.params.length !== 1) throw new LowerError(Codes.PrimeNeedsOneVariable, e, 'Prime notation is for functions of one variable.');
        let d = f.body;
        for (let k = 0; k < e.primes; k++) d = derivative(d, f.params[0]!);
        return d;
      }
      case 'call': return this.call(e, scope);
    }
  }

  private call(e: Call, scope: ReadonlyMap<string, Expr>): Expr {
    const name = e.callee.name;
    const def = this.symbols.globals.get(name);
    if (def?.kind === 'function') {
      const f = this.functionBody(name)!;
      const args = e.args.map((a) => this.lowerNode(a, scope));
      let body = f.body;
      for (let k = 0; k < e.primes; k++) body = derivative(body, f.params[0]!);
      // f(x, y) with f's own parameters is f's body itself (and finds what is cached for it)
      if (f.params.every((p, i) => { const a = args[i]; return a === undefined || (a.kind === 'sym' && a.name === p); })) return this.mark(body, e);
      if (args.some((a) => a.kind === 'vec')) return this.mark(this.vectorCall(e, f, body, args), e);
      const bindings = new Map(f.params.map((p, i) => [p, args[i] ?? sym(p)] as [string, Expr]));
      const out = substitute(body, bindings);
      if (largerThan(out, MAX_NODES)) throw new LowerError(Codes.TooLarge, e, `Expanding ${name} here gives more than ${MAX_NODES} terms; split the definitions.`);
      return this.mark(out, e);
    }
    const builtin = BUILTINS.get(name);
    if (builtin?.kind === 'function') {
      const arg = this.lowerNode(e.args[0]!, scope);
      const fn = canonicalFunctionName(name);
      return this.mark(elementwise(arg, (a) => call(fn, [a])), e);
    }
    if (builtin?.kind === 'operator') return this.mark(this.operator(e, scope), e);
    throw new LowerError(Codes.UnknownName, e.callee, `Unknown function '${name}'.`);
  }

  /**
   * A call with a vector or a matrix for an argument. Putting it into the body as lowered would
   * hide it inside scalar operations (`t^2` of a vector, which has no value), so the body is
   * lowered again from its source with the argument bound: vector arithmetic then applies, and a
   * shape error says which argument the function cannot take. A derivative by prime notation, or a
   * body that differentiates by its parameters, is of a function of numbers: `h'([1, 2])` is taken
   * item by item, as a built-in function is.
   */
  private vectorCall(e: Call, f: { params: string[] }, body: Expr, args: readonly Expr[]): Expr {
    const name = e.callee.name;
    const stmt = this.symbols.globals.get(name)!.statement as FunctionDefinition;
    // A body that differentiates by its own parameters (q(x) = diff(sin(x), x)) is a function of numbers:
    // lowered with a vector bound, there would be nothing left to differentiate by. It is applied item
    // by item, as a built-in function is, to the derivatives already taken.
    if (e.primes > 0 || differentiatesBy(stmt.body, f.params, this.symbols)) return this.itemByItem(e, f.params, body, args);
    const bound = new Map(f.params.map((p, i) => [p, args[i] ?? sym(p)] as [string, Expr]));
    try {
      return this.asUsual(() => this.lower(stmt.body, bound));
    } catch (err) {
      if (!(err instanceof LowerError) || err.code !== Codes.ShapeMismatch) throw err;
      const taken = f.params.map((p, i) => [p, args[i]] as const).filter(([, a]) => a?.kind === 'vec')
        .map(([p, a]) => `${describeShape(shapeOf(a!))} for ${p}`).join(' and ');
      throw new LowerError(Codes.ShapeMismatch, e, `${name}(${f.params.join(', ')}) cannot take ${taken}: in its definition, ${lowerFirst(err.message)}`);
    }
  }

  /** `body` with each item of the vector arguments put in for its parameter (vectors of one shape, zipped). */
  private itemByItem(e: Call, params: readonly string[], body: Expr, args: readonly Expr[]): Expr {
    const shapes = args.filter((a) => a.kind === 'vec').map((a) => JSON.stringify(shapeOf(a)));
    if (shapes.some((x) => x !== shapes[0])) {
      throw new LowerError(Codes.ShapeMismatch, e, `${e.callee.name} is applied item by item here, so its vector arguments must have the same shape.`);
    }
    const zip = (items: readonly Expr[]): Expr => {
      const v = items.find((a) => a.kind === 'vec') as { items: readonly Expr[] } | undefined;
      if (!v) return substitute(body, new Map(params.map((p, i) => [p, items[i] ?? sym(p)] as [string, Expr])));
      return vec(v.items.map((_, k) => zip(items.map((a) => (a.kind === 'vec' ? a.items[k]! : a)))));
    };
    return zip(args);
  }

  /** diff, grad, jacobian, hessian. */
  private operator(e: Call, scope: ReadonlyMap<string, Expr>): Expr {
    const name = e.callee.name;
    if (name === 'diff') {
      const rest = e.args.slice(1);
      // `x = 2` then diff(x^2, x): x is a number there, and the derivative would be a silent 0
      for (const v of rest) {
        const def = v.kind === 'ident' && !scope.has(v.name) ? this.symbols.globals.get(v.name) : undefined;
        if (def?.kind === 'constant' && v.kind === 'ident') {
          const value = this.constant(v.name, v);
          const shown = value.kind === 'num' ? ` = ${fmt(value.value)}` : '';
          throw new LowerError(Codes.InvalidTarget, v, `'${v.name}' is a constant (${v.name}${shown}, defined on its own line), so nothing varies with it and the derivative would be 0: rename the constant, or differentiate by a variable.`);
        }
      }
      let d = this.lowerNode(e.args[0]!, scope);
      if (rest.length === 1 && rest[0]!.kind === 'ident') return derivative(d, rest[0]!.name, this.firstDerivatives());
      for (let i = 0; i < rest.length; i++) {
        const v = rest[i]!;
        if (v.kind === 'number') continue;
        if (v.kind !== 'ident') throw new LowerError(Codes.InvalidTarget, v, 'Differentiate by a variable name.');
        const next = rest[i + 1];
        const times = next?.kind === 'number' ? next.value : 1;
        if (!Number.isInteger(times) || times < 0 || times > 20) {
          throw new LowerError(Codes.InvalidTarget, next!, 'The order of a derivative is a whole number from 0 to 20.');
        }
        for (let k = 0; k < times; k++) d = derivative(d, v.name);
      }
      return d;
    }
    const { expr, vars } = this.differentiable(e.args[0]!, scope);
    if (name === 'grad') {
      if (expr.kind === 'vec') throw new LowerError(Codes.ShapeMismatch, e.args[0]!, 'grad is for scalar functions; for a vector-valued function use jacobian.');
      return gradient(expr, vars, this.firstDerivatives());
    }
    if (name === 'jacobian') return jacobian(expr.kind === 'vec' ? expr : vec([expr]), vars, this.firstDerivatives());
    if (name === 'hessian') {
      if (expr.kind === 'vec') throw new LowerError(Codes.ShapeMismatch, e.args[0]!, 'hessian is for scalar functions.');
      return hessian(expr, vars);
    }
    throw new LowerError(Codes.InvalidTarget, e.callee, `${name} cannot be used inside an expression.`);
  }

  /**
   * The expression and variables an operator such as grad works on: a bare function name
   * gives its body and parameters; any other expression, its free variables in alphabetical order.
   */
  differentiable(arg: Expression, scope: ReadonlyMap<string, Expr>): { expr: Expr; vars: string[] } {
    if (arg.kind === 'ident' && !scope.has(arg.name)) {
      const f = this.functionBody(arg.name);
      if (f) return { expr: f.body, vars: f.params };
    }
    const expr = this.lowerNode(arg, scope);
    return { expr, vars: freeVariables(expr) };
  }

  private binary(op: '+' | '-' | '*' | '/' | '^', a: Expr, b: Expr, at: Span): Expr {
    // two scalars, by far the most common case, need no shapes
    if (a.kind !== 'vec' && b.kind !== 'vec') {
      switch (op) {
        case '+': return add(a, b);
        case '-': return add(a, neg(b));
        case '*': return mul(a, b);
        case '/': return mul(a, pow(b, num(-1)));
        case '^': return pow(a, b);
      }
    }
    const sa = shapeOf(a), sb = shapeOf(b);
    const scalarA = sa.length === 0, scalarB = sb.length === 0;
    switch (op) {
      case '+': case '-': {
        if (JSON.stringify(sa) !== JSON.stringify(sb)) {
          throw new LowerError(Codes.ShapeMismatch, at, `Cannot ${op === '+' ? 'add' : 'subtract'} ${describeShape(sa)} and ${describeShape(sb)}: both sides must have the same shape.`);
        }
        return zip(a, b, (x, y) => (op === '+' ? add(x, y) : add(x, neg(y))));
      }
      case '*': {
        if (scalarA) return elementwise(b, (y) => mul(a, y));
        if (scalarB) return elementwise(a, (x) => mul(x, b));
        // Matrix products: (r×c)·(c) and (r×c)·(c×k).
        if (sa.length === 2 && sb.length >= 1 && sa[1] === sb[0]) {
          const rows = (a as { items: readonly Expr[] }).items as readonly Expr[];
          const bItems = (b as { items: readonly Expr[] }).items;
          if (sb.length === 1) return vec(rows.map((row) => dot(rowItems(row), bItems)));
          const cols = sb[1]!;
          return vec(rows.map((row) => vec(Array.from({ length: cols }, (_, j) => dot(rowItems(row), bItems.map((r) => rowItems(r)[j]!))))));
        }
        if (sa.length === 1 && sb.length === 1) {
          throw new LowerError(Codes.ShapeMismatch, at, 'The product of two vectors is ambiguous: write the dot product out as a sum, or use a matrix.');
        }
        if (sa.length === 1 && sb.length === 2) {
          throw new LowerError(Codes.ShapeMismatch, at, `A vector is a column, so ${describeShape(sa)} times ${describeShape(sb)} is not defined; for a row times a matrix write the row as a 1×${sa[0]} matrix, as in [[x, y]]*A.`);
        }
        throw new LowerError(Codes.ShapeMismatch, at, `Cannot multiply ${describeShape(sa)} by ${describeShape(sb)}: the inner sizes must agree.`);
      }
      case '/': {
        if (!scalarB) throw new LowerError(Codes.ShapeMismatch, at, `Cannot divide by ${describeShape(sb)}; only by a number.`);
        return elementwise(a, (x) => mul(x, pow(b, num(-1))));
      }
      case '^': {
        if (!scalarA || !scalarB) throw new LowerError(Codes.ShapeMismatch, at, `Powers are for numbers, not for ${describeShape(scalarA ? sb : sa)}.`);
        return pow(a, b);
      }
    }
  }
}

/** Free variables of an expression, excluding the constants pi and e, in alphabetical order. */
export function freeVariables(e: Expr): string[] {
  const names = freeSymbols(e).filter((n) => BUILTINS.get(n)?.kind !== 'constant');
  if (names.length > 16) return names.sort();
  // by insertion: there are few, and Array.prototype.sort allocates scratch space even for two
  for (let i = 1; i < names.length; i++) {
    const x = names[i]!;
    let j = i - 1;
    while (j >= 0 && names[j]! > x) { names[j + 1] = names[j]!; j--; }
    names[j + 1] = x;
  }
  return names;
}

/**
 * True when an expression takes a derivative by one of `params`: diff(…, p), or grad, jacobian or
 * hessian of an expression in which a parameter occurs (of a named function, the derivative is by
 * that function's own parameters, and `hessian(f)*p` is a matrix times the vector p).
 */
function differentiatesBy(e: Expression, params: readonly string[], symbols: SymbolTable): boolean {
  const isParam = (x: Expression): boolean => x.kind === 'ident' && params.includes(x.name);
  return someExpression(e, (x) => {
    if (x.kind !== 'call' || BUILTINS.get(x.callee.name)?.kind !== 'operator' || symbols.globals.has(x.callee.name)) return false;
    const [target, ...by] = x.args;
    if (x.callee.name === 'diff') return by.some(isParam);
    return !!target && !(target.kind === 'ident' && symbols.globals.get(target.name)?.kind === 'function') && someExpression(target, isParam);
  });
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

function rowItems(row: Expr): readonly Expr[] {
  return row.kind === 'vec' ? row.items : [row];
}

function dot(a: readonly Expr[], b: readonly Expr[]): Expr {
  return add(...a.map((x, i) => mul(x, b[i]!)));
}

/** Applies `f` to every scalar of a (possibly nested) vec. */
export function elementwise(e: Expr, f: (x: Expr) => Expr): Expr {
  return e.kind === 'vec' ? vec(e.items.map((i) => elementwise(i, f))) : f(e);
}

function zip(a: Expr, b: Expr, f: (x: Expr, y: Expr) => Expr): Expr {
  if (a.kind === 'vec' && b.kind === 'vec') return vec(a.items.map((x, i) => zip(x, b.items[i]!, f)));
  return f(a, b);
}

/** "a number", "a 3-vector", "a 2×2 matrix" */
export function describeShape(s: readonly number[]): string {
  if (s.length === 0) return 'a number';
  if (s.length === 1) return `a ${s[0]}-vector`;
  return `a ${s.join('×')} matrix`;
}

function toConstantExpr(v: import('./evaluate').Value): Expr {
  return typeof v === 'number' ? num(v) : vec(v.map(toConstantExpr));
}

/**
 * Parses and lowers a standalone expression with no definitions in scope (for tests and tools).
 * `parseExpr('x^2*y')` is mul(pow(x, 2), y).
 */
export function parseExpr(text: string): Expr {
  const { expr, diagnostics } = parseExpressionText(text);
  if (diagnostics.some((d) => d.severity === 'error')) throw new Error(`cannot parse ${JSON.stringify(text)}: ${diagnostics[0]!.message}`);
  const symbols: SymbolTable = { globals: new Map(), definitions: [], references: [], columns: new Map() };
  return new Lowering(symbols).lower(expr);
}

export { ExprTooLarge, fmt };
