/**
 * The bounded numeric evaluator of the language: Expr trees (scalars, vectors,
 * matrices) to numbers. It runs no user code: the only operations are the
 * arithmetic and the built-ins of builtins.ts, and its cost is linear in the size
 * of the tree, which lowering bounds.
 */
import type { Expr } from '../calculus/expr';
import { builtinFunction, BUILTINS, type BuiltinFunction } from './builtins';

/** A value of the language: a number, a vector, or a matrix (a vector of equal-length vectors). */
export type Value = number | Value[];

/** A problem found while evaluating, attached to the Expr node where it happened. */
export interface DomainIssue {
  readonly node: Expr;
  readonly message: string;
}

/**
 * Evaluates `e` with the variables in `env`; pi and e are known. Out-of-domain
 * operations give NaN (or ±Infinity for division by zero) and call `onIssue` once per node.
 * `evaluate(parseExpr('x^2 + 1'), new Map([['x', 3]]))` is 10.
 */
export function evaluate(e: Expr, env: ReadonlyMap<string, number>, onIssue?: (issue: DomainIssue) => void): Value {
  switch (e.kind) {
    case 'num': return e.value;
    case 'sym': {
      const v = env.get(e.name);
      if (v !== undefined) return v;
      const c = BUILTINS.get(e.name);
      if (c?.kind === 'constant') return c.value;
      return NaN;
    }
    case 'vec': return e.items.map((i) => evaluate(i, env, onIssue));
    case 'add': {
      let s = 0;
      for (const t of e.terms) s += scalar(evaluate(t, env, onIssue));
      return s;
    }
    case 'mul': {
      let p = 1;
      for (const f of e.factors) p *= scalar(evaluate(f, env, onIssue));
      return p;
    }
    case 'pow': {
      const b = scalar(evaluate(e.base, env, onIssue));
      const x = scalar(evaluate(e.exp, env, onIssue));
      if (b === 0 && x < 0) onIssue?.({ node: e, message: 'Division by zero.' });
      else if (b < 0 && !Number.isInteger(x)) {
        onIssue?.({ node: e, message: `A negative number (${fmt(b)}) to a fractional power (${fmt(x)}) is not a real number.` });
      }
      return Math.pow(b, x);
    }
    case 'call': {
      const f = builtinFunction(e.fn);
      const arg = evaluate(e.args[0]!, env, onIssue);
      if (!f) return NaN;
      // a number, by far the most common argument, without a closure
      if (typeof arg === 'number') return applyBuiltin(f, arg, e, onIssue);
      return mapValue(arg, (a) => applyBuiltin(f, a, e, onIssue));
    }
  }
}

function applyBuiltin(f: BuiltinFunction, a: number, node: Expr, onIssue?: (issue: DomainIssue) => void): number {
  if (f.domain && !Number.isNaN(a) && !f.domain(a)) {
    onIssue?.({ node, message: `${f.name}(${fmt(a)}) is undefined: ${f.name} is defined for ${f.domainText}.` });
  }
  return f.apply(a);
}

function scalar(v: Value): number {
  return typeof v === 'number' ? v : NaN;
}

/** Applies `f` to every number of a value. */
export function mapValue(v: Value, f: (x: number) => number): Value {
  return typeof v === 'number' ? f(v) : v.map((i) => mapValue(i, f));
}

/** True when every number of the value is finite. */
export function isFiniteValue(v: Value): boolean {
  return typeof v === 'number' ? Number.isFinite(v) : v.every(isFiniteValue);
}

/** A short, readable number: `fmt(0.30000000000000004)` is "0.3". */
export function fmt(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : x > 0 ? '∞' : '-∞';
  const s = Number(x.toPrecision(6)).toString();
  return s;
}
