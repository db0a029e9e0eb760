// NIST StRD linear least squares: all 11 problems against NIST's certified values
// (15 significant digits, computed by NIST in multiple precision).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitLinear, linearDesignFromExpr } from '../../server/src/core/numeric/index.js';
import { listNist, lre, parse, readNistLinear, toExpr } from './nist_mgh_support.js';

const names = listNist('linear');

test('all 11 NIST linear problems are present', () => {
  assert.deepEqual(names, ['Filip', 'Longley', 'NoInt1', 'NoInt2', 'Norris', 'Pontius', 'Wampler1', 'Wampler2', 'Wampler3', 'Wampler4', 'Wampler5']);
});

for (const name of names) {
  test(`${name}: every coefficient has LRE ≥ 7 and every standard error LRE ≥ 6 against the certified values`, () => {
    const p = readNistLinear(name);
    const fit = fitLinear({ columns: p.columns, y: p.y });
    assert.equal(fit.parameters.length, p.certified.length);
    assert.equal(fit.rank, p.certified.length, 'full rank');
    const coef = fit.parameters.map((q, j) => lre(q.value, p.certified[j]!, 15));
    const se = fit.parameters.map((q, j) => lre(q.stderr, p.certifiedSd[j]!, 15));
    console.log(`${name}: min LRE coefficients ${Math.min(...coef).toFixed(1)}, standard errors ${Math.min(...se).toFixed(1)}`);
    coef.forEach((v, j) => assert.ok(v >= 7, `B${j} LRE ${v.toFixed(2)} < 7 (got ${fit.parameters[j]!.value}, certified ${p.certified[j]})`));
    se.forEach((v, j) => assert.ok(v >= 6, `sd(B${j}) LRE ${v.toFixed(2)} < 6 (got ${fit.parameters[j]!.stderr}, certified ${p.certifiedSd[j]})`));
  });

  test(`${name}: the residual standard deviation and R² match the certified values`, () => {
    const p = readNistLinear(name);
    const fit = fitLinear({ columns: p.columns, y: p.y });
    const sd = Math.sqrt(fit.reducedChi2);
    // Wampler1/2 fit exactly: certified residual SD 0, so LRE is the log absolute error there.
    assert.ok(lre(sd, p.residualSd, 15) >= 6, `residual SD ${sd} vs ${p.residualSd}`);
    assert.ok(lre(fit.r2, p.r2, 15) >= 6, `R² ${fit.r2} vs ${p.r2}`);
    assert.equal(fit.dof, p.y.length - p.certified.length);
    assert.ok(fit.notes.some((n) => /reduced χ²/.test(n)), 'says the standard errors were scaled by the reduced χ²');
  });
}

/** The model as a .calc fit would state it: y ~ B0 + B1*x + … (or x1..x6 for Longley, no B0 for NoInt). */
function modelText(name: string, p: number): { text: string; params: string[]; xNames: string[] } {
  if (name === 'Longley') return { text: 'B0 + ' + [1, 2, 3, 4, 5, 6].map((k) => `B${k}*x${k}`).join(' + '), params: ['B0', 'B1', 'B2', 'B3', 'B4', 'B5', 'B6'], xNames: ['x1', 'x2', 'x3', 'x4', 'x5', 'x6'] };
  if (name.startsWith('NoInt')) return { text: 'B1*x', params: ['B1'], xNames: ['x'] };
  const params = Array.from({ length: p }, (_, k) => `B${k}`);
  return { text: params.map((b, k) => (k === 0 ? b : `${b}*x^${k}`)).join(' + '), params, xNames: ['x'] };
}

for (const name of names) {
  test(`${name}: the model written as an expression is recognised as linear and fitted to the same accuracy`, () => {
    const p = readNistLinear(name);
    const { text, params, xNames } = modelText(name, p.certified.length);
    // Predictor columns: Longley's x1..x6, else the single x (the second column of a polynomial design).
    const columns = name === 'Longley' ? p.columns.slice(1) : [name.startsWith('NoInt') ? p.columns[0]! : p.columns[1]!];
    const design = linearDesignFromExpr(toExpr(parse(text)), params, { names: xNames, columns });
    assert.ok(design, 'recognised as linear in its parameters');
    const fit = fitLinear({ columns: design.columns, offset: design.offset, y: p.y, names: params });
    fit.parameters.forEach((q, j) => assert.ok(lre(q.value, p.certified[j]!, 15) >= 7, `${q.name} = ${q.value}, certified ${p.certified[j]}`));
    fit.parameters.forEach((q, j) => assert.ok(lre(q.stderr, p.certifiedSd[j]!, 15) >= 6, `sd(${q.name}) = ${q.stderr}, certified ${p.certifiedSd[j]}`));
  });
}

test('a model that is nonlinear in a parameter is not mistaken for a linear one', () => {
  const x = [1, 2, 3];
  assert.equal(linearDesignFromExpr(toExpr(parse('a*exp(-b*x)')), ['a', 'b'], { names: ['x'], columns: [x] }), null);
  assert.ok(linearDesignFromExpr(toExpr(parse('a*exp(-2*x) + b*sin(x) + 3')), ['a', 'b'], { names: ['x'], columns: [x] }));
});

test('a singular design matrix is reported in plain words, not thrown', () => {
  const x = [1, 2, 3, 4, 5];
  const fit = fitLinear({ columns: [x.map(() => 1), x, x.map((v) => 2 * v)], y: [2, 4.1, 5.9, 8.2, 9.9], names: ['a', 'b', 'c'] });
  assert.equal(fit.rank, 2);
  assert.ok(fit.notes.some((n) => /singular/.test(n)));
  assert.ok(fit.parameters.some((q) => Number.isNaN(q.stderr)));
});
