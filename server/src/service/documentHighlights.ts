/**
 * Document highlight: the occurrences of the symbol under the cursor, definitions marked
 * as writes and uses as reads.
 */
import { DocumentHighlightKind, type DocumentHighlight, type Position } from 'vscode-languageserver-types';
import { type CalcDocument, rangeOf } from './document';
import { occurrencesOf, symbolAt } from './occurrences';

/**
 * `findDocumentHighlights(doc, pos)` on a parameter highlights it in its function's head and body.
 */
export function findDocumentHighlights(doc: CalcDocument, position: Position): DocumentHighlight[] {
  const symbol = symbolAt(doc, doc.textDocument.offsetAt(position));
  if (!symbol) return [];
  return occurrencesOf(doc, symbol.key).map((o) => ({
    range: rangeOf(doc, o.span),
    kind: o.isDefinition ? DocumentHighlightKind.Write : DocumentHighlightKind.Read,
  }));
}
