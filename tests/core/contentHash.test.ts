import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contentHash } from '../../server/src/core/contentHash';

const bits = (h: string): bigint => { assert.match(h, /^[0-9a-v]{14}$/); return (BigInt(parseInt(h.slice(0, 7), 32)) << 32n) | BigInt(parseInt(h.slice(7), 32)); };
const popcount = (x: bigint): number => { let n = 0; for (; x; x >>= 1n) n += Number(x & 1n); return n; };

test('content hashes of many near-identical definitions are all distinct', () => {
  const seen = new Map<string, string>();
  const add = (s: string): void => {
    const h = contentHash(s);
    assert.equal(seen.get(h) ?? s, s, `${JSON.stringify(s)} and ${JSON.stringify(seen.get(h))} share ${h}`);
    seen.set(h, s);
  };
  for (let i = 0; i < 100_000; i++) add(`c${i % 7} = ${(1 + i / 1e6).toFixed(6)}`);
  for (let i = 0; i < 50_000; i++) add(`f(x, y) = x^${i} + y\u0001${i.toString(36)}`);
  for (let n = 0; n < 2_000; n++) add('\u0000'.repeat(n)); // lengths alone
  assert.equal(seen.size, 152_000);
});

test('changing one character of a key changes about half of the hash\'s 64 bits', () => {
  let total = 0, fewest = 64;
  const trials = 2_000;
  for (let i = 0; i < trials; i++) {
    const s = `g${i}(x) = ${i}*x^2 + sin(x)\u0001${(i * 7919).toString(36)}`;
    const at = i % s.length;
    const t = s.slice(0, at) + String.fromCharCode(s.charCodeAt(at) ^ (1 << (i % 7))) + s.slice(at + 1);
    const flipped = popcount(bits(contentHash(s)) ^ bits(contentHash(t)));
    total += flipped; fewest = Math.min(fewest, flipped);
  }
  const mean = total / trials;
  assert.ok(mean > 30 && mean < 34, `mean bits changed ${mean}`);
  assert.ok(fewest >= 12, `fewest bits changed ${fewest}`);
});

test('the hash is the same in every call, and differs for the same text in another order', () => {
  assert.equal(contentHash('f(x) = x^2'), contentHash(['f(x) = ', 'x^2'].join('')));
  assert.notEqual(contentHash('ab'), contentHash('ba'));
  assert.notEqual(contentHash(''), contentHash('\u0000'));
});

test('the hash of a range of a string and a suffix is the hash of the string they make', () => {
  const text = 'a = 2\nf(x) = x^2 + a\nééé ∂ 𝑥\n';
  for (let start = 0; start <= text.length; start += 3) {
    for (let end = start; end <= text.length; end += 5) {
      for (const more of ['', '\u0001', '\u0001k3.9z,2a.x']) {
        assert.equal(contentHash(text, start, end, more), contentHash(text.slice(start, end) + more));
      }
    }
  }
  assert.notEqual(contentHash('ab', 0, 1, 'b'), contentHash('ab', 0, 2, 'b'));
});
