/**
 * Find references: every occurrence of the symbol under the cursor, in this document.
 */
import type { Location, Position } from 'vscode-languageserver-types';
import { type CalcDocument, rangeOf } from './document';
import { occurrencesOf, symbolAt } from './occurrences';

/**
 * `findReferences(doc, pos, true)` on the `a` of `a = 2` lists the definition and every use of a.
 */
export function findReferences(doc: CalcDocument, position: Position, includeDeclaration: boolean): Location[] {
  const symbol = symbolAt(doc, doc.textDocument.offsetAt(position));
  if (!symbol) return [];
  return occurrencesOf(doc, symbol.key)
    .filter((o) => includeDeclaration || !o.isDefinition)
    .map((o) => ({ uri: doc.uri, range: rangeOf(doc, o.span) }));
}
