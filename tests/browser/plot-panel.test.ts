/**
 * The plot panel in real headless Chromium: for each kind of statement, the server's plot
 * data is posted to the page as the extension would, and the test checks what plotly drew,
 * that KaTeX typeset the header, that the console stayed clean, and saves a screenshot
 * under test-output/browser/.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { CurvePlot, PlotData } from '../../protocol/plot';
import * as fx from './fixtures';
import { Panel, type ThemeName } from './harness';

const panels = new Map<ThemeName, Panel>();
async function panel(theme: ThemeName = 'light'): Promise<Panel> {
  let p = panels.get(theme);
  if (!p) { p = await Panel.open(theme); panels.set(theme, p); }
  return p;
}
before(async () => { await panel('light'); });
after(async () => { for (const p of panels.values()) await p.close(); });

async function show(plot: PlotData, shot: string, theme: ThemeName = 'light') {
  const p = await panel(theme);
  p.errors.length = 0;
  const report = await p.show(plot);
  const drawn = await p.drawn();
  await p.screenshot(shot);
  assert.deepEqual(p.errors, [], 'the console shows no errors');
  assert.equal(report.kind, plot.kind);
  assert.ok(drawn.katex >= 1, 'the header holds typeset KaTeX');
  assert.equal(drawn.title, plot.title);
  return { drawn, report, panel: p };
}

const close = (a: number, b: number, rel = 1e-9) => Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b));
const count = (traces: { type: string }[], type: string) => traces.filter((t) => t.type === type).length;

test('a plot of sin and cos draws both curves, the derivative, the tangent and the x-range asked for', async () => {
  const plot = fx.sinCos() as CurvePlot;
  const { drawn } = await show(plot, 'curve-sin-cos');
  assert.equal(count(drawn.traces, 'scatter'), 5, 'two curves, one derivative, the tangent line and its point');
  const x = drawn.axes.xaxis!;
  assert.ok(close(x.range[0], -Math.PI) && close(x.range[1], Math.PI), `x-axis ${x.range}`);
  // The y-axis autoscales around [-1, 1], plus the tangent line's ends.
  const y = drawn.axes.yaxis!;
  assert.ok(y.range[0] < -1 && y.range[1] > 1);
});

test('tan over [-pi, pi] is drawn with gaps at its poles, not vertical lines across them', async () => {
  const plot = fx.tan() as CurvePlot;
  const curve = plot.curves[0]!;
  const gaps = curve.y.flatMap((v, i) => (v === null ? [curve.x[i]!] : []));
  for (const pole of [-Math.PI / 2, Math.PI / 2]) {
    assert.ok(gaps.some((g) => Math.abs(g - pole) < 1e-3), `a gap within 1e-3 of the pole at ${pole}; gaps at ${gaps}`);
  }
  // No drawn segment joins the two sides of a pole: consecutive defined samples never straddle one.
  for (let i = 1; i < curve.x.length; i++) {
    const y0 = curve.y[i - 1], y1 = curve.y[i];
    if (y0 === null || y1 === null || y0 === undefined || y1 === undefined) continue;
    for (const pole of [-Math.PI / 2, Math.PI / 2]) assert.ok(!(curve.x[i - 1]! < pole && curve.x[i]! > pole), `segment ${i} crosses the pole at ${pole}`);
  }
  const { drawn } = await show(plot, 'curve-tan');
  const y = drawn.axes.yaxis!;
  assert.ok(y.range[1] - y.range[0] < 1000, `the y-axis is clipped to the visible part, not the poles' 1e15: ${y.range}`);
});

test('a two-variable function draws a contour map over a heat map with gradient arrows, and toggles to a 3-D surface', async () => {
  const plot = fx.surface();
  const { drawn, panel: p } = await show(plot, 'surface-contour');
  assert.equal(count(drawn.traces, 'contour'), 1);
  assert.equal(count(drawn.traces, 'scatter'), 1, 'the gradient arrows');
  assert.deepEqual(drawn.axes.xaxis!.range, [-2, 2]);
  assert.deepEqual(drawn.axes.yaxis!.range, [-2, 2]);
  const contour = drawn.traces.find((t) => t.type === 'contour')!;
  assert.equal(contour.points, 200, 'a 200 × 200 grid');
  p.errors.length = 0;
  await p.toggle('3-D surface');
  const d3 = await p.drawn();
  assert.deepEqual(d3.traces.map((t) => t.type), ['surface']);
  await p.screenshot('surface-3d');
  assert.deepEqual(p.errors, []);
  await p.toggle('3-D surface');
});

test('minimize on Rosenbrock draws the numbered path on the contour map and the convergence on a log axis', async () => {
  const plot = fx.rosenbrock('bfgs');
  const { drawn } = await show(plot, 'optimize-rosenbrock-bfgs');
  assert.equal(count(drawn.traces, 'contour'), 1);
  const path = drawn.traces.find((t) => t.name === 'iterates')!;
  assert.equal(path.points, plot.kind === 'optimize' ? plot.path.length : -1);
  assert.equal(drawn.axes.yaxis2!.type, 'log');
  assert.ok(drawn.traces.some((t) => t.yaxis === 'y2' && t.name === '|∇f|'));
  // The window holds the whole path: the start (-1.2, 1) and the minimum (1, 1).
  const x = drawn.axes.xaxis!, y = drawn.axes.yaxis!;
  assert.ok(x.range[0] < -1.2 && x.range[1] > 1 && y.range[0] < 1 && y.range[1] > 1);
});

test('gradient descent with a long path labels about a dozen of its iterates', async () => {
  const plot = fx.rosenbrock('gd');
  const { panel: p } = await show(plot, 'optimize-rosenbrock-gd', 'dark');
  const labels = await p.page.evaluate(() => document.querySelectorAll('#plot .scatterlayer .textpoint').length);
  assert.ok(labels >= 5 && labels <= 16, `${labels} labels`);
});

test('minimize in one variable draws the iterates on the curve', async () => {
  const { drawn } = await show(fx.quartic(), 'optimize-quartic');
  assert.equal(count(drawn.traces, 'contour'), 0);
  assert.ok(drawn.traces.some((t) => t.name === 'iterates' && (t.mode ?? '').includes('text')));
  assert.equal(drawn.axes.yaxis2!.type, 'log');
});

test("root draws Newton-Raphson's tangent steps on the curve and marks the root", async () => {
  const plot = fx.newtonRoot();
  const { drawn } = await show(plot, 'root-newton');
  const steps = drawn.traces.find((t) => t.name === 'tangent steps')!;
  assert.equal(plot.kind, 'root');
  if (plot.kind === 'root') {
    assert.equal(steps.points, 3 * plot.steps.length, 'a segment and a gap per step');
    assert.ok(drawn.traces.some((t) => t.name?.startsWith('root')));
  }
});

test('Lagrange draws the contours of f, the constraint line and the labelled candidate', async () => {
  const plot = fx.lagrange();
  const { drawn } = await show(plot, 'lagrange');
  assert.equal(count(drawn.traces, 'contour'), 2, 'f and the zero level of g');
  const text = await (await panel()).page.evaluate(() => Array.from(document.querySelectorAll('#plot .textpoint'), (e) => e.textContent));
  assert.ok(text.some((s) => /maximum, λ = /.test(s ?? '')), `labels: ${text}`);
  assert.equal(drawn.tableRows, 1);
});

test('fit draws the data with error bars, the fitted curve, the residuals below and the parameter table', async () => {
  const plot = fx.gaussianFit();
  const { drawn } = await show(plot, 'fit-gaussian');
  assert.equal(count(drawn.traces, 'scatter'), 3);
  assert.ok(drawn.traces.some((t) => t.name === 'residuals' && t.yaxis === 'y2'));
  assert.equal(drawn.tableRows, 4, 'A, mu, s and χ²/dof');
  const bars = await (await panel()).page.evaluate(() => document.querySelectorAll('#plot .errorbar').length);
  assert.ok(bars >= 50, `${bars} error bars for 25 points and 25 residuals`);
});

test('taylor draws cos with its Taylor polynomials about 0 and their errors on a log axis', async () => {
  const plot = fx.taylorCos(4);
  const { drawn } = await show(plot, 'taylor-cos');
  if (plot.kind !== 'taylor') throw new Error('not a taylor plot');
  assert.equal(count(drawn.traces, 'scatter'), 1 + 2 * plot.polynomials.length);
  assert.equal(drawn.axes.yaxis2!.type, 'log');
  assert.ok(close(drawn.axes.xaxis!.range[0], plot.xRange[0]) && close(drawn.axes.xaxis!.range[1], plot.xRange[1]));
});

test('the panel follows the high-contrast theme', async () => {
  const { panel: p } = await show(fx.surface(), 'surface-high-contrast', 'high-contrast');
  const bg = await p.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(bg, 'rgb(0, 0, 0)');
});
