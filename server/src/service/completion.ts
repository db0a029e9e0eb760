/**
 * Completion: built-ins with their signatures and documentation, the document's own
 * definitions, keywords, data columns inside fit statements, method names after `by`
 * and option names after `with`.
 *
 * The context is read from the text before the cursor, not from the tree: the line
 * being typed is usually half-finished and parses as an error.
 */
import {
  CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem, type CompletionList, type Position,
} from 'vscode-languageserver-types';
import { BUILTINS, type Builtin } from '../core/semantics/builtins';
import { valueOrText } from '../core/results';
import { METHODS, OPTIONS } from '../core/run';
import { STATEMENT_KEYWORDS } from '../core/syntax/parser';
import type { Statement } from '../core/syntax/ast';
import { type CalcDocument, statementAt } from './document';
import { showValue } from './values';

export interface CompletionOptions {
  /** The client accepts snippets (`sin($1)`); from its completion capabilities. */
  readonly snippets?: boolean;
  /**
   * Completion was triggered by typing a space: answer only where a space opens a list
   * (method names after `by `, options after `with `, data sets after `to `), else nothing.
   */
  readonly afterSpace?: boolean;
}

/** Clauses that may follow the statement that starts with each keyword. */
const CLAUSES: Record<string, readonly string[]> = {
  taylor: ['at', 'order'],
  root: ['near', 'by', 'with'],
  minimize: ['from', 'subject to', 'by', 'with'],
  maximize: ['from', 'subject to', 'by', 'with'],
  fit: ['to', 'from', 'by', 'with'],
  plot: ['over', 'in'],
  check: ['at'],
  expect: ['within'],
  '': ['at'],
};

type Family = keyof typeof METHODS;

const IDENT_TAIL = /[\p{L}\p{N}_]*$/u;

/**
 * `doComplete(doc, pos)` with the cursor after `minimize f from [0, 0] by ` offers
 * `gradient descent`, `newton`, `bfgs` and `trust region`.
 */
export function doComplete(doc: CalcDocument, position: Position, options: CompletionOptions = {}): CompletionList {
  const td = doc.textDocument;
  const offset = td.offsetAt(position);
  const lineStart = td.offsetAt({ line: position.line, character: 0 });
  const before = doc.analysis.text.slice(lineStart, offset);
  if (insideCommentOrString(before)) return { isIncomplete: false, items: [] };

  const word = IDENT_TAIL.exec(before)?.[0] ?? '';
  const head = before.slice(0, before.length - word.length);
  const first = /^\s*([\p{L}_][\p{L}\p{N}_]*)/u.exec(before)?.[1] ?? '';
  const family: Family | undefined = first === 'minimize' || first === 'maximize' ? 'optimize' : first === 'root' ? 'root' : first === 'fit' ? 'fit' : undefined;
  const replace = (text: string) => ({ start: td.positionAt(offset - text.length), end: position });

  // `by gradient des|`: method names, which may have several words.
  const by = /\bby\s+([\p{L}\- ]*)$/u.exec(before);
  if (by && family) {
    const typed = by[1]!;
    return list(Object.keys(METHODS[family]).map((m, i) => ({
      label: m, kind: CompletionItemKind.EnumMember, detail: `${first} method`, sortText: String(i).padStart(2, '0'),
      textEdit: { range: replace(typed), newText: m },
    })));
  }

  // `with step = 0.1, |`: option names not given yet.
  const withClause = /\bwith\s+((?:[\p{L}_][\p{L}\p{N}_]*\s*=[^,=]*,\s*)*)[\p{L}_]*$/u.exec(before);
  if (withClause && family) {
    const given = new Set([...withClause[1]!.matchAll(/([\p{L}_][\p{L}\p{N}_]*)\s*=/gu)].map((m) => m[1]!));
    return list(OPTIONS[family].filter((o) => !given.has(o)).map((o) => ({
      label: o, kind: CompletionItemKind.Property, detail: OPTION_DOCS[o] ?? 'option', insertText: `${o} = `,
    })));
  }

  // `fit y = m*x + c to |`: data sets.
  if (first === 'fit' && /\bto\s+$/u.test(head)) {
    return list(dataSets(doc).map((name) => ({ label: name, kind: CompletionItemKind.Struct, detail: `data ${name}: ${(doc.analysis.symbols.columns.get(name) ?? []).join(', ')}` })));
  }

  if (options.afterSpace) return { isIncomplete: false, items: [] };
  const items: CompletionItem[] = [];
  const atLineStart = /^\s*$/.test(head);
  if (atLineStart) {
    for (const k of STATEMENT_KEYWORDS) items.push({ label: k, kind: CompletionItemKind.Keyword, sortText: `3${k}` });
  } else {
    const clauses = CLAUSES[first] ?? CLAUSES['']!;
    for (const k of clauses) items.push({ label: k, kind: CompletionItemKind.Keyword, sortText: `3${k}` });
  }

  const statement = statementAt(doc, Math.max(lineStart, offset - 1));
  // Inside a function body: its parameters first.
  if (statement?.kind === 'function' && offset > statement.name.end) {
    for (const p of statement.params) items.push({ label: p.name, kind: CompletionItemKind.Variable, detail: `parameter of ${statement.name.name}`, sortText: `0${p.name}` });
  }
  // Inside a fit: the data's columns.
  if (first === 'fit') {
    for (const [set, column] of columnsFor(doc, statement, before)) {
      items.push({ label: column, kind: CompletionItemKind.Field, detail: `column of ${set}`, sortText: `0${column}` });
    }
  }
  for (const def of doc.analysis.symbols.globals.values()) {
    if (def.kind === 'data') continue;
    if (statement && def.statement === statement && statement.kind !== 'data') continue; // not itself
    items.push(definitionItem(doc, def.statement, options));
  }
  for (const b of BUILTINS.values()) items.push(builtinItem(b, options));
  return list(items);
}

const OPTION_DOCS: Record<string, string> = {
  step: 'step size (learning rate) of gradient descent',
  maxiter: 'the most iterations to run',
  tol: 'the convergence tolerance',
  sigma: 'the column of uncertainties',
};

function list(items: CompletionItem[]): CompletionList {
  return { isIncomplete: false, items };
}

/** True when the text before the cursor ends inside a `#` comment or a string. */
function insideCommentOrString(before: string): boolean {
  let inString = false;
  for (const ch of before) {
    if (ch === '"') inString = !inString;
    else if (ch === '#' && !inString) return true;
  }
  return inString;
}

function dataSets(doc: CalcDocument): string[] {
  return [...doc.analysis.symbols.globals.values()].filter((d) => d.kind === 'data').map((d) => d.name);
}

/** The columns a fit can use: those of the data set after `to` when it is written, else of every data set. */
function columnsFor(doc: CalcDocument, statement: Statement | undefined, before: string): [string, string][] {
  const named = statement?.kind === 'fit' && statement.data ? statement.data.name : /\bto\s+([\p{L}_][\p{L}\p{N}_]*)/u.exec(before)?.[1];
  const sets = named && doc.analysis.symbols.columns.has(named) ? [named] : dataSets(doc);
  const out: [string, string][] = [];
  const seen = new Set<string>();
  for (const set of sets) {
    for (const c of doc.analysis.symbols.columns.get(set) ?? []) {
      if (!seen.has(c)) { seen.add(c); out.push([set, c]); }
    }
  }
  return out;
}

function definitionItem(doc: CalcDocument, s: Statement, options: CompletionOptions): CompletionItem {
  if (s.kind === 'function') {
    const params = s.params.map((p) => p.name);
    const source = doc.analysis.text.slice(s.start, Math.min(s.end, s.start + 200));
    return {
      label: s.name.name, kind: CompletionItemKind.Function, detail: `${s.name.name}(${params.join(', ')})`, sortText: `1${s.name.name}`,
      documentation: { kind: MarkupKind.Markdown, value: '```calc\n' + source + '\n```' },
      ...callInsert(s.name.name, options),
    };
  }
  const name = s.kind === 'constant' ? s.name.name : '';
  const result = doc.analysis.results.get(s);
  const value = result?.kind === 'value' ? ` = ${showValue(valueOrText(result), 60)}` : '';
  return { label: name, kind: CompletionItemKind.Constant, detail: `${name}${value}`, sortText: `1${name}` };
}

function builtinItem(b: Builtin, options: CompletionOptions): CompletionItem {
  const documentation = { kind: MarkupKind.Markdown, value: `${b.summary}\n\n${b.doc}` };
  switch (b.kind) {
    case 'function':
      return { label: b.name, kind: CompletionItemKind.Function, detail: `${b.name}(${b.params.join(', ')})`, documentation, sortText: `2${b.name}`, ...callInsert(b.name, options) };
    case 'constant':
      return { label: b.name, kind: CompletionItemKind.Constant, detail: b.summary, documentation, sortText: `2${b.name}` };
    case 'operator':
      return {
        label: b.name, kind: CompletionItemKind.Function, detail: b.signatures.join('  ·  '), documentation, sortText: `2${b.name}`,
        ...(b.name === 'taylor' ? {} : callInsert(b.name, options)),
      };
  }
}

function callInsert(name: string, options: CompletionOptions): Partial<CompletionItem> {
  if (!options.snippets) return {};
  return {
    insertText: `${name}($0)`, insertTextFormat: InsertTextFormat.Snippet,
    command: { title: 'Signature help', command: 'editor.action.triggerParameterHints' },
  };
}
