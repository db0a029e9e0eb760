/**
 * Go to definition: from a use of a name to where it is defined (a constant, function,
 * data set, parameter, the column's header cell, the first binding of a free variable).
 */
import type { Location, Position } from 'vscode-languageserver-types';
import { type CalcDocument, rangeOf } from './document';
import { symbolAt } from './occurrences';

/**
 * `findDefinition(doc, pos)` on the `f` of `f(2)` is the `f` of `f(x) = x^2`.
 */
export function findDefinition(doc: CalcDocument, position: Position): Location[] {
  const symbol = symbolAt(doc, doc.textDocument.offsetAt(position));
  if (!symbol) return [];
  let span = symbol.definition;
  if (!span && symbol.kind === 'column' && typeof symbol.key === 'string') {
    // A column of a csv file is defined in the file; the nearest place in the document is the data statement.
    const start = Number(symbol.key.split(':')[1]);
    const data = doc.analysis.program.statements.find((s) => s.start === start);
    if (data?.kind === 'data') span = data.csv ?? data.name;
  }
  return span ? [{ uri: doc.uri, range: rangeOf(doc, span) }] : [];
}
