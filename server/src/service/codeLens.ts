/**
 * Code lenses: "▶ Run" above every root, minimize, maximize, fit and Lagrange statement,
 * the summary of its last run beside it, and "Plot" above what can be plotted.
 */
import type { CodeLens } from 'vscode-languageserver-types';
import { summarize } from '../core/run';
import { isRunnable } from '../core/syntax/ast';
import { type CalcDocument, rangeOf } from './document';
import { isPlottable } from './plotData';

/** The client's command ids (client/src/commands.ts). */
export const Commands = { run: 'calc.run', showPlot: 'calc.showPlot', copyText: 'calc.copyText' } as const;

/**
 * `getCodeLenses(doc)` on `minimize x^2 from x = 1` is "▶ Run" and "Plot"; after a run, also its summary.
 */
export function getCodeLenses(doc: CalcDocument): CodeLens[] {
  const out: CodeLens[] = [];
  for (const s of doc.analysis.program.statements) {
    const range = rangeOf(doc, { start: s.start, end: s.start });
    const args = [doc.uri, s.start];
    if (isRunnable(s) && !doc.analysis.broken.has(s)) {
      const run = doc.runs.get(s.start);
      out.push({ range, command: { title: run ? '↻ Run again' : '▶ Run', command: Commands.run, arguments: args } });
      if (run) {
        const summary = summarize(run);
        out.push({ range, command: { title: summary, command: Commands.copyText, arguments: [summary], tooltip: 'Copy this result' } });
      }
    }
    if (isPlottable(s)) out.push({ range, command: { title: 'Plot', command: Commands.showPlot, arguments: args } });
  }
  return out;
}
