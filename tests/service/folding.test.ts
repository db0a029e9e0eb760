import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FoldingRangeKind } from 'vscode-languageserver-types';
import { getFoldingRanges } from '../../server/src/service/folding';
import { documentOf } from './cursor';

test('a data block folds from its first line to the line before its closing brace', () => {
  const doc = documentOf('a = 1\ndata d {\n x y\n 1 2\n 2 3\n}\n');
  assert.deepEqual(getFoldingRanges(doc), [{ startLine: 1, endLine: 4 }]);
});

test('runs of two or more comment lines fold as comments; a single comment line does not', () => {
  const doc = documentOf('# one\n# two\n# three\na = 1\n# alone\nb = 2\n  # indented\n  # too\n');
  assert.deepEqual(getFoldingRanges(doc), [
    { startLine: 0, endLine: 2, kind: FoldingRangeKind.Comment },
    { startLine: 6, endLine: 7, kind: FoldingRangeKind.Comment },
  ]);
});

test('a statement continued over lines inside brackets folds', () => {
  const doc = documentOf('M = [[1, 2],\n     [3, 4]]\n');
  assert.deepEqual(getFoldingRanges(doc), [{ startLine: 0, endLine: 1 }]);
});
