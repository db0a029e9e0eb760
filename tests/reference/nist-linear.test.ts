// NIST StRD linear least squares: all 11 problems against NIST's certified values
// (15 significant digits, computed by NIST in multiple precision).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitLinear } from '../../server/src/core/numeric/index.js';
import { listNist, lre, readNistLinear } from './nist_mgh_support.js';

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

test('a singular design matrix is reported in plain words, not thrown', () => {
  const x = [1, 2, 3, 4, 5];
  const fit = fitLinear({ columns: [x.map(() => 1), x, x.map((v) => 2 * v)], y: [2, 4.1, 5.9, 8.2, 9.9], names: ['a', 'b', 'c'] });
  assert.equal(fit.rank, 2);
  assert.ok(fit.notes.some((n) => /singular/.test(n)));
  assert.ok(fit.parameters.some((q) => Number.isNaN(q.stderr)));
});
