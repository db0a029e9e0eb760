/**
 * Diagnostics: the core's diagnostics as LSP diagnostics, with their stable codes,
 * tags (unused parameters are greyed out) and related information (the first
 * definition of a duplicate).
 */
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic } from 'vscode-languageserver-types';
import type { Diagnostic as CoreDiagnostic } from '../core/syntax/diagnostics';
import type { CalcDocument } from './document';

const SEVERITY: Record<CoreDiagnostic['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/**
 * The document's diagnostics, plus those of runs (`extra`, e.g. a solver that did not converge).
 * `doValidation(doc)[0].code` is 301 for `sn(1)` (unknown name).
 */
export function doValidation(doc: CalcDocument, extra: readonly CoreDiagnostic[] = []): Diagnostic[] {
  return [...doc.analysis.diagnostics, ...extra].map((d) => toLspDiagnostic(doc, d));
}

/** One diagnostic of the core as the LSP has it (ranges clamped to the document). */
export function toLspDiagnostic(doc: CalcDocument, d: CoreDiagnostic): Diagnostic {
  const length = doc.textDocument.getText().length;
  const clamp = (offset: number): number => Math.max(0, Math.min(offset, length));
  const range = (offset: number, len: number) => ({
    start: doc.textDocument.positionAt(clamp(offset)),
    end: doc.textDocument.positionAt(clamp(offset + Math.max(0, len))),
  });
  const out: Diagnostic = {
    range: range(d.offset, d.length),
    severity: SEVERITY[d.severity],
    code: d.code,
    source: 'calc',
    message: d.message,
  };
  if (d.tags?.includes('unnecessary')) out.tags = [DiagnosticTag.Unnecessary];
  if (d.related) {
    out.relatedInformation = [{ location: { uri: doc.uri, range: range(d.related.offset, d.related.length) }, message: d.related.message }];
  }
  return out;
}
