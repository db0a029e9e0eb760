/**
 * Signature help for calls of user functions, built-in functions and the calculus
 * operators (diff, grad, jacobian, hessian). The call and the argument under the cursor
 * are found by scanning back from the cursor with the core's scanner, so comments and
 * strings are skipped and half-typed lines work.
 */
import { MarkupKind, type Position, type SignatureHelp, type SignatureInformation } from 'vscode-languageserver-types';
import { BUILTINS } from '../core/semantics/builtins';
import { Scanner, type Token } from '../core/syntax/scanner';
import { type CalcDocument, statementAt } from './document';

/** How far back a call may start, in characters. */
const LOOK_BACK = 4000;

/**
 * `getSignatureHelp(doc, pos)` with the cursor at `f(1, |` (f(x, y) defined) is `f(x, y)`, active parameter 1.
 */
export function getSignatureHelp(doc: CalcDocument, position: Position): SignatureHelp | null {
  const td = doc.textDocument;
  const offset = td.offsetAt(position);
  const lineStart = td.offsetAt({ line: position.line, character: 0 });
  const stmt = statementAt(doc, offset);
  const from = Math.max(offset - LOOK_BACK, Math.min(lineStart, stmt?.start ?? lineStart));
  const call = innermostCall(doc.analysis.text.slice(from, offset));
  if (!call) return null;
  const signatures = signaturesOf(doc, call.name);
  if (!signatures.length) return null;
  const activeSignature = call.name === 'diff' && call.commas >= 2 ? 1 : 0;
  const sig = signatures[Math.min(activeSignature, signatures.length - 1)]!;
  const params = sig.parameters?.length ?? 0;
  return { signatures, activeSignature, activeParameter: Math.min(call.commas, Math.max(0, params - 1)) };
}

/** The callee and the number of commas before the cursor in the innermost open call. */
function innermostCall(text: string): { name: string; commas: number } | undefined {
  const scanner = new Scanner(text);
  const frames: { name?: string; commas: number }[] = [];
  const recent: Token[] = [];
  for (let i = 0; i < LOOK_BACK * 2; i++) {
    const t = scanner.next();
    if (t.kind === 'eof') break;
    if (t.kind === 'punct') {
      if (t.text === '(' || t.text === '[' || t.text === '{') {
        frames.push({ ...(t.text === '(' ? calleeBefore(recent) : {}), commas: 0 });
      } else if (t.text === ')' || t.text === ']' || t.text === '}') {
        frames.pop();
      } else if (t.text === ',' && frames.length) {
        frames[frames.length - 1]!.commas++;
      }
    }
    recent.push(t);
    if (recent.length > 8) recent.shift();
  }
  const top = frames[frames.length - 1];
  return top?.name ? { name: top.name, commas: top.commas } : undefined;
}

/** The name before `(`, skipping primes: `h'(` calls h. */
function calleeBefore(recent: readonly Token[]): { name?: string } {
  let i = recent.length - 1;
  while (i >= 0 && recent[i]!.kind === 'punct' && recent[i]!.text === "'") i--;
  const t = recent[i];
  return t?.kind === 'ident' ? { name: t.text } : {};
}

function signaturesOf(doc: CalcDocument, name: string): SignatureInformation[] {
  const def = doc.analysis.symbols.globals.get(name);
  if (def?.kind === 'function' && def.statement.kind === 'function') {
    const s = def.statement;
    const source = doc.analysis.text.slice(s.start, Math.min(s.end, s.start + 200));
    return [signature(`${name}(${s.params.map((p) => p.name).join(', ')})`, '```calc\n' + source + '\n```')];
  }
  const b = BUILTINS.get(name);
  if (b?.kind === 'function') return [signature(`${name}(${b.params.join(', ')})`, `${b.summary}\n\n${b.doc}`)];
  if (b?.kind === 'operator' && b.name !== 'taylor') return b.signatures.map((s) => signature(s, `${b.summary}\n\n${b.doc}`));
  return [];
}

/** A signature whose parameters are the comma-separated parts between its parentheses. */
function signature(label: string, doc: string): SignatureInformation {
  const open = label.indexOf('(');
  const parameters: { label: [number, number] }[] = [];
  let start = open + 1;
  for (let i = start; i < label.length; i++) {
    if (label[i] === ',' || label[i] === ')') {
      parameters.push({ label: [start, i] });
      start = i + 2;
      if (label[i] === ')') break;
    }
  }
  return { label, documentation: { kind: MarkupKind.Markdown, value: doc }, parameters: parameters.filter((p) => p.label[1] > p.label[0]) };
}
