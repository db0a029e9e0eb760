import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { runStatement } from '../../server/src/core/run';
import { isRunnable, type RunnableStatement } from '../../server/src/core/syntax/ast';
import { type CalcDocument, createCalcDocument } from '../../server/src/service/document';
import { RunRecords } from '../../server/src/service/runRecords';

const URI = 'file:///work/runs.calc';
const doc = (version: number, lines: string[]): CalcDocument => createCalcDocument(TextDocument.create(URI, 'calc', version, lines.join('\n') + '\n'));
const runnable = (d: CalcDocument): RunnableStatement => d.analysis.program.statements.find(isRunnable)!;

const F = 'f(x, y) = (x - 3)^2 + (y + 2)^2';
const RUN = 'minimize f from [0, 0]';

/** Runs the document's one runnable statement, as the server does, and records it. */
function runAndRecord(records: RunRecords, d: CalcDocument): void {
  const s = runnable(d);
  const { result, diagnostics } = runStatement(d.analysis, s);
  records.record(d, s, result, diagnostics);
}

test('a run\'s result comes back in a later version when the statement moves or an unrelated definition changes', () => {
  const records = new RunRecords();
  const v1 = doc(1, [F, 'g(x) = x^2', RUN]);
  runAndRecord(records, v1);
  assert.equal(v1.runs.get(runnable(v1).start)?.kind, 'minimize');

  const v2 = doc(2, ['# two lines', '# above', F, 'g(x) = x^4', '', RUN]);
  records.restore(v2);
  const r = v2.runs.get(runnable(v2).start);
  assert.equal(r?.kind, 'minimize');
  assert.ok(r?.kind === 'minimize' && Math.abs(r.point['x']! - 3) < 1e-6 && Math.abs(r.point['y']! + 2) < 1e-6, 'the minimum of f is at (3, -2)');
});

test('a run\'s result is not shown once a definition it uses changes', () => {
  const records = new RunRecords();
  runAndRecord(records, doc(1, [F, RUN]));
  const v2 = doc(2, ['f(x, y) = (x - 1)^2 + y^2', RUN]);
  records.restore(v2);
  assert.equal(v2.runs.size, 0);
  assert.equal(records.recordOf(v2, runnable(v2)), undefined);
});

test('a run\'s diagnostics move with its statement; one that lies in a definition holds in its own version only', () => {
  const records = new RunRecords();
  // A run whose problem is reported on the statement itself: an unknown option.
  const v1 = doc(1, [F, 'minimize f from [0, 0] with step = 0.1']);
  const s1 = runnable(v1);
  records.record(v1, s1, undefined, [{ code: 1, severity: 'warning', offset: s1.start + 9, length: 1, message: 'on the statement' }]);
  const v2 = doc(2, ['', '', F, 'minimize f from [0, 0] with step = 0.1']);
  assert.deepEqual(records.diagnostics(v2).map((d) => d.offset), [runnable(v2).start + 9]);

  // A problem found inside f while running (as a domain warning there would be): its offset holds in v1 only.
  const v3 = doc(3, [F, RUN]);
  records.record(v3, runnable(v3), undefined, [{ code: 2, severity: 'warning', offset: 0, length: 1, message: 'in f' }]);
  assert.equal(records.diagnostics(v3).length, 1);
  const v4 = doc(4, ['', F, RUN]);
  assert.equal(records.diagnostics(v4).length, 0);
  assert.equal(records.recordOf(v4, runnable(v4)), undefined);
});

test('records are per document, and forgetting a document drops its records', () => {
  const records = new RunRecords();
  const v1 = doc(1, [F, RUN]);
  runAndRecord(records, v1);
  const other = createCalcDocument(TextDocument.create('file:///work/other.calc', 'calc', 1, `${F}\n${RUN}\n`));
  assert.equal(records.recordOf(other, runnable(other)), undefined);
  const v2 = doc(2, [F, RUN]);
  assert.ok(records.recordOf(v2, runnable(v2)));
  records.forget(URI);
  assert.equal(records.recordOf(v2, runnable(v2)), undefined);
});
