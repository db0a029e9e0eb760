/**
 * Folding: data blocks, runs of comment lines, and statements that span lines.
 */
import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver-types';
import type { CalcDocument } from './document';

/**
 * `getFoldingRanges(doc)` on "data d {\n x y\n 1 2\n}" folds lines 0 to 2 (the `}` stays visible).
 */
export function getFoldingRanges(doc: CalcDocument): FoldingRange[] {
  const td = doc.textDocument;
  const out: FoldingRange[] = [];
  for (const s of doc.analysis.program.statements) {
    const start = td.positionAt(s.start).line;
    const end = td.positionAt(s.end).line;
    if (s.kind === 'data' && s.table) {
      // Keep the closing brace's line visible, as editors do for braces.
      const last = end - 1;
      if (last > start) out.push({ startLine: start, endLine: last });
    } else if (end > start) {
      out.push({ startLine: start, endLine: end });
    }
  }
  // Runs of two or more whole-line comments.
  let runStart = -1;
  for (let line = 0; line < td.lineCount; line++) {
    const text = lineText(doc, line);
    const isComment = /^\s*#/.test(text);
    if (isComment && runStart < 0) runStart = line;
    if (!isComment && runStart >= 0) {
      if (line - 1 > runStart) out.push({ startLine: runStart, endLine: line - 1, kind: FoldingRangeKind.Comment });
      runStart = -1;
    }
  }
  if (runStart >= 0 && td.lineCount - 1 > runStart) out.push({ startLine: runStart, endLine: td.lineCount - 1, kind: FoldingRangeKind.Comment });
  return out.sort((a, b) => a.startLine - b.startLine);
}

/** The text of a line, without its line break. */
export function lineText(doc: CalcDocument, line: number): string {
  const td = doc.textDocument;
  const text = td.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
  return text.replace(/\r?\n$|\r$/, '');
}
