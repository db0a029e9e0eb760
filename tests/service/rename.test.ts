import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { doRename, prepareRename } from '../../server/src/service/rename';
import { documentOf, withCursor } from './cursor';
import type { CalcDocument } from '../../server/src/service/document';
import { valueOrText } from '../../server/src/core/results';

function applied(doc: CalcDocument, edit: WorkspaceEdit | { error: string }): string {
  assert.ok(!('error' in edit), 'error' in edit ? edit.error : '');
  return TextDocument.applyEdits(doc.textDocument, (edit.changes?.[doc.uri] ?? []) as TextEdit[]);
}

test('renaming a function renames its definition and its calls, and nothing else', () => {
  const { doc, position } = withCursor('f|(x) = x^2\nff(x) = f(x) + 1\nf(2)\n# f here is prose\n');
  assert.equal(applied(doc, doRename(doc, position, 'g')), 'g(x) = x^2\nff(x) = g(x) + 1\ng(2)\n# f here is prose\n');
});

test('renaming a parameter leaves the same name in other functions and statements alone', () => {
  const { doc, position } = withCursor('f(x) = |x^2 + x\ng(x) = x\ndiff(x^2, x)\n');
  assert.equal(applied(doc, doRename(doc, position, 't')), 'f(t) = t^2 + t\ng(x) = x\ndiff(x^2, x)\n');
});

test('renaming a fit parameter renames its starting value too', () => {
  const { doc, position } = withCursor('data d {\n x y\n 1 2\n 2 3\n 3 5\n}\nfit y = |A*exp(x) to d from A = 1\n');
  assert.match(applied(doc, doRename(doc, position, 'amp')), /fit y = amp\*exp\(x\) to d from amp = 1/);
});

test('renaming a column renames the header cell and its uses in fits', () => {
  const { doc, position } = withCursor('data d {\n x y\n 1 2\n 2 3\n 3 5\n}\nfit y = a*|x + b to d\n');
  assert.equal(applied(doc, doRename(doc, position, 't')), 'data d {\n t y\n 1 2\n 2 3\n 3 5\n}\nfit y = a*t + b to d\n');
});

test('the result of a rename analyses the same way: the same diagnostics and values', () => {
  const { doc, position } = withCursor('a = 2\nf(x) = a*x^2\nf(3) + |a\n');
  const renamed = documentOf(applied(doc, doRename(doc, position, 'scale')));
  assert.deepEqual(renamed.analysis.diagnostics.map((d) => d.code), doc.analysis.diagnostics.map((d) => d.code));
  const values = (d: CalcDocument) => [...d.analysis.results.values()].map((r) => (r.kind === 'value' ? valueOrText(r) : null));
  assert.deepEqual(values(renamed), values(doc));
});

test('prepare rename refuses built-ins and keywords, and gives the name elsewhere', () => {
  const sin = withCursor('a = s|in(1)\n');
  assert.ok('error' in prepareRename(sin.doc, sin.position));
  const kw = withCursor('minimize x^2 fr|om x = 1\n');
  assert.ok('error' in prepareRename(kw.doc, kw.position));
  const ok = withCursor('rate| = 2\n');
  assert.deepEqual(prepareRename(ok.doc, ok.position), { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 4 } }, placeholder: 'rate' });
});

test('rename refuses names that are not names, are reserved, or would be captured', () => {
  const { doc, position } = withCursor('a = 2\nb = 3\nf(x) = x + |a\n');
  for (const bad of ['2a', 'a b', '', 'sin', 'from', 'b', 'x']) {
    assert.ok('error' in doRename(doc, position, bad), `'${bad}' is refused`);
  }
});
