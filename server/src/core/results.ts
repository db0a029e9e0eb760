/**
 * The results of statements: plain data, shared by the language service, the CLI
 * (`calc run --json`, documented field by field in docs/cli.md) and the plots.
 */
import type { Expr } from './calculus/expr';
import { toCalc } from './calculus/print';
import type { FitResult, MinimizeResult, RootResult } from './numeric/types';
import type { Value } from './semantics/evaluate';

/** A point: each variable's name and value, in the variables' order. */
export type Point = Record<string, number>;

/**
 * An expression line or a constant: a number, vector or matrix (`value`), or a symbolic
 * expression (`expr`), which is printed where it is shown (`valueOrText`; the `value` field of
 * `calc run --json`), so that working out a worksheet does not print what no one looks at.
 */
export type ValueResult = NumericValue | SymbolicValue;

interface NumericValue {
  readonly kind: 'value';
  /** number | number[] | number[][] */
  readonly value: Value;
  readonly expr?: undefined;
  /** The variables of the expression, in order (the order of `at [..]`); none when it has none. */
  readonly variables: readonly string[];
}

interface SymbolicValue {
  readonly kind: 'value';
  readonly value?: undefined;
  /** The simplified symbolic form. */
  readonly expr: Expr;
  /** Its free variables, in order: a function's parameters for `grad(f)` and the like, else alphabetical. */
  readonly variables: readonly string[];
}

/**
 * A value as .calc writes it: the number, vector or matrix, or the symbolic form in .calc syntax.
 *
 * @example valueOrText({ kind: 'value', expr: parseExpr('2*x*y'), variables: ['x', 'y'] }) // "2*x*y"
 */
export function valueOrText(r: ValueResult): Value | string {
  return r.expr ? toCalc(r.expr) : r.value;
}

/**
 * A Taylor polynomial, both ways, as expressions: printed where it is shown (`toCalc`, and the
 * `polynomial` and `shifted` fields of `calc run --json`), so that working out a worksheet does not
 * print polynomials no one looks at.
 */
export interface TaylorResult {
  readonly kind: 'taylor';
  readonly order: number;
  readonly at: Point;
  /** The polynomial multiplied out, in powers of the variables. */
  readonly expanded: Expr;
  /** The same polynomial in powers of (x − a). */
  readonly shiftedExpr: Expr;
  /** The function that was expanded, and its variables. */
  readonly function: Expr;
  readonly variables: readonly string[];
}

export interface CheckResult {
  readonly kind: 'check';
  readonly passed: boolean;
  /** Largest relative error between the exact and the finite-difference derivative, per component. */
  readonly maxRelError: number;
  readonly relErrors: readonly number[];
  readonly exact: readonly number[];
  readonly numeric: readonly number[];
  readonly at: Point;
  readonly message: string;
}

export interface ExpectResult {
  readonly kind: 'expect';
  readonly passed: boolean;
  readonly method: 'symbolic' | 'numeric' | 'value';
  /** A point where the two sides differ, with both values there. */
  readonly counterexample?: { readonly point: Point; readonly left: number; readonly right: number };
  readonly message: string;
}

export interface RootStatementResult extends RootResult {
  readonly kind: 'root';
  readonly variables: readonly string[];
  readonly point: Point;
}

export interface OptimizeStatementResult extends MinimizeResult {
  readonly kind: 'minimize' | 'maximize';
  readonly variables: readonly string[];
  readonly point: Point;
  /** The value of the objective as written (for maximize, f itself, not −f). */
  readonly value: number;
}

export interface LagrangeCandidate {
  readonly point: Point;
  readonly lambda: readonly number[];
  readonly value: number;
  /** 'minimum' | 'maximum' | 'saddle' | 'degenerate' as local constrained extrema. */
  readonly kind: string;
  /** True for the largest and smallest f among the candidates. */
  readonly best?: 'maximum' | 'minimum';
}

export interface LagrangeStatementResult {
  readonly kind: 'lagrange';
  readonly sense: 'minimize' | 'maximize';
  readonly variables: readonly string[];
  readonly candidates: readonly LagrangeCandidate[];
  /** The candidate that answers the statement (the constrained min or max), if any. */
  readonly answer?: LagrangeCandidate;
  readonly message: string;
  readonly notes: readonly string[];
}

export interface FitStatementResult extends FitResult {
  readonly kind: 'fit';
  readonly response: string;
  readonly inputs: readonly string[];
  readonly data: string;
}

export type StatementResult =
  | ValueResult | TaylorResult | CheckResult | ExpectResult
  | RootStatementResult | OptimizeStatementResult | LagrangeStatementResult | FitStatementResult;
