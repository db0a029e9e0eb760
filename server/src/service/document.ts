/**
 * The language service's view of a document: its text, its analysis, and the
 * results of the statements that have been run for this version. Features take a
 * CalcDocument and map the core's offsets to LSP positions here, and only here.
 */
import type { Range } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, type Analysis, type AnalyzeOptions } from '../core/analysis';
import type { StatementResult } from '../core/results';
import type { FileHost } from '../core/semantics/data';
import type { Span, Statement } from '../core/syntax/ast';

export interface CalcDocument {
  readonly uri: string;
  readonly version: number;
  readonly textDocument: TextDocument;
  readonly analysis: Analysis;
  /** Results of runnable statements (root, minimize, maximize, fit) run for this version, by statement start offset. */
  readonly runs: Map<number, StatementResult>;
}

/**
 * Analyses a text document.
 * `createCalcDocument(TextDocument.create('file:///a.calc', 'calc', 1, 'a = 1'))`
 */
export function createCalcDocument(textDocument: TextDocument, host?: FileHost, options: Omit<AnalyzeOptions, 'host'> = {}): CalcDocument {
  return {
    uri: textDocument.uri,
    version: textDocument.version,
    textDocument,
    analysis: analyze(textDocument.getText(), { ...options, ...(host ? { host } : {}) }),
    runs: new Map(),
  };
}

/**
 * A document without the evaluation of its statements: parse, data and names only, which
 * is fast on any size of document. The language server answers with it at once and adds
 * the evaluation, done off its main thread, with `withEvaluation`.
 */
export function createSyntacticDocument(textDocument: TextDocument, host?: FileHost): CalcDocument {
  return createCalcDocument(textDocument, host, { evaluate: false });
}

/** What a full analysis adds, as plain data that can cross a thread: diagnostics, and results by statement start. */
export interface Evaluation {
  readonly diagnostics: Analysis['diagnostics'];
  readonly results: readonly (readonly [number, StatementResult])[];
}

/** The evaluation of a document, as plain data: `evaluationOf(createCalcDocument(td))`. */
export function evaluationOf(analysis: Analysis): Evaluation {
  return { diagnostics: analysis.diagnostics, results: [...analysis.results].map(([s, r]) => [s.start, r] as const) };
}

/**
 * The document with an evaluation made of the same text elsewhere (same text, so the same
 * statements at the same offsets). Its runs are kept.
 */
export function withEvaluation(doc: CalcDocument, evaluation: Evaluation): CalcDocument {
  const byStart = new Map(doc.analysis.program.statements.map((s) => [s.start, s]));
  const results = new Map<Statement, StatementResult>();
  for (const [start, r] of evaluation.results) {
    const s = byStart.get(start);
    if (s) results.set(s, r);
  }
  return { ...doc, analysis: { ...doc.analysis, diagnostics: evaluation.diagnostics, results } };
}

/** The LSP range of a span of the core. */
export function rangeOf(doc: CalcDocument, span: Span): Range {
  return { start: doc.textDocument.positionAt(span.start), end: doc.textDocument.positionAt(span.end) };
}

/** The statement whose range holds `offset` (end inclusive, so a cursor at the end of a line counts). */
export function statementAt(doc: CalcDocument, offset: number): Statement | undefined {
  const list = doc.analysis.program.statements;
  let lo = 0, hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = list[mid]!;
    if (offset < s.start) hi = mid - 1;
    else if (offset > s.end) lo = mid + 1;
    else return s;
  }
  return undefined;
}

/** The result of a statement: its cheap result, or the result of its last run. */
export function resultOf(doc: CalcDocument, s: Statement): StatementResult | undefined {
  return doc.analysis.results.get(s) ?? doc.runs.get(s.start);
}
