/**
 * Rename: symbol-aware, so renaming the parameter `x` of f leaves every other `x` alone.
 *
 * `prepareRename` refuses built-ins, keywords and places that are not names; `doRename`
 * refuses new names that are not identifiers, are reserved, or would change what some
 * name refers to (a clash with another definition, or capture by a parameter or a free
 * variable of a statement the symbol is used in).
 */
import type { Position, Range, WorkspaceEdit } from 'vscode-languageserver-types';
import { BUILTINS } from '../core/semantics/builtins';
import { KEYWORDS } from '../core/syntax/parser';
import { Scanner } from '../core/syntax/scanner';
import { type CalcDocument, rangeOf, statementAt } from './document';
import { namesIn, occurrencesOf, symbolAt } from './occurrences';

/** A refusal, in words the editor shows. */
export interface RenameRefusal { readonly error: string }

/**
 * `prepareRename(doc, pos)` on a user's name gives its range and text; on `sin`, a refusal.
 */
export function prepareRename(doc: CalcDocument, position: Position): { range: Range; placeholder: string } | RenameRefusal {
  const offset = doc.textDocument.offsetAt(position);
  const symbol = symbolAt(doc, offset);
  if (!symbol) {
    const word = wordAt(doc.analysis.text, offset);
    if (word && KEYWORDS.has(word)) return { error: `'${word}' is a keyword of the language and cannot be renamed.` };
    return { error: 'Place the cursor on a name to rename it.' };
  }
  if (symbol.kind === 'builtin') return { error: `'${symbol.name}' is a built-in and cannot be renamed.` };
  return { range: rangeOf(doc, symbol.span), placeholder: symbol.name };
}

/**
 * `doRename(doc, pos, 'g')` on the `f` of `f(x) = x^2\nf(2)` changes both f to g.
 */
export function doRename(doc: CalcDocument, position: Position, newName: string): WorkspaceEdit | RenameRefusal {
  const prepared = prepareRename(doc, position);
  if ('error' in prepared) return prepared;
  const symbol = symbolAt(doc, doc.textDocument.offsetAt(position))!;
  if (newName === symbol.name) return { changes: { [doc.uri]: [] } };
  const invalid = validateName(newName);
  if (invalid) return { error: invalid };

  const occurrences = occurrencesOf(doc, symbol.key);
  const globals = doc.analysis.symbols.globals;
  const isGlobal = symbol.kind === 'constant' || symbol.kind === 'function' || symbol.kind === 'data';
  if (isGlobal && globals.has(newName)) return { error: `'${newName}' is already defined; choose another name.` };
  if (!isGlobal && globals.has(newName)) {
    return { error: `'${newName}' is a ${globals.get(newName)!.kind} of this document; a ${symbol.kind === 'free' ? 'variable' : symbol.kind} of that name would hide it.` };
  }
  // Capture: in every statement where the symbol occurs, the new name must not already mean something.
  const statements = new Set(occurrences.map((o) => statementAt(doc, o.span.start)).filter((s) => s !== undefined));
  if (symbol.kind === 'column') {
    // A column is used by every fit to its data set: check those statements too.
    for (const s of doc.analysis.program.statements) if (s.kind === 'fit' && s.data) statements.add(s);
  }
  for (const s of statements) {
    if (namesIn(doc, s).has(newName)) return { error: `'${newName}' is already used in a statement where '${symbol.name}' appears; renaming would change its meaning.` };
  }
  return { changes: { [doc.uri]: occurrences.map((o) => ({ range: rangeOf(doc, o.span), newText: newName })) } };
}

/** Why a new name is not acceptable, or undefined when it is. The scanner decides what a name is. */
export function validateName(name: string): string | undefined {
  const t = new Scanner(name).next();
  if (t.kind !== 'ident' || t.start !== 0 || t.end !== name.length) {
    return `'${name}' is not a name: start with a letter or _, then letters, digits or _.`;
  }
  if (KEYWORDS.has(name)) return `'${name}' is a keyword of the language.`;
  if (BUILTINS.has(name)) return `'${name}' is a built-in ${BUILTINS.get(name)!.kind}.`;
  return undefined;
}

function wordAt(text: string, offset: number): string | undefined {
  const left = /[\p{L}\p{N}_]*$/u.exec(text.slice(Math.max(0, offset - 64), offset))?.[0] ?? '';
  const right = /^[\p{L}\p{N}_]*/u.exec(text.slice(offset, offset + 64))?.[0] ?? '';
  return left + right || undefined;
}
