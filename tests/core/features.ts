/**
 * Runs every language-service feature on a document, at the given offsets, and checks
 * that every range it answers lies inside the document. Used by the robustness and fuzz
 * tests: whatever the text, no feature may throw.
 */
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position, Range } from 'vscode-languageserver-types';
import { analyze } from '../../server/src/core/analysis';
import { getCodeLenses } from '../../server/src/service/codeLens';
import { doComplete } from '../../server/src/service/completion';
import { findDefinition } from '../../server/src/service/definition';
import { doValidation } from '../../server/src/service/diagnostics';
import { type CalcDocument, createCalcDocument } from '../../server/src/service/document';
import { findDocumentHighlights } from '../../server/src/service/documentHighlights';
import { findDocumentSymbols } from '../../server/src/service/documentSymbols';
import { getFoldingRanges } from '../../server/src/service/folding';
import { format } from '../../server/src/service/format';
import { doHover } from '../../server/src/service/hover';
import { getInlayHints } from '../../server/src/service/inlayHints';
import { findReferences } from '../../server/src/service/references';
import { doRename, prepareRename } from '../../server/src/service/rename';
import { getSemanticTokens } from '../../server/src/service/semanticTokens';
import { getSignatureHelp } from '../../server/src/service/signatureHelp';

/** Asserts that every diagnostic of the core lies inside the text. */
export function assertDiagnosticsInside(text: string): ReturnType<typeof analyze> {
  const analysis = analyze(text);
  for (const d of analysis.diagnostics) {
    assert.ok(d.offset >= 0 && d.length >= 0 && d.offset + d.length <= text.length, `diagnostic ${d.code} at ${d.offset}+${d.length} is inside ${text.length}`);
  }
  return analysis;
}

/** Every feature on the document; positions at `offsets` (clamped). Returns the document. */
export function exerciseFeatures(text: string, offsets: readonly number[]): CalcDocument {
  const doc = createCalcDocument(TextDocument.create('file:///fuzz/doc.calc', 'calc', 1, text));
  const td = doc.textDocument;
  const inside = (r: Range, what: string): void => {
    const a = td.offsetAt(r.start), b = td.offsetAt(r.end);
    assert.ok(a <= b && b <= text.length && td.positionAt(a).line === r.start.line && td.positionAt(b).line === r.end.line, `${what} range inside the document`);
  };
  for (const d of doValidation(doc)) inside(d.range, 'diagnostic');
  for (const s of findDocumentSymbols(doc)) { inside(s.range, 'symbol'); inside(s.selectionRange, 'symbol selection'); }
  getSemanticTokens(doc);
  getFoldingRanges(doc);
  for (const e of format(doc)) inside(e.range, 'format edit');
  getInlayHints(doc);
  for (const l of getCodeLenses(doc)) inside(l.range, 'code lens');
  for (const offset of offsets) {
    const p: Position = td.positionAt(Math.max(0, Math.min(offset, text.length)));
    doComplete(doc, p, { snippets: true });
    getSignatureHelp(doc, p);
    for (const l of findDefinition(doc, p)) inside(l.range, 'definition');
    for (const l of findReferences(doc, p, true)) inside(l.range, 'reference');
    for (const h of findDocumentHighlights(doc, p)) inside(h.range, 'highlight');
    const prepared = prepareRename(doc, p);
    if (!('error' in prepared)) inside(prepared.range, 'rename');
    doRename(doc, p, 'renamed_1');
    doHover(doc, p, { typeset: false });
  }
  return doc;
}
