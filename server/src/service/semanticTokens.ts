/**
 * Semantic tokens: what each name is (function, parameter, constant, data set, column,
 * free variable, built-in), which TextMate cannot know, plus keywords, method names and
 * option names. Comments, numbers and operators are left to the grammar.
 */
import type { SemanticTokens, SemanticTokensLegend } from 'vscode-languageserver-types';
import { BUILTINS } from '../core/semantics/builtins';
import type { Binding, MethodName, Span, Statement } from '../core/syntax/ast';
import { KEYWORDS } from '../core/syntax/parser';
import { Scanner } from '../core/syntax/scanner';
import type { CalcDocument } from './document';

const TYPES = ['function', 'parameter', 'variable', 'property', 'struct', 'keyword', 'enumMember', 'number'] as const;
const MODIFIERS = ['declaration', 'readonly', 'defaultLibrary'] as const;
type TokenType = (typeof TYPES)[number];
type Modifier = (typeof MODIFIERS)[number];

/** The legend the server announces in its capabilities. */
export const SEMANTIC_TOKENS_LEGEND: SemanticTokensLegend = { tokenTypes: [...TYPES], tokenModifiers: [...MODIFIERS] };

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

  // Keywords: the scanner knows where names are (not in comments or strings).
  const text = doc.analysis.text;
  const scanner = new Scanner(text);
  for (let i = 0; i < 5_000_000; i++) {
    const t = scanner.next();
    if (t.kind === 'eof') break;
    if (t.kind === 'ident' && KEYWORDS.has(t.text)) push(t, 'keyword');
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

/** LSP's relative encoding: line delta, start delta, length, type, modifier bits. Tokens never span lines. */
function encode(doc: CalcDocument, tokens: readonly Token[]): number[] {
  const data: number[] = [];
  let prevLine = 0, prevChar = 0;
  for (const t of tokens) {
    const start = doc.textDocument.positionAt(t.start);
    const end = doc.textDocument.positionAt(t.end);
    if (end.line !== start.line) continue;
    const deltaLine = start.line - prevLine;
    const deltaChar = deltaLine === 0 ? start.character - prevChar : start.character;
    let bits = 0;
    for (const m of t.modifiers) bits |= 1 << MODIFIERS.indexOf(m);
    data.push(deltaLine, deltaChar, end.character - start.character, TYPES.indexOf(t.type), bits);
    prevLine = start.line;
    prevChar = start.character;
  }
  return data;
}
