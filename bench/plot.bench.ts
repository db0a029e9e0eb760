/**
 * Plot panel benchmark (not a test): how long the server takes to compute each plot of the
 * tour, how long the page takes to draw a 200 × 200 contour map, and the panel's update
 * latency after an edit, as far as it can be measured without VS Code:
 *
 *   re-analyse the edited document + calc/plotData + JSON round trip + message-to-drawn in the page
 *
 * (the LSP and webview transports and the 250 ms edit debounce come on top).
 *
 *   node scripts/build.mjs && node scripts/bench.mjs plot
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PlotData } from '../protocol/plot';
import { surfacePlot } from '../server/src/core/plot/build';
import { packGrid } from '../server/src/core/plot/contour';
import { sampleGrid } from '../server/src/core/plot/sample';
import { getPlotData, isPlottable } from '../server/src/service/plotData';
import { calcDocument, EXAMPLES } from '../tests/browser/fixtures';
import { Panel } from '../tests/browser/harness';

const RUNS = Number(process.env.RUNS ?? 15);

function stats(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * (s.length - 1) + 0.5))]!;
  return `median ${q(0.5).toFixed(1)} ms, p95 ${q(0.95).toFixed(1)} ms, min ${s[0]!.toFixed(1)} ms (n = ${s.length})`;
}

async function main(): Promise<void> {
  const tourPath = join(EXAMPLES, 'tour.calc');
  const tourText = readFileSync(tourPath, 'utf8');

  // 1. Server: sampling alone, and every plot of the tour (runs included where not cached).
  const grid: number[] = [];
  for (let k = 0; k < RUNS; k++) {
    const t0 = performance.now();
    sampleGrid((x, y) => x * x * y + 2.5 * Math.sin(x * y + k), [-2, 2], [-2, 2], 200, 200);
    grid.push(performance.now() - t0);
  }
  console.log(`sampleGrid 200×200 (a JS closure): ${stats(grid)}`);
  const packed: number[] = [];
  let lastSize = 0;
  for (let k = 0; k < RUNS; k++) {
    const raw = sampleGrid((x, y) => x * x * y + 2.5 * Math.sin(x * y + k), [-2, 2], [-2, 2], 200, 200);
    const t0 = performance.now();
    const g = packGrid(raw);
    packed.push(performance.now() - t0);
    lastSize = JSON.stringify(g).length;
  }
  console.log(`packGrid 200×200 (contour lines on ~24 levels + packing): ${stats(packed)}, ${(lastSize / 1024).toFixed(0)} KiB of JSON`);

  const doc = calcDocument(tourText, tourPath);
  console.log('\ncalc/plotData per tour statement (first call; runs the statement when it has no run result yet):');
  for (const s of doc.analysis.program.statements.filter(isPlottable)) {
    const position = doc.textDocument.positionAt(s.start);
    const t0 = performance.now();
    const r = getPlotData(doc, { textDocument: { uri: doc.uri }, position }, { budgetMs: 30_000 });
    const ms = performance.now() - t0;
    const bytes = r.ok ? JSON.stringify(r).length : 0;
    console.log(`  line ${String(position.line + 1).padStart(2)}  ${ms.toFixed(1).padStart(7)} ms  ${(bytes / 1024).toFixed(0).padStart(5)} KiB  ${r.ok ? r.plot.kind : `(${r.message})`}`);
  }

  // 2. Browser: a 200 × 200 contour map, message to drawn, each run with new values so plotly redraws.
  const panel = await Panel.open('light', { width: 1000, height: 800 });
  try {
    const contour: number[] = [];
    for (let k = 0; k < RUNS; k++) {
      const plot = surfacePlot({ title: `contour ${k}`, latex: ['f(x, y) = x^2 y + 2.5 \\sin(xy)'], variables: ['x', 'y'], xRange: [-2, 2], yRange: [-2, 2], f: (x, y) => x * x * y + 2.5 * Math.sin(x * y + k / 10) });
      contour.push((await panel.show(plot)).ms);
    }
    console.log(`\npage: 200×200 heat map + contour lines, message to drawn: ${stats(contour)}`);

    const arrows: number[] = [];
    for (let k = 0; k < RUNS; k++) {
      const plot = surfacePlot({ title: `arrows ${k}`, latex: ['f'], variables: ['x', 'y'], xRange: [-2, 2], yRange: [-2, 2], f: (x, y) => x * x * y + Math.sin(x * y + k / 10), grad: (x, y) => [2 * x * y + y * Math.cos(x * y + k / 10), x * x + x * Math.cos(x * y + k / 10)] });
      arrows.push((await panel.show(plot)).ms);
    }
    console.log(`page: the same with 225 gradient arrows: ${stats(arrows)}`);

    // A long path: gradient descent's 5,001 (thinned) iterates on the contour map, and its convergence.
    const gd = doc.analysis.program.statements.filter(isPlottable).find((s) => tourText.slice(s.start, s.end).includes('by gradient descent with step'));
    const gdPlot = gd && getPlotData(doc, { textDocument: { uri: doc.uri }, position: doc.textDocument.positionAt(gd.start) }, { budgetMs: 30_000 });
    if (gdPlot?.ok) {
      const path: number[] = [];
      for (let k = 0; k < RUNS; k++) path.push((await panel.show({ ...gdPlot.plot, title: `${gdPlot.plot.title} ${k}` })).ms);
      console.log(`page: minimize rosen by gradient descent (5,001 iterates), message to drawn: ${stats(path)}`);
    }

    // 3. Update latency after an edit to the plotted statement: the server's part and the page's.
    const edits: { server: number; json: number; page: number }[] = [];
    const line = tourText.split('\n').findIndex((l) => l.startsWith('plot f over'));
    for (let k = 0; k < RUNS; k++) {
      const edited = tourText.replace('a = 2.5', `a = ${2.5 + (k + 1) / 10}`);
      const t0 = performance.now();
      const d = calcDocument(edited, tourPath);
      const r = getPlotData(d, { textDocument: { uri: d.uri }, position: { line, character: 0 } });
      const t1 = performance.now();
      if (!r.ok) throw new Error(r.message);
      const plot = JSON.parse(JSON.stringify(r.plot)) as PlotData;
      const t2 = performance.now();
      const page = (await panel.show(plot)).ms;
      edits.push({ server: t1 - t0, json: t2 - t1, page });
    }
    const total = edits.map((e) => e.server + e.json + e.page);
    console.log(`\nedit of 'a' → plot f redrawn (tour.calc, 200×200 contour with arrows):`);
    console.log(`  analyse + calc/plotData: ${stats(edits.map((e) => e.server))}`);
    console.log(`  JSON round trip:         ${stats(edits.map((e) => e.json))}`);
    console.log(`  page, message to drawn:  ${stats(edits.map((e) => e.page))}`);
    console.log(`  total:                   ${stats(total)}`);

    const curve: number[] = [];
    const sinLine = tourText.split('\n').findIndex((l) => l.startsWith('plot sin(x)'));
    for (let k = 0; k < RUNS; k++) {
      const edited = tourText.replace('over x in [-pi, pi]', `over x in [-pi, pi + ${(k + 1) / 10}]`);
      const t0 = performance.now();
      const d = calcDocument(edited, tourPath);
      const r = getPlotData(d, { textDocument: { uri: d.uri }, position: { line: sinLine, character: 0 } });
      if (!r.ok) throw new Error(r.message);
      const plot = JSON.parse(JSON.stringify(r.plot)) as PlotData;
      curve.push(performance.now() - t0 + (await panel.show(plot)).ms);
    }
    console.log(`edit of a plot range → sin/cos redrawn, total: ${stats(curve)}`);
  } finally {
    await panel.close();
  }
}

main().catch((e: unknown) => { console.error(e); process.exitCode = 1; });
