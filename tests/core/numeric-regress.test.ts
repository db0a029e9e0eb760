import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitLinear, fitNonlinear } from '../../server/src/core/numeric/index.js';

const close = (a: number, b: number, rel: number) => Math.abs(a - b) <= rel * Math.max(1, Math.abs(b));

// Straight line through (xᵢ, yᵢ) with σ: the closed form of weighted least squares
// (Press et al., Numerical Recipes §15.2): with S = Σ1/σ², Sx = Σx/σ², Sy, Sxx, Sxy and Δ = S·Sxx − Sx²,
// a = (Sxx·Sy − Sx·Sxy)/Δ, b = (S·Sxy − Sx·Sy)/Δ, σa² = Sxx/Δ, σb² = S/Δ.
test('a weighted straight-line fit matches the textbook closed form, with unscaled standard errors', () => {
  const x = [0, 1, 2, 3, 4, 5], y = [1.1, 2.9, 5.2, 7.1, 8.8, 11.2], s = [0.1, 0.2, 0.1, 0.3, 0.2, 0.1];
  const w = s.map((v) => 1 / (v * v));
  const S = w.reduce((a, b) => a + b), Sx = w.reduce((a, wi, i) => a + wi * x[i]!, 0), Sy = w.reduce((a, wi, i) => a + wi * y[i]!, 0);
  const Sxx = w.reduce((a, wi, i) => a + wi * x[i]! ** 2, 0), Sxy = w.reduce((a, wi, i) => a + wi * x[i]! * y[i]!, 0);
  const D = S * Sxx - Sx * Sx;
  const fit = fitLinear({ columns: [x.map(() => 1), x], y, sigma: s, names: ['a', 'b'] });
  assert.ok(close(fit.parameters[0]!.value, (Sxx * Sy - Sx * Sxy) / D, 1e-12));
  assert.ok(close(fit.parameters[1]!.value, (S * Sxy - Sx * Sy) / D, 1e-12));
  assert.ok(close(fit.parameters[0]!.stderr, Math.sqrt(Sxx / D), 1e-12));
  assert.ok(close(fit.parameters[1]!.stderr, Math.sqrt(S / D), 1e-12));
  const chi2 = y.reduce((a, yi, i) => a + ((yi - fit.parameters[0]!.value - fit.parameters[1]!.value * x[i]!) / s[i]!) ** 2, 0);
  assert.ok(close(fit.chi2, chi2, 1e-12));
  assert.equal(fit.dof, 4);
  assert.ok(close(fit.reducedChi2, chi2 / 4, 1e-12));
  assert.ok(!fit.notes.some((n) => /reduced χ²/.test(n)), 'no scaling note when σ is given');
  assert.equal(fit.residuals.length, 6);
});

test('a nonlinear fit by Levenberg–Marquardt recovers an exponential decay from exact data', () => {
  const t = Array.from({ length: 20 }, (_, i) => i / 4);
  const y = t.map((v) => 3 * Math.exp(-0.7 * v) + 0.5);
  const model = {
    n: 3,
    values: (p: Float64Array, out: Float64Array) => t.forEach((v, i) => { out[i] = p[0]! * Math.exp(-p[1]! * v) + p[2]!; }),
    jacobian: (p: Float64Array, J: Float64Array[]) => t.forEach((v, i) => { const e = Math.exp(-p[1]! * v); J[i]!.set([e, -p[0]! * v * e, 1]); }),
  };
  const fit = fitNonlinear({ model, y, p0: [1, 1, 0], names: ['A', 'k', 'c'] });
  assert.ok(fit.converged, fit.message);
  assert.equal(fit.method, 'lm');
  assert.ok(close(fit.parameters[0]!.value, 3, 1e-10) && close(fit.parameters[1]!.value, 0.7, 1e-10) && close(fit.parameters[2]!.value, 0.5, 1e-10));
  assert.ok(fit.chi2 < 1e-25);
});

test('without a Jacobian the fit uses central differences and says so', () => {
  const t = [1, 2, 3, 4, 5, 6];
  const y = t.map((v) => 2 * v ** 1.5);
  const fit = fitNonlinear({ model: { n: 2, values: (p, out) => t.forEach((v, i) => { out[i] = p[0]! * v ** p[1]!; }) }, y, p0: [1, 1] });
  assert.ok(fit.converged);
  assert.ok(close(fit.parameters[0]!.value, 2, 1e-7) && close(fit.parameters[1]!.value, 1.5, 1e-7));
  assert.ok(fit.notes.some((n) => /central differences/.test(n)));
});

test('bad data are reported as errors in the result, never thrown', () => {
  const tooFew = fitLinear({ columns: [[1], [2]], y: [1] });
  assert.equal(tooFew.converged, false);
  assert.match(tooFew.message, /at least as many observations/);
  const badSigma = fitLinear({ columns: [[1, 1, 1]], y: [1, 2, 3], sigma: [1, 0, 1] });
  assert.match(badSigma.message, /positive/);
  const nan = fitLinear({ columns: [[1, NaN, 1]], y: [1, 2, 3] });
  assert.match(nan.message, /not finite/);
});

test('a nonlinear fit without starting values starts every parameter at 1 and warns, explaining the default', () => {
  const t = [0, 1, 2, 3, 4, 5];
  const y = t.map((v) => 2 * Math.exp(0.3 * v));
  const model = {
    n: 2,
    values: (p: Float64Array, out: Float64Array) => t.forEach((v, i) => { out[i] = p[0]! * Math.exp(p[1]! * v); }),
    jacobian: (p: Float64Array, J: Float64Array[]) => t.forEach((v, i) => { const e = Math.exp(p[1]! * v); J[i]!.set([e, p[0]! * v * e]); }),
  };
  const fit = fitNonlinear({ model, y, names: ['A', 'k'] });
  assert.ok(fit.notes.some((n) => /No starting values.*started at 1/.test(n)));
  assert.ok(fit.converged);
  assert.ok(close(fit.parameters[0]!.value, 2, 1e-9) && close(fit.parameters[1]!.value, 0.3, 1e-9));
});

test('a model that is undefined at the starting values gives a failed fit with a reason, not an exception', () => {
  const t = [1, 2, 3, 4];
  const fit = fitNonlinear({ model: { n: 1, values: (p, out) => t.forEach((v, i) => { out[i] = Math.log(p[0]! * v); }) }, y: [0, 1, 1, 2], p0: [-1] });
  assert.equal(fit.converged, false);
  assert.equal(fit.reason, 'failed');
  assert.ok(fit.notes.some((n) => /non-finite/.test(n)));
});

test('gradient descent on χ² with too large a learning rate diverges and the fit says so', () => {
  const x = [0, 1, 2, 3, 4, 5], y = [1, 3, 5, 7, 9, 11];
  const model = {
    n: 2,
    values: (p: Float64Array, out: Float64Array) => x.forEach((v, i) => { out[i] = p[0]! + p[1]! * v; }),
    jacobian: (_p: Float64Array, J: Float64Array[]) => x.forEach((v, i) => { J[i]!.set([1, v]); }),
  };
  const fit = fitNonlinear({ model, y, p0: [0, 0] }, { method: 'gd', step: 0.1 });
  assert.equal(fit.converged, false);
  assert.equal(fit.reason, 'diverged');
  assert.ok(fit.notes.some((n) => /too large/.test(n)));
  const ok = fitNonlinear({ model, y, p0: [0, 0] }, { method: 'gd', step: 0.005, maxIter: 100000 });
  assert.ok(ok.converged, ok.message);
  assert.ok(close(ok.parameters[0]!.value, 1, 1e-6) && close(ok.parameters[1]!.value, 2, 1e-6));
});
