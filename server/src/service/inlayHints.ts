/**
 * Inlay hints at the end of a line: each expression line's value, derivative results,
 * Taylor polynomials, ✓/✗ for check and expect, and the summary of a run.
 */
import { InlayHintKind, type InlayHint, type Range } from 'vscode-languageserver-types';
import { toCalc } from '../core/calculus/print';
import { summarize } from '../core/run';
import { type StatementResult, valueOrText } from '../core/results';
import type { Expression, Statement } from '../core/syntax/ast';
import { type CalcDocument, resultOf } from './document';
import { showValue } from './values';

const MAX_LABEL = 80;

/**
 * `getInlayHints(doc, range)` on `2 + 3` is one hint "= 5" at the end of the line.
 */
export function getInlayHints(doc: CalcDocument, range?: Range): InlayHint[] {
  const td = doc.textDocument;
  const from = range ? td.offsetAt(range.start) : 0;
  const to = range ? td.offsetAt(range.end) : Infinity;
  const out: InlayHint[] = [];
  for (const s of doc.analysis.program.statements) {
    if (s.end < from) continue;
    if (s.start > to) break;
    const result = resultOf(doc, s);
    if (!result) continue;
    const label = labelled(s, result);
    if (!label) continue;
    const line = td.positionAt(s.end).line;
    const end = lineEnd(doc, line);
    const short = label.length > MAX_LABEL ? label.slice(0, MAX_LABEL - 1) + '…' : label;
    out.push({
      position: td.positionAt(end), label: short, kind: InlayHintKind.Type, paddingLeft: true,
      ...(short !== label ? { tooltip: label } : {}),
    });
  }
  return out;
}

/**
 * Labels by result, made once: results hold expressions, printed where they are shown, and the
 * editor asks again for the lines on screen at every scroll and edit. (A WeakMap, which the
 * calculus caches avoid because the collector must process every entry: this one holds only the
 * results whose lines have been on screen. One result serves only statements with the same text,
 * so the label, which also reads the statement, is the same for each.)
 */
const labels = new WeakMap<StatementResult, string | undefined>();

function labelled(s: Statement, r: StatementResult): string | undefined {
  if (labels.has(r)) return labels.get(r);
  const label = labelOf(s, r);
  labels.set(r, label);
  return label;
}

function labelOf(s: Statement, r: StatementResult): string | undefined {
  switch (r.kind) {
    case 'value':
      if (s.kind === 'constant' && (s.value.kind === 'number' || (s.value.kind === 'unary' && s.value.operand.kind === 'number'))) return undefined;
      if (s.kind === 'constant' && s.value.kind === 'vector' && !r.expr && isLiteral(s.value)) return undefined;
      return `= ${showValue(valueOrText(r), MAX_LABEL * 4)}`;
    case 'taylor': return `≈ ${toCalc(r.shiftedExpr)}`;
    case 'check': case 'expect': return /^[✓✗]/.test(r.message) ? r.message : `${r.passed ? '✓' : '✗'} ${r.message}`;
    default: return `▸ ${summarize(r)}`;
  }
}

/** A vector or matrix written with number literals only: its value is what is written. */
function isLiteral(e: Expression): boolean {
  if (e.kind === 'number') return true;
  if (e.kind === 'unary') return isLiteral(e.operand);
  if (e.kind === 'vector') return e.items.every(isLiteral);
  return false;
}

/** The offset of the end of a line's content (before its line break). */
function lineEnd(doc: CalcDocument, line: number): number {
  const td = doc.textDocument;
  const text = doc.analysis.text;
  let end = line + 1 < td.lineCount ? td.offsetAt({ line: line + 1, character: 0 }) : text.length;
  while (end > 0 && (text[end - 1] === '\n' || text[end - 1] === '\r')) end--;
  return end;
}
