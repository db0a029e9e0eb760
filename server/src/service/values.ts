/**
 * Short text for values in inlay hints and lenses: numbers as the core formats them,
 * vectors and matrices in .calc syntax, long text cut with an ellipsis.
 */
import { fmt, type Value } from '../core/semantics/evaluate';

/**
 * `showValue([[1, 2], [3, 4]])` is "[[1, 2], [3, 4]]"; `showValue(Math.PI)` is "3.14159".
 */
export function showValue(value: Value | string, maxLength = 80): string {
  const text = typeof value === 'string' ? value : show(value, maxLength);
  return text.length > maxLength ? text.slice(0, maxLength - 1) + '…' : text;
}

function show(v: Value, budget: number): string {
  if (typeof v === 'number') return fmt(v);
  const parts: string[] = [];
  let used = 2;
  for (const item of v) {
    // Stop early: a 10,000-element vector must not be printed to be cut.
    if (used > budget) { parts.push('…'); break; }
    const s = show(item, budget - used);
    parts.push(s);
    used += s.length + 2;
  }
  return `[${parts.join(', ')}]`;
}
