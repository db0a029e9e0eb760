/**
 * textDocument/hover: what a student sees on hover.
 *
 * - On a user function (its definition or a use): the function, its partial derivatives
 *   with the gradient (or the Jacobian), the Hessian, the chain rule for a composite, and
 *   on a call with numbers, `f(1, 2)`, the values there with the Hessian's eigenvalues and
 *   the critical-point verdict.
 * - On a built-in function or constant: its documentation from the built-in table.
 * - On diff, grad, jacobian, hessian, taylor, h' and anywhere else on a statement's line:
 *   the statement's result.
 *
 * The core (analyses/explain.ts) decides what to show as plain data; this file lays it out
 * as markdown: a typeset image (typeset.ts), the Unicode text in a code block below it so
 * that every LSP client can read it, then Copy as LaTeX / NumPy / JavaScript command links.
 */
import type { Hover, MarkupContent, Position } from 'vscode-languageserver-types';
import { MarkupKind } from 'vscode-languageserver-types';
import {
  describeFunction, explainBuiltin, explainFunction, explainResult, numericArguments,
  type Block, type Copies, type ExplainContext, type Explanation, type Row,
} from '../core/analyses/explain';
import { pointFor } from '../core/analysis';
import type { Reference } from '../core/semantics/names';
import { BUILTINS } from '../core/semantics/builtins';
import type { Call, Expression, Primed, Span, Statement } from '../core/syntax/ast';
import { forEachExpression } from '../core/syntax/ast';
import { type CalcDocument, rangeOf, resultOf, statementAt } from './document';
import { type Theme, typesetMarkdown } from './typeset';

export interface HoverOptions {
  readonly theme?: Theme;
  /** The editor's font size in pixels (default 14). */
  readonly fontSize?: number;
  /** Typeset formulas as images (default true); false gives text only. */
  readonly typeset?: boolean;
}

/** The command the client registers: it copies its one argument, a string, to the clipboard. */
export const COPY_COMMAND = 'calc.copyText';
/** A code block longer than this is cut (a hover is a glance, not a listing). */
export const MAX_TEXT_LENGTH = 4000;
/**
 * Typesetting stops this many milliseconds into a hover: later formulas show as text this
 * time and are typeset in the background, so hovering again shows them as images. The hover
 * target is 50 ms; explaining takes a few of them.
 */
export const TYPESET_BUDGET_MS = 30;

/**
 * The hover at a position, or null where there is nothing to say. Never throws.
 *
 * @example doHover(doc, { line: 0, character: 0 }) // on `f(x, y) = x^2*y`: ∂f/∂x = 2xy, ∂f/∂y = x², H_f, …
 */
export function doHover(doc: CalcDocument, position: Position, options: HoverOptions = {}): Hover | null {
  try {
    const start = performance.now();
    const found = explainAt(doc, doc.textDocument.offsetAt(position));
    if (!found) return null;
    const budgeted = { ...options, deadline: start + TYPESET_BUDGET_MS };
    const contents: MarkupContent = { kind: MarkupKind.Markdown, value: render(found.explanation, budgeted) };
    return { contents, range: rangeOf(doc, found.span) };
  } catch {
    // A hover is never worth an error: the diagnostics already say what is wrong with the line.
    return null;
  }
}

/** At most this many functions of a document are prepared by `prefetchHovers`. */
export const MAX_PREFETCH = 16;

/**
 * Prepares the hovers of a document's functions off the request path: works out each
 * function's explanation (cached for this analysis) and queues its formulas for background
 * typesetting, one per macrotask. A hover that comes after it finds every image cached.
 * For the server to call after it has analysed a version (once diagnostics are out); the
 * promise resolves when every formula is queued (`whenTypesetIdle` then waits for the images).
 *
 * @example prefetchHovers(doc, { theme: 'dark', fontSize: 14 })
 */
export function prefetchHovers(doc: CalcDocument, options: HoverOptions = {}): Promise<void> {
  if (options.typeset === false) return Promise.resolve();
  const names = doc.analysis.program.statements
    .filter((s): s is Extract<Statement, { kind: 'function' }> => s.kind === 'function' && !doc.analysis.broken.has(s))
    .slice(0, MAX_PREFETCH)
    .map((s) => s.name.name);
  return new Promise<void>((resolve) => {
    const step = (i: number): void => {
      if (i >= names.length) { resolve(); return; }
      try {
        const e = functionExplanation(doc, names[i]!, undefined);
        // a deadline in the past sends every uncached formula to the background queue
        if (e) render(e, { ...options, deadline: -Infinity });
      } catch {
        // prefetching is best effort; the hover itself reports nothing either
      }
      setTimeout(() => step(i + 1), 0);
    };
    setTimeout(() => step(0), 0);
  });
}

/** What to explain at an offset, and the span the hover covers. */
function explainAt(doc: CalcDocument, offset: number): { explanation: Explanation; span: Span } | undefined {
  const stmt = statementAt(doc, offset);
  if (!stmt) return undefined;
  const a = doc.analysis;
  const ctx: ExplainContext = a;
  const ref = referenceAt(a.symbols.references, offset);

  if (ref?.builtin) {
    const b = BUILTINS.get(ref.name);
    if (b?.kind === 'operator') {
      // diff, grad, …: the line's result, then what the operator is.
      const result = statementResult(doc, stmt);
      const about = explainBuiltin(ref.name);
      if (result) return { explanation: { title: result.title, blocks: [...result.blocks, ...(about ? about.blocks.slice(0, 1) : [])] }, span: ref.span };
      return about ? { explanation: about, span: ref.span } : undefined;
    }
    const e = explainBuiltin(ref.name);
    return e ? { explanation: e, span: ref.span } : undefined;
  }

  const target = ref?.target;
  if (ref && target?.kind === 'function') {
    const use = useAt(stmt, ref.span);
    // h'(x) and h'' name a derivative: show it, as the line computes it.
    if (use && (use.kind === 'primed' || (use.kind === 'call' && use.primes > 0))) {
      const result = statementResult(doc, stmt);
      if (result) return { explanation: result, span: ref.span };
    }
    const point = use?.kind === 'call' ? numericArguments(ctx, use) : pointOfLine(doc, stmt, ref, target.params ?? []);
    const e = functionExplanation(doc, target.name, point);
    return e ? { explanation: e, span: ref.span } : undefined;
  }
  if (ref && target?.kind === 'constant') {
    const r = a.results.get(target.statement);
    const e = r ? explainResult(ctx, target.statement, r, a.text) : undefined;
    return e ? { explanation: e, span: ref.span } : undefined;
  }

  if (stmt.kind === 'function' && !a.broken.has(stmt)) {
    const e = functionExplanation(doc, stmt.name.name, undefined);
    return e ? { explanation: e, span: stmt.name } : undefined;
  }
  const result = statementResult(doc, stmt);
  return result ? { explanation: result, span: stmt } : undefined;
}

/** Explanations already worked out for an analysis (one document version): hovering again is instant. */
const explained = new WeakMap<object, Map<string, Explanation | null>>();
/** Per analysis, at most this many are kept (each point of a call is its own entry). */
const MAX_EXPLAINED = 32;

function functionExplanation(doc: CalcDocument, name: string, point: readonly number[] | undefined): Explanation | undefined {
  let memo = explained.get(doc.analysis);
  if (!memo) { memo = new Map(); explained.set(doc.analysis, memo); }
  const key = `${name}\u0000${point?.join(',') ?? ''}`;
  const hit = memo.get(key);
  if (hit !== undefined) return hit ?? undefined;
  const fe = explainFunction(doc.analysis, name, point);
  const e = fe ? describeFunction(fe) : null;
  if (memo.size >= MAX_EXPLAINED) memo.delete(memo.keys().next().value as string);
  memo.set(key, e);
  return e ?? undefined;
}

function statementResult(doc: CalcDocument, stmt: Statement): Explanation | undefined {
  const r = resultOf(doc, stmt);
  return r ? explainResult(doc.analysis, stmt, r, doc.analysis.text) : undefined;
}

/** The reference under the cursor: one that contains it, else one that ends at it (the cursor just after a name). */
function referenceAt(refs: readonly Reference[], offset: number): Reference | undefined {
  let touching: Reference | undefined;
  for (const r of refs) {
    if (r.span.start <= offset && offset < r.span.end) return r;
    if (offset === r.span.end && !touching) touching = r;
  }
  return touching;
}

/** The call, primed reference or name whose callee or name is at `span`. */
function useAt(stmt: Statement, span: Span): Call | Primed | Expression | undefined {
  let found: Call | Primed | Expression | undefined;
  forEachExpression(stmt, (e) => {
    if (found) return;
    if (e.kind === 'call' && e.callee.start === span.start && e.callee.end === span.end) found = e;
    else if (e.kind === 'primed' && e.name.start === span.start) found = e;
    else if (e.kind === 'ident' && e.start === span.start && e.end === span.end) found = e;
  });
  return found;
}

/**
 * The point of a line that names the function under the cursor and gives an `at`:
 * `grad(f) at [1, 2]`, `check grad f at [1, 2]`, `taylor f at [0, 0]`, `expect grad(f) at [1, 2] == …`,
 * in f's parameters.
 */
function pointOfLine(doc: CalcDocument, stmt: Statement, ref: Reference, params: readonly string[]): number[] | undefined {
  const at = stmt.kind === 'expression' || stmt.kind === 'check' || stmt.kind === 'taylor' || stmt.kind === 'expect' ? stmt.at : undefined;
  const target = stmt.kind === 'expression' ? stmt.expr : stmt.kind === 'check' || stmt.kind === 'taylor' ? stmt.target : stmt.kind === 'expect' ? stmt.left : undefined;
  if (!at || !target) return undefined;
  const named = target.kind === 'ident' ? target : target.kind === 'call' && target.args.length === 1 ? target.args[0] : undefined;
  if (named?.kind !== 'ident' || named.start !== ref.span.start) return undefined;
  try {
    const a = doc.analysis;
    const p = pointFor({ lowering: a.lowering, symbols: a.symbols, data: a.data, diagnostics: [] }, at, params);
    return params.map((v) => p[v]!);
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------- markdown

/** The markdown of an explanation. */
export function render(e: Explanation, options: HoverOptions & { deadline?: number } = {}): string {
  const parts: string[] = [`**${escapeMarkdown(e.title)}**`];
  for (const b of e.blocks) parts.push(renderBlock(b, options));
  return parts.join('\n\n');
}

function renderBlock(b: Block, options: HoverOptions & { deadline?: number }): string {
  switch (b.kind) {
    case 'text': return b.markdown ? b.text : escapeMarkdown(b.text);
    case 'table': {
      const line = (cells: readonly string[]): string => `| ${cells.map((c) => escapeMarkdown(c).replace(/\|/g, '\\|')).join(' | ')} |`;
      return [line(b.header), `|${b.header.map(() => ' --- ').join('|')}|`, ...b.rows.map(line)].join('\n');
    }
    case 'math': {
      const out: string[] = [];
      if (b.title) out.push(`*${escapeMarkdown(b.title)}*`);
      const text = rowsText(b.rows);
      if (options.typeset !== false) {
        const image = typesetMarkdown(rowsLatex(b.rows), text, options);
        if (image) out.push(image);
      }
      out.push(`\`\`\`text\n${cut(text)}\n\`\`\``);
      if (b.copy) out.push(copyLinks(b.copy));
      return out.join('\n\n');
    }
  }
}

/** One formula per row; several rows are aligned at their relation signs. */
export function rowsLatex(rows: readonly Row[]): string {
  const rel = (r: Row): string => (r.relation === '≈' ? '\\approx' : '=');
  if (rows.length === 1) {
    const r = rows[0]!;
    return r.lhs ? `${r.lhs.latex} ${rel(r)} ${r.rhs.latex}` : r.rhs.latex;
  }
  const lines = rows.map((r) => (r.lhs ? `${r.lhs.latex} &${rel(r)} ${r.rhs.latex}` : `&= ${r.rhs.latex}`));
  return `\\begin{aligned} ${lines.join(' \\\\ ')} \\end{aligned}`;
}

/**
 * The rows as text: a right side over several lines (a matrix) gets its left side on its
 * middle line and the other lines indented to match.
 */
export function rowsText(rows: readonly Row[]): string {
  const width = (s: string): number => [...s].length;
  const lhsWidth = Math.max(0, ...rows.map((r) => (r.lhs ? width(r.lhs.unicode) : 0)));
  const out: string[] = [];
  for (const r of rows) {
    const lines = r.rhs.unicode.split('\n');
    const mid = (lines.length - 1) >> 1;
    const lhs = r.lhs?.unicode ?? '';
    const head = `${lhs}${' '.repeat(Math.max(0, lhsWidth - width(lhs)))} ${r.lhs ? (r.relation ?? '=') : '='} `;
    const pad = ' '.repeat(width(head));
    lines.forEach((l, i) => out.push(`${i === mid ? head : pad}${l}`));
  }
  return out.join('\n');
}

/** Copy as LaTeX / NumPy / JavaScript, as `command:` links whose argument is the text, JSON-encoded. */
export function copyLinks(c: Copies): string {
  // encodeURIComponent leaves ( and ) alone, but a markdown link ends at an unbalanced ')': encode them too.
  const arg = (text: string): string => encodeURIComponent(JSON.stringify([text])).replace(/\(/g, '%28').replace(/\)/g, '%29');
  const link = (title: string, text: string): string => `[${title}](command:${COPY_COMMAND}?${arg(text)})`;
  return [link('Copy as LaTeX', c.latex), link('Copy as NumPy', c.python), link('Copy as JavaScript', c.javascript)].join(' · ');
}

function cut(s: string): string {
  return s.length > MAX_TEXT_LENGTH ? `${s.slice(0, MAX_TEXT_LENGTH)}\n…` : s;
}

/** Escapes the characters markdown gives meaning to, in plain text. */
export function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_[\]<>#|~]/g, (c) => `\\${c}`);
}
