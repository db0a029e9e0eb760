import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createCalcDocument, createSyntacticDocument, evaluationOf, withEvaluation } from '../../server/src/service/document';
import { doValidation } from '../../server/src/service/diagnostics';
import { getInlayHints } from '../../server/src/service/inlayHints';

const TOUR = readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'tour.calc'), 'utf8');
const td = () => TextDocument.create('file:///work/tour.calc', 'calc', 3, TOUR + '\nlog(-1)\n');

test('a syntactic document evaluates no statement, but has every statement, name and syntax error', () => {
  const full = createCalcDocument(td());
  const syntactic = createSyntacticDocument(td());
  assert.equal(syntactic.analysis.results.size, 0);
  assert.equal(syntactic.analysis.program.statements.length, full.analysis.program.statements.length);
  assert.equal(syntactic.analysis.symbols.references.length, full.analysis.symbols.references.length);
  assert.ok(!syntactic.analysis.diagnostics.some((d) => d.code === 403), 'domain warnings need evaluation');
});

test('an evaluation made elsewhere, passed as plain data, completes a syntactic document', () => {
  const full = createCalcDocument(td());
  // Through JSON-like plain data, as across a thread (structured clone keeps NaN; so does this).
  const evaluation = structuredClone(evaluationOf(full.analysis));
  const merged = withEvaluation(createSyntacticDocument(td()), evaluation);
  assert.deepEqual(getInlayHints(merged), getInlayHints(full));
  assert.deepEqual(doValidation(merged), doValidation(full));
  assert.ok(doValidation(merged).some((d) => d.code === 403));
});
