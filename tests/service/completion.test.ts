import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CompletionItemKind, type CompletionItem } from 'vscode-languageserver-types';
import { doComplete } from '../../server/src/service/completion';
import { BUILTINS } from '../../server/src/core/semantics/builtins';
import { STATEMENT_KEYWORDS } from '../../server/src/core/syntax/parser';
import { withCursor } from './cursor';

function labels(marked: string): string[] {
  const { doc, position } = withCursor(marked);
  return doComplete(doc, position).items.map((i) => i.label);
}

function item(marked: string, label: string): CompletionItem {
  const { doc, position } = withCursor(marked);
  const found = doComplete(doc, position).items.find((i) => i.label === label);
  assert.ok(found, `${label} is offered`);
  return found;
}

test('in an expression every built-in is offered, with its signature and its documentation', () => {
  const got = labels('a = 2\nb = s|\n');
  for (const name of BUILTINS.keys()) assert.ok(got.includes(name), name);
  const sin = item('b = s|\n', 'sin');
  assert.equal(sin.kind, CompletionItemKind.Function);
  assert.equal(sin.detail, 'sin(x)');
  assert.match(JSON.stringify(sin.documentation), /cos\(x\)/);
});

test('the document\'s own definitions are offered, functions with their parameters', () => {
  const f = item('rate = 2\nf(x, y) = x*y\nf(1, 2) + r|\n', 'f');
  assert.equal(f.detail, 'f(x, y)');
  const rate = item('rate = 2\nf(x, y) = x*y\nf(1, 2) + r|\n', 'rate');
  assert.equal(rate.kind, CompletionItemKind.Constant);
  assert.equal(rate.detail, 'rate = 2');
});

test('inside a function body its parameters are offered first', () => {
  const { doc, position } = withCursor('g(alpha, beta) = al|\n');
  const items = doComplete(doc, position).items;
  const alpha = items.find((i) => i.label === 'alpha')!;
  assert.ok(alpha);
  assert.ok(items.every((i) => (alpha.sortText ?? '') <= (i.sortText ?? i.label)));
});

test('at the start of a line the statement keywords are offered', () => {
  const got = labels('a = 1\n|\n');
  for (const k of STATEMENT_KEYWORDS) assert.ok(got.includes(k), k);
});

test('after `by` only the methods of that statement are offered, replacing the words typed so far', () => {
  assert.deepEqual(labels('minimize x^2 from x = 1 by |').sort(), ['bfgs', 'gradient descent', 'newton', 'trust region']);
  assert.deepEqual(labels('root x^2 - 2 near x = 1 by n|').sort(), ['newton', 'newton-raphson']);
  const { doc, position } = withCursor('minimize x^2 from x = 1 by gradient d|');
  const gd = doComplete(doc, position).items.find((i) => i.label === 'gradient descent')!;
  assert.ok(gd.textEdit && 'range' in gd.textEdit);
  assert.deepEqual(gd.textEdit.range, { start: { line: 0, character: 27 }, end: position });
});

test('after `with` the options not yet given are offered', () => {
  assert.deepEqual(labels('minimize x^2 from x = 1 by gradient descent with step = 0.1, |').sort(), ['maxiter', 'tol']);
  assert.ok(labels('fit y = a*x to d with |').includes('sigma'));
});

test('in a fit the columns of its data are offered, and after `to` the data sets', () => {
  const table = 'data pts {\n  t  height  err\n  1  2  0.1\n  2  3  0.1\n}\n';
  const got = labels(`${table}fit height = a*|`);
  assert.ok(got.includes('t') && got.includes('err'));
  assert.deepEqual(labels(`${table}fit height = a*t + b to |`), ['pts']);
});

test('nothing is offered inside a comment or a string', () => {
  assert.deepEqual(labels('a = 1 # si|'), []);
  assert.deepEqual(labels('data d = csv("he|'), []);
});

test('with snippet support, functions insert their parentheses and ask for signature help', () => {
  const { doc, position } = withCursor('b = ex|');
  const exp = doComplete(doc, position, { snippets: true }).items.find((i) => i.label === 'exp')!;
  assert.equal(exp.insertText, 'exp($0)');
  assert.equal(exp.command?.command, 'editor.action.triggerParameterHints');
});

test('a space opens the list only after `by`, `with` and `to`', () => {
  const after = (marked: string) => {
    const { doc, position } = withCursor(marked);
    return doComplete(doc, position, { afterSpace: true }).items.map((i) => i.label);
  };
  assert.ok(after('minimize x^2 from x = 1 by |').includes('newton'));
  assert.ok(after('minimize x^2 from x = 1 with |').includes('maxiter'));
  assert.deepEqual(after('a = 1 + |'), []);
  assert.deepEqual(after('|'), []);
});
