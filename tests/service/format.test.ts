import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { format, shape } from '../../server/src/service/format';
import { documentOf } from './cursor';

function formatted(text: string): string {
  const doc = documentOf(text);
  return TextDocument.applyEdits(doc.textDocument, format(doc));
}

const EXAMPLES = join(import.meta.dirname, '..', '..', 'examples');

test('formatting puts canonical spacing around operators, commas and keywords', () => {
  assert.equal(formatted('f(x,y)=x^2 * y+a*sin( x*y )\n'), 'f(x, y) = x^2*y + a*sin(x*y)\n');
  assert.equal(formatted('minimize f from[1,1]by gradient descent with step=0.05,maxiter=2000\n'),
    'minimize f from [1, 1] by gradient descent with step = 0.05, maxiter = 2000\n');
  assert.equal(formatted('plot f over x in [ -2,2 ],y in [-2 , 2]\n'), 'plot f over x in [-2, 2], y in [-2, 2]\n');
  assert.equal(formatted('expect f(1,2)==4.27 within 0.01\n'), 'expect f(1, 2) == 4.27 within 0.01\n');
});

test('signs stay attached to what they negate, and implicit products keep their spacing', () => {
  assert.equal(formatted('maximize - (x^2+y^2)+x from x=0 , y=0 by newton\n'), 'maximize -(x^2 + y^2) + x from x = 0, y = 0 by newton\n');
  assert.equal(formatted('h(x)=2x+3 sin(x)\n'), 'h(x) = 2x + 3 sin(x)\n');
  assert.equal(formatted('g(x) = x^ -1 * - x\n'), 'g(x) = x^-1*-x\n');
  assert.equal(formatted("h(x) = x^3\nh' (2)\n"), "h(x) = x^3\nh'(2)\n");
});

test('aligned trailing comments keep their column; a comment right after code keeps one space', () => {
  assert.equal(formatted('a  =  1                # one\nb=2 # two\n'), 'a = 1                  # one\nb = 2 # two\n');
});

test('lines with syntax errors are left exactly as written, and the rest is still formatted', () => {
  assert.equal(formatted('a=1\nb = (1+  2\nc=3\n'), 'a = 1\nb = (1+  2\nc = 3\n');
});

test('data tables and statements over several lines are left as written, except trailing white space', () => {
  const text = 'data d {\n  x    y   \n  1    2\n}\nM = [[1,2],\n     [3,4]]\n';
  assert.equal(formatted(text), 'data d {\n  x    y\n  1    2\n}\nM = [[1,2],\n     [3,4]]\n');
});

test('formatting keeps CRLF line ends', () => {
  assert.equal(formatted('a=1\r\nb=a+1\r\n'), 'a = 1\r\nb = a + 1\r\n');
});

test('formatting is idempotent and never changes the syntax tree of any example', () => {
  for (const name of readdirSync(EXAMPLES).filter((f) => f.endsWith('.calc'))) {
    const text = readFileSync(join(EXAMPLES, name), 'utf8');
    const once = formatted(text);
    assert.equal(shape(once), shape(text), name);
    assert.equal(formatted(once), once, name);
  }
});

test('on random respacings of the examples formatting is idempotent and keeps the syntax tree (seeded)', () => {
  const sources = readdirSync(EXAMPLES).filter((f) => f.endsWith('.calc')).map((f) => readFileSync(join(EXAMPLES, f), 'utf8'));
  const lines = sources.flatMap((s) => s.split('\n'));
  fc.assert(fc.property(
    fc.array(fc.tuple(fc.nat(lines.length - 1), fc.array(fc.tuple(fc.nat(200), fc.constantFrom('', ' ', '  ', '\t')), { maxLength: 6 })), { minLength: 1, maxLength: 20 }),
    (picks) => {
      const text = picks.map(([i, edits]) => {
        let line = lines[i]!;
        // Insert or remove white space only: the meaning must not change, except where spacing is meaning (`2 x` vs `2x` is not).
        for (const [at, ws] of edits) {
          const p = at % (line.length + 1);
          line = ws === '' ? line.slice(0, p) + line.slice(p).replace(/^[ \t]/, '') : line.slice(0, p) + ws + line.slice(p);
        }
        return line;
      }).join('\n') + '\n';
      const once = formatted(text);
      assert.equal(shape(once), shape(text));
      assert.equal(formatted(once), once);
    },
  ), { seed: 20261121, numRuns: 200 });
});
