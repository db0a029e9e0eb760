import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getCodeLenses } from '../../server/src/service/codeLens';
import { documentOf } from './cursor';

function lenses(text: string): [number, string, string, unknown[]][] {
  const doc = documentOf(text);
  return getCodeLenses(doc).map((l) => [l.range.start.line, l.command!.title, l.command!.command, l.command!.arguments ?? []]);
}

test('every root, minimize, maximize, fit and Lagrange statement has a Run lens that names the document and the statement', () => {
  const text = 'a = 1\nroot x^2 - 2 near x = 1\nminimize x^2 from x = 1\nmaximize x*y subject to x + y = 1\ndata d {\n x y\n 1 2\n 2 3\n 3 5\n}\nfit y = m*x + c to d\n';
  const runs = lenses(text).filter(([, title]) => title === '▶ Run');
  assert.deepEqual(runs.map(([line]) => line), [1, 2, 3, 10]);
  for (const [line, , command, args] of runs) {
    assert.equal(command, 'calc.run');
    assert.equal(args[0], 'file:///work/sheet.calc');
    assert.equal(args[1], text.split('\n').slice(0, line).join('\n').length + 1);
  }
});

test('plots, Taylor polynomials, analyses and functions of one or two variables have a Plot lens', () => {
  const text = 'f(x) = x^2\ng(x, y) = x*y\nk(x, y, z) = x\nplot f over x in [0, 1]\ntaylor cos(x) at x = 0 order 4\n2 + 2\n';
  const plots = lenses(text).filter(([, title]) => title === 'Plot');
  assert.deepEqual(plots.map(([line, , command]) => [line, command]), [[0, 'calc.showPlot'], [1, 'calc.showPlot'], [3, 'calc.showPlot'], [4, 'calc.showPlot']]);
});

test('a statement with an error has no Run lens', () => {
  assert.deepEqual(lenses('minimize x^2 from (1\n').filter(([, t]) => t === '▶ Run'), []);
});

test('after a run the lens says so and a second lens shows the summary, which copies it', () => {
  const doc = documentOf('root x^2 - 2 near x = 1\n');
  doc.runs.set(0, {
    kind: 'root', variables: ['x'], point: { x: Math.SQRT2 }, x: [Math.SQRT2], value: [0], iterations: 5, evaluations: 6,
    converged: true, reason: 'residual', message: '', path: [], notes: [],
  });
  const got = getCodeLenses(doc).map((l) => [l.command!.title, l.command!.command]);
  assert.deepEqual(got, [['↻ Run again', 'calc.run'], ['root at x = 1.41421 · 5 iterations', 'calc.copyText'], ['Plot', 'calc.showPlot']]);
});
