/**
 * The methods (`by …`) and options (`with …`) each runnable statement accepts, and their
 * checks. They run during analysis, so a misspelt method is reported as it is typed, and
 * again when a statement runs.
 */
import { LowerError } from '../semantics/lower';
import { closestName, renameFix, suggest } from '../semantics/names';
import type { Binding, MethodName, RunnableStatement } from '../syntax/ast';
import { Codes } from '../syntax/diagnostics';

/** The methods each statement accepts after `by`, as written, and the solver each means. */
export const METHODS = {
  optimize: { 'gradient descent': 'gd', newton: 'newton', bfgs: 'bfgs', 'trust region': 'trust-newton' },
  root: { newton: 'newton', 'newton-raphson': 'newton' },
  fit: { 'levenberg-marquardt': 'lm', 'gradient descent': 'gd' },
} as const;

/** The options each statement accepts after `with`. */
export const OPTIONS = {
  optimize: ['step', 'maxiter', 'tol'],
  root: ['maxiter', 'tol'],
  fit: ['step', 'maxiter', 'tol', 'sigma'],
  lagrange: ['maxiter'],
} as const;

/**
 * The solver a method name means, or undefined when none is given; an unknown name throws
 * a LowerError with a did-you-mean. `methodOf({ name: 'bfgs', … }, METHODS.optimize, 'minimize')` is 'bfgs'.
 */
export function methodOf<T extends Record<string, string>>(m: MethodName | undefined, table: T, what: string): T[keyof T] | undefined {
  if (!m) return undefined;
  const key = m.name.toLowerCase();
  if (key in table) return table[key as keyof T];
  const near = closestName(key, Object.keys(table));
  throw new LowerError(Codes.UnknownMethod, m,
    `Unknown method '${m.name}' for ${what}.${suggest(key, Object.keys(table))} The methods are: ${Object.keys(table).join(', ')}.`, renameFix(m, near).fixes);
}

/** The options by name; an unknown one throws a LowerError with a did-you-mean. */
export function optionsOf(bindings: readonly Binding[], allowed: readonly string[], what: string): Map<string, Binding> {
  const out = new Map<string, Binding>();
  for (const b of bindings) {
    if (!allowed.includes(b.name.name)) {
      throw new LowerError(Codes.UnknownOption, b.name,
        `Unknown option '${b.name.name}' for ${what}.${suggest(b.name.name, allowed)} The options are: ${allowed.join(', ')}.`, renameFix(b.name, closestName(b.name.name, allowed)).fixes);
    }
    out.set(b.name.name, b);
  }
  return out;
}

/** Checks the method and option names of a runnable statement (their values are checked when it runs). */
export function checkMethodAndOptions(s: RunnableStatement): void {
  if (s.kind === 'root') {
    methodOf(s.method, METHODS.root, 'root');
    optionsOf(s.options, OPTIONS.root, 'root');
  } else if (s.kind === 'fit') {
    methodOf(s.method, METHODS.fit, 'fit');
    optionsOf(s.options, OPTIONS.fit, 'fit');
  } else if (s.constraints.length) {
    if (s.method) throw new LowerError(Codes.UnknownMethod, s.method, 'With `subject to`, Calc solves the Lagrange conditions ∇f = Σλᵢ∇gᵢ, g = 0 by Newton\'s method; remove `by …`.');
    optionsOf(s.options, OPTIONS.lagrange, 'Lagrange multipliers');
  } else {
    methodOf(s.method, METHODS.optimize, s.sense);
    optionsOf(s.options, OPTIONS.optimize, s.sense);
  }
}
