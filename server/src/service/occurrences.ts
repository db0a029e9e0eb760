/**
 * Which symbol a name stands for, and every place it occurs: the one mechanism behind
 * go to definition, find references, rename and document highlight.
 *
 * A symbol is identified by a key:
 * - a top-level definition or a parameter: its `Definition` object from the resolver;
 * - a data column: the data statement and the column name (each fit statement resolves
 *   its columns afresh, so their Definition objects differ between statements);
 * - a free variable (`x` in `diff(x^2, x)`, a fit parameter): the statement and the name,
 *   since a free variable means something only inside its own statement;
 * - a built-in: its name (no definition, never renamed).
 */
import type { Definition, Reference } from '../core/semantics/names';
import type { Span, Statement } from '../core/syntax/ast';
import { BUILTINS } from '../core/semantics/builtins';
import { KEYWORDS } from '../core/syntax/parser';
import type { CalcDocument } from './document';
import { statementAt } from './document';

export type SymbolKey = Definition | string;

export interface Occurrence {
  readonly span: Span;
  /** True where the name is defined (written to), false where it is used. */
  readonly isDefinition: boolean;
}

export interface SymbolAt {
  readonly key: SymbolKey;
  readonly name: string;
  /** The occurrence under the cursor. */
  readonly span: Span;
  readonly kind: Definition['kind'] | 'builtin' | 'free';
  /** Where the symbol is defined, if it has a definition in this document. */
  readonly definition?: Span;
  /** The statement the occurrence is in. */
  readonly statement?: Statement;
}

interface Index {
  /** Occurrences sorted by start offset, with their keys. */
  readonly sorted: readonly { readonly span: Span; readonly key: SymbolKey; readonly ref?: Reference; readonly isDefinition: boolean; readonly name: string }[];
  readonly byKey: ReadonlyMap<SymbolKey, Occurrence[]>;
}

const indexes = new WeakMap<CalcDocument['analysis'], Index>();

function indexOf(doc: CalcDocument): Index {
  const cached = indexes.get(doc.analysis);
  if (cached) return cached;
  const sorted: { span: Span; key: SymbolKey; ref?: Reference; isDefinition: boolean; name: string }[] = [];
  const add = (span: Span, key: SymbolKey, name: string, isDefinition: boolean, ref?: Reference): void => {
    sorted.push({ span, key, name, isDefinition, ...(ref ? { ref } : {}) });
  };
  for (const ref of doc.analysis.symbols.references) {
    add(ref.span, keyOf(doc, ref), ref.name, ref.isDefinition === true, ref);
  }
  // Names that define without being references: column headers and the names bound in
  // `at x = 3`, `from A = 10`, `near x = 1` (the resolver does not record them).
  for (const s of doc.analysis.program.statements) {
    if (s.kind === 'data' && s.table) {
      for (const h of s.table.header) add(h, columnKey(s, h.text), h.text, true);
      continue;
    }
    for (const p of pointsOf(s)) {
      if (p?.kind !== 'named-point') continue;
      for (const b of p.bindings) {
        if (s.kind === 'fit' && isColumn(doc, s, b.name.name)) continue;
        add(b.name, `free:${s.start}:${b.name.name}`, b.name.name, true);
      }
    }
  }
  // Where one span is recorded twice (a binding name is also a plain reference), the definition wins the dedup below.
  sorted.sort((a, b) => a.span.start - b.span.start || Number(b.isDefinition) - Number(a.isDefinition));
  const byKey = new Map<SymbolKey, Occurrence[]>();
  for (let i = 0; i < sorted.length; i++) {
    const o = sorted[i]!;
    // The resolver can record one span twice (a binding is also a plain reference); keep the first, a definition.
    let duplicate = false;
    for (let j = i - 1; j >= 0 && sorted[j]!.span.start === o.span.start; j--) {
      if (sorted[j]!.span.end === o.span.end && sorted[j]!.key === o.key) { duplicate = true; break; }
    }
    if (duplicate) continue;
    let list = byKey.get(o.key);
    if (!list) { list = []; byKey.set(o.key, list); }
    list.push({ span: o.span, isDefinition: o.isDefinition });
  }
  const index = { sorted, byKey };
  indexes.set(doc.analysis, index);
  return index;
}

function pointsOf(s: Statement) {
  switch (s.kind) {
    case 'expression': case 'taylor': case 'check': case 'expect': return [s.at];
    case 'root': return [s.near];
    case 'optimize': case 'fit': return [s.from];
    default: return [];
  }
}

function isColumn(doc: CalcDocument, s: Statement, name: string): boolean {
  if (s.kind !== 'fit' || !s.data) return false;
  return doc.analysis.symbols.columns.get(s.data.name)?.includes(name) ?? false;
}

function columnKey(data: Statement, name: string): string {
  return `column:${data.start}:${name}`;
}

function keyOf(doc: CalcDocument, ref: Reference): SymbolKey {
  const t = ref.target;
  if (t?.kind === 'column') return columnKey(t.statement, t.name);
  if (t) return t;
  if (ref.builtin) return `builtin:${ref.name}`;
  const s = statementAt(doc, ref.span.start);
  return `free:${s?.start ?? -1}:${ref.name}`;
}

/**
 * The symbol whose name touches `offset` (a cursor just after a name counts), or undefined.
 * `symbolAt(doc, 3)` on `f(x) = x^2` is the parameter x.
 */
export function symbolAt(doc: CalcDocument, offset: number): SymbolAt | undefined {
  const { sorted, byKey } = indexOf(doc);
  // Binary search for the last occurrence starting at or before offset.
  let lo = 0, hi = sorted.length - 1, found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]!.span.start <= offset) { found = mid; lo = mid + 1; } else hi = mid - 1;
  }
  // Prefer a name that starts exactly at the cursor over one that ends there (`a|+b` is a, `a+|b` is b).
  for (let i = found; i >= 0 && i >= found - 4; i--) {
    const o = sorted[i]!;
    if (o.span.start <= offset && offset <= o.span.end) {
      const key = o.key;
      const occurrences = byKey.get(key) ?? [];
      const kind: SymbolAt['kind'] = typeof key !== 'string' ? key.kind
        : key.startsWith('column:') ? 'column' : key.startsWith('builtin:') ? 'builtin' : 'free';
      const definition = typeof key !== 'string' ? key.span : occurrences.find((x) => x.isDefinition)?.span;
      const statement = statementAt(doc, o.span.start);
      return { key, name: o.name, span: o.span, kind, ...(definition ? { definition } : {}), ...(statement ? { statement } : {}) };
    }
  }
  return undefined;
}

/** Every occurrence of a symbol, in document order. */
export function occurrencesOf(doc: CalcDocument, key: SymbolKey): readonly Occurrence[] {
  return indexOf(doc).byKey.get(key) ?? [];
}

/** Every name used or defined inside a span (for rename's capture check). */
export function namesIn(doc: CalcDocument, span: Span): Set<string> {
  const names = new Set<string>();
  for (const o of indexOf(doc).sorted) {
    if (o.span.start >= span.start && o.span.end <= span.end) names.add(o.name);
  }
  return names;
}

/** True for names that can never be a user's symbol. */
export function isReserved(name: string): boolean {
  return KEYWORDS.has(name) || BUILTINS.has(name);
}
