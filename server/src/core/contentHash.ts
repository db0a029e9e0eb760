/**
 * A 64-bit hash of a string, as 14 base-32 digits (7 per 32-bit half): a name for content
 * that is the same in every thread and process, with no table behind it.
 *
 * Two 32-bit lanes, each a multiply-xor pass over the UTF-16 code units (FNV-1a's shape with
 * odd multipliers of good bit dispersion) finished by MurmurHash3's 32-bit avalanche, with
 * each lane's state folded into the other before it. Not cryptographic: two different strings
 * share a hash with a probability of about 2^-64, which is what a content key may rely on
 * (a collision can only make a statement reuse an outcome it should have worked out again).
 *
 * Hand-written rather than a dependency: the 64-bit hashes on npm work on BigInt (several
 * times slower here) or on WebAssembly (asynchronous set-up, which the synchronous core
 * cannot wait for).
 *
 * `contentHash(s, start, end, more)` is `contentHash(s.slice(start, end) + more)`.
 *
 * @example contentHash('f(x) = x^2') === contentHash('f(x) = x^2') // and !== contentHash('f(x) = x^3')
 */
export function contentHash(s: string, start = 0, end = s.length, more = ''): string {
  // the hash of s.slice(start, end) + more, without building that string: a key made of a slice of
  // a document and a few short parts would otherwise be a rope that has to be flattened first
  const length = end - start + more.length;
  let a = 0x811c9dc5 ^ length;
  let b = 0x27d4eb2f ^ Math.imul(length, 0x9e3779b1);
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  for (let i = 0; i < more.length; i++) {
    const c = more.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  a = avalanche(a ^ Math.imul(b, 0x9e3779b1));
  b = avalanche(b ^ Math.imul(a, 0x85ebca6b));
  // Seven base-32 digits per lane, made in one call: Number#toString(36) took most of the time.
  const d = (h: number, k: number): number => DIGITS.charCodeAt((h >>> k) & 31);
  return String.fromCharCode(
    d(a, 30), d(a, 25), d(a, 20), d(a, 15), d(a, 10), d(a, 5), d(a, 0),
    d(b, 30), d(b, 25), d(b, 20), d(b, 15), d(b, 10), d(b, 5), d(b, 0));
}

const DIGITS = '0123456789abcdefghijklmnopqrstuv';

/** MurmurHash3's finaliser: every input bit affects every output bit. */
function avalanche(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
