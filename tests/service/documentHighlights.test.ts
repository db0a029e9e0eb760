import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DocumentHighlightKind } from 'vscode-languageserver-types';
import { findDocumentHighlights } from '../../server/src/service/documentHighlights';
import { withCursor } from './cursor';

test('highlighting a parameter marks its declaration as a write and its uses as reads', () => {
  const { doc, position } = withCursor('f(x, y) = |x*y + x\n');
  const hs = findDocumentHighlights(doc, position);
  assert.deepEqual(hs.map((h) => [h.range.start.character, h.kind]), [
    [2, DocumentHighlightKind.Write], [10, DocumentHighlightKind.Read], [16, DocumentHighlightKind.Read],
  ]);
});

test('a cursor right after a name still highlights it', () => {
  const { doc, position } = withCursor('rate = 2\nrate| + 1\n');
  assert.equal(findDocumentHighlights(doc, position).length, 2);
});

test('nothing is highlighted on white space or in a comment', () => {
  const { doc, position } = withCursor('a = 1   |  # a\n');
  assert.deepEqual(findDocumentHighlights(doc, position), []);
});
