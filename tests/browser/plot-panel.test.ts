/**
 * The plot panel in real headless Chromium. For each plottable statement of the language
 * tour (examples/tour.calc), the plot data the server computes is posted to the page as the
 * extension would; the tests check what plotly drew, that KaTeX typeset the header, that
 * the console stayed clean, and save a screenshot under test-output/browser/.
 * Expected numbers come from the mathematics (closed forms, Math.*), never from our output.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { CurvePlot, FitPlot, LagrangePlot, OptimizePlot, PlotData, RootPlot, SurfacePlot, SystemRootPlot, TaylorPlot, TaylorSurfacePlot } from '../../protocol/plot';
import { gridRows, parseWebviewMessage } from '../../protocol/plot';
import { plotOf, type StatementPlot, tourPlots } from './fixtures';
import { Panel, type ThemeName } from './harness';

const panels = new Map<ThemeName, Panel>();
async function panel(theme: ThemeName = 'light'): Promise<Panel> {
  let p = panels.get(theme);
  if (!p) { p = await Panel.open(theme); panels.set(theme, p); }
  return p;
}
let tour: StatementPlot[] = [];
before(async () => {
  tour = tourPlots();
  await panel('light');
});
after(async () => { for (const p of panels.values()) await p.close(); });

function fromTour<K extends PlotData['kind']>(prefix: string, kind: K): Extract<PlotData, { kind: K }> {
  const s = tour.find((t) => t.source.startsWith(prefix));
  if (!s?.plot) throw new Error(`the tour has no plot for "${prefix}": ${s?.message ?? 'no such statement'}`);
  assert.equal(s.plot.kind, kind);
  return s.plot as Extract<PlotData, { kind: K }>;
}

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
  // Everything the page sends passes the extension's validation unchanged.
  for (const m of await p.posted()) assert.deepEqual(parseWebviewMessage(m), m);
  return { drawn, report, panel: p };
}

/** The points of a drawn line trace, by its name, as plotly holds them (gaps left out). */
async function drawnLine(p: Panel, name: string): Promise<[number, number][]> {
  return p.page.evaluate((n) => {
    const gd = document.getElementById('plot') as unknown as { _fullData: { name?: string; x: (number | null)[]; y: (number | null)[] }[] };
    const t = gd._fullData.find((d) => d.name === n);
    if (!t) return [];
    const out: [number, number][] = [];
    t.x.forEach((x, k) => { const y = t.y[k]; if (typeof x === 'number' && typeof y === 'number') out.push([x, y]); });
    return out;
  }, name);
}

const close = (a: number, b: number, rel = 1e-9) => Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b));
const count = (traces: { type: string }[], type: string) => traces.filter((t) => t.type === type).length;

test('every plottable statement of the tour draws, with a clean console and a KaTeX header', async () => {
  const drawnKinds = new Set<string>();
  for (const s of tour) {
    if (!s.plot) {
      // Only vector-valued functions have no plot of their own.
      assert.match(s.source, /\bu\b/, `line ${s.line} (${s.source}) has no plot: ${s.message}`);
      continue;
    }
    const { drawn } = await show(s.plot, `tour-line${String(s.line).padStart(2, '0')}-${s.plot.kind}`);
    assert.ok(drawn.traces.length >= 1, `line ${s.line} drew nothing`);
    drawnKinds.add(s.plot.kind);
  }
  assert.deepEqual([...drawnKinds].sort(), ['curve', 'fit', 'lagrange', 'optimize', 'root', 'surface', 'system', 'taylor', 'taylor-surface']);
});

test('plot sin(x), cos(x) draws both curves on the range asked for, with derivatives a legend click away', async () => {
  const plot = fromTour('plot sin(x), cos(x)', 'curve');
  for (const [i, f] of [Math.sin, Math.cos].entries()) {
    const c = plot.curves[i]!;
    c.x.forEach((x, k) => assert.ok(close(c.y[k]!, f(x), 1e-12), `${c.name} at ${x}`));
  }
  const { drawn, panel: p } = await show(plot, 'curve-sin-cos');
  assert.equal(count(drawn.traces, 'scatter'), 6, 'two curves, two derivatives, the tangent and its point');
  const visible = await p.page.evaluate(() => (document.getElementById('plot') as unknown as { _fullData: { visible: unknown }[] })._fullData.map((t) => t.visible));
  assert.deepEqual(visible, [true, true, 'legendonly', 'legendonly', true, true]);
  const x = drawn.axes.xaxis!;
  assert.ok(close(x.range[0], -Math.PI) && close(x.range[1], Math.PI), `x-axis ${x.range}`);
});

test('the tangent to sin has slope cos(x0), and the slider moves it along the curve', async () => {
  const plot = fromTour('plot sin(x), cos(x)', 'curve');
  const tangents = plot.tangents ?? [];
  assert.ok(tangents.length >= 20);
  for (const k of tangents) {
    assert.ok(close(k.y0, Math.sin(k.x0), 1e-12) && close(k.slope, Math.cos(k.x0), 1e-12), `tangent at ${k.x0}`);
    // The drawn segment lies on y = sin(x0) + cos(x0)(x − x0).
    k.line.x.forEach((x, i) => assert.ok(close(k.line.y[i]!, Math.sin(k.x0) + Math.cos(k.x0) * (x - k.x0), 1e-12)));
  }
  const p = await panel();
  p.errors.length = 0;
  await p.show(plot);
  const tangentX = () => p.page.evaluate(() => {
    const gd = document.getElementById('plot') as unknown as { _fullData: { name?: string; x: number[] }[] };
    return gd._fullData.find((t) => t.name === 'point of tangency')!.x[0]!;
  });
  assert.ok(close(await tangentX(), tangents[plot.tangentIndex ?? 0]!.x0));
  // Drag nothing, compute nothing: a click at the right end of the slider's rail picks the last tangent.
  const rail = p.page.locator('#plot .slider-rail-rect').first();
  const box = (await rail.boundingBox())!;
  await p.page.mouse.click(box.x + box.width - 2, box.y + box.height / 2);
  await p.page.waitForFunction((want) => {
    const gd = document.getElementById('plot') as unknown as { _fullData: { name?: string; x: number[] }[] };
    return Math.abs(gd._fullData.find((t) => t.name === 'point of tangency')!.x[0]! - want) < 1e-9;
  }, tangents[tangents.length - 1]!.x0);
  await p.screenshot('curve-tangent-slider');
  assert.deepEqual(p.errors, []);
});

test('tan over [-pi, pi] is drawn with gaps at its poles, not vertical lines across them', async () => {
  const plot = plotOf('plot tan(x) over x in [-pi, pi]') as CurvePlot;
  const curve = plot.curves[0]!;
  const poles = [-Math.PI / 2, Math.PI / 2];
  const gaps = curve.y.flatMap((v, i) => (v === null ? [curve.x[i]!] : []));
  for (const pole of poles) assert.ok(gaps.some((g) => Math.abs(g - pole) < 1e-3), `a gap within 1e-3 of the pole at ${pole}; gaps at ${gaps}`);
  for (let i = 1; i < curve.x.length; i++) {
    if (curve.y[i - 1] === null || curve.y[i] === null) continue;
    for (const pole of poles) assert.ok(!(curve.x[i - 1]! < pole && curve.x[i]! > pole), `the segment ${curve.x[i - 1]}..${curve.x[i]} crosses the pole at ${pole}`);
  }
  // Denser where it curves: more samples within 0.2 of a pole than in the flat 0.4 around 0.
  const near = curve.x.filter((x) => Math.abs(x - Math.PI / 2) < 0.2).length;
  const flat = curve.x.filter((x) => Math.abs(x) < 0.2).length;
  assert.ok(near > 2 * flat, `${near} samples near the pole, ${flat} around 0`);
  const { drawn } = await show(plot, 'curve-tan');
  const y = drawn.axes.yaxis!;
  assert.ok(y.range[1] - y.range[0] < 200, `the y-axis shows the curve, not the poles' huge values: ${y.range}`);
});

test('log and sqrt are drawn only where they are defined, up to the edge of their domain', async () => {
  const plot = plotOf('plot log(x), sqrt(x) over x in [-1, 2]') as CurvePlot;
  for (const c of plot.curves) {
    const defined = c.x.filter((_, i) => c.y[i] !== null);
    assert.ok(defined.every((x) => x >= 0), `${c.name} has no samples left of 0`);
    assert.ok(Math.min(...defined) < 1e-3, `${c.name} reaches to within 1e-3 of its domain's edge (from ${Math.min(...defined)})`);
    c.x.forEach((x, i) => { if (c.y[i] !== null) assert.ok(close(c.y[i]!, c.name.startsWith('log') ? Math.log(x) : Math.sqrt(x), 1e-12)); });
  }
  await show(plot, 'curve-log-sqrt');
});

test('a plot of f(x, y) draws a 200 × 200 heat map with contour lines on the levels of f, gradient arrows, and toggles to a 3-D surface', async () => {
  const plot = fromTour('plot f over', 'surface') as SurfacePlot;
  // f(x, y) = x^2*y + a*sin(x*y) with a = 2.5, checked on the grid against Math (sent in single precision).
  const f = (X: number, Y: number) => X * X * Y + 2.5 * Math.sin(X * Y);
  const { x, y } = plot.grid;
  const z = gridRows(plot.grid);
  assert.ok(z.length === 200 && z.every((row) => row.length === 200));
  for (const [i, j] of [[0, 0], [57, 131], [199, 199], [100, 3]] as const) {
    const X = x[i]!, Y = y[j]!;
    assert.ok(close(z[j]![i]!, f(X, Y), 1e-6), `f(${X}, ${Y})`);
  }
  const { drawn, panel: p } = await show(plot, 'surface-contour');
  assert.equal(count(drawn.traces, 'heatmap'), 1);
  assert.equal(drawn.traces.find((t) => t.type === 'heatmap')!.points, 200, 'a 200 × 200 grid');
  assert.equal(count(drawn.traces, 'scatter'), 2, 'the contour lines and the gradient arrows');
  assert.deepEqual(drawn.axes.xaxis!.range, [-2, 2]);
  assert.deepEqual(drawn.axes.yaxis!.range, [-2, 2]);
  // Every point of the drawn contour lines lies on one of its levels of f, up to the error of
  // linear interpolation along a grid edge, M·h²/8 with h = 4/199 and M ≥ |f_xx|, |f_yy|
  // (|2y − 2.5y² sin(xy)| ≤ 14 on [−2, 2]²), and single precision.
  const lines = await drawnLine(p, 'contours');
  const levels = plot.grid.contours!.levels;
  assert.ok(levels.length >= 10 && lines.length > 1000, `${levels.length} levels, ${lines.length} points`);
  const h = 4 / 199, tolerance = (14 * h * h) / 8 + 1e-5;
  for (const [X, Y] of lines) {
    const v = f(X, Y);
    assert.ok(levels.some((c) => Math.abs(v - c) <= tolerance), `f(${X}, ${Y}) = ${v} is on no level`);
  }
  // The hover read-out on the map: the mouse over the middle of the plot area shows the point
  // and f there (the heat map's hover; the lines and arrows skip it).
  const box = (await p.page.locator('#plot .nsewdrag').first().boundingBox())!;
  await p.page.mouse.move(box.x + box.width * 0.75, box.y + box.height * 0.25);
  await p.page.waitForSelector('#plot .hovertext');
  const text = await p.page.locator('#plot .hovertext').first().textContent();
  // Plotly writes minus signs as U+2212.
  const m = /\(([-\d.]+), ([-\d.]+)\) ↦ ([-\d.]+)/.exec((text ?? '').replace(/\u2212/g, '-'));
  assert.ok(m, `hover text ${text}`);
  assert.ok(Math.abs(Number(m[3]) - f(Number(m[1]), Number(m[2]))) < 0.02 * (1 + Math.abs(Number(m[3]))), `hover ${text} against f`);
  await p.page.mouse.move(0, 0);
  p.errors.length = 0;
  await p.toggle('3-D surface');
  const d3 = await p.drawn();
  assert.deepEqual(d3.traces.map((t) => t.type), ['surface']);
  await p.screenshot('surface-3d');
  assert.deepEqual(p.errors, []);
  await p.toggle('3-D surface');
});

test('a pole in a two-variable plot does not take every colour: the heat map spans the robust range', async () => {
  const plot = plotOf('plot 1/(x^2 + y^2) over x in [-1, 1], y in [-1, 1]') as SurfacePlot;
  const range = plot.grid.zRange!;
  // 1/(x² + y²) is 1/2 at the corners; the samples nearest the pole reach ~10⁴.
  assert.ok(range[0] < 0.6 && range[1] < 200, `${range}`);
  const { panel: p } = await show(plot, 'surface-pole');
  const z = await p.page.evaluate(() => {
    const t = (document.getElementById('plot') as unknown as { _fullData: { type: string; zmin: number; zmax: number }[] })._fullData.find((d) => d.type === 'heatmap')!;
    return [t.zmin, t.zmax];
  });
  assert.deepEqual(z, range);
});

test('minimize rosen draws the numbered path from the start to the minimum at (1, 1), and the convergence on a log axis', async () => {
  const plot = fromTour('minimize rosen from [-1.2, 1]', 'optimize') as OptimizePlot;
  assert.deepEqual(plot.path[0]!.point, [-1.2, 1]);
  const last = plot.path[plot.path.length - 1]!.point;
  assert.ok(close(last[0]!, 1, 1e-6) && close(last[1]!, 1, 1e-6), `the path ends at ${last}`);
  const { drawn } = await show(plot, 'optimize-rosenbrock');
  assert.equal(count(drawn.traces, 'heatmap'), 1);
  assert.ok(drawn.traces.some((t) => t.name === 'contours' && t.points > 100), 'contour lines over the heat map');
  assert.equal(drawn.traces.find((t) => t.name === 'iterates')!.points, plot.path.length);
  assert.equal(drawn.axes.yaxis2!.type, 'log');
  assert.ok(drawn.traces.some((t) => t.yaxis === 'y2' && t.name === '|∇f|'));
  const x = drawn.axes.xaxis!, y = drawn.axes.yaxis!;
  assert.ok(x.range[0] < -1.2 && x.range[1] > 1 && y.range[0] < 1 && y.range[1] > 1, 'the window holds the whole path');
});

test('gradient descent with thousands of iterates labels about a dozen of them', async () => {
  const plot = fromTour('minimize rosen from [-1.2, 1] by gradient descent', 'optimize');
  assert.ok(plot.path.length > 100);
  const { panel: p } = await show(plot, 'optimize-rosenbrock-gd-dark', 'dark');
  const labels = await p.page.evaluate(() => Array.from(document.querySelectorAll('#plot .scatterlayer .textpoint')).filter((e) => e.textContent).length);
  assert.ok(labels >= 5 && labels <= 16, `${labels} labels`);
});

test('maximize by newton ends at the maximum (1/2, 0) of -(x^2 + y^2) + x', async () => {
  const plot = fromTour('maximize -(x^2 + y^2) + x', 'optimize');
  const last = plot.path[plot.path.length - 1]!.point;
  assert.ok(Math.abs(last[0]! - 0.5) < 1e-9 && Math.abs(last[1]!) < 1e-9, `${last}`);
  assert.equal(plot.goal, 'maximize');
  await show(plot, 'optimize-maximize-newton');
});

test("root draws Newton-Raphson's tangent steps on the curve and marks a true root", async () => {
  const plot = fromTour('root x^6/6', 'root') as RootPlot;
  const p = (x: number) => x ** 6 / 6 - 3 * x ** 4 - 2 * x ** 3 / 3 + 27 * x ** 2 / 2 + 18 * x - 30;
  assert.ok(plot.root !== null && Math.abs(p(plot.root)) < 1e-9, `p(${plot.root}) = ${plot.root === null ? '' : p(plot.root)}`);
  // Each step goes down the tangent: x_{k+1} = x_k − p(x_k)/p'(x_k).
  const dp = (x: number) => x ** 5 - 12 * x ** 3 - 2 * x ** 2 + 27 * x + 18;
  for (const s of plot.steps) assert.ok(close(s.next, s.x - p(s.x) / dp(s.x), 1e-9), `step from ${s.x}`);
  const { drawn } = await show(plot, 'root-newton');
  assert.equal(drawn.traces.find((t) => t.name === 'tangent steps')!.points, 3 * plot.steps.length, 'a segment and a gap per step');
  assert.ok(drawn.traces.some((t) => t.name?.startsWith('root')));
});

test('root of a system draws the zero curve of each equation, Newton\'s numbered path, and marks the root where they cross', async () => {
  const plot = plotOf('u(x, y) = [x^2 - y^2 - 1, 2*x*y - 1]\nroot u near [1, 1]') as SystemRootPlot;
  assert.equal(plot.kind, 'system');
  // u = 0 is z² = 1 + i for z = x + iy: the root near (1, 1) is z = 2^(1/4)·e^(iπ/8).
  const r = 2 ** 0.25, root = [r * Math.cos(Math.PI / 8), r * Math.sin(Math.PI / 8)];
  assert.ok(plot.root && close(plot.root[0], root[0]!, 1e-9) && close(plot.root[1], root[1]!, 1e-9), `root ${plot.root}`);
  // Each step is Newton's: x_{k+1} = x_k − J⁻¹u(x_k), with J = [[2x, −2y], [2y, 2x]].
  assert.deepEqual(plot.path[0]!.point, [1, 1]);
  for (let k = 0; k + 1 < plot.path.length; k++) {
    const [x, y] = plot.path[k]!.point as [number, number];
    const [f1, f2] = [x * x - y * y - 1, 2 * x * y - 1];
    const det = 4 * (x * x + y * y);
    const next = [x - (2 * x * f1 + 2 * y * f2) / det, y - (-2 * y * f1 + 2 * x * f2) / det];
    assert.ok(close(plot.path[k + 1]!.point[0]!, next[0]!, 1e-9) && close(plot.path[k + 1]!.point[1]!, next[1]!, 1e-9), `step ${k}`);
  }
  const { drawn, panel: p } = await show(plot, 'root-system');
  assert.deepEqual(drawn.traces.map((t) => t.type), ['scatter', 'scatter', 'scatter', 'scatter'], 'two zero curves, the path, the root');
  assert.equal(drawn.traces[2]!.points, plot.path.length, 'every iterate on the path');
  assert.equal(drawn.tableRows, Math.min(12, plot.path.length));
  // The drawn curves lie on x² − y² = 1 and 2xy = 1 (linear interpolation errs by at most
  // M·h²/8, M = 2 the second derivatives' bound, h the grid step; single precision 1e-6).
  const h = (plot.xRange[1] - plot.xRange[0]) / 199, tolerance = (2 * h * h) / 8 + 1e-5;
  const [c1, c2] = [await drawnLine(p, plot.curves[0]!.name), await drawnLine(p, plot.curves[1]!.name)];
  assert.ok(c1.length > 50 && c2.length > 50);
  for (const [x, y] of c1) assert.ok(Math.abs(x * x - y * y - 1) <= tolerance, `(${x}, ${y}) off the first curve`);
  for (const [x, y] of c2) assert.ok(Math.abs(2 * x * y - 1) <= tolerance, `(${x}, ${y}) off the second curve`);
  // Different colours for the two curves, and the root marker where the run put it.
  const styles = await p.page.evaluate(() => (document.getElementById('plot') as unknown as { _fullData: { name?: string; x: number[]; y: number[]; line?: { color?: string } }[] })._fullData.map((t) => ({ name: t.name, color: t.line?.color, x: t.x, y: t.y })));
  assert.notEqual(styles[0]!.color, styles[1]!.color);
  const star = styles.find((t) => t.name?.startsWith('root'))!;
  assert.ok(close(star.x[0]!, root[0]!, 1e-9) && close(star.y[0]!, root[1]!, 1e-9));
  // The root lies inside the window drawn.
  const x = drawn.axes.xaxis!, y = drawn.axes.yaxis!;
  assert.ok(x.range[0] < root[0]! && root[0]! < x.range[1] && y.range[0] < root[1]! && root[1]! < y.range[1]);
});

test('the tour\'s root of u = [x² − y², 2xy] walks to the origin, where both zero curves pass', async () => {
  const plot = fromTour('root u near [1, 1]', 'system');
  assert.ok(plot.converged && plot.root && Math.hypot(...plot.root) < 1e-5, `root ${plot.root}`);
  const { drawn } = await show(plot, 'root-system-tour');
  assert.equal(drawn.traces.filter((t) => t.type === 'scatter').length, 4);
});

test('maximize x*y subject to x + 2*y = 10 draws the constraint line and the candidate (5, 5/2) with λ = 5/2', async () => {
  const plot = fromTour('maximize x*y subject to', 'lagrange') as LagrangePlot;
  // ∇(xy) = λ∇(x + 2y): y = λ, x = 2λ, and x + 2y = 10 gives λ = 5/2.
  const best = plot.candidates.find((c) => c.kind === 'maximum')!;
  assert.ok(close(best.point[0], 5, 1e-9) && close(best.point[1], 2.5, 1e-9) && close(best.lambda[0]!, 2.5, 1e-9));
  const { drawn, panel: p } = await show(plot, 'lagrange-line');
  assert.equal(count(drawn.traces, 'heatmap'), 1, 'the heat map of f');
  // The drawn constraint curve is the line x + 2y = 10 (linear interpolation is exact on a
  // linear g; single precision leaves 1e-6).
  const line = await drawnLine(p, 'constraint');
  assert.ok(line.length >= 2);
  for (const [X, Y] of line) assert.ok(Math.abs(X + 2 * Y - 10) < 1e-5, `(${X}, ${Y}) is off x + 2y = 10`);
  const text = await p.page.evaluate(() => Array.from(document.querySelectorAll('#plot .textpoint'), (e) => e.textContent ?? ''));
  assert.ok(text.some((s) => /maximum, λ = 2\.5/.test(s)), `labels: ${text}`);
  assert.equal(drawn.tableRows, plot.candidates.length);
});

test('minimize f subject to the unit circle labels every candidate with its kind', async () => {
  const plot = fromTour('minimize f subject to', 'lagrange');
  for (const c of plot.candidates) assert.ok(close(Math.hypot(...c.point), 1, 1e-8), `${c.point} is on the circle`);
  const { panel: p } = await show(plot, 'lagrange-circle');
  const labels = await p.page.evaluate(() => document.querySelectorAll('#plot .textpoint').length);
  assert.equal(labels, plot.candidates.length);
});

test('the linear fit draws data with error bars, the line, residuals below and the parameter table', async () => {
  const plot = fromTour('fit y = m*x + c', 'fit') as FitPlot;
  const { drawn, panel: p } = await show(plot, 'fit-linear');
  assert.equal(count(drawn.traces, 'scatter'), 3);
  assert.ok(drawn.traces.some((t) => t.name === 'residuals' && t.yaxis === 'y2'));
  assert.equal(drawn.tableRows, plot.parameters.length + 1, 'the parameters and χ²/dof');
  const bars = await p.page.evaluate(() => document.querySelectorAll('#plot .errorbar').length);
  assert.equal(bars, 2 * plot.data.x.length, 'an error bar on every point and every residual');
});

test('the Gaussian fit to the heights data draws the curve through the data', async () => {
  const plot = fromTour('fit y = A*exp(-(x - mu)^2/(2*s^2)) to heights from A = 10, mu = 170, s = 5', 'fit');
  const { drawn } = await show(plot, 'fit-gaussian');
  const x = drawn.axes.xaxis!;
  assert.ok(x.range[0] <= Math.min(...plot.data.x) && x.range[1] >= Math.max(...plot.data.x));
});

test('taylor cos(x) at 0 order 4 draws T₀…T₄ about 0 and their errors on a log axis', async () => {
  const plot = fromTour('taylor cos(x)', 'taylor') as TaylorPlot;
  assert.deepEqual(plot.polynomials.map((p) => p.order), [0, 1, 2, 3, 4]);
  // cos x = 1 − x²/2 + x⁴/24 − …: T₂ and T₄ at every sample.
  const t2 = plot.polynomials[2]!, t4 = plot.polynomials[4]!;
  t2.x.forEach((x, i) => assert.ok(close(t2.y[i]!, 1 - x * x / 2, 1e-12)));
  t4.x.forEach((x, i) => assert.ok(close(t4.y[i]!, 1 - x * x / 2 + x ** 4 / 24, 1e-12)));
  const { drawn } = await show(plot, 'taylor-cos');
  assert.equal(count(drawn.traces, 'scatter'), 1 + 2 * plot.polynomials.length);
  assert.equal(drawn.axes.yaxis2!.type, 'log');
  assert.ok(close(drawn.axes.xaxis!.range[0], plot.xRange[0]) && close(drawn.axes.xaxis!.range[1], plot.xRange[1]));
});

test('taylor in two variables draws f and T₁ together: T₁\'s contour lines on f\'s levels, the error map, and both surfaces in 3-D', async () => {
  const plot = fromTour('taylor exp(x)*sin(y) at [0, 0] order 1', 'taylor-surface') as TaylorSurfacePlot;
  // e^x sin y = y + xy + …: T₁ = y about (0, 0).
  const f = (x: number, y: number) => Math.exp(x) * Math.sin(y);
  const fz = gridRows(plot.function), pz = gridRows(plot.polynomial), ez = gridRows(plot.logError);
  const { x, y } = plot.function;
  for (const [i, j] of [[0, 0], [40, 101], [75, 75], [149, 20]] as const) {
    const X = x[i]!, Y = y[j]!;
    assert.ok(close(fz[j]![i]!, f(X, Y), 1e-6), `f(${X}, ${Y})`);
    if (pz[j]![i] !== null) assert.ok(close(pz[j]![i]!, Y, 1e-6), `T₁(${X}, ${Y})`);
    assert.ok(Math.abs(ez[j]![i]! - Math.log10(Math.abs(f(X, Y) - Y))) < 1e-5, `log error at (${X}, ${Y})`);
  }
  // The error is O(r²): a grid point near the centre has a far smaller error than the corners.
  const mid = x.findIndex((v) => v > 0.1);
  assert.ok(ez[mid]![mid]! < ez[0]![0]! - 1.5 && ez[mid]![mid]! < ez[149]![149]! - 1.5);
  const { drawn, panel: p } = await show(plot, 'taylor-surface');
  assert.equal(count(drawn.traces, 'heatmap'), 2, 'f, and the error');
  // T₁ = y: its contour lines on f's levels c are the straight lines y = c.
  const levels = plot.function.contours!.levels;
  const tLines = await drawnLine(p, 'T₁(x, y), on the same levels');
  assert.ok(tLines.length >= 2 * levels.length / 2, `${tLines.length} points`);
  for (const [, Y] of tLines) assert.ok(levels.some((c) => Math.abs(Y - c) < 1e-5), `a point at y = ${Y} is on no level`);
  // f's own lines lie on its levels (linear interpolation errs by at most M·h²/8, M = e² bounding the second derivatives).
  const h = 4 / 149, tolerance = (Math.exp(2) * h * h) / 8 + 1e-5;
  const fLines = drawn.traces.filter((t) => t.name === 'contours');
  assert.equal(fLines.length, 2, 'contour lines on both maps');
  const first = await p.page.evaluate(() => {
    const gd = document.getElementById('plot') as unknown as { _fullData: { name?: string; x: (number | null)[]; y: (number | null)[]; xaxis?: string }[] };
    const t = gd._fullData.find((d) => d.name === 'contours' && d.xaxis === 'x')!;
    return t.x.map((v, k) => [v, t.y[k]] as const).filter((q): q is [number, number] => q[0] !== null && q[1] !== null);
  });
  for (const [X, Y] of first) assert.ok(levels.some((c) => Math.abs(f(X, Y) - c) <= tolerance), `f(${X}, ${Y}) = ${f(X, Y)} is on no level`);
  // The error map sits on its own axes beside f's, over the same window.
  assert.ok(drawn.traces.some((t) => t.type === 'heatmap' && t.xaxis === 'x2' && t.yaxis === 'y2'));
  assert.deepEqual(drawn.axes.xaxis2!.range, drawn.axes.xaxis!.range);
  p.errors.length = 0;
  await p.toggle('3-D surfaces');
  const d3 = await p.drawn();
  assert.deepEqual(d3.traces.map((t) => t.type), ['surface', 'surface', 'scatter3d']);
  assert.deepEqual(d3.traces.slice(0, 2).map((t) => t.name), ['f(x, y)', 'T₁(x, y)']);
  await p.screenshot('taylor-surface-3d');
  assert.deepEqual(p.errors, []);
  await p.toggle('3-D surfaces');
});

test('the panel follows the high-contrast theme', async () => {
  const { panel: p } = await show(fromTour('plot f over', 'surface'), 'surface-high-contrast', 'high-contrast');
  const bg = await p.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(bg, 'rgb(0, 0, 0)');
});

test('the page runs under a Content Security Policy of default-src none and fetches nothing remote', async () => {
  const p = await panel();
  const csp = await p.page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? '');
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'nonce-[A-Za-z0-9+/=]{16,}'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  const scripts = await p.page.evaluate(() => Array.from(document.scripts, (s) => s.nonce !== ''));
  assert.ok(scripts.every(Boolean), 'every script carries the nonce');
  assert.ok(!p.errors.some((e) => e.startsWith('remote request')), p.errors.join('\n'));
});

test('a status message keeps the last plot on screen, marked stale', async () => {
  const p = await panel();
  await p.show(plotOf('plot sin(x) over x in [0, 1]'));
  await p.page.evaluate(() => window.postMessage({ type: 'status', uri: 'file:///x.calc', line: 2, severity: 'info', text: 'Line 3 has an error; fix it to see its plot.' }, '*'));
  await p.page.waitForFunction(() => document.body.classList.contains('stale'));
  assert.match(await p.page.locator('#status').innerText(), /Line 3 has an error/);
  // What the serializer gets back after a reload.
  assert.deepEqual(await p.page.evaluate(() => (window as unknown as { __state: unknown }).__state), { uri: 'file:///x.calc', line: 2 });
  await p.screenshot('status-stale');
});
