/**
 * The evaluation worker's pool (server/src/runWorker.ts), with the built server bundle as its worker,
 * as the server starts it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { analyze } from '../../server/src/core/analysis';
import { RunPool } from '../../server/src/runWorker';
import { ROOT } from './harness';

const ENTRY = join(ROOT, 'dist', 'server', 'server.js');

/** A constant, and 200 statements that depend on it. */
const worksheet = (c: number): string =>
  [`c = ${c}`, ...Array.from({ length: 200 }, (_, i) => `taylor exp(c*x)*sin(${i + 1}*y) at [0, 0] order 2`)].join('\n') + '\n';

test('an evaluation that a newer version replaces stops and says so; the newer one is whole', { timeout: 60_000 }, async () => {
  const log: string[] = [];
  const pool = new RunPool(ENTRY, (m) => log.push(m));
  try {
    const uri = 'file:///pool/replaced.calc';
    const whole = analyze(worksheet(2), { budgetMs: 60_000 }).evaluated.size;
    // Version 2 comes before the worker has even started on version 1: version 1 stops at once.
    const first = pool.evaluate({ uri, version: 1, text: worksheet(1) });
    const second = pool.evaluate({ uri, version: 2, text: worksheet(2) });
    const [a, b] = await Promise.all([first.done, second.done]);
    assert.equal(a?.stopped, true, 'version 1 says it was stopped');
    assert.ok(a.statements.length < whole, `version 1 worked out ${a.statements.length} of ${whole} statements`);
    assert.ok(b, 'version 2 was evaluated');
    assert.equal(b.stopped, undefined, 'version 2 was not stopped');
    assert.equal(b.statements.length, whole);
    assert.equal(new Set(b.outcomes.map(([key]) => key)).size, b.outcomes.length);
    assert.deepEqual(log.filter((m) => /terminated|failed|error/.test(m)), []);
  } finally {
    pool.dispose();
  }
});
