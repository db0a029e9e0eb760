/**
 * Semantic tokens: what each name is (function, parameter, constant, data set, column,
 * free variable, built-in), which TextMate cannot know, plus keywords, method names and
 * option names. Comments, numbers and operators are left to the grammar.
 */
import type { SemanticTokens, SemanticTokensLegend } from 'vscode-languageserver-types';
import { BUILTINS } from '../core/semantics/builtins';
import type { Binding, MethodName, Span, Statement } from '../core/syntax/ast';
import { KEYWORDS } from '../core/syntax/parser';
import type { CalcDocument } from './document';

const TYPES = ['function', 'parameter', 'variable', 'property', 'struct', 'keyword', 'enumMember'] as const;
const MODIFIERS = ['declaration', 'readonly', 'defaultLibrary'] as const;
type TokenType = (typeof TYPES)[number];
type Modifier = (typeof MODIFIERS)[number];

/** The legend the server announces in its capabilities. */
export const SEMANTIC_TOKENS_LEGEND: SemanticTokensLegend = { tokenTypes: [...TYPES], tokenModifiers: [...MODIFIERS] };

const KEYWORD = new RegExp(`(?<![\\p{L}\\p{N}_])(?:${[...KEYWORDS].join('|')})(?![\\p{L}\\p{N}_\\p{Mn}\\p{Mc}])`, 'gu');
const CODE_LINES = /[^\r\n]+/g;

/** Where a line's comment starts (its length when it has none); a `#` inside a string is not one. */
function commentStart(line: string): number {
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 34) inString = !inString;
    else if (c === 35 && !inString) return i;
  }
  return line.length;
}

interface Token { start: number; end: number; type: TokenType; modifiers: Modifier[] }

/**
 * `getSemanticTokens(doc)` on `f(x) = x` marks f as a function declaration and both x as parameters.
 */
export function getSemanticTokens(doc: CalcDocument): SemanticTokens {
  const tokens: Token[] = [];
  const seen = new Set<number>();
  const push = (span: Span, type: TokenType, modifiers: Modifier[] = []): void => {
    if (span.end <= span.start || seen.has(span.start)) return;
    seen.add(span.start);
    tokens.push({ start: span.start, end: span.end, type, modifiers });
  };

  for (const ref of doc.analysis.symbols.references) {
    const decl: Modifier[] = ref.isDefinition ? ['declaration'] : [];
    if (ref.builtin) {
      const b = BUILTINS.get(ref.name);
      push(ref.span, b?.kind === 'constant' ? 'variable' : 'function', b?.kind === 'constant' ? ['readonly', 'defaultLibrary'] : ['defaultLibrary']);
      continue;
    }
    switch (ref.target?.kind) {
      case 'function': push(ref.span, 'function', decl); break;
      case 'constant': push(ref.span, 'variable', [...decl, 'readonly']); break;
      case 'parameter': push(ref.span, 'parameter', decl); break;
      case 'data': push(ref.span, 'struct', decl); break;
      case 'column': push(ref.span, 'property'); break;
      default: push(ref.span, 'variable'); break;
    }
  }
  for (const s of doc.analysis.program.statements) clauses(s, push);

  // Keywords: words of the code part of each line (before a `#` that is not in a string).
  const text = doc.analysis.text;
  for (const m of text.matchAll(CODE_LINES)) {
    const line = m[0];
    // Strings are blanked out, keeping offsets: `csv("fit.csv")` holds no keyword.
    const code = line.slice(0, commentStart(line)).replace(/"[^"]*"?/g, (q) => ' '.repeat(q.length));
    for (const k of code.matchAll(KEYWORD)) push({ start: m.index + k.index, end: m.index + k.index + k[0].length }, 'keyword');
  }

  tokens.sort((a, b) => a.start - b.start);
  return { data: encode(doc, tokens) };
}

function clauses(s: Statement, push: (span: Span, type: TokenType, modifiers?: Modifier[]) => void): void {
  let method: MethodName | undefined;
  let options: readonly Binding[] = [];
  if (s.kind === 'root' || s.kind === 'optimize' || s.kind === 'fit') { method = s.method; options = s.options; }
  if (method) push(method, 'enumMember');
  for (const o of options) push(o.name, 'property');
  if (s.kind === 'data' && s.table) for (const h of s.table.header) push(h, 'property', ['declaration']);
}

/**
 * LSP's relative encoding: line delta, start delta, length, type, modifier bits. Tokens
 * are sorted, so lines are counted in one pass over the text. Tokens never span lines.
 */
function encode(doc: CalcDocument, tokens: readonly Token[]): number[] {
  const text = doc.analysis.text;
  const data: number[] = [];
  let line = 0, lineStart = 0, at = 0;
  let prevLine = 0, prevChar = 0;
  for (const t of tokens) {
    for (; at < t.start; at++) {
      const c = text.charCodeAt(at);
      if (c === 10 || (c === 13 && text.charCodeAt(at + 1) !== 10)) { line++; lineStart = at + 1; }
    }
    if (/[\r\n]/.test(text.slice(t.start, t.end))) continue;
    const character = t.start - lineStart;
    let bits = 0;
    for (const m of t.modifiers) bits |= 1 << MODIFIERS.indexOf(m);
    data.push(line - prevLine, line === prevLine ? character - prevChar : character, t.end - t.start, TYPES.indexOf(t.type), bits);
    prevLine = line;
    prevChar = character;
  }
  return data;
}
