/**
 * Hover timings: the hover of a 10-variable function (ten partials, a 10×10 Hessian, typeset),
 * the target being under 50 ms. Run: `node --expose-gc scripts/bench.mjs hover`.
 *
 * Every sample hovers a freshly analysed document (analysis is the server's work on each edit,
 * not the hover's, and is not timed), so the derivatives are worked out each time. Columns:
 * - text only: `typeset: false`;
 * - all typeset, uncached: the hover's work with every formula typeset by MathJax (image
 *   cache cleared), no time budget: what a hover would cost without the budget;
 * - hover, uncached: `doHover` as the server calls it, image cache cleared: typesetting stops
 *   at TYPESET_BUDGET_MS and the rest is typeset in the background (the images column says
 *   how many of the math blocks had their image in that first hover);
 * - hover, cached: `doHover` on a fresh document once the background work is done (every
 *   image cached, the derivatives worked out again);
 * - same hover again: the same document hovered twice (the explanation is cached too).
 * Times are medians of wall-clock milliseconds, with the process's CPU time beside them,
 * because this machine is shared (see the load average printed first).
 */
import { loadavg } from 'node:os';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { MarkupContent } from 'vscode-languageserver-types';
import { createCalcDocument, type CalcDocument } from '../server/src/service/document';
import { doHover, render, type HoverOptions } from '../server/src/service/hover';
import { clearTypesetCache, warmUpTypeset, whenTypesetIdle } from '../server/src/service/typeset';
import { describeFunction, explainFunction } from '../server/src/core/analyses/explain';

const n = 10;
const xs = Array.from({ length: n }, (_, i) => `x${i + 1}`);
// the extended (chained) Rosenbrock function
const rosenbrock = `f(${xs.join(', ')}) = ${xs.slice(0, -1).map((x, i) => `100*(${xs[i + 1]} - ${x}^2)^2 + (1 - ${x})^2`).join(' + ')}`;
// a two-layer network, two tanh hidden units and a sigmoid output, squared loss on one example: 10 weights
const ws = Array.from({ length: n }, (_, i) => `w${i + 1}`);
const network = [
  `h1(${ws.join(', ')}) = tanh(w1*0.5 + w2*(-1.2) + w3)`,
  `h2(${ws.join(', ')}) = tanh(w4*0.5 + w5*(-1.2) + w6)`,
  `L(${ws.join(', ')}) = (sigmoid(w7*h1(${ws.join(', ')}) + w8*h2(${ws.join(', ')}) + w9) - 0.8)^2 + 0.01*w10^2`,
].join('\n');

interface Case { name: string; text: string; fn: string; point?: number[]; line: number }
const cases: Case[] = [
  { name: 'Rosenbrock n=10, definition', text: rosenbrock, fn: 'f', line: 0 },
  { name: 'Rosenbrock n=10, call f(1, …, 1)', text: `${rosenbrock}\nf(${xs.map(() => '1').join(', ')})`, fn: 'f', point: xs.map(() => 1), line: 1 },
  { name: 'network loss, 10 weights, definition', text: network, fn: 'L', line: 2 },
];

const cpuMs = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const median = (a: number[]): number => [...a].sort((x, y) => x - y)[a.length >> 1]!;
const fresh = (c: Case, i: number): CalcDocument => createCalcDocument(TextDocument.create(`file:///b${i}.calc`, 'calc', 1, c.text));
const imageCount = (md: string): number => (md.match(/data:image\/svg\+xml/g) ?? []).length;
const mathBlocks = (md: string): number => (md.match(/```text/g) ?? []).length;

interface Sample { wall: number; cpu: number; md: string }
function sample(f: () => string): Sample {
  const c0 = cpuMs(), t0 = performance.now();
  const md = f();
  return { wall: performance.now() - t0, cpu: cpuMs() - c0, md };
}
const hoverMd = (doc: CalcDocument, c: Case, o: HoverOptions): string => (doHover(doc, { line: c.line, character: 0 }, o)!.contents as MarkupContent).value;
function summary(s: Sample[]): string {
  return `${median(s.map((x) => x.wall)).toFixed(1)} ms (cpu ${median(s.map((x) => x.cpu)).toFixed(1)})`;
}

async function main(): Promise<void> {
  console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on this machine`);
  const cold = sample(() => hoverMd(fresh(cases[0]!, -1), cases[0]!, { theme: 'dark' }));
  console.log(`cold first hover in the process (no warm-up): ${cold.wall.toFixed(0)} ms, ${imageCount(cold.md)} of ${mathBlocks(cold.md)} images`);
  await whenTypesetIdle();
  console.log(`warm-up (warmUpTypeset): ${warmUpTypeset().toFixed(0)} ms`);
  const samples = 11;
  console.log('\n| case | text only | all typeset, uncached | hover, uncached (images) | hover, cached (size) | same hover again |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const c of cases) {
    // one column at a time, so that the garbage MathJax leaves falls on its own column
    // run with --expose-gc to collect between columns: each column then pays only for its own garbage
    const docs = (): CalcDocument[] => { (globalThis as { gc?: () => void }).gc?.(); return Array.from({ length: samples }, (_, i) => fresh(c, i)); };
    let d = docs();
    d.forEach((doc) => hoverMd(doc, c, { typeset: false })); // the JIT meets this function's shapes
    d = docs();
    const text = d.map((doc) => sample(() => hoverMd(doc, c, { typeset: false })));
    d = docs();
    const all = d.map((doc) => { clearTypesetCache(); return sample(() => render(describeFunction(explainFunction(doc.analysis, c.fn, c.point)!), { theme: 'dark' })); });
    d = docs();
    const first: Sample[] = [];
    for (const doc of d) {
      clearTypesetCache();
      first.push(sample(() => hoverMd(doc, c, { theme: 'dark' })));
      await whenTypesetIdle();
    }
    d = docs();
    const cached = d.map((doc) => sample(() => hoverMd(doc, c, { theme: 'dark' })));
    const again = d.map((doc) => sample(() => hoverMd(doc, c, { theme: 'dark' })));
    const imgs = `${imageCount(first[0]!.md)}/${mathBlocks(first[0]!.md)}`;
    console.log(`| ${c.name} | ${summary(text)} | ${summary(all)} | ${summary(first)} (${imgs}) | ${summary(cached)} (${(cached[0]!.md.length / 1024).toFixed(0)} KB) | ${summary(again)} |`);
  }
}

void main();
