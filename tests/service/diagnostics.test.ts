import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DiagnosticSeverity, DiagnosticTag } from 'vscode-languageserver-types';
import { doValidation } from '../../server/src/service/diagnostics';
import { documentOf, rangeOfText, textAt } from './cursor';

test('an unknown name is an error with its stable code, exactly on the name', () => {
  const doc = documentOf('a = 2\nb = sn(a)\n');
  const [d, ...rest] = doValidation(doc);
  assert.equal(rest.length, 0);
  assert.equal(d!.code, 301);
  assert.equal(d!.severity, DiagnosticSeverity.Error);
  assert.equal(d!.source, 'calc');
  assert.equal(textAt(doc, d!.range), 'sn');
});

test('a duplicate definition points to the first one through related information', () => {
  const doc = documentOf('f(x) = x\ng(x) = 2x\nf(x) = x^2\n');
  const d = doValidation(doc).find((x) => x.code === 302)!;
  assert.deepEqual(d.range, rangeOfText(doc, 'f', 1));
  assert.equal(d.relatedInformation?.length, 1);
  assert.equal(d.relatedInformation![0]!.location.uri, doc.uri);
  assert.deepEqual(d.relatedInformation![0]!.location.range, rangeOfText(doc, 'f', 0));
});

test('an unused parameter is a hint tagged unnecessary, so the editor greys it out', () => {
  const doc = documentOf('f(x, y) = x^2\n');
  const d = doValidation(doc).find((x) => x.code === 306)!;
  assert.equal(d.severity, DiagnosticSeverity.Hint);
  assert.deepEqual(d.tags, [DiagnosticTag.Unnecessary]);
  assert.equal(textAt(doc, d.range), 'y');
});

test('a missing bracket on line 3 does not hide the error on line 40', () => {
  const lines = ['a = 1', 'b = 2', 'c = (a + b', ...Array.from({ length: 36 }, (_, i) => `k${i} = ${i}`), 'z = nope + 1'];
  const doc = documentOf(lines.join('\n') + '\n');
  const ds = doValidation(doc);
  assert.deepEqual(ds.map((d) => [d.code, d.range.start.line]), [[202, 2], [308, 39]]);
});

test('positions are UTF-16 columns on CRLF lines with non-ASCII names', () => {
  const doc = documentOf('α = 1\r\nβ = α + γ\r\n');
  const d = doValidation(doc).find((x) => x.code === 308)!;
  assert.deepEqual(d.range, { start: { line: 1, character: 8 }, end: { line: 1, character: 9 } });
});

test('diagnostics of a run are added, and ranges past the end are clamped into the document', () => {
  const doc = documentOf('minimize x^2 from x = 1\n');
  const ds = doValidation(doc, [{ code: 531, severity: 'warning', offset: 0, length: 10_000, message: 'did not converge' }]);
  assert.equal(ds.length, 1);
  assert.deepEqual(ds[0]!.range.end, doc.textDocument.positionAt(doc.textDocument.getText().length));
});
