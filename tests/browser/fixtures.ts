/**
 * The plot data the server computes: documents analysed by the real core and answered by
 * the real `calc/plotData` service (server/src/service/plotData.ts), exactly what the
 * extension would post to the panel.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { PlotData } from '../../protocol/plot';
import { createNodeFileHost } from '../../server/src/node/fileHost';
import { type CalcDocument, createCalcDocument } from '../../server/src/service/document';
import { getPlotData, isPlottable } from '../../server/src/service/plotData';
import { ROOT } from './harness';

export const EXAMPLES = join(ROOT, 'examples');

/** A document as the server sees it; `path` places it (for csv data) in examples/. */
export function calcDocument(text: string, path = join(EXAMPLES, 'test.calc')): CalcDocument {
  const td = TextDocument.create(pathToFileURL(path).href, 'calc', 1, text);
  return createCalcDocument(td, createNodeFileHost(path, EXAMPLES));
}

export interface StatementPlot {
  /** 1-based line of the statement. */
  line: number;
  source: string;
  plot?: PlotData;
  message?: string;
}

/** The server's answer for every plottable statement of a document. */
export function plotsOf(doc: CalcDocument): StatementPlot[] {
  return doc.analysis.program.statements.filter(isPlottable).map((s) => {
    const position = doc.textDocument.positionAt(s.start);
    const r = getPlotData(doc, { textDocument: { uri: doc.uri }, position }, { budgetMs: 20_000 });
    const source = doc.textDocument.getText().slice(s.start, s.end).split('\n')[0]!;
    return r.ok ? { line: position.line + 1, source, plot: r.plot } : { line: position.line + 1, source, message: r.message };
  });
}

/** Every plottable statement of examples/tour.calc with its plot. */
export function tourPlots(): StatementPlot[] {
  const path = join(EXAMPLES, 'tour.calc');
  return plotsOf(calcDocument(readFileSync(path, 'utf8'), path));
}

/** The plot of the one plottable statement in `text` (fails when there is none). */
export function plotOf(text: string): PlotData {
  const plots = plotsOf(calcDocument(text));
  const last = plots[plots.length - 1];
  if (!last?.plot) throw new Error(`no plot for ${JSON.stringify(text)}: ${last?.message ?? 'no plottable statement'}`);
  return last.plot;
}
