/**
 * Hover timings: the hover of a 10-variable function (gradient and 10×10 Hessian, typeset),
 * the target being under 50 ms. Run: `node --import tsx bench/hover.bench.ts`.
 *
 * Each sample hovers a freshly analysed document (analysis is the server's work on each edit,
 * not the hover's, so it is not timed), so the symbolic derivatives are computed every time.
 * "uncached" clears the image cache before each sample, so MathJax typesets every formula;
 * "cached" is a repeated hover over the same formulas. The cold figure is the first hover in
 * the process: module loading, MathJax's setup and the JIT warming up.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { MarkupContent } from 'vscode-languageserver-types';
import { createCalcDocument } from '../server/src/service/document';
import { doHover, type HoverOptions } from '../server/src/service/hover';
import { clearTypesetCache } from '../server/src/service/typeset';

const n = 10;
const xs = Array.from({ length: n }, (_, i) => `x${i + 1}`);
// the extended (chained) Rosenbrock function
const rosenbrock = `f(${xs.join(', ')}) = ${xs.slice(0, -1).map((x, i) => `100*(${xs[i + 1]} - ${x}^2)^2 + (1 - ${x})^2`).join(' + ')}`;
// a two-layer network with two hidden tanh units and a sigmoid output, squared loss on one example: 10 weights
const ws = Array.from({ length: n }, (_, i) => `w${i + 1}`);
const network = [
  `h1(${ws.join(', ')}) = tanh(w1*0.5 + w2*(-1.2) + w3)`,
  `h2(${ws.join(', ')}) = tanh(w4*0.5 + w5*(-1.2) + w6)`,
  `L(${ws.join(', ')}) = (sigmoid(w7*h1(${ws.join(', ')}) + w8*h2(${ws.join(', ')}) + w9) - 0.8)^2 + 0.01*w10^2`,
].join('\n');

interface Case { name: string; text: string; line: number; character: number }
const ones = xs.map(() => '1').join(', ');
const cases: Case[] = [
  { name: 'Rosenbrock n=10, definition', text: rosenbrock, line: 0, character: 0 },
  { name: 'Rosenbrock n=10, call f(1, …, 1)', text: `${rosenbrock}\nf(${ones})`, line: 1, character: 0 },
  { name: 'network loss, 10 weights, definition', text: network, line: 2, character: 0 },
];

function median(a: number[]): number {
  const s = [...a].sort((x, y) => x - y);
  return s[s.length >> 1]!;
}

function time(c: Case, options: HoverOptions, clear: boolean, samples: number): { median: number; max: number; size: number } {
  const ts: number[] = [];
  let size = 0;
  for (let i = 0; i < samples; i++) {
    const doc = createCalcDocument(TextDocument.create(`file:///b${i}.calc`, 'calc', 1, c.text));
    if (clear) clearTypesetCache();
    const t0 = performance.now();
    const h = doHover(doc, { line: c.line, character: c.character }, options);
    ts.push(performance.now() - t0);
    size = h ? (h.contents as MarkupContent).value.length : 0;
  }
  return { median: median(ts), max: Math.max(...ts), size };
}

const cold = time(cases[0]!, { theme: 'dark', fontSize: 14 }, true, 1);
console.log(`cold first hover (module + MathJax setup + JIT): ${cold.median.toFixed(1)} ms`);
console.log('| case | text only | typeset, uncached | typeset, cached | hover size |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const c of cases) {
  time(c, { theme: 'dark' }, true, 3); // warm-up
  const text = time(c, { typeset: false }, false, 15);
  const uncached = time(c, { theme: 'dark', fontSize: 14 }, true, 15);
  const cached = time(c, { theme: 'dark', fontSize: 14 }, false, 15);
  const f = (r: { median: number; max: number }): string => `${r.median.toFixed(1)} ms (max ${r.max.toFixed(1)})`;
  console.log(`| ${c.name} | ${f(text)} | ${f(uncached)} | ${f(cached)} | ${(uncached.size / 1024).toFixed(0)} KB |`);
}
