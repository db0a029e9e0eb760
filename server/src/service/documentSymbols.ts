/**
 * The outline: constants, functions, data sets (with their columns) and analyses.
 */
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver-types';
import type { Statement } from '../core/syntax/ast';
import { type CalcDocument, rangeOf } from './document';

const MAX_NAME = 60;

/**
 * `findDocumentSymbols(doc)` on `f(x) = x^2` is one Function symbol named "f" with detail "f(x)".
 */
export function findDocumentSymbols(doc: CalcDocument): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  for (const s of doc.analysis.program.statements) {
    const symbol = symbolOf(doc, s);
    if (symbol) out.push(symbol);
  }
  return out;
}

function symbolOf(doc: CalcDocument, s: Statement): DocumentSymbol | undefined {
  const range = rangeOf(doc, s);
  const make = (name: string, kind: SymbolKind, selection = range, detail?: string, children?: DocumentSymbol[]): DocumentSymbol => ({
    name: name.trim() || '(unnamed)', kind, range, selectionRange: selection,
    ...(detail ? { detail } : {}), ...(children ? { children } : {}),
  });
  switch (s.kind) {
    case 'constant':
      return make(s.name.name, SymbolKind.Constant, rangeOf(doc, s.name));
    case 'function':
      return make(s.name.name, SymbolKind.Function, rangeOf(doc, s.name), `${s.name.name}(${s.params.map((p) => p.name).join(', ')})`);
    case 'data': {
      const columns = doc.analysis.data.get(s.name.name)?.columns ?? s.table?.header.map((h) => h.text) ?? [];
      const header = s.table?.header;
      const children = columns.map((c) => {
        const cell = header?.find((h) => h.text === c);
        const r = cell ? rangeOf(doc, cell) : rangeOf(doc, s.name);
        return { name: c, kind: SymbolKind.Field, range: r, selectionRange: r };
      });
      return make(s.name.name, SymbolKind.Struct, rangeOf(doc, s.name), s.csv ? `csv("${s.csv.value}")` : `${s.table?.rows.length ?? 0} rows`, children);
    }
    case 'root': case 'optimize': case 'fit': case 'taylor': case 'plot': case 'check': case 'expect':
      return make(firstLine(doc, s), SymbolKind.Event);
    default:
      return undefined;
  }
}

/** The statement's first line, shortened: the outline's label for an analysis. */
function firstLine(doc: CalcDocument, s: Statement): string {
  const text = doc.analysis.text.slice(s.start, Math.min(s.end, s.start + 400));
  const line = text.split(/\r?\n|\r/)[0]!.replace(/\s+/g, ' ');
  return line.length > MAX_NAME ? line.slice(0, MAX_NAME - 1) + '…' : line;
}
