/**
 * Documents for service tests. A `|` marks the cursor (it is not a character of .calc,
 * so it can never be mistaken for the document's own text).
 */
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position, Range } from 'vscode-languageserver-types';
import { type CalcDocument, createCalcDocument } from '../../server/src/service/document';
import type { FileHost } from '../../server/src/core/semantics/data';

export const URI = 'file:///work/sheet.calc';

/** A document from text with one `|`: the document without it, and the cursor. */
export function withCursor(marked: string, host?: FileHost): { doc: CalcDocument; position: Position; offset: number; text: string } {
  const offset = marked.indexOf('|');
  assert.ok(offset >= 0 && marked.indexOf('|', offset + 1) < 0, 'exactly one | marks the cursor');
  const text = marked.slice(0, offset) + marked.slice(offset + 1);
  const doc = documentOf(text, host);
  return { doc, position: doc.textDocument.positionAt(offset), offset, text };
}

export function documentOf(text: string, host?: FileHost): CalcDocument {
  return createCalcDocument(TextDocument.create(URI, 'calc', 1, text), host);
}

/** The text a range covers. */
export function textAt(doc: CalcDocument, range: Range): string {
  return doc.textDocument.getText(range);
}

/** The range of the n-th (0-based) occurrence of `needle`. */
export function rangeOfText(doc: CalcDocument, needle: string, n = 0): Range {
  const text = doc.textDocument.getText();
  let at = -1;
  for (let i = 0; i <= n; i++) { at = text.indexOf(needle, at + 1); assert.ok(at >= 0, `occurrence ${i} of '${needle}'`); }
  return { start: doc.textDocument.positionAt(at), end: doc.textDocument.positionAt(at + needle.length) };
}

/** A host that serves files from a table, for csv data. */
export function memoryHost(files: Record<string, string>): FileHost {
  return { readFile: (p) => (p in files ? { ok: true, text: files[p]! } : { ok: false, reason: 'missing' }) };
}
