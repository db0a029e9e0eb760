/**
 * Formatting: canonical spacing, idempotent, never changing meaning.
 *
 * Canonical spacing, as in the language reference: one space around `=`, `==`, binary
 * `+` and `-`, and keywords; none around `*`, `/`, `^`, inside brackets, before `(` of a
 * call, or after a unary sign; one space after a comma. Implicit products keep whether
 * they were written with a space (`2x`, `3 sin(x)`). A trailing comment keeps its column
 * when there is room (so aligned comments stay aligned), else follows after two spaces.
 *
 * Only single-line statements without errors are respaced; data tables, statements that
 * span lines and lines with syntax errors are left as written (except trailing white
 * space). The result is checked by parsing it again and comparing the syntax trees
 * modulo offsets; a line whose tree would change is left alone.
 */
import type { Range, TextEdit } from 'vscode-languageserver-types';
import { KEYWORDS, parse } from '../core/syntax/parser';
import { Scanner, type Token } from '../core/syntax/scanner';
import type { Statement } from '../core/syntax/ast';
import type { CalcDocument } from './document';

/** Longer lines are left as written: no one writes them by hand, and respacing them is not worth the time. */
const MAX_LINE = 4_000;

/** Punctuation after which a `+` or `-` is a sign, not an operator. */
const BEFORE_UNARY = new Set(['(', '[', '{', ',', '=', '==', '+', '-', '*', '/', '^', ':', ';']);

/**
 * The edits that format the document (or the lines of `range`).
 * `format(doc)` on `f(x,y)=x^2 * y` replaces the line with `f(x, y) = x^2*y`.
 */
export function format(doc: CalcDocument, range?: Range): TextEdit[] {
  const text = doc.analysis.text;
  const td = doc.textDocument;
  const lineCount = td.lineCount;
  const lineStarts: number[] = [];
  for (let l = 0; l < lineCount; l++) lineStarts.push(td.offsetAt({ line: l, character: 0 }));
  const lineOf = (offset: number): number => td.positionAt(offset).line;
  const contentEnd = (l: number): number => {
    let end = l + 1 < lineCount ? lineStarts[l + 1]! : text.length;
    while (end > lineStarts[l]! && (text[end - 1] === '\n' || text[end - 1] === '\r')) end--;
    return end;
  };

  // What may be respaced: lines holding exactly one whole single-line statement without errors.
  const statementOfLine = new Map<number, Statement>();
  const frozen = new Set<number>();
  const errorLines = new Set<number>();
  for (const d of doc.analysis.diagnostics) {
    if (d.severity !== 'error' || d.code >= 300) continue;
    for (let l = lineOf(d.offset), last = lineOf(d.offset + d.length); l <= last; l++) errorLines.add(l);
  }
  for (const s of doc.analysis.program.statements) {
    const first = lineOf(s.start), last = lineOf(s.end);
    const broken = doc.analysis.broken.has(s) && doc.analysis.diagnostics.some((d) => d.severity === 'error' && d.code < 300 && d.offset >= s.start && d.offset <= s.end);
    if (first !== last || s.kind === 'data' || s.kind === 'invalid' || broken) {
      for (let l = first; l <= last; l++) frozen.add(l);
    } else if (statementOfLine.has(first)) {
      frozen.add(first);
    } else {
      statementOfLine.set(first, s);
    }
  }

  const firstLine = range ? range.start.line : 0;
  const lastLine = range ? Math.min(range.end.line, lineCount - 1) : lineCount - 1;
  const edits: { line: number; start: number; end: number; newText: string }[] = [];
  for (let l = firstLine; l <= lastLine; l++) {
    const start = lineStarts[l]!, end = contentEnd(l);
    const original = text.slice(start, end);
    let formatted: string;
    const s = statementOfLine.get(l);
    if (end - start > MAX_LINE) continue;
    if (errorLines.has(l) || (frozen.has(l) && !s)) {
      // Inside data tables and multi-line statements only trailing white space goes; lines with errors stay as they are.
      formatted = errorLines.has(l) ? original : original.replace(/[ \t]+$/, '');
    } else if (s && !frozen.has(l)) {
      formatted = respace(text, lineTokens(text, start, end), start, end);
    } else {
      formatted = original.replace(/[ \t]+$/, '');
      if (/^[ \t]+$/.test(original)) formatted = '';
    }
    if (formatted !== original) edits.push({ line: l, start, end, newText: formatted });
  }
  const accepted = verify(text, edits);
  return accepted.map((e) => ({ range: { start: td.positionAt(e.start), end: td.positionAt(e.end) }, newText: e.newText }));
}

/** The tokens of one line, with document offsets. Statements here are single-line, so a line scans on its own. */
function lineTokens(text: string, start: number, end: number): Token[] {
  const scanner = new Scanner(text.slice(start, end));
  const out: Token[] = [];
  for (let i = 0; i <= end - start; i++) {
    const t = scanner.next();
    if (t.kind === 'eof') break;
    if (t.kind !== 'newline') out.push({ ...t, start: t.start + start, end: t.end + start });
  }
  return out;
}

/** The line with canonical spacing between its tokens, and its comment. */
function respace(text: string, tokens: readonly Token[], lineStart: number, lineEnd: number): string {
  let code = '';
  let prev: Token | undefined;
  let prevUnary = false;
  for (const t of tokens) {
    const unary = isSign(t) && (prev === undefined || isSignContext(prev));
    if (prev) code += spaceBetween(prev, t, prevUnary, unary) ? ' ' : '';
    code += text.slice(t.start, t.end);
    prev = t;
    prevUnary = unary;
  }
  const codeEnd = prev ? prev.end : lineStart;
  const hash = text.indexOf('#', codeEnd);
  if (hash < 0 || hash >= lineEnd) return code;
  const comment = text.slice(hash, lineEnd).replace(/[ \t]+$/, '');
  if (!code) return text.slice(lineStart, hash) + comment;
  const column = hash - lineStart;
  const gap = hash - codeEnd;
  if (gap <= 1) return `${code} ${comment}`;
  return code.length + 2 <= column ? code.padEnd(column) + comment : `${code}  ${comment}`;
}

function isSign(t: Token): boolean {
  return t.kind === 'punct' && (t.text === '-' || t.text === '+');
}

function isSignContext(prev: Token): boolean {
  if (prev.kind === 'punct') return BEFORE_UNARY.has(prev.text);
  return prev.kind === 'ident' && KEYWORDS.has(prev.text);
}

const isWord = (t: Token): boolean => t.kind === 'ident' || t.kind === 'number' || t.kind === 'string';
const isOpen = (t: Token): boolean => t.kind === 'punct' && (t.text === '(' || t.text === '[' || t.text === '{');
const isClose = (t: Token): boolean => t.kind === 'punct' && (t.text === ')' || t.text === ']' || t.text === '}');
const isKeyword = (t: Token): boolean => t.kind === 'ident' && KEYWORDS.has(t.text);

function spaceBetween(a: Token, b: Token, aUnary: boolean, bUnary: boolean): boolean {
  const p = (t: Token, s: string): boolean => t.kind === 'punct' && t.text === s;
  if (p(b, ',')) return false;
  if (p(a, ',')) return true;
  if (p(a, "'") || p(b, "'")) return false;
  if (isOpen(a) || isClose(b)) return false;
  if (isKeyword(a) || isKeyword(b)) return true;
  if (p(a, '=') || p(b, '=') || p(a, '==') || p(b, '==')) return true;
  if (aUnary) return false;
  if (bUnary) return !isOpen(a) && !['*', '/', '^'].includes(a.text);
  if (p(a, '+') || p(a, '-') || p(b, '+') || p(b, '-')) return true;
  if (['*', '/', '^'].includes(a.text) && a.kind === 'punct') return false;
  if (['*', '/', '^'].includes(b.text) && b.kind === 'punct') return false;
  // A call or an index: `f(`, `v[`.
  if (isOpen(b) && (a.kind === 'ident' || isClose(a)) && !b.spaceBefore) return false;
  // Juxtaposition (implicit products, multi-word method names): keep the author's choice.
  if ((isWord(a) || isClose(a)) && (isWord(b) || isOpen(b))) return b.spaceBefore;
  return b.spaceBefore;
}

/** Keeps the edits that leave every syntax tree as it was. */
function verify(text: string, edits: { line: number; start: number; end: number; newText: string }[]): typeof edits {
  if (edits.length === 0) return edits;
  const before = shape(text);
  if (shape(apply(text, edits)) === before) return edits;
  // Some line changed meaning (it should not): keep only the lines that parse to the same tree on their own.
  const kept = edits.filter((e) => shape(e.newText) === shape(text.slice(e.start, e.end)));
  return shape(apply(text, kept)) === before ? kept : [];
}

function apply(text: string, edits: readonly { start: number; end: number; newText: string }[]): string {
  let out = '', at = 0;
  for (const e of edits) { out += text.slice(at, e.start) + e.newText; at = e.end; }
  return out + text.slice(at);
}

/** The syntax tree without offsets, as text: equal shapes mean equal meaning. */
export function shape(text: string): string {
  const { program, diagnostics } = parse(text);
  return JSON.stringify(program.statements, (key, value) => (key === 'start' || key === 'end' ? undefined : value))
    + '|' + diagnostics.map((d) => d.code).join(',');
}
