import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Hover, MarkupContent } from 'vscode-languageserver-types';
import { createCalcDocument, type CalcDocument } from '../../server/src/service/document';
import { doHover, prefetchHovers, render, type HoverOptions } from '../../server/src/service/hover';
import { describeFunction, explainFunction } from '../../server/src/core/analyses/explain';
import { svgDataUri, whenTypesetIdle } from '../../server/src/service/typeset';
import { BUILTINS } from '../../server/src/core/semantics/builtins';
import { seeded } from '../../server/src/core/calculus/index';
import type { RootStatementResult } from '../../server/src/core/results';

/** A document from text with one `|` where the cursor is. */
function docAt(marked: string): { doc: CalcDocument; offset: number } {
  const offset = marked.indexOf('|');
  assert.ok(offset >= 0 && marked.indexOf('|', offset + 1) < 0, 'exactly one | marks the cursor');
  const text = marked.slice(0, offset) + marked.slice(offset + 1);
  return { doc: createCalcDocument(TextDocument.create('file:///t.calc', 'calc', 1, text)), offset };
}

function hover(marked: string, options: HoverOptions = { typeset: false }): Hover | null {
  const { doc, offset } = docAt(marked);
  return doHover(doc, doc.textDocument.positionAt(offset), options);
}

function markdown(h: Hover | null): string {
  assert.ok(h, 'expected a hover');
  return (h.contents as MarkupContent).value;
}

/** The text of the ```text code blocks: what every LSP client can read. */
function codeText(md: string): string {
  return [...md.matchAll(/```text\n([\s\S]*?)\n```/g)].map((m) => m[1]).join('\n');
}

/** The texts of the Copy links, decoded from their command URIs. */
function copies(md: string, kind: 'LaTeX' | 'NumPy' | 'JavaScript'): string[] {
  return [...md.matchAll(new RegExp(`\\[Copy as ${kind}\\]\\(command:calc\\.copyText\\?([^)\\s]+)\\)`, 'g'))].map((m) => {
    const args = JSON.parse(decodeURIComponent(m[1]!)) as unknown;
    assert.ok(Array.isArray(args) && args.length === 1 && typeof args[0] === 'string');
    return args[0] as string;
  });
}

/** The decoded SVG images in the markdown. */
function images(md: string): string[] {
  return [...md.matchAll(/!\[(?:\\.|[^\]\\])*\]\(data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)\)/g)].map((m) => Buffer.from(m[1]!, 'base64').toString('utf8'));
}

const close = (a: number, b: number, rel = 1e-9): boolean => Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b));

test('hover on a function definition shows its partials, gradient and Hessian, simplified', () => {
  const text = codeText(markdown(hover('|f(x, y) = x^2*y')));
  assert.match(text, /∂f\/∂x\s*= 2xy$/m);
  assert.match(text, /∂f\/∂y\s*= x²$/m);
  assert.match(text, /∇f\s*= \[2xy, x²\]/);
  // the Hessian [[2y, 2x], [2x, 0]], drawn over two lines
  assert.match(text, /⎡2y\s+2x⎤/);
  assert.match(text, /⎣2x\s+0⎦/);
});

test('hover on a use of a function shows the same derivatives as on its definition', () => {
  const onUse = codeText(markdown(hover('f(x, y) = x^2*y\ngrad(|f)')));
  const onDef = codeText(markdown(hover('|f(x, y) = x^2*y\ngrad(f)')));
  assert.equal(onUse, onDef);
});

test('hover on a call with numbers shows the values there and a minimum for x^2 + y^2 at (0, 0)', () => {
  const md = markdown(hover('f(x, y) = x^2 + y^2\n|f(0, 0)'));
  const text = codeText(md);
  assert.match(text, /f\(0, 0\)\s*= 0$/m);
  assert.match(text, /∇f\(0, 0\)\s*= \[0, 0\]/);
  assert.match(text, /eigenvalues of H = \[2, 2\]/);
  assert.match(md, /local minimum/);
});

test('hover on x^2 - y^2 at (0, 0) calls it a saddle point, with eigenvalues -2 and 2', () => {
  const md = markdown(hover('f(x, y) = x^2 - y^2\nf|(0, 0)'));
  assert.match(md, /saddle point/);
  assert.match(codeText(md), /eigenvalues of H = \[-2, 2\]/);
});

test('hover on the function of a line with a point shows the values at that point', () => {
  assert.match(codeText(markdown(hover('f(x, y) = x^2 - y^2\ncheck grad |f at [0, 0]'))), /∇f\(0, 0\)\s*= \[0, 0\]/);
  assert.match(markdown(hover('f(x, y) = x^2 - y^2\ntaylor |f at [0, 0] order 2')), /saddle point/);
  assert.match(codeText(markdown(hover('f(x, y) = x^2*y\ngrad(|f) at [2, 5]'))), /∇f\(2, 5\)\s*= \[20, 4\]/);
  assert.match(codeText(markdown(hover('f(x, y) = x^2*y\nexpect grad(|f) at [2, 5] == [20, 4]'))), /∇f\(2, 5\)\s*= \[20, 4\]/);
});

test('hover on a call away from a critical point gives no verdict and says why', () => {
  const md = markdown(hover('f(x, y) = x^2*y\n|f(3, -1)'));
  const text = codeText(md);
  assert.match(text, /f\(3, -1\)\s*= -9$/m);
  assert.match(text, /∇f\(3, -1\)\s*= \[-6, 9\]/);
  assert.doesNotMatch(md, /minimum|maximum|saddle/);
  assert.match(md, /Not a critical point/);
});

test('hover on a composite function shows the chain rule with each factor', () => {
  const md = markdown(hover('f(x, y) = x^2*y\n|g(t) = f(cos(t), sin(t))'));
  const text = codeText(md);
  assert.match(text, /dg\/dt = ∂f\/∂x·dx\/dt \+ ∂f\/∂y·dy\/dt/);
  assert.match(text, /x\s*= cos\(t\)/);
  assert.match(text, /∂f\/∂x = 2xy/);
  assert.match(text, /dx\/dt = -sin\(t\)/);
  assert.match(text, /∂f\/∂y = x²/);
  assert.match(text, /dy\/dt = cos\(t\)/);
});

test('hover on a call of a composite shows the chain rule at the point, summing to dg/dt there', () => {
  const md = markdown(hover('f(x, y) = x^2*y\ng(t) = f(cos(t), sin(t))\n|g(0.5)'));
  const text = codeText(md);
  const t = 0.5, x = Math.cos(t), y = Math.sin(t);
  const m = /dg\/dt\s*= \((-?[\d.]+)\)·\((-?[\d.]+)\) \+ \((-?[\d.]+)\)·\((-?[\d.]+)\)\n\s*= (-?[\d.]+)/.exec(text);
  assert.ok(m, text);
  const [a, b, c, d, total] = m.slice(1).map(Number) as [number, number, number, number, number];
  const rel = 1e-5; // shown to 6 significant digits
  assert.ok(close(a, 2 * x * y, rel) && close(b, -Math.sin(t), rel) && close(c, x * x, rel) && close(d, Math.cos(t), rel));
  assert.ok(close(total, -2 * x * y * y + x ** 3, rel));
});

test('the Copy links decode to NumPy and JavaScript code for the gradient 2xy, x²', () => {
  const md = markdown(hover('|f(x, y) = x^2*y'));
  const js = copies(md, 'JavaScript');
  const py = copies(md, 'NumPy');
  assert.equal(js.length, py.length);
  const gradJs = js.find((s) => s.startsWith('['))!;
  const gradPy = py.find((s) => s.startsWith('np.array(['))!;
  assert.ok(gradJs && gradPy, `${js} / ${py}`);
  const rnd = seeded(11);
  const pts = Array.from({ length: 8 }, () => [4 * rnd() - 2, 4 * rnd() - 2] as [number, number]);
  const fjs = new Function('x', 'y', `return ${gradJs};`) as (x: number, y: number) => number[];
  for (const [x, y] of pts) {
    const g = fjs(x, y);
    assert.ok(close(g[0]!, 2 * x * y) && close(g[1]!, x * x));
  }
  const python = ['python3', '/usr/bin/python3'].find((p) => spawnSync(p, ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0);
  assert.ok(python, 'a Python with NumPy is needed (scripts/setup-system.sh installs python3-scipy)');
  const script = `import sys, json\nimport numpy as np\nout = []\nfor x, y in json.loads(sys.stdin.read()):\n    out.append([float(v) for v in ${gradPy}])\nprint(json.dumps(out))`;
  const r = spawnSync(python!, ['-c', script], { input: JSON.stringify(pts), encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  (JSON.parse(r.stdout) as number[][]).forEach((g, i) => {
    const [x, y] = pts[i]!;
    assert.ok(close(g[0]!, 2 * x * y) && close(g[1]!, x * x));
  });
  assert.ok(copies(md, 'LaTeX').some((s) => s.includes('\\begin{bmatrix}')));
});

/** A typeset hover once every formula is typeset: formulas past the time budget are typeset in the background. */
async function typesetHover(marked: string, options: HoverOptions): Promise<string> {
  hover(marked, options);
  await whenTypesetIdle();
  return markdown(hover(marked, options));
}

test('typeset hovers carry SVG images with path data, coloured for the theme and sized to the font', async () => {
  const marked = '|f(x, y) = x^2*y';
  const dark = images(await typesetHover(marked, { theme: 'dark', fontSize: 14 }));
  const light = images(await typesetHover(marked, { theme: 'light', fontSize: 28 }));
  const hc = images(await typesetHover(marked, { theme: 'high-contrast' }));
  assert.ok(dark.length >= 3, 'the definition, the gradient and the Hessian are typeset');
  for (const svg of [...dark, ...light, ...hc]) {
    assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(svg, /<path[^>]* d="M[^"]+"/);
    assert.doesNotMatch(svg, /currentColor/);
  }
  assert.match(dark[0]!, /fill="#d4d4d4"/);
  assert.match(light[0]!, /fill="#1f1f1f"/);
  assert.match(hc[0]!, /fill="#ffffff"/);
  const width = (svg: string): number => Number(/width="([\d.]+)px"/.exec(svg)![1]);
  assert.ok(close(width(light[0]!), 2 * width(dark[0]!), 0.02), 'twice the font size, twice the width');
});

test('a formula past the time budget is typeset in the background and cached for the next hover', async () => {
  const latex = '\\frac{\\partial g}{\\partial z} = 3 {z}^{2} + 17';
  assert.equal(svgDataUri(latex, { theme: 'light', deadline: performance.now() - 1 }), undefined);
  await whenTypesetIdle();
  const uri = svgDataUri(latex, { theme: 'light', deadline: performance.now() - 1 });
  assert.ok(uri?.startsWith('data:image/svg+xml;base64,'));
});

test('a formula MathJax cannot parse gives no image, never an exception', () => {
  assert.equal(svgDataUri('\\frac{a}{'), undefined);
  assert.equal(svgDataUri('\\nosuchmacro{x}'), undefined);
});

test('with typeset off the hover is text only, with the same text', async () => {
  const on = await typesetHover('|f(x, y) = x^2*y', { typeset: true });
  const off = markdown(hover('|f(x, y) = x^2*y', { typeset: false }));
  assert.equal(images(off).length, 0);
  assert.doesNotMatch(off, /data:image/);
  assert.equal(codeText(on), codeText(off));
});

test('hover on a built-in function shows its documentation from the built-in table', () => {
  const md = markdown(hover('f(x) = s|in(x)^2'));
  assert.ok(md.includes(BUILTINS.get('sin')!.doc));
});

test('hover on pi shows its value', () => {
  const text = codeText(markdown(hover('a = 2*p|i')));
  assert.match(text, /π ≈ 3\.14159/);
});

test('hover on a user constant shows its value', () => {
  assert.match(codeText(markdown(hover('a = 2^10\nf(x) = |a*x'))), /a = 1024/);
});

test('hover on grad, hessian and diff shows the result of the line', () => {
  const defs = 'f(x, y) = x^3*y^2\n';
  assert.match(codeText(markdown(hover(`${defs}gr|ad(f)`))), /∇f = \[3x²y², 2x³y\]/);
  assert.match(codeText(markdown(hover(`${defs}diff(f(x, y), x, |y)`))), /∂²f\/∂y∂x = 6x²y/);
  // at a point: H = [[6xy², 6x²y], [6x²y, 2x³]] at (1, 2) is [[24, 12], [12, 2]]
  const h = codeText(markdown(hover(`${defs}hess|ian(f) at [1, 2]`)));
  assert.match(h, /⎡24\s+12⎤/);
  assert.match(h, /⎣12\s+2⎦/);
});

test("hover on h' shows the derivative", () => {
  assert.match(codeText(markdown(hover("h(x) = x*sin(x)\n|h'(x)"))), /h′\(x\) = sin\(x\) \+ x·cos\(x\)|h′\(x\) = x·cos\(x\) \+ sin\(x\)/);
});

test('hover on a taylor line shows the polynomial, which matches the Maclaurin series of cos to order 4', () => {
  const md = markdown(hover('tay|lor cos(x) at x = 0 order 4'));
  const js = copies(md, 'JavaScript')[0]!;
  const p = new Function('x', `return ${js};`) as (x: number) => number;
  for (const x of [-0.7, -0.1, 0.3, 1.2]) assert.ok(close(p(x), 1 - x * x / 2 + x ** 4 / 24));
});

test('hover on a statement that was run shows its result, data-driven from the result type', () => {
  const { doc, offset } = docAt('ro|ot x^2 - 2 near x = 1');
  const stmt = doc.analysis.program.statements[0]!;
  const path = [[1], [1.5], [1.4166666666666667], [1.4142156862745099], [1.4142135623746899], [Math.SQRT2]];
  const result: RootStatementResult = {
    kind: 'root', variables: ['x'], point: { x: Math.SQRT2 }, x: [Math.SQRT2], value: [0], iterations: 5, evaluations: 6,
    converged: true, reason: 'residual', message: 'Converged: |F(x)| is below the tolerance.', path, notes: [],
  };
  doc.runs.set(stmt.start, result);
  const md = markdown(doHover(doc, doc.textDocument.positionAt(offset), { typeset: false }));
  assert.match(md, /Converged/);
  assert.match(md, /1\.41421/);
  assert.match(md, /\| step \| x \|/);
  assert.match(md, /residual/);
});

test('hover where there is nothing to explain gives null, and broken text never throws', () => {
  assert.equal(hover('# a comment |here'), null);
  const rnd = seeded(3);
  const pieces = ['f(x, y) = ', 'x^2', '*y', ' + ', 'sin(', ')', 'grad(', 'f', '\n', 'g(t) = f(cos(t), ', '[1, 2]', ' at ', 'taylor ', '(', '/0'];
  for (let i = 0; i < 60; i++) {
    let text = '';
    const n = 1 + Math.floor(rnd() * 12);
    for (let k = 0; k < n; k++) text += pieces[Math.floor(rnd() * pieces.length)];
    const doc = createCalcDocument(TextDocument.create('file:///r.calc', 'calc', 1, text));
    for (let off = 0; off <= text.length; off += 3) {
      assert.doesNotThrow(() => doHover(doc, doc.textDocument.positionAt(off), { typeset: i % 5 === 0 }), text);
    }
  }
});

test('prefetching a document typesets its functions in the background, so the first hover has every image', async () => {
  const { doc } = docAt('p(x, y, z) = x^3*y - z*exp(x)\n|q(s) = s^5 - 4*s + 7');
  const options = { theme: 'light', fontSize: 15 } as const;
  // with a deadline already past, only cached images appear
  const cachedOnly = (name: string): string => render(describeFunction(explainFunction(doc.analysis, name)!), { ...options, deadline: -Infinity });
  assert.equal(images(cachedOnly('q')).length, 0, 'nothing is cached before prefetching');
  await prefetchHovers(doc, options);
  await whenTypesetIdle();
  for (const name of ['p', 'q']) {
    const md = cachedOnly(name);
    assert.equal(images(md).length, (md.match(/```text/g) ?? []).length, name);
  }
});

test('hover on a vector-valued function shows its Jacobian, and on a function of one variable d/dx and d²/dx²', () => {
  const j = codeText(markdown(hover('|u(x, y) = [x^2 - y^2, 2*x*y]')));
  assert.match(j, /⎡2x\s+-2y⎤/);
  assert.match(j, /⎣2y\s+2x⎦/);
  assert.doesNotMatch(j, /∇u/);
  const h = codeText(markdown(hover('|h(x) = x^3 - 6*x')));
  assert.match(h, /dh\/dx = 3x² - 6/);
  assert.match(h, /d²h\/dx² = 6x/);
});

test('hover on a fit that was run shows each parameter with its standard error, and χ²', () => {
  const { doc, offset } = docAt('data d {\n  x y\n  0 1\n  1 3\n  2 5\n}\nf|it y = m*x + c to d');
  const stmt = doc.analysis.program.statements[1]!;
  doc.runs.set(stmt.start, {
    kind: 'fit', response: 'y', inputs: ['x'], data: 'd',
    parameters: [{ name: 'm', value: 2.0000000001, stderr: 0.0123456 }, { name: 'c', value: 1, stderr: Number.NaN }],
    chi2: 0, reducedChi2: 0, dof: 1, r2: 1, residuals: [0, 0, 0], covariance: [[1, 0], [0, 1]], iterations: 1,
    converged: true, reason: 'gradient', method: 'qr', message: 'Exact least squares.', notes: [], rank: 2,
  });
  const md = markdown(doHover(doc, doc.textDocument.positionAt(offset), { typeset: false }));
  assert.match(md, /\| m \| 2 \| ± 0\.0123456 \|/);
  assert.match(md, /\| c \| 1 \| ± NaN \|/);
  assert.match(md, /χ² = 0/);
});

test('hover on a minimize that was run shows the first and last iterates, not every one', () => {
  const { doc, offset } = docAt('r(x, y) = (1 - x)^2 + 100*(y - x^2)^2\nmini|mize r from [-1.2, 1]');
  const stmt = doc.analysis.program.statements[1]!;
  const path = Array.from({ length: 40 }, (_, k) => [-1.2 + (2.2 * k) / 39, 1 - 0 * k]);
  doc.runs.set(stmt.start, {
    kind: 'minimize', variables: ['x', 'y'], point: { x: 1, y: 1 }, value: 0, x: [1, 1], f: 0, iterations: 39,
    evaluations: { f: 50, grad: 40, hess: 0 }, converged: true, reason: 'gradient', message: 'Converged.', method: 'bfgs',
    path, history: path.map((_, k) => ({ f: 40 - k, gradNorm: 1 / (k + 1), iteration: k })), gradNorm: 1e-11, notes: [],
  });
  const md = markdown(doHover(doc, doc.textDocument.positionAt(offset), { typeset: false }));
  const table = md.slice(md.indexOf('| step | x | y | f |'));
  const steps = [...table.split('\n\n')[0]!.matchAll(/^\| (\d+) \|/gm)].map((m) => Number(m[1]));
  assert.deepEqual(steps, [0, 1, 2, 38, 39]);
  assert.match(md, /⋮/);
});
