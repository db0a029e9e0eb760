/**
 * A read-only map from the statements of one program to values, stored by statement index.
 *
 * The analysis fills one entry per evaluated statement, thousands per document; a Map keyed by
 * statement objects spread over the heap pays a hash and a few cache misses per entry. Here an
 * entry is an array slot, a lookup by statement bisects the statements by offset (they are in
 * document order), and iteration is in document order.
 *
 * @example const m = new StatementMap<number>(program.statements); m.setAt(0, 42); m.get(program.statements[0]) // 42
 */
import type { Statement } from './syntax/ast';

export class StatementMap<V> implements ReadonlyMap<Statement, V> {
  private readonly values_: (V | undefined)[];
  private count = 0;

  constructor(private readonly statements: readonly Statement[]) {
    this.values_ = new Array<V | undefined>(statements.length);
  }

  /** Sets the value of the statement at index `i`. */
  setAt(i: number, value: V): void {
    if (this.values_[i] === undefined) this.count++;
    this.values_[i] = value;
  }

  /** The value of the statement at index `i`. */
  getAt(i: number): V | undefined {
    return this.values_[i];
  }

  get size(): number {
    return this.count;
  }

  get(s: Statement): V | undefined {
    const i = statementIndex(this.statements, s);
    return i < 0 ? undefined : this.values_[i];
  }

  has(s: Statement): boolean {
    return this.get(s) !== undefined;
  }

  forEach(f: (value: V, key: Statement, map: ReadonlyMap<Statement, V>) => void, thisArg?: unknown): void {
    for (const [k, v] of this) f.call(thisArg, v, k, this);
  }

  *entries(): MapIterator<[Statement, V]> {
    for (let i = 0; i < this.values_.length; i++) {
      const v = this.values_[i];
      if (v !== undefined) yield [this.statements[i]!, v];
    }
  }

  *keys(): MapIterator<Statement> {
    for (const [k] of this.entries()) yield k;
  }

  *values(): MapIterator<V> {
    for (const [, v] of this.entries()) yield v;
  }

  [Symbol.iterator](): MapIterator<[Statement, V]> {
    return this.entries();
  }

}

/** The index of `s` among `statements` (in document order), by bisection on its offset; -1 when it is not one of them. */
export function statementIndex(statements: readonly Statement[], s: Statement): number {
  let lo = 0, hi = statements.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const m = statements[mid]!;
    if (m.start < s.start) lo = mid + 1;
    else if (m.start > s.start) hi = mid - 1;
    else return m === s ? mid : statements.indexOf(s);
  }
  return -1;
}
