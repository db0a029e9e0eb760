import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getInlayHints } from '../../server/src/service/inlayHints';
import { documentOf } from './cursor';

function hints(text: string): [number, number, string][] {
  const doc = documentOf(text);
  return getInlayHints(doc).map((h) => [h.position.line, h.position.character, typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join('')]);
}

/** Relative comparison of the number in a label such as "= 4.27324". */
function close(label: string, expected: number, digits = 5): void {
  const got = Number(label.replace(/^= /, ''));
  assert.ok(Math.abs(got - expected) <= Math.abs(expected) * 10 ** -digits, `${label} ≈ ${expected}`);
}

test('an expression line shows its value at the end of the line, after any comment', () => {
  const text = 'a = 2.5\nf(x, y) = x^2*y + a*sin(x*y)\nf(1, 2)   # value\n';
  const [[line, character, label]] = hints(text) as [[number, number, string]];
  assert.deepEqual([line, character], [2, 'f(1, 2)   # value'.length]);
  close(label, 1 * 2 + 2.5 * Math.sin(2));
});

test('vectors and matrices are shown in .calc syntax', () => {
  assert.deepEqual(hints('M = [[1, 2], [3, 4]]\nM*[1, 1]\n').map((h) => h[2]), ['= [3, 7]']);
});

test('a derivative shows its symbolic result', () => {
  const [[, , label]] = hints('diff(x^3, x)\n') as [[number, number, string]];
  assert.equal(label, '= 3*x^2');
});

test('a constant computed from others shows its value; a constant written as a number does not repeat it', () => {
  assert.deepEqual(hints('a = 2\nv = [1, -2]\nb = a*3\n').map((h) => [h[0], h[2]]), [[2, '= 6']]);
});

test('expect and check show a tick or a cross', () => {
  const got = hints('expect 1 + 1 == 2\nexpect 1 + 1 == 3\n').map((h) => h[2]);
  assert.match(got[0]!, /^✓/);
  assert.match(got[1]!, /^✗/);
});

test('a long value is cut with an ellipsis and the whole of it is in the tooltip', () => {
  const doc = documentOf(`v = [${Array.from({ length: 200 }, (_, i) => i).join(', ')}]\nv*2\n`);
  const [h] = getInlayHints(doc);
  assert.ok(typeof h!.label === 'string' && h!.label.length <= 80 && h!.label.endsWith('…'));
  assert.ok(typeof h!.tooltip === 'string' && h!.tooltip.length > 80);
});

test('only hints inside the requested range are given', () => {
  const doc = documentOf('1 + 1\n2 + 2\n3 + 3\n');
  const got = getInlayHints(doc, { start: { line: 1, character: 0 }, end: { line: 1, character: 5 } });
  assert.deepEqual(got.map((h) => h.label), ['= 4']);
});

test('after a run the statement shows its summary', () => {
  const doc = documentOf('minimize (x - 1)^2 from x = 0\n');
  const s = doc.analysis.program.statements[0]!;
  doc.runs.set(s.start, {
    kind: 'minimize', variables: ['x'], point: { x: 1 }, value: 0, x: [1], f: 0, iterations: 3, evaluations: { f: 4, grad: 4, hess: 0 },
    converged: true, reason: 'gradient', message: '', method: 'bfgs', path: [], history: [], gradNorm: 0, notes: [],
  });
  const [h] = getInlayHints(doc);
  assert.match(String(h!.label), /^▸ minimum f = 0 at \(1\) · 3 iterations · BFGS$/);
});
