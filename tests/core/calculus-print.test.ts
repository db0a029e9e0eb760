import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import katex from 'katex';
import { parseExpr } from '../../server/src/core/semantics/lower';
import {
  simplify, derivative, hessian, gradient, equals, toCalc, toUnicode, toLatex, toPython, toJavaScript,
  partialName, partialNameLatex, compile, seeded, randomExpr, type Expr,
} from '../../server/src/core/calculus/index';

const VARS = ['x', 'y', 'z'];

/** Random expressions, their simplified forms and their derivatives: what hovers print. */
function corpus(n: number, seed: number): Expr[] {
  const rand = seeded(seed);
  const out: Expr[] = [];
  for (let i = 0; i < n; i++) {
    const e = randomExpr(rand, VARS, 1 + (i % 4));
    out.push(e, simplify(e), derivative(e, 'x'));
  }
  return out;
}

test('subtraction, division and negation print naturally, and -x^2 means -(x^2)', () => {
  const c = (t: string): string => toCalc(simplify(parseExpr(t)));
  assert.equal(c('x - y'), 'x - y');
  assert.equal(c('x/y'), 'x/y');
  assert.equal(c('-x'), '-x');
  assert.equal(c('-x^2'), '-x^2');
  assert.equal(c('(-x)^2'), 'x^2');
  assert.equal(c('2^(x^2)'), '2^x^2');
  assert.equal(c('(2^x)^y'), '(2^x)^y');
  assert.equal(c('1/(2*x*y)'), '1/(2*x*y)');
  assert.equal(c('x^(-2)'), '1/x^2');
  assert.equal(toJavaScript(simplify(parseExpr('-x^2'))), '-(x ** 2)');
  assert.equal(toPython(simplify(parseExpr('-x^2'))), '-x**2');
});

test('the printed .calc form parses back to an equal expression', () => {
  for (const e of corpus(700, 41)) {
    const s = simplify(e);
    const text = toCalc(s);
    const back = simplify(parseExpr(text));
    assert.ok(equals(back, s), `${text} came back as ${toCalc(back)}`);
  }
});

test('Unicode text uses implicit products, superscripts and bracketed matrices', () => {
  assert.equal(toUnicode(derivative(parseExpr('x^2*y + 2.5*sin(x*y)'), 'x')), '2xy + 2.5y·cos(xy)');
  assert.equal(toUnicode(simplify(parseExpr('x^2*y^3 + sqrt(x)/2 + abs(y) + pi'))), 'x²y³ + |y| + √x/2 + π');
  assert.equal(toUnicode(hessian(parseExpr('x^2*y'), ['x', 'y'])), '⎡2y  2x⎤\n⎣2x   0⎦');
  assert.equal(toUnicode(gradient(parseExpr('x^2*y'), ['x', 'y'])), '[2xy, x²]');
  assert.equal(partialName('f', ['x']), '∂f/∂x');
  assert.equal(partialName('f', ['x', 'y']), '∂²f/∂y∂x');
  assert.equal(partialName('f', ['x', 'x']), '∂²f/∂x²');
  assert.equal(partialName('h', ['t', 't'], { ordinary: true }), 'd²h/dt²');
});

test('every LaTeX string we emit renders with KaTeX in throwOnError mode', () => {
  const all = [...corpus(700, 43), hessian(parseExpr('x^2*y*theta1 + sigmoid(w_1*x)'), ['x', 'y'])];
  for (const e of all) {
    const tex = toLatex(e);
    assert.doesNotThrow(() => katex.renderToString(tex, { throwOnError: true }), tex);
  }
  for (const vars of [['x'], ['x', 'y'], ['x', 'x', 'y'], ['theta', 'w_1']]) {
    assert.doesNotThrow(() => katex.renderToString(partialNameLatex('f', vars), { throwOnError: true }));
  }
});

/** Same number, NaN included; a relative tolerance for the rest. */
const same = (a: number, b: number): boolean =>
  (Number.isNaN(a) && Number.isNaN(b)) || a === b || Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a), Math.abs(b));

test('printed JavaScript evaluates to the same numbers as the compiled expression', () => {
  const rand = seeded(47);
  for (const e of corpus(500, 45)) {
    // new Function only here, in a test, on text we printed ourselves
    const js = new Function(...VARS, `return ${toJavaScript(e)};`) as (...a: number[]) => number;
    const f = compile(e, VARS);
    for (let k = 0; k < 3; k++) {
      const p = VARS.map(() => -2 + 4 * rand());
      assert.ok(same(js(...p), f(p)), `${toJavaScript(e)} at ${p}: ${js(...p)} vs ${f(p)}`);
    }
  }
});

function findNumpy(): string {
  for (const py of ['python3', '/usr/bin/python3']) {
    if (spawnSync(py, ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0) return py;
  }
  assert.fail('No Python with NumPy found (tried python3, /usr/bin/python3). Install it: apt-get install python3-numpy');
}

test('printed Python/NumPy evaluates to the same numbers, in one Python process for the whole corpus', () => {
  const rand = seeded(53);
  const exprs = corpus(400, 51);
  const points = exprs.map(() => VARS.map(() => 0.05 + 2 * rand()));
  const program = [
    'import json, sys, warnings', 'import numpy as np', "warnings.simplefilter('ignore')",
    'cases = json.load(sys.stdin)', 'out = []',
    'for code, (x, y, z) in cases:',
    '    x, y, z = np.float64(x), np.float64(y), np.float64(z)',
    '    v = eval(code)',
    '    out.append(None if not np.isfinite(v) else float(v))',
    'json.dump(out, sys.stdout)',
  ].join('\n');
  const r = spawnSync(findNumpy(), ['-c', program], {
    input: JSON.stringify(exprs.map((e, i) => [toPython(e), points[i]])), encoding: 'utf8', maxBuffer: 1 << 26,
  });
  assert.equal(r.status, 0, r.stderr);
  const values = JSON.parse(r.stdout) as (number | null)[];
  exprs.forEach((e, i) => {
    const ours = compile(e, VARS)(points[i]!);
    const theirs = values[i] ?? NaN;
    if (!Number.isFinite(ours) && Number.isNaN(theirs)) return;
    assert.ok(same(ours, theirs), `${toPython(e)} at ${points[i]}: NumPy ${theirs}, ours ${ours}`);
  });
});

test('names that Python or JavaScript cannot read are renamed in the copies, and the copies still run', () => {
  // lambda, the usual name of a regularisation weight, is a Python keyword; x₁ is a .calc name but not a
  // Python or JavaScript one; new and this are JavaScript's; np and Math would hide the maths modules
  const e = parseExpr('lambda*w^2 + x₁*new + this - np*Math + σ');
  // the names in the code, once the maths modules' own (np.sin, Math.PI) are taken out
  const names = (code: string) => code.replace(/\b(np|Math)\.\w+/g, '').match(/[\p{L}_][\p{L}\p{N}_]*/gu)!.sort();
  assert.deepEqual(names(toPython(e)), ['lambda_', 'w', 'x_1', 'new', 'this', 'np_', 'Math', 'σ'].sort());
  assert.deepEqual(names(toJavaScript(e)), ['lambda', 'w', 'x_1', 'new_', 'this_', 'np', 'Math_', 'σ'].sort());
  const values = [0.5, 2, 3, -1, 0.25, 4, 5, 7];
  const expected = compile(e, ['lambda', 'w', 'x₁', 'new', 'this', 'np', 'Math', 'σ'])(values);
  // JavaScript: a function with the renamed parameters (new Function only here, in a test, on text we printed)
  const js = new Function('lambda', 'w', 'x_1', 'new_', 'this_', 'np', 'Math_', 'σ', `return ${toJavaScript(e)};`) as (...a: number[]) => number;
  assert.ok(same(js(...values), expected));
  const py = spawnSync(findNumpy(), ['-c', `import numpy as np\nlambda_, w, x_1, new, this, np_, Math, σ = ${values.join(', ')}\nprint(repr(float(${toPython(e)})))`], { encoding: 'utf8' });
  assert.equal(py.status, 0, py.stderr);
  assert.ok(same(Number(py.stdout), expected), py.stdout);
});
