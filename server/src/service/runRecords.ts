/**
 * What the runs of a document's statements (root, minimize, fit, ...) gave, kept across its
 * versions under each statement's key (`Analysis.keyOf`: its text and that of every definition
 * it uses), so that editing anything else, or moving the statement, keeps a run's result, its
 * plot and its diagnostics. Plain data per document uri; the server shell owns one instance.
 */
import { moved } from '../core/analysis';
import type { StatementResult } from '../core/results';
import type { Statement } from '../core/syntax/ast';
import { isRunnable } from '../core/syntax/ast';
import type { Diagnostic as CoreDiagnostic } from '../core/syntax/diagnostics';
import type { CalcDocument } from './document';

/** What one run of a statement gave. */
export interface RunRecord {
  readonly result?: StatementResult;
  /** Relative to the statement's start. */
  readonly diagnostics: readonly CoreDiagnostic[];
  /**
   * Set when a diagnostic lies outside the statement (in a definition it uses): its offset
   * relative to the statement holds only in that version, so the record is used in no other.
   */
  readonly onlyInVersion?: number;
}

/** Run records kept per document (the least recently recorded dropped first). */
export const MAX_RUN_RECORDS = 256;

export class RunRecords {
  private readonly byUri = new Map<string, Map<string, RunRecord>>();

  /** The record of an earlier run of `s` that holds in this version of its document, if any. */
  recordOf(doc: CalcDocument, s: Statement): RunRecord | undefined {
    const records = this.byUri.get(doc.uri);
    if (!records) return undefined; // nothing has run: no key to work out
    const key = doc.analysis.keyOf(s);
    const r = key === undefined ? undefined : records.get(key);
    return r && (r.onlyInVersion === undefined || r.onlyInVersion === doc.version) ? r : undefined;
  }

  /** Keeps what a run of `s` gave (diagnostics at their offsets in `doc`), and shows its result in `doc`. */
  record(doc: CalcDocument, s: Statement, result: StatementResult | undefined, diagnostics: readonly CoreDiagnostic[]): void {
    const key = doc.analysis.keyOf(s);
    if (key !== undefined) {
      let records = this.byUri.get(doc.uri);
      if (!records) this.byUri.set(doc.uri, records = new Map());
      const inside = diagnostics.every((d) => d.offset >= s.start && d.offset + d.length <= s.end);
      records.delete(key); // re-inserted last: the most recent
      records.set(key, { ...(result ? { result } : {}), diagnostics: diagnostics.map((d) => moved(d, -s.start)), ...(inside ? {} : { onlyInVersion: doc.version }) });
      if (records.size > MAX_RUN_RECORDS) records.delete(records.keys().next().value!);
    }
    if (result) doc.runs.set(s.start, result);
  }

  /** Carries the results of earlier runs into a new version, for the statements whose key is unchanged. */
  restore(doc: CalcDocument): void {
    for (const s of doc.analysis.program.statements) {
      if (!isRunnable(s)) continue;
      const r = this.recordOf(doc, s);
      if (r?.result) doc.runs.set(s.start, r.result);
    }
  }

  /** Diagnostics from runs (an unknown method, a run that did not converge), moved to where their statements are now. */
  diagnostics(doc: CalcDocument): CoreDiagnostic[] {
    const out: CoreDiagnostic[] = [];
    for (const s of doc.analysis.program.statements) {
      if (!isRunnable(s)) continue;
      // Kept relative to the statement's start, so that they move with it.
      for (const d of this.recordOf(doc, s)?.diagnostics ?? []) out.push(moved(d, s.start));
    }
    return out;
  }

  /** Drops a closed document's records. */
  forget(uri: string): void {
    this.byUri.delete(uri);
  }
}
