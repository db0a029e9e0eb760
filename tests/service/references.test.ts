import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findReferences } from '../../server/src/service/references';
import { withCursor } from './cursor';

test('find references on a constant lists its definition and every use, and only those', () => {
  const { doc, position } = withCursor('a| = 2\nf(a2) = a2 + a\nb = a*a\n# a in a comment\n');
  const got = findReferences(doc, position, true).map((l) => [l.range.start.line, l.range.start.character, l.range.end.character]);
  assert.deepEqual(got, [[0, 0, 1], [1, 13, 14], [2, 4, 5], [2, 6, 7]]);
});

test('find references without the declaration leaves the definition out', () => {
  const { doc, position } = withCursor('f(x) = x^2\nf(1) + f|(2)\n');
  assert.equal(findReferences(doc, position, false).length, 2);
  assert.equal(findReferences(doc, position, true).length, 3);
});

test('a parameter is referenced only inside its own function', () => {
  const { doc, position } = withCursor('f(|x) = x^2 + x\ng(x) = x\nx^3\n');
  const lines = findReferences(doc, position, true).map((l) => l.range.start.line);
  assert.deepEqual(lines, [0, 0, 0]);
});

test('a free variable is referenced only inside its own statement', () => {
  const { doc, position } = withCursor('diff(|x^2, x)\ndiff(x^3, x)\n');
  assert.deepEqual(findReferences(doc, position, true).map((l) => l.range.start.line), [0, 0]);
});
