/**
 * The results of statements: plain data, shared by the language service, the CLI
 * (`calc run --json`, documented field by field in docs/cli.md) and the plots.
 */
import type { Expr } from './calculus/expr';
import type { FitResult, MinimizeResult, RootResult } from './numeric/types';
import type { Value } from './semantics/evaluate';

/** A point: each variable's name and value, in the variables' order. */
export type Point = Record<string, number>;

/** An expression line or a constant: a number, vector, matrix, or a symbolic expression in .calc syntax. */
export interface ValueResult {
  readonly kind: 'value';
  /** number | number[] | number[][], or a string holding a symbolic expression in .calc syntax. */
  readonly value: Value | string;
  /** The simplified symbolic form, when the result is symbolic. */
  readonly expr?: Expr;
  /** The variables of the expression, in order (the order of `at [..]`). */
  readonly variables: readonly string[];
}

export interface TaylorResult {
  readonly kind: 'taylor';
  /** The expanded polynomial, in .calc syntax. */
  readonly polynomial: string;
  /** The same polynomial in powers of (x − a), in .calc syntax. */
  readonly shifted: string;
  readonly order: number;
  readonly at: Point;
  readonly expanded: Expr;
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
