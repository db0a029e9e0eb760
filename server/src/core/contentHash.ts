/**
 * A 64-bit hash of a string, as 13 or fewer base-36 characters per half: a name for content
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
 * @example contentHash('f(x) = x^2') === contentHash('f(x) = x^2') // and !== contentHash('f(x) = x^3')
 */
export function contentHash(s: string): string {
  let a = 0x811c9dc5 ^ s.length;
  let b = 0x27d4eb2f ^ Math.imul(s.length, 0x9e3779b1);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  a = avalanche(a ^ Math.imul(b, 0x9e3779b1));
  b = avalanche(b ^ Math.imul(a, 0x85ebca6b));
  return `${(a >>> 0).toString(36)}.${(b >>> 0).toString(36)}`;
}

/** MurmurHash3's finaliser: every input bit affects every output bit. */
function avalanche(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
