/**
 * Code actions: the quick fixes the core attaches to its diagnostics, offered where the
 * requested range meets the diagnostic. A did-you-mean becomes "Change to 'sin'", `ln x`
 * "Change to ln(x)", a bracket left open "Add ')'", `**` "Change '**' to '^'".
 */
import { CodeActionKind, type CodeAction, type Range } from 'vscode-languageserver-types';
import { type CalcDocument, rangeOf } from './document';
import { toLspDiagnostic } from './diagnostics';

/**
 * `getCodeActions(doc, range)` on `sn(1)` offers "Change to 'sin'", which replaces `sn`.
 * With `only` (the kinds the client asked for), nothing is offered unless quick fixes are among them.
 */
export function getCodeActions(doc: CalcDocument, range: Range, only?: readonly string[]): CodeAction[] {
  if (only && !only.some((k) => k === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(`${k}.`))) return [];
  const from = doc.textDocument.offsetAt(range.start), to = doc.textDocument.offsetAt(range.end);
  const actions: CodeAction[] = [];
  for (const d of doc.analysis.diagnostics) {
    // the diagnostic's range meets the request's (a cursor at either end of it counts)
    if (!d.fixes || d.offset > to || d.offset + d.length < from) continue;
    const diagnostic = toLspDiagnostic(doc, d);
    for (const fix of d.fixes) {
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: d.fixes.length === 1,
        edit: { changes: { [doc.uri]: [fix, ...(fix.also ?? [])].map((e) => ({ range: rangeOf(doc, { start: e.offset, end: e.offset + e.length }), newText: e.text })) } },
      });
    }
  }
  return actions;
}
