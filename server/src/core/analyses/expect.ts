/**
 * `expect A == B [within TOL]`: how an assignment tells a student whether an answer is right.
 */
import { checkEquivalent } from '../calculus/equivalence';
import type { StatementContext } from '../analysis';
import { evaluateReporting, numberOf } from '../analysis';
import type { ExpectResult } from '../results';
import { fmt, type Value } from '../semantics/evaluate';
import { describeShape, freeVariables, LowerError, NO_NAMES } from '../semantics/lower';
import type { ExpectStatement } from '../syntax/ast';
import { Codes } from '../syntax/diagnostics';

/** Without `within`, numbers must agree to this relative tolerance. */
export const EXPECT_TOLERANCE = 1e-9;

/**
 * Decides an expect line: numbers are compared (with `within` as an absolute tolerance);
 * expressions are equal when A − B simplifies to zero, or else when they agree at many
 * random points (see checkEquivalent for how many, and the tolerance).
 */
export function expectStatement(ctx: StatementContext, s: ExpectStatement): ExpectResult | undefined {
  if (!s.right) return undefined;
  const left = ctx.lowering.lower(s.left);
  const right = ctx.lowering.lower(s.right);
  const within = s.within ? numberOf(ctx, s.within) : undefined;
  if (within !== undefined && !(within >= 0)) {
    throw new LowerError(Codes.InvalidOption, s.within!, `within is the largest difference allowed: a number of 0 or more, such as within ${fmt(Math.abs(within))}.`);
  }
  const free = [...new Set([...freeVariables(left), ...freeVariables(right)])];
  let result: ExpectResult;
  if (free.length === 0) {
    const a = evaluateReporting(ctx, left, NO_NAMES, s.left);
    const b = evaluateReporting(ctx, right, NO_NAMES, s.right);
    const as = flat(a), bs = flat(b);
    if (as.length !== bs.length) {
      result = { kind: 'expect', passed: false, method: 'value', message: `✗ the sides have different shapes: ${describeShape(shapeOf(a))} and ${describeShape(shapeOf(b))}.` };
    } else {
      const bad = as.findIndex((x, i) => !close(x, bs[i]!, within));
      const passed = bad < 0;
      // the test is |a − b| ≤ 1e-9·max(1, |a|, |b|): relative for large sides, absolute below 1
      const tol = within !== undefined ? `within ${fmt(within)}` : `to ${EXPECT_TOLERANCE} (relative to the larger side, or absolute below 1)`;
      result = {
        kind: 'expect', passed, method: 'value',
        message: passed ? `✓ equal ${tol}` : `✗ ${as.length > 1 ? `component ${bad + 1}: ` : ''}the left side is ${fmt(as[bad]!)}, the right side ${fmt(bs[bad]!)}, not equal ${tol}.`,
      };
    }
  } else {
    const eq = checkEquivalent(left, right, within !== undefined ? { tol: within } : {});
    const ce = eq.counterexample;
    const where = ce ? Object.entries(ce.point).map(([k, v]) => `${k} = ${fmt(v)}`).join(', ') : '';
    result = {
      kind: 'expect', passed: eq.equal, method: eq.method,
      ...(ce ? { counterexample: ce } : {}),
      message: eq.equal
        ? `✓ equal (${eq.method === 'symbolic' ? 'the difference simplifies to 0' : 'they agree at every test point'})`
        : ce
          ? `✗ not equal: at ${where} the left side is ${fmt(ce.left)} but the right side is ${fmt(ce.right)}.`
          : `✗ not equal.`,
    };
  }
  if (!result.passed) {
    const at = s.right;
    ctx.diagnostics.push({ code: Codes.ExpectFailed, severity: 'error', offset: at.start, length: at.end - at.start, message: result.message });
  }
  return result;
}

function close(a: number, b: number, within: number | undefined): boolean {
  if (within !== undefined) return Math.abs(a - b) <= within;
  return Math.abs(a - b) <= EXPECT_TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));
}

function flat(v: Value): number[] {
  return typeof v === 'number' ? [v] : v.flatMap(flat);
}

function shapeOf(v: Value): number[] {
  return typeof v === 'number' ? [] : [v.length, ...(v.length ? shapeOf(v[0]!) : [])];
}
