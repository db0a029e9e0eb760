import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../server/src/core/analysis';
import { valueOrText } from '../../server/src/core/results';
import { assertDiagnosticsInside, exerciseFeatures } from './features';
import { seeded as random } from '../../server/src/core/calculus/random';

/**
 * Bounds for the pathological inputs, generous because the test machine is shared; what
 * matters is that they are bounded at all (no hang, no stack overflow, no crash).
 */
const SMALL_MS = 3_000;
const MEGABYTE_MS = 20_000;

const TOUR = readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'tour.calc'), 'utf8');

function timed<T>(limitMs: number, what: string, f: () => T): T {
  const t0 = performance.now();
  const out = f();
  const ms = performance.now() - t0;
  assert.ok(ms < limitMs, `${what} took ${ms.toFixed(0)} ms (limit ${limitMs})`);
  return out;
}

test('10,000 open brackets give a nesting diagnostic, and the next line is still analysed', () => {
  const text = `a = ${'('.repeat(10_000)}\nb = 2 + 3\n`;
  const analysis = timed(SMALL_MS, 'analysis', () => assertDiagnosticsInside(text));
  assert.deepEqual(analysis.diagnostics.map((d) => d.code), [206]);
  const b = analysis.program.statements[1]!;
  assert.deepEqual(analysis.results.get(b), { kind: 'value', value: 5, variables: [] });
  timed(SMALL_MS, 'features', () => exerciseFeatures(text, [0, 4, 5_000, text.length - 3]));
});

test('6,000 bare operators in a row (grad grad … f) give a nesting diagnostic, not a stack overflow', () => {
  const a = analyze(`${'grad '.repeat(6_000)}f\nb = 2 + 3\n`);
  assert.ok(a.diagnostics.some((d) => d.code === 206));
  assert.ok([...a.results.values()].some((r) => r.kind === 'value' && r.value === 5), 'the next line is analysed');
});

test('10,000 alternating open brackets of both kinds do not overflow the stack', () => {
  const text = `v = ${'[('.repeat(5_000)}${')]'.repeat(5_000)}\n`;
  const analysis = timed(SMALL_MS, 'analysis', () => assertDiagnosticsInside(text));
  assert.ok(analysis.diagnostics.some((d) => d.code === 206));
  timed(SMALL_MS, 'features', () => exerciseFeatures(text, [0, 5_000, text.length]));
});

test('a 1 MB line of arithmetic is analysed in bounded time', () => {
  const text = `a = ${'1 + '.repeat(250_000)}1\nb = 1\n`;
  assert.ok(text.length > 1_000_000);
  const analysis = timed(MEGABYTE_MS, 'analysis', () => assertDiagnosticsInside(text));
  assert.equal(analysis.program.statements.length, 2);
  timed(MEGABYTE_MS, 'features', () => exerciseFeatures(text, [0, 500_000, text.length]));
});

test('a 1 MB line of names in a function body is analysed in bounded time', () => {
  const text = `f(x) = ${'x*'.repeat(500_000)}x\n`;
  timed(MEGABYTE_MS, 'analysis', () => assertDiagnosticsInside(text));
  timed(MEGABYTE_MS, 'features', () => exerciseFeatures(text, [2, 500_000]));
});

test('binary garbage with NUL bytes yields diagnostics, never an exception', () => {
  const next = random(42);
  const text = Array.from({ length: 64 * 1024 }, () => String.fromCharCode(Math.floor(next() * 256))).join('');
  assert.ok(text.includes('\u0000'));
  const analysis = timed(SMALL_MS * 2, 'analysis', () => assertDiagnosticsInside(text));
  assert.ok(analysis.diagnostics.some((d) => d.code === 101));
  timed(SMALL_MS * 2, 'features', () => exerciseFeatures(text, [0, 100, 30_000, text.length]));
});

test('a CRLF file means the same as its LF version: the same codes and the same results', () => {
  const crlf = TOUR.replace(/\n/g, '\r\n');
  const a = analyze(TOUR), b = timed(SMALL_MS, 'analysis', () => assertDiagnosticsInside(crlf));
  assert.deepEqual(b.diagnostics.map((d) => d.code), a.diagnostics.map((d) => d.code));
  assert.deepEqual([...b.results.values()].map((r) => r.kind === 'value' ? valueOrText(r) : r.kind), [...a.results.values()].map((r) => r.kind === 'value' ? valueOrText(r) : r.kind));
  const doc = exerciseFeatures(crlf, [0, 300, crlf.length]);
  assert.equal(doc.textDocument.lineCount, TOUR.split('\n').length);
});

test('a byte-order mark is not part of the program', () => {
  const a = analyze(TOUR), b = assertDiagnosticsInside('\uFEFF' + TOUR);
  assert.deepEqual(b.diagnostics.map((d) => d.code), a.diagnostics.map((d) => d.code));
  assert.equal(b.program.statements.length, a.program.statements.length);
  exerciseFeatures('\uFEFF' + TOUR, [0, 1, 2]);
});

test('non-ASCII identifiers are names like any other', () => {
  const text = 'α = 2\nβ(θ) = θ^2 + α\nβ(3)\n長さ = 4\n長さ*2\n';
  const analysis = assertDiagnosticsInside(text);
  assert.deepEqual(analysis.diagnostics, []);
  const values = [...analysis.results.values()].filter((r) => r.kind === 'value').map((r) => r.kind === 'value' ? r.value : null);
  assert.deepEqual(values, [2, 11, 4, 8]);
  exerciseFeatures(text, [0, 1, 8, text.length]);
});

test('characters outside the language, astral ones included, are one diagnostic with an exact UTF-16 range', () => {
  const text = 'a = 1 😀 2\n';
  const d = assertDiagnosticsInside(text).diagnostics.find((x) => x.code === 101)!;
  assert.equal(text.slice(d.offset, d.offset + d.length), '😀');
  exerciseFeatures(text, [6, 7, 8]);
});

test('a chain of 3,000 definitions, each using the one before, does not overflow the stack', () => {
  const lines = ['f0(x) = x'];
  for (let i = 1; i < 3_000; i++) lines.push(`f${i}(x) = f${i - 1}(x) + 1`);
  const text = lines.join('\n') + '\nf2999(1)\n';
  timed(MEGABYTE_MS, 'analysis', () => assertDiagnosticsInside(text));
  exerciseFeatures(text, [3, text.length - 4]);
});
