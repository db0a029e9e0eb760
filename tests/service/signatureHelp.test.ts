import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getSignatureHelp } from '../../server/src/service/signatureHelp';
import { withCursor } from './cursor';

function help(marked: string) {
  const { doc, position } = withCursor(marked);
  return getSignatureHelp(doc, position);
}

test('signature help on a user function shows its parameters with the active one', () => {
  const h = help('f(x, y) = x^2*y\nf(1, |');
  assert.equal(h?.signatures[0]?.label, 'f(x, y)');
  assert.equal(h?.activeParameter, 1);
  assert.deepEqual(h?.signatures[0]?.parameters?.map((p) => p.label), [[2, 3], [5, 6]]);
});

test('signature help on a built-in function shows its documentation', () => {
  const h = help('a = sqrt(|');
  assert.equal(h?.signatures[0]?.label, 'sqrt(x)');
  assert.equal(h?.activeParameter, 0);
});

test('the innermost call wins, and brackets inside arguments do not count commas', () => {
  const h = help('g(a, b, c) = a\ng(sin(1), [1, 2], |');
  assert.equal(h?.signatures[0]?.label, 'g(a, b, c)');
  assert.equal(h?.activeParameter, 2);
  assert.equal(help('g(a, b, c) = a\ng(1, sin(|')?.signatures[0]?.label, 'sin(x)');
});

test('diff switches to its several-variables signature after the second comma', () => {
  assert.equal(help('diff(x^2*y, |')?.activeSignature, 0);
  const h = help('diff(x^2*y, x, |');
  assert.equal(h?.activeSignature, 1);
  assert.equal(h?.signatures[1]?.label, 'diff(expr, x, y)');
});

test('prime notation calls the function it primes', () => {
  assert.equal(help("h(t) = t^3\nh'(|")?.signatures[0]?.label, 'h(t)');
});

test('no signature help outside a call, after it closes, or in a comment', () => {
  assert.equal(help('a = 1 + |'), null);
  assert.equal(help('a = sin(1)|'), null);
  assert.equal(help('a = 1 # sin(|'), null);
});
