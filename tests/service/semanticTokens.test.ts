import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getSemanticTokens, SEMANTIC_TOKENS_LEGEND } from '../../server/src/service/semanticTokens';
import { documentOf } from './cursor';

/** Decodes LSP's relative encoding into [text, type, modifiers]. */
function decode(text: string): [string, string, string[]][] {
  const doc = documentOf(text);
  const data = getSemanticTokens(doc).data;
  const out: [string, string, string[]][] = [];
  let line = 0, char = 0;
  for (let i = 0; i < data.length; i += 5) {
    line += data[i]!;
    char = data[i]! === 0 ? char + data[i + 1]! : data[i + 1]!;
    const start = doc.textDocument.offsetAt({ line, character: char });
    const mods = SEMANTIC_TOKENS_LEGEND.tokenModifiers.filter((_, b) => (data[i + 4]! >> b) & 1);
    out.push([text.slice(start, start + data[i + 2]!), SEMANTIC_TOKENS_LEGEND.tokenTypes[data[i + 3]!]!, mods]);
  }
  return out;
}

test('names are classified by what they refer to: function, parameter, constant, built-in', () => {
  assert.deepEqual(decode('a = pi\nf(x) = a*sin(x)\n'), [
    ['a', 'variable', ['declaration', 'readonly']],
    ['pi', 'variable', ['readonly', 'defaultLibrary']],
    ['f', 'function', ['declaration']],
    ['x', 'parameter', ['declaration']],
    ['a', 'variable', ['readonly']],
    ['sin', 'function', ['defaultLibrary']],
    ['x', 'parameter', []],
  ]);
});

test('keywords, method names, options, data sets and columns are marked', () => {
  const got = decode('data d {\n x y\n 1 2\n 2 3\n}\nfit y = m*x + c to d by gradient descent with step = 0.1\n');
  const of = (t: string) => got.filter(([text]) => text === t).map(([, type]) => type);
  assert.deepEqual(of('fit'), ['keyword']);
  assert.deepEqual(of('gradient descent'), ['enumMember']);
  assert.deepEqual(of('step'), ['property']);
  assert.deepEqual(of('d'), ['struct', 'struct']);
  assert.deepEqual(of('x'), ['property', 'property']);
  assert.deepEqual(of('m'), ['variable']);
});

test('words in comments and strings are not tokens, and tokens are sorted without overlaps', () => {
  const text = '# minimize f\ndata d = csv("fit.csv")\n';
  const got = decode(text);
  assert.deepEqual(got.map(([t]) => t), ['data', 'd']);
  const data = getSemanticTokens(documentOf('a = 1\nb = a + a # a\nf(x) = x\n')).data;
  for (let i = 5; i < data.length; i += 5) assert.ok(data[i]! > 0 || data[i + 1]! >= data[i - 3]!, 'no overlap');
});
