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
  assert.ok(merged);
  assert.deepEqual(getInlayHints(merged), getInlayHints(full));
  assert.deepEqual(doValidation(merged), doValidation(full));
  assert.ok(doValidation(merged).some((d) => d.code === 403));
});

test('after an edit, the syntactic document reuses what did not change, and the evaluation sends only the rest', () => {
  const before = createCalcDocument(td());
  // A new line at the top moves every statement; one new value needs working out.
  const edited = TextDocument.create('file:///work/tour.calc', 'calc', 4, `2^10\n${TOUR}\nlog(-1)\n`);
  const syntactic = createSyntacticDocument(edited, undefined, before.analysis);
  assert.equal(syntactic.analysis.pending.length, 1, 'only the new line is left to evaluate');
  assert.ok(doValidation(syntactic).some((d) => d.code === 403), 'the domain warning is carried over, moved to its line');

  const full = createCalcDocument(edited);
  const evaluation = structuredClone(evaluationOf(full.analysis, new Set(before.analysis.outcomes.keys())));
  assert.equal(evaluation.outcomes.length, 1, 'only the new outcome crosses');
  const merged = withEvaluation(syntactic, evaluation, before.analysis.outcomes);
  assert.ok(merged);
  assert.deepEqual(getInlayHints(merged), getInlayHints(full));
  assert.deepEqual(doValidation(merged), doValidation(full));
  // An outcome that neither side has makes the merge fail rather than lose a result.
  assert.equal(withEvaluation(syntactic, evaluation, new Map()), undefined);
});
