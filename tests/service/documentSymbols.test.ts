import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SymbolKind } from 'vscode-languageserver-types';
import { findDocumentSymbols } from '../../server/src/service/documentSymbols';
import { documentOf, rangeOfText } from './cursor';

test('the outline lists constants, functions, data sets with their columns, and analyses, in order', () => {
  const doc = documentOf('a = 2\nf(x, y) = x*y\n2 + 2\ndata d {\n x y\n 1 2\n}\nminimize f from [1, 1]\nplot sin(x) over x in [0, 1]\n');
  const symbols = findDocumentSymbols(doc);
  assert.deepEqual(symbols.map((s) => [s.name, s.kind]), [
    ['a', SymbolKind.Constant], ['f', SymbolKind.Function], ['d', SymbolKind.Struct],
    ['minimize f from [1, 1]', SymbolKind.Event], ['plot sin(x) over x in [0, 1]', SymbolKind.Event],
  ]);
  assert.equal(symbols[1]!.detail, 'f(x, y)');
  assert.deepEqual(symbols[2]!.children?.map((c) => c.name), ['x', 'y']);
  assert.deepEqual(symbols[1]!.selectionRange, rangeOfText(doc, 'f'));
});

test('every symbol\'s selection range lies inside its range', () => {
  const doc = documentOf('data d {\n x y\n 1 2\n}\nf(x) = x\n');
  const inside = (a: { line: number; character: number }, b: { line: number; character: number }) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  for (const s of findDocumentSymbols(doc)) {
    assert.ok(inside(s.range.start, s.selectionRange.start) && inside(s.selectionRange.end, s.range.end), s.name);
  }
});

test('a long analysis is named by its first line, shortened', () => {
  const doc = documentOf(`minimize ${'x^2 + '.repeat(30)}1 from x = 1\n`);
  const [s] = findDocumentSymbols(doc);
  assert.ok(s!.name.length <= 60 && s!.name.endsWith('…'));
});
