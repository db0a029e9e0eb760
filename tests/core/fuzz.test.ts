import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { assertDiagnosticsInside, exerciseFeatures } from './features';
import { analyze, type Analysis } from '../../server/src/core/analysis';

const EXAMPLES = join(import.meta.dirname, '..', '..', 'examples');
const SOURCES = readdirSync(EXAMPLES).filter((f) => f.endsWith('.calc')).map((f) => readFileSync(join(EXAMPLES, f), 'utf8'));
/** Per mutated document: analysis plus every feature at three positions. Generous: the machine is shared. */
const LIMIT_MS = 5_000;

/** Pieces that stress the scanner and the parser's recovery. */
const PIECES = ['(', ')', '[', ']', '{', '}', ',', '=', '==', '^', '-', "'", '#', '"', '\u0000', '\r\n', '\r', '\n', '\uFEFF',
  'α', 'θ₁', '長さ', 'é', '😀', ' at ', ' from ', ' by ', ' with ', ' to ', 'subject to', 'data', 'fit', 'minimize', 'sin(', 'diff(', 'csv("',
  '1e309', '0.5', '-', '\t', '  '];

type Mutation =
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'replace'; at: number; length: number; text: string }
  | { kind: 'line'; op: 'delete' | 'duplicate' | 'swap'; line: number; other: number };

const piece = fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 4 }), fc.string({ unit: 'binary', maxLength: 3 }));
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: piece }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 6 }), text: piece }),
  fc.record({ kind: fc.constant('line' as const), op: fc.constantFrom('delete' as const, 'duplicate' as const, 'swap' as const), line: fc.nat(), other: fc.nat() }),
);

function mutate(text: string, m: Mutation): string {
  if (m.kind === 'line') {
    const lines = text.split('\n');
    const i = m.line % lines.length, j = m.other % lines.length;
    if (m.op === 'delete') lines.splice(i, 1);
    else if (m.op === 'duplicate') lines.splice(i, 0, lines[i]!);
    else [lines[i], lines[j]] = [lines[j]!, lines[i]!];
    return lines.join('\n');
  }
  const at = m.at % (text.length + 1);
  if (m.kind === 'insert') return text.slice(0, at) + m.text + text.slice(at);
  if (m.kind === 'delete') return text.slice(0, at) + text.slice(at + m.length);
  return text.slice(0, at) + m.text + text.slice(at + m.length);
}

test('mutated examples never make the analysis or any feature throw, and every diagnostic lies inside the document (seeded)', () => {
  assert.ok(SOURCES.length > 0, 'there are examples to mutate');
  fc.assert(fc.property(
    fc.nat(SOURCES.length - 1), fc.array(mutation, { minLength: 1, maxLength: 12 }), fc.array(fc.nat(), { minLength: 3, maxLength: 3 }),
    (source, mutations, positions) => {
      const text = mutations.reduce(mutate, SOURCES[source]!);
      const t0 = performance.now();
      assertDiagnosticsInside(text);
      exerciseFeatures(text, positions.map((p) => p % (text.length + 1)));
      const ms = performance.now() - t0;
      assert.ok(ms < LIMIT_MS, `${ms.toFixed(0)} ms for one document`);
    },
  ), { seed: 4242, numRuns: 120 });
});

test('documents built from random pieces of the language never make anything throw (seeded)', () => {
  fc.assert(fc.property(fc.array(piece, { maxLength: 80 }), fc.nat(), (pieces, p) => {
    const text = pieces.join('');
    assertDiagnosticsInside(text);
    exerciseFeatures(text, [p % (text.length + 1), 0, text.length]);
  }), { seed: 7, numRuns: 300 });
});

test('an analysis that reuses the outcomes of an earlier version gives exactly what a fresh analysis gives (seeded)', () => {
  // Every statement's outcome is keyed by its text and the texts of the definitions it uses;
  // any edit the key misses would show here as a stale value or a misplaced diagnostic.
  const comparable = (a: Analysis): string => JSON.stringify({
    diagnostics: a.diagnostics,
    results: [...a.results].map(([s, r]) => [s.start, s.end, r]),
  });
  let reusedSomething = false;
  fc.assert(fc.property(
    fc.nat(SOURCES.length - 1), fc.nat(SOURCES.length - 1), fc.array(mutation, { maxLength: 6 }), fc.array(mutation, { minLength: 1, maxLength: 4 }),
    (a, b, first, second) => {
      const before = first.reduce(mutate, SOURCES[a]!);
      // mostly an edit of the same document; sometimes another document altogether
      const after = second.reduce(mutate, a % 4 === 0 ? SOURCES[b]! : before);
      const previous = analyze(before, { budgetMs: 60_000 });
      const incremental = analyze(after, { budgetMs: 60_000, previous });
      const fresh = analyze(after, { budgetMs: 60_000 });
      if ([...incremental.outcomes.values()].some((o) => [...previous.outcomes.values()].includes(o))) reusedSomething = true;
      assert.equal(comparable(incremental), comparable(fresh));
    },
  ), { seed: 99, numRuns: 80 });
  assert.ok(reusedSomething, 'some outcomes were reused, so the comparison tested reuse');
});
