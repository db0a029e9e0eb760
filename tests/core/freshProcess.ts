/**
 * Analyses a text in a process of its own, as the evaluation worker and the main thread of the
 * server each do with their own module state: what one of them worked out must mean the same in
 * the other. Run by tests (`node --import tsx tests/core/freshProcess.ts`), never bundled.
 *
 * stdin: `{ before: string[], text, evaluate, previous?: [key, outcome][] }`. The texts of
 * `before` are analysed first (a history of other documents); then `text`, with `previous` as the
 * outcomes of an earlier version. stdout: `{ outcomes, messages, pending }` for `text`: its
 * outcome table, its diagnostics' messages, and the indices of the statements left to evaluate.
 */
import { readFileSync } from 'node:fs';
import { analyze, type StatementOutcome } from '../../server/src/core/analysis';

const job = JSON.parse(readFileSync(0, 'utf8')) as { before: string[]; text: string; evaluate: boolean; previous?: [string, StatementOutcome][] };
for (const t of job.before) analyze(t);
const a = analyze(job.text, { evaluate: job.evaluate, ...(job.previous ? { previous: { outcomes: new Map(job.previous) } } : {}) });
process.stdout.write(JSON.stringify({
  outcomes: [...a.outcomes],
  messages: a.diagnostics.map((d) => d.message),
  pending: a.pending.map((s) => a.program.statements.indexOf(s)),
}));
