import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findDefinition } from '../../server/src/service/definition';
import { memoryHost, rangeOfText, withCursor } from './cursor';

test('go to definition on a call jumps to the function name in its definition', () => {
  const { doc, position } = withCursor('f(x) = x^2\ny = 3\nf|(2)\n');
  assert.deepEqual(findDefinition(doc, position), [{ uri: doc.uri, range: rangeOfText(doc, 'f') }]);
});

test('go to definition on a parameter in the body jumps to the parameter, not to a global of the same name', () => {
  const { doc, position } = withCursor('x = 5\ng(x) = 2*|x\n');
  assert.deepEqual(findDefinition(doc, position).map((l) => l.range), [rangeOfText(doc, 'x', 1)]);
});

test('go to definition on a column in a fit jumps to the header cell of the data table', () => {
  const { doc, position } = withCursor('data pts {\n  x  y\n  1  2\n  2  4\n  3  7\n}\nfit y = m*|x + c to pts\n');
  assert.deepEqual(findDefinition(doc, position).map((l) => l.range), [rangeOfText(doc, 'x')]);
});

test('go to definition on a column of a csv file jumps to the file name', () => {
  const host = memoryHost({ 'h.csv': 'x,y\n1,2\n2,3\n3,5\n' });
  const { doc, position } = withCursor('data h = csv("h.csv")\nfit |y = a*x + b to h\n', host);
  assert.deepEqual(findDefinition(doc, position).map((l) => l.range), [rangeOfText(doc, '"h.csv"')]);
});

test('go to definition on a free variable jumps to its binding in the at clause', () => {
  const { doc, position } = withCursor('diff(x^2*|y, x) at x = 3, y = 1\n');
  assert.deepEqual(findDefinition(doc, position).map((l) => l.range), [rangeOfText(doc, 'y', 1)]);
});

test('go to definition on a built-in or on a number finds nothing', () => {
  assert.deepEqual(findDefinition(withCursor('a = si|n(1)\n').doc, withCursor('a = si|n(1)\n').position), []);
  const { doc, position } = withCursor('a = 12|3\n');
  assert.deepEqual(findDefinition(doc, position), []);
});
