import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getDocumentLinks } from '../../server/src/service/documentLinks';
import { createCalcDocument } from '../../server/src/service/document';
import { documentOf, rangeOfText, URI } from './cursor';

test("a csv file's name links to the file beside the worksheet, over the text between the quotes", () => {
  const doc = documentOf('data h = csv("heights.csv")\ndata w = csv("data/my weights.csv")\n');
  const links = getDocumentLinks(doc);
  assert.deepEqual(links.map((l) => l.target), [
    new URL('heights.csv', URI).toString(),
    new URL('data/my%20weights.csv', URI).toString(),
  ]);
  assert.equal(links[0]!.target, 'file:///work/heights.csv');
  assert.deepEqual(links[0]!.range, rangeOfText(doc, 'heights.csv'));
  assert.deepEqual(links[1]!.range, rangeOfText(doc, 'data/my weights.csv'));
  assert.equal(links[0]!.tooltip, 'Open heights.csv');
  // a name with characters that mean something in a URI is still that file
  assert.deepEqual(getDocumentLinks(documentOf('data h = csv("data#1.csv")\ndata p = csv("100%.csv")')).map((l) => decodeURIComponent(new URL(l.target!).pathname)), ['/work/data#1.csv', '/work/100%.csv']);
});

test('no link for a path the analysis refuses, for an inline table, or where the document has no folder', () => {
  for (const path of ['/etc/passwd', '../secret.csv', 'data/../../x.csv', 'https://example.com/a.csv', 'C:\\\\a.csv', '']) {
    assert.deepEqual(getDocumentLinks(documentOf(`data h = csv("${path}")`)), [], path);
  }
  assert.deepEqual(getDocumentLinks(documentOf('data p {\n x y\n 1 2\n}')), []);
  const untitled = createCalcDocument(TextDocument.create('untitled:Untitled-1', 'calc', 1, 'data h = csv("heights.csv")'));
  assert.deepEqual(getDocumentLinks(untitled), []);
  // a web workspace's scheme is kept
  const web = createCalcDocument(TextDocument.create('vscode-vfs://github/me/course/week1/sheet.calc', 'calc', 1, 'data h = csv("h.csv")'));
  assert.deepEqual(getDocumentLinks(web).map((l) => l.target), ['vscode-vfs://github/me/course/week1/h.csv']);
});
