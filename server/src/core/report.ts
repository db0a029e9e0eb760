/**
 * Plain JSON views of results and diagnostics, with 1-based lines and columns:
 * the format of `calc run --json`, documented field by field in docs/cli.md.
 */
import type { Analysis } from './analysis';
import { toCalc } from './calculus/print';
import { type StatementResult, valueOrText } from './results';
import type { Diagnostic } from './syntax/diagnostics';

export interface JsonDiagnostic {
  line: number; column: number; endLine: number; endColumn: number;
  severity: Diagnostic['severity']; code: number; message: string;
}

/** Maps offsets to 1-based line and column (UTF-16 code units, like editors). */
export class LineMap {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) this.starts.push(i + 1);
    }
  }
  /** `new LineMap('a\nb').position(2)` is { line: 2, column: 1 }. */
  position(offset: number): { line: number; column: number } {
    let lo = 0, hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid; else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo]! + 1 };
  }
}

export function jsonDiagnostic(lines: LineMap, d: Diagnostic): JsonDiagnostic {
  const a = lines.position(d.offset), b = lines.position(d.offset + d.length);
  return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column, severity: d.severity, code: d.code, message: d.message };
}

/** The JSON fields of a result, without the symbolic trees. */
export function jsonResult(r: StatementResult): Record<string, unknown> {
  switch (r.kind) {
    case 'value': return { kind: 'value', value: valueOrText(r) };
    case 'taylor': return { kind: 'taylor', polynomial: toCalc(r.expanded), shifted: toCalc(r.shiftedExpr), order: r.order, at: r.at };
    case 'check': return { kind: 'check', passed: r.passed, maxRelError: r.maxRelError, exact: r.exact, numeric: r.numeric, at: r.at, message: r.message };
    case 'expect': return { kind: 'expect', passed: r.passed, method: r.method, counterexample: r.counterexample ?? null, message: r.message };
    case 'root': return {
      kind: 'root', point: r.point, value: r.value.length === 1 ? r.value[0] : r.value, iterations: r.iterations, evaluations: r.evaluations,
      converged: r.converged, reason: r.reason, message: r.message, safeguard: r.safeguard ?? null, notes: r.notes, path: r.path,
    };
    case 'minimize': case 'maximize': return {
      kind: r.kind, point: r.point, value: r.value, iterations: r.iterations, evaluations: r.evaluations, converged: r.converged,
      reason: r.reason, method: r.method, message: r.message, notes: r.notes, path: r.path,
    };
    case 'lagrange': return {
      kind: 'lagrange', candidates: r.candidates.map((c) => ({ point: c.point, lambda: c.lambda, value: c.value, kind: c.kind, ...(c.best ? { best: c.best } : {}) })),
      answer: r.answer ?? null, message: r.message, notes: r.notes,
    };
    case 'fit': return {
      kind: 'fit', parameters: Object.fromEntries(r.parameters.map((p) => [p.name, { value: p.value, stderr: p.stderr }])),
      chi2: r.chi2, reducedChi2: r.reducedChi2, dof: r.dof, r2: r.r2, converged: r.converged, iterations: r.iterations,
      method: r.method, message: r.message, notes: r.notes, residuals: r.residuals,
    };
  }
}

/** Every diagnostic and result of an analysis as JSON, in line order. */
export function jsonReport(file: string, analysis: Analysis, results: ReadonlyMap<number, StatementResult>, diagnostics: readonly Diagnostic[]): {
  file: string; diagnostics: JsonDiagnostic[]; results: Record<string, unknown>[];
} {
  const lines = new LineMap(analysis.text);
  return {
    file,
    diagnostics: [...diagnostics].sort((a, b) => a.offset - b.offset).map((d) => jsonDiagnostic(lines, d)),
    results: [...results.entries()].sort((a, b) => a[0] - b[0]).map(([offset, r]) => ({ line: lines.position(offset).line, ...jsonResult(r) })),
  };
}
