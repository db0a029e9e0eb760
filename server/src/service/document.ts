/**
 * The language service's view of a document: its text, its analysis, and the
 * results of the statements that have been run for this version. Features take a
 * CalcDocument and map the core's offsets to LSP positions here, and only here.
 */
import type { Range } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, byPosition, moved, type Analysis, type AnalyzeOptions, type StatementOutcome } from '../core/analysis';
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
 * is fast on any size of document, plus whatever `previous` already knows (the outcomes of
 * statements whose text and definitions did not change). The language server answers with it
 * at once and adds the evaluation of the rest (`analysis.pending`), done off its main thread,
 * with `withEvaluation`.
 */
export function createSyntacticDocument(textDocument: TextDocument, host?: FileHost, previous?: Pick<Analysis, 'outcomes'>): CalcDocument {
  return createCalcDocument(textDocument, host, { evaluate: false, ...(previous ? { previous } : {}) });
}

/**
 * What a full analysis adds, as plain data that can cross a thread: the key of every statement
 * worked out, by start offset, and the outcomes the receiver does not know yet (so that after a
 * small edit, little crosses).
 */
export interface Evaluation {
  readonly statements: readonly (readonly [start: number, key: string])[];
  readonly outcomes: readonly (readonly [key: string, outcome: StatementOutcome])[];
  /**
   * Stopped part way, because a newer version replaced it (or its document was closed): the
   * outcomes are right, and worth keeping, but the version's other statements are missing, so it
   * is never the evaluation of a document.
   */
  readonly stopped?: true;
}

/**
 * The evaluation of a document, as plain data, leaving out the (portable) outcomes whose keys
 * the receiver already has: `evaluationOf(createCalcDocument(td))`.
 */
export function evaluationOf(analysis: Analysis, known: ReadonlySet<string> = new Set()): Evaluation {
  const statements: [number, string][] = [];
  const outcomes = new Map<string, StatementOutcome>();
  for (const [s, { key, outcome }] of analysis.evaluated) {
    statements.push([s.start, key]);
    if (!(outcome.portable && known.has(key))) outcomes.set(key, outcome);
  }
  return { statements, outcomes: [...outcomes] };
}

/**
 * The document with an evaluation made of the same text elsewhere (same text, so the same
 * statements at the same offsets), whose outcomes are in `evaluation` or `known`. Its runs are
 * kept. Undefined when an outcome is missing from both (the sender thought it known).
 */
export function withEvaluation(doc: CalcDocument, evaluation: Evaluation, known: ReadonlyMap<string, StatementOutcome> = new Map()): CalcDocument | undefined {
  const byStart = new Map(doc.analysis.program.statements.map((s) => [s.start, s]));
  const sent = new Map(evaluation.outcomes);
  const results = new Map<Statement, StatementResult>();
  const evaluated = new Map<Statement, { key: string; outcome: StatementOutcome }>();
  const diagnostics = [...doc.analysis.syntaxDiagnostics];
  for (const [start, key] of evaluation.statements) {
    const s = byStart.get(start);
    const outcome = sent.get(key) ?? known.get(key);
    if (!s) continue;
    if (!outcome) return undefined;
    if (outcome.result) results.set(s, outcome.result);
    for (const d of outcome.diagnostics) diagnostics.push(moved(d, start));
    evaluated.set(s, { key, outcome });
  }
  diagnostics.sort(byPosition);
  const outcomes = new Map([...evaluated.values()].filter((e) => e.outcome.portable).map((e) => [e.key, e.outcome] as const));
  return { ...doc, analysis: { ...doc.analysis, diagnostics, results, evaluated, outcomes, pending: [] } };
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
